/*
 * status.c: mgr_project_status(), where a database stands, read-only
 * (the diagnosis is status_diagnose.c), and the status object's helpers.
 */
#include "autoconfig.h"

#include <stdlib.h>

#include "project.h"
#include "status_diagnose.h"

static const char *const state_names[] = {
    [MGR_DB_UP_TO_DATE] = "up to date",
    [MGR_DB_BEHIND] = "behind",
    [MGR_DB_AHEAD] = "ahead",
    [MGR_DB_DIVERGED] = "diverged",
    [MGR_DB_FAILED] = "failed",
    [MGR_DB_EDITED] = "edited",
};

const char *mgr_db_state_name(enum mgr_db_state state)
{
    if ((size_t)state >= sizeof(state_names) / sizeof(*state_names))
        return "unknown";
    return state_names[state];
}

bool mgr_db_status_has(const struct mgr_db_status *s,
                       enum mgr_db_state state)
{
    if (state == MGR_DB_UP_TO_DATE)
        return s->states == 0;
    return (s->states & MGR_DB_BIT(state)) != 0;
}

void mgr_db_status_free(struct mgr_db_status *s)
{
    if (!s)
        return;
    mgr_strings_free(s->current);
    mgr_strings_free(s->pending);
    mgr_strings_free(s->unknown);
    mgr_strings_free(s->heads);
    mgr_strings_free(s->diverged);
    status_scripts_free(s->failed);
    status_scripts_free(s->edited);
    free(s->lock_holder);
    free(s->lock_since);
    free(s->lock_until);
    free(s);
}

int mgr_project_status(struct mgr_project *p,
                       struct mgr_db_status **status_out,
                       struct mgr_error *err)
{
    struct mgr_db_status *s = status_new();
    int rc = status_diagnose(&p->ctx, s, NULL);

    if (rc != MGR_OK) {
        if (err)
            *err = p->ctx.err;
        mgr_db_status_free(s);
        return rc;
    }
    *status_out = s;
    return MGR_OK;
}
