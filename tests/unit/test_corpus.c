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

/* Expect good input and exactly these messages (want: the whole text, "" for none). */
static pb_doc *parse_saying(const char *s, size_t n, const char *want)
{
    pb_doc *doc;
    char *msg;
    assert_int_equal(parse(s, n, &doc, &msg), PB_OK);
    assert_string_equal(msg, want);
    free(msg);
    return doc;
}

#define PARSE_SAYING(lit, want) parse_saying((lit), sizeof(lit) - 1, (want))

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

/* Only a pinyin syllable with its tone mark is lifted as an annotation: units, formats and words
 * in parentheses after a Han character stay in the text (a leaflet, dropping annotations, lost
 * them: "本機重量(kg)為3.5" printed "本機重量為3.5"); one that spells a syllable without a tone
 * mark (李(li), 面積(ha)) stays too, with a warning. */
static void test_annotation_is_pinyin(void **state)
{
    (void)state;
    pb_doc *doc;
    char *msg;
    assert_int_equal(PARSE("標題\nTitle\n重量(kg)、格式(pdf)、網頁(html)、確認(ok)、時間(h)、"
                           "國(guó)、姓李(li)、事兒(shìr)、嗯(ń)。\nUnits.\n",
                           &doc, &msg),
                     PB_OK);
    assert_string_equal(msg, "t.txt:3:46: warning: 李(li) spells pinyin without a tone mark: kept in "
                             "the text as written (a unit or a word may spell so: 面積(ha)); write "
                             "the tone mark to set it as ruby (李(lǐ))\n");
    free(msg);
    const pb_block *b = &doc->blocks[2];
    assert_text(b->text, b->len, "重量(kg)、格式(pdf)、網頁(html)、確認(ok)、時間(h)、國、姓李(li)、事兒、嗯。");
    assert_int_equal(b->n_annots, 3);
    assert_text(b->annots[0].text, b->annots[0].len, "guó");
    assert_text(b->annots[1].text, b->annots[1].len, "shìr");
    assert_text(b->annots[2].text, b->annots[2].len, "ń");
    pb_corpus_free(doc);

    /* pinyin meant as a reading that is not one syllable: kept, each with a warning (review 7;
     * it was silent while 面積(ha) had one); 長(cháng) is ruby, its second reading not */
    assert_int_equal(PARSE("標題\nTitle\n中國(zhōngguó)的國(guo2)旗，行(xíng/háng)字，長(cháng)(zhǎng)短，"
                           "格式(pdf 2)。\nUnits.\n",
                           &doc, &msg),
                     PB_OK);
    static const char *const WHERE[] = {"t.txt:3:2: warning: 國(zhōngguó): pinyin in parentheses",
                                        "t.txt:3:14: warning: 國(guo2): pinyin",
                                        "t.txt:3:23: warning: 行(xíng/háng): pinyin",
                                        "t.txt:3:45: warning: (zhǎng): pinyin"};
    for (size_t i = 0; i < sizeof WHERE / sizeof *WHERE; i++)
        if (!strstr(msg, WHERE[i]))
            fail_msg("missing %s in %s", WHERE[i], msg);
    assert_non_null(strstr(msg, "to set it as ruby, give each Han character one syllable with its "
                                "tone mark (中(zhōng)國(guó))\n"));
    assert_null(strstr(msg, "pdf"));
    free(msg);
    b = &doc->blocks[2];
    assert_int_equal(b->n_annots, 1);
    assert_text(b->annots[0].text, b->annots[0].len, "cháng");
    pb_corpus_free(doc);

    /* a proper name's capital is ruby as a lower-case syllable is; pinyin after a mark can be
     * none: kept, with a warning (review 9: both were set inline, silently) */
    assert_int_equal(PARSE("標題\nTitle\n句號。(jù)與中(Zhōng)文，李(Lǐ)先生(Ltd)。\nUnits.\n", &doc,
                           &msg),
                     PB_OK);
    assert_string_equal(msg, "t.txt:3:4: warning: (jù) after 。: pinyin in parentheses with no Han "
                             "character before it is kept in the text as written; to set it as "
                             "ruby, write it right after the character it reads (句(jù))\n");
    free(msg);
    b = &doc->blocks[2];
    assert_text(b->text, b->len, "句號。(jù)與中文，李先生(Ltd)。");
    assert_int_equal(b->n_annots, 2);
    assert_text(b->annots[0].text, b->annots[0].len, "Zhōng");
    assert_text(b->annots[1].text, b->annots[1].len, "Lǐ");
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

/* A byte order mark at a line's start: a second file joined on (cat a.txt b.txt, b.txt saved
 * with one). It is dropped before the line's markup is read, with a warning, not read as a
 * word joiner that makes "第二章" body text and "- " a hyphen (review 13). */
static void test_joined_bom(void **state)
{
    (void)state;
    pb_doc *doc = PARSE_SAYING(
        "標題\nTitle\n第一章　總則\nChapter 1 General\n正文。\nText.\n"
        "\xEF\xBB\xBF第二章　附則\n\xEF\xBB\xBF" "Chapter 2 Final\n"
        "\xEF\xBB\xBF- 項目。\n\xEF\xBB\xBF- Item.\n",
        "t.txt:7:1: warning: a byte order mark (U+FEFF) begins this line, where a file joined "
        "to this one began: dropped, so that the line's markup is read\n"
        "t.txt:8:1: warning: a byte order mark (U+FEFF) begins this line, where a file joined "
        "to this one began: dropped, so that the line's markup is read\n"
        "t.txt:9:1: warning: a byte order mark (U+FEFF) begins this line, where a file joined "
        "to this one began: dropped, so that the line's markup is read\n"
        "t.txt:10:1: warning: a byte order mark (U+FEFF) begins this line, where a file joined "
        "to this one began: dropped, so that the line's markup is read\n");
    assert_int_equal(doc->n_headings, 2);
    assert_int_equal(doc->blocks[6].kind, PB_BLOCK_HEADING);
    assert_text(doc->blocks[6].text, doc->blocks[6].len, "第二章　附則");
    assert_true(doc->blocks[8].flags & PB_BLOCK_LIST);
    assert_text(doc->blocks[8].text, doc->blocks[8].len, "項目。");
    pb_corpus_free(doc);
}

/* Attributes a title or a heading does not take, {right} {center} {left} {noindent}, and {body}
 * on a heading marked '# ', are a warning at their line, as {keep} and {every} there are
 * (review 13: dropped silently). */
static void test_idle_display_attrs(void **state)
{
    (void)state;
    pb_doc *doc = PARSE_SAYING(
        "標題 {right}\nTitle {right}\n# 一、開始 {center}\n# I. Start {center}\n正文。\nText.\n"
        "# 二、其次 {body}\n# II. Next {body}\n正文。\nText.\n",
        "t.txt:1:1: warning: {right} on the title (line 1) has no effect: a title and a heading "
        "are aligned and indented as the layout sets them\n"
        "t.txt:3:1: warning: {center} on a heading (line 3) has no effect: a title and a heading "
        "are aligned and indented as the layout sets them\n"
        "t.txt:7:1: warning: {body} on a heading (line 7) has no effect: the '# ' at its start "
        "makes it a heading; drop one or the other\n");
    assert_int_equal(doc->n_headings, 2);
    assert_false(doc->blocks[0].flags & PB_BLOCK_RIGHT);
    assert_false(doc->blocks[2].flags & PB_BLOCK_CENTER);
    pb_corpus_free(doc);
}

/* ---- bad input ---- */

static void test_invalid_utf8(void **state)
{
    (void)state;
    EXPECT_ERROR("標題\nTitle\n一二三四\xFF五\nx\n", "t.txt:3:5: error: invalid UTF-8 byte 0xFF");
    EXPECT_ERROR("中文\nabcd\x80", "t.txt:2:5: error: invalid UTF-8 byte 0x80");
    EXPECT_ERROR("ab\xC0\x80", "t.txt:1:3: error: invalid UTF-8 byte 0xC0");       /* overlong */
    EXPECT_ERROR("a\xED\xA0\x80", "t.txt:1:2: error: invalid UTF-8 byte 0xED: bytes ED A0 80 "
                 "encode the surrogate U+D800, half of a pair, which is no character: the text "
                 "was cut or converted wrongly; retype the character"); /* a lone surrogate */
    EXPECT_ERROR("\xF4\x90\x80\x80", "t.txt:1:1: error: invalid UTF-8 byte 0xF4");  /* > 10FFFF */
    EXPECT_ERROR("中文\r\nab\xE5\x9C", "t.txt:2:3: error: invalid UTF-8 byte 0xE5"); /* truncated */
    EXPECT_ERROR("\xEF\xBB\xBF" "ab\xFE", "t.txt:1:3: error: invalid UTF-8 byte 0xFE"); /* BOM no col */
    /* the first bad byte wins, even after a structure problem */
    EXPECT_ERROR("English\nx\n\n\xFF", "t.txt:4:1: error: invalid UTF-8 byte 0xFF");
}

/* A file in another encoding: what it looks like and the iconv command (review 6). */
static void test_other_encodings(void **state)
{
    (void)state;
#define TO_UTF8 "; paiban reads UTF-8: convert it with iconv -f "
    EXPECT_ERROR("\xFF\xFE\x19\x6A\x4C\x98\n\0T\0i\0\n\0",
                 "t.txt:1:1: error: invalid UTF-8 byte 0xFF: the file looks like UTF-16 "
                 "(little-endian, with a byte-order mark)" TO_UTF8 "UTF-16 -t UTF-8");
    EXPECT_ERROR("\xFE\xFF\x6A\x19\x98\x4C\0\n\0T\0i\0\n",
                 "t.txt:1:1: error: invalid UTF-8 byte 0xFE: the file looks like UTF-16 "
                 "(big-endian, with a byte-order mark)" TO_UTF8 "UTF-16 -t UTF-8");
    /* no mark: the NULs on one side, one 一 (U+4E00) on the other */
    EXPECT_ERROR("\x00\x4E\x4C\x98\n\0T\0i\0t\0l\0e\0 \0o\0n\0e\0\n\0",
                 "t.txt:1:1: error: NUL byte in text: the file looks like UTF-16 "
                 "(little-endian, no byte-order mark)" TO_UTF8 "UTF-16LE -t UTF-8");
    EXPECT_ERROR("\x6A\x19\x98\x4C\0\n\0T\0i\0t\0l\0e\0\n",
                 "t.txt:1:2: error: control character U+0019 in text: the file looks like "
                 "UTF-16 (big-endian, no byte-order mark)" TO_UTF8 "UTF-16BE -t UTF-8");
    /* 標題 in Big5, 标题 in GB18030 (and a character of its four-byte plane) */
    EXPECT_ERROR("\xBC\xD0\xC3\x44\nTitle\n\xA4\xA4\xA4\xE5\nText\n",
                 "t.txt:1:1: error: invalid UTF-8 byte 0xBC: the file looks like a legacy Chinese "
                 "encoding (Big5 or GB18030)" TO_UTF8 "BIG5 -t UTF-8 (Traditional) or iconv -f "
                 "GB18030 -t UTF-8 (Simplified)");
    EXPECT_ERROR("\xB1\xEA\xCC\xE2\x81\x30\x81\x30\nTitle\n\xD6\xD0\xCE\xC4\nText\n",
                 "t.txt:1:1: error: invalid UTF-8 byte 0xB1: the file looks like a legacy Chinese "
                 "encoding (Big5 or GB18030)" TO_UTF8 "BIG5 -t UTF-8 (Traditional) or iconv -f "
                 "GB18030 -t UTF-8 (Simplified)");
#undef TO_UTF8
    /* nothing to say: a stray byte in UTF-8, Latin-1, a byte that pairs with nothing */
    EXPECT_ERROR("標題\nTitle\n中文\xFF\xFE\x80段落\nText\n",
                 "t.txt:3:3: error: invalid UTF-8 byte 0xFF");
    EXPECT_ERROR("caf\xE9\nCaf\xE9 au lait\n", "t.txt:1:4: error: invalid UTF-8 byte 0xE9");
    EXPECT_ERROR("\xBC\xD0\xC3\x44\xA4\xA4\xA4\nTitle\n",
                 "t.txt:1:1: error: invalid UTF-8 byte 0xBC");
    EXPECT_ERROR("a\0b\0c\0d\0e\0f", "t.txt:1:2: error: NUL byte in text"); /* odd length */
}

static void test_nul_and_controls(void **state)
{
    (void)state;
    EXPECT_ERROR("中文\nEng\0lish\n", "t.txt:2:4: error: NUL byte in text");
    /* a noncharacter is no text (review 12 B10: U+FFFF was blamed on the fonts) */
    EXPECT_ERROR("中文\n正\xEF\xBF\xBF文\n",
                 "t.txt:2:2: error: U+FFFF is a noncharacter (Unicode §23.7), not text: delete it");
    EXPECT_ERROR("中文\nEn \xEF\xB7\x90\n",
                 "t.txt:2:4: error: U+FDD0 is a noncharacter (Unicode §23.7), not text: delete it");
    EXPECT_ERROR("\0", "t.txt:1:1: error: NUL byte in text");
    EXPECT_ERROR("中文\x01\nx\n", "t.txt:1:3: error: control character U+0001 in text");
    EXPECT_ERROR("中\r文\nx\n", "t.txt:1:2: error: control character U+000D in text (a carriage return alone "
                 "ends no line: save the file with LF or CRLF line ends)");
    /* a form feed typed as a page break, and a character beyond U+FFFF encoded as two
     * surrogates (CESU-8, Java's modified UTF-8): named, with what to do (review 10) */
    EXPECT_ERROR("中文\nEng\flish\n", "t.txt:2:4: error: control character U+000C in text (a form "
                 "feed, typed as a page break: paiban has no page-break markup and breaks pages "
                 "itself; delete it)");
    EXPECT_ERROR("中文\nOK \xED\xA0\xBD\xED\xB8\x80!\n",
                 "t.txt:2:4: error: invalid UTF-8 byte 0xED: bytes ED A0 BD ED B8 80 encode a "
                 "character beyond U+FFFF as two surrogates (U+D83D U+DE00), as CESU-8 and Java's "
                 "\"modified UTF-8\" do; paiban reads UTF-8: convert the file with uconv -f CESU-8 "
                 "-t UTF-8 (ICU's converter; iconv does not read CESU-8)");
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
                 "t.txt:1:1: error: Chinese paragraph has no English partner: line 2 is taken "
                 "for Chinese: 3 Han characters and CJK marks, 0 Latin letters outside URLs and "
                 "annotations, where the English line of line 1 belongs. Add the missing English "
                 "line after line 1, or end line 2 with {lang=en} if it is English");
    EXPECT_ERROR("標題\nTitle\n\n中文三",
                 "t.txt:4:1: error: Chinese paragraph has no English partner: line 4 is the last "
                 "line");
    EXPECT_ERROR("English first\n中文\n",
                 "t.txt:1:1: error: English paragraph has no Chinese partner: a pair starts with "
                 "its Chinese line, but line 1 is taken for English: 0 Han characters and CJK "
                 "marks, 12 Latin letters outside URLs and annotations (end it with {lang=zh} if "
                 "it is Chinese)");
    EXPECT_ERROR("標題\nTitle\n\n\nMore English\n中文\n",
                 "t.txt:5:1: error: English paragraph has no Chinese partner: line 5 is taken for "
                 "English: 0 Han characters and CJK marks, 11 Latin letters outside URLs and "
                 "annotations; the line before it, 2, is the English half of the pair of line 1 "
                 "(English: 0 Han characters and CJK marks, 5 Latin letters outside URLs and "
                 "annotations). Add the missing line, or end line 5 with {lang=zh} if it is "
                 "Chinese");
    /* a Chinese line around a URL is Chinese (the URL's letters do not count) */
    pb_doc *doc;
    char *msg;
    assert_int_equal(PARSE("標題\nTitle\n詳情請瀏覽 https://museum.example.org/collection。\n"
                           "For details, see https://museum.example.org/collection.\n",
                           &doc, &msg),
                     PB_OK);
    assert_string_equal(msg, "");
    free(msg);
    assert_int_equal(doc->blocks[2].lang, PB_LANG_ZH);
    pb_corpus_free(doc);
    /* punctuation only, or pinyin-heavy, is still Chinese; {lang=...} overrides */
    assert_int_equal(PARSE("標題\nTitle\n……！\nIndeed!\n國(guó)際(jì)AI+\nInternational AI+\n"
                           "OK {lang=zh}\nOK\n",
                           &doc, &msg),
                     PB_OK);
    assert_string_equal(msg, "");
    free(msg);
    assert_int_equal(doc->blocks[2].lang, PB_LANG_ZH);
    assert_int_equal(doc->blocks[4].lang, PB_LANG_ZH);
    assert_int_equal(doc->blocks[6].lang, PB_LANG_ZH);
    assert_text(doc->blocks[6].text, doc->blocks[6].len, "OK");
    pb_corpus_free(doc);
    /* a glossary line: an ideograph weighs three letters, so a Chinese line glossing an English
     * term is Chinese; an English line quoting a Chinese term stays English */
    assert_int_equal(PARSE("標題\nTitle\n- PR：系統效率（Performance Ratio）\n"
                           "- PR: performance ratio of the system\n"
                           "人工智能\nThe term 人工智能 means artificial intelligence.\n",
                           &doc, &msg),
                     PB_OK);
    free(msg);
    assert_int_equal(doc->blocks[2].lang, PB_LANG_ZH);
    assert_int_equal(doc->blocks[3].lang, PB_LANG_EN);
    assert_int_equal(doc->blocks[5].lang, PB_LANG_EN);
    pb_corpus_free(doc);
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

/* A letter's numbered points: 一、 and 四、 are sentences, 二、 and 三、 short lines ending in a
 * colon; numbered 1..4 together they are one series of points, all body text. In the second
 * text the short 二、 and 三、 are headings (their series shares no number with a sentence),
 * and {body} keeps 三、 out of them. */
static const char letter_points[] = "函\nLetter\n\n"
                                    "一、依據本局規定辦理。\n1. This follows the Bureau's rules.\n\n"
                                    "二、補助分為二類：\n2. Grants are of two kinds:\n\n"
                                    "三、申請方式：\n3. How to apply:\n\n"
                                    "四、逾期不予受理。\n4. Late applications are not accepted.\n";
static const char heads_and_body[] = "章程\nCharter\n\n"
                                     "一、總則\n1. General\n\n本章程依法訂定。\nThis charter follows the law.\n\n"
                                     "二、會員\n2. Members\n\n會員應繳會費。\nMembers pay dues.\n\n"
                                     "三、附則 {body}\n3. Final provisions\n\n本章程自公布日施行。\nThis charter takes effect on publication.\n";

static void test_numbered_points(void **state)
{
    (void)state;
    pb_doc *doc;
    char *msg;
    assert_int_equal(PARSE(letter_points, &doc, &msg), PB_OK);
    free(msg);
    assert_int_equal(doc->n_headings, 0);
    for (size_t i = 2; i < doc->n_blocks; i++)
        assert_int_equal(doc->blocks[i].kind, PB_BLOCK_INTRO);
    pb_corpus_free(doc);
    assert_int_equal(PARSE(heads_and_body, &doc, &msg), PB_OK);
    free(msg);
    assert_int_equal(doc->n_headings, 2);
    assert_int_equal(doc->blocks[2].kind, PB_BLOCK_HEADING);
    assert_int_equal(doc->blocks[6].kind, PB_BLOCK_HEADING);
    assert_int_equal(doc->blocks[10].kind, PB_BLOCK_PARA);
    assert_true(doc->blocks[11].flags & PB_BLOCK_BODY);
    pb_corpus_free(doc);
    /* a tender's 1.1 (a sentence) and 1.2 (short, ending in a colon) are one series under
     * clause 1, 2.1 2.2 another: all body text (1.2 was a heading, numbered as 1.1 counts) */
    assert_int_equal(PARSE("公告\nNotice\n\n一、项目概况\n1. Overview\n\n"
                           "1.1 本项目分为四个标段，投标人可就一个或多个标段投标。\n"
                           "1.1 The project has four lots; a bidder may bid for one or more.\n\n"
                           "1.2 各标段预算如下：\n1.2 The budgets are:\n\n"
                           "二、资格要求\n2. Eligibility\n\n"
                           "2.1 投标人须为依法注册的法人。\n2.1 A bidder must be a registered company.\n\n"
                           "2.2 不接受联合体投标。\n2.2 Joint bids are not accepted.\n",
                           &doc, &msg),
                     PB_OK);
    free(msg);
    assert_int_equal(doc->n_headings, 2);
    assert_int_equal(doc->blocks[6].kind, PB_BLOCK_PARA);
    pb_corpus_free(doc);
    /* numbered pairs one after another are a list's items, never headings: a 办法's annexes
     * (the first after its label, 附件：1.) and a list of materials whose last item reads as a
     * heading in English only (review 9: 2. and 3. were level-2 headings, 4. a warning) */
    assert_int_equal(PARSE("办法\nMeasures\n\n第一章　总则\nChapter 1 General\n\n"
                           "申请人应提交：\nAn applicant submits:\n\n"
                           "1.申请表；\n1. the form;\n\n2.承诺书；\n2. the undertaking;\n\n"
                           "3.其他材料。\n3. other materials.\n\n"
                           "第二章　附则\nChapter 2 Final\n\n本办法自公布之日起施行。\nThese take effect.\n\n"
                           "附件：1.申请表\nAnnexes: 1. Form\n\n2.承诺书\n2. Undertaking\n\n"
                           "3.目录\n3. Catalogue\n",
                           &doc, &msg),
                     PB_OK);
    assert_null(strstr(msg, "warning"));
    free(msg);
    assert_int_equal(doc->n_headings, 2);
    for (size_t i = 2; i < doc->n_blocks; i++)
        if (doc->blocks[i].kind == PB_BLOCK_HEADING)
            assert_true(doc->blocks[i].text[0] == 0x7B2C || doc->blocks[i].text[0] == 'C');
    pb_corpus_free(doc);
    /* a contract's sub-clauses are a series under each article, numbered anew: article 2's
     * short （二） among its sentences is a point, as its siblings are (review 12 A1: it was a
     * level-2 heading, since article 1's （二） is a sentence and the document's （一）（二）
     * were counted as one series) */
    assert_int_equal(PARSE("租賃契約\nTenancy Agreement\n第一條　租賃標的\nArticle 1 The Premises\n"
                           "（一）房屋坐落於臺北市。\n(1) The premises are in Taipei City.\n"
                           "（二）附屬設備為冷氣機三台。\n(2) The fixtures are three air conditioners.\n"
                           "第二條　租金\nArticle 2 Rent\n"
                           "（一）每月租金為新臺幣38,500元整。\n(1) The monthly rent is NT$38,500.\n"
                           "（二）租金調整\n(2) Rent review\n"
                           "（三）乙方遲延支付租金者，應加付遲延金。\n(3) The Tenant pays a late charge.\n",
                           &doc, &msg),
                     PB_OK);
    assert_string_equal(msg, "");
    free(msg);
    assert_int_equal(doc->n_headings, 2);
    assert_int_equal(doc->blocks[12].kind, PB_BLOCK_PARA);
    pb_corpus_free(doc);
    /* a point that introduces a list ("…如下：" / "… as follows:") is a point, and so are
     * its siblings that do the same (they were level-2 headings) */
    assert_int_equal(PARSE("租賃契約\nTenancy Agreement\n第一條　租金\nArticle 1 Rent\n"
                           "（一）租金支付方式如下：\n(1) Rent is paid as follows:\n"
                           "1.匯入甲方帳戶；\n1. by transfer;\n2.以現金交付。\n2. in cash.\n"
                           "（二）押金返還方式如下：\n(2) The deposit is returned as follows:\n"
                           "1.租期屆滿時返還；\n1. at the end of the term;\n2.扣除欠款。\n2. less arrears.\n"
                           "第二條　附則\nArticle 2 Final\n本契約一式二份。\nTwo copies are made.\n",
                           &doc, &msg),
                     PB_OK);
    assert_string_equal(msg, "");
    free(msg);
    assert_int_equal(doc->n_headings, 2);
    assert_int_equal(doc->blocks[4].kind, PB_BLOCK_PARA);
    assert_int_equal(doc->blocks[10].kind, PB_BLOCK_PARA);
    pb_corpus_free(doc);
    /* a series that cannot be read as a whole (a number missing) is set point by point, with a
     * warning naming the series where a point is set as a heading among its sentences */
    assert_int_equal(PARSE("租賃契約\nTenancy Agreement\n第一條　租金\nArticle 1 Rent\n"
                           "（一）每月租金為新臺幣38,500元整。\n(1) The monthly rent is NT$38,500.\n"
                           "（二）租金調整\n(2) Rent review\n"
                           "（四）乙方遲延支付租金者，應加付遲延金。\n(4) The Tenant pays a late charge.\n",
                           &doc, &msg),
                     PB_OK);
    assert_string_equal(msg, "t.txt:7:1: warning: （二） (line 7) reads as a heading, but its series "
                             "（一） to （四） (lines 5-10) holds sentences: it is set as a heading, "
                             "they as body text (a point? end it with {body}; a heading? mark it "
                             "'## '; a number missing?)\n");
    free(msg);
    assert_int_equal(doc->blocks[6].kind, PB_BLOCK_HEADING);
    pb_corpus_free(doc);
}

/* A line's place in its pair decides where its text does not: a Chinese line with more Latin
 * than ideographs, lines of marks or digits only ("……", "- 3"), a press release's "###". */
static void test_lang_by_place(void **state)
{
    (void)state;
    pb_doc *doc;
    char *msg;
    assert_int_equal(PARSE("標題\nTitle\n\n名詞解釋：Pneumonoultramicroscopicsilicovolcanoconiosis\n"
                           "Glossary: pneumonoultramicroscopicsilicovolcanoconiosis\n\n"
                           "……\n...\n\n- 3\n- 3\n\n###\n###\n",
                           &doc, &msg),
                     PB_OK);
    assert_string_equal(msg, "");
    free(msg);
    assert_int_equal(doc->n_blocks, 10);
    for (size_t i = 0; i < doc->n_blocks; i++)
        assert_int_equal(doc->blocks[i].lang, i % 2 ? PB_LANG_EN : PB_LANG_ZH);
    assert_text(doc->blocks[8].text, doc->blocks[8].len, "###");
    pb_corpus_free(doc);
    /* a missing line still shows: an English line where a Chinese one belongs */
    EXPECT_ERROR("標題\nTitle\n\nThe English of a missing Chinese line.\n\n中文。\nChinese.\n",
                 "t.txt:4:1: error: English paragraph has no Chinese partner: line 4 is taken "
                 "for English: 0 Han characters and CJK marks, 31 Latin letters outside URLs and "
                 "annotations; the line before it, 2, is the English half of the pair of line 1 "
                 "(English: 0 Han characters and CJK marks, 5 Latin letters outside URLs and "
                 "annotations). Add the missing line, or end line 4 with {lang=zh} if it is "
                 "Chinese");
}

static void test_numbered_headings(void **state)
{
    (void)state;
    pb_doc *doc;
    char *msg;
    assert_int_equal(PARSE(style3, &doc, &msg), PB_OK);
    /* 1、 ranks below 三、 (GB/T 9704): two subsections before the first section, said */
    assert_string_equal(msg, "t.txt:4:1: warning: heading 1、 is a level below the document's "
                             "first-level headings but comes before any of them; check the "
                             "numbering, or give the levels with '# ' and '## '\n"
                             "t.txt:9:1: warning: heading ２． is a level below the document's "
                             "first-level headings but comes before any of them; check the "
                             "numbering, or give the levels with '# ' and '## '\n");
    free(msg);
    assert_int_equal(doc->n_blocks, 14);
    assert_int_equal(doc->n_sections, 1);
    assert_int_equal(doc->n_headings, 3);
    static const pb_block_kind kinds[] = {PB_BLOCK_TITLE, PB_BLOCK_HEADING, PB_BLOCK_INTRO,
                                          PB_BLOCK_HEADING, PB_BLOCK_INTRO, PB_BLOCK_HEADING,
                                          PB_BLOCK_PARA};
    static const int sections[] = {0, 0, 0, 0, 0, 1, 1};
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

/* A corpus of its title alone: set, with a warning (review 6); a title and one pair: none. */
static void test_title_only(void **state)
{
    (void)state;
    pb_doc *doc = PARSE_SAYING("\n標題\nTitle Only\n\n",
                               "t.txt:2:1: warning: the corpus is only its title: no text follows "
                               "its first line pair, so the document has a title and no body "
                               "(the text missing?)\n");
    assert_int_equal(doc->n_blocks, 2);
    pb_corpus_free(doc);
    pb_corpus_free(PARSE_SAYING("標題\nTitle\n正文。\nText.\n", ""));
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
            assert_null(strstr(msg, ": error: "));
            assert_non_null(doc);
            pb_corpus_free(doc);
        } else {
            assert_int_equal(st, PB_EINPUT);
            assert_null(doc);
            const char *err = strstr(msg, ": error: ");
            assert_non_null(err);
            assert_null(strstr(err + 1, ": error: "));
            assert_ptr_equal(strchr(err, '\n'), msg + strlen(msg) - 1);
        }
        free(msg);
    }
    free(buf);
    free(seed);
}

/* ---- headings: the enumerators people use, and lines that must stay body ---- */

typedef struct {
    const char *zh, *en;
    int level;              /* 0: body; 1 or 2 */
} head_case;

/* Each case is set as the third pair of "標題 / Title, 第一段 / Para, CASE, 正文 / Body". */
static const head_case heads[] = {
    {"第一條", "Article 1", 1},
    {"第一條　目的", "Article 1 Purpose", 1},
    {"第 1 條 目的", "Art. 1 Purpose", 1},
    {"第一条 目的", "Article 1. Purpose", 1},
    {"第一章 總則", "Chapter 1 General Provisions", 1},
    {"第一章 总则", "Chapter I: General Provisions", 1},
    {"第一節 定義", "Section 1 Definitions", 1},
    {"第一节 定义", "Section 1. Definitions", 1},
    {"第一篇 總論", "Part 1 General Part", 1},
    {"第一部分 背景", "Part I Background", 1},
    {"第一卷", "Book 1", 1},
    {"第一編 總則", "Book I General Provisions", 1},
    {"第一编 总则", "Title 1 General Provisions", 1},
    {"第一款", "Clause 1", 1},
    {"第１條", "Article 1", 1},
    {"第1條", "Article 1", 1},
    {"第十二條 附則", "Article 12 Supplementary Provisions", 1},
    {"一、總則", "I. General Provisions", 1},
    {"一、总则", "1. General Provisions", 1},
    {"十二、附則", "XII. Supplementary Provisions", 1},
    {"（一）適用範圍", "(1) Scope", 1},
    {"(一) 適用範圍", "(1) Scope", 1},
    {"（1）適用範圍", "(1) Scope", 1},
    {"壹、總說明", "I. General Remarks", 1},
    {"1. 總則", "1. General Provisions", 1},
    {"1、總則", "1. General Provisions", 1},
    {"１．總則", "1. General Provisions", 1},
    {"1.1 範圍", "1.1 Scope", 1},
    {"1.1. 範圍", "1.1. Scope", 1},
    {"第一條", "§ 1", 1},
    {"第一條", "§1 Purpose", 1},
    {"第一條", "Sec. 1 Purpose", 1},
    {"§ 1 總則", "§ 1 General", 1}, /* the section sign on both lines (review 9 A3) */
    {"§1 总则", "§1 General", 1},
    {"§ 1", "§ 1", 1},
    {"第一章", "Ch. 1", 1},
    {"第一章　總則", "CHAPTER I GENERAL PROVISIONS", 1},
    {"一、目的", "A. Purpose", 1},
    {"附錄一", "Annex 1", 0}, /* 附錄 is not an enumerator: body (no warning: no such kind) */
    {"一、", "I.", 1},
    {"第一條　為規範共享空間", "Article 1 To govern the shared spaces", 1},
    {"第一章 總則", "Chapter 1 — General Provisions", 1},
    {"第一條（目的）", "Article 1 (Purpose)", 1},
    {"一、實施“人工智能+”民生福祉，增強各國民眾獲得感",
     "I. Carrying out the “AI+ public well-being” campaign to raise the sense of fulfillment",
     1},
    /* body */
    {"2025年，全球人工智慧投資大幅增長。", "In 2025, global AI investment grew strongly.", 0},
    {"3.5公斤的大米", "3.5 kg of rice", 0},
    {"a. 閱覽區；b. 討論室。", "a. reading areas; b. discussion rooms.", 0},
    {"1. 參加者須於5月5日前上網登記。", "1. Participants must register online by 5 May.", 0},
    {"一、二、三級醫院都有人工智慧輔助診斷。",
     "Hospitals of levels one, two and three all have AI-assisted diagnosis.", 0},
    {"第三條規定的期限不適用於本章。", "The time limit of Article 3 does not apply here.", 0},
    {"第三條規定的期限不適用於本章", "Section 5 of the Act applies to all members.", 0},
    {"100公尺賽跑", "The 100 metres race", 0},
    {"2026年5月16日(星期六)", "Saturday 16 May 2026", 0},
    {"1:1的比例", "A ratio of 1:1", 0},
    {"十分重要", "Very important", 0},
    {"(a)閱覽區", "(a) the reading areas", 0},
    {"Ⅳ級", "Level IV", 0},
};

static void test_heading_forms(void **state)
{
    (void)state;
    size_t n_head = 0, n_body = 0;
    for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
        char text[1024];
        snprintf(text, sizeof text, "標題\nTitle\n第一段\nA paragraph.\n%s\n%s\n正文\nBody.\n",
                 heads[i].zh, heads[i].en);
        pb_doc *doc;
        char *msg;
        pb_status st = parse(text, strlen(text), &doc, &msg);
        if (st != PB_OK || doc->blocks[4].kind != (heads[i].level ? PB_BLOCK_HEADING : PB_BLOCK_INTRO) ||
            doc->blocks[4].level != heads[i].level || msg[0])
            print_error("case %zu '%s' / '%s': kind %d level %d, messages '%s'\n", i, heads[i].zh,
                        heads[i].en, st == PB_OK ? (int)doc->blocks[4].kind : -1,
                        st == PB_OK ? doc->blocks[4].level : -1, msg);
        assert_int_equal(st, PB_OK);
        assert_string_equal(msg, "");
        assert_int_equal(doc->blocks[4].kind, heads[i].level ? PB_BLOCK_HEADING : PB_BLOCK_INTRO);
        assert_int_equal(doc->blocks[5].kind, doc->blocks[4].kind);
        assert_int_equal(doc->blocks[4].level, heads[i].level);
        assert_int_equal(doc->n_sections, heads[i].level ? 1 : 0);
        free(msg);
        pb_corpus_free(doc);
        *(heads[i].level ? &n_head : &n_body) += 1;
    }
    assert_true(n_head >= 40);
    assert_true(n_body >= 10);
}

/* Two kinds of enumerator: the first to head a pair is level 1, the next level 2; marked
 * headings give their own level; doubts are warnings. */
static void test_heading_levels(void **state)
{
    (void)state;
    pb_doc *doc;
    char *msg;
    assert_int_equal(PARSE("標題\nTitle\n# 序言\n# Preamble\n本辦法。\nThese rules.\n"
                           "第一章 總則\nChapter 1 General\n第一條 目的\nArticle 1 Purpose\n"
                           "正文。\nBody.\n第二條 定義\nArticle 2 Definitions\n正文。\nBody.\n"
                           "第二章 附則\nChapter 2 Final\n第三條 施行\nArticle 3 Entry\n"
                           "正文。\nBody.\n## 附註 {short=附註}\n## A note {short=\"Note\"}\n"
                           "正文。\nBody.\n",
                           &doc, &msg),
                     PB_OK);
    assert_string_equal(msg, "");
    free(msg);
    static const int levels[] = {0, 1, 0, 1, 2, 0, 2, 0, 1, 2, 0, 2, 0};
    static const int sections[] = {0, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3};
    for (size_t i = 0; i < doc->n_blocks; i++) {
        assert_int_equal(doc->blocks[i].level, levels[i / 2]);
        assert_int_equal(doc->blocks[i].section, sections[i / 2]);
    }
    assert_int_equal(doc->n_sections, 3);
    assert_int_equal(doc->n_headings, 7);
    assert_true(doc->blocks[2].flags & PB_BLOCK_MARKED);
    assert_false(doc->blocks[6].flags & PB_BLOCK_MARKED);
    assert_text(doc->blocks[22].short_title, doc->blocks[22].short_len, "附註");
    assert_text(doc->blocks[23].short_title, doc->blocks[23].short_len, "Note");
    assert_text(doc->blocks[23].text, doc->blocks[23].len, "A note");
    pb_corpus_free(doc);

    /* a heading of the document's kind in one language only; numbers that differ; a gap */
    assert_int_equal(PARSE("標題\nTitle\n第一條 目的\nArticle 1 Purpose\n正文。\nBody.\n"
                           "第二條 定義\nDefinitions\n正文。\nBody.\n"
                           "第三條 範圍\nArticle 4 Scope\n正文。\nBody.\n"
                           "第五條 施行\nArticle 5 Entry\n正文。\nBody.\n",
                           &doc, &msg),
                     PB_OK);
    assert_string_equal(msg,
                        "t.txt:7:1: warning: line 7 reads as a numbered heading but its partner "
                        "line 8 does not; both are set as body text (mark a heading with '# ' on "
                        "both lines)\n"
                        "t.txt:11:1: warning: heading numbers differ: line 11 is number 3, its "
                        "English line 12 number 4\n"
                        "t.txt:11:1: warning: heading 第三條  (number 3) follows number 1 of its "
                        "kind: a heading missing or out of order?\n"
                        "t.txt:15:1: warning: heading 第五條  (number 5) follows number 3 of its "
                        "kind: a heading missing or out of order?\n");
    free(msg);
    assert_int_equal(doc->n_headings, 3);
    pb_corpus_free(doc);

    /* the same checks for headings marked with '# ': a step back, numbers that differ; a
     * level-1 heading restarts the numbering under it */
    assert_int_equal(PARSE("標題\nTitle\n# 一、總則\n# 1. General\n## 第一條\n## Article 1\n"
                           "正文。\nBody.\n# 三、附則\n# 3. Final\n## 第一條\n## Article 1\n"
                           "正文。\nBody.\n# 二、施行\n# 3. Entry\n正文。\nBody.\n",
                           &doc, &msg),
                     PB_OK);
    assert_string_equal(msg,
                        "t.txt:9:1: warning: heading 三、 (number 3) follows number 1 of its "
                        "kind: a heading missing or out of order?\n"
                        "t.txt:15:1: warning: heading numbers differ: line 15 is number 2, its "
                        "English line 16 number 3\n"
                        "t.txt:15:1: warning: heading 二、 (number 2) follows number 3 of its "
                        "kind: a heading missing or out of order?\n");
    free(msg);
    assert_int_equal(doc->n_headings, 5);
    pb_corpus_free(doc);

    /* marked on one line only: a warning, both set as the heading, at the level it is set at
     * (review 10: it said "level 2" where no level 1 in the document made it level 1) */
    assert_int_equal(PARSE("標題\nTitle\n## 開幕\nOpening\n正文。\nBody.\n", &doc, &msg), PB_OK);
    assert_string_equal(msg, "t.txt:3:1: warning: heading marked on line 3 (level 2) but not alike "
                             "on its partner line 4 (level 0); both are set as a level 1 heading\n");
    free(msg);
    assert_int_equal(doc->blocks[3].kind, PB_BLOCK_HEADING);
    assert_int_equal(doc->blocks[3].level, 1); /* no level 1 in the document: it opens a section */
    assert_int_equal(doc->n_sections, 1);
    pb_corpus_free(doc);
    assert_int_equal(PARSE("標題\nTitle\n# 開幕\n## Opening\n正文。\nBody.\n# 閉幕\n# Close\n"
                           "正文。\nBody.\n", &doc, &msg), PB_OK);
    assert_string_equal(msg, "t.txt:3:1: warning: heading marked on line 3 (level 1) but not alike "
                             "on its partner line 4 (level 2); both are set as a level 2 heading\n");
    free(msg);
    assert_int_equal(doc->blocks[3].level, 2);
    pb_corpus_free(doc);

    /* a list item marked on one line only: a warning too, both set as the item (review 7) */
    assert_int_equal(PARSE("標題\nTitle\n- 種子\n- Seeds\n工具\n- Tools\n", &doc, &msg), PB_OK);
    assert_string_equal(msg, "t.txt:6:1: warning: list item marked ('- ') on line 6 but not on "
                             "its partner line 5; both are set as a list item (mark both lines, "
                             "or neither)\n");
    free(msg);
    assert_true(doc->blocks[4].flags & PB_BLOCK_LIST);
    pb_corpus_free(doc);

    /* many pairs and no heading: a hint */
    assert_int_equal(PARSE("標題\nTitle\n甲。\nA.\n乙。\nB.\n丙。\nC.\n丁。\nD.\n戊。\nE.\n"
                           "己。\nF.\n庚。\nG.\n",
                           &doc, &msg),
                     PB_OK);
    assert_non_null(strstr(msg, "t.txt: warning: no headings found in 8 pairs: a heading pair is "
                                "numbered in both languages"));
    free(msg);
    pb_corpus_free(doc);
}

/* A heading with no text under it: at the document's end, or before a heading of its level or
 * above, a warning at its line; before its first subheading, none. */
static void test_empty_headings(void **state)
{
    (void)state;
    pb_doc *doc;
    char *msg;
    assert_int_equal(PARSE("標題\nTitle\n# 第一節\n# Section One\n## 甲\n## A\n正文。\nBody.\n"
                           "## 乙\n## B\n# 第二節\n# Section Two\n正文。\nBody.\n"
                           "# 第三節\n# Section Three\n",
                           &doc, &msg),
                     PB_OK);
    assert_string_equal(msg,
                        "t.txt:9:1: warning: heading with no text under it: the next line pair "
                        "(line 11) is a heading of a higher level (a paragraph missing?)\n"
                        "t.txt:15:1: warning: heading with no text under it: the document ends "
                        "after it (a paragraph missing?)\n");
    free(msg);
    assert_int_equal(doc->n_headings, 5);
    pb_corpus_free(doc);
    assert_int_equal(PARSE("標題\nTitle\n# 一\n# One\n# 二\n# Two\n正文。\nBody.\n", &doc, &msg),
                     PB_OK);
    assert_string_equal(msg, "t.txt:3:1: warning: heading with no text under it: the next line "
                             "pair (line 5) is a heading of the same level (a paragraph missing?)\n");
    free(msg);
    pb_corpus_free(doc);
}

/* ---- light markup ---- */

/* Markdown habits paiban does not read (review 10: each was set silently): an indented sub-item
 * (set as an item of the one list), "* item" (a literal star, unless the text cites * as a
 * note mark: then it is a note), "#三" without its space (text),
 * a pipe table's rows and rule (text, the rule as dashes; not told again as a table typed with
 * spaces): each a warning at its line and column saying what is set and what to write; escaped
 * marks and "#1" say nothing. */
static void test_markdown_habits(void **state)
{
    (void)state;
    pb_doc *doc = PARSE_SAYING(
        "標題\nTitle\n# 步驟\n# Steps\n請依序：\nIn order:\n- 開機\n- Power on\n  - 按住三秒\n  - Hold it three seconds\n"
        "* 連線\n* Connect\n#三、無空格\n#III. No space\n內容。\nText.\n"
        "| 項目 | 價格 |\n| Item   | Price  |\n|---|---|\n|---|---|\n"
        "\\* 註：含稅。\n\\* Note: tax included.\n#1 優先\n#1 priority\n",
        "t.txt:9:3: warning: an indented list item: paiban's lists have one level, and this "
        "item is set as an item of that list, not under the one above it; write it without the "
        "indent, or as a sentence of the item above\n"
        "t.txt:10:3: warning: an indented list item: paiban's lists have one level, and this "
        "item is set as an item of that list, not under the one above it; write it without the "
        "indent, or as a sentence of the item above\n"
        "t.txt:13:1: warning: '#' without a space at a line start is set as text, not as a "
        "heading: a heading is written '# ' (with a space); write \\# for a literal #\n"
        "t.txt:14:1: warning: '#' without a space at a line start is set as text, not as a "
        "heading: a heading is written '# ' (with a space); write \\# for a literal #\n"
        "t.txt:17:1: warning: this line looks like a Markdown table's row ('| ... |'): paiban "
        "cannot set tables and sets it as running text, a rule as dashes; write each row as a "
        "sentence or a list item ('- '), or set the table apart from this text\n"
        "t.txt:18:1: warning: this line looks like a Markdown table's row ('| ... |'): paiban "
        "cannot set tables and sets it as running text, a rule as dashes; write each row as a "
        "sentence or a list item ('- '), or set the table apart from this text\n"
        "t.txt:19:1: warning: this line looks like a Markdown table's row ('| ... |'): paiban "
        "cannot set tables and sets it as running text, a rule as dashes; write each row as a "
        "sentence or a list item ('- '), or set the table apart from this text\n"
        "t.txt:20:1: warning: this line looks like a Markdown table's row ('| ... |'): paiban "
        "cannot set tables and sets it as running text, a rule as dashes; write each row as a "
        "sentence or a list item ('- '), or set the table apart from this text\n"
        "t.txt:11:1: warning: '* ' at a line start is set as a literal asterisk, not as a list "
        "item (and no text cites * as a note's mark): write '- ' for a list item, or \\* for an "
        "asterisk\n"
        "t.txt:12:1: warning: '* ' at a line start is set as a literal asterisk, not as a list "
        "item (and no text cites * as a note's mark): write '- ' for a list item, or \\* for an "
        "asterisk\n");
    assert_true(doc->blocks[8].flags & PB_BLOCK_LIST);
    assert_text(doc->blocks[10].text, 4, "* 連線");
    pb_corpus_free(doc);
    /* Markdown's emphasis with underscores is not read: the underscores are set (review 12
     * A2); a name with underscores inside it is no emphasis */
    pb_corpus_free(PARSE_SAYING(
        "標題\nTitle\n中文___粗斜體___文字。\nSome _italic_ and snake_case_name text.\n"
        "見 https://a.org/_x_ 與\\_註\\_。\nSee https://a.org/_x_ and \\_\\_init\\_\\_.\n",
        "t.txt:3:3: warning: '___' around text is Markdown's emphasis, which paiban does not "
        "read: the underscores are set as written; write *text* for emphasis, **text** for "
        "bold, ***text*** for both, or \\_ for a literal underscore\n"
        "t.txt:4:6: warning: '_' around text is Markdown's emphasis, which paiban does not "
        "read: the underscores are set as written; write *text* for emphasis, **text** for "
        "bold, ***text*** for both, or \\_ for a literal underscore\n"));
    /* a "* " line is a note's when the text cites * as a note mark */
    doc = PARSE_SAYING("標題\nTitle\n# 收費\n# Fees\n- 審稿：300元*。\n- Editing: NT$300*.\n"
                       "* 另計。\n* Priced separately.\n", "");
    pb_corpus_free(doc);
}

/* Attributes that do nothing where they stand (review 10: accepted silently): {every} on the
 * title or a heading (every leaflet sets the title; a heading is its section's), {keep} on a
 * heading (never broken, kept with what follows): a warning at the line, and the flag dropped */
static void test_idle_attributes(void **state)
{
    (void)state;
    pb_doc *doc = PARSE_SAYING(
        "活動通知 {every}\nEvent Notice {every}\n歡迎參加。 {every}\nWelcome. {every}\n"
        "# 一、報名 {keep}\n# I. Registration\n請線上報名。\nRegister online.\n"
        "# 二、交通 {every}\n# II. Transport {every}\n搭乘捷運。 {keep}\nTake the MRT. {keep}\n",
        "t.txt:1:1: warning: {every} on the title (line 1) has no effect: every leaflet sets the "
        "title; {every} marks closing matter (a note, an enquiries line) for every leaflet to "
        "carry\n"
        "t.txt:5:1: warning: {keep} on a heading (line 5) has no effect: a heading is never "
        "broken over pages and is kept with the first lines below it\n"
        "t.txt:9:1: warning: {every} on a heading (line 9) has no effect: a leaflet sets its own "
        "section's heading only; {every} marks closing matter (a note, an enquiries line) for "
        "every leaflet to carry\n");
    assert_false((doc->blocks[0].flags | doc->blocks[4].flags | doc->blocks[5].flags |
                  doc->blocks[8].flags) & (PB_BLOCK_EVERY | PB_BLOCK_KEEP));
    assert_true(doc->blocks[2].flags & PB_BLOCK_EVERY);
    assert_true(doc->blocks[10].flags & PB_BLOCK_KEEP);
    pb_corpus_free(doc);
}

static void test_markup(void **state)
{
    (void)state;
    pb_doc *doc;
    char *msg;
    assert_int_equal(PARSE("博物館之夜<br>節目\nMuseum Night<br>Programme\n"
                           "*請注意*：**重要**，見<https://a.example.org/x>。\n"
                           "*Please note*: see [the map](https://a.example.org/map) or <info@a.example.org>.\n"
                           "- 第一項 {keep}\n- Item one {keep}\n"
                           "星號\\*、\\# 和 \\<br> 照原樣；5 * 3\n"
                           "Stars \\*, \\[x\\] and a \\{brace\\}; 5 * 3\n"
                           "\\* 星號之註。\n\\* The stars' note.\n", /* the * marks' note */
                           &doc, &msg),
                     PB_OK);
    assert_string_equal(msg, "");
    free(msg);
    const pb_block *t = &doc->blocks[0];
    assert_text(t->text, t->len, "博物館之夜\u2028節目");
    assert_int_equal(t->col[5], 6);
    assert_int_equal(t->col[6], 10);
    const pb_block *z = &doc->blocks[2];
    assert_text(z->text, z->len, "請注意：重要，見https://a.example.org/x。");
    assert_non_null(z->marks);
    assert_int_equal(z->marks[0], PB_MARK_EMPH);
    assert_int_equal(z->marks[3], 0);
    assert_int_equal(z->marks[4], PB_MARK_STRONG);
    assert_int_equal(z->marks[8], PB_MARK_URL | PB_MARK_LINK);
    assert_int_equal(z->n_links, 1);
    assert_int_equal(z->links[0].start, 8);
    assert_int_equal(z->links[0].end, z->len - 1);
    assert_string_equal(z->links[0].target, "https://a.example.org/x");
    const pb_block *e = &doc->blocks[3];
    assert_text(e->text, e->len, "Please note: see the map or info@a.example.org.");
    assert_int_equal(e->n_links, 2);
    assert_string_equal(e->links[0].target, "https://a.example.org/map");
    assert_int_equal(e->links[0].start, 17);
    assert_int_equal(e->links[0].end, 24);
    assert_int_equal(e->marks[17], PB_MARK_LINK);
    assert_string_equal(e->links[1].target, "mailto:info@a.example.org");
    assert_true(doc->blocks[4].flags & PB_BLOCK_LIST);
    assert_true(doc->blocks[5].flags & PB_BLOCK_LIST);
    assert_true(doc->blocks[5].flags & PB_BLOCK_KEEP);
    assert_text(doc->blocks[4].text, doc->blocks[4].len, "第一項");
    assert_text(doc->blocks[6].text, doc->blocks[6].len, "星號*、# 和 <br> 照原樣；5 * 3");
    assert_text(doc->blocks[7].text, doc->blocks[7].len, "Stars *, [x] and a {brace}; 5 * 3");
    assert_null(doc->blocks[7].marks);
    pb_corpus_free(doc);
    /* a star before a comma or a stop is a note mark, not an emphasis left open */
    assert_int_equal(PARSE("標題\nTitle\n免費入場*，請早到。\nFree*; come early*.\n", &doc, &msg),
                     PB_OK);
    free(msg);
    assert_text(doc->blocks[2].text, doc->blocks[2].len, "免費入場*，請早到。");
    assert_text(doc->blocks[3].text, doc->blocks[3].len, "Free*; come early*.");
    pb_corpus_free(doc);

    /* note marks in Chinese (review 7): two stars after words in a Chinese line read as
     * emphasis where the English keeps as many as note marks are note marks too; emphasis
     * the English has too, or an English line without stars, leaves the Chinese as it was;
     * counts that differ are a warning at the first star */
    assert_int_equal(PARSE("標題\nTitle\nA餐*與B餐*均附茶。\nSet A* and Set B* include tea.\n"
                           "這是*重點*。\nThis is *key*.\n這是*重點*。\nThis is key.\n"
                           "\\* 套餐附茶。\n\\* Tea included.\n", /* the marks' note */
                           &doc, &msg),
                     PB_OK);
    assert_string_equal(msg, "");
    free(msg);
    assert_text(doc->blocks[2].text, doc->blocks[2].len, "A餐*與B餐*均附茶。");
    assert_null(doc->blocks[2].marks);
    assert_text(doc->blocks[4].text, doc->blocks[4].len, "這是重點。");
    assert_int_equal(doc->blocks[4].marks[2], PB_MARK_EMPH);
    assert_int_equal(doc->blocks[6].marks[2], PB_MARK_EMPH);
    pb_corpus_free(doc);
    pb_corpus_free(PARSE_SAYING("標題\nTitle\nA餐*與B餐*均附茶。\nSet A* includes tea.\n"
                                "\\* 附茶。\n\\* Tea.\n",
                                "t.txt:3:3: warning: these stars are read as emphasis (*...*), but "
                                "the English line 4 has no emphasis and keeps 1 * as note marks "
                                "(this line has 2): write \\* for a note mark (A餐\\*), or mark "
                                "the emphasis in the English too\n"));

    /* review 9: <br/>, <br /> and <br > are <br> (A1; HTML's start tag may end in spaces); a link's text may hold brackets in pairs, a
     * target non-ASCII characters, percent-encoded in the link (A2, C3); "### {center}" is an
     * end mark as "###{center}" is (C2) */
    doc = PARSE_SAYING("通知<br/>第二<br >行\nNotice<BR />Second<br  >Line\n"
                       "見[官網 [新版]](https://a.org/new)或[客服](mailto:h@a.org?subject=問題)。\n"
                       "See [the site [new]](https://a.org/new) or [us](mailto:h@a.org?s=é).\n"
                       "（完）{center}\n### {center}\n",
                       "");
    assert_text(doc->blocks[0].text, doc->blocks[0].len, "通知\u2028第二\u2028行");
    assert_text(doc->blocks[1].text, doc->blocks[1].len, "Notice\u2028Second\u2028Line");
    assert_text(doc->blocks[2].text, doc->blocks[2].len, "見官網 [新版]或客服。");
    assert_int_equal(doc->blocks[2].n_links, 2);
    assert_string_equal(doc->blocks[2].links[0].target, "https://a.org/new");
    assert_int_equal(doc->blocks[2].links[0].start, 1);
    assert_int_equal(doc->blocks[2].links[0].end, 8);
    assert_string_equal(doc->blocks[2].links[1].target,
                        "mailto:h@a.org?subject=%E5%95%8F%E9%A1%8C");
    assert_text(doc->blocks[3].text, doc->blocks[3].len, "See the site [new] or us.");
    assert_string_equal(doc->blocks[3].links[1].target, "mailto:h@a.org?s=%C3%A9");
    assert_text(doc->blocks[5].text, doc->blocks[5].len, "###");
    assert_int_equal(doc->blocks[5].level, 0);
    assert_true(doc->blocks[5].flags & PB_BLOCK_CENTER);
    pb_corpus_free(doc);

    /* U+2028 typed into a paragraph forces a break there: a warning (review 7: silent); in
     * the title, where <br> is at home, none */
    doc = PARSE_SAYING("標\u2028題\nTitle\n第一段\u2028中文。\nFirst\u2028para.\n",
                       "t.txt:3:4: warning: U+2028 LINE SEPARATOR forces a line break in this "
                       "paragraph: remove it, or write <br> where a break is meant\n"
                       "t.txt:4:6: warning: U+2028 LINE SEPARATOR forces a line break in this "
                       "paragraph: remove it, or write <br> where a break is meant\n");
    assert_true(doc->blocks[2].marks[3] & PB_MARK_LS);
    pb_corpus_free(doc);

    /* two breaks in a row in a title: an empty line, a warning; in a paragraph (a stanza
     * break) none (review 11) */
    doc = PARSE_SAYING("標題<br><br>副題\nTitle<br> <br>Sub\n一<br><br>二。\nA<br><br>b.\n",
                       "t.txt:1:7: warning: two line breaks in a row set an empty line in a "
                       "title: write one <br> (the space between its lines is the layout's)\n"
                       "t.txt:2:11: warning: two line breaks in a row set an empty line in a "
                       "title: write one <br> (the space between its lines is the layout's)\n");
    pb_corpus_free(doc);

    /* U+FFFD, what a converter leaves for a character it could not read: a warning at the
     * first, the others counted (review 11: a heading printed 臨時�攤位, silent) */
    doc = PARSE_SAYING("標題\nTitle\n# 二、臨時\uFFFD攤位\n# II. Stalls \uFFFD \uFFFD\n甲。\nA.\n",
                       "t.txt:3:7: warning: U+FFFD REPLACEMENT CHARACTER (and 2 more in the file): "
                       "a conversion lost the character that stood here, and the page prints the "
                       "sign for it: retype what it replaced\n");
    pb_corpus_free(doc);

    /* a backslash makes a mark plain and nothing else: a Windows path keeps both of its
     * backslashes (\\server was set as \server), one before a letter stays */
    assert_int_equal(PARSE("標題\nTitle\n見\\\\fileserver\\minutes\\2026。\n"
                           "See \\\\fileserver\\minutes\\2026 or \\*.\n",
                           &doc, &msg),
                     PB_OK);
    free(msg);
    assert_text(doc->blocks[2].text, doc->blocks[2].len, "見\\\\fileserver\\minutes\\2026。");
    assert_text(doc->blocks[3].text, doc->blocks[3].len, "See \\\\fileserver\\minutes\\2026 or *.");
    pb_corpus_free(doc);

    /* bare URLs, e-mail addresses and domain names: never hyphenated; linked but domains */
    assert_int_equal(PARSE("標題\nTitle\n請寫信至info@mu-seum.example.org或瀏覽www.example.org。\n"
                           "See museum.exam-ple.org, (https://x.example.org/a_(b)) and e.g. 3.5 or report.pdf.\n",
                           &doc, &msg),
                     PB_OK);
    assert_string_equal(msg, "");
    free(msg);
    z = &doc->blocks[2];
    assert_int_equal(z->n_links, 2);
    assert_string_equal(z->links[0].target, "mailto:info@mu-seum.example.org");
    assert_string_equal(z->links[1].target, "https://www.example.org");
    e = &doc->blocks[3];
    assert_int_equal(e->n_links, 2);
    assert_string_equal(e->links[0].target, "https://museum.exam-ple.org");
    assert_string_equal(e->links[1].target, "https://x.example.org/a_(b)");
    for (size_t k = 0; k < e->len; k++) {
        int in_url = (k >= e->links[0].start && k < e->links[0].end) ||
                     (k >= e->links[1].start && k < e->links[1].end);
        assert_int_equal((e->marks[k] & PB_MARK_URL) != 0, in_url);
    }
    pb_corpus_free(doc);

    /* review 12 B5: a bare domain with a known top-level domain and a path, or with two
     * periods, is an address as www.... is: linked (https://); a two-label name with a known
     * TLD and no path stays an unlinked domain; e.g., No.3, report.pdf, v1.2.3, U.S. and
     * Fig.2.1 are none */
    assert_int_equal(PARSE("標題\nTitle\n高清图片可从press.lanyue-energy.com.cn/media下载。\n"
                           "From press.lanyue-energy.com.cn/media or example.com/a or lanyue.cn; "
                           "e.g. No.3, report.pdf, v1.2.3, U.S. and Fig.2.1.\n",
                           &doc, &msg),
                     PB_OK);
    free(msg);
    z = &doc->blocks[2];
    assert_int_equal(z->n_links, 1);
    assert_string_equal(z->links[0].target, "https://press.lanyue-energy.com.cn/media");
    e = &doc->blocks[3];
    assert_int_equal(e->n_links, 2);
    assert_string_equal(e->links[0].target, "https://press.lanyue-energy.com.cn/media");
    assert_string_equal(e->links[1].target, "https://example.com/a");
    size_t plain_from = 0; /* the "e.g." */
    while (plain_from + 2 < e->len && !(e->text[plain_from] == 'e' && e->text[plain_from + 1] == '.' &&
                                         e->text[plain_from + 2] == 'g'))
        plain_from++;
    assert_true(plain_from + 2 < e->len);
    for (size_t k = plain_from; k < e->len; k++)
        assert_int_equal(e->marks[k] & PB_MARK_URL, 0);
    pb_corpus_free(doc);

    /* a bare URL's or an e-mail address's characters are its own, never markup (review 7: the
     * stars of "?q=*tea*" and "john*doe*@" were taken for emphasis, the address changed); the
     * stars around one, a note mark after it and a URL as a link's text still are markup */
    assert_int_equal(PARSE("標題\nTitle\n見https://e.org/s?q=*tea*&x=1。寫信給john*doe*@e.org*。\n"
                           "See *https://e.org/s?q=*tea*&x=1*, **john*doe*@e.org** or "
                           "[https://e.org/*a*](https://f.org).\n"
                           "\\* 註。\n\\* Note.\n", /* the marks' note */
                           &doc, &msg),
                     PB_OK);
    assert_string_equal(msg, "");
    free(msg);
    z = &doc->blocks[2];
    assert_text(z->text, z->len, "見https://e.org/s?q=*tea*&x=1。寫信給john*doe*@e.org*。");
    assert_int_equal(z->n_links, 2);
    assert_string_equal(z->links[0].target, "https://e.org/s?q=*tea*&x=1");
    assert_string_equal(z->links[1].target, "mailto:john*doe*@e.org");
    assert_int_equal(z->marks[z->len - 2] & PB_MARK_URL, 0);
    e = &doc->blocks[3];
    assert_text(e->text, e->len, "See https://e.org/s?q=*tea*&x=1, john*doe*@e.org or https://e.org/*a*.");
    assert_int_equal(e->n_links, 3);
    assert_string_equal(e->links[0].target, "https://e.org/s?q=*tea*&x=1");
    assert_string_equal(e->links[1].target, "mailto:john*doe*@e.org");
    assert_string_equal(e->links[2].target, "https://f.org");
    assert_true(e->marks[4] & PB_MARK_EMPH);
    assert_true(e->marks[strlen("See https://e.org/s?q=*tea*&x=1, ")] & PB_MARK_STRONG);
    pb_corpus_free(doc);

    /* a link's target keeps its paired parentheses, and may be written in angle brackets
     * (review 7: it was cut at the first ')', and <...> printed the markup) */
    assert_int_equal(PARSE("標題\nTitle\n見[連結](https://a.b/x_(y))。\n"
                           "See [link](<https://a.b/z>) or [Tang](https://w.org/Tang_(dynasty)).\n",
                           &doc, &msg),
                     PB_OK);
    assert_string_equal(msg, "");
    free(msg);
    z = &doc->blocks[2];
    assert_text(z->text, z->len, "見連結。");
    assert_int_equal(z->n_links, 1);
    assert_string_equal(z->links[0].target, "https://a.b/x_(y)");
    e = &doc->blocks[3];
    assert_text(e->text, e->len, "See link or Tang.");
    assert_int_equal(e->n_links, 2);
    assert_string_equal(e->links[0].target, "https://a.b/z");
    assert_string_equal(e->links[1].target, "https://w.org/Tang_(dynasty)");
    pb_corpus_free(doc);

    /* spaces that markup leaves at a block's edge are trimmed, and the links with them (a
     * fuzz finding: "[ ](url)" at the start left a block opening with a space) */
    assert_int_equal(PARSE("標題\nTitle\n見[網站](https://b.org) <br>\n"
                           "See [the site ](https://b.org)\n",
                           &doc, &msg),
                     PB_OK);
    free(msg);
    z = &doc->blocks[2];
    assert_text(z->text, z->len, "見網站");
    assert_int_equal(z->n_links, 1);
    e = &doc->blocks[3];
    assert_text(e->text, e->len, "See the site");
    assert_int_equal(e->n_links, 1);
    assert_int_equal(e->links[0].end, e->len);
    pb_corpus_free(doc);

    /* {right} and {noindent} mark the pair, whichever line of it says so */
    assert_int_equal(PARSE("標題\nTitle\n各位讀者：{noindent}\nDear readers,\n"
                           "委員會\nThe Committee {right keep}\n",
                           &doc, &msg),
                     PB_OK);
    free(msg);
    assert_true(doc->blocks[2].flags & PB_BLOCK_NOINDENT);
    assert_true(doc->blocks[3].flags & PB_BLOCK_NOINDENT);
    assert_false(doc->blocks[3].flags & PB_BLOCK_RIGHT);
    assert_true(doc->blocks[4].flags & PB_BLOCK_RIGHT);
    assert_true(doc->blocks[5].flags & PB_BLOCK_RIGHT);
    assert_true(doc->blocks[4].flags & PB_BLOCK_KEEP);
    pb_corpus_free(doc);
    /* attributes in two groups are both read: nothing of them left as text */
    assert_int_equal(PARSE("標題\nTitle\n局長 王小明{right}{keep}\nDirector Wang {right} {keep}\n",
                           &doc, &msg),
                     PB_OK);
    free(msg);
    assert_true(doc->blocks[2].flags & doc->blocks[3].flags & PB_BLOCK_RIGHT);
    assert_true(doc->blocks[2].flags & PB_BLOCK_KEEP);
    assert_text(doc->blocks[2].text, doc->blocks[2].len, "局長 王小明");
    assert_text(doc->blocks[3].text, doc->blocks[3].len, "Director Wang");
    pb_corpus_free(doc);
    /* {center} and {left} likewise */
    assert_int_equal(PARSE("標題\nTitle\n（完）{center}\n– ENDS –\n聯絡人：王小明\nContact: Wang {left}\n",
                           &doc, &msg),
                     PB_OK);
    free(msg);
    assert_true(doc->blocks[2].flags & doc->blocks[3].flags & PB_BLOCK_CENTER);
    assert_true(doc->blocks[4].flags & doc->blocks[5].flags & PB_BLOCK_LEFT);
    assert_false(doc->blocks[4].flags & PB_BLOCK_CENTER);
    pb_corpus_free(doc);
    /* {every}: closing matter every leaflet carries, on the pair whichever line says it */
    assert_int_equal(PARSE("標題\nTitle\n洽詢電話：1234。{every}\nEnquiries: 1234.\n", &doc, &msg),
                     PB_OK);
    free(msg);
    assert_true(doc->blocks[2].flags & doc->blocks[3].flags & PB_BLOCK_EVERY);
    assert_text(doc->blocks[2].text, doc->blocks[2].len, "洽詢電話：1234。");
    pb_corpus_free(doc);

    /* a word, a colon and a word is prose, not a URL; links come in text order, the bare ones
     * (found after parsing) among the [...](...) ones */
    assert_int_equal(PARSE("標題\nTitle\n見 https://a.org 或[網站](https://b.org)。\n"
                           "Note:this, Attn:John; tel:+886 and [the site](https://b.org) or https://a.org.\n",
                           &doc, &msg),
                     PB_OK);
    free(msg);
    z = &doc->blocks[2];
    assert_int_equal(z->n_links, 2);
    assert_string_equal(z->links[0].target, "https://a.org");
    assert_string_equal(z->links[1].target, "https://b.org");
    assert_true(z->links[0].end <= z->links[1].start);
    e = &doc->blocks[3];
    assert_int_equal(e->n_links, 3);
    assert_string_equal(e->links[0].target, "tel:+886");
    assert_string_equal(e->links[1].target, "https://b.org");
    assert_string_equal(e->links[2].target, "https://a.org");
    assert_int_equal(e->marks[0], 0);
    pb_corpus_free(doc);

    /* a DOI is printed as written and linked through its resolver (review 8 A4: a doi: URI is a
     * dead link in every viewer), with what a URL reserves percent-encoded */
    assert_int_equal(PARSE("標題\nTitle\n見doi:10.18653/v1/2020.acl-main.734。\n"
                           "See DOI:10.1000/a#b?c and [it](doi:10.1/x%y).\n",
                           &doc, &msg),
                     PB_OK);
    free(msg);
    z = &doc->blocks[2];
    assert_int_equal(z->n_links, 1);
    assert_string_equal(z->links[0].target, "https://doi.org/10.18653/v1/2020.acl-main.734");
    assert_text(z->text, z->len, "見doi:10.18653/v1/2020.acl-main.734。");
    e = &doc->blocks[3];
    assert_int_equal(e->n_links, 2);
    assert_string_equal(e->links[0].target, "https://doi.org/10.1000/a%23b%3Fc");
    assert_string_equal(e->links[1].target, "https://doi.org/10.1/x%25y");
    pb_corpus_free(doc);
}

static void test_markup_errors(void **state)
{
    (void)state;
    EXPECT_ERROR("標題\nTitle\n*強調\nEm\n",
                 "t.txt:3:1: error: unclosed emphasis (* ... *): a note mark at a line's start is "
                 "written \\* (\\*Note ...); write \\* for a literal asterisk");
    EXPECT_ERROR("標題\nTitle\n中文 *強調\nEm\n",
                 "t.txt:3:4: error: unclosed emphasis (* ... *); write \\* for a literal asterisk");
    /* a note star at the start of both lines of a pair (review 11 C4: only the Chinese line
     * was named, with no word of the note mark) */
    EXPECT_ERROR("標題\nTitle\n*通信作者：陳明\n*Corresponding author: Chen Ming\n",
                 "t.txt:3:1: error: unclosed emphasis (* ... *), and line 4 begins with * too: a "
                 "note mark at a line's start is written \\* (\\*Note ...); write \\* for a "
                 "literal asterisk");
    EXPECT_ERROR("標題\nTitle\n中文\n*Corresponding author\n",
                 "t.txt:4:1: error: unclosed emphasis (* ... *): a note mark at a line's start is "
                 "written \\* (\\*Note ...); write \\* for a literal asterisk");
    EXPECT_ERROR("標題\nTitle\n中文\nSome **strong text\n",
                 "t.txt:4:6: error: unclosed strong emphasis (** ... **); write \\* for a "
                 "literal asterisk");
    /* crossed marks (review 6), at the mark that closes the outer one; nested ones are fine */
    EXPECT_ERROR("標題\nTitle\n*未閉合的強調，以及**粗體*交錯**。\nEn\n",
                 "t.txt:3:15: error: * closes emphasis while the strong emphasis (**) opened "
                 "inside it (column 11) is still open: the marks cross; close the inner one first "
                 "(*a **b** c*), or write \\* for a literal asterisk");
    EXPECT_ERROR("標題\nTitle\n中文\nSome **strong *and** em* text\n",
                 "t.txt:4:19: error: ** closes strong emphasis while the emphasis (*) opened "
                 "inside it (column 15) is still open: the marks cross; close the inner one first "
                 "(*a **b** c*), or write \\* for a literal asterisk");
    pb_corpus_free(PARSE_SAYING("標題\nTitle\n*強調**粗體**強調*\nSome **strong *em* more** text\n",
                                ""));
    /* a run of three stars is bold italic, CommonMark's <em><strong> (review 12 A2: printed
     * with its stars, the genus in roman); it closes what it opened, or the marks one by one */
    pb_doc *bi = PARSE_SAYING("標題\nTitle\n***粗斜體***和***bold*** 文字，**赤眼蜂**。\n"
                              "***Trichogramma*** **wasps**, ***a** b* and ***c* d**.\n",
                              "");
    const uint8_t both = PB_MARK_EMPH | PB_MARK_STRONG;
    assert_text(bi->blocks[2].text, bi->blocks[2].len, "粗斜體和bold 文字，赤眼蜂。");
    assert_int_equal(bi->blocks[2].marks[0], both);
    assert_int_equal(bi->blocks[2].marks[3], 0);
    assert_int_equal(bi->blocks[2].marks[4], both);
    assert_int_equal(bi->blocks[2].marks[12], PB_MARK_STRONG);
    const pb_block *be = &bi->blocks[3];
    assert_text(be->text, be->len, "Trichogramma wasps, a b and c d.");
    assert_int_equal(be->marks[0], both);
    assert_int_equal(be->marks[13], PB_MARK_STRONG);
    assert_int_equal(be->marks[20], both);
    assert_int_equal(be->marks[22], PB_MARK_EMPH);
    assert_int_equal(be->marks[28], both);
    assert_int_equal(be->marks[30], PB_MARK_STRONG);
    pb_corpus_free(bi);
    EXPECT_ERROR("標題\nTitle\n***粗斜體\nEn\n",
                 "t.txt:3:1: error: unclosed bold italic (*** ... ***); write \\* for a literal "
                 "asterisk");
    EXPECT_ERROR("標題\nTitle\n中文\nSome *em ***more** here*.\n",
                 "t.txt:4:10: error: *** opens bold italic while the emphasis (*) opened at column "
                 "6 is still open: a mark cannot hold itself; open only the other inside it "
                 "(*a **b** c*), or write \\* for a literal asterisk");
    EXPECT_ERROR("標題\nTitle\n中文 <https://x.org\nEn\n",
                 "t.txt:3:4: error: unclosed <...> link (write <https://...>, or \\< for a literal <)");
    EXPECT_ERROR("標題\nTitle\n參見[網站 <https://a.org> 首頁](https://b.org)\nEn\n",
                 "t.txt:3:7: error: a <...> link inside the text of a [...](...) link: links do "
                 "not nest (leave out the <>, or write \\< for a literal <)");
    EXPECT_ERROR("標題\nTitle\n參見[網站 [首頁](https://a.org)](https://b.org)\nEn\n",
                 "t.txt:3:7: error: a [...](...) link inside the text of a [...](...) link: links "
                 "do not nest (write \\[ for a literal [)");
    /* a target that begins like an address and does not end (review 7) */
    EXPECT_ERROR("標題\nTitle\n見[連結](https://a.b/x_(y)。\nEn\n",
                 "t.txt:3:2: error: a [...](...) link whose target does not end: write "
                 "[text](https://...) with no space in the address and its parentheses paired, "
                 "or [text](<https://...>)");
    EXPECT_ERROR("標題\nTitle\n中文\nSee [link](<https://a.b> x).\n",
                 "t.txt:4:5: error: a [...](...) link whose target does not end: write "
                 "[text](https://...) with no space in the address and its parentheses paired, "
                 "or [text](<https://...>)");
    EXPECT_ERROR("標題\nTitle\n中文[ ](https://a.org)\nEn\n",
                 "t.txt:3:3: error: a [...](...) link with no text to show: write the words to "
                 "link, or <address> for the address itself");
    /* an empty link text is no link at all, not text (review 9 A2) */
    EXPECT_ERROR("標題\nTitle\n請訪問[](https://a.org)。\nEn\n",
                 "t.txt:3:4: error: a [...](...) link with no text to show: write the words to "
                 "link, or <address> for the address itself");
    /* an autolink's fault named (review 9 C3): the space, not a missing '>' */
    EXPECT_ERROR("標題\nTitle\n致電<tel:+86 21 1234>。\nEn\n",
                 "t.txt:3:11: error: a space in the <...> link opened at column 3: an address "
                 "is written without spaces (<tel:+862112345678>); write \\< for a literal <");
    EXPECT_ERROR("標題\nTitle\n### 中文\nEn\n",
                 "t.txt:3:1: error: a heading has at most 2 levels (# or ##); write \\# for a "
                 "literal #");
    /* a near miss named, a known attribute's bad value said as such (review 12 B10, C14) */
    EXPECT_ERROR("標題\nTitle\n中文 {kep}\nEn\n",
                 "t.txt:3:5: error: unknown attribute 'kep' in {...}; did you mean 'keep'? (known: "
                 "keep, right, center, left, noindent, body, every, lang=zh|en, short=\"...\"; "
                 "write \\{ for a literal brace)");
    EXPECT_ERROR("標題\nTitle\n中文 {foo}\nEn\n",
                 "t.txt:3:5: error: unknown attribute 'foo' in {...} (known: keep, right, "
                 "center, left, noindent, body, every, lang=zh|en, short=\"...\"; write \\{ for a literal brace)");
    EXPECT_ERROR("標題\nTitle\n中文 {lang=xx}\nEn\n",
                 "t.txt:3:5: error: attribute 'lang' takes zh or en: {lang=zh}, {lang=en}");
    EXPECT_ERROR("標題\nTitle\n中文 {keep=1}\nEn\n",
                 "t.txt:3:5: error: attribute 'keep' takes no value: write {keep}");
    EXPECT_ERROR("標題\nTitle\n中文 {short=\"x}\nEn\n",
                 "t.txt:3:11: error: unclosed \" in {short=...}");
    /* an attribute group left open at the line's end, or standing inside the line (review 12
     * A7: "{short=\"通知" was set in the title, the running heads and the bookmarks, "{keep"
     * at a paragraph's end, with only quotation warnings or none) */
    EXPECT_ERROR("# 通知 {short=\"通知\n# Notice {short=\"Notice\n本館週一休館。\nClosed on Mondays.\n",
                 "t.txt:1:6: error: unclosed {...} attribute '{short': end it with '}' at the "
                 "line's end ({keep}, {short=\"...\"}), or write \\{ for a literal brace");
    EXPECT_ERROR("標題\nTitle\n段落 {keep\nPara {keep\n",
                 "t.txt:3:4: error: unclosed {...} attribute '{keep': end it with '}' at the "
                 "line's end ({keep}, {short=\"...\"}), or write \\{ for a literal brace");
    EXPECT_ERROR("標題\nTitle\n段落\nPara {right keep\n",
                 "t.txt:4:6: error: unclosed {...} attribute '{right': end it with '}' at the "
                 "line's end ({keep}, {short=\"...\"}), or write \\{ for a literal brace");
    EXPECT_ERROR("標題\nTitle\n段落 {keep} 後面還有字。\nPara {keep} then more.\n",
                 "t.txt:3:4: error: attribute '{keep}' inside the line: attributes go at the "
                 "line's end, after its text; write \\{ for a literal brace");
    /* braces that are no attribute are text, and an escaped one too */
    pb_corpus_free(PARSE_SAYING("標題\nTitle\n集合{a, b與\\{keep\nThe set {x | x > 0 and \\{keep\n",
                                ""));
    EXPECT_ERROR("標題\nTitle\n# \nEn\n", "t.txt:3:1: error: empty heading");
    /* a list item of runs that open no label: a table's row, the remedy named (review 13 B3) */
    pb_corpus_free(PARSE_SAYING("標題\nTitle\n- 蘋果　梨　李\n- Apples  Pears  Plums\n",
                                "t.txt:4:9: warning: this list item looks like a table's row typed "
                                "with spaces or TABs (2 runs): paiban cannot set tables and sets "
                                "each run as one space; open each field after a run with its label "
                                "and a colon ('Venue: S423') to set the runs as field gaps, or "
                                "write the item as a sentence\n"));
    /* an empty list item, "- " (review 13 B7: warned as unmarked, "-" printed) */
    EXPECT_ERROR("標題\nTitle\n- 項目一\n- \n", "t.txt:4:1: error: empty list item (a '- ' "
                 "with no text after it)");
    EXPECT_ERROR("標題\nTitle\n- 項目一\n- {keep}\n", "t.txt:4:1: error: empty list item (a '- ' "
                 "with no text after it)");
    /* a heading of forced breaks only (review 11: "# <br>" left 110 pt of white, silent) */
    EXPECT_ERROR("標題\nTitle\n# <br>\n# <br>\n正文。\nText.\n",
                 "t.txt:3:1: error: empty heading (it holds only line breaks)");
    /* attributes that contradict each other (review 9 A9): said, and the one used named */
    pb_doc *doc = PARSE_SAYING("標題\nTitle\n署名{keep right center}\nSigned {right keep}\n",
                               "t.txt:3:1: warning: line 3 asks for {right} and {center}: "
                               "the pair is set right (give one of right, center, left)\n");
    assert_true(doc->blocks[3].flags & PB_BLOCK_RIGHT);
    assert_false((doc->blocks[2].flags | doc->blocks[3].flags) & PB_BLOCK_CENTER);
    pb_corpus_free(doc);
    doc = PARSE_SAYING("標題\nTitle\n署名{right}\nSigned {center}\n",
                       "t.txt:3:1: warning: line 3 asks for {right} and its partner line 4 for "
                       "{center}: the pair is set right (give one of right, center, left)\n");
    assert_false(doc->blocks[3].flags & PB_BLOCK_CENTER);
    pb_corpus_free(doc);
    doc = PARSE_SAYING("標題\nTitle\n正文。\nBody.\n2027年6月1日{keep}\n1 June 2027\n",
                       "t.txt:5:1: warning: {keep} on line 5 but not on its partner line 6; "
                       "the pair is kept (mark both lines, or neither)\n");
    assert_true(doc->blocks[5].flags & PB_BLOCK_KEEP);
    pb_corpus_free(doc);
    EXPECT_ERROR("標題\nTitle\n<br>\nEn\n",
                 "t.txt:3:1: error: a line of markup only (a paragraph needs text)");    /* a second note mark after ； or ， at a clause's start in a note: journal affiliations
     * (review 11 C1: "the note mark ² has no note"); a mark inside a clause still is none */
    pb_corpus_free(PARSE_SAYING("標題\nTitle\n陈明¹，李华²，王芳³\nChen M¹, Li H², Wang F³\n"
                                "¹复旦大学药学院，上海 201203；²上海市肺科医院，³同济大学\n"
                                "¹Fudan University; ²Shanghai Pulmonary Hospital, ³Tongji\n",
                                ""));
    pb_corpus_free(PARSE_SAYING("標題\nTitle\n陈明¹，李华²\nChen M¹, Li H²\n"
                                "¹复旦大学药学院²上海\n¹Fudan University²\n",
                                "t.txt:3:7: warning: the note mark ² has no note: no line pair "
                                "begins with ² (a note missing, or a mark left over?)\n"));
    /* ※ at a clause's start before text is the reference mark as an attention sign, "※注意"
     * (review 13 B10: "the note mark ※ has no note"); after a word it is a note mark still */
    pb_corpus_free(PARSE_SAYING("標題\nTitle\n溫度≤45℃，※注意，→下一步。\n"
                                "Temperature ≤45℃, ※ note, → next.\n",
                                ""));
    pb_corpus_free(PARSE_SAYING("標題\nTitle\n見附表※，共三項。\nSee the table※, three items.\n",
                                "t.txt:3:4: warning: the note mark ※ has no note: no line pair "
                                "begins with ※ (a note missing, or a mark left over?)\n"));
}

/* A title's forced break on one line (running head, bookmark, PDF title): joined as a title
 * and its subtitle, ": " / "：", or as the line goes on after a pause mark, before a
 * lower-case word (review: "Heaven's Craft Arts and Crafts ...") or before a bracket. */
static void test_one_line(void **state)
{
    (void)state;
    static const struct {
        pb_lang lang;
        const char *in, *want;
    } cases[] = {
        {PB_LANG_EN, "Heaven’s Craft\u2028Arts and Crafts", "Heaven’s Craft: Arts and Crafts"},
        {PB_LANG_EN, "Museum Night 2026\u2028Programme", "Museum Night 2026: Programme"},
        {PB_LANG_EN, "Notes on the\u2028history of jade", "Notes on the history of jade"},
        {PB_LANG_EN, "Welcome!\u2028Programme", "Welcome! Programme"},
        {PB_LANG_EN, "A \u2028\u2028 B\u2028", "A: B"},
        {PB_LANG_EN, "No break here", "No break here"},
        {PB_LANG_ZH, "天工開物\u2028明清工藝特展", "天工開物：明清工藝特展"},
        {PB_LANG_ZH, "歡迎光臨！\u2028活動節目", "歡迎光臨！活動節目"},
        {PB_LANG_ZH, "2026博物館之夜\u2028活動節目", "2026博物館之夜：活動節目"},
        /* review 5: a bracketed qualifier takes no colon */
        {PB_LANG_ZH, "軟體維護服務合約\u2028（標準條款）", "軟體維護服務合約（標準條款）"},
        {PB_LANG_EN, "Services Agreement\u2028(Standard Terms)", "Services Agreement (Standard Terms)"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        uint32_t in[64], out[PB_CORPUS_ONE_LINE_MAX(64)];
        size_t n = 0, len = strlen(cases[k].in);
        for (size_t i = 0; i < len; n++) {
            assert_true(n < 64);
            i += pb_uchar_decode((const uint8_t *)cases[k].in + i, len - i, &in[n]);
        }
        assert_text(out, pb_corpus_one_line(in, n, cases[k].lang, out), cases[k].want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_structure),
        cmocka_unit_test(test_seed_annotations),
        cmocka_unit_test(test_bom_crlf),
        cmocka_unit_test(test_joined_bom),
        cmocka_unit_test(test_idle_display_attrs),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_other_encodings),
        cmocka_unit_test(test_nul_and_controls),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_missing_partner),
        cmocka_unit_test(test_load_missing_file),
        cmocka_unit_test(test_second_style),
        cmocka_unit_test(test_numbered_headings),
        cmocka_unit_test(test_numbered_points),
        cmocka_unit_test(test_lang_by_place),
        cmocka_unit_test(test_no_headings),
        cmocka_unit_test(test_title_only),
        cmocka_unit_test(test_language_by_script),
        cmocka_unit_test(test_col_mapping),
        cmocka_unit_test(test_big_paragraph),
        cmocka_unit_test(test_mutations),
        cmocka_unit_test(test_heading_forms),
        cmocka_unit_test(test_heading_levels),
        cmocka_unit_test(test_empty_headings),
        cmocka_unit_test(test_annotation_is_pinyin),
        cmocka_unit_test(test_markup),
        cmocka_unit_test(test_markdown_habits),
        cmocka_unit_test(test_idle_attributes),
        cmocka_unit_test(test_markup_errors),
        cmocka_unit_test(test_one_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
