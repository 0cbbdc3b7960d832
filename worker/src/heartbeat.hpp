#pragma once
// The heartbeat of one running attempt (internal): a thread that extends the lease every
// interval with the latest progress, and requests `lost` to stop when the lease is gone.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stop_token>
#include <thread>

#include "backupd/core/job_queue.hpp"

namespace backupd::worker::detail {

class Heartbeat {
public:
    // Starts beating at once. `lost` is requested to stop when a heartbeat does not take
    // effect (lease expired and taken over, or the job cancelled).
    Heartbeat(core::JobQueue& queue, const core::Claim& claim, std::chrono::milliseconds interval,
              std::stop_source lost);
    ~Heartbeat();  // stops the thread

    // Thread-safe; the next heartbeat carries it.
    void update(const core::Progress& progress);
    core::Progress progress() const;

    // One heartbeat now, on the caller's thread: true when the lease is still ours.
    // (A database error counts as "not known to be lost": true.)
    bool beat_now();

    bool lease_lost() const { return lost_.stop_requested(); }

private:
    void loop(const std::stop_token& stop);

    core::JobQueue& queue_;
    const core::Claim& claim_;
    const std::chrono::milliseconds interval_;
    std::stop_source lost_;
    mutable std::mutex mutex_;
    std::condition_variable_any wake_;
    core::Progress progress_;
    std::jthread thread_;  // last: starts after everything above is ready
};

}  // namespace backupd::worker::detail
