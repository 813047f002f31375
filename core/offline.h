/*
 * offline.h: a plan rendered as SQL text (--sql), without a database.
 *
 * The text is what a run would send: the version table's CREATE TABLE
 * when the run starts from no rows, then per step a "-- Running upgrade
 * A -> B" comment, the script's section and the version-table change;
 * BEGIN/COMMIT around the whole run, or around each step with
 * transaction_per_migration.
 */
#ifndef MGR_CORE_OFFLINE_H
#define MGR_CORE_OFFLINE_H

#include <stdbool.h>

#include <migrator/migrator.h>

#include "plan.h"

struct mgr_config;
struct db;

struct offline_opts {
    const char *version_table; /* unquoted name */
    const char *schema;        /* NULL or "" for none */
    bool per_migration;        /* transaction_per_migration */
    bool transactional;        /* emit BEGIN/COMMIT at all */
    const struct mgr_config *config; /* -x arguments for scripts */
    struct db *db;             /* the URL's dialect (not connected), which
                                  splits sections; NULL: text as written */
};

int offline_render(const struct plan *p, const struct offline_opts *o,
                   struct mgr_buf *out, struct mgr_error *err);

/* The CREATE TABLE of the version table. */
void offline_create_table(const struct offline_opts *o, struct mgr_buf *out);

/* Append ident, double-quoted unless it is a plain lowercase name. */
void offline_quote_ident(const char *ident, struct mgr_buf *out);
/* Append lit as a literal of db's dialect (NULL: E'' when lit holds a
 * backslash, with quotes and backslashes doubled): safe whatever
 * standard_conforming_strings says. */
void offline_quote_literal(const struct db *db, const char *lit,
                           struct mgr_buf *out);

#endif
