#!/usr/bin/env bash
# Digest benchmark: the throughput of XXH3-128 (libxxhash) and SHA-256 (OpenSSL) on this machine,
# in the same run, over one hot in-memory buffer (no disk): the cost each would add to a
# snapshot that hashes every byte it copies, and the ceiling of `backupd verify`.
#
#   bench/digest.sh        or: bash bench/run.sh digest
#
# Environment: MIB (buffer size, default 256), PASSES (passes over it per algorithm, default 4).
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MIB=${MIB:-256}
PASSES=${PASSES:-4}
scratch=$(mktemp -d "${TMPDIR:-/tmp}/backupd-digest.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

echo "# command: MIB=$MIB PASSES=$PASSES $0"
echo "# machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# libraries: libxxhash $(dpkg-query -W -f='${Version}' libxxhash-dev 2>/dev/null || echo '?'), OpenSSL $(openssl version 2>/dev/null | cut -d' ' -f2 || echo '?')"
c++ -O2 -std=c++20 -o "$scratch/digest_speed" "$repo_root/bench/digest_speed.cpp" -lxxhash -lcrypto
"$scratch/digest_speed" "$MIB" "$PASSES" 2>/dev/null >"$scratch/out"
echo
echo "| digest | MiB hashed | seconds | GiB/s (one core) |"
echo "| --- | ---: | ---: | ---: |"
awk -F'\t' '{printf "| %s | %d | %.3f | %.2f |\n", $1, $2, $3, $2 / 1024 / $3}' "$scratch/out"
awk -F'\t' '$1 ~ /as backupd/ {x = $2 / $3} $1 == "sha-256" {s = $2 / $3} END {printf "\nXXH3-128 is %.1fx faster than SHA-256 here.\n", x / s}' "$scratch/out"
