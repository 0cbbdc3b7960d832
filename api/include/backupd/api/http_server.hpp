#pragma once
// The HTTP server: Beast with C++20 coroutines on its own I/O threads. Its parts live in
// api/src/server/ (listener, session, response writer, deferred wait); Beast stays inside the
// session and the response writer, and this header is cheap to include.
//
// Limits are deliberate: a request whose header exceeds `header_limit` gets 431, a body beyond
// `body_limit` 413, anything malformed 400; each closes the connection (after draining what
// the client still sends, so it reads the answer rather than a reset). Every read and write
// has a deadline. A connection answers its requests one at a time, in order: pipelined
// requests wait in its buffer. An answer that waits for jobs (DeferredAnswer) holds no thread:
// it is woken by the JobWatch when a job changes on this node, looks again at its recheck
// interval for jobs run elsewhere, and is given at its deadline or when the server stops.
// With `tls` set, every connection is HTTPS (tls_context.hpp has the policy): the handshake
// runs under the read deadline and a failed one just ends the connection.
// Thread-safety: construct, start() and stop() from one thread; reload_tls() from any.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "backupd/api/refusal.hpp"
#include "backupd/api/router.hpp"
#include "backupd/api/tls_context.hpp"
#include "backupd/api/token_set.hpp"

namespace backupd::api {

struct ServerOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;  // 0 picks a free port; see HttpServer::port()
    // Threads running the network I/O only. Handlers run on `handler_threads` instead, so
    // they may block on the database or the file system without stalling other connections.
    std::size_t io_threads = 2;
    // Each handler thread serves one request at a time: with a database pool of N
    // connections, more than about 2N only queue.
    std::size_t handler_threads = 8;
    std::size_t header_limit = std::size_t{8} * 1024;
    std::size_t body_limit = std::size_t{64} * 1024;
    // Deadline for receiving one whole request (also the keep-alive idle bound), and for
    // sending one response.
    std::chrono::seconds read_timeout{30};
    std::chrono::seconds write_timeout{30};
    // Each connection costs a socket and a buffer. One beyond this is answered 429 too_busy
    // with Retry-After and closed (a few at a time, with a short read deadline: see
    // server/admission.hpp); past those few, it is closed unanswered.
    std::size_t max_connections = 512;  // below the usual 1024 descriptor limit
    // Requests that need a handler thread (every route but /healthz) and find all of them busy
    // wait in a queue; beyond this many waiting, a request is answered 429 too_busy at once
    // instead of queueing behind work it would time out on. 0: no bound.
    std::size_t max_queued_requests = 64;  // 8 per default handler thread
    // Requests per second per client address, as a token bucket holding `rate_limit_burst`;
    // a request without a token gets 429 too_busy with Retry-After (seconds until one). 0: off.
    // /healthz is never limited. Behind a reverse proxy all clients share its address.
    std::size_t rate_limit = 0;
    std::size_t rate_limit_burst = 0;  // 0: equal to rate_limit (one second's worth)
    // Told about every answered request: its route pattern, status and time from the end of
    // reading it to the end of writing the answer. Called on I/O threads; must be cheap.
    std::function<void(const std::string& route, int status, std::chrono::nanoseconds)> observe;
    // Certificate and key: HTTPS when set, plain HTTP when both are empty.
    TlsFiles tls;
    // Told about every refusal (a 429 too_busy, or a connection closed past every bound).
    // Called on I/O threads; must be cheap.
    std::function<void(Refusal)> refused;
};

class HttpServer {
public:
    // Loads the TLS files first, then binds and listens at once, so bad files or a taken port
    // fail start-up: throws std::runtime_error naming the file or the address. With `tokens`
    // non-empty every route but /healthz needs one of them.
    HttpServer(ServerOptions options, Router router, TokenSet tokens);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // The bound address as "HOST:PORT" (the real port when 0 was asked for).
    std::string local_address() const;
    std::uint16_t port() const;

    bool tls_enabled() const;
    // Reads the TLS files again (options.tls) into a new context for new connections;
    // connections already open keep theirs, so none is dropped. When the files are bad
    // (unreadable, not PEM, key not matching) throws std::runtime_error from
    // make_tls_context() and the old context stays. Throws std::logic_error without TLS.
    void reload_tls();

    // Starts accepting on the I/O threads.
    void start();

    // Stops accepting, closes idle keep-alive connections, lets requests in flight finish for
    // up to `grace`, then ends every connection and joins the threads.
    void stop(std::chrono::milliseconds grace);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace backupd::api
