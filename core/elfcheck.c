/* elfcheck.c: refuse truncated ELF modules before dlopen() maps them. */
#include "autoconfig.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elfcheck.h"

static int read_at(int fd, void *buf, size_t len, uint64_t off)
{
    ssize_t n = pread(fd, buf, len, (off_t)off);

    return n == (ssize_t)len ? 0 : -1;
}

/* One program header, whatever the class: offset and size in the file. */
static int segment(int fd, int is64, uint64_t phoff, unsigned i,
                   unsigned phentsize, uint32_t *type, uint64_t *off,
                   uint64_t *filesz)
{
    uint64_t at = phoff + (uint64_t)i * phentsize;

    if (is64) {
        Elf64_Phdr ph;

        if (read_at(fd, &ph, sizeof(ph), at) != 0)
            return -1;
        *type = ph.p_type;
        *off = ph.p_offset;
        *filesz = ph.p_filesz;
    } else {
        Elf32_Phdr ph;

        if (read_at(fd, &ph, sizeof(ph), at) != 0)
            return -1;
        *type = ph.p_type;
        *off = ph.p_offset;
        *filesz = ph.p_filesz;
    }
    return 0;
}

static int check_fd(int fd, uint64_t size, struct mgr_error *why)
{
    unsigned char ident[EI_NIDENT];
    uint64_t phoff;
    unsigned phnum, phentsize;
    int is64;

    if (size < EI_NIDENT || read_at(fd, ident, EI_NIDENT, 0) != 0 ||
        memcmp(ident, ELFMAG, SELFMAG) != 0)
        return MGR_OK; /* not ELF: dlopen says so cleanly */
    is64 = ident[EI_CLASS] == ELFCLASS64;
    if (is64) {
        Elf64_Ehdr eh;

        if (read_at(fd, &eh, sizeof(eh), 0) != 0)
            goto truncated;
        phoff = eh.e_phoff;
        phnum = eh.e_phnum;
        phentsize = eh.e_phentsize;
        if (phentsize < sizeof(Elf64_Phdr))
            goto bad;
    } else {
        Elf32_Ehdr eh;

        if (read_at(fd, &eh, sizeof(eh), 0) != 0)
            goto truncated;
        phoff = eh.e_phoff;
        phnum = eh.e_phnum;
        phentsize = eh.e_phentsize;
        if (phentsize < sizeof(Elf32_Phdr))
            goto bad;
    }
    if (phoff > size || (uint64_t)phnum * phentsize > size - phoff)
        goto truncated;
    for (unsigned i = 0; i < phnum; i++) {
        uint32_t type;
        uint64_t off, filesz;

        if (segment(fd, is64, phoff, i, phentsize, &type, &off, &filesz))
            goto truncated;
        if (type == PT_LOAD && (off > size || filesz > size - off))
            goto truncated;
    }
    return MGR_OK;
truncated:
    return mgr_error_set(why, MGR_EPLUGIN,
                         "it is a truncated ELF file (its segments reach "
                         "past its %llu bytes); rebuild or reinstall it",
                         (unsigned long long)size);
bad:
    return mgr_error_set(why, MGR_EPLUGIN,
                         "it is not a well-formed ELF file");
}

int elf_check_file(const char *path, struct mgr_error *why)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    int rc;

    if (fd < 0)
        return mgr_error_set_errno(why, MGR_EPLUGIN, errno, "cannot read it");
    if (fstat(fd, &st) != 0) {
        rc = mgr_error_set_errno(why, MGR_EPLUGIN, errno, "cannot read it");
    } else {
        rc = check_fd(fd, (uint64_t)st.st_size, why);
    }
    close(fd);
    return rc;
}
