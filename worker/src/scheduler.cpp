#include "backupd/worker/scheduler.hpp"

#include <condition_variable>
#include <mutex>

#include <spdlog/spdlog.h>

#include "backupd/core/error.hpp"
#include "jitter.hpp"

namespace backupd::worker {

Scheduler::Scheduler(core::PlanStore& plans, std::function<void()> job_queued,
                     SchedulerOptions options)
    : plans_(plans), job_queued_(std::move(job_queued)), options_(options) {}

Scheduler::~Scheduler() {
    stop();
}

void Scheduler::start() {
    thread_ = std::jthread([this](const std::stop_token& stop) { run(stop); });
}

void Scheduler::stop() {
    thread_.request_stop();
    if (thread_.joinable()) thread_.join();
}

void Scheduler::run(const std::stop_token& stop) {
    std::mutex mutex;
    std::condition_variable_any sleep;
    std::unique_lock lock(mutex);
    // Nothing but a stop request wakes the sleep early.
    while (!stop.stop_requested()) {
        tick();
        sleep.wait_for(lock, stop, detail::jittered(options_.tick),
                       [&] { return stop.stop_requested(); });
    }
}

void Scheduler::tick() {
    try {
        bool queued = false;
        for (const auto& run : plans_.fire_due(options_.batch)) {
            const auto due = core::format_rfc3339(run.scheduled_for);
            if (run.job) {
                queued = true;
                spdlog::info("event=plan_fired plan={} scheduled_for={} job={}", run.plan, due,
                             run.job->id);
            } else {
                spdlog::warn("event=plan_run_skipped plan={} scheduled_for={} reason=\"{}\"",
                             run.plan, due, run.skipped);
            }
        }
        if (queued) job_queued_();
    } catch (const core::Error& e) {
        // The database is away or busy (fire_due throws only when no plan fired): the due times
        // stay due and fire at a later tick.
        spdlog::warn("event=schedule_failed error=\"{}\"", e.detail());
    } catch (const std::exception& e) {
        spdlog::error("event=schedule_failed error=\"{}\"", e.what());
    }
}

}  // namespace backupd::worker
