/* pageout: the output routine: pages from a broken vertical list, then folios and heads. */
#include "pageout.h"
#include "util.h"

#define PAGE_GLYPHS_FIRST 512 /* glyphs a page has room for before it grows */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pagebreak.h"
#include "uchar.h"

/* Separator between the Chinese and the English title of a bookmark or running head. */
static const uint32_t MARK_SEP[] = {' ', '/', ' '};
static const uint32_t ELLIPSIS[] = {0x2026};
/* A list item's bullet, hung in its indent on its first baseline. */
static const uint32_t BULLET[] = {0x2022};
/* Rounding slack when comparing vertical positions (pt). */
#define EPS 1e-6
/* A measure wide enough that no header or test line breaks (pt). */
#define UNBOUNDED_MEASURE PB_COMPOSE_UNBOUNDED
/* A line is tight, and worth telling the editor about, when it was shrunk past what a
 * typesetter accepts: its word spaces narrower than TeX lets an interword space shrink, by a
 * third of itself (The TeXbook ch. 12: cmr10's 3.33 pt space shrinks by 1.11 pt; nodes.c
 * WORD_SHRINK_RATIO), as the report's whole percent shows it, which only the breaker's
 * emergency shrink (linebreak.c KP_EMERGENCY_WORD_SHRINK, to 60 %) reaches, rather than a
 * hyphen or a loose line ... */
#define TIGHT_SPACE_SHARE (2.0 / 3.0 - 0.005)
/* ... or a Chinese line whose Latin letters were narrowed (compose.c allow_condensing), as the
 * report's whole percent shows it: past every means clreq gives a line that must shrink
 * (#line_adjustment, 2024-03-21: the marks' blanks, then the spaces; it narrows no letter),
 * every mark's blank, word space and Han-Latin gap on it already at its least. */
#define CONDENSED_SHOWN 0.005
/* Code points of a tight line's end the report quotes, to find it by (from a word's start). */
#define TIGHT_CONTEXT 16

/* And a justified line left short of the measure (TeX's "Underfull \hbox", The TeXbook ch. 12),
 * by what the report's two decimals show. */
#define UNDERFULL_SHOWN_EM 0.005
/* A letter-spaced line is a warning, not only a report line, once the gap between its
 * ideographs is a quarter em or more (a pitch, one ideograph's start to the next's, of 1.25 em): the space clreq sets between Han and Western
 * letters (#mixed_text_composition_in_horizontal_writing_mode, nodes.c HAN_LATIN_EM), where a reader sees a word space;
 * ideographs that far apart read as spaced-out text, not as one line of a paragraph. */
#define SPACED_WARN_EM 1.25


/* Recto pages (odd numbers, the first page) bind on the left. */
static double left_of(const pb_layout *l, size_t page_index)
{
    return page_index % 2 == 0 ? l->margin_inner : l->margin_outer;
}

pb_status pb_pageout_new_page(pb_pageout *o, int cover)
{
    pb_pages *out = o->out;
    if (PB_GROW(out->pages, out->cap, out->n))
        return pb_diag_oom("making pages");
    pb_page *p = &out->pages[out->n++];
    memset(p, 0, sizeof *p);
    p->g = o->spare.g, p->cap = o->spare.cap;
    p->lines = o->spare.lines, p->cap_lines = o->spare.cap_lines;
    memset(&o->spare, 0, sizeof o->spare);
    p->w = o->lay->page_w;
    p->h = o->lay->page_h;
    p->section = p->section_top = o->in_force;
    p->cover = cover;
    return PB_OK;
}

pb_status pb_pageout_put_line(pb_page *p, const pb_para *para, size_t li, double x, double y)
{
    const pb_cline *ln = &para->lines[li];
    size_t g0 = p->n;
    if (pb_util_grow(&p->g, &p->cap, p->n + (ln->g1 - ln->g0), sizeof *p->g, PAGE_GLYPHS_FIRST))
        return pb_diag_oom("making pages");
    for (size_t k = ln->g0; k < ln->g1; k++) {
        const pb_pglyph *g = &para->g[k];
        p->g[p->n++] = (pb_gpos){g->font,   g->size,     (float)(x + g->x), (float)(y + g->dy),
                                 g->gid,    g->text,     g->ntext,          g->ruby,
                                 g->artifact, g->ruby_first, g->hscale,     g->link};
    }
    if (PB_GROW(p->lines, p->cap_lines, p->n_lines))
        return pb_diag_oom("making pages");
    p->lines[p->n_lines++] = (pb_pline){g0,       p->n,      (float)x,     (float)y,
                                        (float)ln->width, (float)ln->ratio, para->block, 0,
                                        ln->measure < PB_COMPOSE_UNBOUNDED ? (float)ln->measure
                                                                           : 0};
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
    if (PB_GROW(o->issues, o->cap_issues, o->n_issues))
        return pb_diag_oom("making pages");
    o->issues[o->n_issues++] = (pb_issue){.kind = kind, .line = line, .page = o->n ? o->n - 1 : 0,
                                           .value = value};
    return PB_OK;
}

/* Code points of the text before a broken tie the report quotes (enough for "160 × ", "RMB "). */
#define TIE_CONTEXT 8
/* ... and before an address broken in its host, from the address's start (www.deepblue): the
 * report's quotes hold 60 (report.c), a host name up to 63 letters a label (RFC 1035 §2.3.4) */
#define HOST_CONTEXT 40

/* A line is overfull when its glyphs reach past the measure by more than TeX's \hfuzz (0.1 pt,
 * The TeXbook ch. 12): less is rounding. */
#define OVERFULL_FUZZ 0.1

/* What setting the paragraph again without line l's end did worse (pb_cline.why), for the
 * report. */
static void copy_why(pb_issue *is, const pb_cline *l, const pb_block *blk)
{
    is->why = l->why;
    is->why_line = l->why_line;
    is->why_lines = l->why_lines;
    is->why_value = l->why_value;
    if (l->why1 > l->why0) {
        is->why_next = blk->text + l->why0;
        is->why_len = l->why1 - l->why0;
    }
}

/* A tight line (TIGHT_SPACE_SHARE, CONDENSED_SHOWN): how far it was shrunk, its narrowest word
 * space, its letters' scale, its marks' blanks given up, and its end, to find it by. */
static pb_status note_tight(pb_pageout *o, const pb_para *para, size_t li)
{
    const pb_block *blk = para->block;
    const pb_cline *l = &para->lines[li];
    pb_status st = pb_pageout_add_issue(o->out, PB_ISSUE_TIGHT, blk->line, l->squeeze);
    if (st != PB_OK)
        return st;
    pb_issue *is = &o->out->issues[o->out->n_issues - 1];
    is->word_min = l->word_min;
    is->word_share = l->word_share;
    is->letters = l->letters;
    is->marks_em = l->marks_em;
    /* the code points its glyphs stand for (not a ruby's, not a decoration's) */
    size_t start = blk->len, end = 0;
    for (size_t k = l->g0; k < l->g1; k++) {
        const pb_pglyph *g = &para->g[k];
        if (g->ruby || g->artifact || !g->ntext || g->text < blk->text ||
            g->text >= blk->text + blk->len)
            continue;
        size_t at = (size_t)(g->text - blk->text);
        start = at < start ? at : start;
        end = at + g->ntext > end ? at + g->ntext : end;
    }
    if (end <= start)
        return PB_OK;
    size_t from = end - start > TIGHT_CONTEXT ? end - TIGHT_CONTEXT : start;
    for (size_t k = from; from > start && k < end; k++)
        if (blk->text[k] == ' ') { /* from a word's start */
            from = k + 1;
            break;
        }
    is->before = blk->text + from;
    is->before_len = end - from;
    return PB_OK;
}

/* A line the editor should hear about: overfull (value: pt past the measure) or tight
 * (note_tight) in any block; in a justified body paragraph, underfull (value: em short), or
 * with gaps a reader sees (pb_compose_gaps_shown), by the widest: letter-spaced (value: the
 * pitch of its ideographs, em), loose by its word spaces or its Han-Latin gaps (value: the
 * widest, em), every kind seen in gap_*; with the piece the next line starts with, which it
 * could not take. */
static pb_status note_issue(pb_pageout *o, const pb_para *para, size_t li)
{
    const pb_block *blk = para->block;
    const pb_cline *l = &para->lines[li];
    if (!blk)
        return PB_OK;
    o->out->n_ruby += l->n_ruby;
    o->out->ruby_off = fmax(o->out->ruby_off, l->ruby_off);
    if (l->n_ruby_off) {
        pb_status s = pb_pageout_add_issue(o->out, PB_ISSUE_RUBY_OFF, blk->line, l->ruby_off);
        if (s != PB_OK)
            return s;
        pb_issue *is = &o->out->issues[o->out->n_issues - 1];
        is->count = l->n_ruby_off;
        is->wide = l->n_ruby_wide;
        is->edge = l->n_ruby_edge;
    }
    if ((l->broke_tie || l->broke_host || l->broke_at || l->broke_capital) && l->next1 > l->next0) {
        pb_status s = l->broke_tie ? pb_pageout_add_issue(o->out, PB_ISSUE_TIE_BROKEN, blk->line,
                                                          l->broke_tie)
                      : l->broke_host || l->broke_at
                          ? pb_pageout_add_issue(o->out, PB_ISSUE_HOST_BROKEN, blk->line,
                                                 l->broke_host ? l->broke_host : l->broke_at)
                          : pb_pageout_add_issue(o->out, PB_ISSUE_CAPITAL_HYPHEN, blk->line,
                                                 l->broke_capital);
        if (s != PB_OK)
            return s;
        pb_issue *is = &o->out->issues[o->out->n_issues - 1];
        size_t to = l->next0;
        while (to > 0 && blk->text[to - 1] == ' ')
            to--; /* the space the line ended at */
        size_t from = to > TIE_CONTEXT ? to - TIE_CONTEXT : 0;
        int host = !l->broke_tie && (l->broke_host || l->broke_at);
        if (host && blk->marks) /* the address whole, up to its break */
            for (from = to; from > 0 && to - from < HOST_CONTEXT &&
                            (blk->marks[from - 1] & PB_MARK_URL);)
                from--;
        if (!l->broke_tie && !host && l->broke_capital) /* the word, up to its hyphen */
            for (from = to; from > 0 && to - from < HOST_CONTEXT &&
                            (pb_uchar_is_ascii_letter(blk->text[from - 1]) ||
                             blk->text[from - 1] == '-');)
                from--;
        is->before = blk->text + from;
        is->before_len = to - from;
        is->next = blk->text + l->next0;
        is->next_len = l->next1 - l->next0;
        if (host && blk->marks) /* the address's rest, to its end: "info@museum | .example.org" */
            for (size_t e = l->next0 + is->next_len; e < blk->len && (blk->marks[e] & PB_MARK_URL);
                 e++)
                is->next_len = e + 1 - l->next0;
        if (host) /* what breaking elsewhere would have done (compose.c) */
            copy_why(is, l, blk);
    }
    if (l->broke_cut && l->next1 > l->next0) { /* cut where no break may fall: said, as a tie is */
        pb_status s = pb_pageout_add_issue(o->out, PB_ISSUE_CUT, blk->line, l->broke_cut);
        if (s != PB_OK)
            return s;
        pb_issue *is = &o->out->issues[o->out->n_issues - 1];
        size_t to = l->next0, from = to > TIE_CONTEXT ? to - TIE_CONTEXT : 0;
        is->before = blk->text + from;
        is->before_len = to - from;
        is->next = blk->text + l->next0; /* the run goes on: its next few characters */
        is->next_len = l->next1 - l->next0 < TIE_CONTEXT ? l->next1 - l->next0 : TIE_CONTEXT;
        is->count = l->cut_hyphen;
    }
    if (l->excess > OVERFULL_FUZZ)
        return pb_pageout_note_overfull(o->out, para, li);
    if (l->squeeze > 0 && ((l->word_min > 0 && l->word_share < TIGHT_SPACE_SHARE) ||
                           (blk->lang == PB_LANG_ZH && l->letters < 1 - CONDENSED_SHOWN)))
        return note_tight(o, para, li);
    int justified = (blk->kind == PB_BLOCK_PARA || blk->kind == PB_BLOCK_INTRO) &&
                    o->lay->align == PB_ALIGN_JUSTIFY;
    if (!justified || l->last)
        return PB_OK;
    pb_status st = PB_OK;
    double gaps[PB_GAP_KINDS];
    int widest = pb_compose_gaps_shown(l, gaps);
    if (l->short_by > UNDERFULL_SHOWN_EM)
        st = pb_pageout_add_issue(o->out, PB_ISSUE_UNDERFULL, blk->line, l->short_by);
    else if (widest == PB_GAP_IDEO)
        st = pb_pageout_add_issue(o->out, PB_ISSUE_SPACED, blk->line, 1 + l->spacing);
    else if (widest == PB_GAP_WORD)
        st = pb_pageout_add_issue(o->out, PB_ISSUE_LOOSE, blk->line, l->word_space);
    else if (widest == PB_GAP_HAN_LATIN)
        st = pb_pageout_add_issue(o->out, PB_ISSUE_LOOSE_GAP, blk->line, l->han_latin);
    else
        return PB_OK;
    if (st != PB_OK)
        return st;
    pb_issue *is = &o->out->issues[o->out->n_issues - 1];
    is->lack = l->lack;
    is->gap_ideo = (float)gaps[PB_GAP_IDEO];
    is->gap_han_latin = (float)gaps[PB_GAP_HAN_LATIN];
    is->gap_word = (float)gaps[PB_GAP_WORD];
    if (l->next1 > l->next0) {
        is->next = blk->text + l->next0;
        is->next_len = l->next1 - l->next0;
        is->next_w = l->next_w;
        is->next_over = l->next_over;
        is->next_penalty = l->next_penalty;
        is->next_hyph_len = l->next_hyph > l->next0 ? l->next_hyph - l->next0 : 0;
        is->next_host = l->next_host;
    }
    copy_why(is, l, blk);
    return st;
}

pb_status pb_pageout_note_overfull(pb_pages *o, const pb_para *para, size_t li)
{
    const pb_cline *l = &para->lines[li];
    if (!para->block || l->excess <= OVERFULL_FUZZ)
        return PB_OK;
    return pb_pageout_add_issue(o, PB_ISSUE_OVERFULL, para->block->line, l->excess);
}

/* What to do about a letter-spaced line (the report's note says it at length). */
#define SPACED_REMEDY                                                                          \
    "let the text after it break (U+00AD SOFT HYPHEN inside a Latin word, U+200B ZERO WIDTH "  \
    "SPACE where a break may fall) or rephrase near it"

/* The layout section of a title or heading's size, by pb_issue.count of a head over. */
static const char *const DISPLAY_SECTIONS[] = {"heading", "title", "subheading"};

/* The pitch of a listed line's ideographs (em; 1: not spaced), whatever gap is its widest: a
 * line whose gaps beside Latin opened wider still is as letter-spaced. */
static double pitch_of(const pb_issue *is)
{
    if (is->kind == PB_ISSUE_SPACED)
        return is->value;
    return is->kind == PB_ISSUE_LOOSE || is->kind == PB_ISSUE_LOOSE_GAP ? 1 + is->gap_ideo : 1;
}

static int spaced_shown(const pb_issue *is) { return pitch_of(is) >= SPACED_WARN_EM; }

void pb_pageout_warn(const pb_pages *o, const char *file)
{
    for (size_t i = 0; i < o->n_issues; i++) {
        const pb_issue *is = &o->issues[i];
        if (is->kind == PB_ISSUE_RUBY_OFF && is->count > is->wide + is->edge)
            pb_diag_warning(file, is->line, 0,
                            "%u ruby annotation(s) on page %zu more than %.1f pt off their "
                            "bases' centres with no cause the placement knows of (not a group "
                            "too wide for its bases, not at a line's edge): see the report",
                            is->count - is->wide - is->edge, is->page + 1, PB_RUBY_OFF_SHOWN);
        if (is->kind == PB_ISSUE_KEEP_OVER && is->pairs > 1)
            pb_diag_warning(file, is->line, 0,
                            "{keep} not possible: the %u {keep} pairs in a row from here are "
                            "%.0f lines, a page holds %u; they are broken between pairs from "
                            "page %zu (end the run earlier, or shorten it)",
                            is->pairs, is->value, is->count, is->page + 1);
        else if (is->kind == PB_ISSUE_KEEP_OVER)
            pb_diag_warning(file, is->line, 0,
                            "{keep} not possible: the pair is %.0f lines, a page holds %u; it is "
                            "broken over pages from page %zu (shorten it, or split it into pairs "
                            "that fit)",
                            is->value, is->count, is->page + 1);
        if (is->kind == PB_ISSUE_HEAD_OVER)
            pb_diag_warning(file, is->line, 0,
                            "the %s is %.0f lines, taller than a page's text block (%.2f pt): "
                            "broken over pages from page %zu (lower [%s] size, or shorten it)",
                            is->count == 1 ? "title" : "heading", is->value, is->room,
                            is->page + 1, DISPLAY_SECTIONS[is->count]);
        if (is->kind == PB_ISSUE_HEAD_LONG)
            pb_diag_warning(file, is->line, 0,
                            "the heading is set on %.0f lines, more than %d (a paragraph marked "
                            "as a heading? a heading names its text in a line or two)",
                            is->value, PB_HEAD_LINES_MAX);
        if (!spaced_shown(is))
            continue;
        /* the paragraph's other such lines, up to the next such line of another paragraph */
        size_t n = 1, j = i + 1;
        double most = pitch_of(is);
        for (; j < o->n_issues; j++) {
            if (!spaced_shown(&o->issues[j]))
                continue;
            if (o->issues[j].line != is->line)
                break;
            n++;
            most = fmax(most, pitch_of(&o->issues[j]));
        }
        if (n == 1)
            pb_diag_warning(file, is->line, 0,
                            "line letter-spaced on page %zu, ideographs at a %.2f em pitch (%.2f em "
                            "gaps): " SPACED_REMEDY,
                            is->page + 1, pitch_of(is), pitch_of(is) - 1);
        else
            pb_diag_warning(file, is->line, 0,
                            "%zu lines letter-spaced, ideographs at up to a %.2f em pitch (%.2f em "
                            "gaps; the first on page %zu): " SPACED_REMEDY,
                            n, most, most - 1, is->page + 1);
        i = j - 1;
    }
}

pb_status pb_pageout_mark(pb_pageout *o, const pb_block *zh, double y)
{
    pb_pages *out = o->out;
    const pb_block *en = zh + 1 < o->doc->blocks + o->doc->n_blocks && zh[1].pair == zh->pair
                             ? zh + 1
                             : NULL;
    if (PB_GROW(out->marks, out->cap_marks, out->n_marks))
        return pb_diag_oom("making pages");
    size_t sep = sizeof MARK_SEP / sizeof MARK_SEP[0];
    size_t cap = PB_CORPUS_ONE_LINE_MAX(zh->len) + (en ? sep + PB_CORPUS_ONE_LINE_MAX(en->len) : 0);
    uint32_t *t = malloc((cap ? cap : 1) * sizeof *t);
    if (!t) {
        return pb_diag_oom("making pages");
    }
    /* a bookmark is one line */
    size_t len = pb_corpus_one_line(zh->text, zh->len, zh->lang, t);
    if (en) {
        memcpy(t + len, MARK_SEP, sizeof MARK_SEP);
        len += sep;
        len += pb_corpus_one_line(en->text, en->len, en->lang, t + len);
    }
    out->marks[out->n_marks++] = (pb_mark){t, len, out->n ? out->n - 1 : 0, y,
                                           zh->kind == PB_BLOCK_HEADING ? zh->level : 0};
    return PB_OK;
}

static pb_status pool_add(pb_pages *o, uint32_t *t)
{
    if (PB_GROW(o->pool, o->cap_pool, o->n_pool)) {
        free(t);
        return pb_diag_oom("making pages");
    }
    o->pool[o->n_pool++] = t;
    return PB_OK;
}

/* Compose a one-line text (folio, running head) owned by the pages' pool. */
static pb_status compose_line(pb_pageout *o, const uint32_t *text, size_t len, pb_lang lang,
                              int bold, double size, pb_line_align align, double measure,
                              pb_para *para)
{
    size_t cap = PB_CORPUS_ONE_LINE_MAX(len);
    uint32_t *t = malloc((cap ? cap : 1) * sizeof *t);
    uint32_t *cols = malloc((cap ? cap : 1) * sizeof *cols);
    if (!t || !cols) {
        free(t);
        free(cols);
        return pb_diag_oom("making pages");
    }
    len = pb_corpus_one_line(text, len, lang, t); /* a head or folio is one line */
    for (size_t i = 0; i < len; i++)
        cols[i] = (uint32_t)i + 1;
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

/* A leaflet's page after its first: its place in the series and that it goes on from the page
 * before, in both languages ("1 / 3 continued 續"; the English first, so the number takes the
 * Latin face as on the first page), so two pages of one leaflet do not read as one page twice. */
#define CONTINUED_HANT 0x7E8C /* 續 */
#define CONTINUED_HANS 0x7EED /* 续 */
static const char CONTINUED_EN[] = " continued";

/* The folio text of page p (ASCII but for a leaflet's 續): its number, or its leaflet's place
 * in the series (none for a document of one section: "1 / 1" tells nothing, and a one-page
 * leaflet needs no number; its later pages say only that they continue); the number of code
 * points. */
static size_t folio_text(const pb_pageout *o, const pb_page *p, int series, uint32_t *t, size_t cap)
{
    char num[32];
    int alone = series && o->doc->n_sections < 2;
    int n = alone    ? 0
            : series ? snprintf(num, sizeof num, "%d / %d", o->series, o->doc->n_sections)
                     : snprintf(num, sizeof num, "%d", p->folio);
    size_t len = 0;
    for (int k = 0; k < n && len < cap; k++)
        t[len++] = (unsigned char)num[k];
    if (series && p->folio > 1 && len + 2 + sizeof CONTINUED_EN <= cap) {
        const char *zh = o->lay->lang_zh; /* Simplified: a Hans script, or China, Singapore */
        int hans = strstr(zh, "Hans") || strstr(zh, "CN") || strstr(zh, "SG");
        for (const char *c = alone ? CONTINUED_EN + 1 : CONTINUED_EN; *c; c++)
            t[len++] = (unsigned char)*c;
        t[len++] = ' ';
        t[len++] = hans ? CONTINUED_HANS : CONTINUED_HANT;
    }
    return len;
}

/* Page i's folio ([footer] folio, or a leaflet's place in the series), at the foot. */
static pb_status add_folio(pb_pageout *o, size_t i)
{
    const pb_layout *l = o->lay;
    /* a leaflet stands alone: its foot may tell its place in the series instead ("2 / 5") */
    int series = l->series && l->product == PB_PRODUCT_LEAFLET && o->series > 0 &&
                 o->doc && o->doc->n_sections > 0;
    pb_page *p = &o->out->pages[i];
    if ((!l->folio && !series) || !p->folio)
        return PB_OK;
    uint32_t text[64];
    size_t n = folio_text(o, p, series, text, sizeof text / sizeof *text);
    if (n == 0)
        return PB_OK; /* nothing to say (a leaflet of a one-section document, its first page) */
    pb_para para;
    pb_status st = compose_line(o, text, n, PB_LANG_EN, 0, l->folio_size * o->scale,
                                PB_ALIGN_CENTER, pb_layout_measure(l), &para);
    if (st != PB_OK)
        return st;
    double y = l->margin_bottom - l->folio_offset;
    size_t g0 = p->n;
    for (size_t li = 0; li < para.n_lines && st == PB_OK; li++)
        st = pb_pageout_put_line(p, &para, li, left_of(l, i), y);
    mark_artifacts(p, g0, PB_ARTIFACT_PAGINATION);
    pb_compose_free_para(&para);
    return st;
}

/* ---- running heads ----------------------------------------------------------------------- */

typedef struct {
    uint32_t *t;
    size_t n, cap;
} u32buf;

static int u32_put(u32buf *s, const uint32_t *t, size_t n)
{
    if (pb_util_grow(&s->t, &s->cap, s->n + n, sizeof *s->t, 0))
        return 0;
    memcpy(s->t + s->n, t, n * sizeof *t);
    s->n += n;
    return 1;
}

/* A Chinese heading shortened to its first clause (up to a comma, semicolon or colon, or a
 * forced break: a title's first part). */
static size_t zh_clause(const pb_block *zh)
{
    for (size_t i = 0; i < zh->len; i++)
        if (zh->text[i] == 0xFF0C || zh->text[i] == ',' || zh->text[i] == 0xFF1B ||
            zh->text[i] == 0xFF1A || zh->text[i] == PB_LINE_BREAK)
            return i;
    return zh->len;
}

/* An English heading without its subtitle: up to its first forced break (a title's first part),
 * or whole when it has none. */
static size_t en_title(const pb_block *en)
{
    for (size_t i = 0; i < en->len; i++)
        if (en->text[i] == PB_LINE_BREAK)
            return i;
    return en->len;
}

/* An English heading up to its first colon ("Gallery 5: After Martial Law …"): the part a
 * Chinese head cut at its colon (第五展區：解嚴之後…) keeps, so the two halves are shortened
 * alike (review 9: "第五展區 · Gallery 5: After Martial Law and the Digital Age (1987– )").
 * Whole when it has none. */
static size_t en_label(const pb_block *en)
{
    for (size_t i = 0; i + 1 < en->len; i++)
        if (en->text[i] == ':' && en->text[i + 1] == ' ')
            return i;
    return en->len;
}

/* Words an English phrase starts with: a running head may end before one of them and still
 * read as a phrase ("... campaign | to raise ..."). */
static const char *const PHRASE_WORDS[] = {"to",   "for",  "of",      "and",  "or",   "in",
                                           "on",   "with", "by",      "among", "into", "from",
                                           "at",   "as",   "through", "that", "which", "while"};

static int is_phrase_word(const uint32_t *t, size_t n)
{
    for (size_t w = 0; w < sizeof PHRASE_WORDS / sizeof PHRASE_WORDS[0]; w++) {
        size_t k = 0;
        while (k < n && PHRASE_WORDS[w][k] && t[k] == (uint32_t)PHRASE_WORDS[w][k])
            k++;
        if (k == n && !PHRASE_WORDS[w][k])
            return 1;
    }
    return 0;
}

/* The places an English heading may be cut (lengths of its prefixes, ascending): phrase
 * boundaries (phrases = 1: before a phrase word, at a comma, semicolon or colon or a forced
 * break, before a dash; at least two words kept), or every word end (phrases = 0). Returns the
 * count. */
static size_t en_cuts(const pb_block *en, int phrases, size_t *cuts)
{
    size_t n = 0, words = 0;
    const uint32_t *t = en->text;
    for (size_t k = 1; k < en->len; k++) {
        int brk = t[k] == PB_LINE_BREAK;
        if ((t[k] != ' ' && !brk) || t[k - 1] == ' ' || t[k - 1] == PB_LINE_BREAK)
            continue;
        words++;
        if (!phrases) {
            cuts[n++] = k;
            continue;
        }
        size_t w = k + 1, e = w;
        while (e < en->len && t[e] >= 'a' && t[e] <= 'z')
            e++;
        int before_word = e < en->len ? t[e] == ' ' : 1;
        size_t end = k;
        int punct = t[k - 1] == ',' || t[k - 1] == ';' || t[k - 1] == ':' || brk;
        if (punct && !brk)
            end = k - 1;
        int cut = punct || (before_word && e > w && is_phrase_word(t + w, e - w)) ||
                  (w < en->len && (t[w] == 0x2014 || t[w] == 0x2013));
        if (cut && words >= 2)
            cuts[n++] = end;
    }
    return n;
}

/* A running head: the Chinese part (set as Chinese) and the English part (set as English, so
 * its quotes are Latin). */
typedef struct {
    int set;
    pb_para zh, en;
    double zh_w, en_w;      /* pt, the parts' widths (en_w with its separator) */
    size_t zl, el;          /* code points of each part shown */
    int ellipsis;           /* the English part ends in one */
    int dropped;            /* 1: the English part left out (too wide even cut); 2: the head */
    size_t en_skip;         /* code points left out at the English part's start */
    const char *rule;       /* how it was shortened, NULL: not */
} head_text_t;

static void head_free(head_text_t *h)
{
    pb_compose_free_para(&h->zh);
    pb_compose_free_para(&h->en);
}

/* Separator in front of the English part: a visible middle dot, so the head does not read as
 * one Han-Latin run. */
static const uint32_t HEAD_SEP[] = {' ', 0x00B7, ' '};

/* How wide a head's parts may be (pt): together (one column), or each over its column. */
typedef struct {
    int split;              /* the parallel product: Chinese over its column, English over its */
    double both, zh, en;
} head_room;

static int head_fits(const head_room *r, const head_text_t *h)
{
    if (r->split)
        return h->zh_w <= r->zh + EPS && h->en_w <= r->en + EPS;
    return h->zh_w + h->en_w <= r->both + EPS;
}

static pb_status head_try(pb_pageout *o, const pb_block *zh, size_t zl, const pb_block *en,
                          size_t el, int ellipsis, int sep, double size, head_text_t *h)
{
    head_free(h);
    memset(h, 0, sizeof *h);
    pb_status st = PB_OK;
    if (zh && zl)
        st = compose_line(o, zh->text, zl, PB_LANG_ZH, 0, size, PB_ALIGN_START,
                          UNBOUNDED_MEASURE, &h->zh);
    if (st == PB_OK && en && el) {
        u32buf s = {0};
        int ok = 1;
        if (sep && zh && zl)
            ok &= u32_put(&s, HEAD_SEP, sizeof HEAD_SEP / sizeof HEAD_SEP[0]);
        ok &= u32_put(&s, en->text, el);
        if (ellipsis)
            ok &= u32_put(&s, ELLIPSIS, 1);
        st = ok ? compose_line(o, s.t, s.n, PB_LANG_EN, 0, size, PB_ALIGN_START,
                               UNBOUNDED_MEASURE, &h->en)
                : pb_diag_oom("making pages");
        free(s.t);
    }
    h->zh_w = h->zh.n_lines ? h->zh.lines[0].width : 0;
    h->en_w = h->en.n_lines ? h->en.lines[0].width : 0;
    h->zl = zl, h->el = el, h->ellipsis = ellipsis;
    h->set = 1;
    return st;
}

/* The longest of the English cuts[0..n) that fits, by bisection (a long title costs
 * log2(n) compositions, not n); h is left set with it, or with the shortest when none fits.
 * Returns 1 when one fits. */
static int head_longest(pb_pageout *o, const pb_block *zh, size_t zl, const pb_block *en,
                        const size_t *cuts, size_t n, int ellipsis, int sep, double size,
                        const head_room *r, head_text_t *h, pb_status *st)
{
    size_t lo = 0, hi = n; /* cuts[lo - 1] fits (lo = 0: none known), cuts[hi] does not */
    while (lo < hi && *st == PB_OK) {
        size_t mid = (lo + hi + 1) / 2;
        *st = head_try(o, zh, zl, en, cuts[mid - 1], ellipsis, sep, size, h);
        if (head_fits(r, h))
            lo = mid;
        else
            hi = mid - 1;
    }
    if (*st == PB_OK && n)
        *st = head_try(o, zh, zl, en, cuts[lo ? lo - 1 : 0], ellipsis, sep, size, h);
    return *st == PB_OK && lo > 0;
}

/* A head still too wide when shortened every way (a large [header] size): never set past the
 * text block's edge (or off the page): the English part left out, then the head. */
static pb_status head_drop(pb_pageout *o, const pb_block *zh, size_t zl, double size,
                           const head_room *r, head_text_t *h)
{
    if (head_fits(r, h))
        return PB_OK;
    pb_status st = zh && zl ? head_try(o, zh, zl, NULL, 0, 0, 0, size, h) : PB_OK;
    if (st == PB_OK && zh && zl && head_fits(r, h)) {
        h->rule = "the English part left out: too wide even cut";
        h->dropped = 1;
    } else if (st == PB_OK) {
        head_free(h);
        memset(h, 0, sizeof *h);
        h->set = 1;
        h->rule = "left out: too wide even cut";
        h->dropped = 2;
    }
    return st;
}

/* The running head for a pair, shortened until it fits: the whole pair; the Chinese to its
 * first clause, and when that drops a subtitle (the clause ends at a forced break) the English
 * drops its subtitle too, or when it ends at a colon the English to its colon, the two halves
 * of one head shortened alike; the English to its first phrase (a head is the heading's opening phrase, not
 * the longest prefix that fits: "... campaign", not "... campaign to raise the sense"); else
 * whole English words and an ellipsis (said as a warning: {short="..."} is the remedy). */
static pb_status head_text(pb_pageout *o, const pb_block *zh, const pb_block *en, double size,
                           const head_room *r, head_text_t *h)
{
    int sep = !r->split;
    size_t zl = zh ? zh->len : 0, el = en ? en->len : 0;
    pb_status st = head_try(o, zh, zl, en, el, 0, sep, size, h);
    if (st != PB_OK || head_fits(r, h))
        return st;
    const char *rule = NULL;
    if (zh && zh_clause(zh) < zl) {
        zl = zh_clause(zh);
        rule = "the Chinese to its first clause";
        if (en && zh->text[zl] == PB_LINE_BREAK && en_title(en) < el) {
            el = en_title(en);
            rule = "both to the title, without the subtitle";
        } else if (en && (zh->text[zl] == 0xFF1A || zh->text[zl] == ':') && en_label(en) < el) {
            el = en_label(en);
            rule = "both to the part before the colon";
        }
        if ((st = head_try(o, zh, zl, en, el, 0, sep, size, h)) != PB_OK || head_fits(r, h)) {
            h->rule = rule;
            return st;
        }
    }
    if (!en || el == 0)
        return head_drop(o, zh, zl, size, r, h);
    size_t *cuts = malloc((el + 1) * sizeof *cuts);
    if (!cuts)
        return pb_diag_oom("making pages");
    size_t n = en_cuts(en, 1, cuts);
    /* the number once: the English part drops its enumerator when the Chinese part has one */
    size_t skip = zh && zl && pb_corpus_enumerator_len(zh) ? pb_corpus_enumerator_len(en) : 0;
    pb_block rest = *en;
    rest.text += skip, rest.len -= skip;
    if (n && (st = head_try(o, zh, zl, en, cuts[0], 0, sep, size, h)) == PB_OK && head_fits(r, h)) {
        h->rule = rule ? "the Chinese to its first clause, the English to its first phrase"
                       : "the English to its first phrase";
    } else if (st == PB_OK && n && skip && cuts[0] > skip &&
               (st = head_try(o, zh, zl, &rest, cuts[0] - skip, 0, sep, size, h)) == PB_OK &&
               head_fits(r, h)) {
        h->rule = rule ? "the Chinese to its first clause, the English to its first phrase "
                         "without its number"
                       : "the English to its first phrase without its number";
        h->en_skip = skip;
    } else if (st == PB_OK) {
        n = en_cuts(en, 0, cuts);
        head_longest(o, zh, zl, en, cuts, n, 1, sep, size, r, h, &st);
        h->rule = "the English cut at a word, with an ellipsis";
    }
    free(cuts);
    return st == PB_OK ? head_drop(o, zh, zl, size, r, h) : st;
}

/* A shortened head, for the report (its text in the pages' pool); a head cut with an ellipsis
 * is also a warning at its heading's line. */
static pb_status note_head(pb_pageout *o, int section, const pb_block *zh, const pb_block *en,
                           const head_text_t *h)
{
    pb_pages *out = o->out;
    const pb_block *at = zh ? zh : en;
    const char *what = section ? "heading" : "title";
    if (h->dropped)
        pb_diag_warning(o->doc->file, at->line, 0,
                        "the running head of this %s is too wide for the text block at [header] "
                        "size = %g pt even cut with an ellipsis: %s; give it a short form "
                        "({short=\"...\"} on its line) or a smaller [header] size",
                        what, o->lay->header_size * o->scale,
                        h->dropped == 1 ? "its English part is left out"
                                        : "its pages carry no running head");
    else if (h->ellipsis)
        pb_diag_warning(o->doc->file, at->line, 0,
                        "the running head of this %s is cut with an ellipsis; give it a short "
                        "form: {short=\"...\"} on its line", what);
    size_t len = PB_CORPUS_ONE_LINE_MAX(h->zl) + (sizeof HEAD_SEP / sizeof HEAD_SEP[0]) +
                 PB_CORPUS_ONE_LINE_MAX(h->el) + 1;
    uint32_t *t = malloc(len * sizeof *t);
    if (!t)
        return pb_diag_oom("making pages");
    size_t n = 0; /* as compose_line() sets it: one line */
    if (h->zl)
        n = pb_corpus_one_line(zh->text, h->zl, PB_LANG_ZH, t);
    if (h->zl && h->el)
        memcpy(t + n, HEAD_SEP, sizeof HEAD_SEP), n += sizeof HEAD_SEP / sizeof HEAD_SEP[0];
    if (h->el)
        n += pb_corpus_one_line(en->text + h->en_skip, h->el, PB_LANG_EN, t + n);
    if (h->ellipsis)
        t[n++] = ELLIPSIS[0];
    pb_status st = pool_add(out, t);
    if (st != PB_OK)
        return st;
    if (PB_GROW(out->heads, out->cap_heads, out->n_heads))
        return pb_diag_oom("making pages");
    out->heads[out->n_heads++] = (pb_headnote){section, at->line, t, n, h->rule, h->ellipsis};
    return PB_OK;
}

/* A heading block with its {short="..."} as its text, for its running head. */
static const pb_block *short_form(const pb_block *b, pb_block *tmp)
{
    if (!b || !b->short_title)
        return b;
    *tmp = *b;
    tmp->text = b->short_title, tmp->len = b->short_len;
    return tmp;
}

/* Two heads' texts alike (either may be NULL). */
static int same_block_text(const pb_block *a, const pb_block *b)
{
    if (!a || !b)
        return a == b;
    return a->len == b->len && memcmp(a->text, b->text, a->len * sizeof *a->text) == 0;
}

/* Each head a page may show (slot 0 the title's, slot s + 1 section s's): its pair in short
 * form, and the slot whose set head it shares (the first with the same texts: a head is set
 * once per distinct text, not once per section). */
typedef struct {
    const pb_block *zh, *en;
    pb_block short_zh, short_en;
    uint64_t hash;          /* of both texts, to find a slot's twin */
    size_t same;            /* the slot holding its head */
} head_slot;

static void head_slots(const pb_doc *doc, head_slot *slots, size_t n)
{
    for (size_t i = 0; i < doc->n_blocks && doc->blocks[i].kind == PB_BLOCK_TITLE; i++)
        *(doc->blocks[i].lang == PB_LANG_ZH ? &slots[0].zh : &slots[0].en) = &doc->blocks[i];
    for (size_t k = 0; k < doc->n_blocks; k++) {
        const pb_block *blk = &doc->blocks[k];
        if (blk->kind == PB_BLOCK_HEADING && blk->level == 1 && blk->section > 0 &&
            (size_t)blk->section + 1 < n)
            *(blk->lang == PB_LANG_ZH ? &slots[blk->section + 1].zh
                                      : &slots[blk->section + 1].en) = blk;
    }
    for (size_t s = 0; s < n; s++) {
        head_slot *h = &slots[s];
        h->zh = short_form(h->zh, &h->short_zh);
        h->en = short_form(h->en, &h->short_en);
        h->hash = PB_UTIL_HASH_INIT;
        if (h->zh)
            h->hash = pb_util_hash(h->hash, h->zh->text, h->zh->len * sizeof *h->zh->text);
        h->hash = pb_util_hash(h->hash, "|", 1);
        if (h->en)
            h->hash = pb_util_hash(h->hash, h->en->text, h->en->len * sizeof *h->en->text);
        h->same = s;
        for (size_t t = 0; t < s; t++)
            if (slots[t].same == t && slots[t].hash == h->hash &&
                same_block_text(slots[t].zh, h->zh) && same_block_text(slots[t].en, h->en)) {
                h->same = t;
                break;
            }
    }
}

/* The running heads set so far (each once), kept while the pages are finished one by one. */
struct pb_pageout_heads {
    head_room room;
    size_t n;               /* slots: the title's, then one per section */
    head_text_t *cache;     /* per slot that holds its head (head_slot.same) */
    head_slot *slots;
    uint8_t *noted;         /* per slot: its shortening told */
    size_t mark;            /* the first bookmark not on a page before the one finished */
};

static void heads_free(struct pb_pageout_heads *hs)
{
    if (!hs)
        return;
    for (size_t k = 0; hs->cache && k < hs->n; k++)
        head_free(&hs->cache[k]);
    free(hs->cache);
    free(hs->slots);
    free(hs->noted);
    free(hs);
}

static pb_status heads_new(pb_pageout *o)
{
    const pb_layout *l = o->lay;
    struct pb_pageout_heads *hs = calloc(1, sizeof *hs);
    if (!hs)
        return pb_diag_oom("making pages");
    o->heads = hs;
    hs->room = (head_room){l->product == PB_PRODUCT_PARALLEL, pb_layout_measure(l), 0, 0};
    if (hs->room.split) {
        double w[2];
        pb_layout_columns(l, w);
        hs->room.zh = w[0], hs->room.en = w[1];
    }
    hs->n = (size_t)o->doc->n_sections + 2;
    hs->cache = calloc(hs->n, sizeof *hs->cache);
    hs->slots = calloc(hs->n, sizeof *hs->slots);
    hs->noted = calloc(hs->n, 1);
    if (!hs->cache || !hs->slots || !hs->noted)
        return pb_diag_oom("making pages");
    head_slots(o->doc, hs->slots, hs->n);
    return PB_OK;
}

/* Page i's running head, by this convention: every numbered page carries one except the page
 * that sets the document's title and a page left blank; a page opening with a section is not
 * special (no shipped product starts sections on new pages), so it carries that section's
 * head. The verso shows what [header] verso says (the title), the recto what recto says (the
 * section of the page's first line: the one in force at its top, TeX's \topmark (The TeXbook
 * ch. 23), or the one whose heading opens the page: a head never names a section that has
 * nothing on its page), both languages, at the outer edge; the parallel product sets the
 * Chinese part over the Chinese column and the English over the English. Each head is set
 * once (the title; each distinct section heading) and reused on every page showing it; a
 * section's shortening is noted once, on its first page. Pages are finished in order. */
static pb_status add_running_head(pb_pageout *o, size_t i)
{
    const pb_layout *l = o->lay;
    if (!l->header)
        return PB_OK;
    pb_status st;
    if (!o->heads && (st = heads_new(o)) != PB_OK)
        return st;
    struct pb_pageout_heads *hs = o->heads;
    const pb_pages *out = o->out;
    int title_page = 0; /* the page sets the document's title */
    while (hs->mark < out->n_marks && out->marks[hs->mark].page < i)
        hs->mark++;
    for (size_t m = hs->mark; m < out->n_marks && out->marks[m].page == i; m++)
        title_page |= out->marks[m].level == 0;
    pb_page *p = &o->out->pages[i];
    if (p->cover || !p->folio || p->n_lines == 0 || title_page)
        return PB_OK;
    int recto = i % 2 == 0;
    pb_head_content what = recto ? l->head_recto : l->head_verso;
    if (what == PB_HEAD_NONE)
        return PB_OK;
    int section = what == PB_HEAD_SECTION ? p->section_top : 0; /* 0: the title */
    size_t slot = section > 0 && (size_t)section + 1 < hs->n ? (size_t)section + 1 : 0;
    const pb_block *zh = hs->slots[slot].zh, *en = hs->slots[slot].en;
    head_text_t *h = &hs->cache[hs->slots[slot].same];
    if (!zh && !en)
        return PB_OK; /* nothing to show */
    if (!h->set && (st = head_text(o, zh, en, l->header_size * o->scale, &hs->room, h)) != PB_OK)
        return st;
    if (!hs->noted[slot]) {
        hs->noted[slot] = 1;
        if (h->rule && (st = note_head(o, section, zh, en, h)) != PB_OK)
            return st;
    }
    /* at the outer edge: left on versos, right on rectos; split: each over its column */
    const head_room *room = &hs->room;
    double left = left_of(l, i), y = pb_layout_top(l) + l->header_offset;
    double zx = left + (recto ? room->both - h->zh_w - h->en_w : 0), ex = zx + h->zh_w;
    if (room->split)
        zx = left, ex = left + room->zh + l->gutter;
    size_t g0 = p->n;
    st = PB_OK;
    if (h->zh.n_lines)
        st = pb_pageout_put_line(p, &h->zh, 0, zx, y);
    if (st == PB_OK && h->en.n_lines)
        st = pb_pageout_put_line(p, &h->en, 0, ex, y);
    mark_artifacts(p, g0, PB_ARTIFACT_PAGINATION);
    return st;
}

static pb_status settle(pb_pageout *o);

/* ---- placing the vertical list ----------------------------------------------------------- */

/* A list item's bullet, hung in its indent on its first baseline (a layout decoration: the
 * item's text is the text). Both languages take the Latin face's bullet: the CJK faces draw
 * U+2022 at a third of its Latin size, and one mark must look the same whichever language
 * carries it (a stacked pair's one bullet, galley.c stacked_pair(); a column's each). */
static pb_status put_bullet(pb_pageout *o, pb_page *p, const pb_para *item, double size, double x,
                            double y)
{
    pb_para para;
    pb_status st = compose_line(o, BULLET, 1, PB_LANG_EN, 0, size, PB_ALIGN_START,
                                UNBOUNDED_MEASURE, &para);
    if (st != PB_OK)
        return st;
    size_t g0 = p->n, l0 = p->n_lines;
    for (size_t li = 0; li < para.n_lines && st == PB_OK; li++)
        st = pb_pageout_put_line(p, &para, li, x, y);
    mark_artifacts(p, g0, PB_ARTIFACT_LAYOUT);
    for (size_t k = l0; k < p->n_lines; k++) { /* the item's label (tagged as its Lbl) */
        p->lines[k].block = item->block;
        p->lines[k].label = 1;
    }
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

/* The English (column 1) lines of the row boxes [j0, j1) of l, to line. */
static pb_status row_english(const pb_vlist *l, size_t j0, size_t j1,
                             pb_status (*line)(void *ctx, size_t j, const pb_vline *vl), void *ctx)
{
    pb_status st = PB_OK;
    for (size_t j = j0; j < j1 && st == PB_OK; j++)
        for (size_t c = 0; l->v[j].kind == PB_V_BOX && c < l->v[j].n_lines && st == PB_OK; c++)
            if (l->v[j].line[c].col == 1)
                st = line(ctx, j, &l->v[j].line[c]);
    return st;
}

pb_status pb_pageout_each_line(const pb_vlist *l, size_t from, size_t end,
                               pb_status (*item)(void *ctx, size_t j),
                               pb_status (*line)(void *ctx, size_t j, const pb_vline *vl),
                               void *ctx)
{
    pb_status st = PB_OK;
    size_t row0 = SIZE_MAX; /* the first box of a run of rows (SIZE_MAX: none) */
    for (size_t j = from; j <= end && st == PB_OK; j++) {
        const pb_vitem *it = j < end ? &l->v[j] : NULL;
        int row = it && it->kind == PB_V_BOX && (it->flags & PB_VF_ROW);
        if (row0 != SIZE_MAX && (!it || (!row && it->kind != PB_V_PENALTY))) {
            st = row_english(l, row0, j, line, ctx);
            row0 = SIZE_MAX;
        }
        if (!it || st != PB_OK)
            break;
        if (row && row0 == SIZE_MAX)
            row0 = j;
        if (item && (st = item(ctx, j)) != PB_OK)
            break;
        for (size_t c = 0; it->kind == PB_V_BOX && c < it->n_lines && st == PB_OK; c++)
            if (!row || it->line[c].col == 0) /* a row's English line comes after */
                st = line(ctx, j, &it->line[c]);
    }
    return st;
}

/* A page whose text ends more than this share of the text block above its foot is short: the
 * hole a rule that yields would not leave (vlist.h PB_VCOST_PAIR_SHORT, a fifth of a page). */
#define SHORT_PAGE_SHARE 0.2

/* The source line of the first text after item i of l (a heading's, when a heading comes
 * first), or 0: none. */
static int line_after(const pb_vlist *l, size_t i)
{
    for (; i < l->n; i++) {
        const pb_vitem *it = &l->v[i];
        if (it->kind != PB_V_BOX)
            continue;
        if (it->mark)
            return it->mark->line;
        if (it->n_lines && it->line[0].para && it->line[0].para->block)
            return it->line[0].para->block->line;
    }
    return 0;
}

/* Why a page that ends at break `end`, its text h pt of `room`, could take no more: the rule
 * that prices the first place past it the page could have ended at and still held (pb_vwhy;
 * *line, the source line of the block it keeps); the same-spread rule at a break inside a pair
 * on a recto; PB_VWHY_NONE when nothing past it fits, or a free place did (the page ended early
 * for what the pages after it must keep). */
static pb_vwhy short_cause(const pb_vlist *l, size_t end, double h, double room, int recto,
                           int *line)
{
    *line = 0;
    for (size_t j = end + 1; j < l->n; j++) {
        const pb_vitem *it = &l->v[j];
        if (it->kind != PB_V_PENALTY) {
            h += it->kind == PB_V_BOX ? it->height + it->depth : it->height;
            if (h > room + EPS)
                break;
            continue;
        }
        *line = it->why_line;
        if (it->why != PB_VWHY_NONE)
            return (pb_vwhy)it->why;
        return recto && (it->flags & PB_VF_PAIR) ? PB_VWHY_SPREAD : PB_VWHY_NONE;
    }
    *line = 0;
    return PB_VWHY_NONE;
}

/* A page being placed (pb_pageout_each_line's context). */
typedef struct {
    pb_pageout *o;
    const pb_vlist *l;
    pb_page *p;
    double *row_base;       /* per item: its baseline (pt) */
    double cursor;          /* pt: the top of the next item */
    double ratio;           /* of the glue's stretch taken (a leaflet's filled last page; < 0:
                             * of its shrink, a last page that takes more than its room) */
    double left;            /* pt: the text block's left edge */
    double room;            /* pt: the text block's height */
    int opened;             /* a box placed on this page */
} placing;

/* Item j of the page: the glue's space, a box's bookmark, issues and baseline. */
static pb_status place_item(void *ctx, size_t j)
{
    placing *pc = ctx;
    pb_pageout *o = pc->o;
    const pb_vitem *it = &pc->l->v[j];
    pb_status st = PB_OK;
    if (it->kind == PB_V_GLUE) {
        pc->cursor -= it->height + pc->ratio * (pc->ratio < 0 ? it->shrink : it->stretch);
        return PB_OK;
    }
    if (it->kind != PB_V_BOX)
        return PB_OK;
    if (it->flags & PB_VF_SECTION)
        o->in_force = it->section;
    if (!pc->opened) { /* the page's head names the section of its first line */
        pc->p->section_top = o->in_force;
        pc->opened = 1;
    }
    if ((it->flags & PB_VF_MARK) && it->mark)
        st = pb_pageout_mark(o, it->mark, pc->cursor);
    pb_issue_kind over = (it->flags & PB_VF_KEEP_OVER) ? PB_ISSUE_KEEP_OVER : PB_ISSUE_VERSE_OVER;
    if (st == PB_OK && (it->flags & (PB_VF_KEEP_OVER | PB_VF_VERSE_OVER)) && it->n_lines &&
        (st = pb_pageout_add_issue(o->out, over, it->line[0].para->block->line,
                                   it->kept_lines)) == PB_OK)
    {
        pb_issue *is = &o->out->issues[o->out->n_issues - 1];
        is->count = (unsigned)floor(pc->room / (o->lay->leading * o->scale) + PB_LAYOUT_CHAR_EPS);
        is->pairs = it->kept_pairs;
    }
    if (st == PB_OK && (it->flags & PB_VF_HEAD_LONG) && it->n_lines)
        st = pb_pageout_add_issue(o->out, PB_ISSUE_HEAD_LONG, it->line[0].para->block->line,
                                  it->kept_lines);
    if (st == PB_OK && (it->flags & PB_VF_HEAD_OVER) && it->n_lines &&
        (st = pb_pageout_add_issue(o->out, PB_ISSUE_HEAD_OVER, it->line[0].para->block->line,
                                   it->kept_lines)) == PB_OK)
    {
        pb_issue *is = &o->out->issues[o->out->n_issues - 1];
        is->room = pc->room;
        const pb_block *b = it->line[0].para->block;
        is->count = b->kind == PB_BLOCK_TITLE ? 1 : b->level >= 2 ? 2 : 0;
    }
    pc->row_base[j] = pc->cursor - it->height;
    pc->cursor = pc->row_base[j] - it->depth - (pc->ratio < 0 ? pc->ratio * it->shrink : 0);
    return st;
}

/* A line of item j on the page, on its box's baseline. */
static pb_status place_vline(void *ctx, size_t j, const pb_vline *vl)
{
    placing *pc = ctx;
    return place_line(pc->o, pc->p, vl, pc->left, pc->row_base[j]);
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
        if ((o->open && (st = o->open(o->placed_ctx, i, end)) != PB_OK) ||
            (st = pb_pageout_new_page(o, 0)) != PB_OK)
            break;
        size_t page = o->out->n - 1;
        pb_page *p = &o->out->pages[page];
        double h = 0, stretch = 0, give = 0; /* pt: the page's text as broken, its glue's
                                               * stretch and shrink */
        for (size_t j = i; j < end; j++) {
            const pb_vitem *it = &l->v[j];
            h += it->kind == PB_V_BOX ? it->height + it->depth
                 : it->kind == PB_V_GLUE ? it->height : 0;
            stretch += it->kind == PB_V_GLUE ? it->stretch : 0;
            give += it->kind == PB_V_PENALTY ? 0 : it->shrink;
        }
        /* filling the last page: the space between blocks grows, each as far as its stretch (a
         * page whose text goes on is full as broken); a last page broken to take more than its
         * room (pagebreak.h last_shrink) gives it up from that space, each as far as its shrink */
        double ratio = 0;
        if (fill && k + 1 == n_pages && stretch > 0 && room > h)
            ratio = fmin((room - h) / stretch, 1.0);
        if (k + 1 == n_pages && give > 0 && h > room)
            ratio = -fmin((h - room) / give, 1.0);
        /* a page left short by the rules that do not yield (a heading kept with its text, a pair
         * or a {keep} run kept whole): the editor hears of it, at what went on to the next page
         * (a leaflet's too: its pages run on as a booklet's do) */
        if (k + 1 < n_pages && room > 0 && (room - h) / room > SHORT_PAGE_SHARE) {
            if ((st = pb_pageout_add_issue(o->out, PB_ISSUE_SHORT_PAGE, line_after(l, end),
                                           (room - h) / room)) != PB_OK)
                break;
            pb_issue *is = &o->out->issues[o->out->n_issues - 1];
            is->cause = short_cause(l, end, h, room, page % 2 == 0, &is->cause_line);
        }
        placing pc = {o, l, p, row_base, pb_layout_top(lay), ratio, left_of(lay, page), room, 0};
        st = pb_pageout_each_line(l, i, end, place_item, place_vline, &pc);
        p->section = o->in_force;
        s = end + 1;
        if (st == PB_OK && o->placed)
            st = o->placed(o->placed_ctx, end);
        if (st == PB_OK && o->ship) /* the page is final: on with it */
            st = settle(o);
    }
    free(row_base);
    return st;
}

/* Finish the pages made since the last call (folio number, running head, folio), then hand
 * every page made to o->ship, in order. */
static pb_status settle(pb_pageout *o)
{
    pb_status st = PB_OK;
    for (; o->finished < o->out->n && st == PB_OK; o->finished++) {
        size_t i = o->finished;
        pb_page *p = &o->out->pages[i];
        p->folio = p->cover ? 0 : ++o->folios;
        st = add_running_head(o, i);
        if (st == PB_OK)
            st = add_folio(o, i);
    }
    return st == PB_OK ? pb_pageout_ship(o) : st;
}

pb_status pb_pageout_ship(pb_pageout *o)
{
    pb_status st = PB_OK;
    for (; o->ship && o->shipped < o->out->n && st == PB_OK; o->shipped++)
        st = o->ship(o->ship_ctx, o->out, o->shipped);
    return st;
}

pb_status pb_pageout_finish(pb_pageout *o)
{
    if (o->out->n == 0) {
        pb_status st = pb_pageout_new_page(o, 0);
        if (st != PB_OK)
            return st;
    }
    return settle(o);
}

void pb_pageout_recycle(pb_pageout *o, pb_page *p)
{
    if (p->cap >= o->spare.cap) { /* the larger kept */
        free(o->spare.g);
        o->spare.g = p->g, o->spare.cap = p->cap;
    } else {
        free(p->g);
    }
    if (p->cap_lines >= o->spare.cap_lines) {
        free(o->spare.lines);
        o->spare.lines = p->lines, o->spare.cap_lines = p->cap_lines;
    } else {
        free(p->lines);
    }
    p->g = NULL, p->lines = NULL;
    p->n = p->cap = p->n_lines = p->cap_lines = 0;
}

void pb_pageout_fini(pb_pageout *o)
{
    heads_free(o->heads);
    o->heads = NULL;
    free(o->spare.g);
    free(o->spare.lines);
    memset(&o->spare, 0, sizeof o->spare);
}
