/* format_sql.c: SQL revision scripts. */
#include <stddef.h>

#include <migrator/plugin.h>

static const char *const extensions[] = { ".sql", NULL };

static const struct mgr_format_ops ops = {
    sizeof(struct mgr_format_ops), extensions, NULL, NULL,
};

MGR_PLUGIN_DEFINE(MGR_PLUGIN_FORMAT, "sql", "0.1.0", "SQL revision scripts",
                  NULL, NULL, &ops)
