/* dialect_noquery.c: a dialect whose ops table lacks query, which the
 * loader must refuse by name instead of crashing on the first call. */
#include <stddef.h>

#include <migrator/plugin.h>

#include "inert.h"

static const char *const schemes[] = { "noquery", NULL };

/* INERT_DIALECT_MEMBERS but query. */
static const struct mgr_dialect_ops ops = {
    .size = sizeof(struct mgr_dialect_ops),
    .schemes = schemes,
    .connect = inert_connect, .close = inert_close,
    .begin = inert_conn_op, .commit = inert_conn_op,
    .rollback = inert_conn_op, .transactional_ddl = 1,
    .unlock = inert_unlock, .quote_ident = inert_quote,
    .quote_literal = inert_quote, .split = inert_split,
    .version_column_type = "VARCHAR(32)",
    .table_exists = inert_table_exists, .try_lock = inert_try_lock,
};

MGR_PLUGIN_DEFINE(MGR_PLUGIN_DIALECT, "noquery", "0.1",
                  "test: no query operation", NULL, NULL, &ops)
