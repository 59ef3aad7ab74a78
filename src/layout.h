/* layout: reads a layout file (.ini, parsed with inih) and the base layouts it names into a
 * pb_layout over the built-in defaults (one table, layout.c `keys`). Takes a path (or ini text);
 * returns page geometry, font families by role (and where each was set), sizes, leading and
 * options, every length in points. Unknown keys and bad values: file:line:col: error:
 * with a "did you mean" for a near miss (PB_EINPUT). */
#ifndef PB_LAYOUT_H
#define PB_LAYOUT_H

#include <math.h>
#include <stddef.h>

#include "diag.h"

/* Largest layout file read, in bytes: a layout is a few kilobytes; anything larger (or a device
 * like /dev/zero) is not one. */
#define PB_LAYOUT_BYTES_MAX (1024 * 1024)
/* The least [leaflet] min-scale may be: half size (a leaflet's text at 6.75 pt is unread). A
 * leaflet too long even at min-scale is told the size, down to this, at which it would fit. */
#define PB_LAYOUT_MIN_SCALE_FLOOR 0.5

typedef enum {
    PB_ROLE_HAN = 0,
    PB_ROLE_HAN_BOLD,
    PB_ROLE_LATIN,
    PB_ROLE_LATIN_BOLD,
    PB_ROLE_LATIN_ITALIC,             /* emphasis in English */
    PB_ROLE_LATIN_BOLD_ITALIC,        /* emphasis in bold English: a heading's, or strong */
    PB_ROLE_COUNT
} pb_role;

typedef enum { PB_RUBY_RUBY = 0, PB_RUBY_DROP, PB_RUBY_INLINE_CHECK } pb_ruby_mode;
/* print; PDF/A-3 level U (Unicode) or level A (accessible: tagged), both also PDF/UA-1. */
typedef enum { PB_PROFILE_PRINT = 0, PB_PROFILE_PDFA3U, PB_PROFILE_PDFA3A } pb_profile;
/* [pdf] compression: libdeflate's levels (1..12) the words name (the size/time table by
 * product: layouts/README.md) */
#define PB_DEFLATE_FAST 1
#define PB_DEFLATE_DEFAULT 6
#define PB_DEFLATE_BEST 12
#define PB_DEFLATE_MAX 12
typedef enum { PB_ALIGN_JUSTIFY = 0, PB_ALIGN_LEFT } pb_align;
typedef enum { PB_BREAK_TOTAL_FIT = 0, PB_BREAK_GREEDY } pb_breaker_kind;
typedef enum { PB_PRODUCT_BOOKLET = 0, PB_PRODUCT_LEAFLET, PB_PRODUCT_PARALLEL } pb_product;
typedef enum { PB_HEAD_NONE = 0, PB_HEAD_TITLE, PB_HEAD_SECTION } pb_head_content;
typedef enum { PB_FIT_SHRINK = 0, PB_FIT_PAGES } pb_fit;
typedef enum { PB_EMPH_ZH_DOTS = 0, PB_EMPH_ZH_BOLD } pb_emph_zh;
typedef enum { PB_QUOTES_ZH_CURLY = 0, PB_QUOTES_ZH_CORNER } pb_quotes_zh;
/* saddle stitch: the pages are folded sheets of four (a multiple of four, blank pages before
 * the back cover); none: the pages as they come (a loose or perfect-bound copy) */
typedef enum { PB_BINDING_SADDLE = 0, PB_BINDING_NONE } pb_binding;
typedef enum { PB_COLOPHON_NONE = 0, PB_COLOPHON_INSIDE, PB_COLOPHON_OUTSIDE } pb_colophon_place;

#define PB_LAYOUT_NAME_MAX 128
#define PB_LAYOUT_PATH_MAX 1024
/* Most layouts in a chain of bases (the file itself and the layouts it builds on). */
#define PB_LAYOUT_CHAIN_MAX 8

/* Where a key's value came from: a file of the chain, its line and column (1-based); line 0
 * and file "": the built-in default. */
typedef struct {
    char file[PB_LAYOUT_PATH_MAX];
    int line, col;
} pb_layout_origin;

typedef struct {
    char path[PB_LAYOUT_PATH_MAX];    /* file the layout came from ("" for built-in) */
    int n_bases;                      /* base layouts it builds on (base = ..., in a chain) */

    /* [product] */
    pb_product product;               /* booklet, one leaflet per section, or parallel columns */

    /* [page] */
    double page_w, page_h;            /* pt */
    double margin_top, margin_bottom; /* pt */
    double margin_inner, margin_outer;/* pt; inner = binding side */
    int columns;                      /* 1 or 2 */
    double gutter;                    /* pt, between columns */
    double column_share;              /* share of the column space the first column takes */
    /* The layout's check (layout.c) makes every Chinese measure a whole number of text-size
     * characters (the text block, the parallel's Chinese column): the remainder goes to the
     * margins and the gutter, so margin_inner, margin_outer, gutter and column_share are the
     * values as adjusted, not as written. */

    /* [fonts] fontconfig family names by role, and an optional fallback family ("" = none) */
    char family[PB_ROLE_COUNT][PB_LAYOUT_NAME_MAX];
    char fallback[PB_LAYOUT_NAME_MAX];
    pb_layout_origin family_at[PB_ROLE_COUNT + 1]; /* where each family was set; the last: the
                                                    * fallback's */

    /* [text] */
    double text_size;                 /* pt (the Chinese text; em and the measure's characters) */
    double text_size_en;              /* pt, the English text */
    double leading;                   /* pt, baseline to baseline */
    double indent;                    /* pt, first-line indent of body paragraphs */
    double list_indent;               /* pt, a list item's hanging indent (its bullet hangs in it) */
    double para_space;                /* pt, extra space between paragraphs */
    double pair_space;                /* pt, extra space after a zh/en pair */
    char lang_zh[32];                 /* BCP 47 tag given to HarfBuzz and the PDF, e.g. zh-Hant */
    char lang_en[32];                 /* e.g. en */
    pb_align align;                   /* body text (Chinese, and English unless align_en says) */
    pb_align align_en;                /* English body text (as align unless given) */
    pb_breaker_kind breaker;          /* total-fit (Knuth-Plass) or greedy (first fit) */
    int grid;                         /* 0/1: body baselines on a grid of `leading` */
    double expansion;                 /* justified English: letters may widen or narrow by this
                                       * share of their width (font expansion, 0.02 = 2 %) */
    pb_emph_zh emphasis_zh;           /* *emphasis* in Chinese: emphasis dots or bold */
    int smart_punctuation;            /* 0/1: straight quotes, -- and ... set by context */
    pb_quotes_zh quotes_zh;           /* Chinese quotation marks: “ ” or 「 」 */

    /* [heading] */
    double heading_size;              /* pt (the Chinese heading) */
    double heading_size_en;           /* pt, the English heading */
    double heading_leading;           /* pt */
    double heading_space_before;      /* pt */
    double heading_space_after;       /* pt */

    /* [subheading] level-2 headings */
    double sub_size, sub_size_en;     /* pt, Chinese and English */
    double sub_leading;               /* pt */
    double sub_space_before, sub_space_after; /* pt */

    /* [title] */
    double title_size;                /* pt (the Chinese title) */
    double title_size_en;             /* pt, the English title */
    double title_leading;             /* pt */
    double title_space_after;         /* pt */

    /* [cover] */
    int cover;                        /* 0/1: a cover page (title pair) and a blank inside cover */
    double cover_size;                /* pt, the Chinese title on the cover */
    double cover_size_en;             /* pt, the English title on the cover */

    /* [header] running heads */
    int header;                       /* 0/1 */
    pb_head_content head_verso;       /* what the left-hand (even) pages show */
    pb_head_content head_recto;       /* what the right-hand (odd) pages show */
    double header_size;               /* pt */
    double header_offset;             /* pt, baseline above the text block's top */

    /* [footer] folios */
    int folio;                        /* 0/1 */
    int series;                       /* 0/1: a leaflet's foot shows "N / total" (its place in
                                       * the series of sections) where a folio would be */
    double folio_size;                /* pt */
    double folio_offset;              /* pt, baseline below the text block's bottom */

    /* [ruby] */
    pb_ruby_mode ruby_mode;
    double ruby_size;                 /* pt */
    double ruby_min_scale;            /* narrowest a ruby is condensed to (share of its width) */
    int ruby_display;                 /* 0/1: ruby also over the title and headings (display
                                       * type); 0: their annotations are left out */

    /* [leaflet] */
    pb_fit fit;                       /* when a section overflows: shrink, or more pages */
    double min_scale;                 /* smallest factor sizes may shrink to (0 < s <= 1) */
    double max_scale;                 /* largest factor sizes may grow to when a leaflet's
                                       * text leaves its page short (1 <= s <= 2) */
    int leaflet_pages;                /* pages a leaflet should fit on */
    int standfirst;                   /* 0/1: a leaflet sets the preamble's last pair under its
                                       * headline as its standfirst */
    int one_size;                     /* 0/1: a document's leaflets share one size factor (the
                                       * least each takes on its own), as a series is printed */
    double standfirst_size;           /* pt, the standfirst's type size (set apart from the text) */

    /* [impose] */
    double sheet_w, sheet_h;          /* pt, the press sheet (landscape), 2-up */
    pb_binding binding;               /* booklet and parallel: saddle stitch pads to 4n pages */
    pb_colophon_place colophon;       /* the colophon on the inside or outside back cover */
    double creep;                     /* pt per sheet: inner sheets' pages move toward the spine */
    double bleed;                     /* pt around the trim on the press sheet (BleedBox) */
    int marks;                        /* 0/1: crop and fold marks on the press sheet */
    pb_layout_origin sheet_at;        /* the key --imposed blames for pages that do not fit the
                                       * sheet (the last of sheet, bleed, marks, page size and
                                       * orientation set) */
    pb_layout_origin creep_at;        /* ... for creep past the inner margin */

    /* [pdf] */
    pb_profile profile;

    /* [query] the editor's queries: a file of house words they leave alone ("" = none), as a
     * path from the working folder, and the key that named it */
    char query_accept[PB_LAYOUT_PATH_MAX];
    pb_layout_origin query_accept_at;
    int deflate_level;                /* libdeflate level of the streams, 1 (fast) .. 12 */
} pb_layout;

/* The named sheets on which pages of page_w x page_h pt fit 2-up (side by side, landscape)
 * with around pt free on every side of the pair: their names, comma-separated, into out;
 * returns how many. */
size_t pb_layout_sheets_for(double page_w, double page_h, double around, char *out, size_t cap);

/* Fill *out with the built-in defaults (A5 booklet, Noto Serif CJK TC / Noto Serif). */
void pb_layout_defaults(pb_layout *out);
/* The built-in default of [section] key as layout text ("15mm", "yes"), or NULL when the key
 * has none (it follows another key) or does not exist. */
const char *pb_layout_default_of(const char *section, const char *key);
/* Defaults, then the keys of its base layouts (`base = NAME` before the first section: NAME.ini
 * beside the file, or a path relative to it), then every key of the file. PB_ESYSTEM when the
 * file cannot be read; a base that cannot be read, or a loop of bases, is PB_EINPUT. */
pb_status pb_layout_load(const char *path, pb_layout *out);
/* Same from text in memory; name is used in messages and to find base layouts. */
pb_status pb_layout_parse(const char *name, const char *text, pb_layout *out);

/* The first line (1-based) of a layout's text with a key that makes the parser read another
 * file (base = NAME; [query] accept = FILE other than none), *key naming it; 0 when none.
 * Found without opening anything: `paiban verify` refuses such an embedded layout. */
int pb_layout_file_key(const char *text, size_t len, const char **key);

/* Slack when counting characters in a length (unit conversion leaves residue like 1e-13). */
#define PB_LAYOUT_CHAR_EPS 1e-6

/* The text block's width (pt): a whole number of text-size characters (clreq's 版心,
 * #designing_elements_of_type_area, 2024-03-21, and JIS X 4051:2004's 字詰め: a Chinese line is set solid in whole characters, so a justified line of
 * ideographs needs no spacing). A parsed layout is exact already (its margins took the
 * remainder); one built by hand loses the remainder on its outer side. */
static inline double pb_layout_measure(const pb_layout *l)
{
    double raw = l->page_w - l->margin_inner - l->margin_outer;
    double chars = floor(raw / l->text_size + PB_LAYOUT_CHAR_EPS);
    return chars >= 1 ? chars * l->text_size : raw;
}
/* Noto Serif CJK's ideographic em box: top at 880, bottom at -120 font units of 1000
 * (OS/2 and BASE 'ideo'/'idtp'). Lines centre it in their leading; ruby sits on its top; the
 * layout checks that a running head's and a folio's boxes stay between the trim and the text. */
#define PB_EMBOX_ASCENT 0.88

static inline double pb_layout_top(const pb_layout *l) { return l->page_h - l->margin_top; }
/* The parallel product's column widths (pt): Chinese first (a whole number of characters),
 * then English. */
static inline void pb_layout_columns(const pb_layout *l, double w[2])
{
    double room = pb_layout_measure(l) - l->gutter;
    double chars = floor(room * l->column_share / l->text_size + PB_LAYOUT_CHAR_EPS);
    w[0] = chars >= 1 ? chars * l->text_size : room * l->column_share;
    w[1] = room * (1 - l->column_share);
}
/* The largest size factor at or below want (and at or above the layout's min-scale, when one
 * exists there) at which the text block holds a whole number of characters of the scaled text
 * size: a leaflet shrinks in such steps, one or more characters to the line at a time. */
double pb_layout_whole_scale(const pb_layout *l, double want);
static inline double pb_layout_room(const pb_layout *l)
{
    return l->page_h - l->margin_top - l->margin_bottom;
}

#endif
