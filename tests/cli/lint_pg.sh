#!/bin/sh
# migrator lint against a PostgreSQL database it can reach: it lints the
# revisions not applied yet, names the size of the tables its findings
# are about, raises a finding on a table past lint_large_rows or
# lint_large_size, and writes nothing (a read-only session).
. "$top_srcdir/tests/cli/lib.sh"

PGDIR=$(mktemp -d /tmp/mgr-lintpg.XXXXXX) && rmdir "$PGDIR"
CONNINFO=$(sh "$top_srcdir/tests/pg/pg_server.sh" start "$PGDIR") || exit $?
trap 'sh "$top_srcdir/tests/pg/pg_server.sh" stop "$PGDIR" >/dev/null 2>&1' EXIT
SERVER=${CONNINFO% dbname=*}
psql -XAtq "$SERVER dbname=postgres" -c "CREATE DATABASE app"
q() { psql -XAtq -v ON_ERROR_STOP=1 "$SERVER dbname=app" -c "$1"; }

rev() {
    printf -- '-- %s\n--\n-- Revision ID: %s\n-- Revises: %s\n\n' \
        "$2" "$2" "$3" >"$V/$1"
    printf -- '-- migrate:upgrade\n%s\n\n-- migrate:downgrade\n%s\n' \
        "$4" "$5" >>"$V/$1"
}

PROJECT_URL="$SERVER dbname=app" new_project
rev 1_a1.sql a1 '' 'CREATE TABLE properties (id bigint PRIMARY KEY, name varchar(200));' \
    'DROP TABLE properties;'
run -c "$INI" upgrade head
expect_rc 0
q "INSERT INTO properties SELECT g, 'p' || g FROM generate_series(1, 5000) g; ANALYZE properties;"
rev 2_b2.sql b2 a1 'ALTER TABLE properties ALTER COLUMN name TYPE text;' \
    '-- migrator:lint-ignore changing-column-type a downgrade, on a table we keep small
ALTER TABLE properties ALTER COLUMN name TYPE varchar(200);'
before=$(q "SELECT count(*) FROM pg_class")

# Only b2 is pending; its table has 5,000 rows.
run -c "$INI" lint
expect_rc 0
expect_out '^lint: 1 revision, 2 statements'
expect_out '2_b2.sql:7: warning\[changing-column-type\]'
expect_out '^  table: properties \(5(\.0)? k rows, [0-9]+ kB\)$'
expect_out '\(1 silenced\)$'
expect_no_out '1_a1.sql'
run -c "$INI" --reporter json lint
expect_out '"rule":"changing-column-type".*"table":"properties","rows":5000,"bytes":[0-9]+'

# Past lint_large_rows the warning is an error.
printf 'lint_large_rows = 4k\n' >>"$INI"
run -c "$INI" lint
expect_rc 1
expect_out '2_b2.sql:7: error\[changing-column-type\]'
sed -i 's/^lint_large_rows = .*/lint_large_rows = 10k\nlint_large_size = 8K/' "$INI"
run -c "$INI" lint
expect_rc 1
expect_out '2_b2.sql:7: error\[changing-column-type\]'
sed -i 's/^lint_large_size = .*/lint_large_size = 1G/' "$INI"
run -c "$INI" lint
expect_rc 0
sed -i 's/^lint_large_rows = .*/lint_large_rows = many/' "$INI"
run -c "$INI" lint
expect_rc 2
expect_err 'lint_large_rows'

# Nothing was written: no table, no lock row, the version row as it was.
checks=$((checks + 1))
[ "$(q "SELECT count(*) FROM pg_class")" = "$before" ] ||
    fail "lint created something in the database"
checks=$((checks + 1))
[ "$(q "SELECT version_num FROM migrator_version")" = a1 ] ||
    fail "lint changed the version table"

# A database that cannot be reached: every revision. properties is then
# created in the run, so changing its type is no finding, and the
# directive that silenced one is pointed out.
sed -i 's/^lint_large_rows = .*/lint_large_rows = 1M/' "$INI"
run -c "$INI" --url 'postgresql:///app?host=/nonexistent-migrator' lint
expect_rc 0
expect_out '^lint: 2 revisions'
expect_no_out 'changing-column-type\]'
expect_out '2_b2.sql:10: notice\[lint-ignore\] lint-ignore changing-column-type silences nothing here'

finish
