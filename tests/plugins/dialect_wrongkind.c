/* dialect_wrongkind.c: a format plugin in a dialect's file name. */
#include <stddef.h>

#include <migrator/plugin.h>

static const char *const extensions[] = { ".wrong", NULL };
static const struct mgr_format_ops ops = { sizeof(ops), extensions, NULL,
                                           NULL };

MGR_PLUGIN_DEFINE(MGR_PLUGIN_FORMAT, "wrongkind", "1", "test: wrong kind",
                  NULL, NULL, &ops)
