/* dialect_nullops.c: a descriptor without an ops table. */
#include <stddef.h>

#include <migrator/plugin.h>

MGR_PLUGIN_DEFINE(MGR_PLUGIN_DIALECT, "nullops", "1", "test: no ops", NULL,
                  NULL, NULL)
