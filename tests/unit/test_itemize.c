/* Unit tests for src/itemize.c: font and script runs of a block, with the real fonts of the
 * default layout (Noto Serif CJK TC, Noto Serif). Run from the repository root. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "diag.h"
#include "fonts.h"
#include "itemize.h"
#include "layout.h"
#include "uchar.h"

#include "test_block.h"

#define TAG4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
#define HANI TAG4('H', 'a', 'n', 'i')
#define LATN TAG4('L', 'a', 't', 'n')
#define MAXLEN 256

/* ---- helpers ------------------------------------------------------------------------------ */

typedef struct {
    char *buf;
    size_t len;
    FILE *f;
} capture;

static void capture_begin(capture *c)
{
    c->buf = NULL;
    c->len = 0;
    c->f = open_memstream(&c->buf, &c->len);
    assert_non_null(c->f);
    pb_diag_set_sink(c->f);
    pb_diag_reset();
}

static char *capture_end(capture *c)
{
    pb_diag_set_sink(NULL);
    assert_int_equal(fclose(c->f), 0);
    return c->buf;
}

typedef struct {
    pb_fontset *fonts;
    pb_runs runs;
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    pb_layout l;
    pb_layout_defaults(&l);
    if (pb_fonts_new(&l, NULL, &fx->fonts) != PB_OK) {
        free(fx);
        return -1;
    }
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    pb_itemize_free(&fx->runs);
    pb_fonts_free(fx->fonts);
    free(fx);
    return 0;
}

/* Itemize a block that must give no message. */
static void itemize_ok(fixture *fx, const char *utf8, pb_lang lang, int bold, test_block *tb)
{
    make_block(tb, utf8, lang);
    capture c;
    capture_begin(&c);
    pb_status st = pb_itemize_block(&tb->b, bold, fx->fonts, "t.txt", &fx->runs);
    char *msgs = capture_end(&c);
    assert_string_equal(msgs, "");
    free(msgs);
    assert_int_equal(st, PB_OK);
}

/* The runs tile the block in order, each covered by its font. */
static void check_tiling(const test_block *tb, const pb_runs *runs)
{
    size_t at = 0;
    for (size_t r = 0; r < runs->n; r++) {
        const pb_run *run = &runs->runs[r];
        assert_int_equal(run->start, at);
        assert_true(run->len > 0);
        for (size_t i = run->start; i < run->start + run->len; i++)
            assert_true(pb_font_covers(run->font, tb->text[i]) ||
                        pb_uchar_is_default_ignorable(tb->text[i]));
        at += run->len;
    }
    assert_int_equal(at, tb->b.len);
}

static void check_run(const pb_run *run, size_t start, size_t len, pb_font *font, uint32_t script,
                      pb_lang lang)
{
    assert_int_equal(run->start, start);
    assert_int_equal(run->len, len);
    assert_ptr_equal(run->font, font);
    assert_int_equal(run->script, script);
    assert_int_equal(run->lang, lang);
}

static pb_font *role(fixture *fx, pb_role r) { return pb_fonts_get(fx->fonts, r); }

/* ---- tests -------------------------------------------------------------------------------- */

static void test_pure_chinese(void **state)
{
    fixture *fx = *state;
    test_block tb;
    itemize_ok(fx, "人工智能賦能千行百業", PB_LANG_ZH, 0, &tb);
    assert_int_equal(tb.b.len, 10);
    assert_int_equal(fx->runs.n, 1);
    check_run(&fx->runs.runs[0], 0, 10, role(fx, PB_ROLE_HAN), HANI, PB_LANG_ZH);
    check_tiling(&tb, &fx->runs);
}

static void test_pure_english(void **state)
{
    fixture *fx = *state;
    test_block tb;
    itemize_ok(fx, "Artificial intelligence, for everyone.", PB_LANG_EN, 0, &tb);
    assert_int_equal(fx->runs.n, 1);
    check_run(&fx->runs.runs[0], 0, tb.b.len, role(fx, PB_ROLE_LATIN), LATN, PB_LANG_EN);
    check_tiling(&tb, &fx->runs);
}

/* An ideograph outside the BMP is Han too. */
static void test_supplementary_ideograph(void **state)
{
    fixture *fx = *state;
    test_block tb;
    itemize_ok(fx, "我\xF0\xA0\x80\x8B們AI", PB_LANG_ZH, 0, &tb);
    assert_int_equal(tb.text[1], 0x2000B);
    assert_int_equal(fx->runs.n, 2);
    check_run(&fx->runs.runs[0], 0, 3, role(fx, PB_ROLE_HAN), HANI, PB_LANG_ZH);
    check_run(&fx->runs.runs[1], 3, 2, role(fx, PB_ROLE_LATIN), LATN, PB_LANG_EN);
}

/* ASCII digits are Western: in a Chinese line they take the Latin face, as the figures beside
 * letters do ("NT$48.6"), so one line has one design of figures; an ideographic space after
 * them stays Chinese. */
static void test_digits_join_han(void **state)
{
    fixture *fx = *state;
    test_block tb;
    itemize_ok(fx, "聯合國2030年", PB_LANG_ZH, 0, &tb);
    assert_int_equal(tb.b.len, 8);
    assert_int_equal(fx->runs.n, 3);
    check_run(&fx->runs.runs[0], 0, 3, role(fx, PB_ROLE_HAN), HANI, PB_LANG_ZH);
    check_run(&fx->runs.runs[1], 3, 4, role(fx, PB_ROLE_LATIN), LATN, PB_LANG_EN);
    check_run(&fx->runs.runs[2], 7, 1, role(fx, PB_ROLE_HAN), HANI, PB_LANG_ZH);
    itemize_ok(fx, "收入NT$48.6億，增12.5%", PB_LANG_ZH, 0, &tb);
    for (size_t r = 0; r < fx->runs.n; r++) {
        const pb_run *run = &fx->runs.runs[r];
        for (size_t k = run->start; k < run->start + run->len; k++)
            if (tb.text[k] >= '0' && tb.text[k] <= '9')
                assert_ptr_equal(run->font, role(fx, PB_ROLE_LATIN));
    }
    /* a sign that opens a number is the number's: 電話+86 */
    itemize_ok(fx, "電話+86", PB_LANG_ZH, 0, &tb);
    assert_int_equal(fx->runs.n, 2);
    check_run(&fx->runs.runs[1], 2, 3, role(fx, PB_ROLE_LATIN), LATN, PB_LANG_EN);
    /* a note's dagger after a sentence: the Latin face's, close (the CJK faces' is an em) */
    itemize_ok(fx, "每千字起。\u2020", PB_LANG_ZH, 0, &tb);
    assert_int_equal(fx->runs.n, 2);
    assert_ptr_equal(fx->runs.runs[1].font, role(fx, PB_ROLE_LATIN));
    itemize_ok(fx, "09:00\u3000報到", PB_LANG_ZH, 0, &tb);
    assert_ptr_equal(fx->runs.runs[fx->runs.n - 1].font, role(fx, PB_ROLE_HAN));
    assert_int_equal(fx->runs.runs[fx->runs.n - 1].start, 5);
}

/* Common characters at the start take the side of the first strong character. */
static void test_leading_common_takes_next(void **state)
{
    fixture *fx = *state;
    test_block tb;
    itemize_ok(fx, "2030 plan", PB_LANG_ZH, 0, &tb);
    assert_int_equal(fx->runs.n, 1);
    check_run(&fx->runs.runs[0], 0, 9, role(fx, PB_ROLE_LATIN), LATN, PB_LANG_EN);
    itemize_ok(fx, "(2030年", PB_LANG_EN, 0, &tb);
    assert_int_equal(fx->runs.n, 2);
    check_run(&fx->runs.runs[0], 0, 5, role(fx, PB_ROLE_LATIN), LATN, PB_LANG_EN);
    check_run(&fx->runs.runs[1], 5, 1, role(fx, PB_ROLE_HAN), HANI, PB_LANG_ZH);
    /* nothing strong at all: the block's language decides */
    itemize_ok(fx, "()", PB_LANG_ZH, 0, &tb);
    assert_int_equal(fx->runs.n, 1);
    check_run(&fx->runs.runs[0], 0, 2, role(fx, PB_ROLE_HAN), HANI, PB_LANG_ZH);
    itemize_ok(fx, "2030", PB_LANG_EN, 0, &tb);
    assert_int_equal(fx->runs.n, 1);
    check_run(&fx->runs.runs[0], 0, 4, role(fx, PB_ROLE_LATIN), LATN, PB_LANG_EN);
}

/* In Chinese the curly quotes and the + of “人工智能+” take the Han font. */
static void test_chinese_quotes_han_font(void **state)
{
    fixture *fx = *state;
    test_block tb;
    itemize_ok(fx, "推動“人工智能+”行動", PB_LANG_ZH, 0, &tb);
    assert_int_equal(tb.b.len, 11);
    assert_int_equal(tb.text[2], 0x201C);
    assert_int_equal(tb.text[8], 0x201D);
    assert_int_equal(fx->runs.n, 1);
    check_run(&fx->runs.runs[0], 0, 11, role(fx, PB_ROLE_HAN), HANI, PB_LANG_ZH);
    /* alone, too */
    itemize_ok(fx, "“人工智能+”", PB_LANG_ZH, 0, &tb);
    assert_int_equal(fx->runs.n, 1);
    check_run(&fx->runs.runs[0], 0, 7, role(fx, PB_ROLE_HAN), HANI, PB_LANG_ZH);
    /* around Latin text, too: the quotes are strong Han characters in a Chinese block, so the
     * closing one does not follow the Latin word before it */
    itemize_ok(fx, "用“AI”技術", PB_LANG_ZH, 0, &tb);
    assert_int_equal(fx->runs.n, 3);
    check_run(&fx->runs.runs[0], 0, 2, role(fx, PB_ROLE_HAN), HANI, PB_LANG_ZH);
    check_run(&fx->runs.runs[1], 2, 2, role(fx, PB_ROLE_LATIN), LATN, PB_LANG_EN);
    check_run(&fx->runs.runs[2], 4, 3, role(fx, PB_ROLE_HAN), HANI, PB_LANG_ZH);
    itemize_ok(fx, "“AI”", PB_LANG_ZH, 0, &tb);
    assert_int_equal(fx->runs.n, 3);
    assert_ptr_equal(fx->runs.runs[0].font, role(fx, PB_ROLE_HAN));
    assert_ptr_equal(fx->runs.runs[2].font, role(fx, PB_ROLE_HAN));
    /* but an apostrophe inside a Latin word is the word's: O’Connor is one Latin run, and the
     * quotes around ‘AI’ stay Chinese */
    itemize_ok(fx, "主持人O’Connor與‘AI’", PB_LANG_ZH, 0, &tb);
    assert_int_equal(fx->runs.n, 5);
    check_run(&fx->runs.runs[0], 0, 3, role(fx, PB_ROLE_HAN), HANI, PB_LANG_ZH);
    check_run(&fx->runs.runs[1], 3, 8, role(fx, PB_ROLE_LATIN), LATN, PB_LANG_EN);
    check_run(&fx->runs.runs[2], 11, 2, role(fx, PB_ROLE_HAN), HANI, PB_LANG_ZH);
    assert_ptr_equal(fx->runs.runs[3].font, role(fx, PB_ROLE_LATIN));
    assert_ptr_equal(fx->runs.runs[4].font, role(fx, PB_ROLE_HAN));
}

/* In English they take the Latin font. */
static void test_english_quotes_latin_font(void **state)
{
    fixture *fx = *state;
    test_block tb;
    itemize_ok(fx, "“AI+ public”", PB_LANG_EN, 0, &tb);
    assert_int_equal(tb.b.len, 12);
    assert_int_equal(fx->runs.n, 1);
    check_run(&fx->runs.runs[0], 0, 12, role(fx, PB_ROLE_LATIN), LATN, PB_LANG_EN);
    itemize_ok(fx, "the ‘AI+’ plan", PB_LANG_EN, 0, &tb);
    assert_int_equal(fx->runs.n, 1);
    check_run(&fx->runs.runs[0], 0, tb.b.len, role(fx, PB_ROLE_LATIN), LATN, PB_LANG_EN);
    /* around Chinese words too (review 10: the ” after 人 took the Han face and its blank) */
    itemize_ok(fx, "the word “人” means", PB_LANG_EN, 0, &tb);
    assert_int_equal(fx->runs.n, 3);
    check_run(&fx->runs.runs[0], 0, 10, role(fx, PB_ROLE_LATIN), LATN, PB_LANG_EN);
    check_run(&fx->runs.runs[1], 10, 1, role(fx, PB_ROLE_HAN), HANI, PB_LANG_ZH);
    check_run(&fx->runs.runs[2], 11, 7, role(fx, PB_ROLE_LATIN), LATN, PB_LANG_EN);
}

static void test_mixed_runs(void **state)
{
    fixture *fx = *state;
    test_block tb;
    itemize_ok(fx, "我們用AI技術", PB_LANG_ZH, 0, &tb);
    assert_int_equal(fx->runs.n, 3);
    check_run(&fx->runs.runs[0], 0, 3, role(fx, PB_ROLE_HAN), HANI, PB_LANG_ZH);
    check_run(&fx->runs.runs[1], 3, 2, role(fx, PB_ROLE_LATIN), LATN, PB_LANG_EN);
    check_run(&fx->runs.runs[2], 5, 2, role(fx, PB_ROLE_HAN), HANI, PB_LANG_ZH);
    check_tiling(&tb, &fx->runs);
}

/* A space between Latin words inside Chinese stays with the Latin run; Chinese punctuation is
 * Han. */
static void test_mixed_with_space_and_punct(void **state)
{
    fixture *fx = *state;
    test_block tb;
    itemize_ok(fx, "推動Open AI，共享", PB_LANG_ZH, 0, &tb);
    /* 推動 | Open AI | ，共享 */
    assert_int_equal(fx->runs.n, 3);
    check_run(&fx->runs.runs[0], 0, 2, role(fx, PB_ROLE_HAN), HANI, PB_LANG_ZH);
    check_run(&fx->runs.runs[1], 2, 7, role(fx, PB_ROLE_LATIN), LATN, PB_LANG_EN);
    check_run(&fx->runs.runs[2], 9, 3, role(fx, PB_ROLE_HAN), HANI, PB_LANG_ZH);
    check_tiling(&tb, &fx->runs);
}

static void test_bold_roles(void **state)
{
    fixture *fx = *state;
    test_block tb;
    assert_ptr_not_equal(role(fx, PB_ROLE_HAN_BOLD), role(fx, PB_ROLE_HAN));
    assert_ptr_not_equal(role(fx, PB_ROLE_LATIN_BOLD), role(fx, PB_ROLE_LATIN));
    itemize_ok(fx, "我們用AI技術", PB_LANG_ZH, 1, &tb);
    assert_int_equal(fx->runs.n, 3);
    check_run(&fx->runs.runs[0], 0, 3, role(fx, PB_ROLE_HAN_BOLD), HANI, PB_LANG_ZH);
    check_run(&fx->runs.runs[1], 3, 2, role(fx, PB_ROLE_LATIN_BOLD), LATN, PB_LANG_EN);
    check_run(&fx->runs.runs[2], 5, 2, role(fx, PB_ROLE_HAN_BOLD), HANI, PB_LANG_ZH);
    itemize_ok(fx, "I. Strengthen", PB_LANG_EN, 1, &tb);
    assert_int_equal(fx->runs.n, 1);
    check_run(&fx->runs.runs[0], 0, tb.b.len, role(fx, PB_ROLE_LATIN_BOLD), LATN, PB_LANG_EN);
}

/* English *emphasis* is italic in bold text too: in a heading (the block bold) and inside
 * **strong** it takes the bold italic role, never the upright bold (review: an italic title in
 * a heading came out upright). */
static void test_emphasis_roles(void **state)
{
    fixture *fx = *state;
    pb_font *bi = role(fx, PB_ROLE_LATIN_BOLD_ITALIC);
    assert_ptr_not_equal(bi, role(fx, PB_ROLE_LATIN_BOLD));
    assert_ptr_not_equal(bi, role(fx, PB_ROLE_LATIN_ITALIC));
    struct {
        int bold;
        uint8_t mark;
        pb_role want;
    } cases[] = {
        {1, PB_MARK_EMPH, PB_ROLE_LATIN_BOLD_ITALIC},
        {0, PB_MARK_EMPH | PB_MARK_STRONG, PB_ROLE_LATIN_BOLD_ITALIC},
        {0, PB_MARK_EMPH, PB_ROLE_LATIN_ITALIC},
        {0, PB_MARK_STRONG, PB_ROLE_LATIN_BOLD},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        test_block tb;
        uint8_t marks[MAXLEN] = {0};
        make_block(&tb, "Qiu Ying, Peach", PB_LANG_EN);
        for (size_t i = 10; i < tb.b.len; i++)
            marks[i] = cases[k].mark;
        tb.b.marks = marks;
        assert_int_equal(pb_itemize_block(&tb.b, cases[k].bold, fx->fonts, "t.txt", &fx->runs),
                         PB_OK);
        check_tiling(&tb, &fx->runs);
        assert_int_equal(fx->runs.n, 2);
        pb_role first = cases[k].bold ? PB_ROLE_LATIN_BOLD : PB_ROLE_LATIN;
        check_run(&fx->runs.runs[0], 0, 10, role(fx, first), LATN, PB_LANG_EN);
        check_run(&fx->runs.runs[1], 10, 5, role(fx, cases[k].want), LATN, PB_LANG_EN);
    }
}

/* A character the side's own font lacks is set in the other role font, if that has it. */
static void test_other_font_when_uncovered(void **state)
{
    fixture *fx = *state;
    test_block tb;
    pb_font *han = role(fx, PB_ROLE_HAN), *lat = role(fx, PB_ROLE_LATIN);
    /* ① (U+2460) is Common, so in "see ①" it is on the Latin side, but Noto Serif lacks it */
    assert_false(pb_font_covers(lat, 0x2460));
    assert_true(pb_font_covers(han, 0x2460));
    itemize_ok(fx, "see \xE2\x91\xA0 now", PB_LANG_EN, 0, &tb);
    assert_int_equal(tb.text[4], 0x2460);
    assert_int_equal(fx->runs.n, 3);
    check_run(&fx->runs.runs[0], 0, 4, lat, LATN, PB_LANG_EN);
    assert_int_equal(fx->runs.runs[1].start, 4);
    assert_int_equal(fx->runs.runs[1].len, 1);
    assert_ptr_equal(fx->runs.runs[1].font, han);
    assert_int_equal(fx->runs.runs[1].script, HANI);
    check_run(&fx->runs.runs[2], 5, 4, lat, LATN, PB_LANG_EN);
    check_tiling(&tb, &fx->runs);
    /* Greek is Western and Noto Serif has it */
    itemize_ok(fx, "中文αβ", PB_LANG_ZH, 0, &tb);
    assert_int_equal(fx->runs.n, 2);
    check_run(&fx->runs.runs[1], 2, 2, lat, LATN, PB_LANG_EN);
    check_tiling(&tb, &fx->runs);
}

static void test_uncovered_character(void **state)
{
    fixture *fx = *state;
    test_block tb;
    make_block(&tb, "中文\xEE\x80\x80字", PB_LANG_ZH); /* U+E000 at column 3 */
    assert_int_equal(tb.text[2], 0xE000);
    capture c;
    capture_begin(&c);
    pb_status st = pb_itemize_block(&tb.b, 0, fx->fonts, "doc.txt", &fx->runs);
    char *msgs = capture_end(&c);
    assert_int_equal(st, PB_EINPUT);
    const char *want = "doc.txt:1:3: error: no configured font covers U+E000";
    if (strncmp(msgs, want, strlen(want)) != 0)
        print_error("got  '%s'\nwant '%s…'\n", msgs, want);
    assert_int_equal(strncmp(msgs, want, strlen(want)), 0);
    /* one message, one line */
    assert_non_null(strchr(msgs, '\n'));
    assert_int_equal(strchr(msgs, '\n')[1], '\0');
    assert_int_equal(pb_diag_error_count(), 1);
    free(msgs);

    /* the column comes from the block's col map, the line from the block */
    make_block(&tb, "AI \xEE\x80\x80", PB_LANG_EN);
    tb.b.line = 42;
    for (size_t i = 0; i < tb.b.len; i++)
        tb.col[i] = (uint32_t)(10 + 2 * i);
    capture_begin(&c);
    st = pb_itemize_block(&tb.b, 0, fx->fonts, "en.txt", &fx->runs);
    msgs = capture_end(&c);
    assert_int_equal(st, PB_EINPUT);
    want = "en.txt:42:16: error: no configured font covers U+E000";
    if (strncmp(msgs, want, strlen(want)) != 0)
        print_error("got  '%s'\nwant '%s…'\n", msgs, want);
    assert_int_equal(strncmp(msgs, want, strlen(want)), 0);
    free(msgs);
}

/* An empty block gives no runs; the runs buffer is reused between calls. */
/* A default ignorable draws nothing (the shaper removes it), so it needs no glyph: it stays in
 * the run of its neighbours (the Han font has no U+200B, no U+2060; an ideographic variation
 * selector is found through the base's cmap 14, never alone). */
static void test_invisible_joins_run(void **state)
{
    fixture *fx = *state;
    test_block tb;
    assert_false(pb_font_covers(role(fx, PB_ROLE_HAN), 0x200B));
    assert_false(pb_font_covers(role(fx, PB_ROLE_HAN), 0xE0100));
    itemize_ok(fx, "人工\u200B智能\u2060賦能\u845B\U000E0100城", PB_LANG_ZH, 0, &tb);
    assert_int_equal(tb.b.len, 11);
    assert_int_equal(fx->runs.n, 1);
    check_run(&fx->runs.runs[0], 0, 11, role(fx, PB_ROLE_HAN), HANI, PB_LANG_ZH);
    check_tiling(&tb, &fx->runs);
    /* in English, after a space and at the start of the block */
    itemize_ok(fx, "\u2060one \u200Btwo\u00AD", PB_LANG_EN, 0, &tb);
    assert_int_equal(fx->runs.n, 1);
    check_run(&fx->runs.runs[0], 0, tb.b.len, role(fx, PB_ROLE_LATIN), LATN, PB_LANG_EN);
}

static void test_empty_and_reuse(void **state)
{
    fixture *fx = *state;
    test_block tb;
    itemize_ok(fx, "我們用AI技術", PB_LANG_ZH, 0, &tb);
    assert_int_equal(fx->runs.n, 3);
    pb_run *buf = fx->runs.runs;
    itemize_ok(fx, "", PB_LANG_ZH, 0, &tb);
    assert_int_equal(fx->runs.n, 0);
    itemize_ok(fx, "技術", PB_LANG_ZH, 0, &tb);
    assert_int_equal(fx->runs.n, 1);
    assert_ptr_equal(fx->runs.runs, buf);
}

/* Many alternations: the runs array grows past its first allocation. */
static void test_many_runs(void **state)
{
    fixture *fx = *state;
    test_block tb;
    char text[MAXLEN * 2] = "";
    for (int i = 0; i < 40; i++)
        strcat(text, "中a");
    itemize_ok(fx, text, PB_LANG_ZH, 0, &tb);
    assert_int_equal(tb.b.len, 80);
    assert_int_equal(fx->runs.n, 80);
    for (size_t r = 0; r < 80; r++)
        check_run(&fx->runs.runs[r], r, 1, role(fx, r % 2 ? PB_ROLE_LATIN : PB_ROLE_HAN),
                  r % 2 ? LATN : HANI, r % 2 ? PB_LANG_EN : PB_LANG_ZH);
}

static void test_classes(void **state)
{
    (void)state;
    static const uint32_t han_side[] = {
        0x570B, /* 國 */
        0x4E00, /* 一 */
        0x3400, /* Ext A */
        0x20000, /* Ext B */
        0x3002, /* 。 */
        0xFF0C, /* ， */
        0x300C, /* 「 */
        0x3042, /* あ */
        0x30AB, /* カ */
        0x3105, /* ㄅ */
    };
    static const uint32_t western[] = {'a', 'Z', '0', '9', 0x00E9 /* é */, 0x03B1 /* α */,
                                       0x042F /* Я */, 0x0101 /* ā */};
    static const uint32_t neither[] = {' ', '+', ',', '(', 0x201C /* “ */, 0x2014 /* — */,
                                       0x2026 /* … */, 0xE000};
    for (size_t i = 0; i < sizeof han_side / sizeof han_side[0]; i++) {
        assert_true(pb_itemize_is_han_side(han_side[i]));
        assert_false(pb_itemize_is_western(han_side[i]));
    }
    for (size_t i = 0; i < sizeof western / sizeof western[0]; i++) {
        assert_true(pb_itemize_is_western(western[i]));
        assert_false(pb_itemize_is_han_side(western[i]));
    }
    for (size_t i = 0; i < sizeof neither / sizeof neither[0]; i++) {
        assert_false(pb_itemize_is_western(neither[i]));
        assert_false(pb_itemize_is_han_side(neither[i]));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pure_chinese),
        cmocka_unit_test(test_pure_english),
        cmocka_unit_test(test_supplementary_ideograph),
        cmocka_unit_test(test_digits_join_han),
        cmocka_unit_test(test_leading_common_takes_next),
        cmocka_unit_test(test_chinese_quotes_han_font),
        cmocka_unit_test(test_english_quotes_latin_font),
        cmocka_unit_test(test_mixed_runs),
        cmocka_unit_test(test_mixed_with_space_and_punct),
        cmocka_unit_test(test_bold_roles),
        cmocka_unit_test(test_emphasis_roles),
        cmocka_unit_test(test_other_font_when_uncovered),
        cmocka_unit_test(test_uncovered_character),
        cmocka_unit_test(test_invisible_joins_run),
        cmocka_unit_test(test_empty_and_reuse),
        cmocka_unit_test(test_many_runs),
        cmocka_unit_test(test_classes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
