/* cli_secret.h: keeping a --url password out of ps(1). */
#ifndef MGR_CLI_SECRET_H
#define MGR_CLI_SECRET_H

/*
 * A copy of arg (free() it), after rewriting arg in place with its
 * secrets masked (mgr_url_mask), so that other users reading this
 * process's command line do not see them.
 */
char *cli_hide_url(char *arg);

#endif
