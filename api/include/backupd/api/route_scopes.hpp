#pragma once
// Which scope each route needs (docs/design.md section 8): one table, so what a token may do is
// read in one place. Thread-safety: pure functions over a constant table.

#include <span>
#include <string_view>

#include "backupd/api/http_message.hpp"
#include "backupd/api/scopes.hpp"

namespace backupd::api {

// One row: a route as Router::routes() names it ("POST /backup/{folder...}") and its scope.
struct RouteScope {
    std::string_view method;
    std::string_view route;
    Scope scope;
};

// The rows for every route that changes something. GET and HEAD need `read` and are not listed.
std::span<const RouteScope> route_scopes();

// The scope a request for `method` on route pattern `route` needs: `read` for GET and HEAD, the
// table's row otherwise, and `admin` for a route the table does not name (fail closed).
Scope required_scope(std::string_view method, std::string_view route);

// Whether a request for `path` is admitted without a token: /healthz (liveness probes carry no
// secrets), and the dashboard's page and files, / and /assets/... (they hold no data; every API
// call the page makes needs its token).
bool needs_no_token(std::string_view path);

// A restore into the restore root needs `backup`; one in place (over the source folder) `admin`.
Scope restore_scope(bool in_place);

// 403 insufficient_scope naming the scope `needed`, in the message and WWW-Authenticate.
HttpResponse insufficient_scope(Scope needed);

}  // namespace backupd::api
