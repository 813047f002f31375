/*
 * c_build.c: compile a C script into a module in the build cache, and load
 * it.
 *
 * The cache is a directory the user owns, mode 0700, beside the scripts
 * (C_CACHE_NAME in their directory) unless -x c_cache_dir or
 * $MIGRATOR_C_CACHE_DIR names another. A module is named after its script
 * and a hash of everything that goes into it (source bytes, compiler,
 * flags, include directories, script API version), so a module that is
 * there is up to date, and an edit makes a new one (the old ones of that
 * script are removed). The compiler writes a temporary file that is
 * renamed into place, so a run never sees half a module. Nothing is
 * loaded before the host's trust checks (reliability R13) passed on the
 * module: it and every directory above it belong to root or the user and
 * nobody else can write them.
 */
#include "autoconfig.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <ltdl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "c.h"

#ifndef MGR_INCLUDEDIR
#error "MGR_INCLUDEDIR must be defined (the installed headers' directory)"
#endif
#ifndef MGR_SRC_INCLUDEDIR
#error "MGR_SRC_INCLUDEDIR must be defined (the source tree's include/)"
#endif
#ifndef MGR_BUILD_INCLUDEDIR
#error "MGR_BUILD_INCLUDEDIR must be defined (the build tree's include/)"
#endif

#define HASH_HEX 16
#define MODULE_EXT ".so"
/* The compiler's output kept for messages; the rest is read and dropped. */
#define OUTPUT_MAX 65536
/* What the child writes when the compiler cannot be started. */
#define EXEC_FAILED "migrator: cannot run "

static const char *setting(const struct c_state *st, struct mgr_exec *x,
                           const char *key, const char *env)
{
    const char *v = st->api->exec_xarg(x, key);

    if (!v || !*v)
        v = getenv(env);
    if (!v || !*v)
        v = st->api->exec_config(x, key);
    return v && *v ? v : NULL;
}

static bool file_exists(const struct c_state *st, const char *dir,
                        const char *name)
{
    struct mgr_buf p;
    struct stat sb;
    bool ok;

    st->api->buf_init(&p, 0);
    st->api->buf_addf(&p, "%s/%s", dir, name);
    ok = stat(p.buf, &sb) == 0 && S_ISREG(sb.st_mode);
    st->api->buf_release(&p);
    return ok;
}

int c_build_settings(const struct c_state *st, struct mgr_exec *x,
                     const char *path, struct c_build *b,
                     struct mgr_error *err)
{
    const char *cc = setting(st, x, "c_compiler", "MIGRATOR_CC");
    const char *flags = setting(st, x, "c_flags", "MIGRATOR_CFLAGS");
    const char *cache = setting(st, x, "c_cache_dir", "MIGRATOR_C_CACHE_DIR");
    struct mgr_buf cache_path;
    const char *slash;
    char *dir, *real;

    memset(b, 0, sizeof(*b));
    if (!cc)
        cc = "cc";
    if (!c_split_words(cc, &b->compiler, &b->ncompiler) ||
        b->ncompiler == 0) {
        c_build_release(b);
        return plugin_fail(st->api, err, MGR_ECONFIG, 0,
                           "c_compiler '%s' is not a command; give a compiler "
                           "and its options, e.g. 'cc' or 'ccache gcc'",
                           cc);
    }
    if (!c_split_words(flags, &b->flags, &b->nflags)) {
        c_build_release(b);
        return plugin_fail(st->api, err, MGR_ECONFIG, 0,
                           "c_flags '%s' has an unclosed quote", flags);
    }

    /* The installed headers when they are there, else this build's. */
    if (file_exists(st, MGR_INCLUDEDIR, "migrator/script.h")) {
        b->incdirs[b->nincdirs++] = MGR_INCLUDEDIR;
    } else {
        b->incdirs[b->nincdirs++] = MGR_SRC_INCLUDEDIR;
        b->incdirs[b->nincdirs++] = MGR_BUILD_INCLUDEDIR;
    }

    if (cache) {
        if (cache[0] != '/') {
            c_build_release(b);
            return plugin_fail(st->api, err, MGR_ECONFIG, 0,
                               "c_cache_dir '%s' is not an absolute path",
                               cache);
        }
        b->cache_dir = c_xstrdup(cache);
        return MGR_OK;
    }
    slash = strrchr(path, '/');
    dir = slash ? c_xstrndup(path, slash == path ? 1 : (size_t)(slash - path))
                : c_xstrdup(".");
    real = realpath(dir, NULL);
    if (!real) {
        int e = errno;

        plugin_fail(st->api, err, MGR_EIO, e,
                    "cannot resolve directory '%s'", dir);
        free(dir);
        c_build_release(b);
        return MGR_EIO;
    }
    free(dir);
    st->api->buf_init(&cache_path, 0);
    st->api->buf_addf(&cache_path, "%s%s%s", real,
                      strcmp(real, "/") ? "/" : "", C_CACHE_NAME);
    b->cache_dir = c_xstrdup(cache_path.buf);
    st->api->buf_release(&cache_path);
    free(real);
    return MGR_OK;
}

void c_build_release(struct c_build *b)
{
    c_words_free(b->compiler);
    c_words_free(b->flags);
    free(b->cache_dir);
    memset(b, 0, sizeof(*b));
}

/* ---- the module's name ------------------------------------------------- */

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

static void hash_add(uint64_t *h, const void *data, size_t len)
{
    const unsigned char *p = data;

    for (size_t i = 0; i < len; i++) {
        *h ^= p[i];
        *h *= FNV_PRIME;
    }
}

/* A string and its terminating NUL, so that "ab","c" differs from "a","bc". */
static void hash_str(uint64_t *h, const char *s)
{
    hash_add(h, s, strlen(s) + 1);
}

int c_module_name(const struct c_state *st, const struct c_build *b,
                  const char *path, struct mgr_buf *out,
                  struct mgr_error *err)
{
    uint64_t h = FNV_OFFSET;
    char buf[8192], api[16];
    const char *base = strrchr(path, '/');
    size_t n, blen;
    FILE *f;

    snprintf(api, sizeof(api), "%u", MGR_SCRIPT_API_VERSION);
    hash_str(&h, "migrator format_c module");
    hash_str(&h, api);
    for (size_t i = 0; i < b->ncompiler; i++)
        hash_str(&h, b->compiler[i]);
    hash_str(&h, "");
    for (size_t i = 0; i < b->nflags; i++)
        hash_str(&h, b->flags[i]);
    hash_str(&h, "");
    for (size_t i = 0; i < b->nincdirs; i++)
        hash_str(&h, b->incdirs[i]);
    hash_str(&h, "");

    f = fopen(path, "rb");
    if (!f)
        return plugin_fail(st->api, err, MGR_EIO, errno, "cannot open '%s'",
                           path);
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
        hash_add(&h, buf, n);
    if (ferror(f)) {
        int e = errno;

        fclose(f);
        return plugin_fail(st->api, err, MGR_EIO, e, "cannot read '%s'", path);
    }
    fclose(f);

    base = base ? base + 1 : path;
    blen = strlen(base);
    if (blen > 2 && strcmp(base + blen - 2, ".c") == 0)
        blen -= 2;
    st->api->buf_add(out, base, blen);
    st->api->buf_addf(out, "-%016llx%s", (unsigned long long)h, MODULE_EXT);
    return MGR_OK;
}

/* ---- the cache directory ----------------------------------------------- */

static int cache_dir_ready(const struct c_state *st, const char *dir,
                           struct mgr_error *err)
{
    struct stat sb;

    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return plugin_fail(st->api, err, MGR_EIO, errno,
                           "cannot create the build cache '%s' (set -x "
                           "c_cache_dir=DIR to use another directory)",
                           dir);
    if (lstat(dir, &sb) != 0)
        return plugin_fail(st->api, err, MGR_EIO, errno,
                           "cannot examine the build cache '%s'", dir);
    if (S_ISLNK(sb.st_mode))
        return plugin_fail(st->api, err, MGR_ETRUST, 0,
                           "refusing to use the build cache '%s': it is a "
                           "symbolic link",
                           dir);
    if (!S_ISDIR(sb.st_mode))
        return plugin_fail(st->api, err, MGR_EIO, 0,
                           "the build cache '%s' is not a directory", dir);
    if (sb.st_uid != geteuid())
        return plugin_fail(st->api, err, MGR_ETRUST, 0,
                           "refusing to use the build cache '%s': it is owned "
                           "by uid %lu, not you",
                           dir, (unsigned long)sb.st_uid);
    if (sb.st_mode & (S_IWGRP | S_IWOTH))
        return plugin_fail(st->api, err, MGR_ETRUST, 0,
                           "refusing to use the build cache '%s': it is "
                           "writable by group or others",
                           dir);
    return MGR_OK;
}

/* Remove the modules of the same script other than keep ("<name>-*"). */
static void remove_stale(const struct c_state *st, const char *dir,
                         const char *keep)
{
    size_t stem = strlen(keep) - HASH_HEX - strlen(MODULE_EXT);
    struct dirent *d;
    DIR *dh = opendir(dir);

    if (!dh)
        return;
    while ((d = readdir(dh)) != NULL) {
        const char *n = d->d_name;
        struct mgr_buf p;
        bool hex = true;

        if (strlen(n) != strlen(keep) || strcmp(n, keep) == 0 ||
            strncmp(n, keep, stem) != 0 ||
            strcmp(n + stem + HASH_HEX, MODULE_EXT) != 0)
            continue;
        for (size_t i = stem; i < stem + HASH_HEX; i++)
            if (!((n[i] >= '0' && n[i] <= '9') || (n[i] >= 'a' && n[i] <= 'f')))
                hex = false;
        if (!hex)
            continue;
        st->api->buf_init(&p, 0);
        st->api->buf_addf(&p, "%s/%s", dir, n);
        unlink(p.buf);
        st->api->buf_release(&p);
    }
    closedir(dh);
}

/* ---- running the compiler ---------------------------------------------- */

static void trim_end(const struct c_state *st, struct mgr_buf *s)
{
    size_t len = s->len;

    while (len && strchr("\n \r\t", s->buf[len - 1]))
        len--;
    st->api->buf_setlen(s, len);
}

/* The child: output to the pipe, then the compiler. */
static void run_child(char **argv, int out)
{
    int null = open("/dev/null", O_RDONLY);
    const char *why;

    if (null >= 0) {
        dup2(null, STDIN_FILENO);
        if (null != STDIN_FILENO)
            close(null);
    }
    dup2(out, STDOUT_FILENO);
    dup2(out, STDERR_FILENO);
    if (out != STDOUT_FILENO && out != STDERR_FILENO)
        close(out);
    execvp(argv[0], argv);
    why = strerror(errno);
    if (write(STDERR_FILENO, EXEC_FAILED, strlen(EXEC_FAILED)) >= 0 &&
        write(STDERR_FILENO, argv[0], strlen(argv[0])) >= 0 &&
        write(STDERR_FILENO, ": ", 2) >= 0 &&
        write(STDERR_FILENO, why, strlen(why)) >= 0)
        (void)!write(STDERR_FILENO, "\n", 1);
    _exit(127);
}

/*
 * Run argv, collecting its standard output and error into output.
 * *status_out is the wait status. Fails only when it cannot be started.
 */
static int run_command(const struct c_state *st, char **argv,
                       struct mgr_buf *output, int *status_out,
                       struct mgr_error *err)
{
    int fds[2], status = 0;
    char buf[4096];
    pid_t pid;

    if (pipe(fds) != 0)
        return plugin_fail(st->api, err, MGR_EIO, errno, "cannot make a pipe");
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        int e = errno;

        close(fds[0]);
        close(fds[1]);
        return plugin_fail(st->api, err, MGR_EIO, e, "cannot start '%s'",
                           argv[0]);
    }
    if (pid == 0) {
        close(fds[0]);
        run_child(argv, fds[1]);
    }
    close(fds[1]);
    for (;;) {
        ssize_t n = read(fds[0], buf, sizeof(buf));

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        if (output->len < OUTPUT_MAX)
            st->api->buf_add(output, buf, (size_t)n);
    }
    close(fds[0]);
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return plugin_fail(st->api, err, MGR_EIO, errno,
                               "cannot wait for the compiler '%s'", argv[0]);
    }
    trim_end(st, output);
    *status_out = status;
    return MGR_OK;
}

/* The compiler's command line for path into out. argv borrows strings. */
static char **compile_argv(const struct c_state *st, const struct c_build *b,
                           const char *path, const char *out,
                           struct mgr_buf *incs)
{
    size_t n = 0, max = b->ncompiler + b->nflags + b->nincdirs + 8;
    char **argv = c_xmalloc(max * sizeof(*argv));
    size_t at[2];

    for (size_t i = 0; i < b->ncompiler; i++)
        argv[n++] = b->compiler[i];
    argv[n++] = "-shared";
    argv[n++] = "-fPIC";
#ifdef __ELF__
    /* Resolve every symbol at load time: a script calling a function
     * that does not exist fails to load, not in the middle of a run. */
    argv[n++] = "-Wl,-z,now";
#endif
    for (size_t i = 0; i < b->nincdirs; i++) {
        at[i] = incs->len;
        st->api->buf_addf(incs, "-I%s", b->incdirs[i]);
        st->api->buf_add(incs, "", 1); /* keep the NUL between them */
    }
    for (size_t i = 0; i < b->nincdirs; i++)
        argv[n++] = incs->buf + at[i];
    argv[n++] = "-o";
    argv[n++] = (char *)out;
    argv[n++] = (char *)path;
    for (size_t i = 0; i < b->nflags; i++)
        argv[n++] = b->flags[i];
    argv[n] = NULL;
    return argv;
}

/* How the compiler ended, for messages. */
static void describe_status(int status, char *buf, size_t size)
{
    if (WIFEXITED(status))
        snprintf(buf, size, "exited with status %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(buf, size, "was killed by signal %d", WTERMSIG(status));
    else
        snprintf(buf, size, "failed");
}

static int compile(const struct c_state *st, const struct c_build *b,
                   const char *path, const char *tmp, struct mgr_error *err)
{
    struct mgr_buf incs, output;
    char **argv;
    char how[64];
    int status = 0, rc;

    st->api->buf_init(&incs, 0);
    st->api->buf_init(&output, 0);
    argv = compile_argv(st, b, path, tmp, &incs);
    rc = run_command(st, argv, &output, &status, err);
    if (rc != MGR_OK)
        goto out;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        /* Warnings: show them, the build stands. */
        if (output.len)
            st->api->log(st->host, MGR_LOG_WARNING, "%s: %s",
                         argv[0], output.buf);
        goto out;
    }
    describe_status(status, how, sizeof(how));
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127 &&
        strncmp(output.buf, EXEC_FAILED, strlen(EXEC_FAILED)) == 0) {
        rc = plugin_fail(st->api, err, MGR_ECONFIG, 0,
                         "cannot compile '%s': %s; set c_compiler in the "
                         "config or -x c_compiler=...",
                         path, output.buf + strlen("migrator: "));
    } else if (output.len + strlen(path) + 80 < MGR_ERROR_SIZE) {
        rc = plugin_fail(st->api, err, MGR_ESCRIPT, 0,
                         "cannot compile '%s' (%s %s):\n%s", path, argv[0],
                         how, output.len ? output.buf : "(no output)");
    } else {
        st->api->log(st->host, MGR_LOG_ERR, "%s", output.buf);
        rc = plugin_fail(st->api, err, MGR_ESCRIPT, 0,
                         "cannot compile '%s' (%s %s); its messages are above",
                         path, argv[0], how);
    }
out:
    free(argv);
    st->api->buf_release(&incs);
    st->api->buf_release(&output);
    return rc;
}

/* Compile path into a temporary file renamed to module when complete, so
 * that a run never sees half a module. */
static int compile_into_place(const struct c_state *st,
                              const struct c_build *b, const char *path,
                              const char *module, struct mgr_error *err)
{
    const struct mgr_host_api *api = st->api;
    struct mgr_buf tmp;
    struct stat sb;
    int rc;

    api->buf_init(&tmp, 0);
    api->buf_addf(&tmp, "%s.tmp%ld", module, (long)getpid());
    unlink(tmp.buf);
    rc = compile(st, b, path, tmp.buf, err);
    if (rc == MGR_OK && lstat(tmp.buf, &sb) != 0)
        rc = plugin_fail(api, err, MGR_ESCRIPT, errno,
                         "the compiler made no module of '%s'", path);
    if (rc == MGR_OK && !S_ISREG(sb.st_mode))
        rc = plugin_fail(api, err, MGR_ETRUST, 0,
                         "refusing to load '%s': not a regular file",
                         tmp.buf);
    if (rc == MGR_OK && chmod(tmp.buf, 0700) != 0)
        rc = plugin_fail(api, err, MGR_EIO, errno, "cannot chmod '%s'",
                         tmp.buf);
    if (rc == MGR_OK && rename(tmp.buf, module) != 0)
        rc = plugin_fail(api, err, MGR_EIO, errno, "cannot rename '%s'",
                         tmp.buf);
    if (rc != MGR_OK)
        unlink(tmp.buf);
    api->buf_release(&tmp);
    return rc;
}

int c_build_module(const struct c_state *st, const struct c_build *b,
                   const char *path, const char *module, bool *compiled_out,
                   struct mgr_error *err)
{
    struct stat sb;
    int rc;

    if (compiled_out)
        *compiled_out = false;
    rc = cache_dir_ready(st, b->cache_dir, err);
    if (rc != MGR_OK)
        return rc;
    if (lstat(module, &sb) != 0) {
        if (errno != ENOENT)
            return plugin_fail(st->api, err, MGR_EIO, errno,
                               "cannot examine '%s'", module);
        rc = compile_into_place(st, b, path, module, err);
        if (rc != MGR_OK)
            return rc;
        if (compiled_out)
            *compiled_out = true;
        remove_stale(st, b->cache_dir, strrchr(module, '/') + 1);
        if (lstat(module, &sb) != 0)
            return plugin_fail(st->api, err, MGR_EIO, errno,
                               "cannot examine '%s'", module);
    }
    if (S_ISLNK(sb.st_mode))
        return plugin_fail(st->api, err, MGR_ETRUST, 0,
                           "refusing to load '%s': it is a symbolic link",
                           module);
    return st->api->trust_check(module, err);
}

/* ---- loading ------------------------------------------------------------ */

static const struct c_module *find_module(const struct c_state *st,
                                          const char *module)
{
    for (size_t i = 0; i < st->nmods; i++)
        if (strcmp(st->mods[i]->path, module) == 0)
            return st->mods[i];
    return NULL;
}

/* lt_dlsym's answer as a function pointer. */
static c_script_fn find_fn(lt_dlhandle h, const char *name)
{
    void *p = lt_dlsym(h, name);
    c_script_fn fn = NULL;

    if (p)
        memcpy(&fn, &p, sizeof(fn));
    return fn;
}

static int load_module(struct c_state *st, const char *path,
                       const char *module, const struct c_module **mod_out,
                       struct mgr_error *err)
{
    lt_dladvise advise;
    lt_dlhandle h = NULL;
    const char *why = NULL;
    char whybuf[256] = "";
    struct c_module m, *copy;

    if (lt_dladvise_init(&advise) == 0) {
        lt_dladvise_local(&advise);
        h = lt_dlopenadvise(module, advise);
        if (!h)
            why = lt_dlerror();
        if (why)
            snprintf(whybuf, sizeof(whybuf), "%s", why);
        lt_dladvise_destroy(&advise);
    } else {
        why = lt_dlerror();
        snprintf(whybuf, sizeof(whybuf), "%s", why ? why : "");
    }
    if (!h)
        return plugin_fail(st->api, err, MGR_EPLUGIN, 0,
                           "cannot load '%s' (built from '%s'): %s", module,
                           path, whybuf[0] ? whybuf : "unknown error");
    m.upgrade = find_fn(h, C_SYM_UPGRADE);
    m.downgrade = find_fn(h, C_SYM_DOWNGRADE);
    if (!m.upgrade || !m.downgrade) {
        lt_dlclose(h);
        return plugin_fail_at(st->api, err, MGR_ESCRIPT, path, 0,
                              "'%s' is not defined; a C revision script "
                              "defines int %s(struct mgr_script *) and int "
                              "%s(struct mgr_script *)",
                              m.upgrade ? C_SYM_DOWNGRADE : C_SYM_UPGRADE,
                              C_SYM_UPGRADE, C_SYM_DOWNGRADE);
    }
    m.path = c_xstrdup(module);
    m.handle = h;
    copy = c_xmalloc(sizeof(*copy));
    *copy = m;
    st->mods = c_xrealloc(st->mods, (st->nmods + 1) * sizeof(*st->mods));
    st->mods[st->nmods++] = copy;
    *mod_out = copy;
    return MGR_OK;
}

int c_module_get(struct c_state *st, struct mgr_exec *x, const char *path,
                 const struct c_module **mod_out, struct mgr_error *err)
{
    struct c_build b;
    struct mgr_buf name, module;
    int rc;

    if (!st->ltdl)
        return plugin_fail(st->api, err, MGR_EPLUGIN, 0,
                           "cannot load '%s': libltdl did not start", path);
    rc = c_build_settings(st, x, path, &b, err);
    if (rc != MGR_OK)
        return rc;
    st->api->buf_init(&name, 0);
    st->api->buf_init(&module, 0);
    rc = c_module_name(st, &b, path, &name, err);
    if (rc != MGR_OK)
        goto out;
    st->api->buf_addf(&module, "%s/%s", b.cache_dir, name.buf);
    *mod_out = find_module(st, module.buf);
    if (*mod_out)
        goto out;
    rc = c_build_module(st, &b, path, module.buf, NULL, err);
    if (rc == MGR_OK)
        rc = load_module(st, path, module.buf, mod_out, err);
out:
    st->api->buf_release(&name);
    st->api->buf_release(&module);
    c_build_release(&b);
    return rc;
}

void c_modules_close(struct c_state *st)
{
    for (size_t i = st->nmods; i > 0; i--) {
        lt_dlclose((lt_dlhandle)st->mods[i - 1]->handle);
        free(st->mods[i - 1]->path);
        free(st->mods[i - 1]);
    }
    free(st->mods);
    st->mods = NULL;
    st->nmods = 0;
}
