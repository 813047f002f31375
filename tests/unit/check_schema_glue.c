/*
 * check_schema_glue.c: what carries a schema between the model and its
 * stores: the snapshot codec of migrator_schema (snapshot_codec.h) and
 * the filling of a new script's sections (schema_script_fill()).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <migrator/migrator.h>
#include <migrator/plugin.h>

#include "schema_script.h"
#include "snapshot_codec.h"

/* A text of about n bytes that deflates well but not trivially. */
static void schema_like_text(struct mgr_buf *out, size_t n)
{
    for (unsigned i = 0; out->len < n; i++)
        mgr_buf_addf(out, "COLUMN\tschema=\ttable=t%u\tname=c%u\ttype=integer\n",
                     i / 7, i);
}

START_TEST(test_small_snapshot_is_stored_as_it_is)
{
    struct mgr_buf stored = MGR_BUF_INIT, back = MGR_BUF_INIT;
    struct mgr_error err;

    ck_assert_int_eq(snapshot_encode("migrator-schema 1\n", 18, &stored),
                     SNAPSHOT_PLAIN);
    ck_assert_str_eq(stored.buf, "migrator-schema 1\n");
    ck_assert_int_eq(snapshot_decode(SNAPSHOT_PLAIN, stored.buf, stored.len,
                                     &back, &err),
                     MGR_OK);
    ck_assert_str_eq(back.buf, stored.buf);
    mgr_buf_release(&stored);
    mgr_buf_release(&back);
}
END_TEST

/* Texts of 24 lengths: their deflated forms end in every base64
 * padding. */
START_TEST(test_large_snapshot_deflates_and_comes_back)
{
    struct mgr_buf text = MGR_BUF_INIT, stored = MGR_BUF_INIT;
    struct mgr_buf back = MGR_BUF_INIT;
    struct mgr_error err;

    schema_like_text(&text, SNAPSHOT_DEFLATE_OVER + 1000);
    mgr_buf_setlen(&text, text.len - (size_t)_i);
    ck_assert_int_eq(snapshot_encode(text.buf, text.len, &stored),
                     SNAPSHOT_DEFLATED);
    ck_assert_uint_lt(stored.len, text.len / 4);
    ck_assert_uint_eq(strspn(stored.buf, "0123456789"),
                      (size_t)(strchr(stored.buf, ':') - stored.buf));
    ck_assert_int_eq(snapshot_decode(SNAPSHOT_DEFLATED, stored.buf,
                                     stored.len, &back, &err),
                     MGR_OK);
    ck_assert_uint_eq(back.len, text.len);
    ck_assert_int_eq(memcmp(back.buf, text.buf, text.len), 0);
    mgr_buf_release(&text);
    mgr_buf_release(&stored);
    mgr_buf_release(&back);
}
END_TEST

START_TEST(test_damaged_snapshot_is_an_error_not_a_crash)
{
    static const char *const damaged[] = {
        "",           "12",         "12:",      "x:AAAA", "12:AA!A",
        "12:AAAAA",   "999999999999999999:AAAA", "5:AAAA",
    };
    struct mgr_buf back = MGR_BUF_INIT;
    struct mgr_error err;

    for (size_t i = 0; i < sizeof(damaged) / sizeof(damaged[0]); i++) {
        ck_assert_int_eq(snapshot_decode(SNAPSHOT_DEFLATED, damaged[i],
                                         strlen(damaged[i]), &back, &err),
                         MGR_EUSAGE);
        mgr_buf_reset(&back);
    }
    ck_assert_int_eq(snapshot_decode(7, "x", 1, &back, &err), MGR_EUSAGE);
    ck_assert_ptr_nonnull(strstr(err.msg, "format 7"));
    mgr_buf_release(&back);
}
END_TEST

static const char template_text[] = "-- msg\n"
                                    "--\n"
                                    "-- Revision ID: abc\n"
                                    "\n"
                                    "-- migrate:upgrade\n"
                                    "\n"
                                    "\n"
                                    "-- migrate:downgrade\n"
                                    "\n";

static void fill(const char *tmpl, const char *up, unsigned up_flags,
                 const char *down, struct mgr_buf *out)
{
    struct script_bodies b;

    script_bodies_init(&b);
    mgr_buf_addstr(&b.upgrade, up);
    b.upgrade_flags = up_flags;
    mgr_buf_addstr(&b.downgrade, down);
    mgr_buf_addstr(out, tmpl);
    schema_script_fill(out, &b);
    script_bodies_release(&b);
}

START_TEST(test_fill_puts_each_body_after_its_marker)
{
    struct mgr_buf out = MGR_BUF_INIT;

    fill(template_text, "CREATE TABLE a (x int);\n", 0,
         "DROP TABLE a;\n", &out);
    ck_assert_str_eq(out.buf, "-- msg\n"
                              "--\n"
                              "-- Revision ID: abc\n"
                              "\n"
                              "-- migrate:upgrade\n"
                              "CREATE TABLE a (x int);\n"
                              "\n"
                              "\n"
                              "-- migrate:downgrade\n"
                              "DROP TABLE a;\n"
                              "\n");
    mgr_buf_release(&out);
}
END_TEST

START_TEST(test_fill_marks_a_section_outside_transactions)
{
    struct mgr_buf out = MGR_BUF_INIT;

    fill(template_text, "ALTER TYPE k ADD VALUE 'x';\n",
         MGR_SECTION_NO_TRANSACTION, "", &out);
    ck_assert_ptr_nonnull(strstr(out.buf, "-- migrate:upgrade "
                                          "transaction=false\n"
                                          "ALTER TYPE k ADD VALUE 'x';\n"));
    ck_assert_ptr_nonnull(strstr(out.buf, "-- migrate:downgrade\n"));
    mgr_buf_release(&out);
}
END_TEST

/* A template without markers still gets both sections, at its end; a
 * marker-like line that is not the marker ("-- migrate:upgraded") is
 * not taken for it. */
START_TEST(test_fill_appends_missing_sections)
{
    struct mgr_buf out = MGR_BUF_INIT;

    fill("-- m\n-- Revision ID: abc\n-- migrate:upgraded\n", "UP;\n", 0,
         "DOWN;\n", &out);
    ck_assert_str_eq(out.buf, "-- m\n-- Revision ID: abc\n"
                              "-- migrate:upgraded\n"
                              "\n-- migrate:upgrade\nUP;\n"
                              "\n-- migrate:downgrade\nDOWN;\n");
    mgr_buf_release(&out);
}
END_TEST

static Suite *glue_suite(void)
{
    Suite *s = suite_create("schema_glue");
    TCase *tc = tcase_create("codec");

    tcase_add_test(tc, test_small_snapshot_is_stored_as_it_is);
    tcase_add_loop_test(tc, test_large_snapshot_deflates_and_comes_back, 0,
                        24);
    tcase_add_test(tc, test_damaged_snapshot_is_an_error_not_a_crash);
    suite_add_tcase(s, tc);
    tc = tcase_create("script");
    tcase_add_test(tc, test_fill_puts_each_body_after_its_marker);
    tcase_add_test(tc, test_fill_marks_a_section_outside_transactions);
    tcase_add_test(tc, test_fill_appends_missing_sections);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(glue_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
