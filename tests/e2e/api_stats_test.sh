#!/usr/bin/env bash
# End to end, statistics and the operator routes: /api/v1/stats and /api/v1/stats/daily against
# the jobs this case created, one Get Stats record per call, /stats, /readyz, /metrics, the
# OpenAPI document, and SIGTERM. Its own daemon and database, so every count is this case's own.
#   usage: api_stats_test.sh PATH/TO/backupd
set -uo pipefail
# shellcheck source=tests/e2e/lib/e2e.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/e2e.sh"
e2e_init stats "${1:-}"
make_source_tree
start_daemon

count_logs() { req GET "/api/v1/logs?$1"; js '.logs | length'; }

# Jobs of every ending this case can make: two succeeded, three failed.
req POST /backup/photos; jobs_created=$((jobs_created + 1))
expect_eq "a backup succeeds" "$code $(js .state)" "200 succeeded"
post_json /api/v1/backups '{"folders": ["docs", "missing-1", "../x", "missing-2"]}'
jobs_created=$((jobs_created + 4))
for id in $(js '.jobs[].id'); do wait_job "$id" >/dev/null; done

get_stats_ok=$(count_logs 'action=Get%20Stats&status=SUCCESS')
req GET /api/v1/stats
expect_eq "GET /api/v1/stats answers 200" "$code" 200
cp "$body" "$work/stats"
expect_eq "total = succeeded + failed + queued + running + cancelled" \
    "$(js '.total == .succeeded + .failed + .queued + .running + .cancelled')" true
expect_eq "total counts every backup job created ($jobs_created)" "$(js .total)" "$jobs_created"
expect_eq "succeeded and failed count this case's jobs" "$(js '[.succeeded, .failed]')" '[2,3]'
req GET "/api/v1/backups?limit=1000&state=failed"
expect_eq "the failed count agrees with the job list" "$(js .failed "$work/stats")" "$(js '.jobs | length')"
expect_eq "each stats call adds one Get Stats SUCCESS record" \
    "$(count_logs 'action=Get%20Stats&status=SUCCESS')" "$((get_stats_ok + 1))"
req GET "/api/v1/stats?colour=red"
expect_error "stats with an unknown parameter is 400" 400 invalid_request
expect_eq "... and adds a Get Stats FAILED record" "$(count_logs 'action=Get%20Stats&status=FAILED')" 1
req GET /stats
expect_eq "GET /stats has the shape of /api/v1/stats" "$code $(js keys)" "200 $(js keys "$work/stats")"

# --- per day: /api/v1/stats/daily -----------------------------------------------------------
# The days come from the jobs' own finished_at, not the test's clock (a run across UTC midnight
# must not fail): each job counts on the day it ended.
req GET "/api/v1/jobs?kind=backup&limit=1000"
expected=$(js '[.jobs[] | {d: .finished_at[0:10], s: .state}] | group_by(.d)
    | map([.[0].d, (map(select(.s == "succeeded")) | length), (map(select(.s == "failed")) | length),
           (map(select(.s == "cancelled")) | length)])')
first_day=$(js '[.jobs[].finished_at[0:10]] | min')
last_day=$(js '[.jobs[].finished_at[0:10]] | max')
get_stats_ok=$(count_logs 'action=Get%20Stats&status=SUCCESS')
req GET /api/v1/stats/daily
expect_eq "GET /api/v1/stats/daily answers 200 for backups up to today" \
    "$code $(js .kind) $(js ".to >= \"$last_day\"")" "200 backup true"
expect_eq "by default it shows 30 days, oldest first, each once, from to to" \
    "$(js '[(.days | length), (.days | map(.date) == (map(.date) | sort | unique)), .days[0].date == .from, .days[-1].date == .to]')" \
    "[30,true,true,true]"
expect_eq "... and the request is audited once" \
    "$(count_logs 'action=Get%20Stats&status=SUCCESS')" "$((get_stats_ok + 1))"
req GET "/api/v1/stats/daily?from=$first_day&to=$last_day"
expect_eq "each day counts the backups that ended on it (2 succeeded, 3 failed in all)" \
    "$(js '.days | map(select(.succeeded + .failed + .cancelled > 0) | [.date, .succeeded, .failed, .cancelled])')" \
    "$expected"
expect_eq "... 2 succeeded and 3 failed in all" \
    "$(js '[([.days[].succeeded] | add), ([.days[].failed] | add)]')" '[2,3]'
expect_eq "the days' bytes_copied add up to /api/v1/stats's" \
    "$(js '[.days[].bytes_copied] | add')" "$(js .bytes_copied "$work/stats")"
req GET "/api/v1/stats/daily?to=$(date -u -d "$first_day -1 day" +%F)"
expect_eq "a range ending the day before the first job counts none" \
    "$(js '[.days[] | .succeeded + .failed + .cancelled] | add')" 0
req GET "/api/v1/stats/daily?kind=restore&from=$first_day&to=$last_day"
expect_eq "restores are counted apart (none here)" \
    "$(js '[.kind, ([.days[].succeeded] | add)]')" '["restore",0]'
for bad in "from=2026-02-30" "to=today" "from=2026-12-05&to=2026-12-01" "from=2020-01-01&to=2026-01-01" \
    "kind=backups" "colour=red"; do
    req GET "/api/v1/stats/daily?$bad"
    expect_error "stats/daily?$bad is 400" 400 invalid_request
done
req GET "/api/v1/stats/daily?from=2026-02-30"
expect_eq "... naming the parameter" "$(js .error.message)" \
    "from: '2026-02-30' is not a valid date; expected YYYY-MM-DD"

# --- operator routes ------------------------------------------------------------------------
req GET /readyz
expect_eq "GET /readyz answers 200 ready" "$code $(js .status)" "200 ready"
req GET /metrics
expect_eq "GET /metrics answers 200" "$code" 200
expect_eq "/metrics counts succeeded jobs" "$(grep -c '^backupd_jobs{state="succeeded"} [1-9]' "$body")" 1
expect_contains "/metrics counts HTTP requests" "$(cat "$body")" 'backupd_http_requests_total{'
req GET /api/v1/openapi.yaml
expect_eq "GET /api/v1/openapi.yaml is an OpenAPI document" "$code $(grep -c '^openapi:' "$body")" "200 1"

stop_daemon "SIGTERM stops the daemon with status 0"
e2e_finish
