/*
 * cmd_test.c: migrator test [--url URL]: the up/down round trip of every
 * revision (mgr_run_test()), on a scratch database, or on the (empty)
 * database at URL.
 */
#include "autoconfig.h"

#include <string.h>

#include "cmd.h"

int cmd_test(int argc, char **argv, struct cli *cli)
{
    const char *url = NULL;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--url") == 0 && i + 1 < argc && !url)
            url = argv[++i];
        else if (strncmp(argv[i], "--url=", 6) == 0 && !url)
            url = argv[i] + 6;
        else
            return mgr_error_set(&cli->err, MGR_EUSAGE,
                                 "test: unexpected '%s'; see 'migrator help "
                                 "test'",
                                 argv[i]);
    }
    return mgr_run_test(cli->run, url, &cli->err);
}
