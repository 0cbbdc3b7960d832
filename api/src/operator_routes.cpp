// For operators: readiness, Prometheus metrics and the OpenAPI document.
#include <chrono>
#include <utility>

#include "backupd/api/api_routes.hpp"
#include "backupd/api/backup_root_answers.hpp"
#include "backupd/api/json.hpp"
#include "backupd/core/error.hpp"
#include "backupd/core/plans.hpp"
#include "openapi_document.hpp"

namespace backupd::api {
namespace {

HttpResponse readiness(const ApiServices& services) {
    if (services.recovering()) {
        HttpResponse response;
        response.status = 503;
        response.body = status_body("recovering");
        return response;
    }
    bool database = false;
    try {
        database = services.database_ready();
    } catch (const std::exception&) {
        database = false;
    }
    if (!database) {
        return error_response(core::ErrorCode::database_unavailable);
    }
    if (!services.workers_alive()) {
        return error_response(core::ErrorCode::workers_stopped);
    }
    if (const auto root = services.backup_root()) {
        if (auto unready = backup_root_unready(*root)) return std::move(*unready);
    }
    HttpResponse response;
    response.body = status_body("ready");
    return response;
}

HttpResponse metrics(const ApiServices& services, const RequestMetrics& requests) {
    std::optional<JobMetrics> jobs;
    try {
        JobMetrics values;
        values.stats = services.jobs.stats();
        if (values.stats.oldest_queued_at) {
            values.oldest_queued_age_seconds =
                std::chrono::duration<double>(core::now_utc() - *values.stats.oldest_queued_at)
                    .count();
        }
        values.bytes_copied_total = values.stats.bytes_copied;
        values.lease_expiries_total = services.lease_expiries();
        if (services.plans) {
            for (const auto& plan : services.plans->list()) {
                PlanMetrics series{plan.spec.name, plan.last_success_at, plan.next_run_at,
                                   plan.runs_skipped};
                if (plan.next_run_at)
                    series.period = core::plan_period(plan.spec, *plan.next_run_at);
                values.plans.push_back(std::move(series));
            }
        }
        if (services.snapshots) values.snapshots_by_folder = services.snapshots->count_by_folder();
        jobs = values;
    } catch (const core::Error&) {
        // The database is away: the HTTP series still render, with backupd_database_up 0.
    }
    HttpResponse response;
    response.content_type = std::string(kMetricsContentType);
    response.body = render_metrics(requests, jobs);
    if (const auto root = services.backup_root())
        response.body += render_backup_root_metrics(*root);
    return response;
}

}  // namespace

void add_operator_routes(Router& router, const ApiServices& services,
                         const RequestMetrics& requests) {
    const ApiServices* s = &services;
    const RequestMetrics* r = &requests;
    router.add("GET", "/readyz", [s](const HttpRequest&) { return readiness(*s); });
    router.add("GET", "/metrics", [s, r](const HttpRequest&) { return metrics(*s, *r); });
    router.add("GET", "/api/v1/openapi.yaml", [](const HttpRequest&) {
        HttpResponse response;
        response.content_type = "application/yaml; charset=utf-8";
        response.body = std::string(detail::openapi_document());
        return response;
    });
}

}  // namespace backupd::api
