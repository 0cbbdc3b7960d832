#pragma once
// A job is queued work: back up one folder. An attempt is one run of it; a claim is a worker's
// lease on it for that attempt.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "backupd/core/error.hpp"
#include "backupd/core/time.hpp"

namespace backupd::core {

using JobId = std::int64_t;

enum class JobState { queued, running, succeeded, failed, cancelled };

std::string_view to_string(JobState state);
std::optional<JobState> parse_job_state(std::string_view text);
bool is_terminal(JobState state);

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
    std::string folder;  // relative name as submitted, UTF-8
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
    std::optional<std::string> snapshot;  // relative to the backup root
    std::optional<JobError> error;
    std::optional<std::string> batch_id;
    std::optional<std::string> node;  // the node that must run it, if any
    std::optional<std::string> client_address;
};

// A request to create a job. With `rejection` set, the job is created already `failed`
// (a bad name, no such directory), so statistics and the audit log always agree.
struct NewJob {
    std::string folder;
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
    std::optional<std::string> snapshot;
    std::optional<JobError> error;
};

}  // namespace backupd::core
