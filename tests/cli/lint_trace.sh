#!/bin/sh
# migrator lint --trace on PostgreSQL: the locks and rewrites each
# statement really causes, read on a scratch database. A retype to
# bigint takes ACCESS EXCLUSIVE and rewrites the table; CREATE INDEX
# CONCURRENTLY takes SHARE UPDATE EXCLUSIVE only and rewrites nothing.
# The static findings are marked confirmed; database_url is not written.
. "$top_srcdir/tests/cli/lib.sh"

PGDIR=$(mktemp -d /tmp/mgr-linttrace-pg.XXXXXX) && rmdir "$PGDIR"
CONNINFO=$(sh "$top_srcdir/tests/pg/pg_server.sh" start "$PGDIR") || exit $?
trap 'sh "$top_srcdir/tests/pg/pg_server.sh" stop "$PGDIR" >/dev/null 2>&1' EXIT
SERVER=${CONNINFO% dbname=*}
psql -XAtq "$SERVER dbname=postgres" -c "CREATE DATABASE app"
q() { psql -XAtq -v ON_ERROR_STOP=1 "$SERVER dbname=$1" -c "$2"; }

rev() {
    printf -- '-- %s\n--\n-- Revision ID: %s\n-- Revises: %s\n\n' \
        "$2" "$2" "$3" >"$V/$1"
    printf -- '-- migrate:%s\n%s\n\n-- migrate:downgrade%s\n%s\n' \
        "$4" "$5" "${4#upgrade}" "$6" >>"$V/$1"
}

PROJECT_URL="$SERVER dbname=app" new_project
rev 1_a1.sql a1 '' upgrade 'CREATE TABLE t (id integer PRIMARY KEY, a integer);' \
    'DROP TABLE t;'
rev 2_b2.sql b2 a1 upgrade 'SET lock_timeout = '"'"'2s'"'"';
ALTER TABLE t ALTER COLUMN a TYPE bigint;' \
    'ALTER TABLE t ALTER COLUMN a TYPE integer;'
rev 3_c3.sql c3 b2 'upgrade transaction=false' \
    'CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_t_a ON t (a);' \
    'DROP INDEX CONCURRENTLY IF EXISTS ix_t_a;'

run -c "$INI" lint --trace a1:c3
cat "$T/out"
expect_rc 1
# The revisions before the range ran on the scratch database only.
checks=$((checks + 1))
! grep -q 'stay committed' "$T/err" ||
    fail "lint --trace counts the scratch database's steps as committed"

# The retype: ACCESS EXCLUSIVE, blocking reads and writes, and a rewrite.
awk '/2_b2.sql:[0-9]+: ALTER TABLE t ALTER COLUMN a TYPE bigint/ { on = 1; next }
     /^[^ ]/ { on = 0 } on' "$T/out" >"$T/retype"
checks=$((checks + 1))
grep -q 'ACCESS EXCLUSIVE on public.t: blocks reads and writes' "$T/retype" ||
    fail "the retype's ACCESS EXCLUSIVE lock is not reported"
checks=$((checks + 1))
grep -q 'rewrites .*public.t\b' "$T/retype" ||
    fail "the retype's rewrite is not reported"
# The concurrent index: SHARE UPDATE EXCLUSIVE only, no rewrite.
awk '/3_c3.sql:[0-9]+: CREATE INDEX CONCURRENTLY/ { on = 1; next }
     /^[^ ]/ { on = 0 } on' "$T/out" >"$T/index"
checks=$((checks + 1))
grep -q 'SHARE UPDATE EXCLUSIVE on public.t' "$T/index" ||
    fail "the concurrent index's SHARE UPDATE EXCLUSIVE lock is not reported"
checks=$((checks + 1))
! grep -Eq 'ACCESS EXCLUSIVE|^ *SHARE on|rewrites' "$T/index" ||
    fail "the concurrent index shows a stronger lock or a rewrite"
# The static finding on the retype is confirmed by the trace.
checks=$((checks + 1))
grep -A8 '2_b2.sql:[0-9]*: error\[changing-column-type\]' "$T/out" |
    grep -q 'trace: confirmed' ||
    fail "changing-column-type is not marked confirmed"
# JSON carries the trace events.
run -c "$INI" --reporter json lint --trace a1:c3
checks=$((checks + 1))
grep -q '"event":"trace"' "$T/out" || fail "no trace event in JSON"
# Nothing was written to database_url; no scratch database is left.
checks=$((checks + 1))
[ "$(q app "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace")" = 0 ] ||
    fail "lint --trace wrote to database_url"
checks=$((checks + 1))
[ "$(q postgres "SELECT count(*) FROM pg_database WHERE datname LIKE 'migrator_scratch%'")" = 0 ] ||
    fail "a scratch database was left behind"

finish
