/* cmd_plugins.c: migrator plugins. */
#include "autoconfig.h"

#include "cmd.h"

int cmd_plugins(int argc, char **argv, struct mgr_ctx *ctx)
{
    (void)argc;
    (void)argv;
    (void)ctx;
    return MGR_OK;
}
