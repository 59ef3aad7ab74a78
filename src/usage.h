/* usage: the glyphs one PDF file draws, per font, and the text each glyph stands for.
 * Takes every drawn glyph with the text of its cluster (from the PDF writer); returns per font
 * the glyph ids in ascending order and one Unicode text per glyph for ToUnicode. */
#ifndef PB_USAGE_H
#define PB_USAGE_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "fonts.h"

typedef struct pb_usage pb_usage;

/* An empty record for the fonts of set (borrowed, read only; it must outlive the usage). */
pb_status pb_usage_new(const pb_fontset *set, pb_usage **out);
void pb_usage_free(pb_usage *u);

/* Record that font drew gid for a cluster whose text is text[0..n). alone: gid is the cluster's
 * only glyph, so that text (its default ignorables left out) is what the glyph stands for here;
 * otherwise the text is kept only as the last resort of a glyph nothing else names. A glyph id
 * past the font is PB_EINPUT, a font not of the set PB_EUSAGE; neither is recorded. */
pb_status pb_usage_add(pb_usage *u, const pb_font *font, uint32_t gid, const uint32_t *text,
                       size_t n, int alone);
/* Decide each glyph's text once all are recorded: the text it was drawn for alone when that is
 * the same everywhere; else the smallest code point the font's cmap maps to it; else the first
 * text it was drawn for (alone, or else in any cluster); else none. */
pb_status pb_usage_finish(pb_usage *u);

/* The glyphs font drew, ascending (borrowed; valid after pb_usage_finish until the usage is
 * freed). Returns their number, 0 for a font that drew nothing or is not of the set. */
size_t pb_usage_glyphs(const pb_usage *u, const pb_font *font, const uint32_t **gids);
/* The text gid stands for (after pb_usage_finish; borrowed): its length, 0 if none. */
size_t pb_usage_text(const pb_usage *u, const pb_font *font, uint32_t gid, const uint32_t **text);

#endif
