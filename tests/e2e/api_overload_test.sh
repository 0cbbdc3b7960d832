#!/usr/bin/env bash
# End to end, overload answers: (a) beyond --max-connections a client reads 429 too_busy with
# Retry-After, not a reset, and /healthz still answers; (b) under wrk against --rate-limit,
# 429s appear, /healthz under the same load never gets one, and /metrics counts the refusals;
# (c) the daemon serves normally afterwards. Its own daemon and database; about 15 s.
#   usage: api_overload_test.sh PATH/TO/backupd
set -uo pipefail
# shellcheck source=tests/e2e/lib/e2e.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/e2e.sh"
e2e_init overload "${1:-}"
command -v wrk >/dev/null || die "wrk not found (scripts/install-deps.sh)"
make_source_tree

metric() { # metric 'NAME{LABELS}': its value on the last /metrics page, 0 when absent
    awk -v series="$1" '$1 == series { print $2; found = 1 } END { if (!found) print 0 }' "$body"
}

# --- (a) the connection cap ------------------------------------------------------------------
start_daemon --max-connections 2
hostport=${base#http://}
# Two idle connections take both places (bash's /dev/tcp: held open, nothing sent).
exec 3<>"/dev/tcp/${hostport%:*}/${hostport##*:}" 4<>"/dev/tcp/${hostport%:*}/${hostport##*:}"
sleep 0.3  # accepted in order: these two are served, the next ones refused
curls=()
for i in 1 2 3 4; do
    curl -s -m 10 -o "$work/cap.$i" -D "$work/cap_headers.$i" -w '%{http_code}' \
        "$base/api/v1/stats" >"$work/cap_code.$i" &
    curls+=($!)
done
wait "${curls[@]}"
for i in 1 2 3 4; do
    expect_eq "beyond the cap, connection $i reads 429 too_busy (not a reset)" \
        "$(cat "$work/cap_code.$i") $(js .error.code "$work/cap.$i")" "429 too_busy"
    expect_eq "beyond the cap, connection $i has Retry-After: 1" \
        "$(tr -d '\r' <"$work/cap_headers.$i" | sed -n 's/^Retry-After: //Ip')" 1
done
req GET /healthz
expect_eq "beyond the cap, /healthz still answers" "$code" 200
exec 3>&- 4>&-
# The two places free as the daemon sees the connections close.
stats_served() { req GET /api/v1/stats; [ "$code" = 200 ]; }
wait_until 10 "/api/v1/stats to be served once the idle connections closed" stats_served
pass "with the idle connections closed, requests are served again"
req GET /metrics
# 4 curls and /healthz, and any attempt of the wait above that came before the places freed.
refused_connections=$(metric 'backupd_http_refused_total{reason="connections"}')
expect_eq "/metrics counts the refused connections" \
    "$([ "$refused_connections" -ge 5 ] && echo yes)" yes
expect_eq "/metrics counts each 429 of them (all but /healthz) under route (refused)" \
    "$(metric 'backupd_http_requests_total{route="(refused)",status="429"}')" \
    "$((refused_connections - 1))"
stop_daemon "SIGTERM stops the capped daemon with status 0"

# --- (b) the per-client rate limit under wrk -------------------------------------------------
start_daemon --rate-limit 20 --rate-limit-burst 20
wrk -t 1 -c 4 -d 3s "$base/api/v1/stats" >"$work/wrk_stats" 2>&1 &
stats_wrk=$!
wrk -t 1 -c 2 -d 3s "$base/healthz" >"$work/wrk_healthz" 2>&1
wait "$stats_wrk"
non_2xx() { sed -n 's/^ *Non-2xx or 3xx responses: *//p' "$1" | grep . || echo 0; }
requests_of() { awk '/requests in/ { print $1 }' "$1"; }
limited=$(non_2xx "$work/wrk_stats")
stats_total=$(requests_of "$work/wrk_stats")
echo "wrk: /api/v1/stats $stats_total requests, $limited refused; /healthz $(requests_of "$work/wrk_healthz") requests"
expect_eq "under wrk, the rate limit refuses most of the API requests" \
    "$([ "$limited" -gt 0 ] && [ "$((stats_total - limited))" -le 200 ] && echo yes)" yes
expect_eq "under the same load, /healthz is never refused" "$(non_2xx "$work/wrk_healthz")" 0
expect_eq "/healthz answered many requests under the load" \
    "$([ "$(requests_of "$work/wrk_healthz")" -gt 100 ] && echo yes)" yes
# A limited client is told when to come back; after that, it is served. 40 requests on one
# connection (one curl: separate ones would each take longer than a token takes to refill).
sleep 1.1  # the bucket full again: 20 tokens
burst_args=()
for i in $(seq 40); do burst_args+=(-o "$work/burst.$i" "$base/api/v1/stats"); done
curl -s -m 30 -D "$work/burst_headers" -w '%{http_code}\n' "${burst_args[@]}" >"$work/burst_codes"
expect_eq "a burst of 40 after a pause gets 20 answers, then 429s" \
    "$(head -n 20 "$work/burst_codes" | sort -u | tr '\n' ' ')$(tail -n 1 "$work/burst_codes")" "200 429"
expect_eq "the last of the burst is 429 too_busy" "$(js .error.code "$work/burst.40")" too_busy
expect_eq "the rate-limited answers have Retry-After: 1" \
    "$(tr -d '\r' <"$work/burst_headers" | sed -n 's/^Retry-After: //Ip' | sort -u)" 1
sleep 1.1
req GET /metrics
expect_eq "after Retry-After, /metrics is served" "$code" 200
counted=$(metric 'backupd_http_refused_total{reason="rate_limit"}')
expect_eq "/metrics counts at least the refusals wrk saw" \
    "$([ "$counted" -ge "$limited" ] && echo yes)" yes
expect_eq "/metrics counts no connection refusals here" \
    "$(metric 'backupd_http_refused_total{reason="connections"}')" 0

# --- (c) serving normally afterwards ---------------------------------------------------------
sleep 1.1
req POST /backup/docs; jobs_created=$((jobs_created + 1))
expect_eq "after the load, a backup succeeds" "$code $(js .state)" "200 succeeded"
req GET /api/v1/stats
expect_eq "after the load, the stats are served" "$code $(js .total)" "200 $jobs_created"
stop_daemon "SIGTERM stops the rate-limited daemon with status 0"
e2e_finish
