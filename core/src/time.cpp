#include "backupd/core/time.hpp"

#include <charconv>
#include <cstdio>

namespace backupd::core {
namespace {

using std::chrono::days;
using std::chrono::microseconds;

std::string format_with(Timestamp at, char date_time_separator, const char* suffix) {
    const auto day = std::chrono::floor<days>(at);
    const std::chrono::year_month_day ymd{day};
    const std::chrono::hh_mm_ss<microseconds> tod{at - day};
    char buffer[40];
    const int n = std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u%c%02ld:%02ld:%02ld.%06ld%s",
                                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                                static_cast<unsigned>(ymd.day()), date_time_separator,
                                static_cast<long>(tod.hours().count()),
                                static_cast<long>(tod.minutes().count()),
                                static_cast<long>(tod.seconds().count()),
                                static_cast<long>(tod.subseconds().count()), suffix);
    return std::string(buffer, static_cast<std::size_t>(n));
}

// Reads exactly `width` decimal digits at `pos`; advances `pos` on success.
std::optional<int> read_digits(std::string_view text, std::size_t& pos, std::size_t width) {
    if (pos + width > text.size()) return std::nullopt;
    int value = 0;
    for (std::size_t i = 0; i < width; ++i) {
        const char c = text[pos + i];
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    pos += width;
    return value;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
    if (pos >= text.size() || text[pos] != c) return false;
    ++pos;
    return true;
}

}  // namespace

TimeRange whole_utc_days(std::chrono::year_month_day first, std::chrono::year_month_day last) {
    const Timestamp from{std::chrono::sys_days{first}};
    const Timestamp next_day{std::chrono::sys_days{last} + days{1}};
    return {from, next_day - microseconds{1}};
}

std::string format_rfc3339(Timestamp at) {
    return format_with(at, 'T', "Z");
}

std::string format_db_time(Timestamp at) {
    return format_with(at, ' ', "");
}

std::optional<Timestamp> parse_db_time(std::string_view text) {
    std::size_t pos = 0;
    const auto year = read_digits(text, pos, 4);
    if (!year || !expect(text, pos, '-')) return std::nullopt;
    const auto month = read_digits(text, pos, 2);
    if (!month || !expect(text, pos, '-')) return std::nullopt;
    const auto day = read_digits(text, pos, 2);
    if (!day || !expect(text, pos, ' ')) return std::nullopt;
    const auto hour = read_digits(text, pos, 2);
    if (!hour || !expect(text, pos, ':')) return std::nullopt;
    const auto minute = read_digits(text, pos, 2);
    if (!minute || !expect(text, pos, ':')) return std::nullopt;
    const auto second = read_digits(text, pos, 2);
    if (!second) return std::nullopt;

    long micros = 0;
    if (pos < text.size()) {
        if (!expect(text, pos, '.')) return std::nullopt;
        const std::size_t digits = text.size() - pos;
        if (digits == 0 || digits > 6) return std::nullopt;
        const auto fraction = read_digits(text, pos, digits);
        if (!fraction) return std::nullopt;
        micros = *fraction;
        for (std::size_t i = digits; i < 6; ++i) micros *= 10;
    }

    const std::chrono::year_month_day ymd{std::chrono::year{*year},
                                          std::chrono::month{static_cast<unsigned>(*month)},
                                          std::chrono::day{static_cast<unsigned>(*day)}};
    if (!ymd.ok() || *hour > 23 || *minute > 59 || *second > 59) return std::nullopt;
    return Timestamp{std::chrono::sys_days{ymd}} + std::chrono::hours{*hour} +
           std::chrono::minutes{*minute} + std::chrono::seconds{*second} + microseconds{micros};
}

Timestamp now_utc() {
    return std::chrono::floor<microseconds>(std::chrono::system_clock::now());
}

}  // namespace backupd::core
