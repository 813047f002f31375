/* split_rec.c: recording the splitter's statements; see split_rec.h. */
#include <string.h>

#include "mock_host.h"
#include "split_rec.h"

int split_rec_emit(void *ctx, const char *stmt, size_t len, int line,
                   struct mgr_error *e)
{
    struct split_rec *r = ctx;

    ck_assert_int_lt(r->n, SPLIT_REC_MAX);
    r->stmt[r->n] = mock_alloc(len + 1);
    memcpy(r->stmt[r->n], stmt, len);
    r->stmt[r->n][len] = '\0';
    r->line[r->n++] = line;
    if (r->fail_at && r->n == r->fail_at)
        return mock_error_set(e, MGR_EDB, "emit refused %d", r->n);
    return MGR_OK;
}

void split_rec_reset(struct split_rec *r)
{
    for (int i = 0; i < r->n; i++)
        mock_free(r->stmt[i]);
    memset(r, 0, sizeof(*r));
}
