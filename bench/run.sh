#!/usr/bin/env bash
# Runs the benchmarks in bench/: every bench/*.sh except this one, in name order, or only those
# named on the command line (bench/run.sh snapshot). Each prints its own command, machine and
# results table; see bench/README.md. Stops at the first benchmark that fails.
#   bench/run.sh [NAME...]
set -euo pipefail

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ "$#" -gt 0 ]; then
  scripts=()
  for name in "$@"; do scripts+=("$bench_dir/${name%.sh}.sh"); done
else
  scripts=("$bench_dir"/*.sh)  # digest.sh, http.sh, prune.sh, restore.sh, scale.sh, snapshot.sh
fi

for script in "${scripts[@]}"; do
  [ "$(basename "$script")" = run.sh ] && continue
  [ -f "$script" ] || { echo "run.sh: no benchmark $script" >&2; exit 1; }
  echo "## $(basename "$script" .sh)"
  bash "$script"
  echo
done
