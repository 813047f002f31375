/* cmd_init.c: migrator init, migrator list-templates. */
#include "autoconfig.h"

#include "cmd.h"

int cmd_init(int argc, char **argv, struct mgr_ctx *ctx)
{
    (void)argc;
    (void)argv;
    (void)ctx;
    return MGR_OK;
}

int cmd_list_templates(int argc, char **argv, struct mgr_ctx *ctx)
{
    (void)argc;
    (void)argv;
    (void)ctx;
    return MGR_OK;
}
