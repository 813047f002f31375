/*
 * project.c: the engine behind the library API of migrator.h: open a
 * project, ask its graph, run an upgrade with an event callback. The
 * read-only status is in status.c.
 */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include <ltdl.h>

#include "config.h"
#include "graph.h"
#include "loader.h"
#include "migrate.h"
#include "plan.h"
#include "project.h"
#include "report.h"
#include "runner.h"
#include "scripts.h"
#include "target.h"
#include "util.h"

/* The size of the 1.0 options: the smallest accepted. */
#define OPTIONS_V1_SIZE                                                 \
    (offsetof(struct mgr_project_options, plugin_dir) + sizeof(char *))

void mgr_strings_free(char **strings)
{
    strv_list_free(strings);
}

static char **strings_copy(const char *const *v, size_t n)
{
    char **out = xcalloc(n + 1, sizeof(*out));

    for (size_t i = 0; i < n; i++)
        out[i] = xstrdup(v[i]);
    return out;
}

char **project_strings(const char *const *v, size_t n)
{
    return strings_copy(v, n);
}

bool project_options_valid(const struct mgr_project_options *o)
{
    return o && o->size >= OPTIONS_V1_SIZE;
}

int project_load_config(struct mgr_ctx *ctx,
                        const struct mgr_project_options *o)
{
    const char *path = o->config_path;
    int rc;

    if (!path)
        path = getenv("MIGRATOR_CONFIG");
    if (!path || !*path)
        path = o->config_path && !*o->config_path ? NULL : "migrator.ini";
    if (path) {
        rc = config_load(&ctx->config, path, o->section, &ctx->err);
    } else {
        ctx->config = config_new_defaults();
        rc = MGR_OK;
    }
    for (size_t i = 0; rc == MGR_OK && o->values && o->values[i]; i++)
        rc = config_set_arg(ctx->config, o->values[i], &ctx->err);
    if (rc == MGR_OK && o->database_url)
        config_set(ctx->config, "database_url", o->database_url);
    return rc;
}

int mgr_project_open(const struct mgr_project_options *opts,
                     struct mgr_project **project_out,
                     struct mgr_error *err)
{
    struct mgr_project *p;
    int rc;

    if (!project_options_valid(opts))
        return mgr_error_set(err, MGR_EUSAGE,
                             "mgr_project_open: options missing or "
                             "smaller than struct mgr_project_options");
    if (lt_dlinit() != 0)
        return mgr_error_set(err, MGR_EPLUGIN, "cannot initialise libltdl");
    p = xcalloc(1, sizeof(*p));
    p->ctx.section = opts->section ? xstrdup(opts->section) : NULL;
    p->plugin_dir = opts->plugin_dir ? xstrdup(opts->plugin_dir) : NULL;
    p->ctx.plugin_dir = p->plugin_dir;
    p->ctx.default_plugin_dir = PLUGINDIR;
    if (PROJECT_OPTION(opts, default_plugin_dir)) {
        p->default_plugin_dir = xstrdup(opts->default_plugin_dir);
        p->ctx.default_plugin_dir = p->default_plugin_dir;
    }
    p->ctx.color = 0;
    rc = project_load_config(&p->ctx, opts);
    if (rc == MGR_OK)
        rc = loader_ctx_plugins(&p->ctx);
    if (rc == MGR_OK)
        rc = scripts_prepare(&p->ctx);
    if (rc != MGR_OK) {
        if (err)
            *err = p->ctx.err;
        mgr_project_free(p);
        return rc;
    }
    *project_out = p;
    return MGR_OK;
}

void mgr_project_free(struct mgr_project *p)
{
    if (!p)
        return;
    scripts_release(&p->ctx);
    plugin_set_free(p->ctx.plugins);
    config_free(p->ctx.config);
    free((char *)p->ctx.section);
    free(p->plugin_dir);
    free(p->default_plugin_dir);
    free(p);
    lt_dlexit();
}

size_t mgr_project_revision_count(const struct mgr_project *p)
{
    return p->ctx.graph ? p->ctx.graph->n : 0;
}

int mgr_project_heads(const struct mgr_project *p, char ***ids_out,
                      size_t *n_out, struct mgr_error *err)
{
    const struct graph *g = p->ctx.graph;
    char **ids = xcalloc(g->nheads + 1, sizeof(*ids));

    (void)err;
    for (size_t i = 0; i < g->nheads; i++)
        ids[i] = xstrdup(g->nodes[g->heads[i]].rev->id);
    *ids_out = ids;
    if (n_out)
        *n_out = g->nheads;
    return MGR_OK;
}

/* A NULL-terminated copy of the ids of list's nodes. */
static char **node_ids(const struct graph *g, const struct graph_list *l)
{
    char **ids = xcalloc(l->len + 1, sizeof(*ids));

    for (size_t i = 0; i < l->len; i++)
        ids[i] = xstrdup(g->nodes[l->v[i]].rev->id);
    return ids;
}

int mgr_project_history(const struct mgr_project *p, const char *lo,
                        const char *hi, char ***ids_out, size_t *n_out,
                        struct mgr_error *err)
{
    struct graph_list list = GRAPH_LIST_INIT;
    int rc;

    rc = plan_history(p->ctx.graph, lo, hi, NULL, 0, &list, err);
    if (rc == MGR_OK) {
        *ids_out = node_ids(p->ctx.graph, &list);
        if (n_out)
            *n_out = list.len;
    }
    graph_list_release(&list);
    return rc;
}

int mgr_project_show(const struct mgr_project *p, const char *rev,
                     struct mgr_revision_info *info_out,
                     struct mgr_error *err)
{
    const struct revision *r;
    size_t idx;
    int rc;

    rc = target_resolve_one(p->ctx.graph, rev, &idx, err);
    if (rc != MGR_OK)
        return rc;
    if (idx == GRAPH_NONE)
        return mgr_error_set(err, MGR_EREVISION,
                             "'%s' is base, not a revision", rev);
    r = p->ctx.graph->nodes[idx].rev;
    memset(info_out, 0, sizeof(*info_out));
    info_out->id = r->id;
    info_out->message = r->message;
    info_out->path = r->path;
    info_out->parents = (const char *const *)r->down;
    info_out->nparents = r->ndown;
    info_out->labels = (const char *const *)r->labels;
    info_out->nlabels = r->nlabels;
    info_out->depends_on = (const char *const *)r->depends;
    info_out->ndepends_on = r->ndepends;
    return MGR_OK;
}

/* An online upgrade or downgrade, its events to fn. */
static int run_online(struct mgr_project *p, const char *command,
                      enum plan_dir dir, const char *target,
                      mgr_event_fn fn, void *fn_ctx, struct mgr_error *err)
{
    struct mgr_ctx *ctx = &p->ctx;
    struct migrate_request req = { dir, target, NULL, 0, false };
    int rc;

    memset(&ctx->err, 0, sizeof(ctx->err));
    rc = report_open_listener(ctx, command, fn, fn_ctx);
    if (rc == MGR_OK) {
        report_set_target(ctx->report, target, false);
        rc = migrate_online(ctx, &req);
        runner_release_signals();
        if (rc != MGR_OK)
            report_failure(ctx->report, rc, mgr_status_exit_code(rc),
                           ctx->err.msg);
        report_finish(ctx->report, rc, mgr_status_exit_code(rc));
        ctx->report = NULL;
    }
    if (rc != MGR_OK && err)
        *err = ctx->err;
    return rc;
}

int mgr_project_upgrade(struct mgr_project *p, const char *target,
                        mgr_event_fn fn, void *fn_ctx,
                        struct mgr_error *err)
{
    return run_online(p, "upgrade", PLAN_UPGRADE, target, fn, fn_ctx, err);
}

int mgr_project_downgrade(struct mgr_project *p, const char *target,
                          mgr_event_fn fn, void *fn_ctx,
                          struct mgr_error *err)
{
    return run_online(p, "downgrade", PLAN_DOWNGRADE, target, fn, fn_ctx,
                      err);
}
