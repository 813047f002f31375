/*
 * script.h: the API a migration script written in C sees (format/c).
 *
 * A C revision script defines
 *     int mgr_script_upgrade(struct mgr_script *s);
 *     int mgr_script_downgrade(struct mgr_script *s);
 * and calls back into migrator only through s->api, so that a compiled
 * script does not link against libmigrator.
 */
#ifndef MIGRATOR_SCRIPT_H
#define MIGRATOR_SCRIPT_H

#include <stdint.h>

#include <migrator/migrator.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MGR_SCRIPT_API_VERSION 1u

struct mgr_script;

#ifdef __cplusplus
}
#endif

#endif /* MIGRATOR_SCRIPT_H */
