#include <boost/test/unit_test.hpp>

#include "queue_fixture.hpp"

using namespace backupd;
using namespace std::chrono_literals;
using core::JobState;

namespace {

const core::LeaseOwner kNodeA{"node-a", "incarnation-1"};
const core::LeaseOwner kNodeB{"node-b", "incarnation-1"};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(job_queue, testing::QueueFixture)

BOOST_AUTO_TEST_CASE(enqueue_creates_a_queued_job_readable_by_id) {
    const auto before = core::now_utc() - 5s;
    const core::Job job = queue.enqueue(job_for("photos"));
    BOOST_TEST(job.id > 0);
    BOOST_TEST((job.state == JobState::queued));
    BOOST_TEST(job.attempt == 0);
    BOOST_TEST(job.max_attempts == 3);
    BOOST_TEST((job.submitted_at > before));
    BOOST_TEST(!job.started_at.has_value());
    BOOST_TEST(job.client_address.value() == "192.0.2.7");

    const auto found = queue.find(job.id);
    BOOST_REQUIRE(found.has_value());
    BOOST_TEST(found->folder == "photos");
    BOOST_TEST((found->submitted_at == job.submitted_at));
    BOOST_TEST(!queue.find(job.id + 1000).has_value());
}

BOOST_AUTO_TEST_CASE(a_utf8_folder_name_round_trips) {
    const std::string folder =
        "fotos-\xC3\xA9t\xC3\xA9-\xE6\x97\xA5\xE6\x9C\xAC";  // fotos-été-日本
    const core::Job job = queue.enqueue(job_for(folder));
    BOOST_TEST(queue.find(job.id)->folder == folder);
    const auto claim = queue.claim(kNodeA);
    BOOST_REQUIRE(claim.has_value());
    BOOST_TEST(claim->job.folder == folder);
    BOOST_TEST(queue.finish(*claim, success(folder + "/20261124T140523Z-1")));
    const auto records = all_audit_records();
    BOOST_REQUIRE(records.size() == 1u);
    BOOST_TEST(records[0].folder.value() == folder);
    core::JobFilter filter;
    filter.folder = folder;
    BOOST_TEST(queue.list(filter).jobs.size() == 1u);
}

BOOST_AUTO_TEST_CASE(batch_enqueue_keeps_request_order_and_rejections) {
    std::vector<core::NewJob> batch;
    for (const char* folder : {"a", "b", "../bad", "c"}) {
        auto job = job_for(folder);
        job.batch_id = "batch-1";
        batch.push_back(job);
    }
    batch[2].rejection =
        core::JobError{core::ErrorCode::invalid_folder_name, "Invalid folder name: ../bad"};
    const auto jobs = queue.enqueue_batch(batch);
    BOOST_REQUIRE(jobs.size() == 4u);
    BOOST_TEST(jobs[0].folder == "a");
    BOOST_TEST(jobs[3].folder == "c");
    BOOST_TEST(jobs[0].id < jobs[1].id);
    BOOST_TEST(jobs[1].batch_id.value() == "batch-1");
    BOOST_TEST((jobs[2].state == JobState::failed));
    BOOST_TEST((jobs[3].state == JobState::queued));
    BOOST_TEST(queue.stats().total == 4);
}

BOOST_AUTO_TEST_CASE(a_rejected_job_is_created_failed_with_one_backup_audit_record) {
    auto request = job_for("missing");
    request.rejection =
        core::JobError{core::ErrorCode::no_such_directory, "No such directory: missing"};
    const core::Job job = queue.enqueue(request);
    BOOST_TEST((job.state == JobState::failed));
    BOOST_TEST(job.error->code == core::ErrorCode::no_such_directory);
    BOOST_TEST(job.finished_at.has_value());

    const auto records = all_audit_records();
    BOOST_REQUIRE(records.size() == 1u);
    BOOST_TEST((records[0].action == core::AuditAction::backup));
    BOOST_TEST((records[0].status == core::AuditStatus::failed));
    BOOST_TEST(records[0].job_id.value() == job.id);
    BOOST_TEST(records[0].message == "No such directory: missing");
    BOOST_TEST(records[0].client_address.value() == "192.0.2.7");
    BOOST_TEST(!queue.claim(kNodeA).has_value());
    const auto stats = queue.stats();
    BOOST_TEST(stats.total == 1);
    BOOST_TEST(stats.failed == 1);
}

BOOST_AUTO_TEST_CASE(hostile_text_still_creates_its_job_and_audit_record) {
    // Longer than the folder column and not UTF-8: rejected, but recorded on both backends.
    const std::string name = std::string(3000, 'x') + "\xFF\xFE";
    auto request = job_for(name);
    request.rejection =
        core::JobError{core::ErrorCode::invalid_folder_name, std::string(5000, 'm')};
    const core::Job job = queue.enqueue(request);
    BOOST_TEST((job.state == JobState::failed));
    BOOST_TEST(job.folder.size() == 1024u);
    BOOST_TEST(job.error->message.size() == 2048u);
    BOOST_TEST(all_audit_records().size() == 1u);

    queue.enqueue(job_for("photos"));
    const auto claim = queue.claim(kNodeA).value();
    core::JobOutcome outcome;
    outcome.state = JobState::failed;
    outcome.error = core::JobError{core::ErrorCode::file_unreadable,
                                   "bad byte \xC3 and " + std::string(9000, 'e')};
    BOOST_TEST(queue.finish(claim, outcome));
    const std::string stored = queue.find(claim.job.id)->error->message;
    BOOST_TEST(stored.starts_with("bad byte \xEF\xBF\xBD and eee"));  // U+FFFD: 3 bytes
    BOOST_TEST(stored.size() == 2048u + 2u);                          // 2048 characters
    BOOST_TEST(all_audit_records().size() == 2u);
}

BOOST_AUTO_TEST_CASE(claim_takes_the_oldest_queued_job_and_counts_the_attempt) {
    const auto first = queue.enqueue(job_for("one"));
    queue.enqueue(job_for("two"));
    const auto claim = queue.claim(kNodeA);
    BOOST_REQUIRE(claim.has_value());
    BOOST_TEST(claim->job.id == first.id);
    BOOST_TEST((claim->job.state == JobState::running));
    BOOST_TEST(claim->job.attempt == 1);
    BOOST_TEST(claim->job.lease_owner.value() == "node-a");
    BOOST_TEST((claim->job.lease_expires_at.value() > core::now_utc()));
    BOOST_TEST(claim->job.started_at.has_value());
}

BOOST_AUTO_TEST_CASE(claim_returns_nothing_when_no_job_is_queued) {
    BOOST_TEST(!queue.claim(kNodeA).has_value());
}

BOOST_AUTO_TEST_CASE(claim_skips_a_folder_that_already_has_a_running_job) {
    const auto first = queue.enqueue(job_for("photos"));
    const auto second = queue.enqueue(job_for("photos"));
    const auto other = queue.enqueue(job_for("music"));
    const auto a = queue.claim(kNodeA);
    BOOST_TEST(a->job.id == first.id);
    const auto b = queue.claim(kNodeB);
    BOOST_REQUIRE(b.has_value());
    BOOST_TEST(b->job.id == other.id);  // the second photos job waits its turn
    BOOST_TEST(!queue.claim(kNodeB).has_value());
    BOOST_TEST(queue.finish(*a, success("photos/x")));
    const auto c = queue.claim(kNodeB);
    BOOST_REQUIRE(c.has_value());
    BOOST_TEST(c->job.id == second.id);
}

BOOST_AUTO_TEST_CASE(claim_respects_the_node_a_job_names) {
    auto pinned = job_for("pinned");
    pinned.node = "node-b";
    const auto job = queue.enqueue(pinned);
    BOOST_TEST(!queue.claim(kNodeA).has_value());
    const auto claim = queue.claim(kNodeB);
    BOOST_REQUIRE(claim.has_value());
    BOOST_TEST(claim->job.id == job.id);
}

BOOST_AUTO_TEST_CASE(finish_commits_the_outcome_with_one_backup_success_record) {
    queue.enqueue(job_for("photos"));
    const auto claim = queue.claim(kNodeA).value();
    BOOST_TEST(queue.finish(claim, success("photos/20261124T140523Z-1")));
    BOOST_TEST(!queue.finish(claim, success("photos/again")));  // exactly once

    const auto job = queue.find(claim.job.id).value();
    BOOST_TEST((job.state == JobState::succeeded));
    BOOST_TEST(job.snapshot.value() == "photos/20261124T140523Z-1");
    BOOST_TEST(job.progress.files_copied == 10);
    BOOST_TEST(job.progress.files_linked == 4);
    BOOST_TEST(job.finished_at.has_value());
    BOOST_TEST(!job.error.has_value());

    const auto records = all_audit_records();
    BOOST_REQUIRE(records.size() == 1u);
    BOOST_TEST((records[0].status == core::AuditStatus::success));
    BOOST_TEST(records[0].job_id.value() == job.id);
    BOOST_TEST(records[0].client_address.value() == "192.0.2.7");
}

BOOST_AUTO_TEST_CASE(finish_as_failed_records_the_error_and_one_failed_record) {
    queue.enqueue(job_for("photos"));
    const auto claim = queue.claim(kNodeA).value();
    core::JobOutcome outcome;
    outcome.state = JobState::failed;
    outcome.error = core::JobError{core::ErrorCode::file_unreadable, "Cannot read photos/a.jpg"};
    BOOST_TEST(queue.finish(claim, outcome));
    const auto job = queue.find(claim.job.id).value();
    BOOST_TEST((job.state == JobState::failed));
    BOOST_TEST(job.error->code == core::ErrorCode::file_unreadable);
    BOOST_TEST(job.error->message == "Cannot read photos/a.jpg");
    const auto records = all_audit_records();
    BOOST_REQUIRE(records.size() == 1u);
    BOOST_TEST((records[0].status == core::AuditStatus::failed));
    BOOST_TEST(records[0].message == "Cannot read photos/a.jpg");
}

BOOST_AUTO_TEST_CASE(cancel_ends_queued_and_running_jobs_only) {
    const auto queued = queue.enqueue(job_for("a"));
    queue.enqueue(job_for("b"));
    BOOST_TEST((queue.cancel(queued.id) == core::CancelResult::cancelled));
    const auto running = queue.claim(kNodeA).value();
    BOOST_TEST((queue.cancel(running.job.id) == core::CancelResult::cancelled));
    // The worker learns at its next heartbeat and can no longer finish.
    BOOST_TEST(!queue.heartbeat(running, {}));
    BOOST_TEST(!queue.finish(running, success("b/x")));
    BOOST_TEST((queue.cancel(queued.id) == core::CancelResult::already_finished));
    BOOST_TEST((queue.cancel(999999) == core::CancelResult::not_found));
    BOOST_TEST(queue.stats().cancelled == 2);
    BOOST_TEST((queue.find(queued.id)->state == JobState::cancelled));
    BOOST_TEST(queue.find(queued.id)->error->code == core::ErrorCode::cancelled);
    // Each cancelled request has its one Backup record, FAILED; the refused cancels add none.
    const auto records = all_audit_records();
    BOOST_REQUIRE(records.size() == 2u);
    for (const auto& record : records) {
        BOOST_TEST((record.status == core::AuditStatus::failed));
        BOOST_TEST(record.message == "Cancelled by request");
    }
    BOOST_TEST(records[0].job_id.value() == queued.id);
    BOOST_TEST(records[1].folder.value() == "b");
}

BOOST_AUTO_TEST_CASE(list_filters_by_state_and_folder_and_pages_newest_first) {
    std::vector<core::JobId> photos;
    photos.reserve(5);
    for (int i = 0; i < 5; ++i) photos.push_back(queue.enqueue(job_for("photos")).id);
    queue.enqueue(job_for("music"));
    const auto claim = queue.claim(kNodeA).value();  // photos[0] runs

    core::JobFilter filter;
    filter.folder = "photos";
    filter.limit = 2;
    auto page = queue.list(filter);
    BOOST_REQUIRE(page.jobs.size() == 2u);
    BOOST_TEST(page.jobs[0].id == photos[4]);
    BOOST_TEST(page.jobs[1].id == photos[3]);
    std::vector<core::JobId> seen;
    for (;;) {
        for (const auto& job : page.jobs) seen.push_back(job.id);
        if (!page.next) break;
        filter.before = page.next;
        page = queue.list(filter);
    }
    BOOST_TEST(seen == std::vector<core::JobId>(photos.rbegin(), photos.rend()),
               boost::test_tools::per_element());

    core::JobFilter running;
    running.state = JobState::running;
    const auto running_page = queue.list(running);
    BOOST_REQUIRE(running_page.jobs.size() == 1u);
    BOOST_TEST(running_page.jobs[0].id == claim.job.id);
    BOOST_TEST(!running_page.next.has_value());
}

BOOST_AUTO_TEST_CASE(stats_count_every_state) {
    core::JobId e_id = 0;
    for (const char* folder : {"a", "b", "c", "d", "e", "f"}) {
        const auto job = queue.enqueue(job_for(folder));
        if (job.folder == "e") e_id = job.id;
    }
    auto rejected = job_for("bad");
    rejected.rejection =
        core::JobError{core::ErrorCode::invalid_folder_name, "Invalid folder name"};
    queue.enqueue(rejected);
    const auto a = queue.claim(kNodeA).value();
    const auto b = queue.claim(kNodeA).value();
    const auto c = queue.claim(kNodeA).value();
    BOOST_TEST(queue.finish(a, success("a/x")));  // 4096 bytes copied
    core::JobOutcome failure;
    failure.state = JobState::failed;
    failure.error = core::JobError{core::ErrorCode::file_unreadable, "cannot read b/x"};
    BOOST_TEST(queue.finish(b, failure));
    BOOST_TEST((queue.cancel(c.job.id) == core::CancelResult::cancelled));
    queue.claim(kNodeA).value();  // d runs

    const auto stats = queue.stats();
    BOOST_TEST(stats.total == 7);
    BOOST_TEST(stats.succeeded == 1);
    BOOST_TEST(stats.failed == 2);
    BOOST_TEST(stats.cancelled == 1);
    BOOST_TEST(stats.running == 1);
    BOOST_TEST(stats.queued == 2);
    // e is the oldest job still queued.
    BOOST_TEST((stats.oldest_queued_at == queue.find(e_id)->submitted_at));
    BOOST_TEST(stats.bytes_copied == 4096);
}

BOOST_AUTO_TEST_CASE(stats_of_an_empty_queue_have_no_oldest_queued_job) {
    const auto stats = queue.stats();
    BOOST_TEST(stats.total == 0);
    BOOST_TEST(!stats.oldest_queued_at.has_value());
    BOOST_TEST(stats.bytes_copied == 0);
}

BOOST_AUTO_TEST_SUITE_END()
