/* opscheck.c: is a plugin's operations table complete? See opscheck.h. */
#include "autoconfig.h"

#include <string.h>

#include "loader.h"
#include "opscheck.h"

/* A required member: its name, and whether the plugin set it. */
struct member {
    const char *name;
    int present;
};

#define MEMBER(ops, m) { #m, (ops)->m != NULL }

/* The first member of list[] that is missing, or NULL. */
static const char *first_missing(const struct member *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!list[i].present)
            return list[i].name;
    return NULL;
}

/* A NULL-terminated list with at least one entry. */
static int list_nonempty(const char *const *list)
{
    return list && list[0] && list[0][0];
}

static const char *dialect_missing(const struct mgr_dialect_ops *ops)
{
    const struct member required[] = {
        MEMBER(ops, connect),       MEMBER(ops, close),
        MEMBER(ops, query),         MEMBER(ops, begin),
        MEMBER(ops, commit),        MEMBER(ops, rollback),
        MEMBER(ops, unlock),        MEMBER(ops, quote_ident),
        MEMBER(ops, quote_literal), MEMBER(ops, split),
        MEMBER(ops, version_column_type),
        MEMBER(ops, table_exists),
    };
    const char *missing;

    if (!list_nonempty(ops->schemes))
        return "schemes";
    missing = first_missing(required, sizeof(required) / sizeof(*required));
    if (missing)
        return missing;
    /* A 1.1 dialect may offer one attempt instead of its own wait. */
    if (!ops->lock &&
        !(MGR_OPS_HAS(ops, struct mgr_dialect_ops, try_lock) &&
          ops->try_lock))
        return "try_lock (or lock)";
    return NULL;
}

static const char *format_missing(const struct mgr_format_ops *ops)
{
    const struct member required[] = {
        MEMBER(ops, parse_header),
        MEMBER(ops, run_section),
    };

    if (!list_nonempty(ops->extensions))
        return "extensions";
    return first_missing(required, sizeof(required) / sizeof(*required));
}

static const char *reporter_missing(const struct mgr_reporter_ops *ops)
{
    const struct member required[] = {
        MEMBER(ops, open),
        MEMBER(ops, event),
        MEMBER(ops, close),
    };

    return first_missing(required, sizeof(required) / sizeof(*required));
}

static const char *linter_missing(const struct mgr_linter_ops *ops)
{
    const struct member required[] = {
        MEMBER(ops, begin),
        MEMBER(ops, statement),
        MEMBER(ops, end),
    };

    if (!ops->rules || !ops->rules[0])
        return "rules";
    return first_missing(required, sizeof(required) / sizeof(*required));
}

/* The 1.0 size of kind's table; 0 for a kind without one. */
static size_t v1_size(enum mgr_plugin_kind kind)
{
    switch (kind) {
    case MGR_PLUGIN_DIALECT:
        return MGR_DIALECT_OPS_V1_SIZE;
    case MGR_PLUGIN_FORMAT:
        return MGR_FORMAT_OPS_V1_SIZE;
    case MGR_PLUGIN_REPORTER:
        return MGR_REPORTER_OPS_V1_SIZE;
    case MGR_PLUGIN_LINTER:
        return MGR_LINTER_OPS_V1_SIZE;
    }
    return 0;
}

int opscheck_plugin(const struct mgr_plugin *desc, struct mgr_buf *why)
{
    const char *kind = plugin_kind_name(desc->kind);
    const char *missing = NULL;
    uint32_t size;

    /* Every table starts with its size; read it without assuming the
     * table's type is complete. */
    memcpy(&size, desc->ops, sizeof(size));
    if (size < v1_size(desc->kind)) {
        /* Linters have operations since ABI 1.3; the other kinds since
         * 1.0. */
        mgr_buf_addf(why,
                     "its %s operations table has %u bytes, fewer than "
                     "the %u of ABI %s",
                     kind, (unsigned)size, (unsigned)v1_size(desc->kind),
                     desc->kind == MGR_PLUGIN_LINTER ? "1.3" : "1.0");
        return -1;
    }
    switch (desc->kind) {
    case MGR_PLUGIN_DIALECT:
        missing = dialect_missing(desc->ops);
        break;
    case MGR_PLUGIN_FORMAT:
        missing = format_missing(desc->ops);
        break;
    case MGR_PLUGIN_REPORTER:
        missing = reporter_missing(desc->ops);
        break;
    case MGR_PLUGIN_LINTER:
        missing = linter_missing(desc->ops);
        break;
    }
    if (missing) {
        mgr_buf_addf(why, "its %s operations lack '%s', which is required",
                     kind, missing);
        return -1;
    }
    return 0;
}
