#!/bin/sh
# make installcheck: the installed migrator, run as a user runs it, finds
# the installed plugins in its compiled-in directory (pkglibdir) and the
# installed templates, and migrates a SQLite project up and down.
#
# Environment (from tests/local.mk): top_srcdir, top_builddir, bindir,
# pkglibdir, DESTDIR.
umask 022
: "${bindir:?}" "${pkglibdir:?}"
if [ -n "${DESTDIR:-}" ]; then
    # The binary looks for its library, plugins and templates where
    # configure put them, not under DESTDIR: install, then check, without.
    echo "installcheck: run it without DESTDIR, after make install" >&2
    exit 1
fi
MIGRATOR=$bindir/migrator
export MIGRATOR
[ -x "$MIGRATOR" ] || {
    echo "installcheck: no $MIGRATOR: run make install first" >&2
    exit 1
}
unset MIGRATOR_CONFIG MIGRATOR_PLUGIN_PATH DATABASE_URL
. "$top_srcdir/tests/cli/lib.sh"

# re TEXT: TEXT as an extended regular expression matching itself.
re() {
    printf '%s' "$1" | sed 's/[][\.*^$+?(){}|]/\\&/g'
}

run --version
expect_rc 0
expect_out "^plugin directory $(re "$pkglibdir")\$"

# Every plugin in pkglibdir loads from there, and nothing else is listed.
run plugins
expect_rc 0
n=0
for so in "$pkglibdir"/*.so; do
    [ -f "$so" ] || continue
    n=$((n + 1))
    expect_out " $(re "$so")\$"
done
checks=$((checks + 1))
[ "$n" -gt 0 ] || fail "no plugin installed in $pkglibdir"
checks=$((checks + 1))
[ "$(wc -l <"$T/out")" -eq "$n" ] ||
    fail "plugins lists $(wc -l <"$T/out") lines for $n installed plugins"

if [ ! -f "$pkglibdir/dialect_sqlite.so" ] ||
    [ ! -f "$pkglibdir/format_sql.so" ]; then
    echo "note: dialect_sqlite or format_sql is not installed:" \
        "no project is migrated"
    finish
    exit
fi

# ---- a project, from the installed templates ----------------------------
mkdir "$T/proj"
cd "$T/proj" || exit 1
run init migrations
expect_rc 0
checks=$((checks + 1))
[ -f migrator.ini ] && [ -d migrations/versions ] ||
    fail "init made no migrator.ini and migrations/versions"

# new_rev ID MESSAGE UPGRADE-SQL DOWNGRADE-SQL
new_rev() {
    run revision -m "$2" --rev-id "$1"
    expect_rc 0
    file=$(ls migrations/versions/"$1"_*.sql 2>/dev/null)
    [ -n "$file" ] || { fail "revision $1 wrote no script"; return; }
    printf '%s\n' "$3" >"$T/up.sql"
    printf '%s\n' "$4" >"$T/down.sql"
    sed -e "/^-- migrate:upgrade/r $T/up.sql" \
        -e "/^-- migrate:downgrade/r $T/down.sql" "$file" >"$T/script" &&
        cat "$T/script" >"$file"
}
new_rev a1a1 "create things" 'CREATE TABLE things (id INTEGER PRIMARY KEY);' \
    'DROP TABLE things;'
new_rev b2b2 "create owners" 'CREATE TABLE owners (id INTEGER PRIMARY KEY);' \
    'DROP TABLE owners;'

run upgrade head
expect_rc 0
expect_err 'Running upgrade  -> a1a1, create things'
expect_err 'Running upgrade a1a1 -> b2b2, create owners'
checks=$((checks + 1))
[ -s app.db ] || fail "upgrade head made no app.db"
run current
expect_rc 0
expect_out_eq 'b2b2 (head)'

run downgrade -1
expect_rc 0
expect_err 'Running downgrade b2b2 -> a1a1, create owners'
run current
expect_rc 0
expect_out_eq 'a1a1'

run downgrade base
expect_rc 0
run current
expect_rc 0
checks=$((checks + 1))
[ ! -s "$T/out" ] || fail "current shows a revision after downgrade base"

cd "$top_builddir" || exit 1
finish
