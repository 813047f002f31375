/*
 * c_header.c: read the header comment of a C script, and nothing past it.
 *
 * Blank lines may precede the comment; anything else there is an error,
 * as is a comment that never closes. Inside the comment each line's text
 * (see c.h) goes through the rules of an SQL script's header: the first
 * text is the message, the lines after it up to the first key are
 * description lines (an empty one separates paragraphs), and after the
 * first key lines that are not known keys are ignored. Line numbers are
 * the file's.
 */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "c.h"

enum header_state {
    BEFORE_MESSAGE,
    DESCRIPTION,
    KEYS,
};

struct reader {
    FILE *f;
    char *buf;
    size_t alloc;
    int no;
};

/* The next line without "\n" or "\r\n" into *s and *len; *eof at the end. */
static int read_line(const struct c_state *st, const char *path,
                     struct reader *r, const char **s, size_t *len,
                     bool *eof, struct mgr_error *err)
{
    size_t n = 0;
    int c = EOF;

    *eof = false;
    for (;;) {
        c = getc(r->f);
        if (c == EOF || c == '\n')
            break;
        if (n + 1 >= r->alloc) {
            r->alloc = r->alloc ? 2 * r->alloc : 256;
            r->buf = c_xrealloc(r->buf, r->alloc);
        }
        r->buf[n++] = (char)c;
    }
    if (c == EOF && ferror(r->f))
        return c_fail(st, err, MGR_EIO, errno, "cannot read '%s'", path);
    if (c == EOF && n == 0) {
        *eof = true;
        return MGR_OK;
    }
    if (n && r->buf[n - 1] == '\r')
        n--;
    r->no++;
    *s = r->buf ? r->buf : "";
    *len = n;
    return MGR_OK;
}

static bool blank(char c)
{
    return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

static void trim(const char **s, size_t *len)
{
    while (*len && blank(**s)) {
        (*s)++;
        (*len)--;
    }
    while (*len && blank((*s)[*len - 1]))
        (*len)--;
}

/* Where "*" + "/" is in s, or NULL. */
static const char *comment_end(const char *s, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++)
        if (s[i] == '*' && s[i + 1] == '/')
            return s + i;
    return NULL;
}

/* One line of text inside the comment. */
static int header_text(const struct c_state *st, const char *text,
                       size_t len, int line, enum header_state *hs,
                       struct mgr_script_meta *meta, struct mgr_error *err)
{
    enum mgr_meta_field field;
    const char *value;
    size_t vlen;

    trim(&text, &len);
    if (len && c_header_key(text, len, &field, &value, &vlen)) {
        *hs = KEYS;
        return st->api->meta_add(meta, field, value, vlen, line, err);
    }
    switch (*hs) {
    case BEFORE_MESSAGE:
        if (len == 0)
            return MGR_OK;
        *hs = DESCRIPTION;
        return st->api->meta_add(meta, MGR_META_MESSAGE, text, len, line,
                                 err);
    case DESCRIPTION:
        /* blank lines too: the host keeps those between paragraphs */
        return st->api->meta_add(meta, MGR_META_DOC, text, len, line, err);
    case KEYS:
        break;
    }
    return MGR_OK;
}

/*
 * A line inside the comment (after the opener on the first one): strip
 * the decoration, stop at the end of the comment.
 */
static int comment_line(const struct c_state *st, const char *s,
                        size_t len, int line, bool first, bool *closed,
                        enum header_state *hs, struct mgr_script_meta *meta,
                        struct mgr_error *err)
{
    const char *end = comment_end(s, len);

    if (end) {
        len = (size_t)(end - s);
        *closed = true;
    }
    if (first) {
        /* Stars right after the opener are decoration. */
        while (len && *s == '*') {
            s++;
            len--;
        }
    } else {
        while (len && blank(*s)) {
            s++;
            len--;
        }
        if (len && *s == '*') {
            s++;
            len--;
        } else if (len >= 2 && s[0] == '-' && s[1] == '-') {
            s += 2;
            len -= 2;
        }
    }
    return header_text(st, s, len, line, hs, meta, err);
}

int c_parse_header(void *state, const char *path,
                   struct mgr_script_meta *meta, struct mgr_error *err)
{
    const struct c_state *st = state;
    struct reader r = { NULL, NULL, 0, 0 };
    char iobuf[4096];
    enum header_state hs = BEFORE_MESSAGE;
    bool eof, opened = false, closed = false;
    int open_line = 0, rc;

    r.f = fopen(path, "rb");
    if (!r.f)
        return c_fail(st, err, MGR_EIO, errno, "cannot open '%s'", path);
    setvbuf(r.f, iobuf, _IOFBF, sizeof(iobuf));

    for (;;) {
        const char *s = NULL;
        size_t len = 0;

        rc = read_line(st, path, &r, &s, &len, &eof, err);
        if (rc || eof)
            break;
        if (r.no == 1 && len >= C_BOM_LEN &&
            memcmp(s, C_BOM, C_BOM_LEN) == 0) {
            s += C_BOM_LEN;
            len -= C_BOM_LEN;
        }
        rc = c_check_text(st, path, s, len, r.no, err);
        if (rc)
            break;
        if (opened) {
            rc = comment_line(st, s, len, r.no, false, &closed, &hs, meta,
                              err);
        } else {
            const char *t = s;
            size_t tlen = len;

            trim(&t, &tlen);
            if (tlen == 0)
                continue;
            if (tlen < 2 || t[0] != '/' || t[1] != '*') {
                rc = c_fail(st, err, MGR_ESCRIPT, 0,
                            "%s:%d: text before the header comment; a C "
                            "revision script starts with '/*', its message "
                            "and 'Revision ID: <id>'",
                            path, r.no);
                break;
            }
            opened = true;
            open_line = r.no;
            rc = comment_line(st, t + 2, tlen - 2, r.no, true, &closed, &hs,
                              meta, err);
        }
        if (rc || closed)
            break;
    }
    if (rc == MGR_OK && !opened)
        rc = c_fail(st, err, MGR_ESCRIPT, 0,
                    "%s: no header comment; a C revision script starts "
                    "with one holding its message and 'Revision ID: ...'",
                    path);
    else if (rc == MGR_OK && !closed)
        rc = c_fail(st, err, MGR_ESCRIPT, 0,
                    "%s:%d: the header comment is not closed", path,
                    open_line);
    free(r.buf);
    fclose(r.f);
    return rc;
}
