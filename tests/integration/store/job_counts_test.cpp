// The kept job counts (store/src/job_counts.hpp) against the jobs table: random operations of
// several workers on two nodes (enqueue, reject, claim, heartbeat, finish, retry, release,
// cancel, crash and reap, a restart's expiry, a prune choosing snapshots), then the counts must
// equal a GROUP BY of the table; and `backupd migrate`'s recount repairs counts gone wrong.
#include <atomic>
#include <random>
#include <thread>

#include <boost/test/unit_test.hpp>

#include "backupd/store/migrations.hpp"
#include "backupd/store/sql_job_queue.hpp"
#include "backupd/store/sql_snapshot_catalog.hpp"
#include "queue_fixture.hpp"

using namespace backupd;
using namespace std::chrono_literals;

namespace {

void expect_same_counts(const char* kind, const core::JobCounts& kept,
                        const core::JobCounts& scanned) {
    BOOST_TEST_CONTEXT(kind) {
        BOOST_TEST(kept.total == scanned.total);
        BOOST_TEST(kept.queued == scanned.queued);
        BOOST_TEST(kept.running == scanned.running);
        BOOST_TEST(kept.succeeded == scanned.succeeded);
        BOOST_TEST(kept.failed == scanned.failed);
        BOOST_TEST(kept.cancelled == scanned.cancelled);
    }
}

// stats() (the kept counts) equals stats_from_jobs() (a scan of the table). The oldest queued
// job is the lowest queued id's submission, where the scan takes MIN(submitted_at): ids and
// submission times of concurrent inserts may cross by the time between id and clock reading.
void expect_counts_match_the_table(store::SqlJobQueue& queue) {
    const core::Stats kept = queue.stats();
    const core::Stats scanned = queue.stats_from_jobs();
    expect_same_counts("backup", kept, scanned);
    expect_same_counts("restore", kept.restores, scanned.restores);
    expect_same_counts("verify", kept.verifies, scanned.verifies);
    expect_same_counts("prune", kept.prunes, scanned.prunes);
    BOOST_TEST(kept.bytes_copied == scanned.bytes_copied);
    BOOST_TEST(kept.oldest_queued_at.has_value() == scanned.oldest_queued_at.has_value());
    if (kept.oldest_queued_at && scanned.oldest_queued_at) {
        BOOST_TEST((*kept.oldest_queued_at >= *scanned.oldest_queued_at));
        BOOST_TEST((*kept.oldest_queued_at - *scanned.oldest_queued_at < 1s));
    }
}

constexpr core::JobKind kKinds[] = {core::JobKind::backup, core::JobKind::restore,
                                    core::JobKind::verify, core::JobKind::prune};

core::NewJob random_job(std::minstd_rand& random) {
    core::NewJob job;
    job.folder = "f" + std::to_string(random() % 12);
    job.kind = kKinds[random() % 4];
    job.max_attempts = 1 + static_cast<int>(random() % 3);
    if (random() % 10 == 0) {
        job.rejection = core::JobError{core::ErrorCode::no_such_directory, "no such folder"};
    }
    return job;
}

core::Progress random_progress(std::minstd_rand& random) {
    const auto bytes = static_cast<std::int64_t>(random() % 100000);
    return {.files_copied = 3, .files_linked = 1, .bytes_copied = bytes};
}

// What the workers did, so the test knows every path ran.
struct Tally {
    std::atomic<int> rejected{0}, succeeded{0}, retried{0}, failed{0}, released{0};
    std::atomic<int> cancelled{0}, abandoned{0}, reaped{0}, pruned{0};
};

}  // namespace

BOOST_AUTO_TEST_SUITE(job_counts)

BOOST_AUTO_TEST_CASE(random_operations_on_two_nodes_keep_the_counts_equal_to_the_table) {
    constexpr int kWorkers = 4;
    constexpr int kSteps = 250;
    testing::ScratchDatabase scratch;
    auto node_a = scratch.open({.pool_size = 3});
    auto node_b = scratch.open({.pool_size = 3});
    store::migrate(*node_a);
    store::SqlJobQueue queue_a(*node_a);
    store::SqlJobQueue queue_b(*node_b);
    store::SqlSnapshotCatalog catalog(*node_a);
    // Claims of node c "crash": they are never finished, and their leases run out.
    store::SqlJobQueue crashing(*node_b, store::QueueOptions{50ms});
    std::atomic<int> crashed_incarnation{1};
    std::atomic<long long> largest_id{1};
    Tally tally;

    const auto worker = [&](int index) {
        std::minstd_rand random(static_cast<unsigned>(1000 + index));
        store::SqlJobQueue& queue = index % 2 == 0 ? queue_a : queue_b;
        const core::LeaseOwner owner{index % 2 == 0 ? "node-a" : "node-b", "1"};
        for (int step = 0; step < kSteps; ++step) {
            switch (random() % 8) {
                case 0:
                case 1: {
                    std::vector<core::NewJob> batch;
                    for (int n = 1 + static_cast<int>(random() % 4); n > 0; --n) {
                        batch.push_back(random_job(random));
                        if (batch.back().rejection) ++tally.rejected;
                    }
                    for (const auto& job : queue.enqueue_batch(batch)) {
                        largest_id = std::max<long long>(largest_id.load(), job.id);
                    }
                    break;
                }
                case 2:
                case 3:
                case 4: {
                    const auto claim = queue.claim(owner);
                    if (!claim) break;
                    const core::Progress progress = random_progress(random);
                    if (random() % 2 == 0) (void)queue.heartbeat(*claim, progress);
                    if (claim->job.kind == core::JobKind::prune) {
                        // A prune choosing a snapshot (or a job that is none, which it skips).
                        const auto id = static_cast<core::JobId>(
                            1 + static_cast<long long>(random()) % largest_id.load());
                        const auto marked = catalog.start_pruning(*claim, {id});
                        if (marked) tally.pruned += static_cast<int>(marked->size());
                    }
                    core::JobOutcome outcome;
                    outcome.progress = random_progress(random);
                    switch (random() % 4) {
                        case 0:
                            if (queue.release(*claim)) ++tally.released;
                            break;
                        case 1:
                            outcome.state = core::JobState::failed;
                            outcome.error =
                                core::JobError{core::ErrorCode::backup_disk_full, "full"};
                            if (queue.finish(*claim, outcome)) ++tally.retried;
                            break;
                        case 2:
                            outcome.state = core::JobState::failed;
                            outcome.error =
                                core::JobError{core::ErrorCode::backup_failed, "broken"};
                            if (queue.finish(*claim, outcome)) ++tally.failed;
                            break;
                        default:
                            outcome.snapshot =
                                claim->job.folder + "/s-" + std::to_string(claim->job.id);
                            if (queue.finish(*claim, outcome)) ++tally.succeeded;
                    }
                    break;
                }
                case 5: {
                    const core::LeaseOwner crash{"node-c",
                                                 std::to_string(crashed_incarnation.load())};
                    if (const auto claim = crashing.claim(crash)) {
                        (void)crashing.heartbeat(*claim, random_progress(random));
                        ++tally.abandoned;
                    }
                    break;
                }
                case 6: {
                    const auto id = static_cast<core::JobId>(1 + static_cast<long long>(random()) %
                                                                     (largest_id.load() + 2));
                    if (queue.cancel(id) == core::CancelResult::cancelled) ++tally.cancelled;
                    break;
                }
                default: {
                    if (random() % 4 == 0) {
                        // Node c restarts: its previous incarnations' leases end now.
                        const core::LeaseOwner restarted{"node-c",
                                                         std::to_string(++crashed_incarnation)};
                        const auto result = queue.expire_previous_incarnations(restarted);
                        tally.reaped += static_cast<int>(result.requeued + result.failed);
                    } else {
                        const auto result = queue.reap_expired(100);
                        tally.reaped += static_cast<int>(result.requeued + result.failed);
                    }
                }
            }
        }
    };
    std::vector<std::thread> threads;
    threads.reserve(kWorkers);
    for (int index = 0; index < kWorkers; ++index) threads.emplace_back(worker, index);
    for (auto& thread : threads) thread.join();
    expect_counts_match_the_table(queue_a);

    // The abandoned claims' leases run out and are reaped; retried jobs (queued with the bytes
    // of their failed attempt) become claimable after their backoff, and are claimed.
    std::this_thread::sleep_for(100ms);
    while (queue_a.reap_expired(100).requeued > 0) {
    }
    expect_counts_match_the_table(queue_a);
    std::this_thread::sleep_for(5500ms);
    int reclaimed = 0;
    while (const auto claim = queue_a.claim({"node-a", "1"})) {
        BOOST_REQUIRE(queue_a.finish(*claim, testing::QueueFixture::success("s")));
        ++reclaimed;
    }
    expect_counts_match_the_table(queue_a);

    // Every path ran, so the equality above covers each of them.
    BOOST_TEST(tally.rejected.load() > 0);
    BOOST_TEST(tally.succeeded.load() > 0);
    BOOST_TEST(tally.retried.load() > 0);
    BOOST_TEST(tally.failed.load() > 0);
    BOOST_TEST(tally.released.load() > 0);
    BOOST_TEST(tally.cancelled.load() > 0);
    BOOST_TEST(tally.abandoned.load() > 0);
    BOOST_TEST(tally.reaped.load() > 0);
    BOOST_TEST(reclaimed > 0);
    BOOST_TEST(tally.pruned.load() > 0);
    // The recount finds the kept counts right, the snapshots per folder included.
    BOOST_TEST(!catalog.count_by_folder().empty());
    BOOST_TEST(!store::recount_jobs(*node_a).corrected);
    const core::Stats stats = queue_a.stats();
    BOOST_TEST(stats.bytes_copied > 0);
    BOOST_TEST(stats.cancelled + stats.restores.cancelled + stats.verifies.cancelled +
                   stats.prunes.cancelled ==
               tally.cancelled.load());
}

BOOST_AUTO_TEST_CASE(a_running_jobs_bytes_count_as_its_heartbeats_report_them) {
    testing::QueueFixture fixture;
    fixture.queue.enqueue(testing::QueueFixture::job_for("photos"));
    const auto claim = fixture.queue.claim({"node-a", "1"}).value();
    BOOST_REQUIRE(fixture.queue.heartbeat(claim, {.files_copied = 1, .bytes_copied = 700}));
    BOOST_TEST(fixture.queue.stats().bytes_copied == 700);
    BOOST_TEST(fixture.queue.stats().running == 1);
    BOOST_REQUIRE(fixture.queue.finish(claim, testing::QueueFixture::success("photos/s-1")));
    const core::Stats stats = fixture.queue.stats();
    BOOST_TEST(stats.bytes_copied == 4096);  // the outcome's figure
    BOOST_TEST(stats.running == 0);
    BOOST_TEST(stats.succeeded == 1);
    expect_counts_match_the_table(fixture.queue);
}

BOOST_AUTO_TEST_CASE(the_recount_repairs_counts_gone_wrong) {
    testing::QueueFixture fixture;
    fixture.snapshot_of("photos");
    fixture.queue.enqueue(testing::QueueFixture::job_for("docs"));
    BOOST_TEST(!store::recount_jobs(*fixture.database).corrected);

    fixture.scratch.execute("UPDATE job_counts SET jobs = jobs + 7");
    BOOST_TEST(fixture.queue.stats().succeeded != 1);
    const auto report = store::recount_jobs(*fixture.database);
    BOOST_TEST(report.corrected);
    fixture.scratch.execute("UPDATE snapshot_counts SET snapshots = 5");
    BOOST_TEST(store::recount_jobs(*fixture.database).corrected);
    store::SqlSnapshotCatalog catalog(*fixture.database);
    const std::vector<std::pair<std::string, std::int64_t>> one_of_photos{{"photos", 1}};
    BOOST_TEST((catalog.count_by_folder() == one_of_photos));
    BOOST_TEST(report.jobs == 2);
    BOOST_TEST(fixture.queue.stats().succeeded == 1);
    BOOST_TEST(fixture.queue.stats().queued == 1);
    expect_counts_match_the_table(fixture.queue);
}

BOOST_AUTO_TEST_SUITE_END()
