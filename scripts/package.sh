#!/usr/bin/env bash
# Builds the Debian package: configures and builds build/ (as `make build` does), runs
# `cpack -G DEB` there and prints the path of the .deb (build/packages/backupd_<v>-1_<arch>.deb).
# Needs dpkg-dev for dpkg-shlibdeps (installed when missing). Rules: cmake/Packaging.cmake.
#   scripts/package.sh            BUILD_DIR=... and BUILD_TYPE=... override the defaults
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=${BUILD_DIR:-build}
build_type=${BUILD_TYPE:-RelWithDebInfo}

scripts/install-deps.sh
if ! dpkg-query -W -f='${Status}' dpkg-dev 2>/dev/null | grep -q 'ok installed'; then
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  echo "package: installing dpkg-dev" >&2
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends \
    dpkg-dev >/dev/null
fi

cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="$build_type" >/dev/null
cmake --build "$build_dir" --target backupd backupctl >&2
rm -rf "$build_dir/packages"
(cd "$build_dir" && cpack -G DEB >&2)

shopt -s nullglob
packages=("$build_dir"/packages/backupd_*.deb)
[ "${#packages[@]}" -eq 1 ] || { echo "package: expected one .deb, found ${#packages[@]}" >&2; exit 1; }
realpath "${packages[0]}"
