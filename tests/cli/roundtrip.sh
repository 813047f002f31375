#!/bin/sh
# migrator test: every revision up, down and up on a scratch database.
# A project whose middle revision forgets part of its downgrade is named,
# with what its downgrade leaves; two heads, a missing downgrade and a
# head that is not schema_file fail too; database_url is never migrated.
# On SQLite (in memory) and on PostgreSQL (a temporary database).
. "$top_srcdir/tests/cli/lib.sh"

# rev FILE ID PARENT UP DOWN: a SQL revision in $V.
rev() {
    printf -- '-- %s\n--\n-- Revision ID: %s\n-- Revises: %s\n\n' \
        "$2" "$2" "$3" >"$V/$1"
    printf -- '-- migrate:upgrade\n%s\n\n' "$4" >>"$V/$1"
    [ -z "$5" ] || printf -- '-- migrate:downgrade\n%s\n' "$5" >>"$V/$1"
}

# A linear project of three revisions whose second one drops the
# column, but not the index, in its downgrade.
asymmetric_project() {
    new_project
    rev 1_a1.sql a1 '' 'CREATE TABLE units (id integer PRIMARY KEY, label text);' \
        'DROP TABLE units;'
    rev 2_b2.sql b2 a1 'ALTER TABLE units ADD COLUMN floor integer;
CREATE INDEX ix_units_label ON units (label);' \
        'ALTER TABLE units DROP COLUMN floor;'
    rev 3_c3.sql c3 b2 'CREATE TABLE leases (id integer PRIMARY KEY);' \
        'DROP TABLE leases;'
}

round_trips() {
    dialect=$1

    asymmetric_project
    run -c "$INI" test
    expect_rc 1
    expect_out '^downgrade of b2 leaves index ix_units_label$'
    expect_err 'the downgrade of b2 does not restore the schema'
    expect_err 'Running downgrade b2 -> a1'
    # It stops at b2: c3 never runs.
    checks=$((checks + 1))
    ! grep -q 'Running upgrade b2 -> c3' "$T/err" ||
        fail "[$dialect] test went on past the failing revision"

    # Fixed, it passes, and checks the head against schema_file.
    rev 2_b2.sql b2 a1 'ALTER TABLE units ADD COLUMN floor integer;
CREATE INDEX ix_units_label ON units (label);' \
        'DROP INDEX ix_units_label;
ALTER TABLE units DROP COLUMN floor;'
    run -c "$INI" test
    expect_rc 0
    expect_out '^test: 3 revisions went up, down and up again'
    printf '%s\n' 'CREATE TABLE units (id integer PRIMARY KEY, label text, floor integer);' \
        'CREATE INDEX ix_units_label ON units (label);' \
        'CREATE TABLE leases (id integer PRIMARY KEY);' >"$T/p/schema.sql"
    run -c "$INI" test
    expect_rc 0
    printf '%s\n' 'CREATE TABLE units (id integer PRIMARY KEY, label text, floor integer);' \
        'CREATE TABLE leases (id integer PRIMARY KEY, ends_on date);' >"$T/p/schema.sql"
    run -c "$INI" test
    expect_rc 1
    expect_out '^at the head, schema_file: add column leases.ends_on$'
    expect_out '^at the head, schema_file: drop index ix_units_label$'
    rm -f "$T/p/schema.sql"

    # A revision without its downgrade section.
    rev 3_c3.sql c3 b2 'CREATE TABLE leases (id integer PRIMARY KEY);' ''
    run -c "$INI" test
    expect_rc 2
    expect_err 'downgrade'
    rev 3_c3.sql c3 b2 'CREATE TABLE leases (id integer PRIMARY KEY);' \
        'DROP TABLE leases;'

    # Two heads.
    rev 4_d4.sql d4 b2 'CREATE TABLE notes (id integer);' 'DROP TABLE notes;'
    run -c "$INI" test
    expect_rc 1
    expect_err '2 heads \((c3, d4|d4, c3)\)'
    rm -f "$V/4_d4.sql"
}

# ---- SQLite: a scratch database in memory -----------------------------------
round_trips sqlite
checks=$((checks + 1))
[ ! -s "$T/p/test.db" ] || fail "[sqlite] test wrote to database_url"

# ---- PostgreSQL: a temporary database ---------------------------------------
PGDIR=$(mktemp -d /tmp/mgr-roundtrip-pg.XXXXXX) && rmdir "$PGDIR"
CONNINFO=$(sh "$top_srcdir/tests/pg/pg_server.sh" start "$PGDIR") || exit $?
trap 'sh "$top_srcdir/tests/pg/pg_server.sh" stop "$PGDIR" >/dev/null 2>&1' EXIT
SERVER=${CONNINFO% dbname=*}
psql -XAtq "$SERVER dbname=postgres" -c "CREATE DATABASE app"
q() { psql -XAtq -v ON_ERROR_STOP=1 "$SERVER dbname=$1" -c "$2"; }
PROJECT_URL="$SERVER dbname=app"
round_trips postgresql
checks=$((checks + 1))
[ "$(q app "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace")" = 0 ] ||
    fail "[postgresql] test wrote to database_url"
checks=$((checks + 1))
[ "$(q postgres "SELECT count(*) FROM pg_database WHERE datname LIKE 'migrator_scratch%'")" = 0 ] ||
    fail "[postgresql] a scratch database was left behind"

# --url: on that (empty) database instead of a scratch one.
psql -XAtq "$SERVER dbname=postgres" -c "CREATE DATABASE given"
run -c "$INI" test --url "$SERVER dbname=given"
expect_rc 0
checks=$((checks + 1))
[ "$(q given "SELECT version_num FROM migrator_version")" = c3 ] ||
    fail "[postgresql] test --url did not run on the given database"

finish
