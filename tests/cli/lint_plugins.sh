#!/bin/sh
# A third-party linter (tests/plugins/linter_house.c) loads from the
# plugin path, reads the PostgreSQL parse tree of each statement and
# reports through the reporters like the linters that ship; one that
# reports a rule its catalogue lacks is refused (exit 2 names it).
. "$top_srcdir/tests/cli/lib.sh"

PLUGINS="$top_builddir/tests/plugins/.libs"
PROJECT_URL='postgresql:///lint?host=/nonexistent-migrator-lint' new_project
cat >"$V/1_a1.sql" <<'SQL'
-- a view
--
-- Revision ID: a1
-- Revises:

-- migrate:upgrade
CREATE VIEW v_all AS
  SELECT *
    FROM units;
CREATE VIEW v_named AS SELECT id FROM units;

-- migrate:downgrade
DROP VIEW v_named;
DROP VIEW v_all;
SQL
run -c "$INI" --plugin-dir "$PLUGINS" lint
expect_rc 0
expect_out '1_a1.sql:7: warning\[house-no-select-star\] SELECT \* in a migration'
expect_no_out '1_a1.sql:10: .*house-no-select-star'
run -c "$INI" --plugin-dir "$PLUGINS" lint --rules
expect_out '^house +house-no-select-star +warning'
run -c "$INI" --plugin-dir "$PLUGINS" --reporter json lint
expect_out '"event":"finding".*"rule":"house-no-select-star","linter":"house"'
# Without the plugin path, the rule is not there.
run -c "$INI" lint
expect_rc 0
expect_out '^lint: 1 revision'
expect_no_out 'house-no-select-star'

# A finding of a rule the linter does not declare is the plugin's bug.
cat >>"$V/1_a1.sql" <<'SQL'
SELECT 'undeclared';
SQL
run -c "$INI" --plugin-dir "$PLUGINS" lint
expect_rc 2
expect_err "linter 'house' reported the rule 'not-in-the-catalogue', which its catalogue does not declare"

finish
