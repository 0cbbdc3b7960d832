#pragma once
// The bearer-token and scope check every request passes before its handler (docs/design.md
// section 8). Thread-safety: a pure function of its arguments.

#include <optional>

#include "backupd/api/http_message.hpp"
#include "backupd/api/router.hpp"
#include "backupd/api/token_set.hpp"

namespace backupd::api {

// The answer refusing `request`, or nullopt to let it through with `request.scopes` set to what
// its token grants (every scope when `tokens` is empty). 401 (with WWW-Authenticate) when no
// token of `tokens` is presented; 403 insufficient_scope when the token lacks the scope the
// route needs (required_scope). /healthz and the dashboard's files are always admitted
// (needs_no_token). A route `router` does not serve is admitted for any token: the router answers
// 404 or 405.
std::optional<HttpResponse> reject_unauthorized(const TokenSet& tokens, const Router& router,
                                                HttpRequest& request);

}  // namespace backupd::api
