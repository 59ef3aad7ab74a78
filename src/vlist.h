/* vlist: the vertical list, what a product's text is between composing and page breaking.
 * Takes set lines (boxes), the space between blocks (glue) and the cost of breaking a page at
 * each place (penalties: TeX's vocabulary, The TeXbook ch. 15); returns nothing itself: the page
 * breaker (pagebreak.h) chooses the breaks over it and the output routine places its boxes. */
#ifndef PB_VLIST_H
#define PB_VLIST_H

#include <stddef.h>
#include <stdint.h>

#include "compose.h"
#include "corpus.h"
#include "diag.h"

typedef enum { PB_V_BOX = 0, PB_V_GLUE, PB_V_PENALTY } pb_vkind;

/* What a page break costs, in demerits (pagebreak.c adds them to what the page's emptiness
 * costs). The house rules that are absolute in practice cost more than a page left empty
 * (PB_VCOST_PAGE_FILL): pagebreak.c weighs them over the whole list first, so they are broken
 * only when nothing else fits. */
#define PB_VCOST_FORBIDDEN 1e9  /* inside a heading, or a heading left at the foot */
#define PB_VCOST_WIDOW 1e7      /* one line of a paragraph alone at a foot or a head */
#define PB_VCOST_KEEP 1e7       /* inside a {keep} pair, or between consecutive {keep} pairs
                                 * (when they fit a page together) */
#define PB_VCOST_HEAD_PAIR 1e7  /* a heading's first pair broken before its English begins:
                                 * the heading keeps the Chinese paragraph and the first lines
                                 * of the English with it (when they fit a page); else, for an
                                 * English reader, the heading ends its page with no text */
#define PB_VCOST_BROKEN 1e5     /* after a hyphenated line: a word across a page turn (TeX's
                                 * \brokenpenalty, raised from 100 to a house rule) */

/* The rules that yield are priced in the emptiness a typesetter would leave at a page's foot
 * rather than break them: a page u of its height short costs PB_VCOST_PAGE_FILL * u^2 (the
 * last page nothing), so a rule worth a share s of a page costs PB_VCOST_EMPTY(s); each page
 * weighs them against its own emptiness (pagebreak.c). A hole of
 * a fifth of a page or more is a visible defect on a page set on a grid (faces of a spread, or
 * the pages of a filed copy, do not line up at the foot): the report names each one the
 * absolute rules leave (pageout.c SHORT_PAGE_SHARE). */
#define PB_VCOST_PAGE_FILL 10000.0
#define PB_VCOST_EMPTY(s) (PB_VCOST_PAGE_FILL * (s) * (s))
/* A short pair (each half a paragraph the widow rule keeps whole: at most
 * PB_GALLEY_WHOLE_LINES lines) split between its Chinese and its English: one unit of meaning
 * whose halves a reader of either language links; kept whole unless that leaves a fifth of
 * the page empty (400). */
#define PB_VCOST_PAIR_SHORT PB_VCOST_EMPTY(0.2)
/* A heading's first pair parted between its whole Chinese paragraph (longer than a short
 * pair's half: a text of its own under the heading) and its English: the Chinese reader has
 * the heading's text, the English reader turns to it. A journal's abstract under its heading
 * on the title page, its English overleaf, rather than the title page left half empty: kept
 * together (PB_VCOST_HEAD_PAIR) unless that leaves a fifth of the page empty, as a short pair
 * is. Breaks inside the Chinese paragraph still cost PB_VCOST_HEAD_PAIR. */
#define PB_VCOST_HEAD_SPLIT PB_VCOST_EMPTY(0.2)

/* One set line of a box: a paragraph's line, placed at x from the text block's left edge. */
typedef struct {
    const pb_para *para;    /* borrowed */
    uint32_t line;          /* para->lines[line] */
    float x;                /* pt */
    float hang;             /* pt: a list item's first line hangs its bullet this far left (0) */
    uint8_t col;            /* a row's column: 0 (Chinese, left) or 1 */
} pb_vline;

/* The most lines a heading's line is set on before it is queried (PB_VF_HEAD_LONG): a
 * heading names what it heads in a line or two (the longest heading of the initiative, the test
 * corpora and the examples takes 3 lines: the initiative's in the leaflet, the FAQ's in the
 * archive); 4 or more is most
 * likely a paragraph marked as a heading (review 8: 200 ideographs set as 8 bold lines). */
#define PB_HEAD_LINES_MAX 3

/* pb_vitem.flags */
enum {
    PB_VF_MARK = 1,         /* box: a title or heading starts here (bookmark, running heads) */
    PB_VF_SECTION = 2,      /* box: a level-1 heading starts here (a section opens) */
    PB_VF_PAIR = 4,         /* penalty: inside a Chinese/English pair (the spread rule) */
    PB_VF_ROW = 8,          /* box: a row of a pair in columns (line[k].col says which) */
    PB_VF_KEEP_OVER = 16,   /* box: the first line of a {keep} pair (or run of them) taller
                             * than a page (kept lines says how many it has), broken over pages */
    PB_VF_HEAD_OVER = 32,   /* box: the first line of a title or heading pair taller than a
                             * page (kept_lines: its lines), broken over pages */
    PB_VF_HEAD_LONG = 64,   /* box: the first line of a heading one of whose lines is set on
                             * more lines than a heading takes (kept_lines: the most) */
    PB_VF_VERSE_OVER = 128  /* box: the first line of a short verse (galley.h
                             * PB_GALLEY_VERSE_LINES) taller than a page (kept_lines: its
                             * lines), broken over pages */
};

/* pb_vitem.why: the rule that prices a penalty (the dearest of those that do), for the report
 * of a page the rules leave short (pageout.c) */
typedef enum {
    PB_VWHY_NONE = 0,       /* a free break (or the same-spread rule alone: PB_VF_PAIR) */
    PB_VWHY_HEADING,        /* inside a heading, or right after it: it keeps its first lines */
    PB_VWHY_TITLE,          /* the same for the title (or the standfirst) */
    PB_VWHY_HEAD_PAIR,      /* a heading's first pair before its English has begun */
    PB_VWHY_KEEP,           /* inside a {keep} pair, or between {keep} pairs in a row */
    PB_VWHY_CLOSING,        /* inside a closing block, or before it (kept with the text) */
    PB_VWHY_WIDOW,          /* one line of a paragraph alone at a foot or a head */
    PB_VWHY_BROKEN,         /* a word hyphenated across the turn */
    PB_VWHY_PAIR_SHORT,     /* a short pair split between its languages (a rule that yields) */
    PB_VWHY_SPREAD,         /* not in the list: a PB_VF_PAIR break at a spread turn (pagebreak.c
                             * prices it; pageout.c names it) */
    PB_VWHY_SALUTATION,     /* inside a salutation ("各位股東：" / "Dear Shareholders,"), or
                             * right after it: it keeps the first lines of what follows */
    PB_VWHY_SIGN_OFF,       /* before a {right} sign-off inside the text, or inside it: it keeps
                             * with the last lines of the text it closes */
    PB_VWHY_VERSE,          /* inside a short verse (a set-apart pair of few lines: galley.h
                             * PB_GALLEY_VERSE_LINES), kept whole */
    PB_VWHY_SECTION         /* inside a closing short section (a reply slip, a form: galley.c
                             * closing_section()), kept on one page */
} pb_vwhy;

typedef struct {
    pb_vkind kind;
    uint8_t flags;          /* PB_VF_* */
    uint8_t n_lines;        /* box: its set lines: 1, or 2 (a parallel row: zh and en) */
    uint16_t kept_lines;    /* box with PB_VF_KEEP_OVER: the pair's lines (rows in columns),
                             * or its run's, at most UINT16_MAX; PB_VF_HEAD_OVER: the pair's;
                             * PB_VF_HEAD_LONG: its longer line's; PB_VF_VERSE_OVER: as
                             * PB_VF_KEEP_OVER's */
    uint16_t kept_pairs;    /* box with PB_VF_KEEP_OVER: 1, or the {keep} pairs of a run in a
                             * row that fit a page one by one but not together */
    uint8_t why;            /* penalty: pb_vwhy */
    int why_line;           /* penalty: the source line of the block its rule keeps (the
                             * heading, the {keep} pair, the paragraph, the pair of a PB_VF_PAIR
                             * one), 0: none */
    double height, depth;   /* pt. box: above and below its baseline; glue: its natural length
                             * (height), depth 0 */
    double stretch;         /* glue: pt it may grow where a page is filled (leaflets) */
    double shrink;          /* glue, or a box of space alone (a standfirst's space below): pt
                             * it may give up where a leaflet's last page takes what would go
                             * over (pagebreak.h last_shrink) */
    double cost;            /* penalty: demerits of a break here (0: a free break) */
    pb_vline line[2];       /* box */
    int section;            /* box: the section in force from here on (0: title, preamble) */
    const pb_block *mark;   /* box with PB_VF_MARK: the Chinese block of the pair it begins */
} pb_vitem;

typedef struct {
    pb_vitem *v;            /* owned */
    size_t n, cap;
} pb_vlist;

/* Append one item (copied). PB_ESYSTEM with a message when memory runs out. */
pb_status pb_vlist_push(pb_vlist *l, const pb_vitem *item);
/* The last item, or NULL. */
pb_vitem *pb_vlist_last(pb_vlist *l);
void pb_vlist_fini(pb_vlist *l);

#endif
