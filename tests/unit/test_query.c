/* Unit tests for query: Simplified forms in a Traditional text (and the reverse) found in
 * context at their source positions; punctuation and English never queried. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "query.h"

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
    assert_int_equal(pb_query_find(doc, "zh-Hant", &q), PB_OK);
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
    assert_int_equal(pb_query_find(doc, "zh-TW", &q), PB_OK);
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
    assert_int_equal(pb_query_find(doc, "zh-Hans", &q), PB_OK);
    assert_true(q.checked);
    assert_string_equal(q.variant, "Hans");
    int saw_yu = 0, saw_bing = 0;
    for (size_t i = 0; i < q.n; i++) {
        saw_yu |= q.v[i].found[0] == 0x65BC && q.v[i].suggested[0] == 0x4E8E && q.v[i].col == 4;
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
    assert_int_equal(pb_query_find(doc, "zh-Hant", &q), PB_OK);
    assert_true(q.checked);
    assert_int_equal(q.n, 0);
    pb_query_free(&q);
    /* "zh" names no variant: nothing is checked */
    assert_int_equal(pb_query_find(doc, "zh", &q), PB_OK);
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
    assert_int_equal(pb_query_find(doc, "zh", &q), PB_OK); /* no variant: only Latin checked */
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
    assert_int_equal(pb_query_find(doc, "zh-Hant", &q), PB_OK);
    assert_int_equal(q.n, 0);
    pb_query_free(&q);
    pb_corpus_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_traditional_text),
        cmocka_unit_test(test_simplified_text),
        cmocka_unit_test(test_clean_and_unknown),
        cmocka_unit_test(test_l_for_capital_i),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
