/*
 * check_report_file.c: a report file is renamed into place only when
 * every byte of it was written; otherwise neither it nor its temporary
 * file stays. A file size limit (RLIMIT_FSIZE) stands in for a full
 * disk.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "report_file.h"

static char dir[] = "/tmp/mgr-report-file.XXXXXX";

static void setup(void)
{
    /* mkdtemp() fills the template in: set it again for each test (with
     * CK_FORK=no they share one process). */
    strcpy(dir, "/tmp/mgr-report-file.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    /* Past the limit a write fails with EFBIG instead of killing us. */
    signal(SIGXFSZ, SIG_IGN);
}

static void teardown(void)
{
    char cmd[128];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static int files_in_dir(void)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    ck_assert_ptr_nonnull(d);
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

/* Write n bytes of 'x' to a report at dir/r with a file size limit of
 * limit bytes; the status of closing it, keep = true. */
static int write_report(size_t n, rlim_t limit, struct mgr_error *err)
{
    struct rlimit old, rl;
    struct report_file rf;
    char path[64];
    int rc;

    snprintf(path, sizeof(path), "%s/r", dir);
    ck_assert_int_eq(report_file_open(&rf, path, err), MGR_OK);
    ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
    rl = old;
    rl.rlim_cur = limit;
    ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
    for (size_t i = 0; i < n; i++)
        putc('x', rf.f);
    rc = report_file_close(&rf, true, err);
    ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &old), 0);
    return rc;
}

START_TEST(test_complete_report_kept)
{
    struct mgr_error err;

    memset(&err, 0, sizeof(err));
    ck_assert_int_eq(write_report(1000, RLIM_INFINITY, &err), MGR_OK);
    ck_assert_int_eq(files_in_dir(), 1);
}
END_TEST

/* Many buffers' worth: early writes fail and set the stream's error,
 * while the last buffer may fit in what the limit leaves. */
START_TEST(test_failed_write_removes_report)
{
    struct mgr_error err;

    memset(&err, 0, sizeof(err));
    ck_assert_int_eq(write_report(1 << 20, 10000, &err), MGR_EIO);
    ck_assert_msg(strstr(err.msg, "cannot write the report"), "%s", err.msg);
    ck_assert_int_eq(files_in_dir(), 0);
}
END_TEST

/* Less than a buffer: only the last flush fails. */
START_TEST(test_failed_flush_removes_report)
{
    struct mgr_error err;

    memset(&err, 0, sizeof(err));
    ck_assert_int_eq(write_report(3000, 1000, &err), MGR_EIO);
    ck_assert_int_eq(err.sys_errno, EFBIG);
    ck_assert_int_eq(files_in_dir(), 0);
}
END_TEST

static Suite *report_file_suite(void)
{
    Suite *s = suite_create("report_file");
    TCase *tc = tcase_create("errors");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_complete_report_kept);
    tcase_add_test(tc, test_failed_write_removes_report);
    tcase_add_test(tc, test_failed_flush_removes_report);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(report_file_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
