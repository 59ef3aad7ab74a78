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
    /* NULL, or told before a page's items [from, upto) are placed (ctx: placed_ctx): the galley
     * then unpacks their paragraphs' glyphs (pb_galley_open) */
    pb_status (*open)(void *ctx, size_t from, size_t upto);
    /* NULL, or told of each page once it is final (its folio and running head set), in order,
     * as soon as it is: it may then free the page's glyphs and lines. Without it the pages are
     * finished by pb_pageout_finish. */
    pb_status (*ship)(void *ctx, pb_pages *pages, size_t page);
    void *ship_ctx;
    /* what the output routine keeps between pages: */
    size_t finished;        /* pages given their folio and running head */
    size_t shipped;         /* pages handed to ship */
    int folios;             /* pages numbered */
    struct pb_pageout_heads *heads; /* the running heads set so far (pb_pageout_fini) */
    pb_page spare;          /* a shipped page's emptied arrays, for the next page (its g, cap,
                             * lines, cap_lines) */
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
/* The items [from, end) of l (one page's) in the order a page draws them: item(ctx, j) for each
 * (NULL: none), then line(ctx, j, vl) for each of a box's lines, but a row's English lines
 * (column 1), which come after its run of rows, Chinese first (the order text extraction reads
 * them in). Stops at the first status not PB_OK and returns it. */
pb_status pb_pageout_each_line(const pb_vlist *l, size_t from, size_t end,
                               pb_status (*item)(void *ctx, size_t j),
                               pb_status (*line)(void *ctx, size_t j, const pb_vline *vl),
                               void *ctx);
/* Folios and running heads on every page made (a page first if none was), each page then
 * handed to ship. */
pb_status pb_pageout_finish(pb_pageout *o);
/* Hand the pages made since to ship as they are (the binding's: no folio, no head). */
pb_status pb_pageout_ship(pb_pageout *o);
/* Page p was shipped and its glyphs are no longer needed: its arrays, emptied, go to the next
 * page made (a page's glyphs grow to some 100 KB: allocated anew for each page, they left the
 * heap in holes the objects of the pages written meanwhile split). */
void pb_pageout_recycle(pb_pageout *o, pb_page *p);
/* Free what the output routine kept between pages. */
void pb_pageout_fini(pb_pageout *o);
/* A bookmark for the pair whose Chinese block is zh, at y on the last page. */
pb_status pb_pageout_mark(pb_pageout *o, const pb_block *zh, double y);
/* An issue for the report, on the last page made (value: as pb_issue says). */
pb_status pb_pageout_add_issue(pb_pages *o, pb_issue_kind kind, int line, double value);
/* Line li of para, just put on o's last page: its overfull issue if its glyphs reach past the
 * measure (any placing of set lines: the text, the cover). */
pb_status pb_pageout_note_overfull(pb_pages *o, const pb_para *para, size_t li);
/* Warn on stderr (file's lines) of the lines a made product's issues show a reader at once:
 * its letter-spaced lines past a quarter em, one warning for each paragraph. */
void pb_pageout_warn(const pb_pages *o, const char *file);

#endif
