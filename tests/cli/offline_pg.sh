#!/bin/sh
# Offline SQL means the same whatever standard_conforming_strings the
# server that runs it has: a value with a backslash and a quote that a C
# script binds is written as an E'' literal, and psql runs the output as
# meant, with the setting off and on.
. "$top_srcdir/tests/cli/lib.sh"

start_pg mgr-offline-pg
psql -XAtq "$SERVER dbname=postgres" -c "CREATE DATABASE off" -c "CREATE DATABASE onn"
q() { psql -XAtq -v ON_ERROR_STOP=1 "$SERVER dbname=$1" -c "$2"; }

# Under standard_conforming_strings = off, 'a\'' is a literal "a'"
# followed by what the value holds next: here a statement. Revision ids
# cannot hold these characters; values a C script binds can.
VALUE="a\\');DROP TABLE v;SELECT('"
PROJECT_URL="$SERVER dbname=off"
MIGRATOR_C_CACHE_DIR="$T/c-cache" export MIGRATOR_C_CACHE_DIR
new_project
cat >"$V/0001_c1.c" <<'C'
/* a note with quotes and backslashes
 *
 * Revision ID: c1
 * Revises:
 */
#include <migrator/script.h>

int mgr_script_upgrade(struct mgr_script *s)
{
    const char *params[1] = { mgr_script_xarg(s, "note") };

    return mgr_script_exec_params(s, "INSERT INTO notes (what) VALUES ($1)",
                                  1, params);
}

int mgr_script_downgrade(struct mgr_script *s)
{
    (void)s;
    return 0;
}
C

run -c "$INI" -x "note=$VALUE" upgrade head --sql
expect_rc 0
cp "$T/out" "$T/up.sql"
checks=$((checks + 1))
grep -qF "VALUES (E'a\\\\'');DROP TABLE v;SELECT(''')" "$T/up.sql" ||
    fail "no E'' literal: $(grep VALUES "$T/up.sql")"

for db in off onn; do
    case $db in off) scs=off ;; *) scs=on ;; esac
    q "$db" "CREATE TABLE v (a integer)"
    q "$db" "CREATE TABLE notes (what text)"
    checks=$((checks + 1))
    PGOPTIONS="-c standard_conforming_strings=$scs" \
        psql -XAtq -v ON_ERROR_STOP=1 "$SERVER dbname=$db" -f "$T/up.sql" \
        >"$T/psql.out" 2>&1 || fail "standard_conforming_strings=$scs: psql failed: $(cat "$T/psql.out")"
    checks=$((checks + 1))
    [ "$(q "$db" "SELECT count(*) FROM pg_tables WHERE tablename = 'v'")" = 1 ] ||
        fail "standard_conforming_strings=$scs: table v was dropped"
    checks=$((checks + 1))
    got=$(q "$db" "SELECT what FROM notes")
    [ "$got" = "$VALUE" ] ||
        fail "standard_conforming_strings=$scs: the note is '$got', not '$VALUE'"
done

finish
