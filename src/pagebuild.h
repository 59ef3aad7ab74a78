/* pagebuild: composes every block of a document and stacks the lines into pages.
 * Takes a pb_doc, a pb_layout and the fonts; returns pb_pages: absolutely placed glyphs per
 * page (PDF coordinates, y up), folios, and bookmarks for the preamble and each section. */
#ifndef PB_PAGEBUILD_H
#define PB_PAGEBUILD_H

#include <stddef.h>
#include <stdint.h>

#include "compose.h"
#include "corpus.h"
#include "fonts.h"
#include "layout.h"

typedef struct {
    pb_font *font;          /* borrowed */
    float size;             /* pt */
    float x, y;             /* pt, glyph origin on the page, y from the bottom edge */
    uint32_t gid;           /* glyph id = CID */
    const uint32_t *text;   /* borrowed: code points this glyph stands for */
    uint16_t ntext;         /* 0: continues a cluster */
    uint8_t ruby;           /* 1: ruby over a base (not part of the running text) */
    uint8_t artifact;       /* PB_ARTIFACT_* (compose.h): a running head or folio, or a
                             * decoration such as emphasis dots; not part of the text */
    uint8_t ruby_first;     /* 1: the first glyph of its annotation (ruby only) */
    float hscale;           /* horizontal scale of the glyph (font expansion); 1: none */
    const pb_link *link;    /* borrowed from the document: the link it is part of, or NULL */
} pb_gpos;

/* One set line, for the trace and the checks: where it sits and how its glue was set. */
typedef struct {
    size_t g0, g1;          /* its glyphs on the page, [g0, g1) */
    float x, y;             /* pt, line start and baseline */
    float width;            /* pt, set width */
    float ratio;            /* glue adjustment ratio (0 natural, < 0 shrunk, > 0 stretched) */
    const pb_block *block;  /* borrowed from the document: the block the line belongs to (NULL:
                             * a running head or folio); for a label, the list item's block */
    int label;              /* 1: the line is a list item's label (its bullet), not its text */
    float measure;          /* pt, the measure it was set in, from x: its text stays left of
                             * x + measure unless reported overfull (0: set unbounded) */
} pb_pline;

typedef struct {
    double w, h;            /* pt */
    pb_gpos *g;             /* owned */
    size_t n, cap;
    pb_pline *lines;        /* owned */
    size_t n_lines, cap_lines;
    int folio;              /* printed page number, 0 = none (cover, inside cover) */
    int section;            /* the last section begun on this page, or the one in force (0 =
                             * preamble) */
    int section_top;        /* the section of the page's first line (its running head): in
                             * force at its top, or opened by a heading at its top */
    int cover;              /* 1: the cover or the blank inside cover (unnumbered) */
} pb_page;

typedef struct {
    uint32_t *title;        /* owned, code points: "zh / en" */
    size_t len;
    size_t page;            /* 0-based page index */
    double y;               /* pt, top of the target on the page */
    int level;              /* 0: the title; 1, 2: a heading's level (bookmarks nest by it) */
} pb_mark;

/* Something the composer had to accept, for the preflight report. */
typedef enum {
    PB_ISSUE_OVERFULL = 0,
    PB_ISSUE_LOOSE,
    PB_ISSUE_LEAFLET_OVERFLOW,
    PB_ISSUE_SPACED,
    PB_ISSUE_LEFT_OUT,      /* preamble text no leaflet sets: lines [line, value] */
    PB_ISSUE_SHORT_PAGE,    /* a page left short by a rule that does not yield (a heading kept
                             * with its text): line, what went on to the next page */
    PB_ISSUE_LAST_ONLY,     /* closing matter only the last leaflet sets (the pairs after the
                             * last section's list, or its notes): lines [line, value] */
    PB_ISSUE_LOOSE_GAP,     /* a loose line by its gaps between Han and Latin: the widest (em) */
    PB_ISSUE_UNDERFULL,     /* a justified line short of the measure, nothing on it able to
                             * stretch (TeX's underfull box): em short */
    PB_ISSUE_NOTE_APART,    /* a note mark a leaflet prints whose note it does not: line, the
                             * mark's pair; value, the note's line; other, its section */
    PB_ISSUE_NOTE_ALONE,    /* a note a leaflet prints whose mark its text does not have: line,
                             * the note's pair; value, the mark's first line elsewhere (0: none);
                             * other, that line's section */
    PB_ISSUE_RUBY_OFF,      /* a line whose rubies stand off their bases' centres: value, the
                             * farthest (pt); count, how many are */
    PB_ISSUE_TIE_BROKEN,    /* a line ends inside what a tie keeps together (a dimension, an
                             * amount and its currency, a number's digit groups, a date): value,
                             * the tie's penalty; next, the piece after it; before, the text
                             * up to it */
    PB_ISSUE_KEEP_OVER,     /* a {keep} pair taller than a page, broken over pages: value, its
                             * lines (rows in columns); count, the lines a page holds */
    PB_ISSUE_HEAD_OVER,     /* a title or heading pair taller than a page, broken over pages:
                             * value, its lines; room, the text block's height (pt); count, 1
                             * for the title */
    PB_ISSUE_HEAD_LONG,     /* a heading of more lines than a heading takes (vlist.h
                             * PB_HEAD_LINES_MAX) in one language: value, its lines there */
    PB_ISSUE_EVERY_UNCITED, /* {every} notes a leaflet sets whose marks its text does not have:
                             * line, the first's pair; value, how many */
    PB_ISSUE_HOST_BROKEN,   /* a line ends inside an address's host name after what reads as a
                             * whole address (www.deepblue | -ocean.cn): value, the break's
                             * penalty; next and before as for a tie */
    PB_ISSUE_VERSE_OVER,    /* a short verse (a set-apart pair of few lines, galley.h
                             * PB_GALLEY_VERSE_LINES) taller than a page, broken over pages:
                             * value, its lines (rows in columns); count, the lines a page
                             * holds */
    PB_ISSUE_TIGHT,         /* a line shrunk past what a typesetter accepts: its word spaces
                             * narrower than TeX lets them shrink, or a Chinese line's Latin
                             * letters narrowed: value, em taken from its natural width;
                             * word_min, word_share, letters, marks_em as the line's
                             * (compose.h pb_cline); before, the line's end */
    PB_ISSUE_CAPITAL_HYPHEN, /* a line ends with a capitalised word's hyphen or a romanized
                             * name's (the last resort: Bass- | nett): value, the break's
                             * penalty; next and before as for a tie */
    PB_ISSUE_CUT            /* a line ends at a last-resort cut between two characters of a
                             * word, code or run with no break or hyphenation point there
                             * (12345 | 6789 reads as two numbers): value, the break's penalty;
                             * before, the text up to it, next, the few characters after it;
                             * count, 1 when a hyphen is drawn there (a word too long for the
                             * patterns) */
} pb_issue_kind;

typedef struct {
    pb_issue_kind kind;
    int line;               /* source line of the block */
    size_t page;            /* 0-based page it ended up on */
    double value;           /* overfull: pt past the measure; loose: its widest word space or
                             * gap between Han and Latin (em); spaced: its ideographs' pitch
                             * (em); overflow: pages; left out: the last source line; short
                             * page: the share of the text block left empty at its foot;
                             * underfull: em short of the measure */
    const uint32_t *next;   /* loose, spaced, underfull: the piece the next line starts with (borrowed
                             * from the block), which the line could not take; NULL: none */
    size_t next_len;
    size_t next_hyph_len;   /* the longest head of next up to a hyphenation point the line could
                             * have held with its hyphen (code points; 0: none) */
    double lack, next_w;    /* loose, spaced: em the line lacked of the measure; the piece's */
    double next_over;       /* em: the line with the piece, shrunk, past the measure (<= 0: it
                             * fitted, and was left for the lines below) */
    double room;            /* head over: the text block's height (pt) */
    int next_penalty;       /* the penalty of a break after the piece (> 0: a tie) */
    int next_host;          /* that break leaves a whole-looking address (pb_cline.next_host) */
    int why;                /* spaced, the piece fitted: what taking it would have cost below
                             * (PB_WHY_*, compose.h; pb_cline.why) */
    int why_line;           /* that line, counted from this one (pb_cline.why_line) */
    unsigned why_lines;     /* lines spaced there (pb_cline.why_lines) */
    double why_value;       /* the pitch (em) or the penalty there (pb_cline.why_value) */
    const uint32_t *why_next; /* the piece that line could not take, or after its break (borrowed
                             * from the block; NULL: none) */
    size_t why_len;
    const uint32_t *before; /* tie broken: the text before the break; tight: the line's end
                             * (borrowed from the block) */
    size_t before_len;
    const uint32_t *mark;   /* a note apart or alone: its mark (borrowed from the block) */
    size_t mark_len;
    int other;              /* a note apart or alone: the section (leaflet) of the other half,
                             * 0: the preamble (or none) */
    unsigned count;         /* ruby off: the line's rubies more than PB_RUBY_OFF_SHOWN off;
                             * keep and verse over: the lines a page holds; head over: 0 a heading, 1
                             * the title, 2 a level-2 heading */
    unsigned pairs;         /* keep over: 1 (a pair), or the {keep} pairs of a run in a row */
    unsigned wide, edge;    /* ruby off: of them, in a group too wide for its bases, flush with
                             * a line edge (allowed; the rest are defects) */
    int cause;              /* short page: the rule that ended it (vlist.h pb_vwhy; NONE: the
                             * pages after it, not a rule at its foot) */
    int cause_line;         /* short page: the source line of the block that rule keeps */
    double word_min;        /* tight: em, its narrowest word space as set (0: none) */
    float word_share;       /* tight: that space's share of its own width */
    float letters;          /* tight: the scale of its Latin letters (1: their own width) */
    float marks_em;         /* tight: em its full-width marks' blanks gave up */
    float gap_ideo;         /* loose, spaced: em, the widest gap between its ideographs, */
    float gap_han_latin;    /* between Han and Latin or digits, and between words as set, each */
    float gap_word;         /* 0 when a reader would not see it as a fault (pageout.c); the
                             * widest of them is the issue's kind and value */
} pb_issue;

/* A running head shortened to fit (for the report). */
typedef struct {
    int section;            /* 0: the title's head */
    int line;               /* source line of the heading (its Chinese block) */
    const uint32_t *text;   /* the head as set, "zh · en" (in the pages' pool) */
    size_t len;
    const char *rule;       /* how it was shortened (a static string) */
    int ellipsis;           /* cut at a word with an ellipsis (also a warning) */
} pb_headnote;

/* How a leaflet's sizes were chosen (pb_pages.scale says the factor; a leaflet on more pages
 * than its layout's is too long for them even at min-scale). */
typedef enum {
    PB_SIZING_OWN = 0,      /* its own: as set, shrunk to fit its pages, or grown to fill; on
                             * more pages: the largest size that takes no more of them */
    PB_SIZING_SERIES        /* the series' one size: the least its leaflets take on their own */
} pb_sizing;

typedef struct {
    pb_page *pages;         /* owned */
    size_t n, cap;
    pb_mark *marks;         /* owned */
    size_t n_marks, cap_marks;
    uint32_t **pool;        /* owned texts the glyphs point into (folios) */
    size_t n_pool, cap_pool;
    pb_issue *issues;       /* owned */
    size_t n_issues, cap_issues;
    size_t n_ruby;          /* rubies set on the pages */
    double ruby_off;        /* pt: the farthest a ruby's centre stands from its base's */
    pb_headnote *heads;     /* owned: the running heads shortened */
    size_t n_heads, cap_heads;
    double scale;           /* size factor used (leaflet fit), 1 otherwise */
    pb_sizing sizing;       /* a leaflet: how scale was chosen */
    double grown_fill;      /* a one-page leaflet grown (its own size) whose text still takes less
                             * of its text block than pagebuild.c's LEAFLET_FILL_SHARE: the
                             * share it takes; 0: it fills it, or is not grown */
    double over;            /* pt: a leaflet over its pages: its text's height past their room
                             * (at scale; what must go for it to fit, the rules aside) */
    double over_lines;      /* over in lines of its body text (over / the scaled leading) */
    double last_fill;       /* a leaflet over its pages: the share of its last page's text
                             * block its text takes */
    double fits_at;         /* a leaflet over its pages: the largest size factor below its
                             * layout's floor at which it would fit them; 0: none down to
                             * PB_LAYOUT_MIN_SCALE_FLOOR */
    size_t bound_from;      /* saddle stitch: pages [bound_from, n) were added by the binding
                             * (blank, or the colophon); 0: none added */
    size_t sheet_lines;     /* saddle stitch: the text lines of the last page made, when they
                             * are few (a fifth of a page or less) and that page alone costs a
                             * sheet, or when a few lines less would save that sheet; 0: none
                             * (warned of by binding.c) */
    size_t sheet_cut;       /* saddle stitch: the fewest lines (at most a fifth of a page's) by
                             * which the last page but one running long (or the text of the last
                             * two pages cut) makes a page fewer, where the last page costs a
                             * sheet; 0: none that few */
    int tightened;          /* a leaflet at its least size whose last page takes what went over
                             * by giving up space between its blocks (at most a third of each) */
    pb_block *blocks;       /* owned: text the pages set that is not the document's (the
                             * colophon); their lines' pb_pline.block point here */
    size_t n_blocks;
} pb_pages;

/* What a booklet's colophon says besides the title ([impose] colophon). */
typedef struct {
    long long date;         /* s since 1970: the date the archive uses; <= 0: none */
    const uint8_t *sha256;  /* the corpus's SHA-256, 32 bytes; NULL: none */
} pb_colophon;

/* Where pb_pagebuild_doc hands the pages on as it makes them (the PDF writer), so that a long
 * document's pages are not all held at once. Each returns a status; a failure ends the product
 * (said by the sink). */
typedef struct {
    /* first: the pages and bookmarks the product will have */
    pb_status (*begin)(void *ctx, size_t n_pages, size_t n_marks);
    /* then the glyphs of every page that draws any, as it will draw them (not where), in page
     * order */
    pb_status (*record)(void *ctx, const pb_page *page);
    /* then each page of pages once it is final, in order: its glyphs and lines go once it
     * returns (reused for the next page; the page's other fields stay) */
    pb_status (*page)(void *ctx, pb_pages *pages, size_t i);
    void *ctx;
} pb_page_sink;

/* The whole document as the layout's product says: a booklet (optional cover, running heads,
 * folios) or parallel columns (Chinese left, English right, each pair starting level); bound
 * as [impose] binding says (binding.h), colophon (may be NULL) saying what its colophon does.
 * With a sink (may be NULL), the pages go to it as they are made: what each text page draws is
 * read from the galley to be recorded (nothing placed), then the pages are placed one by one,
 * each handed on and its paragraphs freed (a product with a colophon, which is set last, is made whole first). */
pb_status pb_pagebuild_doc(const pb_doc *doc, const pb_layout *layout, pb_fontset *fonts,
                           const pb_colophon *colophon, const pb_page_sink *sink,
                           pb_pages *out);
/* One leaflet: the title pair, the preamble's last pair as an intro line, and section
 * (1..n_sections). series > 0: at that size factor (the series' size, from
 * pb_pagebuild_leaflet_series); else at its own, by the fit rule: full size when it fits the
 * layout's page count; else shrunk (down to min-scale) until it fits; a section too long even
 * there is set on more pages at the largest size that takes no more of them (full size when
 * as many); a one-page leaflet that leaves its page short grows (up to max-scale). Overflow is
 * a warning at the section's heading and an issue for the report, never silent. *scale_out
 * (may be NULL) receives the factor used. */
pb_status pb_pagebuild_leaflet(const pb_doc *doc, const pb_layout *layout, pb_fontset *fonts,
                               int section, double series, pb_pages *out, double *scale_out);
/* The one size of a document's leaflets ([leaflet] one-size, more than one section: leaflets
 * printed as a series share their kicker, headline and text sizes): the least of the sizes
 * each takes on its own, so that every leaflet that fits its pages still does. *scale = 0:
 * each leaflet its own size. */
pb_status pb_pagebuild_leaflet_series(const pb_doc *doc, const pb_layout *layout,
                                      pb_fontset *fonts, double *scale);
/* How far a leaflet over its layout's pages is over, in words for the warning and the report
 * (its text's excess in lines and in a share of a page, how full its last page is, the size at
 * which it would fit). buf holds PB_PAGEBUILD_OVER_MAX bytes. */
#define PB_PAGEBUILD_OVER_MAX 320
/* pages->fits_at as said (JSON "fits_at" too): rounded down to three places, so that a
 * min-scale of that figure lets the leaflet fit. */
#define PB_PAGEBUILD_FITS_PLACES 1000.0
double pb_pagebuild_fits_at(const pb_pages *pages);
void pb_pagebuild_over_text(const pb_pages *pages, const pb_layout *layout, char *buf,
                            size_t size);
void pb_pagebuild_free(pb_pages *pages);

#endif
