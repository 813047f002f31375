#!/bin/sh
# Running for real on PostgreSQL: the real estate example up to head and
# back to base with `current` telling the truth at each end, and a run
# that loses its migration lock stops before recording anything.
. "$top_srcdir/tests/cli/lib.sh"

PGDIR=$(mktemp -d /tmp/mgr-online-pg.XXXXXX) && rmdir "$PGDIR"
CONNINFO=$(sh "$top_srcdir/tests/pg/pg_server.sh" start "$PGDIR") || exit $?
trap 'sh "$top_srcdir/tests/pg/pg_server.sh" stop "$PGDIR" >/dev/null 2>&1' EXIT
SERVER=${CONNINFO% dbname=*}
psql -XAtq "$SERVER dbname=postgres" -c "CREATE DATABASE realestate" -c "CREATE DATABASE locks"
q() { psql -XAtq -v ON_ERROR_STOP=1 "$SERVER dbname=$1" -c "$2"; }

RE="$top_srcdir/migrations/examples/realestate/migrator.ini"
DATABASE_URL="$SERVER dbname=realestate"
# The example's C script compiles into the build tree, not the sources.
MIGRATOR_C_CACHE_DIR="$T/c-cache"
export DATABASE_URL MIGRATOR_C_CACHE_DIR

run -c "$RE" upgrade head
expect_rc 0
expect_err 'Running upgrade a7b3c9d1e2f4, b2e8f0a4c6d3 -> c4d6e8f0a1b3, merge leasing and maintenance'
head=$("$MIGRATOR" -c "$RE" heads | sed "s/ (.*) (head)$/ (head)/")
run -c "$RE" current
expect_rc 0
expect_out_eq "$head"
checks=$((checks + 1))
[ "$(q realestate "SELECT count(*) FROM information_schema.columns WHERE table_name = 'properties' AND column_name IN ('cap_rate', 'dscr', 'purchase_price', 'cash_on_cash_return')")" = 4 ] ||
    fail "financial columns missing"
checks=$((checks + 1))
[ "$(q realestate "SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_units_property_id'")" = 1 ] ||
    fail "the foreign key index is missing"
# The CHECK on cap_rate holds.
checks=$((checks + 1))
! q realestate "INSERT INTO properties (id, name, address, cap_rate) VALUES (1, 'x', 'y', 2)" 2>/dev/null ||
    fail "cap_rate accepted 2"
run -c "$RE" downgrade base
expect_rc 0
run -c "$RE" current
expect_rc 0
checks=$((checks + 1))
[ ! -s "$T/out" ] || fail "current after downgrade base: $(cat "$T/out")"
checks=$((checks + 1))
[ "$(q realestate "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" = 2 ] ||
    fail "downgrade base left tables: $(q realestate "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")"

# A revision that releases the session's advisory lock: the run stops
# before recording it (exit 3), and its DDL is rolled back.
PROJECT_URL="$SERVER dbname=locks"
new_project
write_rev "$V" 0001_a1.sql a1 ''
cat >"$V/0002_a2.sql" <<'SQL'
-- lose the lock
--
-- Revision ID: a2
-- Revises: a1

-- migrate:upgrade
CREATE TABLE t2 (a integer);
SELECT pg_advisory_unlock_all();

-- migrate:downgrade
DROP TABLE t2;
SQL
q locks 'CREATE TABLE log (what text)'
run -c "$INI" upgrade head
expect_rc 3
expect_err 'the migration lock was lost'
checks=$((checks + 1))
[ "$(q locks 'SELECT version_num FROM migrator_version')" = "" ] ||
    fail "a run that lost its lock recorded something"
checks=$((checks + 1))
[ -z "$(q locks "SELECT tablename FROM pg_tables WHERE tablename = 't2'")" ] ||
    fail "the DDL of a run that lost its lock stayed"

finish
