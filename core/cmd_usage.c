/* cmd_usage.c: the usage text of each command, for help COMMAND. */
#include "autoconfig.h"

#include <string.h>

#include "cmd.h"

struct usage {
    const char *name;
    const char *text;
};

static const struct usage usages[] = {
    { "help", "usage: migrator help [COMMAND]\n" },
    { "init",
      "usage: migrator init [--template NAME] DIR\n\n"
      "Create a migration environment: migrator.ini in the working\n"
      "directory, DIR/versions/ and DIR/README. DIR must be empty or\n"
      "absent. --template picks a template (see list-templates);\n"
      "the default is 'generic'.\n" },
    { "list-templates",
      "usage: migrator list-templates\n\n"
      "List the templates that init can use, one line each.\n" },
    { "plugins",
      "usage: migrator plugins\n\n"
      "List every plugin found on the search path (kind, name, version,\n"
      "ABI, path) and every file that was refused, with the reason.\n" },
    { NULL, NULL },
};

int cmd_print_usage(const char *name, FILE *f)
{
    for (const struct usage *u = usages; u->name; u++) {
        if (strcmp(u->name, name) == 0) {
            fputs(u->text, f);
            return 0;
        }
    }
    return -1;
}
