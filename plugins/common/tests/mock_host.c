/*
 * mock_host.c: the shared part of the mock host API for the plugins'
 * Check suites: errors, logging, allocation and buffers as the host
 * provides them, recorded where a test can read them, and stubs that
 * fail the test for upcalls a plugin has no use for. See mock_host.h.
 */
#include "autoconfig.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mock_host.h"

/* MGR_BUF_INIT names the host's empty string; the mock provides it. */
char mgr_buf_empty[1];

int mock_error_calls;
int mock_log_calls;
int mock_log_level;
char mock_log_last[4096];
long mock_live_allocations;

volatile int mock_interrupt_signal;

static int mock_interrupted(void)
{
    return mock_interrupt_signal;
}

void mock_host_api_init(struct mgr_host_api *api)
{
    memset(api, 0, sizeof(*api));
    api->abi_version = MGR_ABI_VERSION;
    api->size = sizeof(struct mgr_host_api);
    api->log = mock_log;
    api->error_set = mock_error_set;
    api->alloc = mock_alloc;
    api->free = mock_free;
    api->buf_add = mock_buf_add;
    api->buf_addf = mock_buf_addf;
    api->buf_init = mock_buf_init;
    api->buf_release = mock_buf_release;
    api->buf_reset = mock_buf_reset;
    api->buf_setlen = mock_buf_setlen;
    api->schema_add = mock_schema_add;
    api->interrupted = mock_interrupted;
}

void mock_host_reset(void)
{
    mock_error_calls = 0;
    mock_log_calls = 0;
    mock_log_level = 0;
    mock_log_last[0] = '\0';
    mock_live_allocations = 0;
    mock_interrupt_signal = 0;
    mock_host_text = NULL;
    mock_buf_release(&mock_schema_text);
    mock_buf_release(&mock_lint_text);
}

/* ---- scripts -------------------------------------------------------------- */

const char *mock_host_text;

int mock_script_text(struct mgr_host *h, const char *path,
                     const char **text_out, size_t *len_out,
                     struct mgr_error *err)
{
    (void)h;
    if (!mock_host_text)
        return mock_error_set(err, MGR_EIO, "no text for '%s'", path);
    *text_out = mock_host_text;
    *len_out = strlen(mock_host_text);
    return MGR_OK;
}

/* ---- errors, logging, allocation ---------------------------------------- */

int mock_error_set(struct mgr_error *err, int code, const char *fmt, ...)
{
    va_list ap;

    mock_error_calls++;
    if (!err)
        return code;
    err->code = code;
    err->sys_errno = 0;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    return code;
}

void mock_log(struct mgr_host *h, int level, const char *fmt, ...)
{
    va_list ap;

    (void)h;
    mock_log_calls++;
    mock_log_level = level;
    va_start(ap, fmt);
    vsnprintf(mock_log_last, sizeof(mock_log_last), fmt, ap);
    va_end(ap);
}

void *mock_alloc(size_t n)
{
    void *p = malloc(n ? n : 1);

    ck_assert_ptr_nonnull(p);
    mock_live_allocations++;
    return p;
}

void mock_free(void *p)
{
    if (p)
        mock_live_allocations--;
    free(p);
}

/* ---- buffers ------------------------------------------------------------ */

/* Room for extra more bytes and the NUL in sb. */
static void buf_grow(struct mgr_buf *sb, size_t extra)
{
    size_t need = sb->len + extra + 1;
    char *p;

    if (need <= sb->alloc)
        return;
    p = realloc(sb->alloc ? sb->buf : NULL, need * 2);
    ck_assert_ptr_nonnull(p);
    if (!sb->alloc)
        p[0] = '\0';
    sb->buf = p;
    sb->alloc = need * 2;
}

void mock_buf_init(struct mgr_buf *sb, size_t hint)
{
    sb->alloc = sb->len = 0;
    sb->buf = mgr_buf_empty;
    if (hint)
        buf_grow(sb, hint);
}

void mock_buf_setlen(struct mgr_buf *sb, size_t len)
{
    ck_assert_msg(len == 0 || len < sb->alloc,
                  "buf_setlen(%zu) past the buffer (%zu bytes)", len,
                  sb->alloc);
    if (!sb->alloc)
        return; /* the shared empty string stays "" */
    sb->len = len;
    sb->buf[len] = '\0';
}

void mock_buf_reset(struct mgr_buf *sb)
{
    mock_buf_setlen(sb, 0);
}

void mock_buf_add(struct mgr_buf *sb, const void *data, size_t len)
{
    buf_grow(sb, len);
    memcpy(sb->buf + sb->len, data, len);
    sb->len += len;
    sb->buf[sb->len] = '\0';
}

void mock_buf_addf(struct mgr_buf *sb, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    ck_assert_int_ge(n, 0);
    buf_grow(sb, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb->len += (size_t)n;
}

void mock_buf_release(struct mgr_buf *sb)
{
    if (sb->alloc)
        free(sb->buf);
    sb->alloc = sb->len = 0;
    sb->buf = mgr_buf_empty;
}

/* ---- upcalls a plugin has no use for ------------------------------------ */

void mock_unused_buf_add(struct mgr_buf *sb, const void *data, size_t len)
{
    (void)sb;
    (void)data;
    (void)len;
    ck_abort_msg("the plugin has no use for buf_add");
}

void mock_unused_buf_addf(struct mgr_buf *sb, const char *fmt, ...)
{
    (void)sb;
    (void)fmt;
    ck_abort_msg("the plugin has no use for buf_addf");
}

int mock_unused_meta_add(struct mgr_script_meta *m,
                         enum mgr_meta_field field, const char *value,
                         size_t len, int line, struct mgr_error *err)
{
    (void)m;
    (void)field;
    (void)value;
    (void)len;
    (void)line;
    (void)err;
    ck_abort_msg("the plugin has no use for meta_add");
    return MGR_EPLUGIN;
}

int mock_unused_exec_section_begin(struct mgr_exec *x, unsigned flags,
                                   int line, struct mgr_error *err)
{
    (void)x;
    (void)flags;
    (void)line;
    (void)err;
    ck_abort_msg("the plugin has no use for exec_section_begin");
    return MGR_EPLUGIN;
}

int mock_unused_exec_sql(struct mgr_exec *x, const char *text, size_t len,
                         int first_line, struct mgr_error *err)
{
    (void)x;
    (void)text;
    (void)len;
    (void)first_line;
    (void)err;
    ck_abort_msg("the plugin has no use for exec_sql");
    return MGR_EPLUGIN;
}

/* ---- schema_add ---------------------------------------------------------- */

struct mgr_buf mock_schema_text = MGR_BUF_INIT;

static const char *const kind_names[] = {
    NULL,          "TABLE", "COLUMN", "PRIMARY_KEY", "UNIQUE", "FOREIGN_KEY",
    "CHECK",       "INDEX", "ENUM",   "SEQUENCE",    "VIEW",
};

static void add_field(const char *key, const char *value)
{
    if (value)
        mock_buf_addf(&mock_schema_text, " %s=%s", key, value);
}

static void add_list(const char *key, const char *const *items, size_t n)
{
    if (!items || !n)
        return;
    mock_buf_addf(&mock_schema_text, " %s=", key);
    for (size_t i = 0; i < n; i++)
        mock_buf_addf(&mock_schema_text, "%s%s", i ? "," : "", items[i]);
}

int mock_schema_add(struct mgr_schema_sink *sink,
                    const struct mgr_object *obj, struct mgr_error *err)
{
    (void)sink;
    if (obj->kind < MGR_OBJ_TABLE || obj->kind > MGR_OBJ_VIEW)
        return mock_error_set(err, MGR_EUSAGE, "unknown kind %u",
                              (unsigned)obj->kind);
    mock_buf_addf(&mock_schema_text, "%s %s|%s|%s", kind_names[obj->kind],
                  obj->schema ? obj->schema : "(null)",
                  obj->table ? obj->table : "",
                  obj->name ? obj->name : "(null)");
    add_field("type", obj->type);
    add_field("expr", obj->expr);
    add_field("collation", obj->collation);
    add_field("comment", obj->comment);
    add_field("method", obj->method);
    add_list("items", obj->items, obj->nitems);
    if (obj->ref_table)
        mock_buf_addf(&mock_schema_text, " ref=%s|%s",
                      obj->ref_schema ? obj->ref_schema : "",
                      obj->ref_table);
    if (obj->ref_columns)
        add_list("ref_columns", obj->ref_columns, obj->nitems);
    add_field("on_delete", obj->on_delete);
    add_field("on_update", obj->on_update);
    add_field("owned_by", obj->owned_by);
    if (obj->flags)
        mock_buf_addf(&mock_schema_text, " flags=0x%x", obj->flags);
    if (obj->position)
        mock_buf_addf(&mock_schema_text, " pos=%d", obj->position);
    if (obj->kind == MGR_OBJ_SEQUENCE)
        mock_buf_addf(&mock_schema_text, " seq=%lld,%lld,%lld,%lld",
                      obj->seq_start, obj->seq_increment, obj->seq_min,
                      obj->seq_max);
    mock_buf_addf(&mock_schema_text, "\n");
    return MGR_OK;
}

/* ---- lint findings ------------------------------------------------------- */

struct mgr_buf mock_lint_text = MGR_BUF_INIT;

int mock_lint_report(struct mgr_lint *l, const struct mgr_lint_statement *st,
                     const struct mgr_finding *f, struct mgr_error *err)
{
    static const char *const severities[] = { "?", "notice", "warning",
                                              "error" };

    (void)l;
    (void)err;
    mock_buf_addf(&mock_lint_text, "%s:%d %s %s",
                  st->path ? st->path : "",
                  f->line ? f->line : st->line, f->rule,
                  severities[f->severity <= MGR_SEVERITY_ERROR
                                 ? f->severity : 0]);
    if (f->table)
        mock_buf_addf(&mock_lint_text, " table=%s", f->table);
    if (f->lock_mode)
        mock_buf_addf(&mock_lint_text, " lock=%s", f->lock_mode);
    if (f->flags & MGR_FINDING_REWRITE)
        mock_buf_addf(&mock_lint_text, " rewrite");
    if (f->flags & MGR_FINDING_SIZE)
        mock_buf_addf(&mock_lint_text, " size");
    mock_buf_addf(&mock_lint_text, "\n");
    return MGR_OK;
}
