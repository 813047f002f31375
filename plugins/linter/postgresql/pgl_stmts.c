/*
 * pgl_stmts.c: the statements other than CREATE TABLE, ALTER TABLE and
 * indexes (pgl.h):
 *
 *   renaming-column, renaming-table        RENAME on an existing table
 *   enum-value-used-in-same-transaction    a value of ALTER TYPE ADD
 *                                          VALUE used before it commits
 *   transaction-nesting                    BEGIN, COMMIT, ROLLBACK...
 *   ban-drop-database                      DROP DATABASE
 *   ban-truncate-cascade                   TRUNCATE ... CASCADE
 *   ban-alter-domain-with-add-constraint   ALTER DOMAIN ADD CONSTRAINT
 *   ban-create-domain-with-constraint      CREATE DOMAIN with a CHECK
 *   ban-cluster, ban-vacuum-full           rewrites of an existing table
 *
 * and the locks of DROP TABLE, TRUNCATE and CREATE TRIGGER.
 */
#include "autoconfig.h"

#include <string.h>

#include "pgl.h"

/* ---- RENAME -------------------------------------------------------------- */

static void rename_column(struct pgl_stmt *s, const struct pgl_rel *rel,
                          const struct mgr_json *body)
{
    const char *from = jw_get_str(body, "subname");
    const struct pgl_column *c = pgl_column_find(s->run, rel->key, from);
    struct pgl_say say = {"renaming-column", 0, 0, PGL_ACCESS_EXCLUSIVE,
                          rel->shown,
                          "expand and contract instead: add the new "
                          "column, write to both, backfill it, move the "
                          "readers, then drop the old column in a later "
                          "release"};
    char qf[PGL_NAME_MAX], qt[PGL_NAME_MAX];

    /* A column the run added has no readers yet. */
    if (!from || (c && c->added))
        return;
    pgl_ident(qf, sizeof(qf), from);
    pgl_ident(qt, sizeof(qt), jw_get_str(body, "newname"));
    pgl_say(s, &say,
            "RENAME COLUMN %s TO %s on %s breaks the code that still uses "
            "%s",
            qf, qt, rel->shown, qf);
}

static void rename_table(struct pgl_stmt *s, const struct pgl_rel *rel,
                         const struct mgr_json *body)
{
    struct pgl_say say = {"renaming-table", 0, 0, PGL_ACCESS_EXCLUSIVE,
                          rel->shown, NULL};
    struct mgr_buf hint;
    struct pgl_rel to;

    char q[PGL_NAME_MAX];

    pgl_rel_make(s->run, rel->schema, jw_get_str(body, "newname"), &to);
    pgl_ident(q, sizeof(q), to.name);
    pgl_hint_begin(s->run, &hint);
    s->run->api->buf_addf(&hint, "leave a view under the old name until "
                                 "the code has moved, in the same "
                                 "transaction:\nALTER TABLE %s RENAME TO "
                                 "%s;\nCREATE VIEW %s AS SELECT * FROM %s;",
                          rel->shown, q, rel->shown, to.shown);
    say.hint = hint.buf;
    pgl_say(s, &say,
            "RENAME TO %s breaks the code that still uses %s", to.shown,
            rel->shown);
    pgl_hint_end(s->run, &hint);
}

void pgl_rename(struct pgl_stmt *s, const struct mgr_json *body)
{
    const char *type = jw_get_str(body, "renameType");
    bool table = type && strcmp(type, "OBJECT_TABLE") == 0;
    bool column = type && strcmp(type, "OBJECT_COLUMN") == 0 &&
                  jw_get_is(body, "relationType", "OBJECT_TABLE");
    bool constraint = type && strcmp(type, "OBJECT_TABCONSTRAINT") == 0;
    struct pgl_rel rel, to;

    if (!(table || column || constraint) ||
        !pgl_rel_read(s->run, jw_get(body, "relation"), &rel))
        return;
    if (rel.is_new) {
        /* The new name of a new table is new too. */
        pgl_rel_make(s->run, rel.schema, jw_get_str(body, "newname"), &to);
        if (table && to.name[0])
            pgl_table_add(s->run, &to);
        return;
    }
    pgl_note_lock(s, rel.shown, PGL_ACCESS_EXCLUSIVE);
    if (column)
        rename_column(s, &rel, body);
    else if (table)
        rename_table(s, &rel, body);
}

/* ---- enum values --------------------------------------------------------- */

void pgl_alter_enum(struct pgl_stmt *s, const struct mgr_json *body)
{
    const char *value = jw_get_str(body, "newVal");

    /* RENAME VALUE has oldVal; outside a transaction block, ADD VALUE
     * commits at once. */
    if (!value || jw_get(body, "oldVal") || !s->run->in_tx)
        return;
    pgl_vec_push(s->run, &s->run->enum_values, pgl_strdup(s->run, value));
}

struct enum_use {
    const struct pgl_vec *values;
    const char *found;
};

static int find_value(const struct mgr_json *v, void *ctx)
{
    struct enum_use *u = ctx;
    const struct mgr_json *c = jw_node_body(v, "A_Const");
    const char *s = jw_get_str(jw_get(c, "sval"), "sval");

    for (size_t i = 0; s && i < u->values->n; i++) {
        if (strcmp(s, u->values->items[i]) == 0) {
            u->found = u->values->items[i];
            return 1;
        }
    }
    return 0;
}

void pgl_enum_check(struct pgl_stmt *s, const struct mgr_json *stmt)
{
    struct enum_use u = {&s->run->enum_values, NULL};
    struct pgl_say say = {"enum-value-used-in-same-transaction", 0, 0,
                          PGL_LOCK_NONE, NULL,
                          "add the value in an earlier revision, or in a "
                          "transaction=false section, so that it commits "
                          "before it is used"};

    if (!u.values->n || !jw_walk(stmt, find_value, &u))
        return;
    pgl_say(s, &say,
            "enum value '%s' is used in the transaction that added it "
            "(ALTER TYPE ... ADD VALUE): it fails until that commits",
            u.found);
}

/* ---- transactions -------------------------------------------------------- */

void pgl_transaction(struct pgl_stmt *s, const struct mgr_json *body)
{
    static const struct {
        const char *kind, *words;
    } kinds[] = {
        {"TRANS_STMT_BEGIN", "BEGIN"},
        {"TRANS_STMT_START", "START TRANSACTION"},
        {"TRANS_STMT_COMMIT", "COMMIT"},
        {"TRANS_STMT_ROLLBACK", "ROLLBACK"},
        {"TRANS_STMT_PREPARE", "PREPARE TRANSACTION"},
        {"TRANS_STMT_COMMIT_PREPARED", "COMMIT PREPARED"},
        {"TRANS_STMT_ROLLBACK_PREPARED", "ROLLBACK PREPARED"},
    };
    struct pgl_say say = {"transaction-nesting", 0, 0, PGL_LOCK_NONE, NULL,
                          "remove it: migrator runs each section in a "
                          "transaction of its own; a section that must "
                          "not run in one is marked -- migrate:upgrade "
                          "transaction=false"};

    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        if (jw_get_is(body, "kind", kinds[i].kind)) {
            pgl_say(s, &say,
                    "%s in a migration script: migrator owns the "
                    "transaction",
                    kinds[i].words);
            return;
        }
    }
}

/* ---- drops and truncate -------------------------------------------------- */

void pgl_drop_database(struct pgl_stmt *s, const struct mgr_json *body)
{
    struct pgl_say say = {"ban-drop-database", 0, 0, PGL_LOCK_NONE, NULL,
                          "drop databases by hand, not in a migration"};
    char q[PGL_NAME_MAX];

    pgl_ident(q, sizeof(q), jw_get_str(body, "dbname"));
    pgl_say(s, &say, "DROP DATABASE %s in a migration", q);
}

void pgl_drop(struct pgl_stmt *s, const struct mgr_json *body)
{
    const struct mgr_json *objects = jw_get(body, "objects");

    if (jw_get_is(body, "removeType", "OBJECT_INDEX")) {
        pgl_drop_index(s, body);
        return;
    }
    if (!jw_get_is(body, "removeType", "OBJECT_TABLE"))
        return;
    for (size_t i = 0; i < jw_len(objects); i++) {
        const char *parts[3];
        const struct mgr_json *names =
            jw_get(jw_node_body(jw_at(objects, i), "List"), "items");
        size_t n = jw_name_list(names, parts, 3);
        struct pgl_rel rel;

        if (n == 0 || n > 3)
            continue;
        pgl_rel_make(s->run, n >= 2 ? parts[n - 2] : NULL, parts[n - 1],
                     &rel);
        if (!rel.is_new)
            pgl_note_lock(s, rel.shown, PGL_ACCESS_EXCLUSIVE);
    }
}

void pgl_truncate(struct pgl_stmt *s, const struct mgr_json *body)
{
    const struct mgr_json *rels = jw_get(body, "relations");
    struct pgl_say say = {"ban-truncate-cascade", 0, 0, PGL_LOCK_NONE, NULL,
                          "name every table to empty, without CASCADE, so "
                          "that nothing else goes with them"};
    struct pgl_rel rel, first;

    for (size_t i = 0; i < jw_len(rels); i++) {
        if (pgl_rel_read(s->run, jw_at(rels, i), &rel) && !rel.is_new)
            pgl_note_lock(s, rel.shown, PGL_ACCESS_EXCLUSIVE);
    }
    if (!jw_get_is(body, "behavior", "DROP_CASCADE") ||
        !pgl_rel_read(s->run, jw_at(rels, 0), &first))
        return;
    say.table = first.is_new ? NULL : first.shown;
    pgl_say(s, &say,
            "TRUNCATE %s CASCADE also empties every table whose foreign "
            "keys reach it",
            first.shown);
}

/* ---- domains ------------------------------------------------------------- */

/* The shown name of a name list ([schema.]name). */
static void list_shown(struct pgl_run *run, const struct mgr_json *list,
                       struct pgl_rel *out)
{
    const char *parts[3];
    size_t n = jw_name_list(list, parts, 3);

    pgl_rel_make(run, n >= 2 && n <= 3 ? parts[n - 2] : NULL,
                 n >= 1 && n <= 3 ? parts[n - 1] : "", out);
}

void pgl_alter_domain(struct pgl_stmt *s, const struct mgr_json *body)
{
    struct pgl_say say = {"ban-alter-domain-with-add-constraint", 0, 0,
                          PGL_LOCK_NONE, NULL,
                          "put the CHECK on the columns that use the "
                          "domain, NOT VALID and then VALIDATE, or move "
                          "them to a new domain"};
    struct pgl_rel dom;

    if (!jw_get_is(body, "subtype", "C"))
        return;
    list_shown(s->run, jw_get(body, "typeName"), &dom);
    pgl_say(s, &say,
            "ALTER DOMAIN %s ADD CONSTRAINT checks every column of that "
            "type while it holds a lock on its table",
            dom.shown);
}

void pgl_create_domain(struct pgl_stmt *s, const struct mgr_json *body)
{
    const struct mgr_json *cons = jw_get(body, "constraints");
    struct pgl_say say = {"ban-create-domain-with-constraint", 0, 0,
                          PGL_LOCK_NONE, NULL,
                          "put the CHECK on the columns (or tables) that "
                          "need it, where NOT VALID and VALIDATE work"};
    struct pgl_rel dom;

    for (size_t i = 0; i < jw_len(cons); i++) {
        const struct mgr_json *c = jw_node_body(jw_at(cons, i), "Constraint");

        if (!jw_get_is(c, "contype", "CONSTR_CHECK") &&
            !jw_get_is(c, "contype", "CONSTR_NOTNULL"))
            continue;
        list_shown(s->run, jw_get(body, "domainname"), &dom);
        pgl_say(s, &say,
                "domain %s has a constraint: changing it later checks "
                "every column of that type under lock",
                dom.shown);
        return;
    }
}

/* ---- rewrites: CLUSTER and VACUUM FULL ----------------------------------- */

static void rewrite(struct pgl_stmt *s, const char *rule, const char *what,
                    const struct pgl_rel *rel, const char *hint)
{
    struct pgl_say say = {rule, 0, MGR_FINDING_SIZE | MGR_FINDING_REWRITE,
                          PGL_ACCESS_EXCLUSIVE, rel ? rel->shown : NULL,
                          hint};

    pgl_note_lock(s, rel ? rel->shown : NULL, PGL_ACCESS_EXCLUSIVE);
    pgl_say(s, &say, "%s rewrites %s under ACCESS EXCLUSIVE", what,
            rel ? rel->shown : "every table it covers");
}

#define CLUSTER_HINT                                                      \
    "reorder it online with a tool such as pg_repack, outside the "      \
    "migration; ALTER TABLE ... CLUSTER ON only marks the index"

void pgl_cluster(struct pgl_stmt *s, const struct mgr_json *body)
{
    struct pgl_rel rel;

    if (!pgl_rel_read(s->run, jw_get(body, "relation"), &rel))
        rewrite(s, "ban-cluster", "CLUSTER", NULL, CLUSTER_HINT);
    else if (!rel.is_new)
        rewrite(s, "ban-cluster", "CLUSTER", &rel, CLUSTER_HINT);
}

/* Whether a VACUUM option list turns FULL on. */
static bool vacuum_full(const struct mgr_json *options)
{
    for (size_t i = 0; i < jw_len(options); i++) {
        const struct mgr_json *d = jw_node_body(jw_at(options, i), "DefElem");
        const struct mgr_json *arg = jw_get(d, "arg");
        const char *word = jw_string_node(arg);

        if (!jw_get_is(d, "defname", "full"))
            continue;
        if (jw_node_body(arg, "Boolean"))
            return jw_get_bool(jw_node_body(arg, "Boolean"), "boolval");
        return !word || (strcmp(word, "false") != 0 &&
                         strcmp(word, "off") != 0 && strcmp(word, "0") != 0);
    }
    return false;
}

#define VACUUM_HINT                                                       \
    "run a plain VACUUM, which blocks neither reads nor writes, or "     \
    "reclaim the space online with a tool such as pg_repack"

void pgl_vacuum(struct pgl_stmt *s, const struct mgr_json *body)
{
    const struct mgr_json *rels = jw_get(body, "rels");
    struct pgl_rel rel;

    if (!jw_get_bool(body, "is_vacuumcmd") ||
        !vacuum_full(jw_get(body, "options")))
        return;
    if (!jw_len(rels))
        rewrite(s, "ban-vacuum-full", "VACUUM FULL", NULL, VACUUM_HINT);
    for (size_t i = 0; i < jw_len(rels); i++) {
        const struct mgr_json *vr =
            jw_node_body(jw_at(rels, i), "VacuumRelation");

        if (pgl_rel_read(s->run, jw_get(vr, "relation"), &rel) &&
            !rel.is_new)
            rewrite(s, "ban-vacuum-full", "VACUUM FULL", &rel, VACUUM_HINT);
    }
}

/* ---- locks only ---------------------------------------------------------- */

void pgl_create_trigger(struct pgl_stmt *s, const struct mgr_json *body)
{
    struct pgl_rel rel;

    if (pgl_rel_read(s->run, jw_get(body, "relation"), &rel) && !rel.is_new)
        pgl_note_lock(s, rel.shown, PGL_SHARE_ROW_EXCLUSIVE);
}
