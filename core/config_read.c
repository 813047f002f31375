/*
 * config_read.c: the reader and the handler that feed migrator.ini to
 * inih, line by line.
 *
 * inih splits the file into sections and key = value pairs; this file
 * feeds it through ini_parse_stream() with a reader of its own, because
 * the build of inih we link against has three properties we must not let
 * through to the user:
 *
 *  - It reads at most INI_MAX_LINE - 1 bytes at a time (199 in Debian's
 *    build) and parses the rest of a longer line as if it were the next
 *    line. The reader reads whole lines itself, refuses one that does not
 *    fit with "file:LINE: line too long" (a long comment is fine), and
 *    hands inih an empty line in its place, so that the following lines
 *    keep their numbers and their meaning (and their diagnostics stay
 *    right).
 *
 *  - It cuts a value at " ;" (inline comments), so that
 *    "password = ab ;cd#ef" would silently become "ab". We keep every
 *    value verbatim instead: the handler takes the value from the raw line
 *    the reader kept, not from inih's stripped copy. Refusing such values
 *    was the other choice; we keep them because Python's configparser,
 *    which reads alembic.ini, has no inline comments by default either,
 *    so a file moved from Alembic means the same thing here, and a
 *    password may legitimately contain " ;". A stray comment after a
 *    typed value (lock_wait = 5s ; five) is then caught by validation.
 *
 *  - Its handler gets no line number (INI_HANDLER_LINENO=0) and section
 *    names longer than 49 bytes are cut. The reader numbers the lines and
 *    tracks "[section]" headers itself (exactly, with their line numbers
 *    for the duplicate-section check).
 *
 * To know which lines inih treats as continuations of a multi-line value
 * (an indented line after a key line), the reader mirrors inih's small
 * state machine: see line_classify().
 */
#include "autoconfig.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_internal.h"
#include "utf8.h"
#include "util.h"

/* ---- small helpers ------------------------------------------------- */

static char *str_lower(const char *s)
{
    char *p = xstrdup(s);

    for (char *q = p; *q; q++)
        *q = (char)tolower((unsigned char)*q);
    return p;
}

const char *config_skip_space(const char *s)
{
    while (*s && isspace((unsigned char)*s))
        s++;
    return s;
}

/* Length of s[0..n) without trailing white space. */
static size_t trim_end(const char *s, size_t n)
{
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    return n;
}

/* ---- parsing ------------------------------------------------------- */

/* Record the first error only: the one with the lowest line number. */
void config_parse_fail(struct parse *ps, int code, int line,
                       const char *fmt, ...)
{
    struct mgr_buf sb = MGR_BUF_INIT;
    va_list ap;

    if (ps->failed)
        return;
    ps->failed = true;
    if (line > 0)
        mgr_buf_addf(&sb, "%s:%d: ", ps->path, line);
    else
        mgr_buf_addf(&sb, "%s: ", ps->path);
    va_start(ap, fmt);
    mgr_buf_vaddf(&sb, fmt, ap);
    va_end(ap);
    mgr_error_set(&ps->err, code, "%s", sb.buf);
    mgr_buf_release(&sb);
}

/*
 * inih's find_chars_or_comment(): the first byte of s that is in chars,
 * or a ';' after white space (an inline comment), or the end.
 */
static const char *ini_find(const char *s, const char *chars)
{
    bool was_space = false;

    while (*s && !strchr(chars, *s) && !(was_space && *s == ';')) {
        was_space = isspace((unsigned char)*s);
        s++;
    }
    return s;
}

/* inih's start-of-line comment test (an empty line is one too). */
static bool is_comment(const char *line)
{
    const char *start = config_skip_space(line);

    return !*start || *start == ';' || *start == '#';
}

/*
 * Classify the current line as inih will see it, so that continuation
 * lines are told apart from keys and "[section]" headers are seen (with
 * their line numbers) even when they hold no keys. Mirrors the order of
 * the tests in inih's ini_parse_stream().
 */
static void line_classify(struct parse *ps)
{
    const char *line = ps->raw, *start = config_skip_space(line), *end;

    if (is_comment(line)) {
        ps->kind = L_COMMENT;
    } else if (ps->prev_key && start > line) {
        ps->kind = L_CONT;
    } else if (*start == '[') {
        end = ini_find(start + 1, "]");
        if (*end != ']') {
            ps->kind = L_BAD;
            config_parse_fail(ps, MGR_ECONFIG, ps->lineno,
                              "section header has no closing ']'");
            return;
        }
        ps->kind = L_SECTION;
        ps->prev_key = false;
    } else {
        end = ini_find(start, "=:");
        if (*end != '=' && *end != ':') {
            ps->kind = L_BAD;
            config_parse_fail(ps, MGR_ECONFIG, ps->lineno,
                              "not a 'key = value' line, a '[section]' "
                              "header or a comment");
            return;
        }
        ps->kind = L_KEY;
        ps->prev_key = trim_end(start, (size_t)(end - start)) > 0;
    }
}

static void section_start(struct parse *ps)
{
    const char *name = config_skip_space(ps->raw) + 1;
    size_t len = (size_t)(ini_find(name, "]") - name);
    size_t i;
    char *tmp;

    if (!len) {
        config_parse_fail(ps, MGR_ECONFIG, ps->lineno,
                          "empty section name '[]'");
        return;
    }
    tmp = xstrndup(name, len);
    i = config_section_find(ps->cfg, tmp);
    if (i != CONFIG_NONE) {
        config_parse_fail(ps, MGR_ECONFIG, ps->lineno,
                          "duplicate section [%s] (first on line %d)",
                          tmp, ps->cfg->sections[i].line);
        ps->cur = i;
    } else {
        ps->cur = config_section_add(ps->cfg, name, len, ps->lineno);
    }
    ps->last = CONFIG_NONE;
    free(tmp);
}

/* inih's reader callback: one whole line per call, never split. */
char *config_parse_read(char *str, int num, void *stream)
{
    struct parse *ps = stream;
    ssize_t got;
    size_t len, off = 0, bad;

    errno = 0;
    got = getline(&ps->raw, &ps->cap, ps->fp);
    if (got < 0) {
        if (ferror(ps->fp))
            config_parse_fail(ps, MGR_ECONFIG, 0, "cannot read '%s': %s",
                              ps->path,
                              strerror(errno ? errno : EIO));
        return NULL;
    }
    ps->lineno++;
    len = (size_t)got;
    if (len && ps->raw[len - 1] == '\n')
        len--;
    if (len && ps->raw[len - 1] == '\r')
        len--;
    ps->raw[len] = '\0';
    if (ps->lineno == 1 && len >= 3 && !memcmp(ps->raw, "\xef\xbb\xbf", 3))
        off = 3;
    memmove(ps->raw, ps->raw + off, len - off + 1);
    len -= off;

    /* What inih gets when the line is not handed over: an empty line,
     * which it skips as it skips a comment. */
    str[0] = '\0';
    ps->kind = L_BAD;
    if (memchr(ps->raw, '\0', len)) {
        config_parse_fail(ps, MGR_ECONFIG, ps->lineno,
                          "NUL byte at column %zu", strlen(ps->raw) + 1);
        return str;
    }
    if (num < 2 || len > (size_t)num - 1) {
        /* A long comment is harmless: inih skips the empty line. */
        if (!is_comment(ps->raw))
            config_parse_fail(ps, MGR_ECONFIG, ps->lineno,
                              "line too long (%zu bytes, at most %d)",
                              len, num - 1);
        return str;
    }
    line_classify(ps);
    if (ps->kind != L_COMMENT) {
        bad = utf8_valid_prefix((const unsigned char *)ps->raw, len, NULL);
        if (bad < len) {
            config_parse_fail(ps, MGR_ECONFIG, ps->lineno,
                              "byte 0x%02x at column %zu is not valid "
                              "UTF-8; save the file as UTF-8",
                              (unsigned char)ps->raw[bad], bad + 1);
            /* Let inih see the line all the same: the rest is checked. */
        }
    }
    if (ps->kind == L_SECTION)
        section_start(ps);
    memcpy(str, ps->raw, len + 1);
    return str;
}

static void warn_unknown_key(const struct parse *ps, const char *key)
{
    const char *hint = config_key_suggest(key);

    if (hint)
        MGR_WARN("%s:%d: unknown key '%s' (did you mean '%s'?)", ps->path,
                 ps->lineno, key, hint);
    else
        MGR_WARN("%s:%d: unknown key '%s'", ps->path, ps->lineno, key);
}

/* inih's handler: 1 for ok, 0 for an error (inih's convention). */
int config_parse_handler(void *user, const char *section, const char *name,
                         const char *value)
{
    struct parse *ps = user;
    struct cfg_section *s;
    const struct cfg_entry *dup;
    const char *start, *sep;
    size_t vlen;
    char *key, *raw;

    (void)section; /* cut at 49 bytes by inih: we track our own */
    if (ps->kind == L_BAD)
        return 0;
    if (ps->cur == CONFIG_NONE) {
        config_parse_fail(ps, MGR_ECONFIG, ps->lineno,
                          "key '%s' is not in a section; put [%s] above "
                          "it", name, ps->want);
        return 0;
    }
    s = &ps->cfg->sections[ps->cur];
    start = config_skip_space(ps->raw);
    if (ps->kind == L_CONT) {
        struct mgr_buf sb = MGR_BUF_INIT;
        struct cfg_entry *e;

        if (ps->last == CONFIG_NONE)
            return 1; /* it extends a key that was refused */
        e = &s->v[ps->last];
        mgr_buf_addstr(&sb, e->raw);
        mgr_buf_addch(&sb, '\n');
        mgr_buf_add(&sb, start, trim_end(start, strlen(start)));
        free(e->raw);
        e->raw = mgr_buf_detach(&sb, NULL);
        return 1;
    }

    key = str_lower(name);
    if (!*key) {
        config_parse_fail(ps, MGR_ECONFIG, ps->lineno, "empty key name");
        free(key);
        ps->last = CONFIG_NONE;
        return 0;
    }
    dup = config_entry_find(s, key);
    if (dup) {
        config_parse_fail(ps, MGR_ECONFIG, ps->lineno,
                          "duplicate key '%s' (first set on line %d)",
                          key, dup->line);
        free(key);
        ps->last = CONFIG_NONE;
        return 0;
    }
    /* The value as written: everything after the separator that inih
     * found behind the name, inline comments and all. */
    sep = strlen(start) >= strlen(name) ?
        strpbrk(start + strlen(name), "=:") : NULL;
    if (sep) {
        sep = config_skip_space(sep + 1);
        vlen = trim_end(sep, strlen(sep));
        raw = xstrndup(sep, vlen);
    } else {
        raw = xstrdup(value);
    }
    if (!strcmp(s->name, ps->want) && !config_key_lookup(key)) {
        const char *why = config_key_refused(key);

        if (why) {
            config_parse_fail(ps, MGR_ECONFIG, ps->lineno,
                              "'%s' cannot be honoured: %s", key, why);
            free(key);
            free(raw);
            ps->last = CONFIG_NONE;
            return 0;
        }
        warn_unknown_key(ps, key);
    }
    ps->last = config_entry_add(s, key, raw, NULL, ps->lineno);
    return 1;
}
