/*
 * report.c: the reports of a command: loading the reporters, opening
 * their streams, and handing every event to each (report.h). The events
 * themselves are built in report_events.c.
 */
#include "autoconfig.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ctx.h"
#include "config.h"
#include "dburl.h"
#include "hostapi.h"
#include "loader.h"
#include "log.h"
#include "report_internal.h"
#include "util.h"

static double seconds_between(const struct timespec *a,
                              const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) +
           (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

double report_elapsed(const struct report *rp)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return seconds_between(&rp->t0, &now);
}

/* Colour for the terminal: --color, NO_COLOR, TERM, and both streams
 * being terminals (piped output gets no escape codes). */
static int want_color(const struct mgr_ctx *ctx)
{
    const char *term = getenv("TERM");

    if (ctx->color >= 0)
        return ctx->color;
    if (getenv("NO_COLOR") && *getenv("NO_COLOR"))
        return 0;
    if (!term || !*term || strcmp(term, "dumb") == 0)
        return 0;
    return isatty(STDOUT_FILENO) && isatty(STDERR_FILENO);
}

/* The progress line redraws itself with escape codes: terminals only,
 * and not when either stream is piped. */
static int want_progress(const struct mgr_ctx *ctx)
{
    const char *term = getenv("TERM");

    if (ctx->verbosity < 0 || !isatty(STDERR_FILENO) ||
        !isatty(STDOUT_FILENO))
        return 0;
    return term && *term && strcmp(term, "dumb") != 0;
}

/* Load reporter name and open a report to path (NULL: the terminal). */
static int add_sink(struct report *rp, struct mgr_ctx *ctx,
                    const char *name, const char *path)
{
    const struct mgr_loaded_plugin *p;
    struct report_sink *s;
    int rc;

    rc = plugin_set_load(ctx->plugins, MGR_PLUGIN_REPORTER, name, &p,
                             &ctx->err);
    if (rc != MGR_OK)
        return rc;
    /* The loader checked open, event and close (opscheck.c). */
    s = xcalloc(1, sizeof(*s));
    s->plugin = p;
    s->target.size = sizeof(s->target);
    s->target.verbosity = ctx->verbosity;
    if (path) {
        rc = report_file_open(&s->rf, path, &ctx->err);
        if (rc != MGR_OK) {
            free(s);
            return rc;
        }
        s->file = s->rf.f;
        s->path = xstrdup(path);
        s->target.out = s->target.log = s->file;
        s->target.path = s->path;
    } else {
        s->target.out = stdout;
        s->target.log = stderr;
        s->target.color = want_color(ctx);
        s->target.progress = want_progress(ctx);
    }
    rc = ((const struct mgr_reporter_ops *)p->ops)
             ->open(p->state, &s->target, &s->sink, &ctx->err);
    if (rc != MGR_OK) {
        report_file_close(&s->rf, false, NULL);
        free(s->path);
        free(s);
        return mgr_error_prefix(&ctx->err, "reporter '%s': ", name);
    }
    rp->sinks = xreallocarray(rp->sinks, rp->nsinks + 1,
                              sizeof(*rp->sinks));
    rp->sinks[rp->nsinks++] = s;
    return MGR_OK;
}

static const char *reporter_name(const struct mgr_ctx *ctx)
{
    const char *name = ctx->reporter;

    if (!name && ctx->config)
        name = config_get(ctx->config, "reporter");
    return name && *name ? name : "text";
}

static int open_sinks(struct report *rp, struct mgr_ctx *ctx)
{
    const char *name = reporter_name(ctx);
    int rc = add_sink(rp, ctx, name, ctx->report_file);

    /* A report written to a file leaves the terminal to the text one. */
    if (rc == MGR_OK && ctx->report_file)
        rc = add_sink(rp, ctx, "text", NULL);
    for (int i = 0; rc == MGR_OK && i < ctx->nreports; i++)
        rc = add_sink(rp, ctx, ctx->reports[i].reporter,
                      ctx->reports[i].path);
    return rc;
}

static void close_sink(struct report_sink *s, struct report *rp)
{
    const struct mgr_reporter_ops *ops = s->plugin->ops;
    struct mgr_error err;

    memset(&err, 0, sizeof(err));
    if (!s->closed && ops->close(s->sink, &err) != MGR_OK) {
        MGR_WARN("report '%s': %s", s->path ? s->path : "(stdout)",
                 err.msg);
        rp->io_failed = true;
        s->failed = true;
    }
    s->closed = true;
    /* A report that failed part-way is removed, not left half written. */
    if (s->file && report_file_close(&s->rf, !s->failed, &err) != MGR_OK) {
        MGR_WARN("%s", err.msg);
        rp->io_failed = true;
    }
    s->file = NULL;
    free(s->path);
    s->path = NULL;
}

/* Close every report and free rp; true when a report failed. */
static bool report_free(struct report *rp)
{
    bool io_failed;

    for (size_t i = 0; i < rp->nsinks; i++) {
        close_sink(rp->sinks[i], rp);
        free(rp->sinks[i]);
    }
    io_failed = rp->io_failed;
    report_error_release(&rp->error);
    report_error_release(&rp->step_error);
    free(rp->sinks);
    free(rp->target);
    free(rp->database);
    free(rp->url);
    free(rp);
    return io_failed;
}

/*
 * Warnings logged before the reports open (config keys, plugin refusals)
 * are held and reported after RUN_START.
 */
struct held_log {
    int level;
    char *text;
};
static struct held_log *held;
static size_t nheld;

/* The log hook while the reports are open: ctx is the report. */
static void log_to_report(void *ctx, int level, const char *text)
{
    report_message(ctx, level, text);
}

/* The log hook before they open: keep the line. */
static void log_to_held(void *ctx, int level, const char *text)
{
    (void)ctx;
    held = xreallocarray(held, nheld + 1, sizeof(*held));
    held[nheld].level = level;
    held[nheld].text = xstrdup(text);
    nheld++;
}

void report_hold_logs(void)
{
    log_set_hook(log_to_held, NULL);
}

/* The lock_waiting upcall of the plugins (ABI 1.0 dialects). */
static void lock_waiting_to_report(void *ctx, const char *key,
                                   const char *holder, long waited_ms,
                                   long wait_ms)
{
    report_lock_wait(ctx, key, holder, waited_ms, wait_ms);
}

/* Report the held lines to rp (NULL: drop them). */
static void release_held_logs(struct report *rp)
{
    for (size_t i = 0; i < nheld; i++) {
        if (rp)
            report_message(rp, held[i].level, held[i].text);
        free(held[i].text);
    }
    free(held);
    held = NULL;
    nheld = 0;
}

void report_drop_held_logs(void)
{
    release_held_logs(NULL);
}

/* The reports of ctx, with the reporters of ctx when with_sinks. */
static int open_reports(struct mgr_ctx *ctx, const char *command,
                        bool with_sinks)
{
    struct report *rp = xcalloc(1, sizeof(*rp));
    const char *url = ctx->config ? config_get(ctx->config,
                                                   "database_url")
                                  : NULL;
    struct mgr_buf masked = MGR_BUF_INIT;
    int rc;

    clock_gettime(CLOCK_MONOTONIC, &rp->t0);
    rp->command = command;
    rp->url = url && *url ? xstrdup(url) : NULL;
    if (rp->url) {
        dburl_mask(rp->url, &masked);
        rp->database = mgr_buf_detach(&masked, NULL);
    }
    rc = loader_ctx_plugins(ctx);
    if (rc == MGR_OK && with_sinks)
        rc = open_sinks(rp, ctx);
    if (rc != MGR_OK) {
        (void)report_free(rp);
        return rc;
    }
    ctx->report = rp;
    rp->plugins = ctx->plugins;
    plugin_set_listen(rp->plugins,
                      &(struct host_listener){ lock_waiting_to_report, rp });
    log_set_hook(log_to_report, rp);
    return MGR_OK;
}

int report_open(struct mgr_ctx *ctx, const char *command)
{
    return open_reports(ctx, command, true);
}

int report_open_listener(struct mgr_ctx *ctx, const char *command,
                         mgr_event_fn fn, void *fn_ctx)
{
    int rc = open_reports(ctx, command, false);

    if (rc == MGR_OK) {
        ctx->report->listener = fn;
        ctx->report->listener_ctx = fn_ctx;
    }
    return rc;
}

void report_set_target(struct report *rp, const char *target, bool offline)
{
    if (!rp)
        return;
    free(rp->target);
    rp->target = target ? xstrdup(target) : NULL;
    rp->offline = offline;
}

static void emit_run_start(struct report *rp)
{
    struct mgr_event ev;

    rp->started = true;
    report_event_init(&ev, MGR_EV_RUN_START);
    ev.target = rp->target;
    ev.database = rp->database;
    ev.offline = rp->offline;
    report_emit(rp, &ev);
    release_held_logs(rp);
}

void report_event_init(struct mgr_event *ev, enum mgr_event_type type)
{
    memset(ev, 0, sizeof(*ev));
    ev->size = sizeof(*ev);
    ev->type = type;
}

void report_emit(struct report *rp, struct mgr_event *ev)
{
    struct timespec now;

    if (!rp->started && ev->type != MGR_EV_RUN_START)
        emit_run_start(rp);
    clock_gettime(CLOCK_REALTIME, &now);
    ev->command = rp->command;
    ev->time = (double)now.tv_sec + (double)now.tv_nsec / 1e9;
    ev->elapsed = report_elapsed(rp);
    if (rp->listener)
        rp->listener(rp->listener_ctx, ev);
    for (size_t i = 0; i < rp->nsinks; i++) {
        struct report_sink *s = rp->sinks[i];
        const struct mgr_reporter_ops *ops = s->plugin->ops;
        struct mgr_error err;

        if (s->closed)
            continue;
        memset(&err, 0, sizeof(err));
        if (ops->event(s->sink, ev, &err) == MGR_OK)
            continue;
        /* Stop writing to it; the run goes on. */
        rp->io_failed = true;
        s->closed = true;
        s->failed = true;
        ops->close(s->sink, &err);
        mgr_log(MGR_LOG_WARNING, "report '%s' stopped: %s",
                s->path ? s->path : "(stdout)", err.msg);
    }
}

void report_redact(const struct report *rp, struct mgr_buf *text)
{
    if (rp->url)
        dburl_redact(rp->url, text);
}

int report_finish(struct report *rp, int status, int exit_code)
{
    struct mgr_event ev;

    if (!rp)
        return MGR_OK;
    report_event_init(&ev, MGR_EV_RUN_END);
    ev.status = status;
    ev.exit_code = exit_code;
    ev.seconds = report_elapsed(rp);
    ev.steps_run = rp->steps_run;
    ev.steps_committed = rp->steps_committed;
    ev.steps_unknown = rp->steps_unknown;
    ev.error = status != MGR_OK && rp->has_error ? &rp->error.ev : NULL;
    report_emit(rp, &ev);
    log_set_hook(NULL, NULL);
    if (rp->plugins)
        plugin_set_listen(rp->plugins, NULL);
    return report_free(rp) ? MGR_EIO : MGR_OK;
}
