/* fonts: finds the layout's role fonts with fontconfig, opens them (HarfBuzz; FreeType: outlines).
 * Takes a pb_layout; returns a pb_fontset (one pb_font per role, optional fallback), not
 * changed once opened, and cuts a font to the glyphs a file draws with hb-subset. */
#ifndef PB_FONTS_H
#define PB_FONTS_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "layout.h"

typedef struct pb_font pb_font;
typedef struct pb_fontset pb_fontset;

/* What the PDF writer needs to know about a font; all borrowed from the pb_font. */
typedef struct {
    const char *file;        /* path of the font file */
    const char *ident;       /* its identity when opened (device, inode, size, times); "" when
                              * it changed within a second of that (subsetcache.c's key) */
    int index;               /* face index inside a collection */
    const char *psname;      /* PostScript name, e.g. NotoSerifCJKtc-Regular */
    int is_cff;              /* 1: CFF outlines (CIDFontType0), 0: TrueType (CIDFontType2) */
    unsigned upem;           /* font units per em */
    unsigned num_glyphs;
    int ascender, descender; /* font units (descender negative) */
    int cap_height;          /* font units */
    int bbox[4];             /* font units: xmin ymin xmax ymax */
    int italic_angle;        /* degrees */
    int bold;                /* 0/1 */
} pb_font_info;

/* What fontconfig finds for one role's family (nothing opened). */
typedef struct {
    char family[PB_LAYOUT_NAME_MAX]; /* the family asked for */
    int installed;           /* 0: fontconfig has no such family (the fields below are empty) */
    char file[1024];         /* the font file, and the face in it */
    int index;
    char style[64];          /* fontconfig's style name of that face, e.g. "Bold" */
    int bold;                /* 0/1: the face is bold (not fontconfig's emboldening) */
    int no_bold, no_italic;  /* the role asks for a bold (italic) face the family lacks */
} pb_font_match;
/* The face each role of the layout gets (out[PB_ROLE_COUNT]: the fallback; family "" when the
 * layout names none), as pb_fonts_new would choose it, warning of nothing. */
pb_status pb_fonts_match(const pb_layout *layout, const char *fonts_dir,
                         pb_font_match out[PB_ROLE_COUNT + 1]);
/* "han", "latin-bold" ...; "fallback" for PB_ROLE_COUNT. */
const char *pb_fonts_role_name(pb_role role);

/* Open every role font of the layout (and the fallback, if named). A family fontconfig does
 * not have is a system error (PB_ESYSTEM) naming the family and the role. */
pb_status pb_fonts_new(const pb_layout *layout, const char *fonts_dir, pb_fontset **out);
void pb_fonts_free(pb_fontset *set);
/* "HarfBuzz 6.0.0, FreeType 2.12.1, fontconfig 2.14.1": the versions of the libraries in use
 * (as each reports itself at run time) into buf. */
void pb_fonts_versions(char *buf, size_t cap);

pb_font *pb_fonts_get(const pb_fontset *set, pb_role role); /* borrowed */
pb_font *pb_fonts_get_fallback(const pb_fontset *set); /* borrowed; NULL if none */
size_t pb_fonts_count(const pb_fontset *set);           /* distinct open fonts */
pb_font *pb_fonts_at(const pb_fontset *set, size_t i);   /* borrowed; distinct fonts in role order */

int pb_font_covers(pb_font *font, uint32_t cp);
uint32_t pb_font_get_glyph(pb_font *font, uint32_t cp); /* nominal glyph, 0 if none */
void pb_font_get_info(const pb_font *font, pb_font_info *info);
unsigned pb_font_get_upem(const pb_font *font);     /* font units per em */
void *pb_font_get_hb(pb_font *font);                   /* borrowed hb_font_t* (shape.c only) */
/* 1 when no lookup HarfBuzz applies to Latin text in the language (an hb_language_t) names
 * the font's space glyph, and no legacy kern or AAT table can move it: text shaped in pieces
 * cut beside a space is then shaped as it is whole (shape.c's words). Found once per font and
 * language; safe on several threads. */
int pb_font_space_stands_apart(pb_font *font, const void *hb_language);
int32_t pb_font_get_advance(pb_font *font, uint32_t gid); /* font units, from hmtx */
/* Horizontal ink extent of a glyph: [*x0, *x1) in font units from the origin (0, 0 if blank). */
void pb_font_get_ink(pb_font *font, uint32_t gid, int32_t *x0, int32_t *x1);
/* Vertical ink extent: [*y0, *y1] in font units from the baseline, y up (0, 0 if blank). */
void pb_font_get_ink_y(pb_font *font, uint32_t gid, int32_t *y0, int32_t *y1);

/* The glyph's outline in font units, as path operations: kind 'm' (move, 1 point), 'l' (line,
 * 1 point), 'c' (cubic Bezier, 3 points; quadratic pieces are converted), 'h' (close).
 * pts holds x, y pairs. */
typedef void (*pb_outline_op)(void *ctx, char kind, const double *pts);
pb_status pb_font_outline(pb_font *font, uint32_t gid, pb_outline_op op, void *ctx);

/* For each of gids[0..n) (ascending), the smallest code point the font's cmap maps to it, or
 * 0 when none does (a ligature, an alternate form). */
void pb_font_cmap_reverse(const pb_font *font, const uint32_t *gids, size_t n, uint32_t *cps);

/* hb-subset to gids[0..n) (ascending; .notdef is always kept), layout tables dropped. Returns
 * the font program bytes (for CFF: the bare 'CFF ' table; for TrueType: the whole sfnt) in a
 * malloc'ed buffer the caller frees, and for TrueType a malloc'ed map old gid -> new gid of
 * size (max gid + 1) (*map is NULL for CFF, where CIDs keep the original glyph ids). Safe to
 * call on several threads at once, for the same font too. */
pb_status pb_font_subset(const pb_font *font, const uint32_t *gids, size_t n, uint8_t **data,
                         size_t *len, uint16_t **map, size_t *map_len);

#endif
