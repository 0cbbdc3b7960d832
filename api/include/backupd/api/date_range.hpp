#pragma once
// The `from`/`to` bounds of GET /api/v1/logs (docs/design.md section 7), parsed into an inclusive
// UTC range, with a 400 message naming the parameter when a bound is wrong. Thread-safety: pure
// functions and constants, safe from any thread.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "backupd/core/time.hpp"

namespace backupd::api {

// What an absent bound means, and the limits every bound is clamped to: no audit record lies
// outside them, and every store can hold them (MySQL DATETIME ends at year 9999; the text form
// SQLite compares needs four-digit years).
inline constexpr core::Timestamp kEarliestBound{
    std::chrono::sys_days{std::chrono::year{1970} / 1 / 1}};  // 1970-01-01T00:00:00.000000Z
inline constexpr core::Timestamp kLatestBound{
    std::chrono::sys_days{std::chrono::year{9999} / 12 / 31} + std::chrono::days{1} -
    std::chrono::microseconds{1}};  // 9999-12-31T23:59:59.999999Z

struct DateRangeResult {
    std::optional<core::TimeRange> range;  // nullopt when neither bound is given, or on error
    std::string error;                     // empty on success; fit for a 400 response
    bool ok() const noexcept { return error.empty(); }
};

// The parameter names error messages use: {"start", "end"} when the client used the aliases.
struct BoundNames {
    std::string_view from = "from";
    std::string_view to = "to";
};

// Each bound is either
// - "YYYY-MM-DD" (exactly 4-2-2 digits, a real calendar date), meaning whole UTC days: `from`
//   is the day's first microsecond, `to` its last (23:59:59.999999); or
// - an RFC 3339 instant, "2026-11-24T14:05:23Z": 'T' or 't', an optional fraction of 1 to 9
//   digits (truncated to microseconds), and 'Z', 'z' or "+HH:MM"/"-HH:MM" (converted to UTC).
//   Second 60 (a leap second) is accepted and read as :59.999999, the last instant we can
//   represent in that minute.
// An absent bound is kEarliestBound or kLatestBound. Errors: an empty or malformed bound, an
// impossible date or time (2026-02-30, 24:00:00), and from after to.
[[nodiscard]] DateRangeResult parse_date_range(std::optional<std::string_view> from,
                                               std::optional<std::string_view> to,
                                               BoundNames names = {});

// The whole-day range of GET /api/v1/stats/daily: each bound exactly "YYYY-MM-DD" (a real
// calendar date; no time), both days included. An absent `to` is `today`; an absent `from` is
// `to` minus (default_days - 1) days. Errors name the parameter: a malformed or impossible date,
// from after to, or more than `max_days` days.
struct DayRangeResult {
    std::chrono::sys_days from{};
    std::chrono::sys_days to{};
    std::string error;  // empty on success; fit for a 400 response
    bool ok() const noexcept { return error.empty(); }
};
[[nodiscard]] DayRangeResult parse_day_range(std::optional<std::string_view> from,
                                             std::optional<std::string_view> to,
                                             std::chrono::sys_days today, int default_days,
                                             int max_days);

}  // namespace backupd::api
