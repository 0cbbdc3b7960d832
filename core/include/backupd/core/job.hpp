#pragma once
// A job is queued work of one kind: back up a folder, restore from a snapshot, verify a
// snapshot against its manifest, or prune snapshots (a plan's retention, or one snapshot). An
// attempt is one run of it; a claim is a worker's lease on it for that attempt. A snapshot's id is
// the id of the backup job that made it.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backupd/core/error.hpp"
#include "backupd/core/time.hpp"

namespace backupd::core {

using JobId = std::int64_t;

enum class JobState { queued, running, succeeded, failed, cancelled };

std::string_view to_string(JobState state);
std::optional<JobState> parse_job_state(std::string_view text);
bool is_terminal(JobState state);

enum class JobKind { backup, restore, verify, prune };

std::string_view to_string(JobKind kind);
std::optional<JobKind> parse_job_kind(std::string_view text);

// What a restore does with a file that already exists at the target.
enum class Overwrite {
    never,       // an existing file is an error, and then nothing at all is written
    if_changed,  // replaced when size, mtime or mode differ; equal ones are left alone
    always,
};

std::string_view to_string(Overwrite overwrite);  // "never", "if-changed", "always"
std::optional<Overwrite> parse_overwrite(std::string_view text);

// What a restore job restores. Paths and target are checked (core/snapshot_paths.hpp) before
// the job is queued.
struct RestoreSpec {
    std::vector<std::string> paths;  // relative to the snapshot; empty: the whole snapshot
    // Relative to the restore root; for an in-place restore, the folder itself (relative to the
    // source root).
    std::string target;
    Overwrite overwrite = Overwrite::never;
    bool in_place = false;

    bool operator==(const RestoreSpec&) const = default;
};

// What a verify job found: counts of entries compared with the snapshot's manifest and the
// first paths that differ (at most kMaxReportedPaths).
struct VerifyReport {
    static constexpr std::size_t kMaxReportedPaths = 100;
    std::int64_t checked = 0;     // entries found equal
    std::int64_t mismatched = 0;  // content, size, type, mode or link target differ
    std::int64_t missing = 0;     // in the manifest, not on disk
    std::int64_t extra = 0;       // on disk, not in the manifest
    std::vector<std::string> paths;

    bool intact() const { return mismatched == 0 && missing == 0 && extra == 0; }
    bool operator==(const VerifyReport&) const = default;
};

// The record of what a snapshot should contain: the digest over its whole manifest.
struct ManifestSummary {
    std::string algorithm;  // "xxh3-128"
    std::string digest;     // lowercase hex

    bool operator==(const ManifestSummary&) const = default;
};

// What a prune job did: snapshots removed, and snapshots of the folder left on disk.
struct PruneReport {
    std::int64_t removed = 0;
    std::int64_t kept = 0;

    bool operator==(const PruneReport&) const = default;
};

// Why a job failed: a code from the one vocabulary (error.hpp) and a human message, which
// names the subject (the folder, the file) but never a server path.
struct JobError {
    ErrorCode code = ErrorCode::internal_error;
    std::string message;

    bool operator==(const JobError&) const = default;
};

// What a running copy has done so far; totals are known once the source has been walked.
struct Progress {
    std::int64_t files_copied = 0;
    std::int64_t files_linked = 0;
    std::int64_t bytes_copied = 0;
    std::optional<std::int64_t> files_total;
    std::optional<std::int64_t> bytes_total;
};

struct Job {
    JobId id = 0;
    JobKind kind = JobKind::backup;
    // Backup: the folder as submitted (UTF-8). Restore, verify, prune: the snapshot's (or the
    // plan's) folder (empty when the snapshot is unknown). Jobs of one folder never run at the same
    // time.
    std::string folder;
    JobState state = JobState::queued;
    int attempt = 0;  // incremented by each claim: the fencing token
    int max_attempts = 0;
    std::optional<std::string> lease_owner;  // node id of the current claim
    std::optional<Timestamp> lease_expires_at;
    std::optional<Timestamp> heartbeat_at;
    Timestamp submitted_at{};
    std::optional<Timestamp> started_at;  // start of the latest attempt
    std::optional<Timestamp> finished_at;
    // Set while a failed attempt waits to be retried: no claim takes the job before then.
    std::optional<Timestamp> retry_at;
    Progress progress;
    // Backup: the snapshot it made, relative to the backup root. Restore, verify: the snapshot
    // read, as that backup recorded it.
    std::optional<std::string> snapshot;
    std::optional<JobId> snapshot_id;    // restore, verify, one-snapshot prune: the snapshot's id
    std::optional<RestoreSpec> restore;  // restore only
    std::optional<ManifestSummary> manifest;  // a backup's snapshot manifest, once made
    std::optional<VerifyReport> verify;       // a verify job's findings, once ended
    std::optional<PruneReport> prune;         // a prune job's result, once succeeded
    // The plan that made the job (a backup it fired or ran by hand, or its prune), and for a
    // fired run the due time it stands for.
    std::optional<std::string> plan;
    std::optional<Timestamp> scheduled_for;
    std::optional<JobError> error;
    std::optional<std::string> batch_id;
    std::optional<std::string> node;  // the node that must run it, if any
    std::optional<std::string> client_address;
};

// A request to create a job. With `rejection` set, the job is created already `failed`
// (a bad name, no such directory), so statistics and the audit log always agree.
struct NewJob {
    std::string folder;
    JobKind kind = JobKind::backup;
    std::optional<JobId> snapshot_id;  // restore and verify
    std::optional<std::string>
        snapshot;                        // restore and verify: the snapshot's path (Snapshot::path)
    std::optional<RestoreSpec> restore;  // restore
    std::optional<std::string> plan;     // backup or prune made for a plan
    std::optional<Timestamp> scheduled_for;  // a fired run: its due time
    int max_attempts = 3;
    std::optional<std::string> node;
    std::optional<std::string> batch_id;
    std::optional<std::string> client_address;
    std::optional<JobError> rejection;
};

// Who holds a claim: a node, in one incarnation (one run of the daemon). A restarted node has a
// new incarnation and expires the leases of its previous ones.
struct LeaseOwner {
    std::string node;
    std::string incarnation;
};

// A worker's lease on one attempt of a job. Every write after the claim is fenced on
// (job id, state running, owner, attempt) and reports whether it took effect.
struct Claim {
    Job job;
    LeaseOwner owner;
    // How long the claim lives without a heartbeat, as the queue decided it; each heartbeat
    // extends it by as much again. The worker heartbeats every lease/3.
    std::chrono::milliseconds lease{0};
};

// How an attempt ended, as the worker reports it.
struct JobOutcome {
    JobState state = JobState::succeeded;  // succeeded or failed
    Progress progress;
    std::optional<std::string> snapshot;      // backup: the snapshot committed
    std::optional<ManifestSummary> manifest;  // backup: its manifest
    // Verify: the findings. Finishing a verify job also sets its snapshot's verify state: `ok`
    // when it succeeded, `failed` when it failed with verify_mismatch (other failures, such as
    // an unreadable disk, leave the state as it was).
    std::optional<VerifyReport> verify;
    std::optional<PruneReport> prune;  // prune: what it removed and kept
    std::optional<JobError> error;
};

}  // namespace backupd::core
