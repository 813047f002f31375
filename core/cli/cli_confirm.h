/* cli_confirm.h: confirming a command on a protected database. */
#ifndef MGR_CLI_CONFIRM_H
#define MGR_CLI_CONFIRM_H

#include <stdbool.h>

#include "cmd.h"

/*
 * Before a downgrade or stamp --purge: when the run's database is
 * protected, confirm it for yes (--yes) or when the user, asked on a
 * terminal, types the database's name or "yes". MGR_EUSAGE when the
 * user answers anything else; without a terminal nothing is confirmed
 * and the command itself refuses.
 */
int cli_confirm_protected(struct cli *cli, const char *command, bool yes);

#endif
