#!/bin/sh
# migrator init and list-templates.
. "$top_srcdir/tests/cli/lib.sh"
cd "$T" || exit 1

run list-templates
expect_rc 0
expect_out '^generic - '
expect_out '^postgresql - '

run init migrations
expect_rc 0
expect_out 'Generating migrator.ini \.\.\. done'
checks=$((checks + 1))
[ -d migrations/versions ] && [ -f migrations/README ] &&
    [ -f migrations/script.sql.tmpl ] && [ -f migrations/script.c.tmpl ] &&
    [ -f migrator.ini ] ||
    fail "init did not create the layout"
# The build cache of C scripts is kept out of the repository.
checks=$((checks + 1))
grep -qx '\.migrator-cache/' migrations/.gitignore ||
    fail "init wrote no .gitignore for the build cache"
if command -v git >/dev/null 2>&1; then
    checks=$((checks + 1))
    git init -q gitcheck && mkdir -p gitcheck/m/versions/.migrator-cache &&
        cp migrations/.gitignore gitcheck/m/ &&
        git -C gitcheck check-ignore -q m/versions/.migrator-cache/r-1.so ||
        fail "git does not ignore the build cache"
    rm -rf gitcheck
fi
checks=$((checks + 1))
[ "$(stat -c %a migrator.ini)" = 600 ] ||
    fail "migrator.ini is $(stat -c %a migrator.ini), not 600"
checks=$((checks + 1))
! grep -q '@script_location@' migrator.ini || fail "placeholder left in migrator.ini"
checks=$((checks + 1))
grep -q '^script_location = %(here)s/migrations$' migrator.ini ||
    fail "script_location not relative to the config"

# The new project works: no revisions, no heads, no error.
run heads
expect_rc 0
checks=$((checks + 1))
[ ! -s "$T/out" ] || fail "heads printed something for an empty project"

# A first revision from the project's template.
run revision -m "create users"
expect_rc 0
expect_out 'Generating .*/migrations/versions/[0-9a-f]{12}_create_users\.sql \.\.\. done'
run heads
expect_rc 0
expect_out '^[0-9a-f]{12} \(head\)$'

# Refusals: existing migrator.ini, non-empty directory, unknown template.
run init other
expect_rc 2
expect_err "'migrator.ini' exists already"
checks=$((checks + 1))
[ ! -e other ] || fail "init created 'other' although it refused"

mkdir sub && cd sub && mkdir full && touch full/x
run init full
expect_rc 2
expect_err "directory 'full' is not empty"
checks=$((checks + 1))
[ ! -e migrator.ini ] || fail "init wrote migrator.ini although it refused"

run init --template nosuch fresh
expect_rc 2
expect_err "no template 'nosuch'"

run init
expect_rc 2
expect_err 'DIR is missing'

# An absolute DIR is written as an absolute path.
run init --template postgresql "$T/sub/abs"
expect_rc 0
checks=$((checks + 1))
grep -q "^script_location = $T/sub/abs\$" migrator.ini ||
    fail "absolute DIR not kept absolute"
checks=$((checks + 1))
grep -q '^transaction_per_migration = true$' migrator.ini ||
    fail "postgresql template not used"

finish
