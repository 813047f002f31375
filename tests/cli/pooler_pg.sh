#!/bin/sh
# Behind a transaction-mode pooler a session lock is nobody's: pgbouncer
# (started here, pool_mode = transaction) hands the server session that
# holds it to the next client, which then "holds" it too. A run with
# lock_strategy = session sees it and refuses; lock_strategy = table
# works there.
. "$top_srcdir/tests/cli/lib.sh"

PGBOUNCER=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)
if [ ! -x "$PGBOUNCER" ]; then
    if [ "${MGR_PGSQL_TESTS_REQUIRED:-}" = yes ]; then
        echo "pgbouncer is not installed (apt-get install pgbouncer)" >&2
        exit 1
    fi
    echo "SKIP: pgbouncer is not installed" >&2
    exit 77
fi

start_pg mgr-pooler
BDIR=$PGDIR/pgbouncer
at_exit='[ -f "$BDIR/pgbouncer.pid" ] && kill "$(cat "$BDIR/pgbouncer.pid")" 2>/dev/null'
psql -XAtq "$SERVER dbname=postgres" -c "CREATE DATABASE pooled"
q() { psql -XAtq -v ON_ERROR_STOP=1 "$SERVER dbname=pooled" -c "$1"; }

BPORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir "$BDIR"
printf '"postgres" ""\n' >"$BDIR/users.txt"
cat >"$BDIR/pgbouncer.ini" <<INI
[databases]
pooled = host=$PGDIR port=$SERVER_PORT dbname=pooled user=postgres

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BPORT
unix_socket_dir =
auth_type = trust
auth_file = $BDIR/users.txt
pool_mode = transaction
default_pool_size = 2
max_client_conn = 20
logfile = $BDIR/pgbouncer.log
pidfile = $BDIR/pgbouncer.pid
INI
# pgbouncer will not run as root.
if [ "$(id -u)" -eq 0 ]; then
    chown -R postgres "$BDIR"
    runuser -u postgres -- "$PGBOUNCER" -d -q "$BDIR/pgbouncer.ini"
else
    "$PGBOUNCER" -d -q "$BDIR/pgbouncer.ini"
fi
i=0
while ! psql -XAtq "host=127.0.0.1 port=$BPORT user=postgres dbname=pooled" \
          -c "SELECT 1" >/dev/null 2>&1 && [ $i -lt 50 ]; do
    sleep 0.1
    i=$((i + 1))
done
[ $i -lt 50 ] || { cat "$BDIR/pgbouncer.log" >&2; echo "pgbouncer did not start" >&2; exit 1; }
POOLED="host=127.0.0.1 port=$BPORT user=postgres dbname=pooled sslmode=disable"

PROJECT_URL="$POOLED"
new_project
q "CREATE TABLE log (what text)"
write_rev "$V" 0001_p1.sql p1 ''
write_rev "$V" 0002_p2.sql p2 p1

printf '# session lock through the pooler: refused\n'
run -c "$INI" upgrade head
expect_rc 3
expect_err "is not this run's alone: a second connection took it too"
expect_err "use lock_strategy = table behind a transaction pooler"
checks=$((checks + 1))
[ "$(q "SELECT count(*) FROM log")" = 0 ] || fail "a revision ran"
# Nothing is left holding the lock on the pooler's server sessions.
checks=$((checks + 1))
[ "$(q "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")" = 0 ] ||
    fail "the refused run left its lock behind on the pooler's session"

printf '# the same database without the pooler: the lock is exclusive\n'
run -c "$INI" --url "$SERVER dbname=pooled" upgrade p1
expect_rc 0

printf '# table lock through the pooler: works\n'
printf 'lock_strategy = table\n' >>"$INI"
run -c "$INI" upgrade head
expect_rc 0
checks=$((checks + 1))
[ "$(q "SELECT version_num FROM migrator_version")" = p2 ] ||
    fail "p2 is not recorded"
finish
