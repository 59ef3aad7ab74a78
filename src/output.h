/* cleanup: every output is written to a temporary file beside it and renamed into place; the
 * temporary is removed when SIGINT or SIGTERM arrives (then the program dies of that signal). */
#ifndef PB_CLEANUP_H
#define PB_CLEANUP_H

/* Install the SIGINT and SIGTERM handlers (once; a signal ignored at start stays ignored, as
 * for a background job or nohup). Call first thing in main. */
void pb_cleanup_install(void);
/* Register the temporary file the next signal must unlink (copied; a path longer than
 * PATH_MAX - 1 bytes is not registered). NULL clears it: call it after the file was renamed
 * or removed. */
void pb_cleanup_set_temp(const char *path);

#include <stdio.h>

#include "diag.h"

/* Create a temporary file beside path ("PATH.tmp-XXXXXX", mode as any new file under the
 * umask) and register it for removal on a signal. Returns it open for writing and its name in
 * *tmp (malloc'ed); NULL (with a message naming path) when it cannot. */
FILE *pb_cleanup_temp_open(const char *path, char **tmp);
/* Finish a temporary file: close f (NULL: closed already, e.g. written by a library by name),
 * then rename tmp onto path. On any error the temporary is removed and a message names path.
 * Always unregisters and frees tmp. */
pb_status pb_cleanup_temp_commit(FILE *f, char *tmp, const char *path);
/* Give a temporary file up: close f (may be NULL), remove it, unregister, free tmp. */
void pb_cleanup_temp_abandon(FILE *f, char *tmp);

#endif
