/*
 * junit_write.c: the JUnit XML document of a report (junit.h), written in
 * one go at close:
 *
 *   <testsuites name="migrator" tests failures errors skipped time>
 *     <testsuite name="migrator <command> <target>" ... timestamp>
 *       <properties> command, target, database, offline </properties>
 *       <testcase> per step that ran, then per planned step not run
 *                  (skipped), then per lint finding, then one for the
 *                  command itself when it failed outside a step (and
 *                  not through lint errors) or had no steps and no
 *                  findings </testcase>
 *       <system-out> warnings, output and lint traces </system-out>
 *
 * Any string may hold any byte: text is escaped, characters XML 1.0 does
 * not allow and bytes that are not UTF-8 become U+FFFD, so the document
 * is well-formed whatever came in. Numbers are written without printf's
 * %f, which follows the locale's decimal point.
 */
#include "autoconfig.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <migrator/plugin.h>

#include "junit.h"
#include "utf8.h"

struct totals {
    size_t tests, failures, skipped;
    int step_failed;  /* a step carries the failure */
    int command_case; /* the command has a testcase of its own */
};

/* ---- escaping ---------------------------------------------------------- */

/* The reference for cp, or NULL when it is written as is. */
static const char *entity(uint32_t cp, int attr)
{
    switch (cp) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    case '\'': return "&apos;";
    case '\t': return attr ? "&#9;" : NULL;
    case '\n': return attr ? "&#10;" : NULL;
    case '\r': return attr ? "&#13;" : NULL;
    default: return NULL;
    }
}

/* Whether XML 1.0 allows the character (utf8_decode refuses surrogates
 * and code points past U+10FFFF already). */
static int xml_char(uint32_t cp)
{
    if (cp < 0x20u)
        return cp == '\t' || cp == '\n' || cp == '\r';
    return cp != 0xfffeu && cp != 0xffffu;
}

/* Write s (NULL: "") escaped for text, or for an attribute value. */
static void put_esc(FILE *out, const char *s, int attr)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t len = strlen((const char *)p);

    while (len) {
        uint32_t cp = 0;
        size_t n = utf8_decode(p, len, &cp);
        const char *ent = n ? entity(cp, attr) : NULL;

        if (ent)
            fputs(ent, out);
        else if (n && xml_char(cp))
            fwrite(p, 1, n, out);
        else
            fputs(UTF8_REPLACEMENT, out);
        n = n ? n : 1;
        p += n;
        len -= n;
    }
}

/* Write the words that are not empty, escaped, one space apart. */
static void put_words(FILE *out, const char *a, const char *b,
                      const char *c)
{
    const char *w[3] = { a, b, c };
    int first = 1;

    for (size_t i = 0; i < 3; i++) {
        if (!w[i] || !*w[i])
            continue;
        if (!first)
            putc(' ', out);
        put_esc(out, w[i], 1);
        first = 0;
    }
}

static void put_attr(FILE *out, const char *name, const char *value)
{
    fprintf(out, " %s=\"", name);
    put_esc(out, value, 1);
    putc('"', out);
}

/* ---- numbers ----------------------------------------------------------- */

/* Seconds with three decimals ("0.041"); nonsense becomes 0. */
static void put_time(FILE *out, double seconds)
{
    unsigned long long ms;

    if (!(seconds >= 0.0))
        seconds = 0.0;
    if (seconds > 1e12)
        seconds = 1e12;
    ms = (unsigned long long)(seconds * 1000.0 + 0.5);
    fprintf(out, " time=\"%llu.%03llu\"", ms / 1000u, ms % 1000u);
}

/* The UTC timestamp of t, when it is one (years 1970 to 9999). */
static void put_timestamp(FILE *out, double t)
{
    struct tm tm;
    time_t secs;

    if (!(t >= 0.0 && t < 253402300800.0))
        return;
    secs = (time_t)t;
    if (!gmtime_r(&secs, &tm))
        return;
    fprintf(out, " timestamp=\"%04d-%02d-%02dT%02d:%02d:%02d\"",
            tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
            tm.tm_min, tm.tm_sec);
}

static void put_counts(FILE *out, const struct totals *tot, double seconds)
{
    fprintf(out, " tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
            "skipped=\"%zu\"", tot->tests, tot->failures, tot->skipped);
    put_time(out, seconds);
}

/* ---- testcases --------------------------------------------------------- */

static void put_failure(FILE *out, const struct junit_fail *f)
{
    fputs("      <failure", out);
    put_attr(out, "message", *f->reason ? f->reason : f->message);
    put_attr(out, "type", f->type);
    putc('>', out);
    put_esc(out, f->message, 0);
    if (f->file) {
        fputs("\nfile: ", out);
        put_esc(out, f->file, 0);
    }
    if (f->line > 0)
        fprintf(out, "\nline: %d", f->line);
    if (*f->sqlstate) {
        fputs("\nsqlstate: ", out);
        put_esc(out, f->sqlstate, 0);
    }
    if (*f->detail) {
        fputs("\ndetail: ", out);
        put_esc(out, f->detail, 0);
    }
    if (*f->hint) {
        fputs("\nhint: ", out);
        put_esc(out, f->hint, 0);
    }
    fputs("</failure>\n", out);
}

/* <testcase classname=.. name=.. (no closing bracket). */
static void open_case(FILE *out, const struct junit_report *r)
{
    fputs("    <testcase classname=\"migrator", out);
    if (*r->command) {
        putc('.', out);
        put_esc(out, r->command, 1);
    }
    fputs("\" name=\"", out);
}

static const char *action_name(enum mgr_step_action a)
{
    switch (a) {
    case MGR_STEP_DOWNGRADE: return "downgrade";
    case MGR_STEP_STAMP: return "stamp";
    default: return "upgrade";
    }
}

/* Why a step has no result. */
static const char *skip_reason(const struct junit_report *r,
                               const struct junit_step *s,
                               const struct totals *tot)
{
    if (s->state == JUNIT_STARTED)
        return "not finished: the run stopped during the step";
    if (tot->step_failed)
        return "not run: an earlier step failed";
    if (r->offline)
        return "not run: offline (--sql)";
    return "not run";
}

static int rolled_back(const struct junit_report *r,
                       const struct junit_step *s)
{
    return r->ended && s->state == JUNIT_ENDED && !s->fail &&
           s->index > r->steps_committed;
}

static void put_step(FILE *out, const struct junit_report *r,
                     const struct junit_step *s, const struct totals *tot)
{
    const char *rev = s->revision ? s->revision : action_name(s->action);
    int ran = s->state == JUNIT_ENDED;

    open_case(out, r);
    put_words(out, rev, s->message, NULL);
    putc('"', out);
    if (s->path)
        put_attr(out, "file", s->path);
    put_time(out, ran ? s->seconds : 0.0);
    if (ran && !s->fail && !rolled_back(r, s)) {
        fputs("/>\n", out);
        return;
    }
    fputs(">\n", out);
    if (!ran) {
        fputs("      <skipped", out);
        put_attr(out, "message", skip_reason(r, s, tot));
        fputs("/>\n", out);
    } else if (s->fail) {
        put_failure(out, s->fail);
    } else {
        fputs("      <system-out>rolled back: a later step failed and the "
              "transaction was undone</system-out>\n", out);
    }
    fputs("    </testcase>\n", out);
}

/* A lint finding: failed when an error, else passed with its text. */
static void put_finding(FILE *out, const struct junit_finding *f)
{
    fputs("    <testcase", out);
    put_attr(out, "classname", f->classname);
    put_attr(out, "name", f->name);
    if (f->file)
        put_attr(out, "file", f->file);
    if (f->line > 0)
        fprintf(out, " line=\"%d\"", f->line);
    fputs(">\n", out);
    if (f->error) {
        fputs("      <failure", out);
        put_attr(out, "message", f->message);
        put_attr(out, "type", f->rule);
        putc('>', out);
        put_esc(out, f->text.s, 0);
        fputs("</failure>\n", out);
    } else {
        fputs("      <system-out>", out);
        put_esc(out, f->text.s, 0);
        fputs("</system-out>\n", out);
    }
    fputs("    </testcase>\n", out);
}

/* The command's own testcase: its failure, or a pass. */
static void put_command(FILE *out, const struct junit_report *r)
{
    open_case(out, r);
    if (*r->command || r->target)
        put_words(out, r->command, r->target, NULL);
    else
        fputs("migrator", out);
    putc('"', out);
    put_time(out, r->seconds);
    if (!r->run_fail) {
        fputs("/>\n", out);
        return;
    }
    fputs(">\n", out);
    put_failure(out, r->run_fail);
    fputs("    </testcase>\n", out);
}

/* ---- the document ------------------------------------------------------ */

static void count(const struct junit_report *r, struct totals *tot)
{
    size_t lint_errors = 0;
    int lint_failed;

    memset(tot, 0, sizeof(*tot));
    for (size_t i = 0; i < r->nsteps; i++) {
        const struct junit_step *s = &r->steps[i];

        tot->tests++;
        if (s->state != JUNIT_ENDED)
            tot->skipped++;
        else if (s->fail) {
            tot->failures++;
            tot->step_failed = 1;
        }
    }
    for (size_t i = 0; i < r->nfindings; i++) {
        tot->tests++;
        if (r->findings[i].error) {
            tot->failures++;
            lint_errors++;
        }
    }
    /* lint exits 1 when an error remains: those findings are the
     * failure. Any other failure is the command's. */
    lint_failed = lint_errors && r->ended && r->exit_code == 1;
    tot->command_case = !tot->step_failed && !lint_failed &&
                        (r->failed || (!r->nsteps && !r->nfindings));
    if (tot->command_case) {
        tot->tests++;
        tot->failures += r->run_fail != NULL;
    }
}

static void put_property(FILE *out, const char *name, const char *value)
{
    fputs("      <property", out);
    put_attr(out, "name", name);
    put_attr(out, "value", value);
    fputs("/>\n", out);
}

static void put_properties(FILE *out, const struct junit_report *r)
{
    fputs("    <properties>\n", out);
    put_property(out, "command", r->command);
    if (r->target)
        put_property(out, "target", r->target);
    if (r->database)
        put_property(out, "database", r->database);
    put_property(out, "offline", r->offline ? "true" : "false");
    fputs("    </properties>\n", out);
}

static void put_testcases(FILE *out, const struct junit_report *r,
                          const struct totals *tot)
{
    for (size_t i = 0; i < r->nsteps; i++)
        if (r->steps[i].state == JUNIT_ENDED)
            put_step(out, r, &r->steps[i], tot);
    for (size_t i = 0; i < r->nsteps; i++)
        if (r->steps[i].state != JUNIT_ENDED)
            put_step(out, r, &r->steps[i], tot);
    for (size_t i = 0; i < r->nfindings; i++)
        put_finding(out, &r->findings[i]);
    if (tot->command_case)
        put_command(out, r);
}

int junit_write(const struct junit_report *r)
{
    FILE *out = r->out;
    struct totals tot;

    count(r, &tot);
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<testsuites name=\"migrator\"", out);
    put_counts(out, &tot, r->seconds);
    fputs(">\n  <testsuite name=\"", out);
    put_words(out, "migrator", r->command, r->target);
    putc('"', out);
    put_counts(out, &tot, r->seconds);
    if (r->have_start)
        put_timestamp(out, r->start_time);
    fputs(">\n", out);
    put_properties(out, r);
    put_testcases(out, r, &tot);
    if (r->sysout.len) {
        fputs("    <system-out>", out);
        put_esc(out, r->sysout.s, 0);
        fputs("</system-out>\n", out);
    }
    fputs("  </testsuite>\n</testsuites>\n", out);
    if (fflush(out) != 0 || ferror(out))
        return MGR_EIO;
    return MGR_OK;
}
