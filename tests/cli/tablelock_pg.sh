#!/bin/sh
# lock_strategy = table on PostgreSQL: stale rows (broken when their
# process is gone from this host, refused at once otherwise), a live row
# waited for, unlock --force, and a lease that a heartbeat renews while
# a long statement runs.
. "$top_srcdir/tests/cli/lib.sh"

PGDIR=$(mktemp -d /tmp/mgr-tablelock-pg.XXXXXX) && rmdir "$PGDIR"
CONNINFO=$(sh "$top_srcdir/tests/pg/pg_server.sh" start "$PGDIR") || exit $?
trap 'sh "$top_srcdir/tests/pg/pg_server.sh" stop "$PGDIR" >/dev/null 2>&1' EXIT
SERVER=${CONNINFO% dbname=*}
psql -XAtq "$SERVER dbname=postgres" -c "CREATE DATABASE tl"
q() { psql -XAtq -v ON_ERROR_STOP=1 "$SERVER dbname=tl" -c "$1"; }
ms() { date +%s%3N; }
HOST=$(uname -n)
lock_row() { # OWNER LEASE_UNTIL
    q "DELETE FROM migrator_lock; INSERT INTO migrator_lock VALUES (1, '$1', '2026-01-01T00:00:00.000Z', '$2')"
}

PROJECT_URL="$SERVER dbname=tl"
export PROJECT_URL
new_project "lock_strategy = table
lock_wait = 1s"
q 'CREATE TABLE log (what text)'
write_rev "$V" 0001_t1.sql t1 ''
run -c "$INI" upgrade head
expect_rc 0
write_rev "$V" 0002_t2.sql t2 t1

# A stale row of another host: exit 3 at once.
lock_row 'bob@far pid 7' '2000-01-01T00:00:00.000Z'
t0=$(ms)
run -c "$INI" -x lock_wait=30s upgrade head
t1=$(ms)
expect_rc 3
expect_err 'stale: held by bob@far pid 7 \(host far, pid 7\) since 2026-01-01T00:00:00.000Z, its lease ran out at 2000-01-01T00:00:00.000Z'
expect_err "remove the lock with 'migrator unlock'"
checks=$((checks + 1))
[ $((t1 - t0)) -lt 5000 ] || fail "a stale lock was waited for ($((t1 - t0)) ms)"

# A live row: waited for until lock_wait.
lock_row 'bob@far pid 7' '2999-01-01T00:00:00.000Z'
t0=$(ms)
run -c "$INI" upgrade head
t1=$(ms)
expect_rc 3
expect_err 'held by bob@far pid 7 since 2026-01-01T00:00:00.000Z, lease until 2999'
checks=$((checks + 1))
[ $((t1 - t0)) -ge 1000 ] || fail "a live lock was not waited for ($((t1 - t0)) ms)"

# unlock --force removes it, naming the holder.
run -c "$INI" unlock
expect_rc 3
run -c "$INI" unlock --force
expect_rc 0
expect_err 'removing the live migration lock of bob@far pid 7'
checks=$((checks + 1))
[ "$(q 'SELECT count(*) FROM migrator_lock')" = 0 ] || fail "--force left the row"

# A stale row of a process gone from this host: broken, and the run goes on.
sh -c 'exit 0' &
dead=$!
wait "$dead"
lock_row "me@$HOST pid $dead" '2000-01-01T00:00:00.000Z'
run -c "$INI" upgrade head
expect_rc 0
expect_err "warning: breaking the stale migration lock of me@$HOST pid $dead"
checks=$((checks + 1))
[ "$(q 'SELECT version_num FROM migrator_version')" = t2 ] || fail "t2 not applied"

# The lease is renewed while a statement runs: with a 3 s lease and a 6 s
# statement, a second run 4 s in still finds a live lock, not a stale one.
cat >"$V/0003_t3.sql" <<'SQL'
-- a long statement
--
-- Revision ID: t3
-- Revises: t2

-- migrate:upgrade
SELECT pg_sleep(6);

-- migrate:downgrade
SELECT 1;
SQL
"$MIGRATOR" -c "$INI" -x lock_lease=3s upgrade head >"$T/a.out" 2>"$T/a.err" &
apid=$!
n=0
while [ -z "$(q "SELECT pid FROM pg_stat_activity WHERE query LIKE '%pg_sleep(6)%' AND pid <> pg_backend_pid()")" ] &&
    [ $n -lt 100 ]; do
    sleep 0.1
    n=$((n + 1))
done
sleep 4
checks=$((checks + 1))
[ "$(q "SELECT lease_until > to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') FROM migrator_lock")" = t ] ||
    fail "the lease ran out during the statement: $(q 'SELECT * FROM migrator_lock')"
run -c "$INI" upgrade head
expect_rc 3
expect_err "held by [^ ]+@$HOST pid $apid since"
checks=$((checks + 1))
! grep -q 'stale' "$T/err" || fail "a live run looked stale"
wait "$apid"
arc=$?
checks=$((checks + 1))
[ "$arc" -eq 0 ] || fail "the long run failed ($arc): $(cat "$T/a.err")"
checks=$((checks + 1))
[ "$(q 'SELECT version_num FROM migrator_version')" = t3 ] || fail "t3 not applied"
checks=$((checks + 1))
[ "$(q 'SELECT count(*) FROM migrator_lock')" = 0 ] || fail "the lock row stayed"

finish
