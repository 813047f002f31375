/*
 * mock_meta.h: the recording meta_add that the suites of format plugins
 * (and of the shared header reader) hand to the code under test. It
 * defines struct mgr_script_meta, which plugins see as opaque, as a list
 * of the fields reported.
 */
#ifndef MIGRATOR_PLUGINS_MOCK_META_H
#define MIGRATOR_PLUGINS_MOCK_META_H

#include <stddef.h>

#include <migrator/plugin.h>

#define MOCK_META_MAX 64

struct mock_field {
    enum mgr_meta_field field;
    char *value; /* NUL-terminated copy, from mock_alloc() */
    size_t len;
    int line;
};

struct mgr_script_meta {
    struct mock_field rec[MOCK_META_MAX];
    int n;
    enum mgr_meta_field fail_on; /* make meta_add fail on it; 0: never */
};

/* mgr_host_api.meta_add: record the field, or fail with MGR_ESCRIPT
 * "meta_add refused FIELD at LINE" for m->fail_on. */
int mock_meta_add(struct mgr_script_meta *m, enum mgr_meta_field field,
                  const char *value, size_t len, int line,
                  struct mgr_error *err);

/* Free the recorded values and empty m (fail_on too). */
void mock_meta_release(struct mgr_script_meta *m);

/* Fail the test (naming the suite's line) unless field i of m is field
 * with value, from line. */
void mock_meta_assert(const struct mgr_script_meta *m, int i,
                      enum mgr_meta_field field, const char *value,
                      int line, int test_line);

/* The same on the suite's own `meta`. */
#define ck_assert_field(i, f, v, l)                                     \
    mock_meta_assert(&meta, (i), (f), (v), (l), __LINE__)

#endif /* MIGRATOR_PLUGINS_MOCK_META_H */
