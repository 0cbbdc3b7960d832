#pragma once
// Maps (method, path) to a handler. Unknown path: 404; known path, other method: 405 with Allow.
// A path is exact ("/api/v1/stats") or has one parameter: "{id}" matches one non-empty segment
// and may be followed by fixed segments ("/api/v1/snapshots/{id}/files"); "{folder...}" ends the
// path and matches the non-empty rest, slashes included. Exact paths win.
// Thread-safety: add routes before serving; route() is then safe from any thread.

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "backupd/api/http_message.hpp"

namespace backupd::api {

using Handler = std::function<HttpResponse(const HttpRequest&)>;

class Router {
public:
    void add(std::string method, std::string path, Handler handler);
    // For a route whose handler never blocks (GET /healthz, the dashboard's files): the server
    // runs it on the I/O thread, so it answers even when every handler thread waits on a slow
    // database. The path may be a pattern.
    void add_nonblocking(std::string method, std::string path, Handler handler);
    bool is_nonblocking(const HttpRequest& request) const;

    HttpResponse route(const HttpRequest& request) const;

    // The route that would answer `request`, as routes() names it ("GET /api/v1/jobs/{id}"; a
    // HEAD answered by GET is named GET), or nullopt when route() would answer 404 or 405.
    std::optional<std::string> route_of(const HttpRequest& request) const;

    // Every "METHOD PATH" the router knows, sorted (the OpenAPI test compares against this).
    std::vector<std::string> routes() const;

private:
    using Methods = std::map<std::string, Handler>;
    struct Pattern {
        std::string prefix;  // up to the '{'
        std::string name;
        std::string suffix;  // after the '}': "" or "/more/segments"
        bool rest = false;   // "{name...}"
        std::string text;    // as added
        Methods methods;
    };
    // The routes for `path`: their methods, the pattern as added, and the parameter's value.
    struct Match {
        const Methods* methods = nullptr;
        const std::string* pattern = nullptr;
        const std::string* parameter = nullptr;  // its name, when the pattern has one
        std::string_view value;
    };
    std::optional<Match> match(std::string_view path) const;
    HttpResponse dispatch(const Methods& methods, const std::string& pattern,
                          const HttpRequest& request) const;

    // path -> method -> handler
    std::map<std::string, Methods, std::less<>> routes_;
    std::vector<Pattern> patterns_;
    std::set<std::string, std::less<>> nonblocking_;  // "METHOD path"
};

// The path part of a request target (before '?').
std::string_view path_of(std::string_view target);

}  // namespace backupd::api
