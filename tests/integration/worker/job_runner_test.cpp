// One attempt through the JobRunner on the backend under test: a worker whose lease was taken
// over, or whose job was cancelled, never finalizes; each backup-disk and source fault ends
// with its precise code and nothing left behind; the orphan collector keeps exactly what the
// database vouches for.
#include "backupd/worker/job_runner.hpp"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include <boost/test/unit_test.hpp>

#include "backupd/worker/backup_root_watch.hpp"
#include "backupd/worker/orphan_collector.hpp"
#include "fault_filesystem.hpp"
#include "worker_fixture.hpp"

using namespace backupd;
using namespace std::chrono_literals;
using Call = testing::FaultFilesystem::Call;

namespace {

const core::LeaseOwner kFirst{"node-a", "run-1"};
const core::LeaseOwner kSecond{"node-b", "run-1"};

// A gate the copy waits at before its first file, until the test opens it.
class Gate {
public:
    void wait_at_gate() {
        std::unique_lock lock(mutex_);
        reached_ = true;
        changed_.notify_all();
        changed_.wait_for(lock, 30s, [this] { return open_; });
    }
    void wait_until_reached() {
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, 30s, [this] { return reached_; });
    }
    void open() {
        std::lock_guard lock(mutex_);
        open_ = true;
        changed_.notify_all();
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    bool reached_ = false;
    bool open_ = false;
};

// The backup root seen through a FaultFilesystem whose hook, by default, holds the copy at the
// gate before its first file.
struct RunnerFixture : testing::WorkerFixture {
    Gate gate;
    std::atomic<bool> first_file{true};
    testing::FaultFilesystem filesystem;
    copy::BackupRoot gated_root = copy::BackupRoot::open(backups.string(), filesystem);

    RunnerFixture() {
        filesystem.before = [this](Call call, const std::filesystem::path&) {
            if (call == Call::open_to_read && first_file.exchange(false)) gate.wait_at_gate();
            return 0;
        };
    }

    static worker::RunnerOptions options() {
        worker::RunnerOptions options;
        options.copy_threads = 1;
        return options;
    }

    // Ends kFirst's lease the way a restart of its node does, and lets kSecond claim.
    core::Claim take_over(const core::Job& job) {
        (void)queue.expire_previous_incarnations({kFirst.node, "run-2"});
        auto second = queue.claim(kSecond);
        BOOST_REQUIRE(second.has_value());
        BOOST_REQUIRE(second->job.id == job.id);
        return *second;
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(job_runner)

BOOST_FIXTURE_TEST_CASE(a_worker_whose_lease_was_taken_over_before_commit_never_finalizes,
                        RunnerFixture) {
    make_folder("photos", 10);
    const auto job = queue.enqueue({"photos"});
    const auto claim = queue.claim(kFirst);
    worker::JobRunner runner(queue, {gated_root, source_root}, options());
    auto run = std::async(std::launch::async, [&] { return runner.run(*claim, {}); });
    gate.wait_until_reached();

    const auto second = take_over(job);
    gate.open();
    BOOST_TEST((run.get() == worker::RunOutcome::abandoned));

    const auto current = queue.find(job.id);
    BOOST_TEST(core::to_string(current->state) == "running");
    BOOST_TEST(current->attempt == second.job.attempt);
    BOOST_TEST(*current->lease_owner == kSecond.node);
    BOOST_TEST(!current->snapshot.has_value());
    BOOST_TEST(backup_records_for(job.id) == 0u);
    const auto contents = backup_contents();
    BOOST_TEST(contents.snapshots.empty());
    BOOST_TEST(contents.staging.empty());
    BOOST_TEST(!std::filesystem::exists(backups / "photos" / "latest"));
}

BOOST_FIXTURE_TEST_CASE(a_heartbeat_that_finds_the_lease_gone_stops_the_copy, RunnerFixture) {
    make_folder("photos", 200);
    const auto job = queue.enqueue({"photos"});
    auto short_lease = queue_with_lease(300ms);  // the claim's lease: a heartbeat every 100 ms
    const auto claim = short_lease->claim(kFirst);
    std::atomic<int> opened{0};
    filesystem.before = [&](Call call, const std::filesystem::path&) {
        if (call != Call::open_to_read) return 0;
        if (first_file.exchange(false)) gate.wait_at_gate();
        ++opened;
        std::this_thread::sleep_for(5ms);
        return 0;
    };
    // A heartbeat every 100 ms.
    worker::JobRunner runner(*short_lease, {gated_root, source_root}, options());
    auto run = std::async(std::launch::async, [&] { return runner.run(*claim, {}); });
    gate.wait_until_reached();
    take_over(job);
    gate.open();

    BOOST_TEST((run.get() == worker::RunOutcome::abandoned));
    BOOST_TEST(opened.load() < 200);  // stopped by the heartbeat, not by running out of files
    BOOST_TEST(backup_records_for(job.id) == 0u);
    BOOST_TEST(backup_contents().staging.empty());
    BOOST_TEST(backup_contents().snapshots.empty());
}

BOOST_FIXTURE_TEST_CASE(a_job_cancelled_while_running_is_not_finalized, RunnerFixture) {
    make_folder("photos", 10);
    const auto job = queue.enqueue({"photos"});
    const auto claim = queue.claim(kFirst);
    worker::JobRunner runner(queue, {gated_root, source_root}, options());
    auto run = std::async(std::launch::async, [&] { return runner.run(*claim, {}); });
    gate.wait_until_reached();
    BOOST_TEST((queue.cancel(job.id) == core::CancelResult::cancelled));
    gate.open();

    BOOST_TEST((run.get() == worker::RunOutcome::abandoned));
    BOOST_TEST(core::to_string(queue.find(job.id)->state) == "cancelled");
    BOOST_TEST(backup_contents().snapshots.empty());
    BOOST_TEST(backup_contents().staging.empty());
}

// The job of photos/ with `attempts` attempts, claimed by kFirst.
core::Claim claim_photos(RunnerFixture& f, int attempts) {
    core::NewJob new_job;
    new_job.folder = "photos";
    new_job.max_attempts = attempts;
    f.queue.enqueue(new_job);
    auto claim = f.queue.claim(kFirst);
    BOOST_REQUIRE(claim.has_value());
    return *claim;
}

// The attempt ended with source_vanished and nothing of it is left: the job waits for its
// retry (keeping the error), no snapshot, no staging copy, no audit record yet.
void check_vanished_and_retried(RunnerFixture& f, core::JobId id) {
    const auto waiting = f.queue.find(id).value();
    BOOST_TEST(core::to_string(waiting.state) == "queued");
    BOOST_REQUIRE(waiting.error.has_value());
    BOOST_TEST(core::to_string(waiting.error->code) == "source_vanished");
    BOOST_TEST(waiting.error->message.find("vanished during the backup") != std::string::npos,
               waiting.error->message);
    BOOST_TEST(waiting.retry_at.has_value());
    BOOST_TEST(f.backup_contents().staging.empty());
    BOOST_TEST(f.backup_contents().snapshots.empty());
    BOOST_TEST(!std::filesystem::exists(f.backups / "photos" / "latest"));
    BOOST_TEST(f.backup_records_for(id) == 0u);
}

// Lets a retried job's backoff pass (its own SQL, as job_retry_test does) and claims it again.
core::Claim retry_now(RunnerFixture& f, core::JobId id) {
    f.scratch.execute("UPDATE jobs SET run_after = '2000-01-01 00:00:00.000000' WHERE id = " +
                      std::to_string(id));
    auto claim = f.queue.claim(kFirst);
    BOOST_REQUIRE(claim.has_value());
    BOOST_REQUIRE(claim->job.id == id);
    BOOST_TEST(claim->job.attempt == 2);
    return *claim;
}

BOOST_FIXTURE_TEST_CASE(a_file_replaced_during_the_copy_is_skipped_and_the_job_succeeds,
                        RunnerFixture) {
    make_folder("photos", 4);
    const auto claim = claim_photos(*this, 3);
    // Replace a file by a directory after the walk: the file the walk saw is gone.
    const auto replaced = std::filesystem::canonical(sources) / "photos" / "even" / "file-0";
    filesystem.before = [&](Call call, const std::filesystem::path& path) {
        if (call == Call::open_to_read && path == replaced) {
            std::filesystem::remove(replaced);
            std::filesystem::create_directory(replaced);
        }
        return 0;
    };
    worker::JobRunner runner(queue, {gated_root, source_root}, options());

    // One file gone from a live folder is skipped (and counted): the job still succeeds, and
    // the snapshot lacks only that file.
    BOOST_TEST((runner.run(claim, {}) == worker::RunOutcome::succeeded));
    const auto done = queue.find(claim.job.id).value();
    BOOST_TEST(core::to_string(done.state) == "succeeded");
    BOOST_TEST(!std::filesystem::exists(backups / *done.snapshot / "even" / "file-0"));
    BOOST_TEST(std::filesystem::exists(backups / *done.snapshot / "even" / "file-2"));
    BOOST_TEST(backup_records_for(claim.job.id) == 1u);
}

BOOST_FIXTURE_TEST_CASE(
    a_directory_removed_mid_walk_fails_with_source_vanished_and_the_retry_copies_what_is_left,
    RunnerFixture) {
    make_folder("photos", 8);
    const auto claim = claim_photos(*this, 3);
    // At the first file opened, delete the other directory (its batch is still to come).
    const auto folder = std::filesystem::canonical(sources) / "photos";
    filesystem.before = [&](Call call, const std::filesystem::path& path) {
        if (call == Call::open_to_read && first_file.exchange(false)) {
            const bool in_even = path.parent_path() == folder / "even";
            std::filesystem::remove_all(folder / (in_even ? "odd" : "even"));
        }
        return 0;
    };
    worker::RunnerOptions with_watch = options();
    worker::BackupRootWatch watch(backup_root.fd());
    with_watch.root_watch = &watch;
    worker::JobRunner runner(queue, {gated_root, source_root}, with_watch);

    BOOST_TEST((runner.run(claim, {}) == worker::RunOutcome::failed));
    check_vanished_and_retried(*this, claim.job.id);
    // A source fault says nothing about the backup root.
    BOOST_TEST(!watch.state().last_fault.has_value());
    BOOST_TEST(!watch.state().problem.has_value());

    filesystem.before = nullptr;
    const auto second = retry_now(*this, claim.job.id);
    BOOST_TEST((runner.run(second, {}) == worker::RunOutcome::succeeded));
    const auto done = queue.find(claim.job.id).value();
    BOOST_TEST(core::to_string(done.state) == "succeeded");
    BOOST_TEST(!done.error.has_value());
    BOOST_TEST(same_tree("photos", *done.snapshot));  // the folder as it is now
    BOOST_TEST(backup_records_for(claim.job.id) == 1u);
    BOOST_TEST(backup_contents().staging.empty());
}

BOOST_FIXTURE_TEST_CASE(a_folder_removed_mid_walk_fails_source_vanished_then_no_such_directory,
                        RunnerFixture) {
    make_folder("photos", 4);
    const auto claim = claim_photos(*this, 3);
    const auto folder = std::filesystem::canonical(sources) / "photos";
    filesystem.before = [&](Call call, const std::filesystem::path&) {
        if (call == Call::open_to_read && first_file.exchange(false))
            std::filesystem::remove_all(folder);
        return 0;
    };
    worker::JobRunner runner(queue, {gated_root, source_root}, options());

    BOOST_TEST((runner.run(claim, {}) == worker::RunOutcome::failed));
    check_vanished_and_retried(*this, claim.job.id);

    const auto second = retry_now(*this, claim.job.id);
    BOOST_TEST((runner.run(second, {}) == worker::RunOutcome::failed));
    const auto failed = queue.find(claim.job.id).value();
    BOOST_TEST(core::to_string(failed.state) == "failed");
    BOOST_REQUIRE(failed.error.has_value());
    BOOST_TEST(core::to_string(failed.error->code) == "no_such_directory");
    BOOST_TEST(backup_records_for(claim.job.id) == 1u);
    BOOST_TEST(backup_contents().staging.empty());
    BOOST_TEST(backup_contents().snapshots.empty());
}

// Runs one single-attempt job of photos/ while every call of `kind` fails with `error`; returns
// the job as recorded.
core::Job run_with_failing_root(RunnerFixture& f, Call kind, int error) {
    f.make_folder("photos", 4);
    core::NewJob new_job;
    new_job.folder = "photos";
    new_job.max_attempts = 1;  // no retry: the failure is final and audited now
    const auto job = f.queue.enqueue(new_job);
    const auto claim = f.queue.claim(kFirst);
    f.filesystem.before = testing::FaultFilesystem::fail(kind, error);
    worker::JobRunner runner(f.queue, {f.gated_root, f.source_root}, RunnerFixture::options());

    BOOST_TEST((runner.run(*claim, {}) == worker::RunOutcome::failed));
    BOOST_TEST(f.filesystem.faults() >= 1);
    return *f.queue.find(job.id);
}

BOOST_FIXTURE_TEST_CASE(a_job_whose_backup_root_is_full_fails_with_backup_disk_full,
                        RunnerFixture) {
    const auto failed = run_with_failing_root(*this, Call::write, ENOSPC);

    BOOST_TEST(core::to_string(failed.state) == "failed");
    BOOST_REQUIRE(failed.error.has_value());
    BOOST_TEST(core::to_string(failed.error->code) == "backup_disk_full");
    BOOST_TEST(failed.error->message.find("the backup disk is full") != std::string::npos,
               failed.error->message);
    BOOST_TEST(backup_records_for(failed.id) == 1u);
    BOOST_TEST(backup_contents().staging.empty());
    BOOST_TEST(backup_contents().snapshots.empty());
    BOOST_TEST(!std::filesystem::exists(backups / "photos" / "latest"));
}

BOOST_FIXTURE_TEST_CASE(a_job_whose_backup_root_is_read_only_fails_with_backup_root_read_only,
                        RunnerFixture) {
    const auto failed = run_with_failing_root(*this, Call::make_directory, EROFS);

    BOOST_TEST(core::to_string(failed.state) == "failed");
    BOOST_REQUIRE(failed.error.has_value());
    BOOST_TEST(core::to_string(failed.error->code) == "backup_root_read_only");
    BOOST_TEST(backup_records_for(failed.id) == 1u);
    BOOST_TEST(backup_contents().staging.empty());
    BOOST_TEST(backup_contents().snapshots.empty());
}

BOOST_FIXTURE_TEST_CASE(an_enoent_on_the_backup_root_stays_snapshot_write_failed, RunnerFixture) {
    const auto failed = run_with_failing_root(*this, Call::create_file, ENOENT);

    BOOST_TEST(core::to_string(failed.state) == "failed");
    BOOST_REQUIRE(failed.error.has_value());
    BOOST_TEST(core::to_string(failed.error->code) == "snapshot_write_failed");
    BOOST_TEST(backup_contents().staging.empty());
    BOOST_TEST(backup_contents().snapshots.empty());
}

BOOST_FIXTURE_TEST_CASE(a_full_backup_root_is_reported_to_the_watch_until_a_snapshot_commits,
                        RunnerFixture) {
    make_folder("photos", 4);
    worker::BackupRootWatch watch(backup_root.fd(), 0ms);
    worker::RunnerOptions with_watch = options();
    with_watch.root_watch = &watch;
    worker::JobRunner runner(queue, {gated_root, source_root}, with_watch);
    const auto claim = claim_photos(*this, 1);
    filesystem.before = testing::FaultFilesystem::fail(Call::write, ENOSPC);

    BOOST_TEST((runner.run(claim, {}) == worker::RunOutcome::failed));
    BOOST_TEST((watch.state().last_fault == core::ErrorCode::backup_disk_full));

    filesystem.before = nullptr;
    const auto next = claim_photos(*this, 1);
    BOOST_TEST((runner.run(next, {}) == worker::RunOutcome::succeeded));
    BOOST_TEST(!watch.state().last_fault.has_value());
    BOOST_TEST(!watch.state().problem.has_value());
}

BOOST_FIXTURE_TEST_CASE(the_orphan_collector_keeps_only_what_the_database_vouches_for,
                        RunnerFixture) {
    const auto make_dir = [&](const std::string& relative) {
        std::filesystem::create_directories(backups / relative);
        std::ofstream(backups / relative / "file") << "x";
    };
    make_folder("photos", 2);
    // A succeeded job and its snapshot: kept.
    const auto good = queue.enqueue({"photos"});
    auto good_claim = queue.claim(kFirst);
    worker::JobRunner runner(queue, {backup_root, source_root}, worker::RunnerOptions{});
    BOOST_REQUIRE((runner.run(*good_claim, {}) == worker::RunOutcome::succeeded));
    const std::string kept = *queue.find(good.id)->snapshot;
    // A job that ended without committing after a crash between rename and commit (here:
    // cancelled): its snapshot and staging go.
    const auto crashed = queue.enqueue({"photos"});
    (void)queue.claim(kFirst);
    BOOST_REQUIRE((queue.cancel(crashed.id) == core::CancelResult::cancelled));
    const std::string orphan = "photos/20991231T000000Z-" + std::to_string(crashed.id);
    make_dir(orphan);
    make_dir(".staging/" + std::to_string(crashed.id) + "-1");
    // A running attempt elsewhere keeps its staging; an older attempt's staging goes.
    const auto running = queue.enqueue({"videos"});
    (void)queue.claim(kSecond);
    make_dir(".staging/" + std::to_string(running.id) + "-1");
    // Unknown to this database, or made by `backupd snapshot`: left alone.
    make_dir("photos/20260101T000000Z-9999");
    make_dir("photos/20260101T000000Z-0");
    // Another database's snapshots whose ids this database reuses: another folder, or taken
    // before this job was submitted. Left alone.
    const std::string other_folder = "videos/20991231T000000Z-" + std::to_string(crashed.id);
    const std::string before_job = "photos/20200101T000000Z-" + std::to_string(crashed.id);
    make_dir(other_folder);
    make_dir(before_job);

    const auto result = worker::collect_orphans(queue, backup_root);

    BOOST_TEST(result.staging_removed == 1u);
    BOOST_TEST(result.snapshots_removed == 1u);
    BOOST_TEST(result.snapshots_unknown == 3u);
    BOOST_TEST(std::filesystem::exists(backups / other_folder));
    BOOST_TEST(std::filesystem::exists(backups / before_job));
    BOOST_TEST(std::filesystem::exists(backups / kept));
    BOOST_TEST(!std::filesystem::exists(backups / orphan));
    BOOST_TEST(
        !std::filesystem::exists(backups / ".staging" / (std::to_string(crashed.id) + "-1")));
    BOOST_TEST(std::filesystem::exists(backups / ".staging" / (std::to_string(running.id) + "-1")));
    BOOST_TEST(std::filesystem::exists(backups / "photos/20260101T000000Z-9999"));
    BOOST_TEST(std::filesystem::exists(backups / "photos/20260101T000000Z-0"));
}

BOOST_FIXTURE_TEST_CASE(the_orphan_collector_treats_a_snapshot_and_its_manifest_as_one,
                        RunnerFixture) {
    const auto write = [&](const std::string& relative) {
        std::filesystem::create_directories((backups / relative).parent_path());
        std::ofstream(backups / relative) << "x";
    };
    make_folder("photos", 2);
    const auto good = queue.enqueue({"photos"});
    auto good_claim = queue.claim(kFirst);
    worker::JobRunner runner(queue, {backup_root, source_root}, worker::RunnerOptions{});
    BOOST_REQUIRE((runner.run(*good_claim, {}) == worker::RunOutcome::succeeded));
    const std::string kept = *queue.find(good.id)->snapshot;
    BOOST_REQUIRE(std::filesystem::exists(backups / (kept + ".manifest")));
    // An ended job's snapshot that no job claims, with its manifest: both go.
    const auto ended = queue.enqueue({"photos"});
    (void)queue.claim(kFirst);
    BOOST_REQUIRE((queue.cancel(ended.id) == core::CancelResult::cancelled));
    const std::string orphan = "photos/20991231T000000Z-" + std::to_string(ended.id);
    write(orphan + "/file");
    write(orphan + ".manifest");
    // A manifest whose directory is gone: removed once its job has ended, kept while it runs
    // (its commit may be between the two renames).
    const std::string lone = "photos/20991231T000001Z-" + std::to_string(ended.id) + ".manifest";
    write(lone);
    const auto running = queue.enqueue({"videos"});
    (void)queue.claim(kSecond);
    const std::string committing =
        "videos/20991231T000000Z-" + std::to_string(running.id) + ".manifest";
    write(committing);

    const auto result = worker::collect_orphans(queue, backup_root);

    BOOST_TEST(std::filesystem::exists(backups / kept));
    BOOST_TEST(std::filesystem::exists(backups / (kept + ".manifest")));
    BOOST_TEST(!std::filesystem::exists(backups / orphan));
    BOOST_TEST(!std::filesystem::exists(backups / (orphan + ".manifest")));
    BOOST_TEST(!std::filesystem::exists(backups / lone));
    BOOST_TEST(std::filesystem::exists(backups / committing));
    BOOST_TEST(result.manifests_removed == 1u);
}

BOOST_FIXTURE_TEST_CASE(a_verify_refuses_a_manifest_other_than_the_one_recorded_at_backup,
                        RunnerFixture) {
    make_folder("photos", 2);
    make_folder("videos", 3);
    worker::JobRunner runner(queue, {backup_root, source_root}, worker::RunnerOptions{});
    const auto run_next = [&] {
        auto claim = queue.claim(kFirst);
        BOOST_REQUIRE(claim.has_value());
        return runner.run(*claim, {});
    };
    const auto photos = queue.enqueue({"photos"});
    BOOST_REQUIRE((run_next() == worker::RunOutcome::succeeded));
    const auto videos = queue.enqueue({"videos"});
    BOOST_REQUIRE((run_next() == worker::RunOutcome::succeeded));
    const std::string snapshot = *queue.find(photos.id)->snapshot;

    const auto verify = [&] {
        core::NewJob job{"photos"};
        job.kind = core::JobKind::verify;
        job.snapshot_id = photos.id;
        job.snapshot = snapshot;
        const auto queued = queue.enqueue(job);
        (void)run_next();
        return *queue.find(queued.id);
    };
    BOOST_TEST((verify().state == core::JobState::succeeded));

    // A manifest that checks in itself, but is not the snapshot's: another snapshot's.
    std::filesystem::copy_file(backups / (*queue.find(videos.id)->snapshot + ".manifest"),
                               backups / (snapshot + ".manifest"),
                               std::filesystem::copy_options::overwrite_existing);
    const auto refused = verify();
    BOOST_TEST((refused.state == core::JobState::failed));
    BOOST_REQUIRE(refused.error.has_value());
    BOOST_TEST((refused.error->code == core::ErrorCode::verify_mismatch));
    BOOST_TEST(refused.error->message.find("not the one recorded") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
