/*
 * pg_array.c: the elements of a one-dimensional array in PostgreSQL's
 * text output ({a,"b c","d\"e",NULL}), for introspection queries that
 * return lists (column names, index keys, enum values) as arrays: one
 * row per object, whatever its number of parts.
 *
 * The server quotes an element when it is empty, is NULL spelled out, or
 * holds braces, commas, quotes, backslashes or white space; inside
 * quotes a backslash escapes the next byte. An unquoted NULL is a null
 * element.
 */
#include "autoconfig.h"

#include <string.h>
#include <strings.h>

#include "pg.h"

/* One element at *p, written to dst; *p moves past it. */
static const char *element(const char **p, char *dst)
{
    const char *s = *p;
    char *start = dst;

    if (*s == '"') {
        for (s++; *s && *s != '"'; s++) {
            if (*s == '\\' && s[1])
                s++;
            *dst++ = *s;
        }
        if (*s == '"')
            s++;
        *dst = '\0';
        *p = s;
        return start;
    }
    while (*s && *s != ',' && *s != '}')
        *dst++ = *s++;
    *dst = '\0';
    *p = s;
    return strcasecmp(start, "NULL") == 0 ? NULL : start;
}

const char **pg_array_parse(const struct mgr_host_api *api,
                            const char *text, size_t *n_out)
{
    size_t max = 1, n = 0;
    const char **items;
    char *strings;
    const char *p;

    *n_out = 0;
    if (!text || !(p = strchr(text, '{')))
        return NULL;
    for (const char *q = p; *q; q++)
        max += *q == ',';
    /* the pointers, then every element's text, each shorter than the
     * literal */
    items = api->alloc(max * sizeof(*items) + strlen(p) + 1);
    strings = (char *)(items + max);
    p++;
    while (*p && *p != '}' && n < max) {
        const char *item = element(&p, strings);

        items[n++] = item;
        strings += strlen(strings) + 1;
        if (*p == ',')
            p++;
    }
    *n_out = n;
    return items;
}
