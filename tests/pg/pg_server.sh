#!/bin/sh
# tests/pg/pg_server.sh: a private PostgreSQL server for the tests.
#
#   pg_server.sh start [DIR]   initdb into DIR/data, start a server that
#                              listens only on a Unix socket in DIR, and
#                              print its conninfo on stdout:
#                                host=DIR port=N user=postgres dbname=postgres
#                              DIR (absent or empty) must be under the build
#                              tree or /tmp; without it, mktemp -d makes one.
#   pg_server.sh stop DIR      stop that server (pg_ctl stop -m fast) and
#                              remove DIR.
#
# As root the server runs as the "postgres" user (initdb refuses root):
# DIR is given to that user, and its parents must let it through (a
# mktemp -d directory under /tmp always does). As anyone else it runs as
# the caller.
#
# Authentication on the socket is trust, except for members of the role
# mgr_password_auth (a test may create it), who must give a SCRAM
# password: that is how tests reach the "wrong password" refusal.
#
# No PostgreSQL server binaries (initdb, pg_ctl): exit 77, the automake
# code for a skipped test, unless MGR_PGSQL_TESTS_REQUIRED is 1 or yes
# (configure --enable-pgsql-tests), where it is a failure (exit 99).
# The binaries are found through $PG_BINDIR, `pg_config --bindir`,
# /usr/lib/postgresql/*/bin (newest first) and $PATH, in that order.

set -u
me=pg_server.sh
marker=.mgr_pg_server

die() {
    printf '%s: error: %s\n' "$me" "$*" >&2
    exit 99
}

skip() {
    case ${MGR_PGSQL_TESTS_REQUIRED:-} in
    1 | yes)
        die "$*; the PostgreSQL tests are required (--enable-pgsql-tests)" ;;
    esac
    printf '%s: SKIP: %s\n' "$me" "$*" >&2
    exit 77
}

usage() {
    printf 'usage: %s start [DIR] | stop DIR\n' "$me" >&2
    exit 2
}

has_server() {
    [ -x "$1/initdb" ] && [ -x "$1/pg_ctl" ] && [ -x "$1/postgres" ]
}

find_bindir() {
    if [ -n "${PG_BINDIR:-}" ] && has_server "$PG_BINDIR"; then
        echo "$PG_BINDIR"
        return 0
    fi
    d=$(pg_config --bindir 2>/dev/null) && has_server "$d" && {
        echo "$d"
        return 0
    }
    for d in $(printf "%s\n" /usr/lib/postgresql/*/bin | sort -r -V); do
        if has_server "$d"; then
            echo "$d"
            return 0
        fi
    done
    d=$(command -v initdb 2>/dev/null) && d=$(dirname "$d") &&
        has_server "$d" && {
        echo "$d"
        return 0
    }
    return 1
}

is_root() {
    [ "$(id -u)" -eq 0 ]
}

# Run a command as the server's user.
as_server() {
    if is_root; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

start() {
    dir=${1:-}
    bindir=$(find_bindir) ||
        skip "no PostgreSQL server binaries (initdb, pg_ctl, postgres) found"
    if is_root; then
        command -v runuser >/dev/null 2>&1 ||
            skip "running as root, and no runuser to become 'postgres'"
        id postgres >/dev/null 2>&1 ||
            skip "running as root, and no 'postgres' user to run the server"
    fi
    if [ -z "$dir" ]; then
        dir=$(mktemp -d "${TMPDIR:-/tmp}/mgr-pg.XXXXXX") ||
            die "cannot make a directory with mktemp -d"
    fi
    case $dir in
    /*) ;;
    *) dir=$(pwd)/$dir ;;
    esac
    case $dir in
    *[!A-Za-z0-9_./+-]*)
        die "'$dir': use a directory name of letters, digits and ._/+- only" ;;
    esac
    port=$(( 20000 + $$ % 30000 ))
    [ ${#dir} -le 80 ] ||
        die "'$dir' is too long for a Unix socket path; use mktemp -d"
    mkdir -p "$dir" || die "cannot create '$dir'"
    [ -z "$(ls -A "$dir")" ] || die "'$dir' is not empty"
    : >"$dir/$marker" || die "cannot write in '$dir'"
    if is_root; then
        chown -R postgres "$dir" || die "cannot give '$dir' to postgres"
        runuser -u postgres -- test -w "$dir" ||
            die "the postgres user cannot reach '$dir' (a parent" \
                "directory is closed to it); use mktemp -d under /tmp"
    fi

    as_server "$bindir/initdb" -D "$dir/data" -U postgres -A trust \
        -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2
        die "initdb failed in '$dir/data'"
    }
    cat >>"$dir/data/postgresql.conf" <<EOF

# pg_server.sh: Unix socket only, in the test directory; speed over safety
listen_addresses = ''
port = $port
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 40
shared_buffers = 16MB
EOF
    cat >"$dir/data/pg_hba.conf" <<EOF
# pg_server.sh: trust on the socket, except for mgr_password_auth's members
local all +mgr_password_auth scram-sha-256
local all all trust
EOF
    as_server "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
        -t 60 start >/dev/null 2>&1 || {
        tail -n 20 "$dir/server.log" >&2 2>/dev/null
        die "the server in '$dir/data' did not start"
    }
    printf 'host=%s port=%s user=postgres dbname=postgres\n' "$dir" "$port"
}

stop() {
    dir=${1:-}
    [ -n "$dir" ] || usage
    [ -d "$dir" ] || return 0
    [ -f "$dir/$marker" ] ||
        die "'$dir' was not made by '$me start'; leaving it alone"
    if [ -f "$dir/data/postmaster.pid" ]; then
        if bindir=$(find_bindir); then
            as_server "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 60 \
                stop >/dev/null 2>&1 ||
                printf '%s: warning: pg_ctl stop failed in %s\n' "$me" \
                    "$dir" >&2
        else
            pid=$(head -n 1 "$dir/data/postmaster.pid")
            kill -INT "$pid" 2>/dev/null
            sleep 2
        fi
    fi
    rm -rf "$dir"
}

case ${1:-} in
start)
    [ $# -le 2 ] || usage
    start "${2:-}" ;;
stop)
    [ $# -eq 2 ] || usage
    stop "$2" ;;
*)
    usage ;;
esac
