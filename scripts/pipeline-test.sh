#!/usr/bin/env bash
# The delivery pipeline end to end on this machine (`make pipeline`), as root on Debian 12:
#
#   base images (scripts/build-base-image.sh) -> image tagged with the commit (scripts/image.sh)
#   -> push to a private registry with htpasswd auth (scripts/push.sh) -> local image removed
#   -> pulled back and run against a throwaway MariaDB (scripts/deploy.sh) -> from a second
#   network namespace, the "internet": a backup over HTTP with a bearer token, then the audit
#   log and the statistics are checked.
#
# Two network namespaces joined by a veth pair make two hosts (docs/toolchain.md section 6):
# "server" (192.0.2.10) runs the registry, MariaDB and the container (host network, that is the
# server's), "client" (192.0.2.20) sends the requests. The image is built outside them, where
# the Debian mirror is reachable. Debian's docker-registry stands in for the Nexus Docker
# repository. The test addresses exist only inside the namespaces: this machine's own network
# may use 192.0.2.0/24 too. podman gets a private configuration and storage in a temporary
# directory, so the machine's own images and containers are left alone. Everything started here
# (container, images, registry, namespaces, MariaDB, temporary files) is removed on exit, also
# on failure. Installs missing packages with apt-get. About 2 minutes, half of it compiling.
set -euo pipefail
cd "$(dirname "$0")/.."

max_image_bytes=100000000  # 100 MB
server_ip=192.0.2.10
client_ip=192.0.2.20

now() { date +%s; }
step() { echo "pipeline: [$(($(now) - ${PIPELINE_STARTED:-$(now)})) s] $*" >&2; }
fail() { echo "pipeline: FAILED: $*" >&2; exit 1; }
random_secret() { head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

install_missing_packages() {
  local packages=(podman buildah skopeo runc uidmap debootstrap docker-registry apache2-utils
                  iproute2 util-linux curl ca-certificates git python3 mariadb-server
                  mariadb-client)
  local missing=() package status
  for package in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing+=("$package")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  step "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=900 update -qq
  apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# On this machine: packages, podman's private setup, base images, the image, the namespaces;
# then the server part inside the server namespace, beside a MariaDB started there.
build_stage() {
  [ "$(id -u)" -eq 0 ] || fail "run as root (it installs packages, debootstraps, makes namespaces)"
  PIPELINE_STARTED=$(now)
  export PIPELINE_STARTED
  install_missing_packages

  work=$(mktemp -d "${TMPDIR:-/tmp}/backupd-pipeline.XXXXXX")
  chmod 755 "$work"
  export PIPELINE_WORK="$work"
  private_podman=false
  created_var_lib_containers=false
  server_ns="backupd-server-$$"
  client_ns="backupd-client-$$"
  export PIPELINE_CLIENT_NS="$client_ns"
  trap cleanup EXIT
  trap 'exit 130' INT TERM

  mkdir -p "$work/storage" "$work/run" "$work/net" "$work/tmp"
  cat >"$work/containers.conf" <<EOF
[containers]
default_ulimits = []

[engine]
runtime = "runc"
tmp_dir = "$work/tmp"

[network]
network_config_dir = "$work/net"
EOF
  cat >"$work/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$work/storage"
runroot = "$work/run"
EOF
  export CONTAINERS_CONF="$work/containers.conf" CONTAINERS_STORAGE_CONF="$work/storage.conf"
  export CONTAINER_ENGINE=podman
  private_podman=true
  # The one file podman writes outside its storage: a blob cache in /var/lib/containers/cache.
  [ -e /var/lib/containers ] || created_var_lib_containers=true

  tag=$(git rev-parse --short HEAD)
  export PIPELINE_TAG="$tag"
  # The registry will listen on the server's loopback, where every port is free.
  export REGISTRY="127.0.0.1:$((20000 + RANDOM % 40000))"

  step "base images"
  scripts/build-base-image.sh
  step "image backupd:$tag"
  scripts/image.sh "$tag"
  size=$(podman image inspect --format '{{.Size}}' "backupd:$tag")
  image_report="image backupd:$tag: $((size / 1000000)) MB ($size bytes), limit $((max_image_bytes / 1000000)) MB"
  step "$image_report"
  [ "$size" -le "$max_image_bytes" ] || fail "$image_report"

  step "namespaces $server_ns ($server_ip) and $client_ns ($client_ip)"
  ip netns add "$server_ns"
  ip netns add "$client_ns"
  ip -n "$server_ns" link add eth0 type veth peer name eth0 netns "$client_ns"
  ip -n "$server_ns" addr add "$server_ip/24" dev eth0
  ip -n "$client_ns" addr add "$client_ip/24" dev eth0
  for ns in "$server_ns" "$client_ns"; do
    ip -n "$ns" link set lo up
    ip -n "$ns" link set eth0 up
  done

  # nsenter changes only the network namespace (ip netns exec would also give a new mount
  # namespace, hiding podman's mounts from the cleanup here).
  nsenter --net="/run/netns/$server_ns" env PIPELINE_STAGE=server \
    scripts/with-mariadb.sh scripts/pipeline-test.sh
  step "$image_report"
}

cleanup() {
  local status=$?
  set +e
  step "cleaning up"
  # Only ever the private storage set up above, never the machine's own.
  if [ "$private_podman" = true ]; then
    podman rm --force --all --time 5 >/dev/null 2>&1
    podman rmi --force --all >/dev/null 2>&1
    podman volume rm --force --all >/dev/null 2>&1
  fi
  [ "$created_var_lib_containers" != true ] || rm -rf /var/lib/containers
  ip netns delete "$server_ns" 2>/dev/null
  ip netns delete "$client_ns" 2>/dev/null
  # podman's overlay storage leaves its own mount points under the storage directory.
  findmnt -rn -o TARGET | grep "^$work/" | sort -r | xargs -r -n 1 umount -l 2>/dev/null
  rm -rf "$work"
  if [ "$status" -eq 0 ]; then
    step "passed in $(($(now) - PIPELINE_STARTED)) s"
  else
    step "failed (exit $status) after $(($(now) - PIPELINE_STARTED)) s"
  fi
  exit "$status"
}

# Inside the server namespace, beside MariaDB (with-mariadb.sh): registry, push, deploy, and
# the requests from the client namespace.
server_stage() {
  local work=$PIPELINE_WORK tag=$PIPELINE_TAG client_ns=$PIPELINE_CLIENT_NS
  registry_pid=""
  trap '[ -z "$registry_pid" ] || { kill "$registry_pid"; wait "$registry_pid"; } 2>/dev/null || true' EXIT

  # --- the registry: Debian's docker-registry with htpasswd (bcrypt) auth ---
  export REGISTRY_TLS_VERIFY=false REGISTRY_USER=pipeline
  REGISTRY_PASSWORD=$(random_secret)
  export REGISTRY_PASSWORD
  # -i reads the password from standard input: it never shows in a process list.
  printf '%s\n' "$REGISTRY_PASSWORD" | htpasswd -niB "$REGISTRY_USER" >"$work/htpasswd" 2>/dev/null
  cat >"$work/registry.yaml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $work/registry
http:
  addr: $REGISTRY
  secret: $(random_secret)
auth:
  htpasswd:
    realm: backupd-pipeline
    path: $work/htpasswd
EOF
  step "registry on $REGISTRY"
  docker-registry serve "$work/registry.yaml" >"$work/registry.log" 2>&1 &
  registry_pid=$!
  local code=""
  for _ in $(seq 1 100); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://$REGISTRY/v2/" || true)
    [ "$code" = 401 ] && break
    kill -0 "$registry_pid" 2>/dev/null || { cat "$work/registry.log" >&2; fail "the registry did not start"; }
    sleep 0.1
  done
  [ "$code" = 401 ] || fail "the registry answers /v2/ with $code, expected 401 without credentials"

  # --- push, then forget the local copy ---
  step "push"
  scripts/push.sh "$tag"
  local tags
  tags=$(printf 'user = "%s:%s"\n' "$REGISTRY_USER" "$REGISTRY_PASSWORD" |
         curl -fsS -K - "http://$REGISTRY/v2/backupd/tags/list")
  [[ "$tags" == *"\"$tag\""* ]] || fail "the registry does not list backupd:$tag: $tags"
  podman rmi "backupd:$tag" "$REGISTRY/backupd:$tag" >/dev/null
  ! podman image exists "$REGISTRY/backupd:$tag" || fail "the local image was not removed"

  # --- deploy against the MariaDB with-mariadb.sh started on this namespace's loopback ---
  local db_port=${BACKUPD_TEST_MYSQL_URL##*:} db_password api_token
  db_port=${db_port%%/*}
  db_password=$(random_secret)
  mariadb --no-defaults --socket="$MARIADB_SOCKET" -uroot <<SQL
CREATE DATABASE backupd;
CREATE USER 'backupd'@'127.0.0.1' IDENTIFIED BY '$db_password';
GRANT ALL PRIVILEGES ON backupd.* TO 'backupd'@'127.0.0.1';
SQL
  api_token=$(random_secret)
  mkdir -p "$work/etc" "$work/sources/photos/2024"
  (umask 077 && cat >"$work/etc/container.env" <<EOF
BACKUPD_DATABASE=mysql://backupd@127.0.0.1:$db_port/backupd
BACKUPD_DATABASE_PASSWORD=$db_password
BACKUPD_WORKERS=2
BACKUPD_NODE_ID=pipeline
EOF
  )
  # The daemon runs as uid 10001: the token file is readable by that group, no one else.
  (umask 027 && printf '%s\n' "$api_token" >"$work/etc/api-tokens")
  chgrp 10001 "$work/etc/api-tokens"
  echo "hello" >"$work/sources/photos/a.txt"
  head -c 300000 /dev/urandom >"$work/sources/photos/2024/b.bin"
  chmod -R a+rX "$work/sources"

  local api_port=8080
  step "deploy $REGISTRY/backupd:$tag on $server_ip:$api_port"
  DEPLOY_ENV_FILE="$work/etc/container.env" DEPLOY_API_TOKEN_FILE="$work/etc/api-tokens" \
    DEPLOY_SOURCES="$work/sources" DEPLOY_NETWORK=host DEPLOY_BIND="$server_ip" \
    DEPLOY_PORT="$api_port" scripts/deploy.sh "$tag"
  local deployed
  deployed=$(podman container inspect --format '{{.ImageName}}' backupd)
  [ "$deployed" = "$REGISTRY/backupd:$tag" ] || fail "the container runs $deployed"
  podman healthcheck run backupd >/dev/null || fail "the image's HEALTHCHECK reports unhealthy"
  [ "$(podman exec backupd id -u)" = 10001 ] || fail "the daemon does not run as uid 10001"
  ! podman exec backupd touch /sources/photos/x 2>/dev/null || fail "/sources is writable"

  # --- from the client namespace, with the bearer token (given to curl on stdin) ---
  local api="http://$server_ip:$api_port"
  client() {
    printf 'header = "Authorization: Bearer %s"\n' "$api_token" |
      ip netns exec "$client_ns" curl -sS --max-time 90 -K - "$@"
  }
  code=$(ip netns exec "$client_ns" curl -sS -o /dev/null -w '%{http_code}' -X POST "$api/backup/photos")
  [ "$code" = 401 ] || fail "a backup without a token answered $code, expected 401"

  step "POST /backup/photos from $client_ns ($client_ip)"
  code=$(client -o "$work/backup.json" -w '%{http_code}' -X POST "$api/backup/photos")
  [ "$code" = 200 ] || fail "POST /backup/photos answered $code: $(cat "$work/backup.json")"
  client -f -o "$work/logs.json" "$api/api/v1/logs?action=Backup"
  client -f -o "$work/stats.json" "$api/api/v1/stats"
  python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
job = json.load(open(f"{work}/backup.json"))
assert job["state"] == "succeeded" and job["files_copied"] == 2, f"backup: {job}"
logs = json.load(open(f"{work}/logs.json"))["logs"]
assert any(r["action"] == "Backup" and r["status"] == "SUCCESS" and r["folder"] == "photos"
           and r["job_id"] == job["id"] for r in logs), f"no Backup SUCCESS for photos in {logs}"
stats = json.load(open(f"{work}/stats.json"))
assert stats["total"] == 1 and stats["succeeded"] == 1, f"stats: {stats}"
print(f"pipeline: backup job {job['id']} {job['state']}: snapshot {job['snapshot']}, "
      f"{job['files_copied']} files, {job['bytes_copied']} bytes; the audit log has its Backup "
      f"SUCCESS; stats: total {stats['total']}, succeeded {stats['succeeded']}", file=sys.stderr)
with open(f"{work}/snapshot", "w") as out:
    out.write(job["snapshot"])
PY
  local snapshot
  snapshot=$(cat "$work/snapshot")
  podman exec backupd cmp /sources/photos/2024/b.bin "/backups/$snapshot/2024/b.bin" ||
    fail "the snapshot in the backups volume differs from the source"

  # --- deploy again: the container is replaced, the volumes and the database stay ---
  step "redeploy"
  DEPLOY_ENV_FILE="$work/etc/container.env" DEPLOY_API_TOKEN_FILE="$work/etc/api-tokens" \
    DEPLOY_SOURCES="$work/sources" DEPLOY_NETWORK=host DEPLOY_BIND="$server_ip" \
    DEPLOY_PORT="$api_port" scripts/deploy.sh "$tag"
  podman exec backupd test -f "/backups/$snapshot/a.txt" || fail "the snapshot did not survive a redeploy"
  client -f -o "$work/stats.json" "$api/api/v1/stats"
  grep -q '"succeeded":1' "$work/stats.json" || fail "stats after the redeploy: $(cat "$work/stats.json")"
}

if [ "${PIPELINE_STAGE:-}" = server ]; then
  server_stage
else
  build_stage
fi
