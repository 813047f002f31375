/* scripts.c: find revision scripts and build the graph from them. */
#include "autoconfig.h"

#include "scripts.h"

int scripts_prepare(struct mgr_ctx *ctx)
{
    (void)ctx;
    return MGR_OK;
}

void scripts_release(struct mgr_ctx *ctx)
{
    revision_list_release(&ctx->revisions);
}
