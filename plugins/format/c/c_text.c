/* c_text.c: memory, strings and text checks of the C script format. */
#include "autoconfig.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "c.h"

static const struct {
    const char *name;
    enum mgr_meta_field field;
} header_keys[] = {
    { "Revision ID", MGR_META_REVISION },
    { "Revises", MGR_META_REVISES },
    { "Create Date", MGR_META_CREATE_DATE },
    { "Branch Labels", MGR_META_BRANCH_LABELS },
    { "Depends On", MGR_META_DEPENDS_ON },
};

static void out_of_memory(size_t n)
{
    fprintf(stderr, "migrator: fatal: out of memory (%zu bytes)\n", n);
    abort();
}

void *c_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);

    if (!p)
        out_of_memory(n);
    return p;
}

void *c_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);

    if (!q)
        out_of_memory(n);
    return q;
}

char *c_xstrndup(const char *s, size_t n)
{
    char *p = c_xmalloc(n + 1);

    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *c_xstrdup(const char *s)
{
    return c_xstrndup(s, strlen(s));
}

static void str_grow(struct c_str *sb, size_t extra)
{
    size_t want = sb->len + extra + 1;

    if (want <= sb->alloc)
        return;
    if (want < 2 * sb->alloc)
        want = 2 * sb->alloc;
    if (want < 64)
        want = 64;
    sb->s = c_xrealloc(sb->s, want);
    sb->alloc = want;
}

void c_str_add(struct c_str *sb, const char *data, size_t len)
{
    str_grow(sb, len);
    memcpy(sb->s + sb->len, data, len);
    sb->len += len;
    sb->s[sb->len] = '\0';
}

void c_str_adds(struct c_str *sb, const char *s)
{
    c_str_add(sb, s, strlen(s));
}

void c_str_addf(struct c_str *sb, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n <= 0)
        return;
    str_grow(sb, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(sb->s + sb->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb->len += (size_t)n;
}

const char *c_str_get(const struct c_str *sb)
{
    return sb->s ? sb->s : "";
}

void c_str_release(struct c_str *sb)
{
    free(sb->s);
    sb->s = NULL;
    sb->len = sb->alloc = 0;
}

int c_fail(const struct c_state *st, struct mgr_error *err, int code,
           int errnum, const char *fmt, ...)
{
    char msg[MGR_ERROR_SIZE];
    va_list ap;

    if (!err)
        return code;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (errnum)
        st->api->error_set(err, code, "%s: %s", msg, strerror(errnum));
    else
        st->api->error_set(err, code, "%s", msg);
    err->sys_errno = errnum;
    return code;
}

static bool is_cont(unsigned char c)
{
    return (c & 0xc0) == 0x80;
}

/* Length of the valid UTF-8 sequence at s (RFC 3629), or 0. */
static size_t utf8_len(const unsigned char *s, size_t len)
{
    unsigned char c = s[0], lo = 0x80, hi = 0xbf;
    size_t need;

    if (c < 0x80)
        return 1;
    if (c < 0xc2)
        return 0; /* a continuation byte, or an overlong 2-byte lead */
    if (c < 0xe0) {
        need = 2;
    } else if (c < 0xf0) {
        need = 3;
        lo = c == 0xe0 ? 0xa0 : 0x80; /* overlong */
        hi = c == 0xed ? 0x9f : 0xbf; /* surrogates */
    } else if (c < 0xf5) {
        need = 4;
        lo = c == 0xf0 ? 0x90 : 0x80; /* overlong */
        hi = c == 0xf4 ? 0x8f : 0xbf; /* past U+10FFFF */
    } else {
        return 0;
    }
    if (len < need || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < need; i++)
        if (!is_cont(s[i]))
            return 0;
    return need;
}

int c_check_text(const struct c_state *st, const char *path,
                 const char *s, size_t len, int line,
                 struct mgr_error *err)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t col = 1;

    if (len && memchr(s, '\0', len))
        return c_fail(st, err, MGR_ESCRIPT, 0, "%s:%d: NUL byte", path,
                      line);
    for (size_t i = 0; i < len; col++) {
        size_t n = utf8_len(u + i, len - i);

        if (n == 0)
            return c_fail(st, err, MGR_ESCRIPT, 0,
                          "%s:%d:%zu: invalid UTF-8", path, line, col);
        i += n;
    }
    return MGR_OK;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Whether key spells name in any case, a run of blanks for its space. */
static bool key_is(const char *key, size_t len, const char *name)
{
    size_t i = 0;

    for (; *name; name++) {
        if (*name == ' ') {
            if (i == len || !is_blank(key[i]))
                return false;
            while (i < len && is_blank(key[i]))
                i++;
        } else if (i == len || lower(key[i++]) != lower(*name)) {
            return false;
        }
    }
    return i == len;
}

bool c_header_key(const char *text, size_t len,
                  enum mgr_meta_field *field_out, const char **value_out,
                  size_t *vlen_out)
{
    const char *colon = memchr(text, ':', len);
    const char *key = text, *value;
    size_t klen, vlen;

    if (!colon)
        return false;
    klen = (size_t)(colon - text);
    while (klen && is_blank(*key)) {
        key++;
        klen--;
    }
    while (klen && is_blank(key[klen - 1]))
        klen--;
    for (size_t i = 0; i < sizeof(header_keys) / sizeof(header_keys[0]);
         i++) {
        if (!key_is(key, klen, header_keys[i].name))
            continue;
        value = colon + 1;
        vlen = len - (size_t)(value - text);
        while (vlen && is_blank(*value)) {
            value++;
            vlen--;
        }
        while (vlen && is_blank(value[vlen - 1]))
            vlen--;
        *field_out = header_keys[i].field;
        *value_out = value;
        *vlen_out = vlen;
        return true;
    }
    return false;
}

static void push_word(char ***argv, size_t *argc, struct c_str *w)
{
    *argv = c_xrealloc(*argv, (*argc + 2) * sizeof(**argv));
    (*argv)[(*argc)++] = c_xstrdup(c_str_get(w));
    (*argv)[*argc] = NULL;
    c_str_release(w);
}

bool c_split_words(const char *s, char ***argv, size_t *argc)
{
    struct c_str w = { NULL, 0, 0 };
    bool in_word = false;
    char quote = 0;

    if (!*argv) {
        *argv = c_xmalloc(sizeof(**argv));
        (*argv)[0] = NULL;
        *argc = 0;
    }
    for (; s && *s; s++) {
        if (quote) {
            if (*s == quote)
                quote = 0;
            else if (quote == '"' && *s == '\\' && s[1])
                c_str_add(&w, ++s, 1);
            else
                c_str_add(&w, s, 1);
        } else if (*s == '\'' || *s == '"') {
            quote = *s;
            in_word = true;
        } else if (*s == '\\' && s[1]) {
            c_str_add(&w, ++s, 1);
            in_word = true;
        } else if (is_blank(*s) || *s == '\n') {
            if (in_word)
                push_word(argv, argc, &w);
            in_word = false;
        } else {
            c_str_add(&w, s, 1);
            in_word = true;
        }
    }
    if (in_word && !quote)
        push_word(argv, argc, &w);
    c_str_release(&w);
    return quote == 0;
}

void c_words_free(char **argv)
{
    for (size_t i = 0; argv && argv[i]; i++)
        free(argv[i]);
    free(argv);
}
