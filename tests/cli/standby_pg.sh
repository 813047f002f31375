#!/bin/sh
# migrator status and app-check (doc/examples/app-check.c, built against
# the installed library) on a PostgreSQL hot standby: a primary, and a
# streaming standby made with pg_basebackup -R. The primary is upgraded;
# once the standby has replayed it, both say where it stands. A standby
# refuses every write, so their success there proves they send none, and
# its log shows no statement of theirs failed.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/cli/app_check_lib.sh"

PGDIR=$(mktemp -d /tmp/mgr-primary.XXXXXX) && rmdir "$PGDIR"
SB=
stop_all() {
    [ -n "$SB" ] && [ -f "$SB/data/postmaster.pid" ] &&
        as_server "$bindir/pg_ctl" -D "$SB/data" -m fast -w -t 60 stop \
            >/dev/null 2>&1
    [ -n "$SB" ] && rm -rf "$SB"
    sh "$top_srcdir/tests/pg/pg_server.sh" stop "$PGDIR" >/dev/null 2>&1
}
CONNINFO=$(sh "$top_srcdir/tests/pg/pg_server.sh" start "$PGDIR") || exit $?
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
PRIMARY=${CONNINFO% dbname=*}
port=${PRIMARY#*port=}
port=${port%% *}

# The server binaries, as pg_server.sh finds them, and its user.
bindir=
for d in ${PG_BINDIR:-} "$(pg_config --bindir 2>/dev/null)" \
    $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -r -V); do
    [ -x "$d/pg_basebackup" ] && [ -x "$d/pg_ctl" ] && { bindir=$d; break; }
done
[ -n "$bindir" ] || { fail "no pg_basebackup next to the server"; finish; exit 1; }
as_server() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
q() { psql -XAtq -v ON_ERROR_STOP=1 "$1 dbname=app" -c "$2"; }

# ---- the primary lets a standby stream from it; the standby ------------
echo 'local replication all trust' >>"$PGDIR/data/pg_hba.conf"
psql -XAtq "$PRIMARY dbname=postgres" -c 'SELECT pg_reload_conf()' \
    -c 'CREATE DATABASE app' >/dev/null || { fail "primary setup"; finish; exit 1; }
SB=$(mktemp -d /tmp/mgr-standby.XXXXXX)
[ "$(id -u)" -eq 0 ] && chown postgres "$SB"
printf '$ pg_basebackup -R -D %s/data\n' "$SB"
as_server "$bindir/pg_basebackup" -D "$SB/data" -R -X stream -c fast \
    -d "$PRIMARY" >"$T/basebackup.log" 2>&1 || {
    cat "$T/basebackup.log"; fail "pg_basebackup failed"; finish; exit 1; }
cat >>"$SB/data/postgresql.conf" <<EOF

# the standby: its own socket directory
unix_socket_directories = '$SB'
hot_standby = on
EOF
as_server "$bindir/pg_ctl" -D "$SB/data" -l "$SB/server.log" -w -t 60 \
    start >/dev/null 2>&1 || {
    tail -n 20 "$SB/server.log"; fail "the standby did not start"; finish; exit 1; }
STANDBY="host=$SB port=$port user=postgres"
checks=$((checks + 1))
[ "$(q "$STANDBY" 'SELECT pg_is_in_recovery()')" = t ] ||
    fail "the standby is not in recovery"

# wait_replay: until the standby has replayed all the primary wrote.
wait_replay() {
    lsn=$(q "$PRIMARY" 'SELECT pg_current_wal_lsn()')
    n=0
    until [ "$(q "$STANDBY" "SELECT pg_last_wal_replay_lsn() >= '$lsn'")" = t ]; do
        n=$((n + 1))
        [ $n -lt 300 ] || { fail "the standby did not replay $lsn"; return; }
        sleep 0.1 2>/dev/null || sleep 1
    done
}

install_app_check

# ---- a project, upgraded on the primary --------------------------------
PROJECT_URL="$PRIMARY dbname=app" new_project
rev() { # rev FILE ID PARENT
    printf -- '-- make %s\n--\n-- Revision ID: %s\n-- Revises: %s\n\n-- migrate:upgrade\nCREATE TABLE %s (a integer);\n\n-- migrate:downgrade\nDROP TABLE %s;\n' \
        "$2" "$2" "$3" "$2" "$2" >"$V/$1"
}
rev 0001_a1.sql a1 ''
rev 0002_b2.sql b2 a1
rev 0003_c3.sql c3 b2

run -c "$INI" upgrade a1
expect_rc 0
wait_replay

# Behind, on the standby.
run -c "$INI" --url "$STANDBY dbname=app" status
expect_rc 1
expect_out '^current: a1$'
expect_out '^behind: 2 revisions to apply'
app_check "$INI" "$STANDBY dbname=app"
expect_rc 1
expect_out '^database: behind$'
expect_out '^  b2$'
expect_out '^  c3$'

# The primary at the head; the standby, once it has replayed, too.
run -c "$INI" upgrade head
expect_rc 0
wait_replay
run -c "$INI" --url "$STANDBY dbname=app" status
expect_rc 0
expect_out '^current: c3$'
expect_out '^up to date:'
app_check "$INI" "$STANDBY dbname=app"
expect_rc 0
expect_out '^database: up to date$'
run -c "$INI" --url "$STANDBY dbname=app" --reporter json status
expect_rc 0
expect_out '"event":"run_end".*"exit_code":0'

# Nothing they sent failed on the standby...
checks=$((checks + 1))
! grep -q 'ERROR:' "$SB/server.log" ||
    fail "the standby logged errors: $(grep -A1 'ERROR:' "$SB/server.log")"
# ...where any write fails: the standby is a real one.
run -c "$INI" --url "$STANDBY dbname=app" ensure-version
checks=$((checks + 1))
[ "$rc" -ne 0 ] || fail "the standby accepted a write"
expect_err 'read-only transaction|recovery'

finish
