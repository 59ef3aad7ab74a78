/* normalize: ASCII punctuation in Han context becomes full-width (Chinese blocks only). */
#include "normalize.h"

#include <unicode/uchar.h>

#include <stdlib.h>

#include "uchar.h"

#define CHANGES_INITIAL_CAP 64

/* The full-width form of a punctuation mark we normalize, or 0. */
static uint32_t fullwidth(uint32_t c)
{
    switch (c) {
    case ',': return 0xFF0C;
    case ':': return 0xFF1A;
    case ';': return 0xFF1B;
    case '?': return 0xFF1F;
    case '!': return 0xFF01;
    case '(': return 0xFF08;
    case ')': return 0xFF09;
    default: return 0;
    }
}

static int is_han_context(uint32_t c) { return pb_uchar_is_han(c) || pb_uchar_is_cjk_punct(c); }

static pb_status record(pb_changes *ch, int line, int col, uint32_t before, uint32_t after)
{
    if (!ch)
        return PB_OK;
    if (ch->n == ch->cap) {
        size_t nc = ch->cap ? ch->cap * 2 : CHANGES_INITIAL_CAP;
        pb_change *p = realloc(ch->items, nc * sizeof *p);
        if (!p)
            return pb_diag_oom("normalizing punctuation");
        ch->items = p, ch->cap = nc;
    }
    ch->items[ch->n++] = (pb_change){.line = line, .col = col, .before = before, .after = after};
    return PB_OK;
}

/* A matched ASCII parenthesis pair converts as a whole when either side is in Han context,
 * so 中文(see p.5). gives 中文（see p.5）. rather than a mixed pair. */
static pb_status pair_parens(const pb_block *b, unsigned char *conv)
{
    size_t n_open = 0, depth = 0;
    for (size_t i = 0; i < b->len; i++)
        n_open += b->text[i] == '(';
    if (n_open == 0)
        return PB_OK;
    size_t *stack = malloc(n_open * sizeof *stack);
    if (!stack)
        return pb_diag_oom("normalizing punctuation");
    for (size_t i = 0; i < b->len; i++) {
        if (b->text[i] == '(') {
            stack[depth++] = i;
        } else if (b->text[i] == ')' && depth > 0) {
            size_t open = stack[--depth];
            if (conv[open] || conv[i])
                conv[open] = conv[i] = 1;
        }
    }
    free(stack);
    return PB_OK;
}

static pb_status normalize_block(pb_block *b, pb_changes *ch)
{
    size_t n_cand = 0;
    for (size_t i = 0; i < b->len; i++)
        n_cand += fullwidth(b->text[i]) != 0;
    if (n_cand == 0)
        return PB_OK;
    /* decide on the original text first so one change does not drag its neighbour along */
    unsigned char *conv = calloc(b->len, 1);
    if (!conv)
        return pb_diag_oom("normalizing punctuation");
    for (size_t i = 0; i < b->len; i++) {
        if (!fullwidth(b->text[i]))
            continue;
        conv[i] = (i > 0 && is_han_context(b->text[i - 1])) ||
                  (i + 1 < b->len && is_han_context(b->text[i + 1]));
    }
    pb_status st = pair_parens(b, conv);
    for (size_t i = 0; i < b->len && st == PB_OK; i++) {
        if (!conv[i])
            continue;
        uint32_t before = b->text[i], after = fullwidth(before);
        b->text[i] = after;
        st = record(ch, b->line, (int)b->col[i], before, after);
    }
    free(conv);
    return st;
}

/* UAX #15 stream-safe text format: at most 30 non-starters in a row. Longer runs are no text
 * any language writes, and shaping them costs time quadratic in their length (mark
 * attachment), so they are refused. A character that does not start a new grapheme cluster
 * (UAX #29: Grapheme_Cluster_Break Extend, ZWJ or SpacingMark) continues the run: U+034F
 * COMBINING GRAPHEME JOINER (which UAX #15 itself puts between runs of 30), ZWNJ, ZWJ and the
 * variation selectors join the marks around them to the same base: runs of 30 marks
 * separated by them would make one cluster of any length, shaped in quadratic time. */
#define MAX_COMBINING_RUN 30

/* Does c continue the grapheme cluster of the character before it? */
static int continues_cluster(uint32_t c)
{
    if (u_getCombiningClass((UChar32)c) != 0)
        return 1;
    switch (u_getIntPropertyValue((UChar32)c, UCHAR_GRAPHEME_CLUSTER_BREAK)) {
    case U_GCB_EXTEND:
    case U_GCB_ZWJ:
    case U_GCB_SPACING_MARK:
        return 1;
    default:
        return 0;
    }
}

static pb_status check_combining(const pb_doc *doc)
{
    for (size_t i = 0; i < doc->n_blocks; i++) {
        const pb_block *b = &doc->blocks[i];
        size_t run = 0;
        for (size_t k = 0; k < b->len; k++) {
            run = continues_cluster(b->text[k]) ? run + 1 : 0;
            if (run > MAX_COMBINING_RUN) {
                pb_diag_error(doc->file, b->line, (int)b->col[k],
                              "more than %d combining marks in a row (UAX #15 stream-safe "
                              "limit; joiners such as U+034F do not end the row)",
                              MAX_COMBINING_RUN);
                return PB_EINPUT;
            }
        }
    }
    return PB_OK;
}

/* Setting a paragraph keeps its glyphs, nodes, Knuth-Plass breaks and placed lines until its
 * last line is set: up to PB_PARA_BYTES_PER_CODE_POINT bytes of memory per code point
 * (measured: 223 for the corpus's English, 280 for one-letter words, 241 for its Chinese with
 * pinyin, 446 for Han characters alone, which are a box and a glue each; tests/README.md
 * "Limits"). A paragraph is refused beyond PB_PARA_MAX_CODE_POINTS code points of its source
 * line (pinyin annotations included), before any of that is spent; no real paragraph comes
 * near it. */
static pb_status check_length(const pb_doc *doc)
{
    for (size_t i = 0; i < doc->n_blocks; i++) {
        const pb_block *b = &doc->blocks[i];
        if (b->len == 0)
            continue;
        /* the source columns from the first code point on are the paragraph's: its text, and
         * its annotations with their parentheses (the last may follow the last text) */
        size_t last = b->col[b->len - 1];
        if (b->n_annots && b->annots[b->n_annots - 1].base == b->len - 1)
            last = (size_t)b->annots[b->n_annots - 1].col + b->annots[b->n_annots - 1].len + 1;
        if (last - b->col[0] < PB_PARA_MAX_CODE_POINTS)
            continue;
        pb_diag_error(doc->file, b->line, (int)(b->col[0] + PB_PARA_MAX_CODE_POINTS),
                      "paragraph longer than %d code points (the limit: setting a paragraph "
                      "takes up to %d bytes of memory per code point)",
                      PB_PARA_MAX_CODE_POINTS, PB_PARA_BYTES_PER_CODE_POINT);
        return PB_EINPUT;
    }
    return PB_OK;
}

pb_status pb_normalize_doc(pb_doc *doc, pb_changes *changes)
{
    if (!doc)
        return PB_OK;
    pb_status cs = check_length(doc);
    if (cs == PB_OK)
        cs = check_combining(doc);
    if (cs != PB_OK)
        return cs;
    for (size_t i = 0; i < doc->n_blocks; i++) {
        if (doc->blocks[i].lang != PB_LANG_ZH)
            continue;
        pb_status st = normalize_block(&doc->blocks[i], changes);
        if (st != PB_OK)
            return st;
    }
    return PB_OK;
}

void pb_normalize_free_changes(pb_changes *changes)
{
    if (!changes)
        return;
    free(changes->items);
    changes->items = NULL;
    changes->n = changes->cap = 0;
}
