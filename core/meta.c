/*
 * meta.c: turn the raw header fields a format plugin reports into a
 * struct revision. The rules are listed in meta.h.
 */
#include "autoconfig.h"

#include <stdlib.h>
#include <string.h>

#include <migrator/migrator.h>

#include "meta.h"
#include "utf8.h"
#include "util.h"

/* How much of an offending value an error message quotes. */
#define SHOW_MAX 40

/* What an entry of a field must be. */
enum meta_kind {
    KIND_ID,    /* a revision id */
    KIND_LABEL, /* a branch label */
    KIND_REF,   /* a revision id or a branch label */
};

static const char *const reserved[] = { "head", "heads", "base", "current" };

static const char *field_name(enum mgr_meta_field field)
{
    switch (field) {
    case MGR_META_MESSAGE: return "message";
    case MGR_META_REVISION: return "Revision ID";
    case MGR_META_REVISES: return "Revises";
    case MGR_META_BRANCH_LABELS: return "Branch Labels";
    case MGR_META_DEPENDS_ON: return "Depends On";
    case MGR_META_CREATE_DATE: return "Create Date";
    case MGR_META_DOC: return "description";
    }
    return "?";
}

static const char *kind_name(enum meta_kind kind)
{
    switch (kind) {
    case KIND_ID: return "revision id";
    case KIND_LABEL: return "branch label";
    case KIND_REF: return "revision id or branch label";
    }
    return "?";
}

static const char *kind_hint(enum meta_kind kind)
{
    if (kind == KIND_ID)
        return "use only letters, digits and '_'";
    return "use only letters, digits, '_' and '-' (not first)";
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
           c == '\f';
}

static void trim(const char **s, size_t *len)
{
    while (*len && is_space(**s)) {
        (*s)++;
        (*len)--;
    }
    while (*len && is_space((*s)[*len - 1]))
        (*len)--;
}

/*
 * Copy s (len bytes) into out for quoting in a message, cut after SHOW_MAX
 * bytes at a character boundary and marked with "...".
 */
static const char *show(char out[SHOW_MAX + 4], const char *s, size_t len)
{
    if (len > SHOW_MAX) {
        len = utf8_cut(s, len, SHOW_MAX);
        memcpy(out, s, len);
        memcpy(out + len, "...", 4);
    } else {
        memcpy(out, s, len);
        out[len] = '\0';
    }
    return out;
}

static bool is_reserved(const char *s, size_t len)
{
    for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
        if (strlen(reserved[i]) == len && memcmp(reserved[i], s, len) == 0)
            return true;
    return false;
}

static bool is_id_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_';
}

static bool chars_ok(const char *s, size_t len, enum meta_kind kind)
{
    for (size_t i = 0; i < len; i++) {
        if (is_id_char(s[i]))
            continue;
        if (kind != KIND_ID && s[i] == '-' && i > 0)
            continue;
        return false;
    }
    return true;
}

bool meta_valid_id(const char *s, size_t len)
{
    return len >= 1 && len <= META_ID_MAX && chars_ok(s, len, KIND_ID) &&
           !is_reserved(s, len);
}

bool meta_valid_label(const char *s, size_t len)
{
    return len >= 1 && len <= META_LABEL_MAX &&
           chars_ok(s, len, KIND_LABEL) && !is_reserved(s, len);
}

/* Check one non-empty entry s of field; fail with a message naming it. */
static int check_entry(struct mgr_script_meta *m, enum mgr_meta_field field,
                       enum meta_kind kind, const char *s, size_t len,
                       int line, struct mgr_error *err)
{
    size_t max = kind == KIND_ID ? META_ID_MAX : META_LABEL_MAX;
    char shown[SHOW_MAX + 4];

    if (!chars_ok(s, len, kind))
        return mgr_error_set(err, MGR_ESCRIPT,
                             "%s:%d: '%s' in '%s' is not a valid %s; %s",
                             m->path, line, show(shown, s, len),
                             field_name(field), kind_name(kind),
                             kind_hint(kind));
    if (len > max)
        return mgr_error_set(err, MGR_ESCRIPT,
                             "%s:%d: '%s' in '%s' is %zu characters long; "
                             "a %s has at most %zu",
                             m->path, line, show(shown, s, len),
                             field_name(field), len, kind_name(kind), max);
    if (is_reserved(s, len))
        return mgr_error_set(err, MGR_ESCRIPT,
                             "%s:%d: '%s' in '%s' is a reserved word, not "
                             "a %s; choose another name",
                             m->path, line, show(shown, s, len),
                             field_name(field), kind_name(kind));
    return MGR_OK;
}

static void free_strv(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/*
 * Split a comma list into a new array, checking every entry. On success
 * the array replaces *v_out (which is empty: a field is given once).
 */
static int split_list(struct mgr_script_meta *m, enum mgr_meta_field field,
                      enum meta_kind kind, const char *s, size_t len,
                      int line, char ***v_out, size_t *n_out,
                      struct mgr_error *err)
{
    char **v = NULL;
    size_t n = 0;
    const char *end = s + len;
    int rc = MGR_OK;

    if (len == 0)
        goto out; /* an empty list */
    for (const char *p = s;;) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *stop = comma ? comma : end;
        const char *item = p;
        size_t ilen = (size_t)(stop - p);
        char shown[SHOW_MAX + 4];

        trim(&item, &ilen);
        if (ilen == 0) {
            rc = mgr_error_set(err, MGR_ESCRIPT,
                               "%s:%d: empty entry in '%s'; separate "
                               "entries with single commas",
                               m->path, line, field_name(field));
            goto out;
        }
        rc = check_entry(m, field, kind, item, ilen, line, err);
        if (rc)
            goto out;
        for (size_t i = 0; i < n; i++) {
            if (strlen(v[i]) == ilen && memcmp(v[i], item, ilen) == 0) {
                rc = mgr_error_set(err, MGR_ESCRIPT,
                                   "%s:%d: '%s' is listed twice in '%s'",
                                   m->path, line, show(shown, item, ilen),
                                   field_name(field));
                goto out;
            }
        }
        v = xreallocarray(v, n + 1, sizeof(*v));
        v[n++] = xstrndup(item, ilen);
        if (!comma)
            break;
        p = comma + 1;
    }
out:
    if (rc) {
        free_strv(v, n);
        return rc;
    }
    *v_out = v;
    *n_out = n;
    return MGR_OK;
}

static void set_string(char **dst, const char *s, size_t len)
{
    free(*dst);
    *dst = xstrndup(s, len);
}

/*
 * One more description line. Blank lines before the first text line are
 * dropped, a run of blank lines between text lines becomes one empty line,
 * and blank lines at the end never show (they wait for text that follows).
 */
static void add_doc(struct mgr_script_meta *m, const char *s, size_t len)
{
    struct revision *rev = m->rev;
    size_t old = strlen(rev->doc);
    size_t sep;
    char *doc;

    if (len == 0) {
        if (old)
            m->doc_blank = 1;
        return;
    }
    sep = old ? (m->doc_blank ? 2 : 1) : 0;
    doc = xmalloc(old + sep + len + 1);
    memcpy(doc, rev->doc, old);
    memset(doc + old, '\n', sep);
    memcpy(doc + old + sep, s, len);
    doc[old + sep + len] = '\0';
    free(rev->doc);
    rev->doc = doc;
    m->doc_blank = 0;
}

void meta_init(struct mgr_script_meta *m, struct revision *rev,
               const char *path)
{
    memset(m, 0, sizeof(*m));
    m->rev = rev;
    rev->path = xstrdup(path);
    rev->message = xstrdup("");
    rev->doc = xstrdup("");
    rev->create_date = xstrdup("");
    m->path = rev->path;
}

int meta_add(struct mgr_script_meta *m, enum mgr_meta_field field,
             const char *value, size_t len, int line, struct mgr_error *err)
{
    struct revision *rev = m->rev;
    const char *v = value;
    size_t n = len;

    if (field < MGR_META_MESSAGE || field > MGR_META_DOC)
        return mgr_error_set(err, MGR_EPLUGIN,
                             "%s:%d: unknown header field %d from the "
                             "format plugin",
                             m->path, line, (int)field);
    if (n && memchr(v, '\0', n))
        return mgr_error_set(err, MGR_ESCRIPT, "%s:%d: NUL byte", m->path,
                             line);
    trim(&v, &n);
    if (field == MGR_META_DOC) {
        add_doc(m, v, n);
        return MGR_OK;
    }
    if (m->line[field])
        return mgr_error_set(err, MGR_ESCRIPT,
                             "%s:%d: '%s' given twice (first on line %d)",
                             m->path, line, field_name(field),
                             m->line[field]);

    switch (field) {
    case MGR_META_MESSAGE:
        set_string(&rev->message, v, n);
        break;
    case MGR_META_CREATE_DATE:
        set_string(&rev->create_date, v, n);
        break;
    case MGR_META_REVISION: {
        int rc;

        if (n == 0)
            return mgr_error_set(err, MGR_ESCRIPT,
                                 "%s:%d: 'Revision ID' is empty; give the "
                                 "revision's id",
                                 m->path, line);
        rc = check_entry(m, field, KIND_ID, v, n, line, err);
        if (rc)
            return rc;
        set_string(&rev->id, v, n);
        rev->id_line = line;
        break;
    }
    case MGR_META_REVISES: {
        int rc = split_list(m, field, KIND_ID, v, n, line, &rev->down,
                            &rev->ndown, err);
        if (rc)
            return rc;
        break;
    }
    case MGR_META_BRANCH_LABELS: {
        int rc = split_list(m, field, KIND_LABEL, v, n, line, &rev->labels,
                            &rev->nlabels, err);
        if (rc)
            return rc;
        break;
    }
    case MGR_META_DEPENDS_ON: {
        int rc = split_list(m, field, KIND_REF, v, n, line, &rev->depends,
                            &rev->ndepends, err);
        if (rc)
            return rc;
        break;
    }
    case MGR_META_DOC:
        break; /* handled above */
    }
    m->line[field] = line;
    return MGR_OK;
}

int meta_finish(struct mgr_script_meta *m, struct mgr_error *err)
{
    if (!m->line[MGR_META_REVISION]) {
        const char *hint = str_has_suffix(m->path, ".sql")
                               ? "add '-- Revision ID: <id>'"
                               : "add a 'Revision ID: <id>' line";

        return mgr_error_set(err, MGR_ESCRIPT,
                             "%s: no 'Revision ID' in the header; %s",
                             m->path, hint);
    }
    return MGR_OK;
}
