#!/usr/bin/env bash
# End to end, backup-disk faults on a real small file system: the backup root is a 2 MiB tmpfs
# mounted by this test. (a) a folder bigger than the disk fails backup_disk_full (after its
# retries), (b) a read-only remount fails backup_root_read_only, (c) subdirectories moved out
# of the source while the copy runs fail the attempt with source_vanished. Each ends with no
# snapshot under a final name, an empty staging area, the daemon answering, /readyz and
# /metrics saying what is wrong, and the next job succeeding once the cause is gone.
# Needs root (mount): skipped when not root, failed when not root under CI=true.
#   usage: backup_disk_faults_test.sh PATH/TO/backupd
set -uo pipefail
if [ "$(id -u)" != 0 ]; then
    if [ "${CI:-}" = true ]; then echo "FAIL: backup_disk_faults_test needs root under CI" >&2; exit 1; fi
    echo "skipped: backup_disk_faults_test needs root to mount a tmpfs"; exit 77
fi
# In a private mount namespace, so the tmpfs goes with this process however it ends (a ctest
# timeout's kill included: an EXIT trap would not run then).
if [ -z "${BACKUPD_DISK_FAULTS_NS:-}" ] && command -v unshare >/dev/null; then
    BACKUPD_DISK_FAULTS_NS=1 exec unshare --mount --propagation private bash "$0" "$@"
fi
# shellcheck source=tests/e2e/lib/e2e.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/e2e.sh"
e2e_init disk_faults "${1:-}"
e2e_case_cleanup() {
    if [ -n "$daemon_pid" ]; then kill -9 "$daemon_pid" 2>/dev/null; wait "$daemon_pid" 2>/dev/null; daemon_pid=""; fi
    mountpoint -q "$dst" && { umount "$dst" || umount -l "$dst"; }
}
mount -t tmpfs -o size=2m tmpfs "$dst" || die "mount -t tmpfs failed"

mkdir -p "$src/small" "$src/big"
echo hello >"$src/small/a.txt"
head -c 3000000 /dev/urandom >"$src/big/blob.bin"   # 3 MB: more than the 2 MiB disk
start_daemon --copy-threads 1

snapshots_of() { find "$dst/$1" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | wc -l; }
staging_entries() { find "$dst/.staging" -mindepth 1 2>/dev/null | wc -l; }
metric() { curl -s -m 10 "$base/metrics" | awk -v n="$1" '$1 == n { print $2 }'; }
readyz_code() { req GET /readyz; echo "$code $(js '.error.code // .status')"; }
is_ready() { [ "$(readyz_code)" = "200 ready" ]; }
expect_cleaned() { # expect_cleaned WHAT FOLDER
    expect_eq "$1: no snapshot of $2 under a final name" "$(snapshots_of "$2")" 0
    expect_eq "$1: the staging area is empty" "$(staging_entries)" 0
}
backup() { # backup FOLDER: submits, sets $job
    post_json /api/v1/backups "{\"folder\": \"$1\"}"; jobs_created=$((jobs_created + 1))
    job=$(js .id)
}
expect_eq "ready on a healthy tmpfs" "$(readyz_code)" "200 ready"

# --- (a) the disk fills up ------------------------------------------------------------------
backup big
expect_eq "a folder bigger than the disk: the job fails after its retries" "$(wait_job "$job" 90)" failed
expect_eq "its error is backup_disk_full" "$(js .error.code) $(js .attempt)" "backup_disk_full 3"
expect_cleaned "disk full" big
expect_eq "the daemon still answers /healthz" "$(curl -s -m 5 -o /dev/null -w '%{http_code}' "$base/healthz")" 200
expect_eq "/readyz: 503 backup_disk_full" "$(readyz_code)" "503 backup_disk_full"
expect_contains "/readyz says what the last backup needed" "$(js .error.message)" "the backup disk is full"
expect_eq "/metrics: backup_disk_full is the problem" \
    "$(metric 'backupd_backup_root_problem{code="backup_disk_full"}')" 1
free=$(metric backupd_backup_root_free_bytes)
if [ -n "$free" ] && [ "$free" -lt 3000000 ]; then pass "/metrics: free bytes $free, below the 3 MB needed"
else fail "/metrics: free bytes '$free' should be below 3000000"; fi
mount -o remount,size=64m "$dst" || die "remount,size=64m failed"
wait_until 10 "/readyz to say ready once space returns" is_ready
pass "/readyz is ready again once the disk grew (no job ran in between)"
backup small
expect_eq "a folder that fits backs up" "$(wait_job "$job")" succeeded
backup big
expect_eq "after the disk grew, the big folder backs up" "$(wait_job "$job")" succeeded
expect_eq "big has one snapshot" "$(snapshots_of big)" 1

# --- (b) the backup root turns read-only ----------------------------------------------------
mount -o remount,ro "$dst" || die "remount,ro failed"
# A function, so each try asks again (the probe is cached for a second).
says_read_only() { [ "$(readyz_code)" = "503 backup_root_read_only" ]; }
wait_until 10 "/readyz to say read-only" says_read_only
pass "/readyz: 503 backup_root_read_only"
expect_eq "/metrics: backupd_backup_root_writable 0" "$(metric backupd_backup_root_writable)" 0
echo changed >>"$src/small/a.txt"
backup small
expect_eq "a backup onto the read-only root fails at once" "$(wait_job "$job")" failed
expect_eq "its error is backup_root_read_only (not retried)" "$(js .error.code) $(js .attempt)" \
    "backup_root_read_only 1"
expect_eq "read-only: small still has only its first snapshot" "$(snapshots_of small)" 1
expect_eq "read-only: the staging area is empty" "$(staging_entries)" 0
mount -o remount,rw "$dst" || die "remount,rw failed"
wait_until 10 "/readyz to say ready once writable" is_ready
expect_eq "/metrics: backupd_backup_root_writable 1" "$(metric backupd_backup_root_writable)" 1
backup small
expect_eq "after remount,rw the next job succeeds" "$(wait_job "$job")" succeeded

# --- (c) the source vanishes mid-walk -------------------------------------------------------
# 200 directories of 100 empty files: with one copy thread the copy phase takes a while. Once
# a file exists in staging the walk is over; then every subdirectory is moved out of the
# folder in one rename each, so every batch not yet copied finds its directory gone.
mount -o remount,size=256m "$dst" || die "remount,size=256m failed"
mkdir -p "$src/many" "$work/moved"
for d in $(seq -w 1 200); do mkdir "$src/many/d$d" && (cd "$src/many/d$d" && touch $(seq -f 'f%03g' 1 100)); done
echo top >"$src/many/top.txt"
backup many
wait_until 30 "the copy of many to start copying files" \
    sh -c "find '$dst/.staging' -mindepth 2 -type f 2>/dev/null | grep -q ."
mv "$src/many"/d* "$work/moved/"
wait_until 30 "the first attempt to fail" \
    sh -c "curl -s -m 5 '$base/api/v1/jobs/$job' | grep -q '\"source_vanished\"'"
req GET "/api/v1/jobs/$job"
expect_eq "the attempt failed with source_vanished and waits for its retry" \
    "$(js .state) $(js .error.code) $(js .attempt)" "queued source_vanished 1"
expect_contains "the message says what vanished" "$(js .error.message)" "vanished during the backup"
expect_cleaned "source vanished" many
expect_eq "a source fault leaves /readyz ready" "$(readyz_code)" "200 ready"
expect_eq "the retry copies the folder as it is now" "$(wait_job "$job" 60)" succeeded
snapshot=$(js .snapshot)
if diff -r --no-dereference "$src/many" "$dst/$snapshot" >"$work/diff" 2>&1; then
    pass "the retried snapshot equals the source as it is now"
else
    fail "the retried snapshot differs: $(head -5 "$work/diff")"
fi

stop_daemon "the daemon exits 0 after the faults"
e2e_finish
