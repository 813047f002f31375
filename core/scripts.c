/*
 * scripts.c: find the revision scripts and build the graph from their
 * headers.
 *
 * Every file of every version location is offered, sorted by name
 * byte-wise and location by location, to the format plugin that claims
 * its ending. That order is the revision-map order, which orders `heads`
 * and breaks ties in every traversal. Only headers are read here.
 */
#include "autoconfig.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "graph.h"
#include "loader.h"
#include "meta.h"
#include "script_cache.h"
#include "scripts.h"
#include "util.h"

static void warn_refused(void *unused, const char *path,
                         const struct mgr_error *why)
{
    (void)unused;
    (void)path;
    MGR_WARN("%s", why->msg);
}

static bool have_format(const struct mgr_ctx *ctx)
{
    size_t n = plugin_set_count(ctx->plugins);

    for (size_t i = 0; i < n; i++)
        if (plugin_set_get(ctx->plugins, i)->desc->kind ==
            MGR_PLUGIN_FORMAT)
            return true;
    return false;
}

static int load_formats(struct mgr_ctx *ctx)
{
    int rc = loader_ctx_plugins(ctx);

    if (rc == MGR_OK)
        rc = plugin_set_load_all(ctx->plugins, MGR_PLUGIN_FORMAT,
                                     warn_refused, NULL, &ctx->err);
    if (rc == MGR_OK && !have_format(ctx))
        rc = mgr_error_set(&ctx->err, MGR_EPLUGIN,
                           "no script format plugin could be loaded; see "
                           "'migrator plugins'");
    return rc;
}

/* The format plugin that claims name's ending, or NULL. */
static const struct mgr_loaded_plugin *format_for(const struct mgr_ctx *ctx,
                                                  const char *name)
{
    size_t n = plugin_set_count(ctx->plugins);

    for (size_t i = 0; i < n; i++) {
        const struct mgr_loaded_plugin *p = plugin_set_get(ctx->plugins,
                                                               i);
        const struct mgr_format_ops *ops;

        if (p->desc->kind != MGR_PLUGIN_FORMAT)
            continue;
        ops = p->ops;
        for (const char *const *ext = ops->extensions; ext && *ext; ext++)
            if (str_has_suffix(name, *ext))
                return p;
    }
    return NULL;
}

static int parse_script(struct mgr_ctx *ctx,
                        const struct mgr_loaded_plugin *fmt,
                        const char *path)
{
    const struct mgr_format_ops *ops = fmt->ops;
    struct revision *rev = revision_list_add(&ctx->revisions);
    struct mgr_script_meta meta;
    int rc;

    rev->format = fmt;
    meta_init(&meta, rev, path);
    rc = ops->parse_header(fmt->state, path, &meta, &ctx->err);
    /* A script that cannot be read is a script error like any other:
     * nothing was sent, and the message names the file. */
    if (rc == MGR_EIO)
        rc = ctx->err.code = MGR_ESCRIPT;
    if (rc == MGR_OK)
        rc = meta_finish(&meta, &ctx->err);
    return rc;
}

/*
 * Whether the entry at path is a script to parse: a regular file, or a
 * link to one. A directory is passed over; an entry that cannot be
 * examined (a dangling link, a link loop, no permission) or that is
 * another kind of file is an error, not a script silently left out.
 */
static int is_script_file(struct mgr_ctx *ctx, const struct dirent *d,
                          const char *path, bool *yes_out)
{
    struct stat st;

    *yes_out = d->d_type == DT_REG;
    /* d_type saves a stat() per script on most file systems. */
    if (*yes_out || d->d_type == DT_DIR)
        return MGR_OK;
    if (stat(path, &st) != 0)
        return mgr_error_set_errno(&ctx->err, MGR_ESCRIPT, errno,
                                   "cannot read script '%s'", path);
    if (S_ISDIR(st.st_mode))
        return MGR_OK;
    if (!S_ISREG(st.st_mode))
        return mgr_error_set(&ctx->err, MGR_ESCRIPT,
                             "cannot read script '%s': not a regular file",
                             path);
    *yes_out = true;
    return MGR_OK;
}

/* Byte-wise, not by locale: the order must be the same everywhere. */
static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int not_hidden(const struct dirent *d)
{
    return d->d_name[0] != '.';
}

static int scan_location(struct mgr_ctx *ctx, const char *dir)
{
    struct dirent **names;
    struct mgr_buf path = MGR_BUF_INIT;
    int n, rc = MGR_OK;

    n = scandir(dir, &names, not_hidden, by_name);
    if (n < 0)
        return mgr_error_set_errno(&ctx->err, MGR_ECONFIG, errno,
                                   "cannot read version location '%s'",
                                   dir);
    for (int i = 0; i < n; i++) {
        const struct mgr_loaded_plugin *fmt;
        bool script = false;

        if (rc == MGR_OK && (fmt = format_for(ctx, names[i]->d_name))) {
            mgr_buf_reset(&path);
            mgr_buf_addf(&path, "%s/%s", dir, names[i]->d_name);
            rc = is_script_file(ctx, names[i], path.buf, &script);
            if (rc == MGR_OK && script)
                rc = parse_script(ctx, fmt, path.buf);
        }
        free(names[i]);
    }
    free(names);
    mgr_buf_release(&path);
    return rc;
}

/* Two locations naming one directory would load every script twice. */
static int seen_before(char **real, size_t n, const char *dir)
{
    for (size_t i = 0; i < n; i++)
        if (real[i] && strcmp(real[i], dir) == 0)
            return 1;
    return 0;
}

static int scan_locations(struct mgr_ctx *ctx)
{
    char **locations = config_get_paths(ctx->config,
                                            "version_locations");
    char **real;
    size_t n = 0;
    int rc = MGR_OK;

    while (locations[n])
        n++;
    real = xcalloc(n + 1, sizeof(*real));
    for (size_t i = 0; i < n && rc == MGR_OK; i++) {
        real[i] = realpath(locations[i], NULL);
        if (!real[i]) {
            rc = mgr_error_set_errno(&ctx->err, MGR_ECONFIG, errno,
                                     "version location '%s' is not usable "
                                     "(check version_locations in '%s')",
                                     locations[i],
                                     config_path(ctx->config));
        } else if (seen_before(real, i, real[i])) {
            MGR_WARN("version location '%s' is listed twice; ignoring it",
                     locations[i]);
        } else {
            rc = scan_location(ctx, locations[i]);
        }
    }
    for (size_t i = 0; i < n; i++)
        free(real[i]);
    free(real);
    strv_list_free(locations);
    return rc;
}

int scripts_prepare(struct mgr_ctx *ctx)
{
    int rc = load_formats(ctx);

    /* The headers are read through the script cache: a new scan reads
     * the files again. */
    script_cache_clear(plugin_set_scripts(ctx->plugins));
    if (rc == MGR_OK)
        rc = scan_locations(ctx);
    if (rc == MGR_OK)
        rc = graph_build(&ctx->graph, ctx->revisions.items,
                         ctx->revisions.len, &ctx->err);
    return rc;
}

void scripts_release(struct mgr_ctx *ctx)
{
    graph_free(ctx->graph);
    ctx->graph = NULL;
    revision_list_release(&ctx->revisions);
}
