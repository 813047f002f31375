/*
 * cli_secret.c: a --url given on the command line is visible to every
 * local user in ps(1) and /proc/PID/cmdline for as long as migrator
 * runs. Once parsed, the argument is rewritten in place with its secrets
 * masked, and the run uses a private copy.
 */
#include "autoconfig.h"

#include <string.h>

#include <migrator/migrator.h>

#include "cli_secret.h"
#include "cli_util.h"

char *cli_hide_url(char *arg)
{
    struct mgr_buf masked = MGR_BUF_INIT;
    size_t len = strlen(arg);
    char *copy = cli_reallocarray(NULL, len + 1, 1);

    memcpy(copy, arg, len + 1);
    mgr_url_mask(copy, &masked);
    /* The argument cannot grow: the masked form is cut to its length
     * (a cut never shows a secret: the masked text holds none) and the
     * rest is cleared. */
    if (strcmp(masked.buf, copy) != 0) {
        memset(arg, 0, len);
        memcpy(arg, masked.buf, masked.len < len ? masked.len : len);
    }
    mgr_buf_release(&masked);
    return copy;
}
