/* fuzz_corpus: the corpus reader and the normalizer on arbitrary bytes.
 * Feeds the input to pb_corpus_parse, then pb_normalize_doc, and checks what corpus.h and
 * normalize.h promise: an accepted document is zh/en pairs with sane positions; a rejected one
 * gives PB_EINPUT, no document, and exactly one "fuzz.txt:LINE:COL: error: " message. The
 * normalizer either changes only Chinese blocks or refuses the text (a run of more than 30
 * combining marks) with PB_EINPUT and one such message. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "require.h"
#include "corpus.h"
#include "diag.h"
#include "normalize.h"

#define NAME "fuzz.txt"
#define PINYIN_MAX 7 /* corpus.c: an annotation has 1 to 7 letters */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int is_scalar(uint32_t c) { return c <= 0x10FFFF && !(c >= 0xD800 && c <= 0xDFFF); }

static int is_control(uint32_t c) { return (c < 0x20 && c != '\t') || (c >= 0x7F && c <= 0x9F); }

static int is_edge_space(uint32_t c) { return c == ' ' || c == '\t' || c == 0xA0 || c == 0x3000; }

static uint64_t en_checksum(const pb_doc *doc)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (size_t i = 0; i < doc->n_blocks; i++) {
        if (doc->blocks[i].lang != PB_LANG_EN)
            continue;
        for (size_t k = 0; k < doc->blocks[i].len; k++)
            h = (h ^ doc->blocks[i].text[k]) * 1099511628211u;
    }
    return h;
}

static void check_doc(const pb_doc *doc)
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
        REQUIRE(b->len >= 1 && b->text && b->col);
        REQUIRE(!is_edge_space(b->text[0]) && !is_edge_space(b->text[b->len - 1]));
        for (size_t k = 0; k < b->len; k++) {
            REQUIRE(is_scalar(b->text[k]) && !is_control(b->text[k]));
            REQUIRE(b->col[k] >= 1 && (k == 0 || b->col[k] > b->col[k - 1]));
        }
        REQUIRE(b->n_annots == 0 || (b->lang == PB_LANG_ZH && b->annots));
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

static void check_changes(const pb_doc *doc, const pb_changes *ch)
{
    for (size_t i = 0; i < ch->n; i++) {
        const pb_change *c = &ch->items[i];
        REQUIRE(c->before != 0 && c->before < 0x80 && strchr(",:;?!()", (int)c->before) && c->after == c->before + 0xFEE0);
        int found = 0;
        for (size_t b = 0; b < doc->n_blocks && !found; b += 2) {
            const pb_block *zh = &doc->blocks[b];
            if (zh->line != c->line)
                continue;
            for (size_t k = 0; k < zh->len; k++)
                if ((int)zh->col[k] == c->col) {
                    REQUIRE(zh->text[k] == c->after);
                    found = 1;
                }
        }
        REQUIRE(found);
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
        check_doc(doc);
        uint64_t en = en_checksum(doc);
        pb_changes ch = {0};
        st = pb_normalize_doc(doc, &ch);
        errors = pb_diag_error_count();
        if (st == PB_OK) {
            REQUIRE(errors == 0);
            REQUIRE(en_checksum(doc) == en); /* English blocks are never touched */
            check_doc(doc);
            check_changes(doc, &ch);
        } else {
            REQUIRE(st == PB_EINPUT && errors == 1); /* refused: one message, below */
        }
        pb_normalize_free_changes(&ch);
        REQUIRE(ch.items == NULL && ch.n == 0);
    } else {
        REQUIRE(st == PB_EINPUT && doc == NULL && errors == 1);
    }
    pb_corpus_free(doc);

    pb_diag_set_sink(NULL);
    fclose(sink);
    if (st != PB_OK) { /* one line: "fuzz.txt:LINE:COL: error: ..." */
        REQUIRE(msgs_len > 0 && msgs[msgs_len - 1] == '\n' && strchr(msgs, '\n') == msgs + msgs_len - 1);
        REQUIRE(strncmp(msgs, NAME ":", strlen(NAME ":")) == 0);
        int line = 0, col = 0, n = 0;
        REQUIRE(sscanf(msgs, NAME ":%d:%d: error: %n", &line, &col, &n) == 2 && n > 0);
        REQUIRE(line >= 1 && col >= 1);
    }
    free(msgs);
    return 0;
}
