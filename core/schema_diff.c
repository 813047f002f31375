/*
 * schema_diff.c: the steps from one finished schema to another, in the
 * order schema_diff.h gives, with notes on what they do to data and
 * hints where a drop and an add may be a rename.
 *
 * Tables match by (schema, name), columns by name, constraints and
 * indexes by schema_key(), enums, sequences and views by (schema,
 * name). Each phase walks the model's lists, which are in a
 * deterministic order, so two schemas always give the same steps.
 * schema_object_equal() says whether a matched pair changed; the field
 * comparisons below only say what changed.
 */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "schema_diff.h"
#include "schema_diff_internal.h"
#include "util.h"

#define NONE ((size_t)-1)

#define IDENTITY_FLAGS                                                  \
    (MGR_OBJ_IDENTITY_ALWAYS | MGR_OBJ_IDENTITY_DEFAULT |               \
     MGR_OBJ_AUTOINCREMENT)

/* A table both schemas have. */
struct table_pair {
    const struct mgr_table *from;
    const struct mgr_table *to;
};

/* The tables only one schema has, and the order to create them in. */
struct table_set {
    const struct mgr_table **tables; /* in model order: by name */
    size_t n;
    size_t *order; /* indexes into tables, referred tables first */
    size_t *pos;   /* pos[i]: where tables[i] is in order */
};

struct builder {
    const struct mgr_schema *from;
    const struct mgr_schema *to;
    struct table_pair *kept;
    size_t nkept;
    struct table_set created; /* only in to, with to's foreign keys */
    struct table_set dropped; /* only in from, with from's */
    struct schema_step *steps;
    size_t n;
    size_t alloc;
};

/* ---- matching -------------------------------------------------------- */

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

/* Exact equality of two texts that are not SQL (names, comments, enum
 * values), where case and blanks matter. */
static bool same_string(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

static bool same_qualified_name(const struct mgr_object *a,
                                const struct mgr_object *b)
{
    return strcmp(or_empty(a->schema), or_empty(b->schema)) == 0 &&
           same_string(a->name, b->name);
}

/* The object of list with obj's schema and name, or NULL. */
static const struct mgr_object *find_named(const struct mgr_object *const *list,
                                           size_t n,
                                           const struct mgr_object *obj)
{
    for (size_t i = 0; i < n; i++)
        if (same_qualified_name(list[i], obj))
            return list[i];
    return NULL;
}

static const struct mgr_object *find_column(const struct mgr_table *t,
                                            const char *name)
{
    for (size_t i = 0; i < t->ncolumns; i++)
        if (same_string(t->columns[i]->name, name))
            return t->columns[i];
    return NULL;
}

/* The constraint or index of list whose key is key, or NULL. */
static const struct mgr_object *find_keyed(const struct mgr_object *const *list,
                                           size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (same_string(schema_key(list[i]), key))
            return list[i];
    return NULL;
}

static bool same_strings(const char *const *a, const char *const *b,
                         size_t n, bool sql)
{
    for (size_t i = 0; i < n; i++) {
        const char *x = a ? a[i] : NULL, *y = b ? b[i] : NULL;

        if (sql ? !schema_text_equal(x, y) : !same_string(x, y))
            return false;
    }
    return true;
}

/*
 * Whether a constraint, an index or a view, matched by key or name, is
 * defined the same way, its comment and name aside. This only sorts out
 * a change that schema_object_equal() found: a new comment alone is a
 * SET_COMMENT, not a rebuild. (The model's comparison cannot be asked
 * about a copy with the comment swapped: it finds keys through the
 * object's address.)
 */
static bool same_definition(const struct mgr_object *a,
                            const struct mgr_object *b)
{
    bool sql_items = a->kind == MGR_OBJ_INDEX;

    return a->kind == b->kind &&
           (a->flags & ~MGR_OBJ_AUTONAME) == (b->flags & ~MGR_OBJ_AUTONAME) &&
           schema_text_equal(a->type, b->type) &&
           schema_text_equal(a->expr, b->expr) &&
           schema_text_equal(a->collation, b->collation) &&
           schema_text_equal(a->method ? a->method : "btree",
                             b->method ? b->method : "btree") &&
           a->nitems == b->nitems &&
           same_strings(a->items, b->items, a->nitems, sql_items) &&
           strcmp(or_empty(a->ref_schema), or_empty(b->ref_schema)) == 0 &&
           same_string(a->ref_table, b->ref_table) &&
           same_strings(a->ref_columns, b->ref_columns, a->nitems, false) &&
           schema_text_equal(a->on_delete, b->on_delete) &&
           schema_text_equal(a->on_update, b->on_update);
}

/* Of two matched objects that differ, only the comment does. */
static bool only_comment_differs(const struct mgr_object *a,
                                 const struct mgr_object *b)
{
    return !same_string(a->comment, b->comment) && same_definition(a, b);
}

static bool comment_changed(const struct mgr_object *a,
                            const struct mgr_object *b)
{
    return !schema_object_equal(a, b) && !same_string(a->comment, b->comment);
}

/* ---- steps ----------------------------------------------------------- */

/* The table obj is or belongs to, in s; NULL for enums, sequences and
 * views, and where s has no such table. */
static const struct mgr_table *table_of(const struct mgr_schema *s,
                                        const struct mgr_object *obj)
{
    if (!obj)
        return NULL;
    if (obj->kind == MGR_OBJ_TABLE)
        return schema_find_table(s, or_empty(obj->schema), obj->name);
    if (obj->table)
        return schema_find_table(s, or_empty(obj->schema), obj->table);
    return NULL;
}

static void fill_change(const struct builder *b, struct mgr_change *c,
                        enum mgr_change_kind kind,
                        const struct mgr_object *from,
                        const struct mgr_object *to)
{
    memset(c, 0, sizeof(*c));
    c->size = sizeof(*c);
    c->kind = kind;
    c->from = from;
    c->to = to;
    /* A rename has a name on each side; anything else the same one. */
    c->from_table = table_of(b->from, from ? from : to);
    c->to_table = table_of(b->to, to ? to : from);
    c->from_schema = b->from;
    c->to_schema = b->to;
}

/* Append a step. The change is valid until the next push. */
static struct mgr_change *push(struct builder *b, enum mgr_change_kind kind,
                               const struct mgr_object *from,
                               const struct mgr_object *to)
{
    struct schema_step *step;

    if (b->n == b->alloc) {
        b->alloc = b->alloc ? 2 * b->alloc : 16;
        b->steps = xreallocarray(b->steps, b->alloc, sizeof(*b->steps));
    }
    step = &b->steps[b->n++];
    memset(step, 0, sizeof(*step));
    fill_change(b, &step->change, kind, from, to);
    return &step->change;
}

/* ---- which tables are new, gone or kept ------------------------------ */

static void collect_tables(struct builder *b)
{
    const struct mgr_schema *from = b->from, *to = b->to;

    b->kept = xcalloc(to->ntables + 1, sizeof(*b->kept));
    b->created.tables = xcalloc(to->ntables + 1, sizeof(void *));
    b->dropped.tables = xcalloc(from->ntables + 1, sizeof(void *));
    for (size_t i = 0; i < to->ntables; i++) {
        const struct mgr_table *tt = to->tables[i];
        const struct mgr_table *ft = table_of(from, tt->obj);

        if (ft) {
            b->kept[b->nkept].from = ft;
            b->kept[b->nkept++].to = tt;
        } else {
            b->created.tables[b->created.n++] = tt;
        }
    }
    for (size_t i = 0; i < from->ntables; i++)
        if (!table_of(to, from->tables[i]->obj))
            b->dropped.tables[b->dropped.n++] = from->tables[i];
}

/* ---- the order of creates and drops ---------------------------------- */

/*
 * The tables of a set form a graph whose edges are their foreign keys to
 * other tables of the set. Tarjan's algorithm finishes a strongly
 * connected component only after every component it refers to, which is
 * the order to create them in; a component of more than one table is a
 * cycle, whose tables go in name order. The walk recurses as deep as
 * the longest chain of foreign keys among new (or dropped) tables.
 */

/* The index in set of the table that obj, a constraint of
 * set->tables[v], refers to; NONE if it is no foreign key, refers to v
 * itself or to a table outside set. */
static size_t referred_index(const struct table_set *set, size_t v,
                             const struct mgr_object *obj)
{
    if (obj->kind != MGR_OBJ_FOREIGN_KEY)
        return NONE;
    for (size_t i = 0; i < set->n; i++) {
        const struct mgr_object *t = set->tables[i]->obj;

        if (strcmp(or_empty(obj->ref_schema), or_empty(t->schema)) == 0 &&
            same_string(obj->ref_table, t->name))
            return i == v ? NONE : i;
    }
    return NONE;
}

struct scc_walk {
    struct table_set *set;
    size_t *visit;   /* 1-based visit number; 0: not yet visited */
    size_t *low;     /* lowest visit number reachable on the stack */
    bool *on_stack;
    size_t *stack;
    size_t depth;
    size_t visits;
    size_t norder;
};

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;

    return x < y ? -1 : x > y;
}

/* Pop v's component into the order, in name order (the set's). */
static void scc_emit(struct scc_walk *w, size_t v)
{
    size_t first = w->norder;
    size_t u;

    do {
        u = w->stack[--w->depth];
        w->on_stack[u] = false;
        w->set->order[w->norder++] = u;
    } while (u != v);
    qsort(&w->set->order[first], w->norder - first, sizeof(size_t),
          cmp_size);
}

static void scc_visit(struct scc_walk *w, size_t v)
{
    const struct mgr_table *t = w->set->tables[v];

    w->visit[v] = w->low[v] = ++w->visits;
    w->stack[w->depth++] = v;
    w->on_stack[v] = true;
    for (size_t i = 0; i < t->nconstraints; i++) {
        size_t r = referred_index(w->set, v, t->constraints[i]);

        if (r == NONE)
            continue;
        if (!w->visit[r]) {
            scc_visit(w, r);
            if (w->low[r] < w->low[v])
                w->low[v] = w->low[r];
        } else if (w->on_stack[r] && w->visit[r] < w->low[v]) {
            w->low[v] = w->visit[r];
        }
    }
    if (w->low[v] == w->visit[v])
        scc_emit(w, v);
}

static void order_tables(struct table_set *set)
{
    size_t n = set->n + 1;
    struct scc_walk w = {
        .set = set,
        .visit = xcalloc(n, sizeof(size_t)),
        .low = xcalloc(n, sizeof(size_t)),
        .on_stack = xcalloc(n, sizeof(bool)),
        .stack = xcalloc(n, sizeof(size_t)),
    };

    set->order = xcalloc(n, sizeof(size_t));
    set->pos = xcalloc(n, sizeof(size_t));
    for (size_t v = 0; v < set->n; v++)
        if (!w.visit[v])
            scc_visit(&w, v);
    for (size_t k = 0; k < set->n; k++)
        set->pos[set->order[k]] = k;
    free(w.visit);
    free(w.low);
    free(w.on_stack);
    free(w.stack);
}

static void table_set_release(struct table_set *set)
{
    free(set->tables);
    free(set->order);
    free(set->pos);
}

/* Whether fk, of set->tables[v], refers to a table of the set that
 * comes after v in the order: created later, or (reversed) dropped
 * earlier. */
static bool refers_later(const struct table_set *set, size_t v,
                         const struct mgr_object *fk)
{
    size_t r = referred_index(set, v, fk);

    return r != NONE && set->pos[r] > set->pos[v];
}

/* A key a foreign key can refer to: PRIMARY KEY, UNIQUE, or a unique
 * index on plain columns without WHERE. */
static bool is_unique_key(const struct mgr_object *k)
{
    if (k->kind == MGR_OBJ_PRIMARY_KEY || k->kind == MGR_OBJ_UNIQUE)
        return true;
    return k->kind == MGR_OBJ_INDEX && (k->flags & MGR_OBJ_UNIQUE_INDEX) &&
           !k->expr;
}

static bool has_item(const struct mgr_object *k, const char *name)
{
    for (size_t i = 0; i < k->nitems; i++)
        if (same_string(k->items[i], name))
            return true;
    return false;
}

/* Whether the columns of key k are those fk refers to, in any order. */
static bool key_matches(const struct mgr_object *k,
                        const struct mgr_object *fk)
{
    if (!fk->ref_columns || k->nitems != fk->nitems)
        return false;
    for (size_t i = 0; i < fk->nitems; i++)
        if (!has_item(k, fk->ref_columns[i]))
            return false;
    return true;
}

/* Whether keys (of the referred table in to) hold a key fk refers to
 * that before (the table's list in from) has unchanged. */
static bool has_kept_key(const struct mgr_object *const *keys, size_t nkeys,
                         const struct mgr_object *const *before,
                         size_t nbefore, const struct mgr_object *fk)
{
    for (size_t i = 0; i < nkeys; i++) {
        const struct mgr_object *old;

        if (!is_unique_key(keys[i]) || !key_matches(keys[i], fk))
            continue;
        old = find_keyed(before, nbefore, schema_key(keys[i]));
        if (old && schema_object_equal(old, keys[i]))
            return true;
    }
    return false;
}

/*
 * Whether what fk (of a new table) refers to is there when tables are
 * created: a new table is (the create order sees to it); a kept table
 * is when it had the referred key before, unchanged. A key or column
 * this diff adds comes only after the creates.
 */
static bool referred_key_ready(const struct builder *b,
                               const struct mgr_object *fk)
{
    const char *schema = or_empty(fk->ref_schema);
    const struct mgr_table *ft = schema_find_table(b->from, schema,
                                                   fk->ref_table);
    const struct mgr_table *tt = schema_find_table(b->to, schema,
                                                   fk->ref_table);

    if (!ft || !tt)
        return true;
    return has_kept_key(tt->constraints, tt->nconstraints, ft->constraints,
                        ft->nconstraints, fk) ||
           has_kept_key(tt->indexes, tt->nindexes, ft->indexes,
                        ft->nindexes, fk);
}

/* A foreign key of a new table that also comes as an ADD_CONSTRAINT
 * after the creates (see schema_diff.h). */
static bool is_deferred_fk(const struct builder *b, size_t v,
                           const struct mgr_object *obj)
{
    return obj->kind == MGR_OBJ_FOREIGN_KEY &&
           (refers_later(&b->created, v, obj) ||
            !referred_key_ready(b, obj));
}

/* ---- the phases ------------------------------------------------------ */

/* kind for each object of now that before lacks. */
static void emit_new(struct builder *b, enum mgr_change_kind kind,
                     const struct mgr_object *const *now, size_t nnow,
                     const struct mgr_object *const *before, size_t nbefore)
{
    for (size_t i = 0; i < nnow; i++)
        if (!find_named(before, nbefore, now[i]))
            push(b, kind, NULL, now[i]);
}

/* kind for each object of before that now lacks. */
static void emit_gone(struct builder *b, enum mgr_change_kind kind,
                      const struct mgr_object *const *before, size_t nbefore,
                      const struct mgr_object *const *now, size_t nnow)
{
    for (size_t i = 0; i < nbefore; i++)
        if (!find_named(now, nnow, before[i]))
            push(b, kind, before[i], NULL);
}

/* Whether the values of a are those of b, in the same order, with
 * perhaps more in between. */
static bool values_kept_in_order(const struct mgr_object *a,
                                 const struct mgr_object *b)
{
    size_t j = 0;

    for (size_t i = 0; i < b->nitems && j < a->nitems; i++)
        if (same_string(a->items[j], b->items[i]))
            j++;
    return j == a->nitems;
}

/* ADD_ENUM_VALUE for each value of now that old lacks, in order, so a
 * dialect can put each after the one before it; else REPLACE_ENUM. */
static void emit_enum_change(struct builder *b, const struct mgr_object *old,
                             const struct mgr_object *now)
{
    size_t j = 0;

    if (!values_kept_in_order(old, now)) {
        push(b, MGR_CHANGE_REPLACE_ENUM, old, now);
        return;
    }
    for (size_t i = 0; i < now->nitems; i++) {
        if (j < old->nitems && same_string(old->items[j], now->items[i]))
            j++;
        else
            push(b, MGR_CHANGE_ADD_ENUM_VALUE, old, now)->value_index = i;
    }
}

static void emit_enum_changes(struct builder *b)
{
    const struct mgr_schema *from = b->from, *to = b->to;

    for (size_t i = 0; i < to->nenums; i++) {
        const struct mgr_object *old = find_named(from->enums, from->nenums,
                                                  to->enums[i]);

        if (old && !schema_object_equal(old, to->enums[i]))
            emit_enum_change(b, old, to->enums[i]);
    }
}

static void emit_sequence_changes(struct builder *b)
{
    const struct mgr_schema *from = b->from, *to = b->to;

    for (size_t i = 0; i < to->nsequences; i++) {
        const struct mgr_object *now = to->sequences[i];
        const struct mgr_object *old = find_named(
            from->sequences, from->nsequences, now);

        if (old && !schema_object_equal(old, now))
            push(b, MGR_CHANGE_ALTER_SEQUENCE, old, now);
    }
}

/* Which constraints and indexes a pass of the phases handles. */
enum part_class { FOREIGN_KEYS, INDEXES, OTHER_CONSTRAINTS };

static bool in_class(const struct mgr_object *obj, enum part_class class)
{
    switch (class) {
    case FOREIGN_KEYS:
        return obj->kind == MGR_OBJ_FOREIGN_KEY;
    case INDEXES:
        return obj->kind == MGR_OBJ_INDEX;
    default:
        return obj->kind != MGR_OBJ_FOREIGN_KEY && obj->kind != MGR_OBJ_INDEX;
    }
}

/* A constraint or index that changed in more than its comment goes and
 * comes back. */
static bool part_rebuilt(const struct mgr_object *old,
                         const struct mgr_object *now)
{
    return !schema_object_equal(old, now) && !only_comment_differs(old, now);
}

/* The constraints (or the indexes) of a kept table, before and now. */
static void emit_part_drops(struct builder *b,
                            const struct mgr_object *const *before,
                            size_t nbefore,
                            const struct mgr_object *const *now, size_t nnow,
                            enum part_class class)
{
    for (size_t i = 0; i < nbefore; i++) {
        const struct mgr_object *old = before[i], *match;

        if (!in_class(old, class))
            continue;
        match = find_keyed(now, nnow, schema_key(old));
        if (!match || part_rebuilt(old, match))
            push(b, old->kind == MGR_OBJ_INDEX ? MGR_CHANGE_DROP_INDEX
                                               : MGR_CHANGE_DROP_CONSTRAINT,
                 old, NULL);
    }
}

static void emit_part_adds(struct builder *b,
                           const struct mgr_object *const *before,
                           size_t nbefore,
                           const struct mgr_object *const *now, size_t nnow,
                           enum part_class class)
{
    for (size_t i = 0; i < nnow; i++) {
        const struct mgr_object *obj = now[i], *match;

        if (!in_class(obj, class))
            continue;
        match = find_keyed(before, nbefore, schema_key(obj));
        if (!match || part_rebuilt(match, obj))
            push(b, obj->kind == MGR_OBJ_INDEX ? MGR_CHANGE_CREATE_INDEX
                                               : MGR_CHANGE_ADD_CONSTRAINT,
                 NULL, obj);
    }
}

static void emit_kept_part_drops(struct builder *b, enum part_class class)
{
    for (size_t i = 0; i < b->nkept; i++) {
        const struct mgr_table *ft = b->kept[i].from, *tt = b->kept[i].to;

        if (class == INDEXES)
            emit_part_drops(b, ft->indexes, ft->nindexes, tt->indexes,
                            tt->nindexes, class);
        else
            emit_part_drops(b, ft->constraints, ft->nconstraints,
                            tt->constraints, tt->nconstraints, class);
    }
}

static void emit_kept_part_adds(struct builder *b, enum part_class class)
{
    for (size_t i = 0; i < b->nkept; i++) {
        const struct mgr_table *ft = b->kept[i].from, *tt = b->kept[i].to;

        if (class == INDEXES)
            emit_part_adds(b, ft->indexes, ft->nindexes, tt->indexes,
                           tt->nindexes, class);
        else
            emit_part_adds(b, ft->constraints, ft->nconstraints,
                           tt->constraints, tt->nconstraints, class);
    }
}

/* Whether fk (of a table to drop) uses a key of a kept table that this
 * diff drops or rebuilds: the key goes before the table does, and the
 * database refuses to drop a key a foreign key still uses. */
static bool refers_to_changing_key(const struct builder *b,
                                   const struct mgr_object *fk)
{
    const char *schema = or_empty(fk->ref_schema);

    return fk->kind == MGR_OBJ_FOREIGN_KEY &&
           schema_find_table(b->from, schema, fk->ref_table) &&
           schema_find_table(b->to, schema, fk->ref_table) &&
           !referred_key_ready(b, fk);
}

/* Foreign keys of tables to drop that point to a table dropped earlier,
 * or to a key of a kept table that is dropped: without them first, that
 * drop would fail. */
static void emit_blocking_fk_drops(struct builder *b)
{
    const struct table_set *set = &b->dropped;

    for (size_t k = set->n; k-- > 0;) {
        size_t v = set->order[k];
        const struct mgr_table *t = set->tables[v];

        for (size_t i = 0; i < t->nconstraints; i++)
            if (refers_later(set, v, t->constraints[i]) ||
                refers_to_changing_key(b, t->constraints[i]))
                push(b, MGR_CHANGE_DROP_CONSTRAINT, t->constraints[i], NULL);
    }
}

static void emit_column_drops(struct builder *b)
{
    for (size_t i = 0; i < b->nkept; i++) {
        const struct mgr_table *ft = b->kept[i].from, *tt = b->kept[i].to;

        for (size_t c = 0; c < ft->ncolumns; c++)
            if (!find_column(tt, ft->columns[c]->name))
                push(b, MGR_CHANGE_DROP_COLUMN, ft->columns[c], NULL);
    }
}

static void emit_table_creates(struct builder *b)
{
    for (size_t k = 0; k < b->created.n; k++)
        push(b, MGR_CHANGE_CREATE_TABLE, NULL,
             b->created.tables[b->created.order[k]]->obj);
}

/* The MGR_ALTER_* bits of what differs between two versions of a
 * column. */
static unsigned column_alter(const struct mgr_object *old,
                             const struct mgr_object *now)
{
    unsigned alter = 0;

    if (!schema_text_equal(old->type, now->type))
        alter |= MGR_ALTER_TYPE;
    if ((old->flags ^ now->flags) & MGR_OBJ_NOT_NULL)
        alter |= MGR_ALTER_NULLABLE;
    if (!schema_text_equal(old->expr, now->expr))
        alter |= MGR_ALTER_DEFAULT;
    if (!schema_text_equal(old->collation, now->collation))
        alter |= MGR_ALTER_COLLATION;
    if ((old->flags ^ now->flags) & IDENTITY_FLAGS)
        alter |= MGR_ALTER_IDENTITY;
    return alter;
}

static void emit_column_adds_and_alters(struct builder *b,
                                        const struct table_pair *pair)
{
    const struct mgr_table *ft = pair->from, *tt = pair->to;

    for (size_t c = 0; c < tt->ncolumns; c++)
        if (!find_column(ft, tt->columns[c]->name))
            push(b, MGR_CHANGE_ADD_COLUMN, NULL, tt->columns[c]);
    for (size_t c = 0; c < tt->ncolumns; c++) {
        const struct mgr_object *now = tt->columns[c];
        const struct mgr_object *old = find_column(ft, now->name);
        unsigned alter;

        if (!old || schema_object_equal(old, now))
            continue;
        alter = column_alter(old, now);
        if (alter)
            push(b, MGR_CHANGE_ALTER_COLUMN, old, now)->alter = alter;
    }
}

static void emit_fk_adds(struct builder *b)
{
    const struct table_set *set = &b->created;

    emit_kept_part_adds(b, FOREIGN_KEYS);
    for (size_t k = 0; k < set->n; k++) {
        size_t v = set->order[k];
        const struct mgr_table *t = set->tables[v];

        for (size_t i = 0; i < t->nconstraints; i++)
            if (is_deferred_fk(b, v, t->constraints[i]))
                push(b, MGR_CHANGE_ADD_CONSTRAINT, NULL, t->constraints[i]);
    }
}

/* Referencing tables first: the create order backwards. */
static void emit_table_drops(struct builder *b)
{
    for (size_t k = b->dropped.n; k-- > 0;)
        push(b, MGR_CHANGE_DROP_TABLE,
             b->dropped.tables[b->dropped.order[k]]->obj, NULL);
}

/* A view whose definition (or anything but its comment) changed. */
static bool view_replaced(const struct mgr_object *old,
                          const struct mgr_object *now)
{
    return !schema_object_equal(old, now) && !only_comment_differs(old, now);
}

/* Whether column's type is an enum that REPLACE_ENUM rebuilds, which
 * converts the column. */
static bool of_replaced_enum(const struct builder *b,
                             const struct mgr_object *column)
{
    for (size_t i = 0; i < b->to->nenums; i++) {
        const struct mgr_object *now = b->to->enums[i];
        const struct mgr_object *old =
            find_named(b->from->enums, b->from->nenums, now);
        const char *type = or_empty(column->type);
        const char *dot = strrchr(type, '.');

        if (old && !values_kept_in_order(old, now) &&
            (schema_text_equal(type, now->name) ||
             (dot && schema_text_equal(dot + 1, now->name))))
            return true;
    }
    return false;
}

/* Whether a kept table loses a column or changes a column's type (or
 * its enum is rebuilt): a view that reads it must be out of the way
 * (PostgreSQL). */
static bool columns_reshaped(const struct builder *b,
                             const struct table_pair *pair)
{
    const struct mgr_table *ft = pair->from, *tt = pair->to;

    for (size_t c = 0; c < ft->ncolumns; c++) {
        const struct mgr_object *now = find_column(tt, ft->columns[c]->name);

        if (!now || (column_alter(ft->columns[c], now) &
                     (MGR_ALTER_TYPE | MGR_ALTER_COLLATION)) ||
            of_replaced_enum(b, now))
            return true;
    }
    return false;
}

/* Whether view reads a kept table whose columns are reshaped. */
static bool reads_reshaped_table(const struct builder *b,
                                 const struct mgr_object *view)
{
    for (size_t i = 0; i < b->nkept; i++) {
        const struct mgr_object *t = b->kept[i].to->obj;

        if (strcmp(or_empty(t->schema), or_empty(view->schema)) == 0 &&
            schema_view_mentions(view, t->name) &&
            columns_reshaped(b, &b->kept[i]))
            return true;
    }
    return false;
}

/*
 * forced[i] for each view of to: it exists on both sides and must be
 * dropped before the tables change and created after, because it reads
 * a reshaped table or a view that changes or is itself forced.
 */
static bool *forced_views(const struct builder *b)
{
    const struct mgr_schema *from = b->from, *to = b->to;
    bool *forced = xcalloc(to->nviews ? to->nviews : 1, sizeof(bool));
    bool grew = true;

    for (size_t i = 0; i < to->nviews; i++)
        forced[i] = find_named(from->views, from->nviews, to->views[i]) &&
                    reads_reshaped_table(b, to->views[i]);
    while (grew) {
        grew = false;
        for (size_t i = 0; i < to->nviews; i++) {
            for (size_t j = 0; !forced[i] && j < to->nviews; j++) {
                const struct mgr_object *old =
                    find_named(from->views, from->nviews, to->views[j]);

                if (j == i || !old ||
                    !schema_view_mentions(to->views[i], to->views[j]->name))
                    continue;
                if (forced[j] || view_replaced(old, to->views[j])) {
                    forced[i] =
                        find_named(from->views, from->nviews, to->views[i]);
                    grew = grew || forced[i];
                }
            }
        }
    }
    return forced;
}

/* DROP_VIEW for the views that go and the forced ones, readers first. */
static void emit_view_drops(struct builder *b, const bool *forced)
{
    const struct mgr_schema *from = b->from, *to = b->to;
    size_t *order = xcalloc(from->nviews ? from->nviews : 1, sizeof(size_t));

    schema_views_order(from->views, from->nviews, order);
    for (size_t k = from->nviews; k-- > 0;) {
        const struct mgr_object *old = from->views[order[k]];
        bool drop = true;

        for (size_t i = 0; i < to->nviews; i++)
            if (same_qualified_name(old, to->views[i]))
                drop = forced[i];
        if (drop)
            push(b, MGR_CHANGE_DROP_VIEW, old, NULL);
    }
    free(order);
}

/* The views that are new, forced or replaced, each after what it reads. */
static void emit_view_creates_and_replaces(struct builder *b,
                                           const bool *forced)
{
    const struct mgr_schema *from = b->from, *to = b->to;
    size_t *order = xcalloc(to->nviews ? to->nviews : 1, sizeof(size_t));

    schema_views_order(to->views, to->nviews, order);
    for (size_t k = 0; k < to->nviews; k++) {
        const struct mgr_object *now = to->views[order[k]];
        const struct mgr_object *old = find_named(from->views, from->nviews,
                                                  now);

        if (!old || forced[order[k]])
            push(b, MGR_CHANGE_CREATE_VIEW, NULL, now);
        else if (view_replaced(old, now))
            push(b, MGR_CHANGE_REPLACE_VIEW, old, now);
    }
    free(order);
}

/* SET_COMMENT for each object of now whose match in before (by key)
 * has another comment. */
static void emit_part_comments(struct builder *b,
                               const struct mgr_object *const *before,
                               size_t nbefore,
                               const struct mgr_object *const *now,
                               size_t nnow)
{
    for (size_t i = 0; i < nnow; i++) {
        const struct mgr_object *old = find_keyed(before, nbefore,
                                                  schema_key(now[i]));

        if (old && !schema_object_equal(old, now[i]) &&
            only_comment_differs(old, now[i]))
            push(b, MGR_CHANGE_SET_COMMENT, old, now[i]);
    }
}

static void emit_table_comments(struct builder *b,
                                const struct table_pair *pair)
{
    const struct mgr_table *ft = pair->from, *tt = pair->to;

    if (comment_changed(ft->obj, tt->obj))
        push(b, MGR_CHANGE_SET_COMMENT, ft->obj, tt->obj);
    for (size_t c = 0; c < tt->ncolumns; c++) {
        const struct mgr_object *old = find_column(ft, tt->columns[c]->name);

        if (old && comment_changed(old, tt->columns[c]))
            push(b, MGR_CHANGE_SET_COMMENT, old, tt->columns[c]);
    }
    emit_part_comments(b, ft->constraints, ft->nconstraints, tt->constraints,
                       tt->nconstraints);
    emit_part_comments(b, ft->indexes, ft->nindexes, tt->indexes,
                       tt->nindexes);
}

static void emit_comments(struct builder *b)
{
    const struct mgr_schema *from = b->from, *to = b->to;

    for (size_t i = 0; i < b->nkept; i++)
        emit_table_comments(b, &b->kept[i]);
    for (size_t i = 0; i < to->nviews; i++) {
        const struct mgr_object *now = to->views[i];
        const struct mgr_object *old = find_named(from->views, from->nviews,
                                                  now);

        if (old && comment_changed(old, now))
            push(b, MGR_CHANGE_SET_COMMENT, old, now);
    }
}

/* Every step, in the order of schema_diff.h. */
static void emit_all(struct builder *b)
{
    const struct mgr_schema *from = b->from, *to = b->to;
    bool *forced = forced_views(b);

    /* Views first: a view over a column blocks changing its type, an
     * enum rebuild included. */
    emit_view_drops(b, forced);
    emit_new(b, MGR_CHANGE_CREATE_ENUM, to->enums, to->nenums, from->enums,
             from->nenums);
    emit_enum_changes(b);
    emit_new(b, MGR_CHANGE_CREATE_SEQUENCE, to->sequences, to->nsequences,
             from->sequences, from->nsequences);
    emit_sequence_changes(b);
    emit_kept_part_drops(b, FOREIGN_KEYS);
    emit_blocking_fk_drops(b);
    emit_kept_part_drops(b, INDEXES);
    emit_kept_part_drops(b, OTHER_CONSTRAINTS);
    emit_column_drops(b);
    emit_table_creates(b);
    for (size_t i = 0; i < b->nkept; i++)
        emit_column_adds_and_alters(b, &b->kept[i]);
    emit_kept_part_adds(b, OTHER_CONSTRAINTS);
    emit_kept_part_adds(b, INDEXES);
    emit_fk_adds(b);
    emit_table_drops(b);
    emit_gone(b, MGR_CHANGE_DROP_SEQUENCE, from->sequences, from->nsequences,
              to->sequences, to->nsequences);
    emit_gone(b, MGR_CHANGE_DROP_ENUM, from->enums, from->nenums, to->enums,
              to->nenums);
    emit_view_creates_and_replaces(b, forced);
    emit_comments(b);
    free(forced);
}

/* ---- notes ----------------------------------------------------------- */

/* A column that existing rows cannot fill: NOT NULL, no default, and
 * nothing that generates values. */
static bool needs_a_value(const struct mgr_object *column)
{
    return (column->flags & MGR_OBJ_NOT_NULL) && !column->expr &&
           !(column->flags & IDENTITY_FLAGS);
}

static void note_add_column(struct mgr_buf *note, const struct mgr_object *col)
{
    if (!needs_a_value(col))
        return;
    schema_diff_add_column(note, col);
    mgr_buf_addstr(note, " is NOT NULL without a default: on a table with "
                         "rows this statement fails; give it a default, or "
                         "add it nullable, fill it, then set NOT NULL");
}

static void note_alter_column(struct mgr_buf *note, const struct mgr_change *c)
{
    if (c->alter & MGR_ALTER_TYPE) {
        /* Not every type change rewrites (PostgreSQL keeps binary
         * compatible ones), hence "may". */
        mgr_buf_addstr(note, "may rewrite ");
        schema_diff_add_table(note, c->to);
        mgr_buf_addf(note, ", and fails if a value of %s does not convert "
                           "to %s",
                     c->to->name, c->to->type ? c->to->type : "the new type");
    }
    if ((c->alter & MGR_ALTER_NULLABLE) && (c->to->flags & MGR_OBJ_NOT_NULL)) {
        if (note->len)
            mgr_buf_addstr(note, "; ");
        mgr_buf_addstr(note, "fails if any row of ");
        schema_diff_add_table(note, c->to);
        mgr_buf_addf(note, " has %s NULL", c->to->name);
    }
}

/* The note of a step, or NULL. */
static char *note_for(const struct mgr_change *c)
{
    struct mgr_buf note = MGR_BUF_INIT;

    switch (c->kind) {
    case MGR_CHANGE_ADD_COLUMN:
        note_add_column(&note, c->to);
        break;
    case MGR_CHANGE_ALTER_COLUMN:
        note_alter_column(&note, c);
        break;
    case MGR_CHANGE_DROP_COLUMN:
        mgr_buf_addstr(&note, "the data in ");
        schema_diff_add_column(&note, c->from);
        mgr_buf_addstr(&note, " is lost");
        break;
    case MGR_CHANGE_DROP_TABLE:
        mgr_buf_addstr(&note, "the data in ");
        schema_diff_add_name(&note, c->from->schema, c->from->name);
        mgr_buf_addstr(&note, " is lost");
        break;
    default:
        break;
    }
    return note.len ? mgr_buf_detach(&note, NULL) : NULL;
}

/* ---- rename hints ---------------------------------------------------- */

/* The column a DROP_COLUMN or ADD_COLUMN step is about. */
static const struct mgr_object *step_column(const struct schema_step *step)
{
    return step->change.kind == MGR_CHANGE_DROP_COLUMN ? step->change.from
                                                       : step->change.to;
}

/* How many steps of kind (DROP_COLUMN or ADD_COLUMN) on table are about
 * a column of type; *last gets the last of them. */
static size_t count_typed(const struct builder *b, uint32_t kind,
                          const struct mgr_table *table, const char *type,
                          size_t *last)
{
    size_t count = 0;

    for (size_t i = 0; i < b->n; i++) {
        const struct schema_step *step = &b->steps[i];

        if (step->change.kind == kind && step->change.from_table == table &&
            schema_text_equal(step_column(step)->type, type)) {
            count++;
            *last = i;
        }
    }
    return count;
}

/* How many of the columns that both own and other have come before
 * column (of own) in own: its place among the columns kept. A column
 * dropped and one added at the same place stand between the same kept
 * neighbours, whatever else was added or dropped around them. */
static size_t kept_before(const struct mgr_table *own,
                          const struct mgr_table *other,
                          const struct mgr_object *column)
{
    size_t n = 0;

    for (size_t i = 0; i < own->ncolumns && own->columns[i] != column; i++)
        if (find_column(other, own->columns[i]->name))
            n++;
    return n;
}

/* The DROP_COLUMN step whose column the ADD_COLUMN step add may have
 * been, or NONE: same type, and the same place among the kept columns,
 * or the only two of that type. *same_place says which. */
static size_t dropped_twin(const struct builder *b, size_t add,
                           bool *same_place)
{
    const struct mgr_change *added = &b->steps[add].change;
    size_t drop = NONE, unused;

    for (size_t i = 0; i < b->n; i++) {
        const struct mgr_change *c = &b->steps[i].change;

        if (c->kind == MGR_CHANGE_DROP_COLUMN &&
            c->from_table == added->from_table &&
            schema_text_equal(c->from->type, added->to->type) &&
            kept_before(c->from_table, c->to_table, c->from) ==
                kept_before(added->to_table, added->from_table,
                            added->to)) {
            *same_place = true;
            return i;
        }
    }
    *same_place = false;
    if (count_typed(b, MGR_CHANGE_DROP_COLUMN, added->from_table,
                    added->to->type, &drop) == 1 &&
        count_typed(b, MGR_CHANGE_ADD_COLUMN, added->from_table,
                    added->to->type, &unused) == 1)
        return drop;
    return NONE;
}

static void hint_column_rename(struct builder *b, size_t add)
{
    struct schema_step *step = &b->steps[add];
    const struct mgr_object *added = step->change.to, *dropped;
    struct mgr_buf reason = MGR_BUF_INIT;
    bool same_place;
    size_t drop = dropped_twin(b, add, &same_place);

    if (drop == NONE)
        return;
    dropped = b->steps[drop].change.from;
    step->rename = xmalloc(sizeof(*step->rename));
    fill_change(b, step->rename, MGR_CHANGE_RENAME_COLUMN, dropped, added);
    schema_diff_add_column(&reason, dropped);
    mgr_buf_addstr(&reason, " dropped and ");
    schema_diff_add_column(&reason, added);
    if (same_place)
        mgr_buf_addf(&reason, " added with the same type (%s) at the same "
                              "place",
                     added->type);
    else
        mgr_buf_addf(&reason, " added, the only ones of type %s",
                     added->type);
    mgr_buf_addstr(&reason, ": if it is a rename, use RENAME COLUMN to keep "
                            "the data");
    step->rename_reason = mgr_buf_detach(&reason, NULL);
}

/* Same columns: names and types, in order. */
static bool same_columns(const struct mgr_table *a, const struct mgr_table *b)
{
    if (a->ncolumns == 0 || a->ncolumns != b->ncolumns)
        return false;
    for (size_t i = 0; i < a->ncolumns; i++)
        if (!same_string(a->columns[i]->name, b->columns[i]->name) ||
            !schema_text_equal(a->columns[i]->type, b->columns[i]->type))
            return false;
    return true;
}

/* The only step of kind (CREATE_TABLE or DROP_TABLE) whose table, in the
 * same schema, has the columns of table; NONE for none or several. */
static size_t only_table_twin(const struct builder *b, uint32_t kind,
                              const struct mgr_table *table)
{
    size_t found = NONE;

    for (size_t i = 0; i < b->n; i++) {
        const struct mgr_change *c = &b->steps[i].change;
        const struct mgr_table *t = kind == MGR_CHANGE_DROP_TABLE
                                        ? c->from_table
                                        : c->to_table;

        if (c->kind != kind ||
            strcmp(or_empty(t->obj->schema), or_empty(table->obj->schema)) ||
            !same_columns(t, table))
            continue;
        if (found != NONE)
            return NONE;
        found = i;
    }
    return found;
}

/* A dropped table and a created one that each are the other's only
 * twin: the later step gets a RENAME_TABLE hint. */
static void hint_table_rename(struct builder *b, size_t drop)
{
    const struct mgr_table *ft = b->steps[drop].change.from_table, *tt;
    size_t create = only_table_twin(b, MGR_CHANGE_CREATE_TABLE, ft);
    struct schema_step *later;
    struct mgr_buf reason = MGR_BUF_INIT;

    if (create == NONE)
        return;
    tt = b->steps[create].change.to_table;
    if (only_table_twin(b, MGR_CHANGE_DROP_TABLE, tt) != drop)
        return;
    later = &b->steps[create > drop ? create : drop];
    later->rename = xmalloc(sizeof(*later->rename));
    fill_change(b, later->rename, MGR_CHANGE_RENAME_TABLE, ft->obj, tt->obj);
    mgr_buf_addstr(&reason, "table ");
    schema_diff_add_name(&reason, ft->obj->schema, ft->obj->name);
    mgr_buf_addstr(&reason, " dropped and table ");
    schema_diff_add_name(&reason, tt->obj->schema, tt->obj->name);
    mgr_buf_addstr(&reason, " created with the same columns: if it is a "
                            "rename, use RENAME TABLE to keep the data");
    later->rename_reason = mgr_buf_detach(&reason, NULL);
}

static void annotate(struct builder *b)
{
    for (size_t i = 0; i < b->n; i++) {
        uint32_t kind = b->steps[i].change.kind;

        b->steps[i].note = note_for(&b->steps[i].change);
        if (kind == MGR_CHANGE_ADD_COLUMN)
            hint_column_rename(b, i);
        else if (kind == MGR_CHANGE_DROP_TABLE)
            hint_table_rename(b, i);
    }
}

/* ---- the API --------------------------------------------------------- */

int schema_diff(const struct schema *from, const struct schema *to,
                struct schema_diff *out, struct mgr_error *err)
{
    struct builder b;

    (void)err; /* nothing fails: memory exhaustion aborts */
    memset(&b, 0, sizeof(b));
    b.from = schema_view(from);
    b.to = schema_view(to);
    collect_tables(&b);
    order_tables(&b.created);
    order_tables(&b.dropped);
    emit_all(&b);
    annotate(&b);

    out->steps = b.steps;
    out->n = b.n;
    out->changes = xcalloc(b.n + 1, sizeof(*out->changes));
    for (size_t i = 0; i < b.n; i++)
        out->changes[i] = &b.steps[i].change;

    free(b.kept);
    table_set_release(&b.created);
    table_set_release(&b.dropped);
    return MGR_OK;
}

void schema_diff_release(struct schema_diff *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++) {
        free(d->steps[i].note);
        free(d->steps[i].rename);
        free(d->steps[i].rename_reason);
    }
    free(d->steps);
    free(d->changes);
    d->steps = NULL;
    d->n = 0;
    d->changes = NULL;
}
