/*
 * script_text.h: reading and checking the lines of a revision script, as
 * the format plugins share it. Scripts are UTF-8 (an optional byte order
 * mark at offset 0 is skipped); lines end in "\n" or "\r\n"; a NUL byte or
 * invalid UTF-8 anywhere is an error naming the file, line and column
 * (counting characters from 1).
 */
#ifndef MGR_PLUGINS_SCRIPT_TEXT_H
#define MGR_PLUGINS_SCRIPT_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <migrator/plugin.h>

/* The UTF-8 byte order mark, skipped at offset 0. */
#define SCRIPT_BOM "\xef\xbb\xbf"
#define SCRIPT_BOM_LEN 3

/* Blanks: space, tab, vertical tab, form feed and a stray carriage
 * return. */
bool text_is_blank(char c);

/* Drop the blanks at both ends of s (len bytes). */
void text_trim(const char **s, size_t *len);

/*
 * Check that s (len bytes, line of path) holds no NUL byte and is valid
 * UTF-8. Fails with MGR_ESCRIPT, "path:LINE: NUL byte" or
 * "path:LINE:COL: invalid UTF-8".
 */
int script_check_line(const struct mgr_host_api *api, const char *path,
                      const char *s, size_t len, int line,
                      struct mgr_error *err);

/* Reads a script line by line; buf grows to the longest line. */
struct line_reader {
    const struct mgr_host_api *api;
    const char *path; /* borrowed */
    FILE *f;
    char *buf;
    size_t alloc;
    int no; /* the 1-based number of the last line read */
    char iobuf[4096];
};

/* Open path for reading; MGR_EIO "cannot open 'path': ..." */
int line_reader_open(struct line_reader *lr, const struct mgr_host_api *api,
                     const char *path, struct mgr_error *err);

/*
 * The next line, without its end of line (and on line 1 without a byte
 * order mark), checked with script_check_line: *s_out (borrowed until the
 * next call) and *len_out; lr->no is its number. At the end of the file
 * sets *eof_out instead.
 */
int line_reader_next(struct line_reader *lr, const char **s_out,
                     size_t *len_out, bool *eof_out, struct mgr_error *err);

void line_reader_close(struct line_reader *lr);

#endif
