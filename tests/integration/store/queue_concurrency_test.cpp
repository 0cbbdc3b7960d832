#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include <boost/test/unit_test.hpp>

#include "queue_fixture.hpp"

using namespace backupd;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_SUITE(queue_concurrency)

// Two "nodes" (separate connection pools), two worker threads each, claim 2,000 jobs over 200
// folders: every job is claimed exactly once, no folder ever runs twice at once, all finish.
BOOST_AUTO_TEST_CASE(two_nodes_claim_every_job_exactly_once) {
    constexpr int kJobs = 2000;
    constexpr int kFolders = 200;
    testing::ScratchDatabase scratch;
    auto node_a = scratch.open({.pool_size = 2});
    auto node_b = scratch.open({.pool_size = 2});
    store::migrate(*node_a);
    store::SqlJobQueue queue_a(*node_a);
    store::SqlJobQueue queue_b(*node_b);

    std::vector<core::NewJob> batch;
    batch.reserve(kJobs);
    for (int i = 0; i < kJobs; ++i) batch.push_back({.folder = "f" + std::to_string(i % kFolders)});
    queue_a.enqueue_batch(batch);

    std::mutex mutex;
    std::set<core::JobId> claimed;
    std::set<std::string> running_folders;
    std::atomic<int> duplicates{0}, overlaps{0}, finished{0}, lost{0};

    const auto worker = [&](store::SqlJobQueue& queue, const core::LeaseOwner& owner) {
        const auto deadline = std::chrono::steady_clock::now() + 240s;
        while (finished.load() < kJobs && std::chrono::steady_clock::now() < deadline) {
            const auto claim = queue.claim(owner);
            if (!claim) {
                std::this_thread::sleep_for(1ms);
                continue;
            }
            {
                std::lock_guard lock(mutex);
                if (!claimed.insert(claim->job.id).second) ++duplicates;
                if (!running_folders.insert(claim->job.folder).second) ++overlaps;
            }
            core::JobOutcome outcome;
            outcome.snapshot = claim->job.folder + "/s-" + std::to_string(claim->job.id);
            {
                // Leave the folder before the commit that lets another worker take it.
                std::lock_guard lock(mutex);
                running_folders.erase(claim->job.folder);
            }
            if (queue.finish(*claim, outcome)) {
                ++finished;
            } else {
                ++lost;
            }
        }
    };
    std::vector<std::thread> threads;
    threads.emplace_back(worker, std::ref(queue_a), core::LeaseOwner{"node-a", "1"});
    threads.emplace_back(worker, std::ref(queue_a), core::LeaseOwner{"node-a", "1"});
    threads.emplace_back(worker, std::ref(queue_b), core::LeaseOwner{"node-b", "1"});
    threads.emplace_back(worker, std::ref(queue_b), core::LeaseOwner{"node-b", "1"});
    for (auto& thread : threads) thread.join();

    BOOST_TEST(duplicates.load() == 0);
    BOOST_TEST(overlaps.load() == 0);
    BOOST_TEST(lost.load() == 0);
    BOOST_TEST(claimed.size() == static_cast<std::size_t>(kJobs));
    BOOST_TEST(finished.load() == kJobs);
    const auto stats = queue_a.stats();
    BOOST_TEST(stats.succeeded == kJobs);
    BOOST_TEST(stats.queued == 0);
    BOOST_TEST(stats.running == 0);
    core::AuditQuery successes;
    successes.status = core::AuditStatus::success;
    successes.limit = kJobs + 1;
    const auto audited = store::SqlAuditLog(*node_b).page(successes);
    BOOST_TEST(audited.records.size() == static_cast<std::size_t>(kJobs));
    BOOST_TEST(!audited.next.has_value());
}

BOOST_AUTO_TEST_SUITE_END()
