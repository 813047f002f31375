# tests/cli/conformance_lib.sh: the verbs of the generated conformance.sh.
# The database is SQLite, or with MGR_TEST_DIALECT=postgresql a private
# PostgreSQL server that tests/pg/pg_server.sh starts for this run (one
# database per scenario).
#
#   scenario ID PER_MIGRATION   a fresh project and database
#   rev NNNN ID PARENTS EXTRA   a script NNNN_ID.sql logging up:/down:ID
#   sql TEXT                    run SQL directly (an odd state)
#   step RC ARGS...             run migrator ARGS; RC is Alembic's (0 ok,
#                               255 refused, 1 crashed): ours must be 0,
#                               or a clean 1/2 for both of the others
#   expect_ran "up:a down:b"    the scripts that ran in this step, in order
#   expect_rows "a b"           the version rows (sorted)
#   reset_rows "a b"            set the version rows
#   expect_text TEXT / expect_lines SORTED-TEXT   stdout

: "${SQLITE3:=sqlite3}"
DIALECT=${MGR_TEST_DIALECT:-sqlite}

if [ "$DIALECT" = postgresql ]; then
    PGDIR=$(mktemp -d /tmp/mgr-conformance.XXXXXX) && rmdir "$PGDIR"
    CONNINFO=$(sh "$top_srcdir/tests/pg/pg_server.sh" start "$PGDIR") || exit $?
    trap 'sh "$top_srcdir/tests/pg/pg_server.sh" stop "$PGDIR" >/dev/null 2>&1' EXIT
    SERVER=${CONNINFO% dbname=*}
fi

db_sql() {
    if [ "$DIALECT" = postgresql ]; then
        psql -XAtq -v ON_ERROR_STOP=1 "$PROJECT_URL" -c "$1"
    else
        "$SQLITE3" -batch "$DB" "$1"
    fi
}

scenario() {
    SC=$1
    if [ "$DIALECT" = postgresql ]; then
        db=$(printf 's_%s' "$SC" | tr 'A-Z' 'a-z')
        psql -XAtq "$SERVER dbname=postgres" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
        PROJECT_URL="$SERVER dbname=$db"
        logtable="CREATE TABLE log (seq serial PRIMARY KEY, what text)"
    else
        logtable="CREATE TABLE log (seq INTEGER PRIMARY KEY AUTOINCREMENT, what TEXT)"
    fi
    new_project "version_table = alembic_version
transaction_per_migration = $2"
    DB="$T/p/test.db"
    rm -f "$DB"
    db_sql "$logtable"
    LOGSEQ=0
    # Scripts that merge and revision write log like the others.
    cat >"$T/p/script.sql.tmpl" <<'TMPL'
-- ${message}
--
-- Revision ID: ${revision}
-- Revises: ${down_revision}
${branch_labels_line}${depends_on_line}
-- migrate:upgrade
INSERT INTO log (what) VALUES ('up:${revision}');

-- migrate:downgrade
INSERT INTO log (what) VALUES ('down:${revision}');
TMPL
}

rev() {
    {
        printf -- '-- rev %s\n--\n' "$2"
        printf -- '-- Revision ID: %s\n' "$2"
        printf -- '-- Revises: %s\n' "$3"
        [ -n "$4" ] && printf '%s\n' "$4"
        printf "\n-- migrate:upgrade\nINSERT INTO log (what) VALUES ('up:%s');\n" "$2"
        printf "\n-- migrate:downgrade\nINSERT INTO log (what) VALUES ('down:%s');\n" "$2"
    } >"$V/$1_$2.sql"
}

sql() {
    db_sql "$1"
}

# The next step's outcome depends on the order rows come back in.
row_order_dependent() {
    ROW_ORDER=next
}

step() {
    if [ "${ROW_ORDER:-0}" = next ]; then ROW_ORDER=1; else ROW_ORDER=0; fi
    want=$1
    shift
    STEP="$SC: migrator $*"
    run -c "$INI" "$@"
    checks=$((checks + 1))
    case $want:$rc in
    0:0 | 255:1 | 255:2 | 1:1 | 1:2) ;;
    # A row naming a revision no script defines is an integrity error.
    # So is a row below another one (an upgrade would skip what is between).
    255:4) grep -Eq 'no script defines it|version table is inconsistent' "$T/err" ||
        fail "$STEP: exit 4 without cause" ;;
    *) fail "$STEP: Alembic exits $want, migrator $rc" ;;
    esac
}

expect_ran() {
    got=$(db_sql "SELECT what FROM log WHERE seq > $LOGSEQ ORDER BY seq" | tr '\n' ' ')
    got=${got% }
    LOGSEQ=$(db_sql "SELECT coalesce(max(seq), 0) FROM log")
    checks=$((checks + 1))
    if [ "${ROW_ORDER:-0}" = 1 ] && [ "$DIALECT" != sqlite ]; then
        case $got in
        down:*" "*) fail "$STEP: ran '$got', expected one step down" ;;
        down:*) ;;
        *) fail "$STEP: ran '$got', expected one step down" ;;
        esac
        return
    fi
    [ "$got" = "$1" ] || fail "$STEP: ran '$got', expected '$1'"
}

expect_rows() {
    if [ "${ROW_ORDER:-0}" = 1 ] && [ "$DIALECT" != sqlite ]; then
        reset_rows "$1"
        return
    fi
    got=$(db_sql "SELECT version_num FROM alembic_version" 2>/dev/null | sort | tr '\n' ' ')
    got=${got% }
    checks=$((checks + 1))
    [ "$got" = "$1" ] || fail "$STEP: rows '$got', expected '$1'"
}

reset_rows() {
    db_sql "DELETE FROM alembic_version"
    for r in $1; do
        db_sql "INSERT INTO alembic_version VALUES ('$r')"
    done
}

expect_text() {
    printf '%s\n' "$1" >"$T/want"
    [ -n "$1" ] || : >"$T/want"
    checks=$((checks + 1))
    cmp -s "$T/want" "$T/out" || {
        fail "$STEP: output differs"
        diff -u "$T/want" "$T/out"
    }
}

expect_lines() {
    printf '%s\n' "$1" >"$T/want"
    [ -n "$1" ] || : >"$T/want"
    sort "$T/out" >"$T/got"
    checks=$((checks + 1))
    cmp -s "$T/want" "$T/got" || {
        fail "$STEP: output lines differ"
        diff -u "$T/want" "$T/got"
    }
}
