/*
 * report_file.h: the files that --report-file and --report NAME:PATH
 * write. A report never follows a symbolic link: a link at its path is
 * refused, and a regular file is written beside its path under a
 * temporary name and renamed into place when the report closes, so a
 * link planted meanwhile is replaced, never written through, and a
 * report that fails leaves no half file. A path that is a device or a
 * FIFO (/dev/full, a named pipe) is written in place.
 */
#ifndef MGR_CORE_REPORT_FILE_H
#define MGR_CORE_REPORT_FILE_H

#include <stdbool.h>
#include <stdio.h>

#include <migrator/migrator.h>

struct report_file {
    FILE *f;
    char *path; /* as given */
    char *tmp;  /* the temporary file, or NULL when writing in place */
};

/*
 * Open rf for path. MGR_ETRUST when path is a symbolic link, MGR_EUSAGE
 * when it cannot be written; both name the file.
 */
int report_file_open(struct report_file *rf, const char *path,
                     struct mgr_error *err);

/*
 * Close rf: when keep and every write went through, rename the
 * temporary file to its path; otherwise remove it. MGR_EIO (with err
 * naming the file) when the report could not be written.
 */
int report_file_close(struct report_file *rf, bool keep,
                      struct mgr_error *err);

#endif
