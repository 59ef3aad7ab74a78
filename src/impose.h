/* impose: the press sheets of a saddle-stitched booklet, 2-up (layout [impose]).
 * Takes the layout and the booklet's page count; returns per sheet side the page in each half
 * and where it stands (creep moves inner sheets' pages toward the spine), the sheet's trim and
 * bleed boxes (ISO 32000-1 §14.11.2), and the crop and fold marks as line segments. */
#ifndef PB_IMPOSE_H
#define PB_IMPOSE_H

#include <stddef.h>

#include "diag.h"
#include "layout.h"

/* A rectangle in PDF user space: lower left and upper right corners (pt). */
typedef struct {
    double x0, y0, x1, y1;
} pb_rect;

/* A printer's mark: a straight line from (x0, y0) to (x1, y1), pt. */
typedef struct {
    double x0, y0, x1, y1;
    int fold;               /* 1: a fold mark (drawn dashed); 0: a crop mark */
} pb_impose_mark;

/* A half of a side left blank (the padding past the last page). */
#define PB_IMPOSE_BLANK ((size_t)-1)
/* Two crop marks at each of the trim's four corners, a fold mark above and below the spine. */
#define PB_IMPOSE_MARKS_MAX 10

typedef struct {
    size_t page[2];         /* the booklet page (0-based) in the left and right half, or
                             * PB_IMPOSE_BLANK */
    double x[2];            /* pt: where each page's left edge stands on the sheet */
    double y;               /* pt: the pages' bottom edge */
    size_t sheet;           /* the sheet the side is printed on, 0: the outermost */
} pb_impose_side;

typedef struct {
    double sheet_w, sheet_h;/* pt, the press sheet, landscape (the MediaBox) */
    double page_w, page_h;  /* pt, one page */
    pb_rect trim;           /* the folded sheet: two pages side by side (the TrimBox) */
    pb_rect bleed;          /* the trim and the bleed around it (the BleedBox) */
    pb_impose_side *sides;  /* owned: front and back of each sheet, outermost sheet first */
    size_t n_sides;
    pb_impose_mark marks[PB_IMPOSE_MARKS_MAX]; /* the same on every side */
    size_t n_marks;
    double mark_width;      /* pt, the marks' line width */
    double fold_dash;       /* pt, a fold mark's dash and gap */
} pb_imposition;

/* Room on the layout's sheet for two pages side by side with their bleed and marks; if not,
 * an error naming the sheets that have it (PB_EINPUT, said). */
pb_status pb_impose_check(const pb_layout *l);
/* The sheets for n_pages pages of the layout's size, in saddle-stitch order (padded with blank
 * halves to a multiple of four). Creep that would move a page across the fold past its inner
 * margin is an error (PB_EINPUT, said); out of memory: PB_ESYSTEM, said. */
pb_status pb_impose_plan(const pb_layout *l, size_t n_pages, pb_imposition *out);
void pb_impose_free(pb_imposition *im);

#endif
