/* fontcheck: which font files a layout's roles get, and what they cover of a corpus.
 * Takes a layout and (optionally) the corpus as that layout normalises it; returns a report
 * on a stream, and PB_EINPUT / PB_ESYSTEM when a character has no font / a family is not
 * installed (said once each on stderr too). */
#ifndef PB_FONTCHECK_H
#define PB_FONTCHECK_H

#include <stdio.h>

#include "corpus.h"
#include "diag.h"
#include "layout.h"

/* Most uncovered characters listed with their line:col (the rest are counted). */
#define PB_FONTCHECK_LIST_MAX 50
/* Most distinct characters shown for a role whose font lacks them. */
#define PB_FONTCHECK_SHOW_MAX 24

/* For each role: the family asked for, the face and file fontconfig chose, a missing bold or
 * italic face; with doc: how many characters each role sets, those its font lacks (and the
 * font that sets them instead), every character no font covers at file:line:col. */
pb_status pb_fontcheck_write(const pb_layout *layout, const char *fonts_dir, const pb_doc *doc,
                             FILE *out);

#endif
