/*
 * log.h: the private side of mgr_log(): a hook that sees every warning
 * and error (and what else is printed) before it reaches stderr. The
 * reports use it to turn log lines into MESSAGE events.
 */
#ifndef MGR_CORE_LOG_H
#define MGR_CORE_LOG_H

/* text has no trailing newline. NULL removes the hook. */
void log_set_hook(void (*hook)(int level, const char *text));

#endif
