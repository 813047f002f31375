/* check_dburl.c: dialects of URLs, and passwords masked everywhere. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "dburl.h"

static char *masked(const char *url)
{
    struct mgr_buf out = MGR_BUF_INIT;

    dburl_mask(url, &out);
    return mgr_buf_detach(&out, NULL);
}

static char *redacted(const char *url, const char *text)
{
    struct mgr_buf out = MGR_BUF_INIT;

    mgr_buf_addstr(&out, text);
    dburl_redact(url, &out);
    return mgr_buf_detach(&out, NULL);
}

#define EXPECT_MASK(url, want)                                          \
    do {                                                                \
        char *got_ = masked(url);                                       \
        ck_assert_str_eq(got_, want);                                   \
        free(got_);                                                     \
    } while (0)

#define EXPECT_REDACT(url, text, want)                                  \
    do {                                                                \
        char *got_ = redacted(url, text);                               \
        ck_assert_str_eq(got_, want);                                   \
        free(got_);                                                     \
    } while (0)

/* The scheme of url, or "-" when it has none. */
static const char *scheme_of(const char *url)
{
    static char out[64];

    if (dburl_scheme(url, out, sizeof(out)) != 0)
        return "-";
    return out;
}

START_TEST(test_schemes)
{
    ck_assert_str_eq(scheme_of("sqlite:///x.db"), "sqlite");
    ck_assert_str_eq(scheme_of("sqlite://"), "sqlite");
    ck_assert_str_eq(scheme_of("SQLite:///x.db"), "sqlite");
    ck_assert_str_eq(scheme_of("postgresql://u@h/db"), "postgresql");
    ck_assert_str_eq(scheme_of("postgres://u@h/db"), "postgres");
    ck_assert_str_eq(scheme_of("postgresql+psycopg2://h/db"),
                     "postgresql");
    ck_assert_str_eq(scheme_of("mydb+native://h/db"), "mydb");
    ck_assert_str_eq(scheme_of("host=/tmp dbname=x"),
                     DBURL_CONNINFO_SCHEME);
    ck_assert_str_eq(scheme_of("just-a-word"), "-");
    ck_assert_str_eq(scheme_of("://no-scheme"), "-");
    ck_assert_str_eq(scheme_of("+drv://x"), "-");
    ck_assert_str_eq(scheme_of("a b://x"), "-");
}
END_TEST

START_TEST(test_scheme_too_long)
{
    char out[4];

    ck_assert_int_eq(dburl_scheme("sqlite:///x", out, sizeof(out)), -1);
    ck_assert_int_eq(dburl_scheme("abc://x", out, sizeof(out)), 0);
    ck_assert_str_eq(out, "abc");
}
END_TEST

START_TEST(test_mask_uri)
{
    EXPECT_MASK("postgresql://alice:S3cr3t@db.example/app",
                "postgresql://alice:****@db.example/app");
    EXPECT_MASK("postgresql://alice@db/app", "postgresql://alice@db/app");
    /* A raw '@' or '/' in the password: the last '@' ends it. */
    EXPECT_MASK("postgresql://alice:S3cr3t;%zz@x/y@127.0.0.1:1/db",
                "postgresql://alice:****@127.0.0.1:1/db");
    EXPECT_MASK("postgresql://h/db?user=a&password=S3cr3t&sslmode=require",
                "postgresql://h/db?user=a&password=****&sslmode=require");
    EXPECT_MASK("sqlite:////abs/path@weird.db", "sqlite:////abs/path@weird.db");
}
END_TEST

START_TEST(test_mask_conninfo)
{
    EXPECT_MASK("host=h password=S3cr3t dbname=d",
                "host=h password=**** dbname=d");
    EXPECT_MASK("host=h user=alice password = 'S3 cr\\'3t' dbname=d",
                "host=h user=alice password = '****' dbname=d");
    EXPECT_MASK("password=S3cr3t", "password=****");
}
END_TEST

START_TEST(test_redact_what_libraries_echo)
{
    /* libpq reads a URL password up to the first '@'. */
    EXPECT_REDACT("postgresql://alice:S3cr3t;%zz@x@127.0.0.1:1/db",
                  "invalid percent-encoded token: \"S3cr3t;%zz\"",
                  "invalid percent-encoded token: \"****\"");
    /* ... or decodes it. */
    EXPECT_REDACT("postgresql://alice:p%40ss@h/db", "bad password p@ss",
                  "bad password ****");
    EXPECT_REDACT("host=h password='S3cr3t;%zz@x' port=1",
                  "password 'S3cr3t;%zz@x' rejected",
                  "password '****' rejected");
    EXPECT_REDACT("postgresql://h/db?password=S3cr3t", "got S3cr3t",
                  "got ****");
    EXPECT_REDACT("sqlite:///x.db", "nothing to hide", "nothing to hide");
}
END_TEST

/* What libpq reads as a secret, whatever the spelling. */
START_TEST(test_mask_what_libpq_reads)
{
    /* Query keys are percent-decoded by libpq before they are matched. */
    EXPECT_MASK("postgresql://h/db?pass%77ord=S3cr3t&user=a",
                "postgresql://h/db?pass%77ord=****&user=a");
    EXPECT_MASK("postgresql://h/db?%70%61ssword=S3cr3t",
                "postgresql://h/db?%70%61ssword=****");
    /* Every secret option, not only password. */
    EXPECT_MASK("postgresql://h/db?sslpassword=S3cr3t&sslmode=require",
                "postgresql://h/db?sslpassword=****&sslmode=require");
    EXPECT_MASK("postgresql://h/db?sslpass%77ord=S3cr3t",
                "postgresql://h/db?sslpass%77ord=****");
    EXPECT_MASK("host=h sslpassword = 'S3 cr3t' dbname=d",
                "host=h sslpassword = '****' dbname=d");
    EXPECT_MASK("host=h oauth_client_secret=S3cr3t",
                "host=h oauth_client_secret=****");
    /* An unquoted conninfo value runs past an escaped space. */
    EXPECT_MASK("host=h password=S3\\ cr3t dbname=d",
                "host=h password=**** dbname=d");
    /* Names that only contain a secret key are not secret. */
    EXPECT_MASK("host=h passwordx=a dbname=d", "host=h passwordx=a dbname=d");
    EXPECT_MASK("postgresql://h/db?xpassword=a",
                "postgresql://h/db?xpassword=a");
}
END_TEST

START_TEST(test_redact_what_libpq_reads)
{
    EXPECT_REDACT("postgresql://h/db?pass%77ord=S3cr3t", "got S3cr3t",
                  "got ****");
    EXPECT_REDACT("postgresql://h/db?sslpassword=S3cr%2At",
                  "bad S3cr%2At or S3cr*t", "bad **** or ****");
    EXPECT_REDACT("host=h sslpassword='S3 cr\\'3t'",
                  "bad S3 cr'3t", "bad ****");
    EXPECT_REDACT("host=h password=S3\\ cr3t", "bad S3 cr3t", "bad ****");
    ck_assert(dburl_has_secret("host=h sslpassword=x"));
    ck_assert(dburl_has_secret("postgresql://h/d?pass%77ord=x"));
    ck_assert(!dburl_has_secret("postgresql://u@h/d?sslmode=require"));
}
END_TEST

static Suite *dburl_suite(void)
{
    Suite *s = suite_create("dburl");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_schemes);
    tcase_add_test(tc, test_scheme_too_long);
    tcase_add_test(tc, test_mask_uri);
    tcase_add_test(tc, test_mask_conninfo);
    tcase_add_test(tc, test_redact_what_libraries_echo);
    tcase_add_test(tc, test_mask_what_libpq_reads);
    tcase_add_test(tc, test_redact_what_libpq_reads);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(dburl_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
