/*
 * pg_wait.c: waiting for the server's answers without ever blocking
 * inside libpq, so that one signal ends any wait.
 *
 * Connections are in nonblocking mode (pg_connect.c). A statement goes
 * out with PQsend* and its results are waited for here, in poll(2)
 * slices of at most PG_POLL_SLICE_MS: PQflush what is queued,
 * PQconsumeInput what came, until PQisBusy says a result is complete.
 * Between two slices:
 *  - once api->interrupted() (ABI 1.4) reports a signal, the server is
 *    asked once per connection to cancel the statement (not again when
 *    the host's signal handler did it through the interrupt op), and
 *    the wait goes on for PG_CANCEL_GRACE_MS: a server that answers in
 *    time fails the statement as cancelled and the connection stays
 *    usable for the rollback; one that does not (a stopped backend, a
 *    network that went silent) has its connection closed, and the wait
 *    fails with MGR_EINTR. Every later call on that connection fails
 *    with MGR_ECONN, and the server rolls back what was not committed.
 *    A wait that begins after the signal (the rollback itself) gets the
 *    same grace;
 *  - a statement that runs while a lock timeout is set has its blockers
 *    looked up (pg_lock_watch, pg_locktimeout.c).
 */
#include "autoconfig.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>

#include "pg.h"

long pg_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

int pg_interrupted(const struct pg_state *st)
{
    const struct mgr_host_api *api = st->api;

    if (!MGR_API_HAS(api, interrupted) || !api->interrupted)
        return 0;
    return api->interrupted();
}

void pg_wait_begin(struct pg_conn *c)
{
    c->sent_ms = pg_now_ms();
    c->blockers[0] = '\0';
    c->next_look_ms = c->lock_timeout_ms > 0 ? 0 : -1;
}

void pg_drop(struct pg_conn *c)
{
    pg_side_close(c);
    PQfinish(c->pg);
    c->pg = NULL;
}

static int lost(struct pg_conn *c, struct mgr_error *err)
{
    char msg[MGR_ERROR_SIZE];

    if (!c->pg)
        return c->st->api->error_set(err, MGR_ECONN,
                                     "connection to the database lost: "
                                     "it was closed after a signal");
    pg_flatten(msg, sizeof(msg), PQerrorMessage(c->pg));
    return c->st->api->error_set(err, MGR_ECONN,
                                 "connection to the database lost: %s", msg);
}

/* One wait: when a signal was first seen in it (0: not yet). */
struct wait {
    long interrupted_ms;
};

/*
 * A signal came: cancel once, then give the server PG_CANCEL_GRACE_MS
 * from the moment this wait saw the signal. MGR_EINTR with the
 * connection closed when that runs out.
 */
static int check_interrupt(struct pg_conn *c, struct wait *w,
                           struct mgr_error *err)
{
    int sig = pg_interrupted(c->st);
    char errbuf[256];

    if (!sig)
        return MGR_OK;
    if (!w->interrupted_ms) {
        w->interrupted_ms = pg_now_ms();
        if (c->cancel && !c->cancel_sent) {
            c->cancel_sent = 1;
            PQcancel(c->cancel, errbuf, (int)sizeof(errbuf));
        }
    }
    if (pg_now_ms() - w->interrupted_ms < PG_CANCEL_GRACE_MS)
        return MGR_OK;
    pg_drop(c);
    return c->st->api->error_set(err, MGR_EINTR,
                                 "interrupted by signal %d: the database "
                                 "did not answer the cancel within %d ms, "
                                 "so the connection was closed (the server "
                                 "rolls back what was not committed)",
                                 sig, PG_CANCEL_GRACE_MS);
}

/* The longest poll slice now: shorter near the end of the grace. */
static int slice_ms(const struct wait *w)
{
    long left;

    if (!w->interrupted_ms)
        return PG_POLL_SLICE_MS;
    left = PG_CANCEL_GRACE_MS - (pg_now_ms() - w->interrupted_ms);
    if (left < 1)
        return 1;
    return left < PG_POLL_SLICE_MS ? (int)left : PG_POLL_SLICE_MS;
}

/*
 * One slice: flush, wait for the socket (readable, or writable while
 * output is queued), read what came. *flushed_out: nothing left to
 * send.
 */
static int one_slice(struct pg_conn *c, struct wait *w, bool *flushed_out,
                     struct mgr_error *err)
{
    struct pollfd p;
    int flush, rc;

    if (!c->pg || PQstatus(c->pg) == CONNECTION_BAD)
        return lost(c, err);
    rc = check_interrupt(c, w, err);
    if (rc != MGR_OK)
        return rc;
    pg_lock_watch(c);
    if (!c->pg)
        return lost(c, err);
    flush = PQflush(c->pg);
    if (flush < 0)
        return lost(c, err);
    p.fd = PQsocket(c->pg);
    p.events = (short)(POLLIN | (flush ? POLLOUT : 0));
    p.revents = 0;
    if (p.fd < 0)
        return lost(c, err);
    if (poll(&p, 1, slice_ms(w)) < 0 && errno != EINTR)
        return lost(c, err);
    if (!PQconsumeInput(c->pg))
        return lost(c, err);
    *flushed_out = flush == 0;
    return MGR_OK;
}

int pg_wait_result(struct pg_conn *c, PGresult **res_out,
                   struct mgr_error *err)
{
    struct wait w = { 0 };
    bool flushed = false;
    int rc;

    *res_out = NULL;
    if (!c->pg || PQstatus(c->pg) == CONNECTION_BAD)
        return lost(c, err);
    if (PQflush(c->pg) == 0 && PQconsumeInput(c->pg) && !PQisBusy(c->pg)) {
        *res_out = PQgetResult(c->pg);
        return MGR_OK;
    }
    for (;;) {
        rc = one_slice(c, &w, &flushed, err);
        if (rc != MGR_OK)
            return rc;
        if (flushed && !PQisBusy(c->pg))
            break;
    }
    *res_out = PQgetResult(c->pg);
    return MGR_OK;
}

int pg_wait_drain(struct pg_conn *c, struct mgr_error *err)
{
    PGresult *res;
    int rc;

    do {
        rc = pg_wait_result(c, &res, err);
        if (res)
            PQclear(res);
    } while (rc == MGR_OK && res);
    return rc;
}

int pg_wait_input(struct pg_conn *c, struct mgr_error *err)
{
    struct wait w = { 0 };
    bool flushed;

    return one_slice(c, &w, &flushed, err);
}

int pg_wait_end(struct pg_conn *c, struct mgr_error *err)
{
    struct mgr_error local;
    int rc = pg_wait_drain(c, &local);

    if (rc != MGR_EINTR)
        return MGR_OK;
    if (err)
        *err = local;
    return rc;
}

int pg_wait_exec(struct pg_conn *c, const char *sql, PGresult **res_out,
                 struct mgr_error *err)
{
    PGresult *res;
    int rc;

    *res_out = NULL;
    if (!c->pg || PQstatus(c->pg) == CONNECTION_BAD)
        return lost(c, err);
    if (!PQsendQuery(c->pg, sql)) {
        char msg[MGR_ERROR_SIZE];

        pg_flatten(msg, sizeof(msg), PQerrorMessage(c->pg));
        return c->st->api->error_set(err, MGR_EDB, "%s", msg);
    }
    pg_wait_begin(c);
    rc = pg_wait_result(c, res_out, err);
    if (rc != MGR_OK)
        return rc;
    /* PQexec's rule: the last result counts. */
    while (*res_out) {
        struct mgr_error local;

        rc = pg_wait_result(c, &res, &local);
        if (rc == MGR_EINTR) {
            if (err)
                *err = local;
            PQclear(*res_out);
            *res_out = NULL;
            return rc;
        }
        if (rc != MGR_OK || !res)
            break;
        PQclear(*res_out);
        *res_out = res;
    }
    return MGR_OK;
}
