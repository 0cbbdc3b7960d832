// core/backups.hpp over in-memory fakes of the ports: no database, no file system, no HTTP.
#include "backupd/core/backups.hpp"

#include <boost/test/unit_test.hpp>

#include "fake_job_queue.hpp"
#include "fake_source_folders.hpp"
#include "printing.hpp"

using namespace backupd;
using backupd::core::JobState;

namespace {

struct Ports {
    testing::FakeJobQueue jobs;
    testing::FakeSourceFolders folders{{"photos", "docs"}};
    int wakes = 0;
    core::BackupPorts ports{jobs, folders, [this] { ++wakes; }};
};

core::BackupSubmission one(std::string folder) {
    return {{std::move(folder)}, false, "10.0.0.7", std::nullopt};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(backups)

BOOST_AUTO_TEST_CASE(submitting_an_existing_folder_queues_a_job_and_wakes_a_worker) {
    Ports p;
    const auto submitted = core::submit_backups(p.ports, one("photos"));
    BOOST_REQUIRE(submitted.items.size() == 1u);
    BOOST_TEST(!submitted.batch_id.has_value());
    const auto& item = submitted.items.front();
    BOOST_TEST(!item.rejected);
    BOOST_TEST((item.job.state == JobState::queued));
    BOOST_TEST(item.job.folder == "photos");
    BOOST_TEST(item.job.client_address.value_or("") == "10.0.0.7");
    BOOST_TEST(p.wakes == 1);
}

BOOST_AUTO_TEST_CASE(a_missing_folder_is_rejected_as_a_failed_job_and_wakes_nobody) {
    Ports p;
    const auto submitted = core::submit_backups(p.ports, one("music"));
    const auto& item = submitted.items.front();
    BOOST_TEST(item.rejected);
    BOOST_TEST((item.job.state == JobState::failed));
    BOOST_REQUIRE(item.job.error.has_value());
    BOOST_TEST(item.job.error->code == core::ErrorCode::no_such_directory);
    BOOST_TEST(item.job.error->message == "No such directory: music");
    BOOST_TEST(p.jobs.jobs().size() == 1u);  // recorded, so stats and the audit log agree
    BOOST_TEST(p.wakes == 0);
}

BOOST_AUTO_TEST_CASE(a_job_that_failed_while_running_is_not_reported_as_rejected) {
    // The old rule inferred "rejected" from the job's fields; the flag comes from submission.
    Ports p;
    const auto first = core::submit_backups(p.ports, one("photos")).items.front();
    BOOST_TEST(!first.rejected);
    const auto rejected = core::submit_backups(p.ports, one("nope")).items.front();
    BOOST_TEST(rejected.rejected);
}

BOOST_AUTO_TEST_CASE(a_refusal_from_the_caller_is_recorded_without_checking_the_folder) {
    Ports p;
    auto submission = one("bad%zz");
    submission.refusal =
        core::JobError{core::ErrorCode::invalid_folder_name, "Invalid folder name: x"};
    const auto item = core::submit_backups(p.ports, submission).items.front();
    BOOST_TEST(item.rejected);
    BOOST_TEST(item.job.error->code == core::ErrorCode::invalid_folder_name);
    BOOST_TEST(p.folders.checks() == 0);
}

BOOST_AUTO_TEST_CASE(a_batch_is_enqueued_at_once_in_order_with_one_batch_id_and_a_result_per_item) {
    Ports p;
    const auto submitted =
        core::submit_backups(p.ports, {{"docs", "nope", "photos"}, true, "h", std::nullopt});
    BOOST_REQUIRE(submitted.batch_id.has_value());
    BOOST_TEST(!submitted.batch_id->empty());
    BOOST_TEST(p.jobs.batches() == 1);
    BOOST_REQUIRE(submitted.items.size() == 3u);
    BOOST_TEST(submitted.items[0].job.folder == "docs");
    BOOST_TEST(!submitted.items[0].rejected);
    BOOST_TEST(submitted.items[1].rejected);
    BOOST_TEST(submitted.items[1].job.error->code == core::ErrorCode::no_such_directory);
    BOOST_TEST(!submitted.items[2].rejected);
    for (const auto& item : submitted.items)
        BOOST_TEST(item.job.batch_id.value_or("") == *submitted.batch_id);
    BOOST_TEST(p.wakes == 1);
}

BOOST_AUTO_TEST_CASE(two_batches_get_different_batch_ids) {
    Ports p;
    const auto a = core::submit_backups(p.ports, {{"docs"}, true, {}, std::nullopt});
    const auto b = core::submit_backups(p.ports, {{"docs"}, true, {}, std::nullopt});
    BOOST_TEST(*a.batch_id != *b.batch_id);
}

BOOST_AUTO_TEST_CASE(a_batch_of_only_rejected_folders_wakes_nobody) {
    Ports p;
    core::submit_backups(p.ports, {{"x", "y"}, true, {}, std::nullopt});
    BOOST_TEST(p.wakes == 0);
}

BOOST_AUTO_TEST_CASE(cancel_returns_the_cancelled_job) {
    Ports p;
    const auto job = core::submit_backups(p.ports, one("photos")).items.front().job;
    const auto cancelled = core::cancel_backup(p.jobs, job.id);
    BOOST_TEST((cancelled.result == core::CancelResult::cancelled));
    BOOST_REQUIRE(cancelled.job.has_value());
    BOOST_TEST((cancelled.job->state == JobState::cancelled));
}

BOOST_AUTO_TEST_CASE(cancel_after_the_end_says_already_finished_with_the_job) {
    Ports p;
    const auto job = core::submit_backups(p.ports, one("photos")).items.front().job;
    p.jobs.set_state(job.id, JobState::succeeded);
    const auto cancelled = core::cancel_backup(p.jobs, job.id);
    BOOST_TEST((cancelled.result == core::CancelResult::already_finished));
    BOOST_REQUIRE(cancelled.job.has_value());
    BOOST_TEST((cancelled.job->state == JobState::succeeded));
}

BOOST_AUTO_TEST_CASE(cancel_of_an_unknown_job_is_not_found) {
    Ports p;
    const auto cancelled = core::cancel_backup(p.jobs, 42);
    BOOST_TEST((cancelled.result == core::CancelResult::not_found));
    BOOST_TEST(!cancelled.job.has_value());
}

BOOST_AUTO_TEST_CASE(find_jobs_reads_every_job_in_order_or_nothing_when_one_is_missing) {
    Ports p;
    core::submit_backups(p.ports, {{"docs", "photos"}, true, {}, std::nullopt});
    const auto both = core::find_jobs(p.jobs, {2, 1});
    BOOST_REQUIRE(both.has_value());
    BOOST_TEST((*both)[0].folder == "photos");
    BOOST_TEST(!core::all_ended(*both));
    BOOST_TEST(!core::find_jobs(p.jobs, {1, 3}).has_value());
    p.jobs.set_state(1, JobState::failed);
    p.jobs.set_state(2, JobState::cancelled);
    BOOST_TEST(core::all_ended(*core::find_jobs(p.jobs, {1, 2})));
}

BOOST_AUTO_TEST_SUITE_END()
