/*
 * cmd_unlock.c: migrator unlock [--force], for lock_strategy = table:
 * remove the lock row a run left behind when it died, or with --force a
 * live one (mgr_run_unlock_flags()).
 */
#include "autoconfig.h"

#include <string.h>

#include "cmd.h"

int cmd_unlock(int argc, char **argv, struct cli *cli)
{
    unsigned flags = 0;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--force") == 0)
            flags |= MGR_UNLOCK_FORCE;
        else
            return mgr_error_set(&cli->err, MGR_EUSAGE,
                                 "unlock takes only --force, not '%s'",
                                 argv[i]);
    }
    return mgr_run_unlock_flags(cli->run, flags, &cli->err);
}
