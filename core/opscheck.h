/*
 * opscheck.h: the check of a plugin's operations table, when it loads.
 * Every kind's table must be at least its 1.0 size
 * (MGR_<KIND>_OPS_V1_SIZE in plugin.h) and have its required members,
 * so that no call the host makes later can land on NULL. A member
 * appended after 1.0 is used only when the table's recorded size covers
 * it (MGR_OPS_HAS).
 */
#ifndef MGR_CORE_OPSCHECK_H
#define MGR_CORE_OPSCHECK_H

#include <migrator/plugin.h>

/*
 * Check desc->ops (not NULL) for desc->kind. On failure append the
 * reason to why ("its dialect operations lack 'query'") and return -1;
 * return 0 when the table is sound.
 */
int opscheck_plugin(const struct mgr_plugin *desc, struct mgr_buf *why);

#endif
