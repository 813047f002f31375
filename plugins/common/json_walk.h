/*
 * json_walk.h: reading the struct mgr_json trees that linters get
 * (plugin.h), without caring at each step whether a member is there or
 * has the expected type: every function takes NULL and a value of the
 * wrong type, and answers NULL, 0 or false for them.
 *
 * Most of it reads any JSON; the node helpers read the shape of
 * libpg_query's JSON ("pg_query-15"), where a node of the parse tree is
 * an object with one member named after its type,
 * {"RangeVar":{"relname":"t",...}}, and a name is a list of String nodes,
 * [{"String":{"sval":"s"}},{"String":{"sval":"t"}}].
 *
 * Every value and string returned is borrowed from the tree: valid as
 * long as the tree is (for a linter, during the call that gave it).
 */
#ifndef MGR_PLUGINS_JSON_WALK_H
#define MGR_PLUGINS_JSON_WALK_H

#include <stdbool.h>
#include <stddef.h>

#include <migrator/plugin.h>

/* The member key of object v, or NULL. */
const struct mgr_json *jw_get(const struct mgr_json *v, const char *key);

/* The text of a STRING, or NULL. */
const char *jw_str(const struct mgr_json *v);

/* The text of the STRING member key of v, or NULL. */
const char *jw_get_str(const struct mgr_json *v, const char *key);

/* Whether member key of v is true. */
bool jw_get_bool(const struct mgr_json *v, const char *key);

/* The NUMBER member key of v, or dflt when it is missing or no number. */
double jw_get_num(const struct mgr_json *v, const char *key, double dflt);

/* Whether STRING member key of v is s. */
bool jw_get_is(const struct mgr_json *v, const char *key, const char *s);

/* The number of items of an ARRAY (or members of an OBJECT); 0 else. */
size_t jw_len(const struct mgr_json *v);

/* Item i of an ARRAY or OBJECT, or NULL past the end. */
const struct mgr_json *jw_at(const struct mgr_json *v, size_t i);

/*
 * The type of a node wrapper, an object with exactly one member whose
 * value is an object: its key ("TypeName"), with the body in *body_out
 * (may be NULL). NULL for anything else.
 */
const char *jw_node(const struct mgr_json *v, const struct mgr_json **body_out);

/* The body of v when v is a node of type type, or NULL. */
const struct mgr_json *jw_node_body(const struct mgr_json *v,
                                    const char *type);

/* The text of a String node ({"String":{"sval":"x"}}), or NULL. */
const char *jw_string_node(const struct mgr_json *v);

/*
 * A qualified name given as a list of String nodes: stores up to max
 * parts in parts[] and returns how many the list has (0 when it is not
 * such a list, or when an item is not a String).
 */
size_t jw_name_list(const struct mgr_json *list, const char **parts,
                    size_t max);

/* The last part of a name list, or NULL. */
const char *jw_name_last(const struct mgr_json *list);

/*
 * A RangeVar body (or a wrapper of one): *schema_out gets schemaname or
 * NULL, and the relation name is returned (NULL when v is none).
 */
const char *jw_rangevar(const struct mgr_json *v, const char **schema_out);

/*
 * Visit v and everything under it, depth first, parents before their
 * members. fn returns 0 to go on, anything else to stop: jw_walk then
 * returns that value (0 when the walk went through).
 */
int jw_walk(const struct mgr_json *v,
            int (*fn)(const struct mgr_json *v, void *ctx), void *ctx);

#endif
