/*
 * project.h: struct mgr_project, opaque in migrator.h: a command context
 * (the engine's struct mgr_ctx) that an application holds.
 */
#ifndef MGR_CORE_PROJECT_H
#define MGR_CORE_PROJECT_H

#include <stdbool.h>
#include <stddef.h>

#include <migrator/migrator.h>

#include "ctx.h"

struct mgr_project {
    struct mgr_ctx ctx;
    char *plugin_dir; /* ctx.plugin_dir, owned */
    char *default_plugin_dir; /* ctx.default_plugin_dir, owned or NULL */
};

/*
 * Field f of options o, or 0/NULL when o (an older caller's struct)
 * ends before it.
 */
#define PROJECT_OPTION(o, f)                                              \
    ((o)->size >= offsetof(struct mgr_project_options, f) + sizeof((o)->f) \
         ? (o)->f                                                         \
         : 0)

/* Whether o is at least the 1.0 struct mgr_project_options. */
bool project_options_valid(const struct mgr_project_options *o);

/*
 * Load ctx->config as o says (config_path, section, values,
 * database_url); errors in ctx->err.
 */
int project_load_config(struct mgr_ctx *ctx,
                        const struct mgr_project_options *o);

/* A NULL-terminated copy of v[0..n). */
char **project_strings(const char *const *v, size_t n);

#endif
