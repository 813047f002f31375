/*
 * scripts.h: discovery of revision scripts. Loads the format plugins,
 * offers every file of version_locations (sorted by name, byte-wise,
 * location by location) to the format that claims its extension, and
 * builds the revision graph from the headers.
 */
#ifndef MGR_CORE_SCRIPTS_H
#define MGR_CORE_SCRIPTS_H

#include "ctx.h"

/* Fill ctx->plugins, ctx->revisions and ctx->graph. */
int scripts_prepare(struct mgr_ctx *ctx);
void scripts_release(struct mgr_ctx *ctx);

#endif
