/* fuzz_corpus: the corpus reader and the normalizer on arbitrary bytes.
 * Feeds the input to pb_corpus_parse, then pb_normalize_doc, and checks what corpus.h and
 * normalize.h promise: an accepted document is zh/en pairs with sane positions; a rejected one
 * gives PB_EINPUT, no document, and exactly one "fuzz.txt:LINE:COL: error: " message. The
 * normalizer (its options picked by the input's first byte) lists every change it makes (the
 * text at the change's column is its "after") and every invisible character where the source
 * has it, leaves English visible text alone when smart punctuation is off, or refuses the text
 * (a run of more than 30 combining marks, right-to-left text) with PB_EINPUT and one such
 * message. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "require.h"
#include "corpus.h"
#include "diag.h"
#include "normalize.h"
#include "uchar.h"

#define NAME "fuzz.txt"
#define PINYIN_MAX 7 /* corpus.c: an annotation has 1 to 7 letters */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int is_scalar(uint32_t c) { return c <= 0x10FFFF && !(c >= 0xD800 && c <= 0xDFFF); }

static int is_control(uint32_t c) { return (c < 0x20 && c != '\t') || (c >= 0x7F && c <= 0x9F); }

static int is_edge_space(uint32_t c) { return c == ' ' || c == '\t' || c == 0xA0 || c == 0x3000; }

/* The English text's visible characters (invisible ones may be dropped or replaced, and the
 * spaces a dropped one leaves at an edge trimmed). */
static uint64_t en_checksum(const pb_doc *doc)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (size_t i = 0; i < doc->n_blocks; i++) {
        if (doc->blocks[i].lang != PB_LANG_EN)
            continue;
        for (size_t k = 0; k < doc->blocks[i].len; k++) {
            uint32_t c = doc->blocks[i].text[k];
            if (!pb_uchar_is_invisible(c) && !is_edge_space(c))
                h = (h ^ c) * 1099511628211u;
        }
    }
    return h;
}

/* normalized: a block may be empty once its invisible characters are dropped */
static void check_doc(const pb_doc *doc, int normalized)
{
    REQUIRE(doc->file && strcmp(doc->file, NAME) == 0);
    REQUIRE(doc->n_blocks >= 2 && doc->n_blocks % 2 == 0);
    int prev_line = 0, prev_section = 0;
    for (size_t i = 0; i < doc->n_blocks; i++) {
        const pb_block *b = &doc->blocks[i];
        REQUIRE(b->lang == (i % 2 == 0 ? PB_LANG_ZH : PB_LANG_EN));
        REQUIRE(b->pair == (int)(i / 2));
        REQUIRE(b->kind == doc->blocks[i - i % 2].kind);
        REQUIRE((i < 2) == (b->kind == PB_BLOCK_TITLE));
        REQUIRE(b->section >= prev_section && b->section <= doc->n_sections);
        REQUIRE(b->section == 0 || b->kind == PB_BLOCK_HEADING || b->kind == PB_BLOCK_PARA);
        prev_section = b->section;
        REQUIRE(b->line > prev_line);
        prev_line = b->line;
        REQUIRE((b->len >= 1 || normalized) && b->text && b->col);
        REQUIRE(b->len == 0 || (!is_edge_space(b->text[0]) && !is_edge_space(b->text[b->len - 1])));
        for (size_t k = 0; k < b->len; k++) {
            REQUIRE(is_scalar(b->text[k]) && !is_control(b->text[k]));
            /* columns increase, but for the space English sets beside a full-width mark made
             * ASCII (normalize.c halfwidth_block): it takes its mark's column */
            REQUIRE(b->col[k] >= 1 &&
                    (k == 0 || b->col[k] > b->col[k - 1] ||
                     (normalized && b->col[k] == b->col[k - 1] &&
                      (b->text[k] == ' ' || b->text[k - 1] == ' '))));
        }
        REQUIRE(b->n_annots == 0 || (b->lang == PB_LANG_ZH && b->annots));
        for (size_t l = 0; l < b->n_links; l++) {
            const pb_link *ln = &b->links[l];
            REQUIRE(ln->start <= ln->end && ln->end <= b->len && ln->target && ln->target[0]);
            REQUIRE(l == 0 || ln->start >= b->links[l - 1].end);
            for (size_t k = ln->start; k < ln->end; k++)
                REQUIRE(b->marks && (b->marks[k] & PB_MARK_LINK));
        }
        REQUIRE(b->kind == PB_BLOCK_HEADING ? b->level == 1 || b->level == 2 : b->level == 0);
        for (size_t a = 0; a < b->n_annots; a++) {
            const pb_annot *an = &b->annots[a];
            REQUIRE(an->base < b->len && (a == 0 || an->base > b->annots[a - 1].base));
            REQUIRE(an->len >= 1 && an->len <= PINYIN_MAX && an->text);
            REQUIRE(an->line == b->line && an->col > (int)b->col[an->base]);
            REQUIRE(an->base + 1 == b->len || an->col < (int)b->col[an->base + 1]);
        }
    }
    REQUIRE(doc->blocks[doc->n_blocks - 1].section == doc->n_sections);
}

static void check_changes(const pb_doc *doc, const pb_changes *ch, int smart)
{
    for (size_t i = 0; i < ch->n; i++) {
        const pb_change *c = &ch->items[i];
        REQUIRE(c->n_before >= 1 && c->n_before <= PB_CHANGE_MAX);
        REQUIRE(c->n_after >= 1 && c->n_after <= PB_CHANGE_MAX);
        REQUIRE(c->before[0] < 0x80 || c->kind == PB_CHANGE_QUOTE || c->kind == PB_CHANGE_HALFWIDTH);
        if (c->kind == PB_CHANGE_FULLWIDTH)
            REQUIRE(c->n_before == 1 && strchr(",:;?!().", (int)c->before[0]) &&
                    (c->after[0] == c->before[0] + 0xFEE0 || c->after[0] == 0x3002));
        else if (c->kind == PB_CHANGE_HALFWIDTH)
            REQUIRE(smart && c->n_before == 1 && c->before[0] >= 0x3002 && c->n_after <= 2 &&
                    strchr(",.:;!?()", (int)c->after[c->after[0] == ' ']));
        else if (c->kind == PB_CHANGE_SPACES) /* with or without smart punctuation */
            REQUIRE(c->before[0] == ' ' && c->n_after == 1 && c->after[0] == ' ');
        else
            REQUIRE(smart);
        REQUIRE(i == 0 || c->line > ch->items[i - 1].line ||
                (c->line == ch->items[i - 1].line && c->col > ch->items[i - 1].col));
        int found = 0;
        for (size_t b = 0; b < doc->n_blocks && !found; b++) {
            const pb_block *blk = &doc->blocks[b];
            if (blk->line != c->line)
                continue;
            for (size_t k = 0; k < blk->len && !found; k++)
                if ((int)blk->col[k] == c->col) {
                    REQUIRE(k + c->n_after <= blk->len);
                    for (size_t q = 0; q < c->n_after; q++)
                        REQUIRE(blk->text[k + q] == c->after[q]);
                    found = 1;
                }
        }
        REQUIRE(found);
    }
    /* each invisible character where the source had it: kept there, replaced there, or gone */
    for (size_t i = 0; i < ch->n_invisibles; i++) {
        const pb_invisible *v = &ch->invisibles[i];
        REQUIRE(v->action <= PB_INVISIBLE_REPLACED && v->why && pb_uchar_is_invisible(v->cp));
        REQUIRE(i == 0 || v->line > ch->invisibles[i - 1].line ||
                (v->line == ch->invisibles[i - 1].line && v->col > ch->invisibles[i - 1].col));
        uint32_t at = 0;
        for (size_t b = 0; b < doc->n_blocks; b++)
            if (doc->blocks[b].line == v->line)
                for (size_t k = 0; k < doc->blocks[b].len; k++)
                    if ((int)doc->blocks[b].col[k] == v->col)
                        at = doc->blocks[b].text[k] + 1;
        REQUIRE(v->action == PB_INVISIBLE_DROPPED ? at == 0
                : at == 1 + (v->action == PB_INVISIBLE_KEPT ? v->cp : v->replacement));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *msgs = NULL;
    size_t msgs_len = 0;
    FILE *sink = open_memstream(&msgs, &msgs_len);
    REQUIRE(sink);
    pb_diag_reset();
    pb_diag_set_sink(sink);

    pb_doc *doc = (pb_doc *)1; /* must be set to NULL on failure */
    pb_status st = pb_corpus_parse(NAME, data, size, &doc);
    int errors = pb_diag_error_count();
    if (st == PB_OK) {
        REQUIRE(doc && errors == 0);
        check_doc(doc, 0);
        uint64_t en = en_checksum(doc);
        pb_changes ch = {0};
        pb_normalize_opts opts = {size && (data[0] & 1), size && (data[0] & 2) ? PB_QUOTES_ZH_CORNER
                                                                               : PB_QUOTES_ZH_CURLY};
        st = pb_normalize_doc(doc, &opts, &ch);
        errors = pb_diag_error_count();
        if (st == PB_OK) {
            REQUIRE(errors == 0);
            REQUIRE(opts.smart || en_checksum(doc) == en); /* English visible text is kept */
            check_doc(doc, 1);
            check_changes(doc, &ch, opts.smart);
        } else {
            REQUIRE(st == PB_EINPUT && errors == 1); /* refused: one message, below */
        }
        pb_normalize_free_changes(&ch);
        REQUIRE(ch.items == NULL && ch.n == 0 && ch.invisibles == NULL && ch.n_invisibles == 0);
    } else {
        REQUIRE(st == PB_EINPUT && doc == NULL && errors == 1);
    }
    pb_corpus_free(doc);

    pb_diag_set_sink(NULL);
    fclose(sink);
    if (st != PB_OK) {
        /* warnings the parse gave on the way (a heading read as body text), then one line
         * "fuzz.txt:LINE:COL: error: ...", the last */
        REQUIRE(msgs_len > 0 && msgs[msgs_len - 1] == '\n');
        const char *last = msgs;
        for (const char *p = msgs; p < msgs + msgs_len - 1; p++)
            if (*p == '\n')
                last = p + 1;
        for (const char *p = msgs; p < last; p = strchr(p, '\n') + 1)
            REQUIRE(strncmp(p, NAME ":", strlen(NAME ":")) == 0 &&
                    strstr(p, ": warning: ") != NULL && strstr(p, ": warning: ") < strchr(p, '\n'));
        REQUIRE(strncmp(last, NAME ":", strlen(NAME ":")) == 0);
        int line = 0, col = 0, n = 0;
        REQUIRE(sscanf(last, NAME ":%d:%d: error: %n", &line, &col, &n) == 2 && n > 0);
        REQUIRE(line >= 1 && col >= 1);
    }
    free(msgs);
    return 0;
}
