/*
 * lint_trace.c: lint --trace, the evidence behind the static rules.
 *
 * The range runs on a scratch database (made on dev_url's server when
 * dev_url is set, else on database_url's; the database of database_url
 * is never written), brought first to the revisions before the range.
 * Each revision then runs in a transaction of its own, statement by
 * statement, and after each statement the linter's queries tell which
 * locks the session took on relations that existed before the revision,
 * which relations got new storage (a rewrite), and which constraints
 * were added or validated. The transaction commits, so that the next
 * revision builds on it.
 *
 * A statement outside a transaction (CREATE INDEX CONCURRENTLY) has
 * released its locks by the time it returns. For it a second session
 * first opens a snapshot (trace_hold_sql), which such a statement waits
 * for with its locks taken, and a thread reads the locks of the first
 * session from there while it waits, then lets it go.
 */
#include "autoconfig.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "config.h"
#include "db.h"
#include "exec.h"
#include "lint.h"
#include "loader.h"
#include "migrate.h"
#include "report.h"
#include "revision.h"
#include "runner.h"
#include "util.h"

#define WATCH_TIMEOUT_MS 3000
#define WATCH_POLL_NS 2000000L

/* Rows of a query, each a fixed number of strings. */
struct rows {
    char **cells;
    size_t n, width;
};

static void rows_release(struct rows *r)
{
    for (size_t i = 0; i < r->n * r->width; i++)
        free(r->cells[i]);
    free(r->cells);
    r->cells = NULL;
    r->n = 0;
}

static const char *cell(const struct rows *r, size_t row, size_t col)
{
    return r->cells[row * r->width + col];
}

static int on_row(void *ctx, size_t ncols, const char *const *names,
                  const char *const *values)
{
    struct rows *r = ctx;

    (void)names;
    r->cells = xrealloc(r->cells, (r->n + 1) * r->width * sizeof(char *));
    for (size_t c = 0; c < r->width; c++)
        r->cells[r->n * r->width + c] =
            xstrdup(c < ncols && values[c] ? values[c] : "");
    r->n++;
    return MGR_OK;
}

/* The row of r whose first column is name, or r->n. */
static size_t find_row(const struct rows *r, const char *name)
{
    for (size_t i = 0; i < r->n; i++)
        if (!strcmp(cell(r, i, 0), name))
            return i;
    return r->n;
}

/* The second session and its thread. */
struct watcher {
    const struct mgr_dialect_ops *ops;
    void *conn;                /* NULL: statements outside a transaction
                                  go unwatched */
    const char *locks_sql;
    const char *session;       /* the traced session's id */
    const struct rows *existed;
    pthread_t thread;
    bool running;
    atomic_bool done;          /* the statement returned */
    struct rows seen;          /* the locks read while it ran */
};

struct tracer {
    struct mgr_lint *l;
    const struct mgr_linter_ops *q;
    struct runner r;
    char session[64];
    struct rows existed;       /* relations before the revision */
    struct rows before;        /* relations before the statement */
    struct rows cons_before;   /* constraints before the statement */
    struct rows held;          /* locks held after the last statement */
    struct mgr_exec *x;
    size_t script;
    struct timespec t0;
    struct watcher w;
    /* What each statement showed, for marking the findings. */
    struct traced {
        size_t script;
        int line;
        bool rewrite;
        struct rows locks;
    } *traced;
    size_t ntraced;
};

static int query(struct tracer *t, const char *sql, const char *param,
                 size_t width, struct rows *out)
{
    const char *params[1] = { param };

    rows_release(out);
    out->width = width;
    return db_query(&t->r.db, sql, params, param ? 1 : 0, on_row, out, NULL,
                    NULL, &t->l->ctx->err);
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;

    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) +
           (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* ---- the watcher -------------------------------------------------------- */

static void *watch_locks(void *arg)
{
    struct watcher *w = arg;
    struct timespec t0, pause = { 0, WATCH_POLL_NS };
    const char *params[1] = { w->session };

    clock_gettime(CLOCK_MONOTONIC, &t0);
    while (!atomic_load(&w->done) &&
           seconds_since(&t0) * 1000 < WATCH_TIMEOUT_MS) {
        struct rows now = { NULL, 0, 3 };
        struct mgr_error err;
        bool relevant = false;

        if (w->ops->query(w->conn, w->locks_sql, params, 1, on_row, &now,
                          NULL, NULL, &err) != MGR_OK) {
            rows_release(&now);
            break;
        }
        for (size_t i = 0; i < now.n; i++)
            relevant |= find_row(w->existed, cell(&now, i, 0)) <
                        w->existed->n;
        if (relevant) {
            rows_release(&w->seen);
            w->seen = now;
            break;
        }
        rows_release(&now);
        nanosleep(&pause, NULL);
    }
    /* Let the statement go on: it may be waiting for our snapshot. */
    {
        struct mgr_error err;

        w->ops->rollback(w->conn, &err);
    }
    return NULL;
}

static int watch_start(struct tracer *t)
{
    struct watcher *w = &t->w;
    struct rows ignored = { NULL, 0, 1 };
    struct mgr_error err;
    int rc;

    if (!w->conn || !t->q->trace_hold_sql)
        return MGR_OK;
    rc = w->ops->query(w->conn, t->q->trace_hold_sql, NULL, 0, NULL, NULL,
                       NULL, NULL, &err);
    /* The snapshot is taken by the first query of the transaction. */
    if (rc == MGR_OK)
        rc = w->ops->query(w->conn, t->q->trace_session_sql, NULL, 0, on_row,
                           &ignored, NULL, NULL, &err);
    rows_release(&ignored);
    if (rc != MGR_OK) {
        MGR_WARN("lint --trace: the second session failed (%s); statements "
                 "outside a transaction go unwatched",
                 err.msg);
        w->ops->rollback(w->conn, &err);
        return MGR_OK;
    }
    rows_release(&w->seen);
    w->seen.width = 3;
    atomic_store(&w->done, false);
    if (pthread_create(&w->thread, NULL, watch_locks, w) != 0) {
        w->ops->rollback(w->conn, &err);
        return MGR_OK;
    }
    w->running = true;
    return MGR_OK;
}

static void watch_stop(struct watcher *w)
{
    if (!w->running)
        return;
    atomic_store(&w->done, true);
    pthread_join(w->thread, NULL);
    w->running = false;
}

/*
 * How a second session reaches the scratch database: the URL with its
 * path replaced ("scheme://authority/NAME?query"), or a conninfo string
 * with "dbname=NAME" appended (the last dbname counts).
 */
static void url_for(const char *url, const char *name, struct mgr_buf *out)
{
    const char *auth = strstr(url, "://"), *path, *query;

    mgr_buf_reset(out);
    if (!auth) {
        mgr_buf_addf(out, "%s dbname=%s", url, name);
        return;
    }
    path = strchr(auth + 3, '/');
    query = strchr(auth + 3, '?');
    if (!path || (query && query < path))
        path = query ? query : auth + strlen(auth);
    mgr_buf_add(out, url, (size_t)(path - url));
    mgr_buf_addf(out, "/%s", name);
    if (query)
        mgr_buf_addstr(out, query);
}

static void watcher_open(struct tracer *t)
{
    struct watcher *w = &t->w;
    struct mgr_buf url = MGR_BUF_INIT;
    struct mgr_error err;

    w->ops = t->r.db.ops;
    w->locks_sql = t->q->trace_locks_sql;
    w->session = t->session;
    w->existed = &t->existed;
    url_for(t->r.db.url, t->r.scratch_name.buf ? t->r.scratch_name.buf : "",
            &url);
    if (url.len && t->r.scratch_name.len &&
        db_connect_url(&t->r.db, url.buf, &w->conn, &err) != MGR_OK)
        w->conn = NULL;
    mgr_buf_release(&url);
}

/* ---- one statement ------------------------------------------------------ */

static const char *l_path(const struct tracer *t)
{
    return t->l->scripts[t->script].rev->path;
}

static int before_statement(void *ctx, struct mgr_error *err)
{
    struct tracer *t = ctx;
    int rc;

    (void)err;
    rc = query(t, t->q->trace_relations_sql, NULL, 2, &t->before);
    if (rc == MGR_OK && t->q->trace_constraints_sql)
        rc = query(t, t->q->trace_constraints_sql, NULL, 3, &t->cons_before);
    if (rc == MGR_OK && !t->x->in_transaction)
        rc = watch_start(t);
    clock_gettime(CLOCK_MONOTONIC, &t->t0);
    return rc;
}

/* The locks of now that held did not have, on relations that existed. */
static void new_locks(struct tracer *t, const struct rows *now,
                      struct rows *out)
{
    out->width = 3;
    for (size_t i = 0; i < now->n; i++) {
        const char *rel = cell(now, i, 0), *mode = cell(now, i, 1);
        bool had = false;

        if (find_row(&t->existed, rel) == t->existed.n)
            continue;
        for (size_t j = 0; j < t->held.n && !had; j++)
            had = !strcmp(cell(&t->held, j, 0), rel) &&
                  !strcmp(cell(&t->held, j, 1), mode);
        if (had)
            continue;
        const char *v[3] = { rel, mode, cell(now, i, 2) };
        on_row(out, 3, NULL, v);
    }
}

/* Relations with new storage, and constraints added or validated. */
static void changes(struct tracer *t, const struct rows *after,
                    const struct rows *cons_after, const char ***rewritten,
                    size_t *nrewritten, const char ***cons, size_t *ncons)
{
    for (size_t i = 0; i < after->n; i++) {
        size_t j = find_row(&t->before, cell(after, i, 0));

        if (j == t->before.n ||
            find_row(&t->existed, cell(after, i, 0)) == t->existed.n ||
            !strcmp(cell(&t->before, j, 1), cell(after, i, 1)))
            continue;
        *rewritten = xrealloc(*rewritten, (*nrewritten + 1) * sizeof(char *));
        (*rewritten)[(*nrewritten)++] = cell(after, i, 0);
    }
    for (size_t i = 0; i < cons_after->n; i++) {
        bool same = false, existed = false;

        for (size_t j = 0; j < t->cons_before.n && !same; j++)
            if (!strcmp(cell(&t->cons_before, j, 0), cell(cons_after, i, 0)) &&
                !strcmp(cell(&t->cons_before, j, 1), cell(cons_after, i, 1))) {
                existed = true;
                same = !strcmp(cell(&t->cons_before, j, 2),
                               cell(cons_after, i, 2));
            }
        if (same)
            continue;
        char *text = NULL;
        struct mgr_buf b = MGR_BUF_INIT;

        mgr_buf_addf(&b, "%s on %s (%s)", cell(cons_after, i, 0),
                     cell(cons_after, i, 1),
                     !strcmp(cell(cons_after, i, 2), "t")
                         ? (existed ? "validated" : "added, validated")
                         : "added NOT VALID");
        text = mgr_buf_detach(&b, NULL);
        *cons = xrealloc(*cons, (*ncons + 1) * sizeof(char *));
        (*cons)[(*ncons)++] = text;
    }
}

/* What the statement did: a TRACE event, kept for marking the findings
 * (which takes over *added). */
struct seen {
    struct rows added;             /* the locks it took */
    const char **rewritten;
    size_t nrewritten;
    const char **cons;             /* "name on table (...)", allocated */
    size_t ncons;
};

static void report_statement(struct tracer *t, int line, const char *text,
                             double seconds, struct seen *w)
{
    struct mgr_event_lock *locks = xcalloc(w->added.n + 1, sizeof(*locks));
    const struct mgr_event_lock **lockv =
        xcalloc(w->added.n + 1, sizeof(*lockv));

    for (size_t i = 0; i < w->added.n; i++) {
        locks[i] = (struct mgr_event_lock){ cell(&w->added, i, 0),
                                            cell(&w->added, i, 1),
                                            cell(&w->added, i, 2) };
        lockv[i] = &locks[i];
    }
    struct mgr_event_trace ev = {
        l_path(t), line, t->l->scripts[t->script].rev->id, text, seconds,
        lockv, w->added.n, w->rewritten, w->nrewritten,
        (const char *const *)w->cons, w->ncons
    };
    report_trace(t->l->ctx->report, &ev);
    t->traced = xrealloc(t->traced, (t->ntraced + 1) * sizeof(*t->traced));
    t->traced[t->ntraced++] = (struct traced){ t->script, line,
                                               w->nrewritten > 0, w->added };
    w->added = (struct rows){ NULL, 0, 3 };
    free(locks);
    free(lockv);
}

static int after_statement(void *ctx, const char *stmt, size_t len, int line,
                           struct mgr_error *err)
{
    struct tracer *t = ctx;
    double seconds = seconds_since(&t->t0);
    struct rows now = { NULL, 0, 3 };
    struct rows after = { NULL, 0, 2 }, cons_after = { NULL, 0, 3 };
    struct seen w = { { NULL, 0, 3 }, NULL, 0, NULL, 0 };
    char *text = xstrndup(stmt, len);
    int rc = MGR_OK;

    (void)err; /* the queries fill the run's error, which err is */
    if (t->w.running) {
        watch_stop(&t->w);
        now = t->w.seen;
        t->w.seen = (struct rows){ NULL, 0, 3 };
    } else {
        rc = query(t, t->q->trace_locks_sql, t->session, 3, &now);
    }
    if (rc == MGR_OK)
        rc = query(t, t->q->trace_relations_sql, NULL, 2, &after);
    if (rc == MGR_OK && t->q->trace_constraints_sql)
        rc = query(t, t->q->trace_constraints_sql, NULL, 3, &cons_after);
    if (rc == MGR_OK) {
        new_locks(t, &now, &w.added);
        changes(t, &after, &cons_after, &w.rewritten, &w.nrewritten, &w.cons,
                &w.ncons);
        report_statement(t, line, text, seconds, &w);
    }
    /* In a transaction, locks last until it ends. */
    if (t->x->in_transaction) {
        rows_release(&t->held);
        t->held = now;
    } else {
        rows_release(&now);
    }
    for (size_t i = 0; i < w.ncons; i++)
        free((char *)w.cons[i]);
    free(w.cons);
    free(w.rewritten);
    rows_release(&after);
    rows_release(&cons_after);
    rows_release(&w.added);
    free(text);
    return rc;
}

/* ---- a revision --------------------------------------------------------- */

static int trace_revision(struct tracer *t, size_t script)
{
    const struct revision *rev = t->l->scripts[script].rev;
    const struct mgr_format_ops *ops = rev->format->ops;
    const struct exec_watch watch = { NULL, NULL, before_statement,
                                      after_statement, t };
    struct mgr_exec x;
    int rc;

    t->script = script;
    rc = query(t, t->q->trace_relations_sql, NULL, 2, &t->existed);
    if (rc == MGR_OK)
        rc = t->r.db.ops->begin(t->r.db.conn, &t->l->ctx->err);
    if (rc != MGR_OK)
        return rc;
    rows_release(&t->held);
    t->held.width = 3;
    exec_init_db(&x, EXEC_ONLINE, &t->r.db, rev->path, true);
    x.config = t->l->ctx->config;
    x.watch = &watch;
    t->x = &x;
    rc = ops->run_section(rev->format->state, rev->path, MGR_UPGRADE, &x,
                          &t->l->ctx->err);
    watch_stop(&t->w);
    exec_section_end(&x);
    exec_release(&x);
    if (x.in_transaction) {
        struct mgr_error ignored;

        if (rc == MGR_OK)
            rc = t->r.db.ops->commit(t->r.db.conn, &t->l->ctx->err);
        else
            t->r.db.ops->rollback(t->r.db.conn, &ignored);
    }
    t->x = NULL;
    return rc;
}

/* ---- findings: confirmed or not seen ------------------------------------ */

/* The last part of a relation name, without quotes: "public.t" -> "t". */
static void base_name(const char *name, char *out, size_t size)
{
    const char *dot = strrchr(name, '.');
    size_t n = 0;

    for (const char *p = dot ? dot + 1 : name; *p && n + 1 < size; p++)
        if (*p != '"')
            out[n++] = *p;
    out[n] = '\0';
}

static bool same_table(const char *a, const char *b)
{
    char x[256], y[256];

    base_name(a, x, sizeof(x));
    base_name(b, y, sizeof(y));
    return strcasecmp(x, y) == 0;
}

static void mark(struct tracer *t, struct lint_finding *f)
{
    bool want_rewrite = f->flags & MGR_FINDING_REWRITE;
    bool seen = false, traced = false;

    if (!f->stmt || f->stmt->pub.dir != MGR_UPGRADE ||
        (!want_rewrite && !f->lock_mode))
        return;
    for (size_t i = 0; i < t->ntraced; i++) {
        const struct traced *tr = &t->traced[i];
        bool lock_ok = !f->lock_mode;

        if (tr->script != f->script || tr->line != f->stmt->pub.line)
            continue;
        traced = true;
        for (size_t k = 0; k < tr->locks.n && !lock_ok; k++)
            lock_ok = !strcmp(cell(&tr->locks, k, 1), f->lock_mode) &&
                      (!f->table || same_table(cell(&tr->locks, k, 0),
                                               f->table));
        seen = lock_ok && (!want_rewrite || tr->rewrite);
    }
    if (traced)
        f->ev.trace = seen ? "confirmed" : "not seen";
}

/* ---- the run ------------------------------------------------------------ */

static const struct mgr_linter_ops *
tracing_linter(const struct mgr_loaded_plugin *const *linters, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct mgr_linter_ops *ops = linters[i]->ops;

        if (ops->trace_relations_sql && ops->trace_session_sql &&
            ops->trace_locks_sql)
            return ops;
    }
    return NULL;
}

/* The scratch database at the revisions before the range. */
static int open_scratch(struct tracer *t, const char *const *start,
                        size_t nstart)
{
    struct mgr_ctx *ctx = t->l->ctx;
    const char *dev_url = config_get(ctx->config, "dev_url");
    struct rows pid = { NULL, 0, 1 };
    int rc;

    if (dev_url && *dev_url)
        config_set(ctx->config, "database_url", dev_url);
    rc = runner_open_scratch(&t->r, ctx);
    for (size_t i = 0; rc == MGR_OK && i < nstart; i++) {
        struct migrate_request req = { PLAN_UPGRADE, start[i], NULL, 0,
                                       false };

        rc = migrate_on(&t->r, &req, false);
    }
    if (rc == MGR_OK)
        rc = query(t, t->q->trace_session_sql, NULL, 1, &pid);
    if (rc == MGR_OK && pid.n)
        snprintf(t->session, sizeof(t->session), "%s", cell(&pid, 0, 0));
    rows_release(&pid);
    return rc;
}

int lint_trace(struct mgr_lint *l, const char *const *start, size_t nstart,
               const struct mgr_loaded_plugin *const *linters,
               size_t nlinters)
{
    struct tracer t;
    int rc;

    memset(&t, 0, sizeof(t));
    t.l = l;
    t.q = tracing_linter(linters, nlinters);
    if (!t.q)
        return mgr_error_set(&l->ctx->err, MGR_EUSAGE,
                             "lint --trace: no linter for the %s dialect "
                             "can trace (the postgresql one can)",
                             l->dialect);
    runner_catch_signals();
    rc = open_scratch(&t, start, nstart);
    if (rc != MGR_OK)
        return rc;
    watcher_open(&t);
    for (size_t s = 0; rc == MGR_OK && s < l->nscripts; s++)
        rc = trace_revision(&t, s);
    for (size_t i = 0; rc == MGR_OK && i < l->nfindings; i++)
        mark(&t, &l->findings[i]);
    if (t.w.conn)
        t.w.ops->close(t.w.conn);
    runner_close(&t.r);
    report_forget_steps(l->ctx->report);
    for (size_t i = 0; i < t.ntraced; i++)
        rows_release(&t.traced[i].locks);
    free(t.traced);
    rows_release(&t.existed);
    rows_release(&t.before);
    rows_release(&t.cons_before);
    rows_release(&t.held);
    rows_release(&t.w.seen);
    return rc;
}
