#pragma once
// The web dashboard's files (docs/design.md section 7, "Dashboard"): GET / (index.html) and
// GET /assets/{path...} (content-hashed names), served from memory. They need no token (they
// hold no data; the API calls the page makes do, see route_scopes.hpp), are not audited, and
// are answered on the I/O threads (nothing here blocks).
// Thread-safety: pure functions over constant data.

#include <span>
#include <string_view>

#include "backupd/api/http_message.hpp"
#include "backupd/api/router.hpp"
#include "backupd/api/web_assets.hpp"

namespace backupd::api {

// The headers every dashboard answer carries (200, 304 and 404 alike): a strict
// Content-Security-Policy (no inline script or style, nothing from elsewhere),
// X-Content-Type-Options: nosniff and Referrer-Policy: no-referrer.
void add_dashboard_security_headers(HttpResponse& response);

// Whether an Accept-Encoding header value admits gzip: a "gzip" (or "x-gzip", or "*" when gzip
// is not named) coding with a q-value above 0. Case-insensitive; "" admits nothing.
bool accepts_gzip(std::string_view accept_encoding);

// Whether an If-None-Match header value matches `etag` (quoted, strong): "*", or a listed tag
// equal to it by the weak comparison of RFC 9110 section 8.8.3.2 (a W/ prefix is ignored).
bool none_match_hits(std::string_view if_none_match, std::string_view etag);

// The answer to a GET or HEAD of `asset`: 304 when If-None-Match names its identity or gzip
// ETag, else 200 with the gzip bytes (Content-Encoding: gzip, ETag "<tag>-gz") when the client
// accepts gzip and the asset has them, else the identity bytes. Always Vary: Accept-Encoding;
// Cache-Control: public, max-age=31536000, immutable for a hashed name, no-cache for the page.
HttpResponse answer_asset(const WebAsset& asset, const HttpRequest& request);

// GET / and GET /assets/{path...} over `assets` (embedded_web_assets() in the daemon). An
// unknown asset answers 404 not_found, with the security headers.
void add_dashboard_routes(Router& router, std::span<const WebAsset> assets);

}  // namespace backupd::api
