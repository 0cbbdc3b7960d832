#pragma once
// Calling the router for one request, off the I/O threads (internal to the HTTP server): auth
// first, then the handler, with whatever it throws turned into an answer. No Asio, no Beast.

#include <functional>

#include "backupd/api/http_message.hpp"
#include "backupd/api/router.hpp"
#include "backupd/api/token_set.hpp"

namespace backupd::api::server {

// The 401 or 403 for a request the tokens do not admit (reject_unauthorized), else the
// router's answer, guarded.
HttpResponse answer_request(const Router& router, const TokenSet& tokens,
                            const HttpRequest& request);

// Runs a handler step, turning what it throws into an answer: a core::Error by its code (the
// database unreachable is 503), anything else 500. The detail goes to the log only.
HttpResponse guarded(const HttpRequest& request, const std::function<HttpResponse()>& step);

}  // namespace backupd::api::server
