/* Unit tests for src/usage.c: the glyphs one file draws and the text each stands for, with the
 * real fonts of the default layout. Run from the repository root. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fonts.h"
#include "layout.h"
#include "usage.h"

/* What the running test holds, freed by teardown() even when an assertion fails. */
static pb_fontset *g_set;
static pb_usage *g_usage;

static int teardown(void **state)
{
    (void)state;
    pb_usage_free(g_usage);
    pb_fonts_free(g_set);
    g_usage = NULL;
    g_set = NULL;
    return 0;
}

static pb_usage *open_usage(void)
{
    pb_layout l;
    pb_layout_defaults(&l);
    assert_int_equal(pb_fonts_new(&l, NULL, &g_set), PB_OK);
    assert_int_equal(pb_usage_new(g_set, &g_usage), PB_OK);
    return g_usage;
}

static pb_font *latin(void) { return pb_fonts_get(g_set, PB_ROLE_LATIN); }

/* gid's text is exactly want[0..n) (n 0: none). */
static void assert_glyph_text(const pb_usage *u, const pb_font *f, uint32_t gid,
                              const uint32_t *want, size_t n)
{
    const uint32_t *t = NULL;
    size_t got = pb_usage_text(u, f, gid, &t);
    if (got != n)
        print_error("glyph %u: %zu code points, want %zu\n", (unsigned)gid, got, n);
    assert_int_equal(got, n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(t[i], want[i]);
    if (n == 0)
        assert_null(t);
}

/* The first glyph from `from` on that no code point of the font's cmap maps to. */
static uint32_t unmapped_glyph(const pb_font *f, uint32_t from)
{
    pb_font_info in;
    pb_font_get_info(f, &in);
    size_t n = in.num_glyphs - from;
    uint32_t *gids = malloc(n * sizeof *gids), *cps = malloc(n * sizeof *cps);
    assert_non_null(gids);
    assert_non_null(cps);
    for (size_t i = 0; i < n; i++)
        gids[i] = from + (uint32_t)i;
    pb_font_cmap_reverse(f, gids, n, cps);
    uint32_t g = 0;
    for (size_t i = 0; i < n && !g; i++)
        if (!cps[i])
            g = gids[i];
    free(gids);
    free(cps);
    assert_int_not_equal(g, 0);
    return g;
}

/* The case: an invisible character HarfBuzz drew with the space glyph before the first
 * space. Its text says nothing about the glyph; the space glyph stands for U+0020. */
static void test_invisible_first_use(void **state)
{
    (void)state;
    pb_usage *u = open_usage();
    pb_font *f = latin();
    uint32_t sp = pb_font_get_glyph(f, ' ');
    static const uint32_t zwsp[] = {0x200B}, shy[] = {0x00AD}, space[] = {' '};
    assert_int_equal(pb_usage_add(u, f, sp, zwsp, 1, 1), PB_OK);
    assert_int_equal(pb_usage_add(u, f, sp, shy, 1, 1), PB_OK);
    assert_int_equal(pb_usage_add(u, f, sp, space, 1, 1), PB_OK);
    assert_int_equal(pb_usage_add(u, f, sp, zwsp, 1, 1), PB_OK);
    assert_int_equal(pb_usage_finish(u), PB_OK);
    assert_glyph_text(u, f, sp, space, 1);
    /* and with no real space at all: the cmap says what the glyph is */
    pb_usage_free(g_usage);
    assert_int_equal(pb_usage_new(g_set, &g_usage), PB_OK);
    u = g_usage;
    assert_int_equal(pb_usage_add(u, f, sp, zwsp, 1, 1), PB_OK);
    assert_int_equal(pb_usage_finish(u), PB_OK);
    assert_glyph_text(u, f, sp, space, 1);
}

/* A glyph drawn alone for one text everywhere stands for it (a ligature for its letters, an
 * invisible character after a letter left out); drawn for two texts, for what the font's cmap
 * says; never alone, for the cmap, else the first text it was drawn in. */
static void test_decisions(void **state)
{
    (void)state;
    pb_usage *u = open_usage();
    pb_font *f = latin();
    uint32_t e = pb_font_get_glyph(f, 'e'), x = pb_font_get_glyph(f, 'x');
    static const uint32_t fi[] = {'f', 'i'}, te[] = {'e'}, tex[] = {'x'};
    static const uint32_t e_zwsp[] = {'e', 0x200B};
    uint32_t lig = 3000; /* some glyph, drawn for "fi" everywhere */
    assert_int_equal(pb_usage_add(u, f, lig, fi, 2, 1), PB_OK);
    assert_int_equal(pb_usage_add(u, f, lig, fi, 2, 1), PB_OK);
    assert_int_equal(pb_usage_add(u, f, e, e_zwsp, 2, 1), PB_OK); /* "e" + ZWSP: "e" */
    assert_int_equal(pb_usage_add(u, f, e, tex, 1, 1), PB_OK);    /* and "x": a conflict */
    /* x: only ever the first glyph of a longer cluster, with other text */
    assert_int_equal(pb_usage_add(u, f, x, fi, 2, 0), PB_OK);
    /* two glyphs no code point maps to: u1 a continuation glyph only (no text), u2 only ever
     * in a cluster of several glyphs */
    uint32_t u1 = unmapped_glyph(f, 1), u2 = unmapped_glyph(f, u1 + 1);
    assert_int_equal(pb_usage_add(u, f, u1, NULL, 0, 1), PB_OK);
    assert_int_equal(pb_usage_add(u, f, u2, fi, 2, 0), PB_OK);
    assert_int_equal(pb_usage_add(u, f, u2, te, 1, 0), PB_OK);
    assert_int_equal(pb_usage_finish(u), PB_OK);
    assert_glyph_text(u, f, lig, fi, 2);
    assert_glyph_text(u, f, e, te, 1);  /* conflict: the cmap's 'e' */
    assert_glyph_text(u, f, x, tex, 1); /* the cmap's 'x', not "fi" */
    assert_glyph_text(u, f, u1, NULL, 0);
    assert_glyph_text(u, f, u2, fi, 2); /* the first text it was drawn in */
    /* glyphs in ascending order; the other fonts drew nothing */
    const uint32_t *gids;
    size_t n = pb_usage_glyphs(u, f, &gids);
    assert_int_equal(n, 5);
    for (size_t i = 1; i < n; i++)
        assert_true(gids[i - 1] < gids[i]);
    assert_int_equal(pb_usage_glyphs(u, pb_fonts_get(g_set, PB_ROLE_HAN), &gids), 0);
    assert_int_equal(pb_usage_glyphs(u, pb_fonts_get(g_set, PB_ROLE_LATIN_BOLD), &gids), 0);
}

/* Refused: a glyph id past the font, a font of another set; neither is recorded. Nothing is
 * known before pb_usage_finish. */
static void test_refused(void **state)
{
    (void)state;
    pb_usage *u = open_usage();
    pb_font *f = latin();
    pb_font_info in;
    pb_font_get_info(f, &in);
    static const uint32_t x[] = {'x'};
    assert_int_equal(pb_usage_add(u, f, in.num_glyphs, x, 1, 1), PB_EINPUT);
    assert_int_equal(pb_usage_add(u, (const pb_font *)&in, 1, x, 1, 1), PB_EUSAGE);
    assert_int_equal(pb_usage_add(u, f, 1, x, 1, 1), PB_OK);
    const uint32_t *gids = (const uint32_t *)x;
    assert_int_equal(pb_usage_glyphs(u, f, &gids), 0); /* not finished */
    assert_null(gids);
    assert_int_equal(pb_usage_finish(u), PB_OK);
    assert_int_equal(pb_usage_glyphs(u, f, &gids), 1);
    assert_int_equal(gids[0], 1);
    const uint32_t *t;
    assert_int_equal(pb_usage_text(u, f, in.num_glyphs, &t), 0);
}

/* Many glyphs with text, and a text longer than a glyph keeps (16 code points): the pool grows
 * and keeps every record. */
static void test_many(void **state)
{
    (void)state;
    pb_usage *u = open_usage();
    pb_font *f = pb_fonts_get(g_set, PB_ROLE_HAN);
    uint32_t text[40];
    for (size_t i = 0; i < 40; i++)
        text[i] = 0x4E00 + (uint32_t)i;
    for (uint32_t g = 1; g <= 3000; g++) {
        text[0] = 0x4E00 + g;
        assert_int_equal(pb_usage_add(u, f, g * 7, text, g == 3000 ? 40 : 1 + g % 3, 1), PB_OK);
    }
    assert_int_equal(pb_usage_finish(u), PB_OK);
    const uint32_t *gids;
    assert_int_equal(pb_usage_glyphs(u, f, &gids), 3000);
    for (uint32_t g = 1; g <= 3000; g++) {
        assert_int_equal(gids[g - 1], g * 7);
        const uint32_t *t;
        assert_int_equal(pb_usage_text(u, f, g * 7, &t), g == 3000 ? 16 : 1 + g % 3);
        assert_int_equal(t[0], 0x4E00 + g);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_invisible_first_use, teardown),
        cmocka_unit_test_teardown(test_decisions, teardown),
        cmocka_unit_test_teardown(test_refused, teardown),
        cmocka_unit_test_teardown(test_many, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
