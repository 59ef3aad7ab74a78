/* galley: composing a product's blocks and stacking their lines into one vertical list. */
#include "galley.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "parallel.h"
#include "uchar.h"
#include "util.h"

/* Composers (one per thread) for composing the blocks on every core. */
#define COMPOSERS_MAX 16
/* Rounding slack when comparing lengths (pt). */
#define EPS 1e-6
/* The share of its length a space between blocks may give up where a leaflet at its least size
 * tightens its last page: a third, as plain TeX's skips between paragraphs shrink
 * (\smallskipamount 3pt minus 1pt, \medskipamount 6pt minus 2pt, \bigskipamount 12pt minus
 * 4pt: The TeXbook, Appendix B, p. 349). */
#define SHRINK_SHARE (1.0 / 3)



/* A leaflet's standfirst (a preamble pair; the other preamble pairs a leaflet sets, its title
 * block and {every} pairs, are body text). */
static int is_standfirst(const pb_galley *g, const pb_block *b)
{
    return g->leaflet && b->kind == PB_BLOCK_INTRO && b->pair == g->standfirst;
}

/* A display pair: set whole, off the body's grid (title, heading; a leaflet's standfirst). */
static int is_display(const pb_galley *g, const pb_block *b)
{
    return b->kind == PB_BLOCK_TITLE || b->kind == PB_BLOCK_HEADING || is_standfirst(g, b);
}

void pb_galley_style(const pb_galley *g, const pb_block *blk, pb_style *st, double *leading)
{
    const pb_layout *l = g->lay;
    double s = g->scale;
    memset(st, 0, sizeof *st);
    switch (blk->kind) {
    case PB_BLOCK_TITLE:
        st->bold = 1;
        st->size = (blk->lang == PB_LANG_EN ? l->title_size_en : l->title_size) * s;
        st->align = g->leaflet ? PB_ALIGN_START : PB_ALIGN_CENTER; /* a kicker: as the headline */
        *leading = l->title_leading * s;
        break;
    case PB_BLOCK_HEADING:
        st->bold = 1;
        if (blk->level >= 2) {
            st->size = (blk->lang == PB_LANG_EN ? l->sub_size_en : l->sub_size) * s;
            *leading = l->sub_leading * s;
        } else {
            st->size = (blk->lang == PB_LANG_EN ? l->heading_size_en : l->heading_size) * s;
            *leading = l->heading_leading * s;
        }
        st->align = PB_ALIGN_START;
        break;
    default:
        st->size = (blk->lang == PB_LANG_EN ? l->text_size_en : l->text_size) * s;
        /* a list item hangs; {noindent}, {right}, {center} and {left} lines (a contact block,
         * an address: flush left, its lines one under the other) have no indent */
        st->indent =
            blk->flags & (PB_BLOCK_LIST | PB_BLOCK_NOINDENT | PB_BLOCK_RIGHT | PB_BLOCK_CENTER |
                          PB_BLOCK_LEFT)
                ? 0
                : l->indent * s;
        st->align = blk->flags & PB_BLOCK_RIGHT                                 ? PB_ALIGN_END
                    : blk->flags & PB_BLOCK_CENTER                              ? PB_ALIGN_CENTER
                    : blk->flags & PB_BLOCK_LEFT                                ? PB_ALIGN_START
                    : (blk->lang == PB_LANG_EN ? l->align_en : l->align) == PB_ALIGN_LEFT
                        ? PB_ALIGN_RAGGED
                        : PB_ALIGN_JUSTIFIED;
        *leading = l->leading * s;
        if (is_standfirst(g, blk)) { /* no indent, larger */
            st->indent = 0;
            st->size = l->standfirst_size * s;
            *leading = l->leading * l->standfirst_size / l->text_size * s;
        }
        break;
    }
}

double pb_galley_ascent(double size, double leading)
{
    return (leading - size) / 2 + size * PB_EMBOX_ASCENT;
}

/* A list item's text is set in the measure less its hanging indent. */
static double hang_of(const pb_galley *g, const pb_block *blk)
{
    return !is_display(g, blk) && (blk->flags & PB_BLOCK_LIST) ? g->lay->list_indent * g->scale : 0;
}

/* The measure block k of a pair (0: Chinese, 1: English) is set in (pt). */
static double measure_for(const pb_galley *g, const pb_block *blk, size_t k)
{
    if (g->kind == PB_GALLEY_COLUMNS && !is_display(g, blk)) {
        double w[2];
        pb_layout_columns(g->lay, w);
        return w[k ? 1 : 0] - hang_of(g, blk);
    }
    return pb_layout_measure(g->lay) - hang_of(g, blk);
}

/* ---- the glyphs of paragraphs waiting for their pages, packed ---------------------------- */

/* A product's text is composed whole before its pages are broken, and each paragraph waits for
 * its last line to be placed: while it waits its glyphs are kept packed, what consecutive
 * glyphs share (font, size, baseline shift, link, ruby and artifact flags) once per paragraph
 * as a kind, the rest per glyph: 24 bytes a glyph instead of 56 (the 100x booklet's 510 000
 * glyphs: 12 MB, not 29). The output routine unpacks a paragraph for the page that places its
 * lines (pb_galley_open) and the galley frees it once placed (pb_galley_release). */
typedef struct {
    pb_font *font;
    const pb_link *link;
    float size, dy;
    uint8_t ruby, ruby_first, artifact;
} glyph_kind;

typedef struct {
    const uint32_t *text;
    float x, hscale;
    uint32_t gid;
    uint16_t ntext;
    uint8_t kind;           /* index into its paragraph's kinds */
} glyph_packed;

/* A paragraph with more kinds than a byte counts (a hostile run of links) stays unpacked. */
#define PACK_KINDS 256

struct pb_galley_packed {
    glyph_packed *g;        /* NULL: not packed */
    glyph_kind *kinds;
    size_t n_kinds;
};

static int same_kind(const glyph_kind *k, const pb_pglyph *g)
{
    return k->font == g->font && k->link == g->link && k->size == g->size && k->dy == g->dy &&
           k->ruby == g->ruby && k->ruby_first == g->ruby_first && k->artifact == g->artifact;
}

/* Pack block i's paragraph (its glyphs freed); left as it is when memory or kinds run out. */
static void pack(pb_galley *g, size_t i)
{
    pb_para *para = &g->paras[i];
    struct pb_galley_packed *pk = &g->packed[i];
    if (!para->n || !para->g || pk->g)
        return;
    glyph_packed *v = malloc(para->n * sizeof *v);
    glyph_kind *kinds = malloc(PACK_KINDS * sizeof *kinds);
    size_t n_kinds = 0, k = 0;
    for (size_t j = 0; v && kinds && j < para->n; j++) {
        const pb_pglyph *q = &para->g[j];
        if (!n_kinds || !same_kind(&kinds[k], q)) {
            for (k = 0; k < n_kinds && !same_kind(&kinds[k], q); k++)
                ;
            if (k == n_kinds) {
                if (n_kinds == PACK_KINDS) {
                    free(v); /* unpacked, as it is */
                    v = NULL;
                    break;
                }
                kinds[n_kinds++] = (glyph_kind){q->font, q->link, q->size, q->dy,
                                                q->ruby, q->ruby_first, q->artifact};
            }
        }
        v[j] = (glyph_packed){q->text, q->x, q->hscale, q->gid, q->ntext, (uint8_t)k};
    }
    glyph_kind *fit = v ? realloc(kinds, (n_kinds ? n_kinds : 1) * sizeof *kinds) : NULL;
    if (!v || !fit) {
        free(v);
        free(kinds);
        return;
    }
    *pk = (struct pb_galley_packed){v, fit, n_kinds};
    free(para->g);
    para->g = NULL; /* para->n stays: the glyphs it will have again */
    para->cap = 0;
}

/* Block i's glyphs as composed again, from its packing. */
static pb_status unpack(pb_galley *g, size_t i)
{
    pb_para *para = &g->paras[i];
    const struct pb_galley_packed *pk = &g->packed[i];
    if (!pk->g || para->g)
        return PB_OK;
    if (!(para->g = malloc(para->n * sizeof *para->g)))
        return pb_diag_oom("making pages");
    para->cap = para->n;
    for (size_t j = 0; j < para->n; j++) {
        const glyph_packed *v = &pk->g[j];
        const glyph_kind *k = &pk->kinds[v->kind];
        para->g[j] = (pb_pglyph){.font = k->font, .size = k->size, .x = v->x, .dy = k->dy,
                                 .gid = v->gid, .text = v->text, .ntext = v->ntext,
                                 .ruby = k->ruby, .ruby_first = k->ruby_first,
                                 .hscale = v->hscale, .artifact = k->artifact, .link = k->link};
    }
    return PB_OK;
}

static void packed_free(struct pb_galley_packed *pk)
{
    free(pk->g);
    free(pk->kinds);
    *pk = (struct pb_galley_packed){0};
}

/* ---- composing every block on every core -------------------------------------------------- */

typedef struct {
    pb_galley *g;
    const size_t *todo;     /* block indexes */
    double *measure;        /* per block */
    size_t n_todo;
    atomic_size_t next;
    pb_composer *comp[COMPOSERS_MAX];
    uint8_t *ok;            /* per block */
} compose_job;

static void compose_worker(void *ctx, size_t w)
{
    compose_job *q = ctx;
    pb_galley *g = q->g;
    pb_diag_set_thread_quiet(1); /* a failure is composed again, and reported, in order */
    for (;;) {
        size_t k = atomic_fetch_add(&q->next, 1);
        if (k >= q->n_todo)
            break;
        size_t i = q->todo[k];
        const pb_block *blk = &g->doc->blocks[i];
        pb_style st;
        pb_galley_style(g, blk, &st, &g->leading[i]);
        g->size[i] = st.size;
        if (pb_compose_block(q->comp[w], blk, g->doc->file, &st, q->measure[i], &g->paras[i]) ==
            PB_OK) {
            q->ok[i] = 1;
            pack(g, i);
        } else {
            pb_compose_free_para(&g->paras[i]);
        }
    }
    pb_diag_set_thread_quiet(0);
}

static pb_status compose_all(pb_galley *g)
{
    const pb_doc *doc = g->doc;
    size_t n = doc->n_blocks ? doc->n_blocks : 1;
    compose_job q = {g, NULL, calloc(n, sizeof(double)), 0, 0, {0}, calloc(n, 1)};
    size_t *todo = malloc(n * sizeof *todo);
    size_t made = 0;
    pb_status st = PB_OK;
    if (!todo || !q.measure || !q.ok) {
        st = pb_diag_oom("composing");
        goto out;
    }
    for (size_t p = 0; p < g->n_pairs; p++) {
        size_t i = g->pairs[p], end = pb_corpus_pair_end(doc, i);
        for (size_t k = i; k < end && k < i + 2; k++) {
            todo[q.n_todo++] = k;
            q.measure[k] = measure_for(g, &doc->blocks[k], k - i);
        }
    }
    q.todo = todo;
    size_t threads = pb_parallel_threads();
    if (threads > COMPOSERS_MAX)
        threads = COMPOSERS_MAX;
    if (threads > q.n_todo)
        threads = q.n_todo ? q.n_todo : 1;
    pb_diag_set_thread_quiet(1); /* the composer in order below says what there is to say */
    while (made < threads && pb_compose_new(g->fonts, g->lay, &q.comp[made]) == PB_OK)
        made++;
    pb_diag_set_thread_quiet(0);
    if (made > 1)
        pb_parallel_run(made, compose_worker, &q);
    /* in order: what failed (or was not composed) is composed here, its problem reported */
    pb_composer *c = made ? q.comp[0] : NULL;
    if (!c && (st = pb_compose_new(g->fonts, g->lay, &c)) != PB_OK)
        goto out;
    for (size_t k = 0; k < q.n_todo && st == PB_OK; k++) {
        size_t i = todo[k];
        if (q.ok[i])
            continue;
        const pb_block *blk = &doc->blocks[i];
        pb_style sty;
        pb_galley_style(g, blk, &sty, &g->leading[i]);
        g->size[i] = sty.size;
        st = pb_compose_block(c, blk, doc->file, &sty, q.measure[i], &g->paras[i]);
        if (st == PB_OK)
            pack(g, i);
    }
    if (!made)
        pb_compose_free(c);
out:
    for (size_t w = 0; w < made; w++)
        pb_compose_free(q.comp[w]);
    free(todo);
    free(q.measure);
    free(q.ok);
    return st;
}

/* ---- the vertical list -------------------------------------------------------------------- */

/* A length in the register: the nearest whole number of leadings (3 pt between a Chinese
 * paragraph and its English one becomes 0, a 22 pt space above a heading one line), or as it is
 * when the galley has no register. */
static double snap(const pb_galley *g, double len)
{
    double L = g->lay->leading * g->scale;
    if (!g->grid || len <= 0)
        return len;
    return floor(len / L + 0.5) * L;
}

/* The same, rounded up. */
static double snap_up(const pb_galley *g, double len)
{
    double L = g->lay->leading * g->scale;
    if (!g->grid || len <= 0)
        return len;
    return ceil(len / L - EPS) * L;
}

/* The share of len a space may give up (SHRINK_SHARE, where the galley may tighten: g->shrink, off
 * the register). */
static double give_of(const pb_galley *g, double len, int give)
{
    return give && g->shrink && !g->grid ? len * SHRINK_SHARE : 0;
}

/* Space between blocks: len pt, which may grow by stretch where a leaflet fills its page and,
 * give: shrink by give_of(). */
static pb_status push_glue(pb_galley *g, double len, double stretch, int give)
{
    pb_vitem it = {0};
    it.kind = PB_V_GLUE;
    it.height = len;
    it.stretch = g->stretch ? stretch : 0;
    it.shrink = give_of(g, len, give);
    return pb_vlist_push(&g->vl, &it);
}

/* Space that stays where it is, even at a page top (an empty box); give: it may shrink as the
 * space between blocks does (a standfirst's line below it). */
static pb_status push_box_glue(pb_galley *g, double len, int give)
{
    pb_vitem it = {0};
    it.kind = PB_V_BOX;
    it.height = len;
    it.shrink = give_of(g, len, give);
    return pb_vlist_push(&g->vl, &it);
}

/* A place a page may end, costing what the rule `why` (pb_vwhy) charges for the block at
 * source line `line`. */
static pb_status push_penalty(pb_galley *g, double cost, uint8_t flags, pb_vwhy why, int line)
{
    pb_vitem it = {0};
    it.kind = PB_V_PENALTY;
    it.cost = cost;
    it.flags = flags;
    it.why = cost > 0 ? (uint8_t)why : PB_VWHY_NONE;
    it.why_line = line;
    return pb_vlist_push(&g->vl, &it);
}

/* The rule a display block (title, standfirst, heading) keeps its lines and first lines by. */
static pb_vwhy display_why(const pb_block *b)
{
    return b->kind == PB_BLOCK_HEADING ? PB_VWHY_HEADING : PB_VWHY_TITLE;
}

/* Room a line takes above and below its baseline: the em box centred in the leading, and the
 * extra room its ruby needs above (clreq #interlinear_annotations, 2024-03-21: the leading grows only as much as needed; in the
 * register, by whole leadings). */
static void line_room(const pb_galley *g, size_t blk, size_t li, double *h, double *d)
{
    const pb_para *p = &g->paras[blk];
    double size = g->size[blk], lead = g->leading[blk];
    *h = pb_galley_ascent(size, lead);
    *d = lead - *h;
    double extra = p->lines[li].ruby_h - (lead - size);
    if (extra > 0)
        *h += snap_up(g, extra);
}

/* The cost of breaking a page after line li - 1 of a block of n lines: one line alone on
 * either side is a widow or an orphan; a hyphenated line at the foot takes a word across the
 * turn. */
static double inner_cost(const pb_para *p, size_t li)
{
    size_t n = p->n_lines;
    double c = 0;
    if (li < n && (li < PB_GALLEY_MIN_LINES || n - li < PB_GALLEY_MIN_LINES))
        c += PB_VCOST_WIDOW;
    if (li > 0 && li <= n && p->lines[li - 1].hyphen)
        c += PB_VCOST_BROKEN;
    return c;
}

/* The dearer of inner_cost()'s rules. */
static pb_vwhy inner_why(const pb_para *p, size_t li)
{
    double c = inner_cost(p, li);
    return c >= PB_VCOST_WIDOW ? PB_VWHY_WIDOW : c > 0 ? PB_VWHY_BROKEN : PB_VWHY_NONE;
}

static pb_status push_box(pb_galley *g, size_t blk, size_t li, double x, double hang, uint8_t flags)
{
    pb_vitem it = {0};
    it.kind = PB_V_BOX;
    it.flags = flags;
    it.n_lines = 1;
    line_room(g, blk, li, &it.height, &it.depth);
    it.line[0] = (pb_vline){&g->paras[blk], (uint32_t)li, (float)x, (float)(li == 0 ? hang : 0), 0};
    const pb_block *b = &g->doc->blocks[blk];
    it.section = b->section;
    if (flags & PB_VF_MARK)
        it.mark = b;
    return pb_vlist_push(&g->vl, &it);
}

/* Height of a block's lines (pt). */
static double lines_height(const pb_galley *g, size_t blk)
{
    double t = 0;
    for (size_t li = 0; li < g->paras[blk].n_lines; li++) {
        double h, d;
        line_room(g, blk, li, &h, &d);
        t += h + d;
    }
    return t;
}

/* Space above a pair, by what it is (pt, scaled; in the register's steps). */
static double space_before(const pb_galley *g, const pb_block *blk)
{
    const pb_layout *l = g->lay;
    double s = blk->kind != PB_BLOCK_HEADING ? l->pair_space
               : blk->level >= 2             ? l->sub_space_before
                                             : l->heading_space_before;
    return snap(g, s * g->scale);
}

static double space_after_display(const pb_galley *g, const pb_block *blk)
{
    const pb_layout *l = g->lay;
    double s = blk->kind == PB_BLOCK_INTRO  ? l->leading /* the standfirst: a line's space */
               : blk->kind == PB_BLOCK_TITLE ? l->title_space_after
               : blk->level >= 2           ? l->sub_space_after
                                           : l->heading_space_after;
    return s * g->scale;
}

/* A title or heading pair: its lines, never broken, and the space after it, taking a whole
 * number of leadings in the register (the body after it stays on the grid). */
static pb_status display_pair(pb_galley *g, size_t i, size_t end)
{
    pb_status st = PB_OK;
    const pb_block *blk = &g->doc->blocks[i];
    double inner = g->lay->para_space * g->scale;
    double total = space_after_display(g, blk);
    for (size_t k = i; k < end && k < i + 2; k++)
        total += lines_height(g, k) + (k > i ? inner : 0);
    double after = space_after_display(g, blk);
    double lift = snap_up(g, total) - total; /* in the register: the rest of the grid step, above */
    pb_vwhy why = display_why(blk);
    uint8_t mark = blk->kind == PB_BLOCK_INTRO ? 0 : PB_VF_MARK;
    if (blk->kind == PB_BLOCK_HEADING && blk->level == 1)
        mark |= PB_VF_SECTION;
    if (lift > EPS) { /* stays at a page top too: the lines after it keep the grid */
        if ((st = push_box_glue(g, lift, 0)) != PB_OK)
            return st;
        pb_vitem *top = pb_vlist_last(&g->vl); /* the heading starts here (its bookmark) */
        top->flags = mark;
        top->mark = blk;
        top->section = blk->section;
        mark = 0;
        if ((st = push_penalty(g, PB_VCOST_FORBIDDEN, 0, why, blk->line)) != PB_OK)
            return st;
    }
    for (size_t k = i; k < end && k < i + 2 && st == PB_OK; k++) {
        if (k > i) {
            if ((st = push_penalty(g, PB_VCOST_FORBIDDEN, 0, why, blk->line)) == PB_OK)
                st = push_box_glue(g, inner, 0);
        }
        for (size_t li = 0; li < g->paras[k].n_lines && st == PB_OK; li++) {
            if (li > 0)
                st = push_penalty(g, PB_VCOST_FORBIDDEN, 0, why, blk->line);
            if (st == PB_OK)
                st = push_box(g, k, li, 0, 0, k == i && li == 0 ? mark : 0);
        }
    }
    /* the space below stays with the heading (not dropped at a page top: it cannot be one) */
    if (st == PB_OK)
        st = push_penalty(g, PB_VCOST_FORBIDDEN, 0, why, blk->line);
    if (st == PB_OK)
        st = push_box_glue(g, after, blk->kind == PB_BLOCK_INTRO);
    return st;
}

/* A pair's height in the stacked galley (pt): its lines and the space between them. */
static double stacked_height(const pb_galley *g, size_t i, size_t end)
{
    double t = 0;
    for (size_t k = i; k < end && k < i + 2; k++)
        t += lines_height(g, k) + (k > i ? snap(g, g->lay->para_space * g->scale) : 0);
    return t;
}

static double room_of(const pb_galley *g)
{
    return g->lay->page_h - g->lay->margin_top - g->lay->margin_bottom;
}

/* Whether the first pair under a heading (head_h pt tall with its space, 0: not under one) can
 * keep with it: the heading, the Chinese paragraph and the first lines of the English (as many
 * as the widow rule asks, or all of a shorter one) fit a page. A heading opening a pair split
 * between the languages (its English alone over the turn) reads as a label without its text. */
static int keeps_with_head(const pb_galley *g, size_t i, size_t end, double head_h)
{
    if (head_h <= 0 || end - i < 2)
        return 0;
    double h = head_h + lines_height(g, i) + snap(g, g->lay->para_space * g->scale);
    const pb_para *en = &g->paras[i + 1];
    for (size_t li = 0; li < en->n_lines && li < PB_GALLEY_MIN_LINES; li++) {
        double a, d;
        line_room(g, i + 1, li, &a, &d);
        h += a + d;
    }
    return h <= room_of(g) + EPS;
}

/* The cost of a break between the Chinese paragraph of a stacked pair and its English one: a
 * short pair is one unit (PB_VCOST_PAIR_SHORT). */
static double between_cost(const pb_galley *g, size_t i, size_t end)
{
    if (end - i < 2)
        return 0;
    const pb_para *zh = &g->paras[i], *en = &g->paras[i + 1];
    if (zh->n_lines <= PB_GALLEY_WHOLE_LINES && en->n_lines <= PB_GALLEY_WHOLE_LINES)
        return PB_VCOST_PAIR_SHORT;
    return 0;
}

/* A body pair across the measure: the Chinese paragraph, then the English one. Under a heading
 * (head_h > 0) a page ending before the English has begun costs PB_VCOST_HEAD_PAIR, when
 * the heading and that start fit a page. keep: the rule that keeps the pair whole (a {keep}
 * pair, a short verse), PB_VWHY_NONE: none. */
static pb_status stacked_pair(pb_galley *g, size_t i, size_t end, double head_h, int head_line,
                              pb_vwhy keep)
{
    double head = keeps_with_head(g, i, end, head_h) ? PB_VCOST_HEAD_PAIR : 0;
    double kept = keep ? PB_VCOST_KEEP : 0;
    int line = g->doc->blocks[i].line;
    uint8_t pair = g->spread ? PB_VF_PAIR : 0;
    pb_status st = PB_OK;
    for (size_t k = i; k < end && k < i + 2 && st == PB_OK; k++) {
        const pb_para *p = &g->paras[k];
        double hang = hang_of(g, &g->doc->blocks[k]);
        /* a list item's pair is one item: its bullet hangs before the Chinese, and the English
         * follows in the same indent without one of its own */
        double bullet = k > i && hang_of(g, &g->doc->blocks[i]) > 0 ? 0 : hang;
        if (k > i) { /* between the Chinese paragraph and its English one */
            double h = head > 0 && g->paras[i].n_lines > PB_GALLEY_WHOLE_LINES
                           ? PB_VCOST_HEAD_SPLIT
                           : head;
            double c = kept + h + between_cost(g, i, end);
            pb_vwhy why = keep ? keep : head > 0 ? PB_VWHY_HEAD_PAIR : PB_VWHY_PAIR_SHORT;
            if ((st = push_penalty(g, c, pair, why, keep || head == 0 ? line : head_line)) ==
                PB_OK)
                st = push_glue(g, snap(g, g->lay->para_space * g->scale), 0, 1);
        }
        for (size_t li = 0; li < p->n_lines && st == PB_OK; li++) {
            if (li > 0) {
                double h = k == i ? head : 0;
                pb_vwhy why = keep ? keep : h > 0 ? PB_VWHY_HEAD_PAIR : inner_why(p, li);
                st = push_penalty(g, inner_cost(p, li) + kept + h, pair, why,
                                  keep ? line : h > 0 ? head_line : g->doc->blocks[k].line);
            }
            if (st == PB_OK)
                st = push_box(g, k, li, hang, bullet, 0);
        }
    }
    return st;
}

/* A body pair in two columns, level: row r holds line r of each paragraph; a page may break
 * between rows where neither column would leave a widow or an orphan (kept: the rule that
 * keeps the pair whole, when it fits a page; PB_VWHY_NONE: none). */
static pb_status columns_pair(pb_galley *g, size_t i, size_t end, pb_vwhy kept)
{
    const pb_layout *l = g->lay;
    double w[2];
    pb_layout_columns(g->lay, w);
    size_t n = end - i > 2 ? 2 : end - i;
    size_t rows = 0;
    for (size_t k = 0; k < n; k++)
        if (g->paras[i + k].n_lines > rows)
            rows = g->paras[i + k].n_lines;
    double tallest = 0;
    for (size_t k = 0; k < n; k++)
        if (lines_height(g, i + k) > tallest)
            tallest = lines_height(g, i + k);
    int keep = kept && tallest <= room_of(g) + EPS;
    pb_status st = PB_OK;
    for (size_t r = 0; r < rows && st == PB_OK; r++) {
        if (r > 0) {
            double c = keep ? PB_VCOST_KEEP : 0;
            pb_vwhy why = keep ? kept : PB_VWHY_NONE;
            int line = g->doc->blocks[i].line;
            for (size_t k = 0; k < n; k++) {
                const pb_para *p = &g->paras[i + k];
                if (r < p->n_lines + 1 && inner_cost(p, r) > c) {
                    c = inner_cost(p, r);
                    why = inner_why(p, r);
                    line = g->doc->blocks[i + k].line;
                }
            }
            if ((st = push_penalty(g, c, 0, why, line)) != PB_OK)
                break;
        }
        pb_vitem it = {0};
        it.kind = PB_V_BOX;
        it.flags = PB_VF_ROW;
        it.section = g->doc->blocks[i].section;
        for (size_t k = 0; k < n; k++) {
            const pb_para *p = &g->paras[i + k];
            if (r >= p->n_lines)
                continue;
            double h, d, hang = hang_of(g, &g->doc->blocks[i + k]);
            line_room(g, i + k, r, &h, &d);
            it.height = fmax(it.height, h);
            it.depth = fmax(it.depth, d);
            double x = (k == 0 ? 0 : w[0] + l->gutter) + hang;
            it.line[it.n_lines++] =
                (pb_vline){p, (uint32_t)r, (float)x, (float)(r == 0 ? hang : 0), (uint8_t)k};
        }
        st = pb_vlist_push(&g->vl, &it);
    }
    return st;
}

/* A pair's height as this galley sets it (pt): stacked, or its taller column. */
static double pair_height(const pb_galley *g, size_t i, size_t end)
{
    if (g->kind == PB_GALLEY_STACK || is_display(g, &g->doc->blocks[i]))
        return stacked_height(g, i, end);
    double tallest = 0;
    for (size_t k = i; k < end && k < i + 2; k++)
        tallest = fmax(tallest, lines_height(g, k));
    return tallest;
}

/* The lines of pair i (blocks i to end): both languages' stacked, the longer one's rows in
 * columns. */
static size_t pair_lines(const pb_galley *g, size_t i, size_t end)
{
    size_t lines = 0;
    for (size_t k = i; k < end && k < i + 2; k++) {
        size_t n = g->paras[k].n_lines;
        lines = g->kind == PB_GALLEY_COLUMNS ? (n > lines ? n : lines) : lines + n;
    }
    return lines;
}

/* Lines of a block as written: one, and one more after each forced break (a run of
 * PB_LINE_BREAK) that text follows. */
static size_t written_lines(const pb_block *b)
{
    size_t n = 1;
    for (size_t k = 1; k < b->len; k++)
        n += b->text[k - 1] == PB_LINE_BREAK && b->text[k] != PB_LINE_BREAK;
    return n;
}

/* Whether pair i (blocks i to end) is a short verse: set apart ({center}, {left}, {right}) and
 * each half at most PB_GALLEY_VERSE_LINES lines as written, twice that as set (a quatrain and
 * its translation, an address), kept whole on one page (review 10: a quatrain split 2/2 over
 * a leaf's turn). A half written as one line that the measure breaks is a paragraph set apart,
 * prose, not a verse: it breaks over pages as any paragraph does (review 13: a citation's
 * centred paragraphs, each kept whole, left its pages 36% and 25% short). */
static int is_verse(const pb_galley *g, size_t i, size_t end)
{
    const unsigned apart = PB_BLOCK_CENTER | PB_BLOCK_LEFT | PB_BLOCK_RIGHT;
    const pb_block *b = &g->doc->blocks[i];
    if (is_display(g, b) || !(b->flags & apart))
        return 0;
    for (size_t k = i; k < end && k < i + 2; k++)
        if (written_lines(&g->doc->blocks[k]) > PB_GALLEY_VERSE_LINES ||
            g->paras[k].n_lines > 2 * PB_GALLEY_VERSE_LINES ||
            (written_lines(&g->doc->blocks[k]) == 1 && g->paras[k].n_lines > 1))
            return 0;
    return 1;
}

/* Marks the first box from item n0 of the list with flag (a rule it could not keep) and the
 * lines it counts. Returns that box, or NULL: none. */
static pb_vitem *flag_first_box(pb_galley *g, size_t n0, uint8_t flag, size_t lines)
{
    for (size_t j = n0; j < g->vl.n; j++)
        if (g->vl.v[j].kind == PB_V_BOX && g->vl.v[j].n_lines) {
            g->vl.v[j].flags |= flag;
            g->vl.v[j].kept_lines = (uint16_t)(lines < UINT16_MAX ? lines : UINT16_MAX);
            return &g->vl.v[j];
        }
    return NULL;
}

/* {keep} pairs in a row are kept together (a notice's closing block: signature, seal, date):
 * kept[p] is set for each pair p > 0 that stays on the page of the pair before it, when the
 * whole run fits a page (else each keeps only itself). A run that does not fit though each of
 * its pairs does has its pairs counted in over[p] at its first pair p (said in the report). */
static void keep_runs(const pb_galley *g, uint8_t *kept, uint16_t *over)
{
    const pb_doc *doc = g->doc;
    for (size_t p = 0; p < g->n_pairs;) {
        size_t q = p;
        double h = 0;
        int each_fits = 1;
        while (q < g->n_pairs && (doc->blocks[g->pairs[q]].flags & PB_BLOCK_KEEP)) {
            size_t i = g->pairs[q], end = pb_corpus_pair_end(doc, i);
            double ph = pair_height(g, i, end);
            each_fits &= ph <= room_of(g) + EPS;
            h += ph + (q > p ? space_before(g, &doc->blocks[i]) : 0);
            q++;
        }
        for (size_t k = p + 1; k < q; k++)
            kept[k] = h <= room_of(g) + EPS;
        if (q > p + 1 && h > room_of(g) + EPS && each_fits)
            over[p] = (uint16_t)(q - p < UINT16_MAX ? q - p : UINT16_MAX);
        p = q > p ? q : p + 1;
    }
}

/* Whether pair p is a note (a block of it begins with a note mark; a heading is none). */
static int is_note(const pb_galley *g, size_t p)
{
    const pb_doc *doc = g->doc;
    size_t i = g->pairs[p], n = 0;
    if (is_display(g, &doc->blocks[i]))
        return 0;
    for (size_t j = i; j < pb_corpus_pair_end(doc, i) && !n; j++)
        pb_corpus_note_lead(&doc->blocks[j], &n);
    return n > 0;
}

/* A closing block: the pairs that end the product's text set apart, {keep}, {right}, {left}
 * or {center} (a signature and approval, an address, a date, a seal, an end mark), none a
 * heading; the notes
 * after it are no text (a press release's notes to editors after its end mark, "（完）" /
 * "– ENDS –"). Returns the first such pair, or n_pairs: none (or all of the text: nothing
 * before it to keep with); *end the pair after it (n_pairs, or the first of the notes). */
static size_t closing_block(const pb_galley *g, size_t *end)
{
    const unsigned closing = PB_BLOCK_KEEP | PB_BLOCK_RIGHT | PB_BLOCK_CENTER | PB_BLOCK_LEFT;
    size_t p = g->n_pairs;
    while (p > 0 && is_note(g, p - 1))
        p--;
    *end = p;
    while (p > 0) {
        const pb_block *b = &g->doc->blocks[g->pairs[p - 1]];
        if (!(b->flags & closing) || is_display(g, b))
            break;
        p--;
    }
    /* a text set apart throughout (an invitation's {center} pairs, then its {right keep}
     * signature): the closing block is the last pairs set as the last one is, kept with the
     * text before them (review 8: the signature stood alone on the archive's second page) */
    if (p < *end && (p == 0 || is_display(g, &g->doc->blocks[g->pairs[p - 1]]))) {
        unsigned last = g->doc->blocks[g->pairs[*end - 1]].flags & closing;
        size_t q = *end;
        while (q > p && (g->doc->blocks[g->pairs[q - 1]].flags & closing) == last)
            q--;
        p = q;
    }
    return p > 0 && p < *end ? p : g->n_pairs;
}

/* Whether a closing block (its pairs p0 to end) keeps with the last lines of the text before
 * it: the block, the space above it and PB_GALLEY_MIN_LINES lines (the widow rule's) of the
 * paragraph before fit a page. It never starts a page alone: a signature with nothing of what
 * it signs, an end mark under a blank page's head (a keep-with-previous). */
static int closing_keeps(const pb_galley *g, size_t p0, size_t end)
{
    if (p0 == 0 || p0 >= end)
        return 0;
    const pb_doc *doc = g->doc;
    size_t prev = g->pairs[p0 - 1];
    if (is_display(g, &doc->blocks[prev]))
        return 0; /* a heading keeps with what follows already */
    double h = 0;
    for (size_t q = p0; q < end; q++) {
        size_t i = g->pairs[q];
        h += pair_height(g, i, pb_corpus_pair_end(doc, i)) + space_before(g, &doc->blocks[i]);
    }
    size_t last = pb_corpus_pair_end(doc, prev) - 1; /* the paragraph before: its last lines */
    const pb_para *p = &g->paras[last];
    for (size_t li = p->n_lines > PB_GALLEY_MIN_LINES ? p->n_lines - PB_GALLEY_MIN_LINES : 0;
         li < p->n_lines; li++) {
        double a, d;
        line_room(g, last, li, &a, &d);
        h += a + d;
    }
    return h <= room_of(g) + EPS;
}

/* A closing block that opens with a {keep} pair longer than a short pair (more than
 * PB_GALLEY_WHOLE_LINES lines on a side): a contract's parties and signature block, a form's
 * fields -- matter of a page of its own, not a sign-off. Kept with the last lines of the text
 * before it (closing_keeps), it drags them, and the heading and pair they end, over the turn
 * and leaves the page before short (review 12 C2: 第十一條's lines dragged, folio 7 32% empty);
 * an agreement sets its signature block on a page of its own when it does not fit under the
 * last article ("[signature page follows]", "（以下空白）"). So that keep yields, at the price of
 * a short pair's (PB_VCOST_PAIR_SHORT: a fifth of a page left empty), and the block may open
 * a page alone; a sign-off of a line or two keeps with what it signs as before. */
static int signature_block(const pb_galley *g, size_t p)
{
    const pb_doc *doc = g->doc;
    size_t i = g->pairs[p], end = pb_corpus_pair_end(doc, i);
    if (!(doc->blocks[i].flags & PB_BLOCK_KEEP) || is_display(g, &doc->blocks[i]))
        return 0;
    for (size_t k = i; k < end; k++)
        if (g->paras[k].n_lines > PB_GALLEY_WHOLE_LINES)
            return 1;
    return 0;
}

/* The most of a page a closing section kept whole may take (closing_section()): a third. A
 * section so short moved whole leaves at most that much of the page before empty -- a short
 * page the report names, with the section as its cause -- where split it reads as two
 * fragments, a form's heading and address on one leaf and its fields on the next. */
#define CLOSING_SECTION_SHARE (1.0 / 3.0)

/* The fewest fill-in characters in a row (U+005F LOW LINE, U+FF3F FULLWIDTH LOW LINE) that
 * make a field to write in: "＿＿＿＿人", "Date: ____"; a single one is an identifier's. */
#define FIELD_MIN_RUN 3

/* Whether block b holds a form's field: a fill-in line or a tick box (U+25A1 WHITE SQUARE,
 * U+2610 BALLOT BOX: "□將會　□不會"). */
static int has_field(const pb_block *b)
{
    size_t run = 0;
    for (size_t k = 0; k < b->len; k++) {
        uint32_t c = b->text[k];
        if (c == 0x25A1 || c == 0x2610)
            return 1;
        run = c == '_' || c == 0xFF3F ? run + 1 : 0;
        if (run >= FIELD_MIN_RUN)
            return 1;
    }
    return 0;
}

/* A closing short section: the last heading of the text and the pairs under it to the end (the
 * notes after them are no text: closing_block()), when they take a third of a page or less and
 * text stands before the heading. It is kept on one page, moved whole to the next when it does
 * not fit: a reply slip (回條, its heading, "致：…", a tick-box line and its name and signature
 * fields) is torn off along its page, and a form parted over a leaf is unusable (review 12 C1:
 * the slip's heading, address and Chinese text on folio 4, its English and fields on folio 5).
 * A section with a form's fields in it (has_field()) is kept so up to a whole page: a form
 * parted is unusable however much of the page before it leaves empty (a short page reported).
 * The rule is TeX's \filbreak (plain.tex: \par\vfil\penalty-200\vfilneg; The TeXbook, ch. 15):
 * what lies between two \filbreaks goes whole to the next page when it does not fit, the page
 * before left short. Returns the section's heading pair, or n_pairs: none; *end the pair after
 * the section. */
static size_t closing_section(const pb_galley *g, size_t *end)
{
    const pb_doc *doc = g->doc;
    size_t e = g->n_pairs;
    while (e > 0 && is_note(g, e - 1))
        e--;
    *end = e;
    if (g->leaflet) /* a leaflet's one section is its text: under its title block, it runs on */
        return g->n_pairs;
    size_t h = e;
    while (h > 0 && doc->blocks[g->pairs[h - 1]].kind != PB_BLOCK_HEADING)
        h--;
    if (h == 0 || h >= e)
        return g->n_pairs;
    h--; /* the heading pair */
    int text_before = 0;
    for (size_t q = 0; q < h && !text_before; q++)
        text_before = !is_display(g, &doc->blocks[g->pairs[q]]);
    if (!text_before)
        return g->n_pairs;
    double height = 0;
    int form = 0;
    for (size_t q = h; q < e; q++) {
        size_t i = g->pairs[q], qe = pb_corpus_pair_end(doc, i);
        const pb_block *b = &doc->blocks[i];
        height += (is_display(g, b) ? stacked_height(g, i, qe) + space_after_display(g, b)
                                    : pair_height(g, i, qe)) +
                  (q > h ? space_before(g, b) : 0);
        for (size_t k = i; k < qe && !form; k++)
            form = !is_display(g, &doc->blocks[k]) && has_field(&doc->blocks[k]);
    }
    double most = form ? 1.0 : CLOSING_SECTION_SHARE;
    return height <= most * room_of(g) + EPS ? h : g->n_pairs;
}

/* Whether pair p is a salutation: a {noindent} pair whose every block ends with a colon or a
 * comma ("各位股東：" / "Dear Shareholders,"): a heading in all but name, it keeps the first
 * lines of what follows (the widow rule's, as a heading does). */
static int is_salutation(const pb_galley *g, size_t p)
{
    const pb_doc *doc = g->doc;
    size_t i = g->pairs[p], end = pb_corpus_pair_end(doc, i);
    if (is_display(g, &doc->blocks[i]) || !(doc->blocks[i].flags & PB_BLOCK_NOINDENT))
        return 0;
    for (size_t k = i; k < end && k < i + 2; k++) {
        const pb_block *b = &doc->blocks[k];
        size_t n = b->len;
        while (n > 0 && !pb_uchar_is_visible(b->text[n - 1]))
            n--;
        uint32_t c = n ? b->text[n - 1] : 0;
        if (c != ':' && c != ',' && c != 0xFF1A /* ： */ && c != 0xFF0C /* ， */)
            return 0;
    }
    return 1;
}

/* Whether pair p begins a {right} sign-off inside the text (a signature under a letter that a
 * heading or more text follows): set flush right after a body pair. *end: the pair after its
 * run of {right} pairs (the name, then a date). */
static int is_sign_off(const pb_galley *g, size_t p, size_t *end)
{
    const pb_doc *doc = g->doc;
    const pb_block *b = &doc->blocks[g->pairs[p]];
    if (p == 0 || !(b->flags & PB_BLOCK_RIGHT) || is_display(g, b))
        return 0;
    const pb_block *prev = &doc->blocks[g->pairs[p - 1]];
    if (is_display(g, prev) || (prev->flags & PB_BLOCK_RIGHT))
        return 0;
    size_t q = p;
    while (q < g->n_pairs && (doc->blocks[g->pairs[q]].flags & PB_BLOCK_RIGHT) &&
           !is_display(g, &doc->blocks[g->pairs[q]]))
        q++;
    *end = q;
    return 1;
}

/* A {keep} pair taller than a page cannot be kept: it is broken as any pair is, and its first
 * box (from item n0 of the list) says so, with its lines, for the report and a warning; so does
 * a run of `pairs` {keep} pairs (from pair p) that fit a page one by one but not together. */
static void keep_over(pb_galley *g, size_t p, size_t pairs, size_t n0)
{
    const pb_doc *doc = g->doc;
    size_t i = g->pairs[p], end = pb_corpus_pair_end(doc, i);
    if (pairs <= 1 && pair_height(g, i, end) <= room_of(g) + EPS)
        return;
    size_t lines = 0;
    for (size_t q = p; q < p + (pairs > 1 ? pairs : 1) && q < g->n_pairs; q++)
        lines += pair_lines(g, g->pairs[q], pb_corpus_pair_end(doc, g->pairs[q]));
    pb_vitem *it = flag_first_box(g, n0, PB_VF_KEEP_OVER, lines);
    if (it)
        it->kept_pairs = (uint16_t)(pairs > 1 ? pairs : 1);
}

/* A title or heading pair (set stacked, from item n0 of the list) taller than a page: its
 * lines run on over the page turn, a display line's first box says so (a warning and a report
 * line: pageout.c); so does a heading with a line set on more than PB_HEAD_LINES_MAX lines. */
static void head_over(pb_galley *g, size_t i, size_t end, size_t n0)
{
    size_t lines = 0, most = 0;
    for (size_t k = i; k < end && k < i + 2; k++) {
        lines += g->paras[k].n_lines;
        most = g->paras[k].n_lines > most ? g->paras[k].n_lines : most;
    }
    int over = stacked_height(g, i, end) > room_of(g) + EPS;
    if (!over && (most <= PB_HEAD_LINES_MAX || g->doc->blocks[i].kind != PB_BLOCK_HEADING))
        return;
    if (!over)
        lines = most;
    flag_first_box(g, n0, over ? PB_VF_HEAD_OVER : PB_VF_HEAD_LONG, lines);
}

/* kept[p] in build_list(): pair p stays on the page of the pair before it, as a {keep} run's
 * (keep_runs(), 1), a closing block's (closing_keeps()), a {right} sign-off's inside the text
 * (the same rule: is_sign_off()), or as the text under a salutation (is_salutation()). */
#define KEPT_CLOSING 2
#define KEPT_SIGN_OFF 3
#define KEPT_SALUTATION 4
#define KEPT_SIGNATURE 5 /* before a closing signature block (signature_block()): yields */
#define KEPT_SECTION 6   /* inside a closing short section (closing_section()) */

static pb_status build_list(pb_galley *g)
{
    const pb_doc *doc = g->doc;
    uint8_t *kept = calloc(g->n_pairs ? g->n_pairs : 1, 1);
    uint16_t *over = calloc(g->n_pairs ? g->n_pairs : 1, sizeof *over);
    if (!kept || !over) {
        free(kept);
        free(over);
        return pb_diag_oom("building the pages");
    }
    keep_runs(g, kept, over);
    size_t end, closing = closing_block(g, &end);
    if (closing_keeps(g, closing, end)) { /* no page turn before it, nor between its pairs */
        memset(kept + closing, KEPT_CLOSING, end - closing);
        if (signature_block(g, closing)) /* but a signature block may open a page */
            kept[closing] = KEPT_SIGNATURE;
    }
    size_t sec_end, section = closing_section(g, &sec_end);
    for (size_t p = section + 1; p < sec_end; p++)
        kept[p] = kept[p] == KEPT_SIGNATURE || !kept[p] ? KEPT_SECTION : kept[p];
    /* a letter inside the text: its salutation keeps with what follows, its {right} sign-off
     * with the last lines before it, wherever they stand (review 8: a salutation at a page's
     * foot, a chairman's signature opening the next page) */
    for (size_t p = 1; p < g->n_pairs; p++) {
        size_t q;
        if (!kept[p] && is_salutation(g, p - 1))
            kept[p] = KEPT_SALUTATION;
        if (!kept[p] && is_sign_off(g, p, &q) && closing_keeps(g, p, q))
            for (size_t k = p; k < q; k++)
                kept[k] = kept[k] ? kept[k] : KEPT_SIGN_OFF;
    }
    pb_status st = PB_OK;
    int after_display = 0, after_head = 0;
    double head_h = 0; /* pt: the heading just set, with its space (0: the pair before was not
                        * a heading) */
    int prev_line = 0, run_line = 0; /* the pair before's source line; the {keep} run's first */
    pb_vwhy prev_why = PB_VWHY_NONE; /* the pair before's, when a display block */
    for (size_t p = 0; p < g->n_pairs && st == PB_OK; p++) {
        size_t i = g->pairs[p], end = pb_corpus_pair_end(doc, i);
        const pb_block *blk = &doc->blocks[i];
        if (p > 0) {
            /* a page may end between pairs, but not right after a title or heading (it keeps
             * the first lines of what follows; the widow rule keeps the second), nor inside a
             * run of {keep} pairs; a leaflet's page is filled above headings and between
             * pairs, never between a heading and its text */
            /* a heading right under a heading: the space between them is the first's space
             * after, not the second's space above as well (a chapter's first article sits
             * under its chapter, nearer to it than to the text before: the spaces around a
             * heading show what it heads) */
            double gap = head_h > 0 && blk->kind == PB_BLOCK_HEADING ? 0 : space_before(g, blk);
            double c = after_display                 ? PB_VCOST_FORBIDDEN
                       : kept[p] == KEPT_SIGNATURE ? PB_VCOST_PAIR_SHORT
                       : kept[p]                   ? PB_VCOST_KEEP
                                                   : 0;
            pb_vwhy why = after_display && kept[p] == KEPT_SECTION ? PB_VWHY_SECTION
                          : after_display              ? prev_why
                          : kept[p] == KEPT_CLOSING || kept[p] == KEPT_SIGNATURE ? PB_VWHY_CLOSING
                          : kept[p] == KEPT_SECTION    ? PB_VWHY_SECTION
                          : kept[p] == KEPT_SIGN_OFF   ? PB_VWHY_SIGN_OFF
                          : kept[p] == KEPT_SALUTATION ? PB_VWHY_SALUTATION
                                                       : PB_VWHY_KEEP;
            int line = kept[p] == KEPT_SECTION       ? doc->blocks[g->pairs[section]].line
                       : after_display               ? prev_line
                       : kept[p] == KEPT_CLOSING || kept[p] == KEPT_SIGNATURE
                           ? doc->blocks[g->pairs[closing]].line
                       : kept[p] == KEPT_SALUTATION  ? prev_line
                       : kept[p] == KEPT_SIGN_OFF && kept[p - 1] != KEPT_SIGN_OFF ? blk->line
                                                     : run_line;
            if ((st = push_penalty(g, c, 0, why, line)) == PB_OK)
                st = push_glue(g, gap, after_head ? 0 : g->lay->leading * g->scale, !after_head);
        }
        if (st != PB_OK)
            break;
        /* a {keep} pair, else a short verse, is kept whole when it fits a page */
        int verse = !(blk->flags & PB_BLOCK_KEEP) && is_verse(g, i, end);
        int fits = (verse ? pair_height(g, i, end) : stacked_height(g, i, end)) <= room_of(g) + EPS;
        pb_vwhy keep = kept[p] == KEPT_SECTION      ? PB_VWHY_SECTION
                       : (blk->flags & PB_BLOCK_KEEP) ? PB_VWHY_KEEP
                       : verse                        ? PB_VWHY_VERSE
                                                      : PB_VWHY_NONE;
        size_t n0 = g->vl.n;
        if (is_display(g, blk))
            st = display_pair(g, i, end);
        else if (g->kind == PB_GALLEY_COLUMNS)
            st = columns_pair(g, i, end, keep);
        else
            st = stacked_pair(g, i, end, head_h, prev_line, fits ? keep : PB_VWHY_NONE);
        if (st == PB_OK && (blk->flags & PB_BLOCK_KEEP) && !is_display(g, blk))
            keep_over(g, p, over[p], n0);
        if (st == PB_OK && verse && !fits) /* told in the report: it cannot be kept */
            flag_first_box(g, n0, PB_VF_VERSE_OVER, pair_lines(g, i, end));
        if (st == PB_OK && p + 1 < g->n_pairs && kept[p + 1] == KEPT_SALUTATION)
            for (size_t j = n0; j < g->vl.n; j++) { /* a salutation pair is never parted */
                pb_vitem *it = &g->vl.v[j];
                if (it->kind == PB_V_PENALTY && it->cost < PB_VCOST_KEEP) {
                    it->cost = PB_VCOST_KEEP;
                    it->why = PB_VWHY_SALUTATION;
                    it->why_line = blk->line;
                }
            }
        if (st == PB_OK && (blk->kind == PB_BLOCK_HEADING || blk->kind == PB_BLOCK_TITLE))
            head_over(g, i, end, n0);
        if (st == PB_OK && p == section) /* the heading of a closing section: the section's */
            for (size_t j = n0; j < g->vl.n; j++)
                if (g->vl.v[j].kind == PB_V_PENALTY) {
                    g->vl.v[j].why = PB_VWHY_SECTION;
                    g->vl.v[j].why_line = blk->line;
                }
        if (p == 0 || !kept[p] || kept[p] == KEPT_CLOSING || kept[p] == KEPT_SIGNATURE ||
            (kept[p] == KEPT_SIGN_OFF && kept[p - 1] != KEPT_SIGN_OFF))
            run_line = blk->line; /* a {keep} run or a sign-off begins (kept[p]: it goes on) */
        prev_line = blk->line;
        prev_why = display_why(blk);
        after_display = is_display(g, blk);
        after_head = blk->kind == PB_BLOCK_HEADING || blk->kind == PB_BLOCK_TITLE;
        head_h = after_display && blk->kind == PB_BLOCK_HEADING
                     ? snap_up(g, stacked_height(g, i, end) + space_after_display(g, blk))
                     : 0;
    }
    free(kept);
    free(over);
    return st;
}

pb_status pb_galley_build(pb_galley *g)
{
    size_t n = g->doc->n_blocks ? g->doc->n_blocks : 1;
    memset(&g->vl, 0, sizeof g->vl);
    g->paras = calloc(n, sizeof *g->paras);
    g->packed = calloc(n, sizeof *g->packed);
    g->size = calloc(n, sizeof *g->size);
    g->leading = calloc(n, sizeof *g->leading);
    if (!g->paras || !g->packed || !g->size || !g->leading) {
        return pb_diag_oom("composing");
    }
    pb_status st = compose_all(g);
    if (st == PB_OK)
        st = build_list(g);
    return st;
}

/* The block whose paragraph a line of the list sets, or SIZE_MAX (not one of the galley's). */
static size_t block_of(const pb_galley *g, const pb_vline *vl)
{
    size_t n = g->doc->n_blocks;
    if (!vl->para || vl->para < g->paras || vl->para >= g->paras + n)
        return SIZE_MAX;
    return (size_t)(vl->para - g->paras);
}

/* g->last, made on first use: per block, the last item of the list holding one of its lines. */
static pb_status last_items(pb_galley *g)
{
    if (g->last)
        return PB_OK;
    size_t n = g->doc->n_blocks ? g->doc->n_blocks : 1;
    if (!(g->last = calloc(n, sizeof *g->last)))
        return pb_diag_oom("making pages");
    for (size_t j = 0; j < g->vl.n; j++)
        for (size_t c = 0; g->vl.v[j].kind == PB_V_BOX && c < g->vl.v[j].n_lines; c++) {
            size_t b = block_of(g, &g->vl.v[j].line[c]);
            if (b != SIZE_MAX)
                g->last[b] = j;
        }
    return PB_OK;
}

pb_status pb_galley_open(pb_galley *g, size_t from, size_t upto)
{
    pb_status st = PB_OK;
    for (size_t j = from; j < upto && j < g->vl.n && st == PB_OK; j++) {
        const pb_vitem *it = &g->vl.v[j];
        for (size_t c = 0; it->kind == PB_V_BOX && c < it->n_lines && st == PB_OK; c++) {
            size_t b = block_of(g, &it->line[c]);
            if (b != SIZE_MAX && g->packed)
                st = unpack(g, b);
        }
    }
    return st;
}

pb_status pb_galley_put_text(const pb_galley *g, const pb_vline *vl, pb_page *p)
{
    const pb_para *para = vl->para;
    const pb_cline *ln = &para->lines[vl->line];
    size_t b = block_of(g, vl);
    const struct pb_galley_packed *pk = b != SIZE_MAX && g->packed ? &g->packed[b] : NULL;
    if (pk && !pk->g)
        pk = NULL; /* not packed: its glyphs as composed */
    if (!pk && !para->g)
        return PB_OK;
    if (pb_util_grow(&p->g, &p->cap, p->n + (ln->g1 - ln->g0), sizeof *p->g, 0))
        return pb_diag_oom("making pages");
    for (size_t k = ln->g0; k < ln->g1; k++) {
        pb_gpos *q = &p->g[p->n++];
        if (pk) {
            const glyph_packed *v = &pk->g[k];
            const glyph_kind *kd = &pk->kinds[v->kind];
            *q = (pb_gpos){kd->font,  kd->size,     0,        0,        v->gid, v->text, v->ntext,
                           kd->ruby, kd->artifact, kd->ruby_first, v->hscale, kd->link};
        } else {
            const pb_pglyph *x = &para->g[k];
            *q = (pb_gpos){x->font, x->size,     0,        0,        x->gid, x->text, x->ntext,
                           x->ruby, x->artifact, x->ruby_first, x->hscale, x->link};
        }
    }
    return PB_OK;
}

pb_status pb_galley_release(pb_galley *g, size_t upto)
{
    pb_status st = last_items(g);
    if (st != PB_OK)
        return st;
    for (; g->released < upto && g->released < g->vl.n; g->released++) {
        const pb_vitem *it = &g->vl.v[g->released];
        for (size_t c = 0; it->kind == PB_V_BOX && c < it->n_lines; c++) {
            size_t b = block_of(g, &it->line[c]);
            if (b != SIZE_MAX && g->last[b] == g->released) {
                pb_compose_free_para(&g->paras[b]);
                if (g->packed)
                    packed_free(&g->packed[b]);
            }
        }
    }
    return PB_OK;
}

void pb_galley_fini(pb_galley *g)
{
    for (size_t i = 0; g->paras && i < g->doc->n_blocks; i++)
        pb_compose_free_para(&g->paras[i]);
    for (size_t i = 0; g->packed && i < g->doc->n_blocks; i++)
        packed_free(&g->packed[i]);
    free(g->paras);
    free(g->packed);
    g->packed = NULL;
    free(g->size);
    free(g->leading);
    free(g->last);
    pb_vlist_fini(&g->vl);
    g->last = NULL;
    g->released = 0;
    g->paras = NULL;
    g->size = g->leading = NULL;
}
