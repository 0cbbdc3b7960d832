#!/usr/bin/env bash
# CI stage "Build", also run by hand: installs missing Debian packages (scripts/install-deps.sh),
# configures with CMake + Ninja and builds into build/ (docs/design.md section 9): the daemon lands
# at build/bin/backupd, the test binaries under build/tests/.
#
#   scripts/build.sh
#
# Environment: BUILD_DIR (default build), BUILD_TYPE (default RelWithDebInfo), JOBS (parallel
# compile jobs; default Ninja's choice). ccache is used when installed; CCACHE_BASEDIR defaults
# to the checkout so that caches are shared between workspaces.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${BUILD_DIR:-build}
BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}

scripts/install-deps.sh

cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="$BUILD_TYPE"
build_args=()
if [ -n "${JOBS:-}" ]; then build_args=(--parallel "$JOBS"); fi
cmake --build "$BUILD_DIR" "${build_args[@]}"

echo "build: $("$BUILD_DIR/bin/backupd" --version) at $BUILD_DIR/bin/backupd" >&2
