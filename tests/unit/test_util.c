/* Unit tests for util: the array-growth helper, the whole-file reader, the FNV-1a hash; and
 * uchar's UTF-16 encoder, the one the stages share. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "uchar.h"
#include "util.h"

typedef struct {
    double x, y;
} pair;

static void test_grow(void **state)
{
    (void)state;
    pair *v = NULL;
    size_t cap = 0;
    assert_int_equal(PB_GROW(v, cap, 0), 0); /* room for the first: 8 by default */
    assert_non_null(v);
    assert_int_equal(cap, 8);
    for (size_t i = 0; i < 8; i++)
        v[i] = (pair){(double)i, 0};
    assert_int_equal(PB_GROW(v, cap, 7), 0); /* 8 fit in 8 */
    assert_int_equal(cap, 8);
    assert_int_equal(PB_GROW(v, cap, 8), 0); /* the ninth doubles it, keeping the eight */
    assert_int_equal(cap, 16);
    for (size_t i = 0; i < 8; i++)
        assert_true(v[i].x == (double)i);
    assert_int_equal(pb_util_grow(&v, &cap, 100, sizeof *v, 0), 0); /* doubles until it holds */
    assert_int_equal(cap, 128);
    free(v);

    uint32_t *w = NULL;
    size_t wcap = 0;
    assert_int_equal(pb_util_grow(&w, &wcap, 3, sizeof *w, 512), 0); /* a first of its own */
    assert_int_equal(wcap, 512);
    /* a size that would overflow fails and leaves the array as it was */
    assert_int_equal(pb_util_grow(&w, &wcap, SIZE_MAX / 2, sizeof *w, 0), -1);
    assert_int_equal(wcap, 512);
    assert_non_null(w);
    w[511] = 7;
    free(w);
}

/* Trimming gives back the capacity past n and keeps the elements; n = 0 or a full array stays. */
static void test_trim(void **state)
{
    (void)state;
    pair *v = NULL;
    size_t cap = 0;
    assert_int_equal(pb_util_grow(&v, &cap, 100, sizeof *v, 0), 0);
    assert_int_equal(cap, 128);
    for (size_t i = 0; i < 100; i++)
        v[i] = (pair){(double)i, 1};
    pb_util_trim(&v, &cap, 100, sizeof *v);
    assert_int_equal(cap, 100);
    for (size_t i = 0; i < 100; i++)
        assert_true(v[i].x == (double)i && v[i].y == 1);
    pb_util_trim(&v, &cap, 100, sizeof *v); /* full: as it is */
    assert_int_equal(cap, 100);
    pb_util_trim(&v, &cap, 0, sizeof *v); /* empty: kept for the caller to free */
    assert_int_equal(cap, 100);
    assert_int_equal(PB_GROW(v, cap, 100), 0); /* grows again from there */
    assert_int_equal(cap, 200);
    assert_true(v[99].x == 99);
    free(v);
}

static void test_hash(void **state)
{
    (void)state;
    /* FNV-1a 64 test vectors (draft-eastlake-fnv, Appendix C) */
    assert_true(pb_util_hash(PB_UTIL_HASH_INIT, "", 0) == 0xcbf29ce484222325ULL);
    assert_true(pb_util_hash(PB_UTIL_HASH_INIT, "a", 1) == 0xaf63dc4c8601ec8cULL);
    assert_true(pb_util_hash(PB_UTIL_HASH_INIT, "foobar", 6) == 0x85944171f73967e8ULL);
    /* continuing is hashing the whole */
    assert_true(pb_util_hash(pb_util_hash(PB_UTIL_HASH_INIT, "foo", 3), "bar", 3) ==
                pb_util_hash(PB_UTIL_HASH_INIT, "foobar", 6));
}

/* pb_util_round is llround: halves away from zero, the doubles next to them, negative zero,
 * the edge of exact fractions, and a sweep of the content stream's thousandths. */
static void test_round(void **state)
{
    (void)state;
    static const double v[] = {0.0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.49999999999999994,
                               -0.49999999999999994, 0.50000000000000011, 4503599627370495.5,
                               -4503599627370495.5, 0x1p52, 0x1p52 + 1, -0x1p53, 1e18, -1e18,
                               123.4995, 123.5005, -0.0004999, 1e-300};
    for (size_t i = 0; i < sizeof v / sizeof *v; i++)
        assert_int_equal(pb_util_round(v[i]), llround(v[i]));
    for (int k = -200000; k <= 200000; k++) {
        double x = k / 1000.0 * 297.5;
        assert_int_equal(pb_util_round(x * 1000.0), llround(x * 1000.0));
        assert_int_equal(pb_util_round(k + 0.5), llround(k + 0.5));
        assert_int_equal(pb_util_round(nextafter(k + 0.5, 0)), llround(nextafter(k + 0.5, 0)));
    }
}

static void test_read_file(void **state)
{
    (void)state;
    char path[] = "/tmp/paiban-test-util-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    assert_non_null(f);
    fputs("0123456789", f);
    fclose(f);
    uint8_t *b = NULL;
    size_t n = 0;
    assert_int_equal(pb_util_read_file(path, "", 100, &b, &n), PB_OK);
    assert_int_equal(n, 10);
    assert_memory_equal(b, "0123456789", 11); /* with its NUL */
    free(b);
    /* no more than max + 1 bytes: the caller learns it is larger */
    assert_int_equal(pb_util_read_file(path, "", 4, &b, &n), PB_OK);
    assert_int_equal(n, 5);
    free(b);
    unlink(path);
    assert_int_equal(pb_util_read_file(path, "test file", 4, &b, &n), PB_ESYSTEM);
    assert_null(b);
}

static void test_utf16(void **state)
{
    (void)state;
    uint16_t u[2];
    assert_int_equal(pb_uchar_utf16(0x570B, u), 1); /* 國 */
    assert_int_equal(u[0], 0x570B);
    assert_int_equal(pb_uchar_utf16(0x20000, u), 2); /* 𠀀 */
    assert_int_equal(u[0], 0xD840);
    assert_int_equal(u[1], 0xDC00);
    assert_int_equal(pb_uchar_utf16(0x10FFFF, u), 2);
    assert_int_equal(u[0], 0xDBFF);
    assert_int_equal(u[1], 0xDFFF);
    assert_int_equal(pb_uchar_utf16(0xFFFF, u), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grow),
        cmocka_unit_test(test_trim),
        cmocka_unit_test(test_hash),
        cmocka_unit_test(test_round),
        cmocka_unit_test(test_read_file),
        cmocka_unit_test(test_utf16),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
