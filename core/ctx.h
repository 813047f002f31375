/*
 * ctx.h: the context of one engine operation: the options it was given
 * and what is prepared for it (config, plugins, scripts, graph,
 * reports). The CLI fills one per command; the library API keeps one per
 * project (struct mgr_project).
 */
#ifndef MGR_CORE_CTX_H
#define MGR_CORE_CTX_H

#include <stdbool.h>
#include <stdio.h>

#include <migrator/migrator.h>

#include "revision.h"

struct mgr_config;
struct mgr_plugin_set;
struct graph;
struct report;
struct report_spec;

/* -x KEY=VALUE arguments, in command-line order. */
struct xarg {
    const char *key_value; /* "KEY=VALUE" as given */
};

struct mgr_ctx {
    /* Global options. */
    const char *config_path; /* -c, else $MIGRATOR_CONFIG, else NULL */
    const char *section;     /* -n, default "migrator" */
    const char *url;         /* --url */
    const char *plugin_dir;  /* --plugin-dir, made absolute */
    const char *reporter;    /* --reporter */
    const char *report_file; /* --report-file */
    struct report_spec *reports; /* --report NAME:PATH, in order */
    int nreports;
    const char **xargs;      /* -x, NULL-terminated */
    int nxargs;
    int verbosity;           /* -q: -1, default 0, -v: 1 */
    int color;               /* 0 never, 1 always, -1 auto */

    /* Prepared by run_cmd() according to the command's flags. */
    struct mgr_config *config;
    struct mgr_plugin_set *plugins;
    struct revision_list revisions;
    struct graph *graph;
    struct report *report;  /* the command's reports (NEED_CONFIG) */

    /* The installed (or, run from the build tree, the build tree's)
     * plugin and template directories. */
    const char *default_plugin_dir;
    const char *template_dir;

    struct mgr_error err;
};

#endif
