#!/bin/sh
# Bad input end to end: malformed headers, duplicate ids, cycles, dangling
# parents, empty and section-less scripts, broken encodings, huge scripts
# under a memory limit, the statement splitter's corners, runtime errors
# that must not be swallowed, broken migrator.ini files and plugin files
# that are not shared objects. Numbers are those of the reliability plan.
. "$top_srcdir/tests/cli/lib.sh"
: "${SQLITE3:=sqlite3}"
: "${TEST_PLUGINDIR:?}"

check() { checks=$((checks + 1)); }
DB="$T/p/test.db"
# q SQL: query the database; nothing (and no file created) when it does
# not exist.
q() { [ ! -e "$DB" ] || "$SQLITE3" -batch "$DB" "$1" 2>/dev/null; }
# vrows: the number of version rows, 0 without a database or table.
vrows() {
    n=$(q 'SELECT count(*) FROM migrator_version')
    echo "${n:-0}"
}

# no_db WHAT: the database file was not created (no connection was made).
no_db() {
    check
    [ ! -e "$DB" ] || fail "$1: the database file was created"
}

# hdr FILE HEADER-LINES...: a script with the given header lines (one per
# argument) from line 3, a blank line, and an upgrade and a downgrade of
# table t_<file name without .sql>.
hdr() {
    f=$1
    shift
    t=t_$(basename "$f" .sql)
    {
        printf -- '-- a revision\n--\n'
        for l in "$@"; do
            printf -- '%s\n' "$l"
        done
        printf '\n-- migrate:upgrade\nCREATE TABLE %s (x integer);\n' "$t"
        printf '\n-- migrate:downgrade\nDROP TABLE %s;\n' "$t"
    } >"$V/$f"
}

# refused WHAT REGEX: 'heads' and 'upgrade head' both exit 2 with REGEX on
# stderr, and no database file appears.
refused() {
    run -c "$INI" heads
    expect_rc 2
    expect_err "$2"
    run -c "$INI" upgrade head
    expect_rc 2
    expect_err "$2"
    no_db "$1"
}

# ---- #34: malformed headers -----------------------------------------------

printf '# 34: malformed headers\n'
new_project
hdr 1.sql '-- Revision ID: r1' '-- Revises:'
hdr 2.sql '-- Revises: r1'
refused '#34 no id' "^migrator: error: .*/versions/2\.sql(:[0-9]+)?: no 'Revision ID' in the header; add '-- Revision ID: <id>'$"
hdr 2.sql '-- Revision ID: a/b' '-- Revises: r1'
refused '#34 a/b' "^migrator: error: .*/versions/2\.sql:3: 'a/b' in 'Revision ID' is not a valid revision id; use only letters, digits and '_'$"
hdr 2.sql '-- Revision ID: r2 r3' '-- Revises: r1'
refused '#34 space' "/versions/2\.sql:3: 'r2 r3' in 'Revision ID' is not a valid revision id"
hdr 2.sql '-- Revision ID: ré' '-- Revises: r1'
refused '#34 non-ASCII' "/versions/2\.sql:3: 'ré' in 'Revision ID' is not a valid revision id"
hdr 2.sql "-- Revision ID: $(printf '%033d' 2)" '-- Revises: r1'
refused '#34 33 chars' "/versions/2\.sql:3: '0{32}2' in 'Revision ID' is 33 characters long; a revision id has at most 32$"
hdr 2.sql '-- Revision ID:' '-- Revises: r1'
refused '#34 empty id' "/versions/2\.sql:3: 'Revision ID' is empty"
hdr 2.sql '-- Revision ID: r2' '-- Revision ID: r3' '-- Revises: r1'
refused '#34 twice' "/versions/2\.sql:4: 'Revision ID' given twice \(first on line 3\)$"
hdr 2.sql '-- Revision ID: r2' '-- Revises: r1;r0'
refused '#34 bad parent' "/versions/2\.sql:4: 'r1;r0' in 'Revises' is not a valid revision id"
hdr 2.sql '-- Revision ID: r2' '-- Revises: r1,'
refused '#34 empty parent' "/versions/2\.sql:4: empty entry in 'Revises'"
hdr 2.sql '-- Revision ID: r2' '-- Revises: r1' '-- Branch Labels: a b'
refused '#34 bad label' "/versions/2\.sql:5: 'a b' in 'Branch Labels' is not a valid branch label"
# A 32-character id is the longest allowed.
hdr 2.sql "-- Revision ID: $(printf '%032d' 2)" '-- Revises: r1'
run -c "$INI" heads
expect_rc 0
expect_out_eq "$(printf '%032d' 2) (head)"
# A misspelt section option is an error (headers alone still load), and
# it is found before the database is opened.
hdr 2.sql '-- Revision ID: r2' '-- Revises: r1'
sed 's/^-- migrate:upgrade$/-- migrate:upgrade transactoin=false/' \
    "$V/2.sql" >"$T/x" && mv "$T/x" "$V/2.sql"
run -c "$INI" upgrade head
expect_rc 2
expect_err "/versions/2\.sql:6: unknown section option 'transactoin=false'; the only option is 'transaction=false'$"
check
[ "$(vrows)" = 0 ] || fail "#34: r1 applied by a run that exited 2"
sed 's/transactoin=false/transaction=maybe/' "$V/2.sql" >"$T/x" &&
    mv "$T/x" "$V/2.sql"
run -c "$INI" upgrade head
expect_rc 2
expect_err "/versions/2\.sql:6: bad value 'maybe' for section option 'transaction'; use 'true' or 'false'$"
check
[ "$(vrows)" = 0 ] || fail "#34: r1 applied by a run that exited 2"
# Unknown header keys are ignored (DESIGN.md, "Unknown keys are ignored").
hdr 2.sql '-- Revision ID: r2' '-- Revises: r1' '-- Transactionl: false'
run -c "$INI" upgrade head
expect_rc 0
check
[ "$(q 'SELECT version_num FROM migrator_version')" = r2 ] ||
    fail "#34: an unknown header key stopped the upgrade"

# ---- #35: duplicate revision ids ------------------------------------------

printf '# 35: duplicate revision ids\n'
new_project
hdr x1.sql '-- Revision ID: a1b2c3d4e5f6' '-- Revises:'
hdr x2.sql '-- Revision ID: a1b2c3d4e5f6' '-- Revises:'
refused '#35' "^migrator: error: .*/versions/x2\.sql:3: duplicate revision id 'a1b2c3d4e5f6' \(also in .*/versions/x1\.sql:3\); give one of them a new id$"
# Across two version locations.
rm "$V/x2.sql"
mkdir "$T/p/more"
hdr x1.sql '-- Revision ID: a1b2c3d4e5f6' '-- Revises:'
cp "$V/x1.sql" "$T/p/more/x0.sql"
sed 's|^version_locations = .*|& %(here)s/more|' "$INI" >"$T/x" &&
    mv "$T/x" "$INI" && chmod 600 "$INI"
refused '#35 two locations' "duplicate revision id 'a1b2c3d4e5f6' \(also in .*/(versions/x1|more/x0)\.sql:3\)"
expect_err "/(versions/x1|more/x0)\.sql:3: duplicate"

# ---- #36: cycles, self-loops, and ids that are substrings -----------------

printf '# 36: cycles and self-loops\n'
new_project
hdr a.sql '-- Revision ID: A' '-- Revises: B'
hdr b.sql '-- Revision ID: B' '-- Revises: A'
refused '#36 A->B->A' "^migrator: error: cycle in revisions: 'A' \(.*/versions/a\.sql:3\) -> 'B' \(.*/versions/b\.sql:3\) -> 'A'$"
rm "$V/b.sql"
hdr a.sql '-- Revision ID: A' '-- Revises: A'
refused '#36 self' "/versions/a\.sql:3: revision 'A' revises itself"
hdr r.sql '-- Revision ID: R' '-- Revises:'
hdr a.sql '-- Revision ID: A' '-- Revises: R'
hdr b.sql '-- Revision ID: B' '-- Revises: A, C'
hdr c.sql '-- Revision ID: C' '-- Revises: B'
refused '#36 B->C->B' "cycle in revisions: 'B' \(.*/versions/b\.sql:3\) -> 'C' \(.*/versions/c\.sql:3\) -> 'B'$"
rm "$V"/*
hdr a.sql '-- Revision ID: A' '-- Revises:' '-- Depends On: B'
hdr b.sql '-- Revision ID: B' '-- Revises: A'
refused '#36 depends_on' "dependency cycle in revisions: 'A' \(.*/versions/a\.sql:3\) -> 'B' \(.*/versions/b\.sql:3\) -> 'A'$"

printf '# 36: an id that is a substring of its parent or child is valid\n'
new_project
hdr 1.sql '-- Revision ID: abcdef' '-- Revises:'
hdr 2.sql '-- Revision ID: abc' '-- Revises: abcdef'
hdr 3.sql '-- Revision ID: skeleton_user' '-- Revises: abc'
hdr 4.sql '-- Revision ID: skeleton_user_v2' '-- Revises: skeleton_user'
run -c "$INI" heads
expect_rc 0
expect_out_eq 'skeleton_user_v2 (head)'
run -c "$INI" upgrade head
expect_rc 0
expect_err '^Running upgrade abcdef -> abc, '
expect_err '^Running upgrade skeleton_user -> skeleton_user_v2, '
run -c "$INI" downgrade abc
expect_rc 0
run -c "$INI" current
expect_out_eq 'abc'
run -c "$INI" upgrade skeleton_user
expect_rc 0
run -c "$INI" current
expect_out_eq 'skeleton_user'
run -c "$INI" downgrade abcdef
expect_rc 0
run -c "$INI" current
expect_out_eq 'abcdef'
check
[ "$(q "SELECT name FROM sqlite_master WHERE name GLOB 't_[0-9]'")" = t_1 ] ||
    fail "#36: the tables do not follow the revisions"
run -c "$INI" upgrade head
expect_rc 0
run -c "$INI" current
expect_out_eq 'skeleton_user_v2 (head)'

# ---- #37: dangling parents and dependencies -------------------------------

printf '# 37: dangling parents and dependencies\n'
new_project
hdr 1.sql '-- Revision ID: r1' '-- Revises:'
hdr r5.sql '-- Revision ID: r5' '-- Revises: zzz'
refused '#37 parent' "/versions/r5\.sql:[0-9]+: revision 'r5' revises 'zzz', which is not present$"
hdr r5.sql '-- Revision ID: r5' '-- Revises: r1, zzz'
refused '#37 merge parent' "/versions/r5\.sql:[0-9]+: revision 'r5' revises 'zzz', which is not present$"
hdr r5.sql '-- Revision ID: r5' '-- Revises: r1' '-- Depends On: zzz'
refused '#37 depends_on' "/versions/r5\.sql:[0-9]+: revision 'r5' depends on 'zzz', which is not a revision id or branch label$"

# ---- #38: empty and section-less scripts ----------------------------------

printf '# 38: empty and section-less scripts\n'
new_project
hdr 1.sql '-- Revision ID: r1' '-- Revises:'
: >"$V/2.sql"
refused '#38 empty file' "/versions/2\.sql(:[0-9]+)?: no 'Revision ID' in the header"
printf -- '-- only comments\n-- here\n\n' >"$V/2.sql"
refused '#38 comments' "/versions/2\.sql(:[0-9]+)?: no 'Revision ID' in the header"
printf -- '-- only comments\n\n/* and a block */\n' >"$V/2.sql"
refused '#38 block comment' "/versions/2\.sql:3: text outside a section; statements go after '-- migrate:upgrade'$"
# A header and nothing else: it loads, but cannot be run.
printf -- '-- header only\n--\n-- Revision ID: r2\n-- Revises: r1\n' \
    >"$V/2.sql"
run -c "$INI" heads
expect_rc 0
expect_out_eq 'r2 (head)'
run -c "$INI" upgrade head
expect_rc 2
expect_err "/versions/2\.sql: no upgrade section"
# Statements before any marker.
rm -f "$DB"
cat >"$V/2.sql" <<'SQL'
-- no marker
--
-- Revision ID: r2
-- Revises: r1

CREATE TABLE t2 (x integer);
SQL
refused '#38 no marker' "/versions/2\.sql:6: text outside a section; statements go after '-- migrate:upgrade'$"
# Only a downgrade section.
cat >"$V/2.sql" <<'SQL'
-- down only
--
-- Revision ID: r2
-- Revises: r1

-- migrate:downgrade
SELECT 1;
SQL
rm -f "$DB"
run -c "$INI" upgrade head
expect_rc 2
expect_err "/versions/2\.sql: no upgrade section"
check
[ "$(vrows)" = 0 ] || fail "#38: r1 was applied by a run that exited 2"
# Empty sections (markers, comments, no statement) run as no-ops.
cat >"$V/2.sql" <<'SQL'
-- empty
--
-- Revision ID: r2
-- Revises: r1

-- migrate:upgrade
-- nothing

-- migrate:downgrade
SQL
rm -f "$DB"
run -c "$INI" upgrade head
expect_rc 0
check
[ "$(q 'SELECT version_num FROM migrator_version')" = r2 ] ||
    fail "#38: an empty upgrade section was not recorded"
run -c "$INI" downgrade r1
expect_rc 0
# No downgrade section: upgrade works, a downgrade across it exits 2 and
# changes nothing.
cat >"$V/2.sql" <<'SQL'
-- up only
--
-- Revision ID: r2
-- Revises: r1

-- migrate:upgrade
CREATE TABLE t2 (x integer);
SQL
rm -f "$DB"
run -c "$INI" upgrade head
expect_rc 0
run -c "$INI" downgrade r1
expect_rc 2
expect_err "^migrator: error: .*/versions/2\.sql: no downgrade section$"
check
[ "$(q 'SELECT version_num FROM migrator_version')" = r2 ] ||
    fail "#38: a refused downgrade moved the version row"
check
[ -n "$(q "SELECT name FROM sqlite_master WHERE name = 't2'")" ] ||
    fail "#38: a refused downgrade dropped a table"
run -c "$INI" downgrade --sql r2:r1
expect_rc 2
expect_err "/versions/2\.sql: no downgrade section"

# ---- #39: encodings -------------------------------------------------------

printf '# 39: invalid UTF-8, NUL bytes, byte order marks\n'
new_project
# with_byte OCTAL FILE: stdin to FILE, each '@' replaced by the byte.
with_byte() { tr '@' "\\$1" >"$V/$2"; }
# C3 28 at line 9, column 14.
with_byte 303 1.sql <<'SQL'
-- bad bytes
--
-- Revision ID: r1
-- Revises:

-- migrate:upgrade
CREATE TABLE t (x text);
INSERT INTO t VALUES (1);
SELECT 'abcde@(';

-- migrate:downgrade
DROP TABLE t;
SQL
run -c "$INI" heads
expect_rc 0
for cmd in 'upgrade head' 'upgrade --sql head'; do
    # shellcheck disable=SC2086
    run -c "$INI" $cmd
    expect_rc 2
    expect_err "^migrator: error: .*/versions/1\.sql:9:14: invalid UTF-8$"
done
check
[ -z "$(q "SELECT name FROM sqlite_master WHERE name = 't'")" ] ||
    fail "#39: a statement ran before the invalid UTF-8 was found"
check
[ "$(vrows)" = 0 ] || fail "#39: a revision was recorded"
# In the header: found while loading, before any connection.
rm -f "$DB"
with_byte 351 1.sql <<'SQL'
-- caf@
--
-- Revision ID: r1
-- Revises:

-- migrate:upgrade
SELECT 1;
SQL
refused '#39 header' "/versions/1\.sql:1:7: invalid UTF-8$"
# A NUL byte on line 3 (header) and on line 8 (body).
with_byte 000 1.sql <<'SQL'
-- nul
--
-- Revision@ ID: r1
-- Revises:

-- migrate:upgrade
SELECT 1;
SQL
refused '#39 NUL header' "/versions/1\.sql:3: NUL byte$"
with_byte 000 1.sql <<'SQL'
-- nul
--
-- Revision ID: r1
-- Revises:

-- migrate:upgrade
CREATE TABLE t (x);
SELECT 1@;
SQL
run -c "$INI" upgrade head
expect_rc 2
expect_err "/versions/1\.sql:8: NUL byte$"
check
[ -z "$(q "SELECT name FROM sqlite_master WHERE name = 't'")" ] ||
    fail "#39: a statement ran before the NUL byte was found"
# A BOM at offset 0 is skipped and does not change the checksum; CRLF
# line ends (added on top of the BOM) neither.
cat >"$V/1.sql" <<'SQL'
-- bom
--
-- Revision ID: r1
-- Revises:

-- migrate:upgrade
CREATE TABLE b (x);

-- migrate:downgrade
DROP TABLE b;
SQL
rm -f "$DB"
run -c "$INI" upgrade head
expect_rc 0
plain=$(q 'SELECT checksum FROM migrator_log')
for form in bom crlf; do
    if [ $form = bom ]; then
        printf '\357\273\277' | cat - "$V/1.sql" >"$T/x"
    else
        sed 's/$/\r/' "$V/1.sql" >"$T/x"
    fi
    mv "$T/x" "$V/1.sql"
    rm -f "$DB"
    run -c "$INI" upgrade head
    expect_rc 0
    check
    [ -n "$(q "SELECT name FROM sqlite_master WHERE name = 'b'")" ] ||
        fail "#39: the $form script did not run"
    check
    [ "$(q 'SELECT checksum FROM migrator_log')" = "$plain" ] ||
        fail "#39: the $form changed the checksum"
done
# A BOM in migrator.ini.
printf '\357\273\277' | cat - "$INI" >"$T/x" && mv "$T/x" "$INI" &&
    chmod 600 "$INI"
run -c "$INI" current
expect_rc 0
expect_out_eq 'r1 (head)'

# ---- #40: huge inputs under a 1 GiB address space limit ------------------

printf '# 40: huge scripts under ulimit -v 1048576\n'
# big_run: upgrade head under the limit; sets rc. AddressSanitizer
# reserves terabytes of address space for its shadow memory, so a
# sanitizer build runs without the limit (the row counts still count).
big_run() {
    if [ "${MGR_SANITIZERS:-no}" = yes ]; then
        printf '$ migrator upgrade head   (sanitizer build: no ulimit -v)\n'
        "$MIGRATOR" -c "$INI" upgrade head >"$T/out" 2>"$T/err"
        rc=$?
        return
    fi
    printf '$ (ulimit -v 1048576; migrator upgrade head)\n'
    (ulimit -v 1048576 && exec "$MIGRATOR" -c "$INI" upgrade head) \
        >"$T/out" 2>"$T/err"
    rc=$?
}
new_project
# (a) one INSERT of 65536 rows of 1000 characters: 64 MiB on one line.
{
    printf -- '-- 64 MiB\n--\n-- Revision ID: r1\n-- Revises:\n\n'
    printf -- '-- migrate:upgrade\nCREATE TABLE big (n integer, s text);\n'
    awk 'BEGIN {
        s = sprintf("%1000s", ""); gsub(/ /, "x", s)
        printf "INSERT INTO big VALUES "
        for (i = 1; i <= 65536; i++)
            printf "%s(%d,\047%s\047)", (i > 1 ? "," : ""), i, s
        printf ";\n"
    }'
    printf -- '\n-- migrate:downgrade\nDROP TABLE big;\n'
} >"$V/1.sql"
big_run
expect_rc 0
check
[ "$(q 'SELECT count(*), sum(n), sum(length(s)) FROM big')" = \
    "65536|2147516416|65536000" ] || fail "#40: the 64 MiB INSERT was cut"
# (b) 200000 small statements.
{
    printf -- '-- many\n--\n-- Revision ID: r2\n-- Revises: r1\n\n'
    printf -- '-- migrate:upgrade\nCREATE TABLE small (n integer);\n'
    awk 'BEGIN {
        for (i = 1; i <= 200000; i++)
            printf "INSERT INTO small VALUES (%d);\n", i
    }'
    printf -- '\n-- migrate:downgrade\nDROP TABLE small;\n'
} >"$V/2.sql"
big_run
expect_rc 0
check
[ "$(q 'SELECT count(*), sum(n) FROM small')" = "200000|20000100000" ] ||
    fail "#40: statements of the 200000 were lost"
# (c) 1 MiB of comment on one line, then a statement.
{
    printf -- '-- comment\n--\n-- Revision ID: r3\n-- Revises: r2\n\n'
    printf -- '-- migrate:upgrade\n-- '
    awk 'BEGIN { for (i = 0; i < 16384; i++) printf "%064d", i }'
    printf '\nCREATE TABLE after_comment (x integer);\n'
    printf -- '\n-- migrate:downgrade\nDROP TABLE after_comment;\n'
} >"$V/3.sql"
big_run
expect_rc 0
check
[ -n "$(q "SELECT name FROM sqlite_master WHERE name = 'after_comment'")" ] ||
    fail "#40: the statement after a 1 MiB comment was lost"
# (d) 64 MiB of tiny rows in one INSERT: the parse tree may not fit in
# the limit; then the run must fail cleanly with nothing applied.
{
    printf -- '-- tiny rows\n--\n-- Revision ID: r4\n-- Revises: r3\n\n'
    printf -- '-- migrate:upgrade\nCREATE TABLE tiny (n integer, s text);\n'
    awk 'BEGIN {
        printf "INSERT INTO tiny VALUES "
        for (i = 1; i <= 3300000; i++)
            printf "%s(%d,\047abcdefgh\047)", (i > 1 ? "," : ""), i
        printf ";\n"
    }'
    printf -- '\n-- migrate:downgrade\nDROP TABLE tiny;\n'
} >"$V/4.sql"
big_run
check
case $rc in
0)
    [ "$(q 'SELECT count(*) FROM tiny')" = 3300000 ] ||
        fail "#40: exit 0 but rows of the tiny-row INSERT are missing"
    ;;
1 | 2)
    grep -q '/versions/4\.sql:[0-9]*: .*memory' "$T/err" ||
        fail "#40: exit $rc without a clear message"
    [ "$(q 'SELECT version_num FROM migrator_version')" = r3 ] &&
        [ -z "$(q "SELECT name FROM sqlite_master WHERE name = 'tiny'")" ] ||
        fail "#40: a failed huge INSERT left changes"
    ;;
*)
    fail "#40: the tiny-row INSERT ended with exit $rc"
    ;;
esac
rm -f "$V"/*.sql

# ---- #41: the statement splitter, end to end -----------------------------

printf '# 41: statement splitter corners, with and without a transaction\n'
new_project
# The trigger's text as SQLite must store it.
trigger='CREATE TRIGGER t_ai AFTER INSERT ON t
BEGIN
    INSERT INTO audit VALUES ('"'"'new;'"'"' || NEW.id);
    INSERT INTO audit SELECT CASE WHEN NEW.id > 100 THEN '"'"'big'"'"'
                                  ELSE '"'"'small'"'"' END;
    UPDATE t SET v = v || '"'"'!'"'"' WHERE id = NEW.id AND NEW.v = '"'"'end'"'"';
END'
splitter_rev() {
    cat <<SQL
-- splitter corners
--
-- Revision ID: s1
-- Revises:

-- migrate:upgrade${1:-}
CREATE TABLE t (id integer PRIMARY KEY, v text);;
;
INSERT INTO t VALUES (1, ';'), (2, 'it''s; fine'), (3, '-- no comment;');
INSERT INTO t VALUES (4, '/* no; comment */');
INSERT INTO t VALUES (5, 'two
lines; one string');
CREATE TABLE "semi;colon" ("a;b" text, [c;d] text, \`e;f\` text);
INSERT INTO "semi;colon" VALUES ('x', 'y', 'z'); -- a trailing; comment
/* a block; comment
   over lines; */
INSERT INTO t VALUES (6, X'3b3b');
CREATE TABLE audit (what text);
$trigger;
CREATE TRIGGER "begin;end" AFTER DELETE ON t BEGIN
    INSERT INTO audit VALUES ('gone ' || OLD.id); END;
INSERT INTO t VALUES (101, 'end');
DELETE FROM t WHERE id = 6;
INSERT INTO t VALUES (7, 'last, without a semicolon') -- and a comment

-- migrate:downgrade
DROP TABLE audit;
DROP TABLE "semi;colon";
DROP TABLE t;
SQL
}
dump() {
    "$SQLITE3" -batch "$1" 'SELECT id, v FROM t ORDER BY id' \
        'SELECT what FROM audit ORDER BY rowid' \
        'SELECT * FROM "semi;colon"' \
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'
         ORDER BY name"
}
splitter_rev >"$V/1.sql"
run -c "$INI" upgrade head
expect_rc 0
dump "$DB" >"$T/tx.dump"
check
[ "$(q 'SELECT id FROM t ORDER BY id' | tr '\n' ,)" = "1,2,3,4,5,7,101," ] ||
    fail "#41: rows of t wrong: $(q 'SELECT * FROM t')"
check
[ "$(q 'SELECT v FROM t WHERE id = 5')" = "two
lines; one string" ] || fail "#41: a string over two lines was cut"
check
[ "$(q 'SELECT v FROM t WHERE id = 2')" = "it's; fine" ] ||
    fail "#41: a doubled quote was mangled"
check
[ "$(q 'SELECT what FROM audit ORDER BY rowid' | tr '\n' ,)" = \
    "new;101,big,gone 6,new;7,small," ] || fail "#41: the triggers misfired"
check
[ "$(q "SELECT sql FROM sqlite_master WHERE name = 't_ai'")" = "$trigger" ] ||
    fail "#41: the trigger's text differs from the script"
check
[ "$(q 'SELECT * FROM "semi;colon"')" = "x|y|z" ] ||
    fail "#41: quoted identifiers with ';' were split"
# Statement by statement (transaction=false): the same result.
splitter_rev ' transaction=false' >"$V/1.sql"
rm -f "$DB"
run -c "$INI" upgrade head
expect_rc 0
dump "$DB" >"$T/nt.dump"
check
cmp -s "$T/tx.dump" "$T/nt.dump" || {
    fail "#41: transaction=false gives another result"
    diff -u "$T/tx.dump" "$T/nt.dump"
}
# Offline: the script sqlite3 runs gives the same result again.
splitter_rev >"$V/1.sql"
run -c "$INI" upgrade --sql head
expect_rc 0
rm -f "$T/off.db"
check
"$SQLITE3" -batch -bail "$T/off.db" <"$T/out" >"$T/off.log" 2>&1 ||
    fail "#41: the offline SQL does not run: $(cat "$T/off.log")"
dump "$T/off.db" >"$T/off.dump" 2>&1
check
cmp -s "$T/tx.dump" "$T/off.dump" || fail "#41: offline gives another result"
# Lines stay right after all of that: a failure on line 34.
{
    splitter_rev | sed '/^-- migrate:downgrade$/,$d'
    printf ';\nINSERT INTO t VALUES (8, 8);\nINSERT INTO nope VALUES (1);\n'
    printf -- '-- migrate:downgrade\nDROP TABLE t;\n'
} >"$V/1.sql"
check
[ "$(grep -n '^INSERT INTO nope' "$V/1.sql")" = \
    '34:INSERT INTO nope VALUES (1);' ] || fail "#41: test script changed"
rm -f "$DB"
run -c "$INI" upgrade head
expect_rc 1
expect_err "^migrator: error: .*/versions/1\.sql:34: no such table: nope$"
check
[ -z "$(q "SELECT name FROM sqlite_master WHERE name = 't'")" ] ||
    fail "#41: the failed revision left table t"
# Unterminated quotes and comments: a script error with file:line, online
# and offline alike, nothing applied.
for bad in "SELECT 'open;" 'SELECT "open;' 'SELECT [open;' \
    'SELECT 1; /* open'; do
    cat >"$V/1.sql" <<SQL
-- open
--
-- Revision ID: r1
-- Revises:

-- migrate:upgrade
CREATE TABLE t (x);
$bad

-- migrate:downgrade
DROP TABLE t;
SQL
    rm -f "$DB"
    run -c "$INI" upgrade head
    expect_rc 2
    expect_err "^migrator: error: .*/versions/1\.sql:8: unterminated "
    check
    [ -z "$(q "SELECT name FROM sqlite_master WHERE name = 't'")" ] ||
        fail "#41: a statement before '$bad' ran"
    run -c "$INI" upgrade --sql head
    expect_rc 2
    expect_err "/versions/1\.sql:8: unterminated "
done

# ---- #42: runtime errors are not swallowed -------------------------------

printf '# 42: SQLite runtime errors mid-revision\n'
new_project
cat >"$V/r1.sql" <<'SQL'
-- r1
--
-- Revision ID: r1
-- Revises:

-- migrate:upgrade
CREATE TABLE u(id INTEGER PRIMARY KEY); INSERT INTO u VALUES(1); INSERT INTO u VALUES(1); INSERT INTO u VALUES(3);

-- migrate:downgrade
DROP TABLE u;
SQL
run -c "$INI" upgrade head
expect_rc 1
expect_err "^migrator: error: .*/versions/r1\.sql:7(:[0-9]+)?: UNIQUE constraint failed: u\.id$"
check
[ -z "$(q "SELECT name FROM sqlite_master WHERE name = 'u'")" ] ||
    fail "#42: table u exists after the failure"
check
[ "$(vrows)" = 0 ] || fail "#42: a version row after the failure"
# An error on the second row a SELECT returns.
cat >"$V/r1.sql" <<'SQL'
-- r1
--
-- Revision ID: r1
-- Revises:

-- migrate:upgrade
CREATE TABLE u (id integer);
SELECT CASE WHEN column1 = 2 THEN abs(-9223372036854775807 - 1)
            ELSE column1 END
  FROM (VALUES (1), (2));
INSERT INTO u VALUES (3);

-- migrate:downgrade
DROP TABLE u;
SQL
run -c "$INI" upgrade head
expect_rc 1
expect_err "/versions/r1\.sql:8: integer overflow$"
check
[ -z "$(q "SELECT name FROM sqlite_master WHERE name = 'u'")" ] ||
    fail "#42: table u exists after an error on a later row"
# A trigger's RAISE(ABORT) on the 500th row of INSERT ... SELECT.
cat >"$V/r1.sql" <<'SQL'
-- r1
--
-- Revision ID: r1
-- Revises:

-- migrate:upgrade
CREATE TABLE u (id integer);
CREATE TRIGGER u_guard BEFORE INSERT ON u WHEN NEW.id = 500
BEGIN SELECT RAISE(ABORT, 'no 500 here'); END;
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c
                        WHERE x < 1000)
INSERT INTO u SELECT x FROM c;

-- migrate:downgrade
DROP TABLE u;
SQL
run -c "$INI" upgrade head
expect_rc 1
expect_err "/versions/r1\.sql:10: no 500 here$"
check
[ -z "$(q "SELECT name FROM sqlite_master WHERE name = 'u'")" ] ||
    fail "#42: table u exists after RAISE(ABORT)"
check
[ "$(vrows)" = 0 ] || fail "#42: a version row after RAISE(ABORT)"

# ---- #43: migrator.ini errors ---------------------------------------------

printf '# 43: migrator.ini errors\n'
# ini_case LINES: a project whose migrator.ini has LINES from line 5 on.
ini_case() {
    new_project "$1"
    hdr 1.sql '-- Revision ID: r1' '-- Revises:'
}
# bad_ini WHAT REGEX: upgrade exits 2 with REGEX, never opening the
# database.
bad_ini() {
    run -c "$INI" upgrade head
    expect_rc 2
    expect_err "^migrator: error: .*/migrator\.ini:$2"
    no_db "#43 $1"
}
long=$(printf '%05000d' 0)
ini_case "file_template = $long"
bad_ini a "5: line too long"
# A long comment line is skipped whole: the next line is line 6.
ini_case "# $long
lock_wait = bogus"
bad_ini a2 "6: bad duration 'bogus' for 'lock_wait'"
ini_case 'database_url'
bad_ini b "5: not a 'key = value' line, a '\[section\]' header or a comment$"
ini_case 'lock_wiat = 5s'
run -c "$INI" upgrade head
expect_rc 0
expect_err "^migrator: warning: .*/migrator\.ini:5: unknown key 'lock_wiat' \(did you mean 'lock_wait'\?\)$"
check
[ -e "$DB" ] || fail "#43 c: an unknown key stopped the run"
ini_case 'database_url = sqlite:///%(here)s/other.db'
bad_ini d "5: duplicate key 'database_url' \(first set on line 4\)$"
check
[ ! -e "$T/p/other.db" ] || fail "#43 d: the second database_url was used"
ini_case '[migrator]
lock_wait = 5s'
bad_ini e "5: duplicate section \[migrator\] \(first on line 1\)$"
# (f) ';' and '#' inside values are kept, with or without a space before.
for v in 'ab ;cd#ef' 'ab;cd' 'ab #cd'; do
    ini_case "version_table = $v"
    run -c "$INI" upgrade head
    expect_rc 0
    check
    [ "$(q "SELECT name FROM sqlite_master WHERE type = 'table'
            AND name LIKE 'ab%'")" = "$v" ] ||
        fail "#43 f: '$v' became '$(q "SELECT name FROM sqlite_master
                                       WHERE name LIKE 'ab%'")'"
done
ini_case "$(printf 'file_template = ab\377cd')"
bad_ini g "5: byte 0xff at column 19 is not valid UTF-8"
ini_case 'lock_wait = 10 parsecs'
bad_ini h "5: bad duration '10 parsecs' for 'lock_wait'"

# ---- #53: plugin files that are not shared objects ------------------------

printf '# 53: a dialect file in --plugin-dir that is not a shared object\n'
# plugins.sh covers 'migrator plugins' listing such files; here a command
# needs the dialect.
new_project
hdr 1.sql '-- Revision ID: r1' '-- Revises:'
mkdir -p "$T/pd"
so=$(find "$top_builddir/plugins/.libs" -name 'dialect_sqlite.so' | head -n 1)
size=$(wc -c <"$so")
for kind in text empty random truncated; do
    case $kind in
    text) echo 'this is not a shared object' >"$T/pd/dialect_sqlite.so" ;;
    empty) : >"$T/pd/dialect_sqlite.so" ;;
    random) head -c 65536 /dev/urandom >"$T/pd/dialect_sqlite.so" ;;
    # An ELF header whose segments lie past the end of the file.
    truncated) head -c 4096 "$so" >"$T/pd/dialect_sqlite.so" ;;
    esac
    run -c "$INI" --plugin-dir "$T/pd" upgrade head
    check
    [ "$rc" -eq 2 ] || [ "$rc" -eq 6 ] ||
        fail "#53 $kind: exit $rc, not 2 or 6 (no crash: below 128)"
    expect_err "^migrator: error: cannot load plugin '$T/pd/dialect_sqlite\.so': "
    no_db "#53 $kind"
done
check
[ "$size" -gt 8192 ] || fail "#53: the real plugin is too small to cut"
# A broken format plugin in front of the real one.
rm -f "$T/pd/dialect_sqlite.so"
echo 'this is not a shared object' >"$T/pd/format_sql.so"
run -c "$INI" --plugin-dir "$T/pd" upgrade head
check
[ "$rc" -lt 128 ] || fail "#53: exit $rc with a broken format plugin"
expect_err "cannot load plugin '$T/pd/format_sql\.so': "

finish
