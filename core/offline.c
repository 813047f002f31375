/* offline.c: render a plan as SQL text. */
#include "autoconfig.h"

#include <string.h>

#include "config.h"
#include "db.h"
#include "exec.h"
#include "loader.h"
#include "offline.h"
#include "revfmt.h"

static bool is_plain_ident(const char *s)
{
    if (!*s || !((*s >= 'a' && *s <= 'z') || *s == '_'))
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '_'))
            return false;
    return true;
}

void offline_quote_ident(const char *ident, struct mgr_buf *out)
{
    if (is_plain_ident(ident)) {
        mgr_buf_addstr(out, ident);
        return;
    }
    mgr_buf_addch(out, '"');
    for (const char *p = ident; *p; p++) {
        if (*p == '"')
            mgr_buf_addch(out, '"');
        mgr_buf_addch(out, *p);
    }
    mgr_buf_addch(out, '"');
}

/*
 * A literal must mean the same whatever standard_conforming_strings is
 * on the server that runs the text: the dialect writes it (PostgreSQL
 * uses E'' with the backslashes doubled when there is a backslash).
 * Without a dialect, the same rule: E'' is an error rather than another
 * statement on a database that does not know it.
 */
void offline_quote_literal(const struct db *db, const char *lit,
                           struct mgr_buf *out)
{
    if (db && db->ops && db->ops->quote_literal) {
        db->ops->quote_literal(db->state, lit, out);
        return;
    }
    if (strchr(lit, '\\'))
        mgr_buf_addch(out, 'E');
    mgr_buf_addch(out, '\'');
    for (const char *p = lit; *p; p++) {
        if (*p == '\'' || *p == '\\')
            mgr_buf_addch(out, *p);
        mgr_buf_addch(out, *p);
    }
    mgr_buf_addch(out, '\'');
}

/*
 * A "-- " comment line, whose text (revision ids) ends at the line: a
 * carriage return or any other control character would let the rest of
 * it run as SQL (PostgreSQL ends a comment at '\r' as well as '\n').
 */
static void add_comment(const char *text, struct mgr_buf *out)
{
    mgr_buf_addstr(out, "-- ");
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p < 0x20u || *p == 0x7fu)
            mgr_buf_addf(out, "\\x%02x", *p);
        else
            mgr_buf_addch(out, (char)*p);
    }
    mgr_buf_addstr(out, "\n\n");
}

static void add_table(const struct offline_opts *o, struct mgr_buf *out)
{
    if (o->schema && *o->schema) {
        offline_quote_ident(o->schema, out);
        mgr_buf_addch(out, '.');
    }
    offline_quote_ident(o->version_table, out);
}

void offline_create_table(const struct offline_opts *o, struct mgr_buf *out)
{
    struct mgr_buf pk = MGR_BUF_INIT;

    mgr_buf_addf(&pk, "%s_pkc", o->version_table);
    mgr_buf_addstr(out, "CREATE TABLE ");
    add_table(o, out);
    mgr_buf_addstr(out, " (\n    version_num VARCHAR(32) NOT NULL,\n"
                        "    CONSTRAINT ");
    offline_quote_ident(pk.buf, out);
    mgr_buf_addstr(out, " PRIMARY KEY (version_num)\n);\n\n");
    mgr_buf_release(&pk);
}

static void add_op(const struct offline_opts *o, const struct plan_op *op,
                   struct mgr_buf *out)
{
    switch (op->kind) {
    case PLAN_INSERT:
        mgr_buf_addstr(out, "INSERT INTO ");
        add_table(o, out);
        mgr_buf_addstr(out, " (version_num) VALUES (");
        offline_quote_literal(o->db, op->to, out);
        mgr_buf_addstr(out, ");\n\n");
        break;
    case PLAN_UPDATE:
        mgr_buf_addstr(out, "UPDATE ");
        add_table(o, out);
        mgr_buf_addstr(out, " SET version_num=");
        offline_quote_literal(o->db, op->to, out);
        mgr_buf_addstr(out, " WHERE ");
        add_table(o, out);
        mgr_buf_addstr(out, ".version_num = ");
        offline_quote_literal(o->db, op->from, out);
        mgr_buf_addstr(out, ";\n\n");
        break;
    case PLAN_DELETE:
        mgr_buf_addstr(out, "DELETE FROM ");
        add_table(o, out);
        mgr_buf_addstr(out, " WHERE ");
        add_table(o, out);
        mgr_buf_addstr(out, ".version_num = ");
        offline_quote_literal(o->db, op->from, out);
        mgr_buf_addstr(out, ";\n\n");
        break;
    }
}

static int add_section(const struct plan_step *step,
                       const struct offline_opts *o, struct mgr_buf *out,
                       struct mgr_error *err)
{
    const struct mgr_loaded_plugin *fmt = step->rev->format;
    const struct mgr_format_ops *ops;
    struct mgr_exec x;
    int rc;

    if (!fmt)
        return mgr_error_set(err, MGR_EPLUGIN,
                             "%s: no format plugin for this script",
                             step->rev->path);
    ops = fmt->ops;
    exec_init_offline(&x, out, o->transactional);
    x.path = step->rev->path;
    x.config = o->config;
    x.db = o->db;
    if (o->db)
        x.dialect = o->db->dialect;
    rc = ops->run_section(fmt->state, step->rev->path,
                          step->dir == PLAN_UPGRADE ? MGR_UPGRADE
                                                    : MGR_DOWNGRADE,
                          &x, err);
    if (rc == MGR_OK && !x.began)
        rc = mgr_error_set(err, MGR_EPLUGIN,
                           "%s: the format plugin rendered no section",
                           step->rev->path);
    exec_section_end(&x);
    exec_release(&x);
    return rc;
}

int offline_render(const struct plan *p, const struct offline_opts *o,
                   struct mgr_buf *out, struct mgr_error *err)
{
    bool whole_run = o->transactional && !o->per_migration;
    bool table_needed = p->nstart == 0;
    struct mgr_buf line = MGR_BUF_INIT;
    int rc = MGR_OK;

    if (whole_run && p->nsteps)
        mgr_buf_addstr(out, "BEGIN;\n\n");
    for (size_t i = 0; i < p->nsteps && rc == MGR_OK; i++) {
        const struct plan_step *step = &p->steps[i];

        if (o->transactional && o->per_migration)
            mgr_buf_addstr(out, "BEGIN;\n\n");
        if (table_needed) {
            offline_create_table(o, out);
            table_needed = false;
        }
        mgr_buf_reset(&line);
        revfmt_step(&line, step, false);
        add_comment(line.buf, out);
        if (step->dir != PLAN_STAMP && step->rev)
            rc = add_section(step, o, out, err);
        for (size_t k = 0; rc == MGR_OK && k < step->nops; k++)
            add_op(o, &step->ops[k], out);
        if (o->transactional && o->per_migration)
            mgr_buf_addstr(out, "COMMIT;\n\n");
    }
    if (whole_run && p->nsteps && rc == MGR_OK)
        mgr_buf_addstr(out, "COMMIT;\n\n");
    mgr_buf_release(&line);
    return rc;
}
