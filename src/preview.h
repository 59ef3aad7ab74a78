/* preview: PNG pictures of a PDF's pages, rendered by poppler-glib and cairo (opened with
 * dlopen, so building and typesetting need neither). Takes a PDF, a resolution and a page
 * range; returns the PNGs written whole (output.c) or none. */
#ifndef PB_PREVIEW_H
#define PB_PREVIEW_H

#include "diag.h"

/* pixels per inch: the default (a screen's), and the range accepted */
#define PB_PREVIEW_DPI 96
#define PB_PREVIEW_DPI_MIN 1
#define PB_PREVIEW_DPI_MAX 1200

/* Render pages first..last of pdf (1-based; 0, 0: every page) at dpi into PNGs named by
 * pattern (%d the page number; NULL: the PDF's path less .pdf, then -%d.png; "-" standard
 * output, for one page). PB_ESYSTEM when the libraries are missing (the message names the
 * Debian package), PB_EINPUT when the PDF cannot be read or has no such pages. */
pb_status pb_preview_write(const char *pdf, const char *pattern, double dpi, int first, int last);

#endif
