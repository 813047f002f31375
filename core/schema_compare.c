/*
 * schema_compare.c: whether two texts or two objects from databases say
 * the same (see schema_model.h). Both sides come from the same kind of
 * database, so only what it may print differently for the same thing is
 * ignored: case and white space outside quotes, parentheses around the
 * whole text, and casts of literals (PostgreSQL prints 'a'::text for 'a').
 */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "schema_internal.h"
#include "util.h"

/* ---- characters ----------------------------------------------------- */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_word(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) ||
           c == '_' || c == '$' || (unsigned char)c >= 0x80;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* p at an opening quote: the byte after its closing one (a doubled
 * quote is part of the text), or the end. */
static const char *quoted_end(const char *p)
{
    char q = *p;

    for (p++; *p; p++) {
        if (*p == q && p[1] == q)
            p++;
        else if (*p == q)
            return p + 1;
    }
    return p;
}

/* ---- normalising ---------------------------------------------------- */

/*
 * Lower case and one space per run of white space outside quotes, and
 * no space at all unless it separates two words ("a and b", but
 * "(a>0)"): around operators and punctuation it means nothing.
 */
static void fold(const char *text, struct mgr_buf *out)
{
    const char *p = text;
    bool space = false;

    while (*p) {
        if (is_space(*p)) {
            space = true;
            p++;
            continue;
        }
        if (space && out->len && is_word(out->buf[out->len - 1]) &&
            (is_word(*p) || *p == '\'' || *p == '"'))
            mgr_buf_addch(out, ' ');
        space = false;
        if (*p == '\'' || *p == '"') {
            const char *end = quoted_end(p);

            mgr_buf_add(out, p, (size_t)(end - p));
            p = end;
        } else {
            mgr_buf_addch(out, lower(*p++));
        }
    }
}

/* In folded text, from p just past a literal: the end of "::type" casts
 * that follow it, or p when none does. A type is words (some types take
 * two or more: "character varying", "timestamp with time zone"),
 * qualified or quoted, with an optional (n[,m]) and []. */
static const char *skip_casts(const char *p)
{
    static const char *const more_words[] = { "varying", "precision",
                                              "with",    "without",
                                              "time",    "zone" };

    while (p[0] == ':' && p[1] == ':') {
        const char *q = p + 2;
        const char *type_start = q;

        for (;;) {
            if (*q == '"')
                q = quoted_end(q);
            else
                while (is_word(*q))
                    q++;
            if (*q == '.' && (is_word(q[1]) || q[1] == '"')) {
                q++;
                continue;
            }
            if (*q == ' ') {
                const char *w = q + 1;
                size_t len = 0;
                bool known = false;

                while (is_word(w[len]))
                    len++;
                for (size_t i = 0; i < sizeof(more_words) /
                                           sizeof(*more_words); i++)
                    known = known || (strlen(more_words[i]) == len &&
                                      memcmp(more_words[i], w, len) == 0);
                if (known) {
                    q = w;
                    continue;
                }
            }
            break;
        }
        if (q == type_start)
            return p;
        if (*q == '(') {
            const char *r = q + 1;

            while (is_digit(*r) || *r == ',')
                r++;
            if (*r == ')')
                q = r + 1;
        }
        while (q[0] == '[' && q[1] == ']')
            q += 2;
        p = q;
    }
    return p;
}

/* The end of a number starting at p (1, 1.5, .5, 1e-3), or p. */
static const char *number_end(const char *p)
{
    const char *q = p;

    while (is_digit(*q))
        q++;
    if (*q == '.')
        for (q++; is_digit(*q);)
            q++;
    if (q == p || (q == p + 1 && *p == '.'))
        return p;
    if (*q == 'e' && (is_digit(q[1]) ||
                      ((q[1] == '-' || q[1] == '+') && is_digit(q[2]))))
        for (q += 2; is_digit(*q);)
            q++;
    return q;
}

/* The end of a literal at p of folded text (a string, a number, null,
 * true, false), or p when none starts there. prev is the byte before p,
 * or 0: "a1" holds no number. */
static const char *literal_end(const char *p, char prev)
{
    static const char *const words[] = { "null", "true", "false" };

    if (*p == '\'')
        return quoted_end(p);
    if (prev && (is_word(prev) || prev == '"' || prev == '.'))
        return p;
    if (is_digit(*p) || *p == '.')
        return number_end(p);
    for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++) {
        size_t n = strlen(words[i]);

        if (strncmp(p, words[i], n) == 0 && !is_word(p[n]))
            return p + n;
    }
    return p;
}

/* At p, "(0)::numeric" or "(-5)::integer", PostgreSQL's way to cast a
 * constant in a condition: the ")" after the literal, or p when none. */
static const char *paren_literal_end(const char *p)
{
    const char *q = p + 1, *end;

    if (*p != '(')
        return p;
    if (*q == '-')
        q++;
    end = literal_end(q, '(');
    if (end == q || end[0] != ')' || end[1] != ':' || end[2] != ':')
        return p;
    return end;
}

/* Copy folded text without the casts of its literals. */
static void drop_literal_casts(const char *text, struct mgr_buf *out)
{
    const char *p = text;

    while (*p) {
        const char *end = literal_end(p, p > text ? p[-1] : 0);
        const char *paren = paren_literal_end(p);

        if (paren > p) {
            mgr_buf_add(out, p + 1, (size_t)(paren - p - 1));
            p = skip_casts(paren + 1);
        } else if (end > p) {
            mgr_buf_add(out, p, (size_t)(end - p));
            p = skip_casts(end);
        } else if (*p == '"') {
            end = quoted_end(p);
            mgr_buf_add(out, p, (size_t)(end - p));
            p = end;
        } else if (*p == ']') {
            /* ARRAY['a', 'b']::text[]: PostgreSQL casts either the array
             * or each element, depending on how the text came in. */
            mgr_buf_addch(out, *p++);
            p = skip_casts(p);
        } else if (is_word(*p)) {
            /* A whole word, so that its digits are not taken for a
             * number. */
            while (is_word(*p))
                mgr_buf_addch(out, *p++);
        } else {
            mgr_buf_addch(out, *p++);
        }
    }
}

/* Where the parenthesis at text[0] closes, or len when it does not. */
static size_t matching_paren(const char *text, size_t len)
{
    size_t depth = 0;

    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\'' || text[i] == '"') {
            i = (size_t)(quoted_end(text + i) - text) - 1;
            continue;
        }
        if (text[i] == '(')
            depth++;
        else if (text[i] == ')' && --depth == 0)
            return i;
    }
    return len;
}

/* Remove parentheses around the whole text, as often as they are
 * there: "((a>0))" says "a>0". */
static void drop_outer_parens(struct mgr_buf *text)
{
    while (text->len >= 2 && text->buf[0] == '(' &&
           matching_paren(text->buf, text->len) == text->len - 1) {
        memmove(text->buf, text->buf + 1, text->len - 2);
        mgr_buf_setlen(text, text->len - 2);
    }
}

static void normalise(const char *text, struct mgr_buf *out)
{
    struct mgr_buf folded = MGR_BUF_INIT;

    fold(text, &folded);
    drop_literal_casts(folded.buf, out);
    drop_outer_parens(out);
    mgr_buf_release(&folded);
}

bool schema_text_equal(const char *a, const char *b)
{
    struct mgr_buf na = MGR_BUF_INIT, nb = MGR_BUF_INIT;
    bool same;

    if (!a || !b)
        return a == b;
    if (strcmp(a, b) == 0)
        return true;
    normalise(a, &na);
    normalise(b, &nb);
    same = na.len == nb.len && memcmp(na.buf, nb.buf, na.len) == 0;
    mgr_buf_release(&na);
    mgr_buf_release(&nb);
    return same;
}

/* ---- objects -------------------------------------------------------- */

/* Exact equality, for names and data (comments, enum values). */
static bool str_same(const char *a, const char *b)
{
    return schema_strcmp_null(a, b) == 0;
}

static bool case_same(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (lower(*a) != lower(*b))
            return false;
    return *a == *b;
}

/* An ON DELETE/UPDATE action, NULL being NO ACTION. */
static bool action_same(const char *a, const char *b)
{
    return case_same(a ? a : "NO ACTION", b ? b : "NO ACTION");
}

static bool method_same(const char *a, const char *b)
{
    return case_same(a ? a : "btree", b ? b : "btree");
}

static bool list_same(const char *const *a, const char *const *b, size_t n,
                      bool (*same)(const char *, const char *))
{
    if (!a || !b)
        return a == b || !n;
    for (size_t i = 0; i < n; i++)
        if (!same(a[i], b[i]))
            return false;
    return true;
}

static bool flags_same(const struct mgr_object *a,
                       const struct mgr_object *b, unsigned mask)
{
    return (a->flags & mask) == (b->flags & mask);
}

static bool table_same(const struct mgr_object *a, const struct mgr_object *b)
{
    return str_same(a->comment, b->comment);
}

static bool column_same(const struct mgr_object *a,
                        const struct mgr_object *b)
{
    return schema_text_equal(a->type, b->type) &&
           schema_text_equal(a->expr, b->expr) &&
           schema_text_equal(a->collation, b->collation) &&
           flags_same(a, b,
                      MGR_OBJ_NOT_NULL | MGR_OBJ_IDENTITY_ALWAYS |
                          MGR_OBJ_IDENTITY_DEFAULT | MGR_OBJ_AUTOINCREMENT) &&
           str_same(a->comment, b->comment);
}

/* PRIMARY_KEY, UNIQUE: the columns, and whether checking waits (a
 * deferrable key is another constraint to PostgreSQL). */
static bool key_same(const struct mgr_object *a, const struct mgr_object *b)
{
    return a->nitems == b->nitems &&
           list_same(a->items, b->items, a->nitems, str_same) &&
           flags_same(a, b,
                      MGR_OBJ_DEFERRABLE | MGR_OBJ_INITIALLY_DEFERRED);
}

static bool ref_schema_same(const char *a, const char *b)
{
    return str_same(a ? a : "", b ? b : "");
}

static bool foreign_key_same(const struct mgr_object *a,
                             const struct mgr_object *b)
{
    return key_same(a, b) && ref_schema_same(a->ref_schema, b->ref_schema) &&
           str_same(a->ref_table, b->ref_table) &&
           list_same(a->ref_columns, b->ref_columns, a->nitems, str_same) &&
           action_same(a->on_delete, b->on_delete) &&
           action_same(a->on_update, b->on_update);
}

static bool check_same(const struct mgr_object *a, const struct mgr_object *b)
{
    return schema_text_equal(a->expr, b->expr);
}

static bool index_same(const struct mgr_object *a, const struct mgr_object *b)
{
    return flags_same(a, b, MGR_OBJ_UNIQUE_INDEX) && a->nitems == b->nitems &&
           list_same(a->items, b->items, a->nitems, schema_text_equal) &&
           schema_text_equal(a->expr, b->expr) &&
           method_same(a->method, b->method) &&
           str_same(a->comment, b->comment);
}

static bool enum_same(const struct mgr_object *a, const struct mgr_object *b)
{
    return a->nitems == b->nitems &&
           list_same(a->items, b->items, a->nitems, str_same);
}

static bool sequence_same(const struct mgr_object *a,
                          const struct mgr_object *b)
{
    return schema_text_equal(a->type, b->type) &&
           a->seq_start == b->seq_start &&
           a->seq_increment == b->seq_increment &&
           a->seq_min == b->seq_min && a->seq_max == b->seq_max &&
           flags_same(a, b, MGR_OBJ_CYCLE) &&
           str_same(a->owned_by, b->owned_by);
}

static bool view_same(const struct mgr_object *a, const struct mgr_object *b)
{
    return schema_text_equal(a->expr, b->expr) &&
           str_same(a->comment, b->comment);
}

/* The name an object is compared by: a constraint's or index's key
 * (what the convention calls it), anything else's own name. */
static const char *compared_name(const struct mgr_object *obj)
{
    if (schema_kind_is_constraint(obj->kind) || obj->kind == MGR_OBJ_INDEX)
        return schema_key(obj);
    return obj->name;
}

bool schema_object_equal(const struct mgr_object *a,
                         const struct mgr_object *b)
{
    static bool (*const same[])(const struct mgr_object *,
                                const struct mgr_object *) = {
        [MGR_OBJ_TABLE] = table_same,        [MGR_OBJ_COLUMN] = column_same,
        [MGR_OBJ_PRIMARY_KEY] = key_same,    [MGR_OBJ_UNIQUE] = key_same,
        [MGR_OBJ_FOREIGN_KEY] = foreign_key_same,
        [MGR_OBJ_CHECK] = check_same,        [MGR_OBJ_INDEX] = index_same,
        [MGR_OBJ_ENUM] = enum_same,          [MGR_OBJ_SEQUENCE] = sequence_same,
        [MGR_OBJ_VIEW] = view_same,
    };

    if (a == b)
        return true;
    if (!a || !b || a->kind != b->kind || !schema_kind_token(a->kind))
        return false;
    return str_same(compared_name(a), compared_name(b)) && same[a->kind](a, b);
}
