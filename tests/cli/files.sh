#!/bin/sh
# Files migrator reads and writes (issue 14, item 9): a report never
# follows a symbolic link (refused, exit 6, the link's target untouched),
# a report that fails part-way leaves neither a half file nor a temporary
# one, and a config file owned by another user who is not root is
# refused (exit 6), as a plugin would be.
. "$top_srcdir/tests/cli/lib.sh"
new_project
write_rev "$V" 0001_r1.sql r1 ''
"${SQLITE3:-sqlite3}" "$T/p/test.db" 'CREATE TABLE log (what text)'
expect_eq() {
    checks=$((checks + 1))
    [ "$2" = "$3" ] || fail "$1: expected '$3', got '$2'"
}
leftovers() { ls -A "$T/r" | grep -v -x -e 'target' -e 'r.json' -e 'r.xml'; }
mkdir "$T/r"

printf '# a link at the report path is refused, its target untouched\n'
printf 'precious\n' >"$T/r/target"
ln -s target "$T/r/r.json"
run -c "$INI" --reporter json --report-file "$T/r/r.json" upgrade head
expect_rc 6
expect_err "refusing to write the report '$T/r/r.json': it is a symbolic link"
expect_eq "the link's target" "$(cat "$T/r/target")" precious
expect_eq "rows after a refused report" \
    "$("${SQLITE3:-sqlite3}" "$T/p/test.db" "SELECT count(*) FROM sqlite_master WHERE name = 'migrator_version'")" 0
ln -sf target "$T/r/r.xml"
run -c "$INI" --report "junit:$T/r/r.xml" heads
expect_rc 6
expect_eq "the link's target" "$(cat "$T/r/target")" precious
rm "$T/r/r.json" "$T/r/r.xml"

printf '# a report is written whole or not at all\n'
run -c "$INI" --reporter json --report-file "$T/r/r.json" heads
expect_rc 0
grep -q '"event":"run_end"' "$T/r/r.json" || fail "no complete report"
checks=$((checks + 1))
cp "$T/r/r.json" "$T/r/before"
# A file size limit makes the report's writes fail (EFBIG) part-way:
# enough revisions that the report outgrows it in any shell's blocks.
for i in 2 3 4 5 6 7 8 9; do
    write_rev "$V" "000${i}_r$i.sql" "r$i" "r$((i - 1))"
done
printf '$ (ulimit -f 1) migrator --reporter json --report-file r.json heads\n'
(trap '' XFSZ; ulimit -f 1 && exec "$MIGRATOR" -c "$INI" -v --reporter json \
    --report-file "$T/r/r.json" history) >"$T/out" 2>"$T/err"
rc=$?
expect_rc 1
expect_err "report '$T/r/r.json' stopped: .*File too large"
checks=$((checks + 1))
cmp -s "$T/r/before" "$T/r/r.json" || fail "a failed report replaced the old one"
rm "$T/r/before"
expect_eq "files left beside the report" "$(leftovers)" ""

printf '# a config owned by another user\n'
other_user mgrcfg "the config-owner case"
chown "$user" "$INI"
run -c "$INI" heads
expect_rc 6
expect_err "refusing to read '$INI': it is owned by uid $(id -u "$user"), not root or you"
chown root "$INI"
run -c "$INI" heads
expect_rc 0
userdel "$user"
trap - EXIT

finish
