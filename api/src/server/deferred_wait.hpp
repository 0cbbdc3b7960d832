#pragma once
// Waiting for a deferred answer (internal to the HTTP server), holding no thread: the session's
// coroutine sleeps on a timer that a JobWatch notification, the recheck interval, the deadline
// or the server's stop ends.

#include <functional>

#include <boost/asio/awaitable.hpp>

#include "backupd/api/http_message.hpp"
#include "server/server_state.hpp"

namespace backupd::api::server {

// Follows `deferred` to its answer. While waiting, `stop_hook` (which the session runs on its
// strand when the server stops) wakes the wait, and the answer is then asked for with `last`
// true; it is cleared again before returning. Runs on the session's strand.
boost::asio::awaitable<HttpResponse> await_deferred(ServerState& state, const HttpRequest& request,
                                                    const DeferredAnswer& deferred,
                                                    std::function<void()>& stop_hook);

}  // namespace backupd::api::server
