#!/bin/sh
# The real estate example and its schema.sql, on SQLite and on PostgreSQL
# (the PostgreSQL half is skipped, not failed, when no server can run and
# the PostgreSQL tests are optional):
#   versions     its revisions to head match schema.sql (check is clean);
#                an index dropped by hand is named by check
#   autogenerate schema.sql on an empty database: one script, upgrade,
#                check clean, nothing more to generate
#   differences  check names each difference from schema_file on a line
#   drift        with no schema_file at all, check still sees an index
#                dropped or a column added outside migrations
#   baseline     a database built by hand from schema.sql is taken over;
#                refused once the version table exists
. "$top_srcdir/tests/cli/autogen_lib.sh"
RE_DIR="$top_srcdir/migrations/examples/realestate"
RE_SCHEMA="$RE_DIR/schema.sql"
MIGRATOR_C_CACHE_DIR="$T/c-cache"
export MIGRATOR_C_CACHE_DIR

# An index of the schema, dropped by hand.
drop_index() {
    ag_q "DROP INDEX $1"
}

re_versions() {
    ag_db re_versions
    step "the example's revisions to head"
    DATABASE_URL=$DB_URL
    export DATABASE_URL
    run -c "$RE_DIR/migrator.ini" upgrade head
    ag_rc 0 || return
    step "check against schema.sql (the example's schema_file): clean"
    run -c "$RE_DIR/migrator.ini" check
    expect_rc 0
    step "an index dropped by hand: check names it"
    drop_index ix_units_property_id
    run -c "$RE_DIR/migrator.ini" check
    expect_rc 1
    expect_any 'ix_units_property_id'
    expect_any 'ix_units_property_id dropped outside migrations'
    expect_any 'schema_file: .*ix_units_property_id'
    unset DATABASE_URL
}

re_autogenerate() {
    ag_db re_auto
    ag_project re_auto "schema_file = $RE_SCHEMA"
    step "revision --autogenerate from schema.sql, empty database"
    ag_autogen "real estate"
    ag_rc 0 || return
    checks=$((checks + 1))
    [ -n "$script" ] && [ -f "$script" ] || {
        fail "no 'Generating PATH ... done', or no such file: '$script'"
        return
    }
    for t in properties units leases lease_payments maintenance_requests; do
        checks=$((checks + 1))
        grep -Eiq "CREATE TABLE (\"?[a-z]+\"?\.)?\"?$t\"? " "$script" ||
            ag_fail "the script does not create $t"
    done
    step "upgrade head"
    run -c "$INI" upgrade head
    ag_rc 0 || return
    checks=$((checks + 1))
    [ "$(ag_user_tables | tr '\n' ' ')" = "lease_payments leases maintenance_requests properties units " ] ||
        ag_fail "tables after upgrade: $(ag_user_tables | tr '\n' ' ')"
    step "check: clean"
    run -c "$INI" check
    expect_rc 0
    step "a second autogenerate: no changes"
    n=$(ag_nscripts)
    ag_autogen again
    expect_rc 0
    expect_out '^No changes in schema detected\.$'
    checks=$((checks + 1))
    [ "$(ag_nscripts)" -eq "$n" ] || ag_fail "a script was written"

    step "differences from schema_file, one a line"
    cp "$RE_SCHEMA" "$P/wanted.sql"
    cat >>"$P/wanted.sql" <<'SQL'
CREATE INDEX ix_leases_tenant_name ON leases (tenant_name);
CREATE TABLE owners (id integer PRIMARY KEY, name varchar(200) NOT NULL);
SQL
    sed -i "s|^schema_file = .*|schema_file = %(here)s/wanted.sql|" "$INI"
    run -c "$INI" check
    expect_rc 1
    expect_any 'schema_file: .*ix_leases_tenant_name'
    expect_any 'schema_file: .*owners'
    checks=$((checks + 1))
    [ "$(cat "$T/out" "$T/err" | grep -Ec 'schema_file: .*(ix_leases_tenant_name|owners)')" -ge 2 ] ||
        ag_fail "expected a 'schema_file:' line for each difference"

    step "downgrade base: the tables are gone"
    run -c "$INI" downgrade base
    ag_rc 0 || return
    checks=$((checks + 1))
    [ -z "$(ag_user_tables)" ] ||
        ag_fail "tables left: $(ag_user_tables | tr '\n' ' ')"
}

re_drift() {
    ag_db re_drift
    ag_project re_drift ""
    cat >"$V/0001_d1_units.sql" <<'SQL'
-- units
--
-- Revision ID: d1
-- Revises:

-- migrate:upgrade
CREATE TABLE units (
    id integer PRIMARY KEY,
    property_id integer NOT NULL,
    label varchar(40) NOT NULL
);
CREATE INDEX ix_units_property_id ON units (property_id);

-- migrate:downgrade
DROP INDEX ix_units_property_id;
DROP TABLE units;
SQL
    step "no schema_file: upgrade, check clean"
    checks=$((checks + 1))
    [ ! -e "$P/schema.sql" ] || ag_fail "$P/schema.sql exists"
    run -c "$INI" upgrade head
    ag_rc 0 || return
    run -c "$INI" check
    expect_rc 0
    step "no schema_file: an index dropped by hand"
    drop_index ix_units_property_id
    run -c "$INI" check
    expect_rc 1
    expect_any 'index ix_units_property_id dropped outside migrations'
    step "the index made again by hand: clean again"
    ag_q "CREATE INDEX ix_units_property_id ON units (property_id)"
    run -c "$INI" check
    expect_rc 0
    step "no schema_file: a column added by hand"
    ag_q "ALTER TABLE units ADD COLUMN floor integer"
    run -c "$INI" check
    expect_rc 1
    expect_any 'floor'
    expect_any 'outside migrations'
}

re_baseline() {
    ag_db re_base
    step "the schema built by hand, with a row"
    ag_sql "$RE_SCHEMA" >"$T/load.out" 2>&1 || {
        ag_fail "schema.sql does not load: $(cat "$T/load.out")"
        return
    }
    ag_q "INSERT INTO properties (id, name, address) VALUES (1, 'Elm', '1 Elm St')"
    ag_project re_base "schema_file = $RE_SCHEMA"
    # What the database prints of schema.sql as typed (PostgreSQL's IN on
    # a varchar column) must still reload into the same dump.
    step "a dump of the database built by hand loads back and dumps the same"
    if ag_dump "$T/hand.sql"; then
        ag_db re_reload
        if ag_sql "$T/hand.sql" >"$T/reload.out" 2>&1; then
            ag_dump "$T/hand2.sql" &&
                ag_same "the hand-built database's dump reloads otherwise" \
                    "$T/hand.sql" "$T/hand2.sql"
        else
            ag_fail "the dump does not load: $(cat "$T/reload.out")"
        fi
        ag_use re_base
    fi
    step "baseline -m initial"
    run -c "$INI" baseline -m initial
    ag_rc 0 || return
    script=$(sed -n 's/^Generating \(.*\) \.\.\. done$/\1/p' "$T/out" | head -n 1)
    checks=$((checks + 1))
    [ "$(ag_nscripts)" -eq 1 ] || {
        ag_fail "expected one script in $V: $(ls "$V")"
        return
    }
    [ -n "$script" ] || script="$V/$(ls "$V")"
    printf -- '--- the script\n'
    cat "$script"
    printf -- '--- end of the script\n'
    id=$(sed -n 's/^-- Revision ID: *//p' "$script")
    checks=$((checks + 1))
    grep -Eiq 'CREATE TABLE.*properties' "$script" ||
        ag_fail "the baseline does not create properties"
    step "current shows the baseline"
    run -c "$INI" current
    expect_rc 0
    expect_out_eq "$id (head)"
    checks=$((checks + 1))
    [ "$(ag_q 'SELECT name FROM properties')" = Elm ] ||
        ag_fail "baseline touched the rows"
    step "check: clean"
    run -c "$INI" check
    expect_rc 0
    step "downgrade base drops the schema, upgrade head makes it again"
    run -c "$INI" downgrade base
    ag_rc 0 || return
    checks=$((checks + 1))
    [ -z "$(ag_user_tables)" ] ||
        ag_fail "tables left: $(ag_user_tables | tr '\n' ' ')"
    run -c "$INI" upgrade head
    ag_rc 0 || return
    run -c "$INI" check
    expect_rc 0
    step "an index dropped by hand: check names it"
    drop_index ix_units_property_id
    run -c "$INI" check
    expect_rc 1
    expect_any 'ix_units_property_id'
    step "baseline again: refused, the version table exists"
    run -c "$INI" baseline -m again
    expect_rc 2
    checks=$((checks + 1))
    [ "$(ag_nscripts)" -eq 1 ] || ag_fail "a script was written: $(ls "$V")"
    step "baseline on a database with a version table and no revision: refused"
    ag_db re_base2
    ag_sql "$RE_SCHEMA" >/dev/null 2>&1
    ag_project re_base2 "schema_file = $RE_SCHEMA"
    run -c "$INI" ensure-version
    ag_rc 0 || return
    run -c "$INI" baseline -m initial
    expect_rc 2
    checks=$((checks + 1))
    [ "$(ag_nscripts)" -eq 0 ] || ag_fail "a script was written: $(ls "$V")"
}

re_all() {
    ag_scenario versions re_versions
    ag_scenario autogenerate re_autogenerate
    ag_scenario drift re_drift
    ag_scenario baseline re_baseline
}

ag_dialect sqlite && re_all
ag_dialect postgresql
case $? in
0) re_all ;;
77) printf 'SKIP: the PostgreSQL half (no server)\n' ;;
*) ag_fail "no PostgreSQL server, and the PostgreSQL tests are required" ;;
esac

ag_summary
finish
