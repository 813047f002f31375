#!/bin/sh
# migrator_formats on PostgreSQL: a newer format refused before anything
# is written, an older one upgraded in place, a bare checksum accepted.
. "$top_srcdir/tests/cli/lib.sh"

PGDIR=$(mktemp -d /tmp/mgr-tableformat-pg.XXXXXX) && rmdir "$PGDIR"
CONNINFO=$(sh "$top_srcdir/tests/pg/pg_server.sh" start "$PGDIR") || exit $?
trap 'sh "$top_srcdir/tests/pg/pg_server.sh" stop "$PGDIR" >/dev/null 2>&1' EXIT
SERVER=${CONNINFO% dbname=*}
psql -XAtq "$SERVER dbname=postgres" -c "CREATE DATABASE tf"
q() { psql -XAtq -v ON_ERROR_STOP=1 "$SERVER dbname=tf" -c "$1"; }
dump() { pg_dump -d "$SERVER dbname=tf" | grep -v -e '^--' -e '^.restrict' -e '^.unrestrict'; }

PROJECT_URL="$SERVER dbname=tf"
export PROJECT_URL
new_project
q 'CREATE TABLE log (what text)'
write_rev "$V" 0001_t1.sql t1 ''
run -c "$INI" upgrade head
expect_rc 0
checks=$((checks + 1))
[ "$(q "SELECT string_agg(table_name || ':' || format, ' ' ORDER BY table_name) FROM migrator_formats")" = \
    'migrator_formats:1 migrator_log:2 migrator_schema:2' ] ||
    fail "format rows: $(q 'SELECT * FROM migrator_formats')"

q "UPDATE migrator_formats SET format = 7, written_by = '3.1.4' WHERE table_name = 'migrator_schema'"
write_rev "$V" 0002_t2.sql t2 t1
dump >"$T/before"
run -c "$INI" -x lock_strategy=table upgrade head
expect_rc 4
expect_err 'migrator_schema has format 7, written by migrator 3.1 or later'
run -c "$INI" upgrade head
expect_rc 4
dump >"$T/after"
checks=$((checks + 1))
cmp -s "$T/before" "$T/after" || fail "a refused run wrote: $(diff "$T/before" "$T/after")"

q 'DROP TABLE migrator_formats'
run -c "$INI" -x lock_strategy=table upgrade head
expect_rc 0
checks=$((checks + 1))
VERSION=$("$MIGRATOR" --version | sed -n 's/^migrator //p')
[ "$(q "SELECT string_agg(table_name || ':' || format || ':' || written_by, ' ' ORDER BY table_name) FROM migrator_formats")" = \
    "migrator_formats:1:$VERSION migrator_lock:2:$VERSION migrator_log:2:$VERSION migrator_schema:2:$VERSION" ] ||
    fail "not upgraded: $(q 'SELECT * FROM migrator_formats')"

sum=$(sha256sum "$V/0001_t1.sql" | cut -c1-64)
q "UPDATE migrator_log SET checksum = '$sum' WHERE revision = 't1'"
run -c "$INI" verify
expect_rc 0
q "UPDATE migrator_log SET checksum = 'blake3:$sum' WHERE revision = 't1'"
run -c "$INI" verify
expect_rc 4
expect_err "unknown checksum algorithm 'blake3'"

finish
