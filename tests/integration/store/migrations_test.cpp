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

BOOST_AUTO_TEST_SUITE_END()
