// core::JobWatch and core::WatchedJobQueue over the in-memory queue: every change made through
// the decorated queue wakes exactly the subscribers of that job.
#include "backupd/core/job_watch.hpp"

#include <boost/test/unit_test.hpp>

#include "backupd/core/watched_job_queue.hpp"
#include "fake_job_queue.hpp"
#include "printing.hpp"

using namespace backupd;

namespace {

struct Counter {
    int calls = 0;
    core::JobWatch::Callback callback() {
        return [this] { ++calls; };
    }
};

struct Watched {
    testing::FakeJobQueue fake;
    core::JobWatch watch;
    core::WatchedJobQueue queue{fake, watch};
    const core::LeaseOwner owner{"node-a", "1"};

    core::Claim claimed(const std::string& folder) {
        queue.enqueue({.folder = folder});
        return queue.claim(owner).value();
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(job_watch)

BOOST_AUTO_TEST_CASE(notify_calls_the_subscribers_of_that_job_only) {
    core::JobWatch watch;
    Counter seven, eight, both;
    const auto a = watch.subscribe({7}, seven.callback());
    const auto b = watch.subscribe({8}, eight.callback());
    const auto c = watch.subscribe({7, 8}, both.callback());
    watch.notify(7);
    BOOST_TEST(seven.calls == 1);
    BOOST_TEST(eight.calls == 0);
    BOOST_TEST(both.calls == 1);
    watch.notify_all();
    BOOST_TEST(seven.calls == 2);
    BOOST_TEST(eight.calls == 1);
}

BOOST_AUTO_TEST_CASE(a_dropped_subscription_is_never_called_again) {
    core::JobWatch watch;
    Counter counter;
    {
        const auto subscription = watch.subscribe({1}, counter.callback());
        BOOST_TEST(watch.subscribers() == 1u);
    }
    BOOST_TEST(watch.subscribers() == 0u);
    watch.notify(1);
    watch.notify_all();
    BOOST_TEST(counter.calls == 0);
}

BOOST_AUTO_TEST_CASE(a_moved_subscription_stays_registered_once) {
    core::JobWatch watch;
    Counter counter;
    auto first = watch.subscribe({1}, counter.callback());
    core::JobWatch::Subscription second = std::move(first);
    BOOST_TEST(watch.subscribers() == 1u);
    watch.notify(1);
    BOOST_TEST(counter.calls == 1);
    second = core::JobWatch::Subscription{};
    BOOST_TEST(watch.subscribers() == 0u);
}

BOOST_AUTO_TEST_CASE(finishing_through_the_watched_queue_wakes_the_jobs_waiters) {
    Watched w;
    const auto claim = w.claimed("photos");
    Counter waiter;
    const auto subscription = w.watch.subscribe({claim.job.id}, waiter.callback());
    BOOST_TEST(w.queue.heartbeat(claim, {}));
    BOOST_TEST(waiter.calls == 0);  // progress is not an outcome
    BOOST_TEST(w.queue.finish(claim, {.state = core::JobState::succeeded}));
    BOOST_TEST(waiter.calls == 1);
    BOOST_TEST((w.fake.find(claim.job.id)->state == core::JobState::succeeded));
}

BOOST_AUTO_TEST_CASE(a_finish_that_lost_its_lease_wakes_nobody) {
    Watched w;
    const auto claim = w.claimed("photos");
    BOOST_TEST((w.queue.cancel(claim.job.id) == core::CancelResult::cancelled));
    Counter waiter;
    const auto subscription = w.watch.subscribe({claim.job.id}, waiter.callback());
    BOOST_TEST(!w.queue.finish(claim, {.state = core::JobState::succeeded}));
    BOOST_TEST(waiter.calls == 0);
}

BOOST_AUTO_TEST_CASE(cancel_and_release_wake_the_jobs_waiters) {
    Watched w;
    const auto claim = w.claimed("photos");
    w.queue.enqueue({.folder = "docs"});
    Counter first, second;
    const auto a = w.watch.subscribe({1}, first.callback());
    const auto b = w.watch.subscribe({2}, second.callback());
    BOOST_TEST(w.queue.release(claim));
    BOOST_TEST(first.calls == 1);
    BOOST_TEST((w.queue.cancel(2) == core::CancelResult::cancelled));
    BOOST_TEST(second.calls == 1);
    BOOST_TEST((w.queue.cancel(2) == core::CancelResult::already_finished));
    BOOST_TEST(second.calls == 1);
}

BOOST_AUTO_TEST_CASE(reaping_wakes_every_waiter_only_when_it_changed_something) {
    Watched w;
    const auto claim = w.claimed("photos");
    Counter waiter;
    const auto subscription = w.watch.subscribe({99}, waiter.callback());
    w.queue.reap_expired(10);
    BOOST_TEST(waiter.calls == 0);
    w.fake.expire_lease(claim.job.id);
    BOOST_TEST(w.queue.reap_expired(10).requeued == 1u);
    BOOST_TEST(waiter.calls == 1);
}

BOOST_AUTO_TEST_SUITE_END()
