/*
 * elfcheck.h: a look at a module file before dlopen() maps it. dlopen()
 * of an ELF file whose segments reach past its end (a truncated copy, a
 * half-written build) dies with SIGBUS in the dynamic loader instead of
 * failing; this check turns that into an error.
 */
#ifndef MGR_CORE_ELFCHECK_H
#define MGR_CORE_ELFCHECK_H

#include <migrator/migrator.h>

/*
 * MGR_OK when path is not ELF at all (dlopen reports that itself) or is
 * an ELF file whose program headers and loadable segments lie within the
 * file; MGR_EPLUGIN with the reason alone in why->msg otherwise.
 */
int elf_check_file(const char *path, struct mgr_error *why);

#endif
