/*
 * json_tree.h: JSON text read into struct mgr_json (plugin.h), the form
 * in which linters get a dialect's parse tree. The values live in one
 * arena that json_tree_free releases at once.
 */
#ifndef MGR_CORE_JSON_TREE_H
#define MGR_CORE_JSON_TREE_H

#include <stddef.h>

#include <migrator/plugin.h>

struct json_tree;

/*
 * Read text[0..len): exactly one JSON value with white space around it.
 * MGR_EUSAGE naming the byte offset when it is not JSON (a dialect's
 * parse output, so a bug of the plugin). *root_out is valid until
 * json_tree_free(*tree_out).
 */
int json_tree_parse(const char *text, size_t len, struct json_tree **tree_out,
                    const struct mgr_json **root_out, struct mgr_error *err);
void json_tree_free(struct json_tree *tree);

/* The member key of object, or NULL (also when object is not one). */
const struct mgr_json *json_tree_get(const struct mgr_json *object,
                                     const char *key);

#endif
