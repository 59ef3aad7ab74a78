/* Unit tests for query: Simplified forms in a Traditional text (and the reverse) found with
 * OpenCC's phrase dictionaries at their source positions, the region's forms, accept lists, one
 * hint for a text in the other variant; punctuation and English never queried. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "corpus.h"
#include "diag.h"
#include "query.h"
#include "uchar.h"

static pb_doc *parse(const char *s)
{
    pb_doc *doc = NULL;
    assert_int_equal(pb_corpus_parse("t.txt", (const uint8_t *)s, strlen(s), &doc), PB_OK);
    return doc;
}

/* Title pair, then a pair whose Chinese has 對于 (for 對於) and 并 (for 並) and “” quotes. */
static const char TC[] = "標題\nTitle\n"
                         "我們對于“人工智能”并不陌生。\n"
                         "We are no strangers to AI.\n";

static void test_traditional_text(void **state)
{
    (void)state;
    pb_doc *doc = parse(TC);
    pb_queries q;
    assert_int_equal(pb_query_find(doc, "zh-Hant", NULL, &q), PB_OK);
    assert_true(q.checked);
    assert_string_equal(q.variant, "Hant");
    assert_int_equal(q.n, 2); /* 于 and 并; the quotes are house style, not queried */
    assert_int_equal(q.v[0].line, 3);
    assert_int_equal(q.v[0].col, 4);
    assert_int_equal(q.v[0].found[0], 0x4E8E);     /* 于 */
    assert_int_equal(q.v[0].suggested[0], 0x65BC); /* 於 */
    assert_int_equal(q.v[1].line, 3);
    assert_int_equal(q.v[1].col, 11);
    assert_int_equal(q.v[1].found[0], 0x5E76);     /* 并 */
    assert_int_equal(q.v[1].suggested[0], 0x4E26); /* 並 */
    pb_query_free(&q);
    /* a region tag names the variant too */
    assert_int_equal(pb_query_find(doc, "zh-TW", NULL, &q), PB_OK);
    assert_true(q.checked);
    assert_int_equal(q.n, 2);
    pb_query_free(&q);
    pb_corpus_free(doc);
}

static void test_simplified_text(void **state)
{
    (void)state;
    /* 於 and 並 in a Simplified text are Traditional forms (于, 并) */
    pb_doc *doc = parse("标题\nTitle\n我们對於这并不陌生，也並不担心。\nWe know it well.\n");
    pb_queries q;
    assert_int_equal(pb_query_find(doc, "zh-Hans", NULL, &q), PB_OK);
    assert_true(q.checked);
    assert_string_equal(q.variant, "Hans");
    int saw_yu = 0, saw_bing = 0;
    for (size_t i = 0; i < q.n; i++) { /* 對於 is one query, the word */
        saw_yu |= q.v[i].found_len == 2 && q.v[i].found[1] == 0x65BC &&
                  q.v[i].suggested[1] == 0x4E8E && q.v[i].col == 3;
        saw_bing |= q.v[i].found[0] == 0x4E26 && q.v[i].suggested[0] == 0x5E76;
        assert_int_equal(q.v[i].line, 3);
    }
    assert_true(saw_yu);
    assert_true(saw_bing);
    pb_query_free(&q);
    pb_corpus_free(doc);
}

static void test_clean_and_unknown(void **state)
{
    (void)state;
    pb_doc *doc = parse("國際合作\nInternational cooperation\n我們重視發展。\nWe value development.\n");
    pb_queries q;
    assert_int_equal(pb_query_find(doc, "zh-Hant", NULL, &q), PB_OK);
    assert_true(q.checked);
    assert_int_equal(q.n, 0);
    pb_query_free(&q);
    /* "zh" names no variant: nothing is checked */
    assert_int_equal(pb_query_find(doc, "zh", NULL, &q), PB_OK);
    assert_false(q.checked);
    assert_int_equal(q.n, 0);
    pb_query_free(&q);
    pb_corpus_free(doc);
}

static void test_l_for_capital_i(void **state)
{
    (void)state;
    /* "Al-enabled" beside "AI": queried at its column; "All", "Alan" are words (not all
     * capitals once l is I, or not a word of the text) */
    pb_doc *doc = parse("標題\nTitle\n人工智能。\nAI helps. All Al-enabled tools, Alan said.\n");
    pb_queries q;
    assert_int_equal(pb_query_find(doc, "zh", NULL, &q), PB_OK); /* no variant: only Latin checked */
    assert_false(q.checked);
    assert_int_equal(q.n, 1);
    assert_int_equal(q.v[0].kind, PB_QUERY_L_FOR_I);
    assert_int_equal(q.v[0].line, 4);
    assert_int_equal(q.v[0].col, 15);
    assert_int_equal(q.v[0].found_len, 2);
    assert_int_equal(q.v[0].found[0], 'A');
    assert_int_equal(q.v[0].found[1], 'l');
    assert_int_equal(q.v[0].suggested[1], 'I');
    pb_query_free(&q);
    pb_corpus_free(doc);
    /* without "AI" anywhere, "Al" is a name: no query */
    doc = parse("標題\nTitle\n人工智能。\nAl wrote it.\n");
    assert_int_equal(pb_query_find(doc, "zh-Hant", NULL, &q), PB_OK);
    assert_int_equal(q.n, 0);
    pb_query_free(&q);
    pb_corpus_free(doc);
}

/* The queries' texts as UTF-8, "found>suggested" joined by spaces, for one-line checks. */
static char *texts_of(const pb_queries *q)
{
    static char buf[4096];
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < q->n && n + 256 < sizeof buf; i++) {
        if (i)
            buf[n++] = ' ';
        for (size_t k = 0; k < q->v[i].found_len; k++)
            n += pb_uchar_encode(q->v[i].found[k], buf + n);
        buf[n++] = '>';
        for (size_t k = 0; k < q->v[i].suggested_len; k++)
            n += pb_uchar_encode(q->v[i].suggested[k], buf + n);
        buf[n] = '\0';
    }
    return buf;
}

/* Numbers in both forms of digits: each in the rarer form is queried (a comma or point between
 * its digits part of it); one form alone: nothing. */
static void test_digit_forms(void **state)
{
    (void)state;
    pb_doc *doc = parse("標題\nTitle\n２０２６年度（2026年度）ＮＴ＄３,５００萬元，第3條。\n"
                        "In 2026, NT$35 million, Article 3.\n");
    pb_queries q;
    assert_int_equal(pb_query_find(doc, "zh", NULL, &q), PB_OK);
    assert_int_equal(q.n, 2);
    assert_int_equal(q.v[0].kind, PB_QUERY_DIGITS);
    assert_int_equal(q.v[0].line, 3);
    assert_int_equal(q.v[0].col, 1);
    assert_int_equal(q.v[0].found_len, 4);
    assert_int_equal(q.v[0].found[0], 0xFF12);
    assert_int_equal(q.v[0].suggested[0], '2');
    assert_int_equal(q.v[1].kind, PB_QUERY_FULLWIDTH); /* a code with its letters, whole */
    assert_int_equal(q.v[1].col, 15);
    assert_string_equal(texts_of(&q), "２０２６>2026 ＮＴ＄３,５００>NT$3,500");
    pb_query_free(&q);
    pb_corpus_free(doc);
    doc = parse("標題\nTitle\n２０２６年度。\nIn the year.\n");
    assert_int_equal(pb_query_find(doc, "zh", NULL, &q), PB_OK);
    assert_int_equal(q.n, 0);
    pb_query_free(&q);
    pb_corpus_free(doc);
}

/* Full-width Latin letters in a code, a model number or a currency, and a full-width comma
 * between full-width digits (set as a clause comma, it splits the amount): queried whole, with
 * the ASCII forms, whatever forms the rest of the text writes (GB/T 15834-2011, GB/T
 * 15835-2011: Western letters and figures half-width); a number in full-width digits alone
 * is the digits' query (review 8: ＸＪ－３０００Ａ and １，２００ were not queried). */
static void test_fullwidth_forms(void **state)
{
    (void)state;
    static const struct {
        const char *corpus, *texts;
        pb_query_kind first, fourth; /* the kinds of the first and the fourth query */
        int col;                     /* the first query's column (3 when 0) */
    } cases[] = {
        {"標題\nTitle\n型號ＸＪ－３０００Ａ，電壓２２０Ｖ，售價ＮＴ＄１，２００元，２０２６年出廠，Ａ級。\n"
         "Model XJ-3000A, voltage 220 V, price NT$1,200, made in 2026, class A.\n",
         "ＸＪ－３０００Ａ>XJ-3000A ２２０Ｖ>220V ＮＴ＄１，２００>NT$1,200 ２０２６>2026 Ａ>A",
         PB_QUERY_FULLWIDTH, PB_QUERY_DIGITS, 0},
        /* full-width digits only: the comma in a figure is queried, a year is not */
        {"標題\nTitle\n售價１，２００元，２０２６年。\nTwelve hundred, this year.\n", "１，２００>1,200",
         PB_QUERY_FULLWIDTH, PB_QUERY_FULLWIDTH, 0},
        /* the IME slip: a full-width ＄ and a full-width thousands comma in an ASCII-digit
         * amount (review 11 A5); a list "1，2" and an ASCII amount are not queried */
        {"標題\nTitle\n續期費港幣＄1，200元，見第1，2條，另付$1,200。\nRenewal HK$1,200.\n",
         "＄1，200>$1,200", PB_QUERY_FULLWIDTH, PB_QUERY_FULLWIDTH, 6},
        {"標題\nTitle\n售價1，200元，見第1，2條。\nPrice 1,200.\n", "1，200>1,200",
         PB_QUERY_FULLWIDTH, PB_QUERY_FULLWIDTH, 0},
        {"標題\nTitle\n續期費港幣＄300元。\nRenewal HK$300.\n", "＄300>$300", PB_QUERY_FULLWIDTH,
         PB_QUERY_FULLWIDTH, 6},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        pb_doc *doc = parse(cases[c].corpus);
        pb_queries q;
        assert_int_equal(pb_query_find(doc, "zh", NULL, &q), PB_OK);
        assert_string_equal(texts_of(&q), cases[c].texts);
        assert_int_equal(q.v[0].kind, cases[c].first);
        assert_int_equal(q.n < 4 ? cases[c].fourth : q.v[3].kind, cases[c].fourth);
        assert_int_equal(q.v[0].col, cases[c].col ? cases[c].col : 3);
        pb_query_free(&q);
        pb_corpus_free(doc);
    }
}

/* Text left to be written: the placeholder words where they stand (a Latin one as a word in
 * capitals: "todo" and "TODOS" are prose), a paragraph of marks only unless marked {center},
 * {right} or {left} (a separator). */
static void test_placeholders(void **state)
{
    (void)state;
    pb_doc *doc = parse("標題\nTitle\n截止日期：待定。○○單位。\nIt closes on TBD; a todo list; TODOS.\n"
                        "……\n...\n＊＊＊{center}\n***\n");
    pb_queries q;
    assert_int_equal(pb_query_find(doc, "zh", NULL, &q), PB_OK);
    assert_string_equal(texts_of(&q), "待定> ○○> TBD> ……> ...>");
    assert_int_equal(q.v[0].kind, PB_QUERY_PLACEHOLDER);
    assert_int_equal(q.v[0].col, 6);
    assert_int_equal(q.v[2].line, 4);
    assert_int_equal(q.v[2].col, 14);
    assert_int_equal(q.v[3].kind, PB_QUERY_MARKS_ONLY);
    assert_int_equal(q.v[4].line, 6);
    pb_query_free(&q);
    pb_corpus_free(doc);

    /* placeholders inside a code or a number (review 9: 688xxx.SH went to print unqueried):
     * the code whole, once; XXXL and a word's xxx are none */
    doc = parse("標題\nTitle\n股票代碼：688xxx.SH，電話xxx-xxxx，手機138□□□□5678，20○○年。\n"
                "Code 688XXX.SH; call XXX-XXXX; XXXL shirts; Exxxon; see XXX.\n");
    assert_int_equal(pb_query_find(doc, "zh", NULL, &q), PB_OK);
    assert_string_equal(texts_of(&q), "688xxx.SH> xxx-xxxx> 138□□□□5678> 20○○> 688XXX.SH> "
                                      "XXX-XXXX> XXX>");
    assert_int_equal(q.v[0].kind, PB_QUERY_PLACEHOLDER);
    assert_int_equal(q.v[0].col, 6);
    assert_int_equal(q.v[5].col, 22);
    pb_query_free(&q);
    pb_corpus_free(doc);
}

/* A range typed with a hyphen in English, 4-6 hours (review 9), 3,000-5,000 words and Weeks
 * 11-15: (review 10): an en dash suggested (Chicago 6.78); a telephone number, a date, a code, a score, a URL and a Chinese range are none */
static void test_ranges(void **state)
{
    (void)state;
    pb_doc *doc = parse("標題\nTitle\n每4-6小時。\n"
                        "Every 4-6 hours, 10-20% or 0.5-1.5 mg (pages 12-15) in 1990-1995; call "
                        "2712-3456 or 555-1234 on 2026-03-18, ISBN 978-0-12, COVID-19, won 3-2, "
                        "https://x.org/1-2 in 1990-2095 or -4-6. Write 3,000-5,000 words; "
                        "Weeks 11-15: seminars; not 12,34-56, 10-11:30 nor 5,000-3,000.\n");
    pb_queries q;
    assert_int_equal(pb_query_find(doc, "zh", NULL, &q), PB_OK);
    assert_string_equal(texts_of(&q), "4-6>4\u20136 10-20>10\u201320 0.5-1.5>0.5\u20131.5 "
                                      "12-15>12\u201315 1990-1995>1990\u20131995 "
                                      "3,000-5,000>3,000\u20135,000 11-15>11\u201315");
    assert_int_equal(q.v[0].kind, PB_QUERY_RANGE);
    assert_int_equal(q.v[0].line, 4);
    assert_int_equal(q.v[0].col, 7);
    pb_query_free(&q);
    pb_corpus_free(doc);
}

/* A Traditional paragraph (82 Han characters, none a Simplified form): the texts below are a
 * few sentences with slips in, not texts in the other variant. */
#define PAD "我們重視國際合作與發展，推動科學研究與技術進步，促進經濟社會的繁榮與穩定，攜手共創美好的" \
            "未來。圖書館將在下個月開放新的展覽區，讀者可以在網上預約座位並借用圖書，歡迎大家參觀。\n" \
            "We value cooperation and progress. The library opens a new exhibition area next " \
            "month; readers may book seats online.\n"

static void expect(const char *corpus, const char *lang, const pb_query_accept *accept,
                   const char *want)
{
    char text[1024];
    snprintf(text, sizeof text, "%s" PAD, corpus);
    pb_doc *doc = parse(text);
    pb_queries q;
    assert_int_equal(pb_query_find(doc, lang, accept, &q), PB_OK);
    assert_true(q.checked);
    assert_string_equal(texts_of(&q), want);
    pb_query_free(&q);
    pb_corpus_free(doc);
}

/* Phrases, not characters: 沉 in 沉浸 is the Traditional form too (ICU's character transform
 * queried it as 沈); 于 托 范 涌 并 筑 in these phrases are mainland forms. */
static void test_phrases(void **state)
{
    (void)state;
    expect("標題\nTitle\n我們沉浸在閱讀中，深沉而安靜。\nWe read.\n", "zh-Hant", NULL, "");
    expect("標題\nTitle\n致力于落實，依托人工智能，形成新范式，不斷涌現，并實現，共筑未來。\n"
           "We work on it with AI, in a new way that keeps coming, and build the future.\n",
           "zh-Hant", NULL, "于>於 托>託 范>範 涌>湧 并>並");
    /* a Simplified form that is a Traditional character in its own right (云 -> 雲 云: 云, "to
     * say"; 筑, the zither) is queried only where a phrase of OpenCC's tells (致力于 above): 其一云
     * and 共筑 are no phrase of it */
    expect("標題\nTitle\n其一云：共筑未來。\nOne says: build.\n", "zh-Hant", NULL, "");
    expect("標題\nTitle\n白云飄飄。\nClouds.\n", "zh-Hant", NULL, "云>雲");
    /* OpenCC's phrases are keyed in Simplified: in Traditional text 報名表 misses 报名表 and
     * 名表 (a famous watch, 名錶) fires; 管弦 and 服務台 read otherwise in the text's Simplified
     * form (管弦乐团; 服务台 -> 檯, not 臺). Forms the two readings do not agree on are no
     * query (Taiwan writes 報名表, 管弦, 服務台). */
    const char *tw = "標題\nTitle\n請填寫報名表，到服務台領取，聽管弦樂團演奏。\nPlease.\n";
    expect(tw, "zh-Hant", NULL, "");
    expect(tw, "zh-Hant-TW", NULL, ""); /* (s2tw reads them as s2t does) */
    /* a character the conversion keeps on its own is a form of both variants: what a phrase
     * makes of it is OpenCC's preference (宣布 -> 宣佈, 克念 -> 克唸, 周期 -> 週期), no query */
    expect("標題\nTitle\n政府宣布，克念作聖，生命周期。\nThey said.\n", "zh-Hant", NULL, "");
    /* nor a form Taiwan's or Hong Kong's standard writes (s2t's 羣 峯 臺 are one standard's) */
    expect("標題\nTitle\n人群與高峰，台北公司。\nCrowds.\n", "zh-Hant", NULL, "");
    /* adjacent forms are one query: the word */
    expect("標題\nTitle\n我們对于這件事。\nUs.\n", "zh-Hant", NULL, "对于>對於");
}

/* s2t's phrase dictionary (STPhrases, nine tenths of what its conversions read) is read once: s2t
 * with the forms of both that no phrase takes marked, written to a temporary file as its
 * dictionary of marks beside its configuration, and STCharacters alone's configuration; not the
 * conversion by STPhrases alone besides. Counted here, where the program makes those files
 * (this definition stands in front of the C library's). */
static int phrase_files;
int mkstemp(char *template)
{
    if (strstr(template, "paiban-opencc-"))
        phrase_files++;
    size_t n = strlen(template);
    if (n < 6 || strcmp(template + n - 6, "XXXXXX") != 0) {
        errno = EINVAL;
        return -1;
    }
    static unsigned serial;
    for (int tries = 0; tries < 100; tries++) {
        snprintf(template + n - 6, 7, "%06u", (unsigned)(getpid() * 101u + serial++) % 1000000u);
        int fd = open(template, O_RDWR | O_CREAT | O_EXCL, 0600);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    return -1;
}

static void expect_opened(const char *corpus, int want_opened, const char *want)
{
    phrase_files = 0;
    expect(corpus, "zh-Hant", NULL, want);
    assert_int_equal(phrase_files, want_opened);
}

static void test_phrases_read_once(void **state)
{
    (void)state;
    /* Traditional text: three files, the phrases told as before (致力于, 白云: a phrase's; 其一云,
     * 共筑: none) */
    expect_opened("標題\nTitle\n我們沉浸在閱讀中，深沉而安靜。\nWe read.\n", 3, "");
    expect_opened("標題\nTitle\n其一云：共筑未來。\nOne says: build.\n", 3, "");
    expect_opened("標題\nTitle\n致力于落實。\nWe work.\n白云飄飄。\nClouds.\n", 3,
                  "于>於 云>雲");
    /* a Simplified text: none (t2s and s2t as shipped) */
    phrase_files = 0;
    pb_doc *doc = parse("标题\nTitle\n我们致力于落实，白云飘飘。\nWe work.\n");
    pb_queries q;
    assert_int_equal(pb_query_find(doc, "zh-Hans", NULL, &q), PB_OK);
    assert_int_equal(phrase_files, 0);
    pb_query_free(&q);
    pb_corpus_free(doc);
}

/* The region the tag names: 厘米 is Hong Kong's usage (Taiwan writes 公分 or 釐米); 着 is not
 * the form Taiwan's standard writes (著), but is Hong Kong's. */
static void test_regions(void **state)
{
    (void)state;
    const char *cm = "標題\nTitle\n身高一百八十厘米。\nTall.\n";
    expect(cm, "zh-Hant-HK", NULL, "");
    expect(cm, "zh-HK", NULL, "");
    expect(cm, "zh-Hant-TW", NULL, "厘>釐");
    expect(cm, "zh-Hant", NULL, "厘>釐");
    /* 占 is Taiwan's standard form (review 8 C1: each 占 was queried as 占>佔) */
    expect("標題\nTitle\n海外營收占49.0%，占比上升。\nOverseas.\n", "zh-Hant-TW", NULL, "");
    /* 台 after a numeral is Taiwan's measure word as written (review 12 B6); 台北 is asked */
    expect("標題\nTitle\n冷氣機3台、第四台、兩台電視。\nUnits.\n", "zh-Hant-TW", NULL, "");
    expect("標題\nTitle\n位於台北。\nIn Taipei.\n", "zh-Hant-TW", NULL, "台>臺");
    /* Hong Kong Government usage (review 11 C3): 公布 in its notices and ordinances (and
     * Taiwan's laws), 戶 (檔戶, 住戶), 周年; Taiwan's 週年 is still asked for under zh-Hant-TW */
    const char *hk = "標題\nTitle\n現公布：受影響的檔戶，周年大會。\nNotice.\n";
    expect(hk, "zh-Hant-HK", NULL, "");
    expect(hk, "zh-Hant-TW", NULL, "周>週");
    /* 祢, the pronoun for God in Chinese Christian texts, is no Simplified 禰 (review 11 C2) */
    expect("標題\nTitle\n主啊，我們讚美祢。\nLord, we praise you.\n", "zh-Hant", NULL, "");
    expect("標題\nTitle\n主啊，我們讚美祢。\nLord, we praise you.\n", "zh-Hant-HK", NULL, "");
    const char *zhe = "標題\nTitle\n他穿着外套。\nA coat.\n";
    expect(zhe, "zh-Hant-TW", NULL, "着>著");
    expect(zhe, "zh-Hant-HK", NULL, "");
    expect(zhe, "zh-Hant", NULL, "");
    char padded[1024];
    snprintf(padded, sizeof padded, "%s" PAD, zhe);
    pb_doc *doc = parse(padded);
    pb_queries q;
    assert_int_equal(pb_query_find(doc, "zh-Hant-TW", NULL, &q), PB_OK);
    assert_int_equal(q.n, 1);
    assert_int_equal(q.v[0].kind, PB_QUERY_REGIONAL);
    assert_string_equal(q.region, "TW");
    pb_query_free(&q);
    pb_corpus_free(doc);
}

/* One hint, not a query per character, for a Simplified text under a Traditional tag (and the
 * reverse); the Latin queries stay. */
static void test_other_variant_hint(void **state)
{
    (void)state;
    pb_doc *doc = parse("数字图书馆\nDigital library\n"
                        "图书馆将于下月开放新的阅览区，读者可以在网上预约座位并借阅图书。\n"
                        "AI helps. The Al-based catalogue opens next month.\n");
    pb_queries q;
    assert_int_equal(pb_query_find(doc, "zh-Hant", NULL, &q), PB_OK);
    assert_true(q.checked);
    assert_true(q.looks_other);
    assert_true(q.other * 10 >= q.han);
    assert_int_equal(q.n, 1); /* Al only */
    assert_int_equal(q.v[0].kind, PB_QUERY_L_FOR_I);
    pb_query_free(&q);
    assert_int_equal(pb_query_find(doc, "zh-Hans", NULL, &q), PB_OK);
    assert_false(q.looks_other);
    assert_int_equal(q.n, 1);
    pb_query_free(&q);
    pb_corpus_free(doc);
    /* a Traditional text with a slip or two is no such text */
    doc = parse(TC);
    assert_int_equal(pb_query_find(doc, "zh-Hant", NULL, &q), PB_OK);
    assert_false(q.looks_other);
    pb_query_free(&q);
    pb_corpus_free(doc);
}

static char *write_temp(const char *text)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/pb_accept_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
    return path;
}

/* House usage: an accept list's words are not queried where the text has them. */
static void test_accept_list(void **state)
{
    (void)state;
    char *path = write_temp("# house words\n\n  范式  \n依托\n");
    pb_layout_origin at = {"house.ini", 3, 10};
    pb_query_accept *a = NULL;
    assert_int_equal(pb_query_accept_load(path, &at, &a), PB_OK);
    unlink(path);
    const char *text = "標題\nTitle\n依托人工智能，形成新范式，范圍很大，并實現。\nWe work.\n";
    expect(text, "zh-Hant", a, "范>範 并>並");
    expect(text, "zh-Hant", NULL, "托>託 范>範 范>範 并>並");
    char padded[1024];
    snprintf(padded, sizeof padded, "%s" PAD, text);
    pb_doc *doc = parse(padded);
    pb_queries q;
    assert_int_equal(pb_query_find(doc, "zh-Hant", a, &q), PB_OK);
    assert_int_equal(q.accepted, 2);
    pb_query_free(&q);
    pb_corpus_free(doc);
    pb_query_accept_free(a);
}

static char *capture_load(const char *path, const pb_layout_origin *at, pb_status *st)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    pb_diag_set_sink(f);
    pb_query_accept *a = (pb_query_accept *)&len; /* must be reset */
    *st = pb_query_accept_load(path, at, &a);
    pb_diag_set_sink(NULL);
    assert_int_equal(fclose(f), 0);
    if (*st == PB_OK)
        pb_query_accept_free(a);
    else
        assert_null(a);
    return buf;
}

static void test_accept_errors(void **state)
{
    (void)state;
    pb_layout_origin at = {"l.ini", 7, 10};
    pb_status st;
    char *msgs = capture_load("/nonexistent/words.txt", &at, &st);
    assert_int_equal(st, PB_EINPUT);
    assert_string_equal(msgs, "l.ini:7:10: error: cannot read the accept list "
                              "/nonexistent/words.txt: No such file or directory\n");
    free(msgs);
    char *path = write_temp("好\n\xff\xfe\n");
    msgs = capture_load(path, &at, &st);
    char want[256];
    snprintf(want, sizeof want, "%s:2:1: error: not UTF-8 (byte \\xFF)\n", path);
    assert_int_equal(st, PB_EINPUT);
    assert_string_equal(msgs, want);
    free(msgs);
    unlink(path);
}

/* A pair whose English is far longer than its Chinese, or far shorter: a query at the Chinese
 * line, with both counts. The reviewer's "本條從略。" (5 Han characters) paired with a clause of
 * 150 words; a paragraph of 80 Han characters paired with "See above."; not "否。" / "No." nor
 * a heading, nor a short answer with a long English one. */
#define LONG_EN                                                                                \
    "This clause, which the parties have negotiated at considerable length over several months " \
    "of correspondence, meetings and exchanges of drafts between their respective legal "       \
    "departments, sets out in full the obligations of each party with respect to the delivery, " \
    "installation, testing, acceptance, maintenance and eventual decommissioning of the system."
static void test_length(void **state)
{
    (void)state;
    pb_doc *doc = parse("標題\nTitle\n# 一、概述\n# I. Overview\n本條從略。\n" LONG_EN "\n"
                        "否。\nNo.\n"
                        "我們重視國際合作與發展，推動科學研究與技術進步，促進經濟社會的繁榮與穩定，"
                        "攜手共創美好的未來。圖書館將在下個月開放新的展覽區，讀者可以在網上預約座位"
                        "並借用圖書，歡迎大家參觀。\nSee above.\n"
                        "可以。\nYes: a card issued abroad can be used at every branch.\n");
    pb_queries q;
    assert_int_equal(pb_query_find(doc, "zh", NULL, &q), PB_OK);
    assert_int_equal(q.n, 2);
    const struct {
        int line, other_line;
        size_t han, letters_min, letters_max;
    } want[] = {{5, 6, 4, 250, 400}, {9, 10, 80, 8, 8}};
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(q.v[i].kind, PB_QUERY_LENGTH);
        assert_int_equal(q.v[i].line, want[i].line);
        assert_int_equal(q.v[i].col, 1);
        assert_int_equal(q.v[i].other_line, want[i].other_line);
        assert_int_equal(q.v[i].han, want[i].han);
        assert_in_range(q.v[i].letters, want[i].letters_min, want[i].letters_max);
    }
    pb_query_free(&q);
    pb_corpus_free(doc);
}

/* Every pair of the initiative and of the test corpora is a translation: none is queried for
 * its length (their English letters per Han character run from 0.67 to 8.3; 2.0 to 5.1 in the
 * pairs of 20 Han characters or more). */
static void test_length_real_pairs(void **state)
{
    (void)state;
    glob_t g;
    assert_int_equal(glob("tests/corpora/*.txt", 0, NULL, &g), 0);
    assert_true(g.gl_pathc >= 10);
    for (size_t i = 0; i <= g.gl_pathc; i++) {
        const char *path = i < g.gl_pathc ? g.gl_pathv[i] : "corpus/ai-plus-initiative.txt";
        pb_doc *doc = NULL;
        assert_int_equal(pb_corpus_load(path, &doc), PB_OK);
        pb_queries q;
        assert_int_equal(pb_query_find(doc, "zh", NULL, &q), PB_OK);
        for (size_t k = 0; k < q.n; k++)
            if (q.v[k].kind == PB_QUERY_LENGTH) {
                print_error("%s:%d: a length query (%zu Han, %zu letters)\n", path, q.v[k].line,
                            q.v[k].han, q.v[k].letters);
                fail();
            }
        pb_query_free(&q);
        pb_corpus_free(doc);
    }
    globfree(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_traditional_text),
        cmocka_unit_test(test_simplified_text),
        cmocka_unit_test(test_clean_and_unknown),
        cmocka_unit_test(test_l_for_capital_i),
        cmocka_unit_test(test_phrases),
        cmocka_unit_test(test_phrases_read_once),
        cmocka_unit_test(test_regions),
        cmocka_unit_test(test_other_variant_hint),
        cmocka_unit_test(test_accept_list),
        cmocka_unit_test(test_accept_errors),
        cmocka_unit_test(test_digit_forms),
        cmocka_unit_test(test_fullwidth_forms),
        cmocka_unit_test(test_placeholders),
        cmocka_unit_test(test_ranges),
        cmocka_unit_test(test_length),
        cmocka_unit_test(test_length_real_pairs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
