// worker::Scheduler over a scripted PlanStore: it fires at start (the catch-up after downtime
// needs no wait), keeps ticking, wakes a worker only when a run was queued, survives a database
// error, and stops promptly.
#include "backupd/worker/scheduler.hpp"

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include <boost/test/unit_test.hpp>

#include "backupd/core/error.hpp"
#include "fake_plan_store.hpp"

using namespace backupd;
using namespace std::chrono_literals;

namespace {

// fire_due answers from a script: call n gets script(n).
class ScriptedPlans : public testing::FakePlanStore {
public:
    explicit ScriptedPlans(std::function<std::vector<core::FiredRun>(int)> script)
        : script_(std::move(script)) {}

    std::vector<core::FiredRun> fire_due(std::size_t /*limit*/) override {
        return script_(calls_++);
    }

    int calls() const { return calls_.load(); }

private:
    std::function<std::vector<core::FiredRun>(int)> script_;
    std::atomic<int> calls_{0};
};

core::FiredRun fired(bool queued) {
    core::FiredRun run{.plan = "p", .folder = "photos", .scheduled_for = core::now_utc()};
    if (queued) {
        run.job = core::Job{.id = 7};
    } else {
        run.skipped = "skipped: previous run still running";
    }
    return run;
}

template <typename Predicate>
bool eventually(Predicate done, std::chrono::milliseconds limit = 5s) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (!done()) {
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(scheduler)

BOOST_AUTO_TEST_CASE(fires_at_start_without_waiting_a_tick) {
    ScriptedPlans plans([](int) { return std::vector<core::FiredRun>{}; });
    worker::Scheduler scheduler(plans, [] {}, {.tick = 1h});
    scheduler.start();
    BOOST_TEST(eventually([&] { return plans.calls() >= 1; }));
    scheduler.stop();  // must not wait out the hour
    BOOST_TEST(plans.calls() == 1);
}

BOOST_AUTO_TEST_CASE(wakes_a_worker_only_for_a_queued_run) {
    ScriptedPlans plans([](int call) {
        if (call == 0) return std::vector<core::FiredRun>{fired(false)};  // skipped
        if (call == 1) return std::vector<core::FiredRun>{fired(true)};
        return std::vector<core::FiredRun>{};
    });
    std::atomic<int> wakes{0};
    worker::Scheduler scheduler(plans, [&] { ++wakes; }, {.tick = 10ms});
    scheduler.start();
    BOOST_TEST(eventually([&] { return plans.calls() >= 4; }));
    scheduler.stop();
    BOOST_TEST(wakes.load() == 1);
}

BOOST_AUTO_TEST_CASE(keeps_ticking_after_a_database_error) {
    ScriptedPlans plans([](int call) -> std::vector<core::FiredRun> {
        if (call == 0) throw core::Error(core::ErrorCode::database_unavailable, "down");
        return {fired(true)};
    });
    std::atomic<int> wakes{0};
    worker::Scheduler scheduler(plans, [&] { ++wakes; }, {.tick = 10ms});
    scheduler.start();
    BOOST_TEST(eventually([&] { return wakes.load() >= 1; }));
    scheduler.stop();
}

BOOST_AUTO_TEST_SUITE_END()
