#include "backupd/store/migrations.hpp"

#include <thread>

#include <boost/test/unit_test.hpp>

#include "backupd/core/error.hpp"
#include "backupd/store/sql_job_queue.hpp"
#include "backupd/store/sql_snapshot_catalog.hpp"
#include "scratch_database.hpp"

using namespace backupd;

BOOST_AUTO_TEST_SUITE(migrations)

BOOST_AUTO_TEST_CASE(migrate_applies_every_migration_to_an_empty_database) {
    testing::ScratchDatabase scratch;
    auto database = scratch.open();
    BOOST_TEST(store::schema_version(*database) == 0);
    const auto report = store::migrate(*database);
    const int latest = store::latest_schema_version(database->backend());
    BOOST_TEST(report.from_version == 0);
    BOOST_TEST(report.to_version == latest);
    BOOST_TEST(report.applied.size() == static_cast<std::size_t>(latest));
    BOOST_TEST(report.applied.front() == "0001_jobs_and_audit_log");
    BOOST_TEST(store::schema_version(*database) == latest);
    // The schema works: a job goes in and comes out.
    store::SqlJobQueue queue(*database);
    const auto job = queue.enqueue({.folder = "photos"});
    BOOST_TEST(queue.find(job.id).has_value());
}

BOOST_AUTO_TEST_CASE(migrating_twice_is_a_no_op) {
    testing::ScratchDatabase scratch;
    auto database = scratch.open();
    store::migrate(*database);
    store::SqlJobQueue queue(*database);
    queue.enqueue({.folder = "photos"});
    const auto again = store::migrate(*database);
    BOOST_TEST(again.applied.empty());
    BOOST_TEST(again.from_version == again.to_version);
    BOOST_TEST(queue.stats().total == 1);  // nothing was recreated
}

BOOST_AUTO_TEST_CASE(a_database_newer_than_the_binary_is_refused) {
    testing::ScratchDatabase scratch;
    auto database = scratch.open();
    store::migrate(*database);
    scratch.execute(
        "INSERT INTO schema_migrations (version, name, applied_at) "
        "VALUES (999, 'from_the_future', '2030-01-01 00:00:00.000000')");
    try {
        store::migrate(*database);
        BOOST_FAIL("a newer schema was accepted");
    } catch (const core::Error& e) {
        BOOST_TEST(std::string(e.what()).find("version 999, newer than this backupd") !=
                   std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(nodes_migrating_at_once_apply_each_migration_once) {
    testing::ScratchDatabase scratch;
    auto first = scratch.open();
    auto second = scratch.open();
    store::MigrationReport a, b;
    std::thread t1([&] { a = store::migrate(*first); });
    std::thread t2([&] { b = store::migrate(*second); });
    t1.join();
    t2.join();
    const int latest = store::latest_schema_version(first->backend());
    BOOST_TEST(a.applied.size() + b.applied.size() == static_cast<std::size_t>(latest));
    BOOST_TEST(store::schema_version(*first) == latest);
}

BOOST_AUTO_TEST_CASE(upgrading_a_version_2_database_keeps_its_jobs_as_backups) {
    testing::ScratchDatabase scratch;
    auto database = scratch.open();
    store::migrate(*database, 2);
    BOOST_REQUIRE(store::schema_version(*database) == 2);
    // A snapshot and a queued job as backupd before issue 10 wrote them.
    scratch.execute(
        "INSERT INTO jobs (folder, folder_key, state, max_attempts, submitted_at, finished_at, "
        "files_total, bytes_total, bytes_copied, snapshot) VALUES ('photos', 'key-1', "
        "'succeeded', 3, '2026-11-24 14:05:20.000000', '2026-11-24 14:05:23.000000', 5, 500, "
        "100, 'photos/20261124T140523Z-1')");
    scratch.execute(
        "INSERT INTO jobs (folder, folder_key, state, max_attempts, submitted_at) "
        "VALUES ('docs', 'key-2', 'queued', 3, '2026-11-24 14:06:00.000000')");

    const auto report = store::migrate(*database);
    BOOST_TEST(report.from_version == 2);
    BOOST_TEST(report.applied.front() == "0003_job_kinds");

    store::SqlJobQueue queue(*database);
    const auto done = queue.find(1).value();
    BOOST_TEST((done.kind == core::JobKind::backup));
    BOOST_TEST(done.snapshot.value() == "photos/20261124T140523Z-1");
    BOOST_TEST(!done.manifest.has_value());
    BOOST_TEST(!done.restore.has_value());
    BOOST_TEST((queue.find(2)->kind == core::JobKind::backup));
    const auto stats = queue.stats();
    BOOST_TEST(stats.total == 2);
    BOOST_TEST(stats.restores.total == 0);
    BOOST_TEST(stats.verifies.total == 0);
    // The old snapshot is in the catalog: never verified, made before manifests.
    store::SqlSnapshotCatalog catalog(*database);
    const auto snapshot = catalog.find(1).value();
    BOOST_TEST(snapshot.name == "20261124T140523Z-1");
    BOOST_TEST(snapshot.files == 5);
    BOOST_TEST((snapshot.verify_state == core::VerifyState::never));
    BOOST_TEST(!snapshot.manifest.has_value());
}

BOOST_AUTO_TEST_CASE(upgrading_a_version_3_database_keeps_its_jobs_and_never_reuses_an_id) {
    // folder_key of "photos": its hex SHA-256, as the store computes it.
    const std::string kPhotosKey =
        "84a6dae49cf0481203aa97872cc3301b73c406b8ac099ee36d2f849365cec06b";
    testing::ScratchDatabase scratch;
    auto database = scratch.open();
    store::migrate(*database, 3);
    BOOST_REQUIRE(store::schema_version(*database) == 3);
    // A snapshot with a manifest, a verify of it, and a job whose id was the largest handed out
    // (then deleted): issue 11 must neither lose the first two nor hand out id 3 again.
    scratch.execute(
        "INSERT INTO jobs (kind, folder, folder_key, state, max_attempts, submitted_at, "
        "finished_at, files_total, bytes_total, bytes_copied, snapshot, manifest_algorithm, "
        "manifest_digest, verify_state, verified_at) VALUES ('backup', 'photos', '" +
        kPhotosKey +
        "', "
        "'succeeded', 3, '2026-11-24 14:05:20.000000', '2026-11-24 14:05:23.000000', 5, 500, 100, "
        "'photos/20261124T140523Z-1', 'xxh3-128', 'abc', 'ok', '2026-11-24 15:00:00.000000')");
    scratch.execute(
        "INSERT INTO jobs (kind, folder, folder_key, state, max_attempts, submitted_at, "
        "snapshot_id, snapshot) VALUES ('verify', 'photos', '" +
        kPhotosKey +
        "', 'queued', 3, "
        "'2026-11-24 14:06:00.000000', 1, 'photos/20261124T140523Z-1')");
    scratch.execute(
        "INSERT INTO jobs (folder, folder_key, state, max_attempts, submitted_at) "
        "VALUES ('docs', 'key-2', 'queued', 3, '2026-11-24 14:07:00.000000')");
    scratch.execute("DELETE FROM jobs WHERE id = 3");

    const auto report = store::migrate(*database);
    BOOST_TEST(report.from_version == 3);
    BOOST_TEST(report.applied.front() == "0004_plans");

    store::SqlJobQueue queue(*database);
    const auto verify = queue.find(2).value();
    BOOST_TEST((verify.kind == core::JobKind::verify));
    BOOST_TEST(verify.snapshot_id.value() == 1);
    BOOST_TEST(!verify.plan.has_value());
    BOOST_TEST(!verify.scheduled_for.has_value());
    BOOST_TEST(!verify.prune.has_value());
    store::SqlSnapshotCatalog catalog(*database);
    const auto snapshot = catalog.find(1).value();
    BOOST_TEST(!snapshot.pinned);
    BOOST_TEST((snapshot.verify_state == core::VerifyState::ok));
    BOOST_TEST(snapshot.manifest->digest == "abc");
    // The old snapshot is a whole retention candidate, in use by its queued verify.
    const auto candidates = catalog.retention_candidates("photos");
    BOOST_REQUIRE(candidates.size() == 1u);
    BOOST_TEST(candidates[0].in_use);
    // Prune jobs are accepted now; ids continue after the largest ever handed out.
    const auto prune = queue.enqueue({.folder = "photos", .kind = core::JobKind::prune});
    BOOST_TEST(prune.id == 4);
    BOOST_TEST((queue.find(prune.id)->kind == core::JobKind::prune));
    BOOST_TEST(queue.stats().prunes.total == 1);
}

BOOST_AUTO_TEST_CASE(upgrading_a_version_5_database_counts_its_jobs) {
    testing::ScratchDatabase scratch;
    auto database = scratch.open();
    store::migrate(*database, 5);
    // A succeeded backup that copied 100 bytes, a queued verify, a running backup at 50 bytes.
    for (const char* row :
         {"('backup', 'a', 'key-a', 'succeeded', 100, '2026-11-24 14:05:20.000000', 3)",
          "('verify', 'a', 'key-a', 'queued', 0, '2026-11-24 14:06:00.000000', 3)",
          "('backup', 'b', 'key-b', 'running', 50, '2026-11-24 14:07:00.000000', 3)"}) {
        scratch.execute(
            "INSERT INTO jobs (kind, folder, folder_key, state, bytes_copied, submitted_at, "
            "max_attempts) VALUES " +
            std::string(row));
    }
    store::migrate(*database);

    store::SqlJobQueue queue(*database);
    const auto stats = queue.stats();
    BOOST_TEST(stats.succeeded == 1);
    BOOST_TEST(stats.running == 1);
    BOOST_TEST(stats.total == 2);
    BOOST_TEST(stats.verifies.queued == 1);
    BOOST_TEST(stats.bytes_copied == 150);  // the running job's bytes read live
    BOOST_TEST(!store::recount_jobs(*database).corrected);
}

BOOST_AUTO_TEST_SUITE_END()
