#include "backupd/copy/snapshot_layout.hpp"

#include <charconv>
#include <cstdio>

namespace backupd::copy {
namespace {

// A decimal number without sign or leading zero (so each value has one spelling).
template <typename Number>
std::optional<Number> parse_positive(std::string_view text) {
    if (text.empty() || text.front() < '1' || text.front() > '9') return std::nullopt;
    Number value{};
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::optional<int> digits(std::string_view text) {
    int value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

}  // namespace

std::string staging_name(std::int64_t job_id, int attempt) {
    return std::to_string(job_id) + "-" + std::to_string(attempt);
}

std::optional<StagingName> parse_staging_name(std::string_view name) {
    const std::size_t dash = name.find('-');
    if (dash == std::string_view::npos) return std::nullopt;
    const auto id = name.substr(0, dash) == "0"
                        ? std::optional<std::int64_t>(0)
                        : parse_positive<std::int64_t>(name.substr(0, dash));
    const auto attempt = parse_positive<int>(name.substr(dash + 1));
    if (!id || !attempt) return std::nullopt;
    return StagingName{*id, *attempt};
}

std::string snapshot_name(std::chrono::sys_seconds taken_at, std::int64_t job_id) {
    const auto day = std::chrono::floor<std::chrono::days>(taken_at);
    const std::chrono::year_month_day date{day};
    const std::chrono::hh_mm_ss time{taken_at - day};
    char text[64];
    std::snprintf(text, sizeof text, "%04d%02u%02uT%02d%02d%02dZ-%lld",
                  static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                  static_cast<unsigned>(date.day()), static_cast<int>(time.hours().count()),
                  static_cast<int>(time.minutes().count()),
                  static_cast<int>(time.seconds().count()), static_cast<long long>(job_id));
    return text;
}

std::optional<SnapshotName> parse_snapshot_name(std::string_view name) {
    // YYYYMMDDTHHMMSSZ-<id>: 16 characters, a dash, then the id.
    if (name.size() < 18 || name[8] != 'T' || name[15] != 'Z' || name[16] != '-') {
        return std::nullopt;
    }
    const auto year = digits(name.substr(0, 4));
    const auto month = digits(name.substr(4, 2));
    const auto day = digits(name.substr(6, 2));
    const auto hour = digits(name.substr(9, 2));
    const auto minute = digits(name.substr(11, 2));
    const auto second = digits(name.substr(13, 2));
    if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
    const std::string_view id_text = name.substr(17);
    const auto id =
        id_text == "0" ? std::optional<std::int64_t>(0) : parse_positive<std::int64_t>(id_text);
    if (!id) return std::nullopt;
    const std::chrono::year_month_day date{std::chrono::year{*year},
                                           std::chrono::month{static_cast<unsigned>(*month)},
                                           std::chrono::day{static_cast<unsigned>(*day)}};
    if (!date.ok() || *hour > 23 || *minute > 59 || *second > 59) return std::nullopt;
    const auto at = std::chrono::sys_days{date} + std::chrono::hours{*hour} +
                    std::chrono::minutes{*minute} + std::chrono::seconds{*second};
    return SnapshotName{std::chrono::sys_seconds{at}, *id};
}

}  // namespace backupd::copy
