/*
 * sqlite_createsql.c: what the pragmas do not tell about a table, index
 * or view, read from the CREATE text SQLite keeps in sqlite_schema:
 * constraint names, CHECK clauses, AUTOINCREMENT, DEFERRABLE, the column
 * list and WHERE of an index as written, the SELECT of a view.
 *
 * The text is one SQLite accepted, so the reader only finds its way: it
 * never reports a syntax error, and skips what it does not need (types,
 * defaults, collations, conflict clauses, generated columns).
 * https://www.sqlite.org/lang_createtable.html gives the grammar.
 */
#include "autoconfig.h"

#include <string.h>

#include "sqlite.h"

/* The tokens of one statement. */
struct toks {
    struct sq_token *t;
    size_t n;
};

static void tokenize(struct sq_arena *a, const char *sql, struct toks *tk)
{
    struct sq_token t;
    const char *p;
    size_t n = 0;

    for (p = sq_token_next(sql, &t); t.kind != SQ_TOK_END;
         p = sq_token_next(p, &t))
        n++;
    tk->t = sq_arena_alloc(a, (n + 1) * sizeof(*tk->t));
    tk->n = 0;
    for (p = sq_token_next(sql, &t); t.kind != SQ_TOK_END;
         p = sq_token_next(p, &t))
        tk->t[tk->n++] = t;
}

static int is_word(const struct toks *tk, size_t k, const char *word)
{
    return k < tk->n && sq_token_is(&tk->t[k], word);
}

static int is_punct(const struct toks *tk, size_t k, char ch)
{
    return k < tk->n && sq_token_punct(&tk->t[k], ch);
}

/* k is at '(': the index just past its matching ')'. */
static size_t group_end(const struct toks *tk, size_t k)
{
    int depth = 0;

    for (; k < tk->n; k++) {
        if (is_punct(tk, k, '('))
            depth++;
        else if (is_punct(tk, k, ')') && --depth == 0)
            return k + 1;
    }
    return tk->n;
}

/* From k, the index of the ',' or ')' that ends the list element at k
 * (groups inside skipped), or tk->n. */
static size_t part_end(const struct toks *tk, size_t k)
{
    while (k < tk->n && !is_punct(tk, k, ',') && !is_punct(tk, k, ')'))
        k = is_punct(tk, k, '(') ? group_end(tk, k) : k + 1;
    return k;
}

/* The text of tokens [b, e), trailing ';' left out; NULL when empty. */
static char *span(struct sq_arena *a, const struct toks *tk,
                        size_t b, size_t e)
{
    const struct sq_token *last;

    while (e > b && is_punct(tk, e - 1, ';'))
        e--;
    if (b >= e)
        return NULL;
    last = &tk->t[e - 1];
    return sq_arena_strndup(a, tk->t[b].start,
                            (size_t)(last->start + last->len -
                                     tk->t[b].start));
}

static char *ident_at(struct sq_arena *a, const struct toks *tk,
                            size_t k)
{
    return k < tk->n ? sq_token_ident(a, &tk->t[k]) : NULL;
}

/* k is at '(' of a column list: the first name of each element ("a
 * COLLATE x DESC" gives a). */
static void column_names(struct sq_arena *a, const struct toks *tk,
                         size_t k, struct sq_ptrs *out)
{
    size_t end = group_end(tk, k);

    for (k++; k < end && !is_punct(tk, k, ')');) {
        size_t e = part_end(tk, k);

        if (e > k)
            sq_ptrs_push(a, out, ident_at(a, tk, k));
        k = e < end && is_punct(tk, e, ',') ? e + 1 : end;
    }
}

/* k is at '(': the text inside it. */
static const char *inside(struct sq_arena *a, const struct toks *tk,
                          size_t k)
{
    size_t end = group_end(tk, k);

    return span(a, tk, k + 1, end > k + 1 ? end - 1 : end);
}

/* ---- foreign keys --------------------------------------------------- */

/* Past an ON DELETE/UPDATE action at k (on the ON). */
static size_t skip_action(const struct toks *tk, size_t k)
{
    k += 2; /* ON DELETE | ON UPDATE */
    if (is_word(tk, k, "SET") || is_word(tk, k, "NO"))
        return k + 2; /* SET NULL, SET DEFAULT, NO ACTION */
    return k + 1;     /* CASCADE, RESTRICT */
}

/* The clauses after REFERENCES t (cols): actions, MATCH, DEFERRABLE.
 * Returns the index past them. */
static size_t fk_clauses(const struct toks *tk, size_t k, size_t e,
                         struct sq_fk_clause *fk)
{
    while (k < e) {
        if (is_word(tk, k, "ON")) {
            k = skip_action(tk, k);
        } else if (is_word(tk, k, "MATCH")) {
            k += 2;
        } else if (is_word(tk, k, "NOT") && is_word(tk, k + 1,
                                                    "DEFERRABLE")) {
            k += 2;
        } else if (is_word(tk, k, "DEFERRABLE")) {
            fk->flags |= MGR_OBJ_DEFERRABLE;
            k++;
        } else if (is_word(tk, k, "INITIALLY")) {
            /* Only DEFERRABLE INITIALLY DEFERRED defers (SQLite). */
            if (is_word(tk, k + 1, "DEFERRED") &&
                (fk->flags & MGR_OBJ_DEFERRABLE))
                fk->flags |= MGR_OBJ_INITIALLY_DEFERRED;
            k += 2;
        } else {
            break;
        }
    }
    return k;
}

/* k is just past REFERENCES; from lists the child columns. */
static size_t references(struct sq_arena *a, const struct toks *tk,
                         size_t k, size_t e, const char *name,
                         struct sq_ptrs from, struct sq_table_sql *out)
{
    struct sq_fk_clause *fk = sq_arena_alloc(a, sizeof(*fk));

    fk->name = name;
    fk->from = from;
    if (k < e)
        fk->table = ident_at(a, tk, k++);
    if (is_punct(tk, k, '(')) {
        column_names(a, tk, k, &fk->to);
        k = group_end(tk, k);
    }
    k = fk_clauses(tk, k, e, fk);
    sq_ptrs_push(a, &out->fks, fk);
    return k;
}

/* ---- table constraints ---------------------------------------------- */

static void add_unique(struct sq_arena *a, const char *name,
                       struct sq_ptrs cols, struct sq_table_sql *out)
{
    struct sq_unique_clause *u = sq_arena_alloc(a, sizeof(*u));

    u->name = name;
    u->cols = cols;
    sq_ptrs_push(a, &out->uniques, u);
}

static void add_check(struct sq_arena *a, const char *name,
                      const char *expr, struct sq_table_sql *out)
{
    struct sq_check_clause *c = sq_arena_alloc(a, sizeof(*c));

    c->name = name;
    c->expr = expr;
    sq_ptrs_push(a, &out->checks, c);
}

static int starts_table_constraint(const struct toks *tk, size_t k)
{
    return is_word(tk, k, "CONSTRAINT") || is_word(tk, k, "PRIMARY") ||
           is_word(tk, k, "UNIQUE") || is_word(tk, k, "CHECK") ||
           is_word(tk, k, "FOREIGN");
}

/* [CONSTRAINT name] PRIMARY KEY (..) | UNIQUE (..) | CHECK (..) |
 * FOREIGN KEY (..) REFERENCES ..., in tokens [k, e). */
static void table_constraint(struct sq_arena *a, const struct toks *tk,
                             size_t k, size_t e, struct sq_table_sql *out)
{
    const char *name = NULL;
    struct sq_ptrs cols = { 0 };

    if (is_word(tk, k, "CONSTRAINT")) {
        name = ident_at(a, tk, k + 1);
        k += 2;
    }
    if (is_word(tk, k, "PRIMARY")) {
        out->pk_name = name;
    } else if (is_word(tk, k, "UNIQUE") && is_punct(tk, k + 1, '(')) {
        column_names(a, tk, k + 1, &cols);
        add_unique(a, name, cols, out);
    } else if (is_word(tk, k, "CHECK") && is_punct(tk, k + 1, '(')) {
        add_check(a, name, inside(a, tk, k + 1), out);
    } else if (is_word(tk, k, "FOREIGN") && is_punct(tk, k + 2, '(')) {
        column_names(a, tk, k + 2, &cols);
        k = group_end(tk, k + 2);
        if (is_word(tk, k, "REFERENCES"))
            references(a, tk, k + 1, e, name, cols, out);
    }
}

/* ---- column definitions --------------------------------------------- */

static int starts_column_constraint(const struct toks *tk, size_t k)
{
    static const char *const words[] = {
        "CONSTRAINT", "PRIMARY", "NOT",        "NULL",      "UNIQUE", "CHECK",
        "DEFAULT",    "COLLATE", "REFERENCES", "GENERATED", "AS",     NULL,
    };

    for (int i = 0; words[i]; i++)
        if (is_word(tk, k, words[i]))
            return 1;
    return 0;
}

/* From k, the next column constraint in [k, e) (groups skipped). */
static size_t next_constraint(const struct toks *tk, size_t k, size_t e)
{
    while (k < e && !starts_column_constraint(tk, k))
        k = is_punct(tk, k, '(') ? group_end(tk, k) : k + 1;
    return k < e ? k : e;
}

/* PRIMARY KEY [ASC|DESC] [ON CONFLICT x] [AUTOINCREMENT] at k. */
static size_t column_primary_key(const struct toks *tk, size_t k, size_t e,
                                 const char *col, const char *name,
                                 struct sq_table_sql *out)
{
    size_t end = next_constraint(tk, k + 1, e);

    if (name)
        out->pk_name = name;
    for (size_t i = k + 1; i < end; i++)
        if (is_word(tk, i, "AUTOINCREMENT"))
            out->autoincrement = col;
    return end;
}

/* The column constraint at k, named name (or NULL); returns the index of
 * the next one. */
static size_t column_constraint(struct sq_arena *a, const struct toks *tk,
                                size_t k, size_t e, char *col,
                                const char *name, struct sq_table_sql *out)
{
    struct sq_ptrs cols = { 0 };

    if (is_word(tk, k, "PRIMARY"))
        return column_primary_key(tk, k, e, col, name, out);
    if (is_word(tk, k, "UNIQUE")) {
        sq_ptrs_push(a, &cols, col);
        add_unique(a, name, cols, out);
    } else if (is_word(tk, k, "CHECK") && is_punct(tk, k + 1, '(')) {
        add_check(a, name, inside(a, tk, k + 1), out);
        return next_constraint(tk, group_end(tk, k + 1), e);
    } else if (is_word(tk, k, "REFERENCES")) {
        sq_ptrs_push(a, &cols, col);
        return next_constraint(tk, references(a, tk, k + 1, e, name, cols,
                                              out),
                               e);
    }
    return next_constraint(tk, k + 1, e);
}

/* name [type] [constraint...] in tokens [k, e). */
static void column_def(struct sq_arena *a, const struct toks *tk, size_t k,
                       size_t e, struct sq_table_sql *out)
{
    char *col = ident_at(a, tk, k);

    k = next_constraint(tk, k + 1, e); /* past the type */
    while (k < e) {
        const char *name = NULL;

        if (is_word(tk, k, "CONSTRAINT")) {
            name = ident_at(a, tk, k + 1);
            k += 2;
            if (k >= e)
                break;
        }
        k = column_constraint(a, tk, k, e, col, name, out);
    }
}

void sq_parse_create_table(struct sq_arena *a, const char *sql,
                           struct sq_table_sql *out)
{
    struct toks tk;
    size_t k = 0;

    memset(out, 0, sizeof(*out));
    tokenize(a, sql ? sql : "", &tk);
    /* Up to the '(' of the definitions; CREATE TABLE ... AS SELECT has
     * none, nor constraints. */
    for (; k < tk.n && !is_punct(&tk, k, '('); k++)
        if (is_word(&tk, k, "AS"))
            return;
    for (k++; k < tk.n;) {
        size_t e = part_end(&tk, k);

        if (e > k && starts_table_constraint(&tk, k))
            table_constraint(a, &tk, k, e, out);
        else if (e > k)
            column_def(a, &tk, k, e, out);
        if (e >= tk.n || is_punct(&tk, e, ')'))
            break;
        k = e + 1;
    }
}

/* ---- indexes and views ---------------------------------------------- */

void sq_parse_create_index(struct sq_arena *a, const char *sql,
                           struct sq_index_sql *out)
{
    struct toks tk;
    size_t k = 0, end;

    memset(out, 0, sizeof(*out));
    tokenize(a, sql ? sql : "", &tk);
    while (k < tk.n && !is_word(&tk, k, "ON"))
        k++;
    while (k < tk.n && !is_punct(&tk, k, '('))
        k++;
    if (k >= tk.n)
        return;
    end = group_end(&tk, k);
    for (k++; k < end && !is_punct(&tk, k, ')');) {
        size_t e = part_end(&tk, k);

        if (e > k)
            sq_ptrs_push(a, &out->items, span(a, &tk, k, e));
        k = e < end && is_punct(&tk, e, ',') ? e + 1 : end;
    }
    if (is_word(&tk, end, "WHERE"))
        out->where = span(a, &tk, end + 1, tk.n);
}

const char *sq_parse_view_body(struct sq_arena *a, const char *sql)
{
    struct toks tk;
    size_t k = 0;

    tokenize(a, sql ? sql : "", &tk);
    while (k < tk.n && !is_word(&tk, k, "VIEW"))
        k++;
    /* The name, maybe a column list, then AS. */
    while (k < tk.n && !is_word(&tk, k, "AS"))
        k = is_punct(&tk, k, '(') ? group_end(&tk, k) : k + 1;
    return k < tk.n ? span(a, &tk, k + 1, tk.n) : NULL;
}
