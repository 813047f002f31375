#!/usr/bin/env bash
# bench/introspect.sh: time `migrator schema dump` against
# `pg_dump --schema-only` on one generated PostgreSQL schema.  See
# bench/README.md.
#
#   bench/introspect.sh [--tables N] [--runs N] [--timeout S] [--keep]
#                       [MIGRATOR_BINARY]

set -u

usage() {
    cat <<'EOF'
usage: bench/introspect.sh [options] [MIGRATOR_BINARY]

Generates a schema of N tables (each with a primary key, a foreign key to
an earlier table, a CHECK, a default or two and one or two indexes), loads
it into a private PostgreSQL server (tests/pg/pg_server.sh), and times
`migrator schema dump` and `pg_dump --schema-only` on that database, one
after the other in the same run.  Prints the median of each and their ratio.

options:
  --tables N   tables in the schema (default 500)
  --runs N     timed runs per command, after one checked warm-up (default 7)
  --timeout S  seconds allowed for one run (default 600)
  --keep       keep the server, the schema and the dumps; print where
  -h, --help   this text

MIGRATOR_BINARY defaults to the build tree's core/migrator (an in-tree
build, _build/ or build/ next to bench/), else `migrator` on PATH.
pg_dump is the one of the server's version (`pg_config --bindir`), else
pg_dump on PATH.

Exit status: 0 when both commands succeeded and both dumps hold every
table, 1 otherwise, 2 on a usage error or when no server can be started.
EOF
}

. "$(dirname "$0")/lib.sh"

tables=500
runs=7
timeout=600
keep=0
migrator=

while [ $# -gt 0 ]; do
    case $1 in
    --tables) [ $# -ge 2 ] || die "--tables needs a value"; tables=$2; shift 2 ;;
    --tables=*) tables=${1#*=}; shift ;;
    --runs) [ $# -ge 2 ] || die "--runs needs a value"; runs=$2; shift 2 ;;
    --runs=*) runs=${1#*=}; shift ;;
    --timeout) [ $# -ge 2 ] || die "--timeout needs a value"
        timeout=$2; shift 2 ;;
    --timeout=*) timeout=${1#*=}; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) usage; exit 0 ;;
    --) shift; break ;;
    -*) die "unknown option '$1' (see --help)" ;;
    *) break ;;
    esac
done
[ $# -le 1 ] || die "too many arguments (see --help)"
[ $# -eq 1 ] && migrator=$1
is_count "$tables" || die "--tables must be a positive integer"
is_count "$runs" || die "--runs must be a positive integer"
is_count "$timeout" || die "--timeout must be a positive integer"

here=$(cd "$(dirname "$0")" && pwd) || exit 2
top=$(dirname "$here")
py=$(command -v python3) || die "python3 not found (needed for timeit.py)"
psql=$(command -v psql) || die "psql not found"

# --- migrator ---------------------------------------------------------------
find_migrator

# --- pg_dump ----------------------------------------------------------------
pg_dump=
d=$(pg_config --bindir 2>/dev/null) && [ -x "$d/pg_dump" ] && pg_dump=$d/pg_dump
[ -n "$pg_dump" ] || pg_dump=$(command -v pg_dump) || die "pg_dump not found"
pg_dump_version=$("$pg_dump" --version 2>/dev/null | head -n 1)

# --- workspace and server ---------------------------------------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/migrator-introspect.XXXXXX") ||
    die "cannot create a temporary directory"
pgdir=$tmp/pg
cleanup() {
    if [ "$keep" -eq 1 ]; then
        note "kept: $tmp (the server still runs; stop it with"
        note "  sh $top/tests/pg/pg_server.sh stop $pgdir)"
    else
        sh "$top/tests/pg/pg_server.sh" stop "$pgdir" >/dev/null 2>&1
        rm -rf "$tmp"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# pg_server.sh runs the server as "postgres" when we are root: it must
# reach the socket directory.
chmod 755 "$tmp"
conninfo=$(sh "$top/tests/pg/pg_server.sh" start "$pgdir") ||
    die "no PostgreSQL server could be started (tests/pg/pg_server.sh)"
server=${conninfo% dbname=*}
url="$server dbname=bench"
"$psql" -XAtq -v ON_ERROR_STOP=1 "$server dbname=postgres" \
    -c "CREATE DATABASE bench" || die "CREATE DATABASE failed"
server_version=$("$psql" -XAtq "$url" -c 'SHOW server_version')

# --- schema -----------------------------------------------------------------
# Table i (t0001...) refers to table i/2 (an earlier one) from 2 on; every
# table has a CHECK and an index on its foreign key column, every third
# one a second index on two columns.
note "generating and loading $tables tables..."
awk -v n="$tables" 'BEGIN {
    for (i = 1; i <= n; i++) {
        t = sprintf("t%04d", i)
        printf "CREATE TABLE %s (\n", t
        printf "    id integer PRIMARY KEY,\n"
        if (i > 1)
            printf "    parent_id integer REFERENCES t%04d (id),\n", int(i / 2)
        else
            printf "    parent_id integer,\n"
        printf "    name varchar(100) NOT NULL,\n"
        printf "    qty integer NOT NULL DEFAULT 0,\n"
        printf "    price numeric(12, 2),\n"
        printf "    created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
        printf "    CONSTRAINT ck_%s_qty CHECK (qty >= 0)\n", t
        printf ");\n"
        printf "CREATE INDEX ix_%s_parent_id ON %s (parent_id);\n", t, t
        if (i % 3 == 0)
            printf "CREATE INDEX ix_%s_name ON %s (name, created_at);\n", t, t
    }
}' >"$tmp/schema.sql"
"$psql" -X -q -v ON_ERROR_STOP=1 "$url" -f "$tmp/schema.sql" >/dev/null ||
    die "the generated schema does not load"
"$psql" -XAtq "$url" -c ANALYZE

mkdir -p "$tmp/project"
cat >"$tmp/project/migrator.ini" <<EOF
[migrator]
script_location = %(here)s
version_locations = %(here)s/versions
database_url = $url
EOF
mkdir -p "$tmp/project/versions"
chmod 600 "$tmp/project/migrator.ini"

# --- measurements -----------------------------------------------------------
timeit() { "$py" "$here/timeit.py" --timeout "$timeout" "$@"; }

parse() {
    IFS=$'\t' read -r r_status r_median r_min r_max r_rss r_note <<<"$1"
}

last=$(printf 't%04d' "$tables")
status=0

# One untimed run each, kept, to count what the dumps hold.
"$migrator" -c "$tmp/project/migrator.ini" schema dump >"$tmp/migrator.sql" \
    2>"$tmp/migrator.err"
m_tables=$(grep -Eic '^CREATE TABLE' "$tmp/migrator.sql")
m_indexes=$(grep -Eic '^CREATE (UNIQUE )?INDEX' "$tmp/migrator.sql")
"$pg_dump" --schema-only -d "$url" >"$tmp/pg_dump.sql" 2>"$tmp/pg_dump.err"
p_tables=$(grep -Eic '^CREATE TABLE' "$tmp/pg_dump.sql")
p_indexes=$(grep -Eic '^CREATE (UNIQUE )?INDEX' "$tmp/pg_dump.sql")

note "timing migrator schema dump..."
parse "$(timeit --runs "$runs" --rss --expect "$last" -- \
         "$migrator" -c "$tmp/project/migrator.ini" schema dump)"
m_status=$r_status m_median=$r_median m_min=$r_min m_max=$r_max m_note=$r_note
m_rss=$r_rss
note "timing pg_dump --schema-only..."
parse "$(timeit --runs "$runs" --expect "$last" -- \
         "$pg_dump" --schema-only -d "$url")"
p_status=$r_status p_median=$r_median p_min=$r_min p_max=$r_max p_note=$r_note

[ "$m_status" = ok ] || status=1
[ "$p_status" = ok ] || status=1
[ "$m_tables" -eq "$tables" ] || status=1
[ "$p_tables" -eq "$tables" ] || status=1

cell() { # status value
    case $1 in
    ok|wrong) printf '%.4f' "$2" ;;
    fail) printf 'FAIL' ;;
    timeout) printf 'TIMEOUT' ;;
    *) printf -- '-' ;;
    esac
}

ratio=-
if [ "$m_status" = ok ] && [ "$p_status" = ok ]; then
    ratio=$(awk -v m="$m_median" -v p="$p_median" \
                'BEGIN { if (p > 0) printf "%.2fx", m / p; else print "-" }')
fi

# --- report -----------------------------------------------------------------
printf '\n'
printf 'migrator:  %s\n' "$migrator"
printf '           %s\n' "${migrator_version:-(no --version output)}"
printf 'pg_dump:   %s (%s)\n' "$pg_dump" "$pg_dump_version"
printf 'server:    PostgreSQL %s, private (pg_server.sh), Unix socket\n' \
    "$server_version"
printf 'machine:   %s, %s CPUs, load %s\n' "$(uname -sm)" \
    "$(nproc 2>/dev/null || echo '?')" \
    "$(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null || echo '?')"
printf 'schema:    %s tables, %s indexes besides the primary keys\n' \
    "$tables" "$((tables + tables / 3))"
printf 'runs:      median of %s after 1 warm-up\n\n' "$runs"

fmt='%-22s %10s %10s %10s %8s %8s  %s\n'
printf "$fmt" command 'median(s)' 'min(s)' 'max(s)' tables indexes notes
printf "$fmt" ---------------------- ---------- ---------- ---------- \
    -------- -------- -----
printf "$fmt" 'migrator schema dump' "$(cell "$m_status" "$m_median")" \
    "$(cell "$m_status" "$m_min")" "$(cell "$m_status" "$m_max")" \
    "$m_tables" "$m_indexes" "$([ "$m_note" = - ] && echo - || echo "$m_status: $m_note")"
printf "$fmt" 'pg_dump --schema-only' "$(cell "$p_status" "$p_median")" \
    "$(cell "$p_status" "$p_min")" "$(cell "$p_status" "$p_max")" \
    "$p_tables" "$p_indexes" "$([ "$p_note" = - ] && echo - || echo "$p_status: $p_note")"
case $m_rss in
-) ;;
'<='*) printf '\nmigrator peak RSS: <=%s MiB (getrusage)\n' \
           "$(awk -v k="${m_rss#<=}" 'BEGIN { printf "%.1f", k / 1024 }')" ;;
*) printf '\nmigrator peak RSS: %s MiB\n' \
       "$(awk -v k="$m_rss" 'BEGIN { printf "%.1f", k / 1024 }')" ;;
esac
printf '\nratio (migrator median / pg_dump median): %s\n' "$ratio"
printf '(below 1: migrator is faster; "tables" and "indexes" count the\n'
printf 'CREATE TABLE and CREATE INDEX lines of one dump of each)\n'
if [ "$m_status" = fail ] && [ -s "$tmp/migrator.err" ]; then
    printf '\nmigrator schema dump said:\n'
    head -n 5 "$tmp/migrator.err"
fi
exit "$status"
