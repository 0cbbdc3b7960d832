#!/usr/bin/env bash
# End to end, the monitoring kit against the real daemon: after a backup, a failed backup, a
# plan run, an intact and a failed verify, GET /metrics passes `promtool check metrics` (no lint
# problem at all), the series the alert rules select on carry the values the work produced, and
# every metric name deploy/prometheus/alerts.yml and deploy/grafana/backupd.json use is in the
# page, so the kit cannot drift from the daemon. Its own daemon and database.
#   usage: metrics_promtool_test.sh PATH/TO/backupd
set -uo pipefail
# shellcheck source=tests/e2e/lib/e2e.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/e2e.sh"
e2e_init metrics_promtool "${1:-}"
repo=$(realpath "$(dirname "${BASH_SOURCE[0]}")/../..")
command -v promtool >/dev/null || die "promtool not found (scripts/install-deps.sh)"

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

stop_daemon "SIGTERM stops the daemon with status 0"
e2e_finish
