/* ruby: shaping pinyin and making room for it (clreq #positioning_of_romanization,
 * 2024-03-21: ruby centred over its base, set
 * solid at about half the text size; neighbouring annotations keep at least 1/4 em apart and
 * overhang adjacent characters only within that). */
#include "ruby.h"
#include "util.h"

#define RUBY_GLYPHS_FIRST 256 /* ruby glyphs a paragraph has room for before it grows */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "itemize.h"
#include "uchar.h"

/* A ruby may reach over a neighbouring character that has no ruby by up to half its em (the
 * 1-ruby-character overhang of JIS X 4051:2004 §5.3), so long pinyin does not open
 * holes in the line. */
#define OVERHANG_EM 0.5
#define RUBY_GAP_EM PB_RUBY_GAP_EM

void pb_ruby_free(pb_rubies *r)
{
    free(r->v);
    pb_shape_free_glyphs(&r->glyphs);
    pb_itemize_free(&r->runs);
    memset(r, 0, sizeof *r);
}

pb_status pb_ruby_shape(pb_shaper *sh, pb_fontset *fonts, const pb_block *b, const char *file,
                        double ruby_size, pb_rubies *out)
{
    out->n = 0;
    out->glyphs.n = 0;
    out->size = ruby_size;
    out->ink_top = out->ink_bottom = 0;
    out->min_scale = PB_RUBY_MIN_SCALE;
    if (out->cap < b->n_annots) {
        pb_ruby *v = realloc(out->v, b->n_annots * sizeof *v);
        if (!v)
            return pb_diag_oom("shaping ruby");
        out->v = v;
        out->cap = b->n_annots;
    }
    pb_glyphs one = {0};
    pb_status st = PB_OK;
    for (size_t i = 0; i < b->n_annots && st == PB_OK; i++) {
        const pb_annot *a = &b->annots[i];
        if (a->base >= b->len || a->len == 0)
            continue;
        uint32_t *cols = malloc(a->len * sizeof *cols);
        if (!cols) {
            st = pb_diag_oom("shaping ruby");
            break;
        }
        for (size_t k = 0; k < a->len; k++)
            cols[k] = (uint32_t)(a->col + 1 + k); /* the pinyin starts after the '(' */
        pb_block pb = {0};
        pb.kind = PB_BLOCK_PARA;
        pb.lang = PB_LANG_EN;
        pb.text = a->text;
        pb.len = a->len;
        pb.col = cols;
        pb.line = a->line;
        st = pb_itemize_block(&pb, 0, fonts, file, &out->runs);
        if (st == PB_OK)
            st = pb_shape_runs(sh, a->text, a->len, &out->runs, &one);
        free(cols);
        if (st != PB_OK)
            break;
        if (pb_util_grow(&out->glyphs.g, &out->glyphs.cap, out->glyphs.n + one.n,
                         sizeof *out->glyphs.g, RUBY_GLYPHS_FIRST)) {
            st = pb_diag_oom("shaping ruby");
            break;
        }
        pb_ruby *r = &out->v[out->n++];
        r->base = a->base;
        r->g0 = out->glyphs.n;
        r->text = a->text;
        r->len = a->len;
        r->width = 0;
        r->scale = 1;
        for (size_t k = 0; k < one.n; k++) {
            out->glyphs.g[out->glyphs.n++] = one.g[k];
            double scale = ruby_size / pb_font_get_upem(one.g[k].font);
            r->width += one.g[k].x_advance * scale;
            int32_t y0, y1;
            pb_font_get_ink_y(one.g[k].font, one.g[k].gid, &y0, &y1);
            if (y1 * scale > out->ink_top)
                out->ink_top = y1 * scale;
            if (y0 * scale < out->ink_bottom)
                out->ink_bottom = y0 * scale;
        }
        r->g1 = out->glyphs.n;
    }
    pb_shape_free_glyphs(&one);
    return st;
}

/* The glyph standing for code point cp (first of its cluster), or -1. */
static long glyph_of(const pb_glyphs *g, size_t cp, size_t *hint)
{
    size_t i = *hint;
    while (i < g->n && g->g[i].cluster < cp)
        i++;
    *hint = i;
    return i < g->n && g->g[i].cluster == cp ? (long)i : -1;
}

/* Condense ruby v by up to want pt, not below min of its solid width; returns how much
 * narrower it became. A ruby that cannot give all of want ends exactly at the floor
 * (scale = min), so the caller's loop never picks it again. */
static double condense(pb_ruby *v, double want, double min)
{
    double solid = v->width / v->scale;
    double room = v->width - solid * min;
    if (room <= want) {
        v->width = solid * min;
        v->scale = min;
        return room > 0 ? room : 0;
    }
    v->width -= want;
    v->scale = v->width / solid;
    return want;
}

/* Rubies over consecutive bases make a group: together they may use their bases and half an
 * em over each plain neighbour at the group's ends (placement shifts rubies along the group,
 * keeping the gap between them). What still does not fit is first taken from the rubies,
 * condensed widest first, then spread over the group's bases alike, each base centred in its
 * share (so the Chinese line gets even spacing, not one hole). */
pb_status pb_ruby_make_room(pb_rubies *r, pb_glyphs *g, double size)
{
    double gap = RUBY_GAP_EM * r->size;
    double allow = OVERHANG_EM * size;
    long *k = malloc((r->n ? r->n : 1) * sizeof *k);
    if (!k)
        return pb_diag_oom("making room for ruby");
    size_t hint = 0;
    for (size_t i = 0; i < r->n; i++)
        k[i] = glyph_of(g, r->v[i].base, &hint);
    size_t i = 0;
    while (i < r->n) {
        if (k[i] < 0) {
            i++;
            continue;
        }
        size_t j = i + 1;
        while (j < r->n && k[j] >= 0 && r->v[j].base == r->v[j - 1].base + 1)
            j++;
        double bases = 0, rubies = gap * (double)(j - i - 1);
        for (size_t m = i; m < j; m++) {
            bases += g->g[k[m]].x_advance * size / pb_font_get_upem(g->g[k[m]].font);
            rubies += r->v[m].width;
        }
        double lack = rubies - bases - 2 * allow;
        /* condense the widest ruby that still can be: each step either meets the lack (the
         * loop ends) or brings one ruby to the floor, where it stays, so there are at most
         * j - i steps whatever the rounding (a lack of 1e-16 pt once took none off a 4 pt
         * ruby, forever) */
        for (size_t step = 0; lack > 0 && step < j - i; step++) {
            size_t widest = j;
            for (size_t m = i; m < j; m++)
                if (r->v[m].scale > r->min_scale &&
                    (widest == j || r->v[m].width > r->v[widest].width))
                    widest = m;
            if (widest == j)
                break;
            double want = lack;
            double got = condense(&r->v[widest], want, r->min_scale);
            lack = got < want ? lack - got : 0;
        }
        if (lack > 0) {
            double each = lack / (double)(j - i); /* pt more for every base of the group */
            for (size_t m = i; m < j; m++) {
                pb_glyph *base = &g->g[k[m]];
                double upem = pb_font_get_upem(base->font);
                base->x_advance += (int32_t)(each * upem / size + 0.5);
                base->x_offset += (int32_t)(each / 2 * upem / size + 0.5);
            }
        }
        i = j;
    }
    free(k);
    return PB_OK;
}

/* Where slot q's ruby may reach without overhanging more than OVERHANG_EM of the base size over
 * a plain neighbour, nor past the line's edge: [*lo, *hi]. A side with a ruby'd base next to it
 * is bounded by that ruby instead (the gap), so it is open here. */
static void room_of(const pb_ruby_slot *s, size_t q, size_t n, double line_w, double allow,
                    double *lo, double *hi)
{
    int left_ruby = q > 0 && s[q].after_base, right_ruby = q + 1 < n && s[q + 1].after_base;
    *lo = left_ruby ? -HUGE_VAL : s[q].base_x0 - allow;
    *hi = right_ruby ? HUGE_VAL : s[q].base_x1 + allow;
    if (*lo < 0)
        *lo = 0;
    if (*hi > line_w)
        *hi = line_w;
}

/* Slot q's ruby centred on its base, pushed inside [lo, hi] where it reaches past one end. */
static double centred_x(const pb_rubies *r, const pb_ruby_slot *s, size_t q, double lo, double hi)
{
    double w = r->v[s[q].ruby].width;
    double x = (s[q].base_x0 + s[q].base_x1) / 2 - w / 2;
    if (x + w > hi)
        x = hi - w;
    if (x < lo)
        x = lo;
    return x;
}

/* Condensing steps for two rubies that come too close: each takes the overlap off the wider,
 * whose near edge moves by at least half of it, so a few dozen leave less than any rounding. */
#define PAIR_STEPS 40
#define PLACE_EPS 1e-6 /* pt */
/* How much more a ruby that can be centred weighs than one that cannot (in a group too wide
 * for its bases) in the least-squares placement: enough that the shift goes to the latter,
 * the former moving by a millionth of it (PB_RUBY_CENTRED_EPS keeps it centred). */
#define CENTRABLE_WEIGHT 1e6

/* Rubies of slots q and q + 1, both condensed to the floor and centred, come closer than the
 * gap: no placement centres both. */
static int pair_too_wide(const pb_rubies *r, const pb_ruby_slot *s, size_t q, double gap)
{
    const pb_ruby *a = &r->v[s[q].ruby], *b = &r->v[s[q + 1].ruby];
    double wa = a->width / a->scale * r->min_scale, wb = b->width / b->scale * r->min_scale;
    double pitch = (s[q + 1].base_x0 + s[q + 1].base_x1 - s[q].base_x0 - s[q].base_x1) / 2;
    return wa / 2 + gap + wb / 2 > pitch + PLACE_EPS;
}

/* A block of the pool-adjacent-violators pass: slots [q0, q1) set at one shared offset. */
typedef struct {
    size_t q0, q1;
    double w, wt;   /* the sum of the weights, of weight times target */
    double lo, hi;  /* the offsets every slot's room allows */
    double elo, ehi; /* the offsets the line's edges allow */
} place_block;

static double clamp(double v, double lo, double hi) { return v > hi ? hi : v < lo ? lo : v; }

/* A block's offset: the weighted mean, within its room; where the room is empty (a group too
 * wide for its bases, by the line's edge) the overhang gives way, not the edge; a row too
 * full for its line keeps its start. */
static double block_at(const place_block *k)
{
    double v = k->wt / k->w;
    v = k->lo <= k->hi ? clamp(v, k->lo, k->hi) : clamp(v, k->hi, k->lo);
    if (v > k->ehi)
        v = k->ehi;
    return v < k->elo ? k->elo : v;
}

/* The placement closest (least squares, weighted) to every ruby centred, keeping the gap
 * between neighbours and each ruby in its room. With z = x - (the widths and gaps before it),
 * the gaps say z does not decrease along the line: isotonic regression, solved exactly by
 * pooling adjacent violators (each slot's loss is convex: its square, and its room), as in
 * Best and Chakravarti, Math. Programming 47 (1990). */
static void place_least_squares(const pb_rubies *r, pb_ruby_slot *s, size_t n, double line_w,
                                double allow, double gap, const double *weight, place_block *k)
{
    size_t nk = 0;
    double before = 0; /* pt: the widths and gaps of the rubies before slot q */
    for (size_t q = 0; q < n; q++) {
        double w = r->v[s[q].ruby].width, lo, hi;
        room_of(s, q, n, line_w, allow, &lo, &hi);
        double t = (s[q].base_x0 + s[q].base_x1) / 2 - w / 2 - before;
        k[nk++] = (place_block){q,           q + 1,  weight[q],          weight[q] * t,
                                lo - before, hi - w - before, -before, line_w - w - before};
        while (nk > 1 && block_at(&k[nk - 2]) > block_at(&k[nk - 1]) + PLACE_EPS) {
            place_block *p = &k[nk - 2], *c = &k[nk - 1];
            p->q1 = c->q1;
            p->w += c->w;
            p->wt += c->wt;
            p->lo = fmax(p->lo, c->lo);
            p->hi = fmin(p->hi, c->hi);
            p->elo = fmax(p->elo, c->elo);
            p->ehi = fmin(p->ehi, c->ehi);
            nk--;
        }
        before += w + gap;
    }
    before = 0;
    for (size_t b = 0; b < nk; b++) {
        double z = block_at(&k[b]);
        for (size_t q = k[b].q0; q < k[b].q1; q++) {
            s[q].x = z + before;
            before += r->v[s[q].ruby].width + gap;
        }
    }
}

/* Why slot q's ruby is where it is. */
static pb_ruby_cause cause_of(const pb_rubies *r, const pb_ruby_slot *s, size_t q, size_t n,
                              double line_w, double gap)
{
    double w = r->v[s[q].ruby].width;
    if (fabs(s[q].x + w / 2 - (s[q].base_x0 + s[q].base_x1) / 2) <= PB_RUBY_CENTRED_EPS)
        return PB_RUBY_CENTRED;
    if (r->v[s[q].ruby].scale > r->min_scale + PLACE_EPS)
        return PB_RUBY_UNCONDENSED; /* condensing comes before shifting */
    if (s[q].x <= PB_RUBY_CENTRED_EPS || s[q].x + w >= line_w - PB_RUBY_CENTRED_EPS)
        return PB_RUBY_EDGE;
    if ((q > 0 && pair_too_wide(r, s, q - 1, gap)) || (q + 1 < n && pair_too_wide(r, s, q, gap)))
        return PB_RUBY_WIDE;
    if ((q > 0 && s[q].x - s[q - 1].x - r->v[s[q - 1].ruby].width <= gap + PB_RUBY_CENTRED_EPS) ||
        (q + 1 < n && s[q + 1].x - s[q].x - w <= gap + PB_RUBY_CENTRED_EPS))
        return PB_RUBY_PUSHED;
    return PB_RUBY_OTHER;
}

pb_status pb_ruby_place_line(pb_rubies *r, pb_ruby_slot *s, size_t n, double line_w, double size)
{
    double gap = RUBY_GAP_EM * r->size, allow = OVERHANG_EM * size;
    if (n == 0)
        return PB_OK;
    /* condense a ruby that centred would reach past its room (bases, overhang, the line's
     * edge) by twice that, what centring it needs ... */
    for (size_t q = 0; q < n; q++) {
        double lo, hi;
        room_of(s, q, n, line_w, allow, &lo, &hi);
        pb_ruby *v = &r->v[s[q].ruby];
        double c = (s[q].base_x0 + s[q].base_x1) / 2;
        double past = fmax(c + v->width / 2 - hi, lo - (c - v->width / 2));
        if (past > 0)
            condense(v, 2 * past, r->min_scale);
    }
    /* ... and two that come closer than the gap, the wider first */
    for (size_t q = 1; q < n; q++) {
        for (int step = 0; step < PAIR_STEPS; step++) {
            double lo0, hi0, lo1, hi1;
            room_of(s, q - 1, n, line_w, allow, &lo0, &hi0);
            room_of(s, q, n, line_w, allow, &lo1, &hi1);
            pb_ruby *a = &r->v[s[q - 1].ruby], *b = &r->v[s[q].ruby];
            double d = centred_x(r, s, q - 1, lo0, hi0) + a->width + gap - centred_x(r, s, q, lo1, hi1);
            if (d <= PLACE_EPS)
                break;
            int a_can = a->scale > r->min_scale, b_can = b->scale > r->min_scale;
            pb_ruby *w = a_can && (!b_can || a->width >= b->width) ? a : b_can ? b : NULL;
            if (!w)
                break;
            condense(w, d, r->min_scale);
        }
    }
    /* then shifted: rubies that cannot be centred take it */
    double *weight = malloc(n * sizeof *weight);
    place_block *k = malloc(n * sizeof *k);
    if (!weight || !k) {
        free(weight);
        free(k);
        return pb_diag_oom("placing ruby");
    }
    for (size_t q = 0; q < n; q++)
        weight[q] = (q > 0 && pair_too_wide(r, s, q - 1, gap)) ||
                            (q + 1 < n && pair_too_wide(r, s, q, gap))
                        ? 1
                        : CENTRABLE_WEIGHT;
    place_least_squares(r, s, n, line_w, allow, gap, weight, k);
    for (size_t q = 0; q < n; q++)
        s[q].cause = cause_of(r, s, q, n, line_w, gap);
    free(weight);
    free(k);
    return PB_OK;
}

/* Longest pinyin syllable (zhuang, chuang, shuang) and room to spare. */
#define PINYIN_MAX 7

static int is_open(uint32_t c) { return c == '(' || c == 0xFF08; }
static int is_close(uint32_t c) { return c == ')' || c == 0xFF09; }

pb_status pb_ruby_check_inline(const pb_doc *doc, const char *file)
{
    pb_status st = PB_OK;
    for (size_t i = 0; i < doc->n_blocks; i++) {
        const pb_block *b = &doc->blocks[i];
        for (size_t k = 0; k < b->len; k++) {
            if (!is_open(b->text[k]))
                continue;
            size_t j = k + 1;
            int tone = 0;
            /* a tone mark is what tells pinyin from an English word in parentheses */
            while (j < b->len && j - k <= PINYIN_MAX && pb_uchar_pinyin_base(b->text[j], &tone))
                j++;
            if (j > k + 1 && j < b->len && is_close(b->text[j]) && tone) {
                pb_diag_error(file, b->line, (int)b->col[k],
                              "pinyin annotation left inline (not after a Han character)");
                st = PB_EINPUT;
            }
        }
    }
    return st;
}
