/* lockwait.c: polling for the migration lock; see lockwait.h. */
#include "autoconfig.h"

#include <errno.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "lockwait.h"
#include "report.h"
#include "runner.h"

#define FIRST_DELAY_MS 50L
#define MAX_DELAY_MS 1000L
#define REPORT_EVERY_MS 5000L
/* The longest nap between two looks at the signal flag: a signal that
 * lands between the look and the nap is seen this much later. */
#define SLICE_MS 100L

static long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* A small xorshift generator: the jitter keeps waiting runs apart. */
static unsigned next_random(unsigned *s)
{
    unsigned x = *s ? *s : 0x9e3779b9u;

    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *s = x;
    return x;
}

/* Sleep ms in slices; false as soon as a signal was caught. */
static bool nap(long ms)
{
    while (ms > 0 && !runner_interrupted()) {
        long slice = ms < SLICE_MS ? ms : SLICE_MS;
        struct timespec ts = { slice / 1000, (slice % 1000) * 1000000L };

        /* EINTR: the handler ran; the loop condition looks at it. */
        (void)nanosleep(&ts, NULL);
        ms -= slice;
    }
    return !runner_interrupted();
}

static int interrupted(const struct lockwait *lw, struct mgr_error *err)
{
    return mgr_error_set(err, MGR_EINTR,
                         "interrupted by signal %d while waiting for the "
                         "migration lock '%s'; nothing was changed",
                         runner_interrupted(), lw->key);
}

static int timed_out(const struct lockwait *lw, const char *holder,
                     struct mgr_error *err)
{
    return mgr_error_set(err, MGR_ELOCKED,
                         "migration lock '%s' not acquired within %ld ms: "
                         "held by %s; nothing was changed; wait for that "
                         "run to end or raise lock_wait",
                         lw->key, lw->wait_ms < 0 ? 0 : lw->wait_ms,
                         *holder ? holder : "another session");
}

int lockwait_run(const struct lockwait *lw, struct mgr_error *err)
{
    struct mgr_buf holder = MGR_BUF_INIT;
    long start = now_ms(), elapsed, delay = FIRST_DELAY_MS, next_report = 0;
    unsigned seed = (unsigned)getpid() ^ (unsigned)start ^
                    (unsigned)(uintptr_t)lw;
    int got = 0, rc;

    for (;;) {
        if (runner_interrupted()) {
            rc = interrupted(lw, err);
            break;
        }
        mgr_buf_reset(&holder);
        rc = lw->try_once(lw->ctx, &got, &holder, err);
        if (rc != MGR_OK || got)
            break;
        elapsed = now_ms() - start;
        if (elapsed >= lw->wait_ms) {
            rc = timed_out(lw, holder.buf, err);
            break;
        }
        if (elapsed >= next_report) {
            report_lock_wait(lw->report, lw->key, holder.buf, elapsed,
                             lw->wait_ms);
            next_report = elapsed + REPORT_EVERY_MS;
        }
        /* delay +- 25 %, never past the deadline */
        long pause = delay * 3 / 4 +
                     (long)(next_random(&seed) % (unsigned)(delay / 2 + 1));
        if (pause > lw->wait_ms - elapsed)
            pause = lw->wait_ms - elapsed;
        if (!nap(pause)) {
            rc = interrupted(lw, err);
            break;
        }
        delay = delay * 3 / 2 > MAX_DELAY_MS ? MAX_DELAY_MS : delay * 3 / 2;
    }
    mgr_buf_release(&holder);
    return rc;
}
