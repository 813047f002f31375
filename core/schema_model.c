/*
 * schema_model.c: building the model (see schema_model.h): schema_add()
 * copies what a dialect or a snapshot reports, schema_finish() sorts it
 * and has schema_naming.c name it, and the lookups read the result.
 */
#include "autoconfig.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "schema_internal.h"
#include "util.h"

/* The struct mgr_object of ABI 1.2: a reporter that fills less than this
 * is not speaking the ABI at all. Later fields are appended; they count
 * as absent for an older reporter. */
#define OBJECT_V1_SIZE                                                  \
    (offsetof(struct mgr_object, owned_by) + sizeof(const char *))

/* ---- memory --------------------------------------------------------- */

void *schema_alloc(struct schema *s, size_t n)
{
    void *p = xcalloc(1, n);

    if (s->nblocks == s->ablocks) {
        s->ablocks = s->ablocks ? 2 * s->ablocks : 64;
        s->blocks = xreallocarray(s->blocks, s->ablocks, sizeof(void *));
    }
    s->blocks[s->nblocks++] = p;
    return p;
}

char *schema_strdup(struct schema *s, const char *str)
{
    size_t n;
    char *copy;

    if (!str)
        return NULL;
    n = strlen(str);
    copy = schema_alloc(s, n + 1);
    memcpy(copy, str, n);
    return copy;
}

static void list_push(struct schema_list *l, const struct mgr_object *obj)
{
    if (l->n == l->alloc) {
        l->alloc = l->alloc ? 2 * l->alloc : 8;
        l->items = xreallocarray(l->items, l->alloc, sizeof(*l->items));
    }
    l->items[l->n++] = obj;
}

static void list_release(struct schema_list *l)
{
    free(l->items);
    l->items = NULL;
    l->n = l->alloc = 0;
}

struct schema *schema_new(void)
{
    struct schema *s = xcalloc(1, sizeof(*s));

    s->table_ids = (struct strmap)STRMAP_INIT;
    s->names = (struct strmap)STRMAP_INIT;
    return s;
}

void schema_free(struct schema *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->ntables; i++) {
        list_release(&s->tables[i]->columns);
        list_release(&s->tables[i]->constraints);
        list_release(&s->tables[i]->indexes);
    }
    free(s->tables);
    free(s->table_views);
    list_release(&s->enums);
    list_release(&s->sequences);
    list_release(&s->views);
    strmap_release(&s->table_ids);
    strmap_release(&s->names);
    for (size_t i = 0; i < s->nblocks; i++)
        free(s->blocks[i]);
    free(s->blocks);
    free(s);
}

/* ---- kinds ---------------------------------------------------------- */

static const char *const kind_tokens[] = {
    NULL,    "table", "column", "primary_key", "unique", "foreign_key",
    "check", "index", "enum",   "sequence",    "view",
};

/* For messages: what a person calls each kind. */
static const char *const kind_words[] = {
    NULL,    "table", "column", "primary key", "unique constraint",
    "foreign key", "check constraint", "index", "enum", "sequence", "view",
};

const char *schema_kind_token(unsigned kind)
{
    if (kind < MGR_OBJ_TABLE || kind > MGR_OBJ_VIEW)
        return NULL;
    return kind_tokens[kind];
}

bool schema_kind_is_constraint(unsigned kind)
{
    return kind >= MGR_OBJ_PRIMARY_KEY && kind <= MGR_OBJ_CHECK;
}

bool schema_kind_is_owned(unsigned kind)
{
    return kind >= MGR_OBJ_COLUMN && kind <= MGR_OBJ_INDEX;
}

/* Whether an object of this kind may come without a name (the database
 * or the convention names it). */
static bool kind_may_be_unnamed(unsigned kind)
{
    return schema_kind_is_constraint(kind) || kind == MGR_OBJ_INDEX;
}

/* ---- messages ------------------------------------------------------- */

/* "[schema.]name" */
static void add_qualified(struct mgr_buf *out, const char *schema,
                          const char *name)
{
    if (schema && *schema)
        mgr_buf_addf(out, "%s.", schema);
    mgr_buf_addstr(out, name ? name : "?");
}

/* How messages name obj: "column units.rent", "index ix_a on units",
 * "check constraint on units", "view public.v". */
static void describe(const struct mgr_object *obj, struct mgr_buf *out)
{
    mgr_buf_addstr(out, kind_words[obj->kind]);
    if (!schema_kind_is_owned(obj->kind)) {
        mgr_buf_addch(out, ' ');
        add_qualified(out, obj->schema, obj->name);
    } else if (obj->kind == MGR_OBJ_COLUMN) {
        mgr_buf_addch(out, ' ');
        if (obj->table) {
            add_qualified(out, obj->schema, obj->table);
            mgr_buf_addch(out, '.');
        }
        mgr_buf_addstr(out, obj->name);
    } else {
        if (obj->name)
            mgr_buf_addf(out, " %s", obj->name);
        if (obj->table) {
            mgr_buf_addstr(out, " on ");
            add_qualified(out, obj->schema, obj->table);
        }
    }
}

static int refuse(const struct mgr_object *obj, const char *why,
                  struct mgr_error *err)
{
    struct mgr_buf what = MGR_BUF_INIT;

    describe(obj, &what);
    mgr_error_set(err, MGR_EUSAGE, "%s %s", what.buf, why);
    mgr_buf_release(&what);
    return MGR_EUSAGE;
}

/* ---- validation ----------------------------------------------------- */

/* The arrays must hold what nitems says: they are copied element by
 * element. */
static int check_lists(const struct mgr_object *obj, struct mgr_error *err)
{
    if (obj->nitems && !obj->items)
        return refuse(obj, "has items but no array of them", err);
    for (size_t i = 0; i < obj->nitems; i++) {
        if (!obj->items[i])
            return refuse(obj, "has a NULL item", err);
        if (obj->ref_columns && !obj->ref_columns[i])
            return refuse(obj, "has a NULL referred column", err);
    }
    return MGR_OK;
}

static int refuse_unnamed(const struct mgr_object *obj,
                          struct mgr_error *err)
{
    if (obj->kind == MGR_OBJ_COLUMN && obj->table)
        return mgr_error_set(err, MGR_EUSAGE,
                             "column without a name in table %s%s%s",
                             *obj->schema ? obj->schema : "",
                             *obj->schema ? "." : "", obj->table);
    return mgr_error_set(err, MGR_EUSAGE, "%s without a name",
                         kind_words[obj->kind]);
}

/* Everything about obj that does not need the schema. obj->schema is
 * never NULL here. */
static int validate(const struct mgr_object *obj, struct mgr_error *err)
{
    if (obj->kind < MGR_OBJ_TABLE || obj->kind > MGR_OBJ_VIEW)
        return mgr_error_set(err, MGR_EUSAGE,
                             "object %s of unknown kind %u",
                             obj->name ? obj->name : "(unnamed)",
                             (unsigned)obj->kind);
    if (!obj->name && !kind_may_be_unnamed(obj->kind))
        return refuse_unnamed(obj, err);
    if (schema_kind_is_owned(obj->kind) && (!obj->table || !*obj->table))
        return refuse(obj, "belongs to no table", err);
    return check_lists(obj, err);
}

/* ---- copying -------------------------------------------------------- */

static const char *const *copy_strings(struct schema *s,
                                       const char *const *list, size_t n)
{
    const char **copy;

    if (!list || !n)
        return NULL;
    copy = schema_alloc(s, n * sizeof(*copy));
    for (size_t i = 0; i < n; i++)
        copy[i] = schema_strdup(s, list[i]);
    return copy;
}

/* The caller's object as far as its size goes, the rest zero. An empty
 * name means none, and a NULL schema the default one. */
static void read_object(const struct mgr_object *obj, size_t size,
                        struct mgr_object *out)
{
    memset(out, 0, sizeof(*out));
    memcpy(out, obj, size < sizeof(*out) ? size : sizeof(*out));
    out->size = sizeof(*out);
    if (!out->schema)
        out->schema = "";
    if (out->name && !*out->name)
        out->name = NULL;
}

static struct schema_obj *copy_object(struct schema *s,
                                      const struct mgr_object *src)
{
    struct schema_obj *o = schema_alloc(s, sizeof(*o));
    struct mgr_object *d = &o->pub;

    *d = *src;
    d->schema = schema_strdup(s, src->schema);
    d->table = schema_strdup(s, src->table);
    d->name = schema_strdup(s, src->name);
    d->type = schema_strdup(s, src->type);
    d->expr = schema_strdup(s, src->expr);
    d->collation = schema_strdup(s, src->collation);
    d->comment = schema_strdup(s, src->comment);
    d->method = schema_strdup(s, src->method);
    d->items = copy_strings(s, src->items, src->nitems);
    d->nitems = d->items ? src->nitems : 0;
    d->ref_schema = schema_strdup(s, src->ref_schema);
    d->ref_table = schema_strdup(s, src->ref_table);
    d->ref_columns = d->items ? copy_strings(s, src->ref_columns,
                                             src->nitems)
                              : NULL;
    d->on_delete = schema_strdup(s, src->on_delete);
    d->on_update = schema_strdup(s, src->on_update);
    d->owned_by = schema_strdup(s, src->owned_by);
    o->key = d->name;
    return o;
}

/* ---- lookups while adding ------------------------------------------- */

/* A string naming one object unambiguously whatever bytes its parts
 * hold: each part with its length in front. */
static void add_id_part(struct mgr_buf *id, const char *part)
{
    mgr_buf_addf(id, "%zu:%s", strlen(part), part);
}

static char *table_id(struct schema *s, const char *schema, const char *name)
{
    struct mgr_buf id = MGR_BUF_INIT;
    char *copy;

    add_id_part(&id, schema);
    add_id_part(&id, name);
    copy = schema_strdup(s, id.buf);
    mgr_buf_release(&id);
    return copy;
}

/* Objects that must not share a name: columns and constraints of one
 * table (PostgreSQL names constraints per table), and otherwise objects
 * of one kind in one schema. */
static char *name_id(struct schema *s, const struct mgr_object *obj)
{
    struct mgr_buf id = MGR_BUF_INIT;
    unsigned family = obj->kind;
    char *copy;

    if (schema_kind_is_constraint(family))
        family = MGR_OBJ_PRIMARY_KEY;
    mgr_buf_addf(&id, "%u|", family);
    add_id_part(&id, obj->schema);
    if (family == MGR_OBJ_COLUMN || family == MGR_OBJ_PRIMARY_KEY)
        add_id_part(&id, obj->table);
    add_id_part(&id, obj->name);
    copy = schema_strdup(s, id.buf);
    mgr_buf_release(&id);
    return copy;
}

static struct schema_table *find_owner(struct schema *s,
                                       const struct mgr_object *obj)
{
    struct mgr_buf id = MGR_BUF_INIT;
    size_t at = 0;
    bool found;

    add_id_part(&id, obj->schema);
    add_id_part(&id, obj->table);
    found = strmap_get(&s->table_ids, id.buf, &at);
    mgr_buf_release(&id);
    return found ? s->tables[at] : NULL;
}

/* ---- adding --------------------------------------------------------- */

static void add_table(struct schema *s, struct schema_obj *o)
{
    struct schema_table *t = schema_alloc(s, sizeof(*t));

    t->obj = o;
    if (s->ntables == s->atables) {
        s->atables = s->atables ? 2 * s->atables : 16;
        s->tables = xreallocarray(s->tables, s->atables, sizeof(*s->tables));
    }
    strmap_put(&s->table_ids, table_id(s, o->pub.schema, o->pub.name),
               s->ntables);
    s->tables[s->ntables++] = t;
}

static void add_owned(struct schema_table *t, struct schema_obj *o)
{
    if (o->pub.kind == MGR_OBJ_COLUMN)
        list_push(&t->columns, &o->pub);
    else if (o->pub.kind == MGR_OBJ_INDEX)
        list_push(&t->indexes, &o->pub);
    else
        list_push(&t->constraints, &o->pub);
}

static void add_top_level(struct schema *s, struct schema_obj *o)
{
    if (o->pub.kind == MGR_OBJ_ENUM)
        list_push(&s->enums, &o->pub);
    else if (o->pub.kind == MGR_OBJ_SEQUENCE)
        list_push(&s->sequences, &o->pub);
    else
        list_push(&s->views, &o->pub);
}

int schema_add(struct schema *s, const struct mgr_object *obj,
               struct mgr_error *err)
{
    struct schema_table *owner = NULL;
    struct mgr_object in;
    struct schema_obj *o;
    int rc;

    if (s->finished)
        return mgr_error_set(err, MGR_EUSAGE,
                             "schema_add after schema_finish");
    if (obj->size < OBJECT_V1_SIZE)
        return mgr_error_set(err, MGR_EUSAGE,
                             "object of size %u (the ABI's is %zu)",
                             (unsigned)obj->size, OBJECT_V1_SIZE);
    read_object(obj, obj->size, &in);
    rc = validate(&in, err);
    if (rc != MGR_OK)
        return rc;
    if (schema_kind_is_owned(in.kind)) {
        owner = find_owner(s, &in);
        if (!owner)
            return refuse(&in, "belongs to a table not reported before it",
                          err);
    }
    if (in.name && !strmap_put(&s->names, name_id(s, &in), 0))
        return refuse(&in, "reported twice", err);
    o = copy_object(s, &in);
    if (in.kind == MGR_OBJ_TABLE)
        add_table(s, o);
    else if (owner)
        add_owned(owner, o);
    else
        add_top_level(s, o);
    return MGR_OK;
}

/* ---- ordering ------------------------------------------------------- */

int schema_strcmp_null(const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

static int cmp_strings(const char *const *a, size_t na, const char *const *b,
                       size_t nb)
{
    for (size_t i = 0; i < na && i < nb; i++) {
        int c = schema_strcmp_null(a ? a[i] : NULL, b ? b[i] : NULL);

        if (c)
            return c;
    }
    return (na > nb) - (na < nb);
}

static int cmp_ll(long long a, long long b)
{
    return (a > b) - (a < b);
}

/* Every text field after schema, table, kind and items, in a fixed
 * order. */
static int cmp_texts(const struct mgr_object *a, const struct mgr_object *b)
{
    const char *const fa[] = { a->ref_schema, a->ref_table, a->expr,
                               a->method,     a->type,      a->collation,
                               a->name,       a->comment,   a->on_delete,
                               a->on_update,  a->owned_by };
    const char *const fb[] = { b->ref_schema, b->ref_table, b->expr,
                               b->method,     b->type,      b->collation,
                               b->name,       b->comment,   b->on_delete,
                               b->on_update,  b->owned_by };

    for (size_t i = 0; i < sizeof(fa) / sizeof(fa[0]); i++) {
        int c = schema_strcmp_null(fa[i], fb[i]);

        if (c)
            return c;
    }
    return 0;
}

static int cmp_numbers(const struct mgr_object *a, const struct mgr_object *b)
{
    const long long na[] = { a->flags,         a->position,
                             a->seq_start,     a->seq_increment,
                             a->seq_min,       a->seq_max };
    const long long nb[] = { b->flags,         b->position,
                             b->seq_start,     b->seq_increment,
                             b->seq_min,       b->seq_max };

    for (size_t i = 0; i < sizeof(na) / sizeof(na[0]); i++) {
        int c = cmp_ll(na[i], nb[i]);

        if (c)
            return c;
    }
    return 0;
}

int schema_obj_cmp(const struct mgr_object *a, const struct mgr_object *b)
{
    int c = schema_strcmp_null(a->schema, b->schema);

    if (!c)
        c = schema_strcmp_null(a->table, b->table);
    if (!c)
        c = cmp_ll(a->kind, b->kind);
    if (!c)
        c = cmp_strings(a->items, a->nitems, b->items, b->nitems);
    if (!c)
        c = cmp_strings(a->ref_columns, a->ref_columns ? a->nitems : 0,
                        b->ref_columns, b->ref_columns ? b->nitems : 0);
    if (!c)
        c = cmp_texts(a, b);
    if (!c)
        c = cmp_numbers(a, b);
    return c;
}

/* (schema, name), the order of tables, enums, sequences and views. */
static int cmp_by_name(const void *pa, const void *pb)
{
    const struct mgr_object *a = *(const struct mgr_object *const *)pa;
    const struct mgr_object *b = *(const struct mgr_object *const *)pb;
    int c = schema_strcmp_null(a->schema, b->schema);

    return c ? c : schema_strcmp_null(a->name, b->name);
}

static int cmp_tables(const void *pa, const void *pb)
{
    const struct schema_table *a = *(const struct schema_table *const *)pa;
    const struct schema_table *b = *(const struct schema_table *const *)pb;
    const struct mgr_object *oa = &a->obj->pub, *ob = &b->obj->pub;

    return cmp_by_name(&oa, &ob);
}

/* Columns by position; names only break ties a dialect should not
 * leave. */
static int cmp_columns(const void *pa, const void *pb)
{
    const struct mgr_object *a = *(const struct mgr_object *const *)pa;
    const struct mgr_object *b = *(const struct mgr_object *const *)pb;

    if (a->position != b->position)
        return a->position < b->position ? -1 : 1;
    return schema_strcmp_null(a->name, b->name);
}

/* Constraints and indexes by key; two with one key (the database named
 * both so, in different tables) by everything else. */
static int cmp_by_key(const void *pa, const void *pb)
{
    const struct mgr_object *a = *(const struct mgr_object *const *)pa;
    const struct mgr_object *b = *(const struct mgr_object *const *)pb;
    int c = schema_strcmp_null(SCHEMA_COBJ(a)->key, SCHEMA_COBJ(b)->key);

    return c ? c : schema_obj_cmp(a, b);
}

static void sort_list(struct schema_list *l,
                      int (*cmp)(const void *, const void *))
{
    if (l->n > 1)
        qsort(l->items, l->n, sizeof(*l->items), cmp);
}

/* ---- finishing ------------------------------------------------------ */

static void fill_table_view(struct schema_table *t)
{
    t->view.obj = &t->obj->pub;
    t->view.columns = t->columns.items;
    t->view.ncolumns = t->columns.n;
    t->view.constraints = t->constraints.items;
    t->view.nconstraints = t->constraints.n;
    t->view.indexes = t->indexes.items;
    t->view.nindexes = t->indexes.n;
}

static void fill_view(struct schema *s)
{
    s->table_views = xreallocarray(s->table_views, s->ntables + 1,
                                   sizeof(*s->table_views));
    for (size_t i = 0; i < s->ntables; i++) {
        fill_table_view(s->tables[i]);
        s->table_views[i] = &s->tables[i]->view;
    }
    s->view.tables = s->table_views;
    s->view.ntables = s->ntables;
    s->view.enums = s->enums.items;
    s->view.nenums = s->enums.n;
    s->view.sequences = s->sequences.items;
    s->view.nsequences = s->sequences.n;
    s->view.views = s->views.items;
    s->view.nviews = s->views.n;
}

void schema_finish(struct schema *s, const struct naming_convention *nc,
                   bool adopt)
{
    assert(!s->finished);
    if (s->ntables > 1)
        qsort(s->tables, s->ntables, sizeof(*s->tables), cmp_tables);
    for (size_t i = 0; i < s->ntables; i++)
        sort_list(&s->tables[i]->columns, cmp_columns);
    /* Naming reads the columns in order (a CHECK's columns), and the
     * constraints and indexes sort by the keys it gives. */
    schema_name_objects(s, nc, adopt);
    for (size_t i = 0; i < s->ntables; i++) {
        sort_list(&s->tables[i]->constraints, cmp_by_key);
        sort_list(&s->tables[i]->indexes, cmp_by_key);
    }
    sort_list(&s->enums, cmp_by_name);
    sort_list(&s->sequences, cmp_by_name);
    sort_list(&s->views, cmp_by_name);
    fill_view(s);
    s->finished = true;
}

/* ---- reading the model ---------------------------------------------- */

const struct mgr_schema *schema_view(const struct schema *s)
{
    return &s->view;
}

const char *schema_key(const struct mgr_object *obj)
{
    return SCHEMA_COBJ(obj)->key;
}

const struct mgr_table *schema_find_table(const struct mgr_schema *s,
                                          const char *schema,
                                          const char *name)
{
    size_t lo = 0, hi = s->ntables;

    if (!schema)
        schema = "";
    /* Tables are sorted by (schema, name): a binary search. */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct mgr_object *t = s->tables[mid]->obj;
        int c = strcmp(schema, t->schema);

        if (!c)
            c = strcmp(name, t->name);
        if (!c)
            return s->tables[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}
