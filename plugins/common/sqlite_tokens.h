/*
 * sqlite_tokens.h: SQLite's tokens, for the plugins that read SQLite SQL
 * without SQLite's parser: the SQLite dialect (CREATE text kept in
 * sqlite_schema, views, PRAGMA foreign_key_check) and the SQLite linter.
 *
 * Quoting follows SQLite: 'strings' (and X'blobs'), "identifiers",
 * `identifiers` and [identifiers]; a quote inside is doubled (not in
 * brackets). -- and block comments are blank. Names compare as SQLite
 * compares them: ASCII letters case folded. All text is NUL-terminated.
 */
#ifndef MGR_PLUGINS_SQLITE_TOKENS_H
#define MGR_PLUGINS_SQLITE_TOKENS_H

#include <stddef.h>

enum sq_token_kind {
    SQ_TOK_END = 0, /* no more tokens */
    SQ_TOK_WORD,    /* a keyword or bare identifier */
    SQ_TOK_QUOTED,  /* "ident", `ident`, [ident] */
    SQ_TOK_STRING,  /* 'text', X'blob' */
    SQ_TOK_NUMBER,
    SQ_TOK_OTHER,   /* one byte of punctuation or an operator */
};

/* One token: [start, start + len) of the text it came from. */
struct sq_token {
    enum sq_token_kind kind;
    const char *start;
    size_t len;
};

/* Whether ch is white space to SQLite. */
int sq_is_space(char ch);

/* Past white space and comments from p; an unterminated block comment
 * runs to the end, as in SQLite. */
const char *sq_skip_space(const char *p);

/* The token at p after white space and comments, into *t; returns where
 * the next one may start. */
const char *sq_token_next(const char *p, struct sq_token *t);
/* Whether t is the bare word word (ASCII case folded). */
int sq_token_is(const struct sq_token *t, const char *word);
/* Whether t is the punctuation byte ch. */
int sq_token_punct(const struct sq_token *t, char ch);
/* Whether t, unquoted, is the name name (as SQLite compares names). */
int sq_token_names(const struct sq_token *t, const char *name);
/* t unquoted ("a""b" gives a"b) into out, which has room for t->len + 1
 * bytes, NUL-terminated; returns its length. */
size_t sq_token_unquote(const struct sq_token *t, char *out);
/* Whether two names are the same to SQLite (ASCII case folded); two
 * NULLs are. */
int sq_name_eq(const char *a, const char *b);
/* Whether an identifier of text (SQL) is name. */
int sq_text_mentions(const char *text, const char *name);
/* Whether sql is PRAGMA [schema.]foreign_key_check... */
int sq_is_fk_check(const char *sql);

#endif /* MGR_PLUGINS_SQLITE_TOKENS_H */
