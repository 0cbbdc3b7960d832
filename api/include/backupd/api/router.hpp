#pragma once
// Maps (method, path) to a handler. Unknown path: 404; known path, other method: 405 with Allow.
// Thread-safety: add routes before serving; route() is then safe from any thread.

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "backupd/api/http_message.hpp"

namespace backupd::api {

using Handler = std::function<HttpResponse(const HttpRequest&)>;

class Router {
public:
    void add(std::string method, std::string path, Handler handler);

    HttpResponse route(const HttpRequest& request) const;

    // Every "METHOD PATH" the router knows, sorted (the OpenAPI test compares against this).
    std::vector<std::string> routes() const;

private:
    // path -> method -> handler
    std::map<std::string, std::map<std::string, Handler>, std::less<>> routes_;
};

// The path part of a request target (before '?').
std::string_view path_of(std::string_view target);

}  // namespace backupd::api
