/*
 * pg_ddl_types.c: render for enums, sequences and views (pg_ddl.h).
 *
 * An enum value can be added in place (ALTER TYPE ... ADD VALUE, which
 * the section must run outside a transaction: before PostgreSQL 12 it
 * cannot run inside one, and since then the new value cannot be used
 * before the transaction commits). Removing or moving values needs the
 * type rebuilt: the old one is renamed, the new one created, every
 * column of the old type converted through text, and the old type
 * dropped.
 *
 * A view is replaced by dropping and creating it, because CREATE OR
 * REPLACE VIEW can neither drop nor rename a column.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <string.h>

#include "pg_ddl.h"
#include "utf8.h"

/* What the old type is renamed to while it is rebuilt. */
#define OLD_ENUM_SUFFIX "__mgr_old"
#define NAME_MAX_BYTES 63

/* ---- enums --------------------------------------------------------------- */

static int need_named(struct pg_ddl *d, const struct mgr_object *obj,
                      const char *what)
{
    if (obj && obj->name)
        return MGR_OK;
    return pg_ddl_refuse(d, what, "the change names no object");
}

/* CREATE TYPE name AS ENUM ('a', 'b');\n */
static void create_enum(struct pg_ddl *d, const struct mgr_object *e)
{
    pg_ddl_add(d, "CREATE TYPE ");
    pg_ddl_qualified(d, e->schema, e->name);
    pg_ddl_add(d, " AS ENUM (");
    for (size_t k = 0; k < e->nitems; k++) {
        if (k)
            pg_ddl_add(d, ", ");
        pg_ddl_literal(d, e->items[k]);
    }
    pg_ddl_add(d, ")");
    pg_ddl_end(d);
}

int pg_ddl_create_enum(struct pg_ddl *d, const struct mgr_change *c)
{
    int rc = need_named(d, c->to, "CREATE TYPE");

    if (rc == MGR_OK)
        create_enum(d, c->to);
    return rc;
}

int pg_ddl_drop_enum(struct pg_ddl *d, const struct mgr_change *c)
{
    int rc = need_named(d, c->from, "DROP TYPE");

    if (rc != MGR_OK)
        return rc;
    pg_ddl_add(d, "DROP TYPE ");
    pg_ddl_qualified(d, c->from->schema, c->from->name);
    pg_ddl_end(d);
    return MGR_OK;
}

int pg_ddl_add_enum_value(struct pg_ddl *d, const struct mgr_change *c)
{
    const struct mgr_object *e = c->to;
    size_t k = c->value_index;
    int rc = need_named(d, e, "ALTER TYPE ... ADD VALUE");

    if (rc != MGR_OK)
        return rc;
    if (k >= e->nitems)
        return pg_ddl_refuse(d, "ALTER TYPE ... ADD VALUE",
                             "the value index is past the values");
    pg_ddl_add(d, "ALTER TYPE ");
    pg_ddl_qualified(d, e->schema, e->name);
    pg_ddl_add(d, " ADD VALUE ");
    pg_ddl_literal(d, e->items[k]);
    if (k + 1 < e->nitems) {
        pg_ddl_add(d, " BEFORE ");
        pg_ddl_literal(d, e->items[k + 1]);
    } else if (k > 0) {
        pg_ddl_add(d, " AFTER ");
        pg_ddl_literal(d, e->items[k - 1]);
    }
    pg_ddl_end(d);
    if (d->flags_out)
        *d->flags_out |= MGR_SECTION_NO_TRANSACTION;
    return MGR_OK;
}

/*
 * Whether a column's type (as format_type prints it: "mood",
 * "other.mood", "\"Mood\"[]") is enum e or an array of it; *array_out
 * says which.
 */
static bool uses_enum(const char *type, const struct mgr_object *e,
                      bool *array_out)
{
    char bare[2 * NAME_MAX_BYTES + 8], want[2 * NAME_MAX_BYTES + 8];
    size_t n = 0;

    if (!type)
        return false;
    for (const char *p = type; *p && n + 1 < sizeof(bare); p++)
        if (*p != '"')
            bare[n++] = *p;
    bare[n] = '\0';
    *array_out = n > 2 && strcmp(bare + n - 2, "[]") == 0;
    if (*array_out)
        bare[n - 2] = '\0';
    snprintf(want, sizeof(want), "%s%s%s", e->schema ? e->schema : "",
             e->schema && *e->schema ? "." : "", e->name);
    return strcmp(bare, want) == 0;
}

/* Whether change j of the list does away with col as it was (drops,
 * renames or retypes it, or its table). */
static bool change_removes(const struct mgr_change *ch,
                           const struct mgr_object *col)
{
    const struct mgr_object *from = ch->from;
    struct mgr_object table;

    switch (ch->kind) {
    case MGR_CHANGE_DROP_COLUMN:
    case MGR_CHANGE_RENAME_COLUMN:
        return pg_ddl_same_object(from, col);
    case MGR_CHANGE_ALTER_COLUMN:
        return pg_ddl_same_object(from, col) && (ch->alter & MGR_ALTER_TYPE);
    case MGR_CHANGE_DROP_TABLE:
    case MGR_CHANGE_RENAME_TABLE:
        from = from ? from : ch->from_table ? ch->from_table->obj : NULL;
        memset(&table, 0, sizeof(table));
        table.kind = MGR_OBJ_TABLE;
        table.schema = col->schema;
        table.name = col->table;
        return pg_ddl_same_object(from, &table);
    default:
        return false;
    }
}

/* The default col has after the whole list, or NULL. */
static const char *default_after(const struct mgr_change *c,
                                 const struct mgr_object *col)
{
    const struct mgr_schema *to = c->to_schema;

    for (size_t t = 0; to && t < to->ntables; t++)
        for (size_t k = 0; k < to->tables[t]->ncolumns; k++)
            if (pg_ddl_same_object(to->tables[t]->columns[k], col))
                return to->tables[t]->columns[k]->expr;
    return NULL;
}

/* The column, converted from the old type to the new one through text,
 * its default dropped around it (it would not convert). */
static void convert_column(struct pg_ddl *d, const struct mgr_change *c,
                           const struct mgr_object *col, bool array)
{
    const char *restore = default_after(c, col);

    if (col->expr && *col->expr) {
        pg_ddl_add(d, "ALTER TABLE ");
        ddl_owner(&d->text, col, d->out);
        pg_ddl_add(d, " ALTER COLUMN ");
        pg_ddl_ident(d, col->name);
        pg_ddl_add(d, " DROP DEFAULT");
        pg_ddl_end(d);
    }
    pg_ddl_add(d, "ALTER TABLE ");
    ddl_owner(&d->text, col, d->out);
    pg_ddl_add(d, " ALTER COLUMN ");
    pg_ddl_ident(d, col->name);
    pg_ddl_add(d, " TYPE ");
    pg_ddl_add(d, col->type);
    pg_ddl_add(d, " USING ");
    pg_ddl_ident(d, col->name);
    pg_ddl_add(d, array ? "::text[]::" : "::text::");
    pg_ddl_add(d, col->type);
    pg_ddl_end(d);
    if (col->expr && *col->expr && restore && *restore) {
        pg_ddl_add(d, "ALTER TABLE ");
        ddl_owner(&d->text, col, d->out);
        pg_ddl_add(d, " ALTER COLUMN ");
        pg_ddl_ident(d, col->name);
        pg_ddl_add(d, " SET DEFAULT ");
        pg_ddl_add(d, restore);
        pg_ddl_end(d);
    }
}

/* The columns of the old type when the change runs: those of the schema
 * before the list that no earlier change did away with. */
static void convert_old_columns(struct pg_ddl *d, const struct mgr_change *c,
                                const struct mgr_object *e)
{
    const struct mgr_schema *before =
        c->from_schema ? c->from_schema : c->to_schema;
    bool array;

    for (size_t t = 0; before && t < before->ntables; t++) {
        for (size_t k = 0; k < before->tables[t]->ncolumns; k++) {
            const struct mgr_object *col = before->tables[t]->columns[k];
            bool removed = false;

            if (!uses_enum(col->type, e, &array))
                continue;
            for (size_t j = 0; j < d->i && !removed; j++)
                removed = change_removes(d->changes[j], col);
            if (!removed)
                convert_column(d, c, col, array);
        }
    }
}

/* The columns earlier changes of the list made with the old type. */
static void convert_new_columns(struct pg_ddl *d, const struct mgr_change *c,
                                const struct mgr_object *e)
{
    bool array;

    for (size_t j = 0; j < d->i; j++) {
        const struct mgr_change *ch = d->changes[j];
        const struct mgr_table *t = ch->to_table;

        if (ch->kind == MGR_CHANGE_ADD_COLUMN && ch->to &&
            uses_enum(ch->to->type, e, &array))
            convert_column(d, c, ch->to, array);
        if (ch->kind != MGR_CHANGE_CREATE_TABLE || !t)
            continue;
        for (size_t k = 0; k < t->ncolumns; k++)
            if (uses_enum(t->columns[k]->type, e, &array))
                convert_column(d, c, t->columns[k], array);
    }
}

/* The name the old type has while it is rebuilt: its own, cut at a
 * character boundary so that the suffix fits in 63 bytes. */
static void old_enum_name(const char *name, char *out, size_t size)
{
    size_t keep = NAME_MAX_BYTES - strlen(OLD_ENUM_SUFFIX);

    keep = utf8_cut(name, strlen(name), keep);
    snprintf(out, size, "%.*s%s", (int)keep, name, OLD_ENUM_SUFFIX);
}

int pg_ddl_replace_enum(struct pg_ddl *d, const struct mgr_change *c)
{
    char old_name[NAME_MAX_BYTES + 1];
    int rc = need_named(d, c->from, "an enum rebuild");

    if (rc == MGR_OK)
        rc = need_named(d, c->to, "an enum rebuild");
    if (rc != MGR_OK)
        return rc;
    old_enum_name(c->from->name, old_name, sizeof(old_name));
    pg_ddl_add(d, "ALTER TYPE ");
    pg_ddl_qualified(d, c->from->schema, c->from->name);
    pg_ddl_add(d, " RENAME TO ");
    pg_ddl_ident(d, old_name);
    pg_ddl_end(d);
    create_enum(d, c->to);
    convert_old_columns(d, c, c->from);
    convert_new_columns(d, c, c->from);
    pg_ddl_add(d, "DROP TYPE ");
    pg_ddl_qualified(d, c->from->schema, old_name);
    pg_ddl_end(d);
    return MGR_OK;
}

/* ---- sequences ----------------------------------------------------------- */

/* Whether a later change of the list creates the column that owns seq:
 * its OWNED BY waits for it (pg_ddl.c adds it then). */
static bool owner_made_later(const struct pg_ddl *d,
                             const struct mgr_object *seq)
{
    for (size_t j = d->i + 1; j < d->n; j++) {
        const struct mgr_change *ch = d->changes[j];
        const struct mgr_object *t = ch->to_table ? ch->to_table->obj : NULL;
        const struct mgr_object *col = ch->to;

        if (ch->kind == MGR_CHANGE_CREATE_TABLE && t &&
            pg_ddl_owned_by_is(seq->owned_by, t->name, NULL))
            return true;
        if (ch->kind == MGR_CHANGE_ADD_COLUMN && col &&
            pg_ddl_owned_by_is(seq->owned_by, col->table, col->name))
            return true;
    }
    return false;
}

static void add_number(struct pg_ddl *d, const char *what, long long v)
{
    d->api->buf_addf(d->out, " %s %lld", what, v);
}

int pg_ddl_create_sequence(struct pg_ddl *d, const struct mgr_change *c)
{
    const struct mgr_object *seq = c->to;
    int rc = need_named(d, seq, "CREATE SEQUENCE");

    if (rc != MGR_OK)
        return rc;
    pg_ddl_add(d, "CREATE SEQUENCE ");
    pg_ddl_qualified(d, seq->schema, seq->name);
    if (seq->type) {
        pg_ddl_add(d, " AS ");
        pg_ddl_add(d, seq->type);
    }
    add_number(d, "INCREMENT BY", seq->seq_increment);
    add_number(d, "MINVALUE", seq->seq_min);
    add_number(d, "MAXVALUE", seq->seq_max);
    add_number(d, "START WITH", seq->seq_start);
    if (seq->flags & MGR_OBJ_CYCLE)
        pg_ddl_add(d, " CYCLE");
    if (seq->owned_by && !owner_made_later(d, seq))
        pg_ddl_owned_by(d, seq->schema, seq->owned_by, NULL);
    pg_ddl_end(d);
    return MGR_OK;
}

/* Whether the list drops what owns seq, which takes seq with it. */
static bool owner_dropped(const struct pg_ddl *d,
                          const struct mgr_object *seq)
{
    for (size_t j = 0; j < d->n; j++) {
        const struct mgr_change *ch = d->changes[j];
        const struct mgr_object *gone =
            ch->from ? ch->from
                     : ch->from_table ? ch->from_table->obj : NULL;

        if (j == d->i || !gone || !seq->owned_by ||
            !pg_ddl_same_text(gone->schema, seq->schema))
            continue;
        if (ch->kind == MGR_CHANGE_DROP_TABLE &&
            pg_ddl_owned_by_is(seq->owned_by, gone->name, NULL))
            return true;
        if (ch->kind == MGR_CHANGE_DROP_COLUMN &&
            pg_ddl_owned_by_is(seq->owned_by, gone->table, gone->name))
            return true;
    }
    return false;
}

int pg_ddl_drop_sequence(struct pg_ddl *d, const struct mgr_change *c)
{
    const struct mgr_object *seq = c->from;
    int rc = need_named(d, seq, "DROP SEQUENCE");

    if (rc != MGR_OK)
        return rc;
    if (owner_dropped(d, seq)) {
        d->api->buf_addf(d->out, "-- sequence %s goes with %s\n", seq->name,
                         seq->owned_by);
        return MGR_OK;
    }
    pg_ddl_add(d, "DROP SEQUENCE ");
    pg_ddl_qualified(d, seq->schema, seq->name);
    pg_ddl_end(d);
    return MGR_OK;
}

/* Whether any parameter of the sequence differs between from and to. */
static bool sequence_differs(const struct pg_ddl *d,
                             const struct mgr_object *from,
                             const struct mgr_object *to, bool *owner_out)
{
    *owner_out = !pg_ddl_same_text(from->owned_by, to->owned_by) &&
                 !(to->owned_by && owner_made_later(d, to));
    return *owner_out ||
           (to->type && !pg_ddl_same_text(from->type, to->type)) ||
           from->seq_increment != to->seq_increment ||
           from->seq_min != to->seq_min || from->seq_max != to->seq_max ||
           from->seq_start != to->seq_start ||
           ((from->flags ^ to->flags) & MGR_OBJ_CYCLE);
}

/*
 * ALTER SEQUENCE refuses new bounds that leave the current value out
 * ("RESTART value (1) cannot be less than MINVALUE (10)"), which a
 * sequence not used yet always does when its minimum goes up. A value
 * the sequence has not reached yet is moved to the new bound first (as
 * not yet returned): a rising minimum for one that counts up, a falling
 * maximum for one that counts down. One past its new end the other way
 * is left for the server to refuse: moving it would hand out values
 * again.
 */
static void move_into_bounds(struct pg_ddl *d, const struct mgr_object *from,
                             const struct mgr_object *to)
{
    bool up = to->seq_increment > 0;
    long long bound = up ? to->seq_min : to->seq_max;
    struct mgr_buf name;

    if (up ? to->seq_min <= from->seq_min : to->seq_max >= from->seq_max)
        return;
    d->api->buf_init(&name, 0);
    ddl_qualified(&d->text, to->schema, to->name, &name);
    pg_ddl_add(d, "SELECT pg_catalog.setval(");
    pg_ddl_literal(d, name.buf);
    d->api->buf_addf(d->out,
                     ", %s(last_value, %lld), is_called AND last_value %s "
                     "%lld) FROM %s",
                     up ? "GREATEST" : "LEAST", bound, up ? ">=" : "<=",
                     bound, name.buf);
    pg_ddl_end(d);
    d->api->buf_release(&name);
}

/* ALTER SEQUENCE with what differs; nothing when nothing does. */
int pg_ddl_alter_sequence(struct pg_ddl *d, const struct mgr_change *c)
{
    const struct mgr_object *from = c->from, *to = c->to;
    bool owner;
    int rc = need_named(d, from, "ALTER SEQUENCE");

    if (rc == MGR_OK)
        rc = need_named(d, to, "ALTER SEQUENCE");
    if (rc != MGR_OK || !sequence_differs(d, from, to, &owner))
        return rc;
    move_into_bounds(d, from, to);
    pg_ddl_add(d, "ALTER SEQUENCE ");
    pg_ddl_qualified(d, to->schema, to->name);
    if (to->type && !pg_ddl_same_text(from->type, to->type)) {
        pg_ddl_add(d, " AS ");
        pg_ddl_add(d, to->type);
    }
    if (from->seq_increment != to->seq_increment)
        add_number(d, "INCREMENT BY", to->seq_increment);
    if (from->seq_min != to->seq_min)
        add_number(d, "MINVALUE", to->seq_min);
    if (from->seq_max != to->seq_max)
        add_number(d, "MAXVALUE", to->seq_max);
    if (from->seq_start != to->seq_start)
        add_number(d, "START WITH", to->seq_start);
    if ((from->flags ^ to->flags) & MGR_OBJ_CYCLE)
        pg_ddl_add(d, to->flags & MGR_OBJ_CYCLE ? " CYCLE" : " NO CYCLE");
    if (owner)
        pg_ddl_owned_by(d, to->schema, to->owned_by, NULL);
    pg_ddl_end(d);
    return MGR_OK;
}

/* ---- views --------------------------------------------------------------- */

static void create_view(struct pg_ddl *d, const struct mgr_object *v)
{
    ddl_create_view(&d->text, v, d->out);
    if (v->comment)
        pg_ddl_comment_on(d, v, v->comment);
}

static void drop_view(struct pg_ddl *d, const struct mgr_object *v)
{
    pg_ddl_add(d, "DROP VIEW ");
    pg_ddl_qualified(d, v->schema, v->name);
    pg_ddl_end(d);
}

int pg_ddl_create_view(struct pg_ddl *d, const struct mgr_change *c)
{
    int rc = need_named(d, c->to, "CREATE VIEW");

    if (rc == MGR_OK)
        create_view(d, c->to);
    return rc;
}

int pg_ddl_replace_view(struct pg_ddl *d, const struct mgr_change *c)
{
    int rc = need_named(d, c->from, "a view replacement");

    if (rc == MGR_OK)
        rc = need_named(d, c->to, "a view replacement");
    if (rc != MGR_OK)
        return rc;
    drop_view(d, c->from);
    create_view(d, c->to);
    return MGR_OK;
}

int pg_ddl_drop_view(struct pg_ddl *d, const struct mgr_change *c)
{
    int rc = need_named(d, c->from, "DROP VIEW");

    if (rc == MGR_OK)
        drop_view(d, c->from);
    return rc;
}
