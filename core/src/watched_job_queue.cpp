#include "backupd/core/watched_job_queue.hpp"

namespace backupd::core {

Job WatchedJobQueue::enqueue(const NewJob& job) {
    return queue_.enqueue(job);
}

std::vector<Job> WatchedJobQueue::enqueue_batch(const std::vector<NewJob>& jobs) {
    return queue_.enqueue_batch(jobs);
}

std::optional<Claim> WatchedJobQueue::claim(const LeaseOwner& owner) {
    return queue_.claim(owner);
}

bool WatchedJobQueue::heartbeat(const Claim& claim, const Progress& progress) {
    return queue_.heartbeat(claim, progress);
}

bool WatchedJobQueue::finish(const Claim& claim, const JobOutcome& outcome) {
    const bool finished = queue_.finish(claim, outcome);
    if (finished) watch_.notify(claim.job.id);
    return finished;
}

bool WatchedJobQueue::release(const Claim& claim) {
    const bool released = queue_.release(claim);
    if (released) watch_.notify(claim.job.id);
    return released;
}

CancelResult WatchedJobQueue::cancel(JobId id) {
    const CancelResult result = queue_.cancel(id);
    if (result == CancelResult::cancelled) watch_.notify(id);
    return result;
}

ReapResult WatchedJobQueue::reap_expired(std::size_t limit) {
    return notified(queue_.reap_expired(limit));
}

ReapResult WatchedJobQueue::expire_previous_incarnations(const LeaseOwner& current) {
    return notified(queue_.expire_previous_incarnations(current));
}

std::optional<Job> WatchedJobQueue::find(JobId id) {
    return queue_.find(id);
}

JobPage WatchedJobQueue::list(const JobFilter& filter) {
    return queue_.list(filter);
}

Stats WatchedJobQueue::stats() {
    return queue_.stats();
}

std::vector<DayCounts> WatchedJobQueue::daily_counts(JobKind kind, TimeRange finished) {
    return queue_.daily_counts(kind, finished);
}

// The reaper does not say which jobs it touched: wake every waiter to look.
ReapResult WatchedJobQueue::notified(ReapResult result) {
    if (result.requeued + result.failed > 0) watch_.notify_all();
    return result;
}

}  // namespace backupd::core
