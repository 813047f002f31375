/* error.c: status codes, their descriptions and exit codes. */
#include "autoconfig.h"

#include <stdio.h>
#include <string.h>

#include <migrator/migrator.h>

const char *mgr_strerror(int code)
{
    switch ((enum mgr_status)code) {
    case MGR_OK: return "success";
    case MGR_ENOMEM: return "out of memory";
    case MGR_EIO: return "input/output error";
    case MGR_ECONFIG: return "configuration error";
    case MGR_EPLUGIN: return "plugin error";
    case MGR_EABI: return "plugin ABI mismatch";
    case MGR_EDB: return "database error";
    case MGR_ECHECKSUM: return "applied script changed or missing";
    case MGR_ELOCKED: return "migration lock not acquired";
    case MGR_EUSAGE: return "usage error";
    case MGR_ESCRIPT: return "revision script error";
    case MGR_EGRAPH: return "revision graph error";
    case MGR_EREVISION: return "unknown or ambiguous revision";
    case MGR_ETRUST: return "untrusted file refused";
    case MGR_ECONN: return "connection lost";
    case MGR_EINTEGRITY: return "integrity check failed";
    case MGR_EINTR: return "interrupted";
    case MGR_ECHECK: return "check failed";
    case MGR_EEXIST: return "already exists";
    case MGR_ELOCKTIMEOUT: return "lock timeout";
    }
    return "unknown error";
}

int mgr_status_exit_code(int code)
{
    switch ((enum mgr_status)code) {
    case MGR_OK:
        return 0;
    case MGR_EDB:
    case MGR_ECHECK:
    case MGR_EIO:
    case MGR_ENOMEM:
        return 1;
    case MGR_ECONFIG:
    case MGR_EPLUGIN:
    case MGR_EABI:
    case MGR_EUSAGE:
    case MGR_ESCRIPT:
    case MGR_EGRAPH:
    case MGR_EREVISION:
    case MGR_EEXIST:
        return 2;
    case MGR_ELOCKED:
    case MGR_ELOCKTIMEOUT:
        return 3;
    case MGR_ECHECKSUM:
    case MGR_EINTEGRITY:
        return 4;
    case MGR_ECONN:
        return 5;
    case MGR_ETRUST:
        return 6;
    case MGR_EINTR:
        return 130;
    }
    return 1;
}

int mgr_error_setv(struct mgr_error *err, int code, const char *fmt,
                   va_list ap)
{
    if (err) {
        err->code = code;
        err->sys_errno = 0;
        vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    }
    return code;
}

int mgr_error_set(struct mgr_error *err, int code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    mgr_error_setv(err, code, fmt, ap);
    va_end(ap);
    return code;
}

int mgr_error_set_errno(struct mgr_error *err, int code, int errnum,
                        const char *fmt, ...)
{
    va_list ap;
    size_t len;

    if (!err)
        return code;
    va_start(ap, fmt);
    mgr_error_setv(err, code, fmt, ap);
    va_end(ap);
    err->sys_errno = errnum;
    len = strlen(err->msg);
    snprintf(err->msg + len, sizeof(err->msg) - len, ": %s",
             strerror(errnum));
    return code;
}

int mgr_error_prefix(struct mgr_error *err, const char *fmt, ...)
{
    struct mgr_buf text = MGR_BUF_INIT;
    va_list ap;
    size_t n;

    if (!err)
        return MGR_OK;
    va_start(ap, fmt);
    mgr_buf_vaddf(&text, fmt, ap);
    va_end(ap);
    mgr_buf_addstr(&text, err->msg);
    n = text.len < sizeof(err->msg) ? text.len : sizeof(err->msg) - 1;
    memcpy(err->msg, text.buf, n);
    err->msg[n] = '\0';
    mgr_buf_release(&text);
    return err->code;
}
