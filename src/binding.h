/* binding: a booklet made ready to fold and stitch (layout [impose] binding, colophon).
 * Takes a booklet or parallel product's finished pages (the output routine's); returns them
 * padded with blank pages before the back cover to a multiple of four, the outside back cover
 * free of text, and the colophon set on the inside or outside back cover. */
#ifndef PB_BINDING_H
#define PB_BINDING_H

#include "pageout.h"

/* A saddle-stitched sheet, folded once, makes four pages. */
#define PB_BINDING_PAGES_PER_SHEET 4
/* A last page holding at most this share of a page's lines is light, and as many lines less
 * are few enough to save a sheet: the share of a page the report calls a visible hole
 * (pageout.c SHORT_PAGE_SHARE), here the text itself. */
#define PB_BINDING_LIGHT_SHARE 0.2

/* With binding = saddle-stitch (not for leaflets): blank pages, unnumbered and without a
 * running head, after the last page made, and the back cover (the outside one, and the inside
 * one when not a text page) marked as a cover (pb_page.cover); colophon may be NULL. */
pb_status pb_binding_apply(pb_pageout *o, const pb_colophon *colophon);
/* The pages a product of made pages has once bound (made, when it is not). */
size_t pb_binding_pages(const pb_layout *l, size_t made);

#endif
