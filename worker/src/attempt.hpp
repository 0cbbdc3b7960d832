#pragma once
// The signals of one running attempt (internal): a heartbeat that keeps the lease, and a stop
// token for the work, requested when the lease is lost or the daemon shuts down.

#include <optional>
#include <stop_token>

#include "backupd/core/job_queue.hpp"
#include "heartbeat.hpp"

namespace backupd::worker::detail {

class Attempt {
public:
    // Starts the heartbeat (every claim.lease/3). Borrows `queue` and `claim`.
    Attempt(core::JobQueue& queue, const core::Claim& claim, const std::stop_token& shutdown)
        : on_lost_(lost_.get_token(), RequestStop{&stop_}),
          on_shutdown_(shutdown, RequestStop{&stop_}) {
        heartbeat_.emplace(queue, claim, claim.lease / 3, lost_);
    }

    // Stops the work: the lease was lost or the daemon is shutting down.
    std::stop_token work_stop() const { return stop_.get_token(); }
    bool lease_lost() const { return lost_.stop_requested(); }

    // The heartbeat, while it runs.
    Heartbeat& heartbeat() { return *heartbeat_; }
    // The latest progress reported (zero once the heartbeat has ended).
    core::Progress progress() const {
        return heartbeat_ ? heartbeat_->progress() : core::Progress{};
    }
    // Stops beating: before the outcome is recorded, which ends the lease.
    void end_heartbeat() { heartbeat_.reset(); }

private:
    struct RequestStop {
        std::stop_source* source;
        void operator()() const { source->request_stop(); }
    };

    std::stop_source lost_;
    std::stop_source stop_;
    std::stop_callback<RequestStop> on_lost_;
    std::stop_callback<RequestStop> on_shutdown_;
    std::optional<Heartbeat> heartbeat_;
};

}  // namespace backupd::worker::detail
