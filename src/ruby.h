/* ruby: pinyin annotations set as ruby over their base characters (clreq
 * #positioning_of_romanization, 2024-03-21).
 * Takes a block's annotations, the shaper and fonts; returns shaped ruby (glyphs, widths), the
 * room each base needs on either side, and places ruby over bases on a set line. */
#ifndef PB_RUBY_H
#define PB_RUBY_H

#include <stddef.h>
#include <stdint.h>

#include "corpus.h"
#include "fonts.h"
#include "shape.h"

typedef struct {
    size_t base;            /* code point index of the base in the block */
    size_t g0, g1;          /* glyphs [g0, g1) of pb_rubies.glyphs */
    const uint32_t *text;   /* the pinyin (borrowed from the pb_annot) */
    size_t len;
    double width;           /* pt, as set: solid at the ruby size, times scale */
    double scale;           /* horizontal scale of its glyphs: 1, or less where condensing the
                             * ruby spares its base a gap (pb_ruby_make_room) */
} pb_ruby;

typedef struct {
    pb_ruby *v;             /* owned, in base order */
    size_t n, cap;
    pb_glyphs glyphs;       /* owned: every ruby's glyphs */
    pb_runs runs;           /* scratch */
    double size;            /* pt, ruby type size */
    double ink_top;         /* pt above the ruby baseline: highest ink of any ruby (tone marks) */
    double ink_bottom;      /* pt, lowest ink (negative: descenders of g, y, p) */
    double min_scale;       /* narrowest a ruby is condensed to (the layout's [ruby] min-scale;
                             * pb_ruby_shape sets PB_RUBY_MIN_SCALE) */
} pb_rubies;

/* Shape every annotation of the block in the Latin role font (Noto Serif has the tone marks)
 * at ruby_size. out is reused between blocks. */
pb_status pb_ruby_shape(pb_shaper *sh, pb_fontset *fonts, const pb_block *b, const char *file,
                        double ruby_size, pb_rubies *out);

/* clreq #positioning_of_romanization (2024-03-21): at least 1/4 em (of the ruby size) between two rubies. */
#define PB_RUBY_GAP_EM 0.25

/* Make room for rubies wider than their bases. Rubies over consecutive bases share their bases
 * and half an em of the text over each plain neighbour at the ends, keeping PB_RUBY_GAP_EM
 * between them (placement moves them apart). Where that is not enough the rubies are first
 * condensed, widest first, down to r->min_scale of their width (scale and width change),
 * and only then do the group's bases widen, alike, each centred (glyphs changed in place). */
pb_status pb_ruby_make_room(pb_rubies *r, pb_glyphs *glyphs, double size);
/* Narrowest a ruby is condensed to unless the layout says ([ruby] min-scale; as InDesign's
 * automatic ruby condensing): a little narrower pinyin reads better than a hole in the Chinese
 * line under it. */
#define PB_RUBY_MIN_SCALE 0.85

/* Why a placed ruby is not centred on its base (pb_ruby_place_line). The first two are the
 * ones clreq allows; the others are placement faults the report counts as defects. */
typedef enum {
    PB_RUBY_CENTRED = 0,    /* centred (within PB_RUBY_CENTRED_EPS) */
    PB_RUBY_EDGE,           /* flush with the line's start or end, condensed to r->min_scale */
    PB_RUBY_WIDE,           /* its group is wider than its bases hold: it and the ruby next to
                             * it, both condensed to r->min_scale and centred, come closer than
                             * PB_RUBY_GAP_EM */
    PB_RUBY_UNCONDENSED,    /* shifted though it could have been condensed further */
    PB_RUBY_PUSHED,         /* moved by a neighbour's ruby, though it and its neighbours could
                             * each be centred */
    PB_RUBY_OTHER           /* off for none of these */
} pb_ruby_cause;
/* pt: a ruby this close to its base's centre is centred (far below anything visible; the
 * least-squares placement leaves rubies it keeps centred about 1e-5 pt off) */
#define PB_RUBY_CENTRED_EPS 1e-3

/* One ruby on a set line (pb_ruby_place_line): where its base is, and where the ruby goes. */
typedef struct {
    size_t ruby;            /* index in pb_rubies.v */
    double base_x0, base_x1; /* pt from the line's start: the base's em box */
    int after_base;         /* its base follows the previous slot's base directly (no plain
                             * character between them) */
    double x;               /* out: pt, the ruby's left edge */
    pb_ruby_cause cause;    /* out: why x is not centred on the base */
} pb_ruby_slot;

/* Place the rubies of one set line, slots in line order, within [0, line_w] at text size size.
 * Each is centred on its base. Where it would reach past the line's edge or more than 1/2 em
 * over a plain neighbour, or come closer than PB_RUBY_GAP_EM to the next, it is condensed
 * first (down to r->min_scale; its scale and width change) as far as centring it needs, and
 * only what is left is shifted: flush at the line's edge, and within a group too wide for its
 * bases by least squares, the rubies that cannot be centred taking the shift (those that can
 * stay put unless the line's edge or the 1/2 em limit leave no room). Sets each slot's cause. */
pb_status pb_ruby_place_line(pb_rubies *r, pb_ruby_slot *s, size_t n, double line_w, double size);

void pb_ruby_free(pb_rubies *r);

/* Ruby mode inline-check: every pinyin annotation must have been lifted out of the text. A
 * parenthesised pinyin syllable left inline (not after a Han character) is reported at
 * file:line:col and gives PB_EINPUT. */
pb_status pb_ruby_check_inline(const pb_doc *doc, const char *file);

#endif
