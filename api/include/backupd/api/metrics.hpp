#pragma once
// GET /metrics: Prometheus text exposition (format 0.0.4) of request counts and latencies, kept
// here, and of job gauges and counters, gathered by the caller when the page is scraped.
// Thread-safety: RequestMetrics may be recorded into and read from any number of threads at
// once (one short mutex hold per call, no allocation once a route and status have been seen);
// render_metrics is a pure function of its arguments.

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "backupd/api/refusal.hpp"
#include "backupd/core/stats.hpp"
#include "backupd/core/time.hpp"

namespace backupd::api {

inline constexpr std::string_view kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

// Upper bounds (seconds) of the request-duration histogram buckets; +Inf is implied.
inline constexpr std::array<double, 13> kLatencyBuckets = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};

// Per-route request counters and latency histogram.
class RequestMetrics {
public:
    // Routes beyond this many distinct values are counted under kOverflowRoute, so a caller
    // passing raw targets by mistake costs a bounded amount of memory.
    static constexpr std::size_t kMaxRoutes = 256;
    static constexpr std::string_view kOverflowRoute = "(other)";

    struct RouteSeries {
        std::map<int, std::uint64_t> requests_by_status;
        // Requests per bucket, not cumulative; the last entry counts those above 5 s.
        std::array<std::uint64_t, kLatencyBuckets.size() + 1> in_bucket{};
        std::int64_t latency_sum_ns = 0;
        std::uint64_t count = 0;
    };
    using Snapshot = std::map<std::string, RouteSeries, std::less<>>;

    // `route` is the router's pattern ("GET /api/v1/backups/{id}"), never the raw target: each
    // distinct value is a series kept for the life of the process. A negative latency counts
    // as zero.
    void record(std::string_view route, int status, std::chrono::nanoseconds latency);

    // A consistent copy of every series, by route.
    Snapshot snapshot() const;

    // Refusals at a limit (backupd_http_refused_total); lock-free.
    void record_refusal(Refusal reason);
    std::uint64_t refusals(Refusal reason) const;

private:
    mutable std::mutex mutex_;
    Snapshot routes_;
    std::array<std::atomic<std::uint64_t>, kRefusals.size()> refusals_{};
};

// One plan's series.
struct PlanMetrics {
    std::string plan;
    std::optional<core::Timestamp> last_success_at;  // unset: the series is left out
    std::optional<core::Timestamp> next_run_at;      // unset: the series is left out
    std::int64_t runs_skipped = 0;
    // core::plan_period at next_run_at; unset (no sample) while the plan is disabled.
    std::optional<std::chrono::seconds> period;
};

// Job values read when the page is scraped.
struct JobMetrics {
    core::Stats stats;
    std::optional<double> oldest_queued_age_seconds;  // nullopt when nothing is queued
    std::int64_t bytes_copied_total = 0;
    std::int64_t lease_expiries_total = 0;
    std::vector<PlanMetrics> plans;  // empty when plans are not served
    // Snapshots on disk per folder (SnapshotCatalog::count_by_folder); empty when snapshots are
    // not served.
    std::vector<std::pair<std::string, std::int64_t>> snapshots_by_folder;
};

// The whole page, each family with # HELP and # TYPE. `jobs` is nullopt when the database
// could not be read: the job series are left out and backupd_database_up is 0.
std::string render_metrics(const RequestMetrics& requests, const std::optional<JobMetrics>& jobs);

// A label value escaped for the text format: backslash, double quote and newline.
std::string escape_label_value(std::string_view value);

}  // namespace backupd::api
