/*
 * log.h: the private side of mgr_log(): a hook that sees every warning
 * and error (and what else is printed) before it reaches stderr. The
 * reports use it to turn log lines into MESSAGE events.
 */
#ifndef MGR_CORE_LOG_H
#define MGR_CORE_LOG_H

/* text has no trailing newline; ctx is the one given with the hook. */
typedef void (*log_hook_fn)(void *ctx, int level, const char *text);

/* One hook at a time; NULL removes it. */
void log_set_hook(log_hook_fn hook, void *ctx);

#endif
