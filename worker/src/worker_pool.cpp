#include "backupd/worker/worker_pool.hpp"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "backupd/core/error.hpp"
#include "jitter.hpp"

namespace backupd::worker {
namespace {

using detail::jittered;

constexpr std::size_t kReapBatch = 100;

}  // namespace

WorkerPool::WorkerPool(core::JobQueue& queue, RunnerRoots roots, WorkerPoolOptions options)
    : queue_(queue), options_(std::move(options)), runner_(queue, roots, options_.runner) {}

WorkerPool::~WorkerPool() {
    stop(std::chrono::milliseconds{0});
}

void WorkerPool::start() {
    started_ = true;
    workers_ = std::make_unique<boost::asio::thread_pool>(options_.workers);
    for (std::size_t i = 0; i < options_.workers; ++i)
        boost::asio::post(*workers_, [this] { work(); });
    reaper_ = std::jthread([this](const std::stop_token& stop) { reap(stop); });
    spdlog::info("event=workers_started workers={} copy_threads={} node={}", options_.workers,
                 options_.runner.copy_threads, options_.owner.node);
}

void WorkerPool::wake() {
    {
        std::lock_guard lock(mutex_);
        ++wakes_;
    }
    changed_.notify_one();
}

void WorkerPool::stop_claiming() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
}

void WorkerPool::stop(std::chrono::milliseconds drain) {
    if (!started_ || !workers_) return;
    stop_claiming();
    {
        std::unique_lock lock(mutex_);
        const auto running = busy_.load();
        if (running > 0) spdlog::info("event=workers_draining running={}", running);
        if (!changed_.wait_for(lock, drain, [this] { return busy_ == 0; })) {
            spdlog::warn("event=drain_timeout running={} action=release", busy_.load());
            abort_runs_.request_stop();
        }
    }
    workers_->join();
    workers_.reset();
    reaper_.request_stop();
    if (reaper_.joinable()) reaper_.join();
    spdlog::info("event=workers_stopped");
}

bool WorkerPool::wait_for_work() {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, jittered(options_.poll_interval),
                      [this] { return wakes_ > 0 || stopping_; });
    if (wakes_ > 0) --wakes_;
    return !stopping_;
}

void WorkerPool::work() {
    while (!stopping_) {
        std::optional<core::Claim> claim;
        try {
            claim = queue_.claim(options_.owner);
        } catch (const core::Error& e) {
            spdlog::warn("event=claim_failed error=\"{}\"", e.detail());
        }
        if (!claim) {
            if (!wait_for_work()) break;
            continue;
        }
        bool start = false;
        {
            std::lock_guard lock(mutex_);
            start = !stopping_;
            if (start) ++busy_;
        }
        if (!start) {
            release_unstarted(*claim);  // claimed as the stop began: not ours to start
            break;
        }
        try {
            runner_.run(*claim, abort_runs_.get_token());
        } catch (const std::exception& e) {
            // Unexpected (the runner records a job's own failures): the lease runs out and the
            // reaper settles the job; this worker goes on.
            spdlog::error("event=run_failed job={} error=\"{}\"", claim->job.id, e.what());
        }
        {
            std::lock_guard lock(mutex_);
            --busy_;
        }
        changed_.notify_all();  // stop() may be waiting for the drain
    }
}

void WorkerPool::release_unstarted(const core::Claim& claim) {
    try {
        (void)queue_.release(claim);
    } catch (const core::Error& e) {
        spdlog::warn("event=release_failed job={} error=\"{}\"", claim.job.id, e.detail());
    }
}

void WorkerPool::reap(const std::stop_token& stop) {
    std::mutex mutex;
    std::condition_variable_any sleep;
    std::unique_lock lock(mutex);
    while (!sleep.wait_for(lock, stop, jittered(options_.reap_interval), [] { return false; }) &&
           !stop.stop_requested()) {
        try {
            const auto reaped = queue_.reap_expired(kReapBatch);
            lease_expiries_ += static_cast<std::int64_t>(reaped.requeued + reaped.failed);
            if (reaped.requeued + reaped.failed > 0) {
                spdlog::warn("event=leases_expired requeued={} failed={}", reaped.requeued,
                             reaped.failed);
            }
        } catch (const core::Error& e) {
            spdlog::warn("event=reap_failed error=\"{}\"", e.detail());
        }
    }
}

}  // namespace backupd::worker
