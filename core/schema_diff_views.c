/*
 * schema_diff_views.c: which views a diff drops and creates again, and
 * in which order. A view is a query over tables and other views, so it
 * is rebuilt (dropped before the table changes, created after them) when
 * its definition changed, when a column of a table it reads is dropped or
 * altered (PostgreSQL refuses to change a column a view uses), or when a
 * view it reads is rebuilt. Views are created in dependency order (a
 * view after the views it reads) and dropped in the reverse order.
 *
 * A view "reads" an object when its definition mentions the object's
 * name as an identifier: plain or double-quoted, any case for a plain
 * one. Mentions in string literals do not count.
 */
#include "autoconfig.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "schema_diff_internal.h"
#include "util.h"

static bool ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '$';
}

/* Whether the identifier text[0..len), written plain or quoted, is
 * name. */
static bool ident_is(const char *text, size_t len, bool quoted,
                     const char *name)
{
    if (strlen(name) != len)
        return false;
    if (quoted)
        return memcmp(text, name, len) == 0;
    for (size_t i = 0; i < len; i++)
        if (tolower((unsigned char)text[i]) !=
            tolower((unsigned char)name[i]))
            return false;
    return true;
}

bool schema_view_mentions(const struct mgr_object *view, const char *name)
{
    const char *p = view->expr;

    while (p && *p) {
        if (*p == '\'') {
            for (p++; *p && !(*p == '\'' && p[1] != '\''); p++)
                if (*p == '\'')
                    p++;
            if (*p)
                p++;
        } else if (*p == '"') {
            const char *start = ++p;

            while (*p && *p != '"')
                p++;
            if (ident_is(start, (size_t)(p - start), true, name))
                return true;
            if (*p)
                p++;
        } else if (ident_char(*p)) {
            const char *start = p;

            while (ident_char(*p))
                p++;
            if (ident_is(start, (size_t)(p - start), false, name))
                return true;
        } else {
            p++;
        }
    }
    return false;
}

/* Whether view reads another of views[0..n) that is not yet placed. */
static bool waits_for_another(const struct mgr_object *const *views,
                              size_t n, const bool *placed, size_t v)
{
    for (size_t w = 0; w < n; w++)
        if (w != v && !placed[w] &&
            schema_view_mentions(views[v], views[w]->name))
            return true;
    return false;
}

void schema_views_order(const struct mgr_object *const *views, size_t n,
                        size_t *order)
{
    bool *placed = xcalloc(n ? n : 1, sizeof(bool));
    size_t done = 0;

    while (done < n) {
        size_t before = done;

        for (size_t v = 0; v < n; v++)
            if (!placed[v] && !waits_for_another(views, n, placed, v)) {
                placed[v] = true;
                order[done++] = v;
            }
        if (done == before) {
            /* Views that read each other cannot exist; take the first
             * left so that the walk ends whatever the text says. */
            for (size_t v = 0; v < n && done == before; v++)
                if (!placed[v]) {
                    placed[v] = true;
                    order[done++] = v;
                }
        }
    }
    free(placed);
}
