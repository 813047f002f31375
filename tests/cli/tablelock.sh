#!/bin/sh
# lock_strategy = table (reliability R1, for transaction poolers): the lock
# row, its lease, `migrator unlock`, and a run that loses its row. SQLite.
. "$top_srcdir/tests/cli/lib.sh"
: "${SQLITE3:=sqlite3}"
new_project "lock_strategy = table
lock_wait = 1s"
DB="$T/p/test.db"
q() { "$SQLITE3" -batch "$DB" "$1"; }
q 'CREATE TABLE log (what text)'
write_rev "$V" 0001_t1.sql t1 ''

run -c "$INI" upgrade head
expect_rc 0
checks=$((checks + 1))
[ "$(q 'SELECT count(*) FROM migrator_lock')" = 0 ] || fail "the lock row stayed"

# A live lock held by another run: wait, then exit 3 naming it; unlock
# refuses while the lease runs.
q "INSERT INTO migrator_lock VALUES (1, 'alice@elsewhere pid 42', '2026-01-01T00:00:00.000Z', '2999-01-01T00:00:00.000Z')"
write_rev "$V" 0002_t2.sql t2 t1
run -c "$INI" upgrade head
expect_rc 3
expect_err 'held by alice@elsewhere pid 42 since 2026-01-01T00:00:00.000Z'
expect_err 'nothing was changed'
run -c "$INI" unlock
expect_rc 3
expect_err 'refusing to unlock: alice@elsewhere pid 42 holds the lock'

# Its lease has run out: unlock removes it, and the run goes ahead.
q "UPDATE migrator_lock SET lease_until = '2000-01-01T00:00:00.000Z'"
run -c "$INI" upgrade head
expect_rc 3
expect_err "run out: if that run is gone, 'migrator unlock' removes it"
run -c "$INI" unlock
expect_rc 0
expect_out_eq 'removed the stale lock of alice@elsewhere pid 42'
run -c "$INI" unlock
expect_rc 0
expect_out_eq 'no run holds the lock'
run -c "$INI" upgrade head
expect_rc 0
checks=$((checks + 1))
[ "$(q 'SELECT version_num FROM migrator_version')" = t2 ] || fail "t2 not applied"

# A run whose lock row disappears stops before recording.
cat >"$V/0003_t3.sql" <<'SQL'
-- lose the lock row
--
-- Revision ID: t3
-- Revises: t2

-- migrate:upgrade
CREATE TABLE t3 (a integer);
DELETE FROM migrator_lock;

-- migrate:downgrade
DROP TABLE t3;
SQL
run -c "$INI" upgrade head
expect_rc 3
expect_err 'the migration lock was lost'
checks=$((checks + 1))
[ "$(q 'SELECT version_num FROM migrator_version')" = t2 ] ||
    fail "a run that lost its lock recorded t3"
checks=$((checks + 1))
[ -z "$(q "SELECT name FROM sqlite_master WHERE name = 't3'")" ] ||
    fail "the DDL of a run that lost its lock stayed"

# Session locks have nothing to unlock; a bad strategy is a config error.
run -c "$INI" -x lock_strategy=session unlock
expect_rc 0
expect_out 'nothing to unlock'
run -c "$INI" -x lock_strategy=sometimes current
expect_rc 2

finish
