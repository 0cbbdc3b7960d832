#include "backupd/api/http_server.hpp"

#include <atomic>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include "backupd/api/error_status.hpp"
#include "backupd/api/json.hpp"
#include "backupd/core/error.hpp"

namespace backupd::api {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

HttpRequest to_request(const http::request<http::string_body>& message, std::string client) {
    HttpRequest request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    request.authorization = std::string(message[http::field::authorization]);
    request.content_type = std::string(message[http::field::content_type]);
    request.body = message.body();
    request.client_address = std::move(client);
    return request;
}

http::response<http::string_body> to_message(const HttpResponse& response, unsigned version,
                                             bool keep_alive, bool head) {
    http::response<http::string_body> message{static_cast<http::status>(response.status), version};
    message.set(http::field::server, "backupd");
    message.set(http::field::content_type, response.content_type);
    for (const auto& [name, value] : response.headers) message.set(name, value);
    message.keep_alive(keep_alive);
    message.body() = response.body;
    message.prepare_payload();
    if (head) message.body().clear();  // keeps the Content-Length of the GET answer
    return message;
}

// The answer to a request that could not be read, or nullopt when the connection just ends
// (closed by the peer, timed out, a socket error: nobody to answer).
std::optional<HttpResponse> answer_to_read_error(const beast::error_code& ec) {
    if (ec == http::error::header_limit) {
        return error_response(core::ErrorCode::header_too_large);
    }
    if (ec == http::error::body_limit) {
        return error_response(core::ErrorCode::body_too_large);
    }
    static const auto& parse_errors = http::make_error_code(http::error::bad_method).category();
    if (ec.category() != parse_errors || ec == http::error::end_of_stream ||
        ec == http::error::partial_message) {
        return std::nullopt;
    }
    return error_response(core::ErrorCode::bad_request,
                          core::message_for(core::ErrorCode::bad_request, ec.message()));
}

// What stop() may reach of a live session: its executor, its stream, and whether it is
// waiting for a next request (idle) rather than handling one.
struct SessionHandle {
    asio::any_io_executor executor;
    beast::tcp_stream* stream = nullptr;
    bool idle = false;  // touched on the session's strand only
};

// Registers a session for as long as it lives, however it ends, and counts it.
class SessionRegistry {
public:
    class Entry {
    public:
        Entry(SessionRegistry& registry, SessionHandle& handle)
            : registry_(registry), handle_(handle) {
            std::lock_guard lock(registry_.mutex_);
            registry_.sessions_.insert(&handle_);
        }
        ~Entry() {
            std::lock_guard lock(registry_.mutex_);
            registry_.sessions_.erase(&handle_);
            --registry_.count_;
        }
        Entry(const Entry&) = delete;
        Entry& operator=(const Entry&) = delete;

    private:
        SessionRegistry& registry_;
        SessionHandle& handle_;
    };

    std::atomic<std::size_t>& count() { return count_; }

    // Ends every session that is waiting for its next request. Each check runs on the
    // session's own strand, where the session also unregisters, so none is reached after it
    // ended.
    void close_idle() {
        std::lock_guard lock(mutex_);
        for (SessionHandle* handle : sessions_) {
            asio::post(handle->executor, [this, handle] {
                std::lock_guard inner(mutex_);
                if (sessions_.contains(handle) && handle->idle) handle->stream->cancel();
            });
        }
    }

private:
    std::mutex mutex_;
    std::set<SessionHandle*> sessions_;
    std::atomic<std::size_t> count_{0};
};

}  // namespace

struct HttpServer::Impl {
    ServerOptions options;
    Router router;
    TokenSet tokens;
    // Declared before `io`: sessions destroyed with the io_context still count down.
    SessionRegistry sessions;
    std::atomic<std::size_t>& connections = sessions.count();
    std::atomic<bool> stopping{false};
    asio::io_context io{static_cast<int>(options.io_threads)};
    // Where handlers and streamed bodies run: never on the I/O threads.
    asio::thread_pool handlers{std::max<std::size_t>(1, options.handler_threads)};
    // On a strand: the accept loop and stop()'s close never run at once.
    tcp::acceptor acceptor{asio::make_strand(io)};
    std::vector<std::thread> threads;

    Impl(ServerOptions o, Router r, TokenSet t)
        : options(std::move(o)), router(std::move(r)), tokens(std::move(t)) {}

    HttpResponse dispatch(const HttpRequest& request) const {
        if (auto rejection = reject_unauthorized(tokens, request)) return *rejection;
        return guarded(request, [&] { return router.route(request); });
    }

    // Runs a handler step, turning what it throws into an answer: a core::Error by its kind
    // (the database unreachable is 503), anything else 500. The detail goes to the log only.
    template <typename Step>
    static HttpResponse guarded(const HttpRequest& request, Step step) {
        try {
            return step();
        } catch (const core::Error& e) {
            spdlog::log(e.code() == core::ErrorCode::database_unavailable ? spdlog::level::warn
                                                                          : spdlog::level::err,
                        "event=request_failed method={} target=\"{}\" kind={} error=\"{}\"",
                        request.method, request.target.substr(0, 200), core::to_string(e.code()),
                        e.detail());
            return error_for(e);
        } catch (const std::exception& e) {
            spdlog::error("event=handler_failed method={} target=\"{}\" error=\"{}\"",
                          request.method, request.target.substr(0, 200), e.what());
            return error_response(core::ErrorCode::internal_error);
        }
    }

    // Follows a deferred answer to its end; each step runs off the I/O threads.
    asio::awaitable<HttpResponse> settle(const HttpRequest& request, HttpResponse response) {
        asio::steady_timer timer(co_await asio::this_coro::executor);
        while (response.poll) {
            const auto poll = std::move(response.poll);
            response.poll = nullptr;
            const auto now = std::chrono::steady_clock::now();
            if (now < response.poll_deadline) {
                timer.expires_after(std::min<std::chrono::steady_clock::duration>(
                    response.poll_interval, response.poll_deadline - now));
                co_await timer.async_wait(kUseTuple);
            }
            const bool last =
                std::chrono::steady_clock::now() >= response.poll_deadline || stopping.load();
            auto next = co_await offload([&]() -> std::optional<HttpResponse> {
                return guarded(request, [&] {
                    auto answer = poll(last);
                    if (answer) return std::move(*answer);
                    HttpResponse again;
                    again.poll = poll;
                    return again;
                });
            });
            if (next && next->poll) {
                response.poll = std::move(next->poll);  // not yet: wait again
            } else if (next) {
                next->route = response.route;
                response = std::move(*next);
            }
        }
        co_return response;
    }

    // Runs `work` on the handler pool and resumes on the caller's strand with its result.
    template <typename Work>
    asio::awaitable<std::invoke_result_t<Work>> offload(Work work) {
        co_return co_await asio::co_spawn(
            handlers,
            [&work]() -> asio::awaitable<std::invoke_result_t<Work>> { co_return work(); },
            asio::use_awaitable);
    }

    // Sends one response within the write deadline; returns the write's error.
    asio::awaitable<beast::error_code> write(beast::tcp_stream& stream,
                                             const HttpResponse& response, unsigned version,
                                             bool keep_alive, bool head) {
        if (response.next_chunk) co_return co_await write_streamed(stream, response, version, head);
        auto message = to_message(response, version, keep_alive, head);
        stream.expires_after(options.write_timeout);
        const auto [ec, bytes] = co_await http::async_write(stream, message, kUseTuple);
        co_return ec;
    }

    // A streamed body: chunked on HTTP/1.1 (then the connection closes), raw until close on
    // HTTP/1.0. Each chunk is produced on the handler pool and written before the next is
    // asked for, so a slow reader holds back the producer and memory stays flat. A producer
    // that fails mid-way ends the connection without the last chunk: the client sees a
    // truncated answer, never a complete-looking wrong one.
    asio::awaitable<beast::error_code> write_streamed(beast::tcp_stream& stream,
                                                      const HttpResponse& response,
                                                      unsigned version, bool head) {
        const bool chunked = version >= 11;
        http::response<http::empty_body> header{static_cast<http::status>(response.status),
                                                version};
        header.set(http::field::server, "backupd");
        header.set(http::field::content_type, response.content_type);
        for (const auto& [name, value] : response.headers) header.set(name, value);
        header.keep_alive(false);
        if (chunked) header.chunked(true);
        http::response_serializer<http::empty_body> serializer{header};
        stream.expires_after(options.write_timeout);
        auto [ec, bytes] = co_await http::async_write_header(stream, serializer, kUseTuple);
        if (ec || head) co_return ec;
        std::optional<std::string> chunk = response.body;
        while (chunk) {
            if (!chunk->empty()) {
                stream.expires_after(options.write_timeout);
                // Two statements, not one conditional: g++ 12 miscompiles co_await inside ?:
                // (both arms ran).
                if (chunked) {
                    std::tie(ec, bytes) = co_await asio::async_write(
                        stream, http::make_chunk(asio::buffer(*chunk)), kUseTuple);
                } else {
                    std::tie(ec, bytes) =
                        co_await asio::async_write(stream, asio::buffer(*chunk), kUseTuple);
                }
                if (ec) co_return ec;
            }
            try {
                chunk = co_await offload(response.next_chunk);
            } catch (const std::exception& e) {
                spdlog::error("event=stream_failed route=\"{}\" error=\"{}\"", response.route,
                              e.what());
                co_return asio::error::connection_aborted;
            }
        }
        if (!chunked) co_return ec;
        stream.expires_after(options.write_timeout);
        std::tie(ec, bytes) =
            co_await asio::async_write(stream, http::make_chunk_last(), kUseTuple);
        co_return ec;
    }

    // After an answer that ends the connection early (413, 431, 400), reads and drops what
    // the client still sends for a moment, so it gets to read the answer instead of a reset.
    asio::awaitable<void> linger(beast::tcp_stream& stream) {
        beast::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
        std::array<char, 16 * 1024> scratch;
        std::size_t drained = 0;
        stream.expires_after(std::chrono::milliseconds{500});
        while (drained < 1024 * 1024) {
            const auto [ec, bytes] =
                co_await stream.async_read_some(asio::buffer(scratch), kUseTuple);
            if (ec) break;
            drained += bytes;
        }
    }

    // Serves one connection; the caller has counted it in `connections`.
    asio::awaitable<void> session(tcp::socket socket) {
        beast::tcp_stream stream(std::move(socket));
        SessionHandle handle{stream.get_executor(), &stream};
        const SessionRegistry::Entry entry(sessions, handle);
        beast::error_code ignored;
        const auto remote = stream.socket().remote_endpoint(ignored);
        const std::string client = remote.address().to_string();
        beast::flat_buffer buffer;
        while (!stopping.load()) {
            // A fresh parser per request, so each gets the full limits.
            http::request_parser<http::string_body> parser;
            parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
            parser.body_limit(options.body_limit);
            stream.expires_after(options.read_timeout);
            handle.idle = buffer.size() == 0;  // nothing of the next request arrived yet
            const auto [ec, bytes] = co_await http::async_read(stream, buffer, parser, kUseTuple);
            handle.idle = false;
            if (ec) {
                if (const auto answer = answer_to_read_error(ec)) {
                    co_await write(stream, *answer, 11, false, false);
                    co_await linger(stream);
                }
                break;
            }
            const auto started = std::chrono::steady_clock::now();
            const auto& message = parser.get();
            const bool keep_alive = message.keep_alive() && !stopping.load();
            const HttpRequest request = to_request(message, client);
            HttpResponse response;
            if (router.is_nonblocking(request)) {
                response = dispatch(request);  // never waits: answered on this I/O thread
            } else {
                response = co_await offload([&] { return dispatch(request); });
            }
            if (response.poll) response = co_await settle(request, std::move(response));
            const beast::error_code write_ec =
                co_await write(stream, response, message.version(), keep_alive,
                               message.method() == http::verb::head);
            if (options.observe) {
                options.observe(response.route, response.status,
                                std::chrono::steady_clock::now() - started);
            }
            if (write_ec || !keep_alive || response.next_chunk) break;
        }
        stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    }

    asio::awaitable<void> accept_loop() {
        for (;;) {
            auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(io), kUseTuple);
            if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
            if (ec) {
                // Out of descriptors and the like: the pending connection stays queued, so an
                // immediate retry would spin. Pause, then keep accepting.
                spdlog::warn("event=accept_failed error=\"{}\"", ec.message());
                asio::steady_timer pause(acceptor.get_executor(), std::chrono::milliseconds{100});
                co_await pause.async_wait(kUseTuple);
                continue;
            }
            if (connections.load() >= options.max_connections) {
                spdlog::warn("event=connection_refused reason=max_connections limit={}",
                             options.max_connections);
                continue;  // the socket closes as it goes out of scope
            }
            ++connections;
            auto executor = socket.get_executor();
            asio::co_spawn(executor, session(std::move(socket)), asio::detached);
        }
    }
};

HttpServer::HttpServer(ServerOptions options, Router router, TokenSet tokens)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(router), std::move(tokens))) {
    const auto& o = impl_->options;
    const std::string where = o.host + ":" + std::to_string(o.port);
    beast::error_code ec;
    const auto address = asio::ip::make_address(o.host, ec);
    if (ec) throw std::runtime_error("cannot listen on " + where + ": not an IP address");
    const tcp::endpoint endpoint{address, o.port};
    auto& acceptor = impl_->acceptor;
    if (!acceptor.open(endpoint.protocol(), ec) &&
        !acceptor.set_option(asio::socket_base::reuse_address(true), ec) &&
        !acceptor.bind(endpoint, ec) &&
        !acceptor.listen(asio::socket_base::max_listen_connections, ec)) {
        return;
    }
    throw std::runtime_error("cannot listen on " + where + ": " + ec.message());
}

HttpServer::~HttpServer() {
    if (!impl_->threads.empty()) stop(std::chrono::milliseconds{0});
}

std::string HttpServer::local_address() const {
    const auto endpoint = impl_->acceptor.local_endpoint();
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
    return impl_->acceptor.local_endpoint().port();
}

void HttpServer::start() {
    asio::co_spawn(impl_->acceptor.get_executor(), impl_->accept_loop(), asio::detached);
    for (std::size_t i = 0; i < std::max<std::size_t>(1, impl_->options.io_threads); ++i) {
        impl_->threads.emplace_back([this] { impl_->io.run(); });
    }
}

void HttpServer::stop(std::chrono::milliseconds grace) {
    impl_->stopping = true;
    asio::post(impl_->acceptor.get_executor(), [this] {
        beast::error_code ignored;
        impl_->acceptor.close(ignored);
    });
    impl_->sessions.close_idle();
    const auto deadline = std::chrono::steady_clock::now() + grace;
    while (impl_->connections.load() > 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds{10});
    }
    impl_->io.stop();
    for (auto& thread : impl_->threads) thread.join();
    impl_->threads.clear();
    impl_->handlers.join();
}

}  // namespace backupd::api
