#pragma once
// Running one claimed attempt of a job to its end (docs/design.md section 5): copy into staging
// while a heartbeat keeps the lease (every claim.lease/3), then commit the snapshot and record
// the outcome.
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

namespace backupd::worker {

struct RunnerOptions {
    // Threads copying one snapshot's files (see copy::CopyOptions::threads).
    unsigned copy_threads = 4;
    // How long a finish whose outcome is unknown (the database went away) is retried before the
    // attempt is left to the reaper.
    std::chrono::milliseconds finish_retry{std::chrono::seconds{30}};
};

enum class RunOutcome {
    succeeded,  // snapshot committed and recorded
    failed,     // recorded as failed (with its one audit record), or queued for a retry
    released,   // given back to the queue (shutdown)
    abandoned,  // lease lost, or the outcome could not be recorded: nothing finalized here
};

class JobRunner {
public:
    // Borrows everything; `source_root` is an open directory descriptor.
    JobRunner(core::JobQueue& queue, const copy::BackupRoot& backup_root, int source_root,
              RunnerOptions options);

    // Runs `claim` to its end. A stop request on `shutdown` discards the copy and releases the
    // job. Never throws for a job's own failures; they are recorded on the job.
    RunOutcome run(const core::Claim& claim, const std::stop_token& shutdown);

private:
    // Whether a terminal outcome reached the database.
    enum class Recorded { yes, lease_lost, unknown };
    Recorded record(const core::Claim& claim, const core::JobOutcome& outcome);
    RunOutcome record_failure(const core::Claim& claim, const core::JobOutcome& outcome);
    RunOutcome record_success(const core::Claim& claim, const core::JobOutcome& outcome);
    RunOutcome give_back(const core::Claim& claim);

    core::JobQueue& queue_;
    const copy::BackupRoot& backup_root_;
    const int source_root_;
    const RunnerOptions options_;
};

}  // namespace backupd::worker
