#include "backupd/api/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "backupd/core/utf8.hpp"

namespace backupd::api {
namespace {

// kLatencyBuckets as exact integers, so the hot path compares without floating point.
constexpr std::array<std::int64_t, kLatencyBuckets.size()> kBucketNanos = {
    500'000,     1'000'000,   2'500'000,   5'000'000,     10'000'000,    25'000'000,   50'000'000,
    100'000'000, 250'000'000, 500'000'000, 1'000'000'000, 2'500'000'000, 5'000'000'000};

std::string format_double(double value) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
    // Fixed notation reads best ("0.0005", not "5e-04"); huge values fall back to the shortest.
    char buffer[64];
    auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
    if (result.ec != std::errc{}) result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, result.ptr);
}

// Nanoseconds as seconds, exactly: "0.012500000".
std::string format_seconds(std::int64_t nanos) {
    char buffer[32];
    const int n = std::snprintf(buffer, sizeof buffer, "%lld.%09lld",
                                static_cast<long long>(nanos / 1'000'000'000),
                                static_cast<long long>(nanos % 1'000'000'000));
    return std::string(buffer, static_cast<std::size_t>(n));
}

void family(std::ostringstream& out, std::string_view name, std::string_view type,
            std::string_view help) {
    out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
}

std::array<std::pair<const char*, std::int64_t>, 5> by_state(const core::JobCounts& counts) {
    return {{{"queued", counts.queued},
             {"running", counts.running},
             {"succeeded", counts.succeeded},
             {"failed", counts.failed},
             {"cancelled", counts.cancelled}}};
}

void render_jobs(std::ostringstream& out, const JobMetrics& jobs) {
    const core::Stats& s = jobs.stats;
    family(out, "backupd_jobs", "gauge", "Backup jobs by state.");
    for (const auto& [state, count] : by_state(s)) {
        out << "backupd_jobs{state=\"" << state << "\"} " << count << '\n';
    }
    // Every kind, beside the backups-only series above (kept as it was for existing dashboards).
    family(out, "backupd_jobs_by_kind", "gauge",
           "Jobs by kind (backup, restore, verify, prune) and state.");
    const std::pair<const char*, const core::JobCounts*> kinds[] = {
        {"backup", &s}, {"restore", &s.restores}, {"verify", &s.verifies}, {"prune", &s.prunes}};
    for (const auto& [kind, counts] : kinds) {
        for (const auto& [state, count] : by_state(*counts)) {
            out << "backupd_jobs_by_kind{kind=\"" << kind << "\",state=\"" << state << "\"} "
                << count << '\n';
        }
    }
    family(out, "backupd_queue_depth", "gauge", "Jobs waiting for a worker.");
    out << "backupd_queue_depth " << s.queued << '\n';
    family(out, "backupd_oldest_queued_age_seconds", "gauge",
           "Seconds the oldest queued job has waited; 0 when none is queued.");
    const double age = std::max(0.0, jobs.oldest_queued_age_seconds.value_or(0.0));
    out << "backupd_oldest_queued_age_seconds " << format_double(age) << '\n';
    family(out, "backupd_bytes_copied_total", "counter", "Bytes copied into snapshots.");
    out << "backupd_bytes_copied_total " << jobs.bytes_copied_total << '\n';
    family(out, "backupd_lease_expiries_total", "counter",
           "Claims whose lease expired before the worker finished.");
    out << "backupd_lease_expiries_total " << jobs.lease_expiries_total << '\n';
}

// Seconds since the Unix epoch, with the timestamp's microseconds: "1795010723.250000".
std::string format_timestamp(core::Timestamp at) {
    const std::int64_t micros = at.time_since_epoch().count();
    char buffer[32];
    const int n = std::snprintf(buffer, sizeof buffer, "%s%lld.%06lld", micros < 0 ? "-" : "",
                                static_cast<long long>(std::abs(micros) / 1'000'000),
                                static_cast<long long>(std::abs(micros) % 1'000'000));
    return std::string(buffer, static_cast<std::size_t>(n));
}

// A plan's time series; a plan whose value is unset has no sample (Prometheus's way to say
// "unknown", rather than a misleading 0).
void render_plan_times(std::ostringstream& out, std::string_view name, std::string_view help,
                       const std::vector<PlanMetrics>& plans,
                       std::optional<core::Timestamp> PlanMetrics::*field) {
    family(out, name, "gauge", help);
    for (const auto& plan : plans) {
        if (!(plan.*field)) continue;
        out << name << "{plan=\"" << escape_label_value(plan.plan) << "\"} "
            << format_timestamp(*(plan.*field)) << '\n';
    }
}

void render_plans(std::ostringstream& out, const JobMetrics& jobs) {
    render_plan_times(out, "backupd_plan_last_success_timestamp_seconds",
                      "When the plan's newest succeeded backup ended (Unix time).", jobs.plans,
                      &PlanMetrics::last_success_at);
    render_plan_times(out, "backupd_plan_next_run_timestamp_seconds",
                      "When the plan is next due (Unix time); absent while it is disabled.",
                      jobs.plans, &PlanMetrics::next_run_at);
    // Alerts compare time() - last success with this (deploy/prometheus/alerts.yml).
    family(out, "backupd_plan_period_seconds", "gauge",
           "Seconds from the plan's next due time to the one after it; absent while it is "
           "disabled.");
    for (const auto& plan : jobs.plans) {
        if (!plan.period) continue;
        out << "backupd_plan_period_seconds{plan=\"" << escape_label_value(plan.plan) << "\"} "
            << plan.period->count() << '\n';
    }
    family(out, "backupd_plan_runs_skipped_total", "counter",
           "Due times skipped because the plan's previous run was still queued or running.");
    for (const auto& plan : jobs.plans) {
        out << "backupd_plan_runs_skipped_total{plan=\"" << escape_label_value(plan.plan) << "\"} "
            << plan.runs_skipped << '\n';
    }
    family(out, "backupd_snapshots", "gauge", "Snapshots on the backup disk, by folder.");
    for (const auto& [folder, count] : jobs.snapshots_by_folder) {
        // Label values must be UTF-8; a folder name need not be.
        out << "backupd_snapshots{folder=\"" << escape_label_value(core::to_valid_utf8(folder))
            << "\"} " << count << '\n';
    }
}

void render_requests(std::ostringstream& out, const RequestMetrics::Snapshot& routes) {
    family(out, "backupd_http_requests_total", "counter",
           "HTTP requests answered, by route pattern and status.");
    for (const auto& [route, series] : routes) {
        const std::string label = escape_label_value(route);
        for (const auto& [status, count] : series.requests_by_status) {
            out << "backupd_http_requests_total{route=\"" << label << "\",status=\"" << status
                << "\"} " << count << '\n';
        }
    }
    constexpr std::string_view kDuration = "backupd_http_request_duration_seconds";
    family(out, kDuration, "histogram", "Time to answer HTTP requests, by route pattern.");
    for (const auto& [route, series] : routes) {
        const std::string label = "route=\"" + escape_label_value(route) + '"';
        std::uint64_t cumulative = 0;
        for (std::size_t i = 0; i < series.in_bucket.size(); ++i) {
            cumulative += series.in_bucket[i];
            const std::string le =
                i < kLatencyBuckets.size() ? format_double(kLatencyBuckets[i]) : "+Inf";
            out << kDuration << "_bucket{" << label << ",le=\"" << le << "\"} " << cumulative
                << '\n';
        }
        out << kDuration << "_sum{" << label << "} " << format_seconds(series.latency_sum_ns)
            << '\n';
        out << kDuration << "_count{" << label << "} " << series.count << '\n';
    }
}

// Every reason, 0 included, so a dashboard's rate() sees the series before the first refusal.
void render_refusals(std::ostringstream& out, const RequestMetrics& requests) {
    family(out, "backupd_http_refused_total", "counter",
           "Connections and requests refused at a limit (429 too_busy, or closed past every "
           "bound), by reason: connections, queue, rate_limit.");
    for (const Refusal reason : kRefusals) {
        out << "backupd_http_refused_total{reason=\"" << to_string(reason) << "\"} "
            << requests.refusals(reason) << '\n';
    }
}

}  // namespace

void RequestMetrics::record_refusal(Refusal reason) {
    refusals_.at(static_cast<std::size_t>(reason)).fetch_add(1, std::memory_order_relaxed);
}

std::uint64_t RequestMetrics::refusals(Refusal reason) const {
    return refusals_.at(static_cast<std::size_t>(reason)).load(std::memory_order_relaxed);
}

void RequestMetrics::record(std::string_view route, int status, std::chrono::nanoseconds latency) {
    const std::int64_t nanos = std::max<std::int64_t>(0, latency.count());
    std::size_t bucket = 0;
    while (bucket < kBucketNanos.size() && nanos > kBucketNanos[bucket]) ++bucket;

    const std::lock_guard lock(mutex_);
    auto it = routes_.find(route);
    if (it == routes_.end()) {
        if (routes_.size() >= kMaxRoutes) route = kOverflowRoute;
        it = routes_.try_emplace(std::string(route)).first;
    }
    RouteSeries& series = it->second;
    ++series.requests_by_status[status];
    ++series.in_bucket[bucket];
    series.latency_sum_ns += nanos;
    ++series.count;
}

RequestMetrics::Snapshot RequestMetrics::snapshot() const {
    const std::lock_guard lock(mutex_);
    return routes_;
}

std::string render_metrics(const RequestMetrics& requests, const std::optional<JobMetrics>& jobs) {
    std::ostringstream out;
    family(out, "backupd_database_up", "gauge",
           "1 when the job counts below could be read from the database, else 0.");
    out << "backupd_database_up " << (jobs ? 1 : 0) << '\n';
    if (jobs) {
        render_jobs(out, *jobs);
        render_plans(out, *jobs);
    }
    render_requests(out, requests.snapshot());
    render_refusals(out, requests);
    return out.str();
}

std::string escape_label_value(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (const char c : value) {
        switch (c) {
            case '\\': out += "\\\\"; break;
            case '"': out += "\\\""; break;
            case '\n': out += "\\n"; break;
            default: out += c;
        }
    }
    return out;
}

}  // namespace backupd::api
