/*
 * check_reporter_junit.c: the JUnit reporter plugin, driven through its
 * descriptor with a mock host API. Each test feeds events built here (the
 * strings in them are freed as soon as the event is handed over, so a
 * plugin that keeps a borrowed pointer reads freed memory), closes the
 * report, then checks the document structurally with xmllint: validity
 * against tests/junit.xsd, and XPath counts and values.
 */
#include "autoconfig.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <migrator/plugin.h>

#include "mock_host.h"

const struct mgr_plugin *mgr_plugin_entry(void);

#ifndef XMLLINT
#error "XMLLINT (the path of xmllint) must be defined"
#endif
#ifndef JUNIT_XSD
#error "JUNIT_XSD (the path of tests/junit.xsd) must be defined"
#endif

/* 2026-12-03T00:05:14 UTC */
#define T0 1796256314.25

/* U+FFFD as UTF-8 */
#define R "\xef\xbf\xbd"

/* ---- fixtures ----------------------------------------------------------- */

/* The shared mock host (mock_host.h); filled by setup(). */
static struct mgr_host_api api;
static char path[300];
static FILE *out;
static const struct mgr_reporter_ops *ops;
static void *state;
static void *sink;
static struct mgr_report_target target;
static struct mgr_error err;
static long live_after_init;
static double now; /* seconds since RUN_START of the next event */
static const char *cmd; /* the command of the events */

static void setup(void)
{
    const struct mgr_plugin *p = mgr_plugin_entry();
    const char *tmp = getenv("TMPDIR");
    int fd;

    ck_assert_uint_eq(p->abi_version, MGR_ABI_VERSION);
    ck_assert_int_eq(p->kind, MGR_PLUGIN_REPORTER);
    ck_assert_str_eq(p->name, "junit");
    ck_assert_str_eq(p->version, "0.1.0");
    ops = p->ops;
    ck_assert_ptr_nonnull(ops);
    ck_assert_uint_eq(ops->size, sizeof(struct mgr_reporter_ops));
    mock_host_api_init(&api);
    mock_host_reset();
    ck_assert_int_eq(p->init(&api, NULL, &state, &err), MGR_OK);
    live_after_init = mock_live_allocations;

    snprintf(path, sizeof(path), "%s/check_reporter_junit.XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    out = fdopen(fd, "w+");
    ck_assert_ptr_nonnull(out);
    memset(&target, 0, sizeof(target));
    target.size = sizeof(target);
    target.out = out;
    target.log = out;
    target.path = path;
    memset(&err, 0, sizeof(err));
    now = 0.0;
    cmd = "upgrade";
    ck_assert_int_eq(ops->open(state, &target, &sink, &err), MGR_OK);
}

static void teardown(void)
{
    if (out)
        fclose(out);
    out = NULL;
    mgr_plugin_entry()->fini(state);
    unlink(path);
}

/* Close the report: it must succeed and free all it took. */
static void finish(void)
{
    ck_assert_int_eq(ops->close(sink, &err), MGR_OK);
    sink = NULL;
    ck_assert_msg(mock_live_allocations == live_after_init,
                  "%ld allocations not freed",
                  mock_live_allocations - live_after_init);
    ck_assert_int_eq(fclose(out), 0);
    out = NULL;
}

/* ---- xmllint ------------------------------------------------------------ */

/*
 * Run xmllint with args (then the report's path); its stdout (and stderr
 * when both) goes to buf. Returns its exit status, 127 when it could not
 * be run.
 */
static int xmllint(const char *a1, const char *a2, const char *a3, int both,
                   char *buf, size_t size)
{
    const char *argv[] = { "xmllint", a1, a2, a3, path, NULL };
    size_t len = 0;
    int fds[2], status;
    ssize_t n;
    pid_t pid;

    if (!a3) /* drop the missing argument, keep path */
        argv[3] = path, argv[4] = NULL;
    ck_assert_int_eq(pipe(fds), 0);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        dup2(fds[1], 1);
        if (both)
            dup2(fds[1], 2);
        close(fds[0]);
        close(fds[1]);
        execv(XMLLINT, (char *const *)argv);
        _exit(127);
    }
    close(fds[1]);
    for (;;) { /* read it all, keep what fits */
        char chunk[4096];

        n = read(fds[0], chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        if ((size_t)n > size - 1 - len)
            n = (ssize_t)(size - 1 - len);
        memcpy(buf + len, chunk, (size_t)n);
        len += (size_t)n;
    }
    buf[len] = '\0';
    close(fds[0]);
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* The report as written, for messages. */
static const char *doc(void)
{
    static char text[65536];
    FILE *f = fopen(path, "rb");
    size_t n;

    ck_assert_ptr_nonnull(f);
    n = fread(text, 1, sizeof(text) - 1, f);
    text[n] = '\0';
    fclose(f);
    return text;
}

/* The report must be valid against junit.xsd. */
static void assert_valid(int line)
{
    char buf[8192];
    int rc = xmllint("--noout", "--schema", JUNIT_XSD, 1, buf, sizeof(buf));

    ck_assert_msg(rc != 127, "cannot run %s", XMLLINT);
    ck_assert_msg(rc == 0, "line %d: xmllint exit %d:\n%s\nreport:\n%s",
                  line, rc, buf, doc());
}
#define ck_assert_valid() assert_valid(__LINE__)

/* The string value of an XPath expression on the report. */
static const char *xpath_str(const char *expr)
{
    static char buf[8192];
    int rc = xmllint("--xpath", expr, NULL, 0, buf, sizeof(buf));
    size_t n;

    ck_assert_msg(rc == 0, "xmllint --xpath '%s': exit %d", expr, rc);
    n = strlen(buf);
    if (n && buf[n - 1] == '\n') /* xmllint adds one */
        buf[n - 1] = '\0';
    return buf;
}

/* The number an XPath expression (a count, an attribute) comes to. */
static long xpath_num(const char *expr)
{
    char num[512];
    const char *s;
    char *end;
    long v;

    snprintf(num, sizeof(num), "number(%s)", expr);
    s = xpath_str(num);

    errno = 0;
    v = strtol(s, &end, 10);
    ck_assert_msg(end != s && *end == '\0' && errno == 0,
                  "xpath '%s' gave '%s', not a number", expr, s);
    return v;
}

#define ck_assert_xnum(expr, want)                                      \
    ck_assert_msg(xpath_num(expr) == (want), "%s is %ld, wanted %ld\n%s", \
                  (expr), xpath_num(expr), (long)(want), doc())
#define ck_assert_xstr(expr, want)                                      \
    ck_assert_msg(strcmp(xpath_str(expr), (want)) == 0,                 \
                  "%s is\n  '%s'\nwanted\n  '%s'", (expr), xpath_str(expr), \
                  (want))
#define ck_assert_xhas(expr, part)                                      \
    ck_assert_msg(strstr(xpath_str(expr), (part)) != NULL,              \
                  "%s is\n  '%s'\nwithout\n  '%s'", (expr), xpath_str(expr), \
                  (part))

/* ---- events ------------------------------------------------------------- */

/* Copies freed right after the event: the plugin must copy what it keeps. */
static char *scratch[64];
static size_t nscratch;

static const char *tmp_str(const char *s)
{
    char *p;

    if (!s)
        return NULL;
    ck_assert_uint_lt(nscratch, 64);
    p = strdup(s);
    ck_assert_ptr_nonnull(p);
    scratch[nscratch++] = p;
    return p;
}

static struct mgr_event event(enum mgr_event_type type, const char *command)
{
    struct mgr_event ev;

    memset(&ev, 0, sizeof(ev));
    ev.size = sizeof(ev);
    ev.type = type;
    ev.command = tmp_str(command);
    ev.time = T0 + now;
    ev.elapsed = now;
    now += 0.25;
    return ev;
}

/* Hand ev over, then scribble over and free the strings it pointed to. */
static void send_to(void *to, const struct mgr_event *ev)
{
    ck_assert_int_eq(ops->event(to, ev, &err), MGR_OK);
    for (size_t i = 0; i < nscratch; i++) {
        memset(scratch[i], 'X', strlen(scratch[i]));
        free(scratch[i]);
    }
    nscratch = 0;
}

static void send(const struct mgr_event *ev)
{
    send_to(sink, ev);
}


static void run_start(const char *target_, const char *database, int offline)
{
    struct mgr_event ev = event(MGR_EV_RUN_START, cmd);

    now = 0.0;
    ev.time = T0;
    ev.elapsed = 0.0;
    ev.target = tmp_str(target_);
    ev.database = tmp_str(database);
    ev.offline = offline;
    send(&ev);
}

static struct mgr_event_step step(size_t index, const char *revision,
                                  const char *message, const char *spath)
{
    struct mgr_event_step s;

    memset(&s, 0, sizeof(s));
    s.index = index;
    s.action = revision ? MGR_STEP_UPGRADE : MGR_STEP_STAMP;
    s.revision = tmp_str(revision);
    s.message = tmp_str(message);
    s.path = tmp_str(spath);
    return s;
}

static void plan(const struct mgr_event_step *steps, size_t n)
{
    struct mgr_event ev = event(MGR_EV_PLAN, cmd);
    const struct mgr_event_step *list[8];

    ck_assert_uint_le(n, 8);
    for (size_t i = 0; i < n; i++)
        list[i] = &steps[i];
    ev.plan = list;
    ev.nplan = n;
    send(&ev);
}

static void step_start(const struct mgr_event_step *s)
{
    struct mgr_event ev = event(MGR_EV_STEP_START, cmd);

    ev.step = s;
    send(&ev);
}

static void step_end(const struct mgr_event_step *s, double seconds,
                     const struct mgr_event_error *e)
{
    struct mgr_event ev = event(MGR_EV_STEP_END, cmd);

    ev.step = s;
    ev.seconds = seconds;
    ev.status = e ? e->status : MGR_OK;
    ev.error = e;
    send(&ev);
}

/* One step, planned alone, run and passed. */
static void run_step(size_t index, const char *rev, const char *msg,
                     const char *spath, double seconds)
{
    struct mgr_event_step s = step(index, rev, msg, spath);

    step_start(&s);
    s = step(index, rev, msg, spath);
    step_end(&s, seconds, NULL);
}

static void error_event(const struct mgr_event_error *e)
{
    struct mgr_event ev = event(MGR_EV_ERROR, cmd);

    ev.error = e;
    send(&ev);
}

static void run_end(const struct mgr_event_error *e, int exit_code,
                    size_t steps_run, size_t steps_committed)
{
    struct mgr_event ev = event(MGR_EV_RUN_END, cmd);

    ev.status = e ? e->status : MGR_OK;
    ev.error = e;
    ev.exit_code = exit_code;
    ev.seconds = 1.5;
    ev.steps_run = steps_run;
    ev.steps_committed = steps_committed;
    send(&ev);
}

static void text_event(enum mgr_event_type type, int level, const char *text)
{
    struct mgr_event ev = event(type, cmd);

    ev.level = level;
    ev.text = tmp_str(text);
    send(&ev);
}

/* The plan of three steps used by several tests. */
static void plan3(void)
{
    struct mgr_event_step s[3];

    s[0] = step(1, "aaa111", "create users", "migrations/aaa111_users.sql");
    s[1] = step(2, "bbb222", "add email", "migrations/bbb222_email.sql");
    s[2] = step(3, "ccc333", "index email", "migrations/ccc333_idx.sql");
    plan(s, 3);
}

/* ---- tests: outcomes ---------------------------------------------------- */

START_TEST(test_success_two_steps)
{
    struct mgr_event_step s[2];

    run_start("head", "postgresql://u:***@db/app", 0);
    s[0] = step(1, "aaa111", "create users", "migrations/aaa111_users.sql");
    s[1] = step(2, "bbb222", "add email", "migrations/bbb222_email.sql");
    plan(s, 2);
    run_step(1, "aaa111", "create users", "migrations/aaa111_users.sql",
             0.0414);
    run_step(2, "bbb222", "add email", "migrations/bbb222_email.sql", 2.0);
    run_end(NULL, 0, 2, 2);
    finish();

    ck_assert_valid();
    ck_assert_xnum("count(/testsuites/testsuite)", 1);
    ck_assert_xnum("count(//testcase)", 2);
    ck_assert_xnum("count(//failure)", 0);
    ck_assert_xnum("count(//skipped)", 0);
    ck_assert_xnum("count(//testcase/system-out)", 0);
    ck_assert_xnum("/testsuites/@tests", 2);
    ck_assert_xnum("/testsuites/@failures", 0);
    ck_assert_xnum("/testsuites/@skipped", 0);
    ck_assert_xnum("//testsuite/@tests", 2);
    ck_assert_xnum("//testsuite/@failures", 0);
    ck_assert_xnum("//testsuite/@errors", 0);
    ck_assert_xstr("string(/testsuites/@name)", "migrator");
    ck_assert_xstr("string(/testsuites/@time)", "1.500");
    ck_assert_xstr("string(//testsuite/@name)", "migrator upgrade head");
    ck_assert_xstr("string(//testsuite/@time)", "1.500");
    ck_assert_xstr("string(//testsuite/@timestamp)", "2026-12-03T00:05:14");
    ck_assert_xstr("string(//testcase[1]/@name)", "aaa111 create users");
    ck_assert_xstr("string(//testcase[1]/@classname)", "migrator.upgrade");
    ck_assert_xstr("string(//testcase[1]/@file)",
                   "migrations/aaa111_users.sql");
    ck_assert_xstr("string(//testcase[1]/@time)", "0.041");
    ck_assert_xstr("string(//testcase[2]/@name)", "bbb222 add email");
    ck_assert_xstr("string(//testcase[2]/@time)", "2.000");
    ck_assert_xnum("count(//properties/property)", 4);
    ck_assert_xstr("string(//property[@name='command']/@value)", "upgrade");
    ck_assert_xstr("string(//property[@name='target']/@value)", "head");
    ck_assert_xstr("string(//property[@name='database']/@value)",
                   "postgresql://u:***@db/app");
    ck_assert_xstr("string(//property[@name='offline']/@value)", "false");
}
END_TEST

/* The error of a failed statement, as the host reports it. */
static const struct mgr_event_error step2_error = {
    MGR_EDB, 1,
    "migrations/bbb222_email.sql:7: column \"email\" already exists "
    "(SQLSTATE 42701)\nDETAIL: d\xc3\xa9tail\nHINT: drop it first",
    "column \"email\" already exists",
    "migrations/bbb222_email.sql", 7, "42701", "d\xc3\xa9tail",
    "drop it first", "bbb222",
};

START_TEST(test_failure_on_step_two_of_three)
{
    struct mgr_event_step s;

    run_start("head", "sqlite:///app.db", 0);
    plan3();
    run_step(1, "aaa111", "create users", "migrations/aaa111_users.sql", 0.5);
    s = step(2, "bbb222", "add email", "migrations/bbb222_email.sql");
    step_start(&s);
    s = step(2, "bbb222", "add email", "migrations/bbb222_email.sql");
    step_end(&s, 0.25, &step2_error);
    error_event(&step2_error);
    run_end(&step2_error, 1, 2, 0);
    finish();

    ck_assert_valid();
    ck_assert_xnum("count(//testcase)", 3);
    ck_assert_xnum("count(//failure)", 1);
    ck_assert_xnum("count(//error)", 0);
    ck_assert_xnum("count(//testcase[2]/failure)", 1);
    ck_assert_xnum("//testsuite/@tests", 3);
    ck_assert_xnum("//testsuite/@failures", 1);
    ck_assert_xnum("//testsuite/@skipped", 1);
    ck_assert_xnum("/testsuites/@failures", 1);
    ck_assert_xstr("string(//testcase[2]/@name)", "bbb222 add email");
    ck_assert_xstr("string(//testcase[2]/failure/@type)", "42701");
    ck_assert_xstr("string(//testcase[2]/failure/@message)",
                   "column \"email\" already exists");
    ck_assert_xstr("string(//failure)",
                   "migrations/bbb222_email.sql:7: column \"email\" already "
                   "exists (SQLSTATE 42701)\nDETAIL: d\xc3\xa9tail\n"
                   "HINT: drop it first\n"
                   "file: migrations/bbb222_email.sql\nline: 7\n"
                   "sqlstate: 42701\ndetail: d\xc3\xa9tail\n"
                   "hint: drop it first");
    /* step 3 never started */
    ck_assert_xstr("string(//testcase[3]/@name)", "ccc333 index email");
    ck_assert_xnum("count(//testcase[3]/skipped)", 1);
    ck_assert_xstr("string(//testcase[3]/skipped/@message)",
                   "not run: an earlier step failed");
    /* step 1 passed, then the transaction was rolled back */
    ck_assert_xnum("count(//testcase[1]/failure)", 0);
    ck_assert_xhas("string(//testcase[1]/system-out)", "rolled back");
    ck_assert_xnum("count(//testcase/system-out)", 1);
}
END_TEST

START_TEST(test_failure_with_earlier_steps_committed)
{
    struct mgr_event_error e = step2_error;
    struct mgr_event_step s;

    e.sqlstate = "";
    e.reason = "";
    e.file = NULL;
    e.line = 0;
    e.detail = "";
    e.hint = "";
    run_start("head", "sqlite:///app.db", 0);
    plan3();
    run_step(1, "aaa111", "create users", "migrations/aaa111_users.sql", 0.5);
    s = step(2, "bbb222", "add email", "migrations/bbb222_email.sql");
    step_end(&s, 0.25, &e);
    run_end(&e, 1, 2, 1);
    finish();

    ck_assert_valid();
    ck_assert_xnum("count(//failure)", 1);
    ck_assert_xnum("count(//testcase[2]/failure)", 1);
    ck_assert_xnum("count(//testcase/system-out)", 0);
    /* no SQLSTATE: the exit code; no reason: the whole message */
    ck_assert_xstr("string(//failure/@type)", "exit 1");
    ck_assert_xstr("string(//failure/@message)", e.message);
    ck_assert_xstr("string(//failure)", e.message);
}
END_TEST

START_TEST(test_failure_before_any_step)
{
    static const struct mgr_event_error lock = {
        MGR_ELOCKED, 3,
        "could not take the migration lock in 10 s: held by pid 4242",
        "could not take the migration lock in 10 s: held by pid 4242",
        NULL, 0, "", "", "", NULL,
    };
    struct mgr_event ev;

    run_start("head", "sqlite:///app.db", 0);
    ev = event(MGR_EV_LOCK_WAIT, cmd);
    ev.text = tmp_str("waiting for the migration lock (held by pid 4242)");
    ev.lock_key = tmp_str("migrator:alembic_version");
    ev.holder = tmp_str("pid 4242");
    ev.waited = 5.0;
    ev.lock_wait = 10.0;
    send(&ev);
    error_event(&lock);
    run_end(&lock, 3, 0, 0);
    finish();

    ck_assert_valid();
    ck_assert_xnum("count(//testcase)", 1);
    ck_assert_xnum("count(//failure)", 1);
    ck_assert_xnum("count(//testcase[1]/failure)", 1);
    ck_assert_xnum("//testsuite/@failures", 1);
    ck_assert_xnum("//testsuite/@skipped", 0);
    ck_assert_xstr("string(//testcase/@classname)", "migrator.upgrade");
    ck_assert_xstr("string(//testcase/@name)", "upgrade head");
    ck_assert_xstr("string(//failure/@type)", "exit 3");
    ck_assert_xstr("string(//failure/@message)", lock.reason);
    ck_assert_xstr("string(//failure)", lock.message);
    ck_assert_xnum("count(//testsuite/system-out)", 0);
}
END_TEST

/* A RUN_END failing without an error struct. */
START_TEST(test_failure_without_error_details)
{
    struct mgr_event ev;

    run_start(NULL, NULL, 0);
    ev = event(MGR_EV_RUN_END, cmd);
    ev.status = MGR_EUSAGE;
    ev.exit_code = 2;
    send(&ev);
    finish();
    ck_assert_valid();
    ck_assert_xnum("count(//failure)", 1);
    ck_assert_xstr("string(//testcase/@name)", "upgrade");
    ck_assert_xstr("string(//failure/@type)", "exit 2");
}
END_TEST

START_TEST(test_listing_command)
{
    static const char *const parents[] = { "aaa111" };
    struct mgr_event_revision rev;
    struct mgr_event ev;

    cmd = "heads";
    run_start(NULL, NULL, 0);
    memset(&rev, 0, sizeof(rev));
    rev.id = "bbb222";
    rev.message = "add email";
    rev.doc = "";
    rev.path = "migrations/bbb222_email.sql";
    rev.create_date = "";
    rev.parents = parents;
    rev.nparents = 1;
    rev.flags = MGR_REV_HEAD | MGR_REV_REAL_HEAD;
    ev = event(MGR_EV_RECORD, cmd);
    ev.record_kind = MGR_REC_HEAD;
    ev.revision = &rev;
    ev.text = tmp_str("bbb222 (head)\n");
    send(&ev);
    run_end(NULL, 0, 0, 0);
    finish();

    ck_assert_valid();
    ck_assert_xnum("count(//testcase)", 1);
    ck_assert_xnum("count(//failure)", 0);
    ck_assert_xnum("count(//skipped)", 0);
    ck_assert_xnum("//testsuite/@tests", 1);
    ck_assert_xstr("string(//testsuite/@name)", "migrator heads");
    ck_assert_xstr("string(//testcase/@name)", "heads");
    ck_assert_xstr("string(//testcase/@classname)", "migrator.heads");
    /* no target, no database: those properties are left out */
    ck_assert_xnum("count(//property)", 2);
    ck_assert_xnum("count(//property[@name='database'])", 0);
    /* records are not output */
    ck_assert_xnum("count(//system-out)", 0);
}
END_TEST

START_TEST(test_nothing_to_do)
{
    run_start("head", "sqlite:///app.db", 0);
    plan(NULL, 0);
    run_end(NULL, 0, 0, 0);
    finish();

    ck_assert_valid();
    ck_assert_xnum("count(//testcase)", 1);
    ck_assert_xnum("count(//failure)", 0);
    ck_assert_xstr("string(//testcase/@name)", "upgrade head");
}
END_TEST

START_TEST(test_offline_steps_and_output)
{
    struct mgr_event_step s[2];

    run_start("head", NULL, 1);
    s[0] = step(1, "aaa111", "create users", NULL);
    s[1] = step(2, NULL, "", NULL); /* a stamp without a revision */
    plan(s, 2);
    text_event(MGR_EV_OUTPUT, 0, "CREATE TABLE users (id INT);\n");
    text_event(MGR_EV_MESSAGE, MGR_LOG_INFO, "an info line, not kept");
    text_event(MGR_EV_MESSAGE, MGR_LOG_WARNING, "w1");
    text_event(MGR_EV_OUTPUT, 0, "COMMIT;");
    text_event(MGR_EV_MESSAGE, MGR_LOG_ERR, "e1\n");
    run_end(NULL, 0, 0, 0);
    finish();

    ck_assert_valid();
    ck_assert_xnum("count(//testcase)", 2);
    ck_assert_xnum("count(//skipped)", 2);
    ck_assert_xnum("count(//failure)", 0);
    ck_assert_xnum("//testsuite/@skipped", 2);
    ck_assert_xstr("string(//testcase[2]/@name)", "stamp");
    ck_assert_xnum("count(//testcase[1]/@file)", 0);
    ck_assert_xstr("string(//property[@name='offline']/@value)", "true");
    ck_assert_xstr("string(//testsuite/system-out)",
                   "CREATE TABLE users (id INT);\nwarning: w1\nCOMMIT;\n"
                   "error: e1\n");
}
END_TEST

/* ---- tests: lint -------------------------------------------------------- */

/* A finding, its strings copies freed once it is handed over. */
static struct mgr_event_finding finding(enum mgr_severity sev,
                                        const char *rule, const char *file,
                                        int line)
{
    static const char *const names[] = { "", "notice", "warning", "error" };
    struct mgr_event_finding f;

    memset(&f, 0, sizeof(f));
    f.rule = tmp_str(rule);
    f.linter = tmp_str("postgresql");
    f.severity = sev;
    f.severity_name = tmp_str(names[sev]);
    f.message = tmp_str("varchar(20) limits the length");
    f.hint = tmp_str("");
    f.file = tmp_str(file);
    f.line = line;
    f.revision = tmp_str("0004");
    f.statement = tmp_str("");
    f.table = tmp_str("");
    f.rows = -1;
    f.bytes = -1;
    f.trace = tmp_str("");
    return f;
}

static void finding_event(const struct mgr_event_finding *f)
{
    struct mgr_event ev = event(MGR_EV_FINDING, cmd);

    ev.finding = f;
    send(&ev);
}

/* The error of the example, with all there is to say. */
static void send_full_error(void)
{
    struct mgr_event_finding f = finding(MGR_SEVERITY_ERROR,
                                         "adding-required-field",
                                         "versions/0003_add_rent.sql", 12);

    f.message = tmp_str("ADD COLUMN rent NOT NULL without a default fails "
                        "on units when it has rows");
    f.hint = tmp_str("add the column with a default, fill it, then set "
                     "NOT NULL:\nALTER TABLE units ADD COLUMN rent numeric "
                     "DEFAULT 0;\n");
    f.statement = tmp_str("ALTER TABLE units ADD COLUMN rent numeric NOT "
                          "NULL");
    f.table = tmp_str("units");
    f.rows = 1.2e6;
    f.bytes = 340.0 * 1024 * 1024;
    f.trace = tmp_str("confirmed");
    finding_event(&f);
}

static void trace_event(const struct mgr_event_trace *t)
{
    struct mgr_event ev = event(MGR_EV_TRACE, cmd);

    ev.trace = t;
    send(&ev);
}

static void send_traces(void)
{
    struct mgr_event_lock l[2];
    const struct mgr_event_lock *locks[2] = { &l[0], &l[1] };
    const char *rewritten[2], *constraints[1];
    struct mgr_event_trace t;

    l[0].relation = tmp_str("public.t");
    l[0].mode = tmp_str("ACCESS EXCLUSIVE");
    l[0].blocks = tmp_str("reads and writes");
    l[1].relation = tmp_str("public.u");
    l[1].mode = tmp_str("SHARE UPDATE EXCLUSIVE");
    l[1].blocks = tmp_str("");
    rewritten[0] = tmp_str("public.t");
    rewritten[1] = tmp_str("public.t_pkey");
    constraints[0] = tmp_str("fk_a on public.t (validated)");
    memset(&t, 0, sizeof(t));
    t.file = tmp_str("versions/0003_retype.sql");
    t.line = 9;
    t.revision = tmp_str("0003");
    t.statement = tmp_str("ALTER TABLE t ALTER COLUMN a TYPE bigint");
    t.seconds = 0.0042;
    t.locks = locks;
    t.nlocks = 2;
    t.rewritten = rewritten;
    t.nrewritten = 2;
    t.constraints = constraints;
    t.nconstraints = 1;
    trace_event(&t);
    memset(&t, 0, sizeof(t));
    t.file = tmp_str("versions/0003_retype.sql");
    t.line = 11;
    t.statement = tmp_str("CREATE TABLE v (a int)");
    t.seconds = 0.25;
    trace_event(&t);
}

static const struct mgr_event_error lint_errors = {
    MGR_ECHECK, 1, "lint: 2 errors", "lint: 2 errors", NULL, 0, "", "", "",
    NULL,
};

#define TRACE_LINES                                                     \
    "versions/0003_retype.sql:9: ALTER TABLE t ALTER COLUMN a TYPE "    \
    "bigint  (4.2 ms)\n"                                                \
    "    ACCESS EXCLUSIVE on public.t: blocks reads and writes\n"       \
    "    SHARE UPDATE EXCLUSIVE on public.u\n"                          \
    "    rewrites public.t, public.t_pkey\n"                            \
    "    constraint fk_a on public.t (validated)\n"                     \
    "versions/0003_retype.sql:11: CREATE TABLE v (a int)  (250 ms)\n"   \
    "    no lock on an existing relation\n"

/* lint --trace with two errors, a warning and a notice: exit 1. */
START_TEST(test_lint_failed)
{
    struct mgr_event_finding f;

    cmd = "lint";
    run_start(NULL, "postgresql://u:***@db/app", 0);
    send_traces();
    send_full_error();
    f = finding(MGR_SEVERITY_WARNING, "prefer-text-field",
                "versions/0004_names.sql", 3);
    finding_event(&f);
    f = finding(MGR_SEVERITY_NOTICE, "prefer-identity",
                "versions/0004_names.sql", 5);
    finding_event(&f);
    f = finding(MGR_SEVERITY_ERROR, "ban-drop-column",
                "versions/0005_drop.sql", 2);
    finding_event(&f);
    error_event(&lint_errors);
    run_end(&lint_errors, 1, 0, 0);
    finish();

    ck_assert_valid();
    /* the findings carry the failure: no testcase for the command */
    ck_assert_xnum("count(//testcase)", 4);
    ck_assert_xnum("//testsuite/@tests", 4);
    ck_assert_xnum("//testsuite/@failures", 2);
    ck_assert_xnum("/testsuites/@tests", 4);
    ck_assert_xnum("/testsuites/@failures", 2);
    ck_assert_xnum("//testsuite/@skipped", 0);
    ck_assert_xnum("count(//failure)", 2);
    ck_assert_xstr("string(//testsuite/@name)", "migrator lint");

    ck_assert_xstr("string(//testcase[1]/@classname)",
                   "versions/0003_add_rent.sql");
    ck_assert_xstr("string(//testcase[1]/@name)",
                   "adding-required-field at line 12");
    ck_assert_xstr("string(//testcase[1]/@file)",
                   "versions/0003_add_rent.sql");
    ck_assert_xnum("//testcase[1]/@line", 12);
    ck_assert_xstr("string(//testcase[1]/failure/@type)",
                   "adding-required-field");
    ck_assert_xstr("string(//testcase[1]/failure/@message)",
                   "ADD COLUMN rent NOT NULL without a default fails on "
                   "units when it has rows");
    ck_assert_xstr("string(//testcase[1]/failure)",
                   "versions/0003_add_rent.sql:12: "
                   "error[adding-required-field] ADD COLUMN rent NOT NULL "
                   "without a default fails on units when it has rows\n"
                   "statement: ALTER TABLE units ADD COLUMN rent numeric "
                   "NOT NULL\n"
                   "hint: add the column with a default, fill it, then set "
                   "NOT NULL:\n"
                   "      ALTER TABLE units ADD COLUMN rent numeric "
                   "DEFAULT 0;\n"
                   "table: units (1.2 M rows, 340 MB)\n"
                   "trace: confirmed");

    /* a warning and a notice pass, with their text as output */
    ck_assert_xstr("string(//testcase[2]/@name)",
                   "prefer-text-field at line 3");
    ck_assert_xnum("count(//testcase[2]/*)", 1);
    ck_assert_xstr("string(//testcase[2]/system-out)",
                   "versions/0004_names.sql:3: warning[prefer-text-field] "
                   "varchar(20) limits the length");
    ck_assert_xnum("count(//testcase[3]/failure)", 0);
    ck_assert_xstr("string(//testcase[3]/system-out)",
                   "versions/0004_names.sql:5: notice[prefer-identity] "
                   "varchar(20) limits the length");
    /* an error that says the least it can */
    ck_assert_xstr("string(//testcase[4]/@classname)",
                   "versions/0005_drop.sql");
    ck_assert_xstr("string(//testcase[4]/failure)",
                   "versions/0005_drop.sql:2: error[ban-drop-column] "
                   "varchar(20) limits the length");

    /* the traces go to the suite's output */
    ck_assert_xstr("string(//testsuite/system-out)", TRACE_LINES);
}
END_TEST

/* Warnings only: lint passes, and the findings are its tests. */
START_TEST(test_lint_passed)
{
    struct mgr_event_finding f;

    cmd = "lint";
    run_start(NULL, NULL, 0);
    f = finding(MGR_SEVERITY_WARNING, "prefer-text-field",
                "versions/0004_names.sql", 3);
    finding_event(&f);
    f = finding(MGR_SEVERITY_NOTICE, "", NULL, 0); /* no rule, no file */
    finding_event(&f);
    run_end(NULL, 0, 0, 0);
    finish();

    ck_assert_valid();
    ck_assert_xnum("count(//testcase)", 2);
    ck_assert_xnum("//testsuite/@tests", 2);
    ck_assert_xnum("//testsuite/@failures", 0);
    ck_assert_xnum("count(//failure)", 0);
    ck_assert_xstr("string(//testcase[2]/@classname)", "migrator.lint");
    ck_assert_xstr("string(//testcase[2]/@name)", "finding");
    ck_assert_xnum("count(//testcase[2]/@file)", 0);
    ck_assert_xnum("count(//testcase[2]/@line)", 0);
    ck_assert_xstr("string(//testcase[2]/system-out)",
                   "notice[] varchar(20) limits the length");
    ck_assert_xnum("count(//testsuite/system-out)", 0);
}
END_TEST

/* No finding: the command's own passing testcase, so CI shows one. */
START_TEST(test_lint_without_findings)
{
    cmd = "lint";
    run_start(NULL, NULL, 0);
    send_traces();
    run_end(NULL, 0, 0, 0);
    finish();

    ck_assert_valid();
    ck_assert_xnum("count(//testcase)", 1);
    ck_assert_xnum("//testsuite/@failures", 0);
    ck_assert_xstr("string(//testcase/@name)", "lint");
    ck_assert_xstr("string(//testsuite/system-out)", TRACE_LINES);
}
END_TEST

/* A failure that is not lint's verdict (the connection was lost): the
 * command has a failing testcase besides the findings'. */
START_TEST(test_lint_failed_otherwise)
{
    static const struct mgr_event_error lost = {
        MGR_ECONN, 5, "connection lost", "connection lost", NULL, 0, "",
        "", "", NULL,
    };
    struct mgr_event_finding f;

    cmd = "lint";
    run_start(NULL, NULL, 0);
    f = finding(MGR_SEVERITY_ERROR, "ban-drop-column",
                "versions/0005_drop.sql", 2);
    finding_event(&f);
    error_event(&lost);
    run_end(&lost, 5, 0, 0);
    finish();

    ck_assert_valid();
    ck_assert_xnum("count(//testcase)", 2);
    ck_assert_xnum("//testsuite/@tests", 2);
    ck_assert_xnum("//testsuite/@failures", 2);
    ck_assert_xnum("count(//failure)", 2);
    ck_assert_xstr("string(//testcase[2]/@name)", "lint");
    ck_assert_xstr("string(//testcase[2]/failure/@type)", "exit 5");
}
END_TEST

/* A 1.2 host's events end before finding; a host that sends no struct. */
START_TEST(test_lint_short_events)
{
    struct mgr_event ev;

    cmd = "lint";
    run_start(NULL, NULL, 0);
    ev = event(MGR_EV_FINDING, cmd);
    ev.size = offsetof(struct mgr_event, finding);
    ev.finding = (const struct mgr_event_finding *)"SHOULD-NOT-APPEAR";
    ev.trace = (const struct mgr_event_trace *)"SHOULD-NOT-APPEAR";
    send(&ev);
    ev = event(MGR_EV_TRACE, cmd);
    ev.size = offsetof(struct mgr_event, finding);
    ev.finding = (const struct mgr_event_finding *)"SHOULD-NOT-APPEAR";
    ev.trace = (const struct mgr_event_trace *)"SHOULD-NOT-APPEAR";
    send(&ev);
    ev = event(MGR_EV_FINDING, cmd);
    send(&ev);
    ev = event(MGR_EV_TRACE, cmd);
    send(&ev);
    run_end(NULL, 0, 0, 0);
    finish();

    ck_assert_valid();
    ck_assert_xnum("count(//testcase)", 1);
    ck_assert_xstr("string(//testcase/@name)", "lint");
    ck_assert_xnum("count(//system-out)", 0);
}
END_TEST

/* ---- tests: hostile input ----------------------------------------------- */

/* Quotes, markup, a CDATA end, control bytes, broken UTF-8, U+FFFE, then
 * DEL, valid non-ASCII, tab and newline; and what a parser must read
 * back. */
#define NASTY                                                           \
    "q\"a'b<c>d&e]]>f\x01g\x0bh\x1fi\xffj\xe2\x82k\xc0\xafl\xed\xa0\x80m"  \
    "\xef\xbf\xbe\x7f \xc3\xa9 \xf0\x9f\x98\x80\tn\no"
#define NASTY_READ                                                      \
    "q\"a'b<c>d&e]]>f" R "g" R "h" R "i" R "j" R R "k" R R "l" R R R "m" \
    R "\x7f \xc3\xa9 \xf0\x9f\x98\x80\tn\no"

START_TEST(test_nasty_strings_everywhere)
{
    struct mgr_event_error e = step2_error;
    struct mgr_event_step s;

    e.message = NASTY;
    e.reason = NASTY;
    e.file = NASTY;
    e.sqlstate = NASTY;
    e.detail = NASTY;
    e.hint = NASTY;
    cmd = "up<grade>\"&";
    run_start(NASTY, NASTY "\r", 0);
    s = step(1, NASTY, NASTY, NASTY);
    plan(&s, 1);
    s = step(1, NASTY, NASTY, NASTY);
    step_start(&s);
    s = step(1, NASTY, NASTY, NASTY);
    step_end(&s, 0.001, &e);
    text_event(MGR_EV_MESSAGE, MGR_LOG_WARNING, NASTY);
    text_event(MGR_EV_OUTPUT, 0, NASTY "\n");
    error_event(&e);
    run_end(&e, 1, 1, 0);
    finish();

    ck_assert_valid();
    ck_assert_xnum("count(//testcase)", 1);
    ck_assert_xnum("count(//failure)", 1);
    ck_assert_xstr("string(//testcase/@name)", NASTY_READ " " NASTY_READ);
    ck_assert_xstr("string(//testcase/@file)", NASTY_READ);
    ck_assert_xstr("string(//testcase/@classname)",
                   "migrator.up<grade>\"&");
    ck_assert_xstr("string(//testsuite/@name)",
                   "migrator up<grade>\"& " NASTY_READ);
    ck_assert_xstr("string(//failure/@message)", NASTY_READ);
    ck_assert_xstr("string(//failure/@type)", NASTY_READ);
    ck_assert_xstr("string(//failure)",
                   NASTY_READ "\nfile: " NASTY_READ "\nline: 7"
                   "\nsqlstate: " NASTY_READ
                   "\ndetail: " NASTY_READ "\nhint: " NASTY_READ);
    ck_assert_xstr("string(//property[@name='target']/@value)", NASTY_READ);
    /* a carriage return in an attribute survives as one */
    ck_assert_xstr("string(//property[@name='database']/@value)",
                   NASTY_READ "\r");
    ck_assert_xstr("string(//testsuite/system-out)",
                   "warning: " NASTY_READ "\n" NASTY_READ "\n");
    /* nothing raw that needs escaping, and no CDATA */
    ck_assert_ptr_null(strstr(doc(), "]]>"));
    ck_assert_ptr_null(strstr(doc(), "<![CDATA["));
    ck_assert_ptr_null(strchr(doc(), '\x01'));
}
END_TEST

START_TEST(test_lint_nasty_strings)
{
    struct mgr_event_finding f;
    struct mgr_event_lock l;
    const struct mgr_event_lock *locks[1] = { &l };
    const char *list[1];
    struct mgr_event_trace t;

    cmd = "lint";
    run_start(NULL, NULL, 0);
    l.relation = tmp_str(NASTY);
    l.mode = tmp_str(NASTY);
    l.blocks = tmp_str(NASTY);
    list[0] = tmp_str(NASTY);
    memset(&t, 0, sizeof(t));
    t.file = tmp_str(NASTY);
    t.line = 1;
    t.statement = tmp_str(NASTY);
    t.seconds = -1;
    t.locks = locks;
    t.nlocks = 1;
    t.rewritten = list;
    t.nrewritten = 1;
    trace_event(&t);
    f = finding(MGR_SEVERITY_ERROR, NASTY, NASTY, 7);
    f.message = tmp_str(NASTY);
    f.table = tmp_str(NASTY);
    f.trace = tmp_str(NASTY);
    finding_event(&f);
    f = finding(MGR_SEVERITY_WARNING, NASTY, NASTY, 8);
    f.message = tmp_str(NASTY);
    finding_event(&f);
    run_end(&lint_errors, 1, 0, 0);
    finish();

    ck_assert_valid();
    ck_assert_xnum("count(//testcase)", 2);
    ck_assert_xnum("//testsuite/@failures", 1);
    ck_assert_xstr("string(//testcase[1]/@classname)", NASTY_READ);
    ck_assert_xstr("string(//testcase[1]/@name)", NASTY_READ " at line 7");
    ck_assert_xstr("string(//testcase[1]/failure/@type)", NASTY_READ);
    ck_assert_xstr("string(//testcase[1]/failure/@message)", NASTY_READ);
    ck_assert_xhas("string(//testcase[1]/failure)",
                   "\ntable: " NASTY_READ "\ntrace: " NASTY_READ);
    ck_assert_xhas("string(//testcase[2]/system-out)",
                   ":8: warning[" NASTY_READ "] " NASTY_READ);
    ck_assert_xhas("string(//testsuite/system-out)",
                   "    " NASTY_READ " on " NASTY_READ ": blocks "
                   NASTY_READ "\n");
    ck_assert_ptr_null(strstr(doc(), "]]>"));
    ck_assert_ptr_null(strchr(doc(), '\x01'));
}
END_TEST

START_TEST(test_null_strings)
{
    struct mgr_event_error e = { MGR_EDB, 1, NULL, NULL, NULL, 0,
                                 NULL, NULL, NULL, NULL };
    struct mgr_event_step s;
    struct mgr_event ev;

    cmd = NULL;
    run_start(NULL, NULL, 0);
    s = step(1, NULL, NULL, NULL);
    step_end(&s, 0.0, &e);
    ev = event(MGR_EV_OUTPUT, cmd); /* text NULL */
    send(&ev);
    ev = event(MGR_EV_STEP_END, cmd); /* step NULL */
    send(&ev);
    run_end(&e, 1, 1, 0);
    finish();

    ck_assert_valid();
    ck_assert_xnum("count(//testcase)", 1);
    ck_assert_xnum("count(//failure)", 1);
    ck_assert_xstr("string(//testcase/@name)", "stamp");
    ck_assert_xstr("string(//testcase/@classname)", "migrator");
    ck_assert_xstr("string(//testsuite/@name)", "migrator");
    ck_assert_xstr("string(//failure/@message)", "failed (status 6)");
    ck_assert_xstr("string(//failure)", "failed (status 6)");
}
END_TEST

/* A host whose struct mgr_event ends before target: the fields past its
 * size must not be read. */
START_TEST(test_event_size_respected)
{
    struct mgr_event ev = event(MGR_EV_RUN_START, cmd);

    ev.size = offsetof(struct mgr_event, target);
    ev.target = "SHOULD-NOT-APPEAR";
    ev.database = "SHOULD-NOT-APPEAR";
    ev.offline = 1;
    send(&ev);
    ev = event(MGR_EV_RUN_END, cmd);
    ev.size = offsetof(struct mgr_event, status);
    ev.status = MGR_EDB;
    ev.exit_code = 1;
    send(&ev);
    ev = event(MGR_EV_MESSAGE, cmd);
    ev.size = offsetof(struct mgr_event, text);
    ev.level = MGR_LOG_ERR;
    ev.text = "SHOULD-NOT-APPEAR";
    send(&ev);
    ev = event(MGR_EV_RUN_END, cmd); /* too small to have a type */
    ev.size = 4;
    send(&ev);
    finish();

    ck_assert_valid();
    ck_assert_ptr_null(strstr(doc(), "SHOULD-NOT-APPEAR"));
    ck_assert_xnum("count(//failure)", 0);
    ck_assert_xnum("count(//property)", 2);
    ck_assert_xstr("string(//property[@name='offline']/@value)", "false");
}
END_TEST

/* ---- tests: stopping, writing ------------------------------------------- */

START_TEST(test_close_without_run_end)
{
    struct mgr_event_step s;

    run_start("head", "sqlite:///app.db", 0);
    plan3();
    run_step(1, "aaa111", "create users", "migrations/aaa111_users.sql", 0.5);
    s = step(2, "bbb222", "add email", "migrations/bbb222_email.sql");
    step_start(&s);
    finish();

    ck_assert_valid();
    ck_assert_xnum("count(//testcase)", 3);
    ck_assert_xnum("count(//failure)", 0);
    ck_assert_xnum("count(//skipped)", 2);
    ck_assert_xnum("count(//testcase[1]/*)", 0);
    ck_assert_xstr("string(//testcase[2]/skipped/@message)",
                   "not finished: the run stopped during the step");
    ck_assert_xstr("string(//testcase[3]/skipped/@message)", "not run");
    ck_assert_xnum("count(/testsuites/testsuite)", 1);
}
END_TEST

START_TEST(test_close_without_any_event)
{
    finish();
    ck_assert_valid();
    ck_assert_xnum("count(//testcase)", 1);
    ck_assert_xnum("count(//testsuite/@timestamp)", 0);
}
END_TEST

/* ERROR events without an error struct: the exit code names the failure,
 * and "error" when there is none. */
START_TEST(test_error_events_without_error)
{
    struct mgr_event ev;

    run_start("head", NULL, 0);
    ev = event(MGR_EV_ERROR, cmd);
    send(&ev);
    run_end(NULL, 4, 0, 0); /* status MGR_OK, but the run failed */
    finish();
    ck_assert_valid();
    ck_assert_xnum("count(//testcase)", 1);
    ck_assert_xnum("count(//failure)", 1);
    ck_assert_xstr("string(//failure/@type)", "exit 4");
    ck_assert_xstr("string(//failure/@message)", "the command failed");

    /* no RUN_END: no exit code */
    out = fopen(path, "w+");
    ck_assert_ptr_nonnull(out);
    target.out = out;
    ck_assert_int_eq(ops->open(state, &target, &sink, &err), MGR_OK);
    run_start("head", NULL, 0);
    ev = event(MGR_EV_ERROR, cmd);
    send(&ev);
    finish();
    ck_assert_valid();
    ck_assert_xnum("count(//failure)", 1);
    ck_assert_xstr("string(//failure/@type)", "error");
}
END_TEST

START_TEST(test_close_after_error_only)
{
    static const struct mgr_event_error e = {
        MGR_EINTR, 130, "interrupted", "interrupted", NULL, 0, "", "", "",
        NULL,
    };

    run_start("head", NULL, 0);
    error_event(&e);
    finish();
    ck_assert_valid();
    ck_assert_xnum("count(//failure)", 1);
    ck_assert_xstr("string(//failure/@type)", "exit 130");
}
END_TEST

START_TEST(test_write_error_is_eio)
{
    FILE *full = fopen("/dev/full", "w");

    ck_assert_ptr_nonnull(full);
    ck_assert_int_eq(ops->close(sink, &err), MGR_OK); /* the fixture's */
    target.out = full;
    target.path = "/dev/full";
    ck_assert_int_eq(ops->open(state, &target, &sink, &err), MGR_OK);
    run_start("head", NULL, 0);
    run_end(NULL, 0, 0, 0);
    memset(&err, 0, sizeof(err));
    ck_assert_int_eq(ops->close(sink, &err), MGR_EIO);
    ck_assert_int_eq(err.code, MGR_EIO);
    ck_assert_ptr_nonnull(strstr(err.msg, "/dev/full"));
    ck_assert_msg(mock_live_allocations == live_after_init,
                  "%ld allocations not freed",
                  mock_live_allocations - live_after_init);
    fclose(full);
}
END_TEST

START_TEST(test_open_refuses_target_without_stream)
{
    struct mgr_report_target t = target;
    void *other = NULL;

    t.out = NULL;
    ck_assert_int_ne(ops->open(state, &t, &other, &err), MGR_OK);
    t = target;
    t.size = offsetof(struct mgr_report_target, out);
    ck_assert_int_ne(ops->open(state, &t, &other, &err), MGR_OK);
    ck_assert_ptr_null(other);
    finish();
}
END_TEST

START_TEST(test_two_reports_at_once)
{
    struct mgr_report_target t2 = target;
    void *sink1 = sink, *sink2 = NULL;
    FILE *f2 = tmpfile();
    struct mgr_event ev;

    ck_assert_ptr_nonnull(f2);
    t2.out = f2;
    t2.path = NULL;
    ck_assert_int_eq(ops->open(state, &t2, &sink2, &err), MGR_OK);
    ck_assert_ptr_ne(sink1, sink2);
    ev = event(MGR_EV_RUN_START, cmd);
    send_to(sink2, &ev);
    ck_assert_int_eq(ops->close(sink2, &err), MGR_OK);
    ck_assert_int_gt(ftell(f2), 0);
    fclose(f2);
    finish();
    ck_assert_valid();
}
END_TEST

/* ---- the schema means something ----------------------------------------- */

static void write_doc(const char *text)
{
    FILE *f = fopen(path, "w");

    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

#define SUITE_OPEN                                                      \
    "<testsuites><testsuite name=\"s\" tests=\"1\" failures=\"0\">"
#define SUITE_CLOSE "</testsuite></testsuites>"

static const char *const invalid_docs[] = {
    /* testcase without classname */
    SUITE_OPEN "<testcase name=\"t\"/>" SUITE_CLOSE,
    /* testcase without name */
    SUITE_OPEN "<testcase classname=\"c\"/>" SUITE_CLOSE,
    /* two outcomes */
    SUITE_OPEN "<testcase name=\"t\" classname=\"c\"><failure/><failure/>"
    "</testcase>" SUITE_CLOSE,
    /* system-out before the outcome */
    SUITE_OPEN "<testcase name=\"t\" classname=\"c\"><system-out/><skipped/>"
    "</testcase>" SUITE_CLOSE,
    /* markup inside a failure */
    SUITE_OPEN "<testcase name=\"t\" classname=\"c\"><failure><b/></failure>"
    "</testcase>" SUITE_CLOSE,
    /* testsuite without tests / failures / name */
    "<testsuites><testsuite name=\"s\" failures=\"0\"/></testsuites>",
    "<testsuites><testsuite name=\"s\" tests=\"0\"/></testsuites>",
    "<testsuites><testsuite tests=\"0\" failures=\"0\"/></testsuites>",
    /* bad numbers */
    "<testsuites><testsuite name=\"s\" tests=\"-1\" failures=\"0\"/>"
    "</testsuites>",
    SUITE_OPEN "<testcase name=\"t\" classname=\"c\" time=\"0,5\"/>"
    SUITE_CLOSE,
    /* unknown element, properties after testcases */
    SUITE_OPEN "<test name=\"t\" classname=\"c\"/>" SUITE_CLOSE,
    SUITE_OPEN "<testcase name=\"t\" classname=\"c\"/><properties/>"
    SUITE_CLOSE,
};

START_TEST(test_schema_refuses_invalid_documents)
{
    char buf[8192];

    finish();
    write_doc(SUITE_OPEN "<properties><property name=\"p\" value=\"v\"/>"
              "</properties><testcase name=\"t\" classname=\"c\" "
              "time=\"0.5\"><skipped message=\"m\"/><system-out>o"
              "</system-out></testcase><system-out/>" SUITE_CLOSE);
    ck_assert_valid();
    for (size_t i = 0; i < sizeof(invalid_docs) / sizeof(*invalid_docs);
         i++) {
        write_doc(invalid_docs[i]);
        ck_assert_msg(xmllint("--noout", "--schema", JUNIT_XSD, 1, buf,
                              sizeof(buf)) != 0,
                      "the schema accepts document %zu: %s", i,
                      invalid_docs[i]);
    }
}
END_TEST

/* ---- the suite ---------------------------------------------------------- */

static Suite *reporter_junit_suite(void)
{
    Suite *s = suite_create("reporter_junit");
    TCase *tc = tcase_create("outcomes");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_success_two_steps);
    tcase_add_test(tc, test_failure_on_step_two_of_three);
    tcase_add_test(tc, test_failure_with_earlier_steps_committed);
    tcase_add_test(tc, test_failure_before_any_step);
    tcase_add_test(tc, test_failure_without_error_details);
    tcase_add_test(tc, test_listing_command);
    tcase_add_test(tc, test_nothing_to_do);
    tcase_add_test(tc, test_offline_steps_and_output);
    suite_add_tcase(s, tc);

    tc = tcase_create("lint");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_lint_failed);
    tcase_add_test(tc, test_lint_passed);
    tcase_add_test(tc, test_lint_without_findings);
    tcase_add_test(tc, test_lint_failed_otherwise);
    tcase_add_test(tc, test_lint_short_events);
    suite_add_tcase(s, tc);

    tc = tcase_create("hostile");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_nasty_strings_everywhere);
    tcase_add_test(tc, test_null_strings);
    tcase_add_test(tc, test_lint_nasty_strings);
    tcase_add_test(tc, test_event_size_respected);
    suite_add_tcase(s, tc);

    tc = tcase_create("lifecycle");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_close_without_run_end);
    tcase_add_test(tc, test_close_without_any_event);
    tcase_add_test(tc, test_close_after_error_only);
    tcase_add_test(tc, test_error_events_without_error);
    tcase_add_test(tc, test_write_error_is_eio);
    tcase_add_test(tc, test_open_refuses_target_without_stream);
    tcase_add_test(tc, test_two_reports_at_once);
    tcase_add_test(tc, test_schema_refuses_invalid_documents);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(reporter_junit_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
