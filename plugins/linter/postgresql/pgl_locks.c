/*
 * pgl_locks.c: table locks and lock_timeout (pgl.h). Every rule that
 * sees a statement lock an existing table notes it; after the
 * statement, require-lock-timeout asks whether the section set a
 * lock_timeout first: without one, a statement that waits for its lock
 * behind a long transaction blocks everything queued behind it.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <string.h>

#include "pgl.h"

const char *pgl_lock_name(enum pgl_lock mode)
{
    static const char *const names[] = {
        NULL,
        "SHARE UPDATE EXCLUSIVE",
        "SHARE",
        "SHARE ROW EXCLUSIVE",
        "EXCLUSIVE",
        "ACCESS EXCLUSIVE",
    };

    return mode <= PGL_ACCESS_EXCLUSIVE ? names[mode] : NULL;
}

void pgl_note_lock(struct pgl_stmt *s, const char *table, enum pgl_lock mode)
{
    if (mode <= s->lock)
        return;
    s->lock = mode;
    snprintf(s->lock_table, sizeof(s->lock_table), "%s", table ? table : "");
}

void pgl_lock_timeout_check(struct pgl_stmt *s)
{
    struct pgl_run *run = s->run;
    struct pgl_say say = {"require-lock-timeout", 0, 0, s->lock,
                          s->lock_table, NULL};
    struct mgr_buf hint;

    if (s->lock < PGL_SHARE || run->timeout_set || run->timeout_reported)
        return;
    run->timeout_reported = true;
    pgl_hint_begin(run, &hint);
    run->api->buf_addf(&hint,
                       "set a lock_timeout at the top of the section, and "
                       "retry the migration when it times out:\n%s",
                       run->in_tx ? "SET LOCAL lock_timeout = '2s';"
                                  : "SET lock_timeout = '2s';");
    say.hint = hint.buf;
    if (s->lock_table[0])
        pgl_say(s, &say,
                "takes %s on %s with no lock_timeout set: while it waits "
                "for the lock, every query on %s waits behind it",
                pgl_lock_name(s->lock), s->lock_table, s->lock_table);
    else
        pgl_say(s, &say,
                "takes %s on an existing table with no lock_timeout set: "
                "while it waits for the lock, every query on the table "
                "waits behind it",
                pgl_lock_name(s->lock));
    pgl_hint_end(run, &hint);
}

/* Whether a value (an A_Const node) turns the timeout off: 0 or '0'. */
static bool value_is_zero(const struct mgr_json *node)
{
    const struct mgr_json *c = jw_node_body(node, "A_Const");
    const struct mgr_json *v;

    if (!c)
        return false;
    if ((v = jw_get(c, "ival")) != NULL)
        return jw_get_num(v, "ival", 0) == 0;
    if ((v = jw_get(c, "sval")) != NULL)
        return jw_get_is(v, "sval", "0");
    return false;
}

/* A lock_timeout set (or reset) by this statement. */
static void timeout_set(struct pgl_stmt *s, bool is_local, bool on)
{
    /* SET LOCAL outside a transaction block changes nothing. */
    if (is_local && !s->run->in_tx)
        return;
    s->run->timeout_set = on;
}

void pgl_variable_set(struct pgl_stmt *s, const struct mgr_json *body)
{
    const char *kind = jw_get_str(body, "kind");
    bool local = jw_get_bool(body, "is_local");

    if (!kind)
        return;
    if (strcmp(kind, "VAR_RESET_ALL") == 0) {
        timeout_set(s, local, false);
        return;
    }
    if (!jw_get_is(body, "name", "lock_timeout"))
        return;
    if (strcmp(kind, "VAR_SET_VALUE") == 0)
        timeout_set(s, local,
                    !value_is_zero(jw_at(jw_get(body, "args"), 0)));
    else if (strcmp(kind, "VAR_SET_DEFAULT") == 0 ||
             strcmp(kind, "VAR_RESET") == 0)
        timeout_set(s, local, false);
}

/* set_config('lock_timeout', value, is_local) in a SELECT. */
static int find_set_config(const struct mgr_json *v, void *ctx)
{
    struct pgl_stmt *s = ctx;
    const struct mgr_json *f = jw_node_body(v, "FuncCall");
    const struct mgr_json *args = jw_get(f, "args");
    const char *fn = jw_name_last(jw_get(f, "funcname"));
    const struct mgr_json *local;
    const char *name;

    if (!fn || strcmp(fn, "set_config") != 0 || jw_len(args) != 3)
        return 0;
    name = jw_get_str(jw_get(jw_node_body(jw_at(args, 0), "A_Const"),
                             "sval"),
                      "sval");
    if (!name || strcmp(name, "lock_timeout") != 0)
        return 0;
    local = jw_get(jw_node_body(jw_at(args, 2), "A_Const"), "boolval");
    timeout_set(s, jw_get_bool(local, "boolval"),
                !value_is_zero(jw_at(args, 1)));
    return 0;
}

void pgl_select(struct pgl_stmt *s, const struct mgr_json *body)
{
    jw_walk(body, find_set_config, s);
}
