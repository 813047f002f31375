/*
 * pgl_index.c: CREATE INDEX, DROP INDEX and REINDEX (pgl.h).
 *
 *   require-concurrent-index-creation  CREATE INDEX on an existing table
 *                                      without CONCURRENTLY (SHARE lock)
 *   require-concurrent-index-deletion  DROP INDEX of an index the run did
 *                                      not create, without CONCURRENTLY
 *   require-concurrent-reindex         REINDEX without CONCURRENTLY
 *   ban-concurrent-index-creation-in-transaction
 *                                      any of them CONCURRENTLY in a
 *                                      transactional section: it fails
 *   unique-index-on-existing-table     CREATE UNIQUE INDEX on an existing
 *                                      table: duplicates make it fail
 *
 * An index is new when the run created it (by name, PostgreSQL's default
 * name for an unnamed one); DROP INDEX does not say whose it is.
 */
#include "autoconfig.h"

#include <string.h>

#include "pgl.h"

/* ---- SQL for hints ------------------------------------------------------- */

/* The section marker the statement's section would have outside a
 * transaction. */
static const char *marker(const struct pgl_stmt *s)
{
    return s->st->dir == MGR_DOWNGRADE
               ? "-- migrate:downgrade transaction=false"
               : "-- migrate:upgrade transaction=false";
}

/* An index element: a column or (expression), as written. */
static void add_elem(struct pgl_stmt *s, struct mgr_buf *b,
                     const struct mgr_json *elem, bool with_order)
{
    const struct mgr_json *e = jw_node_body(elem, "IndexElem");
    const char *name = jw_get_str(e, "name");
    const struct mgr_json *expr = jw_get(e, "expr");
    const struct mgr_host_api *api = s->run->api;

    if (name) {
        pgl_add_ident(s->run, b, name);
    } else if (jw_node_body(expr, "FuncCall")) {
        pgl_expr_or_dots(s, b, expr);
    } else {
        api->buf_addf(b, "(");
        pgl_expr_or_dots(s, b, expr);
        api->buf_addf(b, ")");
    }
    if (!with_order)
        return;
    if (jw_len(jw_get(e, "opclass")))
        api->buf_addf(b, " %s", jw_name_last(jw_get(e, "opclass")));
    if (jw_get_is(e, "ordering", "SORTBY_DESC"))
        api->buf_addf(b, " DESC");
    if (jw_get_is(e, "nulls_ordering", "SORTBY_NULLS_FIRST"))
        api->buf_addf(b, " NULLS FIRST");
    else if (jw_get_is(e, "nulls_ordering", "SORTBY_NULLS_LAST"))
        api->buf_addf(b, " NULLS LAST");
}

static void add_elems(struct pgl_stmt *s, struct mgr_buf *b,
                      const struct mgr_json *elems, bool with_order)
{
    for (size_t i = 0; i < jw_len(elems); i++) {
        if (i)
            s->run->api->buf_addf(b, ", ");
        add_elem(s, b, jw_at(elems, i), with_order);
    }
}

/* "CREATE [UNIQUE] INDEX CONCURRENTLY IF NOT EXISTS name ON t ...;" */
static void concurrent_sql(struct pgl_stmt *s, struct mgr_buf *b,
                           const struct mgr_json *body,
                           const struct pgl_rel *rel, const char *name)
{
    const struct mgr_host_api *api = s->run->api;
    const char *method = jw_get_str(body, "accessMethod");

    api->buf_addf(b, "CREATE %sINDEX CONCURRENTLY IF NOT EXISTS ",
                  jw_get_bool(body, "unique") ? "UNIQUE " : "");
    pgl_add_ident(s->run, b, name);
    api->buf_addf(b, " ON %s%s", jw_get_bool(jw_get(body, "relation"), "inh")
                                     ? ""
                                     : "ONLY ",
                  rel->shown);
    if (method && strcmp(method, "btree") != 0)
        api->buf_addf(b, " USING %s", method);
    api->buf_addf(b, " (");
    add_elems(s, b, jw_get(body, "indexParams"), true);
    api->buf_addf(b, ")");
    if (jw_len(jw_get(body, "indexIncludingParams"))) {
        api->buf_addf(b, " INCLUDE (");
        add_elems(s, b, jw_get(body, "indexIncludingParams"), false);
        api->buf_addf(b, ")");
    }
    if (jw_get(body, "whereClause")) {
        api->buf_addf(b, " WHERE ");
        pgl_expr_or_dots(s, b, jw_get(body, "whereClause"));
    }
    api->buf_addf(b, ";");
}

/* ---- in a transaction ---------------------------------------------------- */

static void concurrent_in_tx(struct pgl_stmt *s, const char *what,
                             const char *table, const char *rewritten)
{
    struct pgl_say say = {"ban-concurrent-index-creation-in-transaction", 0,
                          0, PGL_LOCK_NONE, table, NULL};
    struct mgr_buf hint;

    pgl_hint_begin(s->run, &hint);
    s->run->api->buf_addf(&hint, "move it to a section of its own that "
                                 "runs outside a transaction:\n%s\n%s",
                          marker(s), rewritten);
    say.hint = hint.buf;
    pgl_say(s, &say, "%s CONCURRENTLY cannot run inside a transaction "
                     "block; this section runs in one",
            what);
    pgl_hint_end(s->run, &hint);
}

/* ---- CREATE INDEX -------------------------------------------------------- */

static void not_concurrent(struct pgl_stmt *s, const struct mgr_json *body,
                           const struct pgl_rel *rel, const char *name)
{
    struct pgl_say say = {"require-concurrent-index-creation", 0,
                          MGR_FINDING_SIZE, PGL_SHARE, rel->shown, NULL};
    struct mgr_buf hint;

    pgl_note_lock(s, rel->shown, PGL_SHARE);
    pgl_hint_begin(s->run, &hint);
    s->run->api->buf_addf(&hint, "build it without blocking writes, in a "
                                 "section that runs outside a transaction "
                                 "(%s):\n",
                          marker(s));
    concurrent_sql(s, &hint, body, rel, name);
    say.hint = hint.buf;
    pgl_say(s, &say,
            "CREATE INDEX without CONCURRENTLY blocks writes to %s (SHARE "
            "lock) while it builds",
            rel->shown);
    pgl_hint_end(s->run, &hint);
}

static void unique_on_data(struct pgl_stmt *s, const struct mgr_json *body,
                           const struct pgl_rel *rel, const char *name)
{
    struct pgl_say say = {"unique-index-on-existing-table", 0, 0,
                          PGL_LOCK_NONE, rel->shown, NULL};
    struct mgr_buf hint;
    char q[PGL_NAME_MAX];

    pgl_hint_begin(s->run, &hint);
    s->run->api->buf_addf(&hint, "look for duplicates first; a failed "
                                 "CREATE INDEX CONCURRENTLY leaves an "
                                 "invalid index to drop before a retry:\n"
                                 "SELECT ");
    add_elems(s, &hint, jw_get(body, "indexParams"), false);
    s->run->api->buf_addf(&hint, ", count(*) FROM %s GROUP BY ", rel->shown);
    add_elems(s, &hint, jw_get(body, "indexParams"), false);
    s->run->api->buf_addf(&hint, " HAVING count(*) > 1;");
    say.hint = hint.buf;
    pgl_ident(q, sizeof(q), name);
    pgl_say(s, &say,
            "unique index %s fails if %s already holds duplicates", q,
            rel->shown);
    pgl_hint_end(s->run, &hint);
}

/* PostgreSQL's name for an unnamed index: its columns, a function's
 * name for a call, "expr" for another expression. */
static void index_name(const struct pgl_rel *rel,
                       const struct mgr_json *params, char *out,
                       size_t size)
{
    const char *parts[PGL_MAX_COLS];
    size_t n = pgl_cols(params, parts);

    for (size_t i = 0; i < n; i++) {
        const struct mgr_json *e = jw_node_body(jw_at(params, i),
                                                "IndexElem");
        const struct mgr_json *f = jw_node_body(jw_get(e, "expr"),
                                                "FuncCall");

        if (!parts[i])
            parts[i] = jw_name_last(jw_get(f, "funcname"));
    }
    pgl_default_name(out, size, rel->name, parts, n, "idx");
}

void pgl_create_index(struct pgl_stmt *s, const struct mgr_json *body)
{
    const char *cols[PGL_MAX_COLS], *name = jw_get_str(body, "idxname");
    size_t n = pgl_cols(jw_get(body, "indexParams"), cols);
    bool concurrent = jw_get_bool(body, "concurrent");
    char dflt[PGL_NAME_MAX], key[PGL_NAME_MAX];
    struct mgr_buf sql;
    struct pgl_rel rel;

    if (!pgl_rel_read(s->run, jw_get(body, "relation"), &rel))
        return;
    if (!name) {
        index_name(&rel, jw_get(body, "indexParams"), dflt, sizeof(dflt));
        name = dflt;
    }
    pgl_rel_sibling(&rel, name, key, sizeof(key));
    pgl_index_add(s->run, rel.key, key, cols, n);
    if (concurrent && s->run->in_tx) {
        pgl_hint_begin(s->run, &sql);
        concurrent_sql(s, &sql, body, &rel, name);
        concurrent_in_tx(s, "CREATE INDEX", rel.is_new ? NULL : rel.shown,
                         sql.buf);
        pgl_hint_end(s->run, &sql);
    }
    if (rel.is_new)
        return;
    if (!concurrent)
        not_concurrent(s, body, &rel, name);
    if (jw_get_bool(body, "unique"))
        unique_on_data(s, body, &rel, name);
}

/* ---- DROP INDEX ---------------------------------------------------------- */

static void drop_one(struct pgl_stmt *s, const struct mgr_json *names,
                     bool concurrent)
{
    struct pgl_say say = {"require-concurrent-index-deletion", 0, 0,
                          PGL_ACCESS_EXCLUSIVE, NULL, NULL};
    const char *parts[3];
    size_t n = jw_name_list(names, parts, 3);
    struct mgr_buf hint;
    struct pgl_rel idx;

    if (concurrent || n == 0 || n > 3)
        return;
    /* Named as a relation is: [schema.]name. */
    pgl_rel_make(s->run, n >= 2 ? parts[n - 2] : NULL, parts[n - 1], &idx);
    if (pgl_index_find(s->run, idx.key))
        return;
    pgl_note_lock(s, NULL, PGL_ACCESS_EXCLUSIVE);
    pgl_hint_begin(s->run, &hint);
    s->run->api->buf_addf(&hint, "drop it without blocking its table, in "
                                 "a section that runs outside a "
                                 "transaction (%s):\n"
                                 "DROP INDEX CONCURRENTLY IF EXISTS %s;",
                          marker(s), idx.shown);
    say.hint = hint.buf;
    pgl_say(s, &say,
            "DROP INDEX %s without CONCURRENTLY takes ACCESS EXCLUSIVE on "
            "its table",
            idx.shown);
    pgl_hint_end(s->run, &hint);
}

void pgl_drop_index(struct pgl_stmt *s, const struct mgr_json *body)
{
    const struct mgr_json *objects = jw_get(body, "objects");
    bool concurrent = jw_get_bool(body, "concurrent");

    if (concurrent && s->run->in_tx)
        concurrent_in_tx(s, "DROP INDEX", NULL,
                         "DROP INDEX CONCURRENTLY IF EXISTS ...;");
    for (size_t i = 0; i < jw_len(objects); i++)
        drop_one(s,
                 jw_get(jw_node_body(jw_at(objects, i), "List"), "items"),
                 concurrent);
}

/* ---- REINDEX ------------------------------------------------------------- */

/* Whether a DefElem list says name (CONCURRENTLY, VERBOSE). */
static bool has_option(const struct mgr_json *params, const char *name)
{
    for (size_t i = 0; i < jw_len(params); i++) {
        if (jw_get_is(jw_node_body(jw_at(params, i), "DefElem"), "defname",
                      name))
            return true;
    }
    return false;
}

static void reindex_blocking(struct pgl_stmt *s, const char *kind,
                             const char *table, const char *shown)
{
    const char *what = strcmp(kind, "INDEX") == 0
                           ? "its table, and reads that use it"
                       : table ? "it, and reads that use its indexes"
                               : "every table it covers, and reads that "
                                 "use their indexes";
    struct pgl_say say = {"require-concurrent-reindex", 0,
                          MGR_FINDING_SIZE | MGR_FINDING_REWRITE, PGL_SHARE,
                          table, NULL};
    struct mgr_buf hint;

    pgl_note_lock(s, table, PGL_SHARE);
    pgl_hint_begin(s->run, &hint);
    s->run->api->buf_addf(&hint, "rebuild it without blocking, in a "
                                 "section that runs outside a transaction "
                                 "(%s; PostgreSQL 12 and later):\n"
                                 "REINDEX %s CONCURRENTLY %s;",
                          marker(s), kind, shown);
    say.hint = hint.buf;
    pgl_say(s, &say, "REINDEX %s %s without CONCURRENTLY blocks writes to %s",
            kind, shown, what);
    pgl_hint_end(s->run, &hint);
}

void pgl_reindex(struct pgl_stmt *s, const struct mgr_json *body)
{
    const char *kind = jw_get_str(body, "kind");
    const char *name = jw_get_str(body, "name");
    bool concurrent = has_option(jw_get(body, "params"), "concurrently");
    struct pgl_rel rel;
    bool known;

    if (!kind || strncmp(kind, "REINDEX_OBJECT_", 15) != 0)
        return;
    kind += 15;
    known = pgl_rel_read(s->run, jw_get(body, "relation"), &rel);
    if (!known)
        pgl_rel_make(s->run, NULL, name ? name : "", &rel);
    if (concurrent && s->run->in_tx)
        concurrent_in_tx(s, "REINDEX", NULL, "REINDEX ... CONCURRENTLY ...;");
    if (concurrent)
        return;
    if (strcmp(kind, "INDEX") == 0 && pgl_index_find(s->run, rel.key))
        return;
    if (strcmp(kind, "TABLE") == 0 && rel.is_new)
        return;
    reindex_blocking(s, kind, strcmp(kind, "TABLE") == 0 ? rel.shown : NULL,
                     rel.shown);
}
