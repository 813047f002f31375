/*
 * schema_rec.c: introspected objects kept for the server suite; see
 * schema_rec.h.
 */
#include "autoconfig.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "mock_host.h"
#include "schema_rec.h"

static char *copy_text(const char *s)
{
    char *c;

    if (!s)
        return NULL;
    c = strdup(s);
    ck_assert_ptr_nonnull(c);
    return c;
}

static const char *const *copy_list(const char *const *items, size_t n)
{
    const char **c;

    if (!items)
        return NULL;
    c = calloc(n ? n : 1, sizeof(*c));
    ck_assert_ptr_nonnull(c);
    for (size_t k = 0; k < n; k++)
        c[k] = copy_text(items[k]);
    return c;
}

static void free_list(const char *const *items, size_t n)
{
    if (!items)
        return;
    for (size_t k = 0; k < n; k++)
        free((char *)items[k]);
    free((void *)items);
}

static struct mgr_object *copy_object(const struct mgr_object *o)
{
    struct mgr_object *c = malloc(sizeof(*c));

    ck_assert_ptr_nonnull(c);
    *c = *o;
    c->schema = copy_text(o->schema);
    c->table = copy_text(o->table);
    c->name = copy_text(o->name);
    c->type = copy_text(o->type);
    c->expr = copy_text(o->expr);
    c->collation = copy_text(o->collation);
    c->comment = copy_text(o->comment);
    c->method = copy_text(o->method);
    c->items = copy_list(o->items, o->nitems);
    c->ref_schema = copy_text(o->ref_schema);
    c->ref_table = copy_text(o->ref_table);
    c->ref_columns = copy_list(o->ref_columns, o->nitems);
    c->on_delete = copy_text(o->on_delete);
    c->on_update = copy_text(o->on_update);
    c->owned_by = copy_text(o->owned_by);
    return c;
}

static void free_object(struct mgr_object *o)
{
    free((char *)o->schema);
    free((char *)o->table);
    free((char *)o->name);
    free((char *)o->type);
    free((char *)o->expr);
    free((char *)o->collation);
    free((char *)o->comment);
    free((char *)o->method);
    free_list(o->items, o->nitems);
    free((char *)o->ref_schema);
    free((char *)o->ref_table);
    free_list(o->ref_columns, o->nitems);
    free((char *)o->on_delete);
    free((char *)o->on_update);
    free((char *)o->owned_by);
    free(o);
}

int schema_rec_add(struct mgr_schema_sink *sink,
                   const struct mgr_object *obj, struct mgr_error *err)
{
    struct schema_rec *r = (struct schema_rec *)(void *)sink;
    int rc = mock_schema_add(sink, obj, err);

    if (rc != MGR_OK)
        return rc;
    r->objs = realloc(r->objs, (r->n + 1) * sizeof(*r->objs));
    ck_assert_ptr_nonnull(r->objs);
    r->objs[r->n++] = copy_object(obj);
    return MGR_OK;
}

static int same(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

static int is_constraint(unsigned kind)
{
    return kind == MGR_OBJ_PRIMARY_KEY || kind == MGR_OBJ_UNIQUE ||
           kind == MGR_OBJ_FOREIGN_KEY || kind == MGR_OBJ_CHECK;
}

/* The objects of kind (that belong to table t, when not NULL) into
 * *next, moving it on; their count. */
static size_t gather(struct schema_rec *r, const struct mgr_object *t,
                     int (*want)(unsigned kind, unsigned k2), unsigned kind,
                     const struct mgr_object ***next)
{
    size_t n = 0;

    for (size_t k = 0; k < r->n; k++) {
        const struct mgr_object *o = r->objs[k];

        if (!want(o->kind, kind))
            continue;
        if (t && !(same(o->schema, t->schema) && same(o->table, t->name)))
            continue;
        (*next)[n++] = o;
    }
    *next += n;
    return n;
}

static int kind_is(unsigned kind, unsigned want)
{
    return kind == want;
}

static int kind_is_constraint(unsigned kind, unsigned unused)
{
    (void)unused;
    return is_constraint(kind);
}

static void build_table(struct schema_rec *r, struct mgr_table *t,
                        const struct mgr_object ***next)
{
    t->columns = *next;
    t->ncolumns = gather(r, t->obj, kind_is, MGR_OBJ_COLUMN, next);
    t->constraints = *next;
    t->nconstraints = gather(r, t->obj, kind_is_constraint, 0, next);
    t->indexes = *next;
    t->nindexes = gather(r, t->obj, kind_is, MGR_OBJ_INDEX, next);
}

void schema_rec_build(struct schema_rec *r)
{
    const struct mgr_object **next;
    size_t ntables = 0;

    r->tables = calloc(r->n + 1, sizeof(*r->tables));
    r->table_list = calloc(r->n + 1, sizeof(*r->table_list));
    r->lists = calloc(r->n + 1, sizeof(*r->lists));
    ck_assert(r->tables && r->table_list && r->lists);
    next = r->lists;
    for (size_t k = 0; k < r->n; k++) {
        if (r->objs[k]->kind != MGR_OBJ_TABLE)
            continue;
        r->tables[ntables].obj = r->objs[k];
        build_table(r, &r->tables[ntables], &next);
        r->table_list[ntables] = &r->tables[ntables];
        ntables++;
    }
    r->schema.tables = r->table_list;
    r->schema.ntables = ntables;
    r->schema.enums = next;
    r->schema.nenums = gather(r, NULL, kind_is, MGR_OBJ_ENUM, &next);
    r->schema.sequences = next;
    r->schema.nsequences = gather(r, NULL, kind_is, MGR_OBJ_SEQUENCE, &next);
    r->schema.views = next;
    r->schema.nviews = gather(r, NULL, kind_is, MGR_OBJ_VIEW, &next);
}

const struct mgr_table *schema_rec_table(const struct schema_rec *r,
                                         const char *schema,
                                         const char *name)
{
    for (size_t k = 0; k < r->schema.ntables; k++) {
        const struct mgr_object *t = r->schema.tables[k]->obj;

        if (same(t->schema, schema) && same(t->name, name))
            return r->schema.tables[k];
    }
    return NULL;
}

const struct mgr_object *schema_rec_find(const struct schema_rec *r,
                                         unsigned kind, const char *schema,
                                         const char *table,
                                         const char *name)
{
    for (size_t k = 0; k < r->n; k++) {
        const struct mgr_object *o = r->objs[k];

        if (o->kind == kind && same(o->schema, schema) &&
            same(o->table, table) && same(o->name, name))
            return o;
    }
    return NULL;
}

void schema_rec_release(struct schema_rec *r)
{
    for (size_t k = 0; k < r->n; k++)
        free_object(r->objs[k]);
    free(r->objs);
    free(r->tables);
    free(r->table_list);
    free(r->lists);
    memset(r, 0, sizeof(*r));
}
