#!/usr/bin/env bash
# Prune benchmark: a plan's prune job removing SNAPSHOTS - 1 snapshots (keep_last 1) of a
# 20,000-file folder through the API (POST /api/v1/plans/{name}/prune on a real daemon, SQLite),
# against `rm -rf` of the same number of identical hard-linked trees (and their manifests), in
# the same run. Goal: within 1.5x of rm -rf; the prune also records each snapshot twice
# (pruning, then pruned) and syncs nothing it does not need to.
#
#   bench/prune.sh            or: bash bench/run.sh prune
#
# Environment: BACKUPD (binary, default build/bin/backupd), SNAPSHOTS (default 1000), BENCH_DIR
# (scratch parent, default /tmp), SCALE (dataset size factor, default 1: about 20,000 files,
# bench/make_dataset.py), SEED, PAUSE (seconds to let the disk settle before each timed part).
#
# Method: one real backup makes snapshot S (with its manifest). The daemon is stopped and
# SNAPSHOTS - 1 older snapshots are made from S with `cp -al` (so each is a full tree of hard
# links, as an unchanged backup makes) and recorded as succeeded backups, copies of S's row. A
# second set of as many `cp -al` trees is the rm -rf reference. Both are timed once each (the
# sets are large; the figure is the ratio in the same run).
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BACKUPD=${BACKUPD:-$repo_root/build/bin/backupd}
SNAPSHOTS=${SNAPSHOTS:-1000}
BENCH_DIR=${BENCH_DIR:-/tmp}
SCALE=${SCALE:-1}
SEED=${SEED:-1}
PAUSE=${PAUSE:-3}

die() { echo "prune.sh: $*" >&2; exit 1; }
[ -x "$BACKUPD" ] || die "no backupd binary at $BACKUPD (run: cmake --build build)"
for tool in curl jq python3 sqlite3; do
  command -v "$tool" >/dev/null || die "$tool is missing (run: scripts/install-deps.sh)"
done

scratch=$(mktemp -d "$BENCH_DIR/backupd-bench-prune.XXXXXX")
daemon_pid=""
stop() { [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null; daemon_pid=""; }
cleanup() { stop; rm -rf "$scratch"; }
trap cleanup EXIT
mkdir -p "$scratch/src" "$scratch/backups" "$scratch/rm"
db="$scratch/backupd.db"

echo "# command: BACKUPD=$BACKUPD SNAPSHOTS=$SNAPSHOTS BENCH_DIR=$BENCH_DIR SCALE=$SCALE SEED=$SEED PAUSE=$PAUSE $0"
echo "# machine: $(nproc) cores, $BENCH_DIR on $(df -T "$BENCH_DIR" | awk 'NR == 2 {print $2}'), load $(cut -d' ' -f1-3 /proc/loadavg)"

start() {
  rm -f "$scratch/port"
  "$BACKUPD" serve --listen 127.0.0.1:0 --port-file "$scratch/port" --database "sqlite:$db" \
    --source-root "$scratch/src" --backup-root "$scratch/backups" 2>>"$scratch/serve.log" &
  daemon_pid=$!
  for _ in $(seq 1 300); do [ -s "$scratch/port" ] && break; sleep 0.1; done
  [ -s "$scratch/port" ] || die "the daemon did not start: $(tail -n 5 "$scratch/serve.log")"
  base="http://$(cat "$scratch/port")"
}

python3 "$repo_root/bench/make_dataset.py" "$scratch/src/data" --seed "$SEED" --scale "$SCALE"
files=$(find "$scratch/src/data" -type f | wc -l)
start
answer=$(curl -sf -X POST -H 'Content-Type: application/json' -d '{"folder": "data"}' \
  "$base/api/v1/backups?wait=300")
[ "$(jq -r .state <<<"$answer")" = succeeded ] || die "the backup failed: $answer"
newest=$(jq -r .id <<<"$answer")
stop

# SNAPSHOTS - 1 older snapshots: trees of hard links to S, rows copied from S's, an hour apart.
echo "# seeding $((SNAPSHOTS - 1)) snapshots of $files files (cp -al), twice"
snapshot_dir="$scratch/backups/$(jq -r .snapshot <<<"$answer")"
sql="$scratch/seed.sql"
{
  echo "BEGIN; CREATE TEMP TABLE s AS SELECT * FROM jobs WHERE id = $newest;"
  for i in $(seq 1 $((SNAPSHOTS - 1))); do
    id=$((newest + i))
    name="$(date -u -d "@$(($(date +%s) - i * 3600))" +%Y%m%dT%H%M%SZ)-$id"
    cp -al "$snapshot_dir" "$scratch/backups/data/$name"
    cp "$snapshot_dir.manifest" "$scratch/backups/data/$name.manifest"
    cp -al "$snapshot_dir" "$scratch/rm/$name"
    cp "$snapshot_dir.manifest" "$scratch/rm/$name.manifest"
    echo "UPDATE s SET id = $id, snapshot = 'data/$name', finished_at = datetime(finished_at, '-$i hours'); INSERT INTO jobs SELECT * FROM s;"
  done
  echo "COMMIT;"
} >"$sql"
sqlite3 "$db" <"$sql"

start
listed=$(curl -sf "$base/api/v1/snapshots?folder=data&limit=1000" | jq '.snapshots | length')
echo "# snapshots listed before the prune: $listed (a page holds at most 1000)"
curl -sf -X POST -H 'Content-Type: application/json' \
  -d '{"name": "bench", "folder": "data", "schedule": "@yearly", "retention": {"keep_last": 1}}' \
  "$base/api/v1/plans" >/dev/null || die "the plan was refused"

sync; sleep "$PAUSE"
start_s=$(date +%s.%N)
rm -rf "$scratch/rm"
rm_s=$(awk -v s="$start_s" -v e="$(date +%s.%N)" 'BEGIN {printf "%.2f", e - s}')

sync; sleep "$PAUSE"
start_s=$(date +%s.%N)
job=$(curl -sf -X POST "$base/api/v1/plans/bench/prune" | jq -r .id)
until state=$(curl -sf "$base/api/v1/jobs/$job" | jq -r .state) && [ "$state" != queued ] && [ "$state" != running ]; do
  sleep 0.05
done
prune_s=$(awk -v s="$start_s" -v e="$(date +%s.%N)" 'BEGIN {printf "%.2f", e - s}')
report=$(curl -sf "$base/api/v1/jobs/$job" | jq -c '{state, prune}')
left=$(find "$scratch/backups/data" -mindepth 1 -maxdepth 1 -type d | wc -l)

echo "| removing $((SNAPSHOTS - 1)) snapshots of $files files | seconds |"
echo "| --- | --- |"
echo "| rm -rf (trees and manifests) | $rm_s |"
echo "| prune job (API, keep_last 1) | $prune_s |"
echo
echo "prune job: $report; snapshot directories left: $left"
awk -v p="$prune_s" -v r="$rm_s" 'BEGIN {printf "prune / rm -rf: %.2fx (goal <= 1.5x)\n", p / r}'
