/*
 * check_format_c.c: the C script format plugin, driven through its
 * descriptor with a mock host API that records what the plugin reports
 * and sends. Scripts are written to a mkdtemp() directory (with their
 * build cache) removed after each test; the tests that run scripts
 * compile them with the system's cc.
 */
#include "autoconfig.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <migrator/plugin.h>

#include "c.h"
#include "mock_host.h"
#include "mock_meta.h"

const struct mgr_plugin *mgr_plugin_entry(void);

/* ---- the mock host ---------------------------------------------------- */

#define MAX_CALLS 64

/* Records what one run_section sends, and plays the database. */
struct mgr_exec {
    int mode;          /* what exec_mode answers: 0, 1 or 2 */
    int begins;        /* exec_section_begin calls */
    unsigned flags;
    int begin_line;
    int ncalls;        /* exec_query calls */
    char *calls[MAX_CALLS]; /* "sql" or "sql | p1 | NULL" */
    int lines[MAX_CALLS];
    bool with_rows[MAX_CALLS];
    int fail_call;     /* 1-based call that fails with MGR_EDB; 0: none */
    /* The rows every query returns: nrows x ncols texts. */
    size_t nrows, ncols;
    const char *const *names;
    const char *const *cells;
    const char *xkey, *xvalue; /* one -x argument */
    const char *cc;    /* what exec_config answers for c_compiler */
};

static int mock_section_begin(struct mgr_exec *x, unsigned flags, int line,
                              struct mgr_error *err)
{
    (void)err;
    x->begins++;
    x->flags = flags;
    x->begin_line = line;
    return MGR_OK;
}

static const char *script_path(void);

static int mock_exec_query(struct mgr_exec *x, const char *sql,
                           const char *const *params, size_t nparams,
                           mgr_row_fn row, void *row_ctx,
                           long *affected_out, int line,
                           struct mgr_error *err)
{
    char rec[1024];
    size_t n;
    int rc;

    ck_assert_int_eq(x->begins, 1);
    ck_assert_int_lt(x->ncalls, MAX_CALLS);
    n = (size_t)snprintf(rec, sizeof(rec), "%s", sql);
    for (size_t i = 0; i < nparams && n < sizeof(rec); i++)
        n += (size_t)snprintf(rec + n, sizeof(rec) - n, " | %s",
                              params[i] ? params[i] : "NULL");
    x->calls[x->ncalls] = strdup(rec);
    x->lines[x->ncalls] = line;
    x->with_rows[x->ncalls] = row != NULL;
    x->ncalls++;
    if (affected_out)
        *affected_out = -1;
    if (x->mode == 1 && row)
        return mock_error_set(err, MGR_EUSAGE,
                              "%s:%d: this query needs a live connection",
                              script_path(), line);
    if (x->fail_call == x->ncalls)
        return mock_error_set(err, MGR_EDB, "%s:%d: boom", script_path(),
                              line);
    if (x->mode == 1)
        return MGR_OK;
    for (size_t r = 0; row && r < x->nrows; r++) {
        rc = row(row_ctx, x->ncols, x->names, x->cells + r * x->ncols);
        if (rc != MGR_OK)
            return rc;
    }
    if (affected_out && !row)
        *affected_out = 7;
    return MGR_OK;
}

static const char *mock_xarg(struct mgr_exec *x, const char *key)
{
    return x->xkey && strcmp(key, x->xkey) == 0 ? x->xvalue : NULL;
}

static const char *mock_config(struct mgr_exec *x, const char *key)
{
    return strcmp(key, "c_compiler") == 0 ? x->cc : NULL;
}

static const char *mock_dialect(struct mgr_exec *x)
{
    (void)x;
    return "mockdb";
}

static int mock_mode(struct mgr_exec *x)
{
    return x->mode;
}

/* trust_refuse: the checks refuse the paths that contain it. */
static int trust_calls;
static const char *trust_refuse;
static char trusted[1024];

static int mock_trust_check(const char *p, struct mgr_error *err)
{
    trust_calls++;
    snprintf(trusted, sizeof(trusted), "%s", p);
    if (trust_refuse && strstr(p, trust_refuse))
        return mock_error_set(err, MGR_ETRUST, "refusing to load '%s': no",
                              p);
    return MGR_OK;
}

/* The shared mock host with the upcalls above; filled by setup(). */
static struct mgr_host_api api;

/* ---- fixtures ----------------------------------------------------------- */

static char dir[256];
static char path[300];
static char cache[320];
static const struct mgr_format_ops *ops;
static void *state;
static struct mgr_script_meta meta;
static struct mgr_exec ex;
static struct mgr_error err;

static const char *script_path(void)
{
    return path;
}

static void rm_rf(const char *p)
{
    struct stat sb;
    DIR *d;
    struct dirent *e;
    char sub[1024];

    if (lstat(p, &sb) != 0)
        return;
    if (S_ISDIR(sb.st_mode)) {
        chmod(p, 0700);
        d = opendir(p);
        while (d && (e = readdir(d)) != NULL) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            snprintf(sub, sizeof(sub), "%s/%s", p, e->d_name);
            rm_rf(sub);
        }
        if (d)
            closedir(d);
        rmdir(p);
    } else {
        unlink(p);
    }
}

static void setup(void)
{
    const struct mgr_plugin *p = mgr_plugin_entry();
    const char *tmp = getenv("TMPDIR");

    unsetenv("MIGRATOR_CC");
    unsetenv("MIGRATOR_CFLAGS");
    unsetenv("MIGRATOR_C_CACHE_DIR");
    snprintf(dir, sizeof(dir), "%s/check_format_c.XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/0001_r.c", dir);
    snprintf(cache, sizeof(cache), "%s/%s", dir, C_CACHE_NAME);

    ck_assert_int_eq(p->kind, MGR_PLUGIN_FORMAT);
    ck_assert_str_eq(p->name, "c");
    mock_host_api_init(&api);
    api.meta_add = mock_meta_add;
    api.exec_section_begin = mock_section_begin;
    api.exec_sql = mock_unused_exec_sql;
    api.exec_query = mock_exec_query;
    api.exec_xarg = mock_xarg;
    api.exec_config = mock_config;
    api.exec_dialect = mock_dialect;
    api.exec_mode = mock_mode;
    api.trust_check = mock_trust_check;
    ck_assert_int_eq(p->init(&api, NULL, &state, &err), MGR_OK);
    ops = p->ops;
    memset(&meta, 0, sizeof(meta));
    memset(&ex, 0, sizeof(ex));
    memset(&err, 0, sizeof(err));
    mock_host_reset();
    trust_calls = 0;
    trust_refuse = NULL;
    trusted[0] = '\0';
}

static void reset_exec(void)
{
    for (int i = 0; i < ex.ncalls; i++)
        free(ex.calls[i]);
    memset(&ex, 0, sizeof(ex));
}

static void teardown(void)
{
    mock_meta_release(&meta);
    reset_exec();
    mgr_plugin_entry()->fini(state);
    rm_rf(dir);
}

static void write_text(const char *file, const char *text)
{
    FILE *f = fopen(file, "wb");

    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(text, 1, strlen(text), f), strlen(text));
    ck_assert_int_eq(fclose(f), 0);
}

static int parse(const char *text)
{
    write_text(path, text);
    return ops->parse_header(state, path, &meta, &err);
}

static int run(const char *text, enum mgr_direction d, int mode)
{
    write_text(path, text);
    ex.mode = mode;
    return ops->run_section(state, path, d, &ex, &err);
}

/* The entries of the cache whose names contain ".so" (modules), or
 * those other than modules, the manifest and "." and "..". */
static int count_cache(bool modules)
{
    DIR *d = opendir(cache);
    struct dirent *e;
    int n = 0;

    if (!d)
        return 0;
    while ((e = readdir(d)) != NULL) {
        bool module = strstr(e->d_name, ".so") != NULL;
        bool other = !module && strcmp(e->d_name, ".") &&
                     strcmp(e->d_name, "..") &&
                     strcmp(e->d_name, C_MANIFEST_NAME);

        n += modules ? module : other;
    }
    closedir(d);
    return n;
}

static int cached_modules(void)
{
    return count_cache(true);
}

#define ck_assert_msg_has(s)                                            \
    ck_assert_msg(strstr(err.msg, (s)) != NULL,                         \
                  "error message '%s' lacks '%s'", err.msg, (s))

/* A script doing nothing, with the header of revision r2. */
#define HEADER "/* add leases\n * Revision ID: r2\n * Revises: r1\n */\n"
#define NOOP_BODY                                                       \
    "#include <migrator/script.h>\n"                                    \
    "int mgr_script_upgrade(struct mgr_script *s) { (void)s; return 0; }\n" \
    "int mgr_script_downgrade(struct mgr_script *s) { (void)s; return 0; }\n"

/* ---- parse_header: core ------------------------------------------------ */

START_TEST(test_plugin_descriptor)
{
    const struct mgr_format_ops *o = mgr_plugin_entry()->ops;

    ck_assert_uint_eq(o->size, sizeof(struct mgr_format_ops));
    ck_assert_str_eq(o->extensions[0], ".c");
    ck_assert_ptr_null(o->extensions[1]);
}
END_TEST

START_TEST(test_header_fields_and_lines)
{
    ck_assert_int_eq(parse("/* add property financial metrics\n"
                           " *\n"
                           " * Revision ID: 3f2a9c1b7d10\n"
                           " * Revises: 9b1c0d2e4f56\n"
                           " * Create Date: 2026-11-24 12:00:00.000000\n"
                           " * Branch Labels: financials\n"
                           " * Depends On: 1c2d3e4f5a6b\n"
                           " */\n"
                           "#include <migrator/script.h>\n"),
                     MGR_OK);
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

START_TEST(test_header_doc_opener_and_description)
{
    ck_assert_int_eq(parse("/**\n"
                           " * split users\n"
                           " *\n"
                           " * Moves the addresses\n"
                           " * Note: at night.\n"
                           " *\n"
                           " * Revision ID: a1\n"
                           " * Author: someone\n"
                           " * Revises: b2 */\n"
                           " * Revises: not read\n"),
                     MGR_OK);
    ck_assert_int_eq(meta.n, 7);
    ck_assert_field(0, MGR_META_MESSAGE, "split users", 2);
    ck_assert_field(1, MGR_META_DOC, "", 3);
    ck_assert_field(2, MGR_META_DOC, "Moves the addresses", 4);
    ck_assert_field(3, MGR_META_DOC, "Note: at night.", 5);
    ck_assert_field(4, MGR_META_DOC, "", 6);
    ck_assert_field(5, MGR_META_REVISION, "a1", 7);
    ck_assert_field(6, MGR_META_REVISES, "b2", 9);
}
END_TEST

START_TEST(test_header_keys_any_case_blanks_and_dashes)
{
    ck_assert_int_eq(parse("/*msg\n"
                           "   revision   id:   r_1   \n"
                           "*REVISES:a, b\n"
                           "-- Branch Labels: x\n"
                           "-- Depends On: y\n"
                           "*/"),
                     MGR_OK);
    ck_assert_int_eq(meta.n, 5);
    ck_assert_field(0, MGR_META_MESSAGE, "msg", 1);
    ck_assert_field(1, MGR_META_REVISION, "r_1", 2);
    ck_assert_field(2, MGR_META_REVISES, "a, b", 3);
    ck_assert_field(3, MGR_META_BRANCH_LABELS, "x", 4);
    ck_assert_field(4, MGR_META_DEPENDS_ON, "y", 5);
}
END_TEST

START_TEST(test_header_blank_lines_bom_crlf)
{
    ck_assert_int_eq(parse("\xef\xbb\xbf\r\n"
                           "  \t\r\n"
                           "  /* msg\r\n"
                           "   * Revision ID: a\r\n"
                           "   */\r\n"),
                     MGR_OK);
    ck_assert_int_eq(meta.n, 2);
    ck_assert_field(0, MGR_META_MESSAGE, "msg", 3);
    ck_assert_field(1, MGR_META_REVISION, "a", 4);
}
END_TEST

START_TEST(test_header_one_line_comment)
{
    ck_assert_int_eq(parse("/* Revision ID: solo */ int x;\n"), MGR_OK);
    ck_assert_int_eq(meta.n, 1);
    ck_assert_field(0, MGR_META_REVISION, "solo", 1);
}
END_TEST

START_TEST(test_header_body_never_read)
{
    /* Invalid UTF-8 and a NUL past the comment are the compiler's
     * business, not the header's. */
    static const char text[] = HEADER "char c = '\xff';\n\0\n";
    FILE *f = fopen(path, "wb");

    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(text, 1, sizeof(text) - 1, f),
                      sizeof(text) - 1);
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_int_eq(ops->parse_header(state, path, &meta, &err), MGR_OK);
    ck_assert_int_eq(meta.n, 3);
    ck_assert_field(2, MGR_META_REVISES, "r1", 3);
}
END_TEST

START_TEST(test_header_template_renders_parseable)
{
    /* What `migrator revision --format c` writes with a branch label. */
    ck_assert_int_eq(parse("/* add leases\n"
                           " *\n"
                           " * Revision ID: 0123456789ab\n"
                           " * Revises: \n"
                           " * Create Date: 2026-11-24 10:00:00.000000\n"
                           "-- Branch Labels: leasing\n"
                           " */\n" NOOP_BODY),
                     MGR_OK);
    ck_assert_int_eq(meta.n, 6);
    ck_assert_field(3, MGR_META_REVISES, "", 4);
    ck_assert_field(5, MGR_META_BRANCH_LABELS, "leasing", 6);
}
END_TEST

/* ---- parse_header: errors ---------------------------------------------- */

START_TEST(test_header_code_before_comment)
{
    ck_assert_int_eq(parse("\n#include <stdio.h>\n/* m\n * Revision ID: a */"),
                     MGR_ESCRIPT);
    ck_assert_int_eq(err.code, MGR_ESCRIPT);
    ck_assert_msg_has("/0001_r.c:2: text before the header comment");
    ck_assert_int_eq(meta.n, 0);
}
END_TEST

START_TEST(test_header_line_comment_is_not_a_header)
{
    ck_assert_int_eq(parse("// Revision ID: a\n"), MGR_ESCRIPT);
    ck_assert_msg_has("0001_r.c:1: text before the header comment");
}
END_TEST

START_TEST(test_header_empty_file)
{
    ck_assert_int_eq(parse(""), MGR_ESCRIPT);
    ck_assert_msg_has("0001_r.c: no header comment");
    ck_assert_int_eq(parse("\n  \n"), MGR_ESCRIPT);
    ck_assert_msg_has("no header comment");
}
END_TEST

START_TEST(test_header_unclosed_comment)
{
    ck_assert_int_eq(parse("\n/* m\n * Revision ID: a\n int x;\n"),
                     MGR_ESCRIPT);
    ck_assert_msg_has("0001_r.c:2: the header comment is not closed");
}
END_TEST

START_TEST(test_header_nul_and_invalid_utf8)
{
    static const char nul[] = "/* m\n * Revision\0 ID: a */\n";
    FILE *f = fopen(path, "wb");

    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(nul, 1, sizeof(nul) - 1, f), sizeof(nul) - 1);
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_int_eq(ops->parse_header(state, path, &meta, &err),
                     MGR_ESCRIPT);
    ck_assert_msg_has("0001_r.c:2: NUL byte");

    ck_assert_int_eq(parse("/* m\n * caf\xc3\xa9 \xc0\xaf */\n"),
                     MGR_ESCRIPT);
    ck_assert_msg_has("0001_r.c:2:9: invalid UTF-8");
    ck_assert_int_eq(parse("/* \xed\xa0\x80 */\n"), MGR_ESCRIPT);
    ck_assert_msg_has("0001_r.c:1:4: invalid UTF-8");
}
END_TEST

START_TEST(test_header_meta_add_error_propagates)
{
    meta.fail_on = MGR_META_REVISES;
    ck_assert_int_eq(parse(HEADER), MGR_ESCRIPT);
    ck_assert_str_eq(err.msg, "meta_add refused 3 at 3");
}
END_TEST

START_TEST(test_header_missing_file)
{
    ck_assert_int_eq(ops->parse_header(state, "/nonexistent/x.c", &meta,
                                       &err),
                     MGR_EIO);
    ck_assert_msg_has("cannot open '/nonexistent/x.c'");
    ck_assert_int_eq(err.sys_errno, ENOENT);
}
END_TEST

/* ---- settings ------------------------------------------------------------ */

START_TEST(test_split_words)
{
    char **v = NULL;
    size_t n = 0;

    ck_assert(c_split_words("  ccache  gcc -O2 'a b' \"c\\\"d\" e\\ f",
                            &v, &n));
    ck_assert_uint_eq(n, 6);
    ck_assert_str_eq(v[0], "ccache");
    ck_assert_str_eq(v[1], "gcc");
    ck_assert_str_eq(v[2], "-O2");
    ck_assert_str_eq(v[3], "a b");
    ck_assert_str_eq(v[4], "c\"d");
    ck_assert_str_eq(v[5], "e f");
    /* '' is an empty word, kept */
    ck_assert(c_split_words("''", &v, &n));
    ck_assert_uint_eq(n, 7);
    ck_assert_str_eq(v[6], "");
    ck_assert_ptr_null(v[7]);
    c_words_free(v);

    v = NULL;
    ck_assert(!c_split_words("cc 'open", &v, &n));
    c_words_free(v);
    v = NULL;
    ck_assert(c_split_words("", &v, &n));
    ck_assert_uint_eq(n, 0);
    ck_assert_ptr_null(v[0]);
    c_words_free(v);
}
END_TEST

START_TEST(test_settings_sources_in_order)
{
    struct c_build b;

    write_text(path, HEADER NOOP_BODY);
    /* Nothing set: cc, no flags, the cache beside the script. */
    ck_assert_int_eq(c_build_settings(state, &ex, path, &b, &err), MGR_OK);
    ck_assert_uint_eq(b.ncompiler, 1);
    ck_assert_str_eq(b.compiler[0], "cc");
    ck_assert_uint_eq(b.nflags, 0);
    ck_assert_str_eq(b.cache_dir, cache);
    ck_assert_uint_ge(b.nincdirs, 1);
    c_build_release(&b);

    /* The config, then the environment, then -x. */
    ex.cc = "config-cc";
    ck_assert_int_eq(c_build_settings(state, &ex, path, &b, &err), MGR_OK);
    ck_assert_str_eq(b.compiler[0], "config-cc");
    c_build_release(&b);
    setenv("MIGRATOR_CC", "env-cc -m64", 1);
    setenv("MIGRATOR_CFLAGS", "-O2 -g", 1);
    setenv("MIGRATOR_C_CACHE_DIR", "/somewhere/cache", 1);
    ck_assert_int_eq(c_build_settings(state, &ex, path, &b, &err), MGR_OK);
    ck_assert_uint_eq(b.ncompiler, 2);
    ck_assert_str_eq(b.compiler[0], "env-cc");
    ck_assert_uint_eq(b.nflags, 2);
    ck_assert_str_eq(b.flags[1], "-g");
    ck_assert_str_eq(b.cache_dir, "/somewhere/cache");
    c_build_release(&b);
    ex.xkey = "c_compiler";
    ex.xvalue = "x-cc";
    ck_assert_int_eq(c_build_settings(state, &ex, path, &b, &err), MGR_OK);
    ck_assert_str_eq(b.compiler[0], "x-cc");
    c_build_release(&b);
    unsetenv("MIGRATOR_CC");
    unsetenv("MIGRATOR_CFLAGS");
    unsetenv("MIGRATOR_C_CACHE_DIR");
}
END_TEST

/* The module of the script at path under b: its source, key and full
 * path (module). */
static void module_of(const struct c_build *b, struct c_source *src,
                      char key[65], struct mgr_buf *module)
{
    ck_assert_int_eq(c_source_read(state, path, src, &err), MGR_OK);
    c_module_key(b, src, key);
    mock_buf_reset(module);
    mock_buf_addf(module, "%s/", b->cache_dir);
    c_module_name(state, src, key, module);
}

START_TEST(test_module_name_tracks_inputs)
{
    struct c_build b;
    struct c_source src;
    struct mgr_buf n1 = MGR_BUF_INIT, n2 = MGR_BUF_INIT;
    struct mgr_buf n3 = MGR_BUF_INIT, n4 = MGR_BUF_INIT;
    char k1[65], k2[65], k3[65], k4[65];
    const char *s;

    write_text(path, HEADER NOOP_BODY);
    ck_assert_int_eq(c_build_settings(state, &ex, path, &b, &err), MGR_OK);
    ck_assert_int_eq(c_source_read(state, path, &src, &err), MGR_OK);
    /* The text's SHA-256. */
    ck_assert_uint_eq(strlen(src.sha256), 64);
    c_module_key(&b, &src, k1);
    c_module_name(state, &src, k1, &n1);
    c_module_key(&b, &src, k2);
    c_module_name(state, &src, k2, &n2);
    s = n1.buf;
    ck_assert_str_eq(s, n2.buf);
    ck_assert_uint_eq(strlen(s), strlen("0001_r-") + C_NAME_HEX + 3);
    ck_assert(strncmp(s, "0001_r-", 7) == 0);
    ck_assert(strncmp(s + 7, k1, C_NAME_HEX) == 0);
    ck_assert_str_eq(s + strlen(s) - 3, ".so");
    /* Another flag, another module. */
    c_words_free(b.flags);
    b.flags = NULL;
    ck_assert(c_split_words("-O2", &b.flags, &b.nflags));
    c_module_key(&b, &src, k3);
    c_module_name(state, &src, k3, &n3);
    ck_assert_str_ne(n3.buf, s);
    c_source_release(&src);
    /* Another byte of source, another module. */
    write_text(path, HEADER NOOP_BODY "\n");
    ck_assert_int_eq(c_source_read(state, path, &src, &err), MGR_OK);
    c_module_key(&b, &src, k4);
    c_module_name(state, &src, k4, &n4);
    ck_assert_str_ne(n4.buf, n3.buf);
    c_source_release(&src);
    /* A name with blanks or other bytes: none in the module's name. */
    src.path = "/x/0002 a\tb$.c";
    src.text = "";
    mock_buf_reset(&n4);
    c_module_name(state, &src, k4, &n4);
    ck_assert(strncmp(n4.buf, "0002_a_b_-", 10) == 0);
    c_build_release(&b);
    mock_buf_release(&n1);
    mock_buf_release(&n2);
    mock_buf_release(&n3);
    mock_buf_release(&n4);
}
END_TEST

/* ---- running: core ------------------------------------------------------ */

/* Exercises every call of the API against the mock database. */
static const char full_script[] =
    "/* everything\n"
    " * Revision ID: r2\n"
    " */\n"
    "#include <string.h>\n"
    "#include <migrator/script.h>\n"
    "\n"
    "int mgr_script_upgrade(struct mgr_script *s)\n"
    "{\n"
    "    struct mgr_result *r;\n"
    "    const char *p[2];\n"
    "    long long id;\n"
    "    double price;\n"
    "    int rc = mgr_script_query(s, \"SELECT id, price FROM t\", 0, 0, &r);\n"
    "    if (rc)\n"
    "        return rc;\n"
    "    if (mgr_result_rows(r) != 2 || mgr_result_cols(r) != 2)\n"
    "        return 10;\n"
    "    if (strcmp(mgr_result_name(r, 1), \"price\") != 0)\n"
    "        return 11;\n"
    "    if (mgr_result_int(r, 0, 0, &id) != 0 || id != 41)\n"
    "        return 12;\n"
    "    if (mgr_result_double(r, 0, 1, &price) != 0 || price != 2.5)\n"
    "        return 13;\n"
    "    if (!mgr_result_is_null(r, 1, 1) || mgr_result_text(r, 1, 1))\n"
    "        return 14;\n"
    "    if (mgr_result_int(r, 1, 1, &id) == 0 ||\n"
    "        mgr_result_int(r, 0, 1, &id) == 0)\n"
    "        return 15;\n"
    "    p[0] = mgr_result_text(r, 0, 1);\n"
    "    p[1] = NULL;\n"
    "    rc = mgr_script_exec_params(s, \"UPDATE t SET a = $1, b = $2\", 2,\n"
    "                                p);\n"
    "    mgr_result_free(r);\n"
    "    if (rc || mgr_script_affected(s) != 7)\n"
    "        return 16;\n"
    "    if (strcmp(mgr_script_dialect(s), \"mockdb\") != 0 ||\n"
    "        mgr_script_offline(s) || mgr_script_error(s))\n"
    "        return 17;\n"
    "    mgr_script_log(s, 6, \"tag=%s\", mgr_script_xarg(s, \"tag\"));\n"
    "    return mgr_script_exec(s, \"DELETE FROM t\");\n"
    "}\n"
    "\n"
    "int mgr_script_downgrade(struct mgr_script *s)\n"
    "{\n"
    "    return mgr_script_exec(s, \"DROP TABLE t\");\n"
    "}\n";

static const char *const two_names[] = { "id", "price" };
static const char *const two_rows[] = { "41", "2.5", "42", NULL };

START_TEST(test_run_calls_the_script)
{
    ex.nrows = 2;
    ex.ncols = 2;
    ex.names = two_names;
    ex.cells = two_rows;
    ex.xkey = "tag";
    ex.xvalue = "v1";
    ck_assert_int_eq(run(full_script, MGR_UPGRADE, 0), MGR_OK);
    ck_assert_int_eq(ex.begins, 1);
    ck_assert_uint_eq(ex.flags, 0);
    ck_assert_int_eq(ex.begin_line, 1);
    ck_assert_int_eq(ex.ncalls, 3);
    ck_assert_str_eq(ex.calls[0], "SELECT id, price FROM t");
    ck_assert(ex.with_rows[0]);
    ck_assert_int_eq(ex.lines[0], 13);
    ck_assert_str_eq(ex.calls[1], "UPDATE t SET a = $1, b = $2 | 2.5 | NULL");
    ck_assert(!ex.with_rows[1]);
    ck_assert_str_eq(ex.calls[2], "DELETE FROM t");
    ck_assert_int_eq(ex.lines[2], 40);
    ck_assert_int_eq(mock_log_calls, 1);
    ck_assert_msg(strstr(mock_log_last, "0001_r.c:39: tag=v1") != NULL,
                  "log '%s'", mock_log_last);
    /* The script, the cache's manifest, then the module. */
    ck_assert_int_eq(trust_calls, 3);
    ck_assert(strncmp(trusted, cache, strlen(cache)) == 0);
    ck_assert_str_eq(trusted + strlen(cache), strrchr(trusted, '/'));
    ck_assert_int_eq(cached_modules(), 1);

    /* The other direction of the same module: loaded once. */
    reset_exec();
    ck_assert_int_eq(ops->run_section(state, path, MGR_DOWNGRADE, &ex, &err),
                     MGR_OK);
    ck_assert_int_eq(ex.ncalls, 1);
    ck_assert_str_eq(ex.calls[0], "DROP TABLE t");
    ck_assert_int_eq(trust_calls, 4);
}
END_TEST

START_TEST(test_run_checking_compiles_but_runs_nothing)
{
    ck_assert_int_eq(run(full_script, MGR_UPGRADE, 2), MGR_OK);
    ck_assert_int_eq(ex.begins, 1);
    ck_assert_int_eq(ex.ncalls, 0);
    ck_assert_int_eq(cached_modules(), 1);
    ck_assert_int_eq(trust_calls, 3);
}
END_TEST

START_TEST(test_run_offline_renders_exec_refuses_query)
{
    static const char script[] =
        HEADER
        "#include <migrator/script.h>\n"
        "int mgr_script_upgrade(struct mgr_script *s)\n"
        "{\n"
        "    const char *p[] = { \"x\" };\n"
        "    if (!mgr_script_offline(s))\n"
        "        return 5;\n"
        "    mgr_script_exec(s, \"CREATE TABLE a (x text)\");\n"
        "    return mgr_script_exec_params(s, \"INSERT INTO a VALUES ($1)\",\n"
        "                                  1, p);\n"
        "}\n"
        "int mgr_script_downgrade(struct mgr_script *s)\n"
        "{\n"
        "    struct mgr_result *r = (struct mgr_result *)1;\n"
        "    int rc = mgr_script_query(s, \"SELECT 1\", 0, NULL, &r);\n"
        "    if (r != NULL)\n"
        "        return 9;\n"
        "    mgr_script_exec(s, \"DROP TABLE a\");\n"
        "    return rc == 0 ? 8 : 0;\n"
        "}\n";

    ck_assert_int_eq(run(script, MGR_UPGRADE, 1), MGR_OK);
    ck_assert_int_eq(ex.ncalls, 2);
    ck_assert_str_eq(ex.calls[0], "CREATE TABLE a (x text)");
    ck_assert_str_eq(ex.calls[1], "INSERT INTO a VALUES ($1) | x");

    /* The query fails, and so does the step, though the function
     * returned 0; nothing after the failure is sent. */
    reset_exec();
    ex.mode = 1;
    ck_assert_int_eq(ops->run_section(state, path, MGR_DOWNGRADE, &ex, &err),
                     MGR_EUSAGE);
    ck_assert_int_eq(ex.ncalls, 1);
    ck_assert_msg_has("0001_r.c:18: this query needs a live connection");
}
END_TEST

/* Build the module of the script at path (settings from ex) into
 * module; returns what c_build_module does, *compiled whether it
 * compiled. */
static int build(struct mgr_buf *module, bool *compiled)
{
    struct c_build b;
    struct c_source src;
    char key[65];
    int rc;

    ck_assert_int_eq(c_build_settings(state, &ex, path, &b, &err), MGR_OK);
    module_of(&b, &src, key, module);
    rc = c_build_module(state, &b, &src, key, module->buf, compiled, &err);
    c_source_release(&src);
    c_build_release(&b);
    return rc;
}

START_TEST(test_cache_reused_until_the_source_changes)
{
    struct mgr_buf module = MGR_BUF_INIT, first = MGR_BUF_INIT;
    struct stat s1, s2;
    bool compiled;

    write_text(path, HEADER NOOP_BODY);
    ck_assert_int_eq(build(&module, &compiled), MGR_OK);
    ck_assert(compiled);
    ck_assert_int_eq(lstat(cache, &s1), 0);
    ck_assert_uint_eq(s1.st_mode & 0777, 0700);
    ck_assert_int_eq(stat(module.buf, &s1), 0);
    ck_assert_uint_eq(s1.st_mode & 0777, 0700);

    ck_assert_int_eq(build(&module, &compiled), MGR_OK);
    ck_assert(!compiled);
    ck_assert_int_eq(stat(module.buf, &s2), 0);
    ck_assert_uint_eq(s1.st_ino, s2.st_ino);
    ck_assert_int_eq(cached_modules(), 1);

    /* An edit: a new module, and the old one goes. */
    mock_buf_addf(&first, "%s", module.buf);
    write_text(path, HEADER NOOP_BODY "/* edited */\n");
    ck_assert_int_eq(build(&module, &compiled), MGR_OK);
    ck_assert(compiled);
    ck_assert_str_ne(module.buf, first.buf);
    ck_assert_int_eq(cached_modules(), 1);
    ck_assert_int_eq(access(module.buf, F_OK), 0);
    mock_buf_release(&module);
    mock_buf_release(&first);
}
END_TEST

START_TEST(test_compiler_warnings_are_shown)
{
    ex.xkey = "c_flags";
    ex.xvalue = "-Wall -Wunused-variable";
    ck_assert_int_eq(run(HEADER
                         "#include <migrator/script.h>\n"
                         "int mgr_script_upgrade(struct mgr_script *s)\n"
                         "{ int unused; (void)s; return 0; }\n"
                         "int mgr_script_downgrade(struct mgr_script *s)\n"
                         "{ (void)s; return 0; }\n",
                         MGR_UPGRADE, 0),
                     MGR_OK);
    ck_assert_int_eq(mock_log_calls, 1);
    ck_assert_msg(strstr(mock_log_last, "0001_r.c:7:") != NULL, "log '%s'",
                  mock_log_last);
}
END_TEST

/* ---- running: errors ---------------------------------------------------- */

START_TEST(test_compile_error_names_file_and_line)
{
    ck_assert_int_eq(run(HEADER
                         "#include <migrator/script.h>\n"
                         "int mgr_script_upgrade(struct mgr_script *s)\n"
                         "{\n"
                         "    return s->no_such_member;\n"
                         "}\n",
                         MGR_UPGRADE, 2),
                     MGR_ESCRIPT);
    ck_assert_msg_has("cannot compile '");
    ck_assert_msg_has("0001_r.c:8:");
    ck_assert_msg_has("no_such_member");
    ck_assert_int_eq(ex.begins, 0);
    ck_assert_int_eq(ex.ncalls, 0);
    ck_assert_int_eq(trust_calls, 2); /* the script and the manifest */
    ck_assert_int_eq(cached_modules(), 0);
}
END_TEST

START_TEST(test_compiler_missing)
{
    ex.xkey = "c_compiler";
    ex.xvalue = "/nonexistent/bin/cc";
    ck_assert_int_eq(run(HEADER NOOP_BODY, MGR_UPGRADE, 2), MGR_ECONFIG);
    ck_assert_msg_has("cannot run /nonexistent/bin/cc");
    ck_assert_msg_has("c_compiler");
}
END_TEST

START_TEST(test_bad_settings)
{
    ex.xkey = "c_flags";
    ex.xvalue = "-DX='open";
    ck_assert_int_eq(run(HEADER NOOP_BODY, MGR_UPGRADE, 2), MGR_ECONFIG);
    ck_assert_msg_has("unclosed quote");
    ex.xkey = "c_cache_dir";
    ex.xvalue = "relative/cache";
    ck_assert_int_eq(run(HEADER NOOP_BODY, MGR_UPGRADE, 2), MGR_ECONFIG);
    ck_assert_msg_has("'relative/cache' is not an absolute path");
}
END_TEST

START_TEST(test_missing_entry_point)
{
    ck_assert_int_eq(run(HEADER
                         "#include <migrator/script.h>\n"
                         "int mgr_script_upgrade(struct mgr_script *s)\n"
                         "{ (void)s; return 0; }\n",
                         MGR_UPGRADE, 2),
                     MGR_ESCRIPT);
    ck_assert_msg_has("0001_r.c: 'mgr_script_downgrade' is not defined");
    ck_assert_int_eq(ex.begins, 0);
}
END_TEST

START_TEST(test_nonzero_return_fails_the_step)
{
    ck_assert_int_eq(run(HEADER
                         "#include <migrator/script.h>\n"
                         "int mgr_script_upgrade(struct mgr_script *s)\n"
                         "{ mgr_script_exec(s, \"SELECT 1\"); return 3; }\n"
                         "int mgr_script_downgrade(struct mgr_script *s)\n"
                         "{ (void)s; return 0; }\n",
                         MGR_UPGRADE, 0),
                     MGR_EDB);
    ck_assert_msg_has("upgrade of '");
    ck_assert_msg_has("0001_r.c' returned 3");
    ck_assert_int_eq(ex.ncalls, 1);
}
END_TEST

START_TEST(test_first_failure_sticks)
{
    static const char script[] =
        HEADER
        "#include <migrator/script.h>\n"
        "int mgr_script_upgrade(struct mgr_script *s)\n"
        "{\n"
        "    mgr_script_exec(s, \"ONE\");\n"
        "    if (mgr_script_exec(s, \"TWO\") != MGR_EDB)\n"
        "        return 20;\n"
        "    if (mgr_script_exec(s, \"THREE\") != MGR_EDB)\n"
        "        return 21;\n"
        "    if (!mgr_script_error(s))\n"
        "        return 22;\n"
        "    mgr_script_fail(s, \"not kept\");\n"
        "    return 0;\n"
        "}\n"
        "int mgr_script_downgrade(struct mgr_script *s)\n"
        "{ (void)s; return 0; }\n";

    ex.fail_call = 2;
    ck_assert_int_eq(run(script, MGR_UPGRADE, 0), MGR_EDB);
    ck_assert_int_eq(ex.ncalls, 2);
    ck_assert_msg_has("0001_r.c:9: boom");
}
END_TEST

START_TEST(test_script_fail_message)
{
    ck_assert_int_eq(run(HEADER
                         "#include <migrator/script.h>\n"
                         "int mgr_script_upgrade(struct mgr_script *s)\n"
                         "{\n"
                         "    return mgr_script_fail(s, \"row %d bad\", 7);\n"
                         "}\n"
                         "int mgr_script_downgrade(struct mgr_script *s)\n"
                         "{ (void)s; return 0; }\n",
                         MGR_UPGRADE, 0),
                     MGR_EDB);
    ck_assert_msg_has("0001_r.c:8: row 7 bad");
    ck_assert_int_eq(ex.ncalls, 0);
}
END_TEST

START_TEST(test_out_of_range_access_fails)
{
    ex.nrows = 2;
    ex.ncols = 2;
    ex.names = two_names;
    ex.cells = two_rows;
    ck_assert_int_eq(
        run(HEADER
            "#include <migrator/script.h>\n"
            "int mgr_script_upgrade(struct mgr_script *s)\n"
            "{\n"
            "    struct mgr_result *r;\n"
            "    if (mgr_script_query(s, \"SELECT\", 0, NULL, &r))\n"
            "        return 1;\n"
            "    if (mgr_result_text(r, 2, 0) != NULL)\n"
            "        return 2;\n"
            "    return 0; /* r is freed for us */\n"
            "}\n"
            "int mgr_script_downgrade(struct mgr_script *s)\n"
            "{\n"
            "    struct mgr_result *r;\n"
            "    if (mgr_script_query(s, \"SELECT\", 0, NULL, &r))\n"
            "        return 1;\n"
            "    mgr_result_name(r, 5);\n"
            "    mgr_result_free(r);\n"
            "    return 0;\n"
            "}\n",
            MGR_UPGRADE, 0),
        MGR_EDB);
    ck_assert_msg_has("0001_r.c:11: row 2 is out of range; the result has "
                      "2 rows");
    reset_exec();
    ex.nrows = 1;
    ex.ncols = 2;
    ex.names = two_names;
    ex.cells = two_rows;
    ck_assert_int_eq(ops->run_section(state, path, MGR_DOWNGRADE, &ex, &err),
                     MGR_EDB);
    ck_assert_msg_has("0001_r.c:20: column 5 is out of range");
}
END_TEST

START_TEST(test_trust_refusal_before_load)
{
    char marker[400];

    snprintf(marker, sizeof(marker), "%s/constructor-ran", dir);
    {
        char script[2048];

        snprintf(script, sizeof(script),
                 HEADER
                 "#include <stdio.h>\n"
                 "#include <migrator/script.h>\n"
                 "__attribute__((constructor)) static void mark(void)\n"
                 "{ FILE *f = fopen(\"%s\", \"w\"); if (f) fclose(f); }\n"
                 "int mgr_script_upgrade(struct mgr_script *s)\n"
                 "{ (void)s; return 0; }\n"
                 "int mgr_script_downgrade(struct mgr_script *s)\n"
                 "{ (void)s; return 0; }\n",
                 marker);
        trust_refuse = ".so";
        ck_assert_int_eq(run(script, MGR_UPGRADE, 2), MGR_ETRUST);
    }
    ck_assert_msg_has("refusing to load '");
    ck_assert_msg_has(".so': no");
    ck_assert_int_eq(trust_calls, 3);
    ck_assert_int_eq(access(marker, F_OK), -1);
    ck_assert_int_eq(ex.begins, 0);

    /* Trusted, it loads and its constructor runs. */
    trust_refuse = NULL;
    ck_assert_int_eq(ops->run_section(state, path, MGR_UPGRADE, &ex, &err),
                     MGR_OK);
    ck_assert_int_eq(access(marker, F_OK), 0);
}
END_TEST

START_TEST(test_unsafe_cache_dir)
{
    char target[400];

    /* Writable by the group. */
    ck_assert_int_eq(mkdir(cache, 0700), 0);
    ck_assert_int_eq(chmod(cache, 0770), 0);
    ck_assert_int_eq(run(HEADER NOOP_BODY, MGR_UPGRADE, 2), MGR_ETRUST);
    ck_assert_msg_has("is writable by group or others");
    ck_assert_int_eq(cached_modules(), 0);

    /* A symbolic link. */
    ck_assert_int_eq(rmdir(cache), 0);
    snprintf(target, sizeof(target), "%s/elsewhere", dir);
    ck_assert_int_eq(mkdir(target, 0700), 0);
    ck_assert_int_eq(symlink(target, cache), 0);
    ck_assert_int_eq(run(HEADER NOOP_BODY, MGR_UPGRADE, 2), MGR_ETRUST);
    ck_assert_msg_has("it is a symbolic link");

    /* A module in the cache that is a link: not one migrator wrote, so
     * it is built again over the link. */
    ck_assert_int_eq(unlink(cache), 0);
    ex.xkey = "c_cache_dir";
    ex.xvalue = target;
    {
        struct mgr_buf module = MGR_BUF_INIT;
        struct stat sb;
        bool compiled;

        write_text(path, HEADER NOOP_BODY);
        ck_assert_int_eq(build(&module, &compiled), MGR_OK);
        ck_assert(strncmp(module.buf, target, strlen(target)) == 0);
        ck_assert_int_eq(unlink(module.buf), 0);
        ck_assert_int_eq(symlink(path, module.buf), 0);
        ck_assert_int_eq(build(&module, &compiled), MGR_OK);
        ck_assert(compiled);
        ck_assert_int_eq(lstat(module.buf, &sb), 0);
        ck_assert(S_ISREG(sb.st_mode));
        mock_buf_release(&module);
    }
}
END_TEST

/* ---- the build cache: what is trusted ---------------------------------- */

/* The entries of the cache other than modules and the manifest. */
static int cache_others(void)
{
    return count_cache(false);
}

static void manifest_path(char *buf, size_t size)
{
    snprintf(buf, size, "%s/%s", cache, C_MANIFEST_NAME);
}

static void copy_file(const char *from, const char *to)
{
    char buf[8192];
    size_t n;
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");

    ck_assert_ptr_nonnull(in);
    ck_assert_ptr_nonnull(out);
    while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
        ck_assert_uint_eq(fwrite(buf, 1, n, out), n);
    fclose(in);
    ck_assert_int_eq(fclose(out), 0);
}

START_TEST(test_script_trust_checked_before_compiling)
{
    trust_refuse = "0001_r.c";
    ck_assert_int_eq(run(HEADER NOOP_BODY, MGR_UPGRADE, 2), MGR_ETRUST);
    ck_assert_msg_has("0001_r.c': no");
    ck_assert_int_eq(trust_calls, 1);
    ck_assert_int_eq(access(cache, F_OK), -1); /* nothing built */
    ck_assert_int_eq(ex.begins, 0);

    /* The cache's manifest is checked (and with it the directories
     * above the cache) before the compiler runs, too. */
    trust_refuse = C_MANIFEST_NAME;
    ck_assert_int_eq(run(HEADER NOOP_BODY, MGR_UPGRADE, 2), MGR_ETRUST);
    ck_assert_int_eq(cached_modules(), 0);
}
END_TEST

/* The host's text is compiled, not the file (which may have changed
 * since the host read and checked it), from a private copy that goes
 * when the compiler is done. */
START_TEST(test_compiles_the_host_text)
{
    static const char checked[] =
        HEADER
        "#include <migrator/script.h>\n"
        "int mgr_script_upgrade(struct mgr_script *s)\n"
        "{ return mgr_script_exec(s, __FILE__); }\n"
        "int mgr_script_downgrade(struct mgr_script *s)\n"
        "{ return mgr_script_exec(s, \"CHECKED\"); }\n";

    api.script_text = mock_script_text;
    mock_host_text = checked;
    write_text(path, HEADER
               "#include <migrator/script.h>\n"
               "int mgr_script_upgrade(struct mgr_script *s)\n"
               "{ return mgr_script_exec(s, \"SWAPPED\"); }\n"
               "int mgr_script_downgrade(struct mgr_script *s)\n"
               "{ return mgr_script_exec(s, \"SWAPPED\"); }\n");
    ex.mode = 1;
    ck_assert_int_eq(ops->run_section(state, path, MGR_DOWNGRADE, &ex, &err),
                     MGR_OK);
    ck_assert_int_eq(ex.ncalls, 1);
    ck_assert_str_eq(ex.calls[0], "CHECKED");
    /* __FILE__ (and the compiler's messages) name the script. */
    reset_exec();
    ex.mode = 1;
    ck_assert_int_eq(ops->run_section(state, path, MGR_UPGRADE, &ex, &err),
                     MGR_OK);
    ck_assert_str_eq(ex.calls[0], path);
    ck_assert_int_eq(cache_others(), 0);

    /* A compile error leaves no private copy behind either. */
    mock_host_text = HEADER "int mgr_script_upgrade(void) { return x; }\n";
    ck_assert_int_eq(ops->run_section(state, path, MGR_UPGRADE, &ex, &err),
                     MGR_ESCRIPT);
    ck_assert_msg_has("0001_r.c:5:");
    ck_assert_int_eq(cache_others(), 0);
}
END_TEST

/* The manifest's lines after its comment, one module each: the
 * number of them, the last in line. */
static int manifest_lines(char *line, size_t size)
{
    char mf[400], buf[1024];
    int n = 0;
    FILE *f;

    manifest_path(mf, sizeof(mf));
    f = fopen(mf, "r");
    ck_assert_ptr_nonnull(f);
    while (fgets(buf, sizeof(buf), f))
        if (buf[0] != '#' && ++n)
            snprintf(line, size, "%s", buf);
    fclose(f);
    return n;
}

/* A module migrator did not write, or that changed since, is built
 * again over; the manifest records what migrator built. */
START_TEST(test_module_not_built_here_is_rebuilt)
{
    struct mgr_buf module = MGR_BUF_INIT;
    char mf[400], saved[400], evil[400], copy[400], line[1024];
    struct stat sb;
    bool compiled;

    /* Another module's bytes, to pass off as this script's. */
    write_text(path, HEADER NOOP_BODY "/* other */\n");
    ck_assert_int_eq(build(&module, &compiled), MGR_OK);
    snprintf(evil, sizeof(evil), "%s/evil.so", dir);
    copy_file(module.buf, evil);

    write_text(path, HEADER NOOP_BODY);
    ck_assert_int_eq(build(&module, &compiled), MGR_OK);
    ck_assert(compiled);
    manifest_path(mf, sizeof(mf));
    ck_assert_int_eq(lstat(mf, &sb), 0);
    ck_assert(S_ISREG(sb.st_mode));
    ck_assert_uint_eq(sb.st_mode & 07777, 0600);
    /* One line, the other script's module gone with its file. */
    ck_assert_int_eq(manifest_lines(line, sizeof(line)), 1);
    ck_assert_msg(strstr(line, strrchr(module.buf, '/') + 1) != NULL,
                  "manifest line '%s'", line);
    ck_assert_int_eq(build(&module, &compiled), MGR_OK);
    ck_assert(!compiled);

    /* No manifest: nothing says migrator wrote the module. */
    ck_assert_int_eq(unlink(mf), 0);
    ck_assert_int_eq(build(&module, &compiled), MGR_OK);
    ck_assert(compiled);

    /* The same bytes and the manifest's line (as a commit carries
     * them), but another file: not the one migrator wrote. */
    snprintf(saved, sizeof(saved), "%s/manifest.saved", dir);
    snprintf(copy, sizeof(copy), "%s/module.copy", dir);
    copy_file(mf, saved);
    copy_file(module.buf, copy);
    ck_assert_int_eq(rename(copy, module.buf), 0);
    copy_file(saved, mf);
    ck_assert_int_eq(build(&module, &compiled), MGR_OK);
    ck_assert(compiled);

    /* Written over in place after the build. */
    copy_file(evil, module.buf);
    ck_assert_int_eq(build(&module, &compiled), MGR_OK);
    ck_assert(compiled);

    /* A manifest others may read is not one migrator wrote: it goes,
     * with a warning, and the modules are built again. */
    ck_assert_int_eq(chmod(mf, 0644), 0);
    ck_assert_int_eq(build(&module, &compiled), MGR_OK);
    ck_assert(compiled);
    ck_assert_msg(strstr(mock_log_last, "ignoring the build cache manifest") &&
                      strstr(mock_log_last, "its mode is 0644, not 0600"),
                  "log '%s'", mock_log_last);
    ck_assert_int_eq(lstat(mf, &sb), 0);
    ck_assert_uint_eq(sb.st_mode & 07777, 0600);
    ck_assert_int_eq(build(&module, &compiled), MGR_OK);
    ck_assert(!compiled);
    mock_buf_release(&module);
}
END_TEST

/* ---- limits ------------------------------------------------------------- */

START_TEST(test_header_long_lines)
{
    size_t n = 100000;
    char *text = malloc(n + 64);

    ck_assert_ptr_nonnull(text);
    memcpy(text, "/* ", 3);
    memset(text + 3, 'm', n);
    memcpy(text + 3 + n, "\n * Revision ID: a\n */\n",
           sizeof("\n * Revision ID: a\n */\n"));
    ck_assert_int_eq(parse(text), MGR_OK);
    ck_assert_int_eq(meta.n, 2);
    ck_assert_uint_eq(strlen(meta.rec[0].value), n);
    ck_assert_field(1, MGR_META_REVISION, "a", 2);
    free(text);
}
END_TEST

START_TEST(test_many_rows)
{
    enum { ROWS = 20000 };
    const char **cells = malloc(ROWS * sizeof(*cells));
    static const char *const one_name[] = { "n" };

    ck_assert_ptr_nonnull(cells);
    for (size_t i = 0; i < ROWS; i++)
        cells[i] = i % 2 ? "1" : NULL;
    ex.nrows = ROWS;
    ex.ncols = 1;
    ex.names = one_name;
    ex.cells = cells;
    ck_assert_int_eq(
        run(HEADER
            "#include <migrator/script.h>\n"
            "int mgr_script_upgrade(struct mgr_script *s)\n"
            "{\n"
            "    struct mgr_result *r;\n"
            "    long long v, sum = 0;\n"
            "    if (mgr_script_query(s, \"SELECT n\", 0, NULL, &r))\n"
            "        return 1;\n"
            "    for (size_t i = 0; i < mgr_result_rows(r); i++)\n"
            "        if (mgr_result_int(r, i, 0, &v) == 0)\n"
            "            sum += v;\n"
            "    mgr_result_free(r);\n"
            "    return sum == 10000 ? 0 : 2;\n"
            "}\n"
            "int mgr_script_downgrade(struct mgr_script *s)\n"
            "{ (void)s; return 0; }\n",
            MGR_UPGRADE, 0),
        MGR_OK);
    free(cells);
}
END_TEST

START_TEST(test_long_compiler_output_is_logged)
{
    char *text = malloc(200 * 64 + 512);
    size_t n;

    ck_assert_ptr_nonnull(text);
    n = (size_t)snprintf(text, 512, "%s", HEADER);
    for (int i = 0; i < 200; i++)
        n += (size_t)snprintf(text + n, 64, "int f%d(void) { return x%d; }\n",
                              i, i);
    ck_assert_int_eq(run(text, MGR_UPGRADE, 2), MGR_ESCRIPT);
    ck_assert_msg_has("its messages are above");
    ck_assert_int_eq(mock_log_calls, 1);
    ck_assert_msg(strstr(mock_log_last, "x0") != NULL, "full output logged");
    free(text);
}
END_TEST

static Suite *format_c_suite(void)
{
    Suite *s = suite_create("format_c");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_plugin_descriptor);
    tcase_add_test(tc, test_header_fields_and_lines);
    tcase_add_test(tc, test_header_doc_opener_and_description);
    tcase_add_test(tc, test_header_keys_any_case_blanks_and_dashes);
    tcase_add_test(tc, test_header_blank_lines_bom_crlf);
    tcase_add_test(tc, test_header_one_line_comment);
    tcase_add_test(tc, test_header_body_never_read);
    tcase_add_test(tc, test_header_template_renders_parseable);
    tcase_add_test(tc, test_split_words);
    tcase_add_test(tc, test_settings_sources_in_order);
    tcase_add_test(tc, test_module_name_tracks_inputs);
    tcase_add_test(tc, test_run_calls_the_script);
    tcase_add_test(tc, test_run_checking_compiles_but_runs_nothing);
    tcase_add_test(tc, test_run_offline_renders_exec_refuses_query);
    tcase_add_test(tc, test_cache_reused_until_the_source_changes);
    tcase_add_test(tc, test_compiler_warnings_are_shown);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_header_code_before_comment);
    tcase_add_test(tc, test_header_line_comment_is_not_a_header);
    tcase_add_test(tc, test_header_empty_file);
    tcase_add_test(tc, test_header_unclosed_comment);
    tcase_add_test(tc, test_header_nul_and_invalid_utf8);
    tcase_add_test(tc, test_header_meta_add_error_propagates);
    tcase_add_test(tc, test_header_missing_file);
    tcase_add_test(tc, test_compile_error_names_file_and_line);
    tcase_add_test(tc, test_compiler_missing);
    tcase_add_test(tc, test_bad_settings);
    tcase_add_test(tc, test_missing_entry_point);
    tcase_add_test(tc, test_nonzero_return_fails_the_step);
    tcase_add_test(tc, test_first_failure_sticks);
    tcase_add_test(tc, test_script_fail_message);
    tcase_add_test(tc, test_out_of_range_access_fails);
    tcase_add_test(tc, test_trust_refusal_before_load);
    tcase_add_test(tc, test_unsafe_cache_dir);
    tcase_add_test(tc, test_script_trust_checked_before_compiling);
    tcase_add_test(tc, test_compiles_the_host_text);
    tcase_add_test(tc, test_module_not_built_here_is_rebuilt);
    suite_add_tcase(s, tc);

    tc = tcase_create("limits");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_header_long_lines);
    tcase_add_test(tc, test_many_rows);
    tcase_add_test(tc, test_long_compiler_output_is_logged);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(format_c_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
