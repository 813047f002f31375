# bench/lib.sh: what the bench scripts share. Source it first:
#   . "$(dirname "$0")/lib.sh"
# die MSG        print "<script>: MSG" and exit 2 (a usage or setup error)
# note MSG...    a line on stderr
# is_count N     N is a whole number above 0
# find_migrator  the binary to time: $migrator when set (a path, or a name
#                on PATH), else the build tree's core/migrator (in-tree,
#                _build/ or build/ next to bench/), else migrator on PATH;
#                sets migrator (absolute) and migrator_version. Needs $top.

bench_name=$(basename "$0")

die() { printf '%s: %s\n' "$bench_name" "$*" >&2; exit 2; }
note() { printf '%s\n' "$*" >&2; }

is_count() { case $1 in ''|*[!0-9]*) return 1 ;; *) [ "$1" -gt 0 ] ;; esac; }

find_migrator() {
    local cand found

    if [ -z "$migrator" ]; then
        for cand in "$top/core/migrator" "$top/_build/core/migrator" \
                    "$top/build/core/migrator"; do
            if [ -f "$cand" ] && [ -x "$cand" ]; then
                migrator=$cand
                break
            fi
        done
    fi
    if [ -z "$migrator" ]; then
        migrator=$(command -v migrator) ||
            die "no migrator binary: build core/migrator or pass its path"
    fi
    case $migrator in
    */*) ;;
    *) found=$(command -v "$migrator") || die "'$migrator' not found on PATH"
       migrator=$found ;;
    esac
    [ -x "$migrator" ] || die "'$migrator' is not executable"
    migrator=$(cd "$(dirname "$migrator")" && pwd)/$(basename "$migrator")
    if [ "$(head -c 2 "$migrator")" = "#!" ]; then
        note "note: $migrator is a script (libtool wrapper?): its times" \
             "include starting a shell; prefer the real binary, e.g." \
             "LD_LIBRARY_PATH=core/.libs bench/$bench_name core/.libs/migrator"
    fi
    migrator_version=$("$migrator" --version 2>/dev/null | head -n 1)
}
