/* header_keys.c: the fields of a script header (header_keys.h). */
#include "autoconfig.h"

#include <stdbool.h>
#include <string.h>

#include "header_keys.h"
#include "script_text.h"

static const struct {
    const char *name;
    enum mgr_meta_field field;
} known_keys[] = {
    { "Revision ID", MGR_META_REVISION },
    { "Revises", MGR_META_REVISES },
    { "Create Date", MGR_META_CREATE_DATE },
    { "Branch Labels", MGR_META_BRANCH_LABELS },
    { "Depends On", MGR_META_DEPENDS_ON },
};

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/*
 * Whether key (len bytes) spells name, ignoring case, with any run of
 * blanks in key matching the one space in name.
 */
static bool key_is(const char *key, size_t len, const char *name)
{
    size_t i = 0;

    for (; *name; name++) {
        if (*name == ' ') {
            if (i == len || !text_is_blank(key[i]))
                return false;
            while (i < len && text_is_blank(key[i]))
                i++;
        } else if (i == len || lower(key[i++]) != lower(*name)) {
            return false;
        }
    }
    return i == len;
}

/*
 * If text ("Key: value", trimmed) names a known key, store its field and
 * the trimmed value after the colon, and return true.
 */
static bool find_key(const char *text, size_t len,
                     enum mgr_meta_field *field_out,
                     const char **value_out, size_t *vlen_out)
{
    const char *colon = memchr(text, ':', len);
    const char *key = text;
    size_t klen;

    if (!colon)
        return false;
    klen = (size_t)(colon - text);
    text_trim(&key, &klen);
    for (size_t i = 0; i < sizeof(known_keys) / sizeof(known_keys[0]);
         i++) {
        if (key_is(key, klen, known_keys[i].name)) {
            *value_out = colon + 1;
            *vlen_out = len - (size_t)(*value_out - text);
            text_trim(value_out, vlen_out);
            *field_out = known_keys[i].field;
            return true;
        }
    }
    return false;
}

void header_keys_init(struct header_keys *hk,
                      const struct mgr_host_api *api,
                      struct mgr_script_meta *meta)
{
    hk->api = api;
    hk->meta = meta;
    hk->part = HEADER_BEFORE_MESSAGE;
}

int header_keys_line(struct header_keys *hk, const char *text, size_t len,
                     int line, struct mgr_error *err)
{
    enum mgr_meta_field field;
    const char *value;
    size_t vlen;

    text_trim(&text, &len);
    if (len && find_key(text, len, &field, &value, &vlen)) {
        hk->part = HEADER_KEYS;
        return hk->api->meta_add(hk->meta, field, value, vlen, line, err);
    }
    switch (hk->part) {
    case HEADER_BEFORE_MESSAGE:
        if (len == 0)
            return MGR_OK;
        hk->part = HEADER_DESCRIPTION;
        return hk->api->meta_add(hk->meta, MGR_META_MESSAGE, text, len,
                                 line, err);
    case HEADER_DESCRIPTION:
        /* blank lines too: the host keeps those between paragraphs */
        return hk->api->meta_add(hk->meta, MGR_META_DOC, text, len, line,
                                 err);
    case HEADER_KEYS:
        break; /* unknown keys and free text after the keys */
    }
    return MGR_OK;
}
