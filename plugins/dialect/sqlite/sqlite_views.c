/*
 * sqlite_views.c: the views along a list of changes, for render.
 *
 * A table rebuild drops the views that use the table (SQLite's ALTER
 * TABLE RENAME checks every view, and fails on one naming a table that
 * is gone) and makes them again as they are after the list; so does a
 * RENAME COLUMN under views over views (sqr_remakes_views). So a later
 * CREATE/REPLACE/DROP VIEW of the list may find its work done: which
 * views exist at change i, and with which definition, is found by going
 * through the list from from_schema up to i (views_at).
 *
 * "Uses" is judged by words: a view uses a table when an identifier of
 * its SELECT is the table's name. A view dropped and made again for
 * nothing costs nothing; one missed would stop the rebuild.
 */
#include "autoconfig.h"

#include <string.h>

#include "sqlite.h"
#include "sqlite_render.h"

static int same_schema(const char *a, const char *b)
{
    return sq_name_eq(a ? a : "", b ? b : "");
}

static struct sqr_view *find_view(const struct sqr_views *vs,
                                  const char *schema, const char *name)
{
    for (size_t k = 0; k < vs->n; k++)
        if (same_schema(vs->v[k].schema, schema) &&
            sq_name_eq(vs->v[k].name, name))
            return &vs->v[k];
    return NULL;
}

/* Room for it is there: views_at() counts one per change. */
static void set_view(struct sqr_views *vs, const struct mgr_object *obj,
                     const struct mgr_object *def)
{
    struct sqr_view *v = find_view(vs, obj->schema, obj->name);

    if (!v) {
        v = &vs->v[vs->n++];
        v->schema = obj->schema;
        v->name = obj->name;
    }
    v->def = def;
}

static int names_any(const char *text, const char *const *names,
                     size_t nnames)
{
    for (size_t k = 0; k < nnames; k++)
        if (names[k] && sq_text_mentions(text, names[k]))
            return 1;
    return 0;
}

/* Set marks[k] (one per view of vs) for each existing view that names
 * one of names[0..nnames), then for those that name a marked view, and
 * so on: what must be dropped before those tables go. */
static void views_using(const struct sqr_views *vs, const char *const *names,
                        size_t nnames, unsigned char *marks)
{
    int more = 1;

    for (size_t k = 0; k < vs->n; k++)
        if (vs->v[k].def && names_any(vs->v[k].def->expr, names, nnames))
            marks[k] = 1;
    /* Then the views over those views, until none is added. */
    while (more) {
        more = 0;
        for (size_t k = 0; k < vs->n; k++) {
            if (marks[k] || !vs->v[k].def)
                continue;
            for (size_t m = 0; m < vs->n && !marks[k]; m++)
                if (marks[m] &&
                    sq_text_mentions(vs->v[k].def->expr, vs->v[m].name))
                    marks[k] = more = 1;
        }
    }
}

/* The definition of view (schema, name) after the list, or NULL. */
static const struct mgr_object *view_after(const struct sq_render *r,
                                           const char *schema,
                                           const char *name)
{
    const struct mgr_schema *s = r->changes[0]->to_schema;

    for (size_t k = 0; s && k < s->nviews; k++)
        if (same_schema(s->views[k]->schema, schema) &&
            sq_name_eq(s->views[k]->name, name))
            return s->views[k];
    return NULL;
}

/* The names the table of the rebuild at changes[j] has had: before the
 * list, at the rebuild, after the list. SQLite rewrites a view when its
 * table is renamed, which the list does not show. */
static void table_names(const struct sq_render *r, size_t j,
                        const char *names[3])
{
    const struct mgr_change *ch = r->changes[j];
    const char *schema;

    sqr_table_of(ch, &schema, &names[2]);
    names[0] = ch->from_table && ch->from_table->obj
                   ? ch->from_table->obj->name
                   : NULL;
    names[1] = sqr_name_at(r, j);
}

/* Mark the views of vs that use the table of changes[j]; marks has
 * room for them all. */
static unsigned char *using_table(struct sq_render *r, size_t j,
                                  const struct sqr_views *vs)
{
    unsigned char *marks = r->api->alloc(vs->n + 1);
    const char *names[3];

    memset(marks, 0, vs->n + 1);
    table_names(r, j, names);
    views_using(vs, names, 3, marks);
    return marks;
}

/* Whether view def uses a view that uses one of names: of the views
 * before the list (from_schema) and those the list makes. */
static int over_a_user(const struct sq_render *r, const char *const *names,
                       const struct mgr_object *def)
{
    const struct mgr_schema *from = r->changes[0]->from_schema;

    for (size_t k = 0; from && k < from->nviews; k++)
        if (names_any(from->views[k]->expr, names, 3) &&
            sq_text_mentions(def->expr, from->views[k]->name))
            return 1;
    for (size_t j = 0; j < r->n; j++) {
        const struct mgr_change *ch = r->changes[j];

        if ((ch->kind == MGR_CHANGE_CREATE_VIEW ||
             ch->kind == MGR_CHANGE_REPLACE_VIEW) &&
            names_any(ch->to->expr, names, 3) &&
            sq_text_mentions(def->expr, ch->to->name))
            return 1;
    }
    return 0;
}

int sqr_views_nested(const struct sq_render *r, size_t j)
{
    const struct mgr_schema *from = r->changes[0]->from_schema;
    const char *names[3];

    table_names(r, j, names);
    for (size_t k = 0; from && k < from->nviews; k++)
        if (over_a_user(r, names, from->views[k]))
            return 1;
    for (size_t k = 0; k < r->n; k++) {
        const struct mgr_change *ch = r->changes[k];

        if ((ch->kind == MGR_CHANGE_CREATE_VIEW ||
             ch->kind == MGR_CHANGE_REPLACE_VIEW) &&
            over_a_user(r, names, ch->to))
            return 1;
    }
    return 0;
}

/* What changes[j] does to vs when it makes the views of its table again:
 * they are dropped, and made again when they exist after the list. */
static void apply_remake(struct sq_render *r, size_t j,
                         struct sqr_views *vs)
{
    unsigned char *marks = using_table(r, j, vs);

    for (size_t k = 0; k < vs->n; k++)
        if (marks[k])
            vs->v[k].def = view_after(r, vs->v[k].schema, vs->v[k].name);
    r->api->free(marks);
}

/* The views just before changes[i]: from_schema's, then what each
 * change before i did to them. Release with views_release(). */
static void views_at(struct sq_render *r, size_t i, struct sqr_views *vs)
{
    const struct mgr_schema *from = r->changes[i]->from_schema;
    size_t nfrom = from ? from->nviews : 0;

    vs->v = r->api->alloc((nfrom + i + 1) * sizeof(*vs->v));
    vs->n = 0;
    for (size_t k = 0; k < nfrom; k++)
        set_view(vs, from->views[k], from->views[k]);
    for (size_t j = 0; j < i; j++) {
        const struct mgr_change *ch = r->changes[j];

        if (ch->kind == MGR_CHANGE_CREATE_VIEW ||
            ch->kind == MGR_CHANGE_REPLACE_VIEW)
            set_view(vs, ch->to, ch->to);
        else if (ch->kind == MGR_CHANGE_DROP_VIEW)
            set_view(vs, ch->from, NULL);
        else if (sqr_remakes_views(r, j))
            apply_remake(r, j, vs);
    }
}

static void views_release(struct sq_render *r, struct sqr_views *vs)
{
    r->api->free(vs->v);
    vs->v = NULL;
    vs->n = 0;
}

/* Whether the marked view k must wait for another marked view that is
 * still to be made and that its definition def uses. */
static int waits(const struct sq_render *r, const struct sqr_views *vs,
                 const unsigned char *marks, const unsigned char *made,
                 size_t k, const struct mgr_object *def)
{
    for (size_t m = 0; m < vs->n; m++)
        if (m != k && marks[m] && !made[m] &&
            view_after(r, vs->v[m].schema, vs->v[m].name) &&
            sq_text_mentions(def->expr, vs->v[m].name))
            return 1;
    return 0;
}

/* One round: make each marked view whose views are made; 1 when one
 * was. With force, make them all (a loop cannot be in SQL that worked,
 * but never stop without them). */
static int recreate_round(struct sq_render *r, const struct sqr_views *vs,
                          const unsigned char *marks, unsigned char *made,
                          int force)
{
    int any = 0;

    for (size_t k = 0; k < vs->n; k++) {
        const struct mgr_object *def;

        if (!marks[k] || made[k])
            continue;
        def = view_after(r, vs->v[k].schema, vs->v[k].name);
        if (def && !force && waits(r, vs, marks, made, k, def))
            continue;
        if (def)
            ddl_create_view(&r->ddl, def, r->out);
        made[k] = 1;
        any = 1;
    }
    return any;
}

static void drop_view(struct sq_render *r, const char *schema,
                      const char *name)
{
    sqr_add(r, "DROP VIEW ");
    sqr_qualified(r, schema, name);
    sqr_add(r, ";\n");
}

void sqr_views_detach(struct sq_render *r, size_t i, struct sqr_detached *d)
{
    views_at(r, i, &d->vs);
    d->marks = using_table(r, i, &d->vs);
    for (size_t k = 0; k < d->vs.n; k++)
        if (d->marks[k])
            drop_view(r, d->vs.v[k].schema, d->vs.v[k].name);
}

void sqr_views_reattach(struct sq_render *r, struct sqr_detached *d)
{
    unsigned char *made = r->api->alloc(d->vs.n + 1);

    memset(made, 0, d->vs.n + 1);
    while (recreate_round(r, &d->vs, d->marks, made, 0))
        ;
    recreate_round(r, &d->vs, d->marks, made, 1);
    r->api->free(made);
    r->api->free(d->marks);
    views_release(r, &d->vs);
}

/* ---- CREATE, REPLACE and DROP VIEW ---------------------------------- */

static void note(struct sq_render *r, const char *what,
                 const struct mgr_object *v)
{
    struct mgr_buf text;

    r->api->buf_init(&text, 0);
    r->api->buf_addf(&text, "view %s was %s above", v->name, what);
    ddl_comment(&r->ddl, text.buf, r->out);
    r->api->buf_release(&text);
}

static int same_definition(const struct mgr_object *a,
                           const struct mgr_object *b)
{
    return a == b ||
           (a && b && a->expr && b->expr && strcmp(a->expr, b->expr) == 0);
}

int sqr_view_change(struct sq_render *r, size_t i)
{
    const struct mgr_change *ch = r->changes[i];
    const struct mgr_object *v =
        ch->kind == MGR_CHANGE_DROP_VIEW ? ch->from : ch->to;
    struct sqr_views vs;
    struct sqr_view *now;
    int exists;

    views_at(r, i, &vs);
    now = find_view(&vs, v->schema, v->name);
    /* A view the list does not know of: as the change says. */
    exists = now ? now->def != NULL : ch->kind != MGR_CHANGE_CREATE_VIEW;
    if (ch->kind == MGR_CHANGE_DROP_VIEW) {
        if (exists)
            drop_view(r, v->schema, v->name);
        else
            note(r, "dropped", v);
    } else if (exists && now && same_definition(now->def, ch->to)) {
        note(r, "made again", v);
    } else {
        if (exists)
            drop_view(r, v->schema, v->name);
        ddl_create_view(&r->ddl, ch->to, r->out);
    }
    views_release(r, &vs);
    return MGR_OK;
}
