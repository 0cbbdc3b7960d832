#!/usr/bin/env bash
# Restore benchmark: a whole-snapshot restore through the API (POST /api/v1/restores?wait=N on
# a real daemon, SQLite) against `cp -a SNAPSHOT NEW` + `sync -f NEW` of the same tree, in the
# same run. Goal: at most 1.0x cp -a + sync.
#
#   bench/restore.sh            or: bash bench/run.sh restore
#
# Environment: BACKUPD (binary, default build/bin/backupd), RUNS (timed runs per tool, default
# 5), BENCH_DIR (scratch parent, default /tmp), SCALE (dataset size factor, default 1: about
# 20,000 files and 0.9 GiB, bench/make_dataset.py), SEED, PAUSE (seconds to let the disk settle
# before each timed run, default 3).
#
# Method as bench/snapshot.sh: one untimed warm-up of each, then RUNS rounds in a rotating
# order, each run preceded by an untimed sync and a pause, each into a fresh directory deleted
# only at the end. The restore includes the daemon's flush of what it wrote (a restore is
# reported done only once durable), so cp -a + sync is the like-for-like reference. Reported:
# the median time per tool and the median of the per-round ratios.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BACKUPD=${BACKUPD:-$repo_root/build/bin/backupd}
RUNS=${RUNS:-5}
BENCH_DIR=${BENCH_DIR:-/tmp}
SCALE=${SCALE:-1}
SEED=${SEED:-1}
PAUSE=${PAUSE:-3}

die() { echo "restore.sh: $*" >&2; exit 1; }
[ -x "$BACKUPD" ] || die "no backupd binary at $BACKUPD (run: cmake --build build)"
for tool in curl jq python3; do
  command -v "$tool" >/dev/null || die "$tool is missing (run: scripts/install-deps.sh)"
done

scratch=$(mktemp -d "$BENCH_DIR/backupd-bench-restore.XXXXXX")
daemon_pid=""
cleanup() {
  [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
  rm -rf "$scratch"
}
trap cleanup EXIT
mkdir -p "$scratch/src" "$scratch/backups" "$scratch/restores" "$scratch/cp"
results=$scratch/results
: >"$results"

echo "# command: BACKUPD=$BACKUPD RUNS=$RUNS BENCH_DIR=$BENCH_DIR SCALE=$SCALE SEED=$SEED PAUSE=$PAUSE $0"
echo "# machine: $(nproc) cores, $BENCH_DIR on $(df -T "$BENCH_DIR" | awk 'NR == 2 {print $2}'), load $(cut -d' ' -f1-3 /proc/loadavg)"

python3 "$repo_root/bench/make_dataset.py" "$scratch/src/data" --seed "$SEED" --scale "$SCALE"
"$BACKUPD" serve --listen 127.0.0.1:0 --port-file "$scratch/port" \
  --database "sqlite:$scratch/backupd.db" --source-root "$scratch/src" \
  --backup-root "$scratch/backups" --restore-root "$scratch/restores" 2>"$scratch/serve.log" &
daemon_pid=$!
for _ in $(seq 1 300); do [ -s "$scratch/port" ] && break; sleep 0.1; done
[ -s "$scratch/port" ] || die "the daemon did not start: $(tail -n 5 "$scratch/serve.log")"
base="http://$(cat "$scratch/port")"

answer=$(curl -sf -X POST -H 'Content-Type: application/json' -d '{"folder": "data"}' \
  "$base/api/v1/backups?wait=300")
[ "$(jq -r .state <<<"$answer")" = succeeded ] || die "the backup failed: $answer"
snapshot_id=$(jq -r .id <<<"$answer")
snapshot="$scratch/backups/$(jq -r .snapshot <<<"$answer")"

restore() { # restore TARGET
  local answer
  answer=$(curl -sf -X POST -H 'Content-Type: application/json' \
    -d "{\"snapshot\": $snapshot_id, \"target\": \"$1\"}" "$base/api/v1/restores?wait=300")
  [ "$(jq -r .state <<<"$answer")" = succeeded ] || die "the restore failed: $answer"
}
copy() { cp -a "$snapshot" "$scratch/cp/$1" && sync -f "$scratch/cp/$1"; }

# measure TOOL RUN COMMAND...: settle the disk (untimed), then time COMMAND once.
measure() {
  local tool=$1 run=$2 start end
  shift 2
  sync
  sleep "$PAUSE"
  start=$(date +%s.%N)
  "$@"
  end=$(date +%s.%N)
  printf '%s\t%s\t%s\n' "$tool" "$run" "$(awk -v s="$start" -v e="$end" 'BEGIN {printf "%.3f", e - s}')" >>"$results"
}

restore warmup && copy warmup
diff -r --no-dereference "$snapshot" "$scratch/restores/warmup" >/dev/null ||
  die "the restored tree differs from the snapshot"
for run in $(seq 1 "$RUNS"); do
  if [ $((run % 2)) -eq 1 ]; then
    measure restore "$run" restore "r$run"; measure "cp -a + sync" "$run" copy "r$run"
  else
    measure "cp -a + sync" "$run" copy "r$run"; measure restore "$run" restore "r$run"
  fi
done

python3 - "$results" <<'EOF'
import statistics, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
times = {}
for tool, run, seconds in rows:
    times.setdefault(tool, {})[run] = float(seconds)
ratios = [times["restore"][r] / times["cp -a + sync"][r] for r in times["restore"]]
print("| tool | median s | runs |")
print("| --- | --- | --- |")
for tool, by_run in times.items():
    print(f"| {tool} | {statistics.median(by_run.values()):.2f} | {len(by_run)} |")
print(f"\nrestore / (cp -a + sync), median of per-round ratios: {statistics.median(ratios):.2f}x (goal <= 1.0x)")
EOF
