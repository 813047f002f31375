#!/bin/sh
# Running for real on PostgreSQL: the real estate example up to head and
# back to base with `current` telling the truth at each end, and a run
# that loses its migration lock stops before recording anything.
. "$top_srcdir/tests/cli/lib.sh"

start_pg mgr-online-pg
psql -XAtq "$SERVER dbname=postgres" -c "CREATE DATABASE realestate" -c "CREATE DATABASE locks"
q() { psql -XAtq -v ON_ERROR_STOP=1 "$SERVER dbname=$1" -c "$2"; }

RE="$top_srcdir/migrations/examples/realestate/migrator.ini"
DATABASE_URL="$SERVER dbname=realestate"
# C scripts compile into the build tree, not the sources.
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
# migrator_version, migrator_log, migrator_schema and migrator_formats stay.
[ "$(q realestate "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" = 4 ] ||
    fail "downgrade base left tables: $(q realestate "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")"

# A revision that releases the session's advisory lock: the run stops
# before recording it (exit 3), and its DDL is rolled back.
PROJECT_URL="$SERVER dbname=locks"
# lose_lock_project [EXTRA-INI-LINES]: a1, then a2, which releases the
# session's advisory lock after its DDL.
lose_lock_project() {
    new_project "${1:-}"
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
}
lose_lock_project
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

# The same with a transaction per revision: a1 commits, a2 does not.
# The lock is checked before each COMMIT (one probe per transaction);
# without that check a2 would be recorded.
lose_lock_project "transaction_per_migration = true"
run -c "$INI" upgrade head
expect_rc 3
expect_err 'the migration lock was lost'
checks=$((checks + 1))
[ "$(q locks 'SELECT version_num FROM migrator_version')" = a1 ] ||
    fail "per migration: the revision after the lost lock was recorded, or a1 was not"
checks=$((checks + 1))
[ -z "$(q locks "SELECT tablename FROM pg_tables WHERE tablename = 't2'")" ] ||
    fail "per migration: the DDL of the revision that lost the lock stayed"

# lock_strategy = table on PostgreSQL: the row is taken and given back.
psql -XAtq "$SERVER dbname=postgres" -c "CREATE DATABASE tablelock"
PROJECT_URL="$SERVER dbname=tablelock"
new_project "lock_strategy = table"
q tablelock 'CREATE TABLE log (what text)'
write_rev "$V" 0001_l1.sql l1 ''
run -c "$INI" upgrade head
expect_rc 0
checks=$((checks + 1))
[ "$(q tablelock 'SELECT count(*) FROM migrator_lock')" = 0 ] ||
    fail "the lock row stayed"

# #13: a transaction=false revision fails at statement 3: recorded as
# failed, later runs refuse until `resolve`, then it applies.
psql -XAtq "$SERVER dbname=postgres" -c "CREATE DATABASE nontx"
PROJECT_URL="$SERVER dbname=nontx"
new_project
q nontx 'CREATE TABLE log (what text)'
write_rev "$V" 0001_n1.sql n1 ''
cat >"$V/0002_n2.sql" <<'SQL'
-- unique index on dup
--
-- Revision ID: n2
-- Revises: n1

-- migrate:upgrade transaction=false
CREATE TABLE dup (a integer);
INSERT INTO dup VALUES (1), (1);
CREATE UNIQUE INDEX CONCURRENTLY dup_a ON dup (a);

-- migrate:downgrade
DROP TABLE dup;
SQL
run -c "$INI" upgrade head
expect_rc 1
expect_err '0002_n2.sql:9: .*SQLSTATE 23505'
expect_err "resolve n2 --mark-rolled-back"
checks=$((checks + 1))
q nontx "SELECT detail FROM migrator_log WHERE revision = 'n2' AND status = 'failed'" |
    grep -q '^statement 3 (line 9)' || fail "#13: the failure is not recorded"
checks=$((checks + 1))
[ "$(q nontx 'SELECT version_num FROM migrator_version')" = n1 ] ||
    fail "#13: the version table moved past a failed revision"
run -c "$INI" upgrade head
expect_rc 4
expect_err 'n2 ran outside a transaction and is failed at statement 3'
# Undo by hand (the invalid index is a fact of PostgreSQL), fix, resolve.
q nontx 'DROP INDEX CONCURRENTLY dup_a'
q nontx 'DROP TABLE dup'
sed -i 's/VALUES (1), (1)/VALUES (1), (2)/' "$V/0002_n2.sql"
run -c "$INI" resolve n2 --mark-rolled-back
expect_rc 0
run -c "$INI" upgrade head
expect_rc 0
checks=$((checks + 1))
[ "$(q nontx "SELECT indisvalid FROM pg_index WHERE indexrelid = 'dup_a'::regclass")" = t ] ||
    fail "#13: the index is not valid after the re-run"

# #4: kill -9 while the migration's session is idle in a transaction (a C
# script sleeping client-side after its first statement): the lock frees
# itself, and the next run applies the revision once, with no repair.
psql -XAtq "$SERVER dbname=postgres" -c "CREATE DATABASE killed"
PROJECT_URL="$SERVER dbname=killed"
new_project "transaction_per_migration = true"
q killed 'CREATE TABLE log (what text)'
write_rev "$V" 0001_k1.sql k1 ''
cat >"$V/0002_k2.c" <<'C'
/* sleep inside a transaction
 *
 * Revision ID: k2
 * Revises: k1
 */
#include <stdlib.h>
#include <unistd.h>

#include <migrator/script.h>

int mgr_script_upgrade(struct mgr_script *s)
{
    if (mgr_script_exec(s, "INSERT INTO log (what) VALUES ('k2 first')"))
        return 1;
    if (getenv("MGR_TEST_SLEEP"))
        sleep(30);
    return mgr_script_exec(s, "CREATE TABLE k2 (a integer)");
}

int mgr_script_downgrade(struct mgr_script *s)
{
    return mgr_script_exec(s, "DROP TABLE k2");
}
C
MGR_TEST_SLEEP=1 "$MIGRATOR" -c "$INI" upgrade head >"$T/out" 2>"$T/err" &
pid=$!
i=0
while [ $i -lt 200 ]; do
    n=$(q killed "SELECT count(*) FROM pg_stat_activity WHERE state = 'idle in transaction' AND application_name LIKE 'migrator%'")
    [ "$n" = 1 ] && break
    sleep 0.1
    i=$((i + 1))
done
checks=$((checks + 1))
[ "$n" = 1 ] || fail "#4: the session never went idle in transaction"
kill -9 $pid
wait $pid 2>/dev/null
i=0
while [ $i -lt 20 ]; do
    locks=$(q killed "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")
    [ "$locks" = 0 ] && break
    sleep 0.1
    i=$((i + 1))
done
checks=$((checks + 1))
[ "$locks" = 0 ] || fail "#4: the advisory lock outlived the killed run by 2 s"
run -c "$INI" upgrade head
expect_rc 0
checks=$((checks + 1))
[ "$(q killed "SELECT count(*) FROM log WHERE what = 'k2 first'")" = 1 ] ||
    fail "#4: k2's first statement did not take effect exactly once"
checks=$((checks + 1))
[ "$(q killed 'SELECT version_num FROM migrator_version')" = k2 ] ||
    fail "#4: k2 not recorded"

# A revision's last statement travels with its version-table change
# (pipeline mode): when it fails, the error still names its line (the
# line of the error inside it), and nothing of the revision stays.
psql -XAtq "$SERVER dbname=postgres" -c "CREATE DATABASE lastfail"
PROJECT_URL="$SERVER dbname=lastfail"
new_project
cat >"$V/0001_f1.sql" <<'SQL'
-- the last statement fails
--
-- Revision ID: f1
-- Revises:

-- migrate:upgrade
CREATE TABLE f (x integer);
INSERT INTO f
  VALUES (1),
  (no_such_column);

-- migrate:downgrade
DROP TABLE f;
SQL
run -c "$INI" upgrade head
expect_rc 1
expect_err '0001_f1.sql:10: column "no_such_column" does not exist \[SQLSTATE 42703\]'
checks=$((checks + 1))
[ -z "$(q lastfail "SELECT tablename FROM pg_tables WHERE tablename = 'f'")" ] ||
    fail "the failed revision's table stayed"
checks=$((checks + 1))
[ "$(q lastfail 'SELECT count(*) FROM migrator_version')" = 0 ] ||
    fail "the failed revision was recorded"
run -c "$INI" --reporter json upgrade head
expect_out '"event":"error".*"line":10'

finish
