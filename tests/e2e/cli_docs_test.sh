#!/usr/bin/env bash
# backupctl's documentation is checked, not trusted: the man page (docs/man/backupctl.1) renders
# without a groff warning and names every command and option `backupctl --help` lists; the bash
# completion (cli/completion/backupctl.bash) completes commands, plan subcommands, options and
# values.
#   usage: cli_docs_test.sh PATH/TO/backupctl
set -uo pipefail
CTL=$(realpath "${1:?usage: $0 PATH/TO/backupctl}")
repo=$(cd "$(dirname "$0")/../.." && pwd)
man_page="$repo/docs/man/backupctl.1"
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

command -v groff >/dev/null || { echo "FAIL: groff not found (scripts/install-deps.sh)" >&2; exit 1; }
warnings=$(groff -z -ww -man "$man_page" 2>&1)
if [ -z "$warnings" ]; then pass "groff -z -ww renders the man page without a warning"; else fail "groff: $warnings"; fi
rendered=$(groff -T utf8 -man "$man_page" 2>/dev/null | sed 's/.\x08//g' | tr '‐' '-')

# Every command of the overview, and every option of every command's help, is in the man page.
mapfile -t commands < <("$CTL" --help | sed -n '/^Commands:/,/^$/p' | sed -nE 's/^  ([a-z]+( [a-z]+)?) .*/\1/p' |
    sed -E 's/ [A-Z].*//')
[ "${#commands[@]}" -ge 17 ] || fail "expected 17 commands in --help, read ${#commands[@]}"
for command in "${commands[@]}"; do
    grep -qF "$command" <<<"$rendered" || fail "the man page lacks the command '$command'"
    # shellcheck disable=SC2086  # "plan create" is two words
    for option in $("$CTL" help $command | grep -oE '^  --[a-z-]+' | tr -d ' '); do
        grep -qF -- "$option" <<<"$rendered" || fail "the man page lacks $option of $command"
    done
done
pass "the man page names ${#commands[@]} commands and their options"
for status in 0 1 2 3; do
    grep -qE "^ {7}$status\b" <<<"$rendered" || fail "the man page's EXIT STATUS lacks $status"
done

# The completion, as bash would call it.
# shellcheck source=cli/completion/backupctl.bash
. "$repo/cli/completion/backupctl.bash"
complete_words() { # complete_words WORD... : completions of the last word
    COMP_WORDS=(backupctl "$@") COMP_CWORD=$# COMPREPLY=()
    _backupctl
    printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}
expect() { if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: got '$2', expected '$3'"; fi; }
expect "commands" "$(complete_words s)" "show snapshots stats"
expect "plan subcommands" "$(complete_words plan c)" "create"
expect "a command's options" "$(complete_words jobs --st)" "--state"
expect "option values" "$(complete_words jobs --state s)" "succeeded"
expect "plan create's options after its name" "$(complete_words plan create nightly --keep-w)" \
    "--keep-weekly --keep-within"
expect "restore's overwrite policies" "$(complete_words restore 3 --overwrite i)" "if-changed"

if [ "$failures" -gt 0 ]; then echo "cli_docs: $failures check(s) failed" >&2; exit 1; fi
echo "cli_docs: all checks passed"
