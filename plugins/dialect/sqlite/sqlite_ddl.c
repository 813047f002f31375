/*
 * sqlite_ddl.c: render, the DDL of one change of a list.
 *
 * What SQLite's ALTER TABLE can do (RENAME TO, RENAME COLUMN, ADD
 * COLUMN, DROP COLUMN: https://www.sqlite.org/lang_altertable.html) is
 * one statement; the rest is a table rebuild (sqlite_rebuild.c), made
 * once per table, which covers that table's other changes after it. A
 * change of a table created earlier in the list appends nothing: CREATE
 * TABLE made the table as it is after the whole list. SQLite has no
 * enums, sequences or comments.
 *
 * Nothing here needs to run outside a transaction: *flags_out is left
 * alone. The rebuild runs with foreign_keys off (migrator never turns it
 * on), so dropping the old table leaves the references to it in place.
 */
#include "autoconfig.h"

#include <string.h>

#include "sqlite.h"
#include "sqlite_render.h"

void sqr_add(struct sq_render *r, const char *text)
{
    r->api->buf_add(r->out, text, strlen(text));
}

void sqr_qualified(struct sq_render *r, const char *schema, const char *name)
{
    ddl_qualified(&r->ddl, schema, name, r->out);
}

static void add_ident(struct sq_render *r, const char *ident)
{
    ddl_ident(&r->ddl, ident, r->out);
}

/* ---- column definitions -------------------------------------------- */

int sqr_is_literal(const char *text, int with_current)
{
    static const char *const words[] = {
        "NULL", "TRUE", "FALSE", NULL,
    };
    static const char *const current[] = {
        "CURRENT_TIME", "CURRENT_DATE", "CURRENT_TIMESTAMP", NULL,
    };
    struct sq_token t, end;
    const char *p = sq_token_next(text ? text : "", &t);
    int literal = t.kind == SQ_TOK_STRING || t.kind == SQ_TOK_NUMBER;

    if (sq_token_punct(&t, '-') || sq_token_punct(&t, '+')) {
        p = sq_token_next(p, &t);
        literal = t.kind == SQ_TOK_NUMBER;
    }
    for (int i = 0; words[i]; i++)
        literal |= sq_token_is(&t, words[i]);
    for (int i = 0; with_current && current[i]; i++)
        literal |= sq_token_is(&t, current[i]);
    sq_token_next(p, &end);
    return literal && end.kind == SQ_TOK_END;
}

/* DEFAULT takes a literal or an expression in parentheses; SQLite
 * prints the expression without them. */
static void add_default(struct sq_render *r, const char *expr)
{
    sqr_add(r, " DEFAULT ");
    if (sqr_is_literal(expr, 1)) {
        sqr_add(r, expr);
        return;
    }
    sqr_add(r, "(");
    sqr_add(r, expr);
    sqr_add(r, ")");
}

const struct mgr_object *sqr_autoincrement_key(const struct mgr_table *t)
{
    for (size_t i = 0; t && i < t->nconstraints; i++) {
        const struct mgr_object *c = t->constraints[i];

        if (c->kind != MGR_OBJ_PRIMARY_KEY || c->nitems != 1)
            continue;
        for (size_t k = 0; k < t->ncolumns; k++)
            if ((t->columns[k]->flags & MGR_OBJ_AUTOINCREMENT) &&
                sq_name_eq(t->columns[k]->name, c->items[0]))
                return c;
    }
    return NULL;
}

/* name type [PRIMARY KEY AUTOINCREMENT] [COLLATE c] [NOT NULL]
 * [DEFAULT x]; key is the inline primary key when it is col's. */
static void column_def(struct sq_render *r, const struct mgr_object *col,
                       const struct mgr_object *key)
{
    add_ident(r, col->name);
    if (col->type && *col->type) {
        sqr_add(r, " ");
        sqr_add(r, col->type);
    }
    if (key && sq_name_eq(key->items[0], col->name)) {
        if (key->name && *key->name) {
            sqr_add(r, " CONSTRAINT ");
            add_ident(r, key->name);
        }
        sqr_add(r, " PRIMARY KEY AUTOINCREMENT");
    }
    if (col->collation && *col->collation) {
        sqr_add(r, " COLLATE ");
        sqr_add(r, col->collation);
    }
    if (col->flags & MGR_OBJ_NOT_NULL)
        sqr_add(r, " NOT NULL");
    if (col->expr && *col->expr)
        add_default(r, col->expr);
}

/* ---- CREATE TABLE -------------------------------------------------- */

/* FOREIGN KEY (..) REFERENCES t, for a reference that names no columns
 * (the referred table's primary key), which ddl_constraint cannot
 * write. */
static void fk_to_primary_key(struct sq_render *r, const struct mgr_object *c)
{
    if (c->name && *c->name) {
        sqr_add(r, "CONSTRAINT ");
        add_ident(r, c->name);
        sqr_add(r, " ");
    }
    sqr_add(r, "FOREIGN KEY ");
    ddl_column_list(&r->ddl, c->items, c->nitems, r->out);
    sqr_add(r, " REFERENCES ");
    add_ident(r, c->ref_table);
    if (c->on_delete && *c->on_delete) {
        sqr_add(r, " ON DELETE ");
        sqr_add(r, c->on_delete);
    }
    if (c->on_update && *c->on_update) {
        sqr_add(r, " ON UPDATE ");
        sqr_add(r, c->on_update);
    }
    if (c->flags & MGR_OBJ_DEFERRABLE)
        sqr_add(r, c->flags & MGR_OBJ_INITIALLY_DEFERRED
                       ? " DEFERRABLE INITIALLY DEFERRED"
                       : " DEFERRABLE");
}

static void constraint_clause(struct sq_render *r,
                              const struct mgr_object *c)
{
    struct mgr_object fk;

    if (c->kind != MGR_OBJ_FOREIGN_KEY) {
        ddl_constraint(&r->ddl, c, r->out);
        return;
    }
    /* A foreign key refers to a table of its own database, and SQLite
     * takes no database name there. */
    fk = *c;
    fk.ref_schema = NULL;
    if (fk.ref_columns)
        ddl_constraint(&r->ddl, &fk, r->out);
    else
        fk_to_primary_key(r, &fk);
}

void sqr_create_table(struct sq_render *r, const struct mgr_table *t,
                      const char *schema, const char *name)
{
    const struct mgr_object *key = sqr_autoincrement_key(t);
    const char *sep = "\n    ";

    sqr_add(r, "CREATE TABLE ");
    sqr_qualified(r, schema, name);
    sqr_add(r, " (");
    for (size_t i = 0; i < t->ncolumns; i++) {
        sqr_add(r, sep);
        column_def(r, t->columns[i], key);
        sep = ",\n    ";
    }
    /* Foreign keys too: SQLite does not look for the referred table
     * until a row is written. */
    for (size_t i = 0; i < t->nconstraints; i++) {
        if (t->constraints[i] == key)
            continue;
        sqr_add(r, sep);
        constraint_clause(r, t->constraints[i]);
    }
    sqr_add(r, "\n);\n");
}

void sqr_create_index(struct sq_render *r, const struct mgr_object *ix,
                      const char *table)
{
    struct mgr_object at = *ix;

    at.table = table;
    ddl_create_index(&r->ddl, &at, false, r->out);
}

static void create_table(struct sq_render *r, const struct mgr_change *ch)
{
    const struct mgr_table *t = ch->to_table;

    sqr_create_table(r, t, t->obj->schema, t->obj->name);
    for (size_t i = 0; i < t->nindexes; i++)
        sqr_create_index(r, t->indexes[i], t->obj->name);
}

/* ---- one statement per change -------------------------------------- */

/* ALTER TABLE <the table of changes[i] as named now> */
static void alter_table(struct sq_render *r, size_t i)
{
    const char *schema, *name;

    sqr_table_of(r->changes[i], &schema, &name);
    sqr_add(r, "ALTER TABLE ");
    sqr_qualified(r, schema, sqr_name_at(r, i));
}

static void drop_index(struct sq_render *r, const struct mgr_object *ix)
{
    sqr_add(r, "DROP INDEX ");
    sqr_qualified(r, ix->schema, ix->name);
    sqr_add(r, ";\n");
}

static void rename_table(struct sq_render *r, size_t i)
{
    const struct mgr_change *ch = r->changes[i];

    alter_table(r, i);
    sqr_add(r, " RENAME TO ");
    add_ident(r, ch->to ? ch->to->name : ch->to_table->obj->name);
    sqr_add(r, ";\n");
}

static void drop_table(struct sq_render *r, size_t i)
{
    const char *schema, *name;

    sqr_table_of(r->changes[i], &schema, &name);
    sqr_add(r, "DROP TABLE ");
    sqr_qualified(r, schema, sqr_name_at(r, i));
    sqr_add(r, ";\n");
}

static void column_change(struct sq_render *r, size_t i)
{
    const struct mgr_change *ch = r->changes[i];
    int remake = sqr_remakes_views(r, i);
    struct sqr_detached views;

    if (remake)
        sqr_views_detach(r, i, &views);
    alter_table(r, i);
    if (ch->kind == MGR_CHANGE_ADD_COLUMN) {
        sqr_add(r, " ADD COLUMN ");
        column_def(r, ch->to, NULL);
    } else if (ch->kind == MGR_CHANGE_DROP_COLUMN) {
        sqr_add(r, " DROP COLUMN ");
        add_ident(r, ch->from->name);
    } else {
        sqr_add(r, " RENAME COLUMN ");
        add_ident(r, ch->from->name);
        sqr_add(r, " TO ");
        add_ident(r, ch->to->name);
    }
    sqr_add(r, ";\n");
    if (remake)
        sqr_views_reattach(r, &views);
}

/* The objects each kind of change needs. */
static int well_formed(const struct mgr_change *ch)
{
    switch (ch->kind) {
    case MGR_CHANGE_CREATE_TABLE:
        return ch->to_table && ch->to_table->obj;
    case MGR_CHANGE_DROP_TABLE:
        return ch->from_table && ch->from_table->obj;
    case MGR_CHANGE_RENAME_TABLE:
        return ch->from_table && ch->from_table->obj &&
               (ch->to || (ch->to_table && ch->to_table->obj));
    case MGR_CHANGE_ADD_COLUMN:
    case MGR_CHANGE_ADD_CONSTRAINT:
    case MGR_CHANGE_CREATE_INDEX:
    case MGR_CHANGE_CREATE_VIEW:
    case MGR_CHANGE_CREATE_ENUM:
    case MGR_CHANGE_CREATE_SEQUENCE:
        return ch->to != NULL;
    case MGR_CHANGE_DROP_COLUMN:
    case MGR_CHANGE_DROP_CONSTRAINT:
    case MGR_CHANGE_DROP_INDEX:
    case MGR_CHANGE_DROP_VIEW:
    case MGR_CHANGE_DROP_ENUM:
    case MGR_CHANGE_DROP_SEQUENCE:
        return ch->from != NULL;
    default:
        return ch->from && ch->to;
    }
}

/* A change that is one statement (or two) of its own. */
static int plain(struct sq_render *r, size_t i)
{
    const struct mgr_change *ch = r->changes[i];

    switch (ch->kind) {
    case MGR_CHANGE_CREATE_TABLE:
        create_table(r, ch);
        break;
    case MGR_CHANGE_DROP_TABLE:
        drop_table(r, i);
        break;
    case MGR_CHANGE_RENAME_TABLE:
        rename_table(r, i);
        break;
    case MGR_CHANGE_ADD_COLUMN:
    case MGR_CHANGE_DROP_COLUMN:
    case MGR_CHANGE_RENAME_COLUMN:
        column_change(r, i);
        break;
    case MGR_CHANGE_CREATE_INDEX:
        sqr_create_index(r, ch->to, sqr_name_at(r, i));
        break;
    case MGR_CHANGE_DROP_INDEX:
        drop_index(r, ch->from);
        break;
    default:
        return r->api->error_set(r->err, MGR_EUSAGE,
                                 "SQLite cannot render change kind %u",
                                 (unsigned)ch->kind);
    }
    return MGR_OK;
}

/* A change of a table: made by an earlier CREATE TABLE or rebuild, the
 * rebuild itself, or a statement of its own. */
static int table_change(struct sq_render *r, size_t i)
{
    const struct mgr_change *ch = r->changes[i];
    size_t first;

    if (r->created[i])
        return MGR_OK;
    /* A foreign key that stands in the way of dropping tables that
     * refer to each other: SQLite's DROP TABLE does not mind it, and the
     * table goes later in the list. */
    if (ch->kind == MGR_CHANGE_DROP_CONSTRAINT && !ch->to_table)
        return MGR_OK;
    first = sqr_first_rebuild(r, i);
    if (first == i)
        return sqr_rebuild(r, i);
    if (first < i && ch->kind != MGR_CHANGE_DROP_TABLE) {
        const char *schema, *name;
        struct mgr_buf note;

        sqr_table_of(ch, &schema, &name);
        r->api->buf_init(&note, 0);
        r->api->buf_addf(&note, "covered by the rebuild of %s above", name);
        ddl_comment(&r->ddl, note.buf, r->out);
        r->api->buf_release(&note);
        return MGR_OK;
    }
    return plain(r, i);
}

static int render_one(struct sq_render *r, size_t i)
{
    const struct mgr_change *ch = r->changes[i];

    switch (ch->kind) {
    case MGR_CHANGE_CREATE_ENUM:
    case MGR_CHANGE_DROP_ENUM:
    case MGR_CHANGE_ADD_ENUM_VALUE:
    case MGR_CHANGE_REPLACE_ENUM:
        return r->api->error_set(r->err, MGR_EUSAGE,
                                 "SQLite has no enum types");
    case MGR_CHANGE_CREATE_SEQUENCE:
    case MGR_CHANGE_DROP_SEQUENCE:
    case MGR_CHANGE_ALTER_SEQUENCE:
        return r->api->error_set(r->err, MGR_EUSAGE,
                                 "SQLite has no sequences");
    case MGR_CHANGE_SET_COMMENT:
        return MGR_OK; /* SQLite keeps no comments */
    case MGR_CHANGE_CREATE_VIEW:
    case MGR_CHANGE_REPLACE_VIEW:
    case MGR_CHANGE_DROP_VIEW:
        return sqr_view_change(r, i);
    default:
        break;
    }
    if (!sqr_is_table_change(ch))
        return r->api->error_set(r->err, MGR_EUSAGE,
                                 "unknown change kind %u",
                                 (unsigned)ch->kind);
    return table_change(r, i);
}

int sq_render(void *state, const struct mgr_change *const *changes,
              size_t n, size_t i, struct mgr_buf *out, unsigned *flags_out,
              struct mgr_error *err)
{
    struct sq_state *st = state;
    struct sq_render r;
    int rc;

    (void)flags_out;
    if (i >= n)
        return st->api->error_set(err, MGR_EUSAGE,
                                  "no schema change %zu in a list of %zu", i,
                                  n);
    /* The whole list is read (the rebuild looks ahead and back). */
    for (size_t k = 0; k < n; k++)
        if (!changes[k] || !well_formed(changes[k]))
            return st->api->error_set(err, MGR_EUSAGE,
                                      "malformed schema change %zu of %zu",
                                      k + 1, n);
    memset(&r, 0, sizeof(r));
    r.api = st->api;
    r.ddl.api = st->api;
    r.ddl.state = st;
    r.ddl.quote_ident = sq_quote_ident;
    r.changes = changes;
    r.n = n;
    r.out = out;
    r.err = err;
    sqr_plan(&r);
    rc = render_one(&r, i);
    r.api->free(r.created);
    r.api->free(r.needs_rebuild);
    return rc;
}
