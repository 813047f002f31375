#!/bin/sh
# migrator status: every situation it diagnoses, in plain words with the
# command that settles it, and its exit code (0 only when nothing needs
# attention, 4 for integrity, 1 otherwise); read-only throughout (no file,
# no table, no lock row), and its JSON events. On SQLite.
. "$top_srcdir/tests/cli/lib.sh"
: "${SQLITE3:=sqlite3}"
new_project
DB="$T/p/test.db"
q() { "$SQLITE3" -batch "$DB" "$1"; }

rev() { # rev FILE ID PARENTS UPGRADE-SQL [MARKER-OPTIONS]
    printf -- '-- make %s\n--\n-- Revision ID: %s\n-- Revises: %s\n\n-- migrate:upgrade %s\n%s\n\n-- migrate:downgrade\nSELECT 1;\n' \
        "$2" "$2" "$3" "${5:-}" "$4" >"$V/$1"
}

# status, then check that it wrote nothing: the database's tables and
# rows are what they were (and a file that was not there is still not).
status() {
    before=$( [ -f "$DB" ] && q '.dump' | cksum)
    run -c "$INI" "$@" status
    after=$( [ -f "$DB" ] && q '.dump' | cksum)
    checks=$((checks + 1))
    [ "$before" = "$after" ] || fail "status changed the database"
}

rev 0001_r1.sql r1 '' 'CREATE TABLE t1 (a integer);'
rev 0002_r2.sql r2 r1 'CREATE TABLE t2 (a integer);'
rev 0003_r3.sql r3 r2 'CREATE TABLE t3 (a integer);'

# Behind, on a database that does not exist yet: every revision pending,
# in order, and the file is not created.
status
expect_rc 1
expect_out '^current: none'
expect_out '^heads: r3$'
expect_out '^behind: 3 revisions to apply, in order:$'
expect_out_lines() {
    checks=$((checks + 1))
    grep -A3 '^behind:' "$T/out" | tail -n 3 >"$T/got"
    printf '%s\n' "$@" >"$T/want"
    cmp -s "$T/want" "$T/got" || { fail "pending not in order"; diff -u "$T/want" "$T/got"; }
}
expect_out_lines '  r1  make r1' '  r2  make r2' '  r3  make r3'
expect_out '^    migrator upgrade heads$'
expect_err "error: 3 revision\\(s\\) pending, first 'r1': run 'migrator upgrade heads'"
checks=$((checks + 1))
[ ! -e "$DB" ] || fail "status created the SQLite file"

run -c "$INI" upgrade r1
expect_rc 0
status
expect_rc 1
expect_out '^current: r1$'
expect_out '^behind: 2 revisions to apply'
expect_no_out '^  r1  make r1$'

# Up to date: exit 0.
run -c "$INI" upgrade head
expect_rc 0
status
expect_rc 0
expect_out '^up to date: the database is at the head and nothing needs attention\.$'
expect_no_out '^(behind|ahead|diverged|failed|edited|several heads|stale lock|drift):'

# JSON events: one output event per line, the exit code in run_end.
status --reporter json
expect_rc 0
expect_out '"event":"run_start".*"command":"status"'
expect_out '"event":"output".*"text":"current: r3\\n"'
expect_out '"event":"run_end".*"exit_code":0'

# Several heads: the merge to run, naming them.
rev 0004_b1.sql b1 r3 'CREATE TABLE b1 (a integer);'
rev 0005_c1.sql c1 r3 'CREATE TABLE c1 (a integer);'
run -c "$INI" upgrade heads
expect_rc 0
status
expect_rc 1
expect_out '^heads: b1, c1$'
expect_out '^several heads: the scripts have 2 heads \(b1, c1\)'
expect_out '^    migrator merge -m "merge heads" b1 c1$'
expect_no_out '^behind:'
expect_err "merge them with 'migrator merge'"
run -c "$INI" merge -m "join" --rev-id m1 b1 c1
expect_rc 0
status
expect_rc 1
expect_out '^behind: 1 revision to apply'
expect_out '^  m1  join$'
run -c "$INI" upgrade heads
expect_rc 0
status
expect_rc 0

# Diverged: a row below another row (the branch b1 is recorded besides
# the merge that took it in).
q "INSERT INTO migrator_version VALUES ('b1')"
status
expect_rc 1
expect_out '^diverged: no upgrade to the heads can start from the version rows:$'
expect_out '^  b1  make b1$'
expect_out '^    migrator stamp --purge REVISION\.\.\.$'
expect_err 'b1 is recorded, and so is a revision above it'
q "DELETE FROM migrator_version WHERE version_num = 'b1'"

# Ahead: a row naming a revision these scripts lack.
q "INSERT INTO migrator_version VALUES ('zz9')"
status --reporter json
expect_rc 1
expect_out '"text":"ahead: the database records revisions these scripts do not have:\\n"'
expect_out '"text":"  zz9\\n"'
expect_out '"event":"run_end".*"exit_code":1'
status
expect_rc 1
expect_out '^  Newer code migrated this database: deploy the scripts that include them\.$'
expect_err "1 revision\\(s\\) the scripts lack, first 'zz9'"
q "DELETE FROM migrator_version WHERE version_num = 'zz9'"

# An edited script: the file, and how to settle it (exit 4).
rev 0002_r2.sql r2 r1 'CREATE TABLE t2 (a bigint);'
status
expect_rc 4
expect_out '^edited: the script of revision r2 was changed after it was applied:$'
expect_out "^  $V/0002_r2.sql\$"
expect_out '^  \(applied sha256:[0-9a-f]{64}, file sha256:[0-9a-f]{64}\)$'
expect_out '^    migrator resolve r2 --accept-checksum$'
rev 0002_r2.sql r2 r1 'CREATE TABLE t2 (a integer);'
status
expect_rc 0

# A transaction=false revision that failed part-way: the resolve choices
# (exit 4), listed before what else holds (it is behind too).
rev 0007_f1.sql f1 m1 'CREATE TABLE f1 (a integer PRIMARY KEY);
INSERT INTO f1 VALUES (1), (1);' 'transaction=false'
run -c "$INI" upgrade head
expect_rc 1
status
expect_rc 4
expect_out '^failed: revision f1 ran outside a transaction and is failed at statement 2 \(line 8\)'
expect_out "^  Its script is $V/0007_f1.sql\\."
expect_out '^    migrator resolve f1 --mark-applied '
expect_out '^    migrator resolve f1 --mark-rolled-back '
expect_out '^behind: 1 revision to apply'
checks=$((checks + 1))
[ "$(grep -n '^failed:' "$T/out" | cut -d: -f1)" -lt "$(grep -n '^behind:' "$T/out" | cut -d: -f1)" ] ||
    fail "the failed revision is not listed first"
expect_err "revision f1 ran outside a transaction"
run -c "$INI" resolve f1 --mark-rolled-back
expect_rc 0
rm -f "$V/0007_f1.sql"
q 'DROP TABLE IF EXISTS f1'
status
expect_rc 0

# Drift recorded by check: a change made outside migrations since
# migrator recorded the schema.
q 'CREATE TABLE by_hand (a integer)'
status
expect_rc 1
expect_out '^drift: the schema changed outside migrations since migrator recorded it:$'
expect_out '^  table by_hand created$'
expect_out '^    migrator stamp REVISION$'
expect_err 'changed outside migrations in 1 place'
q 'DROP TABLE by_hand'
status
expect_rc 0

# A table lock (lock_strategy = table): a live one is a run in progress
# (no attention needed); a stale one names its holder, since when, and
# `migrator unlock`.
printf 'lock_strategy = table\n' >>"$INI"
q "CREATE TABLE migrator_lock (id INTEGER NOT NULL PRIMARY KEY, owner VARCHAR(200) NOT NULL, started_at VARCHAR(32) NOT NULL, lease_until VARCHAR(32) NOT NULL)"
q "INSERT INTO migrator_lock VALUES (1, 'alice@elsewhere pid 42', '2026-01-01T00:00:00.000Z', '2999-01-01T00:00:00.000Z')"
status
expect_rc 0
expect_out '^lock: alice@elsewhere pid 42 holds the migration lock since 2026-01-01T00:00:00\.000Z \(lease until 2999-01-01T00:00:00\.000Z\): a run is in progress\.$'
q "UPDATE migrator_lock SET lease_until = '2026-01-01T00:05:00.000Z'"
status
expect_rc 1
expect_out '^stale lock: alice@elsewhere pid 42 took the migration lock at 2026-01-01T00:00:00\.000Z and its lease ran out at 2026-01-01T00:05:00\.000Z\.$'
expect_out '^    migrator unlock$'
expect_err 'a stale lock of alice@elsewhere pid 42'
checks=$((checks + 1))
[ "$(q 'SELECT count(*) FROM migrator_lock')" = 1 ] || fail "status removed the lock row"
run -c "$INI" unlock
expect_rc 0
status
expect_rc 0

run -c "$INI" status extra
expect_rc 2
expect_err "status takes no arguments"

finish
