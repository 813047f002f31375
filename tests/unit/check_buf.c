/* check_buf.c: struct mgr_buf and the error helpers. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <migrator/migrator.h>

START_TEST(test_buf_starts_empty_and_grows)
{
    struct mgr_buf sb = MGR_BUF_INIT;

    ck_assert_str_eq(sb.buf, "");
    mgr_buf_addstr(&sb, "abc");
    mgr_buf_addch(&sb, 'd');
    mgr_buf_addf(&sb, "-%d-%s", 42, "x");
    ck_assert_str_eq(sb.buf, "abcd-42-x");
    ck_assert_uint_eq(sb.len, 9);
    mgr_buf_release(&sb);
    ck_assert_str_eq(sb.buf, "");
    ck_assert_uint_eq(sb.len, 0);
}
END_TEST

START_TEST(test_buf_addf_longer_than_first_guess)
{
    struct mgr_buf sb = MGR_BUF_INIT;
    char big[1000];

    memset(big, 'z', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    mgr_buf_addf(&sb, "<%s>", big);
    ck_assert_uint_eq(sb.len, 1001);
    ck_assert_int_eq(sb.buf[0], '<');
    ck_assert_int_eq(sb.buf[1000], '>');
    mgr_buf_release(&sb);
}
END_TEST

START_TEST(test_buf_detach_hands_over)
{
    struct mgr_buf sb = MGR_BUF_INIT;
    size_t len;
    char *s;

    s = mgr_buf_detach(&sb, &len);
    ck_assert_str_eq(s, "");
    free(s);
    mgr_buf_addstr(&sb, "kept");
    s = mgr_buf_detach(&sb, &len);
    ck_assert_str_eq(s, "kept");
    ck_assert_uint_eq(len, 4);
    ck_assert_str_eq(sb.buf, "");
    free(s);
}
END_TEST

START_TEST(test_error_set_and_exit_codes)
{
    struct mgr_error err;

    ck_assert_int_eq(mgr_error_set(&err, MGR_EREVISION, "no '%s'", "x"),
                     MGR_EREVISION);
    ck_assert_str_eq(err.msg, "no 'x'");
    ck_assert_int_eq(mgr_error_set(NULL, MGR_EIO, "ignored"), MGR_EIO);
    mgr_error_set_errno(&err, MGR_EIO, ENOENT, "cannot open '%s'", "f");
    ck_assert_str_eq(err.msg, "cannot open 'f': No such file or directory");
    ck_assert_int_eq(err.sys_errno, ENOENT);

    ck_assert_int_eq(mgr_status_exit_code(MGR_OK), 0);
    ck_assert_int_eq(mgr_status_exit_code(MGR_EDB), 1);
    ck_assert_int_eq(mgr_status_exit_code(MGR_ECONFIG), 2);
    ck_assert_int_eq(mgr_status_exit_code(MGR_EREVISION), 2);
    ck_assert_int_eq(mgr_status_exit_code(MGR_ELOCKED), 3);
    ck_assert_int_eq(mgr_status_exit_code(MGR_ECHECKSUM), 4);
    ck_assert_int_eq(mgr_status_exit_code(MGR_ECONN), 5);
    ck_assert_int_eq(mgr_status_exit_code(MGR_ETRUST), 6);
    ck_assert_int_eq(mgr_status_exit_code(MGR_EINTR), 130);
}
END_TEST

static Suite *buf_suite(void)
{
    Suite *s = suite_create("buf");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_buf_starts_empty_and_grows);
    tcase_add_test(tc, test_buf_addf_longer_than_first_guess);
    tcase_add_test(tc, test_buf_detach_hands_over);
    tcase_add_test(tc, test_error_set_and_exit_codes);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(buf_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
