/* newscript.c: ids, file names and text of new revision scripts. */
#include "autoconfig.h"

#include <ctype.h>
#include <limits.h>
#include <stdbool.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef HAVE_GETRANDOM
#include <sys/random.h>
#endif

#include "newscript.h"
#include "util.h"

const char newscript_default_sql_template[] =
    "-- ${message}\n"
    "--\n"
    "-- Revision ID: ${revision}\n"
    "-- Revises: ${down_revision}\n"
    "-- Create Date: ${create_date}\n"
    "${branch_labels_line}${depends_on_line}"
    "\n"
    "-- migrate:upgrade\n"
    "\n"
    "\n"
    "-- migrate:downgrade\n"
    "\n";

static void random_bytes(unsigned char *out, size_t n)
{
    size_t got = 0;

#ifdef HAVE_GETRANDOM
    while (got < n) {
        ssize_t r = getrandom(out + got, n - got, 0);

        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
#endif
    if (got < n) {
        /* No getrandom: fall back on the clock and pid, still unique
         * enough for ids that are checked against the graph. */
        unsigned long seed = (unsigned long)time(NULL) ^
                             ((unsigned long)getpid() << 16) ^
                             (unsigned long)clock();

        for (; got < n; got++) {
            seed = seed * 6364136223846793005UL + 1442695040888963407UL;
            out[got] = (unsigned char)(seed >> 33);
        }
    }
}

void newscript_make_id(char id_out[13])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char raw[6];

    random_bytes(raw, sizeof(raw));
    for (size_t i = 0; i < sizeof(raw); i++) {
        id_out[2 * i] = hex[raw[i] >> 4];
        id_out[2 * i + 1] = hex[raw[i] & 0xf];
    }
    id_out[12] = '\0';
}

char *newscript_slug(const char *message)
{
    struct mgr_buf slug = MGR_BUF_INIT;
    int pending_sep = 0;

    for (const char *p = message; *p && slug.len < 40; p++) {
        unsigned char c = (unsigned char)*p;

        if (isalnum(c) && c < 0x80) {
            if (pending_sep && slug.len)
                mgr_buf_addch(&slug, '_');
            pending_sep = 0;
            mgr_buf_addch(&slug, tolower(c));
        } else {
            pending_sep = 1;
        }
    }
    if (!slug.len)
        mgr_buf_addstr(&slug, "revision");
    return mgr_buf_detach(&slug, NULL);
}

/* create_date "YYYY-MM-DD HH:MM:SS..." split into numbers. */
static void date_parts(const char *date, int parts[6])
{
    static const int offsets[6] = { 0, 5, 8, 11, 14, 17 };
    static const int widths[6] = { 4, 2, 2, 2, 2, 2 };

    for (int i = 0; i < 6; i++) {
        int v = 0;

        for (int k = 0; k < widths[i]; k++) {
            char c = date[offsets[i] + k];

            if (c < '0' || c > '9')
                break;
            v = v * 10 + (c - '0');
        }
        parts[i] = v;
    }
}

int newscript_file_name(const char *file_template, const struct newscript *s,
                        const char *slug, struct mgr_buf *out,
                        struct mgr_error *err)
{
    static const char *const date_keys[6] = {
        "%(year)d", "%(month).2d", "%(day).2d",
        "%(hour).2d", "%(minute).2d", "%(second).2d",
    };
    int parts[6];
    const char *p = file_template;

    date_parts(s->create_date, parts);
    while (*p) {
        size_t klen;
        int matched = 0;

        if (*p != '%') {
            mgr_buf_addch(out, *p++);
            continue;
        }
        if (str_has_prefix(p, "%%")) {
            mgr_buf_addch(out, '%');
            p += 2;
            continue;
        }
        if (str_has_prefix(p, "%(rev)s")) {
            mgr_buf_addstr(out, s->id);
            p += strlen("%(rev)s");
            continue;
        }
        if (str_has_prefix(p, "%(slug)s")) {
            mgr_buf_addstr(out, slug);
            p += strlen("%(slug)s");
            continue;
        }
        for (int i = 0; i < 6 && !matched; i++) {
            klen = strlen(date_keys[i]);
            if (strncmp(p, date_keys[i], klen) == 0) {
                mgr_buf_addf(out, i == 0 ? "%d" : "%02d", parts[i]);
                p += klen;
                matched = 1;
            }
        }
        if (!matched)
            return mgr_error_set(err, MGR_ECONFIG,
                                 "file_template '%s': unknown placeholder "
                                 "at '%s'; use %%(rev)s, %%(slug)s, "
                                 "%%(year)d, %%(month).2d, %%(day).2d, ...",
                                 file_template, p);
    }
    return MGR_OK;
}

int newscript_check_header_text(const char *what, const char *text,
                                struct mgr_error *err)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p < 0x20u || *p == 0x7fu)
            return mgr_error_set(err, MGR_EUSAGE,
                                 "the %s holds a control character (\\x%02x); "
                                 "it goes into the script's header, which "
                                 "it must not end or extend: give one line "
                                 "of text",
                                 what, *p);
        if (p[0] == '*' && p[1] == '/')
            return mgr_error_set(err, MGR_EUSAGE,
                                 "the %s holds '*/', which would end the "
                                 "header comment of a C script",
                                 what);
    }
    return MGR_OK;
}

/* Whether the directory of dir/name (name has a '/') is dir or below. */
static bool parent_inside(const char *dir, const char *name)
{
    struct mgr_buf parent = MGR_BUF_INIT;
    char *real_dir = realpath(dir, NULL), *real_parent;
    bool inside;
    size_t n;

    mgr_buf_addf(&parent, "%s/%.*s", dir,
                 (int)(strrchr(name, '/') - name), name);
    real_parent = realpath(parent.buf, NULL);
    n = real_dir ? strlen(real_dir) : 0;
    /* A directory that does not exist yet fails the create later. */
    inside = !real_parent ||
             (real_dir && strncmp(real_parent, real_dir, n) == 0 &&
              (real_parent[n] == '/' || !real_parent[n]));
    free(real_dir);
    free(real_parent);
    mgr_buf_release(&parent);
    return inside;
}

int newscript_check_file_name(const char *dir, const char *name,
                              struct mgr_error *err)
{
    const char *why = NULL;

    if (!*name)
        why = "is empty";
    else if (*name == '/')
        why = "is an absolute path";
    for (const char *p = name; !why && *p; p += strcspn(p, "/")) {
        p += strspn(p, "/");
        if (strncmp(p, "..", 2) == 0 && (p[2] == '/' || !p[2]))
            why = "climbs out with '..'";
    }
    if (!why && strchr(name, '/') && !parent_inside(dir, name))
        why = "leads out through a link";
    if (!why)
        return MGR_OK;
    return mgr_error_set(err, MGR_ECONFIG,
                         "file_template: the file name '%s' %s; a new "
                         "script goes into the version directory '%s'",
                         name, why, dir);
}

static void add_list(struct mgr_buf *out, const char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            mgr_buf_addstr(out, ", ");
        mgr_buf_addstr(out, v[i]);
    }
}

static int render_var(const char *name, size_t len, const struct newscript *s,
                      struct mgr_buf *out)
{
#define IS(lit) (len == sizeof(lit) - 1 && memcmp(name, lit, len) == 0)
    if (IS("message")) {
        mgr_buf_addstr(out, s->message);
    } else if (IS("revision")) {
        mgr_buf_addstr(out, s->id);
    } else if (IS("down_revision")) {
        add_list(out, s->parents, s->nparents);
    } else if (IS("create_date")) {
        mgr_buf_addstr(out, s->create_date);
    } else if (IS("branch_labels_line")) {
        if (s->nlabels) {
            mgr_buf_addstr(out, "-- Branch Labels: ");
            add_list(out, s->labels, s->nlabels);
            mgr_buf_addch(out, '\n');
        }
    } else if (IS("depends_on_line")) {
        if (s->ndepends) {
            mgr_buf_addstr(out, "-- Depends On: ");
            add_list(out, s->depends, s->ndepends);
            mgr_buf_addch(out, '\n');
        }
    } else {
        return 0;
    }
    return 1;
#undef IS
}

void newscript_render(const char *tmpl, const struct newscript *s,
                      struct mgr_buf *out)
{
    const char *p = tmpl;

    while (*p) {
        const char *end;

        if (p[0] == '$' && p[1] == '{' && (end = strchr(p + 2, '}')) &&
            render_var(p + 2, (size_t)(end - p - 2), s, out)) {
            p = end + 1;
            continue;
        }
        mgr_buf_addch(out, *p++);
    }
}
