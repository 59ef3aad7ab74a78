/* itemize: splits one block's text into runs of one font and script.
 * Takes code points, the block's language and weight, and the fontset; returns pb_run[] where
 * Common/Inherited characters join a neighbour and every character is covered by its font. */
#ifndef PB_ITEMIZE_H
#define PB_ITEMIZE_H

#include <stddef.h>
#include <stdint.h>

#include "corpus.h"
#include "fonts.h"

typedef struct {
    size_t start, len;      /* code point range in the block text */
    pb_font *font;          /* borrowed */
    uint32_t script;        /* ISO 15924 tag as four bytes, e.g. 'Hani', 'Latn' */
    pb_lang lang;           /* language given to the shaper */
} pb_run;

typedef struct {
    pb_run *runs;           /* owned */
    size_t n, cap;
} pb_runs;

/* style bits for pb_itemize_block */
enum {
    PB_ITEMIZE_BOLD = 1,         /* the whole block in the bold roles (title, headings) */
    PB_ITEMIZE_EMPH_ZH_BOLD = 2  /* Chinese *emphasis* in bold (else the composer adds dots) */
};

/* Itemize block text (style: PB_ITEMIZE_* bits; the block's marks choose bold for **strong**
 * and the italic role for English *emphasis*). A character no font covers is reported at
 * file:line:col (using the block's col map) and gives PB_EINPUT. out is reused: its buffer is
 * kept between calls. */
pb_status pb_itemize_block(const pb_block *block, int style, pb_fontset *fonts, const char *file,
                           pb_runs *out);
void pb_itemize_free(pb_runs *runs);

/* The font choice for one character of a block. */
typedef struct {
    int han_side;           /* 1: set on the Chinese side (Han font roles), 0: the Western */
    pb_role role;           /* the role it asks for (bold, italic as its marks say) */
    pb_role other;          /* the other side's role, tried next */
    pb_font *font;          /* the font that sets it (role's, other's or the fallback), or NULL
                             * when none covers it; borrowed */
} pb_itemize_choice;
/* The choice for every character of block b (out has b->len entries), as pb_itemize_block
 * makes it. */
void pb_itemize_choose(const pb_block *b, int style, pb_fontset *fonts, pb_itemize_choice *out);
/* Say that b->text[i] (its choice ch) has no font: file:line:col: error: ... */
void pb_itemize_uncovered(const pb_block *b, size_t i, const pb_itemize_choice *ch,
                          const pb_fontset *fonts, const char *file);

/* Character classes the composer shares with the itemizer. */
int pb_itemize_is_han_side(uint32_t c);   /* Han, kana, bopomofo, CJK punctuation */
/* 1 when text[i] is a sign that opens a number (+86, $5, #12, ¥80, £5, €5: a digit follows):
 * set with the number, in the Latin face. ('-' is left out: 10日-12日 is a range.) */
int pb_itemize_signs_number(const uint32_t *text, size_t len, size_t i);
int pb_itemize_is_western(uint32_t c);    /* Latin/Greek/Cyrillic letters, ASCII digits */

#endif
