/*
 * lsq_rebuild.c: DROP, INSERT and PRAGMA (lsq.h).
 *
 * rebuild-without-foreign-key-check. A table rebuild is how SQLite
 * changes what its ALTER TABLE cannot: the rows are copied into a new
 * table, the old one dropped, the new one renamed. SQLite checks no
 * foreign key while it does so (and with foreign_keys off, never), so a
 * rebuild that loses or changes a referenced row commits broken
 * references unless a PRAGMA foreign_key_check follows it, which
 * migrator's SQLite dialect turns into a failure and a rollback. A
 * rebuild of x, within one section, is
 *   DROP TABLE x, then ALTER TABLE y RENAME TO x (reported at the
 *   RENAME), or
 *   INSERT INTO y ... SELECT ... FROM x, then DROP TABLE x (at the DROP,
 *   or at the RENAME when one follows);
 * and it is checked by a PRAGMA [schema.]foreign_key_check after it in the
 * section, without an argument or naming x. Whether one comes is known
 * when the section ends, so the findings are reported from end().
 *
 * foreign-keys-pragma-in-transaction. PRAGMA foreign_keys = ... is a
 * no-op inside a transaction (SQLite's documentation of the pragma), and
 * migrator runs a section in one unless it is marked transaction=false.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <string.h>

#include "lsq.h"

void lsq_section_clear(struct lsq_run *r)
{
    for (size_t i = 0; i < r->nmoves; i++) {
        r->api->free(r->moves[i].from);
        r->api->free(r->moves[i].to);
    }
    r->nmoves = 0;
}

void lsq_rebuilds_release(struct lsq_run *r)
{
    for (size_t i = 0; i < r->nrebuilds; i++) {
        r->api->free(r->rebuilds[i].table);
        r->api->free(r->rebuilds[i].existing);
    }
    r->api->free(r->rebuilds);
    r->api->free(r->moves);
    r->rebuilds = NULL;
    r->moves = NULL;
    r->nrebuilds = r->rebuilds_alloc = 0;
    r->nmoves = r->moves_alloc = 0;
}

static void move_add(struct lsq_run *r, const char *from, const char *to,
                     int was_new)
{
    struct lsq_move *m;

    r->moves = lsq_room(r->api, r->moves, &r->moves_alloc, r->nmoves,
                    sizeof(*r->moves));
    m = &r->moves[r->nmoves++];
    m->from = lsq_strdup(r->api, from);
    m->to = to ? lsq_strdup(r->api, to) : NULL;
    m->was_new = was_new;
}

/* This section's drop of table (to NULL) or copy out of it (to set). */
static const struct lsq_move *move_find(const struct lsq_run *r,
                                        const char *table, int copy)
{
    for (size_t i = r->nmoves; i-- > 0;)
        if (sq_name_eq(r->moves[i].from, table) &&
            (copy ? r->moves[i].to != NULL : r->moves[i].to == NULL))
            return &r->moves[i];
    return NULL;
}

/* The unchecked rebuild of table in this section, or NULL. */
static struct lsq_rebuild *rebuild_find(struct lsq_run *r, const char *table)
{
    for (size_t i = r->nrebuilds; i-- > 0;) {
        struct lsq_rebuild *b = &r->rebuilds[i];

        if (b->section != r->section)
            break;
        if (!b->checked && sq_name_eq(b->table, table))
            return b;
    }
    return NULL;
}

/* A rebuild of table at st (or moved there: the RENAME after a DROP). */
static void rebuild_at(struct lsq_run *r, const struct mgr_lint_statement *st,
                       const char *table, int was_new)
{
    struct lsq_rebuild *b = rebuild_find(r, table);

    if (b) {
        b->st = st;
        return;
    }
    r->rebuilds = lsq_room(r->api, r->rebuilds, &r->rebuilds_alloc,
                           r->nrebuilds, sizeof(*r->rebuilds));
    b = &r->rebuilds[r->nrebuilds++];
    b->table = lsq_strdup(r->api, table);
    b->existing = was_new ? NULL : lsq_strdup(r->api, table);
    b->st = st;
    b->section = r->section;
    b->checked = 0;
}

/* ---- DROP --------------------------------------------------------------- */

int lsq_drop(struct lsq_run *r, const struct lsq_stmt *s,
             struct mgr_error *err)
{
    struct lsq_qname q;
    size_t i = 2;
    char *name;

    (void)err;
    if (lsq_is(s, i, "IF") && lsq_is(s, i + 1, "EXISTS"))
        i += 2;
    lsq_qname_read(s, i, &q);
    if (q.name == (size_t)-1)
        return MGR_OK;
    name = lsq_ident(r->api, lsq_tok(s, q.name));
    if (lsq_is(s, 1, "TABLE")) {
        int was_new = lsq_table_find(&r->model, name) != NULL;

        if (move_find(r, name, 1))
            rebuild_at(r, s->st, name, was_new);
        move_add(r, name, NULL, was_new);
        lsq_table_drop(&r->model, r->api, name);
    } else if (lsq_is(s, 1, "INDEX")) {
        lsq_index_drop(&r->model, r->api, name);
    }
    r->api->free(name);
    return MGR_OK;
}

/* ---- INSERT ------------------------------------------------------------- */

void lsq_insert(struct lsq_run *r, const struct lsq_stmt *s)
{
    struct lsq_qname q, from;
    struct lsq_table *t;
    size_t i = 1, depth = 0, select_depth = 0;
    int select = 0;
    char *target, *source;

    if (lsq_is(s, i, "OR"))
        i += 2; /* INSERT OR REPLACE INTO */
    if (!lsq_is(s, i, "INTO"))
        return;
    i = lsq_qname_read(s, i + 1, &q);
    if (q.name == (size_t)-1)
        return;
    target = lsq_ident(r->api, lsq_tok(s, q.name));
    if ((t = lsq_table_find(&r->model, target)) != NULL)
        t->rows = 1;
    /* INSERT INTO target ... SELECT ... FROM source */
    for (; i < s->n; i++) {
        if (lsq_punct(s, i, '(')) {
            depth++;
        } else if (lsq_punct(s, i, ')')) {
            depth -= depth > 0;
        } else if (!select && lsq_is(s, i, "SELECT")) {
            select = 1;
            select_depth = depth;
        } else if (select && depth == select_depth && lsq_is(s, i, "FROM")) {
            lsq_qname_read(s, i + 1, &from);
            if (from.name != (size_t)-1) {
                source = lsq_ident(r->api, lsq_tok(s, from.name));
                move_add(r, source, target, 0);
                r->api->free(source);
            }
            break;
        }
    }
    r->api->free(target);
}

/* ---- RENAME ------------------------------------------------------------- */

void lsq_renamed(struct lsq_run *r, const struct mgr_lint_statement *st,
                 const char *to)
{
    const struct lsq_move *drop = move_find(r, to, 0);

    if (drop)
        rebuild_at(r, st, to, drop->was_new);
}

/* ---- PRAGMA ------------------------------------------------------------- */

int lsq_pragma(struct lsq_run *r, const struct lsq_stmt *s,
               struct mgr_error *err)
{
    struct lsq_qname q;
    size_t i = lsq_qname_read(s, 1, &q);
    const struct sq_token *name;

    if (q.name == (size_t)-1)
        return MGR_OK;
    name = lsq_tok(s, q.name);
    if (sq_token_names(name, "foreign_key_check")) {
        const struct sq_token *arg = NULL;

        if (lsq_punct(s, i, '(') && lsq_is_name(s, i + 1))
            arg = lsq_tok(s, i + 1);
        for (size_t k = r->nrebuilds; k-- > 0;) {
            struct lsq_rebuild *b = &r->rebuilds[k];

            if (b->section != r->section)
                break;
            if (!arg || sq_token_names(arg, b->table))
                b->checked = 1;
        }
        return MGR_OK;
    }
    if (sq_token_names(name, "foreign_keys") &&
        (lsq_punct(s, i, '=') || lsq_punct(s, i, '(')) &&
        !(s->st->flags & MGR_LINT_NO_TRANSACTION))
        return lsq_report(r, s->st, LSQ_FK_PRAGMA, NULL,
                          "move it to a revision of its own whose "
                          "sections are marked transaction=false "
                          "(-- migrate:upgrade transaction=false): SQLite "
                          "applies it only outside a transaction, and "
                          "then for the rest of the connection",
                          err,
                          "PRAGMA foreign_keys in a transaction: SQLite "
                          "ignores it there");
    return MGR_OK;
}

int lsq_rebuilds_report(struct lsq_run *r, struct mgr_error *err)
{
    char hint[512];
    int rc = MGR_OK;

    for (size_t i = 0; i < r->nrebuilds && rc == MGR_OK; i++) {
        const struct lsq_rebuild *b = &r->rebuilds[i];

        if (b->checked)
            continue;
        snprintf(hint, sizeof(hint),
                 "end the rebuild with PRAGMA foreign_key_check(%s); in the "
                 "same section: migrator fails on a row it returns, so "
                 "broken references roll back instead of being committed",
                 b->table);
        rc = lsq_report(r, b->st, LSQ_REBUILD_FK_CHECK, b->existing, hint,
                        err,
                        "rebuild of table %s with no PRAGMA "
                        "foreign_key_check after it in its section",
                        b->table);
    }
    return rc;
}
