/*
 * pg_split.c: PostgreSQL's lexical rules, as far as splitting a script
 * into statements needs them, and the statements that cannot run inside
 * a transaction block.
 *
 * The lexer recognises what can hide a ';' or a keyword: white space,
 * "--" comments, nested slash-star comments, '...' strings (with ''),
 * E'...' strings (with backslash escapes too), U&'...' strings, "..."
 * and U&"..." identifiers (with ""), $tag$...$tag$ dollar quotes, and
 * identifiers (which may contain '$', so that a$b$ is no dollar quote).
 * It assumes standard_conforming_strings = on, the default since
 * PostgreSQL 9.1.
 *
 * A ';' ends a statement unless it is inside parentheses (CREATE RULE
 * ... DO (a; b)) or inside the BEGIN ATOMIC ... END body of a
 * CREATE [OR REPLACE] FUNCTION|PROCEDURE, as psql splits its input.
 */
#include "autoconfig.h"

#include <string.h>

#include "pg.h"

enum pg_tok {
    TOK_END = 0,
    TOK_WORD,   /* an identifier or a keyword */
    TOK_QUOTED, /* a string, a quoted identifier, a dollar-quoted string */
    TOK_OTHER,  /* a number, a parameter, an operator or punctuation */
    TOK_ERROR,  /* an unterminated string or comment */
};

struct pg_lexer {
    const char *s;
    size_t len;
    size_t pos;
    int line;
    const char *what; /* TOK_ERROR: what is unterminated */
    int err_line;     /* TOK_ERROR: the line where it starts */
};

struct pg_token {
    enum pg_tok kind;
    size_t start, end; /* byte offsets, end exclusive */
    int line;          /* the line of start */
    char ch;           /* TOK_OTHER: its first character */
};

static int peek(const struct pg_lexer *lx, size_t off)
{
    return lx->pos + off < lx->len ? (unsigned char)lx->s[lx->pos + off]
                                   : -1;
}

static void advance(struct pg_lexer *lx, size_t n)
{
    for (; n > 0 && lx->pos < lx->len; n--)
        if (lx->s[lx->pos++] == '\n')
            lx->line++;
}

static int is_ident_start(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           c >= 0x80;
}

/* What may follow the first character of a dollar-quote tag. */
static int is_tag_char(int c)
{
    return is_ident_start(c) || (c >= '0' && c <= '9');
}

/* What may follow the first character of an identifier. */
static int is_ident_char(int c)
{
    return is_tag_char(c) || c == '$';
}

static int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

static int lex_fail(struct pg_lexer *lx, const char *what, int line)
{
    lx->what = what;
    lx->err_line = line;
    return -1;
}

/* Skip white space and comments; -1 on an unterminated comment. */
static int skip_blank(struct pg_lexer *lx)
{
    for (;;) {
        int c = peek(lx, 0);

        if (is_space(c)) {
            advance(lx, 1);
        } else if (c == '-' && peek(lx, 1) == '-') {
            while (lx->pos < lx->len && lx->s[lx->pos] != '\n')
                lx->pos++;
        } else if (c == '/' && peek(lx, 1) == '*') {
            int line = lx->line, depth = 1;

            advance(lx, 2);
            while (depth > 0) {
                if (lx->pos >= lx->len)
                    return lex_fail(lx, "/* comment", line);
                if (peek(lx, 0) == '/' && peek(lx, 1) == '*') {
                    depth++;
                    advance(lx, 2);
                } else if (peek(lx, 0) == '*' && peek(lx, 1) == '/') {
                    depth--;
                    advance(lx, 2);
                } else {
                    advance(lx, 1);
                }
            }
        } else {
            return 0;
        }
    }
}

/*
 * At an opening quote q: skip to after its closing quote. A doubled
 * quote stands for itself; with backslash, '\' escapes the next byte.
 */
static int lex_quoted(struct pg_lexer *lx, int q, int backslash,
                      const char *what)
{
    int line = lx->line;

    advance(lx, 1);
    for (;;) {
        int c = peek(lx, 0);

        if (c < 0)
            return lex_fail(lx, what, line);
        if (backslash && c == '\\') {
            if (peek(lx, 1) < 0)
                return lex_fail(lx, what, line);
            advance(lx, 2);
        } else if (c == q) {
            advance(lx, 1);
            if (peek(lx, 0) != q)
                return 0;
            advance(lx, 1);
        } else {
            advance(lx, 1);
        }
    }
}

/*
 * At a '$' not followed by a digit: a dollar quote ($$ or $tag$) is
 * skipped whole (1), anything else is left alone (0); -1 when the quote
 * is not closed.
 */
static int lex_dollar(struct pg_lexer *lx)
{
    const char *s = lx->s;
    size_t i = lx->pos + 1, dlen, j;
    int line = lx->line;

    if (i < lx->len && is_ident_start((unsigned char)s[i]))
        while (i < lx->len && is_tag_char((unsigned char)s[i]))
            i++;
    if (i >= lx->len || s[i] != '$')
        return 0;
    dlen = i - lx->pos + 1; /* the delimiter, both '$' included */
    for (j = i + 1; j + dlen <= lx->len; j++) {
        if (s[j] == '$' && memcmp(s + j, s + lx->pos, dlen) == 0) {
            advance(lx, j + dlen - lx->pos);
            return 1;
        }
    }
    return lex_fail(lx, "dollar-quoted string", line);
}

static void lex_next(struct pg_lexer *lx, struct pg_token *t)
{
    const char *s = lx->s;
    int c;

    t->ch = 0;
    if (skip_blank(lx) < 0) {
        t->kind = TOK_ERROR;
        return;
    }
    t->start = lx->pos;
    t->line = lx->line;
    c = peek(lx, 0);
    if (c < 0) {
        t->kind = TOK_END;
    } else if (is_ident_start(c)) {
        size_t j = lx->pos + 1;

        while (j < lx->len && is_ident_char((unsigned char)s[j]))
            j++;
        t->kind = TOK_WORD;
        if (j == lx->pos + 1 && (c == 'e' || c == 'E') && j < lx->len &&
            s[j] == '\'') {
            advance(lx, 1);
            if (lex_quoted(lx, '\'', 1, "quoted string") < 0)
                t->kind = TOK_ERROR;
            else
                t->kind = TOK_QUOTED;
        } else if (j == lx->pos + 1 && (c == 'u' || c == 'U') &&
                   j + 1 < lx->len && s[j] == '&' &&
                   (s[j + 1] == '\'' || s[j + 1] == '"')) {
            advance(lx, 2);
            if (lex_quoted(lx, s[j + 1], 0,
                           s[j + 1] == '"' ? "quoted identifier"
                                           : "quoted string") < 0)
                t->kind = TOK_ERROR;
            else
                t->kind = TOK_QUOTED;
        } else {
            advance(lx, j - lx->pos);
        }
    } else if (c == '\'' || c == '"') {
        t->kind = lex_quoted(lx, c, 0,
                             c == '"' ? "quoted identifier"
                                      : "quoted string") < 0
                      ? TOK_ERROR
                      : TOK_QUOTED;
    } else if (c >= '0' && c <= '9') {
        t->kind = TOK_OTHER;
        t->ch = (char)c;
        while (lx->pos < lx->len &&
               (is_tag_char((unsigned char)s[lx->pos]) || s[lx->pos] == '.'))
            lx->pos++;
    } else if (c == '$') {
        int r = peek(lx, 1) >= '0' && peek(lx, 1) <= '9' ? 0 : lex_dollar(lx);

        if (r < 0) {
            t->kind = TOK_ERROR;
        } else if (r > 0) {
            t->kind = TOK_QUOTED;
        } else {
            t->kind = TOK_OTHER;
            t->ch = '$';
            advance(lx, 1);
            while (lx->pos < lx->len && s[lx->pos] >= '0' &&
                   s[lx->pos] <= '9')
                lx->pos++;
        }
    } else {
        t->kind = TOK_OTHER;
        t->ch = (char)c;
        advance(lx, 1);
    }
    t->end = lx->pos;
}

/* Whether token t is the word kw (lowercase), ignoring case. */
static int word_is(const struct pg_lexer *lx, const struct pg_token *t,
                   const char *kw)
{
    size_t n = strlen(kw);

    if (t->kind != TOK_WORD || t->end - t->start != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)lx->s[t->start + i];

        if (c >= 'A' && c <= 'Z')
            c += 'a' - 'A';
        if (c != kw[i])
            return 0;
    }
    return 1;
}

/* ---- split ---------------------------------------------------------- */

/* How far the start of a statement matches CREATE [OR REPLACE]
 * FUNCTION|PROCEDURE. */
enum head {
    HEAD_START,
    HEAD_CREATE,
    HEAD_OR,
    HEAD_REPLACE,
    HEAD_ROUTINE, /* it is one: BEGIN ATOMIC ... END is its body */
    HEAD_OTHER,   /* it is not */
};

struct stmt {
    int have;           /* a token was seen */
    size_t start, end;  /* from its first token to its last */
    int line;
    int paren;          /* parenthesis depth */
    enum head head;
    int atomic;         /* BEGIN ATOMIC ... END (and CASE ... END) depth */
    int after_begin;    /* the previous token was the word BEGIN */
};

static void track_head(struct stmt *st, const struct pg_lexer *lx,
                       const struct pg_token *t)
{
    int routine = word_is(lx, t, "function") || word_is(lx, t, "procedure");

    switch (st->head) {
    case HEAD_START:
        st->head = word_is(lx, t, "create") ? HEAD_CREATE : HEAD_OTHER;
        break;
    case HEAD_CREATE:
        st->head = word_is(lx, t, "or") ? HEAD_OR
                   : routine            ? HEAD_ROUTINE
                                        : HEAD_OTHER;
        break;
    case HEAD_OR:
        st->head = word_is(lx, t, "replace") ? HEAD_REPLACE : HEAD_OTHER;
        break;
    case HEAD_REPLACE:
        st->head = routine ? HEAD_ROUTINE : HEAD_OTHER;
        break;
    case HEAD_ROUTINE:
        if (st->paren > 0)
            break;
        if (st->after_begin && word_is(lx, t, "atomic"))
            st->atomic++;
        else if (st->atomic > 0 && word_is(lx, t, "case"))
            st->atomic++;
        else if (st->atomic > 0 && word_is(lx, t, "end"))
            st->atomic--;
        break;
    case HEAD_OTHER:
        break;
    }
}

static void track(struct stmt *st, const struct pg_lexer *lx,
                  const struct pg_token *t)
{
    if (t->kind == TOK_WORD) {
        track_head(st, lx, t);
        st->after_begin = st->paren == 0 && word_is(lx, t, "begin");
        return;
    }
    st->after_begin = 0;
    if (st->head == HEAD_START || st->head == HEAD_CREATE ||
        st->head == HEAD_OR || st->head == HEAD_REPLACE)
        st->head = HEAD_OTHER;
    if (t->kind == TOK_OTHER && t->ch == '(')
        st->paren++;
    else if (t->kind == TOK_OTHER && t->ch == ')' && st->paren > 0)
        st->paren--;
}

typedef int (*emit_fn)(void *ctx, const char *stmt, size_t len, int line,
                       struct mgr_error *err);

/* One pass over text; emit may be NULL (only look for errors). */
static int split_pass(struct pg_state *ps, const char *text, size_t len,
                      int first_line, emit_fn emit, void *ctx,
                      struct mgr_error *err)
{
    struct pg_lexer lx;
    struct pg_token t;
    struct stmt st;
    int rc;

    memset(&lx, 0, sizeof(lx));
    lx.s = text;
    lx.len = text ? len : 0;
    lx.line = first_line;
    memset(&st, 0, sizeof(st));
    for (;;) {
        lex_next(&lx, &t);
        if (t.kind == TOK_ERROR)
            return ps->api->error_set(err, MGR_ESCRIPT,
                                      "line %d: unterminated %s",
                                      lx.err_line, lx.what);
        if (t.kind == TOK_END ||
            (t.kind == TOK_OTHER && t.ch == ';' && st.paren == 0 &&
             st.atomic == 0)) {
            if (st.have && emit) {
                rc = emit(ctx, text + st.start, st.end - st.start, st.line,
                          err);
                if (rc != MGR_OK)
                    return rc;
            }
            if (t.kind == TOK_END)
                return MGR_OK;
            memset(&st, 0, sizeof(st));
            continue;
        }
        if (!st.have) {
            st.have = 1;
            st.start = t.start;
            st.line = t.line;
        }
        st.end = t.end;
        track(&st, &lx, &t);
    }
}

/*
 * The whole text is checked before the first statement is emitted, so
 * that an unterminated string at the end stops a script before anything
 * of it runs.
 */
int pg_split(void *state, const char *text, size_t len, int first_line,
             emit_fn emit, void *ctx, struct mgr_error *err)
{
    struct pg_state *ps = state;
    int rc = split_pass(ps, text, len, first_line, NULL, NULL, err);

    if (rc != MGR_OK || !emit)
        return rc;
    return split_pass(ps, text, len, first_line, emit, ctx, err);
}

/* ---- needs_no_transaction ------------------------------------------- */

#define HEAD_TOKENS 8

/* The first tokens of a statement, with what is known of the rest. */
struct stmt_head {
    struct pg_lexer lx;
    struct pg_token tok[HEAD_TOKENS];
    int depth[HEAD_TOKENS]; /* parenthesis depth of each */
    int n;
    int concurrently;       /* the word CONCURRENTLY occurs anywhere */
    int detach;             /* the word DETACH occurs outside parentheses */
    int words_after_first;  /* words outside parentheses after the first,
                               VERBOSE not counted */
};

static void read_head(struct stmt_head *h, const char *stmt, size_t len)
{
    struct pg_token t;
    int depth = 0, count = 0;

    memset(h, 0, sizeof(*h));
    h->lx.s = stmt;
    h->lx.len = len;
    h->lx.line = 1;
    for (;;) {
        lex_next(&h->lx, &t);
        if (t.kind == TOK_END || t.kind == TOK_ERROR)
            break;
        if (t.kind == TOK_OTHER && t.ch == ')' && depth > 0)
            depth--;
        if (h->n < HEAD_TOKENS) {
            h->tok[h->n] = t;
            h->depth[h->n++] = depth;
        }
        if (word_is(&h->lx, &t, "concurrently"))
            h->concurrently = 1;
        if (depth == 0 && word_is(&h->lx, &t, "detach"))
            h->detach = 1;
        if (depth == 0 && t.kind == TOK_WORD && count > 0 &&
            !word_is(&h->lx, &t, "verbose"))
            h->words_after_first++;
        count++;
        if (t.kind == TOK_OTHER && t.ch == '(')
            depth++;
    }
}

/* Whether token i is the word kw outside parentheses. */
static int head_is(const struct stmt_head *h, int i, const char *kw)
{
    return i < h->n && h->depth[i] == 0 && word_is(&h->lx, &h->tok[i], kw);
}

/* The reason stmt cannot run in a transaction block, or NULL. */
static const char *no_transaction_reason(const struct stmt_head *h)
{
    static const char *const control[] = {
        "begin", "commit", "end", "rollback", "abort", "savepoint",
        "release", NULL,
    };
    static const char *const control_why[] = {
        "BEGIN (transaction control)",    "COMMIT (transaction control)",
        "END (transaction control)",      "ROLLBACK (transaction control)",
        "ABORT (transaction control)",    "SAVEPOINT (transaction control)",
        "RELEASE (transaction control)",
    };
    int i;

    for (i = 0; control[i]; i++)
        if (head_is(h, 0, control[i]))
            return control_why[i];
    if (head_is(h, 0, "start") && head_is(h, 1, "transaction"))
        return "START TRANSACTION (transaction control)";
    if (head_is(h, 0, "prepare") && head_is(h, 1, "transaction"))
        return "PREPARE TRANSACTION (transaction control)";
    if (head_is(h, 0, "vacuum"))
        return "VACUUM";
    if (head_is(h, 0, "create")) {
        i = head_is(h, 1, "unique") ? 2 : 1;
        if (head_is(h, i, "index") && head_is(h, i + 1, "concurrently"))
            return "CREATE INDEX CONCURRENTLY";
        if (head_is(h, 1, "database"))
            return "CREATE DATABASE";
        if (head_is(h, 1, "tablespace"))
            return "CREATE TABLESPACE";
    }
    if (head_is(h, 0, "drop")) {
        if (head_is(h, 1, "index") && head_is(h, 2, "concurrently"))
            return "DROP INDEX CONCURRENTLY";
        if (head_is(h, 1, "database"))
            return "DROP DATABASE";
        if (head_is(h, 1, "tablespace"))
            return "DROP TABLESPACE";
    }
    if (head_is(h, 0, "reindex")) {
        if (h->concurrently)
            return "REINDEX CONCURRENTLY";
        for (i = 1; i < h->n; i++) {
            if (h->depth[i] != 0 || h->tok[i].kind != TOK_WORD)
                continue;
            if (head_is(h, i, "schema"))
                return "REINDEX SCHEMA";
            if (head_is(h, i, "database"))
                return "REINDEX DATABASE";
            if (head_is(h, i, "system"))
                return "REINDEX SYSTEM";
            break;
        }
    }
    if (head_is(h, 0, "alter")) {
        if (head_is(h, 1, "system"))
            return "ALTER SYSTEM";
        if (head_is(h, 1, "database") && head_is(h, 3, "set") &&
            head_is(h, 4, "tablespace"))
            return "ALTER DATABASE ... SET TABLESPACE";
        if (head_is(h, 1, "table") && h->detach && h->concurrently)
            return "ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY";
    }
    if (head_is(h, 0, "discard") && head_is(h, 1, "all"))
        return "DISCARD ALL";
    if (head_is(h, 0, "cluster") && h->words_after_first == 0)
        return "CLUSTER without a table name";
    return NULL;
}

int pg_needs_no_transaction(void *state, const char *stmt, size_t len,
                            struct mgr_buf *why)
{
    struct pg_state *ps = state;
    struct stmt_head h;
    const char *reason;

    if (!stmt)
        return 0;
    read_head(&h, stmt, len);
    reason = no_transaction_reason(&h);
    if (!reason)
        return 0;
    if (why)
        ps->api->buf_addf(why, "%s", reason);
    return 1;
}
