#include "server/listener.hpp"

#include <stdexcept>
#include <string>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "server/session.hpp"

namespace backupd::api::server {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

}  // namespace

Listener::Listener(asio::io_context& io, const ServerOptions& options)
    : io_(io), acceptor_(asio::make_strand(io)) {
    const std::string where = options.host + ":" + std::to_string(options.port);
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(options.host, ec);
    if (ec) throw std::runtime_error("cannot listen on " + where + ": not an IP address");
    const tcp::endpoint endpoint{address, options.port};
    if (!acceptor_.open(endpoint.protocol(), ec) &&
        !acceptor_.set_option(asio::socket_base::reuse_address(true), ec) &&
        !acceptor_.bind(endpoint, ec) &&
        !acceptor_.listen(asio::socket_base::max_listen_connections, ec)) {
        return;
    }
    throw std::runtime_error("cannot listen on " + where + ": " + ec.message());
}

tcp::endpoint Listener::local_endpoint() const {
    return acceptor_.local_endpoint();
}

void Listener::start(ServerState& state) {
    asio::co_spawn(acceptor_.get_executor(), accept_loop(state), asio::detached);
}

void Listener::close() {
    asio::post(acceptor_.get_executor(), [this] {
        boost::system::error_code ignored;
        acceptor_.close(ignored);
    });
}

asio::awaitable<void> Listener::accept_loop(ServerState& state) {
    for (;;) {
        auto [ec, socket] = co_await acceptor_.async_accept(asio::make_strand(io_), kUseTuple);
        if (ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
        if (ec) {
            // Out of descriptors and the like: the pending connection stays queued, so an
            // immediate retry would spin. Pause, then keep accepting.
            spdlog::warn("event=accept_failed error=\"{}\"", ec.message());
            asio::steady_timer pause(acceptor_.get_executor(), std::chrono::milliseconds{100});
            co_await pause.async_wait(kUseTuple);
            continue;
        }
        const auto admitted = state.admission.admit_connection(state.sessions);
        if (admitted != Admission::Connection::serve) {
            spdlog::warn("event=connection_refused reason=max_connections limit={} answered={}",
                         state.options.max_connections, admitted == Admission::Connection::refuse);
        }
        if (admitted == Admission::Connection::close) continue;  // closes as it goes out of scope
        start_session(state, std::move(socket), admitted == Admission::Connection::refuse);
    }
}

}  // namespace backupd::api::server
