/* json_walk.c: reading struct mgr_json trees (json_walk.h). */
#include "autoconfig.h"

#include <string.h>

#include "json_walk.h"

const struct mgr_json *jw_get(const struct mgr_json *v, const char *key)
{
    if (!v || v->type != MGR_JSON_OBJECT)
        return NULL;
    for (size_t i = 0; i < v->n; i++) {
        const struct mgr_json *m = v->items[i];

        if (m && m->key && strcmp(m->key, key) == 0)
            return m;
    }
    return NULL;
}

const char *jw_str(const struct mgr_json *v)
{
    return v && v->type == MGR_JSON_STRING ? v->str : NULL;
}

const char *jw_get_str(const struct mgr_json *v, const char *key)
{
    return jw_str(jw_get(v, key));
}

bool jw_get_bool(const struct mgr_json *v, const char *key)
{
    const struct mgr_json *m = jw_get(v, key);

    return m && m->type == MGR_JSON_TRUE;
}

double jw_get_num(const struct mgr_json *v, const char *key, double dflt)
{
    const struct mgr_json *m = jw_get(v, key);

    return m && m->type == MGR_JSON_NUMBER ? m->num : dflt;
}

bool jw_get_is(const struct mgr_json *v, const char *key, const char *s)
{
    const char *t = jw_get_str(v, key);

    return t && strcmp(t, s) == 0;
}

size_t jw_len(const struct mgr_json *v)
{
    if (!v || (v->type != MGR_JSON_ARRAY && v->type != MGR_JSON_OBJECT))
        return 0;
    return v->n;
}

const struct mgr_json *jw_at(const struct mgr_json *v, size_t i)
{
    return i < jw_len(v) ? v->items[i] : NULL;
}

const char *jw_node(const struct mgr_json *v, const struct mgr_json **body_out)
{
    const struct mgr_json *m;

    if (body_out)
        *body_out = NULL;
    if (!v || v->type != MGR_JSON_OBJECT || v->n != 1)
        return NULL;
    m = v->items[0];
    if (!m || !m->key || m->type != MGR_JSON_OBJECT)
        return NULL;
    if (body_out)
        *body_out = m;
    return m->key;
}

const struct mgr_json *jw_node_body(const struct mgr_json *v,
                                    const char *type)
{
    const struct mgr_json *body;
    const char *t = jw_node(v, &body);

    return t && strcmp(t, type) == 0 ? body : NULL;
}

const char *jw_string_node(const struct mgr_json *v)
{
    return jw_get_str(jw_node_body(v, "String"), "sval");
}

size_t jw_name_list(const struct mgr_json *list, const char **parts,
                    size_t max)
{
    size_t n = 0;

    if (!list || list->type != MGR_JSON_ARRAY)
        return 0;
    for (size_t i = 0; i < list->n; i++) {
        const char *s = jw_string_node(list->items[i]);

        if (!s)
            return 0;
        if (n < max)
            parts[n] = s;
        n++;
    }
    return n;
}

const char *jw_name_last(const struct mgr_json *list)
{
    size_t n = jw_len(list);

    if (!n || !jw_name_list(list, NULL, 0))
        return NULL;
    return jw_string_node(list->items[n - 1]);
}

const char *jw_rangevar(const struct mgr_json *v, const char **schema_out)
{
    const struct mgr_json *body = jw_node_body(v, "RangeVar");

    if (!body)
        body = v;
    *schema_out = jw_get_str(body, "schemaname");
    return jw_get_str(body, "relname");
}

int jw_walk(const struct mgr_json *v,
            int (*fn)(const struct mgr_json *v, void *ctx), void *ctx)
{
    int rc;

    if (!v)
        return 0;
    rc = fn(v, ctx);
    for (size_t i = 0; !rc && i < jw_len(v); i++)
        rc = jw_walk(v->items[i], fn, ctx);
    return rc;
}
