#!/bin/sh
# Offline (--sql) upgrade, downgrade and stamp, checked against the
# version-table statements Alembic emits for the same graphs and commands
# (shared/conformance scenarios L09, L12, B08, B09, M06). migrator opens a
# transaction on SQLite too (Alembic does not), and emits the plain INSERT
# (no RETURNING). Compared: the BEGIN/COMMIT, "-- Running" and
# version-table lines, in order.
. "$top_srcdir/tests/cli/lib.sh"

# graph NAME "rev:parents[:labels]" ...: a project whose scripts are
# NNNN_<rev>.sql, in the order given.
graph() {
    new_project "version_table = alembic_version
${OPTIONS:-}"
    n=0
    for spec in "$@"; do
        n=$((n + 1))
        rev=${spec%%:*}
        parents=${spec#*:}
        write_rev "$V" "$(printf '%04d' $n)_$rev.sql" "$rev" "$parents"
    done
}

# sql_case "ARGS" "EXPECTED LINES": run offline, compare the filtered lines.
sql_case() {
    run -c "$INI" $1
    expect_rc 0
    grep -E '^(BEGIN;|COMMIT;|-- Running|INSERT INTO alembic_version|UPDATE alembic_version|DELETE FROM alembic_version)' \
        "$T/out" >"$T/got"
    printf '%s\n' "$2" >"$T/want"
    checks=$((checks + 1))
    cmp -s "$T/want" "$T/got" || { fail "$1: statements differ"; diff -u "$T/want" "$T/got"; }
}

# err_case "ARGS" RC "STDERR RE"
err_case() {
    run -c "$INI" $1
    expect_rc "$2"
    expect_err "$3"
    checks=$((checks + 1))
    [ ! -s "$T/out" ] || fail "$1: printed SQL although it failed"
}


# L09: Offline (--sql) upgrade with start:end, SQLite dialect
OPTIONS=
graph "a1:" "b2:a1" "c3:b2" "d4:c3" "e5:d4"
sql_case "upgrade base:c3 --sql" "BEGIN;
-- Running upgrade  -> a1
INSERT INTO alembic_version (version_num) VALUES ('a1');
-- Running upgrade a1 -> b2
UPDATE alembic_version SET version_num='b2' WHERE alembic_version.version_num = 'a1';
-- Running upgrade b2 -> c3
UPDATE alembic_version SET version_num='c3' WHERE alembic_version.version_num = 'b2';
COMMIT;"
sql_case "upgrade a1:c3 --sql" "BEGIN;
-- Running upgrade a1 -> b2
UPDATE alembic_version SET version_num='b2' WHERE alembic_version.version_num = 'a1';
-- Running upgrade b2 -> c3
UPDATE alembic_version SET version_num='c3' WHERE alembic_version.version_num = 'b2';
COMMIT;"
sql_case "upgrade c3 --sql" "BEGIN;
-- Running upgrade  -> a1
INSERT INTO alembic_version (version_num) VALUES ('a1');
-- Running upgrade a1 -> b2
UPDATE alembic_version SET version_num='b2' WHERE alembic_version.version_num = 'a1';
-- Running upgrade b2 -> c3
UPDATE alembic_version SET version_num='c3' WHERE alembic_version.version_num = 'b2';
COMMIT;"

# L12: Range syntax only valid with --sql; downgrade --sql needs a range
OPTIONS=
graph "a1:" "b2:a1" "c3:b2" "d4:c3" "e5:d4"
# Alembic: Range revision not allowed
err_case "upgrade a1:c3" 2 "."
# Alembic: downgrade with --sql requires <fromrev>:<torev>
err_case "downgrade -1 --sql" 2 "."
# Alembic: Destination e5 is not a valid downgrade target from current head(s)
err_case "downgrade c3:e5 --sql" 2 "."

# B08: Offline stamp and stamp --purge --sql
OPTIONS=
graph "aaaa:" "bbbb:aaaa" "c1c1:bbbb" "c2c2:bbbb" "d1d1:c1c1"
sql_case "stamp base:heads --sql" "BEGIN;
-- Running stamp_revision  -> c2c2
INSERT INTO alembic_version (version_num) VALUES ('c2c2');
-- Running stamp_revision  -> d1d1
INSERT INTO alembic_version (version_num) VALUES ('d1d1');
COMMIT;"
# Alembic: Can't use --purge with --sql mode
err_case "stamp --sql --purge c1c1" 2 "."
sql_case "stamp c1c1:d1d1 --sql" "BEGIN;
-- Running stamp_revision c1c1 -> d1d1
UPDATE alembic_version SET version_num='d1d1' WHERE alembic_version.version_num = 'c1c1';
COMMIT;"

# B09: Offline upgrade starting on one branch
OPTIONS=
graph "aaaa:" "bbbb:aaaa" "c1c1:bbbb" "c2c2:bbbb" "d1d1:c1c1"
sql_case "upgrade d1d1:heads --sql" "BEGIN;
-- Running upgrade bbbb -> c2c2
INSERT INTO alembic_version (version_num) VALUES ('c2c2');
COMMIT;"
sql_case "upgrade c2c2:d1d1 --sql" "BEGIN;
-- Running upgrade bbbb -> c1c1
INSERT INTO alembic_version (version_num) VALUES ('c1c1');
-- Running upgrade c1c1 -> d1d1
UPDATE alembic_version SET version_num='d1d1' WHERE alembic_version.version_num = 'c1c1';
COMMIT;"
# Alembic: Multiple head revisions are present for given argument 'heads'; please specify a specific target revision, '<branchname>@heads' to narrow to a specific head, or 'heads' for all heads
err_case "upgrade heads:heads --sql" 2 "."

# M06: Offline SQL across a merge with transaction_per_migration
OPTIONS='transaction_per_migration = true'
graph "aaaa:" "bbbb:aaaa" "c1c1:bbbb" "c2c2:bbbb" "d1d1:c1c1" "mmmm:d1d1, c2c2" "eeee:mmmm"
sql_case "upgrade base:mmmm --sql" "BEGIN;
-- Running upgrade  -> aaaa
INSERT INTO alembic_version (version_num) VALUES ('aaaa');
COMMIT;
BEGIN;
-- Running upgrade aaaa -> bbbb
UPDATE alembic_version SET version_num='bbbb' WHERE alembic_version.version_num = 'aaaa';
COMMIT;
BEGIN;
-- Running upgrade bbbb -> c2c2
UPDATE alembic_version SET version_num='c2c2' WHERE alembic_version.version_num = 'bbbb';
COMMIT;
BEGIN;
-- Running upgrade bbbb -> c1c1
INSERT INTO alembic_version (version_num) VALUES ('c1c1');
COMMIT;
BEGIN;
-- Running upgrade c1c1 -> d1d1
UPDATE alembic_version SET version_num='d1d1' WHERE alembic_version.version_num = 'c1c1';
COMMIT;
BEGIN;
-- Running upgrade d1d1, c2c2 -> mmmm
DELETE FROM alembic_version WHERE alembic_version.version_num = 'd1d1';
UPDATE alembic_version SET version_num='mmmm' WHERE alembic_version.version_num = 'c2c2';
COMMIT;"
sql_case "downgrade eeee:c1c1 --sql" "BEGIN;
-- Running downgrade eeee -> mmmm
UPDATE alembic_version SET version_num='mmmm' WHERE alembic_version.version_num = 'eeee';
COMMIT;
BEGIN;
-- Running downgrade mmmm -> d1d1, c2c2
INSERT INTO alembic_version (version_num) VALUES ('d1d1');
UPDATE alembic_version SET version_num='c2c2' WHERE alembic_version.version_num = 'mmmm';
COMMIT;
BEGIN;
-- Running downgrade d1d1 -> c1c1
UPDATE alembic_version SET version_num='c1c1' WHERE alembic_version.version_num = 'd1d1';
COMMIT;"
sql_case "upgrade c1c1:heads --sql" "BEGIN;
-- Running upgrade bbbb -> c2c2
INSERT INTO alembic_version (version_num) VALUES ('c2c2');
COMMIT;
BEGIN;
-- Running upgrade c1c1 -> d1d1
UPDATE alembic_version SET version_num='d1d1' WHERE alembic_version.version_num = 'c1c1';
COMMIT;
BEGIN;
-- Running upgrade d1d1, c2c2 -> mmmm
DELETE FROM alembic_version WHERE alembic_version.version_num = 'd1d1';
UPDATE alembic_version SET version_num='mmmm' WHERE alembic_version.version_num = 'c2c2';
COMMIT;
BEGIN;
-- Running upgrade mmmm -> eeee
UPDATE alembic_version SET version_num='eeee' WHERE alembic_version.version_num = 'mmmm';
COMMIT;"

finish
