// Jobs of every kind in the store: restore and verify jobs next to backups (issue 10).
#include <boost/test/unit_test.hpp>

#include "backupd/store/sql_snapshot_catalog.hpp"
#include "queue_fixture.hpp"

using namespace backupd;
using namespace std::chrono_literals;
using core::AuditAction;
using core::AuditStatus;
using core::JobKind;
using core::JobState;

namespace {

const core::LeaseOwner kNode{"node-a", "incarnation-1"};

struct KindsFixture : testing::QueueFixture {
    store::SqlSnapshotCatalog catalog{*database};

    static core::NewJob verify_of(core::JobId snapshot, const std::string& folder) {
        core::NewJob job = job_for(folder);
        job.kind = JobKind::verify;
        job.snapshot_id = snapshot;
        job.snapshot = folder + "/20261124T140523Z-" + std::to_string(snapshot);
        return job;
    }

    static core::NewJob restore_of(core::JobId snapshot, const std::string& folder,
                                   core::RestoreSpec spec) {
        core::NewJob job = verify_of(snapshot, folder);
        job.kind = JobKind::restore;
        job.restore = std::move(spec);
        return job;
    }

    // Runs a verify of `snapshot` to `outcome`; returns the verify job's id.
    core::JobId verify(core::JobId snapshot, const core::JobOutcome& outcome) {
        const auto job = queue.enqueue(verify_of(snapshot, "photos"));
        const auto claim = queue.claim(kNode).value();
        BOOST_REQUIRE(claim.job.id == job.id);
        BOOST_REQUIRE(queue.finish(claim, outcome));
        return job.id;
    }

    static core::JobOutcome verified(core::VerifyReport report) {
        core::JobOutcome outcome;
        outcome.state = JobState::succeeded;
        outcome.verify = std::move(report);
        return outcome;
    }
};

const core::RestoreSpec kHostileSpec{
    .paths = {"sub/line\nbreak", "tab\there", "fotos-\xC3\xA9t\xC3\xA9/\xE6\x97\xA5\xE6\x9C\xAC",
              "100%", "latin1-\xE9t\xE9"},  // the last is not UTF-8: MySQL must still take it
    .target = "restores/new\nline \xF0\x9F\x93\xB7",
    .overwrite = core::Overwrite::if_changed,
    .in_place = false,
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(job_kinds, KindsFixture)

BOOST_AUTO_TEST_CASE(each_kind_round_trips_and_a_backup_is_the_default) {
    const auto backup = queue.enqueue(job_for("photos"));
    const auto verify = queue.enqueue(verify_of(backup.id, "photos"));
    const auto restore = queue.enqueue(restore_of(backup.id, "photos", {}));
    BOOST_TEST((queue.find(backup.id)->kind == JobKind::backup));
    BOOST_TEST((queue.find(verify.id)->kind == JobKind::verify));
    BOOST_TEST((queue.find(restore.id)->kind == JobKind::restore));
    BOOST_TEST(!queue.find(backup.id)->snapshot_id.has_value());
    BOOST_TEST(!queue.find(backup.id)->restore.has_value());
    BOOST_TEST(queue.find(verify.id)->snapshot_id.value() == backup.id);
    BOOST_TEST(queue.find(verify.id)->snapshot.value() ==
               "photos/20261124T140523Z-" + std::to_string(backup.id));
    BOOST_TEST(!queue.find(verify.id)->restore.has_value());
    // The claim carries them too: the worker picks its work by kind.
    const auto claim = queue.claim(kNode).value();
    BOOST_TEST((claim.job.kind == JobKind::backup));
}

BOOST_AUTO_TEST_CASE(a_restore_spec_round_trips_with_newlines_tabs_and_unicode) {
    const auto job = queue.enqueue(restore_of(41, "photos", kHostileSpec));
    BOOST_TEST((job.restore.value() == kHostileSpec));
    BOOST_TEST((queue.find(job.id)->restore.value() == kHostileSpec));

    // The whole snapshot (no paths) in place, and the claim sees the same spec.
    const core::RestoreSpec whole{
        .paths = {}, .target = "photos", .overwrite = core::Overwrite::always, .in_place = true};
    queue.claim(kNode).value();  // the first restore
    const auto second = queue.enqueue(restore_of(41, "docs", whole));
    const auto claim = queue.claim(kNode).value();
    BOOST_TEST(claim.job.id == second.id);
    BOOST_TEST((claim.job.restore.value() == whole));
    BOOST_TEST(claim.job.restore->paths.empty());
}

BOOST_AUTO_TEST_CASE(a_restore_keeps_its_snapshot_path_when_it_finishes) {
    const auto job = queue.enqueue(restore_of(7, "photos", kHostileSpec));
    const auto claim = queue.claim(kNode).value();
    core::JobOutcome outcome;
    outcome.progress = {3, 0, 300, 3, 300};
    BOOST_TEST(queue.finish(claim, outcome));
    const auto done = queue.find(job.id).value();
    BOOST_TEST((done.state == JobState::succeeded));
    BOOST_TEST(done.snapshot.value() == "photos/20261124T140523Z-7");
    const auto records = all_audit_records();
    BOOST_REQUIRE(records.size() == 1u);
    BOOST_TEST((records[0].action == AuditAction::restore));
    BOOST_TEST((records[0].status == AuditStatus::success));
    BOOST_TEST(records[0].job_id.value() == job.id);
}

BOOST_AUTO_TEST_CASE(a_rejected_restore_is_created_failed_with_one_restore_record) {
    auto request = restore_of(99, "photos", kHostileSpec);
    request.rejection = core::JobError{core::ErrorCode::invalid_path, "Invalid path: .."};
    const auto job = queue.enqueue(request);
    BOOST_TEST((job.state == JobState::failed));
    BOOST_TEST((job.kind == JobKind::restore));
    BOOST_TEST((job.restore.value() == kHostileSpec));
    BOOST_TEST(job.error->code == core::ErrorCode::invalid_path);
    const auto records = all_audit_records();
    BOOST_REQUIRE(records.size() == 1u);
    BOOST_TEST((records[0].action == AuditAction::restore));
    BOOST_TEST((records[0].status == AuditStatus::failed));
    BOOST_TEST(records[0].message == "Invalid path: ..");
    BOOST_TEST(records[0].job_id.value() == job.id);
    BOOST_TEST(records[0].client_address.value() == "192.0.2.7");
    BOOST_TEST(!queue.claim(kNode).has_value());
}

BOOST_AUTO_TEST_CASE(a_rejected_verify_of_an_unknown_snapshot_leaves_one_verify_record) {
    core::NewJob request;
    request.kind = JobKind::verify;
    request.snapshot_id = 12345;
    request.rejection = core::JobError{core::ErrorCode::not_found, "No snapshot 12345"};
    queue.enqueue(request);
    const auto records = all_audit_records();
    BOOST_REQUIRE(records.size() == 1u);
    BOOST_TEST((records[0].action == AuditAction::verify));
    BOOST_TEST((records[0].status == AuditStatus::failed));
}

BOOST_AUTO_TEST_CASE(a_succeeded_verify_marks_its_snapshot_ok_and_keeps_its_report) {
    const auto snapshot = snapshot_of("photos");
    const auto other = snapshot_of("photos");
    BOOST_TEST((catalog.find(snapshot)->verify_state == core::VerifyState::never));
    BOOST_TEST(!catalog.find(snapshot)->verified_at.has_value());
    const auto before = core::now_utc() - 5s;

    const core::VerifyReport report{.checked = 5002};
    const auto job = verify(snapshot, verified(report));

    const auto found = catalog.find(snapshot).value();
    BOOST_TEST((found.verify_state == core::VerifyState::ok));
    BOOST_TEST((found.verified_at.value() > before));
    BOOST_TEST((catalog.find(other)->verify_state == core::VerifyState::never));
    BOOST_TEST((queue.find(job)->verify.value() == report));
    const auto records = all_audit_records();
    BOOST_REQUIRE(records.size() == 3u);  // two backups, one verify
    BOOST_TEST((records[2].action == AuditAction::verify));
    BOOST_TEST((records[2].status == AuditStatus::success));
    BOOST_TEST(records[2].job_id.value() == job);
}

BOOST_AUTO_TEST_CASE(a_mismatch_marks_its_snapshot_failed_with_the_findings) {
    const auto snapshot = snapshot_of("photos");
    verify(snapshot, verified({.checked = 10}));
    const auto first_verified_at = catalog.find(snapshot)->verified_at.value();

    auto outcome = failure(core::ErrorCode::verify_mismatch, "2 entries differ");
    outcome.verify =
        core::VerifyReport{.checked = 8, .mismatched = 1, .missing = 1, .paths = {"a\nb", "c"}};
    const auto job = verify(snapshot, outcome);

    const auto found = catalog.find(snapshot).value();
    BOOST_TEST((found.verify_state == core::VerifyState::failed));
    BOOST_TEST((found.verified_at.value() >= first_verified_at));
    const auto ended = queue.find(job).value();
    BOOST_TEST((ended.state == JobState::failed));
    BOOST_TEST((ended.verify.value() == *outcome.verify));
    const auto records = all_audit_records();
    BOOST_TEST((records.back().action == AuditAction::verify));
    BOOST_TEST((records.back().status == AuditStatus::failed));
    BOOST_TEST(records.back().message == "2 entries differ");
}

BOOST_AUTO_TEST_CASE(a_verify_failing_for_another_reason_leaves_the_snapshots_state) {
    const auto snapshot = snapshot_of("photos");
    verify(snapshot, verified({.checked = 10}));
    const auto ok = catalog.find(snapshot).value();

    const auto job =
        verify(snapshot, failure(core::ErrorCode::snapshot_unreadable, "the disk is gone"));

    const auto after = catalog.find(snapshot).value();
    BOOST_TEST((after.verify_state == core::VerifyState::ok));
    BOOST_TEST((after.verified_at == ok.verified_at));
    BOOST_TEST((queue.find(job)->state == JobState::failed));
    const auto records = all_audit_records();
    BOOST_TEST((records.back().action == AuditAction::verify));
    BOOST_TEST((records.back().status == AuditStatus::failed));
    BOOST_TEST(records.back().job_id.value() == job);

    // A never-verified snapshot stays never verified.
    const auto fresh = snapshot_of("docs");
    verify(fresh, failure(core::ErrorCode::no_manifest, "no manifest"));
    BOOST_TEST((catalog.find(fresh)->verify_state == core::VerifyState::never));
}

BOOST_AUTO_TEST_CASE(a_backups_finish_stores_its_manifest_summary) {
    const auto job = queue.enqueue(job_for("photos"));
    auto outcome = success("photos/20261124T140523Z-1");
    outcome.manifest = core::ManifestSummary{"xxh3-128", "0123456789abcdef0123456789abcdef"};
    BOOST_TEST(queue.finish(queue.claim(kNode).value(), outcome));
    BOOST_TEST((queue.find(job.id)->manifest.value() == *outcome.manifest));
    BOOST_TEST((catalog.find(job.id)->manifest.value() == *outcome.manifest));
}

BOOST_AUTO_TEST_CASE(the_reaper_fails_a_restore_with_one_restore_record) {
    auto expiring = queue_with_lease(0ms);
    auto request = restore_of(3, "photos", kHostileSpec);
    request.max_attempts = 1;
    const auto job = queue.enqueue(request);
    expiring->claim(kNode).value();
    BOOST_TEST(queue.reap_expired(100).failed == 1u);
    BOOST_TEST(queue.find(job.id)->error->code == core::ErrorCode::lease_expired);
    const auto records = all_audit_records();
    BOOST_REQUIRE(records.size() == 1u);
    BOOST_TEST((records[0].action == AuditAction::restore));
    BOOST_TEST((records[0].status == AuditStatus::failed));
    BOOST_TEST(records[0].job_id.value() == job.id);
}

BOOST_AUTO_TEST_CASE(cancel_writes_the_record_of_the_jobs_kind) {
    const auto queued_verify = queue.enqueue(verify_of(5, "photos"));
    const auto queued_restore = queue.enqueue(restore_of(5, "docs", kHostileSpec));
    BOOST_TEST((queue.cancel(queued_verify.id) == core::CancelResult::cancelled));
    BOOST_TEST((queue.cancel(queued_restore.id) == core::CancelResult::cancelled));
    const auto records = all_audit_records();
    BOOST_REQUIRE(records.size() == 2u);
    BOOST_TEST((records[0].action == AuditAction::verify));
    BOOST_TEST(records[0].job_id.value() == queued_verify.id);
    BOOST_TEST((records[1].action == AuditAction::restore));
    BOOST_TEST(records[1].job_id.value() == queued_restore.id);
    BOOST_TEST((records[1].status == AuditStatus::failed));
}

BOOST_AUTO_TEST_CASE(stats_count_each_kind_apart) {
    const auto snapshot = snapshot_of("photos");  // a backup that copied 4096 bytes
    verify(snapshot, verified({.checked = 14}));
    const auto running = queue.enqueue(job_for("running-backup"));
    BOOST_REQUIRE(queue.claim(kNode).value().job.id == running.id);
    const auto oldest_restore = queue.enqueue(restore_of(snapshot, "r1", {}));
    queue.enqueue(restore_of(snapshot, "r2", {}));
    auto rejected = restore_of(snapshot, "r3", {});
    rejected.rejection = core::JobError{core::ErrorCode::invalid_path, "bad"};
    queue.enqueue(rejected);
    // Claims take the oldest first: restore r1, which copies bytes (not into a snapshot).
    const auto restore = queue.claim(kNode).value();
    BOOST_REQUIRE(restore.job.id == oldest_restore.id);
    core::JobOutcome restored;
    restored.progress = {1, 0, 1000, 1, 1000};
    BOOST_TEST(queue.finish(restore, restored));

    const auto stats = queue.stats();
    BOOST_TEST(stats.total == 2);
    BOOST_TEST(stats.succeeded == 1);
    BOOST_TEST(stats.running == 1);
    BOOST_TEST(stats.queued == 0);
    BOOST_TEST(stats.restores.total == 3);
    BOOST_TEST(stats.restores.succeeded == 1);
    BOOST_TEST(stats.restores.queued == 1);
    BOOST_TEST(stats.restores.failed == 1);
    BOOST_TEST(stats.verifies.total == 1);
    BOOST_TEST(stats.verifies.succeeded == 1);
    // The oldest queued job of any kind: restore r2. Bytes copied: into snapshots only.
    BOOST_TEST((stats.oldest_queued_at.value() == queue.find(oldest_restore.id + 1)->submitted_at));
    BOOST_TEST(stats.bytes_copied == 4096);
}

BOOST_AUTO_TEST_CASE(list_filters_by_kind_alone_and_with_state_and_folder) {
    const auto snapshot = snapshot_of("photos");
    const auto v1 = verify(snapshot, verified({}));
    const auto r1 = queue.enqueue(restore_of(snapshot, "photos", {}));
    const auto r2 = queue.enqueue(restore_of(snapshot, "docs", {}));
    const auto v2 = queue.enqueue(verify_of(snapshot, "photos"));

    core::JobFilter restores;
    restores.kind = JobKind::restore;
    restores.limit = 1;
    const auto first = queue.list(restores);
    BOOST_REQUIRE(first.jobs.size() == 1u);
    BOOST_TEST(first.jobs[0].id == r2.id);
    BOOST_TEST(first.next.value() == r2.id);
    restores.before = first.next;
    const auto second = queue.list(restores);
    BOOST_REQUIRE(second.jobs.size() == 1u);
    BOOST_TEST(second.jobs[0].id == r1.id);
    BOOST_TEST(!second.next.has_value());

    core::JobFilter queued_verifies;
    queued_verifies.kind = JobKind::verify;
    queued_verifies.state = JobState::queued;
    const auto verifies = queue.list(queued_verifies);
    BOOST_REQUIRE(verifies.jobs.size() == 1u);
    BOOST_TEST(verifies.jobs[0].id == v2.id);

    core::JobFilter photo_verifies;
    photo_verifies.kind = JobKind::verify;
    photo_verifies.folder = "photos";
    const auto both = queue.list(photo_verifies);
    BOOST_REQUIRE(both.jobs.size() == 2u);
    BOOST_TEST(both.jobs[0].id == v2.id);
    BOOST_TEST(both.jobs[1].id == v1);

    core::JobFilter photo_backups;
    photo_backups.kind = JobKind::backup;
    photo_backups.state = JobState::succeeded;
    photo_backups.folder = "photos";
    const auto backups = queue.list(photo_backups);
    BOOST_REQUIRE(backups.jobs.size() == 1u);
    BOOST_TEST(backups.jobs[0].id == snapshot);

    BOOST_TEST(queue.list({}).jobs.size() == 5u);  // unset: every kind
}

BOOST_AUTO_TEST_SUITE_END()
