#!/usr/bin/env bash
# Deploys one image tag on this host: pulls ${REGISTRY}/backupd:TAG (exactly that tag) and
# replaces the container "backupd" with one started from it, then waits for /healthz.
#
#   REGISTRY=127.0.0.1:5000 REGISTRY_USER=ci REGISTRY_PASSWORD=... scripts/deploy.sh TAG
#
# Without REGISTRY the local image backupd:TAG is started (no pull). Registry credentials work
# as in scripts/push.sh. The old container keeps running if the pull fails; it is then stopped
# with SIGTERM (it drains for up to BACKUPD_DRAIN_SECONDS, 30 s by default) and replaced.
#
# Settings (environment):
#   DEPLOY_ENV_FILE        BACKUPD_* settings and secrets for the container, e.g.
#                          BACKUPD_DATABASE=mysql://backupd@db:3306/backupd and
#                          BACKUPD_DATABASE_PASSWORD=...; default /etc/backupd/container.env,
#                          must exist (keep it mode 600)
#   DEPLOY_API_TOKEN_FILE  API tokens, one per line; mounted read-only as the container's
#                          BACKUPD_API_TOKEN_FILE when it exists; default /etc/backupd/api-tokens
#   DEPLOY_SOURCES         folders to back up, mounted read-only at /sources;
#                          default /srv/backupd/sources
#   DEPLOY_DATA            volume name or absolute host path for /var/lib/backupd (the SQLite
#                          database, if used); default the named volume backupd-data
#   DEPLOY_BACKUPS         volume name or absolute host path for /backups (the snapshots);
#                          default the named volume backupd-backups
#   DEPLOY_PORT            host port of the API; default 8080
#   DEPLOY_BIND            host address the API is published on; default 0.0.0.0
#   DEPLOY_NETWORK         empty: the engine's default network, API port published;
#                          host: the host's network (the daemon listens on DEPLOY_BIND:DEPLOY_PORT
#                          itself and reaches a database on the host's loopback)
#   DEPLOY_USER            UID[:GID] to run as instead of the image's 10001 (0 reads every
#                          source file whatever its owner); default: the image's user
#   DEPLOY_NAME            container name; default backupd
#   DEPLOY_HEALTH_TIMEOUT  seconds to wait for /healthz; default 90
set -euo pipefail
# shellcheck source=scripts/lib/container.sh
. "$(dirname "$0")/lib/container.sh"

if [ "$#" -ne 1 ] || [ -z "$1" ]; then
  echo "usage: [REGISTRY=HOST:PORT] $0 TAG" >&2
  exit 2
fi
tag=$1
env_file=${DEPLOY_ENV_FILE:-/etc/backupd/container.env}
token_file=${DEPLOY_API_TOKEN_FILE:-/etc/backupd/api-tokens}
sources=${DEPLOY_SOURCES:-/srv/backupd/sources}
data=${DEPLOY_DATA:-backupd-data}
backups=${DEPLOY_BACKUPS:-backupd-backups}
port=${DEPLOY_PORT:-8080}
bind=${DEPLOY_BIND:-0.0.0.0}
network=${DEPLOY_NETWORK:-}
name=${DEPLOY_NAME:-backupd}
health_timeout=${DEPLOY_HEALTH_TIMEOUT:-90}

fail() { echo "deploy: $*" >&2; exit 1; }
[ -f "$env_file" ] || fail "no env file $env_file (set DEPLOY_ENV_FILE)"
case "$(stat -c '%a' "$env_file")" in
  *0) ;;
  *) echo "deploy: warning: everyone can read $env_file, which holds secrets (chmod 600 it)" >&2 ;;
esac
[ -d "$sources" ] || fail "no sources directory $sources (set DEPLOY_SOURCES)"
command -v curl >/dev/null || fail "curl is needed to wait for /healthz"

if [ -n "${REGISTRY:-}" ]; then
  image="$REGISTRY/backupd:$tag"
  registry_login
  engine pull "${TLS_ARGS[@]}" "$image" >/dev/null
else
  image="backupd:$tag"
  image_exists "$image" || fail "no local image $image (set REGISTRY to pull one)"
fi
echo "deploy: $image ($(engine image inspect --format '{{.Id}}' "$image" | cut -c1-19))" >&2

# volume SPEC TARGET: a -v argument; absolute host paths are created for the daemon's user.
volume_args=()
volume() {
  local spec=$1 target=$2
  if [ "${spec#/}" != "$spec" ] && [ ! -d "$spec" ]; then
    mkdir -p "$spec"
    [ -n "${DEPLOY_USER:-}" ] || [ "$(id -u)" -ne 0 ] || chown 10001:10001 "$spec"
  fi
  volume_args+=(-v "$spec:$target")
}
volume "$data" /var/lib/backupd
volume "$backups" /backups
volume_args+=(-v "$sources:/sources:ro")

run_args=(--detach --name "$name" --restart unless-stopped --env-file "$env_file")
if [ -f "$token_file" ]; then
  run_args+=(-v "$token_file:/run/secrets/backupd_api_tokens:ro"
             -e BACKUPD_API_TOKEN_FILE=/run/secrets/backupd_api_tokens)
fi
if [ "$network" = host ]; then
  run_args+=(--network host -e "BACKUPD_LISTEN=$bind:$port")
else
  [ -z "$network" ] || run_args+=(--network "$network")
  run_args+=(-p "$bind:$port:8080")
fi
[ -z "${DEPLOY_USER:-}" ] || run_args+=(--user "$DEPLOY_USER")
# The host the daemon runs on speaks to it on loopback when it listens everywhere.
health_host=$bind
case "$bind" in 0.0.0.0 | "::" | "[::]") health_host=127.0.0.1 ;; esac
health_url="http://$health_host:$port/healthz"

if engine container inspect "$name" >/dev/null 2>&1; then
  echo "deploy: stopping the running $name" >&2
  engine stop --time 40 "$name" >/dev/null
  engine rm "$name" >/dev/null
fi
engine run "${run_args[@]}" "${volume_args[@]}" "$image" >/dev/null

start=$SECONDS
until curl -fsS -o /dev/null --max-time 2 "$health_url" 2>/dev/null; do
  if [ "$(engine container inspect --format '{{.State.Running}}' "$name")" != true ]; then
    engine logs --tail 20 "$name" >&2 || true
    fail "$name exited during start-up (logs above)"
  fi
  if [ $((SECONDS - start)) -ge "$health_timeout" ]; then
    engine logs --tail 20 "$name" >&2 || true
    fail "$health_url did not answer within $health_timeout s (logs above)"
  fi
  sleep 1
done
echo "deploy: $name runs $image; $health_url answered after $((SECONDS - start)) s"
