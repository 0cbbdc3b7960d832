#pragma once
// Which snapshots of a folder a plan's retention keeps, and why: restic's rules, which users
// can predict. Pure: no clock, no I/O.
//
// - Rules are OR-ed: a snapshot kept by any rule is kept, and every rule that keeps it is listed.
// - keep_last N: the N newest.
// - keep_hourly/daily/weekly/monthly/yearly N: the newest snapshot of each of the N most recent
//   hours/days/ISO weeks/months/years *that have snapshots* (empty periods do not count), in the
//   plan's time zone.
// - keep_within D: every snapshot created within D of the newest one (not of now, so a stopped
//   schedule never empties the folder).
// - Always kept: the newest snapshot, pinned ones and ones in use (a restore or verify of them
//   is queued or running; the next prune looks again).
// - No rule at all (every count unset or 0, no keep_within): everything is kept. A count of 0
//   beside other rules keeps nothing by itself.
//
// Order: snapshots are ordered by created_at, newest first; ties by id, larger first.
//
// Reasons, in this order: "newest", "pinned", "in use", "last N" (N: the rule's count),
// "hourly 2026-11-24T14", "daily 2026-11-24", "weekly 2026-W48", "monthly 2026-11",
// "yearly 2026", "within 48h" (the rule's text), "no retention rules".

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "backupd/core/job.hpp"
#include "backupd/core/time.hpp"
#include "backupd/core/time_zone.hpp"

namespace backupd::core {

struct Retention {
    std::optional<std::int64_t> keep_last;
    std::optional<std::int64_t> keep_hourly;
    std::optional<std::int64_t> keep_daily;
    std::optional<std::int64_t> keep_weekly;
    std::optional<std::int64_t> keep_monthly;
    std::optional<std::int64_t> keep_yearly;
    // As given, checked by parse_duration, at most kMaxWithinChars (the column's width).
    std::optional<std::string> keep_within;
    static constexpr std::size_t kMaxWithinChars = 32;

    // True when no rule is set (a count of 0 is no rule, as in restic): nothing is ever pruned
    // by the plan.
    bool keeps_everything() const;
    bool operator==(const Retention&) const = default;
};

// A snapshot as retention sees it.
struct RetentionCandidate {
    JobId id = 0;
    std::string name;
    Timestamp created_at{};
    bool pinned = false;
    bool in_use = false;
};

struct RetentionDecision {
    JobId id = 0;
    std::string name;
    bool keep = true;
    std::vector<std::string> reasons;  // empty when removed

    bool operator==(const RetentionDecision&) const = default;
};

// One decision per candidate, newest first. `retention` has been checked (check_plan).
std::vector<RetentionDecision> apply_retention(std::vector<RetentionCandidate> candidates,
                                               const Retention& retention, const TimeZone& zone);

}  // namespace backupd::core
