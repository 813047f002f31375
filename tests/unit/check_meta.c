/* check_meta.c: header fields from a format plugin into a struct revision. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <migrator/plugin.h>

#include "meta.h"
#include "revision.h"

static struct revision rev;
static struct mgr_script_meta meta;
static struct mgr_error err;

static void setup(void)
{
    memset(&rev, 0, sizeof(rev));
    memset(&err, 0, sizeof(err));
    meta_init(&meta, &rev, "versions/r.sql");
}

static void teardown(void)
{
    revision_release(&rev);
}

static int add(enum mgr_meta_field field, const char *value, int line)
{
    return meta_add(&meta, field, value, strlen(value), line, &err);
}

#define ck_assert_fails(call, want)                                     \
    do {                                                                \
        ck_assert_int_eq((call), MGR_ESCRIPT);                          \
        ck_assert_int_eq(err.code, MGR_ESCRIPT);                        \
        ck_assert_str_eq(err.msg, (want));                              \
    } while (0)

/* ---- core ---------------------------------------------------------------- */

START_TEST(test_init_defaults)
{
    ck_assert_str_eq(rev.path, "versions/r.sql");
    ck_assert_str_eq(rev.message, "");
    ck_assert_str_eq(rev.doc, "");
    ck_assert_str_eq(rev.create_date, "");
    ck_assert_ptr_null(rev.id);
    ck_assert_uint_eq(rev.ndown, 0);
}
END_TEST

START_TEST(test_full_header)
{
    ck_assert_int_eq(add(MGR_META_MESSAGE, "  add metrics \t", 1), MGR_OK);
    ck_assert_int_eq(add(MGR_META_REVISION, " 3f2a9c1b7d10\r", 3), MGR_OK);
    ck_assert_int_eq(add(MGR_META_REVISES, "9b1c0d2e4f56", 4), MGR_OK);
    ck_assert_int_eq(add(MGR_META_CREATE_DATE, " 2026-11-24 12:00 ", 5),
                     MGR_OK);
    ck_assert_int_eq(add(MGR_META_BRANCH_LABELS, "financials", 6), MGR_OK);
    ck_assert_int_eq(add(MGR_META_DEPENDS_ON, "1c2d3e4f5a6b", 7), MGR_OK);
    ck_assert_int_eq(meta_finish(&meta, &err), MGR_OK);

    ck_assert_str_eq(rev.message, "add metrics");
    ck_assert_str_eq(rev.id, "3f2a9c1b7d10");
    ck_assert_int_eq(rev.id_line, 3);
    ck_assert_uint_eq(rev.ndown, 1);
    ck_assert_str_eq(rev.down[0], "9b1c0d2e4f56");
    ck_assert_str_eq(rev.create_date, "2026-11-24 12:00");
    ck_assert_uint_eq(rev.nlabels, 1);
    ck_assert_str_eq(rev.labels[0], "financials");
    ck_assert_uint_eq(rev.ndepends, 1);
    ck_assert_str_eq(rev.depends[0], "1c2d3e4f5a6b");
}
END_TEST

START_TEST(test_lists_split_and_trimmed)
{
    ck_assert_int_eq(add(MGR_META_REVISES, " a1 ,b2,\tc3 ", 2), MGR_OK);
    ck_assert_uint_eq(rev.ndown, 3);
    ck_assert_str_eq(rev.down[0], "a1");
    ck_assert_str_eq(rev.down[1], "b2");
    ck_assert_str_eq(rev.down[2], "c3");

    ck_assert_int_eq(add(MGR_META_BRANCH_LABELS, "team-a, x_1", 3), MGR_OK);
    ck_assert_uint_eq(rev.nlabels, 2);
    ck_assert_str_eq(rev.labels[0], "team-a");
    ck_assert_str_eq(rev.labels[1], "x_1");

    /* Depends On takes ids and labels alike */
    ck_assert_int_eq(add(MGR_META_DEPENDS_ON, "ab12,team-b", 4), MGR_OK);
    ck_assert_uint_eq(rev.ndepends, 2);
    ck_assert_str_eq(rev.depends[1], "team-b");
}
END_TEST

START_TEST(test_empty_lists_mean_none)
{
    ck_assert_int_eq(add(MGR_META_REVISION, "a", 1), MGR_OK);
    ck_assert_int_eq(add(MGR_META_REVISES, "   ", 2), MGR_OK);
    ck_assert_int_eq(add(MGR_META_BRANCH_LABELS, "", 3), MGR_OK);
    ck_assert_int_eq(meta_finish(&meta, &err), MGR_OK);
    ck_assert_uint_eq(rev.ndown, 0);
    ck_assert_ptr_null(rev.down);
    ck_assert_uint_eq(rev.nlabels, 0);
    /* an empty field still counts as given */
    ck_assert_fails(add(MGR_META_REVISES, "b", 5),
                    "versions/r.sql:5: 'Revises' given twice (first on "
                    "line 2)");
}
END_TEST

START_TEST(test_doc_lines_joined)
{
    ck_assert_int_eq(add(MGR_META_DOC, "", 2), MGR_OK);
    ck_assert_int_eq(add(MGR_META_DOC, "  first line ", 3), MGR_OK);
    ck_assert_int_eq(add(MGR_META_DOC, "second line", 4), MGR_OK);
    ck_assert_int_eq(add(MGR_META_DOC, "", 5), MGR_OK);
    ck_assert_int_eq(add(MGR_META_DOC, " ", 6), MGR_OK);
    ck_assert_int_eq(add(MGR_META_DOC, "next paragraph", 7), MGR_OK);
    ck_assert_int_eq(add(MGR_META_DOC, "", 8), MGR_OK);
    ck_assert_str_eq(rev.doc, "first line\nsecond line\n\nnext paragraph");
}
END_TEST

START_TEST(test_valid_identifiers)
{
    ck_assert(meta_valid_id("abc_DEF_019", 11));
    ck_assert(meta_valid_id("heads_up", 8));
    ck_assert(!meta_valid_id("", 0));
    ck_assert(!meta_valid_id("a-b", 3));
    ck_assert(!meta_valid_id("head", 4));
    ck_assert(!meta_valid_id("current", 7));
    ck_assert(meta_valid_id("Head", 4)); /* reserved words are exact */

    ck_assert(meta_valid_label("release-2", 9));
    ck_assert(meta_valid_label("_x", 2));
    ck_assert(!meta_valid_label("-x", 2));
    ck_assert(!meta_valid_label("a@b", 3));
    ck_assert(!meta_valid_label("a:b", 3));
    ck_assert(!meta_valid_label("a+1", 3));
    ck_assert(!meta_valid_label("a.b", 3));
    ck_assert(!meta_valid_label("base", 4));
}
END_TEST

/* ---- errors -------------------------------------------------------------- */

START_TEST(test_field_given_twice)
{
    ck_assert_int_eq(add(MGR_META_REVISION, "a", 3), MGR_OK);
    ck_assert_fails(add(MGR_META_REVISION, "a", 9),
                    "versions/r.sql:9: 'Revision ID' given twice (first on "
                    "line 3)");
    ck_assert_str_eq(rev.id, "a"); /* the first stays */

    ck_assert_int_eq(add(MGR_META_MESSAGE, "m", 1), MGR_OK);
    ck_assert_fails(add(MGR_META_MESSAGE, "m2", 2),
                    "versions/r.sql:2: 'message' given twice (first on line "
                    "1)");
    ck_assert_int_eq(add(MGR_META_DEPENDS_ON, "x", 4), MGR_OK);
    ck_assert_fails(add(MGR_META_DEPENDS_ON, "y", 6),
                    "versions/r.sql:6: 'Depends On' given twice (first on "
                    "line 4)");
    ck_assert_int_eq(add(MGR_META_CREATE_DATE, "today", 7), MGR_OK);
    ck_assert_fails(add(MGR_META_CREATE_DATE, "today", 8),
                    "versions/r.sql:8: 'Create Date' given twice (first on "
                    "line 7)");
    ck_assert_int_eq(add(MGR_META_BRANCH_LABELS, "l", 10), MGR_OK);
    ck_assert_fails(add(MGR_META_BRANCH_LABELS, "l", 11),
                    "versions/r.sql:11: 'Branch Labels' given twice (first "
                    "on line 10)");
}
END_TEST

START_TEST(test_empty_revision_id)
{
    ck_assert_fails(add(MGR_META_REVISION, " \t ", 4),
                    "versions/r.sql:4: 'Revision ID' is empty; give the "
                    "revision's id");
    ck_assert_ptr_null(rev.id);
    /* the failed field was not recorded as given */
    ck_assert_fails(meta_finish(&meta, &err),
                    "versions/r.sql: no 'Revision ID' in the header; add "
                    "'-- Revision ID: <id>'");
}
END_TEST

START_TEST(test_missing_revision_id)
{
    ck_assert_int_eq(add(MGR_META_MESSAGE, "m", 1), MGR_OK);
    ck_assert_fails(meta_finish(&meta, &err),
                    "versions/r.sql: no 'Revision ID' in the header; add "
                    "'-- Revision ID: <id>'");
}
END_TEST

START_TEST(test_missing_revision_id_other_format)
{
    struct revision other;
    struct mgr_script_meta m;

    memset(&other, 0, sizeof(other));
    meta_init(&m, &other, "versions/r.c");
    ck_assert_fails(meta_finish(&m, &err),
                    "versions/r.c: no 'Revision ID' in the header; add a "
                    "'Revision ID: <id>' line");
    revision_release(&other);
}
END_TEST

START_TEST(test_bad_revision_ids)
{
    ck_assert_fails(add(MGR_META_REVISION, "ab-12", 3),
                    "versions/r.sql:3: 'ab-12' in 'Revision ID' is not a "
                    "valid revision id; use only letters, digits and '_'");
    ck_assert_fails(add(MGR_META_REVISION, "ab 12", 3),
                    "versions/r.sql:3: 'ab 12' in 'Revision ID' is not a "
                    "valid revision id; use only letters, digits and '_'");
    ck_assert_fails(add(MGR_META_REVISION, "caf\xc3\xa9", 3),
                    "versions/r.sql:3: 'caf\xc3\xa9' in 'Revision ID' is "
                    "not a valid revision id; use only letters, digits and "
                    "'_'");
    ck_assert_fails(add(MGR_META_REVISES, "a1, b@2", 4),
                    "versions/r.sql:4: 'b@2' in 'Revises' is not a valid "
                    "revision id; use only letters, digits and '_'");
    ck_assert_uint_eq(rev.ndown, 0); /* nothing kept from a failed list */
    ck_assert_ptr_null(rev.id);
}
END_TEST

START_TEST(test_reserved_words)
{
    ck_assert_fails(add(MGR_META_REVISION, "head", 3),
                    "versions/r.sql:3: 'head' in 'Revision ID' is a reserved "
                    "word, not a revision id; choose another name");
    ck_assert_fails(add(MGR_META_REVISES, "base", 4),
                    "versions/r.sql:4: 'base' in 'Revises' is a reserved "
                    "word, not a revision id; choose another name");
    ck_assert_fails(add(MGR_META_BRANCH_LABELS, "x, heads", 5),
                    "versions/r.sql:5: 'heads' in 'Branch Labels' is a "
                    "reserved word, not a branch label; choose another name");
    ck_assert_fails(add(MGR_META_DEPENDS_ON, "current", 6),
                    "versions/r.sql:6: 'current' in 'Depends On' is a "
                    "reserved word, not a revision id or branch label; "
                    "choose another name");
}
END_TEST

START_TEST(test_bad_labels)
{
    ck_assert_fails(add(MGR_META_BRANCH_LABELS, "a@b", 2),
                    "versions/r.sql:2: 'a@b' in 'Branch Labels' is not a "
                    "valid branch label; use only letters, digits, '_' and "
                    "'-' (not first)");
    ck_assert_fails(add(MGR_META_BRANCH_LABELS, "x:y", 2),
                    "versions/r.sql:2: 'x:y' in 'Branch Labels' is not a "
                    "valid branch label; use only letters, digits, '_' and "
                    "'-' (not first)");
    ck_assert_fails(add(MGR_META_BRANCH_LABELS, "two words", 2),
                    "versions/r.sql:2: 'two words' in 'Branch Labels' is not "
                    "a valid branch label; use only letters, digits, '_' and "
                    "'-' (not first)");
    ck_assert_fails(add(MGR_META_BRANCH_LABELS, "-1", 2),
                    "versions/r.sql:2: '-1' in 'Branch Labels' is not a "
                    "valid branch label; use only letters, digits, '_' and "
                    "'-' (not first)");
    ck_assert_fails(add(MGR_META_DEPENDS_ON, "lbl@head", 3),
                    "versions/r.sql:3: 'lbl@head' in 'Depends On' is not a "
                    "valid revision id or branch label; use only letters, "
                    "digits, '_' and '-' (not first)");
}
END_TEST

START_TEST(test_bad_list_entries)
{
    ck_assert_fails(add(MGR_META_REVISES, "a,,b", 2),
                    "versions/r.sql:2: empty entry in 'Revises'; separate "
                    "entries with single commas");
    ck_assert_fails(add(MGR_META_REVISES, "a, ", 2),
                    "versions/r.sql:2: empty entry in 'Revises'; separate "
                    "entries with single commas");
    ck_assert_fails(add(MGR_META_DEPENDS_ON, ",a", 2),
                    "versions/r.sql:2: empty entry in 'Depends On'; separate "
                    "entries with single commas");
    ck_assert_fails(add(MGR_META_REVISES, "a, b, a", 3),
                    "versions/r.sql:3: 'a' is listed twice in 'Revises'");
    ck_assert_fails(add(MGR_META_BRANCH_LABELS, "x,x", 4),
                    "versions/r.sql:4: 'x' is listed twice in 'Branch "
                    "Labels'");
    ck_assert_uint_eq(rev.ndown, 0);
    ck_assert_uint_eq(rev.nlabels, 0);
}
END_TEST

START_TEST(test_nul_in_value)
{
    ck_assert_fails(meta_add(&meta, MGR_META_MESSAGE, "a\0b", 3, 1, &err),
                    "versions/r.sql:1: NUL byte");
}
END_TEST

START_TEST(test_unknown_field)
{
    ck_assert_int_eq(meta_add(&meta, (enum mgr_meta_field)99, "x", 1, 2,
                              &err),
                     MGR_EPLUGIN);
    ck_assert_str_eq(err.msg, "versions/r.sql:2: unknown header field 99 "
                              "from the format plugin");
}
END_TEST

START_TEST(test_null_error_is_allowed)
{
    ck_assert_int_eq(meta_add(&meta, MGR_META_REVISION, "a-b", 3, 1, NULL),
                     MGR_ESCRIPT);
    ck_assert_int_eq(meta_finish(&meta, NULL), MGR_ESCRIPT);
}
END_TEST

/* ---- limits -------------------------------------------------------------- */

START_TEST(test_id_length_limit)
{
    const char *id32 = "abcdefghijklmnopqrstuvwxyz012345";
    const char *id33 = "abcdefghijklmnopqrstuvwxyz0123456";

    ck_assert_uint_eq(strlen(id32), 32);
    ck_assert_fails(add(MGR_META_REVISION, id33, 3),
                    "versions/r.sql:3: 'abcdefghijklmnopqrstuvwxyz0123456' "
                    "in 'Revision ID' is 33 characters long; a revision id "
                    "has at most 32");
    ck_assert_int_eq(add(MGR_META_REVISION, id32, 3), MGR_OK);
    ck_assert_str_eq(rev.id, id32);

    ck_assert_fails(add(MGR_META_REVISES, id33, 4),
                    "versions/r.sql:4: 'abcdefghijklmnopqrstuvwxyz0123456' "
                    "in 'Revises' is 33 characters long; a revision id has "
                    "at most 32");
    ck_assert_int_eq(add(MGR_META_REVISES, id32, 4), MGR_OK);
    ck_assert_uint_eq(rev.ndown, 1);
}
END_TEST

START_TEST(test_label_length_limit)
{
    char label[70];

    memset(label, 'l', 65);
    label[65] = '\0';
    ck_assert_int_eq(add(MGR_META_BRANCH_LABELS, label, 2), MGR_ESCRIPT);
    ck_assert_ptr_nonnull(strstr(err.msg, "is 65 characters long; a branch "
                                          "label has at most 64"));
    label[64] = '\0';
    ck_assert_int_eq(add(MGR_META_BRANCH_LABELS, label, 2), MGR_OK);
    ck_assert_uint_eq(strlen(rev.labels[0]), 64);
}
END_TEST

START_TEST(test_long_value_quoted_short)
{
    char value[2000];

    memset(value, 'x', sizeof(value) - 1);
    value[sizeof(value) - 1] = '\0';
    value[1500] = '!';
    ck_assert_int_eq(add(MGR_META_REVISION, value, 3), MGR_ESCRIPT);
    ck_assert_str_eq(err.msg,
                     "versions/r.sql:3: "
                     "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' in "
                     "'Revision ID' is not a valid revision id; use only "
                     "letters, digits and '_'");
}
END_TEST

START_TEST(test_quoted_value_cut_at_character)
{
    /* 39 ASCII bytes then a 2-byte character across the 40-byte cut */
    char value[64];

    memset(value, 'a', 39);
    memcpy(value + 39, "\xc3\xa9zz", 5);
    ck_assert_int_eq(add(MGR_META_REVISION, value, 3), MGR_ESCRIPT);
    ck_assert_ptr_nonnull(strstr(err.msg, "aaa...' in 'Revision ID'"));
    ck_assert_ptr_null(strstr(err.msg, "\xc3..."));
}
END_TEST

static Suite *meta_suite(void)
{
    Suite *s = suite_create("meta");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_init_defaults);
    tcase_add_test(tc, test_full_header);
    tcase_add_test(tc, test_lists_split_and_trimmed);
    tcase_add_test(tc, test_empty_lists_mean_none);
    tcase_add_test(tc, test_doc_lines_joined);
    tcase_add_test(tc, test_valid_identifiers);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_field_given_twice);
    tcase_add_test(tc, test_empty_revision_id);
    tcase_add_test(tc, test_missing_revision_id);
    tcase_add_test(tc, test_missing_revision_id_other_format);
    tcase_add_test(tc, test_bad_revision_ids);
    tcase_add_test(tc, test_reserved_words);
    tcase_add_test(tc, test_bad_labels);
    tcase_add_test(tc, test_bad_list_entries);
    tcase_add_test(tc, test_nul_in_value);
    tcase_add_test(tc, test_unknown_field);
    tcase_add_test(tc, test_null_error_is_allowed);
    suite_add_tcase(s, tc);

    tc = tcase_create("limits");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_id_length_limit);
    tcase_add_test(tc, test_label_length_limit);
    tcase_add_test(tc, test_long_value_quoted_short);
    tcase_add_test(tc, test_quoted_value_cut_at_character);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(meta_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
