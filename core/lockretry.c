/* lockretry.c: the pause before a transaction is tried again. */
#include "autoconfig.h"

#include <stdlib.h>
#include <time.h>

#include <migrator/migrator.h>

#include "lockretry.h"
#include "runner.h"

#define PAUSE_FIRST_MS 1000L
#define PAUSE_MAX_MS 16000L
#define SLICE_MS 100L

long lockretry_pause_ms(unsigned long attempt)
{
    long ms = PAUSE_FIRST_MS;

    for (unsigned long i = 1; i < attempt && ms < PAUSE_MAX_MS; i++)
        ms *= 2;
    if (ms > PAUSE_MAX_MS)
        ms = PAUSE_MAX_MS;
    return ms + (long)(random() % (ms / 4 + 1));
}

int lockretry_sleep(long ms, struct mgr_error *err)
{
    while (ms > 0) {
        long slice = ms < SLICE_MS ? ms : SLICE_MS;
        struct timespec ts = { 0, slice * 1000000L };

        if (runner_interrupted())
            break;
        nanosleep(&ts, NULL);
        ms -= slice;
    }
    if (runner_interrupted())
        return mgr_error_set(err, MGR_EINTR,
                             "interrupted by signal %d while waiting to "
                             "retry; rolled back what was not committed",
                             runner_interrupted());
    return MGR_OK;
}
