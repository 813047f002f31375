/*
 * pg_autoname.c: whether a constraint or index carries the name
 * PostgreSQL makes up for one created without a name, so that
 * introspection can mark it MGR_OBJ_AUTONAME and the host names it by its
 * own convention instead.
 *
 * The made-up name is the table's name, the column part and a label
 * ("pkey", "key", "fkey", "check", "idx", "excl") joined by '_'. The
 * column part is the column names joined by '_' (an index's own column
 * names, which read "expr" or the function's name for expressions); the
 * server stops adding names once it is 64 bytes long. When the whole
 * would pass 63 bytes (NAMEDATALEN - 1), the longer of the table and
 * column parts loses a byte at a time, then each is backed up to a
 * character boundary. When the name is taken the server tries again
 * with a number after the label: "units_pkey1", "units_code_key2".
 */
#include "autoconfig.h"

#include <string.h>

#include "pg.h"
#include "utf8.h"

#define NAME_MAX_BYTES 63     /* NAMEDATALEN - 1 */
#define LABEL_MAX_BYTES 32    /* "check" and a number, with room */
#define COLUMNS_STOP_BYTES 64 /* no more names once the part is this long */

/* Room for the column part: it stops past COLUMNS_STOP_BYTES by at most
 * one separator and one name of at most NAME_MAX_BYTES. */
#define COLUMNS_BUF (COLUMNS_STOP_BYTES + 1 + NAME_MAX_BYTES + 1)

/* len, backed up so that s[0..len) ends on a whole character. */
static size_t whole_chars(const char *s, size_t len)
{
    while (len > 0 && utf8_is_continuation((unsigned char)s[len]))
        len--;
    return len;
}

/* The column part into out (COLUMNS_BUF bytes). */
static void join_columns(const char *const *cols, size_t ncols, char *out)
{
    size_t len = 0;

    out[0] = '\0';
    for (size_t i = 0; i < ncols && len < COLUMNS_STOP_BYTES; i++) {
        size_t n = strlen(cols[i]);

        if (n > NAME_MAX_BYTES)
            n = NAME_MAX_BYTES;
        if (len > 0)
            out[len++] = '_';
        memcpy(out + len, cols[i], n);
        len += n;
        out[len] = '\0';
    }
}

/*
 * table, columns (NULL: none) and label joined by '_' and shortened as
 * the server does, into out (NAME_MAX_BYTES + 1 bytes).
 */
static void make_name(const char *table, const char *columns,
                      const char *label, char *out)
{
    size_t overhead = strlen(label) + 1 + (columns ? 1 : 0);
    size_t avail = NAME_MAX_BYTES > overhead ? NAME_MAX_BYTES - overhead : 0;
    size_t n1 = strlen(table), n2 = columns ? strlen(columns) : 0;
    size_t len;

    while (n1 + n2 > avail) {
        if (n1 > n2)
            n1--;
        else
            n2--;
    }
    n1 = whole_chars(table, n1);
    memcpy(out, table, n1);
    len = n1;
    if (columns) {
        n2 = whole_chars(columns, n2);
        out[len++] = '_';
        memcpy(out + len, columns, n2);
        len += n2;
    }
    out[len++] = '_';
    /* overhead counted the label: it fits */
    memcpy(out + len, label, strlen(label) + 1);
}

/* The digits that end name ("" when none). */
static const char *number_suffix(const char *name)
{
    const char *end = name + strlen(name);

    while (end > name && end[-1] >= '0' && end[-1] <= '9')
        end--;
    return end;
}

bool pg_autoname_matches(const char *name, const char *table,
                         const char *const *cols, size_t ncols,
                         const char *label)
{
    char columns[COLUMNS_BUF], numbered[LABEL_MAX_BYTES];
    char made[NAME_MAX_BYTES + 1];
    const char *digits;

    if (!name || !table || !label)
        return false;
    digits = number_suffix(name);
    /* the server writes the number with %d: no leading zero */
    if (*digits == '0' || strlen(label) + strlen(digits) >= sizeof(numbered))
        return false;
    memcpy(numbered, label, strlen(label));
    memcpy(numbered + strlen(label), digits, strlen(digits) + 1);
    if (cols && ncols > 0)
        join_columns(cols, ncols, columns);
    make_name(table, cols && ncols > 0 ? columns : NULL, numbered, made);
    return strcmp(made, name) == 0;
}
