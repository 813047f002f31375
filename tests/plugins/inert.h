/*
 * inert.h: operations that do nothing, so that a test plugin can pass
 * the loader's check of its operations table (core/opscheck.c) without
 * being a real dialect or format. Each fails with MGR_EPLUGIN ("inert")
 * or answers "nothing". Use the member lists in a designated initialiser:
 *
 *     static const struct mgr_dialect_ops ops = {
 *         .size = sizeof(struct mgr_dialect_ops),
 *         .schemes = schemes,
 *         INERT_DIALECT_MEMBERS
 *     };
 */
#ifndef MGR_TEST_INERT_H
#define MGR_TEST_INERT_H

#include <migrator/plugin.h>

int inert_connect(void *state, const char *url, void **conn_out,
                  struct mgr_error *err);
void inert_close(void *conn);
int inert_query(void *conn, const char *sql, const char *const *params,
                size_t nparams, mgr_row_fn row, void *row_ctx,
                long *affected_out, struct mgr_db_error *dberr,
                struct mgr_error *err);
int inert_conn_op(void *conn, struct mgr_error *err);
int inert_try_lock(void *conn, const char *key, long wait_ms,
                   int *got_out, struct mgr_buf *holder,
                   struct mgr_error *err);
int inert_unlock(void *conn, const char *key, struct mgr_error *err);
void inert_quote(void *state, const char *text, struct mgr_buf *out);
int inert_split(void *state, const char *text, size_t len, int first_line,
                int (*emit)(void *ctx, const char *stmt, size_t len,
                            int line, struct mgr_error *err),
                void *ctx, struct mgr_error *err);
int inert_table_exists(void *conn, const char *schema, const char *table,
                       int *exists_out, struct mgr_error *err);
int inert_parse_header(void *state, const char *path,
                       struct mgr_script_meta *meta, struct mgr_error *err);
int inert_run_section(void *state, const char *path,
                      enum mgr_direction dir, struct mgr_exec *x,
                      struct mgr_error *err);

#define INERT_DIALECT_MEMBERS                                           \
    .connect = inert_connect, .close = inert_close,                     \
    .query = inert_query, .begin = inert_conn_op,                       \
    .commit = inert_conn_op, .rollback = inert_conn_op,                 \
    .transactional_ddl = 1, .unlock = inert_unlock,                     \
    .quote_ident = inert_quote, .quote_literal = inert_quote,           \
    .split = inert_split, .version_column_type = "VARCHAR(32)",         \
    .table_exists = inert_table_exists, .try_lock = inert_try_lock

#define INERT_FORMAT_MEMBERS                                            \
    .parse_header = inert_parse_header, .run_section = inert_run_section

#endif
