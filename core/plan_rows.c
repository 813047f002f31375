/*
 * plan_rows.c: the version rows in memory, and a plan applied to them.
 */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "util.h"

/* ---- row sets ------------------------------------------------------- */

void plan_rows_add(struct plan_rows *r, const char *id)
{
    if (r->len == r->alloc) {
        r->alloc = r->alloc ? 2 * r->alloc : 8;
        r->ids = xreallocarray(r->ids, r->alloc, sizeof(*r->ids));
    }
    r->ids[r->len++] = xstrdup(id);
}

bool plan_rows_has(const struct plan_rows *r, const char *id)
{
    for (size_t i = 0; i < r->len; i++)
        if (strcmp(r->ids[i], id) == 0)
            return true;
    return false;
}

bool plan_rows_remove(struct plan_rows *r, const char *id)
{
    for (size_t i = 0; i < r->len; i++)
        if (strcmp(r->ids[i], id) == 0) {
            free(r->ids[i]);
            memmove(&r->ids[i], &r->ids[i + 1],
                    (r->len - i - 1) * sizeof(*r->ids));
            r->len--;
            return true;
        }
    return false;
}

void plan_rows_clear(struct plan_rows *r)
{
    for (size_t i = 0; i < r->len; i++)
        free(r->ids[i]);
    r->len = 0;
}

void plan_rows_release(struct plan_rows *r)
{
    plan_rows_clear(r);
    free(r->ids);
    r->ids = NULL;
    r->alloc = 0;
}

int plan_apply_step(const struct plan_step *step, struct plan_rows *rows,
                    struct mgr_error *err)
{
    for (size_t i = 0; i < step->nops; i++) {
        const struct plan_op *op = &step->ops[i];

        switch (op->kind) {
        case PLAN_INSERT:
            if (plan_rows_has(rows, op->to))
                return mgr_error_set(err, MGR_EDB,
                                     "version row '%s' exists already",
                                     op->to);
            plan_rows_add(rows, op->to);
            break;
        case PLAN_UPDATE:
            if (!plan_rows_has(rows, op->from))
                return mgr_error_set(err, MGR_EDB,
                                     "expected version row '%s' to update "
                                     "to '%s', found none",
                                     op->from, op->to);
            if (plan_rows_has(rows, op->to))
                return mgr_error_set(err, MGR_EDB,
                                     "version row '%s' exists already",
                                     op->to);
            for (size_t k = 0; k < rows->len; k++)
                if (strcmp(rows->ids[k], op->from) == 0) {
                    free(rows->ids[k]);
                    rows->ids[k] = xstrdup(op->to);
                    break;
                }
            break;
        case PLAN_DELETE:
            if (!plan_rows_remove(rows, op->from))
                return mgr_error_set(err, MGR_EDB,
                                     "expected version row '%s' to delete, "
                                     "found none",
                                     op->from);
            break;
        }
    }
    return MGR_OK;
}

int plan_apply(const struct plan *p, struct plan_rows *rows,
               struct mgr_error *err)
{
    int rc;

    if (p->purge)
        plan_rows_clear(rows);
    for (size_t i = 0; i < p->nsteps; i++)
        if ((rc = plan_apply_step(&p->steps[i], rows, err)))
            return rc;
    return MGR_OK;
}
