#!/usr/bin/env bash
# End to end, cancel: DELETE of a running job cancels it, it stays cancelled, and the cancelled
# copy leaves neither a snapshot nor a staging directory. Its own daemon and database.
#
# The job is made to run long enough to be caught, never skipped: 10,000 small files copied by
# one copy thread take about a second (more on a loaded machine), while the job is seen running
# and cancelled within milliseconds. Should the copy ever end first, the case fails and says so.
#   usage: api_cancel_test.sh PATH/TO/backupd
set -uo pipefail
# shellcheck source=tests/e2e/lib/e2e.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/e2e.sh"
e2e_init cancel "${1:-}"

mkdir -p "$src/many"
# 10,000 files of 64 bytes in one pass (split names them f00000, f00001, ...).
head -c $((64 * 10000)) /dev/zero | tr '\0' x | (cd "$src/many" && split -b 64 -a 5 -d - f)
expect_eq "the folder to cancel holds 10000 files" "$(find "$src/many" -type f | wc -l)" 10000
start_daemon --copy-threads 1 --workers 1

post_json /api/v1/backups '{"folder": "many"}'
expect_eq "POST /api/v1/backups answers 202" "$code" 202
id=$(js .id)
job_left_queue() { [ "$(job_state "$id")" != queued ]; }
wait_until 30 "job $id to leave the queued state" job_left_queue
state=$(js .state)
req DELETE "/api/v1/backups/$id"
if [ "$state" != running ] || [ "$code" != 200 ]; then
    die "the job was not caught running (state '$state', DELETE answered $code $(js .)):" \
        "the copy must outlast the cancel; make many/ bigger"
fi
expect_eq "DELETE of a running job cancels it" "$code $(js .state)" "200 cancelled"

staging_empty() { [ -z "$(find "$dst/.staging" -mindepth 1 2>/dev/null)" ]; }
wait_until 30 "the cancelled copy's staging directory to be removed" staging_empty
expect_eq "the cancelled job stays cancelled" "$(wait_job "$id")" cancelled
expect_eq "the cancelled copy leaves no snapshot and no staging" \
    "$(find "$dst/many" -mindepth 1 -maxdepth 1 ! -name latest 2>/dev/null | wc -l) $(find "$dst/.staging" -mindepth 1 2>/dev/null | wc -l)" \
    "0 0"

stop_daemon "SIGTERM stops the daemon with status 0"
e2e_finish
