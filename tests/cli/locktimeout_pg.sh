#!/bin/sh
# Never start a lock queue (statement_lock_timeout, lock_retries): an
# ALTER TABLE that waits behind a long transaction gives up after the
# lock timeout, so the queries that arrive after it are not stuck behind
# it; its transaction is rolled back and tried again with backoff, and
# when the retries run out the message names the session that held the
# lock and nothing of the revision is recorded.
. "$top_srcdir/tests/cli/lib.sh"

start_pg mgr-locktimeout
BLOCKER_PID=
at_exit='[ -n "$BLOCKER_PID" ] && kill "$BLOCKER_PID" 2>/dev/null'
psql -XAtq "$SERVER dbname=postgres" -c "CREATE DATABASE lt"
URL="$SERVER dbname=lt"
q() { psql -XAtq -v ON_ERROR_STOP=1 "$URL" -c "$1"; }
q "CREATE TABLE accounts (id integer)"

# blocker SECONDS: a session (application_name 'blocker') that reads
# accounts in a transaction held open for SECONDS: it holds ACCESS SHARE,
# which every reader shares and ALTER TABLE must wait for.
blocker() {
    PGAPPNAME=blocker psql -XAtq "$URL" -c "BEGIN" \
        -c "SELECT count(*) FROM accounts" -c "SELECT pg_sleep($1)" \
        -c "COMMIT" >/dev/null 2>&1 &
    BLOCKER_PID=$!
    i=0
    while [ "$(q "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE a.application_name = 'blocker' AND l.relation = 'accounts'::regclass")" != 1 ] &&
          [ $i -lt 100 ]; do
        sleep 0.05
        i=$((i + 1))
    done
}

now_ms() { date +%s%3N; }

PROJECT_URL="$URL"
new_project "statement_lock_timeout = 500ms
lock_retries = 0"
cat >"$V/0001_l1.sql" <<'SQL'
-- add a column
--
-- Revision ID: l1
-- Revises:

-- migrate:upgrade
ALTER TABLE accounts ADD COLUMN balance integer;

-- migrate:downgrade
ALTER TABLE accounts DROP COLUMN balance;
SQL

printf '# no retry: gives up, names the blocker, records nothing\n'
blocker 6
BLOCKER=$(q "SELECT pid FROM pg_stat_activity WHERE application_name = 'blocker'")
# A reader that comes after the ALTER must not wait behind it for the
# blocker's six seconds.
( sleep 0.2; t0=$(now_ms); q "SELECT count(*) FROM accounts" >/dev/null
  echo $(( $(now_ms) - t0 )) >"$T/reader.ms" ) &
READER=$!
t0=$(now_ms)
run -c "$INI" upgrade head
took=$(( $(now_ms) - t0 ))
wait "$READER"
expect_rc 3
expect_err "waited 500ms for a lock held by pid $BLOCKER [(]application_name 'blocker'"
expect_err "rolled back: nothing of l1 was applied"
checks=$((checks + 1))
[ "$took" -lt 4000 ] || fail "the run took ${took} ms to give up"
checks=$((checks + 1))
[ "$(cat "$T/reader.ms")" -lt 3500 ] ||
    fail "a reader waited $(cat "$T/reader.ms") ms behind the ALTER"
checks=$((checks + 1))
[ -z "$(q "SELECT version_num FROM migrator_version")" ] ||
    fail "l1 was recorded"
checks=$((checks + 1))
[ "$(q "SELECT count(*) FROM information_schema.columns WHERE table_name = 'accounts' AND column_name = 'balance'")" = 0 ] ||
    fail "the column was added"
kill "$BLOCKER_PID" 2>/dev/null
wait "$BLOCKER_PID" 2>/dev/null
BLOCKER_PID=
q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'blocker'" >/dev/null

printf '# retries: the blocker ends, the run gets through\n'
sed -i 's/^lock_retries = 0$/lock_retries = 3/' "$INI"
blocker 1.5
run -c "$INI" upgrade head
expect_rc 0
expect_err "rolled back, trying again from l1 in [0-9.]* s [(]retry 1 of 3[)]"
checks=$((checks + 1))
[ "$(q "SELECT version_num FROM migrator_version")" = l1 ] ||
    fail "l1 is not recorded after the retry"
checks=$((checks + 1))
[ "$(q "SELECT count(*) FROM migrator_log WHERE revision = 'l1'")" = 1 ] ||
    fail "l1 is logged $(q "SELECT count(*) FROM migrator_log WHERE revision = 'l1'") times"
wait "$BLOCKER_PID" 2>/dev/null
BLOCKER_PID=

printf '# transaction=false sections run without the lock timeout\n'
cat >"$V/0002_l2.sql" <<'SQL'
-- index without blocking writes
--
-- Revision ID: l2
-- Revises: l1

-- migrate:upgrade transaction=false
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_accounts_id ON accounts (id);

-- migrate:downgrade transaction=false
DROP INDEX CONCURRENTLY IF EXISTS ix_accounts_id;
SQL
blocker 1.5
t0=$(now_ms)
run -c "$INI" upgrade head
took=$(( $(now_ms) - t0 ))
expect_rc 0
# CREATE INDEX CONCURRENTLY waited for the blocker's transaction: it did
# not give up after 500 ms.
checks=$((checks + 1))
[ "$took" -ge 900 ] || fail "the index was built in ${took} ms: did it wait?"
checks=$((checks + 1))
grep -q "trying again" "$T/err" && fail "a transaction=false section was retried"
finish
