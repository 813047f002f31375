/*
 * dialect_v10.c: a dialect as ABI 1.0 built it: the descriptor says 1.0,
 * the ops table ends before try_lock (ABI 1.1), and the lock is its own
 * waiting `lock`. A 1.1 host must load it and never read past its table.
 */
#include <stddef.h>

#include <migrator/plugin.h>

#include "inert.h"

static const char *const schemes[] = { "v10", NULL };

static int v10_lock(void *conn, const char *key, long wait_ms,
                    struct mgr_error *err)
{
    (void)conn, (void)key, (void)wait_ms, (void)err;
    return MGR_OK;
}

/* The members of 1.0 (INERT_DIALECT_MEMBERS with lock for try_lock)... */
#define V10_MEMBERS                                                     \
    .connect = inert_connect, .close = inert_close,                     \
    .query = inert_query, .begin = inert_conn_op,                       \
    .commit = inert_conn_op, .rollback = inert_conn_op,                 \
    .transactional_ddl = 1, .lock = v10_lock, .unlock = inert_unlock,   \
    .quote_ident = inert_quote, .quote_literal = inert_quote,           \
    .split = inert_split, .version_column_type = "VARCHAR(32)",         \
    .table_exists = inert_table_exists

/* ...in a 1.1 table, but its recorded size is the 1.0 one: try_lock, set to
 * the inert one, lies past it and must not be used. */
static const struct mgr_dialect_ops ops = {
    .size = MGR_DIALECT_OPS_V1_SIZE,
    .schemes = schemes,
    V10_MEMBERS,
    /* Past the recorded size: a host that used it would fail the
     * lock with "inert test plugin". */
    .try_lock = inert_try_lock,
};

MGR_PLUGIN_EXPORT const struct mgr_plugin *mgr_plugin_entry(void);
const struct mgr_plugin *mgr_plugin_entry(void)
{
    static const struct mgr_plugin descriptor = {
        (1u << 16) | 0u, MGR_PLUGIN_V1_SIZE, MGR_PLUGIN_DIALECT, "v10",
        "1.0", "test: a dialect of ABI 1.0", NULL, NULL, &ops,
    };
    return &descriptor;
}
