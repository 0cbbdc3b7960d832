#include "backupd/core/schedule.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include "cron_fields.hpp"

namespace backupd::core {

using namespace std::chrono;

namespace {

// Longer schedule text is refused: nothing legitimate needs it, and error messages quote it.
constexpr std::size_t kMaxTextLength = 200;

// A duration above this is treated as an overflow: it keeps every due-time sum far inside
// Timestamp's range (about +-292,000 years of microseconds).
constexpr seconds kMaxDuration = days{36525};  // 100 years

// parse() refuses an expression with no due day in this span from a fixed date. Every
// expression that can fire at all fires within 8 years (the 29th of February skips 2100), so
// this only catches the impossible ones (the 31st of February, the 31st of April).
constexpr days kNeverFiresSpan{28 * 365 + 7};
constexpr local_days kNeverFiresFrom{year{2000} / January / 1};

// next_after searches at most this far; a parsed schedule always fires well within it.
constexpr days kSearchSpan{29 * 366};

// next_after answers Timestamp::max() ("never") from this instant on, and searches from this
// floor for earlier ones, so the calendar arithmetic stays far from overflow.
constexpr sys_days kLatestAfter{year{9999} / January / 1};
constexpr sys_days kEarliestSearch{year{1900} / January / 1};

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_space(char c) {
    return c == ' ' || c == '\t';
}

std::vector<std::string_view> split_on_spaces(std::string_view text) {
    std::vector<std::string_view> words;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && is_space(text[i])) ++i;
        const auto start = i;
        while (i < text.size() && !is_space(text[i])) ++i;
        if (i > start) words.push_back(text.substr(start, i - start));
    }
    return words;
}

}  // namespace

std::optional<seconds> parse_duration(std::string_view text) {
    // Units in decreasing order, each at most once: "1d12h" and "90m", not "30m1h".
    static constexpr std::array<std::pair<char, long long>, 4> kUnits = {
        {{'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1}}};
    if (text.empty()) return std::nullopt;
    long long total = 0;
    std::size_t next_unit = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        const auto start = i;
        while (i < text.size() && is_digit(text[i])) ++i;
        if (i == start || i == text.size() || i - start > 12) return std::nullopt;
        long long count = 0;
        std::from_chars(text.data() + start, text.data() + i, count);
        const char unit = text[i++];
        while (next_unit < kUnits.size() && kUnits[next_unit].first != unit) ++next_unit;
        if (next_unit == kUnits.size()) return std::nullopt;
        // count < 10^12 and the unit <= 86400: the product fits in 64 bits.
        total += count * kUnits[next_unit].second;
        ++next_unit;
        if (total > kMaxDuration.count()) return std::nullopt;
    }
    if (total <= 0) return std::nullopt;
    return seconds{total};
}

std::variant<Schedule, std::string> Schedule::parse(std::string_view text, const TimeZone& zone) {
    if (text.size() > kMaxTextLength) {
        return "schedule is longer than " + std::to_string(kMaxTextLength) + " characters";
    }
    for (const char c : text) {
        if (!(c >= ' ' && c <= '~') && c != '\t') {
            return std::string("schedule may contain only printable ASCII characters");
        }
    }
    const auto words = split_on_spaces(text);
    if (words.empty()) return std::string("schedule is empty");

    Schedule schedule;
    schedule.text_ = std::string(text);
    schedule.zone_ = zone;

    std::vector<std::string_view> fields = words;
    if (words.front().starts_with('@')) {
        if (cron::equals_ignoring_case(words.front(), "@every")) {
            if (words.size() == 1)
                return std::string("@every needs a duration, such as @every 15m");
            // The rest as one piece, so "@every 1h 30m" is refused rather than read as "1h".
            const auto rest_start = words[1].data() - text.data();
            const auto rest_end = words.back().data() + words.back().size() - text.data();
            const auto rest = text.substr(static_cast<std::size_t>(rest_start),
                                          static_cast<std::size_t>(rest_end - rest_start));
            const auto every = parse_duration(rest);
            if (!every) {
                return "'" + std::string(rest) +
                       "' is not a duration: use whole numbers with s, m, h or d, such as 1h30m";
            }
            schedule.every_ = every;
            return schedule;
        }
        const auto expanded = cron::expand_macro(words.front());
        if (expanded.empty()) return "unknown macro " + std::string(words.front());
        if (words.size() > 1) return std::string(words.front()) + " takes nothing after it";
        fields = split_on_spaces(expanded);
    }
    if (fields.size() != 5) {
        return "expected 5 fields, got " + std::to_string(fields.size());
    }

    const std::array<std::pair<cron::Field, std::vector<bool>*>, 5> targets = {{
        {cron::Field::minute, &schedule.minutes_},
        {cron::Field::hour, &schedule.hours_},
        {cron::Field::day_of_month, &schedule.days_of_month_},
        {cron::Field::month, &schedule.months_},
        {cron::Field::day_of_week, &schedule.days_of_week_},
    }};
    for (std::size_t i = 0; i < targets.size(); ++i) {
        const auto& [field, allowed] = targets[i];
        if (auto message = cron::parse_field(fields[i], field, *allowed)) return *message;
    }
    // As Vixie cron and cronie: a day field whose text starts with `*` (`*`, `*/2`) is
    // unrestricted, so a crontab line copied here fires on the same days; `1-31` restricts.
    schedule.day_of_month_restricted_ = !fields[2].starts_with('*');
    schedule.day_of_week_restricted_ = !fields[4].starts_with('*');

    const cron::Fields cron{schedule.minutes_,
                            schedule.hours_,
                            schedule.days_of_month_,
                            schedule.months_,
                            schedule.days_of_week_,
                            schedule.day_of_month_restricted_,
                            schedule.day_of_week_restricted_};
    if (!cron::next_match(cron, local_seconds{kNeverFiresFrom},
                          local_seconds{kNeverFiresFrom + kNeverFiresSpan})) {
        return "'" + std::string(text) + "' never fires";
    }
    return schedule;
}

Timestamp Schedule::next_after(Timestamp after) const {
    if (after >= kLatestAfter) return Timestamp::max();

    if (every_) {
        // Floor division, so an `after` before the epoch lands on the right multiple too.
        const long long secs = floor<seconds>(after).time_since_epoch().count();
        const long long every = every_->count();
        long long quotient = secs / every;
        if (secs % every != 0 && secs < 0) --quotient;
        return Timestamp{seconds{(quotient + 1) * every}};
    }

    const cron::Fields cron{minutes_,
                            hours_,
                            days_of_month_,
                            months_,
                            days_of_week_,
                            day_of_month_restricted_,
                            day_of_week_restricted_};
    // Due times are whole local minutes, so the search starts at the minute after `after`'s.
    const local_seconds start = after < kEarliestSearch
                                    ? floor<minutes>(zone_.to_local(Timestamp{kEarliestSearch}))
                                    : floor<minutes>(zone_.to_local(after)) + minutes{1};
    local_seconds t = start;
    const local_seconds limit = start + kSearchSpan;
    while (const auto local = cron::next_match(cron, t, limit)) {
        // A local time the clocks skip has no instant: skipped. A repeated one maps to its
        // first occurrence; when `after` is already past that, it is not due again.
        if (const auto at = zone_.to_utc(*local); at && *at > after) return *at;
        t = *local + minutes{1};
    }
    return Timestamp::max();  // unreachable for a schedule parse() accepted
}

}  // namespace backupd::core
