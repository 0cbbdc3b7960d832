#pragma once
// The five cron fields behind a Schedule: parsing each field's text, and finding the next local
// minute they allow. Internal to core: Schedule (schedule.hpp) is the contract.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace backupd::core::cron {

enum class Field { minute, hour, day_of_month, month, day_of_week };

// ASCII letters compared without case: names and macros.
bool equals_ignoring_case(std::string_view a, std::string_view b);

// The five fields a macro stands for ("@daily" -> "0 0 * * *"), or empty for an unknown one.
std::string_view expand_macro(std::string_view word);

// Sets `allowed` to one entry per value of the field (index = value; day-of-week 0-6, 7 folded
// into Sunday) from its text: `*`, numbers, names, lists, ranges and steps. On a mistake, a
// message for a client naming it ("minute 61 is out of range 0-59", "step 0 is not allowed").
std::optional<std::string> parse_field(std::string_view text, Field field,
                                       std::vector<bool>& allowed);

// The parsed fields, as a search sees them (references: the owner outlives the search).
struct Fields {
    const std::vector<bool>& minutes;
    const std::vector<bool>& hours;
    const std::vector<bool>& days_of_month;
    const std::vector<bool>& months;
    const std::vector<bool>& days_of_week;
    bool day_of_month_restricted;
    bool day_of_week_restricted;

    // Vixie cron's rule: when both day fields are restricted, a day matching either is due.
    bool day_matches(std::chrono::local_days day) const;
};

// The first local minute >= `from` (a whole minute) the fields allow, if one comes before
// `limit`. Skips whole months, days and hours that cannot match, so a search over years takes
// about one step per day, never one per minute.
std::optional<std::chrono::local_seconds> next_match(const Fields& fields,
                                                     std::chrono::local_seconds from,
                                                     std::chrono::local_seconds limit);

}  // namespace backupd::core::cron
