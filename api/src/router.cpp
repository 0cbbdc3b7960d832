#include "backupd/api/router.hpp"

#include <algorithm>
#include <stdexcept>

#include "backupd/api/json.hpp"
#include "backupd/core/utf8.hpp"

namespace backupd::api {

std::string_view path_of(std::string_view target) {
    return target.substr(0, target.find('?'));
}

void Router::add(std::string method, std::string path, Handler handler) {
    const std::size_t brace = path.find('{');
    if (brace == std::string::npos) {
        routes_[std::move(path)][std::move(method)] = std::move(handler);
        return;
    }
    const std::size_t close = path.find('}', brace);
    if (close == std::string::npos || path.find('{', brace + 1) != std::string::npos)
        throw std::invalid_argument("a route may have one parameter only: " + path);
    std::string name = path.substr(brace + 1, close - brace - 1);
    std::string suffix = path.substr(close + 1);
    const bool rest = name.size() > 3 && name.ends_with("...");
    if (rest) name.resize(name.size() - 3);
    if (!suffix.empty() && (rest || suffix.front() != '/'))
        throw std::invalid_argument("only a segment parameter may be followed by /...: " + path);
    auto found = std::find_if(patterns_.begin(), patterns_.end(),
                              [&](const Pattern& p) { return p.text == path; });
    if (found == patterns_.end()) {
        patterns_.push_back({path.substr(0, brace), name, std::move(suffix), rest, path, {}});
        found = std::prev(patterns_.end());
    }
    found->methods[std::move(method)] = std::move(handler);
}

void Router::add_nonblocking(std::string method, std::string path, Handler handler) {
    nonblocking_.insert(method + " " + path);
    add(std::move(method), std::move(path), std::move(handler));
}

bool Router::is_nonblocking(const HttpRequest& request) const {
    // route_of names a HEAD answered by GET as GET, and a pattern as added.
    const auto route = route_of(request);
    return route && nonblocking_.contains(*route);
}

std::optional<Router::Match> Router::match(std::string_view path) const {
    if (const auto exact = routes_.find(path); exact != routes_.end())
        return Match{&exact->second, &exact->first, nullptr, {}};
    for (const Pattern& pattern : patterns_) {
        if (!path.starts_with(pattern.prefix)) continue;
        std::string_view value = path.substr(pattern.prefix.size());
        if (!value.ends_with(pattern.suffix)) continue;
        value.remove_suffix(pattern.suffix.size());
        if (value.empty() || (!pattern.rest && value.find('/') != std::string_view::npos)) continue;
        return Match{&pattern.methods, &pattern.text, &pattern.name, value};
    }
    return std::nullopt;
}

HttpResponse Router::route(const HttpRequest& request) const {
    const std::string_view path = path_of(request.target);
    const auto found = match(path);
    if (!found) {
        HttpResponse response = error_response(core::ErrorCode::not_found,
                                               "No such route: " + core::to_valid_utf8(path, 200));
        response.route = "unmatched";
        return response;
    }
    if (!found->parameter) return dispatch(*found->methods, *found->pattern, request);
    HttpRequest with_parameter = request;
    with_parameter.path_parameters.emplace(*found->parameter, found->value);
    return dispatch(*found->methods, *found->pattern, with_parameter);
}

std::optional<std::string> Router::route_of(const HttpRequest& request) const {
    const auto found = match(path_of(request.target));
    if (!found) return std::nullopt;
    std::string method = request.method;
    // HEAD is answered like GET (dispatch).
    if (method == "HEAD" && !found->methods->contains(method)) method = "GET";
    if (!found->methods->contains(method)) return std::nullopt;
    return method + " " + *found->pattern;
}

HttpResponse Router::dispatch(const Methods& methods, const std::string& pattern,
                              const HttpRequest& request) const {
    auto handler = methods.find(request.method);
    // HEAD is answered like GET, without the body (the server drops it).
    if (handler == methods.end() && request.method == "HEAD") handler = methods.find("GET");
    if (handler != methods.end()) {
        HttpResponse response = handler->second(request);
        response.route = handler->first + " " + pattern;
        return response;
    }
    std::string allow;
    for (const auto& [method, unused] : methods) allow += allow.empty() ? method : ", " + method;
    HttpResponse response =
        error_response(core::ErrorCode::method_not_allowed,
                       "Method " + core::to_valid_utf8(request.method, 32) + " is not allowed on " +
                           core::to_valid_utf8(path_of(request.target), 200));
    response.headers.emplace_back("Allow", allow);
    response.route = request.method + " " + pattern;
    return response;
}

std::vector<std::string> Router::routes() const {
    std::vector<std::string> out;
    for (const auto& [path, methods] : routes_) {
        for (const auto& [method, handler] : methods)
            out.emplace_back(method).append(" ").append(path);
    }
    for (const Pattern& pattern : patterns_) {
        for (const auto& [method, handler] : pattern.methods)
            out.push_back(method + " " + pattern.text);
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace backupd::api
