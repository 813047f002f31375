/*
 * op_revision.h: writing a new revision script from the project's
 * template, for commands besides revision and merge (baseline).
 */
#ifndef MGR_CORE_OP_REVISION_H
#define MGR_CORE_OP_REVISION_H

#include <migrator/commands.h>

#include "ctx.h"
#include "schema_script.h"

/*
 * Write a revision as `migrator revision` would (opts->head is its
 * parent), with bodies in its sections; id_out gets its id.
 */
int revision_write_new(struct mgr_ctx *ctx,
                       const struct mgr_revision_options *opts,
                       const struct script_bodies *bodies, char id_out[33]);

#endif
