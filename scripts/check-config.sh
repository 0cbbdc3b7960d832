#!/usr/bin/env bash
# Checks the documented example configuration against the daemon that reads it:
#   1. every option of `backupd --help` has a `key = value` line (or an optional `# key = value`
#      line) and its env var and default documented, and the file names no key the daemon lacks;
#   2. the daemon starts with the file, every optional line switched on, and stops with exit 0
#      on SIGTERM (paths moved to a temp dir by flags, which take precedence over the file);
#   3. an unknown key is refused at start-up.
# Runnable by hand; scripts/check-deb.sh runs it too.
#   scripts/check-config.sh [BACKUPD_BINARY] [CONFIG_FILE]
set -euo pipefail
cd "$(dirname "$0")/.."

binary=${1:-build/bin/backupd}
config=${2:-deploy/backupd.conf}
[ -x "$binary" ] || { echo "check-config: no daemon at $binary (make build)" >&2; exit 1; }

fail() { echo "check-config: FAIL: $*" >&2; exit 1; }

work=$(mktemp -d)
daemon_pid=
cleanup() {
  if [ -n "$daemon_pid" ]; then kill "$daemon_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# 1. The file documents exactly the daemon's options. `config` names the file itself.
"$binary" --help >"$work/help"
mapfile -t options < <(sed -n 's/^  --\([a-z-]*\).*/\1/p' "$work/help" | grep -vx config)
[ "${#options[@]}" -ge 10 ] || fail "found only ${#options[@]} options in --help"
for option in "${options[@]}"; do
  grep -Eq "^(# )?$option = " "$config" || fail "$config has no '$option = ...' line"
  # The option's "env BACKUPD_X; default Y" line, as --help prints it.
  env_line=$(awk -v flag="  --$option" '$1 == substr(flag, 3) { found = 1 }
    found && /^      env / { sub(/^ +/, ""); print; exit }' "$work/help")
  [ -n "$env_line" ] || fail "--help shows no env line for $option"
  grep -Fq "# $env_line" "$config" ||
    fail "$config does not document '$env_line' for $option (as '# $env_line')"
done
while read -r key; do
  printf '%s\n' "${options[@]}" | grep -qx "$key" || fail "$config sets '$key', which backupd lacks"
done < <(sed -nE 's/^(# )?([a-z][a-z-]*) = .*/\2/p' "$config")

# 2. The daemon accepts the file with every optional key switched on.
sed -E 's/^# ([a-z][a-z-]* = )/\1/' "$config" >"$work/all.conf"
echo "token-for-check-config" >"$work/tokens"
sed -i -E "s|^api-token-file = .*|api-token-file = $work/tokens|" "$work/all.conf"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=check-config \
  -addext subjectAltName=IP:127.0.0.1 \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
sed -i -E -e "s|^tls-cert = .*|tls-cert = $work/cert.pem|" \
  -e "s|^tls-key = .*|tls-key = $work/key.pem|" "$work/all.conf"
"$binary" serve --config "$work/all.conf" --listen 127.0.0.1:0 --port-file "$work/address" \
  --source-root "$work/sources" --backup-root "$work/backups" --database "sqlite:$work/db" \
  --log-level warn 2>"$work/log" &
daemon_pid=$!
for _ in $(seq 100); do
  [ -s "$work/address" ] && break
  kill -0 "$daemon_pid" 2>/dev/null || { cat "$work/log" >&2; fail "backupd did not start with $config"; }
  sleep 0.1
done
[ -s "$work/address" ] || fail "backupd wrote no port file within 10 s"
curl -fsS --cacert "$work/cert.pem" "https://$(cat "$work/address")/healthz" >/dev/null ||
  fail "/healthz did not answer over HTTPS (tls-cert, tls-key)"
status=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$work/cert.pem" \
  "https://$(cat "$work/address")/api/v1/stats")
[ "$status" = 401 ] || fail "api-token-file from the file is not in force (stats answered $status)"
kill -TERM "$daemon_pid"
rc=0
wait "$daemon_pid" || rc=$?
daemon_pid=
[ "$rc" -eq 0 ] || { cat "$work/log" >&2; fail "backupd exited $rc on SIGTERM"; }

# 3. A misspelt key is an error, not silently ignored.
{ cat "$config"; echo "listen-adress = 127.0.0.1:1"; } >"$work/bad.conf"
if "$binary" serve --config "$work/bad.conf" --listen 127.0.0.1:0 --source-root "$work/sources" \
  --backup-root "$work/backups" --database "sqlite:$work/db" >/dev/null 2>"$work/bad.log"; then
  fail "backupd accepted an unknown key"
fi
grep -q "unrecognised option 'listen-adress'" "$work/bad.log" ||
  fail "unexpected message for an unknown key: $(cat "$work/bad.log")"

echo "check-config: OK: $config documents all ${#options[@]} options and backupd accepts it"
