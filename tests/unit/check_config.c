/* check_config.c: the config reader (core/config*.c). */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <migrator/migrator.h>

#include "config.h"

/*
 * Each test runs in a fresh mkdtemp() directory, which is also the
 * working directory, so that files are named "migrator.ini" in messages.
 */
static char tmpdir[PATH_MAX];
static char here[PATH_MAX]; /* getcwd() in tmpdir: what %(here)s gives */
static int saved_cwd = -1;

/* Remove path and, for a directory, everything under it. */
static void remove_tree(const char *path)
{
    struct stat st;
    struct dirent *de;
    char sub[PATH_MAX];
    DIR *d;

    if (lstat(path, &st) < 0)
        return;
    d = S_ISDIR(st.st_mode) ? opendir(path) : NULL;

    while (d && (de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
        remove_tree(sub);
    }
    if (d)
        closedir(d);
    remove(path);
}

static void setup(void)
{
    const char *base = getenv("TMPDIR");

    if (!base || !*base)
        base = "/tmp";
    snprintf(tmpdir, sizeof(tmpdir), "%s/check_config.XXXXXX", base);
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    saved_cwd = open(".", O_RDONLY);
    ck_assert_int_ge(saved_cwd, 0);
    ck_assert_int_eq(chdir(tmpdir), 0);
    ck_assert_ptr_nonnull(getcwd(here, sizeof(here)));
    unsetenv("MGR_TEST_URL");
    unsetenv("MGR_TEST_UNSET");
    unsetenv("MGR_TEST_EMPTY");
}

static void teardown(void)
{
    if (saved_cwd >= 0) {
        ck_assert_int_eq(fchdir(saved_cwd), 0);
        close(saved_cwd);
        saved_cwd = -1;
    }
    remove_tree(tmpdir);
}

/* Write len bytes of text to name (relative to tmpdir) with mode. */
static void write_bytes(const char *name, const char *text, size_t len,
                        mode_t mode)
{
    FILE *fp = fopen(name, "wb");

    ck_assert_ptr_nonnull(fp);
    ck_assert_uint_eq(fwrite(text, 1, len, fp), len);
    ck_assert_int_eq(fclose(fp), 0);
    ck_assert_int_eq(chmod(name, mode), 0);
}

static void write_ini(const char *name, const char *text)
{
    write_bytes(name, text, strlen(text), 0600);
}

/* ---- capturing stderr (warnings) ----------------------------------- */

static int cap_saved = -1;

static void capture_start(void)
{
    int fd;

    fflush(stderr);
    fd = open("stderr.txt", O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ck_assert_int_ge(fd, 0);
    cap_saved = dup(2);
    ck_assert_int_ge(cap_saved, 0);
    ck_assert_int_ge(dup2(fd, 2), 0);
    close(fd);
}

/* What was written to stderr since capture_start(); free() it. */
static char *capture_end(void)
{
    FILE *fp;
    char *text;
    long size;

    fflush(stderr);
    ck_assert_int_ge(dup2(cap_saved, 2), 0);
    close(cap_saved);
    cap_saved = -1;
    fp = fopen("stderr.txt", "rb");
    ck_assert_ptr_nonnull(fp);
    fseek(fp, 0, SEEK_END);
    size = ftell(fp);
    rewind(fp);
    text = calloc(1, (size_t)size + 1);
    ck_assert_ptr_nonnull(text);
    ck_assert_uint_eq(fread(text, 1, (size_t)size, fp), (size_t)size);
    fclose(fp);
    return text;
}

/* Load, capturing stderr into *warnings_out (free() it). */
static int load_quiet(struct mgr_config **cfg, const char *path,
                      const char *section, struct mgr_error *err,
                      char **warnings_out)
{
    int rc;

    capture_start();
    rc = config_load(cfg, path, section, err);
    *warnings_out = capture_end();
    return rc;
}

/* Load text as migrator.ini and expect failure with code and message. */
static void expect_error(const char *text, int code, const char *msg)
{
    struct mgr_config *cfg = NULL;
    struct mgr_error err;
    char *warnings;

    write_ini("migrator.ini", text);
    ck_assert_int_eq(load_quiet(&cfg, "migrator.ini", NULL, &err,
                                &warnings), code);
    ck_assert_int_eq(err.code, code);
    ck_assert_str_eq(err.msg, msg);
    ck_assert_ptr_null(cfg);
    free(warnings);
}

/* Load text as migrator.ini and expect success without warnings. */
static struct mgr_config *load_ok(const char *text)
{
    struct mgr_config *cfg = NULL;
    struct mgr_error err = { 0, 0, "" };
    char *warnings;
    int rc;

    write_ini("migrator.ini", text);
    rc = load_quiet(&cfg, "migrator.ini", NULL, &err, &warnings);
    ck_assert_msg(rc == MGR_OK, "load failed: %s", err.msg);
    ck_assert_str_eq(warnings, "");
    free(warnings);
    ck_assert_ptr_nonnull(cfg);
    return cfg;
}

static char *path_in_here(const char *rel)
{
    size_t n = strlen(here) + strlen(rel) + 2;
    char *p = malloc(n);

    ck_assert_ptr_nonnull(p);
    snprintf(p, n, "%s/%s", here, rel);
    return p;
}

static void assert_here(const char *value, const char *rel)
{
    char *want = path_in_here(rel);

    ck_assert_str_eq(value, want);
    free(want);
}

static size_t strv_len(char **v)
{
    size_t n = 0;

    while (v[n])
        n++;
    return n;
}

/* ---- core ----------------------------------------------------------- */

START_TEST(test_defaults_from_an_empty_section)
{
    struct mgr_config *cfg = load_ok("[migrator]\n");
    struct mgr_error err;
    bool b = true;
    long ms = 0;

    ck_assert_str_eq(config_path(cfg), "migrator.ini");
    ck_assert_str_eq(config_dir(cfg), here);
    ck_assert_str_eq(config_section(cfg), "migrator");
    assert_here(config_get(cfg, "script_location"), "migrations");
    assert_here(config_get(cfg, "version_locations"),
                "migrations/versions");
    assert_here(config_get(cfg, "schema_file"), "schema.sql");
    ck_assert_str_eq(config_get(cfg, "version_table"),
                     "migrator_version");
    ck_assert_str_eq(config_get(cfg, "file_template"),
                     "%(rev)s_%(slug)s");
    ck_assert_str_eq(config_get(cfg, "reporter"), "text");
    ck_assert_str_eq(config_get(cfg, "c_compiler"), "cc");
    ck_assert_str_eq(config_get(cfg, "lock_wait"), "600s");
    ck_assert_ptr_null(config_get(cfg, "database_url"));
    ck_assert_ptr_null(config_get(cfg, "version_table_schema"));
    ck_assert_ptr_null(config_get(cfg, "lock_strategy"));
    ck_assert_ptr_null(config_get(cfg, "no_such_key"));
    ck_assert_int_eq(config_line(cfg, "lock_wait"), 0);
    ck_assert_int_eq(config_get_bool(cfg, "transaction_per_migration",
                                         &b, &err), MGR_OK);
    ck_assert(!b);
    b = true;
    ck_assert_int_eq(config_get_bool(cfg, "recursive_version_locations",
                                         &b, &err), MGR_OK);
    ck_assert(!b);
    ck_assert_int_eq(config_get_duration_ms(cfg, "lock_wait", &ms, &err),
                     MGR_OK);
    ck_assert_int_eq(ms, 600000);
    ck_assert_int_eq(config_get_duration_ms(cfg, "statement_timeout",
                                                &ms, &err), MGR_OK);
    ck_assert_int_eq(ms, 0);
    ck_assert_int_eq(config_get_duration_ms(cfg, "connect_timeout", &ms,
                                            &err), MGR_OK);
    ck_assert_int_eq(ms, 10000);
    config_free(cfg);
}
END_TEST

START_TEST(test_new_defaults_resolve_against_cwd)
{
    struct mgr_config *cfg = config_new_defaults();
    char **v;

    ck_assert_ptr_null(config_path(cfg));
    ck_assert_ptr_null(config_dir(cfg));
    ck_assert_str_eq(config_get(cfg, "script_location"), "migrations");
    ck_assert_str_eq(config_get(cfg, "version_locations"),
                     "migrations/versions");
    ck_assert_str_eq(config_get(cfg, "version_table"),
                     "migrator_version");
    v = config_get_paths(cfg, "version_locations");
    ck_assert_uint_eq(strv_len(v), 1);
    assert_here(v[0], "migrations/versions");
    strv_list_free(v);
    config_free(cfg);
}
END_TEST

/* The example of DESIGN.md, verbatim. */
static const char design_ini[] =
    "[migrator]\n"
    "script_location = %(here)s/migrations\n"
    "version_locations = %(here)s/migrations/versions\n"
    "database_url = ${DATABASE_URL}\n"
    "version_table = migrator_version\n"
    "version_table_schema =\n"
    "transaction_per_migration = false\n"
    "lock_wait = 600s\n"
    "file_template = %%(rev)s_%%(slug)s\n"
    "reporter = text\n"
    "plugin_path =\n"
    "schema_file = %(here)s/schema.sql\n"
    "dev_url =\n"
    "c_compiler = cc\n"
    "c_flags =\n"
    "\n"
    "[naming_convention]\n"
    "ix = ix_%%(column_0_label)s\n"
    "uq = uq_%%(table_name)s_%%(column_0_name)s\n"
    "ck = ck_%%(table_name)s_%%(constraint_name)s\n"
    "fk = fk_%%(table_name)s_%%(column_0_name)s_%%(referred_table_name)s\n"
    "pk = pk_%%(table_name)s\n";

START_TEST(test_design_example_loads)
{
    struct mgr_config *cfg;
    char **keys, **paths;

    setenv("DATABASE_URL", "sqlite:///app.db", 1);
    cfg = load_ok(design_ini);
    ck_assert_str_eq(config_get(cfg, "database_url"), "sqlite:///app.db");
    ck_assert_str_eq(config_get(cfg, "version_table_schema"), "");
    ck_assert_str_eq(config_get(cfg, "file_template"),
                     "%(rev)s_%(slug)s");
    assert_here(config_get(cfg, "schema_file"), "schema.sql");
    ck_assert_int_eq(config_line(cfg, "lock_wait"), 8);
    ck_assert_str_eq(config_get_in(cfg, "naming_convention", "ix"),
                     "ix_%(column_0_label)s");
    ck_assert_str_eq(config_get_in(cfg, "naming_convention", "fk"),
                     "fk_%(table_name)s_%(column_0_name)s_"
                     "%(referred_table_name)s");
    ck_assert_ptr_null(config_get_in(cfg, "naming_convention",
                                         "reporter"));
    ck_assert_ptr_null(config_get_in(cfg, "nope", "ix"));
    ck_assert_ptr_null(config_get(cfg, "ix"));
    keys = config_keys(cfg, "naming_convention");
    ck_assert_uint_eq(strv_len(keys), 5);
    ck_assert_str_eq(keys[0], "ix");
    ck_assert_str_eq(keys[4], "pk");
    strv_list_free(keys);
    ck_assert_ptr_null(config_keys(cfg, "nope"));
    paths = config_get_paths(cfg, "plugin_path");
    ck_assert_ptr_null(paths[0]);
    strv_list_free(paths);
    config_free(cfg);
    unsetenv("DATABASE_URL");
}
END_TEST

START_TEST(test_semicolon_values_are_verbatim)
{
    struct mgr_config *cfg = load_ok(
        "[migrator]\n"
        "database_url = host=db password=ab ;cd#ef\n"
        "dev_url = host=db password=ab;cd\n"
        "; a comment line\n"
        "# another\n"
        "[secrets]\n"
        "password = ab ;cd#ef\n"
        "other = ab;cd\n"
        "spaced =   x ; y ;  \n");

    ck_assert_str_eq(config_get(cfg, "database_url"),
                     "host=db password=ab ;cd#ef");
    ck_assert_str_eq(config_get(cfg, "dev_url"),
                     "host=db password=ab;cd");
    ck_assert_str_eq(config_get_in(cfg, "secrets", "password"),
                     "ab ;cd#ef");
    ck_assert_str_eq(config_get_in(cfg, "secrets", "other"), "ab;cd");
    ck_assert_str_eq(config_get_in(cfg, "secrets", "spaced"), "x ; y ;");
    config_free(cfg);
}
END_TEST

START_TEST(test_expansion)
{
    struct mgr_config *cfg;
    struct mgr_error err;
    char *warnings;

    setenv("MGR_TEST_URL", "sqlite:///a%20b${X}.db", 1);
    setenv("MGR_TEST_EMPTY", "", 1);
    write_ini("migrator.ini",
              "[migrator]\n"
              "script_location = %(here)s/db\n"
              "schema_file = %(HERE)s/sql/../schema.sql\n"
              "file_template = %%(rev)s_%%(slug)s_100%%\n"
              "database_url = ${MGR_TEST_URL}\n"
              "dev_url = ${MGR_TEST_UNSET:-sqlite:///dev.db}\n"
              "c_flags = ${MGR_TEST_EMPTY:-fallback} ${MGR_TEST_URL:-no}\n"
              "plugin_path = ${MGR_TEST_UNSET:-%(here)s/${MGR_TEST_EMPTY}p}\n"
              "reporter = ${MGR_TEST_UNSET}text\n"
              "c_compiler = $HOME-$ {x}-${MGR_TEST_UNSET:-}\n"
              "[other]\n"
              "quiet = ${MGR_TEST_UNSET}\n");
    ck_assert_int_eq(load_quiet(&cfg, "migrator.ini", NULL, &err, &warnings),
                     MGR_OK);
    assert_here(config_get(cfg, "script_location"), "db");
    assert_here(config_get(cfg, "version_locations"), "db/versions");
    assert_here(config_get(cfg, "schema_file"), "sql/../schema.sql");
    ck_assert_str_eq(config_get(cfg, "file_template"),
                     "%(rev)s_%(slug)s_100%");
    /* An environment value is copied as it is, never expanded again. */
    ck_assert_str_eq(config_get(cfg, "database_url"),
                     "sqlite:///a%20b${X}.db");
    ck_assert_str_eq(config_get(cfg, "dev_url"), "sqlite:///dev.db");
    ck_assert_str_eq(config_get(cfg, "c_flags"),
                     "fallback sqlite:///a%20b${X}.db");
    assert_here(config_get(cfg, "plugin_path"), "p");
    ck_assert_str_eq(config_get(cfg, "reporter"), "text");
    ck_assert_str_eq(config_get(cfg, "c_compiler"), "$HOME-$ {x}-");
    ck_assert_str_eq(config_get_in(cfg, "other", "quiet"), "");
    /* One warning: the unset variable without a default, in [migrator]. */
    ck_assert_str_eq(warnings,
                     "migrator: warning: migrator.ini:9: environment "
                     "variable 'MGR_TEST_UNSET' is not set; it expands to "
                     "an empty string in 'reporter' (write "
                     "${MGR_TEST_UNSET:-} if that is intended)\n");
    free(warnings);
    config_free(cfg);
}
END_TEST

START_TEST(test_keys_are_case_insensitive)
{
    struct mgr_config *cfg = load_ok("[migrator]\n"
                                     "Lock_Wait = 5s\n"
                                     "REPORTER = json\n");

    ck_assert_str_eq(config_get(cfg, "lock_wait"), "5s");
    ck_assert_str_eq(config_get(cfg, "reporter"), "json");
    ck_assert_int_eq(config_line(cfg, "reporter"), 3);
    config_free(cfg);
}
END_TEST

START_TEST(test_continuation_lines)
{
    struct mgr_config *cfg = load_ok("[migrator]\n"
                                     "version_locations = a,\n"
                                     "    b ;c\n"
                                     "\n"
                                     "\tc\n"
                                     "reporter = json\n");
    char **v;

    ck_assert_str_eq(config_get(cfg, "version_locations"),
                     "a,\nb ;c\nc");
    ck_assert_str_eq(config_get(cfg, "reporter"), "json");
    v = config_get_paths(cfg, "version_locations");
    ck_assert_uint_eq(strv_len(v), 4);
    assert_here(v[0], "a");
    assert_here(v[1], "b");
    assert_here(v[2], ";c");
    assert_here(v[3], "c");
    strv_list_free(v);
    config_free(cfg);
}
END_TEST

START_TEST(test_paths_resolve_against_config_dir)
{
    struct mgr_config *cfg = NULL;
    struct mgr_error err;
    char *parent, *want, **v;

    ck_assert_int_eq(mkdir("sub", 0700), 0);
    write_ini("sub/migrator.ini",
              "[migrator]\n"
              "script_location = scripts\n"
              "version_locations = rel/one, /abs//two/.  ../three,,\n"
              "plugin_path = ./plugins\n");
    ck_assert_int_eq(config_load(&cfg, "sub/migrator.ini", NULL, &err),
                     MGR_OK);
    /* Resolution happens against the file's directory, not the CWD. */
    ck_assert_int_eq(chdir("/"), 0);
    assert_here(config_dir(cfg), "sub");
    ck_assert_str_eq(config_get(cfg, "script_location"), "scripts");
    v = config_get_paths(cfg, "version_locations");
    ck_assert_uint_eq(strv_len(v), 3);
    assert_here(v[0], "sub/rel/one");
    ck_assert_str_eq(v[1], "/abs/two");
    assert_here(v[2], "three");
    strv_list_free(v);
    v = config_get_paths(cfg, "plugin_path");
    ck_assert_uint_eq(strv_len(v), 1);
    assert_here(v[0], "sub/plugins");
    strv_list_free(v);
    v = config_get_paths(cfg, "script_location");
    assert_here(v[0], "sub/scripts");
    strv_list_free(v);
    config_free(cfg);

    /* An absolute path with ".." is cleaned the same way. */
    parent = path_in_here("sub/../sub/./migrator.ini");
    ck_assert_int_eq(config_load(&cfg, parent, NULL, &err), MGR_OK);
    want = path_in_here("sub");
    ck_assert_str_eq(config_dir(cfg), want);
    free(want);
    free(parent);
    config_free(cfg);
}
END_TEST

START_TEST(test_overrides_and_xargs)
{
    struct mgr_config *cfg = load_ok("[migrator]\n"
                                     "lock_wait = 10s\n"
                                     "database_url = sqlite:///file.db\n");
    struct mgr_error err;
    const char *value;
    long ms;

    ck_assert_int_eq(config_line(cfg, "lock_wait"), 2);
    ck_assert_int_eq(config_set_arg(cfg, "lock_wait=5s", &err), MGR_OK);
    ck_assert_str_eq(config_get(cfg, "lock_wait"), "5s");
    ck_assert_int_eq(config_line(cfg, "lock_wait"), 0);
    ck_assert_int_eq(config_get_duration_ms(cfg, "lock_wait", &ms, &err),
                     MGR_OK);
    ck_assert_int_eq(ms, 5000);
    ck_assert_str_eq(config_xarg(cfg, "lock_wait"), "5s");

    /* Not a config key: an x-argument only. */
    ck_assert_int_eq(config_set_arg(cfg, "tenant=acme", &err), MGR_OK);
    ck_assert_int_eq(config_set_arg(cfg, "expr=a=b=c", &err), MGR_OK);
    ck_assert_int_eq(config_set_arg(cfg, "empty=", &err), MGR_OK);
    ck_assert_int_eq(config_set_arg(cfg, "tenant=beta", &err), MGR_OK);
    ck_assert_ptr_null(config_get(cfg, "tenant"));
    ck_assert_str_eq(config_xarg(cfg, "tenant"), "beta");
    ck_assert_str_eq(config_xarg(cfg, "expr"), "a=b=c");
    ck_assert_str_eq(config_xarg(cfg, "empty"), "");
    ck_assert_ptr_null(config_xarg(cfg, "nope"));
    ck_assert_uint_eq(config_xarg_count(cfg), 5);
    ck_assert_str_eq(config_xarg_at(cfg, 1, &value), "tenant");
    ck_assert_str_eq(value, "acme");
    ck_assert_ptr_null(config_xarg_at(cfg, 5, &value));

    /* --url and friends: verbatim, no expansion. */
    config_set(cfg, "database_url", "postgresql://u@h/db?x=%%${Y}");
    ck_assert_str_eq(config_get(cfg, "database_url"),
                     "postgresql://u@h/db?x=%%${Y}");
    config_set(cfg, "custom", "1");
    ck_assert_str_eq(config_get(cfg, "custom"), "1");

    /* A defaulted version_locations follows script_location. */
    ck_assert_int_eq(config_set_arg(cfg, "script_location=/srv/m/",
                                        &err), MGR_OK);
    ck_assert_str_eq(config_get(cfg, "version_locations"),
                     "/srv/m/versions");
    config_set(cfg, "version_locations", "/v");
    config_set(cfg, "script_location", "/elsewhere");
    ck_assert_str_eq(config_get(cfg, "version_locations"), "/v");
    config_free(cfg);
}
END_TEST

START_TEST(test_value_parsers)
{
    static const struct {
        const char *text;
        long ms;
    } durations[] = {
        { "600s", 600000 }, { "10m", 600000 }, { "1500ms", 1500 },
        { "2h", 7200000 },  { "42", 42000 },   { "0", 0 },
    };
    static const char *const trues[] = { "true", "YES", "On", "1" };
    static const char *const falses[] = { "false", "No", "OFF", "0" };
    struct mgr_config *cfg = config_new_defaults();
    struct mgr_error err;
    size_t bytes;
    bool b;
    long ms;

    for (size_t i = 0; i < sizeof(durations) / sizeof(durations[0]); i++) {
        config_set(cfg, "lock_wait", durations[i].text);
        ck_assert_int_eq(config_get_duration_ms(cfg, "lock_wait", &ms,
                                                    &err), MGR_OK);
        ck_assert_int_eq(ms, durations[i].ms);
    }
    for (size_t i = 0; i < 4; i++) {
        config_set(cfg, "transaction_per_migration", trues[i]);
        ck_assert_int_eq(config_get_bool(cfg, "transaction_per_migration",
                                             &b, &err), MGR_OK);
        ck_assert(b);
        config_set(cfg, "transaction_per_migration", falses[i]);
        ck_assert_int_eq(config_get_bool(cfg, "transaction_per_migration",
                                             &b, &err), MGR_OK);
        ck_assert(!b);
    }
    config_set(cfg, "max_script_bytes", "64M");
    ck_assert_int_eq(config_get_bytes(cfg, "max_script_bytes", &bytes,
                                          &err), MGR_OK);
    ck_assert_uint_eq(bytes, 64u << 20);
    config_set(cfg, "max_script_bytes", "1000");
    ck_assert_int_eq(config_get_bytes(cfg, "max_script_bytes", &bytes,
                                          &err), MGR_OK);
    ck_assert_uint_eq(bytes, 1000);
    config_free(cfg);
}
END_TEST

START_TEST(test_bom_and_crlf)
{
    static const char text[] = "\xef\xbb\xbf[migrator]\r\n"
                               "reporter = json\r\n"
                               "lock_wait = 5s ;x\r\n";
    struct mgr_config *cfg = NULL;
    struct mgr_error err;

    write_bytes("migrator.ini", text, sizeof(text) - 1, 0600);
    ck_assert_int_eq(config_load(&cfg, "migrator.ini", NULL, &err),
                     MGR_ECONFIG);
    ck_assert_str_eq(err.msg, "migrator.ini:3: bad duration '5s ;x' for "
                     "'lock_wait'; use a whole number with ms, s, m or h "
                     "(e.g. 600s)");
    /* Without the comment, and without the last end of line. */
    write_bytes("migrator.ini", text, sizeof(text) - 6, 0600);
    ck_assert_int_eq(config_load(&cfg, "migrator.ini", NULL, &err),
                     MGR_OK);
    ck_assert_str_eq(config_get(cfg, "reporter"), "json");
    ck_assert_str_eq(config_get(cfg, "lock_wait"), "5s");
    config_free(cfg);
}
END_TEST

START_TEST(test_other_sections_are_quiet)
{
    struct mgr_config *cfg = load_ok("[migrator]\n"
                                     "reporter = json\n"
                                     "[naming_convention]\n"
                                     "lock_wiat = whatever\n"
                                     "[prod]\n"
                                     "database_url = ${MGR_TEST_UNSET}\n"
                                     "lock_wait = not checked here\n");

    ck_assert_str_eq(config_get_in(cfg, "naming_convention",
                                       "lock_wiat"), "whatever");
    ck_assert_str_eq(config_get_in(cfg, "prod", "lock_wait"),
                     "not checked here");
    config_free(cfg);
}
END_TEST

START_TEST(test_section_chosen_by_name)
{
    struct mgr_config *cfg = NULL;
    struct mgr_error err;
    char *warnings;

    write_ini("multi.ini", "[migrator]\n"
                           "database_url = sqlite:///main.db\n"
                           "[reporting]\n"
                           "database_url = sqlite:///rep.db\n"
                           "lock_wait = 1m\n"
                           "x_custom = 1\n");
    ck_assert_int_eq(load_quiet(&cfg, "multi.ini", "reporting", &err,
                                &warnings), MGR_OK);
    ck_assert_str_eq(config_section(cfg), "reporting");
    ck_assert_str_eq(config_get(cfg, "database_url"), "sqlite:///rep.db");
    ck_assert_str_eq(config_get(cfg, "lock_wait"), "1m");
    ck_assert_str_eq(config_get(cfg, "reporter"), "text");
    ck_assert_str_eq(config_get_in(cfg, "migrator", "database_url"),
                     "sqlite:///main.db");
    ck_assert_str_eq(warnings, "migrator: warning: multi.ini:6: unknown "
                     "key 'x_custom'\n");
    free(warnings);
    config_free(cfg);
}
END_TEST

START_TEST(test_unknown_key_warnings)
{
    struct mgr_config *cfg = NULL;
    struct mgr_error err;
    char *warnings;

    write_ini("migrator.ini", "[migrator]\n"
                              "lock_wiat = 5s\n"
                              "sqlalchemy.url = sqlite://\n"
                              "shcema_file = x\n"
                              "frobnicate = 1\n");
    ck_assert_int_eq(load_quiet(&cfg, "migrator.ini", NULL, &err, &warnings),
                     MGR_OK);
    ck_assert_str_eq(warnings,
                     "migrator: warning: migrator.ini:2: unknown key "
                     "'lock_wiat' (did you mean 'lock_wait'?)\n"
                     "migrator: warning: migrator.ini:3: unknown key "
                     "'sqlalchemy.url' (did you mean 'database_url'?)\n"
                     "migrator: warning: migrator.ini:4: unknown key "
                     "'shcema_file' (did you mean 'schema_file'?)\n"
                     "migrator: warning: migrator.ini:5: unknown key "
                     "'frobnicate'\n");
    /* Kept all the same (scripts may read them), but not a known key. */
    ck_assert_str_eq(config_get(cfg, "lock_wiat"), "5s");
    ck_assert_str_eq(config_get(cfg, "lock_wait"), "600s");
    ck_assert(!config_is_known_key("lock_wiat"));
    ck_assert(config_is_known_key("lock_wait"));
    free(warnings);
    config_free(cfg);
}
END_TEST

/* Load text written with mode; return the warnings (free() them). */
static char *warnings_for(const char *text, mode_t mode)
{
    struct mgr_config *cfg = NULL;
    struct mgr_error err;
    char *warnings;

    write_bytes("migrator.ini", text, strlen(text), mode);
    ck_assert_int_eq(load_quiet(&cfg, "migrator.ini", NULL, &err, &warnings),
                     MGR_OK);
    config_free(cfg);
    return warnings;
}

START_TEST(test_password_in_readable_file_warns)
{
    static const char *const leaky[] = {
        "[migrator]\ndatabase_url = postgresql://app:S3cr3t@db/app\n",
        "[migrator]\ndatabase_url = host=db PASSWORD = 'x y'\n",
        "[migrator]\n[staging]\ndatabase_url = postgresql://a:b@h/d\n",
        "[migrator]\ndev_url = postgresql://h/d?password=pw\n",
    };
    static const char *const clean[] = {
        "[migrator]\ndatabase_url = postgresql://app@db/app\n",
        "[migrator]\ndatabase_url = postgresql://app:${PW:-}@db/app\n",
        "[migrator]\ndatabase_url = host=db password=${PW:-}\n",
        "[migrator]\ndatabase_url = ${MGR_TEST_URL:-}\n",
    };
    char *w;

    for (size_t i = 0; i < 4; i++) {
        w = warnings_for(leaky[i], 0644);
        ck_assert_msg(strstr(w, "holds a password and the file is readable "
                             "by group or others; chmod go-r migrator.ini"),
                      "case %zu: %s", i, w);
        ck_assert_ptr_null(strstr(w, "S3cr3t"));
        free(w);
        w = warnings_for(leaky[i], 0600);
        ck_assert_str_eq(w, "");
        free(w);
        w = warnings_for(clean[i], 0644);
        ck_assert_msg(!strcmp(w, ""), "case %zu: %s", i, w);
        free(w);
    }
    w = warnings_for(leaky[0], 0640);
    ck_assert_str_eq(w, "migrator: warning: migrator.ini:2: 'database_url' "
                     "holds a password and the file is readable by group or "
                     "others; chmod go-r migrator.ini, or take the password "
                     "from the environment (${VAR}) or PGPASSFILE\n");
    free(w);
}
END_TEST

/* ---- errors --------------------------------------------------------- */

START_TEST(test_missing_file)
{
    struct mgr_config *cfg = NULL;
    struct mgr_error err;

    ck_assert_int_eq(config_load(&cfg, "nope.ini", NULL, &err),
                     MGR_ECONFIG);
    ck_assert_str_eq(err.msg, "cannot read 'nope.ini': No such file or "
                     "directory; run 'migrator init DIR' to create one, or "
                     "pass -c FILE");
    ck_assert_int_eq(err.sys_errno, ENOENT);
    ck_assert_ptr_null(cfg);
    ck_assert_int_eq(config_load(&cfg, "nope.ini", NULL, NULL),
                     MGR_ECONFIG);
    ck_assert_int_eq(mkdir("dir.ini", 0700), 0);
    ck_assert_int_eq(config_load(&cfg, "dir.ini", NULL, &err),
                     MGR_ECONFIG);
    ck_assert_str_eq(err.msg, "cannot read 'dir.ini': Is a directory");
    ck_assert_ptr_null(cfg);
}
END_TEST

START_TEST(test_missing_section)
{
    expect_error("[alembic]\nscript_location = x\n[naming_convention]\n",
                 MGR_ECONFIG, "migrator.ini: no [migrator] section; pick one "
                 "of [alembic], [naming_convention] with -n NAME");
    expect_error("; nothing\n", MGR_ECONFIG,
                 "migrator.ini: no [migrator] section; the file has no "
                 "sections");
}
END_TEST

START_TEST(test_duplicate_key)
{
    expect_error("[migrator]\nurl = a\n\nurl = b\n", MGR_ECONFIG,
                 "migrator.ini:4: duplicate key 'url' (first set on line 2)");
    expect_error("[migrator]\nreporter = a\n[nc]\nix = 1\nIX = 2\n",
                 MGR_ECONFIG,
                 "migrator.ini:5: duplicate key 'ix' (first set on line 4)");
}
END_TEST

START_TEST(test_duplicate_section)
{
    expect_error("[migrator]\nreporter = json\n[naming_convention]\n"
                 "ix = x\n\n[migrator]\n",
                 MGR_ECONFIG, "migrator.ini:6: duplicate section [migrator] "
                 "(first on line 1)");
}
END_TEST

START_TEST(test_long_line_and_the_next_one)
{
    struct mgr_config *cfg = NULL;
    struct mgr_error err;
    char text[1024], *warnings;
    int n;

    /* Line 2 is 300 bytes; the part past inih's 199 looks like a key. */
    n = snprintf(text, sizeof(text), "[migrator]\ndatabase_url = %0*d"
                 " = tail\nlock_wiat = 5s\nreporter = json\n", 278, 7);
    ck_assert_int_lt(n, (int)sizeof(text));
    write_ini("migrator.ini", text);
    ck_assert_int_eq(load_quiet(&cfg, "migrator.ini", NULL, &err,
                                &warnings), MGR_ECONFIG);
    ck_assert_str_eq(err.msg, "migrator.ini:2: line too long (300 bytes, "
                     "at most 199)");
    /* Line 3 was still parsed as line 3, and as a key of [migrator]. */
    ck_assert_str_eq(warnings, "migrator: warning: migrator.ini:3: unknown "
                     "key 'lock_wiat' (did you mean 'lock_wait'?)\n");
    free(warnings);
    ck_assert_ptr_null(cfg);
}
END_TEST

START_TEST(test_syntax_errors)
{
    expect_error("[migrator]\nurl\n", MGR_ECONFIG,
                 "migrator.ini:2: not a 'key = value' line, a '[section]' "
                 "header or a comment");
    expect_error("[migrator\n", MGR_ECONFIG,
                 "migrator.ini:1: section header has no closing ']'");
    expect_error("[migrator]\n[]\n", MGR_ECONFIG,
                 "migrator.ini:2: empty section name '[]'");
    expect_error("reporter = text\n[migrator]\n", MGR_ECONFIG,
                 "migrator.ini:1: key 'reporter' is not in a section; put "
                 "[migrator] above it");
    expect_error("[migrator]\n = value\n", MGR_ECONFIG,
                 "migrator.ini:2: empty key name");
}
END_TEST

START_TEST(test_expansion_errors)
{
    expect_error("[migrator]\ndatabase_url = postgresql://${HOST/db\n",
                 MGR_ECONFIG, "migrator.ini:2: unterminated '${' in the "
                 "value of 'database_url'; close it with '}'");
    expect_error("[migrator]\nversion_locations = a\n  b\n  c${X:-d\n",
                 MGR_ECONFIG, "migrator.ini:4: unterminated '${' in the "
                 "value of 'version_locations'; close it with '}'");
    expect_error("[migrator]\n[x]\nk = ${1X}\n", MGR_ECONFIG,
                 "migrator.ini:3: bad '${...}' in the value of 'k'; use "
                 "${NAME} or ${NAME:-default}");
    expect_error("[migrator]\ndatabase_url = ${A-b}\n", MGR_ECONFIG,
                 "migrator.ini:2: bad '${...}' in the value of "
                 "'database_url'; use ${NAME} or ${NAME:-default}");
    expect_error("[migrator]\ndatabase_url = postgresql://u:p%40ss@h/d\n",
                 MGR_ECONFIG, "migrator.ini:2: '%' in the value of "
                 "'database_url' must be written '%%' (or be part of "
                 "%(here)s)");
    expect_error("[migrator]\nfile_template = %(rev)s\n", MGR_ECONFIG,
                 "migrator.ini:2: unknown interpolation '%(rev)s' in the "
                 "value of 'file_template'; only %(here)s is defined (write "
                 "'%%' for a literal '%')");
    expect_error("[migrator]\nc_flags = %(here)\n", MGR_ECONFIG,
                 "migrator.ini:2: '%(' in the value of 'c_flags' must be "
                 "written '%%(' unless it starts %(here)s");
}
END_TEST

START_TEST(test_bad_values)
{
    expect_error("[migrator]\n\nlock_wait = 10 parsecs\n", MGR_ECONFIG,
                 "migrator.ini:3: bad duration '10 parsecs' for 'lock_wait'; "
                 "use a whole number with ms, s, m or h (e.g. 600s)");
    expect_error("[migrator]\nstatement_timeout = -5s\n", MGR_ECONFIG,
                 "migrator.ini:2: bad duration '-5s' for "
                 "'statement_timeout'; use a whole number with ms, s, m or "
                 "h (e.g. 600s)");
    expect_error("[migrator]\ntransaction_per_migration = maybe\n",
                 MGR_ECONFIG, "migrator.ini:2: 'transaction_per_migration' "
                 "must be true or false (or yes/no, on/off, 1/0), not "
                 "'maybe'");
    expect_error("[migrator]\nversion_table =\n", MGR_ECONFIG,
                 "migrator.ini:2: 'version_table' is empty; remove the line "
                 "to use 'migrator_version'");
    expect_error("[migrator]\nlock_strategy = advisory\n", MGR_ECONFIG,
                 "migrator.ini:2: 'lock_strategy' must be session, table or "
                 "none, not 'advisory'");
    expect_error("[migrator]\nmax_script_bytes = 10 MB\n", MGR_ECONFIG,
                 "migrator.ini:2: bad size '10 MB' for 'max_script_bytes'; "
                 "use a whole number of bytes, optionally with K, M or G");
    /* The value after expansion is what is checked. */
    setenv("MGR_TEST_URL", "soon", 1);
    expect_error("[migrator]\nlock_wait = ${MGR_TEST_URL}\n", MGR_ECONFIG,
                 "migrator.ini:2: bad duration 'soon' for 'lock_wait'; use "
                 "a whole number with ms, s, m or h (e.g. 600s)");
}
END_TEST

START_TEST(test_not_utf8)
{
    expect_error("[migrator]\ndatabase_url = caf\xe9\n", MGR_ECONFIG,
                 "migrator.ini:2: byte 0xe9 at column 19 is not valid "
                 "UTF-8; save the file as UTF-8");
    /* An overlong encoding of '/' and a lone surrogate. */
    expect_error("[migrator]\n[x]\nk = \xc0\xaf\n", MGR_ECONFIG,
                 "migrator.ini:3: byte 0xc0 at column 5 is not valid UTF-8; "
                 "save the file as UTF-8");
    expect_error("[migrator]\nk = ok \xed\xa0\x80\n", MGR_ECONFIG,
                 "migrator.ini:2: byte 0xed at column 8 is not valid UTF-8; "
                 "save the file as UTF-8");
    expect_error("[migrator]\nk = cut \xe2\x82\n", MGR_ECONFIG,
                 "migrator.ini:2: byte 0xe2 at column 9 is not valid UTF-8; "
                 "save the file as UTF-8");
}
END_TEST

START_TEST(test_nul_byte)
{
    static const char text[] = "[migrator]\nreporter = te\0xt\n";
    struct mgr_config *cfg = NULL;
    struct mgr_error err;

    write_bytes("migrator.ini", text, sizeof(text) - 1, 0600);
    ck_assert_int_eq(config_load(&cfg, "migrator.ini", NULL, &err),
                     MGR_ECONFIG);
    ck_assert_str_eq(err.msg, "migrator.ini:2: NUL byte at column 14");
}
END_TEST

START_TEST(test_writable_file_is_refused)
{
    struct mgr_config *cfg = NULL;
    struct mgr_error err;

    write_bytes("migrator.ini", "[migrator]\n", 11, 0664);
    ck_assert_int_eq(config_load(&cfg, "migrator.ini", NULL, &err),
                     MGR_ETRUST);
    ck_assert_str_eq(err.msg, "refusing to read 'migrator.ini': it is "
                     "writable by group or others; chmod go-w migrator.ini");
    ck_assert_int_eq(mgr_status_exit_code(err.code), 6);
    ck_assert_ptr_null(cfg);
    ck_assert_int_eq(chmod("migrator.ini", 0602), 0);
    ck_assert_int_eq(config_load(&cfg, "migrator.ini", NULL, &err),
                     MGR_ETRUST);
    ck_assert_int_eq(config_load(&cfg, "migrator.ini", NULL, NULL),
                     MGR_ETRUST);
    ck_assert_int_eq(chmod("migrator.ini", 0644), 0);
    ck_assert_int_eq(config_load(&cfg, "migrator.ini", NULL, &err),
                     MGR_OK);
    config_free(cfg);
}
END_TEST

START_TEST(test_set_arg_errors)
{
    struct mgr_config *cfg = config_new_defaults();
    struct mgr_error err;

    ck_assert_int_eq(config_set_arg(cfg, "tenant", &err), MGR_EUSAGE);
    ck_assert_str_eq(err.msg, "-x 'tenant': expected KEY=VALUE");
    ck_assert_int_eq(config_set_arg(cfg, "=v", &err), MGR_EUSAGE);
    ck_assert_str_eq(err.msg, "-x '=v': the key is empty; expected "
                     "KEY=VALUE");
    ck_assert_int_eq(config_set_arg(cfg, "lock_wait=soon", &err),
                     MGR_EUSAGE);
    ck_assert_str_eq(err.msg, "-x lock_wait: bad duration 'soon' for "
                     "'lock_wait'; use a whole number with ms, s, m or h "
                     "(e.g. 600s)");
    ck_assert_int_eq(config_set_arg(cfg, "transaction_per_migration=2",
                                        &err), MGR_EUSAGE);
    ck_assert_int_eq(config_set_arg(cfg, "x", NULL), MGR_EUSAGE);
    /* Nothing was applied or recorded. */
    ck_assert_str_eq(config_get(cfg, "lock_wait"), "600s");
    ck_assert_ptr_null(config_xarg(cfg, "lock_wait"));
    ck_assert_uint_eq(config_xarg_count(cfg), 0);
    config_free(cfg);
}
END_TEST

START_TEST(test_typed_getters_errors)
{
    struct mgr_config *cfg = load_ok("[migrator]\n"
                                     "reporter = text\n"
                                     "[x]\n");
    struct mgr_error err;
    size_t bytes;
    bool b;
    long ms;

    config_set(cfg, "lock_wait", "soon");
    ck_assert_int_eq(config_get_duration_ms(cfg, "lock_wait", &ms, &err),
                     MGR_ECONFIG);
    ck_assert_str_eq(err.msg, "bad duration 'soon' for 'lock_wait'; use a "
                     "whole number with ms, s, m or h (e.g. 600s)");
    ck_assert_int_eq(config_get_bool(cfg, "reporter", &b, &err),
                     MGR_ECONFIG);
    ck_assert_str_eq(err.msg, "migrator.ini:2: 'reporter' must be true or "
                     "false (or yes/no, on/off, 1/0), not 'text'");
    ck_assert_int_eq(config_get_bytes(cfg, "max_script_bytes", &bytes,
                                          &err), MGR_ECONFIG);
    ck_assert_str_eq(err.msg, "'max_script_bytes' is not set in [migrator]");
    ck_assert_int_eq(config_get_duration_ms(cfg, "nope", &ms, NULL),
                     MGR_ECONFIG);
    config_free(cfg);
}
END_TEST

/* ---- limits --------------------------------------------------------- */

/* A file whose line 2 is "reporter = " padded with 'x' to len bytes. */
static void write_line_of(size_t len, const char *eol)
{
    char *text = malloc(len + 64);
    size_t n;

    ck_assert_ptr_nonnull(text);
    n = (size_t)snprintf(text, 64, "[migrator]\nreporter = ");
    memset(text + n, 'x', len - 11);
    n += len - 11;
    n += (size_t)snprintf(text + n, 64, "%slock_wait = 5s\n", eol);
    write_bytes("migrator.ini", text, n, 0600);
    free(text);
}

START_TEST(test_line_length_limit)
{
    struct mgr_config *cfg = NULL;
    struct mgr_error err;

    write_line_of(199, "\n");
    ck_assert_int_eq(config_load(&cfg, "migrator.ini", NULL, &err),
                     MGR_OK);
    ck_assert_uint_eq(strlen(config_get(cfg, "reporter")), 188);
    ck_assert_str_eq(config_get(cfg, "lock_wait"), "5s");
    config_free(cfg);
    cfg = NULL;
    write_line_of(199, "\r\n");
    ck_assert_int_eq(config_load(&cfg, "migrator.ini", NULL, &err),
                     MGR_OK);
    config_free(cfg);
    cfg = NULL;
    write_line_of(200, "\n");
    ck_assert_int_eq(config_load(&cfg, "migrator.ini", NULL, &err),
                     MGR_ECONFIG);
    ck_assert_str_eq(err.msg, "migrator.ini:2: line too long (200 bytes, "
                     "at most 199)");
    /* reliability #43 (a): a line of 5000 bytes. */
    write_line_of(5000, "\n");
    ck_assert_int_eq(config_load(&cfg, "migrator.ini", NULL, &err),
                     MGR_ECONFIG);
    ck_assert_str_eq(err.msg, "migrator.ini:2: line too long (5000 bytes, "
                     "at most 199)");
    ck_assert_ptr_null(cfg);
}
END_TEST

START_TEST(test_long_comment_is_fine)
{
    char text[1024];
    struct mgr_config *cfg;

    snprintf(text, sizeof(text), "[migrator]\n# %0*d = x\nreporter = json\n"
             "  ;%0*d\n", 400, 1, 400, 2);
    cfg = load_ok(text);
    ck_assert_str_eq(config_get(cfg, "reporter"), "json");
    ck_assert_int_eq(config_line(cfg, "reporter"), 3);
    config_free(cfg);
}
END_TEST

START_TEST(test_table_name_length)
{
    char text[256], name[80];
    struct mgr_config *cfg;

    memset(name, 'a', 63);
    name[63] = '\0';
    snprintf(text, sizeof(text), "[migrator]\nversion_table = %s\n"
             "version_table_schema = %s\n", name, name);
    cfg = load_ok(text);
    ck_assert_str_eq(config_get(cfg, "version_table"), name);
    config_free(cfg);

    snprintf(text, sizeof(text), "[migrator]\nversion_table = %sb\n", name);
    expect_error(text, MGR_ECONFIG, "migrator.ini:2: 'version_table' is 64 "
                 "bytes long, at most 63 are allowed (names are never "
                 "truncated)");
    snprintf(text, sizeof(text), "[migrator]\n\nversion_table_schema = "
             "%s\xc3\xa9\n", name);
    expect_error(text, MGR_ECONFIG, "migrator.ini:3: 'version_table_schema' "
                 "is 65 bytes long, at most 63 are allowed (names are never "
                 "truncated)");
}
END_TEST

START_TEST(test_duration_overflow)
{
    struct mgr_config *cfg = config_new_defaults();
    struct mgr_error err;
    long ms;

    config_set(cfg, "lock_wait", "99999999999999999999h");
    ck_assert_int_eq(config_get_duration_ms(cfg, "lock_wait", &ms, &err),
                     MGR_ECONFIG);
    config_set(cfg, "lock_wait", "9223372036854775807ms");
    ck_assert_int_eq(config_get_duration_ms(cfg, "lock_wait", &ms, &err),
                     MGR_OK);
    ck_assert_int_eq(ms, LONG_MAX);
    config_set(cfg, "lock_wait", "9223372036854775807s");
    ck_assert_int_eq(config_get_duration_ms(cfg, "lock_wait", &ms, &err),
                     MGR_ECONFIG);
    config_set(cfg, "lock_wait", "");
    ck_assert_int_eq(config_get_duration_ms(cfg, "lock_wait", &ms, &err),
                     MGR_ECONFIG);
    config_free(cfg);
}
END_TEST

START_TEST(test_names_longer_than_inih_keeps)
{
    /* inih cuts section names and remembered key names at 49 bytes. */
    static const char sect[] =
        "a_section_name_that_is_longer_than_fifty_bytes_for_sure";
    static const char key[] =
        "a_key_name_that_is_longer_than_fifty_bytes_for_sure_too";
    char text[512];
    struct mgr_config *cfg = NULL;
    struct mgr_error err;
    char *warnings;

    snprintf(text, sizeof(text), "[%s]\n%s = one\n  two\n[%.49s]\nk = v\n",
             sect, key, sect);
    write_ini("migrator.ini", text);
    ck_assert_int_eq(load_quiet(&cfg, "migrator.ini", sect, &err, &warnings),
                     MGR_OK);
    ck_assert_str_eq(config_section(cfg), sect);
    ck_assert_str_eq(config_get(cfg, key), "one\ntwo");
    ck_assert_ptr_null(config_get(cfg, "k"));
    ck_assert_ptr_nonnull(strstr(warnings, key));
    free(warnings);
    config_free(cfg);
}
END_TEST

START_TEST(test_free_null)
{
    config_free(NULL);
    strv_list_free(NULL);
}
END_TEST

static Suite *config_suite(void)
{
    Suite *s = suite_create("config");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_defaults_from_an_empty_section);
    tcase_add_test(tc, test_new_defaults_resolve_against_cwd);
    tcase_add_test(tc, test_design_example_loads);
    tcase_add_test(tc, test_semicolon_values_are_verbatim);
    tcase_add_test(tc, test_expansion);
    tcase_add_test(tc, test_keys_are_case_insensitive);
    tcase_add_test(tc, test_continuation_lines);
    tcase_add_test(tc, test_paths_resolve_against_config_dir);
    tcase_add_test(tc, test_overrides_and_xargs);
    tcase_add_test(tc, test_value_parsers);
    tcase_add_test(tc, test_bom_and_crlf);
    tcase_add_test(tc, test_other_sections_are_quiet);
    tcase_add_test(tc, test_section_chosen_by_name);
    tcase_add_test(tc, test_unknown_key_warnings);
    tcase_add_test(tc, test_password_in_readable_file_warns);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_missing_file);
    tcase_add_test(tc, test_missing_section);
    tcase_add_test(tc, test_duplicate_key);
    tcase_add_test(tc, test_duplicate_section);
    tcase_add_test(tc, test_long_line_and_the_next_one);
    tcase_add_test(tc, test_syntax_errors);
    tcase_add_test(tc, test_expansion_errors);
    tcase_add_test(tc, test_bad_values);
    tcase_add_test(tc, test_not_utf8);
    tcase_add_test(tc, test_nul_byte);
    tcase_add_test(tc, test_writable_file_is_refused);
    tcase_add_test(tc, test_set_arg_errors);
    tcase_add_test(tc, test_typed_getters_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("limits");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_line_length_limit);
    tcase_add_test(tc, test_long_comment_is_fine);
    tcase_add_test(tc, test_table_name_length);
    tcase_add_test(tc, test_duration_overflow);
    tcase_add_test(tc, test_names_longer_than_inih_keeps);
    tcase_add_test(tc, test_free_null);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(config_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
