/*
 * cmd_plugins.c: migrator plugins. Prints what mgr_plugins_scan() found
 * on the search path: what loaded, what is shadowed by an earlier
 * directory and what was refused, with the reason; fails when a file was
 * refused.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <string.h>

#include "cmd.h"

static const char *or_dash(const char *s)
{
    return s && *s ? s : "-";
}

static int max_int(int a, size_t b)
{
    return (size_t)a > b ? a : (int)b;
}

static void print_files(const struct mgr_plugin_files *fs)
{
    int wkind = 0, wname = 0, wversion = 0;

    for (size_t i = 0; i < fs->n; i++) {
        const struct mgr_plugin_file *f = &fs->v[i];

        if (f->state != MGR_PLUGIN_FILE_LOADED)
            continue;
        wkind = max_int(wkind, strlen(f->kind));
        wname = max_int(wname, strlen(f->name));
        wversion = max_int(wversion, strlen(or_dash(f->version)));
    }
    for (size_t i = 0; i < fs->n; i++) {
        const struct mgr_plugin_file *f = &fs->v[i];

        switch (f->state) {
        case MGR_PLUGIN_FILE_LOADED:
            printf("%-*s  %-*s  %-*s  ABI %u.%u  %s\n", wkind, f->kind,
                   wname, f->name, wversion, or_dash(f->version),
                   f->abi_major, f->abi_minor, f->path);
            break;
        case MGR_PLUGIN_FILE_SHADOWED:
            printf("shadowed  %s: by '%s'\n", f->path, f->shadowed_by);
            break;
        case MGR_PLUGIN_FILE_REFUSED:
            printf("refused  %s: %s\n", f->path, f->reason);
            break;
        }
    }
}

/* MGR_ETRUST when a file was refused for security, MGR_EPLUGIN when
 * one was refused otherwise. */
static int refusals(const struct mgr_plugin_files *fs, struct cli *cli)
{
    size_t nrefused = 0;
    bool trust = false;

    for (size_t i = 0; i < fs->n; i++) {
        if (fs->v[i].state != MGR_PLUGIN_FILE_REFUSED)
            continue;
        nrefused++;
        if (fs->v[i].code == MGR_ETRUST)
            trust = true;
    }
    if (!nrefused)
        return MGR_OK;
    return mgr_error_set(&cli->err, trust ? MGR_ETRUST : MGR_EPLUGIN,
                         "%zu plugin file%s refused", nrefused,
                         nrefused == 1 ? "" : "s");
}

int cmd_plugins(int argc, char **argv, struct cli *cli)
{
    struct mgr_plugin_files *fs;
    int rc;

    if (argc > 1)
        return mgr_error_set(&cli->err, MGR_EUSAGE,
                             "'plugins' takes no arguments, not '%s'; see "
                             "'migrator help plugins'",
                             argv[1]);
    /* A config is read only when named or present (the library's rule):
     * -c as given. */
    cli->opts.config_path = cli->config_path;
    rc = mgr_plugins_scan(&cli->opts, &fs, &cli->err);
    if (rc != MGR_OK)
        return rc;
    print_files(fs);
    if (fs->n == 0)
        MGR_WARN("no plugins in the search path; see 'migrator help "
                 "plugins'");
    rc = refusals(fs, cli);
    mgr_plugin_files_free(fs);
    return rc;
}
