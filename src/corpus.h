/* corpus: reads a bilingual corpus file (UTF-8, one paragraph a line, Chinese then English,
 * with an optional light markup). Takes bytes; returns a pb_doc of blocks (title, intro,
 * heading, para) x language: markup and inline pinyin lifted out into marks, links and
 * annotations, headings found and levelled. Bad input: file:line:col: error. */
#ifndef PB_CORPUS_H
#define PB_CORPUS_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

/* Largest corpus read, in bytes (lines and columns are ints). */
#define PB_CORPUS_BYTES_MAX ((size_t)INT_MAX)

typedef enum { PB_LANG_ZH = 0, PB_LANG_EN = 1 } pb_lang;

typedef enum {
    PB_BLOCK_TITLE = 0,   /* the document title (first pair) */
    PB_BLOCK_INTRO,       /* preamble paragraphs before the first heading */
    PB_BLOCK_HEADING,     /* a heading: marked with # / ##, or found by its enumerator
                           * (一、 / I., 第一條 / Article 1, ...) */
    PB_BLOCK_PARA         /* body paragraph inside a section */
} pb_block_kind;

/* One inline annotation such as 國(guó): base is the index of 國 in the block's text. */
typedef struct {
    size_t base;          /* index into pb_block.text (code points) */
    uint32_t *text;       /* the pinyin, code points, owned */
    size_t len;
    int line, col;        /* source position of the '(' (1-based; col in code points) */
} pb_annot;

/* What the markup or the text says about a code point (pb_block.marks). */
enum {
    PB_MARK_EMPH = 1,     /* *emphasis* */
    PB_MARK_STRONG = 2,   /* **strong** */
    PB_MARK_URL = 4,      /* a URL, e-mail address or domain name: never hyphenated, broken
                           * only after / . @ or before ? # & = (and only as a last resort) */
    PB_MARK_LINK = 8,     /* the text of a link (pb_link) */
    PB_MARK_TAB = 16,     /* a space typed as a TAB (U+0009): normalize lists it */
    PB_MARK_LS = 32       /* a forced line break typed as U+2028 LINE SEPARATOR, not <br>:
                           * normalize lists it, a paragraph's is a warning */
};

/* A link: text [start, end) of its block goes to target. */
typedef struct {
    size_t start, end;    /* code points of pb_block.text */
    char *target;         /* URI, UTF-8 (https://..., mailto:...), owned */
} pb_link;

/* pb_block.flags */
enum {
    PB_BLOCK_MARKED = 1,  /* a heading by markup (# / ##), not by its enumerator */
    PB_BLOCK_KEEP = 2,    /* {keep}: the pair stays on one page */
    PB_BLOCK_LIST = 4,    /* "- ": a list item */
    PB_BLOCK_RIGHT = 8,   /* {right}: set flush right, unjustified (a signature, a date) */
    PB_BLOCK_NOINDENT = 16, /* {noindent}: no first-line indent (a salutation, a form line) */
    PB_BLOCK_BODY = 32,   /* {body}: body text, never a heading by its enumerator */
    PB_BLOCK_CENTER = 64, /* {center}: centred, unjustified, no indent (an end mark: – ENDS –) */
    PB_BLOCK_LEFT = 128,  /* {left}: flush left, unjustified (a contact block, an address) */
    PB_BLOCK_EVERY = 256, /* {every}: closing matter every leaflet carries after its section
                           * (notes its marks point to, an enquiries line) */
    PB_BLOCK_STARRED = 512, /* begins "* " (not escaped): a note's mark, or a list item meant */
    PB_BLOCK_FIELDS = 1024 /* a list item of labelled fields typed apart with runs of spaces
                            * ("10:30 Talk  Speaker: …  Venue: …"): each run a field gap */
};

/* A forced line break (<br> in the markup, or U+2028 in the text) stays in the text as this. */
#define PB_LINE_BREAK 0x2028u

typedef struct {
    pb_block_kind kind;
    pb_lang lang;
    int section;          /* 0: title and preamble; 1..n: the n-th level-1 heading's section */
    int level;            /* heading: 1 (section) or 2 (subsection); 0 for other blocks */
    unsigned flags;       /* PB_BLOCK_* */
    int pair;             /* index of the zh/en pair this block belongs to (0-based) */
    uint32_t *text;       /* code points, annotations removed, no line end; owned */
    size_t len;
    uint32_t *col;        /* col[i]: 1-based source column (code points) of text[i]; owned */
    int line;             /* 1-based source line */
    pb_annot *annots;     /* in text order; owned */
    size_t n_annots;
    uint8_t *marks;       /* per code point, PB_MARK_*; NULL when the block has none; owned */
    pb_link *links;       /* in text order; owned */
    size_t n_links;
    uint32_t *short_title;/* {short="..."}: a heading's title for running heads; owned, or NULL */
    size_t short_len;
    size_t typed_indent;  /* U+3000 typed at the line's start, a paragraph indent the layout
                           * sets: trimmed here, listed by normalize.c */
} pb_block;

/* An invisible character of a line read as blank (normalize.c lists each as dropped). */
typedef struct {
    int line, col;        /* source position (1-based, col in code points) */
    uint32_t cp;
} pb_blank_char;

typedef struct {
    char *file;           /* the name used in messages; owned */
    pb_block *blocks;     /* in source order; owned */
    size_t n_blocks;
    int n_sections;       /* number of level-1 headings */
    int n_headings;       /* heading pairs of any level */
    pb_blank_char *blank_chars; /* the invisible characters of the lines of nothing else (and
                           * spaces), read as blank lines (a pair of U+200B lines); owned */
    size_t n_blank_chars, cap_blank_chars;
} pb_doc;

/* Parse bytes (BOM and CRLF accepted). On error prints file:line:col: error: and returns
 * PB_EINPUT with *out = NULL. */
pb_status pb_corpus_parse(const char *file, const uint8_t *bytes, size_t len, pb_doc **out);
/* Read a file and parse it; PB_ESYSTEM when it cannot be read. */
pb_status pb_corpus_load(const char *path, pb_doc **out);
void pb_corpus_free(pb_doc *doc);
/* The pair starting at block i: its blocks are [i, returned index). */
size_t pb_corpus_pair_end(const pb_doc *doc, size_t i);
/* Code points a block's leading enumerator takes ("二、", "II. ", "Article 3 "), separator and
 * spaces included; 0 when it has none. */
size_t pb_corpus_enumerator_len(const pb_block *b);
/* The note mark at text[k] of b (*, †, ‡, §, ※, ＊, a run of one of them, or of superscript
 * digits; not inside a URL, nor § before a number): its length, 0 when there is none. */
size_t pb_corpus_mark_len(const pb_block *b, size_t k);
/* The note mark printed at text[k] of b, attached to what it marks (after a visible character:
 * "3 * 4" marks nothing), not a power (m², cm³): its length, 0 when there is none. */
size_t pb_corpus_text_mark(const pb_block *b, size_t k);
/* 1 when c is (or begins) a note mark: * † ‡ § ※ ＊ or a superscript digit. */
int pb_corpus_is_note_mark(uint32_t c);
/* The note mark block b begins with (after 註 or 注: "註¹：…"): its start; *n its length, 0
 * when b is no note. */
size_t pb_corpus_note_lead(const pb_block *b, size_t *n);
/* 1 when some code point of the document carries a mark of mask (PB_MARK_*). */
int pb_corpus_has_mark(const pb_doc *doc, uint8_t mask);
/* Text of language lang as one line (a running head, bookmark, the PDF's title): each forced
 * break (a run of PB_LINE_BREAK) joined as a title and its subtitle are, ": " in English and
 * "：" (U+FF1A) in Chinese, or as a line goes on after a pause mark or before a lower-case word.
 * out has room for PB_CORPUS_ONE_LINE_MAX(len) code points; returns how many it holds. */
/* A title's or heading's text with its parts letter-spaced for display (敬　請　光　臨: single
 * ideographs one U+3000 apart) written without the spacing, as its running head has it (for the
 * PDF's title). out has room for len code points; returns how many it holds. */
size_t pb_corpus_unspaced(const uint32_t *text, size_t len, uint32_t *out);
#define PB_CORPUS_ONE_LINE_MAX(len) (2 * (len))
size_t pb_corpus_one_line(const uint32_t *text, size_t len, pb_lang lang, uint32_t *out);

#endif
