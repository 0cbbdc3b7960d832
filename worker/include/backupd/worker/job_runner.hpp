#pragma once
// Running one claimed attempt of a job to its end (docs/design.md section 5), by kind: a backup
// copies into staging and commits the snapshot; a restore copies from a snapshot into the
// restore root (or the source folder, in place); a verify re-reads a snapshot against its
// manifest; a prune removes snapshots a plan's retention lets go (or one snapshot). A heartbeat
// keeps the lease meanwhile (every claim.lease/3), then the outcome is recorded.
//
// The lease is the authority: a heartbeat or finish that no longer takes effect means another
// worker owns the job now, so this one stops, deletes its staging copy (or its renamed
// snapshot) and never finalizes. Thread-safe: one runner serves all the workers of a pool.

#include <chrono>
#include <functional>
#include <stop_token>
#include <string_view>

#include "backupd/copy/snapshot.hpp"
#include "backupd/core/job.hpp"
#include "backupd/core/job_queue.hpp"
#include "backupd/core/plans.hpp"
#include "backupd/core/snapshots.hpp"

namespace backupd::worker {

class BackupRootWatch;

// The records a prune needs, borrowed: which snapshots a folder has (and their pruning steps)
// and the plans whose retention it applies. Null: prune jobs fail with internal_error.
struct RunnerCatalogs {
    core::SnapshotCatalog* snapshots = nullptr;
    core::PlanStore* plans = nullptr;
};

struct RunnerOptions {
    // Threads copying one snapshot's files (see copy::CopyOptions::threads).
    unsigned copy_threads = 4;
    // How long a finish whose outcome is unknown (the database went away) is retried before the
    // attempt is left to the reaper.
    std::chrono::milliseconds finish_retry{std::chrono::seconds{30}};
    RunnerCatalogs catalogs;
    // Told of each backup that fails on the backup root and of each committed snapshot, for
    // /readyz and /metrics (borrowed; null: nobody watches).
    BackupRootWatch* root_watch = nullptr;
};

// The directories jobs work in, borrowed. Backups read `sources` and write snapshots into
// `backups`; restores read snapshots and write beneath `restores` (in place: beneath
// `sources`); verifies read snapshots; prunes remove them.
struct RunnerRoots {
    const copy::BackupRoot& backups;
    int sources = -1;
    int restores = -1;  // -1: restores into the restore root fail
};

enum class RunOutcome {
    succeeded,  // done and recorded (a backup's snapshot committed)
    failed,     // recorded as failed (with its one audit record), or queued for a retry
    released,   // given back to the queue (shutdown)
    abandoned,  // lease lost, or the outcome could not be recorded: nothing finalized here
};

class JobRunner {
public:
    // Borrows everything.
    JobRunner(core::JobQueue& queue, RunnerRoots roots, RunnerOptions options);

    // Runs `claim` to its end. A stop request on `shutdown` discards the copy and releases the
    // job. Never throws for a job's own failures; they are recorded on the job.
    RunOutcome run(const core::Claim& claim, const std::stop_token& shutdown);

private:
    RunOutcome run_backup(const core::Claim& claim, const std::stop_token& shutdown);
    RunOutcome run_restore(const core::Claim& claim, const std::stop_token& shutdown);
    RunOutcome run_verify(const core::Claim& claim, const std::stop_token& shutdown);
    RunOutcome run_prune(const core::Claim& claim, const std::stop_token& shutdown);

    // Whether a terminal outcome reached the database.
    enum class Recorded { yes, lease_lost, unknown };
    Recorded record(const core::Claim& claim, const core::JobOutcome& outcome);
    RunOutcome record_failure(const core::Claim& claim, const core::JobOutcome& outcome);
    // A backup's success: the snapshot is removed again if the lease was lost.
    RunOutcome record_snapshot(const core::Claim& claim, const core::JobOutcome& outcome);
    // A restore's, verify's or prune's success.
    RunOutcome record_success(const core::Claim& claim, const core::JobOutcome& outcome);
    // Gives the job back after a stop: released at shutdown, abandoned if the lease was lost.
    RunOutcome give_back(const core::Claim& claim, bool lease_lost);

    core::JobQueue& queue_;
    const RunnerRoots roots_;
    const RunnerOptions options_;
};

}  // namespace backupd::worker
