#!/bin/sh
# Running for real on SQLite: upgrade and downgrade, the version table and
# migrator_log, errors with file:line and nothing half-applied, statements
# refused before anything is sent, current/check/stamp/ensure-version, and
# passwords never printed.
. "$top_srcdir/tests/cli/lib.sh"
: "${SQLITE3:=sqlite3}"
new_project
DB="$T/p/test.db"
q() { "$SQLITE3" -batch "$DB" "$1"; }
snapshot() { "$SQLITE3" -batch "$DB" .schema 2>/dev/null; q "SELECT * FROM migrator_version" 2>/dev/null; }

cat >"$V/0001_aaaa0001_people.sql" <<'SQL'
-- create people
--
-- Revision ID: aaaa0001
-- Revises:

-- migrate:upgrade
CREATE TABLE people (id integer PRIMARY KEY, name text NOT NULL);
INSERT INTO people (name) VALUES ('semi;colon'), ('it''s');

-- migrate:downgrade
DROP TABLE people;
SQL
cat >"$V/0002_bbbb0002_trigger.sql" <<'SQL'
-- audit trigger
--
-- Revision ID: bbbb0002
-- Revises: aaaa0001

-- migrate:upgrade
CREATE TABLE audit (what text);
CREATE TRIGGER people_audit AFTER INSERT ON people
BEGIN
    INSERT INTO audit VALUES ('added; ' || NEW.name);
    INSERT INTO audit VALUES ('twice');
END;
/* a comment; with a semicolon */
INSERT INTO people (name) VALUES ('last without semicolon')

-- migrate:downgrade
DROP TRIGGER people_audit;
DROP TABLE audit;
SQL

run -c "$INI" current
expect_rc 0
checks=$((checks + 1))
[ ! -s "$T/out" ] || fail "current printed something for an empty database"

run -c "$INI" upgrade head
expect_rc 0
expect_err 'Running upgrade  -> aaaa0001, create people'
expect_err 'Running upgrade aaaa0001 -> bbbb0002, audit trigger'
checks=$((checks + 1))
[ "$(q 'SELECT version_num FROM migrator_version')" = bbbb0002 ] ||
    fail "version row not bbbb0002"
checks=$((checks + 1))
[ "$(q 'SELECT count(*) FROM audit')" = 2 ] || fail "trigger body split apart"
checks=$((checks + 1))
[ "$(q "SELECT name FROM people WHERE id = 1")" = "semi;colon" ] ||
    fail "string with ';' split apart"
checks=$((checks + 1))
[ "$(q "SELECT revision || ' ' || direction FROM migrator_log ORDER BY rowid" | tr '\n' ,)" = "aaaa0001 upgrade,bbbb0002 upgrade," ] ||
    fail "migrator_log rows wrong"
checks=$((checks + 1))
q "SELECT checksum FROM migrator_log" | grep -qE '^sha256:[0-9a-f]{64}$' ||
    fail "no checksum in migrator_log"

run -c "$INI" current
expect_rc 0
expect_out_eq 'bbbb0002 (head)'
run -c "$INI" current -v
expect_out "^Current revision\(s\) for sqlite:///$T/p/test.db:"
run -c "$INI" check
expect_rc 0

# Nothing to do is success.
run -c "$INI" upgrade head
expect_rc 0

# A failing statement: file:line, exit 1, the revision rolled back.
cat >"$V/0003_cccc0003_broken.sql" <<'SQL'
-- broken
--
-- Revision ID: cccc0003
-- Revises: bbbb0002

-- migrate:upgrade
CREATE TABLE extra (id integer);
INSERT INTO people (id, name) VALUES (1, 'duplicate id');

-- migrate:downgrade
DROP TABLE extra;
SQL
before=$(snapshot)
run -c "$INI" upgrade head
expect_rc 1
expect_err "0003_cccc0003_broken.sql:8: .*UNIQUE constraint failed"
checks=$((checks + 1))
[ "$(snapshot)" = "$before" ] || fail "a failed revision left changes behind"
run -c "$INI" check
expect_rc 1

# A statement that cannot run in a transaction is refused before anything
# is sent.
cat >"$V/0003_cccc0003_broken.sql" <<'SQL'
-- broken
--
-- Revision ID: cccc0003
-- Revises: bbbb0002

-- migrate:upgrade
CREATE TABLE extra (id integer);
VACUUM;

-- migrate:downgrade
DROP TABLE extra;
SQL
run -c "$INI" upgrade head
expect_rc 2
expect_err "0003_cccc0003_broken.sql:8: .*transaction"
checks=$((checks + 1))
[ "$(snapshot)" = "$before" ] || fail "a refused revision sent something"
rm "$V/0003_cccc0003_broken.sql"

# Downgrade one step, then to base; the table stays, empty.
run -c "$INI" downgrade -1
expect_rc 0
expect_err 'Running downgrade bbbb0002 -> aaaa0001'
checks=$((checks + 1))
[ "$(q 'SELECT version_num FROM migrator_version')" = aaaa0001 ] ||
    fail "downgrade -1 did not move the row"
run -c "$INI" downgrade base
expect_rc 0
checks=$((checks + 1))
[ "$(q 'SELECT count(*) FROM migrator_version')" = 0 ] ||
    fail "downgrade base left rows"
checks=$((checks + 1))
[ -z "$(q "SELECT name FROM sqlite_master WHERE name = 'people'")" ] ||
    fail "downgrade base left the table"

# stamp moves rows without running anything; --purge first empties.
run -c "$INI" stamp bbbb0002
expect_rc 0
checks=$((checks + 1))
[ "$(q 'SELECT version_num FROM migrator_version')" = bbbb0002 ] ||
    fail "stamp did not set the row"
q "INSERT INTO migrator_version VALUES ('zzzz9999')"
run -c "$INI" current
expect_rc 4
expect_err "zzzz9999 is recorded in migrator_version but no script defines it"
run -c "$INI" stamp --purge aaaa0001
expect_rc 0
checks=$((checks + 1))
[ "$(q 'SELECT version_num FROM migrator_version')" = aaaa0001 ] ||
    fail "stamp --purge did not reset the rows"

# ensure-version creates the tables on a new database.
run -c "$INI" --url "sqlite:///$T/p/other.db" ensure-version
expect_rc 0
checks=$((checks + 1))
[ -n "$("$SQLITE3" "$T/p/other.db" "SELECT name FROM sqlite_master WHERE name = 'migrator_version'")" ] ||
    fail "ensure-version created no table"

# SIGTERM during a long statement: cancelled at once, rolled back, 143.
cat >"$V/0003_dddd0003_slow.sql" <<'SQL'
-- slow
--
-- Revision ID: dddd0003
-- Revises: bbbb0002

-- migrate:upgrade
CREATE TABLE big (x integer);
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 200000000)
INSERT INTO big SELECT x FROM c;

-- migrate:downgrade
DROP TABLE big;
SQL
q 'DELETE FROM migrator_version'
run -c "$INI" upgrade bbbb0002
expect_rc 0
before=$(snapshot)
"$MIGRATOR" -c "$INI" upgrade head >"$T/out" 2>"$T/err" &
pid=$!
# Wait (bounded) until the slow revision has started.
i=0
while [ $i -lt 100 ] && ! grep -q 'dddd0003' "$T/err" 2>/dev/null; do
    sleep 0.1
    i=$((i + 1))
done
sleep 0.3
kill -TERM $pid
wait $pid
rc=$?
expect_rc 143
expect_err 'interrupted by signal 15'
checks=$((checks + 1))
[ "$(snapshot)" = "$before" ] || fail "an interrupted revision left changes"
rm "$V/0003_dddd0003_slow.sql"

# A URL's password never shows, even in errors.
run -c "$INI" --url 'postgresql://alice:S3cr3t;%zz@127.0.0.1:1/db?connect_timeout=2' current
checks=$((checks + 1))
! grep -q 'S3cr3t' "$T/out" "$T/err" || fail "password printed"
run -c "$INI" --url 'nosuch://alice:S3cr3t@host/db' current
expect_rc 2
checks=$((checks + 1))
! grep -q 'S3cr3t' "$T/out" "$T/err" || fail "password printed"
expect_err 'alice:\*\*\*\*@host'

finish
