/* fuzz_pipeline: a short corpus (at most 4 KiB) through the whole layout pipeline.
 * parse -> normalize -> pagebuild (itemize, shape, nodes, line breaking, pages) -> trace, with
 * one fontset opened on the first input and reused. A hash of the input picks a layout variant
 * (breaker, alignment, a narrow page, booklet / parallel / leaflet, grid, cover) so every path
 * of the breakers and the page builder is reached. Checks that pages come out with finite
 * positions and glyphs of their fonts, and that a failure is PB_EINPUT with a message. */
#define _GNU_SOURCE /* RTLD_NEXT */
#include <dlfcn.h>
#include <hyphen.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "diag.h"
#include "fonts.h"
#include "layout.h"
#include "normalize.h"
#include "pagebuild.h"
#include "trace.h"

#define NAME "fuzz.txt"
#define MAX_INPUT 4096
/* A narrow text block (pt) that forces overfull lines and one-character lines. */
#define NARROW_PAGE_W 72.0
#define NARROW_MARGIN 10.0

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REQUIRE(cond)                                                                          \
    do {                                                                                       \
        if (!(cond)) {                                                                         \
            fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond);        \
            abort();                                                                           \
        }                                                                                      \
    } while (0)

/* The page builder loads the hyphenation patterns for every document (pb_nodes_new); that is
 * 80% of a run here. These two interpose libhyphen's calls in this program only: the first load
 * is kept and handed out again, and freed at exit. Hyphenation only reads the dictionary. */
static HyphenDict *g_dict;
static char g_dict_path[4096];

HyphenDict *hnj_hyphen_load(const char *fn)
{
    if (g_dict && strcmp(fn, g_dict_path) == 0)
        return g_dict;
    HyphenDict *(*real)(const char *) = (HyphenDict * (*)(const char *)) dlsym(RTLD_NEXT, "hnj_hyphen_load");
    REQUIRE(real);
    HyphenDict *d = real(fn);
    if (d && !g_dict && strlen(fn) < sizeof g_dict_path) {
        g_dict = d;
        snprintf(g_dict_path, sizeof g_dict_path, "%s", fn);
    }
    return d;
}

void hnj_hyphen_free(HyphenDict *dict)
{
    if (dict && dict == g_dict)
        return;
    void (*real)(HyphenDict *) = (void (*)(HyphenDict *))dlsym(RTLD_NEXT, "hnj_hyphen_free");
    REQUIRE(real);
    real(dict);
}

static pb_fontset *g_fonts; /* opened once, reused: fontconfig start-up is slow */
static pb_layout g_layout;
static FILE *g_null;

/* At exit: fontconfig keeps pointers as encoded offsets that LeakSanitizer cannot follow, so an
 * open fontset would be reported as leaked. */
static void fini(void)
{
    pb_fonts_free(g_fonts);
    g_fonts = NULL;
    if (g_null)
        fclose(g_null);
    g_null = NULL;
    HyphenDict *d = g_dict;
    g_dict = NULL;
    if (d)
        hnj_hyphen_free(d);
}

static void init_once(void)
{
    if (g_fonts)
        return;
    g_null = fopen("/dev/null", "w");
    REQUIRE(g_null);
    pb_layout_defaults(&g_layout);
    if (pb_fonts_new(&g_layout, NULL, &g_fonts) != PB_OK) {
        fprintf(stderr, "fuzz_pipeline: the default fonts (Noto Serif CJK TC, Noto Serif) are "
                        "needed\n");
        exit(1);
    }
    atexit(fini);
}

static void check_pages(const pb_pages *pages)
{
    REQUIRE(pages->n >= 1);
    for (size_t p = 0; p < pages->n; p++) {
        const pb_page *pg = &pages->pages[p];
        REQUIRE(isfinite(pg->w) && isfinite(pg->h) && pg->w > 0 && pg->h > 0);
        for (size_t i = 0; i < pg->n; i++) {
            const pb_gpos *g = &pg->g[i];
            pb_font_info info;
            REQUIRE(g->font);
            pb_font_get_info(g->font, &info);
            REQUIRE(g->gid < info.num_glyphs);
            REQUIRE(isfinite(g->x) && isfinite(g->y) && g->size > 0);
            REQUIRE(g->ntext == 0 || g->text);
        }
        for (size_t l = 0; l < pg->n_lines; l++) {
            const pb_pline *ln = &pg->lines[l];
            REQUIRE(ln->g0 <= ln->g1 && ln->g1 <= pg->n);
            REQUIRE(isfinite(ln->x) && isfinite(ln->y) && isfinite(ln->width));
        }
    }
    for (size_t m = 0; m < pages->n_marks; m++)
        REQUIRE(pages->marks[m].page < pages->n && pages->marks[m].title);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAX_INPUT)
        return 0;
    init_once();
    pb_diag_reset();
    pb_diag_set_sink(g_null);

    pb_doc *doc = NULL;
    pb_changes changes = {0};
    pb_pages pages = {0};
    pb_status st = pb_corpus_parse(NAME, data, size, &doc);
    if (st == PB_OK)
        st = pb_normalize_doc(doc, NULL, &changes);
    if (st == PB_OK) {
        uint32_t h = 2166136261u; /* FNV-1a of the input picks the variant */
        for (size_t i = 0; i < size; i++)
            h = (h ^ data[i]) * 16777619u;
        pb_layout lay = g_layout;
        if (h & 1)
            lay.breaker = PB_BREAK_GREEDY;
        if (h & 2)
            lay.align = PB_ALIGN_LEFT;
        if (h & 4) {
            lay.page_w = NARROW_PAGE_W;
            lay.margin_inner = lay.margin_outer = NARROW_MARGIN;
        }
        unsigned product = (h >> 3) % 3;
        lay.grid = (h >> 5) & 1;
        lay.cover = (h >> 6) & 1;
        if (product == 2 && doc->n_sections > 0) {
            lay.product = PB_PRODUCT_LEAFLET;
            lay.fit = (h >> 7) & 1 ? PB_FIT_PAGES : PB_FIT_SHRINK;
            int section = 1 + (int)((h >> 8) % (unsigned)doc->n_sections);
            double scale = 0;
            st = pb_pagebuild_leaflet(doc, &lay, g_fonts, section, &pages, &scale);
            REQUIRE(st != PB_OK || (scale > 0 && scale <= 1));
        } else {
            lay.product = product == 1 ? PB_PRODUCT_PARALLEL : PB_PRODUCT_BOOKLET;
            st = pb_pagebuild_doc(doc, &lay, g_fonts, &pages);
        }
        if (st == PB_OK) {
            check_pages(&pages);
            REQUIRE(pb_trace_write(&pages, g_null) == PB_OK);
        } else {
            REQUIRE(st == PB_EINPUT && pages.n == 0);
            REQUIRE(pb_diag_error_count() >= 1);
        }
    } else { /* refused by the reader (no document) or the normalizer (a document, unused) */
        REQUIRE(st == PB_EINPUT && pb_diag_error_count() == 1);
    }
    pb_pagebuild_free(&pages);
    pb_normalize_free_changes(&changes);
    pb_corpus_free(doc);
    pb_diag_set_sink(NULL);
    return 0;
}
