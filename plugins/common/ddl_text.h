/*
 * ddl_text.h: DDL text that every SQL dialect writes the same way, for
 * mgr_dialect_ops.render: qualified names, column lists, constraint
 * clauses, CREATE INDEX and CREATE VIEW. Identifiers go through the
 * dialect's own quote_ident.
 */
#ifndef MIGRATOR_PLUGINS_DDL_TEXT_H
#define MIGRATOR_PLUGINS_DDL_TEXT_H

#include <stdbool.h>

#include <migrator/plugin.h>

struct ddl_text {
    const struct mgr_host_api *api;
    void *state; /* handed to quote_ident */
    void (*quote_ident)(void *state, const char *ident,
                        struct mgr_buf *out);
};

/* ident, quoted. */
void ddl_ident(const struct ddl_text *d, const char *ident,
               struct mgr_buf *out);

/* schema.name quoted, or name alone when schema is NULL or "". */
void ddl_qualified(const struct ddl_text *d, const char *schema,
                   const char *name, struct mgr_buf *out);

/* The table of obj (a column, constraint or index), qualified. */
void ddl_owner(const struct ddl_text *d, const struct mgr_object *obj,
               struct mgr_buf *out);

/* "(a, b)", each quoted. */
void ddl_column_list(const struct ddl_text *d, const char *const *cols,
                     size_t n, struct mgr_buf *out);

/*
 * A table constraint clause, without a trailing comma:
 * CONSTRAINT name PRIMARY KEY (..) | UNIQUE (..) | CHECK (expr) |
 * FOREIGN KEY (..) REFERENCES t [(..)] [ON DELETE x] [ON UPDATE y]
 * [DEFERRABLE [INITIALLY DEFERRED]]. The CONSTRAINT name part is left
 * out when the constraint has no name, the referred columns when
 * ref_columns is NULL (the referred table's primary key).
 */
void ddl_constraint(const struct ddl_text *d, const struct mgr_object *c,
                    struct mgr_buf *out);

/*
 * CREATE [UNIQUE] INDEX name ON table [USING method] (items) [WHERE
 * expr];\n. with_method true (PostgreSQL): the table qualified, USING
 * when there is a method; false (SQLite): the index name qualified
 * instead, no USING.
 */
void ddl_create_index(const struct ddl_text *d, const struct mgr_object *ix,
                      bool with_method, struct mgr_buf *out);

/* CREATE VIEW name AS definition;\n (a trailing ';' of the definition
 * dropped). */
void ddl_create_view(const struct ddl_text *d, const struct mgr_object *v,
                     struct mgr_buf *out);

/* Append "-- " and text, each of its lines commented, and a newline. */
void ddl_comment(const struct ddl_text *d, const char *text,
                 struct mgr_buf *out);

#endif
