/* runner.c: a plan run against a database. */
#include "autoconfig.h"

#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "checksum.h"
#include "config.h"
#include "exec.h"
#include "loader.h"
#include "lockretry.h"
#include "report.h"
#include "runner.h"
#include "runner_lock.h"
#include "script_cache.h"
#include "tableformat.h"
#include "util.h"

static volatile sig_atomic_t caught_signal;
/* The connection whose statement a signal cancels; set during a run. */
static struct db *volatile running_db;

static void on_signal(int sig)
{
    struct db *db = running_db;

    /* A second signal does not wait for the rollback. */
    if (caught_signal) {
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    caught_signal = sig;
    if (db && db->conn && db->ops->interrupt)
        db->ops->interrupt(db->conn);
}

/* The handlers in place before runner_catch_signals(), for an
 * application that embeds the engine and gets its own back. */
static struct sigaction old_int, old_term;
static bool caught;

void runner_catch_signals(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    caught_signal = 0;
    sigaction(SIGINT, &sa, caught ? NULL : &old_int);
    sigaction(SIGTERM, &sa, caught ? NULL : &old_term);
    caught = true;
}

void runner_release_signals(void)
{
    if (!caught)
        return;
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    caught = false;
}

int runner_interrupted(void)
{
    return caught_signal;
}

static long elapsed_ms(const struct timespec *t0)
{
    struct timespec t1;

    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (t1.tv_sec - t0->tv_sec) * 1000L +
           (t1.tv_nsec - t0->tv_nsec) / 1000000L;
}

static int open_runner(struct runner *r, struct mgr_ctx *ctx, bool lock,
                       bool read_only)
{
    bool per_migration = false;
    int rc;

    memset(r, 0, sizeof(*r));
    mgr_buf_init(&r->held, 0);
    r->ctx = ctx;
    /* A run reads each script once, from here on (script_cache.h). */
    script_cache_begin_run(plugin_set_scripts(ctx->plugins));
    rc = config_get_bool(ctx->config, "transaction_per_migration",
                             &per_migration, &ctx->err);
    if (rc == MGR_OK)
        rc = config_get_duration_ms(ctx->config, "lock_wait",
                                        &r->lock_wait_ms, &ctx->err);
    if (rc == MGR_OK)
        rc = config_get_duration_ms(ctx->config, "statement_lock_timeout",
                                    &r->lock_timeout_ms, &ctx->err);
    if (rc == MGR_OK)
        rc = config_get_count(ctx->config, "lock_retries", &r->lock_retries,
                              &ctx->err);
    if (rc != MGR_OK)
        return rc;
    r->per_migration = per_migration;
    rc = read_only ? db_open_read_only(ctx, &r->db) : db_open(ctx, &r->db);
    if (rc == MGR_OK)
        rc = vtable_init(&r->vt, &r->db,
                         config_get(ctx->config, "version_table"),
                         config_get(ctx->config, "version_table_schema"),
                         &ctx->err);
    snprintf(r->lock_key, sizeof(r->lock_key), "%s",
             r->vt.qtable.len ? r->vt.qtable.buf : "migrator_version");
    if (rc == MGR_OK)
        rc = runner_lock_strategy(ctx, &r->lock_strategy);
    /* migrator's own tables: none newer than this binary before anything
     * is written (the table lock writes one), older ones upgraded under
     * the lock (tableformat.h). */
    if (rc == MGR_OK && lock)
        rc = tableformat_refuse_newer(&r->vt, &ctx->err);
    if (rc == MGR_OK && lock)
        rc = runner_take_lock(r);
    if (rc == MGR_OK && lock)
        rc = tableformat_upgrade(&r->vt, &ctx->err);
    /* Never start a lock queue: transactional sections wait at most this
     * long for a lock (lockretry.h). */
    if (rc == MGR_OK && lock)
        rc = db_set_lock_timeout(&r->db, r->lock_timeout_ms, &ctx->err);
    if (rc != MGR_OK)
        runner_close(r);
    return rc;
}

int runner_open(struct runner *r, struct mgr_ctx *ctx, bool lock)
{
    return open_runner(r, ctx, lock, false);
}

int runner_open_read_only(struct runner *r, struct mgr_ctx *ctx)
{
    return open_runner(r, ctx, false, true);
}

int runner_open_scratch(struct runner *r, struct mgr_ctx *ctx)
{
    const struct mgr_dialect_ops *ops;
    void *scratch = NULL;
    int rc;

    rc = runner_open(r, ctx, false);
    if (rc != MGR_OK)
        return rc;
    ops = r->db.ops;
    if (!MGR_OPS_HAS(ops, struct mgr_dialect_ops, scratch_close) ||
        !ops->scratch_open || !ops->scratch_close) {
        rc = mgr_error_set(&ctx->err, MGR_EUSAGE,
                           "the %s dialect cannot make a scratch database; "
                           "give one with --url",
                           r->db.dialect ? r->db.dialect : "configured");
        runner_close(r);
        return rc;
    }
    mgr_buf_init(&r->scratch_name, 0);
    rc = ops->scratch_open(r->db.state, r->db.conn, r->db.url, &scratch,
                           &r->scratch_name, &ctx->err);
    if (rc != MGR_OK) {
        mgr_buf_release(&r->scratch_name);
        runner_close(r);
        return rc;
    }
    r->scratch_parent = r->db.conn;
    r->db.conn = scratch;
    return MGR_OK;
}

/* Remove the scratch database and go back to the connection it was made
 * from, which db_close() then closes. */
static void close_scratch(struct runner *r)
{
    struct mgr_error err;

    memset(&err, 0, sizeof(err));
    if (r->db.ops->scratch_close(r->db.state, r->scratch_parent, r->db.conn,
                                 r->scratch_name.buf, &err) != MGR_OK)
        MGR_WARN("could not remove the scratch database '%s': %s",
                 r->scratch_name.buf, err.msg);
    r->db.conn = r->scratch_parent;
    r->scratch_parent = NULL;
    mgr_buf_release(&r->scratch_name);
}

void runner_close(struct runner *r)
{
    struct mgr_error ignored;

    mgr_buf_release(&r->held);
    if (!r->db.conn) {
        vtable_release(&r->vt);
        return;
    }
    if (r->in_transaction)
        r->db.ops->rollback(r->db.conn, &ignored);
    r->in_transaction = false;
    if (r->locked && runner_release_lock(r, &ignored) != MGR_OK)
        MGR_WARN("%s", ignored.msg);
    r->locked = false;
    if (r->scratch_parent)
        close_scratch(r);
    vtable_defer_reset(&r->defer);
    vtable_release(&r->vt);
    db_close(&r->db);
}

static int begin(struct runner *r)
{
    int rc;

    if (r->in_transaction)
        return MGR_OK;
    rc = r->db.ops->begin(r->db.conn, &r->ctx->err);
    r->in_transaction = rc == MGR_OK;
    r->tx_first = r->step_index;
    r->tx_has_nontx = false;
    return rc;
}

/* Write what the transaction has held back (vtable_defer.h). */
static int flush_deferred(struct runner *r)
{
    struct vtable_batch batch = VTABLE_BATCH_INIT;
    struct mgr_db_error dberr;
    size_t failed;
    int rc;

    if (vtable_defer_empty(&r->defer))
        return MGR_OK;
    vtable_defer_flush(&r->vt, &r->defer, &batch);
    rc = vtable_batch_run(&r->vt, &batch, &failed, &dberr, &r->ctx->err);
    vtable_batch_release(&batch);
    vtable_defer_reset(&r->defer);
    return rc;
}

static int commit(struct runner *r)
{
    int rc;

    if (!r->in_transaction)
        return MGR_OK;
    rc = flush_deferred(r);
    if (rc == MGR_OK)
        rc = runner_check_lock(r);
    if (rc != MGR_OK)
        return rc;
    rc = r->db.ops->commit(r->db.conn, &r->ctx->err);
    r->in_transaction = false;
    /* The COMMIT went out and no answer came back: the server may have
     * committed. */
    r->commit_lost = rc == MGR_ECONN;
    return rc;
}

/*
 * COMMIT the first upto steps of p. When the connection is lost during
 * the COMMIT, whether the steps since the last commit count is unknown:
 * the error says so and the reports count them apart.
 */
static int commit_steps(struct runner *r, const struct plan *p, size_t upto)
{
    const struct plan_step *last = upto ? &p->steps[upto - 1] : NULL;
    char cause[MGR_ERROR_SIZE];
    int rc = commit(r);

    if (rc == MGR_OK) {
        report_committed(r->ctx->report, upto);
        return MGR_OK;
    }
    if (!r->commit_lost)
        return rc;
    snprintf(cause, sizeof(cause), "%s", r->ctx->err.msg);
    report_commit_unknown(r->ctx->report, upto);
    return mgr_error_set(&r->ctx->err, MGR_ECONN,
                         "connection lost while committing %s: outcome "
                         "unknown; run 'migrator current' or re-run to see "
                         "(%s)",
                         last && last->rev ? last->rev->id : "the stamp",
                         cause);
}

int runner_ensure_tables(struct runner *r)
{
    int rc = begin(r);

    if (rc == MGR_OK)
        rc = vtable_ensure(&r->vt, &r->ctx->err);
    if (rc == MGR_OK)
        rc = tableformat_record(&r->vt, VTABLE_LOG_NAME, &r->ctx->err);
    if (rc == MGR_OK)
        rc = commit(r);
    return rc;
}

int runner_read_rows(struct runner *r, struct plan_rows *rows)
{
    return vtable_read(&r->vt, rows, NULL, &r->ctx->err);
}

int runner_fetch_rows(struct mgr_ctx *ctx, struct plan_rows *rows)
{
    struct runner r;
    int rc = runner_open(&r, ctx, false);

    if (rc == MGR_OK)
        rc = runner_read_rows(&r, rows);
    runner_close(&r);
    return rc;
}

static enum mgr_direction step_direction(const struct plan_step *step)
{
    return step->dir == PLAN_DOWNGRADE ? MGR_DOWNGRADE : MGR_UPGRADE;
}

/* What a transaction=false section needs recorded as it goes (R4). */
struct nontx {
    struct runner *r;
    const struct plan_step *step;
    const char *checksum;
    bool pending;   /* a pending row was committed */
};

static const char *direction_name(enum plan_dir dir);

/* A transaction=false section is about to commit the steps before it:
 * their bookkeeping goes first. */
static int nontx_before_commit(void *ctx, struct mgr_error *err)
{
    struct nontx *n = ctx;
    int rc = flush_deferred(n->r);

    (void)err;
    if (rc == MGR_OK)
        rc = runner_check_lock(n->r);
    return rc;
}

static int nontx_begin(void *ctx, struct mgr_error *err)
{
    struct nontx *n = ctx;
    struct vtable_log_entry e = { n->step->rev->id,
                                  direction_name(n->step->dir),
                                  VTABLE_PENDING, n->checksum, 0, "" };
    /* Only transactional sections run under the lock timeout: a
     * CREATE INDEX CONCURRENTLY must wait out older transactions. */
    int rc = db_set_lock_timeout(&n->r->db, 0, err);

    /* Whatever happens from here on is not to be run again. */
    n->r->tx_has_nontx = true;
    if (rc == MGR_OK)
        rc = vtable_log(&n->r->vt, &e, err);

    n->pending = rc == MGR_OK;
    return rc;
}

static void nontx_failed(void *ctx, int statement, int line,
                         const struct mgr_error *why)
{
    struct nontx *n = ctx;
    struct mgr_buf detail = MGR_BUF_INIT;
    struct mgr_error ignored;

    mgr_buf_addf(&detail, "statement %d (line %d): %s", statement, line,
                 why->msg);
    if (vtable_log_set_status(&n->r->vt, n->step->rev->id, VTABLE_PENDING,
                              VTABLE_FAILED, detail.buf,
                              &ignored) != MGR_OK)
        MGR_WARN("could not record the failure of %s: %s",
                 n->step->rev->id, ignored.msg);
    mgr_buf_release(&detail);
}

/* Run (or check) the section of step through the format plugin. */
static int run_section(struct runner *r, const struct plan_step *step,
                       enum exec_mode mode, struct nontx *hooks)
{
    const struct mgr_loaded_plugin *fmt = step->rev->format;
    const struct mgr_format_ops *ops = fmt->ops;
    struct mgr_exec x;
    int rc;

    exec_init_db(&x, mode, &r->db, step->rev->path, r->in_transaction);
    x.config = r->ctx->config;
    x.hold_last = mode == EXEC_ONLINE;
    if (hooks) {
        x.before_commit = nontx_before_commit;
        x.nontx_begin = nontx_begin;
        x.nontx_failed = nontx_failed;
        x.hook_ctx = hooks;
    }
    rc = ops->run_section(fmt->state, step->rev->path, step_direction(step),
                          &x, &r->ctx->err);
    if (mode == EXEC_ONLINE) {
        r->in_transaction = x.in_transaction;
        r->script_failed = x.failed;
        r->script_failed_line = x.failed_line;
        mgr_buf_reset(&r->held);
        mgr_buf_add(&r->held, x.held.buf, x.held.len);
        r->held_line = x.held_line;
    }
    exec_section_end(&x);
    exec_release(&x);
    return rc;
}

static bool step_has_section(const struct plan_step *step)
{
    return step->dir != PLAN_STAMP && step->rev && step->rev->format;
}

int runner_preflight(struct runner *r, const struct plan *p)
{
    for (size_t i = 0; i < p->nsteps; i++) {
        int rc;

        if (!step_has_section(&p->steps[i]))
            continue;
        rc = run_section(r, &p->steps[i], EXEC_CHECK, NULL);
        if (rc != MGR_OK)
            return rc;
    }
    return MGR_OK;
}

static const char *direction_name(enum plan_dir dir)
{
    switch (dir) {
    case PLAN_UPGRADE: return "upgrade";
    case PLAN_DOWNGRADE: return "downgrade";
    case PLAN_STAMP: break;
    }
    return "stamp";
}

/* The section of step i, which may commit what ran before it. */
static int run_step_section(struct runner *r, const struct plan *p,
                            size_t i, char *sum, struct nontx *hooks)
{
    const struct plan_step *step = &p->steps[i];
    bool was_in_transaction;
    int rc = script_cache_checksum(plugin_set_scripts(r->ctx->plugins),
                                   step->rev->path, sum, &r->ctx->err);

    if (rc == MGR_OK)
        rc = begin(r);
    was_in_transaction = r->in_transaction;
    if (rc == MGR_OK)
        rc = run_section(r, step, EXEC_ONLINE, hooks);
    /* A transaction=false section commits the steps before it. */
    if (was_in_transaction && !r->in_transaction && hooks->pending)
        report_committed(r->ctx->report, i);
    return rc;
}

/* The end of step i for the reports, with what is known of a failure. */
static void report_step_result(struct runner *r, const struct plan *p,
                               size_t i, int rc, double seconds)
{
    const struct plan_step *step = &p->steps[i];
    struct report_failure why;

    if (rc == MGR_OK) {
        report_step_end(r->ctx->report, p, i, rc, seconds, NULL, NULL);
        return;
    }
    memset(&why, 0, sizeof(why));
    if (r->db.failed && (rc == MGR_EDB || rc == MGR_ECONN)) {
        why.reason = r->db.failure_reason;
        why.db = &r->db.failure;
    }
    if (r->script_failed && step->rev) {
        why.file = step->rev->path;
        why.line = r->script_failed_line;
    }
    report_step_end(r->ctx->report, p, i, rc, seconds, &r->ctx->err,
                    why.reason ? &why : NULL);
}

/*
 * Send what records the step, led by the section's last statement when
 * one was held back: one round trip where the dialect can (batch). A
 * failure of that statement names its line, as when it ran alone.
 */
static int send_step(struct runner *r, const struct plan_step *step,
                     struct vtable_batch *batch)
{
    struct mgr_db_error dberr;
    size_t failed;
    int rc, line;

    if (batch->n == 0)
        return MGR_OK;
    if (runner_interrupted())
        return mgr_error_set(&r->ctx->err, MGR_EINTR,
                             "interrupted before recording %s",
                             step->rev ? step->rev->id : "the stamp");
    rc = vtable_batch_run(&r->vt, batch, &failed, &dberr, &r->ctx->err);
    if (rc == MGR_OK || !r->held.len || failed != 0)
        return rc;
    line = dberr.offset >= 0
               ? exec_line_at(r->held.buf, r->held.len, dberr.offset,
                              r->held_line)
               : r->held_line;
    r->script_failed = true;
    r->script_failed_line = line;
    mgr_error_prefix(&r->ctx->err, "%s:%d: ", step->rev->path, line);
    return rc;
}

static int run_step(struct runner *r, const struct plan *p, size_t i)
{
    const struct plan_step *step = &p->steps[i];
    struct vtable_log_entry entry;
    char sum[CHECKSUM_SIZE] = "";
    struct nontx hooks = { r, step, sum, false };
    struct vtable_batch batch = VTABLE_BATCH_INIT;
    struct timespec t0;
    int rc = MGR_OK;

    report_step_start(r->ctx->report, p, i);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    r->step_index = i;
    r->db.failed = false;
    r->script_failed = false;
    if (step_has_section(step))
        rc = run_step_section(r, p, i, sum, &hooks);
    if (rc == MGR_OK && hooks.pending)
        rc = db_set_lock_timeout(&r->db, r->lock_timeout_ms, &r->ctx->err);
    /* The version-table change commits with the step's DDL; after a
     * transaction=false section it gets a transaction of its own, with
     * the pending record turned into an applied one. */
    if (rc == MGR_OK)
        rc = begin(r);
    if (rc == MGR_OK && hooks.pending)
        r->tx_has_nontx = true;
    /* The section's last statement and what records the step go to the
     * database together (send_step). */
    if (rc == MGR_OK && r->held.len)
        vtable_batch_add(&batch, r->held.buf, NULL, 0, NULL);
    for (size_t k = 0; rc == MGR_OK && k < step->nops; k++)
        vtable_defer_op(&r->defer, &step->ops[k]);
    r->vt.batch = &batch;
    if (rc == MGR_OK && hooks.pending) {
        rc = vtable_log_set_status(&r->vt, step->rev->id, VTABLE_PENDING,
                                   VTABLE_APPLIED, "", &r->ctx->err);
    } else if (rc == MGR_OK && step->rev) {
        entry = (struct vtable_log_entry){ step->rev->id,
                                           direction_name(step->dir),
                                           VTABLE_APPLIED, sum,
                                           elapsed_ms(&t0), "" };
        vtable_defer_log(&r->vt, &r->defer, &entry);
    }
    r->vt.batch = NULL;
    /* A step that commits at once sends its bookkeeping with its last
     * statement (then commit() finds nothing left to write). */
    if (rc == MGR_OK && r->per_migration)
        vtable_defer_flush(&r->vt, &r->defer, &batch);
    if (rc == MGR_OK)
        rc = send_step(r, step, &batch);
    vtable_batch_release(&batch);
    if (r->per_migration)
        vtable_defer_reset(&r->defer);
    mgr_buf_reset(&r->held);
    if (rc == MGR_OK && runner_interrupted())
        rc = mgr_error_set(&r->ctx->err, MGR_EINTR,
                           "interrupted; rolled back the revision in "
                           "progress");
    if (rc != MGR_OK && hooks.pending)
        MGR_WARN("%s ran outside a transaction and is recorded as failed: "
                 "undo what it did, fix the script, then run 'migrator "
                 "resolve %s --mark-rolled-back' (or --mark-applied if you "
                 "completed it by hand)",
                 step->rev->id, step->rev->id);
    report_step_result(r, p, i, rc, (double)elapsed_ms(&t0) / 1000.0);
    return rc;
}

/*
 * Step i gave up waiting for a lock (lockretry.h). Roll its transaction
 * back and, when retries are left and nothing in it ran outside a
 * transaction, wait and return MGR_OK to run the transaction again from
 * its first step (r->tx_first). Otherwise the error stays, saying that
 * nothing of the revision was applied.
 */
static int after_lock_timeout(struct runner *r, const struct plan *p,
                              size_t i, unsigned long attempt)
{
    const struct plan_step *step = &p->steps[i];
    const char *id = step->rev ? step->rev->id : "the stamp";
    char cause[MGR_ERROR_SIZE];
    struct mgr_error ignored;
    long pause;

    if (r->in_transaction)
        r->db.ops->rollback(r->db.conn, &ignored);
    r->in_transaction = false;
    vtable_defer_reset(&r->defer);
    if (attempt > r->lock_retries || r->tx_has_nontx) {
        snprintf(cause, sizeof(cause), "%s", r->ctx->err.msg);
        if (attempt == 1)
            return mgr_error_set(&r->ctx->err, MGR_ELOCKTIMEOUT,
                                 "%s; rolled back: nothing of %s was "
                                 "applied",
                                 cause, id);
        return mgr_error_set(&r->ctx->err, MGR_ELOCKTIMEOUT,
                             "%s; rolled back: nothing of %s was applied "
                             "(after %lu %s)",
                             cause, id, attempt - 1,
                             attempt - 1 == 1 ? "retry" : "retries");
    }
    pause = lockretry_pause_ms(attempt);
    MGR_WARN("%s: %s; rolled back, trying again from %s in %.1f s (retry "
             "%lu of %lu)",
             id, r->ctx->err.msg,
             p->steps[r->tx_first].rev ? p->steps[r->tx_first].rev->id
                                       : "the stamp",
             (double)pause / 1000.0, attempt, r->lock_retries);
    report_rewind(r->ctx->report, r->tx_first);
    return lockretry_sleep(pause, &r->ctx->err);
}

int runner_execute(struct runner *r, const struct plan *p)
{
    unsigned long tries = 0;
    int rc = MGR_OK;

    running_db = &r->db;

    if (p->purge) {
        rc = begin(r);
        if (rc == MGR_OK)
            rc = vtable_purge(&r->vt, &r->ctx->err);
    }
    for (size_t i = 0; rc == MGR_OK && i < p->nsteps;) {
        rc = run_step(r, p, i);
        if (rc == MGR_ELOCKTIMEOUT) {
            rc = after_lock_timeout(r, p, i, ++tries);
            if (rc == MGR_OK)
                i = r->tx_first; /* run its transaction again */
            continue;
        }
        if (rc == MGR_OK && r->per_migration)
            rc = commit_steps(r, p, i + 1);
        i++;
    }
    if (rc == MGR_OK && r->in_transaction && r->before_last_commit) {
        rc = flush_deferred(r);
        if (rc == MGR_OK)
            r->before_last_commit(r, r->before_last_commit_arg);
    }
    if (rc == MGR_OK)
        rc = commit_steps(r, p, p->nsteps);
    if (rc != MGR_OK && r->in_transaction) {
        struct mgr_error ignored;

        r->db.ops->rollback(r->db.conn, &ignored);
        r->in_transaction = false;
    }
    vtable_defer_reset(&r->defer);
    running_db = NULL;
    /* A statement the signal cancelled fails like any other: say why. */
    if (rc != MGR_OK && rc != MGR_EINTR && runner_interrupted())
        rc = mgr_error_set(&r->ctx->err, MGR_EINTR,
                           "interrupted by signal %d; rolled back what was "
                           "not committed",
                           runner_interrupted());
    return rc;
}
