/*
 * sql_header.c: parse the header of an SQL script, and nothing past it.
 *
 * The header is the leading block of "--" comments and blank lines. It
 * ends at the first section marker; a line that is neither a comment, a
 * blank line nor a marker is text outside a section, an error. The text
 * of each comment (a blank line: none) goes to the shared header reader
 * (header_keys.h), which finds the message, the description and the
 * keys. The text comes from the host's copy of the script (ABI 1.4), the
 * one the checksum and the run use: each script is read once per command.
 */
#include "autoconfig.h"

#include "header_keys.h"
#include "sql.h"

/* Handle one header line that is not a marker. */
static int header_line(const struct plugin_state *st, const char *path,
                       const struct sql_line *line, struct header_keys *hk,
                       struct mgr_error *err)
{
    const char *text = "";
    size_t tlen = 0;

    if (!sql_is_blank(line) && !sql_comment_text(line, &text, &tlen))
        return sql_fail_outside(st, path, line->no, err);
    return header_keys_line(hk, text, tlen, line->no, err);
}

int sql_parse_header(void *state, const char *path,
                     struct mgr_script_meta *meta, struct mgr_error *err)
{
    const struct plugin_state *st = state;
    struct line_reader r;
    struct header_keys hk;
    struct sql_line line;
    bool eof;
    int rc;

    rc = line_reader_open(&r, st->api, st->host, path, err);
    if (rc != MGR_OK)
        return rc;
    header_keys_init(&hk, st->api, meta);
    for (;;) {
        rc = line_reader_next(&r, &line.s, &line.len, &eof, err);
        if (rc || eof)
            break;
        line.no = r.no;
        if (sql_is_marker(&line))
            break; /* the header ends; the body is not ours to read */
        rc = header_line(st, path, &line, &hk, err);
        if (rc)
            break;
    }
    line_reader_close(&r);
    return rc;
}
