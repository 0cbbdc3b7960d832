#!/usr/bin/env bash
# End to end: the real build/bin/backupd binary, its command line and HTTP, on the backend
# named by BACKUPD_TEST_BACKEND (sqlite, or mysql with BACKUPD_TEST_MYSQL_URL).
#   usage: daemon_cli_test.sh PATH/TO/backupd
set -uo pipefail

BIN=$(realpath "${1:?usage: $0 PATH/TO/backupd}")
BACKEND=${BACKUPD_TEST_BACKEND:-sqlite}
work=$(mktemp -d "${TMPDIR:-/tmp}/backupd-e2e.XXXXXX")
# shellcheck source=tests/e2e/lib/test_database.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/test_database.sh"
failures=0
daemon_pid=""
cleanup() {
  [ -n "$daemon_pid" ] && kill -9 "$daemon_pid" 2>/dev/null
  drop_test_database 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
expect_eq() { # expect_eq WHAT ACTUAL EXPECTED
  if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: got '$2', expected '$3'"; fi
}
expect_contains() { # expect_contains WHAT HAYSTACK NEEDLE
  case "$2" in *"$3"*) pass "$1" ;; *) fail "$1: '$2' lacks '$3'" ;; esac
}

# --- the database under test ---------------------------------------------------------------
use_test_database be2e

cd "$work" || exit 1

# --- command line --------------------------------------------------------------------------
expect_contains "--version prints the version" "$("$BIN" --version)" "backupd "
help=$("$BIN" --help)
for option in listen port-file source-root backup-root database workers config api-token-file; do
  expect_contains "--help lists --$option" "$help" "--$option"
done
expect_contains "--help names environment variables" "$help" "BACKUPD_DATABASE"

"$BIN" --listen nowhere >/dev/null 2>"$work/err"; rc=$?
expect_eq "a bad --listen exits 2" "$rc" 2
expect_contains "a bad --listen names the problem" "$(cat "$work/err")" "HOST:PORT"

"$BIN" migrate --database "postgres://x@y/z" 2>"$work/err"; rc=$?
expect_eq "a bad database URL exits 1" "$rc" 1
expect_contains "a bad URL gets a one-line reason" "$(cat "$work/err")" "invalid database URL"

"$BIN" --listen 0.0.0.0:0 --database "$DB_URL" 2>"$work/err"; rc=$?
expect_eq "non-loopback without tokens is refused" "$rc" 1
expect_contains "the refusal says why" "$(cat "$work/err")" "without API tokens"

# --- migrate -------------------------------------------------------------------------------
"$BIN" migrate --database "$DB_URL" 2>"$work/migrate1"; rc=$?
expect_eq "migrate exits 0" "$rc" 0
expect_contains "migrate applies 0001" "$(cat "$work/migrate1")" "name=0001_jobs_and_audit_log"
"$BIN" migrate --database "$DB_URL" 2>"$work/migrate2"; rc=$?
expect_eq "migrate twice exits 0" "$rc" 0
if grep -q migration_applied "$work/migrate2"; then fail "the second migrate applied something"; else pass "the second migrate is a no-op"; fi

# --- serve ---------------------------------------------------------------------------------
BACKUPD_LISTEN=127.0.0.1:0 "$BIN" serve --database "$DB_URL" --port-file "$work/port" \
  --source-root "$work/src" --backup-root "$work/dst" 2>"$work/serve.log" &
daemon_pid=$!
for _ in $(seq 1 100); do [ -s "$work/port" ] && break; sleep 0.1; done
addr=$(cat "$work/port" 2>/dev/null)
expect_contains "the port file holds the bound address (port 0 honoured from the environment)" "$addr" "127.0.0.1:"

body=$(curl -s -w ' %{http_code}' "http://$addr/healthz")
expect_eq "GET /healthz answers 200 ok" "$body" '{"status":"ok"} 200'
body=$(curl -s -w ' %{http_code}' "http://$addr/no/such/route")
expect_eq "an unknown route is a JSON 404" "$body" '{"error":{"code":"not_found","message":"No such route: /no/such/route"}} 404'
allow=$(curl -s -o /dev/null -D - -X DELETE "http://$addr/healthz" | tr -d '\r' | grep -i '^allow:')
expect_eq "a wrong method is 405 with Allow" "$allow" "Allow: GET"
status=$(curl -s -o /dev/null -w '%{http_code}' -H "X-Big: $(head -c 10000 /dev/zero | tr '\0' a)" "http://$addr/healthz")
expect_eq "an oversized header is 431" "$status" 431
status=$(timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"; printf "GARBAGE\r\n\r\n" >&3; head -1 <&3' _ "${addr##*:}" | tr -d '\r')
expect_contains "a malformed request is 400" "$status" "400"
body=$(curl -s -w ' %{http_code}' "http://$addr/healthz")
expect_eq "the daemon still serves after hostile input" "$body" '{"status":"ok"} 200'

kill -TERM "$daemon_pid"; wait "$daemon_pid"; rc=$?; daemon_pid=""
expect_eq "SIGTERM stops the daemon with status 0" "$rc" 0
expect_contains "the log says it stopped" "$(cat "$work/serve.log")" "event=stopped"
if [ "$BACKEND" = mysql ] && grep -qF "$m_pass" "$work/serve.log"; then
  fail "the log shows the database password"
fi

# --- auth ----------------------------------------------------------------------------------
printf '# tokens\nsecret-token-1\n' >"$work/tokens"
"$BIN" --listen 127.0.0.1:0 --port-file "$work/port2" --database "$DB_URL" \
  --api-token-file "$work/tokens" 2>>"$work/serve.log" &
daemon_pid=$!
for _ in $(seq 1 100); do [ -s "$work/port2" ] && break; sleep 0.1; done
addr=$(cat "$work/port2")
expect_eq "with tokens /healthz stays open" "$(curl -s -o /dev/null -w '%{http_code}' "http://$addr/healthz")" 200
expect_eq "with tokens other routes need one" "$(curl -s -o /dev/null -w '%{http_code}' "http://$addr/other")" 401
expect_eq "a wrong token is refused" "$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer nope' "http://$addr/other")" 401
expect_eq "a right token passes (then 404: no such route)" "$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer secret-token-1' "http://$addr/other")" 404
kill -TERM "$daemon_pid"; wait "$daemon_pid"; daemon_pid=""

if [ "$failures" -gt 0 ]; then echo "$failures check(s) failed" >&2; exit 1; fi
echo "all checks passed"
