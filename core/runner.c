/* runner.c: a plan run against a database. */
#include "autoconfig.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "checksum.h"
#include "config.h"
#include "exec.h"
#include "loader.h"
#include "revfmt.h"
#include "runner.h"

static volatile sig_atomic_t caught_signal;

static void on_signal(int sig)
{
    /* A second signal does not wait for the statement to end. */
    if (caught_signal) {
        signal(sig, SIG_DFL);
        raise(sig);
    }
    caught_signal = sig;
}

void runner_catch_signals(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
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

int runner_open(struct runner *r, struct mgr_ctx *ctx, bool lock)
{
    bool per_migration = false;
    int rc;

    memset(r, 0, sizeof(*r));
    r->ctx = ctx;
    rc = mgr_config_get_bool(ctx->config, "transaction_per_migration",
                             &per_migration, &ctx->err);
    if (rc == MGR_OK)
        rc = mgr_config_get_duration_ms(ctx->config, "lock_wait",
                                        &r->lock_wait_ms, &ctx->err);
    if (rc != MGR_OK)
        return rc;
    r->per_migration = per_migration;
    rc = db_open(ctx, &r->db);
    if (rc == MGR_OK)
        rc = vtable_init(&r->vt, &r->db,
                         mgr_config_get(ctx->config, "version_table"),
                         mgr_config_get(ctx->config, "version_table_schema"),
                         &ctx->err);
    snprintf(r->lock_key, sizeof(r->lock_key), "%s",
             r->vt.qtable.len ? r->vt.qtable.buf : "migrator_version");
    if (rc == MGR_OK && lock) {
        rc = r->db.ops->lock(r->db.conn, r->lock_key, r->lock_wait_ms,
                             &ctx->err);
        r->locked = rc == MGR_OK;
    }
    if (rc != MGR_OK)
        runner_close(r);
    return rc;
}

void runner_close(struct runner *r)
{
    struct mgr_error ignored;

    if (!r->db.conn) {
        vtable_release(&r->vt);
        return;
    }
    if (r->in_transaction)
        r->db.ops->rollback(r->db.conn, &ignored);
    r->in_transaction = false;
    if (r->locked && r->db.ops->unlock(r->db.conn, r->lock_key,
                                       &ignored) != MGR_OK)
        MGR_WARN("%s", ignored.msg);
    r->locked = false;
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
    return rc;
}

static int commit(struct runner *r)
{
    int rc;

    if (!r->in_transaction)
        return MGR_OK;
    rc = r->db.ops->commit(r->db.conn, &r->ctx->err);
    r->in_transaction = false;
    return rc;
}

int runner_ensure_tables(struct runner *r)
{
    int rc = begin(r);

    if (rc == MGR_OK)
        rc = vtable_ensure(&r->vt, &r->ctx->err);
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

/* Run (or check) the section of step through the format plugin. */
static int run_section(struct runner *r, const struct plan_step *step,
                       enum exec_mode mode)
{
    const struct mgr_loaded_plugin *fmt = step->rev->format;
    const struct mgr_format_ops *ops = fmt->ops;
    struct mgr_exec x;
    int rc;

    exec_init_db(&x, mode, &r->db, step->rev->path, r->in_transaction);
    rc = ops->run_section(fmt->state, step->rev->path, step_direction(step),
                          &x, &r->ctx->err);
    if (mode == EXEC_ONLINE)
        r->in_transaction = x.in_transaction;
    exec_section_end(&x);
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
        rc = run_section(r, &p->steps[i], EXEC_CHECK);
        if (rc != MGR_OK)
            return rc;
    }
    return MGR_OK;
}

static void announce(struct runner *r, const struct plan_step *step)
{
    struct mgr_buf line = MGR_BUF_INIT;

    if (r->ctx->verbosity < 0)
        return;
    revfmt_step(&line, step, true);
    fprintf(stderr, "%s\n", line.buf);
    mgr_buf_release(&line);
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

static int run_step(struct runner *r, const struct plan_step *step)
{
    struct vtable_log_entry entry;
    char sum[CHECKSUM_SIZE] = "";
    struct timespec t0;
    int rc = MGR_OK;

    announce(r, step);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (step_has_section(step)) {
        rc = checksum_file(step->rev->path, sum, &r->ctx->err);
        if (rc == MGR_OK)
            rc = begin(r);
        if (rc == MGR_OK)
            rc = run_section(r, step, EXEC_ONLINE);
    }
    /* The version-table change commits with the step's DDL; after a
     * transaction=false section it gets a transaction of its own. */
    if (rc == MGR_OK)
        rc = begin(r);
    for (size_t k = 0; rc == MGR_OK && k < step->nops; k++)
        rc = vtable_apply(&r->vt, &step->ops[k], &r->ctx->err);
    if (rc == MGR_OK && step->rev) {
        entry.revision = step->rev->id;
        entry.direction = direction_name(step->dir);
        entry.checksum = sum;
        entry.duration_ms = elapsed_ms(&t0);
        rc = vtable_log(&r->vt, &entry, &r->ctx->err);
    }
    if (rc == MGR_OK && runner_interrupted())
        rc = mgr_error_set(&r->ctx->err, MGR_EINTR,
                           "interrupted; rolled back the revision in "
                           "progress");
    return rc;
}

int runner_execute(struct runner *r, const struct plan *p)
{
    int rc = MGR_OK;

    if (p->purge) {
        rc = begin(r);
        if (rc == MGR_OK)
            rc = vtable_purge(&r->vt, &r->ctx->err);
    }
    for (size_t i = 0; rc == MGR_OK && i < p->nsteps; i++) {
        rc = run_step(r, &p->steps[i]);
        if (rc == MGR_OK && r->per_migration)
            rc = commit(r);
    }
    if (rc == MGR_OK)
        rc = commit(r);
    if (rc != MGR_OK && r->in_transaction) {
        struct mgr_error ignored;

        r->db.ops->rollback(r->db.conn, &ignored);
        r->in_transaction = false;
    }
    return rc;
}
