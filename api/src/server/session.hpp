#pragma once
// One HTTP or HTTPS connection (internal to the HTTP server): after the TLS handshake, if any
// (under the read deadline), reads requests one at a time, each with a fresh parser under the
// header and body limits and a read deadline; answers read errors (431, 413, 400) and closes; hands
// each request to the handler pool, follows a deferred answer, and writes the answer through the
// response writer.

#include <boost/asio/ip/tcp.hpp>

#include "server/server_state.hpp"

namespace backupd::api::server {

// Starts serving `socket` on its own strand, over TLS with the server's current context when
// it has one. The caller has counted it in state.sessions (reserve()); the session uncounts
// itself when it ends. A `refusing` session (beyond the connection cap) reads one request under
// a short deadline, answers it 429 too_busy (or /healthz as usual) and ends.
void start_session(ServerState& state, boost::asio::ip::tcp::socket socket, bool refusing = false);

}  // namespace backupd::api::server
