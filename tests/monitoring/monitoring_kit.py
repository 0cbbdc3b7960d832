#!/usr/bin/env python3
"""Checks of the monitoring kit (deploy/grafana/backupd.json, deploy/prometheus/alerts.yml).

  monitoring_kit.py names REPO_DIR
      prints every backupd_* metric name the alert expressions and the dashboard's queries use,
      one per line, sorted (tests/e2e/metrics_promtool_test.sh compares them with a real
      daemon's /metrics)
  monitoring_kit.py queries REPO_DIR
      prints the dashboard's expressions one per line, Grafana's variables replaced by values
      Prometheus accepts ($__rate_interval 1m, $__range 1h, $instance .*), for a real
      Prometheus to run (tests/e2e/metrics_promtool_test.sh)
  monitoring_kit.py check-dashboard REPO_DIR
      the dashboard parses and is portable: a Prometheus datasource variable, no hard-coded
      datasource uid anywhere, every panel on ${datasource} with at least one target whose
      expression is set, unique panel ids; and every metric it or the alerts name appears in
      the daemon's sources (api/src), a quick guard beside the end-to-end one. Exit 1 with one
      line per problem.
"""
import json
import pathlib
import re
import sys

import yaml

DATASOURCE = "${datasource}"
METRIC = re.compile(r"\bbackupd_[a-z0-9_]+")
# Histogram samples are exposed under the family name plus one of these.
HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count")


def dashboard(repo):
    return json.loads((repo / "deploy/grafana/backupd.json").read_text())


def alert_exprs(repo):
    rules = yaml.safe_load((repo / "deploy/prometheus/alerts.yml").read_text())
    return [rule["expr"] for group in rules["groups"] for rule in group["rules"]]


def dashboard_exprs(board):
    exprs = []
    for panel in board.get("panels", []):
        exprs += [t.get("expr", "") for t in panel.get("targets", [])]
    for variable in board.get("templating", {}).get("list", []):
        if variable.get("type") == "query":
            exprs.append(variable.get("definition", ""))
    return exprs


# Grafana's variables as a query in a test may use them.
GRAFANA_VARIABLES = {"$__rate_interval": "1m", "$__range": "1h", "$instance": ".*"}


def queries(repo):
    result = []
    for expr in dashboard_exprs(dashboard(repo)):
        if expr.startswith("label_values("):
            continue  # a Grafana function, not PromQL
        for variable, value in GRAFANA_VARIABLES.items():
            expr = expr.replace(variable, value)
        result.append(" ".join(expr.split()))
    return result


def names(repo):
    found = set()
    for expr in alert_exprs(repo) + dashboard_exprs(dashboard(repo)):
        found.update(METRIC.findall(expr))
    return sorted(found)


def datasource_uids(node, path="$"):
    """Every (path, uid) of a datasource reference anywhere in the document."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "datasource" and isinstance(value, dict):
                yield path + ".datasource", value.get("uid")
            elif key == "datasource" and isinstance(value, str):
                yield path + ".datasource", value
            yield from datasource_uids(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from datasource_uids(value, f"{path}[{i}]")


def check_dashboard(repo):
    problems = []
    board = dashboard(repo)
    if not isinstance(board.get("schemaVersion"), int) or board["schemaVersion"] < 36:
        problems.append(f"schemaVersion {board.get('schemaVersion')!r}: want 36 or later")
    variables = board.get("templating", {}).get("list", [])
    if not any(v.get("name") == "datasource" and v.get("type") == "datasource"
               and v.get("query") == "prometheus" for v in variables):
        problems.append("no `datasource` variable of type datasource for prometheus")
    for path, uid in datasource_uids(board):
        if uid != DATASOURCE:
            problems.append(f"{path}: datasource {uid!r}, want {DATASOURCE!r} (no hard-coded uid)")
    ids = set()
    panels = [p for p in board.get("panels", []) if p.get("type") != "row"]
    if not panels:
        problems.append("no panels")
    for panel in board.get("panels", []):
        title = panel.get("title", "?")
        if panel.get("id") in ids:
            problems.append(f"panel {title!r}: id {panel.get('id')} used twice")
        ids.add(panel.get("id"))
        if panel.get("type") == "row":
            continue
        if (panel.get("datasource") or {}).get("uid") != DATASOURCE:
            problems.append(f"panel {title!r}: no datasource ${{datasource}}")
        targets = panel.get("targets") or []
        if not targets:
            problems.append(f"panel {title!r}: no targets")
        for target in targets:
            if not target.get("expr", "").strip():
                problems.append(f"panel {title!r}: target {target.get('refId')} has no expr")
        if not all(k in panel.get("gridPos", {}) for k in ("x", "y", "w", "h")):
            problems.append(f"panel {title!r}: no gridPos")
    sources = "".join(p.read_text() for p in (repo / "api/src").glob("*.cpp"))
    for name in names(repo):
        family = name
        for suffix in HISTOGRAM_SUFFIXES:
            if name.endswith(suffix) and f'"{name}"' not in sources:
                family = name[: -len(suffix)]
        if f'"{family}' not in sources:
            problems.append(f"{name}: used by the kit, not found in api/src (renamed?)")
    for problem in problems:
        print(f"check-dashboard: {problem}", file=sys.stderr)
    return 1 if problems else 0


def main(argv):
    if len(argv) != 3 or argv[1] not in ("names", "queries", "check-dashboard"):
        print(__doc__, file=sys.stderr)
        return 2
    repo = pathlib.Path(argv[2])
    if argv[1] == "names":
        print("\n".join(names(repo)))
        return 0
    if argv[1] == "queries":
        print("\n".join(queries(repo)))
        return 0
    return check_dashboard(repo)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
