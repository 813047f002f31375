/* check_script_cache.c: a command reads each script once (script_cache.h). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checksum.h"
#include "script_cache.h"

static char dir[] = "/tmp/check_script_cache.XXXXXX";
static char path[sizeof(dir) + 16];

static void write_file(const char *text)
{
    FILE *f = fopen(path, "w");

    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

static void setup(void)
{
    strcpy(dir, "/tmp/check_script_cache.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/r1.sql", dir);
}

static void teardown(void)
{
    unlink(path);
    rmdir(dir);
}

/* An edit after the first read changes nothing for the command: the
 * statements and the checksum are of the same bytes. */
START_TEST(later_reads_and_checksum_see_the_first_text)
{
    struct script_cache *c = script_cache_new();
    struct mgr_error err;
    char sum[CHECKSUM_SIZE], want[CHECKSUM_SIZE];
    const char *text;
    size_t len;

    write_file("CREATE TABLE a (x int);\n");
    ck_assert_int_eq(script_cache_text(c, path, &text, &len, &err), MGR_OK);
    ck_assert_str_eq(text, "CREATE TABLE a (x int);\n");
    write_file("DROP TABLE precious;\n");
    ck_assert_int_eq(script_cache_text(c, path, &text, &len, &err), MGR_OK);
    ck_assert_str_eq(text, "CREATE TABLE a (x int);\n");
    ck_assert_uint_eq(len, strlen(text));
    ck_assert_int_eq(script_cache_checksum(c, path, sum, &err), MGR_OK);
    checksum_text("CREATE TABLE a (x int);\n", 24, want);
    ck_assert_str_eq(sum, want);
    script_cache_free(c);

    /* The next command reads the file as it is now. */
    c = script_cache_new();
    ck_assert_int_eq(script_cache_text(c, path, &text, &len, &err), MGR_OK);
    ck_assert_str_eq(text, "DROP TABLE precious;\n");
    script_cache_free(c);
}
END_TEST

/* One command hands the texts its scan read to its run; any later run (a
 * project an application keeps open) reads the files again. */
START_TEST(a_run_keeps_only_texts_handed_to_it)
{
    struct script_cache *c = script_cache_new();
    struct mgr_error err;
    const char *text;
    size_t len;

    write_file("-- one\n");
    ck_assert_int_eq(script_cache_text(c, path, &text, &len, &err), MGR_OK);
    script_cache_hand_to_run(c);
    write_file("-- two\n");
    script_cache_begin_run(c);
    ck_assert_int_eq(script_cache_text(c, path, &text, &len, &err), MGR_OK);
    ck_assert_str_eq(text, "-- one\n");

    script_cache_begin_run(c);
    ck_assert_int_eq(script_cache_text(c, path, &text, &len, &err), MGR_OK);
    ck_assert_str_eq(text, "-- two\n");

    /* a clear (a new scan) also takes back what was handed over */
    script_cache_hand_to_run(c);
    script_cache_clear(c);
    write_file("-- three\n");
    ck_assert_int_eq(script_cache_text(c, path, &text, &len, &err), MGR_OK);
    write_file("-- four\n");
    script_cache_begin_run(c);
    ck_assert_int_eq(script_cache_text(c, path, &text, &len, &err), MGR_OK);
    ck_assert_str_eq(text, "-- four\n");
    script_cache_free(c);
}
END_TEST

static void write_at(const char *file, const char *text)
{
    FILE *f = fopen(file, "w");

    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

/* Scripts of the same name in two directories are told apart; once the
 * texts are forgotten, a directory replaced under the same name is read
 * anew, not through the one open before. */
START_TEST(directories_told_apart_and_never_kept_stale)
{
    struct script_cache *c = script_cache_new();
    char a[sizeof(dir) + 8], b[sizeof(dir) + 8], old[sizeof(dir) + 8];
    char fa[sizeof(dir) + 16], fb[sizeof(dir) + 16], fold[sizeof(dir) + 16];
    struct mgr_error err;
    const char *text;
    size_t len;

    snprintf(a, sizeof(a), "%s/a", dir);
    snprintf(b, sizeof(b), "%s/b", dir);
    snprintf(old, sizeof(old), "%s/old", dir);
    snprintf(fa, sizeof(fa), "%s/r.sql", a);
    snprintf(fb, sizeof(fb), "%s/r.sql", b);
    snprintf(fold, sizeof(fold), "%s/r.sql", old);
    ck_assert_int_eq(mkdir(a, 0700), 0);
    ck_assert_int_eq(mkdir(b, 0700), 0);
    write_at(fa, "-- in a\n");
    write_at(fb, "-- in b\n");
    ck_assert_int_eq(script_cache_text(c, fa, &text, &len, &err), MGR_OK);
    ck_assert_str_eq(text, "-- in a\n");
    ck_assert_int_eq(script_cache_text(c, fb, &text, &len, &err), MGR_OK);
    ck_assert_str_eq(text, "-- in b\n");

    script_cache_clear(c);
    ck_assert_int_eq(rename(b, old), 0);
    ck_assert_int_eq(mkdir(b, 0700), 0);
    write_at(fb, "-- new b\n");
    ck_assert_int_eq(script_cache_text(c, fb, &text, &len, &err), MGR_OK);
    ck_assert_str_eq(text, "-- new b\n");
    script_cache_free(c);

    unlink(fa);
    unlink(fb);
    unlink(fold);
    rmdir(a);
    rmdir(b);
    rmdir(old);
}
END_TEST

START_TEST(missing_file_is_an_io_error_naming_it)
{
    struct script_cache *c = script_cache_new();
    struct mgr_error err;
    char sum[CHECKSUM_SIZE];

    ck_assert_int_eq(script_cache_checksum(c, path, sum, &err), MGR_EIO);
    ck_assert_ptr_nonnull(strstr(err.msg, "r1.sql"));
    script_cache_free(c);
}
END_TEST

START_TEST(empty_file_is_empty_text)
{
    struct script_cache *c = script_cache_new();
    struct mgr_error err;
    const char *text;
    size_t len = 99;

    write_file("");
    ck_assert_int_eq(script_cache_text(c, path, &text, &len, &err), MGR_OK);
    ck_assert_str_eq(text, "");
    ck_assert_uint_eq(len, 0);
    script_cache_free(c);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("script_cache");
    TCase *tc = tcase_create("core");
    SRunner *sr;
    int failed;

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, later_reads_and_checksum_see_the_first_text);
    tcase_add_test(tc, a_run_keeps_only_texts_handed_to_it);
    tcase_add_test(tc, directories_told_apart_and_never_kept_stale);
    tcase_add_test(tc, missing_file_is_an_io_error_naming_it);
    tcase_add_test(tc, empty_file_is_empty_text);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
