/*
 * linter_sqlite.c: the SQLite lint rules ("linter_sqlite"): ALTER TABLE
 * and CREATE TABLE forms SQLite refuses, statements of other databases,
 * PRAGMA foreign_keys where SQLite ignores it, and table rebuilds without
 * a foreign key check. The entry point, the rules, the run and its
 * sections, and the statements of other databases
 * (sqlite-unsupported-syntax); the other rules are in lsq_*.c (lsq.h).
 *
 * Every rule is about what SQLite itself does, as checked against it:
 * a statement it refuses, or one it runs without the effect meant.
 */
#include "autoconfig.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lsq.h"
#include "plugin_state.h"

/* ---- the rules ---------------------------------------------------------- */

static const struct mgr_lint_rule rule_unsupported_alter = {
    LSQ_UNSUPPORTED_ALTER, MGR_SEVERITY_ERROR,
    "an ALTER TABLE form SQLite refuses (ALTER COLUMN, ADD CONSTRAINT, "
    "ADD COLUMN it cannot add, DROP COLUMN of a used column)",
};
static const struct mgr_lint_rule rule_fk_pragma = {
    LSQ_FK_PRAGMA, MGR_SEVERITY_ERROR,
    "PRAGMA foreign_keys in a transaction, where SQLite ignores it",
};
static const struct mgr_lint_rule rule_rebuild = {
    LSQ_REBUILD_FK_CHECK, MGR_SEVERITY_WARNING,
    "a table rebuild with no PRAGMA foreign_key_check after it in its "
    "section",
};
static const struct mgr_lint_rule rule_invalid_create = {
    LSQ_INVALID_CREATE, MGR_SEVERITY_ERROR,
    "a CREATE TABLE SQLite refuses (AUTOINCREMENT off an INTEGER PRIMARY "
    "KEY, WITHOUT ROWID without a PRIMARY KEY, a STRICT column type it "
    "lacks, two PRIMARY KEYs)",
};
static const struct mgr_lint_rule rule_unsupported_syntax = {
    LSQ_UNSUPPORTED_SYNTAX, MGR_SEVERITY_ERROR,
    "a statement of another database SQLite has no syntax for (TRUNCATE, "
    "CREATE INDEX CONCURRENTLY, COMMENT ON, DROP ... CASCADE, ...)",
};

static const struct mgr_lint_rule *const rules[] = {
    &rule_unsupported_alter, &rule_fk_pragma,          &rule_rebuild,
    &rule_invalid_create,    &rule_unsupported_syntax, NULL,
};

/* ---- findings ----------------------------------------------------------- */

int lsq_report(struct lsq_run *r, const struct mgr_lint_statement *st,
               const char *rule, const char *table, const char *hint,
               struct mgr_error *err, const char *fmt, ...)
{
    struct mgr_finding f;
    char message[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(message, sizeof(message), fmt, ap);
    va_end(ap);
    memset(&f, 0, sizeof(f));
    f.size = sizeof(f);
    f.rule = rule;
    f.severity = MGR_SEVERITY_ERROR;
    for (size_t i = 0; rules[i]; i++)
        if (strcmp(rules[i]->id, rule) == 0)
            f.severity = rules[i]->severity;
    f.message = message;
    f.hint = hint;
    f.table = table;
    return r->api->lint_report(r->l, st, &f, err);
}

const char *lsq_existing(const struct lsq_run *r, const struct lsq_stmt *s,
                         const struct lsq_qname *q, char *buf, size_t size)
{
    char name[256], schema[256] = "";
    const struct sq_token *t;

    if (q->name == (size_t)-1)
        return NULL;
    t = lsq_tok(s, q->name);
    if (t->len >= sizeof(name))
        return NULL;
    sq_token_unquote(t, name);
    if (lsq_table_find(&r->model, name))
        return NULL;
    if (q->schema != (size_t)-1) {
        t = lsq_tok(s, q->schema);
        if (t->len >= sizeof(schema))
            return NULL;
        sq_token_unquote(t, schema);
    }
    snprintf(buf, size, "%s%s%s", schema, *schema ? "." : "", name);
    return buf;
}

void lsq_rebuild_hint(char *buf, size_t size, const char *lead,
                      const char *t)
{
    snprintf(buf, size,
             "%s\n"
             "rebuild the table as `migrator revision --autogenerate` "
             "writes it:\n"
             "CREATE TABLE _migrator_new_%s (...the table as it should "
             "be...);\n"
             "INSERT INTO _migrator_new_%s (the columns both have)\n"
             "    SELECT the columns both have FROM %s;\n"
             "DROP TABLE %s;\n"
             "ALTER TABLE _migrator_new_%s RENAME TO %s;\n"
             "-- then its indexes, triggers and views again\n"
             "PRAGMA foreign_key_check(%s);",
             lead, t, t, t, t, t, t, t);
}

/* ---- sqlite-unsupported-syntax ------------------------------------------ */

/* Object kinds of other databases after CREATE, ALTER or DROP. */
static const struct {
    const char *word;
    const char *hint;
} other_objects[] = {
    { "SCHEMA", "SQLite has no schemas: ATTACH DATABASE gives a second "
                "schema name, or keep the tables in main" },
    { "SEQUENCE", "SQLite has no sequences: an INTEGER PRIMARY KEY column "
                  "is numbered by SQLite itself" },
    { "EXTENSION", "SQLite loads extensions in the application "
                   "(sqlite3_load_extension), not in a migration" },
    { "TYPE", "SQLite has no user types: use a column type and a CHECK "
              "constraint, e.g. CHECK (status IN ('a', 'b'))" },
    { "DOMAIN", "SQLite has no domains: use a column type and a CHECK "
                "constraint" },
    { "FUNCTION", "SQLite's functions are registered by the application "
                  "(sqlite3_create_function)" },
    { "PROCEDURE", "SQLite has no stored procedures" },
    { "MATERIALIZED", "SQLite has no materialized views: use a table "
                      "filled by INSERT ... SELECT, or a plain view" },
    { "DATABASE", "an SQLite database is a file: ATTACH DATABASE 'file' AS "
                  "name" },
    { "ROLE", "SQLite has no users or privileges: the file's permissions "
              "decide who may write" },
    { "USER", "SQLite has no users or privileges: the file's permissions "
              "decide who may write" },
    { "POLICY", "SQLite has no row security" },
    { "PUBLICATION", "SQLite has no replication" },
    { "EVENT", "SQLite has no event triggers" },
    { NULL, NULL },
};

static const char *other_object_hint(const struct lsq_stmt *s, size_t i)
{
    for (size_t k = 0; other_objects[k].word; k++)
        if (lsq_is(s, i, other_objects[k].word))
            return other_objects[k].hint;
    return NULL;
}

static int unsupported(struct lsq_run *r, const struct lsq_stmt *s,
                       const char *hint, struct mgr_error *err,
                       const char *what)
{
    return lsq_report(r, s->st, LSQ_UNSUPPORTED_SYNTAX, NULL, hint, err,
                      "%s is not SQLite syntax", what);
}

/* "CREATE SEQUENCE", as written: the first words of s, in capitals. */
static void words_of(const struct lsq_stmt *s, size_t from, size_t to,
                     char *buf, size_t size)
{
    size_t n = 0;

    buf[0] = '\0';
    for (size_t i = from; i < to && i < s->n; i++) {
        const struct sq_token *t = lsq_tok(s, i);

        if (n + t->len + 2 > size)
            break;
        if (n)
            buf[n++] = ' ';
        for (size_t k = 0; k < t->len; k++) {
            char ch = t->start[k];

            buf[n++] = ch >= 'a' && ch <= 'z' ? (char)(ch - 'a' + 'A') : ch;
        }
        buf[n] = '\0';
    }
}

/* CREATE ...: the forms of other databases; 1 when one was reported. */
static int create_other(struct lsq_run *r, const struct lsq_stmt *s,
                        struct mgr_error *err, int *rc)
{
    char what[64];
    const char *hint;
    size_t i = 1;

    if (lsq_is(s, 1, "OR") && lsq_is(s, 2, "REPLACE")) {
        *rc = unsupported(r, s,
                          "drop it first (DROP VIEW IF EXISTS v, DROP "
                          "TRIGGER IF EXISTS t), then create it",
                          err, "CREATE OR REPLACE");
        return 1;
    }
    if ((hint = other_object_hint(s, 1)) != NULL) {
        words_of(s, 0, 2, what, sizeof(what));
        *rc = unsupported(r, s, hint, err, what);
        return 1;
    }
    if (lsq_is(s, i, "UNIQUE"))
        i++;
    /* CONCURRENTLY before the index's name (an index may be named so:
     * then ON follows it) */
    if (lsq_is(s, i, "INDEX") && lsq_is(s, i + 1, "CONCURRENTLY") &&
        !lsq_is(s, i + 2, "ON")) {
        *rc = unsupported(r, s,
                          "write CREATE INDEX: SQLite builds an index "
                          "holding the database's write lock, and has no "
                          "concurrent build",
                          err, "CREATE INDEX CONCURRENTLY");
        return 1;
    }
    return 0;
}

/* ALTER other than ALTER TABLE. */
static int alter_other(struct lsq_run *r, const struct lsq_stmt *s,
                       struct mgr_error *err)
{
    char what[64];
    const char *hint = other_object_hint(s, 1);

    words_of(s, 0, 2, what, sizeof(what));
    if (!hint && (lsq_is(s, 1, "INDEX") || lsq_is(s, 1, "VIEW") ||
                  lsq_is(s, 1, "TRIGGER")))
        hint = "SQLite cannot change an index, view or trigger: drop it "
               "and create it again";
    return unsupported(r, s,
                       hint ? hint : "SQLite's only ALTER is ALTER TABLE",
                       err, what);
}

/* DROP: other databases' objects and forms, then the rebuilds and the
 * model (lsq_drop). */
static int drop(struct lsq_run *r, const struct lsq_stmt *s,
                struct mgr_error *err)
{
    char what[64];
    const char *hint = other_object_hint(s, 1);
    struct lsq_qname q;
    size_t i = 2;

    if (hint) {
        words_of(s, 0, 2, what, sizeof(what));
        return unsupported(r, s, hint, err, what);
    }
    if (!lsq_is(s, 1, "TABLE") && !lsq_is(s, 1, "INDEX") &&
        !lsq_is(s, 1, "VIEW") && !lsq_is(s, 1, "TRIGGER"))
        return MGR_OK;
    if (lsq_is(s, 1, "INDEX") && lsq_is(s, 2, "CONCURRENTLY") &&
        lsq_is_name(s, 3))
        return unsupported(r, s,
                           "write DROP INDEX: SQLite has no concurrent "
                           "index changes",
                           err, "DROP INDEX CONCURRENTLY");
    if (lsq_is(s, i, "IF") && lsq_is(s, i + 1, "EXISTS"))
        i += 2;
    i = lsq_qname_read(s, i, &q);
    if (q.name != (size_t)-1 && i < s->n) {
        words_of(s, 0, 2, what, sizeof(what));
        if (lsq_is(s, i, "CASCADE") || lsq_is(s, i, "RESTRICT")) {
            size_t n = strlen(what);

            snprintf(what + n, sizeof(what) - n, " ... %s",
                     lsq_is(s, i, "CASCADE") ? "CASCADE" : "RESTRICT");
            return unsupported(r, s,
                               "drop what depends on it first (views, "
                               "triggers, the foreign keys of other "
                               "tables), then drop it without CASCADE",
                               err, what);
        }
        if (lsq_punct(s, i, ',')) {
            size_t n = strlen(what);

            snprintf(what + n, sizeof(what) - n, " of several names");
            return unsupported(r, s, "write one DROP per name", err, what);
        }
    }
    return lsq_drop(r, s, err);
}

/* ---- the run ------------------------------------------------------------ */

static int begin(void *state, struct mgr_lint *l, void **run_out,
                 struct mgr_error *err)
{
    const struct plugin_state *ps = state;
    struct lsq_run *r = ps->api->alloc(sizeof(*r));

    (void)err;
    memset(r, 0, sizeof(*r));
    r->api = ps->api;
    r->l = l;
    *run_out = r;
    return MGR_OK;
}

/* The model after a downgrade section: the one from before it. */
static void leave_downgrade(struct lsq_run *r)
{
    if (!r->in_downgrade)
        return;
    lsq_model_release(&r->model, r->api);
    r->model = r->saved;
    memset(&r->saved, 0, sizeof(r->saved));
    r->in_downgrade = 0;
}

/* Start a new section when st opens one. */
static void section_enter(struct lsq_run *r,
                          const struct mgr_lint_statement *st)
{
    const char *rev = st->revision ? st->revision : "";

    if (r->section && st->index != 0 && st->dir == r->dir &&
        strcmp(r->revision, rev) == 0)
        return;
    leave_downgrade(r);
    lsq_section_clear(r);
    r->section++;
    r->api->free(r->revision);
    r->revision = lsq_strdup(r->api, rev);
    r->dir = st->dir;
    if (st->dir == MGR_DOWNGRADE) {
        r->saved = r->model;
        lsq_model_copy(&r->model, &r->saved, r->api);
        r->in_downgrade = 1;
    }
}

static int dispatch(struct lsq_run *r, const struct lsq_stmt *s,
                    struct mgr_error *err)
{
    int rc = MGR_OK;
    size_t i = 1;

    if (lsq_is(s, 0, "CREATE")) {
        if (create_other(r, s, err, &rc))
            return rc;
        if (lsq_is(s, i, "TEMP") || lsq_is(s, i, "TEMPORARY"))
            i++;
        if (lsq_is(s, i, "TABLE"))
            return lsq_create_table(r, s, i + 1, err);
        if (lsq_is(s, i, "UNIQUE"))
            i++;
        if (lsq_is(s, i, "INDEX"))
            return lsq_create_index(r, s, i + 1, err);
        return MGR_OK;
    }
    if (lsq_is(s, 0, "ALTER"))
        return lsq_is(s, 1, "TABLE") ? lsq_alter_table(r, s, err)
                                     : alter_other(r, s, err);
    if (lsq_is(s, 0, "DROP"))
        return drop(r, s, err);
    if (lsq_is(s, 0, "INSERT") || lsq_is(s, 0, "REPLACE")) {
        lsq_insert(r, s);
        return MGR_OK;
    }
    if (lsq_is(s, 0, "PRAGMA"))
        return lsq_pragma(r, s, err);
    if (lsq_is(s, 0, "TRUNCATE"))
        return unsupported(r, s,
                           "DELETE FROM the table (without WHERE, SQLite "
                           "empties it without visiting each row)",
                           err, "TRUNCATE");
    if (lsq_is(s, 0, "COMMENT"))
        return unsupported(r, s,
                           "SQLite keeps no comments on objects: put an SQL "
                           "comment inside the CREATE statement (its text is "
                           "kept in sqlite_schema)",
                           err, "COMMENT ON");
    if (lsq_is(s, 0, "GRANT") || lsq_is(s, 0, "REVOKE"))
        return unsupported(r, s,
                           "SQLite has no users or privileges: the file's "
                           "permissions decide who may write",
                           err, lsq_is(s, 0, "GRANT") ? "GRANT" : "REVOKE");
    if (lsq_is(s, 0, "SET"))
        return unsupported(r, s,
                           "SQLite's settings are PRAGMAs, e.g. PRAGMA "
                           "busy_timeout = 5000",
                           err, "SET");
    if (lsq_is(s, 0, "LOCK"))
        return unsupported(r, s,
                           "SQLite locks the whole database when a "
                           "transaction first writes: leave it out",
                           err, "LOCK TABLE");
    return MGR_OK;
}

static int statement(void *run, struct mgr_lint *l,
                     const struct mgr_lint_statement *st,
                     struct mgr_error *err)
{
    struct lsq_run *r = run;
    struct lsq_stmt s;
    int rc;

    r->l = l;
    section_enter(r, st);
    lsq_stmt_init(&s, r->api, st);
    rc = dispatch(r, &s, err);
    lsq_stmt_release(&s, r->api);
    if (rc != MGR_OK)
        r->failed = 1;
    return rc;
}

static int end(void *run, struct mgr_lint *l, struct mgr_error *err)
{
    struct lsq_run *r = run;
    int rc = MGR_OK;

    if (!r)
        return MGR_OK;
    r->l = l;
    /* After a failed statement call err is set already: report nothing
     * more, free the run. */
    if (!r->failed)
        rc = lsq_rebuilds_report(r, err);
    leave_downgrade(r);
    lsq_section_clear(r);
    lsq_rebuilds_release(r);
    lsq_model_release(&r->model, r->api);
    r->api->free(r->revision);
    r->api->free(r);
    return rc;
}

static const char *const dialects[] = { "sqlite", NULL };

/* No table sizes and no trace queries: SQLite has neither to give. */
static const struct mgr_linter_ops ops = {
    .size = sizeof(struct mgr_linter_ops),
    .dialects = dialects,
    .rules = rules,
    .begin = begin,
    .statement = statement,
    .end = end,
};

MGR_PLUGIN_DEFINE(MGR_PLUGIN_LINTER, "sqlite", "0.1.0",
                  "SQLite lint rules: ALTER TABLE forms SQLite refuses, "
                  "PRAGMA foreign_keys, table rebuilds",
                  plugin_state_init, plugin_state_fini, &ops)
