/* pagebreak: the one page breaker. Takes a vertical list (vlist.h) and the room of a page;
 * returns where the pages end: the rules that do not yield weighed over the whole list (the
 * least sum, as a total fit does: Plass's thesis, Stanford 1981), then each page in order as
 * full as its own costs let it be, as a compositor fills them. */
#ifndef PB_PAGEBREAK_H
#define PB_PAGEBREAK_H

#include <stddef.h>

#include "vlist.h"

typedef struct {
    double height;          /* pt: room on a page, the text block's height */
    double fill_cost;       /* demerits of a page left empty: a page u pt short of height costs
                             * fill_cost * (u / height)^2; the last page costs nothing */
    double spread_cost;     /* demerits of a break inside a pair at a spread turn (after a
                             * recto): a Chinese paragraph and its English one prefer one spread */
    int first_verso;        /* 1: the first page is a verso (left-hand); 0: a recto */
    int fewest;             /* 1: of the breaks that keep the least absolute sum, only those
                             * that make the fewest pages (a page ends short for a rule that
                             * yields only where that saves no page); 0: each page as full as
                             * its own costs let it be */
    double last_extra;      /* pt: the page that ends the list may be this much taller (0): how
                             * many lines less would save a page (pagebuild.c asks) */
    int last_shrink;        /* 1: the page that ends the list may shrink its glue, each by its
                             * shrink (vlist.h), to take what would otherwise go over */
} pb_pagebreak_params;

/* Page breaks over l: *breaks (malloc'ed, *n_pages entries) holds, for each page, the index of
 * the item after its last (a penalty of l, or l->n for the last page). A page holds at least
 * one box; a box taller than the page stands alone on its page. Glue and penalties at the top
 * of a page are dropped (the output routine skips them). */
pb_status pb_pagebreak(const pb_vlist *l, const pb_pagebreak_params *p, size_t **breaks,
                       size_t *n_pages);

/* The first box at or after index i of l (l->n if none): where a page that starts after a
 * break at i - 1 begins. */
size_t pb_pagebreak_page_start(const pb_vlist *l, size_t i);

#endif
