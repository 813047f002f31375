/* reporter_noclose.c: a reporter without close, refused when it loads. */
#include <stddef.h>

#include <migrator/plugin.h>

static int noclose_open(void *state, const struct mgr_report_target *t,
                        void **sink_out, struct mgr_error *err)
{
    (void)state, (void)t, (void)err;
    *sink_out = NULL;
    return MGR_OK;
}

static int noclose_event(void *sink, const struct mgr_event *ev,
                         struct mgr_error *err)
{
    (void)sink, (void)ev, (void)err;
    return MGR_OK;
}

static const struct mgr_reporter_ops ops = {
    .size = sizeof(struct mgr_reporter_ops),
    .open = noclose_open,
    .event = noclose_event,
};

MGR_PLUGIN_DEFINE(MGR_PLUGIN_REPORTER, "noclose", "0.1",
                  "test: no close operation", NULL, NULL, &ops)
