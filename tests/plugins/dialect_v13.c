/*
 * dialect_v13.c: a dialect as ABI 1.3 built it: the descriptor says 1.3
 * and the ops table ends after batch, so connect_opts and
 * set_lock_timeout (ABI 1.4) lie past its recorded size. A 1.4 host must
 * load it and connect through connect, never through the connect_opts
 * set past the table; each connect fails, saying which one ran.
 */
#include <stddef.h>
#include <stdio.h>

#include <migrator/plugin.h>

#include "inert.h"

static const char *const schemes[] = { "v13", NULL };

static int fail(struct mgr_error *err, int code, const char *msg)
{
    if (err) {
        err->code = code;
        err->sys_errno = 0;
        snprintf(err->msg, sizeof(err->msg), "%s", msg);
    }
    return code;
}

static int v13_connect(void *state, const char *url, void **conn_out,
                       struct mgr_error *err)
{
    (void)state, (void)url;
    *conn_out = NULL;
    return fail(err, MGR_ECONN, "v13: connect (ABI 1.3) ran");
}

static int v13_connect_opts(void *state, const char *url,
                            const struct mgr_connect_options *o,
                            void **conn_out, struct mgr_error *err)
{
    (void)state, (void)url, (void)o;
    *conn_out = NULL;
    return fail(err, MGR_EPLUGIN,
                "v13: connect_opts past the table's size ran");
}

static const struct mgr_dialect_ops ops = {
    .size = offsetof(struct mgr_dialect_ops, batch) + sizeof(void (*)(void)),
    .schemes = schemes,
    .connect = v13_connect, .close = inert_close, .query = inert_query,
    .begin = inert_conn_op, .commit = inert_conn_op,
    .rollback = inert_conn_op, .transactional_ddl = 1,
    .unlock = inert_unlock, .quote_ident = inert_quote,
    .quote_literal = inert_quote, .split = inert_split,
    .version_column_type = "VARCHAR(32)",
    .table_exists = inert_table_exists, .try_lock = inert_try_lock,
    /* Past the recorded size: */
    .connect_opts = v13_connect_opts,
};

MGR_PLUGIN_EXPORT const struct mgr_plugin *mgr_plugin_entry(void);
const struct mgr_plugin *mgr_plugin_entry(void)
{
    static const struct mgr_plugin descriptor = {
        (1u << 16) | 3u, sizeof(struct mgr_plugin), MGR_PLUGIN_DIALECT, "v13",
        "1.3", "test: a dialect of ABI 1.3", NULL, NULL, &ops,
    };
    return &descriptor;
}
