#!/bin/sh
# A schema whose snapshot is large (400 tables): migrator_schema keeps it
# deflated (format 2), check reads it back clean, and still names an
# index dropped by hand.
. "$top_srcdir/tests/cli/lib.sh"
: "${SQLITE3:=sqlite3}"
new_project
DB="$T/p/test.db"
q() { "$SQLITE3" -batch "$DB" "$1"; }

i=1
while [ $i -le 400 ]; do
    printf 'CREATE TABLE t%d (id integer PRIMARY KEY, name varchar(100) NOT NULL DEFAULT %s, qty integer CHECK (qty >= 0));\n' \
        $i "'x'"
    printf 'CREATE INDEX ix_t%d_name ON t%d (name);\n' $i $i
    i=$((i + 1))
done >"$T/p/schema.sql"

run -c "$INI" revision --autogenerate -m big
expect_rc 0
run -c "$INI" upgrade head
expect_rc 0
checks=$((checks + 1))
[ "$(q 'SELECT format FROM migrator_schema')" = 2 ] ||
    fail "a large snapshot is not deflated: format $(q 'SELECT format FROM migrator_schema')"
checks=$((checks + 1))
[ "$(q 'SELECT length(snapshot) < 65536 FROM migrator_schema')" = 1 ] ||
    fail "the deflated snapshot is not smaller than 64 KiB"
run -c "$INI" check
expect_rc 0
q 'DROP INDEX ix_t200_name'
run -c "$INI" check
expect_rc 1
expect_out '^index ix_t200_name dropped outside migrations$'

# A damaged snapshot is a warning, not a failed check.
q "UPDATE migrator_schema SET snapshot = '12:AAAA'"
q 'CREATE INDEX ix_t200_name ON t200 (name)'
run -c "$INI" check
expect_rc 0
expect_err 'deflated snapshot'

finish
