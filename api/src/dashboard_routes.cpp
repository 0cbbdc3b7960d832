#include "backupd/api/dashboard_routes.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>

#include "backupd/api/json.hpp"
#include "backupd/core/utf8.hpp"

namespace backupd::api {
namespace {

constexpr std::string_view kPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// Calls `each` with every comma-separated, trimmed, non-empty item of a header value.
template <typename Each>
void for_each_item(std::string_view value, Each each) {
    while (!value.empty()) {
        const auto comma = value.find(',');
        const auto item = trim(value.substr(0, comma));
        if (!item.empty()) each(item);
        if (comma == std::string_view::npos) break;
        value.remove_prefix(comma + 1);
    }
}

// The q-value of one Accept-Encoding item ("gzip;q=0.5" -> 0.5); 1 when it has none.
double q_value(std::string_view parameters) {
    while (!parameters.empty()) {
        const auto semicolon = parameters.find(';');
        const auto parameter = trim(parameters.substr(0, semicolon));
        if (parameter.size() > 2 && lower(parameter.substr(0, 2)) == "q=") {
            const std::string number(parameter.substr(2));
            return std::strtod(number.c_str(), nullptr);
        }
        if (semicolon == std::string_view::npos) break;
        parameters.remove_prefix(semicolon + 1);
    }
    return 1.0;
}

std::string gzip_etag(std::string_view etag) {
    // "<tag>" -> "<tag>-gz": the compressed bytes are another representation (RFC 9110 8.8.3).
    std::string out(etag);
    out.insert(out.size() - 1, "-gz");
    return out;
}

std::string_view opaque_tag(std::string_view tag) {
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    return tag;
}

}  // namespace

void add_dashboard_security_headers(HttpResponse& response) {
    response.headers.emplace_back("Content-Security-Policy", std::string(kPolicy));
    response.headers.emplace_back("X-Content-Type-Options", "nosniff");
    response.headers.emplace_back("Referrer-Policy", "no-referrer");
}

bool accepts_gzip(std::string_view accept_encoding) {
    double gzip = -1;
    double any = -1;
    for_each_item(accept_encoding, [&](std::string_view item) {
        const auto semicolon = item.find(';');
        const std::string coding = lower(trim(item.substr(0, semicolon)));
        const double q =
            semicolon == std::string_view::npos ? 1.0 : q_value(item.substr(semicolon + 1));
        if (coding == "gzip" || coding == "x-gzip") gzip = std::max(gzip, q);
        if (coding == "*") any = q;
    });
    return gzip >= 0 ? gzip > 0 : any > 0;
}

bool none_match_hits(std::string_view if_none_match, std::string_view etag) {
    bool hit = false;
    if (trim(if_none_match) == "*") return true;
    for_each_item(if_none_match, [&](std::string_view tag) {
        if (opaque_tag(tag) == opaque_tag(etag)) hit = true;
    });
    return hit;
}

HttpResponse answer_asset(const WebAsset& asset, const HttpRequest& request) {
    const bool compressed = !asset.gzip.empty() && accepts_gzip(request.accept_encoding);
    const std::string etag = compressed ? gzip_etag(asset.etag) : std::string(asset.etag);
    HttpResponse response;
    response.content_type = std::string(asset.content_type);
    response.headers.emplace_back("ETag", etag);
    response.headers.emplace_back(
        "Cache-Control", asset.immutable ? "public, max-age=31536000, immutable" : "no-cache");
    response.headers.emplace_back("Vary", "Accept-Encoding");
    add_dashboard_security_headers(response);
    if (!request.if_none_match.empty() &&
        (none_match_hits(request.if_none_match, asset.etag) ||
         (!asset.gzip.empty() && none_match_hits(request.if_none_match, gzip_etag(asset.etag))))) {
        response.status = 304;
        return response;
    }
    if (compressed) response.headers.emplace_back("Content-Encoding", "gzip");
    response.body = compressed ? asset.gzip : asset.identity;
    return response;
}

void add_dashboard_routes(Router& router, std::span<const WebAsset> assets) {
    auto by_path = std::make_shared<std::map<std::string, const WebAsset*, std::less<>>>();
    for (const WebAsset& asset : assets) by_path->emplace(asset.path, &asset);
    auto serve = [by_path](const HttpRequest& request) {
        const std::string_view path = path_of(request.target);
        const auto found = by_path->find(path);
        if (found != by_path->end()) return answer_asset(*found->second, request);
        HttpResponse response = error_response(core::ErrorCode::not_found,
                                               "No such asset: " + core::to_valid_utf8(path, 200));
        add_dashboard_security_headers(response);
        return response;
    };
    router.add_nonblocking("GET", "/", serve);
    router.add_nonblocking("GET", "/assets/{path...}", serve);
}

}  // namespace backupd::api
