#!/bin/sh
# Reporters on SQLite: the JSON event stream and JUnit XML of successful
# and failing runs and of the listing commands, checked structurally (the
# JSON parsed by report_check.py, the XML validated by xmllint against
# the reporter's schema); the text reporter's progress and colour on a
# terminal and their absence in a pipe; --report-file, --report, the
# config's reporter; exit codes that do not depend on the reporter; no
# password in any report.
. "$top_srcdir/tests/cli/lib.sh"
: "${SQLITE3:=sqlite3}"
CHECK="python3 $top_srcdir/tests/cli/report_check.py"
XSD="$top_srcdir/plugins/reporter/junit/tests/junit.xsd"
RE="$top_srcdir/migrations/examples/realestate/migrator.ini"
MIGRATOR_C_CACHE_DIR="$T/c-cache" export MIGRATOR_C_CACHE_DIR

# expect_summary RE: a line of the parsed report $T/sum matches RE.
expect_summary() {
    checks=$((checks + 1))
    grep -Eq -- "$1" "$T/sum" || {
        fail "report summary does not match /$1/"
        cat "$T/sum"
    }
}

# summarise FILE: parse the JSON report into $T/sum; fail if it does not.
summarise() {
    checks=$((checks + 1))
    $CHECK "$1" >"$T/sum" 2>"$T/sum.err" || {
        fail "report is not valid: $(cat "$T/sum.err")"
        return 1
    }
}

# xml_valid FILE: well-formed, and valid against the JUnit schema.
xml_valid() {
    checks=$((checks + 1))
    xmllint --noout "$1" 2>"$T/xml.err" || fail "$1: not well-formed: $(cat "$T/xml.err")"
    checks=$((checks + 1))
    xmllint --noout --schema "$XSD" "$1" 2>"$T/xml.err" ||
        fail "$1: not valid JUnit: $(cat "$T/xml.err")"
}

xpath() {
    xmllint --xpath "$2" "$1" 2>/dev/null
}

expect_eq() {
    checks=$((checks + 1))
    [ "$2" = "$3" ] || fail "$1: expected '$3', got '$2'"
}

printf '# the real estate example, JSON on stdout\n'
DATABASE_URL="sqlite:///$T/re.db" export DATABASE_URL
run -c "$RE" --reporter json upgrade head
expect_rc 0
summarise "$T/out"
expect_summary '^run_start target=head database=sqlite:///.*/re\.db offline=0$'
expect_summary '^run_end ok exit=0 run=8 committed=8$'
# Every step event is one the plan announced, in plan order, and what
# ran is what the database recorded.
planned=$(sed -n 's/^plan //p' "$T/sum")
started=$(sed -n 's/^step_start [0-9]* upgrade //p' "$T/sum" | tr '\n' ' ')
ended=$(sed -n 's/^step_end [0-9]* \([^ ]*\) ok True$/\1/p' "$T/sum" | tr '\n' ' ')
logged=$("$SQLITE3" "$T/re.db" "SELECT revision FROM migrator_log ORDER BY rowid" | tr '\n' ' ')
expect_eq "steps started" "$started" "$planned "
expect_eq "steps ended" "$ended" "$planned "
expect_eq "steps logged" "$logged" "$planned "
expect_eq "plan size" "$(printf '%s\n' $planned | wc -l)" 8
# Stdout holds nothing but the report; the people's lines are gone.
checks=$((checks + 1))
[ "$(wc -l <"$T/out")" -eq "$(wc -l <"$T/sum")" ] || fail "stdout holds more than events"
checks=$((checks + 1))
! grep -q 'Running upgrade' "$T/err" || fail "text narration with --reporter json"

printf '# listing commands as records\n'
run -c "$RE" --reporter json heads
summarise "$T/out"
expect_summary '^record head f6a8b0c2d4e6 head=1 current=0 parents=e5f7a9b1c3d5 labels=.*leasing'
run -c "$RE" --reporter json history
summarise "$T/out"
expect_eq "history records" "$(grep -c '^record history ' "$T/sum")" 8
expect_summary '^record history c4d6e8f0a1b3 head=0 current=0 parents=a7b3c9d1e2f4,b2e8f0a4c6d3 '
run -c "$RE" --reporter json current
summarise "$T/out"
expect_summary '^record current f6a8b0c2d4e6 head=1 current=1 '
run -c "$RE" --reporter json branches
summarise "$T/out"
expect_summary '^record branch 8d4f2b6a9e10 '
run -c "$RE" --reporter json show c4d6e8f0a1b3
summarise "$T/out"
expect_summary '^record show c4d6e8f0a1b3 '
# The same listing as text is Alembic's, unchanged.
run -c "$RE" heads
expect_out_eq 'f6a8b0c2d4e6 (financials, leasing, maintenance) (head)'
# (Offline, up to the C script, which needs a live connection.)
run -c "$RE" --reporter json upgrade e5f7a9b1c3d5 --sql
expect_rc 0
summarise "$T/out"
expect_summary '^run_start target=e5f7a9b1c3d5 .* offline=1$'
expect_summary '^output '
expect_summary '^plan 5c1e0a7b3d21 8d4f2b6a9e10 '

printf '# the real estate example, JUnit\n'
run -c "$RE" --reporter junit downgrade base
expect_rc 0
cp "$T/out" "$T/re-down.xml"
xml_valid "$T/re-down.xml"
run -c "$RE" --reporter junit upgrade head
expect_rc 0
cp "$T/out" "$T/re-up.xml"
xml_valid "$T/re-up.xml"
expect_eq "testcases" "$(xpath "$T/re-up.xml" 'count(//testcase)')" 8
expect_eq "failures" "$(xpath "$T/re-up.xml" 'count(//failure)')" 0
expect_eq "first testcase" "$(xpath "$T/re-up.xml" 'string(//testcase[1]/@name)')" '5c1e0a7b3d21 create properties'

printf '# a failing statement\n'
new_project
DB="$T/p/test.db"
write_rev "$V" 0001_a1.sql a1 ''
cat >"$V/0002_b2.sql" <<'SQL'
-- a "quoted" message with \ and	tab
--
-- Revision ID: b2
-- Revises: a1

-- migrate:upgrade
CREATE TABLE ok1 (a integer);
INSERT INTO
    no_such_table VALUES (1);

-- migrate:downgrade
DROP TABLE ok1;
SQL
write_rev "$V" 0003_c3.sql c3 b2
"$SQLITE3" "$DB" "CREATE TABLE log (what text)"
run -c "$INI" --reporter json upgrade head
expect_rc 1
summarise "$T/out"
expect_summary '^step_end 1 a1 ok True$'
expect_summary '^step_end 2 b2 failed True$'
expect_summary "^error status=6 exit=1 file=$V/0002_b2.sql line=8 sqlstate=None reason=no such table: no_such_table "
expect_summary '^run_end failed exit=1 run=1 committed=0$'
checks=$((checks + 1))
! grep -q '^step_start 3' "$T/sum" || fail "a step ran after the failure"
# The error line for people is still on stderr.
expect_err "^migrator: error: $V/0002_b2.sql:8: no such table: no_such_table"
# Exit codes do not depend on the reporter.
run -c "$INI" upgrade head
expect_rc 1
run -c "$INI" --reporter junit upgrade head
expect_rc 1
cp "$T/out" "$T/fail.xml"
xml_valid "$T/fail.xml"
expect_eq "failures" "$(xpath "$T/fail.xml" 'count(//failure)')" 1
expect_eq "failing testcase" "$(xpath "$T/fail.xml" 'string(//testcase[failure]/@name)' | cut -d' ' -f1)" b2
expect_eq "skipped" "$(xpath "$T/fail.xml" 'count(//testcase[skipped])')" 1
checks=$((checks + 1))
xpath "$T/fail.xml" 'string(//failure)' | grep -q 'no such table' || fail "the failure does not carry the error"

printf '# JUnit of a good run\n'
rm -f "$V/0002_b2.sql" "$V/0003_c3.sql"
write_rev "$V" 0002_b2.sql b2 a1
run -c "$INI" --reporter junit upgrade head
expect_rc 0
cp "$T/out" "$T/ok.xml"
xml_valid "$T/ok.xml"
expect_eq "testcases" "$(xpath "$T/ok.xml" 'count(//testcase)')" 2
expect_eq "failures" "$(xpath "$T/ok.xml" 'count(//failure)')" 0
run -c "$INI" --reporter junit history
expect_rc 0
cp "$T/out" "$T/history.xml"
xml_valid "$T/history.xml"

printf '# --report-file, --report, reporter in the config\n'
run -c "$INI" --reporter json --report-file "$T/r.json" downgrade base
expect_rc 0
expect_err '^Running downgrade b2 -> a1, revision b2'
summarise "$T/r.json"
expect_summary '^run_end ok exit=0 run=2 committed=2$'
run -c "$INI" --report "junit:$T/r.xml" --report "json:$T/r2.json" upgrade head
expect_rc 0
expect_err '^Running upgrade a1 -> b2, revision b2'
xml_valid "$T/r.xml"
summarise "$T/r2.json"
expect_summary '^run_end ok exit=0 run=2 committed=2$'
printf 'reporter = json\n' >>"$INI"
run -c "$INI" heads
summarise "$T/out"
expect_summary '^record head b2 '
run -c "$INI" --reporter text heads
expect_out_eq 'b2 (head)'
sed -i '/^reporter = json$/d' "$INI"
# A warning logged before the reports open still reaches them.
printf 'lock_wiat = 5s\n' >>"$INI"
run -c "$INI" --reporter json heads
expect_rc 0
summarise "$T/out"
expect_summary "^message warning .*unknown key 'lock_wiat'"
expect_err "unknown key 'lock_wiat'"
sed -i '/^lock_wiat = 5s$/d' "$INI"

printf '# refusals before anything runs\n'
"$SQLITE3" "$DB" "DELETE FROM migrator_version; DELETE FROM migrator_log"
run -c "$INI" --report-file "$T/no/such/dir/r.json" --reporter json upgrade head
expect_rc 2
expect_err "cannot write the report '$T/no/such/dir/r.json'"
expect_eq "rows after a refused report" "$("$SQLITE3" "$DB" "SELECT count(*) FROM migrator_version")" 0
run -c "$INI" --reporter nosuch upgrade head
expect_rc 2
expect_err "reporter_nosuch"
run -c "$INI" --report junit upgrade head
expect_rc 2
# A config error is reported too.
printf '[migrator]\nlock_wait = 10 parsecs\n' >"$T/bad.ini"
run -c "$T/bad.ini" --reporter json upgrade head
expect_rc 2
summarise "$T/out"
expect_summary "^error status=3 exit=2 "
expect_summary '^run_end failed exit=2 '

# A report that cannot be written fails an otherwise good command.
run -c "$INI" --report "junit:/dev/full" heads
expect_rc 1
expect_err "report '/dev/full'.*No space left on device"
run -c "$INI" --reporter json --report-file /dev/full heads
expect_rc 1

printf '# quiet: errors only\n'
run -c "$INI" -q upgrade head
expect_rc 0
checks=$((checks + 1))
[ ! -s "$T/err" ] || fail "-q printed something for a good run"

printf '# progress and colour on a terminal, neither in a pipe\n'
rm -f "$DB"
"$SQLITE3" "$DB" "CREATE TABLE log (what text)"
TERM=xterm script -qec "'$MIGRATOR' -c '$INI' upgrade head" /dev/null >"$T/tty" 2>&1
checks=$((checks + 1))
grep -q "$(printf '\033')\[" "$T/tty" || fail "no colour on a terminal"
checks=$((checks + 1))
grep -q '\[2/2\] b2 revision b2' "$T/tty" || fail "no progress line on a terminal"
checks=$((checks + 1))
grep -q 'upgrade: 2 steps done in' "$T/tty" || fail "no summary on a terminal"
run -c "$INI" downgrade base
checks=$((checks + 1))
! grep -q "$(printf '\033')" "$T/err" || fail "escape codes in a pipe"
checks=$((checks + 1))
! grep -q '\[1/2\]' "$T/err" || fail "progress line in a pipe"
expect_err '^downgrade: 2 steps done in'
# stdout piped, stderr on the terminal: no escape codes either.
TERM=xterm script -qec "'$MIGRATOR' -c '$INI' upgrade head >'$T/piped'" /dev/null >"$T/tty" 2>&1
checks=$((checks + 1))
! grep -q "$(printf '\033')" "$T/tty" || fail "escape codes with stdout piped"
expect_eq "steps run with stdout piped" "$(grep -c '^Running upgrade' "$T/tty")" 2
run -c "$INI" downgrade base
TERM=xterm script -qec "'$MIGRATOR' -c '$INI' --color=never upgrade head" /dev/null >"$T/tty" 2>&1
checks=$((checks + 1))
! grep -q "$(printf '\033')\[3" "$T/tty" || fail "colour with --color=never"
TERM=xterm NO_COLOR=1 script -qec "'$MIGRATOR' -c '$INI' downgrade base" /dev/null >"$T/tty" 2>&1
checks=$((checks + 1))
! grep -q "$(printf '\033')\[3" "$T/tty" || fail "colour with NO_COLOR"

printf '# no password in any report (R11)\n'
cat >"$T/pw.ini" <<'INI'
[migrator]
script_location = %(here)s/p
version_locations = %(here)s/p/versions
database_url = postgresql://alice:S3cr3t;%%zz@127.0.0.1:1/db?connect_timeout=2
INI
chmod 600 "$T/pw.ini"
run -c "$T/pw.ini" --reporter json --report "junit:$T/pw.xml" --report "text:$T/pw.txt" upgrade head
checks=$((checks + 1))
[ "$rc" -eq 5 ] || [ "$rc" -eq 2 ] || fail "expected exit 5 or 2, got $rc"
summarise "$T/out"
expect_summary '^run_start target=head database=postgresql://alice:\*\*\*\*@127\.0\.0\.1:1/db'
checks=$((checks + 1))
! grep -rF 'S3cr3t' "$T/out" "$T/err" "$T/pw.xml" "$T/pw.txt" || fail "the password reached a report"
xml_valid "$T/pw.xml"
expect_eq "failures" "$(xpath "$T/pw.xml" 'count(//failure)')" 1

finish
