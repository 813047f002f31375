/*
 * schema.h: the schema model that dialects fill when they introspect a
 * database, and the schema changes they render as DDL (ABI 1.2).
 *
 * The model is plain data. A dialect reports each object it finds as one
 * struct mgr_object through mgr_host_api.schema_add(); the host copies
 * it. When the host asks a dialect to render changes, it hands over
 * struct mgr_change records whose pointers (objects, tables, the whole
 * schema before and after) are borrowed for the call.
 *
 * Names. schema is "" for the connection's default schema (PostgreSQL's
 * current_schema(), SQLite's "main"), so that two databases with the same
 * objects compare equal whatever their default schema is called. A
 * constraint or index whose name the database made up (PostgreSQL's
 * units_pkey, SQLite's unnamed constraints) carries MGR_OBJ_AUTONAME or a
 * NULL name; the host then names it by [naming_convention], and compares
 * it by that name. Text is as the database prints it (types, defaults,
 * check expressions, view definitions): both sides of a comparison come
 * from the same kind of database, and the host only ignores case, white
 * space, parentheses around the whole text and casts of literals.
 *
 * Structures grow only at the end; size says how much of one is filled.
 */
#ifndef MIGRATOR_SCHEMA_H
#define MIGRATOR_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum mgr_object_kind {
    MGR_OBJ_TABLE = 1,
    MGR_OBJ_COLUMN,      /* of table */
    MGR_OBJ_PRIMARY_KEY, /* of table: items are its columns */
    MGR_OBJ_UNIQUE,      /* of table: items are its columns */
    MGR_OBJ_FOREIGN_KEY, /* of table: items, ref_table, ref_columns */
    MGR_OBJ_CHECK,       /* of table: expr */
    MGR_OBJ_INDEX,       /* of table: items, expr (WHERE), method */
    MGR_OBJ_ENUM,        /* items are its values, in order */
    MGR_OBJ_SEQUENCE,    /* type, seq_* */
    MGR_OBJ_VIEW,        /* expr is its definition (the SELECT) */
};

/* mgr_object.flags */
#define MGR_OBJ_NOT_NULL 0x1u            /* COLUMN */
#define MGR_OBJ_UNIQUE_INDEX 0x2u        /* INDEX: CREATE UNIQUE INDEX */
#define MGR_OBJ_DEFERRABLE 0x4u          /* constraints */
#define MGR_OBJ_INITIALLY_DEFERRED 0x8u  /* constraints */
#define MGR_OBJ_AUTONAME 0x10u           /* the database chose the name */
#define MGR_OBJ_CYCLE 0x20u              /* SEQUENCE */
#define MGR_OBJ_IDENTITY_ALWAYS 0x40u    /* COLUMN: GENERATED ALWAYS AS IDENTITY */
#define MGR_OBJ_IDENTITY_DEFAULT 0x80u   /* COLUMN: ... BY DEFAULT AS IDENTITY */
#define MGR_OBJ_AUTOINCREMENT 0x100u     /* COLUMN: SQLite INTEGER PRIMARY KEY AUTOINCREMENT */

/*
 * One object of a schema. Fields a kind does not use are NULL or 0.
 */
struct mgr_object {
    uint32_t size;    /* sizeof(struct mgr_object) of whoever filled it */
    uint32_t kind;    /* enum mgr_object_kind */
    unsigned flags;   /* MGR_OBJ_* */
    int position;     /* COLUMN: 1-based ordinal among the table's */

    const char *schema; /* "" for the default schema */
    const char *table;  /* COLUMN, constraints, INDEX: the owning table */
    const char *name;   /* the object's own name; NULL: unnamed */

    /* COLUMN: its type as the database prints it ("integer",
     * "character varying(40)", "public.unit_kind"); SEQUENCE: its data
     * type. */
    const char *type;
    /* COLUMN: the server default; CHECK: the condition; INDEX: the WHERE
     * predicate of a partial index; VIEW: the defining SELECT. */
    const char *expr;
    const char *collation; /* COLUMN: when not the type's default */
    const char *comment;   /* TABLE, COLUMN, VIEW, INDEX, constraints */
    const char *method;    /* INDEX: "btree", "gin"...; NULL: default */

    /* PRIMARY_KEY, UNIQUE, FOREIGN_KEY: column names. INDEX: one
     * element per key as SQL text, ready for the column list: a column
     * name (quoted when it needs it) or an expression in parentheses,
     * with any DESC/opclass. ENUM: its values, in order. */
    const char *const *items;
    size_t nitems;

    /* FOREIGN_KEY: the referred table and its columns (nitems). */
    const char *ref_schema;
    const char *ref_table;
    const char *const *ref_columns;
    /* FOREIGN_KEY: "CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT";
     * NULL for NO ACTION. */
    const char *on_delete;
    const char *on_update;

    /* SEQUENCE: its parameters. */
    long long seq_start;
    long long seq_increment;
    long long seq_min;
    long long seq_max;
    /* SEQUENCE: the "table.column" that owns it, or NULL. */
    const char *owned_by;
};

/*
 * A table with what belongs to it, in a deterministic order: columns by
 * position, constraints and indexes by name.
 */
struct mgr_table {
    const struct mgr_object *obj;
    const struct mgr_object *const *columns;
    size_t ncolumns;
    const struct mgr_object *const *constraints; /* PK, UNIQUE, FK, CHECK */
    size_t nconstraints;
    const struct mgr_object *const *indexes;
    size_t nindexes;
};

/* A whole schema, each list sorted by (schema, name). */
struct mgr_schema {
    const struct mgr_table *const *tables;
    size_t ntables;
    const struct mgr_object *const *enums;
    size_t nenums;
    const struct mgr_object *const *sequences;
    size_t nsequences;
    const struct mgr_object *const *views;
    size_t nviews;
};

enum mgr_change_kind {
    MGR_CHANGE_CREATE_TABLE = 1, /* to_table: with its columns,
                                    constraints and indexes */
    MGR_CHANGE_DROP_TABLE,       /* from_table */
    MGR_CHANGE_RENAME_TABLE,     /* from_table -> to_table */
    MGR_CHANGE_ADD_COLUMN,       /* to */
    MGR_CHANGE_DROP_COLUMN,      /* from */
    MGR_CHANGE_ALTER_COLUMN,     /* from -> to; alter says what */
    MGR_CHANGE_RENAME_COLUMN,    /* from -> to */
    MGR_CHANGE_ADD_CONSTRAINT,   /* to */
    MGR_CHANGE_DROP_CONSTRAINT,  /* from */
    MGR_CHANGE_CREATE_INDEX,     /* to */
    MGR_CHANGE_DROP_INDEX,       /* from */
    MGR_CHANGE_CREATE_ENUM,      /* to */
    MGR_CHANGE_DROP_ENUM,        /* from */
    MGR_CHANGE_ADD_ENUM_VALUE,   /* from -> to (the final enum): the
                                    new value is to->items[value_index];
                                    one change per new value, in
                                    value_index order */
    MGR_CHANGE_REPLACE_ENUM,     /* from -> to: values removed or moved,
                                    which needs the type rebuilt */
    MGR_CHANGE_CREATE_SEQUENCE,  /* to */
    MGR_CHANGE_DROP_SEQUENCE,    /* from */
    MGR_CHANGE_ALTER_SEQUENCE,   /* from -> to */
    MGR_CHANGE_CREATE_VIEW,      /* to */
    MGR_CHANGE_REPLACE_VIEW,     /* from -> to */
    MGR_CHANGE_DROP_VIEW,        /* from */
    MGR_CHANGE_SET_COMMENT,      /* from -> to (TABLE, COLUMN, VIEW...):
                                    to->comment, NULL to remove it */
};

/* mgr_change.alter, for MGR_CHANGE_ALTER_COLUMN */
#define MGR_ALTER_TYPE 0x1u
#define MGR_ALTER_NULLABLE 0x2u
#define MGR_ALTER_DEFAULT 0x4u
#define MGR_ALTER_COLLATION 0x8u
#define MGR_ALTER_IDENTITY 0x10u

/*
 * One step from one schema to another. The objects are named: an object
 * the database named keeps its name; an unnamed one has the name
 * [naming_convention] gives it.
 */
struct mgr_change {
    uint32_t size; /* sizeof(struct mgr_change) in the host */
    uint32_t kind; /* enum mgr_change_kind */
    const struct mgr_object *from; /* the object before, or NULL */
    const struct mgr_object *to;   /* the object after, or NULL */
    /* The table the change is about, before and after every change of
     * the list (NULL where it does not exist): what a dialect needs to
     * rebuild a table whose ALTER TABLE cannot make the change. */
    const struct mgr_table *from_table;
    const struct mgr_table *to_table;
    unsigned alter;     /* ALTER_COLUMN: MGR_ALTER_* */
    size_t value_index; /* ADD_ENUM_VALUE: where the new value goes */
    /* The schemas the whole list goes from and to. */
    const struct mgr_schema *from_schema;
    const struct mgr_schema *to_schema;
};

#ifdef __cplusplus
}
#endif

#endif
