/*
 * pgl_names.c: names as PostgreSQL writes them (pgl.h). A finding names
 * its table so that to_regclass() finds it: each part double-quoted
 * only when it must be, as quote_ident() does.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pgl.h"

/* The keywords quote_ident() quotes (reserved, column-name and
 * type-function-name keywords of PostgreSQL 15), sorted. */
static const char *const keywords[] = {
    "all", "analyse", "analyze", "and", "any", "array", "as", "asc",
    "asymmetric", "authorization", "between", "bigint", "binary", "bit",
    "boolean", "both", "case", "cast", "char", "character", "check",
    "coalesce", "collate", "collation", "column", "concurrently",
    "constraint", "create", "cross", "current_catalog", "current_date",
    "current_role", "current_schema", "current_time", "current_timestamp",
    "current_user", "dec", "decimal", "default", "deferrable", "desc",
    "distinct", "do", "else", "end", "except", "exists", "extract",
    "false", "fetch", "float", "for", "foreign", "freeze", "from", "full",
    "grant", "greatest", "group", "grouping", "having", "ilike", "in",
    "initially", "inner", "inout", "int", "integer", "intersect",
    "interval", "into", "is", "isnull", "join", "lateral", "leading",
    "least", "left", "like", "limit", "localtime", "localtimestamp",
    "national", "natural", "nchar", "none", "normalize", "not", "notnull",
    "null", "nullif", "numeric", "offset", "on", "only", "or", "order",
    "out", "outer", "overlaps", "overlay", "placing", "position",
    "precision", "primary", "real", "references", "returning", "right",
    "row", "select", "session_user", "setof", "similar", "smallint",
    "some", "substring", "symmetric", "table", "tablesample", "then",
    "time", "timestamp", "to", "trailing", "treat", "trim", "true",
    "union", "unique", "user", "using", "values", "varchar", "variadic",
    "verbose", "when", "where", "window", "with", "xmlattributes",
    "xmlconcat", "xmlelement", "xmlexists", "xmlforest", "xmlnamespaces",
    "xmlparse", "xmlpi", "xmlroot", "xmlserialize", "xmltable",
};

static int cmp_keyword(const void *key, const void *item)
{
    return strcmp(key, *(const char *const *)item);
}

static bool is_keyword(const char *id)
{
    return bsearch(id, keywords, sizeof(keywords) / sizeof(keywords[0]),
                   sizeof(keywords[0]), cmp_keyword) != NULL;
}

/* Whether id can go unquoted: lower-case letters, digits, '_' and '$',
 * not starting with a digit or '$', and no keyword. */
static bool plain_ident(const char *id)
{
    if (!id[0] || (id[0] >= '0' && id[0] <= '9') || id[0] == '$')
        return false;
    for (const char *p = id; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '$'))
            return false;
    }
    return !is_keyword(id);
}

void pgl_ident(char *out, size_t size, const char *id)
{
    size_t n = 0;

    if (!size)
        return;
    if (!id)
        id = "";
    if (plain_ident(id)) {
        snprintf(out, size, "%s", id);
        return;
    }
    for (const char *p = id; *p && n + 3 < size; p++) {
        if (n == 0)
            out[n++] = '"';
        if (*p == '"')
            out[n++] = '"';
        out[n++] = *p;
    }
    if (n == 0 && size > 2)
        out[n++] = '"';
    if (n < size - 1)
        out[n++] = '"';
    out[n] = '\0';
}

void pgl_add_ident(struct pgl_run *run, struct mgr_buf *b, const char *id)
{
    char q[PGL_NAME_MAX];

    pgl_ident(q, sizeof(q), id);
    run->api->buf_addf(b, "%s", q);
}

void pgl_rel_make(struct pgl_run *run, const char *schema, const char *name,
                  struct pgl_rel *out)
{
    char qs[PGL_NAME_MAX], qn[PGL_NAME_MAX];

    out->schema = schema;
    out->name = name ? name : "";
    snprintf(out->key, sizeof(out->key), "%s.%s",
             schema ? schema : "public", out->name);
    pgl_ident(qn, sizeof(qn), out->name);
    if (schema) {
        pgl_ident(qs, sizeof(qs), schema);
        snprintf(out->shown, sizeof(out->shown), "%.130s.%.130s", qs, qn);
    } else {
        snprintf(out->shown, sizeof(out->shown), "%s", qn);
    }
    out->is_new = pgl_table_find(run, out->key) != NULL;
}

void pgl_rel_sibling(const struct pgl_rel *rel, const char *name, char *out,
                     size_t size)
{
    snprintf(out, size, "%s.%s", rel->schema ? rel->schema : "public",
             name ? name : "");
}

bool pgl_rel_read(struct pgl_run *run, const struct mgr_json *rangevar,
                  struct pgl_rel *out)
{
    const char *schema, *name = jw_rangevar(rangevar, &schema);

    if (!name)
        return false;
    pgl_rel_make(run, schema, name, out);
    return true;
}

size_t pgl_cols(const struct mgr_json *list, const char **out)
{
    size_t n = jw_len(list);

    if (n > PGL_MAX_COLS)
        n = PGL_MAX_COLS;
    for (size_t i = 0; i < n; i++) {
        const struct mgr_json *item = jw_at(list, i);
        const char *s = jw_string_node(item);

        out[i] = s ? s
                   : jw_get_str(jw_node_body(item, "IndexElem"), "name");
    }
    return n;
}

void pgl_default_name(char *out, size_t size, const char *table,
                      const char *const *cols, size_t ncols,
                      const char *suffix)
{
    size_t n = (size_t)snprintf(out, size, "%s", table);

    for (size_t i = 0; i < ncols && n < size; i++)
        n += (size_t)snprintf(out + n, size - n, "_%s",
                              cols[i] ? cols[i] : "expr");
    if (n < size)
        snprintf(out + n, size - n, "_%s", suffix);
    /* PostgreSQL cuts names at 63 bytes. */
    if (strlen(out) > 63)
        out[63] = '\0';
}
