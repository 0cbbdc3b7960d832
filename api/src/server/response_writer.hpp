#pragma once
// Writing one HttpResponse to a connection (internal to the HTTP server): a whole body with
// Content-Length, or a streamed one (with Content-Length when its length is known, else chunked
// on HTTP/1.1, raw until close on HTTP/1.0). Both
// build their header in one place. Every write has a deadline.

#include <chrono>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/error.hpp>

#include "backupd/api/http_message.hpp"
#include "server/streams.hpp"

namespace backupd::api::server {

struct WriteOptions {
    unsigned version = 11;  // the request's HTTP version: 10 or 11
    bool keep_alive = false;
    bool head = false;  // a HEAD request: the header only
    std::chrono::seconds timeout{30};
};

// Sends `response`; returns the write's error. A streamed body's chunks are produced on
// `producers`, one at a time, each written before the next is asked for, so a slow reader
// holds back the producer and memory stays flat. A streamed answer of unknown length always
// ends the connection. Instantiated for PlainStream and TlsStream (response_writer.cpp).
template <typename Stream>
boost::asio::awaitable<boost::beast::error_code> write_response(
    Stream& stream, const HttpResponse& response, const WriteOptions& options,
    boost::asio::thread_pool& producers);

extern template boost::asio::awaitable<boost::beast::error_code> write_response<PlainStream>(
    PlainStream&, const HttpResponse&, const WriteOptions&, boost::asio::thread_pool&);
extern template boost::asio::awaitable<boost::beast::error_code> write_response<TlsStream>(
    TlsStream&, const HttpResponse&, const WriteOptions&, boost::asio::thread_pool&);

}  // namespace backupd::api::server
