/* impose: the press sheets of a saddle-stitched booklet. Two pages stand side by side on a
 * landscape sheet, meeting at the fold in its middle; the sheets, printed on both sides, nested
 * and folded, give the pages in order. Around the pair: the bleed (the BleedBox), then crop
 * marks at the trim's corners and fold marks at the ends of the spine, all outside the bleed. */
#include "impose.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* 1 mm in points: 72 pt to the inch (ISO 32000-1 §8.3.2.3), 25.4 mm to the inch. */
#define PT_PER_MM (72.0 / 25.4)
/* Pages per sheet: two on each side. */
#define PAGES_PER_SHEET 4
/* A mark begins this far from the trim, or past the bleed when that is wider, so that it
 * neither shows on a page trimmed a little off nor prints into the bled area (6 pt: the
 * offset InDesign's printer's marks take by default). */
#define MARK_OFFSET_MIN 6.0
/* A mark's length: 4 mm is what SRA4 (ISO 217), the sheet for A4 or 2-up A5 work, leaves
 * outside a 3 mm bleed around an A4 area (7.5 mm short side), less 0.5 mm to the edge. */
#define MARK_LENGTH_MM 4.0
/* Hairlines, the customary weight of printer's marks. */
#define MARK_WIDTH 0.25
/* Fold marks dashed, crop marks solid, as imposition software tells them apart. */
#define FOLD_DASH_MM 1.0
/* Rounding of mm sizes: pages within this of the room still fit (pt). */
#define FIT_EPS 0.01

/* How far the marks reach from the trim (pt): the bleed alone without marks. */
static double reach(const pb_layout *l)
{
    return l->marks ? fmax(l->bleed, MARK_OFFSET_MIN) + MARK_LENGTH_MM * PT_PER_MM : l->bleed;
}

pb_status pb_impose_check(const pb_layout *l)
{
    double around = reach(l);
    if (2 * l->page_w + 2 * around <= l->sheet_w + FIT_EPS &&
        l->page_h + 2 * around <= l->sheet_h + FIT_EPS)
        return PB_OK;
    char fit[256], with[160] = "";
    size_t n = pb_layout_sheets_for(l->page_w, l->page_h, around, fit, sizeof fit);
    if (l->marks)
        snprintf(with, sizeof with, " with %.0f mm of bleed and crop marks (%.0f mm around them)",
                 l->bleed / PT_PER_MM, around / PT_PER_MM);
    else if (l->bleed > 0)
        snprintf(with, sizeof with, " with %.0f mm of bleed", l->bleed / PT_PER_MM);
    pb_diag_error(l->sheet_at.line ? l->sheet_at.file : l->path[0] ? l->path : NULL,
                  l->sheet_at.line, l->sheet_at.col,
                  "--imposed: pages of %.0f x %.0f mm do not fit 2-up on the [impose] sheet "
                  "(%.0f x %.0f mm)%s; %s%s",
                  l->page_w / PT_PER_MM, l->page_h / PT_PER_MM, l->sheet_w / PT_PER_MM,
                  l->sheet_h / PT_PER_MM, with, n ? "sheets that fit: " : "no named sheet fits them",
                  fit);
    return PB_EINPUT;
}

/* Saddle stitch: for N pages (a multiple of 4), sheet s carries on its front N-2s | 1+2s and
 * on its back 2+2s | N-1-2s (1-based); printed duplex and folded, the pages run in order. */
static void saddle_pair(size_t n, size_t side, size_t *left, size_t *right)
{
    size_t s = side / 2;
    if (side % 2 == 0) {
        *left = n - 2 * s;
        *right = 1 + 2 * s;
    } else {
        *left = 2 + 2 * s;
        *right = n - 1 - 2 * s;
    }
}

/* The marks around the trim t: at each corner a horizontal and a vertical crop mark on the
 * trim's lines, running outward from offset o; a fold mark on the spine above and below. */
static void add_marks(pb_imposition *im, double o, double len)
{
    const pb_rect *t = &im->trim;
    double xs[2] = {t->x0, t->x1}, ys[2] = {t->y0, t->y1};
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++) {
            double dx = i ? 1 : -1, dy = j ? 1 : -1; /* outward */
            im->marks[im->n_marks++] =
                (pb_impose_mark){xs[i] + dx * o, ys[j], xs[i] + dx * (o + len), ys[j], 0};
            im->marks[im->n_marks++] =
                (pb_impose_mark){xs[i], ys[j] + dy * o, xs[i], ys[j] + dy * (o + len), 0};
        }
    double spine = (t->x0 + t->x1) / 2;
    im->marks[im->n_marks++] = (pb_impose_mark){spine, t->y1 + o, spine, t->y1 + o + len, 1};
    im->marks[im->n_marks++] = (pb_impose_mark){spine, t->y0 - o, spine, t->y0 - o - len, 1};
}

pb_status pb_impose_plan(const pb_layout *l, size_t n_pages, pb_imposition *out)
{
    *out = (pb_imposition){0};
    size_t n = (n_pages + PAGES_PER_SHEET - 1) / PAGES_PER_SHEET * PAGES_PER_SHEET;
    if (n == 0)
        n = PAGES_PER_SHEET; /* one blank sheet rather than none */
    size_t sheets = n / PAGES_PER_SHEET;
    /* creep: the innermost sheet's pages move furthest, and must not cross the fold past
     * their inner margin */
    double most = (double)(sheets - 1) * l->creep;
    if (most > l->margin_inner + FIT_EPS) {
        pb_diag_error(l->creep_at.line ? l->creep_at.file : l->path[0] ? l->path : NULL,
                      l->creep_at.line, l->creep_at.col,
                      "--imposed: creep of %.2f mm a sheet moves the pages of the innermost of "
                      "%zu sheets %.1f mm toward the spine, past their inner margin of %.1f mm",
                      l->creep / PT_PER_MM, sheets, most / PT_PER_MM, l->margin_inner / PT_PER_MM);
        return PB_EINPUT;
    }
    out->sides = calloc(n / 2, sizeof *out->sides);
    if (!out->sides)
        return pb_diag_oom("imposing the pages");
    out->n_sides = n / 2;
    out->sheet_w = l->sheet_w;
    out->sheet_h = l->sheet_h;
    out->page_w = l->page_w;
    out->page_h = l->page_h;
    double spine = l->sheet_w / 2, bottom = (l->sheet_h - l->page_h) / 2;
    out->trim = (pb_rect){spine - l->page_w, bottom, spine + l->page_w, bottom + l->page_h};
    out->bleed = (pb_rect){out->trim.x0 - l->bleed, out->trim.y0 - l->bleed,
                           out->trim.x1 + l->bleed, out->trim.y1 + l->bleed};
    for (size_t side = 0; side < out->n_sides; side++) {
        pb_impose_side *sd = &out->sides[side];
        size_t slot[2];
        saddle_pair(n, side, &slot[0], &slot[1]);
        sd->sheet = side / 2;
        double shift = (double)sd->sheet * l->creep; /* toward the spine */
        for (int k = 0; k < 2; k++)
            sd->page[k] = slot[k] <= n_pages ? slot[k] - 1 : PB_IMPOSE_BLANK;
        sd->x[0] = spine - l->page_w + shift;
        sd->x[1] = spine - shift;
        sd->y = bottom;
    }
    out->mark_width = MARK_WIDTH;
    out->fold_dash = FOLD_DASH_MM * PT_PER_MM;
    if (l->marks)
        add_marks(out, fmax(l->bleed, MARK_OFFSET_MIN), MARK_LENGTH_MM * PT_PER_MM);
    return PB_OK;
}

void pb_impose_free(pb_imposition *im)
{
    free(im->sides);
    *im = (pb_imposition){0};
}
