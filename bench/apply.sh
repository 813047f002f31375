#!/usr/bin/env bash
# bench/apply.sh: time `migrator upgrade head` and `downgrade base` online,
# on PostgreSQL and SQLite, against the database's own client running the
# same statements in one transaction.  See bench/README.md.
#
#   bench/apply.sh [--counts N,N...] [--runs N] [--per-migration] [--no-pg]
#                  [--no-sqlite] [--timeout S] [--keep] [MIGRATOR_BINARY]

set -u

usage() {
    cat <<'EOF'
usage: bench/apply.sh [options] [MIGRATOR_BINARY]

Generates a linear project for each COUNT (gen_project.py: each revision is
one CREATE TABLE, its downgrade the DROP TABLE) and times, on a fresh
database for every run:

  migrator upgrade head, then migrator downgrade base on that database;
  the floor: the same statements in one file, all the upgrades in order,
  then all the downgrades in reverse order, run by the database's client
  in one transaction (PostgreSQL: psql -X -q -1 -v ON_ERROR_STOP=1 -f;
  SQLite: sqlite3 -bail reading BEGIN; ...; COMMIT;).

PostgreSQL runs in a private server (tests/pg/pg_server.sh); every run gets
a database made by CREATE DATABASE and removed by DROP DATABASE, neither
timed.  SQLite gets a new file for every run.  Prints the medians, the
ratios migrator/floor, and how migrator's times grow from the smallest
count to the largest.

options:
  --counts N,N...  revisions per project (default 1000,2000)
  --runs N         timed runs per measurement, after one checked warm-up
                   (default 5)
  --per-migration  set transaction_per_migration = true in the generated
                   migrator.ini (default: gen_project.py's file, which
                   leaves it unset: one transaction for the whole run)
  --no-pg          skip PostgreSQL
  --no-sqlite      skip SQLite
  --timeout S      seconds allowed for one run (default 600)
  --keep           keep the projects, the SQL files and the server; print
                   where
  -h, --help       this text

MIGRATOR_BINARY defaults to the build tree's core/migrator (an in-tree
build, _build/ or build/ next to bench/), else `migrator` on PATH.
psql is the one of the server's version (`pg_config --bindir`), else psql
on PATH; sqlite3 is sqlite3 on PATH.

Goals (migrator median / floor median): PostgreSQL upgrade at most 1.2,
downgrade at most 1.5; SQLite both at most 1.5.  Scaling: migrator's time
at the largest count over its time at the smallest, at most 1.1 times the
ratio of the counts (2.2 for 1000 and 2000).  The scaling table also shows
the floor's own growth and migrator's over it ("vs floor"): a database
whose client grows faster than the counts (SQLite re-reads its schema
table for every CREATE TABLE) shows there what is migrator's.

Exit status: 0 when every command succeeded, the checks passed (the
warm-up upgrade made COUNT tables and left the head in migrator_version;
the downgrade removed them all) and every goal passed; 1 otherwise; 2 on a
usage error, or when a database asked for cannot be used (no server, no
sqlite3: see --no-pg, --no-sqlite).
EOF
}

. "$(dirname "$0")/lib.sh"

# One argument, quoted for the driver (Python's shlex.split).
q() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

counts_arg=1000,2000
runs=5
per_migration=0
use_pg=1
use_sqlite=1
timeout=600
keep=0
migrator=

while [ $# -gt 0 ]; do
    case $1 in
    --counts) [ $# -ge 2 ] || die "--counts needs a value"
        counts_arg=$2; shift 2 ;;
    --counts=*) counts_arg=${1#*=}; shift ;;
    --runs) [ $# -ge 2 ] || die "--runs needs a value"; runs=$2; shift 2 ;;
    --runs=*) runs=${1#*=}; shift ;;
    --per-migration) per_migration=1; shift ;;
    --no-pg) use_pg=0; shift ;;
    --no-sqlite) use_sqlite=0; shift ;;
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
is_count "$runs" || die "--runs must be a positive integer"
is_count "$timeout" || die "--timeout must be a positive integer"
IFS=, read -r -a counts <<<"$counts_arg"
[ ${#counts[@]} -gt 0 ] || die "--counts needs at least one count"
for n in "${counts[@]}"; do
    is_count "$n" || die "--counts: '$n' is not a positive integer"
done
# Sorted, without repeats: the scaling row compares the first and the last.
mapfile -t counts < <(printf '%s\n' "${counts[@]}" | sort -n -u)
[ "$use_pg" -eq 1 ] || [ "$use_sqlite" -eq 1 ] ||
    die "--no-pg and --no-sqlite leave nothing to time"

here=$(cd "$(dirname "$0")" && pwd) || exit 2
top=$(dirname "$here")
py=$(command -v python3) || die "python3 not found (needed for the helpers)"

# --- migrator ---------------------------------------------------------------
find_migrator

# --- clients ----------------------------------------------------------------
psql=
if [ "$use_pg" -eq 1 ]; then
    d=$(pg_config --bindir 2>/dev/null) && [ -x "$d/psql" ] && psql=$d/psql
    [ -n "$psql" ] || psql=$(command -v psql) ||
        die "psql not found (--no-pg skips PostgreSQL)"
fi
sqlite3=
sqlite3_version=
if [ "$use_sqlite" -eq 1 ]; then
    sqlite3=$(command -v sqlite3) ||
        die "sqlite3 not found (--no-sqlite skips SQLite)"
    sqlite3_version=$("$sqlite3" --version 2>/dev/null | cut -d ' ' -f 1)
fi

# --- workspace --------------------------------------------------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/migrator-apply.XXXXXX") ||
    die "cannot create a temporary directory"
pgdir=$tmp/pg
server_started=0
cleanup() {
    if [ "$keep" -eq 1 ]; then
        note "kept: $tmp"
        if [ "$server_started" -eq 1 ]; then
            note "  (the server still runs; stop it with"
            note "  sh $top/tests/pg/pg_server.sh stop $pgdir)"
        fi
    else
        if [ "$server_started" -eq 1 ]; then
            sh "$top/tests/pg/pg_server.sh" stop "$pgdir" >/dev/null 2>&1
        fi
        rm -rf "$tmp"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
cd "$tmp" || die "cannot enter $tmp"
# pg_server.sh runs the server as "postgres" when we are root: it must
# reach the socket directory.
chmod 755 "$tmp"
load_start=$(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null || echo '?')

# --- PostgreSQL server --------------------------------------------------------
server=
server_version=
if [ "$use_pg" -eq 1 ]; then
    note "starting a private PostgreSQL server..."
    conninfo=$(sh "$top/tests/pg/pg_server.sh" start "$pgdir") ||
        die "no PostgreSQL server could be started (tests/pg/pg_server.sh;" \
            "--no-pg skips PostgreSQL)"
    server_started=1
    server=${conninfo% dbname=*}
    server_version=$("$psql" -XAtq "$server dbname=postgres" \
                     -c 'SHOW server_version') ||
        die "psql cannot reach the server it started"
fi

# --- helpers ----------------------------------------------------------------
# dbtool: the untimed steps around the timed ones (a fresh database before
# a run, removing it after) and the checks of the warm-up run.
cat >"$tmp/dbtool" <<EOF
#!/bin/sh
# dbtool pg-create|pg-drop SERVER DBNAME
# dbtool pg-check CONNINFO COUNT [VERSIONS]
# dbtool sqlite-fresh FILE
# dbtool sqlite-check FILE COUNT [VERSIONS]
# A check counts the tables named t_...; with VERSIONS it also compares the
# rows of migrator_version (joined with commas, "" for none).
psql=$(q "$psql")
sqlite3=$(q "$sqlite3")
EOF
cat >>"$tmp/dbtool" <<'EOF'
what=$1; shift
case $what in
pg-create)
    "$psql" -XAtq -v ON_ERROR_STOP=1 "$1 dbname=postgres" \
        -c "DROP DATABASE IF EXISTS $2" -c "CREATE DATABASE $2" ;;
pg-drop)
    "$psql" -XAtq -v ON_ERROR_STOP=1 "$1 dbname=postgres" \
        -c "DROP DATABASE $2" ;;
pg-check)
    n=$("$psql" -XAtq -v ON_ERROR_STOP=1 "$1" -c "SELECT count(*)
          FROM pg_tables WHERE schemaname = 'public'
           AND left(tablename, 2) = 't_'") || exit 1
    [ "$n" = "$2" ] || { echo "$n tables t_..., expected $2"; exit 1; }
    [ $# -ge 3 ] || exit 0
    v=$("$psql" -XAtq -v ON_ERROR_STOP=1 "$1" -c "SELECT
          string_agg(version_num, ',' ORDER BY version_num)
          FROM migrator_version") || exit 1
    [ "$v" = "$3" ] ||
        { echo "migrator_version holds '$v', expected '$3'"; exit 1; } ;;
sqlite-fresh)
    rm -f -- "$1" "$1-journal" "$1-wal" "$1-shm" ;;
sqlite-check)
    n=$("$sqlite3" -bail "$1" "SELECT count(*) FROM sqlite_master
          WHERE type = 'table' AND substr(name, 1, 2) = 't_'") || exit 1
    [ "$n" = "$2" ] || { echo "$n tables t_..., expected $2"; exit 1; }
    [ $# -ge 3 ] || exit 0
    v=$("$sqlite3" -bail "$1" "SELECT group_concat(version_num, ',')
          FROM (SELECT version_num FROM migrator_version
                ORDER BY version_num)") || exit 1
    [ "$v" = "$3" ] ||
        { echo "migrator_version holds '$v', expected '$3'"; exit 1; } ;;
*)
    echo "dbtool: unknown step '$what'" >&2; exit 2 ;;
esac
EOF
chmod 755 "$tmp/dbtool"

# drive.py: runs the cases of one spec file in turn, a warm-up round and
# then --runs timed rounds; in every round each case gets: prepare, up
# (timed), check-up (warm-up only), down (timed), check-down (warm-up
# only), cleanup.  The timing is timeit.py's own (run_once: a blocking
# wait, a timer thread for --timeout), and so is the result line, after a
# label:  LABEL  up|down  STATUS  MEDIAN  MIN  MAX  RSS_KB  NOTE
cat >"$tmp/drive.py" <<'PY'
import importlib.util
import os
import shlex
import subprocess
import sys

timeit_py, spec_path, runs, timeout = sys.argv[1], sys.argv[2], \
    int(sys.argv[3]), float(sys.argv[4])
load = importlib.util.spec_from_file_location("bench_timeit", timeit_py)
tm = importlib.util.module_from_spec(load)
load.loader.exec_module(tm)

KEYS = ("prepare", "up", "check-up", "down", "check-down", "cleanup")
cases = []
with open(spec_path, encoding="utf-8") as f:
    for line in f:
        key, _, rest = line.rstrip("\n").partition(" ")
        if key == "case":
            cases.append({"label": rest})
        elif key in KEYS and cases:
            cases[-1][key] = shlex.split(rest)
        elif key:
            sys.exit("drive.py: bad spec line: %s" % line.strip())
for c in cases:
    for k in ("up", "down"):
        c[k + ".status"] = "ok"
        c[k + ".times"] = []
        c[k + ".note"] = ""

env = dict(os.environ)
errpath = os.path.join(os.path.dirname(spec_path), "drive.err")


def helper(cmd):
    """Run an untimed step; return "" when it worked, else why not."""
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        return "over %gs" % timeout
    except OSError as e:
        return "cannot run %s: %s" % (cmd[0], e.strerror)
    if p.returncode == 0:
        return ""
    text = " ".join(p.stdout.decode(errors="replace").split())[:200]
    return "exit %d%s" % (p.returncode, ": " + text if text else "")


def timed(c, k):
    """Time step k ("up" or "down") of case c; False when it failed."""
    try:
        secs, code = tm.run_once(c[k], env, subprocess.DEVNULL, errpath,
                                 timeout)
    except OSError as e:
        c[k + ".status"] = "fail"
        c[k + ".note"] = "cannot run %s: %s" % (c[k][0], e.strerror)
        return False
    if code is None:
        c[k + ".status"] = "timeout"
        c[k + ".note"] = "over %gs" % timeout
        return False
    if code != 0:
        c[k + ".status"] = "fail"
        c[k + ".note"] = tm.describe_failure(code, errpath)
        return False
    return secs


def wrong(c, k, why):
    if c[k + ".status"] == "ok":
        c[k + ".status"] = "wrong"
        c[k + ".note"] = why


def live(c, k):
    return c[k + ".status"] in ("ok", "wrong")


def one_round(c, warm):
    why = helper(c["prepare"]) if "prepare" in c else ""
    if why:
        for k in ("up", "down"):
            if live(c, k):
                c[k + ".status"] = "fail"
                c[k + ".note"] = "preparing the database: " + why
        return
    secs = timed(c, "up")
    if secs is False:
        if live(c, "down"):
            c["down.status"] = "fail"
            c["down.note"] = "not run: the upgrade failed"
    else:
        if not warm:
            c["up.times"].append(secs)
        if warm and "check-up" in c:
            why = helper(c["check-up"])
            if why:
                wrong(c, "up", "after the upgrade: " + why)
        if live(c, "down"):
            secs = timed(c, "down")
            if secs is not False:
                if not warm:
                    c["down.times"].append(secs)
                if warm and "check-down" in c:
                    why = helper(c["check-down"])
                    if why:
                        wrong(c, "down", "after the downgrade: " + why)
    why = helper(c["cleanup"]) if "cleanup" in c else ""
    if why:
        for k in ("up", "down"):
            if live(c, k):
                c[k + ".status"] = "fail"
                c[k + ".note"] = "removing the database: " + why


for n in range(1 + runs):
    for c in cases:
        if live(c, "up"):
            one_round(c, n == 0)

for c in cases:
    for k in ("up", "down"):
        status = c[k + ".status"]
        times = c[k + ".times"] if status in ("ok", "wrong") else None
        sys.stdout.write("%s\t%s\t" % (c["label"], k))
        sys.stdout.flush()
        tm.result(status, times, "-", c[k + ".note"] or "-")
PY

timeit() { "$py" "$here/timeit.py" --timeout "$timeout" "$@"; }

cell() { # status value
    case $1 in
    ok|wrong) printf '%.4f' "$2" ;;
    fail) printf 'FAIL' ;;
    timeout) printf 'TIMEOUT' ;;
    *) printf -- '-' ;;
    esac
}

parse() {
    IFS=$'\t' read -r r_status r_median _ <<<"$1"
}
parse "$(timeit --runs 20 -- true)"
floor_cell=$(cell "$r_status" "$r_median")

# --- projects and the floor's SQL -----------------------------------------
# One project per count, shared by both databases.  up.sql: the upgrade
# section of every script in creation order (NNNNN_ sorts so: the chain's
# order); down.sql: the downgrade sections in the reverse order.  Comment
# and blank lines are left out.
section() { # upgrade|downgrade FILE...
    awk -v want="$1" '
        FNR == 1 { on = 0 }
        /^-- migrate:/ { on = ($2 == "migrate:" want); next }
        on && !/^--/ && !/^[ \t]*$/ { print }
    ' "${@:2}"
}

for n in "${counts[@]}"; do
    dir=$tmp/p$n
    note "generating a linear project of $n revisions..."
    "$py" "$here/gen_project.py" --shape linear --count "$n" --no-alembic \
        "$dir" >/dev/null || die "gen_project.py failed for $n revisions"
    ini=$dir/migrator/migrator.ini
    if [ "$per_migration" -eq 1 ]; then
        grep -q '^transaction_per_migration' "$ini" &&
            die "gen_project.py now sets transaction_per_migration:" \
                "update --per-migration"
        printf 'transaction_per_migration = true\n' >>"$ini"
    fi
    scripts=("$dir"/migrator/migrations/versions/*.sql)
    [ "${#scripts[@]}" -eq "$n" ] ||
        die "expected $n scripts, found ${#scripts[@]}"
    reversed=()
    for ((i = ${#scripts[@]} - 1; i >= 0; i--)); do
        reversed+=("${scripts[i]}")
    done
    section upgrade "${scripts[@]}" >"$dir/up.sql"
    section downgrade "${reversed[@]}" >"$dir/down.sql"
    ups=$(grep -c ';' "$dir/up.sql")
    downs=$(grep -c ';' "$dir/down.sql")
    [ "$ups" -eq "$n" ] && [ "$downs" -eq "$n" ] ||
        die "the scripts of $n revisions gave $ups upgrade and $downs" \
            "downgrade statements"
    for f in up down; do
        { printf 'BEGIN;\n'; cat "$dir/$f.sql"; printf 'COMMIT;\n'; } \
            >"$dir/$f.sqlite.sql"
    done
done

# --- measurements -----------------------------------------------------------
# results[DB:N:up|down] = "migrator status, median, note" and the floor's,
# as tab-separated fields: m_status m_median m_note f_status f_median f_note
declare -A results
dbs=()
[ "$use_pg" -eq 1 ] && dbs+=(postgresql)
[ "$use_sqlite" -eq 1 ] && dbs+=(sqlite)
dbname=migrator_apply_bench

for db in "${dbs[@]}"; do
    for n in "${counts[@]}"; do
        dir=$tmp/p$n
        ini=$dir/migrator/migrator.ini
        head_id=$(cat "$dir/HEAD")
        spec=$tmp/spec.$db.$n
        case $db in
        postgresql)
            url="$server dbname=$dbname"
            prepare="$(q "$tmp/dbtool") pg-create $(q "$server") $dbname"
            cleanup="$(q "$tmp/dbtool") pg-drop $(q "$server") $dbname"
            check="$(q "$tmp/dbtool") pg-check $(q "$url")"
            f_up="$(q "$psql") -X -q -1 -v ON_ERROR_STOP=1 -f $(q "$dir/up.sql") $(q "$url")"
            f_down="$(q "$psql") -X -q -1 -v ON_ERROR_STOP=1 -f $(q "$dir/down.sql") $(q "$url")"
            ;;
        sqlite)
            file=$tmp/sqlite.$n.db
            url="sqlite:///$file"
            prepare="$(q "$tmp/dbtool") sqlite-fresh $(q "$file")"
            cleanup=$prepare
            check="$(q "$tmp/dbtool") sqlite-check $(q "$file")"
            f_up="$(q "$sqlite3") -bail $(q "$file") $(q ".read $dir/up.sqlite.sql")"
            f_down="$(q "$sqlite3") -bail $(q "$file") $(q ".read $dir/down.sqlite.sql")"
            ;;
        esac
        m="$(q "$migrator") -c $(q "$ini") --url $(q "$url")"
        {
            printf 'case migrator\n'
            printf 'prepare %s\n' "$prepare"
            printf 'up %s upgrade head\n' "$m"
            printf 'check-up %s %s %s\n' "$check" "$n" "$(q "$head_id")"
            printf 'down %s downgrade base\n' "$m"
            printf "check-down %s 0 ''\n" "$check"
            printf 'cleanup %s\n' "$cleanup"
            printf 'case floor\n'
            printf 'prepare %s\n' "$prepare"
            printf 'up %s\n' "$f_up"
            printf 'check-up %s %s\n' "$check" "$n"
            printf 'down %s\n' "$f_down"
            printf 'check-down %s 0\n' "$check"
            printf 'cleanup %s\n' "$cleanup"
        } >"$spec"

        note "timing $db, $n revisions: migrator and the floor, $runs runs" \
             "after a warm-up..."
        out=$("$py" "$tmp/drive.py" "$here/timeit.py" "$spec" "$runs" \
              "$timeout") || die "drive.py failed for $db, $n revisions"
        declare -A got=()
        while IFS=$'\t' read -r label dir_ status median _ _ _ rnote; do
            got[$label:$dir_]=$status$'\t'$median$'\t'$rnote
        done <<<"$out"
        for k in up down; do
            results[$db:$n:$k]=${got[migrator:$k]:-none$'\t'-$'\t'no result}$'\t'${got[floor:$k]:-none$'\t'-$'\t'no result}
        done
        unset got
    done
done
load_end=$(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null || echo '?')

# --- report -----------------------------------------------------------------
declare -A goal=([postgresql:up]=1.2 [postgresql:down]=1.5
                 [sqlite:up]=1.5 [sqlite:down]=1.5)
status=0

printf '\n'
printf 'migrator:  %s\n' "$migrator"
printf '           %s\n' "${migrator_version:-(no --version output)}"
if [ "$per_migration" -eq 1 ]; then
    printf '           transaction_per_migration = true (--per-migration)\n'
else
    printf '           one transaction for the run (transaction_per_migration unset)\n'
fi
if [ "$use_pg" -eq 1 ]; then
    printf 'server:    PostgreSQL %s, private (pg_server.sh: fsync off), Unix socket\n' \
        "$server_version"
    printf 'pg floor:  %s -X -q -1 -v ON_ERROR_STOP=1 -f up.sql (down.sql)\n' \
        "$psql"
fi
if [ "$use_sqlite" -eq 1 ]; then
    printf 'sqlite floor: %s -bail FILE ".read up.sql" (down.sql), %s; each file\n' \
        "$sqlite3" "$sqlite3_version"
    printf '           BEGIN; the statements; COMMIT;\n'
fi
printf 'machine:   %s, %s CPUs, load %s at the start, %s at the end\n' \
    "$(uname -sm)" "$(nproc 2>/dev/null || echo '?')" "$load_start" "$load_end"
printf 'runs:      median of %s after 1 warm-up; a fresh database for each\n' "$runs"
printf 'timer floor (median wall time of `true`): %s s\n\n' "$floor_cell"

fmt='%-10s %6s %-9s %12s %10s %8s %-12s %s\n'
printf "$fmt" database revs operation 'migrator(s)' 'floor(s)' ratio goal notes
printf "$fmt" ---------- ------ --------- ------------ ---------- -------- \
    ------------ -----
for db in "${dbs[@]}"; do
    for n in "${counts[@]}"; do
        for k in up down; do
            IFS=$'\t' read -r ms mm mn fs fm fn <<<"${results[$db:$n:$k]}"
            ratio=-
            if [ "$ms" = ok ] && [ "$fs" = ok ]; then
                ratio=$(awk -v m="$mm" -v f="$fm" \
                    'BEGIN { if (f > 0) printf "%.2fx", m / f; else print "-" }')
            fi
            g=${goal[$db:$k]}
            if [ "$ratio" != - ] &&
               awk -v m="$mm" -v f="$fm" -v g="$g" \
                   'BEGIN { exit !(m <= g * f) }'; then
                gcell="PASS (<=$g)"
            else
                gcell="FAIL (<=$g)"
                status=1
            fi
            [ "$ms" = ok ] && [ "$fs" = ok ] || status=1
            notes=
            [ "$mn" = - ] || notes="migrator $ms: $mn"
            [ "$fn" = - ] || notes="${notes:+$notes; }floor $fs: $fn"
            [ "$k" = up ] && op=upgrade || op=downgrade
            printf "$fmt" "$db" "$n" "$op" "$(cell "$ms" "$mm")" \
                "$(cell "$fs" "$fm")" "$ratio" "$gcell" "${notes:--}"
        done
    done
done

if [ ${#counts[@]} -ge 2 ]; then
    lo=${counts[0]}
    hi=${counts[${#counts[@]} - 1]}
    sgoal=$(awk -v a="$lo" -v b="$hi" 'BEGIN { printf "%.2f", 1.1 * b / a }')
    printf '\nscaling: migrator at %s revisions / at %s (goal: at most %s,' \
        "$hi" "$lo" "$sgoal"
    printf ' 1.1 x the ratio of the counts)\n\n'
    sfmt='%-10s %-9s %12s %12s %8s %-12s %11s %8s\n'
    printf "$sfmt" database operation "$lo(s)" "$hi(s)" ratio goal \
        'floor ratio' 'vs floor'
    printf "$sfmt" ---------- --------- ------------ ------------ -------- \
        ------------ ----------- --------
    for db in "${dbs[@]}"; do
        for k in up down; do
            IFS=$'\t' read -r ls lm _ lfs lfm _ <<<"${results[$db:$lo:$k]}"
            IFS=$'\t' read -r hs hm _ hfs hfm _ <<<"${results[$db:$hi:$k]}"
            ratio=-
            fratio=-
            own=-
            gcell="FAIL (<=$sgoal)"
            if [ "$ls" = ok ] && [ "$hs" = ok ]; then
                ratio=$(awk -v a="$lm" -v b="$hm" \
                    'BEGIN { if (a > 0) printf "%.2fx", b / a; else print "-" }')
                if awk -v a="$lm" -v b="$hm" -v g="$sgoal" \
                       'BEGIN { exit !(b <= g * a) }'; then
                    gcell="PASS (<=$sgoal)"
                fi
            fi
            # How the database's own client grows, and migrator's growth
            # over it: above 1.00x, migrator adds a growth of its own.
            if [ "$lfs" = ok ] && [ "$hfs" = ok ]; then
                fratio=$(awk -v a="$lfm" -v b="$hfm" \
                    'BEGIN { if (a > 0) printf "%.2fx", b / a; else print "-" }')
            fi
            if [ "$ratio" != - ] && [ "$fratio" != - ]; then
                own=$(awk -v a="$lm" -v b="$hm" -v fa="$lfm" -v fb="$hfm" \
                    'BEGIN { if (a > 0 && fa > 0 && fb > 0)
                                 printf "%.2fx", (b / a) / (fb / fa)
                             else print "-" }')
            fi
            [ "${gcell#PASS}" != "$gcell" ] || status=1
            [ "$k" = up ] && op=upgrade || op=downgrade
            printf "$sfmt" "$db" "$op" "$(cell "$ls" "$lm")" \
                "$(cell "$hs" "$hm")" "$ratio" "$gcell" "$fratio" "$own"
        done
    done
    printf '\nfloor ratio: the same growth for the floor.  vs floor: migrator'"'"'s\n'
    printf 'ratio over the floor'"'"'s (1.00x: migrator grows no faster than the\n'
    printf 'database itself).\n'
fi

printf '\nratio = migrator median / floor median (1.00x: as fast as the client).\n'
printf 'The floor runs every statement in one transaction with no bookkeeping;\n'
printf 'migrator also reads and orders the scripts, takes its lock and records\n'
printf 'each step in its version table.  A warm-up run checks both: COUNT\n'
printf 'tables t_... after the upgrade (and the head in migrator_version), none\n'
printf 'after the downgrade.\n'
exit "$status"
