/* dialect_nullentry.c: mgr_plugin_entry() returns no descriptor. */
#include <stddef.h>

#include <migrator/plugin.h>

MGR_PLUGIN_EXPORT const struct mgr_plugin *mgr_plugin_entry(void);
const struct mgr_plugin *mgr_plugin_entry(void)
{
    return NULL;
}
