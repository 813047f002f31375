/* exec.c: where a section's statements go (offline text or a dialect). */
#include "autoconfig.h"

#include "exec.h"

int exec_section_begin(struct mgr_exec *x, unsigned flags, int line,
                       struct mgr_error *err)
{
    (void)x; (void)flags; (void)line;
    return mgr_error_set(err, MGR_EUSAGE, "no statement sink yet");
}

int exec_sql(struct mgr_exec *x, const char *text, size_t len,
             int first_line, struct mgr_error *err)
{
    (void)x; (void)text; (void)len; (void)first_line;
    return mgr_error_set(err, MGR_EUSAGE, "no statement sink yet");
}
