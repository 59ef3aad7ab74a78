/* Unit tests for uchar: strict UTF-8 and the character classes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <unicode/uchar.h>

#include "uchar.h"

static size_t dec(const char *s, size_t n, uint32_t *cp)
{
    return pb_uchar_decode((const uint8_t *)s, n, cp);
}

static void test_decode_valid(void **state)
{
    (void)state;
    uint32_t cp = 0;
    assert_int_equal(dec("A", 1, &cp), 1);
    assert_int_equal(cp, 'A');
    assert_int_equal(dec("\xC3\xB3", 2, &cp), 2); /* ó */
    assert_int_equal(cp, 0xF3);
    assert_int_equal(dec("\xE5\x9C\x8B", 3, &cp), 3); /* 國 */
    assert_int_equal(cp, 0x570B);
    assert_int_equal(dec("\xF0\xA0\x80\x80", 4, &cp), 4); /* U+20000 */
    assert_int_equal(cp, 0x20000);
    assert_int_equal(dec("\xF4\x8F\xBF\xBF", 4, &cp), 4); /* U+10FFFF */
    assert_int_equal(cp, 0x10FFFF);
    assert_int_equal(dec("\xEF\xBB\xBF", 3, &cp), 3); /* BOM is an ordinary code point here */
    assert_int_equal(cp, 0xFEFF);
    assert_int_equal(dec("\xE5\x9C\x8Bxyz", 6, &cp), 3); /* only the first sequence */
}

static void test_decode_invalid(void **state)
{
    (void)state;
    uint32_t cp = 0;
    assert_int_equal(dec("", 0, &cp), 0);
    assert_int_equal(pb_uchar_decode(NULL, 4, &cp), 0);
    assert_int_equal(dec("\x80", 1, &cp), 0);                 /* lone continuation */
    assert_int_equal(dec("\xC0\x80", 2, &cp), 0);             /* overlong NUL */
    assert_int_equal(dec("\xC1\xBF", 2, &cp), 0);             /* overlong */
    assert_int_equal(dec("\xE0\x80\xAF", 3, &cp), 0);         /* overlong '/' */
    assert_int_equal(dec("\xF0\x8F\xBF\xBF", 4, &cp), 0);     /* overlong U+FFFF */
    assert_int_equal(dec("\xED\xA0\x80", 3, &cp), 0);         /* surrogate D800 */
    assert_int_equal(dec("\xED\xBF\xBF", 3, &cp), 0);         /* surrogate DFFF */
    assert_int_equal(dec("\xF4\x90\x80\x80", 4, &cp), 0);     /* U+110000 */
    assert_int_equal(dec("\xF5\x80\x80\x80", 4, &cp), 0);
    assert_int_equal(dec("\xFF", 1, &cp), 0);
    assert_int_equal(dec("\xE5\x9C", 2, &cp), 0);             /* truncated by n */
    assert_int_equal(dec("\xE5\x9C\x8B", 2, &cp), 0);         /* n cuts the sequence */
    assert_int_equal(dec("\xE5\x9C" "A", 3, &cp), 0);         /* truncated by ASCII */
    assert_int_equal(dec("\xF0\xA0\x80", 3, &cp), 0);
}

static void test_encode_roundtrip(void **state)
{
    (void)state;
    static const uint32_t cps[] = {0, 'a', 0x7F, 0x80, 0x7FF, 0x800, 0x570B, 0xFFFF,
                                   0x10000, 0x2A6D6, 0x10FFFF};
    static const size_t lens[] = {1, 1, 1, 2, 2, 3, 3, 3, 4, 4, 4};
    for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
        char buf[4];
        uint32_t back = 0;
        size_t n = pb_uchar_encode(cps[i], buf);
        assert_int_equal(n, lens[i]);
        assert_int_equal(pb_uchar_decode((const uint8_t *)buf, n, &back), n);
        assert_int_equal(back, cps[i]);
    }
    char buf[4];
    assert_int_equal(pb_uchar_encode(0x570B, buf), 3);
    assert_memory_equal(buf, "\xE5\x9C\x8B", 3);
    /* unencodable values become U+FFFD */
    assert_int_equal(pb_uchar_encode(0xD800, buf), 3);
    assert_memory_equal(buf, "\xEF\xBF\xBD", 3);
    assert_int_equal(pb_uchar_encode(0x110000, buf), 3);
    assert_memory_equal(buf, "\xEF\xBF\xBD", 3);
}

static void test_is_han(void **state)
{
    (void)state;
    assert_true(pb_uchar_is_han(0x570B));  /* 國 */
    assert_true(pb_uchar_is_han(0x4E00));
    assert_true(pb_uchar_is_han(0x9FFF));
    assert_true(pb_uchar_is_han(0x3400));
    assert_true(pb_uchar_is_han(0x4DBF));
    assert_true(pb_uchar_is_han(0xF900));
    assert_true(pb_uchar_is_han(0xFAFF));
    assert_true(pb_uchar_is_han(0x20000));
    assert_true(pb_uchar_is_han(0x3134F));
    assert_false(pb_uchar_is_han(0x33FF));
    assert_false(pb_uchar_is_han(0x4DC0));  /* Yijing hexagrams */
    assert_false(pb_uchar_is_han(0xA000));
    assert_false(pb_uchar_is_han(0x31350));
    assert_false(pb_uchar_is_han(0x3001));  /* 、 */
    assert_false(pb_uchar_is_han('A'));
    assert_false(pb_uchar_is_han(0xFF0C));
}

static void test_is_cjk_punct(void **state)
{
    (void)state;
    assert_true(pb_uchar_is_cjk_punct(0x3000)); /* ideographic space */
    assert_true(pb_uchar_is_cjk_punct(0x3001)); /* 、 */
    assert_true(pb_uchar_is_cjk_punct(0x3002)); /* 。 */
    assert_true(pb_uchar_is_cjk_punct(0x303F));
    assert_true(pb_uchar_is_cjk_punct(0xFF0C)); /* ， */
    assert_true(pb_uchar_is_cjk_punct(0xFF08)); /* （ */
    assert_true(pb_uchar_is_cjk_punct(0xFF65));
    assert_true(pb_uchar_is_cjk_punct(0xFE10));
    assert_true(pb_uchar_is_cjk_punct(0xFE4F));
    assert_false(pb_uchar_is_cjk_punct(0xFF66)); /* half-width katakana */
    assert_false(pb_uchar_is_cjk_punct(0x2018));
    assert_false(pb_uchar_is_cjk_punct(0x2019));
    assert_false(pb_uchar_is_cjk_punct(0x201C));
    assert_false(pb_uchar_is_cjk_punct(0x201D));
    assert_false(pb_uchar_is_cjk_punct(','));
    assert_false(pb_uchar_is_cjk_punct(0x570B));
    assert_false(pb_uchar_is_cjk_punct(0x3040));
}

static void test_is_pinyin_letter(void **state)
{
    (void)state;
    static const uint32_t yes[] = {'a', 'z', 0x0101, 0x00E1, 0x01CE, 0x00E0, 0x0113, 0x00E9,
                                   0x011B, 0x00E8, 0x012B, 0x00ED, 0x01D0, 0x00EC, 0x014D,
                                   0x00F3, 0x01D2, 0x00F2, 0x016B, 0x00FA, 0x01D4, 0x00F9,
                                   0x01D6, 0x01D8, 0x01DA, 0x01DC, 0x00FC, 0x00EA, 0x1E3F,
                                   0x0144, 0x0148, 0x01F9};
    static const uint32_t no[] = {'A', 'Z', '0', '(', ')', ' ', 0x00C1, 0x00E2, 0x570B,
                                  0x00DC, '`', '{'};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        assert_true(pb_uchar_is_pinyin_letter(yes[i]));
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        assert_false(pb_uchar_is_pinyin_letter(no[i]));
}

/* Default ignorables and format characters: the listed ones, and for every code point the same
 * answer as ICU's properties (the ranges uchar.c answers without ICU hold none). */
static void test_invisible(void **state)
{
    (void)state;
    static const uint32_t di[] = {0x00AD, 0x034F, 0x061C, 0x180E, 0x200B, 0x200C, 0x200D, 0x200E,
                                  0x200F, 0x202E, 0x2060, 0x2066, 0xFE0F, 0xFEFF, 0xE0001, 0xE0100};
    for (size_t i = 0; i < sizeof di / sizeof di[0]; i++) {
        assert_true(pb_uchar_is_default_ignorable(di[i]));
        assert_true(pb_uchar_is_invisible(di[i]));
    }
    static const uint32_t visible[] = {' ', 'a', 0x00A0, 0x3000, 0x570B, 0xFF0C, 0x2010, 0x10FFFF + 1};
    for (size_t i = 0; i < sizeof visible / sizeof visible[0]; i++) {
        assert_false(pb_uchar_is_default_ignorable(visible[i]));
        assert_false(pb_uchar_is_invisible(visible[i]));
    }
    assert_true(pb_uchar_is_invisible(0xFFF9));  /* INTERLINEAR ANNOTATION ANCHOR: Cf only */
    assert_false(pb_uchar_is_default_ignorable(0xFFF9));
    for (uint32_t c = 0; c <= 0x10FFFF; c++) {
        int d = u_hasBinaryProperty((UChar32)c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT) != 0;
        int f = d || u_charType((UChar32)c) == U_FORMAT_CHAR;
        if (pb_uchar_is_default_ignorable(c) != d || pb_uchar_is_invisible(c) != f)
            fail_msg("U+%04X: default ignorable %d (ICU %d), invisible %d (ICU %d)", (unsigned)c,
                     pb_uchar_is_default_ignorable(c), d, pb_uchar_is_invisible(c), f);
    }
}

static void test_name(void **state)
{
    (void)state;
    char name[96];
    pb_uchar_name(0x200B, name, sizeof name);
    assert_string_equal(name, "ZERO WIDTH SPACE");
    pb_uchar_name(0xE000, name, sizeof name); /* private use: no name */
    assert_string_equal(name, "U+E000");
    pb_uchar_name(0x200B, name, 5); /* too small for the name */
    assert_string_equal(name, "U+20");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_valid),
        cmocka_unit_test(test_decode_invalid),
        cmocka_unit_test(test_encode_roundtrip),
        cmocka_unit_test(test_is_han),
        cmocka_unit_test(test_is_cjk_punct),
        cmocka_unit_test(test_is_pinyin_letter),
        cmocka_unit_test(test_invisible),
        cmocka_unit_test(test_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
