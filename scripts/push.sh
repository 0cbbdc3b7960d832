#!/usr/bin/env bash
# Pushes the image scripts/image.sh built to the registry:
#
#   REGISTRY=127.0.0.1:5000 REGISTRY_USER=ci REGISTRY_PASSWORD=... scripts/push.sh TAG
#
# Pushes ${REGISTRY}/backupd:TAG (tagging backupd:TAG so if only that exists) and prints its
# digest. Credentials come from REGISTRY_USER / REGISTRY_PASSWORD (the password goes to the
# engine on standard input, never on a command line, and the login is forgotten on exit);
# without REGISTRY_USER the engine's existing login is used. REGISTRY_TLS_VERIFY=false allows a
# plain-HTTP or self-signed registry such as the loopback test one.
set -euo pipefail
# shellcheck source=scripts/lib/container.sh
. "$(dirname "$0")/lib/container.sh"

if [ "$#" -ne 1 ] || [ -z "$1" ]; then
  echo "usage: REGISTRY=HOST:PORT $0 TAG" >&2
  exit 2
fi
: "${REGISTRY:?set REGISTRY, e.g. 127.0.0.1:5000}"
image="$REGISTRY/backupd:$1"

if ! image_exists "$image"; then
  image_exists "backupd:$1" || { echo "push: no image backupd:$1 (run scripts/image.sh $1)" >&2; exit 1; }
  engine tag "backupd:$1" "$image"
fi
registry_login

push_args=("${TLS_ARGS[@]}")
if [ "$CONTAINER_ENGINE" = podman ]; then
  digest_dir=""
  new_temp_dir digest_dir
  push_args+=(--digestfile "$digest_dir/digest")
fi
engine push "${push_args[@]}" "$image"
if [ "$CONTAINER_ENGINE" = podman ]; then
  echo "pushed: $image@$(cat "$digest_dir/digest")"
else
  echo "pushed: $image"
fi
