#!/usr/bin/env bash
# The monitoring kit without a daemon (ctest monitoring.kit): the alert rules load
# (`promtool check rules`) and pass their unit tests (`promtool test rules`, every alert firing
# and not firing), the Grafana dashboard is well formed (monitoring_kit.py check-dashboard), and
# the checker itself refuses a dashboard with a hard-coded datasource, a panel without targets
# and a metric the daemon does not export. The names against a real daemon's /metrics:
# tests/e2e/metrics_promtool_test.sh.
#   usage: monitoring_kit_test.sh [REPO_DIR]
set -uo pipefail
repo=$(realpath "${1:-$(dirname "$0")/../..}")
kit="$repo/tests/monitoring/monitoring_kit.py"
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
command -v promtool >/dev/null || { echo "FAIL: promtool not found (scripts/install-deps.sh)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/backupd-monitoring-kit.XXXXXX")
trap 'rm -rf "$work"' EXIT

if promtool check rules "$repo/deploy/prometheus/alerts.yml" >"$work/check.log" 2>&1; then
    pass "promtool check rules: $(grep -o 'SUCCESS.*' "$work/check.log")"
else
    fail "promtool check rules: $(cat "$work/check.log")"
fi
# promtool test rules reads rule_files relative to the test file.
if (cd "$repo/deploy/prometheus" && promtool test rules alerts_test.yml) >"$work/test.log" 2>&1; then
    pass "promtool test rules: $(grep -c 'eval_time' "$repo/deploy/prometheus/alerts_test.yml") evaluations passed"
else
    fail "promtool test rules: $(cat "$work/test.log")"
fi
# Every alert has a test in which it fires.
for alert in $(sed -n 's/^ *- alert: *//p' "$repo/deploy/prometheus/alerts.yml"); do
    if grep -A2 "alertname: $alert\$" "$repo/deploy/prometheus/alerts_test.yml" | grep -q 'exp_alerts:$'; then
        pass "$alert has a firing test case"
    else
        fail "$alert has no test case in which it fires"
    fi
    # ... and one in which it must not.
    if grep -A1 "alertname: $alert\$" "$repo/deploy/prometheus/alerts_test.yml" | grep -q 'exp_alerts: \[\]'; then
        pass "$alert has a test case in which it must not fire"
    else
        fail "$alert has no test case in which it must not fire"
    fi
done

if python3 "$kit" check-dashboard "$repo" 2>"$work/dash.log"; then
    pass "the Grafana dashboard is well formed ($(jq '[.panels[] | select(.type != "row")] | length' \
        "$repo/deploy/grafana/backupd.json") panels)"
else
    fail "the Grafana dashboard: $(cat "$work/dash.log")"
fi

# The checker refuses a broken dashboard (a copy of the repository's parts it reads).
mkdir -p "$work/repo/deploy/grafana" "$work/repo/deploy/prometheus" "$work/repo/api"
cp -r "$repo/api/src" "$work/repo/api/"
cp "$repo/deploy/prometheus/alerts.yml" "$work/repo/deploy/prometheus/"
jq '.panels[1].datasource.uid = "P1809F7CD0C75ACF3"
    | .panels[2].targets = []
    | .panels[3].targets[0].expr = "rate(backupd_no_such_metric_total[5m])"' \
    "$repo/deploy/grafana/backupd.json" >"$work/repo/deploy/grafana/backupd.json"
python3 "$kit" check-dashboard "$work/repo" 2>"$work/bad.log"
expect_refused() { # expect_refused WHAT NEEDLE
    if grep -qF -- "$2" "$work/bad.log"; then pass "a broken dashboard is refused: $1"; else fail "$1 not reported: $(cat "$work/bad.log")"; fi
}
expect_refused "a hard-coded datasource uid" "'P1809F7CD0C75ACF3'"
expect_refused "a panel without targets" "no targets"
expect_refused "a metric the daemon does not export" "backupd_no_such_metric_total"

if [ "$failures" -gt 0 ]; then echo "monitoring kit: $failures check(s) failed" >&2; exit 1; fi
echo "monitoring kit: all checks passed"
