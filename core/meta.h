/*
 * meta.h: the host side of mgr_host_api.meta_add. A format plugin reports
 * the raw header fields of one script; this module trims them, splits the
 * comma lists, validates identifiers and fills a struct revision.
 */
#ifndef MGR_CORE_META_H
#define MGR_CORE_META_H

#include <migrator/plugin.h>

#include "revision.h"

/* Start collecting the header of path into rev (rev->path is set). */
void meta_init(struct mgr_script_meta *m, struct revision *rev,
               const char *path);

/* mgr_host_api.meta_add. */
int meta_add(struct mgr_script_meta *m, enum mgr_meta_field field,
             const char *value, size_t len, int line, struct mgr_error *err);

/* After parse_header returned: check required fields (Revision ID). */
int meta_finish(struct mgr_script_meta *m, struct mgr_error *err);

#endif
