// The worker's prune run over a real backup root in a temp dir, with the in-memory queue,
// snapshot catalog and plan store: what goes, what stays, `latest`, and the pruning steps.
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <stop_token>
#include <string>
#include <utility>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "backupd/copy/filesystem.hpp"
#include "backupd/copy/snapshot.hpp"
#include "backupd/core/restores.hpp"
#include "backupd/core/retention.hpp"
#include "backupd/core/time_zone.hpp"
#include "backupd/worker/job_runner.hpp"
#include "fake_job_queue.hpp"
#include "fake_plan_store.hpp"
#include "fake_snapshot_catalog.hpp"
#include "printing.hpp"
#include "temp_tree.hpp"

using namespace backupd;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

const core::LeaseOwner kOwner{"node-a", "run-1"};

// The queue, keeping the outcome each finish recorded (the fake keeps no prune report).
class RecordingQueue : public testing::FakeJobQueue {
public:
    bool finish(const core::Claim& claim, const core::JobOutcome& outcome) override {
        last_outcome = outcome;
        return FakeJobQueue::finish(claim, outcome);
    }
    std::optional<core::JobOutcome> last_outcome;
};

// The real file system, with a hook before each unlink/rmdir (by entry name): a non-zero errno
// fails it.
class RemoveHookFilesystem : public copy::SystemFilesystem {
public:
    std::function<int(std::string_view)> before_remove;

    int remove(int directory, const char* name, int flags) const override {
        if (before_remove) {
            if (const int error = before_remove(name); error != 0) {
                errno = error;
                return -1;
            }
        }
        return SystemFilesystem::remove(directory, name, flags);
    }
};

// The in-memory catalog with the store's re-check of use in start_pruning (a snapshot in use is
// not marked), and a hook run first: what another request does between selection and marking.
class RacingCatalog : public testing::FakeSnapshotCatalog {
public:
    std::function<void()> before_start_pruning;

    std::optional<std::vector<core::Snapshot>> start_pruning(
        const core::Claim& claim, const std::vector<core::JobId>& ids) override {
        if (before_start_pruning) std::exchange(before_start_pruning, nullptr)();
        std::vector<core::JobId> unused;
        for (const auto& c : retention_candidates("photos")) {
            if (!c.in_use && std::find(ids.begin(), ids.end(), c.id) != ids.end())
                unused.push_back(c.id);
        }
        return FakeSnapshotCatalog::start_pruning(claim, unused);
    }
};

struct PruneFixture {
    test::TempTree temp;
    fs::path backups = temp / "backup";
    RemoveHookFilesystem filesystem;
    copy::BackupRoot root = copy::BackupRoot::open(backups.string(), filesystem);
    RecordingQueue queue;
    RacingCatalog catalog;
    testing::FakePlanStore plans;
    std::map<core::JobId, std::string> names;  // snapshot id -> name

    // Snapshots 1..count of "photos", an hour apart (1 oldest), each a directory with one file
    // and a manifest beside it; `latest` names the newest.
    void make_snapshots(int count) {
        for (core::JobId id = 1; id <= count; ++id) {
            core::Snapshot& snapshot = catalog.add(id, "photos");
            snapshot.created_at =
                core::Timestamp{std::chrono::sys_days{std::chrono::year{2026} / 11 / 24}} +
                std::chrono::hours{id};
            names[id] = snapshot.name;
            fs::create_directories(backups / snapshot.path / "sub");
            test::write_file(backups / snapshot.path / "sub" / ("data-" + std::to_string(id)),
                             "contents");
            test::write_file(backups / (snapshot.path + ".manifest"), "manifest");
            root.publish_latest("photos", snapshot.path);
        }
    }

    bool on_disk(core::JobId id) const {
        const fs::path path = backups / "photos" / names.at(id);
        const bool tree = fs::exists(path);
        const bool manifest = fs::exists(fs::path(path.string() + ".manifest"));
        BOOST_TEST(tree == manifest, "snapshot " << id << ": tree and manifest go together");
        return tree;
    }

    std::set<core::JobId> whole() {
        std::set<core::JobId> ids;
        for (const auto& c : catalog.retention_candidates("photos")) ids.insert(c.id);
        return ids;
    }

    std::set<core::JobId> marked_pruning() {
        std::set<core::JobId> ids;
        for (const auto& s : catalog.pruning("photos")) ids.insert(s.id);
        return ids;
    }

    // What `latest` names; empty when there is no link.
    std::string latest() const {
        const fs::path link = backups / "photos" / "latest";
        if (!test::exists_no_follow(link)) return {};
        return fs::read_symlink(link).string();
    }

    // Removes snapshot `id`'s tree and manifest as a prune does, behind the catalog's back.
    void remove_files(core::JobId id) {
        fs::remove_all(backups / "photos" / names.at(id));
        fs::remove(backups / "photos" / (names.at(id) + ".manifest"));
    }

    void make_plan(core::Retention retention, std::string time_zone = "UTC") {
        core::PlanSpec spec;
        spec.name = "nightly";
        spec.folder = "photos";
        spec.schedule = "@every 3600s";
        spec.time_zone = std::move(time_zone);
        spec.retention = retention;
        plans.create(spec);
    }

    worker::RunnerOptions options(bool with_catalogs = true) {
        worker::RunnerOptions options;
        options.copy_threads = 1;
        if (with_catalogs) options.catalogs = {&catalog, &plans};
        return options;
    }

    // Queues and claims a prune job of "photos" (the fake queue keeps neither plan nor
    // snapshot id: the claim carries them, as the store's would).
    core::Claim claim(std::optional<std::string> plan, std::optional<core::JobId> snapshot) {
        core::NewJob wanted;
        wanted.folder = "photos";
        wanted.kind = core::JobKind::prune;
        queue.enqueue(wanted);
        auto claimed = queue.claim(kOwner);
        BOOST_REQUIRE(claimed.has_value());
        claimed->lease = 30s;
        claimed->job.plan = std::move(plan);
        claimed->job.snapshot_id = snapshot;
        return *claimed;
    }

    worker::RunOutcome run(const core::Claim& claim, const std::stop_token& shutdown = {},
                           bool with_catalogs = true) {
        worker::JobRunner runner(queue, {root}, options(with_catalogs));
        return runner.run(claim, shutdown);
    }

    core::Job job(core::JobId id) { return queue.find(id).value(); }
};

core::Retention keep_last(std::int64_t n) {
    core::Retention retention;
    retention.keep_last = n;
    return retention;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(prune_run)

BOOST_FIXTURE_TEST_CASE(a_plan_prune_removes_what_retention_lets_go, PruneFixture) {
    make_snapshots(5);
    make_plan(keep_last(2));
    const auto c = claim("nightly", std::nullopt);

    BOOST_TEST((run(c) == worker::RunOutcome::succeeded));

    for (core::JobId id : {1, 2, 3}) BOOST_TEST(!on_disk(id), "snapshot " << id);
    for (core::JobId id : {4, 5}) BOOST_TEST(on_disk(id), "snapshot " << id);
    BOOST_TEST((whole() == std::set<core::JobId>{4, 5}));
    BOOST_TEST(marked_pruning().empty());  // removal recorded
    BOOST_TEST(latest() == names[5]);
    BOOST_TEST((job(c.job.id).state == core::JobState::succeeded));
    BOOST_REQUIRE(queue.last_outcome.has_value());
    BOOST_TEST((queue.last_outcome->prune == core::PruneReport{3, 2}));
}

BOOST_FIXTURE_TEST_CASE(pinned_and_in_use_snapshots_are_kept, PruneFixture) {
    make_snapshots(4);
    catalog.set_pinned(1, true);
    catalog.set_in_use(2, true);
    make_plan(keep_last(1));

    BOOST_TEST((run(claim("nightly", std::nullopt)) == worker::RunOutcome::succeeded));

    BOOST_TEST(on_disk(1));
    BOOST_TEST(on_disk(2));
    BOOST_TEST(!on_disk(3));
    BOOST_TEST(on_disk(4));
    BOOST_TEST((queue.last_outcome->prune == core::PruneReport{1, 3}));
}

BOOST_FIXTURE_TEST_CASE(retention_alone_decides_and_latest_moves_to_the_newest_kept, PruneFixture) {
    make_snapshots(4);
    root.repoint_latest("photos", names[2]);  // e.g. the newest ones came from elsewhere
    make_plan(keep_last(1));
    // What the dry run shows (core::preview_prune applies the same retention to the same
    // candidates): only the newest is kept.
    const auto preview = core::apply_retention(catalog.retention_candidates("photos"), keep_last(1),
                                               *core::TimeZone::find("UTC"));
    std::set<core::JobId> previewed_kept;
    for (const auto& d : preview) {
        if (d.keep) previewed_kept.insert(d.id);
    }

    BOOST_TEST((run(claim("nightly", std::nullopt)) == worker::RunOutcome::succeeded));

    BOOST_TEST((whole() == previewed_kept));
    BOOST_TEST((whole() == std::set<core::JobId>{4}));
    BOOST_TEST(!on_disk(2));
    BOOST_TEST(latest() == names[4]);
    BOOST_TEST((queue.last_outcome->prune == core::PruneReport{3, 1}));
}

BOOST_FIXTURE_TEST_CASE(a_plan_whose_rules_keep_everything_removes_nothing, PruneFixture) {
    make_snapshots(3);
    make_plan({});

    BOOST_TEST((run(claim("nightly", std::nullopt)) == worker::RunOutcome::succeeded));

    BOOST_TEST((whole() == std::set<core::JobId>{1, 2, 3}));
    BOOST_TEST((queue.last_outcome->prune == core::PruneReport{0, 3}));
}

BOOST_FIXTURE_TEST_CASE(a_single_delete_removes_just_that_snapshot, PruneFixture) {
    make_snapshots(5);
    const auto c = claim(std::nullopt, 2);

    BOOST_TEST((run(c) == worker::RunOutcome::succeeded));

    BOOST_TEST(!on_disk(2));
    for (core::JobId id : {1, 3, 4, 5}) BOOST_TEST(on_disk(id), "snapshot " << id);
    BOOST_TEST((whole() == std::set<core::JobId>{1, 3, 4, 5}));
    BOOST_TEST(latest() == names[5]);
    BOOST_TEST((queue.last_outcome->prune == core::PruneReport{1, 4}));
}

BOOST_FIXTURE_TEST_CASE(a_single_delete_of_a_pinned_snapshot_fails_and_removes_nothing,
                        PruneFixture) {
    make_snapshots(3);
    catalog.set_pinned(2, true);
    const auto c = claim(std::nullopt, 2);

    BOOST_TEST((run(c) == worker::RunOutcome::failed));

    const auto ended = job(c.job.id);
    BOOST_TEST((ended.state == core::JobState::failed));
    BOOST_REQUIRE(ended.error.has_value());
    BOOST_TEST(ended.error->code == core::ErrorCode::snapshot_pinned);
    BOOST_TEST(ended.error->message == core::snapshot_is_pinned(2).message);
    for (core::JobId id : {1, 2, 3}) BOOST_TEST(on_disk(id), "snapshot " << id);
    BOOST_TEST((whole() == std::set<core::JobId>{1, 2, 3}));
    BOOST_TEST(marked_pruning().empty());
}

BOOST_FIXTURE_TEST_CASE(a_single_delete_of_an_unknown_snapshot_fails_not_found, PruneFixture) {
    make_snapshots(2);
    const auto c = claim(std::nullopt, 99);

    BOOST_TEST((run(c) == worker::RunOutcome::failed));

    const auto ended = job(c.job.id);
    BOOST_TEST(ended.error->code == core::ErrorCode::not_found);
    BOOST_TEST(ended.error->message == "No such snapshot: 99");
    BOOST_TEST((whole() == std::set<core::JobId>{1, 2}));
}

BOOST_FIXTURE_TEST_CASE(deleting_the_newest_repoints_latest_and_the_last_one_removes_it,
                        PruneFixture) {
    make_snapshots(3);

    BOOST_TEST((run(claim(std::nullopt, 3)) == worker::RunOutcome::succeeded));
    BOOST_TEST(!on_disk(3));
    BOOST_TEST(latest() == names[2]);
    BOOST_TEST(static_cast<bool>(root.open_latest("photos")));

    BOOST_TEST((run(claim(std::nullopt, 1)) == worker::RunOutcome::succeeded));
    BOOST_TEST(latest() == names[2]);  // not the one removed: left alone

    BOOST_TEST((run(claim(std::nullopt, 2)) == worker::RunOutcome::succeeded));
    BOOST_TEST(latest().empty());
    BOOST_TEST((queue.last_outcome->prune == core::PruneReport{1, 0}));
}

BOOST_FIXTURE_TEST_CASE(leftovers_of_an_earlier_crash_are_removed_first, PruneFixture) {
    make_snapshots(4);
    // An earlier prune marked 1 and 2, removed 2's tree and crashed.
    const auto earlier = claim(std::nullopt, 1);
    BOOST_REQUIRE(catalog.start_pruning(earlier, {1, 2}).has_value());
    fs::remove_all(backups / "photos" / names[2]);
    queue.release(earlier);
    make_plan(keep_last(10));

    BOOST_TEST((run(claim("nightly", std::nullopt)) == worker::RunOutcome::succeeded));

    BOOST_TEST(!on_disk(1));
    BOOST_TEST(!fs::exists(backups / "photos" / (names[2] + ".manifest")));
    BOOST_TEST(marked_pruning().empty());
    BOOST_TEST((whole() == std::set<core::JobId>{3, 4}));
    // Removed counts the leftovers this job finished; kept, what its folder still holds.
    BOOST_TEST((queue.last_outcome->prune == core::PruneReport{2, 2}));
}

BOOST_FIXTURE_TEST_CASE(a_single_delete_of_a_snapshot_in_use_fails_and_removes_nothing,
                        PruneFixture) {
    make_snapshots(3);
    catalog.set_in_use(2, true);
    const auto c = claim(std::nullopt, 2);

    BOOST_TEST((run(c) == worker::RunOutcome::failed));

    const auto ended = job(c.job.id);
    BOOST_REQUIRE(ended.error.has_value());
    BOOST_TEST((*ended.error == core::snapshot_in_use(2)));
    for (core::JobId id : {1, 2, 3}) BOOST_TEST(on_disk(id), "snapshot " << id);
    BOOST_TEST((whole() == std::set<core::JobId>{1, 2, 3}));
    BOOST_TEST(marked_pruning().empty());
}

BOOST_FIXTURE_TEST_CASE(a_single_delete_refused_while_marking_names_the_reason_read_again,
                        PruneFixture) {
    make_snapshots(3);
    const auto refusal_when = [&](std::function<void()> meanwhile) {
        catalog.before_start_pruning = std::move(meanwhile);
        const auto c = claim(std::nullopt, 2);
        BOOST_TEST((run(c) == worker::RunOutcome::failed));
        return job(c.job.id).error.value();
    };

    // A restore of it queued between selection and marking.
    BOOST_TEST((refusal_when([&] { catalog.set_in_use(2, true); }) == core::snapshot_in_use(2)));
    catalog.set_in_use(2, false);
    BOOST_TEST((refusal_when([&] { catalog.set_pinned(2, true); }) == core::snapshot_is_pinned(2)));
    catalog.set_pinned(2, false);
    BOOST_TEST(on_disk(2));
    BOOST_TEST((whole() == std::set<core::JobId>{1, 2, 3}));

    // Removed by another prune meanwhile (its files stay here: this job must not touch them).
    const auto other = claim(std::nullopt, 2);
    queue.release(other);
    BOOST_TEST((refusal_when([&] {
                    (void)catalog.FakeSnapshotCatalog::start_pruning(other, {2});
                    catalog.finish_pruning({2});
                }) == core::no_such_snapshot(2)));
    BOOST_TEST(on_disk(2));
    BOOST_TEST(latest() == names[3]);
}

BOOST_FIXTURE_TEST_CASE(a_plan_prune_keeps_a_snapshot_put_in_use_while_marking, PruneFixture) {
    make_snapshots(4);
    make_plan(keep_last(1));
    catalog.before_start_pruning = [&] { catalog.set_in_use(2, true); };

    BOOST_TEST((run(claim("nightly", std::nullopt)) == worker::RunOutcome::succeeded));

    BOOST_TEST(on_disk(2));
    BOOST_TEST(!on_disk(1));
    BOOST_TEST(!on_disk(3));
    BOOST_TEST((whole() == std::set<core::JobId>{2, 4}));
    BOOST_TEST((queue.last_outcome->prune == core::PruneReport{2, 2}));
}

BOOST_FIXTURE_TEST_CASE(a_crash_after_finish_pruning_leaves_latest_for_the_next_prune_to_repair,
                        PruneFixture) {
    make_snapshots(4);
    // An earlier single delete of 4 (the newest) removed its files and recorded it, then crashed
    // before moving `latest` (as this code did before it moved the link first).
    const auto earlier = claim(std::nullopt, 4);
    BOOST_REQUIRE(catalog.start_pruning(earlier, {4}).has_value());
    remove_files(4);
    catalog.finish_pruning({4});
    queue.release(earlier);
    BOOST_REQUIRE(latest() == names[4]);  // dangling
    BOOST_REQUIRE(!root.open_latest("photos"));
    make_plan(keep_last(10));  // removes nothing itself

    BOOST_TEST((run(claim("nightly", std::nullopt)) == worker::RunOutcome::succeeded));

    BOOST_TEST(latest() == names[3]);
    BOOST_TEST(static_cast<bool>(root.open_latest("photos")));
    BOOST_TEST((queue.last_outcome->prune == core::PruneReport{0, 3}));
}

BOOST_FIXTURE_TEST_CASE(a_crash_after_marking_the_snapshot_latest_names_moves_latest_first,
                        PruneFixture) {
    make_snapshots(4);
    // An earlier delete of 4 marked it and crashed before anything else.
    const auto earlier = claim(std::nullopt, 4);
    BOOST_REQUIRE(catalog.start_pruning(earlier, {4}).has_value());
    queue.release(earlier);
    make_plan(keep_last(10));
    std::string latest_at_first_removal;
    filesystem.before_remove = [&](std::string_view name) {
        if (name.starts_with(".latest-")) return 0;  // repointing the link
        if (latest_at_first_removal.empty()) latest_at_first_removal = latest();
        return 0;
    };

    BOOST_TEST((run(claim("nightly", std::nullopt)) == worker::RunOutcome::succeeded));

    BOOST_TEST(latest_at_first_removal == names[3]);
    BOOST_TEST(!on_disk(4));
    BOOST_TEST(latest() == names[3]);
}

BOOST_FIXTURE_TEST_CASE(latest_moves_off_a_snapshot_before_its_files_go, PruneFixture) {
    make_snapshots(3);
    // Removing the newest fails on its first file: it stays marked, `latest` already moved.
    std::string latest_at_first_removal;
    filesystem.before_remove = [&](std::string_view name) {
        if (name.starts_with(".latest-")) return 0;  // repointing the link
        if (latest_at_first_removal.empty()) latest_at_first_removal = latest();
        return EIO;
    };
    const auto c = claim(std::nullopt, 3);

    BOOST_TEST((run(c) == worker::RunOutcome::failed));

    BOOST_TEST(job(c.job.id).error->code == core::ErrorCode::prune_failed);
    BOOST_TEST(latest_at_first_removal == names[2]);
    BOOST_TEST(latest() == names[2]);
    BOOST_TEST(static_cast<bool>(root.open_latest("photos")));
    BOOST_TEST((marked_pruning() == std::set<core::JobId>{3}));
}

BOOST_FIXTURE_TEST_CASE(a_latest_naming_a_snapshot_outside_the_catalog_on_disk_is_left_alone,
                        PruneFixture) {
    make_snapshots(2);
    const std::string outside = "20261201T000000Z-99";
    fs::create_directories(backups / "photos" / outside);
    root.repoint_latest("photos", outside);
    make_plan(keep_last(10));

    BOOST_TEST((run(claim("nightly", std::nullopt)) == worker::RunOutcome::succeeded));

    BOOST_TEST(latest() == outside);
}

BOOST_FIXTURE_TEST_CASE(a_leftover_that_cannot_be_removed_fails_the_job_after_the_rest_is_pruned,
                        PruneFixture) {
    make_snapshots(5);
    // An earlier prune marked 1 and 2 and crashed; 1 cannot be removed now.
    const auto earlier = claim(std::nullopt, 1);
    BOOST_REQUIRE(catalog.start_pruning(earlier, {1, 2}).has_value());
    queue.release(earlier);
    filesystem.before_remove = [](std::string_view name) { return name == "data-1" ? EACCES : 0; };
    make_plan(keep_last(1));
    const auto c = claim("nightly", std::nullopt);

    BOOST_TEST((run(c) == worker::RunOutcome::failed));

    const auto ended = job(c.job.id);
    BOOST_TEST(ended.error->code == core::ErrorCode::prune_failed);
    BOOST_TEST(ended.error->message.find("snapshot 1") != std::string::npos);
    BOOST_TEST(on_disk(1));
    for (core::JobId id : {2, 3, 4}) BOOST_TEST(!on_disk(id), "snapshot " << id);
    BOOST_TEST(on_disk(5));
    BOOST_TEST((marked_pruning() == std::set<core::JobId>{1}));  // the rest recorded
    BOOST_TEST((whole() == std::set<core::JobId>{5}));
    BOOST_TEST((queue.last_outcome->prune == core::PruneReport{3, 1}));
    BOOST_TEST(latest() == names[5]);
}

BOOST_FIXTURE_TEST_CASE(an_unknown_plan_fails_not_found_naming_it, PruneFixture) {
    make_snapshots(3);
    const auto c = claim("gone", std::nullopt);

    BOOST_TEST((run(c) == worker::RunOutcome::failed));

    const auto ended = job(c.job.id);
    BOOST_TEST(ended.error->code == core::ErrorCode::not_found);
    BOOST_TEST(ended.error->message.find("gone") != std::string::npos);
    BOOST_TEST((whole() == std::set<core::JobId>{1, 2, 3}));
}

BOOST_FIXTURE_TEST_CASE(a_runner_without_catalogs_fails_prunes_as_internal_error, PruneFixture) {
    make_snapshots(2);
    const auto c = claim(std::nullopt, 1);

    BOOST_TEST((run(c, {}, false) == worker::RunOutcome::failed));

    BOOST_TEST(job(c.job.id).error->code == core::ErrorCode::internal_error);
    BOOST_TEST(on_disk(1));
}

BOOST_FIXTURE_TEST_CASE(a_removal_error_fails_prune_failed_and_leaves_the_rest_marked,
                        PruneFixture) {
    make_snapshots(5);
    make_plan(keep_last(2));
    filesystem.before_remove = [](std::string_view name) { return name == "data-2" ? EACCES : 0; };
    const auto c = claim("nightly", std::nullopt);

    BOOST_TEST((run(c) == worker::RunOutcome::failed));

    const auto ended = job(c.job.id);
    BOOST_TEST(ended.error->code == core::ErrorCode::prune_failed);
    BOOST_TEST(ended.error->message.find("snapshot 2") != std::string::npos);
    BOOST_TEST(ended.error->message.find(temp.path().string()) == std::string::npos);
    BOOST_TEST(ended.error->message.find('/') == std::string::npos);
    BOOST_TEST(!on_disk(3));  // removed before the failure, and recorded
    BOOST_TEST((marked_pruning() == std::set<core::JobId>{1, 2}));
    BOOST_TEST((whole() == std::set<core::JobId>{4, 5}));

    // The next prune finishes them once the disk lets it.
    filesystem.before_remove = nullptr;
    BOOST_TEST((run(claim("nightly", std::nullopt)) == worker::RunOutcome::succeeded));
    BOOST_TEST(!on_disk(1));
    BOOST_TEST(!fs::exists(backups / "photos" / names[2]));
    BOOST_TEST(marked_pruning().empty());
}

BOOST_FIXTURE_TEST_CASE(a_shutdown_between_snapshots_records_what_went_and_releases_the_job,
                        PruneFixture) {
    make_snapshots(5);
    make_plan(keep_last(2));
    std::stop_source shutdown;
    filesystem.before_remove = [&](std::string_view name) {
        if (name == "data-3") shutdown.request_stop();  // while removing the first one
        return 0;
    };
    const auto c = claim("nightly", std::nullopt);

    BOOST_TEST((run(c, shutdown.get_token()) == worker::RunOutcome::released));

    BOOST_TEST((job(c.job.id).state == core::JobState::queued));
    BOOST_TEST(!on_disk(3));  // the one under way finishes
    BOOST_TEST(on_disk(2));
    BOOST_TEST(on_disk(1));
    BOOST_TEST((marked_pruning() == std::set<core::JobId>{1, 2}));
    BOOST_TEST(!queue.last_outcome.has_value());
}

BOOST_AUTO_TEST_SUITE_END()
