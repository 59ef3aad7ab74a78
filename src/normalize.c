/* normalize: ASCII punctuation in Han context becomes full-width (Chinese blocks); straight
 * quotes, dashes and ellipses become what a typesetter sets (both languages, unless the layout
 * turns smart punctuation off). */
#include "normalize.h"

#include <unicode/uchar.h>

#include <stdlib.h>
#include <string.h>

#include "uchar.h"

#define CHANGES_INITIAL_CAP 64

static pb_status oom(void)
{
    pb_diag_syserr("out of memory");
    return PB_ESYSTEM;
}

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

#define CP_IDEO_STOP 0x3002u /* 。 */

static pb_status record_n(pb_changes *ch, int line, int col, pb_change_kind kind,
                          const uint32_t *before, size_t nb, const uint32_t *after, size_t na)
{
    if (!ch)
        return PB_OK;
    if (ch->n == ch->cap) {
        size_t nc = ch->cap ? ch->cap * 2 : CHANGES_INITIAL_CAP;
        pb_change *p = realloc(ch->items, nc * sizeof *p);
        if (!p)
            return oom();
        ch->items = p, ch->cap = nc;
    }
    pb_change *c = &ch->items[ch->n++];
    memset(c, 0, sizeof *c);
    c->line = line, c->col = col, c->kind = kind;
    c->n_before = (uint8_t)nb, c->n_after = (uint8_t)na;
    memcpy(c->before, before, nb * sizeof *before);
    memcpy(c->after, after, na * sizeof *after);
    return PB_OK;
}

static pb_status record(pb_changes *ch, int line, int col, uint32_t before, uint32_t after)
{
    return record_n(ch, line, col, PB_CHANGE_FULLWIDTH, &before, 1, &after, 1);
}

static int in_url(const pb_block *b, size_t i) { return b->marks && (b->marks[i] & PB_MARK_URL); }

static int is_ascii_alnum(uint32_t c)
{
    return pb_uchar_is_ascii_letter(c) || (c >= '0' && c <= '9');
}

/* A matched ASCII parenthesis pair converts as a whole when either side is in Han context,
 * so 中文(see p.5). gives 中文（see p.5）. rather than a mixed pair; a pair glued to a Latin
 * letter or digit outside it is part of a Latin token and stays ASCII: 致電(02)2345-6789,
 * f(x). */
static pb_status pair_parens(const pb_block *b, unsigned char *conv)
{
    size_t n_open = 0, depth = 0;
    for (size_t i = 0; i < b->len; i++)
        n_open += b->text[i] == '(';
    if (n_open == 0)
        return PB_OK;
    size_t *stack = malloc(n_open * sizeof *stack);
    if (!stack)
        return oom();
    for (size_t i = 0; i < b->len; i++) {
        if (b->text[i] == '(') {
            stack[depth++] = i;
        } else if (b->text[i] == ')' && depth > 0) {
            size_t open = stack[--depth];
            int token = (open > 0 && is_ascii_alnum(b->text[open - 1])) ||
                        (i + 1 < b->len && is_ascii_alnum(b->text[i + 1]));
            if (token)
                conv[open] = conv[i] = 0;
            else if (conv[open] || conv[i])
                conv[open] = conv[i] = 1;
        }
    }
    free(stack);
    return PB_OK;
}

/* A full stop that ends a Chinese sentence: after Han text (or its closing marks), before the
 * end, a space, Han text or a closing mark; never inside a number (0.10元) or a Latin word. */
static int sentence_stop(const pb_block *b, size_t i)
{
    if (b->text[i] != '.' || i == 0 || !is_han_context(b->text[i - 1]))
        return 0;
    if (i + 1 < b->len && b->text[i + 1] == '.')
        return 0; /* an ellipsis ... */
    return i + 1 == b->len || b->text[i + 1] == ' ' || is_han_context(b->text[i + 1]) ||
           b->text[i + 1] == 0x201D || b->text[i + 1] == 0x2019;
}

static pb_status normalize_block(pb_block *b, pb_changes *ch)
{
    size_t n_cand = 0;
    for (size_t i = 0; i < b->len; i++)
        n_cand += fullwidth(b->text[i]) != 0 || b->text[i] == '.';
    if (n_cand == 0)
        return PB_OK;
    /* decide on the original text first so one change does not drag its neighbour along */
    unsigned char *conv = calloc(b->len, 1);
    if (!conv)
        return oom();
    for (size_t i = 0; i < b->len; i++) {
        if (in_url(b, i))
            continue;
        if (sentence_stop(b, i)) {
            conv[i] = 1;
            continue;
        }
        if (!fullwidth(b->text[i]))
            continue;
        conv[i] = (i > 0 && is_han_context(b->text[i - 1])) ||
                  (i + 1 < b->len && is_han_context(b->text[i + 1]));
    }
    pb_status st = pair_parens(b, conv);
    for (size_t i = 0; i < b->len && st == PB_OK; i++) {
        if (!conv[i])
            continue;
        uint32_t before = b->text[i], after = before == '.' ? CP_IDEO_STOP : fullwidth(before);
        b->text[i] = after;
        st = record(ch, b->line, (int)b->col[i], before, after);
    }
    free(conv);
    return st;
}

/* ---- smart punctuation ------------------------------------------------------------------- */

#define LDQUO 0x201Cu /* “ */
#define RDQUO 0x201Du /* ” */
#define LSQUO 0x2018u /* ‘ */
#define RSQUO 0x2019u /* ’ (also the apostrophe) */
#define CORNER_L 0x300Cu  /* 「 */
#define CORNER_R 0x300Du  /* 」 */
#define WCORNER_L 0x300Eu /* 『 */
#define WCORNER_R 0x300Fu /* 』 */
#define EN_DASH 0x2013u
#define EM_DASH 0x2014u
#define HELLIP 0x2026u

/* A quote opens after the start, a space, an opening bracket or quote, or a dash. */
static int opens_after(const pb_block *b, size_t i)
{
    if (i == 0)
        return 1;
    uint32_t p = b->text[i - 1];
    return p == ' ' || p == 0x00A0 || p == '(' || p == '[' || p == '{' || p == LDQUO ||
           p == LSQUO || p == EN_DASH || p == EM_DASH || p == '-' || p == PB_LINE_BREAK ||
           p == 0x3000 || pb_uchar_is_cjk_punct(p) || pb_uchar_is_han(p);
}

typedef struct {
    uint32_t *text, *col;
    uint8_t *marks;
    size_t *at;             /* old index -> new index (size len + 1) */
    size_t n;
} rebuilt;

static void put(rebuilt *r, uint32_t c, uint32_t col, uint8_t mark)
{
    r->text[r->n] = c;
    r->col[r->n] = col;
    if (r->marks)
        r->marks[r->n] = mark;
    r->n++;
}

/* Straight quotes, dashes and ellipses of one block, set as a typesetter would. */
static pb_status smart_block(pb_block *b, const pb_normalize_opts *o, pb_changes *ch)
{
    size_t cand = 0;
    for (size_t i = 0; i < b->len; i++) {
        uint32_t c = b->text[i];
        cand += c == '"' || c == '\'' || c == '-' || c == '.' ||
                (b->lang == PB_LANG_ZH && o->quotes_zh == PB_QUOTES_ZH_CORNER &&
                 (c == LDQUO || c == RDQUO || c == LSQUO || c == RSQUO));
    }
    if (!cand)
        return PB_OK;
    int zh = b->lang == PB_LANG_ZH, corner = zh && o->quotes_zh == PB_QUOTES_ZH_CORNER;
    rebuilt r = {malloc(b->len * sizeof *r.text), malloc(b->len * sizeof *r.col),
                 b->marks ? malloc(b->len) : NULL, malloc((b->len + 1) * sizeof *r.at), 0};
    if (!r.text || !r.col || (b->marks && !r.marks) || !r.at) {
        free(r.text), free(r.col), free(r.marks), free(r.at);
        return oom();
    }
    pb_status st = PB_OK;
    int dq_open = 0, sq_open = 0; /* Chinese: quotes alternate */
    for (size_t i = 0; i < b->len && st == PB_OK;) {
        uint32_t c = b->text[i];
        uint8_t m = b->marks ? b->marks[i] : 0;
        uint32_t out[PB_CHANGE_MAX];
        size_t take = 1, n_out = 0;
        pb_change_kind kind = PB_CHANGE_QUOTE;
        int latin_word = i > 0 && i + 1 < b->len && is_ascii_alnum(b->text[i - 1]) &&
                         pb_uchar_is_ascii_letter(b->text[i + 1]);
        if (in_url(b, i)) {
            /* a URL keeps every character */
        } else if (c == '"') {
            int open = zh ? !dq_open : opens_after(b, i);
            dq_open = zh ? open : dq_open;
            out[n_out++] = corner ? (open ? CORNER_L : CORNER_R) : (open ? LDQUO : RDQUO);
        } else if (c == '\'') {
            if (latin_word || (i > 0 && is_ascii_alnum(b->text[i - 1]) && !zh)) {
                out[n_out++] = RSQUO; /* an apostrophe, or a closing quote after a word */
            } else if (!zh && i + 2 < b->len && b->text[i + 1] >= '0' && b->text[i + 1] <= '9' &&
                       b->text[i + 2] >= '0' && b->text[i + 2] <= '9') {
                out[n_out++] = RSQUO; /* ’90s */
            } else {
                int open = zh ? !sq_open : opens_after(b, i);
                sq_open = zh ? open : sq_open;
                out[n_out++] = corner ? (open ? WCORNER_L : WCORNER_R) : (open ? LSQUO : RSQUO);
            }
        } else if (corner && (c == LDQUO || c == RDQUO || c == LSQUO || (c == RSQUO && !latin_word))) {
            out[n_out++] = c == LDQUO ? CORNER_L : c == RDQUO ? CORNER_R
                         : c == LSQUO ? WCORNER_L : WCORNER_R;
        } else if (c == '-' && i + 1 < b->len && b->text[i + 1] == '-' && !in_url(b, i + 1)) {
            kind = PB_CHANGE_DASH;
            take = i + 2 < b->len && b->text[i + 2] == '-' && !in_url(b, i + 2) ? 3 : 2;
            if (zh) {
                out[n_out++] = EM_DASH; /* Chinese: the two-em dash —— */
                out[n_out++] = EM_DASH;
            } else {
                out[n_out++] = take == 3 ? EM_DASH : EN_DASH;
            }
        } else if (c == '.' && i + 2 < b->len && b->text[i + 1] == '.' && b->text[i + 2] == '.' &&
                   !in_url(b, i + 1) && !in_url(b, i + 2) &&
                   (i + 3 == b->len || b->text[i + 3] != '.')) {
            kind = PB_CHANGE_ELLIPSIS;
            take = 3;
            out[n_out++] = HELLIP;
            if (zh)
                out[n_out++] = HELLIP; /* Chinese: the two-em ellipsis …… */
        }
        for (size_t k = 0; k < take; k++)
            r.at[i + k] = r.n;
        if (!n_out) {
            put(&r, c, b->col[i], m);
            i++;
            continue;
        }
        for (size_t k = 0; k < n_out; k++)
            put(&r, out[k], b->col[i], m);
        st = record_n(ch, b->line, (int)b->col[i], kind, b->text + i, take, out, n_out);
        i += take;
    }
    r.at[b->len] = r.n;
    if (st == PB_OK) {
        for (size_t k = 0; k < b->n_annots; k++)
            b->annots[k].base = r.at[b->annots[k].base];
        for (size_t k = 0; k < b->n_links; k++) {
            b->links[k].start = r.at[b->links[k].start];
            b->links[k].end = r.at[b->links[k].end];
        }
        free(b->text), free(b->col), free(b->marks);
        b->text = r.text, b->col = r.col, b->marks = r.marks, b->len = r.n;
        r.text = NULL, r.col = NULL, r.marks = NULL;
    }
    free(r.text), free(r.col), free(r.marks), free(r.at);
    return st;
}

/* UAX #15 stream-safe text format: at most 30 non-starters in a row. Longer runs are no text
 * any language writes, and shaping them costs time quadratic in their length (mark
 * attachment), so they are refused. */
#define MAX_COMBINING_RUN 30

static pb_status check_combining(const pb_doc *doc)
{
    for (size_t i = 0; i < doc->n_blocks; i++) {
        const pb_block *b = &doc->blocks[i];
        size_t run = 0;
        for (size_t k = 0; k < b->len; k++) {
            run = u_getCombiningClass((UChar32)b->text[k]) != 0 ? run + 1 : 0;
            if (run > MAX_COMBINING_RUN) {
                pb_diag_error(doc->file, b->line, (int)b->col[k],
                              "more than %d combining marks in a row (UAX #15 stream-safe "
                              "limit)",
                              MAX_COMBINING_RUN);
                return PB_EINPUT;
            }
        }
    }
    return PB_OK;
}

/* Changes in source order (a block's full-width and smart changes are found apart). */
static int by_position(const void *a, const void *b)
{
    const pb_change *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return (x->col > y->col) - (x->col < y->col);
}

void pb_normalize_opts_of(const pb_layout *layout, pb_normalize_opts *out)
{
    out->smart = layout->smart_punctuation;
    out->quotes_zh = layout->quotes_zh;
}

pb_status pb_normalize_doc(pb_doc *doc, const pb_normalize_opts *opts, pb_changes *changes)
{
    static const pb_normalize_opts defaults = {1, PB_QUOTES_ZH_CURLY};
    if (!doc)
        return PB_OK;
    if (!opts)
        opts = &defaults;
    pb_status cs = check_combining(doc);
    if (cs != PB_OK)
        return cs;
    for (size_t i = 0; i < doc->n_blocks; i++) {
        pb_status st = PB_OK;
        if (doc->blocks[i].lang == PB_LANG_ZH)
            st = normalize_block(&doc->blocks[i], changes);
        if (st == PB_OK && opts->smart)
            st = smart_block(&doc->blocks[i], opts, changes);
        if (st != PB_OK)
            return st;
    }
    if (changes && changes->n > 1)
        qsort(changes->items, changes->n, sizeof *changes->items, by_position);
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
