// A failed attempt whose error retries (core::retries) goes back to the queue and waits out a
// bounded backoff (core::retry_backoff) while attempts are left; only the final outcome writes
// the job's one `Backup` audit record. The tests move a waiting job's retry time into the past
// through their own SQL instead of waiting for it.
#include <boost/test/unit_test.hpp>

#include "queue_fixture.hpp"

using namespace backupd;
using namespace std::chrono_literals;
using core::ErrorCode;
using core::JobState;

namespace {

const core::LeaseOwner kNode{"node-a", "incarnation-1"};

struct RetryFixture : testing::QueueFixture {
    // The job's retry time passes, as if its backoff had been waited out.
    void retry_time_passes(core::JobId id) const {
        scratch.execute("UPDATE jobs SET run_after = '2000-01-01 00:00:00.000000' WHERE id = " +
                        std::to_string(id));
    }

    // Claims the next job, which must be `id`, and fails the attempt with `code`.
    core::Claim claim_and_fail(core::JobId id, ErrorCode code) {
        const auto claim = queue.claim(kNode);
        BOOST_REQUIRE(claim.has_value());
        BOOST_REQUIRE(claim->job.id == id);
        BOOST_REQUIRE(queue.finish(*claim, failure(code, core::message_for(code, "photos"))));
        return *claim;
    }

    // How long after the attempt started its job may run again.
    std::chrono::microseconds wait_after(const core::Claim& claim) {
        const auto job = queue.find(claim.job.id).value();
        BOOST_REQUIRE(job.retry_at.has_value());
        return *job.retry_at - claim.job.started_at.value();
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(job_retry, RetryFixture)

BOOST_AUTO_TEST_CASE(a_retried_failure_with_attempts_left_waits_in_the_queue_without_a_record) {
    const auto job = queue.enqueue(job_for("photos"));
    const auto claim = claim_and_fail(job.id, ErrorCode::backup_disk_full);
    BOOST_TEST(!queue.finish(claim, success("photos/late")));  // the attempt is over

    const auto waiting = queue.find(job.id).value();
    BOOST_TEST((waiting.state == JobState::queued));
    BOOST_TEST(waiting.attempt == 1);
    BOOST_TEST(!waiting.finished_at.has_value());
    BOOST_TEST(!waiting.lease_expires_at.has_value());
    // The job keeps its last error while it waits.
    BOOST_REQUIRE(waiting.error.has_value());
    BOOST_TEST(waiting.error->code == ErrorCode::backup_disk_full);
    BOOST_TEST(waiting.error->message == core::message_for(ErrorCode::backup_disk_full, "photos"));
    // Database now + retry_backoff(1) = 5 s, counted from the finish, just after the start.
    BOOST_TEST((wait_after(claim) >= core::retry_backoff(1)));
    BOOST_TEST((wait_after(claim) < core::retry_backoff(1) + 2s));
    BOOST_TEST(all_audit_records().empty());
    const auto stats = queue.stats();
    BOOST_TEST(stats.queued == 1);
    BOOST_TEST(stats.failed == 0);
}

BOOST_AUTO_TEST_CASE(claim_skips_a_job_whose_retry_time_has_not_come) {
    const auto waiting = queue.enqueue(job_for("photos"));
    claim_and_fail(waiting.id, ErrorCode::snapshot_write_failed);
    const auto later = queue.enqueue(job_for("music"));

    const auto next = queue.claim(kNode);
    BOOST_REQUIRE(next.has_value());
    BOOST_TEST(next->job.id == later.id);  // the older job waits, and blocks nobody
    BOOST_TEST(!queue.claim(kNode).has_value());

    retry_time_passes(waiting.id);
    const auto again = queue.claim(kNode);
    BOOST_REQUIRE(again.has_value());
    BOOST_TEST(again->job.id == waiting.id);
    BOOST_TEST(again->job.attempt == 2);
    BOOST_TEST(!again->job.retry_at.has_value());
}

BOOST_AUTO_TEST_CASE(the_backoff_grows_with_the_attempt) {
    auto request = job_for("photos");
    request.max_attempts = 3;
    const auto job = queue.enqueue(request);
    const auto first = claim_and_fail(job.id, ErrorCode::backup_disk_full);
    BOOST_TEST((wait_after(first) >= core::retry_backoff(1)));
    BOOST_TEST((wait_after(first) < core::retry_backoff(1) + 2s));

    retry_time_passes(job.id);
    const auto second = claim_and_fail(job.id, ErrorCode::backup_disk_full);
    BOOST_TEST(second.job.attempt == 2);
    BOOST_TEST((core::retry_backoff(2) > core::retry_backoff(1)));
    BOOST_TEST((wait_after(second) >= core::retry_backoff(2)));
    BOOST_TEST((wait_after(second) < core::retry_backoff(2) + 2s));
    BOOST_TEST(all_audit_records().empty());
}

BOOST_AUTO_TEST_CASE(the_last_attempt_fails_with_exactly_one_backup_failed_record) {
    auto request = job_for("photos");
    request.max_attempts = 2;
    const auto job = queue.enqueue(request);
    claim_and_fail(job.id, ErrorCode::backup_disk_full);
    retry_time_passes(job.id);
    const auto last = claim_and_fail(job.id, ErrorCode::backup_disk_full);
    BOOST_TEST(last.job.attempt == 2);

    const auto failed = queue.find(job.id).value();
    BOOST_TEST((failed.state == JobState::failed));
    BOOST_TEST(failed.finished_at.has_value());
    BOOST_TEST(!failed.retry_at.has_value());
    BOOST_TEST(failed.error->code == ErrorCode::backup_disk_full);
    const auto records = all_audit_records();
    BOOST_REQUIRE(records.size() == 1u);
    BOOST_TEST((records[0].action == core::AuditAction::backup));
    BOOST_TEST((records[0].status == core::AuditStatus::failed));
    BOOST_TEST(records[0].job_id.value() == job.id);
    BOOST_TEST(records[0].message == core::message_for(ErrorCode::backup_disk_full, "photos"));
    BOOST_TEST(!queue.claim(kNode).has_value());
}

BOOST_AUTO_TEST_CASE(a_failure_that_never_retries_fails_at_once_with_one_record) {
    BOOST_REQUIRE(!core::retries(ErrorCode::file_unreadable));
    const auto job = queue.enqueue(job_for("photos"));  // three attempts allowed
    claim_and_fail(job.id, ErrorCode::file_unreadable);

    const auto failed = queue.find(job.id).value();
    BOOST_TEST((failed.state == JobState::failed));
    BOOST_TEST(failed.attempt == 1);
    BOOST_TEST(!failed.retry_at.has_value());
    const auto records = all_audit_records();
    BOOST_REQUIRE(records.size() == 1u);
    BOOST_TEST((records[0].status == core::AuditStatus::failed));
    BOOST_TEST(records[0].job_id.value() == job.id);
    BOOST_TEST(!queue.claim(kNode).has_value());
}

BOOST_AUTO_TEST_CASE(a_job_waiting_for_its_retry_can_be_cancelled) {
    const auto job = queue.enqueue(job_for("photos"));
    claim_and_fail(job.id, ErrorCode::backup_disk_full);
    BOOST_TEST((queue.cancel(job.id) == core::CancelResult::cancelled));
    const auto cancelled = queue.find(job.id).value();
    BOOST_TEST((cancelled.state == JobState::cancelled));
    BOOST_TEST(!cancelled.retry_at.has_value());
    const auto records = all_audit_records();
    BOOST_REQUIRE(records.size() == 1u);
    BOOST_TEST(records[0].message == "Cancelled by request");
}

BOOST_AUTO_TEST_SUITE_END()
