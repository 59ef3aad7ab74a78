/* compose: the paragraph pipeline and glyph placement along each line. */
#include "compose.h"
#include "util.h"

#define GLYPHS_FIRST 256 /* glyphs a paragraph has room for before it grows */

#include "hyphenate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "itemize.h"
#include "linebreak.h"
#include "nodes.h"
#include "ruby.h"
#include "shape.h"
#include "uchar.h"

/* Debian's hyphen-en-us: Liang patterns for US English, read by libhyphen. */
#define HYPH_DICT_EN "/usr/share/hyphen/hyph_en_US.dic"

/* Which glue gives way first when a line is justified (clreq #line_adjustment, 2024-03-21, and JIS
 * X 4051:2004 §6.2 (追込み), §6.3 (追出し)): each level gives all it has before the next gives any.
 * Shrink: the blank parts of full-width marks inside the line (a centred mark's two quarters
 * together, so its ink stays centred), then those of the line's last mark (LEVEL_LINE_END),
 * then Western spaces, then Han-Latin glue, then a Chinese line's Latin letters
 * (allow_condensing). Stretch: Western spaces, then Han-Latin glue, and
 * only then inter-character space (letter-spacing the Han is the last resort). A line with Han
 * that needs more than all of that opens its Western spaces and Han-Latin gaps further, to half
 * an em (their give, nodes.h), before its Han takes the rest (place_line). */
enum { LEVEL_LINE_END = 1 };
static const int STRETCH_LEVEL[PB_GLUE_CLASSES] = {[PB_GLUE_WORD] = 0, [PB_GLUE_HAN_LATIN] = 1,
                                                   [PB_GLUE_CJK] = 2, [PB_GLUE_FILL] = 3,
                                                   [PB_GLUE_BLANK] = 3, [PB_GLUE_PUNCT] = 3};
static const int SHRINK_LEVEL[PB_GLUE_CLASSES] = {[PB_GLUE_PUNCT] = 0, [PB_GLUE_BLANK] = 0,
                                                  [PB_GLUE_WORD] = 2, [PB_GLUE_HAN_LATIN] = 3,
                                                  [PB_GLUE_CJK] = 3, [PB_GLUE_FILL] = 3};
#define N_LEVELS 4

static const uint32_t HYPHEN_TEXT[] = {'-'};
#define CP_SHY 0x00ADu /* SOFT HYPHEN */
#define CP_IDEO_SPACE 0x3000u /* IDEOGRAPHIC SPACE */

struct pb_composer {
    pb_fontset *fonts;
    const pb_layout *layout;
    pb_rubies rubies;       /* the current block's ruby */
    int with_ruby;          /* the current block sets ruby */
    long *ruby_glyph;       /* per ruby: index of its base glyph (-1: none) */
    pb_ruby_slot *ruby_on;  /* the rubies of the line being placed, its bases, their x */
    double *pen;            /* per glyph: pen x on the line that placed it */
    unsigned *pen_line;     /* per glyph: that line's number (0: not placed) */
    unsigned line_no;       /* lines placed in this block */
    size_t ruby_cursor;     /* first ruby not yet placed */
    size_t ruby_cap, pen_cap;
    pb_breaker_kind breaking;
    pb_shaper *shaper;
    pb_breaker *breaker;
    pb_runs runs;
    pb_glyphs glyphs;
    pb_nodes nodes;
    pb_lines lines;
    pb_lines alt;           /* the setting with a line's end avoided (why_spaced) */
};

pb_status pb_compose_new(pb_fontset *fonts, const pb_layout *layout, pb_composer **out)
{
    *out = NULL;
    pb_composer *c = calloc(1, sizeof *c);
    if (!c)
        return pb_diag_oom("starting a composer");
    c->fonts = fonts;
    c->layout = layout;
    c->breaking = layout->breaker;
    pb_status st = pb_shape_new(layout->lang_zh, layout->lang_en, &c->shaper);
    if (st == PB_OK)
        st = pb_nodes_new(HYPH_DICT_EN, &c->breaker);
    if (st != PB_OK) {
        pb_compose_free(c);
        return st;
    }
    *out = c;
    return PB_OK;
}

pb_status pb_compose_preload(const pb_doc *doc)
{
    size_t n = doc->n_blocks;
    const uint32_t **texts = malloc((n ? n : 1) * sizeof *texts);
    size_t *lens = malloc((n ? n : 1) * sizeof *lens);
    if (!texts || !lens) {
        free(texts);
        free(lens);
        return pb_diag_oom("reading the words to hyphenate");
    }
    for (size_t i = 0; i < n; i++) {
        texts[i] = doc->blocks[i].text;
        lens[i] = doc->blocks[i].len;
    }
    pb_hyphenate_preload(HYPH_DICT_EN, texts, lens, n);
    free(texts);
    free(lens);
    return PB_OK;
}

void pb_compose_free(pb_composer *c)
{
    if (!c)
        return;
    pb_shape_free(c->shaper);
    pb_nodes_free(c->breaker);
    pb_itemize_free(&c->runs);
    pb_shape_free_glyphs(&c->glyphs);
    pb_nodes_free_list(&c->nodes);
    pb_linebreak_free(&c->lines);
    pb_linebreak_free(&c->alt);
    pb_ruby_free(&c->rubies);
    free(c->ruby_glyph);
    free(c->ruby_on);
    free(c->pen);
    free(c->pen_line);
    free(c);
}

void pb_compose_free_para(pb_para *p)
{
    free(p->g);
    free(p->lines);
    memset(p, 0, sizeof *p);
}

/* The link of the block that code point i is part of, or NULL (links are in text order). */
static const pb_link *link_at(const pb_block *b, size_t i)
{
    size_t lo = 0, hi = b->n_links;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (b->links[mid].end <= i)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < b->n_links && b->links[lo].start <= i ? &b->links[lo] : NULL;
}

static pb_status put_glyph(pb_para *p, const pb_glyph *g, const pb_block *b, size_t ntext,
                           double size, double x)
{
    if (pb_util_grow(&p->g, &p->cap, p->n + 1, sizeof *p->g, GLYPHS_FIRST))
        return pb_diag_oom("composing a paragraph");
    double scale = size / pb_font_get_upem(g->font);
    p->g[p->n++] = (pb_pglyph){g->font,
                               (float)size,
                               (float)(x + g->x_offset * scale),
                               (float)(g->y_offset * scale),
                               g->gid,
                               b->text + g->cluster,
                               (uint16_t)ntext,
                               0,
                               0,
                               1.0f,
                               PB_ARTIFACT_NONE,
                               link_at(b, g->cluster)};
    return PB_OK;
}

/* Emphasis dots (着重號) under the emphasised ideographs of the line just placed (glyphs from g0
 * on): one dot each, centred under the character below its em box (GB/T 15834-2011 §4.16:
 * under the characters in horizontal text), a layout decoration, not text. */
#define EMPH_DOT 0x30FB       /* KATAKANA MIDDLE DOT: a round dot of about 1/6 em */
#define EMPH_DOT_GAP_EM 0.08  /* between the em box's bottom and the dot's ink */
static pb_status place_emphasis_dots(pb_composer *c, const pb_block *b, const pb_style *st,
                                     pb_para *p, size_t g0)
{
    pb_font *han = pb_fonts_get(c->fonts, PB_ROLE_HAN);
    uint32_t dot = pb_font_get_glyph(han, EMPH_DOT);
    if (!dot)
        return PB_OK;
    double upem = pb_font_get_upem(han), scale = st->size / upem;
    int32_t dx0, dx1, dy0, dy1;
    pb_font_get_ink(han, dot, &dx0, &dx1);
    pb_font_get_ink_y(han, dot, &dy0, &dy1);
    /* the em box's bottom is 1 - PB_EMBOX_ASCENT em under the baseline */
    double dy = -(1.0 - PB_EMBOX_ASCENT) * st->size - EMPH_DOT_GAP_EM * st->size - dy1 * scale;
    size_t end = p->n;
    for (size_t k = g0; k < end; k++) {
        const pb_pglyph *g = &p->g[k];
        if (g->ruby || g->artifact || !g->ntext || !g->text)
            continue;
        size_t at = (size_t)(g->text - b->text);
        if (at >= b->len || !(b->marks[at] & PB_MARK_EMPH) || !pb_uchar_is_han(b->text[at]))
            continue;
        int32_t x0, x1;
        pb_font_get_ink(g->font, g->gid, &x0, &x1);
        double gs = g->size / pb_font_get_upem(g->font);
        double centre = g->x + (x1 > x0 ? (x0 + x1) / 2.0 * gs
                                        : pb_font_get_advance(g->font, g->gid) * gs / 2);
        pb_glyph dg = {han, dot, 0, 0, 0, 0};
        pb_status s = put_glyph(p, &dg, b, 0, st->size, centre - (dx0 + dx1) / 2.0 * scale);
        if (s != PB_OK)
            return s;
        p->g[p->n - 1].dy = (float)dy;
        p->g[p->n - 1].text = NULL;
        p->g[p->n - 1].artifact = PB_ARTIFACT_LAYOUT;
        p->g[p->n - 1].link = NULL;
    }
    return PB_OK;
}

/* Code points glyph i stands for: its cluster up to the next glyph's (0 if it continues one). */
/* A glue that stands for the character cp the text has (its first glyph's cluster). */
static int glue_typed_as(const pb_node *nd, const pb_glyphs *gl, const pb_block *b, uint32_t cp)
{
    return nd->g1 > nd->g0 && nd->g0 < gl->n && gl->g[nd->g0].cluster < b->len &&
           b->text[gl->g[nd->g0].cluster] == cp;
}

/* A glue that is an ideographic space the author typed (U+3000, after a clause number, between
 * a label's fields): an em as typed, stretching as an inter-character gap (nodes.c), neither a
 * Western word space nor a gap between ideographs, so in neither measure of a line. */
static int typed_ideographic_space(const pb_node *nd, const pb_glyphs *gl, const pb_block *b)
{
    return glue_typed_as(nd, gl, b, CP_IDEO_SPACE);
}

/* A field gap (the em space a run of spaces became in a line of fields: normalize.c) */
static int glue_is_field_gap(const pb_node *nd, const pb_glyphs *gl, const pb_block *b)
{
    return glue_typed_as(nd, gl, b, PB_UCHAR_FIELD_GAP);
}

static size_t cluster_len(const pb_glyphs *gl, size_t i, size_t len)
{
    if (i > 0 && gl->g[i - 1].cluster == gl->g[i].cluster)
        return 0;
    size_t j = i + 1;
    while (j < gl->n && gl->g[j].cluster == gl->g[i].cluster)
        j++;
    size_t end = j < gl->n ? gl->g[j].cluster : len;
    return end > gl->g[i].cluster ? end - gl->g[i].cluster : 1;
}

/* The hyphen drawn at a U+00AD SOFT HYPHEN (the last glyph of p, on the line from glyph g0)
 * stands for that soft hyphen, which the cluster before it held (shape.c: an ignorable joins
 * the cluster before it): the text goes to the hyphen, so each code point is drawn once. */
static void soft_hyphen_text(pb_para *p, size_t g0)
{
    pb_pglyph *hy = &p->g[p->n - 1];
    if (p->n - 1 <= g0)
        return; /* nothing before it on the line: cannot happen (a break follows a box) */
    size_t q = p->n - 2; /* the first glyph of the last cluster before the hyphen */
    while (q > g0 && p->g[q].ntext == 0)
        q--;
    pb_pglyph *c = &p->g[q];
    size_t at = c->ntext; /* the last soft hyphen in the cluster's text */
    while (at > 0 && c->text[at - 1] != CP_SHY)
        at--;
    if (at <= 1) { /* none, or the cluster's first code point: the hyphen continues the
                    * cluster, whose text holds the soft hyphen */
        hy->ntext = 0;
        hy->text = c->text;
        return;
    }
    hy->text = c->text + at - 1;
    hy->ntext = (uint16_t)(c->ntext - (at - 1));
    c->ntext = (uint16_t)(at - 1);
}

/* Ruby over the bases of the line just placed (glyphs from g0 on), placed by
 * pb_ruby_place_line within the line [0, line_w] (centred on its base, condensed before it is
 * shifted, flush at a line edge), on one baseline that puts the lowest ruby ink on the top of
 * the em box (set solid). *ruby_h: height needed above it. off: the line's rubies, how many
 * are more than PB_RUBY_OFF_SHOWN off their bases' centres and for which allowed cause. */
static pb_status place_ruby(pb_composer *c, const pb_block *b, const pb_style *st, pb_para *p,
                            size_t g0, double line_w, double *ruby_h, pb_cline *off)
{
    pb_rubies *r = &c->rubies;
    const pb_glyphs *gl = &c->glyphs;
    double raise = PB_EMBOX_ASCENT * st->size - r->ink_bottom;
    (void)g0;
    /* the line's rubies and their bases' em boxes ... */
    size_t n = 0;
    /* rubies come in base order and lines in text order: start where the last line stopped */
    size_t i = c->ruby_cursor;
    while (i < r->n && (c->ruby_glyph[i] < 0 || c->pen_line[c->ruby_glyph[i]] != c->line_no)) {
        if (c->ruby_glyph[i] >= 0 && c->pen_line[c->ruby_glyph[i]] > c->line_no)
            break;
        i++;
    }
    for (; i < r->n; i++) {
        long k = c->ruby_glyph[i];
        if (k < 0)
            continue;
        if (c->pen_line[k] != c->line_no)
            break; /* past this line */
        c->ruby_cursor = i + 1;
        double scale = st->size / pb_font_get_upem(gl->g[k].font);
        double x0 = c->pen[k] + gl->g[k].x_offset * scale;
        double em = pb_font_get_advance(gl->g[k].font, gl->g[k].gid) * scale;
        c->ruby_on[n] = (pb_ruby_slot){.ruby = i,
                                       .base_x0 = x0,
                                       .base_x1 = x0 + em,
                                       .after_base = n > 0 &&
                                                     r->v[c->ruby_on[n - 1].ruby].base + 1 ==
                                                         r->v[i].base};
        n++;
    }
    /* ... placed */
    pb_status ps = pb_ruby_place_line(r, c->ruby_on, n, line_w, st->size);
    if (ps != PB_OK)
        return ps;
    for (size_t q = 0; q < n; q++) {
        const pb_ruby *ru = &r->v[c->ruby_on[q].ruby];
        double rx = c->ruby_on[q].x;
        /* how far its centre stands from its base's: for the report */
        double d = fabs(rx + ru->width / 2 - (c->ruby_on[q].base_x0 + c->ruby_on[q].base_x1) / 2);
        off->n_ruby++;
        if (d > PB_RUBY_OFF_SHOWN) {
            off->n_ruby_off++;
            off->n_ruby_wide += c->ruby_on[q].cause == PB_RUBY_WIDE;
            off->n_ruby_edge += c->ruby_on[q].cause == PB_RUBY_EDGE;
        }
        off->ruby_off = fmaxf(off->ruby_off, (float)d);
        for (size_t g = ru->g0; g < ru->g1; g++) {
            const pb_glyph *gg = &r->glyphs.g[g];
            size_t ntext = g > ru->g0 && r->glyphs.g[g - 1].cluster == gg->cluster ? 0 : 1;
            if (ntext) {
                size_t next = g + 1;
                while (next < ru->g1 && r->glyphs.g[next].cluster == gg->cluster)
                    next++;
                ntext = (next < ru->g1 ? r->glyphs.g[next].cluster : ru->len) - gg->cluster;
            }
            pb_status s = put_glyph(p, gg, b, ntext, r->size, rx);
            if (s != PB_OK)
                return s;
            pb_pglyph *pg = &p->g[p->n - 1];
            pg->text = ru->text + gg->cluster;
            pg->dy += (float)raise;
            pg->ruby = 1;
            pg->link = NULL;
            pg->ruby_first = g == ru->g0;
            pg->hscale = (float)ru->scale;
            rx += gg->x_advance * ru->scale * r->size / pb_font_get_upem(gg->font);
        }
        *ruby_h = r->ink_top - r->ink_bottom;
    }
    return PB_OK;
}

/* Font expansion (pdfTeX's hz, microtype's `expansion`): in justified English the letters of
 * every word may widen or narrow by up to `share` of their width, the same on a whole line, so
 * that its word spaces need vary less. Given to the breaker as the boxes' stretch and shrink. */
static void allow_expansion(pb_nodes *nl, double share)
{
    for (size_t i = 0; share > 0 && i < nl->n; i++) {
        pb_node *nd = &nl->v[i];
        if (nd->kind == PB_NODE_BOX && nd->g1 > nd->g0) /* not the indent */
            nd->stretch = nd->shrink = share * nd->width;
    }
}

/* The Latin letters of a Chinese line may narrow, all alike, by the layout's expansion share
 * (never widen: the ideographs keep their em), as the last step of compressing a line, after
 * the marks' blanks, the word spaces and the Han-Latin gaps (clreq #line_adjustment:
 * compression before expansion): so that a line takes the piece after it ("…或致電(02)2345-" /
 * "6789。", 0.38 em over in the booklet's 34 ems) rather than letter-space its Han and break a
 * telephone number, or leave a URL's piece for the next line and letter-space the Han before
 * it to a 1.24 em pitch. A box of Latin letters, digits and ASCII signs only (a URL's pieces,
 * a name, a number), not a mark, nor the ideographs. The breaker charges a line that takes it
 * what the most compressed line costs (linebreak.c KP_HAN_GIVE_DEMERITS), as a line that
 * opens its gaps past the house style. */
static void allow_condensing(pb_nodes *nl, const pb_block *b, const pb_glyphs *gl, double share)
{
    for (size_t i = 0; share > 0 && i < nl->n; i++) {
        pb_node *nd = &nl->v[i];
        if (nd->kind != PB_NODE_BOX || nd->g1 <= nd->g0 || nd->han)
            continue;
        int latin = 1;
        for (size_t k = nd->g0; k < nd->g1 && latin; k++) {
            size_t t = gl->g[k].cluster;
            uint32_t cp = t < b->len ? b->text[t] : 0;
            latin = (cp > ' ' && cp < 0x7F) || pb_itemize_is_western(cp);
        }
        if (latin) {
            nd->shrink = share * nd->width;
            nd->condense = 1;
        }
    }
}

/* A glue's shrink on this line: word spaces may shrink further where the breaker said so. */
static double shrink_of(const pb_node *nd, const pb_line *ln)
{
    return nd->shrink * (nd->glue_class == PB_GLUE_WORD && ln->word_shrink > 0 ? ln->word_shrink : 1);
}

/* The first node of the line's last mark's blanks: the blank glue after the line's last box,
 * and a centred mark's quarter before it (a mark glue right before a box is one). */
static size_t line_end_blanks(const pb_nodes *nl, const pb_line *ln)
{
    size_t last = ln->n1 < nl->n ? ln->n1 : nl->n;
    while (last > ln->n0 && nl->v[last - 1].kind != PB_NODE_BOX)
        last--;
    if (last == ln->n0)
        return ln->n1;
    size_t k = last - 1; /* the last box */
    if (k > ln->n0 && nl->v[k - 1].kind == PB_NODE_GLUE && nl->v[k - 1].glue_class == PB_GLUE_PUNCT)
        return k - 1;
    return last;
}

/* A glue's level when the line shrinks (ratio < 0) or stretches. */
static int level_of(const pb_node *nd, size_t i, double ratio, size_t end_blanks)
{
    if (ratio > 0)
        return STRETCH_LEVEL[nd->glue_class];
    if (nd->glue_class == PB_GLUE_PUNCT && i >= end_blanks)
        return LEVEL_LINE_END;
    return SHRINK_LEVEL[nd->glue_class];
}

/* Levels [0, n) give need in turn, each all it has before the next any (lvl_ratio: the share
 * each gives); what they leave. */
static double fill_levels(const double *lvl_total, double *lvl_ratio, int n, double need)
{
    for (int l = 0; l < n && need > 1e-9; l++) {
        if (lvl_total[l] <= 0)
            continue;
        double take = need < lvl_total[l] ? need : lvl_total[l];
        lvl_ratio[l] = take / lvl_total[l];
        need -= take;
    }
    return need;
}

/* The piece the line after ln starts with, up to its first legal break (a word whole, not up to
 * a hyphenation point), as code points of the block (for the report: what kept a loose or
 * letter-spaced line from taking more), the longest head of it up to a hyphenation point
 * that the line could have held with its hyphen (a hyphen the breaker left), and the tie ln
 * broke, if it ended inside one: every tie, a number parted from its Han unit (30 | 分钟) too,
 * is the editor's to see. */
static void next_piece(const pb_nodes *nl, const pb_glyphs *gl, const pb_line *ln, size_t len,
                       double size, double measure, pb_cline *out)
{
    out->next0 = out->next1 = out->next_hyph = 0;
    out->next_w = out->next_over = 0;
    out->next_penalty = out->next_host = 0;
    out->broke_tie = 0;
    out->broke_host = 0;
    out->broke_capital = 0;
    out->broke_at = 0;
    out->broke_cut = out->cut_hyphen = 0;
    size_t i = ln->n1 + 1;
    while (i < nl->n && nl->v[i].kind != PB_NODE_BOX)
        i++;
    if (ln->last || i >= nl->n || nl->v[i].g0 >= gl->n)
        return;
    const pb_node *brk = ln->n1 < nl->n ? &nl->v[ln->n1] : NULL;
    if (brk && brk->kind == PB_NODE_PENALTY && brk->tie && !brk->hyphen_gid &&
        brk->penalty > 0 && brk->penalty < PB_PENALTY_INF)
        out->broke_tie = brk->penalty;
    if (brk && brk->kind == PB_NODE_PENALTY && brk->host)
        out->broke_host = brk->penalty;
    if (brk && brk->kind == PB_NODE_PENALTY && brk->capital)
        out->broke_capital = brk->penalty;
    if (brk && brk->kind == PB_NODE_PENALTY && brk->before_at)
        out->broke_at = brk->penalty;
    if (brk && brk->kind == PB_NODE_PENALTY && brk->last_resort) {
        out->broke_cut = brk->penalty;
        out->cut_hyphen = brk->hyphen_gid != 0;
    }
    /* the line with the piece on it, every glue and letter shrunk as far as the breaker lets
     * them (its last mark's blank too, the half-width line end): what it runs past the measure */
    double nat = 0, shrink = 0;
    for (size_t j = ln->n0; j < i; j++)
        if (nl->v[j].kind != PB_NODE_PENALTY) {
            nat += nl->v[j].width;
            shrink += nl->v[j].kind == PB_NODE_GLUE ? shrink_of(&nl->v[j], ln) : nl->v[j].shrink;
        }
    size_t end = nl->v[i].g1;
    double w = 0;
    size_t k = i;
    for (; k < nl->n; k++) {
        const pb_node *nd = &nl->v[k];
        if (k > i && ((nd->kind == PB_NODE_GLUE && nl->v[k - 1].kind == PB_NODE_BOX) ||
                      (nd->kind == PB_NODE_PENALTY && nd->penalty < PB_PENALTY_INF &&
                       !nd->last_resort && !nd->hyphen_gid)))
            break;
        if (nd->kind == PB_NODE_PENALTY) {
            /* a hyphenation point: the head before it, with its hyphen, fits the line */
            if (nd->hyphen_gid && !nd->last_resort && nd->penalty < PB_PENALTY_INF &&
                nat + nd->width - shrink <= measure && end < gl->n)
                out->next_hyph = gl->g[end].cluster;
            continue;
        }
        w += nd->width;
        nat += nd->width;
        shrink += nd->kind == PB_NODE_GLUE ? shrink_of(nd, ln) : nd->shrink;
        if (nd->kind == PB_NODE_BOX && nd->g1 > nd->g0)
            end = nd->g1;
    }
    out->next_w = w / size;
    out->next0 = gl->g[nl->v[i].g0].cluster;
    out->next1 = end < gl->n ? gl->g[end].cluster : len;
    if (k < nl->n && nl->v[k].kind == PB_NODE_PENALTY) {
        nat += nl->v[k].width;
        out->next_penalty = nl->v[k].penalty;
        out->next_host = nl->v[k].host;
    }
    out->next_over = (nat - shrink - measure) / size;
}

/* A justified line whose word spaces open past half an em (as the report's two decimals show
 * it) is worth telling the editor about: clreq's limit for a Western space
 * (#procedures_for_inter-character_space_expansion, 2024-03-21), the most linebreak.c's
 * KP_TOLERANCE_WORDS lets a line of words show. */
#define LOOSE_SPACE_EM 0.505
/* And one whose gap between Han and Latin or digits opened past that gap's stretch (¼ em
 * stretching to ⅓ em, nodes.c HAN_LATIN_EM + HAN_LATIN_STRETCH_EM, as the report's two decimals
 * show it): into the give the line takes on to half an em to spare letter-spacing its Han
 * (nodes.c GIVE_MAX_EM), which a reader sees as a hole beside a number or a word. */
#define HAN_LATIN_SHOWN_EM (1.0 / 3.0 + 0.005)
int pb_compose_gaps_shown(const pb_cline *l, double gaps[PB_GAP_KINDS])
{
    gaps[PB_GAP_IDEO] = l->spacing >= PB_GAP_SEEN_EM ? l->spacing : 0;
    gaps[PB_GAP_HAN_LATIN] = l->han_latin > HAN_LATIN_SHOWN_EM ? l->han_latin : 0;
    gaps[PB_GAP_WORD] = l->word_space > LOOSE_SPACE_EM ? l->word_space : 0;
    int widest = -1;
    for (int k = 0; k < PB_GAP_KINDS; k++)
        if (gaps[k] > 0 && (widest < 0 || gaps[k] > gaps[widest]))
            widest = k;
    return widest;
}

/* A line the report lists for its gaps (pb_compose_gaps_shown) whose next piece would have
 * fitted is explained there when the piece fits within the report's rounding (report.c
 * NEXT_FITS_EM); a line below counts as letter-spaced from PB_GAP_SEEN_EM. */
#define WHY_FITS_EM 0.005
/* Each explanation breaks the paragraph again: at most this many lines of a paragraph are
 * explained, and only in a paragraph of at most this many nodes (a page of text is about
 * 2 000), so that a hostile paragraph of a megabyte is not broken once per line (the rest keep
 * "left for a line below") */
#define WHY_MAX_LINES 8
#define WHY_MAX_NODES 20000

/* em: what a justified line of the breaker's would add between two ideographs, as place_line
 * spreads it: what its Western spaces and Han-Latin gaps, opened to their give, cannot fill,
 * over the gaps that are not a mark's with its text (0: none) */
static double line_spacing(const pb_nodes *nl, const pb_line *ln, double measure, double size)
{
    if (ln->last || ln->natural >= measure)
        return 0;
    double other = 0, give = 0, cjk = 0, free_cjk = 0, gap = 0; /* pt */
    for (size_t i = ln->n0; i < ln->n1 && i < nl->n; i++) {
        const pb_node *nd = &nl->v[i];
        if (nd->kind == PB_NODE_PENALTY)
            continue;
        if (nd->kind == PB_NODE_GLUE && nd->glue_class == PB_GLUE_CJK) {
            cjk += nd->stretch;
            free_cjk += nd->attached ? 0 : nd->stretch;
            gap = fmax(gap, nd->stretch);
        } else {
            other += nd->stretch;
            give += nd->kind == PB_NODE_GLUE ? nd->give : 0;
        }
    }
    double need = measure - ln->natural - other - give;
    if (cjk <= 0 || need <= 1e-9)
        return 0;
    return need * gap / (free_cjk > 0 ? free_cjk : cjk) / size;
}

/* Line li of p is letter-spaced or loose though the piece after it would have fitted, or ends
 * inside an address's host (host): set the paragraph again with li ending elsewhere, and say
 * what that setting does worse (pb_cline.why), so that the report can tell the editor why the
 * line was set so, not only that it was. */
static pb_status why_spaced(pb_composer *c, const pb_block *b, const pb_style *st,
                            double measure, size_t li, int host, pb_para *p)
{
    const pb_nodes *nl = &c->nodes;
    const pb_lines *ls = &c->lines;
    pb_cline *cl = &p->lines[li];
    /* the line runs on past its end: it takes the piece after it, at least; a host broken: the
     * line ends anywhere but there, before it too */
    pb_status s = pb_linebreak_total_fit_avoiding(nl, measure, host ? ls->v[li].n1 : ls->v[li].n0,
                                                  ls->v[li].n1, &c->alt);
    if (s != PB_OK)
        return s;
    const pb_lines *alt = &c->alt;
    size_t k = 0; /* the first line the settings end apart */
    while (k < alt->n && k < ls->n && alt->v[k].n1 == ls->v[k].n1)
        k++;
    double most = 0;
    size_t most_at = 0, spaced = 0, tie_at = 0, host_at = 0, over_at = 0;
    for (size_t j = k; j < alt->n; j++) {
        const pb_line *ln = &alt->v[j];
        double sp = line_spacing(nl, ln, measure, st->size);
        spaced += sp >= PB_GAP_SEEN_EM;
        if (sp > most)
            most = sp, most_at = j;
        const pb_node *brk = ln->n1 < nl->n ? &nl->v[ln->n1] : NULL;
        int ended = 0; /* the chosen setting breaks there too */
        for (size_t q = 0; q < ls->n && brk; q++)
            ended |= ls->v[q].n1 == ln->n1;
        if (brk && !ended && brk->kind == PB_NODE_PENALTY && brk->host && !host_at)
            host_at = j + 1;
        else if (brk && !ended && brk->kind == PB_NODE_PENALTY && brk->tie && !brk->hyphen_gid &&
                 brk->penalty > 0 && brk->penalty < PB_PENALTY_INF && !tie_at)
            tie_at = j + 1;
        if (ln->overfull && !over_at)
            over_at = j + 1;
    }
    pb_cline tmp;
    size_t at = li; /* the line of alt the reason lies in */
    if (over_at) {
        cl->why = PB_WHY_OVERFULL, at = over_at - 1;
    } else if (most >= PB_GAP_SEEN_EM) {
        cl->why = PB_WHY_SPACED, at = most_at;
        cl->why_value = 1 + most;
        cl->why_lines = (unsigned)spaced;
        next_piece(nl, &c->glyphs, &alt->v[at], b->len, st->size, measure, &tmp);
        if (tmp.next_over > WHY_FITS_EM) /* what that line cannot take */
            cl->why0 = tmp.next0, cl->why1 = tmp.next1;
    } else if (!host && (host_at || tie_at) && (host_at ? host_at : tie_at) - 1 == li) {
        cl->why = PB_WHY_NONE; /* the tie after the piece itself: the report says so */
    } else if (host_at || tie_at) {
        at = (host_at ? host_at : tie_at) - 1;
        cl->why = host_at ? PB_WHY_HOST : PB_WHY_TIE;
        cl->why_value = nl->v[alt->v[at].n1].penalty;
        next_piece(nl, &c->glyphs, &alt->v[at], b->len, st->size, measure, &tmp);
        cl->why0 = tmp.next0, cl->why1 = tmp.next1;
    } else if (alt->n > ls->n) {
        cl->why = PB_WHY_LONGER, at = alt->n - 1;
    } else if (alt->n && pb_linebreak_lone_ideograph(nl, &alt->v[alt->n - 1])) {
        cl->why = PB_WHY_LONE, at = alt->n - 1;
    } else {
        cl->why = PB_WHY_WORSE;
    }
    cl->why_line = (int)at - (int)li;
    return PB_OK;
}

static pb_status place_line(pb_composer *c, const pb_block *b, const pb_style *st,
                            const pb_line *ln, double measure, pb_para *p)
{
    const pb_nodes *nl = &c->nodes;
    const pb_glyphs *gl = &c->glyphs;
    size_t end_blanks = line_end_blanks(nl, ln);
    int justify = st->align == PB_ALIGN_JUSTIFIED && !ln->last;
    /* per glue class: the part of its stretch (> 0) or shrink (< 0) it gives, level by level */
    double lvl_total[N_LEVELS] = {0}, lvl_ratio[N_LEVELS] = {0};
    double ratio = justify || ln->ratio < 0 ? ln->ratio : 0;
    double need = ratio > 0 ? measure - ln->natural : ratio < 0 ? ln->natural - measure : 0;
    double box_total = 0; /* font expansion: letters give with the word spaces (their level) */
    double give = 0;      /* the glue's give (nodes.h) */
    /* the letter-spacing goes to the gaps that are not a mark's with its text (nodes.h
     * attached), unless the line has no other */
    double cjk_free = 0;
    int word_level = ratio > 0 ? STRETCH_LEVEL[PB_GLUE_WORD] : SHRINK_LEVEL[PB_GLUE_WORD];
    for (size_t i = ln->n0; i < ln->n1 && i < nl->n; i++) {
        const pb_node *nd = &nl->v[i];
        if (nd->kind == PB_NODE_GLUE) {
            lvl_total[level_of(nd, i, ratio, end_blanks)] +=
                ratio > 0 ? nd->stretch : shrink_of(nd, ln);
            give += nd->give;
            if (nd->glue_class == PB_GLUE_CJK && !nd->attached)
                cjk_free += nd->stretch;
        } else if (nd->kind == PB_NODE_BOX) {
            box_total += ratio > 0 ? nd->stretch : nd->shrink;
        }
    }
    /* a Chinese line's Latin letters narrow only after every glue has shrunk (allow_condensing) */
    int condense_last = ratio < 0 && b->lang == PB_LANG_ZH;
    if (!condense_last)
        lvl_total[word_level] += box_total;
    double all = 0;
    for (int l = 0; l < N_LEVELS; l++)
        all += lvl_total[l];
    double box_ratio = -1; /* < 0: the boxes take the word spaces' ratio */
    double give_ratio = 0;  /* the share of their give (nodes.h) the glue takes */
    double cjk = ratio > 0 ? lvl_total[STRETCH_LEVEL[PB_GLUE_CJK]] : 0;
    int keep_attached = cjk > 0 && cjk_free > 0;
    if (cjk > 0) {
        /* a line with Han: Western spaces, then Han-Latin gaps, each to its stretch, then both
         * to half an em (their give), and only what they cannot fill letter-spaces the Han,
         * evenly, past its stretch if need be (clreq
         * #procedures_for_inter-character_space_expansion) */
        need = fill_levels(lvl_total, lvl_ratio, STRETCH_LEVEL[PB_GLUE_CJK], need);
        if (give > 0 && need > 1e-9) {
            give_ratio = need < give ? need / give : 1;
            need -= give_ratio * give;
        }
        lvl_ratio[STRETCH_LEVEL[PB_GLUE_CJK]] =
            need > 1e-9 ? need / (keep_attached ? cjk_free : cjk) : 0;
    } else if (condense_last) {
        double rest = fill_levels(lvl_total, lvl_ratio, N_LEVELS, need);
        box_ratio = box_total > 0 && rest > 1e-9 ? (rest < box_total ? rest / box_total : 1) : 0;
    } else if (ratio > 1 && all > 0) {
        /* past every level's stretch: letters stop at their limit, the glue stretches evenly */
        double glue = all - box_total;
        box_ratio = box_total > 0 ? 1 : 0;
        for (int l = 0; l < N_LEVELS; l++)
            lvl_ratio[l] = glue > 0 ? (need - box_total) / glue : need / all;
        /* with no glue to take the rest, the letters still stop at their limit: the line
         * stays short of the measure rather than distorted */
    } else {
        fill_levels(lvl_total, lvl_ratio, N_LEVELS, need);
    }
    /* every word of a line expands alike; its spaces are drawn at that scale too, so that a
     * line stays one run in the PDF (a space's own width is the glue's) */
    double line_scale = 1;
    for (size_t i = ln->n0; i < ln->n1 && i < nl->n; i++) {
        const pb_node *nd = &nl->v[i];
        if (nd->kind == PB_NODE_BOX && nd->width > 0 && (nd->stretch > 0 || nd->shrink > 0)) {
            double r = box_ratio >= 0 ? box_ratio : lvl_ratio[word_level];
            line_scale = 1 + (ratio > 0 ? r * nd->stretch : -r * nd->shrink) / nd->width;
            break;
        }
    }
    double x = 0, spacing = 0, word_space = 0, han_latin = 0; /* pt */
    double word_min = 0, word_share = 1, marks_given = 0;         /* pt; share; pt */
    double trail = 0; /* pt: the line-end mark's blank after its ink, ending the line */
    /* a line a forced break (<br>) ends, an empty one between two too, is set flush left: not
     * underfull (TeX's \hfil\break) */
    int forced = ln->n1 < nl->n && nl->v[ln->n1].kind == PB_NODE_PENALTY &&
                 nl->v[ln->n1].penalty <= -PB_PENALTY_INF;
    size_t g0 = p->n;
    c->line_no++; /* pens set below belong to this line (pen_line stamps them) */
    for (size_t i = ln->n0; i < ln->n1 && i < nl->n; i++) {
        const pb_node *nd = &nl->v[i];
        if (nd->kind == PB_NODE_PENALTY)
            continue;
        if (nd->kind == PB_NODE_GLUE && nd->glue_class == PB_GLUE_FILL)
            continue;
        double w = nd->width;
        if (nd->kind == PB_NODE_GLUE)
            w += ratio > 0 ? lvl_ratio[level_of(nd, i, ratio, end_blanks)] *
                                     (keep_attached && nd->attached ? 0 : nd->stretch) +
                                 give_ratio * nd->give
                           : -lvl_ratio[level_of(nd, i, ratio, end_blanks)] * shrink_of(nd, ln);
        if (nd->kind == PB_NODE_GLUE && nd->glue_class == PB_GLUE_CJK && w > spacing &&
            !typed_ideographic_space(nd, gl, b))
            spacing = w;
        /* a field gap (the em space a run of spaces became in a line of fields) is no word
         * space: its em is the gap asked for, not a loose line's (review 13 B2) */
        int word = nd->kind == PB_NODE_GLUE && nd->glue_class == PB_GLUE_WORD &&
                   !glue_is_field_gap(nd, gl, b);
        if (word && w > word_space)
            word_space = w;
        if (nd->kind == PB_NODE_GLUE && nd->glue_class == PB_GLUE_HAN_LATIN && w > han_latin)
            han_latin = w;
        if (word && nd->width > 0 && (word_min == 0 || w < word_min)) {
            word_min = w;
            word_share = w / nd->width;
        }
        if (nd->kind == PB_NODE_GLUE && ratio < 0 && nd->width - w > 0 &&
            (nd->glue_class == PB_GLUE_PUNCT || nd->glue_class == PB_GLUE_BLANK))
            marks_given += nd->width - w;
        /* an expanded word: every glyph's advance (and its drawing) scaled alike */
        double scale = nd->kind == PB_NODE_GLUE ? line_scale : 1;
        if (nd->kind == PB_NODE_BOX && nd->width > 0 && (nd->stretch > 0 || nd->shrink > 0)) {
            w *= line_scale;
            scale = line_scale;
        }
        if (nd->kind == PB_NODE_GLUE && nd->glue_class == PB_GLUE_PUNCT && i >= end_blanks)
            trail += w;
        else if (nd->kind == PB_NODE_BOX && nd->g1 > nd->g0)
            trail = 0;
        double gx = x;
        for (size_t k = nd->g0; k < nd->g1; k++) {
            pb_status s = put_glyph(p, &gl->g[k], b, cluster_len(gl, k, b->len), st->size, gx);
            if (s != PB_OK)
                return s;
            p->g[p->n - 1].hscale = (float)scale;
            if (c->with_ruby) { /* where each base glyph's pen is, for its ruby */
                c->pen[k] = gx;
                c->pen_line[k] = c->line_no;
            }
            gx += gl->g[k].x_advance * scale * st->size / pb_font_get_upem(gl->g[k].font);
        }
        x += w;
    }
    if (ln->n1 < nl->n && nl->v[ln->n1].kind == PB_NODE_PENALTY && nl->v[ln->n1].hyphen_gid) {
        const pb_node *hy = &nl->v[ln->n1];
        pb_glyph g = {hy->hyphen_font, hy->hyphen_gid, 0, 0, 0, 0};
        pb_status s = put_glyph(p, &g, b, 1, st->size, x);
        if (s != PB_OK)
            return s;
        p->g[p->n - 1].text = HYPHEN_TEXT;
        p->g[p->n - 1].link = p->n > 1 && p->n - 1 > g0 ? p->g[p->n - 2].link : NULL;
        if (hy->soft)
            soft_hyphen_text(p, g0);
        x += hy->width;
    } else if (ln->n1 < nl->n && nl->v[ln->n1].kind == PB_NODE_PENALTY) {
        x += nl->v[ln->n1].width; /* a break inside a word: its last glyph's own advance */
    }
    /* in bold display type (title, heading) bold emphasis would not show: dots there too */
    if (b->marks && (c->layout->emphasis_zh == PB_EMPH_ZH_DOTS || st->bold)) {
        pb_status s = place_emphasis_dots(c, b, st, p, g0);
        if (s != PB_OK)
            return s;
    }
    double ruby_h = 0;
    pb_cline rubies = {0}; /* its rubies' offsets */
    if (c->with_ruby) {
        pb_status s = place_ruby(c, b, st, p, g0, x, &ruby_h, &rubies);
        if (s != PB_OK)
            return s;
    }
    if (PB_GROW(p->lines, p->cap_lines, p->n_lines))
        return pb_diag_oom("composing a paragraph");
    /* a line's set width: the measure when justified, else what it holds */
    double width = justify ? measure : x;
    /* a centred or flush-right line is placed by its ink: the blank half of a closing mark
     * at its end is no part of it (clreq #line_adjustment: a line-end mark may be set half
     * width; here it is, for the placing only) */
    if ((st->align == PB_ALIGN_CENTER || st->align == PB_ALIGN_END) && width - trail < measure) {
        double shift = (measure - (width - trail)) / (st->align == PB_ALIGN_CENTER ? 2 : 1);
        for (size_t k = g0; k < p->n; k++)
            p->g[k].x += (float)shift;
    }
    int hyphen = ln->n1 < nl->n && nl->v[ln->n1].kind == PB_NODE_PENALTY && nl->v[ln->n1].hyphen_gid;
    p->lines[p->n_lines++] = (pb_cline){.g0 = g0,
                                        .g1 = p->n,
                                        .width = width,
                                        .measure = measure,
                                        .ratio = ratio,
                                        .last = ln->last,
                                        .ruby_h = ruby_h,
                                        .overfull = ln->overfull,
                                        .excess = x > measure ? x - measure : 0,
                                        .hyphen = hyphen,
                                        .spacing = spacing / st->size,
                                        .word_space = word_space / st->size,
                                        .han_latin = han_latin / st->size,
                                        .word_min = word_min / st->size,
                                        .word_share = (float)word_share,
                                        .letters = (float)line_scale,
                                        .marks_em = (float)(marks_given / st->size),
                                        .squeeze = ratio < 0 ? (float)((ln->natural - measure) /
                                                                       st->size)
                                                             : 0,
                                        .n_ruby = rubies.n_ruby,
                                        .n_ruby_off = rubies.n_ruby_off,
                                        .n_ruby_wide = rubies.n_ruby_wide,
                                        .n_ruby_edge = rubies.n_ruby_edge,
                                        .ruby_off = rubies.ruby_off,
                                        .lack = ratio > 0 ? (measure - ln->natural) / st->size : 0,
                                        .short_by = justify && !forced && x < measure
                                                        ? (measure - x) / st->size
                                                        : 0};
    next_piece(nl, gl, ln, b->len, st->size, measure, &p->lines[p->n_lines - 1]);
    return PB_OK;
}

/* Shape the block's ruby (its size follows the text: the layout's ruby size is for the body
 * size), make room around wide ones, and find each base glyph. */
static pb_status prepare_ruby(pb_composer *c, const pb_block *b, const char *file, double size)
{
    double rsize = c->layout->ruby_size * size / c->layout->text_size;
    pb_status s = pb_ruby_shape(c->shaper, c->fonts, b, file, rsize, &c->rubies);
    if (s != PB_OK)
        return s;
    c->rubies.min_scale = c->layout->ruby_min_scale;
    if ((s = pb_ruby_make_room(&c->rubies, &c->glyphs, size)) != PB_OK)
        return s;
    if (c->rubies.n > c->ruby_cap) {
        long *v = realloc(c->ruby_glyph, c->rubies.n * sizeof *v);
        if (!v)
            return pb_diag_oom("composing a paragraph");
        c->ruby_glyph = v;
        pb_ruby_slot *on = realloc(c->ruby_on, c->rubies.n * sizeof *on);
        if (!on)
            return pb_diag_oom("composing a paragraph");
        c->ruby_on = on;
        c->ruby_cap = c->rubies.n;
    }
    if (c->glyphs.n > c->pen_cap) {
        double *v = realloc(c->pen, c->glyphs.n * sizeof *v);
        if (!v)
            return pb_diag_oom("composing a paragraph");
        c->pen = v;
        unsigned *pl = realloc(c->pen_line, c->glyphs.n * sizeof *pl);
        if (!pl)
            return pb_diag_oom("composing a paragraph");
        c->pen_line = pl;
        c->pen_cap = c->glyphs.n;
    }
    memset(c->pen_line, 0, c->glyphs.n * sizeof *c->pen_line);
    c->line_no = 0;
    c->ruby_cursor = 0;
    size_t k = 0;
    for (size_t i = 0; i < c->rubies.n; i++) {
        while (k < c->glyphs.n && c->glyphs.g[k].cluster < c->rubies.v[i].base)
            k++;
        c->ruby_glyph[i] = k < c->glyphs.n && c->glyphs.g[k].cluster == c->rubies.v[i].base
                               ? (long)k
                               : -1;
    }
    return PB_OK;
}

/* English display lines (title, headings) break at sense: a line that ends with a short
 * function word reads as a broken phrase ("campaign to raise the sense of / fulfillment"), so a
 * break after one costs more than a ragged line at the breaker's tolerance ((10 + 200)^2 =
 * 44 100 demerits, linebreak.c KP_TOLERANCE) and a break inside a quotation together (150^2,
 * QUOTE_BREAK_PENALTY; 260^2 = 67 600 > 66 600), and any balanced alternative wins
 * (Bringhurst, The Elements of Typographic Style, 2.4.7; Chicago 8.159 on breaking display
 * lines at sense). */
#define WEAK_END_PENALTY 260
/* the articles, the coordinating conjunctions and the short prepositions */
static const char *const WEAK_END_WORDS[] = {"a",  "an", "the", "and",  "or",   "nor", "but",
                                             "to", "of", "in",  "for",  "on",   "at",  "by",
                                             "as", "with", "from", "into"};
/* A quotation is one phrase ("the \u201cAI+ public / well-being\u201d campaign" splits a name), so
 * a break inside one costs too, but half the demerits of a weak end (150^2 = 22 500): a split
 * name still ends its line on a word that carries sense, so where only one of the two can be
 * avoided, the weak end is. */
#define QUOTE_BREAK_PENALTY 150
#define CP_LEFT_DOUBLE_QUOTE 0x201Cu
#define CP_RIGHT_DOUBLE_QUOTE 0x201Du

/* The ASCII word text[s, e) is one of WEAK_END_WORDS (any case). */
static int weak_word(const uint32_t *text, size_t s, size_t e)
{
    for (size_t w = 0; w < sizeof WEAK_END_WORDS / sizeof *WEAK_END_WORDS; w++) {
        const char *k = WEAK_END_WORDS[w];
        size_t n = strlen(k);
        if (e - s != n)
            continue;
        size_t i = 0;
        while (i < n && (text[s + i] | 0x20) == (uint32_t)k[i])
            i++;
        if (i == n)
            return 1;
    }
    return 0;
}

/* Does text[0, e) leave a double quotation open (smart quotes, normalize.c)? */
static int in_quotation(const uint32_t *text, size_t e)
{
    int open = 0;
    for (size_t i = 0; i < e; i++)
        if (text[i] == CP_LEFT_DOUBLE_QUOTE)
            open = 1;
        else if (text[i] == CP_RIGHT_DOUBLE_QUOTE)
            open = 0;
    return open;
}

/* A penalty node of value before node i of a display line (the break moves to it; the glue
 * after it is then no break, TeX's rule for glue after a penalty). */
static pb_status insert_penalty(pb_nodes *nl, size_t i, int value)
{
    if (PB_GROW(nl->v, nl->cap, nl->n))
        return pb_diag_oom("breaking a display line");
    memmove(&nl->v[i + 1], &nl->v[i], (nl->n - i) * sizeof *nl->v);
    nl->n++;
    nl->v[i] = (pb_node){.kind = PB_NODE_PENALTY, .penalty = value, .g0 = nl->v[i + 1].g0,
                         .g1 = nl->v[i + 1].g0};
    return PB_OK;
}

/* A penalty before every word space that follows a weak word (WEAK_END_PENALTY) or lies inside
 * a quotation (QUOTE_BREAK_PENALTY): the break moves to it, and the space after it is then no
 * break (TeX's rule for glue after a penalty). */
static pb_status break_at_sense(pb_nodes *nl, const pb_block *b, const pb_glyphs *gl)
{
    for (size_t i = 1; i < nl->n; i++) {
        const pb_node *nd = &nl->v[i];
        if (nd->kind != PB_NODE_GLUE || nd->glue_class != PB_GLUE_WORD ||
            nl->v[i - 1].kind != PB_NODE_BOX || nd->g0 >= gl->n)
            continue;
        size_t e = gl->g[nd->g0].cluster, s = e;
        while (s > 0 && pb_uchar_is_ascii_letter(b->text[s - 1]))
            s--;
        int penalty = 0;
        if (s < e && (s == 0 || b->text[s - 1] == ' ') && weak_word(b->text, s, e))
            penalty += WEAK_END_PENALTY;
        if (in_quotation(b->text, e))
            penalty += QUOTE_BREAK_PENALTY;
        if (!penalty)
            continue;
        if (insert_penalty(nl, i, penalty) != PB_OK)
            return PB_ESYSTEM;
        i++;
    }
    return PB_OK;
}

/* A line of fields in English (a {left}, {right} or {center} block whose fields the author set
 * apart with a run of spaces, an em space by now: normalize.c) breaks at a field gap, not
 * inside a field ("Party A (seal): Nanhu Culture Press / Co., Ltd.  Legal representative"): a
 * word space inside a field is a tie at INSIDE_FIELD_PENALTY, the Chinese line's cost of a
 * break inside a field (cuts_field), taken only where a field is longer than the line. */
#define INSIDE_FIELD_PENALTY 300

static pb_status break_at_fields(pb_nodes *nl, const pb_block *b, const pb_glyphs *gl)
{
    size_t gaps = 0;
    for (size_t i = 0; i < b->len; i++)
        gaps += b->text[i] == PB_UCHAR_FIELD_GAP;
    if (!gaps)
        return PB_OK;
    for (size_t i = 1; i < nl->n; i++) {
        const pb_node *nd = &nl->v[i];
        if (nd->kind != PB_NODE_GLUE || nd->glue_class != PB_GLUE_WORD ||
            nl->v[i - 1].kind != PB_NODE_BOX || nd->g0 >= gl->n ||
            b->text[gl->g[nd->g0].cluster] != ' ')
            continue;
        if (insert_penalty(nl, i, INSIDE_FIELD_PENALTY) != PB_OK)
            return PB_ESYSTEM;
        nl->v[i].tie = 1;
        i++;
    }
    return PB_OK;
}

/* A Chinese display line (title, heading, leaflet headline) breaks between words, not inside
 * one ("全市公 / 共數據" splits 公共): a break inside a word of ICU's dictionary costs more
 * than a weak English line end (300^2 = 90 000 > 67 600 demerits, WEAK_END_PENALTY), so any
 * balanced alternative at a word's edge wins (clreq #handling_of_headings, 2024-03-21: a
 * heading is read as a unit; the same sense rule as English display lines). */
#define INSIDE_WORD_PENALTY 300
#define CP_FULLWIDTH_COLON 0xFF1Au

/* The text position a break at node i would start the next line with. */
static size_t break_pos(const pb_nodes *nl, size_t i, const pb_glyphs *gl, size_t len)
{
    for (size_t k = i; k < nl->n; k++)
        if (nl->v[k].kind == PB_NODE_BOX && nl->v[k].g1 > nl->v[k].g0)
            return nl->v[k].g0 < gl->n ? gl->g[nl->v[k].g0].cluster : len;
    return len;
}

/* Ragged-right running text (`align = left`, `align-en = left`): a line may end up to this
 * many ems of its size short of the measure at moderate badness, the zone of the rag (plain
 * TeX's \raggedright: \rightskip=0pt plus2em, The TeXbook, appendix B). */
#define RAGGED_RIGHT_ZONE 2.0

#define CP_JIE 0x8857u /* 街 */
#define CP_DAO 0x9053u /* 道 */

/* Is c the last character of a part of an address, a province, city, county, district,
 * township, road, street, lane or section (浙江省, 宁波市, 北仑区, 明州路, 二段), or the house
 * number's 號? */
static int address_unit(uint32_t c)
{
    switch (c) {
    case 0x7701u /* 省 */: case 0x5E02u /* 市 */: case 0x7E23u /* 縣 */: case 0x53BFu /* 县 */:
    case 0x5340u /* 區 */: case 0x533Au /* 区 */: case 0x9109u /* 鄉 */: case 0x4E61u /* 乡 */:
    case 0x93AEu /* 鎮 */: case 0x9547u /* 镇 */: case 0x8DEFu /* 路 */: case CP_JIE:
    case 0x5DF7u /* 巷 */: case 0x5F04u /* 弄 */: case 0x6BB5u /* 段 */: case 0x865Fu /* 號 */:
    case 0x53F7u /* 号 */:
        return 1;
    default:
        return 0;
    }
}

/* Does a break before text[p] fall between two parts of an address (浙江省|宁波市|北仑区|
 * 新碶街道|明州路188号, 二段|5號, 1號|4樓)? After a part's last character that ends a name
 * (the character before it is no such unit: 臺北市|信義區, not 信義區市|府路), or after 街道;
 * and not between two characters of one unit word (街|道). ICU's dictionary does not know
 * most place names and leaves their characters alone or joins them wrongly (宁波|市北|仑|区),
 * so this is what keeps such a break free in a line of fields. */
static int between_address_parts(const uint32_t *text, size_t p, const uint8_t *bound)
{
    if (p < 2)
        return 0;
    uint32_t a = text[p - 2], c = text[p - 1];
    if (c == 0x865Fu || c == 0x53F7u) /* a house number's 號: 188號|4樓, 1號|　 */
        return 1;
    if (!pb_uchar_is_han(text[p]) || (!bound[p] && address_unit(text[p])) ||
        (c == CP_JIE && text[p] == CP_DAO))
        return 0; /* 明州路|188 (cuts_field), 街|道 */
    if (a == CP_JIE && c == CP_DAO) /* 街道|明州路 */
        return 1;
    return address_unit(c) && pb_uchar_is_han(a) && !address_unit(a);
}

/* Does a break before text[p] cut what a line of fields (a ragged block: a letterhead's
 * address, an officer and a telephone number, a signature) keeps whole? Its fields are set
 * apart by the author's ideographic spaces (U+3000, a break at no cost): inside a field, a
 * break after a label's colon (電話：|(02)…) or next to a character ICU's dictionary leaves
 * alone (it knows 信義 and 臺北市 but not the district 信義區 or the name 陳怡君, and
 * splits them into single characters: 信義|區, 陳|怡|君) cuts the field, as does a break
 * between a name and the number after it (a street and its house number, 明州路|188号; a
 * floor, a room: Chicago 17th ed., §6.121 keeps a number with the word it numbers). */
static int cuts_field(const uint32_t *text, size_t p, const uint8_t *bound)
{
    if (text[p - 1] == CP_FULLWIDTH_COLON ||
        (pb_uchar_is_han(text[p - 1]) && text[p] >= '0' && text[p] <= '9'))
        return 1;
    return pb_uchar_is_han(text[p - 1]) && pb_uchar_is_han(text[p]) &&
           ((p >= 2 && bound[p - 1]) || bound[p + 1]);
}

/* Breaks inside words: in display lines (titles, headings) between two ideographs of one
 * dictionary word, at INSIDE_WORD_PENALTY; in a ragged block (fields) also where cuts_field()
 * says, and there as ties (pb_node.tie): a ragged line is never letter-spaced, so the breaker
 * takes such a break only where no way within its emergency tolerance is left (a short line
 * before the field is no fault of a flush-right block). */
static pb_status break_between_words(pb_composer *c, pb_nodes *nl, const pb_block *b,
                                     const pb_glyphs *gl, double measure, int fields)
{
    /* a line that fits breaks nowhere: no dictionary needed (ICU's costs ~8 M instructions
     * to load) */
    double natural = 0;
    for (size_t i = 0; i < nl->n; i++)
        if (nl->v[i].kind == PB_NODE_BOX || nl->v[i].kind == PB_NODE_GLUE)
            natural += nl->v[i].width;
    if (natural <= measure)
        return PB_OK;
    uint8_t *bound = malloc(b->len + 1);
    if (!bound)
        return pb_diag_oom("breaking a display line");
    pb_status st = pb_nodes_word_bounds(c->breaker, b->text, b->len, bound);
    for (size_t i = 1; st == PB_OK && i < nl->n; i++) {
        pb_node *nd = &nl->v[i];
        int at_glue = nd->kind == PB_NODE_GLUE && nl->v[i - 1].kind == PB_NODE_BOX &&
                      (nd->glue_class == PB_GLUE_CJK || nd->glue_class == PB_GLUE_HAN_LATIN);
        int at_penalty = nd->kind == PB_NODE_PENALTY && nd->penalty < PB_PENALTY_INF &&
                         nd->penalty > -PB_PENALTY_INF;
        if (!at_glue && !at_penalty)
            continue;
        size_t p = break_pos(nl, i + 1, gl, b->len);
        if (p == 0 || p >= b->len)
            continue;
        int inside = !bound[p] && pb_uchar_is_han(b->text[p]) && pb_uchar_is_han(b->text[p - 1]);
        if (!inside && !(fields && cuts_field(b->text, p, bound)))
            continue;
        if (fields && between_address_parts(b->text, p, bound))
            continue;
        if (at_penalty) {
            nd->penalty += INSIDE_WORD_PENALTY;
            nd->tie |= (uint8_t)fields;
            continue;
        }
        if ((st = insert_penalty(nl, i, INSIDE_WORD_PENALTY)) != PB_OK)
            break;
        nl->v[i].tie = (uint8_t)fields;
        i++;
    }
    free(bound);
    return st;
}

/* A label before a colon ("Tel:", "Office hours:", "Hong Kong:") is at most this many words;
 * a colon after more, the sentence going on in lower case ("The city in spring: grass and
 * trees grow deep"), ends a part of the sentence. */
#define LABEL_WORDS 2

static int is_lower(uint32_t c) { return c >= 'a' && c <= 'z'; }
static int is_upper(uint32_t c) { return c >= 'A' && c <= 'Z'; }

/* Whether text[k], a full stop, ends an English sentence: after a word of two letters or more
 * or a figure (not an initial, "J. Smith"), before a capital, a figure, an opening quote or
 * bracket, or Chinese (text[q], after the spaces). Abbreviations before a name ("Dr. Sarah")
 * are ties (nodes.c) and lose anyway. */
static int ends_sentence(const uint32_t *text, size_t len, size_t k, size_t q)
{
    if (k < 2 || q >= len || !(is_lower(text[k - 1]) || (text[k - 1] >= '0' && text[k - 1] <= '9')))
        return 0;
    if (!pb_uchar_is_alnum(text[k - 2]))
        return 0;
    uint32_t c = text[q];
    return is_upper(c) || (c >= '0' && c <= '9') || c == 0x201Cu || c == 0x2018u || c == '(' ||
           pb_uchar_is_han(c);
}

/* Whether text[k], a colon, ends a part of an English sentence: more than LABEL_WORDS words
 * since the last mark or the block's start, and the sentence goes on in lower case (text[q]). */
static int colon_ends_part(const uint32_t *text, size_t len, size_t k, size_t q)
{
    if (q >= len || !is_lower(text[q]))
        return 0;
    size_t words = 0;
    for (size_t i = k; i > 0; i--) {
        uint32_t c = text[i - 1];
        if (c == ',' || c == ';' || c == '.' || c == ':' || c == '?' || c == '!' ||
            c == PB_LINE_BREAK || c == PB_UCHAR_FIELD_GAP || c == CP_IDEO_SPACE)
            break;
        words += c == ' ' && i < k && text[i] != ' ';
    }
    return words + 1 > LABEL_WORDS;
}

/* pb_node.clause while mark_clause_ends() ranks a block's breaks: after a semicolon (； ;),
 * which is between fields (PB_FIELD_END) in a line as written without a sentence's end
 * ("…Shanghai 200032, China; 2 School of Public Health…", "收稿日期：…；修訂日期：…") and a
 * clause's end (PB_CLAUSE_END) in one with ("The state is broken; hills and rivers remain."). */
#define CLAUSE_SEMICOLON (PB_FIELD_END + 1)

static int is_digit(uint32_t c) { return c >= '0' && c <= '9'; }

/* Is text[s, e) one of the names of a date's parts a range runs between (1 January – 31
 * December, January – March, Monday – Friday), in full or shortened? */
static int date_name(const uint32_t *text, size_t s, size_t e)
{
    static const char *const names[] = {
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug",
        "Sep", "Sept", "Oct", "Nov", "Dec", "Monday", "Tuesday", "Wednesday", "Thursday",
        "Friday", "Saturday", "Sunday", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
        size_t n = strlen(names[k]);
        if (e - s != n)
            continue;
        size_t i = 0;
        while (i < n && text[s + i] == (uint32_t)(unsigned char)names[k][i])
            i++;
        if (i == n)
            return 1;
    }
    return 0;
}

/* Is text[k] the dash of a range (1 January – 31 December 2025, 2025年1月1日—2025年12月31日,
 * Monday – Friday, 3～5): an en or em dash, a figure dash, a horizontal bar or a wave dash,
 * spaced or not, after a figure, a date's unit (年月日号) or a month's or a day's name (a
 * shortened one's point passed over), before a figure or such a name? A range is one
 * expression (GB/T 15835-2011 writes a date as one; Chicago 17th ed., §6.78: the en dash of
 * a range stands for "to"). */
static int range_dash_at(const uint32_t *text, size_t len, size_t k)
{
    uint32_t c = text[k];
    if (c != 0x2012u && c != 0x2013u && c != 0x2014u && c != 0x2015u && c != 0xFF5Eu &&
        c != 0x301Cu)
        return 0;
    size_t a = k, q = k + 1;
    while (a > 0 && text[a - 1] == ' ')
        a--;
    while (q < len && text[q] == ' ')
        q++;
    if (a == 0 || q >= len)
        return 0;
    size_t e = a > 1 && text[a - 1] == '.' ? a - 1 : a, s = e;
    while (s > 0 && pb_uchar_is_ascii_letter(text[s - 1]))
        s--;
    uint32_t u = text[a - 1];
    int before = is_digit(u) || u == 0x5E74u /* 年 */ || u == 0x6708u /* 月 */ ||
                 u == 0x65E5u /* 日 */ || u == 0x53F7u /* 号 */ || date_name(text, s, e);
    size_t r = q;
    while (r < len && pb_uchar_is_ascii_letter(text[r]))
        r++;
    return before && (is_digit(text[q]) || date_name(text, q, r));
}

/* Does a label (at most LABEL_WORDS words before a colon: "Fax:", "E-mail:", "传真：") begin at
 * text[q]? */
static int label_at(const uint32_t *text, size_t len, size_t q)
{
    size_t words = 1;
    for (size_t i = q; i < len && words <= LABEL_WORDS; i++) {
        uint32_t c = text[i];
        if (c == ':' || c == CP_FULLWIDTH_COLON)
            return i > q;
        if (c == ' ')
            words++;
        else if (!pb_uchar_is_ascii_letter(c) && !pb_uchar_is_han(c) && c != '-' && c != '.')
            return 0;
    }
    return 0;
}

/* Is a spaced slash before text[q] (its spaces at text[k - 2] and after text[k - 1]) between
 * two labelled fields, a colon before it since the last field's end and a label after it
 * ("Tel: … / Fax: …", "电话：… / 传真：…"; not "Tel / Fax: …")? */
static int slash_between_fields(const uint32_t *text, size_t len, size_t k, size_t q)
{
    if (k < 2 || text[k - 2] != ' ' || q == k || !label_at(text, len, q))
        return 0;
    for (size_t i = k - 1; i > 0; i--) {
        uint32_t c = text[i - 1];
        if (c == ':' || c == CP_FULLWIDTH_COLON)
            return 1;
        if (c == ';' || c == 0xFF1Bu || c == '|' || c == 0xFF5Cu || c == '/' ||
            c == PB_LINE_BREAK || c == PB_UCHAR_FIELD_GAP || c == CP_IDEO_SPACE)
            return 0;
    }
    return 0;
}

/* How a line that ends before text[p] ends in a ragged block (pb_node.clause): PB_FIELD_END at
 * a field gap (an ideographic space, the em space a run of spaces became: normalize.c), after
 * a bar between fields (" | ", ｜) or a slash between labelled fields (slash_between_fields());
 * CLAUSE_SEMICOLON after ； or ;; PB_CLAUSE_END after a comma, an enumeration comma or a dash
 * (，、 , — and a spaced –, a parenthesis's: "grows thinner –" / "too thin …"; not a range's,
 * range_dash_at()), spaces before p passed over; PB_SENTENCE_END after a sentence's end (。！？
 * ? !, a full stop that ends_sentence(), a colon that colon_ends_part()), a closing quote or
 * bracket after it passed over; else 0. Not after a label's colon (電話：, Tel:): it stays with
 * its field. */
static int ends_clause(const uint32_t *text, size_t len, size_t p)
{
    size_t q = p;
    while (p > 0 && (text[p - 1] == ' ' || text[p - 1] == PB_UCHAR_FIELD_GAP ||
                     text[p - 1] == CP_IDEO_SPACE)) {
        if (text[p - 1] != ' ')
            return PB_FIELD_END;
        p--;
    }
    size_t k = p; /* the mark: past a closing quote or bracket ("…apply.") */
    while (k > 1 && (text[k - 1] == 0x201Du || text[k - 1] == 0x2019u || text[k - 1] == ')'))
        k--;
    if (k == 0 || range_dash_at(text, len, k - 1))
        return 0;
    switch (text[k - 1]) {
    case 0x3002u /* 。 */: case 0xFF01u /* ！ */: case 0xFF1Fu /* ？ */: case '?': case '!':
        return PB_SENTENCE_END;
    case '.':
        return ends_sentence(text, len, k - 1, q) ? PB_SENTENCE_END : 0;
    case ':':
        return k == p && colon_ends_part(text, len, k - 1, q) ? PB_SENTENCE_END : 0;
    case 0xFF5Cu /* ｜ */:
        return k == p ? PB_FIELD_END : 0;
    case '|':
        return k == p && q > p && k >= 2 && text[k - 2] == ' ' ? PB_FIELD_END : 0;
    case '/':
        return k == p && slash_between_fields(text, len, k, q) ? PB_FIELD_END : 0;
    case ';': case 0xFF1Bu /* ； */:
        return k == p ? CLAUSE_SEMICOLON : 0;
    case ',': case 0xFF0Cu /* ， */: case 0x3001u /* 、 */:
        return k == p ? PB_CLAUSE_END : 0;
    case 0x2014u /* — */:
        return k == p ? PB_CLAUSE_END : 0;
    case 0x2013u /* – */: /* a dash set off by spaces ("thinner – too thin") */
        return k == p && k >= 2 && text[k - 2] == ' ' ? PB_CLAUSE_END : 0;
    default:
        return 0;
    }
}

/* The character before text[p], spaces passed over (0: none). */
static uint32_t mark_before(const uint32_t *text, size_t p)
{
    while (p > 0 && text[p - 1] == ' ')
        p--;
    return p > 0 ? text[p - 1] : 0;
}

/* May a line end at node i (glue after a box, a penalty neither forbidden nor forced)? */
static int ragged_break_at(const pb_nodes *nl, size_t i)
{
    const pb_node *nd = &nl->v[i];
    return (nd->kind == PB_NODE_GLUE && i > 0 && nl->v[i - 1].kind == PB_NODE_BOX) ||
           (nd->kind == PB_NODE_PENALTY && nd->penalty < PB_PENALTY_INF &&
            nd->penalty > -PB_PENALTY_INF);
}

/* A display line or a block of fields never breaks next to the dash of a range (range_dash_at():
 * "1 January –" / "31 December 2025", "2025年1月1日—" / "2025年12月31日", review 11) where
 * another break will do: each such break is a tie, which a ragged block takes in the
 * breaker's last pass only; there, after the dash (UAX #14 class BA, B2: a dash ends a line)
 * at half a tie's penalty, before a label's colon (报告期：|2025年…, cuts_field()) or the
 * dash starting a line. */
#define RANGE_DASH_TIE_PENALTY (PB_TIE_PENALTY / 2)

static pb_status tie_ranges(pb_nodes *nl, const pb_block *b, const pb_glyphs *gl)
{
    for (size_t i = 1; i < nl->n; i++) {
        if (!ragged_break_at(nl, i))
            continue;
        size_t p = break_pos(nl, i + 1, gl, b->len), a = p;
        if (p == 0 || p >= b->len)
            continue;
        while (a > 0 && b->text[a - 1] == ' ')
            a--;
        int after = a > 0 && range_dash_at(b->text, b->len, a - 1);
        if (!after && !range_dash_at(b->text, b->len, p))
            continue;
        int penalty = after ? RANGE_DASH_TIE_PENALTY : PB_TIE_PENALTY;
        if (nl->v[i].kind == PB_NODE_GLUE) {
            if (insert_penalty(nl, i, penalty) != PB_OK)
                return PB_ESYSTEM;
        } else if (nl->v[i].penalty < penalty) {
            nl->v[i].penalty = penalty;
        }
        nl->v[i].tie = 1;
    }
    return PB_OK;
}

/* An English title or heading (display: Chicago 8.159, Bringhurst 2.4.7, break at sense)
 * marks its breaks after a comma or semicolon (PB_CLAUSE_END) and after a bar between fields
 * (PB_FIELD_END: "Annual Report 2025 |" / "Financial Highlights") only, and not its end:
 * "Course Syllabus," / "Autumn Semester 2026–27", not "Course Syllabus, Autumn" / "Semester
 * 2026–27" (review 10).
 * A ragged block (a line of fields: a signature, dates received and revised, affiliations)
 * breaks between fields, at a sentence's end or at a clause rather than inside one, however
 * short the line it ends: each break there is marked (pb_node.clause: a field's end above a
 * sentence's, a sentence's above a clause's), and the breaker lets such a line fall short at
 * no more cost than its last pass does, and takes the higher rank first (linebreak.c
 * KP_CLAUSE_STRETCH_RATIO, KP_LOWER_RANK_DEMERITS: "Stock code: 688321.SH |" / "Reporting
 * period: …", not "… | Reporting" / "period: …" (review 11); "The state is broken; hills and
 * rivers remain." / "The city in spring: …", not "The state is broken;" / and the rest). Each
 * line as written (between forced breaks) is ranked apart, its best breaks raised to the
 * block's best: "Grieving the times, flowers draw tears;" / "hating parting, …" beside
 * "…remain." / "The city in spring: …" in the same poem. Where there is one, the block's end
 * and its forced line ends are marked too, at the highest rank: the last line ends a clause
 * as well, and judged as the others are, the lines stay balanced ("in the Ballroom, 3/F,
 * Mandarin Oriental," / "5 Connaught Road Central, Hong Kong", not "in the Ballroom," / and
 * the rest). */
static void mark_clause_ends(pb_nodes *nl, const pb_block *b, const pb_glyphs *gl, int display)
{
    for (size_t i = 1; i < nl->n; i++) {
        pb_node *nd = &nl->v[i];
        size_t p = ragged_break_at(nl, i) ? break_pos(nl, i + 1, gl, b->len) : 0;
        int c = p > 0 && p < b->len ? ends_clause(b->text, b->len, p) : 0;
        if (display) /* a title or heading: by the sense, after a comma, semicolon or bar */
            c = c == CLAUSE_SEMICOLON || (c == PB_CLAUSE_END && p > 1 && b->text[p - 2] == ',')
                    ? PB_CLAUSE_END
                : c == PB_FIELD_END && (mark_before(b->text, p) == '|' ||
                                        mark_before(b->text, p) == 0xFF5Cu)
                    ? PB_FIELD_END
                    : 0;
        nd->clause = (uint8_t)c;
    }
    if (display)
        return;
    /* each line as written: a semicolon is a field's end or a clause's, and its ranks are
     * raised so that its best is the block's best */
    uint8_t most = 0;
    for (int round = 0; round < 2; round++)
        for (size_t i = 0, s0 = 0; i < nl->n; i++) {
            if (nl->v[i].kind != PB_NODE_PENALTY || nl->v[i].penalty > -PB_PENALTY_INF)
                continue;
            int sentence = 0;
            uint8_t top = 0;
            for (size_t k = s0; k < i; k++)
                sentence |= nl->v[k].clause == PB_SENTENCE_END;
            for (size_t k = s0; k < i; k++) {
                pb_node *nd = &nl->v[k];
                if (nd->clause == CLAUSE_SEMICOLON)
                    nd->clause = sentence ? PB_CLAUSE_END : PB_FIELD_END;
                top = nd->clause > top ? nd->clause : top;
            }
            for (size_t k = s0; k < i && round == 1 && top; k++)
                nl->v[k].clause = (uint8_t)(nl->v[k].clause ? nl->v[k].clause + most - top : 0);
            if (round == 0)
                most = top > most ? top : most;
            s0 = i + 1;
        }
    for (size_t i = 0; most && i < nl->n; i++)
        if (nl->v[i].kind == PB_NODE_PENALTY && nl->v[i].penalty <= -PB_PENALTY_INF)
            nl->v[i].clause = most;
}

pb_status pb_compose_block(pb_composer *c, const pb_block *b, const char *file,
                           const pb_style *st, double measure, pb_para *out)
{
    memset(out, 0, sizeof *out);
    int style = (st->bold ? PB_ITEMIZE_BOLD : 0) |
                (c->layout->emphasis_zh == PB_EMPH_ZH_BOLD ? PB_ITEMIZE_EMPH_ZH_BOLD : 0);
    pb_status s = pb_itemize_block(b, style, c->fonts, file, &c->runs);
    if (s == PB_OK)
        s = pb_shape_runs(c->shaper, b->text, b->len, &c->runs, &c->glyphs);
    /* display lines (title, headings) read at a glance: no ruby unless the layout asks */
    int display = b->kind == PB_BLOCK_TITLE || b->kind == PB_BLOCK_HEADING;
    c->with_ruby = s == PB_OK && b->n_annots > 0 && c->layout->ruby_mode == PB_RUBY_RUBY &&
                   (!display || c->layout->ruby_display);
    if (c->with_ruby)
        s = prepare_ruby(c, b, file, st->size);
    if (s == PB_OK)
        s = pb_nodes_build(c->breaker, b->text, b->len, b->marks, &c->glyphs, st->size, st->indent,
                           b->lang == PB_LANG_ZH, &c->nodes);
    if (s == PB_OK && b->lang == PB_LANG_EN && st->align == PB_ALIGN_JUSTIFIED)
        allow_expansion(&c->nodes, c->layout->expansion);
    if (s == PB_OK && b->lang == PB_LANG_ZH && st->align == PB_ALIGN_JUSTIFIED && !display)
        allow_condensing(&c->nodes, b, &c->glyphs, c->layout->expansion);
    if (s == PB_OK && b->lang == PB_LANG_EN && display)
        s = break_at_sense(&c->nodes, b, &c->glyphs);
    /* a ragged block (flush right: a letterhead, a signature) is a line of fields; ragged
     * running text is not */
    int ragged = st->align != PB_ALIGN_JUSTIFIED && st->align != PB_ALIGN_RAGGED;
    if (s == PB_OK && b->lang == PB_LANG_ZH && (display || ragged))
        s = break_between_words(c, &c->nodes, b, &c->glyphs, measure, ragged && !display);
    if (s == PB_OK && b->lang == PB_LANG_EN && ragged && !display)
        s = break_at_fields(&c->nodes, b, &c->glyphs);
    if (s == PB_OK && ragged)
        s = tie_ranges(&c->nodes, b, &c->glyphs);
    if (s == PB_OK && ragged && (!display || b->lang == PB_LANG_EN))
        mark_clause_ends(&c->nodes, b, &c->glyphs, display);
    if (s == PB_OK)
        s = c->breaking == PB_BREAK_GREEDY ? pb_linebreak_greedy(&c->nodes, measure, &c->lines)
            : st->align == PB_ALIGN_RAGGED
                ? pb_linebreak_ragged_text(&c->nodes, measure, RAGGED_RIGHT_ZONE * st->size,
                                           &c->lines)
                : pb_linebreak_total_fit(&c->nodes, measure, ragged, &c->lines);
    out->block = b;
    for (size_t i = 0; s == PB_OK && i < c->lines.n; i++)
        s = place_line(c, b, st, &c->lines.v[i], measure, out);
    unsigned explained = 0;
    for (size_t i = 0; s == PB_OK && st->align == PB_ALIGN_JUSTIFIED && !display &&
                       c->breaking != PB_BREAK_GREEDY && c->nodes.n <= WHY_MAX_NODES &&
                       explained < WHY_MAX_LINES && i < out->n_lines;
         i++) {
        const pb_cline *l = &out->lines[i];
        double gaps[PB_GAP_KINDS];
        if (!l->last && pb_compose_gaps_shown(l, gaps) >= 0 && l->next1 > l->next0 &&
            l->next_over <= WHY_FITS_EM) {
            s = why_spaced(c, b, st, measure, i, 0, out);
            explained++;
        } else if (!l->last && (l->broke_host || l->broke_at)) {
            s = why_spaced(c, b, st, measure, i, 1, out);
            explained++;
        }
    }
    if (s != PB_OK) {
        pb_compose_free_para(out);
        return s;
    }
    /* a product keeps every paragraph until its pages are placed: no room to spare */
    pb_util_trim(&out->g, &out->cap, out->n, sizeof *out->g);
    pb_util_trim(&out->lines, &out->cap_lines, out->n_lines, sizeof *out->lines);
    return s;
}
