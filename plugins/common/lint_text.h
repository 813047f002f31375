/*
 * lint_text.h: the words and lines of `migrator lint` that more than one
 * reporter writes the same way: table sizes ("1.2 M rows, 340 MB"),
 * durations ("4.2 ms"), a severity's name, a statement's first line, and
 * the block of lines of a TRACE event. Compiled into each reporter that
 * needs it (plugins never link against each other); it belongs with the
 * reporters because only they render events.
 */
#ifndef MGR_REPORTER_LINT_TEXT_H
#define MGR_REPORTER_LINT_TEXT_H

#include <stddef.h>

#include <migrator/plugin.h>

/* Room for any text lint_rows, lint_bytes, lint_size or lint_duration
 * writes. */
#define LINT_WORDS_SIZE 64

/* At most this many characters of a statement's first line are shown. */
#define LINT_STATEMENT_MAX 100

/*
 * Where the lint_put_* functions write: put(ctx, s, n, data) gets n bytes
 * of s. data is 1 for text taken from the event (a statement, a relation
 * name, a hint: any byte may come), which the reporter must make safe for
 * its medium, and 0 for the function's own words, spaces and newlines.
 */
struct lint_sink {
    void (*put)(void *ctx, const char *s, size_t n, int data);
    void *ctx;
};

/* "842 rows", "1 row", "12.3 k rows", "1.2 M rows", "3.4 G rows"; "" when
 * rows is below 0 (not known). */
void lint_rows(char *buf, size_t size, double rows);

/* "8 kB", "340 MB", "1.2 GB" (units of 1024, as PostgreSQL's
 * pg_size_pretty), "512 bytes"; "" when bytes is below 0. */
void lint_bytes(char *buf, size_t size, double bytes);

/* "1.2 M rows, 340 MB", or either alone; "" when neither is known. */
void lint_size(char *buf, size_t size, double rows, double bytes);

/* "0.3 ms", "4.2 ms", "120 ms", "1.5 s"; "" when seconds is no duration
 * (negative, NaN, infinite). */
void lint_duration(char *buf, size_t size, double seconds);

/* f's severity as a word: its severity_name, else the name of its level;
 * NULL when it has neither. */
const char *lint_severity_name(const struct mgr_event_finding *f);

/* Whether s (NULL: no) holds anything but blanks. */
int lint_has_text(const char *s);

/* Write s (NULL: nothing) as the reporter's own words, or as data. */
void lint_put(const struct lint_sink *o, const char *s);
void lint_put_data(const struct lint_sink *o, const char *s);

/* "file:line: ", "file: " without a line, "" without a file. */
void lint_put_where(const struct lint_sink *o, const char *file, int line);

/*
 * The first line of statement that is not blank, without the blanks
 * around it, cut to LINT_STATEMENT_MAX characters: "..." follows when it
 * was cut, " ..." when more lines follow. No newline.
 */
void lint_put_first_line(const struct lint_sink *o, const char *statement);

/* The line of statement (which starts on statement_line) that a finding
 * on line points at: statement itself when it cannot tell. */
const char *lint_statement_at(const char *statement, int statement_line,
                              int line);

/*
 * Each line of text that is not blank, the first after first (say
 * "hint: "), the others after next (as many spaces), each ending in a
 * newline. Nothing when text is NULL or blank.
 */
void lint_put_lines(const struct lint_sink *o, const char *first,
                    const char *next, const char *text);

/*
 * The lines of a traced statement, each ending in a newline:
 *
 *   versions/0003_retype.sql:9: ALTER TABLE t ALTER COLUMN a ...  (4.2 ms)
 *       ACCESS EXCLUSIVE on public.t: blocks reads and writes
 *       SHARE UPDATE EXCLUSIVE on public.u
 *       rewrites public.t, public.t_pkey
 *       constraint fk_a on public.t (validated)
 *
 * and "    no lock on an existing relation" when it took none.
 */
void lint_put_trace(const struct lint_sink *o,
                    const struct mgr_event_trace *t);

#endif
