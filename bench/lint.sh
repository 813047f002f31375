#!/usr/bin/env bash
# bench/lint.sh: time `migrator lint` against squawk (the PostgreSQL
# migration linter) over the same generated SQL scripts.  See
# bench/README.md.
#
#   bench/lint.sh [--count N] [--runs N] [--squawk PATH] [--no-squawk]
#                 [--timeout S] [--keep] [MIGRATOR_BINARY]

set -u

usage() {
    cat <<'EOF'
usage: bench/lint.sh [options] [MIGRATOR_BINARY]

Generates a linear PostgreSQL project of COUNT revisions (each script 3 to
6 statements: CREATE TABLE, ALTER TABLE ADD COLUMN, CREATE INDEX
CONCURRENTLY in a transaction=false section, some statements with
findings), then times `migrator lint` over all of it and `squawk` over the
same files, one after the other in the same run.  Prints the median of
each and their ratio.  The database URL points at a socket directory that
does not exist, so nothing connects.

options:
  --count N     revisions (default 1000)
  --runs N      timed runs per command, after one checked warm-up
                (default 7)
  --squawk PATH the squawk binary to time (default: squawk on PATH, else
                installed with `npm install squawk-cli` into the
                workspace)
  --no-squawk   time migrator only
  --timeout S   seconds allowed for one run (default 600)
  --keep        keep the project (and squawk's npm install); print where
  -h, --help    this text

MIGRATOR_BINARY defaults to the build tree's core/migrator (an in-tree
build, _build/ or build/ next to bench/), else `migrator` on PATH.

Both linters exit 1 when they find something, which the generated
scripts make sure of: exit 0 and 1 both count as a run that worked
(a small wrapper script checks it; its own cost is the "wrapper floor").

Exit status: 0 when migrator lint (and squawk, when timed) worked and
printed what was expected, 1 otherwise, 2 on a usage error.
EOF
}

. "$(dirname "$0")/lib.sh"

count=1000
runs=7
timeout=600
keep=0
use_squawk=1
squawk=
migrator=

while [ $# -gt 0 ]; do
    case $1 in
    --count) [ $# -ge 2 ] || die "--count needs a value"; count=$2; shift 2 ;;
    --count=*) count=${1#*=}; shift ;;
    --runs) [ $# -ge 2 ] || die "--runs needs a value"; runs=$2; shift 2 ;;
    --runs=*) runs=${1#*=}; shift ;;
    --squawk) [ $# -ge 2 ] || die "--squawk needs a value"
        squawk=$2; shift 2 ;;
    --squawk=*) squawk=${1#*=}; shift ;;
    --no-squawk) use_squawk=0; shift ;;
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
is_count "$count" || die "--count must be a positive integer"
is_count "$runs" || die "--runs must be a positive integer"
is_count "$timeout" || die "--timeout must be a positive integer"

here=$(cd "$(dirname "$0")" && pwd) || exit 2
top=$(dirname "$here")
py=$(command -v python3) || die "python3 not found (needed for the helpers)"

# --- migrator ---------------------------------------------------------------
find_migrator
if ! "$migrator" help lint >/dev/null 2>&1; then
    die "'$migrator' has no lint command (too old a build?)"
fi

# --- workspace --------------------------------------------------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/migrator-lint.XXXXXX") ||
    die "cannot create a temporary directory"
cleanup() {
    if [ "$keep" -eq 1 ]; then note "kept: $tmp"
    else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
cd "$tmp" || die "cannot enter $tmp"

# --- squawk -----------------------------------------------------------------
# npm's squawk-cli installs a node launcher (js/bin/squawk) and the native
# binary in a platform package (@squawk-cli/<platform>/bin/squawk): time
# the native one, as a user's CI would run it, without node's start-up.
squawk_version="not timed"
squawk_why=
if [ "$use_squawk" -eq 0 ]; then
    squawk_why="skipped (--no-squawk)"
elif [ -n "$squawk" ]; then
    case $squawk in
    */*) ;;
    *) squawk=$(command -v "$squawk") || squawk= ;;
    esac
    [ -n "$squawk" ] && [ -x "$squawk" ] || die "--squawk: not an executable"
elif squawk=$(command -v squawk 2>/dev/null); then
    :
elif ! command -v npm >/dev/null 2>&1; then
    squawk=
    squawk_why="npm not found: cannot install squawk-cli"
else
    note "installing squawk-cli with npm into $tmp/npm..."
    if npm install --prefix "$tmp/npm" --no-audit --no-fund squawk-cli \
           >"$tmp/npm.log" 2>&1; then
        squawk=
        for cand in "$tmp"/npm/node_modules/@squawk-cli/*/bin/squawk \
                    "$tmp/npm/node_modules/.bin/squawk"; do
            if [ -x "$cand" ]; then squawk=$cand; break; fi
        done
        [ -n "$squawk" ] ||
            squawk_why="npm installed squawk-cli, but no squawk binary is in it"
    else
        squawk=
        squawk_why="npm install squawk-cli failed (no network?): $(
            grep -m 1 -i 'err' "$tmp/npm.log" || tail -n 1 "$tmp/npm.log")"
    fi
fi
if [ -n "$squawk" ]; then
    if v=$("$squawk" --version 2>/dev/null); then
        squawk_version="$v ($squawk)"
    else
        squawk_why="'$squawk --version' failed"
        squawk=
    fi
fi
if [ -z "$squawk" ] && [ -n "$squawk_why" ]; then
    note "squawk: $squawk_why; its row is skipped"
fi

# --- project ----------------------------------------------------------------
# A linear chain of COUNT revisions over six tables from before the
# project and a growing set of its own (t0001, t0002...). Of every six
# revisions, two create a table, one adds columns, one builds an index
# CONCURRENTLY (transaction=false), one has findings for both linters
# (a NOT NULL column without a default, a type change, a plain CREATE
# INDEX, a CHECK without NOT VALID, on a table from before), one adds
# and backfills a column.
note "generating $count revisions..."
"$py" - "$count" "$tmp/project" <<'PY' || die "generating the project failed"
import datetime
import os
import random
import sys

count = int(sys.argv[1])
root = sys.argv[2]
versions = os.path.join(root, "versions")
os.makedirs(versions)
with open(os.path.join(root, "migrator.ini"), "w") as f:
    f.write("[migrator]\n"
            "script_location = %(here)s\n"
            "version_locations = %(here)s/versions\n"
            "database_url = postgresql:///bench?host=/nonexistent-migrator-bench\n")
os.chmod(os.path.join(root, "migrator.ini"), 0o600)

rng = random.Random(20261205)
when = datetime.datetime(2026, 1, 1, 9, 0, 0)
tables = []
parent = ""
statements = 0
# Tables from before the project (a baseline the linters never see
# created): changes to them are what the rules are about.
OLD = ["accounts", "users", "orders", "order_items", "invoices", "events"]


def table(old=None):
    """A table: one from before the project (half the time, unless old
    says), else one the project made, the newer ones more often."""
    if old or (old is None and rng.random() < 0.5) or not tables:
        return rng.choice(OLD)
    return tables[min(len(tables) - 1, int(len(tables) * rng.random() ** 0.3))]


for i in range(1, count + 1):
    rev = "%012x" % rng.getrandbits(48)
    kind = i % 6
    up_flags = down_flags = ""
    if kind in (0, 3):
        t = "t%04d" % (len(tables) + 1)
        ref = (",\n    parent_id bigint REFERENCES %s (id)" % tables[-1]
               if tables else "")
        message = "create %s" % t
        up = ["CREATE TABLE %s (\n"
              "    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
              "    name text NOT NULL,\n"
              "    created_at timestamptz NOT NULL DEFAULT now()%s\n"
              ")" % (t, ref),
              "CREATE INDEX ix_%s_name ON %s (name)" % (t, t)]
        if tables:
            up.append("CREATE INDEX ix_%s_parent_id ON %s (parent_id)"
                      % (t, t))
        down = ["DROP TABLE %s" % t]
        tables.append(t)
    elif kind == 1:
        t = table()
        message = "%s: note and score" % t
        up = ["SET lock_timeout = '2s'",
              "ALTER TABLE %s ADD COLUMN note_%d text" % (t, i),
              "ALTER TABLE %s ADD COLUMN score_%d integer NOT NULL DEFAULT 0"
              % (t, i)]
        down = ["ALTER TABLE %s DROP COLUMN score_%d" % (t, i),
                "ALTER TABLE %s DROP COLUMN note_%d" % (t, i)]
    elif kind == 2:
        t = table()
        message = "%s: index by creation time" % t
        up_flags = down_flags = " transaction=false"
        up = ["SET lock_timeout = '2s'",
              "CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_%s_created_%d "
              "ON %s (created_at)" % (t, i, t)]
        down = ["DROP INDEX CONCURRENTLY IF EXISTS ix_%s_created_%d"
                % (t, i)]
    elif kind == 4:
        # written in a hurry: findings for both linters
        t = table(old=True)
        message = "%s: flag, kind and a check" % t
        up = ["ALTER TABLE %s ADD COLUMN flag_%d boolean NOT NULL" % (t, i),
              "ALTER TABLE %s ALTER COLUMN name TYPE varchar(200)" % t,
              "CREATE INDEX ix_%s_flag_%d ON %s (flag_%d)" % (t, i, t, i),
              "ALTER TABLE %s ADD CONSTRAINT ck_%s_%d CHECK (length(name) "
              "> 0)" % (t, t, i)]
        down = ["DROP INDEX ix_%s_flag_%d" % (t, i),
                "ALTER TABLE %s DROP COLUMN flag_%d" % (t, i)]
    else:
        t = table()
        message = "%s: code, backfilled" % t
        up = ["SET lock_timeout = '2s'",
              "ALTER TABLE %s ADD COLUMN code_%d text" % (t, i),
              "UPDATE %s SET code_%d = 'c' || id WHERE code_%d IS NULL"
              % (t, i, i),
              "ALTER TABLE %s ADD CONSTRAINT ck_%s_code_%d CHECK (code_%d "
              "<> '') NOT VALID" % (t, t, i, i)]
        down = ["ALTER TABLE %s DROP COLUMN code_%d" % (t, i)]
    statements += len(up) + len(down)
    with open(os.path.join(versions, "%05d_%s.sql" % (i, rev)), "w") as f:
        f.write("-- %s\n--\n-- Revision ID: %s\n-- Revises: %s\n"
                "-- Create Date: %s\n\n"
                % (message, rev, parent,
                   when.strftime("%Y-%m-%d %H:%M:%S.000000")))
        f.write("-- migrate:upgrade%s\n" % up_flags)
        f.write("".join(s + ";\n" for s in up))
        f.write("\n-- migrate:downgrade%s\n" % down_flags)
        f.write("".join(s + ";\n" for s in down))
    parent = rev
    when += datetime.timedelta(minutes=37)

with open(os.path.join(root, "STATEMENTS"), "w") as f:
    f.write("%d\n" % statements)
PY
statements=$(cat "$tmp/project/STATEMENTS")
files=("$tmp"/project/versions/*.sql)
[ "${#files[@]}" -eq "$count" ] || die "expected $count scripts, found ${#files[@]}"

# Exit 0 and 1 (findings) are both a run that worked.
cat >"$tmp/ok01" <<'EOF'
#!/bin/sh
"$@"
[ $? -le 1 ]
EOF
chmod 755 "$tmp/ok01"

# --- measurements -----------------------------------------------------------
timeit() { "$py" "$here/timeit.py" --timeout "$timeout" "$@"; }

parse() {
    IFS=$'\t' read -r r_status r_median r_min r_max r_rss r_note <<<"$1"
}

cell() { # status value
    case $1 in
    ok|wrong) printf '%.4f' "$2" ;;
    fail) printf 'FAIL' ;;
    timeout) printf 'TIMEOUT' ;;
    *) printf -- '-' ;;
    esac
}

parse "$(timeit --runs 20 -- "$tmp/ok01" true)"
floor_cell=$(cell "$r_status" "$r_median")
status=0

# One untimed run each, kept, to count the findings.
"$migrator" -c "$tmp/project/migrator.ini" --color=never lint \
    >"$tmp/migrator.out" 2>"$tmp/migrator.err"
m_rc=$?
m_found=$(grep -Eo '[0-9]+ errors?, [0-9]+ warnings?, [0-9]+ notices?' \
    "$tmp/migrator.out" | tail -n 1)

note "timing migrator lint ($count revisions)..."
parse "$(timeit --runs "$runs" --rss --expect "lint: $count revisions" -- \
         "$tmp/ok01" "$migrator" -c "$tmp/project/migrator.ini" lint)"
m_status=$r_status m_median=$r_median m_min=$r_min m_max=$r_max
m_note=$r_note m_rss=$r_rss
[ "$m_status" = ok ] || status=1

s_status=none s_median=- s_min=- s_max=- s_note=- s_found=-
if [ -n "$squawk" ]; then
    "$squawk" "${files[@]}" >"$tmp/squawk.out" 2>"$tmp/squawk.err"
    s_found=$(grep -Eo 'Found [0-9]+ issues?' "$tmp/squawk.out" | tail -n 1)
    note "timing squawk ($count files)..."
    parse "$(timeit --runs "$runs" --expect "checked $count source files" \
             -- "$tmp/ok01" "$squawk" "${files[@]}")"
    s_status=$r_status s_median=$r_median s_min=$r_min s_max=$r_max
    s_note=$r_note
    [ "$s_status" = ok ] || status=1
fi

ratio=-
if [ "$m_status" = ok ] && [ "$s_status" = ok ]; then
    ratio=$(awk -v m="$m_median" -v s="$s_median" \
                'BEGIN { if (s > 0) printf "%.2fx", m / s; else print "-" }')
fi

# --- report -----------------------------------------------------------------
printf '\n'
printf 'migrator:  %s\n' "$migrator"
printf '           %s\n' "${migrator_version:-(no --version output)}"
printf 'squawk:    %s\n' "${squawk_why:-$squawk_version}"
printf 'machine:   %s, %s CPUs, load %s\n' "$(uname -sm)" \
    "$(nproc 2>/dev/null || echo '?')" \
    "$(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null || echo '?')"
printf 'project:   %s revisions, %s statements (upgrades and downgrades)\n' \
    "$count" "$statements"
printf 'runs:      median of %s after 1 warm-up\n' "$runs"
printf 'wrapper floor (median wall time of `ok01 true`): %s s\n\n' \
    "$floor_cell"

fmt='%-14s %10s %10s %10s  %-40s %s\n'
printf "$fmt" command 'median(s)' 'min(s)' 'max(s)' findings notes
printf "$fmt" -------------- ---------- ---------- ---------- \
    ---------------------------------------- -----
printf "$fmt" 'migrator lint' "$(cell "$m_status" "$m_median")" \
    "$(cell "$m_status" "$m_min")" "$(cell "$m_status" "$m_max")" \
    "${m_found:--} (exit $m_rc)" \
    "$([ "$m_note" = - ] && echo - || echo "$m_status: $m_note")"
if [ -n "$squawk" ]; then
    printf "$fmt" squawk "$(cell "$s_status" "$s_median")" \
        "$(cell "$s_status" "$s_min")" "$(cell "$s_status" "$s_max")" \
        "${s_found:--}" \
        "$([ "$s_note" = - ] && echo - || echo "$s_status: $s_note")"
else
    printf "$fmt" squawk - - - - "skipped: ${squawk_why:-not available}"
fi
case $m_rss in
-) ;;
'<='*) printf '\nmigrator peak RSS: <=%s MiB (getrusage)\n' \
           "$(awk -v k="${m_rss#<=}" 'BEGIN { printf "%.1f", k / 1024 }')" ;;
*) printf '\nmigrator peak RSS: %s MiB\n' \
       "$(awk -v k="$m_rss" 'BEGIN { printf "%.1f", k / 1024 }')" ;;
esac
printf '\nratio (migrator median / squawk median): %s\n' "$ratio"
printf '(below 1: migrator is faster.  Not the same work: migrator reads\n'
printf 'each script through its format plugin, splits the upgrade and the\n'
printf 'downgrade section apart, parses with libpg_query and runs its own\n'
printf 'rules and the PostgreSQL linter, tracking tables across revisions;\n'
printf 'squawk sees each file as one list of statements, both sections\n'
printf 'together, the section markers being comments to it.)\n'
if [ "$m_status" != ok ] && [ -s "$tmp/migrator.err" ]; then
    printf '\nmigrator lint said:\n'
    head -n 5 "$tmp/migrator.err"
fi
exit "$status"
