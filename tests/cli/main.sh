#!/bin/sh
# The command line itself: help, version, dispatch, exit codes, stdout
# errors.
. "$top_srcdir/tests/cli/lib.sh"

run --help
expect_rc 0
expect_out '^usage: migrator'
expect_out '^  heads  '
expect_out '^  upgrade  '

run --version
expect_rc 0
expect_out '^migrator [0-9]+\.[0-9]+\.[0-9]+$'
expect_out '^plugin ABI 1\.5$'
expect_out "^plugin directory .*plugins/.libs \(build tree\)$"

run
expect_rc 2
expect_err 'usage: migrator'

run frobnicate
expect_rc 2
expect_err "unknown command 'frobnicate'"

run --no-such-option heads
expect_rc 2
expect_err "unknown option '--no-such-option'"

run -c
expect_rc 2
expect_err "option '-c' needs a value"

run --color=sometimes heads
expect_rc 2
expect_err "--color takes auto, always or never"

run help init
expect_rc 0
expect_out '^usage: migrator init'

# Every command listed by --help has its own help.
"$MIGRATOR" --help | sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p' >"$T/commands"
checks=$((checks + 1))
[ "$(wc -l <"$T/commands")" -ge 15 ] || fail "too few commands listed"
while read -r c; do
    checks=$((checks + 1))
    "$MIGRATOR" help "$c" 2>/dev/null | grep -q "^usage: migrator $c" ||
        fail "no help for '$c'"
done <"$T/commands"

run help nosuch
expect_rc 2
expect_err "unknown command 'nosuch'"

# A failed write to stdout is an error, not a silent success.
if [ -w /dev/full ]; then
    checks=$((checks + 1))
    "$MIGRATOR" --help >/dev/full 2>"$T/err"
    rc=$?
    [ "$rc" -eq 1 ] || fail "--help to /dev/full exited $rc, not 1"
    expect_err 'cannot write output'
fi

# Commands that need a config say which file is missing.
cd "$T" || exit 1
run heads
expect_rc 2
expect_err "migrator.ini"

finish
