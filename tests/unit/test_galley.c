/* Unit tests for src/galley.c: the vertical list a product's pairs become (the real fonts).
 * Each house rule shows as a cost or a flag on the list: these tests fail when one is switched
 * off in galley.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "fonts.h"
#include "galley.h"
#include "layout.h"
#include "normalize.h"

#define EPS 1e-6

/* A title, a heading, a 6-line Chinese paragraph (a long line) and its English one, a list
 * item pair, and a {keep} pair. */
static const char DOC[] =
    "標題\nTitle\n"
    "一、第一節\nI. Section one\n"
    "人工智能具有鮮明的賦能屬性，不僅是技術發展的升級，更是系統性、全局性的深刻變革，對於落實聯合國"
    "二〇三〇年可持續發展議程具有重要意義。中方主張秉持人類命運共同體理念，推動人工智能發展和治理，"
    "開展人工智能能力建設國際合作，保障全球南方國家平等參與。\n"
    "Artificial Intelligence (AI) is inherently empowering. It represents not only a technology "
    "upgrade, but also a systematic and comprehensive transformation with profound implications.\n"
    "- 第一項\n- Item one\n"
    "保持安靜。{keep}\nKeep quiet.\n";

typedef struct {
    pb_doc *doc;
    pb_layout lay;
    pb_fontset *fonts;
    size_t pairs[8];
    size_t n_pairs;
} fixture;

/* A document read and normalised as the program does (the test fails if it is refused). */
static pb_doc *parse(const char *name, const char *text, size_t len)
{
    pb_doc *doc = NULL;
    assert_int_equal(pb_corpus_parse(name, (const uint8_t *)text, len, &doc), PB_OK);
    assert_int_equal(pb_normalize_doc(doc, NULL, NULL), PB_OK);
    return doc;
}

static int setup_text(void **state, const char *text, size_t len)
{
    fixture *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    fx->doc = parse("t.txt", text, len);
    pb_layout_defaults(&fx->lay);
    fx->lay.family[PB_ROLE_LATIN_ITALIC][0] = '\0';
    assert_int_equal(pb_fonts_new(&fx->lay, NULL, &fx->fonts), PB_OK);
    for (size_t i = 0; i < fx->doc->n_blocks; i += 2)
        fx->pairs[fx->n_pairs++] = i;
    *state = fx;
    return 0;
}

static int setup(void **state) { return setup_text(state, DOC, sizeof DOC - 1); }

/* A chapter, its first article right under it, text, a second article. */
static const char HEADINGS[] = "標題\nTitle\n# 第一章\n# Chapter 1\n## 第一條\n## Article 1\n"
                               "正文。\nText.\n## 第二條\n## Article 2\n正文。\nText.\n";

static int setup_headings(void **state)
{
    return setup_text(state, HEADINGS, sizeof HEADINGS - 1);
}

static int teardown(void **state)
{
    fixture *fx = *state;
    pb_fonts_free(fx->fonts);
    pb_corpus_free(fx->doc);
    free(fx);
    return 0;
}

static void build(fixture *fx, pb_galley_kind kind, int grid, int spread, pb_galley *g)
{
    pb_galley z = {.doc = fx->doc, .lay = &fx->lay, .fonts = fx->fonts, .scale = 1.0,
                   .kind = kind, .grid = grid, .spread = spread, .pairs = fx->pairs,
                   .n_pairs = fx->n_pairs};
    *g = z;
    assert_int_equal(pb_galley_build(g), PB_OK);
}

/* The index of the first box of block b (its line 0), and of its last. */
static size_t first_box(const pb_galley *g, size_t b)
{
    for (size_t i = 0; i < g->vl.n; i++)
        for (int c = 0; c < g->vl.v[i].n_lines; c++)
            if (g->vl.v[i].line[c].para == &g->paras[b] && g->vl.v[i].line[c].line == 0)
                return i;
    fail_msg("no box for block %zu", b);
    return 0;
}

/* The cost the breaker gives a break before line li of p for the widow rule and a hyphen. */
static double widow_cost(const pb_para *p, size_t li)
{
    int widow = li < PB_GALLEY_MIN_LINES || p->n_lines - li < PB_GALLEY_MIN_LINES;
    return (widow ? PB_VCOST_WIDOW : 0) + (p->lines[li - 1].hyphen ? PB_VCOST_BROKEN : 0);
}

/* Widows and orphans: inside the 6-line(ish) Chinese paragraph, breaks after its first line and
 * before its last cost PB_VCOST_WIDOW; the others nothing (unless a hyphen). */
static void test_widow_orphan_costs(void **state)
{
    fixture *fx = *state;
    pb_galley g;
    build(fx, PB_GALLEY_STACK, 0, 1, &g);
    const pb_para *p = &g.paras[4];
    assert_true(p->n_lines >= 4);
    size_t i = first_box(&g, 4);
    for (size_t li = 1; li < p->n_lines; li++) {
        i++; /* the penalty before line li */
        assert_int_equal(g.vl.v[i].kind, PB_V_PENALTY);
        double want = widow_cost(p, li) +
                      PB_VCOST_HEAD_PAIR; /* the first pair under a heading: test_head_pair */
        assert_true(fabs(g.vl.v[i].cost - want) < EPS);
        i++;
    }
    pb_galley_fini(&g);
}

/* A heading keeps its next line: the break between the heading pair and the paragraph after it
 * is forbidden, and so is every break inside the heading pair. */
static void test_heading_keep(void **state)
{
    fixture *fx = *state;
    pb_galley g;
    build(fx, PB_GALLEY_STACK, 0, 1, &g);
    size_t h = first_box(&g, 2), body = first_box(&g, 4);
    assert_true(g.vl.v[h].flags & PB_VF_MARK);
    assert_true(g.vl.v[h].flags & PB_VF_SECTION);
    for (size_t i = h; i < body; i++)
        if (g.vl.v[i].kind == PB_V_PENALTY)
            assert_true(g.vl.v[i].cost >= PB_VCOST_FORBIDDEN);
    pb_galley_fini(&g);
}

/* A heading keeps the start of its first pair in both languages: under it, every break inside
 * the Chinese costs PB_VCOST_HEAD_PAIR; the turn to the English, the Chinese being longer than a
 * short pair's half, PB_VCOST_HEAD_SPLIT (it yields to a fifth of a page); inside the English
 * only the widow rule's; the list item's pair under no heading is short: the break between its
 * halves costs PB_VCOST_PAIR_SHORT. */
static void test_head_pair(void **state)
{
    fixture *fx = *state;
    pb_galley g;
    build(fx, PB_GALLEY_STACK, 0, 1, &g);
    size_t zh = first_box(&g, 4), en = first_box(&g, 5), item = first_box(&g, 6);
    size_t item_en = first_box(&g, 7), after = first_box(&g, 8);
    assert_true(g.paras[4].n_lines > PB_GALLEY_WHOLE_LINES); /* a long pair */
    size_t before_en = 0, turn = 0, li = 0;
    for (size_t i = zh; i < after; i++) {
        const pb_vitem *it = &g.vl.v[i];
        if (it->kind == PB_V_BOX && i >= en && i < item)
            li++;
        if (it->kind != PB_V_PENALTY)
            continue;
        if (i < en && g.vl.v[i + 1].kind == PB_V_GLUE) { /* the turn to the English */
            assert_true(fabs(it->cost - PB_VCOST_HEAD_SPLIT) < EPS);
            turn++;
        } else if (i < en) { /* inside the Chinese */
            assert_true(it->cost >= PB_VCOST_HEAD_PAIR);
            before_en++;
        } else if (i < item) { /* inside the English */
            if (g.vl.v[i + 1].kind == PB_V_BOX)
                assert_true(fabs(it->cost - widow_cost(&g.paras[5], li)) < EPS);
        } else if (i < item_en) { /* between the list item's halves */
            assert_true(fabs(it->cost - PB_VCOST_PAIR_SHORT) < EPS);
        }
    }
    assert_true(before_en >= 2);
    assert_int_equal(turn, 1);
    pb_galley_fini(&g);
}

/* The spread rule: in a booklet, the breaks inside a body pair carry PB_VF_PAIR; between pairs,
 * and in a galley without the rule, none does. */
static void test_spread_flags(void **state)
{
    fixture *fx = *state;
    pb_galley g;
    build(fx, PB_GALLEY_STACK, 0, 1, &g);
    size_t zh = first_box(&g, 4), en_end = first_box(&g, 6);
    size_t pair = 0, outside = 0;
    for (size_t i = 0; i < g.vl.n; i++) {
        if (g.vl.v[i].kind != PB_V_PENALTY)
            continue;
        if (i > zh && i < en_end && g.vl.v[i + 1].kind != PB_V_GLUE)
            pair += (g.vl.v[i].flags & PB_VF_PAIR) != 0;
        else if (g.vl.v[i].flags & PB_VF_PAIR && (i < zh || i > en_end))
            outside++;
    }
    assert_true(pair > 2);
    pb_galley_fini(&g);
    build(fx, PB_GALLEY_STACK, 0, 0, &g);
    for (size_t i = 0; i < g.vl.n; i++)
        assert_false(g.vl.v[i].flags & PB_VF_PAIR);
    pb_galley_fini(&g);
}

/* {keep}: the breaks inside the pair cost PB_VCOST_KEEP. */
static void test_keep(void **state)
{
    fixture *fx = *state;
    pb_galley g;
    build(fx, PB_GALLEY_STACK, 0, 1, &g);
    size_t zh = first_box(&g, 8);
    assert_int_equal(g.vl.v[zh + 1].kind, PB_V_PENALTY);
    assert_true(g.vl.v[zh + 1].cost >= PB_VCOST_KEEP);
    pb_galley_fini(&g);
}

/* A closing block and a heading over a one-line paragraph, in a document of their own. */
static const char CLOSING_DOC[] =
    "標題\nTitle\n"
    "一、第一節\nI. Section one\n"
    "是。\nYes, and the English answer runs on.\n"
    "正文。\nText.\n"
    "局長　林美玲{keep}\nLin Mei-ling, Commissioner{keep}\n"
    "中華民國115年3月18日{keep}\n18 March 2026\n"
    "附註。\nNote.\n";

/* The index of the penalty before block b's first box (the break between its pair and the one
 * before, glue between). */
static size_t penalty_before(const pb_galley *g, size_t b)
{
    size_t i = first_box(g, b);
    while (i > 0 && g->vl.v[i].kind != PB_V_PENALTY)
        i--;
    return i;
}

/* The pairs of doc (every pair: a block of two lines each) into pairs[]; their count. */
static size_t pairs_of(const pb_doc *doc, size_t *pairs)
{
    size_t n = 0;
    for (size_t i = 0; i < doc->n_blocks; i += 2)
        pairs[n++] = i;
    return n;
}

/* g: the galley of doc's first n pairs, set as kind on lay (on the grid, pairs on a spread). */
static void build_doc(fixture *fx, const pb_layout *lay, const pb_doc *doc, const size_t *pairs,
                      size_t n, pb_galley_kind kind, pb_galley *g)
{
    pb_galley z = {.doc = doc, .lay = lay, .fonts = fx->fonts, .scale = 1.0, .kind = kind,
                   .grid = 1, .spread = 1, .pairs = pairs, .n_pairs = n};
    *g = z;
    assert_int_equal(pb_galley_build(g), PB_OK);
}

/* {keep} pairs in a row stay together: the break between two costs PB_VCOST_KEEP, the break
 * after the run nothing; a heading over a one-line Chinese paragraph keeps the English too
 * (PB_VCOST_HEAD_PAIR: else the heading would end its page with one line under it). */
static void test_keep_run(void **state)
{
    fixture *fx = *state;
    pb_doc *doc = parse("c.txt", CLOSING_DOC, sizeof CLOSING_DOC - 1);
    size_t pairs[8], n = pairs_of(doc, pairs);
    pb_galley g;
    build_doc(fx, &fx->lay, doc, pairs, n, PB_GALLEY_STACK, &g);
    assert_true(g.vl.v[penalty_before(&g, 10)].cost >= PB_VCOST_KEEP);   /* signature | date */
    assert_true(g.vl.v[penalty_before(&g, 8)].cost < PB_VCOST_EMPTY(1)); /* text | signature */
    assert_true(g.vl.v[penalty_before(&g, 12)].cost < PB_VCOST_EMPTY(1)); /* date | note */
    assert_int_equal(g.paras[4].n_lines, 1);
    assert_true(g.vl.v[penalty_before(&g, 5)].cost >= PB_VCOST_HEAD_PAIR); /* 是。| Yes */
    pb_galley_fini(&g);
    pb_corpus_free(doc);
}

/* A closing block (the {keep}, {right} or {center} pairs that end the text set) keeps with the
 * text before it: set without the note after it, the signature and date end the text, and the
 * break before them costs PB_VCOST_KEEP (as the break inside them); with the note after them
 * (test_keep_run) it is free. */
static void test_closing_block(void **state)
{
    fixture *fx = *state;
    pb_doc *doc = parse("c.txt", CLOSING_DOC, sizeof CLOSING_DOC - 1);
    size_t pairs[8], n = pairs_of(doc, pairs) - 1; /* all but the note */
    pb_galley g;
    build_doc(fx, &fx->lay, doc, pairs, n, PB_GALLEY_STACK, &g);
    assert_true(g.vl.v[penalty_before(&g, 8)].cost >= PB_VCOST_KEEP);  /* text | signature */
    assert_true(g.vl.v[penalty_before(&g, 10)].cost >= PB_VCOST_KEEP); /* signature | date */
    assert_true(g.vl.v[penalty_before(&g, 6)].cost < PB_VCOST_EMPTY(1)); /* answer | text */
    pb_galley_fini(&g);
    pb_corpus_free(doc);
}

/* The register: every box and glue from the first body line on is a whole number of leadings
 * tall together with what follows up to the next body line: the body lines' tops are all on
 * the grid (their running sum from the list's start, glue at the start aside). */
static void test_register(void **state)
{
    fixture *fx = *state;
    pb_galley g;
    build(fx, PB_GALLEY_STACK, 1, 1, &g);
    double L = fx->lay.leading, y = 0;
    int on = 1;
    for (size_t i = 0; i < g.vl.n; i++) {
        const pb_vitem *it = &g.vl.v[i];
        if (it->kind == PB_V_BOX && it->n_lines == 1 && it->line[0].para->block &&
            it->line[0].para->block->kind == PB_BLOCK_PARA) {
            double k = y / L;
            on &= fabs(k - round(k)) < 1e-6;
            if (fabs(k - round(k)) >= 1e-6)
                print_error("body line at %.3f leadings\n", k);
        }
        y += it->kind == PB_V_BOX ? it->height + it->depth : it->kind == PB_V_GLUE ? it->height : 0;
    }
    assert_true(on);
    pb_galley_fini(&g);
    /* without the register the same list has a body line off the grid (the heading's 18 pt
     * leading, 3 pt between its lines) */
    build(fx, PB_GALLEY_STACK, 0, 1, &g);
    y = 0, on = 1;
    for (size_t i = 0; i < g.vl.n; i++) {
        const pb_vitem *it = &g.vl.v[i];
        if (it->kind == PB_V_BOX && it->n_lines == 1 && it->line[0].para->block &&
            it->line[0].para->block->kind == PB_BLOCK_PARA)
            on &= fabs(y / L - round(y / L)) < 1e-6;
        y += it->kind == PB_V_BOX ? it->height + it->depth : it->kind == PB_V_GLUE ? it->height : 0;
    }
    assert_false(on);
    pb_galley_fini(&g);
}

/* A list item hangs: its lines start list-indent in, its first line carries the bullet's hang;
 * the pair is one item: its English follows in the same indent without a bullet of its own. */
static void test_list_hang(void **state)
{
    fixture *fx = *state;
    pb_galley g;
    build(fx, PB_GALLEY_STACK, 0, 1, &g);
    const pb_vitem *it = &g.vl.v[first_box(&g, 6)];
    assert_true(fabs(it->line[0].x - fx->lay.list_indent) < EPS);
    assert_true(fabs(it->line[0].hang - fx->lay.list_indent) < EPS);
    const pb_vitem *en = &g.vl.v[first_box(&g, 7)];
    assert_true(fabs(en->line[0].x - fx->lay.list_indent) < EPS);
    assert_true(en->line[0].hang == 0);
    pb_galley_fini(&g);
}

/* A heading right under a heading (a chapter's first article): between them only the first's
 * space after, not the second's space above as well; above a heading after text, its space. */
static void test_heading_under_heading(void **state)
{
    fixture *fx = *state;
    assert_int_equal(fx->doc->blocks[4].kind, PB_BLOCK_HEADING);
    pb_galley g;
    build(fx, PB_GALLEY_STACK, 0, 1, &g);
    /* pt from the end of block a's last line to the start of block b's first */
    double gap[2];
    const size_t from[2] = {3, 7}, to[2] = {4, 8};
    for (int k = 0; k < 2; k++) {
        size_t i = first_box(&g, from[k]) + 1, j = first_box(&g, to[k]);
        while (i < j && g.vl.v[i].kind == PB_V_BOX && g.vl.v[i].n_lines &&
               g.vl.v[i].line[0].para == &g.paras[from[k]])
            i++;
        gap[k] = 0; /* glue, and the boxes of space a heading keeps below it */
        for (; i < j; i++)
            if (g.vl.v[i].kind == PB_V_GLUE || (g.vl.v[i].kind == PB_V_BOX && !g.vl.v[i].n_lines))
                gap[k] += g.vl.v[i].height + (g.vl.v[i].kind == PB_V_BOX ? g.vl.v[i].depth : 0);
    }
    assert_true(fabs(gap[0] - fx->lay.heading_space_after) < EPS);
    assert_true(gap[1] >= fx->lay.sub_space_before - EPS);
    pb_galley_fini(&g);
}

/* A pair's {right}, {center} and {left}: flush right, centred, flush left; unjustified; none
 * with the indent (a {left} contact block's lines stand one under the other). */
static void test_align_flags(void **state)
{
    fixture *fx = *state;
    pb_galley g = {.doc = fx->doc, .lay = &fx->lay, .scale = 1};
    pb_block b = {.kind = PB_BLOCK_PARA, .lang = PB_LANG_ZH};
    pb_style st;
    double leading;
    static const struct {
        unsigned flag;
        pb_line_align align;
        int indent;
    } cases[] = {{0, PB_ALIGN_JUSTIFIED, 1},
                 {PB_BLOCK_RIGHT, PB_ALIGN_END, 0},
                 {PB_BLOCK_CENTER, PB_ALIGN_CENTER, 0},
                 {PB_BLOCK_LEFT, PB_ALIGN_START, 0}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        b.flags = cases[i].flag;
        pb_galley_style(&g, &b, &st, &leading);
        assert_int_equal(st.align, cases[i].align);
        assert_int_equal(st.indent > 0, cases[i].indent);
    }
}

/* [text] align-en = left: the English body text is set ragged right (running text, not a
 * block of fields), the Chinese stays justified; a {left} block is still flush left. */
static void test_align_en(void **state)
{
    fixture *fx = *state;
    fx->lay.align_en = PB_ALIGN_LEFT;
    pb_galley g = {.doc = fx->doc, .lay = &fx->lay, .scale = 1};
    pb_block b = {.kind = PB_BLOCK_PARA, .lang = PB_LANG_EN};
    pb_style st;
    double leading;
    pb_galley_style(&g, &b, &st, &leading);
    assert_int_equal(st.align, PB_ALIGN_RAGGED);
    assert_true(st.indent > 0);
    b.flags = PB_BLOCK_LEFT;
    pb_galley_style(&g, &b, &st, &leading);
    assert_int_equal(st.align, PB_ALIGN_START);
    b.flags = 0;
    b.lang = PB_LANG_ZH;
    pb_galley_style(&g, &b, &st, &leading);
    assert_int_equal(st.align, PB_ALIGN_JUSTIFIED);
}

/* Columns: a pair's rows hold a line of each paragraph, the Chinese in column 0. */
static void test_columns_rows(void **state)
{
    fixture *fx = *state;
    pb_galley g;
    fx->lay.product = PB_PRODUCT_PARALLEL;
    build(fx, PB_GALLEY_COLUMNS, 0, 0, &g);
    const pb_vitem *it = &g.vl.v[first_box(&g, 4)];
    assert_true(it->flags & PB_VF_ROW);
    assert_int_equal(it->n_lines, 2);
    assert_int_equal(it->line[0].col, 0);
    assert_int_equal(it->line[1].col, 1);
    assert_true(it->line[1].x > it->line[0].x);
    pb_galley_fini(&g);
    fx->lay.product = PB_PRODUCT_BOOKLET;
}

/* Release: once the items before upto are placed, a paragraph whose lines all lie there is
 * freed and one with a line after it is kept; in the columns galley too (a row holds a line of
 * each paragraph of a pair). A paragraph waits packed (no glyphs, its lines and glyph count
 * kept) until the items that place it are opened. */
static void check_release(fixture *fx, pb_galley_kind kind)
{
    pb_galley g;
    build(fx, kind, 0, 0, &g);
    const pb_para *body = &g.paras[4];
    assert_true(body->n_lines >= 2);
    size_t first = first_box(&g, 4), last = first;
    for (size_t i = first; i < g.vl.n; i++)
        for (int c = 0; c < g.vl.v[i].n_lines; c++)
            if (g.vl.v[i].line[c].para == body)
                last = i;
    assert_true(last > first);
    assert_null(body->g);
    assert_true(body->n > 0);
    assert_int_equal(pb_galley_open(&g, 0, g.vl.n), PB_OK);
    assert_non_null(body->g);
    assert_int_equal(pb_galley_release(&g, last), PB_OK); /* its last line not yet placed */
    assert_non_null(body->g);
    assert_int_equal(body->n_lines > 1, 1);
    assert_null(g.paras[0].g); /* the title's lines are all placed */
    assert_int_equal(g.paras[0].n_lines, 0);
    assert_non_null(g.paras[6].g); /* the list item, after the body */
    assert_int_equal(pb_galley_release(&g, last + 1), PB_OK);
    assert_null(body->g);
    assert_int_equal(body->n_lines, 0);
    assert_non_null(g.paras[6].g);
    assert_int_equal(pb_galley_release(&g, g.vl.n), PB_OK);
    for (size_t b = 0; b < fx->doc->n_blocks; b++)
        assert_null(g.paras[b].g);
    pb_galley_fini(&g);
}

/* Every field of every glyph of para is the one of want. */
static void same_glyphs(const pb_para *para, const pb_para *want)
{
    assert_int_equal(para->n, want->n);
    for (size_t k = 0; k < para->n; k++) {
        const pb_pglyph *x = &para->g[k], *y = &want->g[k];
        assert_ptr_equal(x->font, y->font);
        assert_ptr_equal(x->text, y->text);
        assert_ptr_equal(x->link, y->link);
        assert_true(x->size == y->size && x->x == y->x && x->dy == y->dy &&
                    x->hscale == y->hscale);
        assert_int_equal(x->gid, y->gid);
        assert_int_equal(x->ntext, y->ntext);
        assert_int_equal(x->ruby, y->ruby);
        assert_int_equal(x->ruby_first, y->ruby_first);
        assert_int_equal(x->artifact, y->artifact);
    }
}

/* What a page draws of each line, read from the packed paragraph (pb_galley_put_text, the look
 * before a streamed product's pages are placed): the line's glyphs as composed, every field but
 * the position; nothing unpacked. */
static void same_text(const pb_galley *g, const pb_para *want)
{
    size_t lines = 0;
    for (size_t j = 0; j < g->vl.n; j++)
        for (size_t c = 0; g->vl.v[j].kind == PB_V_BOX && c < g->vl.v[j].n_lines; c++) {
            const pb_vline *vl = &g->vl.v[j].line[c];
            if (vl->para != &g->paras[want->block - g->doc->blocks])
                continue;
            pb_page p = {0};
            assert_int_equal(pb_galley_put_text(g, vl, &p), PB_OK);
            const pb_cline *ln = &want->lines[vl->line];
            assert_int_equal(p.n, ln->g1 - ln->g0);
            for (size_t k = 0; k < p.n; k++) {
                const pb_gpos *x = &p.g[k];
                const pb_pglyph *y = &want->g[ln->g0 + k];
                assert_ptr_equal(x->font, y->font);
                assert_ptr_equal(x->text, y->text);
                assert_ptr_equal(x->link, y->link);
                assert_true(x->size == y->size && x->hscale == y->hscale);
                assert_int_equal(x->gid, y->gid);
                assert_int_equal(x->ntext, y->ntext);
                assert_int_equal(x->ruby, y->ruby);
                assert_int_equal(x->ruby_first, y->ruby_first);
                assert_int_equal(x->artifact, y->artifact);
            }
            free(p.g);
            free(p.lines);
            lines++;
        }
    assert_int_equal(lines, want->n_lines);
}

/* A paragraph waits packed (no glyphs, its glyph count and lines kept); its lines read packed
 * (pb_galley_put_text) give the glyphs composed, and it stays packed; opened, its glyphs are the
 * ones composed, every field. */
static const char PACK_DOC[] =
    "標題\nTitle\n"
    "中國(guó)人工智能(néng)的*重點*，見<https://example.org/a>。\n"
    "See **the** *point* at <https://example.org/a>, an ex\xC2\xAD" "ample of fi ligatures.\n";

static void test_packed(void **state)
{
    fixture *fx = *state;
    pb_doc *doc = NULL;
    assert_int_equal(pb_corpus_parse("p.txt", (const uint8_t *)PACK_DOC, sizeof PACK_DOC - 1, &doc),
                     PB_OK);
    assert_int_equal(pb_normalize_doc(doc, NULL, NULL), PB_OK);
    size_t pairs[] = {0, 2};
    pb_galley g = {.doc = doc, .lay = &fx->lay, .fonts = fx->fonts, .scale = 1.0,
                   .kind = PB_GALLEY_STACK, .pairs = pairs, .n_pairs = 2};
    assert_int_equal(pb_galley_build(&g), PB_OK);
    pb_composer *c = NULL;
    assert_int_equal(pb_compose_new(fx->fonts, &fx->lay, &c), PB_OK);
    int ruby = 0, links = 0;
    for (size_t b = 0; b < doc->n_blocks; b++) {
        const pb_block *blk = &doc->blocks[b];
        pb_style sty;
        double leading;
        pb_galley_style(&g, blk, &sty, &leading);
        int display = blk->kind == PB_BLOCK_TITLE || blk->kind == PB_BLOCK_HEADING;
        double measure = pb_layout_measure(&fx->lay) -
                         (!display && (blk->flags & PB_BLOCK_LIST) ? fx->lay.list_indent : 0);
        pb_para want = {0};
        assert_int_equal(pb_compose_block(c, blk, "t.txt", &sty, measure, &want), PB_OK);
        assert_null(g.paras[b].g);
        assert_int_equal(g.paras[b].n, want.n);
        same_text(&g, &want);
        assert_null(g.paras[b].g);
        assert_int_equal(g.paras[b].n_lines, want.n_lines);
        size_t from = first_box(&g, b);
        assert_int_equal(pb_galley_open(&g, from, from + 1), PB_OK);
        same_glyphs(&g.paras[b], &want);
        same_text(&g, &want); /* unpacked, the same */
        for (size_t k = 0; k < want.n; k++)
            ruby += want.g[k].ruby, links += want.g[k].link != NULL;
        pb_compose_free_para(&want);
    }
    assert_true(ruby > 0 && links > 0); /* the kinds of glyph a paragraph packs */
    pb_compose_free(c);
    pb_galley_fini(&g);
    pb_corpus_free(doc);
}

static void test_release(void **state)
{
    fixture *fx = *state;
    check_release(fx, PB_GALLEY_STACK);
    fx->lay.product = PB_PRODUCT_PARALLEL;
    check_release(fx, PB_GALLEY_COLUMNS);
    fx->lay.product = PB_PRODUCT_BOOKLET;
}

/* A leaflet's parts: the kicker set as the headline (flush left), the standfirst (the
 * preamble's pair) larger, kept whole, no bookmark; in a booklet the same pair is body text. */
static const char LEAFLET_DOC[] =
    "標題\nTitle\n"
    "為此，中方倡議各國結合自身國情積極開展人工智能行動，本著相互尊重、互利共贏原則，加強政策交流"
    "與務實合作，分享最佳實踐和解決方案，共同推動人工智能造福人類。\n"
    "To this end, China calls upon all countries to proactively carry out AI+ campaigns in light "
    "of their national conditions, enhance policy exchange and practical cooperation.\n"
    "一、第一節\nI. Section one\n正文。\nText.\n";

static void test_leaflet_parts(void **state)
{
    fixture *fx = *state;
    pb_doc *doc = parse("l.txt", LEAFLET_DOC, sizeof LEAFLET_DOC - 1);
    assert_int_equal(doc->blocks[2].kind, PB_BLOCK_INTRO);
    size_t pairs[] = {0, 4, 2, 6}; /* kicker, headline, standfirst, text */
    for (int leaflet = 0; leaflet <= 1; leaflet++) {
        pb_galley g = {.doc = doc, .lay = &fx->lay, .fonts = fx->fonts, .scale = 1.0,
                       .kind = PB_GALLEY_STACK, .leaflet = leaflet,
                       .standfirst = doc->blocks[2].pair, .pairs = pairs, .n_pairs = 4};
        assert_int_equal(pb_galley_build(&g), PB_OK);
        pb_style st;
        double leading;
        pb_galley_style(&g, &doc->blocks[0], &st, &leading);
        assert_int_equal(st.align, leaflet ? PB_ALIGN_START : PB_ALIGN_CENTER);
        pb_galley_style(&g, &doc->blocks[2], &st, &leading);
        assert_true(fabs(st.size - (leaflet ? fx->lay.standfirst_size : fx->lay.text_size)) < EPS);
        size_t s0 = first_box(&g, 2), s1 = first_box(&g, 6);
        assert_true(g.paras[2].n_lines >= 3);
        int whole = 1;
        for (size_t i = s0; i < s1; i++) {
            if (g.vl.v[i].kind == PB_V_PENALTY && g.vl.v[i].cost < PB_VCOST_FORBIDDEN)
                whole = 0;
            if (g.vl.v[i].kind == PB_V_BOX)
                assert_false(g.vl.v[i].flags & PB_VF_MARK);
        }
        assert_int_equal(whole, leaflet); /* kept whole in a leaflet only */
        pb_galley_fini(&g);
    }
    pb_corpus_free(doc);
}

/* A quatrain and its translation set apart ({center}: a short verse), a centred pair of nine
 * lines as written (no short verse), then a paragraph. */
static const char VERSE_DOC[] =
    "標題\nTitle\n"
    "白日依山盡，<br>黃河入海流。<br>欲窮千里目，<br>更上一層樓。 {center}\n"
    "The white sun sets behind the hills,<br>the Yellow River flows into the sea.<br>"
    "To see a thousand li further,<br>climb one more storey. {center}\n"
    "一<br>二<br>三<br>四<br>五<br>六<br>七<br>八<br>九 {center}\n"
    "one<br>two<br>three<br>four<br>five<br>six<br>seven<br>eight<br>nine {center}\n"
    "正文。\nText.\n";

/* The penalties between block b's first box and block last's last one: whether each costs
 * PB_VCOST_KEEP at least for the short verse's rule (1), or none of them does (0). */
static int kept_whole(const pb_galley *g, size_t b, size_t last)
{
    size_t from = first_box(g, b), to = first_box(g, last) + 2 * g->paras[last].n_lines - 1;
    int all = 1, none = 1, seen = 0;
    for (size_t i = from; i < to && i < g->vl.n; i++)
        if (g->vl.v[i].kind == PB_V_PENALTY) {
            int kept = g->vl.v[i].cost >= PB_VCOST_KEEP && g->vl.v[i].why == PB_VWHY_VERSE;
            all &= kept;
            none &= !kept;
            seen = 1;
        }
    assert_true(seen);
    assert_true(all || none);
    return all;
}

/* A short verse (a set-apart pair of at most PB_GALLEY_VERSE_LINES lines a language) is kept
 * whole, stacked and in columns (review 10: a quatrain torn over a leaf's turn); a set-apart
 * pair of more lines is not; a short verse taller than the page is broken, its first box
 * flagged for the report (PB_VF_VERSE_OVER). */
static void test_verse(void **state)
{
    fixture *fx = *state;
    pb_doc *doc = parse("v.txt", VERSE_DOC, sizeof VERSE_DOC - 1);
    size_t pairs[8], n = pairs_of(doc, pairs);
    pb_galley g;
    for (int kind = PB_GALLEY_STACK; kind <= PB_GALLEY_COLUMNS; kind++) {
        build_doc(fx, &fx->lay, doc, pairs, n, (pb_galley_kind)kind, &g);
        assert_true(kept_whole(&g, 2, kind == PB_GALLEY_STACK ? 3 : 2)); /* the quatrain */
        assert_false(kept_whole(&g, 4, kind == PB_GALLEY_STACK ? 5 : 4)); /* nine lines */
        for (size_t i = 0; i < g.vl.n; i++)
            assert_false(g.vl.v[i].flags & PB_VF_VERSE_OVER);
        pb_galley_fini(&g);
    }
    pb_layout lay = fx->lay; /* a card whose page holds six lines */
    lay.margin_bottom = lay.page_h - lay.margin_top - 6 * lay.leading;
    build_doc(fx, &lay, doc, pairs, n, PB_GALLEY_STACK, &g);
    assert_false(kept_whole(&g, 2, 3));
    const pb_vitem *it = &g.vl.v[first_box(&g, 2)];
    assert_true(it->flags & PB_VF_VERSE_OVER);
    assert_int_equal(it->kept_lines, g.paras[2].n_lines + g.paras[3].n_lines);
    pb_galley_fini(&g);
    pb_corpus_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_widow_orphan_costs), cmocka_unit_test(test_heading_keep),
        cmocka_unit_test(test_spread_flags),       cmocka_unit_test(test_keep),
        cmocka_unit_test(test_register),           cmocka_unit_test(test_list_hang),
        cmocka_unit_test_setup_teardown(test_heading_under_heading, setup_headings, teardown),
        cmocka_unit_test(test_align_flags),
        cmocka_unit_test(test_align_en),
        cmocka_unit_test(test_columns_rows),       cmocka_unit_test(test_leaflet_parts),
        cmocka_unit_test(test_release),
        cmocka_unit_test(test_packed),
        cmocka_unit_test(test_head_pair),          cmocka_unit_test(test_keep_run),
        cmocka_unit_test(test_closing_block),      cmocka_unit_test(test_verse),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
