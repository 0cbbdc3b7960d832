#!/usr/bin/env bash
# End to end, the database goes away and comes back (MariaDB only): /healthz stays 200, /readyz
# and database-backed routes answer 503 database_unavailable in bounded time, and after the
# restart /readyz is 200 again, a new backup succeeds and no job was lost or invented.
#
# Stops and restarts the server it runs beside, so it needs a private one: run it under
# scripts/with-mariadb.sh (MARIADB_PID set), as tests/CMakeLists.txt does.
# BACKUPD_TEST_DB_FREEZE=1 adds a SIGSTOP phase (slow: ~50 s).
#   usage: api_database_outage_test.sh PATH/TO/backupd
set -uo pipefail
# shellcheck source=tests/e2e/lib/e2e.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/e2e.sh"

if [ "${BACKUPD_TEST_BACKEND:-}" != mysql ] || [ -z "${MARIADB_PID:-}" ]; then
    if [ "${CI:-}" = true ]; then echo "FAIL: needs BACKUPD_TEST_BACKEND=mysql and MARIADB_PID under CI" >&2; exit 1; fi
    echo "skipped: needs BACKUPD_TEST_BACKEND=mysql under scripts/with-mariadb.sh"; exit 77
fi
db_restarted_pid=""
# A server this case restarted is its child: stop it before with-mariadb.sh deletes its data.
e2e_case_cleanup() {
    kill -CONT "$MARIADB_PID" 2>/dev/null
    drop_test_database 2>/dev/null || true
    if [ -n "$db_restarted_pid" ]; then kill "$db_restarted_pid" 2>/dev/null; wait "$db_restarted_pid"; fi
}
e2e_init database_outage "${1:-}"
make_source_tree
start_daemon

req POST /backup/docs; jobs_created=$((jobs_created + 1))
expect_eq "before the outage a backup succeeds" "$code $(js .state)" "200 succeeded"

timed() { # timed WHAT STATUS CODE METHOD PATH: expects an error answer and reports its time
    local started=$SECONDS
    CURL_MAX_TIME=120 req "$4" "$5"
    expect_error "$1 (answered in $((SECONDS - started)) s)" "$2" "$3"
}
ready() { req GET /readyz; [ "$code" = 200 ]; }
wait_ready() { # wait_ready WHAT: /readyz 200 within 60 s, or the case fails
    local started=$SECONDS
    wait_until 60 "$1" ready
    pass "$1 (after $((SECONDS - started)) s)"
}
mariadb_stopped() { ! kill -0 "$MARIADB_PID" 2>/dev/null; }

if [ "${BACKUPD_TEST_DB_FREEZE:-0}" = 1 ]; then
    # SIGSTOP: the server accepts TCP but never answers; pooled connections wait out their
    # read timeout, so the first answers are slow.
    kill -STOP "$MARIADB_PID"
    req GET /healthz; expect_eq "frozen database: /healthz stays 200" "$code" 200
    timed "frozen database: /readyz is 503" 503 database_unavailable GET /readyz
    timed "frozen database: /api/v1/stats is 503" 503 database_unavailable GET /api/v1/stats
    kill -CONT "$MARIADB_PID"
    wait_ready "thawed database: /readyz is 200 again"
fi

# Stop the server cleanly and restart it with its own command line: same port, same data.
mapfile -d '' -t db_argv <"/proc/$MARIADB_PID/cmdline"
kill -TERM "$MARIADB_PID"
wait_until 60 "MariaDB to stop after SIGTERM" mariadb_stopped
req GET /healthz; expect_eq "database down: /healthz stays 200" "$code" 200
timed "database down: /readyz is 503" 503 database_unavailable GET /readyz
timed "database down: /api/v1/stats is 503" 503 database_unavailable GET /api/v1/stats
timed "database down: POST /backup/docs is 503" 503 database_unavailable POST /backup/docs
"${db_argv[@]}" >/dev/null 2>&1 &
db_restarted_pid=$!
wait_ready "database restarted: /readyz is 200 again"
req POST /backup/docs; jobs_created=$((jobs_created + 1))
expect_eq "database restarted: a new backup succeeds" "$code $(js .state)" "200 succeeded"
req GET /api/v1/stats
expect_eq "database restarted: no job was lost or invented" "$(js .total)" "$jobs_created"

stop_daemon "SIGTERM stops the daemon with status 0"
e2e_finish
