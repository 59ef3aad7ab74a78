/* Unit tests for normalize: Han-context punctuation in Chinese blocks only. */
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
#include "normalize.h"
#include "uchar.h"

#include <unicode/uchar.h>

#define SEED "corpus/ai-plus-initiative.txt"
#define SEED_COMMAS 44
#define FW_COMMA 0xFF0Cu
#define FW_COLON 0xFF1Au
#define FW_SEMI 0xFF1Bu
#define FW_QUESTION 0xFF1Fu
#define FW_EXCLAM 0xFF01u
#define FW_LPAREN 0xFF08u
#define FW_RPAREN 0xFF09u

/* ---- helpers ---- */

/* Parse s; its messages must be n warnings of a table typed with spaces (corpus.c
 * warn_table_row), and no other (n = 0: none) but the one that a text of one line pair is only
 * its title (most of these are: a Chinese line and its partner). */
static pb_doc *parse_tables(const char *s, int n)
{
    char *msg = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&msg, &len);
    assert_non_null(f);
    pb_diag_set_sink(f);
    pb_doc *doc = NULL;
    pb_status st = pb_corpus_parse("t.txt", (const uint8_t *)s, strlen(s), &doc);
    pb_diag_set_sink(NULL);
    fclose(f);
    int lines = 0, tables = 0;
    static const char title_only[] = "t.txt:1:1: warning: the corpus is only its title";
    for (const char *p = msg; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p)) {
        if (strncmp(p, title_only, sizeof title_only - 1) == 0)
            continue;
        lines++;
        tables += strstr(p, ": warning: this line looks like a table typed with spaces") != NULL ||
                  strstr(p, ": warning: this list item looks like a table's row typed with") != NULL;
    }
    if (lines != n || tables != n)
        print_error("unexpected (%d table warnings expected): %s", n, msg);
    free(msg);
    assert_int_equal(lines, n);
    assert_int_equal(tables, n);
    assert_int_equal(st, PB_OK);
    return doc;
}

static pb_doc *parse_ok(const char *s) { return parse_tables(s, 0); }

static pb_doc *load_seed(void)
{
    pb_doc *doc = NULL;
    assert_int_equal(pb_corpus_load(SEED, &doc), PB_OK);
    return doc;
}

static void assert_text(const pb_block *b, const char *want)
{
    char *s = malloc(b->len * 4 + 1);
    assert_non_null(s);
    size_t k = 0;
    for (size_t i = 0; i < b->len; i++)
        k += pb_uchar_encode(b->text[i], s + k);
    s[k] = '\0';
    int same = strcmp(s, want) == 0;
    if (!same)
        print_error("got  '%s'\nwant '%s'\n", s, want);
    free(s);
    assert_true(same);
}

static void assert_change(const pb_change *c, int line, int col, uint32_t before, uint32_t after)
{
    assert_int_equal(c->line, line);
    assert_int_equal(c->col, col);
    assert_int_equal(c->n_before, 1);
    assert_int_equal(c->n_after, 1);
    assert_int_equal(c->before[0], before);
    assert_int_equal(c->after[0], after);
}

/* ---- the seed ---- */

static void test_seed_commas(void **state)
{
    (void)state;
    pb_doc *doc = load_seed(), *orig = load_seed();
    pb_changes ch = {0};
    assert_int_equal(pb_normalize_doc(doc, NULL, &ch), PB_OK);
    assert_int_equal(ch.n, SEED_COMMAS);
    for (size_t i = 0; i < ch.n; i++) {
        assert_int_equal(ch.items[i].before[0], ',');
        assert_int_equal(ch.items[i].after[0], FW_COMMA);
        assert_int_equal(ch.items[i].line % 2, 1); /* Chinese lines are the odd ones */
    }
    /* line 3: the comma after 屬性, then the one after 升級(jí) */
    assert_change(&ch.items[0], 3, 14, ',', FW_COMMA);
    assert_change(&ch.items[1], 3, 38, ',', FW_COMMA);
    assert_change(&ch.items[ch.n - 1], 25, 156, ',', FW_COMMA);

    size_t left = 0;
    for (size_t i = 0; i < doc->n_blocks; i++) {
        const pb_block *b = &doc->blocks[i], *o = &orig->blocks[i];
        assert_int_equal(b->len, o->len);
        if (b->lang == PB_LANG_EN) {
            assert_memory_equal(b->text, o->text, b->len * sizeof *b->text);
            continue;
        }
        for (size_t k = 0; k < b->len; k++) {
            left += b->text[k] == ',';
            if (b->text[k] != o->text[k])
                assert_true(o->text[k] == ',' && b->text[k] == FW_COMMA);
        }
    }
    assert_int_equal(left, 0);
    /* “人工智能+” keeps its plus */
    assert_text(&doc->blocks[0], "\u201C人工智能+\u201D國際合作倡議");
    assert_text(&doc->blocks[6], "一、實施\u201C人工智能+\u201D民生福祉，增強各國民眾獲得感");
    pb_normalize_free_changes(&ch);
    assert_null(ch.items);
    assert_int_equal(ch.n, 0);
    pb_corpus_free(doc);
    pb_corpus_free(orig);
}

/* ---- rules ---- */

static void test_english_untouched(void **state)
{
    (void)state;
    /* no full-width forms in English (smart punctuation has nothing to do here) */
    pb_doc *doc = parse_ok("中文標題\nHello, world (test): yes; no? ok! 中,文 (國)\n");
    pb_changes ch = {0};
    assert_int_equal(pb_normalize_doc(doc, NULL, &ch), PB_OK);
    assert_int_equal(ch.n, 0);
    assert_text(&doc->blocks[1], "Hello, world (test): yes; no? ok! 中,文 (國)");
    pb_normalize_free_changes(&ch);
    pb_corpus_free(doc);
}

static void test_all_marks(void **state)
{
    (void)state;
    pb_doc *doc = parse_ok("甲,乙:丙;丁?戊!己\nx\n");
    pb_changes ch = {0};
    assert_int_equal(pb_normalize_doc(doc, NULL, &ch), PB_OK);
    assert_int_equal(ch.n, 5);
    assert_change(&ch.items[0], 1, 2, ',', FW_COMMA);
    assert_change(&ch.items[1], 1, 4, ':', FW_COLON);
    assert_change(&ch.items[2], 1, 6, ';', FW_SEMI);
    assert_change(&ch.items[3], 1, 8, '?', FW_QUESTION);
    assert_change(&ch.items[4], 1, 10, '!', FW_EXCLAM);
    assert_text(&doc->blocks[0], "甲，乙：丙；丁？戊！己");
    pb_normalize_free_changes(&ch);
    pb_corpus_free(doc);
}

/* (AI) between Han becomes full-width; a comma between Latin letters stays; so does + */
static void test_parens_and_latin(void **state)
{
    (void)state;
    pb_doc *doc = parse_ok("發展人工智能(AI)技術,支持a,b和人工智能+行動\nx\n");
    pb_changes ch = {0};
    assert_int_equal(pb_normalize_doc(doc, NULL, &ch), PB_OK);
    assert_int_equal(ch.n, 3);
    assert_change(&ch.items[0], 1, 7, '(', FW_LPAREN);
    assert_change(&ch.items[1], 1, 10, ')', FW_RPAREN);
    assert_change(&ch.items[2], 1, 13, ',', FW_COMMA);
    assert_text(&doc->blocks[0], "發展人工智能（AI）技術，支持a,b和人工智能+行動");
    pb_normalize_free_changes(&ch);
    pb_corpus_free(doc);
}

/* ASCII square brackets around Chinese text, a placeholder "[二維碼]", made full-width as the
 * parentheses beside them are (review 13 C6: "（…）" then "[二維碼]"); a citation's [1], a
 * Latin [QR] stay ASCII */
static void test_square_brackets(void **state)
{
    (void)state;
    pb_doc *doc = parse_ok("掃描(見下方)二維碼。[二維碼]研究[1]與[QR]\nScan [QR code]\n");
    pb_changes ch = {0};
    assert_int_equal(pb_normalize_doc(doc, NULL, &ch), PB_OK);
    assert_text(&doc->blocks[0], "掃描（見下方）二維碼。［二維碼］研究[1]與[QR]");
    assert_text(&doc->blocks[1], "Scan [QR code]");
    assert_int_equal(ch.n, 4);
    assert_change(&ch.items[2], 1, 12, '[', 0xFF3B);
    assert_change(&ch.items[3], 1, 16, ']', 0xFF3D);
    pb_normalize_free_changes(&ch);
    pb_corpus_free(doc);
}

/* a matched pair converts together; context may be CJK punctuation; curly quotes are not */
static void test_pairs_and_context(void **state)
{
    (void)state;
    pb_doc *doc = parse_ok("見附錄(see p.5).結束。,然後\u201C,\u201Dab) x(y\nx\n");
    pb_changes ch = {0};
    assert_int_equal(pb_normalize_doc(doc, NULL, &ch), PB_OK);
    assert_int_equal(ch.n, 3);
    assert_change(&ch.items[0], 1, 4, '(', FW_LPAREN);
    assert_change(&ch.items[1], 1, 12, ')', FW_RPAREN);
    assert_change(&ch.items[2], 1, 17, ',', FW_COMMA);
    assert_text(&doc->blocks[0], "見附錄（see p.5）.結束。，然後\u201C,\u201Dab) x(y");
    pb_normalize_free_changes(&ch);
    pb_corpus_free(doc);
}

/* a mark between two digits belongs to the number: full-width digits are Han context, but
 * ３,５００ stays one amount (３，５００ would read as an enumeration), ３.５ a decimal, １２:３０
 * a time; the comma after the number still converts */
static void test_marks_inside_numbers(void **state)
{
    (void)state;
    pb_doc *doc = parse_ok("補助ＮＴ＄３,５００萬元,約３.５倍,於１２:３０\nx\n");
    pb_changes ch = {0};
    assert_int_equal(pb_normalize_doc(doc, NULL, &ch), PB_OK);
    assert_int_equal(ch.n, 2);
    assert_change(&ch.items[0], 1, 13, ',', FW_COMMA);
    assert_change(&ch.items[1], 1, 19, ',', FW_COMMA);
    assert_text(&doc->blocks[0], "補助ＮＴ＄３,５００萬元，約３.５倍，於１２:３０");
    pb_normalize_free_changes(&ch);
    pb_corpus_free(doc);
}

/* positions are source columns, past lifted annotations; changes append to the list */
static void test_cols_after_annotations(void **state)
{
    (void)state;
    pb_doc *doc = parse_ok("標題\nTitle\n\n中國(guó),中方(fāng):好\nx\n");
    pb_changes ch = {0};
    assert_int_equal(pb_normalize_doc(doc, NULL, &ch), PB_OK);
    assert_int_equal(ch.n, 2);
    assert_change(&ch.items[0], 4, 8, ',', FW_COMMA);
    assert_change(&ch.items[1], 4, 17, ':', FW_COLON);
    assert_text(&doc->blocks[2], "中國，中方：好");
    assert_int_equal(doc->blocks[2].n_annots, 2);
    /* a second run finds nothing new and leaves the list as it was */
    assert_int_equal(pb_normalize_doc(doc, NULL, &ch), PB_OK);
    assert_int_equal(ch.n, 2);
    pb_normalize_free_changes(&ch);
    /* NULL change list is allowed */
    pb_corpus_free(doc);
    doc = parse_ok("中,文\nx\n");
    assert_int_equal(pb_normalize_doc(doc, NULL, NULL), PB_OK);
    assert_text(&doc->blocks[0], "中，文");
    pb_corpus_free(doc);
}

/* ---- invisible, format and right-to-left characters ---- */

static void assert_invisible(const pb_invisible *v, int line, int col, uint32_t cp,
                             pb_invisible_action action)
{
    assert_int_equal(v->line, line);
    assert_int_equal(v->col, col);
    assert_int_equal(v->cp, cp);
    assert_int_equal(v->action, action);
    assert_non_null(v->why);
}

/* Every invisible or format character is listed at its source position: kept (a soft hyphen, a
 * zero width space, a joiner, a variation selector), dropped (a bidi mark in left-to-right
 * text, which changes nothing there) or replaced (U+FEFF inside text is U+2060 WORD JOINER).
 * Annotations keep their bases; a dropped mark leaves no space at a block's edge. */
static void test_invisibles(void **state)
{
    (void)state;
    pb_doc *doc = parse_ok("標題\n\u200E Title\u00AD\n"
                           "中\u200B國(guó)\u200F家\uFEFF好\n"
                           "One\u2060two\u200Cthree\u200D\u061C.\n");
    pb_changes ch = {0};
    assert_int_equal(pb_normalize_doc(doc, NULL, &ch), PB_OK);
    assert_int_equal(ch.n, 0);
    assert_int_equal(ch.n_invisibles, 9);
    assert_invisible(&ch.invisibles[0], 2, 1, 0x200E, PB_INVISIBLE_DROPPED);
    assert_invisible(&ch.invisibles[1], 2, 8, 0x00AD, PB_INVISIBLE_KEPT);
    assert_invisible(&ch.invisibles[2], 3, 2, 0x200B, PB_INVISIBLE_KEPT);
    assert_invisible(&ch.invisibles[3], 3, 9, 0x200F, PB_INVISIBLE_DROPPED);
    assert_invisible(&ch.invisibles[4], 3, 11, 0xFEFF, PB_INVISIBLE_REPLACED);
    assert_int_equal(ch.invisibles[4].replacement, 0x2060);
    assert_invisible(&ch.invisibles[5], 4, 4, 0x2060, PB_INVISIBLE_KEPT);
    assert_invisible(&ch.invisibles[6], 4, 8, 0x200C, PB_INVISIBLE_KEPT);
    assert_invisible(&ch.invisibles[7], 4, 14, 0x200D, PB_INVISIBLE_KEPT);
    assert_invisible(&ch.invisibles[8], 4, 15, 0x061C, PB_INVISIBLE_DROPPED);
    assert_string_equal(pb_normalize_action_name(PB_INVISIBLE_REPLACED), "replaced");
    /* the marks are gone, the edge space with them; columns stay the source's */
    assert_text(&doc->blocks[1], "Title\u00AD");
    assert_int_equal(doc->blocks[1].col[0], 3);
    assert_text(&doc->blocks[2], "中\u200B國家\u2060好");
    assert_int_equal(doc->blocks[2].col[3], 10); /* 家 */
    assert_int_equal(doc->blocks[2].n_annots, 1);
    assert_int_equal(doc->blocks[2].annots[0].base, 2); /* 國 */
    assert_text(&doc->blocks[3], "One\u2060two\u200Cthree\u200D.");
    assert_int_equal(doc->blocks[3].col[doc->blocks[3].len - 1], 16);
    pb_normalize_free_changes(&ch);
    assert_null(ch.invisibles);
    assert_int_equal(ch.n_invisibles, 0);
    pb_corpus_free(doc);
}

/* A forced break typed as U+2028 is listed; one written <br> is not (review 7: the report said
 * "invisible and format characters: 0" over a U+2028 in a paragraph) */
static void test_line_separator_listed(void **state)
{
    (void)state;
    pb_doc *doc = parse_ok("標題\u2028副<br>題\nTitle<br>Sub\n");
    pb_changes ch = {0};
    assert_int_equal(pb_normalize_doc(doc, NULL, &ch), PB_OK);
    assert_int_equal(ch.n_invisibles, 1);
    assert_invisible(&ch.invisibles[0], 1, 3, 0x2028, PB_INVISIBLE_KEPT);
    assert_text(&doc->blocks[0], "標題\u2028副\u2028題");
    pb_normalize_free_changes(&ch);
    pb_corpus_free(doc);
}

/* A mark before its base was dropped: the base index moves with it. */
static void test_dropped_mark_moves_bases(void **state)
{
    (void)state;
    pb_doc *doc = parse_ok("標題\nTitle\n\u200E國(guó)家(jiā)\nx\n");
    assert_int_equal(pb_normalize_doc(doc, NULL, NULL), PB_OK);
    const pb_block *b = &doc->blocks[2];
    assert_text(b, "國家");
    assert_int_equal(b->n_annots, 2);
    assert_int_equal(b->annots[0].base, 0);
    assert_int_equal(b->annots[1].base, 1);
    assert_int_equal(b->col[0], 2);
    pb_corpus_free(doc);
}

/* Refused with file:line:col (paiban sets left-to-right text only): right-to-left letters, the
 * bidi embedding, override and isolate controls, and what UAX #9 would reorder. */
static void test_right_to_left_refused(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        const char *msg;
    } cases[] = {
        {"標題\nThe word \u0633\u0644\u0627\u0645.\n",
         "t.txt:2:10: error: right-to-left character U+0633 ARABIC LETTER SEEN: paiban sets "
         "left-to-right text only\n"},
        {"標題\nA \u05E9\u05DC\u05D5\u05DD.\n",
         "t.txt:2:3: error: right-to-left character U+05E9 HEBREW LETTER SHIN: paiban sets "
         "left-to-right text only\n"},
        {"標題\u202E反\nTitle\n",
         "t.txt:1:3: error: bidirectional control U+202E RIGHT-TO-LEFT OVERRIDE: paiban sets "
         "left-to-right text only\n"},
        {"標題\nOne\u202Atwo\u202C\n",
         "t.txt:2:4: error: bidirectional control U+202A LEFT-TO-RIGHT EMBEDDING: paiban sets "
         "left-to-right text only\n"},
        {"標題\nOne \u2069two\n",
         "t.txt:2:5: error: bidirectional control U+2069 POP DIRECTIONAL ISOLATE: paiban sets "
         "left-to-right text only\n"},
        {"標題\nOne\u200F 1 2 three.\n",
         "t.txt:2:4: error: U+200F RIGHT-TO-LEFT MARK would reorder the text after it (UAX #9): "
         "paiban sets left-to-right text only\n"},
        {"標題\nOne\u061C 1 2.\n",
         "t.txt:2:4: error: U+061C ARABIC LETTER MARK would reorder the text after it (UAX #9): "
         "paiban sets left-to-right text only\n"},
        {"標題\nPage \u0661\u0662.\n",
         "t.txt:2:6: error: U+0661 ARABIC-INDIC DIGIT ONE would be set right to left (UAX #9): "
         "paiban sets left-to-right text only\n"},
        {"標題\nA \U00010900 B.\n", /* PHOENICIAN LETTER ALF, outside the BMP */
         "t.txt:2:3: error: right-to-left character U+10900 PHOENICIAN LETTER ALF: paiban sets "
         "left-to-right text only\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pb_doc *doc = parse_ok(cases[i].text);
        char *msg = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&msg, &len);
        assert_non_null(f);
        pb_diag_set_sink(f);
        pb_changes ch = {0};
        pb_status st = pb_normalize_doc(doc, NULL, &ch);
        pb_diag_set_sink(NULL);
        fclose(f);
        if (strcmp(msg, cases[i].msg) != 0)
            print_error("case %zu:\ngot  %swant %s", i, msg, cases[i].msg);
        assert_string_equal(msg, cases[i].msg);
        assert_int_equal(st, PB_EINPUT);
        free(msg);
        pb_normalize_free_changes(&ch);
        pb_corpus_free(doc);
    }
    /* a right-to-left mark with nothing to reorder is dropped; digits after a left-to-right
     * mark are left to right */
    pb_doc *doc = parse_ok("標題\nOne\u200Ftwo \u200E1 2.\n");
    assert_int_equal(pb_normalize_doc(doc, NULL, NULL), PB_OK);
    assert_text(&doc->blocks[1], "Onetwo 1 2.");
    pb_corpus_free(doc);
}

/* normalize.c asks ICU about no character below U+0590 or in U+2E80..U+FB1C: none there is
 * right-to-left, an Arabic number or a bidi control. */
static void test_direction_shortcut(void **state)
{
    (void)state;
    for (uint32_t c = 0; c <= 0xFB1C; c++) {
        if (c >= 0x0590 && c < 0x2E80)
            continue;
        UCharDirection d = u_charDirection((UChar32)c);
        if (d == U_RIGHT_TO_LEFT || d == U_RIGHT_TO_LEFT_ARABIC || d == U_ARABIC_NUMBER ||
            d == U_LEFT_TO_RIGHT_EMBEDDING || d == U_LEFT_TO_RIGHT_OVERRIDE ||
            d == U_RIGHT_TO_LEFT_EMBEDDING || d == U_RIGHT_TO_LEFT_OVERRIDE ||
            d == U_POP_DIRECTIONAL_FORMAT || d == U_LEFT_TO_RIGHT_ISOLATE ||
            d == U_RIGHT_TO_LEFT_ISOLATE || d == U_FIRST_STRONG_ISOLATE ||
            d == U_POP_DIRECTIONAL_ISOLATE)
            fail_msg("U+%04X has bidi class %d", (unsigned)c, (int)d);
    }
}

/* a Chinese sentence's full stop: after Han text, not inside numbers, URLs or Latin words */
/* Normalize src (three Chinese paragraphs, each with its English line) and compare the Chinese. */
static void assert_normalized(const char *src, const char *a, const char *b, const char *c)
{
    pb_doc *doc = parse_ok(src);
    pb_changes ch = {0};
    assert_int_equal(pb_normalize_doc(doc, NULL, &ch), PB_OK);
    assert_text(&doc->blocks[0], a);
    assert_text(&doc->blocks[2], b);
    assert_text(&doc->blocks[4], c);
    pb_normalize_free_changes(&ch);
    pb_corpus_free(doc);
}

static void test_sentence_stop(void **state)
{
    (void)state;
    pb_doc *doc = parse_ok("收取0.10元.離開30分鐘的,座位釋放.見 www.example.org.特此通知.\nx\n");
    pb_changes ch = {0};
    assert_int_equal(pb_normalize_doc(doc, NULL, &ch), PB_OK);
    assert_text(&doc->blocks[0], "收取0.10元。離開30分鐘的，座位釋放。見 www.example.org.特此通知。");
    assert_int_equal(ch.n, 4);
    assert_change(&ch.items[0], 1, 8, '.', 0x3002);
    pb_normalize_free_changes(&ch);
    pb_corpus_free(doc);
    /* before a closing quote typed straight, and a range between years typed --; an elided
     * year is an apostrophe, unless a quote closes it: '80后' */
    assert_normalized("他說:\"就跑了出去.\"又說:'好吧.'展期1923--1998年--完\nx\n"
                      "款:「繼春 '62」,在'80年代\nx\n他們是'80后'的一代\ny\n",
                      "他說：“就跑了出去。”又說：‘好吧。’展期1923—1998年——完",
                      "款：「繼春 ’62」，在’80年代", "他們是‘80后’的一代");
}

/* a pair of parentheses glued to a Latin token stays ASCII: a phone number, f(x) */
static void test_token_parens(void **state)
{
    (void)state;
    pb_doc *doc = parse_ok("請致電(02)2345-6789或見函數f(x)與(附件)\nx\n");
    pb_changes ch = {0};
    assert_int_equal(pb_normalize_doc(doc, NULL, &ch), PB_OK);
    assert_text(&doc->blocks[0], "請致電(02)2345-6789或見函數f(x)與（附件）");
    assert_int_equal(ch.n, 2);
    pb_normalize_free_changes(&ch);
    pb_corpus_free(doc);
    /* an area code before its number's space stays ASCII (review 5: "（02） 2712" showed a
     * hole); a year in parentheses does not, nor a pair with a space and a word after it */
    doc = parse_ok("訂位專線：(02) 2712-3456，明代(1617)，見(1) 表\nx\n");
    ch = (pb_changes){0};
    assert_int_equal(pb_normalize_doc(doc, NULL, &ch), PB_OK);
    assert_text(&doc->blocks[0], "訂位專線：(02) 2712-3456，明代（1617），見（1） 表");
    pb_normalize_free_changes(&ch);
    pb_corpus_free(doc);
    /* a statute citation's parts stay as typed, and an accounting negative stays a figure
     * (review 11: "105A(1)（b）條", "同比下降（8.4%）"); a year or an aside still converts */
    doc = parse_ok("依第105A(1)(b)條，同比下降(8.4%)，净额为(1,256.4)万元，亏损(-3.2)亿，"
                   "明代(1617)，見(附件)\nx\n");
    ch = (pb_changes){0};
    assert_int_equal(pb_normalize_doc(doc, NULL, &ch), PB_OK);
    assert_text(&doc->blocks[0], "依第105A(1)(b)條，同比下降(8.4%)，净额为(1,256.4)万元，"
                                 "亏损(-3.2)亿，明代（1617），見（附件）");
    pb_normalize_free_changes(&ch);
    pb_corpus_free(doc);
    /* a chemical name's stereodescriptor or locant, glued by a hyphen to the rest of the name,
     * stays ASCII (IUPAC; review 12 A3: "（Z）-11-十六碳烯醛"); an aside before a hyphen of
     * Chinese text still converts */
    doc = parse_ok("如(Z)-11-十六碳烯醛、(E)-8-十二碳烯乙酸酯、(2E,4Z)-癸二烯酸、(±)-乳酸和(注)-见下\nx\n");
    ch = (pb_changes){0};
    assert_int_equal(pb_normalize_doc(doc, NULL, &ch), PB_OK);
    assert_text(&doc->blocks[0], "如(Z)-11-十六碳烯醛、(E)-8-十二碳烯乙酸酯、(2E,4Z)-癸二烯酸、"
                                 "(±)-乳酸和（注）-见下");
    pb_normalize_free_changes(&ch);
    pb_corpus_free(doc);
}

static void assert_change_text(const pb_change *c, int line, int col, pb_change_kind kind,
                               const char *before, const char *after)
{
    char b[16] = {0}, a[16] = {0};
    size_t k = 0;
    for (size_t i = 0; i < c->n_before; i++)
        k += pb_uchar_encode(c->before[i], b + k);
    k = 0;
    for (size_t i = 0; i < c->n_after; i++)
        k += pb_uchar_encode(c->after[i], a + k);
    assert_int_equal(c->line, line);
    assert_int_equal(c->col, col);
    assert_int_equal(c->kind, kind);
    assert_string_equal(b, before);
    assert_string_equal(a, after);
}

/* English: quotes and apostrophes by context, -- and --- dashes, ... an ellipsis; columns and
 * annotations and links stay right when the text gets shorter */
static void test_smart_english(void **state)
{
    (void)state;
    pb_doc *doc = parse_ok("標題\nTitle\n中文\n\"Museum Night\" -- it's the '90s' 'best' talk... "
                           "9--5, wait---no; see https://x.example.org/a--b...c\n");
    pb_changes ch = {0};
    assert_int_equal(pb_normalize_doc(doc, NULL, &ch), PB_OK);
    const pb_block *b = &doc->blocks[3];
    assert_text(b, "\u201CMuseum Night\u201D \u2013 it\u2019s the \u201990s\u2019 \u2018best\u2019 "
                   "talk\u2026 9\u20135, wait\u2014no; see https://x.example.org/a--b...c");
    assert_int_equal(ch.n, 11);
    assert_change_text(&ch.items[0], 4, 1, PB_CHANGE_QUOTE, "\"", "\u201C");
    assert_change_text(&ch.items[2], 4, 16, PB_CHANGE_DASH, "--", "\u2013");
    assert_change_text(&ch.items[8], 4, 45, PB_CHANGE_ELLIPSIS, "...", "\u2026");
    assert_change_text(&ch.items[10], 4, 59, PB_CHANGE_DASH, "---", "\u2014");
    /* the columns of what follows a shortened piece are still source columns */
    assert_int_equal(b->col[16], 18); /* the space after "--" (columns 16-17) */
    assert_int_equal(b->n_links, 1);
    assert_int_equal(b->links[0].end, b->len);
    assert_int_equal(b->text[b->links[0].start], 'h');
    pb_normalize_free_changes(&ch);
    pb_corpus_free(doc);
    /* 'tis, 'twas and 'em are apostrophes where a quote would open (review 7: ‘tis); a word
     * that only begins so ('time', 'emu') is quoted */
    doc = parse_ok("標題\nTitle\n中文\n'Tis said 'twas so; let 'em go, 'time' and 'emu'.\n");
    pb_changes ch3 = {0};
    assert_int_equal(pb_normalize_doc(doc, NULL, &ch3), PB_OK);
    assert_text(&doc->blocks[3], "\u2019Tis said \u2019twas so; let \u2019em go, \u2018time\u2019 "
                                 "and \u2018emu\u2019.");
    pb_normalize_free_changes(&ch3);
    pb_corpus_free(doc);
    /* no dash or ellipsis made of characters half in a link, half out (a fuzz finding) */
    doc = parse_ok("標題\nTitle\n中文\nA -[-](https://x.org) and .[..](https://y.org) end\n");
    pb_changes ch2 = {0};
    assert_int_equal(pb_normalize_doc(doc, NULL, &ch2), PB_OK);
    b = &doc->blocks[3];
    assert_text(b, "A -- and ... end");
    assert_int_equal(ch2.n, 0);
    assert_int_equal(b->n_links, 2);
    for (size_t l = 0; l < b->n_links; l++)
        for (size_t k = b->links[l].start; k < b->links[l].end; k++)
            assert_true(b->marks[k] & PB_MARK_LINK);
    pb_normalize_free_changes(&ch2);
    pb_corpus_free(doc);
}

/* Full-width marks typed into English (an input method left on) become ASCII, with the space
 * English sets after (or before) them, listed as changes; one beside Han text is the Chinese
 * it quotes, and a bracket pair goes together (人工智慧（AI）keeps both); without smart
 * punctuation, nothing. */
static void test_halfwidth_english(void **state)
{
    (void)state;
    const char *src = "標題\nTitle\n中文\nAlgorithm\uFF1Aa finite\uFF0Cwell-defined list\u3002"
                      "Learning\uFF08ML\uFF09is AI\uFF1B see \u4EBA\u5DE5\u667A\u6167\uFF08AI\uFF09.\n";
    pb_doc *doc = parse_ok(src);
    pb_changes ch = {0};
    assert_int_equal(pb_normalize_doc(doc, NULL, &ch), PB_OK);
    const pb_block *b = &doc->blocks[3];
    assert_text(b, "Algorithm: a finite, well-defined list. Learning (ML) is AI; see "
                   "\u4EBA\u5DE5\u667A\u6167\uFF08AI\uFF09.");
    assert_int_equal(ch.n, 6);
    assert_change_text(&ch.items[0], 4, 10, PB_CHANGE_HALFWIDTH, "\uFF1A", ": ");
    assert_change_text(&ch.items[2], 4, 37, PB_CHANGE_HALFWIDTH, "\u3002", ". ");
    assert_change_text(&ch.items[3], 4, 46, PB_CHANGE_HALFWIDTH, "\uFF08", " (");
    /* the space has its mark's column; what follows keeps its own */
    assert_int_equal(b->col[9], 10);
    assert_int_equal(b->col[10], 10);
    assert_int_equal(b->col[11], 11);
    pb_normalize_free_changes(&ch);
    pb_corpus_free(doc);
    doc = parse_ok(src);
    pb_normalize_opts plain = {0, PB_QUOTES_ZH_CURLY};
    assert_int_equal(pb_normalize_doc(doc, &plain, NULL), PB_OK);
    assert_int_equal(doc->blocks[3].text[9], 0xFF1A);
    pb_corpus_free(doc);
}

/* A run of spaces is one space (a table typed with spaces, review H4), listed once at its first
 * space with how many it was; columns, links and annotations stay right; a no-break or an
 * ideographic space is kept. */
static void test_space_runs(void **state)
{
    (void)state;
    pb_doc *doc = parse_tables("標題\nTitle\n編號      名稱\u3000\u3000國(guó)\n"
                               "No.  Title            see https://x.example.org/a \u00A0\u00A0 end\n",
                               1); /* the English line's runs (the Chinese has one) */
    pb_changes ch = {0};
    assert_int_equal(pb_normalize_doc(doc, NULL, &ch), PB_OK);
    const pb_block *zh = &doc->blocks[2], *en = &doc->blocks[3];
    assert_text(zh, "編號 名稱\u3000\u3000國");
    assert_int_equal(zh->annots[0].base, 7);
    assert_int_equal(zh->col[3], 9); /* 名: after six spaces at columns 3-8 */
    assert_text(en, "No. Title see https://x.example.org/a \u00A0\u00A0 end");
    assert_int_equal(en->col[4], 6);
    assert_int_equal(en->col[10], 23);
    assert_int_equal(en->n_links, 1);
    assert_int_equal(en->text[en->links[0].start], 'h');
    assert_int_equal(en->text[en->links[0].end - 1], 'a');
    assert_int_equal(ch.n, 3);
    assert_change_text(&ch.items[0], 3, 3, PB_CHANGE_SPACES, "   ", " ");
    assert_int_equal(ch.items[0].run, 6);
    assert_change_text(&ch.items[1], 4, 4, PB_CHANGE_SPACES, "  ", " ");
    assert_int_equal(ch.items[1].run, 2);
    assert_change_text(&ch.items[2], 4, 11, PB_CHANGE_SPACES, "   ", " ");
    assert_int_equal(ch.items[2].run, 12);
    pb_normalize_free_changes(&ch);
    pb_corpus_free(doc);
    /* spaces at a block's edge once a dropped mark is gone are trimmed, not listed (a fuzz
     * finding: the change named a column the text no longer has) */
    doc = parse_ok("標題\nTitle\n中文\n\u200E  four  five \u200E\n");
    pb_changes ch2 = {0};
    assert_int_equal(pb_normalize_doc(doc, NULL, &ch2), PB_OK);
    assert_text(&doc->blocks[3], "four five");
    size_t spaces = 0;
    for (size_t i = 0; i < ch2.n; i++)
        spaces += ch2.items[i].kind == PB_CHANGE_SPACES;
    assert_int_equal(spaces, 1); /* the one between four and five */
    pb_normalize_free_changes(&ch2);
    pb_corpus_free(doc);
}

/* In a {left}, {right} or {center} block a run of spaces sets fields apart (a sign-off typed
 * "Date: 8 January 2027    Place: Shanghai", review 7): an em space, listed as such, not one
 * word space that runs the fields into a sentence; in a paragraph it is one space still. */
static void test_field_gaps(void **state)
{
    (void)state;
    pb_doc *doc = parse_ok("標題\nTitle\n簽訂日期：2027年1月8日　　簽訂地點：上海 {left}\n"
                           "Date: 8 January 2027    Place: Shanghai {left}\n中文。\nOne    two.\n");
    pb_changes ch = {0};
    assert_int_equal(pb_normalize_doc(doc, NULL, &ch), PB_OK);
    assert_text(&doc->blocks[3], "Date: 8 January 2027\u2003Place: Shanghai");
    assert_text(&doc->blocks[5], "One two.");
    assert_int_equal(ch.n, 2);
    assert_change_text(&ch.items[0], 4, 21, PB_CHANGE_SPACES, "   ", "\u2003");
    assert_change_text(&ch.items[1], 6, 4, PB_CHANGE_SPACES, "   ", " ");
    pb_normalize_free_changes(&ch);
    pb_corpus_free(doc);
}

/* A list item of labelled fields typed apart with runs of spaces (a schedule's entry, review 13
 * B3: ten "table" warnings, the fields run together with one space): each run a field gap, as
 * in a {left} line, and no table; a list item whose runs open no label is still a table's row,
 * and a label after one space only is prose. */
static void test_list_fields(void **state)
{
    (void)state;
    pb_doc *doc = parse_ok("標題\nTitle\n- 10:30　開幕禮　講者：陳教授　地點：S421\n"
                           "- 10:30 Opening  Speaker: Prof. Chan (HKU)  Venue: Room S421\n"
                           "- 11:00　講座　地點：S423　免費\n"
                           "- 11:00 Talk  Venue: S423  Admission free\n");
    pb_changes ch = {0};
    assert_int_equal(pb_normalize_doc(doc, NULL, &ch), PB_OK);
    assert_true(doc->blocks[3].flags & PB_BLOCK_FIELDS);
    assert_false(doc->blocks[2].flags & PB_BLOCK_FIELDS); /* no run of spaces: nothing to do */
    assert_text(&doc->blocks[3], "10:30 Opening\u2003Speaker: Prof. Chan (HKU)\u2003Venue: Room S421");
    assert_text(&doc->blocks[5], "11:00 Talk\u2003Venue: S423\u2003Admission free");
    assert_int_equal(ch.n, 4);
    assert_change_text(&ch.items[0], 4, 16, PB_CHANGE_SPACES, "  ", "\u2003");
    pb_normalize_free_changes(&ch);
    pb_corpus_free(doc);
    /* runs before no label: a table's row, as before; a label after one space: prose */
    pb_corpus_free(parse_tables("標題\nTitle\n- 甲　乙　丙\n- Apples  Pears  Plums\n", 1));
    pb_corpus_free(parse_tables("標題\nTitle\n- 甲　乙　丙\n- The note: one  two  three\n", 1));
}

/* Two ideographic spaces typed as a paragraph's indent ("　　第一条…", as government files are
 * typed): dropped, since the layout indents the paragraph, and listed with the other changes
 * (review 13 C8: dropped silently); spaces typed at an English line's start are not listed. */
static void test_typed_indent(void **state)
{
    (void)state;
    pb_doc *doc = parse_ok("標題\nTitle\n\u3000\u3000第一條　為保障公共數據安全，制定本辦法。\n"
                           "Article 1 These Measures are made to secure public data.\n");
    pb_changes ch = {0};
    assert_int_equal(pb_normalize_doc(doc, NULL, &ch), PB_OK);
    assert_text(&doc->blocks[2], "第一條　為保障公共數據安全，制定本辦法。");
    assert_int_equal(ch.n, 1);
    assert_change_text(&ch.items[0], 3, 1, PB_CHANGE_INDENT, "\u3000\u3000", "");
    assert_int_equal(ch.items[0].run, 2);
    pb_normalize_free_changes(&ch);
    pb_corpus_free(doc);
}

/* The spaces a word processor pastes (U+2000-U+200A, U+202F, U+205F: review 12 C5), each listed
 * by its place: dropped between Chinese characters and at an edge; the em space of a field gap
 * in a {left} line; a U+202F in a number and before its unit; kept beside a mark; a word space
 * between words, none beside a word space the text has; U+00A0 for a no-break one; the
 * ideographic space untouched. */
static void test_unicode_spaces(void **state)
{
    (void)state;
    pb_doc *doc = parse_ok("標題\nTitle\n第一條\u3000總\u2003則\u2009\n"
                           "Art.\u2002 1 \u00ab\u202Fmot\u202F\u00bb 5\u2009kg a\u205Fb c\u2007d\n"
                           "簽訂日期：2027年1月8日\u2002簽訂地點：上海 {left}\n"
                           "Date: 8 January\u2001Place: Shanghai {left}\n");
    pb_changes ch = {0};
    assert_int_equal(pb_normalize_doc(doc, NULL, &ch), PB_OK);
    assert_text(&doc->blocks[2], "第一條\u3000總則");
    assert_text(&doc->blocks[3], "Art. 1 \u00ab\u202Fmot\u202F\u00bb 5\u202Fkg a b c\u00A0d");
    assert_text(&doc->blocks[4], "簽訂日期：2027年1月8日\u2003簽訂地點：上海");
    assert_text(&doc->blocks[5], "Date: 8 January\u2003Place: Shanghai");
    assert_int_equal(ch.n_invisibles, 10);
    assert_invisible(&ch.invisibles[0], 3, 6, 0x2003, PB_INVISIBLE_DROPPED);
    assert_invisible(&ch.invisibles[1], 3, 8, 0x2009, PB_INVISIBLE_DROPPED);
    assert_invisible(&ch.invisibles[2], 4, 5, 0x2002, PB_INVISIBLE_DROPPED); /* beside a space */
    assert_invisible(&ch.invisibles[3], 4, 10, 0x202F, PB_INVISIBLE_KEPT);
    assert_invisible(&ch.invisibles[4], 4, 14, 0x202F, PB_INVISIBLE_KEPT);
    assert_invisible(&ch.invisibles[5], 4, 18, 0x2009, PB_INVISIBLE_REPLACED);
    assert_int_equal(ch.invisibles[5].replacement, 0x202F);
    assert_invisible(&ch.invisibles[6], 4, 23, 0x205F, PB_INVISIBLE_REPLACED);
    assert_int_equal(ch.invisibles[6].replacement, ' ');
    assert_invisible(&ch.invisibles[7], 4, 27, 0x2007, PB_INVISIBLE_REPLACED);
    assert_int_equal(ch.invisibles[7].replacement, 0x00A0);
    assert_invisible(&ch.invisibles[8], 5, 15, 0x2002, PB_INVISIBLE_REPLACED);
    assert_int_equal(ch.invisibles[8].replacement, 0x2003);
    assert_invisible(&ch.invisibles[9], 6, 16, 0x2001, PB_INVISIBLE_REPLACED);
    assert_int_equal(ch.invisibles[9].replacement, 0x2003);
    pb_normalize_free_changes(&ch);
    pb_corpus_free(doc);
}

/* A TAB is read as a space (corpus.c); each run of white space with a TAB in it is one change
 * naming the characters as typed, a TAB alone too (review R13: a run of two TABs was listed as
 * U+0020 U+0020, single TABs not at all); TABs at a block's edge are trimmed, not listed. */
static void test_tab_runs(void **state)
{
    (void)state;
    pb_doc *doc = parse_tables("標題\nTitle\n09:30\t通過紀要\t\t（王）\n"
                               "\t09:30\t\tApproval \t of the minutes\t\n",
                               2); /* minutes typed as a table: both lines */
    pb_changes ch = {0};
    assert_int_equal(pb_normalize_doc(doc, NULL, &ch), PB_OK);
    assert_text(&doc->blocks[2], "09:30 通過紀要 （王）");
    assert_text(&doc->blocks[3], "09:30 Approval of the minutes");
    assert_int_equal(ch.n, 4);
    assert_change_text(&ch.items[0], 3, 6, PB_CHANGE_SPACES, "\t", " ");
    assert_int_equal(ch.items[0].run, 1);
    assert_change_text(&ch.items[1], 3, 11, PB_CHANGE_SPACES, "\t\t", " ");
    assert_int_equal(ch.items[1].run, 2);
    assert_change_text(&ch.items[2], 4, 7, PB_CHANGE_SPACES, "\t\t", " ");
    assert_change_text(&ch.items[3], 4, 17, PB_CHANGE_SPACES, " \t ", " ");
    pb_normalize_free_changes(&ch);
    pb_corpus_free(doc);
}

/* A space typed between two full-width marks of Chinese text is dropped and listed: the marks'
 * blanks are the white between them, half an em once they meet (review 10: "」 (1959)" kept
 * 1.26 em); an ASCII parenthesis after such a space takes the mark's Han context. A space
 * beside an ideograph stays, and an English line keeps its spaces (they are the English's). */
static void test_space_between_marks(void **state)
{
    (void)state;
    pb_doc *doc = parse_ok("他寫過《茶館》 (1957)和「龍鬚溝」 (1951)。話劇（三幕） 「茶館」。結尾。 "
                           "（註）見「上文」 \"引文\"。通過紀要 （王）。 下 「茶館」 (1957)\n"
                           "He wrote 「茶館」 (1957) and \"Teahouse\" (1957).\n"
                           "他说：“好” （笑）。 “对”\nHe laughed.\n");
    pb_changes ch = {0};
    assert_int_equal(pb_normalize_doc(doc, NULL, &ch), PB_OK);
    assert_text(&doc->blocks[0], "他寫過《茶館》（1957）和「龍鬚溝」（1951）。話劇（三幕）「茶館」。結尾。"
                                 "（註）見「上文」\u201C引文\u201D。通過紀要 （王）。 下 「茶館」（1957）");
    assert_text(&doc->blocks[1], "He wrote 「茶館」 (1957) and \u201CTeahouse\u201D (1957).");
    assert_text(&doc->blocks[2], "他说：“好”（笑）。“对”");
    size_t n = 0;
    const pb_change *first = NULL;
    for (size_t i = 0; i < ch.n; i++)
        if (ch.items[i].kind == PB_CHANGE_MARK_SPACE) {
            first = first ? first : &ch.items[i];
            n++;
        }
    assert_int_equal(n, 8);
    assert_non_null(first);
    assert_change_text(first, 1, 8, PB_CHANGE_MARK_SPACE, " ", "");
    pb_normalize_free_changes(&ch);
    pb_corpus_free(doc);
}

/* Chinese: straight quotes alternate; the layout's corner brackets; -- and ... doubled */
static void test_smart_chinese(void **state)
{
    (void)state;
    static const char text[] = "須通過\"座位預約\"小(xiǎo)程序--或者\u201C櫃台\u201D...Lin's說'好'\nx\n";
    pb_doc *doc = parse_ok(text);
    pb_changes ch = {0};
    assert_int_equal(pb_normalize_doc(doc, NULL, &ch), PB_OK);
    assert_text(&doc->blocks[0], "須通過\u201C座位預約\u201D小程序\u2014\u2014或者\u201C櫃台\u201D"
                                 "\u2026\u2026Lin\u2019s說\u2018好\u2019");
    assert_int_equal(doc->blocks[0].n_annots, 1);
    assert_int_equal(doc->blocks[0].text[doc->blocks[0].annots[0].base], 0x5C0F); /* 小 */
    pb_normalize_free_changes(&ch);
    pb_corpus_free(doc);

    doc = parse_ok(text);
    pb_normalize_opts corner = {1, PB_QUOTES_ZH_CORNER};
    assert_int_equal(pb_normalize_doc(doc, &corner, &ch), PB_OK);
    assert_text(&doc->blocks[0], "須通過「座位預約」小程序\u2014\u2014或者「櫃台」"
                                 "\u2026\u2026Lin\u2019s說『好』");
    pb_normalize_free_changes(&ch);
    pb_corpus_free(doc);

    /* smart punctuation off: only the full-width rule */
    doc = parse_ok("他說\"好\"--再見...\n\"OK\" -- bye...\n");
    pb_normalize_opts off = {0, PB_QUOTES_ZH_CURLY};
    assert_int_equal(pb_normalize_doc(doc, &off, &ch), PB_OK);
    assert_int_equal(ch.n, 0);
    assert_text(&doc->blocks[1], "\"OK\" -- bye...");
    pb_normalize_free_changes(&ch);
    pb_corpus_free(doc);
}

/* An odd number of straight double (or single) quotes in a Chinese paragraph: alternating would turn the
 * later pair inside out (說”真奇怪“, review 7); each is set by its place after the fault, and
 * the one left unmatched is a warning at its column. An English quotation left open too. */
static char *normalize_messages(pb_doc *doc, pb_changes *ch)
{
    char *msg = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&msg, &len);
    assert_non_null(f);
    pb_diag_set_sink(f);
    assert_int_equal(pb_normalize_doc(doc, NULL, ch), PB_OK);
    pb_diag_set_sink(NULL);
    fclose(f);
    return msg;
}

static void test_unbalanced_quotes(void **state)
{
    (void)state;
    static const char text[] = "他說\"我們明天見。大家都說\"真奇怪\"。\n"
                               "He said \"see you. Everyone said \"how strange\".\n";
    pb_doc *doc = parse_ok(text);
    pb_changes ch = {0};
    char *msg = normalize_messages(doc, &ch);
    assert_text(&doc->blocks[0], "他說\u201C我們明天見。大家都說\u201C真奇怪\u201D。");
    assert_text(&doc->blocks[1], "He said \u201Csee you. Everyone said \u201Chow strange\u201D.");
    assert_non_null(strstr(msg, "t.txt:1:3: warning: unbalanced quotation marks: this \" opens a "
                                "quotation that no \" closes (another opens at column 14)"));
    assert_non_null(strstr(msg, "t.txt:2:9: warning: unbalanced quotation marks: this \" opens"));
    free(msg);
    pb_normalize_free_changes(&ch);
    pb_corpus_free(doc);

    /* a closing quote with no opening one (odd count); pairs by turns are quiet */
    doc = parse_ok("大家都說真奇怪\"。他說\"好\"。\nThey said \"fine\".\n");
    msg = normalize_messages(doc, &ch);
    assert_text(&doc->blocks[0], "大家都說真奇怪\u201D。他說\u201C好\u201D。");
    assert_non_null(strstr(msg, "t.txt:1:8: warning: unbalanced quotation marks: this \" closes"));
    assert_null(strstr(msg, ":2:"));
    free(msg);
    pb_normalize_free_changes(&ch);
    pb_corpus_free(doc);

    /* single quotes in Chinese alike (by turns they gave 說’真奇怪‘); an apostrophe (繼春 ’62)
     * is not counted, and a paragraph of pairs is quiet */
    doc = parse_ok("他說'我們明天見。大家都說'真奇怪'。\nHe said.\n他說'好'，繼春'62。\nHe said.\n");
    msg = normalize_messages(doc, &ch);
    assert_text(&doc->blocks[0], "他說\u2018我們明天見。大家都說\u2018真奇怪\u2019。");
    assert_non_null(strstr(msg, "t.txt:1:3: warning: unbalanced quotation marks: this ' opens a "
                                "quotation that no ' closes (another opens at column 14)"));
    assert_null(strstr(msg, "t.txt:3:"));
    assert_text(&doc->blocks[2], "他說\u2018好\u2019，繼春\u201962。");
    free(msg);
    pb_normalize_free_changes(&ch);
    pb_corpus_free(doc);

    /* Chinese words quoted in an English line (review 10: "人" gave “人“ and a false warning):
     * a quote after Han text closes before a space or a mark, and by turns before more text */
    doc = parse_ok("標題\nTitle\n中文\nThe word \"人\" means person; \"看月光\" and \"望山月\"; "
                   "the \"人\"-form, '道' and \"人\"字 are glossed in this English sentence.\n");
    msg = normalize_messages(doc, &ch);
    assert_text(&doc->blocks[3], "The word \u201C人\u201D means person; \u201C看月光\u201D and "
                                 "\u201C望山月\u201D; the \u201C人\u201D-form, \u2018道\u2019 and "
                                 "\u201C人\u201D字 are glossed in this English sentence.");
    assert_null(strstr(msg, "warning"));
    free(msg);
    pb_normalize_free_changes(&ch);
    pb_corpus_free(doc);
}

/* Brackets and quotes left open, closed twice or crossing (review 9): a warning at the mark,
 * each pair in either language; an apostrophe, a list's "1)" and an area code are none */
static void test_unbalanced_brackets(void **state)
{
    (void)state;
    static const char text[] = "（包括原始數據、衍生數據（含模型參數，是指……\n"
                               "He said \"this is 'nested\" quotes' (see [1].\n"
                               "「這是『嵌套」引號』，《數據安全法及其他。\n"
                               "1) It's the students' \u2018rock\u2019s\u2019 era (a) b) [c].\n"
                               "一）見（附件）和f(x)、專線：(02) 2712-3456。\n"
                               "2) Closed ) twice, [and 'tis fine.\n";
    pb_doc *doc = parse_ok(text);
    pb_changes ch = {0};
    char *msg = normalize_messages(doc, &ch);
    assert_non_null(strstr(msg, "t.txt:1:1: warning: unbalanced brackets: this （ opens a "
                                "bracket that no ） closes before the paragraph ends"));
    assert_non_null(strstr(msg, "t.txt:1:13: warning: unbalanced brackets: this （"));
    assert_non_null(strstr(msg, "t.txt:2:25: warning: brackets cross: this \u201D closes the "
                                "\u201C at column 9 while the \u2018 opened at column 18 inside it "
                                "is still open"));
    assert_non_null(strstr(msg, "t.txt:2:35: warning: unbalanced brackets: this ( opens"));
    assert_non_null(strstr(msg, "t.txt:6:20: warning: unbalanced brackets: this [ opens"));
    assert_non_null(strstr(msg, "t.txt:3:7: warning: brackets cross: this 」 closes the 「 at "
                                "column 1 while the 『 opened at column 4 inside it is still open"));
    assert_non_null(strstr(msg, "t.txt:3:12: warning: unbalanced brackets: this 《 opens"));
    assert_non_null(strstr(msg, "t.txt:6:11: warning: unbalanced brackets: this ) closes a "
                                "bracket that no ( opens"));
    assert_null(strstr(msg, "t.txt:4:"));
    assert_null(strstr(msg, "t.txt:5:"));
    int n = 0;
    for (const char *p = msg; (p = strstr(p, "t.txt:")) != NULL; p++)
        n++;
    assert_int_equal(n, 8);
    free(msg);
    pb_normalize_free_changes(&ch);
    pb_corpus_free(doc);

    /* 28 stray brackets after a list's x): BRACKET_WARN_MAX (20) told, the rest counted */
    doc = parse_ok("（略）\nx)))))))))))))))))))))))))))))\n");
    msg = normalize_messages(doc, &ch);
    n = 0;
    for (const char *p = msg; (p = strstr(p, "t.txt:2:")) != NULL; p++)
        n++;
    assert_int_equal(n, 21);
    assert_non_null(strstr(msg, "t.txt:2:1: warning: unbalanced brackets: 8 more in this "
                                "paragraph, not listed"));
    free(msg);
    pb_normalize_free_changes(&ch);
    pb_corpus_free(doc);
}

/* Compatibility ligatures pasted from a PDF (U+FB00-FB06) become their letters, each listed
 * (review 9: "ﬁle" was set and extracted as U+FB01, so a search for "file" failed). Look-alike
 * ideographs too (review 10): a Kangxi radical (U+2F08 ⼈) or a supplement radical with a
 * decomposition (U+2EF3 ⻳) becomes its unified ideograph, a compatibility ideograph (U+F900 豈)
 * its unified one, each listed; a supplement radical with none (U+2E8C ⺌) is kept, with a
 * warning; U+FA0E 﨎, a unified ideograph in that block, is kept quietly */
static void test_ligatures(void **state)
{
    (void)state;
    pb_doc *doc = parse_ok("文件ﬁle。\nThe ﬁle's ﬂow, an oﬃce, ﬀ ﬄ ﬅ ﬆ.\n"
                           "\u2F08們和\u2EF3與\uF900、\u2E8C、\uFA0E。\nPeople.\n");
    pb_changes ch = {0};
    char *msg = normalize_messages(doc, &ch);
    assert_text(&doc->blocks[0], "文件file。");
    assert_text(&doc->blocks[1], "The file\u2019s flow, an office, ff ffl st st.");
    assert_change_text(&ch.items[0], 1, 3, PB_CHANGE_LIGATURE, "ﬁ", "fi");
    assert_change_text(&ch.items[1], 2, 5, PB_CHANGE_LIGATURE, "ﬁ", "fi");
    assert_change_text(&ch.items[4], 2, 20, PB_CHANGE_LIGATURE, "ﬃ", "ffi");
    assert_int_equal(doc->blocks[1].col[6], 6); /* l of "file", after the two letters of ﬁ */
    assert_text(&doc->blocks[2], "人們和\u9F9F與\u8C48、\u2E8C、\uFA0E。");
    assert_change_text(&ch.items[ch.n - 3], 3, 1, PB_CHANGE_RADICAL, "\u2F08", "人");
    assert_change_text(&ch.items[ch.n - 2], 3, 4, PB_CHANGE_RADICAL, "\u2EF3", "\u9F9F");
    assert_change_text(&ch.items[ch.n - 1], 3, 6, PB_CHANGE_COMPAT_IDEOGRAPH, "\uF900", "\u8C48");
    assert_string_equal(msg, "t.txt:3:8: warning: U+2E8C CJK RADICAL SMALL ONE is a radical with "
                             "no unified ideograph (a component's form, not a character of text, "
                             "as pasted from a PDF): it is set as it stands and a search for the "
                             "character misses it; replace it with the character meant\n");
    free(msg);
    pb_normalize_free_changes(&ch);
    pb_corpus_free(doc);
}

/* Vertical presentation forms in horizontal text: their horizontal forms (NFKC), full-width in
 * Chinese, ︰ the colon; the sesame dot, with none, kept with a warning (review 7) */
static void test_vertical_forms(void **state)
{
    (void)state;
    pb_doc *doc = parse_ok("說明︰標點︵括號︶和﹁引號﹂﹅。\nNote︰ the brackets of ︵b︶ are set flat.\n");
    pb_changes ch = {0};
    char *msg = normalize_messages(doc, &ch);
    assert_text(&doc->blocks[0], "說明：標點（括號）和「引號」\uFE45。");
    assert_text(&doc->blocks[1], "Note: the brackets of (b) are set flat.");
    assert_change_text(&ch.items[0], 1, 3, PB_CHANGE_VERTICAL, "︰", "：");
    assert_non_null(strstr(msg, "t.txt:1:15: warning: U+FE45 SESAME DOT is a vertical form"));
    free(msg);
    pb_normalize_free_changes(&ch);
    pb_corpus_free(doc);
}

/* rock 'n' roll: an n quoted between two words is "and" elided, ’n’, in both languages; the
 * Chinese quotes after it still pair (review 6); a quoted letter at a sentence's end, or after
 * "the letter", is quoted */
static void test_elided_and(void **state)
{
    (void)state;
    static const char text[] = "搖滾樂（rock 'n' roll）是'新'音樂\n"
                               "Rock 'n' roll and fish 'N' chips are 'new'; the letter 'n'. The "
                               "letter 'n' is a nasal; write an 'n' here.\n";
    pb_doc *doc = parse_ok(text);
    pb_changes ch = {0};
    assert_int_equal(pb_normalize_doc(doc, NULL, &ch), PB_OK);
    assert_text(&doc->blocks[0], "搖滾樂（rock \u2019n\u2019 roll）是\u2018新\u2019音樂");
    assert_text(&doc->blocks[1], "Rock \u2019n\u2019 roll and fish \u2019N\u2019 chips are "
                                 "\u2018new\u2019; the letter \u2018n\u2019. The letter "
                                 "\u2018n\u2019 is a nasal; write an \u2018n\u2019 here.");
    assert_change_text(&ch.items[0], 1, 10, PB_CHANGE_QUOTE, "'n'", "\u2019n\u2019");
    pb_normalize_free_changes(&ch);
    pb_corpus_free(doc);

    doc = parse_ok(text);
    pb_normalize_opts corner = {1, PB_QUOTES_ZH_CORNER};
    assert_int_equal(pb_normalize_doc(doc, &corner, &ch), PB_OK);
    assert_text(&doc->blocks[0], "搖滾樂（rock \u2019n\u2019 roll）是『新』音樂");
    pb_normalize_free_changes(&ch);
    pb_corpus_free(doc);
}

/* ---- combining marks (UAX #15 stream-safe limit) ---- */

/* Normalize doc (then free it); its status, and its messages in *msg (NULL: none). */
static pb_status normalize_said(pb_doc *doc, char **msg)
{
    size_t len = 0;
    FILE *f = open_memstream(msg, &len);
    assert_non_null(f);
    pb_diag_set_sink(f);
    pb_status st = pb_normalize_doc(doc, NULL, NULL);
    pb_diag_set_sink(NULL);
    fclose(f);
    pb_corpus_free(doc);
    if (len == 0) {
        free(*msg);
        *msg = NULL;
    }
    return st;
}

/* "x" then the code points of marks (NUL-terminated list, each repeated its count) in an English
 * line after a Chinese one; normalize's status and its message (NULL: none). */
static pb_status marks_line(const uint32_t *cps, const int *counts, char **msg)
{
    char text[4096];
    size_t k = (size_t)snprintf(text, sizeof text, "中文\nx");
    for (size_t i = 0; cps[i]; i++)
        for (int n = 0; n < counts[i]; n++)
            k += pb_uchar_encode(cps[i], text + k);
    snprintf(text + k, sizeof text - k, " y\n");
    return normalize_said(parse_ok(text), msg);
}

#define ACUTE 0x0301u

static void test_marks_limit(void **state)
{
    (void)state;
    char *msg = NULL;
    assert_int_equal(marks_line((const uint32_t[]){ACUTE, 0}, (const int[]){30}, &msg), PB_OK);
    assert_null(msg);
    assert_int_equal(marks_line((const uint32_t[]){ACUTE, 0}, (const int[]){31}, &msg), PB_EINPUT);
    assert_non_null(msg);
    assert_true(strncmp(msg, "t.txt:2:32: error: more than 30 combining marks in a row", 56) == 0);
    free(msg);
    /* a new base starts a new row */
    assert_int_equal(marks_line((const uint32_t[]){ACUTE, 'y', ACUTE, 0}, (const int[]){30, 1, 30}, &msg), PB_OK);
    assert_null(msg);
}

/* U+034F COMBINING GRAPHEME JOINER, ZWNJ, ZWJ and variation selectors keep the marks on the
 * same base: 30 marks, one of them, one more mark is a row of 32 (refused at the joiner, the
 * 31st); 15 + joiner + 14 is a row of 30 (accepted). */
static void test_marks_across_joiners(void **state)
{
    (void)state;
    static const uint32_t joiners[] = {0x034F, 0x200C, 0x200D, 0xFE00, 0xFE0F};
    for (size_t j = 0; j < sizeof joiners / sizeof joiners[0]; j++) {
        char *msg = NULL;
        uint32_t cps[] = {ACUTE, joiners[j], ACUTE, 0};
        assert_int_equal(marks_line(cps, (const int[]){30, 1, 1}, &msg), PB_EINPUT);
        assert_non_null(msg);
        if (strncmp(msg, "t.txt:2:32: error: more than 30 combining marks", 47) != 0)
            print_error("U+%04X: %s", (unsigned)joiners[j], msg);
        assert_true(strncmp(msg, "t.txt:2:32: error: more than 30 combining marks", 47) == 0);
        free(msg);
        assert_int_equal(marks_line(cps, (const int[]){15, 1, 14}, &msg), PB_OK);
        assert_null(msg);
    }
}

/* A paragraph of PB_PARA_MAX_CODE_POINTS code points is set; one more is refused at its column,
 * pinyin annotations counted (they are in the source line). */
static void test_paragraph_limit(void **state)
{
    (void)state;
    size_t n = PB_PARA_MAX_CODE_POINTS;
    char *text = malloc(n + 64);
    assert_non_null(text);
    for (int extra = 0; extra <= 1; extra++) {
        size_t k = (size_t)sprintf(text, "中文\n");
        memset(text + k, 'a', n + (size_t)extra);
        k += n + (size_t)extra;
        strcpy(text + k, "\n");
        char *msg = NULL;
        pb_status st = normalize_said(parse_ok(text), &msg);
        if (extra == 0) {
            assert_int_equal(st, PB_OK);
            assert_null(msg);
        } else {
            assert_int_equal(st, PB_EINPUT);
            assert_true(strncmp(msg, "t.txt:2:2097153: error: paragraph longer than 2097152 code "
                                     "points", 64) == 0);
        }
        free(msg);
    }
    free(text);
    /* 國(guó) is six code points of the source line and one of the text */
    size_t units = n / 6 + 1;
    text = malloc(units * 9 + 16);
    assert_non_null(text);
    size_t k = 0;
    for (size_t u = 0; u < units; u++)
        k += (size_t)sprintf(text + k, "國(guó)");
    strcpy(text + k, "\nx\n");
    pb_doc *doc = parse_ok(text);
    assert_true(doc->blocks[0].len == units && doc->blocks[0].n_annots == units);
    char *msg = NULL;
    assert_int_equal(normalize_said(doc, &msg), PB_EINPUT);
    assert_non_null(msg);
    free(msg);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_commas),
        cmocka_unit_test(test_english_untouched),
        cmocka_unit_test(test_all_marks),
        cmocka_unit_test(test_parens_and_latin),
        cmocka_unit_test(test_square_brackets),
        cmocka_unit_test(test_pairs_and_context),
        cmocka_unit_test(test_marks_inside_numbers),
        cmocka_unit_test(test_cols_after_annotations),
        cmocka_unit_test(test_invisibles),
        cmocka_unit_test(test_dropped_mark_moves_bases),
        cmocka_unit_test(test_right_to_left_refused),
        cmocka_unit_test(test_direction_shortcut),
        cmocka_unit_test(test_sentence_stop),
        cmocka_unit_test(test_token_parens),
        cmocka_unit_test(test_line_separator_listed),
        cmocka_unit_test(test_smart_english),
        cmocka_unit_test(test_halfwidth_english),
        cmocka_unit_test(test_elided_and),
        cmocka_unit_test(test_smart_chinese),
        cmocka_unit_test(test_unbalanced_quotes),
        cmocka_unit_test(test_unbalanced_brackets),
        cmocka_unit_test(test_ligatures),
        cmocka_unit_test(test_vertical_forms),
        cmocka_unit_test(test_space_runs),
        cmocka_unit_test(test_field_gaps),
        cmocka_unit_test(test_list_fields),
        cmocka_unit_test(test_typed_indent),
        cmocka_unit_test(test_tab_runs),
        cmocka_unit_test(test_unicode_spaces),
        cmocka_unit_test(test_space_between_marks),
        cmocka_unit_test(test_marks_limit),
        cmocka_unit_test(test_marks_across_joiners),
        cmocka_unit_test(test_paragraph_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
