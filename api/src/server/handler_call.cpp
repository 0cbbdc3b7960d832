#include "server/handler_call.hpp"

#include <spdlog/spdlog.h>

#include "backupd/api/error_status.hpp"
#include "backupd/api/json.hpp"
#include "backupd/api/reject_unauthorized.hpp"
#include "backupd/core/error.hpp"

namespace backupd::api::server {

HttpResponse answer_request(const Router& router, const TokenSet& tokens,
                            const HttpRequest& request) {
    HttpRequest admitted = request;
    if (auto rejection = reject_unauthorized(tokens, router, admitted)) return *rejection;
    return guarded(admitted, [&] { return router.route(admitted); });
}

HttpResponse guarded(const HttpRequest& request, const std::function<HttpResponse()>& step) {
    try {
        return step();
    } catch (const core::Error& e) {
        spdlog::log(e.code() == core::ErrorCode::database_unavailable ? spdlog::level::warn
                                                                      : spdlog::level::err,
                    "event=request_failed method={} target=\"{}\" kind={} error=\"{}\"",
                    request.method, request.target.substr(0, 200), core::to_string(e.code()),
                    e.detail());
        return error_for(e);
    } catch (const std::exception& e) {
        spdlog::error("event=handler_failed method={} target=\"{}\" error=\"{}\"", request.method,
                      request.target.substr(0, 200), e.what());
        return error_response(core::ErrorCode::internal_error);
    }
}

}  // namespace backupd::api::server
