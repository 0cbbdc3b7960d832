#include "server/session.hpp"

#include <array>
#include <memory>
#include <optional>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include "backupd/api/json.hpp"
#include "backupd/core/error.hpp"
#include "server/admission.hpp"
#include "server/deferred_wait.hpp"
#include "server/handler_call.hpp"
#include "server/offload.hpp"
#include "server/request_conversion.hpp"
#include "server/response_writer.hpp"

namespace backupd::api::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

// The answer to a request that could not be read, or nullopt when the connection just ends
// (closed by the peer, timed out, a socket error: nobody to answer).
std::optional<HttpResponse> answer_to_read_error(const beast::error_code& ec) {
    if (ec == http::error::header_limit) return error_response(core::ErrorCode::header_too_large);
    if (ec == http::error::body_limit) return error_response(core::ErrorCode::body_too_large);
    static const auto& parse_errors = http::make_error_code(http::error::bad_method).category();
    if (ec.category() != parse_errors || ec == http::error::end_of_stream ||
        ec == http::error::partial_message) {
        return std::nullopt;
    }
    return error_response(core::ErrorCode::bad_request,
                          core::message_for(core::ErrorCode::bad_request, ec.message()));
}

// Begins a connection: nothing to do in plain HTTP; the TLS handshake, under the same deadline
// as reading a request. A failed handshake (a scanner, an old protocol, a client that does not
// trust the certificate) just ends the connection.
asio::awaitable<bool> begin(PlainStream&, std::chrono::seconds, const std::string&) {
    co_return true;
}

asio::awaitable<bool> begin(TlsStream& stream, std::chrono::seconds timeout,
                            const std::string& client) {
    beast::get_lowest_layer(stream).expires_after(timeout);
    const auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, kUseTuple);
    if (ec) {
        spdlog::debug("event=tls_handshake_failed client={} error=\"{}\"", client, ec.message());
        co_return false;
    }
    co_return true;
}

// Ends the sending side, so the client knows the answer is whole: a TCP FIN in plain HTTP; in
// TLS the close_notify alert first (bounded by `timeout`: it also waits for the client's).
asio::awaitable<void> end_sending(PlainStream& stream, std::chrono::milliseconds) {
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    co_return;
}

asio::awaitable<void> end_sending(TlsStream& stream, std::chrono::milliseconds timeout) {
    beast::get_lowest_layer(stream).expires_after(timeout);
    co_await stream.async_shutdown(kUseTuple);
    beast::error_code ignored;
    beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_send, ignored);
}

// After an answer that ends the connection early (413, 431, 400), reads and drops what the
// client still sends for a moment, so it gets to read the answer instead of a reset.
template <typename Stream>
asio::awaitable<void> linger(Stream& stream) {
    constexpr std::chrono::milliseconds kLinger{500};
    co_await end_sending(stream, kLinger);
    auto& tcp_layer = beast::get_lowest_layer(stream);  // raw bytes: they are only dropped
    std::array<char, std::size_t{16} * 1024> scratch;
    std::size_t drained = 0;
    tcp_layer.expires_after(kLinger);
    while (drained < std::size_t{1024} * 1024) {
        const auto [ec, bytes] =
            co_await tcp_layer.async_read_some(asio::buffer(scratch), kUseTuple);
        if (ec) break;
        drained += bytes;
    }
}

// One connection over `Stream` (PlainStream or TlsStream): the request loop is the same for
// both; begin() and end_sending() differ.
template <typename Stream>
class Session {
public:
    // `stream_args` construct the stream; a TLS session keeps `tls` (the context it was
    // started with) for as long as it lives, whatever a reload swaps in meanwhile.
    template <typename... StreamArgs>
    Session(ServerState& state, TlsContextPtr tls, bool refusing, StreamArgs&&... stream_args)
        : state_(state),
          tls_(std::move(tls)),
          stream_(std::forward<StreamArgs>(stream_args)...),
          refusing_(refusing),
          handle_{stream_.get_executor(),
                  [this] {
                      if (idle_) beast::get_lowest_layer(stream_).cancel();
                      if (wake_) wake_();
                  }},
          entry_(state.sessions, handle_) {}

    // Serves until the connection ends; the session lives in this coroutine's frame.
    static asio::awaitable<void> serve(std::unique_ptr<Session> self) {
        beast::error_code ignored;
        self->client_ = beast::get_lowest_layer(self->stream_)
                            .socket()
                            .remote_endpoint(ignored)
                            .address()
                            .to_string();
        self->idle_ = true;  // stop() ends a connection still in its handshake
        const auto handshake_timeout =
            self->refusing_ ? Admission::kRefusingReadTimeout : self->state_.options.read_timeout;
        const bool begun = co_await begin(self->stream_, handshake_timeout, self->client_);
        self->idle_ = false;
        if (!begun) co_return;
        while (!self->state_.stopping.load() && co_await self->serve_one()) {
        }
        co_await end_sending(self->stream_, std::chrono::milliseconds{1000});
    }

private:
    // Reads, answers and writes one request; false when the connection should end.
    asio::awaitable<bool> serve_one() {
        // A fresh parser per request, so each gets the full limits.
        http::request_parser<http::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(state_.options.header_limit));
        parser.body_limit(state_.options.body_limit);
        beast::get_lowest_layer(stream_).expires_after(refusing_ ? Admission::kRefusingReadTimeout
                                                                 : state_.options.read_timeout);
        idle_ = buffer_.size() == 0;  // nothing of the next request arrived yet
        const auto [ec, bytes] = co_await http::async_read(stream_, buffer_, parser, kUseTuple);
        idle_ = false;
        if (ec) {
            if (const auto answer = answer_to_read_error(ec)) {
                co_await write_response(stream_, *answer, {11, false, false, write_timeout()},
                                        state_.handlers);
                co_await linger(stream_);
            }
            co_return false;
        }
        const auto started = std::chrono::steady_clock::now();
        const auto& message = parser.get();
        const bool keep_alive = message.keep_alive() && !state_.stopping.load() && !refusing_;
        const HttpResponse response = co_await answer(to_request(message, client_));
        const WriteOptions write{message.version(), keep_alive,
                                 message.method() == http::verb::head, write_timeout()};
        const auto write_ec = co_await write_response(stream_, response, write, state_.handlers);
        if (state_.options.observe) {
            state_.options.observe(response.route, response.status,
                                   std::chrono::steady_clock::now() - started);
        }
        // A chunked or until-close stream ends the connection; a known-length one need not.
        co_return !write_ec && keep_alive && (!response.next_chunk || response.content_length);
    }

    asio::awaitable<HttpResponse> answer(const HttpRequest& request) {
        const auto call = [&] { return answer_request(state_.router, state_.tokens, request); };
        HttpResponse response;
        if (state_.router.is_nonblocking(request)) {
            response = call();  // never waits: answered on this I/O thread
        } else {
            const auto ticket = state_.admission.admit_request(request.client_address, refusing_);
            if (!ticket.admitted()) co_return ticket.refusal();
            response = co_await offload(state_.handlers, call);
        }
        if (!response.deferred) co_return response;
        const auto deferred = response.deferred;
        HttpResponse settled = co_await await_deferred(state_, request, *deferred, wake_);
        settled.route = response.route;
        co_return settled;
    }

    std::chrono::seconds write_timeout() const { return state_.options.write_timeout; }

    ServerState& state_;
    const TlsContextPtr tls_;  // empty in plain HTTP; outlives stream_
    Stream stream_;
    beast::flat_buffer buffer_;
    const bool refusing_;  // beyond the connection cap: answers one request 429 and ends
    std::string client_;
    // Touched on the session's strand only.
    bool idle_ = false;
    std::function<void()> wake_;  // set while a deferred answer waits
    SessionHandle handle_;
    const SessionRegistry::Entry entry_;  // last: unregisters before anything above goes
};

}  // namespace

void start_session(ServerState& state, tcp::socket socket, bool refusing) {
    auto executor = socket.get_executor();
    if (TlsContextPtr tls = state.tls.current()) {
        auto& context = *tls;
        asio::co_spawn(executor,
                       Session<TlsStream>::serve(std::make_unique<Session<TlsStream>>(
                           state, std::move(tls), refusing, std::move(socket), context)),
                       asio::detached);
        return;
    }
    asio::co_spawn(executor,
                   Session<PlainStream>::serve(std::make_unique<Session<PlainStream>>(
                       state, nullptr, refusing, std::move(socket))),
                   asio::detached);
}

}  // namespace backupd::api::server
