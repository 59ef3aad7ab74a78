/* fuzz_layout_values: layout values swept over the ranges the layout parser accepts, a tiny
 * corpus set with them to the trace.
 * The input is read two bytes at a time, one pair per layout value of the table below (missing
 * bytes read as 0): a pair of 0 keeps the built-in default, any other picks a value in the
 * key's range (sizes on a log scale from 0.5 pt to the 200 pt the parser allows, lengths and
 * factors linearly, words from their list). The values are written as layout text and read
 * with pb_layout_parse, so only what a layout file could say is set. The corpus is chosen by
 * the first byte from a few with pinyin (ruby), headings and a long word, then parsed,
 * normalized, paged (booklet, leaflet or parallel, as the layout says) and traced.
 * Properties: a refused layout is PB_EINPUT with one FILE:LINE: error per line at most; pages
 * have finite positions, glyphs of their fonts, lines inside their page; a leaflet's scale is in
 * [min-scale, max-scale]; a failure is PB_EINPUT with a message; everything freed. A value that makes
 * the typesetter loop shows as a libFuzzer timeout (-timeout). */
#include "fuzz_pipeline_common.h"

#include "corpus.h"
#include "normalize.h"
#include "textbuf.h"
#include "trace.h"

#define LAYOUT_NAME "fuzz.ini"
#define CORPUS_NAME "fuzz.txt"
/* Type sizes swept (pt): from below any readable size to the parser's maximum. */
#define SIZE_LO_PT 0.5
#define SIZE_HI_PT 200.0
#define PAIR_RANGE 65535.0

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Tiny corpora (from corpus/ai-plus-initiative.txt, cut short): pinyin over the body text,
 * headings, a title; one with a long English word. */
static const char *const CORPORA[] = {
    "“人工智能+”國(guó)際合作倡議\n"
    "AI+ International Cooperation Initiative\n"
    "為此,中方倡議各國(guó)結(jié)合自身國(guó)情積極開展“人工智能+”行動(dòng),本著相互尊重、互利共贏原則,"
    "加強(qiáng)政策交流與務(wù)實(shí)合作。\n"
    "To this end, China calls upon all countries to proactively carry out AI+ campaigns in "
    "light of their national conditions, and enhance policy exchange and practical "
    "cooperation.\n"
    "一、實(shí)施“人工智能+”民生福祉,增強(qiáng)各國(guó)民眾獲得感\n"
    "I. Carrying out the “AI+ public well-being” campaign to raise the sense of fulfillment "
    "among people of all countries\n"
    "人工智能具有鮮明的賦能屬性,不僅是技術(shù)發(fā)展的升級(jí),更是系統(tǒng)性、全局性的深刻變革。\n"
    "Artificial Intelligence (AI) is inherently empowering. It represents not only a "
    "technology upgrade, but also a systematic and comprehensive transformation.\n"
    "二、實(shí)施“人工智能+”科技進(jìn)步,激發(fā)全球創(chuàng)新活力\n"
    "II. Carrying out the “AI+ technological advancement” campaign\n"
    "縮短科研周期,催生新的學(xué)科交叉點(diǎn)和研究方向。\n"
    "It shortens research cycles and gives rise to new interdisciplinary fields.\n",

    "標題\nTitle\n一、中(zhōng)國(guó)\nI. China\n國(guó)際(jì)合作(zuò)\n"
    "International cooperation\n二、發(fā)展(zhǎn)\nII. Development\n"
    "共享(xiǎng)\nSharing\n",

    "長\nLong\n一、詞\nI. Word\n"
    "聯(lián)合國(guó)\n"
    "Pneumonoultramicroscopicsilicovolcanoconiosis-and-antidisestablishmentarianism\n",
};
#define N_CORPORA (sizeof CORPORA / sizeof CORPORA[0])

typedef enum { V_SIZE, V_LEN, V_FACTOR, V_WORD } value_kind;

/* One layout key and the range swept (lo..hi in unit, or a list of words). */
typedef struct {
    const char *section, *key;
    value_kind kind;
    double lo, hi;
    const char *unit;
    const char *const *words;
} param;

static const char *const PAPERS[] = {"A5", "A4", "A3", "B5", "letter", "custom", NULL};
static const char *const KINDS[] = {"booklet", "leaflet", "parallel", NULL};
static const char *const YES_NO[] = {"yes", "no", NULL};
static const char *const RUBY_MODES[] = {"ruby", "ruby", "ruby", "drop", NULL};
static const char *const BREAKERS[] = {"total-fit", "greedy", NULL};
static const char *const ALIGNS[] = {"justify", "left", NULL};
static const char *const FITS[] = {"shrink", "pages", NULL};
static const char *const ORIENTATIONS[] = {"portrait", "landscape", NULL};
static const char *const HEADS[] = {"title", "section", "none", NULL};

static const param PARAMS[] = {
    {"product", "kind", V_WORD, 0, 0, NULL, KINDS},
    {"page", "size", V_WORD, 0, 0, NULL, PAPERS},
    {"page", "orientation", V_WORD, 0, 0, NULL, ORIENTATIONS},
    {"page", "margin-top", V_LEN, 0, 80, "mm", NULL},
    {"page", "margin-bottom", V_LEN, 0, 80, "mm", NULL},
    {"page", "margin-inner", V_LEN, 0, 80, "mm", NULL},
    {"page", "margin-outer", V_LEN, 0, 80, "mm", NULL},
    {"page", "columns", V_LEN, 1, 2, "", NULL},
    {"page", "gutter", V_LEN, 0, 30, "mm", NULL},
    {"page", "column-share", V_FACTOR, 0.2, 0.8, NULL, NULL},
    {"text", "size", V_SIZE, 0, 0, NULL, NULL},
    {"text", "leading", V_FACTOR, 0.5, 3, NULL, NULL},
    {"text", "indent", V_LEN, 0, 4, "em", NULL},
    {"text", "paragraph-space", V_LEN, 0, 40, "pt", NULL},
    {"text", "pair-space", V_LEN, 0, 40, "pt", NULL},
    {"text", "align", V_WORD, 0, 0, NULL, ALIGNS},
    {"text", "breaker", V_WORD, 0, 0, NULL, BREAKERS},
    {"text", "grid", V_WORD, 0, 0, NULL, YES_NO},
    {"text", "expansion", V_LEN, 0, 3, "%", NULL},
    {"heading", "size", V_SIZE, 0, 0, NULL, NULL},
    {"heading", "size-en", V_SIZE, 0, 0, NULL, NULL},
    {"heading", "leading", V_FACTOR, 0.5, 3, NULL, NULL},
    {"heading", "space-before", V_LEN, 0, 80, "pt", NULL},
    {"heading", "space-after", V_LEN, 0, 40, "pt", NULL},
    {"title", "size", V_SIZE, 0, 0, NULL, NULL},
    {"title", "size-en", V_SIZE, 0, 0, NULL, NULL},
    {"title", "leading", V_FACTOR, 0.5, 3, NULL, NULL},
    {"title", "space-after", V_LEN, 0, 80, "pt", NULL},
    {"cover", "enabled", V_WORD, 0, 0, NULL, YES_NO},
    {"cover", "size", V_SIZE, 0, 0, NULL, NULL},
    {"cover", "size-en", V_SIZE, 0, 0, NULL, NULL},
    {"header", "enabled", V_WORD, 0, 0, NULL, YES_NO},
    {"header", "size", V_SIZE, 0, 0, NULL, NULL},
    {"header", "offset", V_LEN, 0, 60, "pt", NULL},
    {"header", "verso", V_WORD, 0, 0, NULL, HEADS},
    {"header", "recto", V_WORD, 0, 0, NULL, HEADS},
    {"footer", "folio", V_WORD, 0, 0, NULL, YES_NO},
    {"footer", "series", V_WORD, 0, 0, NULL, YES_NO},
    {"footer", "size", V_SIZE, 0, 0, NULL, NULL},
    {"footer", "offset", V_LEN, 0, 60, "pt", NULL},
    {"ruby", "mode", V_WORD, 0, 0, NULL, RUBY_MODES},
    {"ruby", "size", V_SIZE, 0, 0, NULL, NULL},
    {"ruby", "display", V_WORD, 0, 0, NULL, YES_NO},
    {"leaflet", "fit", V_WORD, 0, 0, NULL, FITS},
    {"leaflet", "min-scale", V_FACTOR, 0.5, 1, NULL, NULL},
    {"leaflet", "max-scale", V_FACTOR, 1, 2, NULL, NULL},
    {"leaflet", "pages", V_LEN, 1, 8, "", NULL},
    {"leaflet", "standfirst", V_WORD, 0, 0, NULL, YES_NO},
    {"leaflet", "standfirst-size", V_SIZE, 0, 0, NULL, NULL},
};
#define N_PARAMS (sizeof PARAMS / sizeof PARAMS[0])

/* Custom page sides (pt), swept like sizes between the PDF limits' neighbourhood of use. */
#define PAGE_LO_PT 72.0
#define PAGE_HI_PT 2000.0

static double sweep_log(unsigned v, double lo, double hi)
{
    return lo * pow(hi / lo, (double)(v - 1) / (PAIR_RANGE - 1));
}

static double sweep_lin(unsigned v, double lo, double hi)
{
    return lo + (hi - lo) * (double)(v - 1) / (PAIR_RANGE - 1);
}

/* The layout text the input stands for (in t->b, NULL when every value is the default). */
static void layout_text(const uint8_t *data, size_t size, pb_buf *t)
{
    const char *section = NULL;
    char line[160];
    for (size_t i = 0; i < N_PARAMS; i++) {
        const param *p = &PARAMS[i];
        size_t at = 1 + 2 * i; /* byte 0 picks the corpus */
        unsigned v = (at < size ? (unsigned)data[at] << 8 : 0) | (at + 1 < size ? data[at + 1] : 0);
        if (v == 0)
            continue;
        if (!section || strcmp(section, p->section) != 0) {
            snprintf(line, sizeof line, "[%s]\n", p->section);
            pb_buf_str(t, line);
            section = p->section;
        }
        switch (p->kind) {
        case V_SIZE:
            snprintf(line, sizeof line, "%s = %.4fpt\n", p->key, sweep_log(v, SIZE_LO_PT, SIZE_HI_PT));
            break;
        case V_LEN:
            if (!*p->unit) /* a count */
                snprintf(line, sizeof line, "%s = %d\n", p->key,
                         (int)p->lo + (int)(v % (unsigned)(p->hi - p->lo + 1)));
            else
                snprintf(line, sizeof line, "%s = %.4f%s\n", p->key, sweep_lin(v, p->lo, p->hi),
                         p->unit);
            break;
        case V_FACTOR:
            snprintf(line, sizeof line, "%s = %.4f\n", p->key, sweep_lin(v, p->lo, p->hi));
            break;
        case V_WORD: {
            size_t n = 0;
            while (p->words[n])
                n++;
            const char *w = p->words[v % n];
            if (strcmp(w, "custom") == 0)
                snprintf(line, sizeof line, "%s = %.2fpt %.2fpt\n", p->key,
                         sweep_log(v, PAGE_LO_PT, PAGE_HI_PT),
                         sweep_log((v * 40503u) % 65535u + 1, PAGE_LO_PT, PAGE_HI_PT));
            else
                snprintf(line, sizeof line, "%s = %s\n", p->key, w);
            break;
        }
        }
        pb_buf_str(t, line);
    }
}

static size_t count_lines(const char *t)
{
    size_t n = 0;
    for (; *t; t++)
        n += *t == '\n';
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 + 2 * N_PARAMS + 64)
        return 0; /* every value is read from the first bytes; longer inputs repeat them */
    init_once();
    pb_diag_reset();
    pb_diag_set_sink(g_null);

    pb_buf text = {0};
    layout_text(data, size, &text);
    REQUIRE(!text.oom);
    pb_layout lay;
    const char *ini = text.b ? text.b : "";
    pb_status st = pb_layout_parse(LAYOUT_NAME, ini, &lay);
    if (st != PB_OK) { /* refused: a message per error, no more than the file's lines + 1 */
        REQUIRE(st == PB_EINPUT);
        REQUIRE(pb_diag_error_count() >= 1 &&
                (size_t)pb_diag_error_count() <= count_lines(ini) + 1);
        free(text.b);
        pb_diag_set_sink(NULL);
        return 0;
    }
    free(text.b);

    const char *c = CORPORA[(size ? data[0] : 0) % N_CORPORA];
    pb_doc *doc = NULL;
    pb_changes changes = {0};
    pb_pages pages = {0};
    REQUIRE(pb_corpus_parse(CORPUS_NAME, (const uint8_t *)c, strlen(c), &doc) == PB_OK);
    REQUIRE(pb_normalize_doc(doc, NULL, &changes) == PB_OK);
    if (lay.product == PB_PRODUCT_LEAFLET) {
        REQUIRE(doc->n_sections > 0);
        double series = 0; /* the series' one size, or 0 */
        st = pb_pagebuild_leaflet_series(doc, &lay, g_fonts, &series);
        REQUIRE(st != PB_OK || series == 0 ||
                (series <= lay.max_scale + 1e-9 && series >= lay.min_scale - 1e-9));
        for (int s = 1; s <= doc->n_sections && st == PB_OK; s++) {
            double scale = 0;
            st = pb_pagebuild_leaflet(doc, &lay, g_fonts, s, series, &pages, &scale);
            if (st == PB_OK) {
                REQUIRE(scale > 0 && scale <= lay.max_scale + 1e-9 &&
                        scale >= lay.min_scale - 1e-9);
                check_pages(&pages);
                REQUIRE(pb_trace_write(&pages, g_null) == PB_OK);
                pb_pagebuild_free(&pages);
            }
        }
    } else {
        st = pb_pagebuild_doc(doc, &lay, g_fonts, NULL, NULL, &pages);
        if (st == PB_OK) {
            check_pages(&pages);
            REQUIRE(pb_trace_write(&pages, g_null) == PB_OK);
        }
    }
    if (st != PB_OK) {
        REQUIRE(st == PB_EINPUT && pages.n == 0);
        REQUIRE(pb_diag_error_count() >= 1);
    }
    pb_pagebuild_free(&pages);
    pb_normalize_free_changes(&changes);
    pb_corpus_free(doc);
    pb_diag_set_sink(NULL);
    return 0;
}
