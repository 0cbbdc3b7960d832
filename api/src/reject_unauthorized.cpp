#include "backupd/api/reject_unauthorized.hpp"

#include "backupd/api/json.hpp"
#include "backupd/api/router.hpp"

namespace backupd::api {

std::optional<HttpResponse> reject_unauthorized(const TokenSet& tokens,
                                                const HttpRequest& request) {
    if (tokens.empty() || path_of(request.target) == "/healthz") return std::nullopt;
    if (tokens.accepts(request.authorization)) return std::nullopt;
    HttpResponse response = error_response(core::ErrorCode::unauthorized);
    response.headers.emplace_back("WWW-Authenticate", "Bearer");
    return response;
}

}  // namespace backupd::api
