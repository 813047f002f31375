/*
 * db.h: a connection through the dialect plugin that serves the
 * configured URL. Every error message that leaves here has the URL's
 * password masked (dburl.h).
 */
#ifndef MGR_CORE_DB_H
#define MGR_CORE_DB_H

#include <stdbool.h>

#include <migrator/plugin.h>

#include "ctx.h"

struct db {
    const struct mgr_loaded_plugin *plugin;
    const struct mgr_dialect_ops *ops;
    void *state;        /* the plugin's state */
    void *conn;
    const char *url;    /* borrowed from the config */
    const char *dialect;
    long connect_timeout_ms; /* the config's connect_timeout (db_open) */

    /* The last statement that failed in db_query, field by field (for
     * reports): the database's message (password masked) and its
     * SQLSTATE, DETAIL and HINT. Valid while failed is true. */
    bool failed;
    char failure_reason[MGR_ERROR_SIZE];
    struct mgr_db_error failure;
};

/*
 * Load the dialect for database_url (ctx->plugins must exist) and
 * connect, through connect_opts (ABI 1.4) with the config's
 * connect_timeout when the dialect has it, else through connect.
 * MGR_ECONFIG when no URL is set or no dialect serves it.
 */
int db_open(struct mgr_ctx *ctx, struct db *db);

/* As db_open, through the dialect's connect_read_only when it has one
 * (ABI 1.3): nothing can be written, and SQLite creates no file. */
int db_open_read_only(struct mgr_ctx *ctx, struct db *db);

/*
 * Connect to another database (dev_url, a scratch database) of the open
 * db's dialect, with the same options as db (connect_timeout). The
 * caller closes *conn_out with db->ops->close. Errors have url's
 * password masked.
 */
int db_connect_url(const struct db *db, const char *url, void **conn_out,
                   struct mgr_error *err);

/*
 * The longest any later statement on db waits for a lock another session
 * holds (0: no limit), where the dialect can bound it (set_lock_timeout,
 * ABI 1.4; a no-op otherwise). Such a statement then fails with
 * MGR_ELOCKTIMEOUT naming who held the lock. Call it outside a
 * transaction.
 */
int db_set_lock_timeout(struct db *db, long ms, struct mgr_error *err);

/* Load the dialect only (offline rendering). */
int db_load_dialect(struct mgr_ctx *ctx, struct db *db);

void db_close(struct db *db);

/*
 * Run one statement. On failure err->msg holds the database's message
 * with SQLSTATE, DETAIL and HINT appended, password masked, and
 * db->failed, failure_reason and failure describe it. dberr may be
 * NULL.
 */
int db_query(struct db *db, const char *sql, const char *const *params,
             size_t nparams, mgr_row_fn row, void *row_ctx,
             long *affected_out, struct mgr_db_error *dberr,
             struct mgr_error *err);

/*
 * Run items in order, together where the dialect can (batch, ABI 1.3),
 * else one by one. On failure *failed_out is the index of the item that
 * failed and err says why as db_query's does.
 */
bool db_can_batch(const struct db *db);
int db_batch(struct db *db, struct mgr_batch_item *items, size_t n,
             size_t *failed_out, struct mgr_db_error *dberr,
             struct mgr_error *err);

/* "sqlite:////x.db" with the password (if any) replaced by "****". */
void db_masked_url(const struct db *db, struct mgr_buf *out);

#endif
