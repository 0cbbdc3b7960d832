#!/usr/bin/env bash
# Fetches the backupd API token(s) from the SSM SecureString parameter named in
# /etc/backupd/provision.env into /etc/backupd/tokens (one per line, 0600, owned by backupd),
# and restarts backupd when they changed and it is running. Installed by cloud-init as
# /usr/local/sbin/backupd-refresh-token; run by backupd-refresh-token.timer every 15 minutes
# and by hand after a rotation (docs/deploy-aws.md). Never prints a token.
set -euo pipefail

# shellcheck source=/dev/null
. /etc/backupd/provision.env
: "${AWS_REGION:?}" "${API_TOKEN_PARAMETER:?}"

tokens=/etc/backupd/tokens
fresh=$(mktemp /etc/backupd/.tokens.XXXXXX)   # 0600
trap 'rm -f "$fresh"' EXIT

# The instance role allows ssm:GetParameter on this one parameter (IMDSv2 credentials).
aws ssm get-parameter --region "$AWS_REGION" --name "$API_TOKEN_PARAMETER" --with-decryption \
  --query Parameter.Value --output text >"$fresh"

if ! grep -q '[^[:space:]]' "$fresh"; then
  echo "backupd-refresh-token: $API_TOKEN_PARAMETER is empty; keeping the current tokens" >&2
  exit 1
fi
if [ -f "$tokens" ] && cmp -s "$fresh" "$tokens"; then
  exit 0
fi

owner=root
if getent passwd backupd >/dev/null; then owner=backupd; fi
chown "$owner:" "$fresh"
chmod 0600 "$fresh"
mv -f "$fresh" "$tokens"
echo "backupd-refresh-token: $tokens updated from $API_TOKEN_PARAMETER ($(grep -c '[^[:space:]]' "$tokens") token(s))" >&2

# backupd reads the token file at start-up; a restart drains running backups first.
if systemctl is-active --quiet backupd.service; then
  systemctl restart backupd.service
  echo "backupd-refresh-token: backupd restarted" >&2
fi
