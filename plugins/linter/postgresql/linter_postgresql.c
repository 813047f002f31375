/*
 * linter_postgresql.c: the PostgreSQL lint rules (linter_postgresql),
 * written against libpg_query's parse tree that `migrator lint` hands
 * over with each statement (parse_format "pg_query-15"). The plugin
 * itself does not parse: a statement without a tree (the grammar
 * refused it; the host reports that) gets no finding.
 *
 * This file holds the entry point, the rule catalogue, the dispatch of
 * statements to the files that know them (pgl.h), and the queries the
 * host runs for table sizes and lint --trace.
 */
#include "autoconfig.h"

#include <string.h>

#include <migrator/plugin.h>

#include "pgl.h"
#include "plugin_state.h"

/* ---- the catalogue ------------------------------------------------------- */

#define RULE(name_, id_, sev_, summary_)                                  \
    static const struct mgr_lint_rule name_ = {id_, MGR_SEVERITY_##sev_,  \
                                               summary_}

RULE(r_required, "adding-required-field", ERROR,
     "ADD COLUMN NOT NULL without a DEFAULT fails on a table with rows");
RULE(r_default, "adding-field-with-default", ERROR,
     "ADD COLUMN with a volatile DEFAULT, or a stored generated or "
     "identity column, rewrites the table");
RULE(r_serial_pk, "adding-serial-primary-key-field", ERROR,
     "ADD COLUMN serial PRIMARY KEY rewrites the table and builds the "
     "index under ACCESS EXCLUSIVE");
RULE(r_type, "changing-column-type", ERROR,
     "ALTER COLUMN TYPE rewrites the table under ACCESS EXCLUSIVE");
RULE(r_not_null, "adding-not-nullable-field", ERROR,
     "SET NOT NULL scans the table under ACCESS EXCLUSIVE unless a "
     "validated CHECK (col IS NOT NULL) exists");
RULE(r_not_valid, "constraint-missing-not-valid", ERROR,
     "ADD CONSTRAINT CHECK without NOT VALID scans the table under "
     "ACCESS EXCLUSIVE");
RULE(r_fk, "adding-foreign-key-constraint", ERROR,
     "ADD FOREIGN KEY without NOT VALID scans the table under SHARE ROW "
     "EXCLUSIVE on both tables");
RULE(r_unique, "disallowed-unique-constraint", ERROR,
     "ADD UNIQUE or PRIMARY KEY without USING INDEX builds the index "
     "under ACCESS EXCLUSIVE");
RULE(r_unique_data, "unique-index-on-existing-table", WARNING,
     "CREATE UNIQUE INDEX on an existing table fails when its rows hold "
     "duplicates");
RULE(r_index_create, "require-concurrent-index-creation", ERROR,
     "CREATE INDEX without CONCURRENTLY blocks writes to the table while "
     "it builds");
RULE(r_index_drop, "require-concurrent-index-deletion", ERROR,
     "DROP INDEX without CONCURRENTLY takes ACCESS EXCLUSIVE on the "
     "table");
RULE(r_reindex, "require-concurrent-reindex", ERROR,
     "REINDEX without CONCURRENTLY blocks writes to the table and reads "
     "through the index");
RULE(r_concurrent_tx, "ban-concurrent-index-creation-in-transaction", ERROR,
     "CREATE/DROP INDEX CONCURRENTLY and REINDEX CONCURRENTLY fail in a "
     "transaction block");
RULE(r_rewrite, "table-rewrite", ERROR,
     "SET TABLESPACE, SET LOGGED/UNLOGGED or SET ACCESS METHOD rewrites "
     "the table under ACCESS EXCLUSIVE");
RULE(r_vacuum_full, "ban-vacuum-full", ERROR,
     "VACUUM FULL rewrites the table under ACCESS EXCLUSIVE");
RULE(r_cluster, "ban-cluster", ERROR,
     "CLUSTER rewrites the table under ACCESS EXCLUSIVE");
RULE(r_rename_col, "renaming-column", WARNING,
     "RENAME COLUMN breaks the code that still uses the old name");
RULE(r_rename_table, "renaming-table", WARNING,
     "RENAME TO breaks the code that still uses the old name");
RULE(r_enum, "enum-value-used-in-same-transaction", ERROR,
     "an enum value added by ALTER TYPE ADD VALUE cannot be used before "
     "it commits");
RULE(r_timeout, "require-lock-timeout", WARNING,
     "a statement that locks an existing table with no lock_timeout "
     "set blocks every query queued behind it");
RULE(r_bigint, "prefer-bigint-over-int", NOTICE,
     "integer and smallint columns (and serial) run out of values; "
     "bigint does not");
RULE(r_identity, "prefer-identity", NOTICE,
     "serial columns: prefer GENERATED AS IDENTITY");
RULE(r_jsonb, "prefer-jsonb", NOTICE, "json columns: prefer jsonb");
RULE(r_tstz, "prefer-timestamptz", NOTICE,
     "timestamp and time without time zone: prefer timestamptz");
RULE(r_char, "ban-char-field", NOTICE,
     "char(n) pads with blanks: prefer text or varchar");
RULE(r_text, "prefer-text-field", NOTICE,
     "varchar(n): prefer text (with a CHECK on its length if needed)");
RULE(r_drop_db, "ban-drop-database", ERROR,
     "DROP DATABASE in a migration");
RULE(r_drop_not_null, "ban-drop-not-null", WARNING,
     "DROP NOT NULL breaks readers that expect a value");
RULE(r_truncate, "ban-truncate-cascade", ERROR,
     "TRUNCATE CASCADE also empties every table that references it");
RULE(r_domain_alter, "ban-alter-domain-with-add-constraint", ERROR,
     "ALTER DOMAIN ADD CONSTRAINT checks every column of the domain "
     "under lock");
RULE(r_domain_create, "ban-create-domain-with-constraint", WARNING,
     "constraints of a domain cannot be changed without locking every "
     "table that uses it");
RULE(r_nesting, "transaction-nesting", ERROR,
     "BEGIN, COMMIT or ROLLBACK in a script: migrator owns the "
     "transaction");
RULE(r_fk_index, "foreign-key-without-index", WARNING,
     "a foreign key added without an index on its columns");
RULE(r_fk_cycle, "circular-foreign-key", WARNING,
     "foreign keys among new tables that form a cycle");

static const struct mgr_lint_rule *const rules[] = {
    &r_required,   &r_default,      &r_serial_pk,     &r_type,
    &r_not_null,   &r_not_valid,    &r_fk,            &r_unique,
    &r_unique_data, &r_index_create, &r_index_drop,   &r_reindex,
    &r_concurrent_tx, &r_rewrite,   &r_vacuum_full,   &r_cluster,
    &r_rename_col, &r_rename_table, &r_enum,          &r_timeout,
    &r_bigint,     &r_identity,     &r_jsonb,         &r_tstz,
    &r_char,       &r_text,         &r_drop_db,       &r_drop_not_null,
    &r_truncate,   &r_domain_alter, &r_domain_create, &r_nesting,
    &r_fk_index,   &r_fk_cycle,     NULL,
};

enum mgr_severity pgl_rule_severity(const char *id)
{
    for (size_t i = 0; rules[i]; i++) {
        if (strcmp(rules[i]->id, id) == 0)
            return rules[i]->severity;
    }
    return MGR_SEVERITY_ERROR;
}

/* ---- statements ---------------------------------------------------------- */

static const struct {
    const char *node;
    void (*fn)(struct pgl_stmt *s, const struct mgr_json *body);
} handlers[] = {
    {"AlterDomainStmt", pgl_alter_domain},
    {"AlterEnumStmt", pgl_alter_enum},
    {"AlterTableStmt", pgl_alter_table},
    {"ClusterStmt", pgl_cluster},
    {"CreateDomainStmt", pgl_create_domain},
    {"CreateStmt", pgl_create_table},
    {"CreateTrigStmt", pgl_create_trigger},
    {"DropStmt", pgl_drop},
    {"DropdbStmt", pgl_drop_database},
    {"IndexStmt", pgl_create_index},
    {"ReindexStmt", pgl_reindex},
    {"RenameStmt", pgl_rename},
    {"SelectStmt", pgl_select},
    {"TransactionStmt", pgl_transaction},
    {"TruncateStmt", pgl_truncate},
    {"VacuumStmt", pgl_vacuum},
    {"VariableSetStmt", pgl_variable_set},
};

/* One statement node ({"AlterTableStmt":{...}}) of the tree. */
static void one_statement(struct pgl_stmt *s, const struct mgr_json *stmt)
{
    const struct mgr_json *body;
    const char *type = jw_node(stmt, &body);

    if (!type)
        return;
    pgl_enum_check(s, stmt);
    for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++) {
        if (strcmp(handlers[i].node, type) == 0) {
            handlers[i].fn(s, body);
            break;
        }
    }
    pgl_lock_timeout_check(s);
}

/* The tree of st when it is one this linter reads, else NULL. */
static const struct mgr_json *tree_of(const struct mgr_lint_statement *st)
{
    if (st->size < offsetof(struct mgr_lint_statement, parse_format) +
                       sizeof(st->parse_format) ||
        !st->tree || !st->parse_format ||
        strncmp(st->parse_format, "pg_query-", 9) != 0)
        return NULL;
    return jw_get(st->tree, "stmts");
}

static int pgl_statement(void *run_, struct mgr_lint *l,
                         const struct mgr_lint_statement *st,
                         struct mgr_error *err)
{
    struct pgl_run *run = run_;
    const struct mgr_json *stmts = tree_of(st);

    run->err = err;
    pgl_section_enter(run, st);
    run->stmt++;
    for (size_t i = 0; run->rc == MGR_OK && i < jw_len(stmts); i++) {
        struct pgl_stmt s;

        memset(&s, 0, sizeof(s));
        s.run = run;
        s.l = l;
        s.st = st;
        one_statement(&s, jw_get(jw_at(stmts, i), "stmt"));
    }
    return run->rc;
}

/* ---- the run ------------------------------------------------------------- */

static int pgl_begin(void *state, struct mgr_lint *l, void **run_out,
                     struct mgr_error *err)
{
    struct plugin_state *ps = state;

    (void)l;
    if (!MGR_API_HAS(ps->api, lint_report))
        return ps->api->error_set(err, MGR_EPLUGIN,
                                  "the host cannot take lint findings");
    *run_out = pgl_run_new(ps->api);
    return MGR_OK;
}

static int pgl_end(void *run_, struct mgr_lint *l, struct mgr_error *err)
{
    struct pgl_run *run = run_;
    int rc;

    run->err = err;
    if (run->rc == MGR_OK)
        pgl_graph_end(run, l);
    rc = run->rc;
    pgl_run_free(run);
    return rc;
}

/* ---- queries for the host ------------------------------------------------ */

/* One row for $1 (a table as a finding names it): rows, bytes. */
#define TABLE_SIZE_SQL                                                    \
    "SELECT c.reltuples::bigint AS rows, "                                \
    "pg_total_relation_size(c.oid) AS bytes "                             \
    "FROM pg_class c WHERE c.oid = to_regclass($1)"

/* A relation's name, always schema-qualified ("public.t"), quoted as
 * needed: the same in every query, so that the host can match them. */
#define QUALIFIED(ns, rel)                                                \
    "quote_ident(" ns ".nspname) || '.' || quote_ident(" rel ".relname)"

/* Relations outside the system schemas (a toast table goes with the
 * schema of its owner): name, storage id. */
#define TRACE_RELATIONS_SQL                                               \
    "SELECT " QUALIFIED("cn", "c") " AS relation, "                       \
    "c.relfilenode::text AS storage "                                     \
    "FROM pg_class c "                                                    \
    "JOIN pg_namespace cn ON cn.oid = c.relnamespace "                    \
    "LEFT JOIN pg_class o ON c.relkind = 't' AND o.reltoastrelid = c.oid " \
    "JOIN pg_namespace n ON n.oid = coalesce(o.relnamespace, "           \
    "c.relnamespace) "                                                    \
    "WHERE c.relkind IN ('r', 'p', 'i', 'I', 'm', 't') "                 \
    "AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'"

/* This session's id, for the locks query. */
#define TRACE_SESSION_SQL "SELECT pg_backend_pid()::text"

/* The relation locks session $1 holds: relation, mode, what it blocks
 * for others. */
#define TRACE_LOCKS_SQL                                                   \
    "SELECT " QUALIFIED("n", "c") " AS relation, "                        \
    "CASE l.mode "                                                        \
    "WHEN 'AccessShareLock' THEN 'ACCESS SHARE' "                        \
    "WHEN 'RowShareLock' THEN 'ROW SHARE' "                              \
    "WHEN 'RowExclusiveLock' THEN 'ROW EXCLUSIVE' "                      \
    "WHEN 'ShareUpdateExclusiveLock' THEN 'SHARE UPDATE EXCLUSIVE' "     \
    "WHEN 'ShareLock' THEN 'SHARE' "                                     \
    "WHEN 'ShareRowExclusiveLock' THEN 'SHARE ROW EXCLUSIVE' "           \
    "WHEN 'ExclusiveLock' THEN 'EXCLUSIVE' "                             \
    "WHEN 'AccessExclusiveLock' THEN 'ACCESS EXCLUSIVE' "                \
    "ELSE upper(l.mode) END AS mode, "                                    \
    "CASE WHEN l.mode = 'AccessExclusiveLock' THEN 'reads and writes' "  \
    "WHEN l.mode IN ('ExclusiveLock', 'ShareRowExclusiveLock', "         \
    "'ShareLock') THEN 'writes' ELSE '' END AS blocks "                   \
    "FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "             \
    "JOIN pg_namespace n ON n.oid = c.relnamespace "                     \
    "WHERE l.pid = $1::integer AND l.locktype = 'relation' "             \
    "AND l.granted "                                                      \
    "AND l.database = (SELECT oid FROM pg_database "                     \
    "WHERE datname = current_database()) "                                \
    "AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'"

/* Constraints of tables outside the system schemas: name, table,
 * validated. */
#define TRACE_CONSTRAINTS_SQL                                             \
    "SELECT con.conname::text AS name, "                                 \
    QUALIFIED("n", "r") " AS relation, "                                  \
    "CASE WHEN con.convalidated THEN 't' ELSE 'f' END AS validated "     \
    "FROM pg_constraint con "                                             \
    "JOIN pg_class r ON r.oid = con.conrelid "                            \
    "JOIN pg_namespace n ON n.oid = r.relnamespace "                      \
    "WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'"

/* A snapshot that CREATE INDEX CONCURRENTLY waits for, with its locks
 * taken, while a second session reads them (the host runs a query in
 * it, which takes the snapshot, and rolls it back). */
#define TRACE_HOLD_SQL "START TRANSACTION ISOLATION LEVEL REPEATABLE READ"

/* ---- the plugin ---------------------------------------------------------- */

static const char *const dialects[] = {"postgresql", NULL};

static const struct mgr_linter_ops ops = {
    .size = sizeof(struct mgr_linter_ops),
    .dialects = dialects,
    .rules = rules,
    .begin = pgl_begin,
    .statement = pgl_statement,
    .end = pgl_end,
    .table_size_sql = TABLE_SIZE_SQL,
    .trace_relations_sql = TRACE_RELATIONS_SQL,
    .trace_session_sql = TRACE_SESSION_SQL,
    .trace_locks_sql = TRACE_LOCKS_SQL,
    .trace_constraints_sql = TRACE_CONSTRAINTS_SQL,
    .trace_hold_sql = TRACE_HOLD_SQL,
};

MGR_PLUGIN_DEFINE(MGR_PLUGIN_LINTER, "postgresql", "0.1.0",
                  "PostgreSQL lint rules on libpg_query parse trees",
                  plugin_state_init, plugin_state_fini, &ops)
