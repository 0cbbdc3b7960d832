#include "backupd/api/metrics.hpp"

#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "backupd/core/time.hpp"

using namespace backupd::api;
namespace core = backupd::core;
using namespace std::chrono_literals;

namespace {
// Whether `page` contains `line` as a whole line.
bool has_line(const std::string& page, const std::string& line) {
    return ("\n" + page).find("\n" + line + "\n") != std::string::npos;
}

// Checks every line against the text format 0.0.4: comments are "# HELP name text" or
// "# TYPE name type"; samples are `name{label="value",...} number` and belong to a family whose
// TYPE came before. Returns the offending line, or "" when the page is valid.
std::string first_invalid_line(const std::string& page) {
    static const std::regex kSample(
        R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*")"
        R"((?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*")*\})? )"
        R"((-?[0-9]+(?:\.[0-9]+)?(?:e[-+]?[0-9]+)?|[-+]Inf|NaN))");
    static const std::regex kType(R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram))");
    static const std::regex kHelp(R"(# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .+)");
    if (page.empty() || page.back() != '\n') return "(no final newline)";
    std::set<std::string> typed;
    std::istringstream in(page);
    std::string line;
    while (std::getline(in, line)) {
        std::smatch match;
        if (std::regex_match(line, match, kType)) {
            if (!typed.insert(match[1]).second) return line;  // a family typed twice
        } else if (std::regex_match(line, kHelp)) {
        } else if (std::regex_match(line, match, kSample)) {
            std::string family = match[1];
            for (const char* suffix : {"_bucket", "_sum", "_count"}) {
                const std::string s = suffix;
                if (!typed.count(family) && family.size() > s.size() &&
                    family.compare(family.size() - s.size(), s.size(), s) == 0) {
                    family.resize(family.size() - s.size());
                }
            }
            if (!typed.count(family)) return line;
        } else {
            return line;
        }
    }
    return "";
}

JobMetrics sample_jobs() {
    JobMetrics jobs;
    jobs.stats.total = 12;
    jobs.stats.queued = 3;
    jobs.stats.running = 1;
    jobs.stats.succeeded = 5;
    jobs.stats.failed = 2;
    jobs.stats.cancelled = 1;
    jobs.stats.restores.running = 4;
    jobs.stats.verifies.failed = 6;
    jobs.oldest_queued_age_seconds = 42.5;
    jobs.bytes_copied_total = 5242880;
    jobs.lease_expiries_total = 2;
    return jobs;
}

constexpr const char* kBackup = "GET /api/v1/backups/{id}";
}  // namespace

BOOST_AUTO_TEST_SUITE(metrics)

BOOST_AUTO_TEST_CASE(requests_are_counted_by_route_and_status) {
    RequestMetrics requests;
    requests.record(kBackup, 200, 1ms);
    requests.record(kBackup, 200, 1ms);
    requests.record(kBackup, 404, 1ms);
    requests.record("GET /healthz", 200, 1ms);
    const std::string page = render_metrics(requests, std::nullopt);
    BOOST_TEST(has_line(
        page, R"(backupd_http_requests_total{route="GET /api/v1/backups/{id}",status="200"} 2)"));
    BOOST_TEST(has_line(
        page, R"(backupd_http_requests_total{route="GET /api/v1/backups/{id}",status="404"} 1)"));
    BOOST_TEST(
        has_line(page, R"(backupd_http_requests_total{route="GET /healthz",status="200"} 1)"));
}

BOOST_AUTO_TEST_CASE(histogram_buckets_are_cumulative_and_inf_equals_count) {
    RequestMetrics requests;
    requests.record(kBackup, 200, 300us);  // <= 0.0005
    requests.record(kBackup, 200, 500us);  // exactly 0.0005: "le" includes the bound
    requests.record(kBackup, 200, 7ms);    // <= 0.01
    requests.record(kBackup, 200, 6s);     // above every finite bound
    requests.record(kBackup, 200, -1ms);   // a clock step: counted as zero
    const std::string page = render_metrics(requests, std::nullopt);
    const std::string prefix =
        R"(backupd_http_request_duration_seconds_bucket{route="GET /api/v1/backups/{id}",le=")";
    BOOST_TEST(has_line(page, prefix + R"(0.0005"} 3)"), page);
    BOOST_TEST(has_line(page, prefix + R"(0.005"} 3)"));
    BOOST_TEST(has_line(page, prefix + R"(0.01"} 4)"));
    BOOST_TEST(has_line(page, prefix + R"(5"} 4)"));
    BOOST_TEST(has_line(page, prefix + R"(+Inf"} 5)"));
    const std::string route = R"({route="GET /api/v1/backups/{id}"})";
    BOOST_TEST(has_line(page, "backupd_http_request_duration_seconds_count" + route + " 5"));
    BOOST_TEST(
        has_line(page, "backupd_http_request_duration_seconds_sum" + route + " 6.007800000"));
}

BOOST_AUTO_TEST_CASE(every_bucket_is_rendered_in_increasing_order) {
    RequestMetrics requests;
    requests.record(kBackup, 200, 1ms);
    const std::string page = render_metrics(requests, std::nullopt);
    std::size_t last = 0;
    for (const char* le : {"0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1",
                           "0.25", "0.5", "1", "2.5", "5", "+Inf"}) {
        const auto at = page.find(std::string("le=\"") + le + "\"}");
        BOOST_TEST_REQUIRE(at != std::string::npos, le);
        BOOST_TEST(at > last, le);
        last = at;
    }
}

BOOST_AUTO_TEST_CASE(label_values_escape_backslash_quote_and_newline) {
    BOOST_TEST(escape_label_value("a\\b\"c\nd") == R"(a\\b\"c\nd)");
    RequestMetrics requests;
    requests.record("GET /odd\"route\\\n", 500, 1ms);
    const std::string page = render_metrics(requests, std::nullopt);
    BOOST_TEST(
        has_line(page,
                 R"(backupd_http_requests_total{route="GET /odd\"route\\\n",status="500"} 1)"),
        page);
    BOOST_TEST(first_invalid_line(page) == "");
}

BOOST_AUTO_TEST_CASE(job_series_are_rendered_when_the_database_answered) {
    RequestMetrics requests;
    requests.record(kBackup, 200, 1ms);
    const std::string page = render_metrics(requests, sample_jobs());
    BOOST_TEST(first_invalid_line(page) == "");
    BOOST_TEST(has_line(page, "backupd_database_up 1"));
    BOOST_TEST(has_line(page, R"(backupd_jobs{state="queued"} 3)"));
    BOOST_TEST(has_line(page, R"(backupd_jobs{state="running"} 1)"));
    BOOST_TEST(has_line(page, R"(backupd_jobs{state="succeeded"} 5)"));
    BOOST_TEST(has_line(page, R"(backupd_jobs{state="failed"} 2)"));
    BOOST_TEST(has_line(page, R"(backupd_jobs{state="cancelled"} 1)"));
    BOOST_TEST(has_line(page, R"(backupd_jobs_by_kind{kind="backup",state="queued"} 3)"));
    BOOST_TEST(has_line(page, R"(backupd_jobs_by_kind{kind="restore",state="running"} 4)"));
    BOOST_TEST(has_line(page, R"(backupd_jobs_by_kind{kind="verify",state="failed"} 6)"));
    BOOST_TEST(has_line(page, "backupd_queue_depth 3"));
    BOOST_TEST(has_line(page, "backupd_oldest_queued_age_seconds 42.5"));
    BOOST_TEST(has_line(page, "# TYPE backupd_bytes_copied_total counter"));
    BOOST_TEST(has_line(page, "backupd_bytes_copied_total 5242880"));
    BOOST_TEST(has_line(page, "# TYPE backupd_lease_expiries_total counter"));
    BOOST_TEST(has_line(page, "backupd_lease_expiries_total 2"));
    BOOST_TEST(has_line(page, "# TYPE backupd_http_request_duration_seconds histogram"));
}

BOOST_AUTO_TEST_CASE(prune_jobs_are_a_kind_of_their_own) {
    JobMetrics jobs = sample_jobs();
    jobs.stats.prunes.succeeded = 7;
    const std::string page = render_metrics(RequestMetrics{}, jobs);
    BOOST_TEST(has_line(page, R"(backupd_jobs_by_kind{kind="prune",state="succeeded"} 7)"));
    BOOST_TEST(has_line(page, R"(backupd_jobs_by_kind{kind="prune",state="queued"} 0)"));
}

BOOST_AUTO_TEST_CASE(plan_series_are_rendered_and_an_unset_time_has_no_sample) {
    JobMetrics jobs = sample_jobs();
    const core::Timestamp success{std::chrono::microseconds{1'764'000'000'250'000}};
    const core::Timestamp next{std::chrono::seconds{1'764'003'600}};
    jobs.plans = {{"photos-nightly", success, next, 2}, {"paused", std::nullopt, std::nullopt, 0}};
    const std::string page = render_metrics(RequestMetrics{}, jobs);
    BOOST_TEST(first_invalid_line(page) == "", first_invalid_line(page));
    BOOST_TEST(has_line(page, "# TYPE backupd_plan_last_success_timestamp_seconds gauge"));
    BOOST_TEST(has_line(
        page,
        R"(backupd_plan_last_success_timestamp_seconds{plan="photos-nightly"} 1764000000.250000)"));
    BOOST_TEST(has_line(page, "# TYPE backupd_plan_next_run_timestamp_seconds gauge"));
    BOOST_TEST(has_line(
        page,
        R"(backupd_plan_next_run_timestamp_seconds{plan="photos-nightly"} 1764003600.000000)"));
    BOOST_TEST(has_line(page, "# TYPE backupd_plan_runs_skipped_total counter"));
    BOOST_TEST(has_line(page, R"(backupd_plan_runs_skipped_total{plan="photos-nightly"} 2)"));
    BOOST_TEST(has_line(page, R"(backupd_plan_runs_skipped_total{plan="paused"} 0)"));
    BOOST_TEST(page.find(R"(_timestamp_seconds{plan="paused"})") == std::string::npos, page);
}

BOOST_AUTO_TEST_CASE(plan_period_is_rendered_in_whole_seconds_and_left_out_when_unknown) {
    JobMetrics jobs = sample_jobs();
    const core::Timestamp next{std::chrono::seconds{1'764'003'600}};
    PlanMetrics nightly{"photos-nightly", std::nullopt, next, 0};
    nightly.period = std::chrono::hours{24};
    jobs.plans = {nightly, {"paused", std::nullopt, std::nullopt, 0}};
    const std::string page = render_metrics(RequestMetrics{}, jobs);
    BOOST_TEST(first_invalid_line(page) == "", first_invalid_line(page));
    BOOST_TEST(has_line(page, "# TYPE backupd_plan_period_seconds gauge"));
    BOOST_TEST(has_line(page, R"(backupd_plan_period_seconds{plan="photos-nightly"} 86400)"), page);
    BOOST_TEST(page.find(R"(backupd_plan_period_seconds{plan="paused"})") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(snapshots_are_counted_by_folder_with_escaped_utf8_labels) {
    JobMetrics jobs = sample_jobs();
    jobs.snapshots_by_folder = {{"photos", 12}, {"odd\"dir\\\n", 1}, {"bad\xC3", 3}};
    const std::string page = render_metrics(RequestMetrics{}, jobs);
    BOOST_TEST(first_invalid_line(page) == "", first_invalid_line(page));
    BOOST_TEST(has_line(page, "# TYPE backupd_snapshots gauge"));
    BOOST_TEST(has_line(page, R"(backupd_snapshots{folder="photos"} 12)"));
    BOOST_TEST(has_line(page, R"(backupd_snapshots{folder="odd\"dir\\\n"} 1)"), page);
    BOOST_TEST(has_line(page, "backupd_snapshots{folder=\"bad\xEF\xBF\xBD\"} 3"), page);
}

BOOST_AUTO_TEST_CASE(oldest_queued_age_is_zero_when_nothing_is_queued) {
    JobMetrics jobs = sample_jobs();
    jobs.oldest_queued_age_seconds.reset();
    BOOST_TEST(
        has_line(render_metrics(RequestMetrics{}, jobs), "backupd_oldest_queued_age_seconds 0"));
}

BOOST_AUTO_TEST_CASE(without_the_database_only_http_series_and_database_up_0_are_rendered) {
    RequestMetrics requests;
    requests.record(kBackup, 503, 1ms);
    const std::string page = render_metrics(requests, std::nullopt);
    BOOST_TEST(first_invalid_line(page) == "");
    BOOST_TEST(has_line(page, "backupd_database_up 0"));
    BOOST_TEST(page.find("backupd_jobs") == std::string::npos);
    BOOST_TEST(page.find("backupd_queue_depth") == std::string::npos);
    BOOST_TEST(page.find("backupd_bytes_copied_total") == std::string::npos);
    BOOST_TEST(page.find(R"(status="503"} 1)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_empty_page_is_still_valid_exposition) {
    BOOST_TEST(first_invalid_line(render_metrics(RequestMetrics{}, std::nullopt)) == "");
    BOOST_TEST(first_invalid_line(render_metrics(RequestMetrics{}, sample_jobs())) == "");
}

BOOST_AUTO_TEST_CASE(the_validator_rejects_malformed_lines) {
    BOOST_TEST(first_invalid_line("# TYPE a gauge\na{x=\"1} 1\n") != "");
    BOOST_TEST(first_invalid_line("# TYPE a gauge\na 1 2\n") != "");
    BOOST_TEST(first_invalid_line("b 1\n") != "");
}

BOOST_AUTO_TEST_CASE(routes_beyond_the_limit_share_one_series) {
    RequestMetrics requests;
    for (std::size_t i = 0; i < RequestMetrics::kMaxRoutes + 10; ++i) {
        requests.record("GET /r" + std::to_string(i), 200, 1ms);
    }
    const auto snapshot = requests.snapshot();
    BOOST_TEST(snapshot.size() == RequestMetrics::kMaxRoutes + 1);
    BOOST_TEST(snapshot.find(RequestMetrics::kOverflowRoute)->second.count == 10u);
}

BOOST_AUTO_TEST_CASE(concurrent_records_are_all_counted) {
    RequestMetrics requests;
    constexpr int kThreads = 4;
    constexpr int kEach = 5000;
    std::vector<std::thread> threads;
    threads.reserve(kThreads);
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&requests, t] {
            for (int i = 0; i < kEach; ++i) requests.record(kBackup, 200 + t % 2, 1ms);
        });
    }
    for (auto& thread : threads) thread.join();
    const auto series = requests.snapshot().at(kBackup);
    BOOST_TEST(series.count == static_cast<std::uint64_t>(kThreads * kEach));
    BOOST_TEST(series.requests_by_status.at(200) == static_cast<std::uint64_t>(kEach * 2));
    BOOST_TEST(series.latency_sum_ns == std::int64_t{kThreads} * kEach * 1'000'000);
}

BOOST_AUTO_TEST_SUITE_END()
