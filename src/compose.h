/* compose: sets one block as lines (itemize -> shape -> nodes -> linebreak -> positions).
 * Takes a pb_block, a style and the measure; returns a pb_para: lines of placed glyphs with
 * x positions relative to the line start, every glyph knowing its font, size and source text. */
#ifndef PB_COMPOSE_H
#define PB_COMPOSE_H

#include <stddef.h>
#include <stdint.h>

#include "corpus.h"
#include "fonts.h"
#include "layout.h"

/* START: a flush-left block of fields or a display line (balanced lines, no hyphens); RAGGED:
 * running text set flush left (filled lines with a rag, hyphens sparingly) */
typedef enum {
    PB_ALIGN_JUSTIFIED = 0,
    PB_ALIGN_START,
    PB_ALIGN_CENTER,
    PB_ALIGN_END,
    PB_ALIGN_RAGGED
} pb_line_align;

/* A ruby centred on its base within this (pt) is centred (clreq #h-ruby, 2024-03-21: mono-ruby
 * centred over its base); past it, the report lists its line. */
#define PB_RUBY_OFF_SHOWN 0.5

/* em: space between two ideographs a reader sees. Normal visual acuity (decimal 1.0: the
 * Landolt ring of ISO 8596, the Snellen chart's 6/6 line) resolves one minute of arc; at a
 * reading distance of 350 mm that is 0.10 mm, 0.29 pt: 0.029 em of the 10 pt body text of the
 * booklet and the parallel (0.026 em of the archive's 11 pt). Less letter-spacing is not seen,
 * and the report leaves it out; a Han-Latin gap and a word space, never nothing, are measured
 * against their own stretch instead (pageout.c). */
#define PB_GAP_SEEN_EM 0.03

/* A measure no line reaches (pt): a line set at its natural width (running heads, bullets,
 * the colophon before it is sized), placed by its caller's own rule. */
#define PB_COMPOSE_UNBOUNDED 1e6

typedef struct {
    int bold;               /* use the bold roles */
    double size;            /* pt */
    double indent;          /* pt, first line */
    pb_line_align align;
} pb_style;

typedef struct {
    pb_font *font;          /* borrowed */
    float size;             /* pt */
    float x;                /* pt from the line's start */
    float dy;               /* pt, baseline shift (HarfBuzz y offset) */
    uint32_t gid;           /* glyph id = CID */
    const uint32_t *text;   /* borrowed from the block: the code points this glyph stands for */
    uint16_t ntext;         /* 0 for a glyph that continues a cluster */
    uint8_t ruby;           /* 1: a ruby glyph (its text is not part of the running text) */
    uint8_t ruby_first;     /* 1: the first glyph of its annotation */
    float hscale;           /* horizontal scale of the glyph (font expansion); 1: none */
    uint8_t artifact;       /* PB_ARTIFACT_*: not part of the text (drawn as an outline) */
    const pb_link *link;    /* borrowed from the block: the link this glyph is part of, or NULL */
} pb_pglyph;

/* Glyphs that are not text (pb_pglyph.artifact, pb_gpos.artifact; ISO 32000-1 §14.8.2.2). */
enum {
    PB_ARTIFACT_NONE = 0,
    PB_ARTIFACT_PAGINATION = 1, /* running heads and folios */
    PB_ARTIFACT_LAYOUT = 2      /* decoration of the text: emphasis dots, list bullets */
};

typedef struct {
    size_t g0, g1;          /* glyphs [g0, g1) of the para */
    double width;           /* pt, the set width (measure for justified lines) */
    double measure;         /* pt, the measure it was set in (PB_COMPOSE_UNBOUNDED: none) */
    double ratio;           /* glue adjustment used (for the trace and checks) */
    int last;               /* last line of the paragraph */
    double ruby_h;          /* pt the line's ruby needs above the em box (0: no ruby) */
    int overfull;           /* the breaker could not keep it within the measure */
    double excess;          /* pt its glyphs reach past the measure (0: within it) */
    int hyphen;             /* it ends with a hyphen the breaker added */
    double spacing;         /* em: space added between two ideographs (letter-spacing) */
    double word_space;      /* em: its widest word space as set */
    double han_latin;       /* em: its widest gap between Han and Latin or digits as set */
    double word_min;        /* em: its narrowest word space as set (0: none) */
    float word_share;       /* that space's share of its own width (1: as the font has it; a
                             * shrunk line's, 1 - its shrink taken) */
    float letters;          /* the scale its expanded or condensed Latin letters were set at
                             * (1: their own width) */
    float marks_em;         /* em: what its full-width marks' blanks gave up (a shrunk line) */
    float squeeze;          /* em: what a shrunk line took from its natural width (0: none) */
    uint16_t n_ruby;        /* rubies set over its bases */
    uint16_t n_ruby_off;    /* of them, centred more than PB_RUBY_OFF_SHOWN off their base */
    uint16_t n_ruby_wide;   /* of those, in a group too wide for its bases (PB_RUBY_WIDE) */
    uint16_t n_ruby_edge;   /* of those, flush with a line edge (PB_RUBY_EDGE); the rest of
                             * n_ruby_off are placement defects */
    float ruby_off;         /* pt: the largest distance of a ruby's centre from its base's */
    size_t next0, next1;    /* code points [next0, next1) of the block: the piece the next
                             * line starts with, up to its first break (next0 == next1: none) */
    size_t next_hyph;       /* code point: [next0, next_hyph) is the longest head of that piece
                             * up to a hyphenation point the line could have held with its
                             * hyphen, all shrunk (0: none) */
    double lack;            /* em: what its natural width lacked of the measure (stretched) */
    double short_by;        /* em: a justified line (not the last) its glyphs and glue leave short
                             * of the measure, nothing on it able to stretch further (0: none) */
    double next_w;          /* em: that piece's natural width */
    double next_over;       /* em: how far the line with that piece on it, all its glue and
                             * letters shrunk, would run past the measure (<= 0: it fits, and
                             * was left for the lines after it) */
    int next_penalty;       /* the penalty of a break after that piece (> 0: a tie, a dear break) */
    int next_host;          /* that break would end the line with what reads as a whole address
                             * (pb_node.host) */
    int broke_host;         /* the penalty of the break the line ends at inside an address's
                             * host name, after what reads as a whole address (www.deepblue |
                             * -ocean.cn), 0: none */
    int broke_at;           /* the penalty of the break the line ends at before an e-mail
                             * address's @ (pb_node.before_at: "e-mail office" | "@spcps.edu.hk"
                             * reads as prose), 0: none */
    int broke_tie;          /* the penalty of a tie the line ends at, broken (45.5 × | 60 cm,
                             * RMB | 21,400, 30 | 分钟), 0: none; the piece after it starts at next0 */
    int broke_cut;          /* the penalty of a last-resort cut the line ends at (nodes.c
                             * pb_node.last_resort: between two characters of a code, a word
                             * too long for the patterns, a URL's word or any run no break may
                             * fall in, where it is wider than the line), 0: none */
    int cut_hyphen;         /* that cut draws a hyphen (a word too long for the patterns) */
    int broke_capital;      /* the penalty of a capitalised word's hyphen or a romanized name's
                             * the line ends at (Bass- | nett, Chih- | ming: the last resort,
                             * nodes.c CAPITAL_HYPHEN_PENALTY), 0: none */
    int why;                /* a letter-spaced line whose next piece fitted: what taking it
                             * would have done to the lines below, the breaker's setting with
                             * this line ending elsewhere (PB_WHY_*; PB_WHY_NONE: not asked) */
    int why_line;           /* that line, counted from this one (1: the next; 0: this one run
                             * on; < 0: one above, set again) */
    unsigned why_lines;     /* PB_WHY_SPACED: the lines letter-spaced in that setting, from the
                             * first it sets apart */
    double why_value;       /* PB_WHY_SPACED: the pitch of that line's ideographs (em), the most
                             * spaced; PB_WHY_TIE, PB_WHY_HOST: the penalty of its break */
    size_t why0, why1;      /* code points: the piece that line could not take, or (tie, host)
                             * the one after its break (why0 == why1: none) */
} pb_cline;

/* What taking the piece a letter-spaced line left would have cost the lines below (pb_cline.why) */
enum {
    PB_WHY_NONE = 0,
    PB_WHY_SPACED,          /* a line below letter-spaced as much or more */
    PB_WHY_TIE,             /* a tie broken (a number and its unit, a date, a name) */
    PB_WHY_HOST,            /* an address broken after what reads as a whole one */
    PB_WHY_OVERFULL,        /* a line past the measure */
    PB_WHY_LONE,            /* one ideograph alone on the paragraph's last line */
    PB_WHY_LONGER,          /* the paragraph a line longer */
    PB_WHY_WORSE            /* the lines below tighter or looser, by the breaker's demerits */
};

/* The kinds of gap a justified line opens to fill its measure (pb_compose_gaps_shown). */
typedef enum {
    PB_GAP_IDEO = 0,        /* between two ideographs: letter-spacing */
    PB_GAP_HAN_LATIN,       /* between Han and Latin letters or digits */
    PB_GAP_WORD,            /* a word space */
    PB_GAP_KINDS
} pb_gap_kind;

typedef struct {
    pb_pglyph *g;           /* owned */
    size_t n, cap;
    pb_cline *lines;        /* owned */
    size_t n_lines, cap_lines;
    const pb_block *block;  /* borrowed: the block set (NULL for a running head or folio) */
} pb_para;

typedef struct pb_composer pb_composer;

pb_status pb_compose_new(pb_fontset *fonts, const pb_layout *layout, pb_composer **out);
/* Start reading the hyphenation patterns the document's words need on another thread
 * (optional: a run calls it once the corpus is read, so that they load while the fonts do;
 * pb_compose_new waits for them). */
pb_status pb_compose_preload(const pb_doc *doc);
void pb_compose_free(pb_composer *c);
/* Set a block within measure (pt). Problems in the text are reported against file. */
pb_status pb_compose_block(pb_composer *c, const pb_block *block, const char *file,
                           const pb_style *style, double measure, pb_para *out);
void pb_compose_free_para(pb_para *p);
/* The gaps of line l (a justified line, not a paragraph's last) a reader sees as a fault, by
 * kind (em; 0: none, or too small to see): ideographs spaced PB_GAP_SEEN_EM apart or more, a
 * Han-Latin gap or a word space past what its own stretch allows. Returns the kind of the
 * widest, or -1 when none is. */
int pb_compose_gaps_shown(const pb_cline *l, double gaps[PB_GAP_KINDS]);

#endif
