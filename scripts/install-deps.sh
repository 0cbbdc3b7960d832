#!/usr/bin/env bash
# Installs the Debian bookworm packages backupd builds and tests with, if any are missing.
# Idempotent and quiet when everything is present; uses sudo when not root.
#   scripts/install-deps.sh              build + test + benchmark dependencies
#   scripts/install-deps.sh PACKAGE...   those, and the packages named (e.g. clang-tidy)
set -euo pipefail

packages=(
  g++ cmake ninja-build ccache make pkgconf curl ca-certificates
  libboost1.81-dev libboost-system1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libboost-program-options1.81-dev libboost-test1.81-dev
  libsoci-dev libmariadb-dev libsqlite3-dev rapidjson-dev libspdlog-dev libssl-dev libxxhash-dev
  libhowardhinnant-date-dev tzdata
  zlib1g-dev                              # the dashboard's files are gzipped at build time
  mariadb-server mariadb-client
  jq                                      # the end-to-end tests read JSON answers with it
  tmux                                    # backupctl's progress bars on a pseudo-terminal (e2e)
  groff groff-base man-db                 # the man page check (groff -man -z -ww, tests/e2e/cli_docs_test.sh)
  python3 rsync time wrk sqlite3           # make bench (bench/snapshot.sh, bench/http.sh)
  chromium nodejs                         # the dashboard's UI tests (tests/ui; npm ci there)
  prometheus python3-yaml                  # promtool and the monitoring kit's checks (tests/monitoring)
  "$@"
)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$package")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get -o DPkg::Lock::Timeout=900 update -qq
"${sudo[@]}" apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
