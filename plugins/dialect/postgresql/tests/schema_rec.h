/*
 * schema_rec.h: a schema_add for the server suite that keeps what
 * introspect reports (deep copies) as well as recording it in
 * mock_schema_text, and builds a struct mgr_schema of it, so that a test
 * can hand the objects back to render.
 */
#ifndef MGR_PG_TEST_SCHEMA_REC_H
#define MGR_PG_TEST_SCHEMA_REC_H

#include <stddef.h>

#include <migrator/plugin.h>

struct schema_rec {
    struct mgr_object **objs; /* in the order reported */
    size_t n;
    /* schema_rec_build(): */
    struct mgr_table *tables;
    const struct mgr_table **table_list;
    const struct mgr_object **lists; /* every pointer list, in one */
    struct mgr_schema schema;
};

/* The sink to give introspect, and the upcall to put in api.schema_add. */
#define SCHEMA_REC_SINK(r) ((struct mgr_schema_sink *)(void *)(r))
int schema_rec_add(struct mgr_schema_sink *sink,
                   const struct mgr_object *obj, struct mgr_error *err);

/* Fill r->schema from what was recorded (tables in the order reported,
 * their parts in the order reported). */
void schema_rec_build(struct schema_rec *r);

/* The table schema.name of r->schema, or NULL. */
const struct mgr_table *schema_rec_table(const struct schema_rec *r,
                                         const char *schema,
                                         const char *name);

/* The object of that kind, schema, table (NULL: none) and name, or NULL. */
const struct mgr_object *schema_rec_find(const struct schema_rec *r,
                                         unsigned kind, const char *schema,
                                         const char *table,
                                         const char *name);

/* Free everything; r is empty again. */
void schema_rec_release(struct schema_rec *r);

#endif
