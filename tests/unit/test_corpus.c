/* Unit tests for the corpus reader: the seed corpus, a second corpus style, bad input. */
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
#include "uchar.h"

#define SEED "corpus/ai-plus-initiative.txt"
#define SEED_BLOCKS 26
#define SEED_ANNOTS 154
#define BIG_BYTES (1024u * 1024u)
#define FUZZ_ROUNDS 300

/* ---- helpers ---- */

typedef struct {
    FILE *f;
    char *buf;
    size_t len;
} capture;

static void cap_start(capture *c)
{
    c->buf = NULL, c->len = 0;
    c->f = open_memstream(&c->buf, &c->len);
    assert_non_null(c->f);
    pb_diag_set_sink(c->f);
}

static char *cap_stop(capture *c)
{
    pb_diag_set_sink(NULL);
    fclose(c->f);
    return c->buf;
}

/* Parse n bytes as "t.txt"; returns the status and the diagnostics text (caller frees). */
static pb_status parse(const char *s, size_t n, pb_doc **doc, char **msg)
{
    capture c;
    cap_start(&c);
    pb_status st = pb_corpus_parse("t.txt", (const uint8_t *)s, n, doc);
    *msg = cap_stop(&c);
    return st;
}

#define PARSE(lit, doc, msg) parse((lit), sizeof(lit) - 1, (doc), (msg))

/* Expect bad input: status PB_EINPUT, no doc, exactly this one message line. */
static void expect_error(const char *s, size_t n, const char *want)
{
    pb_doc *doc = (pb_doc *)1;
    char *msg;
    pb_status st = parse(s, n, &doc, &msg);
    size_t wl = strlen(want);
    int same = strlen(msg) == wl + 1 && strncmp(msg, want, wl) == 0 && msg[wl] == '\n';
    if (!same)
        print_error("got  '%s'\nwant '%s'\n", msg, want);
    free(msg);
    assert_true(same);
    assert_int_equal(st, PB_EINPUT);
    assert_null(doc);
}

#define EXPECT_ERROR(lit, want) expect_error((lit), sizeof(lit) - 1, (want))

static char *to_utf8(const uint32_t *t, size_t n)
{
    char *s = malloc(n * 4 + 1);
    assert_non_null(s);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += pb_uchar_encode(t[i], s + k);
    s[k] = '\0';
    return s;
}

static void assert_text(const uint32_t *t, size_t n, const char *want)
{
    char *s = to_utf8(t, n);
    int same = strcmp(s, want) == 0;
    if (!same)
        print_error("got  '%s'\nwant '%s'\n", s, want);
    free(s);
    assert_true(same);
}

static uint8_t *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    assert_true(n > 0);
    rewind(f);
    uint8_t *buf = malloc((size_t)n);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static pb_doc *load_seed(void)
{
    pb_doc *doc = NULL;
    capture c;
    cap_start(&c);
    pb_status st = pb_corpus_load(SEED, &doc);
    char *msg = cap_stop(&c);
    assert_string_equal(msg, "");
    free(msg);
    assert_int_equal(st, PB_OK);
    assert_non_null(doc);
    return doc;
}

/* ---- the seed corpus ---- */

static void test_seed_structure(void **state)
{
    (void)state;
    pb_doc *doc = load_seed();
    assert_string_equal(doc->file, SEED);
    assert_int_equal(doc->n_blocks, SEED_BLOCKS);
    assert_int_equal(doc->n_sections, 5);
    int titles = 0, intros = 0, headings = 0, paras = 0;
    for (size_t i = 0; i < doc->n_blocks; i++) {
        const pb_block *b = &doc->blocks[i];
        int pair = (int)(i / 2);
        assert_int_equal(b->lang, i % 2 ? PB_LANG_EN : PB_LANG_ZH);
        assert_int_equal(b->pair, pair);
        assert_int_equal(b->line, (int)i + 1);
        if (pair == 0) {
            assert_int_equal(b->kind, PB_BLOCK_TITLE);
            assert_int_equal(b->section, 0);
            titles++;
        } else if (pair <= 2) {
            assert_int_equal(b->kind, PB_BLOCK_INTRO);
            assert_int_equal(b->section, 0);
            intros++;
        } else if (pair % 2 == 1) {
            assert_int_equal(b->kind, PB_BLOCK_HEADING);
            assert_int_equal(b->section, (pair - 1) / 2);
            headings++;
        } else {
            assert_int_equal(b->kind, PB_BLOCK_PARA);
            assert_int_equal(b->section, (pair - 2) / 2);
            paras++;
        }
    }
    assert_int_equal(titles, 2);
    assert_int_equal(intros, 4);
    assert_int_equal(headings, 10);
    assert_int_equal(paras, 10);
    assert_text(doc->blocks[0].text, doc->blocks[0].len,
                "\u201C人工智能+\u201D國際合作倡議");
    assert_text(doc->blocks[1].text, doc->blocks[1].len,
                "AI+ International Cooperation Initiative");
    assert_text(doc->blocks[6].text, doc->blocks[6].len,
                "一、實施\u201C人工智能+\u201D民生福祉,增強各國民眾獲得感");
    assert_text(doc->blocks[25].text + doc->blocks[25].len - 17, 17, "the evolving era.");
    pb_corpus_free(doc);
}

static void test_seed_annotations(void **state)
{
    (void)state;
    pb_doc *doc = load_seed();
    size_t total = 0, fa = 0;
    for (size_t i = 0; i < doc->n_blocks; i++) {
        const pb_block *b = &doc->blocks[i];
        if (b->lang == PB_LANG_EN)
            assert_int_equal(b->n_annots, 0);
        total += b->n_annots;
        for (size_t k = 0; k < b->n_annots; k++) {
            const pb_annot *a = &b->annots[k];
            assert_true(a->base < b->len);
            assert_true(pb_uchar_is_han(b->text[a->base]));
            if (k > 0)
                assert_true(a->base > b->annots[k - 1].base);
            assert_int_equal(a->line, b->line);
            /* the '(' sits right after its base character in the source */
            assert_int_equal(a->col, (int)b->col[a->base] + 1);
            assert_true(a->len >= 1 && a->len <= 7);
            char *s = to_utf8(a->text, a->len);
            fa += strcmp(s, "fā") == 0;
            free(s);
        }
        for (size_t k = 0; k + 1 < b->len; k++)
            assert_false(b->text[k] == '(' && pb_uchar_is_pinyin_letter(b->text[k + 1]));
    }
    assert_int_equal(total, SEED_ANNOTS);
    assert_int_equal(fa, 14);

    /* the first: “人工智能+”國(guó)際 — 國 is text[7] at column 8, '(' at column 9 */
    const pb_block *t = &doc->blocks[0];
    assert_int_equal(t->n_annots, 1);
    assert_int_equal(t->annots[0].base, 7);
    assert_int_equal(t->text[7], 0x570B);
    assert_text(t->annots[0].text, t->annots[0].len, "guó");
    assert_int_equal(t->annots[0].line, 1);
    assert_int_equal(t->annots[0].col, 9);
    assert_int_equal(t->col[7], 8);
    assert_int_equal(t->col[8], 14); /* 際 follows the lifted (guó) */
    pb_corpus_free(doc);
}

/* BOM + CRLF (and a missing final newline, and blank lines) read like plain LF */
static void test_bom_crlf(void **state)
{
    (void)state;
    size_t n;
    uint8_t *lf = read_all(SEED, &n);
    size_t lines = 1;
    for (size_t i = 0; i < n; i++)
        lines += lf[i] == '\n';
    uint8_t *crlf = malloc(3 + n + lines * 3);
    assert_non_null(crlf);
    size_t k = 0;
    memcpy(crlf, "\xEF\xBB\xBF", 3), k = 3;
    for (size_t i = 0; i < n; i++) {
        if (lf[i] == '\n')
            crlf[k++] = '\r';
        crlf[k++] = lf[i];
    }
    memcpy(crlf + k, "\r\n  \r\n", 6), k += 6; /* trailing CRLF and a blank line */

    pb_doc *a, *b;
    char *msg;
    assert_int_equal(parse((const char *)lf, n, &a, &msg), PB_OK);
    free(msg);
    assert_int_equal(parse((const char *)crlf, k, &b, &msg), PB_OK);
    assert_string_equal(msg, "");
    free(msg);
    assert_int_equal(a->n_blocks, b->n_blocks);
    assert_int_equal(a->n_sections, b->n_sections);
    for (size_t i = 0; i < a->n_blocks; i++) {
        const pb_block *x = &a->blocks[i], *y = &b->blocks[i];
        assert_int_equal(x->kind, y->kind);
        assert_int_equal(x->lang, y->lang);
        assert_int_equal(x->section, y->section);
        assert_int_equal(x->pair, y->pair);
        assert_int_equal(x->line, y->line);
        assert_int_equal(x->len, y->len);
        assert_memory_equal(x->text, y->text, x->len * sizeof *x->text);
        assert_memory_equal(x->col, y->col, x->len * sizeof *x->col);
        assert_int_equal(x->n_annots, y->n_annots);
        for (size_t j = 0; j < x->n_annots; j++) {
            assert_int_equal(x->annots[j].base, y->annots[j].base);
            assert_int_equal(x->annots[j].col, y->annots[j].col);
            assert_int_equal(x->annots[j].line, y->annots[j].line);
        }
    }
    pb_corpus_free(a);
    pb_corpus_free(b);
    free(lf);
    free(crlf);
}

/* ---- bad input ---- */

static void test_invalid_utf8(void **state)
{
    (void)state;
    EXPECT_ERROR("標題\nTitle\n一二三四\xFF五\nx\n", "t.txt:3:5: error: invalid UTF-8 byte 0xFF");
    EXPECT_ERROR("中文\nabcd\x80", "t.txt:2:5: error: invalid UTF-8 byte 0x80");
    EXPECT_ERROR("ab\xC0\x80", "t.txt:1:3: error: invalid UTF-8 byte 0xC0");       /* overlong */
    EXPECT_ERROR("a\xED\xA0\x80", "t.txt:1:2: error: invalid UTF-8 byte 0xED");     /* surrogate */
    EXPECT_ERROR("\xF4\x90\x80\x80", "t.txt:1:1: error: invalid UTF-8 byte 0xF4");  /* > 10FFFF */
    EXPECT_ERROR("中文\r\nab\xE5\x9C", "t.txt:2:3: error: invalid UTF-8 byte 0xE5"); /* truncated */
    EXPECT_ERROR("\xEF\xBB\xBF" "ab\xFE", "t.txt:1:3: error: invalid UTF-8 byte 0xFE"); /* BOM no col */
    /* the first bad byte wins, even after a structure problem */
    EXPECT_ERROR("English\nx\n\n\xFF", "t.txt:4:1: error: invalid UTF-8 byte 0xFF");
}

static void test_nul_and_controls(void **state)
{
    (void)state;
    EXPECT_ERROR("中文\nEng\0lish\n", "t.txt:2:4: error: NUL byte in text");
    EXPECT_ERROR("\0", "t.txt:1:1: error: NUL byte in text");
    EXPECT_ERROR("中文\x01\nx\n", "t.txt:1:3: error: control character U+0001 in text");
    EXPECT_ERROR("中\r文\nx\n", "t.txt:1:2: error: control character U+000D in text");
}

static void test_empty(void **state)
{
    (void)state;
    EXPECT_ERROR("", "t.txt:1:1: error: empty corpus (no text)");
    EXPECT_ERROR("\xEF\xBB\xBF", "t.txt:1:1: error: empty corpus (no text)");
    EXPECT_ERROR("\n\n  \t\r\n\u3000\n", "t.txt:1:1: error: empty corpus (no text)");
}

static void test_missing_partner(void **state)
{
    (void)state;
    EXPECT_ERROR("中文一\n中文二\nEnglish\n",
                 "t.txt:1:1: error: Chinese paragraph has no English partner");
    EXPECT_ERROR("標題\nTitle\n\n中文三",
                 "t.txt:4:1: error: Chinese paragraph has no English partner");
    EXPECT_ERROR("English first\n中文\n",
                 "t.txt:1:1: error: English paragraph has no Chinese partner");
    EXPECT_ERROR("標題\nTitle\n\n\nMore English\n中文\n",
                 "t.txt:5:1: error: English paragraph has no Chinese partner");
}

static void test_load_missing_file(void **state)
{
    (void)state;
    pb_doc *doc = (pb_doc *)1;
    capture c;
    cap_start(&c);
    pb_status st = pb_corpus_load("/nonexistent/corpus.txt", &doc);
    char *msg = cap_stop(&c);
    assert_string_equal(msg,
                        "paiban: error: cannot read /nonexistent/corpus.txt: "
                        "No such file or directory\n");
    free(msg);
    assert_int_equal(st, PB_ESYSTEM);
    assert_null(doc);
}

/* ---- other corpus styles ---- */

static const char style2[] =
    "人工智能安全治理框架\n"
    "AI Safety Governance Framework\n"
    "为落实《全球人工智能治理倡议》，特制定本框架。\n"
    "To implement the Global AI Governance Initiative, this Framework is formulated.\n"
    "第一章 总则\n"
    "Chapter 1 General Provisions\n"
    "本框架适用于人工智能的研发与应用（含开源模型）。\n"
    "This Framework applies to the research, development and application of AI.\n"
    "坚持以人为本、智能向善。\n"
    "Adhere to a people-centered approach and AI for good.\n"
    "第二章 原则\n"
    "Chapter II: Principles\n"
    "包容审慎、确保安全：风险导向、敏捷治理。\n"
    "Be inclusive and prudent to ensure safety; be risk-oriented and agile.\n";

static void test_second_style(void **state)
{
    (void)state;
    pb_doc *doc;
    char *msg;
    assert_int_equal(PARSE(style2, &doc, &msg), PB_OK);
    assert_string_equal(msg, "");
    free(msg);
    assert_int_equal(doc->n_blocks, 14);
    assert_int_equal(doc->n_sections, 2);
    static const pb_block_kind kinds[] = {PB_BLOCK_TITLE, PB_BLOCK_INTRO, PB_BLOCK_HEADING,
                                          PB_BLOCK_PARA, PB_BLOCK_PARA, PB_BLOCK_HEADING,
                                          PB_BLOCK_PARA};
    static const int sections[] = {0, 0, 1, 1, 1, 2, 2};
    for (size_t i = 0; i < doc->n_blocks; i++) {
        assert_int_equal(doc->blocks[i].kind, kinds[i / 2]);
        assert_int_equal(doc->blocks[i].section, sections[i / 2]);
        assert_int_equal(doc->blocks[i].lang, i % 2 ? PB_LANG_EN : PB_LANG_ZH);
        assert_int_equal(doc->blocks[i].n_annots, 0);
    }
    assert_text(doc->blocks[6].text, doc->blocks[6].len,
                "本框架适用于人工智能的研发与应用（含开源模型）。");
    assert_text(doc->blocks[4].text, doc->blocks[4].len, "第一章 总则");
    pb_corpus_free(doc);
}

static const char style3[] =
    "\u3000关于推进数字化的意见\u3000\n"
    "  Opinions on Advancing Digitalization  \n"
    "\n"
    "1、总体要求\n"
    "1. General Requirements\n"
    "到2030年，数字经济占比达到1.5倍。\n"
    "By 2030, the digital economy will grow 1.5 times.\n"
    "\n"
    "２．主要任务\n"
    "2. Main Tasks\n"
    "推进AI在制造业中的应用。\n"
    "Promote the use of AI in manufacturing.\n"
    "三、保障措施\n"
    "III. Safeguards\n"
    "3.5亿元用于试点。\n"
    "3.5 billion yuan go to pilots.\n";

static void test_numbered_headings(void **state)
{
    (void)state;
    pb_doc *doc;
    char *msg;
    assert_int_equal(PARSE(style3, &doc, &msg), PB_OK);
    assert_string_equal(msg, "");
    free(msg);
    assert_int_equal(doc->n_blocks, 14);
    assert_int_equal(doc->n_sections, 3);
    static const pb_block_kind kinds[] = {PB_BLOCK_TITLE, PB_BLOCK_HEADING, PB_BLOCK_PARA,
                                          PB_BLOCK_HEADING, PB_BLOCK_PARA, PB_BLOCK_HEADING,
                                          PB_BLOCK_PARA};
    static const int sections[] = {0, 1, 1, 2, 2, 3, 3};
    static const int lines[] = {1, 4, 6, 9, 11, 13, 15};
    for (size_t i = 0; i < doc->n_blocks; i++) {
        assert_int_equal(doc->blocks[i].kind, kinds[i / 2]);
        assert_int_equal(doc->blocks[i].section, sections[i / 2]);
        assert_int_equal(doc->blocks[i].line, lines[i / 2] + (int)(i % 2));
    }
    /* surrounding spaces are trimmed; columns stay source columns */
    assert_text(doc->blocks[0].text, doc->blocks[0].len, "关于推进数字化的意见");
    assert_int_equal(doc->blocks[0].col[0], 2);
    assert_text(doc->blocks[1].text, doc->blocks[1].len, "Opinions on Advancing Digitalization");
    assert_int_equal(doc->blocks[1].col[0], 3);
    /* AI inside a Chinese line does not make it English */
    assert_text(doc->blocks[8].text, doc->blocks[8].len, "推进AI在制造业中的应用。");
    assert_int_equal(doc->blocks[8].lang, PB_LANG_ZH);
    pb_corpus_free(doc);
}

static void test_no_headings(void **state)
{
    (void)state;
    pb_doc *doc;
    char *msg;
    assert_int_equal(PARSE("標題\nTitle\n一、第一段\nParagraph one without a number\n"
                           "第二段\n2. Paragraph two\n"
                           "1.5倍的增長\n1. Growth of 1.5 times\n",
                           &doc, &msg),
                     PB_OK);
    free(msg);
    assert_int_equal(doc->n_blocks, 8);
    assert_int_equal(doc->n_sections, 0);
    assert_int_equal(doc->blocks[0].kind, PB_BLOCK_TITLE);
    for (size_t i = 2; i < doc->n_blocks; i++) {
        assert_int_equal(doc->blocks[i].kind, PB_BLOCK_INTRO);
        assert_int_equal(doc->blocks[i].section, 0);
    }
    pb_corpus_free(doc);
}

static void test_language_by_script(void **state)
{
    (void)state;
    pb_doc *doc;
    char *msg;
    /* English mentioning a Han character; Chinese with Latin words and pinyin */
    assert_int_equal(PARSE("AI是人工智能的縮(suō)寫(xiě)\n"
                           "The character 國 means country.\n",
                           &doc, &msg),
                     PB_OK);
    free(msg);
    assert_int_equal(doc->blocks[0].lang, PB_LANG_ZH);
    assert_int_equal(doc->blocks[0].n_annots, 2);
    assert_int_equal(doc->blocks[1].lang, PB_LANG_EN);
    pb_corpus_free(doc);
}

/* col[] after annotations are lifted; parentheses that are not annotations stay */
static void test_col_mapping(void **state)
{
    (void)state;
    pb_doc *doc;
    char *msg;
    assert_int_equal(PARSE("\u201C中國(guó)\u201D(AI)好(hǎo)中(Gu)文(abcdefgh)字()a(gu)字(gu這是一個測試句子\n"
                           "English\n",
                           &doc, &msg),
                     PB_OK);
    free(msg);
    const pb_block *b = &doc->blocks[0];
    assert_text(b->text, b->len,
                "\u201C中國\u201D(AI)好中(Gu)文(abcdefgh)字()a(gu)字(gu這是一個測試句子");
    static const uint32_t cols[] = {1, 2, 3, 9, 10, 11, 12, 13, 14};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        assert_int_equal(b->col[i], cols[i]);
    assert_int_equal(b->col[9], 20); /* 中 after (hǎo) */
    assert_int_equal(b->col[b->len - 1], 55);
    assert_int_equal(b->n_annots, 2);
    assert_int_equal(b->annots[0].base, 2);
    assert_int_equal(b->annots[0].col, 4);
    assert_text(b->annots[0].text, b->annots[0].len, "guó");
    assert_int_equal(b->annots[1].base, 8);
    assert_int_equal(b->annots[1].col, 15);
    assert_text(b->annots[1].text, b->annots[1].len, "hǎo");
    pb_corpus_free(doc);
}

/* ---- size and robustness ---- */

static void test_big_paragraph(void **state)
{
    (void)state;
    static const char zh[] = "國(guó)中,文";  /* 9 code points, 4 after lifting */
    static const char en[] = "words ";
    size_t reps = BIG_BYTES / (sizeof zh - 1);
    size_t n = reps * (sizeof zh - 1) + 1 + BIG_BYTES + 1;
    char *s = malloc(n);
    assert_non_null(s);
    size_t k = 0;
    for (size_t i = 0; i < reps; i++, k += sizeof zh - 1)
        memcpy(s + k, zh, sizeof zh - 1);
    s[k++] = '\n';
    for (size_t i = 0; i < BIG_BYTES / (sizeof en - 1); i++, k += sizeof en - 1)
        memcpy(s + k, en, sizeof en - 1);
    s[k++] = '.';
    pb_doc *doc;
    char *msg;
    assert_int_equal(parse(s, k, &doc, &msg), PB_OK);
    free(msg);
    assert_int_equal(doc->n_blocks, 2);
    assert_int_equal(doc->blocks[0].len, reps * 4);
    assert_int_equal(doc->blocks[0].n_annots, reps);
    assert_int_equal(doc->blocks[0].annots[reps - 1].base, (reps - 1) * 4);
    assert_int_equal(doc->blocks[0].col[reps * 4 - 1], reps * 9);
    pb_corpus_free(doc);
    free(s);
}

/* Mutated seed bytes: always PB_OK or exactly one error line, never a crash. */
static void test_mutations(void **state)
{
    (void)state;
    size_t n;
    uint8_t *seed = read_all(SEED, &n);
    uint8_t *buf = malloc(n);
    assert_non_null(buf);
    uint32_t rng = 12345;
    for (int round = 0; round < FUZZ_ROUNDS; round++) {
        memcpy(buf, seed, n);
        size_t len = n;
        for (int m = 0; m < 4; m++) {
            rng = rng * 1103515245u + 12345u;
            size_t at = (rng >> 8) % len;
            rng = rng * 1103515245u + 12345u;
            switch (rng >> 29) {
            case 0: buf[at] = (uint8_t)(rng >> 16); break;
            case 1: buf[at] = '\n'; break;
            case 2: len = at + 1; break; /* truncate */
            case 3: buf[at] = '('; break;
            default: buf[at] = (uint8_t)"\x80\xFF\r\0)a"[(rng >> 16) % 6]; break;
            }
        }
        pb_doc *doc;
        char *msg;
        pb_status st = parse((const char *)buf, len, &doc, &msg);
        if (st == PB_OK) {
            assert_string_equal(msg, "");
            assert_non_null(doc);
            pb_corpus_free(doc);
        } else {
            assert_int_equal(st, PB_EINPUT);
            assert_null(doc);
            assert_true(strncmp(msg, "t.txt:", 6) == 0);
            assert_non_null(strstr(msg, ": error: "));
            assert_ptr_equal(strchr(msg, '\n'), msg + strlen(msg) - 1);
        }
        free(msg);
    }
    free(buf);
    free(seed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_structure),
        cmocka_unit_test(test_seed_annotations),
        cmocka_unit_test(test_bom_crlf),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_nul_and_controls),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_missing_partner),
        cmocka_unit_test(test_load_missing_file),
        cmocka_unit_test(test_second_style),
        cmocka_unit_test(test_numbered_headings),
        cmocka_unit_test(test_no_headings),
        cmocka_unit_test(test_language_by_script),
        cmocka_unit_test(test_col_mapping),
        cmocka_unit_test(test_big_paragraph),
        cmocka_unit_test(test_mutations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
