#!/usr/bin/env bash
# backupctl against a scripted fake API (lib/fake_api.py on [::1]) for what the real daemon
# cannot be made to do on demand: a redirect (3xx: named, not followed, exit 3), a listing
# cursor that repeats (ls stops, exit 3), 503 and 429 with Retry-After while --wait polls (rides
# them out, exit 0), and the Host header of an IPv6 URL ("[::1]:PORT"). Everything else is
# tested against the real daemon in cli_test.sh.
#   usage: cli_protocol_test.sh PATH/TO/backupctl
set -uo pipefail
CTL=$(realpath "${1:?usage: $0 PATH/TO/backupctl}")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/backupctl-protocol.XXXXXX")
failures=0 fake_pid=""
cleanup() { [ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
expect_eq() { if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: got '$2', expected '$3'"; fi; }
expect_contains() { case "$2" in *"$3"*) pass "$1" ;; *) fail "$1: '$2' lacks '$3'" ;; esac; }

python3 "$here/lib/fake_api.py" "$work/port" "$work" 2>"$work/fake.log" &
fake_pid=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
[ -s "$work/port" ] || { echo "FAIL: the fake API did not start: $(cat "$work/fake.log")" >&2; exit 1; }
port=$(cat "$work/port")
export BACKUPD_URL="http://[::1]:$port" BACKUPD_TOKEN=fake-token
ctl() { timeout 60 "$CTL" "$@" >"$work/out" 2>"$work/err"; rc=$?; }

ctl stats --json
expect_eq "an IPv6 URL: exit 0" "$rc" 0
expect_eq "the Host header brackets the IPv6 address" "$(jq -r .host "$work/out")" "[::1]:$port"

ctl --url "http://[::1]:$port/moved" stats
expect_eq "a redirect is exit 3" "$rc" 3
expect_eq "a redirect names where it points" "$(cat "$work/err")" \
    "backupctl: the server answered 308, redirected to https://elsewhere.example/; use that --url"
expect_eq "a redirect is not followed" "$(grep -c elsewhere "$work/requests")" 0

ctl ls 1
expect_eq "ls with a repeated cursor stops: exit 3" "$rc" 3
expect_contains "ls names the repeated cursor" "$(cat "$work/err")" \
    "repeated the listing cursor 'same-cursor'"
expect_eq "ls asked twice, not forever" "$(grep -c '/snapshots/1/files' "$work/requests")" 2

start=$SECONDS
ctl verify 5 --wait
expect_eq "--wait rides out 503 and 429: exit 0" "$rc" 0
expect_contains "--wait ends with the job's outcome" "$(cat "$work/out")" "verify photos: succeeded"
expect_eq "job 5 was asked until it answered (503, 429, 200)" \
    "$(grep -c 'GET /api/v1/jobs/5 ' "$work/requests")" 3
if [ $((SECONDS - start)) -ge 1 ]; then pass "Retry-After was honoured"; else fail "no pause after Retry-After"; fi

if [ "$failures" -gt 0 ]; then echo "cli_protocol: $failures check(s) failed" >&2; exit 1; fi
echo "cli_protocol: all checks passed"
