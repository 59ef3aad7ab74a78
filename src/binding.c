/* binding: saddle stitching folds sheets of four pages, so a booklet has a multiple of four
 * pages; the pages the text leaves over are blank and stand before the back cover, whose
 * outside (next to the front cover on the press sheet, and what a reader sees on the table)
 * never carries text. The colophon, when the layout asks for one, stands on the back cover. */
#include "binding.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive.h"

#define PAGES_PER_SHEET PB_BINDING_PAGES_PER_SHEET
/* Lines too wide for any page: the colophon is set line by line, then sized to the measure. */
#define UNBOUNDED_MEASURE PB_COMPOSE_UNBOUNDED
/* "YYYY-MM-DD": the date part of an ISO 8601 date-time (ISO 8601-1:2019 §5.2.2). */
#define ISO_DATE_LEN 10
static const char SET_FROM[] = "Set from corpus SHA-256";

/* Code points of s (ASCII) after text, with a forced line break before them when text has
 * some. */
static void append_ascii(uint32_t *text, size_t *len, const char *s)
{
    if (*len)
        text[(*len)++] = PB_LINE_BREAK;
    for (; *s; s++)
        text[(*len)++] = (unsigned char)*s;
}

/* A block of the pages' own (pb_pages.blocks[k]) holding cap code points; its text and col
 * arrays owned by the pages. */
static pb_status own_block(pb_pages *out, size_t k, const pb_block *like, size_t cap)
{
    pb_block *b = &out->blocks[k];
    *b = (pb_block){0};
    b->kind = PB_BLOCK_PARA;
    b->lang = like->lang;
    b->pair = like->pair;
    b->text = malloc((cap ? cap : 1) * sizeof *b->text);
    b->col = malloc((cap ? cap : 1) * sizeof *b->col);
    out->n_blocks = k + 1;
    if (!b->text || !b->col)
        return pb_diag_oom("setting the colophon");
    for (size_t i = 0; i < cap; i++)
        b->col[i] = (uint32_t)i + 1;
    return PB_OK;
}

/* The colophon's two blocks: the Chinese title; the English title, the date and the corpus's
 * hash. They are a pair of their own, after the document's last. */
static pb_status colophon_blocks(pb_pageout *o, const pb_colophon *info)
{
    const pb_doc *doc = o->doc;
    const pb_block *title[2] = {NULL, NULL};
    int last_pair = 0;
    for (size_t i = 0; i < doc->n_blocks; i++) {
        const pb_block *b = &doc->blocks[i];
        if (b->kind == PB_BLOCK_TITLE && !title[b->lang])
            title[b->lang] = b;
        if (b->pair > last_pair)
            last_pair = b->pair;
    }
    char date[PB_ARCHIVE_DATE_MAX] = "";
    char hex[2 * PB_ARCHIVE_SHA256_SIZE + 1] = "";
    if (info && info->date > 0) {
        pb_archive_xmp_date(info->date, date);
        date[ISO_DATE_LEN] = '\0';
    }
    if (info && info->sha256)
        pb_archive_hex(info->sha256, PB_ARCHIVE_SHA256_SIZE, hex);
    pb_pages *out = o->out;
    out->blocks = calloc(2, sizeof *out->blocks); /* never grown: lines point into it */
    if (!out->blocks)
        return pb_diag_oom("setting the colophon");
    for (int lang = PB_LANG_ZH; lang <= PB_LANG_EN; lang++) {
        const pb_block *t = title[lang];
        pb_block like = {0};
        like.lang = (pb_lang)lang;
        like.pair = last_pair + 1;
        /* the extra lines: a break and the text each */
        size_t extra = lang == PB_LANG_EN ? 3 + sizeof SET_FROM + sizeof hex + sizeof date : 0;
        pb_status st = own_block(out, (size_t)lang, &like, (t ? t->len : 0) + extra);
        if (st != PB_OK)
            return st;
        pb_block *b = &out->blocks[lang];
        if (t) {
            memcpy(b->text, t->text, t->len * sizeof *b->text);
            b->len = t->len;
        }
        if (lang == PB_LANG_EN) {
            if (date[0])
                append_ascii(b->text, &b->len, date);
            if (hex[0]) {
                append_ascii(b->text, &b->len, SET_FROM);
                append_ascii(b->text, &b->len, hex);
            }
        }
    }
    return PB_OK;
}

/* The colophon on page p: both blocks at the folio's size, each line centred on the page, the
 * last baseline on the foot of the text block; the size shrinks to the measure if need be. */
static pb_status set_colophon(pb_pageout *o, pb_page *p, const pb_colophon *info)
{
    const pb_layout *l = o->lay;
    pb_status st = colophon_blocks(o, info);
    if (st != PB_OK)
        return st;
    pb_pages *out = o->out;
    pb_para paras[2] = {{0}};
    double size = l->folio_size * o->scale;
    for (int pass = 0; pass < 2 && st == PB_OK; pass++) {
        double widest = 0;
        for (size_t k = 0; k < out->n_blocks && st == PB_OK; k++) {
            pb_compose_free_para(&paras[k]);
            pb_style sty = {0, size, 0, PB_ALIGN_START};
            st = pb_compose_block(o->comp, &out->blocks[k], o->doc->file, &sty,
                                  UNBOUNDED_MEASURE, &paras[k]);
            for (size_t li = 0; st == PB_OK && li < paras[k].n_lines; li++)
                if (paras[k].lines[li].width > widest)
                    widest = paras[k].lines[li].width;
        }
        if (widest <= pb_layout_measure(l))
            break;
        size *= pb_layout_measure(l) / widest; /* sizes scale widths: one more pass fits */
    }
    double leading = size * l->leading / l->text_size; /* the text's proportion */
    size_t lines = paras[0].n_lines + paras[1].n_lines;
    double y = l->margin_bottom + (double)(lines ? lines - 1 : 0) * leading;
    for (size_t k = 0; k < 2 && st == PB_OK; k++)
        for (size_t li = 0; li < paras[k].n_lines && st == PB_OK; li++) {
            double x = (l->page_w - paras[k].lines[li].width) / 2;
            st = pb_pageout_put_line(p, &paras[k], li, x, y);
            y -= leading;
        }
    for (size_t k = 0; k < 2; k++)
        pb_compose_free_para(&paras[k]);
    return st;
}

size_t pb_binding_pages(const pb_layout *l, size_t made)
{
    if (l->binding != PB_BINDING_SADDLE || l->product == PB_PRODUCT_LEAFLET)
        return made;
    /* the back cover's pages kept from the text: the outside one, and the inside one when the
     * colophon stands there */
    size_t kept = l->colophon == PB_COLOPHON_INSIDE ? 2 : 1;
    return (made + kept + PAGES_PER_SHEET - 1) / PAGES_PER_SHEET * PAGES_PER_SHEET;
}

/* The last page made, when it alone costs a sheet and holds a few lines (at most
 * PB_BINDING_LIGHT_SHARE of a page's), or a few lines less would save that sheet
 * (pb_pages.sheet_cut): pagebuild.c has taken back onto the pages before all the rules that
 * yield let it; what is left is said (a warning at its first line, the report), never four
 * pages made silently for two lines (review 8), nor for a page the one before left short
 * (review 9: the short page and the blank pages told apart, not as cause and cost). */
static void light_last_page(pb_pageout *o, size_t made, size_t n)
{
    const pb_layout *l = o->lay;
    pb_pages *out = o->out;
    if (made < 2 || pb_binding_pages(l, made - 1) >= n)
        return;
    const pb_page *p = &out->pages[made - 1];
    size_t lines = 0;
    int first = 0;
    for (size_t i = 0; i < p->n_lines; i++)
        if (p->lines[i].block && !p->lines[i].label) {
            first = first ? first : p->lines[i].block->line;
            lines++;
        }
    double page_lines = pb_layout_room(l) / (l->leading * o->scale);
    int light = (double)lines <= PB_BINDING_LIGHT_SHARE * page_lines;
    if (!lines || (!light && !out->sheet_cut))
        return;
    out->sheet_lines = lines;
    size_t cut = out->sheet_cut ? out->sheet_cut : lines;
    const pb_issue *shorter = NULL; /* the page before, left short by a rule */
    for (size_t i = 0; i < out->n_issues; i++)
        if (out->issues[i].kind == PB_ISSUE_SHORT_PAGE && out->issues[i].page + 2 == made)
            shorter = &out->issues[i];
    char why[96] = "";
    if (shorter)
        snprintf(why, sizeof why, "page %zu is left %.0f%% short before it (a short page in the "
                 "report), and ", made - 1, 100 * shorter->value);
    pb_diag_warning(o->doc->file, first, 0,
                    "the last page (page %zu) holds %zu line(s) and adds a sheet: %zu blank "
                    "pages; %s%zu line(s) less on pages %zu-%zu, or page %zu %zu line(s) longer, "
                    "make %zu pages",
                    made, lines, n - made, why, cut, made - 1, made, made - 1, cut,
                    pb_binding_pages(l, made - 1));
}

pb_status pb_binding_apply(pb_pageout *o, const pb_colophon *colophon)
{
    const pb_layout *l = o->lay;
    if (l->binding != PB_BINDING_SADDLE || l->product == PB_PRODUCT_LEAFLET)
        return PB_OK;
    pb_pages *out = o->out;
    size_t made = out->n;
    size_t n = pb_binding_pages(l, made);
    light_last_page(o, made, n);
    pb_status st = PB_OK;
    for (size_t i = made; i < n && st == PB_OK; i++)
        st = pb_pageout_new_page(o, i + 2 >= n); /* the back cover: the last leaf */
    out->bound_from = made; /* the report says what was added, and why */
    if (st != PB_OK || l->colophon == PB_COLOPHON_NONE)
        return st;
    return set_colophon(o, &out->pages[l->colophon == PB_COLOPHON_INSIDE ? n - 2 : n - 1],
                        colophon);
}
