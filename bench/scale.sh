#!/usr/bin/env bash
# Scale benchmark: the daemon's reads on a big database (ROWS jobs and ROWS audit records: by
# default a million of each, a busy fleet's year), on SQLite and on a throwaway MariaDB, beside the
# same SQL run by the database's own command-line client on the same database:
# GET /api/v1/stats, GET /metrics, a one-day page and the first page of GET /api/v1/logs (median
# latency), and the export of every audit record by one streamed GET /api/v1/logs (rows/s, and the
# daemon's peak RSS before and after it).
#
#   bench/scale.sh            or: bench/run.sh scale, make bench
#   ROWS=20000 bench/scale.sh # a quick run
#
# Environment: BACKUPD (binary, default build/bin/backupd, built if missing), ROWS (jobs, and as
# many audit records, default 1000000), CALLS (timed calls per read, default 21), STREAM_RUNS
# (timed full exports, default 3), BACKENDS (default "sqlite mariadb").
#
# Method: the binary is copied to a temp dir first (a concurrent build cannot swap it mid-run).
# Per backend, `backupd migrate` creates the schema, then SQL seeds it directly (a recursive CTE
# on SQLite, the SEQUENCE engine's seq_1_to_N on MariaDB): every job ended (backups, verifies,
# restores and prunes; succeeded, failed or cancelled: no queued or running rows, which would
# need leases), submitted over the last 365 days in id order, in 300 folders whose folder_key is
# computed here (SHA-256, as store/src/folder_key.cpp), with bytes and file counts; audit
# records over the same year, of every action and both statuses. Values come from a fixed hash
# of the row number, so both backends hold the same rows; `backupd migrate` again then recounts
# the kept counts /stats and /metrics read. Nothing runs ANALYZE (the daemon does not either). Then the daemon starts on that database and, in CALLS rounds, each read is timed
# once through curl (`time_total`, a new connection per call) and once as plain SQL, in turn
# first (the one after /metrics' scans of jobs meets a colder cache): on SQLite
# the statement in a sqlite3 shell kept open, its output discarded (`.once /dev/null`), timed
# around the pipe round trip; on MariaDB the server's own duration of the statement
# (`SHOW PROFILES`) in a mariadb client kept open. The reference SQL is what the store runs (see
# the table of statements printed at the end). The export is timed STREAM_RUNS times each way,
# alternating: curl to a file, and the client printing the same rows to a file (a new process).
# Each /stats and /logs call adds one audit record, so the daemon exports a few more rows than
# ROWS; each side's rows/s uses its own row count.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BACKUPD=${BACKUPD:-$repo_root/build/bin/backupd}
ROWS=${ROWS:-1000000}
CALLS=${CALLS:-21}
STREAM_RUNS=${STREAM_RUNS:-3}
BACKENDS=${BACKENDS:-sqlite mariadb}
FOLDERS=300

die() { echo "scale.sh: $*" >&2; exit 1; }
for tool in curl sqlite3 mariadb sha256sum; do
  command -v "$tool" >/dev/null || die "$tool is missing (run: scripts/install-deps.sh)"
done
[[ "$ROWS" =~ ^[1-9][0-9]*$ && "$CALLS" =~ ^[1-9][0-9]*$ && "$STREAM_RUNS" =~ ^[1-9][0-9]*$ ]] ||
  die "ROWS, CALLS and STREAM_RUNS must be positive whole numbers"
# shellcheck source=bench/lib/serve.sh
. "$repo_root/bench/lib/serve.sh"
bench_beside_mariadb SCALE_BENCH_UNDER_MARIADB "$@"
bench_scratch scale
bench_cleanup_extra() { if [ -n "${SQL_CLIENT_PID:-}" ]; then kill "$SQL_CLIENT_PID" 2>/dev/null || true; fi; }
mkdir -p "$scratch/src"
results=$scratch/results  # tab-separated: backend read daemon-seconds sql-seconds rows-daemon rows-sql
memory=$scratch/memory    # tab-separated: backend start-RSS-KiB HWM-before-KiB HWM-after-KiB RSS-after-KiB export-bytes
setup=$scratch/setup      # tab-separated: backend seed-seconds database-MiB jobs audit-records
plans=$scratch/plans      # tab-separated: backend read plan
: >"$results"; : >"$memory"; : >"$setup"; : >"$plans"

echo "# command: BACKUPD=$BACKUPD ROWS=$ROWS CALLS=$CALLS STREAM_RUNS=$STREAM_RUNS BACKENDS=\"$BACKENDS\" $0"
bench_header
echo "# tools: $(curl --version | head -n1 | cut -d' ' -f1-2), sqlite3 $(sqlite3 --version | cut -d' ' -f1)"

bench_mariadb_database backupd_scale
if [ -n "${BACKUPD_TEST_MYSQL_URL:-}" ]; then
  echo "# mariadb: $(mariadb_sql 'SELECT CONCAT(VERSION(), ", innodb_buffer_pool_size=", @@innodb_buffer_pool_size DIV 1048576, " MiB, innodb_flush_log_at_trx_commit=", @@innodb_flush_log_at_trx_commit)')"
fi

database_url() { if [ "$1" = sqlite ]; then echo "sqlite:$scratch/scale.db"; else echo "mysql://$m_user@$m_host:$m_port/backupd_scale"; fi; }
run_sql() {  # run_sql BACKEND: the SQL on stdin, in one client session, output to stdout
  if [ "$1" = sqlite ]; then sqlite3 -batch -bail "$scratch/scale.db"; else mariadb_client backupd_scale; fi
}
proc_kib() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$daemon_pid/status"; }  # proc_kib VmRSS|VmHWM
seconds_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.6f", b - a}'; }
median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }


# --- seeding ----------------------------------------------------------------------------------
# The dialects differ in a few expressions; these print one for BACKEND.
db_time() {  # db_time BACKEND MICROS_EXPR: the stored time of a Unix time in microseconds
  if [ "$1" = sqlite ]; then  # 'YYYY-MM-DD HH:MM:SS.ffffff', as core::format_db_time writes it
    echo "(strftime('%Y-%m-%d %H:%M:%S', ($2) / 1000000, 'unixepoch') || printf('.%06d', ($2) % 1000000))"
  else
    echo "DATE_ADD(TIMESTAMP '1970-01-01 00:00:00', INTERVAL ($2) MICROSECOND)"
  fi
}
snapshot_stamp() {  # snapshot_stamp BACKEND MICROS_EXPR: 20261124T140523Z, as in snapshot names
  if [ "$1" = sqlite ]; then echo "strftime('%Y%m%dT%H%M%SZ', ($2) / 1000000, 'unixepoch')"
  else echo "DATE_FORMAT($(db_time "$1" "$2"), '%Y%m%dT%H%i%sZ')"; fi
}
concat() {  # concat BACKEND EXPR...: string concatenation (SQLite 3.40 has no CONCAT)
  local backend=$1 out="" part separator=", "
  shift
  [ "$backend" = sqlite ] && separator=" || "
  for part in "$@"; do out+="${out:+$separator}($part)"; done  # SQLite's || binds before %
  if [ "$backend" = sqlite ]; then echo "($out)"; else echo "CONCAT($out)"; fi
}
hex128() {  # hex128 BACKEND A B: 32 lowercase hex digits from two integers
  if [ "$1" = sqlite ]; then echo "printf('%016x%016x', $2, $3)"
  else echo "LOWER(CONCAT(LPAD(HEX($2), 16, '0'), LPAD(HEX($3), 16, '0')))"; fi
}

# 300 folders on 100 hosts; folder_key is the hex SHA-256 of the name (store/src/folder_key.cpp).
folder_values() {
  local n values="" folder
  for ((n = 0; n < FOLDERS; n++)); do
    case $((n % 3)) in 0) folder=home ;; 1) folder=etc ;; *) folder=var/lib/app ;; esac
    folder=$(printf 'host-%03d/%s' $((n / 3)) "$folder")
    values+="${values:+, }($n, '$folder', '$(printf '%s' "$folder" | sha256sum | cut -d' ' -f1)')"
  done
  echo "$values"
}

now_s=$(date -u +%s)
span_us=$((365 * 86400 * 1000000))
start_us=$(((now_s - 365 * 86400 - 3600) * 1000000))  # the last job ends before now
step_us=$((span_us / ROWS)); [ "$step_us" -gt 0 ] || step_us=1

# seed_sql BACKEND: the statements that fill jobs and audit_log (after `backupd migrate`).
seed_sql() {
  local b=$1 source sub started jobs_select audit_select client
  # Per row i: k picks the kind or action, s the state or status, f the folder; t the submission
  # (or audit) time, w the wait in the queue, r the run time, by the bytes of a backup.
  local hashes="i, (i * 2654435761) % 1000003 % 100 AS k, (i * 40503 + 7) % 999983 % 100 AS s,
    (i * 7919) % $FOLDERS AS f, $start_us + (i - 1) * $step_us + (i * 48271) % $step_us AS t,
    (i * 16807) % 5000000 AS w, ((i * 69069) % 1800 + 5) * 1000000 + i % 1000000 AS r,
    (i * 22695477 + 1) % 2147483647 AS bv"
  local job_columns="id, kind, folder, folder_key, state, attempt, max_attempts, submitted_at,
    started_at, finished_at, files_copied, files_linked, bytes_copied, files_total, bytes_total,
    snapshot, manifest_algorithm, manifest_digest, error_code, error_message, node, client_address,
    restore_target, restore_overwrite, restore_in_place, prune_removed, prune_kept"
  local audit_columns="id, at, action, status, folder, job_id, message, client_address"
  local kind="CASE WHEN k < 85 THEN 'backup' WHEN k < 93 THEN 'verify' WHEN k < 98 THEN 'restore' ELSE 'prune' END"
  local state="CASE WHEN s < 93 THEN 'succeeded' WHEN s < 98 THEN 'failed' ELSE 'cancelled' END"
  started="CASE WHEN s >= 98 AND i % 2 = 0 THEN NULL ELSE $(db_time "$b" "t + w") END"
  client=$(concat "$b" "'10.0.'" "i % 250" "'.'" "i % 97 + 1")
  jobs_select="SELECT i, $kind, sf.folder, sf.folder_key, $state,
      CASE WHEN s >= 93 AND s < 98 THEN 1 + i % 3 ELSE 1 END, 3,
      $(db_time "$b" t), $started, $(db_time "$b" "t + w + r"),
      CASE WHEN k < 85 OR (k >= 93 AND k < 98) THEN (i * 37) % 500 ELSE 0 END,
      CASE WHEN k < 85 THEN 500 + (i * 31) % 20000 - (i * 37) % 500 ELSE 0 END,
      CASE WHEN k < 85 THEN bv WHEN k >= 93 AND k < 98 THEN bv % 100000000 ELSE 0 END,
      CASE WHEN k < 98 THEN 500 + (i * 31) % 20000 END,
      CASE WHEN k < 98 THEN bv * 4 END,
      CASE WHEN k < 85 AND s < 93 THEN $(concat "$b" sf.folder "'/'" "$(snapshot_stamp "$b" "t + w")" "'-'" i) END,
      CASE WHEN k < 85 AND s < 93 THEN 'xxh3-128' END,
      CASE WHEN k < 85 AND s < 93 THEN $(hex128 "$b" "i * 2654435761" "i * 40503") END,
      CASE WHEN s >= 93 AND s < 98 THEN (CASE WHEN k < 85 THEN 'source_vanished' ELSE 'snapshot_unreadable' END) END,
      CASE WHEN s >= 93 AND s < 98 THEN $(concat "$b" "CASE WHEN k < 85 THEN 'the source changed during the copy: ' ELSE 'the snapshot could not be read: ' END" sf.folder) END,
      'node-1', $client,
      CASE WHEN k >= 93 AND k < 98 THEN $(concat "$b" "'restores/'" sf.folder) END,
      CASE WHEN k >= 93 AND k < 98 THEN 'never' END,
      CASE WHEN k >= 93 AND k < 98 THEN 0 END,
      CASE WHEN k >= 98 AND s < 93 THEN i % 5 END,
      CASE WHEN k >= 98 AND s < 93 THEN 30 END"
  local action="CASE WHEN k < 62 THEN 'Backup' WHEN k < 70 THEN 'Verify' WHEN k < 74 THEN 'Restore'
      WHEN k < 77 THEN 'Prune' WHEN k < 78 THEN 'Schedule' WHEN k < 90 THEN 'Get Stats' ELSE 'Get Log' END"
  audit_select="SELECT i, $(db_time "$b" t), $action,
      CASE WHEN s < 95 AND k <> 77 THEN 'SUCCESS' ELSE 'FAILED' END,
      CASE WHEN k < 78 THEN sf.folder END,
      CASE WHEN k < 77 THEN i END,
      CASE WHEN k >= 95 THEN 'all records' WHEN k >= 78 THEN ''
        WHEN k = 77 THEN 'skipped: the previous run is still queued or running'
        WHEN s >= 95 THEN $(concat "$b" "'the source changed during the copy: '" sf.folder)
        WHEN k < 62 THEN $(concat "$b" "'snapshot '" sf.folder "'/'" "$(snapshot_stamp "$b" t)" "'-'" i)
        WHEN k < 70 THEN $(concat "$b" "'snapshot '" sf.folder "' matches its manifest'")
        WHEN k < 74 THEN $(concat "$b" "'restored snapshot of '" sf.folder "' to restores/'" sf.folder)
        ELSE 'removed 2 snapshots, kept 30' END,
      CASE WHEN k < 62 OR k >= 78 THEN $client END"

  if [ "$b" = sqlite ]; then
    echo "BEGIN;"
    echo "CREATE TEMP TABLE seed_folders (n INTEGER PRIMARY KEY, folder TEXT NOT NULL, folder_key TEXT NOT NULL);"
    echo "INSERT INTO seed_folders VALUES $(folder_values);"
    sub="WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $ROWS)"
    echo "INSERT INTO jobs ($job_columns) $sub $jobs_select FROM (SELECT $hashes FROM n) g JOIN seed_folders sf ON sf.n = g.f;"
    echo "INSERT INTO audit_log ($audit_columns) $sub $audit_select FROM (SELECT $hashes FROM n) g JOIN seed_folders sf ON sf.n = g.f;"
    echo "COMMIT;"
    echo "PRAGMA wal_checkpoint(TRUNCATE);"
  else
    echo "SET time_zone = '+00:00';"
    echo "CREATE TABLE seed_folders (n INT PRIMARY KEY, folder VARCHAR(1024) NOT NULL, folder_key VARCHAR(64) NOT NULL);"
    echo "INSERT INTO seed_folders VALUES $(folder_values);"
    # In chunks of 100,000 rows: one statement of a million rows keeps its whole undo log.
    local lo hi
    for ((lo = 1; lo <= ROWS; lo += 100000)); do
      hi=$((lo + 99999 < ROWS ? lo + 99999 : ROWS))
      source="(SELECT seq AS i FROM seq_${lo}_to_${hi}) n"
      echo "INSERT INTO jobs ($job_columns) $jobs_select FROM (SELECT $hashes FROM $source) g JOIN seed_folders sf ON sf.n = g.f;"
      echo "INSERT INTO audit_log ($audit_columns) $audit_select FROM (SELECT $hashes FROM $source) g JOIN seed_folders sf ON sf.n = g.f;"
    done
    echo "DROP TABLE seed_folders;"
  fi
}

seed() {  # seed BACKEND: schema by `backupd migrate`, then rows by SQL
  local t0
  BACKUPD_DATABASE_PASSWORD=${m_pass:-} "$bin" migrate --database "$(database_url "$1")" 2>>"$scratch/daemon.log" ||
    { tail -n 20 "$scratch/daemon.log" >&2; die "backupd migrate ($1) failed"; }
  t0=$EPOCHREALTIME
  seed_sql "$1" >"$scratch/seed-$1.sql"
  run_sql "$1" <"$scratch/seed-$1.sql" >/dev/null || die "seeding $1 failed (SQL in $scratch/seed-$1.sql)"
  # Rows written behind the daemon's back: `migrate` again recounts the kept job and snapshot
  # counts (job_counts, snapshot_counts) from them, as after any manual edit of the table.
  BACKUPD_DATABASE_PASSWORD=${m_pass:-} "$bin" migrate --database "$(database_url "$1")" 2>>"$scratch/daemon.log" ||
    { tail -n 20 "$scratch/daemon.log" >&2; die "backupd migrate (recount, $1) failed"; }
  local took size counts
  took=$(seconds_since "$t0")
  if [ "$1" = sqlite ]; then
    size=$(du -k "$scratch/scale.db" | cut -f1)
  else
    size=$(du -sk "${MARIADB_DATADIR:?}/backupd_scale" | cut -f1)  # information_schema lags
  fi
  counts=$(echo "SELECT (SELECT COUNT(*) FROM jobs), (SELECT COUNT(*) FROM audit_log);" | run_sql "$1" | tr '|' '\t')
  printf '%s\t%s\t%s\t%s\n' "$1" "$took" "$((size / 1024))" "$counts" >>"$setup"
  echo "# $1: seeded $counts (jobs, audit records) in ${took}s" >&2
}

# --- the reads, and their plain SQL -----------------------------------------------------------
# The store's statements (store/src/job_reads.cpp, snapshot_reads.cpp, sql_audit_log.cpp), with
# the bound values written in. A page asks for one row more than its limit.
day=$(date -u -d "@$((now_s - 183 * 86400))" +%F)
stats_sql="SELECT kind, state, COUNT(*), COALESCE(SUM(bytes_copied), 0), MIN(submitted_at) FROM jobs GROUP BY kind, state"
by_folder_sql="SELECT folder, COUNT(*) FROM jobs WHERE kind = 'backup' AND state = 'succeeded' AND snapshot IS NOT NULL AND snapshot_state IS NULL GROUP BY folder_key, folder ORDER BY folder"
log_sql="SELECT id, at, action, status, folder, job_id, message, client_address FROM audit_log"
day_sql="$log_sql WHERE at >= '$day 00:00:00.000000' AND at <= '$day 23:59:59.999999' ORDER BY at, id LIMIT 101"
first_sql="$log_sql ORDER BY at, id LIMIT 101"
all_sql="$log_sql ORDER BY at, id"
declare -A named_sql=([stats]="$stats_sql" [by_folder]="$by_folder_sql" [day]="$day_sql" [first]="$first_sql"
  [all]="$all_sql")
reads=(stats metrics day first)
declare -A paths=([stats]=/api/v1/stats [metrics]=/metrics [day]="/api/v1/logs?from=$day&to=$day&limit=100"
  [first]="/api/v1/logs?limit=100")
# Statements per read, separated by newlines: /metrics counts jobs and snapshots per folder.
declare -A statements=([stats]="$stats_sql" [metrics]="$stats_sql
$by_folder_sql" [day]="$day_sql" [first]="$first_sql")

# A client session kept open for timed statements (bash coprocess SQL_CLIENT).
open_client() {
  if [ "$1" = sqlite ]; then
    coproc SQL_CLIENT { exec sqlite3 -batch "$scratch/scale.db" 2>&1; }
  else
    coproc SQL_CLIENT { exec env MYSQL_PWD="$m_pass" mariadb --no-defaults -h "$m_host" -P "$m_port" \
      -u "$m_user" -N -B --unbuffered backupd_scale 2>&1; }
    echo "SET profiling = 1; SET profiling_history_size = 10;" >&"${SQL_CLIENT[1]}"
  fi
}
close_client() {
  local input=${SQL_CLIENT[1]}
  exec {input}>&-
  wait "$SQL_CLIENT_PID" 2>/dev/null || true
  unset SQL_CLIENT_PID
}
# sql_seconds BACKEND STATEMENTS: runs them (newline-separated) once; prints their time.
sql_seconds() {
  local line last=() t0 statement n=0
  if [ "$1" = sqlite ]; then
    t0=$EPOCHREALTIME
    while IFS= read -r statement; do printf '.once /dev/null\n%s;\n' "$statement"; done <<<"$2" >&"${SQL_CLIENT[1]}"
    echo "SELECT 'done';" >&"${SQL_CLIENT[1]}"
    IFS= read -r line <&"${SQL_CLIENT[0]}" || die "sqlite3 stopped"
    seconds_since "$t0"; echo
    [ "$line" = "done" ] || die "sqlite3: $line"
  else
    while IFS= read -r statement; do echo "$statement;"; n=$((n + 1)); done <<<"$2" >&"${SQL_CLIENT[1]}"
    printf "SHOW PROFILES;\nSELECT 'done';\n" >&"${SQL_CLIENT[1]}"
    while IFS= read -r line <&"${SQL_CLIENT[0]}"; do
      [ "$line" = "done" ] && break
      last+=("$line")
    done
    [ "$line" = "done" ] || die "mariadb stopped: ${last[*]: -3}"
    # The last n profile rows are the statements: Query_ID, Duration (seconds), Query.
    printf '%s\n' "${last[@]: -n}" | awk -F'\t' -v n="$n" '
      $3 ~ /^SELECT / && $3 !~ /^SELECT .done./ {sum += $2; seen++}
      END {if (seen != n) exit 1; printf "%.6f\n", sum}' || die "mariadb: no profile for: $2"
  fi
}
daemon_seconds() {  # daemon_seconds PATH: one GET, its curl time_total
  local out
  out=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' "http://$addr$1")
  [ "${out%% *}" = 200 ] || die "GET $1 answered ${out%% *}"
  echo "${out#* }"
}

plan_of() {  # plan_of BACKEND STATEMENT: the query plan, on one line
  if [ "$1" = sqlite ]; then
    echo "EXPLAIN QUERY PLAN $2;" | run_sql sqlite | sed -e '/^QUERY PLAN$/d' -e 's/^[|` -]*//' | paste -sd';' | sed 's/;/; /g'
  else
    mariadb_client -e "EXPLAIN $2" backupd_scale |
      awk -F'\t' '{printf "%s%s: %s, key %s, rows %s%s", (NR > 1 ? "; " : ""), $3, $4, $6, $9, ($10 == "NULL" || $10 == "" ? "" : ", " $10)}'
  fi
}

# --- per backend ------------------------------------------------------------------------------
for backend in $BACKENDS; do
  echo "# $backend: seeding $ROWS jobs and $ROWS audit records" >&2
  seed "$backend"
  start_daemon "$backend"
  start_rss=$(proc_kib VmRSS)
  stats_body=$(curl -s "http://$addr/api/v1/stats")
  jobs_counted=$(grep -o '"total":[0-9]*' <<<"$stats_body" | awk -F: '{s += $2} END {print s}')
  [ "$jobs_counted" = "$ROWS" ] || die "GET /api/v1/stats counts $jobs_counted jobs, not $ROWS: $stats_body"
  open_client "$backend"
  for read in "${reads[@]}"; do  # a warm-up of each, untimed
    daemon_seconds "${paths[$read]}" >/dev/null
    sql_seconds "$backend" "${statements[$read]}" >/dev/null
  done
  echo "# $backend: $CALLS rounds of ${reads[*]}" >&2
  for ((round = 1; round <= CALLS; round++)); do
    for read in "${reads[@]}"; do
      # Who goes first alternates: the one after a full scan of jobs meets a colder cache (on
      # MariaDB the scan evicts the log pages from its 64 MiB buffer pool).
      if ((round % 2)); then
        daemon=$(daemon_seconds "${paths[$read]}")
        sql=$(sql_seconds "$backend" "${statements[$read]}")
      else
        sql=$(sql_seconds "$backend" "${statements[$read]}")
        daemon=$(daemon_seconds "${paths[$read]}")
      fi
      printf '%s\t%s\t%s\n' "$read" "$daemon" "$sql" >>"$scratch/times-$backend"
    done
  done
  close_client
  for read in "${reads[@]}"; do
    printf '%s\t%s\t%s\t%s\t-\t-\n' "$backend" "$read" \
      "$(awk -F'\t' -v r="$read" '$1 == r {print $2}' "$scratch/times-$backend" | median)" \
      "$(awk -F'\t' -v r="$read" '$1 == r {print $3}' "$scratch/times-$backend" | median)" >>"$results"
  done
  for name in stats by_folder day first all; do
    printf '%s\t%s\t%s\n' "$backend" "$name" "$(plan_of "$backend" "${named_sql[$name]}")" >>"$plans"
  done

  # The export: every audit record in one streamed response (no limit), against the client
  # printing the same rows.
  echo "# $backend: $STREAM_RUNS exports of every audit record each way" >&2
  hwm_before=$(proc_kib VmHWM)
  : >"$scratch/stream-$backend"
  for ((run = 1; run <= STREAM_RUNS; run++)); do
    out=$(curl -s --max-time 900 -o "$scratch/export.json" -w '%{http_code} %{time_total} %{size_download}' \
      "http://$addr/api/v1/logs")
    read -r code took bytes <<<"$out"
    [ "$code" = 200 ] || die "GET /api/v1/logs (all) answered $code"
    [ "$(tail -c 14 "$scratch/export.json")" = '],"next":null}' ] || die "the export ended early: $(tail -c 200 "$scratch/export.json")"
    daemon_rows=$(grep -o '"action":"' "$scratch/export.json" | wc -l)
    t0=$EPOCHREALTIME
    if [ "$backend" = sqlite ]; then
      sqlite3 -batch "$scratch/scale.db" "$all_sql" >"$scratch/export.txt"
    else
      mariadb_client -e "$all_sql" backupd_scale >"$scratch/export.txt"
    fi
    sql_took=$(seconds_since "$t0")
    printf '%s\t%s\t%s\t%s\t%s\n' "$took" "$sql_took" "$daemon_rows" "$(wc -l <"$scratch/export.txt")" "$bytes" \
      >>"$scratch/stream-$backend"
  done
  printf '%s\tall\t%s\t%s\t%s\t%s\n' "$backend" "$(cut -f1 "$scratch/stream-$backend" | median)" \
    "$(cut -f2 "$scratch/stream-$backend" | median)" "$(cut -f3 "$scratch/stream-$backend" | sort -n | tail -n1)" \
    "$(cut -f4 "$scratch/stream-$backend" | sort -n | tail -n1)" >>"$results"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$backend" "$start_rss" "$hwm_before" "$(proc_kib VmHWM)" "$(proc_kib VmRSS)" \
    "$(cut -f5 "$scratch/stream-$backend" | sort -n | tail -n1)" >>"$memory"
  stop_daemon
done

# --- report -----------------------------------------------------------------------------------
echo
echo "| backend | seeding (SQL + recount) s | database MiB | jobs | audit records |"
echo "| --- | ---: | ---: | ---: | ---: |"
awk -F'\t' '{printf "| %s | %.1f | %d | %d | %d |\n", $1, $2, $3, $4, $5}' "$setup"
echo
echo "Medians of $CALLS calls (the export: of $STREAM_RUNS). daemon: curl's time_total; plain SQL: the client's (see Method)."
echo
echo "| backend | read | daemon | plain SQL | daemon / SQL | goal | met |"
echo "| --- | --- | ---: | ---: | ---: | --- | --- |"
awk -F'\t' -v day="$day" '
  BEGIN {
    name["stats"] = "`GET /api/v1/stats`"; name["metrics"] = "`GET /metrics`"
    name["day"] = "`GET /api/v1/logs?from=" day "&to=" day "&limit=100`"
    name["first"] = "`GET /api/v1/logs?limit=100` (first page)"
  }
  $2 != "all" {
    printf "| %s | %s | %.2f ms | %.2f ms | %.1fx | <= 5 ms | %s |\n", $1, name[$2], $3 * 1000, $4 * 1000,
      ($4 > 0 ? $3 / $4 : 0), ($3 * 1000 <= 5 ? "yes" : "NO")
  }
  $2 == "all" {
    printf "| %s | `GET /api/v1/logs` (every record, streamed) | %.2f s, %.0fk rows/s | %.2f s, %.0fk rows/s | %.1fx | >= 300k rows/s | %s |\n",
      $1, $3, $5 / $3 / 1000, $4, $6 / $4 / 1000, $3 / $4, ($5 / $3 >= 300000 ? "yes" : "NO")
  }' "$results"
echo
echo "| backend | RSS after start MiB | peak RSS before export MiB | peak RSS after ${STREAM_RUNS} exports MiB | RSS after MiB | export size MiB |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
awk -F'\t' '{printf "| %s | %.1f | %.1f | %.1f | %.1f | %.1f |\n", $1, $2 / 1024, $3 / 1024, $4 / 1024, $5 / 1024, $6 / 1048576}' "$memory"
echo
echo "Plain SQL statements (the store's, bound values written in; /metrics runs the first two):"
echo
for name in stats by_folder day first all; do echo "- $name: \`${named_sql[$name]}\`"; done
echo
echo "| backend | statement | query plan (no ANALYZE) |"
echo "| --- | --- | --- |"
awk -F'\t' '{printf "| %s | %s | %s |\n", $1, $2, $3}' "$plans"
