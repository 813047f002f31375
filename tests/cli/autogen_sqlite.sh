#!/bin/sh
# Schema autogeneration on SQLite, end to end: for every case of
# tests/data/autogen that has a SQLite variant, revision --autogenerate
# from before.sql and then after.sql, upgrade, check, schema dump,
# downgrade and up again, rows kept across table rebuilds (see
# tests/data/autogen/README); then what autogenerate refuses.
# AG_CASES="case ..." runs only those cases (or scenarios).
. "$top_srcdir/tests/cli/autogen_lib.sh"
ag_dialect sqlite || exit $?

for c in ${AG_CASES:-$(ag_cases) refusals}; do
    case $c in
    refusals) ag_scenario refusals ag_refusals ;;
    *) ag_case "$c" ;;
    esac
done

ag_summary
finish
