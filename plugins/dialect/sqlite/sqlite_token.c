/*
 * sqlite_token.c: what the dialect adds to SQLite's tokens (the shared
 * lexer is plugins/common/sqlite_tokens.c): a token's name copied into
 * an arena.
 */
#include "autoconfig.h"

#include "sqlite.h"

char *sq_token_ident(struct sq_arena *a, const struct sq_token *t)
{
    char *s = sq_arena_alloc(a, t->len + 1);

    sq_token_unquote(t, s);
    return s;
}
