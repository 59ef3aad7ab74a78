/* watch: runs a build, then again each time one of its input files changes (inotify).
 * Takes the files to watch and the build; returns only when watching fails (a signal ends the
 * process), with one status line on stderr per build. */
#ifndef PB_WATCH_H
#define PB_WATCH_H

#include <stddef.h>

#include "diag.h"

/* Changes closer together than this make one rebuild (ms): an editor's save is several
 * events (write, rename, attributes). */
#define PB_WATCH_SETTLE_MS 100

/* build(ctx) now, then after every change to paths[0..n) (a file written, replaced by a rename,
 * or touched), with "paiban: HH:MM:SS rebuilt in 0.21 s" or "... failed (exit 1)" after each.
 * Returns PB_ESYSTEM (said) when a file's folder cannot be watched. */
pb_status pb_watch_run(const char *const *paths, size_t n, pb_status (*build)(void *ctx),
                       void *ctx);

#endif
