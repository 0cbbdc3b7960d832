// GET /api/v1/stats (and GET /stats): job counts. core::read_stats writes the `Get Stats`
// audit record.
#include "backupd/api/api_routes.hpp"
#include "backupd/api/json.hpp"
#include "backupd/core/audited_queries.hpp"
#include "request_checks.hpp"

namespace backupd::api {
namespace {

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

}  // namespace

void add_stats_routes(Router& router, const ApiServices& services) {
    const ApiServices* s = &services;
    for (const char* path : {"/api/v1/stats", "/stats"})
        router.add("GET", path, [s](const HttpRequest& r) { return stats(*s, r); });
}

}  // namespace backupd::api
