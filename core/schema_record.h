/*
 * schema_record.h: migrator_schema, beside migrator_log: the canonical
 * schema of the database as migrator left it, one row per set of heads,
 * written after every run that changed it, so that `check` can tell what
 * was changed outside migrations.
 *
 *   heads        the version rows, sorted, comma-separated ("" at base)
 *   recorded_at  UTC, "YYYY-MM-DD HH:MM:SS.ffffff"
 *   format       the snapshot's encoding (snapshot_codec.h)
 *   snapshot     the snapshot: schema_serialize() text, or, where the
 *                dialect can capture the schema (ABI 1.5), the line
 *                SCHEMA_RECORD_CAPTURED and the statements that make it
 *                again, which reading runs on a scratch database and
 *                introspects; a snapshot larger than SCHEMA_RECORD_MAX
 *                bytes is not recorded (a warning says so)
 *
 * A capture costs one query where introspecting costs a few per kind of
 * object and the model built from them: the cost moves from every run to
 * the commands that compare (check, status).
 */
#ifndef MGR_CORE_SCHEMA_RECORD_H
#define MGR_CORE_SCHEMA_RECORD_H

#include <stdbool.h>

#include "plan.h"
#include "runner.h"
#include "schema_model.h"

#define SCHEMA_RECORD_TABLE "migrator_schema"
#define SCHEMA_RECORD_MAX (8u * 1024u * 1024u)
#define SCHEMA_RECORD_CAPTURED "migrator-capture 1"

/* "a,b" from the rows, sorted (they are a set). Free it. */
char *schema_record_heads(const struct plan_rows *rows);

/*
 * Record s as the schema at heads (creating the table when missing), in
 * its own transaction on r's connection, which must hold the lock.
 */
int schema_record_write(struct runner *r, const char *heads,
                        const struct schema *s);

/*
 * The schema recorded at heads, or *out NULL when there is none (no
 * table, no row for these heads, or one in a newer format: warned).
 */
int schema_record_read(struct runner *r, const char *heads,
                       struct schema **out);

/*
 * In the run's own transaction, its bookkeeping written, just before its
 * COMMIT: the dialect's capture of the schema (ABI 1.5) at r's current
 * rows, inside a savepoint. The snapshot then commits with the run, so
 * that nothing done between the two can pass for the run's work, and
 * costs no transaction of its own. *recorded stays false when the
 * dialect cannot capture this schema, or the savepoint failed (a
 * warning; the transaction goes on): schema_record_after_run then.
 */
void schema_record_in_transaction(struct runner *r, bool *recorded);

/*
 * After a run on r's database: capture it (else introspect it) and
 * record it at its current rows. A dialect without introspection records
 * nothing. Failures are warnings: the run itself has committed.
 */
void schema_record_after_run(struct runner *r);

#endif
