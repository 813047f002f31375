# tests/cli/lib.sh: helpers for the end-to-end tests. Source it first.
#
#   T              a fresh scratch directory under the build tree
#   run ARGS...    run $MIGRATOR; sets $rc, and $T/out and $T/err
#   expect_rc N    fail unless the last run exited N
#   expect_out RE / expect_err RE   grep -E the last run's stdout / stderr
#   expect_out_eq TEXT              stdout must equal TEXT exactly
#   write_rev DIR FILE ID PARENTS [EXTRA-HEADER-LINES]   a .sql script
#   finish         print the summary; exit 1 if anything failed

set -u
: "${MIGRATOR:?}" "${top_builddir:?}"
name=$(basename "$0" .sh)
T="$top_builddir/tests/cli/tmp-$name"
rm -rf "$T"
mkdir -p "$T"
failures=0
checks=0

fail() {
    failures=$((failures + 1))
    printf 'FAIL: %s\n' "$*"
    printf -- '--- stdout\n'; cat "$T/out" 2>/dev/null
    printf -- '--- stderr\n'; cat "$T/err" 2>/dev/null
}

run() {
    printf '$ migrator %s\n' "$*"
    "$MIGRATOR" "$@" >"$T/out" 2>"$T/err"
    rc=$?
}

expect_rc() {
    checks=$((checks + 1))
    [ "$rc" -eq "$1" ] || fail "expected exit $1, got $rc"
}

expect_out() {
    checks=$((checks + 1))
    grep -Eq -- "$1" "$T/out" || fail "stdout does not match /$1/"
}

expect_err() {
    checks=$((checks + 1))
    grep -Eq -- "$1" "$T/err" || fail "stderr does not match /$1/"
}

# expect_eq WHAT GOT WANT: one comparison, failing as "WHAT: got ..., wanted
# ...".
expect_eq() {
    checks=$((checks + 1))
    [ "$2" = "$3" ] || fail "$1: got '$2', wanted '$3'"
}

expect_no_out() {
    checks=$((checks + 1))
    ! grep -Eq -- "$1" "$T/out" || fail "stdout matches /$1/"
}

expect_out_eq() {
    checks=$((checks + 1))
    printf '%s\n' "$1" >"$T/want"
    cmp -s "$T/want" "$T/out" || {
        fail "stdout differs"
        diff -u "$T/want" "$T/out"
    }
}

# write_rev DIR FILE ID "PARENTS" [extra header lines]
write_rev() {
    {
        printf -- '-- revision %s\n--\n' "$3"
        printf -- '-- Revision ID: %s\n' "$3"
        printf -- '-- Revises: %s\n' "$4"
        [ $# -ge 5 ] && printf '%s\n' "$5"
        printf '\n-- migrate:upgrade\nINSERT INTO log VALUES (%s);\n' "'up:$3'"
        printf '\n-- migrate:downgrade\nINSERT INTO log VALUES (%s);\n' "'down:$3'"
    } >"$1/$2"
}

# new_project [EXTRA-INI-LINES]: $T/p with migrator.ini and an empty
# versions/; the database is $PROJECT_URL, else SQLite's $T/p/test.db.
new_project() {
    rm -rf "$T/p"
    mkdir -p "$T/p/versions"
    cat >"$T/p/migrator.ini" <<INI
[migrator]
script_location = %(here)s
version_locations = %(here)s/versions
database_url = ${PROJECT_URL:-sqlite:///%(here)s/test.db}
${1:-}
INI
    chmod 600 "$T/p/migrator.ini"
    INI="$T/p/migrator.ini"
    V="$T/p/versions"
}

finish() {
    printf '%d checks, %d failed\n' "$checks" "$failures"
    [ "$failures" -eq 0 ] && rm -rf "$T"
    [ "$failures" -eq 0 ]
}

# other_user PREFIX WHAT: a throwaway user (PREFIX and the pid) in $user,
# its uid in $uid, removed when the test exits. Without root the test
# ends here: skipped (exit 77) with WHAT as the reason, or failed when an
# earlier check failed.
other_user() {
    if [ "$(id -u)" -ne 0 ]; then
        printf 'SKIP: %s needs root (useradd, chown)\n' "$2"
        finish || exit 1
        exit 77
    fi
    user=$1$$
    useradd -M -s /usr/sbin/nologin "$user" ||
        { fail "useradd failed"; finish; exit 1; }
    trap 'userdel "$user" 2>/dev/null' EXIT
    uid=$(id -u "$user")
}

# start_pg PREFIX: a private PostgreSQL server (tests/pg/pg_server.sh) in
# a new directory /tmp/PREFIX.XXXXXX, $PGDIR; its conninfo without dbname
# in $SERVER, its port in $SERVER_PORT. It is stopped when the test
# exits, after the commands in $at_exit (set them later, e.g. to stop a
# process the test started).
start_pg() {
    PGDIR=$(mktemp -d "/tmp/$1.XXXXXX") && rmdir "$PGDIR"
    CONNINFO=$(sh "$top_srcdir/tests/pg/pg_server.sh" start "$PGDIR") ||
        exit $?
    trap 'eval "${at_exit:-:}"; sh "$top_srcdir/tests/pg/pg_server.sh" stop "$PGDIR" >/dev/null 2>&1' EXIT
    SERVER=${CONNINFO% dbname=*}
    SERVER_PORT=${SERVER##*port=}
    SERVER_PORT=${SERVER_PORT%% *}
}
