/*
 * cmd_unlock.c: migrator unlock, for lock_strategy = table: remove the
 * lock row a run left behind when it died (mgr_run_unlock()).
 */
#include "autoconfig.h"

#include "cmd.h"

int cmd_unlock(int argc, char **argv, struct cli *cli)
{
    if (argc > 1)
        return mgr_error_set(&cli->err, MGR_EUSAGE,
                             "unlock takes no arguments, not '%s'", argv[1]);
    return mgr_run_unlock(cli->run, &cli->err);
}
