// GET /api/v1/stats (and GET /stats): job counts, each call audited as `Get Stats`.
#include "backupd/api/api_routes.hpp"
#include "backupd/api/json.hpp"
#include "request_checks.hpp"

namespace backupd::api {
namespace {

HttpResponse stats(const ApiServices& services, const HttpRequest& request) {
    core::NewAuditRecord record;
    record.action = core::AuditAction::get_stats;
    record.client_address = request.client_address;
    const auto query = detail::read_query(request, {});
    if (!query.error.empty()) {
        record.status = core::AuditStatus::failed;
        record.message = query.error;
        services.audit.append(record);
        return error_response(core::ErrorCode::invalid_request, query.error);
    }
    const core::Stats counts = services.jobs.stats();
    record.message = "total " + std::to_string(counts.total) + ", succeeded " +
                     std::to_string(counts.succeeded) + ", failed " + std::to_string(counts.failed);
    services.audit.append(record);
    HttpResponse response;
    response.body = stats_json(counts);
    return response;
}

}  // namespace

void add_stats_routes(Router& router, const ApiServices& services) {
    const ApiServices* s = &services;
    for (const char* path : {"/api/v1/stats", "/stats"})
        router.add("GET", path, [s](const HttpRequest& r) { return stats(*s, r); });
}

}  // namespace backupd::api
