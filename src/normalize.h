/* normalize: punctuation as a typesetter sets it. Chinese blocks: ASCII , : ; ? ! ( ) and a
 * sentence-ending . next to Han text become their full-width forms. With smart punctuation
 * (the layout's default): straight quotes become curly (or corner brackets in Chinese, as the
 * layout says), -- and --- dashes, ... an ellipsis, in both languages by context. Takes a
 * pb_doc; changes it in place (URLs are never touched) and returns the list of every change
 * (line:col, before -> after) for the report. Text with more than 30 combining marks in a row
 * (UAX #15) is refused: file:line:col error. */
#ifndef PB_NORMALIZE_H
#define PB_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

#include "corpus.h"
#include "layout.h"

/* Longest text a change replaces or writes, in code points ("---", "……"). */
#define PB_CHANGE_MAX 3

typedef enum {
    PB_CHANGE_FULLWIDTH = 0, /* ASCII , : ; ? ! ( ) . in Chinese text */
    PB_CHANGE_QUOTE,         /* straight quote -> curly quote, apostrophe or corner bracket */
    PB_CHANGE_DASH,          /* -- / --- -> en / em dash (Chinese: ——) */
    PB_CHANGE_ELLIPSIS       /* ... -> … (Chinese: ……) */
} pb_change_kind;

typedef struct {
    int line, col;        /* source position (1-based, col in code points) */
    pb_change_kind kind;
    uint32_t before[PB_CHANGE_MAX], after[PB_CHANGE_MAX];
    uint8_t n_before, n_after;
} pb_change;

typedef struct {
    pb_change *items;     /* owned */
    size_t n, cap;
} pb_changes;

/* What the layout asks of the normaliser. */
typedef struct {
    int smart;            /* quotes, dashes and ellipses by context ([text] smart-punctuation) */
    pb_quotes_zh quotes_zh; /* Chinese quotation marks: “ ” ‘ ’ or 「 」 『 』 ([text] quotes-zh) */
} pb_normalize_opts;

/* The options a layout asks for. */
void pb_normalize_opts_of(const pb_layout *layout, pb_normalize_opts *out);
/* opts NULL: the defaults (smart, curly quotes in Chinese). */
pb_status pb_normalize_doc(pb_doc *doc, const pb_normalize_opts *opts, pb_changes *changes);
void pb_normalize_free_changes(pb_changes *changes);

#endif
