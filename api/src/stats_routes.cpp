// GET /api/v1/stats (and GET /stats): job counts; GET /api/v1/stats/daily: jobs that ended, per
// UTC day. core::read_stats and core::read_daily_stats write the `Get Stats` audit record.
#include <chrono>
#include <variant>

#include "backupd/api/api_routes.hpp"
#include "backupd/api/date_range.hpp"
#include "backupd/api/json.hpp"
#include "backupd/core/audited_queries.hpp"
#include "quoted_excerpt.hpp"
#include "request_checks.hpp"

namespace backupd::api {
namespace {

// Days shown when the request names no `from`: today and the 29 before it.
constexpr int kDefaultDailyDays = 30;

HttpResponse stats(const ApiServices& services, const HttpRequest& request) {
    const auto query = detail::read_query(request, {});
    std::optional<core::InvalidRequest> invalid;
    if (!query.error.empty()) invalid = core::InvalidRequest{query.error};
    const auto result =
        core::read_stats(services.jobs, services.audit, invalid, request.client_address);
    if (result.invalid) {
        return error_response(core::ErrorCode::invalid_request, result.invalid->reason);
    }
    HttpResponse response;
    response.body = stats_json(result.stats);
    return response;
}

// The query of GET /api/v1/stats/daily, or why it is unacceptable (naming the parameter).
std::variant<core::DailyStatsQuery, core::InvalidRequest> read_daily_request(
    const HttpRequest& request, std::chrono::sys_days today) {
    const auto query = detail::read_query(request, {"from", "to", "kind"});
    if (!query.error.empty()) return core::InvalidRequest{query.error};
    core::DailyStatsQuery out;
    if (const auto kind = query.get("kind")) {
        const auto parsed = core::parse_job_kind(*kind);
        if (!parsed) {
            return core::InvalidRequest{"kind: " + quoted_excerpt(*kind) +
                                        " is not one of backup, restore, verify, prune"};
        }
        out.kind = *parsed;
    }
    const auto range = parse_day_range(query.get("from"), query.get("to"), today, kDefaultDailyDays,
                                       core::kMaxDailyStatsDays);
    if (!range.ok()) return core::InvalidRequest{range.error};
    out.from = range.from;
    out.to = range.to;
    return out;
}

HttpResponse daily_stats(const ApiServices& services, const HttpRequest& request) {
    const auto today = std::chrono::floor<std::chrono::days>(core::now_utc());
    const auto result = core::read_daily_stats(
        services.jobs, services.audit, read_daily_request(request, today), request.client_address);
    if (result.invalid) {
        return error_response(core::ErrorCode::invalid_request, result.invalid->reason);
    }
    HttpResponse response;
    response.body = daily_stats_json(result.query, result.days);
    return response;
}

}  // namespace

void add_stats_routes(Router& router, const ApiServices& services) {
    const ApiServices* s = &services;
    for (const char* path : {"/api/v1/stats", "/stats"})
        router.add("GET", path, [s](const HttpRequest& r) { return stats(*s, r); });
    router.add("GET", "/api/v1/stats/daily",
               [s](const HttpRequest& r) { return daily_stats(*s, r); });
}

}  // namespace backupd::api
