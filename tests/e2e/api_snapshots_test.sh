#!/usr/bin/env bash
# End to end, snapshots as a resource: list, show, browse, download (whole and a range), verify
# (intact, then a corrupted and a deleted file found), and every bad input on these routes with
# its precise error, audited when the request named a snapshot. Its own daemon and database.
#   usage: api_snapshots_test.sh PATH/TO/backupd
set -uo pipefail
# shellcheck source=tests/e2e/lib/e2e.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/e2e.sh"
e2e_init snapshots "${1:-}"

make_source_tree
start_daemon

post_json '/api/v1/backups?wait=30' '{"folder": "photos"}'
expect_eq "a backup of photos succeeds" "$code $(js .state)" "200 succeeded"
id=$(js .id)
snapshot_path=$(js .snapshot)

# --- list and show ---------------------------------------------------------------------------
req GET "/api/v1/snapshots?folder=photos"
expect_eq "GET /api/v1/snapshots?folder=photos lists the snapshot" \
    "$code $(js '[.snapshots[].id] | join(",")')" "200 $id"
req GET "/api/v1/snapshots/$id"
expect_eq "the snapshot has the backup's id, folder and path" \
    "$code $(js '[.id, .folder, .path] | join(" ")')" "200 $id photos $snapshot_path"
expect_eq "it counts the source's regular files and their bytes" \
    "$(js '[.files, .bytes] | join(" ")')" \
    "$(find "$src/photos" -type f | wc -l) $(find "$src/photos" -type f -printf '%s\n' | awk '{s += $1} END {print s}')"
expect_eq "it has a manifest and was never verified" \
    "$(js '[.manifest.algorithm, (.manifest.digest | length > 0), .verify_state] | join(" ")')" \
    "xxh3-128 true never"
expect_eq "the manifest lies outside the browsable tree" \
    "$(find "$dst/$snapshot_path" -name '*.manifest' | wc -l) $(test -f "$dst/$snapshot_path.manifest" && echo beside)" \
    "0 beside"

# --- browse ------------------------------------------------------------------------------------
req GET "/api/v1/snapshots/$id/files"
expect_eq "the top directory lists its entries by name" \
    "$code $(js '[.entries[].name] | join(",")')" "200 2024,empty,favourite,with space.txt"
expect_eq "entries carry their type, and a symlink its target" \
    "$(js '[.entries[] | select(.name == "favourite") | .type, .target] | join(" ")') $(js '.entries[] | select(.name == "2024") | .type')" \
    "symlink 2024/summer/beach.jpg dir"
expect_eq "a file's size and mode are its source's" \
    "$(js '.entries[] | select(.name == "with space.txt") | [.size, .mode] | join(" ")')" \
    "$(stat -c %s "$src/photos/with space.txt") $((8#600))"
req GET "/api/v1/snapshots/$id/files?limit=2"
first_page=$(js '[.entries[].name] | join(",")')
cursor=$(js .next)
req GET "/api/v1/snapshots/$id/files?limit=2&cursor=$(jq -rn --arg c "$cursor" '$c|@uri')"
expect_eq "paging with the cursor walks the directory once" \
    "$first_page|$(js '[.entries[].name] | join(",")')" "2024,empty|favourite,with space.txt"
req GET "/api/v1/snapshots/$id/files?path=2024/summer"
expect_eq "a subdirectory is listed by its path" "$code $(js '[.entries[].name] | join(",")')" \
    "200 beach.jpg"

# --- download ----------------------------------------------------------------------------------
req GET "/api/v1/snapshots/$id/content?path=2024/raw.bin"
expect_eq "the content of a file is its bytes" \
    "$code $(cmp -s "$body" "$src/photos/2024/raw.bin" && echo equal)" "200 equal"
expect_eq "as application/octet-stream with its length" \
    "$(header Content-Type) $(header Content-Length)" \
    "application/octet-stream $(stat -c %s "$src/photos/2024/raw.bin")"
etag=$(header ETag)
expect_eq "its ETag is a quoted digest" "$(printf '%s' "$etag" | grep -cE '^"[0-9a-f]{32}"$')" 1
req GET "/api/v1/snapshots/$id/content?path=2024/raw.bin" -H 'Range: bytes=100-199'
expect_eq "a single range is answered 206 with those bytes" \
    "$code $(header Content-Range) $(cmp -s "$body" <(tail -c +101 "$src/photos/2024/raw.bin" | head -c 100) && echo equal)" \
    "206 bytes 100-199/200000 equal"
req GET "/api/v1/snapshots/$id/content?path=2024/raw.bin" -H 'Range: bytes=300000-'
expect_eq "an unsatisfiable range is answered 416" "$code" 416

# --- bad input on the read routes ----------------------------------------------------------------
req GET "/api/v1/snapshots/$id/content?path=2024"
expect_error "content of a directory" 409 not_a_file
req GET "/api/v1/snapshots/$id/content?path=favourite"
expect_error "content of a symlink" 409 not_a_file
req GET "/api/v1/snapshots/$id/files?path=favourite/x"
expect_error "a path through a symlink inside the snapshot" 403 symlink_in_path
for bad in '..' '2024/../..' '/etc' '2024//summer' '2024/./summer'; do
    req GET "/api/v1/snapshots/$id/files?path=$bad"
    expect_error "path '$bad'" 400 invalid_path
done
req GET "/api/v1/snapshots/$id/files?path=a%00b"
expect_error "a path with NUL (refused with the query string)" 400 invalid_request
req GET "/api/v1/snapshots/$id/files?path=nothing-here"
expect_error "a path the snapshot does not hold" 404 not_found
req GET "/api/v1/snapshots/999999"
expect_error "an unknown snapshot" 404 not_found
req GET "/api/v1/snapshots/abc"
expect_error "a non-numeric snapshot id" 400 invalid_request

# --- verify ------------------------------------------------------------------------------------
req POST "/api/v1/snapshots/$id/verify"
expect_eq "POST .../verify answers 202 with a verify job" "$code $(js .kind)" "202 verify"
verify_id=$(js .id)
expect_eq "the intact snapshot verifies" "$(wait_job "$verify_id")" succeeded
req GET "/api/v1/snapshots/$id"
expect_eq "its verify state is ok, with a time" \
    "$(js '[.verify_state, (.verified_at != null)] | join(" ")')" "ok true"

# Bit rot and a lost file, behind the daemon's back (the hard link is shared with nothing yet).
printf 'X' | dd of="$dst/$snapshot_path/2024/raw.bin" bs=1 seek=1000 conv=notrunc status=none
rm "$dst/$snapshot_path/2024/summer/beach.jpg"
req POST "/api/v1/snapshots/$id/verify"
verify_id=$(js .id)
expect_eq "the damaged snapshot fails to verify" "$(wait_job "$verify_id")" failed
req GET "/api/v1/jobs/$verify_id"
expect_eq "with verify_mismatch, the counts and both paths" \
    "$(js '[.error.code, .verify.mismatched, .verify.missing, (.verify.paths | sort | join(","))] | join(" ")')" \
    "verify_mismatch 1 1 2024/raw.bin,2024/summer/beach.jpg"
expect_audited_failure "the failed verify" "$verify_id" Verify
req GET "/api/v1/snapshots/$id"
expect_eq "the snapshot's verify state is failed" "$(js .verify_state)" failed

req POST "/api/v1/snapshots/999999/verify"
expect_error "verify of an unknown snapshot" 404 not_found
expect_audited_failure "the refused verify" "$(js .job.id)" Verify

# --- jobs of every kind ---------------------------------------------------------------------------
req GET "/api/v1/jobs?kind=verify"
expect_eq "GET /api/v1/jobs?kind=verify lists the three verify jobs" "$(js '.jobs | length')" 3
req GET "/api/v1/backups"
expect_eq "GET /api/v1/backups still lists backups only" "$(js '[.jobs[].kind] | unique | join(",")')" backup
req GET "/api/v1/backups/$verify_id"
expect_error "a verify job is not under /api/v1/backups" 404 not_found
req GET /api/v1/stats
expect_eq "stats count verifies beside backups" \
    "$(js '[.total, .verifies.total, .verifies.succeeded, .verifies.failed] | join(" ")')" "1 3 1 2"

stop_daemon "SIGTERM stops the daemon with status 0"
e2e_finish
