/* ddl_text.c: DDL text every SQL dialect writes the same way; see
 * ddl_text.h. */
#include "autoconfig.h"

#include <string.h>

#include "ddl_text.h"

static void add(const struct ddl_text *d, struct mgr_buf *out,
                const char *s)
{
    d->api->buf_add(out, s, strlen(s));
}

void ddl_ident(const struct ddl_text *d, const char *ident,
               struct mgr_buf *out)
{
    d->quote_ident(d->state, ident, out);
}

void ddl_qualified(const struct ddl_text *d, const char *schema,
                   const char *name, struct mgr_buf *out)
{
    if (schema && *schema) {
        ddl_ident(d, schema, out);
        add(d, out, ".");
    }
    ddl_ident(d, name, out);
}

void ddl_owner(const struct ddl_text *d, const struct mgr_object *obj,
               struct mgr_buf *out)
{
    ddl_qualified(d, obj->schema, obj->table, out);
}

void ddl_column_list(const struct ddl_text *d, const char *const *cols,
                     size_t n, struct mgr_buf *out)
{
    add(d, out, "(");
    for (size_t i = 0; i < n; i++) {
        if (i)
            add(d, out, ", ");
        ddl_ident(d, cols[i], out);
    }
    add(d, out, ")");
}

static void foreign_key(const struct ddl_text *d, const struct mgr_object *c,
                        struct mgr_buf *out)
{
    add(d, out, "FOREIGN KEY ");
    ddl_column_list(d, c->items, c->nitems, out);
    add(d, out, " REFERENCES ");
    ddl_qualified(d, c->ref_schema, c->ref_table, out);
    /* No columns: the referred table's primary key (SQLite). */
    if (c->ref_columns) {
        add(d, out, " ");
        ddl_column_list(d, c->ref_columns, c->nitems, out);
    }
    if (c->on_delete && *c->on_delete) {
        add(d, out, " ON DELETE ");
        add(d, out, c->on_delete);
    }
    if (c->on_update && *c->on_update) {
        add(d, out, " ON UPDATE ");
        add(d, out, c->on_update);
    }
}

void ddl_constraint(const struct ddl_text *d, const struct mgr_object *c,
                    struct mgr_buf *out)
{
    if (c->name && *c->name) {
        add(d, out, "CONSTRAINT ");
        ddl_ident(d, c->name, out);
        add(d, out, " ");
    }
    switch (c->kind) {
    case MGR_OBJ_PRIMARY_KEY:
        add(d, out, "PRIMARY KEY ");
        ddl_column_list(d, c->items, c->nitems, out);
        break;
    case MGR_OBJ_UNIQUE:
        add(d, out, "UNIQUE ");
        ddl_column_list(d, c->items, c->nitems, out);
        break;
    case MGR_OBJ_CHECK:
        add(d, out, "CHECK (");
        add(d, out, c->expr ? c->expr : "true");
        add(d, out, ")");
        break;
    case MGR_OBJ_FOREIGN_KEY:
        foreign_key(d, c, out);
        break;
    default:
        return;
    }
    if (c->flags & MGR_OBJ_DEFERRABLE) {
        add(d, out, " DEFERRABLE");
        if (c->flags & MGR_OBJ_INITIALLY_DEFERRED)
            add(d, out, " INITIALLY DEFERRED");
    }
}

void ddl_create_index(const struct ddl_text *d, const struct mgr_object *ix,
                      bool with_method, struct mgr_buf *out)
{
    add(d, out, ix->flags & MGR_OBJ_UNIQUE_INDEX ? "CREATE UNIQUE INDEX "
                                                 : "CREATE INDEX ");
    /* PostgreSQL puts an index in its table's schema and takes the
     * table qualified; SQLite wants the index qualified and the table
     * not. */
    ddl_qualified(d, with_method ? NULL : ix->schema, ix->name, out);
    add(d, out, " ON ");
    if (with_method)
        ddl_owner(d, ix, out);
    else
        ddl_ident(d, ix->table, out);
    if (with_method && ix->method && *ix->method) {
        add(d, out, " USING ");
        add(d, out, ix->method);
    }
    add(d, out, " (");
    for (size_t i = 0; i < ix->nitems; i++) {
        if (i)
            add(d, out, ", ");
        add(d, out, ix->items[i]);
    }
    add(d, out, ")");
    if (ix->expr && *ix->expr) {
        add(d, out, " WHERE ");
        add(d, out, ix->expr);
    }
    add(d, out, ";\n");
}

void ddl_create_view(const struct ddl_text *d, const struct mgr_object *v,
                     struct mgr_buf *out)
{
    const char *def = v->expr ? v->expr : "";
    size_t len = strlen(def);

    while (len && (def[len - 1] == ';' || def[len - 1] == ' ' ||
                   def[len - 1] == '\n' || def[len - 1] == '\t'))
        len--;
    add(d, out, "CREATE VIEW ");
    ddl_qualified(d, v->schema, v->name, out);
    add(d, out, " AS ");
    while (len && (*def == ' ' || *def == '\n' || *def == '\t')) {
        def++;
        len--;
    }
    d->api->buf_add(out, def, len);
    add(d, out, ";\n");
}

void ddl_comment(const struct ddl_text *d, const char *text,
                 struct mgr_buf *out)
{
    add(d, out, "-- ");
    for (const char *p = text; *p; p++) {
        d->api->buf_add(out, p, 1);
        if (*p == '\n' && p[1])
            add(d, out, "-- ");
    }
    add(d, out, "\n");
}
