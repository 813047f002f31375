/*
 * pg_connect.c: connections of the PostgreSQL dialect.
 *
 * The database_url goes to libpq unchanged, so URLs (postgresql://,
 * postgres://), conninfo strings, service files, PGPASSFILE and the PG*
 * environment all work as they do for psql. The plugin adds
 * fallback_application_name=migrator/<version> (a user's
 * application_name or PGAPPNAME wins), client_encoding=UTF8 (scripts are
 * UTF-8), and on PostgreSQL 14 and later client_connection_check_interval
 * = 1s, so that a killed migrator does not keep its lock for the rest of
 * a long statement (reliability §2 #5b). statement_timeout is left to
 * the user. A scratch database (pg_scratch.c) is reached with the same
 * URL and a second dbname, which libpq takes over the URL's.
 *
 * Unless the URL (or PGCONNECT_TIMEOUT) sets its own, connect_timeout is
 * the host's (ABI 1.4, the config's connect_timeout) rounded up to whole
 * seconds, and TCP keepalives are on (idle 10 s, interval 5 s, 3 probes)
 * unless the URL sets them: ours come before the URL in libpq's
 * parameters, so the URL's win. libpq honours connect_timeout only in
 * its blocking connect, so the connect here is PQconnectStartParams and
 * PQconnectPoll with poll(2) in slices of PG_POLL_SLICE_MS, which
 * enforces the timeout as a whole and ends at once on a signal
 * (api->interrupted). A connect that timed out is reported with the
 * timeout, without the ping that otherwise tells a server that refused
 * us (MGR_EDB) from one that could not be reached (MGR_ECONN).
 */
#include "autoconfig.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg.h"

#define PG_APP_NAME "migrator/" PACKAGE_VERSION
#define PING_TIMEOUT_S 2 /* the follow-up ping of a failed connect */

/* ---- secrets ------------------------------------------------------------ */

/* Replace every occurrence of secret in buf (size bytes) by "****". */
static void redact(char *buf, size_t size, const char *secret)
{
    size_t slen = secret ? strlen(secret) : 0;
    char out[MGR_ERROR_SIZE];
    size_t n = 0;
    const char *p = buf;

    if (slen == 0 || !strstr(buf, secret))
        return;
    while (*p && n + 1 < sizeof(out)) {
        if (strncmp(p, secret, slen) == 0) {
            for (int i = 0; i < 4 && n + 1 < sizeof(out); i++)
                out[n++] = '*';
            p += slen;
        } else {
            out[n++] = *p++;
        }
    }
    out[n] = '\0';
    snprintf(buf, size, "%s", out);
}

/*
 * The password as written in a URL's userinfo (still percent-encoded):
 * "scheme://user:SECRET@host". Copied into out; "" when there is none.
 */
static void url_password(const char *url, char *out, size_t size)
{
    const char *p = strstr(url, "://"), *end, *colon, *at = NULL;

    out[0] = '\0';
    if (!p)
        return;
    p += 3;
    end = p + strcspn(p, "/?#");
    for (const char *q = p; q < end; q++)
        if (*q == '@')
            at = q;
    if (!at)
        return;
    colon = memchr(p, ':', (size_t)(at - p));
    if (!colon || at - colon - 1 <= 0)
        return;
    snprintf(out, size, "%.*s", (int)(at - colon - 1), colon + 1);
}

/* The password url carries (as libpq reads it), copied for redact(),
 * or NULL; MGR_ECONFIG when libpq cannot read url. */
static int url_secret(struct pg_state *st, const char *url,
                      const char *raw_secret, char **secret_out,
                      struct mgr_error *err)
{
    PQconninfoOption *opts;
    char msg[MGR_ERROR_SIZE];
    char *perr = NULL;

    *secret_out = NULL;
    opts = PQconninfoParse(url, &perr);
    if (!opts) {
        pg_flatten(msg, sizeof(msg), perr ? perr : "out of memory");
        redact(msg, sizeof(msg), raw_secret);
        PQfreemem(perr);
        return st->api->error_set(err, MGR_ECONFIG,
                                  "invalid database URL: %s", msg);
    }
    for (PQconninfoOption *o = opts; o->keyword; o++)
        if (strcmp(o->keyword, "password") == 0 && o->val && *o->val) {
            size_t n = strlen(o->val) + 1;

            *secret_out = st->api->alloc(n);
            memcpy(*secret_out, o->val, n);
        }
    PQconninfoFree(opts);
    return MGR_OK;
}

/* ---- connections ------------------------------------------------------ */

/* Server messages (NOTICE, WARNING...) go to the host's log. */
static void pg_notice(void *arg, const PGresult *res)
{
    struct pg_conn *c = arg;
    const char *sev = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);
    const char *shown = PQresultErrorField(res, PG_DIAG_SEVERITY);
    const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    int level = MGR_LOG_INFO;

    if (c->quiet)
        return;
    if (sev && strcmp(sev, "WARNING") == 0)
        level = MGR_LOG_WARNING;
    else if (sev && (strcmp(sev, "DEBUG") == 0 || strcmp(sev, "LOG") == 0))
        level = MGR_LOG_DEBUG;
    c->st->api->log(c->st->host, level, "%s: %s", shown ? shown : "NOTICE",
                    msg ? msg : "");
}

/* Session settings of a new connection. */
static void session_setup(struct pg_conn *c)
{
    struct pg_state *st = c->st;
    char msg[MGR_ERROR_SIZE];
    struct mgr_error err;
    PGresult *res = NULL;

    if (PQserverVersion(c->pg) < 140000)
        return;
    msg[0] = '\0';
    if (pg_wait_exec(c, "SET client_connection_check_interval = '1s'",
                     &res, &err) != MGR_OK)
        snprintf(msg, sizeof(msg), "%s", err.msg);
    else if (PQresultStatus(res) != PGRES_COMMAND_OK)
        pg_flatten(msg, sizeof(msg), PQresultErrorMessage(res));
    /* Not every server platform supports it: not fatal. */
    if (msg[0])
        st->api->log(st->host, MGR_LOG_DEBUG,
                     "cannot set client_connection_check_interval: %s", msg);
    PQclear(res);
}

/* ---- connecting --------------------------------------------------------- */

/* The parameters handed to libpq: ours, then the URL's, then ours that
 * the URL may not change; room for one more pair (the ping's timeout). */
#define MAX_PARAMS 12
struct params {
    const char *keys[MAX_PARAMS + 1];
    const char *vals[MAX_PARAMS + 1];
    size_t n;
    char timeout[24];
};

static void add(struct params *p, const char *key, const char *val)
{
    p->keys[p->n] = key;
    p->vals[p->n++] = val;
    p->keys[p->n] = p->vals[p->n] = NULL;
}

/* Seconds, rounded up, of a timeout in milliseconds (libpq's unit). */
static long whole_seconds(long ms)
{
    return ms <= 0 ? 0 : (ms + 999) / 1000;
}

static void build_params(struct params *p, const char *url,
                         const char *dbname,
                         const struct mgr_connect_options *o)
{
    const char *env = getenv("PGCONNECT_TIMEOUT");

    memset(p, 0, sizeof(*p));
    add(p, "fallback_application_name", PG_APP_NAME);
    if (o->connect_timeout_ms > 0 && !(env && *env)) {
        snprintf(p->timeout, sizeof(p->timeout), "%ld",
                 whole_seconds(o->connect_timeout_ms));
        add(p, "connect_timeout", p->timeout);
    }
    add(p, "keepalives", "1");
    add(p, "keepalives_idle", "10");
    add(p, "keepalives_interval", "5");
    add(p, "keepalives_count", "3");
    /* Only the first dbname is read as a URL or conninfo string; a
     * later one is a plain database name, and overrides it. */
    add(p, "dbname", url);
    add(p, "client_encoding", "UTF8");
    if (dbname)
        add(p, "dbname", dbname);
}

/* The connect_timeout pg ended up with (ours, the URL's or the
 * environment's), in seconds; 0: none. */
static long effective_timeout(PGconn *pg)
{
    PQconninfoOption *opts = PQconninfo(pg);
    long s = 0;

    for (PQconninfoOption *o = opts; o && o->keyword; o++)
        if (strcmp(o->keyword, "connect_timeout") == 0 && o->val)
            s = strtol(o->val, NULL, 10);
    PQconninfoFree(opts);
    return s > 0 ? s : 0;
}

enum outcome { CONNECTED, FAILED, TIMED_OUT, INTERRUPTED };

/* Wait until fd is ready for what libpq asked, at most ms. */
static void wait_socket(int fd, PostgresPollingStatusType want, long ms)
{
    struct pollfd p = { fd, want == PGRES_POLLING_READING ? POLLIN : POLLOUT,
                        0 };

    if (poll(&p, 1, (int)ms) < 0 && errno != EINTR)
        return; /* PQconnectPoll finds what is wrong */
}

/* Drive the connect of pg to its end, within timeout_s (0: none). */
static enum outcome drive(struct pg_state *st, PGconn *pg, long timeout_s,
                          long *deadline_out)
{
    PostgresPollingStatusType ps = PGRES_POLLING_WRITING;
    long deadline = timeout_s > 0 ? pg_now_ms() + timeout_s * 1000 : 0;

    *deadline_out = deadline;
    if (PQstatus(pg) == CONNECTION_BAD)
        return FAILED;
    for (;;) {
        long slice = PG_POLL_SLICE_MS, now;

        if (ps == PGRES_POLLING_OK)
            return CONNECTED;
        if (ps == PGRES_POLLING_FAILED || PQsocket(pg) < 0)
            return FAILED;
        if (pg_interrupted(st))
            return INTERRUPTED;
        now = pg_now_ms();
        if (deadline && now >= deadline)
            return TIMED_OUT;
        if (deadline && deadline - now < slice)
            slice = deadline - now;
        wait_socket(PQsocket(pg), ps, slice);
        if (pg_interrupted(st))
            return INTERRUPTED;
        ps = PQconnectPoll(pg);
    }
}

/*
 * Why pg did not connect, as an error: MGR_EDB when a server answered
 * (it refused us), MGR_ECONN when none did; the ping that tells them
 * apart keeps within what is left of the connect's deadline (none left:
 * no ping, MGR_ECONN).
 */
static int connect_failed(struct pg_state *st, PGconn *pg, struct params *p,
                          long deadline, const char *secret,
                          const char *raw_secret, struct mgr_error *err)
{
    char msg[MGR_ERROR_SIZE], ping_timeout[24];
    long left = deadline ? (deadline - pg_now_ms()) / 1000 : PING_TIMEOUT_S;
    PGPing ping = PQPING_NO_RESPONSE;

    pg_flatten(msg, sizeof(msg), PQerrorMessage(pg));
    redact(msg, sizeof(msg), secret);
    redact(msg, sizeof(msg), raw_secret);
    PQfinish(pg);
    if (left >= PING_TIMEOUT_S) {
        snprintf(ping_timeout, sizeof(ping_timeout), "%d", PING_TIMEOUT_S);
        add(p, "connect_timeout", ping_timeout);
        ping = PQpingParams(p->keys, p->vals, 1);
    }
    return st->api->error_set(err,
                              ping == PQPING_OK          ? MGR_EDB
                              : ping == PQPING_NO_ATTEMPT ? MGR_ECONFIG
                                                          : MGR_ECONN,
                              "cannot connect to the database: %s", msg);
}

static char *copy_text(struct pg_state *st, const char *s)
{
    size_t n;
    char *copy;

    if (!s)
        return NULL;
    n = strlen(s) + 1;
    copy = st->api->alloc(n);
    memcpy(copy, s, n);
    return copy;
}

/* The struct pg_conn of a connection made. */
static struct pg_conn *conn_new(struct pg_state *st, PGconn *pg,
                                const char *url, const char *dbname,
                                const struct mgr_connect_options *o)
{
    struct pg_conn *c = st->api->alloc(sizeof(*c));

    memset(c, 0, sizeof(*c));
    c->st = st;
    c->pg = pg;
    c->cancel = PQgetCancel(pg);
    c->url = copy_text(st, url);
    c->dbname = copy_text(st, dbname);
    c->opts = *o;
    c->next_look_ms = -1;
    PQsetNoticeReceiver(pg, pg_notice, c);
    /* Results are waited for in pg_wait.c, never inside libpq. */
    PQsetnonblocking(pg, 1);
    session_setup(c);
    return c;
}

static int connect_params(struct pg_state *st, const char *url,
                          const char *dbname,
                          const struct mgr_connect_options *o,
                          const char *secret, const char *raw_secret,
                          void **conn_out, struct mgr_error *err)
{
    struct params p;
    long timeout_s, deadline;
    PGconn *pg;

    build_params(&p, url, dbname, o);
    pg = PQconnectStartParams(p.keys, p.vals, 1);
    if (!pg)
        return st->api->error_set(err, MGR_ENOMEM,
                                  "cannot connect to the database: out of "
                                  "memory");
    timeout_s = effective_timeout(pg);
    switch (drive(st, pg, timeout_s, &deadline)) {
    case CONNECTED:
        *conn_out = conn_new(st, pg, url, dbname, o);
        return MGR_OK;
    case INTERRUPTED:
        PQfinish(pg);
        return st->api->error_set(err, MGR_EINTR,
                                  "interrupted by signal %d while "
                                  "connecting to the database",
                                  pg_interrupted(st));
    case TIMED_OUT:
        PQfinish(pg);
        return st->api->error_set(err, MGR_ECONN,
                                  "cannot connect to the database: timed "
                                  "out after %ld s (connect_timeout)",
                                  timeout_s);
    case FAILED:
    default:
        return connect_failed(st, pg, &p, deadline, secret, raw_secret,
                              err);
    }
}

int pg_connect_db(struct pg_state *st, const char *url, const char *dbname,
                  const struct mgr_connect_options *o, void **conn_out,
                  struct mgr_error *err)
{
    char raw_secret[256];
    char *secret = NULL;
    int rc;

    *conn_out = NULL;
    if (!url)
        url = "";
    url_password(url, raw_secret, sizeof(raw_secret));
    rc = url_secret(st, url, raw_secret, &secret, err);
    if (rc == MGR_OK)
        rc = connect_params(st, url, dbname, o, secret, raw_secret,
                            conn_out, err);
    if (rc == MGR_OK && (o->flags & MGR_CONNECT_READ_ONLY)) {
        /* Every transaction of the session is read-only, so that a
         * statement that would write fails instead. */
        rc = pg_query(*conn_out, "SET default_transaction_read_only = on",
                      NULL, 0, NULL, NULL, NULL, NULL, err);
        if (rc != MGR_OK) {
            pg_close(*conn_out);
            *conn_out = NULL;
        }
    }
    if (secret) {
        memset(secret, 0, strlen(secret));
        st->api->free(secret);
    }
    return rc;
}

/* ---- the ops members ---------------------------------------------------- */

int pg_connect_opts(void *state, const char *url,
                    const struct mgr_connect_options *o, void **conn_out,
                    struct mgr_error *err)
{
    struct mgr_connect_options full;

    /* Members past the host's struct count as 0. */
    memset(&full, 0, sizeof(full));
    full.size = sizeof(full);
    if (o && MGR_CONNECT_HAS(o, connect_timeout_ms))
        full.connect_timeout_ms = o->connect_timeout_ms;
    if (o && MGR_CONNECT_HAS(o, flags))
        full.flags = o->flags;
    return pg_connect_db(state, url, NULL, &full, conn_out, err);
}

/* Without options (a host of 1.0-1.3 has none): no timeout of ours. */
int pg_connect(void *state, const char *url, void **conn_out,
               struct mgr_error *err)
{
    return pg_connect_opts(state, url, NULL, conn_out, err);
}

/* ABI 1.3: every transaction of the session is read-only. */
int pg_connect_read_only(void *state, const char *url, void **conn_out,
                         struct mgr_error *err)
{
    struct mgr_connect_options o = { sizeof(o), 0, MGR_CONNECT_READ_ONLY };

    return pg_connect_opts(state, url, &o, conn_out, err);
}

/* Signal handler context: PQcancel is documented as safe there. */
void pg_interrupt(void *conn)
{
    struct pg_conn *c = conn;
    char errbuf[256];

    if (c && c->cancel && !c->cancel_sent) {
        c->cancel_sent = 1;
        PQcancel(c->cancel, errbuf, (int)sizeof(errbuf));
    }
}

void pg_close(void *conn)
{
    struct pg_conn *c = conn;

    if (!c)
        return;
    pg_side_close(c);
    if (c->cancel)
        PQfreeCancel(c->cancel);
    PQfinish(c->pg);
    if (c->lock_key)
        c->st->api->free(c->lock_key);
    if (c->url)
        c->st->api->free(c->url);
    if (c->dbname)
        c->st->api->free(c->dbname);
    c->st->api->free(c);
}
