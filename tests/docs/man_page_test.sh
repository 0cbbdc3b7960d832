#!/usr/bin/env bash
# docs/man/backupd.8 against the binary (ctest docs.man_page): groff -man -z -ww finds no
# problem; its OPTIONS section lists exactly the options of `backupd serve --help` (plus --help
# and --version), each with an argument exactly when --help shows VALUE; its SYNOPSIS and
# COMMANDS name every command of the usage; and a page that drifted (an option dropped, one
# invented) is caught, so this check can fail.
#   usage: man_page_test.sh PATH/TO/backupd [PATH/TO/backupd.8]
set -uo pipefail
bin=$(realpath "${1:?usage: $0 PATH/TO/backupd [MAN_PAGE]}")
page=$(realpath "${2:-$(dirname "$0")/../../docs/man/backupd.8}")
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
command -v groff >/dev/null || { echo "FAIL: groff not found (scripts/install-deps.sh)" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/backupd-man-page.XXXXXX")
trap 'rm -rf "$work"' EXIT

# "--name" or "--name VALUE", one per line, sorted: what --help documents.
"$bin" serve --help >"$work/help" || fail "backupd serve --help exited non-zero"
{ sed -nE 's/^  (--[a-z0-9-]+)( VALUE)?$/\1\2/p' "$work/help"; printf '%s\n' --help --version; } |
    sort >"$work/help.options"
# The commands of the usage lines ("backupd [serve] ...", "backupd migrate ...").
sed -nE 's/^  backupd \[?(serve|[a-z]+)\]? .*/\1/p' "$work/help" | sort -u >"$work/help.commands"
[ "$(wc -l <"$work/help.options")" -ge 20 ] || fail "--help lists only $(wc -l <"$work/help.options") options"
[ "$(wc -l <"$work/help.commands")" -ge 4 ] || fail "the usage names only: $(tr '\n' ' ' <"$work/help.commands")"

# section NAME FILE: the roff lines of one .SH section.
section() { awk -v s=".SH $1" '$0 == s { on = 1; next } /^\.SH / { on = 0 } on' "$2"; }
# man_options FILE: the options the page documents, as help_options prints them. An entry is
# the line after .TP: `.B \-\-name` (a switch) or `.BI \-\-name " ARG"` (with a value).
man_options() {
    section OPTIONS "$1" | awk 'prev == ".TP" { print } { prev = $0 }' |
        sed -nE 's/^\.B \\-\\-([a-z0-9\\-]+)$/--\1/p; s/^\.BI \\-\\-([a-z0-9\\-]+) ".*/--\1 VALUE/p' |
        sed 's/\\-/-/g'
    section COMMANDS "$1" | grep -qF '.BR help ", " \-\-help ", " \-h' && echo --help
    section COMMANDS "$1" | awk 'prev == ".TP" { print } { prev = $0 }' | grep -qx '.B \\-\\-version' && echo --version
}
# compare FILE: the differences between the page and --help, one per line; nothing when equal.
compare() {
    man_options "$1" | sort >"$work/man.options"
    comm -23 "$work/help.options" "$work/man.options" | sed 's/^/missing from the man page: /'
    comm -13 "$work/help.options" "$work/man.options" | sed 's/^/not in --help: /'
    while read -r command; do
        section SYNOPSIS "$1" | grep -qE "^\.(B|RB \[) $command( \]|$)" || echo "SYNOPSIS lacks $command"
        section COMMANDS "$1" | grep -A1 -x '.TP' | grep -qE "^\.BR? $command\b|^\.BI \"?$command" ||
            echo "COMMANDS lacks $command"
    done <"$work/help.commands"
}

lint=$(groff -man -z -ww "$page" 2>&1)
if [ -z "$lint" ]; then pass "groff -man -z -ww finds no problem"; else fail "groff: $lint"; fi
diff=$(compare "$page")
if [ -z "$diff" ]; then
    pass "the man page documents the $(wc -l <"$work/help.options") options and the commands ($(tr '\n' ' ' <"$work/help.commands")) of --help"
else
    fail "the man page and --help differ:"$'\n'"$diff"
fi
grep -qF 'BACKUPD_DATABASE_PASSWORD' "$page" || fail "ENVIRONMENT lacks BACKUPD_DATABASE_PASSWORD"
for heading in SIGNALS ENVIRONMENT FILES 'EXIT STATUS'; do
    grep -qx ".SH $heading" "$page" || fail "no $heading section"
done

# A drifted copy is caught: --rate-limit-burst dropped, --frobnicate invented, --workers' value lost.
awk '/^\.BI \\-\\-rate\\-limit\\-burst / { skip = 1; next } skip && /^\.TP$/ { skip = 0 } !skip' "$page" |
    sed 's/^\.BI \\-\\-workers " N"$/.B \\-\\-workers/' >"$work/drifted.8"
sed -i 's/^\.SH SIGNALS$/.TP\n.B \\-\\-frobnicate\nFrobnicate.\n.SH SIGNALS/' "$work/drifted.8"
drift=$(compare "$work/drifted.8")
for expected in "missing from the man page: --rate-limit-burst VALUE" "not in --help: --frobnicate" \
    "missing from the man page: --workers VALUE" "not in --help: --workers"; do
    if grep -qxF -- "$expected" <<<"$drift"; then pass "a drifted page is caught: $expected"; else fail "not caught: $expected (got: $drift)"; fi
done

if [ "$failures" -gt 0 ]; then echo "man page: $failures check(s) failed" >&2; exit 1; fi
echo "man page: all checks passed"
