/*
 * cmd_status.c: `migrator status`, the read-only diagnosis of the
 * database with the next command to run (mgr_run_status()).
 */
#include "autoconfig.h"

#include "cmd.h"

int cmd_status(int argc, char **argv, struct cli *cli)
{
    if (argc > 1)
        return mgr_error_set(&cli->err, MGR_EUSAGE,
                             "status takes no arguments, not '%s'", argv[1]);
    return mgr_run_status(cli->run, &cli->err);
}
