/*
 * cmd_lint.c: migrator lint [--trace] [--rules] [RANGE] (mgr_run_lint()).
 */
#include "autoconfig.h"

#include <string.h>

#include "cmd.h"

int cmd_lint(int argc, char **argv, struct cli *cli)
{
    struct mgr_lint_options o = { sizeof(o), NULL, false, false };

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--trace") == 0)
            o.trace = true;
        else if (strcmp(argv[i], "--rules") == 0)
            o.rules = true;
        else if (argv[i][0] != '-' && !o.range)
            o.range = argv[i];
        else
            return mgr_error_set(&cli->err, MGR_EUSAGE,
                                 "lint: unexpected '%s'; see 'migrator help "
                                 "lint'",
                                 argv[i]);
    }
    return mgr_run_lint(cli->run, &o, &cli->err);
}
