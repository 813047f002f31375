/*
 * run.c: the runs of <migrator/commands.h>: open one command's project
 * and reports, report its failure, end it; and the process-wide set-up
 * around runs (the plugin loader, held log lines, signals).
 */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include <ltdl.h>

#include "config.h"
#include "loader.h"
#include "project.h"
#include "report.h"
#include "run.h"
#include "runner.h"
#include "script_cache.h"
#include "scripts.h"
#include "util.h"

int mgr_global_init(struct mgr_error *err)
{
    report_hold_logs();
    if (lt_dlinit() != 0)
        return mgr_error_set(err, MGR_EPLUGIN,
                             "cannot initialise libltdl: %s", lt_dlerror());
    return MGR_OK;
}

void mgr_global_cleanup(void)
{
    report_drop_held_logs();
    runner_release_signals();
#ifndef MGR_KEEP_MODULES_LOADED
    lt_dlexit();
#endif
}

int mgr_interrupt_signal(void)
{
    return runner_interrupted();
}

/* A copy of s that the run owns, or NULL. */
static const char *keep(struct mgr_run *run, const char *s)
{
    if (!s)
        return NULL;
    run->strings = xreallocarray(run->strings, run->nstrings + 1,
                                 sizeof(*run->strings));
    run->strings[run->nstrings] = xstrdup(s);
    return run->strings[run->nstrings++];
}

static void keep_values(struct mgr_run *run, const char *const *values)
{
    struct mgr_ctx *ctx = &run->ctx;
    int n = 0;

    while (values && values[n])
        n++;
    ctx->xargs = xcalloc((size_t)n + 1, sizeof(*ctx->xargs));
    for (int i = 0; i < n; i++)
        ctx->xargs[i] = keep(run, values[i]);
    ctx->nxargs = n;
}

static void keep_reports(struct mgr_run *run,
                         const struct mgr_report_spec *specs, size_t n)
{
    struct mgr_ctx *ctx = &run->ctx;

    if (!specs || !n)
        return;
    ctx->reports = xcalloc(n, sizeof(*ctx->reports));
    for (size_t i = 0; i < n; i++) {
        ctx->reports[i].reporter = keep(run, specs[i].reporter);
        ctx->reports[i].path = keep(run, specs[i].path);
    }
    ctx->nreports = (int)n;
}

struct mgr_run *run_new(const struct mgr_project_options *o)
{
    struct mgr_run *run = xcalloc(1, sizeof(*run));
    struct mgr_ctx *ctx = &run->ctx;
    const char *dir;

    ctx->config_path = keep(run, o->config_path);
    ctx->section = keep(run, o->section);
    ctx->url = keep(run, o->database_url);
    ctx->plugin_dir = keep(run, o->plugin_dir);
    keep_values(run, o->values);
    dir = PROJECT_OPTION(o, default_plugin_dir);
    ctx->default_plugin_dir = dir ? keep(run, dir) : PLUGINDIR;
    dir = PROJECT_OPTION(o, template_dir);
    ctx->template_dir = dir ? keep(run, dir) : TEMPLATEDIR;
    ctx->reporter = keep(run, PROJECT_OPTION(o, reporter));
    ctx->report_file = keep(run, PROJECT_OPTION(o, report_file));
    keep_reports(run, PROJECT_OPTION(o, reports), PROJECT_OPTION(o, nreports));
    ctx->verbosity = PROJECT_OPTION(o, verbosity);
    ctx->color = PROJECT_OPTION(o, color);
    return run;
}

void run_free(struct mgr_run *run)
{
    if (!run)
        return;
    scripts_release(&run->ctx);
    plugin_set_free(run->ctx.plugins);
    config_free(run->ctx.config);
    free(run->ctx.xargs);
    free(run->ctx.reports);
    for (size_t i = 0; i < run->nstrings; i++)
        free(run->strings[i]);
    free(run->strings);
    free(run->protected_name);
    free(run->command);
    free(run);
}

int run_result(struct mgr_run *run, int rc, struct mgr_error *err)
{
    if (rc != MGR_OK && err)
        *err = run->ctx.err;
    return rc;
}

/*
 * The reports are opened even when the config failed to load, so that
 * the failure is reported too; a report that cannot be opened stops
 * everything before anything runs.
 */
int mgr_run_open(const struct mgr_project_options *opts,
                 const char *command, struct mgr_run **run_out,
                 struct mgr_error *err)
{
    struct mgr_error config_err;
    struct mgr_run *run;
    int rc, report_rc;

    *run_out = NULL;
    if (!project_options_valid(opts))
        return mgr_error_set(err, MGR_EUSAGE,
                             "mgr_run_open: options missing or smaller "
                             "than struct mgr_project_options");
    if (lt_dlinit() != 0)
        return mgr_error_set(err, MGR_EPLUGIN,
                             "cannot initialise libltdl: %s", lt_dlerror());
    run = run_new(opts);
    run->command = xstrdup(command);
    rc = project_load_config(&run->ctx, opts);
    config_err = run->ctx.err;
    report_rc = report_open(&run->ctx, run->command);
    if (report_rc != MGR_OK) {
        run_result(run, report_rc, err);
        run_free(run);
        lt_dlexit();
        return report_rc;
    }
    run->ctx.err = config_err;
    if (rc == MGR_OK)
        rc = scripts_prepare(&run->ctx);
    /* One command: its run takes the texts its scan read (each script is
     * read once). A project kept open reads them again at each run. */
    if (rc == MGR_OK)
        script_cache_hand_to_run(plugin_set_scripts(run->ctx.plugins));
    *run_out = run;
    return run_result(run, rc, err);
}

void mgr_run_fail(struct mgr_run *run, int status, int exit_code,
                  const char *message)
{
    if (run)
        report_failure(run->ctx.report, status, exit_code, message);
}

int mgr_run_end(struct mgr_run *run, int status, int exit_code)
{
    int rc;

    if (!run)
        return MGR_OK;
    rc = report_finish(run->ctx.report, status, exit_code);
    run->ctx.report = NULL;
    report_drop_held_logs();
    run_free(run);
    lt_dlexit();
    return rc;
}
