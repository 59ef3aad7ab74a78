/* report: what paiban changed and could not do, for the editor (text) or a machine (JSON). */
#include "report.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "binding.h"
#include "uchar.h"

/* pb_issue.why in the JSON report (PB_WHY_*, compose.h) */
static const char *const WHY_NAMES[] = {"",        "letter-spaced", "tie broken", "host broken",
                                        "overfull", "lone ideograph", "longer", "worse"};
static const char *const ISSUE_NAMES[] = {"overfull line", "loose line", "leaflet overflow",
                                          "letter-spaced line", "preamble in no leaflet",
                                          "short page", "closing matter in the last leaflet only",
                                          "loose line", "underfull line",
                                          "note mark apart from its note",
                                          "note without its mark", "ruby off its base",
                                          "tie broken", "{keep} not possible",
                                          "heading taller than a page", "heading of many lines",
                                          "{every} notes not cited", "address broken in its host",
                                          "short verse not kept whole", "tight line",
                                          "capitalised word hyphenated",
                                          "word or code cut"};
/* What an issue's value counts (JSON "unit"; pagebuild.h pb_issue.value). */
static const char *const ISSUE_UNITS[] = {"pt past the measure", "em, the widest word space",
                                          "pages", "em, the ideographs' pitch", "source line",
                                          "share of the text block empty", "source line",
                                          "em, the widest gap between Chinese and Latin",
                                          "em short of the measure", "source line", "source line",
                                          "pt, the farthest a ruby's centre stands from its base's",
                                          "the tie's penalty", "lines of the pair",
                                          "lines of the title or heading pair",
                                          "lines of the heading's longer line",
                                          "notes marked {every} the leaflet does not cite",
                                          "the break's penalty", "lines of the pair",
                                          "em taken from its natural width",
                                          "the break's penalty", "the break's penalty"};
/* What ended a short page (JSON "cause"; vlist.h pb_vwhy), and what the text report says of it
 * (a source line follows). */
static const char *const CAUSE_NAMES[] = {"none", "heading", "title", "heading's first pair",
                                          "{keep}", "closing block", "widow or orphan",
                                          "hyphen at the turn", "short pair", "same spread",
                                          "salutation", "sign-off", "short verse",
                                          "closing section"};
static const char *const CAUSE_TEXTS[] = {
    "nothing below it fits a page's end",
    "the heading at line %d goes on to the next page with the first lines under it",
    "the title at line %d goes on to the next page with the first lines under it",
    "the heading at line %d keeps its first pair's Chinese and the start of its English, which "
    "do not fit here",
    "the {keep} pair (or pairs in a row) at line %d is kept whole on the next page",
    "the closing block at line %d is kept with the last lines of the text before it",
    "ending lower would leave one line of the paragraph at line %d alone at a page's foot or "
    "head",
    "ending lower would take a hyphenated word of the paragraph at line %d across the turn",
    "the short pair at line %d is kept whole, its Chinese with its English",
    "the pair at line %d is kept on one spread, not parted over the leaf's turn",
    "the salutation at line %d goes on to the next page with the first lines under it",
    "the sign-off at line %d is kept with the last lines of the text before it",
    "the set-apart pair at line %d (a few lines as written: a verse, an address) is kept whole "
    "on the next page",
    "the closing section at line %d (a reply slip or a form, or a third of a page or less) is "
    "kept whole on the next page"};
/* How a leaflet's sizes were chosen (JSON "sizing"; pagebuild.h pb_sizing). */
static const char *const SIZING_NAMES[] = {"own", "series"};
/* Letters this close to their own width are at it (the report gives a whole percent). */
#define LETTERS_SHOWN 0.005
/* A size factor this close to 1 is full size (the report gives three decimals). */
#define SCALE_EPS 0.0005
/* em: a piece that would run past the measure by no more than the report's two decimals show
 * fitted (pb_issue.next_over) */
#define NEXT_FITS_EM 0.005
/* JSON names of the kinds of gap (compose.h pb_gap_kind) */
static const char *const GAP_NAMES[PB_GAP_KINDS] = {"ideographs", "han_latin", "word"};
static const char *const RUBY_MODES[] = {"ruby", "drop", "inline-check"};
static const char *const QUERY_KINDS[] = {"variant", "l-for-I", "regional", "digits",
                                          "placeholder", "marks-only", "length",
                                          "full-width", "range"};
static const char *const REGION_NAMES[][2] = {{"TW", "Taiwan"}, {"HK", "Hong Kong"}};

typedef struct {
    size_t annots, pages, issues, notdef;
    size_t rubies, rubies_off; /* rubies set; of them, past PB_RUBY_OFF_SHOWN from their base */
    size_t rubies_wide, rubies_edge; /* of those, in groups too wide for their bases, flush with
                                      * a line edge (allowed); the rest are defects */
    double ruby_off;           /* pt: the farthest a ruby's centre stands from its base's */
} totals;

/* An issue of what the leaflets set where, not of composition. */
static int of_leaflets(pb_issue_kind k)
{
    return k == PB_ISSUE_LEFT_OUT || k == PB_ISSUE_LAST_ONLY || k == PB_ISSUE_NOTE_APART ||
           k == PB_ISSUE_NOTE_ALONE || k == PB_ISSUE_EVERY_UNCITED;
}

/* The output of the leaflet of section s, or NULL. */
static const char *leaflet_output(const pb_report_input *in, int s)
{
    for (size_t o = 0; o < in->n_outputs; o++)
        if (in->pages[o]->n && in->pages[o]->pages[0].section == s)
            return in->outputs[o];
    return NULL;
}

/* Where a note or its mark is (pb_issue.other): the leaflet of its section, or the preamble. */
static void put_leaflet(FILE *f, const pb_report_input *in, int s)
{
    const char *out = s > 0 ? leaflet_output(in, s) : NULL;
    if (out)
        fputs(out, f);
    else if (s > 0)
        fprintf(f, "leaflet %d", s);
    else
        fputs("the preamble, which no leaflet sets", f);
}

/* A ruby-off line's rubies off for a cause clreq does not allow. */
static unsigned ruby_defects(const pb_issue *is) { return is->count - is->wide - is->edge; }

static totals count(const pb_report_input *in)
{
    totals t = {0};
    for (size_t i = 0; i < in->doc->n_blocks; i++)
        t.annots += in->doc->blocks[i].n_annots;
    for (size_t o = 0; o < in->n_outputs; o++) {
        const pb_pages *p = in->pages[o];
        t.pages += p->n;
        t.rubies += p->n_ruby;
        t.ruby_off = fmax(t.ruby_off, p->ruby_off);
        for (size_t i = 0; i < p->n_issues; i++) { /* text left out is not a composition's */
            const pb_issue *is = &p->issues[i];
            if (is->kind != PB_ISSUE_RUBY_OFF) {
                t.issues += !of_leaflets(is->kind);
                continue;
            }
            /* rubies off only where clreq allows are no problem */
            t.issues += ruby_defects(is) > 0;
            t.rubies_off += is->count;
            t.rubies_wide += is->wide;
            t.rubies_edge += is->edge;
        }
        for (size_t k = 0; k < p->n; k++)
            for (size_t g = 0; g < p->pages[k].n; g++)
                t.notdef += p->pages[k].g[g].gid == 0;
    }
    return t;
}

static void put_u32(FILE *f, const uint32_t *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char u8[5] = {0};
        pb_uchar_encode(t[i], u8);
        fputs(u8, f);
    }
}

/* The most code points of a piece the text report quotes ("the piece the next line starts
 * with"): an unbreakable 3 000-letter URL was quoted whole in each of 50 underfull lines, an
 * 88 KB report (review 9). The JSON report keeps the whole piece. */
#define QUOTE_MAX 60

/* t[0, n) quoted, cut to QUOTE_MAX code points with an ellipsis. */
static void put_quote(FILE *f, const uint32_t *t, size_t n)
{
    put_u32(f, t, n > QUOTE_MAX ? QUOTE_MAX : n);
    if (n > QUOTE_MAX)
        fputs("\u2026", f);
}

/* A line of the setting with the piece a letter-spaced line left, said as "the line below", "the
 * 2nd line below" (pb_issue.why_line: counted from that line; 0: the line itself run on; < 0: a
 * line above it) */
static void put_below(FILE *f, int n)
{
    if (n < 0)
        fputs("a line above", f);
    else if (n == 0)
        fputs("that line", f);
    else if (n == 1)
        fputs("the line below", f);
    else
        fprintf(f, "the %d%s line below", n, n == 2 ? "nd" : n == 3 ? "rd" : "th");
}

/* Why a letter-spaced line left the piece after it, which fitted (pb_issue.why: the breaker's
 * setting with the line ending elsewhere) */
static void put_why(FILE *f, const pb_issue *is, const char *lead)
{
    fputs(lead, f);
    switch (is->why) {
    case PB_WHY_SPACED:
        fputs("letter-spaced ", f);
        put_below(f, is->why_line);
        fprintf(f, " at a %.3f em pitch", is->why_value);
        if (is->why_lines > 1)
            fprintf(f, " (%u lines spaced)", is->why_lines);
        if (is->why_next) {
            fputs(", before \u201c", f);
            put_quote(f, is->why_next, is->why_len);
            fputs("\u201d, which does not fit it", f);
        }
        return;
    case PB_WHY_TIE:
    case PB_WHY_HOST:
        fprintf(f, "broken %s at the end of ",
                is->why == PB_WHY_TIE ? "a tie" : "an address after what reads as a whole one");
        put_below(f, is->why_line);
        if (is->why_next) {
            fputs(", before \u201c", f);
            put_quote(f, is->why_next, is->why_len);
            fputs("\u201d", f);
        }
        fprintf(f, " (penalty %.0f)", is->why_value);
        return;
    case PB_WHY_OVERFULL:
        fputs("set ", f);
        put_below(f, is->why_line);
        fputs(" past the measure", f);
        return;
    case PB_WHY_LONE:
        fputs("left one ideograph alone on the paragraph's last line", f);
        return;
    case PB_WHY_LONGER:
        fputs("made the paragraph a line longer", f);
        return;
    default:
        fputs("set the lines below tighter or looser (the breaker's demerits)", f);
        return;
    }
}

/* Why an address was broken in its host or before its @: what the paragraph set with the line
 * ending anywhere else does worse (pb_issue.why), or that the other breaks were worse; then
 * what avoids it. */
static void put_host_why(FILE *f, const pb_issue *is, const char *avoid)
{
    if (is->why && is->why != PB_WHY_WORSE) {
        put_why(f, is, "breaking elsewhere would have ");
        fprintf(f, " (%s)", avoid);
    } else {
        fprintf(f, "the other breaks were worse (%s)", avoid);
    }
}

/* The roles a font serves, e.g. "han, han-bold". */
static void roles_of(const pb_fontset *fonts, pb_font *f, char *out, size_t n)
{
    out[0] = 0;
    for (int r = 0; r < PB_ROLE_COUNT; r++)
        if (pb_fonts_get(fonts, (pb_role)r) == f &&
            !(r == PB_ROLE_LATIN_ITALIC && f == pb_fonts_get(fonts, PB_ROLE_LATIN)) &&
            !(r == PB_ROLE_LATIN_BOLD_ITALIC && f == pb_fonts_get(fonts, PB_ROLE_LATIN_BOLD))) {
            size_t l = strlen(out);
            snprintf(out + l, n - l, "%s%s", l ? ", " : "", pb_fonts_role_name((pb_role)r));
        }
    if (!out[0])
        snprintf(out, n, "fallback");
}

/* Glyphs font draws in output o (0 when the file was not written). */
static size_t glyphs_in(const pb_report_input *in, size_t o, const pb_font *font)
{
    const uint32_t *g;
    return in->usage && in->usage[o] ? pb_usage_glyphs(in->usage[o], font, &g) : 0;
}

#define CHAR_NAME_MAX 96

static const char *const CHANGE_KINDS[] = {"full-width", "quote",      "dash",
                                           "ellipsis",   "spaces",     "half-width",
                                           "vertical form", "ligature", "radical",
                                           "compatibility ideograph", "space between marks",
                                           "typed indent"};

/* "U+002D U+002D '--'" */
static void put_codes(FILE *f, const uint32_t *t, size_t n)
{
    int tab = 0;
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "U+%04X ", (unsigned)t[i]);
        tab |= t[i] == '\t';
    }
    if (tab) { /* white space typed as TABs (read as spaces): named, not shown */
        for (size_t i = 0; i < n; i++)
            fputs(i ? (t[i] == '\t' ? " TAB" : " space") : (t[i] == '\t' ? "(TAB" : "(space"), f);
        fputc(')', f);
        return;
    }
    fputc('\'', f);
    put_u32(f, t, n);
    fputc('\'', f);
}

/* The folio printed on page (0-based) of p, 0 when it has none (the cover, the inside cover). */
static int folio_of(const pb_pages *p, size_t page) { return page < p->n ? p->pages[page].folio : 0; }

/* "page N", and "(folio F)" when the page prints a folio other than its index: a proofreader
 * marks up by folio. */
static void put_page(FILE *f, const pb_pages *p, size_t page)
{
    int folio = folio_of(p, page);
    fprintf(f, "page %zu", page + 1);
    if (folio > 0 && (size_t)folio != page + 1)
        fprintf(f, " (folio %d)", folio);
}

/* The gaps a reader sees on a letter-spaced or loose line, the widest (its kind) first: "gaps
 * between Chinese and Latin up to 0.50 em, ideographs at a 1.040 em pitch (0.040 em gaps) to
 * fill 1.28 em" */
static void write_gaps(FILE *f, const pb_issue *is)
{
    int first = is->kind == PB_ISSUE_SPACED  ? PB_GAP_IDEO
                : is->kind == PB_ISSUE_LOOSE ? PB_GAP_WORD
                                             : PB_GAP_HAN_LATIN;
    const double gaps[PB_GAP_KINDS] = {is->kind == PB_ISSUE_SPACED ? is->value - 1 : is->gap_ideo,
                                       is->kind == PB_ISSUE_LOOSE_GAP ? is->value
                                                                      : is->gap_han_latin,
                                       is->kind == PB_ISSUE_LOOSE ? is->value : is->gap_word};
    for (int n = 0; n < PB_GAP_KINDS; n++) {
        int k = n == 0 ? first : n <= first ? n - 1 : n; /* the widest, then the rest in order */
        if (gaps[k] <= 0)
            continue;
        if (n)
            fputs(", ", f);
        if (k == PB_GAP_IDEO)
            fprintf(f, "ideographs at a %.3f em pitch (%.3f em gaps)", 1 + gaps[k], gaps[k]);
        else if (k == PB_GAP_WORD)
            fprintf(f, "word spaces up to %.2f em", gaps[k]);
        else
            fprintf(f, "gaps between Chinese and Latin up to %.2f em", gaps[k]);
    }
    fprintf(f, " to fill %.2f em", is->lack);
}

/* What a tight line gave up: "word spaces down to 0.16 em, 60% of their width, Latin letters at
 * 97% of their width, its full-width marks' blanks 0.42 em less, to take 1.36 em more than its
 * natural width, ending “…”" */
static void write_tight(FILE *f, const pb_issue *is)
{
    const char *sep = "";
    if (is->word_min > 0) {
        fprintf(f, "word spaces down to %.2f em, %.0f%% of their width", is->word_min,
                is->word_share * 100.0);
        sep = ", ";
    }
    if (is->letters < 1 - LETTERS_SHOWN) {
        fprintf(f, "%sLatin letters at %.0f%% of their width", sep, is->letters * 100.0);
        sep = ", ";
    }
    if (is->marks_em > 0) {
        fprintf(f, "%sits full-width marks' blanks %.2f em less", sep, is->marks_em);
        sep = ", ";
    }
    fprintf(f, "%sto take %.2f em more than its natural width", sep, is->value);
    if (is->before_len) {
        fputs(", ending \u201c", f);
        put_quote(f, is->before, is->before_len);
        fputs("\u201d", f);
    }
}

/* The heading pairs, one line each: "FILE:LINE: level N: zh / en" */
static void write_headings(const pb_report_input *in, FILE *f)
{
    const pb_doc *d = in->doc;
    fprintf(f, "\nheadings: %d (%d level 1)\n", d->n_headings, d->n_sections);
    for (size_t i = 0; i + 1 < d->n_blocks; i += 2) {
        const pb_block *zh = &d->blocks[i], *en = &d->blocks[i + 1];
        if (zh->kind != PB_BLOCK_HEADING)
            continue;
        fprintf(f, "  %s:%d: level %d%s: ", in->corpus, zh->line, zh->level,
                zh->flags & PB_BLOCK_MARKED ? " (marked)" : "");
        put_u32(f, zh->text, zh->len);
        fputs(" / ", f);
        put_u32(f, en->text, en->len);
        fputc('\n', f);
    }
}

const char *pb_report_variant_hint(const pb_queries *q)
{
    if (!q || !q->looks_other)
        return NULL;
    pb_query_variant_count c = {q->variant, q->han, q->other};
    return pb_query_variant_hint(&c);
}

static const char *region_name(const char *code)
{
    for (size_t i = 0; i < sizeof REGION_NAMES / sizeof REGION_NAMES[0]; i++)
        if (strcmp(REGION_NAMES[i][0], code) == 0)
            return REGION_NAMES[i][1];
    return code;
}

/* "于 U+4E8E" or "对于 U+5BF9 U+4E8E" */
static void put_with_codes(FILE *f, const uint32_t *t, size_t n)
{
    put_u32(f, t, n);
    for (size_t i = 0; i < n; i++)
        fprintf(f, " U+%04X", (unsigned)t[i]);
}

static void write_queries(const pb_report_input *in, FILE *f)
{
    const pb_queries *q = in->queries;
    fprintf(f, "\neditor queries: %zu\n", q ? q->n : 0);
    if (q && !q->checked && q->unchecked_why)
        fprintf(f, "  (Han text not checked: %s)\n", q->unchecked_why);
    else if (!q || !q->checked)
        fprintf(f, "  (Han text not checked: the Chinese language tag %s names no variant)\n",
                in->layout->lang_zh);
    else if (q->looks_other)
        fprintf(f, "  %s: %s (its Han characters are not queried one by one)\n", in->corpus,
                pb_report_variant_hint(q));
    const char *lang = in->layout->lang_zh;
    for (size_t i = 0; q && i < q->n; i++) {
        const pb_query *e = &q->v[i];
        fprintf(f, "  %s:%d:%d: ", in->corpus, e->line, e->col);
        if (e->kind == PB_QUERY_PLACEHOLDER || e->kind == PB_QUERY_MARKS_ONLY) {
            put_u32(f, e->found, e->found_len);
            fputs(e->kind == PB_QUERY_MARKS_ONLY
                      ? ": a paragraph of marks only: text still to be written? (a separator: "
                        "mark it {center})\n"
                      : ": text still to be written?\n",
                  f);
            continue;
        }
        if (e->kind == PB_QUERY_LENGTH) {
            put_u32(f, e->found, e->found_len);
            fprintf(f, ": %zu Han character%s beside %zu English letter%s (line %d), %.1f letters a "
                       "character, where a translation gives about 2 to 5: %s\n",
                    e->han, e->han == 1 ? "" : "s", e->letters, e->letters == 1 ? "" : "s",
                    e->other_line, (double)e->letters / (double)e->han,
                    (double)e->letters > (double)e->han ? "English added, or Chinese missing?"
                                                         : "English missing or cut?");
            continue;
        }
        if (e->kind == PB_QUERY_FULLWIDTH) {
            int letters = 0;
            for (size_t k = 0; k < e->found_len; k++)
                letters |= pb_uchar_is_ascii_letter(e->suggested[k]);
            put_u32(f, e->found, e->found_len);
            fputs(" -> ", f);
            put_u32(f, e->suggested, e->suggested_len);
            fputs(letters ? ": full-width Latin letters? (GB/T 15834 and GB/T 15835 set Western "
                            "letters and figures half-width)\n"
                          : ": a full-width comma in a number? (set as a clause mark, it splits "
                            "the number)\n",
                  f);
            continue;
        }
        if (e->kind == PB_QUERY_L_FOR_I || e->kind == PB_QUERY_DIGITS ||
            e->kind == PB_QUERY_RANGE) {
            put_u32(f, e->found, e->found_len);
            fputs(" -> ", f);
            put_u32(f, e->suggested, e->suggested_len);
            fputs(e->kind == PB_QUERY_DIGITS ? ": one form of digits? (the text writes numbers both ways)\n"
                  : e->kind == PB_QUERY_RANGE ? ": a range? (an en dash, Chicago 6.78)\n"
                                              : ": l for I? (the text has the word in capitals)\n",
                  f);
            continue;
        }
        put_with_codes(f, e->found, e->found_len);
        fputs(" -> ", f);
        put_with_codes(f, e->suggested, e->suggested_len);
        if (e->kind == PB_QUERY_REGIONAL)
            fprintf(f, ": not the form %s writes? (OpenCC %s)\n", region_name(q->region),
                    q->config);
        else
            fprintf(f, ": %s form%s in a %s text? (OpenCC %s, by phrase)\n",
                    strcmp(q->variant, "Hant") == 0 ? "Simplified" : "Traditional",
                    e->found_len > 1 ? "s" : "", lang, q->config);
    }
    if (q && q->unlisted)
        fprintf(f, "  (%zu more not listed)\n", q->unlisted);
    if (q && q->accepted)
        fprintf(f, "  (%zu left out: words of the accept list%s)\n", q->accepted,
                q->region[0] ? " or the region's usage" : "");
}

/* What a leaflet's sizes are and why (nothing for sizes as the layout sets them). */
static void write_sizing(const pb_report_input *in, const pb_pages *p, FILE *f)
{
    const pb_layout *l = in->layout;
    if (l->product != PB_PRODUCT_LEAFLET)
        return;
    int scaled = fabs(p->scale - 1.0) > SCALE_EPS;
    if (p->n > (size_t)l->leaflet_pages) {
        fprintf(f, ", over the layout's %d: too long for it even at ", l->leaflet_pages);
        if (l->fit == PB_FIT_SHRINK)
            fprintf(f, "min-scale %.3g; ", l->min_scale);
        else
            fputs("full size (fit = pages); ", f);
        if (p->sizing == PB_SIZING_SERIES && scaled)
            fprintf(f, "sizes x%.3f, the series' one size", p->scale);
        else if (scaled)
            fprintf(f, "sizes x%.3f, the largest that takes no more pages", p->scale);
        else
            fputs("set at full size", f);
        char over[PB_PAGEBUILD_OVER_MAX];
        pb_pagebuild_over_text(p, l, over, sizeof over);
        fprintf(f, "; %s", over);
    } else if (p->tightened) {
        fprintf(f, " (sizes x%.3f, %s, the least size: its spaces between blocks, above headings "
                   "and between pairs and paragraphs, tightened by at most a third to fit)",
                p->scale,
                p->sizing == PB_SIZING_SERIES ? "the series' one size" : "its own");
    } else if (scaled && p->sizing == PB_SIZING_SERIES) {
        fprintf(f, " (sizes x%.3f: the series' one size, the least its leaflets take to fit or "
                   "fill their pages)",
                p->scale);
    } else if (scaled && p->grown_fill > 0) { /* review 13: "fills the page", half empty */
        fprintf(f, " (sizes x%.3f: grown to %s; its page still %.0f%% of its text block empty)",
                p->scale,
                p->scale >= l->max_scale - SCALE_EPS ? "the layout's max-scale"
                                                     : "the largest size that keeps one page",
                100.0 * (1.0 - p->grown_fill));
    } else if (scaled) {
        fprintf(f, " (sizes x%.3f: %s)", p->scale,
                p->scale < 1 ? "shrunk to fit" : "grown to fill the page");
    }
}

static void write_text(const pb_report_input *in, FILE *f)
{
    totals t = count(in);
    fprintf(f, "paiban preflight report: %s\n", in->product);
    fprintf(f, "corpus: %s (%zu blocks, %d sections, %d headings)\n", in->corpus,
            in->doc->n_blocks, in->doc->n_sections, in->doc->n_headings);
    fprintf(f, "layout: %s\n", in->layout->path[0] ? in->layout->path : "(built-in)");
    for (size_t o = 0; o < in->n_outputs; o++) {
        fprintf(f, "output: %s: %zu page(s)", in->outputs[o], in->pages[o]->n);
        write_sizing(in, in->pages[o], f);
        fputc('\n', f);
        const pb_pages *p = in->pages[o];
        if (p->bound_from && p->bound_from < p->n)
            fprintf(f, "  saddle stitch: %zu page(s) made, %zu blank page(s) added (%zu-%zu) to "
                       "fold sheets of %d pages, the outside back cover free of text\n",
                    p->bound_from, p->n - p->bound_from, p->bound_from + 1, p->n,
                    PB_BINDING_PAGES_PER_SHEET);
        if (p->sheet_lines)
            fprintf(f, "  the last page holds %zu line(s) and adds a sheet: %zu blank pages\n",
                    p->sheet_lines, p->n - p->bound_from);
        if (p->sheet_lines && p->sheet_cut)
            fprintf(f, "  %zu line(s) less on the last two pages (or the last page but one as "
                       "many lines longer) would save that sheet\n",
                    p->sheet_cut);
    }
    fprintf(f, "\nfonts:\n");
    for (size_t i = 0; i < pb_fonts_count(in->fonts); i++) {
        pb_font *font = pb_fonts_at(in->fonts, i);
        pb_font_info info;
        pb_font_get_info(font, &info);
        char roles[96];
        roles_of(in->fonts, font, roles, sizeof roles);
        fprintf(f, "  %-22s %s, %s (face %d), ", roles, info.psname, info.file, info.index);
        if (in->n_outputs == 1)
            fprintf(f, "%zu glyphs\n", glyphs_in(in, 0, font));
        else {
            fputs("glyphs per file:", f);
            for (size_t o = 0; o < in->n_outputs; o++)
                fprintf(f, "%s %zu", o ? "," : "", glyphs_in(in, o, font));
            fputc('\n', f);
        }
    }
    write_headings(in, f);
    fprintf(f, "\nmissing glyphs: %s\n", t.notdef ? "" : "none");
    if (t.notdef)
        fprintf(f, "  %zu .notdef glyphs drawn\n", t.notdef);
    fprintf(f, "\npunctuation normalised: %zu\n", in->changes->n);
    for (size_t i = 0; i < in->changes->n; i++) {
        const pb_change *c = &in->changes->items[i];
        fprintf(f, "  %s:%d:%d: %s ", in->corpus, c->line, c->col, CHANGE_KINDS[c->kind]);
        put_codes(f, c->before, c->n_before);
        if (c->run > c->n_before) /* a long run of spaces: its first ones, and how many */
            fprintf(f, " ... (%zu in all)", c->run);
        fputs(" -> ", f);
        put_codes(f, c->after, c->n_after);
        fputc('\n', f);
    }
    fprintf(f, "\ninvisible and format characters: %zu\n", in->changes->n_invisibles);
    for (size_t i = 0; i < in->changes->n_invisibles; i++) {
        const pb_invisible *v = &in->changes->invisibles[i];
        char name[CHAR_NAME_MAX];
        pb_uchar_name(v->cp, name, sizeof name);
        fprintf(f, "  %s:%d:%d: U+%04X %s: %s", in->corpus, v->line, v->col, (unsigned)v->cp, name,
                pb_normalize_action_name(v->action));
        if (v->action == PB_INVISIBLE_REPLACED) {
            pb_uchar_name(v->replacement, name, sizeof name);
            fprintf(f, " by U+%04X %s", (unsigned)v->replacement, name);
        }
        fprintf(f, " (%s)\n", v->why);
    }
    fprintf(f, "\npinyin annotations: %zu, %s\n", t.annots, RUBY_MODES[in->layout->ruby_mode]);
    for (size_t i = 0; i < in->doc->n_blocks; i++) {
        const pb_block *blk = &in->doc->blocks[i];
        for (size_t k = 0; k < blk->n_annots; k++) {
            const pb_annot *a = &blk->annots[k];
            fprintf(f, "  %s:%d:%d: ", in->corpus, a->line, a->col);
            put_u32(f, blk->text + a->base, 1);
            fputs(" ", f);
            put_u32(f, a->text, a->len);
            fputc('\n', f);
        }
    }
    write_queries(in, f);
    fprintf(f, "\ncomposition problems accepted: %zu\n", t.issues);
    int spacing = 0; /* a loose or letter-spaced line was listed */
    int tight = 0;   /* a tight one */
    for (size_t o = 0; o < in->n_outputs; o++)
        for (size_t i = 0; i < in->pages[o]->n_issues; i++) {
            const pb_issue *is = &in->pages[o]->issues[i];
            if (of_leaflets(is->kind))
                continue;
            if (is->line > 0) /* a line of the corpus, or the file as a whole */
                fprintf(f, "  %s:%d: ", in->corpus, is->line);
            else
                fprintf(f, "  %s: ", in->corpus);
            fprintf(f, "%s on ", ISSUE_NAMES[is->kind]);
            put_page(f, in->pages[o], is->page);
            fprintf(f, " of %s (", in->outputs[o]);
            if (is->kind == PB_ISSUE_SPACED || is->kind == PB_ISSUE_LOOSE ||
                is->kind == PB_ISSUE_LOOSE_GAP)
                write_gaps(f, is);
            else if (is->kind == PB_ISSUE_TIGHT)
                write_tight(f, is);
            else if (is->kind == PB_ISSUE_OVERFULL)
                fprintf(f, "by %.2f pt", is->value);
            else if (is->kind == PB_ISSUE_UNDERFULL)
                fprintf(f, "%.2f em short of the measure: nothing on it can stretch", is->value);
            else if (is->kind == PB_ISSUE_RUBY_OFF)
                fprintf(f, "%u of its rubies more than %.1f pt off their bases' centres, up to "
                           "%.2f pt: %u in a group too wide for its bases, %u flush at a line's "
                           "edge (allowed), %u off otherwise (defect)",
                        is->count, PB_RUBY_OFF_SHOWN, is->value, is->wide, is->edge,
                        ruby_defects(is));
            else if (is->kind == PB_ISSUE_TIE_BROKEN || is->kind == PB_ISSUE_HOST_BROKEN ||
                     is->kind == PB_ISSUE_CAPITAL_HYPHEN) {
                fputs("\u201c", f);
                put_u32(f, is->before, is->before_len);
                if (is->kind == PB_ISSUE_CAPITAL_HYPHEN && is->before_len &&
                    is->before[is->before_len - 1] != '-')
                    fputs("-", f); /* the hyphen drawn, which the text does not have */
                fputs(" | ", f);
                if (is->kind == PB_ISSUE_HOST_BROKEN) /* the address's rest, cut when long */
                    put_quote(f, is->next, is->next_len);
                else
                    put_u32(f, is->next, is->next_len);
                if (is->kind == PB_ISSUE_TIE_BROKEN)
                    fprintf(f, "\u201d, penalty %.0f: the other breaks were worse; a U+2060 WORD "
                               "JOINER or rephrasing keeps it whole",
                            is->value);
                else if (is->kind == PB_ISSUE_CAPITAL_HYPHEN)
                    fprintf(f, "\u201d, penalty %.0f: a name or capitalised word hyphenated, the "
                               "last resort: every way without it left a line past the "
                               "tolerance (word spaces past half an em, ideographs spaced past an "
                               "eighth of an em, a ragged line far short); rephrasing near it "
                               "keeps it whole",
                            is->value);
                else if (is->next_len && is->next[0] == '@') {
                    fprintf(f, "\u201d, penalty %.0f: broken before its @, the line ends with "
                               "what reads as a word; ",
                            is->value);
                    put_host_why(f, is, "rephrasing, or a line of its own, avoids it");
                } else {
                    fprintf(f, "\u201d, penalty %.0f: the line ends with what reads as a whole "
                               "address; ",
                            is->value);
                    int mail = 0; /* an e-mail address: no // nor path to break at */
                    for (size_t k = 0; k < is->before_len; k++)
                        mail |= is->before[k] == '@';
                    put_host_why(f, is, mail ? "rephrasing, or a line of its own, avoids it"
                                             : "a break after its // or in its path, or "
                                               "rephrasing, avoids it");
                }
            } else if (is->kind == PB_ISSUE_CUT) {
                fputs("\u201c", f);
                put_u32(f, is->before, is->before_len);
                fputs(is->count ? "- | " : " | ", f); /* the hyphen drawn */
                put_u32(f, is->next, is->next_len);
                fprintf(f, "\u2026\u201d, penalty %.0f: cut between two characters, no "
                           "hyphenation point (%s), the last resort for a run wider than the "
                           "line; a code or number cut reads as two: break it where a reader "
                           "expects (a space between its groups) or rephrase",
                        is->value, is->count ? "a hyphen drawn" : "no hyphen drawn");
            } else if (is->kind == PB_ISSUE_KEEP_OVER && is->pairs > 1)
                fprintf(f, "%u {keep} pairs in a row, %.0f lines, a page holds %u: broken "
                           "between pairs from here",
                        is->pairs, is->value, is->count);
            else if (is->kind == PB_ISSUE_KEEP_OVER)
                fprintf(f, "%.0f lines, a page holds %u: broken over pages from here",
                        is->value, is->count);
            else if (is->kind == PB_ISSUE_VERSE_OVER)
                fprintf(f, "a set-apart pair of few lines, %.0f lines, a page holds %u: broken "
                           "over pages from here; split it into pairs that fit, or set it on a "
                           "larger page",
                        is->value, is->count);
            else if (is->kind == PB_ISSUE_HEAD_OVER)
                fprintf(f, "%.0f lines: broken over pages from here", is->value);
            else if (is->kind == PB_ISSUE_HEAD_LONG)
                fprintf(f, "%.0f lines, more than %d: a paragraph marked as a heading?", is->value,
                        PB_HEAD_LINES_MAX);
            else if (is->kind == PB_ISSUE_SHORT_PAGE) {
                fprintf(f, "%.0f%% of the text block empty at its foot: ", is->value * 100);
                fprintf(f, CAUSE_TEXTS[is->cause], is->cause_line);
            }
            else
                fprintf(f, "%.0f pages, the layout's %d", is->value, in->layout->leaflet_pages);
            if (is->next && is->kind != PB_ISSUE_TIE_BROKEN && is->kind != PB_ISSUE_HOST_BROKEN &&
                is->kind != PB_ISSUE_CAPITAL_HYPHEN && is->kind != PB_ISSUE_CUT) {
                fputs(", before \u201c", f);
                put_quote(f, is->next, is->next_len);
                fprintf(f, "\u201d of %.2f em", is->next_w);
                if (is->next_over > NEXT_FITS_EM) {
                    fprintf(f, ": %.2f em more than the line can hold", is->next_over);
                    if (is->next_hyph_len) {
                        fputs(", but \u201c", f);
                        put_quote(f, is->next, is->next_hyph_len);
                        fputs("-\u201d would have fitted, hyphenated", f);
                    }
                }
                else if (is->next_penalty > 0) {
                    fprintf(f, ", which fitted, but a break after it %s (penalty %d)",
                            is->next_host ? "would end the line with what reads as a whole address"
                                          : "is a tie",
                            is->next_penalty);
                    if (is->why)
                        put_why(f, is, ", and taking it would have ");
                    else
                        fputs(": left for a line below", f);
                } else if (is->why)
                    put_why(f, is, ", which fitted, but taking it would have ");
                else
                    fputs(", which fitted: left for a line below", f);
            }
            fputs(")\n", f);
            spacing |= is->kind == PB_ISSUE_SPACED || is->kind == PB_ISSUE_LOOSE ||
                       is->kind == PB_ISSUE_LOOSE_GAP || is->kind == PB_ISSUE_UNDERFULL;
            tight |= is->kind == PB_ISSUE_TIGHT;
        }
    if (spacing)
        fputs("  (the text quoted after a letter-spaced, loose or underfull line did not fit on it, "
              "with all its spaces and marks' blanks shrunk and its Latin letters narrowed as far as "
              "the layout lets them, and may not break; or it fitted, and taking "
              "it would have left a line below worse, or broken a tie (a number and its unit, a "
              "date, a name): rephrase near it, or let that text break, "
              "with U+200B ZERO WIDTH SPACE where a break may fall, U+00AD SOFT HYPHEN inside a "
              "word)\n",
              f);
    if (spacing)
        fprintf(f, "  (a line is listed by the widest gap a reader sees on it, named first: "
                   "ideographs %.2f em or more apart (less is not seen at reading distance), a "
                   "gap between Chinese and Latin past a third of an em, its stretch, a word "
                   "space past half an em; every other kind seen on it follows)\n",
                PB_GAP_SEEN_EM);
    if (tight)
        fputs("  (a tight line was shrunk past what a typesetter accepts: its word spaces "
              "narrower than two thirds of their width, TeX's limit, which the line breaker "
              "passes only rather than hyphenate a word or set a line loose, or, in Chinese, "
              "its Latin letters narrowed once every mark's blank, word space and gap beside "
              "Latin was at its least: let a word on it or the next line break, with U+00AD "
              "SOFT HYPHEN inside a word or U+200B ZERO WIDTH SPACE where a break may fall, or "
              "rephrase near it)\n",
              f);
    for (size_t o = 0; o < in->n_outputs; o++)
        for (size_t i = 0; i < in->pages[o]->n_issues; i++) {
            const pb_issue *is = &in->pages[o]->issues[i];
            if (is->kind == PB_ISSUE_LEFT_OUT)
                fprintf(f, "\n%s:%d: %s: lines %d-%.0f (a leaflet sets one section, and the "
                           "preamble's last pair as its standfirst)\n",
                        in->corpus, is->line, ISSUE_NAMES[is->kind], is->line, is->value);
            else if (is->kind == PB_ISSUE_LAST_ONLY)
                fprintf(f, "\n%s:%d: %s: lines %d-%.0f follow the last section's text and are set "
                           "in %s only (mark them {every} for every leaflet to carry them)\n",
                        in->corpus, is->line, ISSUE_NAMES[is->kind], is->line, is->value,
                        in->outputs[o]);
            else if (is->kind == PB_ISSUE_NOTE_APART) {
                fprintf(f, "\n%s:%d: %s: ", in->corpus, is->line, ISSUE_NAMES[is->kind]);
                put_u32(f, is->mark, is->mark_len);
                fprintf(f, " in %s; its note, line %.0f, is %s", in->outputs[o], is->value,
                        is->other > 0 ? "set in " : "in ");
                put_leaflet(f, in, is->other);
                fputs(is->other > 0 ? " only" : "", f);
                fputs(" (mark the note pair {every} for every leaflet to carry it, or move it)\n",
                      f);
            } else if (is->kind == PB_ISSUE_EVERY_UNCITED) {
                fprintf(f, "\n%s:%d: %s: %s sets %.0f note(s) marked {every} that its text does "
                           "not cite (every leaflet carries the {every} pairs)\n",
                        in->corpus, is->line, ISSUE_NAMES[is->kind], in->outputs[o], is->value);
            } else if (is->kind == PB_ISSUE_NOTE_ALONE) {
                fprintf(f, "\n%s:%d: %s: ", in->corpus, is->line, ISSUE_NAMES[is->kind]);
                put_u32(f, is->mark, is->mark_len);
                fprintf(f, " is set in %s, whose text has no ", in->outputs[o]);
                put_u32(f, is->mark, is->mark_len);
                if (is->value > 0) {
                    fprintf(f, "; its mark is at line %.0f, in ", is->value);
                    put_leaflet(f, in, is->other);
                } else {
                    fputs("; no text has the mark", f);
                }
                fputc('\n', f);
            }
        }
    if (t.rubies)
        fprintf(f,
                "\nrubies set: %zu; the farthest from its base's centre %.2f pt; %zu more than "
                "%.1f pt off (their lines above): %zu in groups too wide for their bases, %zu "
                "flush at a line's edge (allowed), %zu off otherwise (defects)\n",
                t.rubies, t.ruby_off, t.rubies_off, PB_RUBY_OFF_SHOWN, t.rubies_wide,
                t.rubies_edge, t.rubies_off - t.rubies_wide - t.rubies_edge);
    size_t heads = 0;
    for (size_t o = 0; o < in->n_outputs; o++)
        heads += in->pages[o]->n_heads;
    fprintf(f, "\nrunning heads shortened: %zu\n", heads);
    for (size_t o = 0; o < in->n_outputs; o++)
        for (size_t i = 0; i < in->pages[o]->n_heads; i++) {
            const pb_headnote *h = &in->pages[o]->heads[i];
            fprintf(f, "  %s:%d: %s of %s: \"", in->corpus, h->line,
                    h->section ? "a section's head" : "the title's head", in->outputs[o]);
            put_u32(f, h->text, h->len);
            fprintf(f, "\" (%s)\n", h->rule);
        }
}

/* ---- JSON (jansson) -------------------------------------------------------------------- */

/* A JSON document under construction: a failed allocation anywhere makes it fail once. */
typedef struct {
    int ok;
} jctx;

/* A JSON string of UTF-8 text that may not be valid (a file name is bytes): every byte that is
 * not part of a valid sequence becomes U+FFFD, so the report stays valid JSON (RFC 8259 §8.1). */
static json_t *jstr(jctx *j, const char *s)
{
    size_t n = strlen(s), i = 0, k = 0;
    char *buf = malloc(n * 3 + 1); /* each bad byte: 3 bytes of U+FFFD */
    json_t *v = NULL;
    if (buf) {
        while (i < n) {
            uint32_t cp;
            size_t step = pb_uchar_decode((const uint8_t *)s + i, n - i, &cp);
            if (step == 0 || cp == 0)
                cp = 0xFFFD, step = 1;
            k += pb_uchar_encode(cp, buf + k);
            i += step;
        }
        v = json_stringn(buf, k);
        free(buf);
    }
    j->ok &= v != NULL;
    return v;
}

/* A JSON string of code points (a surrogate or a value past U+10FFFF becomes U+FFFD). */
static json_t *ju32(jctx *j, const uint32_t *t, size_t n)
{
    char *buf = malloc(n * 4 + 1);
    json_t *v = NULL;
    if (buf) {
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            uint32_t cp = t[i];
            if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF || cp == 0)
                cp = 0xFFFD;
            k += pb_uchar_encode(cp, buf + k);
        }
        v = json_stringn(buf, k);
        free(buf);
    }
    j->ok &= v != NULL;
    return v;
}

static json_t *jint(jctx *j, long long v)
{
    json_t *x = json_integer(v);
    j->ok &= x != NULL;
    return x;
}

static json_t *jreal(jctx *j, double v)
{
    json_t *x = json_real(v);
    j->ok &= x != NULL;
    return x;
}

static json_t *jnew(jctx *j, json_t *x)
{
    j->ok &= x != NULL;
    return x;
}

/* Set (or append, when key is NULL) v, taking it; a NULL anywhere fails the document. */
static void jset(jctx *j, json_t *into, const char *key, json_t *v)
{
    if (!into || !v) {
        json_decref(v);
        j->ok = 0;
        return;
    }
    if ((key ? json_object_set_new(into, key, v) : json_array_append_new(into, v)) != 0)
        j->ok = 0;
}

/* Figures are written to 3 decimals, as the text report gives them. */
#define JSON_REAL_DIGITS 10
#define MILLI 1000.0

static json_t *build_json(jctx *j, const pb_report_input *in)
{
    totals t = count(in);
    json_t *root = jnew(j, json_object());
    jset(j, root, "product", jstr(j, in->product));
    jset(j, root, "corpus", jstr(j, in->corpus));
    jset(j, root, "layout", jstr(j, in->layout->path));
    if (in->doc->n_blocks >= 2) { /* the title pair's source lines */
        json_t *title = jnew(j, json_object());
        jset(j, title, "line", jint(j, in->doc->blocks[0].line));
        jset(j, title, "en_line", jint(j, in->doc->blocks[1].line));
        jset(j, root, "title", title);
    }
    json_t *arr = jnew(j, json_array());
    for (size_t i = 0; i + 1 < in->doc->n_blocks; i += 2) {
        const pb_block *zh = &in->doc->blocks[i], *en = &in->doc->blocks[i + 1];
        if (zh->kind != PB_BLOCK_HEADING)
            continue;
        json_t *h = jnew(j, json_object());
        jset(j, h, "line", jint(j, zh->line));
        jset(j, h, "en_line", jint(j, en->line));
        jset(j, h, "level", jint(j, zh->level));
        jset(j, h, "marked", jnew(j, json_boolean(zh->flags & PB_BLOCK_MARKED)));
        jset(j, h, "zh", ju32(j, zh->text, zh->len));
        jset(j, h, "en", ju32(j, en->text, en->len));
        jset(j, arr, NULL, h);
    }
    jset(j, root, "headings", arr);
    arr = jnew(j, json_array());
    for (size_t o = 0; o < in->n_outputs; o++) {
        json_t *x = jnew(j, json_object());
        jset(j, x, "file", jstr(j, in->outputs[o]));
        jset(j, x, "pages", jint(j, (long long)in->pages[o]->n));
        if (in->pages[o]->bound_from) /* saddle stitch: the pages the binding added */
            jset(j, x, "pages_added",
                 jint(j, (long long)(in->pages[o]->n - in->pages[o]->bound_from)));
        if (in->pages[o]->sheet_lines) /* the last page's few lines cost a sheet */
            jset(j, x, "last_page_lines", jint(j, (long long)in->pages[o]->sheet_lines));
        if (in->pages[o]->sheet_lines && in->pages[o]->sheet_cut) /* so few less would save it */
            jset(j, x, "sheet_cut_lines", jint(j, (long long)in->pages[o]->sheet_cut));
        if (in->pages[o]->tightened) /* a leaflet's spaces gave up to fit */
            jset(j, x, "tightened", jnew(j, json_true()));
        jset(j, x, "scale", jreal(j, round(in->pages[o]->scale * MILLI) / MILLI));
        if (in->pages[o]->grown_fill > 0) /* grown as far as it may, its page still short */
            jset(j, x, "grown_fill", jreal(j, round(in->pages[o]->grown_fill * MILLI) / MILLI));
        if (in->layout->product == PB_PRODUCT_LEAFLET)
            jset(j, x, "sizing", jstr(j, SIZING_NAMES[in->pages[o]->sizing]));
        if (in->layout->product == PB_PRODUCT_LEAFLET &&
            in->pages[o]->n > (size_t)in->layout->leaflet_pages) { /* over its pages */
            const pb_pages *p = in->pages[o];
            jset(j, x, "over_lines", jreal(j, round(p->over_lines * MILLI) / MILLI));
            jset(j, x, "over_share",
                 jreal(j, round(p->over / pb_layout_room(in->layout) * MILLI) / MILLI));
            jset(j, x, "last_fill", jreal(j, round(p->last_fill * MILLI) / MILLI));
            jset(j, x, "fits_at", jreal(j, pb_pagebuild_fits_at(p)));
        }
        jset(j, arr, NULL, x);
    }
    jset(j, root, "outputs", arr);
    arr = jnew(j, json_array());
    for (size_t i = 0; i < pb_fonts_count(in->fonts); i++) {
        pb_font *font = pb_fonts_at(in->fonts, i);
        pb_font_info info;
        pb_font_get_info(font, &info);
        char roles[96];
        roles_of(in->fonts, font, roles, sizeof roles);
        json_t *x = jnew(j, json_object());
        jset(j, x, "roles", jstr(j, roles));
        jset(j, x, "name", jstr(j, info.psname));
        jset(j, x, "file", jstr(j, info.file));
        jset(j, x, "face", jint(j, info.index));
        json_t *g = jnew(j, json_array()); /* per output file */
        for (size_t o = 0; o < in->n_outputs; o++)
            jset(j, g, NULL, jint(j, (long long)glyphs_in(in, o, font)));
        jset(j, x, "glyphs", g);
        jset(j, arr, NULL, x);
    }
    jset(j, root, "fonts", arr);
    jset(j, root, "notdef_glyphs", jint(j, (long long)t.notdef));
    arr = jnew(j, json_array());
    for (size_t i = 0; i < in->changes->n; i++) {
        const pb_change *c = &in->changes->items[i];
        json_t *x = jnew(j, json_object());
        jset(j, x, "line", jint(j, c->line));
        jset(j, x, "col", jint(j, c->col));
        jset(j, x, "kind", jstr(j, CHANGE_KINDS[c->kind]));
        jset(j, x, "before", ju32(j, c->before, c->n_before));
        jset(j, x, "count", jint(j, (long long)c->run)); /* code points replaced */
        jset(j, x, "after", ju32(j, c->after, c->n_after));
        jset(j, arr, NULL, x);
    }
    jset(j, root, "normalisations", arr);
    arr = jnew(j, json_array());
    for (size_t i = 0; i < in->changes->n_invisibles; i++) {
        const pb_invisible *v = &in->changes->invisibles[i];
        char name[CHAR_NAME_MAX], code[16];
        pb_uchar_name(v->cp, name, sizeof name);
        json_t *x = jnew(j, json_object());
        jset(j, x, "line", jint(j, v->line));
        jset(j, x, "col", jint(j, v->col));
        snprintf(code, sizeof code, "U+%04X", (unsigned)v->cp);
        jset(j, x, "code", jstr(j, code));
        jset(j, x, "name", jstr(j, name));
        jset(j, x, "action", jstr(j, pb_normalize_action_name(v->action)));
        if (v->action == PB_INVISIBLE_REPLACED) {
            snprintf(code, sizeof code, "U+%04X", (unsigned)v->replacement);
            jset(j, x, "replacement", jstr(j, code));
        }
        jset(j, x, "why", jstr(j, v->why));
        jset(j, arr, NULL, x);
    }
    jset(j, root, "invisibles", arr);
    jset(j, root, "ruby_mode", jstr(j, RUBY_MODES[in->layout->ruby_mode]));
    arr = jnew(j, json_array());
    for (size_t i = 0; i < in->doc->n_blocks; i++) {
        const pb_block *blk = &in->doc->blocks[i];
        for (size_t k = 0; k < blk->n_annots; k++) {
            const pb_annot *a = &blk->annots[k];
            json_t *x = jnew(j, json_object());
            jset(j, x, "line", jint(j, a->line));
            jset(j, x, "col", jint(j, a->col));
            jset(j, x, "base", ju32(j, blk->text + a->base, 1));
            jset(j, x, "pinyin", ju32(j, a->text, a->len));
            jset(j, arr, NULL, x);
        }
    }
    jset(j, root, "annotations", arr);
    const pb_queries *q = in->queries;
    jset(j, root, "queries_checked", jnew(j, json_boolean(q && q->checked)));
    if (q && q->checked) {
        json_t *x = jnew(j, json_object());
        char engine[32];
        snprintf(engine, sizeof engine, "OpenCC %s", q->config);
        jset(j, x, "lang_zh", jstr(j, in->layout->lang_zh));
        jset(j, x, "variant", jstr(j, q->variant));
        jset(j, x, "region", jstr(j, q->region));
        jset(j, x, "engine", jstr(j, engine));
        jset(j, x, "han", jint(j, (long long)q->han));
        jset(j, x, "other_variant", jint(j, (long long)q->other));
        jset(j, x, "looks_other_variant", jnew(j, json_boolean(q->looks_other)));
        jset(j, x, "accepted", jint(j, (long long)q->accepted));
        jset(j, x, "unlisted", jint(j, (long long)q->unlisted));
        if (q->looks_other)
            jset(j, x, "hint", jstr(j, pb_report_variant_hint(q)));
        jset(j, root, "queries_summary", x);
    }
    arr = jnew(j, json_array());
    for (size_t i = 0; q && i < q->n; i++) {
        const pb_query *e = &q->v[i];
        json_t *x = jnew(j, json_object());
        jset(j, x, "kind", jstr(j, QUERY_KINDS[e->kind]));
        jset(j, x, "line", jint(j, e->line));
        jset(j, x, "col", jint(j, e->col));
        jset(j, x, "found", ju32(j, e->found, e->found_len));
        jset(j, x, "suggested", ju32(j, e->suggested, e->suggested_len));
        if (e->kind == PB_QUERY_LENGTH) {
            jset(j, x, "han", jint(j, (long long)e->han));
            jset(j, x, "letters", jint(j, (long long)e->letters));
            jset(j, x, "other_line", jint(j, e->other_line));
        }
        jset(j, arr, NULL, x);
    }
    jset(j, root, "queries", arr);
    arr = jnew(j, json_array());
    for (size_t o = 0; o < in->n_outputs; o++)
        for (size_t i = 0; i < in->pages[o]->n_issues; i++) {
            const pb_issue *is = &in->pages[o]->issues[i];
            json_t *x = jnew(j, json_object());
            jset(j, x, "kind", jstr(j, ISSUE_NAMES[is->kind]));
            jset(j, x, "line", jint(j, is->line));
            jset(j, x, "page", jint(j, (long long)is->page + 1));
            int folio = folio_of(in->pages[o], is->page); /* the number printed on it */
            jset(j, x, "folio", folio > 0 ? jint(j, folio) : jnew(j, json_null()));
            jset(j, x, "output", jstr(j, in->outputs[o]));
            jset(j, x, "value", jreal(j, round(is->value * MILLI) / MILLI));
            jset(j, x, "unit", jstr(j, ISSUE_UNITS[is->kind]));
            if (is->kind == PB_ISSUE_RUBY_OFF) {
                jset(j, x, "count", jint(j, (long long)is->count));
                jset(j, x, "too_wide", jint(j, (long long)is->wide));
                jset(j, x, "line_edge", jint(j, (long long)is->edge));
                jset(j, x, "defects", jint(j, (long long)ruby_defects(is)));
            }
            if (is->kind == PB_ISSUE_SHORT_PAGE) {
                jset(j, x, "cause", jstr(j, CAUSE_NAMES[is->cause]));
                jset(j, x, "cause_line", jint(j, is->cause_line));
            }
            if (is->kind == PB_ISSUE_KEEP_OVER || is->kind == PB_ISSUE_VERSE_OVER)
                jset(j, x, "page_lines", jint(j, (long long)is->count));
            if (is->kind == PB_ISSUE_KEEP_OVER)
                jset(j, x, "pairs", jint(j, (long long)is->pairs));
            if (is->kind == PB_ISSUE_SPACED || is->kind == PB_ISSUE_LOOSE ||
                is->kind == PB_ISSUE_LOOSE_GAP) {
                jset(j, x, "lack_em", jreal(j, round(is->lack * MILLI) / MILLI));
                /* every kind of gap a reader sees on it (em), the widest its kind */
                json_t *g = jnew(j, json_object());
                const float gaps[PB_GAP_KINDS] = {is->gap_ideo, is->gap_han_latin, is->gap_word};
                for (int k = 0; k < PB_GAP_KINDS; k++)
                    if (gaps[k] > 0)
                        jset(j, g, GAP_NAMES[k], jreal(j, round(gaps[k] * MILLI) / MILLI));
                jset(j, x, "gaps_em", g);
            }
            if (is->kind == PB_ISSUE_NOTE_APART || is->kind == PB_ISSUE_NOTE_ALONE) {
                jset(j, x, "mark", ju32(j, is->mark, is->mark_len));
                const char *other = is->other > 0 ? leaflet_output(in, is->other) : NULL;
                jset(j, x, "other_output", other ? jstr(j, other) : jnew(j, json_null()));
            }
            if (is->kind == PB_ISSUE_TIGHT) {
                jset(j, x, "word_space_em", jreal(j, round(is->word_min * MILLI) / MILLI));
                jset(j, x, "word_space_share", jreal(j, round(is->word_share * MILLI) / MILLI));
                jset(j, x, "letters", jreal(j, round(is->letters * MILLI) / MILLI));
                jset(j, x, "marks_em", jreal(j, round(is->marks_em * MILLI) / MILLI));
                jset(j, x, "ending", ju32(j, is->before, is->before_len));
            }
            if (is->kind == PB_ISSUE_TIE_BROKEN || is->kind == PB_ISSUE_HOST_BROKEN ||
                is->kind == PB_ISSUE_CAPITAL_HYPHEN || is->kind == PB_ISSUE_CUT) {
                /* what the break parted, no widths */
                jset(j, x, "before", ju32(j, is->before, is->before_len));
                jset(j, x, "next", ju32(j, is->next, is->next_len));
            } else if (is->next) {
                jset(j, x, "next", ju32(j, is->next, is->next_len));
                jset(j, x, "next_em", jreal(j, round(is->next_w * MILLI) / MILLI));
                jset(j, x, "next_over_em", jreal(j, round(is->next_over * MILLI) / MILLI));
                if (is->next_hyph_len)
                    jset(j, x, "next_hyphenated", ju32(j, is->next, is->next_hyph_len));
                jset(j, x, "next_penalty", jint(j, is->next_penalty));
                if (is->next_host)
                    jset(j, x, "next_host", json_true());
            }
            if (is->why) {
                /* what taking the piece, which fitted, would have cost below; an address's
                 * break: what breaking elsewhere would have */
                json_t *w = jnew(j, json_object());
                jset(j, w, "kind", jstr(j, WHY_NAMES[is->why]));
                jset(j, w, "lines_below", jint(j, is->why_line));
                if (is->why == PB_WHY_SPACED) {
                    jset(j, w, "pitch_em", jreal(j, round(is->why_value * MILLI) / MILLI));
                    jset(j, w, "lines_spaced", jint(j, (long long)is->why_lines));
                } else if (is->why == PB_WHY_TIE || is->why == PB_WHY_HOST) {
                    jset(j, w, "penalty", jint(j, (long long)is->why_value));
                }
                if (is->why_next)
                    jset(j, w, "next", ju32(j, is->why_next, is->why_len));
                jset(j, x, "instead", w);
            }
            jset(j, arr, NULL, x);
        }
    jset(j, root, "issues", arr);
    json_t *rb = jnew(j, json_object());
    jset(j, rb, "set", jint(j, (long long)t.rubies));
    jset(j, rb, "max_offset_pt", jreal(j, round(t.ruby_off * MILLI) / MILLI));
    jset(j, rb, "off", jint(j, (long long)t.rubies_off));
    jset(j, rb, "off_too_wide", jint(j, (long long)t.rubies_wide));
    jset(j, rb, "off_line_edge", jint(j, (long long)t.rubies_edge));
    jset(j, rb, "off_defects",
         jint(j, (long long)(t.rubies_off - t.rubies_wide - t.rubies_edge)));
    jset(j, root, "ruby", rb);
    arr = jnew(j, json_array());
    for (size_t o = 0; o < in->n_outputs; o++)
        for (size_t i = 0; i < in->pages[o]->n_heads; i++) {
            const pb_headnote *h = &in->pages[o]->heads[i];
            json_t *x = jnew(j, json_object());
            jset(j, x, "line", jint(j, h->line));
            jset(j, x, "section", jint(j, h->section));
            jset(j, x, "output", jstr(j, in->outputs[o]));
            jset(j, x, "text", ju32(j, h->text, h->len));
            jset(j, x, "rule", jstr(j, h->rule));
            jset(j, x, "ellipsis", jnew(j, json_boolean(h->ellipsis)));
            jset(j, arr, NULL, x);
        }
    jset(j, root, "running_heads", arr);
    return root;
}

/* 0: written; 1: out of memory building it (said); 2: the stream failed (not said). */
static int write_json(const pb_report_input *in, FILE *f)
{
    jctx j = {1};
    json_t *root = build_json(&j, in);
    if (!j.ok) {
        json_decref(root);
        pb_diag_oom("writing the JSON report");
        return 1;
    }
    /* keys in the order built (jansson keeps insertion order); UTF-8 as is */
    int r = json_dumpf(root, f, JSON_INDENT(2) | JSON_REAL_PRECISION(JSON_REAL_DIGITS));
    json_decref(root);
    return r != 0 || fputc('\n', f) == EOF ? 2 : 0;
}

pb_status pb_report_write(const pb_report_input *in, int json, pb_output *out)
{
    FILE *f = pb_output_open(out) == PB_OK ? pb_output_text(out) : NULL;
    if (!f)
        return PB_ESYSTEM;
    int r = 0;
    if (json)
        r = write_json(in, f);
    else
        write_text(in, f);
    pb_status closed = pb_output_close(out);
    if (closed != PB_OK)
        return closed;
    if (r == 2) /* the in-memory stream failed and closing it did not say so */
        return pb_diag_oom("writing the JSON report");
    return r ? PB_ESYSTEM : PB_OK;
}

void pb_report_summary(const pb_report_input *in, FILE *f)
{
    totals t = count(in);
    char line[1024];
    size_t n = 0;
#define ADD(...) \
    do { \
        int w_ = snprintf(line + n, sizeof line - n, __VA_ARGS__); \
        if (w_ > 0) \
            n = n + (size_t)w_ < sizeof line ? n + (size_t)w_ : sizeof line - 1; \
    } while (0)
    ADD("paiban: %s: %zu file(s), %zu page(s); %zu punctuation changes, %zu annotations (%s)",
        in->product, in->n_outputs, t.pages, in->changes->n, t.annots,
        RUBY_MODES[in->layout->ruby_mode]);
    if (t.issues || t.notdef)
        ADD("; %zu composition problem(s), %zu missing glyph(s): see the report", t.issues,
            t.notdef);
    if (in->changes->n_invisibles)
        ADD("; %zu invisible or format character(s): see the report", in->changes->n_invisibles);
    if (in->queries && in->queries->n)
        ADD("; %zu editor quer%s: see the report", in->queries->n,
            in->queries->n == 1 ? "y" : "ies");
    if (in->queries && in->queries->looks_other)
        ADD("; %s", pb_report_variant_hint(in->queries));
#undef ADD
    /* the product's name comes from a file name: escaped as every message is (diag.c) */
    pb_diag_line(f, "%s", line);
}
