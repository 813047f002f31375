#!/usr/bin/env bash
# bench/run.sh: time migrator (and Alembic, where installed) on large
# generated projects.  See bench/README.md.
#
#   bench/run.sh [--runs N] [--count N] [--alembic-runs N] [--alembic CMD]
#                [--no-alembic] [--timeout S] [--keep] [MIGRATOR_BINARY]

set -u

usage() {
    cat <<'EOF'
usage: bench/run.sh [options] [MIGRATOR_BINARY]

Generates a linear and a branchy project of COUNT revisions in a temporary
directory, times `heads`, `history` and `upgrade base:head --sql` with
migrator and with Alembic, and prints one table of medians.

options:
  --runs N          timed runs per measurement (default 5)
  --count N         revisions per project (default 10000)
  --alembic-runs N  timed runs for Alembic (default: same as --runs)
  --alembic CMD     how to run Alembic (default: `alembic` on PATH, else
                    `python3 -m alembic` where the module is importable)
  --no-alembic      time migrator only
  --timeout S       seconds allowed for one run (default 600)
  --keep            keep the generated projects and print where they are
  -h, --help        this text

MIGRATOR_BINARY defaults to the build tree's core/migrator (an in-tree
build, _build/ or build/ next to bench/), else `migrator` on PATH.

Exit status: 0 when every migrator command succeeded with the expected
output and every goal check passed, 1 otherwise, 2 on a usage error.
EOF
}

. "$(dirname "$0")/lib.sh"

runs=5
count=10000
alembic_runs=
alembic_cmd=
use_alembic=1
timeout=600
keep=0
migrator=

while [ $# -gt 0 ]; do
    case $1 in
    --runs) [ $# -ge 2 ] || die "--runs needs a value"; runs=$2; shift 2 ;;
    --runs=*) runs=${1#*=}; shift ;;
    --count) [ $# -ge 2 ] || die "--count needs a value"; count=$2; shift 2 ;;
    --count=*) count=${1#*=}; shift ;;
    --alembic-runs) [ $# -ge 2 ] || die "--alembic-runs needs a value"
        alembic_runs=$2; shift 2 ;;
    --alembic-runs=*) alembic_runs=${1#*=}; shift ;;
    --alembic) [ $# -ge 2 ] || die "--alembic needs a value"
        alembic_cmd=$2; shift 2 ;;
    --alembic=*) alembic_cmd=${1#*=}; shift ;;
    --no-alembic) use_alembic=0; shift ;;
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
: "${alembic_runs:=$runs}"
is_count "$runs" || die "--runs must be a positive integer"
is_count "$count" || die "--count must be a positive integer"
is_count "$alembic_runs" || die "--alembic-runs must be a positive integer"

here=$(cd "$(dirname "$0")" && pwd) || exit 2
top=$(dirname "$here")
py=$(command -v python3) || die "python3 not found (needed for the helpers)"

# --- migrator ---------------------------------------------------------------
find_migrator

# --- alembic ----------------------------------------------------------------
alembic=()
alembic_version="not installed"
if [ "$use_alembic" -eq 0 ]; then
    alembic_version="skipped (--no-alembic)"
elif [ -n "$alembic_cmd" ]; then
    read -r -a alembic <<<"$alembic_cmd"
elif command -v alembic >/dev/null 2>&1; then
    alembic=(alembic)
else
    # Debian's python3-alembic ships the module; the `alembic` script is in
    # the separate `alembic` package.
    for p in python3 /usr/bin/python3; do
        if "$p" -c 'import alembic' >/dev/null 2>&1; then
            alembic=("$p" -m alembic)
            break
        fi
    done
fi
if [ ${#alembic[@]} -gt 0 ]; then
    if v=$("${alembic[@]}" --version 2>/dev/null); then
        alembic_version="$v (${alembic[*]})"
    else
        note "alembic: '${alembic[*]} --version' failed; skipping Alembic"
        alembic=()
        alembic_version="not working (${alembic_cmd:-alembic})"
    fi
fi
[ ${#alembic[@]} -gt 0 ] || note "alembic: $alembic_version"

# --- workspace --------------------------------------------------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/migrator-bench.XXXXXX") ||
    die "cannot create a temporary directory"
cleanup() {
    if [ "$keep" -eq 1 ]; then note "projects kept in $tmp"
    else rm -rf "$tmp"; fi
}
trap cleanup EXIT
# Run everything from the workspace: `python3 -m alembic` puts the current
# directory on sys.path, and from bench/ our timeit.py would shadow the
# standard library's (mako imports it).
cd "$tmp" || die "cannot enter $tmp"
trap 'exit 130' INT
trap 'exit 143' TERM

timeit() { "$py" "$here/timeit.py" --timeout "$timeout" "$@"; }

# Fields of one timeit.py result line, into the named globals.
parse() {
    IFS=$'\t' read -r r_status r_median _ _ r_rss r_note <<<"$1"
}

fmt_time() {   # status median -> cell
    case $1 in
    ok|wrong) printf '%.4f' "$2" ;;
    fail) printf 'FAIL' ;;
    timeout) printf 'TIMEOUT' ;;
    *) printf -- '-' ;;
    esac
}

floor=$(timeit --runs 20 -- true)
parse "$floor"
floor_cell=$(fmt_time "$r_status" "$r_median")

# --- measurements -----------------------------------------------------------
ops=(heads history upgrade)
declare -A goal=([heads]=0.1 [history]=0.3)
rows=()
status=0

for shape in linear branchy; do
    dir=$tmp/$shape
    gen_args=(--shape "$shape" --count "$count")
    [ ${#alembic[@]} -gt 0 ] || gen_args+=(--no-alembic)
    note "generating $shape project ($count revisions)..."
    "$py" "$here/gen_project.py" "${gen_args[@]}" "$dir" ||
        die "gen_project.py failed for $shape"
    head_id=$(cat "$dir/HEAD")
    nrevs=$(cat "$dir/COUNT")

    for op in "${ops[@]}"; do
        case $op in
        heads) args=(heads); check=(--expect "$head_id") ;;
        history) args=(history); check=(--expect-lines "$nrevs") ;;
        upgrade) args=(upgrade base:head --sql); check=(--expect "$head_id") ;;
        esac

        note "timing $shape $op: migrator..."
        parse "$(timeit --runs "$runs" --rss "${check[@]}" -- \
                 "$migrator" -c "$dir/migrator/migrator.ini" "${args[@]}")"
        m_status=$r_status m_median=$r_median m_rss=$r_rss m_note=$r_note
        m_cell=$(fmt_time "$m_status" "$m_median")
        case $m_rss in
        -) rss_cell=- ;;
        '<='*) rss_cell="<=$(awk -v k="${m_rss#<=}" \
                                'BEGIN { printf "%.1f", k / 1024 }')" ;;
        *) rss_cell=$(awk -v k="$m_rss" 'BEGIN { printf "%.1f", k / 1024 }') ;;
        esac

        a_status=none a_median=- a_note=-
        if [ ${#alembic[@]} -gt 0 ]; then
            note "timing $shape $op: alembic..."
            parse "$(timeit --runs "$alembic_runs" \
                     --unset PYTHONDONTWRITEBYTECODE "${check[@]}" -- \
                     "${alembic[@]}" -c "$dir/alembic/alembic.ini" \
                     "${args[@]}")"
            a_status=$r_status a_median=$r_median a_note=$r_note
        fi
        a_cell=$(fmt_time "$a_status" "$a_median")

        ratio=-
        if [ "$m_status" = ok ] && [ "$a_status" = ok ]; then
            ratio=$(awk -v a="$a_median" -v m="$m_median" \
                        'BEGIN { if (m > 0) printf "%.1fx", a / m; else print "-" }')
        fi

        g=-
        if [ -n "${goal[$op]:-}" ]; then
            if [ "$m_status" = ok ] &&
               awk -v t="$m_median" -v g="${goal[$op]}" \
                   'BEGIN { exit !(t < g) }'; then
                g="PASS (<${goal[$op]})"
            else
                g="FAIL (<${goal[$op]})"
                status=1
            fi
        fi
        [ "$m_status" = ok ] || status=1

        notes=
        [ "$m_note" = - ] || notes="migrator $m_status: $m_note"
        if [ "$a_note" != - ]; then
            notes="${notes:+$notes; }alembic $a_status: $a_note"
        fi
        [ "$op" = upgrade ] && op_name="upgrade --sql" || op_name=$op
        rows+=("$shape"$'\t'"$op_name"$'\t'"$m_cell"$'\t'"$a_cell"$'\t'"$ratio"$'\t'"$g"$'\t'"$rss_cell"$'\t'"${notes:--}")
    done
done

# --- report -----------------------------------------------------------------
printf '\n'
printf 'migrator:  %s\n' "$migrator"
printf '           %s\n' "${migrator_version:-(no --version output)}"
printf 'alembic:   %s\n' "$alembic_version"
printf 'machine:   %s, %s CPUs, load %s\n' "$(uname -sm)" \
    "$(nproc 2>/dev/null || echo '?')" \
    "$(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null || echo '?')"
printf 'projects:  %s revisions each; median of %s runs (alembic: %s) after 1 warm-up\n' \
    "$count" "$runs" "$alembic_runs"
printf 'timer floor (median wall time of `true`): %s s\n\n' "$floor_cell"

fmt='%-8s %-14s %12s %12s %9s %-12s %9s  %s\n'
printf "$fmt" shape operation 'migrator(s)' 'alembic(s)' ratio goal 'RSS(MiB)' notes
printf "$fmt" -------- -------------- ------------ ------------ --------- \
    ------------ --------- -----
for row in "${rows[@]}"; do
    IFS=$'\t' read -r c1 c2 c3 c4 c5 c6 c7 c8 <<<"$row"
    printf "$fmt" "$c1" "$c2" "$c3" "$c4" "$c5" "$c6" "$c7" "$c8"
done
printf '\nratio = alembic median / migrator median (higher: migrator faster).\n'
printf 'RSS = migrator peak resident set, one extra run'
if [ -x /usr/bin/time ]; then printf ' (/usr/bin/time -f %%M).\n'
else printf ' (getrusage; "<=" includes the helper'"'"'s own memory).\n'; fi
if [ "$count" -ne 10000 ]; then
    printf 'note: the goals are defined for 10000 revisions; this run used %s.\n' \
        "$count"
fi
exit "$status"
