#!/bin/sh
# Reliability on PostgreSQL, the numbered tests of the reliability plan:
# runs started at the same instant, the advisory lock (bounded wait, holder
# named, no deadlock beside CREATE INDEX CONCURRENTLY, freed when a client
# is killed), failures with file:line and nothing half-applied, statements
# refused before anything is sent, passwords never printed, hostile
# identifiers and values, and offline SQL equal to the online run.
# One private server (tests/pg/pg_server.sh) for the script, one database
# per test.
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/cli/reliability_lib.sh"
unset PGAPPNAME PGPASSWORD PGSERVICE PGOPTIONS PGHOST PGPORT PGUSER \
    PGDATABASE

PGDIR=$(mktemp -d /tmp/mgr-relpg.XXXXXX) && rmdir "$PGDIR" || exit 99
CONNINFO=$(sh "$top_srcdir/tests/pg/pg_server.sh" start "$PGDIR") || exit $?
cleanup() {
    bg_cleanup
    sh "$top_srcdir/tests/pg/pg_server.sh" stop "$PGDIR" >/dev/null 2>&1
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM
SERVER=${CONNINFO% dbname=*}
PORT=${SERVER##*port=}
PORT=${PORT%% *}
SERVER_LOG=$PGDIR/server.log

admin() {
    psql -XAtq -v ON_ERROR_STOP=1 "$SERVER dbname=postgres" "$@"
}

setting_is() {
    [ "$(admin -c "SHOW $1")" = "$2" ]
}

# A deadlock shows within 200 ms; the log names each line's database.
admin -c "ALTER SYSTEM SET deadlock_timeout = '200ms'" \
    -c "ALTER SYSTEM SET log_lock_waits = on" \
    -c "ALTER SYSTEM SET log_line_prefix = '%m [%p] %d '" \
    -c "SELECT pg_reload_conf()" >/dev/null
poll 10 setting_is deadlock_timeout 200ms ||
    fail "the server did not take deadlock_timeout = 200ms"

mkdb() {
    admin -c 'SET client_min_messages = warning' \
        -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null
}

# newdb NAME [INI-LINES]: a database and a project ($INI, $V) using it.
newdb() {
    DB=$1
    mkdb "$DB"
    PROJECT_URL="$SERVER dbname=$DB"
    new_project "${2:-}"
}

q() {
    psql -XAtq -v ON_ERROR_STOP=1 "$PROJECT_URL" -c "$1"
}

qdb() {
    psql -XAtq -v ON_ERROR_STOP=1 "$SERVER dbname=$1" -c "$2"
}

# The version rows, sorted, on one line; "(no table)" without the table.
vt() {
    vt_rows=$(q "SELECT version_num FROM migrator_version ORDER BY 1" \
        2>/dev/null) || {
        echo '(no table)'
        return
    }
    echo $vt_rows
}

# The version rows, where "no table" and "no rows" both count as none.
vt_rows() {
    vt | sed 's/^(no table)$//'
}

# The revisions in migrator_log, in the order they were recorded.
logged() {
    logged_rows=$(q "SELECT revision FROM migrator_log ORDER BY applied_at, \
revision" 2>/dev/null)
    echo $logged_rows
}

# Schema, version rows and log: equal before and after = nothing applied.
snapshot() {
    pg_dump -s -d "$PROJECT_URL" 2>&1 | dump_filter
    vt
    q "SELECT revision, direction, status FROM migrator_log ORDER BY \
applied_at" 2>&1
}

# pg_dump without comments and the random key of \restrict (15.14 on).
dump_filter() {
    grep -v -e '^--' -e '^\\restrict ' -e '^\\unrestrict '
}

exists() {
    [ "$(q "SELECT to_regclass('$1') IS NOT NULL")" = t ]
}

absent() {
    [ "$(q "SELECT to_regclass('$1') IS NULL")" = t ]
}

# The pid of a migrator session of this database running a statement
# LIKE $1 (empty if none).
busy_pid() {
    q "SELECT pid FROM pg_stat_activity WHERE datname = current_database() \
AND application_name LIKE 'migrator%' AND state = 'active' \
AND query LIKE '$1' LIMIT 1"
}

busy() {
    [ -n "$(busy_pid "$1")" ]
}

no_migrator_session() {
    [ "$(q "SELECT count(*) FROM pg_stat_activity WHERE datname = \
current_database() AND application_name LIKE 'migrator%'")" = 0 ]
}

deadlocks() {
    grep -c 'deadlock detected' "$SERVER_LOG" 2>/dev/null || true
}

within() {
    [ "$3" -ge "$1" ] && [ "$3" -le "$2" ]
}

rc_in() {
    for rc_want; do
        [ "$rc" = "$rc_want" ] && return 0
    done
    return 1
}

lacks() {
    ! grep -qF -- "$2" "$1"
}

# sqlrev FILE ID PARENT UPGRADE [DOWNGRADE [MARKER-OPTIONS [MESSAGE]]]
# The upgrade section's first line is line 7 of the file.
sqlrev() {
    {
        printf -- '-- %s\n--\n' "${7:-revision $2}"
        printf -- '-- Revision ID: %s\n-- Revises: %s\n' "$2" "$3"
        printf '\n-- migrate:upgrade%s\n%s\n' "${6:+ $6}" "$4"
        printf '\n-- migrate:downgrade\n%s\n' "${5:-SELECT 1;}"
    } >"$V/$1"
}

line_of() {
    grep -nF -- "$2" "$V/$1" | head -n 1 | cut -d: -f1
}

# psql_file DB FILE: FILE must run without error.
psql_file() {
    checks=$((checks + 1))
    psql -Xq -v ON_ERROR_STOP=1 -d "$SERVER dbname=$1" -f "$2" \
        >"$T/psql.out" 2>&1 ||
        fail "$2 failed in psql: $(cat "$T/psql.out")"
}

knob() {
    q 'CREATE TABLE knob (s float8)'
    q "INSERT INTO knob VALUES ($1)"
}

# ---------------------------------------------------------------------------
begin_test '#1' 'four runs at the same instant on an empty database'
newdb c1
sqlrev 0001_r1.sql r1 '' 'CREATE TABLE c1_a (x int);'
sqlrev 0002_r2.sql r2 r1 'CREATE TABLE c1_b (x int);'
sqlrev 0003_r3.sql r3 r2 'CREATE TABLE c1_c (x int);
SELECT pg_sleep(2);'
sqlrev 0004_r4.sql r4 r3 "CREATE TYPE c1_kind AS ENUM ('a');"
sqlrev 0005_r5.sql r5 r4 'CREATE TABLE c1_e (x int);'
dl=$(deadlocks)
mkfifo "$T/gate1"
for i in 1 2 3 4; do
    bg_gated "$T/gate1" c1_$i "$MIGRATOR" -c "$INI" -v upgrade head
done
gate_open "$T/gate1" c1_1 c1_2 c1_3 c1_4
waited=0
for i in 1 2 3 4; do
    bg_wait c1_$i 30
    expect_rc 0
    # The server's notice for CREATE TABLE IF NOT EXISTS is no error.
    checks=$((checks + 1))
    grep -v 'already exists, skipping' "$T/err" |
        grep -E 'duplicate key|already exists|pg_type_typname_nsp_index' &&
        fail "a run hit the race of creating the same object"
    grep -Eq 'waiting for the migration lock.*held by pid [0-9]+' \
        "$T/err" && waited=$((waited + 1))
done
expect_true "$waited runs said they waited and named the holder, not 3" \
    [ "$waited" -ge 3 ]
expect_eq 'version rows' "$(vt)" r5
expect_eq 'migrator_log, revision=count' "$(q "SELECT string_agg(revision \
|| '=' || n, ' ' ORDER BY revision) FROM (SELECT revision, count(*) AS n \
FROM migrator_log GROUP BY revision) s")" 'r1=1 r2=1 r3=1 r4=1 r5=1'
expect_eq 'revisions run over the four runs' \
    "$(cat "$T"/c1_?.err | grep -c '^Running upgrade')" 5
expect_eq "'deadlock detected' in the server log" "$(deadlocks)" "$dl"

# ---------------------------------------------------------------------------
begin_test '#2' 'the lock wait is bounded and names the holder'
newdb c2
sqlrev 0001_r1.sql r1 '' 'CREATE TABLE c2_t (x int);
SELECT pg_sleep(4);'
bg c2_a "$MIGRATOR" -c "$INI" upgrade head
expect_true 'run A never reached its pg_sleep' poll 10 busy '%pg_sleep%'
holder=$(busy_pid '%pg_sleep%')
before=$(snapshot)
t0=$(now_ms)
run -c "$INI" -x lock_wait=2s upgrade head
took=$(($(now_ms) - t0))
expect_rc 3
expect_true "run B gave up after $took ms, expected 2 to 4 s" \
    within 1900 4000 "$took"
expect_err "held by pid ${holder}[^0-9]"
expect_err "application 'migrator/"
expect_eq 'database after the run that did not get the lock' \
    "$(snapshot)" "$before"
bg_wait c2_a 20
expect_rc 0
expect_eq 'version rows after run A' "$(vt)" r1

# ---------------------------------------------------------------------------
begin_test '#3' 'CREATE INDEX CONCURRENTLY while a second run waits'
newdb c3
sqlrev 0001_r1.sql r1 '' 'CREATE TABLE big (a int);
INSERT INTO big SELECT generate_series(1, 10000);'
sqlrev 0002_r2.sql r2 r1 'SELECT pg_sleep(2);'
sqlrev 0003_r3.sql r3 r2 'CREATE INDEX CONCURRENTLY big_a ON big (a);' \
    'DROP INDEX big_a;' transaction=false
dl=$(deadlocks)
bg c3_a "$MIGRATOR" -c "$INI" upgrade head
sleep 0.5
bg c3_b "$MIGRATOR" -c "$INI" -v upgrade head
bg_wait c3_a 30
expect_rc 0
expect_err '^Running upgrade r2 -> r3'
bg_wait c3_b 30
expect_rc 0
expect_err 'waiting for the migration lock'
expect_no_err '^Running upgrade'
expect_eq 'big_a valid' "$(q "SELECT indisvalid FROM pg_index WHERE \
indexrelid = 'big_a'::regclass")" t
expect_eq "'deadlock detected' in the server log" "$(deadlocks)" "$dl"
expect_eq 'log rows not applied' \
    "$(q "SELECT count(*) FROM migrator_log WHERE status <> 'applied'")" 0
expect_eq 'version rows' "$(vt)" r3

# ---------------------------------------------------------------------------
begin_test '#5' 'kill -9 while the backend is busy: the lock frees at once'
newdb c5 'transaction_per_migration = true'
knob 30
sqlrev 0001_r1.sql r1 '' 'CREATE TABLE c5_t (a int);'
sqlrev 0002_r2.sql r2 r1 'CREATE TABLE k (a int);
SELECT pg_sleep(s) FROM knob;'
bg c5_a "$MIGRATOR" -c "$INI" upgrade head
expect_true 'run A never reached its pg_sleep' poll 10 busy '%pg_sleep%'
kill -9 "$(bg_pid c5_a)"
t0=$(now_ms)
bg_wait c5_a 5
expect_rc 137
expect_true 'table k exists before the second run' absent k
expect_eq 'version rows before the second run' "$(vt)" r1
# The script is the same; the second time its sleep is 0.
q 'UPDATE knob SET s = 0'
run -c "$INI" -x lock_wait=8s upgrade head
took=$(($(now_ms) - t0))
expect_rc 0
expect_true "the second run ended $took ms after the kill, not within 5 s" \
    within 0 5000 "$took"
expect_eq 'version rows' "$(vt)" r2
expect_true 'table k missing' exists k
expect_eq 'migrator_log' "$(logged)" 'r1 r2'

# ---------------------------------------------------------------------------
begin_test '#8' 'two runs at once: one applies all in order, the other none'
newdb c8 'transaction_per_migration = true'
q 'CREATE TABLE audit (seq serial PRIMARY KEY, app text, rev text,
    at timestamptz)'
parent=
for n in 01 02 03 04 05 06 07 08 09 10; do
    sqlrev "00${n}_r$n.sql" "r$n" "$parent" "SELECT pg_sleep(0.3);
INSERT INTO audit (app, rev, at)
    VALUES (current_setting('application_name'), 'r$n', clock_timestamp());"
    parent=r$n
done
mkfifo "$T/gate8"
bg_gated "$T/gate8" c8_A env PGAPPNAME=run-A "$MIGRATOR" -c "$INI" \
    upgrade head
bg_gated "$T/gate8" c8_B env PGAPPNAME=run-B "$MIGRATOR" -c "$INI" \
    upgrade head
gate_open "$T/gate8" c8_A c8_B
bg_wait c8_A 30
expect_rc 0
bg_wait c8_B 30
expect_rc 0
expect_eq 'audit rows and runs' \
    "$(q "SELECT count(*) || ' ' || count(DISTINCT app) FROM audit")" '10 1'
expect_eq 'audit order' "$(q "SELECT string_agg(rev, ' ' ORDER BY seq) \
FROM audit")" 'r01 r02 r03 r04 r05 r06 r07 r08 r09 r10'
expect_eq 'audit rows out of time order' "$(q "SELECT count(*) FROM \
(SELECT at, lag(at) OVER (ORDER BY seq) AS prev FROM audit) s \
WHERE at <= prev")" 0
case $(q 'SELECT min(app) FROM audit') in
run-A) winner=A loser=B ;;
*) winner=B loser=A ;;
esac
expect_eq "revisions run by run $winner" \
    "$(grep -c '^Running upgrade' "$T/c8_$winner.err")" 10
expect_eq "revisions run by run $loser" \
    "$(grep -c '^Running upgrade' "$T/c8_$loser.err")" 0
expect_eq 'version rows' "$(vt)" r10
expect_eq 'migrator_log' "$(logged)" 'r01 r02 r03 r04 r05 r06 r07 r08 r09 r10'

# ---------------------------------------------------------------------------
write_f1() {
    sqlrev 0001_r1.sql r1 '' 'CREATE TABLE f1 (a int);'
    sqlrev 0002_r2.sql r2 r1 'CREATE TABLE f2 (a int);'
    sqlrev 0003_r3.sql r3 r2 'CREATE TABLE r3_one (a int);
INSERT INTO f1 VALUES (1);
ALTER TABLE nope ADD c int;
CREATE TABLE r3_four (a int);
INSERT INTO f1 VALUES (2);'
    sqlrev 0004_r4.sql r4 r3 'CREATE TABLE f4 (a int);'
}

begin_test '#11' 'statement 3 of 5 fails (a transaction per revision)'
newdb c11 'transaction_per_migration = true'
write_f1
line=$(line_of 0003_r3.sql 'ALTER TABLE nope')
run -c "$INI" upgrade head
expect_rc 1
expect_err "versions/0003_r3\.sql:$line: .*relation \"nope\" does not exist"
expect_err 'SQLSTATE 42P01'
expect_no_err 'Running upgrade r3 -> r4'
expect_eq 'version rows' "$(vt)" r2
expect_eq 'migrator_log' "$(logged)" 'r1 r2'
expect_true "r3's first statement left its table" absent r3_one
expect_eq "rows r3's second statement inserted" \
    "$(q 'SELECT count(*) FROM f1')" 0
expect_true 'r4 ran' absent f4
sed 's/ALTER TABLE nope/ALTER TABLE f2/' "$V/0003_r3.sql" >"$T/fixed"
mv "$T/fixed" "$V/0003_r3.sql"
run -c "$INI" upgrade head
expect_rc 0
expect_no_err 'Running upgrade  -> r1|Running upgrade r1 -> r2'
expect_err 'Running upgrade r3 -> r4'
expect_eq 'version rows after the fix' "$(vt)" r4
expect_eq 'migrator_log after the fix' "$(logged)" 'r1 r2 r3 r4'
expect_eq 'rows of f1' "$(q "SELECT string_agg(a::text, ',' ORDER BY a) \
FROM f1")" 1,2
expect_true 'f2.c missing' [ "$(q "SELECT count(*) FROM \
information_schema.columns WHERE table_name = 'f2' AND column_name = 'c'")" \
    = 1 ]

begin_test '#11b' 'the same failure with one transaction per run'
newdb c11b
write_f1
run -c "$INI" upgrade head
expect_rc 1
expect_err "versions/0003_r3\.sql:$line: .*SQLSTATE 42P01"
expect_eq 'version rows' "$(vt_rows)" ''
expect_eq 'migrator_log' "$(logged)" ''
expect_true "r1's table stayed though its transaction failed" absent f1
expect_true "r3's first statement left its table" absent r3_one

# ---------------------------------------------------------------------------
begin_test '#14' 'a transaction=false section runs one statement at a time'
newdb c14
admin -c "ALTER DATABASE c14 SET log_statement = 'all'" >/dev/null
sqlrev 0001_r1.sql r1 '' 'CREATE TABLE t (a int);
CREATE INDEX CONCURRENTLY t_a ON t (a);
CREATE INDEX CONCURRENTLY t_b ON t ((a + 1));' 'DROP TABLE t;' transaction=false
run -c "$INI" upgrade head
expect_rc 0
expect_eq 'indexes of t' "$(q "SELECT string_agg(indexrelid::regclass || \
'=' || indisvalid, ' ' ORDER BY indexrelid::regclass::text) FROM pg_index \
WHERE indrelid = 't'::regclass")" 't_a=true t_b=true'
for s in 'CREATE TABLE t (a int)' 'CREATE INDEX CONCURRENTLY t_a ON t (a)' \
    'CREATE INDEX CONCURRENTLY t_b ON t ((a + 1))'; do
    checks=$((checks + 1))
    grep -F -e "statement: $s" -e "execute <unnamed>: $s" "$SERVER_LOG" |
        grep -q ' c14 ' ||
        fail "the server log shows no statement of its own for '$s'"
done
expect_eq 'version rows' "$(vt)" r1
expect_eq 'migrator_log' "$(q "SELECT revision || ' ' || status FROM \
migrator_log")" 'r1 applied'

# ---------------------------------------------------------------------------
begin_test '#15' 'CREATE INDEX CONCURRENTLY in a transactional section'
newdb c15
sqlrev 0001_r1.sql r1 '' 'CREATE TABLE c15_t (a int);
CREATE INDEX CONCURRENTLY c15_i ON c15_t (a);'
line=$(line_of 0001_r1.sql 'CONCURRENTLY')
before=$(snapshot)
run -c "$INI" upgrade head
expect_rc 2
expect_err "versions/0001_r1\.sql:$line: .*CREATE INDEX CONCURRENTLY"
expect_err 'transaction=false'
expect_true 'the refused revision ran its first statement' absent c15_t
# Exit 2 says nothing was sent to the database: not even the version table.
expect_eq 'tables made by a run refused with exit 2' "$(q "SELECT \
string_agg(relname, ' ' ORDER BY relname) FROM pg_class WHERE \
relnamespace = 'public'::regnamespace AND relkind = 'r'")" ''
expect_eq 'database after the refusal' "$(snapshot)" "$before"

begin_test '#15b' 'a new enum value used in the transaction that adds it'
newdb c15b
sqlrev 0001_r1.sql r1 '' "CREATE TYPE mood AS ENUM ('a');"
run -c "$INI" upgrade head
expect_rc 0
sqlrev 0002_r2.sql r2 r1 "ALTER TYPE mood ADD VALUE 'b';
SELECT 'b'::mood;"
before=$(snapshot)
run -c "$INI" upgrade head
checks=$((checks + 1))
case $rc in
1)
    expect_err 'versions/0002_r2\.sql:8: .*SQLSTATE 55P04'
    expect_err 'New enum values must be committed'
    ;;
2)
    expect_err 'versions/0002_r2\.sql:[78]: '
    ;;
*) fail "exit $rc, expected 1 (the server's error) or 2 (refused)" ;;
esac
expect_eq 'database after the failure' "$(snapshot)" "$before"

# ---------------------------------------------------------------------------
begin_test '#16' 'an explicit COMMIT in a transactional section'
newdb c16
sqlrev 0001_r0.sql r0 '' 'CREATE TABLE c16_base (a int);'
run -c "$INI" upgrade head
expect_rc 0
sqlrev 0002_r1.sql r1 r0 'CREATE TABLE a (x int);
COMMIT;
CREATE TABLEE b (x int);'
line=$(line_of 0002_r1.sql 'COMMIT')
before=$(snapshot)
run -c "$INI" upgrade head
expect_rc 2
expect_err "versions/0002_r1\.sql:$line: .*COMMIT"
expect_true 'table a exists' absent a
expect_eq 'database after the refusal' "$(snapshot)" "$before"
expect_eq 'version rows' "$(vt)" r0

# ---------------------------------------------------------------------------
for per_migration in false true; do
    case $per_migration in
    false) begin_test '#17' 'kill -9 in a revision, a transaction per run' ;;
    true) begin_test '#17b' 'kill -9 in a revision, one per revision' ;;
    esac
    newdb "c17_$per_migration" "transaction_per_migration = $per_migration"
    knob 30
    sqlrev 0001_r1.sql r1 '' 'CREATE TABLE k0 (a int);'
    sqlrev 0002_r2.sql r2 r1 'CREATE TABLE k1 (a int);
INSERT INTO k1 SELECT generate_series(1, 100000);
SELECT pg_sleep(s) FROM knob;
CREATE TABLE k2 (a int);'
    bg c17 "$MIGRATOR" -c "$INI" upgrade head
    expect_true 'the run never reached its pg_sleep' poll 15 busy '%pg_sleep%'
    kill -9 "$(bg_pid c17)"
    bg_wait c17 5
    expect_rc 137
    expect_true "the killed run's session still there after 4 s" \
        poll 4 no_migrator_session
    if [ "$per_migration" = true ]; then
        expect_eq 'version rows after the kill' "$(vt)" r1
        expect_true "r1's table missing" exists k0
    else
        expect_eq 'version rows after the kill' "$(vt_rows)" ''
        expect_true "r1's table stayed, its transaction was cut" absent k0
    fi
    expect_true "r2's table k1 stayed" absent k1
    q 'UPDATE knob SET s = 0'
    run -c "$INI" upgrade head
    expect_rc 0
    expect_no_err 'resolve|dirty|force'
    expect_eq 'version rows' "$(vt)" r2
    expect_eq 'migrator_log' "$(logged)" 'r1 r2'
    expect_eq 'rows of k1' "$(q 'SELECT count(*) FROM k1')" 100000
    expect_true 'k2 missing' exists k2
done

# ---------------------------------------------------------------------------
begin_test '#24' 'a failing downgrade names its line and changes nothing'
newdb c24
sqlrev 0001_r1.sql r1 '' 'CREATE TABLE d1 (a int);' 'DROP TABLE d1;'
sqlrev 0002_r2.sql r2 r1 'CREATE TABLE d2 (a int);' 'DROP TABLE d2;'
sqlrev 0003_r3.sql r3 r2 'CREATE TABLE d3 (a int);
INSERT INTO d3 VALUES (7);' 'DROP TABLE d3;
DROP TABLE nope_d;'
run -c "$INI" upgrade head
expect_rc 0
line=$(line_of 0003_r3.sql 'DROP TABLE nope_d')
before=$(snapshot)
run -c "$INI" downgrade r2
expect_rc 1
expect_err "versions/0003_r3\.sql:$line: .*\"nope_d\".*SQLSTATE 42P01"
expect_eq 'database after the failed downgrade' "$(snapshot)" "$before"
expect_eq 'version rows' "$(vt)" r3
expect_eq 'rows of d3' "$(q 'SELECT a FROM d3')" 7

# ---------------------------------------------------------------------------
begin_test '#30' 'two heads'
newdb c30
sqlrev 0001_r1.sql r1 '' 'CREATE TABLE h1 (a int);'
sqlrev 0002_r2a.sql r2a r1 'CREATE TABLE h2a (a int);'
sqlrev 0003_r2b.sql r2b r1 'CREATE TABLE h2b (a int);'
run -c "$INI" upgrade r1
expect_rc 0
before=$(snapshot)
run -c "$INI" upgrade head
expect_rc 2
expect_err 'r2a'
expect_err 'r2b'
expect_err 'merge'
expect_eq 'database after the refusal' "$(snapshot)" "$before"
run -c "$INI" upgrade heads
expect_rc 0
expect_eq 'version rows' "$(vt)" 'r2a r2b'
expect_true 'h2a missing' exists h2a
expect_true 'h2b missing' exists h2b

# ---------------------------------------------------------------------------
begin_test '#47' 'the password never appears in any output'
PW='S3cr3t;%zz@x'
PW_URL='S3cr3t%3B%25zz%40x'
newdb c47
admin -c 'CREATE ROLE mgr_password_auth NOLOGIN' \
    -c "CREATE ROLE alice LOGIN PASSWORD '$PW' IN ROLE mgr_password_auth" \
    -c 'ALTER DATABASE c47 OWNER TO alice' >/dev/null
qdb c47 'ALTER SCHEMA public OWNER TO alice'
sqlrev 0001_r1.sql r1 '' 'CREATE TABLE p1 (a int);'
# pw_run CASE ARGS...: run, and keep the output for the final search.
pw_run() {
    pw_case=$1
    shift
    run "$@"
    cp "$T/out" "$T/pw-$pw_case.out"
    cp "$T/err" "$T/pw-$pw_case.err"
}
pw_run url-closed-port -c "$INI" -v --url \
    "postgresql://alice:$PW_URL@127.0.0.1:1/db?connect_timeout=2" upgrade head
expect_true "URL to a closed port: exit $rc, expected 5 or 2" rc_in 5 2
expect_err '127\.0\.0\.1'
pw_run unparsable-url -c "$INI" -v --url \
    "postgresql://alice:$PW@127.0.0.1:1/db" upgrade head
expect_true "unparsable URL: exit $rc, expected 2 or 5" rc_in 2 5
pw_run conninfo-closed-port -c "$INI" -v --url \
    "host=127.0.0.1 port=1 user=alice password = '$PW' connect_timeout=2" \
    upgrade head
expect_true "conninfo to a closed port: exit $rc, expected 5 or 2" rc_in 5 2
expect_err '127\.0\.0\.1'
pw_run url-offline -c "$INI" --url \
    "postgresql://alice:$PW_URL@127.0.0.1:1/db" upgrade head --sql
expect_rc 0
pw_run conninfo-offline -c "$INI" --url \
    "host=127.0.0.1 port=1 password = '$PW'" upgrade head --sql
expect_rc 0
# Logged in with that password, verbose, with reports.
pw_run url-login -c "$INI" -v --url \
    "postgresql://alice:$PW_URL@/c47?host=$PGDIR&port=$PORT" \
    --reporter json --report-file "$T/pw-report.json" upgrade head
expect_rc 0
pw_run url-current -c "$INI" -v --url \
    "postgresql://alice:$PW_URL@/c47?host=$PGDIR&port=$PORT" current
expect_rc 0
expect_out '^Current revision\(s\) for postgresql://alice:\*\*\*\*@/c47\?'
pw_run conninfo-login -c "$INI" -v --url \
    "host=$PGDIR port=$PORT user=alice password='$PW' dbname=c47" \
    --reporter junit --report-file "$T/pw-report.xml" current
expect_rc 0
expect_out 'r1 \(head\)'
expect_out "^Current revision\\(s\\) for host=$PGDIR port=$PORT user=alice \
password='\\*\\*\\*\\*' dbname=c47:\$"
for f in "$T"/pw*; do
    expect_true "$f shows the password" lacks "$f" S3cr3t
done

# ---------------------------------------------------------------------------
begin_test '#50' 'hostile version_table and schema names'
VT_NAME='x"; DROP TABLE canary; --'
hostile() {
    qdb "$1" 'CREATE TABLE canary (x int)'
    qdb "$1" 'CREATE SCHEMA "Weird Schema"'
}
newdb c50 "version_table = $VT_NAME
version_table_schema = Weird Schema"
hostile c50
sqlrev 0001_r1.sql r1 '' 'CREATE TABLE s50 (a int);'
run -c "$INI" upgrade head
expect_rc 0
expect_true 'canary dropped' exists canary
expect_eq 'tables in "Weird Schema"' "$(q "SELECT string_agg(relname, '|' \
ORDER BY relname) FROM pg_class WHERE relkind = 'r' AND \
relnamespace = '\"Weird Schema\"'::regnamespace")" \
    "migrator_formats|migrator_log|migrator_schema|$VT_NAME"
expect_eq 'tables in public' "$(q "SELECT string_agg(relname, '|' \
ORDER BY relname) FROM pg_class WHERE relkind = 'r' AND \
relnamespace = 'public'::regnamespace")" 'canary|s50'
VT_SQL='"Weird Schema"."x""; DROP TABLE canary; --"'
expect_eq 'version row' "$(q "SELECT version_num FROM $VT_SQL")" r1
run -c "$INI" current
expect_rc 0
expect_out_eq 'r1 (head)'
run -c "$INI" upgrade head --sql
expect_rc 0
cp "$T/out" "$T/c50.sql"
mkdb c50sql
hostile c50sql
psql_file c50sql "$T/c50.sql"
expect_eq 'canary after the offline SQL' \
    "$(qdb c50sql "SELECT to_regclass('canary') IS NOT NULL")" t
expect_eq 'version row from the offline SQL' \
    "$(qdb c50sql "SELECT version_num FROM $VT_SQL")" r1
before=$(snapshot)
long=$(printf '%064d' 0 | tr 0 v)
run -c "$INI" -x "version_table=$long" upgrade head
expect_rc 2
expect_err 'version_table'
wide=$(printf '%032d' 0 | sed 's/0/é/g')
run -c "$INI" -x "version_table=$wide" upgrade head
expect_rc 2
run -c "$INI" -x "version_table_schema=$long" upgrade head
expect_rc 2
expect_err 'version_table_schema'
expect_eq 'database after the refused names' "$(snapshot)" "$before"
expect_eq 'relations with a cut name' "$(q "SELECT count(*) FROM pg_class \
WHERE relname LIKE 'vvvvvvvv%' OR relname LIKE 'éééé%'")" 0

# ---------------------------------------------------------------------------
begin_test '#51' 'a message with quotes; the log values are parameters'
newdb c51
q 'CREATE TABLE canary (x int)'
MSG="it's \"quoted\" \\ '); DROP TABLE canary; --"
ID=abcdefghijklmnopqrstuvwxyz012345
sqlrev 0001_x.sql "$ID" '' 'CREATE TABLE s51 (a int);' 'DROP TABLE s51;' '' \
    "$MSG"
run -c "$INI" upgrade head
expect_rc 0
expect_true 'the message is not printed verbatim' \
    grep -qF -- "Running upgrade  -> $ID, $MSG" "$T/err"
expect_true 'canary dropped' exists canary
expect_eq 'log row' "$(q "SELECT revision || '|' || direction || '|' || \
status || '|' || applied_by FROM migrator_log")" \
    "$ID|upgrade|applied|$(id -un)@$(uname -n)"
expect_eq 'checksum' "$(q "SELECT checksum ~ '^sha256:[0-9a-f]{64}\$' FROM \
migrator_log")" t
expect_eq 'version row' "$(vt)" "$ID"
run -c "$INI" upgrade head --sql
expect_rc 0
cp "$T/out" "$T/c51.sql"
mkdb c51sql
qdb c51sql 'CREATE TABLE canary (x int)'
psql_file c51sql "$T/c51.sql"
expect_eq 'canary after the offline SQL' \
    "$(qdb c51sql "SELECT to_regclass('canary') IS NOT NULL")" t
expect_eq 'version row from the offline SQL' \
    "$(qdb c51sql 'SELECT version_num FROM migrator_version')" "$ID"

# ---------------------------------------------------------------------------
begin_test '#58' 'offline SQL never connects and equals the online run'
mkdb c58a
mkdb c58b
PROJECT_URL='postgresql://u@127.0.0.1:1/db?connect_timeout=2'
new_project
sqlrev 0001_r1.sql r1 '' "CREATE TABLE o1 (a int, note text);
INSERT INTO o1 VALUES (1, 'semi;colon'), (2, 'it''s');"
sqlrev 0002_r2.sql r2 r1 'CREATE INDEX CONCURRENTLY o1_a ON o1 (a);' \
    'DROP INDEX o1_a;' transaction=false
sqlrev 0003_r3.sql r3 r2 "ALTER TABLE o1 ADD b text DEFAULT 'x;y';
CREATE VIEW o1v AS SELECT a, b FROM o1;"
sqlrev 0004_r4.sql r4 r3 'CREATE INDEX CONCURRENTLY o1_b ON o1 (b);
CREATE INDEX CONCURRENTLY o1_ab ON o1 (a, b);' 'SELECT 1;' transaction=false
run -c "$INI" upgrade head --sql
expect_rc 0
cp "$T/out" "$T/o.sql"
# The server with a database that does not exist: a connection would
# leave a FATAL line in the server log.
run -c "$INI" --url "$SERVER dbname=c58_nosuch" upgrade head --sql
expect_rc 0
expect_true 'the offline SQL depends on the URL' cmp -s "$T/out" "$T/o.sql"
expect_true 'offline mode connected to the server' \
    lacks "$SERVER_LOG" 'c58_nosuch'
expect_eq 'statements on the wrong side of BEGIN/COMMIT' "$(awk '
    /^BEGIN;/ { tx = 1 }
    /^COMMIT;/ { tx = 0 }
    /CONCURRENTLY/ && tx { print "inside: " $0 }
    /^(CREATE TABLE o1|INSERT INTO o1|ALTER TABLE|CREATE VIEW)/ && !tx {
        print "outside: " $0
    }
    /^(INSERT INTO|UPDATE) migrator_version/ && !tx { print "outside: " $0 }
' "$T/o.sql")" ''
psql_file c58a "$T/o.sql"
run -c "$INI" --url "$SERVER dbname=c58b" upgrade head
expect_rc 0
expect_eq 'steps, offline and online' \
    "$(sed -n 's/^-- Running upgrade //p' "$T/o.sql")" \
    "$(sed -n 's/^Running upgrade \(.*\), revision .*/\1/p' "$T/err")"
dump() {
    # migrator_log, migrator_schema and migrator_formats are written by
    # online runs only.
    pg_dump -s -T migrator_log -T migrator_schema -T migrator_formats -d "$SERVER dbname=$1" \
        2>&1 | dump_filter
}
expect_eq 'schema, offline and online' "$(dump c58a)" "$(dump c58b)"
for d in c58a c58b; do
    expect_eq "version rows in $d" \
        "$(qdb $d 'SELECT version_num FROM migrator_version')" r4
    expect_eq "rows of o1 in $d" "$(qdb $d "SELECT string_agg(a || ':' || \
note || ':' || b, ',' ORDER BY a) FROM o1")" "1:semi;colon:x;y,2:it's:x;y"
    expect_eq "invalid indexes in $d" \
        "$(qdb $d 'SELECT count(*) FROM pg_index WHERE NOT indisvalid')" 0
done

# ---------------------------------------------------------------------------
begin_test '#60' 'one SIGINT ends a lock wait within a second'
newdb c60
sqlrev 0001_r1.sql r1 '' 'CREATE TABLE c60_t (x int);
SELECT pg_sleep(5);'
# lock_strategy = session: run A holds the advisory lock while it sleeps.
bg c60_a "$MIGRATOR" -c "$INI" upgrade head
expect_true 'run A never reached its pg_sleep' poll 10 busy '%pg_sleep%'
bg c60_b "$MIGRATOR" -c "$INI" -x lock_wait=60s upgrade head
expect_true 'run B never said it was waiting' \
    poll 10 grep -q 'waiting for the migration lock' "$T/c60_b.err"
t0=$(now_ms)
kill -INT "$(bg_pid c60_b)"
bg_wait c60_b 10
took=$(($(now_ms) - t0))
expect_rc 130
expect_true "run B took $took ms to end after SIGINT" [ "$took" -le 1000 ]
expect_err 'interrupted by signal 2 while waiting for the migration lock'
bg_wait c60_a 20
expect_rc 0
expect_eq 'version rows after run A' "$(vt)" r1
# lock_strategy = table: a live row of another run.
run -c "$INI" -x lock_strategy=table upgrade head
expect_rc 0
q "INSERT INTO migrator_lock VALUES (1, 'bob@far pid 7', \
'2026-01-01T00:00:00.000Z', '2999-01-01T00:00:00.000Z')"
sqlrev 0002_r2.sql r2 r1 'CREATE TABLE c60_u (x int);'
bg c60_c "$MIGRATOR" -c "$INI" -x lock_strategy=table -x lock_wait=60s \
    upgrade head
expect_true 'run C never said it was waiting' \
    poll 10 grep -q 'waiting for the migration lock' "$T/c60_c.err"
t0=$(now_ms)
kill -INT "$(bg_pid c60_c)"
bg_wait c60_c 10
took=$(($(now_ms) - t0))
expect_rc 130
expect_true "run C took $took ms to end after SIGINT" [ "$took" -le 1000 ]
expect_err 'held by bob@far pid 7'
expect_eq 'version rows after run C' "$(vt)" r1

end_tests
finish
