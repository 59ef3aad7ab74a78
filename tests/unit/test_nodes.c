/* Unit tests for src/nodes.c: boxes, glue and penalties of a paragraph, from text itemized and
 * shaped with the real fonts of the default layout. Run from the repository root. */
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
#include "diag.h"
#include "fonts.h"
#include "itemize.h"
#include "layout.h"
#include "nodes.h"
#include "shape.h"
#include "uchar.h"

#define HYPH_DIC "/usr/share/hyphen/hyph_en_US.dic"
#define MAXLEN 512
#define EPS 1e-9

#define assert_near(got, want, eps) near_at((got), (want), (eps), #got, __FILE__, __LINE__)
static void near_at(double got, double want, double eps, const char *what, const char *file,
                    int line)
{
    if (!(fabs(got - want) <= eps)) {
        print_error("%s = %.9g, want %.9g (+-%g)\n", what, got, want, eps);
        _fail(file, line);
    }
}

/* ---- fixture ------------------------------------------------------------------------------ */

typedef struct {
    pb_fontset *fonts;
    pb_breaker *br;
    pb_shaper *sh;
    pb_runs runs;
    pb_glyphs gl;
    pb_nodes nodes;
    uint32_t text[MAXLEN];
    uint32_t col[MAXLEN];
    uint8_t marks[MAXLEN]; /* with url_from < url_to: PB_MARK_URL over text[url_from, url_to) */
    size_t url_from, url_to;
    size_t len;
    double size;
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    pb_layout l;
    pb_layout_defaults(&l);
    if (pb_fonts_new(&l, NULL, &fx->fonts) != PB_OK ||
        pb_nodes_new(HYPH_DIC, &fx->br) != PB_OK || pb_shape_new("zh-Hant", "en", &fx->sh) != PB_OK)
        return -1;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    pb_nodes_free_list(&fx->nodes);
    pb_shape_free_glyphs(&fx->gl);
    pb_itemize_free(&fx->runs);
    pb_shape_free(fx->sh);
    pb_nodes_free(fx->br);
    pb_fonts_free(fx->fonts);
    free(fx);
    return 0;
}

/* Itemize, shape and build the nodes of utf8 (one block, line 1, col = 1..n). */
static void build(fixture *fx, const char *utf8, pb_lang lang, double size, double indent)
{
    size_t n = strlen(utf8);
    fx->len = 0;
    fx->size = size;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = pb_uchar_decode((const uint8_t *)utf8 + i, n - i, &cp);
        assert_true(k > 0);
        assert_true(fx->len < MAXLEN);
        fx->col[fx->len] = (uint32_t)fx->len + 1;
        fx->text[fx->len++] = cp;
        i += k;
    }
    pb_block b = {0};
    b.kind = PB_BLOCK_PARA;
    b.lang = lang;
    b.text = fx->text;
    b.len = fx->len;
    b.col = fx->col;
    b.line = 1;
    assert_int_equal(pb_itemize_block(&b, 0, fx->fonts, "t.txt", &fx->runs), PB_OK);
    assert_int_equal(pb_shape_runs(fx->sh, fx->text, fx->len, &fx->runs, &fx->gl), PB_OK);
    for (size_t k = 0; k < fx->len; k++)
        fx->marks[k] = k >= fx->url_from && k < fx->url_to ? PB_MARK_URL : 0;
    assert_int_equal(pb_nodes_build(fx->br, fx->text, fx->len,
                                    fx->url_from < fx->url_to ? fx->marks : NULL, &fx->gl, size,
                                    indent, lang == PB_LANG_ZH, &fx->nodes),
                     PB_OK);
}

/* ---- reading the node list ---------------------------------------------------------------- */

static const pb_node *node(const fixture *fx, size_t i) { return &fx->nodes.v[i]; }

static int is_box(const fixture *fx, size_t i) { return node(fx, i)->kind == PB_NODE_BOX; }

/* A legal break (TeX): glue right after a box, or a penalty below 10000. */
static int is_legal(const fixture *fx, size_t i)
{
    const pb_node *nd = node(fx, i);
    if (nd->kind == PB_NODE_GLUE)
        return i > 0 && is_box(fx, i - 1);
    return nd->kind == PB_NODE_PENALTY && nd->penalty < PB_PENALTY_INF;
}

/* Code points [c0, c1) drawn by glyphs [g0, g1) (clusters are monotone). */
static void glyph_span(const fixture *fx, size_t g0, size_t g1, size_t *c0, size_t *c1)
{
    *c0 = fx->gl.g[g0].cluster;
    *c1 = g1 < fx->gl.n ? fx->gl.g[g1].cluster : fx->len;
}

/* Text boxes draw glyphs; the indent box draws none. */
static int is_text_box(const fixture *fx, size_t i) { return is_box(fx, i) && node(fx, i)->g1 > node(fx, i)->g0; }

static uint32_t box_first(const fixture *fx, size_t i)
{
    size_t c0, c1;
    glyph_span(fx, node(fx, i)->g0, node(fx, i)->g1, &c0, &c1);
    return fx->text[c0];
}

static uint32_t box_last(const fixture *fx, size_t i)
{
    size_t c0, c1;
    glyph_span(fx, node(fx, i)->g0, node(fx, i)->g1, &c0, &c1);
    return fx->text[c1 - 1];
}

/* Index of the code point starting the first text box after node i, or len if none. */
static size_t next_text_pos(const fixture *fx, size_t i)
{
    for (size_t k = i + 1; k < fx->nodes.n; k++) {
        if (is_text_box(fx, k)) {
            size_t c0, c1;
            glyph_span(fx, node(fx, k)->g0, node(fx, k)->g1, &c0, &c1);
            return c0;
        }
        if (node(fx, k)->kind == PB_NODE_GLUE && node(fx, k)->glue_class == PB_GLUE_WORD)
            return SIZE_MAX; /* a space lies between */
    }
    return fx->len;
}

static size_t count_glue(const fixture *fx, pb_glue_class cls)
{
    size_t n = 0;
    for (size_t i = 0; i < fx->nodes.n; i++)
        n += node(fx, i)->kind == PB_NODE_GLUE && node(fx, i)->glue_class == cls;
    return n;
}

static double font_width(pb_font *f, uint32_t cp, double size)
{
    uint32_t g = pb_font_get_glyph(f, cp);
    assert_int_not_equal(g, 0);
    return pb_font_get_advance(f, g) * size / pb_font_get_upem(f);
}

/* Invariants of every list: ends with \penalty10000 \hskip fill \penalty-10000; text boxes and
 * word glue draw every glyph exactly once, in order; box.han and box.chars count their text. */
static void check_list(const fixture *fx)
{
    const pb_nodes *nl = &fx->nodes;
    assert_true(nl->n >= 3);
    const pb_node *a = &nl->v[nl->n - 3], *b = &nl->v[nl->n - 2], *c = &nl->v[nl->n - 1];
    assert_int_equal(a->kind, PB_NODE_PENALTY);
    assert_int_equal(a->penalty, PB_PENALTY_INF);
    assert_int_equal(b->kind, PB_NODE_GLUE);
    assert_int_equal(b->glue_class, PB_GLUE_FILL);
    assert_near(b->width, 0, EPS);
    assert_true(b->stretch > 0);
    assert_near(b->shrink, 0, EPS);
    assert_int_equal(c->kind, PB_NODE_PENALTY);
    assert_int_equal(c->penalty, -PB_PENALTY_INF);
    for (size_t i = 0; i + 3 < nl->n; i++) /* no other fill, no other forced break */
        assert_false((nl->v[i].kind == PB_NODE_GLUE && nl->v[i].glue_class == PB_GLUE_FILL) ||
                     (nl->v[i].kind == PB_NODE_PENALTY && nl->v[i].penalty <= -PB_PENALTY_INF));

    size_t g = 0;
    uint32_t han_total = 0, han_text = 0;
    for (size_t i = 0; i < nl->n; i++) {
        const pb_node *nd = &nl->v[i];
        int draws = (nd->kind == PB_NODE_BOX && nd->g1 > nd->g0) ||
                    (nd->kind == PB_NODE_GLUE && nd->g1 > nd->g0); /* a space's glyph */
        if (!draws)
            continue;
        assert_int_equal(nd->g0, g);
        assert_true(nd->g1 > nd->g0);
        g = nd->g1;
        if (nd->kind != PB_NODE_BOX)
            continue;
        size_t c0, c1;
        glyph_span(fx, nd->g0, nd->g1, &c0, &c1);
        uint32_t han = 0, chars = 0;
        double w = 0;
        for (size_t k = c0; k < c1; k++) {
            han += (uint32_t)pb_uchar_is_han(fx->text[k]);
            chars += (uint32_t)(!pb_nodes_is_line_start_prohibited(fx->text[k]) &&
                                !pb_uchar_is_default_ignorable(fx->text[k]));
        }
        for (size_t k = nd->g0; k < nd->g1; k++)
            w += fx->gl.g[k].x_advance * fx->size / pb_font_get_upem(fx->gl.g[k].font);
        assert_int_equal(nd->han, han);
        assert_int_equal(nd->chars, chars);
        assert_true(nd->width > 0);
        assert_near(nd->width, w, 1e-6);
        han_total += nd->han;
    }
    assert_int_equal(g, fx->gl.n);
    for (size_t k = 0; k < fx->len; k++)
        han_text += (uint32_t)pb_uchar_is_han(fx->text[k]);
    assert_int_equal(han_total, han_text);
}

/* The clreq rules at every legal break: nothing line-start prohibited after it, nothing
 * line-end prohibited before it, and no break before or inside —— and ……. Returns the number
 * of legal breaks inside the text. */
static size_t check_prohibitions(const fixture *fx)
{
    size_t legal = 0;
    for (size_t i = 0; i + 3 < fx->nodes.n; i++) {
        if (!is_legal(fx, i))
            continue;
        size_t p = i;
        while (p > 0 && !is_text_box(fx, p))
            p--;
        if (!is_text_box(fx, p))
            continue; /* nothing before it */
        size_t q = i + 1;
        while (q < fx->nodes.n && !is_text_box(fx, q))
            q++;
        if (q >= fx->nodes.n)
            continue; /* the paragraph end */
        uint32_t before = box_last(fx, p), after = box_first(fx, q);
        legal++;
        if (pb_nodes_is_line_start_prohibited(after) || pb_nodes_is_line_end_prohibited(before) ||
            after == 0x2014 || after == 0x2026)
            print_error("legal break at node %zu between U+%04X and U+%04X\n", i,
                        (unsigned)before, (unsigned)after);
        assert_false(pb_nodes_is_line_start_prohibited(after));
        assert_false(pb_nodes_is_line_end_prohibited(before));
        assert_int_not_equal(after, 0x2014);
        assert_int_not_equal(after, 0x2026);
    }
    return legal;
}

/* The penalty of the legal break right before text position pos, or PB_PENALTY_INF when there
 * is none (a break at glue: 0). */
static const pb_node *break_node(const fixture *fx, size_t pos);
static int break_before(const fixture *fx, size_t pos)
{
    const pb_node *nd = break_node(fx, pos);
    return !nd ? PB_PENALTY_INF : nd->kind == PB_NODE_PENALTY ? nd->penalty : 0;
}

/* position of the n-th (from 0) occurrence of code point c */
static size_t pos_of(const fixture *fx, uint32_t c, int n)
{
    for (size_t k = 0; k < fx->len; k++)
        if (fx->text[k] == c && n-- == 0)
            return k;
    fail_msg("U+%04X not found", (unsigned)c);
    return 0;
}

/* position of the first occurrence of utf8 in the text */
static size_t text_pos(const fixture *fx, const char *utf8)
{
    uint32_t w[64];
    size_t n = 0;
    for (size_t i = 0, m = strlen(utf8); i < m && n < 64;) {
        size_t k = pb_uchar_decode((const uint8_t *)utf8 + i, m - i, &w[n++]);
        assert_true(k > 0);
        i += k;
    }
    for (size_t k = 0; k + n <= fx->len; k++)
        if (!memcmp(&fx->text[k], w, n * sizeof *w))
            return k;
    fail_msg("\"%s\" not found", utf8);
    return 0;
}

/* ---- tests -------------------------------------------------------------------------------- */

static void test_classes(void **state)
{
    (void)state;
    static const uint32_t start[] = {0x3001, 0xFF0C, 0x3002, 0xFF1A, 0xFF1B, 0xFF01, 0xFF1F,
                                     0x300D, 0x300F, 0x201D, 0x2019, 0xFF09, 0x300B, 0x3009,
                                     0x3011, 0x3015, 0x3017, 0x00B7, 0x2027, 0x2014, 0x2026,
                                     ',', '.', ';', ':', '?', '!', ')', ']', '}'};
    static const uint32_t end[] = {0x300C, 0x300E, 0x201C, 0x2018, 0xFF08, 0x300A, 0x3008,
                                   0x3010, 0x3014, 0x3016, '(', '[', '{'};
    static const uint32_t neither[] = {0x570B, 'a', '1', ' ', '+', '-', 0x3000};
    for (size_t i = 0; i < sizeof start / sizeof start[0]; i++) {
        assert_true(pb_nodes_is_line_start_prohibited(start[i]));
        assert_false(pb_nodes_is_line_end_prohibited(start[i]));
    }
    for (size_t i = 0; i < sizeof end / sizeof end[0]; i++) {
        assert_true(pb_nodes_is_line_end_prohibited(end[i]));
        assert_false(pb_nodes_is_line_start_prohibited(end[i]));
    }
    for (size_t i = 0; i < sizeof neither / sizeof neither[0]; i++) {
        assert_false(pb_nodes_is_line_start_prohibited(neither[i]));
        assert_false(pb_nodes_is_line_end_prohibited(neither[i]));
    }
}

/* Ten ideographs: ten one-em boxes with nine CJK glues (width 0, stretch only) between. */
static void test_chinese_boxes_and_cjk_glue(void **state)
{
    fixture *fx = *state;
    build(fx, "人工智能賦能千行百業", PB_LANG_ZH, 10, 0);
    check_list(fx);
    assert_int_equal(fx->nodes.n, 10 + 9 + 3);
    for (size_t i = 0; i < 19; i++) {
        const pb_node *nd = node(fx, i);
        if (i % 2 == 0) {
            assert_int_equal(nd->kind, PB_NODE_BOX);
            assert_near(nd->width, 10, EPS); /* an ideograph is 1 em */
            assert_int_equal(nd->han, 1);
            assert_int_equal(nd->chars, 1);
            assert_int_equal(nd->g1 - nd->g0, 1);
        } else {
            assert_int_equal(nd->kind, PB_NODE_GLUE);
            assert_int_equal(nd->glue_class, PB_GLUE_CJK);
            assert_near(nd->width, 0, EPS);
            assert_true(nd->stretch > 0);
            assert_near(nd->shrink, 0, EPS);
            assert_true(is_legal(fx, i)); /* any two ideographs may be broken between */
        }
    }
    /* CJK glue scales with the type size */
    double st10 = node(fx, 1)->stretch;
    build(fx, "人工", PB_LANG_ZH, 20, 0);
    assert_near(node(fx, 1)->stretch, 2 * st10, EPS);
    assert_near(node(fx, 0)->width, 20, EPS);
}

/* A text rich in marks: no legal break before a closing/stop mark or after an opening one. */
static void test_prohibitions(void **state)
{
    fixture *fx = *state;
    static const char *const texts[] = {
        "他說：「我們要推動『人工智能+』行動，共建、共享。」然後（再）討論《規劃》〈細則〉【附錄】"
        "〔注〕……好嗎？是的！——當然。",
        "「「雙重」」，，。。！？」」（（括號））《《書名》》",
        "他說：“人工智能+”是‘新’的。然後……",
        "AI（人工智能）、IoT；5G：好！",
        "Hello, world! (see [1]; {x}) — end.",
    };
    for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
        build(fx, texts[t], t == 4 ? PB_LANG_EN : PB_LANG_ZH, 10, 0);
        check_list(fx);
        size_t legal = check_prohibitions(fx);
        assert_true(legal >= 2); /* the text is breakable at all */
    }
    /* every mark of the first text that may not start a line has no break right before it */
    build(fx, texts[0], PB_LANG_ZH, 10, 0);
    size_t marks = 0;
    for (size_t i = 1; i < fx->nodes.n; i++)
        if (is_text_box(fx, i) && pb_nodes_is_line_start_prohibited(box_first(fx, i))) {
            marks++;
            for (size_t k = i - 1; k > 0 && !is_text_box(fx, k); k--)
                assert_false(is_legal(fx, k));
        }
    assert_true(marks >= 10);
}

/* "——" and "……" stay whole and never start a line. */
static void test_dash_and_ellipsis(void **state)
{
    fixture *fx = *state;
    build(fx, "他說——我們……好——是", PB_LANG_ZH, 10, 0);
    check_list(fx);
    check_prohibitions(fx);
    /* for every position of a dash or ellipsis: no legal break before it */
    size_t found = 0;
    for (size_t i = 0; i < fx->nodes.n; i++) {
        if (!is_legal(fx, i))
            continue;
        size_t pos = next_text_pos(fx, i);
        if (pos == SIZE_MAX || pos >= fx->len)
            continue;
        assert_int_not_equal(fx->text[pos], 0x2014);
        assert_int_not_equal(fx->text[pos], 0x2026);
        found++;
    }
    /* after them, the text may break: 說|——我|們……好|——是 has breaks before 我 and 好 */
    assert_true(found >= 2);
    for (size_t k = 0; k < fx->len; k++)
        if (fx->text[k] == 0x6211 || fx->text[k] == 0x597D) { /* 我 好 */
            int ok = 0;
            for (size_t i = 0; i < fx->nodes.n; i++)
                ok |= is_legal(fx, i) && next_text_pos(fx, i) == k;
            assert_true(ok);
        }
    /* in English text, too */
    build(fx, "wait——what……no", PB_LANG_EN, 10, 0);
    check_list(fx);
    check_prohibitions(fx);
}

/* Han-Latin glue: 1/4 em, shrink 1/8 em, stretch 1/12 em (to 1/3 em); on both sides of AI. */
static void test_han_latin_glue(void **state)
{
    fixture *fx = *state;
    static const double sizes[] = {10, 12};
    for (size_t s = 0; s < 2; s++) {
        double size = sizes[s];
        build(fx, "我們用AI技術", PB_LANG_ZH, size, 0);
        check_list(fx);
        assert_int_equal(count_glue(fx, PB_GLUE_HAN_LATIN), 2);
        size_t seen = 0;
        for (size_t i = 0; i < fx->nodes.n; i++) {
            const pb_node *nd = node(fx, i);
            if (nd->kind != PB_NODE_GLUE || nd->glue_class != PB_GLUE_HAN_LATIN)
                continue;
            assert_near(nd->width, size * 0.25, EPS);
            assert_near(nd->shrink, size * 0.125, EPS);
            assert_near(nd->stretch, size / 12, EPS);
            assert_near(nd->width + nd->stretch, size / 3, EPS);
            assert_near(nd->width - nd->shrink, size / 8, EPS);
            assert_int_equal(nd->g0, nd->g1); /* draws nothing: not a character */
            /* between 用 and A, then between I and 技 */
            assert_true(is_box(fx, i - 1));
            size_t q = i + 1;
            while (!is_box(fx, q))
                q++;
            if (seen++ == 0) {
                assert_int_equal(box_last(fx, i - 1), 0x7528);
                assert_int_equal(box_first(fx, q), 'A');
            } else {
                assert_int_equal(box_last(fx, i - 1), 'I');
                assert_int_equal(box_first(fx, q), 0x6280);
            }
            assert_true(is_legal(fx, i));
        }
        /* "AI" is one box of two Latin glyphs, as wide as their advances */
        pb_font *lat = pb_fonts_get(fx->fonts, PB_ROLE_LATIN);
        int ai = 0;
        for (size_t i = 0; i < fx->nodes.n; i++)
            if (is_text_box(fx, i) && box_first(fx, i) == 'A') {
                ai = 1;
                assert_int_equal(box_last(fx, i), 'I');
                assert_int_equal(node(fx, i)->han, 0);
                assert_int_equal(node(fx, i)->chars, 2);
                assert_near(node(fx, i)->width,
                            font_width(lat, 'A', size) + font_width(lat, 'I', size), 1e-6);
            }
        assert_true(ai);
    }
}

/* Digits get the Han-Latin space too; a number and its unit (年) are not split. */
static void test_han_digit_glue(void **state)
{
    fixture *fx = *state;
    build(fx, "聯合國2030年", PB_LANG_ZH, 10, 0);
    check_list(fx);
    assert_int_equal(count_glue(fx, PB_GLUE_HAN_LATIN), 2);
    for (size_t i = 0; i < fx->nodes.n; i++) {
        const pb_node *nd = node(fx, i);
        if (nd->kind != PB_NODE_GLUE || nd->glue_class != PB_GLUE_HAN_LATIN)
            continue;
        size_t pos = next_text_pos(fx, i);
        if (fx->text[pos] == 0x5E74) /* 年 */
            assert_false(is_legal(fx, i));
        else
            assert_int_equal(fx->text[pos], '2');
    }
    /* no break inside 2030 */
    for (size_t i = 0; i < fx->nodes.n; i++)
        if (is_legal(fx, i)) {
            size_t pos = next_text_pos(fx, i);
            assert_false(pos < fx->len && pos > 0 && fx->text[pos] >= '0' && fx->text[pos] <= '9' &&
                         fx->text[pos - 1] >= '0' && fx->text[pos - 1] <= '9');
        }
    /* a sign that opens a number starts the Latin token: the gap before it, none after */
    /* an exponent ends its number as the number's last digit would: 10¹⁵ 次, m² 紙 */
    build(fx, "逾10¹⁵次，80g/m²紙", PB_LANG_ZH, 10, 0);
    check_list(fx);
    assert_int_equal(count_glue(fx, PB_GLUE_HAN_LATIN), 3); /* 逾|10, ¹⁵|次, ²|紙 */
    /* a note mark is no exponent: solid against the Han it marks or follows (review 8 C6) */
    build(fx, "¹國立大學　²中研院；見註¹與註²。", PB_LANG_ZH, 10, 0);
    check_list(fx);
    assert_int_equal(count_glue(fx, PB_GLUE_HAN_LATIN), 0);
    /* a minus sign opens its number as + does (可在-2℃, 至−5℃: review 9 A14); the hyphen of a
     * range after a date's unit does not (10日-12日) */
    build(fx, "可在-2℃至\u22125℃，10日-12日", PB_LANG_ZH, 10, 0);
    check_list(fx);
    assert_int_equal(count_glue(fx, PB_GLUE_HAN_LATIN), 4); /* 在|-2, 至|−5, 10|日, 12|日 */
    for (size_t i = 0; i < fx->nodes.n; i++) {
        const pb_node *nd = node(fx, i);
        if (nd->kind == PB_NODE_GLUE && nd->glue_class == PB_GLUE_HAN_LATIN) {
            size_t at = next_text_pos(fx, i);
            assert_true(fx->text[at] == '-' || fx->text[at] == 0x2212 || fx->text[at] == 0x65E5);
            assert_true(at != pos_of(fx, '-', 1));
        }
    }
    build(fx, "電話+86，約$5，每千字¥80，€5", PB_LANG_ZH, 10, 0);
    check_list(fx);
    assert_int_equal(count_glue(fx, PB_GLUE_HAN_LATIN), 3);
    for (size_t i = 0; i < fx->nodes.n; i++) {
        const pb_node *nd = node(fx, i);
        uint32_t c = nd->kind == PB_NODE_GLUE && nd->glue_class == PB_GLUE_HAN_LATIN
                         ? fx->text[next_text_pos(fx, i)]
                         : '+';
        assert_true(c == '+' || c == '$' || c == 0x00A5);
    }
}

/* No Han-Latin glue next to Chinese punctuation. */
static void test_no_han_latin_glue_at_punct(void **state)
{
    fixture *fx = *state;
    build(fx, "技術，AI。", PB_LANG_ZH, 10, 0);
    check_list(fx);
    assert_int_equal(count_glue(fx, PB_GLUE_HAN_LATIN), 0);
    check_prohibitions(fx);
    build(fx, "「AI」（IoT）、5G；", PB_LANG_ZH, 10, 0);
    check_list(fx);
    assert_int_equal(count_glue(fx, PB_GLUE_HAN_LATIN), 0);
    check_prohibitions(fx);
    /* only the side touching the ideograph gets it */
    build(fx, "用AI，好", PB_LANG_ZH, 10, 0);
    check_list(fx);
    assert_int_equal(count_glue(fx, PB_GLUE_HAN_LATIN), 1);
}

/* English spaces: word glue drawing the space glyph, stretch 1/2 and shrink 1/3 of its width. */
static void test_word_glue(void **state)
{
    fixture *fx = *state;
    build(fx, "we build it", PB_LANG_EN, 10, 0);
    check_list(fx);
    assert_int_equal(count_glue(fx, PB_GLUE_WORD), 2);
    assert_int_equal(count_glue(fx, PB_GLUE_CJK) + count_glue(fx, PB_GLUE_HAN_LATIN), 0);
    double space = font_width(pb_fonts_get(fx->fonts, PB_ROLE_LATIN), ' ', 10);
    assert_true(space > 0);
    for (size_t i = 0; i < fx->nodes.n; i++) {
        const pb_node *nd = node(fx, i);
        if (nd->kind != PB_NODE_GLUE || nd->glue_class != PB_GLUE_WORD)
            continue;
        assert_near(nd->width, space, 1e-6);
        assert_near(nd->stretch, nd->width / 2, EPS);
        assert_near(nd->shrink, nd->width / 3, EPS);
        assert_int_equal(nd->g1 - nd->g0, 1);
        assert_int_equal(fx->text[fx->gl.g[nd->g0].cluster], ' ');
        assert_true(is_legal(fx, i));
    }
    /* nodes: we _ build _ it + end: no penalties in between (no hyphenation of short words) */
    assert_int_equal(fx->nodes.n, 5 + 3);
    /* a space before a closing mark is no break */
    build(fx, "word ) and", PB_LANG_EN, 10, 0);
    check_list(fx);
    check_prohibitions(fx);
}

/* An ideographic space the author typed (第五条　公共数据: a 全角空格 after an article number) is
 * a fixed em of Han text: it stretches at most as an inter-character gap does and when the
 * ideographs do (PB_GLUE_CJK), never first and to half an em more as a Western word space
 * (review 9 B2: 1.5 em after 第五条 in a justified line), and does not shrink. */
static void test_ideographic_space_glue(void **state)
{
    fixture *fx = *state;
    build(fx, "第五条\u3000公共数据分为三类。", PB_LANG_ZH, 10, 0);
    check_list(fx);
    size_t sp = pos_of(fx, 0x3000, 0), seen = 0;
    for (size_t i = 0; i < fx->nodes.n; i++) {
        const pb_node *nd = node(fx, i);
        if (nd->kind != PB_NODE_GLUE || nd->g1 <= nd->g0 || fx->gl.g[nd->g0].cluster != sp)
            continue;
        seen++;
        assert_int_equal(nd->glue_class, PB_GLUE_CJK);
        assert_near(nd->width, 10, 1e-6);
        assert_true(nd->stretch <= 0.1 * 10 + EPS);
        assert_near(nd->shrink, 0, EPS);
        assert_near(nd->give, 0, EPS);
        assert_true(is_legal(fx, i));
    }
    assert_int_equal(seen, 1);
}

/* Every hyphenation penalty (10 pt text): a small cost, between two pieces of a word, the Latin
 * font's hyphen drawn if taken; a soft hyphen's (soft set) only before code point soft_at. */
static void check_hyphen_penalties(const fixture *fx, size_t soft_at)
{
    pb_font *lat = pb_fonts_get(fx->fonts, PB_ROLE_LATIN);
    uint32_t hy = pb_font_get_glyph(lat, '-');
    assert_int_not_equal(hy, 0);
    for (size_t i = 0; i < fx->nodes.n; i++) {
        const pb_node *nd = node(fx, i);
        if (nd->kind != PB_NODE_PENALTY || !nd->flagged)
            continue;
        assert_true(nd->penalty > 0 && nd->penalty < PB_PENALTY_INF);
        assert_ptr_equal(nd->hyphen_font, lat);
        assert_int_equal(nd->hyphen_gid, hy);
        assert_true(nd->width > 0);
        assert_near(nd->width, font_width(lat, '-', 10), 1e-6);
        assert_int_equal(nd->soft, next_text_pos(fx, i) == soft_at);
        assert_true(is_box(fx, i - 1));
        assert_true(is_box(fx, i + 1));
    }
}

static size_t flagged_positions(const fixture *fx, size_t *pos, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < fx->nodes.n; i++) {
        const pb_node *nd = node(fx, i);
        if (nd->kind != PB_NODE_PENALTY || !nd->flagged)
            continue;
        assert_true(n < max);
        pos[n++] = next_text_pos(fx, i);
    }
    return n;
}

/* Liang hyphenation with hyph_en_US: inter-na-tional and coop-er-a-tion (the patterns' own
 * points, at least 3 letters before and after: "in-" and "co-" are too short to leave behind).
 * Each flagged penalty draws the Latin font's hyphen if taken. */
static void test_hyphenation(void **state)
{
    fixture *fx = *state;
    build(fx, "international cooperation", PB_LANG_EN, 10, 0);
    check_list(fx);
    size_t pos[32];
    size_t n = flagged_positions(fx, pos, 32);
    static const size_t want[] = {5, 7, 14 + 4, 14 + 6, 14 + 7};
    assert_int_equal(n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(pos[i], want[i]);
    /* never fewer than 3 letters before or after, inside the word */
    for (size_t i = 0; i < n; i++) {
        size_t w0 = pos[i], w1 = pos[i];
        while (w0 > 0 && fx->text[w0 - 1] != ' ')
            w0--;
        while (w1 < fx->len && fx->text[w1] != ' ')
            w1++;
        assert_true(pos[i] - w0 >= 3);
        assert_true(w1 - pos[i] >= 3);
    }
    check_hyphen_penalties(fx, SIZE_MAX);
    /* a capitalised word (a name, a sentence's first word) hyphenates at the same points, but
     * only as a last resort: its penalty is far above a lower-case word's */
    build(fx, "International international", PB_LANG_EN, 10, 0);
    n = flagged_positions(fx, pos, 32);
    assert_int_equal(n, 4);
    assert_int_equal(pos[0], 5);
    assert_int_equal(pos[1], 7);
    double cap = 0, low = 0;
    for (size_t i = 0; i < fx->nodes.n; i++) {
        const pb_node *nd = node(fx, i);
        if (nd->kind == PB_NODE_PENALTY && nd->flagged && nd->hyphen_gid)
            *(next_text_pos(fx, i) < 13 ? &cap : &low) = nd->penalty;
    }
    assert_true(low > 0 && low < PB_PENALTY_INF);
    assert_true(cap >= 9 * low && cap < PB_PENALTY_INF);
}

/* Words too short, or glued to digits or other letters, are not hyphenated. */
static void test_no_hyphenation(void **state)
{
    fixture *fx = *state;
    size_t pos[8];
    build(fx, "AI+ is a tool", PB_LANG_EN, 10, 0);
    assert_int_equal(flagged_positions(fx, pos, 8), 0);
    build(fx, "x2international", PB_LANG_EN, 10, 0);
    assert_int_equal(flagged_positions(fx, pos, 8), 0);
    /* an English word inside Chinese is hyphenated by the same rules */
    build(fx, "推動international合作", PB_LANG_ZH, 10, 0);
    check_list(fx);
    size_t n = flagged_positions(fx, pos, 8);
    assert_int_equal(n, 2);
    assert_int_equal(pos[0], 2 + 5);
}

static const pb_node *penalty_before(const fixture *fx, size_t pos);

/* A tie of the given cost (flagged tie for the breaker) right before text position pos. */
static void assert_tie_of(const fixture *fx, size_t pos, int cost, const char *what)
{
    const pb_node *p = penalty_before(fx, pos);
    if (!p || p->penalty != cost || !p->tie)
        print_error("%s: %s\n", what, !p ? "no penalty (a free break or none)" : "not a tie");
    assert_non_null(p);
    assert_int_equal(p->penalty, cost);
    assert_true(p->tie);
}

/* After an explicit hyphen the break is flagged (a hyphenated line) but draws no second hyphen. */
static void test_explicit_hyphen(void **state)
{
    fixture *fx = *state;
    build(fx, "state-owned", PB_LANG_EN, 10, 0);
    check_list(fx);
    int found = 0;
    for (size_t i = 0; i < fx->nodes.n; i++) {
        const pb_node *nd = node(fx, i);
        if (nd->kind != PB_NODE_PENALTY || nd->penalty >= PB_PENALTY_INF || next_text_pos(fx, i) != 6)
            continue;
        found = 1;
        assert_true(nd->flagged);
        assert_near(nd->width, 0, EPS);
        assert_int_equal(nd->hyphen_gid, 0);
        assert_int_equal(box_last(fx, i - 1), '-');
    }
    assert_true(found);
    /* not where a side would keep fewer letters than the patterns' minimums (2 before, 3
     * after): e-|ticket, X-|ray, co-|op; self-|ish keeps 4 and 3; between digit groups only as
     * a tie (2025-|2030, as 2345-|6789: nodes.c number_group_at) */
    build(fx, "an e-ticket, an X-ray, 2025-2030, co-op and self-ish", PB_LANG_EN, 10, 0);
    check_list(fx);
    assert_int_equal(break_before(fx, pos_of(fx, 't', 0)), PB_PENALTY_INF);  /* e-|ticket */
    assert_int_equal(break_before(fx, pos_of(fx, 'r', 0)), PB_PENALTY_INF);  /* X-|ray */
    assert_tie_of(fx, pos_of(fx, '2', 2), 300, "2025-|2030");
    assert_int_equal(break_before(fx, pos_of(fx, 'o', 1)), PB_PENALTY_INF);  /* co-|op */
    assert_true(break_before(fx, pos_of(fx, 'i', 1)) < PB_PENALTY_INF);      /* self-|ish */
    /* a romanized given name breaks at its hyphen only as a last resort; Asia-Pacific freely */
    build(fx, "Chen Chih-ming of the Asia-Pacific forum", PB_LANG_EN, 10, 0);
    check_list(fx);
    assert_true(break_before(fx, pos_of(fx, 'm', 0)) >= 9000);
    assert_true(break_before(fx, pos_of(fx, 'P', 0)) < 100);
}

/* Legal breaks inside the text: positions of the code point after each, in order. */
static size_t legal_positions(const fixture *fx, size_t *pos, int *flagged, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i + 3 < fx->nodes.n; i++) {
        if (!is_legal(fx, i))
            continue;
        size_t p = next_text_pos(fx, i);
        if (node(fx, i)->kind == PB_NODE_GLUE) { /* a space: the text after it */
            size_t k = i + 1;
            while (k < fx->nodes.n && !is_text_box(fx, k))
                k++;
            p = k < fx->nodes.n ? fx->gl.g[node(fx, k)->g0].cluster : fx->len;
        }
        assert_true(n < max);
        flagged[n] = node(fx, i)->kind == PB_NODE_PENALTY && node(fx, i)->flagged;
        pos[n++] = p;
    }
    return n;
}

/* U+00AD SOFT HYPHEN is a discretionary hyphen (TeX's \-): the word may break there only, and
 * the font's hyphen is drawn if the line ends there; a word holding one is not hyphenated by
 * the patterns (CSS Text 3, hyphens: automatic opportunities are ignored in a word with a
 * soft hyphen). The soft hyphen itself draws nothing. */
static void test_soft_hyphen(void **state)
{
    fixture *fx = *state;
    build(fx, "extra\u00ADordinary international", PB_LANG_EN, 10, 0);
    assert_int_equal(fx->len, 28);
    check_list(fx);
    assert_int_equal(fx->gl.n, fx->len - 1); /* no glyph for U+00AD */
    size_t pos[32];
    int flagged[32];
    size_t n = legal_positions(fx, pos, flagged, 32);
    /* extra-ordinary at its soft hyphen only; the space; inter-na-tional by the patterns */
    static const size_t want[] = {6, 15, 15 + 5, 15 + 7};
    static const int want_flagged[] = {1, 0, 1, 1};
    assert_int_equal(n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(pos[i], want[i]);
        assert_int_equal(flagged[i], want_flagged[i]);
    }
    check_hyphen_penalties(fx, 6);
    /* two soft hyphens in a word: both, and nothing else */
    build(fx, "inter\u00ADnation\u00ADalization", PB_LANG_EN, 10, 0);
    check_list(fx);
    n = legal_positions(fx, pos, flagged, 32);
    assert_int_equal(n, 2);
    assert_int_equal(pos[0], 6);
    assert_int_equal(pos[1], 13);
    assert_true(flagged[0] && flagged[1]);
}

/* Default ignorables draw nothing (HarfBuzz removes them; their code points join the glyph's
 * cluster before them): U+200B ZERO WIDTH SPACE is a break opportunity and U+2060 WORD JOINER
 * forbids one (UAX #14); a space with one beside it is still word glue; between Han and Latin
 * the quarter em stays. */
static void test_invisible_characters(void **state)
{
    fixture *fx = *state;
    pb_font *lat = pb_fonts_get(fx->fonts, PB_ROLE_LATIN);
    uint32_t space = pb_font_get_glyph(lat, ' ');
    size_t pos[16];
    int flagged[16];
    build(fx, "one\u200Btwo", PB_LANG_EN, 10, 0);
    check_list(fx);
    assert_int_equal(fx->gl.n, 6);
    for (size_t k = 0; k < fx->gl.n; k++)
        assert_int_not_equal(fx->gl.g[k].gid, space);
    assert_int_equal(legal_positions(fx, pos, flagged, 16), 1);
    assert_int_equal(pos[0], 4);
    assert_false(flagged[0]);

    build(fx, "one\u2060two", PB_LANG_EN, 10, 0);
    check_list(fx);
    assert_int_equal(fx->gl.n, 6);
    assert_int_equal(legal_positions(fx, pos, flagged, 16), 0);

    /* a space then a word joiner: no break at all; a space then a zero width space: word glue */
    build(fx, "one \u2060two", PB_LANG_EN, 10, 0);
    check_list(fx);
    assert_int_equal(count_glue(fx, PB_GLUE_WORD), 1);
    assert_int_equal(legal_positions(fx, pos, flagged, 16), 0);
    build(fx, "one \u200Btwo", PB_LANG_EN, 10, 0);
    check_list(fx);
    assert_int_equal(count_glue(fx, PB_GLUE_WORD), 1);
    assert_int_equal(legal_positions(fx, pos, flagged, 16), 1);
    for (size_t i = 0; i < fx->nodes.n; i++)
        if (node(fx, i)->kind == PB_NODE_GLUE && node(fx, i)->glue_class == PB_GLUE_WORD)
            assert_near(node(fx, i)->width, font_width(lat, ' ', 10), 1e-6);

    /* at the block's start an ignorable joins the cluster after it: a space is still glue */
    build(fx, "\u200B one two", PB_LANG_EN, 10, 0);
    check_list(fx);
    assert_int_equal(count_glue(fx, PB_GLUE_WORD), 2);

    /* joiners, marks and the byte order mark: no glyph of their own */
    build(fx, "one\u200C\u200D\u200E\uFEFFtwo", PB_LANG_EN, 10, 0);
    check_list(fx);
    assert_int_equal(fx->gl.n, 6);

    /* Han, a zero width space, Latin: the Han-Latin glue and a break */
    build(fx, "人工\u200BAI", PB_LANG_ZH, 10, 0);
    check_list(fx);
    check_prohibitions(fx);
    assert_int_equal(fx->gl.n, 4);
    assert_int_equal(count_glue(fx, PB_GLUE_HAN_LATIN), 1);
}

static void test_indent_box(void **state)
{
    fixture *fx = *state;
    build(fx, "人工智能", PB_LANG_ZH, 10, 20);
    check_list(fx);
    const pb_node *b = node(fx, 0);
    assert_int_equal(b->kind, PB_NODE_BOX);
    assert_near(b->width, 20, EPS);
    assert_int_equal(b->g0, b->g1);
    assert_int_equal(b->han, 0);
    assert_int_equal(b->chars, 0);
    /* then the text, not glue: the indent is no break */
    assert_true(is_text_box(fx, 1));
    assert_int_equal(box_first(fx, 1), 0x4EBA);
    assert_int_equal(fx->nodes.n, 1 + 4 + 3 + 3);
    /* no indent: the first node is text */
    build(fx, "人工智能", PB_LANG_ZH, 10, 0);
    assert_true(is_text_box(fx, 0));
    assert_int_equal(fx->nodes.n, 4 + 3 + 3);
}

/* box.han counts ideographs and box.chars the code points that are not line-start marks; the
 * sums match the text (check_list compares them box by box). */
static void test_han_and_chars_counts(void **state)
{
    fixture *fx = *state;
    build(fx, "國。AI技術、2030年「好」", PB_LANG_ZH, 10, 0);
    assert_int_equal(fx->len, 15);
    check_list(fx);
    uint32_t han = 0, chars = 0;
    for (size_t i = 0; i < fx->nodes.n; i++)
        if (is_box(fx, i)) {
            han += node(fx, i)->han;
            chars += node(fx, i)->chars;
        }
    assert_int_equal(han, 5);        /* 國 技 術 年 好 */
    assert_int_equal(chars, 15 - 3); /* all but 。 、 」 */
}

/* The ink of the Han font's glyph for c: [x0, x1) in font units. */
static void han_ink(fixture *fx, uint32_t c, int32_t *x0, int32_t *x1, int32_t *em)
{
    pb_font *han = pb_fonts_get(fx->fonts, PB_ROLE_HAN);
    uint32_t g = pb_font_get_glyph(han, c);
    assert_int_not_equal(g, 0);
    pb_font_get_ink(han, g, x0, x1);
    *em = (int32_t)pb_font_get_upem(han);
    assert_int_equal(pb_font_get_advance(han, g), *em);
}

static size_t find_box(const fixture *fx, uint32_t first)
{
    for (size_t i = 0; i < fx->nodes.n; i++)
        if (is_text_box(fx, i) && box_first(fx, i) == first)
            return i;
    fail_msg("no box starting with U+%04X", (unsigned)first);
    return 0;
}

/* A letter-spaced line keeps a bracket with the text it closes or opens: the CJK glue before a
 * closing mark (」) or after an opening one (「) is attached (compose.c adds no space there; JLREQ
 * Appendix E); before a centred Traditional ，。 it is not (spaced alike both sides, the mark
 * stays midway). */
static void test_marks_attached_when_spaced(void **state)
{
    fixture *fx = *state;
    build(fx, "人「工」人，人。org，人", PB_LANG_ZH, 10, 0);
    check_list(fx);
    size_t attached = 0, free_ = 0;
    for (size_t i = 0; i < fx->nodes.n; i++) {
        const pb_node *nd = node(fx, i);
        if (nd->kind != PB_NODE_GLUE || nd->glue_class != PB_GLUE_CJK)
            continue;
        size_t p = i, q = i;
        while (p > 0 && !is_text_box(fx, p))
            p--;
        while (q + 1 < fx->nodes.n && !is_text_box(fx, q))
            q++;
        uint32_t before = box_last(fx, p), after = box_first(fx, q);
        int tied = before == 0x300C || after == 0x300D;
        assert_true(nd->stretch > 0); /* the breaker counts it either way */
        assert_int_equal(nd->attached, tied);
        attached += tied;
        free_ += !tied;
    }
    assert_int_equal(attached, 2); /* 「|工 工|」 */
    assert_true(free_ >= 6);       /* 人|「 」|人 人|， ，|人 人|。 org|， */
}

/* An opening bracket (ink in its right half) keeps its blank left half as glue before it that
 * may shrink to nothing: the box is half an em, the glue half an em, and the glue is no break
 * of its own (it follows the CJK glue where the line may end, so a line start drops it). A
 * closing bracket is the mirror: its blank right half is glue after it, shrinkable, after an
 * infinite penalty (it stays at a line end); the break after it is a penalty. */
static void test_opening_bracket_blank(void **state)
{
    fixture *fx = *state;
    int32_t x0, x1, em;
    han_ink(fx, 0x300C, &x0, &x1, &em);
    assert_true(x0 >= em / 2); /* 「 is inked on the right */
    build(fx, "人「工」人", PB_LANG_ZH, 10, 0);
    check_list(fx);
    check_prohibitions(fx);
    assert_int_equal(count_glue(fx, PB_GLUE_BLANK), 1);
    size_t b = find_box(fx, 0x300C);
    assert_near(node(fx, b)->width, 5, EPS);
    const pb_node *blank = node(fx, b - 1);
    assert_int_equal(blank->kind, PB_NODE_GLUE);
    assert_int_equal(blank->glue_class, PB_GLUE_BLANK);
    assert_near(blank->width, 5, EPS);
    assert_near(blank->stretch, 0, EPS);
    assert_near(blank->shrink, 5, EPS);
    assert_int_equal(blank->g0, blank->g1);
    assert_false(is_legal(fx, b - 1));
    /* the break before 「 is at the CJK glue before the blank */
    assert_int_equal(node(fx, b - 2)->glue_class, PB_GLUE_CJK);
    assert_true(is_legal(fx, b - 2));
    /* the closing bracket: its inked half, then its blank half as glue no break precedes */
    size_t c = find_box(fx, 0x300D);
    assert_near(node(fx, c)->width, 5, EPS);
    assert_int_equal(node(fx, c + 1)->kind, PB_NODE_PENALTY);
    assert_int_equal(node(fx, c + 1)->penalty, PB_PENALTY_INF);
    const pb_node *after = node(fx, c + 2);
    assert_int_equal(after->kind, PB_NODE_GLUE);
    assert_int_equal(after->glue_class, PB_GLUE_PUNCT);
    assert_near(after->width, 5, EPS);
    assert_near(after->shrink, 5, EPS);
    assert_near(after->stretch, 0, EPS);
    assert_false(is_legal(fx, c + 2));
    assert_true(is_legal(fx, c + 3)); /* the break after 」: a penalty, its blank on the line */
    assert_int_equal(node(fx, c + 3)->kind, PB_NODE_PENALTY);
    /* review 5: after a typed ideographic space an opening bracket takes no blank of its own
     * ("1.1　「系統」" was a hole of an em and a half) */
    build(fx, "條款1.1\u3000「系統」人", PB_LANG_ZH, 10, 0);
    check_list(fx);
    assert_int_equal(count_glue(fx, PB_GLUE_BLANK), 0);
}

/* A centred mark (Noto Serif CJK TC's ，。、；：) keeps its ink in the middle of its em: the box
 * is the middle half, drawn a quarter em to the left, with a blank quarter of shrinkable glue
 * on each side; neither glue is a break, the break after the mark is. */
static void test_centred_mark_blanks(void **state)
{
    fixture *fx = *state;
    int32_t x0, x1, em;
    han_ink(fx, 0xFF0C, &x0, &x1, &em);
    assert_true(x0 > em / 4 && em - x1 > em / 4); /* ， is inked in the middle (TC) */
    build(fx, "好，好", PB_LANG_ZH, 10, 0);
    check_list(fx);
    check_prohibitions(fx);
    size_t m = find_box(fx, 0xFF0C);
    assert_near(node(fx, m)->width, 5, EPS);
    assert_int_equal(fx->gl.g[node(fx, m)->g0].x_offset, -em / 4);
    const pb_node *before = node(fx, m - 1), *after = node(fx, m + 2);
    assert_int_equal(before->glue_class, PB_GLUE_PUNCT);
    assert_int_equal(after->glue_class, PB_GLUE_PUNCT);
    assert_near(before->width, 2.5, EPS);
    assert_near(before->shrink, 2.5, EPS);
    assert_near(after->width, 2.5, EPS);
    assert_near(after->shrink, 2.5, EPS);
    assert_false(is_legal(fx, m - 1));
    assert_false(is_legal(fx, m + 2));
    assert_true(is_legal(fx, m + 3));
    assert_int_equal(count_glue(fx, PB_GLUE_PUNCT), 2);
    /* the natural width stays three ems */
    double w = 0;
    for (size_t i = 0; i < fx->nodes.n; i++)
        if (node(fx, i)->kind != PB_NODE_PENALTY)
            w += node(fx, i)->width;
    assert_near(w, 30, EPS);
}

/* Two adjacent marks take 1.5 em: a closing bracket (ink on the left) and a comma after it give
 * back the bracket's blank half at once (no glue for it), and nothing between them is a break;
 * the comma's quarters stay, shrinkable. */
static void test_adjacent_marks_squeeze(void **state)
{
    fixture *fx = *state;
    int32_t x0, x1, em;
    han_ink(fx, 0x300D, &x0, &x1, &em);
    assert_true(x1 <= em / 2); /* 」 is inked on the left */
    build(fx, "好」，好", PB_LANG_ZH, 10, 0);
    check_list(fx);
    check_prohibitions(fx);
    size_t a = find_box(fx, 0x300D), b = find_box(fx, 0xFF0C);
    double w = 0;
    for (size_t i = a; i <= b + 2; i++)
        if (node(fx, i)->kind != PB_NODE_PENALTY) {
            w += node(fx, i)->width;
            if (i > a && i < b + 2)
                assert_false(is_legal(fx, i));
        }
    assert_near(w, 15, EPS);
    /* one mark alone keeps its em (half box, half glue), with no negative glue */
    build(fx, "好」好", PB_LANG_ZH, 10, 0);
    w = 0;
    for (size_t i = 0; i < fx->nodes.n; i++) {
        assert_true(node(fx, i)->width >= 0);
        if (node(fx, i)->kind != PB_NODE_PENALTY)
            w += node(fx, i)->width;
    }
    assert_near(w, 30, EPS);
}

/* An ideograph outside the BMP (U+2000B, two UTF-16 units for ICU) breaks like any other, and
 * the break chances after it stay on the right code points. */
static void test_supplementary_ideograph(void **state)
{
    fixture *fx = *state;
    assert_true(pb_font_covers(pb_fonts_get(fx->fonts, PB_ROLE_HAN), 0x2000B));
    build(fx, "我\xF0\xA0\x80\x8B們，𠀋AI。", PB_LANG_ZH, 10, 0);
    assert_int_equal(fx->len, 8);
    assert_int_equal(fx->text[1], 0x2000B);
    check_list(fx);
    check_prohibitions(fx);
    /* 我 | 𠀋 | 們 ， | 𠀋 | AI 。: breaks before 𠀋, 們, the second 𠀋 and AI */
    static const size_t want[] = {1, 2, 4, 5};
    size_t n = 0;
    for (size_t i = 0; i < fx->nodes.n; i++) {
        if (!is_legal(fx, i))
            continue;
        size_t pos = next_text_pos(fx, i);
        if (pos >= fx->len)
            continue;
        assert_true(n < 4);
        assert_int_equal(pos, want[n]);
        n++;
    }
    assert_int_equal(n, 4);
    assert_int_equal(count_glue(fx, PB_GLUE_HAN_LATIN), 1);
}

/* Empty text: just the paragraph end. */
/* A number stays with its unit, its range partner and its dimension (SI Brochure §5.4.3,
 * Chicago §6.121, clreq #h-digits_and_their_prefix_and_suffix): no break inside 1368–1911,
 * 9 a.m., p. 5, 第3屆, 25℃, 公|分; 175 × 66.7 cm only after its ×, at TeX's \binoppenalty
 * (700); a number and the ideograph of its unit (142|公分, 10|名) a tie at UNIT_TIE_PENALTY
 * (170: JLREQ's unbreakable sequences keep a number with its abbreviation symbols, not with
 * an ideograph); breaks elsewhere stay. */
static void test_number_keeps(void **state)
{
    fixture *fx = *state;
    build(fx, "From 1368–1911, 175 × 66.7 cm at 9 a.m. (see p. 5) in 12 rooms on 1 May", PB_LANG_EN,
          10, 0);
    check_list(fx);
    assert_int_equal(break_before(fx, pos_of(fx, '9', 0) + 3), PB_PENALTY_INF); /* 1911 */
    assert_int_equal(break_before(fx, pos_of(fx, 0xD7, 0)), PB_PENALTY_INF);      /* × */
    assert_int_equal(break_before(fx, pos_of(fx, '6', 1)), 700);                  /* × 66.7 */
    assert_int_equal(break_before(fx, pos_of(fx, 'c', 0)), PB_PENALTY_INF);       /* cm */
    assert_int_equal(break_before(fx, pos_of(fx, 'a', 1)), PB_PENALTY_INF);       /* a.m. */
    assert_int_equal(break_before(fx, pos_of(fx, '5', 1)), PB_PENALTY_INF);       /* p. 5 */
    assert_int_equal(break_before(fx, pos_of(fx, 'r', 1)), 0); /* 12 rooms: not a unit */
    assert_int_equal(break_before(fx, pos_of(fx, 'a', 0)), 0); /* at */
    assert_int_equal(break_before(fx, pos_of(fx, 'M', 0)), PB_PENALTY_INF); /* 1 May */
    /* review 5: a range of amounts and a currency's code after its amount */
    build(fx, "mains cost ¥4,100–¥4,500 or €25–€28 (100 JPY is 21.3 TWD) in total", PB_LANG_EN, 10, 0);
    check_list(fx);
    assert_int_equal(break_before(fx, pos_of(fx, 0xA5, 1)), PB_PENALTY_INF);   /* –¥4,500 */
    assert_int_equal(break_before(fx, pos_of(fx, 0x20AC, 1)), PB_PENALTY_INF); /* –€28 */
    assert_int_equal(break_before(fx, pos_of(fx, 'J', 0)), PB_PENALTY_INF);    /* 100 JPY */
    assert_int_equal(break_before(fx, pos_of(fx, 'T', 0)), PB_PENALTY_INF);    /* 21.3 TWD */
    assert_int_equal(break_before(fx, pos_of(fx, 'i', 2)), 0);                 /* is */
    build(fx, "義式濃縮咖啡／美式咖啡NT$120／NT$150，茶", PB_LANG_ZH, 10, 0);
    check_list(fx);
    assert_int_equal(break_before(fx, pos_of(fx, 0xFF0F, 1)), PB_PENALTY_INF); /* 120|／ */
    assert_tie_of(fx, pos_of(fx, 'N', 1), 300, "NT$120／|NT$150"); /* two amounts: a tie */
    assert_true(break_before(fx, pos_of(fx, 0x7F8E, 0)) < PB_PENALTY_INF);     /* 啡／|美 */
    build(fx, "甜點，NT$1,280／HK$328。比例3／4", PB_LANG_ZH, 10, 0);
    check_list(fx);
    assert_tie_of(fx, pos_of(fx, 'H', 0), 300, "NT$1,280／|HK$328"); /* review 10 B2 */
    assert_int_equal(break_before(fx, pos_of(fx, 0xFF0F, 0)), PB_PENALTY_INF); /* 280|／ */
    assert_int_equal(break_before(fx, pos_of(fx, '4', 0)), PB_PENALTY_INF);    /* 3／|4 */
    build(fx, "身長142公分，三等奖10名，第3屆，高19.4 × 寬17.0公分，25℃。", PB_LANG_ZH, 10, 0);
    check_list(fx);
    assert_tie_of(fx, pos_of(fx, 0x516C, 0), 170, "142|公分");
    assert_int_equal(break_before(fx, pos_of(fx, 0x5206, 0)), PB_PENALTY_INF); /* 公|分 */
    assert_tie_of(fx, pos_of(fx, 0x540D, 0), 170, "10|名");
    assert_int_equal(break_before(fx, pos_of(fx, 0x2103, 0)), PB_PENALTY_INF); /* 25℃ */
    assert_int_equal(break_before(fx, pos_of(fx, '3', 0)), PB_PENALTY_INF);    /* 第3 */
    assert_int_equal(break_before(fx, pos_of(fx, 0x5BEC, 0)), 700);            /* × 寬 */
    assert_int_equal(break_before(fx, pos_of(fx, 0xD7, 0)), PB_PENALTY_INF);   /* 19.4 × */
    assert_true(break_before(fx, pos_of(fx, 0x9577, 0)) < PB_PENALTY_INF);     /* 身|長 */
    /* a unit of two characters stays whole; a percent sign takes the Han-Latin gap */
    build(fx, "收入48.6億元，約82%用於研發", PB_LANG_ZH, 10, 0);
    check_list(fx);
    assert_int_equal(break_before(fx, pos_of(fx, 0x5143, 0)), PB_PENALTY_INF); /* 億|元 */
    int gap = 0;
    for (size_t i = 1; i < fx->nodes.n; i++)
        gap |= node(fx, i)->kind == PB_NODE_GLUE && node(fx, i)->glue_class == PB_GLUE_HAN_LATIN &&
               next_text_pos(fx, i) == pos_of(fx, 0x7528, 0); /* %|用 */
    assert_true(gap);
    build(fx, "capacity 480 MW, see Chapter 3 and Room 202", PB_LANG_EN, 10, 0);
    check_list(fx);
    assert_int_equal(break_before(fx, pos_of(fx, 'M', 0)), PB_PENALTY_INF);
    assert_int_equal(break_before(fx, pos_of(fx, '3', 0)), PB_PENALTY_INF);
    assert_int_equal(break_before(fx, pos_of(fx, '2', 1)), PB_PENALTY_INF); /* Room 202 */
}

/* The node list's penalty at the legal break right before text position pos, a space
 * between or not (NULL: none, or a break at glue). */
static const pb_node *penalty_before(const fixture *fx, size_t pos)
{
    for (size_t i = 0; i < fx->nodes.n; i++) {
        if (!is_legal(fx, i) || node(fx, i)->kind != PB_NODE_PENALTY)
            continue;
        size_t k = i + 1, c0, c1;
        while (k < fx->nodes.n && !is_text_box(fx, k))
            k++;
        if (k >= fx->nodes.n)
            continue;
        glyph_span(fx, node(fx, k)->g0, node(fx, k)->g1, &c0, &c1);
        if (c0 == pos)
            return node(fx, i);
    }
    return NULL;
}

/* Inside a URL (Chicago §6.17 and its Q&A): breaks after a single slash (before it at a
 * little more: "api/|v2" in both languages where both fit), before a hyphen, an underline, a
 * tilde and # (before @ at a hyphen's cost: test_mail_at_sign), before and after = and &, after // and a colon; before an inner period and
 * right after "https://" at twice the cost, after an inner period only at a hyphen's (the line
 * would end with what reads as a full stop), before ? as before a period; never before a comma
 * or %; fewer than 3 characters of an address without a scheme only as the last resort
 * (ta|.poetry@); between two letters
 * or digits only as the last resort (flagged for the breaker); nowhere in "https://". The
 * same in a Chinese line. */
static void test_url_breaks(void **state)
{
    fixture *fx = *state;
    const char *url = "https://www.example.org/a-b/c_d?x=1&y=2";
    static const struct {
        const char *fmt;
        pb_lang lang;
        size_t at; /* code points before the URL */
    } ctx[] = {{"see %s now", PB_LANG_EN, 4}, {"請見%s辦理", PB_LANG_ZH, 2}};
    for (size_t c = 0; c < sizeof ctx / sizeof *ctx; c++) {
        char text[128];
        snprintf(text, sizeof text, ctx[c].fmt, url);
        size_t u = ctx[c].at;
        fx->url_from = u;
        fx->url_to = u + strlen(url);
        build(fx, text, ctx[c].lang, 10, 0);
        fx->url_from = fx->url_to = 0;
        check_list(fx);
        for (size_t k = u + 1; k < u + strlen("https://"); k++) /* inside the scheme */
            assert_int_equal(break_before(fx, k), PB_PENALTY_INF);
        assert_int_equal(break_before(fx, u + 8), 600); /* right after https://: the dearer cost */
        size_t dot = pos_of(fx, '.', 0), slash = pos_of(fx, '/', 2), hy = pos_of(fx, '-', 0);
        size_t q = pos_of(fx, '?', 0), eq = pos_of(fx, '=', 0), amp = pos_of(fx, '&', 0);
        assert_int_equal(break_before(fx, dot), 600);            /* www|.example */
        assert_int_equal(break_before(fx, dot + 1), 1000); /* www.|example: a hyphen's cost */
        assert_int_equal(break_before(fx, dot + 2), 5000); /* e|xample: the last resort */
        size_t dot2 = pos_of(fx, '.', 1);
        assert_int_equal(break_before(fx, dot2), 2500); /* example|.org: "www.example" reads
                                                         * as a whole address (host) */
        assert_int_equal(break_before(fx, dot2 + 1), 5000); /* example.|org: the last resort */
        for (size_t i = 0; i < fx->nodes.n; i++)
            if (node(fx, i)->kind == PB_NODE_PENALTY && node(fx, i)->penalty == 5000)
                assert_true(node(fx, i)->last_resort);
        assert_int_equal(break_before(fx, slash), 310);     /* before a slash: a little more */
        assert_int_equal(break_before(fx, slash + 1), 300); /* after it */
        assert_int_equal(break_before(fx, hy), 300);
        assert_int_equal(break_before(fx, hy + 1), PB_PENALTY_INF); /* never after its hyphen */
        assert_int_equal(break_before(fx, pos_of(fx, '_', 0)), 300);
        assert_int_equal(break_before(fx, q), 600); /* c_d|?x: a period's second choice */
        assert_int_equal(break_before(fx, eq), 300);
        assert_int_equal(break_before(fx, eq + 1), 300);
        assert_int_equal(break_before(fx, amp), 300);
        assert_int_equal(break_before(fx, amp + 1), 300);
    }
    /* a hyphen in a URL's host breaks at a host break's cost as an e-mail domain's does:
     * "www.deepblue" and "https://www.deepblue" ending a line read as whole addresses (review 9
     * A5; URL_HOST_PENALTY, review 10); a hyphen in its path stays a Chicago point (a-b above) */
    static const char *const hosts[] = {"www.deepblue-ocean.cn/haiyan3",
                                        "https://media.deepblue-ocean.cn/kit/a-b"};
    for (size_t h = 0; h < sizeof hosts / sizeof *hosts; h++) {
        fx->url_from = 0;
        fx->url_to = strlen(hosts[h]);
        build(fx, hosts[h], PB_LANG_EN, 10, 0);
        fx->url_from = fx->url_to = 0;
        assert_int_equal(break_before(fx, pos_of(fx, '-', 0)), 2500);
        if (h == 1)
            assert_int_equal(break_before(fx, pos_of(fx, '-', 1)), 300);
    }
    const char *mail = "ta.poetry@ntu-example.edu.tw";
    fx->url_from = 0;
    fx->url_to = strlen(mail);
    build(fx, mail, PB_LANG_EN, 10, 0);
    fx->url_from = fx->url_to = 0;
    assert_int_equal(break_before(fx, 2), 5000); /* ta|.poetry: the last resort */
    assert_int_equal(break_before(fx, pos_of(fx, '@', 0)), 1000); /* ta.poetry|@: prose (A11) */
    /* a hyphen of its domain: "ta.poetry@ntu" reads as a whole address */
    assert_int_equal(break_before(fx, pos_of(fx, '-', 0)), 2500);
}

/* The node of the legal break right before text position pos (NULL: none). */
static const pb_node *break_node(const fixture *fx, size_t pos)
{
    for (size_t i = 0; i < fx->nodes.n; i++) {
        if (!is_legal(fx, i))
            continue;
        size_t k = i + 1;
        while (k < fx->nodes.n && !is_text_box(fx, k))
            k++;
        size_t c0, c1;
        if (k < fx->nodes.n &&
            (glyph_span(fx, node(fx, k)->g0, node(fx, k)->g1, &c0, &c1), c0 == pos))
            return node(fx, i);
    }
    return NULL;
}

/* Breaks that leave what reads as a whole address at a line's end (pb_node.host, at
 * URL_HOST_PENALTY; review 10): in an e-mail address's domain (booking@shanlan | -tea.com.tw,
 * booking@shanlan-tea.com | .tw), a scheme's host after its first label (https://lms |
 * .example.edu.cn), a bare address's after its first label (press | .lanyue-energy.com.cn);
 * not before the @ (lin.xiaolan | @humanities is no address), not right after "https://" nor
 * after "https://www" or "www", not in the path. */
static void test_host_breaks(void **state)
{
    fixture *fx = *state;
    static const struct {
        const char *url, *at; /* the break before at's first occurrence */
        int host, penalty, before_at; /* before_at: pb_node.before_at, reported */
    } cases[] = {
        {"booking@shanlan-tea.com.tw", "-tea", 1, 2500, 0},
        {"booking@shanlan-tea.com.tw", ".tw", 1, 2500, 0},
        {"lin.xiaolan@humanities.example.edu.cn", "@", 0, 1000, 1},
        {"lin.xiaolan@humanities.example.edu.cn", ".example", 1, 2500, 0},
        {"https://lms.example.edu.cn/course/a", ".example", 1, 2500, 0},
        {"https://lms.example.edu.cn/course/a", "lms", 0, 600, 0},
        {"https://lms.example.edu.cn/course/a", "course", 0, 300, 0},
        {"https://www.example.org/a", ".example", 0, 600, 0},
        /* review 12 B5: a bare address's first label reads as a word: press | .lanyue */
        {"press.lanyue-energy.com.cn/media", ".lanyue", 1, 2500, 0},
        {"press.lanyue-energy.com.cn/media", "media", 0, 300, 0},
        {"www.example.org/a", ".example", 0, 600, 0},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        fx->url_from = 0;
        fx->url_to = strlen(cases[c].url);
        build(fx, cases[c].url, PB_LANG_EN, 10, 0);
        fx->url_from = fx->url_to = 0;
        size_t pos = (size_t)(strstr(cases[c].url, cases[c].at) - cases[c].url);
        const pb_node *nd = break_node(fx, pos);
        assert_non_null(nd);
        if (nd->host != cases[c].host || nd->penalty != cases[c].penalty || nd->before_at != cases[c].before_at)
            fail_msg("%s | %s: host %d penalty %d before_at %d", cases[c].url, cases[c].at,
                     nd->host, nd->penalty, nd->before_at);
    }
}

/* A tie (nodes.c keep_at, KEEP_PENALTY 300, flagged tie for the breaker) at each break a
 * typesetter keeps: the break there costs 300 and no more than that, where it was free. */
static void assert_tie(const fixture *fx, size_t pos, const char *what)
{
    assert_tie_of(fx, pos, 300, what);
}

/* The text set: a tie (300) before each of tie[0, n_tie) (the first occurrence of each, up to
 * a NULL), a free break (under 300) before each of free_[0, 4). */
static void check_ties(fixture *fx, const char *text, pb_lang lang, const char *const *tie,
                       size_t n_tie, const char *const *free_)
{
    build(fx, text, lang, 10, 0);
    check_list(fx);
    for (size_t k = 0; k < n_tie && tie[k]; k++)
        assert_tie(fx, text_pos(fx, tie[k]), tie[k]);
    for (size_t k = 0; k < 4 && free_[k]; k++) {
        int p = break_before(fx, text_pos(fx, free_[k]));
        if (p >= 300)
            print_error("before %s: penalty %d, a free break wanted\n", free_[k], p);
        assert_true(p < 300);
    }
}

/* Ties (a number with what belongs to it; each case is its own rule in keep_at, and fails
 * with that rule off): a telephone number's digit groups (ITU-T E.123), an area code and its
 * number, an extension and its number, a year range at an em dash, a currency and its amount
 * (and the currency's name whole), an amount and its multiplier, a product and its version.
 * The reviewer's lines split 138 0571 / 2468, 2029— / 2030年, 分機 / 1234, 新臺幣 / 3,500萬元,
 * NT$35 / million and iOS / 15.0; a second review's 4月 / 15日 and Dr. / Sarah Thompson.
 * A number written without spaces ties after its hyphen and its area code (nodes.c
 * number_group_at: (02)2345-6789 was one piece of 7.6 ems). Breaks that are no tie stay free. */
static void test_ties(void **state)
{
    fixture *fx = *state;
    static const struct {
        const char *text;
        pb_lang lang;
        const char *tie[8];  /* the text each tie comes before (its first occurrence) */
        const char *free[4]; /* the text a free break comes before */
    } cases[] = {
        {"Tel: +86 571 8765 4321; mobile: 138 0571 2468; (02) 2720-8889 ext. 1234",
         PB_LANG_EN,
         {"571 8765", "8765", "2468", "2720", "ext.", "1234"},
         {"mobile"}},
        {"電話(02)2720-8889分機1234，傳真(02)2720-1234轉56，2029—2030年",
         PB_LANG_ZH,
         {"機", "1234", "56", "轉", "2030"},
         {NULL}},
        {"或致電(02)2345-6789。", PB_LANG_ZH, {"2345", "6789"}, {NULL}},
        {"總額為新臺幣3,500萬元，投入人民币1.2亿元",
         PB_LANG_ZH,
         {"臺幣", "幣", "3,500", "币", "1.2"},
         {"新臺幣"}},
        {"grants total NT$35 million, RMB 120 million, for iOS 15.0 and App 3.2.1 from 37.5% in "
         "2025 on Android 9",
         PB_LANG_EN,
         {"million,", "120", "million, for", "15.0", "3.2.1"},
         {"37.5", "2025", "9"}},
        /* review R8: a date's parts, a title and its name */
        {"計劃於2027年1月出版，請於4月15日前提交，3月18号", PB_LANG_ZH, {"1月", "15日", "18号"}, {"2027"}},
        {"Present: Dr. Sarah Thompson, Prof. Lin and Mr. Wu", PB_LANG_EN, {"Sarah", "Lin", "Wu"},
         {"Thompson", "and"}},
        /* review 9: a number and its unit after a product (7×24|小时, A6) and a range at a wave
         * dash (4～|6小時, A4) are one expression; a relation sign and its number (A12) */
        {"保障平台7×24小时稳定运行，每4～6小時一次，每3〜5分钟", PB_LANG_ZH,
         {"小时", "6小", "小時", "5分"}, {"稳定"}},
        {"Very rare x \u2265 5 or x\u2264 2, rate \uFF1C 3, between 3 \u2248 4 and", PB_LANG_EN,
         {"5 or", "2,", "3,"}, {"rate", "between"}},
        {"发生率＜1/1000，约≥2次", PB_LANG_ZH, {"1/1000"}, {NULL}},
        /* review 5: a company's legal form */
        {"signed by Beichen Information Co., Ltd. and Acme, Inc. today", PB_LANG_EN,
         {"Ltd.", "Inc."}, {"today", "Information"}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++)
        check_ties(fx, cases[c].text, cases[c].lang, cases[c].tie, 8, cases[c].free);
    /* never kept apart: a wave dash from a line's start (clreq and JIS X 4051 cl-03: 每4 / ～6
     * was set), a two-character unit (小|时), a relation sign after an opening bracket from its
     * number ("Very rare (<" ended a line, review 9 A12) */
    build(fx, "每4～6小時一次，3〜5天，(< 1/10,000)，（≥ 5）", PB_LANG_ZH, 10, 0);
    check_list(fx);
    assert_int_equal(break_before(fx, pos_of(fx, 0xFF5E, 0)), PB_PENALTY_INF);
    assert_int_equal(break_before(fx, pos_of(fx, 0x301C, 0)), PB_PENALTY_INF);
    assert_int_equal(break_before(fx, pos_of(fx, 0x6642, 0)), PB_PENALTY_INF); /* 小|時 */
    assert_int_equal(break_before(fx, text_pos(fx, "1/10")), PB_PENALTY_INF);
    assert_int_equal(break_before(fx, text_pos(fx, "5）")), PB_PENALTY_INF);
    /* a date's number and its unit are a dearer tie (600) than its parts (300) and a lone year
     * and its unit (170): 2月20|日 was a 170 tie, cheaper than 月|20 */
    build(fx, "自2027年2月20日起，3月18号，於2026年", PB_LANG_ZH, 10, 0);
    check_list(fx);
    static const char *const kept[] = {"年2月", "月20日", "日起", "号", "月18"};
    for (size_t k = 0; k < sizeof kept / sizeof *kept; k++)
        assert_tie_of(fx, text_pos(fx, kept[k]), 600, kept[k]);
    assert_tie_of(fx, text_pos(fx, "年2月") + 1, 300, "年|2月");
    assert_tie_of(fx, text_pos(fx, "2026年") + 4, 170, "2026|年");
}

/* Review 11 A1: a number and its Latin unit, its ± term, a relation sign and its operands, a
 * compound unit at its slash, a Han multiplier and the Han unit after it. A unit after its
 * number and a space is kept whole with it (SI Brochure §5.4.3), as 23.5 cm is; a ± and a
 * relation sign with the terms either side are ties (reported when broken). Each case fails
 * with its rule off. */
static void test_unit_ties(void **state)
{
    static const char paper[] = "spun at 12 000 r/min, at \u221218.7 mV with 86.4% \u00B1 2.1% and "
                                "85.1 \u00B1 6.2 mmHg, 142 \u00B1 27 pg/mL, 40 mg/kg and 5 "
                                "\u03BCg/mL (p > 0.05) in 20 min";
    fixture *fx = *state;
    build(fx, paper, PB_LANG_EN, 10, 0);
    check_list(fx);
    static const char *const kept[] = {"r/min", "mV", "mmHg", "pg/mL", "kg and", "\u03BCg/",
                                       "mL ("};
    for (size_t k = 0; k < sizeof kept / sizeof *kept; k++) {
        int p = break_before(fx, text_pos(fx, kept[k]));
        if (p != PB_PENALTY_INF)
            print_error("before %s: penalty %d, kept wanted\n", kept[k], p);
        assert_int_equal(p, PB_PENALTY_INF);
    }
    static const char *const tied[] = {"\u00B1 2.1", "2.1%", "\u00B1 6.2", "6.2 mm", "\u00B1 27",
                                       "27 pg", "> 0.05", "0.05)"};
    for (size_t k = 0; k < sizeof tied / sizeof *tied; k++)
        assert_tie(fx, text_pos(fx, tied[k]), tied[k]);
    assert_int_equal(break_before(fx, text_pos(fx, "20 min") + 3), PB_PENALTY_INF);
    assert_true(break_before(fx, text_pos(fx, "with")) < 300);
    /* a figure with its Han multiplier keeps the Han unit after it, as 億元 is kept */
    build(fx, "出货量达12.6亿平方米，约3万吨", PB_LANG_ZH, 10, 0);
    check_list(fx);
    assert_int_equal(break_before(fx, text_pos(fx, "平方")), PB_PENALTY_INF);
    assert_int_equal(break_before(fx, text_pos(fx, "方米")), PB_PENALTY_INF);
    assert_int_equal(break_before(fx, text_pos(fx, "米，")), PB_PENALTY_INF);
    assert_int_equal(break_before(fx, text_pos(fx, "吨")), PB_PENALTY_INF);
    /* and in a Chinese line: （142±27）pg/mL, −18.7 mV */
    build(fx, "降至（142±27）pg/mL，电位为−18.7 mV，", PB_LANG_ZH, 10, 0);
    check_list(fx);
    assert_tie(fx, text_pos(fx, "pg/"), "）|pg/mL");
    assert_int_equal(break_before(fx, text_pos(fx, "mL，")), PB_PENALTY_INF);
    assert_int_equal(break_before(fx, text_pos(fx, "mV")), PB_PENALTY_INF);
}

/* Review 12 A8: a unit not in a list is a unit all the same. A symbol made of an SI prefix and
 * an SI or accepted unit (SI Brochure 9th ed., §3 and Tables 2, 4, 8), or a common non-SI one
 * (ppm, dB, Ah, bps), stays with its number (SI Brochure §5.4.3); what only may be one -- a
 * single capital (A, K), two capitals (TV), a symbol that is also a word (bar) -- is a tie,
 * reported when broken, and none after a number that labels (page 3 A new) nor before a
 * capitalised word (3 A New). A lower-case "a" is never a unit (in 2025 a ...). */
static void test_unit_symbols(void **state)
{
    fixture *fx = *state;
    static const char text[] = "at 1,250 ppm, 210 Ah, 5 mAh, 30 dB, 5 ms, 12 TWh, 10 Gbps, "
                               "66 kDa, 500 lx, 3 \u03A9, 77 K, 20 A and 2 bar in 2025 a test "
                               "on page 3 A new 3 A New 4 TV";
    build(fx, text, PB_LANG_EN, 10, 0);
    check_list(fx);
    static const char *const kept[] = {"ppm", "Ah,", "mAh", "dB", "ms", "TWh", "Gbps", "kDa",
                                       "lx", "\u03A9"};
    for (size_t k = 0; k < sizeof kept / sizeof *kept; k++) {
        int p = break_before(fx, text_pos(fx, kept[k]));
        if (p != PB_PENALTY_INF)
            print_error("before %s: penalty %d, kept wanted\n", kept[k], p);
        assert_int_equal(p, PB_PENALTY_INF);
    }
    static const char *const tied[] = {"K,", "A and", "bar", "TV"};
    for (size_t k = 0; k < sizeof tied / sizeof *tied; k++)
        assert_tie(fx, text_pos(fx, tied[k]), tied[k]);
    static const char *const free_[] = {"a test", "A new", "A New"};
    for (size_t k = 0; k < sizeof free_ / sizeof *free_; k++) {
        int p = break_before(fx, text_pos(fx, free_[k]));
        if (p >= 300)
            print_error("before %s: penalty %d, a free break wanted\n", free_[k], p);
        assert_true(p < 300);
    }
    /* in a Chinese line as in an English one */
    build(fx, "容量约为1250 ppm，内阻为5 m\u03A9，功率为3 kVA", PB_LANG_ZH, 10, 0);
    check_list(fx);
    assert_int_equal(break_before(fx, text_pos(fx, "ppm")), PB_PENALTY_INF);
    assert_int_equal(break_before(fx, text_pos(fx, "m\u03A9")), PB_PENALTY_INF);
    assert_int_equal(break_before(fx, text_pos(fx, "kVA")), PB_PENALTY_INF);
}

/* Review 12 A8: a title before a name, with its point or without (British and Hong Kong
 * style: Mr Chan), is tied to the name (Chicago 17th ed., §6.121); not before a lower-case
 * word. */
static void test_title_ties(void **state)
{
    fixture *fx = *state;
    build(fx, "by Mr Chan, Ms Lee, Mrs Wong, Dr Lam, Fr. Ho, Rev. Li, Sr. Mary, Hon. Tam, "
              "Sister Agnes and the Ms of it",
          PB_LANG_EN, 10, 0);
    check_list(fx);
    static const char *const tied[] = {"Chan", "Lee", "Wong", "Lam", "Ho,", "Li,", "Mary", "Tam",
                                       "Agnes"};
    for (size_t k = 0; k < sizeof tied / sizeof *tied; k++)
        assert_tie(fx, text_pos(fx, tied[k]), tied[k]);
    assert_true(break_before(fx, text_pos(fx, "of it")) < 300);
}

/* Review 12 C15, C4, C3: initials are tied to each other and to the surname (J. | R. R. |
 * Tolkien, David R. | Thompson; Chicago 17th ed., 6.121 and 10.12), a tick box to the word it
 * labels (tick: \u25A1 | read), a unit's qualifier to the unit (60-90 g | a.i./ha). Each tie
 * fails with its rule off; the break before a first initial, after a name and before a box
 * stays free. */
static void test_name_box_ties(void **state)
{
    fixture *fx = *state;
    static const struct {
        const char *text;
        pb_lang lang;
        const char *tie[6];
        const char *free[4];
    } cases[] = {
        {"Signed by tenant J. R. R. Tolkien and D. R. Thompson today.", PB_LANG_EN,
         {"R. R.", "R. Tolkien", "Tolkien", "R. Thompson", "Thompson"},
         {"J.", "and", "today", "D."}},
        {"\u627F\u79DF\u4EBADavid R. Thompson\u5148\u751F", PB_LANG_ZH, {"Thompson"}, {"R."}},
        /* (U+2610-2612, the ballot boxes, are boxes too: no face of the test covers them) */
        {"Please tick: \u25A1 read \u25A0 agree", PB_LANG_EN, {"read", "agree"},
         {"\u25A1", "\u25A0"}},
        {"\u8BF7\u52FE\u9009\uFF1A\u25A1\u5DF2\u9605\u8BFB\u3000\u25A0\u540C\u610F\u3002",
         PB_LANG_ZH, {"\u5DF2", "\u540C"}, {NULL}},
        {"applied at 60\u201390 g a.i./ha, 2 kg a.e. per", PB_LANG_EN, {"a.i.", "a.e."}, {"per"}},
        {"\u6BCF\u516C\u987760\uFF5E90 g a.i.\u3002", PB_LANG_ZH, {"a.i."}, {NULL}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++)
        check_ties(fx, cases[c].text, cases[c].lang, cases[c].tie, 6, cases[c].free);
}

/* Review 12 A4: a spaced en or em dash stays with the word before it (Chicago 17th ed.,
 * 6.84-6.85): the space before it is no break, the space after it is, in English and in an
 * English phrase of a Chinese line. */
static void test_spaced_dash(void **state)
{
    fixture *fx = *state;
    build(fx, "were good \u2013 as the team expected \u2014 and the launch", PB_LANG_EN, 10, 0);
    check_list(fx);
    assert_int_equal(break_before(fx, pos_of(fx, 0x2013, 0)), PB_PENALTY_INF);
    assert_int_equal(break_before(fx, pos_of(fx, 0x2014, 0)), PB_PENALTY_INF);
    assert_true(break_before(fx, text_pos(fx, "as the")) < 300);
    assert_true(break_before(fx, text_pos(fx, "and the")) < 300);
    build(fx, "\u5e38\u5dde\uff1aChangzhou, 18 November 2026 \u2013 Lanyue", PB_LANG_ZH, 10, 0);
    check_list(fx);
    assert_int_equal(break_before(fx, pos_of(fx, 0x2013, 0)), PB_PENALTY_INF);
    assert_true(break_before(fx, text_pos(fx, "Lanyue")) < 300);
}

/* Review 11 A2: a date typed with spaces about its numbers keeps its date ties (2 月 16 | 日
 * was free), and a telephone number's two groups of four after a telephone word are tied in a
 * Chinese line as in an English one. */
static void test_spaced_date_and_phone(void **state)
{
    fixture *fx = *state;
    build(fx, "可於 2026 年 2 月 16 日前向熱線 2868 0000（辦公時間）查詢", PB_LANG_ZH, 10, 0);
    check_list(fx);
    assert_tie_of(fx, text_pos(fx, "年 2"), 600, "2026 |年 2 月");
    assert_tie_of(fx, text_pos(fx, "月 16"), 600, "2 |月 16 日");
    assert_tie_of(fx, text_pos(fx, "日前"), 600, "16 |日");
    assert_tie(fx, text_pos(fx, "2 月"), "年 |2 月");
    assert_tie(fx, text_pos(fx, "16 日"), "月 |16 日");
    assert_tie(fx, text_pos(fx, "0000"), "2868 |0000");
}

/* Review 11 A9, A12: a Hong Kong floor (2/F, G/F, UG/F) is one token; a figure word after an
 * amount (3,142 million) is tied to it and not hyphenated. */
static void test_floor_and_figure_word(void **state)
{
    static const char hall[] = "(Room 201, 2/F, Church Hall; G/F and UG/F) revenue of RMB 3,142 "
                               "million and 1,200 thousand and 3 billion";
    fixture *fx = *state;
    build(fx, hall, PB_LANG_EN, 10, 0);
    check_list(fx);
    assert_int_equal(break_before(fx, text_pos(fx, "F, Church")), PB_PENALTY_INF);
    assert_int_equal(break_before(fx, text_pos(fx, "F and")), PB_PENALTY_INF);
    assert_int_equal(break_before(fx, text_pos(fx, "F)")), PB_PENALTY_INF);
    size_t pos[32];
    size_t n = flagged_positions(fx, pos, 32);
    for (size_t k = 0; k < n; k++) {
        size_t w = pos[k];
        while (w > 0 && pb_uchar_is_ascii_letter(fx->text[w - 1]))
            w--;
        if (w >= 2 && fx->text[w - 1] == ' ' && fx->text[w - 2] >= '0' && fx->text[w - 2] <= '9')
            fail_msg("a figure word after a number hyphenated at %zu", pos[k]);
    }
    assert_tie(fx, text_pos(fx, "million"), "3,142 |million");
}

/* Review 11 A11: a break before an e-mail address's @ ("e-mail enquiries" / "@fehd.gov.hk")
 * reads as prose: at a hyphen's cost. It leaves no whole-looking address on the line, so it is
 * no host break (test_host_breaks: lin.xiaolan | @humanities). */
static void test_mail_at_sign(void **state)
{
    fixture *fx = *state;
    const char *text = "or e-mail enquiries@fehd.gov.hk.";
    fx->url_from = strlen("or e-mail ");
    fx->url_to = strlen(text) - 1;
    build(fx, text, PB_LANG_EN, 10, 0);
    fx->url_from = fx->url_to = 0;
    check_list(fx);
    const pb_node *p = penalty_before(fx, pos_of(fx, '@', 0));
    assert_non_null(p);
    assert_int_equal(p->penalty, 1000);
    assert_false(p->host);
}

/* A word longer than the patterns take (HYPH_WORD_MAX, 64 letters; no dictionary word is) may
 * be cut between any two letters, three from either end, with a hyphen, as the last resort
 * (flagged last_resort for the breaker: only where the word is wider than the line); a word
 * the patterns take keeps their points only. */
static void test_long_word_cuts(void **state)
{
    fixture *fx = *state;
    build(fx, "Glossary: Pneumonoultramicroscopicsilicovolcanoconiosisandsupercalifragilistic"
              "expialidocious word",
          PB_LANG_EN, 10, 0);
    check_list(fx);
    size_t w0 = pos_of(fx, 'P', 0), n = 82, cuts = 0;
    for (size_t k = w0 + 1; k < w0 + n; k++) {
        const pb_node *p = penalty_before(fx, k);
        int inside = k >= w0 + 3 && k <= w0 + n - 3;
        assert_true(inside ? p && p->flagged && p->hyphen_gid && p->last_resort : !p);
        cuts += p != NULL;
    }
    assert_int_equal(cuts, n - 5);
    build(fx, "Pneumonoultramicroscopicsilicovolcanoconiosis", PB_LANG_EN, 10, 0);
    for (size_t i = 0; i < fx->nodes.n; i++)
        assert_false(node(fx, i)->last_resort);
}

static void test_empty(void **state)
{
    fixture *fx = *state;
    build(fx, "", PB_LANG_ZH, 10, 0);
    assert_int_equal(fx->nodes.n, 3);
    check_list(fx);
}

/* A long paragraph: the node list grows and keeps its invariants. */
static void test_long_paragraph(void **state)
{
    fixture *fx = *state;
    char text[MAXLEN * 3] = "";
    for (int i = 0; i < 40; i++)
        strcat(text, "我們用AI技術，");
    build(fx, text, PB_LANG_ZH, 10, 20);
    check_list(fx);
    assert_int_equal(count_glue(fx, PB_GLUE_HAN_LATIN), 80);
    assert_true(check_prohibitions(fx) >= 200);
}

/* Without patterns (NULL path) there is no hyphenation; an unreadable file is a warning. */
static void test_no_patterns(void **state)
{
    fixture *fx = *state;
    pb_breaker *br = NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    pb_diag_set_sink(f);
    assert_int_equal(pb_nodes_new(NULL, &br), PB_OK);
    fflush(f);
    assert_int_equal(len, 0);
    pb_nodes_free(br);
    assert_int_equal(pb_nodes_new("/nonexistent/hyph.dic", &br), PB_OK);
    pb_diag_set_sink(NULL);
    fclose(f);
    assert_non_null(strstr(buf, "/nonexistent/hyph.dic"));
    assert_non_null(strstr(buf, "warning"));
    free(buf);
    build(fx, "international", PB_LANG_EN, 10, 0);
    assert_int_equal(pb_nodes_build(br, fx->text, fx->len, NULL, &fx->gl, 10, 0, 0, &fx->nodes), PB_OK);
    size_t pos[8];
    assert_int_equal(flagged_positions(fx, pos, 8), 0);
    assert_int_equal(fx->nodes.n, 1 + 3);
    pb_nodes_free(br);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classes),
        cmocka_unit_test(test_chinese_boxes_and_cjk_glue),
        cmocka_unit_test(test_prohibitions),
        cmocka_unit_test(test_dash_and_ellipsis),
        cmocka_unit_test(test_han_latin_glue),
        cmocka_unit_test(test_han_digit_glue),
        cmocka_unit_test(test_no_han_latin_glue_at_punct),
        cmocka_unit_test(test_word_glue),
        cmocka_unit_test(test_ideographic_space_glue),
        cmocka_unit_test(test_hyphenation),
        cmocka_unit_test(test_no_hyphenation),
        cmocka_unit_test(test_explicit_hyphen),
        cmocka_unit_test(test_soft_hyphen),
        cmocka_unit_test(test_invisible_characters),
        cmocka_unit_test(test_indent_box),
        cmocka_unit_test(test_han_and_chars_counts),
        cmocka_unit_test(test_supplementary_ideograph),
        cmocka_unit_test(test_opening_bracket_blank),
        cmocka_unit_test(test_marks_attached_when_spaced),
        cmocka_unit_test(test_adjacent_marks_squeeze),
        cmocka_unit_test(test_centred_mark_blanks),
        cmocka_unit_test(test_number_keeps),
        cmocka_unit_test(test_url_breaks),
        cmocka_unit_test(test_host_breaks),
        cmocka_unit_test(test_ties),
        cmocka_unit_test(test_unit_ties),
        cmocka_unit_test(test_unit_symbols),
        cmocka_unit_test(test_title_ties),
        cmocka_unit_test(test_name_box_ties),
        cmocka_unit_test(test_spaced_dash),
        cmocka_unit_test(test_spaced_date_and_phone),
        cmocka_unit_test(test_floor_and_figure_word),
        cmocka_unit_test(test_mail_at_sign),
        cmocka_unit_test(test_long_word_cuts),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_long_paragraph),
        cmocka_unit_test(test_no_patterns),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
