#pragma once
// Requests and responses as handlers see them: plain values, no Beast, so handlers and the
// router are tested without sockets.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "backupd/api/scopes.hpp"

namespace backupd::core {
class JobWatch;
}  // namespace backupd::core

namespace backupd::api {

struct HttpResponse;

// An answer held until jobs end (a client asked to wait for an outcome). The server waits
// holding no thread: it looks again when `watch` reports a change to one of `jobs` (made on
// this node), every `recheck` anyway (for jobs run by other nodes), at `deadline`, and when it
// stops.
struct DeferredAnswer {
    std::vector<std::int64_t> jobs;   // job ids
    core::JobWatch* watch = nullptr;  // nullptr: recheck only
    std::chrono::steady_clock::time_point deadline;
    std::chrono::milliseconds recheck{1000};
    // Called off the I/O threads, first at once, then after each wake; `last` is true at the
    // deadline or when the server stops, and it must answer then. nullopt means "not yet".
    std::function<std::optional<HttpResponse>(bool last)> answer;
};

struct HttpRequest {
    std::string method;  // "GET", "POST", ...
    std::string target;  // path and query as received
    std::string authorization;
    std::string content_type;
    std::string range;  // the Range header as received, "" when absent
    // Accept-Encoding and If-None-Match as received, "" when absent (the dashboard's files).
    std::string accept_encoding;
    std::string if_none_match;
    std::string body;
    std::string client_address;
    // What the request's API token grants: set by the auth check before routing (every scope
    // when the server has no tokens). Handlers whose need depends on the body check it.
    ScopeSet scopes = ScopeSet::all();
    // Filled by the router from a pattern such as /api/v1/backups/{id}: raw, still %-encoded.
    std::map<std::string, std::string, std::less<>> path_parameters;

    std::string_view parameter(std::string_view name) const {
        const auto found = path_parameters.find(name);
        return found == path_parameters.end() ? std::string_view{} : found->second;
    }
};

struct HttpResponse {
    int status = 200;
    std::string content_type = "application/json; charset=utf-8";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  // extra headers (Allow, Location)
    // A streamed body: when set, the server sends `body` first, then each chunk this returns
    // (called off the I/O threads, so it may block on the database) until it returns nullopt.
    // Memory stays flat however long the answer.
    std::function<std::optional<std::string>()> next_chunk;
    // With `next_chunk`: the exact length of the streamed body. The server then sends it with
    // Content-Length instead of chunked (and may keep the connection); a producer that yields
    // more or fewer bytes ends the connection, so the client sees a truncated answer.
    std::optional<std::int64_t> content_length;
    // When set, this response is only a placeholder: the server waits for the real answer.
    std::shared_ptr<const DeferredAnswer> deferred;
    // The route pattern that answered ("GET /api/v1/backups/{id}"), for metrics and logs.
    std::string route;
};

}  // namespace backupd::api
