/*
 * pgl_state.c: what a lint run remembers (pgl.h): the tables created so
 * far, the columns, indexes, constraints and foreign keys the run made,
 * and which section is being read. Nothing is ever removed: the
 * sections of a run interleave (an upgrade, then its downgrade), so a
 * drop in one does not undo what another made for the rules.
 */
#include "autoconfig.h"

#include <string.h>

#include "pgl.h"

void *pgl_alloc(struct pgl_run *run, size_t n)
{
    void *p = run->api->alloc(n); /* never NULL */

    memset(p, 0, n);
    return p;
}

char *pgl_strdup(struct pgl_run *run, const char *s)
{
    size_t n;
    char *p;

    if (!s)
        return NULL;
    n = strlen(s) + 1;
    p = run->api->alloc(n);
    memcpy(p, s, n);
    return p;
}

void pgl_vec_push(struct pgl_run *run, struct pgl_vec *v, void *item)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 16;
        void **items = run->api->alloc(cap * sizeof(*items));

        if (v->n)
            memcpy(items, v->items, v->n * sizeof(*items));
        run->api->free(v->items);
        v->items = items;
        v->cap = cap;
    }
    v->items[v->n++] = item;
}

static bool same(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* ---- the run ------------------------------------------------------------- */

struct pgl_run *pgl_run_new(const struct mgr_host_api *api)
{
    struct pgl_run *run = api->alloc(sizeof(*run));

    memset(run, 0, sizeof(*run));
    run->api = api;
    return run;
}

static void free_strs(struct pgl_run *run, char **strs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        run->api->free(strs[i]);
    run->api->free(strs);
}

static void free_table(struct pgl_run *run, void *p)
{
    struct pgl_table *t = p;

    run->api->free(t->key);
    run->api->free(t->shown);
}

static void free_column(struct pgl_run *run, void *p)
{
    struct pgl_column *c = p;

    run->api->free(c->table);
    run->api->free(c->name);
    run->api->free(c->base);
}

static void free_index(struct pgl_run *run, void *p)
{
    struct pgl_index *x = p;

    run->api->free(x->table);
    run->api->free(x->key);
    free_strs(run, x->cols, x->ncols);
}

static void free_con(struct pgl_run *run, void *p)
{
    struct pgl_con *c = p;

    run->api->free(c->table);
    run->api->free(c->name);
    run->api->free(c->not_null_col);
}

static void free_fk(struct pgl_run *run, void *p)
{
    struct pgl_fk *f = p;

    run->api->free(f->table);
    run->api->free(f->shown);
    run->api->free(f->ref);
    run->api->free(f->ref_shown);
    free_strs(run, f->cols, f->ncols);
}

/* Free v's items (what each holds, through item_free, then itself). */
static void vec_release(struct pgl_run *run, struct pgl_vec *v,
                        void (*item_free)(struct pgl_run *run, void *p))
{
    for (size_t i = 0; i < v->n; i++) {
        if (item_free)
            item_free(run, v->items[i]);
        run->api->free(v->items[i]);
    }
    run->api->free(v->items);
    memset(v, 0, sizeof(*v));
}

static void enum_values_clear(struct pgl_run *run)
{
    for (size_t i = 0; i < run->enum_values.n; i++)
        run->api->free(run->enum_values.items[i]);
    run->enum_values.n = 0;
}

void pgl_run_free(struct pgl_run *run)
{
    if (!run)
        return;
    vec_release(run, &run->tables, free_table);
    vec_release(run, &run->columns, free_column);
    vec_release(run, &run->indexes, free_index);
    vec_release(run, &run->cons, free_con);
    vec_release(run, &run->fks, free_fk);
    vec_release(run, &run->enum_values, NULL);
    run->api->free(run->revision);
    run->api->free(run);
}

void pgl_section_enter(struct pgl_run *run,
                       const struct mgr_lint_statement *st)
{
    const char *rev = st->revision ? st->revision : "";

    if (run->section && st->index != 0 && st->dir == run->dir &&
        same(run->revision, rev))
        return;
    run->api->free(run->revision);
    run->revision = pgl_strdup(run, rev);
    run->dir = st->dir;
    run->section++;
    run->in_tx = !(st->flags & MGR_LINT_NO_TRANSACTION);
    run->timeout_set = false;
    run->timeout_reported = false;
    enum_values_clear(run);
}

/* ---- tables and columns -------------------------------------------------- */

void pgl_table_add(struct pgl_run *run, const struct pgl_rel *rel)
{
    struct pgl_table *t;

    if (pgl_table_find(run, rel->key))
        return;
    t = pgl_alloc(run, sizeof(*t));
    t->key = pgl_strdup(run, rel->key);
    t->shown = pgl_strdup(run, rel->shown);
    pgl_vec_push(run, &run->tables, t);
}

const struct pgl_table *pgl_table_find(struct pgl_run *run, const char *key)
{
    for (size_t i = 0; i < run->tables.n; i++) {
        const struct pgl_table *t = run->tables.items[i];

        if (same(t->key, key))
            return t;
    }
    return NULL;
}

struct pgl_column *pgl_column_find(struct pgl_run *run, const char *table,
                                   const char *name)
{
    for (size_t i = 0; i < run->columns.n; i++) {
        struct pgl_column *c = run->columns.items[i];

        if (same(c->table, table) && same(c->name, name))
            return c;
    }
    return NULL;
}

void pgl_column_set(struct pgl_run *run, const char *table,
                    const char *name, const struct mgr_json *typ,
                    bool added)
{
    struct pgl_column *c = pgl_column_find(run, table, name);

    if (!name)
        return;
    if (!c) {
        c = pgl_alloc(run, sizeof(*c));
        c->table = pgl_strdup(run, table);
        c->name = pgl_strdup(run, name);
        pgl_vec_push(run, &run->columns, c);
    }
    run->api->free(c->base);
    c->base = pgl_strdup(run, pgl_type_base(typ));
    c->nmods = pgl_type_mods(typ, c->mods);
    c->added = c->added || added;
}

/* ---- indexes ------------------------------------------------------------- */

struct pgl_index *pgl_index_add(struct pgl_run *run, const char *table,
                                const char *key, const char *const *cols,
                                size_t ncols)
{
    struct pgl_index *x = pgl_alloc(run, sizeof(*x));

    x->table = pgl_strdup(run, table);
    x->key = pgl_strdup(run, key);
    x->cols = pgl_alloc(run, (ncols ? ncols : 1) * sizeof(*x->cols));
    x->ncols = ncols;
    for (size_t i = 0; i < ncols; i++)
        x->cols[i] = pgl_strdup(run, cols[i]);
    pgl_vec_push(run, &run->indexes, x);
    return x;
}

struct pgl_index *pgl_index_find(struct pgl_run *run, const char *key)
{
    for (size_t i = 0; key && i < run->indexes.n; i++) {
        struct pgl_index *x = run->indexes.items[i];

        if (same(x->key, key))
            return x;
    }
    return NULL;
}

/* ---- constraints and foreign keys ---------------------------------------- */

struct pgl_con *pgl_con_add(struct pgl_run *run, const char *table,
                            const char *name)
{
    struct pgl_con *c = pgl_alloc(run, sizeof(*c));

    c->table = pgl_strdup(run, table);
    c->name = pgl_strdup(run, name);
    c->stmt = run->stmt;
    pgl_vec_push(run, &run->cons, c);
    return c;
}

struct pgl_con *pgl_con_find(struct pgl_run *run, const char *table,
                             const char *name)
{
    /* The latest one: a name may come back after a drop. */
    for (size_t i = run->cons.n; i-- > 0;) {
        struct pgl_con *c = run->cons.items[i];

        if (same(c->table, table) && same(c->name, name))
            return c;
    }
    return NULL;
}

/* Whether a column of f was added by the run (its table existed). */
static bool fk_has_new_column(struct pgl_run *run, const struct pgl_fk *f)
{
    for (size_t i = 0; i < f->ncols; i++) {
        struct pgl_column *c = pgl_column_find(run, f->table, f->cols[i]);

        if (c && c->added)
            return true;
    }
    return false;
}

struct pgl_fk *pgl_fk_add(struct pgl_stmt *s, const struct pgl_rel *rel,
                          const char *const *cols, size_t ncols,
                          const struct pgl_rel *ref)
{
    struct pgl_run *run = s->run;
    struct pgl_fk *f = pgl_alloc(run, sizeof(*f));

    f->table = pgl_strdup(run, rel->key);
    f->shown = pgl_strdup(run, rel->shown);
    f->ref = pgl_strdup(run, ref->key);
    f->ref_shown = pgl_strdup(run, ref->shown);
    f->cols = pgl_alloc(run, (ncols ? ncols : 1) * sizeof(*f->cols));
    f->ncols = ncols;
    for (size_t i = 0; i < ncols; i++)
        f->cols[i] = pgl_strdup(run, cols[i]);
    f->st = s->st;
    f->needs_index = rel->is_new || fk_has_new_column(run, f);
    pgl_vec_push(run, &run->fks, f);
    return f;
}
