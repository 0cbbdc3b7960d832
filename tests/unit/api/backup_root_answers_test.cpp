// /readyz and /metrics over a backup root's state: a problem is a 503 with its own code; the
// gauges say free space, writability and the code.
#include "backupd/api/backup_root_answers.hpp"

#include <fcntl.h>

#include <boost/test/unit_test.hpp>

#include "backupd/copy/unique_fd.hpp"
#include "backupd/worker/backup_root_watch.hpp"
#include "route_fixture.hpp"

using namespace backupd;
using core::ErrorCode;

namespace {

bool has_line(const std::string& text, const std::string& line) {
    return text.find("\n" + line + "\n") != std::string::npos;
}

worker::BackupRootProbe healthy_probe() {
    worker::BackupRootProbe probe;
    probe.free_bytes = 64 << 20;
    probe.size_bytes = 128 << 20;
    probe.free_inodes = 1000;
    return probe;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(backup_root_answers)

BOOST_AUTO_TEST_CASE(a_healthy_root_keeps_the_node_ready) {
    const auto state = worker::judge_backup_root(healthy_probe(), std::nullopt);
    BOOST_TEST(!state.problem.has_value());
    BOOST_TEST(!api::backup_root_unready(state).has_value());
}

BOOST_AUTO_TEST_CASE(a_read_only_root_makes_readyz_503_backup_root_read_only) {
    auto probe = healthy_probe();
    probe.write_access_error = EROFS;
    const auto state = worker::judge_backup_root(probe, std::nullopt);
    const auto answer = api::backup_root_unready(state);
    BOOST_REQUIRE(answer.has_value());
    BOOST_TEST(answer->status == 503);
    BOOST_TEST(answer->body.find("\"code\":\"backup_root_read_only\"") != std::string::npos,
               answer->body);
    BOOST_TEST(answer->body.find("Read-only file system") != std::string::npos, answer->body);
    const auto text = api::render_backup_root_metrics(state);
    BOOST_TEST(has_line(text, "backupd_backup_root_writable 0"), text);
    BOOST_TEST(has_line(text, "backupd_backup_root_problem{code=\"backup_root_read_only\"} 1"));
    BOOST_TEST(has_line(text, "backupd_backup_root_problem{code=\"backup_disk_full\"} 0"));
}

BOOST_AUTO_TEST_CASE(a_disk_with_no_free_byte_is_full) {
    auto probe = healthy_probe();
    probe.free_bytes = 0;
    const auto answer = api::backup_root_unready(worker::judge_backup_root(probe, std::nullopt));
    BOOST_REQUIRE(answer.has_value());
    BOOST_TEST(answer->status == 503);
    BOOST_TEST(answer->body.find("\"code\":\"backup_disk_full\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_disk_full_failure_holds_until_free_space_exceeds_what_the_backup_needed) {
    const worker::BackupRootFault fault{ErrorCode::backup_disk_full, std::int64_t{100} << 20};
    const auto full = worker::judge_backup_root(healthy_probe(), fault);  // 64 MiB < 100 MiB
    BOOST_TEST((full.problem == ErrorCode::backup_disk_full));
    BOOST_TEST(full.message.find("waiting for 104857600") != std::string::npos, full.message);
    const auto text = api::render_backup_root_metrics(full);
    BOOST_TEST(has_line(text, "backupd_backup_root_free_bytes 67108864"), text);
    BOOST_TEST(has_line(text, "backupd_backup_root_size_bytes 134217728"), text);
    BOOST_TEST(has_line(text, "backupd_backup_root_last_fault{code=\"backup_disk_full\"} 1"));

    auto grown = healthy_probe();
    grown.free_bytes = std::int64_t{200} << 20;  // remounted bigger
    const auto ready = worker::judge_backup_root(grown, fault);
    BOOST_TEST(!ready.problem.has_value());
    BOOST_TEST((ready.last_fault == ErrorCode::backup_disk_full));  // still shown in /metrics
}

BOOST_AUTO_TEST_CASE(a_root_that_cannot_be_examined_is_not_ready_and_has_no_free_bytes_series) {
    worker::BackupRootProbe probe;
    probe.statvfs_error = EIO;
    const auto state = worker::judge_backup_root(probe, std::nullopt);
    const auto answer = api::backup_root_unready(state);
    BOOST_REQUIRE(answer.has_value());
    BOOST_TEST(answer->status == 503);
    BOOST_TEST(answer->body.find("\"code\":\"snapshot_write_failed\"") != std::string::npos);
    BOOST_TEST(api::render_backup_root_metrics(state).find("free_bytes") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_watch_probes_a_real_directory) {
    const copy::UniqueFd directory(::open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    BOOST_REQUIRE(directory);
    worker::BackupRootWatch watch(directory.get());
    const auto state = watch.state();
    BOOST_TEST(state.free_bytes.has_value());
    BOOST_TEST(state.writable);
    BOOST_TEST(!state.problem.has_value());

    // After a disk-full failure the node waits for space to be made (free space clearly above
    // what it is now), however much is free; a committed snapshot ends the wait.
    watch.backup_failed(ErrorCode::backup_disk_full);
    BOOST_TEST((watch.state().problem == ErrorCode::backup_disk_full));
    watch.snapshot_committed();
    BOOST_TEST(!watch.state().problem.has_value());
    // A read-only failure is only remembered: the probe decides (this directory is writable).
    watch.backup_failed(ErrorCode::backup_root_read_only);
    BOOST_TEST(!watch.state().problem.has_value());
    BOOST_TEST((watch.state().last_fault == ErrorCode::backup_root_read_only));
}

BOOST_FIXTURE_TEST_CASE(readyz_and_metrics_report_the_backup_root_the_services_give,
                        testing::RouteFixture) {
    core::BackupRootState state;
    state.free_bytes = 0;
    state.problem = ErrorCode::backup_disk_full;
    state.message = core::message_for(ErrorCode::backup_disk_full, "No space left on device");
    services.backup_root = [&state] { return std::optional(state); };

    const auto ready = call("GET", "/readyz");
    BOOST_TEST(ready.status == 503);
    BOOST_TEST(ready.body.find("\"code\":\"backup_disk_full\"") != std::string::npos, ready.body);
    const auto metrics = call("GET", "/metrics");
    BOOST_TEST(has_line(metrics.body, "backupd_backup_root_free_bytes 0"), metrics.body);

    state = core::BackupRootState{};
    BOOST_TEST(call("GET", "/readyz").status == 200);
}

BOOST_AUTO_TEST_SUITE_END()
