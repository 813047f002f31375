/*
 * hostapi.c: the upcalls a plugin may make into the host. Each entry is
 * a thin wrapper around the core function that does the work.
 */
#include "autoconfig.h"

#include <assert.h>
#include <stdarg.h>
#include <stdlib.h>

#include "exec.h"
#include "hostapi.h"
#include "lint.h"
#include "meta.h"
#include "runner.h"
#include "schema_source.h"
#include "script_cache.h"
#include "util.h"

#ifdef MGR_DEBUG
#define HOST_CHECK(h) assert((h) != NULL && (h)->magic == HOST_MAGIC)
#else
#define HOST_CHECK(h) ((void)0)
#endif

static void host_log(struct mgr_host *h, int level, const char *fmt, ...)
    MGR_PRINTF(3, 4);

static void host_log(struct mgr_host *h, int level, const char *fmt, ...)
{
    va_list ap;

    HOST_CHECK(h);
    va_start(ap, fmt);
    mgr_vlog(level, h ? h->name : NULL, fmt, ap);
    va_end(ap);
}

static int host_error_set(struct mgr_error *err, int code, const char *fmt,
                          ...) MGR_PRINTF(3, 4);

static int host_error_set(struct mgr_error *err, int code, const char *fmt,
                          ...)
{
    va_list ap;

    va_start(ap, fmt);
    mgr_error_setv(err, code, fmt, ap);
    va_end(ap);
    return code;
}

static void host_lock_waiting(struct mgr_host *h, const char *key,
                              const char *holder, long waited_ms,
                              long wait_ms)
{
    HOST_CHECK(h);
    if (h && h->listener && h->listener->lock_waiting)
        h->listener->lock_waiting(h->listener->ctx, key, holder, waited_ms,
                                  wait_ms);
}

static void host_free_mem(void *p)
{
    free(p);
}

static int host_schema_add(struct mgr_schema_sink *sink,
                           const struct mgr_object *obj,
                           struct mgr_error *err)
{
    return schema_add(sink->schema, obj, err);
}

static int host_script_text(struct mgr_host *h, const char *path,
                            const char **text_out, size_t *len_out,
                            struct mgr_error *err)
{
    HOST_CHECK(h);
    if (!h->scripts)
        return mgr_error_set(err, MGR_EPLUGIN,
                             "%s: no script cache for this plugin (read "
                             "'%s' directly)",
                             h->name, path);
    return script_cache_text(h->scripts, path, text_out, len_out, err);
}

static const struct mgr_host_api host_api = {
    .abi_version = MGR_ABI_VERSION,
    .size = sizeof(struct mgr_host_api),
    .log = host_log,
    .error_set = host_error_set,
    .alloc = xmalloc,
    .free = host_free_mem,
    .buf_add = mgr_buf_add,
    .buf_addf = mgr_buf_addf,
    .meta_add = meta_add,
    .exec_section_begin = exec_section_begin,
    .exec_sql = exec_sql,
    .exec_query = exec_query,
    .exec_xarg = exec_xarg,
    .exec_config = exec_config,
    .exec_dialect = exec_dialect,
    .exec_mode = exec_mode_of,
    .trust_check = exec_trust_check,
    .lock_waiting = host_lock_waiting,
    .buf_init = mgr_buf_init,
    .buf_release = mgr_buf_release,
    .buf_reset = mgr_buf_reset,
    .buf_setlen = mgr_buf_setlen,
    .schema_add = host_schema_add,
    .lint_report = lint_host_report,
    .script_text = host_script_text,
    .interrupted = runner_interrupted,
};

const struct mgr_host_api *hostapi_get(void)
{
    return &host_api;
}

struct mgr_host *hostapi_host_new(const char *name,
                                  const struct host_listener *listener,
                                  struct script_cache *scripts)
{
    struct mgr_host *h = xmalloc(sizeof(*h));

    h->magic = HOST_MAGIC;
    h->name = xstrdup(name);
    h->listener = listener;
    h->scripts = scripts;
    return h;
}

void hostapi_host_free(struct mgr_host *h)
{
    if (!h)
        return;
    HOST_CHECK(h);
    h->magic = 0;
    free(h->name);
    free(h);
}
