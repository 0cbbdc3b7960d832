#include "server/token_bucket.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace backupd::api::server {

TokenBucket::TokenBucket(double rate, std::size_t burst, SteadyTime now)
    : rate_(rate > 0 ? rate : 1.0),
      burst_(static_cast<double>(std::max<std::size_t>(1, burst))),
      tokens_(burst_),
      updated_(now) {}

double TokenBucket::tokens_at(SteadyTime now) const {
    // A clock that went backwards (it should not: steady) adds nothing.
    const std::chrono::duration<double> elapsed = std::max(now, updated_) - updated_;
    return std::min(burst_, tokens_ + elapsed.count() * rate_);
}

bool TokenBucket::try_take(SteadyTime now) {
    tokens_ = tokens_at(now);
    updated_ = std::max(now, updated_);
    if (tokens_ < 1.0) return false;
    tokens_ -= 1.0;
    return true;
}

std::chrono::seconds TokenBucket::retry_after(SteadyTime now) const {
    const double missing = 1.0 - tokens_at(now);
    if (missing <= 0.0) return std::chrono::seconds{0};
    return std::chrono::seconds{static_cast<std::int64_t>(std::ceil(missing / rate_))};
}

bool TokenBucket::full(SteadyTime now) const {
    return tokens_at(now) >= burst_;
}

ClientRateLimiter::ClientRateLimiter(double rate, std::size_t burst, std::size_t max_clients,
                                     Clock clock)
    : rate_(rate),
      burst_(burst),
      max_clients_(std::max<std::size_t>(1, max_clients)),
      clock_(std::move(clock)) {}

std::optional<std::chrono::seconds> ClientRateLimiter::admit(std::string_view client) {
    const SteadyTime now = clock_();
    const std::lock_guard lock(mutex_);
    auto found = by_address_.find(client);
    if (found == by_address_.end()) {
        forget_refilled(now);
        if (order_.size() >= max_clients_) {
            by_address_.erase(order_.back().address);
            order_.pop_back();
        }
        order_.push_front(Client{std::string(client), TokenBucket(rate_, burst_, now)});
        found = by_address_.emplace(order_.front().address, order_.begin()).first;
    } else {
        order_.splice(order_.begin(), order_, found->second);  // iterators stay valid
    }
    TokenBucket& bucket = found->second->bucket;
    if (bucket.try_take(now)) return std::nullopt;
    return std::max(std::chrono::seconds{1}, bucket.retry_after(now));
}

std::size_t ClientRateLimiter::size() const {
    const std::lock_guard lock(mutex_);
    return order_.size();
}

// From the least recently seen end, up to the first bucket still short of full: the sweep need
// not be complete, since the cap bounds the table anyway.
void ClientRateLimiter::forget_refilled(SteadyTime now) {
    while (!order_.empty() && order_.back().bucket.full(now)) {
        by_address_.erase(order_.back().address);
        order_.pop_back();
    }
}

}  // namespace backupd::api::server
