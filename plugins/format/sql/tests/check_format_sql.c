/*
 * check_format_sql.c: the SQL script format plugin, driven through its
 * descriptor with a mock host API that records what the plugin reports.
 * Scripts are written to a mkdtemp() directory removed after each test.
 */
#include "autoconfig.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <migrator/plugin.h>

#include "mock_host.h"
#include "mock_meta.h"

const struct mgr_plugin *mgr_plugin_entry(void);

/* ---- the mock host ---------------------------------------------------- */

/* Records the exec_* calls of one run_section. */
struct mgr_exec {
    int calls;       /* begin and sql, in order: 'b' then 's' */
    char order[8];
    unsigned flags;
    int marker_line;
    char *text;
    size_t len;
    int first_line;
    int fail_begin, fail_sql;
};

static int mock_exec_section_begin(struct mgr_exec *x, unsigned flags,
                                   int line, struct mgr_error *err)
{
    ck_assert_int_lt(x->calls, 7);
    x->order[x->calls++] = 'b';
    x->flags = flags;
    x->marker_line = line;
    if (x->fail_begin)
        return mock_error_set(err, MGR_EDB, "begin refused");
    return MGR_OK;
}

static int mock_exec_sql(struct mgr_exec *x, const char *text, size_t len,
                         int first_line, struct mgr_error *err)
{
    ck_assert_int_lt(x->calls, 7);
    x->order[x->calls++] = 's';
    free(x->text);
    x->text = mock_alloc(len + 1);
    memcpy(x->text, text, len);
    x->text[len] = '\0';
    x->len = len;
    x->first_line = first_line;
    if (x->fail_sql)
        return mock_error_set(err, MGR_EDB, "sql refused");
    return MGR_OK;
}

/* The shared mock host with the upcalls above; filled by setup(). */
static struct mgr_host_api api;

/* ---- fixtures ----------------------------------------------------------- */

static char dir[256];
static char path[300];
static const struct mgr_format_ops *ops;
static void *state;
static struct mgr_script_meta meta;
static struct mgr_exec ex;
static struct mgr_error err;

static void setup(void)
{
    const struct mgr_plugin *p = mgr_plugin_entry();
    const char *tmp = getenv("TMPDIR");

    snprintf(dir, sizeof(dir), "%s/check_format_sql.XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/r.sql", dir);

    ck_assert_int_eq(p->kind, MGR_PLUGIN_FORMAT);
    ck_assert_str_eq(p->name, "sql");
    mock_host_api_init(&api);
    api.buf_add = mock_unused_buf_add;
    api.buf_addf = mock_unused_buf_addf;
    api.meta_add = mock_meta_add;
    api.exec_section_begin = mock_exec_section_begin;
    api.exec_sql = mock_exec_sql;
    ck_assert_int_eq(p->init(&api, NULL, &state, &err), MGR_OK);
    ops = p->ops;
    memset(&meta, 0, sizeof(meta));
    memset(&ex, 0, sizeof(ex));
    memset(&err, 0, sizeof(err));
    mock_host_reset();
}

static void teardown(void)
{
    mock_meta_release(&meta);
    free(ex.text);
    mgr_plugin_entry()->fini(state);
    unlink(path);
    rmdir(dir);
}

static void write_bytes(const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");

    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(text, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
}

/* Forget the recorded exec calls. */
static void reset_exec(void)
{
    free(ex.text);
    memset(&ex, 0, sizeof(ex));
}

static int parse(const char *text)
{
    write_bytes(text, strlen(text));
    return ops->parse_header(state, path, &meta, &err);
}

static int run(const char *text, enum mgr_direction dir_)
{
    write_bytes(text, strlen(text));
    return ops->run_section(state, path, dir_, &ex, &err);
}

/* err.msg must be the script's path followed by tail. */
static void assert_msg_tail(const char *tail, int line)
{
    char want[sizeof(path) + MGR_ERROR_SIZE];

    snprintf(want, sizeof(want), "%s%s", path, tail);
    ck_assert_msg(strcmp(err.msg, want) == 0,
                  "line %d: error message\n  '%s'\nwanted\n  '%s'", line,
                  err.msg, want);
}
#define ck_assert_msg_tail(tail) assert_msg_tail((tail), __LINE__)

static const char design_example[] =
    "-- add property financial metrics\n"
    "--\n"
    "-- Revision ID: 3f2a9c1b7d10\n"
    "-- Revises: 9b1c0d2e4f56\n"
    "-- Create Date: 2026-11-24 12:00:00.000000\n"
    "-- Branch Labels: financials\n"
    "-- Depends On: 1c2d3e4f5a6b\n"
    "\n"
    "-- migrate:upgrade\n"
    "ALTER TABLE properties ADD COLUMN cap_rate numeric(5,4);\n"
    "\n"
    "-- migrate:downgrade\n"
    "ALTER TABLE properties DROP COLUMN cap_rate;\n";

/* ---- parse_header: core ------------------------------------------------ */

START_TEST(test_header_design_example)
{
    ck_assert_int_eq(parse(design_example), MGR_OK);
    ck_assert_int_eq(meta.n, 7);
    ck_assert_field(0, MGR_META_MESSAGE, "add property financial metrics",
                    1);
    ck_assert_field(1, MGR_META_DOC, "", 2);
    ck_assert_field(2, MGR_META_REVISION, "3f2a9c1b7d10", 3);
    ck_assert_field(3, MGR_META_REVISES, "9b1c0d2e4f56", 4);
    ck_assert_field(4, MGR_META_CREATE_DATE, "2026-11-24 12:00:00.000000",
                    5);
    ck_assert_field(5, MGR_META_BRANCH_LABELS, "financials", 6);
    ck_assert_field(6, MGR_META_DEPENDS_ON, "1c2d3e4f5a6b", 7);
}
END_TEST

START_TEST(test_header_description_lines)
{
    ck_assert_int_eq(parse("-- split users\n"
                           "--\n"
                           "-- Moves the address columns\n"
                           "-- into their own table.\n"
                           "-- Note: run at night.\n"
                           "--\n"
                           "-- Revision ID: a1\n"
                           "-- migrate:upgrade\n"),
                     MGR_OK);
    ck_assert_int_eq(meta.n, 7);
    ck_assert_field(0, MGR_META_MESSAGE, "split users", 1);
    ck_assert_field(1, MGR_META_DOC, "", 2);
    ck_assert_field(2, MGR_META_DOC, "Moves the address columns", 3);
    ck_assert_field(3, MGR_META_DOC, "into their own table.", 4);
    /* an unknown "Key:" before the keys is description, not a key */
    ck_assert_field(4, MGR_META_DOC, "Note: run at night.", 5);
    ck_assert_field(5, MGR_META_DOC, "", 6);
    ck_assert_field(6, MGR_META_REVISION, "a1", 7);
}
END_TEST

START_TEST(test_header_keys_ignore_case_and_spacing)
{
    ck_assert_int_eq(parse("--msg\n"
                           "-- revision id:   r_1   \n"
                           "--REVISES:a, b\n"
                           "--   branch\tLABELS :x\n"
                           "-- dEpEnDs On:\n"),
                     MGR_OK);
    ck_assert_int_eq(meta.n, 5);
    ck_assert_field(0, MGR_META_MESSAGE, "msg", 1);
    ck_assert_field(1, MGR_META_REVISION, "r_1", 2);
    ck_assert_field(2, MGR_META_REVISES, "a, b", 3);
    ck_assert_field(3, MGR_META_BRANCH_LABELS, "x", 4);
    ck_assert_field(4, MGR_META_DEPENDS_ON, "", 5);
}
END_TEST

START_TEST(test_header_unknown_keys_and_text_after_keys_ignored)
{
    ck_assert_int_eq(parse("-- m\n"
                           "-- Revision ID: a\n"
                           "-- Author: someone\n"
                           "-- free text after the keys\n"
                           "-- Revision IDs: b\n"
                           "-- Revises: c\n"
                           "-- migrate:upgrade\n"),
                     MGR_OK);
    ck_assert_int_eq(meta.n, 3);
    ck_assert_field(0, MGR_META_MESSAGE, "m", 1);
    ck_assert_field(1, MGR_META_REVISION, "a", 2);
    ck_assert_field(2, MGR_META_REVISES, "c", 6);
}
END_TEST

START_TEST(test_header_without_message)
{
    ck_assert_int_eq(parse("-- Revision ID: a\n-- Revises:\n"), MGR_OK);
    ck_assert_int_eq(meta.n, 2);
    ck_assert_field(0, MGR_META_REVISION, "a", 1);
    ck_assert_field(1, MGR_META_REVISES, "", 2);
}
END_TEST

START_TEST(test_header_blank_lines)
{
    ck_assert_int_eq(parse("\n"
                           "   \n"
                           "-- msg\n"
                           "\n"
                           "  -- Revision ID: a\n"
                           "\n"
                           "-- migrate:upgrade\n"),
                     MGR_OK);
    ck_assert_int_eq(meta.n, 3);
    ck_assert_field(0, MGR_META_MESSAGE, "msg", 3);
    ck_assert_field(1, MGR_META_DOC, "", 4);
    ck_assert_field(2, MGR_META_REVISION, "a", 5);
}
END_TEST

START_TEST(test_header_crlf)
{
    ck_assert_int_eq(parse("-- msg\r\n"
                           "--\r\n"
                           "-- Revision ID: a\r\n"
                           "-- Revises: b\r\n"
                           "\r\n"
                           "-- migrate:upgrade\r\n"
                           "SELECT 1;\r\n"),
                     MGR_OK);
    ck_assert_int_eq(meta.n, 4);
    ck_assert_field(0, MGR_META_MESSAGE, "msg", 1);
    ck_assert_field(1, MGR_META_DOC, "", 2);
    ck_assert_field(2, MGR_META_REVISION, "a", 3);
    ck_assert_field(3, MGR_META_REVISES, "b", 4);
}
END_TEST

START_TEST(test_header_bom_skipped)
{
    ck_assert_int_eq(parse("\xef\xbb\xbf-- msg\n-- Revision ID: a\n"),
                     MGR_OK);
    ck_assert_int_eq(meta.n, 2);
    ck_assert_field(0, MGR_META_MESSAGE, "msg", 1);
    ck_assert_field(1, MGR_META_REVISION, "a", 2);
}
END_TEST

START_TEST(test_header_stops_at_marker)
{
    ck_assert_int_eq(parse("-- m\n"
                           "-- Revision ID: a\n"
                           "--migrate:upgrade\n"
                           "-- Revises: zzz\n"
                           "garbage that is the body's business\n"),
                     MGR_OK);
    ck_assert_int_eq(meta.n, 2);
    ck_assert_field(1, MGR_META_REVISION, "a", 2);
}
END_TEST

START_TEST(test_header_empty_and_comment_only_files)
{
    ck_assert_int_eq(parse(""), MGR_OK);
    ck_assert_int_eq(meta.n, 0);
    ck_assert_int_eq(parse("-- just a note\n"), MGR_OK);
    ck_assert_int_eq(meta.n, 1);
    ck_assert_field(0, MGR_META_MESSAGE, "just a note", 1);
}
END_TEST

START_TEST(test_header_non_ascii_message)
{
    ck_assert_int_eq(parse("-- caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\n"
                           "-- Revision ID: a\n"),
                     MGR_OK);
    ck_assert_field(0, MGR_META_MESSAGE,
                    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 1);
}
END_TEST

/* ---- parse_header: errors ---------------------------------------------- */

START_TEST(test_header_text_outside_section)
{
    ck_assert_int_eq(parse("-- m\n"
                           "-- Revision ID: a\n"
                           "CREATE TABLE t (x int);\n"),
                     MGR_ESCRIPT);
    ck_assert_int_eq(err.code, MGR_ESCRIPT);
    ck_assert_msg_tail(":3: text outside a section; statements go after "
                       "'-- migrate:upgrade'");
}
END_TEST

START_TEST(test_header_nul_byte)
{
    write_bytes("-- m\n-- Revision\0 ID: a\n", 24);
    ck_assert_int_eq(ops->parse_header(state, path, &meta, &err),
                     MGR_ESCRIPT);
    ck_assert_msg_tail(":2: NUL byte");
    ck_assert_int_eq(meta.n, 1);
}
END_TEST

START_TEST(test_header_invalid_utf8)
{
    ck_assert_int_eq(parse("-- m\n-- \xc3\xa9t\xc3\x28 x\n"), MGR_ESCRIPT);
    ck_assert_msg_tail(":2:6: invalid UTF-8");
}
END_TEST

START_TEST(test_header_meta_add_error_propagates)
{
    meta.fail_on = MGR_META_REVISES;
    ck_assert_int_eq(parse("-- m\n-- Revision ID: a\n-- Revises: b\n"
                           "-- Depends On: c\n"),
                     MGR_ESCRIPT);
    ck_assert_str_eq(err.msg, "meta_add refused 3 at 3");
    ck_assert_int_eq(meta.n, 2); /* nothing read past the failure */
}
END_TEST

START_TEST(test_header_missing_file)
{
    snprintf(path, sizeof(path), "%s/absent.sql", dir);
    ck_assert_int_eq(ops->parse_header(state, path, &meta, &err), MGR_EIO);
    ck_assert_int_eq(err.sys_errno, ENOENT);
    {
        char want[sizeof(path) + MGR_ERROR_SIZE];

        snprintf(want, sizeof(want), "cannot open '%s': %s", path,
                 strerror(ENOENT));
        ck_assert_str_eq(err.msg, want);
    }
}
END_TEST

/* ---- run_section: core ------------------------------------------------- */

START_TEST(test_run_upgrade_and_downgrade)
{
    ck_assert_int_eq(run(design_example, MGR_UPGRADE), MGR_OK);
    ck_assert_str_eq(ex.order, "bs");
    ck_assert_uint_eq(ex.flags, 0);
    ck_assert_int_eq(ex.marker_line, 9);
    ck_assert_int_eq(ex.first_line, 10);
    ck_assert_str_eq(ex.text,
                     "ALTER TABLE properties ADD COLUMN cap_rate "
                     "numeric(5,4);\n\n");
    ck_assert_uint_eq(ex.len, strlen(ex.text));

    reset_exec();
    ck_assert_int_eq(ops->run_section(state, path, MGR_DOWNGRADE, &ex,
                                      &err),
                     MGR_OK);
    ck_assert_str_eq(ex.order, "bs");
    ck_assert_int_eq(ex.marker_line, 12);
    ck_assert_int_eq(ex.first_line, 13);
    ck_assert_str_eq(ex.text,
                     "ALTER TABLE properties DROP COLUMN cap_rate;\n");
}
END_TEST

START_TEST(test_run_downgrade_first_in_file)
{
    ck_assert_int_eq(run("-- migrate:downgrade\nDROP TABLE t;\n"
                         "-- migrate:upgrade\nCREATE TABLE t (x int);",
                         MGR_UPGRADE),
                     MGR_OK);
    ck_assert_int_eq(ex.marker_line, 3);
    ck_assert_str_eq(ex.text, "CREATE TABLE t (x int);");
}
END_TEST

START_TEST(test_run_transaction_option)
{
    ck_assert_int_eq(run("-- migrate:upgrade transaction=false\n"
                         "CREATE INDEX CONCURRENTLY i ON t (x);\n"
                         "-- migrate:downgrade   transaction=true  \n"
                         "DROP INDEX i;\n",
                         MGR_UPGRADE),
                     MGR_OK);
    ck_assert_uint_eq(ex.flags, MGR_SECTION_NO_TRANSACTION);
    ck_assert_int_eq(ex.marker_line, 1);
    ck_assert_int_eq(ex.first_line, 2);
    ck_assert_int_eq(ops->run_section(state, path, MGR_DOWNGRADE, &ex,
                                      &err),
                     MGR_OK);
    ck_assert_uint_eq(ex.flags, 0);
    ck_assert_str_eq(ex.text, "DROP INDEX i;\n");

    ck_assert_int_eq(run("-- migrate:upgrade TRANSACTION=False\nSELECT 1;\n",
                         MGR_UPGRADE),
                     MGR_OK);
    ck_assert_uint_eq(ex.flags, MGR_SECTION_NO_TRANSACTION);
}
END_TEST

START_TEST(test_run_empty_sections_still_run)
{
    ck_assert_int_eq(run("-- migrate:upgrade\n"
                         "-- nothing to do\n"
                         "\n"
                         "-- migrate:downgrade",
                         MGR_UPGRADE),
                     MGR_OK);
    ck_assert_str_eq(ex.order, "bs");
    ck_assert_str_eq(ex.text, "-- nothing to do\n\n");

    reset_exec();
    ck_assert_int_eq(ops->run_section(state, path, MGR_DOWNGRADE, &ex,
                                      &err),
                     MGR_OK);
    ck_assert_str_eq(ex.order, "bs");
    ck_assert_uint_eq(ex.len, 0);
    ck_assert_int_eq(ex.first_line, 5);
}
END_TEST

START_TEST(test_run_crlf)
{
    ck_assert_int_eq(run("-- m\r\n"
                         "-- Revision ID: a\r\n"
                         "\r\n"
                         "-- migrate:upgrade transaction=false\r\n"
                         "SELECT 1;\r\n"
                         "-- migrate:downgrade\r\n"
                         "SELECT 2;\r\n",
                         MGR_UPGRADE),
                     MGR_OK);
    ck_assert_uint_eq(ex.flags, MGR_SECTION_NO_TRANSACTION);
    ck_assert_int_eq(ex.marker_line, 4);
    ck_assert_str_eq(ex.text, "SELECT 1;\r\n");
}
END_TEST

START_TEST(test_run_bom_and_marker_on_line_one)
{
    ck_assert_int_eq(run("\xef\xbb\xbf-- migrate:upgrade\nSELECT 1;\n",
                         MGR_UPGRADE),
                     MGR_OK);
    ck_assert_int_eq(ex.marker_line, 1);
    ck_assert_str_eq(ex.text, "SELECT 1;\n");
}
END_TEST

START_TEST(test_run_indented_marker_is_a_comment)
{
    /* a marker starts in column 1: this file has no upgrade section */
    ck_assert_int_eq(run("  -- migrate:upgrade\nSELECT 1;\n", MGR_UPGRADE),
                     MGR_ESCRIPT);
    ck_assert_msg_tail(":2: text outside a section; statements go after "
                       "'-- migrate:upgrade'");
    ck_assert_int_eq(ex.calls, 0);
}
END_TEST

START_TEST(test_run_logs_through_host)
{
    ck_assert_int_eq(run("-- migrate:upgrade\nSELECT 1;\n", MGR_UPGRADE),
                     MGR_OK);
    ck_assert_int_eq(mock_log_calls, 1);
}
END_TEST

/* ---- run_section: errors ----------------------------------------------- */

START_TEST(test_run_missing_sections)
{
    ck_assert_int_eq(run("-- m\n-- Revision ID: a\n"
                         "-- migrate:upgrade\nSELECT 1;\n",
                         MGR_DOWNGRADE),
                     MGR_ESCRIPT);
    ck_assert_msg_tail(": no downgrade section");
    ck_assert_int_eq(ex.calls, 0);

    ck_assert_int_eq(ops->run_section(state, path, MGR_UPGRADE, &ex, &err),
                     MGR_OK);
    ck_assert_str_eq(ex.text, "SELECT 1;\n");

    reset_exec();
    ck_assert_int_eq(run("", MGR_UPGRADE), MGR_ESCRIPT);
    ck_assert_msg_tail(": no upgrade section");
    ck_assert_int_eq(ex.calls, 0);
}
END_TEST

START_TEST(test_run_section_twice)
{
    ck_assert_int_eq(run("-- migrate:upgrade\nSELECT 1;\n"
                         "-- migrate:downgrade\nSELECT 2;\n"
                         "-- migrate:upgrade\nSELECT 3;\n",
                         MGR_DOWNGRADE),
                     MGR_ESCRIPT);
    ck_assert_msg_tail(":5: section 'upgrade' given twice (first on "
                       "line 1)");
    ck_assert_int_eq(ex.calls, 0);
}
END_TEST

START_TEST(test_run_unknown_section)
{
    ck_assert_int_eq(run("-- migrate:up\nSELECT 1;\n", MGR_UPGRADE),
                     MGR_ESCRIPT);
    ck_assert_msg_tail(":1: unknown section 'up'; use '-- migrate:upgrade' "
                       "or '-- migrate:downgrade'");
    ck_assert_int_eq(run("-- migrate:\n", MGR_UPGRADE), MGR_ESCRIPT);
    ck_assert_msg_tail(":1: section marker without a name; use "
                       "'-- migrate:upgrade' or '-- migrate:downgrade'");
}
END_TEST

START_TEST(test_run_bad_options)
{
    ck_assert_int_eq(run("-- migrate:upgrade\n\n"
                         "-- migrate:downgrade transactional=false\n",
                         MGR_UPGRADE),
                     MGR_ESCRIPT);
    ck_assert_msg_tail(":3: unknown section option 'transactional=false'; "
                       "the only option is 'transaction=false'");

    ck_assert_int_eq(run("-- migrate:upgrade nolock\n", MGR_UPGRADE),
                     MGR_ESCRIPT);
    ck_assert_msg_tail(":1: unknown section option 'nolock'; the only "
                       "option is 'transaction=false'");

    ck_assert_int_eq(run("-- migrate:upgrade transaction=no\n", MGR_UPGRADE),
                     MGR_ESCRIPT);
    ck_assert_msg_tail(":1: bad value 'no' for section option "
                       "'transaction'; use 'true' or 'false'");

    ck_assert_int_eq(run("-- migrate:upgrade transaction=\n", MGR_UPGRADE),
                     MGR_ESCRIPT);
    ck_assert_msg_tail(":1: bad value '' for section option "
                       "'transaction'; use 'true' or 'false'");

    ck_assert_int_eq(run("-- migrate:upgrade transaction=false "
                         "transaction=false\n",
                         MGR_UPGRADE),
                     MGR_ESCRIPT);
    ck_assert_msg_tail(":1: section option 'transaction' given twice");
    ck_assert_int_eq(ex.calls, 0);
}
END_TEST

START_TEST(test_run_text_outside_section)
{
    ck_assert_int_eq(run("-- m\n"
                         "-- Revision ID: a\n"
                         "\n"
                         "/* a block comment */\n"
                         "-- migrate:upgrade\n",
                         MGR_UPGRADE),
                     MGR_ESCRIPT);
    ck_assert_msg_tail(":4: text outside a section; statements go after "
                       "'-- migrate:upgrade'");
    ck_assert_int_eq(ex.calls, 0);
}
END_TEST

START_TEST(test_run_nul_byte)
{
    static const char text[] = "-- migrate:upgrade\nSELECT 1;\nSELECT '\0';\n"
                               "-- migrate:downgrade\n";

    write_bytes(text, sizeof(text) - 1);
    /* the whole file is checked, whichever section runs */
    ck_assert_int_eq(ops->run_section(state, path, MGR_DOWNGRADE, &ex,
                                      &err),
                     MGR_ESCRIPT);
    ck_assert_msg_tail(":3: NUL byte");
    ck_assert_int_eq(ex.calls, 0);
}
END_TEST

START_TEST(test_run_invalid_utf8_line_and_column)
{
    /* the reliability plan's case: C3 28 on line 9, column 14 */
    ck_assert_int_eq(run("-- m\n-- Revision ID: a\n\n-- migrate:upgrade\n"
                         "SELECT 1;\n\n\n"
                         "-- \xc3\xa9\n"
                         "SELECT 'abcde\xc3\x28';\n",
                         MGR_UPGRADE),
                     MGR_ESCRIPT);
    ck_assert_msg_tail(":9:14: invalid UTF-8");
    ck_assert_int_eq(ex.calls, 0);
}
END_TEST

START_TEST(test_run_invalid_utf8_forms)
{
    static const struct {
        const char *bytes;
        const char *why;
    } bad[] = {
        { "\x80", "stray continuation byte" },
        { "\xc0\xaf", "overlong 2-byte form" },
        { "\xc1\xbf", "overlong 2-byte form" },
        { "\xe0\x80\xaf", "overlong 3-byte form" },
        { "\xed\xa0\x80", "UTF-16 surrogate" },
        { "\xf0\x80\x80\xaf", "overlong 4-byte form" },
        { "\xf4\x90\x80\x80", "past U+10FFFF" },
        { "\xf5\x80\x80\x80", "lead byte past U+10FFFF" },
        { "\xff", "never valid" },
        { "\xe2\x82", "truncated at the end of the line" },
        { "\xe2\x28\xac", "bad continuation" },
    };

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char text[64];

        snprintf(text, sizeof(text), "-- migrate:upgrade\n\xc3\xa9=%s\n",
                 bad[i].bytes);
        ck_assert_msg(run(text, MGR_UPGRADE) == MGR_ESCRIPT, "%s",
                      bad[i].why);
        ck_assert_msg_tail(":2:3: invalid UTF-8");
    }
    /* the largest scalar values of each length are fine */
    ck_assert_int_eq(run("-- migrate:upgrade\n"
                         "\x7f\xdf\xbf\xef\xbf\xbf\xf4\x8f\xbf\xbf\n",
                         MGR_UPGRADE),
                     MGR_OK);
    /* a truncated sequence at the very end of the file */
    ck_assert_int_eq(run("-- migrate:upgrade\nab\xf0\x9f\x98", MGR_UPGRADE),
                     MGR_ESCRIPT);
    ck_assert_msg_tail(":2:3: invalid UTF-8");
}
END_TEST

START_TEST(test_run_host_errors_propagate)
{
    ex.fail_begin = 1;
    ck_assert_int_eq(run("-- migrate:upgrade\nSELECT 1;\n", MGR_UPGRADE),
                     MGR_EDB);
    ck_assert_str_eq(err.msg, "begin refused");
    ck_assert_str_eq(ex.order, "b"); /* no statement after a failed begin */

    reset_exec();
    ex.fail_sql = 1;
    ck_assert_int_eq(ops->run_section(state, path, MGR_UPGRADE, &ex, &err),
                     MGR_EDB);
    ck_assert_str_eq(err.msg, "sql refused");
}
END_TEST

START_TEST(test_run_missing_file)
{
    snprintf(path, sizeof(path), "%s/absent.sql", dir);
    ck_assert_int_eq(ops->run_section(state, path, MGR_UPGRADE, &ex, &err),
                     MGR_EIO);
    ck_assert_int_eq(err.sys_errno, ENOENT);
    ck_assert_int_eq(ex.calls, 0);
}
END_TEST

/* ---- limits ------------------------------------------------------------ */

#define BIG_BODY (10u * 1024 * 1024)

static const char big_header[] = "-- big\n"
                                 "-- Revision ID: big1\n"
                                 "\n"
                                 "-- migrate:upgrade\n";

/* Write a script whose 10 MB body has a NUL byte and invalid UTF-8 on
   its last line, which is line big_header's 4 + 1 + lines. */
static int write_big(void)
{
    static const char row[] = "INSERT INTO t VALUES (1234567890);\n";
    size_t rowlen = sizeof(row) - 1, nrows = BIG_BODY / rowlen;
    FILE *f = fopen(path, "wb");

    ck_assert_ptr_nonnull(f);
    fputs(big_header, f);
    for (size_t i = 0; i < nrows; i++)
        fputs(row, f);
    fwrite("SELECT '\0\xff';\n", 1, 13, f);
    ck_assert_int_eq(fclose(f), 0);
    return 4 + (int)nrows + 1;
}

START_TEST(test_header_of_big_file_skips_body)
{
    int bad_line = write_big();

    ck_assert_int_eq(ops->parse_header(state, path, &meta, &err), MGR_OK);
    ck_assert_int_eq(meta.n, 2);
    ck_assert_field(1, MGR_META_REVISION, "big1", 2);

    /* running it does read the body, and finds the line */
    ck_assert_int_eq(ops->run_section(state, path, MGR_UPGRADE, &ex, &err),
                     MGR_ESCRIPT);
    {
        char tail[64];

        snprintf(tail, sizeof(tail), ":%d: NUL byte", bad_line);
        ck_assert_msg_tail(tail);
    }
}
END_TEST

START_TEST(test_big_body_handed_over_whole)
{
    static const char row[] = "INSERT INTO t VALUES (1234567890);\n";
    size_t rowlen = sizeof(row) - 1, nrows = BIG_BODY / rowlen;
    FILE *f = fopen(path, "wb");

    ck_assert_ptr_nonnull(f);
    fputs(big_header, f);
    for (size_t i = 0; i < nrows; i++)
        fputs(row, f);
    fputs("SELECT 'last'", f);
    ck_assert_int_eq(fclose(f), 0);

    ck_assert_int_eq(ops->run_section(state, path, MGR_UPGRADE, &ex, &err),
                     MGR_OK);
    ck_assert_uint_eq(ex.len, nrows * rowlen + 13);
    ck_assert_int_eq(ex.first_line, 5);
    ck_assert_int_eq(memcmp(ex.text, row, rowlen), 0);
    ck_assert_str_eq(ex.text + ex.len - 13, "SELECT 'last'");
}
END_TEST

/* The header and the statements come from the host's copy of the script
 * (the bytes its checksum is of), never from the file read again. */
START_TEST(test_header_and_section_from_host_text)
{
    static const char disk[] = "-- on disk\n-- Revision ID: disk1\n\n"
                               "-- migrate:upgrade\nSELECT 'disk';\n";

    write_bytes(disk, sizeof(disk) - 1);
    mock_host_text = "-- read by the host\n-- Revision ID: host1\n\n"
                "-- migrate:upgrade\nSELECT 'host';\n";
    api.script_text = mock_script_text;
    ck_assert_int_eq(ops->parse_header(state, path, &meta, &err), MGR_OK);
    ck_assert_field(1, MGR_META_REVISION, "host1", 2);
    ck_assert_int_eq(ops->run_section(state, path, MGR_UPGRADE, &ex, &err),
                     MGR_OK);
    ck_assert_str_eq(ex.text, "SELECT 'host';\n");

    /* what the host cannot read is an error, not a read of the file */
    mock_host_text = NULL;
    mock_meta_release(&meta);
    memset(&meta, 0, sizeof(meta));
    ck_assert_int_eq(ops->parse_header(state, path, &meta, &err), MGR_EIO);
    ck_assert_ptr_nonnull(strstr(err.msg, "no text for"));
}
END_TEST

START_TEST(test_header_long_message_line)
{
    size_t n = 1024 * 1024;
    char *text = mock_alloc(n + 64);

    memcpy(text, "-- ", 3);
    memset(text + 3, 'm', n);
    memcpy(text + 3 + n, "\n-- Revision ID: a\n", 20);
    ck_assert_int_eq(parse(text), MGR_OK);
    free(text);
    ck_assert_int_eq(meta.n, 2);
    ck_assert_uint_eq(meta.rec[0].len, n);
    ck_assert_field(1, MGR_META_REVISION, "a", 2);
}
END_TEST

static Suite *format_sql_suite(void)
{
    Suite *s = suite_create("format_sql");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_header_design_example);
    tcase_add_test(tc, test_header_description_lines);
    tcase_add_test(tc, test_header_keys_ignore_case_and_spacing);
    tcase_add_test(tc, test_header_unknown_keys_and_text_after_keys_ignored);
    tcase_add_test(tc, test_header_without_message);
    tcase_add_test(tc, test_header_blank_lines);
    tcase_add_test(tc, test_header_crlf);
    tcase_add_test(tc, test_header_bom_skipped);
    tcase_add_test(tc, test_header_stops_at_marker);
    tcase_add_test(tc, test_header_empty_and_comment_only_files);
    tcase_add_test(tc, test_header_non_ascii_message);
    tcase_add_test(tc, test_run_upgrade_and_downgrade);
    tcase_add_test(tc, test_run_downgrade_first_in_file);
    tcase_add_test(tc, test_run_transaction_option);
    tcase_add_test(tc, test_run_empty_sections_still_run);
    tcase_add_test(tc, test_run_crlf);
    tcase_add_test(tc, test_run_bom_and_marker_on_line_one);
    tcase_add_test(tc, test_run_logs_through_host);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_header_text_outside_section);
    tcase_add_test(tc, test_header_nul_byte);
    tcase_add_test(tc, test_header_invalid_utf8);
    tcase_add_test(tc, test_header_meta_add_error_propagates);
    tcase_add_test(tc, test_header_missing_file);
    tcase_add_test(tc, test_run_indented_marker_is_a_comment);
    tcase_add_test(tc, test_run_missing_sections);
    tcase_add_test(tc, test_run_section_twice);
    tcase_add_test(tc, test_run_unknown_section);
    tcase_add_test(tc, test_run_bad_options);
    tcase_add_test(tc, test_run_text_outside_section);
    tcase_add_test(tc, test_run_nul_byte);
    tcase_add_test(tc, test_run_invalid_utf8_line_and_column);
    tcase_add_test(tc, test_run_invalid_utf8_forms);
    tcase_add_test(tc, test_run_host_errors_propagate);
    tcase_add_test(tc, test_run_missing_file);
    suite_add_tcase(s, tc);

    tc = tcase_create("limits");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_header_of_big_file_skips_body);
    tcase_add_test(tc, test_big_body_handed_over_whole);
    tcase_add_test(tc, test_header_and_section_from_host_text);
    tcase_add_test(tc, test_header_long_message_line);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(format_sql_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
