/*
 * pgl_column.c: ALTER TABLE ADD COLUMN (pgl.h). The column is recorded
 * and its type goes to the preference rules; on an existing table:
 *
 *   adding-required-field            NOT NULL without a DEFAULT
 *   adding-field-with-default        a volatile DEFAULT, a stored
 *                                    generated, identity or serial
 *                                    column: a rewrite
 *   adding-serial-primary-key-field  serial PRIMARY KEY
 *
 * and its inline PRIMARY KEY / UNIQUE, REFERENCES and CHECK have the
 * rules of the same table constraints (pgl_constraint.c).
 */
#include "autoconfig.h"

#include <stdio.h>
#include <string.h>

#include "pgl.h"

/* What the inline constraints of a column say. */
struct col_info {
    const char *col;
    const struct mgr_json *typ;
    const struct mgr_json *dflt;    /* DEFAULT's expression */
    const struct mgr_json *gen;     /* GENERATED ALWAYS AS (...) STORED */
    const struct mgr_json *unique;  /* PRIMARY KEY or UNIQUE */
    const struct mgr_json *fk, *check;
    bool not_null, identity, primary, serial;
    int offset;                     /* pgl_offset() of the definition */
};

static bool in_list(const char *s, const char *const *list)
{
    for (size_t i = 0; s && list[i]; i++) {
        if (strcmp(s, list[i]) == 0)
            return true;
    }
    return false;
}

static const char *const serial_types[] = {
    "serial", "serial4", "bigserial", "serial8", "smallserial", "serial2",
    NULL,
};

static void read_info(const struct mgr_json *coldef, struct col_info *ci)
{
    const struct mgr_json *cons = jw_get(coldef, "constraints");

    memset(ci, 0, sizeof(*ci));
    ci->col = jw_get_str(coldef, "colname");
    ci->offset = pgl_offset(coldef);
    ci->typ = jw_get(coldef, "typeName");
    ci->serial = in_list(pgl_type_base(ci->typ), serial_types);
    for (size_t i = 0; i < jw_len(cons); i++) {
        const struct mgr_json *c = jw_node_body(jw_at(cons, i), "Constraint");
        const char *t = jw_get_str(c, "contype");

        if (!t)
            continue;
        if (strcmp(t, "CONSTR_DEFAULT") == 0)
            ci->dflt = jw_get(c, "raw_expr");
        else if (strcmp(t, "CONSTR_GENERATED") == 0)
            ci->gen = c;
        else if (strcmp(t, "CONSTR_IDENTITY") == 0)
            ci->identity = true;
        else if (strcmp(t, "CONSTR_NOTNULL") == 0)
            ci->not_null = true;
        else if (strcmp(t, "CONSTR_PRIMARY") == 0 ||
                 strcmp(t, "CONSTR_UNIQUE") == 0)
            ci->unique = c;
        else if (strcmp(t, "CONSTR_FOREIGN") == 0)
            ci->fk = c;
        else if (strcmp(t, "CONSTR_CHECK") == 0)
            ci->check = c;
        ci->primary = ci->primary || strcmp(t, "CONSTR_PRIMARY") == 0;
    }
}

/* Append the column's type, a serial as the integer under it. */
static void plain_type(struct pgl_stmt *s, struct mgr_buf *b,
                       const struct col_info *ci)
{
    const char *base = pgl_type_base(ci->typ);

    if (!ci->serial) {
        pgl_type(s, b, ci->typ);
        return;
    }
    s->run->api->buf_addf(b, "%s",
                          strstr(base, "big") || strcmp(base, "serial8") == 0
                              ? "bigint"
                          : strstr(base, "small") ||
                                  strcmp(base, "serial2") == 0
                              ? "smallint"
                              : "integer");
}

/* "ALTER TABLE t ADD COLUMN col type;" */
static void add_plain(struct pgl_stmt *s, struct mgr_buf *b,
                      const struct pgl_rel *rel, const struct col_info *ci)
{
    pgl_add_alter(s->run, b, rel);
    s->run->api->buf_addf(b, "ADD COLUMN ");
    pgl_add_ident(s->run, b, ci->col);
    s->run->api->buf_addf(b, " ");
    plain_type(s, b, ci);
    s->run->api->buf_addf(b, ";\n");
}

/* ---- volatility of a default --------------------------------------------- */

enum volatility { CONSTANT, UNKNOWN_CALL, VOLATILE };

static const char *const volatile_fns[] = {
    "clock_timestamp", "currval", "gen_random_bytes", "gen_random_uuid",
    "nextval", "pg_current_xact_id", "random", "random_normal", "setval",
    "timeofday", "txid_current", "uuid_generate_v1", "uuid_generate_v1mc",
    "uuid_generate_v4", "uuidv4", "uuidv7", NULL,
};

/* Stable or immutable: a default of them is computed once (PG 11+). */
static const char *const stable_fns[] = {
    "abs", "array_fill", "btrim", "concat", "current_setting", "date_trunc",
    "jsonb_build_array", "jsonb_build_object", "json_build_array",
    "json_build_object", "length", "localtimestamp", "lower", "ltrim",
    "make_date", "make_interval", "make_timestamp", "make_timestamptz",
    "md5", "now", "replace", "round", "rtrim", "statement_timestamp",
    "timezone", "to_char", "to_date", "to_jsonb", "to_timestamp",
    "transaction_timestamp", "trim", "upper", NULL,
};

struct vol_walk {
    enum volatility v;
    const char *fn;
};

static int find_calls(const struct mgr_json *node, void *ctx)
{
    struct vol_walk *w = ctx;
    const char *fn = jw_name_last(
        jw_get(jw_node_body(node, "FuncCall"), "funcname"));

    if (!fn || in_list(fn, stable_fns))
        return 0;
    w->fn = fn;
    if (in_list(fn, volatile_fns)) {
        w->v = VOLATILE;
        return 1;
    }
    w->v = UNKNOWN_CALL;
    return 0;
}

/* ---- the rules ----------------------------------------------------------- */

static void required(struct pgl_stmt *s, const struct pgl_rel *rel,
                     const struct col_info *ci, const char *q)
{
    struct pgl_say say = {"adding-required-field", 0, 0,
                          PGL_ACCESS_EXCLUSIVE, rel->shown, NULL};
    struct mgr_buf hint;

    pgl_hint_begin(s->run, &hint);
    s->run->api->buf_addf(&hint, "add it nullable (with a constant DEFAULT "
                                 "for new rows if it has one), backfill "
                                 "it in batches, then constrain it:\n");
    add_plain(s, &hint, rel, ci);
    s->run->api->buf_addf(&hint, "-- backfill it in batches, then:\n");
    pgl_not_null_steps(s->run, &hint, rel, ci->col);
    say.hint = hint.buf;
    pgl_say_near(s, &say, ci->offset,
                 "ADD COLUMN %s NOT NULL without a DEFAULT fails when %s "
                 "has rows",
                 q, rel->shown);
    pgl_hint_end(s->run, &hint);
}

/* The hint of adding-field-with-default: what to do instead. */
static void default_hint(struct pgl_stmt *s, struct mgr_buf *b,
                         const struct pgl_rel *rel, const struct col_info *ci)
{
    const struct mgr_host_api *api = s->run->api;

    if (ci->dflt && !ci->serial) {
        api->buf_addf(b, "add the column without the default, set the "
                         "default for new rows, then backfill the old "
                         "rows in batches:\n");
        add_plain(s, b, rel, ci);
        pgl_add_alter(s->run, b, rel);
        api->buf_addf(b, "ALTER COLUMN ");
        pgl_add_ident(s->run, b, ci->col);
        api->buf_addf(b, " SET DEFAULT ");
        pgl_expr_or_dots(s, b, ci->dflt);
        api->buf_addf(b, ";");
        return;
    }
    if (ci->gen) {
        api->buf_addf(b, "add a plain column, backfill it in batches and "
                         "keep it current with a trigger:\n");
        add_plain(s, b, rel, ci);
        return;
    }
    api->buf_addf(b, "add a plain column, backfill it in batches, then "
                     "make it an identity column (no rewrite):\n");
    add_plain(s, b, rel, ci);
    api->buf_addf(b, "-- backfill it, make it NOT NULL, then:\n");
    pgl_add_alter(s->run, b, rel);
    api->buf_addf(b, "ALTER COLUMN ");
    pgl_add_ident(s->run, b, ci->col);
    api->buf_addf(b, " ADD GENERATED BY DEFAULT AS IDENTITY;");
}

/* What makes the new column rewrite the table, or NULL. */
static const char *rewrite_reason(const struct col_info *ci,
                                  struct vol_walk *w, char *buf, size_t size)
{
    if (ci->gen && jw_get_is(ci->gen, "generated_when", "a"))
        return "GENERATED ALWAYS AS (...) STORED";
    if (ci->identity)
        return "GENERATED AS IDENTITY";
    if (ci->serial)
        return "a serial type (DEFAULT nextval())";
    jw_walk(ci->dflt, find_calls, w);
    if (w->v == CONSTANT)
        return NULL;
    snprintf(buf, size, "DEFAULT %s()%s", w->fn,
             w->v == VOLATILE ? ", which is volatile," : "");
    return buf;
}

static void with_default(struct pgl_stmt *s, const struct pgl_rel *rel,
                         const struct col_info *ci, const char *q)
{
    struct pgl_say say = {"adding-field-with-default", 0,
                          MGR_FINDING_SIZE | MGR_FINDING_REWRITE,
                          PGL_ACCESS_EXCLUSIVE, rel->shown, NULL};
    struct vol_walk w = {CONSTANT, NULL};
    char reason[PGL_NAME_MAX];
    const char *why = rewrite_reason(ci, &w, reason, sizeof(reason));
    struct mgr_buf hint;

    if (!why)
        return;
    if (w.v == UNKNOWN_CALL)
        say.severity = MGR_SEVERITY_WARNING;
    pgl_hint_begin(s->run, &hint);
    default_hint(s, &hint, rel, ci);
    say.hint = hint.buf;
    pgl_say_near(s, &say, ci->offset,
                 "ADD COLUMN %s with %s rewrites %s under ACCESS EXCLUSIVE%s",
                 q, why, rel->shown,
                 w.v == UNKNOWN_CALL ? " if the function is volatile" : "");
    pgl_hint_end(s->run, &hint);
}

static void serial_key(struct pgl_stmt *s, const struct pgl_rel *rel,
                       const struct col_info *ci, const char *q)
{
    struct pgl_say say = {"adding-serial-primary-key-field", 0,
                          MGR_FINDING_SIZE | MGR_FINDING_REWRITE,
                          PGL_ACCESS_EXCLUSIVE, rel->shown, NULL};
    const char *cols[1] = {ci->col};
    char name[PGL_NAME_MAX];
    struct mgr_buf hint;

    pgl_default_name(name, sizeof(name), rel->name, cols, 0, "pkey");
    pgl_hint_begin(s->run, &hint);
    s->run->api->buf_addf(&hint, "add a plain column and backfill it, "
                                 "build the index concurrently, then "
                                 "make it the key:\n");
    add_plain(s, &hint, rel, ci);
    s->run->api->buf_addf(&hint, "-- backfill it, make it NOT NULL, then "
                                 "in a transaction=false section:\n"
                                 "CREATE UNIQUE INDEX CONCURRENTLY IF NOT "
                                 "EXISTS ");
    pgl_add_ident(s->run, &hint, name);
    s->run->api->buf_addf(&hint, " ON %s (%s);\n", rel->shown, q);
    pgl_add_alter(s->run, &hint, rel);
    s->run->api->buf_addf(&hint, "ADD CONSTRAINT ");
    pgl_add_ident(s->run, &hint, name);
    s->run->api->buf_addf(&hint, " PRIMARY KEY USING INDEX ");
    pgl_add_ident(s->run, &hint, name);
    s->run->api->buf_addf(&hint, ";");
    say.hint = hint.buf;
    pgl_say_near(s, &say, ci->offset,
                 "ADD COLUMN %s serial PRIMARY KEY rewrites %s and builds "
                 "its index under ACCESS EXCLUSIVE",
                 q, rel->shown);
    pgl_hint_end(s->run, &hint);
}

/* The inline constraints, as the table constraints they are. */
static void inline_constraints(struct pgl_stmt *s, const struct pgl_rel *rel,
                               const struct col_info *ci,
                               const struct mgr_json *coldef)
{
    if (ci->unique)
        pgl_unique_unindexed(s, rel, ci->unique, coldef);
    if (ci->fk)
        pgl_fk_unvalidated(s, rel, ci->fk, coldef);
    if (ci->check)
        pgl_check_unvalidated(s, rel, ci->check, coldef);
}

void pgl_add_column(struct pgl_stmt *s, const struct pgl_rel *rel,
                    const struct mgr_json *coldef)
{
    struct col_info ci;
    struct pgl_rel ref;
    char q[PGL_NAME_MAX];

    read_info(coldef, &ci);
    if (!ci.col)
        return;
    pgl_column_set(s->run, rel->key, ci.col, ci.typ, true);
    pgl_column_types(s, rel, ci.col, ci.typ);
    pgl_column_constraints(s, rel, coldef);
    if (ci.fk && pgl_fk_ref(s->run, ci.fk, &ref) && !ref.is_new)
        pgl_note_lock(s, ref.shown, PGL_SHARE_ROW_EXCLUSIVE);
    if (rel->is_new)
        return;
    pgl_note_lock(s, rel->shown, PGL_ACCESS_EXCLUSIVE);
    pgl_ident(q, sizeof(q), ci.col);
    if (ci.serial && ci.primary) {
        serial_key(s, rel, &ci, q);
        return;
    }
    /* A PRIMARY KEY column is NOT NULL too. */
    if ((ci.not_null || ci.primary) && !ci.dflt && !ci.gen &&
        !ci.identity && !ci.serial)
        required(s, rel, &ci, q);
    with_default(s, rel, &ci, q);
    inline_constraints(s, rel, &ci, coldef);
}
