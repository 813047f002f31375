/*
 * protect.h: protected databases. With protected = true in its config
 * section, a database is not downgraded or purged (stamp --purge) by a
 * run that was not confirmed: the CLI confirms with --yes or by the
 * user typing the database's name (or "yes") on a terminal. The refusal
 * comes before any connection is made.
 */
#ifndef MGR_CORE_PROTECT_H
#define MGR_CORE_PROTECT_H

#include <stdbool.h>

#include <migrator/migrator.h>

#include "ctx.h"

/*
 * Whether ctx's database is protected; the name the user types to
 * confirm goes to name (the database of the URL: its last path element
 * or conninfo dbname, else the config section's name). MGR_ECONFIG when
 * the key's value is not a boolean.
 */
int protect_query(struct mgr_ctx *ctx, bool *on_out, struct mgr_buf *name);

/*
 * MGR_OK unless ctx's database is protected and confirmed is false:
 * then MGR_EUSAGE saying that command needs --yes or a terminal.
 */
int protect_check(struct mgr_ctx *ctx, const char *command, bool confirmed);

#endif
