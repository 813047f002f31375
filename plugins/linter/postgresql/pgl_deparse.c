/*
 * pgl_deparse.c: parts of a parse tree back to SQL, for the statements a
 * hint suggests (pgl.h). It knows the expressions that defaults, CHECK
 * constraints and index elements usually hold; for anything else it
 * says so, and the hint shows "..." in its place.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pgl.h"

static bool expr(struct pgl_stmt *s, struct mgr_buf *b,
                 const struct mgr_json *node);

/* ---- types --------------------------------------------------------------- */

/* pg_catalog names the grammar gives to SQL's type words. */
static const struct {
    const char *internal, *sql;
} type_words[] = {
    {"bool", "boolean"},    {"bpchar", "char"},
    {"float4", "real"},     {"float8", "double precision"},
    {"int2", "smallint"},   {"int4", "integer"},
    {"int8", "bigint"},     {"timestamptz", "timestamptz"},
    {"timetz", "timetz"},   {"varbit", "bit varying"},
};

const char *pgl_type_base(const struct mgr_json *typ)
{
    const char *parts[3];
    size_t n = jw_name_list(jw_get(typ, "names"), parts, 3);

    if (n == 1)
        return parts[0];
    if (n == 2 && strcmp(parts[0], "pg_catalog") == 0)
        return parts[1];
    return NULL;
}

/* An integer A_Const node's value. */
static bool const_int(const struct mgr_json *node, long *out)
{
    const struct mgr_json *c = jw_node_body(node, "A_Const");
    const struct mgr_json *ival = jw_get(c, "ival");

    if (!ival)
        return false;
    *out = (long)jw_get_num(ival, "ival", 0);
    return true;
}

size_t pgl_type_mods(const struct mgr_json *typ, long mods[2])
{
    const struct mgr_json *list = jw_get(typ, "typmods");
    size_t n = jw_len(list);

    if (n > 2)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (!const_int(jw_at(list, i), &mods[i]))
            return 0;
    }
    return n;
}

/* The SQL word for a pg_catalog type, or the name itself. */
static const char *type_word(const char *internal)
{
    for (size_t i = 0; i < sizeof(type_words) / sizeof(type_words[0]); i++) {
        if (strcmp(type_words[i].internal, internal) == 0)
            return type_words[i].sql;
    }
    return internal;
}

static void type_names(struct pgl_stmt *s, struct mgr_buf *b,
                       const struct mgr_json *names)
{
    const char *parts[2];

    if (jw_name_list(names, parts, 2) == 2 &&
        strcmp(parts[0], "pg_catalog") == 0) {
        s->run->api->buf_addf(b, "%s", type_word(parts[1]));
        return;
    }
    for (size_t i = 0; i < jw_len(names); i++) {
        if (i)
            s->run->api->buf_addf(b, ".");
        pgl_add_ident(s->run, b, jw_string_node(jw_at(names, i)));
    }
}

void pgl_type(struct pgl_stmt *s, struct mgr_buf *b,
              const struct mgr_json *typ)
{
    const struct mgr_json *bounds = jw_get(typ, "arrayBounds");
    const char *base = pgl_type_base(typ);
    long mods[2];
    size_t n = pgl_type_mods(typ, mods);

    if (jw_get_bool(typ, "setof"))
        s->run->api->buf_addf(b, "SETOF ");
    type_names(s, b, jw_get(typ, "names"));
    /* interval's modifier is a field mask, not a number to show. */
    if (n && !(base && strcmp(base, "interval") == 0)) {
        s->run->api->buf_addf(b, "(%ld", mods[0]);
        if (n == 2)
            s->run->api->buf_addf(b, ",%ld", mods[1]);
        s->run->api->buf_addf(b, ")");
    }
    for (size_t i = 0; i < jw_len(bounds); i++)
        s->run->api->buf_addf(b, "[]");
}

void pgl_add_alter(struct pgl_run *run, struct mgr_buf *b,
                   const struct pgl_rel *rel)
{
    run->api->buf_addf(b, "ALTER TABLE %s ", rel->shown);
}

/* ---- constants ----------------------------------------------------------- */

static void add_literal(struct pgl_stmt *s, struct mgr_buf *b,
                        const char *text)
{
    s->run->api->buf_addf(b, "'");
    for (const char *p = text; *p; p++) {
        if (*p == '\'')
            s->run->api->buf_addf(b, "'");
        s->run->api->buf_add(b, p, 1);
    }
    s->run->api->buf_addf(b, "'");
}

/*
 * An integer whose JSON lost its value: libpg_query 15 writes "ival":{}
 * for 0 and for negative numbers alike, so read it from the text.
 */
static bool int_from_text(struct pgl_stmt *s, struct mgr_buf *b,
                          const struct mgr_json *c)
{
    double loc = jw_get_num(c, "location", -1);
    const char *text = s->st->text;
    size_t at, end;

    if (loc < 0 || !text || (size_t)loc >= s->st->len)
        return false;
    at = end = (size_t)loc;
    if (text[end] == '-')
        end++;
    while (end < s->st->len && text[end] >= '0' && text[end] <= '9')
        end++;
    if (end == at || (end == at + 1 && text[at] == '-'))
        return false;
    s->run->api->buf_add(b, text + at, end - at);
    return true;
}

static bool a_const(struct pgl_stmt *s, struct mgr_buf *b,
                    const struct mgr_json *c)
{
    const struct mgr_json *v;
    const struct mgr_host_api *api = s->run->api;

    if ((v = jw_get(c, "ival")) != NULL) {
        if (!jw_get(v, "ival"))
            return int_from_text(s, b, c);
        api->buf_addf(b, "%.0f", jw_get_num(v, "ival", 0));
    } else if ((v = jw_get(c, "fval")) != NULL) {
        if (!jw_get_str(v, "fval"))
            return false;
        api->buf_addf(b, "%s", jw_get_str(v, "fval"));
    } else if ((v = jw_get(c, "sval")) != NULL) {
        const char *text = jw_get_str(v, "sval");

        add_literal(s, b, text ? text : "");
    } else if ((v = jw_get(c, "boolval")) != NULL) {
        api->buf_addf(b, "%s", jw_get_bool(v, "boolval") ? "true" : "false");
    } else if (jw_get_bool(c, "isnull")) {
        api->buf_addf(b, "NULL");
    } else {
        return false;
    }
    return true;
}

/* ---- expressions --------------------------------------------------------- */

static bool column_ref(struct pgl_stmt *s, struct mgr_buf *b,
                       const struct mgr_json *c)
{
    const struct mgr_json *fields = jw_get(c, "fields");

    for (size_t i = 0; i < jw_len(fields); i++) {
        const char *f = jw_string_node(jw_at(fields, i));

        if (i)
            s->run->api->buf_addf(b, ".");
        if (f)
            pgl_add_ident(s->run, b, f);
        else if (jw_node_body(jw_at(fields, i), "A_Star"))
            s->run->api->buf_addf(b, "*");
        else
            return false;
    }
    return jw_len(fields) > 0;
}

static bool list(struct pgl_stmt *s, struct mgr_buf *b,
                 const struct mgr_json *items)
{
    for (size_t i = 0; i < jw_len(items); i++) {
        if (i)
            s->run->api->buf_addf(b, ", ");
        if (!expr(s, b, jw_at(items, i)))
            return false;
    }
    return true;
}

static bool func_call(struct pgl_stmt *s, struct mgr_buf *b,
                      const struct mgr_json *f)
{
    const struct mgr_json *name = jw_get(f, "funcname");

    if (!jw_len(name) || jw_get(f, "agg_order") || jw_get(f, "over") ||
        jw_get(f, "agg_filter"))
        return false;
    for (size_t i = 0; i < jw_len(name); i++) {
        if (i)
            s->run->api->buf_addf(b, ".");
        pgl_add_ident(s->run, b, jw_string_node(jw_at(name, i)));
    }
    s->run->api->buf_addf(b, "(%s", jw_get_bool(f, "agg_star") ? "*" : "");
    if (!list(s, b, jw_get(f, "args")))
        return false;
    s->run->api->buf_addf(b, ")");
    return true;
}

/* An operand: in parentheses when it is an operator expression. */
static bool operand(struct pgl_stmt *s, struct mgr_buf *b,
                    const struct mgr_json *node)
{
    const char *t = jw_node(node, NULL);
    bool paren = t && (strcmp(t, "A_Expr") == 0 ||
                       strcmp(t, "BoolExpr") == 0 ||
                       strcmp(t, "NullTest") == 0);
    bool ok;

    if (paren)
        s->run->api->buf_addf(b, "(");
    ok = expr(s, b, node);
    if (paren)
        s->run->api->buf_addf(b, ")");
    return ok;
}

static bool a_expr(struct pgl_stmt *s, struct mgr_buf *b,
                   const struct mgr_json *e)
{
    const char *op = jw_name_last(jw_get(e, "name"));
    const struct mgr_json *lexpr = jw_get(e, "lexpr");
    const struct mgr_json *rexpr = jw_get(e, "rexpr");
    const struct mgr_json *items = jw_get(jw_node_body(rexpr, "List"),
                                          "items");

    if (!op)
        return false;
    if (jw_get_is(e, "kind", "AEXPR_IN")) {
        if (!operand(s, b, lexpr))
            return false;
        s->run->api->buf_addf(b, " %sIN (", strcmp(op, "=") ? "NOT " : "");
        if (!list(s, b, items))
            return false;
        s->run->api->buf_addf(b, ")");
        return true;
    }
    if (!jw_get_is(e, "kind", "AEXPR_OP"))
        return false;
    if (lexpr && !operand(s, b, lexpr))
        return false;
    s->run->api->buf_addf(b, lexpr ? " %s " : "%s", op);
    return operand(s, b, rexpr);
}

static bool bool_expr(struct pgl_stmt *s, struct mgr_buf *b,
                      const struct mgr_json *e)
{
    const struct mgr_json *args = jw_get(e, "args");
    const char *op = jw_get_str(e, "boolop");

    if (!op)
        return false;
    if (strcmp(op, "NOT_EXPR") == 0) {
        s->run->api->buf_addf(b, "NOT ");
        return operand(s, b, jw_at(args, 0));
    }
    for (size_t i = 0; i < jw_len(args); i++) {
        if (i)
            s->run->api->buf_addf(b, " %s ",
                                  strcmp(op, "OR_EXPR") ? "AND" : "OR");
        if (!operand(s, b, jw_at(args, i)))
            return false;
    }
    return jw_len(args) > 0;
}

static bool null_test(struct pgl_stmt *s, struct mgr_buf *b,
                      const struct mgr_json *e)
{
    if (!operand(s, b, jw_get(e, "arg")))
        return false;
    s->run->api->buf_addf(b, jw_get_is(e, "nulltesttype", "IS_NOT_NULL")
                                 ? " IS NOT NULL"
                                 : " IS NULL");
    return true;
}

static bool type_cast(struct pgl_stmt *s, struct mgr_buf *b,
                      const struct mgr_json *e)
{
    if (!operand(s, b, jw_get(e, "arg")))
        return false;
    s->run->api->buf_addf(b, "::");
    pgl_type(s, b, jw_get(e, "typeName"));
    return true;
}

static bool array_expr(struct pgl_stmt *s, struct mgr_buf *b,
                       const struct mgr_json *e)
{
    s->run->api->buf_addf(b, "ARRAY[");
    if (!list(s, b, jw_get(e, "elements")))
        return false;
    s->run->api->buf_addf(b, "]");
    return true;
}

static bool sql_value(struct pgl_stmt *s, struct mgr_buf *b,
                      const struct mgr_json *e)
{
    static const char *const words[] = {
        "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "LOCALTIME",
        "LOCALTIMESTAMP", "CURRENT_ROLE", "CURRENT_USER", "USER",
        "SESSION_USER", "CURRENT_CATALOG", "CURRENT_SCHEMA",
    };
    const char *op = jw_get_str(e, "op");

    for (size_t i = 0; op && i < sizeof(words) / sizeof(words[0]); i++) {
        if (strncmp(op, "SVFOP_", 6) == 0 && strcmp(op + 6, words[i]) == 0) {
            s->run->api->buf_addf(b, "%s", words[i]);
            return true;
        }
    }
    return false;
}

static bool expr(struct pgl_stmt *s, struct mgr_buf *b,
                 const struct mgr_json *node)
{
    static const struct {
        const char *type;
        bool (*fn)(struct pgl_stmt *, struct mgr_buf *,
                   const struct mgr_json *);
    } kinds[] = {
        {"A_ArrayExpr", array_expr}, {"A_Const", a_const},
        {"A_Expr", a_expr},          {"BoolExpr", bool_expr},
        {"ColumnRef", column_ref},   {"FuncCall", func_call},
        {"NullTest", null_test},     {"SQLValueFunction", sql_value},
        {"TypeCast", type_cast},
    };
    const struct mgr_json *body;
    const char *t = jw_node(node, &body);

    for (size_t i = 0; t && i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        if (strcmp(kinds[i].type, t) == 0)
            return kinds[i].fn(s, b, body);
    }
    return false;
}

bool pgl_expr(struct pgl_stmt *s, struct mgr_buf *b,
              const struct mgr_json *node)
{
    size_t len = b->len;

    if (expr(s, b, node))
        return true;
    s->run->api->buf_setlen(b, len);
    return false;
}

void pgl_expr_or_dots(struct pgl_stmt *s, struct mgr_buf *b,
                      const struct mgr_json *node)
{
    if (!pgl_expr(s, b, node))
        s->run->api->buf_addf(b, "...");
}
