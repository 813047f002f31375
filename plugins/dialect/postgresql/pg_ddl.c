/*
 * pg_ddl.c: render, PostgreSQL DDL for one change of a list: tables,
 * columns, constraints, indexes and comments here, enums, sequences and
 * views in pg_ddl_types.c.
 *
 * Identifiers always go through quote_ident and are qualified with
 * their schema unless it is the default one (""); types, defaults,
 * check conditions and view definitions are written as the model holds
 * them, which is as the server printed them. Each statement ends with
 * ";\n".
 *
 * The list matters in a few places. CREATE TABLE leaves out a foreign
 * key that a later ADD_CONSTRAINT of the list adds, so that tables that
 * refer to each other can be created before their keys. A sequence
 * owned by a column that a later change creates gets its OWNED BY once
 * that column exists (ALTER SEQUENCE after the CREATE TABLE or ADD
 * COLUMN). Each column change is its own ALTER TABLE statement, so that
 * PostgreSQL's reordering of subcommands never puts, say, ADD IDENTITY
 * before SET NOT NULL.
 */
#include "autoconfig.h"

#include <string.h>

#include "pg_ddl.h"

#define IDENTITY_FLAGS (MGR_OBJ_IDENTITY_ALWAYS | MGR_OBJ_IDENTITY_DEFAULT)

/* ---- writing ------------------------------------------------------------- */

void pg_ddl_add(struct pg_ddl *d, const char *s)
{
    d->api->buf_add(d->out, s, strlen(s));
}

void pg_ddl_ident(struct pg_ddl *d, const char *ident)
{
    ddl_ident(&d->text, ident, d->out);
}

void pg_ddl_qualified(struct pg_ddl *d, const char *schema,
                      const char *name)
{
    ddl_qualified(&d->text, schema, name, d->out);
}

void pg_ddl_literal(struct pg_ddl *d, const char *lit)
{
    pg_quote_literal(d->state, lit, d->out);
}

void pg_ddl_end(struct pg_ddl *d)
{
    pg_ddl_add(d, ";\n");
}

int pg_ddl_refuse(struct pg_ddl *d, const char *what, const char *why)
{
    return d->api->error_set(d->err, MGR_EUSAGE, "cannot render %s: %s",
                             what, why);
}

/* "ALTER TABLE <owner of obj> " */
static void alter_table(struct pg_ddl *d, const struct mgr_object *obj)
{
    pg_ddl_add(d, "ALTER TABLE ");
    ddl_owner(&d->text, obj, d->out);
    pg_ddl_add(d, " ");
}

/* "ALTER TABLE t ALTER COLUMN c <action>", for the caller to end. */
static void alter_column(struct pg_ddl *d, const struct mgr_object *col,
                         const char *action)
{
    alter_table(d, col);
    pg_ddl_add(d, "ALTER COLUMN ");
    pg_ddl_ident(d, col->name);
    pg_ddl_add(d, " ");
    pg_ddl_add(d, action);
}

/* A collation as introspection reports it: a bare name, or one already
 * quoted and qualified (outside the search path). */
static void collation(struct pg_ddl *d, const char *name)
{
    if (name[0] == '"')
        pg_ddl_add(d, name);
    else
        pg_ddl_ident(d, name);
}

/* ---- the list ------------------------------------------------------------ */

bool pg_ddl_same_text(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

bool pg_ddl_same_object(const struct mgr_object *a,
                        const struct mgr_object *b)
{
    if (a == b)
        return true;
    return a && b && a->kind == b->kind &&
           pg_ddl_same_text(a->schema, b->schema) &&
           pg_ddl_same_text(a->table, b->table) &&
           pg_ddl_same_text(a->name, b->name);
}

bool pg_ddl_owned_by_is(const char *owned_by, const char *table,
                        const char *column)
{
    size_t n = table ? strlen(table) : 0;

    if (!owned_by || !table || strncmp(owned_by, table, n) != 0 ||
        owned_by[n] != '.')
        return false;
    return !column || strcmp(owned_by + n + 1, column) == 0;
}

void pg_ddl_owned_by(struct pg_ddl *d, const char *schema,
                     const char *owned_by, const char *table)
{
    size_t table_len;
    char *name;

    pg_ddl_add(d, " OWNED BY ");
    if (!owned_by || !strchr(owned_by, '.')) {
        pg_ddl_add(d, "NONE");
        return;
    }
    if (table && pg_ddl_owned_by_is(owned_by, table, NULL))
        table_len = strlen(table);
    else
        table_len = (size_t)(strchr(owned_by, '.') - owned_by);
    /* a table and its sequence share a schema */
    name = d->api->alloc(table_len + 1);
    memcpy(name, owned_by, table_len);
    name[table_len] = '\0';
    pg_ddl_qualified(d, schema, name);
    pg_ddl_add(d, ".");
    pg_ddl_ident(d, owned_by + table_len + 1);
    d->api->free(name);
}

/* Whether a later change of the list adds constraint fk. */
static bool added_later(const struct pg_ddl *d, const struct mgr_object *fk)
{
    for (size_t j = d->i + 1; j < d->n; j++)
        if (d->changes[j]->kind == MGR_CHANGE_ADD_CONSTRAINT &&
            pg_ddl_same_object(d->changes[j]->to, fk))
            return true;
    return false;
}

/*
 * ALTER SEQUENCE ... OWNED BY for the sequences an earlier change of the
 * list created for column (NULL: any column) of table, which had to wait
 * for it.
 */
static void own_sequences(struct pg_ddl *d, const struct mgr_object *table,
                          const char *column)
{
    for (size_t j = 0; j < d->i; j++) {
        const struct mgr_object *seq = d->changes[j]->to;

        if (d->changes[j]->kind != MGR_CHANGE_CREATE_SEQUENCE || !seq ||
            !pg_ddl_same_text(seq->schema, table->schema) ||
            !pg_ddl_owned_by_is(seq->owned_by, table->name, column))
            continue;
        pg_ddl_add(d, "ALTER SEQUENCE ");
        pg_ddl_qualified(d, seq->schema, seq->name);
        pg_ddl_owned_by(d, seq->schema, seq->owned_by, table->name);
        pg_ddl_end(d);
    }
}

/* ---- comments ------------------------------------------------------------ */

static const char *comment_target(unsigned kind)
{
    switch (kind) {
    case MGR_OBJ_TABLE:
        return "TABLE";
    case MGR_OBJ_VIEW:
        return "VIEW";
    case MGR_OBJ_INDEX:
        return "INDEX";
    case MGR_OBJ_SEQUENCE:
        return "SEQUENCE";
    case MGR_OBJ_ENUM:
        return "TYPE";
    case MGR_OBJ_COLUMN:
        return "COLUMN";
    default:
        return "CONSTRAINT";
    }
}

void pg_ddl_comment_on(struct pg_ddl *d, const struct mgr_object *obj,
                       const char *comment)
{
    pg_ddl_add(d, "COMMENT ON ");
    pg_ddl_add(d, comment_target(obj->kind));
    pg_ddl_add(d, " ");
    if (obj->kind == MGR_OBJ_COLUMN) {
        ddl_owner(&d->text, obj, d->out);
        pg_ddl_add(d, ".");
        pg_ddl_ident(d, obj->name);
    } else if (strcmp(comment_target(obj->kind), "CONSTRAINT") == 0) {
        pg_ddl_ident(d, obj->name);
        pg_ddl_add(d, " ON ");
        ddl_owner(&d->text, obj, d->out);
    } else {
        pg_ddl_qualified(d, obj->schema, obj->name);
    }
    pg_ddl_add(d, " IS ");
    if (comment)
        pg_ddl_literal(d, comment);
    else
        pg_ddl_add(d, "NULL");
    pg_ddl_end(d);
}

/* COMMENT ON obj, when it has one: for objects just created. */
static void comment_if_any(struct pg_ddl *d, const struct mgr_object *obj)
{
    if (obj->comment)
        pg_ddl_comment_on(d, obj, obj->comment);
}

static int set_comment(struct pg_ddl *d, const struct mgr_change *c)
{
    const struct mgr_object *obj = c->to ? c->to : c->from;

    if (!obj || !obj->name)
        return pg_ddl_refuse(d, "a comment", "the change names no object");
    pg_ddl_comment_on(d, obj, c->to ? c->to->comment : NULL);
    return MGR_OK;
}

/* ---- tables -------------------------------------------------------------- */

/* "name type [COLLATE c] [DEFAULT x] [NOT NULL] [GENERATED ...]" */
static void column_definition(struct pg_ddl *d, const struct mgr_object *col)
{
    pg_ddl_ident(d, col->name);
    pg_ddl_add(d, " ");
    pg_ddl_add(d, col->type);
    if (col->collation) {
        pg_ddl_add(d, " COLLATE ");
        collation(d, col->collation);
    }
    /* an identity column has no default of its own */
    if (col->expr && *col->expr && !(col->flags & IDENTITY_FLAGS)) {
        pg_ddl_add(d, " DEFAULT ");
        pg_ddl_add(d, col->expr);
    }
    if (col->flags & MGR_OBJ_NOT_NULL)
        pg_ddl_add(d, " NOT NULL");
    if (col->flags & MGR_OBJ_IDENTITY_ALWAYS)
        pg_ddl_add(d, " GENERATED ALWAYS AS IDENTITY");
    else if (col->flags & MGR_OBJ_IDENTITY_DEFAULT)
        pg_ddl_add(d, " GENERATED BY DEFAULT AS IDENTITY");
}

static int check_columns(struct pg_ddl *d, const struct mgr_table *t)
{
    for (size_t k = 0; k < t->ncolumns; k++)
        if (!t->columns[k]->name || !t->columns[k]->type)
            return pg_ddl_refuse(d, "a table",
                                 "a column without a name or type");
    return MGR_OK;
}

/* The column and constraint lines of CREATE TABLE. */
static void table_elements(struct pg_ddl *d, const struct mgr_table *t)
{
    const char *sep = "\n    ";

    for (size_t k = 0; k < t->ncolumns; k++) {
        pg_ddl_add(d, sep);
        column_definition(d, t->columns[k]);
        sep = ",\n    ";
    }
    for (size_t k = 0; k < t->nconstraints; k++) {
        const struct mgr_object *con = t->constraints[k];

        if (con->kind == MGR_OBJ_FOREIGN_KEY && added_later(d, con))
            continue;
        pg_ddl_add(d, sep);
        ddl_constraint(&d->text, con, d->out);
        sep = ",\n    ";
    }
    pg_ddl_add(d, t->ncolumns || t->nconstraints ? "\n" : "");
}

/* Comments of the table and of what CREATE TABLE made with it. */
static void table_comments(struct pg_ddl *d, const struct mgr_table *t)
{
    comment_if_any(d, t->obj);
    for (size_t k = 0; k < t->ncolumns; k++)
        comment_if_any(d, t->columns[k]);
    for (size_t k = 0; k < t->nconstraints; k++)
        if (t->constraints[k]->kind != MGR_OBJ_FOREIGN_KEY ||
            !added_later(d, t->constraints[k]))
            comment_if_any(d, t->constraints[k]);
    for (size_t k = 0; k < t->nindexes; k++)
        comment_if_any(d, t->indexes[k]);
}

static int create_table(struct pg_ddl *d, const struct mgr_change *c)
{
    const struct mgr_table *t = c->to_table;
    int rc;

    if (!t || !t->obj || !t->obj->name)
        return pg_ddl_refuse(d, "CREATE TABLE", "the change has no table");
    rc = check_columns(d, t);
    if (rc != MGR_OK)
        return rc;
    pg_ddl_add(d, "CREATE TABLE ");
    pg_ddl_qualified(d, t->obj->schema, t->obj->name);
    pg_ddl_add(d, " (");
    table_elements(d, t);
    pg_ddl_add(d, ")");
    pg_ddl_end(d);
    for (size_t k = 0; k < t->nindexes; k++)
        ddl_create_index(&d->text, t->indexes[k], true, d->out);
    table_comments(d, t);
    own_sequences(d, t->obj, NULL);
    return MGR_OK;
}

/* The table object a table change is about, before or after. */
static const struct mgr_object *table_of(const struct mgr_object *obj,
                                         const struct mgr_table *t)
{
    return obj ? obj : t ? t->obj : NULL;
}

static int drop_table(struct pg_ddl *d, const struct mgr_change *c)
{
    const struct mgr_object *t = table_of(c->from, c->from_table);

    if (!t || !t->name)
        return pg_ddl_refuse(d, "DROP TABLE", "the change has no table");
    pg_ddl_add(d, "DROP TABLE ");
    pg_ddl_qualified(d, t->schema, t->name);
    pg_ddl_end(d);
    return MGR_OK;
}

static int rename_table(struct pg_ddl *d, const struct mgr_change *c)
{
    const struct mgr_object *from = table_of(c->from, c->from_table);
    const struct mgr_object *to = table_of(c->to, c->to_table);

    if (!from || !to || !from->name || !to->name)
        return pg_ddl_refuse(d, "a table rename", "it needs both names");
    if (!pg_ddl_same_text(from->schema, to->schema))
        return pg_ddl_refuse(d, "a table rename",
                             "moving a table to another schema is not "
                             "supported");
    pg_ddl_add(d, "ALTER TABLE ");
    pg_ddl_qualified(d, from->schema, from->name);
    pg_ddl_add(d, " RENAME TO ");
    pg_ddl_ident(d, to->name);
    pg_ddl_end(d);
    return MGR_OK;
}

/* ---- columns ------------------------------------------------------------- */

/* Whether obj names a column or constraint of a table. */
static bool is_part(const struct mgr_object *obj)
{
    return obj && obj->name && obj->table;
}

static int add_column(struct pg_ddl *d, const struct mgr_change *c)
{
    const struct mgr_object *col = c->to;
    struct mgr_object table;

    if (!is_part(col) || !col->type)
        return pg_ddl_refuse(d, "ADD COLUMN", "the column is incomplete");
    alter_table(d, col);
    pg_ddl_add(d, "ADD COLUMN ");
    column_definition(d, col);
    pg_ddl_end(d);
    comment_if_any(d, col);
    memset(&table, 0, sizeof(table));
    table.schema = col->schema;
    table.name = col->table;
    own_sequences(d, &table, col->name);
    return MGR_OK;
}

static int drop_column(struct pg_ddl *d, const struct mgr_change *c)
{
    if (!is_part(c->from))
        return pg_ddl_refuse(d, "DROP COLUMN", "the change has no column");
    alter_table(d, c->from);
    pg_ddl_add(d, "DROP COLUMN ");
    pg_ddl_ident(d, c->from->name);
    pg_ddl_end(d);
    return MGR_OK;
}

static int rename_column(struct pg_ddl *d, const struct mgr_change *c)
{
    if (!is_part(c->from) || !is_part(c->to))
        return pg_ddl_refuse(d, "a column rename", "it needs both names");
    alter_table(d, c->from);
    pg_ddl_add(d, "RENAME COLUMN ");
    pg_ddl_ident(d, c->from->name);
    pg_ddl_add(d, " TO ");
    pg_ddl_ident(d, c->to->name);
    pg_ddl_end(d);
    return MGR_OK;
}

/* TYPE t [COLLATE c] [USING col::t]: a new type converts the values. */
static void retype_column(struct pg_ddl *d, const struct mgr_change *c)
{
    const struct mgr_object *to = c->to;

    alter_column(d, to, "TYPE ");
    pg_ddl_add(d, to->type);
    if (to->collation) {
        pg_ddl_add(d, " COLLATE ");
        collation(d, to->collation);
    } else if (!(c->alter & MGR_ALTER_TYPE)) {
        /* back to the type's own collation */
        pg_ddl_add(d, " COLLATE \"default\"");
    }
    if (c->alter & MGR_ALTER_TYPE) {
        pg_ddl_add(d, " USING ");
        pg_ddl_ident(d, to->name);
        pg_ddl_add(d, "::");
        pg_ddl_add(d, to->type);
    }
    pg_ddl_end(d);
}

static void set_default(struct pg_ddl *d, const struct mgr_object *col)
{
    alter_column(d, col, "SET DEFAULT ");
    pg_ddl_add(d, col->expr);
    pg_ddl_end(d);
}

static void set_identity(struct pg_ddl *d, const struct mgr_object *from,
                         const struct mgr_object *to)
{
    const char *how = to->flags & MGR_OBJ_IDENTITY_ALWAYS ? "ALWAYS"
                                                          : "BY DEFAULT";

    if (from->flags & IDENTITY_FLAGS) {
        alter_column(d, to, "SET GENERATED ");
        pg_ddl_add(d, how);
    } else {
        alter_column(d, to, "ADD GENERATED ");
        pg_ddl_add(d, how);
        pg_ddl_add(d, " AS IDENTITY");
    }
    pg_ddl_end(d);
}

/* ALTER TABLE t ALTER COLUMN c <action>;\n */
static void column_statement(struct pg_ddl *d, const struct mgr_object *col,
                             const char *action)
{
    alter_column(d, col, action);
    pg_ddl_end(d);
}

/*
 * One statement per part, in an order the server accepts: an identity
 * goes before its NOT NULL can; a default goes before a new type (it
 * might not convert) and comes back after it; NOT NULL is there before
 * an identity is added, which needs it.
 */
static int alter_column_change(struct pg_ddl *d, const struct mgr_change *c)
{
    const struct mgr_object *from = c->from, *to = c->to;
    unsigned bits = c->alter;
    bool retype, had_default, has_default, identity_set, identity_added;
    bool not_null;

    if (!is_part(from) || !is_part(to) || !to->type)
        return pg_ddl_refuse(d, "ALTER COLUMN", "it needs both columns");
    retype = bits & (MGR_ALTER_TYPE | MGR_ALTER_COLLATION);
    had_default = from->expr && *from->expr;
    has_default = to->expr && *to->expr && !(to->flags & IDENTITY_FLAGS);
    identity_set = (bits & MGR_ALTER_IDENTITY) &&
                   (to->flags & IDENTITY_FLAGS);
    identity_added = identity_set && !(from->flags & IDENTITY_FLAGS);
    not_null = (to->flags & MGR_OBJ_NOT_NULL) || identity_added;

    if ((bits & MGR_ALTER_IDENTITY) && !identity_set)
        column_statement(d, to, "DROP IDENTITY");
    if (had_default &&
        (retype || ((bits & MGR_ALTER_DEFAULT) && !has_default) ||
         identity_added))
        column_statement(d, to, "DROP DEFAULT");
    if (retype)
        retype_column(d, c);
    if ((bits & MGR_ALTER_NULLABLE) ||
        (identity_added && !(from->flags & MGR_OBJ_NOT_NULL)))
        column_statement(d, to, not_null ? "SET NOT NULL" : "DROP NOT NULL");
    if (has_default && ((bits & MGR_ALTER_DEFAULT) || (retype && had_default)))
        set_default(d, to);
    if (identity_set)
        set_identity(d, from, to);
    return MGR_OK;
}

/* ---- constraints and indexes --------------------------------------------- */

static int add_constraint(struct pg_ddl *d, const struct mgr_change *c)
{
    if (!is_part(c->to))
        return pg_ddl_refuse(d, "ADD CONSTRAINT",
                             "the constraint has no name or table");
    alter_table(d, c->to);
    pg_ddl_add(d, "ADD ");
    ddl_constraint(&d->text, c->to, d->out);
    pg_ddl_end(d);
    comment_if_any(d, c->to);
    return MGR_OK;
}

static int drop_constraint(struct pg_ddl *d, const struct mgr_change *c)
{
    if (!is_part(c->from))
        return pg_ddl_refuse(d, "DROP CONSTRAINT",
                             "the constraint has no name or table");
    alter_table(d, c->from);
    pg_ddl_add(d, "DROP CONSTRAINT ");
    pg_ddl_ident(d, c->from->name);
    pg_ddl_end(d);
    return MGR_OK;
}

static int create_index(struct pg_ddl *d, const struct mgr_change *c)
{
    if (!is_part(c->to) || c->to->nitems == 0)
        return pg_ddl_refuse(d, "CREATE INDEX",
                             "the index has no name, table or keys");
    ddl_create_index(&d->text, c->to, true, d->out);
    comment_if_any(d, c->to);
    return MGR_OK;
}

static int drop_index(struct pg_ddl *d, const struct mgr_change *c)
{
    if (!c->from || !c->from->name)
        return pg_ddl_refuse(d, "DROP INDEX", "the index has no name");
    pg_ddl_add(d, "DROP INDEX ");
    pg_ddl_qualified(d, c->from->schema, c->from->name);
    pg_ddl_end(d);
    return MGR_OK;
}

/* ---- the entry point ----------------------------------------------------- */

typedef int (*render_fn)(struct pg_ddl *d, const struct mgr_change *c);

static const render_fn renderers[] = {
    [MGR_CHANGE_CREATE_TABLE] = create_table,
    [MGR_CHANGE_DROP_TABLE] = drop_table,
    [MGR_CHANGE_RENAME_TABLE] = rename_table,
    [MGR_CHANGE_ADD_COLUMN] = add_column,
    [MGR_CHANGE_DROP_COLUMN] = drop_column,
    [MGR_CHANGE_ALTER_COLUMN] = alter_column_change,
    [MGR_CHANGE_RENAME_COLUMN] = rename_column,
    [MGR_CHANGE_ADD_CONSTRAINT] = add_constraint,
    [MGR_CHANGE_DROP_CONSTRAINT] = drop_constraint,
    [MGR_CHANGE_CREATE_INDEX] = create_index,
    [MGR_CHANGE_DROP_INDEX] = drop_index,
    [MGR_CHANGE_CREATE_ENUM] = pg_ddl_create_enum,
    [MGR_CHANGE_DROP_ENUM] = pg_ddl_drop_enum,
    [MGR_CHANGE_ADD_ENUM_VALUE] = pg_ddl_add_enum_value,
    [MGR_CHANGE_REPLACE_ENUM] = pg_ddl_replace_enum,
    [MGR_CHANGE_CREATE_SEQUENCE] = pg_ddl_create_sequence,
    [MGR_CHANGE_DROP_SEQUENCE] = pg_ddl_drop_sequence,
    [MGR_CHANGE_ALTER_SEQUENCE] = pg_ddl_alter_sequence,
    [MGR_CHANGE_CREATE_VIEW] = pg_ddl_create_view,
    [MGR_CHANGE_REPLACE_VIEW] = pg_ddl_replace_view,
    [MGR_CHANGE_DROP_VIEW] = pg_ddl_drop_view,
    [MGR_CHANGE_SET_COMMENT] = set_comment,
};

/* The schema a change creates something in, or NULL: the default
 * schema, or a change that creates nothing. */
static const char *created_in(const struct mgr_change *c)
{
    const struct mgr_object *obj = c->to;

    switch (c->kind) {
    case MGR_CHANGE_CREATE_TABLE:
    case MGR_CHANGE_CREATE_ENUM:
    case MGR_CHANGE_CREATE_SEQUENCE:
    case MGR_CHANGE_CREATE_VIEW:
        break;
    default:
        return NULL;
    }
    if (!obj && c->to_table)
        obj = c->to_table->obj;
    return obj && obj->schema && *obj->schema ? obj->schema : NULL;
}

/*
 * The model has no schemas of their own: the first change of the list
 * that creates something in a schema other than the default one creates
 * the schema too, when it is missing. A downgrade leaves it: whether
 * migrator made it is not known.
 */
static void ensure_schema(const struct pg_ddl *d, const struct mgr_change *c)
{
    const char *schema = created_in(c);

    if (!schema)
        return;
    for (size_t k = 0; k < d->i; k++) {
        const char *earlier = created_in(d->changes[k]);

        if (earlier && strcmp(earlier, schema) == 0)
            return;
    }
    d->api->buf_addf(d->out, "CREATE SCHEMA IF NOT EXISTS ");
    ddl_ident(&d->text, schema, d->out);
    d->api->buf_addf(d->out, ";\n");
}

int pg_render(void *state, const struct mgr_change *const *changes,
              size_t n, size_t i, struct mgr_buf *out, unsigned *flags_out,
              struct mgr_error *err)
{
    struct pg_state *st = state;
    struct pg_ddl d = {
        .text = { st->api, state, pg_quote_ident },
        .api = st->api,
        .state = state,
        .changes = changes,
        .n = n,
        .i = i,
        .out = out,
        .flags_out = flags_out,
        .err = err,
    };
    const struct mgr_change *c = i < n && changes ? changes[i] : NULL;

    if (!c)
        return st->api->error_set(err, MGR_EUSAGE,
                                  "cannot render change %zu of %zu", i, n);
    if (c->kind >= sizeof(renderers) / sizeof(renderers[0]) ||
        !renderers[c->kind])
        return st->api->error_set(err, MGR_EUSAGE,
                                  "cannot render a change of kind %u",
                                  (unsigned)c->kind);
    ensure_schema(&d, c);
    return renderers[c->kind](&d, c);
}
