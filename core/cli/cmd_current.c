/*
 * cmd_current.c: the commands that read the version table without
 * changing the schema: current, check, ensure-version.
 */
#include "autoconfig.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"

int cmd_current(int argc, char **argv, struct cli *cli)
{
    static const struct option opts[] = {
        { "verbose", no_argument, NULL, 'v' },
        { "check-heads", no_argument, NULL, 'c' },
        { NULL, 0, NULL, 0 },
    };
    bool verbose = cli->opts.verbosity > 0, check_heads = false;
    int c;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+v", opts, NULL)) != -1) {
        if (c == 'v')
            verbose = true;
        else if (c == 'c')
            check_heads = true;
        else
            return mgr_error_set(&cli->err, MGR_EUSAGE,
                                 "current: unknown option '%s'",
                                 argv[optind - 1]);
    }
    if (optind != argc)
        return mgr_error_set(&cli->err, MGR_EUSAGE,
                             "current takes no arguments");
    return mgr_run_current(cli->run, verbose, check_heads, &cli->err);
}

int cmd_check(int argc, char **argv, struct cli *cli)
{
    if (argc > 1)
        return mgr_error_set(&cli->err, MGR_EUSAGE,
                             "check takes no arguments, not '%s'", argv[1]);
    return mgr_run_check(cli->run, &cli->err);
}

int cmd_ensure_version(int argc, char **argv, struct cli *cli)
{
    bool sql = argc == 2 && strcmp(argv[1], "--sql") == 0;

    if (argc > 1 && !sql)
        return mgr_error_set(&cli->err, MGR_EUSAGE,
                             "ensure-version takes only --sql");
    return mgr_run_ensure_version(cli->run, sql, &cli->err);
}
