/*
 * pgl_alter.c: ALTER TABLE (pgl.h), command by command. Each command
 * notes the lock it takes on an existing table; on such a table:
 *
 *   changing-column-type       ALTER COLUMN TYPE, unless it only widens
 *                              a varchar or numeric the run knows
 *   adding-not-nullable-field  SET NOT NULL without a validated
 *                              CHECK (col IS NOT NULL) before it
 *   ban-drop-not-null          DROP NOT NULL
 *   table-rewrite              SET TABLESPACE / LOGGED / UNLOGGED /
 *                              ACCESS METHOD
 *
 * ADD COLUMN is in pgl_column.c, ADD and VALIDATE CONSTRAINT in
 * pgl_constraint.c.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <string.h>

#include "pgl.h"

/* ---- ALTER COLUMN TYPE --------------------------------------------------- */

enum widening { REWRITES, WIDENS, MAY_WIDEN };

static bool is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* What changing column old (as the run knows it) to typ does. */
static enum widening widening(const struct pgl_column *old,
                              const struct mgr_json *typ)
{
    const char *to = pgl_type_base(typ);
    long mods[2];
    size_t n = pgl_type_mods(typ, mods);
    bool open_ended = is(to, "text") || (is(to, "varchar") && n == 0) ||
                      (is(to, "numeric") && n == 0);

    if (!old || !old->base)
        return open_ended || is(to, "varchar") ? MAY_WIDEN : REWRITES;
    if (is(old->base, "varchar") || is(old->base, "text")) {
        if (open_ended && !is(to, "numeric"))
            return WIDENS;
        if (is(old->base, "varchar") && is(to, "varchar") && n == 1 &&
            old->nmods == 1 && mods[0] >= old->mods[0])
            return WIDENS;
    }
    if (is(old->base, "numeric") && is(to, "numeric")) {
        if (n == 0 || (old->nmods == 2 && n == 2 &&
                       mods[1] == old->mods[1] && mods[0] >= old->mods[0]))
            return WIDENS;
    }
    if (is(old->base, to) && old->nmods == n &&
        (n == 0 || memcmp(old->mods, mods, n * sizeof(mods[0])) == 0))
        return WIDENS;
    return REWRITES;
}

static void type_hint(struct pgl_stmt *s, struct mgr_buf *b,
                      const struct pgl_rel *rel, const char *col,
                      const struct mgr_json *typ)
{
    struct pgl_run *run = s->run;
    char fresh[PGL_NAME_MAX];

    snprintf(fresh, sizeof(fresh), "%s_new", col);
    run->api->buf_addf(b, "add a column of the new type, fill it in "
                          "batches and keep it in step with a trigger, "
                          "then move the code to it and drop the old "
                          "one:\n");
    pgl_add_alter(run, b, rel);
    run->api->buf_addf(b, "ADD COLUMN ");
    pgl_add_ident(run, b, fresh);
    run->api->buf_addf(b, " ");
    pgl_type(s, b, typ);
    run->api->buf_addf(b, ";\n-- backfill it in batches, switch readers "
                          "and writers, then drop ");
    pgl_add_ident(run, b, col);
}

static void column_type(struct pgl_stmt *s, const struct pgl_rel *rel,
                        const struct mgr_json *cmd)
{
    const char *col = jw_get_str(cmd, "name");
    const struct mgr_json *def = jw_node_body(jw_get(cmd, "def"),
                                              "ColumnDef");
    const struct mgr_json *typ = jw_get(def, "typeName");
    enum widening w = widening(pgl_column_find(s->run, rel->key, col), typ);
    struct pgl_say say = {"changing-column-type", 0, MGR_FINDING_SIZE,
                          PGL_ACCESS_EXCLUSIVE, rel->shown, NULL};
    struct mgr_buf hint, shown;
    char q[PGL_NAME_MAX];

    pgl_column_types(s, rel, col, typ);
    pgl_column_set(s->run, rel->key, col, typ, false);
    if (rel->is_new || !col || w == WIDENS)
        return;
    if (w == MAY_WIDEN)
        say.severity = MGR_SEVERITY_WARNING;
    else
        say.flags |= MGR_FINDING_REWRITE;
    pgl_hint_begin(s->run, &hint);
    pgl_hint_begin(s->run, &shown);
    type_hint(s, &hint, rel, col, typ);
    pgl_type(s, &shown, typ);
    pgl_ident(q, sizeof(q), col);
    say.hint = hint.buf;
    pgl_say(s, &say, "ALTER COLUMN %s TYPE %s rewrites %s under ACCESS "
                     "EXCLUSIVE%s",
            q, shown.buf, rel->shown,
            w == MAY_WIDEN ? " unless it only widens a varchar or numeric"
                           : "");
    pgl_hint_end(s->run, &shown);
    pgl_hint_end(s->run, &hint);
}

/* ---- NOT NULL ------------------------------------------------------------ */

/* Whether a validated CHECK (col IS NOT NULL) on table is known. */
static bool not_null_proven(struct pgl_run *run, const char *table,
                            const char *col)
{
    for (size_t i = 0; i < run->cons.n; i++) {
        const struct pgl_con *c = run->cons.items[i];

        if (c->validated && is(c->table, table) && is(c->not_null_col, col))
            return true;
    }
    return false;
}

void pgl_not_null_steps(struct pgl_run *run, struct mgr_buf *b,
                        const struct pgl_rel *rel, const char *col)
{
    char name[PGL_NAME_MAX];
    const char *cols[1] = {col};

    pgl_default_name(name, sizeof(name), rel->name, cols, 1, "not_null");
    pgl_add_alter(run, b, rel);
    run->api->buf_addf(b, "ADD CONSTRAINT ");
    pgl_add_ident(run, b, name);
    run->api->buf_addf(b, " CHECK (");
    pgl_add_ident(run, b, col);
    run->api->buf_addf(b, " IS NOT NULL) NOT VALID;\n");
    run->api->buf_addf(b, "-- in a later transaction:\n");
    pgl_add_alter(run, b, rel);
    run->api->buf_addf(b, "VALIDATE CONSTRAINT ");
    pgl_add_ident(run, b, name);
    run->api->buf_addf(b, ";\n");
    pgl_add_alter(run, b, rel);
    run->api->buf_addf(b, "ALTER COLUMN ");
    pgl_add_ident(run, b, col);
    run->api->buf_addf(b, " SET NOT NULL;\n");
    pgl_add_alter(run, b, rel);
    run->api->buf_addf(b, "DROP CONSTRAINT ");
    pgl_add_ident(run, b, name);
    run->api->buf_addf(b, ";");
}

static void set_not_null(struct pgl_stmt *s, const struct pgl_rel *rel,
                         const struct mgr_json *cmd)
{
    const char *col = jw_get_str(cmd, "name");
    struct pgl_say say = {"adding-not-nullable-field", 0, MGR_FINDING_SIZE,
                          PGL_ACCESS_EXCLUSIVE, rel->shown, NULL};
    struct mgr_buf hint;
    char q[PGL_NAME_MAX];

    if (rel->is_new || !col || not_null_proven(s->run, rel->key, col))
        return;
    pgl_hint_begin(s->run, &hint);
    s->run->api->buf_addf(&hint, "prove it with a CHECK first: once one "
                                 "is validated, SET NOT NULL skips the "
                                 "scan (PostgreSQL 12 and later):\n");
    pgl_not_null_steps(s->run, &hint, rel, col);
    pgl_ident(q, sizeof(q), col);
    say.hint = hint.buf;
    pgl_say(s, &say,
            "SET NOT NULL on %s scans %s under ACCESS EXCLUSIVE", q,
            rel->shown);
    pgl_hint_end(s->run, &hint);
}

static void drop_not_null(struct pgl_stmt *s, const struct pgl_rel *rel,
                          const struct mgr_json *cmd)
{
    const char *col = jw_get_str(cmd, "name");
    struct pgl_say say = {"ban-drop-not-null", 0, 0, PGL_LOCK_NONE,
                          rel->shown,
                          "first make every reader cope with NULL in the "
                          "column, then drop the constraint"};
    char q[PGL_NAME_MAX];

    if (rel->is_new || !col)
        return;
    pgl_ident(q, sizeof(q), col);
    pgl_say(s, &say,
            "DROP NOT NULL on %s.%s: code that reads it may not expect "
            "NULL",
            rel->shown, q);
}

/* ---- rewrites ------------------------------------------------------------ */

static void rewrite(struct pgl_stmt *s, const struct pgl_rel *rel,
                    const struct mgr_json *cmd)
{
    static const struct {
        const char *subtype, *words;
    } kinds[] = {
        {"AT_SetTableSpace", "SET TABLESPACE"},
        {"AT_SetLogged", "SET LOGGED"},
        {"AT_SetUnLogged", "SET UNLOGGED"},
        {"AT_SetAccessMethod", "SET ACCESS METHOD"},
    };
    struct pgl_say say = {"table-rewrite", 0,
                          MGR_FINDING_SIZE | MGR_FINDING_REWRITE,
                          PGL_ACCESS_EXCLUSIVE, rel->shown,
                          "there is no online form: copy the rows into a "
                          "new table in batches and swap the names, or "
                          "use a tool such as pg_repack"};
    const char *words = "it";

    if (rel->is_new)
        return;
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        if (jw_get_is(cmd, "subtype", kinds[i].subtype))
            words = kinds[i].words;
    }
    pgl_say(s, &say, "%s rewrites %s under ACCESS EXCLUSIVE", words,
            rel->shown);
}

/* ---- dispatch ------------------------------------------------------------ */

static void add_column(struct pgl_stmt *s, const struct pgl_rel *rel,
                       const struct mgr_json *cmd)
{
    pgl_add_column(s, rel, jw_node_body(jw_get(cmd, "def"), "ColumnDef"));
}

static void add_constraint(struct pgl_stmt *s, const struct pgl_rel *rel,
                           const struct mgr_json *cmd)
{
    pgl_add_constraint(s, rel,
                       jw_node_body(jw_get(cmd, "def"), "Constraint"));
}

static void validate(struct pgl_stmt *s, const struct pgl_rel *rel,
                     const struct mgr_json *cmd)
{
    pgl_validate_constraint(s, rel, jw_get_str(cmd, "name"));
}

/* The commands with rules, and the lock each takes (NONE: the rule
 * notes it). A command not listed takes ACCESS EXCLUSIVE, but for the
 * weaker ones below. */
static const struct {
    const char *subtype;
    void (*fn)(struct pgl_stmt *s, const struct pgl_rel *rel,
               const struct mgr_json *cmd);
    enum pgl_lock lock;
} commands[] = {
    {"AT_AddColumn", add_column, PGL_LOCK_NONE},
    {"AT_AddConstraint", add_constraint, PGL_LOCK_NONE},
    {"AT_AlterColumnType", column_type, PGL_ACCESS_EXCLUSIVE},
    {"AT_DropNotNull", drop_not_null, PGL_ACCESS_EXCLUSIVE},
    {"AT_SetAccessMethod", rewrite, PGL_ACCESS_EXCLUSIVE},
    {"AT_SetLogged", rewrite, PGL_ACCESS_EXCLUSIVE},
    {"AT_SetNotNull", set_not_null, PGL_ACCESS_EXCLUSIVE},
    {"AT_SetTableSpace", rewrite, PGL_ACCESS_EXCLUSIVE},
    {"AT_SetUnLogged", rewrite, PGL_ACCESS_EXCLUSIVE},
    {"AT_ValidateConstraint", validate, PGL_LOCK_NONE},
    {"AT_AttachPartition", NULL, PGL_SHARE_UPDATE_EXCLUSIVE},
    {"AT_ClusterOn", NULL, PGL_SHARE_UPDATE_EXCLUSIVE},
    {"AT_DropCluster", NULL, PGL_SHARE_UPDATE_EXCLUSIVE},
    {"AT_ResetOptions", NULL, PGL_SHARE_UPDATE_EXCLUSIVE},
    {"AT_ResetRelOptions", NULL, PGL_SHARE_UPDATE_EXCLUSIVE},
    {"AT_SetOptions", NULL, PGL_SHARE_UPDATE_EXCLUSIVE},
    {"AT_SetRelOptions", NULL, PGL_SHARE_UPDATE_EXCLUSIVE},
    {"AT_SetStatistics", NULL, PGL_SHARE_UPDATE_EXCLUSIVE},
};

static void command(struct pgl_stmt *s, const struct pgl_rel *rel,
                    const struct mgr_json *cmd)
{
    const char *subtype = jw_get_str(cmd, "subtype");
    enum pgl_lock lock = PGL_ACCESS_EXCLUSIVE;

    if (!subtype)
        return;
    /* ENABLE / DISABLE TRIGGER */
    if (strstr(subtype, "Trig"))
        lock = PGL_SHARE_ROW_EXCLUSIVE;
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        if (strcmp(commands[i].subtype, subtype) != 0)
            continue;
        lock = commands[i].lock;
        if (commands[i].fn)
            commands[i].fn(s, rel, cmd);
        break;
    }
    if (!rel->is_new && lock != PGL_LOCK_NONE)
        pgl_note_lock(s, rel->shown, lock);
}

void pgl_alter_table(struct pgl_stmt *s, const struct mgr_json *body)
{
    const struct mgr_json *cmds = jw_get(body, "cmds");
    struct pgl_rel rel;

    if (!jw_get_is(body, "objtype", "OBJECT_TABLE") ||
        !pgl_rel_read(s->run, jw_get(body, "relation"), &rel))
        return;
    for (size_t i = 0; i < jw_len(cmds); i++)
        command(s, &rel, jw_node_body(jw_at(cmds, i), "AlterTableCmd"));
}
