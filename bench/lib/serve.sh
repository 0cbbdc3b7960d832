# Shared by the benchmarks that run `backupd serve` against SQLite and a throwaway MariaDB
# (http.sh, scale.sh). Sourced after the script has set repo_root, BACKUPD, BACKENDS and die().
# shellcheck shell=bash
# Variables cross the boundary both ways (repo_root in, scratch/bin/addr/daemon_pid out):
# shellcheck disable=SC2154,SC2034

# bench_beside_mariadb GUARD ARGS...: when BACKENDS names mariadb, reruns the calling script
# beside a throwaway server (scripts/with-mariadb.sh stops it when the script exits). GUARD is
# the environment variable that marks the rerun.
bench_beside_mariadb() {
  local guard=$1
  shift
  if [[ " $BACKENDS " == *" mariadb "* && -z "${!guard:-}" ]]; then
    export "$guard=1"
    exec "$repo_root/scripts/with-mariadb.sh" bash "$0" "$@"
  fi
}

# bench_scratch NAME: builds build/bin/backupd when it is the missing default, then makes
# $scratch (removed at exit, after stopping the daemon and running bench_cleanup_extra if the
# script defines it) and copies the binary to $bin, so a concurrent build cannot swap it.
bench_scratch() {
  if [ ! -x "$BACKUPD" ]; then
    [ "$BACKUPD" = "$repo_root/build/bin/backupd" ] || die "no backupd binary at $BACKUPD"
    cmake --build "$repo_root/build" >&2
  fi
  scratch=$(mktemp -d "${TMPDIR:-/tmp}/backupd-$1-bench.XXXXXX")
  daemon_pid=""
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM  # run the cleanup on Ctrl-C too (the daemon stops on SIGINT itself)
  bin=$scratch/backupd
  cp "$BACKUPD" "$bin"
  "$bin" --version >/dev/null 2>&1 || die "$BACKUPD does not run (half-built?)"
}
bench_cleanup() {
  if [ -n "$daemon_pid" ]; then kill "$daemon_pid" 2>/dev/null || true; wait "$daemon_pid" 2>/dev/null || true; fi
  if declare -F bench_cleanup_extra >/dev/null; then bench_cleanup_extra; fi
  rm -rf "$scratch"
}

# The "# backupd:" and "# machine:" lines of a report.
bench_header() {
  echo "# backupd: $("$bin" --version 2>&1 | head -n1)"
  echo "# machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)," \
    "$(awk '/MemTotal/ {printf "%.0f GiB RAM", $2 / 1048576}' /proc/meminfo), kernel $(uname -r)," \
    "load $(cut -d' ' -f1-3 /proc/loadavg)"
}

# bench_mariadb_database NAME: beside a throwaway server (BACKUPD_TEST_MYSQL_URL set), sets
# m_user, m_pass, m_host, m_port, defines mariadb_client ARGS... and mariadb_sql SQL, and creates
# the database NAME. Passwords travel in the environment only.
bench_mariadb_database() {
  [ -n "${BACKUPD_TEST_MYSQL_URL:-}" ] || return 0
  local rest=${BACKUPD_TEST_MYSQL_URL#mysql://}
  m_user=${rest%%:*}; rest=${rest#*:}; m_pass=${rest%%@*}; rest=${rest#*@}
  m_host=${rest%%:*}; rest=${rest#*:}; m_port=${rest%%/*}
  mariadb_client() { MYSQL_PWD=$m_pass mariadb --no-defaults -h "$m_host" -P "$m_port" -u "$m_user" -N -B "$@"; }
  mariadb_sql() { mariadb_client -e "$1"; }
  mariadb_sql "CREATE DATABASE $1 CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
}

# start_daemon BACKEND [SERVE OPTIONS...]: starts `backupd serve` on the script's
# database_url BACKEND, sources under $scratch/src; sets daemon_pid and addr.
start_daemon() {
  local backend=$1
  shift
  rm -f "$scratch/port"
  BACKUPD_DATABASE_PASSWORD=${m_pass:-} "$bin" serve --listen 127.0.0.1:0 --port-file "$scratch/port" \
    --database "$(database_url "$backend")" --source-root "$scratch/src" \
    --backup-root "$scratch/backups-$backend" --log-level warn "$@" 2>>"$scratch/daemon.log" &
  daemon_pid=$!
  for _ in $(seq 1 600); do
    grep -qE '^127\.0\.0\.1:[0-9]+$' "$scratch/port" 2>/dev/null && break
    kill -0 "$daemon_pid" 2>/dev/null || { cat "$scratch/daemon.log" >&2; die "backupd ($backend) did not start"; }
    sleep 0.1
  done
  addr=$(cat "$scratch/port")
}
stop_daemon() {
  local rc=0
  kill -TERM "$daemon_pid"
  wait "$daemon_pid" || rc=$?
  daemon_pid=""
  [ "$rc" -eq 0 ] || { tail -n 20 "$scratch/daemon.log" >&2; die "backupd exited with status $rc on SIGTERM"; }
}
