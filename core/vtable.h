/*
 * vtable.h: the version table (one row per current head, Alembic's
 * layout) and migrator_log (one row per applied step, with the script's
 * checksum), in version_table_schema when set. Every value is bound as a
 * parameter; names are quoted by the dialect.
 */
#ifndef MGR_CORE_VTABLE_H
#define MGR_CORE_VTABLE_H

#include <stdbool.h>

#include "db.h"
#include "plan.h"

#define VTABLE_LOG_NAME "migrator_log"

/* Now as "2026-11-24T09:00:00.123456Z": text order is time order. */
void vtable_now_utc(char out[32]);

/*
 * Writes held to go out together (db_batch): while vtable.batch is set,
 * vtable_apply, vtable_log and vtable_log_set_status append their
 * statements here instead of running them, and vtable_batch_run sends
 * them (after any statements added before) and checks what each changed.
 */
struct vtable_batch {
    struct mgr_batch_item *items;
    const struct plan_op **ops; /* per item: the op whose row count must
                                   be one, or NULL */
    char **owned;               /* copies of sql and params */
    size_t n, nowned;
};
#define VTABLE_BATCH_INIT { NULL, NULL, NULL, 0, 0 }

struct vtable {
    struct db *db;
    struct vtable_batch *batch; /* NULL: every write runs at once */
    const char *table;       /* unquoted */
    const char *schema;      /* unquoted, or NULL */
    struct mgr_buf qtable;   /* quoted, schema-qualified */
    struct mgr_buf qlog;
    char applied_by[128];    /* "user@host" for the log, read once */
};

/* name (one of migrator's own tables) quoted, in version_table_schema
 * when that is set. */
void vtable_qualify(const struct vtable *vt, const char *name,
                    struct mgr_buf *out);

/* Append a statement (copied) to b; op: its row count must be one. */
void vtable_batch_add(struct vtable_batch *b, const char *sql,
                      const char *const *params, size_t nparams,
                      const struct plan_op *op);
/* Send b (db_batch): *failed_out the index of a statement that failed;
 * a version-table row count other than one fails after the rest. */
int vtable_batch_run(struct vtable *vt, struct vtable_batch *b,
                     size_t *failed_out, struct mgr_db_error *dberr,
                     struct mgr_error *err);
void vtable_batch_release(struct vtable_batch *b);

/* Check the names (at most 63 bytes, no NUL) and quote them. */
int vtable_init(struct vtable *vt, struct db *db, const char *table,
                const char *schema, struct mgr_error *err);
void vtable_release(struct vtable *vt);

/* CREATE TABLE IF NOT EXISTS for both tables. */
int vtable_ensure(struct vtable *vt, struct mgr_error *err);

/* The rows; a missing table gives none (and *exists_out false). */
int vtable_read(struct vtable *vt, struct plan_rows *rows,
                bool *exists_out, struct mgr_error *err);

/* One version-table change; an UPDATE or DELETE that does not match
 * exactly one row fails (MGR_EDB): the table is not what we read. */
int vtable_apply(struct vtable *vt, const struct plan_op *op,
                 struct mgr_error *err);

/* The statement of op into sql and its parameters: how many. */
size_t vtable_op_sql(const struct vtable *vt, const struct plan_op *op,
                     struct mgr_buf *sql, const char *params[2]);

/* DELETE every row (stamp --purge). */
int vtable_purge(struct vtable *vt, struct mgr_error *err);

/*
 * migrator_log: one row per step, oldest first by applied_at (UTC with
 * microseconds, so text order is time order).
 *   direction  "upgrade", "downgrade", "stamp", or "accept" (a checksum
 *              accepted with resolve --accept-checksum)
 *   status     "applied"; for a transaction=false section first
 *              "pending", then "applied" or "failed" (detail says where),
 *              and after `resolve`, "resolved-applied" or
 *              "resolved-rolled-back"
 */
#define VTABLE_APPLIED "applied"
#define VTABLE_PENDING "pending"
#define VTABLE_FAILED "failed"

struct vtable_log_entry {
    const char *revision;
    const char *direction;
    const char *status;
    const char *checksum;   /* "sha256:..." or "" */
    long duration_ms;
    const char *detail;     /* "" or what failed */
};

int vtable_log(struct vtable *vt, const struct vtable_log_entry *e,
               struct mgr_error *err);

#define VTABLE_LOG_NCOLS 8
#define VTABLE_LOG_COLUMNS \
    "revision, direction, status, checksum, applied_at, duration_ms, " \
    "applied_by, detail"

/* The values of e's log row in VTABLE_LOG_COLUMNS order, stamped now;
 * when and duration hold the text of two of them. */
void vtable_log_values(struct vtable *vt, const struct vtable_log_entry *e,
                       char when[32], char duration[24],
                       const char *values[VTABLE_LOG_NCOLS]);

/* Change the status (and detail) of revision's rows that have status
 * from. */
int vtable_log_set_status(struct vtable *vt, const char *revision,
                          const char *from, const char *to,
                          const char *detail, struct mgr_error *err);

struct vtable_log_row {
    char *revision, *direction, *status, *checksum, *applied_at, *detail;
};

struct vtable_log_rows {
    struct vtable_log_row *v;
    size_t len, alloc;
};
#define VTABLE_LOG_ROWS_INIT { NULL, 0, 0 }

/* Every row of migrator_log, oldest first (none when it is missing). */
int vtable_log_read(struct vtable *vt, struct vtable_log_rows *out,
                    struct mgr_error *err);
void vtable_log_rows_release(struct vtable_log_rows *rows);

#endif
