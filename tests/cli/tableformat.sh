#!/bin/sh
# migrator's own tables carry their format (migrator_formats): a newer one
# is refused before anything is written, an older one is upgraded in
# place; recorded checksums are checked in the notation they were
# recorded in. SQLite; tableformat_pg.sh does the same on PostgreSQL.
. "$top_srcdir/tests/cli/lib.sh"
: "${SQLITE3:=sqlite3}"
new_project
DB="$T/p/test.db"
q() { "$SQLITE3" -batch "$DB" "$1"; }
dump() { "$SQLITE3" -batch "$DB" .dump; }
q 'CREATE TABLE log (what text)'
write_rev "$V" 0001_t1.sql t1 ''

run -c "$INI" upgrade head
expect_rc 0
checks=$((checks + 1))
[ "$(q "SELECT table_name || ':' || format FROM migrator_formats ORDER BY 1" | tr '\n' ' ')" = \
    'migrator_formats:1 migrator_log:2 migrator_schema:2 ' ] ||
    fail "format rows: $(q 'SELECT * FROM migrator_formats')"
# migrator_formats is migrator's own: not part of the schema.
run -c "$INI" schema dump
expect_rc 0
expect_out 'CREATE TABLE "?log'
expect_no_out 'migrator_formats'

# A newer format: refused (exit 4) before anything is written, also with
# the table lock, whose row would be the first write.
q "UPDATE migrator_formats SET format = 3, written_by = '9.3.1' WHERE table_name = 'migrator_log'"
write_rev "$V" 0002_t2.sql t2 t1
dump >"$T/before"
run -c "$INI" upgrade head
expect_rc 4
expect_err 'migrator_log has format 3, written by migrator 9.3 or later'
run -c "$INI" -x lock_strategy=table upgrade head
expect_rc 4
expect_err 'written by migrator 9.3 or later'
run -c "$INI" verify
expect_rc 4
expect_err 'written by migrator 9.3 or later'
dump >"$T/after"
checks=$((checks + 1))
cmp -s "$T/before" "$T/after" || fail "a refused run wrote: $(diff "$T/before" "$T/after")"

# An older format (the tables without their rows, as migrator wrote them
# before migrator_formats): upgraded in place, and the run goes on.
q 'DROP TABLE migrator_formats'
run -c "$INI" -x lock_strategy=table upgrade head
expect_rc 0
checks=$((checks + 1))
[ "$(q "SELECT table_name || ':' || format FROM migrator_formats ORDER BY 1" | tr '\n' ' ')" = \
    'migrator_formats:1 migrator_lock:2 migrator_log:2 migrator_schema:2 ' ] ||
    fail "not upgraded: $(q 'SELECT * FROM migrator_formats')"
checks=$((checks + 1))
[ "$(q 'SELECT version_num FROM migrator_version')" = t2 ] || fail "t2 not applied"

# Checksums in other notations. t1 gets CRLF line endings: its normalised
# checksum stays, its raw bytes change.
F1="$V/0001_t1.sql"
lf=$(sha256sum "$F1" | cut -c1-64)
sed 's/$/\r/' "$F1" >"$T/crlf" && mv "$T/crlf" "$F1"
crlf=$(sha256sum "$F1" | cut -c1-64)
set_sum() { q "UPDATE migrator_log SET checksum = '$1' WHERE revision = 't1'"; }

set_sum "$lf" # bare hex: the normalised text
run -c "$INI" verify
expect_rc 0
run -c "$INI" upgrade head
expect_rc 0
set_sum "$(echo "$lf" | tr a-f A-F)"
run -c "$INI" verify
expect_rc 0
set_sum "sha256-raw:$crlf" # the bytes as they are
run -c "$INI" verify
expect_rc 0
set_sum "sha256-raw:$lf" # the bytes before the edit
run -c "$INI" verify
expect_rc 4
expect_err "checksum mismatch for t1 .*applied sha256-raw:$lf, file sha256-raw:$crlf"
set_sum "$crlf" # bare hex of the raw bytes is not the normalised text
run -c "$INI" verify
expect_rc 4
expect_err "checksum mismatch for t1 .*applied $crlf, file $lf"
set_sum "md5:0123456789abcdef0123456789abcdef"
run -c "$INI" verify
expect_rc 4
expect_err "unknown checksum algorithm 'md5'"
run -c "$INI" upgrade head
expect_rc 4
expect_err "t1 \\(migrator_log\\): unknown checksum algorithm 'md5'"
set_sum "sha256:xyz"
run -c "$INI" verify
expect_rc 4
expect_err "malformed checksum 'sha256:xyz'"
set_sum "sha256:$lf"
run -c "$INI" verify
expect_rc 0

finish
