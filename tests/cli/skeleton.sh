#!/bin/sh
# The dialect skeleton (doc/examples/dialect-skeleton) as a team uses it:
# built out of tree against an installed migrator with nothing but
# `pkg-config migrator`, installed into the plugindir that pkg-config
# names, and serving skel:// URLs to the installed migrator, end to end
# and through the conformance scenarios. A copy built with -DSKEL_BROKEN,
# whose operations lack query, is refused by name.
#
# migrator is configured once more, with --prefix in a scratch directory,
# and installed there. A DESTDIR install would not do: the binary looks
# for its plugins and templates under the prefix it was configured with.
umask 022
. "$top_srcdir/tests/cli/lib.sh"
: "${SQLITE3:=sqlite3}"
: "${PKG_CONFIG:=pkg-config}"

skip() {
    printf 'SKIP: %s\n' "$*"
    rm -rf "$T"
    exit 77
}

for tool in autoreconf "$PKG_CONFIG" "$SQLITE3"; do
    command -v "$tool" >/dev/null 2>&1 || skip "'$tool' is not installed"
done
"$PKG_CONFIG" --exists sqlite3 ||
    skip "no sqlite3.pc: the skeleton needs libsqlite3's headers"

# The builds below are not part of the make that runs this test.
unset MAKEFLAGS MFLAGS MAKELEVEL MGR_TEST_DIALECT PROJECT_URL DATABASE_URL

W=$(mktemp -d "${TMPDIR:-/tmp}/mgr-skeleton.XXXXXX") || exit 1
holder=
cleanup() {
    [ -n "$holder" ] && kill "$holder" 2>/dev/null
    rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# re TEXT: TEXT as an extended regular expression matching itself.
re() {
    printf '%s' "$1" | sed 's/[][\.*^$+?(){}|]/\\&/g'
}

# build LOG DIR COMMAND...: run COMMAND in DIR, its output in $T/LOG.log;
# stop the test when it fails.
build() {
    log=$T/$1.log
    dir=$2
    shift 2
    printf '$ (cd %s && %s)\n' "$dir" "$*"
    checks=$((checks + 1))
    (cd "$dir" && "$@") >"$log" 2>&1 && return 0
    failures=$((failures + 1))
    printf 'FAIL: %s failed; the end of %s:\n' "$*" "$log"
    tail -n 40 "$log"
    finish
    exit 1
}

# check TEXT COMMAND...: one check that COMMAND succeeds.
check() {
    what=$1
    shift
    checks=$((checks + 1))
    "$@" || fail "$what"
}

# q SQL: query the skel database directly, as its client library sees it.
q() {
    "$SQLITE3" -batch "$DB" "$1"
}

# ---- migrator, installed under a prefix of its own ---------------------
CC_BUILD=$(sed -n 's/^CC = //p' "$top_builddir/Makefile")
src=$top_srcdir
if [ -f "$top_srcdir/config.status" ]; then
    # Configured in its source directory, which refuses a second build:
    # build from a copy of the distribution.
    build distdir "$top_builddir" make distdir distdir="$W/src"
    src=$W/src
fi
sanitizers=
[ "${MGR_SANITIZERS:-no}" = yes ] && sanitizers=--enable-sanitizers
# core/ already there, as on a second run of configure: autoconf's "rm -f
# core" must not complain about our directory (configure.ac).
mkdir "$W/build" "$W/build/core"
build configure "$W/build" "$src/configure" --prefix="$W/inst" \
    --libdir="$W/inst/lib" --disable-dependency-tracking --disable-werror \
    --disable-format-c --disable-dialect-sqlite --disable-dialect-postgresql \
    --disable-reporter-json --disable-reporter-junit $sanitizers \
    CC="${CC_BUILD:-cc}"
checks=$((checks + 1))
! grep -n '^rm: ' "$T/configure.log" ||
    fail "configure printed errors of rm (above)"
checks=$((checks + 1))
[ ! -e "$W/build/confdefs.h" ] || fail "configure left confdefs.h behind"
build install "$W/build" make -j2 install
rm -rf "$W/build" "$W/src"

MIGRATOR=$W/inst/bin/migrator
PLUGINDIR=$W/inst/lib/migrator
PKG_CONFIG_PATH=$W/inst/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
export PKG_CONFIG_PATH

run --version
expect_rc 0
expect_out "^plugin directory $(re "$PLUGINDIR")\$"
check "pkg-config gives no plugindir '$PLUGINDIR'" \
    test "$("$PKG_CONFIG" --variable=plugindir migrator)" = "$PLUGINDIR"
cflags=$("$PKG_CONFIG" --cflags migrator)
check "pkg-config --cflags migrator gives '$cflags'" \
    test "$(echo $cflags)" = "-I$W/inst/include"

# ---- the skeleton, as a team builds it ---------------------------------
cp -R "$top_srcdir/doc/examples/dialect-skeleton" "$W/skel"
chmod -R u+w "$W/skel"
build autoreconf "$W/skel" autoreconf -fi
mkdir "$W/skel-build" "$W/skel-broken"
build skel-configure "$W/skel-build" ../skel/configure CC="${CC_BUILD:-cc}"
build skel-make "$W/skel-build" make
build skel-install "$W/skel-build" make install
check "the skeleton is not installed in $PLUGINDIR" \
    test -f "$PLUGINDIR/dialect_skel.so"
build broken-configure "$W/skel-broken" ../skel/configure \
    CC="${CC_BUILD:-cc}" CPPFLAGS=-DSKEL_BROKEN --with-plugindir="$W/broken"
build broken-install "$W/skel-broken" make install

# ---- a project on a skel database -------------------------------------
mkdir "$W/proj"
cd "$W/proj" || exit 1
DB=$W/proj/app.db
DATABASE_URL=skel://$DB
export DATABASE_URL

run plugins
expect_rc 0
RP=$(re "$PLUGINDIR")
expect_out "^dialect +skel +0\.1\.0 +ABI [0-9.]+ +$RP/dialect_skel\.so\$"
expect_no_out '^refused'

run init migrations
expect_rc 0
check "init wrote no migrator.ini" test -f migrator.ini
check "init made no migrations/versions" test -d migrations/versions

# new_rev ID MESSAGE: `migrator revision`, then the SQL of $W/up.sql and
# $W/down.sql under the script's section markers.
new_rev() {
    run revision -m "$2" --rev-id "$1"
    expect_rc 0
    file=$(ls migrations/versions/"$1"_*.sql 2>/dev/null)
    [ -n "$file" ] || { fail "revision $1 wrote no script"; return; }
    sed -e "/^-- migrate:upgrade/r $W/up.sql" \
        -e "/^-- migrate:downgrade/r $W/down.sql" "$file" >"$W/script" &&
        cat "$W/script" >"$file"
}

# Quotes and comments that hold ';', and a last statement without one.
cat >"$W/up.sql" <<'SQL'
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL -- a comment; with a semicolon
);
/* a block comment; with a semicolon */
INSERT INTO users (name) VALUES ('O''Brien; the first');
INSERT INTO "users" ("name") VALUES ('second') -- no semicolon
SQL
echo 'DROP TABLE users;' >"$W/down.sql"
new_rev a1a1 "create users"

cat >"$W/up.sql" <<'SQL'
CREATE TABLE notes (user_id INTEGER NOT NULL, body TEXT NOT NULL);
INSERT INTO notes SELECT id, 'note for ' || name FROM users;
SQL
echo 'DROP TABLE notes;' >"$W/down.sql"
new_rev b2b2 "add notes"

echo 'CREATE INDEX ix_users_name ON users (name);' >"$W/up.sql"
echo 'DROP INDEX ix_users_name;' >"$W/down.sql"
new_rev c3c3 "index user names"

run heads
expect_rc 0
expect_out_eq 'c3c3 (head)'

run upgrade a1a1:c3c3 --sql
expect_rc 0
expect_out '^CREATE TABLE notes '
expect_out '^CREATE INDEX ix_users_name ON users \(name\);$'
check "upgrade --sql changed the database" test ! -s "$DB"

run current
expect_rc 0
check "current printed something for an empty database" test ! -s "$T/out"

# ---- an application that checks its database at start-up ---------------
# doc/examples/app-check.c, built with nothing but the installed headers
# and `pkg-config migrator`: it refuses to start while revisions are
# pending, and lists them.
appflags=
[ -n "$sanitizers" ] && appflags="-fsanitize=address,undefined"
build app-check "$W" sh -c "${CC_BUILD:-cc} $appflags -Wall -Wextra \
-Werror -o app-check '$top_srcdir/doc/examples/app-check.c' \
\$('$PKG_CONFIG' --cflags --libs migrator)"
app_check() {
    printf '$ app-check %s\n' "$*"
    LD_LIBRARY_PATH=$W/inst/lib "$W/app-check" "$@" >"$T/out" 2>"$T/err"
    rc=$?
}
app_check migrator.ini
expect_rc 1
expect_out '^database: behind$'
expect_out '^pending:$'
expect_out '^  a1a1$'
expect_out '^  c3c3$'
expect_err 'refusing to start: 3 revision\(s\) pending'
check "app-check created tables in an empty database" \
    test -z "$(q "SELECT name FROM sqlite_master WHERE type = 'table'")"

run upgrade head
expect_rc 0
expect_err 'Running upgrade  -> a1a1, create users'
expect_err 'Running upgrade b2b2 -> c3c3, index user names'
run current
expect_rc 0
expect_out_eq 'c3c3 (head)'
check "users not as the script wrote them" \
    test "$(q 'SELECT name FROM users ORDER BY id' | tr '\n' '|')" = \
    "O'Brien; the first|second|"
check "notes not copied from users" \
    test "$(q "SELECT count(*) FROM notes WHERE body LIKE 'note for %'")" = 2
check "version row not c3c3" \
    test "$(q 'SELECT version_num FROM migrator_version')" = c3c3
check "migrator_log lacks the three upgrades" \
    test "$(q "SELECT group_concat(revision || ' ' || direction, ',')
               FROM (SELECT * FROM migrator_log ORDER BY rowid)")" = \
    "a1a1 upgrade,b2b2 upgrade,c3c3 upgrade"
check "no lock file naming its holder" grep -q '^pid [0-9]' "$DB.lock"
app_check migrator.ini
expect_rc 0
expect_out '^database: up to date$'
expect_no_out '^pending:'

# A dialect that cannot read schemas (no ABI 1.2 members) keeps every
# other command: check compares revisions only, migrator_schema is not
# made, and autogenerate says why it cannot run.
run check
expect_rc 0
check "a schema snapshot without introspection" \
    test -z "$(q "SELECT name FROM sqlite_master WHERE name = 'migrator_schema'")"
printf 'CREATE TABLE wanted (id integer);\n' >"$W/proj/schema.sql"
run revision --autogenerate -m wanted
expect_rc 2
expect_err 'needs a dialect that can read the live schema; the skel dialect cannot'
run schema dump
expect_rc 2
rm -f "$W/proj/schema.sql"

# The same database through "skel+DRIVER://", and a relative path.
run --url "skel+file://$DB" current
expect_rc 0
expect_out_eq 'c3c3 (head)'
run --url skel://relative.db current
expect_rc 0
check "skel://relative.db is not in the working directory" \
    test -f "$W/proj/relative.db"

# A scheme nobody serves: the error lists the schemes that are.
run --url "nosuch:///$DB" current
expect_rc 2
expect_err "scheme 'nosuch'"
expect_err 'serve [a-z, ]*skel'

# A failing statement: its file and line, and nothing half-applied.
cat >"$W/up.sql" <<'SQL'
INSERT INTO users (name) VALUES ('third');
INSERT INTO nosuch VALUES (1);
SQL
: >"$W/down.sql"
new_rev d4d4 "fails"
bad=$(ls migrations/versions/d4d4_*.sql)
line=$(grep -n 'nosuch' "$bad" | cut -d: -f1)
run upgrade head
expect_rc 1
expect_err "$(re "$bad"):$line: .*no such table: nosuch"
check "the failed revision left a row in users" \
    test "$(q 'SELECT count(*) FROM users')" = 2
check "the failed revision moved the version" \
    test "$(q 'SELECT version_num FROM migrator_version')" = c3c3

# An unterminated string: refused with its line, nothing sent.
{
    sed '/^-- migrate:upgrade/q' "$bad"
    printf "INSERT INTO users (name) VALUES ('oops);\n"
} >"$W/script"
cat "$W/script" >"$bad"
line=$(grep -n 'oops' "$bad" | cut -d: -f1)
run upgrade head
expect_rc 2
expect_err "$(re "$bad"):$line: unterminated string"
rm -f "$bad"

# The lock: held by another process, a run waits lock_wait and gives up
# with exit 3, naming the holder from the lock file.
if command -v flock >/dev/null 2>&1; then
    sed 's/^lock_wait = .*/lock_wait = 1s/' migrator.ini >"$W/ini" &&
        cat "$W/ini" >migrator.ini
    echo 'CREATE TABLE e5 (x INTEGER);' >"$W/up.sql"
    echo 'DROP TABLE e5;' >"$W/down.sql"
    new_rev e5e5 "waits for the lock"
    (
        flock 9 && : >"$DB.lock" && echo 'pid 4242 (skeleton.sh)' >&9 &&
            : >"$W/held" && exec sleep 60
    ) 9<>"$DB.lock" &
    holder=$!
    n=0
    while [ ! -f "$W/held" ] && [ $n -lt 100 ]; do
        sleep 0.1 2>/dev/null || sleep 1
        n=$((n + 1))
    done
    run upgrade head
    expect_rc 3
    expect_err 'held by pid 4242 \(skeleton\.sh\)'
    kill "$holder"
    wait "$holder" 2>/dev/null
    holder=
    run upgrade head
    expect_rc 0
    expect_err 'Running upgrade c3c3 -> e5e5, waits for the lock'
else
    printf 'note: flock(1) is not installed; the lock wait is not tested\n'
fi

run downgrade base
expect_rc 0
expect_err 'Running downgrade a1a1 -> , create users'
run current
expect_rc 0
check "current printed something after downgrade base" test ! -s "$T/out"
check "downgrade base left tables behind" \
    test "$(q "SELECT count(*) FROM sqlite_master
               WHERE name IN ('users', 'notes', 'e5')")" = 0
check "downgrade base left version rows" \
    test "$(q 'SELECT count(*) FROM migrator_version')" = 0

# ---- conformance scenarios on skel --------------------------------------
# The generated conformance.sh (chains, branches, merges, labels,
# dependencies, odd version rows: a few seconds) reads the URL from
# PROJECT_URL and the database with the sqlite3 shell, which opens skel's
# files, so it runs unchanged on skel.
mkdir "$W/conformance"
printf '$ conformance.sh on skel://\n'
(
    top_builddir=$W/conformance PROJECT_URL='skel://%(here)s/test.db' \
        SQLITE3=$SQLITE3 sh "$top_srcdir/tests/cli/conformance.sh"
) >"$T/conformance.log" 2>&1
rc=$?
checks=$((checks + 1))
if [ $rc -ne 0 ] || ! tail -n 1 "$T/conformance.log" | grep -q ', 0 failed$'
then
    failures=$((failures + 1))
    printf 'FAIL: conformance scenarios on skel (exit %d):\n' "$rc"
    grep -A 12 '^FAIL' "$T/conformance.log" | head -n 80
fi
tail -n 1 "$T/conformance.log"

# ---- a skeleton without query is refused, not run ----------------------
BROKEN=$W/broken/dialect_skel.so
run --plugin-dir "$W/broken" plugins
printf 'exit %d\n' "$rc"
check "plugins crashed on a broken dialect (exit $rc)" test "$rc" -lt 128
expect_rc 2
expect_out "^refused  $(re "$BROKEN"): its dialect operations lack 'query', \
which is required\$"

run --plugin-dir "$W/broken" upgrade head
printf 'exit %d\n' "$rc"
check "upgrade crashed on a broken dialect (exit $rc)" test "$rc" -lt 128
check "upgrade ran with a broken dialect" test "$rc" -ne 0
expect_err "refusing to load plugin '$(re "$BROKEN")': .*'query'"
check "a broken dialect touched the database" \
    test "$(q 'SELECT count(*) FROM migrator_version')" = 0

finish
