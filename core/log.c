/* log.c: diagnostics to stderr. */
#include "autoconfig.h"

#include <stdio.h>

#include <migrator/migrator.h>

static int log_level = MGR_LOG_WARNING;

void mgr_log_set_level(int level)
{
    log_level = level;
}

int mgr_log_get_level(void)
{
    return log_level;
}

static const char *level_name(int level)
{
    switch (level) {
    case MGR_LOG_ERR: return "error";
    case MGR_LOG_WARNING: return "warning";
    case MGR_LOG_INFO: return "info";
    default: return "debug";
    }
}

/* prefix, when not NULL, is a plugin name: "migrator: warning: [sql] ..." */
void mgr_vlog(int level, const char *prefix, const char *fmt, va_list ap)
{
    if (level > log_level)
        return;
    fprintf(stderr, "migrator: %s: ", level_name(level));
    if (prefix)
        fprintf(stderr, "[%s] ", prefix);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void mgr_log(int level, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    mgr_vlog(level, NULL, fmt, ap);
    va_end(ap);
}

const char *mgr_version(void)
{
    return MGR_VERSION_STRING;
}
