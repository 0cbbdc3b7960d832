#!/usr/bin/env bash
# Lints the Jenkinsfile offline (docs/toolchain.md section 5): npm-groovy-lint (CodeNarc)
# for syntax and errors, then a guard that no credential variable is ever written into a
# double-quoted Groovy string, where Groovy would interpolate the secret before the shell sees
# it. Exits non-zero on any finding.
#
#   scripts/check-jenkinsfile.sh [JENKINSFILE]
#
# Installs npm-groovy-lint (a pinned version) into TOOLS_DIR (default
# ~/.cache/backupd-tools/npm) on first use; needs node/npm and a Java runtime.
set -euo pipefail
cd "$(dirname "$0")/.."

jenkinsfile=${1:-Jenkinsfile}
TOOLS_DIR=${TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/backupd-tools/npm}
GROOVY_LINT_VERSION=16.2.0

for tool in node npm java; do
  command -v "$tool" >/dev/null || { echo "check-jenkinsfile: $tool not found" >&2; exit 1; }
done

lint="$TOOLS_DIR/node_modules/.bin/npm-groovy-lint"
installed=$(sed -n 's/^ *"version": "\(.*\)",$/\1/p' \
  "$TOOLS_DIR/node_modules/npm-groovy-lint/package.json" 2>/dev/null | head -n 1 || true)
if [ "$installed" != "$GROOVY_LINT_VERSION" ]; then
  echo "check-jenkinsfile: installing npm-groovy-lint@$GROOVY_LINT_VERSION into $TOOLS_DIR" >&2
  mkdir -p "$TOOLS_DIR"
  npm install --prefix "$TOOLS_DIR" --no-audit --no-fund --loglevel=error \
    "npm-groovy-lint@$GROOVY_LINT_VERSION" >&2
fi

status=0
# --noserver: no background CodeNarc server left running after the check.
"$lint" --noserver --failon error --output txt "$jenkinsfile" || status=1

# Credential variables bound by withCredentials must only be read by the shell.
secrets='REGISTRY_PASSWORD|REGISTRY_USER|[A-Z_]*TOKEN[A-Z_]*|[A-Z_]*SECRET[A-Z_]*'
if grep -nE "\"[^\"]*\\\$\\{?($secrets)\\b" "$jenkinsfile"; then
  echo "check-jenkinsfile: a credential variable appears in a double-quoted (interpolated)" \
       "Groovy string above; use a single-quoted sh '...' string" >&2
  status=1
fi
if grep -nE "\\b(env\\.)?($secrets)\\b" "$jenkinsfile" | grep -E "\\becho\\b"; then
  echo "check-jenkinsfile: a credential variable is echoed above" >&2
  status=1
fi

if [ "$status" -eq 0 ]; then echo "check-jenkinsfile: $jenkinsfile OK" >&2; fi
exit "$status"
