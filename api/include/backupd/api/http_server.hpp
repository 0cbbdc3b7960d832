#pragma once
// The HTTP server: Beast with C++20 coroutines on its own I/O threads. Beast stays inside
// http_server.cpp; this header is cheap to include.
//
// Limits are deliberate: a request whose header exceeds `header_limit` gets 431, a body beyond
// `body_limit` 413, anything malformed 400; each closes the connection. Every read and write
// has a deadline. Thread-safety: construct, start() and stop() from one thread.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "backupd/api/auth.hpp"
#include "backupd/api/router.hpp"

namespace backupd::api {

struct ServerOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;  // 0 picks a free port; see HttpServer::port()
    // Threads running the network I/O. Handlers run on them too, so they must not block.
    std::size_t io_threads = 2;
    std::size_t header_limit = 8 * 1024;
    std::size_t body_limit = 64 * 1024;
    // Deadline for receiving one whole request (also the keep-alive idle bound), and for
    // sending one response.
    std::chrono::seconds read_timeout{30};
    std::chrono::seconds write_timeout{30};
    // Connections beyond this are closed at once; each costs a socket and a buffer.
    std::size_t max_connections = 512;  // below the usual 1024 descriptor limit
};

class HttpServer {
public:
    // Binds and listens at once, so a taken port fails start-up: throws std::runtime_error
    // naming the address. With `tokens` non-empty every route but /healthz needs one of them.
    HttpServer(ServerOptions options, Router router, TokenSet tokens);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // The bound address as "HOST:PORT" (the real port when 0 was asked for).
    std::string local_address() const;
    std::uint16_t port() const;

    // Starts accepting on the I/O threads.
    void start();

    // Stops accepting, lets requests in flight finish for up to `grace`, then ends every
    // connection and joins the I/O threads.
    void stop(std::chrono::milliseconds grace);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace backupd::api
