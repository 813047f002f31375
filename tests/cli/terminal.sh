#!/bin/sh
# Text from scripts and the database cannot drive the reader's terminal:
# an ESC, OSC or BEL in a message, a revision id or a database error is
# shown escaped on stderr, in listings and in a text report file;
# command output (offline SQL) stays byte for byte in a pipe and is
# escaped on a terminal.
. "$top_srcdir/tests/cli/lib.sh"
: "${SQLITE3:=sqlite3}"

ESC=$(printf '\033')
BEL=$(printf '\007')
# An OSC that sets the window title, and a colour change.
EVIL="${ESC}]0;owned${BEL}${ESC}[31mred"

# no_raw FILE WHAT: FILE holds no raw ESC or BEL.
no_raw() {
    checks=$((checks + 1))
    ! grep -q "[$ESC$BEL]" "$1" || fail "$2: a raw control character: $(od -c "$1" | head -5)"
}

new_project
cat >"$V/0001_a1.sql" <<SQL
-- msg $EVIL
--
-- Revision ID: a1
-- Revises:

-- migrate:upgrade
CREATE TABLE t (a integer);
SELECT '$EVIL';

-- migrate:downgrade
DROP TABLE t;
SQL
cat >"$V/0002_b2.sql" <<SQL
-- fails
--
-- Revision ID: b2
-- Revises: a1

-- migrate:upgrade
SELECT * FROM "no_$EVIL";

-- migrate:downgrade
SELECT 1;
SQL

printf '# a message on the Running line, and a database error\n'
run -c "$INI" --report-file "$T/report.txt" upgrade head
expect_rc 1
expect_err 'Running upgrade  -> a1, msg \\x1b\]0;owned\\x07\\x1b\[31mred'
expect_err 'no such table: no_\\x1b\]0;owned\\x07'
no_raw "$T/err" "stderr"
no_raw "$T/report.txt" "the text report"
checks=$((checks + 1))
grep -q 'no such table: no_\\x1b' "$T/report.txt" ||
    fail "the report lacks the escaped error: $(cat "$T/report.txt")"

printf '# listings\n'
run -c "$INI" history
expect_rc 0
expect_out 'msg \\x1b\]0;owned\\x07'
no_raw "$T/out" "history"
run -c "$INI" show a1
expect_rc 0
no_raw "$T/out" "show"

printf '# offline SQL: exact in a pipe, escaped on a terminal\n'
run -c "$INI" upgrade a1 --sql
expect_rc 0
checks=$((checks + 1))
grep -qF "SELECT '$EVIL'" "$T/out" || fail "offline SQL in a pipe was changed"
if command -v script >/dev/null 2>&1; then
    TERM=xterm script -qec "'$MIGRATOR' -c '$INI' --color=never upgrade a1 --sql" /dev/null >"$T/tty" 2>&1
    no_raw "$T/tty" "offline SQL on a terminal"
    checks=$((checks + 1))
    grep -q "SELECT '\\\\x1b\]0;owned" "$T/tty" || fail "offline SQL on a terminal: $(cat "$T/tty")"
else
    printf 'SKIP: no script(1): the terminal case is not checked\n'
fi

finish
