/*
 * pgl.h: what the files of the PostgreSQL linter share (linter_postgresql
 * plugin). The host hands over each statement with libpg_query's parse
 * tree; the rules read the tree (json_walk.h), never the text.
 *
 *   linter_postgresql.c  entry point, ops, rule catalogue, dispatch
 *   pgl_state.c          the run: tables, columns, indexes, constraints
 *                        and foreign keys seen so far; sections
 *   pgl_names.c          identifiers: quoting, relations, default names
 *   pgl_deparse.c        expressions and types back to SQL, for hints
 *   pgl_report.c         findings to the host
 *   pgl_locks.c          lock modes, SET lock_timeout, require-lock-timeout
 *   pgl_create.c         CREATE TABLE
 *   pgl_alter.c          ALTER TABLE and its commands
 *   pgl_column.c         ADD COLUMN
 *   pgl_constraint.c     ADD CONSTRAINT, VALIDATE CONSTRAINT
 *   pgl_index.c          CREATE / DROP INDEX, REINDEX
 *   pgl_types.c          type preferences of a column
 *   pgl_stmts.c          the other statements (rename, enum, domains...)
 *   pgl_graph.c          end of run: foreign key cycles, unindexed keys
 */
#ifndef MGR_LINTER_POSTGRESQL_PGL_H
#define MGR_LINTER_POSTGRESQL_PGL_H

#include <stdbool.h>
#include <stddef.h>

#include <migrator/plugin.h>

#include "json_walk.h"

/* Room for a name as shown: two quoted identifiers and a dot. */
#define PGL_NAME_MAX 272
/* The most columns an index or key has (INDEX_MAX_KEYS). */
#define PGL_MAX_COLS 32

/* Table locks, weakest first (only those the rules predict). */
enum pgl_lock {
    PGL_LOCK_NONE = 0,
    PGL_SHARE_UPDATE_EXCLUSIVE,
    PGL_SHARE,
    PGL_SHARE_ROW_EXCLUSIVE,
    PGL_EXCLUSIVE,
    PGL_ACCESS_EXCLUSIVE,
};

/* A growable array of pointers, from api->alloc. */
struct pgl_vec {
    void **items;
    size_t n, cap;
};

/* A table created in the run. */
struct pgl_table {
    char *key, *shown;
};

/* A column created or added in the run, or whose type the run set. */
struct pgl_column {
    char *table, *name;
    char *base;     /* the type's internal name ("varchar"), or NULL */
    long mods[2];   /* its modifiers: varchar(n), numeric(p,s) */
    size_t nmods;
    bool added;     /* created by the run (not only retyped) */
};

/* An index created in the run (CREATE INDEX, PRIMARY KEY, UNIQUE). */
struct pgl_index {
    char *table;    /* key of its table */
    char *key;      /* its own key (schema.name), or NULL */
    char **cols;    /* a NULL item: an expression */
    size_t ncols;
};

/* A CHECK or FOREIGN KEY constraint added in the run, for VALIDATE. */
struct pgl_con {
    char *table, *name;
    char *not_null_col;     /* CHECK (col IS NOT NULL): col; or NULL */
    bool is_fk;             /* a FOREIGN KEY, else a CHECK */
    bool validated;
    unsigned long section;  /* added NOT VALID in this transactional
                               section (0: none) */
    unsigned long stmt;     /* added in this statement */
};

/* A foreign key added in the run. */
struct pgl_fk {
    char *table, *shown, *ref, *ref_shown;
    char **cols;
    size_t ncols;
    const struct mgr_lint_statement *st; /* kept by the host for the run */
    bool needs_index; /* its table is new or one of its columns is */
};

/* One lint run. */
struct pgl_run {
    const struct mgr_host_api *api;
    struct pgl_vec tables, columns, indexes, cons, fks;
    /* The section being read. */
    char *revision;
    enum mgr_direction dir;
    unsigned long section;  /* counts sections, from 1 */
    bool in_tx;             /* the section runs in one transaction */
    bool timeout_set;       /* SET lock_timeout seen in it */
    bool timeout_reported;  /* require-lock-timeout said once in it */
    struct pgl_vec enum_values; /* char *: ADD VALUE in this section */
    unsigned long stmt;     /* counts statements, from 1 */
    /* The first failure of lint_report; later findings are dropped. */
    int rc;
    struct mgr_error *err;
};

/* One statement being read. */
struct pgl_stmt {
    struct pgl_run *run;
    struct mgr_lint *l;
    const struct mgr_lint_statement *st;
    enum pgl_lock lock;            /* strongest on an existing table */
    char lock_table[PGL_NAME_MAX]; /* where, or "" when not known */
};

/* A relation as a statement names it. */
struct pgl_rel {
    const char *schema;         /* as written, or NULL; borrowed */
    const char *name;           /* relname, borrowed from the tree */
    char key[PGL_NAME_MAX];     /* "schema.name", public by default */
    char shown[PGL_NAME_MAX];   /* as written, quoted where needed */
    bool is_new;                /* a table created earlier in the run */
};

/* ---- linter_postgresql.c ---- */

/* The usual severity of rule id (the catalogue's). */
enum mgr_severity pgl_rule_severity(const char *id);

/* ---- pgl_state.c ---- */

void *pgl_alloc(struct pgl_run *run, size_t n); /* zeroed */
char *pgl_strdup(struct pgl_run *run, const char *s);
void pgl_vec_push(struct pgl_run *run, struct pgl_vec *v, void *item);

struct pgl_run *pgl_run_new(const struct mgr_host_api *api);
void pgl_run_free(struct pgl_run *run);
/* Note the section of st: a new one resets what is per section. */
void pgl_section_enter(struct pgl_run *run,
                       const struct mgr_lint_statement *st);

void pgl_table_add(struct pgl_run *run, const struct pgl_rel *rel);
const struct pgl_table *pgl_table_find(struct pgl_run *run, const char *key);

/* Record column name of table; typ is its TypeName body (may be NULL). */
void pgl_column_set(struct pgl_run *run, const char *table,
                    const char *name, const struct mgr_json *typ,
                    bool added);
struct pgl_column *pgl_column_find(struct pgl_run *run, const char *table,
                                   const char *name);

/* An index on table over cols (a NULL item: an expression). */
struct pgl_index *pgl_index_add(struct pgl_run *run, const char *table,
                                const char *key, const char *const *cols,
                                size_t ncols);
struct pgl_index *pgl_index_find(struct pgl_run *run, const char *key);

struct pgl_con *pgl_con_add(struct pgl_run *run, const char *table,
                            const char *name);
struct pgl_con *pgl_con_find(struct pgl_run *run, const char *table,
                             const char *name);

/* A foreign key of rel on cols to ref. */
struct pgl_fk *pgl_fk_add(struct pgl_stmt *s, const struct pgl_rel *rel,
                          const char *const *cols, size_t ncols,
                          const struct pgl_rel *ref);

/* ---- pgl_names.c ---- */

/* id as PostgreSQL would write it: double-quoted only when it must be. */
void pgl_ident(char *out, size_t size, const char *id);
/* Append id, quoted as needed, to b. */
void pgl_add_ident(struct pgl_run *run, struct mgr_buf *b, const char *id);
/* Read a RangeVar (body or wrapper) into out; false when it is none. */
bool pgl_rel_read(struct pgl_run *run, const struct mgr_json *rangevar,
                  struct pgl_rel *out);
/* out for [schema.]name (schema may be NULL): key and shown. */
void pgl_rel_make(struct pgl_run *run, const char *schema, const char *name,
                  struct pgl_rel *out);
/* The key of object name in the schema of rel (an index, a constraint). */
void pgl_rel_sibling(const struct pgl_rel *rel, const char *name, char *out,
                     size_t size);
/* Columns named by a list of Strings or IndexElems into out (at most
 * PGL_MAX_COLS; an expression: NULL); how many. */
size_t pgl_cols(const struct mgr_json *list, const char **out);
/* PostgreSQL's default name: table_col1_col2_suffix (a NULL column:
 * "expr"); with no columns: table_suffix. */
void pgl_default_name(char *out, size_t size, const char *table,
                      const char *const *cols, size_t ncols,
                      const char *suffix);

/* ---- pgl_deparse.c ---- */

/* Append the SQL of an expression node; false (b unchanged) when a part
 * of it is not one the deparser knows. */
bool pgl_expr(struct pgl_stmt *s, struct mgr_buf *b,
              const struct mgr_json *node);
/* As pgl_expr, appending "..." when it fails. */
void pgl_expr_or_dots(struct pgl_stmt *s, struct mgr_buf *b,
                      const struct mgr_json *node);
/* Append a TypeName (body) as SQL: "integer", "varchar(20)". */
void pgl_type(struct pgl_stmt *s, struct mgr_buf *b,
              const struct mgr_json *typ);
/* The internal name of a built-in type ("int4", "serial", "varchar"):
 * the last part of a TypeName unqualified or in pg_catalog; else NULL. */
const char *pgl_type_base(const struct mgr_json *typ);
/* The integer modifiers of a TypeName into mods; how many (max 2). */
size_t pgl_type_mods(const struct mgr_json *typ, long mods[2]);
/* Append "ALTER TABLE <rel> " to b. */
void pgl_add_alter(struct pgl_run *run, struct mgr_buf *b,
                   const struct pgl_rel *rel);

/* ---- pgl_report.c ---- */

/* What a rule says about a statement. */
struct pgl_say {
    const char *rule;
    enum mgr_severity severity; /* 0: the rule's usual one */
    unsigned flags;             /* MGR_FINDING_* */
    enum pgl_lock lock;
    const char *table;          /* shown name of the existing table */
    const char *hint;           /* may be NULL */
};

/* 1 + the "location" of node v (libpg_query: a byte offset), or 0. */
int pgl_offset(const struct mgr_json *v);

void pgl_say(struct pgl_stmt *s, const struct pgl_say *say, const char *fmt,
             ...) MGR_PRINTF(3, 4);
/* As pgl_say, on the line of what it is about: offset is pgl_offset() of
 * its node (a column definition, a type), 0 for the statement's line. */
void pgl_say_near(struct pgl_stmt *s, const struct pgl_say *say, int offset,
                  const char *fmt, ...) MGR_PRINTF(4, 5);
/* From end(): about st, an earlier statement. */
void pgl_say_at(struct pgl_run *run, struct mgr_lint *l,
                const struct mgr_lint_statement *st,
                const struct pgl_say *say, const char *fmt, ...)
    MGR_PRINTF(5, 6);

/* A hint buffer: begin, add to it, say, end. */
void pgl_hint_begin(struct pgl_run *run, struct mgr_buf *b);
void pgl_hint_end(struct pgl_run *run, struct mgr_buf *b);

/* ---- pgl_locks.c ---- */

const char *pgl_lock_name(enum pgl_lock mode);
/* The statement takes mode on an existing table (shown; NULL: one it
 * cannot name). */
void pgl_note_lock(struct pgl_stmt *s, const char *table, enum pgl_lock mode);
/* After each statement: require-lock-timeout. */
void pgl_lock_timeout_check(struct pgl_stmt *s);
void pgl_variable_set(struct pgl_stmt *s, const struct mgr_json *body);
void pgl_select(struct pgl_stmt *s, const struct mgr_json *body);

/* ---- statements: one function per statement node, given its body ---- */

/* pgl_create.c */
void pgl_create_table(struct pgl_stmt *s, const struct mgr_json *body);

/* pgl_alter.c */
void pgl_alter_table(struct pgl_stmt *s, const struct mgr_json *body);
/* Append the statements that make col NOT NULL without a long lock. */
void pgl_not_null_steps(struct pgl_run *run, struct mgr_buf *b,
                        const struct pgl_rel *rel, const char *col);

/* pgl_column.c: ADD COLUMN (coldef: a ColumnDef body) */
void pgl_add_column(struct pgl_stmt *s, const struct pgl_rel *rel,
                    const struct mgr_json *coldef);

/* pgl_constraint.c */
/* A constraint (Constraint body) into the run's state: a table
 * constraint (col NULL) or one of column col. */
void pgl_constraint_record(struct pgl_stmt *s, const struct pgl_rel *rel,
                           const struct mgr_json *con, const char *col);
/* A column's inline constraints into the run's state (CREATE TABLE and
 * ADD COLUMN). */
void pgl_column_constraints(struct pgl_stmt *s, const struct pgl_rel *rel,
                            const struct mgr_json *coldef);
void pgl_add_constraint(struct pgl_stmt *s, const struct pgl_rel *rel,
                        const struct mgr_json *con);
void pgl_validate_constraint(struct pgl_stmt *s, const struct pgl_rel *rel,
                             const char *name);
/* The rules of ADD CONSTRAINT on an existing table, for a table
 * constraint (coldef NULL) or one written in the ColumnDef coldef. */
void pgl_check_unvalidated(struct pgl_stmt *s, const struct pgl_rel *rel,
                           const struct mgr_json *con,
                           const struct mgr_json *coldef);
void pgl_fk_unvalidated(struct pgl_stmt *s, const struct pgl_rel *rel,
                        const struct mgr_json *con,
                        const struct mgr_json *coldef);
void pgl_unique_unindexed(struct pgl_stmt *s, const struct pgl_rel *rel,
                          const struct mgr_json *con,
                          const struct mgr_json *coldef);
/* The table a FOREIGN KEY constraint references, into ref; false when
 * it names none. */
bool pgl_fk_ref(struct pgl_run *run, const struct mgr_json *con,
                struct pgl_rel *ref);

/* pgl_index.c */
void pgl_create_index(struct pgl_stmt *s, const struct mgr_json *body);
/* DROP INDEX (a DropStmt of indexes) */
void pgl_drop_index(struct pgl_stmt *s, const struct mgr_json *body);
void pgl_reindex(struct pgl_stmt *s, const struct mgr_json *body);

/* pgl_types.c: the preferences about column col of rel, of type typ (a
 * TypeName body) */
void pgl_column_types(struct pgl_stmt *s, const struct pgl_rel *rel,
                      const char *col, const struct mgr_json *typ);

/* pgl_stmts.c */
void pgl_rename(struct pgl_stmt *s, const struct mgr_json *body);
void pgl_alter_enum(struct pgl_stmt *s, const struct mgr_json *body);
/* Before each statement (the whole node): a value that ADD VALUE added
 * in this transaction. */
void pgl_enum_check(struct pgl_stmt *s, const struct mgr_json *stmt);
void pgl_transaction(struct pgl_stmt *s, const struct mgr_json *body);
void pgl_drop_database(struct pgl_stmt *s, const struct mgr_json *body);
/* DROP: indexes go to pgl_drop_index; tables only lock */
void pgl_drop(struct pgl_stmt *s, const struct mgr_json *body);
void pgl_truncate(struct pgl_stmt *s, const struct mgr_json *body);
void pgl_alter_domain(struct pgl_stmt *s, const struct mgr_json *body);
void pgl_create_domain(struct pgl_stmt *s, const struct mgr_json *body);
void pgl_cluster(struct pgl_stmt *s, const struct mgr_json *body);
void pgl_vacuum(struct pgl_stmt *s, const struct mgr_json *body);
void pgl_create_trigger(struct pgl_stmt *s, const struct mgr_json *body);

/* ---- pgl_graph.c ---- */

/* end(): circular-foreign-key and foreign-key-without-index. */
void pgl_graph_end(struct pgl_run *run, struct mgr_lint *l);

#endif
