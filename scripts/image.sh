#!/usr/bin/env bash
# Builds the backupd container image from deploy/docker/Dockerfile:
#
#   scripts/image.sh TAG          e.g. scripts/image.sh "$(git rev-parse --short HEAD)"
#
# Tags it backupd:TAG, and also ${REGISTRY}/backupd:TAG when REGISTRY is set (e.g.
# 127.0.0.1:5000), then prints the image size. Uses podman (or a running docker engine; see
# scripts/lib/container.sh). The base images must exist (scripts/build-base-image.sh where no
# registry is reachable). Without a layer cache the build takes about 75 s on 2 cores (apt 20 s,
# compiling the daemon 45 s).
set -euo pipefail
# shellcheck source=scripts/lib/container.sh
. "$(dirname "$0")/lib/container.sh"

if [ "$#" -ne 1 ] || [ -z "$1" ]; then
  echo "usage: $0 TAG" >&2
  exit 2
fi
tag=$1
cd "$repo_root"

revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
tags=(-t "backupd:$tag")
[ -z "${REGISTRY:-}" ] || tags+=(-t "$REGISTRY/backupd:$tag")
build_args=(--build-arg "REVISION=$revision")
# HEALTHCHECK exists only in the docker image format; podman writes OCI unless told.
[ "$CONTAINER_ENGINE" != podman ] || build_args+=(--format docker)
# The build stage reaches the Debian mirror through the host's network.
build_args+=(--network=host)

start=$SECONDS
engine build "${build_args[@]}" "${tags[@]}" -f deploy/docker/Dockerfile .
size=$(engine image inspect --format '{{.Size}}' "backupd:$tag")
echo "image: backupd:$tag${REGISTRY:+ and $REGISTRY/backupd:$tag}, $((size / 1000000)) MB ($size bytes), built in $((SECONDS - start)) s"
