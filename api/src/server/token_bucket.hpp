#pragma once
// Per-client request rate limits (internal to the HTTP server): a token bucket per client
// address, and the bounded table that holds them. Plain C++, no Asio: time is passed in (or
// read from an injected clock), so tests step it by hand.

#include <chrono>
#include <cstddef>
#include <functional>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace backupd::api::server {

using SteadyTime = std::chrono::steady_clock::time_point;

// Holds up to `burst` tokens and gains `rate` per second; each request takes one. A new bucket
// is full. Thread-safety: none; ClientRateLimiter guards its buckets.
class TokenBucket {
public:
    // `rate` above 0 (a fraction is a request every few seconds); `burst` at least 1.
    TokenBucket(double rate, std::size_t burst, SteadyTime now);

    // Takes a token if one is there at `now`.
    [[nodiscard]] bool try_take(SteadyTime now);
    // Whole seconds until a token is there, rounded up; 0 when one is there now.
    std::chrono::seconds retry_after(SteadyTime now) const;
    // Whether the bucket has refilled to `burst` at `now`: it then behaves as a new one, so it
    // may be forgotten.
    bool full(SteadyTime now) const;

private:
    double tokens_at(SteadyTime now) const;

    double rate_;
    double burst_;
    double tokens_;
    SteadyTime updated_;
};

// A token bucket per client address, in a table of at most `max_clients`. Memory stays bounded
// whatever the number of addresses: buckets that refilled are dropped (forgetting them changes
// nothing), and beyond the cap the least recently seen client is forgotten (it then starts
// again with a full bucket: under a flood of addresses, leniency rather than growth).
// Thread-safety: every member is safe from any thread (one short mutex hold per call).
class ClientRateLimiter {
public:
    using Clock = std::function<SteadyTime()>;
    static constexpr std::size_t kDefaultMaxClients = 10'000;

    ClientRateLimiter(double rate, std::size_t burst, std::size_t max_clients = kDefaultMaxClients,
                      Clock clock = std::chrono::steady_clock::now);

    // nullopt when `client` may make a request now (a token is taken), else the whole seconds
    // until it may (at least 1), for Retry-After.
    std::optional<std::chrono::seconds> admit(std::string_view client);

    // Clients in the table (for tests).
    std::size_t size() const;

private:
    struct Client {
        std::string address;
        TokenBucket bucket;
    };
    // Most recently seen first.
    using Order = std::list<Client>;

    void forget_refilled(SteadyTime now);

    const double rate_;
    const std::size_t burst_;
    const std::size_t max_clients_;
    const Clock clock_;
    mutable std::mutex mutex_;
    Order order_;
    std::unordered_map<std::string_view, Order::iterator> by_address_;  // views into order_
};

}  // namespace backupd::api::server
