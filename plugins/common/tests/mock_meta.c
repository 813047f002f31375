/* mock_meta.c: the recording meta_add of the format suites
 * (mock_meta.h). */
#include "autoconfig.h"

#include <check.h>
#include <string.h>

#include "mock_host.h"
#include "mock_meta.h"

int mock_meta_add(struct mgr_script_meta *m, enum mgr_meta_field field,
                  const char *value, size_t len, int line,
                  struct mgr_error *err)
{
    struct mock_field *r;

    if (m->fail_on == field)
        return mock_error_set(err, MGR_ESCRIPT, "meta_add refused %d at %d",
                              (int)field, line);
    ck_assert_int_lt(m->n, MOCK_META_MAX);
    r = &m->rec[m->n++];
    r->field = field;
    r->value = mock_alloc(len + 1);
    memcpy(r->value, value, len);
    r->value[len] = '\0';
    r->len = len;
    r->line = line;
    return MGR_OK;
}

void mock_meta_release(struct mgr_script_meta *m)
{
    for (int i = 0; i < m->n; i++)
        mock_free(m->rec[i].value);
    memset(m, 0, sizeof(*m));
}

void mock_meta_assert(const struct mgr_script_meta *m, int i,
                      enum mgr_meta_field field, const char *value,
                      int line, int test_line)
{
    ck_assert_msg(m->n > i, "line %d: %d fields, none at %d", test_line,
                  m->n, i);
    ck_assert_msg(m->rec[i].field == field, "line %d: field %d is %d, not %d",
                  test_line, i, (int)m->rec[i].field, (int)field);
    ck_assert_msg(strcmp(m->rec[i].value, value) == 0,
                  "line %d: field %d is '%s', not '%s'", test_line, i,
                  m->rec[i].value, value);
    ck_assert_msg(m->rec[i].line == line,
                  "line %d: field %d is from line %d, not %d", test_line, i,
                  m->rec[i].line, line);
}
