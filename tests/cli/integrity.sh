#!/bin/sh
# Integrity (reliability R4, R10): edited and deleted applied scripts,
# line endings that do not count as edits, and transaction=false revisions
# that fail part-way and wait for `resolve`. On SQLite.
. "$top_srcdir/tests/cli/lib.sh"
: "${SQLITE3:=sqlite3}"
new_project
DB="$T/p/test.db"
q() { "$SQLITE3" -batch "$DB" "$1"; }

rev() { # rev FILE ID PARENT UPGRADE-SQL [MARKER-OPTIONS]
    printf -- '-- %s\n--\n-- Revision ID: %s\n-- Revises: %s\n\n-- migrate:upgrade %s\n%s\n\n-- migrate:downgrade\nSELECT 1;\n' \
        "$2" "$2" "$3" "${5:-}" "$4" >"$V/$1"
}
rev 0001_r1.sql r1 '' 'CREATE TABLE t1 (a integer);'
rev 0002_r2.sql r2 r1 'CREATE TABLE t2 (a integer);'
rev 0003_r3.sql r3 r2 'CREATE TABLE t3 (a integer);'

run -c "$INI" upgrade head
expect_rc 0
run -c "$INI" verify
expect_rc 0
expect_out 'matches its recorded checksum'

# I2: CRLF line endings and a BOM are not edits.
sed 's/$/\r/' "$V/0002_r2.sql" >"$T/crlf" && mv "$T/crlf" "$V/0002_r2.sql"
run -c "$INI" verify
expect_rc 0
printf '\357\273\277' | cat - "$V/0002_r2.sql" >"$T/bom" && mv "$T/bom" "$V/0002_r2.sql"
run -c "$INI" verify
expect_rc 0

# I1: a real edit of an applied script stops every upgrade.
rev 0002_r2.sql r2 r1 'CREATE TABLE t2 (a bigint);'
rev 0004_r4.sql r4 r3 'CREATE TABLE t4 (a integer);'
run -c "$INI" upgrade head
expect_rc 4
expect_err "checksum mismatch for r2 \\($V/0002_r2.sql\\): applied sha256:[0-9a-f]{64}, file sha256:[0-9a-f]{64}"
expect_err "resolve r2 --accept-checksum"
checks=$((checks + 1))
[ -z "$(q "SELECT name FROM sqlite_master WHERE name = 't4'")" ] ||
    fail "r4 ran although r2 was edited"
run -c "$INI" verify
expect_rc 4
run -c "$INI" resolve r2 --accept-checksum
expect_rc 0
expect_out '^accepted sha256:'
checks=$((checks + 1))
[ "$(q "SELECT count(*) FROM migrator_log WHERE revision = 'r2' AND direction = 'accept'")" = 1 ] ||
    fail "the acceptance is not in migrator_log"
run -c "$INI" upgrade head
expect_rc 0

# I3: an applied revision whose script is gone.
mv "$V/0004_r4.sql" "$T/r4.sql"
run -c "$INI" upgrade head
expect_rc 4
expect_err 'r4 is recorded in migrator_version but no script defines it'
run -c "$INI" current
expect_rc 4
mv "$T/r4.sql" "$V/0004_r4.sql"

# R4: a transaction=false section that fails at its second statement.
rev 0005_r5.sql r5 r4 'CREATE TABLE t5 (a integer PRIMARY KEY);
INSERT INTO t5 VALUES (1), (1);
CREATE TABLE t5b (a integer);' 'transaction=false'
run -c "$INI" upgrade head
expect_rc 1
expect_err '0005_r5.sql:8: .*UNIQUE'
expect_err "resolve r5 --mark-rolled-back"
checks=$((checks + 1))
[ "$(q "SELECT status FROM migrator_log WHERE revision = 'r5'")" = failed ] ||
    fail "r5 not recorded as failed"
checks=$((checks + 1))
q "SELECT detail FROM migrator_log WHERE revision = 'r5'" | grep -q '^statement 2 (line 8): .*0005_r5.sql:8: UNIQUE' ||
    fail "the failing statement is not recorded"
checks=$((checks + 1))
[ "$(q 'SELECT version_num FROM migrator_version')" = r4 ] ||
    fail "the version table moved past a failed revision"

# Until it is resolved, nothing runs.
run -c "$INI" upgrade head
expect_rc 4
expect_err 'r5 ran outside a transaction and is failed at statement 2'
run -c "$INI" resolve r5 --accept-checksum --mark-applied
expect_rc 2
run -c "$INI" resolve r4 --mark-rolled-back
expect_rc 2
expect_err 'r4 is not waiting to be resolved'

# Undo by hand, fix the script, say it is rolled back, run again.
q 'DROP TABLE t5'
rev 0005_r5.sql r5 r4 'CREATE TABLE t5 (a integer PRIMARY KEY);
INSERT INTO t5 VALUES (1), (2);
CREATE TABLE t5b (a integer);' 'transaction=false'
run -c "$INI" resolve r5 --mark-rolled-back
expect_rc 0
run -c "$INI" upgrade head
expect_rc 0
checks=$((checks + 1))
[ "$(q 'SELECT version_num FROM migrator_version')" = r5 ] ||
    fail "r5 not applied after resolve"
checks=$((checks + 1))
[ "$(q "SELECT status FROM migrator_log WHERE revision = 'r5' ORDER BY applied_at" | tr '\n' ,)" = "resolved-rolled-back,applied," ] ||
    fail "r5's records: $(q "SELECT status FROM migrator_log WHERE revision = 'r5'")"

# --mark-applied: the user finished the revision by hand.
rev 0006_r6.sql r6 r5 'CREATE TABLE t6 (a integer);
INSERT INTO nosuch VALUES (1);' 'transaction=false'
run -c "$INI" upgrade head
expect_rc 1
q 'CREATE TABLE nosuch (a integer); INSERT INTO nosuch VALUES (1)'
run -c "$INI" resolve r6 --mark-applied
expect_rc 0
checks=$((checks + 1))
[ "$(q 'SELECT version_num FROM migrator_version')" = r6 ] ||
    fail "--mark-applied did not move the version table"
run -c "$INI" verify
expect_rc 0

# I4: a row below another row (stamped or applied out of order): an
# upgrade stops, since what lies between may never have run; current
# still answers, and a downgrade is still a way out.
q "INSERT INTO migrator_version VALUES ('r2')"
rev 0007_r7.sql r7 r6 'CREATE TABLE t7 (a integer);'
run -c "$INI" upgrade head
expect_rc 4
expect_err 'version table is inconsistent: r2 is recorded, and so is a revision above it'
checks=$((checks + 1))
[ -z "$(q "SELECT name FROM sqlite_master WHERE name = 't7'")" ] ||
    fail "an upgrade ran over an inconsistent version table"
run -c "$INI" current
expect_rc 0
run -c "$INI" stamp --purge r6
expect_rc 0
run -c "$INI" upgrade head
expect_rc 0

finish
