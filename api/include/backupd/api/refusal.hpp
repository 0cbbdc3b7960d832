#pragma once
// Why the HTTP server refused work with 429 too_busy (or, past every bound, closed a
// connection unanswered): the label of backupd_http_refused_total.

#include <array>
#include <string_view>

namespace backupd::api {

enum class Refusal {
    connections,  // beyond ServerOptions::max_connections
    queue,        // more than ServerOptions::max_queued_requests waiting for a handler thread
    rate_limit,   // the client address beyond ServerOptions::rate_limit
};

inline constexpr std::array<Refusal, 3> kRefusals = {Refusal::connections, Refusal::queue,
                                                     Refusal::rate_limit};

constexpr std::string_view to_string(Refusal refusal) {
    switch (refusal) {
        case Refusal::connections: return "connections";
        case Refusal::queue: return "queue";
        case Refusal::rate_limit: return "rate_limit";
    }
    return "unknown";
}

}  // namespace backupd::api
