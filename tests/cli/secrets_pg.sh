#!/bin/sh
# Secrets are masked as libpq reads them: a percent-encoded key
# ("pass%77ord"), every secret option (sslpassword), in URLs and conninfo
# strings, on every sink (current -v, JSON, JUnit, errors); and a --url
# password is gone from the process's command line while it runs.
. "$top_srcdir/tests/cli/lib.sh"

PGDIR=$(mktemp -d /tmp/mgr-secrets-pg.XXXXXX) && rmdir "$PGDIR"
CONNINFO=$(sh "$top_srcdir/tests/pg/pg_server.sh" start "$PGDIR") || exit $?
trap 'sh "$top_srcdir/tests/pg/pg_server.sh" stop "$PGDIR" >/dev/null 2>&1' EXIT
SERVER=${CONNINFO% dbname=*}
psql -XAtq "$SERVER dbname=postgres" -c "CREATE DATABASE sec"
host=$(printf '%s\n' "$SERVER" | sed 's/.*host=\([^ ]*\).*/\1/')
port=$(printf '%s\n' "$SERVER" | sed 's/.*port=\([^ ]*\).*/\1/')
BASE="postgresql:///sec?host=$host&port=$port&user=postgres"

new_project
write_rev "$V" 0001_a1.sql a1 ''
"$MIGRATOR" -c "$INI" --url "$SERVER dbname=sec" upgrade head >/dev/null 2>&1
psql -XAtq "$SERVER dbname=sec" -c "CREATE TABLE log (what text)"

# no_secret FILE...: none of the test's secrets is in FILE.
no_secret() {
    for f in "$@"; do
        checks=$((checks + 1))
        ! grep -q 'S3cret' "$f" || fail "a secret in $f: $(grep 'S3cret' "$f")"
    done
}

printf '# pass%%77ord and sslpassword in a URL, on every sink\n'
URL="$BASE&pass%77ord=S3cretA&sslpassword=S3cretB"
run -c "$INI" --url "$URL" --report "junit:$T/r.xml" current -v
expect_rc 0
expect_out 'pass%77ord=\*\*\*\*&sslpassword=\*\*\*\*'
no_secret "$T/out" "$T/err" "$T/r.xml"
checks=$((checks + 1))
grep -q 'name="database" value=".*pass%77ord=\*\*\*\*' "$T/r.xml" ||
    fail "no masked database property: $(cat "$T/r.xml")"
run -c "$INI" --url "$URL" --reporter json current -v
expect_rc 0
expect_out '"database": ?"postgresql:///sec\?.*pass%77ord=\*\*\*\*&sslpassword=\*\*\*\*"'
no_secret "$T/out" "$T/err"

printf '# a conninfo string, quoted and spaced\n'
run -c "$INI" --url "$SERVER dbname=sec sslpassword = 'S3cret C' password=S3cretD" current -v
expect_rc 0
expect_out "sslpassword = '\*\*\*\*' password=\*\*\*\*"
no_secret "$T/out" "$T/err"

printf '# errors that quote the secret\n'
# libpq quotes a value it cannot decode.
run -c "$INI" --url "$BASE&sslpassword=S3cretE%zz" current
expect_rc 2
expect_err 'invalid percent-encoded token'
no_secret "$T/out" "$T/err"
run -c "$INI" --url "$BASE&pass%77ord=S3cretF%zz" --reporter json current
expect_rc 2
expect_out 'invalid percent-encoded token'
no_secret "$T/out" "$T/err"

printf '# the command line while it runs\n'
cat >"$V/0002_b2.sql" <<'SQL'
-- a slow one
--
-- Revision ID: b2
-- Revises: a1

-- migrate:upgrade
SELECT pg_sleep(3);

-- migrate:downgrade
SELECT 1;
SQL
"$MIGRATOR" -c "$INI" --url "postgresql://postgres:S3cretG@/sec?host=$host&port=$port" \
    upgrade head >"$T/out" 2>"$T/err" &
pid=$!
# The run connects and sleeps; read its command line meanwhile.
i=0
while [ $i -lt 20 ] && ! psql -XAtq "$SERVER dbname=sec" \
    -c "SELECT 1 FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%' AND pid <> pg_backend_pid()" |
    grep -q 1; do
    sleep 0.2
    i=$((i + 1))
done
tr '\0' ' ' <"/proc/$pid/cmdline" >"$T/cmdline"
wait $pid
rc=$?
expect_rc 0
no_secret "$T/cmdline" "$T/out" "$T/err"
checks=$((checks + 1))
grep -q -- "--url postgresql://postgres:\*\*\*\*@/sec" "$T/cmdline" ||
    fail "the command line: $(cat "$T/cmdline")"
expect_eq() { checks=$((checks + 1)); [ "$2" = "$3" ] || fail "$1: '$2' != '$3'"; }
expect_eq "version after the slow run" \
    "$(psql -XAtq "$SERVER dbname=sec" -c 'SELECT version_num FROM migrator_version')" b2

finish
