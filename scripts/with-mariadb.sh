#!/usr/bin/env bash
# Runs a command beside a throwaway MariaDB server (docs/toolchain.md section 3).
#
#   scripts/with-mariadb.sh COMMAND [ARGS...]
#
# Starts mariadbd on a free loopback port with its data in a temp directory, creates an account
# allowed to create databases, exports BACKUPD_TEST_MYSQL_URL (mysql://...@127.0.0.1:PORT/mysql)
# and MARIADB_PID / MARIADB_DATADIR / MARIADB_SOCKET for tests that stop and restart it, runs
# the command, then stops the server and deletes its data. Exits with the command's status.
# If the server cannot start, prints its log and exits 1.
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

for tool in mariadb-install-db mariadb-admin mariadb; do
  command -v "$tool" >/dev/null || { echo "with-mariadb: $tool not found (run scripts/install-deps.sh)" >&2; exit 1; }
done
MARIADBD=$(command -v mariadbd || echo /usr/sbin/mariadbd)

db_dir=$(mktemp -d "${TMPDIR:-/tmp}/backupd-mariadb.XXXXXX")
socket="$db_dir/mysqld.sock"
user_args=()
if [ "$(id -u)" -eq 0 ]; then user_args=(--user=root); fi

# A port nothing listens on now; a race with another process is caught by the start retry.
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
}

server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$db_dir"
}
trap cleanup EXIT

mariadb-install-db --no-defaults "${user_args[@]}" --datadir="$db_dir/data" \
  --auth-root-authentication-method=normal --skip-test-db >"$db_dir/install.log" 2>&1 || {
  cat "$db_dir/install.log" >&2; exit 1; }

start_server() {
  port=$(free_port)
  "$MARIADBD" --no-defaults "${user_args[@]}" --datadir="$db_dir/data" --socket="$socket" \
    --port="$port" --bind-address=127.0.0.1 --skip-name-resolve --skip-log-bin \
    --innodb-buffer-pool-size=64M --pid-file="$db_dir/mysqld.pid" \
    --log-error="$db_dir/error.log" &
  server_pid=$!
  for _ in $(seq 1 300); do
    if mariadb-admin --no-defaults --socket="$socket" -uroot ping >/dev/null 2>&1; then return 0; fi
    kill -0 "$server_pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

started=false
for _ in 1 2 3; do
  if start_server; then started=true; break; fi
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
done
if [ "$started" != true ]; then
  echo "with-mariadb: MariaDB did not start:" >&2
  cat "$db_dir/error.log" >&2
  exit 1
fi

password=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
mariadb --no-defaults --socket="$socket" -uroot <<SQL
CREATE USER 'backupd_test'@'127.0.0.1' IDENTIFIED BY '$password';
CREATE USER 'backupd_test'@'localhost' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON *.* TO 'backupd_test'@'127.0.0.1';
GRANT ALL PRIVILEGES ON *.* TO 'backupd_test'@'localhost';
SQL

export BACKUPD_TEST_MYSQL_URL="mysql://backupd_test:$password@127.0.0.1:$port/mysql"
export MARIADB_PID=$server_pid MARIADB_DATADIR="$db_dir/data" MARIADB_SOCKET=$socket
echo "with-mariadb: MariaDB $(mariadb --version | sed 's/.*Distrib \([^,]*\).*/\1/') on 127.0.0.1:$port" >&2

set +e
"$@"
status=$?
set -e
exit "$status"
