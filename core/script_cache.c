/* script_cache.c: the scripts of one command, each read once. */
#include "autoconfig.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "script_cache.h"
#include "strmap.h"
#include "util.h"

struct cached_script {
    char *path;
    struct mgr_buf text;
    char checksum[CHECKSUM_SIZE]; /* "" until asked for */
};

struct script_cache {
    struct strmap index; /* path -> position in v; keys are v[i]->path */
    struct cached_script **v;
    size_t len, alloc;
    bool handed_to_run; /* script_cache_hand_to_run */
    /* The directory of the last script read, open: the scripts of one
     * location are read relative to it, sparing the kernel the walk of
     * the whole path for each. Closed with the texts, so that it never
     * outlives a run (a deploy may swap the directory a link names). */
    int dirfd;
    char *dir;
};

struct script_cache *script_cache_new(void)
{
    struct script_cache *c = xcalloc(1, sizeof(struct script_cache));

    c->dirfd = -1;
    return c;
}

static void close_dir(struct script_cache *c)
{
    if (c->dirfd >= 0)
        close(c->dirfd);
    free(c->dir);
    c->dirfd = -1;
    c->dir = NULL;
}

void script_cache_clear(struct script_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->len; i++) {
        free(c->v[i]->path);
        mgr_buf_release(&c->v[i]->text);
        free(c->v[i]);
    }
    free(c->v);
    strmap_release(&c->index);
    close_dir(c);
    memset(c, 0, sizeof(*c));
    c->dirfd = -1;
}

void script_cache_hand_to_run(struct script_cache *c)
{
    if (c)
        c->handed_to_run = true;
}

void script_cache_begin_run(struct script_cache *c)
{
    if (c && c->handed_to_run)
        c->handed_to_run = false;
    else
        script_cache_clear(c);
}

void script_cache_free(struct script_cache *c)
{
    script_cache_clear(c);
    free(c);
}

/* Read path, relative to its directory kept open where that works. */
static int read_script(struct script_cache *c, const char *path,
                       struct mgr_buf *out, struct mgr_error *err)
{
    const char *slash = strrchr(path, '/');
    size_t dirlen;

    if (!slash || slash == path)
        return file_read_all(path, out, err);
    dirlen = (size_t)(slash - path);
    if (!c->dir || strlen(c->dir) != dirlen ||
        memcmp(c->dir, path, dirlen) != 0) {
        close_dir(c);
        c->dir = xstrndup(path, dirlen);
        c->dirfd = open(c->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    }
    if (c->dirfd < 0)
        return file_read_all(path, out, err);
    return file_read_all_at(c->dirfd, slash + 1, path, out, err);
}

static int entry(struct script_cache *c, const char *path,
                 struct cached_script **out, struct mgr_error *err)
{
    struct cached_script *s;
    size_t at;
    int rc;

    if (strmap_get(&c->index, path, &at)) {
        *out = c->v[at];
        return MGR_OK;
    }
    s = xcalloc(1, sizeof(*s));
    mgr_buf_init(&s->text, 0);
    rc = read_script(c, path, &s->text, err);
    if (rc != MGR_OK) {
        mgr_buf_release(&s->text);
        free(s);
        return rc;
    }
    s->path = xstrdup(path);
    if (c->len == c->alloc) {
        c->alloc = c->alloc ? 2 * c->alloc : 64;
        c->v = xreallocarray(c->v, c->alloc, sizeof(*c->v));
    }
    c->v[c->len] = s;
    strmap_put(&c->index, s->path, c->len++);
    *out = s;
    return MGR_OK;
}

int script_cache_text(struct script_cache *c, const char *path,
                      const char **text_out, size_t *len_out,
                      struct mgr_error *err)
{
    struct cached_script *s;
    int rc = entry(c, path, &s, err);

    if (rc != MGR_OK)
        return rc;
    *text_out = s->text.buf;
    *len_out = s->text.len;
    return MGR_OK;
}

int script_cache_checksum(struct script_cache *c, const char *path,
                          char out[CHECKSUM_SIZE], struct mgr_error *err)
{
    struct cached_script *s;
    int rc;

    if (!c)
        return checksum_file(path, out, err);
    rc = entry(c, path, &s, err);
    if (rc != MGR_OK)
        return rc;
    if (!s->checksum[0])
        checksum_text(s->text.buf, s->text.len, s->checksum);
    memcpy(out, s->checksum, CHECKSUM_SIZE);
    return MGR_OK;
}
