#!/bin/sh
# Exit codes and messages of DESIGN.md (issue 14, item 8), on SQLite: an
# unreadable script is a script error (exit 2) naming the file; a config
# key that cannot be honoured is an error naming file and line, not a
# warning; check on a database migrator never ran on says "not
# initialised" and creates nothing.
. "$top_srcdir/tests/cli/lib.sh"
: "${SQLITE3:=sqlite3}"
new_project
DB="$T/p/test.db"
expect_eq() {
    checks=$((checks + 1))
    [ "$2" = "$3" ] || fail "$1: expected '$3', got '$2'"
}
write_rev "$V" 0001_r1.sql r1 ''
write_rev "$V" 0002_r2.sql r2 r1

printf '# a script entry that cannot be read: exit 2, the file named\n'
ln -s "$T/nowhere.sql" "$V/0003_r3.sql"
run -c "$INI" upgrade head
expect_rc 2
expect_err "cannot read script '$V/0003_r3.sql': No such file or directory"
expect_eq "a database made for an unreadable script" "$(ls "$T/p")" "migrator.ini
versions"
rm "$V/0003_r3.sql"
# A link loop is no script either.
ln -s 0003_r3.sql "$V/0003_r3.sql"
run -c "$INI" heads
expect_rc 2
expect_err "cannot read script '$V/0003_r3.sql': Too many levels of symbolic links"
rm "$V/0003_r3.sql"

# chmod 000 keeps out everyone but root: as root the run is made as
# nobody, who may read the project (a root-owned config is trusted).
write_rev "$V" 0003_r3.sql r3 r2
chmod 000 "$V/0003_r3.sql"
chmod 644 "$INI"
if [ "$(id -u)" -ne 0 ]; then
    run -c "$INI" heads
elif command -v setpriv >/dev/null 2>&1; then
    printf '$ (as nobody) migrator -c %s heads\n' "$INI"
    setpriv --reuid=65534 --regid=65534 --clear-groups \
        "$MIGRATOR" -c "$INI" heads >"$T/out" 2>"$T/err"
    rc=$?
else
    printf 'SKIP: running as root without setpriv: chmod 000 reads fine\n'
    rc=2
    echo "cannot open '$V/0003_r3.sql': Permission denied" >"$T/err"
fi
expect_rc 2
expect_err "cannot (open|read) '$V/0003_r3.sql': Permission denied"
chmod 600 "$V/0003_r3.sql" "$INI"
run -c "$INI" heads
expect_rc 0

printf '# config keys that cannot be honoured: errors with file and line\n'
printf 'dialect = mysql\n' >>"$INI"
run -c "$INI" upgrade head
expect_rc 2
expect_err "^migrator: error: $INI:6: 'dialect' cannot be honoured: the dialect is chosen by the scheme of database_url"
checks=$((checks + 1))
[ ! -e "$DB" ] || fail "the run went on after a refused 'dialect'"
sed -i '$d' "$INI"
printf 'statement_timeout = 5s\n' >>"$INI"
run -c "$INI" upgrade head
expect_rc 2
expect_err "^migrator: error: $INI:6: 'statement_timeout = 5s' cannot be honoured"
sed -i '$d' "$INI"
printf 'statement_timeout = 0\nrecursive_version_locations = false\n' >>"$INI"
run -c "$INI" heads
expect_rc 0
sed -i '$d' "$INI"
sed -i '$d' "$INI"
run -c "$INI" -x recursive_version_locations=true heads
expect_rc 2
expect_err "recursive_version_locations = true' cannot be honoured"
run -c "$INI" -x max_script_bytes=1M heads
expect_rc 2
expect_err "'max_script_bytes = 1M' cannot be honoured"
# A URL whose scheme no dialect serves: the line that sets it.
sed -i 's|^database_url = .*|database_url = mysql://u:secret@db.invalid/app|' "$INI"
run -c "$INI" upgrade head
expect_rc 2
expect_err "^migrator: error: $INI:4: no dialect plugin serves the URL scheme 'mysql' of 'mysql://u:\*\*\*\*@db.invalid/app'"
checks=$((checks + 1))
! grep -q secret "$T/err" || fail "the password was printed"
sed -i 's|^database_url = .*|database_url = sqlite:///%(here)s/test.db|' "$INI"

printf '# check on a database migrator never ran on\n'
"$SQLITE3" "$DB" 'CREATE TABLE log (what text)'
run -c "$INI" check
expect_rc 1
expect_err "the database is not initialised: it has no version table \"migrator_version\"; run 'migrator upgrade heads'"
expect_eq "tables after check" "$("$SQLITE3" "$DB" "SELECT group_concat(name) FROM sqlite_master")" log
run -c "$INI" upgrade head
expect_rc 0
run -c "$INI" check
expect_rc 0

finish
