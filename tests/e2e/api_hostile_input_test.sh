#!/usr/bin/env bash
# End to end, hostile input and limits: wrong content types, malformed or oversized bodies and
# headers, unknown routes and methods, invalid queries, and folder names that try to leave the
# source root (refused, audited, never copied). Its own daemon and database.
#   usage: api_hostile_input_test.sh PATH/TO/backupd
set -uo pipefail
# shellcheck source=tests/e2e/lib/e2e.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/e2e.sh"
e2e_init hostile_input "${1:-}"
make_source_tree
start_daemon

# --- bodies, headers, routes, methods ------------------------------------------------------
req POST /api/v1/backups -H 'Content-Type: text/plain' --data-binary '{"folder": "photos"}'
expect_error "a wrong content type is 415" 415 unsupported_media_type
post_json /api/v1/backups '{"folder": '
expect_error "malformed JSON is 400" 400 invalid_request
post_json /api/v1/backups '{"folder": 5}'
expect_error '{"folder": 5} is 400' 400 invalid_request
post_json /api/v1/backups '{"folder": "photos", "colour": "red"}'
expect_error "an unknown field is 400" 400 invalid_request
printf '{"folder": "%s"}' "$(head -c 70000 /dev/zero | tr '\0' a)" >"$work/big.json"
req POST /api/v1/backups -H 'Content-Type: application/json' --data-binary "@$work/big.json"
expect_error "a body over 64 KiB is 413" 413 body_too_large
req GET /api/v1/stats -H "X-Big: $(head -c 9000 /dev/zero | tr '\0' a)"
expect_error "a header over 8 KiB is 431" 431 header_too_large
req GET /api/v1/nothing
expect_error "an unknown route is 404" 404 not_found
req PUT /api/v1/backups
expect_error "a wrong method is 405" 405 method_not_allowed
expect_eq "the 405 has an Allow header" "$(header Allow)" "GET, POST"

# --- invalid queries (fixed dates: the outcome does not depend on today) -------------------
for query in from=2026-02-30 from=garbage from= to= from=20261120 \
    "from=2026-11-20&to=2026-11-19" "start=2026-11-20&end=2026-11-19" \
    "from=2026-11-20T25:00:00Z" action=Purge status=OK limit=0 colour=red; do
    req GET "/api/v1/logs?$query"
    expect_error "logs?$query is 400" 400 invalid_request
done
req GET "/api/v1/backups?state=exploded"
expect_error "an unknown job state is 400" 400 invalid_request
req GET "/api/v1/backups/abc"
expect_error "a non-numeric job id is 400" 400 invalid_request

# --- folder names that try to leave the source root: refused, audited, never copied --------
for path in ..%2Fetc %2Fetc a%00b evil a%2F..%2F..%2Fetc; do
    req POST "/backup/$path"
    expect_eq "POST /backup/$path is refused with 4xx and a JSON error" \
        "${code:0:1} $(js '.error.code != "" and .error.message != ""')" "4 true"
    expect_audited_failure "POST /backup/$path" "$(js .job.id)"
done
post_json /api/v1/backups '{"folder": "photos/../../etc"}'
expect_error '{"folder": "photos/../../etc"} is 400' 400 invalid_folder_name
expect_audited_failure '{"folder": "photos/../../etc"}' "$(js .job.id)"
expect_eq "nothing was copied" "$(find "$dst" -mindepth 1 -maxdepth 1 ! -name .staging | wc -l)" 0

req GET /healthz
expect_eq "the daemon is alive after hostile input" \
    "$code $(kill -0 "$daemon_pid" && echo running)" "200 running"
stop_daemon "SIGTERM stops the daemon with status 0"
e2e_finish
