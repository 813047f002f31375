/*
 * lsq_alter.c: ALTER TABLE (lsq.h), sqlite-unsupported-alter. SQLite's
 * ALTER TABLE has four forms: RENAME TO, RENAME [COLUMN] a TO b, ADD
 * [COLUMN] def and DROP [COLUMN] c, one per statement. Everything else
 * is a syntax error. Of what parses, SQLite refuses:
 *
 *   - ADD COLUMN with PRIMARY KEY or UNIQUE, always
 *   - ADD COLUMN, when the table has rows: NOT NULL without a non-NULL
 *     DEFAULT; a DEFAULT that is not constant (CURRENT_TIME,
 *     CURRENT_DATE, CURRENT_TIMESTAMP, an expression in parentheses other
 *     than a signed literal or a CAST of one); GENERATED ... STORED. A
 *     table created in the same section with no row written since is
 *     known to be empty; any other may have rows.
 *   - DROP COLUMN of a column in the PRIMARY KEY, UNIQUE, used by an
 *     index, named in a table FOREIGN KEY, in a CHECK other than its own
 *     or in a generated column, or the table's only column: as far as the
 *     CREATE TABLE and CREATE INDEX statements of the run tell.
 */
#include "autoconfig.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lsq.h"

#define LEAD_REBUILD                                                    \
    "SQLite's ALTER TABLE only renames a table and renames, adds or "   \
    "drops a column;"

/* What one ALTER TABLE concerns. */
struct alter {
    struct lsq_run *r;
    const struct lsq_stmt *s;
    char *table;          /* unquoted */
    const char *existing; /* f.table */
    char existing_buf[512];
    char hint[1536];
};

static int report(struct alter *a, const char *hint, struct mgr_error *err,
                  const char *fmt, ...) MGR_PRINTF(4, 5);
static int report(struct alter *a, const char *hint, struct mgr_error *err,
                  const char *fmt, ...)
{
    char msg[400];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return lsq_report(a->r, a->s->st, LSQ_UNSUPPORTED_ALTER, a->existing,
                      hint, err, "ALTER TABLE %s %s", a->table, msg);
}

/* A form that only a rebuild of the table makes. */
static int report_rebuild(struct alter *a, struct mgr_error *err,
                          const char *form, const char *why)
{
    lsq_rebuild_hint(a->hint, sizeof(a->hint), LEAD_REBUILD, a->table);
    return report(a, a->hint, err, "%s: %s", form, why);
}

/* Whether the table is known to have no rows. */
static int known_empty(const struct alter *a)
{
    const struct lsq_table *t = lsq_table_find(&a->r->model, a->table);

    return t && t->section == a->r->section && !t->rows;
}

/* ---- ADD COLUMN --------------------------------------------------------- */

enum dflt { DFLT_NONE, DFLT_CONST, DFLT_NULL, DFLT_VARIABLE };

static int is_literal(const struct lsq_stmt *s, size_t i)
{
    enum sq_token_kind k = lsq_tok(s, i)->kind;

    return k == SQ_TOK_NUMBER || k == SQ_TOK_STRING || lsq_is(s, i, "NULL") ||
           lsq_is(s, i, "TRUE") || lsq_is(s, i, "FALSE");
}

/*
 * The DEFAULT expression in the parentheses [open, close]: constant when
 * it is, parentheses aside, signs and one literal (with a COLLATE), or a
 * CAST of that; NULL for NULL alone.
 */
static enum dflt paren_default(const struct lsq_stmt *s, size_t open,
                               size_t close)
{
    size_t v[64], n = 0, k = 0;
    int cast = 0, signs = 0;

    for (size_t i = open + 1; i < close; i++) {
        if (lsq_punct(s, i, '(') || lsq_punct(s, i, ')'))
            continue;
        if (n == sizeof(v) / sizeof(v[0]))
            return DFLT_VARIABLE;
        v[n++] = i;
    }
    if (k < n && lsq_is(s, v[k], "CAST")) {
        cast = 1;
        k++;
    }
    for (; k < n && (lsq_punct(s, v[k], '-') || lsq_punct(s, v[k], '+'));
         k++)
        signs++;
    if (k >= n || !is_literal(s, v[k]))
        return DFLT_VARIABLE;
    if (!cast && !signs && k + 1 == n && lsq_is(s, v[k], "NULL"))
        return DFLT_NULL;
    k++;
    if (cast) {
        if (k >= n || !lsq_is(s, v[k], "AS"))
            return DFLT_VARIABLE;
        for (k++; k < n; k++)
            if (lsq_tok(s, v[k])->kind != SQ_TOK_WORD &&
                lsq_tok(s, v[k])->kind != SQ_TOK_NUMBER &&
                !lsq_punct(s, v[k], ','))
                return DFLT_VARIABLE;
        return DFLT_CONST;
    }
    if (k < n && lsq_is(s, v[k], "COLLATE"))
        k += 2;
    return k == n ? DFLT_CONST : DFLT_VARIABLE;
}

/* What a column definition [from, to) holds. */
struct coldef {
    size_t name;
    int pk, unique, not_null, stored;
    enum dflt dflt;
    size_t checks[8], nchecks;   /* '(' of its CHECKs */
    size_t generated;            /* '(' of AS (...), or 0 */
};

static void read_coldef(const struct lsq_stmt *s, size_t from, size_t to,
                        struct coldef *d)
{
    size_t j = from + 1;

    memset(d, 0, sizeof(*d));
    d->name = from;
    while (j < to) {
        if (lsq_is(s, j, "CONSTRAINT") || lsq_is(s, j, "COLLATE")) {
            j += 2;
        } else if (lsq_is(s, j, "PRIMARY") && lsq_is(s, j + 1, "KEY")) {
            d->pk = 1;
            j += 2;
        } else if (lsq_is(s, j, "UNIQUE")) {
            d->unique = 1;
            j++;
        } else if (lsq_is(s, j, "NOT") && lsq_is(s, j + 1, "NULL")) {
            d->not_null = 1;
            j += 2;
        } else if (lsq_is(s, j, "DEFAULT")) {
            j++;
            if (lsq_punct(s, j, '(')) {
                size_t close = lsq_close(s, j);

                d->dflt = paren_default(s, j, close);
                j = close + 1;
            } else if (lsq_punct(s, j, '-') || lsq_punct(s, j, '+')) {
                d->dflt = DFLT_CONST;
                j += 2;
            } else {
                if (lsq_is(s, j, "NULL"))
                    d->dflt = DFLT_NULL;
                else if (lsq_is(s, j, "CURRENT_TIME") ||
                         lsq_is(s, j, "CURRENT_DATE") ||
                         lsq_is(s, j, "CURRENT_TIMESTAMP"))
                    d->dflt = DFLT_VARIABLE;
                else
                    d->dflt = DFLT_CONST;
                j++;
            }
        } else if (lsq_is(s, j, "CHECK") && lsq_punct(s, j + 1, '(')) {
            if (d->nchecks < sizeof(d->checks) / sizeof(d->checks[0]))
                d->checks[d->nchecks++] = j + 1;
            j = lsq_close(s, j + 1) + 1;
        } else if (lsq_is(s, j, "AS") && lsq_punct(s, j + 1, '(')) {
            d->generated = j + 1;
            j = lsq_close(s, j + 1) + 1;
            if (lsq_is(s, j, "STORED"))
                d->stored = 1;
        } else if (lsq_punct(s, j, '(')) {
            j = lsq_close(s, j) + 1;
        } else {
            j++;
        }
    }
}

/* The new column into the model, with what its CHECKs and generated
 * expression use. */
static void model_add_column(struct alter *a, const struct coldef *d)
{
    struct lsq_model *m = &a->r->model;
    struct lsq_table *t = lsq_table_find(m, a->table);
    const struct lsq_stmt *s = a->s;
    struct lsq_use_ctx x;
    char *name;

    if (!t || !t->cols_known)
        return;
    name = lsq_ident(a->r->api, lsq_tok(s, d->name));
    lsq_column_add(t, a->r->api, name,
                   (d->pk ? LSQ_COL_PK : 0) | (d->unique ? LSQ_COL_UNIQUE : 0));
    x.api = a->r->api;
    for (size_t k = 0; k < d->nchecks; k++) {
        x.u = lsq_use_add(m, a->r->api, LSQ_USE_CHECK, name, t->name);
        lsq_columns_used(s, d->checks[k] + 1, lsq_close(s, d->checks[k]), t,
                         lsq_use_column, &x);
    }
    if (d->generated) {
        x.u = lsq_use_add(m, a->r->api, LSQ_USE_GENERATED, name, t->name);
        lsq_columns_used(s, d->generated + 1, lsq_close(s, d->generated), t,
                         lsq_use_column, &x);
    }
    a->r->api->free(name);
}

static int add_column(struct alter *a, size_t from, size_t to,
                      struct mgr_error *err)
{
    const struct lsq_stmt *s = a->s;
    const struct sq_token *n = lsq_tok(s, from);
    struct coldef d;
    int rc = MGR_OK, empty = known_empty(a);
    char lead[400], form[300];

    read_coldef(s, from, to, &d);
    if (d.pk) {
        snprintf(form, sizeof(form), "ADD COLUMN %.*s with PRIMARY KEY",
                 (int)n->len, n->start);
        rc = report_rebuild(a, err, form,
                            "SQLite cannot add a PRIMARY KEY column");
    } else if (d.unique) {
        snprintf(a->hint, sizeof(a->hint),
                 "add the column without UNIQUE, then CREATE UNIQUE INDEX "
                 "on it: CREATE UNIQUE INDEX ux_%s_%.*s ON %s (%.*s)",
                 a->table, (int)n->len, n->start, a->table, (int)n->len,
                 n->start);
        rc = report(a, a->hint, err,
                    "ADD COLUMN %.*s with UNIQUE: SQLite cannot add a "
                    "UNIQUE column",
                    (int)n->len, n->start);
    } else if (empty) {
        /* what follows fails only on rows */
    } else if (d.not_null &&
               (d.dflt == DFLT_NONE || d.dflt == DFLT_NULL)) {
        snprintf(lead, sizeof(lead),
                 "give it a non-NULL DEFAULT (ADD COLUMN %.*s ... NOT NULL "
                 "DEFAULT 0), or add it nullable, fill it in, and make it "
                 "NOT NULL with a rebuild;",
                 (int)n->len, n->start);
        lsq_rebuild_hint(a->hint, sizeof(a->hint), lead, a->table);
        rc = report(a, a->hint, err,
                    "ADD COLUMN %.*s NOT NULL without a non-NULL DEFAULT: "
                    "SQLite refuses it on a table with rows",
                    (int)n->len, n->start);
    } else if (d.dflt == DFLT_VARIABLE) {
        snprintf(lead, sizeof(lead),
                 "add it with a constant DEFAULT (or none), then UPDATE %s "
                 "SET %.*s = ...; or",
                 a->table, (int)n->len, n->start);
        lsq_rebuild_hint(a->hint, sizeof(a->hint), lead, a->table);
        rc = report(a, a->hint, err,
                    "ADD COLUMN %.*s with a non-constant DEFAULT: SQLite "
                    "refuses it on a table with rows",
                    (int)n->len, n->start);
    } else if (d.stored) {
        lsq_rebuild_hint(a->hint, sizeof(a->hint),
                         "add it VIRTUAL (GENERATED ALWAYS AS (...) "
                         "VIRTUAL), which SQLite can add; or",
                         a->table);
        rc = report(a, a->hint, err,
                    "ADD COLUMN %.*s GENERATED ... STORED: SQLite refuses "
                    "a STORED column on a table with rows",
                    (int)n->len, n->start);
    }
    model_add_column(a, &d);
    return rc;
}

/* ---- DROP COLUMN -------------------------------------------------------- */

static int drop_column(struct alter *a, size_t i, struct mgr_error *err)
{
    struct lsq_model *m = &a->r->model;
    struct lsq_table *t = lsq_table_find(m, a->table);
    const struct lsq_use *u;
    struct lsq_column *c = NULL;
    const char *why = NULL;
    char *col = lsq_ident(a->r->api, lsq_tok(a->s, i)), form[300];
    int rc = MGR_OK;

    if (t && t->cols_known)
        c = lsq_column_find(t, col);
    snprintf(form, sizeof(form), "DROP COLUMN %s", col);
    u = lsq_use_find(m, a->table, col);
    if (c && (c->flags & LSQ_COL_PK))
        why = "SQLite cannot drop a PRIMARY KEY column";
    else if (c && (c->flags & LSQ_COL_UNIQUE))
        why = "SQLite cannot drop a UNIQUE column";
    else if (c && (c->flags & LSQ_COL_FK))
        why = "SQLite cannot drop a column of a FOREIGN KEY";
    else if (u && u->kind == LSQ_USE_CHECK)
        why = "SQLite cannot drop a column a CHECK constraint uses";
    else if (c && t->ncols == 1)
        why = "SQLite cannot drop a table's only column";
    if (why) {
        rc = report_rebuild(a, err, form, why);
    } else if (u && u->kind == LSQ_USE_INDEX) {
        snprintf(a->hint, sizeof(a->hint),
                 "drop the index first (DROP INDEX %s), then the column",
                 u->name);
        rc = report(a, a->hint, err,
                    "%s: SQLite cannot drop a column index %s uses", form,
                    u->name);
    } else if (u && u->kind == LSQ_USE_GENERATED) {
        snprintf(a->hint, sizeof(a->hint),
                 "drop generated column %s first, then this one", u->name);
        rc = report(a, a->hint, err,
                    "%s: SQLite cannot drop a column generated column %s "
                    "uses",
                    form, u->name);
    }
    if (t && t->cols_known)
        lsq_column_drop(m, t, a->r->api, col);
    a->r->api->free(col);
    return rc;
}

/* ---- ALTER TABLE -------------------------------------------------------- */

static int syntax(struct alter *a, struct mgr_error *err, const char *form,
                  const char *hint)
{
    return report(a, hint, err, "%s: SQLite's ALTER TABLE has no such form",
                  form);
}

/* The action at i; *end_out: past it. */
static int action(struct alter *a, size_t i, size_t *end_out,
                  struct mgr_error *err)
{
    const struct lsq_stmt *s = a->s;
    size_t j = i + 1;

    *end_out = s->n;
    if (lsq_is(s, i, "RENAME")) {
        if (lsq_is(s, j, "TO") && lsq_is_name(s, j + 1)) {
            char *to = lsq_ident(a->r->api, lsq_tok(s, j + 1));

            lsq_renamed(a->r, s->st, to);
            lsq_table_rename(&a->r->model, a->r->api, a->table, to);
            a->r->api->free(to);
            *end_out = j + 2;
            return MGR_OK;
        }
        if (lsq_is(s, j, "CONSTRAINT"))
            return report_rebuild(a, err, "RENAME CONSTRAINT",
                                  "SQLite cannot rename a constraint");
        if (lsq_is(s, j, "COLUMN"))
            j++;
        if (lsq_is_name(s, j) && lsq_is(s, j + 1, "TO") &&
            lsq_is_name(s, j + 2)) {
            char *from = lsq_ident(a->r->api, lsq_tok(s, j));
            char *to = lsq_ident(a->r->api, lsq_tok(s, j + 2));

            lsq_column_rename(&a->r->model, a->r->api, a->table, from, to);
            a->r->api->free(from);
            a->r->api->free(to);
            *end_out = j + 3;
        }
        return MGR_OK;
    }
    if (lsq_is(s, i, "ADD")) {
        if (lsq_is(s, j, "COLUMN"))
            j++;
        if (lsq_is(s, j, "IF"))
            return syntax(a, err, "ADD COLUMN IF NOT EXISTS",
                          "leave out IF NOT EXISTS: SQLite refuses to "
                          "add a column the table has");
        if (lsq_is(s, j, "CONSTRAINT"))
            return report_rebuild(a, err, "ADD CONSTRAINT",
                                  "SQLite cannot add a constraint to a "
                                  "table");
        if (lsq_is(s, j, "PRIMARY") || lsq_is(s, j, "UNIQUE") ||
            lsq_is(s, j, "CHECK") || lsq_is(s, j, "FOREIGN")) {
            char form[64];

            snprintf(form, sizeof(form), "ADD %s",
                     lsq_is(s, j, "PRIMARY")  ? "PRIMARY KEY"
                     : lsq_is(s, j, "UNIQUE") ? "UNIQUE"
                     : lsq_is(s, j, "CHECK")  ? "CHECK"
                                              : "FOREIGN KEY");
            if (lsq_is(s, j, "UNIQUE"))
                return report(a,
                              "a unique index does the same: CREATE "
                              "UNIQUE INDEX ... ON the table (columns)",
                              err,
                              "%s: SQLite cannot add a constraint to a "
                              "table",
                              form);
            return report_rebuild(a, err, form,
                                  "SQLite cannot add a constraint to a "
                                  "table");
        }
        if (!lsq_is_name(s, j))
            return MGR_OK;
        *end_out = lsq_element_end(s, j, s->n);
        return add_column(a, j, *end_out, err);
    }
    if (lsq_is(s, i, "DROP")) {
        if (lsq_is(s, j, "COLUMN"))
            j++;
        if (lsq_is(s, j, "IF"))
            return syntax(a, err, "DROP COLUMN IF EXISTS",
                          "leave out IF EXISTS");
        if (lsq_is(s, j, "CONSTRAINT") || lsq_is(s, j, "PRIMARY") ||
            lsq_is(s, j, "FOREIGN") || lsq_is(s, j, "INDEX") ||
            lsq_is(s, j, "CHECK") || lsq_is(s, j, "UNIQUE"))
            return report_rebuild(a, err, "DROP CONSTRAINT",
                                  "SQLite cannot drop a constraint from "
                                  "a table");
        if (!lsq_is_name(s, j))
            return MGR_OK;
        *end_out = j + 1;
        return drop_column(a, j, err);
    }
    if (lsq_is(s, i, "ALTER"))
        return report_rebuild(a, err, "ALTER COLUMN",
                              "SQLite cannot change a column");
    if (i < s->n) {
        const struct sq_token *t = lsq_tok(s, i);
        char form[64];

        snprintf(form, sizeof(form), "%.*s",
                 (int)(t->len < 40 ? t->len : 40), t->start);
        for (char *p = form; *p; p++)
            if (*p >= 'a' && *p <= 'z')
                *p = (char)(*p - 'a' + 'A');
        return report_rebuild(a, err, form,
                              "SQLite's ALTER TABLE has no such form");
    }
    return MGR_OK;
}

int lsq_alter_table(struct lsq_run *r, const struct lsq_stmt *s,
                    struct mgr_error *err)
{
    struct alter a;
    struct lsq_qname q;
    size_t i = 2, end;
    const char *opener = NULL;
    int rc;

    if (lsq_is(s, 2, "IF") && lsq_is(s, 3, "EXISTS")) {
        opener = "IF EXISTS";
        i = 4;
    } else if (lsq_is(s, 2, "ONLY") && lsq_is_name(s, 3) &&
               !lsq_punct(s, 3, '.') && !lsq_is(s, 3, "RENAME") &&
               !lsq_is(s, 3, "ADD") && !lsq_is(s, 3, "DROP")) {
        opener = "ONLY";
        i = 3;
    }
    i = lsq_qname_read(s, i, &q);
    if (q.name == (size_t)-1)
        return MGR_OK;
    memset(&a, 0, sizeof(a));
    a.r = r;
    a.s = s;
    a.table = lsq_ident(r->api, lsq_tok(s, q.name));
    a.existing = lsq_existing(r, s, &q, a.existing_buf,
                              sizeof(a.existing_buf));
    if (opener) {
        rc = lsq_report(r, s->st, LSQ_UNSUPPORTED_ALTER, a.existing,
                        "leave it out: SQLite's ALTER TABLE names one table",
                        err, "ALTER TABLE %s %s: SQLite's ALTER TABLE has "
                        "no %s", opener, a.table, opener);
        r->api->free(a.table);
        return rc;
    }
    rc = action(&a, i, &end, err);
    if (rc == MGR_OK && end < s->n && lsq_punct(s, end, ','))
        rc = syntax(&a, err, "with several changes",
                    "write one ALTER TABLE per change");
    r->api->free(a.table);
    return rc;
}
