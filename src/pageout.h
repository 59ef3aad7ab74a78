/* pageout: the output routine. Takes a vertical list and its page breaks (pagebreak.h), the
 * layout and a composer; returns the pages: every box's lines placed on its page (PDF
 * coordinates), bookmarks, sections, composition issues, then folios and running heads (each
 * distinct head composed once). */
#ifndef PB_PAGEOUT_H
#define PB_PAGEOUT_H

#include <stddef.h>

#include "compose.h"
#include "corpus.h"
#include "layout.h"
#include "pagebuild.h"
#include "vlist.h"

typedef struct {
    const pb_layout *lay;   /* borrowed */
    double scale;           /* sizes times this (a leaflet's fit) */
    const pb_doc *doc;      /* borrowed */
    pb_composer *comp;      /* borrowed: sets folios, running heads and bullets */
    pb_pages *out;          /* the pages made so far */
    int series;             /* > 0: a leaflet of this section ([footer] series: "N / total") */
    int in_force;           /* the section in force (placing updates it) */
    /* NULL, or told after each page is placed that the list's items before upto are: the
     * galley then frees what it no longer needs (pb_galley_release) */
    pb_status (*placed)(void *ctx, size_t upto);
    void *placed_ctx;
} pb_pageout;

/* A new page at the end of out (cover: the cover or a blank inside cover, unnumbered). */
pb_status pb_pageout_new_page(pb_pageout *o, int cover);
/* Put line li of para on page p with its start at x and its baseline at y (pt). */
pb_status pb_pageout_put_line(pb_page *p, const pb_para *para, size_t li, double x, double y);
/* Place the vertical list on new pages, one per break (breaks[k]: the item after page k's
 * last). fill: on the last page the space between blocks stretches (as far as its stretch
 * goes) so that its last line sits at the foot of the text block. */
pb_status pb_pageout_place(pb_pageout *o, const pb_vlist *l, const size_t *breaks, size_t n_pages,
                           int fill);
/* Folios and running heads on every page made. */
pb_status pb_pageout_finish(pb_pageout *o);
/* A bookmark for the pair whose Chinese block is zh, at y on the last page. */
pb_status pb_pageout_mark(pb_pageout *o, const pb_block *zh, double y);
/* An issue for the report, on the last page made (value: as pb_issue says). */
pb_status pb_pageout_add_issue(pb_pages *o, pb_issue_kind kind, int line, double value);

#endif
