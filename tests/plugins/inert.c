/* inert.c: the operations of inert.h; none of them does anything. */
#include <stddef.h>
#include <stdio.h>

#include "inert.h"

static int inert(struct mgr_error *err)
{
    if (err) {
        err->code = MGR_EPLUGIN;
        err->sys_errno = 0;
        snprintf(err->msg, sizeof(err->msg), "inert test plugin");
    }
    return MGR_EPLUGIN;
}

int inert_connect(void *state, const char *url, void **conn_out,
                  struct mgr_error *err)
{
    (void)state, (void)url, (void)conn_out;
    return inert(err);
}

void inert_close(void *conn)
{
    (void)conn;
}

int inert_query(void *conn, const char *sql, const char *const *params,
                size_t nparams, mgr_row_fn row, void *row_ctx,
                long *affected_out, struct mgr_db_error *dberr,
                struct mgr_error *err)
{
    (void)conn, (void)sql, (void)params, (void)nparams, (void)row;
    (void)row_ctx, (void)affected_out, (void)dberr;
    return inert(err);
}

int inert_conn_op(void *conn, struct mgr_error *err)
{
    (void)conn;
    return inert(err);
}

int inert_try_lock(void *conn, const char *key, long wait_ms,
                   int *got_out, struct mgr_buf *holder,
                   struct mgr_error *err)
{
    (void)conn, (void)key, (void)wait_ms, (void)got_out, (void)holder;
    return inert(err);
}

int inert_unlock(void *conn, const char *key, struct mgr_error *err)
{
    (void)conn, (void)key;
    return inert(err);
}

void inert_quote(void *state, const char *text, struct mgr_buf *out)
{
    (void)state, (void)text, (void)out;
}

int inert_split(void *state, const char *text, size_t len, int first_line,
                int (*emit)(void *ctx, const char *stmt, size_t len,
                            int line, struct mgr_error *err),
                void *ctx, struct mgr_error *err)
{
    (void)state, (void)text, (void)len, (void)first_line, (void)emit;
    (void)ctx;
    return inert(err);
}

int inert_table_exists(void *conn, const char *schema, const char *table,
                       int *exists_out, struct mgr_error *err)
{
    (void)conn, (void)schema, (void)table, (void)exists_out;
    return inert(err);
}

int inert_parse_header(void *state, const char *path,
                       struct mgr_script_meta *meta, struct mgr_error *err)
{
    (void)state, (void)path, (void)meta;
    return inert(err);
}

int inert_run_section(void *state, const char *path,
                      enum mgr_direction dir, struct mgr_exec *x,
                      struct mgr_error *err)
{
    (void)state, (void)path, (void)dir, (void)x;
    return inert(err);
}
