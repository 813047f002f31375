/*
 * check_loader.c: the plugin loader (core/loader.c), the trust checks made
 * before a module is opened (core/trust.c) and the host API table
 * (core/hostapi.c), against the test plugins of tests/plugins/.
 *
 * Files are copied into a fresh directory under the build tree for each
 * test, with the permissions the test needs, and removed afterwards.
 */
#include "autoconfig.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ltdl.h>
#include <migrator/migrator.h>
#include <migrator/plugin.h>

#include "ctx.h"
#include "config.h"
#include "hostapi.h"
#include "loader.h"
#include "trust.h"

/* The test dialects that load: dummy, v10 (ABI 1.0) and v13 (1.3). */
#define GOOD_TEST_DIALECTS 3

#include "../plugins/dummy.h"

#ifndef TEST_PLUGINDIR
#error "TEST_PLUGINDIR must name tests/plugins/.libs of the build tree"
#endif
#ifndef TEST_TMPDIR
#error "TEST_TMPDIR must name a directory of the build tree"
#endif

#define EXT LT_MODULE_EXT

static char tmp[PATH_MAX];          /* this test's directory */
static char tmp_file[PATH_MAX];     /* a file directly in /tmp, or "" */
static struct mgr_plugin_set *set;  /* freed by teardown */
static struct mgr_error err;

/* ---- helpers ---------------------------------------------------------- */

static char *pathf(char *buf, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* snprintf into a PATH_MAX buffer; the tests' paths always fit. */
static char *pathf(char *buf, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, PATH_MAX, fmt, ap);
    va_end(ap);
    ck_assert_int_lt(n, PATH_MAX);
    return buf;
}

static void remove_tree(const char *path)
{
    struct stat st;
    DIR *d;
    struct dirent *de;
    char sub[PATH_MAX];

    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        d = opendir(path);
        while (d && (de = readdir(d)) != NULL) {
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                continue;
            remove_tree(pathf(sub, "%s/%s", path, de->d_name));
        }
        if (d)
            closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

static void make_dir(const char *path, mode_t mode)
{
    ck_assert_msg(mkdir(path, 0700) == 0, "mkdir %s: %s", path,
                  strerror(errno));
    ck_assert_int_eq(chmod(path, mode), 0);
}

static void copy_to_fd(const char *src, int out)
{
    char data[65536];
    ssize_t n;
    int in;

    in = open(src, O_RDONLY);
    ck_assert_msg(in >= 0, "open %s: %s", src, strerror(errno));
    while ((n = read(in, data, sizeof(data))) > 0)
        ck_assert_int_eq(write(out, data, (size_t)n), n);
    ck_assert_int_eq(n, 0);
    close(in);
}

static void copy_file(const char *src, const char *dst, mode_t mode)
{
    int out = open(dst, O_WRONLY | O_CREAT | O_EXCL, 0600);

    ck_assert_msg(out >= 0, "create %s: %s", dst, strerror(errno));
    copy_to_fd(src, out);
    ck_assert_int_eq(fchmod(out, mode), 0);
    ck_assert_int_eq(close(out), 0);
}

/* Copy test plugin file (e.g. "dialect_dummy") into dir, with mode. */
static void put_plugin(const char *file, const char *dir, mode_t mode)
{
    char src[PATH_MAX], dst[PATH_MAX];

    copy_file(pathf(src, "%s/%s%s", TEST_PLUGINDIR, file, EXT),
              pathf(dst, "%s/%s%s", dir, file, EXT), mode);
}

/* A set searching the given directories (NULL-terminated). */
static struct mgr_plugin_set *new_set(const char *dir, ...)
{
    const char *dirs[8];
    struct mgr_plugin_set *s = NULL;
    size_t n = 0;
    va_list ap;

    va_start(ap, dir);
    for (const char *d = dir; d; d = va_arg(ap, const char *)) {
        ck_assert_uint_lt(n, 7);
        dirs[n++] = d;
    }
    va_end(ap);
    dirs[n] = NULL;
    ck_assert_int_eq(plugin_set_new(&s, dirs, &err), MGR_OK);
    return s;
}

static int load(enum mgr_plugin_kind kind, const char *name,
                const struct mgr_loaded_plugin **p)
{
    const struct mgr_loaded_plugin *unused;

    memset(&err, 0, sizeof(err));
    return plugin_set_load(set, kind, name, p ? p : &unused, &err);
}

/* Load dialect <name> from TEST_PLUGINDIR; expect code and message. */
static void expect_refusal(const char *name, int code, const char *verb,
                           const char *reason)
{
    char want[1024];

    set = new_set(TEST_PLUGINDIR, NULL);
    ck_assert_int_eq(load(MGR_PLUGIN_DIALECT, name, NULL), code);
    snprintf(want, sizeof(want), "%s plugin '%s/dialect_%s%s': %s", verb,
             TEST_PLUGINDIR, name, EXT, reason);
    ck_assert_str_eq(err.msg, want);
    ck_assert_int_eq(err.code, code);
    ck_assert_uint_eq(plugin_set_count(set), 0);
}

/* Expect the trust refusal "refusing to load plugin '<path>': <reason>". */
static void expect_untrusted(const char *path, const char *reason)
{
    char want[1024];

    snprintf(want, sizeof(want), "refusing to load plugin '%s': %s", path,
             reason);
    ck_assert_str_eq(err.msg, want);
    ck_assert_int_eq(err.code, MGR_ETRUST);
}

static void setup(void)
{
    ck_assert_int_eq(lt_dlinit(), 0);
    pathf(tmp, "%s/check_loader.XXXXXX", TEST_TMPDIR);
    ck_assert_ptr_nonnull(mkdtemp(tmp));
    ck_assert_int_eq(chmod(tmp, 0755), 0);
    set = NULL;
    memset(&err, 0, sizeof(err));
}

static void teardown(void)
{
    plugin_set_free(set);
    set = NULL;
    remove_tree(tmp);
    if (tmp_file[0])
        unlink(tmp_file);
    tmp_file[0] = '\0';
    lt_dlexit();
    unsetenv("MGR_TEST_CTOR_MARKER");
    unsetenv("MIGRATOR_PLUGIN_PATH");
}

static char *capture_stderr(void (*fn)(void));

/* ---- core ------------------------------------------------------------- */

START_TEST(test_good_dialect_loads)
{
    const struct mgr_loaded_plugin *p;
    const struct dummy_state *st;
    const struct mgr_dialect_ops *ops;
    char want[PATH_MAX];

    set = new_set(TEST_PLUGINDIR, NULL);
    ck_assert_int_eq(load(MGR_PLUGIN_DIALECT, "dummy", &p), MGR_OK);
    ck_assert_int_eq(p->desc->kind, MGR_PLUGIN_DIALECT);
    ck_assert_str_eq(p->desc->name, "dummy");
    ck_assert_str_eq(p->desc->version, "1.2.3");
    ck_assert_str_eq(p->path, pathf(want, "%s/dialect_dummy%s",
                                    TEST_PLUGINDIR, EXT));
    ck_assert_ptr_eq(p->ops, p->desc->ops);
    ops = p->ops;
    ck_assert_uint_eq(ops->size, sizeof(struct mgr_dialect_ops));
    ck_assert_str_eq(ops->schemes[0], "dummy");

    /* init ran, with the host's table and a handle named after it. */
    st = p->state;
    ck_assert_ptr_nonnull(st);
    ck_assert_str_eq(st->tag, DUMMY_TAG);
    ck_assert_ptr_eq(st->api, hostapi_get());
    ck_assert_ptr_nonnull(st->host);
    ck_assert_uint_eq(st->host->magic, HOST_MAGIC);
    ck_assert_str_eq(st->host->name, "dummy");

    ck_assert_uint_eq(plugin_set_count(set), 1);
    ck_assert_ptr_eq(plugin_set_get(set, 0), p);
    ck_assert_ptr_null(plugin_set_get(set, 1));
}
END_TEST

static void record_fini(void *ctx, const char *name)
{
    mgr_buf_addf(ctx, "%s;", name);
}

START_TEST(test_fini_in_reverse_order)
{
    const struct mgr_loaded_plugin *d, *f;
    struct mgr_buf log = MGR_BUF_INIT;
    struct dummy_state *st;

    set = new_set(TEST_PLUGINDIR, NULL);
    ck_assert_int_eq(load(MGR_PLUGIN_DIALECT, "dummy", &d), MGR_OK);
    ck_assert_int_eq(load(MGR_PLUGIN_FORMAT, "dummy", &f), MGR_OK);
    ck_assert_ptr_ne(d, f);
    ck_assert_int_eq(f->desc->kind, MGR_PLUGIN_FORMAT);
    st = d->state;
    st->on_fini = record_fini;
    st->ctx = &log;
    st = f->state;
    st->on_fini = record_fini;
    st->ctx = &log;
    plugin_set_free(set);
    set = NULL;
    ck_assert_str_eq(log.buf, "format_dummy;dialect_dummy;");
    mgr_buf_release(&log);
}
END_TEST

START_TEST(test_loading_twice_returns_the_first)
{
    const struct mgr_loaded_plugin *a, *b, *c;
    char path[PATH_MAX];

    set = new_set(TEST_PLUGINDIR, NULL);
    ck_assert_int_eq(load(MGR_PLUGIN_DIALECT, "dummy", &a), MGR_OK);
    ck_assert_int_eq(load(MGR_PLUGIN_DIALECT, "dummy", &b), MGR_OK);
    ck_assert_ptr_eq(a, b);
    pathf(path, "%s/dialect_dummy%s", TEST_PLUGINDIR, EXT);
    ck_assert_int_eq(loader_load_file(set, path, &c, &err, NULL), MGR_OK);
    ck_assert_ptr_eq(a, c);
    ck_assert_uint_eq(plugin_set_count(set), 1);
    ck_assert_ptr_eq(loader_find(set, MGR_PLUGIN_DIALECT, "dummy"), a);
    ck_assert_ptr_null(loader_find(set, MGR_PLUGIN_FORMAT, "dummy"));
}
END_TEST

START_TEST(test_first_directory_wins)
{
    const struct mgr_loaded_plugin *p;
    char a[PATH_MAX], b[PATH_MAX], want[PATH_MAX];

    make_dir(pathf(a, "%s/a", tmp), 0755);
    make_dir(pathf(b, "%s/b", tmp), 0755);
    put_plugin("dialect_dummy", a, 0644);
    put_plugin("dialect_dummy", b, 0644);

    set = new_set(a, b, NULL);
    ck_assert_int_eq(load(MGR_PLUGIN_DIALECT, "dummy", &p), MGR_OK);
    ck_assert_str_eq(p->path, pathf(want, "%s/dialect_dummy%s", a, EXT));
    plugin_set_free(set);

    set = new_set(b, a, NULL);
    ck_assert_int_eq(load(MGR_PLUGIN_DIALECT, "dummy", &p), MGR_OK);
    ck_assert_str_eq(p->path, pathf(want, "%s/dialect_dummy%s", b, EXT));

    /* A directory without the file is passed over. */
    plugin_set_free(set);
    set = new_set(tmp, b, NULL);
    ck_assert_int_eq(load(MGR_PLUGIN_DIALECT, "dummy", &p), MGR_OK);
    ck_assert_str_eq(p->path, pathf(want, "%s/dialect_dummy%s", b, EXT));
}
END_TEST

START_TEST(test_refused_file_does_not_fall_through)
{
    char a[PATH_MAX], b[PATH_MAX], file[PATH_MAX];

    make_dir(pathf(a, "%s/a", tmp), 0755);
    make_dir(pathf(b, "%s/b", tmp), 0755);
    put_plugin("dialect_dummy", a, 0664);
    put_plugin("dialect_dummy", b, 0644);
    set = new_set(a, b, NULL);
    ck_assert_int_eq(load(MGR_PLUGIN_DIALECT, "dummy", NULL), MGR_ETRUST);
    expect_untrusted(pathf(file, "%s/dialect_dummy%s", a, EXT),
                     "file is writable by group or others");
}
END_TEST

static void count_refused(void *ctx, const char *path,
                          const struct mgr_error *why)
{
    struct mgr_buf *names = ctx;
    const char *slash = strrchr(path, '/');

    ck_assert_ptr_nonnull(strstr(why->msg, path));
    mgr_buf_addf(names, "%s;", slash + 1);
}

START_TEST(test_load_all_of_a_kind)
{
    struct mgr_buf refused = MGR_BUF_INIT, want = MGR_BUF_INIT;
    const char *bad[] = { "badmajor", "initfail",  "misnamed",
                          "newminor", "noentry",   "noquery",
                          "nullentry", "nullops",  "small",
                          "wrongkind", "zeroops",  NULL };

    set = new_set(TEST_PLUGINDIR, NULL);
    ck_assert_int_eq(plugin_set_load_all(set, MGR_PLUGIN_FORMAT,
                                             count_refused, &refused, &err),
                     MGR_OK);
    ck_assert_str_eq(refused.buf, "");
    ck_assert_uint_eq(plugin_set_count(set), 2);
    ck_assert_str_eq(plugin_set_get(set, 0)->desc->name, "ctor");
    ck_assert_str_eq(plugin_set_get(set, 1)->desc->name, "dummy");

    ck_assert_int_eq(plugin_set_load_all(set, MGR_PLUGIN_DIALECT,
                                             count_refused, &refused, &err),
                     MGR_OK);
    ck_assert_uint_eq(plugin_set_count(set), 2 + GOOD_TEST_DIALECTS);
    ck_assert_int_eq(plugin_set_get(set, 2)->desc->kind,
                     MGR_PLUGIN_DIALECT);
    for (size_t i = 0; bad[i]; i++)
        mgr_buf_addf(&want, "dialect_%s%s;", bad[i], EXT);
    ck_assert_str_eq(refused.buf, want.buf);

    /* Again: nothing new is loaded and the same files are refused. */
    mgr_buf_reset(&refused);
    ck_assert_int_eq(plugin_set_load_all(set, MGR_PLUGIN_DIALECT,
                                             count_refused, &refused, &err),
                     MGR_OK);
    ck_assert_uint_eq(plugin_set_count(set), 2 + GOOD_TEST_DIALECTS);
    ck_assert_str_eq(refused.buf, want.buf);
    mgr_buf_release(&refused);
    mgr_buf_release(&want);
}
END_TEST

static bool named_dummy(void *ctx, const struct mgr_loaded_plugin *p)
{
    (void)ctx;
    return strcmp(p->desc->name, "dummy") == 0;
}

START_TEST(test_load_until_stops_at_the_first_wanted)
{
    const struct mgr_loaded_plugin *found = NULL;

    set = new_set(TEST_PLUGINDIR, NULL);
    ck_assert_int_eq(plugin_set_load_until(set, MGR_PLUGIN_DIALECT, NULL,
                                           named_dummy, NULL, &found, &err),
                     MGR_OK);
    ck_assert_ptr_nonnull(found);
    ck_assert_str_eq(found->desc->name, "dummy");
    /* dialect_badmajor sorts first and is refused; nothing after dummy
     * (dialect_v10, ...) is opened. */
    ck_assert_uint_eq(plugin_set_count(set), 1);
}
END_TEST

START_TEST(test_load_all_skips_shadowed)
{
    char a[PATH_MAX], want[PATH_MAX];

    make_dir(pathf(a, "%s/a", tmp), 0755);
    put_plugin("format_dummy", a, 0644);
    set = new_set(a, TEST_PLUGINDIR, NULL);
    ck_assert_int_eq(plugin_set_load_all(set, MGR_PLUGIN_FORMAT, NULL,
                                             NULL, &err),
                     MGR_OK);
    ck_assert_uint_eq(plugin_set_count(set), 2);
    ck_assert_str_eq(plugin_set_get(set, 0)->path,
                     pathf(want, "%s/format_dummy%s", a, EXT));
    ck_assert_str_eq(plugin_set_get(set, 1)->desc->name, "ctor");
}
END_TEST

static struct mgr_ctx search_ctx;
static char **search_dirs;

static void run_search_path(void)
{
    ck_assert_int_eq(loader_search_path(&search_ctx, &search_dirs, &err),
                     MGR_OK);
}

START_TEST(test_search_path_order)
{
    char **dirs;
    char *warnings;

    memset(&search_ctx, 0, sizeof(search_ctx));
    search_ctx.plugin_dir = "/opt/cli";
    search_ctx.default_plugin_dir = "/usr/lib/migrator";
    setenv("MIGRATOR_PLUGIN_PATH",
           "/env/one::relative/dir:/opt/cli:./here:/env/two:", 1);
    warnings = capture_stderr(run_search_path);
    dirs = search_dirs;
    ck_assert_str_eq(dirs[0], "/opt/cli");
    ck_assert_str_eq(dirs[1], "/env/one");
    ck_assert_str_eq(dirs[2], "/env/two");
    ck_assert_str_eq(dirs[3], "/usr/lib/migrator");
    ck_assert_ptr_null(dirs[4]);
    strv_list_free(dirs);
    ck_assert_str_eq(warnings,
                     "migrator: warning: ignoring relative directory "
                     "'relative/dir' in $MIGRATOR_PLUGIN_PATH; give its "
                     "full path\n"
                     "migrator: warning: ignoring relative directory "
                     "'./here' in $MIGRATOR_PLUGIN_PATH; give its full "
                     "path\n");
    free(warnings);

    unsetenv("MIGRATOR_PLUGIN_PATH");
    search_ctx.plugin_dir = NULL;
    ck_assert_int_eq(loader_search_path(&search_ctx, &dirs, &err), MGR_OK);
    ck_assert_str_eq(dirs[0], "/usr/lib/migrator");
    ck_assert_ptr_null(dirs[1]);
    strv_list_free(dirs);
}
END_TEST

START_TEST(test_search_path_from_config)
{
    struct mgr_ctx ctx;
    char ini[PATH_MAX], want[PATH_MAX];
    char **dirs;
    FILE *f;

    f = fopen(pathf(ini, "%s/migrator.ini", tmp), "w");
    ck_assert_ptr_nonnull(f);
    fputs("[migrator]\nplugin_path = plugins, /srv/plugins\n", f);
    ck_assert_int_eq(fclose(f), 0);

    memset(&ctx, 0, sizeof(ctx));
    ctx.plugin_dir = "/opt/cli";
    ctx.default_plugin_dir = "/usr/lib/migrator";
    setenv("MIGRATOR_PLUGIN_PATH", "/env/one", 1);
    ck_assert_int_eq(config_load(&ctx.config, ini, NULL, &err), MGR_OK);
    ck_assert_int_eq(loader_search_path(&ctx, &dirs, &err), MGR_OK);
    ck_assert_str_eq(dirs[0], "/opt/cli");
    ck_assert_str_eq(dirs[1], "/env/one");
    /* Relative to the config file's directory, not the working one. */
    ck_assert_str_eq(dirs[2], pathf(want, "%s/plugins", tmp));
    ck_assert_str_eq(dirs[3], "/srv/plugins");
    ck_assert_str_eq(dirs[4], "/usr/lib/migrator");
    ck_assert_ptr_null(dirs[5]);
    strv_list_free(dirs);
    config_free(ctx.config);
}
END_TEST

START_TEST(test_kind_names_and_file_names)
{
    enum mgr_plugin_kind kind;
    char *name;

    ck_assert_str_eq(plugin_kind_name(MGR_PLUGIN_DIALECT), "dialect");
    ck_assert_str_eq(plugin_kind_name(MGR_PLUGIN_FORMAT), "format");
    ck_assert_str_eq(plugin_kind_name(MGR_PLUGIN_REPORTER), "reporter");
    ck_assert_str_eq(plugin_kind_name(MGR_PLUGIN_LINTER), "linter");
    ck_assert_ptr_null(plugin_kind_name((enum mgr_plugin_kind)0));
    ck_assert_ptr_null(plugin_kind_name((enum mgr_plugin_kind)5));

    ck_assert_int_eq(loader_parse_file_name("reporter_junit_xml" EXT, &kind,
                                            &name, &err),
                     MGR_OK);
    ck_assert_int_eq(kind, MGR_PLUGIN_REPORTER);
    ck_assert_str_eq(name, "junit_xml");
    free(name);
    ck_assert_int_eq(loader_parse_file_name("dialect_pg" EXT, &kind, &name,
                                            &err),
                     MGR_OK);
    ck_assert_int_eq(kind, MGR_PLUGIN_DIALECT);
    ck_assert_str_eq(name, "pg");
    free(name);

    ck_assert_int_eq(loader_parse_file_name("libfoo" EXT, &kind, &name,
                                            &err),
                     MGR_EPLUGIN);
    ck_assert_str_eq(err.msg, "file name is not <kind>_<name>" EXT
                              " (kind dialect, format, reporter or linter)");
    ck_assert_int_eq(loader_parse_file_name("dialect_" EXT, &kind, &name,
                                            &err),
                     MGR_EPLUGIN);
    ck_assert_int_eq(loader_parse_file_name("driver_pg" EXT, &kind, &name,
                                            &err),
                     MGR_EPLUGIN);
    ck_assert_int_eq(loader_parse_file_name("dialect_pg.la", &kind, &name,
                                            &err),
                     MGR_EPLUGIN);
}
END_TEST

START_TEST(test_list_dir_sorted_modules_only)
{
    char path[PATH_MAX];
    char **files;
    const char *names[] = { "format_b" EXT, "dialect_z" EXT, "README",
                            "dialect_a.la", ".hidden" EXT, "x" EXT };

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        close(open(pathf(path, "%s/%s", tmp, names[i]),
                   O_WRONLY | O_CREAT, 0644));
    ck_assert_int_eq(loader_list_dir(tmp, &files, &err), MGR_OK);
    ck_assert_str_eq(files[0], "dialect_z" EXT);
    ck_assert_str_eq(files[1], "format_b" EXT);
    ck_assert_str_eq(files[2], "x" EXT);
    ck_assert_ptr_null(files[3]);
    strv_list_free(files);

    ck_assert_int_eq(loader_list_dir(pathf(path, "%s/missing", tmp), &files,
                                     &err),
                     MGR_OK);
    ck_assert_ptr_null(files[0]);
    strv_list_free(files);
}
END_TEST

/* Run fn with stderr going to a file; return what it wrote (free it). */
static char *capture_stderr(void (*fn)(void))
{
    char path[PATH_MAX], *text;
    int fd, saved;
    ssize_t n;

    fflush(stderr);
    saved = dup(2);
    fd = open(pathf(path, "%s/stderr.txt", tmp),
              O_RDWR | O_CREAT | O_TRUNC, 0600);
    ck_assert_int_ge(fd, 0);
    dup2(fd, 2);
    fn();
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    text = calloc(1, 4096);
    ck_assert_ptr_nonnull(text);
    n = pread(fd, text, 4095, 0);
    ck_assert_int_ge(n, 0);
    close(fd);
    return text;
}

static void log_through_api(void)
{
    const struct mgr_host_api *api = hostapi_get();
    struct mgr_host *h = hostapi_host_new("pg", NULL, NULL);

    api->log(h, MGR_LOG_WARNING, "slow server: %d ms", 1500);
    api->log(h, MGR_LOG_DEBUG, "dropped at the default level");
    hostapi_host_free(h);
}

START_TEST(test_host_api_table)
{
    const struct mgr_host_api *api = hostapi_get();
    struct mgr_buf sb = MGR_BUF_INIT;
    char *text, *p;

    ck_assert_uint_eq(api->abi_version, MGR_ABI_VERSION);
    ck_assert_uint_eq(api->size, sizeof(struct mgr_host_api));
    ck_assert(MGR_API_HAS(api, exec_sql));

    ck_assert_int_eq(api->error_set(&err, MGR_EDB, "no table '%s'", "t"),
                     MGR_EDB);
    ck_assert_str_eq(err.msg, "no table 't'");
    ck_assert_int_eq(err.code, MGR_EDB);

    api->buf_add(&sb, "ab", 2);
    api->buf_addf(&sb, "-%d", 7);
    ck_assert_str_eq(sb.buf, "ab-7");
    mgr_buf_release(&sb);

    p = api->alloc(16);
    memset(p, 'x', 16);
    api->free(p);

    text = capture_stderr(log_through_api);
    ck_assert_str_eq(text, "migrator: warning: [pg] slow server: 1500 ms\n");
    free(text);
}
END_TEST

/* ---- errors: refusals after opening ----------------------------------- */

START_TEST(test_refuse_other_major_abi)
{
    char reason[256];

    snprintf(reason, sizeof(reason),
             "it is for ABI %u.0 (this migrator has %u.%u); rebuild it "
             "against this migrator",
             MGR_ABI_MAJOR + 1, MGR_ABI_MAJOR, MGR_ABI_MINOR);
    expect_refusal("badmajor", MGR_EABI, "refusing to load", reason);
}
END_TEST

START_TEST(test_refuse_newer_minor_abi)
{
    char reason[256];

    snprintf(reason, sizeof(reason),
             "it is for ABI %u.%u (this migrator has %u.%u); upgrade "
             "migrator",
             MGR_ABI_MAJOR, MGR_ABI_MINOR + 1, MGR_ABI_MAJOR, MGR_ABI_MINOR);
    expect_refusal("newminor", MGR_EABI, "refusing to load", reason);
}
END_TEST

START_TEST(test_refuse_no_entry_point)
{
    expect_refusal("noentry", MGR_EPLUGIN, "refusing to load",
                   "it has no 'mgr_plugin_entry' function; is it a "
                   "migrator plugin?");
}
END_TEST

START_TEST(test_refuse_entry_returning_null)
{
    expect_refusal("nullentry", MGR_EPLUGIN, "refusing to load",
                   "mgr_plugin_entry() returned NULL");
}
END_TEST

START_TEST(test_refuse_small_descriptor)
{
    char reason[256];

    snprintf(reason, sizeof(reason),
             "its descriptor has %u bytes, fewer than the %u of ABI 1.0",
             (unsigned)offsetof(struct mgr_plugin, ops),
             (unsigned)MGR_PLUGIN_V1_SIZE);
    expect_refusal("small", MGR_EABI, "refusing to load", reason);
}
END_TEST

START_TEST(test_refuse_name_mismatch)
{
    expect_refusal("misnamed", MGR_EPLUGIN, "refusing to load",
                   "it is named 'other', but its file name says "
                   "'misnamed'");
}
END_TEST

START_TEST(test_refuse_kind_mismatch)
{
    expect_refusal("wrongkind", MGR_EPLUGIN, "refusing to load",
                   "it is a format plugin, but its file name says dialect");
}
END_TEST

START_TEST(test_refuse_null_ops)
{
    expect_refusal("nullops", MGR_EPLUGIN, "refusing to load",
                   "it has no dialect operations (ops is NULL)");
}
END_TEST

START_TEST(test_refuse_empty_ops)
{
    char want[128];

    snprintf(want, sizeof(want),
             "its dialect operations table has 0 bytes, fewer than the "
             "%u of ABI 1.0",
             (unsigned)MGR_DIALECT_OPS_V1_SIZE);
    expect_refusal("zeroops", MGR_EPLUGIN, "refusing to load", want);
}
END_TEST

START_TEST(test_refuse_missing_required_op)
{
    /* Without the check, the first query would call NULL (SIGSEGV). */
    expect_refusal("noquery", MGR_EPLUGIN, "refusing to load",
                   "its dialect operations lack 'query', which is "
                   "required");
}
END_TEST

START_TEST(test_refuse_reporter_without_close)
{
    const struct mgr_loaded_plugin *p = NULL;

    set = new_set(TEST_PLUGINDIR, NULL);
    ck_assert_int_eq(load(MGR_PLUGIN_REPORTER, "noclose", &p),
                     MGR_EPLUGIN);
    ck_assert_ptr_null(p);
    ck_assert_ptr_nonnull(strstr(err.msg, "refusing to load plugin"));
    ck_assert_ptr_nonnull(strstr(err.msg, "its reporter operations lack "
                                          "'close', which is required"));
}
END_TEST

START_TEST(test_abi_10_dialect_loads)
{
    const struct mgr_loaded_plugin *p = NULL;
    const struct mgr_dialect_ops *ops;

    set = new_set(TEST_PLUGINDIR, NULL);
    ck_assert_int_eq(load(MGR_PLUGIN_DIALECT, "v10", &p), MGR_OK);
    ops = p->ops;
    ck_assert_uint_eq(ops->size, MGR_DIALECT_OPS_V1_SIZE);
    /* Its lock is the 1.0 one; try_lock lies past its recorded size. */
    ck_assert_ptr_nonnull(ops->lock);
    ck_assert(!MGR_OPS_HAS(ops, struct mgr_dialect_ops, try_lock));
}
END_TEST

START_TEST(test_init_failure_passes_message_on)
{
    /* The plugin's fini traps if it is called after a failed init. */
    expect_refusal("initfail", MGR_EPLUGIN, "cannot load",
                   "initialisation failed: cannot reach server "
                   "'db.invalid'");
}
END_TEST

START_TEST(test_refuse_file_that_is_not_a_module)
{
    char path[PATH_MAX], want[PATH_MAX + 64];
    FILE *f;

    f = fopen(pathf(path, "%s/dialect_text%s", tmp, EXT), "w");
    ck_assert_ptr_nonnull(f);
    for (int i = 0; i < 10; i++)
        fputs("this text file is not a shared object\n", f);
    ck_assert_int_eq(fclose(f), 0);
    set = new_set(tmp, NULL);
    ck_assert_int_eq(load(MGR_PLUGIN_DIALECT, "text", NULL), MGR_EPLUGIN);
    snprintf(want, sizeof(want), "cannot load plugin '%s': ", path);
    ck_assert_msg(strncmp(err.msg, want, strlen(want)) == 0, "got: %s",
                  err.msg);
    /* dlopen's own reason, not libltdl's "file not found". */
    ck_assert_ptr_null(strstr(err.msg, "file not found"));
#ifdef __GLIBC__
    ck_assert_msg(strstr(err.msg, "': invalid ELF header; "), "got: %s",
                  err.msg);
#endif
    ck_assert_ptr_nonnull(strstr(err.msg, "a missing dependency is the "
                                          "usual cause"));
}
END_TEST

START_TEST(test_missing_plugin_names_the_search_path)
{
    char want[2 * PATH_MAX];
    char missing[PATH_MAX];

    set = new_set(TEST_PLUGINDIR, pathf(missing, "%s/none", tmp), NULL);
    ck_assert_int_eq(load(MGR_PLUGIN_DIALECT, "nosuch", NULL), MGR_EPLUGIN);
    snprintf(want, sizeof(want),
             "no dialect plugin 'nosuch': 'dialect_nosuch%s' is not in %s, "
             "%s; see 'migrator plugins'",
             EXT, TEST_PLUGINDIR, missing);
    ck_assert_str_eq(err.msg, want);
}
END_TEST

START_TEST(test_refuse_names_that_are_paths)
{
    set = new_set(TEST_PLUGINDIR, NULL);
    ck_assert_int_eq(load(MGR_PLUGIN_DIALECT, "../plugins/.libs/dummy",
                          NULL),
                     MGR_EPLUGIN);
    ck_assert_str_eq(err.msg, "invalid dialect plugin name "
                              "'../plugins/.libs/dummy': use letters, "
                              "digits, '_', '-', '+' and '.'");
    ck_assert_int_eq(load(MGR_PLUGIN_DIALECT, "", NULL), MGR_EPLUGIN);
    ck_assert_int_eq(load(MGR_PLUGIN_DIALECT, ".hidden", NULL), MGR_EPLUGIN);
    ck_assert_int_eq(load((enum mgr_plugin_kind)9, "dummy", NULL),
                     MGR_EPLUGIN);
    ck_assert_str_eq(err.msg, "unknown plugin kind 9");
    ck_assert_uint_eq(plugin_set_count(set), 0);
}
END_TEST

START_TEST(test_refuse_relative_directory)
{
    const char *dirs[] = { "/ok", "plugins", NULL };
    struct mgr_plugin_set *s = NULL;

    ck_assert_int_eq(plugin_set_new(&s, dirs, &err), MGR_ECONFIG);
    ck_assert_ptr_null(s);
    ck_assert_str_eq(err.msg, "plugin directory 'plugins' is not absolute; "
                              "give its full path");
}
END_TEST

/* ---- errors: trust, before opening ------------------------------------ */

START_TEST(test_trust_file_writable_by_group)
{
    char dir[PATH_MAX], file[PATH_MAX];

    make_dir(pathf(dir, "%s/d", tmp), 0755);
    put_plugin("dialect_dummy", dir, 0664);
    set = new_set(dir, NULL);
    ck_assert_int_eq(load(MGR_PLUGIN_DIALECT, "dummy", NULL), MGR_ETRUST);
    expect_untrusted(pathf(file, "%s/dialect_dummy%s", dir, EXT),
                     "file is writable by group or others");
    ck_assert_int_eq(trust_check_path(file, &err), MGR_ETRUST);
    expect_untrusted(file, "file is writable by group or others");
    ck_assert_int_eq(chmod(file, 0644), 0);
    ck_assert_int_eq(trust_check_path(file, &err), MGR_OK);
}
END_TEST

START_TEST(test_trust_directory_writable_by_others)
{
    char dir[PATH_MAX], file[PATH_MAX], reason[PATH_MAX + 64];

    make_dir(pathf(dir, "%s/d", tmp), 0757);
    put_plugin("dialect_dummy", dir, 0644);
    set = new_set(dir, NULL);
    ck_assert_int_eq(load(MGR_PLUGIN_DIALECT, "dummy", NULL), MGR_ETRUST);
    snprintf(reason, sizeof(reason),
             "directory '%s' is writable by group or others", dir);
    expect_untrusted(pathf(file, "%s/dialect_dummy%s", dir, EXT), reason);
}
END_TEST

START_TEST(test_trust_higher_directory_writable_by_group)
{
    char up[PATH_MAX], dir[PATH_MAX], file[PATH_MAX];
    char reason[PATH_MAX + 64];

    make_dir(pathf(up, "%s/up", tmp), 0775);
    make_dir(pathf(dir, "%s/sub", up), 0755);
    put_plugin("dialect_dummy", dir, 0644);
    ck_assert_int_eq(trust_check_path(pathf(file, "%s/dialect_dummy%s", dir,
                                            EXT),
                                      &err),
                     MGR_ETRUST);
    snprintf(reason, sizeof(reason),
             "directory '%s' is writable by group or others", up);
    expect_untrusted(file, reason);
}
END_TEST

START_TEST(test_trust_sticky_directory_above)
{
    char up[PATH_MAX], dir[PATH_MAX], file[PATH_MAX];
    char reason[PATH_MAX + 64];

    /* Like /tmp: world-writable and sticky. */
    make_dir(pathf(up, "%s/sticky", tmp), 01777);
    make_dir(pathf(dir, "%s/build", up), 0755);
    put_plugin("dialect_dummy", dir, 0644);
    put_plugin("dialect_dummy", up, 0644);

    /* Further up it is fine when root owns it, as root owns /tmp. */
    pathf(file, "%s/dialect_dummy%s", dir, EXT);
    if (geteuid() == 0) {
        ck_assert_int_eq(trust_check_path(file, &err), MGR_OK);
    } else {
        ck_assert_int_eq(trust_check_path(file, &err), MGR_ETRUST);
        snprintf(reason, sizeof(reason),
                 "directory '%s' is writable by group or others", up);
        expect_untrusted(file, reason);
    }

    /* Directly in it, never. */
    pathf(file, "%s/dialect_dummy%s", up, EXT);
    ck_assert_int_eq(trust_check_path(file, &err), MGR_ETRUST);
    snprintf(reason, sizeof(reason),
             "directory '%s' is writable by group or others", up);
    expect_untrusted(file, reason);
}
END_TEST

START_TEST(test_trust_symlink_into_tmp)
{
    char target[PATH_MAX], link[PATH_MAX], reason[2 * PATH_MAX];
    int fd;

    /* A file directly in /tmp, made and removed by this test. */
    pathf(target, "/tmp/check_loader.XXXXXX%s", EXT);
    fd = mkstemps(target, (int)strlen(EXT));
    ck_assert_int_ge(fd, 0);
    copy_to_fd(TEST_PLUGINDIR "/dialect_dummy" EXT, fd);
    ck_assert_int_eq(fchmod(fd, 0644), 0);
    close(fd);
    memcpy(tmp_file, target, sizeof(tmp_file)); /* teardown removes it */
    ck_assert_int_eq(symlink(target, pathf(link, "%s/dialect_dummy%s", tmp,
                                           EXT)),
                     0);
    set = new_set(tmp, NULL);
    ck_assert_int_eq(load(MGR_PLUGIN_DIALECT, "dummy", NULL), MGR_ETRUST);
    snprintf(reason, sizeof(reason),
             "link target '%s': directory '/tmp' is writable by group or "
             "others",
             target);
    expect_untrusted(link, reason);
}
END_TEST

START_TEST(test_trust_symlink_to_trusted_file)
{
    const struct mgr_loaded_plugin *p;
    char dir[PATH_MAX], link[PATH_MAX], target[PATH_MAX];

    make_dir(pathf(dir, "%s/real", tmp), 0755);
    put_plugin("dialect_dummy", dir, 0644);
    pathf(target, "%s/dialect_dummy%s", dir, EXT);
    ck_assert_int_eq(symlink(target, pathf(link, "%s/dialect_dummy%s", tmp,
                                           EXT)),
                     0);
    set = new_set(tmp, NULL);
    ck_assert_int_eq(load(MGR_PLUGIN_DIALECT, "dummy", &p), MGR_OK);
    ck_assert_str_eq(p->path, link);
}
END_TEST

START_TEST(test_trust_symlink_in_writable_directory)
{
    char dir[PATH_MAX], link[PATH_MAX], reason[PATH_MAX + 64];

    make_dir(pathf(dir, "%s/open", tmp), 0777);
    ck_assert_int_eq(symlink(TEST_PLUGINDIR "/dialect_dummy" EXT,
                             pathf(link, "%s/dialect_dummy%s", dir, EXT)),
                     0);
    ck_assert_int_eq(trust_check_path(link, &err), MGR_ETRUST);
    snprintf(reason, sizeof(reason),
             "directory '%s' is writable by group or others", dir);
    expect_untrusted(link, reason);
}
END_TEST

START_TEST(test_trust_not_a_regular_file)
{
    char dir[PATH_MAX];

    make_dir(pathf(dir, "%s/dialect_dir%s", tmp, EXT), 0755);
    set = new_set(tmp, NULL);
    ck_assert_int_eq(load(MGR_PLUGIN_DIALECT, "dir", NULL), MGR_ETRUST);
    expect_untrusted(dir, "not a regular file");
}
END_TEST

START_TEST(test_trust_needs_absolute_existing_path)
{
    ck_assert_int_eq(trust_check_path("tests/plugins/.libs/dialect_dummy" EXT,
                                      &err),
                     MGR_ETRUST);
    ck_assert_str_eq(err.msg, "refusing to load plugin "
                              "'tests/plugins/.libs/dialect_dummy" EXT
                              "': path is not absolute");
    ck_assert_int_eq(trust_check_path("/nonexistent/dialect_x" EXT, &err),
                     MGR_EPLUGIN);
    ck_assert_str_eq(err.msg, "cannot load plugin '/nonexistent/dialect_x" EXT
                              "': cannot examine file: No such file or "
                              "directory");
    ck_assert_int_eq(trust_check_path(TEST_PLUGINDIR "/dialect_dummy" EXT,
                                      &err),
                     MGR_OK);
}
END_TEST

START_TEST(test_trust_owned_by_another_user)
{
    char dir[PATH_MAX], file[PATH_MAX], reason[PATH_MAX + 64];

    /* Registered only when running as root, who can chown. */
    make_dir(pathf(dir, "%s/d", tmp), 0755);
    put_plugin("dialect_dummy", dir, 0644);
    pathf(file, "%s/dialect_dummy%s", dir, EXT);
    ck_assert_int_eq(chown(file, 65534, 65534), 0);
    ck_assert_int_eq(trust_check_path(file, &err), MGR_ETRUST);
    expect_untrusted(file, "file is owned by uid 65534, not root or you");

    ck_assert_int_eq(chown(file, 0, 0), 0);
    ck_assert_int_eq(chown(dir, 65534, 65534), 0);
    ck_assert_int_eq(trust_check_path(file, &err), MGR_ETRUST);
    snprintf(reason, sizeof(reason),
             "directory '%s' is owned by uid 65534, not root or you", dir);
    expect_untrusted(file, reason);
}
END_TEST

START_TEST(test_untrusted_constructor_never_runs)
{
    const struct mgr_loaded_plugin *p;
    char open_dir[PATH_MAX], safe_dir[PATH_MAX], marker[PATH_MAX];

    make_dir(pathf(open_dir, "%s/open", tmp), 0777);
    make_dir(pathf(safe_dir, "%s/safe", tmp), 0755);
    put_plugin("format_ctor", open_dir, 0644);
    put_plugin("format_ctor", safe_dir, 0644);
    setenv("MGR_TEST_CTOR_MARKER", pathf(marker, "%s/marker", tmp), 1);

    set = new_set(open_dir, NULL);
    ck_assert_int_eq(load(MGR_PLUGIN_FORMAT, "ctor", NULL), MGR_ETRUST);
    ck_assert_int_eq(access(marker, F_OK), -1);
    ck_assert_int_eq(errno, ENOENT);

    /* The same file from a trusted directory does run it. */
    plugin_set_free(set);
    set = new_set(safe_dir, NULL);
    ck_assert_int_eq(load(MGR_PLUGIN_FORMAT, "ctor", &p), MGR_OK);
    ck_assert_int_eq(access(marker, F_OK), 0);
}
END_TEST

/* ---- limits ----------------------------------------------------------- */

START_TEST(test_long_path_message_is_truncated)
{
    char dir[PATH_MAX];
    size_t len;

    pathf(dir, "%s/", tmp);
    len = strlen(dir);
    memset(dir + len, 'd', 250);
    dir[len + 250] = '\0';
    make_dir(dir, 0755);
    len += 250;
    dir[len++] = '/';
    memset(dir + len, 'e', 250);
    dir[len + 250] = '\0';
    make_dir(dir, 0755);
    len += 250;
    dir[len++] = '/';
    memset(dir + len, 'f', 250);
    dir[len + 250] = '\0';
    make_dir(dir, 0777);
    put_plugin("dialect_dummy", dir, 0644);
    set = new_set(dir, NULL);
    ck_assert_int_eq(load(MGR_PLUGIN_DIALECT, "dummy", NULL), MGR_ETRUST);
    ck_assert_uint_eq(strlen(err.msg), MGR_ERROR_SIZE - 1);
    ck_assert(strncmp(err.msg, "refusing to load plugin '", 25) == 0);
}
END_TEST

START_TEST(test_long_names_refused)
{
    char name[100];

    memset(name, 'n', 65);
    name[65] = '\0';
    set = new_set(TEST_PLUGINDIR, NULL);
    ck_assert_int_eq(load(MGR_PLUGIN_DIALECT, name, NULL), MGR_EPLUGIN);
    ck_assert_ptr_nonnull(strstr(err.msg, "invalid dialect plugin name"));
    name[64] = '\0';
    ck_assert_int_eq(load(MGR_PLUGIN_DIALECT, name, NULL), MGR_EPLUGIN);
    ck_assert_ptr_nonnull(strstr(err.msg, "is not in"));
}
END_TEST

START_TEST(test_empty_search_path)
{
    set = new_set(NULL);
    ck_assert_int_eq(load(MGR_PLUGIN_DIALECT, "dummy", NULL), MGR_EPLUGIN);
    ck_assert_str_eq(err.msg, "no dialect plugin 'dummy': 'dialect_dummy" EXT
                              "' is not in an empty search path; see "
                              "'migrator plugins'");
    ck_assert_int_eq(plugin_set_load_all(set, MGR_PLUGIN_FORMAT, NULL,
                                             NULL, &err),
                     MGR_OK);
    ck_assert_uint_eq(plugin_set_count(set), 0);
    plugin_set_free(NULL);
    ck_assert_uint_eq(plugin_set_count(NULL), 0);
    ck_assert_ptr_null(plugin_set_get(NULL, 0));
}
END_TEST

START_TEST(test_many_search_path_entries)
{
    struct mgr_buf env = MGR_BUF_INIT;
    struct mgr_ctx ctx;
    char **dirs;
    size_t n;

    for (int i = 0; i < 500; i++)
        mgr_buf_addf(&env, "/p/%d:/p/%d:", i % 250, i);
    setenv("MIGRATOR_PLUGIN_PATH", env.buf, 1);
    mgr_buf_release(&env);
    memset(&ctx, 0, sizeof(ctx));
    ck_assert_int_eq(loader_search_path(&ctx, &dirs, &err), MGR_OK);
    for (n = 0; dirs[n]; n++)
        ;
    ck_assert_uint_eq(n, 500);
    ck_assert_str_eq(dirs[0], "/p/0");
    ck_assert_str_eq(dirs[499], "/p/499");
    strv_list_free(dirs);
}
END_TEST

static Suite *loader_suite(void)
{
    Suite *s = suite_create("loader");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_good_dialect_loads);
    tcase_add_test(tc, test_fini_in_reverse_order);
    tcase_add_test(tc, test_loading_twice_returns_the_first);
    tcase_add_test(tc, test_first_directory_wins);
    tcase_add_test(tc, test_refused_file_does_not_fall_through);
    tcase_add_test(tc, test_load_all_of_a_kind);
    tcase_add_test(tc, test_load_all_skips_shadowed);
    tcase_add_test(tc, test_load_until_stops_at_the_first_wanted);
    tcase_add_test(tc, test_search_path_order);
    tcase_add_test(tc, test_search_path_from_config);
    tcase_add_test(tc, test_kind_names_and_file_names);
    tcase_add_test(tc, test_list_dir_sorted_modules_only);
    tcase_add_test(tc, test_host_api_table);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_refuse_other_major_abi);
    tcase_add_test(tc, test_refuse_missing_required_op);
    tcase_add_test(tc, test_refuse_reporter_without_close);
    tcase_add_test(tc, test_abi_10_dialect_loads);
    tcase_add_test(tc, test_refuse_newer_minor_abi);
    tcase_add_test(tc, test_refuse_no_entry_point);
    tcase_add_test(tc, test_refuse_entry_returning_null);
    tcase_add_test(tc, test_refuse_small_descriptor);
    tcase_add_test(tc, test_refuse_name_mismatch);
    tcase_add_test(tc, test_refuse_kind_mismatch);
    tcase_add_test(tc, test_refuse_null_ops);
    tcase_add_test(tc, test_refuse_empty_ops);
    tcase_add_test(tc, test_init_failure_passes_message_on);
    tcase_add_test(tc, test_refuse_file_that_is_not_a_module);
    tcase_add_test(tc, test_missing_plugin_names_the_search_path);
    tcase_add_test(tc, test_refuse_names_that_are_paths);
    tcase_add_test(tc, test_refuse_relative_directory);
    tcase_add_test(tc, test_trust_file_writable_by_group);
    tcase_add_test(tc, test_trust_directory_writable_by_others);
    tcase_add_test(tc, test_trust_higher_directory_writable_by_group);
    tcase_add_test(tc, test_trust_sticky_directory_above);
    tcase_add_test(tc, test_trust_symlink_into_tmp);
    tcase_add_test(tc, test_trust_symlink_to_trusted_file);
    tcase_add_test(tc, test_trust_symlink_in_writable_directory);
    tcase_add_test(tc, test_trust_not_a_regular_file);
    tcase_add_test(tc, test_trust_needs_absolute_existing_path);
    if (geteuid() == 0)
        tcase_add_test(tc, test_trust_owned_by_another_user);
    tcase_add_test(tc, test_untrusted_constructor_never_runs);
    suite_add_tcase(s, tc);

    tc = tcase_create("limits");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_long_path_message_is_truncated);
    tcase_add_test(tc, test_long_names_refused);
    tcase_add_test(tc, test_empty_search_path);
    tcase_add_test(tc, test_many_search_path_entries);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(loader_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
