/*
 * check_plugin_common.c: the kit the plugins share (plugins/common): UTF-8
 * checks, errors through the host API, the lines of a script and the
 * fields of its header, driven with the shared mock host.
 */
#include "autoconfig.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <migrator/plugin.h>

#include "fail.h"
#include "header_keys.h"
#include "mock_host.h"
#include "mock_meta.h"
#include "plugin_state.h"
#include "script_text.h"
#include "utf8.h"
#include "visible.h"

static struct mgr_host_api api;
static struct mgr_script_meta meta;
static struct mgr_error err;
static char path[64];

static void setup(void)
{
    mock_host_api_init(&api);
    api.meta_add = mock_meta_add;
    mock_host_reset();
    memset(&meta, 0, sizeof(meta));
    memset(&err, 0, sizeof(err));
    path[0] = '\0';
}

static void teardown(void)
{
    mock_meta_release(&meta);
    if (path[0])
        unlink(path);
}

/* Feed lines (NULL-terminated) to a header reader, numbered from 1. */
static void feed(const char *const *lines)
{
    struct header_keys hk;

    header_keys_init(&hk, &api, &meta);
    for (int i = 0; lines[i]; i++)
        ck_assert_int_eq(header_keys_line(&hk, lines[i], strlen(lines[i]),
                                          i + 1, &err),
                         MGR_OK);
}

static void write_file(const char *text, size_t len)
{
    const char *tmp = getenv("TMPDIR");
    FILE *f;
    int fd;

    snprintf(path, sizeof(path), "%s/check_plugin_common.XXXXXX",
             tmp && *tmp && strlen(tmp) < 32 ? tmp : "/tmp");
    fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    f = fdopen(fd, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(text, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
}

/* ---- utf8 --------------------------------------------------------------- */

START_TEST(test_utf8_valid_prefix)
{
    static const struct {
        const char *s;
        size_t valid, chars;
    } cases[] = {
        { "", 0, 0 },
        { "plain", 5, 5 },
        { "a\xc3\xa9z", 4, 3 },              /* e acute */
        { "\xf0\x9f\x98\x80!", 5, 2 },       /* U+1F600 */
        { "ab\x80", 2, 2 },                  /* stray continuation */
        { "a\xc0\xaf", 1, 1 },               /* overlong '/' */
        { "\xe0\x80\xaf", 0, 0 },            /* overlong, 3 bytes */
        { "x\xed\xa0\x80", 1, 1 },           /* a surrogate */
        { "\xf4\x90\x80\x80", 0, 0 },        /* past U+10FFFF */
        { "\xe2\x82", 0, 0 },                /* truncated */
        { "\xe2\x28\xac", 0, 0 },            /* bad continuation */
        { "ok\xff", 2, 2 },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *s = cases[i].s;
        size_t chars = 99;

        ck_assert_msg(utf8_valid_prefix((const unsigned char *)s, strlen(s),
                                        &chars) == cases[i].valid,
                      "case %zu", i);
        ck_assert_msg(chars == cases[i].chars, "case %zu: %zu chars", i,
                      chars);
    }
    ck_assert_uint_eq(utf8_valid_prefix((const unsigned char *)"ab", 2,
                                        NULL),
                      2);
}
END_TEST

START_TEST(test_utf8_cut_and_continuation)
{
    const char *s = "ab\xc3\xa9z"; /* 5 bytes, 4 characters */

    ck_assert(utf8_is_continuation(0x80));
    ck_assert(utf8_is_continuation(0xbf));
    ck_assert(!utf8_is_continuation('a'));
    ck_assert(!utf8_is_continuation(0xc3));
    ck_assert_uint_eq(utf8_cut(s, 5, 40), 5);
    ck_assert_uint_eq(utf8_cut(s, 5, 4), 4);
    ck_assert_uint_eq(utf8_cut(s, 5, 3), 2); /* not half of the e acute */
    ck_assert_uint_eq(utf8_cut(s, 5, 2), 2);
    ck_assert_uint_eq(utf8_cut(s, 5, 0), 0);
}
END_TEST

/* ---- fail --------------------------------------------------------------- */

START_TEST(test_fail_messages)
{
    ck_assert_int_eq(plugin_fail(&api, &err, MGR_EIO, 2, "cannot open '%s'",
                                 "x"),
                     MGR_EIO);
    ck_assert_int_eq(err.code, MGR_EIO);
    ck_assert_int_eq(err.sys_errno, 2);
    ck_assert_str_eq(err.msg, "cannot open 'x': No such file or directory");

    ck_assert_int_eq(plugin_fail_at(&api, &err, MGR_ESCRIPT, "r.sql", 7,
                                    "bad %s", "marker"),
                     MGR_ESCRIPT);
    ck_assert_str_eq(err.msg, "r.sql:7: bad marker");
    ck_assert_int_eq(err.sys_errno, 0);
    plugin_fail_at(&api, &err, MGR_ESCRIPT, "r.sql", 0, "no section");
    ck_assert_str_eq(err.msg, "r.sql: no section");

    /* No err: nothing to fill, the code all the same. */
    mock_host_reset();
    ck_assert_int_eq(plugin_fail(&api, NULL, MGR_EIO, 0, "x"), MGR_EIO);
    ck_assert_int_eq(plugin_fail_at(&api, NULL, MGR_EIO, "p", 1, "x"),
                     MGR_EIO);
    ck_assert_int_eq(mock_error_calls, 0);
}
END_TEST

/* ---- script lines ------------------------------------------------------- */

START_TEST(test_check_line)
{
    ck_assert_int_eq(script_check_line(&api, "r.sql", "caf\xc3\xa9", 5, 3,
                                       &err),
                     MGR_OK);
    ck_assert_int_eq(script_check_line(&api, "r.sql", "ab\0c", 4, 3, &err),
                     MGR_ESCRIPT);
    ck_assert_str_eq(err.msg, "r.sql:3: NUL byte");
    /* The column counts characters: the bad byte is the fourth. */
    ck_assert_int_eq(script_check_line(&api, "r.sql", "\xc3\xa9" "ab\xff",
                                       5, 9, &err),
                     MGR_ESCRIPT);
    ck_assert_str_eq(err.msg, "r.sql:9:4: invalid UTF-8");
}
END_TEST

START_TEST(test_trim)
{
    const char *s = " \t a b \r\f";
    size_t len = strlen(s);

    text_trim(&s, &len);
    ck_assert_uint_eq(len, 3);
    ck_assert(strncmp(s, "a b", 3) == 0);
    s = "  ";
    len = 2;
    text_trim(&s, &len);
    ck_assert_uint_eq(len, 0);
}
END_TEST

START_TEST(test_line_reader)
{
    static const char text[] = "\xef\xbb\xbf-- one\r\n\ntwo\nlast";
    struct line_reader r;
    const char *s;
    size_t len;
    bool eof;

    write_file(text, sizeof(text) - 1);
    ck_assert_int_eq(line_reader_open(&r, &api, NULL, path, &err), MGR_OK);
    ck_assert_int_eq(line_reader_next(&r, &s, &len, &eof, &err), MGR_OK);
    ck_assert(!eof);
    ck_assert_int_eq(r.no, 1);
    ck_assert_uint_eq(len, 6); /* no BOM, no "\r\n" */
    ck_assert(strncmp(s, "-- one", 6) == 0);
    ck_assert_int_eq(line_reader_next(&r, &s, &len, &eof, &err), MGR_OK);
    ck_assert_uint_eq(len, 0);
    ck_assert_int_eq(line_reader_next(&r, &s, &len, &eof, &err), MGR_OK);
    ck_assert(strncmp(s, "two", len) == 0 && len == 3);
    ck_assert_int_eq(line_reader_next(&r, &s, &len, &eof, &err), MGR_OK);
    ck_assert(strncmp(s, "last", len) == 0 && len == 4);
    ck_assert_int_eq(r.no, 4);
    ck_assert_int_eq(line_reader_next(&r, &s, &len, &eof, &err), MGR_OK);
    ck_assert(eof);
    line_reader_close(&r);
}
END_TEST

/* What visible_put writes of s (len bytes) with keep. */
static const char *visible(const char *s, size_t len, unsigned keep)
{
    static char text[256];
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);

    ck_assert_ptr_nonnull(f);
    visible_put(f, s, len, keep);
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_uint_lt(size, sizeof(text));
    memcpy(text, buf, size + 1);
    free(buf);
    return text;
}

/* Runs of plain text go out as they are; every control, C1 control,
 * bidirectional override and byte that is not UTF-8 is escaped where it
 * stands. */
START_TEST(test_visible_put)
{
    static const char mixed[] = "ok\x1b[31mred\n\tend \xc2\x9b"
                                "\xe2\x80\xae caf\xc3\xa9\xff!";

    ck_assert_str_eq(visible("plain", 5, 0), "plain");
    ck_assert_str_eq(visible("", 0, 0), "");
    ck_assert_str_eq(visible(mixed, sizeof(mixed) - 1, VISIBLE_KEEP_NEWLINE),
                     "ok\\x1b[31mred\n\\x09end \\x9b\\u202e "
                     "caf\xc3\xa9\\xff!");
    ck_assert_str_eq(visible("a\tb\n", 4, VISIBLE_KEEP_TAB), "a\tb\\x0a");
    ck_assert_str_eq(visible("\x07", 1, 0), "\\x07");
}
END_TEST

START_TEST(test_line_reader_errors)
{
    static const char text[] = "fine\nno\xc0\xafpe\n";
    struct line_reader r;
    const char *s;
    size_t len;
    bool eof;

    ck_assert_int_eq(line_reader_open(&r, &api, NULL, "/nonexistent/r.sql", &err),
                     MGR_EIO);
    ck_assert_str_eq(err.msg, "cannot open '/nonexistent/r.sql': No such "
                              "file or directory");
    line_reader_close(&r);

    write_file(text, sizeof(text) - 1);
    ck_assert_int_eq(line_reader_open(&r, &api, NULL, path, &err), MGR_OK);
    ck_assert_int_eq(line_reader_next(&r, &s, &len, &eof, &err), MGR_OK);
    ck_assert_int_eq(line_reader_next(&r, &s, &len, &eof, &err),
                     MGR_ESCRIPT);
    ck_assert_ptr_nonnull(strstr(err.msg, ":2:3: invalid UTF-8"));
    line_reader_close(&r);
}
END_TEST

/* ---- header keys -------------------------------------------------------- */

START_TEST(test_header_parts)
{
    static const char *const lines[] = {
        "",
        "  add leases  ",
        "",
        "Why: the details.",
        "Revision ID: 3f2a",
        "free text after the keys",
        "Revises:",
        NULL,
    };

    feed(lines);
    ck_assert_int_eq(meta.n, 5);
    ck_assert_field(0, MGR_META_MESSAGE, "add leases", 2);
    ck_assert_field(1, MGR_META_DOC, "", 3);
    ck_assert_field(2, MGR_META_DOC, "Why: the details.", 4);
    ck_assert_field(3, MGR_META_REVISION, "3f2a", 5);
    ck_assert_field(4, MGR_META_REVISES, "", 7);
}
END_TEST

START_TEST(test_header_keys_any_case_and_spacing)
{
    static const char *const lines[] = {
        "revision   id :  a1 ",
        "REVISES: b2, c3",
        "create\tdate: 2024-01-02 03:04",
        "Branch Labels: x",
        "depends on: d4",
        "Revision: not a key",
        "RevisionID: not a key either",
        "a message now is free text",
        NULL,
    };

    feed(lines);
    ck_assert_int_eq(meta.n, 5);
    ck_assert_field(0, MGR_META_REVISION, "a1", 1);
    ck_assert_field(1, MGR_META_REVISES, "b2, c3", 2);
    ck_assert_field(2, MGR_META_CREATE_DATE, "2024-01-02 03:04", 3);
    ck_assert_field(3, MGR_META_BRANCH_LABELS, "x", 4);
    ck_assert_field(4, MGR_META_DEPENDS_ON, "d4", 5);
}
END_TEST

/* ---- plugin state ------------------------------------------------------- */

START_TEST(test_plugin_state)
{
    const struct plugin_state *ps;
    long live = mock_live_allocations;
    void *st = NULL;
    int host;

    ck_assert_int_eq(plugin_state_init(&api, (struct mgr_host *)&host, &st,
                                       &err),
                     MGR_OK);
    ps = st;
    ck_assert_ptr_eq(ps->api, &api);
    ck_assert_ptr_eq(ps->host, (struct mgr_host *)&host);
    ck_assert_int_eq(mock_live_allocations, live + 1);
    plugin_state_fini(st);
    ck_assert_int_eq(mock_live_allocations, live);
    plugin_state_fini(NULL);
}
END_TEST

static Suite *plugin_common_suite(void)
{
    Suite *s = suite_create("plugin_common");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_utf8_valid_prefix);
    tcase_add_test(tc, test_utf8_cut_and_continuation);
    tcase_add_test(tc, test_fail_messages);
    tcase_add_test(tc, test_check_line);
    tcase_add_test(tc, test_trim);
    tcase_add_test(tc, test_line_reader);
    tcase_add_test(tc, test_header_parts);
    tcase_add_test(tc, test_header_keys_any_case_and_spacing);
    tcase_add_test(tc, test_plugin_state);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_line_reader_errors);
    tcase_add_test(tc, test_visible_put);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(plugin_common_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
