#!/usr/bin/env bash
# End to end, backups: the short form (POST /backup/FOLDER), the asynchronous API, batches,
# listing with state filter and cursor, and DELETE of finished or unknown jobs. Its own daemon
# and database (BACKUPD_TEST_BACKEND: sqlite, or mysql with BACKUPD_TEST_MYSQL_URL).
#   usage: api_backups_test.sh PATH/TO/backupd
set -uo pipefail
# shellcheck source=tests/e2e/lib/e2e.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/e2e.sh"
e2e_init backups "${1:-}"
make_source_tree
start_daemon

# --- the short form: curl -X POST host/backup/photos --------------------------------------
req POST /backup/photos; jobs_created=$((jobs_created + 1))
expect_eq "POST /backup/photos answers 200" "$code" 200
expect_eq "the job succeeded" "$(js .state)" succeeded
snapshot=$(js .snapshot)
expect_contains "the snapshot is named <folder>/<UTC time>-<id>" "$snapshot" "photos/"
if [ -d "$dst/$snapshot" ] && diff -r --no-dereference "$src/photos" "$dst/$snapshot" >"$work/diff" 2>&1; then
    pass "the snapshot directory equals the source (diff -r --no-dereference)"
else
    fail "the snapshot $dst/$snapshot differs from the source: $(head -5 "$work/diff")"
fi
for f in "with space.txt" 2024/summer/beach.jpg; do
    expect_eq "mode and mtime kept: $f" "$(stat -c '%a %Y' "$dst/$snapshot/$f" 2>&1)" \
        "$(stat -c '%a %Y' "$src/photos/$f")"
done
expect_eq "the empty directory is copied" \
    "$(find "$dst/$snapshot/empty" -maxdepth 0 -type d -empty | wc -l)" 1

req POST /backup/nope; jobs_created=$((jobs_created + 1))
expect_error "a missing folder is 404 no_such_directory" 404 no_such_directory
expect_eq "the message names the folder" "$(js .error.message)" "No such directory: nope"
nope_id=$(js .job.id)
req GET "/api/v1/logs?action=Backup&status=FAILED"
expect_eq "the missing folder is audited as Backup FAILED with the message" \
    "$(js "[.logs[] | select(.job_id == $nope_id) | .message]")" '["No such directory: nope"]'

# --- the asynchronous API -------------------------------------------------------------------
post_json /api/v1/backups '{"folder": "docs"}'; jobs_created=$((jobs_created + 1))
expect_eq "POST /api/v1/backups answers 202" "$code" 202
location=$(header Location)
expect_eq "Location names the job" "$location" "/api/v1/backups/$(js .id)"
expect_eq "polling the Location ends in succeeded" "$(wait_job "${location##*/}")" succeeded
post_json "/api/v1/backups?wait=10" '{"folder": "docs"}'; jobs_created=$((jobs_created + 1))
expect_eq "?wait=10 returns the finished job" "$code $(js .state)" "200 succeeded"
done_id=$(js .id)

post_json /api/v1/backups '{"folders": ["photos", "missing-1", "../x", "docs"]}'
jobs_created=$((jobs_created + 4))
expect_eq "a batch answers 202" "$code" 202
expect_eq "a batch has a batch_id shared by its jobs" \
    "$(js '.batch_id as $b | $b != "" and all(.jobs[]; .batch_id == $b)')" true
expect_eq "the batch's jobs come in request order" "$(js '[.jobs[].folder]')" \
    '["photos","missing-1","../x","docs"]'
expect_eq "rejected items are failed jobs with their error" \
    "$(js '[.jobs[] | if .state == "failed" then .error.code else true end]')" \
    '[true,"no_such_directory","invalid_folder_name",true]'
batch_ids=$(js '[.jobs[].id]')
for id in $(js '.jobs[].id'); do wait_job "$id" >/dev/null; done
req GET "/api/v1/backups?state=succeeded&limit=1000"
expect_eq "the accepted batch items succeed" \
    "$(js "[.jobs[] | select(.id as \$i | $batch_ids | index(\$i))] | length")" 2

# --- listing ----------------------------------------------------------------------------------
req GET /api/v1/backups
expect_eq "GET /api/v1/backups lists every job" "$code $(js '.jobs | length') $(js .next)" \
    "200 $jobs_created null"
req GET "/api/v1/backups?state=failed"
expect_eq "state=failed lists only the 3 failed jobs" "$(js '[.jobs[].state]')" \
    '["failed","failed","failed"]'
req GET "/api/v1/backups?limit=2"
newest_two=$(js '[.jobs[].id]')
req GET "/api/v1/backups?limit=1"
next=$(js .next)
expect_eq "limit=1 gives the newest job and a cursor" \
    "$(js '[.jobs[0].id]') $([ "$next" != null ] && echo cursor)" "$(jq -c '.[:1]' <<<"$newest_two") cursor"
req GET "/api/v1/backups?limit=1&cursor=$next"
expect_eq "the cursor continues with the next older job" "$(js '[.jobs[0].id]')" \
    "$(jq -c '.[1:2]' <<<"$newest_two")"

# --- DELETE of jobs that cannot be cancelled ----------------------------------------------
req DELETE "/api/v1/backups/$done_id"
expect_error "DELETE of a finished job is 409" 409 already_finished
req DELETE /api/v1/backups/999999
expect_error "DELETE of an unknown job is 404" 404 not_found

stop_daemon "SIGTERM stops the daemon with status 0"
e2e_finish
