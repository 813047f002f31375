/*
 * pgl_create.c: CREATE TABLE (pgl.h). The table becomes new for the rest
 * of the run; its columns, keys, unique constraints and foreign keys go
 * into the run's state, its column types to the preference rules. A
 * foreign key to an existing table locks that table (SHARE ROW
 * EXCLUSIVE) while the statement runs, and PARTITION OF its parent.
 */
#include "autoconfig.h"

#include <string.h>

#include "pgl.h"

/* A foreign key of the new table rel: its target is locked when it
 * exists. */
static void note_reference(struct pgl_stmt *s, const struct mgr_json *con)
{
    struct pgl_rel ref;

    if (!jw_get_is(con, "contype", "CONSTR_FOREIGN") ||
        !pgl_rel_read(s->run, jw_get(con, "pktable"), &ref) || ref.is_new)
        return;
    pgl_note_lock(s, ref.shown, PGL_SHARE_ROW_EXCLUSIVE);
}

static void column(struct pgl_stmt *s, const struct pgl_rel *rel,
                   const struct mgr_json *coldef)
{
    const struct mgr_json *cons = jw_get(coldef, "constraints");
    const char *name = jw_get_str(coldef, "colname");

    pgl_column_set(s->run, rel->key, name, jw_get(coldef, "typeName"), true);
    pgl_column_types(s, rel, name, jw_get(coldef, "typeName"));
    pgl_column_constraints(s, rel, coldef);
    for (size_t i = 0; i < jw_len(cons); i++)
        note_reference(s, jw_node_body(jw_at(cons, i), "Constraint"));
}

/* PARTITION OF an existing table locks it (ACCESS EXCLUSIVE). */
static void note_parent(struct pgl_stmt *s, const struct mgr_json *body)
{
    struct pgl_rel parent;

    if (jw_get(body, "partbound") &&
        pgl_rel_read(s->run, jw_at(jw_get(body, "inhRelations"), 0),
                     &parent) &&
        !parent.is_new)
        pgl_note_lock(s, parent.shown, PGL_ACCESS_EXCLUSIVE);
}

void pgl_create_table(struct pgl_stmt *s, const struct mgr_json *body)
{
    const struct mgr_json *elts = jw_get(body, "tableElts");
    struct pgl_rel rel;

    if (!pgl_rel_read(s->run, jw_get(body, "relation"), &rel))
        return;
    note_parent(s, body);
    pgl_table_add(s->run, &rel);
    rel.is_new = true;
    for (size_t i = 0; i < jw_len(elts); i++) {
        const struct mgr_json *elt = jw_at(elts, i);
        const struct mgr_json *con = jw_node_body(elt, "Constraint");
        const struct mgr_json *coldef = jw_node_body(elt, "ColumnDef");

        if (coldef)
            column(s, &rel, coldef);
        if (con) {
            pgl_constraint_record(s, &rel, con, NULL);
            note_reference(s, con);
        }
    }
}
