/* dialect_zeroops.c: an ops table that says its size is 0. */
#include <stddef.h>

#include <migrator/plugin.h>

static const struct mgr_dialect_ops ops = { .size = 0 };

MGR_PLUGIN_DEFINE(MGR_PLUGIN_DIALECT, "zeroops", "1", "test: empty ops",
                  NULL, NULL, &ops)
