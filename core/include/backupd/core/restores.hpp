#pragma once
// Restores and verifies as the API offers them: plain functions over the ports (no HTTP, no
// JSON), like core/backups.hpp. A request that names a snapshot always becomes a job: a refused
// one (unknown snapshot, bad path, bad target) is created `failed` with its one audit record
// (`Restore` or `Verify`), so the statistics and the audit log agree.
//
// Thread-safety: as the ports; they block, so never call them on an HTTP I/O thread.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "backupd/core/job.hpp"
#include "backupd/core/job_queue.hpp"
#include "backupd/core/snapshots.hpp"

namespace backupd::core {

struct SnapshotPorts {
    JobQueue& jobs;
    SnapshotCatalog& catalog;
    const SnapshotFiles& files;
    std::function<void()> job_queued = [] {};
};

struct RestoreRequest {
    JobId snapshot = 0;
    std::vector<std::string> paths;      // empty: the whole snapshot
    std::optional<std::string> target;   // unset: default_restore_target(folder, name)
    std::optional<Overwrite> overwrite;  // unset: never; an in-place restore requires it set
    bool in_place = false;
    std::optional<std::string> client_address;
    // Set when the caller has already refused the request (an unknown `overwrite` value or
    // field in a body that names a snapshot): the job is recorded failed with this error.
    std::optional<JobError> refusal;
};

struct SubmittedJob {
    Job job;
    bool rejected = false;  // created failed with its error and audit record; never runs
};

// Checks the snapshot (known to the catalog and still on disk: not_found), then the caller's
// refusal if any, every path (invalid_path; then, on disk, not_found when absent and
// symlink_in_path when a symbolic link lies on the way) and the target (invalid_path), and that
// an in-place restore names its overwrite policy and no target (invalid_request), then enqueues
// the restore job and wakes a local worker. The job's folder is the snapshot's, its target the
// default when unset (an in-place restore's target is the folder itself).
SubmittedJob submit_restore(const SnapshotPorts& ports, const RestoreRequest& request);

// Checks the snapshot as above, then enqueues a verify job and wakes a local worker.
SubmittedJob submit_verify(const SnapshotPorts& ports, JobId snapshot,
                           const std::optional<std::string>& client_address);

// The refusal of a request naming snapshot `id` that is unknown or gone from disk.
JobError no_such_snapshot(JobId id);

// The refusal to delete snapshot `id`, which is pinned (409).
JobError snapshot_is_pinned(JobId id);

// The refusal to delete snapshot `id` while a restore or verify of it is queued or running
// (409 conflict).
JobError snapshot_in_use(JobId id);

// The snapshot if the catalog knows it and its directory is still on disk.
std::optional<Snapshot> find_snapshot(const SnapshotPorts& ports, JobId id);

}  // namespace backupd::core
