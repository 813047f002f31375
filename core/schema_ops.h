/*
 * schema_ops.h: the schema side of revision --autogenerate and check
 * (op_schema.c, which also has baseline and schema dump).
 */
#ifndef MGR_CORE_SCHEMA_OPS_H
#define MGR_CORE_SCHEMA_OPS_H

#include <stdbool.h>

#include "ctx.h"
#include "runner.h"
#include "schema_script.h"

/*
 * The database must be at its heads. Fill bodies with what takes it to
 * schema_file and back, or set *nothing_out when they do not differ.
 */
int schema_autogenerate(struct mgr_ctx *ctx, struct script_bodies *bodies,
                        bool *nothing_out);

/*
 * One line of output per step from from to to, its description (past
 * tense when past) between prefix and suffix; *count grows by their
 * number.
 */
int schema_list_differences(struct mgr_ctx *ctx, const struct schema *from,
                            const struct schema *to, bool past,
                            const char *prefix, const char *suffix,
                            size_t *count);

/*
 * For check, on r's database (at heads, which are rows): report one line
 * per difference from schema_file and per change made outside migrations
 * since migrator recorded the schema; *count_out gets how many. Nothing
 * to compare (a dialect that cannot read schemas, no schema_file, no
 * record) is no difference.
 */
int schema_check(struct runner *r, const struct plan_rows *rows,
                 size_t *count_out);

#endif
