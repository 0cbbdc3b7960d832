#!/usr/bin/env bash
# End to end, token scopes: a token file with a read-only (monitoring) token, a backup token, a
# read+backup token, an admin token given as its sha256: digest and a token without scopes. Each
# route class answers 200/201/202 (or its usual refusal) with the scope and 403
# insufficient_scope naming the scope without it; an in-place restore needs admin; 401 and
# /healthz as before. Token files with an unknown scope or bad hex are refused at start, naming
# the line and never the token. Its own daemon and database.
#   usage: api_scopes_test.sh PATH/TO/backupd
set -uo pipefail
# shellcheck source=tests/e2e/lib/e2e.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/e2e.sh"
e2e_init scopes "${1:-}"
make_source_tree

admin_digest=$(printf %s admin-token-4 | sha256sum | cut -d' ' -f1)
cat >"$work/tokens" <<TOKENS
# Prometheus and dashboards: read only
read-token-1 scopes=read
backup-token-2 scopes=backup
client-token-3	scopes=read,backup
sha256:$admin_digest scopes=admin
all-token-5
TOKENS
start_daemon --api-token-file "$work/tokens"

# as TOKEN METHOD PATH [JSON]: one request with that bearer token, with a JSON body when given.
as() {
    local token=$1 method=$2 path=$3
    if [ $# -ge 4 ]; then
        req "$method" "$path" -H "Authorization: Bearer $token" \
            -H 'Content-Type: application/json' --data-binary "$4"
    else
        req "$method" "$path" -H "Authorization: Bearer $token"
    fi
}
# expect_scope WHAT SCOPE: the last answer was 403 insufficient_scope naming SCOPE.
expect_scope() {
    expect_eq "$1: 403 insufficient_scope naming $2" "$code $(js .error.code) $(js .error.message)" \
        "403 insufficient_scope The API token lacks the scope this request needs: $2"
}
restore_jobs() { as client-token-3 GET '/api/v1/jobs?kind=restore&limit=1000'; js '.jobs | length'; }
plan='{"name": "nightly", "folder": "photos", "schedule": "@daily", "retention": {}}'

# --- no token, /healthz --------------------------------------------------------------------------
req GET /api/v1/stats
expect_error "no token is still 401" 401 unauthorized
as wrong-token GET /api/v1/stats
expect_error "an unknown token is still 401" 401 unauthorized
req GET /healthz
expect_eq "/healthz needs no token" "$code" 200

# --- read (monitoring) ---------------------------------------------------------------------------
as read-token-1 GET /api/v1/stats
expect_eq "read: GET /api/v1/stats" "$code $(js .total)" "200 0"
as read-token-1 GET /metrics
expect_eq "read: GET /metrics (a Prometheus scrape)" "$code" 200
expect_eq "read: HEAD /api/v1/jobs" \
    "$(curl -s -m 30 -o /dev/null -w '%{http_code}' -I -H 'Authorization: Bearer read-token-1' "$base/api/v1/jobs")" 200
as read-token-1 POST /api/v1/backups '{"folder": "photos"}'
expect_scope "read: POST /api/v1/backups" backup
expect_eq "the 403 says which scope in WWW-Authenticate" "$(header WWW-Authenticate)" \
    'Bearer error="insufficient_scope", scope="backup"'
as read-token-1 POST /backup/docs
expect_scope "read: POST /backup/docs" backup
as read-token-1 POST /api/v1/plans "$plan"
expect_scope "read: POST /api/v1/plans" admin
as read-token-1 GET /api/v1/stats
expect_eq "the refused requests created no job" "$code $(js .total)" "200 0"

# --- backup ----------------------------------------------------------------------------------------
as backup-token-2 POST '/api/v1/backups?wait=30' '{"folder": "photos"}'
expect_eq "backup: POST /api/v1/backups" "$code $(js .state)" "200 succeeded"
job=$(js .id)
as backup-token-2 GET "/api/v1/jobs/$job"
expect_scope "backup (without read): GET /api/v1/jobs/{id}" read
as backup-token-2 DELETE "/api/v1/jobs/$job"
expect_error "backup: DELETE /api/v1/jobs/{id} passes the scope check (the job has ended)" 409 \
    already_finished
as backup-token-2 DELETE "/api/v1/backups/$job"
expect_error "backup: DELETE /api/v1/backups/{id} passes the scope check" 409 already_finished
as client-token-3 GET '/api/v1/snapshots?folder=photos'
expect_eq "read+backup: GET /api/v1/snapshots" "$code $(js '.snapshots | length')" "200 1"
snapshot=$(js '.snapshots[0].id')
as backup-token-2 POST "/api/v1/snapshots/$snapshot/verify?wait=30"
expect_eq "backup: POST /api/v1/snapshots/{id}/verify" "$code $(js .kind) $(js .state)" \
    "200 verify succeeded"
as backup-token-2 POST '/api/v1/restores?wait=30' "{\"snapshot\": $snapshot}"
expect_eq "backup: POST /api/v1/restores into the restore root" "$code $(js .state)" \
    "200 succeeded"
restores=$(restore_jobs)
rm "$src/photos/2024/summer/beach.jpg"
as client-token-3 POST /api/v1/restores \
    "{\"snapshot\": $snapshot, \"in_place\": true, \"overwrite\": \"always\"}"
expect_scope "read+backup: an in-place restore" admin
expect_eq "the refused in-place restore created no job" "$(restore_jobs)" "$restores"
expect_eq "and restored nothing" "$([ -e "$src/photos/2024/summer/beach.jpg" ] && echo back || echo absent)" absent
as backup-token-2 POST /api/v1/plans "$plan"
expect_scope "backup: POST /api/v1/plans" admin
as backup-token-2 POST "/api/v1/snapshots/$snapshot/pin"
expect_scope "backup: POST /api/v1/snapshots/{id}/pin" admin
as backup-token-2 DELETE "/api/v1/snapshots/$snapshot"
expect_scope "backup: DELETE /api/v1/snapshots/{id}" admin
as client-token-3 POST /backup/docs
expect_eq "read+backup: POST /backup/docs" "$code $(js .state)" "200 succeeded"

# --- admin (its line holds only the token's sha256:) -----------------------------------------------
as admin-token-4 POST /api/v1/plans "$plan"
expect_eq "admin (sha256: line): POST /api/v1/plans" "$code $(js .name)" "201 nightly"
as admin-token-4 PUT /api/v1/plans/nightly "$plan"
expect_eq "admin: PUT /api/v1/plans/{name}" "$code" 200
as admin-token-4 POST "/api/v1/snapshots/$snapshot/pin"
expect_eq "admin: POST /api/v1/snapshots/{id}/pin" "$code $(js .pinned)" "200 true"
as admin-token-4 DELETE "/api/v1/snapshots/$snapshot/pin"
expect_eq "admin: DELETE /api/v1/snapshots/{id}/pin" "$code $(js .pinned)" "200 false"
as admin-token-4 POST '/api/v1/restores?wait=30' \
    "{\"snapshot\": $snapshot, \"in_place\": true, \"overwrite\": \"if-changed\"}"
expect_eq "admin: an in-place restore" "$code $(js .state)" "200 succeeded"
expect_eq "the deleted source file is back" "$(cat "$src/photos/2024/summer/beach.jpg")" beach
as admin-token-4 GET /api/v1/stats
expect_eq "admin grants read too" "$code" 200
as admin-token-4 POST '/api/v1/backups?wait=30' '{"folder": "docs"}'
expect_eq "admin grants backup too" "$code $(js .state)" "200 succeeded"
as all-token-5 POST /api/v1/plans/nightly/run
expect_eq "a token without scopes: POST /api/v1/plans/{name}/run" "$code $(js .plan)" "202 nightly"
as all-token-5 DELETE /api/v1/plans/nightly
expect_eq "a token without scopes: DELETE /api/v1/plans/{name}" "$code" 204
as admin-token-4 DELETE "/api/v1/snapshots/$snapshot"
expect_eq "admin: DELETE /api/v1/snapshots/{id}" "$code $(js .kind)" "202 prune"
as "sha256:$admin_digest" GET /api/v1/stats
expect_error "the digest itself is not a token" 401 unauthorized
stop_daemon "SIGTERM stops the daemon with scoped tokens with status 0"

# --- bad token files are refused at start ------------------------------------------------------
refused_at_start() { # refused_at_start WHAT FILE_CONTENT EXPECTED_MESSAGE
    printf '%s\n' "$2" >"$work/bad-tokens"
    timeout 30 "$BIN" serve --listen 127.0.0.1:0 --database "$DB_URL" --source-root "$src" \
        --backup-root "$dst" --api-token-file "$work/bad-tokens" >/dev/null 2>"$work/refused"
    local rc=$?
    expect_eq "$1 is refused at start" \
        "$([ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] && echo refused)" refused
    expect_contains "$1: the message names the line" "$(cat "$work/refused")" "$3"
    expect_eq "$1: the message never shows the token" \
        "$(grep -c 'hush-hush' "$work/refused")" 0
}
refused_at_start "an unknown scope" $'# ok\nfine-token\nhush-hush scopes=read,wrte' \
    "line 3: unknown or empty scope"
refused_at_start "a sha256: line with 63 digits" "sha256:${admin_digest:1} scopes=read" \
    "line 1: sha256: needs exactly 64 hexadecimal digits"
refused_at_start "two tokens on one line" "hush-hush other-hush-hush" "line 1: expected"
e2e_finish
