/*
 * sql_section.c: run one section of an SQL script. The whole file is read
 * and checked (encoding, markers, text outside the sections) before the
 * host is handed anything, so a malformed script sends nothing anywhere.
 */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "sql.h"

/* Where one section is in the text, once found. */
struct section {
    int line; /* of its marker; 0: absent */
    unsigned flags;
    const char *body;
    size_t len;
};

static const char *section_name(enum mgr_direction dir)
{
    return dir == MGR_DOWNGRADE ? "downgrade" : "upgrade";
}

/*
 * Walk the lines of text: check their encoding, find the markers and their
 * sections, and refuse text before the first marker that is not a comment
 * or a blank line.
 */
static int scan(const struct plugin_state *st, const char *path,
                const char *text, size_t len, struct section sec[2],
                struct mgr_error *err)
{
    const char *p = text, *end = text + len;
    struct section *cur = NULL;
    struct sql_line line;
    int no = 0, rc;

    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *next = nl ? nl + 1 : end;
        struct sql_marker mk;

        line.s = p;
        line.len = (size_t)((nl ? nl : end) - p);
        line.no = ++no;
        if (line.len && line.s[line.len - 1] == '\r')
            line.len--;
        rc = script_check_line(st->api, path, line.s, line.len, no, err);
        if (rc)
            return rc;

        if (sql_is_marker(&line)) {
            struct section *s;

            rc = sql_parse_marker(st, path, &line, &mk, err);
            if (rc)
                return rc;
            s = &sec[mk.dir == MGR_DOWNGRADE];
            if (s->line)
                return plugin_fail_at(st->api, err, MGR_ESCRIPT, path, no,
                                      "section '%s' given twice (first "
                                      "on line %d)",
                                      section_name(mk.dir), s->line);
            if (cur)
                cur->len = (size_t)(p - cur->body);
            cur = s;
            cur->line = no;
            cur->flags = mk.flags;
            cur->body = next;
        } else if (!cur) {
            const char *t;
            size_t tlen;

            if (!sql_is_blank(&line) && !sql_comment_text(&line, &t, &tlen))
                return sql_fail_outside(st, path, no, err);
        }
        p = next;
    }
    if (cur)
        cur->len = (size_t)(end - cur->body);
    return MGR_OK;
}

int sql_run_section(void *state, const char *path, enum mgr_direction dir,
                    struct mgr_exec *x, struct mgr_error *err)
{
    const struct plugin_state *st = state;
    struct section sec[2];
    const struct section *s;
    char *buf = NULL;
    const char *text;
    size_t len = 0;
    int rc;

    if (dir != MGR_UPGRADE && dir != MGR_DOWNGRADE)
        return plugin_fail_at(st->api, err, MGR_EPLUGIN, path, 0,
                              "unknown direction %d", (int)dir);
    rc = script_text_get(st->api, st->host, path, &text, &len, &buf, err);
    if (rc)
        return rc;
    if (len >= SCRIPT_BOM_LEN &&
        memcmp(text, SCRIPT_BOM, SCRIPT_BOM_LEN) == 0) {
        text += SCRIPT_BOM_LEN;
        len -= SCRIPT_BOM_LEN;
    }

    memset(sec, 0, sizeof(sec));
    rc = scan(st, path, text, len, sec, err);
    if (rc)
        goto out;
    s = &sec[dir == MGR_DOWNGRADE];
    if (!s->line) {
        rc = plugin_fail_at(st->api, err, MGR_ESCRIPT, path, 0,
                            "no %s section", section_name(dir));
        goto out;
    }

    st->api->log(st->host, MGR_LOG_DEBUG, "%s:%d: %s section, %zu bytes%s",
                 path, s->line, section_name(dir), s->len,
                 s->flags & MGR_SECTION_NO_TRANSACTION
                     ? ", outside a transaction"
                     : "");
    rc = st->api->exec_section_begin(x, s->flags, s->line, err);
    if (rc)
        goto out;
    rc = st->api->exec_sql(x, s->body, s->len, s->line + 1, err);
out:
    free(buf);
    return rc;
}
