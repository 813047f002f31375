/*
 * schema_diff.h: the changes that take one finished schema to another,
 * in an order a database accepts, with what a script author should know
 * about them. Pure C, no I/O.
 *
 * Order: drop views (those that go, and those in the way of a change
 * to what they read: they come back at the end); create enums, add
 * enum values, create sequences; drop foreign keys (a table's that is
 * to go, too, when it uses a key that goes before the table does),
 * indexes, constraints; drop columns; create tables
 * (referenced tables first); add and alter columns; add constraints,
 * create indexes, then add foreign keys (last: they may need a key or
 * unique index made just before); drop tables (referencing tables
 * first), sequences, enums; create and replace views; comments.
 *
 * For dialects. A CREATE_TABLE's to_table lists every constraint of the
 * new table, its foreign keys included. Some of those foreign keys come
 * again later as an ADD_CONSTRAINT of the same constraint, with the
 * other foreign keys and with from_table NULL: those that point to a
 * table created later (tables whose foreign keys form a cycle are
 * created in name order) and those that need a column or key this
 * diff adds to an existing table. A dialect that creates foreign keys
 * with the table skips such a later ADD_CONSTRAINT; one that cannot
 * (its CREATE TABLE needs the referred key to exist) leaves those
 * foreign keys out of CREATE TABLE and adds them at the ADD_CONSTRAINT.
 * Likewise a DROP_TABLE's from_table lists every constraint; when the
 * tables to drop refer to each other in a cycle, each foreign key among
 * them that points to a table dropped earlier is first dropped by a
 * DROP_CONSTRAINT whose to_table is NULL, which a dialect whose DROP
 * TABLE does not mind may skip. ADD_ENUM_VALUE steps of one enum come
 * in value_index order with to the final enum, so each new value goes
 * AFTER to->items[value_index - 1], or at index 0 BEFORE
 * from->items[0].
 */
#ifndef MGR_CORE_SCHEMA_DIFF_H
#define MGR_CORE_SCHEMA_DIFF_H

#include <stdbool.h>
#include <stddef.h>

#include <migrator/migrator.h>
#include <migrator/schema.h>

#include "schema_model.h"

struct schema_step {
    struct mgr_change change;
    /* A comment for the script about this step (one line, no "-- "),
     * e.g. what a NOT NULL column without default does to existing
     * rows; NULL when none. */
    char *note;
    /* A drop and an add that look alike (same type, same place): on the
     * later of the two steps, the RENAME that may be what was meant,
     * and why it may be (one line). The script carries it commented
     * out. NULL when none. */
    struct mgr_change *rename;
    char *rename_reason;
};

struct schema_diff {
    struct schema_step *steps;
    size_t n;
    /* &steps[i].change, for mgr_dialect_ops.render. */
    const struct mgr_change **changes;
};

#define SCHEMA_DIFF_INIT { NULL, 0, NULL }

/*
 * The steps from from to to (both finished, both alive as long as out
 * is). Objects are matched by kind, schema and key; a constraint whose
 * definition changed is dropped and added again. Empty when the schemas
 * are equal.
 */
int schema_diff(const struct schema *from, const struct schema *to,
                struct schema_diff *out, struct mgr_error *err);
void schema_diff_release(struct schema_diff *d);

/*
 * One line about a change, without newline. past false: what applying
 * it does ("add column units.floor", "drop index ix_units_property_id",
 * "alter column units.rent: type, default"); past true: what happened
 * ("column units.floor added", "index ix_units_property_id dropped",
 * "column units.rent changed: type, default").
 */
void schema_change_describe(const struct mgr_change *c, bool past,
                            struct mgr_buf *out);

#endif
