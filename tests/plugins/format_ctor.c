/*
 * format_ctor.c: a plugin with a constructor, which runs as soon as the
 * module is opened. It creates the file named by $MGR_TEST_CTOR_MARKER, so
 * that a test can tell whether the loader opened the module at all.
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <unistd.h>

#include <migrator/plugin.h>

#include "inert.h"

static const char *const extensions[] = { ".ctor", NULL };
static const struct mgr_format_ops ops = {
    .size = sizeof(ops),
    .extensions = extensions,
    INERT_FORMAT_MEMBERS
};

__attribute__((constructor)) static void ctor_mark(void)
{
    const char *marker = getenv("MGR_TEST_CTOR_MARKER");
    int fd;

    if (!marker || !*marker)
        return;
    fd = open(marker, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd >= 0)
        close(fd);
}

MGR_PLUGIN_DEFINE(MGR_PLUGIN_FORMAT, "ctor", "1",
                  "test: a constructor marks $MGR_TEST_CTOR_MARKER", NULL,
                  NULL, &ops)
