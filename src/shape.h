/* shape: runs HarfBuzz over each run of a block.
 * Takes the block text and its pb_runs; returns pb_glyph[] in logical order with glyph id,
 * cluster (code point index in the block) and advances/offsets in font units. */
#ifndef PB_SHAPE_H
#define PB_SHAPE_H

#include <stddef.h>
#include <stdint.h>

#include "fonts.h"
#include "itemize.h"

typedef struct {
    pb_font *font;          /* borrowed */
    uint32_t gid;           /* glyph id in the original face (= CID in the PDF) */
    uint32_t cluster;       /* index of the first code point this glyph stands for */
    int32_t x_advance;      /* font units */
    int32_t x_offset, y_offset; /* font units */
} pb_glyph;

typedef struct {
    pb_glyph *g;            /* owned */
    size_t n, cap;
} pb_glyphs;

typedef struct pb_shaper pb_shaper;

/* A shaper holds one reusable HarfBuzz buffer and the language tags of the layout. */
pb_status pb_shape_new(const char *lang_zh, const char *lang_en, pb_shaper **out);
void pb_shape_free(pb_shaper *sh);
/* Latin runs are shaped word by word through a cache of shaped words (on by default; the
 * glyphs are the same either way): off shapes every run whole (tests compare the two). */
void pb_shape_set_word_cache(pb_shaper *sh, int on);
/* Shape every run; appends to out (cleared first). */
pb_status pb_shape_runs(pb_shaper *sh, const uint32_t *text, size_t len, const pb_runs *runs,
                        pb_glyphs *out);
void pb_shape_free_glyphs(pb_glyphs *g);

#endif
