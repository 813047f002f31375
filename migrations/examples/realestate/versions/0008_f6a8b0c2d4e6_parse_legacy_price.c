/* parse legacy_price row by row
 *
 * The SQL of e5f7a9b1c3d5 casts whatever the text column holds. This
 * revision reads every price in C instead: digits, optionally grouped in
 * thousands by commas or spaces, and at most two decimals ("1,250,000.00",
 * "1 250 000", "980000.5"). NULL and empty text become NULL. A price that
 * does not read stops the migration naming the property, and nothing is
 * changed: fix the row and run it again. The downgrade writes
 * purchase_price back into legacy_price as text with thousands
 * separators and two decimals.
 *
 * Revision ID: f6a8b0c2d4e6
 * Revises: e5f7a9b1c3d5
 * Create Date: 2026-11-24 10:00:00.000000
 */
#include <stddef.h>
#include <string.h>

#include <migrator/script.h>

/* numeric(12, 2): ten digits before the point. */
#define INT_DIGITS_MAX 10
#define PRICE_SIZE 32

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Read a legacy price into out as "1250000.00". Returns 0, 1 when the
 * text is empty or blank, -1 when it is not a price.
 */
static int parse_price(const char *text, char out[PRICE_SIZE])
{
    const char *p = text, *end = text + strlen(text);
    char digits[PRICE_SIZE];
    size_t ndigits = 0, group = 0, nfrac = 0, skip = 0;
    int grouped = 0, comma;
    char frac[2] = { '0', '0' };

    while (p < end && is_space(*p))
        p++;
    while (end > p && is_space(end[-1]))
        end--;
    if (p == end)
        return 1;
    while (p < end && (is_digit(*p) || *p == ',' || *p == ' ')) {
        if (is_digit(*p)) {
            if (ndigits == sizeof(digits))
                return -1;
            digits[ndigits++] = *p++;
            group++;
            continue;
        }
        /* A separator (one comma, any spaces) closes a group: the first
         * of one to three digits, the others of three. */
        if (group == 0 || group > 3 || (grouped && group != 3))
            return -1;
        for (comma = 0; p < end && (*p == ' ' || (*p == ',' && !comma));
             p++)
            comma |= *p == ',';
        grouped = 1;
        group = 0;
    }
    if (group == 0 || (grouped && group != 3))
        return -1;
    if (p < end && *p == '.') {
        for (p++; p < end && is_digit(*p) && nfrac < 2; p++)
            frac[nfrac++] = *p;
        if (nfrac == 0)
            return -1;
    }
    if (p != end)
        return -1;
    while (skip + 1 < ndigits && digits[skip] == '0')
        skip++;
    if (ndigits - skip > INT_DIGITS_MAX)
        return -1;
    memcpy(out, digits + skip, ndigits - skip);
    out[ndigits - skip] = '.';
    out[ndigits - skip + 1] = frac[0];
    out[ndigits - skip + 2] = frac[1];
    out[ndigits - skip + 3] = '\0';
    return 0;
}

/*
 * Write the number the database printed ("1250000", "1250000.5",
 * "1250000.00", "-3.10") as "1,250,000.50". Returns 0, or -1 for a form
 * it does not handle (an exponent, more than two decimals).
 */
static int format_price(const char *num, char out[PRICE_SIZE])
{
    const char *p = num, *point;
    size_t nint, n = 0;

    if (*p == '-')
        out[n++] = *p++;
    point = strchr(p, '.');
    nint = point ? (size_t)(point - p) : strlen(p);
    if (nint == 0 || nint > INT_DIGITS_MAX)
        return -1;
    for (size_t i = 0; i < nint; i++) {
        if (!is_digit(p[i]))
            return -1;
        if (i > 0 && (nint - i) % 3 == 0)
            out[n++] = ',';
        out[n++] = p[i];
    }
    out[n++] = '.';
    if (point) {
        size_t nfrac = strlen(point + 1);

        if (nfrac > 2)
            return -1;
        for (size_t i = 0; i < nfrac; i++) {
            if (!is_digit(point[1 + i]))
                return -1;
            out[n++] = point[1 + i];
        }
        for (; nfrac < 2; nfrac++)
            out[n++] = '0';
    } else {
        out[n++] = '0';
        out[n++] = '0';
    }
    out[n] = '\0';
    return 0;
}

int mgr_script_upgrade(struct mgr_script *s)
{
    struct mgr_result *rows = NULL;
    size_t prices = 0, empty = 0;
    int rc;

    rc = mgr_script_query(s, "SELECT id, legacy_price FROM properties "
                             "ORDER BY id",
                          0, NULL, &rows);
    if (rc != 0)
        return rc;
    for (size_t i = 0; i < mgr_result_rows(rows) && rc == 0; i++) {
        const char *id = mgr_result_text(rows, i, 0);
        const char *text = mgr_result_text(rows, i, 1);
        char price[PRICE_SIZE];
        const char *params[2];
        int parsed = text ? parse_price(text, price) : 1;

        if (parsed < 0) {
            rc = mgr_script_fail(s, "property %s: legacy_price '%s' is not "
                                 "a price like '1,250,000.00'; correct "
                                 "the row and run the migration again",
                                 id, text);
            break;
        }
        params[0] = parsed == 0 ? price : NULL;
        params[1] = id;
        rc = mgr_script_exec_params(s, "UPDATE properties SET "
                                       "purchase_price = $1 WHERE id = $2",
                                    2, params);
        if (parsed == 0)
            prices++;
        else
            empty++;
    }
    mgr_result_free(rows);
    if (rc == 0)
        mgr_script_log(s, MGR_LOG_INFO, "%zu prices read, %zu empty", prices,
                       empty);
    return rc;
}

int mgr_script_downgrade(struct mgr_script *s)
{
    struct mgr_result *rows = NULL;
    int rc;

    rc = mgr_script_query(s, "SELECT id, purchase_price FROM properties "
                             "WHERE purchase_price IS NOT NULL ORDER BY id",
                          0, NULL, &rows);
    if (rc != 0)
        return rc;
    for (size_t i = 0; i < mgr_result_rows(rows) && rc == 0; i++) {
        const char *id = mgr_result_text(rows, i, 0);
        const char *num = mgr_result_text(rows, i, 1);
        char text[PRICE_SIZE];
        const char *params[2];

        if (format_price(num, text) != 0) {
            rc = mgr_script_fail(s, "property %s: cannot write "
                                 "purchase_price %s as a legacy price",
                                 id, num);
            break;
        }
        params[0] = text;
        params[1] = id;
        rc = mgr_script_exec_params(s, "UPDATE properties SET "
                                       "legacy_price = $1 WHERE id = $2",
                                    2, params);
    }
    mgr_result_free(rows);
    return rc;
}
