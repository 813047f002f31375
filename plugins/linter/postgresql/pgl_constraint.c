/*
 * pgl_constraint.c: constraints (pgl.h). Every PRIMARY KEY, UNIQUE,
 * FOREIGN KEY and CHECK the run adds is recorded, wherever it is
 * written; on an existing table, ADD CONSTRAINT has rules of its own:
 *
 *   constraint-missing-not-valid   CHECK without NOT VALID: a scan under
 *                                  ACCESS EXCLUSIVE; also VALIDATE in
 *                                  the transaction of its NOT VALID add
 *   adding-foreign-key-constraint  FOREIGN KEY without NOT VALID: a scan
 *                                  under SHARE ROW EXCLUSIVE, both tables
 *   disallowed-unique-constraint   UNIQUE / PRIMARY KEY that builds its
 *                                  index under ACCESS EXCLUSIVE
 */
#include "autoconfig.h"

#include <stdio.h>
#include <string.h>

#include "pgl.h"

/* ---- recording ----------------------------------------------------------- */

/* Columns of con: col alone for a column constraint, else its list. */
static size_t con_cols(const struct mgr_json *con, const char *col,
                       const char *list, const char **out)
{
    if (col) {
        out[0] = col;
        return 1;
    }
    return pgl_cols(jw_get(con, list), out);
}

static void record_index(struct pgl_stmt *s, const struct pgl_rel *rel,
                         const struct mgr_json *con, const char *col,
                         bool primary)
{
    const char *cols[PGL_MAX_COLS], *name = jw_get_str(con, "conname");
    const char *using = jw_get_str(con, "indexname");
    size_t n = con_cols(con, col, "keys", cols);
    char key[PGL_NAME_MAX], dflt[PGL_NAME_MAX];
    struct pgl_index *x;

    if (using) {
        /* USING INDEX: the index, known when the run made it. */
        pgl_rel_sibling(rel, using, key, sizeof(key));
        x = pgl_index_find(s->run, key);
        if (!x)
            return;
        n = x->ncols < PGL_MAX_COLS ? x->ncols : PGL_MAX_COLS;
        memcpy(cols, x->cols, n * sizeof(cols[0]));
    }
    if (!name) {
        pgl_default_name(dflt, sizeof(dflt), rel->name, cols,
                         primary ? 0 : n, primary ? "pkey" : "key");
        name = dflt;
    }
    pgl_rel_sibling(rel, name, key, sizeof(key));
    pgl_index_add(s->run, rel->key, key, cols, n);
}

/* The column of CHECK (col IS NOT NULL), or NULL. */
static const char *not_null_column(const struct mgr_json *expr)
{
    const struct mgr_json *t = jw_node_body(expr, "NullTest");
    const struct mgr_json *ref = jw_node_body(jw_get(t, "arg"), "ColumnRef");
    const struct mgr_json *fields = jw_get(ref, "fields");

    if (!jw_get_is(t, "nulltesttype", "IS_NOT_NULL") || jw_len(fields) != 1)
        return NULL;
    return jw_string_node(jw_at(fields, 0));
}

/* The one column a CHECK expression names (PostgreSQL's default name
 * then has it), or NULL. */
struct one_col {
    const char *col;
    bool many;
};

static int find_columns(const struct mgr_json *v, void *ctx)
{
    struct one_col *oc = ctx;
    const struct mgr_json *ref = jw_node_body(v, "ColumnRef");
    const char *c = jw_name_last(jw_get(ref, "fields"));

    if (!c)
        return 0;
    if (oc->col && strcmp(oc->col, c) != 0)
        oc->many = true;
    oc->col = c;
    return 0;
}

/* The name of con as PostgreSQL gives it when none is written. */
static void con_name(const struct pgl_rel *rel, const struct mgr_json *con,
                     const char *col, char *out, size_t size)
{
    const char *cols[PGL_MAX_COLS];
    const char *given = jw_get_str(con, "conname");
    struct one_col oc = {col, false};

    if (given) {
        snprintf(out, size, "%s", given);
    } else if (jw_get_is(con, "contype", "CONSTR_FOREIGN")) {
        pgl_default_name(out, size, rel->name, cols,
                         con_cols(con, col, "fk_attrs", cols), "fkey");
    } else {
        if (!col)
            jw_walk(jw_get(con, "raw_expr"), find_columns, &oc);
        pgl_default_name(out, size, rel->name, &oc.col,
                         oc.col && !oc.many ? 1 : 0, "check");
    }
}

/* A CHECK or FOREIGN KEY, for VALIDATE CONSTRAINT later. */
static struct pgl_con *record_con(struct pgl_stmt *s,
                                  const struct pgl_rel *rel,
                                  const struct mgr_json *con,
                                  const char *col)
{
    char name[PGL_NAME_MAX];
    struct pgl_con *c;

    con_name(rel, con, col, name, sizeof(name));
    c = pgl_con_add(s->run, rel->key, name);
    c->is_fk = jw_get_is(con, "contype", "CONSTR_FOREIGN");
    c->validated = !jw_get_bool(con, "skip_validation");
    if (!c->validated && s->run->in_tx)
        c->section = s->run->section;
    if (!c->is_fk)
        c->not_null_col = pgl_strdup(
            s->run, not_null_column(jw_get(con, "raw_expr")));
    return c;
}

static void record_fk(struct pgl_stmt *s, const struct pgl_rel *rel,
                      const struct mgr_json *con, const char *col)
{
    const char *cols[PGL_MAX_COLS];
    size_t n = con_cols(con, col, "fk_attrs", cols);
    struct pgl_rel ref;

    if (!pgl_fk_ref(s->run, con, &ref))
        return;
    pgl_fk_add(s, rel, cols, n, &ref);
    record_con(s, rel, con, col);
}

bool pgl_fk_ref(struct pgl_run *run, const struct mgr_json *con,
                struct pgl_rel *ref)
{
    return pgl_rel_read(run, jw_get(con, "pktable"), ref);
}

void pgl_constraint_record(struct pgl_stmt *s, const struct pgl_rel *rel,
                           const struct mgr_json *con, const char *col)
{
    const char *type = jw_get_str(con, "contype");

    if (!type)
        return;
    if (strcmp(type, "CONSTR_PRIMARY") == 0)
        record_index(s, rel, con, col, true);
    else if (strcmp(type, "CONSTR_UNIQUE") == 0)
        record_index(s, rel, con, col, false);
    else if (strcmp(type, "CONSTR_FOREIGN") == 0)
        record_fk(s, rel, con, col);
    else if (strcmp(type, "CONSTR_CHECK") == 0)
        record_con(s, rel, con, col);
}

void pgl_column_constraints(struct pgl_stmt *s, const struct pgl_rel *rel,
                            const struct mgr_json *coldef)
{
    const struct mgr_json *cons = jw_get(coldef, "constraints");
    const char *col = jw_get_str(coldef, "colname");

    for (size_t i = 0; col && i < jw_len(cons); i++)
        pgl_constraint_record(s, rel,
                              jw_node_body(jw_at(cons, i), "Constraint"),
                              col);
}

/* ---- hints --------------------------------------------------------------- */

static void add_names(struct pgl_run *run, struct mgr_buf *b,
                      const struct mgr_json *list)
{
    for (size_t i = 0; i < jw_len(list); i++) {
        if (i)
            run->api->buf_addf(b, ", ");
        pgl_add_ident(run, b, jw_string_node(jw_at(list, i)));
    }
}

/* ON DELETE / ON UPDATE of a foreign key, as written. */
static void add_actions(struct pgl_run *run, struct mgr_buf *b,
                        const struct mgr_json *con)
{
    static const char *const keys[] = {"fk_del_action", "fk_upd_action"};
    static const char *const words[] = {" ON DELETE", " ON UPDATE"};

    for (size_t i = 0; i < 2; i++) {
        const char *a = jw_get_str(con, keys[i]);

        if (!a || !a[0] || a[0] == 'a')
            continue;
        run->api->buf_addf(b, "%s %s", words[i],
                           a[0] == 'c'   ? "CASCADE"
                           : a[0] == 'n' ? "SET NULL"
                           : a[0] == 'd' ? "SET DEFAULT"
                                         : "RESTRICT");
    }
}

/* "ADD CONSTRAINT name FOREIGN KEY (cols) REFERENCES t (cols)" or
 * "... CHECK (expr)", without NOT VALID. */
static void add_con_sql(struct pgl_stmt *s, struct mgr_buf *b,
                     const struct pgl_rel *rel, const struct mgr_json *con,
                     const char *col)
{
    struct pgl_run *run = s->run;
    char name[PGL_NAME_MAX];
    struct pgl_rel ref;

    con_name(rel, con, col, name, sizeof(name));
    run->api->buf_addf(b, "ADD CONSTRAINT ");
    pgl_add_ident(run, b, name);
    if (!jw_get_is(con, "contype", "CONSTR_FOREIGN")) {
        run->api->buf_addf(b, " CHECK (");
        pgl_expr_or_dots(s, b, jw_get(con, "raw_expr"));
        run->api->buf_addf(b, ")");
        return;
    }
    run->api->buf_addf(b, " FOREIGN KEY (");
    if (col)
        pgl_add_ident(run, b, col);
    else
        add_names(run, b, jw_get(con, "fk_attrs"));
    run->api->buf_addf(b, ") REFERENCES %s",
                       pgl_fk_ref(run, con, &ref) ? ref.shown : "...");
    if (jw_len(jw_get(con, "pk_attrs"))) {
        run->api->buf_addf(b, " (");
        add_names(run, b, jw_get(con, "pk_attrs"));
        run->api->buf_addf(b, ")");
    }
    add_actions(run, b, con);
}

/* The hint: (ADD COLUMN without it,) ADD ... NOT VALID, VALIDATE. */
static void not_valid_hint(struct pgl_stmt *s, struct mgr_buf *b,
                           const struct pgl_rel *rel,
                           const struct mgr_json *con,
                           const struct mgr_json *coldef)
{
    struct pgl_run *run = s->run;
    const char *col = jw_get_str(coldef, "colname");
    char name[PGL_NAME_MAX];

    con_name(rel, con, col, name, sizeof(name));
    run->api->buf_addf(b, "add it NOT VALID (a short lock, no scan), then "
                          "validate it in a later transaction, which lets "
                          "reads and writes go on:\n");
    if (col) {
        pgl_add_alter(run, b, rel);
        run->api->buf_addf(b, "ADD COLUMN ");
        pgl_add_ident(run, b, col);
        run->api->buf_addf(b, " ");
        pgl_type(s, b, jw_get(coldef, "typeName"));
        run->api->buf_addf(b, ";\n");
    }
    pgl_add_alter(run, b, rel);
    add_con_sql(s, b, rel, con, col);
    run->api->buf_addf(b, " NOT VALID;\n");
    pgl_add_alter(run, b, rel);
    run->api->buf_addf(b, "VALIDATE CONSTRAINT ");
    pgl_add_ident(run, b, name);
    run->api->buf_addf(b, ";");
}

static void unique_hint(struct pgl_stmt *s, struct mgr_buf *b,
                        const struct pgl_rel *rel,
                        const struct mgr_json *con, const char *col)
{
    struct pgl_run *run = s->run;
    bool primary = jw_get_is(con, "contype", "CONSTR_PRIMARY");
    const char *cols[PGL_MAX_COLS], *name = jw_get_str(con, "conname");
    size_t n = con_cols(con, col, "keys", cols);
    char dflt[PGL_NAME_MAX];

    if (!name) {
        pgl_default_name(dflt, sizeof(dflt), rel->name, cols,
                         primary ? 0 : n, primary ? "pkey" : "key");
        name = dflt;
    }
    run->api->buf_addf(b, "build the index without blocking writes (in a "
                          "transaction=false section), then attach it:\n"
                          "CREATE UNIQUE INDEX CONCURRENTLY IF NOT "
                          "EXISTS ");
    pgl_add_ident(run, b, name);
    run->api->buf_addf(b, " ON %s (", rel->shown);
    for (size_t i = 0; i < n; i++) {
        run->api->buf_addf(b, "%s", i ? ", " : "");
        pgl_add_ident(run, b, cols[i]);
    }
    run->api->buf_addf(b, ");\n");
    pgl_add_alter(run, b, rel);
    run->api->buf_addf(b, "ADD CONSTRAINT ");
    pgl_add_ident(run, b, name);
    run->api->buf_addf(b, " %s USING INDEX ",
                       primary ? "PRIMARY KEY" : "UNIQUE");
    pgl_add_ident(run, b, name);
    run->api->buf_addf(b, ";");
}

/* ---- the rules ----------------------------------------------------------- */

void pgl_check_unvalidated(struct pgl_stmt *s, const struct pgl_rel *rel,
                           const struct mgr_json *con,
                           const struct mgr_json *coldef)
{
    struct pgl_say say = {"constraint-missing-not-valid", 0,
                          MGR_FINDING_SIZE, PGL_ACCESS_EXCLUSIVE,
                          rel->shown, NULL};
    struct mgr_buf hint;

    pgl_hint_begin(s->run, &hint);
    not_valid_hint(s, &hint, rel, con, coldef);
    say.hint = hint.buf;
    pgl_say(s, &say,
            "ADD CONSTRAINT CHECK without NOT VALID scans %s under ACCESS "
            "EXCLUSIVE",
            rel->shown);
    pgl_hint_end(s->run, &hint);
}

void pgl_fk_unvalidated(struct pgl_stmt *s, const struct pgl_rel *rel,
                        const struct mgr_json *con,
                        const struct mgr_json *coldef)
{
    struct pgl_say say = {"adding-foreign-key-constraint", 0,
                          MGR_FINDING_SIZE, PGL_SHARE_ROW_EXCLUSIVE,
                          rel->shown, NULL};
    struct mgr_buf hint;
    struct pgl_rel ref;

    if (!pgl_fk_ref(s->run, con, &ref))
        return;
    pgl_hint_begin(s->run, &hint);
    not_valid_hint(s, &hint, rel, con, coldef);
    say.hint = hint.buf;
    if (strcmp(rel->key, ref.key) == 0)
        pgl_say(s, &say,
                "ADD FOREIGN KEY without NOT VALID scans %s under SHARE ROW "
                "EXCLUSIVE",
                rel->shown);
    else
        pgl_say(s, &say,
                "ADD FOREIGN KEY without NOT VALID scans %s under SHARE ROW "
                "EXCLUSIVE on %s and %s",
                rel->shown, rel->shown, ref.shown);
    pgl_hint_end(s->run, &hint);
}

void pgl_unique_unindexed(struct pgl_stmt *s, const struct pgl_rel *rel,
                          const struct mgr_json *con,
                          const struct mgr_json *coldef)
{
    const char *col = jw_get_str(coldef, "colname");
    struct pgl_say say = {"disallowed-unique-constraint", 0,
                          MGR_FINDING_SIZE, PGL_ACCESS_EXCLUSIVE,
                          rel->shown, NULL};
    bool primary = jw_get_is(con, "contype", "CONSTR_PRIMARY");
    struct mgr_buf hint;

    pgl_hint_begin(s->run, &hint);
    unique_hint(s, &hint, rel, con, col);
    say.hint = hint.buf;
    pgl_say(s, &say,
            "ADD %s builds its index on %s under ACCESS EXCLUSIVE",
            primary ? "PRIMARY KEY" : "UNIQUE", rel->shown);
    pgl_hint_end(s->run, &hint);
}

void pgl_add_constraint(struct pgl_stmt *s, const struct pgl_rel *rel,
                        const struct mgr_json *con)
{
    const char *type = jw_get_str(con, "contype");
    bool valid = !jw_get_bool(con, "skip_validation");
    struct pgl_rel ref;

    pgl_constraint_record(s, rel, con, NULL);
    if (!type)
        return;
    if (strcmp(type, "CONSTR_FOREIGN") == 0) {
        if (pgl_fk_ref(s->run, con, &ref) && !ref.is_new)
            pgl_note_lock(s, ref.shown, PGL_SHARE_ROW_EXCLUSIVE);
        if (!rel->is_new && valid)
            pgl_fk_unvalidated(s, rel, con, NULL);
        if (!rel->is_new)
            pgl_note_lock(s, rel->shown, PGL_SHARE_ROW_EXCLUSIVE);
        return;
    }
    if (rel->is_new)
        return;
    pgl_note_lock(s, rel->shown, PGL_ACCESS_EXCLUSIVE);
    if (strcmp(type, "CONSTR_CHECK") == 0 && valid)
        pgl_check_unvalidated(s, rel, con, NULL);
    else if ((strcmp(type, "CONSTR_UNIQUE") == 0 ||
              strcmp(type, "CONSTR_PRIMARY") == 0) &&
             !jw_get_str(con, "indexname"))
        pgl_unique_unindexed(s, rel, con, NULL);
}

/* ---- VALIDATE CONSTRAINT ------------------------------------------------- */

static void validated_too_soon(struct pgl_stmt *s, const struct pgl_rel *rel,
                               const struct pgl_con *c)
{
    enum pgl_lock held =
        c->is_fk ? PGL_SHARE_ROW_EXCLUSIVE : PGL_ACCESS_EXCLUSIVE;
    struct pgl_say say = {"constraint-missing-not-valid",
                          MGR_SEVERITY_WARNING, MGR_FINDING_SIZE, held,
                          rel->shown,
                          "validate it in a later transaction: a later "
                          "revision, or a transaction=false section"};

    char name[PGL_NAME_MAX];

    pgl_ident(name, sizeof(name), c->name);
    pgl_say(s, &say,
            "VALIDATE CONSTRAINT %s runs in the transaction that added it "
            "NOT VALID: %s stays under %s for the whole scan",
            name, rel->shown, pgl_lock_name(held));
}

void pgl_validate_constraint(struct pgl_stmt *s, const struct pgl_rel *rel,
                             const char *name)
{
    struct pgl_con *c = pgl_con_find(s->run, rel->key, name);

    if (!rel->is_new)
        pgl_note_lock(s, rel->shown, PGL_SHARE_UPDATE_EXCLUSIVE);
    if (!c)
        return;
    if (!c->validated && !rel->is_new &&
        ((c->section && c->section == s->run->section) ||
         c->stmt == s->run->stmt))
        validated_too_soon(s, rel, c);
    c->validated = true;
}
