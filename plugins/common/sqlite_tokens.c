/*
 * sqlite_tokens.c: SQLite's tokens (sqlite_tokens.h), shared by the
 * SQLite dialect and the SQLite linter.
 */
#include "autoconfig.h"

#include <string.h>

#include "sqlite_tokens.h"

int sq_is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' ||
           ch == '\f' || ch == '\v';
}

static int is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

static int is_ident_start(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           ch == '_' || (unsigned char)ch >= 0x80;
}

static int is_ident_char(char ch)
{
    return is_ident_start(ch) || is_digit(ch) || ch == '$';
}

static char fold(char ch)
{
    return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
}

const char *sq_skip_space(const char *p)
{
    for (;;) {
        if (sq_is_space(*p)) {
            p++;
        } else if (p[0] == '-' && p[1] == '-') {
            p += strcspn(p, "\n");
        } else if (p[0] == '/' && p[1] == '*') {
            const char *end = strstr(p + 2, "*/");

            p = end ? end + 2 : p + strlen(p);
        } else {
            return p;
        }
    }
}

/* Past the quoted text that opens at p (whose first byte is the opening
 * quote) and closes with close; to the end when it never does. */
static const char *quoted_end(const char *p, char close)
{
    for (p++; *p; p++) {
        if (*p != close)
            continue;
        if (close != ']' && p[1] == close)
            p++; /* a doubled quote stands for itself */
        else
            return p + 1;
    }
    return p;
}

/* Past a number: digits, '.', letters of hex and exponents, and the sign
 * of an exponent. */
static const char *number_end(const char *p)
{
    int hex = p[0] == '0' && (p[1] == 'x' || p[1] == 'X');

    while (is_ident_char(*p) || *p == '.') {
        if (!hex && (*p == 'e' || *p == 'E') &&
            (p[1] == '+' || p[1] == '-') && is_digit(p[2]))
            p++;
        p++;
    }
    return p;
}

const char *sq_token_next(const char *p, struct sq_token *t)
{
    const char *end;

    p = sq_skip_space(p);
    t->start = p;
    if (!*p) {
        t->kind = SQ_TOK_END;
        end = p;
    } else if (*p == '\'') {
        t->kind = SQ_TOK_STRING;
        end = quoted_end(p, '\'');
    } else if ((*p == 'x' || *p == 'X') && p[1] == '\'') {
        t->kind = SQ_TOK_STRING; /* a blob literal */
        end = quoted_end(p + 1, '\'');
    } else if (*p == '"' || *p == '`' || *p == '[') {
        t->kind = SQ_TOK_QUOTED;
        end = quoted_end(p, *p == '[' ? ']' : *p);
    } else if (is_ident_start(*p)) {
        t->kind = SQ_TOK_WORD;
        for (end = p + 1; is_ident_char(*end);)
            end++;
    } else if (is_digit(*p) || (*p == '.' && is_digit(p[1]))) {
        t->kind = SQ_TOK_NUMBER;
        end = number_end(p);
    } else {
        t->kind = SQ_TOK_OTHER;
        end = p + 1;
    }
    t->len = (size_t)(end - p);
    return end;
}

int sq_token_is(const struct sq_token *t, const char *word)
{
    size_t len = strlen(word);

    if (t->kind != SQ_TOK_WORD || t->len != len)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (fold(t->start[i]) != fold(word[i]))
            return 0;
    return 1;
}

int sq_token_punct(const struct sq_token *t, char ch)
{
    return t->kind == SQ_TOK_OTHER && t->start[0] == ch;
}

/*
 * The text of t without its quotes, one character at a time: call with
 * *i = 0 and get characters until it returns 0. Doubled quotes stand for
 * one.
 */
static int unquoted_char(const struct sq_token *t, size_t *i, char *ch)
{
    int quoted = t->kind == SQ_TOK_QUOTED ||
                 (t->kind == SQ_TOK_STRING && t->start[0] == '\'');
    size_t begin = quoted ? 1 : 0;
    size_t end = t->len;
    char close;

    if (!quoted) {
        if (*i >= end)
            return 0;
        *ch = t->start[(*i)++];
        return 1;
    }
    close = t->start[0] == '[' ? ']' : t->start[0];
    if (end >= 2 && t->start[end - 1] == close)
        end--; /* an unterminated quote has no closing one */
    if (*i < begin)
        *i = begin;
    if (*i >= end)
        return 0;
    *ch = t->start[*i];
    *i += (*ch == close && close != ']' && *i + 1 < end) ? 2 : 1;
    return 1;
}

int sq_token_names(const struct sq_token *t, const char *name)
{
    size_t i = 0, k = 0;
    char ch;

    if (t->kind != SQ_TOK_WORD && t->kind != SQ_TOK_QUOTED &&
        t->kind != SQ_TOK_STRING)
        return 0;
    while (unquoted_char(t, &i, &ch)) {
        if (!name[k] || fold(ch) != fold(name[k]))
            return 0;
        k++;
    }
    return name[k] == '\0';
}

size_t sq_token_unquote(const struct sq_token *t, char *out)
{
    size_t i = 0, n = 0;
    char ch;

    while (unquoted_char(t, &i, &ch))
        out[n++] = ch;
    out[n] = '\0';
    return n;
}

int sq_name_eq(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    for (; *a && fold(*a) == fold(*b); a++, b++)
        ;
    return fold(*a) == fold(*b);
}

int sq_text_mentions(const char *text, const char *name)
{
    struct sq_token t;
    const char *p = text ? text : "";

    for (p = sq_token_next(p, &t); t.kind != SQ_TOK_END;
         p = sq_token_next(p, &t))
        if ((t.kind == SQ_TOK_WORD || t.kind == SQ_TOK_QUOTED) &&
            sq_token_names(&t, name))
            return 1;
    return 0;
}

int sq_is_fk_check(const char *sql)
{
    struct sq_token t, name;
    const char *p = sq_token_next(sql, &t);

    if (!sq_token_is(&t, "PRAGMA"))
        return 0;
    p = sq_token_next(p, &name);
    p = sq_token_next(p, &t);
    if (sq_token_punct(&t, '.')) /* PRAGMA schema.foreign_key_check */
        sq_token_next(p, &name);
    return name.kind == SQ_TOK_WORD && sq_token_names(&name,
                                                      "foreign_key_check");
}
