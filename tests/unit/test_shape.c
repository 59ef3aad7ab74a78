/* Unit tests for src/shape.c: Latin text shaped word by word through the cache of shaped words
 * gives the glyphs the whole run gives, with the real fonts of the default layout, for every
 * paragraph of the initiative and of the test corpora, in every font role, and for the text
 * where a word must not be cut. Run from the repository root. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hb.h>

#include "corpus.h"
#include "fonts.h"
#include "itemize.h"
#include "layout.h"
#include "normalize.h"
#include "shape.h"
#include "uchar.h"

#include "test_block.h"

#define CORPUS "corpus/ai-plus-initiative.txt"
#define TEST_CORPORA "tests/corpora/*.txt"

typedef struct {
    pb_fontset *fonts;
    pb_shaper *cached, *whole;   /* the word cache on, off */
    pb_runs runs;
    pb_glyphs a, b;
    size_t words_checked;        /* glyphs compared, for the record */
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    pb_layout l;
    pb_layout_defaults(&l);
    if (pb_fonts_new(&l, NULL, &fx->fonts) != PB_OK ||
        pb_shape_new("zh-Hant", "en", &fx->cached) != PB_OK ||
        pb_shape_new("zh-Hant", "en", &fx->whole) != PB_OK)
        return -1;
    pb_shape_set_word_cache(fx->whole, 0);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    pb_itemize_free(&fx->runs);
    pb_shape_free_glyphs(&fx->a);
    pb_shape_free_glyphs(&fx->b);
    pb_shape_free(fx->cached);
    pb_shape_free(fx->whole);
    pb_fonts_free(fx->fonts);
    free(fx);
    return 0;
}

/* Block b (in style: PB_ITEMIZE_* bits) shaped both ways: the same glyphs, one by one. */
static void same_both_ways(fixture *fx, const pb_block *b, int style, const char *what)
{
    if (pb_itemize_block(b, style, fx->fonts, "t.txt", &fx->runs) != PB_OK)
        return; /* a character no font has: not this test's */
    assert_int_equal(pb_shape_runs(fx->cached, b->text, b->len, &fx->runs, &fx->a), PB_OK);
    assert_int_equal(pb_shape_runs(fx->whole, b->text, b->len, &fx->runs, &fx->b), PB_OK);
    if (fx->a.n != fx->b.n)
        fail_msg("%s (line %u): %zu glyphs word by word, %zu whole", what, b->line, fx->a.n,
                 fx->b.n);
    for (size_t k = 0; k < fx->a.n; k++) {
        const pb_glyph *x = &fx->a.g[k], *y = &fx->b.g[k];
        if (x->font != y->font || x->gid != y->gid || x->cluster != y->cluster ||
            x->x_advance != y->x_advance || x->x_offset != y->x_offset ||
            x->y_offset != y->y_offset)
            fail_msg("%s (line %u), glyph %zu: gid %u cluster %u advance %d offset %d,%d word by "
                     "word; gid %u cluster %u advance %d offset %d,%d whole",
                     what, b->line, k, x->gid, x->cluster, x->x_advance, x->x_offset,
                     x->y_offset, y->gid, y->cluster, y->x_advance, y->x_offset, y->y_offset);
    }
    fx->words_checked += fx->a.n;
}

/* Every block of the corpus at path, normalized as the default layout does, in plain, bold
 * and emphasis styles, twice (the second time from the cache). */
static void corpus_both_ways(fixture *fx, const char *path)
{
    pb_doc *doc;
    assert_int_equal(pb_corpus_load(path, &doc), PB_OK);
    pb_layout l;
    pb_layout_defaults(&l);
    pb_normalize_opts opts;
    pb_normalize_opts_of(&l, &opts);
    pb_changes changes = {0};
    assert_int_equal(pb_normalize_doc(doc, &opts, &changes), PB_OK);
    static const int styles[] = {0, PB_ITEMIZE_BOLD, PB_ITEMIZE_EMPH_ZH_BOLD};
    for (int pass = 0; pass < 2; pass++)
        for (size_t s = 0; s < sizeof styles / sizeof *styles; s++)
            for (size_t i = 0; i < doc->n_blocks; i++)
                same_both_ways(fx, &doc->blocks[i], styles[s], path);
    pb_normalize_free_changes(&changes);
    pb_corpus_free(doc);
}

static void corpora_shape_alike(void **state)
{
    fixture *fx = *state;
    corpus_both_ways(fx, CORPUS);
    glob_t g;
    assert_int_equal(glob(TEST_CORPORA, 0, NULL, &g), 0);
    assert_true(g.gl_pathc >= 7);
    for (size_t i = 0; i < g.gl_pathc; i++)
        corpus_both_ways(fx, g.gl_pathv[i]);
    globfree(&g);
    assert_true(fx->words_checked > 100000);
}

/* One block of utf8 text in lang, shaped both ways (after a first pass that fills the cache). */
static void text_both_ways(fixture *fx, const char *utf8, pb_lang lang)
{
    test_block tb;
    make_block(&tb, utf8, lang);
    same_both_ways(fx, &tb.b, 0, utf8);
    same_both_ways(fx, &tb.b, 0, utf8);
}

/* Where a cut would change the glyphs: a mark after a space goes on the space's cluster (and
 * on its glyph), an ignorable joins the cluster before it, a ligature or kerning pair inside a
 * word; words met before with other neighbours. */
static void uncuttable_places(void **state)
{
    fixture *fx = *state;
    static const char *const texts[] = {
        "fi fi office affix", /* ligatures inside words */
        "AV AV WAVE To To",   /* kerning pairs inside words */
        "a \xcc\x81" "b a \xcc\x81" "b",                   /* U+0301 after a space */
        "word \xe2\x81\xa0next word \xe2\x81\xa0next",      /* U+2060 after a space */
        "word\xe2\x81\xa0 next word\xe2\x81\xa0 next",      /* U+2060 before a space */
        "co\xc2\xad op co\xc2\xad op",                      /* U+00AD before a space */
        "\xe2\x80\x8b lead \xe2\x80\x8b lead",              /* a run opening with U+200B */
        "x \xef\xb8\x8f y x \xef\xb8\x8f y",                /* a variation selector after a space */
        "\xe2\x80\x9cquoted\xe2\x80\x9d \xe2\x80\x94 dash \xe2\x80\x94 \xe2\x80\x9cquoted\xe2\x80\x9d",
        "1\xe2\x81\x84" "2 and 1\xe2\x81\x84" "2",          /* a fraction slash: frac, numr, dnom */
        "  double  spaces  ",
    };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        text_both_ways(fx, texts[i], PB_LANG_EN);
}

/* The default layout's Latin faces let words be cut at spaces (else the cache is never used). */
static void noto_serif_space_apart(void **state)
{
    fixture *fx = *state;
    hb_language_t en = hb_language_from_string("en", -1);
    for (pb_role r = PB_ROLE_LATIN; r <= PB_ROLE_LATIN_BOLD_ITALIC; r++)
        assert_int_equal(pb_font_space_stands_apart(pb_fonts_get(fx->fonts, r), en), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(noto_serif_space_apart),
        cmocka_unit_test(uncuttable_places),
        cmocka_unit_test(corpora_shape_alike),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
