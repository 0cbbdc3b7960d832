#pragma once
// An in-memory core::JobQueue for unit tests: no database, the same contract as the port for
// what handlers and application functions rely on (ids from 1, rejected jobs created failed,
// claims fenced on the attempt, cancel of an ended job refused). Leases never expire by
// themselves: tests call expire_lease(). Thread-safe (one mutex), so waiting tests may finish
// jobs from another thread.

#include <chrono>
#include <map>
#include <mutex>
#include <vector>

#include "backupd/core/job_queue.hpp"

namespace backupd::testing {

class FakeJobQueue : public core::JobQueue {
public:
    core::Job enqueue(const core::NewJob& wanted) override {
        std::lock_guard lock(mutex_);
        return add(wanted);
    }

    std::vector<core::Job> enqueue_batch(const std::vector<core::NewJob>& wanted) override {
        std::lock_guard lock(mutex_);
        ++batches_;
        std::vector<core::Job> out;
        for (const auto& job : wanted) out.push_back(add(job));
        return out;
    }

    std::optional<core::Claim> claim(const core::LeaseOwner& owner) override {
        std::lock_guard lock(mutex_);
        for (auto& job : jobs_) {
            if (job.state != core::JobState::queued) continue;
            job.state = core::JobState::running;
            ++job.attempt;
            job.lease_owner = owner.node;
            job.started_at = core::now_utc();
            job.lease_expires_at = *job.started_at + std::chrono::seconds{30};
            return core::Claim{job, owner};
        }
        return std::nullopt;
    }

    bool heartbeat(const core::Claim& claim, const core::Progress& progress) override {
        std::lock_guard lock(mutex_);
        core::Job* job = held(claim);
        if (job) job->progress = progress;
        return job != nullptr;
    }

    bool finish(const core::Claim& claim, const core::JobOutcome& outcome) override {
        std::lock_guard lock(mutex_);
        core::Job* job = held(claim);
        if (!job) return false;
        job->state = outcome.state;
        job->progress = outcome.progress;
        if (outcome.snapshot) job->snapshot = outcome.snapshot;
        job->manifest = outcome.manifest;
        job->verify = outcome.verify;
        job->prune = outcome.prune;
        job->error = outcome.error;
        job->finished_at = core::now_utc();
        return true;
    }

    bool release(const core::Claim& claim) override {
        std::lock_guard lock(mutex_);
        core::Job* job = held(claim);
        if (job) job->state = core::JobState::queued;
        return job != nullptr;
    }

    core::CancelResult cancel(core::JobId id) override {
        std::lock_guard lock(mutex_);
        core::Job* job = by_id(id);
        if (!job) return core::CancelResult::not_found;
        if (core::is_terminal(job->state)) return core::CancelResult::already_finished;
        job->state = core::JobState::cancelled;
        job->finished_at = core::now_utc();
        return core::CancelResult::cancelled;
    }

    core::ReapResult reap_expired(std::size_t limit) override {
        std::lock_guard lock(mutex_);
        core::ReapResult result;
        for (auto& job : jobs_) {
            if (result.requeued + result.failed >= limit) break;
            if (job.state != core::JobState::running || !job.lease_expires_at ||
                *job.lease_expires_at > core::now_utc()) {
                continue;
            }
            job.state = core::JobState::queued;
            ++result.requeued;
        }
        return result;
    }

    core::ReapResult expire_previous_incarnations(const core::LeaseOwner&) override { return {}; }

    std::optional<core::Job> find(core::JobId id) override {
        std::lock_guard lock(mutex_);
        ++finds_;
        const core::Job* job = by_id(id);
        if (!job) return std::nullopt;
        return *job;
    }

    core::JobPage list(const core::JobFilter& filter) override {
        std::lock_guard lock(mutex_);
        core::JobPage page;
        for (auto job = jobs_.rbegin(); job != jobs_.rend(); ++job) {
            if (filter.kind && job->kind != *filter.kind) continue;
            if (filter.state && job->state != *filter.state) continue;
            if (filter.folder && job->folder != *filter.folder) continue;
            if (filter.plan && job->plan != *filter.plan) continue;
            if (filter.before && job->id >= *filter.before) continue;
            if (page.jobs.size() == filter.limit) {
                page.next = page.jobs.back().id;
                break;
            }
            page.jobs.push_back(*job);
        }
        return page;
    }

    core::Stats stats() override {
        std::lock_guard lock(mutex_);
        core::Stats stats;
        for (const auto& job : jobs_) {
            core::JobCounts& counts = job.kind == core::JobKind::restore  ? stats.restores
                                      : job.kind == core::JobKind::verify ? stats.verifies
                                      : job.kind == core::JobKind::prune  ? stats.prunes
                                                                          : stats;
            ++counts.total;
            switch (job.state) {
                case core::JobState::queued: ++counts.queued; break;
                case core::JobState::running: ++counts.running; break;
                case core::JobState::succeeded: ++counts.succeeded; break;
                case core::JobState::failed: ++counts.failed; break;
                case core::JobState::cancelled: ++counts.cancelled; break;
            }
        }
        return stats;
    }

    // Counts per UTC day as the store does: ended jobs of `kind` with finished_at in range.
    std::vector<core::DayCounts> daily_counts(core::JobKind kind,
                                              core::TimeRange finished) override {
        std::lock_guard lock(mutex_);
        ++daily_reads_;
        std::map<std::chrono::sys_days, core::DayCounts> by_day;
        for (const auto& job : jobs_) {
            if (job.kind != kind || !job.finished_at || *job.finished_at < finished.from ||
                *job.finished_at > finished.to) {
                continue;
            }
            const auto day = std::chrono::floor<std::chrono::days>(*job.finished_at);
            core::DayCounts& counts = by_day.try_emplace(day, core::DayCounts{day}).first->second;
            switch (job.state) {
                case core::JobState::succeeded: ++counts.succeeded; break;
                case core::JobState::failed: ++counts.failed; break;
                case core::JobState::cancelled: ++counts.cancelled; break;
                default: continue;
            }
            counts.bytes_copied += job.progress.bytes_copied;
        }
        std::vector<core::DayCounts> out;
        for (const auto& [day, counts] : by_day) out.push_back(counts);
        return out;
    }

    // For assertions: every job so far, in id order; how many batches and finds were made.
    std::vector<core::Job> jobs() const {
        std::lock_guard lock(mutex_);
        return jobs_;
    }
    int batches() const {
        std::lock_guard lock(mutex_);
        return batches_;
    }
    int daily_reads() const {
        std::lock_guard lock(mutex_);
        return daily_reads_;
    }
    int finds() const {
        std::lock_guard lock(mutex_);
        return finds_;
    }

    // Makes the lease of running job `id` expired, for reap_expired() to find.
    void expire_lease(core::JobId id) {
        std::lock_guard lock(mutex_);
        by_id(id)->lease_expires_at = core::Timestamp{};
    }

    // Ends job `id` at `at` having copied `bytes`, without a claim (for the daily counts).
    void set_finished(core::JobId id, core::JobState state, core::Timestamp at,
                      std::int64_t bytes = 0) {
        std::lock_guard lock(mutex_);
        core::Job* job = by_id(id);
        job->state = state;
        job->finished_at = at;
        job->progress.bytes_copied = bytes;
    }

    // Ends job `id` as a worker would, without a claim (for waiting tests).
    void set_state(core::JobId id, core::JobState state) {
        std::lock_guard lock(mutex_);
        by_id(id)->state = state;
    }

private:
    core::Job add(const core::NewJob& wanted) {
        core::Job job;
        job.id = static_cast<core::JobId>(jobs_.size()) + 1;
        job.kind = wanted.kind;
        job.folder = wanted.folder;
        job.snapshot_id = wanted.snapshot_id;
        job.snapshot = wanted.snapshot;
        job.restore = wanted.restore;
        job.plan = wanted.plan;
        job.scheduled_for = wanted.scheduled_for;
        job.max_attempts = wanted.max_attempts;
        job.submitted_at = core::now_utc();
        job.batch_id = wanted.batch_id;
        job.node = wanted.node;
        job.client_address = wanted.client_address;
        if (wanted.rejection) {
            job.state = core::JobState::failed;
            job.error = wanted.rejection;
            job.finished_at = job.submitted_at;
        }
        jobs_.push_back(job);
        return job;
    }

    core::Job* by_id(core::JobId id) {
        if (id < 1 || id > static_cast<core::JobId>(jobs_.size())) return nullptr;
        return &jobs_[static_cast<std::size_t>(id - 1)];
    }

    // The job of `claim` while the claim still holds it (running, same attempt).
    core::Job* held(const core::Claim& claim) {
        core::Job* job = by_id(claim.job.id);
        if (!job || job->state != core::JobState::running || job->attempt != claim.job.attempt)
            return nullptr;
        return job;
    }

    mutable std::mutex mutex_;
    std::vector<core::Job> jobs_;
    int batches_ = 0;
    int finds_ = 0;
    int daily_reads_ = 0;
};

}  // namespace backupd::testing
