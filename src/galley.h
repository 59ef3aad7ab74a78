/* galley: a product's text as one vertical list. Takes the document, the layout (at a size
 * factor), the fonts and the pairs the product sets, in its order; composes their blocks (on
 * every core) and returns the vertical list of their lines with the space between blocks and
 * the cost of a page break at each place (the house rules: widows, orphans, headings kept with
 * what follows, keep markup, words across a page turn, pairs on one spread, the register). */
#ifndef PB_GALLEY_H
#define PB_GALLEY_H

#include <stddef.h>

#include "compose.h"
#include "corpus.h"
#include "fonts.h"
#include "layout.h"
#include "pagebuild.h"
#include "vlist.h"

/* Lines of the next paragraph a heading keeps with it: a break before the second would leave
 * one line alone at the foot, which the widow rule forbids anyway, so the heading keeps its
 * first line and the widow rule the second (two lines: the usual house rule). */
#define PB_GALLEY_HEADING_KEEP 2
/* Fewest lines of a paragraph on either side of a page break (no orphans, no widows). */
#define PB_GALLEY_MIN_LINES 2
/* A paragraph of at most this many lines has no place to break over a page (one would leave
 * fewer than PB_GALLEY_MIN_LINES on a side): a pair of two such is short (PB_VCOST_PAIR_SHORT). */
#define PB_GALLEY_WHOLE_LINES (2 * PB_GALLEY_MIN_LINES - 1)
/* A set-apart pair ({center}, {left}, {right}: a poem and its translation, an address) of at
 * most this many lines a language as written (its forced breaks and one), and at most twice as
 * many as set (each line turned over once), is a short verse: kept whole on one page, as a
 * {keep} pair is. Eight: the lines of a regulated verse (律詩 lüshi), the longest of the short
 * Tang forms (a quatrain, 絕句 jueju, has four; Britannica, "lüshi"). */
#define PB_GALLEY_VERSE_LINES 8

typedef enum {
    PB_GALLEY_STACK = 0,    /* every block across the measure, Chinese then English */
    PB_GALLEY_COLUMNS       /* paragraphs side by side (Chinese left), level at every pair;
                             * titles and headings across both columns */
} pb_galley_kind;

typedef struct {
    const pb_doc *doc;          /* borrowed */
    const pb_layout *lay;       /* borrowed */
    pb_fontset *fonts;          /* borrowed */
    double scale;               /* every size and space times this (a leaflet's fit) */
    pb_galley_kind kind;
    int grid;                   /* the register: body baselines on the grid of the leading */
    int spread;                 /* pairs prefer one spread (PB_VF_PAIR on their inner breaks) */
    int stretch;                /* the space between blocks may stretch (a leaflet's fill) */
    int shrink;                 /* the space between blocks, above headings and between pairs,
                                 * may shrink by a third off the register (a leaflet at its
                                 * least size: vlist.h pb_vitem.shrink) */
    int leaflet;                /* the pairs play a leaflet's parts: the title is its kicker
                                 * (flush with the headline), the pair `standfirst` its
                                 * standfirst (larger, kept whole, a body line's space below) */
    int standfirst;             /* a leaflet's standfirst: its pb_block.pair (-1: none) */
    const size_t *pairs;        /* the first block of each pair the product sets, in order */
    size_t n_pairs;
    /* what it makes: */
    pb_para *paras;             /* per block of doc; owned (only the blocks set are composed);
                                 * a paragraph's glyphs are packed (g NULL, n kept) until
                                 * pb_galley_open */
    struct pb_galley_packed *packed; /* per block: its glyphs packed (galley.c) */
    double *size, *leading;     /* per block: pt, as set (scale included) */
    pb_vlist vl;
    size_t *last;               /* per block: the last item of vl holding one of its lines
                                 * (pb_galley_release; made on its first call) */
    size_t released;            /* items of vl before this are placed */
} pb_galley;

/* Compose the pairs' blocks and build g->vl. Problems in the text are reported in document
 * order, once (a block that fails on another core is composed again here to say why). */
pb_status pb_galley_build(pb_galley *g);
void pb_galley_fini(pb_galley *g);
/* The items of g->vl before upto are placed on their pages (the output routine copied their
 * lines): free each paragraph none of whose lines is in a later item, so that a product holds
 * its composed text only until it is placed. PB_ESYSTEM when memory runs out. */
pb_status pb_galley_release(pb_galley *g, size_t upto);
/* The items of g->vl in [from, upto) are about to be placed: their paragraphs' glyphs are
 * unpacked (pb_para.g). PB_ESYSTEM when memory runs out (said). */
pb_status pb_galley_open(pb_galley *g, size_t from, size_t upto);
/* Append the glyphs of line vl of g->vl to p as they are, at (0, 0): what the line draws, for
 * a look at a page's text before it is placed (its paragraph packed or not; nothing unpacked).
 * PB_ESYSTEM when memory runs out (said). */
pb_status pb_galley_put_text(const pb_galley *g, const pb_vline *vl, pb_page *p);

/* The style of a block as this galley sets it (size and leading in pt, scale included). */
void pb_galley_style(const pb_galley *g, const pb_block *blk, pb_style *st, double *leading);

/* Where the baseline of a line of this size and leading sits below the top of its room, and
 * how much room it takes below the baseline (pt): the em box centred in the leading. */
double pb_galley_ascent(double size, double leading);

#endif
