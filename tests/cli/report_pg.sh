#!/bin/sh
# Reporters on PostgreSQL: a failing statement's SQLSTATE, DETAIL and HINT
# reach the JSON and JUnit reports field by field, and a run waiting for
# the migration lock reports who holds it.
. "$top_srcdir/tests/cli/lib.sh"
CHECK="python3 $top_srcdir/tests/cli/report_check.py"
XSD="$top_srcdir/plugins/reporter/junit/tests/junit.xsd"

PGDIR=$(mktemp -d /tmp/mgr-report-pg.XXXXXX) && rmdir "$PGDIR"
CONNINFO=$(sh "$top_srcdir/tests/pg/pg_server.sh" start "$PGDIR") || exit $?
trap 'sh "$top_srcdir/tests/pg/pg_server.sh" stop "$PGDIR" >/dev/null 2>&1' EXIT
SERVER=${CONNINFO% dbname=*}
psql -XAtq "$SERVER dbname=postgres" -c "CREATE DATABASE rep"
PROJECT_URL="$SERVER dbname=rep"
new_project 'lock_wait = 30s'

expect_summary() {
    checks=$((checks + 1))
    grep -Eq -- "$1" "$T/sum" || { fail "report summary does not match /$1/"; cat "$T/sum"; }
}
summarise() {
    checks=$((checks + 1))
    $CHECK "$1" >"$T/sum" 2>"$T/sum.err" || fail "report is not valid: $(cat "$T/sum.err")"
}
expect_eq() {
    checks=$((checks + 1))
    [ "$2" = "$3" ] || fail "$1: expected '$3', got '$2'"
}

sqlrev() {
    printf -- '-- %s\n--\n-- Revision ID: %s\n-- Revises: %s\n\n-- migrate:upgrade\n%s\n\n-- migrate:downgrade\n%s\n' \
        "$2" "$2" "$3" "$4" "${5:-SELECT 1;}" >"$V/$1"
}

sqlrev 0001_a1.sql a1 '' 'CREATE TABLE t (a int PRIMARY KEY);' 'DROP TABLE t;'
sqlrev 0002_b2.sql b2 a1 'INSERT INTO t VALUES (1);
INSERT INTO t VALUES (2);
INSERT INTO t VALUES (1);'

run -c "$INI" --reporter json --report "junit:$T/r.xml" upgrade head
expect_rc 1
summarise "$T/out"
expect_summary '^step_end 2 b2 failed True$'
expect_summary "^error status=6 exit=1 file=$V/0002_b2.sql line=9 sqlstate=23505 reason=duplicate key value violates unique constraint \"t_pkey\" detail=Key \\(a\\)=\\(1\\) already exists\\. hint=None$"
checks=$((checks + 1))
xmllint --noout --schema "$XSD" "$T/r.xml" 2>"$T/xml.err" || fail "not valid JUnit: $(cat "$T/xml.err")"
expect_eq "failures" "$(xmllint --xpath 'count(//failure)' "$T/r.xml")" 1
expect_eq "failure type" "$(xmllint --xpath 'string(//testcase[failure]/failure/@type)' "$T/r.xml")" 23505
expect_eq "rows after the failure" "$(psql -XAtq "$PROJECT_URL" -c 'SELECT count(*) FROM migrator_version')" 0

sqlrev 0002_b2.sql b2 a1 'SELECT no_such_function(1);'
run -c "$INI" --reporter json upgrade head
expect_rc 1
summarise "$T/out"
expect_summary '^error status=6 exit=1 .* sqlstate=42883 reason=function no_such_function\(integer\) does not exist .*hint=No function matches'

printf '# a run waiting for the lock names the holder\n'
sqlrev 0002_b2.sql b2 a1 'SELECT pg_sleep(3);'
"$MIGRATOR" -c "$INI" -q upgrade head >"$T/a.out" 2>"$T/a.err" &
holder=$!
sleep 1
run -c "$INI" --reporter json upgrade head
expect_rc 0
wait "$holder"
expect_eq "the holder's exit" "$?" 0
summarise "$T/out"
expect_summary '^lock_wait holder=pid [0-9]+'
expect_summary '^run_end ok exit=0 run=0 committed=0$'

finish
