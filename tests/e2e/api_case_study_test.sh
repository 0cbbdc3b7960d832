#!/usr/bin/env bash
# End to end: the case study walked over real HTTP against the real build/bin/backupd, on the
# backend named by BACKUPD_TEST_BACKEND (sqlite, or mysql with BACKUPD_TEST_MYSQL_URL). With
# the MariaDB of scripts/with-mariadb.sh (MARIADB_PID set) it also stops and restarts the
# database mid-test; BACKUPD_TEST_DB_FREEZE=1 adds a SIGSTOP phase (slow: ~50 s).
#   usage: api_case_study_test.sh PATH/TO/backupd
set -uo pipefail

BIN=$(realpath "${1:?usage: $0 PATH/TO/backupd}")
BACKEND=${BACKUPD_TEST_BACKEND:-sqlite}
work=$(mktemp -d "${TMPDIR:-/tmp}/backupd-api-e2e.XXXXXX")
# shellcheck source=tests/e2e/lib/test_database.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/test_database.sh"
src="$work/src" dst="$work/dst"
failures=0 jobs_created=0 daemon_pid="" db_restarted_pid="" base="" code=""

# --- helpers ------------------------------------------------------------------------------
cleanup() {
  [ -n "$daemon_pid" ] && kill -9 "$daemon_pid" 2>/dev/null
  [ -n "${MARIADB_PID:-}" ] && kill -CONT "$MARIADB_PID" 2>/dev/null
  drop_test_database 2>/dev/null || true
  # A server this test restarted is its child: stop it before with-mariadb.sh deletes its data.
  if [ -n "$db_restarted_pid" ]; then kill "$db_restarted_pid" 2>/dev/null; wait "$db_restarted_pid"; fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
expect_eq() { # expect_eq WHAT ACTUAL EXPECTED
  if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: got '$2', expected '$3'"; fi
}
expect_contains() { # expect_contains WHAT HAYSTACK NEEDLE
  case "$2" in *"$3"*) pass "$1" ;; *) fail "$1: '${2:0:300}' lacks '$3'" ;; esac
}

# req METHOD PATH [CURL ARGS...]: one request to the daemon. Sets $code; the body lands in
# $work/body (and is kept in $work/bodies for the leak check), the headers in $work/headers.
req() {
  local method=$1 path=$2
  shift 2
  code=$(curl -s -m "${CURL_MAX_TIME:-30}" -o "$work/body" -D "$work/headers" -w '%{http_code}' \
    -X "$method" "$@" "$base$path")
  { cat "$work/body"; echo; } >>"$work/bodies"
}
post_json() { req POST "$1" -H 'Content-Type: application/json' --data-binary "$2"; }

# jv PY_EXPR [FILE]: evaluates PY_EXPR over the JSON document `d` (default: the last body);
# strings print raw, anything else as JSON; "<not JSON>" when the document does not parse.
jv() {
  python3 - "$1" "${2:-$work/body}" <<'PY'
import json, sys
try:
    d = json.load(open(sys.argv[2]))
except ValueError:
    print("<not JSON>"); sys.exit(0)
v = eval(sys.argv[1])
print(v if isinstance(v, str) else json.dumps(v))
PY
}
header() { tr -d '\r' <"$work/headers" | sed -n "s/^$1: //Ip" | head -1; }

# expect_error WHAT STATUS CODE: the last answer had STATUS and {"error":{"code":CODE,"message":...}}.
expect_error() {
  local got
  got=$(jv 'd["error"]["code"] + (" (message)" if d["error"]["message"] else " (empty message)")')
  expect_eq "$1" "$code $got" "$2 $3 (message)"
}

# wait_job ID: polls the job until it ends (at most 30 s); prints its last state.
wait_job() {
  local state=""
  for _ in $(seq 1 300); do
    req GET "/api/v1/backups/$1"
    state=$(jv 'd["state"]')
    case "$state" in succeeded | failed | cancelled) break ;; esac
    sleep 0.1
  done
  echo "$state"
}

# count_logs QUERY: how many audit records GET /api/v1/logs?QUERY returns.
count_logs() { req GET "/api/v1/logs?$1"; jv 'len(d["logs"])'; }

# audited_failure WHAT JOB_ID: a FAILED `Backup` audit record names the job.
audited_failure() {
  req GET "/api/v1/logs?action=Backup&status=FAILED&limit=1000"
  expect_eq "$1 is audited as Backup FAILED" \
    "$(jv "len([r for r in d['logs'] if r['job_id'] == $2])")" 1
}

start_daemon() { # start_daemon PORT_FILE [ARGS...]: backupd in the background; sets daemon_pid, base
  local port_file=$1
  shift
  "$BIN" serve --listen 127.0.0.1:0 --port-file "$port_file" --database "$DB_URL" \
    --source-root "$src" --backup-root "$dst" "$@" 2>>"$work/serve.log" &
  daemon_pid=$!
  for _ in $(seq 1 300); do [ -s "$port_file" ] && break; sleep 0.1; done
  if [ ! -s "$port_file" ]; then echo "FAIL: the daemon did not start" >&2; cat "$work/serve.log" >&2; exit 1; fi
  base="http://$(cat "$port_file")"
}

stop_daemon() { # stop_daemon WHAT: SIGTERM, then expects exit status 0
  kill -TERM "$daemon_pid"
  wait "$daemon_pid"
  expect_eq "$1" "$?" 0
  daemon_pid=""
}

# --- the database under test --------------------------------------------------------------
use_test_database bapi

# --- a source tree: nested and empty directories, odd names, modes, mtimes, links ---------
mkdir -p "$src/photos/2024/summer" "$src/photos/empty" "$src/docs" "$dst"
printf 'beach\n' >"$src/photos/2024/summer/beach.jpg"
head -c 200000 /dev/urandom >"$src/photos/2024/raw.bin"
printf 'secret\n' >"$src/photos/with space.txt"
chmod 600 "$src/photos/with space.txt"
touch -d '2020-01-02 03:04:05' "$src/photos/2024/summer/beach.jpg"
ln -s 2024/summer/beach.jpg "$src/photos/favourite"
echo notes >"$src/docs/notes.txt"
ln -s /etc "$src/evil"
# Many small files copied by one thread: slow enough to be cancelled while running.
python3 -c 'import os, sys
for i in range(20000): open(os.path.join(sys.argv[1], "f%05d" % i), "w").write("x" * 64)' \
  "$(mkdir -p "$src/many" && echo "$src/many")"

start_daemon "$work/port" --copy-threads 1
echo "daemon at $base ($BACKEND)"

# --- 1. the case study: curl -X POST host/backup/photos ------------------------------------
req POST /backup/photos; jobs_created=$((jobs_created + 1))
expect_eq "POST /backup/photos answers 200" "$code" 200
expect_eq "the job succeeded" "$(jv 'd["state"]')" succeeded
snapshot=$(jv 'd["snapshot"]')
expect_contains "the snapshot is named <folder>/<UTC time>-<id>" "$snapshot" "photos/"
if [ -d "$dst/$snapshot" ] && diff -r --no-dereference "$src/photos" "$dst/$snapshot" >"$work/diff" 2>&1; then
  pass "the snapshot directory equals the source (diff -r --no-dereference)"
else
  fail "the snapshot $dst/$snapshot differs from the source: $(head -5 "$work/diff")"
fi
for f in "with space.txt" 2024/summer/beach.jpg; do
  expect_eq "mode and mtime kept: $f" "$(stat -c '%a %Y' "$dst/$snapshot/$f" 2>&1)" "$(stat -c '%a %Y' "$src/photos/$f")"
done
expect_eq "the empty directory is copied" "$(find "$dst/$snapshot/empty" -maxdepth 0 -type d -empty | wc -l)" 1

req POST /backup/nope; jobs_created=$((jobs_created + 1))
expect_error "a missing folder is 404 no_such_directory" 404 no_such_directory
expect_eq "the message names the folder" "$(jv 'd["error"]["message"]')" "No such directory: nope"
nope_id=$(jv 'd["job"]["id"]')
req GET "/api/v1/logs?action=Backup&status=FAILED"
expect_eq "the missing folder is audited as Backup FAILED with the message" \
  "$(jv "[r['message'] for r in d['logs'] if r['job_id'] == $nope_id]")" '["No such directory: nope"]'

# --- 2. the asynchronous API ---------------------------------------------------------------
post_json /api/v1/backups '{"folder": "docs"}'; jobs_created=$((jobs_created + 1))
expect_eq "POST /api/v1/backups answers 202" "$code" 202
location=$(header Location)
expect_eq "Location names the job" "$location" "/api/v1/backups/$(jv 'd["id"]')"
expect_eq "polling the Location ends in succeeded" "$(wait_job "${location##*/}")" succeeded
post_json "/api/v1/backups?wait=10" '{"folder": "docs"}'; jobs_created=$((jobs_created + 1))
expect_eq "?wait=10 returns the finished job" "$code $(jv 'd["state"]')" "200 succeeded"
done_id=$(jv 'd["id"]')

post_json /api/v1/backups '{"folders": ["photos", "missing-1", "../x", "docs"]}'
jobs_created=$((jobs_created + 4))
expect_eq "a batch answers 202" "$code" 202
expect_eq "a batch has a batch_id shared by its jobs" \
  "$(jv 'd["batch_id"] != "" and all(j["batch_id"] == d["batch_id"] for j in d["jobs"])')" true
expect_eq "the batch's jobs come in request order" "$(jv '[j["folder"] for j in d["jobs"]]')" \
  '["photos", "missing-1", "../x", "docs"]'
expect_eq "rejected items are failed jobs with their error" \
  "$(jv '[j["error"]["code"] if j["state"] == "failed" else j["state"] != "failed" for j in d["jobs"]]')" \
  '[true, "no_such_directory", "invalid_folder_name", true]'
batch_ids=$(jv '" ".join(str(j["id"]) for j in d["jobs"])')
for id in $batch_ids; do wait_job "$id" >/dev/null; done
req GET "/api/v1/backups?state=succeeded&limit=1000"
expect_eq "the accepted batch items succeed" "$(jv "len([j for j in d['jobs'] if str(j['id']) in '$batch_ids'.split()])")" 2

req GET /api/v1/backups
expect_eq "GET /api/v1/backups lists every job" "$code $(jv 'len(d["jobs"])') $(jv 'd["next"]')" "200 $jobs_created null"
req GET "/api/v1/backups?state=failed"
expect_eq "state=failed lists only the 3 failed jobs" "$(jv '[j["state"] for j in d["jobs"]]')" \
  '["failed", "failed", "failed"]'
req GET "/api/v1/backups?limit=2"
newest_two=$(jv '[j["id"] for j in d["jobs"]]')
req GET "/api/v1/backups?limit=1"
next=$(jv 'd["next"]')
expect_eq "limit=1 gives the newest job and a cursor" "[$(jv 'd["jobs"][0]["id"]')] $([ "$next" != null ] && echo cursor)" "${newest_two%%,*}] cursor"
req GET "/api/v1/backups?limit=1&cursor=$next"
expect_eq "the cursor continues with the next older job" "[$(jv 'd["jobs"][0]["id"]')]" "[${newest_two#*, }"
req DELETE "/api/v1/backups/$done_id"
expect_error "DELETE of a finished job is 409" 409 already_finished
req DELETE /api/v1/backups/999999
expect_error "DELETE of an unknown job is 404" 404 not_found

# Cancelling a running job: 20000 files copied by one thread take a few seconds.
post_json /api/v1/backups '{"folder": "many"}'; jobs_created=$((jobs_created + 1))
many_id=$(jv 'd["id"]')
for _ in $(seq 1 200); do
  req GET "/api/v1/backups/$many_id"
  grep -q '"state":"queued"' "$work/body" || break
  sleep 0.02
done
if grep -q '"state":"running"' "$work/body"; then
  req DELETE "/api/v1/backups/$many_id"
  expect_eq "DELETE of a running job cancels it" "$code $(jv 'd["state"]')" "200 cancelled"
  for _ in $(seq 1 300); do [ -z "$(find "$dst/.staging" -mindepth 1 2>/dev/null)" ] && break; sleep 0.1; done
  expect_eq "the cancelled job stays cancelled" "$(wait_job "$many_id")" cancelled
  expect_eq "the cancelled copy leaves no snapshot and no staging" \
    "$(find "$dst/many" -mindepth 1 -maxdepth 1 ! -name latest 2>/dev/null | wc -l) $(find "$dst/.staging" -mindepth 1 2>/dev/null | wc -l)" "0 0"
else
  echo "skip: the copy of many/ ended before it could be cancelled ($(jv 'd["state"]'))"
fi

# --- 3. the audit log -----------------------------------------------------------------------
# Every record is written today (UTC); a run straddling midnight UTC may fail the date checks.
today=$(date -u +%F) yesterday=$(date -u -d yesterday +%F)
# 600 rejected folders in one batch: the unfiltered answer spans more than one streamed batch.
post_json /api/v1/backups "{\"folders\": [$(seq -f '"absent-%g"' -s , 1 600)]}"
jobs_created=$((jobs_created + 600))
expect_eq "a batch of 600 absent folders answers 600 failed jobs" \
  "$(jv 'len([j for j in d["jobs"] if j["state"] == "failed"])')" 600
expect_eq "a batch answers 202 (DESIGN.md section 7), even when every item was refused" "$code" 202

req GET /api/v1/logs
expect_eq "GET /api/v1/logs with no criteria is a chunked stream" "$code $(header Transfer-Encoding)" "200 chunked"
all=$(jv 'len(d["logs"])')
expect_eq "the stream parses as JSON, with next null" "$(jv 'd["next"]')" null
cp "$work/body" "$work/all_logs"
expect_eq "the stream holds every record, oldest first, its own Get Log last" \
  "$(jv '[len(set(r["id"] for r in d["logs"])) > 600, [r["at"] for r in d["logs"]] == sorted(r["at"] for r in d["logs"]), d["logs"][-1]["action"]]')" \
  '[true, true, "Get Log"]'
expect_eq "each logs call adds exactly one Get Log record" "$(count_logs '')" "$((all + 1))"
req GET "/api/v1/logs?from=$today&to=$today"
expect_eq "from=today&to=today returns all of today's records" \
  "$(jv 'len(d["logs"])') $(jv "all(r['at'].startswith('$today') for r in d['logs'])")" "$((all + 2)) true"
expect_eq "yesterday's range returns none of today's" "$(count_logs "from=$yesterday&to=$yesterday")" 0
expect_eq "start/end are aliases of from/to" "$(count_logs "start=$today&end=$today")" "$((all + 4))"
req GET "/api/v1/logs?action=Backup&status=FAILED&limit=1000"
expect_eq "action=Backup&status=FAILED filters" \
  "$(jv 'len(d["logs"]) >= 603 and all(r["action"] == "Backup" and r["status"] == "FAILED" for r in d["logs"])')" true
req GET "/api/v1/logs?limit=2"
page1=$(jv '[r["id"] for r in d["logs"]]') next=$(jv 'd["next"]')
expect_eq "limit=2 gives two records and a cursor" "$(jv 'len(d["logs"])') $([ "$next" != null ] && echo cursor)" "2 cursor"
req GET "/api/v1/logs?limit=2&cursor=$next"
page2=$(jv '[r["id"] for r in d["logs"]]')
expect_eq "the cursor continues where the page ended" "${page1%]}, ${page2#[}" \
  "$(jv '[r["id"] for r in d["logs"][:4]]' "$work/all_logs")"
failed_get_logs=$(count_logs 'action=Get%20Log&status=FAILED')
req GET "/api/v1/logs?from=garbage"
expect_error "an invalid logs query is 400" 400 invalid_request
req GET "/api/v1/logs?action=Get%20Log&status=FAILED"
expect_eq "an invalid logs query adds one Get Log FAILED record with the reason" \
  "$(jv 'len(d["logs"])') $(jv '"garbage" in d["logs"][-1]["message"]')" "$((failed_get_logs + 1)) true"

# --- 5. hostile input -----------------------------------------------------------------------
post_json_as() { req POST /api/v1/backups -H "Content-Type: $1" --data-binary "$2"; }
post_json_as text/plain '{"folder": "photos"}'
expect_error "a wrong content type is 415" 415 unsupported_media_type
post_json /api/v1/backups '{"folder": '
expect_error "malformed JSON is 400" 400 invalid_request
post_json /api/v1/backups '{"folder": 5}'
expect_error '{"folder": 5} is 400' 400 invalid_request
post_json /api/v1/backups '{"folder": "photos", "colour": "red"}'
expect_error "an unknown field is 400" 400 invalid_request
printf '{"folder": "%s"}' "$(head -c 70000 /dev/zero | tr '\0' a)" >"$work/big.json"
req POST /api/v1/backups -H 'Content-Type: application/json' --data-binary "@$work/big.json"
expect_error "a body over 64 KiB is 413" 413 body_too_large
req GET /api/v1/stats -H "X-Big: $(head -c 9000 /dev/zero | tr '\0' a)"
expect_error "a header over 8 KiB is 431" 431 header_too_large
req GET /api/v1/nothing
expect_error "an unknown route is 404" 404 not_found
req PUT /api/v1/backups
expect_error "a wrong method is 405" 405 method_not_allowed
expect_eq "the 405 has an Allow header" "$(header Allow)" "GET, POST"
for query in from=2026-02-30 from=garbage from= to= from=20261120 "from=$today&to=$yesterday" \
  "start=$today&end=$yesterday" "from=${today}T25:00:00Z" action=Restore status=OK limit=0 colour=red; do
  req GET "/api/v1/logs?$query"
  expect_error "logs?$query is 400" 400 invalid_request
done
req GET "/api/v1/backups?state=exploded"
expect_error "an unknown job state is 400" 400 invalid_request
req GET "/api/v1/backups/abc"
expect_error "a non-numeric job id is 400" 400 invalid_request

# Folder names that try to leave the source root: rejected, audited, never copied.
for path in ..%2Fetc %2Fetc a%00b evil a%2F..%2F..%2Fetc; do
  req POST "/backup/$path"; jobs_created=$((jobs_created + 1))
  expect_eq "POST /backup/$path is refused with 4xx and a JSON error" \
    "${code:0:1} $(jv 'd["error"]["code"] != "" and d["error"]["message"] != ""')" "4 true"
  audited_failure "POST /backup/$path" "$(jv 'd["job"]["id"]')"
done
post_json /api/v1/backups '{"folder": "photos/../../etc"}'; jobs_created=$((jobs_created + 1))
expect_error '{"folder": "photos/../../etc"} is 400' 400 invalid_folder_name
audited_failure '{"folder": "photos/../../etc"}' "$(jv 'd["job"]["id"]')"
expect_eq "nothing outside the source root was copied" \
  "$(find "$dst" -mindepth 1 -maxdepth 1 ! -name .staging ! -name docs ! -name many ! -name photos | wc -l)" 0
if grep -qF "$work" "$work/bodies"; then
  fail "an answer shows the source root's absolute path: $(grep -F "$work" "$work/bodies" | head -c 300)"
else
  pass "no answer so far shows the absolute source root ($src)"
fi
req GET /healthz
expect_eq "the daemon is alive after hostile input" "$code $(kill -0 "$daemon_pid" && echo running)" "200 running"

# --- 4. statistics ----------------------------------------------------------------------------
get_stats_ok=$(count_logs 'action=Get%20Stats&status=SUCCESS')
req GET /api/v1/stats
expect_eq "GET /api/v1/stats answers 200" "$code" 200
cp "$work/body" "$work/stats"
expect_eq "total = succeeded + failed + queued + running + cancelled" \
  "$(jv 'd["total"] == d["succeeded"] + d["failed"] + d["queued"] + d["running"] + d["cancelled"]')" true
expect_eq "total counts every backup job created ($jobs_created)" "$(jv 'd["total"]')" "$jobs_created"
req GET "/api/v1/backups?limit=1000&state=failed"
expect_eq "the failed count agrees with the job list" "$(jv 'd["failed"]' "$work/stats")" "$(jv 'len(d["jobs"])')"
expect_eq "each stats call adds one Get Stats SUCCESS record" \
  "$(count_logs 'action=Get%20Stats&status=SUCCESS')" "$((get_stats_ok + 1))"
req GET "/api/v1/stats?colour=red"
expect_error "stats with an unknown parameter is 400" 400 invalid_request
expect_eq "... and adds a Get Stats FAILED record" "$(count_logs 'action=Get%20Stats&status=FAILED')" 1
req GET /stats
expect_eq "GET /stats has the shape of /api/v1/stats" "$code $(jv 'sorted(d)')" "200 $(jv 'sorted(d)' "$work/stats")"
req GET "/logs?limit=1"
expect_eq "GET /logs has the shape of /api/v1/logs" "$code $(jv 'sorted(d)') $(jv 'sorted(d["logs"][0])')" \
  "200 $(jv 'sorted(d)' "$work/all_logs") $(jv 'sorted(d["logs"][0])' "$work/all_logs")"

# --- 7. operator routes -----------------------------------------------------------------------
req GET /readyz
expect_eq "GET /readyz answers 200 ready" "$code $(jv 'd["status"]')" "200 ready"
req GET /metrics
expect_eq "GET /metrics answers 200" "$code" 200
expect_eq "/metrics counts succeeded jobs" \
  "$(grep -c '^backupd_jobs{state="succeeded"} [1-9]' "$work/body")" 1
expect_contains "/metrics counts HTTP requests" "$(cat "$work/body")" 'backupd_http_requests_total{'
req GET /api/v1/openapi.yaml
expect_eq "GET /api/v1/openapi.yaml is an OpenAPI document" "$code $(grep -c '^openapi:' "$work/body")" "200 1"

# --- 8. the database goes away and comes back (MySQL) -------------------------------------------
timed() { # timed WHAT STATUS CODE METHOD PATH: expects an error answer and reports its time
  local started=$SECONDS
  CURL_MAX_TIME=120 req "$4" "$5"
  expect_error "$1 (answered in $((SECONDS - started)) s)" "$2" "$3"
}
wait_ready() { # wait_ready WHAT: polls /readyz for up to 60 s
  local started=$SECONDS
  for _ in $(seq 1 120); do req GET /readyz; [ "$code" = 200 ] && break; sleep 0.5; done
  expect_eq "$1 (after $((SECONDS - started)) s)" "$code" 200
}
if [ "$BACKEND" = mysql ] && [ -n "${MARIADB_PID:-}" ] && kill -0 "$MARIADB_PID" 2>/dev/null; then
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
  for _ in $(seq 1 300); do kill -0 "$MARIADB_PID" 2>/dev/null || break; sleep 0.1; done
  req GET /healthz; expect_eq "database down: /healthz stays 200" "$code" 200
  timed "database down: /readyz is 503" 503 database_unavailable GET /readyz
  timed "database down: /api/v1/stats is 503" 503 database_unavailable GET /api/v1/stats
  timed "database down: POST /backup/docs is 503" 503 database_unavailable POST /backup/docs
  "${db_argv[@]}" >/dev/null 2>&1 &
  db_restarted_pid=$!
  wait_ready "database restarted: /readyz is 200 again"
  req POST /backup/docs; jobs_created=$((jobs_created + 1))
  expect_eq "database restarted: a new backup succeeds" "$code $(jv 'd["state"]')" "200 succeeded"
  req GET /api/v1/stats
  expect_eq "database restarted: no job was lost or invented" "$(jv 'd["total"]')" "$jobs_created"
elif [ "$BACKEND" = mysql ]; then
  echo "skip: database outage: MARIADB_PID is not set (run under scripts/with-mariadb.sh)"
fi

# --- 9. SIGTERM -------------------------------------------------------------------------------
stop_daemon "SIGTERM stops the daemon with status 0"

# --- 6. API tokens ------------------------------------------------------------------------------
printf '# tokens\ns3cret-token\n' >"$work/tokens"
start_daemon "$work/port2" --api-token-file "$work/tokens"
req GET /api/v1/stats
expect_error "with tokens, no Authorization is 401" 401 unauthorized
expect_eq "the 401 asks for a bearer token" "$(header WWW-Authenticate)" Bearer
req GET /api/v1/stats -H 'Authorization: Bearer wrong-token'
expect_error "a wrong token is 401" 401 unauthorized
req GET /api/v1/stats -H 'Authorization: Bearer s3cret-token'
expect_eq "the right token is 200" "$code $(jv 'd["total"]')" "200 $jobs_created"
req GET /healthz
expect_eq "/healthz needs no token" "$code" 200
stop_daemon "SIGTERM stops the daemon with tokens with status 0"

timeout 30 "$BIN" serve --listen 0.0.0.0:0 --database "$DB_URL" --source-root "$src" \
  --backup-root "$dst" >/dev/null 2>"$work/refused"
rc=$?
expect_eq "listening on 0.0.0.0 without tokens is refused at start" "$([ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] && echo refused)" refused
expect_contains "the refusal mentions tokens" "$(cat "$work/refused")" "tokens"

if [ "$failures" -gt 0 ]; then echo "$failures check(s) failed" >&2; exit 1; fi
echo "all checks passed"
