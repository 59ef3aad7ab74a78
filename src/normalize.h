/* normalize: punctuation as a typesetter sets it, and the invisible and format characters of
 * every block. Chinese blocks: ASCII , : ; ? ! ( ) and a sentence-ending . next to Han text
 * become their full-width forms. With smart punctuation (the layout's default): straight quotes
 * become curly (or corner brackets in Chinese, as the layout says), -- and --- dashes, ... an
 * ellipsis, in both languages by context; full-width ，。：；！？（） in English text away from
 * Han characters become ASCII with English spacing. A run of spaces is one space. Takes a pb_doc; changes it in place (URLs are never
 * touched) and returns the list of every change (line:col, before -> after) and of every
 * invisible or format character kept, dropped or replaced, for the report. Refused with a
 * file:line:col error: more than 30 combining marks in a row (UAX #15; joiners such as U+034F
 * between them do not end the row), a paragraph over PB_PARA_MAX_CODE_POINTS, and right-to-left
 * text or bidi controls (paiban sets left-to-right text only). */
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
    PB_CHANGE_ELLIPSIS,      /* ... -> … (Chinese: ……) */
    PB_CHANGE_SPACES,        /* a run of spaces -> one space */
    PB_CHANGE_HALFWIDTH,     /* full-width ，。：；！？（） in English text -> , . : ; ! ? ( ),
                              * with the space English sets after (or before) it */
    PB_CHANGE_VERTICAL,      /* a vertical presentation form -> its horizontal form: ︵ -> （ */
    PB_CHANGE_LIGATURE,      /* a compatibility ligature (U+FB00-FB06) -> its letters: ﬁ -> fi */
    PB_CHANGE_RADICAL,       /* a Kangxi or supplement radical -> its unified ideograph: ⼈ -> 人 */
    PB_CHANGE_COMPAT_IDEOGRAPH, /* a CJK compatibility ideograph -> its unified one: 豈 -> 豈 */
    PB_CHANGE_MARK_SPACE,       /* a space typed between two full-width marks of Chinese text
                                 * (」 （) dropped: their blanks are the white between them */
    PB_CHANGE_INDENT            /* ideographic spaces typed as a paragraph's indent (　　第一条)
                                 * dropped: the layout sets the indent */
} pb_change_kind;

typedef struct {
    int line, col;        /* source position (1-based, col in code points) */
    pb_change_kind kind;
    uint32_t before[PB_CHANGE_MAX], after[PB_CHANGE_MAX];
    uint8_t n_before, n_after;
    size_t run;           /* code points replaced: n_before, or more (a run of spaces: before
                           * holds its first PB_CHANGE_MAX) */
} pb_change;

/* What became of an invisible or format character (Default_Ignorable_Code_Point or Cf). */
typedef enum {
    PB_INVISIBLE_KEPT = 0,  /* in the text: it does its work (a break, a joiner) and draws nothing */
    PB_INVISIBLE_DROPPED,   /* taken out: it has no effect here (a bidi mark in left-to-right text) */
    PB_INVISIBLE_REPLACED   /* U+FEFF inside text became U+2060 WORD JOINER */
} pb_invisible_action;

typedef struct {
    int line, col;        /* source position (1-based, col in code points) */
    uint32_t cp;          /* the character in the source */
    uint32_t replacement; /* PB_INVISIBLE_REPLACED: what it became */
    pb_invisible_action action;
    const char *why;      /* static: what it does (kept) or why it went (dropped, replaced) */
} pb_invisible;

typedef struct {
    pb_change *items;     /* owned: punctuation changes */
    size_t n, cap;
    pb_invisible *invisibles; /* owned: in source order */
    size_t n_invisibles, cap_invisibles;
} pb_changes;

/* Longest paragraph set, in code points of its source line (2^21), and the most memory one of
 * its code points takes while it is set (measured, rounded up; normalize.c): together about
 * 0.9 GiB at most for the longest paragraph. */
#define PB_PARA_MAX_CODE_POINTS 2097152
#define PB_PARA_BYTES_PER_CODE_POINT 450

/* "kept", "dropped" or "replaced". */
const char *pb_normalize_action_name(pb_invisible_action a);

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
