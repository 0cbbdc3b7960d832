#!/usr/bin/env bash
# Builds the Debian base images the Dockerfile starts from, because no public registry is
# reachable from the project's machines (docs/toolchain.md section 4):
#
#   scripts/build-base-image.sh
#
# debootstraps a minbase bookworm from the Debian mirror in this machine's apt sources (with
# bookworm-updates and bookworm-security added to the image's sources), trims documentation the
# way the official slim image does, and imports the one root filesystem as both
# docker.io/library/debian:bookworm-slim and docker.io/library/debian:bookworm.
# Does nothing when both images exist already. Needs root and debootstrap (about a minute).
set -euo pipefail
# shellcheck source=scripts/lib/container.sh
. "$(dirname "$0")/lib/container.sh"

images=(docker.io/library/debian:bookworm-slim docker.io/library/debian:bookworm)
if image_exists "${images[0]}" && image_exists "${images[1]}"; then
  echo "build-base-image: ${images[*]} exist already" >&2
  exit 0
fi
[ "$(id -u)" -eq 0 ] || { echo "build-base-image: debootstrap needs root" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "build-base-image: apt-get install debootstrap" >&2; exit 1; }

# apt_uri SUITE: the URI of the first enabled apt source (deb822 or one-line) serving SUITE.
apt_uri() {
  local suite=$1 file
  for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$file" ] || continue
    awk -v suite="$suite" '$1 == "deb" {
        i = 2; if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
        if ($(i + 1) == suite) { print $i; exit } }' "$file"
  done
  for file in /etc/apt/sources.list.d/*.sources; do
    [ -f "$file" ] || continue
    awk -v suite="$suite" '
      function flush() { if (deb && uri != "" && (" " suites " ") ~ (" " suite " ")) { print uri; found = 1 }
                         deb = 0; uri = ""; suites = "" }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); if (found) exit; next }
      tolower($1) == "types:" { deb = ($0 ~ /[ \t]deb([ \t]|$)/) }
      tolower($1) == "uris:" { uri = $2 }
      tolower($1) == "suites:" { $1 = ""; suites = $0 }
      END { if (!found) flush() }' "$file"
  done
}

mirror=$(apt_uri bookworm | head -n 1)
security=$(apt_uri bookworm-security | head -n 1)
if [ -z "$mirror" ]; then
  echo "build-base-image: no apt source for bookworm in /etc/apt (need a Debian mirror)" >&2
  exit 1
fi
[ -n "$security" ] || security="${mirror%/debian}/debian-security"

work=""
new_temp_dir work
rootfs="$work/rootfs"

echo "build-base-image: debootstrap minbase bookworm" >&2
debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 || {
  tail -n 30 "$work/debootstrap.log" >&2; exit 1; }

rm -f "$rootfs/etc/apt/sources.list"
cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES

# What the official slim image leaves out, now and for packages installed later.
cat >"$rootfs/etc/dpkg/dpkg.cfg.d/docker-slim" <<'DPKG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
DPKG
cat >"$rootfs/etc/apt/apt.conf.d/docker-clean" <<'APT'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
APT
find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete
rm -rf "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/* \
  "$rootfs"/var/cache/apt/* "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/*.log \
  "$rootfs"/var/cache/debconf/*-old "$rootfs"/debootstrap
: >"$rootfs/etc/machine-id"

echo "build-base-image: importing as ${images[*]}" >&2
tar -C "$rootfs" --numeric-owner -c . | engine import --change 'CMD ["bash"]' - "${images[0]}" >/dev/null
engine tag "${images[0]}" "${images[1]}"
engine image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep '^docker.io/library/debian:' >&2 || true
