/*
 * schema_serial.c: the canonical text of a schema (the snapshot stored in
 * migrator_schema) and reading it back (see schema_model.h).
 *
 *   migrator-schema 1
 *   kind=table<TAB>name=units
 *   kind=column<TAB>table=units<TAB>name=rent<TAB>flags=0x1<TAB>...
 *
 * One line per object in model order (each table followed by its
 * columns, constraints and indexes; then enums, sequences, views). Each
 * field is key=value in the fixed order of fields[] below, a field that
 * is NULL left out; a list (items, ref_columns) is one field per element.
 * Values escape "\" "\t" "\n" as \\ \t \n. The key of a constraint or
 * index is not written: reading recomputes it with the naming convention
 * of the day, as the live schema it is compared with gets it.
 */
#include "autoconfig.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "schema_internal.h"
#include "util.h"

#define SNAPSHOT_HEADER "migrator-schema 1"

enum field_type {
    FIELD_TEXT,       /* const char * at offset */
    FIELD_ITEM,       /* one element of items */
    FIELD_REF_COLUMN, /* one element of ref_columns */
    FIELD_FLAGS,      /* unsigned, written in hex when not 0 */
    FIELD_POSITION,   /* int, written when not 0 */
    FIELD_SEQ,        /* long long, written for a sequence */
};

struct field {
    const char *key;
    enum field_type type;
    size_t offset;   /* in struct mgr_object */
    bool omit_empty; /* "" goes without saying, as NULL does */
};

#define TEXT(name)                                                      \
    { #name, FIELD_TEXT, offsetof(struct mgr_object, name), false }
#define SEQ(name) { #name, FIELD_SEQ, offsetof(struct mgr_object, name), false }

/* The order fields are written in. kind is always first and not here. */
static const struct field fields[] = {
    /* The model makes a NULL schema "", the usual one. */
    { "schema", FIELD_TEXT, offsetof(struct mgr_object, schema), true },
    TEXT(table),
    TEXT(name),
    { "flags", FIELD_FLAGS, 0, false },
    { "position", FIELD_POSITION, 0, false },
    TEXT(type),
    TEXT(expr),
    TEXT(collation),
    TEXT(comment),
    TEXT(method),
    { "item", FIELD_ITEM, 0, false },
    TEXT(ref_schema),
    TEXT(ref_table),
    { "ref_column", FIELD_REF_COLUMN, 0, false },
    TEXT(on_delete),
    TEXT(on_update),
    SEQ(seq_start),
    SEQ(seq_increment),
    SEQ(seq_min),
    SEQ(seq_max),
    TEXT(owned_by),
};

#define NFIELDS (sizeof(fields) / sizeof(*fields))

static const char **text_at(struct mgr_object *obj, const struct field *f)
{
    return (const char **)(void *)((char *)obj + f->offset);
}

static const char *text_of(const struct mgr_object *obj,
                           const struct field *f)
{
    return *(const char *const *)(const void *)((const char *)obj +
                                                 f->offset);
}

static long long *seq_at(struct mgr_object *obj, const struct field *f)
{
    return (long long *)(void *)((char *)obj + f->offset);
}

static long long seq_of(const struct mgr_object *obj, const struct field *f)
{
    return *(const long long *)(const void *)((const char *)obj + f->offset);
}

/* ---- writing -------------------------------------------------------- */

static void add_escaped(struct mgr_buf *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '\\')
            mgr_buf_addstr(out, "\\\\");
        else if (*s == '\t')
            mgr_buf_addstr(out, "\\t");
        else if (*s == '\n')
            mgr_buf_addstr(out, "\\n");
        else
            mgr_buf_addch(out, *s);
    }
}

static void add_field(struct mgr_buf *out, const char *key, const char *value)
{
    mgr_buf_addf(out, "\t%s=", key);
    add_escaped(out, value);
}

static void add_list(struct mgr_buf *out, const char *key,
                     const char *const *list, size_t n)
{
    for (size_t i = 0; list && i < n; i++)
        add_field(out, key, list[i]);
}

static void write_field(const struct mgr_object *obj, const struct field *f,
                        struct mgr_buf *out)
{
    const char *text;

    switch (f->type) {
    case FIELD_TEXT:
        text = text_of(obj, f);
        if (text && (*text || !f->omit_empty))
            add_field(out, f->key, text);
        break;
    case FIELD_ITEM:
        add_list(out, f->key, obj->items, obj->nitems);
        break;
    case FIELD_REF_COLUMN:
        add_list(out, f->key, obj->ref_columns, obj->nitems);
        break;
    case FIELD_FLAGS:
        if (obj->flags)
            mgr_buf_addf(out, "\t%s=0x%x", f->key, obj->flags);
        break;
    case FIELD_POSITION:
        if (obj->position)
            mgr_buf_addf(out, "\t%s=%d", f->key, obj->position);
        break;
    case FIELD_SEQ:
        if (obj->kind == MGR_OBJ_SEQUENCE || seq_of(obj, f))
            mgr_buf_addf(out, "\t%s=%lld", f->key, seq_of(obj, f));
        break;
    }
}

static void write_object(const struct mgr_object *obj, struct mgr_buf *out)
{
    mgr_buf_addf(out, "kind=%s", schema_kind_token(obj->kind));
    for (size_t i = 0; i < NFIELDS; i++)
        write_field(obj, &fields[i], out);
    mgr_buf_addch(out, '\n');
}

static void write_list(const struct mgr_object *const *list, size_t n,
                       struct mgr_buf *out)
{
    for (size_t i = 0; i < n; i++)
        write_object(list[i], out);
}

void schema_serialize(const struct schema *s, struct mgr_buf *out)
{
    const struct mgr_schema *v = schema_view(s);

    mgr_buf_addstr(out, SNAPSHOT_HEADER "\n");
    for (size_t i = 0; i < v->ntables; i++) {
        const struct mgr_table *t = v->tables[i];

        write_object(t->obj, out);
        write_list(t->columns, t->ncolumns, out);
        write_list(t->constraints, t->nconstraints, out);
        write_list(t->indexes, t->nindexes, out);
    }
    write_list(v->enums, v->nenums, out);
    write_list(v->sequences, v->nsequences, out);
    write_list(v->views, v->nviews, out);
}

size_t schema_count(const struct schema *s)
{
    size_t n = s->enums.n + s->sequences.n + s->views.n;

    for (size_t i = 0; i < s->ntables; i++)
        n += 1 + s->tables[i]->columns.n + s->tables[i]->constraints.n +
             s->tables[i]->indexes.n;
    return n;
}

/* ---- reading -------------------------------------------------------- */

/* One line as it is read: the object and the strings it points to. */
struct line {
    struct mgr_object obj;
    bool has_kind;
    bool seen[NFIELDS];
    char **strings; /* every value, owned */
    size_t nstrings;
    const char **items;
    size_t nitems;
    const char **refs;
    size_t nrefs;
    struct mgr_error *err;
    int lineno;
};

static void line_release(struct line *l)
{
    for (size_t i = 0; i < l->nstrings; i++)
        free(l->strings[i]);
    free(l->strings);
    free(l->items);
    free(l->refs);
}

static int line_error(struct line *l, const char *fmt, ...) MGR_PRINTF(2, 3);

static int line_error(struct line *l, const char *fmt, ...)
{
    struct mgr_buf why = MGR_BUF_INIT;
    va_list ap;
    int rc;

    va_start(ap, fmt);
    mgr_buf_vaddf(&why, fmt, ap);
    va_end(ap);
    rc = mgr_error_set(l->err, MGR_EUSAGE, "schema snapshot line %d: %s",
                       l->lineno, why.buf);
    mgr_buf_release(&why);
    return rc;
}

/* The value between p and end without its escapes, owned by l; NULL
 * (and the error set) for an escape we do not write. */
static char *unescape(struct line *l, const char *p, const char *end)
{
    struct mgr_buf value = MGR_BUF_INIT;
    static const char from[] = "\\tn", to[] = "\\\t\n";

    for (; p < end; p++) {
        const char *esc;

        if (*p != '\\') {
            mgr_buf_addch(&value, *p);
            continue;
        }
        esc = p + 1 < end ? strchr(from, p[1]) : NULL;
        if (!esc || !*esc) {
            mgr_buf_release(&value);
            line_error(l, "bad escape (only \\\\, \\t, \\n)");
            return NULL;
        }
        mgr_buf_addch(&value, to[esc - from]);
        p++;
    }
    l->strings = xreallocarray(l->strings, l->nstrings + 1,
                               sizeof(*l->strings));
    l->strings[l->nstrings++] = mgr_buf_detach(&value, NULL);
    return l->strings[l->nstrings - 1];
}

static void push(const char ***list, size_t *n, const char *value)
{
    *list = xreallocarray(*list, *n + 1, sizeof(**list));
    (*list)[(*n)++] = value;
}

static int read_kind(struct line *l, const char *value)
{
    for (unsigned k = MGR_OBJ_TABLE; k <= MGR_OBJ_VIEW; k++)
        if (strcmp(value, schema_kind_token(k)) == 0) {
            l->obj.kind = k;
            l->has_kind = true;
            return MGR_OK;
        }
    return line_error(l, "unknown kind '%s'", value);
}

static bool is_digit_of(char c, bool hex)
{
    return (c >= '0' && c <= '9') || (hex && c >= 'a' && c <= 'f');
}

/* A whole number in [lo, hi] as the writer puts it: decimal, or for
 * flags hex after "0x". Nothing else (no sign, no space, no octal). */
static int read_number(struct line *l, const char *value, bool hex,
                       long long lo, long long hi, long long *out)
{
    const char *digits = value;
    char *end;

    if (hex && strncmp(value, "0x", 2) == 0)
        digits = value + 2;
    else if (hex)
        digits = "";
    else if (*digits == '-')
        digits++;
    if (!is_digit_of(*digits, hex))
        return line_error(l, "bad number '%s'", value);
    errno = 0;
    *out = strtoll(hex ? digits : value, &end, hex ? 16 : 10);
    if (*end || errno == ERANGE || *out < lo || *out > hi)
        return line_error(l, "bad number '%s'", value);
    return MGR_OK;
}

static int read_field(struct line *l, const struct field *f,
                      const char *value)
{
    long long n = 0;
    int rc = MGR_OK;

    switch (f->type) {
    case FIELD_TEXT:
        *text_at(&l->obj, f) = value;
        break;
    case FIELD_ITEM:
        push(&l->items, &l->nitems, value);
        break;
    case FIELD_REF_COLUMN:
        push(&l->refs, &l->nrefs, value);
        break;
    case FIELD_FLAGS:
        rc = read_number(l, value, true, 0, UINT_MAX, &n);
        l->obj.flags = (unsigned)n;
        break;
    case FIELD_POSITION:
        rc = read_number(l, value, false, INT_MIN, INT_MAX, &n);
        l->obj.position = (int)n;
        break;
    case FIELD_SEQ:
        rc = read_number(l, value, false, LLONG_MIN, LLONG_MAX,
                         seq_at(&l->obj, f));
        break;
    }
    return rc;
}

static const struct field *find_field(const char *key, size_t len)
{
    for (size_t i = 0; i < NFIELDS; i++)
        if (strlen(fields[i].key) == len &&
            memcmp(fields[i].key, key, len) == 0)
            return &fields[i];
    return NULL;
}

/* One key=value between p and end. */
static int read_pair(struct line *l, const char *p, const char *end)
{
    const char *eq = memchr(p, '=', (size_t)(end - p));
    const struct field *f;
    struct mgr_buf key = MGR_BUF_INIT;
    char *value;
    int rc;

    if (!eq)
        return line_error(l, "a field without '='");
    mgr_buf_add(&key, p, (size_t)(eq - p));
    value = unescape(l, eq + 1, end);
    f = find_field(p, (size_t)(eq - p));
    if (!value)
        rc = MGR_EUSAGE;
    else if (strcmp(key.buf, "kind") == 0)
        rc = l->has_kind ? line_error(l, "field 'kind' twice")
                         : read_kind(l, value);
    else if (!f)
        rc = line_error(l, "unknown field '%s'", key.buf);
    else if (l->seen[f - fields] && f->type != FIELD_ITEM &&
             f->type != FIELD_REF_COLUMN)
        rc = line_error(l, "field '%s' twice", key.buf);
    else
        rc = read_field(l, f, value);
    if (f)
        l->seen[f - fields] = true;
    mgr_buf_release(&key);
    return rc;
}

/* The whole line's fields into l->obj. */
static int read_fields(struct line *l, const char *p, const char *end)
{
    int rc = MGR_OK;

    while (rc == MGR_OK && p < end) {
        const char *tab = memchr(p, '\t', (size_t)(end - p));
        const char *stop = tab ? tab : end;

        rc = read_pair(l, p, stop);
        p = tab ? tab + 1 : end;
    }
    if (rc != MGR_OK)
        return rc;
    if (!l->has_kind)
        return line_error(l, "no kind= field");
    if (l->nrefs && l->nrefs != l->nitems)
        return line_error(l, "ref_column fields do not match the items");
    l->obj.size = sizeof(l->obj);
    l->obj.items = l->items;
    l->obj.nitems = l->nitems;
    l->obj.ref_columns = l->nrefs ? l->refs : NULL;
    return MGR_OK;
}

static int read_line(struct schema *s, int lineno, const char *p,
                     const char *end, struct mgr_error *err)
{
    struct line l;
    struct mgr_error added;
    int rc;

    memset(&l, 0, sizeof(l));
    l.err = err;
    l.lineno = lineno;
    if (p == end)
        rc = line_error(&l, "empty line");
    else if (memchr(p, '\0', (size_t)(end - p)))
        rc = line_error(&l, "a NUL byte");
    else
        rc = read_fields(&l, p, end);
    if (rc == MGR_OK) {
        rc = schema_add(s, &l.obj, &added);
        if (rc != MGR_OK)
            line_error(&l, "%s", added.msg);
    }
    line_release(&l);
    return rc;
}

static int read_header(const char *text, const char *end,
                       struct mgr_error *err)
{
    size_t len = (size_t)(end - text);

    if (len == strlen(SNAPSHOT_HEADER) &&
        memcmp(text, SNAPSHOT_HEADER, len) == 0)
        return MGR_OK;
    return mgr_error_set(err, MGR_EUSAGE,
                         "schema snapshot line 1: not a '" SNAPSHOT_HEADER
                         "' snapshot ('%.*s')",
                         (int)(len > 40 ? 40 : len), text);
}

int schema_parse(const char *text, size_t len,
                 const struct naming_convention *nc, struct schema **out,
                 struct mgr_error *err)
{
    const char *end, *nl, *p;
    struct schema *s;
    int rc, lineno = 2;

    if (!text)
        text = "";
    end = text + len;
    nl = memchr(text, '\n', len);
    p = nl ? nl + 1 : end;
    rc = read_header(text, nl ? nl : end, err);
    if (rc != MGR_OK)
        return rc;
    s = schema_new();
    /* Every line ends with a newline; the last may not. */
    while (rc == MGR_OK && p < end) {
        nl = memchr(p, '\n', (size_t)(end - p));
        rc = read_line(s, lineno++, p, nl ? nl : end, err);
        p = nl ? nl + 1 : end;
    }
    if (rc != MGR_OK) {
        schema_free(s);
        return rc;
    }
    schema_finish(s, nc, false);
    *out = s;
    return MGR_OK;
}
