#pragma once
// A JobQueue that tells a JobWatch about every change it makes: it forwards each call to the
// real queue and, once a call ended, cancelled, released or reaped jobs, notifies the watch. The
// daemon hands it to the workers and the API, so every change made on this node wakes the
// clients waiting for it.
//
// Thread-safety: as the queue it wraps; notifications run on the calling thread.

#include "backupd/core/job_queue.hpp"
#include "backupd/core/job_watch.hpp"

namespace backupd::core {

class WatchedJobQueue final : public JobQueue {
public:
    // Both must outlive this object.
    WatchedJobQueue(JobQueue& queue, JobWatch& watch) : queue_(queue), watch_(watch) {}

    Job enqueue(const NewJob& job) override;
    std::vector<Job> enqueue_batch(const std::vector<NewJob>& jobs) override;
    std::optional<Claim> claim(const LeaseOwner& owner) override;
    [[nodiscard]] bool heartbeat(const Claim& claim, const Progress& progress) override;
    [[nodiscard]] bool finish(const Claim& claim, const JobOutcome& outcome) override;
    [[nodiscard]] bool release(const Claim& claim) override;
    CancelResult cancel(JobId id) override;
    ReapResult reap_expired(std::size_t limit) override;
    ReapResult expire_previous_incarnations(const LeaseOwner& current) override;
    std::optional<Job> find(JobId id) override;
    JobPage list(const JobFilter& filter) override;
    Stats stats() override;
    std::vector<DayCounts> daily_counts(JobKind kind, TimeRange finished) override;

private:
    ReapResult notified(ReapResult result);

    JobQueue& queue_;
    JobWatch& watch_;
};

}  // namespace backupd::core
