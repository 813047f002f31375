/* schema_script.c: a diff as SQL sections; see schema_script.h. */
#include "autoconfig.h"

#include <string.h>

#include "schema_script.h"
#include "util.h"

void script_bodies_init(struct script_bodies *b)
{
    memset(b, 0, sizeof(*b));
    mgr_buf_init(&b->upgrade, 0);
    mgr_buf_init(&b->downgrade, 0);
}

void script_bodies_release(struct script_bodies *b)
{
    mgr_buf_release(&b->upgrade);
    mgr_buf_release(&b->downgrade);
}

/* "-- " before every line of text. */
static void add_commented(struct mgr_buf *out, const char *text)
{
    const char *p = text;

    while (*p) {
        size_t len = strcspn(p, "\n");

        mgr_buf_addstr(out, "-- ");
        mgr_buf_add(out, p, len);
        mgr_buf_addch(out, '\n');
        p += len;
        if (*p)
            p++;
    }
}

/* The RENAME the hint proposes, commented out, after its reason. */
static int add_rename_hint(struct db *db, const struct schema_step *st,
                           struct mgr_buf *out, struct mgr_error *err)
{
    const struct mgr_change *one[1] = { st->rename };
    struct mgr_buf sql = MGR_BUF_INIT;
    unsigned flags = 0;
    int rc;

    rc = db->ops->render(db->state, one, 1, 0, &sql, &flags, err);
    if (rc == MGR_OK) {
        add_commented(out, st->rename_reason ? st->rename_reason
                                             : "this may be a rename:");
        add_commented(out, sql.buf);
    }
    mgr_buf_release(&sql);
    return rc;
}

int schema_script_render(struct db *db, const struct schema_diff *d,
                         struct mgr_buf *out, unsigned *flags_out,
                         struct mgr_error *err)
{
    int rc = MGR_OK;

    for (size_t i = 0; rc == MGR_OK && i < d->n; i++) {
        const struct schema_step *st = &d->steps[i];

        if (st->note)
            add_commented(out, st->note);
        if (st->rename)
            rc = add_rename_hint(db, st, out, err);
        if (rc == MGR_OK)
            rc = db->ops->render(db->state,
                                 (const struct mgr_change *const *)d->changes,
                                 d->n, i, out, flags_out, err);
    }
    return rc;
}

/* Where the line after the marker line starts, or NULL without one. */
static const char *after_marker(const char *text, const char *marker,
                                size_t *marker_end)
{
    size_t mlen = strlen(marker);
    const char *p = text;

    while (*p) {
        const char *eol = strchr(p, '\n');
        const char *next = eol ? eol + 1 : p + strlen(p);

        if (strncmp(p, marker, mlen) == 0 &&
            (p[mlen] == '\n' || p[mlen] == ' ' || p[mlen] == '\0')) {
            *marker_end = (size_t)(p - text) + mlen;
            return next;
        }
        p = next;
    }
    return NULL;
}

static void fill_one(struct mgr_buf *text, const char *marker,
                     const struct mgr_buf *body, unsigned flags)
{
    struct mgr_buf out = MGR_BUF_INIT;
    size_t marker_end = 0;
    const char *rest = after_marker(text->buf, marker, &marker_end);
    const char *opt = flags & MGR_SECTION_NO_TRANSACTION
                          ? " transaction=false" : "";

    if (!rest) {
        if (text->len && text->buf[text->len - 1] != '\n')
            mgr_buf_addch(text, '\n');
        mgr_buf_addf(text, "\n%s%s\n", marker, opt);
        mgr_buf_add(text, body->buf, body->len);
        return;
    }
    mgr_buf_add(&out, text->buf, marker_end);
    mgr_buf_addstr(&out, opt);
    /* The rest of the marker line (options the template gave). */
    mgr_buf_add(&out, text->buf + marker_end,
                (size_t)(rest - text->buf) - marker_end);
    mgr_buf_add(&out, body->buf, body->len);
    mgr_buf_addstr(&out, rest);
    mgr_buf_reset(text);
    mgr_buf_add(text, out.buf, out.len);
    mgr_buf_release(&out);
}

void schema_script_fill(struct mgr_buf *text, const struct script_bodies *b)
{
    fill_one(text, "-- migrate:upgrade", &b->upgrade, b->upgrade_flags);
    fill_one(text, "-- migrate:downgrade", &b->downgrade,
             b->downgrade_flags);
}
