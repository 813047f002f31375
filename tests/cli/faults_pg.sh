#!/bin/sh
# One signal is enough, and no wait is endless, on PostgreSQL:
#  - a server that accepts TCP connections and never answers: the run
#    gives up after connect_timeout (and says so), and a SIGTERM while
#    it connects ends it at once;
#  - a backend stopped (kill -STOP) in the middle of a statement: SIGTERM
#    ends the run with 143, SIGINT with 130, within 2 s, and nothing of
#    the revision is recorded.
. "$top_srcdir/tests/cli/lib.sh"

now_ms() { date +%s%3N; }

# within MS T0 T1 WHAT: fail unless T1 - T0 < MS
within() {
    checks=$((checks + 1))
    [ $(($3 - $2)) -lt "$1" ] || fail "$4 took $(($3 - $2)) ms (limit $1)"
}

# ---- a listener that accepts connections and never answers -------------

python3 - "$T/port" <<'PY' &
import os, socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(64)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(s.getsockname()[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
held = []
while True:
    held.append(s.accept()[0])
PY
SILENT=$!
PGDIR=
cleanup() {
    kill "$SILENT" 2>/dev/null
    [ -n "$PGDIR" ] &&
        sh "$top_srcdir/tests/pg/pg_server.sh" stop "$PGDIR" >/dev/null 2>&1
}
trap cleanup EXIT
for _ in $(seq 50); do
    [ -s "$T/port" ] && break
    sleep 0.1
done
PORT=$(cat "$T/port") || exit 99

PROJECT_URL="postgresql://u@127.0.0.1:$PORT/db"
new_project "connect_timeout = 1s"
write_rev "$V" 0001_a1.sql a1 ''

# connect_timeout = 1s: fails after about a second, saying so, and the
# time is the one configured (no follow-up ping after it).
t0=$(now_ms)
run -c "$INI" upgrade head
t1=$(now_ms)
expect_rc 5
expect_err 'timed out after 1 s \(connect_timeout\)'
within 3000 "$t0" "$t1" "a connect with connect_timeout = 1s"
checks=$((checks + 1))
[ $((t1 - t0)) -ge 900 ] || fail "gave up after $((t1 - t0)) ms, before 1 s"

# The URL's own connect_timeout wins over the config's.
run -c "$INI" --url "postgresql://u@127.0.0.1:$PORT/db?connect_timeout=2" \
    upgrade head
expect_rc 5
expect_err 'timed out after 2 s \(connect_timeout\)'

# connect_timeout = 30s: a SIGTERM while connecting ends the run at once.
new_project "connect_timeout = 30s"
write_rev "$V" 0001_a1.sql a1 ''
"$MIGRATOR" -c "$INI" upgrade head >"$T/out" 2>"$T/err" &
pid=$!
sleep 0.5
t0=$(now_ms)
kill -TERM "$pid"
wait "$pid"
rc=$?
t1=$(now_ms)
expect_rc 143
within 2000 "$t0" "$t1" "SIGTERM while connecting"

# ---- a stopped backend -------------------------------------------------

PGDIR=$(mktemp -d /tmp/mgr-faults-pg.XXXXXX) && rmdir "$PGDIR"
CONNINFO=$(sh "$top_srcdir/tests/pg/pg_server.sh" start "$PGDIR") || exit $?
SERVER=${CONNINFO% dbname=*}
q() { psql -XAtq -v ON_ERROR_STOP=1 "$SERVER dbname=faults" -c "$1"; }
psql -XAtq "$SERVER dbname=postgres" -c "CREATE DATABASE faults"

PROJECT_URL="$SERVER dbname=faults"
new_project
cat >"$V/0001_s1.sql" <<'SQL'
-- a long statement
--
-- Revision ID: s1
-- Revises:

-- migrate:upgrade
CREATE TABLE t1 (a integer);
SELECT pg_sleep(30);

-- migrate:downgrade
DROP TABLE t1;
SQL

# stopped_run SIGNAL EXIT: start a run, stop its backend in pg_sleep,
# send SIGNAL, expect EXIT within 2 s; then let the backend go on and
# check that nothing of s1 stayed.
stopped_run() {
    "$MIGRATOR" -c "$INI" upgrade head >"$T/out" 2>"$T/err" &
    pid=$!
    backend=
    for _ in $(seq 100); do
        backend=$(q "SELECT pid FROM pg_stat_activity WHERE state = 'active'
                     AND query LIKE 'SELECT pg_sleep(30)%'")
        [ -n "$backend" ] && break
        sleep 0.1
    done
    checks=$((checks + 1))
    [ -n "$backend" ] || { fail "the run never reached pg_sleep"; return; }
    kill -STOP "$backend"
    t0=$(now_ms)
    kill "-$1" "$pid"
    wait "$pid"
    rc=$?
    t1=$(now_ms)
    kill -CONT "$backend"
    expect_rc "$2"
    within 2000 "$t0" "$t1" "SIG$1 with the backend stopped"
    expect_err 'interrupted'
    for _ in $(seq 100); do
        [ -z "$(q "SELECT pid FROM pg_stat_activity WHERE pid = $backend")" ] &&
            break
        sleep 0.1
    done
    checks=$((checks + 1))
    [ -z "$(q "SELECT to_regclass('t1')")" ] ||
        fail "SIG$1: the revision's table stayed"
    checks=$((checks + 1))
    [ -z "$(q "SELECT to_regclass('migrator_version')")" ] ||
        [ "$(q "SELECT count(*) FROM migrator_version")" = 0 ] ||
        fail "SIG$1: s1 was recorded"
}

stopped_run TERM 143
stopped_run INT 130

finish
