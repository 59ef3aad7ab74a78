/* pageout: the output routine: pages from a broken vertical list, then folios and heads. */
#include "pageout.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pagebreak.h"

/* Separator between the Chinese and the English title of a bookmark or running head. */
static const uint32_t MARK_SEP[] = {' ', '/', ' '};
static const uint32_t ELLIPSIS[] = {0x2026};
/* A list item's bullet, hung in its indent on its first baseline. */
static const uint32_t BULLET[] = {0x2022};
/* Rounding slack when comparing vertical positions (pt). */
#define EPS 1e-6
/* A measure wide enough that no header or test line breaks (pt). */
#define UNBOUNDED_MEASURE 1e6
/* Lines looser than this (glue ratio) are worth telling the editor about: badness 800, past
 * what the breaker accepts without its emergency pass (TeX's \tolerance 200 is about 1.26). */
#define LOOSE_RATIO 2.0


/* Recto pages (odd numbers, the first page) bind on the left. */
static double left_of(const pb_layout *l, size_t page_index)
{
    return page_index % 2 == 0 ? l->margin_inner : l->margin_outer;
}

pb_status pb_pageout_new_page(pb_pageout *o, int cover)
{
    pb_pages *out = o->out;
    if (out->n == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 16;
        pb_page *v = realloc(out->pages, cap * sizeof *v);
        if (!v) {
            return pb_diag_oom("making pages");
        }
        out->pages = v;
        out->cap = cap;
    }
    pb_page *p = &out->pages[out->n++];
    memset(p, 0, sizeof *p);
    p->w = o->lay->page_w;
    p->h = o->lay->page_h;
    p->section = p->section_top = o->in_force;
    p->cover = cover;
    return PB_OK;
}

static pb_status put(pb_page *p, const pb_pglyph *g, double x, double y)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 512;
        pb_gpos *v = realloc(p->g, cap * sizeof *v);
        if (!v) {
            return pb_diag_oom("making pages");
        }
        p->g = v;
        p->cap = cap;
    }
    p->g[p->n++] = (pb_gpos){g->font, g->size, (float)(x + g->x), (float)(y + g->dy), g->gid,
                             g->text, g->ntext, g->ruby, g->artifact, g->ruby_first, g->hscale,
                             g->link};
    return PB_OK;
}

pb_status pb_pageout_put_line(pb_page *p, const pb_para *para, size_t li, double x, double y)
{
    const pb_cline *ln = &para->lines[li];
    size_t g0 = p->n;
    pb_status st;
    for (size_t k = ln->g0; k < ln->g1; k++)
        if ((st = put(p, &para->g[k], x, y)) != PB_OK)
            return st;
    if (p->n_lines == p->cap_lines) {
        size_t cap = p->cap_lines ? p->cap_lines * 2 : 64;
        pb_pline *v = realloc(p->lines, cap * sizeof *v);
        if (!v) {
            return pb_diag_oom("making pages");
        }
        p->lines = v;
        p->cap_lines = cap;
    }
    p->lines[p->n_lines++] = (pb_pline){g0,       p->n,      (float)x,     (float)y,
                                        (float)ln->width, (float)ln->ratio, para->block};
    return PB_OK;
}

/* Mark the glyphs put on p since g0 as artifacts of a kind (PB_ARTIFACT_*). */
static void mark_artifacts(pb_page *p, size_t g0, uint8_t kind)
{
    for (size_t k = g0; k < p->n; k++)
        p->g[k].artifact = kind;
}

pb_status pb_pageout_add_issue(pb_pages *o, pb_issue_kind kind, int line, double value)
{
    if (o->n_issues == o->cap_issues) {
        size_t cap = o->cap_issues ? o->cap_issues * 2 : 8;
        pb_issue *v = realloc(o->issues, cap * sizeof *v);
        if (!v)
            return pb_diag_oom("making pages");
        o->issues = v;
        o->cap_issues = cap;
    }
    o->issues[o->n_issues++] = (pb_issue){kind, line, o->n ? o->n - 1 : 0, value};
    return PB_OK;
}

/* A line is overfull when its glyphs reach past the measure by more than TeX's \hfuzz (0.1 pt,
 * The TeXbook ch. 12): less is rounding. */
#define OVERFULL_FUZZ 0.1

/* A line the editor should hear about: overfull (value: pt past the measure) in any block,
 * looser than LOOSE_RATIO in a justified body paragraph. */
static pb_status note_issue(pb_pageout *o, const pb_para *para, size_t li)
{
    const pb_block *blk = para->block;
    const pb_cline *l = &para->lines[li];
    if (!blk)
        return PB_OK;
    if (l->excess > OVERFULL_FUZZ)
        return pb_pageout_add_issue(o->out, PB_ISSUE_OVERFULL, blk->line, l->excess);
    int justified = (blk->kind == PB_BLOCK_PARA || blk->kind == PB_BLOCK_INTRO) &&
                    o->lay->align == PB_ALIGN_JUSTIFY;
    if (justified && !l->last && l->ratio > LOOSE_RATIO)
        return pb_pageout_add_issue(o->out, PB_ISSUE_LOOSE, blk->line, l->ratio);
    return PB_OK;
}

pb_status pb_pageout_mark(pb_pageout *o, const pb_block *zh, double y)
{
    pb_pages *out = o->out;
    const pb_block *en = zh + 1 < o->doc->blocks + o->doc->n_blocks && zh[1].pair == zh->pair
                             ? zh + 1
                             : NULL;
    if (out->n_marks == out->cap_marks) {
        size_t cap = out->cap_marks ? out->cap_marks * 2 : 8;
        pb_mark *v = realloc(out->marks, cap * sizeof *v);
        if (!v) {
            return pb_diag_oom("making pages");
        }
        out->marks = v;
        out->cap_marks = cap;
    }
    size_t sep = sizeof MARK_SEP / sizeof MARK_SEP[0];
    size_t len = zh->len + (en ? sep + en->len : 0);
    uint32_t *t = malloc((len ? len : 1) * sizeof *t);
    if (!t) {
        return pb_diag_oom("making pages");
    }
    memcpy(t, zh->text, zh->len * sizeof *t);
    if (en) {
        memcpy(t + zh->len, MARK_SEP, sizeof MARK_SEP);
        memcpy(t + zh->len + sep, en->text, en->len * sizeof *t);
    }
    for (size_t i = 0; i < len; i++)
        if (t[i] == PB_LINE_BREAK)
            t[i] = ' '; /* a bookmark is one line */
    out->marks[out->n_marks++] = (pb_mark){t, len, out->n ? out->n - 1 : 0, y,
                                           zh->kind == PB_BLOCK_HEADING ? zh->level : 0};
    return PB_OK;
}

static pb_status pool_add(pb_pages *o, uint32_t *t)
{
    if (o->n_pool == o->cap_pool) {
        size_t cap = o->cap_pool ? o->cap_pool * 2 : 16;
        uint32_t **v = realloc(o->pool, cap * sizeof *v);
        if (!v) {
            free(t);
            return pb_diag_oom("making pages");
        }
        o->pool = v;
        o->cap_pool = cap;
    }
    o->pool[o->n_pool++] = t;
    return PB_OK;
}

/* Compose a one-line text (folio, running head) owned by the pages' pool. */
static pb_status compose_line(pb_pageout *o, const uint32_t *text, size_t len, pb_lang lang,
                              int bold, double size, pb_line_align align, double measure,
                              pb_para *para)
{
    uint32_t *t = malloc((len ? len : 1) * sizeof *t);
    uint32_t *cols = malloc((len ? len : 1) * sizeof *cols);
    if (!t || !cols) {
        free(t);
        free(cols);
        return pb_diag_oom("making pages");
    }
    for (size_t i = 0; i < len; i++) {
        t[i] = text[i] == PB_LINE_BREAK ? ' ' : text[i]; /* a head or folio is one line */
        cols[i] = (uint32_t)i + 1;
    }
    pb_status st = pool_add(o->out, t);
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
    st = pb_compose_block(o->comp, &blk, o->doc->file, &sty, measure, para);
    para->block = NULL; /* blk was a stand-in: the line is not the document's text */
    free(cols);
    return st;
}

static pb_status add_folios(pb_pageout *o)
{
    const pb_layout *l = o->lay;
    /* a leaflet stands alone: its foot may tell its place in the series instead ("2 / 5") */
    int series = l->series && l->product == PB_PRODUCT_LEAFLET && o->series > 0 &&
                 o->doc && o->doc->n_sections > 0;
    if (!l->folio && !series)
        return PB_OK;
    for (size_t i = 0; i < o->out->n; i++) {
        pb_page *p = &o->out->pages[i];
        if (!p->folio)
            continue;
        char num[32];
        int n = series ? snprintf(num, sizeof num, "%d / %d", o->series, o->doc->n_sections)
                       : snprintf(num, sizeof num, "%d", p->folio);
        uint32_t digits[32];
        for (int k = 0; k < n; k++)
            digits[k] = (unsigned char)num[k];
        pb_para para;
        pb_status st = compose_line(o, digits, (size_t)n, PB_LANG_EN, 0, l->folio_size * o->scale,
                                    PB_ALIGN_CENTER, pb_layout_measure(l), &para);
        if (st != PB_OK)
            return st;
        double y = l->margin_bottom - l->folio_offset;
        size_t g0 = p->n;
        for (size_t li = 0; li < para.n_lines && st == PB_OK; li++)
            st = pb_pageout_put_line(p, &para, li, left_of(l, i), y);
        mark_artifacts(p, g0, PB_ARTIFACT_PAGINATION);
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

static pb_status head_try(pb_pageout *o, const pb_block *zh, size_t zl, const pb_block *en, size_t el,
                          int ellipsis, double size, head_text_t *h)
{
    memset(h, 0, sizeof *h);
    pb_status st = PB_OK;
    if (zh && zl)
        st = compose_line(o, zh->text, zl, PB_LANG_ZH, 0, size, PB_ALIGN_START,
                          UNBOUNDED_MEASURE, &h->zh);
    if (st == PB_OK && en && el) {
        u32buf s = {0};
        int ok = 1;
        if (zh && zl)
            ok &= u32_put(&s, HEAD_SEP, sizeof HEAD_SEP / sizeof HEAD_SEP[0]);
        ok &= u32_put(&s, en->text, el);
        if (ellipsis)
            ok &= u32_put(&s, ELLIPSIS, 1);
        st = ok ? compose_line(o, s.t, s.n, PB_LANG_EN, 0, size, PB_ALIGN_START,
                               UNBOUNDED_MEASURE, &h->en)
                : pb_diag_oom("making pages");
        free(s.t);
    }
    h->en_x = h->zh.n_lines ? h->zh.lines[0].width : 0;
    h->width = h->en_x + (h->en.n_lines ? h->en.lines[0].width : 0);
    h->set = 1;
    return st;
}

/* The running head for a pair, shortened until it fits the measure: the Chinese to its first
 * clause; the English to its phrase, else to whole words and an ellipsis. */
static pb_status head_text(pb_pageout *o, const pb_block *zh, const pb_block *en, double size,
                           head_text_t *h)
{
    double limit = pb_layout_measure(o->lay) + EPS;
    size_t zl = zh ? zh->len : 0, el = en ? en->len : 0;
    pb_status st = head_try(o, zh, zl, en, el, 0, size, h);
    if (st != PB_OK || h->width <= limit)
        return st;
    if (zh && zh_clause(zh) < zl) {
        head_free(h);
        zl = zh_clause(zh);
        if ((st = head_try(o, zh, zl, en, el, 0, size, h)) != PB_OK || h->width <= limit)
            return st;
    }
    if (en && en_phrase(en)) {
        head_free(h);
        if ((st = head_try(o, zh, zl, en, en_phrase(en), 0, size, h)) != PB_OK ||
            h->width <= limit)
            return st;
    }
    /* whole English words and an ellipsis: the longest prefix that fits, by bisection over
     * the word ends (a long title costs log2(words) compositions, not one per word) */
    if (en && el > 0) {
        size_t *ends = malloc((el + 1) * sizeof *ends);
        if (!ends)
            return pb_diag_oom("making pages");
        size_t n = 0;
        for (size_t k = 1; k < el; k++)
            if (en->text[k] == ' ' && en->text[k - 1] != ' ')
                ends[n++] = k;
        size_t lo = 0, hi = n; /* ends[lo - 1] fits (lo = 0: nothing), ends[hi] does not */
        while (lo < hi && st == PB_OK) {
            size_t mid = (lo + hi + 1) / 2;
            head_free(h);
            st = head_try(o, zh, zl, en, ends[mid - 1], 1, size, h);
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
        st = head_try(o, zh, zl, en, cut, cut > 0, size, h);
    }
    return st;
}

static pb_status add_running_heads(pb_pageout *o, const pb_doc *doc)
{
    const pb_layout *l = o->lay;
    if (!l->header)
        return PB_OK;
    const pb_block *title_zh = NULL, *title_en = NULL;
    for (size_t i = 0; i < doc->n_blocks && doc->blocks[i].kind == PB_BLOCK_TITLE; i++)
        *(doc->blocks[i].lang == PB_LANG_ZH ? &title_zh : &title_en) = &doc->blocks[i];
    /* each head is set once (the title; each section) and reused on every page showing it */
    size_t n_cache = (size_t)doc->n_sections + 2;
    head_text_t *cache = calloc(n_cache, sizeof *cache);
    if (!cache)
        return pb_diag_oom("making pages");
    pb_status st = PB_OK;
    for (size_t i = 0; i < o->out->n && st == PB_OK; i++) {
        pb_page *p = &o->out->pages[i];
        if (p->cover || !p->folio)
            continue;
        /* no head over the title, nor over a heading that opens the page */
        int opens = 0;
        for (size_t m = 0; m < o->out->n_marks; m++)
            opens |= o->out->marks[m].page == i &&
                     (m == 0 || o->out->marks[m].y >= pb_layout_top(l) - EPS);
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
            if ((st = head_text(o, zh, en, l->header_size * o->scale, h)) != PB_OK)
                break;
        }
        /* the head sits at the outer edge: left on versos, right on rectos */
        double x = left_of(l, i) + (recto ? pb_layout_measure(l) - h->width : 0);
        double y = pb_layout_top(l) + l->header_offset;
        size_t g0 = p->n;
        if (h->zh.n_lines)
            st = pb_pageout_put_line(p, &h->zh, 0, x, y);
        if (st == PB_OK && h->en.n_lines)
            st = pb_pageout_put_line(p, &h->en, 0, x + h->en_x, y);
        mark_artifacts(p, g0, PB_ARTIFACT_PAGINATION);
    }
    for (size_t k = 0; k < n_cache; k++)
        head_free(&cache[k]);
    free(cache);
    return st;
}


/* ---- placing the vertical list ----------------------------------------------------------- */

/* A list item's bullet, hung in its indent on its first baseline (a layout decoration: the
 * item's text is the text). */
static pb_status put_bullet(pb_pageout *o, pb_page *p, const pb_para *item, double size, double x,
                            double y)
{
    pb_para para;
    pb_status st = compose_line(o, BULLET, 1, item->block ? item->block->lang : PB_LANG_EN, 0,
                                size, PB_ALIGN_START, UNBOUNDED_MEASURE, &para);
    if (st != PB_OK)
        return st;
    size_t g0 = p->n;
    for (size_t li = 0; li < para.n_lines && st == PB_OK; li++)
        st = pb_pageout_put_line(p, &para, li, x, y);
    mark_artifacts(p, g0, PB_ARTIFACT_LAYOUT);
    pb_compose_free_para(&para);
    return st;
}

/* One line of a box on page p at its baseline, with its bullet and what the editor hears. */
static pb_status place_line(pb_pageout *o, pb_page *p, const pb_vline *vl, double left, double base)
{
    pb_status st = pb_pageout_put_line(p, vl->para, vl->line, left + vl->x, base);
    if (st == PB_OK)
        st = note_issue(o, vl->para, vl->line);
    if (st == PB_OK && vl->hang > 0) {
        const pb_pglyph *g0 = vl->para->n ? &vl->para->g[0] : NULL;
        st = put_bullet(o, p, vl->para, g0 ? g0->size : o->lay->text_size * o->scale,
                        left + vl->x - vl->hang, base);
    }
    return st;
}

/* The column-col lines of the row boxes [j0, j1) of l (their baselines in base[j]). */
static pb_status place_column(pb_pageout *o, pb_page *p, const pb_vlist *l, const double *base,
                              size_t j0, size_t j1, uint8_t col, double left)
{
    pb_status st = PB_OK;
    for (size_t j = j0; j < j1 && st == PB_OK; j++) {
        const pb_vitem *it = &l->v[j];
        if (it->kind != PB_V_BOX)
            continue;
        for (size_t c = 0; c < it->n_lines && st == PB_OK; c++)
            if (it->line[c].col == col)
                st = place_line(o, p, &it->line[c], left, base[j]);
    }
    return st;
}

pb_status pb_pageout_place(pb_pageout *o, const pb_vlist *l, const size_t *breaks, size_t n_pages,
                           int fill)
{
    const pb_layout *lay = o->lay;
    double room = lay->page_h - lay->margin_top - lay->margin_bottom;
    size_t s = 0;
    double *row_base = malloc((l->n ? l->n : 1) * sizeof *row_base); /* per item: baseline */
    if (!row_base) {
        return pb_diag_oom("making pages");
    }
    pb_status st = PB_OK;
    for (size_t k = 0; k < n_pages && st == PB_OK; k++) {
        size_t end = breaks[k];
        size_t i = pb_pagebreak_page_start(l, s);
        if ((st = pb_pageout_new_page(o, 0)) != PB_OK)
            break;
        size_t page = o->out->n - 1;
        pb_page *p = &o->out->pages[page];
        /* filling the page: the space between blocks grows, each as far as its stretch */
        double ratio = 0;
        if (fill) {
            double h = 0, stretch = 0;
            for (size_t j = i; j < end; j++) {
                const pb_vitem *it = &l->v[j];
                h += it->kind == PB_V_BOX ? it->height + it->depth
                     : it->kind == PB_V_GLUE ? it->height : 0;
                stretch += it->kind == PB_V_GLUE ? it->stretch : 0;
            }
            if (stretch > 0 && room > h)
                ratio = fmin((room - h) / stretch, 1.0);
        }
        double cursor = pb_layout_top(lay), left = left_of(lay, page);
        /* rows of columns: a pair's Chinese lines on this page are drawn first, then its English
         * ones (the order text extraction reads them in) */
        size_t row0 = SIZE_MAX;
        for (size_t j = i; j <= end && st == PB_OK; j++) {
            const pb_vitem *it = j < end ? &l->v[j] : NULL;
            int row = it && it->kind == PB_V_BOX && (it->flags & PB_VF_ROW);
            if (row0 != SIZE_MAX && (!it || (!row && it->kind != PB_V_PENALTY))) {
                st = place_column(o, p, l, row_base, row0, j, 1, left);
                row0 = SIZE_MAX;
            }
            if (!it)
                break;
            if (row && row0 == SIZE_MAX)
                row0 = j;
            if (it->kind == PB_V_GLUE) {
                cursor -= it->height + ratio * it->stretch;
                continue;
            }
            if (it->kind != PB_V_BOX)
                continue;
            if (it->flags & PB_VF_SECTION)
                o->in_force = it->section;
            if ((it->flags & PB_VF_MARK) && it->mark)
                st = pb_pageout_mark(o, it->mark, cursor);
            double base = cursor - it->height;
            row_base[j] = base;
            for (size_t c = 0; c < it->n_lines && st == PB_OK; c++)
                if (!row || it->line[c].col == 0) /* a row's English line comes after */
                    st = place_line(o, p, &it->line[c], left, base);
            cursor = base - it->depth;
        }
        p->section = o->in_force;
        s = end + 1;
    }
    free(row_base);
    return st;
}

static void number_pages(pb_pageout *o)
{
    int folio = 0;
    for (size_t i = 0; i < o->out->n; i++)
        o->out->pages[i].folio = o->out->pages[i].cover ? 0 : ++folio;
}

pb_status pb_pageout_finish(pb_pageout *o)
{
    if (o->out->n == 0) {
        pb_status st = pb_pageout_new_page(o, 0);
        if (st != PB_OK)
            return st;
    }
    number_pages(o);
    pb_status st = add_running_heads(o, o->doc);
    if (st == PB_OK)
        st = add_folios(o);
    return st;
}
