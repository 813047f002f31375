/*
 * pg_ddl.h: what the two halves of render share. pg_ddl.c renders
 * tables, columns, constraints, indexes and comments and holds the entry
 * point; pg_ddl_types.c renders enums, sequences and views.
 */
#ifndef MGR_PG_DDL_H
#define MGR_PG_DDL_H

#include <stdbool.h>

#include "ddl_text.h"
#include "pg.h"

/* One render call: the change at hand and the list it belongs to. */
struct pg_ddl {
    struct ddl_text text; /* the DDL every dialect writes alike */
    const struct mgr_host_api *api;
    void *state;
    const struct mgr_change *const *changes;
    size_t n;  /* changes in the list */
    size_t i;  /* the one to render */
    struct mgr_buf *out;
    unsigned *flags_out; /* may be NULL */
    struct mgr_error *err;
};

/* Append s; an identifier, quoted; schema.name (name alone for the
 * default schema); a literal, quoted; ";\n", ending a statement. */
void pg_ddl_add(struct pg_ddl *d, const char *s);
void pg_ddl_ident(struct pg_ddl *d, const char *ident);
void pg_ddl_qualified(struct pg_ddl *d, const char *schema,
                      const char *name);
void pg_ddl_literal(struct pg_ddl *d, const char *lit);
void pg_ddl_end(struct pg_ddl *d);

/* MGR_EUSAGE "cannot render <what>: <why>". */
int pg_ddl_refuse(struct pg_ddl *d, const char *what, const char *why);

/* Whether a and b are the same text, NULL being "". */
bool pg_ddl_same_text(const char *a, const char *b);

/* Whether a and b name the same object (kind, schema, table, name). */
bool pg_ddl_same_object(const struct mgr_object *a,
                        const struct mgr_object *b);

/* Whether owned_by ("table.column") names that table, and that column
 * unless column is NULL. */
bool pg_ddl_owned_by_is(const char *owned_by, const char *table,
                        const char *column);

/*
 * " OWNED BY schema.table.column" for owned_by "table.column" (split
 * after table when it names it, else at the first '.'), or " OWNED BY
 * NONE" for NULL.
 */
void pg_ddl_owned_by(struct pg_ddl *d, const char *schema,
                     const char *owned_by, const char *table);

/* COMMENT ON <obj> IS 'comment' (NULL: IS NULL);\n */
void pg_ddl_comment_on(struct pg_ddl *d, const struct mgr_object *obj,
                       const char *comment);

/* pg_ddl_types.c: one renderer per change kind. */
int pg_ddl_create_enum(struct pg_ddl *d, const struct mgr_change *c);
int pg_ddl_drop_enum(struct pg_ddl *d, const struct mgr_change *c);
int pg_ddl_add_enum_value(struct pg_ddl *d, const struct mgr_change *c);
int pg_ddl_replace_enum(struct pg_ddl *d, const struct mgr_change *c);
int pg_ddl_create_sequence(struct pg_ddl *d, const struct mgr_change *c);
int pg_ddl_drop_sequence(struct pg_ddl *d, const struct mgr_change *c);
int pg_ddl_alter_sequence(struct pg_ddl *d, const struct mgr_change *c);
int pg_ddl_create_view(struct pg_ddl *d, const struct mgr_change *c);
int pg_ddl_replace_view(struct pg_ddl *d, const struct mgr_change *c);
int pg_ddl_drop_view(struct pg_ddl *d, const struct mgr_change *c);

#endif
