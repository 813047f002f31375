/* lsq_stmt.c: a statement as SQLite's tokens, and its names (lsq.h). */
#include "autoconfig.h"

#include <string.h>

#include "lsq.h"

void lsq_stmt_init(struct lsq_stmt *s, const struct mgr_host_api *api,
                   const struct mgr_lint_statement *st)
{
    size_t alloc = 32;
    const char *p = st->text ? st->text : "";
    struct sq_token t;

    s->st = st;
    s->n = 0;
    s->tok = api->alloc(alloc * sizeof(*s->tok));
    for (;;) {
        p = sq_token_next(p, &t);
        if (s->n == alloc) {
            struct sq_token *bigger = api->alloc(2 * alloc * sizeof(t));

            memcpy(bigger, s->tok, alloc * sizeof(t));
            api->free(s->tok);
            s->tok = bigger;
            alloc *= 2;
        }
        s->tok[s->n] = t;
        if (t.kind == SQ_TOK_END)
            break;
        s->n++;
    }
}

void lsq_stmt_release(struct lsq_stmt *s, const struct mgr_host_api *api)
{
    api->free(s->tok);
    s->tok = NULL;
    s->n = 0;
}

const struct sq_token *lsq_tok(const struct lsq_stmt *s, size_t i)
{
    return &s->tok[i < s->n ? i : s->n];
}

int lsq_is(const struct lsq_stmt *s, size_t i, const char *word)
{
    return sq_token_is(lsq_tok(s, i), word);
}

int lsq_punct(const struct lsq_stmt *s, size_t i, char ch)
{
    return sq_token_punct(lsq_tok(s, i), ch);
}

int lsq_is_name(const struct lsq_stmt *s, size_t i)
{
    enum sq_token_kind k = lsq_tok(s, i)->kind;

    return k == SQ_TOK_WORD || k == SQ_TOK_QUOTED || k == SQ_TOK_STRING;
}

int lsq_is_column_ref(const struct lsq_stmt *s, size_t i)
{
    /* Words of expressions that never name a column. */
    static const char *const keywords[] = {
        "AND",          "AS",           "ASC",
        "BETWEEN",      "CASE",         "CAST",
        "COLLATE",      "CURRENT_DATE", "CURRENT_TIME",
        "CURRENT_TIMESTAMP",            "DESC",
        "DISTINCT",     "ELSE",         "END",
        "ESCAPE",       "EXISTS",       "FALSE",
        "GLOB",         "IN",           "IS",
        "ISNULL",       "LIKE",         "MATCH",
        "NOT",          "NOTNULL",      "NULL",
        "OR",           "REGEXP",       "THEN",
        "TRUE",         "WHEN",         "WHERE",
        NULL,
    };
    const struct sq_token *t = lsq_tok(s, i);

    if (t->kind == SQ_TOK_QUOTED)
        return !lsq_punct(s, i + 1, '(');
    if (t->kind != SQ_TOK_WORD || lsq_punct(s, i + 1, '('))
        return 0;
    for (size_t k = 0; keywords[k]; k++)
        if (sq_token_is(t, keywords[k]))
            return 0;
    return 1;
}

size_t lsq_close(const struct lsq_stmt *s, size_t i)
{
    size_t depth = 0;

    if (!lsq_punct(s, i, '('))
        return i;
    for (; i < s->n; i++) {
        if (lsq_punct(s, i, '('))
            depth++;
        else if (lsq_punct(s, i, ')') && --depth == 0)
            return i;
    }
    return s->n;
}

size_t lsq_element_end(const struct lsq_stmt *s, size_t i, size_t end)
{
    while (i < end && !lsq_punct(s, i, ',') && !lsq_punct(s, i, ')'))
        i = lsq_punct(s, i, '(') ? lsq_close(s, i) + 1 : i + 1;
    return i < end ? i : end;
}

size_t lsq_qname_read(const struct lsq_stmt *s, size_t i,
                      struct lsq_qname *q)
{
    q->schema = (size_t)-1;
    q->name = (size_t)-1;
    if (!lsq_is_name(s, i))
        return i;
    if (lsq_punct(s, i + 1, '.') && lsq_is_name(s, i + 2)) {
        q->schema = i;
        q->name = i + 2;
        return i + 3;
    }
    q->name = i;
    return i + 1;
}

char *lsq_ident(const struct mgr_host_api *api, const struct sq_token *t)
{
    char *p = api->alloc(t->len + 1);

    sq_token_unquote(t, p);
    return p;
}

char *lsq_strdup(const struct mgr_host_api *api, const char *s)
{
    size_t n = strlen(s);
    char *p = api->alloc(n + 1);

    memcpy(p, s, n + 1);
    return p;
}
