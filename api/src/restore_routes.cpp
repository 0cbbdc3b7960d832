// Restores and verifies: POST /api/v1/restores and POST /api/v1/snapshots/{id}/verify. Each
// reads the request, calls core::submit_restore or core::submit_verify (which record a refused
// request that names a snapshot as a failed job, with its audit record), and answers like a
// backup: 202 with the job and its Location, or with ?wait=N its outcome.
#include "backupd/api/api_routes.hpp"
#include "backupd/api/json.hpp"
#include "backupd/api/route_scopes.hpp"
#include "backupd/api/snapshot_json.hpp"
#include "job_answers.hpp"
#include "snapshot_access.hpp"

namespace backupd::api {
namespace {

using namespace detail;

HttpResponse restore(const ApiServices& services, const HttpRequest& request) {
    const auto asked = submission_wait(services, request);
    if (const auto* refused = std::get_if<HttpResponse>(&asked)) return *refused;
    const auto wait = std::get<std::chrono::seconds>(asked);
    if (!is_json(request.content_type)) {
        return error_response(core::ErrorCode::unsupported_media_type);
    }
    const auto ports = snapshot_ports(services);
    if (!ports) return snapshots_not_served();
    auto parsed = parse_restore_request(request.body);
    // Writing over the source folder needs more than a restore beside it: checked before
    // anything else about the body, and refused without a job, like any missing scope.
    const Scope needed = restore_scope(parsed.request.in_place);
    if (!request.scopes.grants(needed)) return insufficient_scope(needed);
    // A body that names no snapshot is refused here; any other refusal is a failed job of it.
    if (!parsed.names_snapshot) return bad_request(parsed.error);
    core::RestoreRequest wanted = std::move(parsed.request);
    wanted.client_address = request.client_address;
    if (!parsed.ok())
        wanted.refusal = core::JobError{core::ErrorCode::invalid_request, parsed.error};
    const auto submitted = core::submit_restore(*ports, wanted);
    return submitted_answer(services, submitted.job, submitted.rejected, wait);
}

HttpResponse verify(const ApiServices& services, const HttpRequest& request) {
    const auto asked = submission_wait(services, request);
    if (const auto* refused = std::get_if<HttpResponse>(&asked)) return *refused;
    const auto wait = std::get<std::chrono::seconds>(asked);
    const auto ports = snapshot_ports(services);
    if (!ports) return snapshots_not_served();
    const auto id = id_parameter(request);
    if (!id) return bad_snapshot_id();
    const auto submitted = core::submit_verify(*ports, *id, request.client_address);
    return submitted_answer(services, submitted.job, submitted.rejected, wait);
}

}  // namespace

void add_restore_routes(Router& router, const ApiServices& services) {
    const ApiServices* s = &services;
    router.add("POST", "/api/v1/restores", [s](const HttpRequest& r) { return restore(*s, r); });
    router.add("POST", "/api/v1/snapshots/{id}/verify",
               [s](const HttpRequest& r) { return verify(*s, r); });
}

}  // namespace backupd::api
