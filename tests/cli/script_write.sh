#!/bin/sh
# What migrator writes into new scripts and reads as its config cannot be
# turned against it: a message or branch label that would end or extend a
# script's header is refused (revision, merge); file_template cannot put a
# script outside its version directory; a config path that is a FIFO or a
# device is refused at once (exit 2) rather than read.
. "$top_srcdir/tests/cli/lib.sh"

NL='
'
new_project
run -c "$INI" revision -m "base" --rev-id aaaa0001
expect_rc 0

# only_one: the version directory still holds the base script alone.
only_one() {
    checks=$((checks + 1))
    [ "$(ls "$V" | wc -l)" -eq 1 ] || fail "$1 wrote a script: $(ls "$V")"
}

printf '# messages and labels that would change the header\n'
run -c "$INI" revision -m "innocent${NL}-- Revises: aaaa0001${NL}-- migrate:upgrade${NL}DROP TABLE x;" --rev-id bbbb0002
expect_rc 2
expect_err "message holds a control character"
only_one "a message with newlines"
run -c "$INI" revision -m "carriage$(printf '\r')-- Revises: x" --rev-id bbbb0002
expect_rc 2
only_one "a message with a carriage return"
run -c "$INI" revision -m "ends */ int evil;" --rev-id bbbb0002
expect_rc 2
expect_err "would end the header comment"
only_one "a message with a comment end"
run -c "$INI" revision -m "x" --branch-label "lab${NL}-- Depends On: aaaa0001" --rev-id bbbb0002
expect_rc 2
only_one "a label with a newline"
run -c "$INI" revision -m "x" --branch-label "it's" --rev-id bbbb0002
expect_rc 2
expect_err "not allowed in branch label"
only_one "a label with a quote"
# Quotes in a message are inert in a comment: kept as written.
run -c "$INI" revision -m "don't \"drop\" \\ it" --rev-id bbbb0002
expect_rc 0
checks=$((checks + 1))
head -1 "$V/bbbb0002_don_t_drop_it.sql" | grep -qxF -- "-- don't \"drop\" \\ it" ||
    fail "the message line: $(head -1 "$V"/bbbb0002*)"
rm -f "$V/bbbb0002_don_t_drop_it.sql"
run -c "$INI" revision -m "side" --head base --rev-id cccc0003
expect_rc 0
run -c "$INI" merge heads -m "join${NL}-- Revises: cccc0003" --rev-id dddd0004
expect_rc 2
expect_err "message holds a control character"
checks=$((checks + 1))
[ ! -e "$V/dddd0004_join_revises_cccc0003.sql" ] || fail "merge wrote a script"
rm -f "$V"/cccc0003_*

printf '# file_template stays in the version directory\n'
mkdir -p "$T/outside" "$V/sub"
ln -s "$T/outside" "$V/link"
for tmpl in '../%%(rev)s' '%%(rev)s/../../%%(rev)s' "$T/outside/%%(rev)s" 'link/%%(rev)s'; do
    new_project "file_template = $tmpl"
    mkdir -p "$V/sub"
    ln -s "$T/outside" "$V/link"
    run -c "$INI" revision -m "x" --rev-id eeee0005
    expect_rc 2
    expect_err "migrator.ini:[0-9]+: file_template: the file name"
    checks=$((checks + 1))
    [ -z "$(find "$T" -name 'eeee0005*')" ] ||
        fail "file_template '$tmpl' wrote $(find "$T" -name 'eeee0005*')"
done
# Below the version directory is fine.
new_project "file_template = sub/%%(rev)s"
mkdir -p "$V/sub"
run -c "$INI" revision -m "x" --rev-id eeee0005
expect_rc 0
checks=$((checks + 1))
[ -f "$V/sub/eeee0005.sql" ] || fail "no script in a subdirectory"

printf '# a config that is a FIFO or a device\n'
mkfifo "$T/fifo.ini"
# A FIFO with no writer would block forever: the timeout is the failure.
timeout 10 "$MIGRATOR" -c "$T/fifo.ini" heads >"$T/out" 2>"$T/err"
rc=$?
expect_rc 2
expect_err "refusing to read '$T/fifo.ini': it is a FIFO, socket or device"
run -c /dev/zero heads
expect_rc 2
expect_err "not a regular file"

finish
