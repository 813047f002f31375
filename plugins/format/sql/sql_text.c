/* sql_text.c: line-level helpers of the SQL script format. */
#include "autoconfig.h"

#include <string.h>

#include "sql.h"
#include "utf8.h"

/* How much of an offending token an error message quotes. */
#define SHOW_MAX 40

static const char marker_word[] = "migrate:";

bool sql_is_blank(const struct sql_line *line)
{
    for (size_t i = 0; i < line->len; i++)
        if (!text_is_blank(line->s[i]))
            return false;
    return true;
}

bool sql_comment_text(const struct sql_line *line, const char **text_out,
                      size_t *len_out)
{
    const char *s = line->s;
    size_t len = line->len;

    text_trim(&s, &len);
    if (len < 2 || s[0] != '-' || s[1] != '-')
        return false;
    s += 2;
    len -= 2;
    text_trim(&s, &len);
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

    while (*len && text_is_blank(**s)) {
        (*s)++;
        (*len)--;
    }
    if (*len == 0)
        return false;
    while (n < *len && !text_is_blank((*s)[n]))
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
    return (int)utf8_cut(tok, len, SHOW_MAX);
}

int sql_parse_marker(const struct plugin_state *st, const char *path,
                     const struct sql_line *line, struct sql_marker *out,
                     struct mgr_error *err)
{
    const struct mgr_host_api *api = st->api;
    const char *rest, *tok;
    size_t len, tlen;
    bool seen_transaction = false;

    rest = marker_rest(line, &len);
    if (!rest || !next_token(&rest, &len, &tok, &tlen))
        return plugin_fail_at(api, err, MGR_ESCRIPT, path, line->no,
                              "section marker without a name; use "
                              "'-- migrate:upgrade' or "
                              "'-- migrate:downgrade'");
    if (token_is(tok, tlen, "upgrade"))
        out->dir = MGR_UPGRADE;
    else if (token_is(tok, tlen, "downgrade"))
        out->dir = MGR_DOWNGRADE;
    else
        return plugin_fail_at(api, err, MGR_ESCRIPT, path, line->no,
                              "unknown section '%.*s'; use "
                              "'-- migrate:upgrade' or "
                              "'-- migrate:downgrade'",
                              shown_len(tok, tlen), tok);
    out->flags = 0;

    while (next_token(&rest, &len, &tok, &tlen)) {
        const char *eq = memchr(tok, '=', tlen);
        size_t klen = eq ? (size_t)(eq - tok) : tlen;
        const char *val = eq ? eq + 1 : NULL;
        size_t vlen = eq ? tlen - klen - 1 : 0;

        if (!eq || !token_is_nocase(tok, klen, "transaction"))
            return plugin_fail_at(api, err, MGR_ESCRIPT, path, line->no,
                                  "unknown section option '%.*s'; the "
                                  "only option is 'transaction=false'",
                                  shown_len(tok, tlen), tok);
        if (seen_transaction)
            return plugin_fail_at(api, err, MGR_ESCRIPT, path, line->no,
                                  "section option 'transaction' given "
                                  "twice");
        seen_transaction = true;
        if (token_is_nocase(val, vlen, "false"))
            out->flags |= MGR_SECTION_NO_TRANSACTION;
        else if (!token_is_nocase(val, vlen, "true"))
            return plugin_fail_at(api, err, MGR_ESCRIPT, path, line->no,
                                  "bad value '%.*s' for section option "
                                  "'transaction'; use 'true' or 'false'",
                                  shown_len(val, vlen), val);
    }
    return MGR_OK;
}

int sql_fail_outside(const struct plugin_state *st, const char *path, int line,
                     struct mgr_error *err)
{
    return plugin_fail_at(st->api, err, MGR_ESCRIPT, path, line,
                          "text outside a section; statements go after "
                          "'-- migrate:upgrade'");
}
