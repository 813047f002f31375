#!/bin/sh
# Protected databases (issue 14, item 10): with protected = true,
# downgrade and stamp --purge need --yes, or the database's name typed on
# a terminal; without either they exit 2 before connecting (an
# unreachable URL proves no connection is tried). upgrade is not
# affected.
. "$top_srcdir/tests/cli/lib.sh"
new_project 'protected = true'
DB="$T/p/test.db"
"${SQLITE3:-sqlite3}" "$DB" 'CREATE TABLE log (what text)'
write_rev "$V" 0001_r1.sql r1 ''
write_rev "$V" 0002_r2.sql r2 r1
vt() { "${SQLITE3:-sqlite3}" "$DB" 'SELECT version_num FROM migrator_version'; }
expect_eq() {
    checks=$((checks + 1))
    [ "$2" = "$3" ] || fail "$1: expected '$3', got '$2'"
}
# TEST-NET-1 (RFC 5737): nothing answers there.
NOWHERE='postgresql://u@192.0.2.1:1/prod?connect_timeout=1'

printf '# upgrade is not affected\n'
run -c "$INI" upgrade head </dev/null
expect_rc 0
expect_eq "version after upgrade" "$(vt)" r2

printf '# no terminal, no --yes: refused before connecting\n'
run -c "$INI" downgrade -1 </dev/null
expect_rc 2
expect_err "database 'test.db' is protected \(protected = true in \[migrator\] at $INI:5\): downgrade needs --yes"
expect_eq "version after a refused downgrade" "$(vt)" r2
run -c "$INI" --url "$NOWHERE" downgrade base </dev/null
expect_rc 2
expect_err "database 'prod' is protected .*: downgrade needs --yes"
checks=$((checks + 1))
! grep -Eiq 'connect|timeout|192\.0\.2\.1' "$T/err" ||
    fail "a connection was tried"
run -c "$INI" --url "$NOWHERE" stamp --purge base </dev/null
expect_rc 2
expect_err ": stamp --purge needs --yes"
# Offline SQL and a stamp without --purge touch nothing to protect.
run -c "$INI" downgrade r2:r1 --sql </dev/null
expect_rc 0
run -c "$INI" stamp r2 </dev/null
expect_rc 0

printf '# --yes\n'
run -c "$INI" downgrade -1 --yes </dev/null
expect_rc 0
expect_eq "version after downgrade --yes" "$(vt)" r1
run -c "$INI" stamp --purge r2 --yes </dev/null
expect_rc 0
expect_eq "version after stamp --purge --yes" "$(vt)" r2
# protected = false (or no key) asks nothing.
run -c "$INI" -x protected=false downgrade -1 </dev/null
expect_rc 0
expect_eq "version after an unprotected downgrade" "$(vt)" r1
run -c "$INI" upgrade head </dev/null
expect_rc 0

printf '# on a terminal: the name typed, or anything else\n'
if command -v script >/dev/null 2>&1; then
    printf '$ (tty) migrator downgrade -1, answering "nope"\n'
    printf 'nope\n' | script -qec "'$MIGRATOR' -c '$INI' downgrade -1" /dev/null >"$T/out" 2>&1
    rc=$?
    expect_rc 2
    expect_out "type its name or 'yes' to downgrade it"
    expect_out "downgrade of protected database 'test.db' not confirmed"
    expect_eq "version after a wrong answer" "$(vt)" r2
    printf '$ (tty) migrator downgrade -1, answering "test.db"\n'
    printf 'test.db\n' | script -qec "'$MIGRATOR' -c '$INI' downgrade -1" /dev/null >"$T/out" 2>&1
    rc=$?
    expect_rc 0
    expect_eq "version after the name was typed" "$(vt)" r1
else
    printf 'SKIP: no script(1) for the terminal cases\n'
fi

finish
