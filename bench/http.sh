#!/usr/bin/env bash
# HTTP benchmark: wrk against the real `backupd serve`, on SQLite and on a throwaway MariaDB, for
# GET /healthz (no database: the baseline), GET /api/v1/stats and a one-day page of
# GET /api/v1/logs (each call writes one audit record), at a few handler-thread/connection settings.
#
#   bench/http.sh            or: bench/run.sh http, make bench
#
# Environment: BACKUPD (binary, default build/bin/backupd, built if missing), DURATION (seconds
# per wrk run, default 10), SETTINGS (HANDLER_THREADS:CONNECTIONS pairs, default "8:32 4:8 16:64":
# the daemon's default, low latency, most in flight), WRK_THREADS (default 2), SEED_CALLS
# (POST /backup/small calls before measuring, default 50), BACKENDS (default "sqlite mariadb").
#
# Method: the binary is copied to a temp dir first (a concurrent build cannot swap it mid-run).
# Per backend, the daemon is seeded once; per setting it is restarted on the same database, each
# endpoint answers one curl (a check, and a warm-up), its idle RSS is read from /proc, then wrk
# runs each endpoint in turn and the RSS is read again. After each audited endpoint the audit log
# is counted in the database itself: every answered request must have its record (wrk does not
# count requests in flight when it stops, so up to CONNECTIONS more records are allowed).
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BACKUPD=${BACKUPD:-$repo_root/build/bin/backupd}
DURATION=${DURATION:-10}
SETTINGS=${SETTINGS:-8:32 4:8 16:64}
WRK_THREADS=${WRK_THREADS:-2}
SEED_CALLS=${SEED_CALLS:-50}
BACKENDS=${BACKENDS:-sqlite mariadb}

die() { echo "http.sh: $*" >&2; exit 1; }
for tool in wrk curl sqlite3 mariadb; do
  command -v "$tool" >/dev/null || die "$tool is missing (run: scripts/install-deps.sh)"
done
# shellcheck source=bench/lib/serve.sh
. "$repo_root/bench/lib/serve.sh"
bench_beside_mariadb HTTP_BENCH_UNDER_MARIADB "$@"
bench_scratch http
mkdir -p "$scratch/src/small"
for i in 1 2 3 4 5; do head -c 4096 /dev/urandom >"$scratch/src/small/file$i"; done
results=$scratch/results  # tab-separated: backend handlers conns endpoint req/s p50 p99 errors audited
memory=$scratch/memory    # tab-separated: backend handlers conns idle-KiB after-KiB
: >"$results"
: >"$memory"
# wrk calls done() at the end: print the exact counts and percentiles (microseconds) for us.
cat >"$scratch/report.lua" <<'LUA'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
LUA

echo "# command: BACKUPD=$BACKUPD DURATION=$DURATION SETTINGS=\"$SETTINGS\" WRK_THREADS=$WRK_THREADS SEED_CALLS=$SEED_CALLS BACKENDS=\"$BACKENDS\" $0"
bench_header
echo "# tools: $(wrk -v 2>&1 | head -n1 | cut -d' ' -f1-3), sqlite3 $(sqlite3 --version | cut -d' ' -f1)"

bench_mariadb_database backupd_bench
if [ -n "${BACKUPD_TEST_MYSQL_URL:-}" ]; then
  echo "# mariadb: $(mariadb_sql 'SELECT CONCAT(VERSION(), ", innodb_flush_log_at_trx_commit=", @@innodb_flush_log_at_trx_commit, ", sync_binlog=", @@sync_binlog, ", log_bin=", @@log_bin)')"
fi

database_url() { if [ "$1" = sqlite ]; then echo "sqlite:$scratch/bench.db"; else echo "mysql://$m_user@$m_host:$m_port/backupd_bench"; fi; }
audit_count() {  # audit_count BACKEND ACTION: audit records of ACTION, read from the database
  local sql="SELECT COUNT(*) FROM audit_log WHERE action = '$2'"
  if [ "$1" = sqlite ]; then sqlite3 -cmd '.timeout 5000' "$scratch/bench.db" "$sql"; else mariadb_sql "USE backupd_bench; $sql"; fi
}
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$daemon_pid/status"; }


today=$(date -u +%F)
declare -A paths=([healthz]=/healthz [stats]=/api/v1/stats [logs]="/api/v1/logs?from=$today&to=$today&limit=100")
declare -A actions=([stats]="Get Stats" [logs]="Get Log")
audit_failures=0

for backend in $BACKENDS; do
  seeded=false
  for setting in $SETTINGS; do
    handlers=${setting%%:*} conns=${setting##*:}
    echo "# $backend: --handler-threads $handlers, wrk -t$WRK_THREADS -c$conns -d${DURATION}s" >&2
    start_daemon "$backend" --handler-threads "$handlers"
    if [ "$seeded" = false ]; then
      for _ in $(seq 1 "$SEED_CALLS"); do
        code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://$addr/backup/small")
        [ "$code" = 200 ] || die "seeding: POST /backup/small answered $code"
      done
      seeded=true
    fi
    for endpoint in healthz stats logs; do
      code=$(curl -s -o /dev/null -w '%{http_code}' "http://$addr${paths[$endpoint]}")
      [ "$code" = 200 ] || die "GET ${paths[$endpoint]} answered $code before the load"
    done
    idle=$(rss_kib)
    for endpoint in healthz stats logs; do
      action=${actions[$endpoint]:-}
      [ -z "$action" ] || before=$(audit_count "$backend" "$action")
      wrk -t"$WRK_THREADS" -c"$conns" -d"${DURATION}s" --latency -s "$scratch/report.lua" \
        "http://$addr${paths[$endpoint]}" >"$scratch/wrk.out" 2>&1 || { cat "$scratch/wrk.out" >&2; die "wrk failed"; }
      kill -0 "$daemon_pid" 2>/dev/null || { tail -n 20 "$scratch/daemon.log" >&2; die "backupd died under load"; }
      read -r requests micros p50 p99 non2xx socket < <(sed -n 's/^RESULT //p' "$scratch/wrk.out") ||
        { cat "$scratch/wrk.out" >&2; die "no result from wrk"; }
      errors="none"
      [ "$non2xx$socket" = 00 ] || errors="$non2xx non-2xx, $socket socket"
      audited="-"
      if [ -n "$action" ]; then
        sleep 1  # let requests still in flight when wrk stopped finish
        n=$(($(audit_count "$backend" "$action") - before))
        audited="$n of $requests"
        if [ "$n" -lt "$requests" ] || [ "$n" -gt $((requests + conns)) ]; then
          audited="$audited MISMATCH"; audit_failures=$((audit_failures + 1))
        fi
        echo "audited: $n of $requests requests ($backend, $endpoint, $handlers handler threads, -c$conns)" >&2
      fi
      printf '%s\t%s\t%s\t%s\t%.0f\t%.2f\t%.2f\t%s\t%s\n' "$backend" "$handlers" "$conns" "$endpoint" \
        "$(awk -v r="$requests" -v u="$micros" 'BEGIN {print r / (u / 1e6)}')" \
        "$(awk -v v="$p50" 'BEGIN {print v / 1000}')" "$(awk -v v="$p99" 'BEGIN {print v / 1000}')" \
        "$errors" "$audited" >>"$results"
    done
    printf '%s\t%s\t%s\t%s\t%s\n' "$backend" "$handlers" "$conns" "$idle" "$(rss_kib)" >>"$memory"
    stop_daemon
  done
done

echo
echo "| backend | handler threads | wrk -c | endpoint | req/s | p50 ms | p99 ms | errors | audited of answered |"
echo "| --- | ---: | ---: | --- | ---: | ---: | ---: | --- | --- |"
awk -F'\t' '{printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9}' "$results"
echo
echo "| backend | handler threads | wrk -c | idle RSS MiB (before load) | RSS MiB after load |"
echo "| --- | ---: | ---: | ---: | ---: |"
awk -F'\t' '{printf "| %s | %s | %s | %.1f | %.1f |\n", $1, $2, $3, $4 / 1024, $5 / 1024}' "$memory"

# Goals, per backend: the best setting for each audited endpoint (highest req/s among those with
# p99 < 5 ms, else highest req/s), and the worst idle RSS over all starts.
echo
echo "| goal | backend | best setting | value | met |"
echo "| --- | --- | --- | --- | --- |"
awk -F'\t' '$4 != "healthz" {
    k = $1 "\t" $4; ok = $7 < 5
    if (!(k in best) || ok > bok[k] || (ok == bok[k] && $5 > brps[k])) {
      best[k] = $2 " threads, -c" $3; bok[k] = ok; brps[k] = $5; bp99[k] = $7 }
  } END { for (k in best) { split(k, p, "\t")
    printf "| >= 10,000 audited req/s, p99 < 5 ms (GET %s) | %s | %s | %d req/s, p99 %.2f ms | %s |\n", \
      p[2], p[1], best[k], brps[k], bp99[k], (brps[k] >= 10000 && bp99[k] < 5) ? "yes" : "NO" } }' "$results" | sort
awk -F'\t' '{ if ($4 > idle[$1]) idle[$1] = $4 } END { for (b in idle)
    printf "| idle RSS <= 15 MiB (worst start) | %s | | %.1f MiB | %s |\n", b, idle[b] / 1024, (idle[b] <= 15 * 1024) ? "yes" : "NO" }' "$memory" | sort
[ "$audit_failures" -eq 0 ] || die "$audit_failures run(s) answered requests without their audit records (or too many records)"
