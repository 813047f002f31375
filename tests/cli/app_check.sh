#!/bin/sh
# doc/examples/app-check.c, built against an installed migrator with
# `pkg-config migrator` (make install DESTDIR=...): it refuses to start
# while the database is behind, listing the pending revisions, starts
# when it is at the head, and never writes (no SQLite file, no table).
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/cli/app_check_lib.sh"
: "${SQLITE3:=sqlite3}"
install_app_check

new_project
DB="$T/p/test.db"
rev() { # rev FILE ID PARENT
    printf -- '-- make %s\n--\n-- Revision ID: %s\n-- Revises: %s\n\n-- migrate:upgrade\nCREATE TABLE %s (a integer);\n\n-- migrate:downgrade\nDROP TABLE %s;\n' \
        "$2" "$2" "$3" "$2" "$2" >"$V/$1"
}
rev 0001_a1.sql a1 ''
rev 0002_b2.sql b2 a1
rev 0003_c3.sql c3 b2

# Behind, on a database that does not exist: refuses, lists all three in
# order, and makes no file.
app_check "$INI"
expect_rc 1
expect_out '^database: behind$'
checks=$((checks + 1))
sed -n '/^pending:$/,$p' "$T/out" | sed -n '2,4p' >"$T/got"
printf '  a1\n  b2\n  c3\n' | cmp -s - "$T/got" || fail "pending not listed in order"
expect_err 'refusing to start: 3 revision\(s\) pending'
checks=$((checks + 1))
[ ! -e "$DB" ] || fail "app-check created the SQLite file"

# The installed migrator upgrades part of the way: still behind.
printf '$ (installed) migrator upgrade a1\n'
$app_env "$INST_BIN" -c "$INI" upgrade a1 >"$T/out" 2>"$T/err"
rc=$?
expect_rc 0
app_check "$INI"
expect_rc 1
expect_out '^current:$'
expect_out '^  a1$'
expect_out '^pending:$'
expect_err 'refusing to start: 2 revision\(s\) pending, first .b2.'

# At the head: it starts, and wrote nothing on the way.
$app_env "$INST_BIN" -c "$INI" upgrade head >"$T/out" 2>"$T/err"
rc=$?
expect_rc 0
before=$("$SQLITE3" -batch "$DB" .dump | cksum)
app_check "$INI"
expect_rc 0
expect_out '^database: up to date$'
expect_no_out '^pending:'
checks=$((checks + 1))
[ "$("$SQLITE3" -batch "$DB" .dump | cksum)" = "$before" ] ||
    fail "app-check changed the database"

# The URL given on its command line wins over the config's; the same
# database, read-only through a file: URI.
app_check "$INI" "sqlite:///$DB?mode=ro"
expect_rc 0

# An edited script and a row from newer code: both reported, the edit
# first.
sed 's/(a integer)/(a bigint)/' "$V/0002_b2.sql" >"$T/e" && cat "$T/e" >"$V/0002_b2.sql"
"$SQLITE3" -batch "$DB" "INSERT INTO migrator_version VALUES ('zz9')"
app_check "$INI"
expect_rc 1
expect_out '^database: edited$'
expect_out '^also: ahead$'
expect_out "^  b2 $V/0002_b2.sql \\(applied sha256:"
expect_out '^unknown to these scripts:$'
expect_err "refusing to start: the script of revision b2"

finish
