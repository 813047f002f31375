/*
 * schema_script.h: a schema diff as the text of a SQL revision's
 * sections, rendered by the dialect, with what the author should know as
 * comments: notes on risky steps, and a commented-out RENAME where a drop
 * and an add look like one.
 */
#ifndef MGR_CORE_SCHEMA_SCRIPT_H
#define MGR_CORE_SCHEMA_SCRIPT_H

#include <migrator/migrator.h>

#include "db.h"
#include "schema_diff.h"

/* The bodies of a new SQL script's two sections. */
struct script_bodies {
    struct mgr_buf upgrade;
    unsigned upgrade_flags; /* MGR_SECTION_NO_TRANSACTION */
    struct mgr_buf downgrade;
    unsigned downgrade_flags;
};

void script_bodies_init(struct script_bodies *b);
void script_bodies_release(struct script_bodies *b);

/* Append the DDL of every step of d to out through db's dialect. */
int schema_script_render(struct db *db, const struct schema_diff *d,
                         struct mgr_buf *out, unsigned *flags_out,
                         struct mgr_error *err);

/*
 * Put the bodies into text, a rendered script template: each after its
 * "-- migrate:upgrade" / "-- migrate:downgrade" marker line, which gets
 * " transaction=false" when its flags say so. A section whose marker is
 * missing is appended with its marker.
 */
void schema_script_fill(struct mgr_buf *text, const struct script_bodies *b);

#endif
