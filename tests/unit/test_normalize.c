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

static pb_doc *parse_ok(const char *s)
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
    int quiet = len == 0;
    if (!quiet)
        print_error("unexpected: %s", msg);
    free(msg);
    assert_true(quiet);
    assert_int_equal(st, PB_OK);
    return doc;
}

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
    assert_int_equal(c->before, before);
    assert_int_equal(c->after, after);
}

/* ---- the seed ---- */

static void test_seed_commas(void **state)
{
    (void)state;
    pb_doc *doc = load_seed(), *orig = load_seed();
    pb_changes ch = {0};
    assert_int_equal(pb_normalize_doc(doc, &ch), PB_OK);
    assert_int_equal(ch.n, SEED_COMMAS);
    for (size_t i = 0; i < ch.n; i++) {
        assert_int_equal(ch.items[i].before, ',');
        assert_int_equal(ch.items[i].after, FW_COMMA);
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
    pb_doc *doc = parse_ok("中文標題\nHello, world (test): yes; no? ok! 中,文 (國)\n");
    pb_changes ch = {0};
    assert_int_equal(pb_normalize_doc(doc, &ch), PB_OK);
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
    assert_int_equal(pb_normalize_doc(doc, &ch), PB_OK);
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
    assert_int_equal(pb_normalize_doc(doc, &ch), PB_OK);
    assert_int_equal(ch.n, 3);
    assert_change(&ch.items[0], 1, 7, '(', FW_LPAREN);
    assert_change(&ch.items[1], 1, 10, ')', FW_RPAREN);
    assert_change(&ch.items[2], 1, 13, ',', FW_COMMA);
    assert_text(&doc->blocks[0], "發展人工智能（AI）技術，支持a,b和人工智能+行動");
    pb_normalize_free_changes(&ch);
    pb_corpus_free(doc);
}

/* a matched pair converts together; context may be CJK punctuation; curly quotes are not */
static void test_pairs_and_context(void **state)
{
    (void)state;
    pb_doc *doc = parse_ok("見附錄(see p.5).結束。,然後\u201C,\u201Dab) x(y\nx\n");
    pb_changes ch = {0};
    assert_int_equal(pb_normalize_doc(doc, &ch), PB_OK);
    assert_int_equal(ch.n, 3);
    assert_change(&ch.items[0], 1, 4, '(', FW_LPAREN);
    assert_change(&ch.items[1], 1, 12, ')', FW_RPAREN);
    assert_change(&ch.items[2], 1, 17, ',', FW_COMMA);
    assert_text(&doc->blocks[0], "見附錄（see p.5）.結束。，然後\u201C,\u201Dab) x(y");
    pb_normalize_free_changes(&ch);
    pb_corpus_free(doc);
}

/* positions are source columns, past lifted annotations; changes append to the list */
static void test_cols_after_annotations(void **state)
{
    (void)state;
    pb_doc *doc = parse_ok("標題\nTitle\n\n中國(guó),中方(fāng):好\nx\n");
    pb_changes ch = {0};
    assert_int_equal(pb_normalize_doc(doc, &ch), PB_OK);
    assert_int_equal(ch.n, 2);
    assert_change(&ch.items[0], 4, 8, ',', FW_COMMA);
    assert_change(&ch.items[1], 4, 17, ':', FW_COLON);
    assert_text(&doc->blocks[2], "中國，中方：好");
    assert_int_equal(doc->blocks[2].n_annots, 2);
    /* a second run finds nothing new and leaves the list as it was */
    assert_int_equal(pb_normalize_doc(doc, &ch), PB_OK);
    assert_int_equal(ch.n, 2);
    pb_normalize_free_changes(&ch);
    /* NULL change list is allowed */
    pb_corpus_free(doc);
    doc = parse_ok("中,文\nx\n");
    assert_int_equal(pb_normalize_doc(doc, NULL), PB_OK);
    assert_text(&doc->blocks[0], "中，文");
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
    pb_status st = pb_normalize_doc(doc, NULL);
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
        cmocka_unit_test(test_pairs_and_context),
        cmocka_unit_test(test_cols_after_annotations),
        cmocka_unit_test(test_marks_limit),
        cmocka_unit_test(test_marks_across_joiners),
        cmocka_unit_test(test_paragraph_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
