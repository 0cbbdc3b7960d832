#include "backupd/api/route_scopes.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "backupd/api/json.hpp"

namespace backupd::api {
namespace {

using enum Scope;

// Every route that changes something, by what it changes: `backup` runs backups, restores into
// the restore root and verifies (work a backup client does); `admin` changes plans or removes,
// pins and unpins snapshots. A route added without a row here needs `admin`.
constexpr std::array<RouteScope, 14> kRouteScopes{{
    {"POST", "/api/v1/backups", backup},
    {"DELETE", "/api/v1/backups/{id}", backup},
    {"POST", "/backup/{folder...}", backup},
    {"DELETE", "/api/v1/jobs/{id}", backup},
    {"POST", "/api/v1/restores", backup},  // in place: admin, checked by the handler
    {"POST", "/api/v1/snapshots/{id}/verify", backup},
    {"POST", "/api/v1/plans", admin},
    {"PUT", "/api/v1/plans/{name}", admin},
    {"DELETE", "/api/v1/plans/{name}", admin},
    {"POST", "/api/v1/plans/{name}/run", admin},
    {"POST", "/api/v1/plans/{name}/prune", admin},
    {"DELETE", "/api/v1/snapshots/{id}", admin},
    {"POST", "/api/v1/snapshots/{id}/pin", admin},
    {"DELETE", "/api/v1/snapshots/{id}/pin", admin},
}};

}  // namespace

std::span<const RouteScope> route_scopes() {
    return kRouteScopes;
}

Scope required_scope(std::string_view method, std::string_view route) {
    if (method == "GET" || method == "HEAD") return read;
    const auto row = std::find_if(kRouteScopes.begin(), kRouteScopes.end(), [&](const auto& r) {
        return r.method == method && r.route == route;
    });
    return row == kRouteScopes.end() ? admin : row->scope;
}

bool needs_no_token(std::string_view path) {
    return path == "/healthz" || path == "/" || path.starts_with("/assets/");
}

Scope restore_scope(bool in_place) {
    return in_place ? admin : backup;
}

HttpResponse insufficient_scope(Scope needed) {
    const std::string scope(to_string(needed));
    HttpResponse response =
        error_response(core::ErrorCode::insufficient_scope,
                       core::message_for(core::ErrorCode::insufficient_scope, scope));
    // As RFC 6750 section 3.1 writes it.
    response.headers.emplace_back("WWW-Authenticate",
                                  R"(Bearer error="insufficient_scope", scope=")" + scope + '"');
    return response;
}

}  // namespace backupd::api
