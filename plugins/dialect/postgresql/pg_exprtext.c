/*
 * pg_exprtext.c: expression text as the server would print it after one
 * more load. PostgreSQL prints `kind IN ('a', 'b')` on a varchar column,
 * as typed, as
 *     kind::text = ANY (ARRAY['a'::character varying, ...]::text[])
 * but once that text is loaded again the cast has moved into the
 * elements:
 *     kind::text = ANY (ARRAY['a'::character varying::text, ...])
 * and stays so. A schema dump that is to load back and dump the same
 * therefore prints the second form: an ARRAY of string literals cast as
 * a whole is written with the cast on each element.
 */
#include "autoconfig.h"

#include <string.h>

#include "pg.h"

/* Past a quoted run ('...' or "...", doubled quotes inside) at p. */
static const char *past_quoted(const char *p)
{
    char q = *p++;

    while (*p) {
        if (*p == q && p[1] == q)
            p += 2;
        else if (*p == q)
            return p + 1;
        else
            p++;
    }
    return p;
}

/* Past the element list of ARRAY[ at p (just after the '['): at the
 * matching ']', or NULL when there is none. */
static const char *closing_bracket(const char *p)
{
    int depth = 1;

    while (*p) {
        if (*p == '\'' || *p == '"') {
            p = past_quoted(p);
            continue;
        }
        if (*p == '[' || *p == '(')
            depth++;
        else if ((*p == ']' || *p == ')') && --depth == 0)
            return *p == ']' ? p : NULL;
        p++;
    }
    return NULL;
}

/* At p, "::TYPE[]" with TYPE made of what a printed type name holds:
 * the end of it, with *type and *type_len set; else NULL. */
static const char *array_cast(const char *p, const char **type,
                              size_t *type_len)
{
    const char *q;

    if (p[0] != ':' || p[1] != ':')
        return NULL;
    q = p += 2;
    while (*q && !(q[0] == '[' && q[1] == ']')) {
        if (!strchr("abcdefghijklmnopqrstuvwxyz"
                    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_ .\"(),", *q))
            return NULL;
        q++;
    }
    if (!*q || q == p)
        return NULL;
    *type = p;
    *type_len = (size_t)(q - p);
    return q + 2;
}

/* Whether every element of [p, end) is a string literal (with any casts
 * after it). */
static bool all_string_literals(const char *p, const char *end)
{
    bool at_start = true;

    while (p < end) {
        if (at_start) {
            while (*p == ' ')
                p++;
            if (*p != '\'')
                return false;
            at_start = false;
        }
        if (*p == '\'' || *p == '"') {
            p = past_quoted(p);
            continue;
        }
        if (*p == '(' || *p == '[')
            return false; /* an expression: leave it as it is */
        if (*p == ',')
            at_start = true;
        p++;
    }
    return !at_start;
}

/* The elements of [p, end), each followed by "::" type. */
static void add_cast_elements(const struct mgr_host_api *api, const char *p,
                              const char *end, const char *type,
                              size_t type_len, struct mgr_buf *out)
{
    while (p < end) {
        const char *e = p;

        while (e < end && *e != ',')
            e = *e == '\'' || *e == '"' ? past_quoted(e) : e + 1;
        api->buf_add(out, p, (size_t)(e - p));
        api->buf_add(out, "::", 2);
        api->buf_add(out, type, type_len);
        if (e < end)
            api->buf_add(out, ",", 1);
        p = e < end ? e + 1 : e;
    }
}

void pg_expr_settled(const struct mgr_host_api *api, const char *text,
                     struct mgr_buf *out)
{
    const char *p = text;

    while (*p) {
        const char *close, *after, *type;
        size_t type_len;

        if (*p == '\'' || *p == '"') {
            const char *q = past_quoted(p);

            api->buf_add(out, p, (size_t)(q - p));
            p = q;
            continue;
        }
        if (strncmp(p, "ARRAY[", 6) == 0 &&
            (p == text || !strchr("abcdefghijklmnopqrstuvwxyz"
                                  "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_",
                                  p[-1])) &&
            (close = closing_bracket(p + 6)) &&
            (after = array_cast(close + 1, &type, &type_len)) &&
            all_string_literals(p + 6, close)) {
            api->buf_add(out, "ARRAY[", 6);
            add_cast_elements(api, p + 6, close, type, type_len, out);
            api->buf_add(out, "]", 1);
            p = after;
            continue;
        }
        api->buf_add(out, p, 1);
        p++;
    }
}
