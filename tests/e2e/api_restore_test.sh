#!/usr/bin/env bash
# End to end, restores: whole and partial restores equal the snapshot (diff -r
# --no-dereference), the three overwrite policies, in-place refusal and an in-place restore,
# every bad input with its precise error and one Restore audit record, and a daemon killed
# mid-restore leaving no half-written file under a final name. Its own daemon and database.
#   usage: api_restore_test.sh PATH/TO/backupd
set -uo pipefail
# shellcheck source=tests/e2e/lib/e2e.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/e2e.sh"
e2e_init restore "${1:-}"

make_source_tree
mkdir -p "$src/big"
head -c $((64 * 1024 * 1024)) /dev/urandom >"$src/big/large.bin"
# Enough small files that the restore runs for a while after its first file appears, and
# flushes and renames several batches (1,024 entries each) on the way.
mkdir -p "$src/big/many"
for i in $(seq 1 3000); do echo "small $i" >"$src/big/many/small-$i.txt"; done
start_daemon

post_json '/api/v1/backups?wait=30' '{"folder": "photos"}'
expect_eq "a backup of photos succeeds" "$code $(js .state)" "200 succeeded"
id=$(js .id)
snap="$dst/$(js .snapshot)"
name=$(basename "$snap")

# restore_ok WHAT BODY: POST /api/v1/restores?wait=60 and expects the job to succeed.
restore_ok() {
    post_json '/api/v1/restores?wait=60' "$2"
    expect_eq "$1" "$code $(js .kind) $(js .state)" "200 restore succeeded"
}

# --- whole and partial ---------------------------------------------------------------------------
restore_ok "a whole restore succeeds" "{\"snapshot\": $id}"
expect_eq "it lands in <folder>/<snapshot name> under the restore root, equal to the snapshot" \
    "$(diff -r --no-dereference "$snap" "$rst/photos/$name" >/dev/null && echo equal)" equal
expect_eq "modes and mtimes are restored" \
    "$(stat -c '%a %Y' "$rst/photos/$name/with space.txt" "$rst/photos/$name/2024/summer/beach.jpg" | paste -sd' ')" \
    "$(stat -c '%a %Y' "$snap/with space.txt" "$snap/2024/summer/beach.jpg" | paste -sd' ')"
expect_eq "a symlink is restored as a link" "$(readlink "$rst/photos/$name/favourite")" \
    2024/summer/beach.jpg
post_json /api/v1/restores "{\"snapshot\": $id, \"paths\": [\"2024/summer\", \"with space.txt\"], \"target\": \"partial\"}"
expect_eq "POST /api/v1/restores answers 202 with a Location" \
    "$code $(header Location)" "202 /api/v1/jobs/$(js .id)"
expect_eq "the partial restore succeeds" "$(wait_job "$(js .id)")" succeeded
expect_eq "it holds only the paths asked for, equal to the snapshot's" \
    "$(cd "$rst/partial" && find . -mindepth 1 | sort | paste -sd' ') $(diff -r --no-dereference "$snap/2024/summer" "$rst/partial/2024/summer" >/dev/null && echo equal)" \
    "./2024 ./2024/summer ./2024/summer/beach.jpg ./with space.txt equal"

# --- overwrite policies ------------------------------------------------------------------------
echo changed >"$rst/partial/with space.txt"
post_json '/api/v1/restores?wait=60' "{\"snapshot\": $id, \"paths\": [\"with space.txt\"], \"target\": \"partial\"}"
expect_eq "overwrite never (the default) fails on an existing file: 409 with the job" \
    "$code $(js .job.state) $(js .error.code)" "409 failed restore_conflict"
expect_eq "and replaces nothing" "$(cat "$rst/partial/with space.txt")" changed
expect_audited_failure "the conflicting restore" "$(js .job.id)" Restore
restore_ok "overwrite if-changed replaces the changed file" \
    "{\"snapshot\": $id, \"paths\": [\"with space.txt\"], \"target\": \"partial\", \"overwrite\": \"if-changed\"}"
expect_eq "with the snapshot's content" "$(cat "$rst/partial/with space.txt")" secret
restore_ok "overwrite always succeeds" \
    "{\"snapshot\": $id, \"target\": \"partial\", \"overwrite\": \"always\"}"
expect_eq "and the target then equals the snapshot" \
    "$(diff -r --no-dereference "$snap" "$rst/partial" >/dev/null && echo equal)" equal

# --- in place ------------------------------------------------------------------------------------
post_json /api/v1/restores "{\"snapshot\": $id, \"in_place\": true}"
expect_error "an in-place restore without an explicit overwrite" 400 invalid_request
expect_audited_failure "the refused in-place restore" "$(js .job.id)" Restore
rm "$src/photos/2024/summer/beach.jpg"
restore_ok "an in-place restore with overwrite if-changed succeeds" \
    "{\"snapshot\": $id, \"in_place\": true, \"overwrite\": \"if-changed\"}"
expect_eq "the deleted source file is back" "$(cat "$src/photos/2024/summer/beach.jpg")" beach

# --- bad input ---------------------------------------------------------------------------------
bad_restore() { # bad_restore WHAT BODY STATUS CODE AUDITED
    post_json /api/v1/restores "$2"
    expect_error "$1" "$3" "$4"
    if [ "$5" = audited ]; then expect_audited_failure "$1" "$(js .job.id)" Restore; fi
}
bad_restore "a path with .." "{\"snapshot\": $id, \"paths\": [\"../x\"]}" 400 invalid_path audited
bad_restore "an absolute path" "{\"snapshot\": $id, \"paths\": [\"/etc\"]}" 400 invalid_path audited
bad_restore "an empty segment" "{\"snapshot\": $id, \"paths\": [\"2024//summer\"]}" 400 invalid_path audited
bad_restore "a target escaping the restore root" "{\"snapshot\": $id, \"target\": \"../out\"}" 400 invalid_path audited
bad_restore "an absolute target" "{\"snapshot\": $id, \"target\": \"/tmp/out\"}" 400 invalid_path audited
bad_restore "an unknown overwrite value" "{\"snapshot\": $id, \"overwrite\": \"sometimes\"}" 400 invalid_request no
bad_restore "an unknown field" "{\"snapshot\": $id, \"colour\": \"red\"}" 400 invalid_request no
bad_restore "a non-numeric snapshot" '{"snapshot": "abc"}' 400 invalid_request no
bad_restore "an unknown snapshot" '{"snapshot": 999999}' 404 not_found audited
expect_eq "nothing was written outside the restore root" \
    "$(find "$work" /tmp -maxdepth 1 -name out | wc -l)" 0
post_json '/api/v1/restores?wait=60' "{\"snapshot\": $id, \"paths\": [\"favourite/beach.jpg\"], \"target\": \"through-link\"}"
expect_eq "a path through a symlink in the snapshot is refused, never followed" \
    "$code $(js .job.state) $(js .error.code)" "403 failed symlink_in_path"

# --- a crash mid-restore -------------------------------------------------------------------------
post_json '/api/v1/backups?wait=60' '{"folder": "big"}'
expect_eq "a backup of big succeeds" "$code $(js .state)" "200 succeeded"
big_id=$(js .id) big_snap="$dst/$(js .snapshot)"
post_json /api/v1/restores "{\"snapshot\": $big_id, \"target\": \"crash\"}"
crash_id=$(js .id)
restore_started() { [ -n "$(find "$rst/crash" -type f 2>/dev/null | head -n 1)" ]; }
wait_until 30 "the restore to write its first file" restore_started
kill -9 "$daemon_pid"; wait "$daemon_pid" 2>/dev/null; daemon_pid=""
restored=$(find "$rst/crash" -type f ! -name '.backupd-restore-*' | wc -l)
[ "$restored" -lt 3001 ] || die "the restore ended before the kill: make big/ bigger"
echo "killed with $restored of 3001 files under their final names"
half=0
while IFS= read -r -d '' file; do
    case "$(basename "$file")" in .backupd-restore-*) continue ;; esac
    cmp -s "$file" "$big_snap/${file#"$rst/crash/"}" || { half=$((half + 1)); echo "half: $file"; }
done < <(find "$rst/crash" -type f -print0)
expect_eq "after kill -9 mid-restore, every file under a final name is whole" "$half" 0
start_daemon
expect_eq "the interrupted restore is resumed and succeeds" "$(wait_job "$crash_id" 90)" succeeded
expect_eq "and the target equals the snapshot, with no temporary file left" \
    "$(diff -r --no-dereference "$big_snap" "$rst/crash" >/dev/null && echo equal) $(find "$rst/crash" -name '.backupd-restore-*' | wc -l)" \
    "equal 0"

req GET /api/v1/stats
expect_eq "stats count restores beside backups" "$(js '[.total, (.restores.total > 10)] | join(" ")')" "2 true"

stop_daemon "SIGTERM stops the daemon with status 0"
e2e_finish
