/*
 * schema_source.h: where a schema model comes from: the live database
 * (the dialect's introspect, or its capture made again on a scratch
 * database), the wanted schema (schema_file applied to a scratch
 * database, or to dev_url inside a transaction that is rolled back), and
 * the naming convention of the config.
 */
#ifndef MGR_CORE_SCHEMA_SOURCE_H
#define MGR_CORE_SCHEMA_SOURCE_H

#include <stdbool.h>

#include <migrator/plugin.h>

#include "ctx.h"
#include "db.h"
#include "schema_model.h"

/* What a dialect's introspect reports into (the host API's schema_add). */
struct mgr_schema_sink {
    struct schema *schema;
};

/* [naming_convention] of the config; members it does not set stay NULL
 * (the defaults). Borrowed from the config. */
void schema_source_naming(const struct mgr_ctx *ctx,
                          struct naming_convention *nc);

/*
 * Whether db's dialect can introspect and render (ABI 1.2). When it
 * cannot and err is not NULL, MGR_EUSAGE saying that command needs it.
 */
bool schema_source_supported(const struct db *db, const char *command,
                             struct mgr_error *err);

/* The live schema of db (connected), without migrator's own tables. */
int schema_source_live(struct mgr_ctx *ctx, struct db *db,
                       struct schema **out);

/*
 * The live schema of db as the statements that make it again, appended
 * to out, when db's dialect can capture it (ABI 1.5: far cheaper than
 * introspecting); *captured_out false, and nothing appended, otherwise.
 */
int schema_source_capture(struct mgr_ctx *ctx, struct db *db,
                          struct mgr_buf *out, bool *captured_out);

/*
 * The schema that captured (from schema_source_capture) makes: run on a
 * scratch database of db's dialect, introspected as the live schema is,
 * removed again. A statement that fails is MGR_ESCRIPT naming label.
 */
int schema_source_rebuilt(struct mgr_ctx *ctx, struct db *db,
                          const char *label, const struct mgr_buf *captured,
                          struct schema **out);

/*
 * The schema schema_file describes: applied to a scratch database of
 * db's dialect (or to dev_url when set), introspected, removed again.
 * *present_out (may be NULL) is false, and *out NULL, when schema_file
 * is the default and no such file exists; a schema_file set in the
 * config that is missing is MGR_ECONFIG. A statement that fails is
 * MGR_ESCRIPT naming the file and line.
 */
int schema_source_wanted(struct mgr_ctx *ctx, struct db *db,
                         struct schema **out, bool *present_out);

#endif
