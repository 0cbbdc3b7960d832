#include "server/response_writer.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include "server/offload.hpp"

namespace backupd::api::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

// The one place a response header is made, for whole and streamed bodies alike.
http::response_header<> header_for(const HttpResponse& response, unsigned version) {
    http::response_header<> header;
    header.version(version);
    header.result(static_cast<http::status>(response.status));
    header.set(http::field::server, "backupd");
    header.set(http::field::content_type, response.content_type);
    for (const auto& [name, value] : response.headers) header.set(name, value);
    return header;
}

template <typename Stream>
asio::awaitable<beast::error_code> write_whole(Stream& stream, const HttpResponse& response,
                                               const WriteOptions& options) {
    http::response<http::string_body> message{header_for(response, options.version), response.body};
    message.keep_alive(options.keep_alive);
    message.prepare_payload();
    if (options.head) message.body().clear();  // keeps the Content-Length of the GET answer
    beast::get_lowest_layer(stream).expires_after(options.timeout);
    const auto [ec, bytes] = co_await http::async_write(stream, message, kUseTuple);
    co_return ec;
}

template <typename Stream>
asio::awaitable<beast::error_code> write_piece(Stream& stream, const std::string& piece,
                                               bool chunked, std::chrono::seconds timeout) {
    beast::get_lowest_layer(stream).expires_after(timeout);
    // Two statements, not one conditional: g++ 12 miscompiles co_await inside ?: (both arms
    // ran).
    if (chunked) {
        const auto [ec, bytes] =
            co_await asio::async_write(stream, http::make_chunk(asio::buffer(piece)), kUseTuple);
        co_return ec;
    }
    const auto [ec, bytes] = co_await asio::async_write(stream, asio::buffer(piece), kUseTuple);
    co_return ec;
}

// The header of a streamed answer: with Content-Length when the length is known (the connection
// may then be kept), else chunked on HTTP/1.1 or raw until close on HTTP/1.0.
http::response<http::empty_body> streamed_header(const HttpResponse& response,
                                                 const WriteOptions& options) {
    http::response<http::empty_body> header{header_for(response, options.version)};
    if (response.content_length) {
        header.keep_alive(options.keep_alive);
        header.content_length(static_cast<std::uint64_t>(*response.content_length));
    } else {
        header.keep_alive(false);
        if (options.version >= 11) header.chunked(true);
    }
    return header;
}

asio::awaitable<beast::error_code> stream_aborted(const HttpResponse& response,
                                                  std::string_view why) {
    spdlog::error("event=stream_failed route=\"{}\" error=\"{}\"", response.route, why);
    co_return asio::error::connection_aborted;
}

// A producer that fails mid-way (or, for a known length, yields more or fewer bytes) ends the
// connection without the last chunk: the client sees a truncated answer, never a
// complete-looking wrong one.
template <typename Stream>
asio::awaitable<beast::error_code> write_streamed(Stream& stream, const HttpResponse& response,
                                                  const WriteOptions& options,
                                                  asio::thread_pool& producers) {
    const bool sized = response.content_length.has_value();
    const bool chunked = !sized && options.version >= 11;
    auto header = streamed_header(response, options);
    http::response_serializer<http::empty_body> serializer{header};
    beast::get_lowest_layer(stream).expires_after(options.timeout);
    auto [ec, bytes] = co_await http::async_write_header(stream, serializer, kUseTuple);
    if (ec || options.head) co_return ec;
    std::int64_t left = response.content_length.value_or(0);
    std::optional<std::string> chunk = response.body;
    while (chunk) {
        if (!chunk->empty()) {
            if (sized && static_cast<std::int64_t>(chunk->size()) > left)
                co_return co_await stream_aborted(response, "more bytes than Content-Length");
            ec = co_await write_piece(stream, *chunk, chunked, options.timeout);
            if (ec) co_return ec;
            left -= static_cast<std::int64_t>(chunk->size());
        }
        // No co_await inside a handler: the error is carried out of it.
        std::optional<std::string> failure;
        try {
            chunk = co_await offload(producers, response.next_chunk);
        } catch (const std::exception& e) {
            failure = e.what();
        } catch (...) {
            failure = "unknown error";
        }
        if (failure) co_return co_await stream_aborted(response, *failure);
    }
    if (sized && left != 0)
        co_return co_await stream_aborted(response, "fewer bytes than Content-Length");
    if (!chunked) co_return ec;
    beast::get_lowest_layer(stream).expires_after(options.timeout);
    std::tie(ec, bytes) = co_await asio::async_write(stream, http::make_chunk_last(), kUseTuple);
    co_return ec;
}

}  // namespace

template <typename Stream>
asio::awaitable<beast::error_code> write_response(Stream& stream, const HttpResponse& response,
                                                  const WriteOptions& options,
                                                  asio::thread_pool& producers) {
    if (response.next_chunk) return write_streamed(stream, response, options, producers);
    return write_whole(stream, response, options);
}

template asio::awaitable<beast::error_code> write_response<PlainStream>(PlainStream&,
                                                                        const HttpResponse&,
                                                                        const WriteOptions&,
                                                                        asio::thread_pool&);
template asio::awaitable<beast::error_code> write_response<TlsStream>(TlsStream&,
                                                                      const HttpResponse&,
                                                                      const WriteOptions&,
                                                                      asio::thread_pool&);

}  // namespace backupd::api::server
