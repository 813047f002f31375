/*
 * schema_internal.h: what the files of the schema model (schema_model.c,
 * schema_naming.c, schema_compare.c, schema_serial.c) share. Nothing
 * outside them includes it: the rest of the core goes through
 * schema_model.h.
 */
#ifndef MGR_CORE_SCHEMA_INTERNAL_H
#define MGR_CORE_SCHEMA_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "schema_model.h"
#include "strmap.h"

/*
 * One object of a schema. The public struct comes first, so that a
 * const struct mgr_object * handed out by the model is also a pointer to
 * this (schema_key() relies on it).
 */
struct schema_obj {
    struct mgr_object pub; /* must stay first */
    const char *key;       /* constraint, index: set by schema_finish();
                              anything else: its name */
};

/* The struct schema_obj behind a public pointer the model handed out. */
#define SCHEMA_OBJ(o) ((struct schema_obj *)(void *)(o))
#define SCHEMA_COBJ(o) ((const struct schema_obj *)(const void *)(o))

/* A growable array of object pointers, in the form the views want. */
struct schema_list {
    const struct mgr_object **items;
    size_t n;
    size_t alloc;
};

struct schema_table {
    struct schema_obj *obj;
    struct schema_list columns;
    struct schema_list constraints; /* PK, UNIQUE, FK, CHECK */
    struct schema_list indexes;
    struct mgr_table view; /* points into the lists above */
};

struct schema {
    /* Every block this schema allocated for its objects and their
     * strings, freed together by schema_free(). */
    void **blocks;
    size_t nblocks;
    size_t ablocks;

    struct schema_table **tables;
    size_t ntables;
    size_t atables;
    struct schema_list enums;
    struct schema_list sequences;
    struct schema_list views;

    struct strmap table_ids; /* schema_name_id() of a table -> index in
                                tables */
    struct strmap names;     /* every named object, to refuse repeats */

    const struct mgr_table **table_views; /* filled by schema_finish() */
    struct mgr_schema view;
    bool finished;
};

/* Memory owned by s, freed with it. Never NULL. */
void *schema_alloc(struct schema *s, size_t n);
char *schema_strdup(struct schema *s, const char *str);

/* A total order on every field of two objects: schema, table, kind,
 * items, then the rest. Equal only when no field tells them apart. */
int schema_obj_cmp(const struct mgr_object *a, const struct mgr_object *b);

/* strcmp() where NULL sorts before any string. */
int schema_strcmp_null(const char *a, const char *b);

/* Give every constraint and index of s its key and, where it has none
 * (or with adopt an MGR_OBJ_AUTONAME one), its name (schema_naming.c). */
void schema_name_objects(struct schema *s, const struct naming_convention *nc,
                         bool adopt);

/* Kind names as the snapshot writes them ("table", "primary_key"...), or
 * NULL for a kind out of range. */
const char *schema_kind_token(unsigned kind);

/* Whether kind is one of PRIMARY_KEY, UNIQUE, FOREIGN_KEY, CHECK. */
bool schema_kind_is_constraint(unsigned kind);

/* Whether kind belongs to a table (column, constraint, index). */
bool schema_kind_is_owned(unsigned kind);

#endif
