/*
 * cli_confirm.c: confirming a destructive command on a protected
 * database (protected = true): --yes, or the user types the database's
 * name (or "yes") on a terminal. Without either, the library refuses the
 * command before connecting.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli_confirm.h"

/* One line from stdin without its end of line; false at end of file. */
static bool read_answer(char *buf, size_t size)
{
    if (!fgets(buf, (int)size, stdin))
        return false;
    buf[strcspn(buf, "\r\n")] = '\0';
    return true;
}

/* Ask on the terminal; true when the answer is name or "yes". */
static bool ask(const char *command, const char *name)
{
    char answer[256];

    fprintf(stderr, "migrator: database '%s' is protected; type its name "
                    "or 'yes' to %s it: ",
            name, command);
    fflush(stderr);
    if (!read_answer(answer, sizeof(answer)))
        return false;
    return strcmp(answer, name) == 0 || strcmp(answer, "yes") == 0;
}

int cli_confirm_protected(struct cli *cli, const char *command, bool yes)
{
    const char *name = NULL;
    bool on = false;
    int rc = mgr_run_protected(cli->run, &on, &name, &cli->err);

    if (rc != MGR_OK || !on)
        return rc;
    if (yes) {
        mgr_run_confirm(cli->run);
        return MGR_OK;
    }
    /* No terminal: the library's refusal says what to do. */
    if (!isatty(STDIN_FILENO) || !isatty(STDERR_FILENO))
        return MGR_OK;
    if (!ask(command, name))
        return mgr_error_set(&cli->err, MGR_EUSAGE,
                             "%s of protected database '%s' not confirmed; "
                             "nothing was done",
                             command, name);
    mgr_run_confirm(cli->run);
    return MGR_OK;
}
