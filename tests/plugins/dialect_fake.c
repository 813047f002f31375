/*
 * dialect_fake.c: a scriptable dialect for the unit tests of the code that
 * talks to a dialect (runner, exec, version table, locks, reports).
 *
 * Storage is a real SQLite database, so the version table, the log and
 * the scripts' statements behave as SQL does; the faults a test wants
 * are scripted on top of it by the URL's query.
 *
 * URL:  fake://[/ABSOLUTE/PATH.db][?NAME=VALUE[&NAME=VALUE]...]
 *   fake://                a private in-memory database (gone at close)
 *   fake:///tmp/x/f.db     that file, created when missing
 * Values are percent-decoded ("pid%2042" is "pid 42"). An unknown NAME is
 * MGR_ECONFIG. Statements are the calls of query, counted from 1 on each
 * connection (begin, commit, rollback and table_exists are not
 * statements). A statement matches N when it is the N-th, and TEXT when
 * its SQL contains TEXT (case-sensitive; parameters are not searched).
 *
 *   fail_at=N, fail_on=TEXT   the statement fails (MGR_EDB) without
 *                             running; fail_on fails every match
 *   sqlstate=S detail=D hint=H offset=K
 *                             what such a failure reports (defaults:
 *                             "XX000", "", "", -1)
 *   lose_at=N, lose_on=TEXT   the connection is lost at that statement:
 *                             it fails with MGR_ECONN, and so does every
 *                             later call; what was not committed is gone
 *   interrupt_at=N, interrupt_on=TEXT
 *                             raise(SIGINT) in that statement, which then
 *                             fails as a cancelled one does (MGR_EDB,
 *                             SQLSTATE 57014) once the host's handler
 *                             called interrupt; the host's handler
 *                             (runner_catch_signals) must be installed
 *   fail_commit=N             the N-th COMMIT fails (MGR_EDB) and rolls
 *                             the transaction back
 *   lose_commit=N             the N-th COMMIT commits, then the
 *                             connection is lost (MGR_ECONN): the
 *                             outcome the host cannot know
 *   held_by=TEXT              try_lock finds the lock held by TEXT...
 *   held_for=K                ...for the first K attempts only (default:
 *                             all of them)
 *   try_lock_error=1          every try_lock fails (MGR_EDB)
 *   lose_lock_after=N         lock_check answers for N checks, then the
 *                             lock is lost: lock_check and unlock report
 *                             MGR_ELOCKED
 *   connect_fail=econn|edb    connect fails with that status
 *   journal=PATH              append every call, one line each (below)
 *
 * Journal lines, in call order (newlines in SQL written as "\n"):
 *   connect URL-PATH | close
 *   query SQL [<- 'P1', 'P2', NULL...]
 *   begin | commit | rollback | table_exists NAME
 *   try_lock KEY got=0|1 | lock_check KEY | unlock KEY
 *   fault WHAT    (a scripted fault fired: failed, lost, interrupted,
 *                  commit failed, commit lost, lock lost)
 *
 * Statements that need no transaction: VACUUM and transaction control
 * (BEGIN, COMMIT, END, ROLLBACK, SAVEPOINT, RELEASE).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sqlite3.h>

#include <migrator/plugin.h>

static const char *const schemes[] = { "fake", NULL };

struct fake_state {
    const struct mgr_host_api *api;
    struct mgr_host *host;
};

/* The faults of one connection, from its URL. */
struct fake_script {
    long fail_at, lose_at, interrupt_at;
    char *fail_on, *lose_on, *interrupt_on;
    char *sqlstate, *detail, *hint;
    long offset;
    long fail_commit, lose_commit;
    char *held_by;
    long held_for;
    long try_lock_error;
    long lose_lock_after;
    int connect_fail;
    char *journal;
};

struct fake_conn {
    struct fake_state *st;
    sqlite3 *db;
    struct fake_script s;
    FILE *journal;
    long statements, commits, lock_checks, attempts;
    int lost;          /* the connection is gone */
    int locked;        /* try_lock took the lock */
    int lock_lost;     /* lose_lock_after fired */
    volatile sig_atomic_t interrupted; /* set by interrupt() */
};

/* ---- small helpers ------------------------------------------------------ */

static char *fake_strndup(const struct fake_state *st, const char *s,
                          size_t n)
{
    char *p = st->api->alloc(n + 1);

    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* A copy of s[0..n) with %XX decoded. */
static char *percent_decode(const struct fake_state *st, const char *s,
                            size_t n)
{
    char *out = st->api->alloc(n + 1);
    size_t k = 0;

    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n && hex_value(s[i + 1]) >= 0 &&
            hex_value(s[i + 2]) >= 0) {
            out[k++] = (char)(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
            i += 2;
        } else {
            out[k++] = s[i];
        }
    }
    out[k] = '\0';
    return out;
}

static int parse_long(const char *s, long *out)
{
    char *end;

    *out = strtol(s, &end, 10);
    return *s && !*end ? 0 : -1;
}

/* ---- the journal -------------------------------------------------------- */

static void journal_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '\n')
            fputs("\\n", f);
        else
            fputc(*s, f);
    }
}

/* One journal line: verb, then text (may be NULL). */
static void journal(struct fake_conn *fc, const char *verb, const char *text)
{
    if (!fc->journal)
        return;
    fputs(verb, fc->journal);
    if (text) {
        fputc(' ', fc->journal);
        journal_text(fc->journal, text);
    }
    fputc('\n', fc->journal);
    fflush(fc->journal);
}

static void journal_query(struct fake_conn *fc, const char *sql,
                          const char *const *params, size_t n)
{
    FILE *f = fc->journal;

    if (!f)
        return;
    fputs("query ", f);
    journal_text(f, sql);
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ", " : " <- ", f);
        if (!params[i]) {
            fputs("NULL", f);
            continue;
        }
        fputc('\'', f);
        journal_text(f, params[i]);
        fputc('\'', f);
    }
    fputc('\n', f);
    fflush(f);
}

/* ---- the URL ------------------------------------------------------------ */

/* Set one NAME=VALUE of the script; -1 for an unknown or bad one. */
static int set_param(const struct fake_state *st, struct fake_script *s,
                     const char *name, char *value)
{
    struct {
        const char *name;
        long *number;
        char **text;
    } const params[] = {
        { "fail_at", &s->fail_at, NULL },
        { "lose_at", &s->lose_at, NULL },
        { "interrupt_at", &s->interrupt_at, NULL },
        { "offset", &s->offset, NULL },
        { "fail_commit", &s->fail_commit, NULL },
        { "lose_commit", &s->lose_commit, NULL },
        { "held_for", &s->held_for, NULL },
        { "lose_lock_after", &s->lose_lock_after, NULL },
        { "try_lock_error", &s->try_lock_error, NULL },
        { "fail_on", NULL, &s->fail_on },
        { "lose_on", NULL, &s->lose_on },
        { "interrupt_on", NULL, &s->interrupt_on },
        { "sqlstate", NULL, &s->sqlstate },
        { "detail", NULL, &s->detail },
        { "hint", NULL, &s->hint },
        { "held_by", NULL, &s->held_by },
        { "journal", NULL, &s->journal },
    };

    for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
        if (strcmp(name, params[i].name) != 0)
            continue;
        if (params[i].number) {
            int rc = parse_long(value, params[i].number);

            st->api->free(value);
            return rc;
        }
        st->api->free(*params[i].text);
        *params[i].text = value;
        return 0;
    }
    st->api->free(value);
    return -1;
}

static int set_connect_fail(struct fake_script *s, const char *value)
{
    if (strcmp(value, "econn") == 0)
        s->connect_fail = MGR_ECONN;
    else if (strcmp(value, "edb") == 0)
        s->connect_fail = MGR_EDB;
    else
        return -1;
    return 0;
}

static int parse_query(const struct fake_state *st, const char *q,
                       struct fake_script *s, struct mgr_error *err)
{
    while (*q) {
        size_t len = strcspn(q, "&"), name_len = strcspn(q, "=&");
        char name[32];
        int bad = name_len == len || name_len >= sizeof(name);

        if (!bad) {
            char *value = percent_decode(st, q + name_len + 1,
                                         len - name_len - 1);

            memcpy(name, q, name_len);
            name[name_len] = '\0';
            if (strcmp(name, "connect_fail") == 0) {
                bad = set_connect_fail(s, value) != 0;
                st->api->free(value);
            } else {
                bad = set_param(st, s, name, value) != 0;
            }
        }
        if (bad)
            return st->api->error_set(err, MGR_ECONFIG,
                                      "fake: bad URL parameter '%.*s'",
                                      (int)len, q);
        q += len + (q[len] == '&');
    }
    return MGR_OK;
}

static void script_init(struct fake_script *s)
{
    memset(s, 0, sizeof(*s));
    s->offset = -1;
    s->held_for = -1;
    s->lose_lock_after = -1;
}

static void script_release(const struct fake_state *st, struct fake_script *s)
{
    char *texts[] = { s->fail_on, s->lose_on, s->interrupt_on, s->sqlstate,
                      s->detail, s->hint, s->held_by, s->journal };

    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
        st->api->free(texts[i]);
}

/* Split url into the database's file name (allocated) and the script. */
static int parse_url(const struct fake_state *st, const char *url,
                     char **file_out, struct fake_script *s,
                     struct mgr_error *err)
{
    const char *rest, *query;
    size_t path_len;

    if (strncasecmp(url, "fake://", 7) != 0)
        return st->api->error_set(err, MGR_ECONFIG,
                                  "fake: not a fake:// URL");
    rest = url + 7;
    query = strchr(rest, '?');
    path_len = query ? (size_t)(query - rest) : strlen(rest);
    if (path_len > 0 && rest[0] != '/')
        return st->api->error_set(err, MGR_ECONFIG,
                                  "fake: give an absolute path, as in "
                                  "fake:///tmp/x.db");
    if (query && parse_query(st, query + 1, s, err) != MGR_OK)
        return MGR_ECONFIG;
    *file_out = path_len ? fake_strndup(st, rest, path_len)
                         : fake_strndup(st, ":memory:", 8);
    return MGR_OK;
}

/* ---- plugin state and connections --------------------------------------- */

static int fake_init(const struct mgr_host_api *api, struct mgr_host *h,
                     void **state_out, struct mgr_error *err)
{
    struct fake_state *st;

    if (MGR_ABI_MAJOR_OF(api->abi_version) != MGR_ABI_MAJOR ||
        !MGR_API_HAS(api, buf_addf))
        return api->error_set(err, MGR_EABI, "fake: host API too old");
    st = api->alloc(sizeof(*st));
    st->api = api;
    st->host = h;
    *state_out = st;
    return MGR_OK;
}

static void fake_fini(void *state)
{
    struct fake_state *st = state;

    st->api->free(st);
}

static void conn_free(struct fake_conn *fc)
{
    const struct fake_state *st = fc->st;

    if (fc->db)
        sqlite3_close(fc->db);
    if (fc->journal)
        fclose(fc->journal);
    script_release(st, &fc->s);
    st->api->free(fc);
}

static int open_database(struct fake_conn *fc, const char *file,
                         struct mgr_error *err)
{
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;

    if (sqlite3_open_v2(file, &fc->db, flags, NULL) == SQLITE_OK)
        return MGR_OK;
    return fc->st->api->error_set(err, MGR_EDB, "fake: cannot open '%s': %s",
                                  file, sqlite3_errmsg(fc->db));
}

static int fake_connect(void *state, const char *url, void **conn_out,
                        struct mgr_error *err)
{
    struct fake_state *st = state;
    struct fake_conn *fc = st->api->alloc(sizeof(*fc));
    char *file = NULL;
    int rc;

    memset(fc, 0, sizeof(*fc));
    fc->st = st;
    script_init(&fc->s);
    rc = parse_url(st, url, &file, &fc->s, err);
    if (rc == MGR_OK && fc->s.journal)
        fc->journal = fopen(fc->s.journal, "a");
    if (rc == MGR_OK && fc->s.connect_fail)
        rc = st->api->error_set(err, fc->s.connect_fail,
                                "fake: scripted connection failure");
    if (rc == MGR_OK)
        rc = open_database(fc, file, err);
    if (rc == MGR_OK)
        journal(fc, "connect", file);
    st->api->free(file);
    if (rc != MGR_OK) {
        conn_free(fc);
        return rc;
    }
    *conn_out = fc;
    return MGR_OK;
}

static void fake_close(void *conn)
{
    struct fake_conn *fc = conn;

    journal(fc, "close", NULL);
    conn_free(fc);
}

static int connection_lost(struct fake_conn *fc, struct mgr_error *err)
{
    return fc->st->api->error_set(err, MGR_ECONN,
                                  "fake: server closed the connection "
                                  "unexpectedly");
}

/* ---- statements --------------------------------------------------------- */

static int matches(const struct fake_conn *fc, long at, const char *on,
                   const char *sql)
{
    return (at > 0 && fc->statements == at) || (on && strstr(sql, on));
}

static void copy_field(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

static int scripted_failure(struct fake_conn *fc, struct mgr_db_error *dberr,
                            struct mgr_error *err)
{
    journal(fc, "fault", "failed");
    if (dberr) {
        copy_field(dberr->sqlstate, sizeof(dberr->sqlstate),
                   fc->s.sqlstate ? fc->s.sqlstate : "XX000");
        copy_field(dberr->detail, sizeof(dberr->detail), fc->s.detail);
        copy_field(dberr->hint, sizeof(dberr->hint), fc->s.hint);
        dberr->offset = (int)fc->s.offset;
    }
    return fc->st->api->error_set(err, MGR_EDB,
                                  "fake: scripted failure of statement %ld",
                                  fc->statements);
}

/* SIGINT now; the host's handler calls fake_interrupt, which cancels. */
static int interrupted_statement(struct fake_conn *fc,
                                 struct mgr_db_error *dberr,
                                 struct mgr_error *err)
{
    raise(SIGINT);
    if (!fc->interrupted)
        return fc->st->api->error_set(err, MGR_EPLUGIN,
                                      "fake: SIGINT did not cancel the "
                                      "statement (no handler?)");
    fc->interrupted = 0;
    journal(fc, "fault", "interrupted");
    if (dberr)
        copy_field(dberr->sqlstate, sizeof(dberr->sqlstate), "57014");
    return fc->st->api->error_set(err, MGR_EDB,
                                  "fake: canceling statement due to user "
                                  "request");
}

static int db_failure(struct fake_conn *fc, struct mgr_db_error *dberr,
                      struct mgr_error *err)
{
    if (dberr)
        dberr->code = sqlite3_extended_errcode(fc->db);
    return fc->st->api->error_set(err, MGR_EDB, "fake: %s",
                                  sqlite3_errmsg(fc->db));
}

static int bind_params(sqlite3_stmt *stmt, const char *const *params,
                       size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char name[24];
        int index, rc;

        snprintf(name, sizeof(name), "$%zu", i + 1);
        index = sqlite3_bind_parameter_index(stmt, name);
        if (index == 0)
            continue;
        rc = params[i] ? sqlite3_bind_text(stmt, index, params[i], -1,
                                           SQLITE_TRANSIENT)
                       : sqlite3_bind_null(stmt, index);
        if (rc != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

/* Hand the current row of stmt to row. */
static int give_row(const struct fake_conn *fc, sqlite3_stmt *stmt,
                    mgr_row_fn row, void *row_ctx)
{
    size_t n = (size_t)sqlite3_column_count(stmt);
    const char **names = fc->st->api->alloc((n + 1) * sizeof(*names));
    const char **values = fc->st->api->alloc((n + 1) * sizeof(*values));
    int rc;

    for (size_t i = 0; i < n; i++) {
        names[i] = sqlite3_column_name(stmt, (int)i);
        values[i] = (const char *)sqlite3_column_text(stmt, (int)i);
    }
    rc = row(row_ctx, n, names, values);
    fc->st->api->free(names);
    fc->st->api->free(values);
    return rc;
}

static int changes_rows(const char *sql)
{
    while (*sql == ' ' || *sql == '\n' || *sql == '\t')
        sql++;
    return strncasecmp(sql, "INSERT", 6) == 0 ||
           strncasecmp(sql, "UPDATE", 6) == 0 ||
           strncasecmp(sql, "DELETE", 6) == 0;
}

static int only_space(const char *s)
{
    while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r' || *s == ';')
        s++;
    return *s == '\0';
}

/* Step stmt to its end, giving rows to row (may be NULL). */
static int step_all(struct fake_conn *fc, sqlite3_stmt *stmt, mgr_row_fn row,
                    void *row_ctx, struct mgr_db_error *dberr,
                    struct mgr_error *err)
{
    int rc;

    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        int status = row ? give_row(fc, stmt, row, row_ctx) : MGR_OK;

        if (status != MGR_OK)
            return status;
    }
    return rc == SQLITE_DONE ? MGR_OK : db_failure(fc, dberr, err);
}

static int run_sql(struct fake_conn *fc, const char *sql,
                   const char *const *params, size_t n, mgr_row_fn row,
                   void *row_ctx, long *affected_out,
                   struct mgr_db_error *dberr, struct mgr_error *err)
{
    sqlite3_stmt *stmt = NULL;
    const char *tail = NULL;
    int rc;

    if (sqlite3_prepare_v2(fc->db, sql, -1, &stmt, &tail) != SQLITE_OK)
        return db_failure(fc, dberr, err);
    if (!stmt || !only_space(tail)) {
        sqlite3_finalize(stmt);
        return fc->st->api->error_set(err, MGR_EPLUGIN,
                                      "fake: query got %s",
                                      stmt ? "several statements"
                                           : "no statement");
    }
    if (bind_params(stmt, params, n) != SQLITE_OK)
        rc = db_failure(fc, dberr, err);
    else
        rc = step_all(fc, stmt, row, row_ctx, dberr, err);
    if (rc == MGR_OK && affected_out && changes_rows(sql))
        *affected_out = sqlite3_changes(fc->db);
    sqlite3_finalize(stmt);
    return rc;
}

static int fake_query(void *conn, const char *sql, const char *const *params,
                      size_t nparams, mgr_row_fn row, void *row_ctx,
                      long *affected_out, struct mgr_db_error *dberr,
                      struct mgr_error *err)
{
    struct fake_conn *fc = conn;
    const struct fake_script *s = &fc->s;

    if (affected_out)
        *affected_out = -1;
    journal_query(fc, sql, params, nparams);
    if (fc->lost)
        return connection_lost(fc, err);
    fc->statements++;
    if (matches(fc, s->lose_at, s->lose_on, sql)) {
        fc->lost = 1;
        journal(fc, "fault", "lost");
        return connection_lost(fc, err);
    }
    if (matches(fc, s->interrupt_at, s->interrupt_on, sql))
        return interrupted_statement(fc, dberr, err);
    if (matches(fc, s->fail_at, s->fail_on, sql))
        return scripted_failure(fc, dberr, err);
    return run_sql(fc, sql, params, nparams, row, row_ctx, affected_out,
                   dberr, err);
}

/* ---- transactions ------------------------------------------------------- */

static int exec_plain(struct fake_conn *fc, const char *verb,
                      const char *sql, struct mgr_error *err)
{
    journal(fc, verb, NULL);
    if (fc->lost)
        return connection_lost(fc, err);
    if (sqlite3_exec(fc->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return db_failure(fc, NULL, err);
    return MGR_OK;
}

static int fake_begin(void *conn, struct mgr_error *err)
{
    return exec_plain(conn, "begin", "BEGIN IMMEDIATE", err);
}

static int fake_commit(void *conn, struct mgr_error *err)
{
    struct fake_conn *fc = conn;
    int rc;

    if (fc->lost)
        return exec_plain(fc, "commit", "COMMIT", err);
    fc->commits++;
    if (fc->commits == fc->s.fail_commit) {
        journal(fc, "commit", NULL);
        journal(fc, "fault", "commit failed");
        sqlite3_exec(fc->db, "ROLLBACK", NULL, NULL, NULL);
        return fc->st->api->error_set(err, MGR_EDB,
                                      "fake: scripted failure of COMMIT");
    }
    rc = exec_plain(fc, "commit", "COMMIT", err);
    if (rc == MGR_OK && fc->commits == fc->s.lose_commit) {
        fc->lost = 1;
        journal(fc, "fault", "commit lost");
        return connection_lost(fc, err);
    }
    return rc;
}

static int fake_rollback(void *conn, struct mgr_error *err)
{
    return exec_plain(conn, "rollback", "ROLLBACK", err);
}

/* ---- the lock ----------------------------------------------------------- */

static int fake_try_lock(void *conn, const char *key, long wait_ms,
                         int *got_out, struct mgr_buf *holder,
                         struct mgr_error *err)
{
    struct fake_conn *fc = conn;
    const struct fake_script *s = &fc->s;
    int held;

    (void)wait_ms;
    *got_out = 0;
    if (fc->lost)
        return connection_lost(fc, err);
    if (s->try_lock_error)
        return fc->st->api->error_set(err, MGR_EDB,
                                      "fake: scripted failure of try_lock");
    fc->attempts++;
    held = s->held_by && (s->held_for < 0 || fc->attempts <= s->held_for);
    if (held && holder)
        fc->st->api->buf_addf(holder, "%s", s->held_by);
    *got_out = !held;
    fc->locked = fc->locked || !held;
    if (fc->journal) {
        fprintf(fc->journal, "try_lock %s got=%d\n", key, !held);
        fflush(fc->journal);
    }
    return MGR_OK;
}

static int lock_lost(struct fake_conn *fc, const char *key,
                     struct mgr_error *err)
{
    return fc->st->api->error_set(err, MGR_ELOCKED,
                                  "fake: the lock '%s' is not held by this "
                                  "session",
                                  key);
}

static int fake_lock_check(void *conn, const char *key,
                           struct mgr_error *err)
{
    struct fake_conn *fc = conn;

    journal(fc, "lock_check", key);
    if (fc->lost)
        return connection_lost(fc, err);
    fc->lock_checks++;
    if (!fc->lock_lost && fc->s.lose_lock_after >= 0 &&
        fc->lock_checks > fc->s.lose_lock_after) {
        fc->lock_lost = 1;
        journal(fc, "fault", "lock lost");
    }
    if (!fc->locked || fc->lock_lost)
        return lock_lost(fc, key, err);
    return MGR_OK;
}

static int fake_unlock(void *conn, const char *key, struct mgr_error *err)
{
    struct fake_conn *fc = conn;
    int held = fc->locked && !fc->lock_lost;

    journal(fc, "unlock", key);
    if (fc->lost)
        return connection_lost(fc, err);
    fc->locked = 0;
    return held ? MGR_OK : lock_lost(fc, key, err);
}

/* Called from a signal handler: only a flag. */
static void fake_interrupt(void *conn)
{
    struct fake_conn *fc = conn;

    fc->interrupted = 1;
}

/* ---- quoting, splitting, catalog ---------------------------------------- */

static void quote_with(const struct fake_state *st, char q, const char *s,
                       struct mgr_buf *out)
{
    st->api->buf_add(out, &q, 1);
    for (; *s; s++) {
        if (*s == q)
            st->api->buf_add(out, &q, 1);
        st->api->buf_add(out, s, 1);
    }
    st->api->buf_add(out, &q, 1);
}

static void fake_quote_ident(void *state, const char *ident,
                             struct mgr_buf *out)
{
    quote_with(state, '"', ident, out);
}

static void fake_quote_literal(void *state, const char *lit,
                               struct mgr_buf *out)
{
    quote_with(state, '\'', lit, out);
}

/* The splitter's position in the text. */
struct cursor {
    const char *text;
    size_t len, pos;
    int line;
};

static void advance(struct cursor *c, size_t n)
{
    for (; n > 0 && c->pos < c->len; n--)
        if (c->text[c->pos++] == '\n')
            c->line++;
}

static int at(const struct cursor *c, const char *s)
{
    size_t n = strlen(s);

    return c->len - c->pos >= n && memcmp(c->text + c->pos, s, n) == 0;
}

/* Skip a quoted run or a comment at c; 0 when there is none, -1 when it
 * does not end. */
static int skip_quoted(struct cursor *c)
{
    const char *end;
    char q = c->text[c->pos];

    if (at(c, "--")) {
        while (c->pos < c->len && c->text[c->pos] != '\n')
            advance(c, 1);
        return 1;
    }
    end = at(c, "/*") ? "*/" : NULL;
    if (!end && q != '\'' && q != '"')
        return 0;
    advance(c, end ? 2 : 1);
    for (;;) {
        if (c->pos >= c->len)
            return -1;
        if (end ? at(c, end) : c->text[c->pos] == q) {
            advance(c, end ? 2 : 1);
            return 1;
        }
        advance(c, 1);
    }
}

static void skip_space_and_comments(struct cursor *c)
{
    for (;;) {
        while (c->pos < c->len &&
               strchr(" \t\r\n\f\v", c->text[c->pos]))
            advance(c, 1);
        if (!at(c, "--") && !at(c, "/*"))
            return;
        if (skip_quoted(c) < 0)
            return;
    }
}

/* Emit text[start, end) trimmed of trailing white space, if any. */
static int emit_trimmed(const struct cursor *c, size_t start, size_t end,
                        int line,
                        int (*emit)(void *, const char *, size_t, int,
                                    struct mgr_error *),
                        void *ctx, struct mgr_error *err)
{
    while (end > start && strchr(" \t\r\n\f\v", c->text[end - 1]))
        end--;
    if (end == start)
        return MGR_OK;
    return emit(ctx, c->text + start, end - start, line, err);
}

static int fake_split(void *state, const char *text, size_t len,
                      int first_line,
                      int (*emit)(void *ctx, const char *stmt, size_t len,
                                  int line, struct mgr_error *err),
                      void *ctx, struct mgr_error *err)
{
    const struct fake_state *st = state;
    struct cursor c = { text, len, 0, first_line };
    int rc = MGR_OK;

    while (rc == MGR_OK && c.pos < c.len) {
        size_t start;
        int line;

        skip_space_and_comments(&c);
        start = c.pos;
        line = c.line;
        while (c.pos < c.len && c.text[c.pos] != ';') {
            int open_line = c.line, skipped = skip_quoted(&c);

            if (skipped < 0)
                return st->api->error_set(err, MGR_ESCRIPT,
                                          "line %d: unterminated string "
                                          "or comment",
                                          open_line);
            if (!skipped)
                advance(&c, 1);
        }
        rc = emit_trimmed(&c, start, c.pos, line, emit, ctx, err);
        advance(&c, 1);
    }
    return rc;
}

static int first_word_is(const char *stmt, size_t len, const char *word)
{
    size_t n = strlen(word);

    return len >= n && strncasecmp(stmt, word, n) == 0 &&
           (len == n || !strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                "abcdefghijklmnopqrstuvwxyz_",
                                stmt[n]));
}

static int fake_needs_no_transaction(void *state, const char *stmt,
                                     size_t len, struct mgr_buf *why)
{
    static const char *const words[] = { "VACUUM", "BEGIN", "COMMIT",
                                         "END", "ROLLBACK", "SAVEPOINT",
                                         "RELEASE", NULL };
    const struct fake_state *st = state;

    for (size_t i = 0; words[i]; i++) {
        if (first_word_is(stmt, len, words[i])) {
            st->api->buf_addf(why, "%s", words[i]);
            return 1;
        }
    }
    return 0;
}

static int fake_table_exists(void *conn, const char *schema,
                             const char *table, int *exists_out,
                             struct mgr_error *err)
{
    struct fake_conn *fc = conn;
    sqlite3_stmt *stmt = NULL;
    int rc;

    (void)schema;
    journal(fc, "table_exists", table);
    if (fc->lost)
        return connection_lost(fc, err);
    rc = sqlite3_prepare_v2(fc->db,
                            "SELECT 1 FROM sqlite_master WHERE type = "
                            "'table' AND name = ?1",
                            -1, &stmt, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(stmt, 1, table, -1, SQLITE_TRANSIENT);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(stmt);
    *exists_out = rc == SQLITE_ROW;
    sqlite3_finalize(stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_failure(fc, NULL, err);
    return MGR_OK;
}

static const struct mgr_dialect_ops ops = {
    .size = sizeof(struct mgr_dialect_ops),
    .schemes = schemes,
    .connect = fake_connect,
    .close = fake_close,
    .query = fake_query,
    .begin = fake_begin,
    .commit = fake_commit,
    .rollback = fake_rollback,
    .transactional_ddl = 1,
    .unlock = fake_unlock,
    .quote_ident = fake_quote_ident,
    .quote_literal = fake_quote_literal,
    .split = fake_split,
    .needs_no_transaction = fake_needs_no_transaction,
    .version_column_type = "VARCHAR(32)",
    .table_exists = fake_table_exists,
    .interrupt = fake_interrupt,
    .lock_check = fake_lock_check,
    .try_lock = fake_try_lock,
};

MGR_PLUGIN_DEFINE(MGR_PLUGIN_DIALECT, "fake", "1",
                  "test: SQLite storage with scripted faults", fake_init,
                  fake_fini, &ops)
