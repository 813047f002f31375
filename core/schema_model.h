/*
 * schema_model.h: the core's schema model (<migrator/schema.h>): built
 * from the objects a dialect reports, put in a deterministic order, its
 * unnamed constraints and indexes named by [naming_convention], compared
 * with what databases normalise ignored, and written as canonical text
 * (the migrator_schema snapshot) that reads back into the same model.
 * Pure C, no I/O.
 */
#ifndef MGR_CORE_SCHEMA_MODEL_H
#define MGR_CORE_SCHEMA_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include <migrator/migrator.h>
#include <migrator/schema.h>

/* [naming_convention]: SQLAlchemy's placeholders (DESIGN.md). A NULL
 * member takes the default. */
struct naming_convention {
    const char *ix; /* ix_%(column_0_label)s */
    const char *uq; /* uq_%(table_name)s_%(column_0_name)s */
    const char *ck; /* ck_%(table_name)s_%(constraint_name)s */
    const char *fk; /* fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s */
    const char *pk; /* pk_%(table_name)s */
};

struct schema;

struct schema *schema_new(void);
void schema_free(struct schema *s); /* NULL does nothing */

/*
 * Copy obj (and everything it points to) into s. A table comes before
 * what belongs to it. MGR_EUSAGE with a message naming the object when
 * obj is malformed (no name, unknown kind) or its table is unknown, or
 * when it repeats an object already there.
 */
int schema_add(struct schema *s, const struct mgr_object *obj,
               struct mgr_error *err);

/*
 * Call once, after the last schema_add(): sort every list (tables,
 * enums, sequences, views by (schema, name); columns by position;
 * constraints and indexes by key), and give every constraint and index
 * its key, the name it is compared by: its own name, or, when it has
 * none or MGR_OBJ_AUTONAME, the one nc makes (deduplicated with _1,
 * _2...). An object without a name takes its key as name; with adopt,
 * so does an MGR_OBJ_AUTONAME one (the wanted schema: what
 * autogenerate creates carries the convention's names).
 */
void schema_finish(struct schema *s, const struct naming_convention *nc,
                   bool adopt);

/* The model, for the diff and the dialects. Valid until s is freed. */
const struct mgr_schema *schema_view(const struct schema *s);

/* The key of a constraint or index of a finished schema; the name of
 * anything else. obj must be one of a schema's own objects (from
 * schema_view()), never a copy: the key lives beside it. */
const char *schema_key(const struct mgr_object *obj);

/* The table (schema "" for the default one), or NULL. */
const struct mgr_table *schema_find_table(const struct mgr_schema *s,
                                          const char *schema,
                                          const char *name);

/* Whether two texts from a database (types, defaults, conditions, view
 * definitions) say the same: case outside quotes, white space, outer
 * parentheses and casts of literals do not count. NULL equals only
 * NULL. */
bool schema_text_equal(const char *a, const char *b);

/* Whether two objects of the same kind are the same (name, and every
 * attribute of their kind, texts by schema_text_equal()). Columns
 * compare without their position. */
bool schema_object_equal(const struct mgr_object *a,
                         const struct mgr_object *b);

/*
 * The canonical text of a finished schema: one line per object, in model
 * order, fields escaped, so that equal schemas give equal bytes.
 * schema_parse() reads it back into a finished schema (named with nc,
 * without adopt). MGR_EUSAGE for text it cannot read, naming the line.
 */
void schema_serialize(const struct schema *s, struct mgr_buf *out);
int schema_parse(const char *text, size_t len,
                 const struct naming_convention *nc, struct schema **out,
                 struct mgr_error *err);

/* How many objects s holds, of every kind (empty: 0). */
size_t schema_count(const struct schema *s);

#endif
