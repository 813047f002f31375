/*
 * cmd_plugins.c: migrator plugins. Tries every module file on the search
 * path and prints what loaded, what is shadowed by an earlier directory
 * and what was refused, with the reason.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "config.h"
#include "loader.h"
#include "util.h"

enum line_type { LINE_PLUGIN, LINE_SHADOWED, LINE_REFUSED };

struct line {
    enum line_type type;
    const struct mgr_loaded_plugin *plugin; /* LINE_PLUGIN, _SHADOWED */
    char *path;
    char *reason; /* LINE_REFUSED */
};

struct listing {
    struct line *lines;
    size_t n;
    size_t alloc;
    size_t nrefused;
    bool trust_refused;
};

static struct line *listing_add(struct listing *ls, enum line_type type,
                                const char *path)
{
    struct line *l;

    if (ls->n == ls->alloc) {
        ls->alloc = ls->alloc ? 2 * ls->alloc : 16;
        ls->lines = xreallocarray(ls->lines, ls->alloc, sizeof(*ls->lines));
    }
    l = &ls->lines[ls->n++];
    memset(l, 0, sizeof(*l));
    l->type = type;
    l->path = xstrdup(path);
    return l;
}

static void listing_release(struct listing *ls)
{
    for (size_t i = 0; i < ls->n; i++) {
        free(ls->lines[i].path);
        free(ls->lines[i].reason);
    }
    free(ls->lines);
}

/*
 * The command is run without NEED_CONFIG: a config is read only when one
 * was named (-c, $MIGRATOR_CONFIG) or ./migrator.ini exists, so that
 * `migrator plugins` works anywhere.
 */
static int load_config_if_present(struct mgr_ctx *ctx)
{
    const char *path = ctx->config_path;
    int rc;

    if (ctx->config)
        return MGR_OK;
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

static int scan_dir(struct mgr_plugin_set *set, const char *dir,
                    struct listing *ls, struct mgr_error *err)
{
    char **files;
    int rc;

    rc = loader_list_dir(dir, &files, err);
    if (rc != MGR_OK)
        return rc;
    for (size_t i = 0; files[i]; i++) {
        const struct mgr_loaded_plugin *p;
        struct mgr_error full, why;
        struct mgr_buf path = MGR_BUF_INIT;
        struct line *l;

        mgr_buf_addstr(&path, dir);
        if (path.len == 0 || path.buf[path.len - 1] != '/')
            mgr_buf_addch(&path, '/');
        mgr_buf_addstr(&path, files[i]);
        if (loader_load_file(set, path.buf, &p, &full, &why) == MGR_OK) {
            bool shadowed = strcmp(p->path, path.buf) != 0;

            l = listing_add(ls, shadowed ? LINE_SHADOWED : LINE_PLUGIN,
                            path.buf);
            l->plugin = p;
        } else {
            l = listing_add(ls, LINE_REFUSED, path.buf);
            l->reason = xstrdup(why.msg);
            ls->nrefused++;
            if (why.code == MGR_ETRUST)
                ls->trust_refused = true;
        }
        mgr_buf_release(&path);
    }
    strv_list_free(files);
    return MGR_OK;
}

static const char *or_dash(const char *s)
{
    return s && *s ? s : "-";
}

static void print_listing(const struct listing *ls)
{
    int wkind = 0, wname = 0, wversion = 0;

    for (size_t i = 0; i < ls->n; i++) {
        const struct mgr_plugin *d;
        int len;

        if (ls->lines[i].type != LINE_PLUGIN)
            continue;
        d = ls->lines[i].plugin->desc;
        len = (int)strlen(plugin_kind_name(d->kind));
        wkind = len > wkind ? len : wkind;
        len = (int)strlen(d->name);
        wname = len > wname ? len : wname;
        len = (int)strlen(or_dash(d->version));
        wversion = len > wversion ? len : wversion;
    }
    for (size_t i = 0; i < ls->n; i++) {
        const struct line *l = &ls->lines[i];
        const struct mgr_plugin *d;

        switch (l->type) {
        case LINE_PLUGIN:
            d = l->plugin->desc;
            printf("%-*s  %-*s  %-*s  ABI %u.%u  %s\n", wkind,
                   plugin_kind_name(d->kind), wname, d->name, wversion,
                   or_dash(d->version),
                   (unsigned)MGR_ABI_MAJOR_OF(d->abi_version),
                   (unsigned)MGR_ABI_MINOR_OF(d->abi_version), l->path);
            break;
        case LINE_SHADOWED:
            printf("shadowed  %s: by '%s'\n", l->path, l->plugin->path);
            break;
        case LINE_REFUSED:
            printf("refused  %s: %s\n", l->path, l->reason);
            break;
        }
    }
}

int cmd_plugins(int argc, char **argv, struct mgr_ctx *ctx)
{
    struct mgr_plugin_set *set = NULL;
    struct listing ls = { NULL, 0, 0, 0, false };
    char **dirs = NULL;
    int rc;

    if (argc > 1)
        return mgr_error_set(&ctx->err, MGR_EUSAGE,
                             "'plugins' takes no arguments, not '%s'; see "
                             "'migrator help plugins'",
                             argv[1]);
    rc = load_config_if_present(ctx);
    if (rc == MGR_OK)
        rc = loader_search_path(ctx, &dirs, &ctx->err);
    if (rc == MGR_OK)
        rc = plugin_set_new(&set, (const char *const *)dirs, &ctx->err);
    for (size_t i = 0; rc == MGR_OK && dirs[i]; i++) {
        MGR_INFO("searching '%s'", dirs[i]);
        rc = scan_dir(set, dirs[i], &ls, &ctx->err);
    }
    if (rc != MGR_OK)
        goto out;
    print_listing(&ls);
    if (ls.n == 0)
        MGR_WARN("no plugins in the search path; see 'migrator help "
                 "plugins'");
    if (ls.nrefused)
        rc = mgr_error_set(&ctx->err,
                           ls.trust_refused ? MGR_ETRUST : MGR_EPLUGIN,
                           "%zu plugin file%s refused",
                           ls.nrefused, ls.nrefused == 1 ? "" : "s");
out:
    plugin_set_free(set);
    listing_release(&ls);
    strv_list_free(dirs);
    return rc;
}
