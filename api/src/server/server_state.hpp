#pragma once
// What every part of the HTTP server shares (internal): its options, routes and tokens, the
// live sessions, the TLS context, the stopping flag, the handler pool and admission control.
// Owned by HttpServer; outlives every session.

#include <algorithm>
#include <atomic>

#include <boost/asio/thread_pool.hpp>

#include "backupd/api/http_server.hpp"
#include "backupd/api/router.hpp"
#include "backupd/api/tls_context.hpp"
#include "backupd/api/token_set.hpp"
#include "server/admission.hpp"
#include "server/session_registry.hpp"

namespace backupd::api::server {

struct ServerState {
    ServerState(ServerOptions o, Router r, TokenSet t)
        : options(std::move(o)),
          router(std::move(r)),
          tokens(std::move(t)),
          handlers(std::max<std::size_t>(1, options.handler_threads)) {}

    const ServerOptions options;
    const Router router;
    const TokenSet tokens;
    SessionRegistry sessions;
    // The TLS context new connections get; empty in plain HTTP. HttpServer::reload_tls()
    // replaces it.
    TlsContextSlot tls;
    std::atomic<bool> stopping{false};
    // Where handlers, streamed bodies and deferred answers run: never on the I/O threads.
    boost::asio::thread_pool handlers;
    Admission admission{options};  // after `options`, which it reads
};

}  // namespace backupd::api::server
