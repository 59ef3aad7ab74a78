/* layoutdirs: the folders that shipped layouts are found in, in order: PAIBAN_LAYOUT_PATH's
 * (':'-separated), the source tree's layouts/ for a program run from that tree's build/ (so
 * that build/paiban -l booklet works in a checkout), BINDIR/../share/paiban/layouts beside the
 * program (so that a staged or moved install finds its own), the folder the build was
 * configured with. Takes a NAME, returns its NAME.ini path. */
#ifndef PB_LAYOUTDIRS_H
#define PB_LAYOUTDIRS_H

#include <stddef.h>

#include "diag.h"

#define PB_LAYOUTDIRS_MAX 16

typedef struct {
    char *dirs[PB_LAYOUTDIRS_MAX]; /* owned, absolute or as the user gave them */
    size_t n;
} pb_layoutdirs;

void pb_layoutdirs_init(pb_layoutdirs *d);
void pb_layoutdirs_fini(pb_layoutdirs *d);
/* NAME or NAME.ini in the first folder that has it: *path malloc'ed, or NULL when none has it
 * (PB_OK either way; PB_ESYSTEM, printed, when memory runs out). */
pb_status pb_layoutdirs_find(const pb_layoutdirs *d, const char *name, char **path);
/* "NAME, NAME (in DIR); NAME (in DIR)" into out (cap bytes, truncated); returns the length
 * written, 0 when no folder holds a layout. */
size_t pb_layoutdirs_list(const pb_layoutdirs *d, char *out, size_t cap);

#endif
