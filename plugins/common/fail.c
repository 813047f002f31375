/* fail.c: errors from plugins (fail.h). */
#include "autoconfig.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fail.h"

static int vfail(const struct mgr_host_api *api, struct mgr_error *err,
                 int code, int errnum, const char *path, int line,
                 const char *fmt, va_list ap) MGR_PRINTF(7, 0);

/* Fill err: "path:line: " (when path is not NULL), the message, and
 * ": strerror(errnum)" (when errnum is not 0). */
static int vfail(const struct mgr_host_api *api, struct mgr_error *err,
                 int code, int errnum, const char *path, int line,
                 const char *fmt, va_list ap)
{
    char msg[MGR_ERROR_SIZE], where[MGR_ERROR_SIZE] = "";

    if (!err)
        return code;
    vsnprintf(msg, sizeof(msg), fmt, ap);
    if (path && line > 0)
        snprintf(where, sizeof(where), "%s:%d: ", path, line);
    else if (path)
        snprintf(where, sizeof(where), "%s: ", path);
    if (errnum)
        api->error_set(err, code, "%s%s: %s", where, msg, strerror(errnum));
    else
        api->error_set(err, code, "%s%s", where, msg);
    err->sys_errno = errnum;
    return code;
}

int plugin_fail(const struct mgr_host_api *api, struct mgr_error *err,
                int code, int errnum, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    code = vfail(api, err, code, errnum, NULL, 0, fmt, ap);
    va_end(ap);
    return code;
}

int plugin_fail_at(const struct mgr_host_api *api, struct mgr_error *err,
                   int code, const char *path, int line, const char *fmt,
                   ...)
{
    va_list ap;

    va_start(ap, fmt);
    code = vfail(api, err, code, 0, path, line, fmt, ap);
    va_end(ap);
    return code;
}
