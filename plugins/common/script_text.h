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

/*
 * The text of the script at path: the host's copy (ABI 1.4 script_text:
 * read once for the command, the bytes its checksum is of), else read
 * here into *owned, which the caller frees (NULL when the host's). The
 * text is NUL-terminated; a byte order mark is not removed. MGR_EIO
 * naming the file.
 */
int script_text_get(const struct mgr_host_api *api, struct mgr_host *host,
                    const char *path, const char **text_out,
                    size_t *len_out, char **owned, struct mgr_error *err);

/* Walks the lines of a script's text, as script_text_get gives it. */
struct line_reader {
    const struct mgr_host_api *api;
    const char *path; /* borrowed */
    const char *text, *end, *at;
    char *owned; /* the text, when read here rather than the host's */
    int no;      /* the 1-based number of the last line read */
};

/* Get path's text (script_text_get) to read it line by line. */
int line_reader_open(struct line_reader *lr, const struct mgr_host_api *api,
                     struct mgr_host *host, const char *path,
                     struct mgr_error *err);

/*
 * The next line, without its end of line (and on line 1 without a byte
 * order mark), checked with script_check_line: *s_out (borrowed until
 * line_reader_close; not NUL-terminated) and *len_out; lr->no is its
 * number. At the end of the text sets *eof_out instead.
 */
int line_reader_next(struct line_reader *lr, const char **s_out,
                     size_t *len_out, bool *eof_out, struct mgr_error *err);

void line_reader_close(struct line_reader *lr);

#endif
