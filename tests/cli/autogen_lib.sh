# tests/cli/autogen_lib.sh: the schema autogeneration tests on either
# dialect (revision --autogenerate, check, schema dump, baseline).
# Source it instead of lib.sh; it sources lib.sh.
#
#   ag_dialect sqlite|postgresql   choose the dialect; PostgreSQL starts a
#                  private server (pg_server.sh) stopped at exit. Returns
#                  77 when no server can run and the tests are optional
#                  (the caller decides to skip), 99 when they are required
#   ag_db NAME     make NAME an empty database and the current one:
#                  $DB_URL is its URL (SQLite: $DB_FILE is its file)
#   ag_use NAME    make the existing database NAME the current one
#   ag_sql FILE    run an SQL file on the current database (sqlite3 or
#                  psql, stopping at the first error); its rows on stdout
#                  as a|b|c, NULL as empty
#   ag_q SQL       the same for one statement
#   ag_user_tables the current database's tables, one a line, migrator's
#                  own left out
#   ag_project DIR [INI-LINES]   a project in $T/DIR on $DB_URL: $INI, $V
#                  (versions) and $P (the project directory); schema_file
#                  is $P/wanted.sql unless INI-LINES set it; the
#                  [naming_convention] of DESIGN.md
#   ag_autogen MSG revision --autogenerate -m MSG; $script is the path of
#                  the script it says it wrote ("" when none)
#   ag_dump FILE [URL]   schema dump -o FILE of $DB_URL (or URL)
#   ag_same WHAT A B     A and B must be the same file; the diff if not
#   ag_unnamed DUMP      a dump to compare with one of a database whose
#                  constraints have other names
#   ag_rc N        expect_rc N that also returns 1 when it failed, so that
#                  a step the rest depends on can stop the scenario
#   expect_any RE  stdout or stderr of the last run must match RE
#   step TEXT      name the step under way: failures print it
#   ag_case CASE   the round trip of tests/data/autogen/CASE (see there)
#   ag_cases       the cases that have a before.sql for the dialect
#   ag_scenario NAME FUNCTION [ARGS]   run FUNCTION as one scenario
#   ag_summary     print one PASS/FAIL line per scenario, with the first
#                  failure of each
#   ag_refusals    what autogenerate refuses (a scenario's function)
#
# Every migrator run is bounded by $AG_TMO seconds (default 120): a hang
# is exit 124.

. "$top_srcdir/tests/cli/lib.sh"
: "${SQLITE3:=sqlite3}" "${PSQL:=psql}" "${AG_TMO:=120}"
AG_DATA="$top_srcdir/tests/data/autogen"
CTX=
AG_SCENARIO=
AG_RESULTS=
AG_FIRST_FAIL=
DIALECT=

# lib.sh's fail, with the scenario and the step in front.
fail() {
    failures=$((failures + 1))
    printf 'FAIL: %s%s\n' "${CTX:+[$CTX] }" "$*"
    [ -z "$AG_SCENARIO" ] || [ -n "$AG_FIRST_FAIL" ] ||
        AG_FIRST_FAIL="$CTX: $*"
    printf -- '--- stdout\n'; head -n 60 "$T/out" 2>/dev/null
    printf -- '--- stderr\n'; head -n 60 "$T/err" 2>/dev/null
}

# lib.sh's run, bounded in time.
if command -v timeout >/dev/null 2>&1; then
    run() {
        printf '$ migrator %s\n' "$*"
        timeout -k 5 "$AG_TMO" "$MIGRATOR" "$@" >"$T/out" 2>"$T/err"
        rc=$?
    }
fi

step() {
    CTX="${AG_SCENARIO:+$AG_SCENARIO: }$*"
    printf '## %s\n' "$CTX"
}

ag_rc() {
    checks=$((checks + 1))
    [ "$rc" -eq "$1" ] && return 0
    fail "expected exit $1, got $rc"
    return 1
}

expect_any() {
    checks=$((checks + 1))
    cat "$T/out" "$T/err" | grep -Eq -- "$1" ||
        fail "neither stdout nor stderr matches /$1/"
}

# A failure of our own making (not of a migrator run): no output to show.
ag_fail() {
    : >"$T/out"
    : >"$T/err"
    fail "$@"
}

ag_check() { # ag_check WHAT CMD...: CMD must succeed
    what=$1
    shift
    checks=$((checks + 1))
    "$@" || ag_fail "$what"
}

ag_same() {
    checks=$((checks + 1))
    cmp -s "$2" "$3" && return 0
    ag_fail "$1"
    diff -u "$2" "$3" | head -n 80
    return 1
}

# --- dialects ---------------------------------------------------------------

ag_dialect() {
    DIALECT=$1
    case $1 in
    sqlite)
        command -v "$SQLITE3" >/dev/null 2>&1 || {
            printf 'SKIP: no %s\n' "$SQLITE3"
            return 77
        } ;;
    postgresql)
        [ -n "${SERVER:-}" ] && return 0
        PGDIR=$(mktemp -d /tmp/mgr-autogen-pg.XXXXXX) && rmdir "$PGDIR"
        CONNINFO=$(sh "$top_srcdir/tests/pg/pg_server.sh" start "$PGDIR")
        ag_st=$?
        [ "$ag_st" -eq 0 ] || return "$ag_st"
        trap 'sh "$top_srcdir/tests/pg/pg_server.sh" stop "$PGDIR" >/dev/null 2>&1' EXIT
        SERVER=${CONNINFO% dbname=*}
        PGHOSTPORT=${SERVER% user=*} ;;
    *)
        printf 'ag_dialect: no dialect %s\n' "$1" >&2
        exit 99 ;;
    esac
}

ag_db() {
    case $DIALECT in
    sqlite)
        mkdir -p "$T/db"
        DB_FILE="$T/db/$1.db"
        rm -f "$DB_FILE" "$DB_FILE"-*
        DB_URL="sqlite:///$DB_FILE" ;;
    postgresql)
        "$PSQL" -XAtq -v ON_ERROR_STOP=1 "$SERVER dbname=postgres" \
            -c "SET client_min_messages = warning" \
            -c "DROP DATABASE IF EXISTS \"$1\"" \
            -c "CREATE DATABASE \"$1\"" || exit 99
        DB_URL="$SERVER dbname=$1" ;;
    esac
}

# ag_use NAME: make the existing database NAME the current one.
ag_use() {
    case $DIALECT in
    sqlite)
        DB_FILE="$T/db/$1.db"
        DB_URL="sqlite:///$DB_FILE" ;;
    postgresql)
        DB_URL="$SERVER dbname=$1" ;;
    esac
}

ag_sql() {
    case $DIALECT in
    sqlite) "$SQLITE3" -batch -bail "$DB_FILE" <"$1" ;;
    postgresql) "$PSQL" -XAtq -v ON_ERROR_STOP=1 "$DB_URL" -f "$1" ;;
    esac
}

ag_q() {
    case $DIALECT in
    sqlite) "$SQLITE3" -batch -bail "$DB_FILE" "$1" ;;
    postgresql) "$PSQL" -XAtq -v ON_ERROR_STOP=1 "$DB_URL" -c "$1" ;;
    esac
}

ag_user_tables() {
    case $DIALECT in
    sqlite) ag_q "SELECT name FROM sqlite_master WHERE type = 'table'
                  AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'migrator_%'
                  ORDER BY name" ;;
    postgresql) ag_q "SELECT tablename FROM pg_tables
                      WHERE schemaname = current_schema()
                      AND tablename NOT LIKE 'migrator_%' ORDER BY 1" ;;
    esac
}

# --- projects ---------------------------------------------------------------

AG_NAMING='[naming_convention]
ix = ix_%%(column_0_label)s
uq = uq_%%(table_name)s_%%(column_0_name)s
ck = ck_%%(table_name)s_%%(constraint_name)s
fk = fk_%%(table_name)s_%%(column_0_name)s_%%(referred_table_name)s
pk = pk_%%(table_name)s'

ag_project() {
    P="$T/$1"
    rm -rf "$P"
    mkdir -p "$P/versions"
    ag_lines=${2-"schema_file = %(here)s/wanted.sql"}
    cat >"$P/migrator.ini" <<INI
[migrator]
script_location = %(here)s
version_locations = %(here)s/versions
database_url = $DB_URL
$ag_lines

$AG_NAMING
INI
    chmod 600 "$P/migrator.ini"
    INI="$P/migrator.ini"
    V="$P/versions"
}

# ag_unnamed DUMP: the dump's lines without constraint names and trailing
# commas, sorted: the database names a constraint after.sql leaves
# unnamed, the script names it by [naming_convention], and the dump
# orders constraints by name.
ag_unnamed() {
    sed -e 's/CONSTRAINT "[^"]*"/CONSTRAINT _/g' \
        -e 's/CONSTRAINT [A-Za-z0-9_]* /CONSTRAINT _ /g' \
        -e 's/,$//' "$1" | LC_ALL=C sort
}

ag_nscripts() {
    ls "$V" | wc -l | tr -d ' '
}

ag_autogen() {
    run -c "$INI" revision --autogenerate -m "$1"
    script=$(cat "$T/out" "$T/err" |
        sed -n 's/^Generating \(.*\) \.\.\. done$/\1/p' | head -n 1)
}

ag_dump() {
    run -c "$INI" --url "${2:-$DB_URL}" schema dump -o "$1"
    ag_rc 0 || return 1
    checks=$((checks + 1))
    [ -s "$1" ] || {
        ag_fail "schema dump -o wrote nothing to $1"
        return 1
    }
}

# --- scenarios --------------------------------------------------------------

ag_begin() {
    AG_SCENARIO="$1 [$DIALECT]"
    AG_FIRST_FAIL=
    CTX=$AG_SCENARIO
    printf '\n=== %s\n' "$AG_SCENARIO"
}

ag_end() {
    if [ -z "$AG_FIRST_FAIL" ]; then
        AG_RESULTS="${AG_RESULTS}PASS  $AG_SCENARIO
"
    else
        AG_RESULTS="${AG_RESULTS}FAIL  $AG_FIRST_FAIL
"
    fi
    AG_SCENARIO=
    CTX=
}

ag_summary() {
    printf '\n=== summary\n%s' "$AG_RESULTS"
}

# ag_file CASE NAME: the case's file NAME for the dialect: in its dialect
# folder, else in the case folder.
ag_file() {
    if [ -f "$AG_DATA/$1/$DIALECT/$2" ]; then
        printf '%s\n' "$AG_DATA/$1/$DIALECT/$2"
    elif [ -f "$AG_DATA/$1/$2" ]; then
        printf '%s\n' "$AG_DATA/$1/$2"
    else
        return 1
    fi
}

ag_cases() {
    for ag_d in "$AG_DATA"/*/; do
        ag_c=$(basename "$ag_d")
        ag_file "$ag_c" before.sql >/dev/null && printf '%s\n' "$ag_c"
    done
}

# The round trip of one case: before.sql is written by autogenerate and
# applied, rows go in, after.sql is written and applied, and back down and
# up again; see tests/data/autogen/README.
ag_case() {
    ag_scenario "$1" ag_round_trip "$1"
}

# ag_scenario NAME FUNCTION [ARGS]: one PASS or FAIL line in the summary.
ag_scenario() {
    ag_begin "$1"
    shift
    "$@"
    ag_end
}

ag_round_trip() {
    before=$(ag_file "$1" before.sql) && after=$(ag_file "$1" after.sql) || {
        ag_fail "no before.sql and after.sql for $DIALECT"
        return
    }
    data=$(ag_file "$1" data.sql) || data=
    query=$(ag_file "$1" query.sql) || query=
    want=$(ag_file "$1" query.out) || want=
    expect=$(ag_file "$1" expect) || expect=
    W="$T/$1.work"
    rm -rf "$W"
    mkdir -p "$W"

    step "the fixtures load by hand"
    ag_db "b_$1"
    ag_sql "$before" >"$W/load.out" 2>&1 || {
        ag_fail "before.sql does not load: $(cat "$W/load.out")"
        return
    }
    ag_db "f_$1"
    ag_sql "$after" >"$W/load.out" 2>&1 || {
        ag_fail "after.sql does not load: $(cat "$W/load.out")"
        return
    }
    fresh_url=$DB_URL
    ag_db "c_$1"
    ag_project "$1"
    cp "$before" "$P/wanted.sql"

    step "revision --autogenerate (before.sql, empty database)"
    ag_autogen before
    ag_rc 0 || return
    checks=$((checks + 1))
    [ -n "$script" ] && [ -f "$script" ] || {
        fail "no 'Generating PATH ... done', or no such file: '$script'"
        return
    }
    cp "$script" "$W/before.script"

    step "upgrade head (before)"
    run -c "$INI" upgrade head
    ag_rc 0 || return
    step "check (before)"
    run -c "$INI" check
    expect_rc 0
    step "schema dump (before): D1"
    ag_dump "$W/d1.sql" || return
    run -c "$INI" schema dump
    ag_rc 0 && ag_same "schema dump to stdout differs from -o FILE" \
        "$W/d1.sql" "$T/out"

    if [ -n "$data" ]; then
        step "rows in (data.sql)"
        ag_sql "$data" >"$W/data.out" 2>&1 || {
            ag_fail "data.sql: $(cat "$W/data.out")"
            return
        }
    fi

    step "revision --autogenerate (after.sql)"
    cp "$after" "$P/wanted.sql"
    n=$(ag_nscripts)
    ag_autogen after
    ag_rc 0 || return
    checks=$((checks + 1))
    [ -n "$script" ] && [ -f "$script" ] || {
        fail "no 'Generating PATH ... done', or no such file: '$script'"
        return
    }
    cp "$script" "$W/after.script"
    printf -- '--- the script\n'
    cat "$script"
    printf -- '--- end of the script\n'
    checks=$((checks + 1))
    [ "$(ag_nscripts)" -eq $((n + 1)) ] ||
        ag_fail "expected one new script in $V: $(ls "$V")"
    for ag_sec in upgrade downgrade; do
        checks=$((checks + 1))
        grep -q "^-- migrate:$ag_sec" "$script" ||
            ag_fail "no '-- migrate:$ag_sec' section in the script"
    done
    if [ -n "$expect" ]; then
        while IFS= read -r ag_re; do
            [ -n "$ag_re" ] || continue
            checks=$((checks + 1))
            grep -Eiq -- "$ag_re" "$script" ||
                ag_fail "the script has no line matching /$ag_re/ (expect)"
        done <"$expect"
    fi

    step "upgrade head (after)"
    run -c "$INI" upgrade head
    ag_rc 0 || return
    if [ -n "$query" ]; then
        step "the rows (query.sql)"
        if ! ag_sql "$query" >"$W/query.got" 2>"$W/query.err"; then
            ag_fail "query.sql failed: $(cat "$W/query.err")"
        elif [ -n "$want" ]; then
            ag_same "query.sql printed other rows than query.out" \
                "$want" "$W/query.got"
        fi
    fi
    step "check (after)"
    run -c "$INI" check
    expect_rc 0
    step "schema dump (after) equals a dump of after.sql loaded by hand"
    ag_dump "$W/d2.sql" || return
    if ag_fresh_differs=$(ag_file "$1" fresh.differs); then
        printf 'not compared: %s\n' "$(head -n 1 "$ag_fresh_differs")"
    elif ag_dump "$W/fresh.sql" "$fresh_url"; then
        ag_unnamed "$W/fresh.sql" >"$W/fresh.cmp"
        ag_unnamed "$W/d2.sql" >"$W/d2.cmp"
        ag_same "the migrated database dumps other than after.sql loaded (constraint names left out, lines sorted)" \
            "$W/fresh.cmp" "$W/d2.cmp"
    fi

    step "the dump loads into an empty database and dumps the same"
    ag_db "r_$1"
    if ag_sql "$W/d2.sql" >"$W/reload.out" 2>&1; then
        ag_dump "$W/d3.sql" && ag_same "the reloaded dump dumps otherwise" \
            "$W/d2.sql" "$W/d3.sql"
    else
        ag_fail "the dump does not load: $(cat "$W/reload.out")"
    fi
    checks=$((checks + 1))
    ! grep -Eiq 'migrator_(version|log|schema|lock)' "$W/d2.sql" ||
        ag_fail "the dump has migrator's own tables"
    ag_use "c_$1"

    step "downgrade -1: the dump equals D1"
    run -c "$INI" downgrade -1
    ag_rc 0 || return
    ag_dump "$W/d1b.sql" &&
        ag_same "after downgrade -1 the dump is not D1" "$W/d1.sql" \
            "$W/d1b.sql"
    step "check after downgrade -1 (not at head)"
    run -c "$INI" check
    expect_rc 1

    step "upgrade head again"
    run -c "$INI" upgrade head
    ag_rc 0 || return
    run -c "$INI" check
    expect_rc 0

    step "a second revision --autogenerate finds no changes"
    n=$(ag_nscripts)
    ag_autogen again
    expect_rc 0
    expect_out '^No changes in schema detected\.$'
    checks=$((checks + 1))
    [ "$(ag_nscripts)" -eq "$n" ] ||
        ag_fail "a script was written with no changes: $(ls "$V")"
}

# What autogenerate refuses, writing nothing: a database that is not at
# its heads, a schema_file that is missing or is not valid SQL.
ag_refusals() {
    ag_db refusals
    ag_project refusals
    printf 'CREATE TABLE a (id integer PRIMARY KEY);\n' >"$P/wanted.sql"
    step "autogenerate, then not upgraded: refused"
    ag_autogen one
    ag_rc 0 || return
    n=$(ag_nscripts)
    printf 'CREATE TABLE a (id integer PRIMARY KEY);\nCREATE TABLE b (id integer);\n' \
        >"$P/wanted.sql"
    ag_autogen two
    checks=$((checks + 1))
    [ "$rc" -ne 0 ] || fail "autogenerate ran on a database not at its heads"
    checks=$((checks + 1))
    [ "$(ag_nscripts)" -eq "$n" ] || ag_fail "a script was written: $(ls "$V")"

    run -c "$INI" upgrade head
    ag_rc 0 || return
    step "schema_file missing: exit 2"
    rm "$P/wanted.sql"
    ag_autogen three
    expect_rc 2
    expect_err 'wanted\.sql'
    checks=$((checks + 1))
    [ "$(ag_nscripts)" -eq "$n" ] || ag_fail "a script was written: $(ls "$V")"
    step "schema_file not valid SQL: exit 2, naming the file"
    printf 'CREATE TABLE a (id integer PRIMARY KEY);\nCREATE TABLE b (id integer,);\n' \
        >"$P/wanted.sql"
    ag_autogen four
    expect_rc 2
    expect_err 'wanted\.sql'
    checks=$((checks + 1))
    [ "$(ag_nscripts)" -eq "$n" ] || ag_fail "a script was written: $(ls "$V")"
    step "check with a schema_file that is not valid SQL: not 0"
    run -c "$INI" check
    checks=$((checks + 1))
    [ "$rc" -ne 0 ] || fail "check passed with a broken schema_file"
}
