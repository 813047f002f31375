/*
 * plan_offline.c: the offline (--sql) forms of the plans, where the start
 * of a range replaces the version rows.
 */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "plan_internal.h"
#include "target.h"
#include "util.h"

/* ---- offline ---------------------------------------------------------- */

/* The rows an offline start names: one revision or none (base). */
static int offline_start(const struct graph *g, const char *start,
                         struct graph_list *rows, struct mgr_error *err)
{
    int rc;

    if (!*start)
        return MGR_OK;
    if ((rc = target_resolve(g, start, rows, err)))
        return rc;
    if (rows->len > 1) {
        const char *a = graph_id(g, rows->v[0]), *b = graph_id(g, rows->v[1]);
        bool more = rows->len > 2;

        graph_list_reset(rows);
        return mgr_error_set(err, MGR_EREVISION,
                             "the start of an offline range must be one "
                             "revision, but '%s' names several ('%s', "
                             "'%s'%s); start from one of them",
                             start, a, b, more ? ", ..." : "");
    }
    return MGR_OK;
}

int plan_upgrade_offline(const struct graph *g, const char *range,
                         struct plan *plan_out, struct mgr_error *err)
{
    struct graph_list rows = GRAPH_LIST_INIT;
    char *start = NULL, *end = NULL, *branch = NULL;
    int rc;

    if (!strchr(range, ':')) {
        start = xstrdup("");
        end = xstrdup(range);
        rc = MGR_OK;
    } else {
        rc = target_split_range(range, &start, &end, err);
    }
    if (rc == MGR_OK && strchr(start, '@'))
        branch = xstrndup(start, (size_t)(strchr(start, '@') - start));
    if (rc == MGR_OK)
        rc = offline_start(g, start, &rows, err);
    if (rc == MGR_OK)
        rc = plan_upgrade_from(g, &rows, *end ? end : "heads", branch,
                               plan_out, err);
    free(start);
    free(end);
    free(branch);
    graph_list_release(&rows);
    if (rc)
        plan_release(plan_out);
    return rc;
}

int plan_downgrade_offline(const struct graph *g, const char *range,
                           struct plan *plan_out, struct mgr_error *err)
{
    struct graph_list rows = GRAPH_LIST_INIT;
    char *start = NULL, *end = NULL;
    int rc;

    if (!strchr(range, ':'))
        return mgr_error_set(err, MGR_EREVISION,
                             "downgrade with --sql needs a range: "
                             "'<from>:<to>', e.g. 'head:base'");
    rc = target_split_range(range, &start, &end, err);
    if (rc == MGR_OK)
        rc = offline_start(g, start, &rows, err);
    if (rc == MGR_OK)
        rc = plan_downgrade_from(g, &rows, *end ? end : "base", plan_out, err);
    free(start);
    free(end);
    graph_list_release(&rows);
    if (rc)
        plan_release(plan_out);
    return rc;
}

int plan_stamp_offline(const struct graph *g, const char *const *targets,
                       size_t ntargets, bool purge, struct plan *plan_out,
                       struct mgr_error *err)
{
    struct graph_list rows = GRAPH_LIST_INIT;
    const char **dests;
    char *start = NULL;
    int rc = MGR_OK;

    if (purge)
        return mgr_error_set(err, MGR_EREVISION,
                             "--purge cannot be used with --sql; give the "
                             "start of the range instead ('<from>:<to>')");
    dests = xreallocarray(NULL, ntargets ? ntargets : 1, sizeof(*dests));
    for (size_t i = 0; i < ntargets && rc == MGR_OK; i++) {
        const char *colon = strchr(targets[i], ':');

        dests[i] = colon ? colon + 1 : targets[i];
        if (!colon)
            continue;
        if (!start) {
            start = xstrndup(targets[i], (size_t)(colon - targets[i]));
        } else if (strlen(start) != (size_t)(colon - targets[i]) ||
                   strncmp(start, targets[i], strlen(start)) != 0) {
            rc = mgr_error_set(err, MGR_EREVISION,
                               "stamp with --sql takes one start revision; "
                               "'%s' and '%s' start differently",
                               targets[0], targets[i]);
        }
    }
    if (rc == MGR_OK && start)
        rc = offline_start(g, start, &rows, err);
    if (rc == MGR_OK)
        rc = plan_stamp_from(g, &rows, dests, ntargets, plan_out, err);
    free(dests);
    free(start);
    graph_list_release(&rows);
    if (rc)
        plan_release(plan_out);
    return rc;
}
