#!/usr/bin/env bash
# End to end: `backupd snapshot` (no database, no server) on real directories: a full copy
# that diff finds identical, an incremental second run sharing inodes, and clear failures; then
# `backupd verify` on those snapshots: intact, a corrupted file, a deleted file, usage errors.
#   usage: snapshot_cli_test.sh PATH/TO/backupd
set -uo pipefail

BIN=$(realpath "${1:?usage: $0 PATH/TO/backupd}")
work=$(mktemp -d "${TMPDIR:-/tmp}/backupd-snapshot.XXXXXX")
trap 'chmod -R u+rwx "$work"; rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
expect_eq() { if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: got '$2', expected '$3'"; fi; }
expect_contains() { case "$2" in *"$3"*) pass "$1" ;; *) fail "$1: '$2' lacks '$3'" ;; esac; }

src="$work/sources" dst="$work/backups"
mkdir -p "$src/photos/2026/empty" "$src/photos/read only" "$work/outside"
printf 'hello\n' > "$src/photos/a.txt"
: > "$src/photos/zero"
head -c 3000000 /dev/urandom > "$src/photos/2026/big.bin"
printf 'été\n' > "$src/photos/2026/fotos été 日本.txt"
printf 'ro\n' > "$src/photos/read only/f"
chmod 0555 "$src/photos/read only"
chmod 0600 "$src/photos/a.txt"
ln -s ../a.txt "$src/photos/2026/relative"
ln -s /etc/hostname "$src/photos/absolute"
ln -s nowhere "$src/photos/dangling"
mkfifo "$src/photos/fifo"
touch -d '2020-02-02 02:02:02.123456789' "$src/photos/a.txt" "$src/photos/2026"
ln -s "$work/outside" "$src/escape"

run() { "$BIN" snapshot --log-level warn --source-root "$src" --backup-root "$dst" "$@"; }

first=$(run photos); rc=$?
expect_eq "a full snapshot exits 0" "$rc" 0
case "$first" in "$dst"/photos/[0-9]*T[0-9]*Z-0) pass "it prints the snapshot path" ;;
  *) fail "unexpected path '$first'" ;; esac
diff_out=$(diff -r --no-dereference "$src/photos" "$first" 2>&1)
expect_eq "the snapshot equals the source, except the FIFO" "$diff_out" "Only in $src/photos: fifo"
expect_eq "mtimes are kept to the nanosecond" "$(stat -c %y "$first/a.txt")" "$(stat -c %y "$src/photos/a.txt")"
expect_eq "directory mtimes are kept" "$(stat -c %y "$first/2026")" "$(stat -c %y "$src/photos/2026")"
expect_eq "modes are kept" "$(stat -c %a "$first/a.txt") $(stat -c %a "$first/read only")" "600 555"
expect_eq "symlinks stay links" "$(readlink "$first/absolute")" "/etc/hostname"
expect_eq "latest points at it" "$(readlink "$dst/photos/latest")" "$(basename "$first")"
expect_eq "no staging left" "$(ls -A "$dst/.staging")" ""

second=$(run photos); rc=$?
expect_eq "a second snapshot exits 0" "$rc" 0
[ "$second" != "$first" ] && pass "it has its own name" || fail "same name twice: $second"
expect_eq "unchanged files share the inode" "$(stat -c %i "$second/2026/big.bin")" "$(stat -c %i "$first/2026/big.bin")"
expect_eq "latest moves on" "$(readlink "$dst/photos/latest")" "$(basename "$second")"

for bad in missing ../outside /etc escape escape/x photos/a.txt "photos//2026" "x/latest"; do
  run "$bad" >/dev/null 2>&1; rc=$?
  expect_eq "'$bad' is refused" "$rc" 1
done
expect_contains "a missing folder says so" "$(run missing 2>&1)" "No such directory"
expect_contains "a link out of the root says so" "$(run escape 2>&1)" "outside the source root"
expect_eq "nothing was created for refused folders" "$(ls "$dst")" "photos"

"$BIN" snapshot --source-root "$src" --backup-root "$dst" >/dev/null 2>&1; rc=$?
expect_eq "no FOLDER is a usage error" "$rc" 2
"$BIN" serve photos >/dev/null 2>&1; rc=$?
expect_eq "serve takes no FOLDER" "$rc" 2

# The manifests: beside each snapshot, outside its tree.
expect_eq "each snapshot has its manifest beside it" \
  "$(cd "$dst/photos" && ls -d ./*.manifest | wc -l)" 2
expect_eq "the first manifest is named after its snapshot" "$(test -f "$first.manifest" && echo yes)" yes
cp -a "$first" "$work/copied"
expect_eq "cp -a of a snapshot holds no manifest" "$(find "$work/copied" -name '*manifest*' | wc -l)" 0

out=$("$BIN" verify "$first"); rc=$?
expect_eq "verify of an intact snapshot exits 0" "$rc" 0
expect_eq "it counts the manifest's entries" "$out" "intact: 12 entries"
out=$("$BIN" verify "$second/"); rc=$?
expect_eq "a trailing slash is fine" "$rc" 0

# Corrupt one byte of a file only the second snapshot holds (same size, same mode).
printf 'changed\n' > "$src/photos/a.txt"
touch -d '2020-02-02 02:02:02.123456789' "$src/photos/a.txt"
third=$(run photos)
[ "$(stat -c %i "$third/a.txt")" != "$(stat -c %i "$second/a.txt")" ] && pass "an edited file is copied" ||
  fail "an edited file was linked"
printf 'C' | dd of="$third/a.txt" bs=1 seek=3 conv=notrunc status=none
out=$("$BIN" verify "$third"); rc=$?
expect_eq "verify of a corrupted snapshot exits 1" "$rc" 1
expect_contains "it counts the mismatch" "$out" "mismatched: 1, missing: 0, extra: 0"
expect_eq "it names the corrupted file on its own line" "$(printf '%s\n' "$out" | sed -n 2p)" "a.txt"
out=$("$BIN" verify "$second"); rc=$?
expect_eq "the other snapshots stay intact" "$rc" 0

rm "$second/2026/fotos été 日本.txt"
out=$("$BIN" verify "$second"); rc=$?
expect_eq "verify with a deleted file exits 1" "$rc" 1
expect_contains "it counts it missing" "$out" "missing: 1"
expect_contains "it names it" "$out" "2026/fotos été 日本.txt"

"$BIN" verify >/dev/null 2>&1; rc=$?
expect_eq "verify without an argument is a usage error" "$rc" 2
"$BIN" verify "$first" "$second" >/dev/null 2>&1; rc=$?
expect_eq "verify with two arguments is a usage error" "$rc" 2
out=$("$BIN" verify "$work/copied" 2>&1); rc=$?
expect_eq "verify of a directory without a manifest exits 2" "$rc" 2
expect_contains "it says there is no manifest" "$out" "no manifest"
printf 'x' >> "$first.manifest"
out=$("$BIN" verify "$first" 2>&1); rc=$?
expect_eq "verify against an altered manifest exits 1" "$rc" 1
expect_contains "it says the manifest does not check" "$out" "manifest does not check"

echo "$failures failure(s)"
[ "$failures" -eq 0 ]
