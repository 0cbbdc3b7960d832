// SqlJobQueue's reads: one job, a filtered page of jobs, and the statistics (totals, from the kept
// counts, and per day).
// Each statement is beside the function that runs it (the page's is assembled from whole clauses);
// none differs between the dialects.
#include <limits>
#include <map>

#include "backupd/store/sql_job_queue.hpp"
#include "connection_pool.hpp"
#include "folder_key.hpp"
#include "job_counts.hpp"
#include "job_row.hpp"
#include "optional_values.hpp"
#include "statement.hpp"
#include "transaction.hpp"

namespace backupd::store {
namespace {

// One page of jobs, newest first. The four optional filters (kind, state, folder, plan) combine
// freely, so the statement is assembled from whole clauses rather than written out sixteen
// times.
// The keyset cursor is always bound: without one it is past the largest id.
constexpr char kListJobs[] = "SELECT " BACKUPD_JOB_COLUMNS " FROM jobs WHERE id < :before";
constexpr char kAndKind[] = " AND kind = :kind";
// With a folder or a plan, jobs_folder (folder_key, id) or jobs_plan (plan, id) is the index to
// walk: the unary + keeps SQLite, which has no statistics (nothing runs ANALYZE) and sees a tie,
// from taking jobs_kind instead (every backup of every folder). MariaDB picks the narrower
// index by its statistics either way.
constexpr char kAndKindInFolder[] = " AND +kind = :kind";
constexpr char kAndState[] = " AND state = :state";
constexpr char kAndFolder[] = " AND folder_key = :folder_key AND folder = :folder";
// Walks jobs_plan (plan, id); only the plan's jobs are read.
constexpr char kAndPlan[] = " AND plan = :plan";
constexpr char kNewestFirst[] = " ORDER BY id DESC LIMIT :limit";

std::string list_statement(const core::JobFilter& filter) {
    std::string text = kListJobs;
    if (filter.kind) text += filter.folder || filter.plan ? kAndKindInFolder : kAndKind;
    if (filter.state) text += kAndState;
    if (filter.folder) text += kAndFolder;
    if (filter.plan) text += kAndPlan;
    return text + kNewestFirst;
}

// The jobs of one kind that ended in a range, per UTC day and end state, in one statement over
// jobs_finished (kind, finished_at). SUBSTR gives the day in both dialects: SQLite stores the
// sortable text form and MySQL converts a DATETIME to that same text in a string function.
constexpr char kDailyCounts[] =
    "SELECT SUBSTR(finished_at, 1, 10), state, COUNT(*), COALESCE(SUM(bytes_copied), 0) "
    "FROM jobs WHERE kind = :kind AND finished_at >= :from AND finished_at <= :to "
    "AND state IN ('succeeded', 'failed', 'cancelled') "
    "GROUP BY SUBSTR(finished_at, 1, 10), state";

// "2026-12-01" as the database returns a day.
std::chrono::sys_days db_day(const std::string& text) {
    const auto at = core::parse_db_time(text + " 00:00:00");
    if (!at) {
        throw core::Error(core::ErrorCode::internal_error, "database error",
                          "a job has an unreadable finished_at day '" + text + "'");
    }
    return std::chrono::floor<std::chrono::days>(*at);
}

}  // namespace

std::vector<core::DayCounts> SqlJobQueue::daily_counts(core::JobKind kind,
                                                       core::TimeRange finished) {
    const std::string kind_text(core::to_string(kind));
    const std::string from = core::format_db_time(finished.from);
    const std::string to = core::format_db_time(finished.to);
    return in_read(database_.pool(), [&](soci::session& sql) {
        std::map<std::chrono::sys_days, core::DayCounts> by_day;
        std::string day, state;
        long long count = 0, bytes = 0;
        Statement statement(sql, kDailyCounts);
        statement.into(day).into(state).into(count).into(bytes);
        statement.use(kind_text, "kind").use(from, "from").use(to, "to");
        for (bool more = statement.first(); more; more = statement.next()) {
            const auto parsed_day = db_day(day);
            core::DayCounts& counts =
                by_day.try_emplace(parsed_day, core::DayCounts{parsed_day}).first->second;
            if (state == "succeeded") counts.succeeded += count;
            if (state == "failed") counts.failed += count;
            if (state == "cancelled") counts.cancelled += count;
            counts.bytes_copied += bytes;
        }
        std::vector<core::DayCounts> out;
        out.reserve(by_day.size());
        for (const auto& [unused, counts] : by_day) out.push_back(counts);
        return out;
    });
}

std::optional<core::Job> SqlJobQueue::find(core::JobId id) {
    return in_read(database_.pool(), [&](soci::session& sql) { return select_job(sql, id); });
}

core::JobPage SqlJobQueue::list(const core::JobFilter& filter) {
    if (filter.limit == 0) return {};
    const std::string kind = filter.kind ? std::string(core::to_string(*filter.kind)) : "";
    const std::string state = filter.state ? std::string(core::to_string(*filter.state)) : "";
    const std::string key = filter.folder ? folder_key(*filter.folder) : "";
    const long long before = filter.before.value_or(std::numeric_limits<long long>::max());
    // One row more than asked tells whether another page follows.
    const long long limit = static_cast<long long>(filter.limit) + 1;

    return in_read(database_.pool(), [&](soci::session& sql) {
        Statement statement(sql, list_statement(filter));
        JobRow row;
        row.bind_into(statement);
        if (filter.kind) statement.use(kind, "kind");
        if (filter.state) statement.use(state, "state");
        if (filter.folder) statement.use(key, "folder_key").use(*filter.folder, "folder");
        if (filter.plan) statement.use(*filter.plan, "plan");
        statement.use(before, "before").use(limit, "limit");
        core::JobPage page;
        for (bool more = statement.first(); more; more = statement.next()) {
            if (page.jobs.size() == filter.limit) {
                page.next = page.jobs.back().id;
                break;
            }
            page.jobs.push_back(row.to_job());
        }
        return page;
    });
}

// From the kept counts (job_counts.hpp), not the jobs table: a few dozen rows at any size.
core::Stats SqlJobQueue::stats() {
    return in_read(database_.pool(), [](soci::session& sql) { return counted_stats(sql); });
}

core::Stats SqlJobQueue::stats_from_jobs() {
    return in_read(database_.pool(), [](soci::session& sql) { return scanned_stats(sql); });
}

}  // namespace backupd::store
