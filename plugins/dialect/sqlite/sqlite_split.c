/*
 * sqlite_split.c: splitting a script into statements as the sqlite3
 * shell does, and the statements that must not run in a transaction.
 *
 * A scan that knows SQLite's quoting ('strings', "identifiers",
 * `identifiers`, [identifiers], -- and non-nesting block comments) finds
 * the semicolons outside quotes and comments; at each, sqlite3_complete()
 * on the text since the previous statement decides whether the statement
 * ends there (it does not inside CREATE TRIGGER ... BEGIN ... END). Nothing
 * is prepared: the tables a statement names may not exist yet.
 *
 * An unterminated string, quoted identifier or block comment is an error
 * naming the line where it opens, found before any statement is emitted.
 * A last statement without ';' is still emitted, also an unfinished
 * trigger (which SQLite then refuses as incomplete input). Block comments
 * do not nest, as in SQLite.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <sqlite3.h>

#include <migrator/plugin.h>

#include "sqlite.h"

const char *sq_skip_blank(const char *p)
{
    for (p = sq_skip_space(p); *p == ';'; p = sq_skip_space(p + 1))
        ;
    return p;
}

/* ---- split -------------------------------------------------------------- */

struct split_run {
    const struct sq_state *st;
    const char *s;  /* the text */
    size_t len;
    char *copy;     /* the text again, NUL-terminated, for sqlite3_complete */
    size_t i;       /* scan position */
    int line;       /* line of s[i] */
};

static int unterminated(const struct split_run *r, int line,
                        const char *what, struct mgr_error *err)
{
    return r->st->api->error_set(err, MGR_ESCRIPT,
                                 "line %d: unterminated %s", line, what);
}

/* Skip a quoted token that opens at r->i with open; stop after it. */
static int skip_quoted(struct split_run *r, struct mgr_error *err)
{
    char open = r->s[r->i], close = open == '[' ? ']' : open;
    int line = r->line;

    for (r->i++; r->i < r->len; r->i++) {
        if (r->s[r->i] == '\n')
            r->line++;
        else if (r->s[r->i] == close) {
            /* A doubled quote simply reopens: the scan goes on. */
            r->i++;
            return MGR_OK;
        }
    }
    return unterminated(r, line,
                        open == '\'' ? "string literal"
                                     : "quoted identifier",
                        err);
}

/* Skip a block comment that opens at r->i. */
static int skip_block_comment(struct split_run *r, struct mgr_error *err)
{
    int line = r->line;

    for (r->i += 2; r->i + 1 < r->len; r->i++) {
        if (r->s[r->i] == '\n')
            r->line++;
        else if (r->s[r->i] == '*' && r->s[r->i + 1] == '/') {
            r->i += 2;
            return MGR_OK;
        }
    }
    return unterminated(r, line, "block comment", err);
}

/* Whether the statement text from start ends at the ';' at r->i. */
static int ends_statement(struct split_run *r, size_t start)
{
    char saved = r->copy[r->i + 1];
    int complete;

    r->copy[r->i + 1] = '\0';
    complete = sqlite3_complete(r->copy + start);
    r->copy[r->i + 1] = saved;
    return complete;
}

/*
 * One pass over the text: with emit NULL it only checks the quoting, so
 * that a script with an unterminated string sends nothing.
 */
static int split_pass(struct split_run *r, int first_line,
                      int (*emit)(void *ctx, const char *stmt, size_t len,
                                  int line, struct mgr_error *err),
                      void *ctx, struct mgr_error *err)
{
    const char *text = r->s;
    size_t len = r->len, start = 0, code_start = 0, code_end = 0;
    int have_code = 0, code_line = first_line, rc = MGR_OK;

    r->i = 0;
    r->line = first_line;
    while (r->i < len && rc == MGR_OK) {
        char ch = text[r->i];

        if (ch == '\n') {
            r->line++;
            r->i++;
            continue;
        }
        if (sq_is_space(ch)) {
            r->i++;
            continue;
        }
        if (ch == '-' && r->i + 1 < len && text[r->i + 1] == '-') {
            while (r->i < len && text[r->i] != '\n')
                r->i++;
            continue;
        }
        if (ch == '/' && r->i + 1 < len && text[r->i + 1] == '*') {
            rc = skip_block_comment(r, err);
            continue;
        }
        if (ch == ';' && ends_statement(r, start)) {
            if (have_code && emit)
                rc = emit(ctx, text + code_start, code_end - code_start,
                          code_line, err);
            have_code = 0;
            r->i++;
            start = r->i;
            continue;
        }
        /* Code, including a ';' inside a trigger body. */
        if (!have_code) {
            have_code = 1;
            code_start = r->i;
            code_line = r->line;
        }
        if (ch == '\'' || ch == '"' || ch == '`' || ch == '[')
            rc = skip_quoted(r, err);
        else
            r->i++;
        code_end = r->i;
    }
    if (rc == MGR_OK && have_code && emit)
        rc = emit(ctx, text + code_start, code_end - code_start, code_line,
                  err);
    return rc;
}

int sq_split(void *state, const char *text, size_t len, int first_line,
             int (*emit)(void *ctx, const char *stmt, size_t len, int line,
                         struct mgr_error *err),
             void *ctx, struct mgr_error *err)
{
    const struct sq_state *st = state;
    struct split_run r;
    const char *nul;
    int rc;

    if (!text || len == 0)
        return MGR_OK;
    /* sqlite3_complete() and sqlite3_prepare() stop at a NUL. */
    nul = memchr(text, '\0', len);
    if (nul) {
        int line = first_line;

        for (const char *p = text; p < nul; p++)
            line += *p == '\n';
        return st->api->error_set(err, MGR_ESCRIPT, "line %d: NUL byte",
                                  line);
    }
    memset(&r, 0, sizeof(r));
    r.st = st;
    r.s = text;
    r.len = len;
    r.copy = st->api->alloc(len + 1);
    memcpy(r.copy, text, len);
    r.copy[len] = '\0';
    rc = split_pass(&r, first_line, NULL, NULL, err);
    if (rc == MGR_OK && emit)
        rc = split_pass(&r, first_line, emit, ctx, err);
    st->api->free(r.copy);
    return rc;
}

/* ---- needs_no_transaction ---------------------------------------------- */

/* Skip white space and comments in [p, end). */
static const char *skip_blank_n(const char *p, const char *end)
{
    while (p < end) {
        if (sq_is_space(*p)) {
            p++;
        } else if (end - p >= 2 && p[0] == '-' && p[1] == '-') {
            while (p < end && *p != '\n')
                p++;
        } else if (end - p >= 2 && p[0] == '/' && p[1] == '*') {
            p += 2;
            while (p < end && !(end - p >= 2 && p[0] == '*' && p[1] == '/'))
                p++;
            p = p < end ? p + 2 : end;
        } else {
            break;
        }
    }
    return p;
}

static int is_word_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           (ch >= '0' && ch <= '9') || ch == '_' || ch == '$' ||
           (unsigned char)ch >= 0x80;
}

/*
 * Read a name at *pp (a word, or one quoted with "", `` or []) into
 * [*name_out, +*len_out), and move *pp past it. 0 when there is none.
 */
static int read_name(const char **pp, const char *end, const char **name_out,
                     size_t *len_out)
{
    const char *p = *pp;

    if (p < end && (*p == '"' || *p == '`' || *p == '[' || *p == '\'')) {
        char close = *p == '[' ? ']' : *p;
        const char *q = p + 1;

        while (q < end && *q != close)
            q++;
        if (q >= end)
            return 0;
        *name_out = p + 1;
        *len_out = (size_t)(q - p - 1);
        *pp = q + 1;
        return 1;
    }
    while (p < end && is_word_char(*p))
        p++;
    if (p == *pp)
        return 0;
    *name_out = *pp;
    *len_out = (size_t)(p - *pp);
    *pp = p;
    return 1;
}

static int name_is(const char *name, size_t len, const char *word)
{
    return strlen(word) == len && strncasecmp(name, word, len) == 0;
}

/* Why a PRAGMA statement (p just after the keyword) must not run in a
 * transaction, or NULL. Only settings count: reading is harmless. */
static const char *pragma_reason(const char *p, const char *end)
{
    const char *name;
    size_t len;

    p = skip_blank_n(p, end);
    if (!read_name(&p, end, &name, &len))
        return NULL;
    p = skip_blank_n(p, end);
    if (p < end && *p == '.') {
        p = skip_blank_n(p + 1, end);
        if (!read_name(&p, end, &name, &len))
            return NULL;
        p = skip_blank_n(p, end);
    }
    if (p >= end || (*p != '=' && *p != '('))
        return NULL;
    if (name_is(name, len, "foreign_keys"))
        return "PRAGMA foreign_keys (a no-op inside a transaction)";
    if (name_is(name, len, "journal_mode"))
        return "PRAGMA journal_mode (not changeable inside a transaction)";
    return NULL;
}

int sq_needs_no_transaction(void *state, const char *stmt, size_t len,
                            struct mgr_buf *why)
{
    static const char *const control[] = {
        "BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE", NULL,
    };
    const struct sq_state *st = state;
    const char *p, *end, *word, *reason = NULL;
    char buf[64];
    size_t len_w;

    if (!stmt)
        return 0;
    end = stmt + len;
    p = skip_blank_n(stmt, end);
    word = p;
    while (p < end && is_word_char(*p))
        p++;
    len_w = (size_t)(p - word);
    if (name_is(word, len_w, "VACUUM"))
        reason = "VACUUM";
    else if (name_is(word, len_w, "PRAGMA"))
        reason = pragma_reason(p, end);
    for (int i = 0; !reason && control[i]; i++)
        if (name_is(word, len_w, control[i])) {
            snprintf(buf, sizeof(buf), "%s (transaction control)",
                     control[i]);
            reason = buf;
        }
    if (!reason)
        return 0;
    if (why)
        st->api->buf_addf(why, "%s", reason);
    return 1;
}
