#include "backupd/api/reject_unauthorized.hpp"

#include "backupd/api/json.hpp"
#include "backupd/api/route_scopes.hpp"

namespace backupd::api {

std::optional<HttpResponse> reject_unauthorized(const TokenSet& tokens, const Router& router,
                                                HttpRequest& request) {
    request.scopes = ScopeSet::all();
    if (tokens.empty() || needs_no_token(path_of(request.target))) return std::nullopt;
    const auto granted = tokens.admit(request.authorization);
    if (!granted) {
        HttpResponse response = error_response(core::ErrorCode::unauthorized);
        response.headers.emplace_back("WWW-Authenticate", "Bearer");
        return response;
    }
    request.scopes = *granted;
    const auto route = router.route_of(request);
    if (!route) return std::nullopt;
    const auto space = route->find(' ');
    const Scope needed = required_scope(route->substr(0, space), route->substr(space + 1));
    if (granted->grants(needed)) return std::nullopt;
    HttpResponse response = insufficient_scope(needed);
    response.route = *route;
    return response;
}

}  // namespace backupd::api
