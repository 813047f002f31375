/*
 * mock_host.h: the shared part of the mock host API that the plugins'
 * Check suites hand to the plugin under test (a plugin never links
 * against the core, so its suite plays the host).
 *
 * A suite fills its table with mock_host_api_init(), then overrides the
 * members its plugin needs (meta_add, exec_sql, ...) with its own
 * recording upcalls, or with the mock_unused_* ones that fail the test
 * when called. mock_host_reset() clears what the mocks recorded; call it
 * from the fixture.
 */
#ifndef MIGRATOR_PLUGINS_MOCK_HOST_H
#define MIGRATOR_PLUGINS_MOCK_HOST_H

#include <stddef.h>

#include <migrator/plugin.h>

/* What the mocks recorded since the last mock_host_reset(). */
extern int mock_error_calls;       /* error_set calls */
extern int mock_log_calls;         /* log calls */
extern int mock_log_level;         /* the level of the last one */
extern char mock_log_last[4096];   /* its text (truncated) */
extern long mock_live_allocations; /* mock_alloc()s not yet mock_free()d */
/* What the interrupted upcall answers (a signal number, or 0); a test
 * sets it, mock_host_reset() clears it. */
extern volatile int mock_interrupt_signal;
/* What mock_script_text answers: the text the host read for the command,
 * which the file may no longer hold (NULL: an error). A test sets it,
 * mock_host_reset() clears it. */
extern const char *mock_host_text;

/* Fill api: abi_version, size and the general members below
 * (interrupted answers mock_interrupt_signal); the rest NULL. */
void mock_host_api_init(struct mgr_host_api *api);

/* Clear the counters and the last log message. */
void mock_host_reset(void);

/* Fill err (when not NULL) with code, the text and sys_errno 0; returns
 * code. */
int mock_error_set(struct mgr_error *err, int code, const char *fmt, ...)
    MGR_PRINTF(3, 4);

/* A script_text upcall (ABI 1.4) answering mock_host_text, or MGR_EIO
 * "no text for 'PATH'" when it is NULL. mock_host_api_init leaves
 * script_text NULL: a suite sets it where it plays a host that read the
 * scripts. */
int mock_script_text(struct mgr_host *h, const char *path,
                     const char **text_out, size_t *len_out,
                     struct mgr_error *err);

/* Record the message and its level in mock_log_last and mock_log_level. */
void mock_log(struct mgr_host *h, int level, const char *fmt, ...)
    MGR_PRINTF(3, 4);

/* malloc() and free(), counting mock_live_allocations; mock_alloc fails
 * the test when out of memory, so never returns NULL. */
void *mock_alloc(size_t n);
void mock_free(void *p);

/* Working buffer upcalls on a struct mgr_buf initialised with
 * MGR_BUF_INIT (this file provides mgr_buf_empty) or mock_buf_init().
 * mock_buf_release() frees one and leaves it empty; mock_buf_setlen()
 * fails the test for a length past the buffer. */
void mock_buf_init(struct mgr_buf *sb, size_t hint);
void mock_buf_reset(struct mgr_buf *sb);
void mock_buf_setlen(struct mgr_buf *sb, size_t len);
void mock_buf_add(struct mgr_buf *sb, const void *data, size_t len);
void mock_buf_addf(struct mgr_buf *sb, const char *fmt, ...)
    MGR_PRINTF(2, 3);
void mock_buf_release(struct mgr_buf *sb);

/*
 * schema_add that records each object as one line in mock_schema_text
 * (reset by mock_host_reset()): "KIND schema|table|name" then the
 * fields that are set, e.g.
 *   "COLUMN |units|rent type=numeric(10,2) expr=0 flags=0x1 pos=3"
 *   "FOREIGN_KEY |units|fk1 items=property_id ref=|properties
 *    ref_columns=id on_delete=CASCADE"
 * (one line each). It fails (MGR_EUSAGE) for a kind it does not know.
 */
extern struct mgr_buf mock_schema_text;
int mock_schema_add(struct mgr_schema_sink *sink,
                    const struct mgr_object *obj, struct mgr_error *err);

/*
 * lint_report that records each finding as one line in mock_lint_text
 * (reset by mock_host_reset()): "path:line rule severity" then
 * " table=T", " lock=MODE", " rewrite", " size" when set.
 */
extern struct mgr_buf mock_lint_text;
int mock_lint_report(struct mgr_lint *l, const struct mgr_lint_statement *st,
                     const struct mgr_finding *f, struct mgr_error *err);

/* Upcalls the plugin under test has no use for: each fails the test. */
void mock_unused_buf_add(struct mgr_buf *sb, const void *data, size_t len);
void mock_unused_buf_addf(struct mgr_buf *sb, const char *fmt, ...)
    MGR_PRINTF(2, 3);
int mock_unused_meta_add(struct mgr_script_meta *m,
                         enum mgr_meta_field field, const char *value,
                         size_t len, int line, struct mgr_error *err);
int mock_unused_exec_section_begin(struct mgr_exec *x, unsigned flags,
                                   int line, struct mgr_error *err);
int mock_unused_exec_sql(struct mgr_exec *x, const char *text, size_t len,
                         int first_line, struct mgr_error *err);

#endif /* MIGRATOR_PLUGINS_MOCK_HOST_H */
