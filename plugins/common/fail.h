/*
 * fail.h: filling a struct mgr_error from a plugin, through the host's
 * api->error_set (a plugin never links against the core). Compiled into
 * each plugin that needs it.
 */
#ifndef MGR_PLUGINS_FAIL_H
#define MGR_PLUGINS_FAIL_H

#include <migrator/plugin.h>

/*
 * Fill err (may be NULL) with code and a printf-style message; when
 * errnum is not 0, append ": strerror(errnum)" and record errnum as
 * err->sys_errno. Returns code.
 */
int plugin_fail(const struct mgr_host_api *api, struct mgr_error *err,
                int code, int errnum, const char *fmt, ...)
    MGR_PRINTF(5, 6);

/*
 * As plugin_fail without an errno, the message naming where the fault is:
 * "path:line: message", or "path: message" when line is 0.
 */
int plugin_fail_at(const struct mgr_host_api *api, struct mgr_error *err,
                   int code, const char *path, int line, const char *fmt,
                   ...) MGR_PRINTF(6, 7);

#endif
