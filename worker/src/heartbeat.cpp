#include "heartbeat.hpp"

#include <spdlog/spdlog.h>

#include "backupd/core/error.hpp"

namespace backupd::worker::detail {

Heartbeat::Heartbeat(core::JobQueue& queue, const core::Claim& claim,
                     std::chrono::milliseconds interval, std::stop_source lost)
    : queue_(queue),
      claim_(claim),
      interval_(interval),
      lost_(std::move(lost)),
      thread_([this](const std::stop_token& stop) { loop(stop); }) {}

Heartbeat::~Heartbeat() {
    thread_.request_stop();
    wake_.notify_all();
}

void Heartbeat::update(const core::Progress& progress) {
    std::lock_guard lock(mutex_);
    progress_ = progress;
}

core::Progress Heartbeat::progress() const {
    std::lock_guard lock(mutex_);
    return progress_;
}

bool Heartbeat::beat_now() {
    try {
        if (queue_.heartbeat(claim_, progress())) return true;
        spdlog::warn("event=lease_lost job={} attempt={} folder=\"{}\"", claim_.job.id,
                     claim_.job.attempt, claim_.job.folder);
        lost_.request_stop();
        return false;
    } catch (const core::Error& e) {
        // The lease runs on; if the database stays away, the reaper settles the job.
        spdlog::warn("event=heartbeat_failed job={} error=\"{}\"", claim_.job.id, e.detail());
        return true;
    }
}

void Heartbeat::loop(const std::stop_token& stop) {
    std::unique_lock lock(mutex_);
    while (!stop.stop_requested()) {
        if (wake_.wait_for(lock, stop, interval_, [] { return false; })) break;
        if (stop.stop_requested()) break;
        lock.unlock();
        const bool kept = beat_now();
        lock.lock();
        if (!kept) break;
    }
}

}  // namespace backupd::worker::detail
