/*
 * migrate.h: running an upgrade, downgrade or stamp against the database:
 * the engine behind `migrator upgrade` and mgr_project_upgrade().
 */
#ifndef MGR_CORE_MIGRATE_H
#define MGR_CORE_MIGRATE_H

#include <stdbool.h>
#include <stddef.h>

#include "ctx.h"
#include "plan.h"
#include "runner.h"

/* Which plan an online command makes from the rows it read. */
struct migrate_request {
    enum plan_dir dir;
    const char *target;         /* upgrade, downgrade */
    const char *const *targets; /* stamp */
    size_t ntargets;
    bool purge;
};

/*
 * Connect, lock, read the version table, check integrity, plan under the
 * lock, check every section, and only then create the tables if missing
 * and run: a refused run leaves the database as it found it. ctx needs
 * its config, plugins, graph and report (which may have no sinks).
 */
int migrate_online(struct mgr_ctx *ctx, const struct migrate_request *req);

/* The same on a runner already open (and locked, where it must be);
 * record_schema: then record the schema in migrator_schema, as
 * migrate_online() does. */
int migrate_on(struct runner *r, const struct migrate_request *req,
               bool record_schema);

#endif
