#pragma once
// The scheduler: one thread per daemon that fires the plans that are due (docs/design.md,
// "Plans"). It holds no schedule state of its own: every tick asks PlanStore::fire_due, which
// decides in the database which due times fire, so any number of daemons can run a scheduler
// over one database and each due time still fires exactly once. The first tick runs at start,
// so due times missed while every daemon was down are caught up (once) at start-up.
//
// Logs each due time it fired: `event=plan_fired` with the job, or `event=plan_run_skipped`
// with FiredRun::skipped as its reason (previous run unfinished, due time already run, schedule
// no longer parses); `event=schedule_failed` when a tick failed as a whole.
//
// Thread-safety: start() and stop() from one thread (the daemon's main thread).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <stop_token>
#include <thread>

#include "backupd/core/plans.hpp"

namespace backupd::worker {

struct SchedulerOptions {
    // How often the plans are checked (with jitter). The smallest schedule is `@every 1s`.
    std::chrono::milliseconds tick{250};
    std::size_t batch = 100;  // plans fired per tick at most
};

class Scheduler {
public:
    // Borrows `plans`; `job_queued` wakes a local worker when a run was queued.
    Scheduler(core::PlanStore& plans, std::function<void()> job_queued,
              SchedulerOptions options = {});
    ~Scheduler();  // stop()

    void start();
    void stop();

private:
    void run(const std::stop_token& stop);
    void tick();

    core::PlanStore& plans_;
    std::function<void()> job_queued_;
    const SchedulerOptions options_;
    std::jthread thread_;
};

}  // namespace backupd::worker
