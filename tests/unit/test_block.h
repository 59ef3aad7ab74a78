/* A block built by hand for the unit tests (include after cmocka.h, corpus.h and uchar.h):
 * text from UTF-8, col[i] = i + 1, line 1. */
#ifndef PB_TEST_BLOCK_H
#define PB_TEST_BLOCK_H

#define TEST_BLOCK_MAX 256 /* code points */

typedef struct {
    pb_block b;
    uint32_t text[TEST_BLOCK_MAX];
    uint32_t col[TEST_BLOCK_MAX];
} test_block;

static void make_block(test_block *tb, const char *utf8, pb_lang lang)
{
    memset(tb, 0, sizeof *tb);
    size_t n = strlen(utf8), len = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = pb_uchar_decode((const uint8_t *)utf8 + i, n - i, &cp);
        assert_true(k > 0);
        assert_true(len < TEST_BLOCK_MAX);
        tb->text[len] = cp;
        tb->col[len] = (uint32_t)len + 1;
        len++;
        i += k;
    }
    tb->b.kind = PB_BLOCK_PARA;
    tb->b.lang = lang;
    tb->b.text = tb->text;
    tb->b.len = len;
    tb->b.col = tb->col;
    tb->b.line = 1;
}

#endif
