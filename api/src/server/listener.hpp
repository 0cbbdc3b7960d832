#pragma once
// Accepts connections and starts a session for each (internal to the HTTP server). Binds and
// listens when constructed, so a taken port fails start-up; keeps accepting after transient
// errors (out of descriptors); refuses connections beyond the server's limit (admission.hpp).

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "server/server_state.hpp"

namespace backupd::api::server {

class Listener {
public:
    // Throws std::runtime_error naming the address when it cannot listen there.
    Listener(boost::asio::io_context& io, const ServerOptions& options);

    boost::asio::ip::tcp::endpoint local_endpoint() const;

    // Starts the accept loop; each connection gets a session over `state`.
    void start(ServerState& state);
    // Stops accepting (from any thread).
    void close();

private:
    boost::asio::awaitable<void> accept_loop(ServerState& state);

    boost::asio::io_context& io_;
    // On a strand: the accept loop and close() never run at once.
    boost::asio::ip::tcp::acceptor acceptor_;
};

}  // namespace backupd::api::server
