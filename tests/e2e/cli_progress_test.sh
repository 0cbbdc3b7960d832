#!/usr/bin/env bash
# End to end, backupctl's progress bars on an 80-column terminal (tmux), read off the screen.
#
# (a) The drawing, against a scripted fake API (lib/fake_api.py): job 7's progress moves only
#     when this test writes the next step (0 -> 30 -> 60 -> 100%) and has seen the screen show
#     it, so nothing depends on the machine's speed. At each step: one line per job, redrawn in
#     place (never scrolled, never wrapped: every line shorter than 80 columns), the percent
#     moving forward, an ETA once progress has moved; at the end 100%, "succeeded", exit 0.
# (b) The real daemon: `backupctl backup big small --wait` ends with full bars at 100%,
#     "succeeded" for both jobs, exit 0 (however fast or slow the backup ran).
#   usage: cli_progress_test.sh PATH/TO/backupd PATH/TO/backupctl
set -uo pipefail
# shellcheck source=tests/e2e/lib/e2e.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/e2e.sh"
e2e_init cli_progress "${1:-}"
CTL=$(realpath "${2:?usage: $0 PATH/TO/backupd PATH/TO/backupctl}")
command -v tmux >/dev/null || die "tmux not found (scripts/install-deps.sh)"
command -v python3 >/dev/null || die "python3 not found (scripts/install-deps.sh)"

columns=80
# One tmux server per run, on a socket of its own: `kill-server` returns before the old server
# has gone, and a new session started on the same socket can attach to the dying server
# ("server exited unexpectedly"; seen in CI).
tmux_runs=0
tmux_socket=""
fake_pid=""
e2e_case_cleanup() {
    [ -n "$tmux_socket" ] && tmux -L "$tmux_socket" kill-server 2>/dev/null
    [ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null
}
screen() { tmux -L "$tmux_socket" capture-pane -p; }
screen_has() { screen | grep -qF -- "$1"; }
# run_on_terminal URL ARGS...: backupctl ARGS in a fresh 80x12 pseudo-terminal.
run_on_terminal() {
    local url=$1
    shift
    [ -n "$tmux_socket" ] && tmux -L "$tmux_socket" kill-server 2>/dev/null
    tmux_runs=$((tmux_runs + 1))
    tmux_socket="backupctl-e2e-$$-$tmux_runs"
    tmux -L "$tmux_socket" new-session -d -x "$columns" -y 12 \
        "BACKUPD_URL='$url' BACKUPD_TOKEN=t '$CTL' $*; echo EXIT=\$?; sleep 600"
}
# check_screen WHAT: the screen holds one line per job (2), each narrower than the terminal.
check_screen() {
    local shown lines widest
    shown=$(screen)
    lines=$(grep -cE '^job [0-9]+ backup (big|small) ' <<<"$shown")
    widest=$(awk '{ if (length($0) > w) w = length($0) } END { print w + 0 }' <<<"$shown")
    expect_eq "$1: one line per job, redrawn in place" "$lines" 2
    if [ "$widest" -lt "$columns" ]; then pass "$1: no line reaches column $columns ($widest)"
    else fail "$1: a line is $widest wide on a $columns-column terminal: $shown"; fi
}

# --- (a) the drawing, step by step against the fake API -----------------------------------------
python3 "$e2e_lib_dir/fake_api.py" "$work/fake-port" "$work" 2>"$work/fake.log" &
fake_pid=$!
fake_started() { [ -s "$work/fake-port" ]; }
wait_until 10 "the fake API to start" fake_started
echo "0 running" >"$work/step"
run_on_terminal "http://[::1]:$(cat "$work/fake-port")" backup big small --wait
for pct in 0 30 60; do
    echo "$pct running" >"$work/step"
    shows_pct() { screen_has "$(printf '%5.1f%%  %d/100 files' "$pct" "$pct")"; }
    wait_until 20 "the bar to show $pct%" shows_pct
    check_screen "at $pct%"
    bar=$(screen | grep -E '^job 7 backup big \[[#.]+\]')
    if [ -n "$bar" ]; then pass "at $pct%: a bar for the big folder: $bar"; else fail "at $pct%: no bar: $(screen)"; fi
done
eta_shown() { screen | grep -qE 'job 7 .*ETA [0-9]+:[0-9]{2}'; }
wait_until 10 "an ETA once progress moved" eta_shown
pass "an ETA is shown while it runs"
screen | grep -E "^job " | sed "s/^/screen: /"  # the README's example
echo "100 succeeded" >"$work/step"
exited() { screen_has "EXIT="; }
wait_until 20 "backupctl to exit" exited
final=$(screen)
check_screen "at the end"
expect_contains "the big job ends at 100%, succeeded" "$(grep -E '^job 7' <<<"$final")" "100.0%  100/100 files"
expect_contains "the big job ends succeeded" "$(grep -E '^job 7' <<<"$final")" succeeded
expect_contains "backupctl exits 0" "$final" "EXIT=0"
kill "$fake_pid" 2>/dev/null
fake_pid=""

# --- (b) the real daemon: ends at 100%, succeeded, exit 0 ---------------------------------------
files=2000
mkdir -p "$src/big" "$src/small"
head -c $((64 * files)) /dev/zero | tr '\0' x | (cd "$src/big" && split -b 64 -a 5 -d - f)
echo small >"$src/small/one.txt"
start_daemon --workers 2
run_on_terminal "$base" backup big small --wait
wait_until 120 "backupctl to exit against the daemon" exited
final=$(screen)
check_screen "the daemon's jobs at the end"
if grep -qE "^job [0-9]+ backup big \[#+\] 100\.0%  $files/$files files" <<<"$final"; then
    pass "the big job ends with a full bar at 100%"
else fail "the big job does not end at 100%: $final"; fi
expect_contains "the big job ends succeeded" "$(grep -E 'backup big' <<<"$final")" succeeded
expect_contains "the small job has a bar of its own, ending succeeded" \
    "$(grep -E 'backup small' <<<"$final")" "100.0%  1/1 files"
expect_contains "backupctl exits 0" "$final" "EXIT=0"

stop_daemon "SIGTERM stops the daemon with status 0"
e2e_finish
