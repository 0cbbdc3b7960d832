#pragma once
// The bearer-token check every request passes before routing (docs/design.md section 8).
// Thread-safety: a pure function of its arguments.

#include <optional>

#include "backupd/api/http_message.hpp"
#include "backupd/api/token_set.hpp"

namespace backupd::api {

// The 401 response for a request `tokens` does not admit, or nullopt to let it through.
// /healthz is always admitted: liveness probes carry no secrets.
std::optional<HttpResponse> reject_unauthorized(const TokenSet& tokens, const HttpRequest& request);

}  // namespace backupd::api
