/*
 * schema_describe.c: one line about a schema change (see schema_diff.h),
 * as "<verb> <object>" ("drop index ix_units_property_id") or, in the
 * past, "<object> <participle>" ("index ix_units_property_id dropped"),
 * and the names that the notes of schema_diff.c share with it.
 */
#include "autoconfig.h"

#include <stddef.h>

#include "schema_diff.h"
#include "schema_diff_internal.h"

void schema_diff_add_name(struct mgr_buf *out, const char *schema,
                          const char *name)
{
    if (schema && *schema)
        mgr_buf_addf(out, "%s.", schema);
    mgr_buf_addstr(out, name ? name : "(unnamed)");
}

void schema_diff_add_table(struct mgr_buf *out, const struct mgr_object *obj)
{
    schema_diff_add_name(out, obj->schema, obj->table);
}

void schema_diff_add_column(struct mgr_buf *out,
                            const struct mgr_object *column)
{
    schema_diff_add_table(out, column);
    mgr_buf_addf(out, ".%s", column->name ? column->name : "(unnamed)");
}

/* What an object is called in a description, by enum mgr_object_kind. */
static const char *const object_words[] = {
    [MGR_OBJ_TABLE] = "table",
    [MGR_OBJ_COLUMN] = "column",
    [MGR_OBJ_PRIMARY_KEY] = "primary key",
    [MGR_OBJ_UNIQUE] = "unique constraint",
    [MGR_OBJ_FOREIGN_KEY] = "foreign key",
    [MGR_OBJ_CHECK] = "check constraint",
    [MGR_OBJ_INDEX] = "index",
    [MGR_OBJ_ENUM] = "enum",
    [MGR_OBJ_SEQUENCE] = "sequence",
    [MGR_OBJ_VIEW] = "view",
};

static const char *object_word(const struct mgr_object *obj)
{
    size_t n = sizeof(object_words) / sizeof(object_words[0]);

    if (obj->kind < n && object_words[obj->kind])
        return object_words[obj->kind];
    return "object";
}

/* "column units.floor", "foreign key fk_x on units", "index ix_x". */
static void add_label(struct mgr_buf *out, const struct mgr_object *obj)
{
    mgr_buf_addf(out, "%s ", object_word(obj));
    switch (obj->kind) {
    case MGR_OBJ_COLUMN:
        schema_diff_add_column(out, obj);
        break;
    case MGR_OBJ_PRIMARY_KEY:
    case MGR_OBJ_UNIQUE:
    case MGR_OBJ_FOREIGN_KEY:
    case MGR_OBJ_CHECK:
        /* Constraint names are unique per table only (PostgreSQL). */
        mgr_buf_addf(out, "%s on ", obj->name ? obj->name : "(unnamed)");
        schema_diff_add_table(out, obj);
        break;
    default:
        schema_diff_add_name(out, obj->schema, obj->name);
        break;
    }
}

/* The verb of each change kind, in the present and the past. */
struct verb {
    const char *present;
    const char *past;
};

static const struct verb verbs[] = {
    [MGR_CHANGE_CREATE_TABLE] = { "create", "created" },
    [MGR_CHANGE_DROP_TABLE] = { "drop", "dropped" },
    [MGR_CHANGE_RENAME_TABLE] = { "rename", "renamed" },
    [MGR_CHANGE_ADD_COLUMN] = { "add", "added" },
    [MGR_CHANGE_DROP_COLUMN] = { "drop", "dropped" },
    [MGR_CHANGE_ALTER_COLUMN] = { "alter", "changed" },
    [MGR_CHANGE_RENAME_COLUMN] = { "rename", "renamed" },
    [MGR_CHANGE_ADD_CONSTRAINT] = { "add", "added" },
    [MGR_CHANGE_DROP_CONSTRAINT] = { "drop", "dropped" },
    [MGR_CHANGE_CREATE_INDEX] = { "create", "created" },
    [MGR_CHANGE_DROP_INDEX] = { "drop", "dropped" },
    [MGR_CHANGE_CREATE_ENUM] = { "create", "created" },
    [MGR_CHANGE_DROP_ENUM] = { "drop", "dropped" },
    [MGR_CHANGE_ADD_ENUM_VALUE] = { "add", "added" },
    [MGR_CHANGE_REPLACE_ENUM] = { "replace", "replaced" },
    [MGR_CHANGE_CREATE_SEQUENCE] = { "create", "created" },
    [MGR_CHANGE_DROP_SEQUENCE] = { "drop", "dropped" },
    [MGR_CHANGE_ALTER_SEQUENCE] = { "alter", "changed" },
    [MGR_CHANGE_CREATE_VIEW] = { "create", "created" },
    [MGR_CHANGE_REPLACE_VIEW] = { "replace", "replaced" },
    [MGR_CHANGE_DROP_VIEW] = { "drop", "dropped" },
    [MGR_CHANGE_SET_COMMENT] = { "set", "changed" },
};

static const struct verb *verb_of(uint32_t kind)
{
    static const struct verb unknown = { "change", "changed" };
    size_t n = sizeof(verbs) / sizeof(verbs[0]);

    if (kind < n && verbs[kind].present)
        return &verbs[kind];
    return &unknown;
}

/* The object a change is about: the new one when there is one. A table
 * change may carry only its table. */
static const struct mgr_object *subject_of(const struct mgr_change *c)
{
    if (c->to)
        return c->to;
    if (c->from)
        return c->from;
    if (c->to_table)
        return c->to_table->obj;
    return c->from_table ? c->from_table->obj : NULL;
}

/* ": type, default" for an ALTER_COLUMN. */
static void add_alter_list(struct mgr_buf *out, const struct mgr_change *c)
{
    bool not_null = c->to && (c->to->flags & MGR_OBJ_NOT_NULL);
    const char *sep = ": ";

    if (c->alter & MGR_ALTER_TYPE) {
        mgr_buf_addf(out, "%stype", sep);
        sep = ", ";
    }
    if (c->alter & MGR_ALTER_NULLABLE) {
        mgr_buf_addf(out, "%s%s", sep, not_null ? "not null" : "nullable");
        sep = ", ";
    }
    if (c->alter & MGR_ALTER_DEFAULT) {
        mgr_buf_addf(out, "%sdefault", sep);
        sep = ", ";
    }
    if (c->alter & MGR_ALTER_COLLATION) {
        mgr_buf_addf(out, "%scollation", sep);
        sep = ", ";
    }
    if (c->alter & MGR_ALTER_IDENTITY)
        mgr_buf_addf(out, "%sidentity", sep);
}

/* " to floor" for a rename: a column keeps its table, a table may not
 * keep its schema. */
static void add_rename_target(struct mgr_buf *out, const struct mgr_change *c)
{
    const struct mgr_object *to = c->to ? c->to : c->to_table->obj;

    mgr_buf_addstr(out, " to ");
    if (to->kind == MGR_OBJ_COLUMN)
        mgr_buf_addstr(out, to->name);
    else
        schema_diff_add_name(out, to->schema, to->name);
}

/* "add value 'x' to enum unit_kind", "value 'x' added to enum ...". */
static void describe_enum_value(const struct mgr_change *c, bool past,
                                struct mgr_buf *out)
{
    const char *value = c->value_index < c->to->nitems
                            ? c->to->items[c->value_index]
                            : "?";

    if (past)
        mgr_buf_addf(out, "value '%s' added to ", value);
    else
        mgr_buf_addf(out, "add value '%s' to ", value);
    add_label(out, c->to);
}

/* "set comment on column units.floor", "comment on column units.floor
 * removed". */
static void describe_comment(const struct mgr_change *c, bool past,
                             struct mgr_buf *out)
{
    bool removed = !c->to->comment;

    if (!past)
        mgr_buf_addstr(out, removed ? "remove " : "set ");
    mgr_buf_addstr(out, "comment on ");
    add_label(out, c->to);
    if (past)
        mgr_buf_addstr(out, removed ? " removed" : " changed");
}

void schema_change_describe(const struct mgr_change *c, bool past,
                            struct mgr_buf *out)
{
    const struct verb *verb = verb_of(c->kind);
    const struct mgr_object *subject = subject_of(c);

    if (c->kind == MGR_CHANGE_ADD_ENUM_VALUE && c->to) {
        describe_enum_value(c, past, out);
        return;
    }
    if (c->kind == MGR_CHANGE_SET_COMMENT && c->to) {
        describe_comment(c, past, out);
        return;
    }
    /* A rename is named by the old object, the rest by the new one. */
    if ((c->kind == MGR_CHANGE_RENAME_TABLE ||
         c->kind == MGR_CHANGE_RENAME_COLUMN) && c->from)
        subject = c->from;
    if (!subject) {
        mgr_buf_addf(out, past ? "change %u made" : "change %u",
                     (unsigned)c->kind);
        return;
    }
    if (!past)
        mgr_buf_addf(out, "%s ", verb->present);
    add_label(out, subject);
    if (past)
        mgr_buf_addf(out, " %s", verb->past);
    if (c->kind == MGR_CHANGE_ALTER_COLUMN)
        add_alter_list(out, c);
    if ((c->kind == MGR_CHANGE_RENAME_TABLE ||
         c->kind == MGR_CHANGE_RENAME_COLUMN) && (c->to || c->to_table))
        add_rename_target(out, c);
}
