#!/usr/bin/env bash
# End to end, the audit log: the streamed unfiltered answer, one Get Log record per call, date
# ranges, filters, the cursor, and invalid queries. Its own daemon and database.
#
# Correct across UTC midnight: no date comes from the test's clock. The day D is the date of the
# newest record's own `at`; each day query is compared with the records a later unfiltered
# fetch shows for that day, so records written after midnight land on the next day and the
# checks still hold.
#   usage: api_logs_test.sh PATH/TO/backupd
set -uo pipefail
# shellcheck source=tests/e2e/lib/e2e.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/e2e.sh"
e2e_init logs "${1:-}"
start_daemon

count_logs() { req GET "/api/v1/logs?$1"; js '.logs | length'; }
# day_ids DAY FILE: the ids of FILE's records written on DAY (YYYY-MM-DD).
day_ids() { js "[.logs[] | select(.at | startswith(\"$1\")) | .id]" "$2"; }
# up_to IDS MAX: the ids of the JSON array IDS that are <= MAX.
up_to() { jq -c "[.[] | select(. <= $2)]" <<<"$1"; }

# 600 rejected folders in one batch: the unfiltered answer spans more than one streamed batch.
post_json /api/v1/backups "{\"folders\": [$(seq -f '"absent-%g"' -s , 1 600)]}"
expect_eq "a batch of 600 absent folders answers 600 failed jobs" \
    "$(js '[.jobs[] | select(.state == "failed")] | length')" 600
expect_eq "a batch answers 202, even when every item was refused" "$code" 202

req GET /api/v1/logs
expect_eq "GET /api/v1/logs with no criteria is a chunked stream" \
    "$code $(header Transfer-Encoding)" "200 chunked"
all=$(js '.logs | length')
expect_eq "the stream parses as JSON, with next null" "$(js .next)" null
cp "$body" "$work/all_logs"
expect_eq "the stream holds every record, oldest first, its own Get Log last" \
    "$(js '[([.logs[].id] | unique | length) > 600, ([.logs[].at] == ([.logs[].at] | sort)), .logs[-1].action]')" \
    '[true,true,"Get Log"]'
expect_eq "each logs call adds exactly one Get Log record" "$(count_logs '')" "$((all + 1))"

# --- date ranges, from the records' own dates -----------------------------------------------
day=$(js '.logs[-1].at[:10]' "$work/all_logs")
previous_day=$(date -u -d "$day - 1 day" +%F)
req GET "/api/v1/logs?from=$day&to=$day"; cp "$body" "$work/day"
req GET "/api/v1/logs?start=$day&end=$day"; cp "$body" "$work/alias"
req GET "/api/v1/logs?from=$previous_day&to=$previous_day"; cp "$body" "$work/previous_day"
req GET /api/v1/logs; cp "$body" "$work/after"
day_answer=$(js '[.logs[].id]' "$work/day")
expect_eq "from=D&to=D returns every record of day D (the date of the newest record) so far" \
    "$day_answer" "$(up_to "$(day_ids "$day" "$work/after")" "$(js '.logs[-1].id' "$work/day")")"
expect_eq "from=D&to=D returns records of day D only" \
    "$(js "all(.logs[]; .at | startswith(\"$day\"))" "$work/day")" true
expect_eq "start/end are aliases of from/to" \
    "$(js '[.logs[].id]' "$work/alias")" \
    "$(up_to "$(day_ids "$day" "$work/after")" "$(js '.logs[-1].id' "$work/alias")")"
expect_eq "the previous day's range returns none of day D's records" \
    "$(js "[.logs[] | select(.at | startswith(\"$day\"))] | length" "$work/previous_day")" 0
expect_eq "the previous day's range returns exactly that day's records" \
    "$(js '[.logs[].id]' "$work/previous_day")" "$(day_ids "$previous_day" "$work/after")"
expect_eq "day D and the day before together hold every record of the first stream" \
    "$(jq -c -n --slurpfile d "$work/day" --slurpfile p "$work/previous_day" \
        --slurpfile a "$work/all_logs" '[$a[0].logs[].id] - [$d[0].logs[].id, $p[0].logs[].id]')" '[]'

# --- filters and the cursor -----------------------------------------------------------------
req GET "/api/v1/logs?action=Backup&status=FAILED&limit=1000"
expect_eq "action=Backup&status=FAILED filters" \
    "$(js '(.logs | length) >= 600 and all(.logs[]; .action == "Backup" and .status == "FAILED")')" true
req GET "/api/v1/logs?limit=2"
page1=$(js '[.logs[].id]') next=$(js .next)
expect_eq "limit=2 gives two records and a cursor" \
    "$(js '.logs | length') $([ "$next" != null ] && echo cursor)" "2 cursor"
req GET "/api/v1/logs?limit=2&cursor=$next"
page2=$(js '[.logs[].id]')
expect_eq "the cursor continues where the page ended" "$(jq -c -n "$page1 + $page2")" \
    "$(js '[.logs[:4][].id]' "$work/all_logs")"

failed_get_logs=$(count_logs 'action=Get%20Log&status=FAILED')
req GET "/api/v1/logs?from=garbage"
expect_error "an invalid logs query is 400" 400 invalid_request
req GET "/api/v1/logs?action=Get%20Log&status=FAILED"
expect_eq "an invalid logs query adds one Get Log FAILED record with the reason" \
    "$(js '.logs | length') $(js '.logs[-1].message | contains("garbage")')" "$((failed_get_logs + 1)) true"

# --- the short route ------------------------------------------------------------------------
req GET "/logs?limit=1"
expect_eq "GET /logs has the shape of /api/v1/logs" \
    "$code $(js 'keys') $(js '.logs[0] | keys')" \
    "200 $(js 'keys' "$work/all_logs") $(js '.logs[0] | keys' "$work/all_logs")"

stop_daemon "SIGTERM stops the daemon with status 0"
e2e_finish
