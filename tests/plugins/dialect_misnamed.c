/* dialect_misnamed.c: calls itself "other", unlike its file name. */
#include <stddef.h>

#include <migrator/plugin.h>

static const struct mgr_dialect_ops ops = {
    .size = sizeof(struct mgr_dialect_ops),
};

MGR_PLUGIN_DEFINE(MGR_PLUGIN_DIALECT, "other", "1", "test: wrong name",
                  NULL, NULL, &ops)
