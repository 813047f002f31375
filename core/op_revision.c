/*
 * op_revision.c: revision, merge and edit of <migrator/commands.h>: the
 * commands that write or open revision scripts.
 */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "fileio.h"
#include "newscript.h"
#include "report.h"
#include "op_revision.h"
#include "run.h"
#include "schema_ops.h"
#include "schema_script.h"
#include "target.h"
#include "util.h"

/* struct mgr_revision_options with its defaults filled in. */
struct revision_args {
    const char *message;
    const char *head;
    const char *rev_id;
    const char *version_path;
    const char *format;
    const char *const *labels;
    size_t nlabels;
    const char *const *depends;
    size_t ndepends;
    bool splice;
    const char *const *revs;
    size_t nrevs;
    bool autogenerate;
    const struct script_bodies *bodies; /* NULL: the template as it is */
    char *id_out;                       /* [33]: the new id, or NULL */
};

/* Field f of o, or 0/NULL when o ends before it. */
#define REVISION_OPTION(o, f)                                             \
    ((o)->size >= offsetof(struct mgr_revision_options, f) +              \
                      sizeof((o)->f)                                      \
         ? (o)->f                                                         \
         : 0)

static void args_from_options(const struct mgr_revision_options *o,
                              struct revision_args *a)
{
    memset(a, 0, sizeof(*a));
    a->message = REVISION_OPTION(o, message);
    a->head = REVISION_OPTION(o, head);
    a->rev_id = REVISION_OPTION(o, rev_id);
    a->version_path = REVISION_OPTION(o, version_path);
    a->format = REVISION_OPTION(o, format);
    a->labels = REVISION_OPTION(o, labels);
    a->nlabels = a->labels ? REVISION_OPTION(o, nlabels) : 0;
    a->depends = REVISION_OPTION(o, depends);
    a->ndepends = a->depends ? REVISION_OPTION(o, ndepends) : 0;
    a->splice = REVISION_OPTION(o, splice);
    a->revs = REVISION_OPTION(o, revs);
    a->nrevs = a->revs ? REVISION_OPTION(o, nrevs) : 0;
    a->autogenerate = REVISION_OPTION(o, autogenerate);
    if (!a->message)
        a->message = "";
    if (!a->head)
        a->head = "head";
    if (!a->format)
        a->format = "sql";
}

static void now_string(char out[32])
{
    struct timeval tv;
    struct tm tm;
    char date[24];

    gettimeofday(&tv, NULL);
    localtime_r(&tv.tv_sec, &tm);
    strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", &tm);
    snprintf(out, 32, "%s.%06ld", date, (long)tv.tv_usec);
}

/* A fresh id, or --rev-id, checked against the graph. */
static int choose_id(const struct graph *g, const char *rev_id,
                     char id_out[33], struct mgr_error *err)
{
    int rc;

    if (rev_id) {
        rc = target_check_new_id(g, rev_id, err);
        if (rc == MGR_OK)
            snprintf(id_out, 33, "%s", rev_id);
        return rc;
    }
    do {
        newscript_make_id(id_out);
    } while (target_check_new_id(g, id_out, NULL) != MGR_OK);
    return MGR_OK;
}

/*
 * Where the new script goes: --version-path (which must be one of the
 * version locations), else beside its parent when it has exactly one,
 * else the first version location.
 */
static int choose_dir(struct mgr_ctx *ctx, const struct revision_args *a,
                      const struct graph_list *parents, char **dir_out)
{
    char **locations = config_get_paths(ctx->config, "version_locations");
    char *want = NULL;
    int rc = MGR_OK;

    if (a->version_path) {
        want = realpath(a->version_path, NULL);
        rc = MGR_EUSAGE;
        for (size_t i = 0; want && locations[i]; i++) {
            char *real = realpath(locations[i], NULL);

            if (real && strcmp(real, want) == 0)
                rc = MGR_OK;
            free(real);
        }
        if (rc != MGR_OK)
            mgr_error_set(&ctx->err, MGR_EUSAGE,
                          "--version-path '%s' is not one of the "
                          "version_locations in '%s'",
                          a->version_path, config_path(ctx->config));
    } else if (parents->len == 1) {
        const char *path = ctx->graph->nodes[parents->v[0]].rev->path;
        const char *slash = strrchr(path, '/');

        want = slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
    } else if (locations[0]) {
        want = xstrdup(locations[0]);
    } else {
        rc = mgr_error_set(&ctx->err, MGR_ECONFIG,
                           "no version_locations in '%s'",
                           config_path(ctx->config));
    }
    strv_list_free(locations);
    if (rc != MGR_OK) {
        free(want);
        return rc;
    }
    *dir_out = want;
    return MGR_OK;
}

/*
 * script_location/script.<format>.tmpl; else for SQL the built-in
 * template, for another format the one of the "generic" init template.
 */
static int load_template(struct mgr_ctx *ctx, const char *format,
                         struct mgr_buf *out)
{
    const char *loc = config_get(ctx->config, "script_location");
    struct mgr_buf path = MGR_BUF_INIT;
    int rc = MGR_OK;

    if (loc && *loc) {
        mgr_buf_addf(&path, "%s/script.%s.tmpl", loc, format);
        if (access(path.buf, F_OK) == 0 &&
            file_read_all(path.buf, out, NULL) == MGR_OK)
            goto out;
        mgr_buf_reset(out);
    }
    if (strcmp(format, "sql") == 0) {
        mgr_buf_addstr(out, newscript_default_sql_template);
        goto out;
    }
    mgr_buf_reset(&path);
    mgr_buf_addf(&path, "%s/generic/script.%s.tmpl", ctx->template_dir,
                 format);
    if (access(path.buf, F_OK) != 0 ||
        file_read_all(path.buf, out, NULL) != MGR_OK)
        rc = mgr_error_set(&ctx->err, MGR_EUSAGE,
                           "no template for --format %s: neither "
                           "'%s/script.%s.tmpl' nor '%s' exists",
                           format, loc ? loc : ".", format, path.buf);
out:
    mgr_buf_release(&path);
    return rc;
}

static int write_script(struct mgr_ctx *ctx, const struct revision_args *a,
                        const struct graph_list *parents,
                        const char *const *deps)
{
    char id[33], date[32];
    const char **parent_ids = xcalloc(parents->len + 1, sizeof(char *));
    struct newscript s;
    struct mgr_buf name = MGR_BUF_INIT, text = MGR_BUF_INIT;
    struct mgr_buf tmpl = MGR_BUF_INIT, path = MGR_BUF_INIT;
    char *dir = NULL, *slug = NULL;
    int rc;

    rc = newscript_check_header_text("message", a->message, &ctx->err);
    for (size_t i = 0; rc == MGR_OK && i < a->nlabels; i++)
        rc = newscript_check_header_text("branch label", a->labels[i],
                                         &ctx->err);
    if (rc == MGR_OK)
        rc = choose_id(ctx->graph, a->rev_id, id, &ctx->err);
    for (size_t i = 0; rc == MGR_OK && i < a->nlabels; i++)
        rc = target_check_new_label(ctx->graph, a->labels[i], &ctx->err);
    if (rc == MGR_OK)
        rc = choose_dir(ctx, a, parents, &dir);
    if (rc != MGR_OK)
        goto out;

    for (size_t i = 0; i < parents->len; i++)
        parent_ids[i] = graph_id(ctx->graph, parents->v[i]);
    now_string(date);
    s = (struct newscript){ id, a->message, parent_ids, parents->len,
                            a->labels, a->nlabels, deps,
                            deps ? a->ndepends : 0, date };
    slug = newscript_slug(a->message);
    rc = newscript_file_name(config_get(ctx->config, "file_template"), &s,
                             slug, &name, &ctx->err);
    if (rc == MGR_OK)
        rc = newscript_check_file_name(dir, name.buf, &ctx->err);
    if (rc != MGR_OK && config_line(ctx->config, "file_template") > 0)
        mgr_error_prefix(&ctx->err, "%s:%d: ", config_path(ctx->config),
                         config_line(ctx->config, "file_template"));
    if (rc != MGR_OK)
        goto out;
    rc = load_template(ctx, a->format, &tmpl);
    if (rc != MGR_OK)
        goto out;
    newscript_render(tmpl.buf, &s, &text);
    if (a->bodies)
        schema_script_fill(&text, a->bodies);
    mgr_buf_addf(&path, "%s/%s.%s", dir, name.buf, a->format);
    rc = file_create_exclusive(path.buf, text.buf, text.len, 0644,
                               &ctx->err);
    if (rc == MGR_OK && ctx->verbosity >= 0)
        report_outputf(ctx->report, "Generating %s ... done\n", path.buf);
    if (rc == MGR_OK && a->id_out)
        memcpy(a->id_out, id, sizeof(id));
out:
    free(parent_ids);
    free(dir);
    free(slug);
    mgr_buf_release(&name);
    mgr_buf_release(&text);
    mgr_buf_release(&tmpl);
    mgr_buf_release(&path);
    return rc;
}

static int revision(struct mgr_ctx *ctx, struct revision_args *a)
{
    struct graph_list parents = GRAPH_LIST_INIT;
    struct script_bodies bodies;
    const char **deps = NULL;
    bool nothing = false;
    int rc;

    script_bodies_init(&bodies);
    rc = target_revision_parents(ctx->graph, a->head, a->splice, &parents,
                                 &ctx->err);
    if (rc == MGR_OK && a->autogenerate && strcmp(a->format, "sql") != 0)
        rc = mgr_error_set(&ctx->err, MGR_EUSAGE,
                           "--autogenerate writes SQL scripts; leave out "
                           "--format %s",
                           a->format);
    if (rc == MGR_OK && a->autogenerate) {
        rc = schema_autogenerate(ctx, &bodies, &nothing);
        a->bodies = &bodies;
    }
    if (rc == MGR_OK && nothing) {
        if (ctx->verbosity >= 0)
            report_outputf(ctx->report, "No changes in schema detected.\n");
        script_bodies_release(&bodies);
        graph_list_release(&parents);
        return MGR_OK;
    }
    deps = xcalloc(a->ndepends + 1, sizeof(*deps));
    for (size_t i = 0; rc == MGR_OK && i < a->ndepends; i++)
        rc = target_dependency(ctx->graph, a->depends[i], &deps[i],
                               &ctx->err);
    if (rc == MGR_OK)
        rc = write_script(ctx, a, &parents, deps);
    free(deps);
    graph_list_release(&parents);
    script_bodies_release(&bodies);
    return rc;
}

int revision_write_new(struct mgr_ctx *ctx,
                       const struct mgr_revision_options *opts,
                       const struct script_bodies *bodies, char id_out[33])
{
    struct graph_list parents = GRAPH_LIST_INIT;
    struct revision_args a;
    int rc;

    args_from_options(opts, &a);
    a.bodies = bodies;
    a.id_out = id_out;
    rc = target_revision_parents(ctx->graph, a.head, a.splice, &parents,
                                 &ctx->err);
    if (rc == MGR_OK)
        rc = write_script(ctx, &a, &parents, NULL);
    graph_list_release(&parents);
    return rc;
}

int mgr_run_revision(struct mgr_run *run,
                     const struct mgr_revision_options *opts,
                     struct mgr_error *err)
{
    struct revision_args a;

    args_from_options(opts, &a);
    return run_result(run, revision(&run->ctx, &a), err);
}

static int merge(struct mgr_ctx *ctx, const struct revision_args *a)
{
    struct graph_list parents = GRAPH_LIST_INIT;
    int rc = MGR_OK;

    if (a->nrevs == 0)
        rc = mgr_error_set(&ctx->err, MGR_EUSAGE,
                           "merge needs the revisions to merge, e.g. "
                           "'migrator merge heads -m \"merge\"'");
    if (rc == MGR_OK)
        rc = target_merge_parents(ctx->graph, a->revs, a->nrevs, a->splice,
                                  &parents, &ctx->err);
    if (rc == MGR_OK && parents.len < 2)
        rc = mgr_error_set(&ctx->err, MGR_EREVISION,
                           "nothing to merge: %s names %zu head%s; a merge "
                           "needs two or more (see 'migrator heads')",
                           a->nrevs == 1 ? a->revs[0] : "the arguments",
                           parents.len, parents.len == 1 ? "" : "s");
    if (rc == MGR_OK)
        rc = write_script(ctx, a, &parents, NULL);
    graph_list_release(&parents);
    return rc;
}

int mgr_run_merge(struct mgr_run *run,
                  const struct mgr_revision_options *opts,
                  struct mgr_error *err)
{
    struct revision_args a;

    args_from_options(opts, &a);
    return run_result(run, merge(&run->ctx, &a), err);
}

/*
 * Run the editor on path. As git does, the editor setting is shell text
 * ("code --wait", "vim -u NONE"), so it is handed to sh with the file as
 * "$1" rather than split by us.
 */
static int run_editor(const char *editor, const char *path,
                      struct mgr_error *err)
{
    struct mgr_buf cmd = MGR_BUF_INIT;
    pid_t pid;
    int status;

    mgr_buf_addf(&cmd, "%s \"$@\"", editor);
    fflush(stdout);
    pid = fork();
    if (pid < 0) {
        mgr_buf_release(&cmd);
        return mgr_error_set_errno(err, MGR_EIO, errno, "cannot start '%s'",
                                   editor);
    }
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", cmd.buf, editor, path, (char *)NULL);
        _exit(127);
    }
    mgr_buf_release(&cmd);
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return mgr_error_set_errno(err, MGR_EIO, errno,
                                       "cannot wait for '%s'", editor);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return mgr_error_set(err, MGR_EIO, "editor '%s' failed on '%s'",
                             editor, path);
    return MGR_OK;
}

static int edit(struct mgr_ctx *ctx, const char *rev, const char *editor)
{
    size_t idx;
    int rc;

    rc = target_resolve_one(ctx->graph, rev, &idx, &ctx->err);
    if (rc == MGR_OK && idx == GRAPH_NONE)
        rc = mgr_error_set(&ctx->err, MGR_EREVISION,
                           "'%s' names no revision to edit", rev);
    if (rc != MGR_OK)
        return rc;
    return run_editor(editor, ctx->graph->nodes[idx].rev->path, &ctx->err);
}

int mgr_run_edit(struct mgr_run *run, const char *rev, const char *editor,
                 struct mgr_error *err)
{
    return run_result(run, edit(&run->ctx, rev, editor), err);
}
