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
    ck_assert_str_eq(err.msg, "cannot write the report to the terminal");
    ops->close(sink, &err);
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
    suite_add_tcase(s, core);
    tcase_add_checked_fixture(errors, setup, teardown);
    tcase_add_test(errors, test_write_error);
    suite_add_tcase(s, errors);
    tcase_add_checked_fixture(limits, setup, teardown);
    tcase_add_test(limits, test_progress_clipped_to_width);
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
