/* pagebuild: block styles from the layout, vertical stacking, page breaks (keep-with-next,
 * widows and orphans, baseline grid), columns, cover, running heads, folios, marks. */
#include "pagebuild.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parallel.h"
#include "uchar.h"

#define EMBOX_ASCENT PB_EMBOX_ASCENT
/* Lines of the next paragraph a heading keeps with it (TeX's \clubpenalty makes a lone first
 * line at a page foot the worst break; two lines is the usual house rule). */
#define HEADING_KEEP_LINES 2
/* Headings in a row a heading keeps with it (第一章 then 第一條 then the article's text). */
#define HEADING_CHAIN_MAX 2
/* Fewest lines of a paragraph left alone at a page foot or head (no orphans, no widows). */
#define MIN_LINES_AT_BREAK 2
/* Separator between the Chinese and the English title of a bookmark or running head. */
static const uint32_t MARK_SEP[] = {' ', '/', ' '};
static const uint32_t ELLIPSIS[] = {0x2026};
/* Leaflet fit: sizes shrink in steps of this factor until the section fits. */
#define FIT_STEP 0.025
/* Rounding slack when comparing vertical positions (pt). */
#define EPS 1e-6
/* A measure wide enough that no header or test line breaks (pt). */
#define UNBOUNDED_MEASURE 1e6
/* Blocks composed ahead at a time on the other cores: enough to keep them busy, few enough
 * that a long document does not hold every paragraph composed at once. */
#define PRECOMPOSE_WINDOW 64
/* Composers (one per thread) for composing ahead. */
#define PRECOMPOSE_THREADS_MAX 16

/* A block composed ahead, before its turn (precompose), at the measure its turn will ask. */
typedef struct {
    double measure;         /* pt */
    pb_para para;
    int ready;              /* composed and not yet taken */
} ahead_slot;

typedef struct {
    const pb_layout *lay;
    double scale;           /* leaflet fit: every size and space times this */
    pb_composer *comp;
    const char *file;
    pb_pages *out;
    double cursor;          /* pt, top of the next line box */
    int page_open;
    int section;
    double x0, measure;     /* current column: offset from the page's left margin, width */
    int after_heading;      /* the last pair placed was a heading (it keeps what follows) */
    /* a block composed ahead (to keep a heading with it), reused when its turn comes */
    const pb_block *ahead_blk;
    double ahead_measure;   /* pt */
    pb_para ahead;
    /* blocks composed ahead on all cores, a window at a time (precompose) */
    pb_fontset *fonts;
    const pb_doc *doc;
    const uint8_t *wanted;  /* per block: 1 if this flow sets it (NULL: every block) */
    int parallel;           /* parallel columns: paragraphs take a column's measure */
    size_t follow;          /* the pair set after the current one when not the next in the
                             * document (a leaflet's own order); SIZE_MAX: the next */
    pb_composer *workers[PRECOMPOSE_THREADS_MAX]; /* [0] is comp */
    size_t n_workers;
    ahead_slot *slots;      /* per block of doc, [lo, hi) filled */
    size_t lo, hi;
    int no_precompose;      /* one thread, or it failed: compose in turn only */
    double first_y;         /* pt, baseline of the first line place_para set last */
    size_t first_page;      /* and its page */
} builder;

static double measure_of(const pb_layout *l) { return l->page_w - l->margin_inner - l->margin_outer; }
static double top_of(const pb_layout *l) { return l->page_h - l->margin_top; }

/* Recto pages (odd numbers, the first page) bind on the left. */
static double left_of(const pb_layout *l, size_t page_index)
{
    return page_index % 2 == 0 ? l->margin_inner : l->margin_outer;
}

static pb_page *cur_page(builder *b) { return &b->out->pages[b->out->n - 1]; }

static pb_status new_page(builder *b)
{
    pb_pages *o = b->out;
    if (o->n == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 16;
        pb_page *v = realloc(o->pages, cap * sizeof *v);
        if (!v)
            return PB_ESYSTEM;
        o->pages = v;
        o->cap = cap;
    }
    pb_page *p = &o->pages[o->n++];
    memset(p, 0, sizeof *p);
    p->w = b->lay->page_w;
    p->h = b->lay->page_h;
    p->section = p->section_top = b->section;
    b->cursor = top_of(b->lay);
    b->page_open = 1;
    return PB_OK;
}

static pb_status put(pb_page *p, const pb_pglyph *g, double x, double y)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 512;
        pb_gpos *v = realloc(p->g, cap * sizeof *v);
        if (!v)
            return PB_ESYSTEM;
        p->g = v;
        p->cap = cap;
    }
    p->g[p->n++] = (pb_gpos){g->font, g->size, (float)(x + g->x), (float)(y + g->dy), g->gid,
                             g->text, g->ntext, g->ruby, g->artifact, g->ruby_first, g->hscale,
                             g->link};
    return PB_OK;
}

/* Put one composed line on page p at (x, baseline) and record it. */
static pb_status put_line(pb_page *p, const pb_para *para, size_t li, double x, double baseline)
{
    const pb_cline *ln = &para->lines[li];
    size_t g0 = p->n;
    pb_status st;
    for (size_t k = ln->g0; k < ln->g1; k++)
        if ((st = put(p, &para->g[k], x, baseline)) != PB_OK)
            return st;
    if (p->n_lines == p->cap_lines) {
        size_t cap = p->cap_lines ? p->cap_lines * 2 : 64;
        pb_pline *v = realloc(p->lines, cap * sizeof *v);
        if (!v)
            return PB_ESYSTEM;
        p->lines = v;
        p->cap_lines = cap;
    }
    p->lines[p->n_lines++] = (pb_pline){g0,         p->n,
                                        (float)x,   (float)baseline,
                                        (float)ln->width, (float)ln->ratio,
                                        para->block, 0};
    return PB_OK;
}

/* Mark the glyphs put on p since g0 as pagination artifacts (running heads, folios). */
static void mark_artifacts(pb_page *p, size_t g0)
{
    for (size_t k = g0; k < p->n; k++)
        p->g[k].artifact = PB_ARTIFACT_PAGINATION;
}

static double room(const builder *b) { return b->cursor - b->lay->margin_bottom; }

/* Baseline of a line box whose top is at cursor; on the baseline grid (body text, when the
 * layout asks for it) the next grid line at or below that. */
static double baseline_for(const builder *b, double cursor, double size, double leading, int body)
{
    double bl = cursor - (leading - size) / 2 - size * EMBOX_ASCENT;
    if (body && b->lay->grid) {
        double g0 = top_of(b->lay) - (leading - size) / 2 - size * EMBOX_ASCENT;
        double k = ceil((g0 - bl) / leading - EPS);
        bl = g0 - k * leading;
    }
    return bl;
}

/* Cursor after a line whose baseline is bl. */
static double cursor_after(double bl, double size, double leading)
{
    return bl + (leading - size) / 2 + size * EMBOX_ASCENT - leading;
}

/* How many of n remaining lines to set before the next page break, given the room: all of
 * them if they fit; else as many as fit, less what avoids a lone first line (orphan) or a lone
 * last line (widow) at the break. 0 means "start on a new page". */
static size_t lines_before_break(const builder *b, const pb_para *para, size_t done,
                                 double size, double leading, int body)
{
    size_t n = para->n_lines;
    size_t k = 0;
    double c = b->cursor;
    while (done + k < n) {
        /* as place_para sets them: a ruby line first takes the extra room its ruby needs */
        double extra = para->lines[done + k].ruby_h - (leading - size);
        if (extra > 0 && c < top_of(b->lay) - EPS)
            c -= extra;
        double bl = baseline_for(b, c, size, leading, body);
        double next = cursor_after(bl, size, leading);
        if (next < b->lay->margin_bottom - EPS)
            break;
        c = next;
        k++;
    }
    size_t remaining = n - done;
    if (remaining <= k)
        return remaining;
    size_t split = k;
    if (done == 0 && split < MIN_LINES_AT_BREAK)
        split = 0;
    if (remaining - split < MIN_LINES_AT_BREAK && split > 0) {
        split = remaining > MIN_LINES_AT_BREAK ? remaining - MIN_LINES_AT_BREAK : 0;
        if (done == 0 && split < MIN_LINES_AT_BREAK)
            split = 0;
    }
    /* no word hyphenated across a page turn (TeX's \brokenpenalty): break a line earlier */
    size_t s = split;
    while (s > 0 && para->lines[done + s - 1].hyphen)
        s--;
    if (s > 0 && s < split && !(done == 0 && s < MIN_LINES_AT_BREAK))
        split = s;
    int at_top = b->cursor >= top_of(b->lay) - EPS;
    if (split == 0 && at_top)
        split = k ? k : 1; /* a fresh page cannot do better: never loop */
    return split;
}

/* Lines looser than this (glue ratio) are worth telling the editor about: badness 800, past
 * what the breaker accepts without its emergency pass (TeX's \tolerance 200 is about 1.26). */
#define LOOSE_RATIO 2.0

static pb_status add_issue(pb_pages *o, pb_issue_kind kind, int line, double value)
{
    if (o->n_issues == o->cap_issues) {
        size_t cap = o->cap_issues ? o->cap_issues * 2 : 8;
        pb_issue *v = realloc(o->issues, cap * sizeof *v);
        if (!v)
            return PB_ESYSTEM;
        o->issues = v;
        o->cap_issues = cap;
    }
    o->issues[o->n_issues++] = (pb_issue){kind, line, o->n ? o->n - 1 : 0, value};
    return PB_OK;
}

/* Record the lines of a composed block the editor should hear about. */
static pb_status note_issues(builder *b, const pb_block *blk, const pb_para *para)
{
    pb_status st = PB_OK;
    for (size_t i = 0; i < para->n_lines && st == PB_OK; i++) {
        const pb_cline *l = &para->lines[i];
        if (l->overfull)
            st = add_issue(b->out, PB_ISSUE_OVERFULL, blk->line, l->ratio);
        else if (!l->last && l->ratio > LOOSE_RATIO)
            st = add_issue(b->out, PB_ISSUE_LOOSE, blk->line, l->ratio);
    }
    return st;
}

/* Set a paragraph's lines in the current column, breaking pages as needed. */
static pb_status place_para(builder *b, const pb_para *para, double size, double leading,
                            int body)
{
    pb_status st;
    size_t li = 0;
    if (!b->page_open && (st = new_page(b)) != PB_OK)
        return st;
    while (li < para->n_lines) {
        size_t k = lines_before_break(b, para, li, size, leading, body);
        if (k == 0) {
            if ((st = new_page(b)) != PB_OK)
                return st;
            continue;
        }
        for (size_t j = 0; j < k; j++, li++) {
            /* a line with ruby takes only the extra room its ruby needs beyond the space
             * between em boxes (clreq §3.5: the leading grows only as much as needed) */
            double extra = para->lines[li].ruby_h - (leading - size);
            if (extra > 0 && b->cursor < top_of(b->lay) - EPS)
                b->cursor -= extra;
            double bl = baseline_for(b, b->cursor, size, leading, body);
            double x = left_of(b->lay, b->out->n - 1) + b->x0;
            if ((st = put_line(cur_page(b), para, li, x, bl)) != PB_OK)
                return st;
            if (li == 0)
                b->first_y = bl, b->first_page = b->out->n - 1;
            b->cursor = cursor_after(bl, size, leading);
        }
        if (li < para->n_lines && (st = new_page(b)) != PB_OK)
            return st;
    }
    return PB_OK;
}

static void style_of(const builder *b, const pb_block *blk, pb_style *st, double *leading)
{
    const pb_layout *l = b->lay;
    double s = b->scale;
    memset(st, 0, sizeof *st);
    switch (blk->kind) {
    case PB_BLOCK_TITLE:
        st->bold = 1;
        st->size = (blk->lang == PB_LANG_EN ? l->title_size_en : l->title_size) * s;
        st->align = PB_ALIGN_CENTER;
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
        st->size = l->text_size * s;
        st->indent = blk->flags & PB_BLOCK_LIST ? 0 : l->indent * s; /* a list item hangs */
        st->align = l->align == PB_ALIGN_LEFT ? PB_ALIGN_START : PB_ALIGN_JUSTIFIED;
        *leading = l->leading * s;
        break;
    }
}

/* ---- composing ahead on all cores --------------------------------------------------------
 * Composing a block depends on the block, its style and the measure only, so the blocks a flow
 * will set are composed a window at a time on every core before their turn; each turn takes
 * its block from the window when the measure matches (else composes it then). A block that
 * fails ahead is composed again in its turn, which reports the problem in document order. */

static size_t pair_end(const pb_doc *doc, size_t i);

/* A list item's text is set in the measure less its hanging indent. */
static double hang_of(const builder *b, const pb_block *blk)
{
    return blk->kind != PB_BLOCK_HEADING && blk->kind != PB_BLOCK_TITLE &&
                   (blk->flags & PB_BLOCK_LIST)
               ? b->lay->list_indent * b->scale
               : 0;
}

/* The measure block i's turn will ask for (pt), or -1 when no turn composes it. */
static double turn_measure(const builder *b, size_t i)
{
    const pb_doc *doc = b->doc;
    if (b->wanted && !b->wanted[i])
        return -1;
    size_t first = i;
    while (first > 0 && doc->blocks[first - 1].pair == doc->blocks[i].pair)
        first--;
    size_t k = i - first;
    if (k >= 2)
        return -1; /* a pair sets its first two blocks (stack_pair, columns_pair) */
    const pb_layout *l = b->lay;
    pb_block_kind kind = doc->blocks[first].kind;
    double hang = hang_of(b, &doc->blocks[i]);
    if (b->parallel && kind != PB_BLOCK_TITLE && kind != PB_BLOCK_HEADING) {
        double room_w = measure_of(l) - l->gutter;
        return room_w * (k == 0 ? l->column_share : 1 - l->column_share) - hang;
    }
    return measure_of(l) - hang;
}

typedef struct {
    builder *b;
    ahead_slot *win;
    atomic_size_t next;
} ahead_queue;

static void ahead_worker(void *ctx, size_t w)
{
    ahead_queue *q = ctx;
    builder *b = q->b;
    pb_diag_set_thread_quiet(1); /* a failure is composed again, and reported, in its turn */
    for (;;) {
        size_t k = atomic_fetch_add(&q->next, 1);
        if (k >= b->hi - b->lo)
            break;
        size_t i = b->lo + k;
        ahead_slot *sl = &q->win[k];
        sl->measure = turn_measure(b, i);
        if (sl->measure < 0)
            continue;
        const pb_block *blk = &b->doc->blocks[i];
        pb_style st;
        double leading;
        style_of(b, blk, &st, &leading);
        if (pb_compose_block(b->workers[w], blk, b->file, &st, sl->measure, &sl->para) == PB_OK)
            sl->ready = 1;
        else
            pb_compose_free_para(&sl->para);
    }
    pb_diag_set_thread_quiet(0);
}

static void ahead_clear(builder *b)
{
    if (!b->slots)
        return;
    for (size_t k = 0; k < b->hi - b->lo; k++)
        pb_compose_free_para(&b->slots[k].para);
    memset(b->slots, 0, PRECOMPOSE_WINDOW * sizeof *b->slots);
    b->lo = b->hi = 0;
}

/* Compose blocks [i, i + PRECOMPOSE_WINDOW) ahead (one composer per thread). */
static void ahead_fill(builder *b, size_t i)
{
    if (!b->slots) {
        size_t t = pb_parallel_threads();
        if (t > PRECOMPOSE_THREADS_MAX)
            t = PRECOMPOSE_THREADS_MAX;
        b->slots = t > 1 ? calloc(PRECOMPOSE_WINDOW, sizeof *b->slots) : NULL;
        if (!b->slots) {
            b->no_precompose = 1; /* one core (or no memory): each block in its turn */
            return;
        }
        b->workers[0] = b->comp;
        b->n_workers = 1;
        pb_diag_set_thread_quiet(1); /* the first composer said what there was to say */
        while (b->n_workers < t && pb_compose_new(b->fonts, b->lay, &b->workers[b->n_workers]) == PB_OK)
            b->n_workers++;
        pb_diag_set_thread_quiet(0);
    }
    ahead_clear(b);
    b->lo = i;
    b->hi = i + PRECOMPOSE_WINDOW < b->doc->n_blocks ? i + PRECOMPOSE_WINDOW : b->doc->n_blocks;
    ahead_queue q = {b, b->slots, 0};
    pb_parallel_run(b->n_workers, ahead_worker, &q);
}

/* Take blk's paragraph from the window if it was composed ahead at this measure. */
static int ahead_take(builder *b, const pb_block *blk, double measure, pb_para *para)
{
    if (b->no_precompose || !b->doc || blk < b->doc->blocks ||
        blk >= b->doc->blocks + b->doc->n_blocks)
        return 0; /* e.g. the cover's copy of the title */
    size_t i = (size_t)(blk - b->doc->blocks);
    if (i < b->lo || i >= b->hi)
        ahead_fill(b, i);
    if (b->no_precompose || i < b->lo || i >= b->hi)
        return 0;
    ahead_slot *sl = &b->slots[i - b->lo];
    if (!sl->ready || sl->measure != measure)
        return 0;
    *para = sl->para;
    memset(sl, 0, sizeof *sl);
    return 1;
}

static void ahead_free(builder *b)
{
    ahead_clear(b);
    free(b->slots);
    b->slots = NULL;
    for (size_t w = 1; w < b->n_workers; w++)
        pb_compose_free(b->workers[w]);
    b->n_workers = 0;
}

static pb_status compose(builder *b, const pb_block *blk, double measure, pb_para *para,
                         double *size, double *leading)
{
    pb_style st;
    style_of(b, blk, &st, leading);
    *size = st.size;
    pb_status s = PB_OK;
    if (b->ahead_blk == blk && b->ahead_measure == measure) {
        *para = b->ahead; /* composed already by follow_need: take it over */
        memset(&b->ahead, 0, sizeof b->ahead);
        b->ahead_blk = NULL;
    } else if (!ahead_take(b, blk, measure, para)) {
        s = pb_compose_block(b->comp, blk, b->file, &st, measure, para);
    }
    if (s == PB_OK && st.align == PB_ALIGN_JUSTIFIED)
        s = note_issues(b, blk, para);
    return s;
}

static pb_status add_mark(builder *b, const pb_block *zh, const pb_block *en)
{
    pb_pages *o = b->out;
    if (o->n_marks == o->cap_marks) {
        size_t cap = o->cap_marks ? o->cap_marks * 2 : 8;
        pb_mark *v = realloc(o->marks, cap * sizeof *v);
        if (!v)
            return PB_ESYSTEM;
        o->marks = v;
        o->cap_marks = cap;
    }
    size_t sep = sizeof MARK_SEP / sizeof MARK_SEP[0];
    size_t len = zh->len + (en ? sep + en->len : 0);
    uint32_t *t = malloc((len ? len : 1) * sizeof *t);
    if (!t)
        return PB_ESYSTEM;
    memcpy(t, zh->text, zh->len * sizeof *t);
    if (en) {
        memcpy(t + zh->len, MARK_SEP, sizeof MARK_SEP);
        memcpy(t + zh->len + sep, en->text, en->len * sizeof *t);
    }
    for (size_t i = 0; i < len; i++)
        if (t[i] == PB_LINE_BREAK)
            t[i] = ' '; /* a bookmark is one line */
    o->marks[o->n_marks++] = (pb_mark){t, len, o->n ? o->n - 1 : 0, b->cursor,
                                       zh->kind == PB_BLOCK_HEADING ? zh->level : 0};
    return PB_OK;
}

/* Space before a block, dropped at the top of a page. */
static void space(builder *b, double s)
{
    if (b->page_open && b->cursor < top_of(b->lay) - EPS)
        b->cursor -= s * b->scale;
}

static pb_status pool_add(pb_pages *o, uint32_t *t)
{
    if (o->n_pool == o->cap_pool) {
        size_t cap = o->cap_pool ? o->cap_pool * 2 : 16;
        uint32_t **v = realloc(o->pool, cap * sizeof *v);
        if (!v) {
            free(t);
            return PB_ESYSTEM;
        }
        o->pool = v;
        o->cap_pool = cap;
    }
    o->pool[o->n_pool++] = t;
    return PB_OK;
}

/* Compose a one-line text (folio, running head) owned by the pages' pool. */
static pb_status compose_line(builder *b, const uint32_t *text, size_t len, pb_lang lang,
                              int bold, double size, pb_line_align align, double measure,
                              pb_para *para)
{
    uint32_t *t = malloc((len ? len : 1) * sizeof *t);
    uint32_t *cols = malloc((len ? len : 1) * sizeof *cols);
    if (!t || !cols) {
        free(t);
        free(cols);
        return PB_ESYSTEM;
    }
    for (size_t i = 0; i < len; i++) {
        t[i] = text[i] == PB_LINE_BREAK ? ' ' : text[i]; /* a head or folio is one line */
        cols[i] = (uint32_t)i + 1;
    }
    pb_status st = pool_add(b->out, t);
    if (st != PB_OK) {
        free(cols);
        return st;
    }
    pb_block blk = {0};
    blk.kind = PB_BLOCK_PARA;
    blk.lang = lang;
    blk.text = t;
    blk.len = len;
    blk.col = cols;
    pb_style sty = {bold, size, 0, align};
    st = pb_compose_block(b->comp, &blk, b->file, &sty, measure, para);
    para->block = NULL; /* blk was a stand-in: the line is not the document's text */
    free(cols);
    return st;
}

static pb_status add_folios(builder *b)
{
    const pb_layout *l = b->lay;
    /* a leaflet stands alone: its foot may tell its place in the series instead ("2 / 5") */
    int series = l->series && l->product == PB_PRODUCT_LEAFLET && b->section > 0 &&
                 b->doc && b->doc->n_sections > 0;
    if (!l->folio && !series)
        return PB_OK;
    for (size_t i = 0; i < b->out->n; i++) {
        pb_page *p = &b->out->pages[i];
        if (!p->folio)
            continue;
        char num[32];
        int n = series ? snprintf(num, sizeof num, "%d / %d", b->section, b->doc->n_sections)
                       : snprintf(num, sizeof num, "%d", p->folio);
        uint32_t digits[32];
        for (int k = 0; k < n; k++)
            digits[k] = (unsigned char)num[k];
        pb_para para;
        pb_status st = compose_line(b, digits, (size_t)n, PB_LANG_EN, 0, l->folio_size * b->scale,
                                    PB_ALIGN_CENTER, measure_of(l), &para);
        if (st != PB_OK)
            return st;
        double y = l->margin_bottom - l->folio_offset;
        size_t g0 = p->n;
        for (size_t li = 0; li < para.n_lines && st == PB_OK; li++)
            st = put_line(p, &para, li, left_of(l, i), y);
        mark_artifacts(p, g0);
        pb_compose_free_para(&para);
        if (st != PB_OK)
            return st;
    }
    return PB_OK;
}

/* ---- running heads ----------------------------------------------------------------------- */

typedef struct {
    uint32_t *t;
    size_t n, cap;
} u32buf;

static int u32_put(u32buf *s, const uint32_t *t, size_t n)
{
    if (s->n + n > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 128;
        while (cap < s->n + n)
            cap *= 2;
        uint32_t *v = realloc(s->t, cap * sizeof *v);
        if (!v)
            return 0;
        s->t = v;
        s->cap = cap;
    }
    memcpy(s->t + s->n, t, n * sizeof *t);
    s->n += n;
    return 1;
}

/* A Chinese heading shortened to its first clause (up to a comma) for the running head. */
static size_t zh_clause(const pb_block *zh)
{
    for (size_t i = 0; i < zh->len; i++)
        if (zh->text[i] == 0xFF0C || zh->text[i] == ',' || zh->text[i] == 0xFF1B)
            return i;
    return zh->len;
}

/* Where an English heading reads as a phrase when cut: after the word that follows its last
 * closing quote ("... the “AI+ industrial application” campaign"), or 0. */
static size_t en_phrase(const pb_block *en)
{
    size_t q = 0;
    for (size_t i = 0; i < en->len; i++)
        if (en->text[i] == 0x201D)
            q = i + 1;
    if (!q)
        return 0;
    size_t k = q;
    while (k < en->len && en->text[k] == ' ')
        k++;
    while (k < en->len && en->text[k] != ' ')
        k++;
    return k < en->len ? k : 0;
}

/* A running head: the Chinese part (set as Chinese) and the English part (set as English, so
 * its quotes are Latin), side by side. */
typedef struct {
    int set;
    pb_para zh, en;
    double en_x;            /* pt, where the English part starts */
    double width;           /* pt */
} head_text_t;

static void head_free(head_text_t *h)
{
    pb_compose_free_para(&h->zh);
    pb_compose_free_para(&h->en);
}

/* Separator in front of the English part: a visible middle dot, so the head does not read as
 * one Han-Latin run. */
static const uint32_t HEAD_SEP[] = {' ', 0x00B7, ' '};

static pb_status head_try(builder *b, const pb_block *zh, size_t zl, const pb_block *en, size_t el,
                          int ellipsis, double size, head_text_t *h)
{
    memset(h, 0, sizeof *h);
    pb_status st = PB_OK;
    if (zh && zl)
        st = compose_line(b, zh->text, zl, PB_LANG_ZH, 0, size, PB_ALIGN_START,
                          UNBOUNDED_MEASURE, &h->zh);
    if (st == PB_OK && en && el) {
        u32buf s = {0};
        int ok = 1;
        if (zh && zl)
            ok &= u32_put(&s, HEAD_SEP, sizeof HEAD_SEP / sizeof HEAD_SEP[0]);
        ok &= u32_put(&s, en->text, el);
        if (ellipsis)
            ok &= u32_put(&s, ELLIPSIS, 1);
        st = ok ? compose_line(b, s.t, s.n, PB_LANG_EN, 0, size, PB_ALIGN_START,
                               UNBOUNDED_MEASURE, &h->en)
                : PB_ESYSTEM;
        free(s.t);
    }
    h->en_x = h->zh.n_lines ? h->zh.lines[0].width : 0;
    h->width = h->en_x + (h->en.n_lines ? h->en.lines[0].width : 0);
    h->set = 1;
    return st;
}

/* The running head for a pair, shortened until it fits the measure: the Chinese to its first
 * clause; the English to its phrase, else to whole words and an ellipsis. */
static pb_status head_text(builder *b, const pb_block *zh, const pb_block *en, double size,
                           head_text_t *h)
{
    double limit = measure_of(b->lay) + EPS;
    size_t zl = zh ? zh->len : 0, el = en ? en->len : 0;
    pb_status st = head_try(b, zh, zl, en, el, 0, size, h);
    if (st != PB_OK || h->width <= limit)
        return st;
    if (zh && zh_clause(zh) < zl) {
        head_free(h);
        zl = zh_clause(zh);
        if ((st = head_try(b, zh, zl, en, el, 0, size, h)) != PB_OK || h->width <= limit)
            return st;
    }
    if (en && en_phrase(en)) {
        head_free(h);
        if ((st = head_try(b, zh, zl, en, en_phrase(en), 0, size, h)) != PB_OK ||
            h->width <= limit)
            return st;
    }
    /* whole English words and an ellipsis: the longest prefix that fits, by bisection over
     * the word ends (a long title costs log2(words) compositions, not one per word) */
    if (en && el > 0) {
        size_t *ends = malloc((el + 1) * sizeof *ends);
        if (!ends)
            return PB_ESYSTEM;
        size_t n = 0;
        for (size_t k = 1; k < el; k++)
            if (en->text[k] == ' ' && en->text[k - 1] != ' ')
                ends[n++] = k;
        size_t lo = 0, hi = n; /* ends[lo - 1] fits (lo = 0: nothing), ends[hi] does not */
        while (lo < hi && st == PB_OK) {
            size_t mid = (lo + hi + 1) / 2;
            head_free(h);
            st = head_try(b, zh, zl, en, ends[mid - 1], 1, size, h);
            if (h->width <= limit)
                lo = mid;
            else
                hi = mid - 1;
        }
        size_t cut = lo ? ends[lo - 1] : 0;
        free(ends);
        if (st != PB_OK)
            return st;
        head_free(h);
        st = head_try(b, zh, zl, en, cut, cut > 0, size, h);
    }
    return st;
}

static pb_status add_running_heads(builder *b, const pb_doc *doc)
{
    const pb_layout *l = b->lay;
    if (!l->header)
        return PB_OK;
    const pb_block *title_zh = NULL, *title_en = NULL;
    for (size_t i = 0; i < doc->n_blocks && doc->blocks[i].kind == PB_BLOCK_TITLE; i++)
        *(doc->blocks[i].lang == PB_LANG_ZH ? &title_zh : &title_en) = &doc->blocks[i];
    /* each head is set once (the title; each section) and reused on every page showing it */
    size_t n_cache = (size_t)doc->n_sections + 2;
    head_text_t *cache = calloc(n_cache, sizeof *cache);
    if (!cache)
        return PB_ESYSTEM;
    pb_status st = PB_OK;
    for (size_t i = 0; i < b->out->n && st == PB_OK; i++) {
        pb_page *p = &b->out->pages[i];
        if (p->cover || !p->folio)
            continue;
        /* no head over the title, nor over a heading that opens the page */
        int opens = 0;
        for (size_t m = 0; m < b->out->n_marks; m++)
            opens |= b->out->marks[m].page == i &&
                     (m == 0 || b->out->marks[m].y >= top_of(l) - EPS);
        if (opens)
            continue;
        int recto = i % 2 == 0;
        pb_head_content what = recto ? l->head_recto : l->head_verso;
        if (what == PB_HEAD_NONE)
            continue;
        /* the section the page opens in: what the reader meets first (a page that opens with a
         * heading has no head, above) */
        int section = what == PB_HEAD_SECTION ? p->section_top : 0; /* 0: the title */
        size_t slot = section > 0 && (size_t)section + 1 < n_cache ? (size_t)section + 1 : 0;
        head_text_t *h = &cache[slot];
        if (!h->set) {
            /* set once per slot: the title pair, or the section's heading pair */
            const pb_block *zh = title_zh, *en = title_en;
            pb_block short_zh, short_en; /* a heading's {short="..."} for its running head */
            if (slot) {
                zh = en = NULL;
                for (size_t k = 0; k < doc->n_blocks; k++) {
                    const pb_block *blk = &doc->blocks[k];
                    if (blk->kind == PB_BLOCK_HEADING && blk->level == 1 && blk->section == section)
                        *(blk->lang == PB_LANG_ZH ? &zh : &en) = blk;
                }
                if (zh && zh->short_title) {
                    short_zh = *zh;
                    short_zh.text = zh->short_title, short_zh.len = zh->short_len;
                    zh = &short_zh;
                }
                if (en && en->short_title) {
                    short_en = *en;
                    short_en.text = en->short_title, short_en.len = en->short_len;
                    en = &short_en;
                }
            }
            if (!zh && !en) {
                h->set = 1; /* nothing to show; remembered as empty */
                continue;
            }
            if ((st = head_text(b, zh, en, l->header_size * b->scale, h)) != PB_OK)
                break;
        }
        /* the head sits at the outer edge: left on versos, right on rectos */
        double x = left_of(l, i) + (recto ? measure_of(l) - h->width : 0);
        double y = top_of(l) + l->header_offset;
        size_t g0 = p->n;
        if (h->zh.n_lines)
            st = put_line(p, &h->zh, 0, x, y);
        if (st == PB_OK && h->en.n_lines)
            st = put_line(p, &h->en, 0, x + h->en_x, y);
        mark_artifacts(p, g0);
    }
    for (size_t k = 0; k < n_cache; k++)
        head_free(&cache[k]);
    free(cache);
    return st;
}

/* ---- document flows ---------------------------------------------------------------------- */

/* The pair starting at block i: its blocks [i, *end). */
static size_t pair_end(const pb_doc *doc, size_t i)
{
    size_t j = i + 1;
    while (j < doc->n_blocks && doc->blocks[j].pair == doc->blocks[i].pair)
        j++;
    return j;
}

/* Space above a pair, by what it is. */
static double space_before(const builder *b, const pb_block *blk)
{
    if (blk->kind != PB_BLOCK_HEADING)
        return b->lay->pair_space;
    return blk->level >= 2 ? b->lay->sub_space_before : b->lay->heading_space_before;
}

/* Space below a heading (pt, unscaled). */
static double space_after_heading(const builder *b, const pb_block *blk)
{
    return blk->level >= 2 ? b->lay->sub_space_after : b->lay->heading_space_after;
}

/* A Chinese paragraph and its English partner prefer the same spread (facing pages). A pair
 * that would start on the last page of a spread and run over to the next spread moves to the
 * next spread when that leaves at most this share of the page empty, and the pair fits a
 * spread. */
#define SPREAD_SLACK 0.15

static int split_from_partner(const builder *b, const pb_para paras[2], const double leads[2])
{
    const pb_layout *l = b->lay;
    size_t page = b->out->n - 1;
    int last_of_spread = page % 2 == 0 && page > 0; /* rectos close a spread */
    double block = l->page_h - l->margin_top - l->margin_bottom;
    double need = paras[0].n_lines * leads[0] + l->para_space * b->scale +
                  paras[1].n_lines * leads[1];
    return last_of_spread && room(b) < need && room(b) < SPREAD_SLACK * block &&
           need <= 2 * block;
}

/* Height of a pair's lines and the space between them (pt). */
static double pair_height(const builder *b, const pb_para *paras, const double *leads, size_t n)
{
    double h = 0;
    for (size_t k = 0; k < n; k++)
        h += paras[k].n_lines * leads[k] + (k ? b->lay->para_space * b->scale : 0);
    return h;
}

/* Height the first lines of the block at index next take when set after a heading: its space,
 * HEADING_KEEP_LINES lines, the room their ruby needs, and a grid step when on the grid. */
static double follow_need(builder *b, const pb_doc *doc, size_t next, int depth)
{
    const pb_layout *l = b->lay;
    double fallback = HEADING_KEEP_LINES * l->leading * b->scale;
    if (next >= doc->n_blocks)
        return fallback;
    const pb_block *blk = &doc->blocks[next];
    pb_style st;
    double leading;
    style_of(b, blk, &st, &leading);
    pb_para tmp = {0}, *para = &tmp;
    /* the measure its turn will set it in (a parallel column, a list item's hang) */
    double measure = turn_measure(b, next) > 0 ? turn_measure(b, next) : measure_of(l);
    if (depth == 0) {
        pb_compose_free_para(&b->ahead);
        b->ahead_blk = NULL;
        para = &b->ahead;
    }
    if (!ahead_take(b, blk, measure, para) &&
        pb_compose_block(b->comp, blk, b->file, &st, measure, para) != PB_OK)
        return fallback;
    if (depth == 0) {
        b->ahead_blk = blk; /* compose() takes it over when the block's turn comes */
        b->ahead_measure = measure;
    }
    double need = space_before(b, blk) * b->scale;
    /* the lines that must follow the heading: HEADING_KEEP_LINES, or the whole paragraph when
     * a break after them would leave fewer than MIN_LINES_AT_BREAK (a widow) on the next page,
     * which lines_before_break would refuse, moving the paragraph and leaving the heading; a
     * heading that follows (第一章 then 第一條) keeps all its lines and what follows it */
    int heading = blk->kind == PB_BLOCK_HEADING;
    size_t keep = heading || para->n_lines < HEADING_KEEP_LINES + MIN_LINES_AT_BREAK
                      ? para->n_lines
                      : HEADING_KEEP_LINES;
    for (size_t i = 0; i < para->n_lines && i < keep; i++) {
        double extra = para->lines[i].ruby_h - (leading - st.size);
        need += leading + (extra > 0 ? extra : 0);
    }
    pb_compose_free_para(&tmp);
    if (heading && depth < HEADING_CHAIN_MAX) {
        size_t end = pair_end(doc, next);
        for (size_t k = next + 1; k < end; k++) { /* the heading's other language */
            pb_style st2;
            double lead2;
            style_of(b, &doc->blocks[k], &st2, &lead2);
            pb_para other = {0};
            if (pb_compose_block(b->comp, &doc->blocks[k], b->file, &st2, measure_of(l), &other) ==
                PB_OK)
                need += l->para_space * b->scale + other.n_lines * lead2;
            pb_compose_free_para(&other);
        }
        need += space_after_heading(b, blk) * b->scale + follow_need(b, doc, end, depth + 1);
    }
    if (l->grid && depth == 0)
        need += leading;
    return need;
}

/* A list item's bullet, hung in its indent on the baseline of its first line (a layout
 * decoration: the item's text is the text). */
static const uint32_t BULLET[] = {0x2022};

static pb_status put_bullet(builder *b, const pb_block *blk, double size, double x)
{
    pb_para para;
    pb_status st = compose_line(b, BULLET, 1, blk->lang, 0, size, PB_ALIGN_START,
                                UNBOUNDED_MEASURE, &para);
    if (st != PB_OK)
        return st;
    pb_page *p = &b->out->pages[b->first_page];
    size_t g0 = p->n;
    size_t l0 = p->n_lines;
    for (size_t li = 0; li < para.n_lines && st == PB_OK; li++)
        st = put_line(p, &para, li, x, b->first_y);
    for (size_t k = g0; k < p->n; k++)
        p->g[k].artifact = PB_ARTIFACT_LAYOUT;
    for (size_t k = l0; k < p->n_lines; k++) { /* the item's label (tagged as its Lbl) */
        p->lines[k].block = blk;
        p->lines[k].label = 1;
    }
    pb_compose_free_para(&para);
    return st;
}

/* A pair stacked in the full measure: title, heading or paragraphs, Chinese then English. */
static pb_status stack_pair(builder *b, const pb_doc *doc, size_t i, size_t end, int first)
{
    const pb_layout *l = b->lay;
    const pb_block *blk = &doc->blocks[i];
    pb_para paras[2] = {{0}};
    double sizes[2] = {0}, leads[2] = {0};
    size_t n = end - i > 2 ? 2 : end - i;
    pb_status st = PB_OK;
    for (size_t k = 0; k < n && st == PB_OK; k++)
        st = compose(b, &doc->blocks[i + k], measure_of(l) - hang_of(b, &doc->blocks[i + k]),
                     &paras[k], &sizes[k], &leads[k]);
    if (st != PB_OK)
        goto out;
    if (!first)
        space(b, space_before(b, blk));
    /* {keep}: the pair on one page when it fits one */
    double block_h = l->page_h - l->margin_top - l->margin_bottom;
    if ((blk->flags & PB_BLOCK_KEEP) && b->page_open && b->cursor < top_of(l) - EPS &&
        room(b) < pair_height(b, paras, leads, n) - EPS &&
        pair_height(b, paras, leads, n) <= block_h)
        st = new_page(b);
    if (blk->kind == PB_BLOCK_HEADING) {
        /* keep the heading pair with the first lines of what follows */
        double need = space_after_heading(b, blk) * b->scale +
                      follow_need(b, doc, b->follow != SIZE_MAX ? b->follow : end, 0) +
                      pair_height(b, paras, leads, n); /* with the space between its lines */
        if (!b->page_open || room(b) < need - EPS)
            st = new_page(b);
        b->section = blk->section;
        if (st == PB_OK)
            cur_page(b)->section = blk->section;
    }
    if (st == PB_OK && !b->page_open)
        st = new_page(b);
    if (st == PB_OK && n == 2 && blk->kind == PB_BLOCK_PARA && l->product == PB_PRODUCT_BOOKLET &&
        !b->after_heading && split_from_partner(b, paras, leads))
        st = new_page(b);
    b->after_heading = blk->kind == PB_BLOCK_HEADING;
    if (st == PB_OK && (blk->kind == PB_BLOCK_HEADING || blk->kind == PB_BLOCK_TITLE))
        st = add_mark(b, blk, n > 1 ? &doc->blocks[i + 1] : NULL);
    for (size_t k = 0; k < n && st == PB_OK; k++) {
        const pb_block *bk = &doc->blocks[i + k];
        double hang = hang_of(b, bk);
        if (k > 0)
            space(b, l->para_space);
        b->x0 += hang;
        st = place_para(b, &paras[k], sizes[k], leads[k],
                        bk->kind == PB_BLOCK_PARA || bk->kind == PB_BLOCK_INTRO);
        b->x0 -= hang;
        if (st == PB_OK && hang > 0 && paras[k].n_lines)
            st = put_bullet(b, bk, sizes[k], left_of(l, b->first_page) + b->x0);
    }
    if (st == PB_OK && blk->kind == PB_BLOCK_TITLE)
        b->cursor -= l->title_space_after * b->scale;
    if (st == PB_OK && blk->kind == PB_BLOCK_HEADING)
        b->cursor -= space_after_heading(b, blk) * b->scale;
out:
    for (size_t k = 0; k < 2; k++)
        pb_compose_free_para(&paras[k]);
    return st;
}

/* A pair side by side: Chinese in the left column, English in the right, starting level; a
 * pair longer than the page goes on in both columns on the next page. */
static pb_status columns_pair(builder *b, const pb_doc *doc, size_t i, size_t end, int first)
{
    const pb_layout *l = b->lay;
    /* the first (Chinese) column takes column_share of the space: Chinese sets denser */
    double room_w = measure_of(l) - l->gutter;
    double colw[2] = {room_w * l->column_share, room_w * (1 - l->column_share)};
    pb_para paras[2] = {{0}};
    double sizes[2] = {0}, leads[2] = {0};
    size_t n = end - i > 2 ? 2 : end - i;
    pb_status st = PB_OK;
    double hang[2] = {0, 0};
    for (size_t k = 0; k < n && st == PB_OK; k++) {
        hang[k] = hang_of(b, &doc->blocks[i + k]);
        st = compose(b, &doc->blocks[i + k], colw[k] - hang[k], &paras[k], &sizes[k], &leads[k]);
    }
    if (st != PB_OK)
        goto out;
    if (!first)
        space(b, l->pair_space);
    if (!b->page_open && (st = new_page(b)) != PB_OK)
        goto out;
    /* {keep}: the pair on one page when it fits one */
    double tallest = 0;
    for (size_t k = 0; k < n; k++)
        if (paras[k].n_lines * leads[k] > tallest)
            tallest = paras[k].n_lines * leads[k];
    if ((doc->blocks[i].flags & PB_BLOCK_KEEP) && b->cursor < top_of(l) - EPS &&
        room(b) < tallest - EPS && tallest <= l->page_h - l->margin_top - l->margin_bottom &&
        (st = new_page(b)) != PB_OK)
        goto out;
    size_t done[2] = {0, 0};
    for (;;) {
        double start = b->cursor, low = b->cursor;
        int more = 0;
        for (size_t k = 0; k < n && st == PB_OK; k++) {
            b->cursor = start;
            b->x0 = k == 0 ? 0 : colw[0] + l->gutter;
            size_t c = lines_before_break(b, &paras[k], done[k], sizes[k], leads[k], 1);
            for (size_t j = 0; j < c && st == PB_OK; j++, done[k]++) {
                double bl = baseline_for(b, b->cursor, sizes[k], leads[k], 1);
                double x = left_of(l, b->out->n - 1) + b->x0;
                st = put_line(cur_page(b), &paras[k], done[k], x + hang[k], bl);
                if (st == PB_OK && done[k] == 0 && hang[k] > 0) {
                    b->first_y = bl, b->first_page = b->out->n - 1;
                    st = put_bullet(b, &doc->blocks[i + k], sizes[k], x);
                }
                b->cursor = cursor_after(bl, sizes[k], leads[k]);
            }
            if (b->cursor < low)
                low = b->cursor;
            more |= done[k] < paras[k].n_lines;
        }
        b->x0 = 0;
        b->cursor = low;
        if (st != PB_OK || !more)
            break;
        if ((st = new_page(b)) != PB_OK)
            break;
    }
out:
    b->x0 = 0;
    for (size_t k = 0; k < 2; k++)
        pb_compose_free_para(&paras[k]);
    return st;
}

static void number_pages(builder *b)
{
    int folio = 0;
    for (size_t i = 0; i < b->out->n; i++)
        b->out->pages[i].folio = b->out->pages[i].cover ? 0 : ++folio;
}

/* The cover: the title pair set large, centred on the page; then a blank inside cover. */
static pb_status add_cover(builder *b, const pb_doc *doc)
{
    const pb_layout *l = b->lay;
    pb_status st = new_page(b);
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
        double leading = leads[n];
        pb_style sty = {1, sizes[n], 0, PB_ALIGN_CENTER};
        pb_block plain = doc->blocks[i];
        plain.n_annots = 0; /* no ruby on the cover: it is a display, not a reading text */
        if ((st = pb_compose_block(b->comp, &plain, b->file, &sty, measure_of(l), &paras[n])) !=
            PB_OK)
            break;
        paras[n].block = &doc->blocks[i]; /* not the stand-in without annotations */
        total += paras[n].n_lines * leading;
        n++;
    }
    /* optical centre: a little above the middle (the classic 3:5 split of the white space) */
    double white = l->page_h - l->margin_top - l->margin_bottom - total;
    b->cursor = top_of(l) - white * 3 / 8;
    for (size_t k = 0; k < n && st == PB_OK; k++)
        for (size_t li = 0; li < paras[k].n_lines && st == PB_OK; li++) {
            double bl = baseline_for(b, b->cursor, sizes[k], leads[k], 0);
            /* centred on the page, not on the text block (the margins differ) */
            st = put_line(cur_page(b), &paras[k], li, (l->page_w - measure_of(l)) / 2, bl);
            b->cursor = cursor_after(bl, sizes[k], leads[k]);
        }
    for (size_t k = 0; k < 2; k++)
        pb_compose_free_para(&paras[k]);
    if (st != PB_OK)
        return st;
    cur_page(b)->cover = 1;
    if ((st = new_page(b)) != PB_OK)
        return st;
    cur_page(b)->cover = 1;
    b->page_open = 0;
    return PB_OK;
}

static pb_status begin(builder *b, const pb_layout *lay, pb_fontset *fonts, const pb_doc *doc,
                       pb_pages *out, double scale)
{
    memset(out, 0, sizeof *out);
    memset(b, 0, sizeof *b);
    b->lay = lay;
    b->scale = scale;
    b->file = doc->file;
    b->out = out;
    b->fonts = fonts;
    b->doc = doc;
    b->parallel = lay->product == PB_PRODUCT_PARALLEL;
    b->follow = SIZE_MAX;
    out->scale = scale;
    return pb_compose_new(fonts, lay, &b->comp);
}

static pb_status finish(builder *b, const pb_doc *doc, pb_status st)
{
    if (st == PB_OK && b->out->n == 0)
        st = new_page(b);
    if (st == PB_OK) {
        number_pages(b);
        st = add_running_heads(b, doc);
    }
    if (st == PB_OK)
        st = add_folios(b);
    pb_compose_free_para(&b->ahead);
    ahead_free(b);
    pb_compose_free(b->comp);
    if (st != PB_OK)
        pb_pagebuild_free(b->out);
    return st;
}

pb_status pb_pagebuild_doc(const pb_doc *doc, const pb_layout *lay, pb_fontset *fonts,
                           pb_pages *out)
{
    builder b;
    pb_status st = begin(&b, lay, fonts, doc, out, 1.0);
    if (st != PB_OK)
        return st;
    int parallel = lay->product == PB_PRODUCT_PARALLEL;
    if (lay->cover && !parallel)
        st = add_cover(&b, doc);
    int first = 1;
    for (size_t i = 0; i < doc->n_blocks && st == PB_OK;) {
        size_t end = pair_end(doc, i);
        const pb_block *blk = &doc->blocks[i];
        /* in parallel, titles and headings span both columns */
        if (parallel && blk->kind != PB_BLOCK_TITLE && blk->kind != PB_BLOCK_HEADING)
            st = columns_pair(&b, doc, i, end, first);
        else
            st = stack_pair(&b, doc, i, end, first);
        first = 0;
        i = end;
    }
    return finish(&b, doc, st);
}

/* The blocks of a leaflet: title pair, the preamble's last pair, and one section. */
static pb_status leaflet_at(const pb_doc *doc, const pb_layout *lay, pb_fontset *fonts,
                            int section, double scale, pb_pages *out)
{
    builder b;
    pb_status st = begin(&b, lay, fonts, doc, out, scale);
    if (st != PB_OK)
        return st;
    size_t intro = doc->n_blocks; /* start of the last preamble pair */
    for (size_t i = 0; i < doc->n_blocks; i = pair_end(doc, i))
        if (doc->blocks[i].kind == PB_BLOCK_INTRO)
            intro = i;
    uint8_t *wanted = calloc(doc->n_blocks ? doc->n_blocks : 1, 1);
    if (!wanted)
        return finish(&b, doc, PB_ESYSTEM);
    for (size_t i = 0; i < doc->n_blocks;) {
        size_t end = pair_end(doc, i);
        const pb_block *blk = &doc->blocks[i];
        int take = blk->kind == PB_BLOCK_TITLE || i == intro || blk->section == section;
        memset(wanted + i, take, end - i);
        i = end;
    }
    b.wanted = wanted; /* only these are composed ahead */
    /* a leaflet's order: the initiative's title (its kicker), the campaign's heading (its
     * headline), the preamble's intro (its standfirst), then the campaign's text */
    size_t *order = malloc((doc->n_blocks ? doc->n_blocks : 1) * sizeof *order);
    if (!order) {
        free(wanted);
        return finish(&b, doc, PB_ESYSTEM);
    }
    size_t n_order = 0;
    for (int pass = 0; pass < 4; pass++)
        for (size_t i = 0; i < doc->n_blocks; i = pair_end(doc, i)) {
            const pb_block *blk = &doc->blocks[i];
            int title = blk->kind == PB_BLOCK_TITLE;
            int head = !title && i != intro && blk->section == section &&
                       blk->kind == PB_BLOCK_HEADING && blk->level == 1;
            int body = !title && i != intro && blk->section == section && !head;
            if ((pass == 0 && title) || (pass == 1 && head) || (pass == 2 && i == intro) ||
                (pass == 3 && body))
                order[n_order++] = i;
        }
    for (size_t k = 0; k < n_order && st == PB_OK; k++) {
        b.follow = k + 1 < n_order ? order[k + 1] : doc->n_blocks;
        st = stack_pair(&b, doc, order[k], pair_end(doc, order[k]), k == 0);
    }
    free(order);
    b.section = section;
    for (size_t p = 0; p < out->n; p++)
        out->pages[p].section = out->pages[p].section_top = section;
    st = finish(&b, doc, st);
    free(wanted);
    return st;
}

pb_status pb_pagebuild_leaflet(const pb_doc *doc, const pb_layout *lay, pb_fontset *fonts,
                               int section, pb_pages *out, double *scale_out)
{
    double floor_scale = lay->fit == PB_FIT_SHRINK ? lay->min_scale : 1.0;
    double scale = 1.0;
    pb_status st;
    for (;;) {
        st = leaflet_at(doc, lay, fonts, section, scale, out);
        if (st != PB_OK || out->n <= (size_t)lay->leaflet_pages || scale <= floor_scale + EPS)
            break;
        pb_pagebuild_free(out);
        scale -= FIT_STEP;
        if (scale < floor_scale)
            scale = floor_scale;
    }
    if (st == PB_OK && out->n > (size_t)lay->leaflet_pages)
        st = add_issue(out, PB_ISSUE_LEAFLET_OVERFLOW, 0, (double)out->n);
    if (st == PB_OK && out->n > (size_t)lay->leaflet_pages)
        pb_diag_warning(doc->file, 0, 0,
                        "section %d does not fit on %d page(s)%s; it takes %zu pages", section,
                        lay->leaflet_pages,
                        lay->fit == PB_FIT_SHRINK ? " even at the layout's min-scale" : "",
                        out->n);
    if (scale_out)
        *scale_out = scale;
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
    memset(o, 0, sizeof *o);
}
