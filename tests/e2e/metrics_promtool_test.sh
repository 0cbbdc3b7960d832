#!/usr/bin/env bash
# End to end, the monitoring kit against the real daemon: after a backup, a failed backup, a
# plan run, an intact and a failed verify, GET /metrics passes `promtool check metrics` (no lint
# problem at all), the series the alert rules select on carry the values the work produced, and
# every metric name deploy/prometheus/alerts.yml and deploy/grafana/backupd.json use is in the
# page, so the kit cannot drift from the daemon. Then a real Prometheus scrapes it with the
# shipped rules: all evaluate cleanly, a new failed backup raises BackupdBackupFailed only, and
# every dashboard query runs.
# Its own daemon and database.
#   usage: metrics_promtool_test.sh PATH/TO/backupd
set -uo pipefail
# shellcheck source=tests/e2e/lib/e2e.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/e2e.sh"
e2e_init metrics_promtool "${1:-}"
repo=$(realpath "$(dirname "${BASH_SOURCE[0]}")/../..")
command -v promtool >/dev/null && command -v prometheus >/dev/null ||
    die "promtool or prometheus not found (scripts/install-deps.sh: prometheus)"

make_source_tree
start_daemon

# --- some work -------------------------------------------------------------------------------
post_json '/api/v1/backups?wait=30' '{"folder": "photos"}'
expect_eq "a backup of photos succeeds" "$code $(js .state)" "200 succeeded"
snapshot_id=$(js .id) snapshot_path=$(js .snapshot)
req POST /backup/no-such-folder
expect_error "a backup of a missing folder is refused" 404 no_such_directory
expect_eq "and recorded as a failed backup job" "$(job_state "$(js .job.id)")" failed

post_json /api/v1/plans '{"name": "docs-hourly", "folder": "docs", "schedule": "@hourly"}'
expect_eq "an hourly plan is created" "$code" 201
req POST /api/v1/plans/docs-hourly/run
expect_eq "running the plan now succeeds" "$(wait_job "$(js .id)")" succeeded

req POST "/api/v1/snapshots/$snapshot_id/verify"
expect_eq "the intact snapshot verifies" "$(wait_job "$(js .id)")" succeeded
printf 'X' | dd of="$dst/$snapshot_path/2024/raw.bin" bs=1 seek=1000 conv=notrunc status=none
req POST "/api/v1/snapshots/$snapshot_id/verify"
expect_eq "the damaged snapshot fails to verify" "$(wait_job "$(js .id)")" failed

# --- the page --------------------------------------------------------------------------------
req GET /metrics
expect_eq "GET /metrics answers 200" "$code" 200
page="$work/metrics.txt"
cp "$body" "$page"
if lint=$(promtool check metrics <"$page" 2>&1); then
    pass "promtool check metrics finds no problem ($(grep -c '^[a-z]' "$page") samples)"
else
    fail "promtool check metrics: $lint"
fi
# A page with a lint problem is caught (the check above can fail).
if printf '# HELP x_total a\n# TYPE x_total gauge\nx_total 1\n' | promtool check metrics >/dev/null 2>&1; then
    fail "promtool check metrics accepted a gauge named like a counter"
else
    pass "promtool check metrics refuses a lint problem"
fi

# The series the alerts select on, with the values the work above made.
sample() { sed -n "s/^$1 //p" "$page"; }
expect_eq "the failed backup shows in the series BackupdBackupFailed watches" \
    "$(sample 'backupd_jobs_by_kind{kind="backup",state="failed"}')" 1
expect_eq "the failed verify shows in the series BackupdVerifyFailed watches" \
    "$(sample 'backupd_jobs_by_kind{kind="verify",state="failed"}')" 1
expect_eq "the hourly plan's period is 3600 s" "$(sample 'backupd_plan_period_seconds{plan="docs-hourly"}')" 3600
expect_eq "the plan's last success is set" \
    "$(sample 'backupd_plan_last_success_timestamp_seconds{plan="docs-hourly"}' | grep -c '^[0-9]')" 1
expect_eq "the database is up" "$(sample backupd_database_up)" 1
expect_eq "the backup root is writable" "$(sample backupd_backup_root_writable)" 1

# Every metric the kit names is exported.
names=$(python3 "$repo/tests/monitoring/monitoring_kit.py" names "$repo") || die "monitoring_kit.py names failed"
expect_eq "the kit names at least 10 metrics" "$([ "$(wc -l <<<"$names")" -ge 10 ] && echo yes)" yes
missing=()
for name in $names; do
    grep -qE "^$name(\{| )" "$page" || missing+=("$name")
done
expect_eq "every metric of alerts.yml and backupd.json is in the daemon's /metrics" "${missing[*]}" ""

# --- a real Prometheus scraping the daemon, with the shipped rules ------------------------------
# Every rule evaluates without error on real series, and a backup failing while it watches
# raises BackupdBackupFailed (pending: its `for` is a minute) and no other alert.
prom_pid=""
e2e_case_cleanup() { if [ -n "$prom_pid" ]; then kill "$prom_pid" 2>/dev/null; wait "$prom_pid" 2>/dev/null; fi; }
prom_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
prom="http://127.0.0.1:$prom_port"
cat >"$work/prometheus.yml" <<YAML
global: {scrape_interval: 1s, evaluation_interval: 1s}
rule_files: ['$repo/deploy/prometheus/alerts.yml']
scrape_configs:
  - job_name: backupd
    static_configs: [{targets: ['${base#http://}']}]
YAML
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prometheus" \
    --web.listen-address="127.0.0.1:$prom_port" --log.level=warn 2>>"$work/prometheus.log" &
prom_pid=$!
prom_query() { curl -s -m 5 --data-urlencode "query=$1" "$prom/api/v1/query" | jq -r '.data.result[0].value[1] // empty' 2>/dev/null; }
failed_backups_scraped() { [ "$(prom_query 'backupd_jobs_by_kind{job="backupd",kind="backup",state="failed"}')" = "$1" ]; }
wait_until 60 "Prometheus to scrape the daemon's failed backups (1)" failed_backups_scraped 1
req POST /backup/another-missing-folder
expect_eq "a second backup of a missing folder is refused" "$code" 404
wait_until 30 "Prometheus to scrape the daemon's failed backups (2)" failed_backups_scraped 2
alert_names() { curl -s -m 5 "$prom/api/v1/alerts" | jq -r '[.data.alerts[].labels.alertname] | unique | join(",")'; }
backup_failed_raised() { [ "$(alert_names)" = BackupdBackupFailed ]; }
wait_until 30 "BackupdBackupFailed to be raised by Prometheus" backup_failed_raised
pass "Prometheus raises BackupdBackupFailed for the new failure, and no other alert"
rules_evaluated() { [ "$(curl -s -m 5 "$prom/api/v1/rules" | jq '[.data.groups[].rules[] | select(.lastEvaluation | startswith("0001"))] | length')" = 0 ]; }
wait_until 30 "every rule to be evaluated" rules_evaluated
curl -s -m 5 "$prom/api/v1/rules" >"$work/rules.json"
expect_eq "Prometheus loaded every rule of alerts.yml" "$(js '[.data.groups[].rules[]] | length' "$work/rules.json")" \
    "$(grep -c '^ *- alert:' "$repo/deploy/prometheus/alerts.yml")"
expect_eq "every rule evaluates without error on the real series" \
    "$(js '[.data.groups[].rules[] | select(.health != "ok") | "\(.name): \(.lastError)"] | join("; ")' "$work/rules.json")" ""
# Every dashboard query runs on the real series: no error, and most panels have data (the
# rest are rates of nothing yet, or a quantile of too few requests).
bad_queries=() with_data=0 total_queries=0
while IFS= read -r query; do
    total_queries=$((total_queries + 1))
    curl -s -m 5 --data-urlencode "query=$query" "$prom/api/v1/query" >"$work/query.json"
    if [ "$(js .status "$work/query.json")" != success ]; then
        bad_queries+=("$query: $(js .error "$work/query.json")")
    elif [ "$(js '.data.result | length' "$work/query.json")" -gt 0 ]; then
        with_data=$((with_data + 1))
    fi
done < <(python3 "$repo/tests/monitoring/monitoring_kit.py" queries "$repo")
expect_eq "every dashboard query runs in Prometheus" "${bad_queries[*]}" ""
expect_eq "at least 20 dashboard queries, 15 of them with data (got $with_data of $total_queries)" \
    "$([ "$total_queries" -ge 20 ] && [ "$with_data" -ge 15 ] && echo yes)" yes
kill "$prom_pid"; wait "$prom_pid" 2>/dev/null; prom_pid=""

stop_daemon "SIGTERM stops the daemon with status 0"
e2e_finish
