#!/usr/bin/env bash
# End to end, backupctl: every command against the real daemon (its own daemon and database,
# once per backend), each with a success and at least one failure, the exit statuses (0 success,
# 1 failed job or request refused as wrong, 2 usage, 3 unreachable or refused), --json, and the
# server and token from flags, environment and the config file.
#   usage: cli_test.sh PATH/TO/backupd PATH/TO/backupctl
set -uo pipefail
# shellcheck source=tests/e2e/lib/e2e.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/e2e.sh"
e2e_init cli "${1:-}"
CTL=$(realpath "${2:?usage: $0 PATH/TO/backupd PATH/TO/backupctl}")

make_source_tree
mkdir -p "$src/many"
# 10,000 files of 64 bytes: a backup that runs long enough for a job behind it to be cancelled.
head -c $((64 * 10000)) /dev/zero | tr '\0' x | (cd "$src/many" && split -b 64 -a 5 -d - f)
token=e2e-cli-token-$RANDOM$RANDOM
echo "$token" >"$work/tokens"
echo "$token" >"$work/client-token"
echo wrong-token >"$work/wrong-token"
start_daemon --api-token-file "$work/tokens" --workers 2

# ctl ARGS...: runs backupctl; stdout in $work/out, stderr in $work/err, status in $rc.
ctl() { "$CTL" "$@" >"$work/out" 2>"$work/err"; rc=$?; cat "$work/out" "$work/err" >>"$work/printed"; }
out() { cat "$work/out"; }
err() { cat "$work/err"; }
jout() { jq -rc "$1" "$work/out" 2>/dev/null || echo "<not JSON>"; }
# expect_rc WHAT STATUS [TEXT]: the last run exited STATUS (and its output contains TEXT).
expect_rc() {
    expect_eq "$1: exit status" "$rc" "$2"
    if [ $# -ge 3 ]; then expect_contains "$1: output" "$(out; err)" "$3"; fi
}

unset BACKUPD_URL BACKUPD_TOKEN
export XDG_CONFIG_HOME="$work/xdg" HOME="$work/home"

# --- usage errors (2) and help (0) -------------------------------------------------------------
ctl frob
expect_rc "an unknown command" 2 "unknown command 'frob'"
expect_contains "a usage error hints at --help" "$(err)" "backupctl --help"
ctl show
expect_rc "show without its ID" 2 "show needs ID (see backupctl help show)"
ctl jobs --colour red
expect_rc "an unknown option" 2 "unknown option '--colour'"
ctl show abc
expect_rc "a job id that is not a number" 2 "must be a positive whole number, not 'abc'"
ctl --help
expect_rc "--help" 0 "Exit status:"
ctl help restore
expect_rc "help restore" 0 "--overwrite POLICY"
ctl plan prune --help
expect_rc "plan prune --help" 0 "--dry-run"

# --- server and token: flags > environment > config file > default ------------------------------
ctl --url http://127.0.0.1:1 stats
expect_rc "an unreachable server" 3 "cannot reach http://127.0.0.1:1"
ctl --url "$base" stats
expect_rc "no token: the daemon refuses (401)" 3 "401 unauthorized"
ctl --url "$base" --token-file "$work/wrong-token" stats
expect_rc "a wrong token" 3 "401 unauthorized"
ctl --url "$base" --token-file "$work/client-token" stats
expect_rc "a token from --token-file" 0 "succeeded"
BACKUPD_URL=$base BACKUPD_TOKEN=$token ctl stats
expect_rc "url and token from BACKUPD_URL and BACKUPD_TOKEN" 0 "succeeded"
BACKUPD_URL=http://127.0.0.1:1 BACKUPD_TOKEN=$token ctl --url "$base" stats
expect_rc "--url wins over BACKUPD_URL" 0
BACKUPD_URL=$base BACKUPD_TOKEN=wrong ctl --token-file "$work/client-token" stats
expect_rc "--token-file wins over BACKUPD_TOKEN" 0
mkdir -p "$XDG_CONFIG_HOME/backupctl"
printf '# backupctl test\nurl = %s\ntoken_file = %s\n' "$base" "$work/client-token" \
    >"$XDG_CONFIG_HOME/backupctl/config"
ctl stats
expect_rc "url and token from the config file" 0
BACKUPD_TOKEN=wrong ctl stats
expect_rc "BACKUPD_TOKEN wins over the config file" 3 "401"
printf 'colour = red\n' >"$XDG_CONFIG_HOME/backupctl/config"
ctl stats
expect_rc "a config file with an unknown key" 1 "config:1: unknown key 'colour'"
rm -r "$XDG_CONFIG_HOME/backupctl"
if grep -qF "$token" "$work/printed"; then fail "the token was printed"; else pass "the token is never printed"; fi
export BACKUPD_URL=$base BACKUPD_TOKEN=$token

# --- backup -----------------------------------------------------------------------------------
ctl backup photos --wait
expect_rc "backup photos --wait" 0 "succeeded"
expect_contains "--wait without a terminal prints plain lines" "$(out)" "backup photos: succeeded 100.0%"
if grep -q $'\x1b' "$work/out"; then fail "plain output holds ANSI escapes"; else pass "plain output holds no ANSI escapes"; fi
ctl backup docs photos --wait --json
expect_rc "backup of two folders --wait --json" 0
expect_eq "--json --wait prints both jobs' final JSON" "$(jout '[.jobs[].state] | join(",")')" "succeeded,succeeded"
snap=$(jout '.jobs[1].id')
ctl backup docs --json
expect_rc "backup --json without --wait" 0
expect_eq "backup --json prints the API's job" "$(jout '.kind + " " + .folder')" "backup docs"
ctl backup nosuch
expect_rc "backup of a folder that does not exist" 1 "404 no_such_directory"
ctl backup ../etc
expect_rc "backup of a folder outside the root" 1 "invalid_folder_name"
ctl backup docs nosuch
expect_rc "a batch with one refused folder" 1 "nosuch: refused"

# --- jobs, show, cancel -----------------------------------------------------------------------
ctl jobs
expect_rc "jobs" 0 "photos"
expect_contains "jobs prints a table" "$(out | head -n 1)" "ID"
ctl jobs --state succeeded --kind backup --json
expect_rc "jobs --state succeeded --kind backup --json" 0
expect_eq "every job listed is a succeeded backup" \
    "$(jout '[.jobs[] | .state + "/" + .kind] | unique | join(",")')" "succeeded/backup"
ctl jobs --state sleeping
expect_rc "jobs with an unknown state" 1 "400 invalid_request"
ctl show "$snap"
expect_rc "show ID" 0 "succeeded"
ctl show "$snap" --json
expect_eq "show --json prints the job" "$(jout '.id')" "$snap"
ctl show 999999
expect_rc "show of an unknown job" 1 "404 not_found"
ctl backup many many --json
first=$(jout '.jobs[0].id') second=$(jout '.jobs[1].id')
ctl cancel "$second"
expect_rc "cancel of a job queued behind a backup of its folder" 0 "job $second: cancelled"
ctl cancel "$second"
expect_rc "cancel of a job that has ended" 1 "409 already_finished"
ctl cancel 999999
expect_rc "cancel of an unknown job" 1 "404"
first_ended() { "$CTL" show "$first" --json >"$work/first.json" && jq -e '.state != "queued" and .state != "running"' "$work/first.json" >/dev/null; }
wait_until 60 "job $first to end" first_ended
expect_eq "the first backup of many/ still succeeds" "$(jq -r .state "$work/first.json")" succeeded

# --- logs, stats ------------------------------------------------------------------------------
today=$(date -u +%F)
ctl logs --from "$today" --to "$today" --action Backup --status SUCCESS --json
expect_rc "logs with every filter" 0
expect_eq "logs --json holds only successful Backup records" \
    "$(jout '[.logs[] | .action + "/" + .status] | unique | join(",")')" "Backup/SUCCESS"
ctl logs --action Backup --status FAILED
expect_rc "logs as a table" 0 "No such directory: nosuch"
ctl logs --from 2026-02-30
expect_rc "logs from an impossible date" 1 "400 invalid_request"
ctl stats --json
expect_rc "stats --json" 0
expect_eq "stats counts the failed backups" "$(jout '.failed >= 3')" true
ctl stats --wait
expect_rc "stats with an option of another command" 2 "does not apply to stats"

# --- snapshots, ls, get -----------------------------------------------------------------------
ctl snapshots photos --json
expect_rc "snapshots photos --json" 0
expect_eq "snapshots of photos are all of photos" "$(jout '[.snapshots[].folder] | unique | join(",")')" photos
ctl snapshots
expect_rc "snapshots as a table" 0 "docs"
ctl snapshots --limit 0
expect_rc "snapshots with a limit of 0" 1 "400 invalid_request"
ctl ls "$snap"
expect_rc "ls SNAPSHOT" 0
expect_eq "ls marks directories with a slash" "$(out | awk '$1 == "dir" {print $NF}' | sort | tr '\n' ' ')" "2024/ empty/ "
expect_eq "ls shows modes in octal" "$(out | awk '$NF == "space.txt" {print $2}')" 600
expect_contains "ls shows a link and its target" "$(out)" "favourite -> 2024/summer/beach.jpg"
ctl ls "$snap" 2024/summer --json
expect_eq "ls SNAPSHOT PATH --json" "$(jout '[.entries[].name] | join(",")')" beach.jpg
ctl ls "$snap" nosuch
expect_rc "ls of a missing directory" 1 "404"
ctl ls 999999
expect_rc "ls of an unknown snapshot" 1 "404"
ctl get "$snap" 2024/raw.bin -o "$work/raw.bin"
expect_rc "get -o FILE" 0
expect_eq "get wrote the file's bytes" "$(cmp "$work/raw.bin" "$src/photos/2024/raw.bin" && echo same)" same
"$CTL" get "$snap" 2024/summer/beach.jpg >"$work/beach.out"
expect_eq "get to standard output" "$(cat "$work/beach.out")" beach
ctl get "$snap" 2024/nosuch.bin -o "$work/nosuch.bin"
expect_rc "get of a missing file" 1 "404"
expect_eq "a failed get leaves no file, not even a temporary one" \
    "$(find "$work" -maxdepth 1 -name 'nosuch.bin*' | wc -l)" 0
ctl get "$snap" 2024 -o "$work/dir.bin"
expect_rc "get of a directory" 1 "409 not_a_file"

# --- restore, verify --------------------------------------------------------------------------
ctl restore "$snap" --path 2024/summer --target r1 --wait
expect_rc "restore --path --target --wait" 0 "restore photos: succeeded"
expect_eq "the restored file is there" "$(cat "$rst/r1/2024/summer/beach.jpg" 2>&1)" beach
ctl restore "$snap" --path 2024/summer --target r1 --wait
expect_rc "a restore onto existing files under overwrite never" 1 "restore_conflict"
ctl restore "$snap" --path 2024/summer --target r1 --overwrite always --json
expect_rc "restore --overwrite always --json" 0
expect_eq "restore --json prints the job" "$(jout '.kind + " " + .restore.overwrite')" "restore always"
ctl restore "$snap" --overwrite sometimes
expect_rc "restore with an unknown policy" 1 "400"
ctl restore 999999
expect_rc "restore of an unknown snapshot" 1 "404"
ctl verify "$snap" --wait
expect_rc "verify --wait of an intact snapshot" 0 "verify photos: succeeded"
ctl verify 999999 --wait
expect_rc "verify of an unknown snapshot" 1 "404"

# --- plans ------------------------------------------------------------------------------------
ctl plans
expect_rc "plans with none" 0 "NAME"
ctl plan create nightly --folder photos --schedule "0 3 * * *" --time-zone Europe/Paris \
    --keep-last 1 --keep-daily 7
expect_rc "plan create" 0 "plan nightly created"
ctl plan create nightly --folder photos --schedule @daily
expect_rc "plan create of an existing name" 1 "409 plan_exists"
ctl plan create broken --folder photos --schedule "99 * * * *"
expect_rc "plan create with a bad schedule" 1 "400"
ctl plan create broken --folder photos --schedule @daily --keep-last -1
expect_rc "plan create with a negative count" 2 "--keep-last must be a whole number"
ctl plan create broken --schedule @daily
expect_rc "plan create without --folder" 2 "needs --folder"
ctl plans --json
expect_eq "plans --json lists the plan" "$(jout '[.plans[].name] | join(",")')" nightly
ctl plan show nightly --json
expect_eq "plan show --json" "$(jout '.time_zone + " " + (.retention.keep_last | tostring)')" "Europe/Paris 1"
ctl plan show nosuch
expect_rc "plan show of an unknown plan" 1 "404"
ctl plan prune nightly --dry-run
expect_rc "plan prune --dry-run" 0 "newest"
expect_contains "the dry run says what it would remove" "$(out)" "remove"
ctl plan run nightly --wait
expect_rc "plan run --wait" 0 "backup photos: succeeded"
ctl plan run nosuch
expect_rc "plan run of an unknown plan" 1 "404"
ctl plan prune nightly --wait
expect_rc "plan prune --wait" 0 "prune photos: succeeded"
ctl plan prune nosuch --dry-run
expect_rc "plan prune of an unknown plan" 1 "404"
ctl plan delete nightly
expect_rc "plan delete" 0 "plan nightly deleted"
ctl plan delete nightly
expect_rc "plan delete of a deleted plan" 1 "404"

# --- a failed job is exit 1 (last: it damages a snapshot) -------------------------------------
ctl snapshots docs --json
docs_snap=$(jout '.snapshots[0].id')
docs_dir=$(find "$dst/docs" -mindepth 1 -maxdepth 1 -type d -name "*-$docs_snap")
chmod u+w "$docs_dir/notes.txt" && echo tampered >"$docs_dir/notes.txt"
ctl verify "$docs_snap" --wait
expect_rc "verify --wait of a damaged snapshot" 1 "verify_mismatch"

stop_daemon "SIGTERM stops the daemon with status 0"

# --- https: the server's certificate is verified, its name checked; a TLS failure is exit 3 ----
tls="$work/tls"
mkdir -p "$tls"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=cli-e2e-ca \
    -keyout "$tls/ca.key" -out "$tls/ca.pem" 2>/dev/null || die "cannot make the CA"
printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$tls/server.ext"
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=127.0.0.1 \
    -keyout "$tls/key.pem" -out "$tls/server.csr" 2>/dev/null &&
    openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" -set_serial 1 \
        -days 2 -extfile "$tls/server.ext" -out "$tls/cert.pem" 2>/dev/null ||
    die "cannot make the server certificate"
start_daemon --api-token-file "$work/tokens" --tls-cert "$tls/cert.pem" --tls-key "$tls/key.pem"
port=${base##*:}
ctl --url "https://127.0.0.1:$port" --cacert "$tls/ca.pem" jobs --kind backup --state succeeded
expect_rc "https with --cacert" 0 "photos"
ctl --url "https://127.0.0.1:$port" stats
expect_rc "https without the CA: verification fails" 3 "TLS handshake with https://127.0.0.1:$port failed"
ctl --url "https://localhost:$port" --cacert "$tls/ca.pem" stats
expect_rc "https to a name the certificate does not carry" 3 "TLS handshake"
ctl --url "http://127.0.0.1:$port" stats
expect_rc "plain http to a TLS port" 3
ctl --url "https://127.0.0.1:$port" --cacert "$work/nosuch.pem" stats
expect_rc "an unreadable --cacert" 3 "cannot load the CA file"
base="https://127.0.0.1:$port"  # stop_daemon only signals the process
stop_daemon "SIGTERM stops the TLS daemon with status 0"
e2e_finish
