#!/bin/sh
# revision, merge and edit: new scripts, branches, labels, merges.
. "$top_srcdir/tests/cli/lib.sh"
new_project
cd "$T" || exit 1

run -c "$INI" revision -m "Create properties!" --rev-id aaaa0001
expect_rc 0
expect_out "Generating $V/aaaa0001_create_properties\.sql \.\.\. done"
checks=$((checks + 1))
grep -q '^-- Revises: $' "$V/aaaa0001_create_properties.sql" ||
    fail "the first revision should be a base"

run -c "$INI" revision -m "add owner" --rev-id bbbb0002
expect_rc 0
checks=$((checks + 1))
grep -q '^-- Revises: aaaa0001$' "$V/bbbb0002_add_owner.sql" ||
    fail "the second revision should revise the first"

# A second branch from aaaa0001 needs --splice (aaaa0001 is not a head).
run -c "$INI" revision -m "side" --head aaaa0001 --rev-id cccc0003
expect_rc 2
expect_err "splice"
run -c "$INI" revision -m "side" --head aaaa0001 --splice \
    --branch-label side --rev-id cccc0003
expect_rc 0
checks=$((checks + 1))
grep -q '^-- Branch Labels: side$' "$V/cccc0003_side.sql" ||
    fail "branch label not written"

run -c "$INI" heads
expect_rc 0
expect_out_eq 'bbbb0002 (head)
cccc0003 (side) (head)'

# With two heads, 'head' is ambiguous and the error says what to do.
run -c "$INI" revision -m "more"
expect_rc 2
expect_err "heads"
checks=$((checks + 1))
[ "$(ls "$V" | wc -l)" -eq 3 ] || fail "a script was written on error"

# Duplicate ids and labels are refused before anything is written.
run -c "$INI" revision -m "dup" --head side@head --rev-id bbbb0002
expect_rc 2
run -c "$INI" revision -m "dup" --head side@head --branch-label side
expect_rc 2
run -c "$INI" revision -m "bad" --head side@head --rev-id 'bad-id'
expect_rc 2
checks=$((checks + 1))
[ "$(ls "$V" | wc -l)" -eq 3 ] || fail "a script was written on error"

# merge: fewer than two heads is refused; heads merges both.
run -c "$INI" merge bbbb0002 -m "one"
expect_rc 2
expect_err "two or more"
run -c "$INI" merge heads -m "join branches" --rev-id eeee0005
expect_rc 0
checks=$((checks + 1))
grep -q '^-- Revises: bbbb0002, cccc0003$' "$V/eeee0005_join_branches.sql" ||
    fail "merge parents wrong: $(grep Revises "$V/eeee0005_join_branches.sql")"
run -c "$INI" heads
expect_out_eq 'eeee0005 (side) (head)'
run -c "$INI" merge heads -m "again"
expect_rc 2

# --depends-on keeps a label and expands a prefix; a new base needs
# --head base.
run -c "$INI" revision -m "dep" --head base --branch-label other \
    --depends-on eeee0 --depends-on side --rev-id dddd0004
expect_rc 0
checks=$((checks + 1))
grep -q '^-- Depends On: eeee0005, side$' "$V/dddd0004_dep.sql" ||
    fail "Depends On wrong: $(grep 'Depends On' "$V/dddd0004_dep.sql")"
checks=$((checks + 1))
grep -q '^-- Revises: $' "$V/dddd0004_dep.sql" || fail "--head base not a base"
run -c "$INI" heads
expect_out_eq 'dddd0004 (other) (head)
eeee0005 (side) (effective head)'
run -c "$INI" heads --resolve-dependencies
expect_out_eq 'dddd0004 (other) (head)'

# edit opens the script of a revision in $EDITOR.
checks=$((checks + 1))
EDITOR="touch $T/edited-marker; true" "$MIGRATOR" -c "$INI" edit eeee >"$T/out" 2>"$T/err" ||
    fail "edit failed"
[ -e "$T/edited-marker" ] || fail "editor not run"

finish
