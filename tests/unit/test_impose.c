/* Unit tests for src/impose.c: saddle-stitch order, the pair at the fold, creep, the trim and
 * bleed boxes, the crop and fold marks, and the room check, for layouts written by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "impose.h"
#include "layout.h"

/* 1 mm in points (72 pt to the inch, 25.4 mm to the inch). */
#define MM (72.0 / 25.4)
#define EPS 1e-6

static char *g_msgs;
static size_t g_len;
static FILE *g_sink;

static void capture_begin(void)
{
    g_msgs = NULL;
    g_len = 0;
    g_sink = open_memstream(&g_msgs, &g_len);
    assert_non_null(g_sink);
    pb_diag_set_sink(g_sink);
    pb_diag_reset();
}

static char *capture_end(void)
{
    pb_diag_set_sink(NULL);
    assert_int_equal(fclose(g_sink), 0);
    return g_msgs;
}

static void layout(const char *text, pb_layout *l)
{
    capture_begin();
    pb_status st = pb_layout_parse("t.ini", text, l);
    char *m = capture_end();
    assert_string_equal(m, "");
    free(m);
    assert_int_equal(st, PB_OK);
}

static void near(double got, double want)
{
    if (!(fabs(got - want) <= EPS))
        fail_msg("got %.6f, want %.6f", got, want);
}

/* Pages 1-based in each half of each side, 0 for a blank half. */
static void assert_order(const pb_imposition *im, const size_t (*want)[2], size_t n_sides)
{
    assert_int_equal(im->n_sides, n_sides);
    for (size_t s = 0; s < n_sides; s++)
        for (int k = 0; k < 2; k++) {
            size_t got = im->sides[s].page[k] == PB_IMPOSE_BLANK ? 0 : im->sides[s].page[k] + 1;
            if (got != want[s][k])
                fail_msg("side %zu half %d: page %zu, want %zu", s + 1, k, got, want[s][k]);
        }
}

/* Folded, the sheets give the pages in order: 8 pages on two sheets (outermost first). */
static void test_order(void **state)
{
    (void)state;
    pb_layout l;
    layout("", &l);
    pb_imposition im;
    assert_int_equal(pb_impose_plan(&l, 8, &im), PB_OK);
    static const size_t eight[][2] = {{8, 1}, {2, 7}, {6, 3}, {4, 5}};
    assert_order(&im, eight, 4);
    assert_int_equal(im.sides[0].sheet, 0);
    assert_int_equal(im.sides[3].sheet, 1);
    pb_impose_free(&im);
    assert_int_equal(pb_impose_plan(&l, 12, &im), PB_OK);
    static const size_t twelve[][2] = {{12, 1}, {2, 11}, {10, 3}, {4, 9}, {8, 5}, {6, 7}};
    assert_order(&im, twelve, 6);
    pb_impose_free(&im);
    /* pages that are not a multiple of four (binding = none): blank halves at the end */
    assert_int_equal(pb_impose_plan(&l, 6, &im), PB_OK);
    static const size_t six[][2] = {{0, 1}, {2, 0}, {6, 3}, {4, 5}};
    assert_order(&im, six, 4);
    pb_impose_free(&im);
}

/* The two pages meet at the sheet's middle (the fold), whatever the sheet; the trim box is
 * the pair, the bleed box 3 mm around it (the defaults: A5 on SRA4). */
static void test_boxes(void **state)
{
    (void)state;
    pb_layout l;
    layout("", &l);
    pb_imposition im;
    assert_int_equal(pb_impose_plan(&l, 4, &im), PB_OK);
    near(im.sheet_w, 320 * MM);
    near(im.sheet_h, 225 * MM);
    double spine = 160 * MM;
    near(im.trim.x0, spine - 148 * MM);
    near(im.trim.x1, spine + 148 * MM);
    near(im.trim.y0, 7.5 * MM);
    near(im.trim.y1, 217.5 * MM);
    near(im.bleed.x0, im.trim.x0 - 3 * MM);
    near(im.bleed.y0, im.trim.y0 - 3 * MM);
    near(im.bleed.x1, im.trim.x1 + 3 * MM);
    near(im.bleed.y1, im.trim.y1 + 3 * MM);
    for (size_t s = 0; s < im.n_sides; s++) {
        near(im.sides[s].x[0] + 148 * MM, spine); /* the left page's right edge at the fold */
        near(im.sides[s].x[1], spine);
        near(im.sides[s].y, im.trim.y0);
    }
    pb_impose_free(&im);
}

/* Creep: the pages of sheet s (0 outermost) move s times the creep toward the spine. */
static void test_creep(void **state)
{
    (void)state;
    pb_layout l;
    layout("[impose]\ncreep = 0.25mm\n", &l);
    pb_imposition im;
    assert_int_equal(pb_impose_plan(&l, 16, &im), PB_OK);
    double spine = l.sheet_w / 2;
    for (size_t s = 0; s < im.n_sides; s++) {
        double shift = (double)(s / 2) * 0.25 * MM;
        near(im.sides[s].x[0], spine - l.page_w + shift);
        near(im.sides[s].x[1], spine - shift);
    }
    near(im.sides[7].x[1], spine - 0.75 * MM); /* the fourth sheet: 3 x 0.25 mm */
    /* the trim box does not move: the booklet is trimmed once, after folding */
    near(im.trim.x0, spine - l.page_w);
    pb_impose_free(&im);
    /* 12 mm inner margin: 49 sheets of 0.25 mm reach 12 mm, 50 go past it */
    assert_int_equal(pb_impose_plan(&l, 49 * 4, &im), PB_OK);
    pb_impose_free(&im);
    capture_begin();
    assert_int_equal(pb_impose_plan(&l, 50 * 4, &im), PB_EINPUT);
    char *m = capture_end();
    assert_string_equal(m, "t.ini:2:9: error: --imposed: creep of 0.25 mm a sheet moves the pages of "
                           "the innermost of 50 sheets 12.2 mm toward the spine, past their inner "
                           "margin of 12.0 mm\n");
    free(m);
    assert_null(im.sides);
}

/* Does segment m meet the inside of rectangle r? */
static int crosses(const pb_impose_mark *m, const pb_rect *r)
{
    double x0 = fmin(m->x0, m->x1), x1 = fmax(m->x0, m->x1);
    double y0 = fmin(m->y0, m->y1), y1 = fmax(m->y0, m->y1);
    return x1 > r->x0 + EPS && x0 < r->x1 - EPS && y1 > r->y0 + EPS && y0 < r->y1 - EPS;
}

/* Crop marks on the trim's lines at its four corners, fold marks on the spine, all outside
 * the bleed and on the sheet. */
static void test_marks(void **state)
{
    (void)state;
    pb_layout l;
    layout("", &l);
    pb_imposition im;
    assert_int_equal(pb_impose_plan(&l, 8, &im), PB_OK);
    assert_int_equal(im.n_marks, 10);
    const pb_rect *t = &im.trim;
    double spine = (t->x0 + t->x1) / 2;
    int corner_h[4] = {0}, corner_v[4] = {0}, folds = 0;
    for (size_t i = 0; i < im.n_marks; i++) {
        const pb_impose_mark *m = &im.marks[i];
        assert_false(crosses(m, &im.bleed));
        /* on the sheet */
        assert_true(fmin(m->x0, m->x1) >= 0 && fmax(m->x0, m->x1) <= im.sheet_w);
        assert_true(fmin(m->y0, m->y1) >= 0 && fmax(m->y0, m->y1) <= im.sheet_h);
        /* starts 3 mm (the bleed) from the trim, 4 mm long */
        double len = hypot(m->x1 - m->x0, m->y1 - m->y0);
        near(len, 4 * MM);
        if (m->fold) {
            near(m->x0, spine);
            near(m->x1, spine);
            near(fmin(fabs(m->y0 - t->y1), fabs(m->y0 - t->y0)), 3 * MM);
            folds++;
            continue;
        }
        for (int c = 0; c < 4; c++) {
            double cx = c & 1 ? t->x1 : t->x0, cy = c & 2 ? t->y1 : t->y0;
            if (fabs(m->y0 - cy) < EPS && fabs(m->y1 - cy) < EPS &&
                fabs(fmin(fabs(m->x0 - cx), fabs(m->x1 - cx)) - 3 * MM) < EPS)
                corner_h[c]++;
            if (fabs(m->x0 - cx) < EPS && fabs(m->x1 - cx) < EPS &&
                fabs(fmin(fabs(m->y0 - cy), fabs(m->y1 - cy)) - 3 * MM) < EPS)
                corner_v[c]++;
        }
    }
    assert_int_equal(folds, 2);
    for (int c = 0; c < 4; c++) {
        assert_int_equal(corner_h[c], 1);
        assert_int_equal(corner_v[c], 1);
    }
    near(im.mark_width, 0.25);
    pb_impose_free(&im);
    /* without marks: none; with no bleed they still start 6 pt from the trim */
    layout("[impose]\nmarks = no\n", &l);
    assert_int_equal(pb_impose_plan(&l, 8, &im), PB_OK);
    assert_int_equal(im.n_marks, 0);
    pb_impose_free(&im);
    layout("[impose]\nbleed = 0mm\n", &l);
    assert_int_equal(pb_impose_plan(&l, 8, &im), PB_OK);
    near(im.marks[0].x0, im.trim.x0 - 6);
    near(im.bleed.x0, im.trim.x0);
    pb_impose_free(&im);
}

static void check_fails(const char *text, const char *want)
{
    pb_layout l;
    layout(text, &l);
    capture_begin();
    assert_int_equal(pb_impose_check(&l), PB_EINPUT);
    char *m = capture_end();
    assert_string_equal(m, want);
    free(m);
}

/* Room on the sheet: pages, bleed and marks, or an error naming the sheets that have it. */
static void test_check(void **state)
{
    (void)state;
    pb_layout l;
    layout("", &l); /* A5 on SRA4 */
    assert_int_equal(pb_impose_check(&l), PB_OK);
    layout("[impose]\nsheet = A3\n", &l);
    assert_int_equal(pb_impose_check(&l), PB_OK);
    layout("[impose]\nsheet = A4\nmarks = no\nbleed = 0mm\n", &l); /* exactly 2-up */
    assert_int_equal(pb_impose_check(&l), PB_OK);
    layout("[page]\nsize = letter\nmeasure = 53em\n[impose]\nsheet = tabloid-extra\n", &l);
    assert_int_equal(pb_impose_check(&l), PB_OK);
    check_fails("[impose]\nsheet = A4\n",
                "t.ini:2:9: error: --imposed: pages of 148 x 210 mm do not fit 2-up on the [impose] "
                "sheet (297 x 210 mm) with 3 mm of bleed and crop marks (7 mm around them); "
                "sheets that fit: A3, tabloid/ledger, tabloid-extra, SRA4, SRA3\n");
    check_fails("[impose]\nsheet = A4\nmarks = no\n",
                "t.ini:3:9: error: --imposed: pages of 148 x 210 mm do not fit 2-up on the [impose] "
                "sheet (297 x 210 mm) with 3 mm of bleed; sheets that fit: A3, tabloid/ledger, "
                "tabloid-extra, SRA4, SRA3\n");
    /* ledger is exactly two letter pages: no room for bleed or marks */
    check_fails("[page]\nsize = letter\nmeasure = 53em\n[impose]\nsheet = ledger\n",
                "t.ini:5:9: error: --imposed: pages of 216 x 279 mm do not fit 2-up on the [impose] "
                "sheet (432 x 279 mm) with 3 mm of bleed and crop marks (7 mm around them); "
                "sheets that fit: tabloid-extra, SRA3\n");
    check_fails("[page]\nsize = A4\nmeasure = 51em\n[impose]\nsheet = A4\n",
                "t.ini:5:9: error: --imposed: pages of 210 x 297 mm do not fit 2-up on the [impose] "
                "sheet (297 x 210 mm) with 3 mm of bleed and crop marks (7 mm around them); "
                "sheets that fit: SRA3\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order), cmocka_unit_test(test_boxes), cmocka_unit_test(test_creep),
        cmocka_unit_test(test_marks), cmocka_unit_test(test_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
