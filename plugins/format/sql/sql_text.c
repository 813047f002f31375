/* sql_text.c: line-level helpers of the SQL script format. */
#include "autoconfig.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sql.h"

/* How much of an offending token an error message quotes. */
#define SHOW_MAX 40

static const char marker_word[] = "migrate:";

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

int sql_fail(const struct sql_state *st, struct mgr_error *err, int code,
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

static bool is_blank_char(char c)
{
    return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

static bool is_cont(unsigned char c)
{
    return (c & 0xc0) == 0x80;
}

/* Length of the valid UTF-8 sequence at s, or 0 if it is not one. */
static size_t utf8_seq(const unsigned char *s, size_t len)
{
    unsigned char c = s[0];
    unsigned char lo = 0x80, hi = 0xbf;
    size_t need;

    if (c < 0x80)
        return 1;
    if (c < 0xc2) /* a stray continuation byte or an overlong 2-byte form */
        return 0;
    if (c < 0xe0) {
        need = 2;
    } else if (c < 0xf0) {
        need = 3;
        if (c == 0xe0)
            lo = 0xa0; /* overlong */
        else if (c == 0xed)
            hi = 0x9f; /* UTF-16 surrogates */
    } else if (c < 0xf5) {
        need = 4;
        if (c == 0xf0)
            lo = 0x90; /* overlong */
        else if (c == 0xf4)
            hi = 0x8f; /* past U+10FFFF */
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

int sql_check_text(const struct sql_state *st, const char *path,
                   const struct sql_line *line, struct mgr_error *err)
{
    const unsigned char *s = (const unsigned char *)line->s;
    size_t len = line->len;
    size_t col = 1;

    if (len && memchr(s, '\0', len))
        return sql_fail(st, err, MGR_ESCRIPT, 0, "%s:%d: NUL byte", path,
                        line->no);
    for (size_t i = 0; i < len; col++) {
        size_t n = s[i] < 0x80 ? 1 : utf8_seq(s + i, len - i);

        if (n == 0)
            return sql_fail(st, err, MGR_ESCRIPT, 0,
                            "%s:%d:%zu: invalid UTF-8", path, line->no, col);
        i += n;
    }
    return MGR_OK;
}

bool sql_is_blank(const struct sql_line *line)
{
    for (size_t i = 0; i < line->len; i++)
        if (!is_blank_char(line->s[i]))
            return false;
    return true;
}

static void trim(const char **s, size_t *len)
{
    while (*len && is_blank_char(**s)) {
        (*s)++;
        (*len)--;
    }
    while (*len && is_blank_char((*s)[*len - 1]))
        (*len)--;
}

bool sql_comment_text(const struct sql_line *line, const char **text_out,
                      size_t *len_out)
{
    const char *s = line->s;
    size_t len = line->len;

    trim(&s, &len);
    if (len < 2 || s[0] != '-' || s[1] != '-')
        return false;
    s += 2;
    len -= 2;
    trim(&s, &len);
    *text_out = s;
    *len_out = len;
    return true;
}

/* After "--" and blanks at column 1, "migrate:": return what follows. */
static const char *marker_rest(const struct sql_line *line, size_t *len_out)
{
    const char *s = line->s, *end = line->s + line->len;
    size_t wlen = sizeof(marker_word) - 1;

    if (line->len < 2 || s[0] != '-' || s[1] != '-')
        return NULL;
    s += 2;
    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    if ((size_t)(end - s) < wlen || memcmp(s, marker_word, wlen) != 0)
        return NULL;
    s += wlen;
    *len_out = (size_t)(end - s);
    return s;
}

bool sql_is_marker(const struct sql_line *line)
{
    size_t len;

    return marker_rest(line, &len) != NULL;
}

/* Split off the next blank-separated token of *s; false at the end. */
static bool next_token(const char **s, size_t *len, const char **tok_out,
                       size_t *tlen_out)
{
    size_t n = 0;

    while (*len && is_blank_char(**s)) {
        (*s)++;
        (*len)--;
    }
    if (*len == 0)
        return false;
    while (n < *len && !is_blank_char((*s)[n]))
        n++;
    *tok_out = *s;
    *tlen_out = n;
    *s += n;
    *len -= n;
    return true;
}

static bool token_is(const char *tok, size_t len, const char *word)
{
    return strlen(word) == len && memcmp(tok, word, len) == 0;
}

static bool token_is_nocase(const char *tok, size_t len, const char *word)
{
    if (strlen(word) != len)
        return false;
    for (size_t i = 0; i < len; i++) {
        char a = tok[i], b = word[i];

        if (a >= 'A' && a <= 'Z')
            a = (char)(a - 'A' + 'a');
        if (a != b)
            return false;
    }
    return true;
}

/* Bytes of tok to quote: at most SHOW_MAX, cut at a character boundary. */
static int shown_len(const char *tok, size_t len)
{
    if (len > SHOW_MAX) {
        len = SHOW_MAX;
        while (len && is_cont((unsigned char)tok[len]))
            len--;
    }
    return (int)len;
}

int sql_parse_marker(const struct sql_state *st, const char *path,
                     const struct sql_line *line, struct sql_marker *out,
                     struct mgr_error *err)
{
    const char *rest, *tok;
    size_t len, tlen;
    bool seen_transaction = false;

    rest = marker_rest(line, &len);
    if (!rest || !next_token(&rest, &len, &tok, &tlen))
        return sql_fail(st, err, MGR_ESCRIPT, 0,
                        "%s:%d: section marker without a name; use "
                        "'-- migrate:upgrade' or '-- migrate:downgrade'",
                        path, line->no);
    if (token_is(tok, tlen, "upgrade"))
        out->dir = MGR_UPGRADE;
    else if (token_is(tok, tlen, "downgrade"))
        out->dir = MGR_DOWNGRADE;
    else
        return sql_fail(st, err, MGR_ESCRIPT, 0,
                        "%s:%d: unknown section '%.*s'; use "
                        "'-- migrate:upgrade' or '-- migrate:downgrade'",
                        path, line->no, shown_len(tok, tlen), tok);
    out->flags = 0;

    while (next_token(&rest, &len, &tok, &tlen)) {
        const char *eq = memchr(tok, '=', tlen);
        size_t klen = eq ? (size_t)(eq - tok) : tlen;
        const char *val = eq ? eq + 1 : NULL;
        size_t vlen = eq ? tlen - klen - 1 : 0;

        if (!eq || !token_is_nocase(tok, klen, "transaction"))
            return sql_fail(st, err, MGR_ESCRIPT, 0,
                            "%s:%d: unknown section option '%.*s'; the "
                            "only option is 'transaction=false'",
                            path, line->no, shown_len(tok, tlen), tok);
        if (seen_transaction)
            return sql_fail(st, err, MGR_ESCRIPT, 0,
                            "%s:%d: section option 'transaction' given "
                            "twice",
                            path, line->no);
        seen_transaction = true;
        if (token_is_nocase(val, vlen, "false"))
            out->flags |= MGR_SECTION_NO_TRANSACTION;
        else if (!token_is_nocase(val, vlen, "true"))
            return sql_fail(st, err, MGR_ESCRIPT, 0,
                            "%s:%d: bad value '%.*s' for section option "
                            "'transaction'; use 'true' or 'false'",
                            path, line->no, shown_len(val, vlen), val);
    }
    return MGR_OK;
}

/*
 * Whether key (len bytes) spells name, ignoring case, with any run of
 * blanks in key matching the one space in name.
 */
static bool key_matches(const char *key, size_t len, const char *name)
{
    size_t i = 0;
    char a, b;

    for (; *name; name++) {
        if (*name == ' ') {
            if (i == len || !is_blank_char(key[i]))
                return false;
            while (i < len && is_blank_char(key[i]))
                i++;
            continue;
        }
        if (i == len)
            return false;
        a = key[i++];
        b = *name;
        if (a >= 'A' && a <= 'Z')
            a = (char)(a - 'A' + 'a');
        if (b >= 'A' && b <= 'Z')
            b = (char)(b - 'A' + 'a');
        if (a != b)
            return false;
    }
    return i == len;
}

bool sql_header_key(const char *text, size_t len,
                    enum mgr_meta_field *field_out, const char **value_out,
                    size_t *vlen_out)
{
    const char *colon = memchr(text, ':', len);
    const char *key = text;
    size_t klen;

    if (!colon)
        return false;
    klen = (size_t)(colon - text);
    trim(&key, &klen);
    for (size_t i = 0; i < sizeof(header_keys) / sizeof(header_keys[0]);
         i++) {
        if (key_matches(key, klen, header_keys[i].name)) {
            const char *value = colon + 1;
            size_t vlen = len - (size_t)(value - text);

            trim(&value, &vlen);
            *field_out = header_keys[i].field;
            *value_out = value;
            *vlen_out = vlen;
            return true;
        }
    }
    return false;
}

int sql_fail_outside(const struct sql_state *st, const char *path, int line,
                     struct mgr_error *err)
{
    return sql_fail(st, err, MGR_ESCRIPT, 0,
                    "%s:%d: text outside a section; statements go after "
                    "'-- migrate:upgrade'",
                    path, line);
}
