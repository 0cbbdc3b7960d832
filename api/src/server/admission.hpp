#pragma once
// Admission control (internal to the HTTP server): which connections and requests are served,
// and the 429 too_busy with Retry-After for the rest. No Beast: the listener asks about each
// connection and the session about each request that needs a handler thread, so refusing works
// over whatever stream a session has. The three limits are ServerOptions' max_connections,
// max_queued_requests and rate_limit; each refusal is reported to ServerOptions::refused.
// Thread-safety: every member is safe from any thread.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>

#include "backupd/api/http_message.hpp"
#include "backupd/api/http_server.hpp"
#include "server/session_registry.hpp"
#include "server/token_bucket.hpp"

namespace backupd::api::server {

// {"error":{"code":"too_busy",...}} with status 429 and Retry-After: `retry_after` seconds.
HttpResponse too_busy(Refusal reason, std::chrono::seconds retry_after);

class Admission {
public:
    // Refusing a connection costs a descriptor and a buffer for as long as its request takes to
    // arrive, so it is bounded too: at most this many refusing connections beyond
    // max_connections, each given this long to send its request.
    static constexpr std::size_t kRefusingConnections = 16;
    static constexpr std::chrono::seconds kRefusingReadTimeout{2};
    // Retry-After of a refusal at the connection cap or the queue bound: a guess, since nothing
    // tells when a slot frees; short, since most requests take milliseconds.
    static constexpr std::chrono::seconds kBusyRetryAfter{1};

    // A request let through to a handler thread, or the answer that refuses it. While it lives
    // an admitted request counts against max_queued_requests: keep it until the handler ends.
    class Ticket {
    public:
        Ticket(Ticket&& other) noexcept;
        Ticket& operator=(Ticket&&) = delete;
        ~Ticket();

        bool admitted() const { return !refusal_; }
        // The 429 when not admitted.
        const HttpResponse& refusal() const { return *refusal_; }

    private:
        friend class Admission;
        explicit Ticket(std::atomic<std::size_t>* in_flight) : in_flight_(in_flight) {}
        explicit Ticket(HttpResponse refusal) : refusal_(std::move(refusal)) {}

        std::atomic<std::size_t>* in_flight_ = nullptr;  // released when destroyed
        std::optional<HttpResponse> refusal_;
    };

    enum class Connection {
        serve,   // counted in the sessions; serve it
        refuse,  // counted in the sessions; read one request, answer it too_busy, close
        close,   // not counted: close it unanswered
    };

    explicit Admission(const ServerOptions& options,
                       ClientRateLimiter::Clock clock = std::chrono::steady_clock::now);

    // For a newly accepted connection: counts it in `sessions` (reserve()) unless it is closed.
    Connection admit_connection(SessionRegistry& sessions);

    // For a request from `client` that needs a handler thread; `refusing_connection` when its
    // connection was admitted as Connection::refuse. /healthz and the other non-blocking routes
    // never come here: they are never refused.
    Ticket admit_request(std::string_view client, bool refusing_connection);

    // Requests holding an admitted ticket: on or waiting for a handler thread.
    std::size_t in_flight() const { return in_flight_.load(); }

private:
    void report(Refusal reason) const;

    const ServerOptions& options_;
    // handler_threads + max_queued_requests; 0: no bound.
    const std::size_t max_in_flight_;
    std::atomic<std::size_t> in_flight_{0};
    const std::unique_ptr<ClientRateLimiter> rate_limiter_;  // null: no rate limit
};

}  // namespace backupd::api::server
