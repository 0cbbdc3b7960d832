// The worker's prune run over a real backup root in a temp dir, with the in-memory queue,
// snapshot catalog and plan store: what goes, what stays, `latest`, and the pruning steps.
#include <cerrno>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <stop_token>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "backupd/copy/filesystem.hpp"
#include "backupd/copy/snapshot.hpp"
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

struct PruneFixture {
    test::TempTree temp;
    fs::path backups = temp / "backup";
    RemoveHookFilesystem filesystem;
    copy::BackupRoot root = copy::BackupRoot::open(backups.string(), filesystem);
    RecordingQueue queue;
    testing::FakeSnapshotCatalog catalog;
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

BOOST_FIXTURE_TEST_CASE(the_snapshot_latest_names_is_never_pruned, PruneFixture) {
    make_snapshots(4);
    root.repoint_latest("photos", names[2]);  // e.g. the newest ones came from elsewhere
    make_plan(keep_last(1));

    BOOST_TEST((run(claim("nightly", std::nullopt)) == worker::RunOutcome::succeeded));

    BOOST_TEST((whole() == std::set<core::JobId>{2, 4}));
    BOOST_TEST(on_disk(2));
    BOOST_TEST(latest() == names[2]);
    BOOST_TEST((queue.last_outcome->prune == core::PruneReport{2, 2}));
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
    BOOST_TEST(ended.error->message.find("snapshot 2") != std::string::npos);
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
