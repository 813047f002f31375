#!/bin/sh
# migrator_schema on SQLite holds the schema as captured statements (ABI
# 1.5), which check and status make again on a memory database; what the
# capture cannot hold (a virtual table) is recorded as the model, as are
# the snapshots of older migrators, and both are still compared with.
. "$top_srcdir/tests/cli/lib.sh"
: "${SQLITE3:=sqlite3}"
new_project
DB="$T/p/test.db"
q() { "$SQLITE3" -batch "$DB" "$1"; }
# expect_q SQL WANT WHY: the query answers WANT, else fail saying WHY.
expect_q() { expect_eq "$3" "$(q "$1")" "$2"; }

# rev ID PARENT MESSAGE UPGRADE DOWNGRADE: write versions/ID_MESSAGE.sql
rev() {
    printf -- '-- %s\n--\n-- Revision ID: %s\n-- Revises: %s\n\n' "$3" "$1" "$2"
    printf -- '-- migrate:upgrade\n%s\n\n-- migrate:downgrade\n%s\n' "$4" "$5"
}

rev a1 '' 'people' \
    'CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE INDEX ix_people_name ON people (name);
CREATE VIEW named AS SELECT name FROM people;' \
    'DROP VIEW named;
DROP TABLE people;' >"$V/a1_people.sql"

run -c "$INI" upgrade head
expect_rc 0
expect_q "SELECT substr(snapshot, 1, 18) FROM migrator_schema" \
    "migrator-capture 1" "the snapshot is not a capture"
checks=$((checks + 1))
q "SELECT snapshot FROM migrator_schema" | grep -q '^CREATE INDEX ix_people_name' ||
    fail "the capture lacks the index"
run -c "$INI" check
expect_rc 0

# A change by hand is seen against the capture.
q 'DROP INDEX ix_people_name'
q 'ALTER TABLE people ADD COLUMN born TEXT'
run -c "$INI" check
expect_rc 1
expect_out '^index ix_people_name dropped outside migrations$'
expect_out '^column people.born added outside migrations$'
run -c "$INI" status
expect_rc 1
expect_out 'column people.born added'

# A capture the memory database refuses is a warning, not a failure.
q "UPDATE migrator_schema SET snapshot = 'migrator-capture 1
CREATE TABLE people (id INTEGER PRIMARY KEY;'"
run -c "$INI" check
expect_rc 0
expect_err 'cannot make the recorded schema again on a scratch database'

# The model text that older migrators recorded is still read.
q "UPDATE migrator_schema SET snapshot = 'migrator-schema 1
kind=table	name=people
kind=column	table=people	name=id	position=1	type=INTEGER
kind=column	table=people	name=name	flags=0x1	position=2	type=TEXT
kind=primary_key	table=people	name=pk_people	flags=0x10	item=id
kind=view	name=named	expr=SELECT name FROM people'"
run -c "$INI" check
expect_rc 1
expect_out '^column people.born added outside migrations$'

# A snapshot that cannot be written leaves the run whole: the savepoint
# around it is undone, the run commits, and a warning says so.
rev c3 'a1' 'pets' \
    'CREATE TABLE pets (id INTEGER PRIMARY KEY);' \
    'DROP TABLE pets;' >"$V/c3_pets.sql"
q 'DROP TABLE migrator_schema'
q 'CREATE VIEW migrator_schema AS SELECT 1 AS heads'
run -c "$INI" upgrade head
expect_rc 0
expect_err 'could not record the schema with the run'
expect_q "SELECT version_num FROM migrator_version" \
    "c3" "the run did not commit"
expect_q "SELECT count(*) FROM sqlite_schema WHERE name = 'pets'" \
    "1" "the run's table is missing"
q 'DROP VIEW migrator_schema'
run -c "$INI" downgrade a1
expect_rc 0
rm "$V/c3_pets.sql"

# A failed run records nothing; one transaction per revision records
# after the run.
rev d4 'a1' 'bad' \
    'CREATE TABLE toys (id INTEGER PRIMARY KEY);
INSERT INTO nowhere VALUES (1);' \
    'DROP TABLE toys;' >"$V/d4_bad.sql"
run -c "$INI" upgrade head
expect_rc 1
expect_q "SELECT count(*) FROM migrator_schema WHERE heads = 'd4'" \
    "0" "a failed run recorded a snapshot"
rm "$V/d4_bad.sql"
printf 'transaction_per_migration = true\n' >>"$INI"
run -c "$INI" downgrade base
expect_rc 0
run -c "$INI" upgrade head
expect_rc 0
expect_q "SELECT substr(snapshot, 1, 18) FROM migrator_schema WHERE heads = 'a1'" \
    "migrator-capture 1" "one transaction per revision recorded no capture"
sed -i '/^transaction_per_migration/d' "$INI"

# A virtual table needs its module: the schema is recorded as the model.
rev b2 'a1' 'places' \
    'CREATE VIRTUAL TABLE places USING rtree (id, x0, x1);' \
    'DROP TABLE places;' >"$V/b2_places.sql"
run -c "$INI" upgrade head
expect_rc 0
expect_q "SELECT substr(snapshot, 1, 17) FROM migrator_schema WHERE heads = 'b2'" \
    "migrator-schema 1" "with a virtual table the snapshot is not the model"
run -c "$INI" check
expect_rc 0
q 'DROP VIEW named'
run -c "$INI" check
expect_rc 1
expect_out '^view named dropped outside migrations$'

finish
