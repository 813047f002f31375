/*
 * lsq_create.c: CREATE TABLE and CREATE INDEX (lsq.h). Both go into the
 * model; CREATE TABLE is checked for what SQLite refuses in it
 * (sqlite-invalid-create-table):
 *
 *   - AUTOINCREMENT anywhere but on an INTEGER PRIMARY KEY: the declared
 *     type exactly INTEGER (not INT, BIGINT), a column PRIMARY KEY not
 *     DESC, a table PRIMARY KEY of that one column; and in a WITHOUT
 *     ROWID table
 *   - WITHOUT ROWID with no PRIMARY KEY
 *   - STRICT with a column whose type is missing or not one of INT,
 *     INTEGER, REAL, TEXT, BLOB, ANY
 *   - a second PRIMARY KEY
 */
#include "autoconfig.h"

#include <stdio.h>
#include <string.h>

#include "lsq.h"

/* Words that end a column's type: its constraints begin (AUTOINCREMENT
 * is no name either: where it is misplaced, it still ends the type). */
static const char *const constraint_words[] = {
    "CONSTRAINT", "PRIMARY",    "NOT",       "NULL", "UNIQUE",
    "CHECK",      "DEFAULT",    "COLLATE",   "REFERENCES",
    "GENERATED",  "AS",         "AUTOINCREMENT", NULL,
};

/* The types of a STRICT table. */
static const char *const strict_types[] = {
    "INT", "INTEGER", "REAL", "TEXT", "BLOB", "ANY", NULL,
};

static int is_constraint_word(const struct lsq_stmt *s, size_t i)
{
    for (size_t k = 0; constraint_words[k]; k++)
        if (lsq_is(s, i, constraint_words[k]))
            return 1;
    return 0;
}

/* Whether token i starts a table constraint (after CONSTRAINT name). */
static int is_table_constraint(const struct lsq_stmt *s, size_t i)
{
    if (lsq_is(s, i, "CONSTRAINT"))
        i += 2;
    return lsq_is(s, i, "PRIMARY") || lsq_is(s, i, "UNIQUE") ||
           lsq_is(s, i, "CHECK") || lsq_is(s, i, "FOREIGN");
}

/* An expression that makes columns undroppable: a CHECK or a generated
 * column's, of column owner (NULL: a table CHECK). */
struct expr_use {
    size_t from, to;  /* its tokens */
    const char *owner;
    enum lsq_use_kind kind;
};

/* What reading one CREATE TABLE gathers. */
struct create {
    struct lsq_run *r;
    const struct lsq_stmt *s;
    struct lsq_table *t;
    struct expr_use uses[64];
    size_t nuses;
    int pks;               /* PRIMARY KEY clauses */
    int autoinc;           /* AUTOINCREMENT seen */
    size_t bad_autoinc;    /* the name's token of the column whose
                              AUTOINCREMENT SQLite refuses, or (size_t)-1 */
    struct {
        size_t name, type_from, type_to;
    } cols[256];
    size_t ncols;
};

void lsq_columns_used(const struct lsq_stmt *s, size_t i, size_t end,
                      const struct lsq_table *t,
                      void (*fn)(void *ctx, const struct sq_token *col),
                      void *ctx)
{
    char name[256];

    for (; i < end && i < s->n; i++) {
        const struct sq_token *tok = lsq_tok(s, i);

        /* a collation's name, CAST's type */
        if (lsq_is(s, i, "COLLATE") || lsq_is(s, i, "AS")) {
            i++;
            continue;
        }
        /* t.col and schema.t.col: the last name counts */
        if (lsq_punct(s, i + 1, '.') || !lsq_is_column_ref(s, i))
            continue;
        if (t) {
            if (tok->len >= sizeof(name))
                continue;
            sq_token_unquote(tok, name);
            if (!lsq_column_find(t, name))
                continue;
        }
        fn(ctx, tok);
    }
}

/* Whether column k's declared type is the one token word. */
static int type_is(const struct create *c, size_t k, const char *word)
{
    return c->cols[k].type_to == c->cols[k].type_from + 1 &&
           sq_token_names(lsq_tok(c->s, c->cols[k].type_from), word);
}

/* The column of c named by token i, or (size_t)-1. */
static size_t column_at(const struct create *c, size_t i)
{
    for (size_t k = 0; k < c->ncols; k++) {
        const struct sq_token *t = lsq_tok(c->s, c->cols[k].name);
        char name[256];

        if (t->len >= sizeof(name))
            continue;
        sq_token_unquote(t, name);
        if (sq_token_names(lsq_tok(c->s, i), name))
            return k;
    }
    return (size_t)-1;
}

static void add_use(struct create *c, size_t open, const char *owner,
                    enum lsq_use_kind kind)
{
    if (c->nuses == sizeof(c->uses) / sizeof(c->uses[0]))
        return;
    c->uses[c->nuses].from = open + 1;
    c->uses[c->nuses].to = lsq_close(c->s, open);
    c->uses[c->nuses].owner = owner;
    c->uses[c->nuses].kind = kind;
    c->nuses++;
}

/* One column definition, tokens [a, b). */
static void column_def(struct create *c, size_t a, size_t b)
{
    const struct lsq_stmt *s = c->s;
    struct lsq_column *col;
    size_t j = a + 1, k;

    if (c->ncols == sizeof(c->cols) / sizeof(c->cols[0]))
        return;
    k = c->ncols++;
    c->cols[k].name = a;
    c->cols[k].type_from = j;
    while (j < b && !is_constraint_word(s, j))
        j = lsq_punct(s, j, '(') ? lsq_close(s, j) + 1 : j + 1;
    c->cols[k].type_to = j < b ? j : b;
    {
        char *name = lsq_ident(c->r->api, lsq_tok(s, a));

        col = lsq_column_add(c->t, c->r->api, name, 0);
        c->r->api->free(name);
    }

    while (j < b) {
        if (lsq_is(s, j, "CONSTRAINT")) {
            j += 2;
        } else if (lsq_is(s, j, "PRIMARY") && lsq_is(s, j + 1, "KEY")) {
            int desc = 0;

            c->pks++;
            col->flags |= LSQ_COL_PK;
            j += 2;
            if (lsq_is(s, j, "ASC") || lsq_is(s, j, "DESC"))
                desc = lsq_is(s, j++, "DESC");
            if (lsq_is(s, j, "ON") && lsq_is(s, j + 1, "CONFLICT"))
                j += 3;
            if (lsq_is(s, j, "AUTOINCREMENT")) {
                c->autoinc = 1;
                if ((desc || !type_is(c, k, "INTEGER")) &&
                    c->bad_autoinc == (size_t)-1)
                    c->bad_autoinc = a;
                j++;
            }
        } else if (lsq_is(s, j, "AUTOINCREMENT")) {
            /* only the PRIMARY KEY clause takes it */
            c->autoinc = 1;
            if (c->bad_autoinc == (size_t)-1)
                c->bad_autoinc = a;
            j++;
        } else if (lsq_is(s, j, "UNIQUE")) {
            col->flags |= LSQ_COL_UNIQUE;
            j++;
        } else if (lsq_is(s, j, "CHECK") && lsq_punct(s, j + 1, '(')) {
            add_use(c, j + 1, col->name, LSQ_USE_CHECK);
            j = lsq_close(s, j + 1) + 1;
        } else if (lsq_is(s, j, "AS") && lsq_punct(s, j + 1, '(')) {
            /* GENERATED ALWAYS AS (expr) or AS (expr) */
            add_use(c, j + 1, col->name, LSQ_USE_GENERATED);
            j = lsq_close(s, j + 1) + 1;
        } else if (lsq_punct(s, j, '(')) {
            j = lsq_close(s, j) + 1;
        } else {
            j++;
        }
    }
}

/* The names listed in the parentheses at open, each to flag. */
static void flag_list(struct create *c, size_t open, unsigned flag)
{
    size_t close = lsq_close(c->s, open);

    for (size_t e = open + 1; e < close;) {
        size_t k = column_at(c, e);

        if (k != (size_t)-1)
            c->t->cols[k].flags |= flag;
        e = lsq_element_end(c->s, e, close);
        e += e < close; /* past the ',' */
    }
}

/* A table constraint, tokens [a, b). */
static void table_constraint(struct create *c, size_t a, size_t b)
{
    const struct lsq_stmt *s = c->s;
    size_t j = lsq_is(s, a, "CONSTRAINT") ? a + 2 : a;

    if (lsq_is(s, j, "PRIMARY") && lsq_punct(s, j + 2, '(')) {
        size_t open = j + 2, close = lsq_close(s, open), nkeys = 0;

        c->pks++;
        flag_list(c, open, LSQ_COL_PK);
        for (size_t e = open + 1; e < close; e++)
            nkeys += lsq_punct(s, e, ',') ? 1 : 0;
        nkeys++;
        for (size_t e = open + 1; e < close; e++) {
            size_t k;

            if (!lsq_is(s, e, "AUTOINCREMENT"))
                continue;
            c->autoinc = 1;
            k = column_at(c, open + 1);
            if ((nkeys != 1 || k == (size_t)-1 ||
                 !type_is(c, k, "INTEGER")) &&
                c->bad_autoinc == (size_t)-1)
                c->bad_autoinc = open + 1;
        }
    } else if (lsq_is(s, j, "UNIQUE") && lsq_punct(s, j + 1, '(')) {
        flag_list(c, j + 1, LSQ_COL_UNIQUE);
    } else if (lsq_is(s, j, "FOREIGN") && lsq_punct(s, j + 2, '(')) {
        flag_list(c, j + 2, LSQ_COL_FK);
    } else if (lsq_is(s, j, "CHECK") && lsq_punct(s, j + 1, '(')) {
        add_use(c, j + 1, NULL, LSQ_USE_CHECK);
    }
    (void)b;
}

/* Report what SQLite refuses in the CREATE TABLE read into c. */
static int check_table(struct create *c, int without_rowid, int strict,
                       struct mgr_error *err)
{
    const struct lsq_stmt *s = c->s;
    const char *name = c->t->name;
    int rc = MGR_OK;

    if (c->pks > 1)
        rc = lsq_report(c->r, s->st, LSQ_INVALID_CREATE, NULL,
                        "name all the key's columns in one table "
                        "constraint: PRIMARY KEY (a, b)",
                        err, "table %s has more than one PRIMARY KEY", name);
    if (rc == MGR_OK && c->bad_autoinc != (size_t)-1) {
        const struct sq_token *t = lsq_tok(s, c->bad_autoinc);

        rc = lsq_report(c->r, s->st, LSQ_INVALID_CREATE, NULL,
                        "declare it exactly `id INTEGER PRIMARY KEY "
                        "AUTOINCREMENT` (the type INTEGER, not INT or "
                        "BIGINT, and not DESC), or leave AUTOINCREMENT "
                        "out: an INTEGER PRIMARY KEY is numbered anyway",
                        err,
                        "AUTOINCREMENT on column %.*s of table %s, which "
                        "is not an INTEGER PRIMARY KEY",
                        (int)t->len, t->start, name);
    }
    if (rc == MGR_OK && without_rowid && c->autoinc)
        rc = lsq_report(c->r, s->st, LSQ_INVALID_CREATE, NULL,
                        "leave out AUTOINCREMENT, or WITHOUT ROWID", err,
                        "AUTOINCREMENT in WITHOUT ROWID table %s", name);
    if (rc == MGR_OK && without_rowid && c->pks == 0)
        rc = lsq_report(c->r, s->st, LSQ_INVALID_CREATE, NULL,
                        "give the table a PRIMARY KEY, or leave out "
                        "WITHOUT ROWID",
                        err, "WITHOUT ROWID table %s has no PRIMARY KEY",
                        name);
    if (rc == MGR_OK && strict) {
        for (size_t k = 0; k < c->ncols; k++) {
            const struct sq_token *n = lsq_tok(s, c->cols[k].name);
            int known = 0;

            for (size_t w = 0; strict_types[w]; w++)
                known |= type_is(c, k, strict_types[w]);
            if (known)
                continue;
            if (c->cols[k].type_to == c->cols[k].type_from) {
                rc = lsq_report(c->r, s->st, LSQ_INVALID_CREATE, NULL,
                                "a STRICT table's columns take one of INT, "
                                "INTEGER, REAL, TEXT, BLOB, ANY",
                                err,
                                "column %.*s of STRICT table %s has no type",
                                (int)n->len, n->start, name);
            } else {
                const struct sq_token *a = lsq_tok(s, c->cols[k].type_from);
                const struct sq_token *z =
                    lsq_tok(s, c->cols[k].type_to - 1);

                rc = lsq_report(c->r, s->st, LSQ_INVALID_CREATE, NULL,
                                "a STRICT table's columns take one of INT, "
                                "INTEGER, REAL, TEXT, BLOB, ANY",
                                err,
                                "column %.*s of STRICT table %s has type "
                                "%.*s, which STRICT does not allow",
                                (int)n->len, n->start, name,
                                (int)(z->start + z->len - a->start),
                                a->start);
            }
            break; /* one is enough */
        }
    }
    return rc;
}

int lsq_create_table(struct lsq_run *r, const struct lsq_stmt *s, size_t i,
                     struct mgr_error *err)
{
    struct create *c;
    struct lsq_qname q;
    size_t close;
    int if_not_exists = 0, without_rowid = 0, strict = 0, rc;
    char *name;

    if (lsq_is(s, i, "IF") && lsq_is(s, i + 1, "NOT") &&
        lsq_is(s, i + 2, "EXISTS")) {
        if_not_exists = 1;
        i += 3;
    }
    i = lsq_qname_read(s, i, &q);
    if (q.name == (size_t)-1)
        return MGR_OK;
    name = lsq_ident(r->api, lsq_tok(s, q.name));
    if (if_not_exists && lsq_table_find(&r->model, name)) {
        r->api->free(name);
        return MGR_OK;
    }
    if (lsq_is(s, i, "AS")) {
        struct lsq_table *t = lsq_table_add(&r->model, r->api, name);

        t->cols_known = 0;
        t->section = r->section;
        t->rows = 1;
        r->api->free(name);
        return MGR_OK;
    }
    if (!lsq_punct(s, i, '(')) {
        r->api->free(name);
        return MGR_OK;
    }

    c = r->api->alloc(sizeof(*c));
    memset(c, 0, sizeof(*c));
    c->r = r;
    c->s = s;
    c->bad_autoinc = (size_t)-1;
    c->t = lsq_table_add(&r->model, r->api, name);
    c->t->section = r->section;
    r->api->free(name);

    close = lsq_close(s, i);
    /* columns first: table constraints name them */
    for (size_t a = i + 1; a < close;) {
        size_t b = lsq_element_end(s, a, close);

        if (!is_table_constraint(s, a) && lsq_is_name(s, a))
            column_def(c, a, b);
        a = b + (b < close);
    }
    for (size_t a = i + 1; a < close;) {
        size_t b = lsq_element_end(s, a, close);

        if (is_table_constraint(s, a))
            table_constraint(c, a, b);
        a = b + (b < close);
    }
    for (size_t u = 0; u < c->nuses; u++) {
        struct lsq_use_ctx x;

        x.api = r->api;
        x.u = lsq_use_add(&r->model, r->api, c->uses[u].kind,
                          c->uses[u].owner, c->t->name);
        lsq_columns_used(s, c->uses[u].from, c->uses[u].to, c->t,
                         lsq_use_column, &x);
    }
    /* table options: WITHOUT ROWID, STRICT */
    for (size_t j = close + 1; j < s->n; j++) {
        if (lsq_is(s, j, "WITHOUT") && lsq_is(s, j + 1, "ROWID"))
            without_rowid = 1;
        else if (lsq_is(s, j, "STRICT"))
            strict = 1;
    }
    rc = check_table(c, without_rowid, strict, err);
    r->api->free(c);
    return rc;
}

/* ---- CREATE INDEX ------------------------------------------------------- */

int lsq_create_index(struct lsq_run *r, const struct lsq_stmt *s, size_t i,
                     struct mgr_error *err)
{
    struct lsq_qname qi, qt;
    struct lsq_use_ctx x;
    char *name, *table;

    (void)err;
    if (lsq_is(s, i, "IF") && lsq_is(s, i + 1, "NOT") &&
        lsq_is(s, i + 2, "EXISTS"))
        i += 3;
    i = lsq_qname_read(s, i, &qi);
    if (qi.name == (size_t)-1 || !lsq_is(s, i, "ON"))
        return MGR_OK;
    i = lsq_qname_read(s, i + 1, &qt);
    if (qt.name == (size_t)-1 || !lsq_punct(s, i, '('))
        return MGR_OK;
    name = lsq_ident(r->api, lsq_tok(s, qi.name));
    table = lsq_ident(r->api, lsq_tok(s, qt.name));
    x.api = r->api;
    x.u = lsq_use_add(&r->model, r->api, LSQ_USE_INDEX, name, table);
    /* the key and the WHERE of a partial index */
    lsq_columns_used(s, i + 1, s->n, lsq_table_find(&r->model, table),
                     lsq_use_column, &x);
    r->api->free(name);
    r->api->free(table);
    return MGR_OK;
}
