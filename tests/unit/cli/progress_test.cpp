#include "progress.hpp"

#include <boost/test/unit_test.hpp>

using namespace backupd::cli;

namespace {
JobProgress running(std::int64_t files_done, std::int64_t bytes_copied) {
    return JobProgress{.id = 42,
                       .kind = "backup",
                       .folder = "photos",
                       .state = "running",
                       .files_done = files_done,
                       .files_total = 2048,
                       .bytes_copied = bytes_copied,
                       .bytes_total = 700LL << 20};
}
}  // namespace

BOOST_AUTO_TEST_SUITE(cli_progress)

BOOST_AUTO_TEST_CASE(bytes_are_shown_in_binary_units) {
    BOOST_TEST(format_bytes(0) == "0 B");
    BOOST_TEST(format_bytes(1023) == "1023 B");
    BOOST_TEST(format_bytes(1536) == "1.5 KiB");
    BOOST_TEST(format_bytes(310.0 * 1024 * 1024) == "310 MiB");
    BOOST_TEST(format_bytes(3.0 * 1024 * 1024 * 1024 * 1024) == "3.0 TiB");
}

BOOST_AUTO_TEST_CASE(durations_are_minutes_and_seconds_or_hours) {
    BOOST_TEST(format_duration(14) == "0:14");
    BOOST_TEST(format_duration(723) == "12:03");
    BOOST_TEST(format_duration(3723) == "1:02:03");
    BOOST_TEST(format_duration(-5) == "0:00");
}

BOOST_AUTO_TEST_CASE(fraction_counts_files_and_a_success_is_whole) {
    BOOST_TEST(fraction_done(running(1024, 0)) == 0.5);
    auto unknown = running(0, 0);
    unknown.files_total = 0;
    BOOST_TEST(fraction_done(unknown) == 0.0);
    auto done = running(3, 0);  // an incremental backup: few copied, all linked
    done.state = "succeeded";
    BOOST_TEST(fraction_done(done) == 1.0);
}

BOOST_AUTO_TEST_CASE(bar_fills_in_proportion) {
    BOOST_TEST(progress_bar(0.0, 10) == "[..........]");
    BOOST_TEST(progress_bar(0.5, 10) == "[#####.....]");
    BOOST_TEST(progress_bar(1.0, 10) == "[##########]");
    BOOST_TEST(progress_bar(7.0, 4) == "[####]");
}

BOOST_AUTO_TEST_CASE(rate_and_eta_come_from_two_observations) {
    Estimator estimate;
    estimate.observe(running(512, 100LL << 20), 10.0);
    BOOST_TEST(!estimate.eta_seconds().has_value());
    BOOST_TEST(!estimate.bytes_per_second().has_value());
    estimate.observe(running(1024, 200LL << 20), 20.0);  // a quarter in 10 s: half left, 20 s
    BOOST_TEST(estimate.eta_seconds().value() == 20.0);
    BOOST_TEST(estimate.bytes_per_second().value() == 10.0 * 1024 * 1024);
}

BOOST_AUTO_TEST_CASE(progress_line_has_bar_percent_files_bytes_rate_and_eta) {
    Estimator estimate;
    estimate.observe(running(512, 100LL << 20), 0.0);
    estimate.observe(running(1024, 310LL << 20), 14.0);
    BOOST_TEST(progress_line(running(1024, 310LL << 20), estimate, 10) ==
               "job 42 backup photos [#####.....]  50.0%  1024/2048 files  310 MiB/700 MiB  15 "
               "MiB/s  ETA 0:28");
}

BOOST_AUTO_TEST_CASE(an_ended_job_shows_its_outcome_instead_of_an_eta) {
    auto failed = running(10, 1000);
    failed.state = "failed";
    failed.error_code = "backup_disk_full";
    Estimator estimate;
    estimate.observe(failed, 1.0);
    BOOST_TEST(progress_line(failed, estimate, 4).ends_with("  failed: backup_disk_full"));
    auto done = running(2048, 700LL << 20);
    done.state = "succeeded";
    BOOST_TEST(progress_line(done, estimate, 4).find("[####] 100.0%") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(plain_line_has_no_bar_and_no_escape) {
    BOOST_TEST(plain_progress_line(running(1024, 310LL << 20)) ==
               "job 42 backup photos: running 50.0% 1024/2048 files 310 MiB/700 MiB");
    auto queued = running(0, 0);
    queued.state = "queued";
    BOOST_TEST(plain_progress_line(queued) == "job 42 backup photos: queued");
}

BOOST_AUTO_TEST_SUITE_END()
