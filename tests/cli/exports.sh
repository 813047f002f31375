#!/bin/sh
# libmigrator exports only the names its installed headers declare, and
# every function those headers declare is exported.
. "$top_srcdir/tests/cli/lib.sh"
LIB="$top_builddir/core/.libs/libmigrator.so"
[ -f "$LIB" ] || { echo "no $LIB"; exit 99; }
HEADERS="$top_srcdir/include/migrator/migrator.h
         $top_srcdir/include/migrator/commands.h"

nm -D --defined-only "$LIB" | awk '{ print $3 }' | sed 's/@.*//' |
    sort -u >"$T/exported"
checks=$((checks + 1))
[ -s "$T/exported" ] || fail "nm -D listed nothing"

# Declared: a public name followed by '(' (a function) or '[' (the
# one variable, mgr_buf_empty).
sed -n 's/.*\b\(mgr_[a-z0-9_]*\) *[([].*/\1/p' $HEADERS | sort -u \
    >"$T/declared"

while read -r name; do
    checks=$((checks + 1))
    grep -qx "$name" "$T/declared" ||
        fail "libmigrator exports '$name', which no installed header declares"
done <"$T/exported"

# Functions declared but not exported would fail to link in applications.
grep -E '^mgr_' "$T/declared" | while read -r name; do
    grep -qx "$name" "$T/exported" || echo "$name"
done >"$T/missing"
checks=$((checks + 1))
[ ! -s "$T/missing" ] ||
    fail "declared but not exported: $(tr '\n' ' ' <"$T/missing")"

finish
