#!/usr/bin/env bash
# Quality gate: the tests under sanitizers, each in a build directory of its own, on SQLite and
# on a throwaway MariaDB (scripts/with-mariadb.sh):
#   address  ASan + UBSan (build-asan): every unit and integration test
#   thread   TSan (build-tsan): the queue and worker tests, where the threads are
# Builds only the targets those tests run. Any sanitizer report fails its test (UBSan does not
# recover; see BACKUPD_SANITIZE in CMakeLists.txt).
#
#   scripts/test-sanitizers.sh [address|thread]...     default: address thread
#
# Environment: JOBS (parallel compile jobs, default 2: a sanitized Beast unit takes over 1 GB),
# CTEST_PARALLEL (default 2), BUILD_TYPE (default RelWithDebInfo). CI=true is passed through
# (MySQL tests then fail instead of skipping without a database).
set -euo pipefail
self=$(realpath "$0")
cd "$(dirname "$self")/.."

kinds=("$@")
if [ "${#kinds[@]}" -eq 0 ]; then kinds=(address thread); fi
for kind in "${kinds[@]}"; do
  case "$kind" in address | thread) ;; *) echo "usage: $0 [address|thread]..." >&2; exit 2 ;; esac
done

# Start the throwaway database once and run the rest of this script beside it.
if [ -z "${BACKUPD_TEST_MYSQL_URL:-}" ]; then
  scripts/install-deps.sh
  exec scripts/with-mariadb.sh "$self" "$@"
fi

JOBS=${JOBS:-2}
CTEST_PARALLEL=${CTEST_PARALLEL:-2}
BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
export BOOST_TEST_COLOR_OUTPUT=no
# Reports go to the test's output; any report fails the test.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:strict_init_order=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}

# run_sanitized KIND BUILD_DIR LABEL_REGEX NAME_REGEX: configure, build the test binaries the
# selected tests run (named by CTest itself, so new tests need no edit here), run them.
run_sanitized() {
  local kind=$1 dir=$2 labels=$3 names=$4
  echo "test-sanitizers: $kind in $dir" >&2
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$BUILD_TYPE" -DBACKUPD_SANITIZE="$kind" >/dev/null
  local selection=(-L "$labels" -R "$names")
  # Each selected test's executable, from the add_test lines CMake wrote (CTest names no
  # command for an executable not yet built); the target is its file name. Only executables
  # built in $dir are targets: a test run by a script (bash ...) has nothing to build.
  local names targets abs_dir
  abs_dir=$(realpath "$dir")
  names=$(ctest --test-dir "$dir" --show-only=json-v1 "${selection[@]}" | jq -r '.tests[].name')
  mapfile -t targets < <(find "$dir" -name CTestTestfile.cmake -exec cat {} + |
    sed -n 's/^add_test(\[=\[\(.*\)\]=\] "\([^"]*\)".*/\1 \2/p' |
    while read -r name command; do
      if grep -qxF "$name" <<<"$names" && [[ $command == "$abs_dir"/* ]]; then basename "$command"; fi
    done | sort -u)
  if [ "${#targets[@]}" -eq 0 ]; then echo "test-sanitizers: no tests selected in $dir" >&2; return 1; fi
  echo "test-sanitizers: building ${targets[*]}" >&2
  cmake --build "$dir" --parallel "$JOBS" --target "${targets[@]}"
  ctest --test-dir "$dir" --output-on-failure -j "$CTEST_PARALLEL" --no-tests=error "${selection[@]}"
}

status=0
for kind in "${kinds[@]}"; do
  case "$kind" in
    address) run_sanitized address build-asan '^(unit|integration)$' '.' || status=1 ;;
    thread)
      run_sanitized thread build-tsan '^integration$' \
        '^(queue_concurrency_test|job_queue_test|job_lease_test|job_retry_test|worker_pool_test|job_runner_test)\.' || status=1 ;;
  esac
done
if [ "$status" -ne 0 ]; then echo "test-sanitizers: FAILED" >&2; exit 1; fi
echo "test-sanitizers: ${kinds[*]} passed" >&2
