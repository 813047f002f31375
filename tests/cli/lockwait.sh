#!/bin/sh
# The host's lock wait on SQLite: one SIGINT or SIGTERM while a run waits
# for the migration lock ends it within a second, exit 130 or 143, with
# nothing changed, for lock_strategy = session (the lock file) and table
# (the row in migrator_lock). The holder is named while it waits.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/cli/reliability_lib.sh"
: "${SQLITE3:=sqlite3}" "${PYTHON:=python3}"
TMO=60
trap bg_cleanup EXIT

new_project "lock_wait = 60s"
DB="$T/p/test.db"
q() { "$SQLITE3" -batch "$DB" "$1"; }
q 'CREATE TABLE log (what text)'
write_rev "$V" 0001_w1.sql w1 ''

# Signal the background run $1 with $2 once it has said it waits, and
# check that it ended within a second with exit $3.
interrupt_waiting_run() {
    poll 20 grep -q 'waiting for the migration lock' "$T/$1.err" ||
        fail "$1 never said it was waiting"
    t0=$(now_ms)
    kill "-$2" "$(bg_pid "$1")"
    bg_wait "$1" 10
    took=$(($(now_ms) - t0))
    expect_rc "$3"
    checks=$((checks + 1))
    [ "$took" -le 1000 ] || fail "$1 took $took ms to end after SIG$2"
    expect_err "interrupted by signal [0-9]+ while waiting for the \
migration lock"
    checks=$((checks + 1))
    [ "$(q "SELECT count(*) FROM log")" = 0 ] ||
        fail "$1 ran w1 after it was interrupted"
}

# session: another process holds the lock file (a POSIX record lock,
# which the OFD lock of the dialect respects).
run -c "$INI" current
expect_rc 0
: >"$DB-migrator.lock"
"$PYTHON" -c '
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR)
fcntl.lockf(fd, fcntl.LOCK_EX)
os.write(fd, b"%d\n" % os.getpid())
open(sys.argv[2], "w").close()
time.sleep(60)
' "$DB-migrator.lock" "$T/held" &
holder=$!
poll 10 test -f "$T/held" || fail "the lock holder did not start"
bg s_int "$MIGRATOR" -c "$INI" upgrade head
interrupt_waiting_run s_int INT 130
expect_err "held by pid $holder"
bg s_term "$MIGRATOR" -c "$INI" upgrade head
interrupt_waiting_run s_term TERM 143
kill "$holder"
wait "$holder" 2>/dev/null

# table: a live row of another run.
run -c "$INI" -x lock_strategy=table current
expect_rc 0
run -c "$INI" -x lock_strategy=table -x lock_wait=1s upgrade head
expect_rc 0
q "DELETE FROM migrator_version; DELETE FROM log;"
q "INSERT INTO migrator_lock VALUES (1, 'bob@far pid 7', '2026-01-01T00:00:00.000Z', '2999-01-01T00:00:00.000Z')"
bg t_int "$MIGRATOR" -c "$INI" -x lock_strategy=table upgrade head
interrupt_waiting_run t_int INT 130
expect_err 'held by bob@far pid 7'
checks=$((checks + 1))
[ "$(q 'SELECT owner FROM migrator_lock')" = 'bob@far pid 7' ] ||
    fail "the interrupted run touched the lock row"

finish
