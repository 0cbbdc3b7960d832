#include "server/admission.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>

#include "backupd/api/json.hpp"
#include "backupd/core/error.hpp"

namespace backupd::api::server {
namespace {

std::string_view message_for(Refusal reason) {
    switch (reason) {
        case Refusal::connections:
            return "Too many connections; retry after the time in Retry-After";
        case Refusal::queue:
            return "Too many requests waiting for the server; retry after the time in Retry-After";
        case Refusal::rate_limit:
            return "Request rate limit reached for this client address; retry after the time in "
                   "Retry-After";
    }
    return "The server is busy; retry after the time in Retry-After";
}

std::unique_ptr<ClientRateLimiter> make_rate_limiter(const ServerOptions& options,
                                                     ClientRateLimiter::Clock clock) {
    if (options.rate_limit == 0) return nullptr;
    const std::size_t burst =
        options.rate_limit_burst == 0 ? options.rate_limit : options.rate_limit_burst;
    return std::make_unique<ClientRateLimiter>(static_cast<double>(options.rate_limit), burst,
                                               ClientRateLimiter::kDefaultMaxClients,
                                               std::move(clock));
}

}  // namespace

HttpResponse too_busy(Refusal reason, std::chrono::seconds retry_after) {
    HttpResponse response = error_response(core::ErrorCode::too_busy, message_for(reason));
    response.headers.emplace_back("Retry-After",
                                  std::to_string(std::max<std::int64_t>(1, retry_after.count())));
    // No route answered: counted under this name in the per-route metrics.
    response.route = "(refused)";
    return response;
}

Admission::Ticket::Ticket(Ticket&& other) noexcept
    : in_flight_(std::exchange(other.in_flight_, nullptr)), refusal_(std::move(other.refusal_)) {}

Admission::Ticket::~Ticket() {
    if (in_flight_ != nullptr) --*in_flight_;
}

Admission::Admission(const ServerOptions& options, ClientRateLimiter::Clock clock)
    : options_(options),
      max_in_flight_(options.max_queued_requests == 0
                         ? 0
                         : std::max<std::size_t>(1, options.handler_threads) +
                               options.max_queued_requests),
      rate_limiter_(make_rate_limiter(options, std::move(clock))) {}

Admission::Connection Admission::admit_connection(SessionRegistry& sessions) {
    if (sessions.reserve(options_.max_connections)) return Connection::serve;
    report(Refusal::connections);
    if (sessions.reserve(options_.max_connections + kRefusingConnections)) {
        return Connection::refuse;
    }
    return Connection::close;
}

Admission::Ticket Admission::admit_request(std::string_view client, bool refusing_connection) {
    // Counted once, when the connection was admitted.
    if (refusing_connection) return Ticket(too_busy(Refusal::connections, kBusyRetryAfter));
    if (rate_limiter_) {
        if (const auto wait = rate_limiter_->admit(client)) {
            report(Refusal::rate_limit);
            return Ticket(too_busy(Refusal::rate_limit, *wait));
        }
    }
    const std::size_t before = in_flight_.fetch_add(1);
    Ticket ticket(&in_flight_);  // from here on the count is given back however this ends
    if (max_in_flight_ != 0 && before >= max_in_flight_) {
        report(Refusal::queue);
        return Ticket(too_busy(Refusal::queue, kBusyRetryAfter));
    }
    return ticket;
}

void Admission::report(Refusal reason) const {
    if (options_.refused) options_.refused(reason);
}

}  // namespace backupd::api::server
