#!/usr/bin/env bash
# End to end: the real daemon speaks systemd's notify protocol (Type=notify units): READY=1
# once serving (after start-up recovery), WATCHDOG=1 every WATCHDOG_USEC/2, STOPPING=1 on
# SIGTERM, then exit 0.
#   usage: systemd_notify_test.sh PATH/TO/backupd
set -uo pipefail

BIN=$(realpath "${1:?usage: $0 PATH/TO/backupd}")
work=$(mktemp -d "${TMPDIR:-/tmp}/backupd-notify.XXXXXX")
daemon_pid="" listener_pid=""
cleanup() {
  [ -n "$daemon_pid" ] && kill -9 "$daemon_pid" 2>/dev/null
  [ -n "$listener_pid" ] && kill "$listener_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
failures=0
expect_grep() { # WHAT PATTERN
  if grep -q "$2" "$work/messages"; then echo "ok: $1"; else echo "FAIL: $1" >&2; failures=$((failures + 1)); fi
}

# A datagram socket standing in for systemd: every message it receives goes to a file.
python3 - "$work/notify.sock" "$work/messages" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "a", buffering=1) as out:
    while True:
        out.write(s.recv(4096).decode() + "\n--\n")
PY
listener_pid=$!
for _ in $(seq 1 50); do [ -S "$work/notify.sock" ] && break; sleep 0.1; done

cd "$work" || exit 1
NOTIFY_SOCKET="$work/notify.sock" WATCHDOG_USEC=400000 "$BIN" serve --listen 127.0.0.1:0 \
  --port-file "$work/port" --database "sqlite:$work/db" --source-root "$work/src" \
  --backup-root "$work/bk" --log-level warn 2>"$work/log" &
daemon_pid=$!
for _ in $(seq 1 100); do grep -q READY=1 "$work/messages" 2>/dev/null && break; sleep 0.1; done
expect_grep "READY=1 once serving" "READY=1"
expect_grep "a STATUS line with the address" "STATUS=serving on 127.0.0.1:"
# READY=1 waits for start-up recovery; until then a STATUS line says so.
first=$(grep -m1 -n "STATUS=recovering" "$work/messages" | cut -d: -f1)
ready=$(grep -m1 -n "READY=1" "$work/messages" | cut -d: -f1)
if [ -n "$first" ] && [ -n "$ready" ] && [ "$first" -lt "$ready" ]; then
  echo "ok: STATUS=recovering before READY=1"
else
  echo "FAIL: no STATUS=recovering before READY=1" >&2; failures=$((failures + 1))
fi
[ -s "$work/port" ] && echo "ok: the port file was written before READY" ||
  { echo "FAIL: no port file at READY" >&2; failures=$((failures + 1)); }
sleep 1
pings=$(grep -c "WATCHDOG=1" "$work/messages")
if [ "$pings" -ge 3 ]; then echo "ok: watchdog pings every 200 ms ($pings in ~1 s)"; else
  echo "FAIL: only $pings watchdog pings in 1 s" >&2; failures=$((failures + 1)); fi
kill -TERM "$daemon_pid"; wait "$daemon_pid"; rc=$?; daemon_pid=""
[ "$rc" -eq 0 ] && echo "ok: SIGTERM exits 0" || { echo "FAIL: exit $rc" >&2; failures=$((failures + 1)); }
expect_grep "STOPPING=1 on SIGTERM" "STOPPING=1"

echo "$failures failure(s)"
[ "$failures" -eq 0 ]
