// The lease of a claim: heartbeats extend it, every write after the claim is fenced on it, and
// the reaper and a restarted node end it. No test sleeps past a lease: a zero lease has expired
// by the time anyone looks, and a restart expires leases at once.
#include <boost/test/unit_test.hpp>

#include "queue_fixture.hpp"

using namespace backupd;
using namespace std::chrono_literals;
using core::JobState;

namespace {

const core::LeaseOwner kNodeA{"node-a", "incarnation-1"};
const core::LeaseOwner kNodeB{"node-b", "incarnation-1"};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(job_lease, testing::QueueFixture)

BOOST_AUTO_TEST_CASE(heartbeat_extends_the_lease_and_records_progress) {
    queue.enqueue(job_for("photos"));
    const auto claim = queue.claim(kNodeA);
    core::Progress progress{5, 2, 1234, 100, 99999};
    BOOST_TEST(queue.heartbeat(*claim, progress));
    const auto job = queue.find(claim->job.id).value();
    BOOST_TEST(job.progress.files_copied == 5);
    BOOST_TEST(job.progress.files_linked == 2);
    BOOST_TEST(job.progress.bytes_copied == 1234);
    BOOST_TEST(job.progress.files_total.value() == 100);
    BOOST_TEST(job.progress.bytes_total.value() == 99999);
    BOOST_TEST((job.heartbeat_at.value() >= claim->job.heartbeat_at.value()));
    BOOST_TEST((job.lease_expires_at.value() >= claim->job.lease_expires_at.value()));
}

BOOST_AUTO_TEST_CASE(the_claim_carries_the_queues_lease_and_a_heartbeat_extends_it_by_that_lease) {
    constexpr std::chrono::milliseconds kLease = 10min;
    // Both ends come from the database clock; SQLite reads it once for each, hence the margin.
    const auto lease_of = [](const core::Job& job) {
        return job.lease_expires_at.value() - job.heartbeat_at.value();
    };
    auto long_lease = queue_with_lease(kLease);
    queue.enqueue(job_for("photos"));
    const auto claim = long_lease->claim(kNodeA).value();
    BOOST_TEST(claim.lease.count() == kLease.count());
    BOOST_TEST((lease_of(claim.job) > kLease - 1s));
    BOOST_TEST((lease_of(claim.job) < kLease + 1s));

    // The claim, not the queue that serves the heartbeat (its lease is the 30 s default),
    // decides how far the lease is extended.
    BOOST_TEST(queue.heartbeat(claim, {}));
    const auto job = queue.find(claim.job.id).value();
    BOOST_TEST((lease_of(job) > kLease - 1s));
    BOOST_TEST((lease_of(job) < kLease + 1s));
    BOOST_TEST(store::QueueOptions{}.lease.count() == std::chrono::milliseconds(30s).count());
}

BOOST_AUTO_TEST_CASE(writes_with_a_stale_attempt_or_another_owner_change_nothing) {
    queue.enqueue(job_for("photos"));
    const auto claim = queue.claim(kNodeA).value();

    core::Claim stale = claim;
    stale.job.attempt = claim.job.attempt - 1;
    core::Claim stranger = claim;
    stranger.owner = kNodeB;
    core::Claim old_incarnation = claim;
    old_incarnation.owner.incarnation = "incarnation-0";

    for (const core::Claim* fake : {&stale, &stranger, &old_incarnation}) {
        BOOST_TEST(!queue.heartbeat(*fake, core::Progress{99, 0, 99}));
        BOOST_TEST(!queue.finish(*fake, success("photos/bogus")));
        BOOST_TEST(!queue.release(*fake));
    }
    const auto job = queue.find(claim.job.id).value();
    BOOST_TEST((job.state == JobState::running));
    BOOST_TEST(job.progress.files_copied == 0);
    BOOST_TEST(!job.snapshot.has_value());
    BOOST_TEST(all_audit_records().empty());
    BOOST_TEST(queue.heartbeat(claim, core::Progress{1, 0, 1}));  // the real owner still can
}

BOOST_AUTO_TEST_CASE(release_returns_the_job_to_the_queue) {
    queue.enqueue(job_for("photos"));
    const auto claim = queue.claim(kNodeA).value();
    BOOST_TEST(queue.release(claim));
    BOOST_TEST(!queue.heartbeat(claim, {}));
    const auto again = queue.claim(kNodeB);
    BOOST_REQUIRE(again.has_value());
    BOOST_TEST(again->job.id == claim.job.id);
    BOOST_TEST(again->job.attempt == 2);
}

BOOST_AUTO_TEST_CASE(reaper_requeues_an_expired_lease_and_the_next_claim_counts_it) {
    // A zero lease has expired by the time anyone looks: no sleeping past a deadline.
    auto expiring = queue_with_lease(0ms);
    queue.enqueue(job_for("music"));
    queue.enqueue(job_for("photos"));
    const auto live = queue.claim(kNodeA).value();  // music, 30 s lease
    const auto lost = expiring->claim(kNodeA).value();
    const auto reaped = queue.reap_expired(100);
    BOOST_TEST(reaped.requeued == 1u);
    BOOST_TEST(reaped.failed == 0u);
    BOOST_TEST((queue.find(live.job.id)->state == JobState::running));  // not expired: kept
    BOOST_TEST((queue.find(lost.job.id)->state == JobState::queued));
    BOOST_TEST((queue.reap_expired(100).requeued == 0u));
    const auto retaken = queue.claim(kNodeB).value();
    BOOST_TEST(retaken.job.id == lost.job.id);
    BOOST_TEST(retaken.job.attempt == 2);
    // The first worker's lease is gone for good.
    BOOST_TEST(!expiring->heartbeat(lost, {}));
    BOOST_TEST(!expiring->finish(lost, success("photos/stale")));
    BOOST_TEST(queue.finish(retaken, success("photos/fresh")));
    BOOST_TEST(queue.find(retaken.job.id)->snapshot.value() == "photos/fresh");
}

BOOST_AUTO_TEST_CASE(reaper_fails_the_job_once_its_attempts_are_exhausted) {
    auto expiring = queue_with_lease(0ms);
    auto request = job_for("photos");
    request.max_attempts = 2;
    const auto job = queue.enqueue(request);
    for (int attempt = 1; attempt <= 2; ++attempt) {
        BOOST_TEST(expiring->claim(kNodeA).value().job.attempt == attempt);
        const auto reaped = queue.reap_expired(100);
        BOOST_TEST(reaped.requeued == (attempt < 2 ? 1u : 0u));
        BOOST_TEST(reaped.failed == (attempt < 2 ? 0u : 1u));
    }
    const auto failed = queue.find(job.id).value();
    BOOST_TEST((failed.state == JobState::failed));
    BOOST_TEST(failed.error->code == core::ErrorCode::lease_expired);
    const auto records = all_audit_records();
    BOOST_REQUIRE(records.size() == 1u);
    BOOST_TEST((records[0].status == core::AuditStatus::failed));
    BOOST_TEST(records[0].job_id.value() == job.id);
    BOOST_TEST(!queue.claim(kNodeA).has_value());
}

BOOST_AUTO_TEST_CASE(a_restarted_node_expires_only_its_previous_incarnations_leases) {
    queue.enqueue(job_for("a"));
    queue.enqueue(job_for("b"));
    queue.enqueue(job_for("c"));
    const auto old_a = queue.claim(kNodeA).value();
    const auto other = queue.claim(kNodeB).value();
    const core::LeaseOwner restarted{"node-a", "incarnation-2"};
    const auto current = queue.claim(restarted).value();

    const auto result = queue.expire_previous_incarnations(restarted);
    BOOST_TEST(result.requeued == 1u);
    BOOST_TEST((queue.find(old_a.job.id)->state == JobState::queued));
    BOOST_TEST((queue.find(other.job.id)->state == JobState::running));
    BOOST_TEST((queue.find(current.job.id)->state == JobState::running));
    BOOST_TEST(queue.heartbeat(current, {}));
}

BOOST_AUTO_TEST_SUITE_END()
