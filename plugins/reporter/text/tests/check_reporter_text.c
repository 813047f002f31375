/*
 * check_reporter_text.c: the text reporter, driven through its
 * descriptor with events built here, its streams read back from
 * temporary files.
 */
#include "autoconfig.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <migrator/plugin.h>

#include "lint_text.h"
#include "mock_host.h"

const struct mgr_plugin *mgr_plugin_entry(void);

static struct mgr_host_api api;

static const struct mgr_plugin *desc;
static const struct mgr_reporter_ops *ops;
static void *state;
static struct mgr_report_target target;
static void *sink;
static char out_text[8192], log_text[8192];

static void setup(void)
{
    struct mgr_error err;

    mock_host_api_init(&api);
    desc = mgr_plugin_entry();
    ops = desc->ops;
    ck_assert_int_eq(desc->init(&api, NULL, &state, &err), MGR_OK);
    memset(&target, 0, sizeof(target));
    target.size = sizeof(target);
    target.out = tmpfile();
    target.log = tmpfile();
    ck_assert_ptr_nonnull(target.out);
    ck_assert_ptr_nonnull(target.log);
}

static void teardown(void)
{
    fclose(target.out);
    fclose(target.log);
    desc->fini(state);
}

static void open_report(void)
{
    struct mgr_error err;

    ck_assert_int_eq(ops->open(state, &target, &sink, &err), MGR_OK);
}

static void slurp(FILE *f, char *buf, size_t size)
{
    size_t n;

    fflush(f);
    rewind(f);
    n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
}

/* Close the report and read what it wrote. */
static void close_report(void)
{
    struct mgr_error err;

    ck_assert_int_eq(ops->close(sink, &err), MGR_OK);
    slurp(target.out, out_text, sizeof(out_text));
    slurp(target.log, log_text, sizeof(log_text));
}

static int send(struct mgr_event *ev)
{
    struct mgr_error err;

    ev->size = sizeof(*ev);
    if (!ev->command)
        ev->command = "upgrade";
    return ops->event(sink, ev, &err);
}

static const char *const no_ids[1] = { NULL };
static const char *const ids_a[] = { "a1" };
static const char *const ids_b[] = { "b2" };
static const char *const ids_c[] = { "c3" };

static struct mgr_event_step steps[3] = {
    { 1, MGR_STEP_UPGRADE, "a1", "create people", "v/a1.sql", no_ids, 0,
      ids_a, 1 },
    { 2, MGR_STEP_UPGRADE, "b2", "add leases", "v/b2.sql", ids_a, 1, ids_b,
      1 },
    { 3, MGR_STEP_UPGRADE, "c3", "index", "v/c3.sql", ids_b, 1, ids_c, 1 },
};

static const struct mgr_event_step *const plan[3] = { &steps[0], &steps[1],
                                                     &steps[2] };

/* RUN_START, PLAN of n steps, the first ok steps succeed, the next one
 * fails when ok < n; then RUN_END. */
static void run(size_t n, size_t ok, size_t committed)
{
    struct mgr_event ev;
    struct mgr_event_error e = { MGR_EDB, 1, "v/b2.sql:3: boom", "boom",
                                 "v/b2.sql", 3, "42P01", "", "", "b2" };

    memset(&ev, 0, sizeof(ev));
    ev.type = MGR_EV_RUN_START;
    ck_assert_int_eq(send(&ev), MGR_OK);
    memset(&ev, 0, sizeof(ev));
    ev.type = MGR_EV_PLAN;
    ev.plan = plan;
    ev.nplan = n;
    ck_assert_int_eq(send(&ev), MGR_OK);
    for (size_t i = 0; i < n && i <= ok; i++) {
        memset(&ev, 0, sizeof(ev));
        ev.type = MGR_EV_STEP_START;
        ev.step = &steps[i];
        ck_assert_int_eq(send(&ev), MGR_OK);
        ev.type = MGR_EV_STEP_END;
        ev.seconds = 0.25;
        ev.status = i < ok ? MGR_OK : MGR_EDB;
        ev.error = i < ok ? NULL : &e;
        ck_assert_int_eq(send(&ev), MGR_OK);
    }
    memset(&ev, 0, sizeof(ev));
    ev.type = MGR_EV_RUN_END;
    ev.status = ok < n ? MGR_EDB : MGR_OK;
    ev.exit_code = ok < n ? 1 : 0;
    ev.seconds = 1.5;
    ev.steps_run = ok;
    ev.steps_committed = committed;
    ck_assert_int_eq(send(&ev), MGR_OK);
}

START_TEST(test_alembic_lines_and_summary)
{
    open_report();
    run(2, 2, 2);
    close_report();
    ck_assert_str_eq(log_text,
                     "Running upgrade  -> a1, create people\n"
                     "Running upgrade a1 -> b2, add leases\n"
                     "upgrade: 2 steps done in 1.50s\n");
    ck_assert_str_eq(out_text, "");
}
END_TEST

START_TEST(test_failure_summary)
{
    open_report();
    run(3, 1, 0);
    close_report();
    ck_assert_ptr_nonnull(strstr(log_text,
                                 "Running upgrade a1 -> b2, add leases\n"));
    ck_assert_ptr_null(strstr(log_text, "-> c3"));
    ck_assert_ptr_nonnull(strstr(log_text,
                                 "upgrade: failed at step 2 of 3 (b2) after "
                                 "1.50s; nothing was committed\n"));
}
END_TEST

START_TEST(test_failure_with_commits)
{
    open_report();
    run(3, 1, 1);
    close_report();
    ck_assert_ptr_nonnull(strstr(log_text, "the first 1 step stay "
                                           "committed"));
}
END_TEST

START_TEST(test_no_escapes_without_terminal)
{
    open_report();
    run(3, 1, 0);
    close_report();
    ck_assert_ptr_null(strchr(log_text, '\033'));
    ck_assert_ptr_null(strchr(log_text, '\r'));
    ck_assert_ptr_null(strstr(log_text, "[1/3]"));
}
END_TEST

START_TEST(test_progress_and_colour)
{
    target.color = 1;
    target.progress = 1;
    open_report();
    run(2, 2, 2);
    close_report();
    ck_assert_ptr_nonnull(strstr(log_text, "[1/2] a1 create people"));
    ck_assert_ptr_nonnull(strstr(log_text, "[2/2] b2 add leases"));
    ck_assert_ptr_nonnull(strstr(log_text, "0.25s"));
    ck_assert_ptr_nonnull(strstr(log_text, "\r\033[K"));
    ck_assert_ptr_nonnull(strstr(log_text, "\033[32m"));
    /* The progress line is erased before the summary. */
    ck_assert_ptr_nonnull(strstr(log_text, "\r\033[K\033[32mupgrade: 2 "
                                           "steps done"));
}
END_TEST

START_TEST(test_quiet)
{
    struct mgr_event ev;

    target.verbosity = -1;
    target.progress = 1;
    open_report();
    run(3, 1, 0);
    memset(&ev, 0, sizeof(ev));
    ev.type = MGR_EV_OUTPUT;
    ev.text = "SELECT 1;\n";
    ck_assert_int_eq(send(&ev), MGR_OK);
    close_report();
    ck_assert_str_eq(log_text, "");
    ck_assert_str_eq(out_text, "SELECT 1;\n");
}
END_TEST

START_TEST(test_records_verbatim)
{
    struct mgr_event ev;
    struct mgr_event_revision rev;

    memset(&rev, 0, sizeof(rev));
    rev.id = "a1";
    open_report();
    memset(&ev, 0, sizeof(ev));
    ev.type = MGR_EV_RECORD;
    ev.command = "heads";
    ev.record_kind = MGR_REC_HEAD;
    ev.revision = &rev;
    ev.text = "a1 (head)\n";
    ck_assert_int_eq(send(&ev), MGR_OK);
    memset(&ev, 0, sizeof(ev));
    ev.type = MGR_EV_RUN_END;
    ev.command = "heads";
    ck_assert_int_eq(send(&ev), MGR_OK);
    close_report();
    ck_assert_str_eq(out_text, "a1 (head)\n");
    ck_assert_str_eq(log_text, ""); /* no summary without a plan */
}
END_TEST

START_TEST(test_nothing_to_do)
{
    open_report();
    run(0, 0, 0);
    close_report();
    ck_assert_str_eq(log_text, "");
}
END_TEST

/* A warning and an error, as the host reports them. */
static void send_diagnostics(void)
{
    static const struct mgr_event_error e = { MGR_ELOCKED, 3, "lock held",
                                              "lock held", NULL, 0, "", "",
                                              "", NULL };
    struct mgr_event ev;

    memset(&ev, 0, sizeof(ev));
    ev.type = MGR_EV_MESSAGE;
    ev.level = MGR_LOG_WARNING;
    ev.text = "careful";
    ck_assert_int_eq(send(&ev), MGR_OK);
    ev.type = MGR_EV_ERROR;
    ev.error = &e;
    ck_assert_int_eq(send(&ev), MGR_OK);
}

START_TEST(test_diagnostics_in_files_only)
{
    open_report();
    send_diagnostics();
    close_report();
    ck_assert_str_eq(log_text, ""); /* the host's log prints them */

    target.path = "report.txt";
    open_report();
    send_diagnostics();
    close_report();
    ck_assert_str_eq(log_text, "migrator: warning: careful\n"
                               "migrator: error: lock held\n");
}
END_TEST

START_TEST(test_stamp_line)
{
    struct mgr_event ev;
    struct mgr_event_step st = { 1, MGR_STEP_STAMP, NULL, "", NULL, ids_a,
                                 1, ids_b, 1 };

    open_report();
    memset(&ev, 0, sizeof(ev));
    ev.type = MGR_EV_STEP_START;
    ev.step = &st;
    ck_assert_int_eq(send(&ev), MGR_OK);
    close_report();
    ck_assert_str_eq(log_text, "Running stamp_revision a1 -> b2\n");
}
END_TEST

START_TEST(test_progress_clipped_to_width)
{
    static char long_message[600];
    struct mgr_event ev;
    struct mgr_event_step st = steps[0];
    const char *line;

    memset(long_message, 'x', sizeof(long_message) - 1);
    st.message = long_message;
    target.progress = 1;
    open_report();
    memset(&ev, 0, sizeof(ev));
    ev.type = MGR_EV_STEP_START;
    ev.step = &st;
    ck_assert_int_eq(send(&ev), MGR_OK);
    slurp(target.log, log_text, sizeof(log_text));
    /* The second line is the progress line; a tmpfile is no terminal,
     * so the width is 80: at most 79 characters. */
    line = strchr(log_text, '\n');
    ck_assert_ptr_nonnull(line);
    ck_assert_uint_le(strlen(line + 1), 79);
    ck_assert_ptr_nonnull(strstr(line, "[1/0] a1 xxx"));
    ck_assert_ptr_nonnull(strstr(line, " ..."));
    close_report();
}
END_TEST

START_TEST(test_write_error)
{
    struct mgr_event ev;
    struct mgr_error err;

    fclose(target.out);
    target.out = fopen("/dev/null", "r");
    ck_assert_ptr_nonnull(target.out);
    open_report();
    memset(&ev, 0, sizeof(ev));
    ev.type = MGR_EV_OUTPUT;
    ev.text = "x\n";
    ev.size = sizeof(ev);
    ev.command = "check";
    ck_assert_int_eq(ops->event(sink, &ev, &err), MGR_EIO);
    /* The cause is named: here, a stream opened for reading. */
    ck_assert_msg(strncmp(err.msg, "cannot write the report to the "
                                   "terminal: ", 41) == 0 &&
                      err.msg[41],
                  "%s", err.msg);
    ops->close(sink, &err);
}
END_TEST

/* ---- lint --------------------------------------------------------------- */

#define HINT                                                            \
    "add the column with a default, fill it, then set NOT NULL:\n"      \
    "ALTER TABLE units ADD COLUMN rent numeric DEFAULT 0;\n"             \
    "UPDATE units SET rent = 0;\n"                                       \
    "ALTER TABLE units ALTER COLUMN rent SET NOT NULL;\n"

/* The finding of the example: an error with all there is to say. */
static struct mgr_event_finding full_finding(void)
{
    struct mgr_event_finding f;

    memset(&f, 0, sizeof(f));
    f.rule = "adding-required-field";
    f.linter = "postgresql";
    f.severity = MGR_SEVERITY_ERROR;
    f.severity_name = "error";
    f.message = "ADD COLUMN rent NOT NULL without a default fails on units "
                "when it has rows";
    f.hint = HINT;
    f.file = "versions/0003_add_rent.sql";
    f.line = 12;
    f.revision = "0003";
    f.statement = "ALTER TABLE units ADD COLUMN rent numeric NOT NULL";
    f.table = "units";
    f.rows = 1.2e6;
    f.bytes = 340.0 * 1024 * 1024;
    f.trace = "confirmed";
    return f;
}

/* A warning that says the least it can. */
static struct mgr_event_finding bare_finding(enum mgr_severity sev,
                                             const char *name)
{
    struct mgr_event_finding f;

    memset(&f, 0, sizeof(f));
    f.rule = "prefer-text-field";
    f.linter = "postgresql";
    f.severity = sev;
    f.severity_name = name;
    f.message = "varchar(20) limits the length";
    f.hint = "";
    f.file = "versions/0004_names.sql";
    f.line = 3;
    f.revision = "0004";
    f.statement = "";
    f.table = "";
    f.rows = -1;
    f.bytes = -1;
    f.trace = "";
    return f;
}

static void send_finding(const struct mgr_event_finding *f)
{
    struct mgr_event ev;

    memset(&ev, 0, sizeof(ev));
    ev.type = MGR_EV_FINDING;
    ev.command = "lint";
    ev.finding = f;
    ck_assert_int_eq(send(&ev), MGR_OK);
}

static void send_trace(const struct mgr_event_trace *t)
{
    struct mgr_event ev;

    memset(&ev, 0, sizeof(ev));
    ev.type = MGR_EV_TRACE;
    ev.command = "lint";
    ev.trace = t;
    ck_assert_int_eq(send(&ev), MGR_OK);
}

START_TEST(test_finding_full)
{
    struct mgr_event_finding f = full_finding();

    open_report();
    send_finding(&f);
    close_report();
    ck_assert_str_eq(out_text,
                     "versions/0003_add_rent.sql:12: "
                     "error[adding-required-field] ADD COLUMN rent NOT "
                     "NULL without a default fails on units when it has "
                     "rows\n"
                     "  12 | ALTER TABLE units ADD COLUMN rent numeric NOT "
                     "NULL\n"
                     "  hint: add the column with a default, fill it, then "
                     "set NOT NULL:\n"
                     "        ALTER TABLE units ADD COLUMN rent numeric "
                     "DEFAULT 0;\n"
                     "        UPDATE units SET rent = 0;\n"
                     "        ALTER TABLE units ALTER COLUMN rent SET NOT "
                     "NULL;\n"
                     "  table: units (1.2 M rows, 340 MB)\n"
                     "  trace: confirmed\n");
    ck_assert_str_eq(log_text, "");
}
END_TEST

START_TEST(test_finding_bare)
{
    struct mgr_event_finding f = bare_finding(MGR_SEVERITY_WARNING,
                                              "warning");

    open_report();
    send_finding(&f);
    /* a table whose size is not known, no file */
    f = bare_finding(MGR_SEVERITY_NOTICE, NULL);
    f.table = "people";
    f.file = NULL;
    f.line = 0;
    f.statement = "\n  CREATE INDEX i ON people (name)  \n";
    f.hint = "one line, no newline";
    send_finding(&f);
    /* only one of rows and bytes known */
    f = bare_finding(MGR_SEVERITY_ERROR, "error");
    f.table = "t";
    f.rows = 842;
    send_finding(&f);
    f.rows = -1;
    f.bytes = 8192;
    send_finding(&f);
    close_report();
    ck_assert_str_eq(out_text,
                     "versions/0004_names.sql:3: warning[prefer-text-field] "
                     "varchar(20) limits the length\n"
                     "\n"
                     "notice[prefer-text-field] varchar(20) limits the "
                     "length\n"
                     "  | CREATE INDEX i ON people (name)\n"
                     "  hint: one line, no newline\n"
                     "  table: people\n"
                     "\n"
                     "versions/0004_names.sql:3: error[prefer-text-field] "
                     "varchar(20) limits the length\n"
                     "  table: t (842 rows)\n"
                     "\n"
                     "versions/0004_names.sql:3: error[prefer-text-field] "
                     "varchar(20) limits the length\n"
                     "  table: t (8 kB)\n");
}
END_TEST

START_TEST(test_finding_quiet)
{
    struct mgr_event_finding f;

    target.verbosity = -1;
    open_report();
    f = bare_finding(MGR_SEVERITY_NOTICE, "notice");
    send_finding(&f);
    f = bare_finding(MGR_SEVERITY_ERROR, "error");
    f.rule = "kept";
    send_finding(&f);
    f = bare_finding(MGR_SEVERITY_WARNING, "warning");
    send_finding(&f);
    close_report();
    ck_assert_str_eq(out_text, "versions/0004_names.sql:3: error[kept] "
                               "varchar(20) limits the length\n");
}
END_TEST

START_TEST(test_finding_colour)
{
    struct mgr_event_finding f;

    target.color = 1;
    open_report();
    f = bare_finding(MGR_SEVERITY_ERROR, "error");
    send_finding(&f);
    f = bare_finding(MGR_SEVERITY_WARNING, "warning");
    send_finding(&f);
    f = bare_finding(MGR_SEVERITY_NOTICE, "notice");
    send_finding(&f);
    close_report();
    ck_assert_ptr_nonnull(strstr(out_text, ":3: \033[31merror\033[0m["));
    ck_assert_ptr_nonnull(strstr(out_text, ":3: \033[33mwarning\033[0m["));
    ck_assert_ptr_nonnull(strstr(out_text, ":3: \033[36mnotice\033[0m["));
}
END_TEST

START_TEST(test_finding_no_colour)
{
    struct mgr_event_finding f = full_finding();

    open_report();
    send_finding(&f);
    close_report();
    ck_assert_ptr_null(strchr(out_text, '\033'));
}
END_TEST

static const struct mgr_event_lock lock_t = { "public.t", "ACCESS EXCLUSIVE",
                                              "reads and writes" };
static const struct mgr_event_lock lock_u = { "public.u",
                                              "SHARE UPDATE EXCLUSIVE", "" };
static const struct mgr_event_lock *const two_locks[] = { &lock_t, &lock_u };
static const char *const rewritten[] = { "public.t", "public.t_pkey" };
static const char *const constraints[] = { "fk_a on public.t (validated)" };

START_TEST(test_trace)
{
    struct mgr_event_trace t;
    struct mgr_event_finding f = bare_finding(MGR_SEVERITY_WARNING,
                                              "warning");

    memset(&t, 0, sizeof(t));
    t.file = "versions/0003_retype.sql";
    t.line = 9;
    t.revision = "0003";
    t.statement = "ALTER TABLE t ALTER COLUMN a TYPE bigint";
    t.seconds = 0.0042;
    t.locks = two_locks;
    t.nlocks = 2;
    t.rewritten = rewritten;
    t.nrewritten = 2;
    t.constraints = constraints;
    t.nconstraints = 1;
    open_report();
    send_trace(&t);
    memset(&t, 0, sizeof(t));
    t.file = "versions/0003_retype.sql";
    t.line = 11;
    t.statement = "CREATE TABLE v (a int)";
    t.seconds = 1.5;
    send_trace(&t);
    send_finding(&f);
    close_report();
    ck_assert_str_eq(out_text,
                     "versions/0003_retype.sql:9: ALTER TABLE t ALTER "
                     "COLUMN a TYPE bigint  (4.2 ms)\n"
                     "    ACCESS EXCLUSIVE on public.t: blocks reads and "
                     "writes\n"
                     "    SHARE UPDATE EXCLUSIVE on public.u\n"
                     "    rewrites public.t, public.t_pkey\n"
                     "    constraint fk_a on public.t (validated)\n"
                     "versions/0003_retype.sql:11: CREATE TABLE v (a int)  "
                     "(1.5 s)\n"
                     "    no lock on an existing relation\n"
                     "\n"
                     "versions/0004_names.sql:3: warning[prefer-text-field] "
                     "varchar(20) limits the length\n");
}
END_TEST

START_TEST(test_trace_quiet)
{
    struct mgr_event_trace t;

    memset(&t, 0, sizeof(t));
    t.file = "v.sql";
    t.line = 1;
    t.statement = "SELECT 1";
    target.verbosity = -1;
    open_report();
    send_trace(&t);
    close_report();
    ck_assert_str_eq(out_text, "");
}
END_TEST

/* A 1.2 host's events end before finding: nothing is read past them. */
START_TEST(test_lint_event_from_old_host)
{
    struct mgr_event ev;
    struct mgr_error err;

    open_report();
    memset(&ev, 0, sizeof(ev));
    ev.type = MGR_EV_FINDING;
    ev.command = "lint";
    ev.finding = (const struct mgr_event_finding *)"garbage";
    ev.trace = (const struct mgr_event_trace *)"garbage";
    ev.size = offsetof(struct mgr_event, finding);
    ck_assert_int_eq(ops->event(sink, &ev, &err), MGR_OK);
    ev.type = MGR_EV_TRACE;
    ck_assert_int_eq(ops->event(sink, &ev, &err), MGR_OK);
    /* a host that sends none: nothing either */
    memset(&ev, 0, sizeof(ev));
    ev.type = MGR_EV_FINDING;
    ck_assert_int_eq(send(&ev), MGR_OK);
    ev.type = MGR_EV_TRACE;
    ck_assert_int_eq(send(&ev), MGR_OK);
    close_report();
    ck_assert_str_eq(out_text, "");
}
END_TEST

/* Whether text holds a byte the terminal would act on: a control
 * character other than a newline, DEL, or a C1 control as UTF-8. */
static int has_control(const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if ((*p < 0x20u && *p != '\n') || *p == 0x7fu)
            return 1;
        if (*p == 0xc2u && p[1] >= 0x80u && p[1] < 0xa0u)
            return 1;
    }
    return 0;
}

START_TEST(test_lint_control_characters)
{
    static const struct mgr_event_lock evil = { "public.\033]0;pwned\007",
                                                "ACCESS\rEXCLUSIVE",
                                                "reads\x7f" };
    static const struct mgr_event_lock *const locks[] = { &evil };
    static const char *const rels[] = { "a\033[2Jb" };
    struct mgr_event_finding f = full_finding();
    struct mgr_event_trace t;

    f.file = "v/\033[31mred.sql";
    f.rule = "r\x1b";
    f.message = "bell\a,\tcsi\xc2\x9b" "1m, bad \xff byte, \xe2\x80\xae"
                "bidi";
    f.statement = "SELECT '\033[2J'\r\nFROM x";
    f.hint = "line\033one\r\n\tline two\x7f";
    f.table = "t\033";
    f.trace = "con\x01" "firmed";
    memset(&t, 0, sizeof(t));
    t.file = "v/\033c.sql";
    t.line = 2;
    t.statement = "DROP\x1b TABLE x";
    t.seconds = -1.0; /* not known: no duration */
    t.locks = locks;
    t.nlocks = 1;
    t.rewritten = rels;
    t.nrewritten = 1;
    t.constraints = rels;
    t.nconstraints = 1;
    open_report();
    send_trace(&t);
    send_finding(&f);
    close_report();
    ck_assert_msg(!has_control(out_text), "a control character in:\n%s",
                  out_text);
    ck_assert_str_eq(out_text,
                     "v/?c.sql:2: DROP? TABLE x\n"
                     "    ACCESS?EXCLUSIVE on public.?]0;pwned?: blocks "
                     "reads?\n"
                     "    rewrites a?[2Jb\n"
                     "    constraint a?[2Jb\n"
                     "\n"
                     "v/?[31mred.sql:12: error[r?] bell?, csi?1m, bad ? "
                     "byte, ?bidi\n"
                     "  12 | SELECT '?[2J' ...\n"
                     "  hint: line?one\n"
                     "         line two?\n"
                     "  table: t? (1.2 M rows, 340 MB)\n"
                     "  trace: con?firmed\n");
}
END_TEST

START_TEST(test_statement_cut)
{
    static char long_statement[301]; /* 300 bytes and the NUL */
    struct mgr_event_finding f = bare_finding(MGR_SEVERITY_ERROR, "error");
    const char *line, *end;

    /* 150 characters, two bytes each: cut at 100 characters */
    for (size_t i = 0; i < 150; i++)
        memcpy(long_statement + 2 * i, "\xc3\xa9", 2);
    f.statement = long_statement;
    open_report();
    send_finding(&f);
    f.statement = "UPDATE t\n   SET a = 1";
    send_finding(&f);
    close_report();
    line = strstr(out_text, "  3 | ");
    ck_assert_ptr_nonnull(line);
    end = strchr(line, '\n');
    ck_assert_ptr_nonnull(end);
    ck_assert_int_eq((int)(end - line), 6 + 200 + 3);
    ck_assert_int_eq(memcmp(end - 5, "\xc3\xa9...", 5), 0);
    ck_assert_ptr_nonnull(strstr(out_text, "  3 | UPDATE t ...\n"));
}
END_TEST

/* The words of lint_text.c, one by one. */
START_TEST(test_lint_words)
{
    static const struct {
        double v;
        const char *rows, *bytes, *duration;
    } cases[] = {
        { -1.0, "", "", "" },
        { 0.0, "0 rows", "0 bytes", "0 ms" },
        { 1.0, "1 row", "1 bytes", "1 s" },
        { 0.0003, "0 rows", "0 bytes", "0.3 ms" },
        { 0.0042, "0 rows", "0 bytes", "4.2 ms" },
        { 0.12, "0 rows", "0 bytes", "120 ms" },
        { 0.9996, "1 row", "1 bytes", "1 s" },
        { 842.0, "842 rows", "842 bytes", "842 s" },
        { 999.6, "1 k rows", "1 kB", "1000 s" },
        { 8192.0, "8.2 k rows", "8 kB", "8192 s" },
        { 12345.0, "12.3 k rows", "12.1 kB", "12345 s" },
        { 150000.0, "150 k rows", "146 kB", "150000 s" },
        { 1.2e6, "1.2 M rows", "1.1 MB", "1200000 s" },
        { 3.4e9, "3.4 G rows", "3.2 GB", "3400000000 s" },
    };
    char buf[LINT_WORDS_SIZE];

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        lint_rows(buf, sizeof(buf), cases[i].v);
        ck_assert_str_eq(buf, cases[i].rows);
        lint_bytes(buf, sizeof(buf), cases[i].v);
        ck_assert_str_eq(buf, cases[i].bytes);
        lint_duration(buf, sizeof(buf), cases[i].v);
        ck_assert_str_eq(buf, cases[i].duration);
    }
    lint_bytes(buf, sizeof(buf), 340.0 * 1024 * 1024);
    ck_assert_str_eq(buf, "340 MB");
    lint_bytes(buf, sizeof(buf), 1.2 * 1024 * 1024 * 1024);
    ck_assert_str_eq(buf, "1.2 GB");
    lint_size(buf, sizeof(buf), 5.0, 16384.0);
    ck_assert_str_eq(buf, "5 rows, 16 kB");
    lint_size(buf, sizeof(buf), -1.0, -1.0);
    ck_assert_str_eq(buf, "");
    lint_duration(buf, sizeof(buf), 0.0 / 0.0);
    ck_assert_str_eq(buf, "");
}
END_TEST

START_TEST(test_descriptor)
{
    ck_assert_int_eq(desc->kind, MGR_PLUGIN_REPORTER);
    ck_assert_str_eq(desc->name, "text");
    ck_assert_uint_eq(ops->size, sizeof(struct mgr_reporter_ops));
}
END_TEST

static Suite *reporter_text_suite(void)
{
    Suite *s = suite_create("reporter_text");
    TCase *core = tcase_create("core");
    TCase *errors = tcase_create("errors");
    TCase *limits = tcase_create("limits");

    tcase_add_checked_fixture(core, setup, teardown);
    tcase_add_test(core, test_descriptor);
    tcase_add_test(core, test_alembic_lines_and_summary);
    tcase_add_test(core, test_failure_summary);
    tcase_add_test(core, test_failure_with_commits);
    tcase_add_test(core, test_no_escapes_without_terminal);
    tcase_add_test(core, test_progress_and_colour);
    tcase_add_test(core, test_quiet);
    tcase_add_test(core, test_records_verbatim);
    tcase_add_test(core, test_nothing_to_do);
    tcase_add_test(core, test_diagnostics_in_files_only);
    tcase_add_test(core, test_stamp_line);
    tcase_add_test(core, test_finding_full);
    tcase_add_test(core, test_finding_bare);
    tcase_add_test(core, test_finding_quiet);
    tcase_add_test(core, test_finding_colour);
    tcase_add_test(core, test_finding_no_colour);
    tcase_add_test(core, test_trace);
    tcase_add_test(core, test_trace_quiet);
    suite_add_tcase(s, core);
    tcase_add_checked_fixture(errors, setup, teardown);
    tcase_add_test(errors, test_write_error);
    tcase_add_test(errors, test_lint_event_from_old_host);
    suite_add_tcase(s, errors);
    tcase_add_checked_fixture(limits, setup, teardown);
    tcase_add_test(limits, test_progress_clipped_to_width);
    tcase_add_test(limits, test_lint_control_characters);
    tcase_add_test(limits, test_statement_cut);
    tcase_add_test(limits, test_lint_words);
    suite_add_tcase(s, limits);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(reporter_text_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
