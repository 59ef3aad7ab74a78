/* pagebuild: block styles from the layout, vertical stacking, page breaks, folios, marks. */
#include "pagebuild.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Noto Serif CJK's ideographic em box: top at 880, bottom at -120 font units of 1000
 * (OS/2 and BASE 'ideo'/'idtp'). A line's em box is centred in its leading. */
#define EMBOX_ASCENT 0.88
/* Lines of the next paragraph a heading keeps with it (DESIGN.md §5). */
#define HEADING_KEEP_LINES 2
/* Separator between the Chinese and the English title of a bookmark. */
static const uint32_t MARK_SEP[] = {' ', '/', ' '};

typedef struct {
    const pb_layout *lay;
    pb_composer *comp;
    pb_fontset *fonts;
    const char *file;
    pb_pages *out;
    double cursor;          /* pt, top of the next line box */
    int page_open;
    int section;
} builder;

static double measure_of(const pb_layout *l) { return l->page_w - l->margin_inner - l->margin_outer; }

/* Recto pages (odd numbers, the first page) bind on the left. */
static double left_of(const pb_layout *l, size_t page_index)
{
    return page_index % 2 == 0 ? l->margin_inner : l->margin_outer;
}

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
    p->folio = (int)o->n;
    p->section = b->section;
    b->cursor = b->lay->page_h - b->lay->margin_top;
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
                             g->text, g->ntext};
    return PB_OK;
}

static double room(const builder *b) { return b->cursor - b->lay->margin_bottom; }

/* Place line li of para at the cursor, opening a page when it does not fit. */
static pb_status place_line(builder *b, const pb_para *para, size_t li, double size,
                            double leading)
{
    pb_status st;
    if (!b->page_open || room(b) < leading - 1e-6)
        if ((st = new_page(b)) != PB_OK)
            return st;
    pb_page *p = &b->out->pages[b->out->n - 1];
    double baseline = b->cursor - (leading - size) / 2 - size * EMBOX_ASCENT;
    double x = left_of(b->lay, b->out->n - 1);
    const pb_cline *ln = &para->lines[li];
    size_t g0 = p->n;
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
    p->lines[p->n_lines++] =
        (pb_pline){g0, p->n, (float)x, (float)baseline, (float)ln->width, (float)ln->ratio};
    b->cursor -= leading;
    return PB_OK;
}

static void style_of(const pb_layout *l, const pb_block *blk, pb_style *st, double *leading)
{
    memset(st, 0, sizeof *st);
    switch (blk->kind) {
    case PB_BLOCK_TITLE:
        st->bold = 1;
        st->size = l->title_size;
        st->align = PB_ALIGN_CENTER;
        *leading = l->title_leading;
        break;
    case PB_BLOCK_HEADING:
        st->bold = 1;
        st->size = l->heading_size;
        st->align = PB_ALIGN_START;
        *leading = l->heading_leading;
        break;
    default:
        st->size = l->text_size;
        st->indent = l->indent;
        st->align = l->align == PB_ALIGN_LEFT ? PB_ALIGN_START : PB_ALIGN_JUSTIFIED;
        *leading = l->leading;
        break;
    }
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
    o->marks[o->n_marks++] = (pb_mark){t, len, o->n ? o->n - 1 : 0, b->cursor};
    return PB_OK;
}

static pb_status compose(builder *b, const pb_block *blk, pb_para *para, double *size,
                         double *leading)
{
    pb_style st;
    style_of(b->lay, blk, &st, leading);
    *size = st.size;
    return pb_compose_block(b->comp, blk, b->file, &st, measure_of(b->lay), para);
}

/* Space before a block, dropped at the top of a page. */
static void space(builder *b, double s)
{
    if (b->page_open && b->cursor < b->lay->page_h - b->lay->margin_top - 1e-6)
        b->cursor -= s;
}

static pb_status pool_text(pb_pages *o, const char *ascii, uint32_t **out, size_t *len)
{
    if (o->n_pool == o->cap_pool) {
        size_t cap = o->cap_pool ? o->cap_pool * 2 : 16;
        uint32_t **v = realloc(o->pool, cap * sizeof *v);
        if (!v)
            return PB_ESYSTEM;
        o->pool = v;
        o->cap_pool = cap;
    }
    size_t n = strlen(ascii);
    uint32_t *t = malloc((n ? n : 1) * sizeof *t);
    if (!t)
        return PB_ESYSTEM;
    for (size_t i = 0; i < n; i++)
        t[i] = (unsigned char)ascii[i];
    o->pool[o->n_pool++] = t;
    *out = t;
    *len = n;
    return PB_OK;
}

static pb_status add_folios(builder *b)
{
    const pb_layout *l = b->lay;
    if (!l->folio)
        return PB_OK;
    uint32_t cols[16];
    for (size_t i = 0; i < 16; i++)
        cols[i] = (uint32_t)i + 1;
    for (size_t i = 0; i < b->out->n; i++) {
        pb_page *p = &b->out->pages[i];
        if (!p->folio)
            continue;
        char num[16];
        snprintf(num, sizeof num, "%d", p->folio);
        pb_block blk = {0};
        blk.kind = PB_BLOCK_PARA;
        blk.lang = PB_LANG_EN;
        blk.col = cols;
        pb_status st = pool_text(b->out, num, &blk.text, &blk.len);
        if (st != PB_OK)
            return st;
        pb_style sty = {0, l->folio_size, 0, PB_ALIGN_CENTER};
        pb_para para;
        if ((st = pb_compose_block(b->comp, &blk, b->file, &sty, measure_of(l), &para)) != PB_OK)
            return st;
        double y = l->margin_bottom - l->folio_offset;
        double x = left_of(l, i);
        for (size_t k = 0; k < para.n && st == PB_OK; k++)
            st = put(p, &para.g[k], x, y);
        pb_compose_free_para(&para);
        if (st != PB_OK)
            return st;
    }
    return PB_OK;
}

pb_status pb_pagebuild_doc(const pb_doc *doc, const pb_layout *lay, pb_fontset *fonts,
                           pb_pages *out)
{
    memset(out, 0, sizeof *out);
    builder b = {lay, NULL, fonts, doc->file, out, 0, 0, 0};
    pb_status st = pb_compose_new(fonts, lay, &b.comp);
    if (st != PB_OK)
        return st;
    if ((st = new_page(&b)) != PB_OK)
        goto done;
    for (size_t i = 0; i < doc->n_blocks && st == PB_OK; i++) {
        const pb_block *blk = &doc->blocks[i];
        const pb_block *partner = i + 1 < doc->n_blocks && doc->blocks[i + 1].pair == blk->pair
                                      ? &doc->blocks[i + 1]
                                      : NULL;
        pb_para para, next = {0};
        double size, leading;
        if ((st = compose(&b, blk, &para, &size, &leading)) != PB_OK)
            break;
        int first_of_pair = i == 0 || doc->blocks[i - 1].pair != blk->pair;
        if (first_of_pair && i > 0)
            space(&b, blk->kind == PB_BLOCK_HEADING ? lay->heading_space_before : lay->pair_space);
        else if (i > 0)
            space(&b, lay->para_space);
        if (blk->kind == PB_BLOCK_HEADING && first_of_pair) {
            /* keep the heading pair with the first lines of what follows */
            double need = para.n_lines * leading;
            if (partner) {
                pb_para tmp;
                double s2, l2;
                if ((st = compose(&b, partner, &tmp, &s2, &l2)) != PB_OK) {
                    pb_compose_free_para(&para);
                    break;
                }
                need += tmp.n_lines * l2 + lay->para_space;
                pb_compose_free_para(&tmp);
            }
            need += lay->heading_space_after + HEADING_KEEP_LINES * lay->leading;
            if (room(&b) < need)
                st = new_page(&b);
            b.section = blk->section;
            if (st == PB_OK && b.out->n)
                b.out->pages[b.out->n - 1].section = blk->section;
        }
        if (st == PB_OK && first_of_pair &&
            (blk->kind == PB_BLOCK_HEADING || blk->kind == PB_BLOCK_TITLE))
            st = add_mark(&b, blk, partner);
        for (size_t li = 0; li < para.n_lines && st == PB_OK; li++)
            st = place_line(&b, &para, li, size, leading);
        pb_compose_free_para(&para);
        (void)next;
        if (st == PB_OK && blk->kind == PB_BLOCK_TITLE && !first_of_pair)
            b.cursor -= lay->title_space_after;
        if (st == PB_OK && blk->kind == PB_BLOCK_HEADING && !first_of_pair)
            b.cursor -= lay->heading_space_after;
    }
    if (st == PB_OK)
        st = add_folios(&b);
done:
    pb_compose_free(b.comp);
    if (st != PB_OK)
        pb_pagebuild_free(out);
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
    memset(o, 0, sizeof *o);
}
