/*
 * format_sql.c: the SQL revision script format (".sql"). The entry point
 * and its ops table (the state is a struct plugin_state); see sql.h for
 * the file format.
 */
#include "autoconfig.h"

#include <migrator/plugin.h>

#include "sql.h"

static const char *const extensions[] = { ".sql", NULL };

static const struct mgr_format_ops ops = {
    sizeof(struct mgr_format_ops),
    extensions,
    sql_parse_header,
    sql_run_section,
};

MGR_PLUGIN_DEFINE(MGR_PLUGIN_FORMAT, "sql", "0.1.0", "SQL revision scripts",
                  plugin_state_init, plugin_state_fini, &ops)
