#!/usr/bin/env bash
# End to end, plans: every bad plan refused with its precise error and nothing stored; a plan
# `@every 2s` with keep_last 2 fires runs by itself, prunes old snapshots from disk (one Prune
# record each), keeps `latest` whole; a dry run explains every keep; pin, delete, run now,
# disable and delete the plan; the metrics. Its own daemon and database.
#   usage: api_plans_test.sh PATH/TO/backupd
set -uo pipefail
# shellcheck source=tests/e2e/lib/e2e.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/e2e.sh"
e2e_init plans "${1:-}"

make_source_tree
start_daemon

plan_body() { # plan_body NAME SCHEDULE [RETENTION_JSON] [EXTRA_FIELDS]
    printf '{"name": "%s", "folder": "photos", "schedule": "%s", "retention": %s%s}' \
        "$1" "$2" "${3:-{\}}" "${4:-}"
}

# --- bad input: precise errors, nothing stored -------------------------------------------------
expect_refused() { # expect_refused WHAT STATUS CODE BODY
    post_json /api/v1/plans "$4"
    expect_error "$1" "$2" "$3"
}
expect_refused "an unknown field" 400 invalid_request "$(plan_body p1 '@every 2s' '{}' ', "colour": "red"')"
expect_contains "the message names the unknown field" "$(js .error.message)" colour
expect_refused "an unknown retention key" 400 invalid_request "$(plan_body p1 '@every 2s' '{"keep_forever": 1}')"
expect_refused "minute 61" 400 invalid_request "$(plan_body p1 '61 * * * *')"
expect_contains "the message names the minute field" "$(js .error.message)" 61
expect_refused "the 31st of February" 400 invalid_request "$(plan_body p1 '* * 31 2 *')"
expect_contains "the message says it never fires" "$(js .error.message)" never
expect_refused "four cron fields" 400 invalid_request "$(plan_body p1 '* * * *')"
expect_refused "@every below a second" 400 invalid_request "$(plan_body p1 '@every 0s')"
expect_refused "an unknown time zone" 400 invalid_request \
    '{"name": "p1", "folder": "photos", "schedule": "@daily", "time_zone": "Mars/Olympus"}'
expect_refused "a negative count" 400 invalid_request "$(plan_body p1 '@daily' '{"keep_daily": -1}')"
expect_refused "a count that is not a whole number" 400 invalid_request "$(plan_body p1 '@daily' '{"keep_daily": 2.5}')"
expect_refused "a count given as text" 400 invalid_request "$(plan_body p1 '@daily' '{"keep_daily": "7"}')"
expect_refused "an unparseable duration" 400 invalid_request "$(plan_body p1 '@daily' '{"keep_within": "2 weeks"}')"
expect_refused "a bad plan name" 400 invalid_request "$(plan_body Photos_Nightly '@daily')"
expect_refused "a folder the backup rules refuse" 400 invalid_folder_name \
    '{"name": "p1", "folder": "../etc", "schedule": "@daily"}'
expect_refused "malformed JSON" 400 invalid_request '{"name": "p1", '
req GET /api/v1/plans
expect_eq "no refused plan was stored" "$code $(js '.plans | length')" "200 0"

# --- a plan that runs and prunes by itself -------------------------------------------------------
post_json /api/v1/plans "$(plan_body photos-often '@every 2s' '{"keep_last": 2}')"
expect_eq "a plan is created: 201 with its Location" "$code $(header Location)" \
    "201 /api/v1/plans/photos-often"
expect_eq "it echoes its spec, with UTC by default" \
    "$(js '[.name, .folder, .schedule, .time_zone, .retention.keep_last, .enabled] | join(" ")')" \
    "photos-often photos @every 2s UTC 2 true"
expect_eq "its next run is known" "$(js '.next_run_at != null')" true
post_json /api/v1/plans "$(plan_body photos-often '@daily')"
expect_error "a second plan with the same name" 409 plan_exists

succeeded_runs() {
    req GET '/api/v1/jobs?plan=photos-often&kind=backup&state=succeeded&limit=1000'
    js '.jobs | length'
}
four_runs() { [ "$(succeeded_runs)" -ge 4 ]; }
wait_until 60 "four runs of the plan to succeed" four_runs
req GET '/api/v1/jobs?plan=photos-often&kind=backup&limit=1000'
expect_eq "every fired run carries the plan and its due time" \
    "$(js '[.jobs[] | select(.plan != "photos-often" or .scheduled_for == null)] | length')" 0
expect_eq "no due time fired twice" \
    "$(js '[.jobs[].scheduled_for] | length == (unique | length)')" true

pruned_once() {
    req GET '/api/v1/jobs?plan=photos-often&kind=prune&state=succeeded&limit=1000'
    [ "$(js '[.jobs[] | select(.prune.removed >= 1)] | length')" -ge 1 ]
}
wait_until 60 "a prune job to remove a snapshot" pruned_once
curl -s -m 30 -o "$work/prunes.json" "$base/api/v1/logs?action=Prune&status=SUCCESS&limit=1000"
expect_contains "a prune is audited with what it removed and kept" \
    "$(js '[.logs[].message] | join("|")' "$work/prunes.json")" "kept"

# Stop the schedule, let everything queued end, then look at the folder at rest.
req PUT /api/v1/plans/photos-often -H 'Content-Type: application/json' \
    --data-binary "$(plan_body photos-often '@every 2s' '{"keep_last": 2}' ', "enabled": false')"
expect_eq "a PUT disables the plan" "$code $(js '[.enabled, .next_run_at] | join(" ")')" "200 false "
nothing_unfinished() {
    req GET '/api/v1/jobs?plan=photos-often&state=queued'
    [ "$(js '.jobs | length')" = 0 ] || return 1
    req GET '/api/v1/jobs?plan=photos-often&state=running'
    [ "$(js '.jobs | length')" = 0 ]
}
wait_until 60 "the plan's jobs to end" nothing_unfinished
req POST /api/v1/plans/photos-often/prune
expect_eq "a prune on request is a job" "$code $(js .kind)" "202 prune"
wait_job "$(js .id)" 60 >/dev/null
req GET '/api/v1/snapshots?folder=photos'
expect_eq "keep_last 2 leaves two snapshots listed" "$(js '.snapshots | length')" 2
on_disk=$(find "$dst/photos" -mindepth 1 -maxdepth 1 -type d | wc -l)
expect_eq "and two snapshot directories on disk, each with its manifest" \
    "$on_disk $(find "$dst/photos" -mindepth 1 -maxdepth 1 -name '*.manifest' | wc -l)" "2 2"
newest=$(js '.snapshots[0].name')
expect_eq "latest points at the newest snapshot" "$(readlink "$dst/photos/latest")" "$newest"

# --- dry run, pin, delete ------------------------------------------------------------------------
post_json '/api/v1/backups?wait=30' '{"folder": "photos"}'
expect_eq "an ad-hoc backup of the plan's folder succeeds" "$code $(js .state)" "200 succeeded"
adhoc=$(js .id)
req POST '/api/v1/plans/photos-often/prune?dry_run=true'
expect_eq "a dry run lists all three snapshots, newest first" \
    "$code $(js '[.snapshots[].id][0]') $(js '.snapshots | length')" "200 $adhoc 3"
expect_eq "the newest is kept as newest and last 2" "$(js '.snapshots[0].reasons | join(",")')" \
    "newest,last 2"
expect_eq "the oldest would go, without a reason" \
    "$(js '.snapshots[2] | [.keep, (.reasons | length)] | join(" ")')" "false 0"
oldest=$(js '.snapshots[2].id')
req GET '/api/v1/snapshots?folder=photos'
expect_eq "a dry run removes nothing" "$(js '.snapshots | length')" 3
req POST "/api/v1/plans/photos-often/prune?dry_run=maybe"
expect_error "dry_run must be true or false" 400 invalid_request

req POST "/api/v1/snapshots/$oldest/pin"
expect_eq "pinning answers the snapshot, pinned" "$code $(js .pinned)" "200 true"
req POST '/api/v1/plans/photos-often/prune?dry_run=true'
expect_eq "the pinned snapshot is kept, saying why" \
    "$(js ".snapshots[] | select(.id == $oldest) | [.keep, (.reasons | join(\",\"))] | join(\" \")")" \
    "true pinned"
req DELETE "/api/v1/snapshots/$oldest"
expect_error "deleting a pinned snapshot" 409 snapshot_pinned
req DELETE "/api/v1/snapshots/$oldest/pin"
expect_eq "unpinning answers the snapshot, not pinned" "$code $(js .pinned)" "200 false"
oldest_path=$(curl -s -m 30 "$base/api/v1/snapshots/$oldest" | jq -r .path)
req DELETE "/api/v1/snapshots/$oldest"
expect_eq "deleting a snapshot queues a prune job for it" "$code $(js '[.kind, .snapshot_id] | join(" ")')" \
    "202 prune $oldest"
expect_eq "which succeeds" "$(wait_job "$(js .id)" 60)" succeeded
req GET "/api/v1/snapshots/$oldest"
expect_error "the deleted snapshot is gone from the catalog" 404 not_found
expect_eq "and from disk, with its manifest" \
    "$(test -e "$dst/$oldest_path" && echo dir)$(test -e "$dst/$oldest_path.manifest" && echo manifest)" ""
req DELETE "/api/v1/snapshots/$oldest"
expect_error "deleting it again" 404 not_found
req DELETE "/api/v1/snapshots/$adhoc"
wait_job "$(js .id)" 60 >/dev/null
expect_eq "deleting the newest points latest at the one left" \
    "$(readlink "$dst/photos/latest")" "$(curl -s -m 30 "$base/api/v1/snapshots?folder=photos" | jq -r '.snapshots[0].name')"

# --- run now, the plan's view, metrics, delete -------------------------------------------------
req POST /api/v1/plans/photos-often/run
expect_eq "run now queues a backup of the plan, without a due time" \
    "$code $(js '[.kind, .plan, .scheduled_for] | join(" ")')" "202 backup photos-often "
run_now=$(js .id)
expect_eq "which succeeds" "$(wait_job "$run_now" 60)" succeeded
wait_until 60 "the prune after the run to end" nothing_unfinished
req GET /api/v1/plans/photos-often
expect_eq "the plan shows its last run" "$(js '[.last_run.job_id, .last_run.state] | join(" ")')" \
    "$run_now succeeded"
expect_eq "its last success, and no next run while disabled" \
    "$(js '[(.last_success_at != null), .next_run_at] | join(" ")')" "true "
expect_eq "the snapshots of its folder on disk" "$(js .snapshots)" \
    "$(curl -s -m 30 "$base/api/v1/snapshots?folder=photos" | jq '.snapshots | length')"
req GET /metrics
metrics=$(cat "$body")
expect_contains "metrics: the plan's last success" "$metrics" 'backupd_plan_last_success_timestamp_seconds{plan="photos-often"}'
expect_contains "metrics: runs skipped per plan" "$metrics" 'backupd_plan_runs_skipped_total{plan="photos-often"}'
expect_eq "metrics: no first unmet due time while the plan is disabled (it never alerts)" \
    "$(grep -c '^backupd_plan_first_unmet_due_timestamp_seconds{plan="photos-often"}' <<<"$metrics")" 0
expect_contains "metrics: the first unmet due time family is on the page" "$metrics" \
    '# TYPE backupd_plan_first_unmet_due_timestamp_seconds gauge'
expect_contains "metrics: snapshots per folder" "$metrics" 'backupd_snapshots{folder="photos"}'
req GET /api/v1/stats
expect_eq "prune jobs are counted apart, not as backups" \
    "$(js '.total') $(js '.prunes.succeeded >= 3')" \
    "$(curl -s -m 30 "$base/api/v1/jobs?kind=backup&limit=1000" | jq '.jobs | length') true"

req DELETE /api/v1/plans/photos-often
expect_eq "deleting the plan answers 204" "$code" 204
req GET /api/v1/plans/photos-often
expect_error "the deleted plan" 404 not_found
req GET '/api/v1/snapshots?folder=photos'
expect_eq "its snapshots stay" "$(js '.snapshots | length')" 2
req POST /api/v1/plans/photos-often/run
expect_error "running a deleted plan" 404 not_found

e2e_finish
