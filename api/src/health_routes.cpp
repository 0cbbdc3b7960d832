#include "backupd/api/health_routes.hpp"

#include "backupd/api/json.hpp"

namespace backupd::api {

void add_health_routes(Router& router) {
    router.add_nonblocking("GET", "/healthz", [](const HttpRequest&) {
        HttpResponse response;
        response.body = status_body("ok");
        return response;
    });
}

}  // namespace backupd::api
