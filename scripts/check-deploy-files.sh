#!/usr/bin/env bash
# Validates the delivery files offline (docs/toolchain.md section 5); exits non-zero when
# any check fails, after running all of them:
#
#   terraform   every deploy/**/*.tf parses (npm @cdktf/hcl2json: syntax only, no provider
#               schema; no terraform binary here), and every var./local./resource reference
#               names something declared
#   user-data   deploy/aws/user-data.yaml.tftpl rendered with sample values
#               (scripts/render-user-data.py) is valid cloud-config (`cloud-init schema`), and
#               the files it writes round-trip byte for byte; provision.env sources cleanly
#   shell       shellcheck -S warning (following sourced files) on scripts/, bench/,
#               tests/e2e/ and deploy/ *.sh
#   jenkinsfile scripts/check-jenkinsfile.sh
#
#   scripts/check-deploy-files.sh
#
# Installs what is missing: npm packages (pinned) into TOOLS_DIR (default
# ~/.cache/backupd-tools/npm), Debian's cloud-init with apt-get (through sudo when not root).
set -euo pipefail
cd "$(dirname "$0")/.."

TOOLS_DIR=${TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/backupd-tools/npm}
export TOOLS_DIR
HCL2JSON_VERSION=0.21.0
PYTHON=/usr/bin/python3 # Debian's: cloud-init brings python3-yaml to it

work=$(mktemp -d "${TMPDIR:-/tmp}/backupd-check-deploy.XXXXXX")
trap 'rm -rf "$work"' EXIT

log() { echo "check-deploy-files: $*" >&2; }

sudo=()
if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi

# --- tools -------------------------------------------------------------------------------------
install_tools() {
  local installed
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    log "node and npm are needed"; return 1
  fi
  installed=$(sed -n 's/^ *"version": "\(.*\)",$/\1/p' \
    "$TOOLS_DIR/node_modules/@cdktf/hcl2json/package.json" 2>/dev/null | head -n 1 || true)
  if [ "$installed" != "$HCL2JSON_VERSION" ]; then
    log "installing @cdktf/hcl2json@$HCL2JSON_VERSION into $TOOLS_DIR"
    mkdir -p "$TOOLS_DIR"
    npm install --prefix "$TOOLS_DIR" --no-audit --no-fund --loglevel=error \
      "@cdktf/hcl2json@$HCL2JSON_VERSION" >&2 || return 1
  fi
  if ! command -v cloud-init >/dev/null || ! [ -x "$PYTHON" ]; then
    log "installing cloud-init"
    "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=900 update -qq || return 1
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=900 install -y -qq \
      --no-install-recommends cloud-init python3-yaml >/dev/null || return 1
  fi
  command -v shellcheck >/dev/null || { log "shellcheck is needed (apt-get install shellcheck)"; return 1; }
}

# --- terraform ---------------------------------------------------------------------------------
check_terraform() {
  local files=()
  mapfile -t files < <(find deploy -name '*.tf' -not -path '*/.terraform/*' | sort)
  [ "${#files[@]}" -gt 0 ] || { log "no .tf files under deploy/"; return 1; }
  NODE_PATH="$TOOLS_DIR/node_modules" node - "$work/terraform.json" "${files[@]}" <<'JS' || return 1
const { parse } = require("@cdktf/hcl2json");
const fs = require("fs");
const [out, ...files] = process.argv.slice(2);
(async () => {
  const modules = {};
  let failed = false;
  for (const file of files) {
    try {
      const dir = file.replace(/\/[^/]*$/, "");
      (modules[dir] ||= []).push({ file, json: await parse(file, fs.readFileSync(file, "utf8")) });
      console.error(`ok: ${file} parses`);
    } catch (e) {
      console.error(`FAIL: ${file}: ${e.message || e}`);
      failed = true;
    }
  }
  fs.writeFileSync(out, JSON.stringify(modules));
  process.exit(failed ? 1 : 0);
})();
JS
  # References: what parses may still name a variable, local or resource that does not exist.
  "$PYTHON" - "$work/terraform.json" <<'PY'
import json, re, sys
failed = False
for module, files in json.load(open(sys.argv[1])).items():
    declared = {"var": set(), "local": set(), "resource": set(), "data": set()}
    for f in files:
        j = f["json"]
        declared["var"] |= set(j.get("variable", {}))
        for block in j.get("locals", []):
            declared["local"] |= set(block)
        for kind in ("resource", "data"):
            for rtype, names in j.get(kind, {}).items():
                declared[kind] |= {f"{rtype}.{name}" for name in names}
    for f in files:
        text = re.sub(r"(?m)^\s*#.*$", "", open(f["file"]).read())
        refs = {
            "var": set(re.findall(r"\bvar\.(\w+)", text)),
            "local": set(re.findall(r"\blocal\.(\w+)", text)),
            "data": set(re.findall(r"\bdata\.(aws_\w+\.\w+)", text)),
            "resource": set(re.findall(r"(?<![.\w\"])(aws_\w+\.\w+)(?=[.\[\s,\]\)])", text)),
        }
        for kind, names in refs.items():
            for name in sorted(names - declared[kind]):
                print(f"FAIL: {f['file']}: {kind} {name} is not declared in {module}/", file=sys.stderr)
                failed = True
print(("FAIL" if failed else "ok") + ": terraform references", file=sys.stderr)
sys.exit(1 if failed else 0)
PY
}

# --- user data ---------------------------------------------------------------------------------
check_user_data() {
  local rendered="$work/user-data.yaml"
  "$PYTHON" scripts/render-user-data.py "$rendered" || return 1
  cloud-init schema --config-file "$rendered" || return 1
  # What cloud-init writes must be exactly the files in deploy/aws/files/, and the settings
  # must read back in bash as the values they were rendered from.
  "$PYTHON" - "$rendered" <<'PY'
import importlib.util, subprocess, sys, yaml
from pathlib import Path
spec = importlib.util.spec_from_file_location("render", "scripts/render-user-data.py")
render = importlib.util.module_from_spec(spec)
spec.loader.exec_module(render)
written = {f["path"]: f["content"] for f in yaml.safe_load(open(sys.argv[1]))["write_files"]}
expected = {
    "/usr/local/sbin/backupd-provision": "deploy/aws/files/backupd-provision.sh",
    "/usr/local/sbin/backupd-refresh-token": "deploy/aws/files/backupd-refresh-token.sh",
}
failed = False
for path, source in expected.items():
    if written.get(path) != Path(source).read_text():
        print(f"FAIL: user-data writes {path} differently from {source} (indentation?)", file=sys.stderr)
        failed = True
names = list(render.SAMPLE_ENV)
script = ". /dev/stdin; " + "; ".join(f'printf "%s\\0" "${n}"' for n in names)
env_text = written["/etc/backupd/provision.env"]
result = subprocess.run(["bash", "-euc", script], input=env_text, capture_output=True, text=True)
values = result.stdout.split("\0")[:-1]
if result.returncode != 0 or dict(zip(names, values)) != render.SAMPLE_ENV:
    print(f"FAIL: provision.env does not read back in bash: {result.stderr.strip()}", file=sys.stderr)
    failed = True
print(("FAIL" if failed else "ok") + ": user-data files round-trip", file=sys.stderr)
sys.exit(1 if failed else 0)
PY
}

# --- shell -------------------------------------------------------------------------------------
check_shell() {
  local scripts=()
  mapfile -t scripts < <(find scripts bench tests/e2e deploy -name '*.sh' -type f 2>/dev/null | sort)
  log "shellcheck -S warning on ${#scripts[@]} scripts"
  # -x: follow sourced files (scripts/lib/), so variables they set are known.
  shellcheck -x -P SCRIPTDIR -S warning "${scripts[@]}"
}

failures=()
run_check() { # run_check NAME FUNCTION
  log "--- $1"
  if "$2"; then log "ok: $1"; else log "FAILED: $1"; failures+=("$1"); fi
}

if ! install_tools; then
  log "FAILED: could not install the tools"
  exit 1
fi
run_check terraform check_terraform
run_check user-data check_user_data
run_check shell check_shell
run_check jenkinsfile scripts/check-jenkinsfile.sh

if [ "${#failures[@]}" -ne 0 ]; then
  log "FAILED: ${failures[*]}"
  exit 1
fi
log "all checks passed"
