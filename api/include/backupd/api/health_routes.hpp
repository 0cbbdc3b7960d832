#pragma once

#include "backupd/api/router.hpp"

namespace backupd::api {

// GET /healthz: 200 {"status":"ok"} while the process serves requests. It touches nothing
// else, so a database outage never makes an orchestrator restart a healthy daemon.
void add_health_routes(Router& router);

}  // namespace backupd::api
