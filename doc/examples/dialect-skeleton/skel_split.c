/*
 * skel_split.c: split a script section into statements.
 *
 * A statement ends at a ';' outside quotes and comments. The scanner
 * knows SQL's quoting as SQLite reads it: '...' strings and "..."
 * identifiers, in which a doubled quote stands for itself; comments from
 * "--" to the end of the line; block comments from slash-star to
 * star-slash. Comments and white space around a statement are trimmed;
 * comments inside it are kept.
 *
 * YOUR DATABASE: add its quoting (PostgreSQL: $tag$ bodies and E''
 * strings; MySQL: backquotes and backslash escapes), and its statements
 * with ';' inside them (SQLite: CREATE TRIGGER ... BEGIN ... END).
 */
#include "config.h"

#include <ctype.h>

#include "skel.h"

struct scan {
    const struct mgr_host_api *api;
    const char *text;
    size_t len;
    size_t pos;  /* the next byte to read */
    int line;    /* the line of text[pos] */
};

static int at(const struct scan *s, size_t ahead, char c)
{
    return s->pos + ahead < s->len && s->text[s->pos + ahead] == c;
}

/* Step over one byte, counting lines. */
static void advance(struct scan *s)
{
    if (s->text[s->pos] == '\n')
        s->line++;
    s->pos++;
}

/* Step over a string or quoted identifier that starts at s->pos. */
static int skip_quoted(struct scan *s, struct mgr_error *err)
{
    char q = s->text[s->pos];
    int line = s->line;

    advance(s);
    while (s->pos < s->len) {
        if (at(s, 0, q) && at(s, 1, q)) {
            s->pos += 2; /* a doubled quote */
        } else if (at(s, 0, q)) {
            s->pos++;
            return MGR_OK;
        } else {
            advance(s);
        }
    }
    return s->api->error_set(err, MGR_ESCRIPT,
                             "line %d: unterminated %s", line,
                             q == '\'' ? "string" : "quoted identifier");
}

/* Step over the comment that starts at s->pos. */
static int skip_comment(struct scan *s, struct mgr_error *err)
{
    int line = s->line;

    if (at(s, 0, '-')) {
        while (s->pos < s->len && !at(s, 0, '\n'))
            s->pos++;
        return MGR_OK;
    }
    s->pos += 2;
    while (s->pos < s->len) {
        if (at(s, 0, '*') && at(s, 1, '/')) {
            s->pos += 2;
            return MGR_OK;
        }
        advance(s);
    }
    return s->api->error_set(err, MGR_ESCRIPT,
                             "line %d: unterminated comment", line);
}

static int comment_starts(const struct scan *s)
{
    return (at(s, 0, '-') && at(s, 1, '-')) ||
           (at(s, 0, '/') && at(s, 1, '*'));
}

int skel_split(void *state, const char *text, size_t len, int first_line,
               int (*emit)(void *ctx, const char *stmt, size_t len, int line,
                           struct mgr_error *err),
               void *ctx, struct mgr_error *err)
{
    const struct skel_state *st = state;
    struct scan s = {st->api, text, len, 0, first_line};
    size_t start = 0, end = 0; /* the statement so far: text[start, end) */
    int start_line = 0, have = 0, rc = MGR_OK;

    while (rc == MGR_OK && s.pos < len) {
        char c = text[s.pos];

        if (c == ';') {
            if (have)
                rc = emit(ctx, text + start, end - start, start_line, err);
            have = 0;
            s.pos++;
        } else if (comment_starts(&s)) {
            rc = skip_comment(&s, err);
        } else if (isspace((unsigned char)c)) {
            advance(&s);
        } else {
            if (!have) {
                have = 1;
                start = s.pos;
                start_line = s.line;
            }
            if (c == '\'' || c == '"')
                rc = skip_quoted(&s, err);
            else
                s.pos++;
            end = s.pos;
        }
    }
    if (rc == MGR_OK && have)
        rc = emit(ctx, text + start, end - start, start_line, err);
    return rc;
}
