/* Unit tests for src/compose.c: lines set from real text with the real fonts of the default
 * layout (itemize, shape, nodes, linebreak, placement). Run from the repository root.
 *
 * What is checked is where glyphs land: an ideograph's pitch (its x to the next one's) is
 * exactly one em on a line set solid and more on a letter-spaced one; a full-width mark's blank
 * is what gives way first when a line must be shorter. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compose.h"
#include "corpus.h"
#include "diag.h"
#include "fonts.h"
#include "layout.h"
#include "uchar.h"

#define MAXLEN 1024
/* The text size of every case (pt): an em. */
#define EM 10.0
/* Positions are floats in a pb_pglyph: a few millionths of a point. */
#define POS_EPS 1e-3

typedef struct {
    pb_layout lay;
    pb_fontset *fonts;
    pb_composer *comp;
    pb_block b;
    uint32_t text[MAXLEN];
    uint32_t col[MAXLEN];
    pb_para para;
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    pb_layout_defaults(&fx->lay);
    if (pb_fonts_new(&fx->lay, NULL, &fx->fonts) != PB_OK ||
        pb_compose_new(fx->fonts, &fx->lay, &fx->comp) != PB_OK)
        return -1;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    pb_compose_free_para(&fx->para);
    pb_compose_free(fx->comp);
    pb_fonts_free(fx->fonts);
    free(fx);
    return 0;
}

static void dump(const fixture *fx);

/* Set utf8 as one justified Chinese paragraph (no indent) in measure ems. */
static void set(fixture *fx, const char *utf8, double measure)
{
    size_t n = strlen(utf8), len = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = pb_uchar_decode((const uint8_t *)utf8 + i, n - i, &cp);
        assert_true(k > 0 && len < MAXLEN);
        fx->col[len] = (uint32_t)len + 1;
        fx->text[len++] = cp;
        i += k;
    }
    memset(&fx->b, 0, sizeof fx->b);
    fx->b.kind = PB_BLOCK_PARA;
    fx->b.lang = PB_LANG_ZH;
    fx->b.text = fx->text;
    fx->b.len = len;
    fx->b.col = fx->col;
    fx->b.line = 1;
    pb_compose_free_para(&fx->para);
    pb_style st = {0, EM, 0, PB_ALIGN_JUSTIFIED};
    assert_int_equal(pb_compose_block(fx->comp, &fx->b, "t.txt", &st, measure * EM, &fx->para),
                     PB_OK);
    if (getenv("DUMP")) /* DUMP=1 build/tests/test_compose: each line's width, ratio, pitch */
        dump(fx);
}

static uint32_t cp_of(const pb_pglyph *g) { return g->ntext && g->text ? g->text[0] : 0; }

/* The line's text (for messages). */
static void line_text(const fixture *fx, size_t li, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = fx->para.lines[li].g0; i < fx->para.lines[li].g1 && k + 5 < cap; i++)
        for (size_t t = 0; t < fx->para.g[i].ntext; t++)
            k += pb_uchar_encode(fx->para.g[i].text[t], out + k);
    out[k] = 0;
}

/* Largest distance (ems) from one ideograph to the next one on line li (1: set solid). */
static double max_han_pitch(const fixture *fx, size_t li)
{
    const pb_cline *ln = &fx->para.lines[li];
    double most = 0;
    for (size_t i = ln->g0; i + 1 < ln->g1; i++) {
        const pb_pglyph *a = &fx->para.g[i], *b = &fx->para.g[i + 1];
        if (pb_uchar_is_han(cp_of(a)) && pb_uchar_is_han(cp_of(b)) && (b->x - a->x) / EM > most)
            most = (b->x - a->x) / EM;
    }
    return most;
}

/* Han characters on line li. */
static size_t han_on(const fixture *fx, size_t li)
{
    size_t n = 0;
    for (size_t i = fx->para.lines[li].g0; i < fx->para.lines[li].g1; i++)
        n += pb_uchar_is_han(cp_of(&fx->para.g[i])) != 0;
    return n;
}

/* The first glyph of line li standing for c (-1: none). */
static long glyph_of(const fixture *fx, size_t li, uint32_t c)
{
    for (size_t i = fx->para.lines[li].g0; i < fx->para.lines[li].g1; i++)
        if (cp_of(&fx->para.g[i]) == c)
            return (long)i;
    return -1;
}

static void dump(const fixture *fx)
{
    for (size_t li = 0; li < fx->para.n_lines; li++) {
        char t[512];
        line_text(fx, li, t, sizeof t);
        fprintf(stderr, "  %zu: w=%.3f r=%.3f pitch=%.4f %s\n", li, fx->para.lines[li].width,
                fx->para.lines[li].ratio, max_han_pitch(fx, li), t);
    }
}

/* ---- compression before spacing ----------------------------------------------------------- */

/* 「甲乙」，is a squeezed pair (1.5 em), so the first line can end half an em short of the
 * 20-em measure (and be letter-spaced) or half an em over it, which its two commas' blank
 * quarters (1 em in all) take back. clreq's and JIS X 4051's order: compression first. Every
 * full line is set solid (pitch 1 em), and flush with the measure. */
static void test_compression_before_spacing(void **state)
{
    fixture *fx = *state;
    set(fx, "天地玄黃宇宙洪荒，日月「盈昃」，辰宿列張寒來暑往秋收冬藏閏餘成歲律呂調陽雲騰致雨"
            "露結為霜金生麗水玉出崑岡。", 20);
    assert_true(fx->para.n_lines >= 2);
    for (size_t li = 0; li + 1 < fx->para.n_lines; li++) {
        char t[256];
        line_text(fx, li, t, sizeof t);
        if (fabs(max_han_pitch(fx, li) - 1) > POS_EPS)
            print_error("line %zu \"%s\": pitch %.4f em\n", li + 1, t, max_han_pitch(fx, li));
        assert_true(fabs(max_han_pitch(fx, li) - 1) <= POS_EPS);
        assert_true(fabs(fx->para.lines[li].width - 20 * EM) <= POS_EPS);
    }
    /* the first line took the half em over the measure from its marks: it holds 17 ideographs
     * (16 on a letter-spaced line otherwise) */
    assert_int_equal(han_on(fx, 0), 17);
}

/* A line that must give a quarter em takes it from the mark inside it before the one at its
 * end: 天地玄黃宇宙洪荒，日月盈昃辰宿列張寒暑。 is 20 ems; in a measure of 19.75 the comma's two
 * quarters give an eighth each and the full stop keeps its place (ink centred in the last em).
 * The comma's ink stays centred between its neighbours. */
static void test_line_end_mark_gives_last(void **state)
{
    fixture *fx = *state;
    set(fx, "天地玄黃宇宙洪荒，日月盈昃辰宿列張寒暑。來往", 19.75);
    assert_true(fx->para.n_lines == 2);
    long stop = glyph_of(fx, 0, 0x3002), comma = glyph_of(fx, 0, 0xFF0C);
    assert_true(stop >= 0 && comma >= 0);
    /* the full stop: box of half an em drawn a quarter em left, then its quarter blank */
    assert_true(fabs(fx->para.g[stop].x - (19.75 - 1) * EM) <= POS_EPS);
    /* the comma: between 荒 (ending at 8 em) and 日 (starting at 8.75 em), ink centred */
    const pb_pglyph *before = &fx->para.g[comma - 1], *after = &fx->para.g[comma + 1];
    assert_int_equal(cp_of(before), 0x8352); /* 荒 */
    assert_int_equal(cp_of(after), 0x65E5);  /* 日 */
    assert_true(fabs(after->x - 8.75 * EM) <= POS_EPS);
    double mid = (before->x + EM + after->x) / 2;
    assert_true(fabs(fx->para.g[comma].x + EM / 2 - mid) <= POS_EPS);
}

/* A paragraph whose natural last line is one ideograph and a full stop (秋。) sets that full
 * stop half width at the end of the line above instead: the line 辰宿列，張寒來暑往秋。 is 11
 * ems, and its comma's quarters give half an em, the full stop's the other half. No line is
 * letter-spaced for it (clreq: no lone character on a paragraph's last line). */
static void test_half_width_line_end_saves_lone_line(void **state)
{
    fixture *fx = *state;
    set(fx, "天地玄黃宇宙洪荒日月辰宿列，張寒來暑往秋。", 10);
    assert_int_equal(fx->para.n_lines, 2);
    size_t last = fx->para.n_lines - 1;
    char t[256];
    line_text(fx, last, t, sizeof t);
    if (han_on(fx, last) < 2)
        print_error("last line \"%s\"\n", t);
    assert_true(han_on(fx, last) >= 2);
    for (size_t li = 0; li < fx->para.n_lines; li++)
        assert_true(max_han_pitch(fx, li) <= 1 + POS_EPS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compression_before_spacing),
        cmocka_unit_test(test_line_end_mark_gives_last),
        cmocka_unit_test(test_half_width_line_end_saves_lone_line),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
