/*
 * c_header.c: parse the header comment of a C script, and nothing past it.
 *
 * Blank lines may precede the comment; anything else there is an error,
 * as is a comment that never closes. Inside the comment each line's text
 * (see c.h) goes to the header reader that SQL scripts use too
 * (header_keys.h): the first text is the message, the lines after it up
 * to the first key are description lines (an empty one separates
 * paragraphs), and after the first key lines that are not known keys are
 * ignored. Line numbers are the file's.
 */
#include "autoconfig.h"

#include "c.h"
#include "header_keys.h"
#include "script_text.h"

/* Where "*" + "/" is in s, or NULL. */
static const char *comment_end(const char *s, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++)
        if (s[i] == '*' && s[i + 1] == '/')
            return s + i;
    return NULL;
}

/*
 * A line inside the comment (after the opener on the first one): strip
 * the decoration, stop at the end of the comment.
 */
static int comment_line(struct header_keys *hk, const char *s, size_t len,
                        int line, bool first, bool *closed,
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
        while (len && text_is_blank(*s)) {
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
    return header_keys_line(hk, s, len, line, err);
}

/* A line before the comment: blank, or the one that opens it. */
static int before_comment(const struct c_state *st, const char *path,
                          struct header_keys *hk, const char *s, size_t len,
                          int line, bool *opened, bool *closed,
                          struct mgr_error *err)
{
    text_trim(&s, &len);
    if (len == 0)
        return MGR_OK;
    if (len < 2 || s[0] != '/' || s[1] != '*')
        return plugin_fail_at(st->api, err, MGR_ESCRIPT, path, line,
                              "text before the header comment; a C "
                              "revision script starts with '/*', its "
                              "message and 'Revision ID: <id>'");
    *opened = true;
    return comment_line(hk, s + 2, len - 2, line, true, closed, err);
}

int c_parse_header(void *state, const char *path,
                   struct mgr_script_meta *meta, struct mgr_error *err)
{
    const struct c_state *st = state;
    struct line_reader r;
    struct header_keys hk;
    bool eof, opened = false, closed = false;
    int open_line = 0, rc;

    rc = line_reader_open(&r, st->api, st->host, path, err);
    if (rc != MGR_OK)
        return rc;
    header_keys_init(&hk, st->api, meta);
    for (;;) {
        const char *s;
        size_t len;

        rc = line_reader_next(&r, &s, &len, &eof, err);
        if (rc || eof)
            break;
        if (opened) {
            rc = comment_line(&hk, s, len, r.no, false, &closed, err);
        } else {
            rc = before_comment(st, path, &hk, s, len, r.no, &opened,
                                &closed, err);
            if (opened)
                open_line = r.no;
        }
        if (rc || closed)
            break;
    }
    line_reader_close(&r);
    if (rc == MGR_OK && !opened)
        rc = plugin_fail_at(st->api, err, MGR_ESCRIPT, path, 0,
                            "no header comment; a C revision script "
                            "starts with one holding its message and "
                            "'Revision ID: ...'");
    else if (rc == MGR_OK && !closed)
        rc = plugin_fail_at(st->api, err, MGR_ESCRIPT, path, open_line,
                            "the header comment is not closed");
    return rc;
}
