#!/bin/sh
# A report that cannot be written completely fails the command (exit 1,
# a message naming it), and leaves no file behind, neither the report
# nor its temporary file: on a full file system (a small tmpfs in a
# private mount namespace, which needs root: skipped loudly otherwise),
# one with room for part of the report, and /dev/full written in place.
. "$top_srcdir/tests/cli/lib.sh"

MNT="$T/full"
mkdir -p "$MNT"
if [ "$(id -u)" -ne 0 ] || ! command -v unshare >/dev/null 2>&1 ||
    ! unshare -m sh -c "mount -t tmpfs -o size=64k tmpfs '$MNT'" 2>/dev/null; then
    printf 'SKIP: a full file system needs root and unshare -m (mount a tmpfs)\n'
    rm -rf "$T"
    exit 77
fi

new_project
n=1
prev=
while [ $n -le 40 ]; do
    id=$(printf 'r%03d' $n)
    write_rev "$V" "${id}_x.sql" "$id" "$prev"
    prev=$id
    n=$((n + 1))
done

# in_full_fs FREE_KB ARGS...: run migrator ARGS in a namespace where $MNT
# is a 64k tmpfs with about FREE_KB left; $rc, $T/out, $T/err, and the
# files left in $MNT in $T/left.
in_full_fs() {
    free_kb=$1
    shift
    printf '$ [%sk free] migrator %s\n' "$free_kb" "$*"
    unshare -m sh -c '
        mnt=$1 free=$2; shift 2
        mount -t tmpfs -o size=64k tmpfs "$mnt" || exit 99
        dd if=/dev/zero of="$mnt/fill" bs=1k count=$((64 - free)) 2>/dev/null
        "$@"
        rc=$?
        ls -A "$mnt" | grep -v "^fill$" >"$0.left"
        exit $rc' "$T/x" "$MNT" "$free_kb" "$MIGRATOR" "$@" >"$T/out" 2>"$T/err"
    rc=$?
    mv "$T/x.left" "$T/left"
}

nothing_left() {
    checks=$((checks + 1))
    [ ! -s "$T/left" ] || fail "$1: left $(cat "$T/left")"
}

# 4k free: room for part of the JSON report (18k), not for all of it.
for spec in json:r.json junit:r.xml text:r.txt; do
    frees=0
    [ "${spec%%:*}" = json ] && frees="0 4"
    for free in $frees; do
        in_full_fs "$free" -c "$INI" --report "${spec%%:*}:$MNT/${spec#*:}" history
        expect_rc 1
        expect_err "report '$MNT/${spec#*:}'.*No space left on device"
        nothing_left "${spec%%:*} report, ${free}k free"
    done
done
in_full_fs 0 -c "$INI" --reporter json --report-file "$MNT/r.json" upgrade head
expect_rc 1
expect_err "No space left on device"
nothing_left "the report of an upgrade"

# Written in place: nothing to remove, and the command fails.
run -c "$INI" --report "json:/dev/full" history
expect_rc 1
expect_err "report '/dev/full'.*No space left on device"

finish
