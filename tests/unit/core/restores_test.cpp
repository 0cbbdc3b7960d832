// submit_restore, submit_verify and find_snapshot over the fakes: an accepted request is one
// queued job of its kind on the snapshot's folder; a refused one is one failed job with the
// precise error (the queue writes its audit record), and no worker is woken.
#include "backupd/core/restores.hpp"

#include <boost/test/unit_test.hpp>

#include "fake_job_queue.hpp"
#include "fake_snapshot_catalog.hpp"
#include "fake_snapshot_files.hpp"
#include "printing.hpp"

using namespace backupd;

namespace {

struct Ports {
    testing::FakeJobQueue jobs;
    testing::FakeSnapshotCatalog catalog;
    testing::FakeSnapshotFiles files;
    int wakes = 0;
    core::SnapshotPorts ports{jobs, catalog, files, [this] { ++wakes; }};

    Ports() {
        const auto& snapshot = catalog.add(17, "photos");
        files.add_file(snapshot.path, "sub/a.txt", "hello");
        files.add_symlink(snapshot.path, "link", "sub");
    }

    core::RestoreRequest request() const {
        core::RestoreRequest out;
        out.snapshot = 17;
        out.client_address = "10.0.0.1";
        return out;
    }

    // The one job a refused request made, checked as such.
    core::Job refused(const core::SubmittedJob& submitted, core::ErrorCode code) {
        BOOST_TEST(submitted.rejected);
        BOOST_TEST((submitted.job.state == core::JobState::failed));
        BOOST_TEST(submitted.job.error.has_value());
        if (submitted.job.error) BOOST_TEST(submitted.job.error->code == code);
        BOOST_TEST(jobs.jobs().size() == 1u);
        BOOST_TEST(wakes == 0);
        return submitted.job;
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(restores)

BOOST_AUTO_TEST_CASE(a_restore_is_queued_on_the_snapshots_folder_with_the_default_target) {
    Ports p;
    const auto submitted = core::submit_restore(p.ports, p.request());
    BOOST_TEST(!submitted.rejected);
    const core::Job& job = submitted.job;
    BOOST_TEST((job.state == core::JobState::queued));
    BOOST_TEST((job.kind == core::JobKind::restore));
    BOOST_TEST(job.folder == "photos");
    BOOST_TEST((job.snapshot_id == std::optional<core::JobId>(17)));
    BOOST_TEST((job.snapshot == std::optional<std::string>("photos/20261124T140523Z-17")));
    BOOST_TEST((job.client_address == std::optional<std::string>("10.0.0.1")));
    BOOST_REQUIRE(job.restore.has_value());
    BOOST_TEST(
        (*job.restore ==
         core::RestoreSpec{{}, "photos/20261124T140523Z-17", core::Overwrite::never, false}));
    BOOST_TEST(p.wakes == 1);
}

BOOST_AUTO_TEST_CASE(paths_target_and_overwrite_are_carried_as_given) {
    Ports p;
    auto request = p.request();
    request.paths = {"sub", "sub/a.txt"};
    request.target = "elsewhere/x";
    request.overwrite = core::Overwrite::if_changed;
    const auto job = core::submit_restore(p.ports, request).job;
    BOOST_REQUIRE(job.restore.has_value());
    BOOST_TEST((*job.restore ==
                core::RestoreSpec{
                    {"sub", "sub/a.txt"}, "elsewhere/x", core::Overwrite::if_changed, false}));
}

BOOST_AUTO_TEST_CASE(an_in_place_restore_targets_the_folder_itself_when_overwrite_is_given) {
    Ports p;
    auto request = p.request();
    request.in_place = true;
    request.overwrite = core::Overwrite::never;
    const auto job = core::submit_restore(p.ports, request).job;
    BOOST_TEST((job.state == core::JobState::queued));
    BOOST_REQUIRE(job.restore.has_value());
    BOOST_TEST(job.restore->target == "photos");
    BOOST_TEST(job.restore->in_place);
}

BOOST_AUTO_TEST_CASE(an_in_place_restore_without_explicit_overwrite_is_a_failed_job) {
    Ports p;
    auto request = p.request();
    request.in_place = true;
    const auto job =
        p.refused(core::submit_restore(p.ports, request), core::ErrorCode::invalid_request);
    BOOST_TEST(job.error->message.find("overwrite") != std::string::npos);
    BOOST_TEST((job.kind == core::JobKind::restore));
    BOOST_TEST(job.folder == "photos");
}

BOOST_AUTO_TEST_CASE(an_in_place_restore_with_a_target_is_a_failed_job) {
    Ports p;
    auto request = p.request();
    request.in_place = true;
    request.overwrite = core::Overwrite::always;
    request.target = "x";
    p.refused(core::submit_restore(p.ports, request), core::ErrorCode::invalid_request);
}

BOOST_AUTO_TEST_CASE(an_unknown_snapshot_is_a_failed_job_with_not_found) {
    Ports p;
    auto request = p.request();
    request.snapshot = 99;
    const auto job = p.refused(core::submit_restore(p.ports, request), core::ErrorCode::not_found);
    BOOST_TEST(job.folder == "");
    BOOST_TEST((job.snapshot_id == std::optional<core::JobId>(99)));
    BOOST_TEST(job.error->message == "No such snapshot: 99");
}

BOOST_AUTO_TEST_CASE(a_snapshot_gone_from_disk_is_a_failed_job_with_not_found) {
    Ports p;
    p.files.remove_snapshot("photos/20261124T140523Z-17");
    p.refused(core::submit_restore(p.ports, p.request()), core::ErrorCode::not_found);
}

BOOST_AUTO_TEST_CASE(a_bad_path_is_a_failed_job_with_invalid_path) {
    for (const char* bad : {"../etc", "/etc", "a//b", ""}) {
        Ports p;
        auto request = p.request();
        request.paths = {"sub", bad};
        p.refused(core::submit_restore(p.ports, request), core::ErrorCode::invalid_path);
    }
}

BOOST_AUTO_TEST_CASE(a_path_through_a_symlink_in_the_snapshot_is_refused_never_followed) {
    Ports p;
    auto request = p.request();
    request.paths = {"link/a.txt"};
    p.refused(core::submit_restore(p.ports, request), core::ErrorCode::symlink_in_path);
}

BOOST_AUTO_TEST_CASE(a_path_absent_from_the_snapshot_is_a_failed_job_with_not_found) {
    Ports p;
    auto request = p.request();
    request.paths = {"sub", "sub/nothing.txt"};
    p.refused(core::submit_restore(p.ports, request), core::ErrorCode::not_found);
}

BOOST_AUTO_TEST_CASE(a_symlink_itself_and_a_directory_may_be_restored) {
    Ports p;
    auto request = p.request();
    request.paths = {"link", "sub"};
    BOOST_TEST(!core::submit_restore(p.ports, request).rejected);
}

BOOST_AUTO_TEST_CASE(a_target_escaping_the_restore_root_is_a_failed_job_with_invalid_path) {
    for (const char* bad : {"../outside", "/tmp/x", "a/../../b"}) {
        Ports p;
        auto request = p.request();
        request.target = bad;
        const auto job =
            p.refused(core::submit_restore(p.ports, request), core::ErrorCode::invalid_path);
        BOOST_TEST(job.error->message.find("restore root") != std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(a_callers_refusal_is_recorded_on_a_failed_job_of_the_snapshot) {
    Ports p;
    auto request = p.request();
    request.refusal = core::JobError{core::ErrorCode::invalid_request, "unknown field 'x'"};
    const auto job =
        p.refused(core::submit_restore(p.ports, request), core::ErrorCode::invalid_request);
    BOOST_TEST(job.error->message == "unknown field 'x'");
    BOOST_TEST(job.folder == "photos");
}

BOOST_AUTO_TEST_CASE(a_verify_is_queued_on_the_snapshot_and_wakes_a_worker) {
    Ports p;
    const auto submitted = core::submit_verify(p.ports, 17, std::string("10.0.0.1"));
    BOOST_TEST(!submitted.rejected);
    BOOST_TEST((submitted.job.kind == core::JobKind::verify));
    BOOST_TEST((submitted.job.state == core::JobState::queued));
    BOOST_TEST(submitted.job.folder == "photos");
    BOOST_TEST((submitted.job.snapshot_id == std::optional<core::JobId>(17)));
    BOOST_TEST(
        (submitted.job.snapshot == std::optional<std::string>("photos/20261124T140523Z-17")));
    BOOST_TEST(!submitted.job.restore.has_value());
    BOOST_TEST(p.wakes == 1);
}

BOOST_AUTO_TEST_CASE(a_verify_of_an_unknown_snapshot_is_a_failed_verify_job) {
    Ports p;
    const auto job =
        p.refused(core::submit_verify(p.ports, 5, std::nullopt), core::ErrorCode::not_found);
    BOOST_TEST((job.kind == core::JobKind::verify));
}

BOOST_AUTO_TEST_CASE(find_snapshot_needs_the_catalog_and_the_disk) {
    Ports p;
    BOOST_TEST(core::find_snapshot(p.ports, 17).has_value());
    BOOST_TEST(!core::find_snapshot(p.ports, 18).has_value());
    p.files.remove_snapshot("photos/20261124T140523Z-17");
    BOOST_TEST(!core::find_snapshot(p.ports, 17).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
