#!/usr/bin/env bash
# First-boot provisioning of a backupd host on AWS, run once by cloud-init
# (deploy/aws/user-data.yaml.tftpl) as /usr/local/sbin/backupd-provision. Settings come from
# /etc/backupd/provision.env, written by Terraform. Idempotent: running it again by hand
# (sudo backupd-provision) converges to the same state and keeps data and passwords.
#
#   1. waits for the backups EBS volume, formats it when new (ext4, label backupd-data), mounts
#      it at /srv/backupd-data and bind-mounts its backups/ and mysql/ onto
#      /var/lib/backupd/backups and /var/lib/mysql;
#   2. installs MariaDB (data on the volume), creates database and user 'backupd' with a random
#      password kept in /etc/backupd/backupd.env (0600);
#   3. fetches the API token(s) from SSM into /etc/backupd/tokens (backupd-refresh-token);
#   4. installs the backupd .deb from DEB_URL (its unit reads /etc/backupd/backupd.env), adds a
#      systemd drop-in for the volume and MariaDB, and starts it; with DOMAIN_NAME, puts Caddy (TLS, Let's Encrypt) in front;
#   5. waits for /healthz, so that `cloud-init status` reports a host that does not serve as
#      an error.
set -euo pipefail

# shellcheck source=/dev/null
. /etc/backupd/provision.env
: "${AWS_REGION:?}" "${API_TOKEN_PARAMETER:?}" "${DEB_URL:?}" "${LISTEN:?}" "${SOURCE_ROOT:?}"
: "${BACKUPS_DEVICE:?}" "${BACKUPS_DEVICE_XEN:?}"
DOMAIN_NAME=${DOMAIN_NAME:-} ACME_EMAIL=${ACME_EMAIL:-} DEB_SHA256=${DEB_SHA256:-}

DATA_MOUNT=/srv/backupd-data
BACKUP_ROOT=/var/lib/backupd/backups
ENV_FILE=/etc/backupd/backupd.env
export DEBIAN_FRONTEND=noninteractive

log() { echo "backupd-provision: $*" >&2; }
apt_install() {
  apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "$@"
}

# Appends an fstab line for MOUNTPOINT unless one exists, then mounts it.
ensure_mount() { # ensure_mount SOURCE MOUNTPOINT TYPE OPTIONS
  local source=$1 mountpoint=$2 type=$3 options=$4
  mkdir -p "$mountpoint"
  if ! awk -v m="$mountpoint" '$1 !~ /^#/ && $2 == m { found = 1 } END { exit !found }' /etc/fstab; then
    printf '%s %s %s %s 0 %s\n' "$source" "$mountpoint" "$type" "$options" \
      "$([ "$type" = ext4 ] && echo 2 || echo 0)" >>/etc/fstab
    systemctl daemon-reload
  fi
  mountpoint -q "$mountpoint" || mount "$mountpoint"
}

# --- 1. the backups volume ---------------------------------------------------------------------
# Terraform attaches the volume once the instance runs, which may be after this starts.
device=""
for _ in $(seq 1 300); do
  for candidate in "$BACKUPS_DEVICE" "$BACKUPS_DEVICE_XEN"; do
    if [ -b "$candidate" ]; then device=$(readlink -f "$candidate"); break 2; fi
  done
  sleep 2
done
if [ -z "$device" ]; then
  log "the backups volume ($BACKUPS_DEVICE) did not appear within 10 minutes"
  exit 1
fi
if [ -n "$(lsblk -no MOUNTPOINT "$device" | tr -d '[:space:]')" ] && ! mountpoint -q "$DATA_MOUNT"; then
  log "$device is mounted elsewhere; refusing to touch it"
  exit 1
fi
# blkid finds no file system only on a new, empty volume: never format anything else.
if ! blkid -p "$device" >/dev/null 2>&1; then
  log "formatting the new backups volume $device"
  mkfs.ext4 -q -L backupd-data -m 0 "$device"
fi
uuid=$(blkid -p -s UUID -o value "$device" || true)
if [ -z "$uuid" ]; then
  log "$device holds something other than a file system (a partition table?); refusing to touch it"
  exit 1
fi
# nofail: the host still boots without the volume; the services below then refuse to start
# (RequiresMountsFor) instead of writing to the root disk.
ensure_mount "UUID=$uuid" "$DATA_MOUNT" ext4 "defaults,noatime,nofail,x-systemd.device-timeout=10min"
mkdir -p "$DATA_MOUNT/backups" "$DATA_MOUNT/mysql"
bind_options="bind,nofail,x-systemd.requires-mounts-for=$DATA_MOUNT"
ensure_mount "$DATA_MOUNT/backups" "$BACKUP_ROOT" none "$bind_options"
ensure_mount "$DATA_MOUNT/mysql" /var/lib/mysql none "$bind_options"

# --- 2. packages and MariaDB -------------------------------------------------------------------
apt-get -o DPkg::Lock::Timeout=600 update -q
packages=(mariadb-server awscli curl ca-certificates)
if [ -n "$DOMAIN_NAME" ]; then packages+=(caddy); fi
apt_install "${packages[@]}"

mkdir -p /etc/systemd/system/mariadb.service.d
cat >/etc/systemd/system/mariadb.service.d/backupd-volume.conf <<'UNIT'
# The data directory is bind-mounted from the backups volume (backupd-provision).
[Unit]
RequiresMountsFor=/var/lib/mysql
UNIT
# A volume carried over from a replaced instance may hold another uid for mysql.
chown -R mysql:mysql "$DATA_MOUNT/mysql"
systemctl daemon-reload
systemctl enable mariadb.service
systemctl restart mariadb.service

# Keep the password of an earlier run: the database on the volume already has it.
password=""
if [ -f "$ENV_FILE" ]; then
  password=$(sed -n 's/^BACKUPD_DATABASE_PASSWORD=//p' "$ENV_FILE")
fi
if [ -z "$password" ]; then
  password=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
fi
# Hex only: safe inside the SQL literal. root logs in through the unix socket.
mariadb --no-defaults --protocol=socket -uroot <<SQL
CREATE DATABASE IF NOT EXISTS backupd CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'backupd'@'localhost' IDENTIFIED BY '$password';
CREATE USER IF NOT EXISTS 'backupd'@'127.0.0.1' IDENTIFIED BY '$password';
ALTER USER 'backupd'@'localhost' IDENTIFIED BY '$password';
ALTER USER 'backupd'@'127.0.0.1' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON backupd.* TO 'backupd'@'localhost';
GRANT ALL PRIVILEGES ON backupd.* TO 'backupd'@'127.0.0.1';
SQL

# --- 3. the daemon's user, settings and tokens -------------------------------------------------
if ! getent passwd backupd >/dev/null; then
  # As the package's sysusers.d entry would; it exists now so the token file can be its.
  adduser --system --group --home /var/lib/backupd --no-create-home --shell /usr/sbin/nologin backupd
fi
mkdir -p /etc/backupd "$SOURCE_ROOT"
chown backupd: /var/lib/backupd "$BACKUP_ROOT"
# Snapshots carried over from a replaced instance may belong to an older uid.
if [ -n "$(find "$BACKUP_ROOT" -xdev -not -user backupd -print -quit)" ]; then
  chown -R backupd: "$BACKUP_ROOT"
fi

# With a domain name Caddy ends TLS and backupd listens on loopback. Without one there is no
# certificate to get (Let's Encrypt needs the name), and the API stays plain HTTP on the public
# address (reachable only from api_cidrs), as before: allowed explicitly.
insecure_no_tls=false
case $LISTEN in 127.*) ;; *) insecure_no_tls=true ;; esac

umask 077
cat >"$ENV_FILE.new" <<ENV
# Written by backupd-provision; read by backupd.service (EnvironmentFile=); overrides
# /etc/backupd/backupd.conf.
BACKUPD_LISTEN=$LISTEN
BACKUPD_INSECURE_NO_TLS=$insecure_no_tls
BACKUPD_DATABASE=mysql://backupd@127.0.0.1:3306/backupd
BACKUPD_DATABASE_PASSWORD=$password
BACKUPD_API_TOKEN_FILE=/etc/backupd/tokens
BACKUPD_BACKUP_ROOT=$BACKUP_ROOT
BACKUPD_SOURCE_ROOT=$SOURCE_ROOT
ENV
chmod 0600 "$ENV_FILE.new"
mv -f "$ENV_FILE.new" "$ENV_FILE"
umask 022

/usr/local/sbin/backupd-refresh-token
systemctl daemon-reload
systemctl enable --now backupd-refresh-token.timer

# --- 4. the daemon -----------------------------------------------------------------------------
# The drop-in comes first, so that a start by the package's own scripts already uses it.
mkdir -p /etc/systemd/system/backupd.service.d
# The packaged unit already reads $ENV_FILE (EnvironmentFile=-), whose BACKUPD_* variables
# override /etc/backupd/backupd.conf; this adds the volume and the local database.
cat >/etc/systemd/system/backupd.service.d/backupd-aws.conf <<UNIT
# Written by backupd-provision (deploy/aws): snapshots on the backups volume (a bind mount
# inside the unit's StateDirectory), the database local.
[Unit]
RequiresMountsFor=$BACKUP_ROOT
Wants=mariadb.service
After=mariadb.service

[Service]
ReadWritePaths=$BACKUP_ROOT
UNIT
systemctl daemon-reload

mkdir -p /var/cache/backupd
deb=/var/cache/backupd/backupd.deb
curl -fsSL --retry 5 --retry-connrefused -o "$deb.part" "$DEB_URL"
if [ -n "$DEB_SHA256" ]; then
  echo "$DEB_SHA256  $deb.part" | sha256sum -c --quiet - || {
    log "the .deb from DEB_URL does not match DEB_SHA256"; exit 1; }
fi
mv -f "$deb.part" "$deb"
apt_install "$deb"

systemctl enable backupd.service
systemctl restart backupd.service

if [ -n "$DOMAIN_NAME" ]; then
  {
    echo "# Written by backupd-provision: TLS for $DOMAIN_NAME (Let's Encrypt), proxied to backupd."
    if [ -n "$ACME_EMAIL" ]; then printf '{\n\temail %s\n}\n\n' "$ACME_EMAIL"; fi
    printf '%s {\n\treverse_proxy %s\n}\n' "$DOMAIN_NAME" "$LISTEN"
  } >/etc/caddy/Caddyfile
  systemctl enable caddy.service
  systemctl restart caddy.service
fi

# --- 5. serving? -------------------------------------------------------------------------------
health="http://127.0.0.1:${LISTEN##*:}/healthz"
for _ in $(seq 1 60); do
  if curl -fsS --max-time 2 "$health" >/dev/null 2>&1; then
    log "backupd is up ($health); $(backupd --version 2>/dev/null || true)"
    exit 0
  fi
  sleep 1
done
log "backupd does not answer $health; see: journalctl -u backupd"
exit 1
