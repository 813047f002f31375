/*
 * project.h: struct mgr_project, opaque in migrator.h: a command context
 * (the engine's struct mgr_ctx) that an application holds.
 */
#ifndef MGR_CORE_PROJECT_H
#define MGR_CORE_PROJECT_H

#include <migrator/migrator.h>

#include "ctx.h"

struct mgr_project {
    struct mgr_ctx ctx;
    char *plugin_dir; /* ctx.plugin_dir, owned */
};

/* A NULL-terminated copy of v[0..n). */
char **project_strings(const char *const *v, size_t n);

#endif
