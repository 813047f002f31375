/*
 * exec.h: the host side of mgr_host_api.exec_section_begin / exec_sql,
 * where a format plugin sends a section's statements. A struct mgr_exec
 * either renders them as offline SQL text or hands them to the dialect.
 */
#ifndef MGR_CORE_EXEC_H
#define MGR_CORE_EXEC_H

#include <migrator/plugin.h>

int exec_section_begin(struct mgr_exec *x, unsigned flags, int line,
                       struct mgr_error *err);
int exec_sql(struct mgr_exec *x, const char *text, size_t len,
             int first_line, struct mgr_error *err);

#endif
