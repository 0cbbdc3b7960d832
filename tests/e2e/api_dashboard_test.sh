#!/usr/bin/env bash
# End to end, the web dashboard's files (docs/design.md section 7, "Dashboard") from the real
# daemon with API tokens configured: GET / and the asset the page names need no token, carry the
# strict CSP and the cache headers, gzip decodes to the same bytes, If-None-Match gives 304, HEAD
# works, an unknown asset is a JSON 404, the API itself still needs the token, and serving the
# dashboard writes no audit record. Its own daemon and database.
#   usage: api_dashboard_test.sh PATH/TO/backupd
set -uo pipefail
# shellcheck source=tests/e2e/lib/e2e.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/e2e.sh"
e2e_init dashboard "${1:-}"
printf 'dash-token\n' >"$work/tokens"
start_daemon --api-token-file "$work/tokens"
auth=(-H 'Authorization: Bearer dash-token')
csp="default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

expect_security_headers() { # expect_security_headers WHAT
    expect_eq "$1 carries the strict CSP" "$(header Content-Security-Policy)" "$csp"
    expect_eq "$1 carries nosniff" "$(header X-Content-Type-Options)" nosniff
    expect_eq "$1 carries no-referrer" "$(header Referrer-Policy)" no-referrer
}
# curl leaves the body file as it was when an answer has no body: empty it first.
req_fresh() { : >"$body"; req "$@"; }
audit_count() { req GET '/api/v1/logs?limit=1000' "${auth[@]}"; js '.logs | length'; }

audit_before=$(audit_count)
audit_again=$(audit_count)

# --- the page -------------------------------------------------------------------------------
req GET /
expect_eq "GET / answers 200 HTML without a token" "$code $(header Content-Type)" \
    "200 text/html; charset=utf-8"
expect_contains "GET / is the dashboard's index.html" "$(cat "$body")" "<html"
expect_security_headers "GET /"
expect_eq "GET / must be revalidated" "$(header Cache-Control)" no-cache
page_etag=$(header ETag)
expect_eq "GET / has a strong ETag" "$(grep -c '^"[0-9a-f]\{16\}"$' <<<"$page_etag")" 1
cp "$body" "$work/index.html"
req_fresh GET / -H "If-None-Match: $page_etag"
expect_eq "GET / with its ETag in If-None-Match is 304 with no body" "$code $(wc -c <"$body")" "304 0"
expect_security_headers "the 304"
req GET / -H 'If-None-Match: "not-it"'
expect_eq "another ETag gets the page" "$code" 200
req HEAD / -I
expect_eq "HEAD / answers 200 with the page's ETag" "$code $(header ETag)" "200 $page_etag"

# --- an asset the page names ------------------------------------------------------------------
# The largest file the page names, so gzip makes it smaller (the daemon keeps gzip only then).
largest=0 asset=""
for name in $(grep -o '\(src\|href\)="assets/[^"]*"' "$work/index.html" | sed 's/^[a-z]*="//; s/"$//'); do
    size=$(curl -s -m 30 "$base/$name" | wc -c)
    if [ "$size" -gt "$largest" ]; then largest=$size asset=$name; fi
done
expect_contains "index.html names a hashed asset" "$asset" "assets/"
expect_eq "the asset's name holds a 12-hex hash" \
    "$(grep -c '\.[0-9a-f]\{12\}\.[a-z0-9]*$' <<<"$asset")" 1
req GET "/$asset"
expect_eq "the asset answers 200 without a token" "$code" 200
expect_eq "the asset is cached for a year" "$(header Cache-Control)" "public, max-age=31536000, immutable"
expect_contains "the asset's Content-Type has a charset" "$(header Content-Type)" "; charset=utf-8"
expect_eq "the identity answer is not encoded" "$(header Content-Encoding)" ""
expect_eq "the asset varies by Accept-Encoding" "$(header Vary)" Accept-Encoding
expect_security_headers "the asset"
asset_etag=$(header ETag)
cp "$body" "$work/asset.identity"
expect_eq "the hash in the name is the SHA-256 of the bytes" \
    "$(sha256sum "$work/asset.identity" | cut -c1-12)" \
    "$(sed 's/.*\.\([0-9a-f]\{12\}\)\.[a-z0-9]*$/\1/' <<<"$asset")"
req GET "/$asset" -H 'Accept-Encoding: gzip'
expect_eq "with Accept-Encoding: gzip the asset is gzip" "$code $(header Content-Encoding)" "200 gzip"
expect_eq "the gzip answer decodes to the same bytes" \
    "$(gunzip -c <"$body" | sha256sum)" "$(sha256sum <"$work/asset.identity")"
gzip_etag=$(header ETag)
expect_eq "the gzip answer has its own ETag" "$gzip_etag" "${asset_etag%\"}-gz\""
req GET "/$asset" -H 'Accept-Encoding: gzip;q=0, br'
expect_eq "gzip;q=0 gets the identity bytes" "$(header Content-Encoding) $(sha256sum <"$body")" \
    " $(sha256sum <"$work/asset.identity")"
for tag in "$asset_etag" "$gzip_etag"; do
    req_fresh GET "/$asset" -H 'Accept-Encoding: gzip' -H "If-None-Match: $tag"
    expect_eq "If-None-Match $tag is 304" "$code $(wc -c <"$body")" "304 0"
done
req GET "/$asset" --compressed
expect_eq "curl --compressed reads the same bytes" "$(sha256sum <"$body")" "$(sha256sum <"$work/asset.identity")"

# --- what is not served, and what still needs the token ----------------------------------------
req GET /assets/app.ffffffffffff.js
expect_error "an unknown asset is 404" 404 not_found
expect_contains "... naming it" "$(js .error.message)" "/assets/app.ffffffffffff.js"
expect_security_headers "the 404"
req GET /api/v1/stats
expect_error "the API still needs the token" 401 unauthorized
req POST /
expect_eq "POST / is 405" "$code $(header Allow)" "405 GET"

# --- no audit record ------------------------------------------------------------------------
# Each logs call adds its own record: the dashboard's requests above must add none.
audit_after=$(audit_count)
expect_eq "serving the dashboard writes no audit record" \
    "$((audit_after - audit_again))" "$((audit_again - audit_before))"

stop_daemon "SIGTERM stops the daemon with status 0"
e2e_finish
