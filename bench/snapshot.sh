#!/usr/bin/env bash
# Snapshot benchmark: `backupd snapshot` (which digests every byte into its manifest) against
# cp -a, cp -a + sync and rsync -a (full copy), and against cp -al and rsync --link-dest
# (unchanged tree, incremental); `backupd verify` against `cat` of the same large files (both
# from a hot page cache); and the peak memory of a snapshot and a verify of 100,000 files; all
# in the same run.
#
#   bench/snapshot.sh            or: make bench
#
# Environment: BACKUPD (binary, default build/bin/backupd), RUNS (timed runs per tool, default
# 5), BENCH_DIR (scratch parent, default /tmp; its filesystem is what is measured), SCALE
# (dataset size factor, default 1 = about 20,000 files and 0.9 GiB), SEED (dataset seed),
# PAUSE (seconds to let the disk settle before each timed run, default 3), MANY (files in the
# memory test, default 100000).
#
# Method (see docs/toolchain.md section 7): one untimed warm-up run of every tool so
# all read the source from a warm page cache; then RUNS rounds, each running every tool once in
# a rotating order, each run preceded by an untimed `sync` and a pause, and each writing to a
# fresh directory that is deleted only at the end (a large delete slows file creation on this
# ext4 for a minute or more). Reported: the median time per tool and the median of the per-round
# ratios, plus the maximum RSS of each run (GNU time).
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BACKUPD=${BACKUPD:-$repo_root/build/bin/backupd}
RUNS=${RUNS:-5}
BENCH_DIR=${BENCH_DIR:-/tmp}
SCALE=${SCALE:-1}
SEED=${SEED:-1}
PAUSE=${PAUSE:-3}
MANY=${MANY:-100000}
FOLDER=data

die() { echo "snapshot.sh: $*" >&2; exit 1; }
[ -x "$BACKUPD" ] || die "no backupd binary at $BACKUPD (run: cmake --build build)"
"$BACKUPD" snapshot --help >/dev/null 2>&1 || die "$BACKUPD has no working 'snapshot' subcommand"
for tool in /usr/bin/time rsync python3; do
  command -v "$tool" >/dev/null || die "$tool is missing (run: scripts/install-deps.sh)"
done

scratch=$(mktemp -d "$BENCH_DIR/backupd-bench.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
src=$scratch/src        # the source root; the benchmarked folder is $src/$FOLDER
out=$scratch/out        # every copy, one fresh directory per run
results=$scratch/results  # tab-separated: phase, tool, run, seconds, max RSS KiB
mkdir -p "$src" "$out"
: >"$results"

echo "# command: BACKUPD=$BACKUPD RUNS=$RUNS BENCH_DIR=$BENCH_DIR SCALE=$SCALE SEED=$SEED PAUSE=$PAUSE MANY=$MANY $0"
echo "# backupd: $("$BACKUPD" --version 2>&1 | head -n1)"
echo "# machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)," \
  "$(awk '/MemTotal/ {printf "%.0f GiB RAM", $2 / 1048576}' /proc/meminfo), kernel $(uname -r)," \
  "$BENCH_DIR on $(df -T "$BENCH_DIR" | awk 'NR == 2 {print $2}'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# tools: $(cp --version | head -n1), $(rsync --version | head -n1)"

python3 "$repo_root/bench/make_dataset.py" "$src/$FOLDER" --seed "$SEED" --scale "$SCALE"
data_kib=$(du -sk "$src/$FOLDER" | cut -f1)
need_kib=$((data_kib * (4 * (RUNS + 1) + 2)))  # full copies kept until the end, plus 2 bases
free_kib=$(df -Pk "$scratch" | awk 'NR == 2 {print $4}')
[ "$free_kib" -gt "$need_kib" ] || die "need $((need_kib / 1048576)) GiB free in $BENCH_DIR; try a smaller SCALE or RUNS"

# measure PHASE TOOL RUN COMMAND...: settle the disk (untimed), run COMMAND once, record its
# wall time and max RSS. COMMAND's stdout is left in $scratch/stdout.
measure() {
  local phase=$1 tool=$2 run=$3 start end
  shift 3
  sync
  sleep "$PAUSE"
  start=$(date +%s.%N)
  if ! /usr/bin/time -f %M -o "$scratch/rss" "$@" >"$scratch/stdout" 2>"$scratch/stderr"; then
    cat "$scratch/stderr" >&2
    die "failed: $*"
  fi
  end=$(date +%s.%N)
  printf '%s\t%s\t%s\t%s\t%s\n' "$phase" "$tool" "$run" \
    "$(awk -v s="$start" -v e="$end" 'BEGIN {printf "%.3f", e - s}')" "$(tail -n1 "$scratch/rss")" >>"$results"
}

# The snapshot path backupd printed, made absolute against its backup root ($1).
snapshot_path() {
  local path
  path=$(tail -n1 "$scratch/stdout")
  [[ $path == /* ]] || path=$1/$path
  [ -d "$path" ] || die "backupd printed '$path', which is not a directory"
  echo "$path"
}

# Every regular file in $1 must be a hard link (link count above 1) to the base tree.
check_all_linked() {
  local single
  single=$(find "$1" -type f -links 1 | wc -l)
  [ "$single" -eq 0 ] || die "$2: $single files in $1 were copied, not linked"
}

# One run of each tool. $1 = run number (0 = warm-up); each writes to a fresh directory.
full_backupd() { measure full "backupd" "$1" "$BACKUPD" snapshot --source-root "$src" --backup-root "$out/full-backupd-$1" "$FOLDER"; }
full_cp() { measure full "cp -a" "$1" cp -a "$src/$FOLDER" "$out/full-cp-$1"; }
# shellcheck disable=SC2016  # $1 and $2 are expanded by the inner sh, on purpose
full_cp_sync() { measure full "cp -a + sync" "$1" sh -c 'cp -a "$1" "$2" && sync -f "$2"' sh "$src/$FOLDER" "$out/full-cpsync-$1"; }
full_rsync() { measure full "rsync -a" "$1" rsync -a "$src/$FOLDER/" "$out/full-rsync-$1/"; }
inc_backupd() { measure unchanged "backupd" "$1" "$BACKUPD" snapshot --source-root "$src" --backup-root "$out/inc-backupd" "$FOLDER"; }
inc_cp() { measure unchanged "cp -al" "$1" cp -al "$out/inc-base" "$out/inc-cpal-$1"; }
inc_rsync() { measure unchanged "rsync --link-dest" "$1" rsync -a --link-dest="$out/inc-base" "$src/$FOLDER/" "$out/inc-rsync-$1/"; }
verify_backupd() { measure verify "backupd verify" "$1" "$BACKUPD" verify "$large_snap"; }
# shellcheck disable=SC2016  # $1 is expanded by the inner sh, on purpose
verify_cat() { measure verify "cat > /dev/null" "$1" sh -c 'cat "$1"/* >/dev/null' sh "$large_snap"; }

# run_rounds TOOL_FUNCTION...: runs 1..RUNS, every tool once per round, in rotating order.
run_rounds() {
  local tools=("$@") run i
  for ((run = 1; run <= RUNS; run++)); do
    for ((i = 0; i < ${#tools[@]}; i++)); do
      "${tools[$(((run + i) % ${#tools[@]}))]}" "$run"
    done
  done
}

echo "# full copy: warm-up + $RUNS rounds" >&2
full_backupd 0
snap=$(snapshot_path "$out/full-backupd-0")
diff -r --no-dereference "$src/$FOLDER" "$snap" >&2 || die "backupd's snapshot differs from the source"
listing() { (cd "$1" && find . -printf '%y %m %T@ %s %l %p\n' | sort); }
diff <(listing "$src/$FOLDER") <(listing "$snap") >"$scratch/meta.diff" ||
  echo "# WARNING: modes/mtimes differ between source and snapshot ($(grep -c '^<' "$scratch/meta.diff") entries), e.g.:" \
    "$(sed -n 2,3p "$scratch/meta.diff" | tr '\n' ' ')"
full_cp 0
full_cp_sync 0
full_rsync 0
run_rounds full_cp full_cp_sync full_rsync full_backupd

echo "# unchanged tree (incremental): warm-up + $RUNS rounds" >&2
"$BACKUPD" snapshot --source-root "$src" --backup-root "$out/inc-backupd" "$FOLDER" \
  >"$scratch/stdout" 2>"$scratch/stderr" || { cat "$scratch/stderr" >&2; die "first snapshot failed"; }
first=$(snapshot_path "$out/inc-backupd")
cp -a "$src/$FOLDER" "$out/inc-base"
inc_backupd 0
second=$(snapshot_path "$out/inc-backupd")
sample=$(cd "$first" && find . -type f -print -quit)
[ "$(stat -c %i "$first/$sample")" = "$(stat -c %i "$second/$sample")" ] ||
  die "incremental snapshot did not hard-link $sample to the previous snapshot"
check_all_linked "$second" backupd
inc_rsync 0
check_all_linked "$out/inc-rsync-0" "rsync --link-dest"
inc_cp 0
run_rounds inc_cp inc_rsync inc_backupd

echo "# verify of the large files (page cache hot for both): warm-up + $RUNS rounds" >&2
mkdir -p "$src/large"
# Each large file four times (hard links in the source, four real copies in the snapshot): about
# 1 GiB to read, so start-up costs do not decide the ratio.
while IFS= read -r file; do
  for copy in 1 2 3 4; do ln "$file" "$src/large/$copy-$(basename "$file")"; done
done < <(find "$src/$FOLDER" -type f -size +1M)
large_bytes=$(find "$src/large" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
[ "${large_bytes:-0}" -gt 0 ] || die "the dataset has no large files"
"$BACKUPD" snapshot --source-root "$src" --backup-root "$out/verify-root" large \
  >"$scratch/stdout" 2>"$scratch/stderr" || { cat "$scratch/stderr" >&2; die "snapshot of the large files failed"; }
large_snap=$(snapshot_path "$out/verify-root")
verify_backupd 0
grep -q '^intact: ' "$scratch/stdout" || die "backupd verify did not find the snapshot intact"
verify_cat 0
run_rounds verify_cat verify_backupd

echo "# memory: a snapshot and a verify of $MANY small files" >&2
python3 - "$src/many" "$MANY" <<'PY'
import os, sys
root, count = sys.argv[1], int(sys.argv[2])
for i in range(count):
    directory = os.path.join(root, "d%03d" % (i // 1000))
    if i % 1000 == 0:
        os.makedirs(directory)
    with open(os.path.join(directory, "file-with-a-longish-name-%06d.txt" % i), "w") as f:
        f.write("x" * (i % 100))
PY
measure many "backupd snapshot" 1 "$BACKUPD" snapshot --source-root "$src" --backup-root "$out/many-root" many
many_snap=$(snapshot_path "$out/many-root")
measure many "backupd snapshot (unchanged)" 1 "$BACKUPD" snapshot --source-root "$src" --backup-root "$out/many-root" many
measure many "backupd verify" 1 "$BACKUPD" verify "$many_snap"
grep -q "^intact: $((MANY + MANY / 1000 + 1)) entries" "$scratch/stdout" || die "verify of $MANY files: $(head -n1 "$scratch/stdout")"

# Report. median reads numbers on stdin; column_of reads rounds 1..RUNS only (not the warm-up).
median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
column_of() { awk -v p="$1" -v t="$2" -v c="$3" -F'\t' '$1 == p && $2 == t && $3 > 0 {print $c}' "$results"; }
mib_per_s() { awk -v b="$large_bytes" -v s="$1" 'BEGIN {printf "%.0f", b / 1048576 / s}'; }
ratio() {  # ratio PHASE_A TOOL_A PHASE_B TOOL_B: median over rounds of time(A) / time(B)
  paste <(column_of "$1" "$2" 4) <(column_of "$3" "$4" 4) | awk '{print $1 / $2}' | median
}
echo
echo "| phase | tool | median s | runs (s) | max RSS MiB |"
echo "| --- | --- | ---: | --- | ---: |"
while IFS=$'\t' read -r phase tool; do
  printf '| %s | %s | %.3f | %s | %.1f |\n' "$phase" "$tool" \
    "$(column_of "$phase" "$tool" 4 | median)" \
    "$(column_of "$phase" "$tool" 4 | xargs printf '%.3f ' | sed 's/ $//')" \
    "$(column_of "$phase" "$tool" 5 | median | awk '{print $1 / 1024}')"
done < <(cut -f1,2 "$results" | awk '!seen[$0]++')

full_cp_ratio=$(ratio full backupd full "cp -a")
full_sync_ratio=$(ratio full backupd full "cp -a + sync")
inc_cp_ratio=$(ratio unchanged backupd unchanged "cp -al")
rsync_speedup=$(ratio unchanged "rsync --link-dest" unchanged backupd)
rss_mb=$(column_of full backupd 5 | sort -n | tail -n1 | awk '{print $1 / 1024}')
verify_ratio=$(ratio verify "cat > /dev/null" verify "backupd verify")  # = throughput ratio
verify_s=$(column_of verify "backupd verify" 4 | median)
cat_s=$(column_of verify "cat > /dev/null" 4 | median)
many_rss() { column_of many "$1" 5 | awk '{print $1 / 1024}'; }
verdict() { awk -v v="$1" -v op="$2" -v g="$3" 'BEGIN {print ((op == "<=") ? v <= g : v >= g) ? "yes" : "NO"}'; }

echo
echo "| comparison (median of per-round ratios) | value | goal | met |"
echo "| --- | ---: | --- | --- |"
printf '| backupd full (with digests) / (cp -a + sync) | %.2fx | <= 0.75x (both durable) | %s |\n' "$full_sync_ratio" "$(verdict "$full_sync_ratio" "<=" 0.75)"
printf '| backupd full (with digests) / cp -a | %.2fx | reference: cp -a leaves its writeback to later | |\n' "$full_cp_ratio"
printf '| backupd unchanged / cp -al | %.2fx | <= 0.8x | %s |\n' "$inc_cp_ratio" "$(verdict "$inc_cp_ratio" "<=" 0.8)"
printf '| rsync --link-dest / backupd unchanged | %.2fx faster | >= 3x | %s |\n' "$rsync_speedup" "$(verdict "$rsync_speedup" ">=" 3)"
printf '| backupd verify / cat > /dev/null, large files, hot cache (%s vs %s MiB/s) | %.0f%% | >= 80%% | %s |\n' \
  "$(mib_per_s "$verify_s")" "$(mib_per_s "$cat_s")" "$(awk -v r="$verify_ratio" 'BEGIN {print r * 100}')" "$(verdict "$verify_ratio" ">=" 0.8)"
printf '| backupd full, max RSS (worst run) | %.1f MiB | <= 30 MiB | %s |\n' "$rss_mb" "$(verdict "$rss_mb" "<=" 30)"
for tool in "backupd snapshot" "backupd snapshot (unchanged)" "backupd verify"; do
  printf '| %s of %s files, max RSS | %.1f MiB | < 30 MiB | %s |\n' "$tool" "$MANY" "$(many_rss "$tool")" "$(verdict "$(many_rss "$tool")" "<=" 30)"
done
