#pragma once
// The worker pool (docs/design.md section 5): N workers that claim jobs only when they are free,
// run each through a JobRunner, and a reaper that requeues jobs whose lease expired.
//
// Thread-safety: wake() may be called from any thread; start() and stop() from one owner
// thread, once each.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <stop_token>
#include <thread>

#include <boost/asio/thread_pool.hpp>

#include "backupd/core/job.hpp"
#include "backupd/core/job_queue.hpp"
#include "backupd/worker/job_runner.hpp"

namespace backupd::worker {

struct WorkerPoolOptions {
    // Jobs run at once on this node. Each copies with RunnerOptions::copy_threads threads.
    std::size_t workers = 4;
    // Who claims: this node in this run of the daemon.
    core::LeaseOwner owner;
    // An idle worker asks the queue again after about this long (with +-25% jitter, so nodes
    // sharing a database spread out); a wake() skips the wait.
    std::chrono::milliseconds poll_interval{1000};
    // How often the reaper looks for expired leases (with jitter).
    std::chrono::milliseconds reap_interval{std::chrono::seconds{5}};
    RunnerOptions runner;
};

class WorkerPool {
public:
    // Borrows the queue and the roots for its lifetime.
    WorkerPool(core::JobQueue& queue, RunnerRoots roots, WorkerPoolOptions options);
    ~WorkerPool();  // stop(0) if still running

    // Starts the workers and the reaper.
    void start();

    // A job this node may run was queued: an idle worker claims at once.
    void wake();

    // Stops claiming new jobs; running ones go on. The first step of a graceful stop.
    void stop_claiming();

    // Stops claiming, lets running jobs finish for up to `drain`, then stops the rest (their
    // copies are discarded and the jobs released to the queue), and joins every thread.
    void stop(std::chrono::milliseconds drain);

    // Jobs running now on this node.
    std::size_t busy() const { return busy_.load(); }
    // Expired leases this node's reaper has settled (requeued or failed) since start.
    std::int64_t lease_expiries() const { return lease_expiries_.load(); }
    // False once stopped (or never started).
    bool alive() const { return started_ && !stopping_; }

private:
    void work();
    void reap(const std::stop_token& stop);
    // Waits for a wake(), the poll interval, or the stop; true unless stopping.
    bool wait_for_work();
    void release_unstarted(const core::Claim& claim);

    core::JobQueue& queue_;
    const WorkerPoolOptions options_;
    JobRunner runner_;

    std::mutex mutex_;
    std::condition_variable changed_;
    std::size_t wakes_ = 0;  // pending wake() calls, each consumed by one idle worker
    std::atomic<bool> started_{false};
    std::atomic<bool> stopping_{false};
    std::atomic<std::size_t> busy_{0};
    std::atomic<std::int64_t> lease_expiries_{0};
    std::stop_source abort_runs_;  // requested when the drain bound passes

    std::unique_ptr<boost::asio::thread_pool> workers_;
    std::jthread reaper_;
};

}  // namespace backupd::worker
