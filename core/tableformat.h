/*
 * tableformat.h: the format of migrator's own tables (migrator_log,
 * migrator_lock, migrator_schema), so that a binary never writes into a
 * table laid out by a newer migrator, and upgrades one laid out by an
 * older migrator before using it.
 *
 * migrator_formats, in version_table_schema when set, has one row per
 * own table, and one for itself:
 *   table_name  the table's name, unquoted
 *   format      its layout, an integer that only grows
 *   written_by  the migrator version that wrote the row (PACKAGE_VERSION)
 * These three columns never change, whatever a later format adds.
 *
 * An own table without a row is format 1: as migrator wrote it before
 * migrator_formats existed. Format 2 has the same columns plus its row.
 * The version table has no row: its layout is Alembic's and never
 * changes.
 *
 * Costs: one SELECT before the lock and one under it, per run; nothing
 * per revision.
 */
#ifndef MGR_CORE_TABLEFORMAT_H
#define MGR_CORE_TABLEFORMAT_H

#include "vtable.h"

#define TABLEFORMAT_TABLE "migrator_formats"

/* The format of name that this binary writes; 0 for a table it does not
 * own. */
int tableformat_current(const char *name);

/*
 * MGR_EINTEGRITY, "written by migrator X.Y or later", when an own table
 * has a newer format than this binary knows. Reads only; no
 * migrator_formats means nothing newer.
 */
int tableformat_refuse_newer(struct vtable *vt, struct mgr_error *err);

/*
 * Under the migration lock, outside a transaction: refuse newer formats
 * as above, then bring every own table that exists in an older format to
 * the current one, all in one transaction (format 1 -> 2: its row).
 */
int tableformat_upgrade(struct vtable *vt, struct mgr_error *err);

/*
 * Record name, just created by this binary, in its current format
 * (creating migrator_formats when missing). In the caller's transaction;
 * a row already there is kept.
 */
int tableformat_record(struct vtable *vt, const char *name,
                       struct mgr_error *err);

#endif
