/*
 * check_linter_sqlite.c: the SQLite linter, driven through its descriptor
 * with a mock host API. Each test lints a small script written in a
 * compact form (below) and compares the findings, one line each as
 * mock_lint_report records them: "t.sql:LINE RULE SEVERITY [table=T]".
 *
 * Script form: "@up", "@down", "@up nt", "@down nt" open a section
 * (nt: transaction=false), "@rev NAME" starts a revision (its sections
 * follow); any other line belongs to a statement, which ends with a line
 * ending in ';'. Line numbers count the script's lines from 1.
 */
#include "autoconfig.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <migrator/plugin.h>

#include "mock_host.h"

const struct mgr_plugin *mgr_plugin_entry(void);

/* ---- fixtures ----------------------------------------------------------- */

static struct mgr_host_api api;
static const struct mgr_linter_ops *ops;
static void *state;
static struct mgr_error err;
static long live_after_init;

/* The last finding's message and hint, and what every finding obeyed. */
static char last_message[1024];
static char last_hint[4096];
static int report_fail; /* 1: lint_report fails (MGR_EPLUGIN) */

static int rule_declared(const char *id)
{
    for (size_t i = 0; ops->rules[i]; i++)
        if (strcmp(ops->rules[i]->id, id) == 0)
            return 1;
    return 0;
}

/* lint_report: check the finding's form, then record it (mock_host). */
static int record_report(struct mgr_lint *l,
                         const struct mgr_lint_statement *st,
                         const struct mgr_finding *f, struct mgr_error *e)
{
    size_t n;

    ck_assert_uint_eq(f->size, sizeof(struct mgr_finding));
    ck_assert_msg(rule_declared(f->rule), "undeclared rule %s", f->rule);
    ck_assert_ptr_nonnull(f->message);
    n = strlen(f->message);
    ck_assert_msg(n > 0 && !strchr(f->message, '\n') &&
                      f->message[n - 1] != '.',
                  "message not one line without a final period: '%s'",
                  f->message);
    ck_assert_ptr_null(f->lock_mode);
    ck_assert_int_eq(f->line, 0);
    ck_assert_ptr_nonnull(st);
    ck_assert_ptr_nonnull(st->text); /* still there: kept for the run */
    snprintf(last_message, sizeof(last_message), "%s", f->message);
    snprintf(last_hint, sizeof(last_hint), "%s", f->hint ? f->hint : "");
    if (report_fail)
        return mock_error_set(e, MGR_EPLUGIN, "report refused");
    return mock_lint_report(l, st, f, e);
}

static void setup(void)
{
    const struct mgr_plugin *p = mgr_plugin_entry();

    ck_assert_uint_eq(p->abi_version, MGR_ABI_VERSION);
    ck_assert_int_eq(p->kind, MGR_PLUGIN_LINTER);
    ck_assert_str_eq(p->name, "sqlite");
    ops = p->ops;
    ck_assert_ptr_nonnull(ops);
    ck_assert_uint_eq(ops->size, sizeof(struct mgr_linter_ops));
    mock_host_api_init(&api);
    api.lint_report = record_report;
    mock_host_reset();
    ck_assert_int_eq(p->init(&api, NULL, &state, &err), MGR_OK);
    live_after_init = mock_live_allocations;
    memset(&err, 0, sizeof(err));
    last_message[0] = last_hint[0] = '\0';
    report_fail = 0;
}

static void teardown(void)
{
    mgr_plugin_entry()->fini(state);
    ck_assert_int_eq(mock_live_allocations, 0);
    mock_host_reset();
}

/* ---- running a script --------------------------------------------------- */

#define MAX_STMTS 256

static struct mgr_lint_statement stmts[MAX_STMTS];
static char *texts[MAX_STMTS];
static char revisions[MAX_STMTS][32];
static size_t nstmts;

static void add_stmt(const char *rev, enum mgr_direction dir, unsigned flags,
                     size_t index, int line, const char *text, size_t len)
{
    struct mgr_lint_statement *st;

    ck_assert_uint_lt(nstmts, MAX_STMTS);
    st = &stmts[nstmts];
    memset(st, 0, sizeof(*st));
    texts[nstmts] = malloc(len + 1);
    ck_assert_ptr_nonnull(texts[nstmts]);
    memcpy(texts[nstmts], text, len);
    texts[nstmts][len] = '\0';
    snprintf(revisions[nstmts], sizeof(revisions[nstmts]), "%s", rev);
    st->size = sizeof(*st);
    st->revision = revisions[nstmts];
    st->path = "t.sql";
    st->dir = dir;
    st->flags = flags;
    st->index = index;
    st->line = line;
    st->text = texts[nstmts];
    st->len = len;
    st->parse_format = "";
    st->dialect = "sqlite";
    nstmts++;
}

/* Split script (the form above) into stmts. */
static void parse_script(const char *script)
{
    char rev[32] = "r1";
    enum mgr_direction dir = MGR_UPGRADE;
    unsigned flags = 0;
    size_t index = 0, len;
    int line = 0, first = 0;
    const char *p = script, *stmt = NULL, *eol;

    nstmts = 0;
    for (; *p; p = *eol ? eol + 1 : eol) {
        eol = strchr(p, '\n');
        if (!eol)
            eol = p + strlen(p);
        len = (size_t)(eol - p);
        line++;
        if (!stmt && *p == '@') {
            if (strncmp(p, "@rev ", 5) == 0) {
                snprintf(rev, sizeof(rev), "%.*s", (int)(len - 5), p + 5);
            } else {
                dir = strncmp(p, "@up", 3) == 0 ? MGR_UPGRADE : MGR_DOWNGRADE;
                flags = len > 3 && strncmp(eol - 3, " nt", 3) == 0
                            ? MGR_LINT_NO_TRANSACTION
                            : 0;
                index = 0;
            }
            continue;
        }
        if (!stmt) {
            if (len == 0)
                continue;
            stmt = p;
            first = line;
        }
        if (len && p[len - 1] == ';') {
            add_stmt(rev, dir, flags, index++, first, stmt,
                     (size_t)(eol - 1 - stmt));
            stmt = NULL;
        }
    }
    ck_assert_ptr_null(stmt);
}

static void free_stmts(void)
{
    for (size_t i = 0; i < nstmts; i++)
        free(texts[i]);
    nstmts = 0;
}

/* Lint script: begin, every statement, end; the findings. Each status
 * must be MGR_OK. */
static const char *lint(const char *script)
{
    void *run = NULL;

    parse_script(script);
    mock_buf_reset(&mock_lint_text);
    ck_assert_int_eq(ops->begin(state, NULL, &run, &err), MGR_OK);
    for (size_t i = 0; i < nstmts; i++)
        ck_assert_int_eq(ops->statement(run, NULL, &stmts[i], &err), MGR_OK);
    ck_assert_int_eq(ops->end(run, NULL, &err), MGR_OK);
    free_stmts();
    ck_assert_msg(mock_live_allocations == live_after_init,
                  "%ld allocations not freed",
                  mock_live_allocations - live_after_init);
    return mock_lint_text.buf;
}

#define UA " sqlite-unsupported-alter error"
#define FK " foreign-keys-pragma-in-transaction error"
#define RB " rebuild-without-foreign-key-check warning"
#define IC " sqlite-invalid-create-table error"
#define US " sqlite-unsupported-syntax error"

/* Lint a one-statement upgrade: its findings. */
static const char *lint1(const char *stmt)
{
    static char script[4096];

    snprintf(script, sizeof(script), "@up\n%s\n", stmt);
    return lint(script);
}

/* ---- the descriptor ----------------------------------------------------- */

START_TEST(test_descriptor)
{
    size_t n = 0;

    ck_assert_ptr_nonnull(ops->dialects);
    ck_assert_str_eq(ops->dialects[0], "sqlite");
    ck_assert_ptr_null(ops->dialects[1]);
    ck_assert_ptr_null(ops->table_size_sql);
    ck_assert_ptr_null(ops->trace_relations_sql);
    ck_assert_ptr_null(ops->trace_locks_sql);
    ck_assert_ptr_null(ops->trace_constraints_sql);
    ck_assert_ptr_null(ops->trace_session_sql);
    ck_assert_ptr_null(ops->trace_hold_sql);
    for (; ops->rules[n]; n++) {
        const struct mgr_lint_rule *r = ops->rules[n];

        ck_assert_msg(strspn(r->id, "abcdefghijklmnopqrstuvwxyz-") ==
                              strlen(r->id) &&
                          r->id[0] != '-',
                      "rule id '%s' is not kebab-case", r->id);
        ck_assert_int_ge(r->severity, MGR_SEVERITY_NOTICE);
        ck_assert_int_le(r->severity, MGR_SEVERITY_ERROR);
        ck_assert_ptr_nonnull(r->summary);
        for (size_t k = 0; k < n; k++)
            ck_assert_str_ne(ops->rules[k]->id, r->id);
    }
    ck_assert_uint_eq(n, 5);
}
END_TEST

/* ---- sqlite-unsupported-alter ------------------------------------------- */

START_TEST(test_alter_forms_refused)
{
    ck_assert_str_eq(lint1("ALTER TABLE units ALTER COLUMN rent TYPE numeric;"),
                     "t.sql:2" UA " table=units\n");
    ck_assert_msg(strstr(last_message, "ALTER COLUMN"), "%s", last_message);
    ck_assert_msg(strstr(last_hint, "INSERT INTO _migrator_new_units") &&
                      strstr(last_hint, "ALTER TABLE _migrator_new_units "
                                        "RENAME TO units") &&
                      strstr(last_hint, "PRAGMA foreign_key_check(units)"),
                  "%s", last_hint);
    ck_assert_str_eq(
        lint1("ALTER TABLE units ADD CONSTRAINT ck CHECK (rent > 0);"),
        "t.sql:2" UA " table=units\n");
    ck_assert_msg(strstr(last_message, "ADD CONSTRAINT"), "%s", last_message);
    ck_assert_str_eq(lint1("ALTER TABLE main.units DROP CONSTRAINT ck;"),
                     "t.sql:2" UA " table=main.units\n");
    ck_assert_msg(strstr(last_message, "DROP CONSTRAINT"), "%s", last_message);
    ck_assert_str_eq(lint1("ALTER TABLE units ADD PRIMARY KEY (id);"),
                     "t.sql:2" UA " table=units\n");
    ck_assert_str_eq(lint1("ALTER TABLE units ADD UNIQUE (code);"),
                     "t.sql:2" UA " table=units\n");
    ck_assert_str_eq(lint1("ALTER TABLE units DROP PRIMARY KEY;"),
                     "t.sql:2" UA " table=units\n");
    ck_assert_str_eq(lint1("ALTER TABLE units RENAME CONSTRAINT a TO b;"),
                     "t.sql:2" UA " table=units\n");
    ck_assert_str_eq(lint1("ALTER TABLE units OWNER TO admin;"),
                     "t.sql:2" UA " table=units\n");
    ck_assert_msg(strstr(last_message, "OWNER"), "%s", last_message);
    ck_assert_str_eq(lint1("ALTER TABLE IF EXISTS units ADD COLUMN a int;"),
                     "t.sql:2" UA " table=units\n");
    ck_assert_str_eq(lint1("ALTER TABLE ONLY units ADD COLUMN a int;"),
                     "t.sql:2" UA " table=units\n");
    ck_assert_str_eq(
        lint1("ALTER TABLE units ADD COLUMN IF NOT EXISTS a int;"),
        "t.sql:2" UA " table=units\n");
    ck_assert_str_eq(lint1("ALTER TABLE units DROP COLUMN IF EXISTS a;"),
                     "t.sql:2" UA " table=units\n");
    ck_assert_str_eq(
        lint1("ALTER TABLE units ADD COLUMN a int, ADD COLUMN b int;"),
        "t.sql:2" UA " table=units\n");
    ck_assert_msg(strstr(last_message, "several"), "%s", last_message);
}
END_TEST

START_TEST(test_alter_forms_accepted)
{
    ck_assert_str_eq(lint1("ALTER TABLE units RENAME TO flats;"), "");
    ck_assert_str_eq(lint1("ALTER TABLE units RENAME COLUMN a TO b;"), "");
    ck_assert_str_eq(lint1("ALTER TABLE units RENAME a TO b;"), "");
    ck_assert_str_eq(lint1("ALTER TABLE units ADD COLUMN note text;"), "");
    ck_assert_str_eq(lint1("ALTER TABLE units ADD note text COLLATE nocase;"),
                     "");
    ck_assert_str_eq(lint1("ALTER TABLE units ADD \"unique\" int;"), "");
    ck_assert_str_eq(lint1("ALTER TABLE units DROP COLUMN note;"), "");
    ck_assert_str_eq(lint1("ALTER TABLE units DROP note;"), "");
    ck_assert_str_eq(lint1("ALTER TABLE only RENAME TO flats;"), "");
    ck_assert_str_eq(
        lint1("ALTER TABLE units ADD COLUMN p int REFERENCES parents (id) "
              "ON DELETE CASCADE;"),
        "");
    ck_assert_str_eq(
        lint1("ALTER TABLE units ADD COLUMN c int CHECK (c > 0 AND c < 9);"),
        "");
}
END_TEST

START_TEST(test_add_column_pk_unique)
{
    ck_assert_str_eq(
        lint1("ALTER TABLE units ADD COLUMN code int PRIMARY KEY;"),
        "t.sql:2" UA " table=units\n");
    ck_assert_msg(strstr(last_message, "PRIMARY KEY"), "%s", last_message);
    ck_assert_str_eq(
        lint1("ALTER TABLE units ADD COLUMN code text CONSTRAINT u UNIQUE;"),
        "t.sql:2" UA " table=units\n");
    ck_assert_msg(strstr(last_message, "UNIQUE"), "%s", last_message);
    ck_assert_msg(strstr(last_hint, "CREATE UNIQUE INDEX ux_units_code ON "
                                    "units (code)"),
                  "%s", last_hint);
    /* even on a new empty table: refused before any row is looked at */
    ck_assert_str_eq(lint("@up\nCREATE TABLE t (a int);\n"
                          "ALTER TABLE t ADD COLUMN b int UNIQUE;\n"),
                     "t.sql:3" UA "\n");
}
END_TEST

START_TEST(test_add_column_not_null)
{
    ck_assert_str_eq(
        lint1("ALTER TABLE units ADD COLUMN rent int NOT NULL;"),
        "t.sql:2" UA " table=units\n");
    ck_assert_msg(strstr(last_message, "NOT NULL"), "%s", last_message);
    ck_assert_msg(strstr(last_hint, "DEFAULT"), "%s", last_hint);
    ck_assert_str_eq(
        lint1("ALTER TABLE units ADD COLUMN rent int NOT NULL DEFAULT NULL;"),
        "t.sql:2" UA " table=units\n");
    ck_assert_str_eq(
        lint1("ALTER TABLE units ADD COLUMN rent int DEFAULT ((null)) "
              "NOT NULL;"),
        "t.sql:2" UA " table=units\n");
    ck_assert_str_eq(
        lint1("ALTER TABLE units ADD COLUMN rent int NOT NULL ON CONFLICT "
              "REPLACE;"),
        "t.sql:2" UA " table=units\n");
    ck_assert_str_eq(
        lint1("ALTER TABLE units ADD COLUMN rent int NOT NULL DEFAULT 0;"), "");
    ck_assert_str_eq(
        lint1("ALTER TABLE units ADD COLUMN rent int DEFAULT -1 NOT NULL;"),
        "");
    ck_assert_str_eq(
        lint1("ALTER TABLE units ADD COLUMN k text NOT NULL DEFAULT 'a';"), "");
    ck_assert_str_eq(
        lint1("ALTER TABLE units ADD COLUMN k int NOT NULL DEFAULT (0);"), "");
    ck_assert_str_eq(
        lint1("ALTER TABLE units ADD COLUMN k int NOT NULL DEFAULT TRUE;"), "");
    ck_assert_str_eq(lint1("ALTER TABLE units ADD COLUMN rent int NULL;"), "");
}
END_TEST

START_TEST(test_add_column_default)
{
    ck_assert_str_eq(
        lint1("ALTER TABLE units ADD COLUMN at text DEFAULT "
              "CURRENT_TIMESTAMP;"),
        "t.sql:2" UA " table=units\n");
    ck_assert_msg(strstr(last_message, "non-constant DEFAULT"), "%s",
                  last_message);
    ck_assert_str_eq(
        lint1("ALTER TABLE units ADD COLUMN at text DEFAULT current_date;"),
        "t.sql:2" UA " table=units\n");
    ck_assert_str_eq(
        lint1("ALTER TABLE units ADD COLUMN n int DEFAULT (1 + 1);"),
        "t.sql:2" UA " table=units\n");
    ck_assert_str_eq(
        lint1("ALTER TABLE units ADD COLUMN n int DEFAULT (random());"),
        "t.sql:2" UA " table=units\n");
    ck_assert_str_eq(
        lint1("ALTER TABLE units ADD COLUMN n text DEFAULT ('a' || 'b');"),
        "t.sql:2" UA " table=units\n");
    ck_assert_str_eq(
        lint1("ALTER TABLE units ADD COLUMN n int DEFAULT (-(1));"), "");
    ck_assert_str_eq(
        lint1("ALTER TABLE units ADD COLUMN n text DEFAULT ('a');"), "");
    ck_assert_str_eq(
        lint1("ALTER TABLE units ADD COLUMN n int DEFAULT (CAST(1 AS int));"),
        "");
    ck_assert_str_eq(
        lint1("ALTER TABLE units ADD COLUMN n text DEFAULT x'00';"), "");
    ck_assert_str_eq(lint1("ALTER TABLE units ADD COLUMN n text DEFAULT abc;"),
                     "");
}
END_TEST

START_TEST(test_add_column_stored)
{
    ck_assert_str_eq(
        lint1("ALTER TABLE units ADD COLUMN twice int GENERATED ALWAYS AS "
              "(rent * 2) STORED;"),
        "t.sql:2" UA " table=units\n");
    ck_assert_msg(strstr(last_message, "STORED"), "%s", last_message);
    ck_assert_msg(strstr(last_hint, "VIRTUAL"), "%s", last_hint);
    ck_assert_str_eq(
        lint1("ALTER TABLE units ADD COLUMN twice int AS (rent * 2) stored;"),
        "t.sql:2" UA " table=units\n");
    ck_assert_str_eq(
        lint1("ALTER TABLE units ADD COLUMN twice int AS (rent * 2) "
              "VIRTUAL;"),
        "");
    ck_assert_str_eq(
        lint1("ALTER TABLE units ADD COLUMN twice int AS (rent * 2);"), "");
}
END_TEST

START_TEST(test_add_column_empty_table)
{
    /* new in this section, nothing written: SQLite accepts all three */
    ck_assert_str_eq(lint("@up\n"
                          "CREATE TABLE t (id integer PRIMARY KEY);\n"
                          "ALTER TABLE t ADD COLUMN a int NOT NULL;\n"
                          "ALTER TABLE t ADD COLUMN b text DEFAULT "
                          "CURRENT_TIME;\n"
                          "ALTER TABLE t ADD COLUMN c int AS (id) STORED;\n"),
                     "");
    /* once a row may be there, not */
    ck_assert_str_eq(lint("@up\n"
                          "CREATE TABLE t (id integer PRIMARY KEY);\n"
                          "INSERT INTO t (id) VALUES (1);\n"
                          "ALTER TABLE t ADD COLUMN a int NOT NULL;\n"),
                     "t.sql:4" UA "\n");
    ck_assert_str_eq(lint("@up\n"
                          "CREATE TABLE t (id integer PRIMARY KEY);\n"
                          "INSERT OR REPLACE INTO main.t VALUES (1);\n"
                          "ALTER TABLE t ADD COLUMN a int NOT NULL;\n"),
                     "t.sql:4" UA "\n");
    /* created by an earlier revision: rows may have come since */
    ck_assert_str_eq(lint("@rev r1\n@up\n"
                          "CREATE TABLE t (id integer PRIMARY KEY);\n"
                          "@down\nDROP TABLE t;\n"
                          "@rev r2\n@up\n"
                          "ALTER TABLE t ADD COLUMN a int NOT NULL;\n"
                          "@down\nALTER TABLE t DROP COLUMN a;\n"),
                     "t.sql:8" UA "\n");
    /* CREATE TABLE ... AS SELECT has rows */
    ck_assert_str_eq(lint("@up\n"
                          "CREATE TABLE t AS SELECT 1 AS id;\n"
                          "ALTER TABLE t ADD COLUMN a int NOT NULL;\n"),
                     "t.sql:3" UA "\n");
}
END_TEST

START_TEST(test_drop_column_used)
{
    const char *create =
        "@up\n"
        "CREATE TABLE t (\n"
        "    id integer PRIMARY KEY,\n"
        "    code text UNIQUE,\n"
        "    parent int,\n"
        "    lo int CHECK (lo >= 0),\n"
        "    hi int CHECK (hi > lo),\n"
        "    twice int GENERATED ALWAYS AS (hi * 2),\n"
        "    other int REFERENCES others (id),\n"
        "    a int, b int, c int, d int, e int, f int,\n"
        "    \"Mixed Name\" int,\n"
        "    FOREIGN KEY (parent) REFERENCES t (id),\n"
        "    UNIQUE (a, b),\n"
        "    CONSTRAINT ck_c CHECK (c <> 0)\n"
        ");\n"
        "CREATE INDEX ix_t_d ON t (d COLLATE nocase DESC);\n"
        "CREATE INDEX ix_t_f ON t (id) WHERE f IS NOT NULL;\n"
        "CREATE INDEX ix_t_mixed ON t (\"mixed name\");\n";
    static const struct {
        const char *col;
        const char *why;
    } used[] = {
        { "id", "PRIMARY KEY" },   { "code", "UNIQUE" },
        { "b", "UNIQUE" },         { "parent", "FOREIGN KEY" },
        { "lo", "CHECK" },         { "hi", "generated" },
        { "c", "CHECK" },          { "d", "index ix_t_d" },
        { "f", "index ix_t_f" },   { "[MIXED NAME]", "index ix_t_mixed" },
    };
    static const char *const free_cols[] = { "hi2", "twice", "other",
                                             "e", NULL };
    char script[2048];

    for (size_t i = 0; i < sizeof(used) / sizeof(used[0]); i++) {
        snprintf(script, sizeof(script), "%sALTER TABLE t DROP COLUMN %s;\n",
                 create, used[i].col);
        ck_assert_str_eq(lint(script), "t.sql:19" UA "\n");
        ck_assert_msg(strstr(last_message, used[i].why), "%s: %s",
                      used[i].col, last_message);
    }
    for (size_t i = 0; free_cols[i]; i++) {
        snprintf(script, sizeof(script), "%sALTER TABLE t DROP COLUMN %s;\n",
                 create, free_cols[i]);
        ck_assert_msg(strcmp(lint(script), "") == 0, "%s: %s", free_cols[i],
                      mock_lint_text.buf);
    }
    /* the index's hint names it */
    snprintf(script, sizeof(script), "%sALTER TABLE t DROP d;\n", create);
    lint(script);
    ck_assert_msg(strstr(last_hint, "DROP INDEX ix_t_d"), "%s", last_hint);
    ck_assert_msg(strstr(last_message, "DROP COLUMN d:"), "%s", last_message);
    /* hi is free once twice, which used it, is gone; lo once hi is */
    snprintf(script, sizeof(script),
             "%sALTER TABLE t DROP COLUMN twice;\n"
             "ALTER TABLE t DROP COLUMN hi;\n"
             "ALTER TABLE t DROP COLUMN lo;\n",
             create);
    ck_assert_str_eq(lint(script), "");
}
END_TEST

START_TEST(test_drop_column_model)
{
    /* the only column */
    ck_assert_str_eq(lint("@up\nCREATE TABLE t (a int);\n"
                          "ALTER TABLE t DROP COLUMN a;\n"),
                     "t.sql:3" UA "\n");
    ck_assert_msg(strstr(last_message, "only column"), "%s", last_message);
    /* an index made in the run on a table from before it */
    ck_assert_str_eq(lint("@up\nCREATE INDEX ix ON units (rent);\n"
                          "ALTER TABLE units DROP COLUMN rent;\n"),
                     "t.sql:3" UA " table=units\n");
    /* a collation's name is no column */
    ck_assert_str_eq(lint("@up\nCREATE INDEX ix ON units (name COLLATE "
                          "nocase);\n"
                          "ALTER TABLE units DROP COLUMN nocase;\n"),
                     "");
    /* ... not once the index is dropped */
    ck_assert_str_eq(lint("@up\nCREATE INDEX ix ON units (rent);\n"
                          "DROP INDEX ix;\n"
                          "ALTER TABLE units DROP COLUMN rent;\n"),
                     "");
    /* the model follows renames of tables and columns */
    ck_assert_str_eq(lint("@up\nCREATE TABLE t (a int, b int UNIQUE);\n"
                          "ALTER TABLE t RENAME TO u;\n"
                          "ALTER TABLE u RENAME COLUMN b TO c;\n"
                          "ALTER TABLE u DROP COLUMN c;\n"),
                     "t.sql:5" UA "\n");
    ck_assert_str_eq(lint("@up\nCREATE TABLE t (a int, b int);\n"
                          "CREATE INDEX ix ON t (b);\n"
                          "ALTER TABLE t RENAME b TO c;\n"
                          "ALTER TABLE t RENAME TO u;\n"
                          "ALTER TABLE u DROP COLUMN c;\n"),
                     "t.sql:6" UA "\n");
    /* a dropped table is forgotten, with its indexes */
    ck_assert_str_eq(lint("@up\nCREATE TABLE t (a int, b int UNIQUE);\n"
                          "CREATE INDEX ix ON t (a);\n"
                          "DROP TABLE t;\n"
                          "ALTER TABLE t DROP COLUMN b;\n"
                          "ALTER TABLE t DROP COLUMN a;\n"),
                     "");
    /* ADD COLUMN adds to the model: its CHECK uses another column */
    ck_assert_str_eq(lint("@up\nCREATE TABLE t (a int, b int);\n"
                          "ALTER TABLE t ADD COLUMN c int CHECK (c > a);\n"
                          "ALTER TABLE t DROP COLUMN a;\n"
                          "ALTER TABLE t DROP COLUMN c;\n"),
                     "t.sql:4" UA "\n");
    /* CREATE TABLE IF NOT EXISTS of a known table changes nothing */
    ck_assert_str_eq(lint("@up\nCREATE TABLE t (a int, b int UNIQUE);\n"
                          "CREATE TABLE IF NOT EXISTS t (a int, b int);\n"
                          "ALTER TABLE t DROP COLUMN b;\n"),
                     "t.sql:4" UA "\n");
}
END_TEST

START_TEST(test_downgrade_model)
{
    /* a downgrade works on a copy: the next upgrade still has the index */
    ck_assert_str_eq(lint("@rev r1\n@up\n"
                          "CREATE TABLE t (a int, b int);\n"
                          "CREATE INDEX ix ON t (b);\n"
                          "@down\n"
                          "DROP INDEX ix;\n"
                          "ALTER TABLE t DROP COLUMN b;\n"
                          "@rev r2\n@up\n"
                          "ALTER TABLE t DROP COLUMN b;\n"
                          "@down\nSELECT 1;\n"),
                     "t.sql:10" UA "\n");
    /* ... and sees what its upgrade made */
    ck_assert_str_eq(lint("@rev r1\n@up\n"
                          "CREATE TABLE t (a int, b int);\n"
                          "CREATE INDEX ix ON t (b);\n"
                          "@down\n"
                          "ALTER TABLE t DROP COLUMN b;\n"),
                     "t.sql:6" UA "\n");
}
END_TEST

/* ---- foreign-keys-pragma-in-transaction --------------------------------- */

START_TEST(test_fk_pragma)
{
    ck_assert_str_eq(lint1("PRAGMA foreign_keys = OFF;"), "t.sql:2" FK "\n");
    ck_assert_msg(strstr(last_hint, "transaction=false"), "%s", last_hint);
    ck_assert_str_eq(lint1("pragma main.FOREIGN_KEYS=on;"), "t.sql:2" FK "\n");
    ck_assert_str_eq(lint1("PRAGMA foreign_keys(0);"), "t.sql:2" FK "\n");
    ck_assert_str_eq(lint("@down\nPRAGMA foreign_keys = ON;\n"),
                     "t.sql:2" FK "\n");
    ck_assert_str_eq(lint("@up nt\nPRAGMA foreign_keys = OFF;\n"), "");
    ck_assert_str_eq(lint1("PRAGMA foreign_keys;"), "");
    ck_assert_str_eq(lint1("PRAGMA foreign_key_check;"), "");
    ck_assert_str_eq(lint1("PRAGMA journal_mode = WAL;"), "");
}
END_TEST

/* ---- rebuild-without-foreign-key-check ---------------------------------- */

static const char rebuild[] =
    "CREATE TABLE _migrator_new_units (id integer PRIMARY KEY, rent int);\n"
    "INSERT INTO _migrator_new_units (id, rent)\n"
    "    SELECT id, rent FROM units;\n"
    "DROP TABLE units;\n"
    "ALTER TABLE _migrator_new_units RENAME TO units;\n";

START_TEST(test_rebuild_unchecked)
{
    char script[2048];

    snprintf(script, sizeof(script), "@up\n%s", rebuild);
    ck_assert_str_eq(lint(script), "t.sql:6" RB " table=units\n");
    ck_assert_msg(strstr(last_hint, "PRAGMA foreign_key_check(units)"), "%s",
                  last_hint);
    /* a check before the rebuild, or in another section, does not count */
    snprintf(script, sizeof(script), "@up\nPRAGMA foreign_key_check;\n%s",
             rebuild);
    ck_assert_str_eq(lint(script), "t.sql:7" RB " table=units\n");
    snprintf(script, sizeof(script),
             "@up\n%s@down\nPRAGMA foreign_key_check;\n", rebuild);
    ck_assert_str_eq(lint(script), "t.sql:6" RB " table=units\n");
    /* a check of another table */
    snprintf(script, sizeof(script),
             "@up\n%sPRAGMA foreign_key_check(flats);\n", rebuild);
    ck_assert_str_eq(lint(script), "t.sql:6" RB " table=units\n");
    /* DROP and RENAME alone */
    ck_assert_str_eq(lint("@up\nDROP TABLE units;\n"
                          "ALTER TABLE tmp RENAME TO units;\n"),
                     "t.sql:3" RB " table=units\n");
    /* copy and DROP, no RENAME: at the DROP */
    ck_assert_str_eq(lint("@up\nCREATE TABLE units2 (id int);\n"
                          "INSERT INTO units2 SELECT id FROM units;\n"
                          "DROP TABLE units;\n"),
                     "t.sql:4" RB " table=units\n");
    /* a table made in the run: no table= */
    ck_assert_str_eq(lint("@up\nCREATE TABLE units (id int);\n"
                          "DROP TABLE units;\n"
                          "ALTER TABLE tmp RENAME TO units;\n"),
                     "t.sql:4" RB "\n");
    /* two revisions, each with its own */
    snprintf(script, sizeof(script),
             "@rev r1\n@up\n%s@rev r2\n@up\n%s", rebuild, rebuild);
    ck_assert_str_eq(lint(script), "t.sql:7" RB " table=units\n"
                                   "t.sql:14" RB "\n");
}
END_TEST

START_TEST(test_rebuild_checked)
{
    char script[2048];

    snprintf(script, sizeof(script),
             "@up\n%sPRAGMA foreign_key_check(units);\n", rebuild);
    ck_assert_str_eq(lint(script), "");
    snprintf(script, sizeof(script),
             "@up\n%sCREATE INDEX ix ON units (rent);\n"
             "PRAGMA main.foreign_key_check;\n",
             rebuild);
    ck_assert_str_eq(lint(script), "");
    snprintf(script, sizeof(script),
             "@up nt\n%sPRAGMA foreign_key_check(\"units\");\n", rebuild);
    ck_assert_str_eq(lint(script), "");
    /* no rebuild: a drop, a rename, a copy alone */
    ck_assert_str_eq(lint("@up\nDROP TABLE units;\n"), "");
    ck_assert_str_eq(lint("@up\nALTER TABLE tmp RENAME TO units;\n"), "");
    ck_assert_str_eq(lint("@up\nINSERT INTO a SELECT * FROM units;\n"), "");
    /* the DROP in one section, the RENAME in the next */
    ck_assert_str_eq(lint("@up\nDROP TABLE units;\n"
                          "@down\nALTER TABLE tmp RENAME TO units;\n"),
                     "");
    /* INSERT ... SELECT from a subquery's table, not the copy's source */
    ck_assert_str_eq(lint("@up\nINSERT INTO a (x) SELECT (SELECT max(id) "
                          "FROM units) FROM b;\n"
                          "DROP TABLE units;\n"),
                     "");
}
END_TEST

/* ---- sqlite-invalid-create-table ---------------------------------------- */

START_TEST(test_create_invalid)
{
    ck_assert_str_eq(
        lint1("CREATE TABLE t (id INT PRIMARY KEY AUTOINCREMENT);"),
        "t.sql:2" IC "\n");
    ck_assert_msg(strstr(last_message, "AUTOINCREMENT on column id"), "%s",
                  last_message);
    ck_assert_str_eq(
        lint1("CREATE TABLE t (id integer PRIMARY KEY DESC AUTOINCREMENT);"),
        "t.sql:2" IC "\n");
    ck_assert_str_eq(
        lint1("CREATE TABLE t (id integer NOT NULL AUTOINCREMENT);"),
        "t.sql:2" IC "\n");
    ck_assert_str_eq(lint1("CREATE TABLE t (id INTEGER AUTOINCREMENT);"),
                     "t.sql:2" IC "\n");
    ck_assert_str_eq(
        lint1("CREATE TABLE t (id BIGINT, PRIMARY KEY (id AUTOINCREMENT));"),
        "t.sql:2" IC "\n");
    ck_assert_str_eq(
        lint1("CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT) "
              "WITHOUT ROWID;"),
        "t.sql:2" IC "\n");
    ck_assert_msg(strstr(last_message, "WITHOUT ROWID"), "%s", last_message);
    ck_assert_str_eq(lint1("CREATE TABLE t (id int) WITHOUT ROWID;"),
                     "t.sql:2" IC "\n");
    ck_assert_str_eq(lint1("CREATE TABLE t (id varchar(10)) STRICT;"),
                     "t.sql:2" IC "\n");
    ck_assert_msg(strstr(last_message, "varchar(10)"), "%s", last_message);
    ck_assert_str_eq(lint1("CREATE TABLE t (id int, x) STRICT;"),
                     "t.sql:2" IC "\n");
    ck_assert_str_eq(
        lint1("CREATE TABLE t (a int PRIMARY KEY, b int PRIMARY KEY);"),
        "t.sql:2" IC "\n");
    ck_assert_str_eq(
        lint1("CREATE TABLE t (a int PRIMARY KEY, b int, PRIMARY KEY (b));"),
        "t.sql:2" IC "\n");
}
END_TEST

START_TEST(test_create_valid)
{
    ck_assert_str_eq(
        lint1("CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT);"), "");
    ck_assert_str_eq(
        lint1("CREATE TABLE t (id integer CONSTRAINT pk PRIMARY KEY ASC ON "
              "CONFLICT REPLACE AUTOINCREMENT, n text);"),
        "");
    ck_assert_str_eq(
        lint1("CREATE TABLE t (id \"INTEGER\" PRIMARY KEY AUTOINCREMENT);"),
        "");
    ck_assert_str_eq(
        lint1("CREATE TABLE t (id INTEGER, PRIMARY KEY (id DESC "
              "AUTOINCREMENT));"),
        "");
    ck_assert_str_eq(
        lint1("CREATE TABLE t (id int PRIMARY KEY) WITHOUT ROWID;"), "");
    ck_assert_str_eq(
        lint1("CREATE TABLE t (a int, b int, PRIMARY KEY (a, b)) WITHOUT "
              "ROWID, STRICT;"),
        "");
    ck_assert_str_eq(
        lint1("CREATE TABLE t (a INTEGER, b text, c REAL, d blob, e ANY, "
              "f INT) STRICT;"),
        "");
    ck_assert_str_eq(lint1("CREATE TABLE t (id SERIAL PRIMARY KEY);"), "");
    ck_assert_str_eq(lint1("CREATE TEMP TABLE t (a);"), "");
    ck_assert_str_eq(lint1("CREATE TABLE IF NOT EXISTS main.t (a int);"), "");
}
END_TEST

/* ---- sqlite-unsupported-syntax ------------------------------------------ */

START_TEST(test_unsupported_syntax)
{
    static const struct {
        const char *stmt, *form;
    } bad[] = {
        { "TRUNCATE units;", "TRUNCATE" },
        { "TRUNCATE TABLE units;", "TRUNCATE" },
        { "CREATE INDEX CONCURRENTLY ix ON units (rent);",
          "CREATE INDEX CONCURRENTLY" },
        { "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ix ON units (a);",
          "CREATE INDEX CONCURRENTLY" },
        { "DROP INDEX CONCURRENTLY ix;", "DROP INDEX CONCURRENTLY" },
        { "DROP TABLE units CASCADE;", "DROP TABLE ... CASCADE" },
        { "DROP VIEW IF EXISTS v RESTRICT;", "DROP VIEW ... RESTRICT" },
        { "DROP TABLE a, b;", "DROP TABLE of several names" },
        { "COMMENT ON TABLE units IS 'x';", "COMMENT ON" },
        { "CREATE SEQUENCE s;", "CREATE SEQUENCE" },
        { "create schema s;", "CREATE SCHEMA" },
        { "CREATE EXTENSION pgcrypto;", "CREATE EXTENSION" },
        { "CREATE TYPE mood AS ENUM ('a');", "CREATE TYPE" },
        { "CREATE MATERIALIZED VIEW v AS SELECT 1;", "CREATE MATERIALIZED" },
        { "CREATE OR REPLACE VIEW v AS SELECT 1;", "CREATE OR REPLACE" },
        { "DROP SEQUENCE s;", "DROP SEQUENCE" },
        { "ALTER INDEX ix RENAME TO iy;", "ALTER INDEX" },
        { "ALTER SEQUENCE s RESTART;", "ALTER SEQUENCE" },
        { "SET lock_timeout = '1s';", "SET" },
        { "LOCK TABLE units;", "LOCK TABLE" },
        { "GRANT SELECT ON units TO app;", "GRANT" },
        { "REVOKE ALL ON units FROM app;", "REVOKE" },
    };
    static const char *const good[] = {
        "CREATE INDEX concurrently ON units (rent);",
        "DROP INDEX concurrently;",
        "DROP TABLE cascade;",
        "DROP TABLE IF EXISTS main.units;",
        "CREATE VIEW v AS SELECT 1;",
        "CREATE TRIGGER tr AFTER INSERT ON units BEGIN SELECT 1; END;",
        "CREATE VIRTUAL TABLE f USING fts5(body);",
        "DELETE FROM units;",
        "UPDATE units SET rent = 1;",
        "SELECT 1;",
        "VACUUM;",
        "REINDEX units;",
        "ANALYZE;",
        NULL,
    };

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(strcmp(lint1(bad[i].stmt), "t.sql:2" US "\n") == 0,
                      "%s: '%s'", bad[i].stmt, mock_lint_text.buf);
        ck_assert_msg(strncmp(last_message, bad[i].form,
                              strlen(bad[i].form)) == 0,
                      "%s: %s", bad[i].stmt, last_message);
        ck_assert_msg(last_hint[0] != '\0', "%s: no hint", bad[i].stmt);
    }
    for (size_t i = 0; good[i]; i++)
        ck_assert_msg(strcmp(lint1(good[i]), "") == 0, "%s: '%s'", good[i],
                      mock_lint_text.buf);
}
END_TEST

/* ---- errors ------------------------------------------------------------- */

/* A lint_report that fails: the statement fails with its status, end
 * frees the run and reports nothing more. */
START_TEST(test_report_fails)
{
    void *run = NULL;

    parse_script("@up\nALTER TABLE t ALTER COLUMN a TYPE int;\n"
                 "DROP TABLE u;\nALTER TABLE v RENAME TO u;\n");
    report_fail = 1;
    ck_assert_int_eq(ops->begin(state, NULL, &run, &err), MGR_OK);
    ck_assert_int_eq(ops->statement(run, NULL, &stmts[0], &err),
                     MGR_EPLUGIN);
    ck_assert_str_eq(err.msg, "report refused");
    ck_assert_int_eq(ops->statement(run, NULL, &stmts[1], &err), MGR_OK);
    ck_assert_int_eq(ops->statement(run, NULL, &stmts[2], &err), MGR_OK);
    last_message[0] = '\0';
    ck_assert_int_eq(ops->end(run, NULL, &err), MGR_OK);
    ck_assert_str_eq(last_message, ""); /* nothing reported after a failure */
    free_stmts();
    ck_assert_int_eq(mock_live_allocations, live_after_init);
}
END_TEST

/* A failing report from end() is end's status; the run is still freed. */
START_TEST(test_report_fails_at_end)
{
    void *run = NULL;

    parse_script("@up\nDROP TABLE u;\nALTER TABLE v RENAME TO u;\n");
    ck_assert_int_eq(ops->begin(state, NULL, &run, &err), MGR_OK);
    ck_assert_int_eq(ops->statement(run, NULL, &stmts[0], &err), MGR_OK);
    ck_assert_int_eq(ops->statement(run, NULL, &stmts[1], &err), MGR_OK);
    report_fail = 1;
    ck_assert_int_eq(ops->end(run, NULL, &err), MGR_EPLUGIN);
    free_stmts();
    ck_assert_int_eq(mock_live_allocations, live_after_init);
}
END_TEST

/* begin then end, nothing between. */
START_TEST(test_empty_run)
{
    ck_assert_str_eq(lint(""), "");
}
END_TEST

/* ---- limits ------------------------------------------------------------- */

START_TEST(test_broken_text)
{
    static const char *const texts_[] = {
        "ALTER TABLE 'unterminated ADD COLUMN a int NOT NULL;",
        "ALTER TABLE t ADD COLUMN a int DEFAULT (1 + ;",
        "ALTER TABLE t ADD COLUMN a int DEFAULT ;",
        "ALTER TABLE t ADD COLUMN;",
        "ALTER TABLE t DROP COLUMN;",
        "ALTER TABLE t RENAME;",
        "ALTER TABLE;",
        "ALTER;",
        "CREATE TABLE t (a int, b int CHECK (a > ;",
        "CREATE TABLE t (;",
        "CREATE TABLE t (a int PRIMARY KEY (;",
        "CREATE TABLE;",
        "CREATE INDEX ix ON t (a /* unterminated ;",
        "CREATE INDEX ix ON;",
        "INSERT INTO t SELECT ( FROM;",
        "INSERT INTO;",
        "PRAGMA;",
        "PRAGMA foreign_key_check(;",
        "DROP TABLE;",
        "DROP;",
        "-- only a comment;",
        ";",
        NULL,
    };

    for (size_t i = 0; texts_[i]; i++)
        lint1(texts_[i]); /* must neither crash nor leak */
}
END_TEST

START_TEST(test_big_statements)
{
    static char script[200000];
    size_t n = 0;

    /* a table of 1,000 columns (more than the reader keeps), 100 CHECKs
     * (ditto), long names */
    n += (size_t)snprintf(script + n, sizeof(script) - n,
                          "@up\nCREATE TABLE t (id INTEGER PRIMARY KEY");
    for (int i = 0; i < 1000; i++)
        n += (size_t)snprintf(script + n, sizeof(script) - n,
                              ", c%d int CHECK (c%d > id)", i, i);
    n += (size_t)snprintf(script + n, sizeof(script) - n, ", ");
    for (int i = 0; i < 600; i++)
        script[n++] = 'x';
    n += (size_t)snprintf(script + n, sizeof(script) - n, " int);\n");
    n += (size_t)snprintf(script + n, sizeof(script) - n,
                          "ALTER TABLE t DROP COLUMN id;\n");
    n += (size_t)snprintf(script + n, sizeof(script) - n, "ALTER TABLE ");
    for (int i = 0; i < 2000; i++)
        script[n++] = 'y';
    snprintf(script + n, sizeof(script) - n,
             " ALTER COLUMN z TYPE int;\n");
    /* a name too long to give as f.table is left out */
    ck_assert_str_eq(lint(script), "t.sql:3" UA "\nt.sql:4" UA "\n");
}
END_TEST

START_TEST(test_many_tables)
{
    static char script[400000];
    size_t n = 0;

    n += (size_t)snprintf(script + n, sizeof(script) - n, "@up\n");
    for (int i = 0; i < 60; i++)
        n += (size_t)snprintf(script + n, sizeof(script) - n,
                              "CREATE TABLE t%d (a int, b int UNIQUE);\n"
                              "CREATE INDEX ix%d ON t%d (a);\n",
                              i, i, i);
    snprintf(script + n, sizeof(script) - n,
             "ALTER TABLE t59 DROP COLUMN a;\n");
    ck_assert_str_eq(lint(script), "t.sql:122" UA "\n");
}
END_TEST

static Suite *linter_sqlite_suite(void)
{
    Suite *s = suite_create("linter_sqlite");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_descriptor);
    tcase_add_test(tc, test_alter_forms_refused);
    tcase_add_test(tc, test_alter_forms_accepted);
    tcase_add_test(tc, test_add_column_pk_unique);
    tcase_add_test(tc, test_add_column_not_null);
    tcase_add_test(tc, test_add_column_default);
    tcase_add_test(tc, test_add_column_stored);
    tcase_add_test(tc, test_add_column_empty_table);
    tcase_add_test(tc, test_drop_column_used);
    tcase_add_test(tc, test_drop_column_model);
    tcase_add_test(tc, test_downgrade_model);
    tcase_add_test(tc, test_fk_pragma);
    tcase_add_test(tc, test_rebuild_unchecked);
    tcase_add_test(tc, test_rebuild_checked);
    tcase_add_test(tc, test_create_invalid);
    tcase_add_test(tc, test_create_valid);
    tcase_add_test(tc, test_unsupported_syntax);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_report_fails);
    tcase_add_test(tc, test_report_fails_at_end);
    tcase_add_test(tc, test_empty_run);
    suite_add_tcase(s, tc);

    tc = tcase_create("limits");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_broken_text);
    tcase_add_test(tc, test_big_statements);
    tcase_add_test(tc, test_many_tables);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(linter_sqlite_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
