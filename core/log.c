/* log.c: diagnostics to stderr. */
#include "autoconfig.h"

#include <stdio.h>

#include <migrator/migrator.h>

#include "log.h"
#include "visible.h"

static int log_level = MGR_LOG_WARNING;
static log_hook_fn log_hook;
static void *log_hook_ctx;
static int in_hook; /* a hook that logs does not call itself */

void log_set_hook(log_hook_fn hook, void *ctx)
{
    log_hook = hook;
    log_hook_ctx = ctx;
}

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

/* Warnings reach the hook even when -q keeps them off stderr. */
static void call_hook(int level, const char *prefix, const char *fmt,
                      va_list ap)
{
    struct mgr_buf text = MGR_BUF_INIT;

    if (!log_hook || in_hook ||
        (level > log_level && level > MGR_LOG_WARNING))
        return;
    if (prefix)
        mgr_buf_addf(&text, "[%s] ", prefix);
    mgr_buf_vaddf(&text, fmt, ap);
    in_hook = 1;
    log_hook(log_hook_ctx, level, text.buf);
    in_hook = 0;
    mgr_buf_release(&text);
}

/* prefix, when not NULL, is a plugin name: "migrator: warning: [sql] ..." */
void mgr_vlog(int level, const char *prefix, const char *fmt, va_list ap)
{
    struct mgr_buf text = MGR_BUF_INIT;
    va_list copy;

    va_copy(copy, ap);
    call_hook(level, prefix, fmt, copy);
    va_end(copy);
    if (level > log_level)
        return;
    /* Messages quote scripts and the database: a terminal must not
     * obey what they hold (visible.h). */
    mgr_buf_addf(&text, "migrator: %s: ", level_name(level));
    if (prefix)
        mgr_buf_addf(&text, "[%s] ", prefix);
    mgr_buf_vaddf(&text, fmt, ap);
    mgr_buf_addch(&text, '\n');
    visible_put(stderr, text.buf, text.len,
                VISIBLE_KEEP_NEWLINE | VISIBLE_KEEP_TAB);
    mgr_buf_release(&text);
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
