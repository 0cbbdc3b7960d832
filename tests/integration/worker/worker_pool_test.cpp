// The worker pool with real copies on the backend under test: many jobs, one running job per
// folder, one snapshot and one audit record per job, and a bounded drain on stop.
#include "backupd/worker/worker_pool.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <thread>

#include <boost/test/unit_test.hpp>

#include "fault_filesystem.hpp"
#include "worker_fixture.hpp"

using namespace backupd;
using namespace std::chrono_literals;

namespace {

worker::WorkerPoolOptions pool_options(std::size_t workers) {
    worker::WorkerPoolOptions options;
    options.workers = workers;
    options.owner = {"node-a", "run-1"};
    options.poll_interval = 100ms;
    options.reap_interval = 500ms;
    options.runner.copy_threads = 2;
    return options;
}

// Waits until no job is queued or running, up to `limit`; returns the final stats.
core::Stats wait_until_settled(core::JobQueue& queue, std::chrono::seconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        const auto stats = queue.stats();
        if ((stats.queued == 0 && stats.running == 0) ||
            std::chrono::steady_clock::now() > deadline) {
            return stats;
        }
        std::this_thread::sleep_for(50ms);
    }
}

// Each source file takes at least `delay` to open, through the seam.
void slow_down_reads(testing::FaultFilesystem& filesystem, std::chrono::milliseconds delay) {
    using Call = testing::FaultFilesystem::Call;
    filesystem.before = [delay](Call call, const std::filesystem::path&) {
        if (call == Call::open_to_read) std::this_thread::sleep_for(delay);
        return 0;
    };
}

// Waits until the pool runs a job, up to `limit`; false if it never did (the test then fails
// instead of hanging).
[[nodiscard]] bool wait_until_busy(const worker::WorkerPool& pool, std::chrono::seconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (pool.busy() == 0) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

// One worker copying with one thread from a source whose every file takes `delay` to open,
// started and seen running its first job.
struct SlowPool {
    testing::FaultFilesystem filesystem;
    copy::BackupRoot root;
    worker::WorkerPool pool;

    SlowPool(testing::WorkerFixture& fixture, std::chrono::milliseconds delay)
        : root(copy::BackupRoot::open(fixture.backups.string(), filesystem)),
          pool(fixture.queue, {root, fixture.source_root}, options()) {
        slow_down_reads(filesystem, delay);
        pool.start();
        pool.wake();
        BOOST_REQUIRE_MESSAGE(wait_until_busy(pool, 30s), "the pool started no job within 30 s");
    }

    static worker::WorkerPoolOptions options() {
        auto options = pool_options(1);
        options.runner.copy_threads = 1;
        return options;
    }
};

std::vector<core::Job> all_jobs(core::JobQueue& queue) {
    core::JobFilter filter;
    filter.limit = 1000;
    return queue.list(filter).jobs;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(worker_pool)

BOOST_FIXTURE_TEST_CASE(two_hundred_jobs_over_twenty_folders_each_make_one_snapshot,
                        testing::WorkerFixture) {
    constexpr int kFolders = 20;
    constexpr int kJobsPerFolder = 10;
    std::vector<core::NewJob> jobs;
    for (int f = 0; f < kFolders; ++f) make_folder("folder-" + std::to_string(f), 6);
    for (int round = 0; round < kJobsPerFolder; ++round) {
        for (int f = 0; f < kFolders; ++f) jobs.push_back({"folder-" + std::to_string(f)});
    }
    queue.enqueue_batch(jobs);

    worker::WorkerPool pool(queue, {backup_root, source_root}, pool_options(4));
    pool.start();
    const auto stats = wait_until_settled(queue, 120s);
    pool.stop(5s);

    BOOST_TEST(stats.succeeded == kFolders * kJobsPerFolder);
    BOOST_TEST(stats.failed == 0);
    const auto finished = all_jobs(queue);
    std::set<std::string> snapshots;
    std::map<std::string, std::vector<core::Job>> by_folder;
    for (const auto& job : finished) {
        BOOST_REQUIRE(job.snapshot.has_value());
        snapshots.insert(*job.snapshot);
        by_folder[job.folder].push_back(job);
        BOOST_TEST(backup_records_for(job.id) == 1u);
    }
    BOOST_TEST(snapshots.size() == finished.size());  // one snapshot per job
    const auto contents = backup_contents();
    BOOST_TEST(contents.snapshots.size() == finished.size());
    BOOST_TEST(contents.staging.empty());

    for (auto& [folder, runs] : by_folder) {
        // Never two at once: by database time, each run starts after the previous one ended.
        std::sort(runs.begin(), runs.end(),
                  [](const auto& a, const auto& b) { return *a.started_at < *b.started_at; });
        for (std::size_t i = 1; i < runs.size(); ++i)
            BOOST_TEST((*runs[i].started_at >= *runs[i - 1].finished_at), folder);
        // `latest` names the newest snapshot, and a later run linked its unchanged files.
        const auto newest = std::max_element(runs.begin(), runs.end(),
                                             [](auto& a, auto& b) { return a.id < b.id; });
        BOOST_TEST(std::filesystem::read_symlink(backups / folder / "latest").string() ==
                   std::filesystem::path(*newest->snapshot).filename().string());
        BOOST_TEST(newest->progress.files_linked == 6);
        BOOST_TEST(same_tree(folder, *newest->snapshot));
    }
}

BOOST_FIXTURE_TEST_CASE(a_missing_folder_fails_with_one_audit_record, testing::WorkerFixture) {
    const auto job = queue.enqueue({"not-there"});
    worker::WorkerPool pool(queue, {backup_root, source_root}, pool_options(1));
    pool.start();
    pool.wake();
    wait_until_settled(queue, 30s);
    pool.stop(1s);

    const auto failed = queue.find(job.id);
    BOOST_TEST(core::to_string(failed->state) == "failed");
    BOOST_TEST(failed->error->code == core::ErrorCode::no_such_directory);
    BOOST_TEST(failed->error->message == "No such directory: not-there");
    BOOST_TEST(backup_records_for(job.id) == 1u);
    BOOST_TEST(backup_contents().staging.empty());
}

BOOST_FIXTURE_TEST_CASE(stop_after_the_drain_bound_releases_a_running_job, testing::WorkerFixture) {
    make_folder("slow", 400);
    const auto job = queue.enqueue({"slow"});
    SlowPool slow(*this, 20ms);

    const auto stopping = std::chrono::steady_clock::now();
    slow.pool.stop(200ms);
    BOOST_TEST((std::chrono::steady_clock::now() - stopping < 3s));  // 400 files would take 8 s

    const auto released = queue.find(job.id);
    BOOST_TEST(core::to_string(released->state) == "queued");
    BOOST_TEST(backup_records_for(job.id) == 0u);
    const auto contents = backup_contents();
    BOOST_TEST(contents.staging.empty());
    BOOST_TEST(contents.snapshots.empty());
}

BOOST_FIXTURE_TEST_CASE(stop_within_the_drain_bound_lets_a_running_job_finish,
                        testing::WorkerFixture) {
    make_folder("short", 20);
    const auto job = queue.enqueue({"short"});
    SlowPool slow(*this, 10ms);
    slow.pool.stop(30s);

    BOOST_TEST(core::to_string(queue.find(job.id)->state) == "succeeded");
    BOOST_TEST(backup_records_for(job.id) == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
