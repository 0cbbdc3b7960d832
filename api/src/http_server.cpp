// The HTTP server's owner: the I/O threads, the shared state and the listener. The parts live
// in src/server/: listener (accepting), session (one connection), response_writer (the wire
// format of an answer), deferred_wait (answers that wait for jobs), handler_call (router, auth
// and errors), session_registry (what stop() reaches); the TLS context: src/tls_context.cpp.
#include "backupd/api/http_server.hpp"

#include <stdexcept>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "server/listener.hpp"
#include "server/server_state.hpp"

namespace backupd::api {

struct HttpServer::Impl {
    Impl(ServerOptions options, Router router, TokenSet tokens)
        : state(std::move(options), std::move(router), std::move(tokens)),
          listener(io, state.options) {}

    // Declared before `io`: sessions destroyed with the io_context still find their registry.
    server::ServerState state;
    boost::asio::io_context io{static_cast<int>(state.options.io_threads)};
    server::Listener listener;
    std::vector<std::thread> threads;
};

HttpServer::HttpServer(ServerOptions options, Router router, TokenSet tokens) {
    // Before binding: a bad certificate fails start-up without ever listening.
    TlsContextPtr tls = options.tls.enabled() ? make_tls_context(options.tls) : nullptr;
    impl_ = std::make_unique<Impl>(std::move(options), std::move(router), std::move(tokens));
    impl_->state.tls.replace(std::move(tls));
}

HttpServer::~HttpServer() {
    if (!impl_->threads.empty()) stop(std::chrono::milliseconds{0});
}

std::string HttpServer::local_address() const {
    const auto endpoint = impl_->listener.local_endpoint();
    const auto address = endpoint.address();
    // Appended piece by piece: g++ 12 at -O3 warns falsely (-Wrestrict, PR 105329) on
    // "[" + std::string.
    std::string text;
    if (address.is_v6()) text += '[';
    text += address.to_string();
    if (address.is_v6()) text += ']';
    text += ':';
    text += std::to_string(endpoint.port());
    return text;
}

std::uint16_t HttpServer::port() const {
    return impl_->listener.local_endpoint().port();
}

bool HttpServer::tls_enabled() const {
    return impl_->state.options.tls.enabled();
}

void HttpServer::reload_tls() {
    if (!tls_enabled()) throw std::logic_error("reload_tls() on a server without TLS");
    impl_->state.tls.replace(make_tls_context(impl_->state.options.tls));
}

void HttpServer::start() {
    impl_->listener.start(impl_->state);
    for (std::size_t i = 0; i < std::max<std::size_t>(1, impl_->state.options.io_threads); ++i) {
        impl_->threads.emplace_back([this] { impl_->io.run(); });
    }
}

void HttpServer::stop(std::chrono::milliseconds grace) {
    impl_->state.stopping = true;
    impl_->listener.close();
    // Idle connections end; waiting answers are given now.
    impl_->state.sessions.stop_all();
    const auto deadline = std::chrono::steady_clock::now() + grace;
    while (impl_->state.sessions.count() > 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds{10});
    }
    impl_->io.stop();
    for (auto& thread : impl_->threads) thread.join();
    impl_->threads.clear();
    impl_->state.handlers.join();
}

}  // namespace backupd::api
