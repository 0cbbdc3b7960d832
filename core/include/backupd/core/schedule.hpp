#pragma once
// A plan's schedule: when it is due. Pure: no clock, no I/O; `now` is always a parameter.
//
// Accepted text:
// - five cron fields "minute hour day-of-month month day-of-week" with `*`, numbers, lists
//   (`1,15`), ranges (`1-5`), steps (`*/15`, `10-50/20`) and names (`jan`-`dec`, `sun`-`sat`,
//   case-insensitive); day-of-week 0-7 (0 and 7 are Sunday). When both day fields are
//   restricted (their text does not start with `*`) a day matches either (Vixie cron's rule);
// - `@hourly`, `@daily` (`@midnight`), `@weekly`, `@monthly`, `@yearly` (`@annually`);
// - `@every <duration>` (at least 1 s): due at every whole multiple of the duration since the
//   Unix epoch, so every daemon computes the same due times without shared state.
//
// Cron fields are wall-clock times in the plan's time zone. Daylight saving time: a local time
// that does not exist that day (clocks go forward) is skipped; one that occurs twice (clocks go
// back) is due once, at its first occurrence. `@every` counts real elapsed time and ignores
// the zone.
//
// Thread-safety: a Schedule is immutable after parse; share it freely.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "backupd/core/time.hpp"
#include "backupd/core/time_zone.hpp"

namespace backupd::core {

// "30s", "15m", "6h", "1d", or a sum of them ("1h30m"): a positive whole number of seconds.
// nullopt for anything else (no unit, a unit other than s m h d, zero, an overflow).
std::optional<std::chrono::seconds> parse_duration(std::string_view text);

class Schedule {
public:
    // The schedule of `text` in `zone`, or a message for a client that names the problem
    // ("minute 61 is out of range 0-59", "'* * 31 2 *' never fires", "unknown macro @often").
    // An expression that would never fire (no matching day within 28 years, such as the 31st of
    // February) is refused.
    static std::variant<Schedule, std::string> parse(std::string_view text, const TimeZone& zone);

    // The first due time strictly after `after`, truncated to whole seconds.
    Timestamp next_after(Timestamp after) const;

    const std::string& text() const { return text_; }

private:
    Schedule() = default;

    std::string text_;
    TimeZone zone_;
    std::optional<std::chrono::seconds> every_;  // @every; the fields below are then unused
    // One entry per allowed value of each cron field.
    std::vector<bool> minutes_, hours_, days_of_month_, months_, days_of_week_;
    bool day_of_month_restricted_ = false;
    bool day_of_week_restricted_ = false;
};

}  // namespace backupd::core
