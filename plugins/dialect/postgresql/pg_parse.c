/*
 * pg_parse.c: the parse op (ABI 1.3). A statement as PostgreSQL's own
 * grammar reads it, through libpg_query, whose JSON goes to the linters
 * unchanged. Built only where libpg_query is (HAVE_PG_QUERY); the ops
 * table leaves parse NULL otherwise.
 */
#include "autoconfig.h"

#include <string.h>

#include "pg.h"

#ifdef HAVE_PG_QUERY
#include <pg_query.h>

/* libpg_query makes its memory context on the first parse, and
 * pg_query_exit() fails without one. */
static bool parsed;

int pg_parse(void *state, const char *stmt, size_t len, struct mgr_buf *tree,
             int *offset_out, struct mgr_error *err)
{
    struct pg_state *st = state;
    PgQueryParseResult result;
    char *text;
    int rc = MGR_OK;

    *offset_out = -1;
    /* libpg_query wants a C string; the statement is a slice. */
    text = st->api->alloc(len + 1);
    memcpy(text, stmt, len);
    text[len] = '\0';
    parsed = true;
    result = pg_query_parse(text);
    if (result.error) {
        /* cursorpos counts characters from 1; 0 means unknown. */
        if (result.error->cursorpos > 0)
            *offset_out = result.error->cursorpos - 1;
        rc = st->api->error_set(err, MGR_ESCRIPT, "%s",
                                result.error->message);
    } else {
        st->api->buf_add(tree, result.parse_tree, strlen(result.parse_tree));
    }
    pg_query_free_parse_result(result);
    st->api->free(text);
    return rc;
}

void pg_parse_fini(void)
{
    if (parsed)
        pg_query_exit();
    parsed = false;
}
#else
void pg_parse_fini(void)
{
}
#endif
