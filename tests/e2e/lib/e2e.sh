# Sourced by the end-to-end cases tests/e2e/api_*_test.sh: one daemon per case, its own temp
# directory and database, HTTP through curl, JSON through jq, and every wait bounded.
#
#   . lib/e2e.sh
#   e2e_init NAME PATH/TO/backupd      work dir, database (lib/test_database.sh), cleanup trap
#   make_source_tree                   photos/ docs/ and a symlink evil -> /etc under $src
#   start_daemon [ARGS...]             backupd serve on a free port; sets daemon_pid and base
#   req METHOD PATH [CURL ARGS...]     one request: $code, body in $body, headers in $headers
#   js FILTER [FILE]                   jq -r FILTER over the last body (or FILE), compact JSON
#   expect_eq / expect_contains / expect_error / expect_rejected_and_audited
#   wait_job ID [SECONDS]              polls until the job ends; fails the case at the deadline
#   stop_daemon WHAT                   SIGTERM, expects exit 0 within 30 s
#   e2e_finish                         the leak check, then exit 0 or 1
#
# A case asserts only on what it created itself (its own daemon and database), so cases run in
# any order and in parallel. No wait is unbounded: each has a deadline and fails loudly.
# shellcheck shell=bash disable=SC2034  # variables are read by the sourcing case

e2e_lib_dir=$(dirname "${BASH_SOURCE[0]}")
# shellcheck source=tests/e2e/lib/test_database.sh
. "$e2e_lib_dir/test_database.sh"

failures=0 daemon_pid="" base="" code="" jobs_created=0

e2e_init() { # e2e_init NAME PATH/TO/backupd
    case_name=$1
    BIN=$(realpath "${2:?usage: $0 PATH/TO/backupd}")
    BACKEND=${BACKUPD_TEST_BACKEND:-sqlite}
    command -v jq >/dev/null || { echo "FAIL: jq not found (scripts/install-deps.sh)" >&2; exit 1; }
    work=$(mktemp -d "${TMPDIR:-/tmp}/backupd-e2e-$case_name.XXXXXX")
    src="$work/src" dst="$work/dst" rst="$work/restores" body="$work/body" headers="$work/headers"
    mkdir -p "$src" "$dst"
    : >"$work/bodies"
    trap e2e_cleanup EXIT
    use_test_database "e2e_$case_name"
}

e2e_cleanup() {
    if [ -n "$daemon_pid" ]; then kill -9 "$daemon_pid" 2>/dev/null; wait "$daemon_pid" 2>/dev/null; fi
    if declare -F e2e_case_cleanup >/dev/null; then e2e_case_cleanup; fi
    drop_test_database 2>/dev/null || true
    rm -rf "$work"
}

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
die() { echo "FAIL: $*" >&2; [ -f "$work/serve.log" ] && tail -n 20 "$work/serve.log" >&2; exit 1; }
expect_eq() { # expect_eq WHAT ACTUAL EXPECTED
    if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: got '$2', expected '$3'"; fi
}
expect_contains() { # expect_contains WHAT HAYSTACK NEEDLE
    case "$2" in *"$3"*) pass "$1" ;; *) fail "$1: '${2:0:300}' lacks '$3'" ;; esac
}

# req METHOD PATH [CURL ARGS...]: one request to the daemon (at most CURL_MAX_TIME s, default 30).
# Sets $code; the body lands in $body (and is appended to $work/bodies for the leak check).
req() {
    local method=$1 path=$2
    shift 2
    code=$(curl -s -m "${CURL_MAX_TIME:-30}" -o "$body" -D "$headers" -w '%{http_code}' \
        -X "$method" "$@" "$base$path")
    { cat "$body"; echo; } >>"$work/bodies"
}
post_json() { req POST "$1" -H 'Content-Type: application/json' --data-binary "$2"; }

# js FILTER [FILE]: strings print raw, anything else as compact JSON; "<not JSON>" when the
# document does not parse (or the filter does not apply to it).
js() { jq -rc "$1" "${2:-$body}" 2>/dev/null || echo "<not JSON>"; }
header() { tr -d '\r' <"$headers" | sed -n "s/^$1: //Ip" | head -n 1; }

# expect_error WHAT STATUS CODE: the last answer had STATUS and {"error":{"code":CODE,"message":...}}.
expect_error() {
    expect_eq "$1" "$code $(js '.error.code + (if .error.message != "" then " (message)" else " (empty message)" end)')" \
        "$2 $3 (message)"
}

# expect_audited_failure WHAT JOB_ID [ACTION]: exactly one FAILED audit record of ACTION
# (default Backup) names the job.
expect_audited_failure() {
    local answer="$work/audit.json" action=${3:-Backup}
    curl -s -m 30 -o "$answer" "$base/api/v1/logs?action=$action&status=FAILED&limit=1000"
    expect_eq "$1 is audited as $action FAILED" \
        "$(js "[.logs[] | select(.job_id == $2)] | length" "$answer")" 1
}

# wait_until SECONDS WHAT COMMAND...: runs COMMAND every 0.1 s until it succeeds; fails the
# case (exit 1) naming WHAT when SECONDS pass first.
wait_until() {
    local deadline=$((SECONDS + $1)) what=$2
    shift 2
    until "$@"; do
        [ "$SECONDS" -lt "$deadline" ] || die "timed out after ${deadline}s waiting for: $what"
        sleep 0.1
    done
}

job_state() { req GET "/api/v1/jobs/$1"; js .state; }
job_ended() { case "$(job_state "$1")" in succeeded | failed | cancelled) return 0 ;; esac; return 1; }
# wait_job ID [SECONDS]: polls the job until it ends (default deadline 30 s); prints its state.
wait_job() {
    wait_until "${2:-30}" "job $1 to end" job_ended "$1"
    js .state
}

# start_daemon [ARGS...]: backupd on 127.0.0.1, a port of its choosing, this case's database,
# source, backup and restore roots. Fails the case if it has not written its port within 30 s.
start_daemon() {
    local port_file="$work/port.$RANDOM"
    "$BIN" serve --listen 127.0.0.1:0 --port-file "$port_file" --database "$DB_URL" \
        --source-root "$src" --backup-root "$dst" --restore-root "$rst" "$@" 2>>"$work/serve.log" &
    daemon_pid=$!
    local deadline=$((SECONDS + 30))
    until [ -s "$port_file" ]; do
        kill -0 "$daemon_pid" 2>/dev/null || { daemon_pid=""; die "the daemon exited at start"; }
        [ "$SECONDS" -lt "$deadline" ] || die "the daemon did not write its port within 30 s"
        sleep 0.05
    done
    base="http://$(cat "$port_file")"
    echo "daemon at $base ($BACKEND, $case_name)"
}

daemon_exited() { ! kill -0 "$daemon_pid" 2>/dev/null; }
# stop_daemon WHAT: SIGTERM, then expects exit status 0 within 30 s (the drain default).
stop_daemon() {
    kill -TERM "$daemon_pid"
    wait_until 30 "the daemon to exit after SIGTERM" daemon_exited
    wait "$daemon_pid"
    expect_eq "$1" "$?" 0
    daemon_pid=""
}

# A source tree: nested and empty directories, odd names, modes, mtimes, links, and a symlink
# that points out of the source root.
make_source_tree() {
    mkdir -p "$src/photos/2024/summer" "$src/photos/empty" "$src/docs"
    printf 'beach\n' >"$src/photos/2024/summer/beach.jpg"
    head -c 200000 /dev/urandom >"$src/photos/2024/raw.bin"
    printf 'secret\n' >"$src/photos/with space.txt"
    chmod 600 "$src/photos/with space.txt"
    touch -d '2020-01-02 03:04:05' "$src/photos/2024/summer/beach.jpg"
    ln -s 2024/summer/beach.jpg "$src/photos/favourite"
    echo notes >"$src/docs/notes.txt"
    ln -s /etc "$src/evil"
}

# e2e_finish: no answer of this case showed the absolute source root; then the verdict.
e2e_finish() {
    if grep -qF "$work" "$work/bodies"; then
        fail "an answer shows the absolute path of the work directory: $(grep -F "$work" "$work/bodies" | head -c 300)"
    else
        pass "no answer shows the absolute source root ($src)"
    fi
    if [ "$failures" -gt 0 ]; then echo "$case_name: $failures check(s) failed" >&2; exit 1; fi
    echo "$case_name: all checks passed"
    exit 0
}
