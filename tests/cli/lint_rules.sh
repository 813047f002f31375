#!/bin/sh
# migrator lint, rule by rule: every rule of the core and of each linter
# has a fixture that triggers it (tests/data/lint/<linter>/RULE.bad.sql)
# and its safe rewrite that does not (RULE.good.sql). In a bad fixture,
# "-- expect: RULE" stands on the line before where the finding must
# point. The scripts run through the real command, each alone in a
# project, with a database that cannot be reached.
. "$top_srcdir/tests/cli/lib.sh"

DATA="$top_srcdir/tests/data/lint"

# The lines "-- expect: RULE" point at, as "RULE LINE" pairs.
expectations() {
    awk '/^[ \t]*-- expect: / { pending[++n] = $3; next }
         n { for (i = 1; i <= n; i++) print pending[i], NR; n = 0 }' "$1"
}

# lint_one DIALECT_URL FIXTURE: lint it alone; output in $T/out.
lint_one() {
    PROJECT_URL=$1 new_project
    cp "$2" "$V/"
    run -c "$INI" lint
}

check_dir() {
    linter=$1 url=$2
    n=0
    for bad in "$DATA/$linter"/*.bad.sql; do
        [ -e "$bad" ] || continue
        rule=$(basename "$bad" .bad.sql)
        good="$DATA/$linter/$rule.good.sql"
        n=$((n + 1))
        checks=$((checks + 1))
        [ -e "$good" ] || fail "[$linter] $rule has no good fixture"
        file=$(basename "$bad")
        lint_one "$url" "$bad"
        expectations "$bad" >"$T/expect"
        checks=$((checks + 1))
        [ -s "$T/expect" ] || fail "[$linter] $file expects nothing"
        while read -r want line; do
            checks=$((checks + 1))
            grep -Eq -- "$file:$line: [a-z]+\\[$want\\]" "$T/out" ||
                fail "[$linter] $file: no $want finding at line $line"
        done <"$T/expect"
        [ -e "$good" ] || continue
        lint_one "$url" "$good"
        # It ran to the end (a crash would report no finding either).
        expect_out '^lint: 1 revision, '
        checks=$((checks + 1))
        ! grep -Eq -- "\\[$rule\\]" "$T/out" ||
            fail "[$linter] $rule.good.sql still gets $rule"
    done
    printf '%s: %d rules\n' "$linter" "$n"
    checks=$((checks + 1))
    [ "$n" -gt 0 ] || fail "[$linter] no fixtures"
}

NOSERVER='postgresql:///lint?host=/nonexistent-migrator-lint'
check_dir migrator "sqlite:///%(here)s/test.db"
check_dir sqlite "sqlite:///%(here)s/test.db"
check_dir postgresql "$NOSERVER"

# Every rule a linter declares has its fixtures.
for linter in migrator sqlite postgresql; do
    url="sqlite:///%(here)s/test.db"
    [ "$linter" = postgresql ] && url=$NOSERVER
    PROJECT_URL=$url new_project
    run -c "$INI" lint --rules
    expect_rc 0
    awk -v l="$linter" '$1 == l { print $2 }' "$T/out" >"$T/rules"
    while read -r rule; do
        checks=$((checks + 1))
        ls "$DATA"/*/"$rule.bad.sql" >/dev/null 2>&1 ||
            fail "[$linter] rule $rule has no fixture"
    done <"$T/rules"
done

# Exit codes: nothing found is 0, an error finding is 1, warnings alone
# are 0.
PROJECT_URL="sqlite:///%(here)s/test.db" new_project
cp "$DATA/migrator/missing-downgrade.good.sql" "$V/"
run -c "$INI" lint
expect_rc 0
expect_out_eq 'lint: 1 revision, 2 statements: 0 errors, 0 warnings, 0 notices'

PROJECT_URL="sqlite:///%(here)s/test.db" new_project
cp "$DATA/migrator/missing-downgrade.bad.sql" "$V/"
run -c "$INI" lint
expect_rc 1
expect_out '^lint: 1 revision, 1 statement: 1 error'
cp "$DATA/migrator/mixed-ddl-dml.bad.sql" "$V/"
sed -i 's/^-- Revision ID: a1b2c3d4e5f6/-- Revision ID: b1b2c3d4e5f6/; s/^-- Revises:$/-- Revises: a1b2c3d4e5f6/' "$V/mixed-ddl-dml.bad.sql"
run -c "$INI" lint b1b2c3d4e5f6
expect_rc 0
expect_out 'mixed-ddl-dml'
expect_no_out 'missing-downgrade'
# The project silences a rule in the config.
printf 'lint_ignore = missing-downgrade\n' >>"$INI"
run -c "$INI" lint
expect_rc 0
expect_out '\(1 silenced\)'
sed -i 's/^lint_ignore = .*/lint_ignore = no-such-rule/' "$INI"
run -c "$INI" lint
expect_rc 2
expect_err "lint_ignore names 'no-such-rule'"

finish
