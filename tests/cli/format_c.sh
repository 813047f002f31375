#!/bin/sh
# Revision scripts in C (format/c) end to end: the real estate example's
# row-by-row price conversion on SQLite and on a private PostgreSQL server,
# compile errors and missing functions stopping a run before anything is
# sent, offline SQL, the build cache, `revision --format c`, and the trust
# checks made before a compiled script is loaded.
umask 022
. "$top_srcdir/tests/cli/lib.sh"
: "${SQLITE3:=sqlite3}"
unset MIGRATOR_CC MIGRATOR_CFLAGS MIGRATOR_C_CACHE_DIR DATABASE_URL

# ---- the real estate example, on the database that db_sql reaches ------

# A fresh copy of the example, so that its build cache stays here.
copy_example() {
    rm -rf "$T/re"
    mkdir -p "$T/re"
    cp "$top_srcdir/migrations/examples/realestate/migrator.ini" "$T/re/"
    cp -R "$top_srcdir/migrations/examples/realestate/versions" "$T/re/"
    chmod -R u+w "$T/re"
    RE="$T/re/migrator.ini"
}

prices() {
    db_sql "SELECT id, CAST(purchase_price * 100 AS integer) FROM properties ORDER BY id" | tr '\n' ' '
}

legacy() {
    db_sql "SELECT id, legacy_price FROM properties ORDER BY id" | tr '\n' ' '
}

realestate() {
    what=$1
    copy_example
    run -c "$RE" upgrade e5f7a9b1c3d5
    expect_rc 0
    # Inserted after the SQL conversion: only the C script sets prices.
    db_sql "INSERT INTO properties (id, name, address, legacy_price) VALUES
        (1, 'Elm Court', '1 Elm St', '1,250,000.00'),
        (2, 'Oak Plaza', '2 Oak St', NULL),
        (3, 'Pine Lofts', '3 Pine St', ''),
        (4, 'Birch Row', '4 Birch St', '  980,000.5 '),
        (5, 'Ash House', '5 Ash St', '12 500'),
        (6, 'Yew Villas', '6 Yew St', '   ')"
    run -v -c "$RE" upgrade head
    expect_rc 0
    expect_err 'Running upgrade e5f7a9b1c3d5 -> f6a8b0c2d4e6, parse legacy_price row by row'
    expect_err '0008_f6a8b0c2d4e6_parse_legacy_price\.c:[0-9]+: 3 prices read, 3 empty'
    run -c "$RE" current
    expect_out_eq 'f6a8b0c2d4e6 (head)'
    expect_eq "$what: prices after upgrade" "$(prices)" \
        "1|125000000 2| 3| 4|98000050 5|1250000 6| "

    # The downgrade writes the text back from purchase_price.
    db_sql "UPDATE properties SET legacy_price = 'gone' WHERE purchase_price IS NOT NULL"
    run -c "$RE" downgrade -1
    expect_rc 0
    expect_eq "$what: legacy text after downgrade" "$(legacy)" \
        "1|1,250,000.00 2| 3| 4|980,000.50 5|12,500.00 6|    "

    # A price that does not read: the step fails naming the row, and the
    # rows it had converted are rolled back with it.
    db_sql "UPDATE properties SET purchase_price = NULL"
    db_sql "INSERT INTO properties (id, name, address, legacy_price) VALUES (7, 'Fir Hall', '7 Fir St', '12abc')"
    before=$(db_sql "SELECT * FROM properties ORDER BY id")
    run -c "$RE" upgrade head
    expect_rc 1
    expect_err "0008_f6a8b0c2d4e6_parse_legacy_price\.c:[0-9]+: property 7: legacy_price '12abc' is not a price"
    expect_eq "$what: table after the failed step" \
        "$(db_sql "SELECT * FROM properties ORDER BY id")" "$before"
    run -c "$RE" current
    expect_out_eq 'e5f7a9b1c3d5'
    db_sql "UPDATE properties SET legacy_price = '12.00' WHERE id = 7"
    run -c "$RE" upgrade head
    expect_rc 0
    expect_eq "$what: prices after the fix" "$(prices)" \
        "1|125000000 2| 3| 4|98000050 5|1250000 6| 7|1200 "
}

DB="$T/re.db"
db_sql() {
    "$SQLITE3" -batch "$DB" "$1"
}
DATABASE_URL="sqlite:///$DB"
export DATABASE_URL
realestate sqlite
# The cache sits beside the scripts, private to the user.
checks=$((checks + 1))
[ "$(stat -c %a "$T/re/versions/.migrator-cache")" = 700 ] ||
    fail "cache directory mode $(stat -c %a "$T/re/versions/.migrator-cache")"
checks=$((checks + 1))
ls "$T/re/versions/.migrator-cache/" | grep -Eq '^0008_f6a8b0c2d4e6_parse_legacy_price-[0-9a-f]{32}\.so$' ||
    fail "no module in the cache: $(ls -A "$T/re/versions/.migrator-cache")"

PGDIR=$(mktemp -d /tmp/mgr-format-c.XXXXXX) && rmdir "$PGDIR"
CONNINFO=$(sh "$top_srcdir/tests/pg/pg_server.sh" start "$PGDIR")
pgrc=$?
if [ $pgrc -eq 0 ]; then
    trap 'sh "$top_srcdir/tests/pg/pg_server.sh" stop "$PGDIR" >/dev/null 2>&1' EXIT
    SERVER=${CONNINFO% dbname=*}
    psql -XAtq "$SERVER dbname=postgres" -c "CREATE DATABASE realestate"
    DATABASE_URL="$SERVER dbname=realestate"
    db_sql() {
        psql -XAtq -v ON_ERROR_STOP=1 "$DATABASE_URL" -c "$1"
    }
    realestate postgresql
elif [ $pgrc -eq 77 ]; then
    printf 'SKIP: the PostgreSQL half (no server binaries)\n'
else
    fail "the PostgreSQL test server did not start (exit $pgrc)"
fi
unset DATABASE_URL

# ---- small projects on SQLite --------------------------------------------

db_sql() {
    "$SQLITE3" -batch "$T/p/test.db" "$1"
}

# The tables of the project's database, sorted, on one line.
tables() {
    [ -f "$T/p/test.db" ] || return 0
    db_sql "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name" | tr '\n' ' '
}

# What the runs applied: the scripts' tables and the version rows (the
# version table itself may be there, empty).
applied() {
    tables | sed 's/migrator_log //; s/migrator_version //'
    case " $(tables)" in
    *" migrator_version "*) db_sql "SELECT version_num FROM migrator_version" ;;
    esac
}

# c_rev FILE ID PARENTS: a C script; its body comes on stdin.
c_rev() {
    {
        printf '/* revision %s\n *\n * Revision ID: %s\n * Revises: %s\n */\n' \
            "$2" "$2" "$3"
        printf '#include <migrator/script.h>\n'
        cat
    } >"$V/$1"
}

# A compile error: exit 2 with the compiler's file:line message, and
# nothing sent (the SQL revision before it did not run either).
new_project
write_rev "$V" 0001_a1.sql a1 ''
sed -i 's/^INSERT INTO log.*up:a1.*/CREATE TABLE t1 (x integer);/' "$V/0001_a1.sql"
c_rev 0002_b2.c b2 a1 <<'EOF'
int mgr_script_upgrade(struct mgr_script *s)
{
    return mgr_script_exec(s, "SELECT 1")
}
int mgr_script_downgrade(struct mgr_script *s) { (void)s; return 0; }
EOF
run -c "$INI" upgrade head
expect_rc 2
expect_err "cannot compile '$V/0002_b2\.c'"
expect_err "0002_b2\.c:(9|10):[0-9]+: error"
expect_eq "applied after a compile error" "$(applied)" ""

# A script without its downgrade function: exit 2 naming the symbol.
c_rev 0002_b2.c b2 a1 <<'EOF'
int mgr_script_upgrade(struct mgr_script *s) { (void)s; return 0; }
EOF
run -c "$INI" upgrade head
expect_rc 2
expect_err "0002_b2\.c: 'mgr_script_downgrade' is not defined"
expect_eq "applied after a missing function" "$(applied)" ""

# Offline: a script's statements appear in place, between its
# neighbours, parameters as literals.
c_rev 0002_b2.c b2 a1 <<'EOF'
int mgr_script_upgrade(struct mgr_script *s)
{
    const char *p[] = { "it's", NULL };
    int rc = mgr_script_exec(s, "CREATE TABLE t2 (a text, b text)");
    if (rc == 0)
        rc = mgr_script_exec_params(s, "INSERT INTO t2 VALUES ($1, $2)",
                                    2, p);
    return rc;
}
int mgr_script_downgrade(struct mgr_script *s)
{
    return mgr_script_exec(s, "DROP TABLE t2");
}
EOF
write_rev "$V" 0003_c3.sql c3 b2
cat >"$T/cc-wrap" <<EOF
#!/bin/sh
echo run >>"$T/cc.log"
exec cc "\$@"
EOF
chmod 755 "$T/cc-wrap"
run -c "$INI" -x c_compiler="$T/cc-wrap" upgrade a1:c3 --sql
expect_rc 0
checks=$((checks + 1))
awk '/^-- Running upgrade a1 -> b2/ { s = 1 }
     s == 1 && /^CREATE TABLE t2 \(a text, b text\);$/ { s = 2 }
     s == 2 && /^INSERT INTO t2 VALUES \('\''it'\'''\''s'\'', NULL\);$/ { s = 3 }
     s == 3 && /^-- Running upgrade b2 -> c3/ { s = 4 }
     s == 4 && /up:c3/ { s = 5 }
     END { exit s != 5 }' "$T/out" ||
    fail "offline SQL lacks the C script's statements in place"
expect_eq "applied after offline" "$(applied)" ""

# The cache: the same script is not compiled again; an edit rebuilds it
# and the old module goes.
run -c "$INI" -x c_compiler="$T/cc-wrap" upgrade a1:c3 --sql
expect_rc 0
expect_eq "compiler runs for an unchanged script" "$(wc -l <"$T/cc.log")" 1
printf '/* edited */\n' >>"$V/0002_b2.c"
run -c "$INI" -x c_compiler="$T/cc-wrap" upgrade a1:c3 --sql
expect_rc 0
expect_eq "compiler runs after an edit" "$(wc -l <"$T/cc.log")" 2
expect_eq "modules in the cache" "$(ls "$V/.migrator-cache" | grep -c '\.so$')" 1

# Online with the same script, then back.
db_sql "CREATE TABLE log (what text)"
run -c "$INI" upgrade head
expect_rc 0
expect_eq "rows written by the C script" "$(db_sql "SELECT a || '|' || coalesce(b, 'NULL') FROM t2")" "it's|NULL"
run -c "$INI" downgrade a1
expect_rc 0
expect_eq "tables after downgrade" "$(tables)" \
    "log migrator_formats migrator_log migrator_schema migrator_version t1 "

# A script that queries cannot run offline.
c_rev 0004_d4.c d4 c3 <<'EOF'
int mgr_script_upgrade(struct mgr_script *s)
{
    struct mgr_result *r;
    int rc = mgr_script_query(s, "SELECT count(*) FROM t2", 0, NULL, &r);
    mgr_result_free(r);
    return rc;
}
int mgr_script_downgrade(struct mgr_script *s) { (void)s; return 0; }
EOF
run -c "$INI" upgrade c3:d4 --sql
expect_rc 2
expect_err "0004_d4\.c:10: this query needs a live connection; offline \(--sql\) mode cannot run it"

# A non-zero return fails the step, which is rolled back.
c_rev 0004_d4.c d4 c3 <<'EOF'
int mgr_script_upgrade(struct mgr_script *s)
{
    mgr_script_exec(s, "CREATE TABLE t4 (x integer)");
    return 3;
}
int mgr_script_downgrade(struct mgr_script *s) { (void)s; return 0; }
EOF
run -c "$INI" upgrade c3
expect_rc 0
run -c "$INI" upgrade head
expect_rc 1
expect_err "upgrade of '$V/0004_d4\.c' returned 3"
run -c "$INI" current
expect_out_eq 'c3'
expect_eq "table of a failed step" "$(db_sql "SELECT count(*) FROM sqlite_master WHERE name = 't4'")" 0

# migrator revision --format c: a script that compiles and runs as is.
rm "$V/0004_d4.c"
run -c "$INI" revision --format c -m "add leases" --rev-id e5 --branch-label leasing
expect_rc 0
expect_out "Generating $V/e5_add_leases\.c \.\.\. done"
checks=$((checks + 1))
grep -q '^ \* Revises: c3$' "$V/e5_add_leases.c" ||
    fail "the new C script does not revise c3"
run -c "$INI" heads
expect_out_eq 'e5 (leasing) (head)'
run -c "$INI" upgrade head
expect_rc 0
run -c "$INI" current
expect_out '^e5 .*\(head\)$'
run -c "$INI" revision --format nosuch -m "x"
expect_rc 2
expect_err "no template for --format nosuch"
run -c "$INI" revision --format 'c/../x' -m "x"
expect_rc 2

# ---- trust: a group-writable versions directory (reliability #54a) ------
# The script is refused before anything is compiled (c_trust.sh has more).

new_project
c_rev 0001_a1.c a1 '' <<EOF
#include <stdio.h>
__attribute__((constructor)) static void mark(void)
{
    FILE *f = fopen("$T/PWNED", "w");
    if (f)
        fclose(f);
}
int mgr_script_upgrade(struct mgr_script *s) { (void)s; return 0; }
int mgr_script_downgrade(struct mgr_script *s) { (void)s; return 0; }
EOF
chmod g+w "$V"
run -c "$INI" upgrade head
expect_rc 6
expect_err "refusing to load '$V/0001_a1\.c': directory '$V' is writable by group or others"
checks=$((checks + 1))
[ ! -e "$V/.migrator-cache" ] || fail "a script refused was compiled"
checks=$((checks + 1))
[ ! -e "$T/PWNED" ] || fail "the module was loaded: its constructor ran"
chmod g-w "$V"
run -c "$INI" upgrade head
expect_rc 0
checks=$((checks + 1))
[ -e "$T/PWNED" ] || fail "a trusted module did not load"

finish
