/* fuzz_layout: the layout parser on arbitrary text.
 * Feeds a NUL-terminated copy of the input to pb_layout_parse and checks what layout.h promises:
 * an accepted layout has every length in points, finite and in range, a page with room for
 * text; a rejected one gives PB_EINPUT and only "fuzz.ini:LINE:COL: error: " messages (COL from 1
 * to the line's length + 1), one per error. A `base = ...` names files beside fuzz.ini (the
 * working folder): each message of a base names that file instead. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "require.h"
#include "diag.h"
#include "layout.h"

#define NAME "fuzz.ini"
/* layout.c's limits: PDF page sides (ISO 32000-1 Annex C.2) and the largest type size. */
#define PAGE_MIN 3.0
#define PAGE_MAX 14400.0
#define SIZE_MAX_PT 200.0
/* [leaflet] bounds: the smallest shrink factor and the most pages. */
#define MIN_SCALE 0.5
#define LEAFLET_PAGES_MAX 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int terminated(const char *s, size_t n) { return memchr(s, '\0', n) != NULL; }

static void check_layout(const pb_layout *l)
{
    REQUIRE(strcmp(l->path, NAME) == 0);
    REQUIRE(l->page_w >= PAGE_MIN - 1e-9 && l->page_w <= PAGE_MAX + 1e-9);
    REQUIRE(l->page_h >= PAGE_MIN - 1e-9 && l->page_h <= PAGE_MAX + 1e-9);
    const double nonneg[] = {l->margin_top, l->margin_bottom, l->margin_inner, l->margin_outer,
                             l->gutter, l->indent, l->para_space, l->pair_space,
                             l->heading_space_before, l->heading_space_after,
                             l->title_space_after, l->header_offset, l->folio_offset};
    for (size_t i = 0; i < sizeof nonneg / sizeof nonneg[0]; i++)
        REQUIRE(isfinite(nonneg[i]) && nonneg[i] >= 0);
    const double sizes[] = {l->text_size, l->heading_size, l->title_size, l->header_size,
                            l->folio_size, l->ruby_size};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        REQUIRE(sizes[i] > 0 && sizes[i] <= SIZE_MAX_PT + 1e-9);
    const double leadings[] = {l->leading, l->heading_leading, l->title_leading};
    for (size_t i = 0; i < sizeof leadings / sizeof leadings[0]; i++)
        REQUIRE(isfinite(leadings[i]) && leadings[i] > 0);
    double block_w = l->page_w - l->margin_inner - l->margin_outer;
    double block_h = l->page_h - l->margin_top - l->margin_bottom;
    REQUIRE(block_w > 0 && block_h > 0);
    /* the measure and the parallel's Chinese column are whole characters, within the page */
    double m = pb_layout_measure(l), chars = m / l->text_size;
    REQUIRE(m <= block_w + 1e-6 && (chars < 1 || fabs(chars - floor(chars + 0.5)) < 1e-6));
    if (l->columns == 2) {
        double w[2];
        pb_layout_columns(l, w);
        REQUIRE(w[0] > 0 && w[1] > 0 && w[0] + w[1] + l->gutter <= m + 1e-6);
    }
    REQUIRE(l->columns == 1 || l->columns == 2);
    REQUIRE(l->columns == 1 || block_w - l->gutter > 0);
    for (int r = 0; r < PB_ROLE_COUNT; r++)
        REQUIRE(terminated(l->family[r], sizeof l->family[r]) && l->family[r][0]);
    REQUIRE(terminated(l->fallback, sizeof l->fallback));
    REQUIRE(terminated(l->lang_zh, sizeof l->lang_zh) && l->lang_zh[0]);
    REQUIRE(terminated(l->lang_en, sizeof l->lang_en) && l->lang_en[0]);
    REQUIRE(l->align == PB_ALIGN_JUSTIFY || l->align == PB_ALIGN_LEFT);
    REQUIRE(l->breaker == PB_BREAK_TOTAL_FIT || l->breaker == PB_BREAK_GREEDY);
    REQUIRE(l->header == 0 || l->header == 1);
    REQUIRE(l->folio == 0 || l->folio == 1);
    REQUIRE(l->ruby_mode == PB_RUBY_RUBY || l->ruby_mode == PB_RUBY_DROP ||
            l->ruby_mode == PB_RUBY_INLINE_CHECK);
    REQUIRE(l->profile == PB_PROFILE_PRINT || l->profile == PB_PROFILE_PDFA3U ||
            l->profile == PB_PROFILE_PDFA3A);
    REQUIRE(l->deflate_level >= 1 && l->deflate_level <= PB_DEFLATE_MAX);
    REQUIRE(l->product == PB_PRODUCT_BOOKLET || l->product == PB_PRODUCT_LEAFLET ||
            l->product == PB_PRODUCT_PARALLEL);
    REQUIRE(l->grid == 0 || l->grid == 1);
    REQUIRE(l->cover == 0 || l->cover == 1);
    REQUIRE(l->cover_size > 0 && l->cover_size <= SIZE_MAX_PT + 1e-9);
    REQUIRE(l->head_verso >= PB_HEAD_NONE && l->head_verso <= PB_HEAD_SECTION);
    REQUIRE(l->head_recto >= PB_HEAD_NONE && l->head_recto <= PB_HEAD_SECTION);
    REQUIRE(l->fit == PB_FIT_SHRINK || l->fit == PB_FIT_PAGES);
    REQUIRE(l->min_scale >= MIN_SCALE && l->min_scale <= 1);
    REQUIRE(l->max_scale >= 1 && l->max_scale <= 2);
    REQUIRE(l->leaflet_pages >= 1 && l->leaflet_pages <= LEAFLET_PAGES_MAX);
    REQUIRE(isfinite(l->sheet_w) && isfinite(l->sheet_h) && l->sheet_w >= l->sheet_h &&
            l->sheet_h > 0);
    REQUIRE(l->binding == PB_BINDING_SADDLE || l->binding == PB_BINDING_NONE);
    REQUIRE(l->colophon >= PB_COLOPHON_NONE && l->colophon <= PB_COLOPHON_OUTSIDE);
    REQUIRE(l->colophon == PB_COLOPHON_NONE || l->binding == PB_BINDING_SADDLE ||
            l->product == PB_PRODUCT_LEAFLET);
    REQUIRE(isfinite(l->creep) && l->creep >= 0 && isfinite(l->bleed) && l->bleed >= 0);
    REQUIRE(l->marks == 0 || l->marks == 1);
}

/* The one message without a line, by design (tests/unit/test_layout.c): a page size too small
 * for the default margins when no margin key was given. */
#define NO_ROOM NAME ": error: margins leave no room for text\n"

/* Every message line is "fuzz.ini:LINE:COL: error: ..." with 1 <= LINE <= lines of the input
 * and 1 <= COL <= bytes of the input + 1 (or NO_ROOM, or a message of another file a base
 * named); returns the number of lines. */
static int check_messages(const char *msgs, size_t len, int max_line, size_t max_col)
{
    int n = 0;
    const char *p = msgs, *end = msgs + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        REQUIRE(nl);
        int line = 0, col = 0, off = 0;
        int ours = (size_t)(nl - p) > strlen(NAME ":") && memcmp(p, NAME ":", strlen(NAME ":")) == 0;
        if (ours && !((size_t)(nl + 1 - p) == strlen(NO_ROOM) &&
                      memcmp(p, NO_ROOM, strlen(NO_ROOM)) == 0)) {
            REQUIRE(sscanf(p, NAME ":%d:%d: error: %n", &line, &col, &off) == 2 && off > 0);
            REQUIRE(line >= 1 && line <= max_line);
            REQUIRE(col >= 1 && (size_t)col <= max_col + 1);
        }
        n++;
        p = nl + 1;
    }
    return n;
}

/* An accepted layout says at most what it had adjusted: every line "fuzz.ini:LINE:COL: warning:
 * ..." with LINE inside the input (a measure cut to whole characters). */
static int check_warnings(const char *msgs, size_t len, int max_line)
{
    const char *p = msgs, *end = msgs + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        REQUIRE(nl);
        int line = 0, col = 0, off = 0;
        REQUIRE(sscanf(p, NAME ":%d:%d: warning: %n", &line, &col, &off) == 2 && off > 0);
        REQUIRE(line >= 1 && line <= max_line && col >= 1);
        p = nl + 1;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    REQUIRE(text);
    if (size)
        memcpy(text, data, size);
    text[size] = '\0';
    int lines = 1;
    for (const char *p = text; *p; p++)
        lines += *p == '\n';

    char *msgs = NULL;
    size_t msgs_len = 0;
    FILE *sink = open_memstream(&msgs, &msgs_len);
    REQUIRE(sink);
    pb_diag_reset();
    pb_diag_set_sink(sink);
    pb_layout *l = malloc(sizeof *l);
    REQUIRE(l);
    memset(l, 0xA5, sizeof *l); /* garbage: the parser must fill every field */
    pb_status st = pb_layout_parse(NAME, text, l);
    int errors = pb_diag_error_count();
    pb_diag_set_sink(NULL);
    fclose(sink);

    if (st == PB_OK) {
        REQUIRE(errors == 0 && check_warnings(msgs, msgs_len, lines));
        check_layout(l);
    } else {
        REQUIRE(st == PB_EINPUT && errors >= 1);
        REQUIRE(check_messages(msgs, msgs_len, lines, size) == errors);
    }
    free(msgs);
    free(l);
    free(text);
    return 0;
}
