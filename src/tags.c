/* tags: structure elements from the set lines of a product (ISO 32000-1 §14.7 logical
 * structure, §14.8.4 standard structure types; ISO 14289-1 (PDF/UA-1) §7).
 *
 * Document
 *   H1 (title, each language)              P (the cover's copy of the title)
 *   Sect (preamble)    P ... L (LI (Lbl, LBody)) ...
 *   Sect (a section)   H1 H1 P ... Sect (a subsection) H2 H2 P ...
 * Every block is one element with its /Lang, a pair's Chinese block before its English one (the
 * order the pages set them in, so the parallel product reads a Chinese paragraph, then its
 * English one). Inside a block: Link (with its annotations), Em, Strong, and Ruby (RB: the base,
 * RT: the annotation drawn as outlines, its text as ActualText). */
#include "tags.h"
#include "util.h"

#define TAGS_FIRST 16 /* entries each table has room for before it grows */

#include <stdlib.h>
#include <string.h>

#include "corpus.h"

static const char *const NAMES[PB_TAG_TYPES] = {
    [PB_TAG_DOCUMENT] = "Document", [PB_TAG_SECT] = "Sect",   [PB_TAG_H1] = "H1",
    [PB_TAG_H2] = "H2",             [PB_TAG_P] = "P",         [PB_TAG_L] = "L",
    [PB_TAG_LI] = "LI",             [PB_TAG_LBL] = "Lbl",     [PB_TAG_LBODY] = "LBody",
    [PB_TAG_LINK] = "Link",         [PB_TAG_EM] = "Em",       [PB_TAG_STRONG] = "Strong",
    [PB_TAG_RUBY] = "Ruby",         [PB_TAG_RB] = "RB",       [PB_TAG_RT] = "RT",
    [PB_TAG_NONSTRUCT] = "NonStruct"};

const char *pb_tags_name(pb_tag_type type) { return type < PB_TAG_TYPES ? NAMES[type] : "Span"; }

/* Em and Strong are PDF 2.0 types (ISO 32000-2 §14.8.4.7.2); PDF 1.7 knows them through the
 * RoleMap as the inline Span (ISO 32000-1 §14.7.3, §14.8.4.4). */
const char *pb_tags_role(pb_tag_type type)
{
    return type == PB_TAG_EM || type == PB_TAG_STRONG ? "Span" : NULL;
}

/* What one block occurrence has open while its lines are tagged. */
typedef struct {
    uint32_t elem;          /* its content element: H1, H2, P or LBody */
    uint32_t lbl;           /* a list item's Lbl, else PB_TAG_NONE */
    const pb_link *link;    /* the open Link's link */
    uint32_t link_e, em_e, strong_e;
    size_t annot;           /* the annotation whose Ruby is open, SIZE_MAX: none */
    uint32_t rb_e;
    size_t cursor;          /* the next of the block's annotations to look for */
} record;

/* An annotation on the line being tagged: its base in the block's text and its RT. */
typedef struct {
    size_t annot, base;
    uint32_t rt;
} line_ruby;

typedef struct pb_tags_builder {
    pb_tags *t;
    uint32_t *rec_of;       /* (pair, lang, cover) -> record index + 1 (0: none) */
    size_t cap_rec_of;
    record *recs;
    size_t n_recs, cap_recs;
    uint32_t sect1, sect2, pre; /* open Sect of a section, of a subsection, of the preamble */
    int sect1_pair, sect2_pair;
    uint32_t list, list_parent;  /* the open L and the element it is in */
    line_ruby *lr;
    size_t n_lr, cap_lr;
} builder;

/* An element with no kids (PB_TAG_NONE when out of memory), linked to no parent yet. */
static uint32_t alloc_elem(pb_tags *t, pb_tag_type type, uint32_t parent, int lang)
{
    if (pb_util_grow(&t->elems, &t->cap_elems, t->n_elems + 1, sizeof *t->elems, TAGS_FIRST))
        return PB_TAG_NONE;
    uint32_t e = (uint32_t)t->n_elems++;
    t->elems[e] = (pb_tag_elem){.alt = NULL,          .alt_len = 0,           .parent = parent,
                                .kid0 = PB_TAG_NONE,  .kid1 = PB_TAG_NONE,    .page = PB_TAG_NONE,
                                .n_kids = 0,          .more = PB_TAG_NONE,    .type = (uint8_t)type,
                                .lang = (int8_t)lang};
    return e;
}

static int push_kid(pb_tags *t, uint32_t e, uint8_t kind, uint32_t page, uint32_t id);

/* Append a kid to element e, or to the NonStruct it goes on in once full (PB_TAG_MAX_KIDS).
 * Returns the element that holds the kid, PB_TAG_NONE when out of memory. */
static uint32_t add_kid(pb_tags *t, uint32_t e, uint8_t kind, uint32_t page, uint32_t id)
{
    while (t->elems[e].more != PB_TAG_NONE)
        e = t->elems[e].more;
    if (t->elems[e].n_kids == PB_TAG_MAX_KIDS - 1) {
        uint32_t more = alloc_elem(t, PB_TAG_NONSTRUCT, e, -1);
        if (more == PB_TAG_NONE || !push_kid(t, e, PB_TAG_KID_ELEM, 0, more))
            return PB_TAG_NONE;
        t->elems[e].more = more;
        e = more;
    }
    return push_kid(t, e, kind, page, id) ? e : PB_TAG_NONE;
}

static int push_kid(pb_tags *t, uint32_t e, uint8_t kind, uint32_t page, uint32_t id)
{
    if (pb_util_grow(&t->kids, &t->cap_kids, t->n_kids + 1, sizeof *t->kids, TAGS_FIRST))
        return 0;
    uint32_t k = (uint32_t)t->n_kids++;
    t->kids[k] = (pb_tag_kid){kind, page, id, PB_TAG_NONE};
    pb_tag_elem *el = &t->elems[e];
    if (el->kid1 == PB_TAG_NONE)
        el->kid0 = k;
    else
        t->kids[el->kid1].next = k;
    el->kid1 = k;
    el->n_kids++;
    if (kind == PB_TAG_KID_MC && el->page == PB_TAG_NONE)
        el->page = page;
    return 1;
}

/* A new element, the last kid of parent (PB_TAG_NONE: the root); PB_TAG_NONE when out of
 * memory. */
static uint32_t new_elem(pb_tags *t, pb_tag_type type, uint32_t parent, int lang)
{
    uint32_t e = alloc_elem(t, type, parent, lang);
    if (e == PB_TAG_NONE)
        return PB_TAG_NONE;
    if (parent != PB_TAG_NONE) {
        uint32_t holder = add_kid(t, parent, PB_TAG_KID_ELEM, 0, e);
        if (holder == PB_TAG_NONE)
            return PB_TAG_NONE;
        t->elems[e].parent = holder;
    }
    return e;
}

/* The container a block of the body goes in, its sections opened as its headings come. */
static uint32_t container(builder *b, const pb_block *blk)
{
    pb_tags *t = b->t;
    if (blk->kind == PB_BLOCK_TITLE)
        return 0;
    if (blk->kind == PB_BLOCK_HEADING && blk->level != 2) {
        if (blk->pair != b->sect1_pair || b->sect1 == PB_TAG_NONE) {
            b->sect1 = new_elem(t, PB_TAG_SECT, 0, -1);
            b->sect1_pair = blk->pair;
            b->sect2 = PB_TAG_NONE;
            b->sect2_pair = -1;
        }
        return b->sect1;
    }
    if (blk->kind == PB_BLOCK_HEADING) {
        if (blk->pair != b->sect2_pair || b->sect2 == PB_TAG_NONE) {
            b->sect2 = new_elem(t, PB_TAG_SECT, b->sect1 != PB_TAG_NONE ? b->sect1 : 0, -1);
            b->sect2_pair = blk->pair;
        }
        return b->sect2;
    }
    if (b->sect2 != PB_TAG_NONE)
        return b->sect2;
    if (b->sect1 != PB_TAG_NONE)
        return b->sect1;
    if (b->pre == PB_TAG_NONE)
        b->pre = new_elem(t, PB_TAG_SECT, 0, -1);
    return b->pre;
}

/* The record of a block's occurrence (the cover's copy of the title is one of its own), made
 * with its elements the first time the block is met. NULL when out of memory. */
static record *record_of(builder *b, const pb_block *blk, int cover)
{
    size_t key = ((size_t)(blk->pair < 0 ? 0 : blk->pair) * 2 + (blk->lang == PB_LANG_EN)) * 2 +
                 (cover != 0);
    if (key >= b->cap_rec_of) {
        size_t old = b->cap_rec_of;
        if (pb_util_grow(&b->rec_of, &b->cap_rec_of, key + 1, sizeof *b->rec_of, TAGS_FIRST))
            return NULL;
        memset(b->rec_of + old, 0, (b->cap_rec_of - old) * sizeof *b->rec_of);
    }
    if (b->rec_of[key])
        return &b->recs[b->rec_of[key] - 1];
    if (pb_util_grow(&b->recs, &b->cap_recs, b->n_recs + 1, sizeof *b->recs, TAGS_FIRST))
        return NULL;
    pb_tags *t = b->t;
    record *r = &b->recs[b->n_recs];
    *r = (record){PB_TAG_NONE, PB_TAG_NONE, NULL, PB_TAG_NONE, PB_TAG_NONE, PB_TAG_NONE,
                  SIZE_MAX,     PB_TAG_NONE, 0};
    int lang = (int)blk->lang;
    if (cover) { /* a display of the title, not the heading the bookmarks lead to */
        r->elem = new_elem(t, PB_TAG_P, 0, lang);
    } else {
        uint32_t parent = container(b, blk);
        if (parent == PB_TAG_NONE)
            return NULL;
        int heading = blk->kind == PB_BLOCK_TITLE || blk->kind == PB_BLOCK_HEADING;
        if (!heading && (blk->flags & PB_BLOCK_LIST)) {
            if (b->list == PB_TAG_NONE || b->list_parent != parent) {
                b->list = new_elem(t, PB_TAG_L, parent, -1);
                b->list_parent = parent;
            }
            uint32_t li = new_elem(t, PB_TAG_LI, b->list, lang);
            if (li == PB_TAG_NONE)
                return NULL;
            r->lbl = new_elem(t, PB_TAG_LBL, li, -1);
            r->elem = new_elem(t, PB_TAG_LBODY, li, -1);
        } else {
            b->list = PB_TAG_NONE;
            pb_tag_type type = !heading                             ? PB_TAG_P
                               : blk->kind == PB_BLOCK_HEADING && blk->level == 2 ? PB_TAG_H2
                                                                                 : PB_TAG_H1;
            r->elem = new_elem(t, type, parent, lang);
        }
    }
    if (r->elem == PB_TAG_NONE)
        return NULL;
    b->rec_of[key] = (uint32_t)++b->n_recs;
    return r;
}

/* The element glyph text index i of blk is drawn in, the inline elements opened or closed as
 * the text's link, emphasis and ruby change. PB_TAG_NONE when out of memory. */
static uint32_t leaf_for(builder *b, record *r, const pb_block *blk, const pb_link *link,
                         size_t i)
{
    pb_tags *t = b->t;
    uint8_t m = blk->marks && i < blk->len ? blk->marks[i] : 0;
    int em = (m & PB_MARK_EMPH) != 0, strong = (m & PB_MARK_STRONG) != 0;
    size_t annot = SIZE_MAX;
    for (size_t k = 0; k < b->n_lr; k++)
        if (b->lr[k].base == i)
            annot = k;
    int reopen = 0;
    if (link != r->link) {
        r->link = link;
        r->link_e = link ? new_elem(t, PB_TAG_LINK, r->elem, -1) : PB_TAG_NONE;
        if (link && r->link_e == PB_TAG_NONE)
            return PB_TAG_NONE;
        reopen = 1;
    }
    uint32_t in = r->link_e != PB_TAG_NONE ? r->link_e : r->elem;
    if (reopen || em != (r->em_e != PB_TAG_NONE)) {
        r->em_e = em ? new_elem(t, PB_TAG_EM, in, -1) : PB_TAG_NONE;
        if (em && r->em_e == PB_TAG_NONE)
            return PB_TAG_NONE;
        reopen = 1;
    }
    if (r->em_e != PB_TAG_NONE)
        in = r->em_e;
    if (reopen || strong != (r->strong_e != PB_TAG_NONE)) {
        r->strong_e = strong ? new_elem(t, PB_TAG_STRONG, in, -1) : PB_TAG_NONE;
        if (strong && r->strong_e == PB_TAG_NONE)
            return PB_TAG_NONE;
        reopen = 1;
    }
    if (r->strong_e != PB_TAG_NONE)
        in = r->strong_e;
    size_t a = annot == SIZE_MAX ? SIZE_MAX : b->lr[annot].annot;
    if (reopen || a != r->annot) {
        r->annot = a;
        r->rb_e = PB_TAG_NONE;
        if (annot != SIZE_MAX) {
            uint32_t ruby = new_elem(t, PB_TAG_RUBY, in, -1);
            r->rb_e = ruby == PB_TAG_NONE ? PB_TAG_NONE : new_elem(t, PB_TAG_RB, ruby, -1);
            b->lr[annot].rt = r->rb_e == PB_TAG_NONE ? PB_TAG_NONE
                                                     : new_elem(t, PB_TAG_RT, ruby, -1);
            if (b->lr[annot].rt == PB_TAG_NONE)
                return PB_TAG_NONE;
            t->elems[b->lr[annot].rt].alt = blk->annots[a].text;
            t->elems[b->lr[annot].rt].alt_len = blk->annots[a].len;
        }
    }
    return r->rb_e != PB_TAG_NONE ? r->rb_e : in;
}

/* Which of blk's annotations the ruby glyph g draws (its text is the annotation's), searched
 * from the record's cursor: annotations come in text order. SIZE_MAX: none. */
static size_t annot_of(record *r, const pb_block *blk, const pb_gpos *g)
{
    for (size_t pass = 0; pass < 2; pass++)
        for (size_t a = pass ? 0 : r->cursor; a < (pass ? r->cursor : blk->n_annots); a++)
            if (g->text >= blk->annots[a].text &&
                g->text < blk->annots[a].text + blk->annots[a].len) {
                r->cursor = a + 1;
                return a;
            }
    return SIZE_MAX;
}

typedef struct {
    uint32_t owner, mcid;   /* the open text sequence of the page */
} mc_state;

static pb_status new_mc(pb_tags *t, size_t p, uint32_t owner, uint32_t *mcid)
{
    pb_tag_page *tp = &t->pages[p];
    size_t n = tp->n_mcid; /* owner has room for 16, then doubles when full */
    if (n == 0 || (n >= 16 && (n & (n - 1)) == 0)) {
        uint32_t *v = realloc(tp->owner, (n ? n * 2 : 16) * sizeof *v);
        if (!v)
            return PB_ESYSTEM;
        tp->owner = v;
    }
    *mcid = tp->n_mcid++;
    tp->owner[*mcid] = add_kid(t, owner, PB_TAG_KID_MC, (uint32_t)p, *mcid);
    return tp->owner[*mcid] != PB_TAG_NONE ? PB_OK : PB_ESYSTEM;
}

static pb_status tag_line(builder *b, size_t p, const pb_page *pg, const pb_pline *ln,
                          mc_state *mc)
{
    pb_tags *t = b->t;
    uint32_t *mcid = t->pages[p].mcid;
    const pb_block *blk = ln->block;
    record *r = record_of(b, blk, pg->cover);
    if (!r)
        return PB_ESYSTEM;
    if (ln->label) { /* a bullet: the item's Lbl, drawn as an outline, its text ActualText */
        for (size_t i = ln->g0; i < ln->g1; i++) {
            const pb_gpos *g = &pg->g[i];
            if (g->ntext == 0 && i > ln->g0) {
                mcid[i] = mcid[i - 1];
                continue;
            }
            if (r->lbl == PB_TAG_NONE || new_mc(t, p, r->lbl, &mcid[i]) != PB_OK)
                return r->lbl == PB_TAG_NONE ? PB_OK : PB_ESYSTEM;
            t->elems[r->lbl].alt = g->text;
            t->elems[r->lbl].alt_len = g->ntext;
        }
        return PB_OK;
    }
    /* the annotations whose ruby this line draws, by base */
    b->n_lr = 0;
    for (size_t i = ln->g0; i < ln->g1; i++) {
        const pb_gpos *g = &pg->g[i];
        if (!g->ruby || !g->ruby_first)
            continue;
        size_t a = annot_of(r, blk, g);
        if (a == SIZE_MAX)
            continue;
        if (pb_util_grow(&b->lr, &b->cap_lr, b->n_lr + 1, sizeof *b->lr, TAGS_FIRST))
            return PB_ESYSTEM;
        b->lr[b->n_lr++] = (line_ruby){a, blk->annots[a].base, PB_TAG_NONE};
    }
    const pb_link *link = NULL;
    size_t at = 0;
    for (size_t i = ln->g0; i < ln->g1; i++) {
        const pb_gpos *g = &pg->g[i];
        if (g->ruby || g->artifact)
            continue; /* ruby below; emphasis dots are artifacts */
        if (g->ntext == 0 && mc->owner != PB_TAG_NONE) {
            mcid[i] = mc->mcid; /* continues its cluster */
            continue;
        }
        if (g->text && g->text >= blk->text && g->text < blk->text + blk->len) {
            at = (size_t)(g->text - blk->text);
            link = g->link;
        } /* else a hyphen the breaker added: as the text before it */
        uint32_t leaf = leaf_for(b, r, blk, link, at);
        if (leaf == PB_TAG_NONE)
            return PB_ESYSTEM;
        if (leaf != mc->owner) {
            mc->owner = leaf;
            if (new_mc(t, p, leaf, &mc->mcid) != PB_OK)
                return PB_ESYSTEM;
        }
        mcid[i] = mc->mcid;
    }
    /* each annotation's ruby glyphs: one sequence in its RT */
    for (size_t i = ln->g0; i < ln->g1; i++) {
        const pb_gpos *g = &pg->g[i];
        if (!g->ruby)
            continue;
        if (!g->ruby_first && i > ln->g0 && pg->g[i - 1].ruby) {
            mcid[i] = mcid[i - 1];
            continue;
        }
        uint32_t rt = PB_TAG_NONE;
        for (size_t k = 0; k < b->n_lr && rt == PB_TAG_NONE; k++)
            if (g->text >= blk->annots[b->lr[k].annot].text &&
                g->text < blk->annots[b->lr[k].annot].text + blk->annots[b->lr[k].annot].len)
                rt = b->lr[k].rt;
        if (rt == PB_TAG_NONE) { /* its base is not on the line: a Ruby of its own */
            uint32_t ruby = new_elem(t, PB_TAG_RUBY, r->elem, -1);
            rt = ruby == PB_TAG_NONE || new_elem(t, PB_TAG_RB, ruby, -1) == PB_TAG_NONE
                     ? PB_TAG_NONE
                     : new_elem(t, PB_TAG_RT, ruby, -1);
            if (rt == PB_TAG_NONE)
                return PB_ESYSTEM;
            t->elems[rt].alt = g->text;
            t->elems[rt].alt_len = g->ntext;
        }
        if (new_mc(t, p, rt, &mcid[i]) != PB_OK)
            return PB_ESYSTEM;
    }
    return PB_OK;
}

pb_status pb_tags_begin(size_t n_pages, pb_tags *out)
{
    memset(out, 0, sizeof *out);
    builder *b = calloc(1, sizeof *b);
    out->pages = calloc(n_pages ? n_pages : 1, sizeof *out->pages);
    out->b = b;
    if (!b || !out->pages || new_elem(out, PB_TAG_DOCUMENT, PB_TAG_NONE, -1) != 0) {
        pb_tags_free(out);
        return PB_ESYSTEM;
    }
    out->n_pages = n_pages;
    b->t = out;
    b->sect1 = b->sect2 = b->pre = b->list = b->list_parent = PB_TAG_NONE;
    b->sect1_pair = b->sect2_pair = -1;
    return PB_OK;
}

pb_status pb_tags_page(pb_tags *t, size_t p, const pb_page *pg)
{
    builder *b = t->b;
    if (!b || p >= t->n_pages)
        return PB_ESYSTEM;
    uint32_t *mcid = malloc((pg->n ? pg->n : 1) * sizeof *mcid);
    if (!mcid)
        return PB_ESYSTEM;
    t->pages[p].mcid = mcid;
    for (size_t i = 0; i < pg->n; i++)
        mcid[i] = PB_TAG_NONE;
    mc_state mc = {PB_TAG_NONE, 0};
    for (size_t l = 0; l < pg->n_lines; l++)
        if (pg->lines[l].block && tag_line(b, p, pg, &pg->lines[l], &mc) != PB_OK)
            return PB_ESYSTEM;
    return PB_OK;
}

void pb_tags_page_done(pb_tags *t, size_t p)
{
    if (p < t->n_pages) {
        pb_tag_page *tp = &t->pages[p];
        free(tp->mcid);
        tp->mcid = NULL;
        uint32_t *fit = tp->n_mcid ? realloc(tp->owner, tp->n_mcid * sizeof *fit) : NULL;
        if (fit) /* what the ParentTree needs, without the room to grow */
            tp->owner = fit;
    }
}

static void builder_free(pb_tags *t)
{
    builder *b = t->b;
    if (b) {
        free(b->rec_of);
        free(b->recs);
        free(b->lr);
        free(b);
    }
    t->b = NULL;
}

void pb_tags_end(pb_tags *t)
{
    builder_free(t);
    /* kept until the file is written: without the room to grow */
    pb_util_trim(&t->elems, &t->cap_elems, t->n_elems, sizeof *t->elems);
    pb_util_trim(&t->kids, &t->cap_kids, t->n_kids, sizeof *t->kids);
}

pb_status pb_tags_build(const pb_pages *pages, pb_tags *out)
{
    pb_status st = pb_tags_begin(pages->n, out);
    for (size_t p = 0; p < pages->n && st == PB_OK; p++)
        st = pb_tags_page(out, p, &pages->pages[p]);
    pb_tags_end(out);
    if (st != PB_OK)
        pb_tags_free(out);
    return st;
}

pb_status pb_tags_add_annot(pb_tags *t, size_t page, size_t g, uint32_t *key, uint32_t *elem)
{
    uint32_t m = page < t->n_pages && t->pages[page].mcid ? t->pages[page].mcid[g] : PB_TAG_NONE;
    uint32_t e = m == PB_TAG_NONE ? PB_TAG_NONE : t->pages[page].owner[m];
    while (e != PB_TAG_NONE && t->elems[e].type != PB_TAG_LINK)
        e = t->elems[e].parent;
    if (e == PB_TAG_NONE)
        return PB_ESYSTEM;
    *key = (uint32_t)t->n_pages + t->n_annots;
    if (add_kid(t, e, PB_TAG_KID_ANNOT, (uint32_t)page, *key) == PB_TAG_NONE)
        return PB_ESYSTEM;
    t->n_annots++;
    *elem = e;
    return PB_OK;
}

void pb_tags_free(pb_tags *t)
{
    builder_free(t);
    for (size_t p = 0; t->pages && p < t->n_pages; p++) {
        free(t->pages[p].mcid);
        free(t->pages[p].owner);
    }
    free(t->pages);
    free(t->elems);
    free(t->kids);
    memset(t, 0, sizeof *t);
}
