/*
 * op_plugins.c: mgr_plugins_scan() (`migrator plugins`). Tries every
 * module file on the search path and lists what loaded, what is shadowed
 * by an earlier directory and what was refused, with the reason.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ltdl.h>

#include "config.h"
#include "loader.h"
#include "project.h"
#include "run.h"
#include "util.h"

static struct mgr_plugin_file *files_add(struct mgr_plugin_files *fs,
                                         enum mgr_plugin_file_state state,
                                         const char *path)
{
    struct mgr_plugin_file *f;

    fs->v = xreallocarray(fs->v, fs->n + 1, sizeof(*fs->v));
    f = &fs->v[fs->n++];
    memset(f, 0, sizeof(*f));
    f->state = state;
    f->path = xstrdup(path);
    return f;
}

void mgr_plugin_files_free(struct mgr_plugin_files *fs)
{
    if (!fs)
        return;
    for (size_t i = 0; i < fs->n; i++) {
        free(fs->v[i].path);
        free(fs->v[i].name);
        free(fs->v[i].version);
        free(fs->v[i].shadowed_by);
        free(fs->v[i].reason);
    }
    free(fs->v);
    free(fs);
}

/*
 * A config is read only when one was named (config_path,
 * $MIGRATOR_CONFIG) or ./migrator.ini exists, so that a listing works
 * anywhere.
 */
static int load_config_if_present(struct mgr_ctx *ctx)
{
    const char *path = ctx->config_path;
    int rc;

    if (!path || !*path)
        path = getenv("MIGRATOR_CONFIG");
    if (!path || !*path) {
        if (access("migrator.ini", F_OK) != 0)
            return MGR_OK;
        path = "migrator.ini";
    }
    rc = config_load(&ctx->config, path, ctx->section, &ctx->err);
    for (int i = 0; rc == MGR_OK && i < ctx->nxargs; i++)
        rc = config_set_arg(ctx->config, ctx->xargs[i], &ctx->err);
    return rc;
}

static void describe_loaded(struct mgr_plugin_file *f,
                            const struct mgr_loaded_plugin *p)
{
    const struct mgr_plugin *d = p->desc;

    f->kind = plugin_kind_name(d->kind);
    f->name = xstrdup(d->name);
    f->version = d->version ? xstrdup(d->version) : NULL;
    f->abi_major = (unsigned)MGR_ABI_MAJOR_OF(d->abi_version);
    f->abi_minor = (unsigned)MGR_ABI_MINOR_OF(d->abi_version);
}

static void scan_file(struct mgr_plugin_set *set, const char *path,
                      struct mgr_plugin_files *fs)
{
    const struct mgr_loaded_plugin *p;
    struct mgr_error full, why;
    struct mgr_plugin_file *f;

    if (loader_load_file(set, path, &p, &full, &why) != MGR_OK) {
        f = files_add(fs, MGR_PLUGIN_FILE_REFUSED, path);
        f->reason = xstrdup(why.msg);
        f->code = why.code;
    } else if (strcmp(p->path, path) != 0) {
        f = files_add(fs, MGR_PLUGIN_FILE_SHADOWED, path);
        describe_loaded(f, p);
        f->shadowed_by = xstrdup(p->path);
    } else {
        f = files_add(fs, MGR_PLUGIN_FILE_LOADED, path);
        describe_loaded(f, p);
    }
}

static int scan_dir(struct mgr_plugin_set *set, const char *dir,
                    struct mgr_plugin_files *fs, struct mgr_error *err)
{
    char **files;
    int rc;

    rc = loader_list_dir(dir, &files, err);
    if (rc != MGR_OK)
        return rc;
    for (size_t i = 0; files[i]; i++) {
        struct mgr_buf path = MGR_BUF_INIT;

        mgr_buf_addstr(&path, dir);
        if (path.len == 0 || path.buf[path.len - 1] != '/')
            mgr_buf_addch(&path, '/');
        mgr_buf_addstr(&path, files[i]);
        scan_file(set, path.buf, fs);
        mgr_buf_release(&path);
    }
    strv_list_free(files);
    return MGR_OK;
}

static int scan(struct mgr_ctx *ctx, struct mgr_plugin_files *fs)
{
    struct mgr_plugin_set *set = NULL;
    char **dirs = NULL;
    int rc;

    rc = load_config_if_present(ctx);
    if (rc == MGR_OK)
        rc = loader_search_path(ctx, &dirs, &ctx->err);
    if (rc == MGR_OK)
        rc = plugin_set_new(&set, (const char *const *)dirs, &ctx->err);
    for (size_t i = 0; rc == MGR_OK && dirs[i]; i++) {
        MGR_INFO("searching '%s'", dirs[i]);
        rc = scan_dir(set, dirs[i], fs, &ctx->err);
    }
    plugin_set_free(set);
    strv_list_free(dirs);
    return rc;
}

int mgr_plugins_scan(const struct mgr_project_options *opts,
                     struct mgr_plugin_files **files_out,
                     struct mgr_error *err)
{
    struct mgr_plugin_files *fs;
    struct mgr_run *run;
    int rc;

    if (!project_options_valid(opts))
        return mgr_error_set(err, MGR_EUSAGE,
                             "mgr_plugins_scan: options missing or smaller "
                             "than struct mgr_project_options");
    if (lt_dlinit() != 0)
        return mgr_error_set(err, MGR_EPLUGIN,
                             "cannot initialise libltdl: %s", lt_dlerror());
    run = run_new(opts);
    fs = xcalloc(1, sizeof(*fs));
    rc = scan(&run->ctx, fs);
    run_result(run, rc, err);
    run_free(run);
    lt_dlexit();
    if (rc != MGR_OK) {
        mgr_plugin_files_free(fs);
        return rc;
    }
    *files_out = fs;
    return MGR_OK;
}
