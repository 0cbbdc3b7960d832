#!/usr/bin/env bash
# Quality gate: each libFuzzer target of tests/fuzz (ASan+UBSan, clang 14, build-fuzz) for a
# bounded time over a COPY of its seed corpus, so CI never writes new inputs into the repository.
# Any crash, sanitizer report, leak, timeout or out-of-memory fails; the input that caused it is
# kept in build-fuzz/fuzz-artifacts/ (add it to tests/fuzz/corpus/<target>/ with the fix).
#
#   scripts/run-fuzz.sh [SECONDS_PER_TARGET]      default 30
#
# Environment: JOBS (parallel compile jobs, default 2), FUZZ_TARGETS (names such as
# "fuzz_query fuzz_json"; default every tests/fuzz/fuzz_*.cpp), BUILD_TYPE (default
# RelWithDebInfo). docs/fuzzing.md has the longer runs and the findings.
set -euo pipefail
cd "$(dirname "$(realpath "$0")")/.."

seconds=${1:-30}
case "$seconds" in '' | *[!0-9]*) echo "usage: $0 [SECONDS_PER_TARGET]" >&2; exit 2 ;; esac
JOBS=${JOBS:-2}
BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo}
dir=build-fuzz
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
# UBSan does not recover (BACKUPD_FUZZ in CMakeLists.txt); both print stacks for the report.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

if [ -n "${FUZZ_TARGETS:-}" ]; then
  read -ra targets <<<"$FUZZ_TARGETS"
else
  mapfile -t targets < <(find tests/fuzz -maxdepth 1 -name 'fuzz_*.cpp' -printf '%f\n' | sed 's/\.cpp$//' | sort)
fi

# clang 14 and its runtimes (libFuzzer, ASan, UBSan) on a fresh machine; quiet when present.
scripts/install-deps.sh clang-14 libclang-rt-14-dev
echo "run-fuzz: building ${targets[*]} in $dir" >&2
CC=clang-14 CXX=clang++-14 cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$BUILD_TYPE" \
  -DBACKUPD_FUZZ=ON -DBUILD_TESTING=OFF >/dev/null
cmake --build "$dir" --parallel "$JOBS" --target "${targets[@]}"

# Longest input per target: a request may carry a body, the parsers read short strings.
max_len() {
  case "$1" in
    fuzz_http_request) echo 16384 ;;
    fuzz_json | fuzz_config) echo 4096 ;;
    *) echo 1024 ;;
  esac
}
# Dictionary per target (libFuzzer's -dict), when there is one.
dictionary() {
  case "$1" in
    fuzz_http_request | fuzz_json | fuzz_query) echo tests/fuzz/http.dict ;;
    fuzz_schedule) echo tests/fuzz/schedule.dict ;;
    fuzz_config) echo tests/fuzz/config.dict ;;
  esac
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
artifacts=$dir/fuzz-artifacts
mkdir -p "$artifacts"
failed=()
for target in "${targets[@]}"; do
  name=${target#fuzz_}
  mkdir -p "$work/$name"
  cp -r "tests/fuzz/corpus/$name/." "$work/$name/"
  options=(-max_total_time="$seconds" -max_len="$(max_len "$target")" -rss_limit_mb=2048
           -timeout=10 -print_final_stats=1 -artifact_prefix="$artifacts/$target-")
  dict=$(dictionary "$target")
  if [ -n "$dict" ]; then options+=(-dict="$dict"); fi
  echo "run-fuzz: $target for ${seconds}s" >&2
  # New inputs go to the copy (the first corpus directory); the seeds stay as committed.
  if ! nice "$dir/tests/fuzz/$target" "${options[@]}" "$work/$name" >"$work/$target.log" 2>&1; then
    tail -n 60 "$work/$target.log" >&2
    failed+=("$target")
    continue
  fi
  grep -E '^(Done|#[0-9]+.*DONE|stat::number_of_executed_units|stat::average_exec_per_sec)' "$work/$target.log" >&2 || true
done
if [ "${#failed[@]}" -ne 0 ]; then
  echo "run-fuzz: FAILED: ${failed[*]} (inputs in $artifacts)" >&2
  exit 1
fi
echo "run-fuzz: ${targets[*]} passed, ${seconds}s each" >&2
