/*
 * schema_naming.c: the keys of constraints and indexes (see
 * schema_finish() in schema_model.h). A database-chosen or missing name
 * is replaced by the one [naming_convention] makes, so that the same
 * constraint gets the same key in every database, whatever the database
 * called it.
 */
#include "autoconfig.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "schema_internal.h"
#include "util.h"

/* PostgreSQL truncates identifiers to 63 bytes (NAMEDATALEN - 1); a
 * longer made-up name keeps this much and a hash of the whole. */
#define NAME_MAX_BYTES 63
#define NAME_KEPT_BYTES 54

/* ---- characters ----------------------------------------------------- */

static bool is_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9');
}

/* What may appear in an unquoted identifier: bytes of UTF-8 sequences
 * included, as PostgreSQL and SQLite accept them. */
static bool is_word(unsigned char c)
{
    return is_alnum(c) || c == '_' || c == '$' || c >= 0x80;
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool equal_nocase(const char *a, size_t na, const char *b)
{
    size_t i;

    for (i = 0; i < na && b[i]; i++)
        if (lower(a[i]) != lower(b[i]))
            return false;
    return i == na && !b[i];
}

/* p points at an opening quote q; append what it quotes (a doubled quote
 * is one) to out, if out, and return the byte after the closing one. */
static const char *skip_quoted(const char *p, char q, struct mgr_buf *out)
{
    for (p++; *p; p++) {
        if (*p == q && p[1] != q)
            return p + 1;
        if (*p == q)
            p++;
        if (out)
            mgr_buf_addch(out, *p);
    }
    return p;
}

/* ---- the columns an object is about --------------------------------- */

/* Names as the templates see them, each owned. */
struct name_list {
    char **v;
    size_t n;
};

static void names_push(struct name_list *l, const char *name, size_t len)
{
    l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
    l->v[l->n++] = xstrndup(name, len);
}

static void names_release(struct name_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

/* Whether the CHECK expression expr mentions column as a whole word
 * (any case, as an unquoted identifier folds) or as a quoted identifier,
 * outside string literals. */
static bool expr_mentions(const char *expr, const char *column)
{
    const char *p = expr;

    while (*p) {
        if (*p == '\'') {
            p = skip_quoted(p, '\'', NULL);
        } else if (*p == '"') {
            struct mgr_buf ident = MGR_BUF_INIT;
            bool same;

            p = skip_quoted(p, '"', &ident);
            same = equal_nocase(ident.buf, ident.len, column);
            mgr_buf_release(&ident);
            if (same)
                return true;
        } else if (is_word((unsigned char)*p)) {
            const char *start = p;

            while (is_word((unsigned char)*p))
                p++;
            if (equal_nocase(start, (size_t)(p - start), column))
                return true;
        } else {
            p++;
        }
    }
    return false;
}

static void check_columns(const struct schema_table *t,
                          const struct mgr_object *ck, struct name_list *out)
{
    if (!ck->expr)
        return;
    for (size_t i = 0; i < t->columns.n; i++) {
        const char *name = t->columns.items[i]->name;

        if (expr_mentions(ck->expr, name))
            names_push(out, name, strlen(name));
    }
}

/* The length of an index element without a trailing ASC, DESC or NULLS
 * FIRST/LAST, which say how the column is ordered, not which it is. */
static size_t without_ordering(const char *elem)
{
    static const char *const suffixes[] = { " nulls first", " nulls last",
                                            " asc", " desc" };
    size_t len = strlen(elem);
    bool stripped = true;

    while (stripped) {
        stripped = false;
        while (len && elem[len - 1] == ' ')
            len--;
        for (size_t i = 0; i < sizeof(suffixes) / sizeof(*suffixes); i++) {
            size_t n = strlen(suffixes[i]);

            if (len > n && equal_nocase(elem + len - n, n, suffixes[i])) {
                len -= n;
                stripped = true;
                break;
            }
        }
    }
    return len;
}

static bool is_identifier(const char *s, size_t len)
{
    if (!len || (s[0] >= '0' && s[0] <= '9') || s[0] == '$')
        return false;
    for (size_t i = 0; i < len; i++)
        if (!is_word((unsigned char)s[i]))
            return false;
    return true;
}

/* An expression's stand-in for a column name: each run of other bytes
 * than letters and digits one "_", none at the ends, lower case. */
static void expression_name(const char *elem, struct mgr_buf *out)
{
    size_t start = out->len;
    bool gap = false;

    for (const char *p = elem; *p; p++) {
        if (!is_alnum((unsigned char)*p)) {
            gap = true;
            continue;
        }
        if (gap && out->len > start)
            mgr_buf_addch(out, '_');
        gap = false;
        mgr_buf_addch(out, lower(*p));
    }
}

/* The "column name" of one index element: the column it names, or a
 * name made from its expression. */
static void element_name(const char *elem, struct mgr_buf *out)
{
    size_t len = without_ordering(elem);

    if (is_identifier(elem, len)) {
        mgr_buf_add(out, elem, len);
        return;
    }
    if (len >= 2 && elem[0] == '"' &&
        skip_quoted(elem, '"', NULL) == elem + len) {
        skip_quoted(elem, '"', out);
        return;
    }
    expression_name(elem, out);
}

static void index_columns(const struct mgr_object *ix, struct name_list *out)
{
    struct mgr_buf name = MGR_BUF_INIT;

    for (size_t i = 0; i < ix->nitems; i++) {
        mgr_buf_reset(&name);
        element_name(ix->items[i], &name);
        names_push(out, name.buf, name.len);
    }
    mgr_buf_release(&name);
}

static void object_columns(const struct schema_table *t,
                           const struct mgr_object *obj,
                           struct name_list *out)
{
    if (obj->kind == MGR_OBJ_CHECK)
        check_columns(t, obj, out);
    else if (obj->kind == MGR_OBJ_INDEX)
        index_columns(obj, out);
    else
        for (size_t i = 0; i < obj->nitems; i++)
            names_push(out, obj->items[i], strlen(obj->items[i]));
}

/* ---- templates ------------------------------------------------------ */

/* The template of kind: nc's, or the default when nc leaves it out (NULL
 * or empty: an empty name is no name). */
static const char *template_for(const struct naming_convention *nc,
                                unsigned kind)
{
    const char *given = NULL, *dflt;

    switch (kind) {
    case MGR_OBJ_PRIMARY_KEY:
        given = nc ? nc->pk : NULL;
        dflt = "pk_%(table_name)s";
        break;
    case MGR_OBJ_UNIQUE:
        given = nc ? nc->uq : NULL;
        dflt = "uq_%(table_name)s_%(column_0_name)s";
        break;
    case MGR_OBJ_FOREIGN_KEY:
        given = nc ? nc->fk : NULL;
        dflt = "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s";
        break;
    case MGR_OBJ_CHECK:
        given = nc ? nc->ck : NULL;
        dflt = "ck_%(table_name)s_%(constraint_name)s";
        break;
    default:
        given = nc ? nc->ix : NULL;
        dflt = "ix_%(column_0_label)s";
        break;
    }
    return given && *given ? given : dflt;
}

/* What one expansion draws on. */
struct naming_ctx {
    const struct mgr_object *obj;
    const char *table;
    struct name_list columns;
    struct name_list referred; /* FOREIGN_KEY: its ref_columns */
};

enum source { SRC_TABLE, SRC_REF_TABLE, SRC_COLUMNS, SRC_REFERRED,
              SRC_CONSTRAINT };

/* FIRST: column 0; JOINED: all, one after the other (0N); UNDERSCORED:
 * all, joined with "_" (0_N). */
enum span { FIRST, JOINED, UNDERSCORED };

struct placeholder {
    const char *name;
    enum source source;
    enum span span;
    bool label; /* "table_column" rather than "column" */
};

static const struct placeholder placeholders[] = {
    { "table_name", SRC_TABLE, FIRST, false },
    { "column_0_name", SRC_COLUMNS, FIRST, false },
    { "column_0N_name", SRC_COLUMNS, JOINED, false },
    { "column_0_N_name", SRC_COLUMNS, UNDERSCORED, false },
    { "column_0_label", SRC_COLUMNS, FIRST, true },
    { "column_0N_label", SRC_COLUMNS, JOINED, true },
    { "column_0_N_label", SRC_COLUMNS, UNDERSCORED, true },
    { "referred_table_name", SRC_REF_TABLE, FIRST, false },
    { "referred_column_0_name", SRC_REFERRED, FIRST, false },
    { "referred_column_0N_name", SRC_REFERRED, JOINED, false },
    { "referred_column_0_N_name", SRC_REFERRED, UNDERSCORED, false },
    { "constraint_name", SRC_CONSTRAINT, UNDERSCORED, false },
};

static const struct placeholder *find_placeholder(const char *name,
                                                  size_t len)
{
    for (size_t i = 0; i < sizeof(placeholders) / sizeof(*placeholders);
         i++)
        if (strlen(placeholders[i].name) == len &&
            memcmp(placeholders[i].name, name, len) == 0)
            return &placeholders[i];
    return NULL;
}

static void add_columns(const struct naming_ctx *ctx,
                        const struct name_list *cols,
                        const struct placeholder *ph, struct mgr_buf *out)
{
    size_t n = ph->span == FIRST && cols->n ? 1 : cols->n;

    for (size_t i = 0; i < n; i++) {
        if (i && ph->span == UNDERSCORED)
            mgr_buf_addch(out, '_');
        if (ph->label)
            mgr_buf_addf(out, "%s_", ctx->table);
        mgr_buf_addstr(out, cols->v[i]);
    }
}

static void add_value(const struct naming_ctx *ctx,
                      const struct placeholder *ph, struct mgr_buf *out)
{
    const struct mgr_object *obj = ctx->obj;

    switch (ph->source) {
    case SRC_TABLE:
        mgr_buf_addstr(out, ctx->table);
        break;
    case SRC_REF_TABLE:
        mgr_buf_addstr(out, obj->ref_table ? obj->ref_table : "");
        break;
    case SRC_COLUMNS:
        add_columns(ctx, &ctx->columns, ph, out);
        break;
    case SRC_REFERRED:
        add_columns(ctx, &ctx->referred, ph, out);
        break;
    case SRC_CONSTRAINT:
        /* What SQLAlchemy's %(constraint_name)s would be for a CHECK
         * named after its columns; "check" when it mentions none. */
        if (obj->kind == MGR_OBJ_CHECK && !ctx->columns.n)
            mgr_buf_addstr(out, "check");
        else
            add_columns(ctx, &ctx->columns, ph, out);
        break;
    }
}

/* Expand tmpl into out. Text that is not a known placeholder stays as
 * it is: the config already made "%%" one "%". */
static void expand(const char *tmpl, const struct naming_ctx *ctx,
                   struct mgr_buf *out)
{
    const char *p = tmpl;

    while (*p) {
        const char *close = NULL;
        const struct placeholder *ph = NULL;

        if (p[0] == '%' && p[1] == '(')
            close = strstr(p + 2, ")s");
        if (close)
            ph = find_placeholder(p + 2, (size_t)(close - p - 2));
        if (ph) {
            add_value(ctx, ph, out);
            p = close + 2;
        } else {
            mgr_buf_addch(out, *p++);
        }
    }
}

/* FNV-1a, 32 bits: stable across platforms and releases, which a name
 * stored in a database needs. */
static uint32_t name_hash(const char *s, size_t len)
{
    uint32_t h = 2166136261u;

    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

/* A name both PostgreSQL and SQLite keep whole: over 63 bytes, its first
 * 54 (fewer, not to cut a UTF-8 character) + "_" + a hash of it all. */
static void fit_name(struct mgr_buf *name)
{
    size_t keep = NAME_KEPT_BYTES;
    uint32_t h;

    if (name->len <= NAME_MAX_BYTES)
        return;
    h = name_hash(name->buf, name->len);
    while (keep && ((unsigned char)name->buf[keep] & 0xC0) == 0x80)
        keep--;
    mgr_buf_setlen(name, keep);
    mgr_buf_addf(name, "_%08x", (unsigned)h);
}

static void make_name(const struct schema_table *t,
                      const struct mgr_object *obj,
                      const struct naming_convention *nc,
                      struct mgr_buf *out)
{
    struct naming_ctx ctx;

    memset(&ctx, 0, sizeof(ctx));
    ctx.obj = obj;
    ctx.table = t->obj->pub.name;
    object_columns(t, obj, &ctx.columns);
    if (obj->kind == MGR_OBJ_FOREIGN_KEY && obj->ref_columns)
        for (size_t i = 0; i < obj->nitems; i++)
            names_push(&ctx.referred, obj->ref_columns[i],
                       strlen(obj->ref_columns[i]));
    expand(template_for(nc, obj->kind), &ctx, out);
    names_release(&ctx.columns);
    names_release(&ctx.referred);
}

/* ---- keys ----------------------------------------------------------- */

/* A constraint or index with the table it belongs to. */
struct named {
    struct schema_obj *obj;
    const struct schema_table *table;
};

static bool needs_made_name(const struct mgr_object *obj)
{
    return !obj->name || (obj->flags & MGR_OBJ_AUTONAME);
}

static int cmp_named(const void *pa, const void *pb)
{
    const struct named *a = pa, *b = pb;

    return schema_obj_cmp(&a->obj->pub, &b->obj->pub);
}

static void collect_list(const struct schema_table *t,
                         const struct schema_list *l, struct named *all,
                         size_t *n)
{
    for (size_t i = 0; i < l->n; i++) {
        all[*n].obj = SCHEMA_OBJ(l->items[i]);
        all[*n].table = t;
        (*n)++;
    }
}

/* Every constraint and index of s, in the order that decides which of
 * two equal made-up keys gets the suffix: schema, table, kind, items. */
static struct named *collect(const struct schema *s, size_t *n_out)
{
    struct named *all;
    size_t n = 0, total = 0;

    for (size_t i = 0; i < s->ntables; i++)
        total += s->tables[i]->constraints.n + s->tables[i]->indexes.n;
    all = xreallocarray(NULL, total, sizeof(*all));
    for (size_t i = 0; i < s->ntables; i++) {
        collect_list(s->tables[i], &s->tables[i]->constraints, all, &n);
        collect_list(s->tables[i], &s->tables[i]->indexes, all, &n);
    }
    if (n > 1)
        qsort(all, n, sizeof(*all), cmp_named);
    *n_out = n;
    return all;
}

/* The made-up key of obj, not yet in taken: its name, or the name with
 * _1, _2... (a long one shortened after the suffix is on, so that the
 * suffix survives). */
static const char *unique_key(struct schema *s, const struct named *nm,
                              const struct naming_convention *nc,
                              const struct strmap *taken)
{
    struct mgr_buf base = MGR_BUF_INIT, name = MGR_BUF_INIT;
    const char *key;
    size_t unused;

    make_name(nm->table, &nm->obj->pub, nc, &base);
    mgr_buf_addstr(&name, base.buf);
    fit_name(&name);
    for (unsigned k = 1; strmap_get(taken, name.buf, &unused); k++) {
        mgr_buf_reset(&name);
        mgr_buf_addf(&name, "%s_%u", base.buf, k);
        fit_name(&name);
    }
    key = schema_strdup(s, name.buf);
    mgr_buf_release(&base);
    mgr_buf_release(&name);
    return key;
}

/* Keys of the objects all[0..n), which share one schema. The names the
 * database gave are taken first: a made-up key steps aside for them. */
static void key_schema(struct schema *s, struct named *all, size_t n,
                       const struct naming_convention *nc)
{
    struct strmap taken = STRMAP_INIT;

    for (size_t i = 0; i < n; i++)
        if (!needs_made_name(&all[i].obj->pub)) {
            all[i].obj->key = all[i].obj->pub.name;
            strmap_put(&taken, all[i].obj->key, 0);
        }
    for (size_t i = 0; i < n; i++)
        if (needs_made_name(&all[i].obj->pub)) {
            all[i].obj->key = unique_key(s, &all[i], nc, &taken);
            strmap_put(&taken, all[i].obj->key, 0);
        }
    strmap_release(&taken);
}

static void adopt_key(struct schema_obj *o, bool adopt)
{
    if (!o->pub.name) {
        o->pub.name = o->key;
        o->pub.flags |= MGR_OBJ_AUTONAME;
    } else if (adopt && (o->pub.flags & MGR_OBJ_AUTONAME)) {
        o->pub.name = o->key;
    }
}

void schema_name_objects(struct schema *s, const struct naming_convention *nc,
                         bool adopt)
{
    size_t n = 0, start = 0;
    struct named *all = collect(s, &n);

    for (size_t i = 1; i <= n; i++)
        if (i == n || strcmp(all[i].obj->pub.schema,
                             all[start].obj->pub.schema) != 0) {
            key_schema(s, all + start, i - start, nc);
            start = i;
        }
    for (size_t i = 0; i < n; i++)
        adopt_key(all[i].obj, adopt);
    free(all);
}
