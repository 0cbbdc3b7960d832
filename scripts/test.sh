#!/usr/bin/env bash
# CI stage "Test", also run by hand: runs every test tier (unit, integration, e2e) of an
# existing build with CTest beside a throwaway MariaDB (scripts/with-mariadb.sh), and writes one
# JUnit XML report per tier to build/test-reports/ (for Jenkins' junit step).
#
#   scripts/test.sh [CTEST_ARGS...]       e.g. scripts/test.sh -R job_queue
#
# Builds first when build/ is missing or stale (scripts/build.sh does the first build). Runs
# every tier even when one fails, then exits non-zero if any test failed. Extra arguments go to
# every ctest run.
#
# Environment: BUILD_DIR (default build), CTEST_PARALLEL (default 2). BACKUPD_TEST_MYSQL_URL
# already set: that server is used and none is started. CI=true is passed through, not set
# here: with it, MySQL tests fail instead of skipping when no database is reachable (as in
# .ci/run); without it, they may skip.
set -euo pipefail
self=$(realpath "$0")
cd "$(dirname "$self")/.."

BUILD_DIR=${BUILD_DIR:-build}
CTEST_PARALLEL=${CTEST_PARALLEL:-2}
REPORT_DIR="$(realpath -m "$BUILD_DIR")/test-reports"

# Start the throwaway database once and run the rest of this script beside it.
if [ -z "${BACKUPD_TEST_MYSQL_URL:-}" ]; then
  exec scripts/with-mariadb.sh "$self" "$@"
fi

if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  scripts/build.sh
else
  cmake --build "$BUILD_DIR"        # no-op when up to date
fi

# Boost.Test's colours would land in the reports as escape codes.
export BOOST_TEST_COLOR_OUTPUT=${BOOST_TEST_COLOR_OUTPUT:-no}

rm -rf "$REPORT_DIR"
mkdir -p "$REPORT_DIR"

# One report per tier, by CTest label; a test in none of these tiers still runs, as "other".
tiers=(unit integration e2e ui)
exclude="^($(IFS='|'; echo "${tiers[*]}"))\$"
failed=()
run_tier() { # run_tier NAME CTEST_SELECTION...
  local name=$1
  shift
  echo "test: tier $name" >&2
  if ! ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$CTEST_PARALLEL" \
      --output-junit "$REPORT_DIR/$name.xml" "$@"; then
    failed+=("$name")
  fi
}
# A tier without tests is an error, unless the caller narrowed the selection (-R ...).
no_tests=--no-tests=error
if [ "$#" -gt 0 ]; then no_tests=--no-tests=ignore; fi
for tier in "${tiers[@]}"; do
  run_tier "$tier" -L "^$tier\$" "$no_tests" "$@"
done
if ctest --test-dir "$BUILD_DIR" -N -LE "$exclude" "$@" | grep -q '^ *Test *#'; then
  run_tier other -LE "$exclude" "$@"
fi

if [ "${#failed[@]}" -ne 0 ]; then
  echo "test: FAILED in tier(s): ${failed[*]} (reports in $REPORT_DIR)" >&2
  exit 1
fi
echo "test: all tiers passed (reports in $REPORT_DIR)" >&2
