#pragma once
// Jobs that ended, counted per UTC day (GET /api/v1/stats/daily, the dashboard's 30-day chart).
// Plain values; the store fills them with one grouped query (JobQueue::daily_counts).

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "backupd/core/job.hpp"

namespace backupd::core {

// The jobs of one kind that ended on one UTC day (by finished_at), by how they ended, and the
// bytes they copied (a failed or cancelled backup's partial copy included).
struct DayCounts {
    std::chrono::sys_days day;
    std::int64_t succeeded = 0;
    std::int64_t failed = 0;
    std::int64_t cancelled = 0;
    std::int64_t bytes_copied = 0;
};

// Whole UTC days `from` to `to`, both included.
struct DailyStatsQuery {
    std::chrono::sys_days from;
    std::chrono::sys_days to;
    JobKind kind = JobKind::backup;
};

// The longest range a query may span, in days (a year, leap day included).
inline constexpr int kMaxDailyStatsDays = 366;

// Every day of `query` in order, oldest first: the day's entry of `counted` (days in any order,
// none outside the range), or zeros.
std::vector<DayCounts> every_day(const DailyStatsQuery& query,
                                 const std::vector<DayCounts>& counted);

// "2026-12-01"
std::string format_day(std::chrono::sys_days day);

}  // namespace backupd::core
