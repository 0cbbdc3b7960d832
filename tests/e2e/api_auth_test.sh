#!/usr/bin/env bash
# End to end, API tokens: with --api-token-file every API route needs a bearer token (401 with
# WWW-Authenticate otherwise), /healthz needs none, and listening beyond loopback without
# tokens is refused at start. Its own daemon and database.
#   usage: api_auth_test.sh PATH/TO/backupd
set -uo pipefail
# shellcheck source=tests/e2e/lib/e2e.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/e2e.sh"
e2e_init auth "${1:-}"
make_source_tree
printf '# tokens\ns3cret-token\n' >"$work/tokens"
start_daemon --api-token-file "$work/tokens"

req POST /backup/docs -H 'Authorization: Bearer s3cret-token'; jobs_created=$((jobs_created + 1))
expect_eq "with the token, a backup succeeds" "$code $(js .state)" "200 succeeded"
req GET /api/v1/stats
expect_error "with tokens, no Authorization is 401" 401 unauthorized
expect_eq "the 401 asks for a bearer token" "$(header WWW-Authenticate)" Bearer
req GET /api/v1/stats -H 'Authorization: Bearer wrong-token'
expect_error "a wrong token is 401" 401 unauthorized
req GET /api/v1/stats -H 'Authorization: Bearer s3cret-token'
expect_eq "the right token is 200" "$code $(js .total)" "200 $jobs_created"
req GET /healthz
expect_eq "/healthz needs no token" "$code" 200
stop_daemon "SIGTERM stops the daemon with tokens with status 0"

timeout 30 "$BIN" serve --listen 0.0.0.0:0 --database "$DB_URL" --source-root "$src" \
    --backup-root "$dst" >/dev/null 2>"$work/refused"
rc=$?
expect_eq "listening on 0.0.0.0 without tokens is refused at start" \
    "$([ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] && echo refused)" refused
expect_contains "the refusal mentions tokens" "$(cat "$work/refused")" "tokens"
e2e_finish
