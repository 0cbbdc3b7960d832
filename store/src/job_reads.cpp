// SqlJobQueue's reads: one job, a filtered page of jobs, and the statistics. Each statement is
// whole, beside the function that runs it; none differs between the dialects.
#include <array>
#include <limits>

#include "backupd/store/sql_job_queue.hpp"
#include "connection_pool.hpp"
#include "folder_key.hpp"
#include "job_row.hpp"
#include "optional_values.hpp"
#include "statement.hpp"
#include "transaction.hpp"

namespace backupd::store {
namespace {

// One page of jobs, newest first, for each combination of the optional filters (state,
// folder). The keyset cursor is always bound: without one it is past the largest id.
constexpr char kListAll[] =
    "SELECT " BACKUPD_JOB_COLUMNS " FROM jobs WHERE id < :before ORDER BY id DESC LIMIT :limit";
constexpr char kListByState[] =
    "SELECT " BACKUPD_JOB_COLUMNS
    " FROM jobs WHERE state = :state AND id < :before ORDER BY id DESC LIMIT :limit";
constexpr char kListByFolder[] = "SELECT " BACKUPD_JOB_COLUMNS
                                 " FROM jobs WHERE folder_key = :folder_key AND folder = :folder "
                                 "AND id < :before ORDER BY id DESC LIMIT :limit";
constexpr char kListByStateAndFolder[] =
    "SELECT " BACKUPD_JOB_COLUMNS
    " FROM jobs WHERE state = :state AND folder_key = :folder_key AND folder = :folder "
    "AND id < :before ORDER BY id DESC LIMIT :limit";

const char* list_statement(const core::JobFilter& filter) {
    if (filter.state && filter.folder) return kListByStateAndFolder;
    if (filter.state) return kListByState;
    if (filter.folder) return kListByFolder;
    return kListAll;
}

constexpr char kStats[] =
    "SELECT COUNT(*), "
    "COALESCE(SUM(CASE WHEN state = 'succeeded' THEN 1 ELSE 0 END), 0), "
    "COALESCE(SUM(CASE WHEN state = 'failed' THEN 1 ELSE 0 END), 0), "
    "COALESCE(SUM(CASE WHEN state = 'queued' THEN 1 ELSE 0 END), 0), "
    "COALESCE(SUM(CASE WHEN state = 'running' THEN 1 ELSE 0 END), 0), "
    "COALESCE(SUM(CASE WHEN state = 'cancelled' THEN 1 ELSE 0 END), 0), "
    "MIN(CASE WHEN state = 'queued' THEN submitted_at END), "
    "COALESCE(SUM(bytes_copied), 0) FROM jobs";

}  // namespace

std::optional<core::Job> SqlJobQueue::find(core::JobId id) {
    return in_read(database_.pool(), [&](soci::session& sql) { return select_job(sql, id); });
}

core::JobPage SqlJobQueue::list(const core::JobFilter& filter) {
    if (filter.limit == 0) return {};
    const std::string state = filter.state ? std::string(core::to_string(*filter.state)) : "";
    const std::string key = filter.folder ? folder_key(*filter.folder) : "";
    const long long before = filter.before.value_or(std::numeric_limits<long long>::max());
    // One row more than asked tells whether another page follows.
    const long long limit = static_cast<long long>(filter.limit) + 1;

    return in_read(database_.pool(), [&](soci::session& sql) {
        Statement statement(sql, list_statement(filter));
        JobRow row;
        row.bind_into(statement);
        if (filter.state) statement.use(state, "state");
        if (filter.folder) statement.use(key, "folder_key").use(*filter.folder, "folder");
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

core::Stats SqlJobQueue::stats() {
    return in_read(database_.pool(), [](soci::session& sql) {
        core::Stats stats;
        long long total = 0, succeeded = 0, failed = 0, queued = 0, running = 0, cancelled = 0;
        long long bytes = 0;
        boost::optional<std::string> oldest;
        sql << kStats, soci::into(total), soci::into(succeeded), soci::into(failed),
            soci::into(queued), soci::into(running), soci::into(cancelled), soci::into(oldest),
            soci::into(bytes);
        stats = {total, succeeded, failed, queued, running, cancelled};
        stats.oldest_queued_at = optional_db_time(oldest);
        stats.bytes_copied = bytes;
        return stats;
    });
}

}  // namespace backupd::store
