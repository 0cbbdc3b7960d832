#include "backupd/api/date_range.hpp"

#include <algorithm>
#include <cstddef>

#include "backupd/core/daily_stats.hpp"
#include "quoted_excerpt.hpp"

namespace backupd::api {
namespace {

using namespace std::chrono;

constexpr char kExpected[] = "expected YYYY-MM-DD or an RFC 3339 time such as 2026-11-24T14:05:23Z";

enum class Side { from, to };
enum class Problem { none, shape, date, time };

struct Bound {
    core::Timestamp at{};
    Problem problem = Problem::none;
};

// Reads fixed-width fields left to right; every read fails past the end.
class Reader {
public:
    explicit Reader(std::string_view text) : text_(text) {}

    // Exactly `width` decimal digits (no sign, no space).
    std::optional<int> digits(std::size_t width) {
        if (pos_ + width > text_.size()) return std::nullopt;
        int value = 0;
        for (std::size_t i = 0; i < width; ++i) {
            const char c = text_[pos_ + i];
            if (c < '0' || c > '9') return std::nullopt;
            value = value * 10 + (c - '0');
        }
        pos_ += width;
        return value;
    }
    // One of `choices`; returns it, or '\0' when the next character is none of them.
    char one_of(std::string_view choices) {
        if (pos_ >= text_.size() || choices.find(text_[pos_]) == std::string_view::npos) {
            return '\0';
        }
        return text_[pos_++];
    }
    bool at_end() const { return pos_ == text_.size(); }

private:
    std::string_view text_;
    std::size_t pos_ = 0;
};

// The fraction after '.': 1 to 9 digits, truncated to microseconds; nullopt for anything else.
std::optional<microseconds> read_fraction(Reader& in) {
    long micros = 0;
    int count = 0;
    while (const auto digit = in.digits(1)) {
        if (++count > 9) return std::nullopt;
        if (count <= 6) micros = micros * 10 + *digit;
    }
    if (count == 0) return std::nullopt;
    for (int i = count; i < 6; ++i) micros *= 10;
    return microseconds{micros};
}

// The zone after the time: 'Z', 'z' or "+HH:MM"/"-HH:MM", as the offset to subtract.
struct Offset {
    minutes value{0};
    Problem problem = Problem::none;
};

Offset read_offset(Reader& in) {
    const char zone = in.one_of("Zz+-");
    if (zone == 'Z' || zone == 'z') return {};
    if (zone == '\0') return {minutes{0}, Problem::shape};
    const auto offset_hours = in.digits(2);
    if (!offset_hours || !in.one_of(":")) return {minutes{0}, Problem::shape};
    const auto offset_minutes = in.digits(2);
    if (!offset_minutes) return {minutes{0}, Problem::shape};
    if (*offset_hours > 23 || *offset_minutes > 59) return {minutes{0}, Problem::time};
    const minutes offset = hours{*offset_hours} + minutes{*offset_minutes};
    return {zone == '-' ? -offset : offset, Problem::none};
}

// The RFC 3339 part after the date: "THH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)".
Bound read_time(Reader& in, year_month_day date) {
    const Bound shape{{}, Problem::shape};
    if (!in.one_of("Tt")) return shape;
    const auto hour = in.digits(2);
    if (!hour || !in.one_of(":")) return shape;
    const auto minute = in.digits(2);
    if (!minute || !in.one_of(":")) return shape;
    const auto second = in.digits(2);
    if (!second) return shape;
    microseconds fraction{0};
    if (in.one_of(".")) {
        const auto read = read_fraction(in);
        if (!read) return shape;
        fraction = *read;
    }
    const Offset offset = read_offset(in);
    if (offset.problem == Problem::shape || !in.at_end()) return shape;
    if (!date.ok()) return {{}, Problem::date};
    if (offset.problem != Problem::none || *hour > 23 || *minute > 59 || *second > 60) {
        return {{}, Problem::time};
    }
    auto whole_seconds = seconds{*second};
    if (*second == 60) {  // a leap second: the last representable instant of the minute
        whole_seconds = seconds{59};
        fraction = microseconds{999999};
    }
    const core::Timestamp local = core::Timestamp{sys_days{date}} + hours{*hour} +
                                  minutes{*minute} + whole_seconds + fraction;
    return {local - offset.value, Problem::none};
}

Bound read_bound(std::string_view text, Side side) {
    Reader in(text);
    const Bound shape{{}, Problem::shape};
    const auto y = in.digits(4);
    if (!y || !in.one_of("-")) return shape;
    const auto m = in.digits(2);
    if (!m || !in.one_of("-")) return shape;
    const auto d = in.digits(2);
    if (!d) return shape;
    const year_month_day date{year{*y}, month{static_cast<unsigned>(*m)},
                              day{static_cast<unsigned>(*d)}};
    if (!in.at_end()) return read_time(in, date);
    if (!date.ok()) return {{}, Problem::date};
    const core::TimeRange whole_day = core::whole_utc_days(date, date);
    return {side == Side::from ? whole_day.from : whole_day.to, Problem::none};
}

std::string describe(std::string_view name, std::string_view text, Problem problem) {
    const std::string prefix = std::string(name) + ": ";
    switch (problem) {
        case Problem::date:
            return prefix + quoted_excerpt(text) + " is not a valid date; " + kExpected;
        case Problem::time:
            return prefix + quoted_excerpt(text) + " is not a valid time; " + kExpected;
        default:
            if (text.empty()) return prefix + "the value is empty; " + kExpected;
            return prefix + quoted_excerpt(text) + " is not a date or a time; " + kExpected;
    }
}

// "YYYY-MM-DD" alone, or the problem (a time after the date is a shape problem here).
struct Day {
    sys_days day{};
    Problem problem = Problem::none;
};

Day read_day(std::string_view text) {
    Reader in(text);
    const auto y = in.digits(4);
    const bool dash1 = y && in.one_of("-");
    const auto m = dash1 ? in.digits(2) : std::nullopt;
    const bool dash2 = m && in.one_of("-");
    const auto d = dash2 ? in.digits(2) : std::nullopt;
    if (!d || !in.at_end()) return {{}, Problem::shape};
    const year_month_day date{year{*y}, month{static_cast<unsigned>(*m)},
                              day{static_cast<unsigned>(*d)}};
    if (!date.ok()) return {{}, Problem::date};
    return {sys_days{date}, Problem::none};
}

std::string describe_day(std::string_view name, std::string_view text, Problem problem) {
    const std::string prefix = std::string(name) + ": ";
    if (text.empty()) return prefix + "the value is empty; expected YYYY-MM-DD";
    return prefix + quoted_excerpt(text) +
           (problem == Problem::date ? " is not a valid date" : " is not a date") +
           "; expected YYYY-MM-DD";
}

}  // namespace

DayRangeResult parse_day_range(std::optional<std::string_view> from,
                               std::optional<std::string_view> to, sys_days today, int default_days,
                               int max_days) {
    DayRangeResult out;
    out.to = today;
    if (to) {
        const Day day = read_day(*to);
        if (day.problem != Problem::none) return {{}, {}, describe_day("to", *to, day.problem)};
        out.to = day.day;
    }
    out.from = out.to - days{default_days - 1};
    if (from) {
        const Day day = read_day(*from);
        if (day.problem != Problem::none) return {{}, {}, describe_day("from", *from, day.problem)};
        out.from = day.day;
    }
    if (out.from > out.to) {
        const std::string to_text =
            to ? quoted_excerpt(*to) : "(today, " + core::format_day(today) + ")";
        return {{},
                {},
                "the range is reversed: from " + quoted_excerpt(*from) + " is after to " + to_text};
    }
    const auto span = (out.to - out.from).count() + 1;
    if (span > max_days) {
        return {{},
                {},
                "from: the range from " + core::format_day(out.from) + " to " +
                    core::format_day(out.to) + " spans " + std::to_string(span) +
                    " days; at most " + std::to_string(max_days)};
    }
    return out;
}

DateRangeResult parse_date_range(std::optional<std::string_view> from,
                                 std::optional<std::string_view> to, BoundNames names) {
    if (!from && !to) return {};
    core::TimeRange range{kEarliestBound, kLatestBound};
    if (from) {
        const Bound bound = read_bound(*from, Side::from);
        if (bound.problem != Problem::none) return {{}, describe(names.from, *from, bound.problem)};
        range.from = bound.at;
    }
    if (to) {
        const Bound bound = read_bound(*to, Side::to);
        if (bound.problem != Problem::none) return {{}, describe(names.to, *to, bound.problem)};
        range.to = bound.at;
    }
    if (from && to && range.from > range.to) {
        return {{},
                "the range is reversed: " + std::string(names.from) + " " + quoted_excerpt(*from) +
                    " (" + core::format_rfc3339(range.from) + ") is after " +
                    std::string(names.to) + " " + quoted_excerpt(*to) + " (" +
                    core::format_rfc3339(range.to) + ")"};
    }
    // After the check, so a reversed range is reported with the values the client sent.
    range.from = std::clamp(range.from, kEarliestBound, kLatestBound);
    range.to = std::clamp(range.to, kEarliestBound, kLatestBound);
    return {range, {}};
}

}  // namespace backupd::api
