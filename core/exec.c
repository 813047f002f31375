/*
 * exec.c: where a section's statements go.
 *
 * Offline, the section's text is copied into the SQL output as written,
 * followed by a blank line. A transaction=false section cannot run inside
 * the run's transaction, so the output commits before it and begins again
 * after it.
 */
#include "autoconfig.h"

#include <assert.h>
#include <ctype.h>
#include <string.h>

#include "exec.h"

void exec_init_offline(struct mgr_exec *x, struct mgr_buf *out,
                       bool in_transaction)
{
    memset(x, 0, sizeof(*x));
    x->magic = EXEC_MAGIC;
    x->mode = EXEC_OFFLINE;
    x->out = out;
    x->in_transaction = in_transaction;
}

int exec_section_begin(struct mgr_exec *x, unsigned flags, int line,
                       struct mgr_error *err)
{
    assert(x && x->magic == EXEC_MAGIC);
    if (x->began)
        return mgr_error_set(err, MGR_EPLUGIN,
                             "%s: the format plugin began a section twice",
                             x->path ? x->path : "script");
    x->began = true;
    x->flags = flags;
    x->section_line = line;
    if ((flags & MGR_SECTION_NO_TRANSACTION) && x->in_transaction)
        mgr_buf_addstr(x->out, "COMMIT;\n\n");
    return MGR_OK;
}

int exec_sql(struct mgr_exec *x, const char *text, size_t len,
             int first_line, struct mgr_error *err)
{
    assert(x && x->magic == EXEC_MAGIC);
    (void)first_line;
    if (!x->began)
        return mgr_error_set(err, MGR_EPLUGIN,
                             "%s: the format plugin sent statements before "
                             "beginning a section",
                             x->path ? x->path : "script");
    while (len && isspace((unsigned char)*text)) {
        text++;
        len--;
    }
    while (len && isspace((unsigned char)text[len - 1]))
        len--;
    if (len) {
        mgr_buf_add(x->out, text, len);
        mgr_buf_addstr(x->out, "\n\n");
    }
    return MGR_OK;
}

void exec_section_end(struct mgr_exec *x)
{
    if ((x->flags & MGR_SECTION_NO_TRANSACTION) && x->in_transaction)
        mgr_buf_addstr(x->out, "BEGIN;\n\n");
    x->began = false;
    x->flags = 0;
}
