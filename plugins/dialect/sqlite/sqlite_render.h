/*
 * sqlite_render.h: what the three files of render share.
 *
 *   sqlite_ddl.c      sq_render: each change as the statement SQLite has
 *                     for it; column definitions and CREATE TABLE text
 *   sqlite_rebuild.c  which change of a table needs the rebuild, where it
 *                     goes, which changes it covers, and its statements
 *   sqlite_views.c    the views as they are at a point of the list, and
 *                     which of them use a table
 *
 * A table is known by its name after the whole list (to_table), so that
 * every change of one table agrees whatever renames the list holds; its
 * name in the database at change i is sqr_name_at().
 */
#ifndef MGR_SQLITE_RENDER_H
#define MGR_SQLITE_RENDER_H

#include <stddef.h>

#include <migrator/plugin.h>

#include "ddl_text.h"

/* One call of render: the list, and what is known about it. */
struct sq_render {
    const struct mgr_host_api *api;
    struct ddl_text ddl;
    const struct mgr_change *const *changes;
    size_t n;
    struct mgr_buf *out;
    struct mgr_error *err;
    /* Per change: 1 when it is a change of a table that a CREATE TABLE
     * earlier in the list made as it is at the end. */
    unsigned char *created;
    /* Per change: 1 when ALTER TABLE cannot make it: the table needs
     * the rebuild. */
    unsigned char *needs_rebuild;
};

/* ---- sqlite_ddl.c ---------------------------------------------------- */

void sqr_add(struct sq_render *r, const char *text);
/* schema.name quoted (name alone for the default schema). */
void sqr_qualified(struct sq_render *r, const char *schema, const char *name);
/* CREATE TABLE schema.name (the columns and constraints of t);\n */
void sqr_create_table(struct sq_render *r, const struct mgr_table *t,
                      const char *schema, const char *name);
/* CREATE INDEX for ix, on the table named table in the database now. */
void sqr_create_index(struct sq_render *r, const struct mgr_object *ix,
                      const char *table);
/* The primary key of t when it is one INTEGER PRIMARY KEY AUTOINCREMENT
 * column (which CREATE TABLE writes in the column's definition), or
 * NULL. */
const struct mgr_object *sqr_autoincrement_key(const struct mgr_table *t);
/* Whether default text is a literal: a number, string, blob, NULL,
 * TRUE, FALSE or CURRENT_TIME/DATE/TIMESTAMP (with_current). */
int sqr_is_literal(const char *text, int with_current);

/* ---- sqlite_rebuild.c ------------------------------------------------ */

/* Whether changes[i] is about a table (column, constraint, index...). */
int sqr_is_table_change(const struct mgr_change *ch);
/* The schema and name after the list of the table of ch. */
void sqr_table_of(const struct mgr_change *ch, const char **schema,
                  const char **name);
/* The name the table of changes[i] has in the database just before it
 * runs (before the list, with the list's renames before i). */
const char *sqr_name_at(const struct sq_render *r, size_t i);
/* Whether changes[j] drops the views that use its table and makes them
 * again as they are after the list: the rebuild, and a RENAME COLUMN
 * with views over those views (SQLite renames the column inside the
 * views that use the table, so their own columns may change names, and
 * a view over such a view then fails the rename). */
int sqr_remakes_views(const struct sq_render *r, size_t j);
/* Fill r->created and r->needs_rebuild. */
void sqr_plan(struct sq_render *r);
/* The first change of the table of changes[i] that needs the rebuild,
 * or r->n. */
size_t sqr_first_rebuild(const struct sq_render *r, size_t i);
/* Append the rebuild of the table of changes[i]. */
int sqr_rebuild(struct sq_render *r, size_t i);

/* ---- sqlite_views.c -------------------------------------------------- */

struct sqr_view {
    const char *schema;
    const char *name;
    const struct mgr_object *def; /* NULL: it does not exist there */
};

/* The views at one point of the list. */
struct sqr_views {
    struct sqr_view *v;
    size_t n;
};

/* Whether a view (before or made in the list) uses a view that uses the
 * table of changes[j]: a RENAME COLUMN of that table needs the views
 * dropped and made again. Judged on the whole list, not the point j, so
 * that it costs no walk through the list. */
int sqr_views_nested(const struct sq_render *r, size_t j);

/* The views that changes[i] drops and makes again around its table. */
struct sqr_detached {
    struct sqr_views vs;  /* the views just before changes[i] */
    unsigned char *marks; /* one per view of vs: dropped */
};
/* Append DROP VIEW for each view that uses the table of changes[i]. */
void sqr_views_detach(struct sq_render *r, size_t i, struct sqr_detached *d);
/* Append CREATE VIEW for each of them that exists after the list, from
 * that definition, each after the views it uses; release d. */
void sqr_views_reattach(struct sq_render *r, struct sqr_detached *d);
/* Append the statements of a CREATE_VIEW, REPLACE_VIEW or DROP_VIEW at
 * changes[i], or nothing when a rebuild before made it already. */
int sqr_view_change(struct sq_render *r, size_t i);

#endif
