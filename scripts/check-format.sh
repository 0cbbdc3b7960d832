#!/usr/bin/env bash
# Quality gate: every tracked C++ source (*.cpp, *.hpp, *.h) is formatted as .clang-format says.
# Lists the files that are not and exits 1; fix them with
#   clang-format -i FILE...
#
#   scripts/check-format.sh
#
# Installs clang-format (Debian's, clang 14) when missing. Files come from git ls-files, so new
# files are checked without editing this script.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v clang-format >/dev/null || scripts/install-deps.sh clang-format

mapfile -d '' -t files < <(git ls-files -z -- '*.cpp' '*.hpp' '*.h')
if [ "${#files[@]}" -eq 0 ]; then echo "check-format: no C++ files tracked" >&2; exit 1; fi

# One clang-format run: --dry-run -Werror reports "FILE:LINE:COL: error: code should be
# clang-formatted" for every place that would change.
unformatted=()
mapfile -t unformatted < <(clang-format --style=file --dry-run -Werror "${files[@]}" 2>&1 |
  sed -n 's/^\(.*\):[0-9]*:[0-9]*: error: code should be clang-formatted.*/\1/p' | sort -u)

if [ "${#unformatted[@]}" -ne 0 ]; then
  echo "check-format: ${#unformatted[@]} of ${#files[@]} files are not formatted per .clang-format:" >&2
  printf '  %s\n' "${unformatted[@]}" >&2
  echo "check-format: fix with: clang-format -i FILE..." >&2
  exit 1
fi
echo "check-format: ${#files[@]} files formatted per .clang-format" >&2
