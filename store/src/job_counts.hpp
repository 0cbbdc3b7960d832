#pragma once
// Job counts by kind and state, kept in the table job_counts by the transaction of every change
// of a job's state (docs/design.md section 4), so GET /api/v1/stats and /metrics read a few
// dozen rows instead of every job ever run. Beside them, in snapshot_counts, the whole
// snapshots per folder that /metrics shows, kept by the transactions that make one (a backup's
// success) and that take one away (a prune choosing it).
//
// Rows are (slot, kind, state) -> jobs, bytes_copied, summed over the slots on read. Each
// transaction writes its changes to one slot chosen at random, so concurrent workers seldom wait
// on one row, and in key order, so two transactions on the same slot never deadlock on them.
// A running job's bytes_copied changes with every heartbeat: its bytes count from the moment it
// leaves `running` (the state's rows hold none; readers add the few running jobs' bytes).

#include <map>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <soci/soci.h>

#include "backupd/core/job.hpp"
#include "backupd/core/stats.hpp"
#include "connection_pool.hpp"
#include "dialect.hpp"
#include "transaction.hpp"

namespace backupd::store {

// The changes one transaction makes to the counts, written by apply() before it commits.
class JobCountChanges {
public:
    // A job was created in `state` (queued, or failed when rejected), with no bytes.
    void created(core::JobKind kind, core::JobState state);
    // A job moved from one state to another; *_bytes are its bytes_copied before and after.
    void moved(core::JobKind kind, core::JobState from, long long from_bytes, core::JobState to,
               long long to_bytes);
    // A whole snapshot of `folder` was made (+1) or chosen by a prune (-1).
    void snapshots(const std::string& folder, long long change);
    // Writes the changes (nothing when there are none): the job counts into one slot, in key
    // order, then the snapshot counts in folder key order.
    void apply(soci::session& sql, const Dialect& dialect) const;

private:
    struct Change {
        long long jobs = 0;
        long long bytes = 0;
    };
    void add(core::JobKind kind, core::JobState state, long long jobs, long long bytes);
    std::map<std::pair<std::string, std::string>, Change> changes_;
    std::map<std::string, std::pair<std::string, long long>> snapshots_;  // key -> folder, change
};

// Runs body(sql, changes) in one write transaction (in_transaction's retry rules), writing the
// job count changes it recorded before the COMMIT. Every write that creates a job or changes a
// job's state runs in one.
template <typename Body>
auto in_counted_transaction(ConnectionPool& pool, const Dialect& dialect, Body&& body)
    -> std::invoke_result_t<Body&, soci::session&, JobCountChanges&> {
    using Result = std::invoke_result_t<Body&, soci::session&, JobCountChanges&>;
    return in_transaction(pool, dialect, [&](soci::session& sql) -> Result {
        JobCountChanges changes;
        if constexpr (std::is_void_v<Result>) {
            body(sql, changes);
            changes.apply(sql, dialect);
        } else {
            Result result = body(sql, changes);
            changes.apply(sql, dialect);
            return result;
        }
    });
}

// The counts kept in job_counts, with the running jobs' bytes added and the oldest queued job's
// submission: a few dozen rows and two index probes, however many jobs there are.
core::Stats counted_stats(soci::session& sql);

// The same figures counted from the jobs table itself (a scan of every job).
core::Stats scanned_stats(soci::session& sql);

// Whole snapshots per folder (those with any), ordered by folder, from snapshot_counts.
std::vector<std::pair<std::string, std::int64_t>> counted_snapshots(soci::session& sql);

}  // namespace backupd::store
