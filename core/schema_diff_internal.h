/*
 * schema_diff_internal.h: how schema_diff.c (notes, rename hints) and
 * schema_describe.c write the names of objects, so that a note and the
 * description of its step name an object the same way; and what
 * schema_diff_views.c knows of views.
 */
#ifndef MGR_CORE_SCHEMA_DIFF_INTERNAL_H
#define MGR_CORE_SCHEMA_DIFF_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include <migrator/migrator.h>
#include <migrator/schema.h>

/* Append "name", or "schema.name" outside the default schema. */
void schema_diff_add_name(struct mgr_buf *out, const char *schema,
                          const char *name);

/* Append the table of a column, constraint or index, qualified as
 * schema_diff_add_name() does: "units". */
void schema_diff_add_table(struct mgr_buf *out, const struct mgr_object *obj);

/* Append a column as "units.floor" ("app.units.floor" outside the
 * default schema). */
void schema_diff_add_column(struct mgr_buf *out,
                            const struct mgr_object *column);

/* Whether view's definition mentions name as an identifier. */
bool schema_view_mentions(const struct mgr_object *view, const char *name);

/* order[0..n): indexes into views, each view after the views of the list
 * that it mentions. */
void schema_views_order(const struct mgr_object *const *views, size_t n,
                        size_t *order);

#endif
