#!/bin/sh
# Schema autogeneration on PostgreSQL, end to end, on a private server:
# every case of tests/data/autogen that has a PostgreSQL variant (the
# round trip of autogen_sqlite.sh, plus enums, sequences, identity,
# comments, index methods, deferrable and cyclic foreign keys), what
# autogenerate refuses, and dev_url for a role that may not create a
# database. AG_CASES="case ..." runs only those cases (or scenarios).
. "$top_srcdir/tests/cli/autogen_lib.sh"
ag_dialect postgresql || exit $?

# A role that may not create databases compares through dev_url; without
# dev_url it is told why it cannot. dev_url is left as it was found.
ag_dev_url() {
    q0() { "$PSQL" -XAtq -v ON_ERROR_STOP=1 "$SERVER dbname=postgres" -c "$1"; }
    q0 "DROP ROLE IF EXISTS ag_nocreate" >/dev/null 2>&1
    q0 "CREATE ROLE ag_nocreate LOGIN NOCREATEDB" || return
    ag_db dev_app
    q0 "ALTER DATABASE dev_app OWNER TO ag_nocreate" || return
    ag_db dev_scratch
    q0 "ALTER DATABASE dev_scratch OWNER TO ag_nocreate" || return
    app="$PGHOSTPORT user=ag_nocreate dbname=dev_app"
    dev="$PGHOSTPORT user=ag_nocreate dbname=dev_scratch"
    DB_URL=$app
    ag_project dev_url "schema_file = %(here)s/wanted.sql
dev_url = $dev"
    cp "$AG_DATA/add_column/after.sql" "$P/wanted.sql"
    step "revision --autogenerate through dev_url"
    ag_autogen initial
    ag_rc 0 || return
    checks=$((checks + 1))
    [ -n "$script" ] && [ -f "$script" ] ||
        fail "no 'Generating PATH ... done', or no such file: '$script'"
    run -c "$INI" upgrade head
    ag_rc 0 || return
    step "check through dev_url"
    run -c "$INI" check
    expect_rc 0
    step "dev_url is left empty"
    checks=$((checks + 1))
    left=$("$PSQL" -XAtq "$dev" -c "SELECT count(*) FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND n.nspname NOT LIKE 'pg_toast%'")
    [ "$left" = 0 ] || ag_fail "dev_url holds $left relations afterwards"
    step "without dev_url: an error that says to set it"
    sed -i '/^dev_url = /d' "$INI"
    run -c "$INI" check
    checks=$((checks + 1))
    [ "$rc" -ne 0 ] || fail "check passed with no way to load schema_file"
    expect_any 'dev_url'
}

for c in ${AG_CASES:-$(ag_cases) refusals dev_url}; do
    case $c in
    refusals) ag_scenario refusals ag_refusals ;;
    dev_url) ag_scenario dev_url ag_dev_url ;;
    *) ag_case "$c" ;;
    esac
done

ag_summary
finish
