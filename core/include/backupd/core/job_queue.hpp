#pragma once
// The job queue port: the only way workers and handlers touch jobs.
//
// Thread-safety: implementations are safe to call from any number of threads at once; each call
// is one short transaction. Calls block on the database: never make them on an HTTP I/O thread.
// Failures the caller cannot act on are thrown as core::Error (kind transient when the database
// is unreachable); expected outcomes (a lost lease, no job to claim) are return values.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "backupd/core/daily_stats.hpp"
#include "backupd/core/job.hpp"
#include "backupd/core/stats.hpp"

namespace backupd::core {

struct JobFilter {
    std::optional<JobKind> kind;  // unset: every kind
    std::optional<JobState> state;
    std::optional<std::string> folder;
    std::optional<std::string> plan;
    std::optional<JobId> before;  // keyset cursor: jobs with a smaller id (newest first)
    std::size_t limit = 100;
};

struct JobPage {
    std::vector<Job> jobs;  // newest first
    std::optional<JobId> next;
};

enum class CancelResult { cancelled, not_found, already_finished };

struct ReapResult {
    std::size_t requeued = 0;
    std::size_t failed = 0;
};

class JobQueue {
public:
    virtual ~JobQueue() = default;

    // Creates a job (queued, or failed with its audit record when `rejection` is set).
    virtual Job enqueue(const NewJob& job) = 0;
    // Creates all the jobs in one transaction; the result is in request order.
    virtual std::vector<Job> enqueue_batch(const std::vector<NewJob>& jobs) = 0;

    // Claims the oldest queued job this node may run whose folder has no running job and whose
    // retry time, if any, has come. The claim carries the queue's lease. Returns nullopt when
    // there is none.
    virtual std::optional<Claim> claim(const LeaseOwner& owner) = 0;

    // Extends the lease to database now + claim.lease and records progress. False: the lease is
    // lost (expired and taken over, or the job was cancelled): stop, discard the staging copy,
    // never finalize.
    [[nodiscard]] virtual bool heartbeat(const Claim& claim, const Progress& progress) = 0;

    // Records how the attempt ended, in one transaction. True: it took effect, in one of two
    // ways:
    // - a failure whose code retries (core::retries) with attempts left (attempt <
    //   max_attempts) sends the job back to `queued`, keeping the error, with `retry_at` =
    //   database now + core::retry_backoff(attempt); no claim takes it before then, and no
    //   audit record is written (the job's outcome is not known yet);
    // - any other outcome is terminal (`succeeded` or `failed`) and writes the job's one audit
    //   record (`Backup`, `Restore`, `Verify` or `Prune` by kind); a verify outcome also sets
    //   its snapshot's verify state (see JobOutcome). A plan's backup that succeeds also queues,
    //   in the same transaction, a prune job for the plan when its retention has rules.
    // False: the lease was lost and nothing changed.
    [[nodiscard]] virtual bool finish(const Claim& claim, const JobOutcome& outcome) = 0;

    // Gives the job back to the queue unfinished (graceful shutdown). The attempt stays counted.
    [[nodiscard]] virtual bool release(const Claim& claim) = 0;

    // Cancels a queued or running job. A running job's worker learns it at its next heartbeat.
    virtual CancelResult cancel(JobId id) = 0;

    // Requeues running jobs whose lease expired, or fails them (with their one audit
    // record) once their attempts are exhausted. Handles at most `limit` jobs per call.
    virtual ReapResult reap_expired(std::size_t limit) = 0;

    // At start-up: ends the leases held by `current.node` under any other incarnation, then
    // reaps them, so a restarted node resumes its interrupted jobs at once.
    virtual ReapResult expire_previous_incarnations(const LeaseOwner& current) = 0;

    virtual std::optional<Job> find(JobId id) = 0;
    virtual JobPage list(const JobFilter& filter) = 0;

    // Counts by kind and state in one consistent read.
    virtual Stats stats() = 0;

    // The jobs of `kind` that ended (succeeded, failed, cancelled) with finished_at in
    // `finished`, counted per UTC day of finished_at, in one read. Only days with such jobs,
    // in any order.
    virtual std::vector<DayCounts> daily_counts(JobKind kind, TimeRange finished) = 0;
};

}  // namespace backupd::core
