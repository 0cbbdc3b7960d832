// The snapshot catalog: succeeded backups read as snapshots (issue 10).
#include <boost/test/unit_test.hpp>

#include "backupd/store/sql_snapshot_catalog.hpp"
#include "queue_fixture.hpp"

using namespace backupd;
using namespace std::chrono_literals;
using core::JobState;

namespace {

const core::LeaseOwner kNode{"node-a", "incarnation-1"};

struct CatalogFixture : testing::QueueFixture {
    store::SqlSnapshotCatalog catalog{*database};

    static std::string path_of(const std::string& folder, core::JobId id) {
        return folder + "/20261124T140523Z-" + std::to_string(id);
    }

    // Runs the next queued job (a backup of `folder`) to `outcome`; returns its id.
    core::JobId backup(const std::string& folder, core::JobOutcome outcome) {
        const auto job = queue.enqueue(job_for(folder));
        const auto claim = queue.claim(kNode).value();
        BOOST_REQUIRE(claim.job.id == job.id);
        if (outcome.state == JobState::succeeded) outcome.snapshot = path_of(folder, job.id);
        BOOST_REQUIRE(queue.finish(claim, outcome));
        return job.id;
    }

    core::JobId snapshot_of(const std::string& folder) { return backup(folder, success("")); }

    static std::vector<core::JobId> ids(const core::SnapshotPage& page) {
        std::vector<core::JobId> out;
        for (const auto& snapshot : page.snapshots) out.push_back(snapshot.id);
        return out;
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(snapshot_catalog, CatalogFixture)

BOOST_AUTO_TEST_CASE(find_reads_a_succeeded_backup_as_its_snapshot) {
    const auto before = core::now_utc() - 5s;
    auto outcome = success("");
    outcome.manifest = core::ManifestSummary{"xxh3-128", "00112233445566778899aabbccddeeff"};
    const auto id = backup("fotos-\xC3\xA9t\xC3\xA9", outcome);

    const auto snapshot = catalog.find(id).value();
    BOOST_TEST(snapshot.id == id);
    BOOST_TEST(snapshot.folder == "fotos-\xC3\xA9t\xC3\xA9");
    BOOST_TEST(snapshot.path == path_of("fotos-\xC3\xA9t\xC3\xA9", id));
    BOOST_TEST(snapshot.name == "20261124T140523Z-" + std::to_string(id));
    BOOST_TEST((snapshot.created_at == queue.find(id)->finished_at.value()));
    BOOST_TEST((snapshot.created_at > before));
    BOOST_TEST(snapshot.files == 14);  // files_total of success()
    BOOST_TEST(snapshot.bytes == 8192);
    BOOST_TEST(snapshot.bytes_copied == 4096);
    BOOST_TEST((snapshot.verify_state == core::VerifyState::never));
    BOOST_TEST(!snapshot.verified_at.has_value());
    BOOST_TEST((snapshot.manifest.value() == *outcome.manifest));
}

BOOST_AUTO_TEST_CASE(unknown_ids_and_jobs_without_a_snapshot_are_not_found) {
    const auto made = snapshot_of("photos");
    BOOST_TEST(!catalog.find(made + 1000).has_value());
    BOOST_TEST(!catalog.find(0).has_value());
    const auto failed = backup("photos", failure(core::ErrorCode::file_unreadable, "unreadable"));
    BOOST_TEST(!catalog.find(failed).has_value());
    // A succeeded restore names a snapshot path but is no snapshot.
    core::NewJob restore = job_for("photos");
    restore.kind = core::JobKind::restore;
    restore.snapshot_id = made;
    restore.snapshot = path_of("photos", made);
    restore.restore = core::RestoreSpec{.target = "x"};
    const auto restore_job = queue.enqueue(restore);
    BOOST_TEST(queue.finish(queue.claim(kNode).value(), core::JobOutcome{}));
    BOOST_TEST((queue.find(restore_job.id)->state == JobState::succeeded));
    BOOST_TEST(!catalog.find(restore_job.id).has_value());
    const auto queued = queue.enqueue(job_for("docs"));
    BOOST_TEST(!catalog.find(queued.id).has_value());
    BOOST_TEST(ids(catalog.list({})) == std::vector<core::JobId>{made},
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(sizes_unknown_to_an_old_backup_read_as_zero) {
    core::JobOutcome outcome;
    outcome.progress = {2, 0, 10, std::nullopt, std::nullopt};
    const auto id = backup("photos", outcome);
    const auto snapshot = catalog.find(id).value();
    BOOST_TEST(snapshot.files == 0);
    BOOST_TEST(snapshot.bytes == 0);
    BOOST_TEST(snapshot.bytes_copied == 10);
    BOOST_TEST(!snapshot.manifest.has_value());
}

BOOST_AUTO_TEST_CASE(list_pages_newest_first_without_gaps_or_repeats) {
    std::vector<core::JobId> made;
    for (int i = 0; i < 5; ++i) {
        made.insert(made.begin(), snapshot_of(i % 2 == 0 ? "photos" : "docs"));
        backup("photos", failure(core::ErrorCode::file_unreadable, "not a snapshot"));
    }
    std::vector<core::JobId> seen;
    core::SnapshotFilter filter;
    filter.limit = 2;
    for (int page_number = 0;; ++page_number) {
        BOOST_REQUIRE(page_number < 5);
        const auto page = catalog.list(filter);
        const auto page_ids = ids(page);
        seen.insert(seen.end(), page_ids.begin(), page_ids.end());
        if (!page.next) break;
        BOOST_TEST(page.snapshots.size() == 2u);
        BOOST_TEST(*page.next == page.snapshots.back().id);
        filter.before = page.next;
    }
    BOOST_TEST(seen == made, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(list_filters_by_folder) {
    const auto p1 = snapshot_of("photos");
    const auto d1 = snapshot_of("docs");
    const auto p2 = snapshot_of("photos");
    snapshot_of("photos2");
    core::SnapshotFilter filter;
    filter.folder = "photos";
    BOOST_TEST(ids(catalog.list(filter)) == (std::vector<core::JobId>{p2, p1}),
               boost::test_tools::per_element());
    filter.folder = "docs";
    BOOST_TEST(ids(catalog.list(filter)) == std::vector<core::JobId>{d1},
               boost::test_tools::per_element());
    filter.folder = "nothing here";
    const auto empty = catalog.list(filter);
    BOOST_TEST(empty.snapshots.empty());
    BOOST_TEST(!empty.next.has_value());
    filter.folder = "photos";
    filter.before = p2;
    BOOST_TEST(ids(catalog.list(filter)) == std::vector<core::JobId>{p1},
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_zero_limit_reads_nothing) {
    snapshot_of("photos");
    core::SnapshotFilter filter;
    filter.limit = 0;
    BOOST_TEST(catalog.list(filter).snapshots.empty());
}

BOOST_AUTO_TEST_SUITE_END()
