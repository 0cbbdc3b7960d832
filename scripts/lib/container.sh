# Sourced by the container stage scripts (image.sh, push.sh, deploy.sh, build-base-image.sh).
#
# Chooses the container engine: CONTAINER_ENGINE if set, else podman, else docker when its
# daemon answers. For podman it uses deploy/docker/podman.conf unless CONTAINERS_CONF is set
# (podman needs it on the project's machines, see docs/toolchain.md section 4).
# shellcheck shell=bash disable=SC2034  # TLS_ARGS and repo_root are for the scripts that source this

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

if [ -z "${CONTAINER_ENGINE:-}" ]; then
  if command -v podman >/dev/null; then
    CONTAINER_ENGINE=podman
  elif command -v docker >/dev/null && docker info >/dev/null 2>&1; then
    CONTAINER_ENGINE=docker
  else
    echo "$(basename "$0"): neither podman nor a running docker engine (apt-get install podman)" >&2
    exit 1
  fi
fi
if [ "$CONTAINER_ENGINE" = podman ] && [ -z "${CONTAINERS_CONF:-}" ]; then
  export CONTAINERS_CONF="$repo_root/deploy/docker/podman.conf"
fi

# new_temp_dir VAR: sets VAR to a new temporary directory, deleted when the script exits.
temp_dirs=()
trap '[ "${#temp_dirs[@]}" -eq 0 ] || rm -rf "${temp_dirs[@]}"' EXIT
new_temp_dir() {
  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/backupd-$(basename "$0" .sh).XXXXXX")
  temp_dirs+=("$dir")
  printf -v "$1" '%s' "$dir"
}

# engine ARGS...: runs the chosen engine.
engine() {
  "$CONTAINER_ENGINE" "$@"
}

# TLS_ARGS: what podman needs for REGISTRY_TLS_VERIFY=false (a plain-HTTP or self-signed
# registry such as the loopback test one); docker decides that in its daemon configuration.
TLS_ARGS=()
if [ "$CONTAINER_ENGINE" = podman ] && [ "${REGISTRY_TLS_VERIFY:-true}" = false ]; then
  TLS_ARGS=(--tls-verify=false)
fi

# image_exists NAME: whether the engine has the image locally.
image_exists() {
  engine image inspect "$1" >/dev/null 2>&1
}

# registry_login: logs in to REGISTRY when REGISTRY_USER is set, with the password from
# REGISTRY_PASSWORD on standard input (never an argument), into a private credentials file that
# is deleted when the script exits (REGISTRY_AUTH_FILE / DOCKER_CONFIG, if set, are used as
# given and kept).
registry_login() {
  [ -n "${REGISTRY_USER:-}" ] || return 0
  if [ -z "${REGISTRY_PASSWORD:-}" ]; then
    echo "$(basename "$0"): REGISTRY_USER is set but REGISTRY_PASSWORD is not" >&2
    return 1
  fi
  local auth_dir
  if [ "$CONTAINER_ENGINE" = podman ] && [ -z "${REGISTRY_AUTH_FILE:-}" ]; then
    new_temp_dir auth_dir
    export REGISTRY_AUTH_FILE="$auth_dir/auth.json"
  elif [ "$CONTAINER_ENGINE" = docker ] && [ -z "${DOCKER_CONFIG:-}" ]; then
    new_temp_dir auth_dir
    export DOCKER_CONFIG="$auth_dir"
  fi
  printf '%s' "$REGISTRY_PASSWORD" |
    engine login "${TLS_ARGS[@]}" --username "$REGISTRY_USER" --password-stdin "$REGISTRY" >/dev/null
}
