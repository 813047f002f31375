/*
 * sql_header.c: read the header of an SQL script, and nothing past it.
 *
 * The header is the leading block of "--" comments and blank lines. It
 * ends at the first section marker; a line that is neither a comment, a
 * blank line nor a marker is text outside a section, an error. The first
 * comment line with text is the message, unless it is already a key.
 * Comment lines between the message and the first key are description
 * lines (a bare "--" separates paragraphs); after the first key, lines
 * that are not known keys are ignored. The body is never read: a script's
 * cost at load time is the size of its header.
 */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sql.h"

/* A line reader over a stdio stream; buf grows to the longest line. */
struct reader {
    FILE *f;
    char *buf;
    size_t alloc;
    int no;
};

enum header_state {
    BEFORE_MESSAGE,
    DESCRIPTION,
    KEYS,
};

/*
 * Read the next line into r->buf, without its "\n" or "\r\n", or set
 * *eof at the end of the file. Returns MGR_OK or a status with err filled.
 */
static int read_line(const struct sql_state *st, const char *path,
                     struct reader *r, struct sql_line *out, bool *eof,
                     struct mgr_error *err)
{
    size_t len = 0;
    int c = EOF;

    *eof = false;

    for (;;) {
        c = getc(r->f);
        if (c == EOF || c == '\n')
            break;
        if (len + 1 >= r->alloc) {
            size_t want = r->alloc ? 2 * r->alloc : 256;
            char *p = realloc(r->buf, want);

            if (!p)
                return sql_fail(st, err, MGR_ENOMEM, 0,
                                "%s:%d: out of memory reading the header",
                                path, r->no + 1);
            r->buf = p;
            r->alloc = want;
        }
        r->buf[len++] = (char)c;
    }
    if (c == EOF && ferror(r->f))
        return sql_fail(st, err, MGR_EIO, errno, "cannot read '%s'", path);
    if (c == EOF && len == 0) {
        *eof = true;
        return MGR_OK;
    }
    if (len && r->buf[len - 1] == '\r')
        len--;
    out->s = r->buf;
    out->len = len;
    out->no = ++r->no;
    return MGR_OK;
}

static int report(const struct sql_state *st, struct mgr_script_meta *meta,
                  enum mgr_meta_field field, const char *value, size_t len,
                  int line, struct mgr_error *err)
{
    return st->api->meta_add(meta, field, value, len, line, err);
}

/* Handle one header line that is not a marker. */
static int header_line(const struct sql_state *st, const char *path,
                       const struct sql_line *line, enum header_state *state,
                       struct mgr_script_meta *meta, struct mgr_error *err)
{
    enum mgr_meta_field field;
    const char *text, *value;
    size_t tlen, vlen;

    if (sql_is_blank(line)) {
        text = "";
        tlen = 0;
    } else if (!sql_comment_text(line, &text, &tlen)) {
        return sql_fail_outside(st, path, line->no, err);
    }

    if (tlen && sql_header_key(text, tlen, &field, &value, &vlen)) {
        *state = KEYS;
        return report(st, meta, field, value, vlen, line->no, err);
    }
    switch (*state) {
    case BEFORE_MESSAGE:
        if (tlen == 0)
            return MGR_OK;
        *state = DESCRIPTION;
        return report(st, meta, MGR_META_MESSAGE, text, tlen, line->no,
                      err);
    case DESCRIPTION:
        /* blank lines too: the host keeps those between paragraphs */
        return report(st, meta, MGR_META_DOC, text, tlen, line->no, err);
    case KEYS:
        break; /* unknown keys and free text after the keys */
    }
    return MGR_OK;
}

int sql_parse_header(void *state, const char *path,
                     struct mgr_script_meta *meta, struct mgr_error *err)
{
    const struct sql_state *st = state;
    struct reader r = { NULL, NULL, 0, 0 };
    char iobuf[4096];
    enum header_state hs = BEFORE_MESSAGE;
    struct sql_line line;
    bool eof;
    int rc;

    r.f = fopen(path, "rb");
    if (!r.f)
        return sql_fail(st, err, MGR_EIO, errno, "cannot open '%s'", path);
    /* A header is small: a fixed buffer also spares stdio the fstat() it
     * makes to size its own, which counts over thousands of scripts. */
    setvbuf(r.f, iobuf, _IOFBF, sizeof(iobuf));

    for (;;) {
        rc = read_line(st, path, &r, &line, &eof, err);
        if (rc || eof)
            break;
        if (line.no == 1 && line.len >= SQL_BOM_LEN &&
            memcmp(line.s, SQL_BOM, SQL_BOM_LEN) == 0) {
            line.s += SQL_BOM_LEN;
            line.len -= SQL_BOM_LEN;
        }
        rc = sql_check_text(st, path, &line, err);
        if (rc)
            break;
        if (sql_is_marker(&line))
            break; /* the header ends; the body is not ours to read */
        rc = header_line(st, path, &line, &hs, meta, err);
        if (rc)
            break;
    }

    free(r.buf);
    fclose(r.f);
    return rc;
}
