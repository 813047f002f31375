/*
 * c_compile.c: compile the text of a C script into a module.
 *
 * The compiler never reads the script itself: the text the host read
 * (and whose checksum it records) is written to a private copy in a
 * directory of the user's that nobody else may enter, and that copy is
 * compiled. A script rewritten while the compiler runs therefore cannot
 * put other code under the name of the text that was checked. A "#line"
 * directive in front of the copy keeps the compiler's messages, and
 * __FILE__, naming the script. The compiler writes the module into the
 * private directory; it is renamed into the cache complete, so a run
 * never sees half a module.
 */
#include "autoconfig.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "c.h"

/* The compiler's output kept for messages; the rest is read and dropped. */
#define OUTPUT_MAX 65536
/* What the child writes when the compiler cannot be started. */
#define EXEC_FAILED "migrator: cannot run "
/* The private directory's entries. */
#define COPY_NAME "script.c"
#define OUT_NAME "module.so"

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

/* Run the compiler on copy (the private copy of path) into out. */
static int compile(const struct c_state *st, const struct c_build *b,
                   const char *path, const char *copy, const char *out,
                   struct mgr_error *err)
{
    struct mgr_buf incs, output;
    char **argv;
    char how[64];
    int status = 0, rc;

    st->api->buf_init(&incs, 0);
    st->api->buf_init(&output, 0);
    argv = compile_argv(st, b, copy, out, &incs);
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

/* ---- the private copy --------------------------------------------------- */

/* path as a C string literal's contents, for "#line". */
static void add_c_string(const struct c_state *st, struct mgr_buf *out,
                         const char *path)
{
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if (*p == '"' || *p == '\\')
            st->api->buf_addf(out, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7f)
            st->api->buf_addf(out, "\\%03o", *p);
        else
            st->api->buf_add(out, (const char *)p, 1);
    }
}

/* Write all of data to fd. */
static bool write_all(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t n = write(fd, data, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        data += n;
        len -= (size_t)n;
    }
    return true;
}

/* Write src's text, after a #line naming src->path, to copy (new file,
 * mode 0600). A UTF-8 byte order mark is left out: it may only begin a
 * file. */
static int write_copy(const struct c_state *st, const struct c_source *src,
                      const char *copy, struct mgr_error *err)
{
    struct mgr_buf line;
    const char *text = src->text;
    size_t len = src->len;
    int fd, e = 0;

    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
        text += 3;
        len -= 3;
    }
    fd = open(copy, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
              0600);
    if (fd < 0)
        return plugin_fail(st->api, err, MGR_EIO, errno,
                           "cannot create '%s'", copy);
    st->api->buf_init(&line, 0);
    st->api->buf_add(&line, "#line 1 \"", 9);
    add_c_string(st, &line, src->path);
    st->api->buf_add(&line, "\"\n", 2);
    if (!write_all(fd, line.buf, line.len) || !write_all(fd, text, len))
        e = errno ? errno : EIO;
    if (close(fd) != 0 && !e)
        e = errno;
    st->api->buf_release(&line);
    if (e)
        return plugin_fail(st->api, err, MGR_EIO, e, "cannot write '%s'",
                           copy);
    return MGR_OK;
}

/* Remove the private directory and whatever the compiler left in it. */
static void remove_private(const struct c_state *st, const char *dir)
{
    DIR *dh = opendir(dir);
    struct dirent *d;

    while (dh && (d = readdir(dh)) != NULL) {
        struct mgr_buf p;

        if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
            continue;
        st->api->buf_init(&p, 0);
        st->api->buf_addf(&p, "%s/%s", dir, d->d_name);
        unlink(p.buf);
        st->api->buf_release(&p);
    }
    if (dh)
        closedir(dh);
    rmdir(dir);
}

/* Check what the compiler made (out), make it the module's mode and
 * rename it to module. */
static int install(const struct c_state *st, const char *path,
                   const char *out, const char *module,
                   struct mgr_error *err)
{
    struct stat sb;

    if (lstat(out, &sb) != 0)
        return plugin_fail(st->api, err, MGR_ESCRIPT, errno,
                           "the compiler made no module of '%s'", path);
    if (!S_ISREG(sb.st_mode))
        return plugin_fail(st->api, err, MGR_ETRUST, 0,
                           "refusing to load '%s': not a regular file", out);
    if (chmod(out, 0700) != 0)
        return plugin_fail(st->api, err, MGR_EIO, errno, "cannot chmod '%s'",
                           out);
    if (rename(out, module) != 0)
        return plugin_fail(st->api, err, MGR_EIO, errno,
                           "cannot rename '%s' to '%s'", out, module);
    return MGR_OK;
}

int c_compile(const struct c_state *st, const struct c_build *b,
              const struct c_source *src, const char *module,
              struct mgr_error *err)
{
    struct mgr_buf dir, copy, out;
    int rc;

    st->api->buf_init(&dir, 0);
    st->api->buf_init(&copy, 0);
    st->api->buf_init(&out, 0);
    st->api->buf_addf(&dir, "%s/.build-XXXXXX", b->cache_dir);
    if (!mkdtemp(dir.buf)) {
        rc = plugin_fail(st->api, err, MGR_EIO, errno,
                         "cannot create a directory in the build cache "
                         "'%s'", b->cache_dir);
        goto out;
    }
    st->api->buf_addf(&copy, "%s/%s", dir.buf, COPY_NAME);
    st->api->buf_addf(&out, "%s/%s", dir.buf, OUT_NAME);
    rc = write_copy(st, src, copy.buf, err);
    if (rc == MGR_OK)
        rc = compile(st, b, src->path, copy.buf, out.buf, err);
    if (rc == MGR_OK)
        rc = install(st, src->path, out.buf, module, err);
    remove_private(st, dir.buf);
out:
    st->api->buf_release(&dir);
    st->api->buf_release(&copy);
    st->api->buf_release(&out);
    return rc;
}
