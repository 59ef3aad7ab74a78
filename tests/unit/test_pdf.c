/* Unit tests for src/pdf.c: the limits of libharu's PDF (its page tree, its object count),
 * with synthetic pages (nothing drawn) and the fonts of the default layout. Run from the
 * repository root. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <hpdf_consts.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "fonts.h"
#include "layout.h"
#include "output.h"
#include "pdf.h"

static const uint32_t TITLE[] = {'t'};

static int setup(void **state)
{
    pb_layout l;
    pb_layout_defaults(&l);
    pb_fontset *fonts = NULL;
    if (pb_fonts_new(&l, NULL, &fonts) != PB_OK)
        return -1;
    *state = fonts;
    return 0;
}

static int teardown(void **state)
{
    pb_fonts_free(*state);
    return 0;
}

static pb_pdf_meta meta(void)
{
    pb_pdf_meta m = {0};
    m.title = TITLE;
    m.title_len = 1;
    m.lang = "zh-Hant";
    m.epoch = 0;
    m.producer = "test_pdf";
    m.profile = PB_PROFILE_PRINT;
    return m;
}

static int holds(const char *b, size_t n, const char *s, size_t k)
{
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(b + i, s, k) == 0)
            return 1;
    return 0;
}

/* Does the file hold the bytes of s? */
static int file_has(const char *path, const char *s)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t cap = 1 << 20, n = 0, k = strlen(s);
    char *b = malloc(cap);
    int found = 0;
    while (b && !found) {
        size_t got = fread(b + n, 1, cap - n, f);
        if (got == 0)
            break;
        n += got;
        found = holds(b, n, s, k);
        if (n > k) { /* keep the last k bytes */
            memmove(b, b + n - k, k);
            n = k;
        }
    }
    free(b);
    fclose(f);
    return found;
}

/* More pages than a Pages node may hold kids (HPDF_LIMIT_MAX_ARRAY): written, as a tree of
 * Pages nodes (libharu said "error 0x1001" past 32 767 pages). */
static void test_more_pages_than_one_pages_node(void **state)
{
    pb_fontset *fonts = *state;
    size_t n = HPDF_LIMIT_MAX_ARRAY + 100;
    pb_pages pages = {0};
    pages.pages = calloc(n, sizeof *pages.pages);
    assert_non_null(pages.pages);
    pages.n = pages.cap = n;
    for (size_t i = 0; i < n; i++) {
        pages.pages[i].w = 100;
        pages.pages[i].h = 100;
        pages.pages[i].folio = (int)i + 1;
    }
    char path[] = "/tmp/test_pdf-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    pb_pdf_meta m = meta();
    pb_outputs *set = pb_output_new_set();
    pb_output *out = NULL;
    assert_non_null(set);
    assert_int_equal(pb_output_claim(set, path, "the output", 0, &out), PB_OK);
    assert_int_equal(pb_pdf_write(&pages, fonts, &m, out, NULL), PB_OK);
    assert_int_equal(pb_output_commit(set), PB_OK);
    pb_output_free_set(set);
    char count[32];
    snprintf(count, sizeof count, "/Count %zu", n);
    assert_true(file_has(path, count));
    unlink(path);
    free(pages.pages);
}

/* Pages past libharu's object count (HPDF_LIMIT_MAX_XREF_ELEMENT) are refused before anything
 * is written, the limit named. The pages are never read: only their number counts. */
static void test_too_many_objects(void **state)
{
    pb_fontset *fonts = *state;
    pb_pages pages = {0};
    pages.n = HPDF_LIMIT_MAX_XREF_ELEMENT / 3;
    char *msg = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&msg, &len);
    assert_non_null(f);
    pb_diag_set_sink(f);
    pb_pdf_meta m = meta();
    pb_outputs *set = pb_output_new_set();
    pb_output *out = NULL;
    assert_non_null(set);
    assert_int_equal(pb_output_claim(set, "/tmp/test_pdf-never-written.pdf", "the output", 0, &out),
                     PB_OK);
    pb_status st = pb_pdf_write(&pages, fonts, &m, out, NULL);
    pb_output_free_set(set);
    pb_diag_set_sink(NULL);
    fclose(f);
    assert_int_equal(st, PB_EINPUT);
    assert_non_null(strstr(msg, "more than libharu's limit of 8388607"));
    assert_true(strncmp(msg, "paiban: error: 2796202 pages and 0 bookmarks need about", 55) == 0);
    assert_int_equal(access("/tmp/test_pdf-never-written.pdf", F_OK), -1);
    free(msg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_more_pages_than_one_pages_node),
        cmocka_unit_test(test_too_many_objects),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
