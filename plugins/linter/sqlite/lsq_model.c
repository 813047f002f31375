/*
 * lsq_model.c: the tables a lint run has seen created, and what uses
 * their columns (indexes, CHECKs, generated columns) (lsq.h). A project
 * has few tables: lists searched in order.
 */
#include "autoconfig.h"

#include <string.h>

#include "lsq.h"

/* The array p of *alloc elements of size elem, room for n + 1. */
void *lsq_room(const struct mgr_host_api *api, void *p, size_t *alloc,
                  size_t n, size_t elem)
{
    size_t bigger = *alloc ? 2 * *alloc : 8;
    void *q;

    if (n < *alloc)
        return p;
    q = api->alloc(bigger * elem);
    if (n)
        memcpy(q, p, n * elem);
    api->free(p);
    *alloc = bigger;
    return q;
}

static void table_free(struct lsq_table *t, const struct mgr_host_api *api)
{
    for (size_t i = 0; i < t->ncols; i++)
        api->free(t->cols[i].name);
    api->free(t->cols);
    api->free(t->name);
    api->free(t);
}

static void use_free(struct lsq_use *u, const struct mgr_host_api *api)
{
    for (size_t i = 0; i < u->ncols; i++)
        api->free(u->cols[i]);
    api->free(u->cols);
    api->free(u->table);
    api->free(u->name);
    api->free(u);
}

/* Drop the uses for which drop(u, a, b) holds. */
static void uses_drop_if(struct lsq_model *m, const struct mgr_host_api *api,
                         int (*drop)(const struct lsq_use *u, const char *a,
                                     const char *b),
                         const char *a, const char *b)
{
    size_t k = 0;

    for (size_t j = 0; j < m->nuses; j++) {
        if (drop(m->uses[j], a, b))
            use_free(m->uses[j], api);
        else
            m->uses[k++] = m->uses[j];
    }
    m->nuses = k;
}

void lsq_model_release(struct lsq_model *m, const struct mgr_host_api *api)
{
    for (size_t i = 0; i < m->ntables; i++)
        table_free(m->tables[i], api);
    for (size_t i = 0; i < m->nuses; i++)
        use_free(m->uses[i], api);
    api->free(m->tables);
    api->free(m->uses);
    memset(m, 0, sizeof(*m));
}

void lsq_model_copy(struct lsq_model *dst, const struct lsq_model *src,
                    const struct mgr_host_api *api)
{
    memset(dst, 0, sizeof(*dst));
    for (size_t i = 0; i < src->ntables; i++) {
        const struct lsq_table *from = src->tables[i];
        struct lsq_table *t = lsq_table_add(dst, api, from->name);

        t->cols_known = from->cols_known;
        t->section = from->section;
        t->rows = from->rows;
        for (size_t k = 0; k < from->ncols; k++)
            lsq_column_add(t, api, from->cols[k].name, from->cols[k].flags);
    }
    for (size_t i = 0; i < src->nuses; i++) {
        const struct lsq_use *from = src->uses[i];
        struct lsq_use *u = lsq_use_add(dst, api, from->kind, from->name,
                                        from->table);

        for (size_t k = 0; k < from->ncols; k++)
            lsq_use_add_column(u, api, from->cols[k]);
    }
}

/* ---- tables ------------------------------------------------------------ */

static size_t table_at(const struct lsq_model *m, const char *name)
{
    for (size_t i = 0; i < m->ntables; i++)
        if (sq_name_eq(m->tables[i]->name, name))
            return i;
    return (size_t)-1;
}

struct lsq_table *lsq_table_find(const struct lsq_model *m, const char *name)
{
    size_t i = table_at(m, name);

    return i == (size_t)-1 ? NULL : m->tables[i];
}

struct lsq_table *lsq_table_add(struct lsq_model *m,
                                const struct mgr_host_api *api,
                                const char *name)
{
    struct lsq_table *t;

    lsq_table_drop(m, api, name);
    t = api->alloc(sizeof(*t));
    memset(t, 0, sizeof(*t));
    t->name = lsq_strdup(api, name);
    t->cols_known = 1;
    m->tables = lsq_room(api, m->tables, &m->tables_alloc, m->ntables,
                     sizeof(*m->tables));
    m->tables[m->ntables++] = t;
    return t;
}

static int on_table(const struct lsq_use *u, const char *table,
                    const char *unused)
{
    (void)unused;
    return sq_name_eq(u->table, table);
}

void lsq_table_drop(struct lsq_model *m, const struct mgr_host_api *api,
                    const char *name)
{
    size_t i = table_at(m, name);

    if (i != (size_t)-1) {
        table_free(m->tables[i], api);
        memmove(m->tables + i, m->tables + i + 1,
                (m->ntables - i - 1) * sizeof(*m->tables));
        m->ntables--;
    }
    uses_drop_if(m, api, on_table, name, NULL);
}

void lsq_table_rename(struct lsq_model *m, const struct mgr_host_api *api,
                      const char *from, const char *to)
{
    struct lsq_table *t;

    if (sq_name_eq(from, to))
        return;
    lsq_table_drop(m, api, to); /* SQLite refuses that rename: keep one */
    if ((t = lsq_table_find(m, from)) != NULL) {
        api->free(t->name);
        t->name = lsq_strdup(api, to);
    }
    for (size_t j = 0; j < m->nuses; j++) {
        if (!sq_name_eq(m->uses[j]->table, from))
            continue;
        api->free(m->uses[j]->table);
        m->uses[j]->table = lsq_strdup(api, to);
    }
}

/* ---- columns ------------------------------------------------------------ */

struct lsq_column *lsq_column_find(const struct lsq_table *t,
                                   const char *name)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (sq_name_eq(t->cols[i].name, name))
            return &t->cols[i];
    return NULL;
}

struct lsq_column *lsq_column_add(struct lsq_table *t,
                                  const struct mgr_host_api *api,
                                  const char *name, unsigned flags)
{
    struct lsq_column *c;

    t->cols = lsq_room(api, t->cols, &t->alloc, t->ncols, sizeof(*t->cols));
    c = &t->cols[t->ncols++];
    c->name = lsq_strdup(api, name);
    c->flags = flags;
    return c;
}

/* A CHECK or generated expression of column col of table. */
static int owned_by(const struct lsq_use *u, const char *table,
                    const char *col)
{
    return u->kind != LSQ_USE_INDEX && u->name &&
           sq_name_eq(u->table, table) && sq_name_eq(u->name, col);
}

void lsq_column_drop(struct lsq_model *m, struct lsq_table *t,
                     const struct mgr_host_api *api, const char *name)
{
    struct lsq_column *c = lsq_column_find(t, name);
    size_t i;

    uses_drop_if(m, api, owned_by, t->name, name);
    if (!c)
        return;
    i = (size_t)(c - t->cols);
    api->free(c->name);
    memmove(t->cols + i, t->cols + i + 1,
            (t->ncols - i - 1) * sizeof(*t->cols));
    t->ncols--;
}

void lsq_column_rename(struct lsq_model *m, const struct mgr_host_api *api,
                       const char *table, const char *from, const char *to)
{
    struct lsq_table *t = lsq_table_find(m, table);
    struct lsq_column *c = t ? lsq_column_find(t, from) : NULL;

    if (c) {
        api->free(c->name);
        c->name = lsq_strdup(api, to);
    }
    for (size_t j = 0; j < m->nuses; j++) {
        struct lsq_use *u = m->uses[j];

        if (!sq_name_eq(u->table, table))
            continue;
        if (owned_by(u, table, from)) {
            api->free(u->name);
            u->name = lsq_strdup(api, to);
        }
        for (size_t k = 0; k < u->ncols; k++) {
            if (!sq_name_eq(u->cols[k], from))
                continue;
            api->free(u->cols[k]);
            u->cols[k] = lsq_strdup(api, to);
        }
    }
}

/* ---- uses --------------------------------------------------------------- */

struct lsq_use *lsq_use_add(struct lsq_model *m,
                            const struct mgr_host_api *api,
                            enum lsq_use_kind kind, const char *name,
                            const char *table)
{
    struct lsq_use *u;

    if (kind == LSQ_USE_INDEX)
        lsq_index_drop(m, api, name);
    u = api->alloc(sizeof(*u));
    memset(u, 0, sizeof(*u));
    u->kind = kind;
    u->name = name ? lsq_strdup(api, name) : NULL;
    u->table = lsq_strdup(api, table);
    m->uses = lsq_room(api, m->uses, &m->uses_alloc, m->nuses,
                       sizeof(*m->uses));
    m->uses[m->nuses++] = u;
    return u;
}

void lsq_use_add_column(struct lsq_use *u, const struct mgr_host_api *api,
                        const char *col)
{
    char **cols;

    for (size_t k = 0; k < u->ncols; k++)
        if (sq_name_eq(u->cols[k], col))
            return;
    cols = api->alloc((u->ncols + 1) * sizeof(*cols));
    if (u->ncols)
        memcpy(cols, u->cols, u->ncols * sizeof(*cols));
    api->free(u->cols);
    u->cols = cols;
    u->cols[u->ncols++] = lsq_strdup(api, col);
}

static int is_index(const struct lsq_use *u, const char *name,
                    const char *unused)
{
    (void)unused;
    return u->kind == LSQ_USE_INDEX && sq_name_eq(u->name, name);
}

void lsq_index_drop(struct lsq_model *m, const struct mgr_host_api *api,
                    const char *name)
{
    uses_drop_if(m, api, is_index, name, NULL);
}

const struct lsq_use *lsq_use_find(const struct lsq_model *m,
                                   const char *table, const char *col)
{
    for (size_t i = 0; i < m->nuses; i++) {
        const struct lsq_use *u = m->uses[i];

        if (!sq_name_eq(u->table, table) || owned_by(u, table, col))
            continue;
        for (size_t k = 0; k < u->ncols; k++)
            if (sq_name_eq(u->cols[k], col))
                return u;
    }
    return NULL;
}

void lsq_use_column(void *ctx, const struct sq_token *tok)
{
    struct lsq_use_ctx *x = ctx;
    char *name = lsq_ident(x->api, tok);

    lsq_use_add_column(x->u, x->api, name);
    x->api->free(name);
}
