#pragma once
// UTC instants with microsecond precision, and their two text forms: RFC 3339 for the API
// ("2026-11-24T14:05:23.123456Z") and the sortable database form ("2026-11-24 14:05:23.123456").

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace backupd::core {

using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

// An inclusive range of instants [from, to].
struct TimeRange {
    Timestamp from;
    Timestamp to;
};

// The whole UTC days from `first` to `last`, both included:
// first 00:00:00.000000 through last 23:59:59.999999.
TimeRange whole_utc_days(std::chrono::year_month_day first, std::chrono::year_month_day last);

// "2026-11-24T14:05:23.123456Z": always six fractional digits, always UTC.
std::string format_rfc3339(Timestamp at);

// "2026-11-24 14:05:23.123456": the form stored in and compared by the database. Its text order
// is its time order, which the SQLite store relies on.
std::string format_db_time(Timestamp at);

// Parses the database form; the fraction may have 0 to 6 digits (MySQL returns none for
// DATETIME(0)). Returns nullopt for anything else, including impossible dates.
std::optional<Timestamp> parse_db_time(std::string_view text);

// The current time, truncated to microseconds.
Timestamp now_utc();

}  // namespace backupd::core
