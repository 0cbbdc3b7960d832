#pragma once
// The two kinds of connection a session serves (internal to the HTTP server): plain TCP, and
// TLS over TCP. Code that serves either is a template over the stream type and reaches the TCP
// layer (deadlines, cancel, the socket) through beast::get_lowest_layer; what differs (the
// handshake, closing the sending side) is overloaded in session.cpp.

#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

namespace backupd::api::server {

using PlainStream = boost::beast::tcp_stream;
using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

}  // namespace backupd::api::server
