#!/bin/sh
# Reliability of real runs on SQLite: concurrent runs serialised by the
# migration lock, a failing statement that leaves nothing of its revision
# behind (upgrade and downgrade alike), statements refused before anything
# is sent, hostile version table names, and offline mode that never
# touches the database file. Numbers are those of the reliability plan.
. "$top_srcdir/tests/cli/lib.sh"
: "${SQLITE3:=sqlite3}"

bg_pids=
cleanup() {
    for p in $bg_pids; do
        kill "$p" 2>/dev/null
    done
    exec 9>&-
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

q() { "$SQLITE3" -batch "$DB" "$1"; }
check() { checks=$((checks + 1)); }
vt() { q 'SELECT version_num FROM migrator_version ORDER BY 1' | tr '\n' ' '; }
snapshot() {
    "$SQLITE3" -batch "$DB" .schema 2>/dev/null
    q 'SELECT * FROM migrator_version ORDER BY 1' 2>/dev/null
    q 'SELECT revision, direction, status FROM migrator_log ORDER BY rowid' \
        2>/dev/null
}
integrity_ok() {
    check
    [ "$(q 'PRAGMA integrity_check')" = ok ] || fail "integrity_check: $1"
}

# rev FILE ID PARENT: a revision whose upgrade creates table t_ID and logs
# itself in table log, and whose downgrade undoes both.
rev() {
    cat >"$V/$1" <<SQL
-- revision $2
--
-- Revision ID: $2
-- Revises: $3

-- migrate:upgrade
CREATE TABLE t_$2 (x integer);
INSERT INTO log VALUES ('up:$2');

-- migrate:downgrade
DROP TABLE t_$2;
INSERT INTO log VALUES ('down:$2');
SQL
}

base_rev() {
    cat >"$V/$1" <<SQL
-- revision $2
--
-- Revision ID: $2
-- Revises:

-- migrate:upgrade
CREATE TABLE log (what text NOT NULL);
INSERT INTO log VALUES ('up:$2');

-- migrate:downgrade
DROP TABLE log;
SQL
}

# ---- #7: concurrent upgrades of one SQLite database ----------------------

# A revision that keeps the lock for about three seconds: a recursive CTE
# counted into a table (CPU only, no large file).
slow_rev() {
    cat >"$V/$1" <<SQL
-- slow
--
-- Revision ID: $2
-- Revises: $3

-- migrate:upgrade
CREATE TABLE slow (n integer);
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c
                        WHERE x < 15000000)
INSERT INTO slow SELECT count(*) FROM c;
INSERT INTO log VALUES ('up:$2');

-- migrate:downgrade
DROP TABLE slow;
SQL
}

# race N ARGS...: start N migrators with ARGS at the same instant. Each
# child announces itself, then blocks reading one line from a FIFO that
# this shell holds open; one write releases them all together. Results:
# $T/race.I.out, .err, .rc. Every child is bounded by timeout(1).
race() {
    n=$1
    shift
    rm -f "$T/go" "$T"/race.*
    mkfifo "$T/go" || { fail "mkfifo failed"; return; }
    # Read-write: opening does not block, and the FIFO stays open until
    # every child has read its line.
    exec 9<>"$T/go"
    pids=
    i=1
    while [ "$i" -le "$n" ]; do
        (
            exec 9>&-
            : >"$T/race.$i.ready"
            read -r _ <"$T/go"
            timeout 60 "$MIGRATOR" "$@" >"$T/race.$i.out" 2>"$T/race.$i.err"
            echo $? >"$T/race.$i.rc"
        ) &
        pids="$pids $!"
        i=$((i + 1))
    done
    bg_pids="$bg_pids $pids"
    # Bounded wait until every child is about to read.
    k=0
    while [ "$k" -lt 100 ]; do
        ready=$(ls "$T"/race.*.ready 2>/dev/null | wc -l)
        [ "$ready" -ge "$n" ] && break
        sleep 0.1
        k=$((k + 1))
    done
    sleep 0.3
    i=0
    lines=
    while [ "$i" -lt "$n" ]; do
        lines="${lines}go
"
        i=$((i + 1))
    done
    printf '%s' "$lines" >&9
    for p in $pids; do
        wait "$p"
    done
    exec 9>&-
    bg_pids=
}

# count_rc CODE: how many racers exited CODE.
count_rc() {
    cat "$T"/race.*.rc 2>/dev/null | grep -cx "$1"
}

printf '# 7: three upgrades at the same instant, lock_wait=30s, WAL\n'
new_project 'lock_wait = 30s'
DB="$T/p/test.db"
base_rev 0001_r1.sql r1
slow_rev 0002_r2.sql r2 r1
rev 0003_r3.sql r3 r2
q 'PRAGMA journal_mode = WAL' >/dev/null
race 3 -v -c "$INI" upgrade head
check
[ "$(count_rc 0)" -eq 3 ] ||
    fail "#7: not all three runs exited 0: $(cat "$T"/race.*.rc | tr '\n' ' ')"
check
! grep -l 'database is locked' "$T"/race.*.err >/dev/null ||
    fail "#7: 'database is locked' in a run's stderr"
check
[ "$(cat "$T"/race.*.err | grep -c 'Running upgrade  -> r1')" -eq 1 ] ||
    fail "#7: r1 was not run exactly once"
check
[ "$(cat "$T"/race.*.err | grep -c 'Running upgrade r1 -> r2')" -eq 1 ] ||
    fail "#7: r2 was not run exactly once"
# Those that waited said so, naming the holder. (Under a heavy load a
# run may start only after the holder is done, and then never waits.)
waits=$(cat "$T"/race.*.err | grep -c '^migrator: waiting for the migration')
named=$(cat "$T"/race.*.err |
    grep -Ec "^migrator: waiting for the migration lock '[^']*' \([0-9]+s of 30s\): held by (pid [0-9]+|another process) \(lock file '$DB-")
check
[ "$waits" -ge 1 ] && [ "$named" -eq "$waits" ] ||
    fail "#7: $waits waiting lines, $named of them naming the holder"
check
[ "$(vt)" = "r3 " ] || fail "#7: version table is '$(vt)', not r3"
check
[ "$(q 'SELECT what FROM log ORDER BY rowid' | tr '\n' ,)" = \
    "up:r1,up:r2,up:r3," ] || fail "#7: each revision did not run once"
check
[ "$(q "SELECT revision FROM migrator_log WHERE direction = 'upgrade'
        ORDER BY rowid" | tr '\n' ,)" = "r1,r2,r3," ] ||
    fail "#7: migrator_log does not hold each revision once"
check
[ "$(q 'SELECT n FROM slow')" = 15000000 ] || fail "#7: slow revision wrong"
check
[ "$(q 'PRAGMA journal_mode')" = wal ] || fail "#7: journal mode changed"
integrity_ok "#7"

printf '# 7: the same with lock_wait=1s: the losers give up with exit 3\n'
new_project 'lock_wait = 1s'
base_rev 0001_r1.sql r1
slow_rev 0002_r2.sql r2 r1
rev 0003_r3.sql r3 r2
race 3 -c "$INI" upgrade head
check
[ "$(count_rc 0)" -eq 1 ] && [ "$(count_rc 3)" -eq 2 ] ||
    fail "#7: wanted one 0 and two 3, got $(cat "$T"/race.*.rc | tr '\n' ' ')"
for i in 1 2 3; do
    [ "$(cat "$T/race.$i.rc")" = 3 ] || continue
    check
    grep -q "^migrator: error: migration lock '[^']*' not acquired within \
1000 ms: held by pid [0-9][0-9]* (lock file '$DB-migrator\.lock'); nothing \
was changed; wait for that run to end or raise lock_wait$" \
        "$T/race.$i.err" ||
        fail "#7: loser $i: unclear message: $(cat "$T/race.$i.err")"
    check
    ! grep -q 'Running upgrade' "$T/race.$i.err" ||
        fail "#7: loser $i ran a revision"
done
check
[ "$(vt)" = "r3 " ] || fail "#7: version table is '$(vt)', not r3"
check
[ "$(q 'SELECT what FROM log ORDER BY rowid' | tr '\n' ,)" = \
    "up:r1,up:r2,up:r3," ] || fail "#7: each revision did not run once"
integrity_ok "#7 lock_wait=1s"
# The lock is free again: a new run finds nothing to do at once.
run -c "$INI" upgrade head
expect_rc 0

# ---- #12: a transactional revision fails at statement 3 of 5 -------------

# r3 has five statements; the third (line 14) names a missing table.
fail_rev() {
    cat >"$V/0003_r3.sql" <<'SQL'
-- five statements
--
-- Revision ID: r3
-- Revises: r2

-- migrate:upgrade
CREATE TABLE s1 (x integer);
INSERT INTO s1 VALUES (1);
-- the third statement spans lines 14 and 15; lines
-- 11 to 13 are comments
-- that the error line
-- must skip
--
ALTER TABLE nope
    ADD COLUMN c integer;
CREATE TABLE s4 (x integer);
INSERT INTO log VALUES ('up:r3');

-- migrate:downgrade
DROP TABLE s4;
DROP TABLE s1;
SQL
}

printf '# 12: statement 3 of 5 fails, one transaction per revision\n'
new_project 'transaction_per_migration = true'
base_rev 0001_r1.sql r1
rev 0002_r2.sql r2 r1
fail_rev
rev 0004_r4.sql r4 r3
run -c "$INI" upgrade head
expect_rc 1
expect_err "^migrator: error: $V/0003_r3\.sql:14: no such table: nope$"
check
! grep -q 'r3 -> r4' "$T/err" || fail "#12: r4 was attempted"
check
[ "$(vt)" = "r2 " ] || fail "#12: version table is '$(vt)', not r2"
check
[ "$(q "SELECT name FROM sqlite_master WHERE name GLOB 't_*'
        OR name GLOB 's[0-9]' ORDER BY 1" | tr '\n' ' ')" = "t_r2 " ] ||
    fail "#12: r2 lost or r3 half-applied: $(q .tables)"
check
[ "$(q 'SELECT what FROM log ORDER BY rowid' | tr '\n' ,)" = "up:r1,up:r2," ] ||
    fail "#12: log rows wrong"
check
[ "$(q 'SELECT revision FROM migrator_log ORDER BY rowid' | tr '\n' ,)" = \
    "r1,r2," ] || fail "#12: migrator_log rows wrong"
integrity_ok "#12"
run -c "$INI" check
expect_rc 1
# Fixed, the rerun applies r3 and r4.
sed 's/^ALTER TABLE nope$/ALTER TABLE s1/' "$V/0003_r3.sql" >"$T/fixed" &&
    mv "$T/fixed" "$V/0003_r3.sql"
run -c "$INI" upgrade head
expect_rc 0
check
[ "$(vt)" = "r4 " ] || fail "#12: rerun did not reach r4"
check
[ "$(q 'SELECT x FROM s1 WHERE c IS NULL')" = 1 ] || fail "#12: fixed r3 not applied"
integrity_ok "#12 rerun"

printf '# 12: default (one transaction for the run)\n'
new_project
base_rev 0001_r1.sql r1
rev 0002_r2.sql r2 r1
fail_rev
rev 0004_r4.sql r4 r3
# From an empty database the whole run rolls back (DESIGN.md:
# one transaction for the whole run).
run -c "$INI" upgrade head
expect_rc 1
expect_err "0003_r3\.sql:14: no such table: nope$"
check
[ -z "$(vt)" ] || fail "#12: the failed run left version rows '$(vt)'"
check
[ -z "$(q "SELECT name FROM sqlite_master WHERE name IN ('log', 't_r2', 's1')")" ] ||
    fail "#12: the failed run left tables behind"
check
[ "$(q 'SELECT count(*) FROM migrator_log')" = 0 ] ||
    fail "#12: the failed run left migrator_log rows"
# Revisions applied by an earlier run stay.
run -c "$INI" upgrade r2
expect_rc 0
before=$(snapshot)
run -c "$INI" upgrade head
expect_rc 1
expect_err "0003_r3\.sql:14: no such table: nope$"
check
[ "$(snapshot)" = "$before" ] || fail "#12: the failed run changed something"
check
[ "$(vt)" = "r2 " ] || fail "#12: version table is '$(vt)', not r2"
integrity_ok "#12 default"

printf '# 12 (F2b): PRAGMA foreign_keys in a transactional section\n'
cat >"$V/0003_r3.sql" <<'SQL'
-- rebuild with foreign keys off
--
-- Revision ID: r3
-- Revises: r2

-- migrate:upgrade
CREATE TABLE s1 (x integer);
INSERT INTO log VALUES ('up:r3');
PRAGMA foreign_keys = OFF;
CREATE TABLE s4 (x integer);

-- migrate:downgrade
DROP TABLE s4;
DROP TABLE s1;
SQL
rm -f "$V/0004_r4.sql"
before=$(snapshot)
run -c "$INI" upgrade head
expect_rc 2
expect_err "^migrator: error: $V/0003_r3\.sql:9: PRAGMA foreign_keys .*cannot run inside a transaction; move it to a section marked 'transaction=false'$"
expect_no_out .
check
! grep -q 'Running upgrade' "$T/err" || fail "#12 F2b: a step was announced"
check
[ "$(snapshot)" = "$before" ] || fail "#12 F2b: something was executed"
# The same statement in a transaction=false section is accepted.
sed 's/^-- migrate:upgrade$/-- migrate:upgrade transaction=false/' \
    "$V/0003_r3.sql" >"$T/nt" && mv "$T/nt" "$V/0003_r3.sql"
run -c "$INI" upgrade head
expect_rc 0
check
[ "$(vt)" = "r3 " ] || fail "#12 F2b: transaction=false section not applied"
check
[ "$(q "SELECT count(*) FROM sqlite_master WHERE name IN ('s1', 's4')")" = 2 ] ||
    fail "#12 F2b: transaction=false section incomplete"
integrity_ok "#12 F2b"

# ---- #24: a failing downgrade is symmetric --------------------------------

# bad_down FILE ID PARENT: r's downgrade fails at its third statement,
# line 14, after two that succeed.
bad_down() {
    cat >"$V/$1" <<SQL
-- revision $2 with a broken downgrade
--
-- Revision ID: $2
-- Revises: $3

-- migrate:upgrade
CREATE TABLE t_$2 (x integer);
INSERT INTO log VALUES ('up:$2');

-- migrate:downgrade
INSERT INTO log VALUES ('down:$2');
DROP TABLE t_$2;
-- the next statement fails
DROP TABLE nope;
SQL
}

printf '# 24: the downgrade of r3 fails on line 14\n'
new_project
base_rev 0001_r1.sql r1
rev 0002_r2.sql r2 r1
bad_down 0003_r3.sql r3 r2
run -c "$INI" upgrade head
expect_rc 0
before=$(snapshot)
run -c "$INI" downgrade r2
expect_rc 1
expect_err 'Running downgrade r3 -> r2'
expect_err "^migrator: error: $V/0003_r3\.sql:14: no such table: nope$"
check
[ "$(vt)" = "r3 " ] || fail "#24: version table is '$(vt)', not r3"
check
[ "$(snapshot)" = "$before" ] || fail "#24: the failed downgrade left changes"
check
[ "$(q 'SELECT what FROM log ORDER BY rowid' | tr '\n' ,)" = \
    "up:r1,up:r2,up:r3," ] || fail "#24: downgrade statements 1-2 kept"
integrity_ok "#24"
run -c "$INI" downgrade base
expect_rc 1
check
[ "$(snapshot)" = "$before" ] || fail "#24: downgrade base left changes"
run -c "$INI" check
expect_rc 0

printf '# 24: one transaction per revision: the steps before the failure stay\n'
new_project 'transaction_per_migration = true'
base_rev 0001_r1.sql r1
bad_down 0002_r2.sql r2 r1
rev 0003_r3.sql r3 r2
run -c "$INI" upgrade head
expect_rc 0
run -c "$INI" downgrade base
expect_rc 1
expect_err 'Running downgrade r3 -> r2'
expect_err "0002_r2\.sql:14: no such table: nope$"
check
! grep -q 'r1 -> ,' "$T/err" || fail "#24: r1 was downgraded after a failure"
check
[ "$(vt)" = "r2 " ] || fail "#24: version table is '$(vt)', not r2"
check
[ "$(q 'SELECT what FROM log ORDER BY rowid' | tr '\n' ,)" = \
    "up:r1,up:r2,up:r3,down:r3," ] || fail "#24: log rows wrong"
check
[ -n "$(q "SELECT name FROM sqlite_master WHERE name = 't_r2'")" ] ||
    fail "#24: r2's table dropped by the failed downgrade"
check
[ "$(q "SELECT revision || ' ' || direction FROM migrator_log
        ORDER BY rowid" | tr '\n' ,)" = \
    "r1 upgrade,r2 upgrade,r3 upgrade,r3 downgrade," ] ||
    fail "#24: migrator_log rows wrong"
integrity_ok "#24 per revision"

# ---- #50: hostile version table names -------------------------------------

printf '# 50: version_table names that need quoting round-trip\n'
# Each name, between bars, as the INI gives it (%% is a single %).
for name in 'x"; DROP TABLE canary; --' "a'); DROP TABLE canary; --" \
    '[br;ack]' 'back`tick' 'semi;colon' 'ünïcödé' '50%%'; do
    want=$(printf '%s' "$name" | sed 's/%%/%/g')
    new_project "version_table = $name"
    base_rev 0001_r1.sql r1
    rev 0002_r2.sql r2 r1
    q 'CREATE TABLE canary (x integer); INSERT INTO canary VALUES (42)'
    run -c "$INI" upgrade head
    expect_rc 0
    run -c "$INI" current
    expect_rc 0
    expect_out_eq 'r2 (head)'
    run -c "$INI" downgrade r1
    expect_rc 0
    run -c "$INI" stamp r2
    expect_rc 0
    run -c "$INI" check
    expect_rc 0
    lit=$(printf '%s' "$want" | sed "s/'/''/g")
    check
    [ "$(q "SELECT name FROM sqlite_master WHERE type = 'table'
            AND name = '$lit'")" = "$want" ] ||
        fail "#50: no table named exactly '$want': $(q .tables)"
    id=$(printf '%s' "$want" | sed 's/"/""/g')
    check
    [ "$(q "SELECT version_num FROM \"$id\"")" = r2 ] ||
        fail "#50: '$want' does not hold r2"
    check
    [ "$(q 'SELECT x FROM canary')" = 42 ] || fail "#50: canary lost ($want)"
    # The offline script, run by sqlite3 on a fresh database with a canary.
    run -c "$INI" upgrade --sql head
    expect_rc 0
    rm -f "$T/off.db"
    "$SQLITE3" -batch -bail "$T/off.db" \
        'CREATE TABLE canary (x integer); INSERT INTO canary VALUES (7)'
    check
    "$SQLITE3" -batch -bail "$T/off.db" <"$T/out" >"$T/off.log" 2>&1 ||
        fail "#50: offline SQL for '$want' fails: $(cat "$T/off.log")"
    check
    [ "$("$SQLITE3" "$T/off.db" "SELECT version_num FROM \"$id\"")" = r2 ] ||
        fail "#50: offline SQL did not fill '$want'"
    check
    [ "$("$SQLITE3" "$T/off.db" 'SELECT x FROM canary')" = 7 ] ||
        fail "#50: offline SQL dropped the canary ($want)"
done

printf '# 50: names of 64 bytes are refused, 63 are kept whole\n'
long63=$(printf '%063d' 0 | tr 0 v)
new_project "version_table = ${long63}w"
base_rev 0001_r1.sql r1
for cmd in 'upgrade head' 'upgrade --sql head' current 'stamp r1'; do
    # shellcheck disable=SC2086
    run -c "$INI" $cmd
    expect_rc 2
    expect_err "^migrator: error: $INI:5: 'version_table' is 64 bytes long, at most 63 are allowed"
    check
    [ ! -e "$T/p/test.db" ] || fail "#50: '$cmd' opened the database"
done
# 32 two-byte characters are 64 bytes too.
new_project "version_table = $(printf '%032d' 0 | sed 's/0/é/g')"
base_rev 0001_r1.sql r1
run -c "$INI" upgrade head
expect_rc 2
expect_err "'version_table' is 64 bytes long"
check
[ ! -e "$T/p/test.db" ] || fail "#50: a 64-byte name opened the database"
new_project "version_table = $long63"
base_rev 0001_r1.sql r1
run -c "$INI" upgrade head
expect_rc 0
check
[ "$(q "SELECT version_num FROM $long63")" = r1 ] ||
    fail "#50: the 63-byte table does not hold r1"

printf '# 50: version_table_schema names an unknown SQLite database\n'
new_project 'version_table = x"; DROP TABLE canary; --
version_table_schema = Weird Schema'
base_rev 0001_r1.sql r1
q 'CREATE TABLE canary (x integer); INSERT INTO canary VALUES (42)'
before=$(snapshot)
run -c "$INI" upgrade head
expect_rc 1
expect_err "unknown database .Weird Schema."
check
[ "$(snapshot)" = "$before" ] || fail "#50: an unknown schema changed the file"
check
[ "$(q 'SELECT x FROM canary')" = 42 ] || fail "#50: canary lost"

# ---- #58: offline mode never touches the database -------------------------

printf '# 58: --sql never creates, opens or locks the database file\n'
new_project
base_rev 0001_r1.sql r1
rev 0002_r2.sql r2 r1
cat >"$V/0003_r3.sql" <<'SQL'
-- outside a transaction
--
-- Revision ID: r3
-- Revises: r2

-- migrate:upgrade transaction=false
CREATE TABLE n1 (x integer);
INSERT INTO n1 VALUES (1);
INSERT INTO log VALUES ('up:r3');

-- migrate:downgrade
DROP TABLE n1;
SQL
rev 0004_r4.sql r4 r3
for cmd in 'upgrade --sql head' 'upgrade --sql r1:head' \
    'downgrade --sql r4:base' 'stamp --sql head'; do
    # shellcheck disable=SC2086
    run -c "$INI" $cmd
    expect_rc 0
    check
    [ ! -e "$DB" ] && [ ! -e "$DB-migrator.lock" ] &&
        [ ! -e "$DB-journal" ] && [ ! -e "$DB-wal" ] ||
        fail "#58: '$cmd' touched the database: $(ls "$T/p")"
done
# A database path that cannot exist does not matter either.
run -c "$INI" --url "sqlite:///$T/p/no/such/dir/x.db" upgrade --sql head
expect_rc 0
check
[ ! -e "$T/p/no" ] || fail "#58: --sql created a directory"
# An existing database is left byte for byte as it was.
run -c "$INI" upgrade r2
expect_rc 0
cp "$DB" "$T/before.db"
run -c "$INI" upgrade --sql r2:head
expect_rc 0
check
cmp -s "$DB" "$T/before.db" || fail "#58: --sql changed the database"

printf '# 58: the offline script builds what the online run builds\n'
run -c "$INI" upgrade --sql head
expect_rc 0
cp "$T/out" "$T/offline.sql"
expect_out '^COMMIT;$'
# The transaction=false section sits outside any BEGIN ... COMMIT.
check
awk '/^BEGIN;$/ { open = 1 } /^COMMIT;$/ { open = 0 }
     /^CREATE TABLE n1 / { if (open) bad = 1; seen = 1 }
     END { exit bad || !seen }' "$T/offline.sql" ||
    fail "#58: the transaction=false section is inside a transaction"
rm -f "$T/off.db"
check
"$SQLITE3" -batch -bail "$T/off.db" <"$T/offline.sql" >"$T/off.log" 2>&1 ||
    fail "#58: the offline script fails: $(cat "$T/off.log")"
rm -f "$DB"
run -c "$INI" upgrade head
expect_rc 0
# Tables other than migrator's own, and the version rows, must agree.
dump() {
    "$SQLITE3" -batch "$1" "SELECT name, sql FROM sqlite_master
        WHERE tbl_name NOT LIKE 'migrator%' ORDER BY name" \
        'SELECT * FROM log ORDER BY rowid' \
        'SELECT version_num FROM migrator_version ORDER BY 1'
}
check
[ "$(dump "$T/off.db")" = "$(dump "$DB")" ] || {
    fail "#58: offline and online results differ"
    dump "$T/off.db" >"$T/a"
    dump "$DB" >"$T/b"
    diff -u "$T/a" "$T/b"
}

finish
