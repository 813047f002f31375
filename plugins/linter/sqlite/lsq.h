/*
 * lsq.h: the SQLite linter (linter_sqlite), private declarations.
 *
 * SQLite gives no parse tree, so the rules read each statement as SQLite's
 * tokens (plugins/common/sqlite_tokens.h). What the run has seen of the
 * schema (the tables created, their columns, the indexes) is kept in a
 * model, so that a DROP COLUMN can be checked against it.
 *
 *   linter_sqlite.c  entry point, the rules, begin/statement/end, the
 *                    sections, sqlite-unsupported-syntax
 *   lsq_stmt.c       a statement as tokens; names
 *   lsq_model.c      the tables and indexes created in the run
 *   lsq_create.c     CREATE TABLE and CREATE INDEX: the model and
 *                    sqlite-invalid-create-table
 *   lsq_alter.c      ALTER TABLE: sqlite-unsupported-alter and the model
 *   lsq_rebuild.c    DROP, INSERT and PRAGMA: the table rebuilds of a
 *                    section (rebuild-without-foreign-key-check) and
 *                    foreign-keys-pragma-in-transaction
 *
 * The model follows the upgrade sections. A downgrade section runs on a
 * copy of it, dropped when the section ends: a downgrade undoes its
 * revision, and the next revision's upgrade comes after that revision's
 * upgrade.
 */
#ifndef MGR_LINTER_SQLITE_LSQ_H
#define MGR_LINTER_SQLITE_LSQ_H

#include <stddef.h>

#include <migrator/plugin.h>

#include "sqlite_tokens.h"

/* Rule ids. */
#define LSQ_UNSUPPORTED_ALTER "sqlite-unsupported-alter"
#define LSQ_FK_PRAGMA "foreign-keys-pragma-in-transaction"
#define LSQ_REBUILD_FK_CHECK "rebuild-without-foreign-key-check"
#define LSQ_INVALID_CREATE "sqlite-invalid-create-table"
#define LSQ_UNSUPPORTED_SYNTAX "sqlite-unsupported-syntax"

/* ---- lsq_stmt.c ------------------------------------------------------- */

/* A statement as tokens: tok[0..n), then one SQ_TOK_END. */
struct lsq_stmt {
    const struct mgr_lint_statement *st;
    struct sq_token *tok;
    size_t n;
};

/* Tokenize st->text into s (tokens through api->alloc). */
void lsq_stmt_init(struct lsq_stmt *s, const struct mgr_host_api *api,
                   const struct mgr_lint_statement *st);
void lsq_stmt_release(struct lsq_stmt *s, const struct mgr_host_api *api);

/* Token i, or the END token past the last one. */
const struct sq_token *lsq_tok(const struct lsq_stmt *s, size_t i);
/* Whether token i is the bare word word / the punctuation ch. */
int lsq_is(const struct lsq_stmt *s, size_t i, const char *word);
int lsq_punct(const struct lsq_stmt *s, size_t i, char ch);
/* Whether token i can be a name: a word, a quoted identifier or a
 * 'string' (SQLite takes one as a name where a name must be). */
int lsq_is_name(const struct lsq_stmt *s, size_t i);
/* Whether token i is a name that is no keyword of an expression (AND,
 * NULL, COLLATE, ...) and no function (not followed by '('): a column
 * an expression may use. */
int lsq_is_column_ref(const struct lsq_stmt *s, size_t i);
/* i at '(': the index of its ')' (n when it never closes); else i. */
size_t lsq_close(const struct lsq_stmt *s, size_t i);
/* Past the element that starts at i: to the next ',' or ')' outside
 * parentheses, or to end. */
size_t lsq_element_end(const struct lsq_stmt *s, size_t i, size_t end);

/* A [schema.]name read from tokens. */
struct lsq_qname {
    size_t schema; /* token index, or (size_t)-1 */
    size_t name;   /* token index, or (size_t)-1 when there is none */
};
/* Read a qualified name at i into q; returns the index past it (i when
 * there is no name). */
size_t lsq_qname_read(const struct lsq_stmt *s, size_t i,
                      struct lsq_qname *q);

/* Token t unquoted, from api->alloc. */
char *lsq_ident(const struct mgr_host_api *api, const struct sq_token *t);
/* A copy of s from api->alloc. */
char *lsq_strdup(const struct mgr_host_api *api, const char *s);

/* ---- lsq_model.c ------------------------------------------------------ */

/* Why a column cannot be dropped (struct lsq_column.flags): what only a
 * rebuild of the table undoes. */
#define LSQ_COL_PK 0x1u     /* in the PRIMARY KEY */
#define LSQ_COL_UNIQUE 0x2u /* UNIQUE, or in a table UNIQUE (...) */
#define LSQ_COL_FK 0x4u     /* in a table FOREIGN KEY (...) */

struct lsq_column {
    char *name;
    unsigned flags; /* LSQ_COL_* */
};

/* A table created in the run. */
struct lsq_table {
    char *name;            /* unquoted, without its schema */
    struct lsq_column *cols;
    size_t ncols, alloc;
    int cols_known;        /* 0: CREATE TABLE ... AS SELECT */
    unsigned long section; /* the section that created it */
    int rows;              /* rows may have been written since */
};

/* What uses columns of a table, made in the run (on any table). */
enum lsq_use_kind {
    LSQ_USE_INDEX = 1, /* an index: its key and WHERE */
    LSQ_USE_CHECK,     /* a CHECK constraint */
    LSQ_USE_GENERATED, /* a generated column's expression */
};

struct lsq_use {
    enum lsq_use_kind kind;
    char *name;   /* INDEX: the index; else the column whose it is, or
                     NULL for a table CHECK */
    char *table;
    char **cols;  /* the columns it names */
    size_t ncols;
};

struct lsq_model {
    struct lsq_table **tables;
    size_t ntables, tables_alloc;
    struct lsq_use **uses;
    size_t nuses, uses_alloc;
};

void lsq_model_release(struct lsq_model *m, const struct mgr_host_api *api);
/* dst (empty) becomes a deep copy of src. */
void lsq_model_copy(struct lsq_model *dst, const struct lsq_model *src,
                    const struct mgr_host_api *api);

/* The table named name, or NULL. */
struct lsq_table *lsq_table_find(const struct lsq_model *m,
                                 const char *name);
/* A new empty table name (replacing one of that name, and what used
 * it), owned by m. */
struct lsq_table *lsq_table_add(struct lsq_model *m,
                                const struct mgr_host_api *api,
                                const char *name);
/* Forget table name and what uses it. */
void lsq_table_drop(struct lsq_model *m, const struct mgr_host_api *api,
                    const char *name);
/* Table from is now to (the table and what uses it). */
void lsq_table_rename(struct lsq_model *m, const struct mgr_host_api *api,
                      const char *from, const char *to);

/* The column of t named name, or NULL. */
struct lsq_column *lsq_column_find(const struct lsq_table *t,
                                   const char *name);
struct lsq_column *lsq_column_add(struct lsq_table *t,
                                  const struct mgr_host_api *api,
                                  const char *name, unsigned flags);
/* Drop column name of t, with its own CHECKs and generated expression. */
void lsq_column_drop(struct lsq_model *m, struct lsq_table *t,
                     const struct mgr_host_api *api, const char *name);
/* Column from of table is now to (in the table and what uses it). */
void lsq_column_rename(struct lsq_model *m, const struct mgr_host_api *api,
                       const char *table, const char *from, const char *to);

/* A new use of table's columns, naming none yet (an index replaces the
 * index of its name). name may be NULL (a table CHECK). */
struct lsq_use *lsq_use_add(struct lsq_model *m,
                            const struct mgr_host_api *api,
                            enum lsq_use_kind kind, const char *name,
                            const char *table);
void lsq_use_add_column(struct lsq_use *u, const struct mgr_host_api *api,
                        const char *col);
void lsq_index_drop(struct lsq_model *m, const struct mgr_host_api *api,
                    const char *name);
/* What uses column col of table, other than the column's own CHECKs and
 * expression, or NULL. */
const struct lsq_use *lsq_use_find(const struct lsq_model *m,
                                   const char *table, const char *col);

/* ---- linter_sqlite.c -------------------------------------------------- */

/* A table rebuild of a section, until a PRAGMA foreign_key_check after it
 * in the same section. */
struct lsq_rebuild {
    char *table;
    char *existing;                      /* f.table: NULL when new */
    const struct mgr_lint_statement *st; /* the RENAME, or the DROP */
    unsigned long section;
    int checked;
};

/* A table copied into another in this section: INSERT INTO to ... SELECT
 * ... FROM from, or a table dropped (from, to NULL). */
struct lsq_move {
    char *from, *to;
    int was_new; /* a drop of a table created in the run */
};

/* One lint run (begin to end). */
struct lsq_run {
    const struct mgr_host_api *api;
    struct mgr_lint *l;
    struct lsq_model model;  /* the schema the statements see */
    struct lsq_model saved;  /* in a downgrade section: the model after
                                the upgrades, restored when it ends */
    int in_downgrade;
    unsigned long section;   /* counts sections, from 1 */
    char *revision;          /* the current section's */
    enum mgr_direction dir;
    struct lsq_move *moves;  /* this section's copies and drops */
    size_t nmoves, moves_alloc;
    struct lsq_rebuild *rebuilds; /* every rebuild of the run */
    size_t nrebuilds, rebuilds_alloc;
    int failed;              /* a statement call failed */
};

/*
 * Report a finding of rule about s's statement, f.table = table (NULL:
 * a table created in the run, or none). The message is printf-style;
 * hint may be NULL.
 */
int lsq_report(struct lsq_run *r, const struct mgr_lint_statement *st,
               const char *rule, const char *table, const char *hint,
               struct mgr_error *err, const char *fmt, ...)
    MGR_PRINTF(7, 8);

/* The table as f.table names it: NULL when the run created it, else the
 * name (with its schema) as the statement writes it, unquoted, in buf. */
const char *lsq_existing(const struct lsq_run *r, const struct lsq_stmt *s,
                         const struct lsq_qname *q, char *buf, size_t size);

/* The rebuild recipe (the hint of what SQLite's ALTER TABLE cannot do),
 * for table, after lead (one line), into buf. */
void lsq_rebuild_hint(char *buf, size_t size, const char *lead,
                      const char *table);

/* ---- lsq_create.c ----------------------------------------------------- */

/* CREATE [TEMP] TABLE and CREATE [UNIQUE] INDEX. */
int lsq_create_table(struct lsq_run *r, const struct lsq_stmt *s,
                     size_t i, struct mgr_error *err);
int lsq_create_index(struct lsq_run *r, const struct lsq_stmt *s,
                     size_t i, struct mgr_error *err);

/* The columns of table t (NULL: any name) that tokens [i, end) of s use
 * (names that are no keyword or function), each once, to fn. */
void lsq_columns_used(const struct lsq_stmt *s, size_t i, size_t end,
                      const struct lsq_table *t,
                      void (*fn)(void *ctx, const struct sq_token *col),
                      void *ctx);

/* ---- lsq_alter.c ------------------------------------------------------ */

int lsq_alter_table(struct lsq_run *r, const struct lsq_stmt *s,
                    struct mgr_error *err);

/* ---- lsq_rebuild.c ---------------------------------------------------- */

/* A section begins, or the run ends: forget the section's moves. */
void lsq_section_clear(struct lsq_run *r);
void lsq_rebuilds_release(struct lsq_run *r);

int lsq_drop(struct lsq_run *r, const struct lsq_stmt *s,
             struct mgr_error *err);
void lsq_insert(struct lsq_run *r, const struct lsq_stmt *s);
/* ALTER TABLE ... RENAME TO to, at st, for the rebuilds. */
void lsq_renamed(struct lsq_run *r, const struct mgr_lint_statement *st,
                 const char *to);
int lsq_pragma(struct lsq_run *r, const struct lsq_stmt *s,
               struct mgr_error *err);
/* end(): report the rebuilds no PRAGMA foreign_key_check followed. */
int lsq_rebuilds_report(struct lsq_run *r, struct mgr_error *err);

/* lsq_model.c: the array p of *alloc elements of size elem, with room
 * for n + 1 (it grows by doubling). */
void *lsq_room(const struct mgr_host_api *api, void *p, size_t *alloc,
               size_t n, size_t elem);

/* A column an expression or an index uses, into a use: the callback for
 * lsq_columns_used, with a struct lsq_use_ctx. */
struct lsq_use_ctx {
    struct lsq_use *u;
    const struct mgr_host_api *api;
};
void lsq_use_column(void *ctx, const struct sq_token *tok);

#endif /* MGR_LINTER_SQLITE_LSQ_H */
