#!/usr/bin/env bash
# The dashboard's tests (ctest label "ui"; tests/ui/README.md):
#   tests/ui/run.sh helpers                  the pure helpers of web/ under node --test
#   tests/ui/run.sh dashboard PATH/TO/backupd  every screen in Debian's Chromium, real daemon
# The dashboard case installs playwright-core from the lock file (npm ci) when it is missing,
# so a fresh CI machine needs nothing beyond scripts/install-deps.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=""
if [ "${1:-}" = dashboard ]; then bin=$(realpath "${2:?usage: $0 dashboard PATH/TO/backupd}"); fi
# Screenshots go to the build directory (ctest sets it), by default the repository's build/.
BUILD_DIR=$(realpath -m "${BUILD_DIR:-$here/../../build}")
export BUILD_DIR
cd "$here"

case ${1:-} in
  helpers)
    exec node --test format.test.mjs progress.test.mjs plan_status.test.mjs
    ;;
  dashboard)
    chromium=${CHROMIUM_PATH:-/usr/bin/chromium}
    [ -x "$chromium" ] || { echo "FAIL: $chromium not found (scripts/install-deps.sh installs chromium)" >&2; exit 1; }
    if [ ! -f node_modules/playwright-core/package.json ]; then
      command -v npm >/dev/null || { echo "FAIL: npm not found (Node.js 20 with npm)" >&2; exit 1; }
      npm ci --no-audit --no-fund >&2
    fi
    BACKUPD_BIN=$bin exec node --test --test-reporter=spec dashboard.test.mjs
    ;;
  *)
    echo "usage: $0 helpers | dashboard PATH/TO/backupd" >&2
    exit 2
    ;;
esac
