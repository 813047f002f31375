/*
 * cmd_schema.c: migrator schema dump [-o FILE]: the live schema as SQL
 * (mgr_run_schema_dump()).
 */
#include "autoconfig.h"

#include <string.h>

#include "cmd.h"

int cmd_schema(int argc, char **argv, struct cli *cli)
{
    const char *path = NULL;
    int i = 2;

    if (argc < 2 || strcmp(argv[1], "dump") != 0)
        return mgr_error_set(&cli->err, MGR_EUSAGE,
                             "schema needs a subcommand: 'migrator schema "
                             "dump [-o FILE]'");
    for (; i < argc; i++) {
        if ((strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0)
            && i + 1 < argc && !path)
            path = argv[++i];
        else if (strncmp(argv[i], "--output=", 9) == 0 && !path)
            path = argv[i] + 9;
        else
            return mgr_error_set(&cli->err, MGR_EUSAGE,
                                 "schema dump: unexpected '%s'; see "
                                 "'migrator help schema'",
                                 argv[i]);
    }
    return mgr_run_schema_dump(cli->run, path, &cli->err);
}
