// The catalog's pins and pruning steps (issue 11): what retention sees, start_pruning fenced on
// the prune job's claim, and pruned snapshots gone from every read.
#include <algorithm>

#include <boost/test/unit_test.hpp>

#include "backupd/store/sql_snapshot_catalog.hpp"
#include "queue_fixture.hpp"

using namespace backupd;
using namespace std::chrono_literals;
using core::JobKind;
using core::JobState;

namespace {

const core::LeaseOwner kNode{"node-a", "incarnation-1"};

struct PruningFixture : testing::QueueFixture {
    store::SqlSnapshotCatalog catalog{*database};

    // A claimed prune job of `folder`.
    core::Claim claimed_prune(const std::string& folder) {
        const auto job = queue.enqueue({.folder = folder, .kind = JobKind::prune});
        auto claim = queue.claim(kNode).value();
        BOOST_REQUIRE(claim.job.id == job.id);
        return claim;
    }

    static std::vector<core::JobId> ids_of(const std::vector<core::Snapshot>& snapshots) {
        std::vector<core::JobId> ids;
        for (const auto& s : snapshots) ids.push_back(s.id);
        std::sort(ids.begin(), ids.end());
        return ids;
    }

    std::vector<core::JobId> listed(const std::optional<std::string>& folder) {
        core::SnapshotFilter filter;
        filter.folder = folder;
        return ids_of(catalog.list(filter).snapshots);
    }

    std::vector<core::JobId> candidates(const std::string& folder) {
        std::vector<core::JobId> ids;
        for (const auto& c : catalog.retention_candidates(folder)) ids.push_back(c.id);
        std::sort(ids.begin(), ids.end());
        return ids;
    }

    std::int64_t count_of(const std::string& folder) {
        for (const auto& [name, count] : catalog.count_by_folder()) {
            if (name == folder) return count;
        }
        return 0;
    }
};

using Ids = std::vector<core::JobId>;

}  // namespace

BOOST_FIXTURE_TEST_SUITE(snapshot_pruning, PruningFixture)

BOOST_AUTO_TEST_CASE(set_pinned_pins_and_unpins_a_whole_snapshot_only) {
    const auto id = snapshot_of("photos");
    BOOST_TEST(!catalog.find(id)->pinned);
    BOOST_TEST(catalog.set_pinned(id, true));
    BOOST_TEST(catalog.find(id)->pinned);
    BOOST_TEST(catalog.set_pinned(id, true));  // already pinned: still a snapshot
    BOOST_TEST(catalog.list({}).snapshots.at(0).pinned);
    BOOST_TEST(catalog.set_pinned(id, false));
    BOOST_TEST(!catalog.find(id)->pinned);
    BOOST_TEST(!catalog.set_pinned(id + 1000, true));
    const auto queued = queue.enqueue(job_for("photos"));
    BOOST_TEST(!catalog.set_pinned(queued.id, true));  // no snapshot (yet)
}

BOOST_AUTO_TEST_CASE(retention_candidates_are_the_folder_s_snapshots_with_pins_and_use) {
    const auto a = snapshot_of("photos");
    const auto b = snapshot_of("photos");
    const auto c = snapshot_of("photos");
    snapshot_of("docs");
    BOOST_REQUIRE(catalog.set_pinned(b, true));
    // A queued restore of c: in use. A finished verify of a, and a one-snapshot prune of a: not.
    core::NewJob restore = job_for("photos");
    restore.kind = JobKind::restore;
    restore.snapshot_id = c;
    restore.restore = core::RestoreSpec{.target = "out"};
    core::NewJob verify = job_for("photos");
    verify.kind = JobKind::verify;
    verify.snapshot_id = a;
    const auto verify_job = queue.enqueue(verify);
    BOOST_REQUIRE(queue.finish(queue.claim(kNode).value(), core::JobOutcome{}));
    BOOST_REQUIRE((queue.find(verify_job.id)->state == JobState::succeeded));
    queue.enqueue(restore);
    queue.enqueue({.folder = "photos", .kind = JobKind::prune, .snapshot_id = a});

    auto list = catalog.retention_candidates("photos");
    std::sort(list.begin(), list.end(), [](const auto& x, const auto& y) { return x.id < y.id; });
    BOOST_REQUIRE(list.size() == 3u);
    BOOST_TEST(list[0].id == a);
    BOOST_TEST(list[0].name == "20261124T140523Z-" + std::to_string(a));
    BOOST_TEST((list[0].created_at == queue.find(a)->finished_at.value()));
    BOOST_TEST(!list[0].pinned);
    BOOST_TEST(!list[0].in_use);
    BOOST_TEST(list[1].pinned);
    BOOST_TEST(!list[1].in_use);
    BOOST_TEST(!list[2].pinned);
    BOOST_TEST(list[2].in_use);
    BOOST_TEST(catalog.retention_candidates("nothing").empty());
}

BOOST_AUTO_TEST_CASE(start_pruning_marks_whole_unpinned_snapshots_and_returns_them) {
    const auto a = snapshot_of("photos");
    const auto b = snapshot_of("photos");
    const auto c = snapshot_of("photos");
    const auto other = snapshot_of("docs");
    BOOST_REQUIRE(catalog.set_pinned(b, true));
    const auto claim = claimed_prune("photos");
    const auto marked = catalog.start_pruning(claim, {a, b, a + 1000}).value();
    BOOST_TEST(ids_of(marked) == Ids{a});
    BOOST_TEST(marked[0].path == "photos/20261124T140523Z-" + std::to_string(a));
    // Marked once only: a second call does not return it again.
    BOOST_TEST(catalog.start_pruning(claim, {a})->empty());

    // From now on a is in no read of the catalog but pruning(folder).
    BOOST_TEST(!catalog.find(a).has_value());
    BOOST_TEST(listed(std::nullopt) == (Ids{b, c, other}));
    BOOST_TEST(listed("photos") == (Ids{b, c}));
    BOOST_TEST(candidates("photos") == (Ids{b, c}));
    BOOST_TEST(count_of("photos") == 2);
    BOOST_TEST(count_of("docs") == 1);
    BOOST_TEST(!catalog.set_pinned(a, true));
    BOOST_TEST(ids_of(catalog.pruning("photos")) == Ids{a});
    BOOST_TEST(catalog.pruning("docs").empty());

    // Its files are gone: recorded, and no longer pruning either.
    catalog.finish_pruning({a});
    BOOST_TEST(catalog.pruning("photos").empty());
    BOOST_TEST(!catalog.find(a).has_value());
    BOOST_TEST(count_of("photos") == 2);
    // The backup job's own record stays.
    BOOST_TEST((queue.find(a)->state == JobState::succeeded));
}

// A restore or verify submitted after retention_candidates read the folder (and before the
// prune marks) keeps its snapshot: start_pruning checks use again in its own transaction.
BOOST_AUTO_TEST_CASE(start_pruning_leaves_a_snapshot_with_a_queued_or_running_restore_or_verify) {
    const auto queued_restore = snapshot_of("photos");
    const auto running_verify = snapshot_of("photos");
    const auto finished_verify = snapshot_of("photos");
    const auto unused = snapshot_of("photos");
    // The running verify is of another folder's job row so that it does not hold the photos
    // slot the prune claims below; use is decided by snapshot_id alone.
    core::NewJob verify = job_for("elsewhere");
    verify.kind = JobKind::verify;
    verify.snapshot_id = finished_verify;
    queue.enqueue(verify);
    BOOST_REQUIRE(queue.finish(queue.claim(kNode).value(), core::JobOutcome{}));
    verify.snapshot_id = running_verify;
    const auto running = queue.enqueue(verify);
    BOOST_REQUIRE(queue.claim(kNode).value().job.id == running.id);
    const auto claim = claimed_prune("photos");
    core::NewJob restore = job_for("photos");
    restore.kind = JobKind::restore;
    restore.snapshot_id = queued_restore;
    restore.restore = core::RestoreSpec{.target = "out"};
    queue.enqueue(restore);

    const auto marked =
        catalog.start_pruning(claim, {queued_restore, running_verify, finished_verify, unused})
            .value();
    BOOST_TEST(ids_of(marked) == (Ids{finished_verify, unused}));
    BOOST_TEST(candidates("photos") == (Ids{queued_restore, running_verify}));
    BOOST_TEST(catalog.find(queued_restore).has_value());
    BOOST_TEST(catalog.find(running_verify).has_value());
}

BOOST_AUTO_TEST_CASE(start_pruning_on_a_lost_claim_changes_nothing) {
    const auto a = snapshot_of("photos");
    const auto claim = claimed_prune("photos");
    auto stale = claim;
    stale.job.attempt += 1;
    BOOST_TEST(!catalog.start_pruning(stale, {a}).has_value());
    stale = claim;
    stale.owner.incarnation = "incarnation-0";
    BOOST_TEST(!catalog.start_pruning(stale, {a}).has_value());
    stale = claim;
    stale.owner.node = "node-b";
    BOOST_TEST(!catalog.start_pruning(stale, {a}).has_value());
    // Cancelled: the lease is gone.
    BOOST_REQUIRE(queue.cancel(claim.job.id) == core::CancelResult::cancelled);
    BOOST_TEST(!catalog.start_pruning(claim, {a}).has_value());
    BOOST_TEST(catalog.find(a).has_value());
    BOOST_TEST(catalog.pruning("photos").empty());
    BOOST_TEST(count_of("photos") == 1);
}

BOOST_AUTO_TEST_CASE(count_by_folder_counts_whole_snapshots_by_folder) {
    snapshot_of("photos");
    snapshot_of("docs");
    snapshot_of("photos");
    queue.enqueue(job_for("music"));  // no snapshot
    const auto counts = catalog.count_by_folder();
    BOOST_REQUIRE(counts.size() == 2u);
    BOOST_TEST(counts[0].first == "docs");
    BOOST_TEST(counts[0].second == 1);
    BOOST_TEST(counts[1].first == "photos");
    BOOST_TEST(counts[1].second == 2);
}

BOOST_AUTO_TEST_SUITE_END()
