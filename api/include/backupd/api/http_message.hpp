#pragma once
// Requests and responses as handlers see them: plain values, no Beast, so handlers and the
// router are tested without sockets.

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace backupd::api {

struct HttpRequest {
    std::string method;  // "GET", "POST", ...
    std::string target;  // path and query as received
    std::string authorization;
    std::string content_type;
    std::string body;
    std::string client_address;
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
    // A deferred answer (a client asked to wait for an outcome): while set, the server waits
    // on a timer (holding no thread) about every `poll_interval` and calls it again, off the
    // I/O threads, with `last` true once `poll_deadline` has passed; it must answer then. An
    // empty result means "not yet".
    std::function<std::optional<HttpResponse>(bool last)> poll;
    std::chrono::steady_clock::time_point poll_deadline;
    std::chrono::milliseconds poll_interval{200};
    // The route pattern that answered ("GET /api/v1/backups/{id}"), for metrics and logs.
    std::string route;
};

}  // namespace backupd::api
