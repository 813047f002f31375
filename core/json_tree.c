/*
 * json_tree.c: a small JSON reader for parse trees. Recursive descent
 * over RFC 8259 text, with every value, string and member array taken
 * from an arena of large blocks: a statement's tree has a few hundred
 * values, and a lint of a thousand scripts reads thousands of trees.
 * Depth is limited so that a hostile tree cannot exhaust the stack.
 */
#include "autoconfig.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "json_tree.h"
#include "util.h"

#define ARENA_BLOCK 65536
#define MAX_DEPTH 512

struct arena_block {
    struct arena_block *next;
    size_t used, cap;
    /* followed by cap bytes */
};

struct json_tree {
    struct arena_block *blocks;
};

struct reader {
    struct json_tree *tree;
    const char *p, *end, *start;
    int depth;
    struct mgr_error *err;
};

static void *arena_alloc(struct json_tree *t, size_t n)
{
    struct arena_block *b = t->blocks;
    void *p;

    n = (n + 15) & ~(size_t)15;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > ARENA_BLOCK ? n : ARENA_BLOCK;

        b = xmalloc(sizeof(*b) + 16 + cap);
        b->next = t->blocks;
        b->used = 0;
        b->cap = cap;
        t->blocks = b;
    }
    /* The data starts 16 bytes past the header, aligned for anything. */
    p = (char *)b + ((sizeof(*b) + 15) & ~(size_t)15) + b->used;
    b->used += n;
    return p;
}

void json_tree_free(struct json_tree *tree)
{
    if (!tree)
        return;
    while (tree->blocks) {
        struct arena_block *next = tree->blocks->next;

        free(tree->blocks);
        tree->blocks = next;
    }
    free(tree);
}

static int bad(struct reader *r, const char *what)
{
    return mgr_error_set(r->err, MGR_EUSAGE,
                         "parse tree is not JSON: %s at byte %td", what,
                         r->p - r->start);
}

static void skip_space(struct reader *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' ||
                             *r->p == '\n' || *r->p == '\r'))
        r->p++;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int read_hex4(struct reader *r, unsigned *out)
{
    unsigned v = 0;

    if (r->end - r->p < 4)
        return -1;
    for (int i = 0; i < 4; i++) {
        int d = hex_digit(r->p[i]);

        if (d < 0)
            return -1;
        v = v * 16 + (unsigned)d;
    }
    r->p += 4;
    *out = v;
    return 0;
}

static size_t put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xc0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xe0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        o[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    o[0] = (char)(0xf0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    o[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* One escape after the backslash; appends to o, returns bytes or 0. */
static size_t read_escape(struct reader *r, char *o)
{
    char c = *r->p++;
    unsigned cp, lo;

    switch (c) {
    case '"': case '\\': case '/': *o = c; return 1;
    case 'b': *o = '\b'; return 1;
    case 'f': *o = '\f'; return 1;
    case 'n': *o = '\n'; return 1;
    case 'r': *o = '\r'; return 1;
    case 't': *o = '\t'; return 1;
    case 'u': break;
    default: return 0;
    }
    if (read_hex4(r, &cp) != 0)
        return 0;
    if (cp >= 0xd800 && cp < 0xdc00 && r->end - r->p >= 6 &&
        r->p[0] == '\\' && r->p[1] == 'u') {
        r->p += 2;
        if (read_hex4(r, &lo) != 0 || lo < 0xdc00 || lo > 0xdfff)
            return 0;
        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
    }
    return put_utf8(o, cp);
}

/* A string after its opening quote, unescaped into the arena. An
 * escape never grows the text, so its length bounds the result. */
static int read_string(struct reader *r, const char **out)
{
    const char *q = r->p;
    char *o, *s;

    while (q < r->end && *q != '"')
        q += (*q == '\\' && q + 1 < r->end) ? 2 : 1;
    if (q >= r->end)
        return bad(r, "unterminated string");
    s = o = arena_alloc(r->tree, (size_t)(q - r->p) + 1);
    while (r->p < q) {
        if (*r->p != '\\') {
            *o++ = *r->p++;
            continue;
        }
        r->p++;
        size_t n = read_escape(r, o);
        if (!n)
            return bad(r, "bad escape");
        o += n;
    }
    *o = '\0';
    r->p = q + 1;
    *out = s;
    return MGR_OK;
}

static int read_value(struct reader *r, struct mgr_json *v);

/* Members or elements until close, gathered first in a growing array,
 * then copied into the arena. */
static int read_items(struct reader *r, struct mgr_json *v, char close,
                      bool keyed)
{
    struct mgr_json **items = NULL;
    size_t n = 0, cap = 0;
    int rc = MGR_OK;

    skip_space(r);
    if (r->p < r->end && *r->p == close) {
        r->p++;
        return MGR_OK;
    }
    for (;;) {
        struct mgr_json *item = arena_alloc(r->tree, sizeof(*item));
        const char *key = NULL;

        memset(item, 0, sizeof(*item));
        skip_space(r);
        if (keyed) {
            if (r->p >= r->end || *r->p != '"') {
                rc = bad(r, "expected a member name");
                break;
            }
            r->p++;
            if ((rc = read_string(r, &key)) != MGR_OK)
                break;
            skip_space(r);
            if (r->p >= r->end || *r->p != ':') {
                rc = bad(r, "expected ':'");
                break;
            }
            r->p++;
        }
        if ((rc = read_value(r, item)) != MGR_OK)
            break;
        item->key = key;
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            items = xrealloc(items, cap * sizeof(*items));
        }
        items[n++] = item;
        skip_space(r);
        if (r->p < r->end && *r->p == ',') {
            r->p++;
            continue;
        }
        if (r->p < r->end && *r->p == close) {
            r->p++;
            break;
        }
        rc = bad(r, keyed ? "expected ',' or '}'" : "expected ',' or ']'");
        break;
    }
    if (rc == MGR_OK) {
        struct mgr_json **kept = arena_alloc(r->tree, n * sizeof(*kept));

        memcpy(kept, items, n * sizeof(*kept));
        v->items = (const struct mgr_json *const *)kept;
        v->n = n;
    }
    free(items);
    return rc;
}

static int read_number(struct reader *r, struct mgr_json *v)
{
    const char *q = r->p;
    char *text, *end;

    while (q < r->end && (strchr("+-.eE", *q) || (*q >= '0' && *q <= '9')))
        q++;
    text = arena_alloc(r->tree, (size_t)(q - r->p) + 1);
    memcpy(text, r->p, (size_t)(q - r->p));
    text[q - r->p] = '\0';
    v->num = strtod(text, &end);
    if (end == text || *end)
        return bad(r, "bad number");
    v->type = MGR_JSON_NUMBER;
    v->str = text;
    r->p = q;
    return MGR_OK;
}

static int read_word(struct reader *r, struct mgr_json *v, const char *word,
                     enum mgr_json_type type)
{
    size_t n = strlen(word);

    if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0)
        return bad(r, "unexpected character");
    r->p += n;
    v->type = type;
    return MGR_OK;
}

static int read_value(struct reader *r, struct mgr_json *v)
{
    int rc;

    skip_space(r);
    if (r->p >= r->end)
        return bad(r, "unexpected end");
    switch (*r->p) {
    case '{':
    case '[':
        if (++r->depth > MAX_DEPTH)
            return bad(r, "nested too deeply");
        v->type = *r->p == '{' ? MGR_JSON_OBJECT : MGR_JSON_ARRAY;
        r->p++;
        rc = read_items(r, v, v->type == MGR_JSON_OBJECT ? '}' : ']',
                        v->type == MGR_JSON_OBJECT);
        r->depth--;
        return rc;
    case '"':
        r->p++;
        v->type = MGR_JSON_STRING;
        return read_string(r, &v->str);
    case 't': return read_word(r, v, "true", MGR_JSON_TRUE);
    case 'f': return read_word(r, v, "false", MGR_JSON_FALSE);
    case 'n': return read_word(r, v, "null", MGR_JSON_NULL);
    default: return read_number(r, v);
    }
}

int json_tree_parse(const char *text, size_t len, struct json_tree **tree_out,
                    const struct mgr_json **root_out, struct mgr_error *err)
{
    struct json_tree *t = xmalloc(sizeof(*t));
    struct reader r = { t, text, text + len, text, 0, err };
    struct mgr_json *root;
    int rc;

    t->blocks = NULL;
    root = arena_alloc(t, sizeof(*root));
    memset(root, 0, sizeof(*root));
    rc = read_value(&r, root);
    if (rc == MGR_OK) {
        skip_space(&r);
        if (r.p != r.end)
            rc = bad(&r, "text after the value");
    }
    if (rc != MGR_OK) {
        json_tree_free(t);
        return rc;
    }
    *tree_out = t;
    *root_out = root;
    return MGR_OK;
}

const struct mgr_json *json_tree_get(const struct mgr_json *object,
                                     const char *key)
{
    if (!object || object->type != MGR_JSON_OBJECT)
        return NULL;
    for (size_t i = 0; i < object->n; i++)
        if (strcmp(object->items[i]->key, key) == 0)
            return object->items[i];
    return NULL;
}
