#include "backupd/api/router.hpp"

#include "backupd/api/json.hpp"

namespace backupd::api {

std::string_view path_of(std::string_view target) {
    return target.substr(0, target.find('?'));
}

void Router::add(std::string method, std::string path, Handler handler) {
    routes_[std::move(path)][std::move(method)] = std::move(handler);
}

HttpResponse Router::route(const HttpRequest& request) const {
    const std::string_view path = path_of(request.target);
    const auto by_path = routes_.find(path);
    if (by_path == routes_.end()) {
        return error_response(404, "not_found", "No such route: " + std::string(path));
    }
    const auto& methods = by_path->second;
    if (const auto handler = methods.find(request.method); handler != methods.end()) {
        return handler->second(request);
    }
    // HEAD is answered like GET, without the body (the server drops it).
    if (request.method == "HEAD") {
        if (const auto get = methods.find("GET"); get != methods.end()) return get->second(request);
    }
    std::string allow;
    for (const auto& [method, handler] : methods) {
        allow += allow.empty() ? method : ", " + method;
    }
    HttpResponse response =
        error_response(405, "method_not_allowed",
                       "Method " + request.method + " is not allowed on " + std::string(path));
    response.headers.emplace_back("Allow", allow);
    return response;
}

std::vector<std::string> Router::routes() const {
    std::vector<std::string> out;
    for (const auto& [path, methods] : routes_) {
        for (const auto& [method, handler] : methods) out.push_back(method + " " + path);
    }
    return out;
}

}  // namespace backupd::api
