#!/usr/bin/env bash
# End to end, backupctl's progress bars on a terminal: `backupctl backup big small --wait` runs
# in a tmux pseudo-terminal, and the test reads the screen while it runs: one bar per job, drawn
# in place (redrawn, never scrolled), advancing over several redraws, with an ETA, ending at
# 100% and "succeeded", exit status 0.
#
# The backup is made to last: 50,000 small files copied by one copy thread (several seconds,
# more on a loaded machine), and --lease-seconds 3 so heartbeats carry progress to the job row
# every second.
#   usage: cli_progress_test.sh PATH/TO/backupd PATH/TO/backupctl
set -uo pipefail
# shellcheck source=tests/e2e/lib/e2e.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/e2e.sh"
e2e_init cli_progress "${1:-}"
CTL=$(realpath "${2:?usage: $0 PATH/TO/backupd PATH/TO/backupctl}")
command -v tmux >/dev/null || die "tmux not found (scripts/install-deps.sh)"

files=50000
mkdir -p "$src/big" "$src/small"
head -c $((64 * files)) /dev/zero | tr '\0' x | (cd "$src/big" && split -b 64 -a 5 -d - f)
echo small >"$src/small/one.txt"
start_daemon --copy-threads 1 --workers 2 --lease-seconds 3

tmux_socket="backupctl-e2e-$$"
e2e_case_cleanup() { tmux -L "$tmux_socket" kill-server 2>/dev/null || true; }
tmux -L "$tmux_socket" new-session -d -x 160 -y 12 \
    "BACKUPD_URL=$base '$CTL' backup big small --wait; echo EXIT=\$?; sleep 600"

# Read the screen every 0.2 s until backupctl has exited; keep each distinct screen.
screens="$work/screens"
mkdir -p "$screens"
n=0 last="" deadline=$((SECONDS + 240))
while :; do
    screen=$(tmux -L "$tmux_socket" capture-pane -p)
    if [ "$screen" != "$last" ]; then
        n=$((n + 1))
        printf '%s\n' "$screen" >"$screens/$(printf %04d "$n")"
        last=$screen
    fi
    case "$screen" in *EXIT=*) break ;; esac
    [ "$SECONDS" -lt "$deadline" ] || die "backupctl did not exit within 240 s: $screen"
    sleep 0.2
done
final="$screens/$(printf %04d "$n")"
echo "read $n distinct screens"

bar_re='job [0-9]+ backup big \[[#.]{24}\] +[0-9.]+%'
expect_eq "a bar is drawn for the big folder" "$(grep -lE "$bar_re" "$screens"/* | wc -l | awk '$1 > 0 {print "yes"}')" yes
# The big job's percent on each screen, in order.
mapfile -t percents < <(for f in "$screens"/*; do
    grep -oE "$bar_re" "$f" | sed -E 's/.*\] +([0-9.]+)%/\1/'
done)
between=$(printf '%s\n' "${percents[@]}" | awk '$1 > 0 && $1 < 100' | sort -un | wc -l)
if [ "$between" -ge 2 ]; then
    pass "the bar advances over several redraws ($between distinct values between 0 and 100%)"
else
    fail "the bar did not advance visibly: percents seen ${percents[*]}"
fi
# One bar mid-way, for the log (and the README's example).
for f in "$screens"/*; do
    line=$(grep -E "$bar_re" "$f" | grep -E 'ETA [0-9]' | grep -E '\] +[3-9][0-9]\.[0-9]%' | head -n 1)
    [ -n "$line" ] && { echo "mid-way: $line"; break; }
done
expect_eq "the percent never goes back" \
    "$(printf '%s\n' "${percents[@]}" | awk 'NR > 1 && $1 < prev {bad = 1} {prev = $1} END {print bad ? "backwards" : "forward"}')" forward
if grep -qE 'ETA [0-9]+:[0-9]{2}' "$screens"/*; then pass "an ETA is shown while it runs"; else fail "no ETA was ever shown"; fi
if grep -qE '[0-9.]+ (B|KiB|MiB)/s' "$screens"/*; then pass "a rate is shown"; else fail "no rate was ever shown"; fi

expect_contains "the big job ends at 100% with a full bar" "$(grep -E 'backup big' "$final")" \
    "[########################] 100.0%  $files/$files files"
expect_contains "the big job ends succeeded" "$(grep -E 'backup big' "$final")" succeeded
expect_contains "the small job has a bar of its own, ending succeeded" \
    "$(grep -E 'backup small' "$final")" "100.0%  1/1 files"
expect_eq "each job's bar is redrawn in place (one line per job on the final screen)" \
    "$(grep -cE 'job [0-9]+ backup (big|small) \[' "$final")" 2
expect_contains "backupctl exits 0" "$(cat "$final")" "EXIT=0"

stop_daemon "SIGTERM stops the daemon with status 0"
e2e_finish
