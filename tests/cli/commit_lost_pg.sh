#!/bin/sh
# The connection is lost while a COMMIT is on its way (a proxy passes the
# COMMIT to the server and cuts the client off before the answer): the
# server commits, and migrator must say that the outcome is unknown
# (exit 5), never that nothing was committed.
. "$top_srcdir/tests/cli/lib.sh"

start_pg mgr-commit-lost
PROXY_PID=
at_exit='[ -n "$PROXY_PID" ] && kill "$PROXY_PID" 2>/dev/null'
psql -XAtq "$SERVER dbname=postgres" -c "CREATE DATABASE lost"
q() { psql -XAtq -v ON_ERROR_STOP=1 "$SERVER dbname=lost" -c "$1"; }

# proxy N: a proxy that cuts the client off at the N-th COMMIT; sets
# PROXY_URL.
proxy() {
    [ -n "$PROXY_PID" ] && kill "$PROXY_PID" 2>/dev/null
    rm -f "$T/proxy.port"
    python3 "$top_srcdir/tests/pg/pgproxy.py" \
        --socket "$PGDIR/.s.PGSQL.$SERVER_PORT" --port-file "$T/proxy.port" \
        --drop-at-commit "$1" 2>"$T/proxy.err" &
    PROXY_PID=$!
    i=0
    while [ ! -s "$T/proxy.port" ] && [ $i -lt 50 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    [ -s "$T/proxy.port" ] || { fail "the proxy did not start"; return 1; }
    PROXY_URL="host=127.0.0.1 port=$(cat "$T/proxy.port") user=postgres dbname=lost sslmode=disable"
}

PROJECT_URL="$SERVER dbname=lost"
new_project
q "CREATE TABLE log (what text)"
write_rev "$V" 0001_c1.sql c1 ''
write_rev "$V" 0002_c2.sql c2 c1

# The tables exist already, so the run's own COMMITs are: the one that
# makes sure of them (1), then the one of the run (2).
run -c "$INI" ensure-version
expect_rc 0
proxy 2
run -c "$INI" --url "$PROXY_URL" upgrade head
expect_rc 5
expect_err "connection lost while committing c2: outcome unknown; run 'migrator current' or re-run to see"
expect_err "the outcome of steps 1 to 2 is unknown"
checks=$((checks + 1))
if grep -q "nothing was committed" "$T/err"; then
    fail "a lost COMMIT was reported as nothing committed"
fi
checks=$((checks + 1))
grep -q "COMMIT 2 passed on" "$T/proxy.err" || fail "the proxy cut nothing"
# The server did commit.
sleep 0.5
checks=$((checks + 1))
[ "$(q "SELECT version_num FROM migrator_version")" = c2 ] ||
    fail "c2 is not recorded: $(q "SELECT version_num FROM migrator_version")"

# One transaction per revision: the first stays committed for sure, the
# second's COMMIT is lost.
q "DELETE FROM migrator_version"
new_project "transaction_per_migration = true"
write_rev "$V" 0001_c1.sql c1 ''
write_rev "$V" 0002_c2.sql c2 c1
proxy 3
run -c "$INI" --url "$PROXY_URL" --reporter json upgrade head
expect_rc 5
expect_err "connection lost while committing c2: outcome unknown"
checks=$((checks + 1))
grep '"event": *"run_end"' "$T/out" | grep -q '"steps_committed": *1' ||
    fail "run_end does not count c1 committed: $(grep run_end "$T/out")"
checks=$((checks + 1))
grep '"event": *"run_end"' "$T/out" | grep -q '"steps_unknown": *1' ||
    fail "run_end does not count c2 unknown: $(grep run_end "$T/out")"
finish
