// Crash recovery with the real daemon on the backend under test: kill -9 mid-copy, restart,
// and the job completes exactly once, with one snapshot, no staging left and one audit record.
#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include <boost/test/unit_test.hpp>

#include "daemon_fixture.hpp"

using namespace backupd;
using namespace std::chrono_literals;

namespace {

struct CrashFixture : testing::DaemonFixture {
    testing::DaemonProcess start_daemon() {
        return testing::DaemonProcess(
            {"--listen", "127.0.0.1:0", "--database", database_argument(), "--source-root",
             sources.string(), "--backup-root", backups.string(), "--workers", "1",
             "--copy-threads", "1", "--node-id", "crash-node", "--lease-seconds", "30"},
            {"BACKUPD_DATABASE_PASSWORD=" + scratch.url().password}, log);
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(daemon_crash)

BOOST_FIXTURE_TEST_CASE(a_job_interrupted_by_kill_9_completes_exactly_once_after_restart,
                        CrashFixture) {
    make_folder("big", 20000, 8192);  // long enough to be caught mid-copy
    const auto job = queue.enqueue({"big"});
    const auto staging = backups / ".staging" / (std::to_string(job.id) + "-1");
    {
        auto daemon = start_daemon();
        const bool caught = wait_for(
            [&] {
                std::error_code ignored;
                return !std::filesystem::is_empty(staging / "even", ignored) && !ignored;
            },
            60s, 1ms);
        daemon.stop(SIGKILL);
        BOOST_REQUIRE_MESSAGE(caught, "the copy was never seen in staging:\n" + daemon_log());
    }
    const auto interrupted = queue.find(job.id);
    BOOST_REQUIRE_MESSAGE(core::to_string(interrupted->state) == "running",
                          "the copy finished before the kill; state " +
                              std::string(core::to_string(interrupted->state)));
    BOOST_TEST(std::filesystem::exists(staging));  // the crash left its staging behind

    // Well within the 30 s lease: the restarted node expires its previous incarnation's lease
    // at start-up instead of waiting for the reaper.
    auto daemon = start_daemon();
    const bool finished =
        wait_for([&] { return core::is_terminal(queue.find(job.id)->state); }, 20s, 50ms);
    const int status = daemon.stop(SIGTERM);
    BOOST_REQUIRE_MESSAGE(finished, "the job did not finish after the restart:\n" + daemon_log());
    BOOST_TEST(WIFEXITED(status));
    BOOST_TEST(WEXITSTATUS(status) == 0);

    const auto done = queue.find(job.id);
    BOOST_TEST(core::to_string(done->state) == "succeeded");
    BOOST_TEST(done->attempt == 2);
    BOOST_TEST(backup_records_for(job.id) == 1u);
    const auto contents = backup_contents();
    BOOST_TEST(contents.staging.empty());
    BOOST_REQUIRE(contents.snapshots.size() == 1u);
    BOOST_TEST(contents.snapshots.front().path == *done->snapshot);
    BOOST_TEST(std::filesystem::read_symlink(backups / "big" / "latest").string() ==
               std::filesystem::path(*done->snapshot).filename().string());
    BOOST_TEST(same_tree("big", *done->snapshot));
}

BOOST_AUTO_TEST_SUITE_END()
