/* fuzz_pipeline: a short corpus (at most 4 KiB) through the whole layout pipeline.
 * parse -> normalize -> pagebuild (itemize, shape, nodes, line breaking, pages) -> trace, with
 * one fontset opened on the first input and reused. A hash of the input picks a layout variant
 * (breaker, alignment, a narrow page, booklet / parallel / leaflet, grid, cover, pages handed
 * on as they are made) so every path of the breakers and the page builder is reached. Checks that pages come out with finite
 * positions and glyphs of their fonts, and that a failure is PB_EINPUT with a message. */
#include "fuzz_pipeline_common.h"

#include "corpus.h"
#include "normalize.h"
#include "trace.h"

#define NAME "fuzz.txt"
#define INPUT_BYTES_MAX 4096
/* A narrow text block (pt) that forces overfull lines and one-character lines. */
#define NARROW_PAGE_W 72.0
#define NARROW_MARGIN 10.0

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A sink standing for the PDF writer (pb_page_sink): told the page count first, then every
 * page's glyphs, then each page in order once final. The text glyphs recorded must be the ones
 * the final pages draw. */
typedef struct {
    int begun, shipping;
    size_t n_pages, next, recorded, drawn;
} test_sink;

static size_t text_glyphs(const pb_page *p)
{
    size_t n = 0;
    for (size_t i = 0; i < p->n; i++)
        n += !p->g[i].ruby && !p->g[i].artifact;
    return n;
}

static pb_status sink_begin(void *ctx, size_t n_pages, size_t n_marks)
{
    test_sink *t = ctx;
    (void)n_marks;
    REQUIRE(!t->begun);
    t->begun = 1;
    t->n_pages = n_pages;
    return PB_OK;
}

static pb_status sink_record(void *ctx, const pb_page *page)
{
    test_sink *t = ctx;
    REQUIRE(t->begun && !t->shipping);
    t->recorded += text_glyphs(page);
    return PB_OK;
}

static pb_status sink_page(void *ctx, pb_pages *pages, size_t i)
{
    test_sink *t = ctx;
    REQUIRE(t->begun && i == t->next && i < t->n_pages && i < pages->n);
    t->shipping = 1;
    t->next++;
    t->drawn += text_glyphs(&pages->pages[i]);
    return PB_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > INPUT_BYTES_MAX)
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
            st = pb_pagebuild_leaflet(doc, &lay, g_fonts, section, 0, &pages, &scale);
            REQUIRE(st != PB_OK || (scale > 0 && scale <= 1));
        } else {
            lay.product = product == 1 ? PB_PRODUCT_PARALLEL : PB_PRODUCT_BOOKLET;
            test_sink t = {0};
            pb_page_sink sink = {sink_begin, sink_record, sink_page, &t};
            int streamed = (h >> 7) & 1; /* pages handed on as made, as to the PDF writer */
            st = pb_pagebuild_doc(doc, &lay, g_fonts, NULL, streamed ? &sink : NULL, &pages);
            REQUIRE(!streamed || st != PB_OK ||
                    (t.next == pages.n && t.n_pages == pages.n && t.recorded == t.drawn));
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
