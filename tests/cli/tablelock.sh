#!/bin/sh
# lock_strategy = table (reliability R1, for transaction poolers): the lock
# row, its lease, stale rows, `migrator unlock [--force]`, and a run that
# loses its row. SQLite; tablelock_pg.sh does the same on PostgreSQL.
. "$top_srcdir/tests/cli/lib.sh"
: "${SQLITE3:=sqlite3}"
new_project "lock_strategy = table
lock_wait = 1s"
DB="$T/p/test.db"
q() { "$SQLITE3" -batch "$DB" "$1"; }
ms() { date +%s%3N; }
HOST=$(uname -n)
lock_row() { # OWNER LEASE_UNTIL
    q "DELETE FROM migrator_lock; INSERT INTO migrator_lock VALUES (1, '$1', '2026-01-01T00:00:00.000Z', '$2')"
}
q 'CREATE TABLE log (what text)'
write_rev "$V" 0001_t1.sql t1 ''

run -c "$INI" upgrade head
expect_rc 0
checks=$((checks + 1))
[ "$(q 'SELECT count(*) FROM migrator_lock')" = 0 ] || fail "the lock row stayed"

# A live lock held by another run: wait lock_wait, then exit 3 naming it;
# unlock refuses while the lease runs.
lock_row 'alice@elsewhere pid 42' '2999-01-01T00:00:00.000Z'
write_rev "$V" 0002_t2.sql t2 t1
t0=$(ms)
run -c "$INI" upgrade head
t1=$(ms)
expect_rc 3
expect_err 'held by alice@elsewhere pid 42 since 2026-01-01T00:00:00.000Z'
expect_err 'nothing was changed'
checks=$((checks + 1))
[ $((t1 - t0)) -ge 1000 ] || fail "a live lock was not waited for ($((t1 - t0)) ms)"
run -c "$INI" unlock
expect_rc 3
expect_err 'refusing to unlock: alice@elsewhere pid 42 holds the lock'
expect_err "migrator unlock --force"

# --force removes it, with a warning naming the holder.
run -c "$INI" unlock --force
expect_rc 0
expect_err 'warning: removing the live migration lock of alice@elsewhere pid 42'
expect_out_eq 'removed the live lock of alice@elsewhere pid 42'
checks=$((checks + 1))
[ "$(q 'SELECT count(*) FROM migrator_lock')" = 0 ] || fail "--force left the row"
run -c "$INI" unlock --now
expect_rc 2

# A stale row of another host: exit 3 at once, not after lock_wait, with
# host, pid, expiry and the hint.
lock_row 'alice@elsewhere pid 42' '2000-01-01T00:00:00.000Z'
t0=$(ms)
run -c "$INI" -x lock_wait=30s upgrade head
t1=$(ms)
expect_rc 3
expect_err 'stale: held by alice@elsewhere pid 42 \(host elsewhere, pid 42\)'
expect_err 'lease ran out at 2000-01-01T00:00:00.000Z'
expect_err "remove the lock with 'migrator unlock'"
checks=$((checks + 1))
[ $((t1 - t0)) -lt 5000 ] || fail "a stale lock was waited for ($((t1 - t0)) ms)"
checks=$((checks + 1))
[ "$(q 'SELECT version_num FROM migrator_version')" = t1 ] || fail "t2 applied"

# A stale row of this host whose process still runs is not broken.
lock_row "me@$HOST pid $$" '2000-01-01T00:00:00.000Z'
run -c "$INI" upgrade head
expect_rc 3
expect_err "stale: held by me@$HOST pid $$"

# Plain unlock removes a stale row.
lock_row 'alice@elsewhere pid 42' '2000-01-01T00:00:00.000Z'
run -c "$INI" unlock
expect_rc 0
expect_out_eq 'removed the stale lock of alice@elsewhere pid 42'
run -c "$INI" unlock
expect_rc 0
expect_out_eq 'no run holds the lock'

# A stale row of this host whose process is gone is broken, with a
# warning, and the run goes ahead.
sh -c 'exit 0' &
dead=$!
wait "$dead"
lock_row "me@$HOST pid $dead" '2000-01-01T00:00:00.000Z'
run -c "$INI" upgrade head
expect_rc 0
expect_err "warning: breaking the stale migration lock of me@$HOST pid $dead .*lease ran out at 2000-01-01T00:00:00.000Z"
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
rm "$V/0003_t3.sql"

# Plain unlock while a run holds the database in a long write: an answer
# at once (the lock is live), not after SQLite's busy timeout.
cat >"$V/0003_t3.sql" <<'SQL'
-- a long write
--
-- Revision ID: t3
-- Revises: t2

-- migrate:upgrade
CREATE TABLE big (x integer);
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 25000000) INSERT INTO big SELECT x FROM c;

-- migrate:downgrade
DROP TABLE big;
SQL
"$MIGRATOR" -c "$INI" upgrade head >"$T/bg.out" 2>"$T/bg.err" &
bgpid=$!
n=0
while [ ! -s "$DB-journal" ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
sleep 1
t0=$(ms)
run -c "$INI" unlock
t1=$(ms)
expect_rc 3
checks=$((checks + 1))
[ $((t1 - t0)) -lt 1000 ] || fail "unlock waited $((t1 - t0)) ms for the database"
checks=$((checks + 1))
kill -0 "$bgpid" 2>/dev/null || fail "the long run ended before unlock looked"
wait "$bgpid"
checks=$((checks + 1))
[ $? -eq 0 ] || fail "the long run failed: $(cat "$T/bg.err")"

# lock_lease is a duration of at least 1s.
run -c "$INI" -x lock_lease=10ms upgrade head
expect_rc 2
expect_err 'lock_lease must be at least 1s'

# Session locks have nothing to unlock; a bad strategy is a config error.
run -c "$INI" -x lock_strategy=session unlock
expect_rc 0
expect_out 'nothing to unlock'
run -c "$INI" -x lock_strategy=sometimes current
expect_rc 2

finish
