/* corpus: reads a bilingual corpus file (UTF-8, one paragraph a line, Chinese then English).
 * Takes bytes; returns a pb_doc of blocks (title, intro, heading, para) x language, with the
 * inline pinyin annotations lifted out into pb_annot spans. Bad input: file:line:col: error. */
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
    PB_BLOCK_HEADING,     /* a section heading found by its enumerator (一、 / I.) */
    PB_BLOCK_PARA         /* body paragraph inside a section */
} pb_block_kind;

/* One inline annotation such as 國(guó): base is the index of 國 in the block's text. */
typedef struct {
    size_t base;          /* index into pb_block.text (code points) */
    uint32_t *text;       /* the pinyin, code points, owned */
    size_t len;
    int line, col;        /* source position of the '(' (1-based; col in code points) */
} pb_annot;

typedef struct {
    pb_block_kind kind;
    pb_lang lang;
    int section;          /* 0: title and preamble; 1..n: the n-th heading's section */
    int pair;             /* index of the zh/en pair this block belongs to (0-based) */
    uint32_t *text;       /* code points, annotations removed, no line end; owned */
    size_t len;
    uint32_t *col;        /* col[i]: 1-based source column (code points) of text[i]; owned */
    int line;             /* 1-based source line */
    pb_annot *annots;     /* in text order; owned */
    size_t n_annots;
} pb_block;

typedef struct {
    char *file;           /* the name used in messages; owned */
    pb_block *blocks;     /* in source order; owned */
    size_t n_blocks;
    int n_sections;       /* number of headings found */
} pb_doc;

/* Parse bytes (BOM and CRLF accepted). On error prints file:line:col: error: and returns
 * PB_EINPUT with *out = NULL. */
pb_status pb_corpus_parse(const char *file, const uint8_t *bytes, size_t len, pb_doc **out);
/* Read a file and parse it; PB_ESYSTEM when it cannot be read. */
pb_status pb_corpus_load(const char *path, pb_doc **out);
void pb_corpus_free(pb_doc *doc);

#endif
