#!/bin/sh
# Read-only commands on PostgreSQL (issue 14, item 8): check on a
# database with no version table says "not initialised" and sends no DDL
# (log_statement shows every statement it sent); verify and check work
# for a role with only CONNECT, USAGE and SELECT on migrator's tables, and
# name the grant that is missing when one is.
. "$top_srcdir/tests/cli/lib.sh"

PGDIR=$(mktemp -d /tmp/mgr-exit-pg.XXXXXX) && rmdir "$PGDIR"
CONNINFO=$(sh "$top_srcdir/tests/pg/pg_server.sh" start "$PGDIR") || exit $?
trap 'sh "$top_srcdir/tests/pg/pg_server.sh" stop "$PGDIR" >/dev/null 2>&1' EXIT
SERVER=${CONNINFO% dbname=*}
psql() { command psql -XAtq -v ON_ERROR_STOP=1 "$@"; }
psql "$SERVER dbname=postgres" -c "CREATE DATABASE ex"
q() { psql "$SERVER dbname=ex" -c "$1"; }
PROJECT_URL="$SERVER dbname=ex"
new_project
write_rev "$V" 0001_r1.sql r1 ''
expect_eq() {
    checks=$((checks + 1))
    [ "$2" = "$3" ] || fail "$1: expected '$3', got '$2'"
}
tables() { q "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'"; }

printf '# check on a database with no version table\n'
q 'CREATE TABLE log (what text)'
q "ALTER DATABASE ex SET log_statement = 'all'"
log="$PGDIR/server.log"
before=$(wc -l <"$log")
run -c "$INI" check
expect_rc 1
expect_err "the database is not initialised: it has no version table \"migrator_version\"; run 'migrator upgrade heads'"
expect_eq "tables after check" "$(tables)" log
tail -n +"$((before + 1))" "$log" | grep -E 'LOG: +(statement|execute)' >"$T/sent"
checks=$((checks + 1))
[ -s "$T/sent" ] || fail "the server log shows nothing check sent"
checks=$((checks + 1))
! grep -Eiq '(CREATE|ALTER|DROP|INSERT|UPDATE|DELETE|LOCK|advisory)' "$T/sent" ||
    fail "check sent DDL or DML: $(cat "$T/sent")"
q "ALTER DATABASE ex RESET log_statement"

printf '# a role with only CONNECT, USAGE and SELECT\n'
run -c "$INI" upgrade head
expect_rc 0
q "CREATE ROLE reader LOGIN"
q "REVOKE ALL ON DATABASE ex FROM PUBLIC"
q "REVOKE CREATE ON SCHEMA public FROM PUBLIC"
q "GRANT CONNECT ON DATABASE ex TO reader"
q "GRANT USAGE ON SCHEMA public TO reader"
q "GRANT SELECT ON migrator_log, migrator_version, migrator_formats TO reader"
READER="$SERVER dbname=ex user=reader"
run -c "$INI" --url "$READER" verify
expect_rc 0
expect_out 'matches its recorded checksum'
run -c "$INI" --url "$READER" current
expect_rc 0
expect_out '^r1 \(head\)'

printf '# the grant that is missing\n'
q "REVOKE SELECT ON migrator_log FROM reader"
run -c "$INI" --url "$READER" verify
expect_rc 1
expect_err 'permission denied for table migrator_log \[SQLSTATE 42501\]'
expect_err '^the role lacks a privilege this command needs: GRANT SELECT ON "migrator_log" TO reader$'
q "GRANT SELECT ON migrator_log TO reader"
q "REVOKE SELECT ON migrator_version FROM reader"
run -c "$INI" --url "$READER" verify
expect_rc 1
expect_err '^the role lacks a privilege this command needs: GRANT SELECT ON "migrator_version" TO reader$'
q "GRANT SELECT ON migrator_version TO reader"
# Every run reads the formats of migrator's tables first.
q "REVOKE SELECT ON migrator_formats FROM reader"
run -c "$INI" --url "$READER" verify
expect_rc 1
expect_err '^the role lacks a privilege this command needs: GRANT SELECT ON "migrator_formats" TO reader$'
q "GRANT SELECT ON migrator_formats TO reader"
# check reads the recorded schema too.
run -c "$INI" --url "$READER" check
expect_rc 1
expect_err '^the role lacks a privilege this command needs: GRANT SELECT ON "migrator_schema" TO reader$'
q "GRANT SELECT ON migrator_schema TO reader"
run -c "$INI" --url "$READER" check
expect_rc 0
expect_out 'The database is at the head revisions'

finish
