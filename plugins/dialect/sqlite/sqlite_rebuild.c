/*
 * sqlite_rebuild.c: the table rebuild, for what SQLite's ALTER TABLE
 * cannot do (change a column, add or drop a constraint, add a column it
 * refuses, drop a column something uses), in the order
 * https://www.sqlite.org/lang_altertable.html#otheralter gives:
 *
 *   DROP VIEW each view that uses the table (else the RENAME below fails
 *             on a view that names a table that is gone)
 *   CREATE TABLE "_migrator_new_<t>" (the table after the whole list)
 *   INSERT INTO it (the columns both have) SELECT them FROM the old table
 *   (and the AUTOINCREMENT counter in sqlite_sequence)
 *   DROP TABLE the old table; ALTER TABLE the new one RENAME TO "<t>"
 *   CREATE INDEX each index after the list; CREATE VIEW the views again
 *   PRAGMA foreign_key_check("<t>"), which the dialect's query turns
 *   into a failure, so the run rolls back instead of committing broken
 *   references.
 *
 * The new table is renamed, never the old one: renaming the old table
 * would make SQLite rewrite the references other tables hold to it. (A
 * RENAME TABLE of the list after the rebuild is made before it, by
 * SQLite, for that very rewrite.)
 *
 * The rebuild goes where the first change of the table that needs it is;
 * the table's changes before it run as statements of their own, and
 * those after it are covered. Rows follow their columns through the
 * list's renames.
 */
#include "autoconfig.h"

#include <string.h>

#include "sqlite.h"
#include "sqlite_render.h"

/* The prefix of the rebuilt table's temporary name. */
#define NEW_TABLE_PREFIX "_migrator_new_"

int sqr_is_table_change(const struct mgr_change *ch)
{
    switch (ch->kind) {
    case MGR_CHANGE_CREATE_TABLE:
    case MGR_CHANGE_DROP_TABLE:
    case MGR_CHANGE_RENAME_TABLE:
    case MGR_CHANGE_ADD_COLUMN:
    case MGR_CHANGE_DROP_COLUMN:
    case MGR_CHANGE_ALTER_COLUMN:
    case MGR_CHANGE_RENAME_COLUMN:
    case MGR_CHANGE_ADD_CONSTRAINT:
    case MGR_CHANGE_DROP_CONSTRAINT:
    case MGR_CHANGE_CREATE_INDEX:
    case MGR_CHANGE_DROP_INDEX:
        return 1;
    default:
        return 0;
    }
}

static int is_table_kind(uint32_t kind)
{
    return kind == MGR_CHANGE_CREATE_TABLE ||
           kind == MGR_CHANGE_DROP_TABLE || kind == MGR_CHANGE_RENAME_TABLE;
}

void sqr_table_of(const struct mgr_change *ch, const char **schema,
                  const char **name)
{
    const struct mgr_table *t = ch->to_table ? ch->to_table : ch->from_table;
    const struct mgr_object *obj = ch->to ? ch->to : ch->from;

    if (t && t->obj) {
        *schema = t->obj->schema;
        *name = t->obj->name;
    } else {
        *schema = obj->schema;
        *name = is_table_kind(ch->kind) ? obj->name : obj->table;
    }
}

static int same_schema(const char *a, const char *b)
{
    return sq_name_eq(a ? a : "", b ? b : "");
}

/* Whether changes[i] and changes[j] are about the same table. */
static int same_table(const struct sq_render *r, size_t i, size_t j)
{
    const char *si, *ni, *sj, *nj;

    if (!sqr_is_table_change(r->changes[i]) ||
        !sqr_is_table_change(r->changes[j]))
        return 0;
    sqr_table_of(r->changes[i], &si, &ni);
    sqr_table_of(r->changes[j], &sj, &nj);
    return same_schema(si, sj) && sq_name_eq(ni, nj);
}

const char *sqr_name_at(const struct sq_render *r, size_t i)
{
    const struct mgr_change *ch = r->changes[i];
    const char *schema, *now;

    sqr_table_of(ch, &schema, &now);
    if (ch->from_table && ch->from_table->obj)
        now = ch->from_table->obj->name;
    for (size_t j = 0; j < i; j++) {
        const struct mgr_change *rn = r->changes[j];

        if (rn->kind == MGR_CHANGE_RENAME_TABLE && same_table(r, i, j))
            now = rn->to ? rn->to->name : rn->to_table->obj->name;
    }
    return now;
}

/* ---- which changes need the rebuild --------------------------------- */

/* Whether col is a column of a PRIMARY KEY, UNIQUE (or, with fk, FOREIGN
 * KEY) constraint of t. */
static int in_key(const struct mgr_table *t, const char *col, int fk)
{
    for (size_t i = 0; t && i < t->nconstraints; i++) {
        const struct mgr_object *c = t->constraints[i];

        if (c->kind != MGR_OBJ_PRIMARY_KEY && c->kind != MGR_OBJ_UNIQUE &&
            !(fk && c->kind == MGR_OBJ_FOREIGN_KEY))
            continue;
        for (size_t k = 0; k < c->nitems; k++)
            if (sq_name_eq(c->items[k], col))
                return 1;
    }
    return 0;
}

static int is_null(const char *text)
{
    struct sq_token t, end;

    sq_token_next(sq_token_next(text, &t), &end);
    return sq_token_is(&t, "NULL") && end.kind == SQ_TOK_END;
}

/* Whether ALTER TABLE ADD COLUMN can add the column of ch: not in a key,
 * a constant default (not CURRENT_*, not an expression), and a non-NULL
 * one when NOT NULL. */
static int addable(const struct mgr_change *ch)
{
    const struct mgr_object *col = ch->to;
    const char *dflt = col->expr && *col->expr ? col->expr : NULL;

    if ((col->flags & MGR_OBJ_AUTOINCREMENT) ||
        in_key(ch->to_table, col->name, 0))
        return 0;
    if (dflt && !sqr_is_literal(dflt, 0))
        return 0;
    return !(col->flags & MGR_OBJ_NOT_NULL) || (dflt && !is_null(dflt));
}

/* Whether a CHECK constraint or an index of t names col. */
static int used_in_table(const struct mgr_table *t, const char *col)
{
    for (size_t i = 0; t && i < t->nconstraints; i++)
        if (t->constraints[i]->kind == MGR_OBJ_CHECK &&
            sq_text_mentions(t->constraints[i]->expr, col))
            return 1;
    for (size_t i = 0; t && i < t->nindexes; i++) {
        const struct mgr_object *ix = t->indexes[i];

        if (sq_text_mentions(ix->expr, col))
            return 1;
        for (size_t k = 0; k < ix->nitems; k++)
            if (sq_text_mentions(ix->items[k], col))
                return 1;
    }
    return 0;
}

/* Whether a foreign key of another table of s refers to table.col. */
static int referenced(const struct mgr_schema *s, const char *table,
                      const char *col)
{
    for (size_t i = 0; s && i < s->ntables; i++) {
        const struct mgr_table *t = s->tables[i];

        for (size_t k = 0; k < t->nconstraints; k++) {
            const struct mgr_object *fk = t->constraints[k];

            if (fk->kind != MGR_OBJ_FOREIGN_KEY || !fk->ref_columns ||
                !sq_name_eq(fk->ref_table, table))
                continue;
            for (size_t c = 0; c < fk->nitems; c++)
                if (sq_name_eq(fk->ref_columns[c], col))
                    return 1;
        }
    }
    return 0;
}

static int view_names(const struct mgr_schema *s, const char *col)
{
    for (size_t i = 0; s && i < s->nviews; i++)
        if (sq_text_mentions(s->views[i]->expr, col))
            return 1;
    return 0;
}

/* Whether a view of either schema, or one the list makes, names col:
 * SQLite's DROP COLUMN would fail on it. (Any view with a word like the
 * column's name counts; a rebuild too many is harmless.) */
static int used_in_views(const struct sq_render *r, const char *col)
{
    const struct mgr_change *ch = r->changes[0];

    if (view_names(ch->from_schema, col) || view_names(ch->to_schema, col))
        return 1;
    for (size_t j = 0; j < r->n; j++) {
        const struct mgr_change *v = r->changes[j];

        if ((v->kind == MGR_CHANGE_CREATE_VIEW ||
             v->kind == MGR_CHANGE_REPLACE_VIEW) &&
            sq_text_mentions(v->to->expr, col))
            return 1;
    }
    return 0;
}

/* Whether ALTER TABLE DROP COLUMN can drop the column of changes[j]:
 * nothing uses it (https://www.sqlite.org/lang_altertable.html). */
static int droppable(const struct sq_render *r, size_t j)
{
    const struct mgr_change *ch = r->changes[j];
    const char *col = ch->from->name;

    if (in_key(ch->from_table, col, 1) || used_in_table(ch->from_table, col))
        return 0;
    if (ch->from_table && ch->from_table->obj &&
        referenced(ch->from_schema, ch->from_table->obj->name, col))
        return 0;
    return !used_in_views(r, col);
}

static int needs_rebuild(const struct sq_render *r, size_t j)
{
    switch (r->changes[j]->kind) {
    case MGR_CHANGE_ALTER_COLUMN:
    case MGR_CHANGE_ADD_CONSTRAINT:
    case MGR_CHANGE_DROP_CONSTRAINT:
        return 1;
    case MGR_CHANGE_ADD_COLUMN:
        return !addable(r->changes[j]);
    case MGR_CHANGE_DROP_COLUMN:
        return !droppable(r, j);
    default:
        return 0;
    }
}

/* Whether a CREATE TABLE before changes[j] made its table. A DROP TABLE
 * is never covered by it. */
static int created_before(const struct sq_render *r, size_t j)
{
    if (r->changes[j]->kind == MGR_CHANGE_DROP_TABLE)
        return 0;
    for (size_t k = 0; k < j; k++)
        if (r->changes[k]->kind == MGR_CHANGE_CREATE_TABLE &&
            same_table(r, k, j))
            return 1;
    return 0;
}

void sqr_plan(struct sq_render *r)
{
    size_t n = r->n ? r->n : 1;

    r->created = r->api->alloc(n);
    r->needs_rebuild = r->api->alloc(n);
    memset(r->created, 0, n);
    memset(r->needs_rebuild, 0, n);
    for (size_t j = 0; j < r->n; j++) {
        if (!sqr_is_table_change(r->changes[j]))
            continue;
        r->created[j] = (unsigned char)created_before(r, j);
        r->needs_rebuild[j] =
            (unsigned char)(!r->created[j] && needs_rebuild(r, j));
    }
}

size_t sqr_first_rebuild(const struct sq_render *r, size_t i)
{
    for (size_t j = 0; j < r->n; j++)
        if (r->needs_rebuild[j] && same_table(r, i, j))
            return j;
    return r->n;
}

int sqr_remakes_views(const struct sq_render *r, size_t j)
{
    size_t first;

    if (!sqr_is_table_change(r->changes[j]) || r->created[j])
        return 0;
    first = sqr_first_rebuild(r, j);
    if (first == j)
        return 1;
    return r->changes[j]->kind == MGR_CHANGE_RENAME_COLUMN && first > j &&
           sqr_views_nested(r, j);
}

/* ---- where the rows go ---------------------------------------------- */

/* A column of the old table: its name when the rebuild runs (NULL for
 * one added after it), and after each change so far (NULL: dropped). */
struct carried {
    const char *at_rebuild;
    const char *now;
};

/* Follow the column change ch in m[0..*n). */
static void follow(const struct mgr_change *ch, struct carried *m, size_t *n)
{
    size_t k;

    if (ch->kind == MGR_CHANGE_ADD_COLUMN) {
        m[*n].at_rebuild = NULL;
        m[(*n)++].now = ch->to->name;
        return;
    }
    if (ch->kind != MGR_CHANGE_DROP_COLUMN &&
        ch->kind != MGR_CHANGE_RENAME_COLUMN)
        return;
    for (k = 0; k < *n; k++)
        if (m[k].now && sq_name_eq(m[k].now, ch->from->name))
            break;
    if (k < *n)
        m[k].now = ch->kind == MGR_CHANGE_DROP_COLUMN ? NULL : ch->to->name;
}

/* The columns of the table of the rebuild at changes[i], through the
 * whole list, into m (room for from_table's columns and r->n more). */
static size_t carry_columns(const struct sq_render *r, size_t i,
                            struct carried *m)
{
    const struct mgr_table *from = r->changes[i]->from_table;
    size_t n = 0;

    for (size_t k = 0; k < from->ncolumns; k++) {
        m[n].at_rebuild = NULL;
        m[n++].now = from->columns[k]->name;
    }
    for (size_t j = 0; j < i; j++)
        if (same_table(r, i, j))
            follow(r->changes[j], m, &n);
    for (size_t k = 0; k < n; k++)
        m[k].at_rebuild = m[k].now;
    for (size_t j = i; j < r->n; j++)
        if (same_table(r, i, j))
            follow(r->changes[j], m, &n);
    return n;
}

/* INSERT INTO new (cols) SELECT old cols FROM old: the rows, with every
 * column the old and the new table both have. */
static void copy_rows(struct sq_render *r, size_t i, const char *schema,
                      const char *new_table, const char *old_table)
{
    const struct mgr_table *to = r->changes[i]->to_table;
    const struct mgr_table *from = r->changes[i]->from_table;
    struct carried *m =
        r->api->alloc((from->ncolumns + r->n) * sizeof(*m) + 1);
    const char **dst = r->api->alloc(to->ncolumns * sizeof(*dst) + 1);
    const char **src = r->api->alloc(to->ncolumns * sizeof(*src) + 1);
    size_t nm = carry_columns(r, i, m), ncopy = 0;

    for (size_t c = 0; c < to->ncolumns; c++)
        for (size_t k = 0; k < nm; k++)
            if (m[k].at_rebuild && m[k].now &&
                sq_name_eq(m[k].now, to->columns[c]->name)) {
                dst[ncopy] = to->columns[c]->name;
                src[ncopy++] = m[k].at_rebuild;
                break;
            }
    if (ncopy) {
        sqr_add(r, "INSERT INTO ");
        sqr_qualified(r, schema, new_table);
        sqr_add(r, " ");
        ddl_column_list(&r->ddl, dst, ncopy, r->out);
        sqr_add(r, "\n    SELECT ");
        for (size_t k = 0; k < ncopy; k++) {
            sqr_add(r, k ? ", " : "");
            ddl_ident(&r->ddl, src[k], r->out);
        }
        sqr_add(r, " FROM ");
        sqr_qualified(r, schema, old_table);
        sqr_add(r, ";\n");
    } else {
        ddl_comment(&r->ddl, "no column is kept: no rows to copy", r->out);
    }
    r->api->free(m);
    r->api->free(dst);
    r->api->free(src);
}

/*
 * AUTOINCREMENT promises never to hand out an id again, but the new
 * table's counter in sqlite_sequence only knows the ids copied, and the
 * old one's row goes with DROP TABLE: carry the old counter over.
 */
static void carry_sequence(struct sq_render *r, const char *schema,
                           const char *new_table, const char *old_table)
{
    sqr_add(r, "DELETE FROM ");
    sqr_qualified(r, schema, "sqlite_sequence");
    sqr_add(r, " WHERE name = ");
    sq_quote_literal(r->ddl.state, new_table, r->out);
    sqr_add(r, ";\nINSERT INTO ");
    sqr_qualified(r, schema, "sqlite_sequence");
    sqr_add(r, " (name, seq)\n    SELECT ");
    sq_quote_literal(r->ddl.state, new_table, r->out);
    sqr_add(r, ", seq FROM ");
    sqr_qualified(r, schema, "sqlite_sequence");
    sqr_add(r, " WHERE name = ");
    sq_quote_literal(r->ddl.state, old_table, r->out);
    sqr_add(r, ";\n");
}

/* ---- the rebuild ---------------------------------------------------- */

static void swap_tables(struct sq_render *r, const char *schema,
                        const char *new_table, const char *old_table,
                        const char *name)
{
    sqr_add(r, "DROP TABLE ");
    sqr_qualified(r, schema, old_table);
    sqr_add(r, ";\nALTER TABLE ");
    sqr_qualified(r, schema, new_table);
    sqr_add(r, " RENAME TO ");
    ddl_ident(&r->ddl, name, r->out);
    sqr_add(r, ";\n");
}

static void fk_check(struct sq_render *r, const char *schema,
                     const char *name)
{
    sqr_add(r, "PRAGMA ");
    if (schema && *schema) {
        ddl_ident(&r->ddl, schema, r->out);
        sqr_add(r, ".");
    }
    sqr_add(r, "foreign_key_check(");
    ddl_ident(&r->ddl, name, r->out);
    sqr_add(r, ");\n");
}

/*
 * A rename of the table later in the list is made first, by SQLite
 * (which also renames the references other tables, views and triggers
 * hold), so that the rebuild makes the table under its last name; the
 * rename itself is covered. Returns the name the table has now.
 */
static const char *rename_first(struct sq_render *r, const char *schema,
                                const char *old, const char *name)
{
    /* A difference of case only is made by the RENAME TO below. */
    if (sq_name_eq(old, name))
        return old;
    sqr_add(r, "ALTER TABLE ");
    sqr_qualified(r, schema, old);
    sqr_add(r, " RENAME TO ");
    ddl_ident(&r->ddl, name, r->out);
    sqr_add(r, ";\n");
    return name;
}

int sqr_rebuild(struct sq_render *r, size_t i)
{
    const struct mgr_change *ch = r->changes[i];
    const char *schema, *name, *old = sqr_name_at(r, i);
    struct sqr_detached views;
    struct mgr_buf tmp;

    sqr_table_of(ch, &schema, &name);
    if (!ch->to_table || !ch->to_table->obj || !ch->from_table ||
        !ch->from_table->obj)
        return r->api->error_set(r->err, MGR_EUSAGE,
                                 "cannot rebuild table '%s': the change "
                                 "lacks the table before or after the list",
                                 name);
    r->api->buf_init(&tmp, 0);
    r->api->buf_addf(&tmp, "rebuild of %s: SQLite's ALTER TABLE cannot "
                           "make this change", name);
    ddl_comment(&r->ddl, tmp.buf, r->out);
    r->api->buf_reset(&tmp);
    r->api->buf_addf(&tmp, NEW_TABLE_PREFIX "%s", name);
    old = rename_first(r, schema, old, name);
    sqr_views_detach(r, i, &views);
    sqr_create_table(r, ch->to_table, schema, tmp.buf);
    copy_rows(r, i, schema, tmp.buf, old);
    if (sqr_autoincrement_key(ch->to_table))
        carry_sequence(r, schema, tmp.buf, old);
    swap_tables(r, schema, tmp.buf, old, name);
    for (size_t k = 0; k < ch->to_table->nindexes; k++)
        sqr_create_index(r, ch->to_table->indexes[k], name);
    sqr_views_reattach(r, &views);
    fk_check(r, schema, name);
    r->api->buf_release(&tmp);
    return MGR_OK;
}
