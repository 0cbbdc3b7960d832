#!/usr/bin/env bash
# Quality gate: clang-tidy with the repository's .clang-tidy over the product's translation units
# in BUILD_DIR/compile_commands.json (our headers are checked through them, per
# HeaderFilterRegex). Prints each finding once and exits 1 if there is any.
#
#   scripts/check-tidy.sh [FILE...]       default: every tracked .cpp of the product the build
#                                         compiles (tests/ are left out: checking them doubled
#                                         the step to 17 minutes on CI's 2 cores)
#
# Environment: BUILD_DIR (default build; configured here when it has no compile_commands.json),
# JOBS (parallel clang-tidy processes, default 2). Installs clang-tidy (clang 14) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${BUILD_DIR:-build}
JOBS=${JOBS:-2}
command -v clang-tidy >/dev/null || scripts/install-deps.sh clang-tidy
if [ ! -f "$BUILD_DIR/compile_commands.json" ]; then
  scripts/install-deps.sh
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi

if [ "$#" -gt 0 ]; then
  files=("$@")
else
  # Tracked sources that the build compiles (generated ones under the build dir are not ours).
  mapfile -t files < <(comm -12 \
    <(jq -r '.[].file' "$BUILD_DIR/compile_commands.json" | sed "s|^$PWD/||" | sort -u) \
    <(git ls-files -- '*.cpp' ':!tests/' | sort -u))
fi
if [ "${#files[@]}" -eq 0 ]; then echo "check-tidy: no files to check" >&2; exit 1; fi

out=$(mktemp)
trap 'rm -f "$out" "$out.stderr"' EXIT
echo "check-tidy: ${#files[@]} files, $JOBS at a time" >&2
# clang-tidy exits non-zero only when a unit does not compile (or it crashes): that fails too.
tidy_status=0
printf '%s\0' "${files[@]}" |
  xargs -0 -n 1 -P "$JOBS" clang-tidy -p "$BUILD_DIR" --quiet >"$out" 2>"$out.stderr" || tidy_status=$?

# One line per finding, relative paths, each finding once (a header is seen by many units).
findings=$(grep -E '^[^ ].*:[0-9]+:[0-9]+: (warning|error):' "$out" | sed "s|^$PWD/||" | sort -u || true)
if [ "$tidy_status" -ne 0 ] && [ -z "$findings" ]; then
  grep -v 'warnings generated' "$out.stderr" >&2 || true
  echo "check-tidy: clang-tidy failed (status $tidy_status) without a finding; its errors are above" >&2
  exit 1
fi
if [ -n "$findings" ]; then
  echo "$findings"
  echo "check-tidy: $(wc -l <<<"$findings") finding(s) above (.clang-tidy)" >&2
  exit 1
fi
echo "check-tidy: ${#files[@]} files clean" >&2
