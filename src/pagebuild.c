/* pagebuild: the products. Which pairs each sets, in which order, in which galley (stacked
 * or in level columns), on which pages (a cover, the text, a leaflet's fit); the galley,
 * the page breaker and the output routine do the rest. */
#include "pagebuild.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binding.h"
#include "galley.h"
#include "pagebreak.h"
#include "pageout.h"
#include "uchar.h"
#include "util.h"

/* A Chinese paragraph and its English one prefer one spread: a break inside a pair at a spread
 * turn costs what a page left an eighth empty costs (about four lines of the booklet, five of
 * the archive; vlist.h PB_VCOST_EMPTY): a long pair is split over a leaf's turn rather than
 * leave more than that empty. */
#define SPREAD_COST PB_VCOST_EMPTY(0.125)
/* Leaflet fit: sizes shrink in steps of about this factor until the section fits, each step
 * to a size at which the measure is still whole characters (pb_layout_whole_scale). */
#define FIT_STEP 0.025
/* A leaflet's text fills its page when its last baseline is in the bottom 15 % of the text
 * block: it then grows its sizes (up to [leaflet] max-scale) until it does. */
#define LEAFLET_FILL_SHARE 0.85
/* Rounding slack (pt, and for scales). */
#define EPS 1e-6



/* The cover: the title pair set large, centred on the page at the optical centre; then a blank
 * inside cover. */
static pb_status add_cover(pb_pageout *o, pb_composer *comp)
{
    const pb_layout *l = o->lay;
    const pb_doc *doc = o->doc;
    pb_status st = pb_pageout_new_page(o, 1);
    if (st != PB_OK)
        return st;
    pb_para paras[2] = {{0}};
    size_t n = 0;
    double total = 0;
    double sizes[2] = {0}, leads[2] = {0};
    for (size_t i = 0; i < doc->n_blocks && doc->blocks[i].kind == PB_BLOCK_TITLE && n < 2; i++) {
        /* each title at its size on the cover, led in the title's proportion */
        sizes[n] = doc->blocks[i].lang == PB_LANG_EN ? l->cover_size_en : l->cover_size;
        leads[n] = sizes[n] * l->title_leading / l->title_size;
        pb_style sty = {1, sizes[n], 0, PB_ALIGN_CENTER};
        pb_block plain = doc->blocks[i];
        plain.n_annots = 0; /* no ruby on the cover: it is a display, not a reading text */
        if ((st = pb_compose_block(comp, &plain, doc->file, &sty, pb_layout_measure(l), &paras[n])) !=
            PB_OK)
            break;
        paras[n].block = &doc->blocks[i]; /* not the stand-in without annotations */
        total += paras[n].n_lines * leads[n];
        n++;
    }
    /* optical centre: a little above the middle (the classic 3:5 split of the white space) */
    double white = pb_layout_room(l) - total;
    double cursor = pb_layout_top(l) - white * 3 / 8;
    pb_page *p = &o->out->pages[o->out->n - 1];
    for (size_t k = 0; k < n && st == PB_OK; k++)
        for (size_t li = 0; li < paras[k].n_lines && st == PB_OK; li++) {
            double bl = cursor - pb_galley_ascent(sizes[k], leads[k]);
            /* centred on the page, not on the text block (the margins differ) */
            st = pb_pageout_put_line(p, &paras[k], li, (l->page_w - pb_layout_measure(l)) / 2, bl);
            if (st == PB_OK) /* a title too wide for the cover is said as the text's would be */
                st = pb_pageout_note_overfull(o->out, &paras[k], li);
            cursor -= leads[k];
        }
    for (size_t k = 0; k < 2; k++)
        pb_compose_free_para(&paras[k]);
    if (st == PB_OK)
        st = pb_pageout_new_page(o, 1);
    return st;
}

static pb_status release_placed(void *galley, size_t upto)
{
    return pb_galley_release(galley, upto);
}

static pb_status open_placing(void *galley, size_t from, size_t upto)
{
    return pb_galley_open(galley, from, upto);
}

/* The sink and the output routine whose pages go to it. */
typedef struct {
    const pb_page_sink *sink;
    pb_pageout *o;
} sink_ctx;

/* A look at what the text's pages draw (start_sink): the page being looked at, its glyphs. */
typedef struct {
    const pb_galley *g;
    pb_page page;
} look_ctx;

static pb_status look_line(void *ctx, size_t j, const pb_vline *vl)
{
    (void)j;
    look_ctx *lc = ctx;
    return pb_galley_put_text(lc->g, vl, &lc->page);
}

static pb_status ship_page(void *ctx, pb_pages *pages, size_t i)
{
    const sink_ctx *sc = ctx;
    pb_status st = sc->sink->page(sc->sink->ctx, pages, i);
    pb_pageout_recycle(sc->o, &pages->pages[i]);
    return st;
}

/* Tell the sink what the product will be and what its pages draw, before any page is final:
 * the pages made so far as they are, then each text page's glyphs as the output routine will
 * draw them (pb_pageout_each_line's order, read from the galley without placing them: a page
 * of glyphs only, no folio, head or bullet, which draw no text); then hand it each page as it
 * is final. */
static pb_status start_sink(pb_pageout *o, const pb_galley *g, const size_t *breaks,
                            size_t pages, sink_ctx *sc)
{
    const pb_page_sink *sink = sc->sink;
    size_t made = o->out->n + pages, marks = 0;
    for (size_t j = 0; j < g->vl.n; j++)
        marks += g->vl.v[j].kind == PB_V_BOX && (g->vl.v[j].flags & PB_VF_MARK) && g->vl.v[j].mark;
    pb_status st = sink->begin(sink->ctx, pb_binding_pages(o->lay, made ? made : 1), marks);
    for (size_t i = 0; i < o->out->n && st == PB_OK; i++)
        st = sink->record(sink->ctx, &o->out->pages[i]);
    look_ctx lc = {.g = g};
    for (size_t k = 0, s = 0; k < pages && st == PB_OK; s = breaks[k++] + 1) {
        lc.page.n = 0;
        st = pb_pageout_each_line(&g->vl, pb_pagebreak_page_start(&g->vl, s), breaks[k], NULL,
                                  look_line, &lc);
        if (st == PB_OK)
            st = sink->record(sink->ctx, &lc.page);
    }
    pb_pageout_recycle(o, &lc.page); /* its glyph array to the pages kept */
    o->ship = ship_page;
    o->ship_ctx = sc;
    return st;
}

/* A leaflet over its pages, for the warning and the report: how much of its text is past
 * their room (the heights of its pages as broken, less that room) and how full its last page
 * is. */
static void over_by(pb_pageout *o, const pb_vlist *l, const size_t *breaks, size_t pages)
{
    double room = pb_layout_room(o->lay), total = 0, h = 0;
    for (size_t k = 0, s = 0; k < pages; s = breaks[k++] + 1) {
        h = 0;
        for (size_t j = pb_pagebreak_page_start(l, s); j < breaks[k]; j++)
            h += l->v[j].kind == PB_V_BOX ? l->v[j].height + l->v[j].depth
                 : l->v[j].kind == PB_V_GLUE ? l->v[j].height : 0;
        total += h;
    }
    o->out->over = fmax(total - o->lay->leaflet_pages * room, 0);
    o->out->over_lines = o->out->over / (o->lay->leading * o->scale);
    o->out->last_fill = room > 0 ? h / room : 0;
}

/* A saddle-stitched product whose last page costs a sheet even broken for the fewest pages:
 * the fewest lines, up to a fifth of a page's, by which its last page but one may run long (or
 * the text of its last two pages be cut) for a page fewer (pb_pages.sheet_cut; binding.c says
 * it: review 9, a short last section on a page of its own made a booklet of 12). */
static pb_status sheet_cut(pb_pageout *o, const pb_galley *g, pb_pagebreak_params *bp,
                           size_t pages)
{
    double lead = o->lay->leading * o->scale;
    int most = (int)floor(PB_BINDING_LIGHT_SHARE * pb_layout_room(o->lay) / lead + EPS);
    pb_status st = PB_OK;
    for (int k = 1; k <= most && st == PB_OK; k++) {
        size_t *fewer = NULL, n_fewer = 0;
        bp->last_extra = k * lead;
        st = pb_pagebreak(&g->vl, bp, &fewer, &n_fewer);
        free(fewer);
        if (st == PB_OK && n_fewer < pages) {
            o->out->sheet_cut = (size_t)k;
            break;
        }
    }
    bp->last_extra = 0;
    return st;
}

/* The product's text set from pairs (first blocks, in order) on pages after those made so far.
 * fill: a leaflet that fits its pages spreads the space between blocks to fill its last page
 * (one that runs over sets its last page as it comes). *pages: text pages made.
 * sink (may be NULL): where the pages go as they are made (start_sink). */
static pb_status set_text(pb_pageout *o, pb_galley *g, int fill, sink_ctx *sink,
                          size_t *pages)
{
    pb_status st = pb_galley_build(g);
    if (st != PB_OK)
        return st;
    /* a leaflet over its pages runs on as a booklet does: each page but the last full, the
     * last holding what is left (a leaflet printed on both sides is read front, then back; its
     * pages balanced would leave a hole mid-text on the front, and part a pair over the turn
     * to make them even) */
    pb_pagebreak_params bp = {.height = pb_layout_room(o->lay), .fill_cost = PB_VCOST_PAGE_FILL,
                              .spread_cost = SPREAD_COST,
                              .first_verso = (int)(o->out->n % 2)}; /* page 1, 3 ...: versos */
    size_t *breaks = NULL;
    st = pb_pagebreak(&g->vl, &bp, &breaks, pages);
    /* a saddle-stitched booklet whose last page costs a sheet (four pages, three of them blank)
     * takes its text back onto the pages before, where they end short for a rule that yields
     * (a short pair kept whole, the spread rule), when that saves the page (review 8: two
     * lines of notes on page 8 made a booklet of 12) */
    size_t made = o->out->n;
    if (st == PB_OK && !fill && *pages > 1 &&
        pb_binding_pages(o->lay, made + *pages) > pb_binding_pages(o->lay, made + *pages - 1)) {
        size_t *fewer = NULL, n_fewer = 0;
        bp.fewest = 1;
        st = pb_pagebreak(&g->vl, &bp, &fewer, &n_fewer);
        if (st == PB_OK && n_fewer < *pages) {
            free(breaks);
            breaks = fewer;
            *pages = n_fewer;
        } else {
            free(fewer);
            if (st == PB_OK)
                st = sheet_cut(o, g, &bp, *pages);
        }
    }
    /* a leaflet at its least size over its pages: its last page takes the rest where the space
     * between its blocks, above headings and between pairs, gives it (review 9: a leaflet ran
     * to a second page for half a line) */
    if (st == PB_OK && fill && g->shrink && *pages > (size_t)o->lay->leaflet_pages) {
        size_t *tight = NULL, n_tight = 0;
        bp.last_shrink = 1;
        st = pb_pagebreak(&g->vl, &bp, &tight, &n_tight);
        if (st == PB_OK && n_tight <= (size_t)o->lay->leaflet_pages) {
            free(breaks);
            breaks = tight;
            *pages = n_tight;
            o->out->tightened = 1;
        } else {
            free(tight);
        }
    }
    if (st == PB_OK && fill && *pages > (size_t)o->lay->leaflet_pages)
        over_by(o, &g->vl, breaks, *pages);
    fill = fill && *pages <= (size_t)o->lay->leaflet_pages;
    /* each paragraph unpacked for the page that places its first line, freed once its lines
     * are on their pages */
    o->open = open_placing;
    o->placed_ctx = g;
    if (st == PB_OK && sink)
        st = start_sink(o, g, breaks, *pages, sink);
    o->placed = release_placed;
    if (st == PB_OK)
        st = pb_pageout_place(o, &g->vl, breaks, *pages, fill);
    o->placed = NULL;
    o->open = NULL;
    o->placed_ctx = NULL;
    free(breaks);
    return st;
}

/* Every pair's first block, in document order. */
static size_t *all_pairs(const pb_doc *doc, size_t *n)
{
    size_t *v = malloc((doc->n_blocks ? doc->n_blocks : 1) * sizeof *v);
    *n = 0;
    for (size_t i = 0; v && i < doc->n_blocks; i = pb_corpus_pair_end(doc, i))
        v[(*n)++] = i;
    if (!v)
        pb_diag_oom("making pages");
    return v;
}

/* Text set past the measure is said on stderr, not only in the report: one warning for each
 * paragraph with overfull lines, once its product is made (a leaflet tries several sizes). */
static void warn_overfull(const pb_pages *o, const char *file, const pb_layout *l)
{
    /* past the narrower margin the line leaves the paper */
    double edge = fmin(l->margin_inner, l->margin_outer);
    for (size_t i = 0; i < o->n_issues;) {
        const pb_issue *is = &o->issues[i];
        size_t j = i + 1;
        if (is->kind != PB_ISSUE_OVERFULL) {
            i = j;
            continue;
        }
        double most = is->value;
        while (j < o->n_issues && o->issues[j].kind == PB_ISSUE_OVERFULL &&
               o->issues[j].line == is->line) {
            most = fmax(o->issues[j].value, most);
            j++;
        }
        const char *off = most > edge ? "; text runs off the page" : "";
        if (j - i == 1)
            pb_diag_warning(file, is->line, 0, "line overfull by %.1f pt on page %zu%s",
                            is->value, is->page + 1, off);
        else
            pb_diag_warning(file, is->line, 0,
                            "%zu lines overfull, by up to %.1f pt (the first on page %zu)%s",
                            j - i, most, is->page + 1, off);
        i = j;
    }
    pb_pageout_warn(o, file);
}

pb_status pb_pagebuild_doc(const pb_doc *doc, const pb_layout *lay, pb_fontset *fonts,
                           const pb_colophon *colophon, const pb_page_sink *sink,
                           pb_pages *out)
{
    memset(out, 0, sizeof *out);
    out->scale = 1.0;
    int parallel = lay->product == PB_PRODUCT_PARALLEL;
    pb_composer *comp = NULL;
    pb_status st = pb_compose_new(fonts, lay, &comp);
    if (st != PB_OK)
        return st;
    pb_pageout o = {.lay = lay, .scale = 1.0, .doc = doc, .comp = comp, .out = out};
    size_t n_pairs = 0;
    size_t *pairs = all_pairs(doc, &n_pairs);
    pb_galley g = {.doc = doc, .lay = lay, .fonts = fonts, .scale = 1.0,
                   .kind = parallel ? PB_GALLEY_COLUMNS : PB_GALLEY_STACK, .grid = lay->grid,
                   .spread = lay->product == PB_PRODUCT_BOOKLET, .pairs = pairs,
                   .n_pairs = n_pairs};
    if (!pairs)
        st = PB_ESYSTEM;
    if (st == PB_OK && lay->cover && !parallel)
        st = add_cover(&o, comp);
    size_t pages = 0;
    /* the colophon is set on the back cover once the text is placed, but a page's glyphs are
     * all recorded before the first page goes: with one, the pages go when all are made */
    int streamed = sink && lay->colophon == PB_COLOPHON_NONE;
    sink_ctx sc = {sink, &o};
    if (st == PB_OK)
        st = set_text(&o, &g, 0, streamed ? &sc : NULL, &pages);
    if (st == PB_OK)
        st = pb_pageout_finish(&o);
    if (st == PB_OK)
        st = pb_binding_apply(&o, colophon);
    if (st == PB_OK && sink && !streamed) {
        st = sink->begin(sink->ctx, out->n, out->n_marks);
        for (size_t i = 0; i < out->n && st == PB_OK; i++)
            st = sink->record(sink->ctx, &out->pages[i]);
        o.ship = ship_page;
        o.ship_ctx = &sc;
    }
    if (st == PB_OK) /* the binding's pages (or all) */
        st = pb_pageout_ship(&o);
    pb_pageout_fini(&o);
    pb_galley_fini(&g);
    free(pairs);
    pb_compose_free(comp);
    if (st != PB_OK)
        pb_pagebuild_free(out);
    else
        warn_overfull(out, doc->file, lay);
    return st;
}

/* The end of the byline a leaflet carries: the pairs set apart ({center}, {right}, {left})
 * right under the title, which the title page sets with it: the authors and their
 * affiliations (`¹國立…大學`), an issuer, a dateline and venue, a model line, a reference
 * number. Every leaflet sets them, as the booklet's title page does (review 8: an abstract's
 * authors were in no leaflet, its affiliations the standfirst; review 13: a programme's dates
 * and venue, a manual's model number were in none, over a preamble of their own). Blocks [end
 * of the title's pair, this) are it; none when this is that end. */
static size_t title_block_end(const pb_doc *doc)
{
    size_t i = doc->n_blocks ? pb_corpus_pair_end(doc, 0) : 0;
    while (i < doc->n_blocks && doc->blocks[i].kind == PB_BLOCK_INTRO &&
           (doc->blocks[i].flags & (PB_BLOCK_CENTER | PB_BLOCK_RIGHT | PB_BLOCK_LEFT)))
        i = pb_corpus_pair_end(doc, i);
    return i;
}

/* The start of the preamble's last pair after the title block (a leaflet's standfirst), or
 * n_blocks: none. */
static size_t standfirst_pair(const pb_doc *doc)
{
    size_t intro = doc->n_blocks;
    for (size_t i = title_block_end(doc); i < doc->n_blocks; i = pb_corpus_pair_end(doc, i))
        if (doc->blocks[i].kind == PB_BLOCK_INTRO)
            intro = i;
    return intro;
}

/* The pair (pb_block.pair) a leaflet sets as its standfirst, -1: none. */
static int standfirst_of(const pb_doc *doc, const pb_layout *lay)
{
    size_t i = standfirst_pair(doc);
    return lay->standfirst && i < doc->n_blocks ? doc->blocks[i].pair : -1;
}

/* The pairs of a leaflet, in its order: the initiative's title (the kicker), the section's
 * heading (the headline), the preamble's last pair (the standfirst), the title block (a
 * byline, under the standfirst as a paper's is), then the section's text, then the closing
 * matter every leaflet carries: the {every} pairs of the other sections and the preamble (a
 * section's own stay where they are). */
static size_t *leaflet_pairs(const pb_doc *doc, const pb_layout *lay, int section, size_t *n)
{
    size_t *v = malloc((doc->n_blocks ? doc->n_blocks : 1) * sizeof *v);
    *n = 0;
    if (!v) {
        pb_diag_oom("making pages");
        return NULL;
    }
    size_t intro = standfirst_pair(doc);
    size_t byline = doc->n_blocks ? pb_corpus_pair_end(doc, 0) : 0, by_end = title_block_end(doc);
    for (int pass = 0; pass < 6; pass++)
        for (size_t i = 0; i < doc->n_blocks; i = pb_corpus_pair_end(doc, i)) {
            const pb_block *blk = &doc->blocks[i];
            int title = blk->kind == PB_BLOCK_TITLE;
            int by = i >= byline && i < by_end;
            int mine = !title && i != intro && blk->section == section;
            int head = mine && blk->kind == PB_BLOCK_HEADING && blk->level == 1;
            int every = !title && !by && !mine && i != intro && blk->kind != PB_BLOCK_HEADING &&
                        (blk->flags & PB_BLOCK_EVERY);
            if ((pass == 0 && title) || (pass == 1 && head) ||
                (pass == 2 && i == intro && lay->standfirst) || (pass == 3 && by) ||
                (pass == 4 && mine && !head && !by) || (pass == 5 && every))
                v[(*n)++] = i;
        }
    return v;
}

/* The preamble's text that no leaflet sets (all of it but the standfirst): an issue per run
 * of such pairs for the report, and a warning when it is more text than the sections hold —
 * then the document's main text is in its preamble and the leaflets would lose it. */
static pb_status leaflets_left_out(const pb_doc *doc, const pb_layout *lay, pb_pages *out)
{
    size_t intro = standfirst_pair(doc), left = 0, kept = 0; /* code points */
    size_t by_end = title_block_end(doc);
    for (size_t i = 0; i < doc->n_blocks; i++) {
        const pb_block *blk = &doc->blocks[i];
        if (blk->kind != PB_BLOCK_TITLE)
            *(blk->kind == PB_BLOCK_INTRO && !(lay->standfirst && i >= intro) && i >= by_end &&
                      !(blk->flags & PB_BLOCK_EVERY)
                  ? &left
                  : &kept) += blk->len;
    }
    int first = 0, last = 0;
    pb_status st = PB_OK;
    for (size_t i = 0; i < doc->n_blocks && st == PB_OK;) {
        size_t end = pb_corpus_pair_end(doc, i);
        const pb_block *blk = &doc->blocks[i];
        int out_of_all = blk->kind == PB_BLOCK_INTRO && !(i == intro && lay->standfirst) &&
                         i >= by_end && !(blk->flags & PB_BLOCK_EVERY);
        if (out_of_all) {
            first = first ? first : blk->line;
            last = doc->blocks[end - 1].line;
        }
        if (first && (!out_of_all || end >= doc->n_blocks)) { /* a run ends */
            st = pb_pageout_add_issue(out, PB_ISSUE_LEFT_OUT, first, last);
            if (st == PB_OK && left > kept)
                pb_diag_warning(doc->file, first, 0,
                                "the preamble's text (lines %d-%d) is in no leaflet: a leaflet "
                                "sets one section%s; here it is most of the document", first, last,
                                lay->standfirst ? " and the preamble's last pair" : "");
            first = 0;
        }
        i = end;
    }
    return st;
}

/* A note mark in a block's text: text [at, at + len) of b. */
typedef struct {
    const pb_block *b;
    size_t at, len;
} mark_at;

static int same_mark(const mark_at *x, const mark_at *y)
{
    return x->len == y->len &&
           !memcmp(x->b->text + x->at, y->b->text + y->at, x->len * sizeof *x->b->text);
}

/* The pair at i: its note mark (m->len 0: it is no note), from its first block that begins
 * with one (a title or heading is no note: "※ 注意事項" heads a section). */
static void pair_note(const pb_doc *doc, size_t i, mark_at *m)
{
    m->len = 0;
    if (doc->blocks[i].kind == PB_BLOCK_TITLE || doc->blocks[i].kind == PB_BLOCK_HEADING)
        return;
    for (size_t j = i; j < pb_corpus_pair_end(doc, i) && !m->len; j++) {
        m->b = &doc->blocks[j];
        m->at = pb_corpus_note_lead(m->b, &m->len);
    }
}

/* The note marks the pair at i prints in its text (not the one its note begins with), each
 * attached to what it marks (after a visible character: "3 * 4" marks nothing), not a power:
 * for each, fn(ctx, mark) until it returns 0. */
static int pair_marks(const pb_doc *doc, size_t i, int (*fn)(void *, const mark_at *), void *ctx)
{
    for (size_t j = i; j < pb_corpus_pair_end(doc, i); j++) {
        const pb_block *b = &doc->blocks[j];
        size_t lead_n, k = pb_corpus_note_lead(b, &lead_n) + lead_n;
        while (k < b->len) {
            mark_at m = {b, k, pb_corpus_text_mark(b, k)};
            if (m.len && !fn(ctx, &m))
                return 0;
            k += m.len ? m.len : 1;
        }
    }
    return 1;
}

/* A list of marks, each once: the first of each. */
typedef struct {
    mark_at *v;
    size_t n, cap;
    int oom;
} mark_list;

static int mark_list_add(void *ctx, const mark_at *m)
{
    mark_list *l = ctx;
    for (size_t k = 0; k < l->n; k++)
        if (same_mark(&l->v[k], m))
            return 1;
    if (PB_GROW(l->v, l->cap, l->n)) {
        l->oom = 1;
        return 0;
    }
    l->v[l->n++] = *m;
    return 1;
}

/* A mark looked for (find_mark): found, when set. */
typedef struct {
    mark_at want, found;
    int hit;
} mark_find;

static int find_mark(void *ctx, const mark_at *m)
{
    mark_find *f = ctx;
    if (!same_mark(&f->want, m))
        return 1;
    f->found = *m, f->hit = 1;
    return 0;
}

/* The pair whose note begins with mark m, the first after the pair at i or else the last
 * before it; n_blocks: none. */
static size_t note_of(const pb_doc *doc, const mark_at *m, size_t i)
{
    size_t before = doc->n_blocks;
    for (size_t j = 0; j < doc->n_blocks; j = pb_corpus_pair_end(doc, j)) {
        mark_at n;
        pair_note(doc, j, &n);
        if (n.len && same_mark(&n, m)) {
            if (j > i)
                return j;
            before = j;
        }
    }
    return before;
}

/* The pair of pairs[0..n) whose note begins with mark m, or n. */
static size_t note_in(const pb_doc *doc, const size_t *pairs, size_t n, const mark_at *m)
{
    size_t k = 0;
    for (mark_at at; k < n; k++) {
        pair_note(doc, pairs[k], &at);
        if (at.len && same_mark(&at, m))
            break;
    }
    return k;
}

/* The first block, of the pairs given or of the document, that prints mark m in its text (its
 * mark in *at), or NULL. */
static const pb_block *mark_in(const pb_doc *doc, const size_t *pairs, size_t n, const mark_at *m,
                               mark_at *at)
{
    mark_find f = {*m, {0}, 0};
    if (pairs)
        for (size_t k = 0; k < n && pair_marks(doc, pairs[k], find_mark, &f); k++)
            ;
    else
        for (size_t i = 0; i < doc->n_blocks && pair_marks(doc, i, find_mark, &f);
             i = pb_corpus_pair_end(doc, i))
            ;
    *at = f.found;
    return f.hit ? f.found.b : NULL;
}

static pb_status add_note_issue(pb_pages *out, pb_issue_kind kind, int line, int value,
                                const mark_at *m, int other)
{
    pb_status st = pb_pageout_add_issue(out, kind, line, value);
    if (st == PB_OK) {
        pb_issue *is = &out->issues[out->n_issues - 1];
        is->mark = m->b->text + m->at, is->mark_len = m->len, is->other = other;
    }
    return st;
}

/* A leaflet's notes and their marks, which may be in different sections: each note mark its
 * text prints whose note it does not (its note in another section or the preamble, not marked
 * {every}) is warned about at the mark and an issue; each note it prints, not marked {every},
 * whose mark its text does not have, an issue (a note pointing at nothing). */
static pb_status notes_apart(const pb_doc *doc, int section, const size_t *pairs, size_t n_pairs,
                             pb_pages *out)
{
    mark_list used = {0};
    for (size_t k = 0; k < n_pairs && !used.oom; k++)
        pair_marks(doc, pairs[k], mark_list_add, &used);
    pb_status st = used.oom ? pb_diag_oom("making pages") : PB_OK;
    for (size_t u = 0; u < used.n && st == PB_OK; u++) {
        const mark_at *m = &used.v[u];
        size_t note = note_in(doc, pairs, n_pairs, m) < n_pairs
                          ? doc->n_blocks
                          : note_of(doc, m, (size_t)(m->b - doc->blocks));
        if (note >= doc->n_blocks)
            continue; /* its note is here, or nowhere: not a matter of leaflets */
        const pb_block *nb = &doc->blocks[note];
        char said[64] = "", u8[5];
        for (size_t k = 0; k < m->len && strlen(said) + 5 < sizeof said; k++) {
            u8[pb_uchar_encode(m->b->text[m->at + k], u8)] = 0;
            strcat(said, u8);
        }
        char where[64];
        if (nb->section > 0)
            snprintf(where, sizeof where, "set in leaflet %d only", nb->section);
        else
            snprintf(where, sizeof where, "in the preamble, which no leaflet sets");
        pb_diag_warning(doc->file, m->b->line, (int)m->b->col[m->at],
                        "leaflet %d prints the note mark %s but not its note (line %d, %s): mark "
                        "the note pair {every} for every leaflet to carry it, or move it into "
                        "section %d",
                        section, said, nb->line, where, section);
        st = add_note_issue(out, PB_ISSUE_NOTE_APART, m->b->line, nb->line, m, nb->section);
    }
    int uncited = 0, first = 0; /* {every} notes whose marks the text lacks; the first's line */
    for (size_t k = 0; k < n_pairs && st == PB_OK; k++) {
        mark_at n, at;
        pair_note(doc, pairs[k], &n);
        if (!n.len || mark_in(doc, pairs, n_pairs, &n, &at))
            continue;
        if (doc->blocks[pairs[k]].flags & PB_BLOCK_EVERY) { /* carried by every leaflet, as asked */
            first = uncited++ ? first : doc->blocks[pairs[k]].line;
            continue;
        }
        const pb_block *use = mark_in(doc, NULL, 0, &n, &at);
        st = add_note_issue(out, PB_ISSUE_NOTE_ALONE, doc->blocks[pairs[k]].line,
                            use ? use->line : 0, &n, use ? use->section : 0);
    }
    if (st == PB_OK && uncited)
        st = pb_pageout_add_issue(out, PB_ISSUE_EVERY_UNCITED, first, uncited);
    free(used.v);
    return st;
}

/* Closing matter only the last leaflet sets, when there are several: the last section's pairs
 * after its last list item (notes, an enquiries line), or with no list its trailing notes
 * (pairs that begin with a note mark), none marked {every}. An issue for the report (the marks
 * in other leaflets that point to its notes: notes_apart()). */
static pb_status last_only(const pb_doc *doc, pb_pages *out)
{
    int last = doc->n_sections;
    if (last < 2)
        return PB_OK;
    size_t from = doc->n_blocks, notes = doc->n_blocks; /* after the last list; the notes' run */
    for (size_t i = 0; i < doc->n_blocks; i = pb_corpus_pair_end(doc, i)) {
        const pb_block *b = &doc->blocks[i];
        if (b->section != last || b->kind == PB_BLOCK_HEADING || b->kind == PB_BLOCK_TITLE)
            continue;
        if (b->flags & PB_BLOCK_LIST)
            from = pb_corpus_pair_end(doc, i);
        mark_at m;
        pair_note(doc, i, &m);
        if (!m.len)
            notes = doc->n_blocks;
        else if (notes == doc->n_blocks)
            notes = i;
    }
    if (from >= doc->n_blocks)
        from = notes;
    int first = 0, end = 0;
    for (size_t i = from; i < doc->n_blocks; i = pb_corpus_pair_end(doc, i)) {
        const pb_block *b = &doc->blocks[i];
        if (b->section != last || (b->flags & PB_BLOCK_EVERY))
            continue;
        first = first ? first : b->line;
        end = doc->blocks[pb_corpus_pair_end(doc, i) - 1].line;
    }
    return first ? pb_pageout_add_issue(out, PB_ISSUE_LAST_ONLY, first, end) : PB_OK;
}

/* One leaflet at a size factor. */
static pb_status leaflet_at(const pb_doc *doc, const pb_layout *lay, pb_fontset *fonts,
                            int section, double scale, const size_t *pairs, size_t n_pairs,
                            pb_pages *out)
{
    memset(out, 0, sizeof *out);
    out->scale = scale;
    pb_composer *comp = NULL;
    pb_status st = pb_compose_new(fonts, lay, &comp);
    if (st != PB_OK)
        return st;
    pb_pageout o = {.lay = lay, .scale = scale, .doc = doc, .comp = comp, .out = out,
                    .series = section, .in_force = section};
    /* at its least size (the floor's whole-character size, or under it) its spaces may give */
    double floor_scale = lay->fit == PB_FIT_SHRINK ? lay->min_scale : 1.0;
    int least = scale <= pb_layout_whole_scale(lay, floor_scale) + EPS;
    pb_galley g = {.doc = doc, .lay = lay, .fonts = fonts, .scale = scale,
                   .kind = PB_GALLEY_STACK, .grid = lay->grid, .stretch = 1, .shrink = least,
                   .leaflet = 1, .standfirst = standfirst_of(doc, lay), .pairs = pairs,
                   .n_pairs = n_pairs};
    size_t pages = 0;
    st = set_text(&o, &g, 1, NULL, &pages);
    for (size_t p = 0; st == PB_OK && p < out->n; p++)
        out->pages[p].section = out->pages[p].section_top = section;
    if (st == PB_OK)
        st = pb_pageout_finish(&o);
    pb_pageout_fini(&o);
    pb_galley_fini(&g);
    pb_compose_free(comp);
    if (st != PB_OK)
        pb_pagebuild_free(out);
    return st;
}

/* How far down its text block a one-page leaflet's last body line sits (0: the top, 1: the
 * foot). */
static double leaflet_fill(const pb_pages *o, const pb_layout *l)
{
    double low = pb_layout_top(l);
    for (size_t k = 0; k < o->n; k++)
        for (size_t i = 0; i < o->pages[k].n_lines; i++)
            if (o->pages[k].lines[i].block && o->pages[k].lines[i].y < low)
                low = o->pages[k].lines[i].y;
    return (pb_layout_top(l) - low) / pb_layout_room(l);
}

/* Most sizes one fit tries: 1 and the shrinking steps down to a min-scale of 0.5 (layout.c's
 * floor), with room to spare. */
#define FIT_TRIES_MAX 64

/* One section at its own size, by the fit rule: full size when it fits its pages; else sizes
 * shrink FIT_STEP at a time until it fits, down to the floor; a section too long even there
 * goes back to the largest size that takes no more pages than the floor does (full size, when
 * the pages are as many), not shrunk for nothing; a one-page section that leaves its page
 * short grows, FIT_STEP at a time, until its text fills the page or the next step would not
 * fit (or pass max-scale). */
static pb_status leaflet_own(const pb_doc *doc, const pb_layout *lay, pb_fontset *fonts,
                             int section, const size_t *pairs, size_t n_pairs, pb_pages *out,
                             double *scale_out)
{
    double floor_scale = lay->fit == PB_FIT_SHRINK ? lay->min_scale : 1.0;
    double tried[FIT_TRIES_MAX];
    size_t pages_at[FIT_TRIES_MAX];
    int n_tried = 0;
    double scale = 1.0;
    pb_status st;
    /* a bounded number of tries */
    int tries = (int)ceil((1.0 - floor_scale) / FIT_STEP) + 1;
    if (tries > FIT_TRIES_MAX)
        tries = FIT_TRIES_MAX;
    for (int t = 0;; t++) {
        st = leaflet_at(doc, lay, fonts, section, scale, pairs, n_pairs, out);
        if (st != PB_OK)
            return st;
        tried[n_tried] = scale, pages_at[n_tried++] = out->n;
        if (out->n <= (size_t)lay->leaflet_pages || t + 1 >= tries || scale <= floor_scale + EPS)
            break;
        double next = pb_layout_whole_scale(lay, fmax(1.0 - (t + 1) * FIT_STEP, floor_scale));
        if (next >= scale - EPS)
            break; /* no smaller whole-character size above the floor */
        pb_pagebuild_free(out);
        scale = next;
    }
    if (out->n > (size_t)lay->leaflet_pages) {
        /* more pages anyway: the largest size tried that takes no more than the last */
        int k = 0;
        while (k + 1 < n_tried && pages_at[k] > out->n)
            k++;
        if (k + 1 < n_tried) {
            pb_pagebuild_free(out);
            scale = tried[k];
            if ((st = leaflet_at(doc, lay, fonts, section, scale, pairs, n_pairs, out)) != PB_OK)
                return st;
        }
    }
    int grow = (int)floor((lay->max_scale - 1.0) / FIT_STEP + EPS);
    for (int t = 1; t <= grow && scale >= 1.0 - EPS && lay->leaflet_pages == 1 && out->n == 1 &&
                    leaflet_fill(out, lay) < LEAFLET_FILL_SHARE;
         t++) {
        pb_pages bigger;
        if ((st = leaflet_at(doc, lay, fonts, section, 1.0 + t * FIT_STEP, pairs, n_pairs,
                             &bigger)) != PB_OK)
            return st;
        if (bigger.n > 1) {
            pb_pagebuild_free(&bigger);
            break;
        }
        pb_pagebuild_free(out);
        *out = bigger;
        scale = 1.0 + t * FIT_STEP;
    }
    if (scale > 1.0 + EPS && leaflet_fill(out, lay) < LEAFLET_FILL_SHARE)
        out->grown_fill = leaflet_fill(out, lay); /* grown as far as it may, still short */
    *scale_out = scale;
    return PB_OK;
}

/* The size factor at which the text block holds n characters of the text size. */
static double scale_of_chars(const pb_layout *lay, double n)
{
    return pb_layout_measure(lay) / (lay->text_size * n);
}

/* A leaflet too long for its pages even at its floor (min-scale; full size with fit = pages):
 * the largest whole-character size below that floor, down to PB_LAYOUT_MIN_SCALE_FLOOR, at
 * which it would fit them (*fits, 0: none), for the editor, who may cut that much or lower
 * min-scale. The sizes one character to the line apart, searched by halves (the pages a text
 * takes grow as its size does). */
static pb_status fits_below(const pb_doc *doc, const pb_layout *lay, pb_fontset *fonts,
                            int section, const size_t *pairs, size_t n_pairs, double *fits)
{
    *fits = 0;
    double floor_scale = lay->fit == PB_FIT_SHRINK ? lay->min_scale : 1.0;
    if (pb_layout_measure(lay) < lay->text_size)
        return PB_OK; /* not one character to the line: no whole-character sizes */
    /* characters to the line: more than at the floor, at most as many as at the least size */
    double full = scale_of_chars(lay, 1); /* characters at full size */
    double lo = ceil(full / floor_scale - PB_LAYOUT_CHAR_EPS);
    if (scale_of_chars(lay, lo) > floor_scale - EPS)
        lo++;
    double hi = floor(full / PB_LAYOUT_MIN_SCALE_FLOOR + PB_LAYOUT_CHAR_EPS);
    pb_status st = PB_OK;
    for (int t = 0; lo <= hi && t < FIT_TRIES_MAX; t++) {
        double mid = floor((lo + hi) / 2);
        pb_pages at;
        if ((st = leaflet_at(doc, lay, fonts, section, scale_of_chars(lay, mid), pairs, n_pairs,
                             &at)) != PB_OK)
            return st;
        int fit = at.n <= (size_t)lay->leaflet_pages;
        pb_pagebuild_free(&at);
        if (fit)
            *fits = scale_of_chars(lay, mid), hi = mid - 1;
        else
            lo = mid + 1;
    }
    return st;
}

/* The source line of a section's heading (its first level-1 heading's Chinese block), or 0. */
static int section_line(const pb_doc *doc, int section)
{
    for (size_t i = 0; i < doc->n_blocks; i++)
        if (doc->blocks[i].kind == PB_BLOCK_HEADING && doc->blocks[i].level == 1 &&
            doc->blocks[i].section == section)
            return doc->blocks[i].line;
    return 0;
}

pb_status pb_pagebuild_leaflet(const pb_doc *doc, const pb_layout *lay, pb_fontset *fonts,
                               int section, double series, pb_pages *out, double *scale_out)
{
    size_t n_pairs = 0;
    size_t *pairs = leaflet_pairs(doc, lay, section, &n_pairs);
    if (!pairs)
        return PB_ESYSTEM;
    double scale = series;
    pb_status st;
    if (series > 0) {
        st = leaflet_at(doc, lay, fonts, section, series, pairs, n_pairs, out);
        if (st == PB_OK)
            out->sizing = PB_SIZING_SERIES;
    } else {
        st = leaflet_own(doc, lay, fonts, section, pairs, n_pairs, out, &scale);
    }
    int over = st == PB_OK && out->n > (size_t)lay->leaflet_pages;
    if (over)
        st = fits_below(doc, lay, fonts, section, pairs, n_pairs, &out->fits_at);
    if (st == PB_OK)
        warn_overfull(out, doc->file, lay);
    if (st == PB_OK)
        st = notes_apart(doc, section, pairs, n_pairs, out);
    free(pairs);
    if (st != PB_OK)
        return st;
    if (section == 1 && (st = leaflets_left_out(doc, lay, out)) != PB_OK)
        return st; /* once for the series, with its first leaflet */
    if (section == doc->n_sections && (st = last_only(doc, out)) != PB_OK)
        return st; /* with the leaflet that sets it */
    int line = section_line(doc, section);
    if (over) {
        if ((st = pb_pageout_add_issue(out, PB_ISSUE_LEAFLET_OVERFLOW, line, (double)out->n)) !=
            PB_OK)
            return st;
        char size[64], said[PB_PAGEBUILD_OVER_MAX];
        if (fabs(scale - 1.0) < EPS)
            snprintf(size, sizeof size, "at full size");
        else
            snprintf(size, sizeof size, "at sizes x%.3f%s", scale,
                     series > 0 ? " (the series' size)" : "");
        pb_pagebuild_over_text(out, lay, said, sizeof said);
        pb_diag_warning(doc->file, line, 0,
                        "section %d does not fit on %d page(s)%s; set %s on %zu pages: %s", section,
                        lay->leaflet_pages,
                        lay->fit == PB_FIT_SHRINK ? " even at the layout's min-scale" : "", size,
                        out->n, said);
    }
    if (scale_out)
        *scale_out = scale;
    return PB_OK;
}

/* The least overrun (lines) the warning gives as a figure: it prints one decimal. */
#define OVER_SHOWN 0.05

double pb_pagebuild_fits_at(const pb_pages *p)
{
    return floor(p->fits_at * PB_PAGEBUILD_FITS_PLACES) / PB_PAGEBUILD_FITS_PLACES;
}

void pb_pagebuild_over_text(const pb_pages *p, const pb_layout *lay, char *buf, size_t size)
{
    /* less than the tenth of a line the figure shows: the text is no taller than its pages,
     * but what may not be split (a pair set whole, a heading and its first lines, a
     * paragraph's first and last two lines) did not break to fill them ("0.0 line(s) too long"
     * on a second page told an editor nothing) */
    int n = p->over_lines < OVER_SHOWN
                ? snprintf(buf, size,
                           "its text is no taller than its page(s), but what must stay together "
                           "(a pair set whole, a heading with its first lines, a paragraph's "
                           "first and last two lines) does not break to fit them, its last "
                           "page %.0f%% full; ",
                           100 * p->last_fill)
                : snprintf(buf, size,
                           "its text %.1f line(s) (%.1f%% of a page) too long, its last page "
                           "%.0f%% full; ",
                           p->over_lines, 100 * p->over / pb_layout_room(lay),
                           100 * p->last_fill);
    if (n < 0 || (size_t)n >= size)
        return;
    if (p->fits_at > 0) /* rounded down: a min-scale of the figure said lets it fit */
        snprintf(buf + n, size - (size_t)n, "it would fit at sizes x%.3f (min-scale = %.3f)",
                 pb_pagebuild_fits_at(p), pb_pagebuild_fits_at(p));
    else
        snprintf(buf + n, size - (size_t)n, "it would not fit even at sizes x%.1f",
                 PB_LAYOUT_MIN_SCALE_FLOOR);
}

pb_status pb_pagebuild_leaflet_series(const pb_doc *doc, const pb_layout *lay, pb_fontset *fonts,
                                      double *scale)
{
    *scale = 0;
    if (!lay->one_size || doc->n_sections < 2)
        return PB_OK;
    double least = INFINITY;
    pb_status st = PB_OK;
    for (int s = 1; s <= doc->n_sections && st == PB_OK; s++) {
        size_t n_pairs = 0;
        size_t *pairs = leaflet_pairs(doc, lay, s, &n_pairs);
        if (!pairs)
            return PB_ESYSTEM;
        pb_pages own;
        double mine = 0;
        if ((st = leaflet_own(doc, lay, fonts, s, pairs, n_pairs, &own, &mine)) == PB_OK) {
            least = fmin(least, mine);
            pb_pagebuild_free(&own);
        }
        free(pairs);
    }
    if (st == PB_OK)
        *scale = least;
    return st;
}

void pb_pagebuild_free(pb_pages *o)
{
    for (size_t i = 0; i < o->n; i++) {
        free(o->pages[i].g);
        free(o->pages[i].lines);
    }
    free(o->pages);
    for (size_t i = 0; i < o->n_marks; i++)
        free(o->marks[i].title);
    free(o->marks);
    for (size_t i = 0; i < o->n_pool; i++)
        free(o->pool[i]);
    free(o->pool);
    free(o->issues);
    free(o->heads);
    for (size_t i = 0; i < o->n_blocks; i++) {
        free(o->blocks[i].text);
        free(o->blocks[i].col);
    }
    free(o->blocks);
    memset(o, 0, sizeof *o);
}
