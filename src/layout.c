/* layout: reads a layout file (.ini, parsed with inih) into a pb_layout.
 *
 * inih splits "key = value" lines; this module feeds it one line at a time through its own
 * reader so that it knows the line number of every key (Debian's inih 55 does not pass it
 * to handlers), sees every section header (inih only reports keys), and reports every
 * syntax error rather than only the first one inih would return.
 *
 * Lengths may be written in em or, for leading, as a bare factor. Those depend on values that
 * may come later in the file, so every length is kept in a slot (amount + unit) while reading
 * and resolved to points once the whole file has been read. */
#include "layout.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- units ------------------------------------------------------------------------------- */

/* PDF default user space unit: 1 pt = 1/72 in (ISO 32000-1:2008, 8.3.2.3). */
#define PT_PER_INCH 72.0
/* The international inch is exactly 25.4 mm (international yard and pound agreement, 1959). */
#define MM_PER_INCH 25.4
#define PT_PER_MM (PT_PER_INCH / MM_PER_INCH)
#define MM_PER_CM 10.0

/* ---- paper sizes ------------------------------------------------------------------------- */

/* ISO 216 A and B series, portrait, in mm. */
#define A3_W_MM 297.0
#define A3_H_MM 420.0
#define A4_W_MM 210.0
#define A4_H_MM 297.0
#define A5_W_MM 148.0
#define A5_H_MM 210.0
#define B5_W_MM 176.0
#define B5_H_MM 250.0
/* ISO 217 SRA4 and SRA3: press sheets with room for bleed around A4 and A3. */
#define SRA4_W_MM 225.0
#define SRA4_H_MM 320.0
#define SRA3_W_MM 320.0
#define SRA3_H_MM 450.0
/* US Letter, 8.5 x 11 in (ANSI/ASME Y14.1 size A); Legal 8.5 x 14 in; Tabloid 11 x 17 in
 * (size B), called Ledger in landscape. */
#define LETTER_W_IN 8.5
#define LETTER_H_IN 11.0
#define LEGAL_H_IN 14.0
#define TABLOID_W_IN 11.0
#define TABLOID_H_IN 17.0

/* ---- limits ------------------------------------------------------------------------------ */

/* Smallest and largest page side a PDF viewer must support: 3 and 14 400 units of default
 * user space (ISO 32000-1:2008, Annex C.2, architectural limits). */
#define PAGE_MIN_PT 3.0
#define PAGE_MAX_PT 14400.0
/* Upper bound on any type size (text, heading, title, header, folio, ruby): the layout
 * specification's sanity limit; nothing in a booklet is set larger than 200 pt. */
#define SIZE_MAX_PT 200.0
/* Lengths within this of each other are equal: unit conversion leaves rounding residue like
 * 1e-14 pt, and 1e-6 pt is far below any output device's resolution. */
#define LENGTH_EPS_PT 1e-6
/* Columns the paginator supports (layout specification). */
#define COLUMNS_MIN 1
#define COLUMNS_MAX 2
#define LAYOUT_FILE_MAX PB_LAYOUT_BYTES_MAX
/* Longest number accepted in a length, in characters (far more than any real value needs). */
#define NUMBER_MAX 40
/* Bytes of a value kept for messages reported after the whole file has been read. */
#define RAW_MAX 128
/* Room for a "why" explanation and for one formatted message. */
#define WHY_MAX 192
#define MSG_MAX 512
/* Longest BCP 47 subtag (RFC 5646, 2.1: subtags are 1 to 8 characters). */
#define BCP47_SUBTAG_MAX 8

/* ---- built-in defaults: the A5 booklet (layouts/booklet.ini writes the same values out) --- */

#define DEFAULT_MARGIN_TOP_MM 15.0
#define DEFAULT_MARGIN_BOTTOM_MM 18.0
/* A saddle-stitched booklet opens flat: its two inner margins make one white column at the
 * fold, so each is narrower than the fore-edge margin (the classic spread). */
#define DEFAULT_MARGIN_INNER_MM 12.0  /* binding side */
#define DEFAULT_MARGIN_OUTER_MM 16.0
#define DEFAULT_COLUMNS 1
#define DEFAULT_GUTTER_MM 6.0
#define DEFAULT_HAN_FAMILY "Noto Serif CJK TC"
#define DEFAULT_LATIN_FAMILY "Noto Serif"
#define DEFAULT_TEXT_SIZE_PT 10.0
/* English body text a little larger than the Chinese: Noto Serif's lower case fills about half
 * of its em (x-height 0.536), an ideograph nearly all of it, so at one size the English reads
 * smaller and sets more per line (71 characters on the booklet's 34-character measure; 10.5 pt
 * gives 67, inside the 60-70 a book page wants: Bringhurst, The Elements of Typographic Style,
 * 2.1.2). */
#define DEFAULT_TEXT_SIZE_EN_EM 1.05
#define DEFAULT_LEADING_PT 17.0
#define DEFAULT_INDENT_EM 2.0          /* two full-width characters, the Chinese convention */
#define DEFAULT_PARA_SPACE_PT 3.0
/* A blank line between pairs: the register keeps baselines on the grid of the leading. */
#define DEFAULT_PAIR_SPACE_PT 17.0
#define DEFAULT_LANG_ZH "zh-Hant"
#define DEFAULT_LANG_EN "en"
#define DEFAULT_HEADING_SIZE_PT 12.0
/* English display lines a little smaller than their Chinese: at one size the bold Latin
 * looks larger and heavier than the Han above it (CJK glyphs fill less of their em). */
#define DEFAULT_HEADING_SIZE_EN_PT 11.0
#define DEFAULT_TITLE_SIZE_EN_PT 14.0
#define DEFAULT_COVER_SIZE_EN_PT 16.0
#define DEFAULT_HEADING_LEADING_PT 18.0
#define DEFAULT_HEADING_BEFORE_PT 22.0
#define DEFAULT_HEADING_AFTER_PT 4.0
/* Level-2 headings (第一條 under 第一章): bold at about the text size, less space around. */
#define DEFAULT_SUB_SIZE_PT 10.5
#define DEFAULT_SUB_SIZE_EN_PT 10.0
#define DEFAULT_SUB_LEADING_PT 16.0
#define DEFAULT_SUB_BEFORE_PT 12.0
#define DEFAULT_SUB_AFTER_PT 2.0
#define DEFAULT_TITLE_SIZE_PT 16.0
#define DEFAULT_TITLE_LEADING_PT 24.0
#define DEFAULT_TITLE_AFTER_PT 18.0
#define DEFAULT_HEADER_SIZE_PT 7.5
#define DEFAULT_HEADER_OFFSET_PT 14.0
#define DEFAULT_FOLIO_SIZE_PT 8.0
#define DEFAULT_FOLIO_OFFSET_PT 24.0
#define DEFAULT_RUBY_SIZE_PT 5.0
/* Narrowest a ruby is condensed to before it moves off its base's centre (InDesign's automatic
 * ruby condensing; JIS X 4051 §5.3 lets ruby narrow rather than open the base text): a
 * slightly narrower pinyin reads better than a hole in the Chinese line under it. */
#define DEFAULT_RUBY_MIN_SCALE 0.85
/* Leaflet shrink limit and page count bounds (a leaflet is a sheet or two, not a book). */
#define MIN_SCALE_FLOOR 0.5
#define LEAFLET_PAGES_MAX 8
#define DEFAULT_MIN_SCALE 0.85
#define DEFAULT_LEAFLET_PAGES 1
#define DEFAULT_COVER_SIZE_PT 22.0
/* Two equal columns by default; neither may be narrower than a fifth of the space. */
#define DEFAULT_COLUMN_SHARE 0.5
#define COLUMN_SHARE_MIN 0.2
/* Font expansion of justified English text (microtype's default limit is 2 %; beyond about
 * 3 % the letters visibly change shape). */
#define DEFAULT_EXPANSION 0.02
#define EXPANSION_MAX 0.03

void pb_layout_defaults(pb_layout *out)
{
    memset(out, 0, sizeof *out);
    out->page_w = A5_W_MM * PT_PER_MM;
    out->page_h = A5_H_MM * PT_PER_MM;
    out->margin_top = DEFAULT_MARGIN_TOP_MM * PT_PER_MM;
    out->margin_bottom = DEFAULT_MARGIN_BOTTOM_MM * PT_PER_MM;
    out->margin_inner = DEFAULT_MARGIN_INNER_MM * PT_PER_MM;
    out->margin_outer = DEFAULT_MARGIN_OUTER_MM * PT_PER_MM;
    out->columns = DEFAULT_COLUMNS;
    out->gutter = DEFAULT_GUTTER_MM * PT_PER_MM;

    /* Bold roles name the same family; the fonts module asks fontconfig for weight bold. */
    snprintf(out->family[PB_ROLE_HAN], sizeof out->family[0], "%s", DEFAULT_HAN_FAMILY);
    snprintf(out->family[PB_ROLE_HAN_BOLD], sizeof out->family[0], "%s", DEFAULT_HAN_FAMILY);
    snprintf(out->family[PB_ROLE_LATIN], sizeof out->family[0], "%s", DEFAULT_LATIN_FAMILY);
    snprintf(out->family[PB_ROLE_LATIN_BOLD], sizeof out->family[0], "%s", DEFAULT_LATIN_FAMILY);
    snprintf(out->family[PB_ROLE_LATIN_ITALIC], sizeof out->family[0], "%s", DEFAULT_LATIN_FAMILY);
    out->fallback[0] = '\0';

    out->text_size = DEFAULT_TEXT_SIZE_PT;
    out->text_size_en = DEFAULT_TEXT_SIZE_EN_EM * DEFAULT_TEXT_SIZE_PT;
    out->leading = DEFAULT_LEADING_PT;
    out->indent = DEFAULT_INDENT_EM * DEFAULT_TEXT_SIZE_PT;
    out->list_indent = DEFAULT_INDENT_EM * DEFAULT_TEXT_SIZE_PT;
    out->para_space = DEFAULT_PARA_SPACE_PT;
    out->pair_space = DEFAULT_PAIR_SPACE_PT;
    out->grid = 1; /* the register: facing pages and both sides of a leaf back up */
    snprintf(out->lang_zh, sizeof out->lang_zh, "%s", DEFAULT_LANG_ZH);
    snprintf(out->lang_en, sizeof out->lang_en, "%s", DEFAULT_LANG_EN);
    out->align = PB_ALIGN_JUSTIFY;

    out->heading_size = DEFAULT_HEADING_SIZE_PT;
    out->heading_size_en = DEFAULT_HEADING_SIZE_EN_PT;
    out->heading_leading = DEFAULT_HEADING_LEADING_PT;
    out->heading_space_before = DEFAULT_HEADING_BEFORE_PT;
    out->heading_space_after = DEFAULT_HEADING_AFTER_PT;
    out->sub_size = DEFAULT_SUB_SIZE_PT;
    out->sub_size_en = DEFAULT_SUB_SIZE_EN_PT;
    out->sub_leading = DEFAULT_SUB_LEADING_PT;
    out->sub_space_before = DEFAULT_SUB_BEFORE_PT;
    out->sub_space_after = DEFAULT_SUB_AFTER_PT;

    out->title_size = DEFAULT_TITLE_SIZE_PT;
    out->title_size_en = DEFAULT_TITLE_SIZE_EN_PT;
    out->title_leading = DEFAULT_TITLE_LEADING_PT;
    out->title_space_after = DEFAULT_TITLE_AFTER_PT;

    out->header = 1;
    out->header_size = DEFAULT_HEADER_SIZE_PT;
    out->header_offset = DEFAULT_HEADER_OFFSET_PT;

    out->folio = 1;
    out->folio_size = DEFAULT_FOLIO_SIZE_PT;
    out->folio_offset = DEFAULT_FOLIO_OFFSET_PT;

    out->ruby_mode = PB_RUBY_RUBY;
    out->ruby_display = 0; /* no ruby on the title and headings */
    out->product = PB_PRODUCT_BOOKLET;
    out->column_share = DEFAULT_COLUMN_SHARE;
    out->expansion = DEFAULT_EXPANSION;
    out->smart_punctuation = 1;
    out->cover = 1;
    out->cover_size = DEFAULT_COVER_SIZE_PT;
    out->cover_size_en = DEFAULT_COVER_SIZE_EN_PT;
    out->head_verso = PB_HEAD_TITLE;
    out->head_recto = PB_HEAD_SECTION;
    out->fit = PB_FIT_SHRINK;
    out->min_scale = DEFAULT_MIN_SCALE;
    out->leaflet_pages = DEFAULT_LEAFLET_PAGES;
    out->sheet_w = A4_H_MM * PT_PER_MM; /* ISO 216: two A5 pages side by side on A4 landscape */
    out->sheet_h = A4_W_MM * PT_PER_MM;
    out->ruby_size = DEFAULT_RUBY_SIZE_PT;
    out->ruby_min_scale = DEFAULT_RUBY_MIN_SCALE;

    out->profile = PB_PROFILE_PRINT;
}

/* ---- tables ------------------------------------------------------------------------------ */

typedef enum {
    S_NONE = -2,    /* before the first section header */
    S_UNKNOWN = -1, /* inside a section that was reported as unknown */
    S_PAGE = 0,
    S_FONTS,
    S_TEXT,
    S_HEADING,
    S_TITLE,
    S_HEADER,
    S_FOOTER,
    S_RUBY,
    S_PDF,
    S_PRODUCT,
    S_COVER,
    S_LEAFLET,
    S_IMPOSE,
    S_SUBHEADING,
    S_COUNT
} section_id;

static const char *const section_names[S_COUNT] = {
    [S_PAGE] = "page",     [S_FONTS] = "fonts",   [S_TEXT] = "text",
    [S_HEADING] = "heading", [S_TITLE] = "title", [S_HEADER] = "header",
    [S_FOOTER] = "footer", [S_RUBY] = "ruby",     [S_PDF] = "pdf",
    [S_PRODUCT] = "product", [S_COVER] = "cover", [S_LEAFLET] = "leaflet",
    [S_IMPOSE] = "impose", [S_SUBHEADING] = "subheading",
};

/* Every length of pb_layout. */
typedef enum {
    F_PAGE_W,
    F_PAGE_H,
    F_MARGIN_TOP,
    F_MARGIN_BOTTOM,
    F_MARGIN_INNER,
    F_MARGIN_OUTER,
    F_GUTTER,
    F_TEXT_SIZE,
    F_LEADING,
    F_INDENT,
    F_PARA_SPACE,
    F_PAIR_SPACE,
    F_HEADING_SIZE,
    F_HEADING_LEADING,
    F_HEADING_BEFORE,
    F_HEADING_AFTER,
    F_TITLE_SIZE,
    F_TITLE_LEADING,
    F_TITLE_AFTER,
    F_HEADER_SIZE,
    F_HEADER_OFFSET,
    F_FOLIO_SIZE,
    F_FOLIO_OFFSET,
    F_RUBY_SIZE,
    F_COVER_SIZE,
    F_HEADING_SIZE_EN,
    F_TITLE_SIZE_EN,
    F_COVER_SIZE_EN,
    F_LIST_INDENT,
    F_SUB_SIZE,
    F_SUB_SIZE_EN,
    F_SUB_LEADING,
    F_SUB_BEFORE,
    F_SUB_AFTER,
    F_MEASURE,
    F_COLUMN_WIDTH,
    F_TEXT_SIZE_EN,
    F_COUNT
} field_id;

typedef enum {
    R_NONNEG,   /* >= 0 */
    R_POSITIVE, /* > 0 */
    R_SIZE,     /* > 0 and <= SIZE_MAX_PT */
    R_PAGE      /* PAGE_MIN_PT .. PAGE_MAX_PT */
} range_kind;

static const struct {
    size_t off;       /* offset of the double in pb_layout */
    range_kind range;
    field_id base;    /* for leading: the size a bare factor multiplies; F_COUNT: no factor */
} fields[F_COUNT] = {
    [F_PAGE_W] = {offsetof(pb_layout, page_w), R_PAGE, F_COUNT},
    [F_PAGE_H] = {offsetof(pb_layout, page_h), R_PAGE, F_COUNT},
    [F_MARGIN_TOP] = {offsetof(pb_layout, margin_top), R_NONNEG, F_COUNT},
    [F_MARGIN_BOTTOM] = {offsetof(pb_layout, margin_bottom), R_NONNEG, F_COUNT},
    [F_MARGIN_INNER] = {offsetof(pb_layout, margin_inner), R_NONNEG, F_COUNT},
    [F_MARGIN_OUTER] = {offsetof(pb_layout, margin_outer), R_NONNEG, F_COUNT},
    [F_GUTTER] = {offsetof(pb_layout, gutter), R_NONNEG, F_COUNT},
    [F_TEXT_SIZE] = {offsetof(pb_layout, text_size), R_SIZE, F_COUNT},
    [F_LEADING] = {offsetof(pb_layout, leading), R_POSITIVE, F_TEXT_SIZE},
    [F_INDENT] = {offsetof(pb_layout, indent), R_NONNEG, F_COUNT},
    [F_PARA_SPACE] = {offsetof(pb_layout, para_space), R_NONNEG, F_COUNT},
    [F_PAIR_SPACE] = {offsetof(pb_layout, pair_space), R_NONNEG, F_COUNT},
    [F_HEADING_SIZE] = {offsetof(pb_layout, heading_size), R_SIZE, F_COUNT},
    [F_HEADING_LEADING] = {offsetof(pb_layout, heading_leading), R_POSITIVE, F_HEADING_SIZE},
    [F_HEADING_BEFORE] = {offsetof(pb_layout, heading_space_before), R_NONNEG, F_COUNT},
    [F_HEADING_AFTER] = {offsetof(pb_layout, heading_space_after), R_NONNEG, F_COUNT},
    [F_TITLE_SIZE] = {offsetof(pb_layout, title_size), R_SIZE, F_COUNT},
    [F_TITLE_LEADING] = {offsetof(pb_layout, title_leading), R_POSITIVE, F_TITLE_SIZE},
    [F_TITLE_AFTER] = {offsetof(pb_layout, title_space_after), R_NONNEG, F_COUNT},
    [F_HEADER_SIZE] = {offsetof(pb_layout, header_size), R_SIZE, F_COUNT},
    [F_HEADER_OFFSET] = {offsetof(pb_layout, header_offset), R_NONNEG, F_COUNT},
    [F_FOLIO_SIZE] = {offsetof(pb_layout, folio_size), R_SIZE, F_COUNT},
    [F_FOLIO_OFFSET] = {offsetof(pb_layout, folio_offset), R_NONNEG, F_COUNT},
    [F_RUBY_SIZE] = {offsetof(pb_layout, ruby_size), R_SIZE, F_COUNT},
    [F_COVER_SIZE] = {offsetof(pb_layout, cover_size), R_SIZE, F_COUNT},
    [F_HEADING_SIZE_EN] = {offsetof(pb_layout, heading_size_en), R_SIZE, F_COUNT},
    [F_TITLE_SIZE_EN] = {offsetof(pb_layout, title_size_en), R_SIZE, F_COUNT},
    [F_COVER_SIZE_EN] = {offsetof(pb_layout, cover_size_en), R_SIZE, F_COUNT},
    [F_LIST_INDENT] = {offsetof(pb_layout, list_indent), R_NONNEG, F_COUNT},
    [F_SUB_SIZE] = {offsetof(pb_layout, sub_size), R_SIZE, F_COUNT},
    [F_SUB_SIZE_EN] = {offsetof(pb_layout, sub_size_en), R_SIZE, F_COUNT},
    [F_SUB_LEADING] = {offsetof(pb_layout, sub_leading), R_POSITIVE, F_SUB_SIZE},
    [F_SUB_BEFORE] = {offsetof(pb_layout, sub_space_before), R_NONNEG, F_COUNT},
    [F_SUB_AFTER] = {offsetof(pb_layout, sub_space_after), R_NONNEG, F_COUNT},
    /* read into the context only (0: not given); check_geometry turns them into margins,
     * gutter and column share */
    [F_MEASURE] = {(size_t)-1, R_NONNEG, F_COUNT},
    [F_COLUMN_WIDTH] = {(size_t)-1, R_NONNEG, F_COUNT},
    [F_TEXT_SIZE_EN] = {offsetof(pb_layout, text_size_en), R_SIZE, F_COUNT},
};

typedef enum {
    V_LENGTH,      /* arg: field_id */
    V_PAPER,       /* [page] size */
    V_ORIENTATION,
    V_MARGIN,      /* [page] margin: all four */
    V_COLUMNS,
    V_FAMILY,      /* arg: pb_role */
    V_FALLBACK,
    V_LANG,        /* arg: LANG_ZH / LANG_EN */
    V_ALIGN,
    V_BREAKER,
    V_BOOL,        /* arg: BOOL_HEADER / BOOL_FOLIO */
    V_RUBY_MODE,
    V_PROFILE,
    V_PRODUCT,
    V_HEAD,        /* arg: HEAD_VERSO / HEAD_RECTO */
    V_FIT,
    V_SCALE,
    V_PAGES,
    V_SHEET,
    V_SHARE,
    V_EXPANSION,
    V_EMPH_ZH,
    V_QUOTES_ZH
} value_kind;

enum { LANG_ZH, LANG_EN };
enum { BOOL_HEADER, BOOL_FOLIO, BOOL_COVER, BOOL_GRID, BOOL_RUBY_DISPLAY, BOOL_SERIES, BOOL_SMART };
enum { HEAD_VERSO, HEAD_RECTO };

typedef struct {
    section_id section;
    const char *name;
    value_kind kind;
    int arg;
} keydef;

static const keydef keys[] = {
    {S_PAGE, "size", V_PAPER, 0},
    {S_PAGE, "orientation", V_ORIENTATION, 0},
    {S_PAGE, "margin-top", V_LENGTH, F_MARGIN_TOP},
    {S_PAGE, "margin-bottom", V_LENGTH, F_MARGIN_BOTTOM},
    {S_PAGE, "margin-inner", V_LENGTH, F_MARGIN_INNER},
    {S_PAGE, "margin-outer", V_LENGTH, F_MARGIN_OUTER},
    {S_PAGE, "margin", V_MARGIN, 0},
    {S_PAGE, "columns", V_COLUMNS, 0},
    {S_PAGE, "gutter", V_LENGTH, F_GUTTER},
    {S_FONTS, "han", V_FAMILY, PB_ROLE_HAN},
    {S_FONTS, "han-bold", V_FAMILY, PB_ROLE_HAN_BOLD},
    {S_FONTS, "latin", V_FAMILY, PB_ROLE_LATIN},
    {S_FONTS, "latin-bold", V_FAMILY, PB_ROLE_LATIN_BOLD},
    {S_FONTS, "latin-italic", V_FAMILY, PB_ROLE_LATIN_ITALIC},
    {S_FONTS, "fallback", V_FALLBACK, 0},
    {S_TEXT, "size", V_LENGTH, F_TEXT_SIZE},
    {S_TEXT, "size-en", V_LENGTH, F_TEXT_SIZE_EN},
    {S_TEXT, "leading", V_LENGTH, F_LEADING},
    {S_TEXT, "indent", V_LENGTH, F_INDENT},
    {S_TEXT, "list-indent", V_LENGTH, F_LIST_INDENT},
    {S_TEXT, "paragraph-space", V_LENGTH, F_PARA_SPACE},
    {S_TEXT, "pair-space", V_LENGTH, F_PAIR_SPACE},
    {S_TEXT, "lang-zh", V_LANG, LANG_ZH},
    {S_TEXT, "lang-en", V_LANG, LANG_EN},
    {S_TEXT, "align", V_ALIGN, 0},
    {S_TEXT, "breaker", V_BREAKER, 0},
    {S_HEADING, "size", V_LENGTH, F_HEADING_SIZE},
    {S_HEADING, "size-en", V_LENGTH, F_HEADING_SIZE_EN},
    {S_HEADING, "leading", V_LENGTH, F_HEADING_LEADING},
    {S_HEADING, "space-before", V_LENGTH, F_HEADING_BEFORE},
    {S_HEADING, "space-after", V_LENGTH, F_HEADING_AFTER},
    {S_SUBHEADING, "size", V_LENGTH, F_SUB_SIZE},
    {S_SUBHEADING, "size-en", V_LENGTH, F_SUB_SIZE_EN},
    {S_SUBHEADING, "leading", V_LENGTH, F_SUB_LEADING},
    {S_SUBHEADING, "space-before", V_LENGTH, F_SUB_BEFORE},
    {S_SUBHEADING, "space-after", V_LENGTH, F_SUB_AFTER},
    {S_TITLE, "size", V_LENGTH, F_TITLE_SIZE},
    {S_TITLE, "size-en", V_LENGTH, F_TITLE_SIZE_EN},
    {S_TITLE, "leading", V_LENGTH, F_TITLE_LEADING},
    {S_TITLE, "space-after", V_LENGTH, F_TITLE_AFTER},
    {S_HEADER, "enabled", V_BOOL, BOOL_HEADER},
    {S_HEADER, "size", V_LENGTH, F_HEADER_SIZE},
    {S_HEADER, "offset", V_LENGTH, F_HEADER_OFFSET},
    {S_FOOTER, "folio", V_BOOL, BOOL_FOLIO},
    {S_FOOTER, "series", V_BOOL, BOOL_SERIES},
    {S_FOOTER, "size", V_LENGTH, F_FOLIO_SIZE},
    {S_FOOTER, "offset", V_LENGTH, F_FOLIO_OFFSET},
    {S_RUBY, "mode", V_RUBY_MODE, 0},
    {S_RUBY, "size", V_LENGTH, F_RUBY_SIZE},
    {S_PDF, "profile", V_PROFILE, 0},
    {S_PRODUCT, "kind", V_PRODUCT, 0},
    {S_TEXT, "grid", V_BOOL, BOOL_GRID},
    {S_RUBY, "display", V_BOOL, BOOL_RUBY_DISPLAY},
    {S_COVER, "enabled", V_BOOL, BOOL_COVER},
    {S_COVER, "size", V_LENGTH, F_COVER_SIZE},
    {S_COVER, "size-en", V_LENGTH, F_COVER_SIZE_EN},
    {S_HEADER, "verso", V_HEAD, HEAD_VERSO},
    {S_HEADER, "recto", V_HEAD, HEAD_RECTO},
    {S_LEAFLET, "fit", V_FIT, 0},
    {S_LEAFLET, "min-scale", V_SCALE, 0},
    {S_LEAFLET, "pages", V_PAGES, 0},
    {S_IMPOSE, "sheet", V_SHEET, 0},
    {S_PAGE, "column-share", V_SHARE, 0},
    {S_TEXT, "expansion", V_EXPANSION, 0},
    {S_TEXT, "emphasis-zh", V_EMPH_ZH, 0},
    {S_TEXT, "smart-punctuation", V_BOOL, BOOL_SMART},
    {S_TEXT, "quotes-zh", V_QUOTES_ZH, 0},
    {S_PAGE, "measure", V_LENGTH, F_MEASURE},
    {S_PAGE, "column-width", V_LENGTH, F_COLUMN_WIDTH},
    {S_RUBY, "min-scale", V_SCALE, 1},
};

static const struct {
    const char *name;
    double w_pt, h_pt;
} papers[] = {
    {"A5", A5_W_MM * PT_PER_MM, A5_H_MM * PT_PER_MM},
    {"A4", A4_W_MM * PT_PER_MM, A4_H_MM * PT_PER_MM},
    {"A3", A3_W_MM * PT_PER_MM, A3_H_MM * PT_PER_MM},
    {"B5", B5_W_MM * PT_PER_MM, B5_H_MM * PT_PER_MM},
    {"letter", LETTER_W_IN * PT_PER_INCH, LETTER_H_IN * PT_PER_INCH},
    {"legal", LETTER_W_IN * PT_PER_INCH, LEGAL_H_IN * PT_PER_INCH},
    {"tabloid", TABLOID_W_IN * PT_PER_INCH, TABLOID_H_IN * PT_PER_INCH},
    {"ledger", TABLOID_H_IN * PT_PER_INCH, TABLOID_W_IN * PT_PER_INCH},
    {"SRA4", SRA4_W_MM * PT_PER_MM, SRA4_H_MM * PT_PER_MM},
    {"SRA3", SRA3_W_MM * PT_PER_MM, SRA3_H_MM * PT_PER_MM},
};

#define PAPER_NAMES "A5, A4, A3, B5, letter, legal, tabloid, ledger, SRA4, SRA3"

size_t pb_layout_sheets_for(double page_w, double page_h, char *out, size_t cap)
{
    size_t n = 0, k = 0;
    if (cap)
        out[0] = 0;
    for (size_t i = 0; i < sizeof papers / sizeof papers[0]; i++) {
        double lw = papers[i].w_pt > papers[i].h_pt ? papers[i].w_pt : papers[i].h_pt;
        double sw = papers[i].w_pt > papers[i].h_pt ? papers[i].h_pt : papers[i].w_pt;
        if (strcmp(papers[i].name, "ledger") == 0 || 2 * page_w > lw + LENGTH_EPS_PT ||
            page_h > sw + LENGTH_EPS_PT)
            continue; /* (ledger is tabloid turned) */
        const char *name = strcmp(papers[i].name, "tabloid") == 0 ? "tabloid/ledger" : papers[i].name;
        int w = snprintf(out + k, k < cap ? cap - k : 0, "%s%s", n ? ", " : "", name);
        if (w > 0 && k + (size_t)w < cap)
            k += (size_t)w;
        n++;
    }
    return n;
}

/* Word lists for the enumerated values, in the order of their C enums; NULL-terminated. */
static const char *const orientation_words[] = {"portrait", "landscape", NULL};
static const char *const align_words[] = {"justify", "left", NULL};
static const char *const breaker_words[] = {"total-fit", "greedy", NULL};
static const char *const bool_words[] = {"no", "yes", NULL};
static const char *const product_words[] = {"booklet", "leaflet", "parallel", NULL};
static const char *const head_words[] = {"none", "title", "section", NULL};
static const char *const fit_words[] = {"shrink", "pages", NULL};
static const char *const ruby_words[] = {"ruby", "drop", "inline-check", NULL};
static const char *const profile_words[] = {"print", "pdfa-3u", "pdfa-3a", NULL};
static const char *const emph_zh_words[] = {"dots", "bold", NULL};
static const char *const quotes_zh_words[] = {"curly", "corner", NULL};

#define UNITS_HINT "pt, mm, cm, in or em"

/* ---- parse state ------------------------------------------------------------------------- */

typedef enum { U_PT, U_EM, U_FACTOR } unit_kind;

/* A length as written, resolved to points after the whole file has been read. */
typedef struct {
    double amount;
    unit_kind unit;
    int line;            /* line of the key that set it; 0: built-in default */
    int bad;             /* the last key that tried to set it had an error */
    const keydef *key;   /* for messages reported at resolution */
    char raw[RAW_MAX];   /* the value as written, for those messages */
} slot;

enum { ORIENT_UNSET = -1 };

typedef struct {
    const char *name; /* file name for messages */
    pb_layout *out;
    const char *pos, *end; /* reader: the rest of the text */
    int lineno;            /* line the reader handed to inih last */
    section_id section;
    int errors;
    int oom;
    slot slots[F_COUNT];
    int orientation;       /* ORIENT_UNSET or a pb orientation index */
    int columns_line;
    int share_line;        /* line of column-share, 0: not given */
    double value[F_COUNT]; /* every length as resolved (pt), also those pb_layout lacks */
    char why[WHY_MAX];     /* why the value being parsed is bad */
} parse_ctx;

static void input_error(parse_ctx *c, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void input_error(parse_ctx *c, int line, const char *fmt, ...)
{
    char msg[MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    pb_diag_error(c->name, line, 0, "%s", msg);
    c->errors++;
}

static void bad_value(parse_ctx *c, int line, const keydef *k, const char *value)
{
    input_error(c, line, "bad value '%s' for %s in [%s]: %s", value, k->name,
                section_names[k->section], c->why);
}

/* Record why a value is bad; returns 0 so callers can `return fail(...)`. */
static int fail(parse_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(parse_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->why, sizeof c->why, fmt, ap);
    va_end(ap);
    return 0;
}

static double *field_ptr(pb_layout *l, field_id f)
{
    return (double *)(void *)((char *)l + fields[f].off);
}

static int is_blank(int ch) { return ch == ' ' || ch == '\t'; }

/* ---- numbers and lengths ----------------------------------------------------------------- */

/* A decimal number: [+-] digits [. digits] (no exponent, hex, inf or nan). */
static int scan_number(parse_ctx *c, const char *s, const char **endp, double *out)
{
    static const char digits[] = "0123456789";
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    size_t int_digits = strspn(p, digits);
    p += int_digits;
    size_t frac_digits = 0;
    if (*p == '.') {
        frac_digits = strspn(p + 1, digits);
        if (int_digits + frac_digits > 0)
            p += 1 + frac_digits;
    }
    if (int_digits + frac_digits == 0)
        return fail(c, "expected a number followed by a unit (" UNITS_HINT ")");

    char buf[NUMBER_MAX + 1];
    size_t n = (size_t)(p - s);
    if (n > NUMBER_MAX)
        return fail(c, "number longer than %d characters", NUMBER_MAX);
    memcpy(buf, s, n);
    buf[n] = '\0';
    char *end;
    errno = 0;
    double v = strtod(buf, &end); /* the C locale: '.' is the decimal point */
    if (*end != '\0')
        return fail(c, "expected a number followed by a unit (" UNITS_HINT ")");
    if (errno == ERANGE || !isfinite(v))
        return fail(c, "number out of range");
    *out = v + 0.0; /* turns -0 into 0 */
    *endp = p;
    return 1;
}

/* A number and its unit, e.g. "15mm" or "15 mm"; with allow_factor a bare number is a factor.
 * Stops after the unit; the caller checks what follows. */
static int scan_length(parse_ctx *c, const char *s, const char **endp, int allow_factor,
                       double *amount, unit_kind *unit)
{
    double v;
    const char *p;
    if (!scan_number(c, s, &p, &v))
        return 0;
    if (v < 0)
        return fail(c, "negative length");
    const char *u = p;
    while (is_blank(*u))
        u++;
    size_t ulen = 0;
    while (isalpha((unsigned char)u[ulen]))
        ulen++;
    if (ulen == 0) {
        if (!allow_factor)
            return fail(c, "missing unit (" UNITS_HINT ")");
        *amount = v;
        *unit = U_FACTOR;
        *endp = p;
        return 1;
    }
    static const struct {
        const char *name;
        double pt;    /* points per unit; 0 for em */
    } units[] = {
        {"pt", 1.0}, {"mm", PT_PER_MM}, {"cm", MM_PER_CM * PT_PER_MM}, {"in", PT_PER_INCH},
        {"em", 0.0},
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strlen(units[i].name) == ulen && memcmp(units[i].name, u, ulen) == 0) {
            if (units[i].pt > 0) {
                *amount = v * units[i].pt;
                *unit = U_PT;
            } else {
                *amount = v;
                *unit = U_EM;
            }
            *endp = u + ulen;
            return 1;
        }
    }
    return fail(c, "unknown unit '%.*s' (use " UNITS_HINT ")", (int)ulen, u);
}

/* Reason a resolved length is out of range for field f, or 1 when it is fine. */
static int check_range(parse_ctx *c, field_id f, double pt)
{
    switch (fields[f].range) {
    case R_NONNEG:
        if (pt < 0)
            return fail(c, "negative length");
        return 1;
    case R_POSITIVE:
        if (!(pt > 0))
            return fail(c, "must be more than 0 pt");
        return 1;
    case R_SIZE:
        if (!(pt > 0))
            return fail(c, "must be more than 0 pt");
        if (pt > SIZE_MAX_PT)
            return fail(c, "%g pt is more than the maximum of %g pt", pt, SIZE_MAX_PT);
        return 1;
    case R_PAGE:
        if (pt < PAGE_MIN_PT)
            return fail(c, "%g pt is less than the PDF minimum page side of %g pt", pt,
                        PAGE_MIN_PT);
        if (pt > PAGE_MAX_PT)
            return fail(c, "%g pt is more than the PDF maximum page side of %g pt", pt,
                        PAGE_MAX_PT);
        return 1;
    }
    return 1;
}

/* Amount of a length that needs no resolution can be checked while reading; em lengths and
 * factors wait until the end. */
static int check_now(parse_ctx *c, field_id f, double amount, unit_kind unit)
{
    return unit != U_PT || check_range(c, f, amount);
}

static void store(parse_ctx *c, field_id f, const keydef *k, const char *raw, double amount,
                  unit_kind unit)
{
    slot *s = &c->slots[f];
    s->amount = amount;
    s->unit = unit;
    s->line = c->lineno;
    s->bad = 0;
    s->key = k;
    snprintf(s->raw, sizeof s->raw, "%s", raw);
}

static const char *skip_blanks(const char *s)
{
    while (is_blank(*s))
        s++;
    return s;
}

static int set_length(parse_ctx *c, const keydef *k, const char *value)
{
    field_id f = (field_id)k->arg;
    double amount;
    unit_kind unit;
    const char *end;
    if (!scan_length(c, value, &end, fields[f].base != F_COUNT, &amount, &unit))
        return 0;
    end = skip_blanks(end);
    if (*end)
        return fail(c, "unexpected '%s' after the length", end);
    if (f == F_TEXT_SIZE && unit == U_EM)
        return fail(c, "em is this size itself; use pt, mm, cm or in");
    if (!check_now(c, f, amount, unit))
        return 0;
    store(c, f, k, value, amount, unit);
    return 1;
}

static int set_margin(parse_ctx *c, const keydef *k, const char *value)
{
    double amount;
    unit_kind unit;
    const char *end;
    if (!scan_length(c, value, &end, 0, &amount, &unit))
        return 0;
    end = skip_blanks(end);
    if (*end)
        return fail(c, "unexpected '%s' after the length", end);
    if (!check_now(c, F_MARGIN_TOP, amount, unit))
        return 0;
    for (field_id f = F_MARGIN_TOP; f <= F_MARGIN_OUTER; f++)
        store(c, f, k, value, amount, unit);
    return 1;
}

static int set_paper(parse_ctx *c, const keydef *k, const char *value)
{
    for (size_t i = 0; i < sizeof papers / sizeof papers[0]; i++) {
        if (strcasecmp(value, papers[i].name) == 0) {
            store(c, F_PAGE_W, k, value, papers[i].w_pt, U_PT);
            store(c, F_PAGE_H, k, value, papers[i].h_pt, U_PT);
            return 1;
        }
    }
    if (!(isdigit((unsigned char)value[0]) || value[0] == '.' || value[0] == '+' ||
          value[0] == '-'))
        return fail(c, "expected " PAPER_NAMES " or a width and a height");

    double w, h;
    unit_kind wu, hu;
    const char *p;
    if (!scan_length(c, value, &p, 0, &w, &wu))
        return 0;
    const char *q = skip_blanks(p);
    if (!*q)
        return fail(c, "expected a width and a height, e.g. '148mm 210mm'");
    if (q == p)
        return fail(c, "unexpected '%s' after the width", p);
    if (!scan_length(c, q, &p, 0, &h, &hu))
        return 0;
    p = skip_blanks(p);
    if (*p)
        return fail(c, "unexpected '%s' after the height", p);
    if (!check_now(c, F_PAGE_W, w, wu) || !check_now(c, F_PAGE_H, h, hu))
        return 0;
    store(c, F_PAGE_W, k, value, w, wu);
    store(c, F_PAGE_H, k, value, h, hu);
    return 1;
}

/* ---- words and names --------------------------------------------------------------------- */

static int match_word(parse_ctx *c, const char *value, const char *const *words, int *out)
{
    size_t n = 0;
    for (; words[n]; n++) {
        if (strcmp(value, words[n]) == 0) {
            *out = (int)n;
            return 1;
        }
    }
    /* "expected a, b or c" */
    char list[WHY_MAX] = "";
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        const char *sep = i == 0 ? "" : i + 1 == n ? " or " : ", ";
        int w = snprintf(list + used, sizeof list - used, "%s%s", sep, words[i]);
        if (w < 0 || (size_t)w >= sizeof list - used)
            break;
        used += (size_t)w;
    }
    return fail(c, "expected %s", list);
}

/* Length of the UTF-8 sequence at s, or 0 when it is not well formed (RFC 3629). */
static size_t utf8_seq_len(const unsigned char *s)
{
    if (s[0] < 0x80)
        return 1;
    size_t n;
    unsigned min;
    unsigned cp;
    if ((s[0] & 0xE0) == 0xC0) {
        n = 2, min = 0x80, cp = s[0] & 0x1Fu;
    } else if ((s[0] & 0xF0) == 0xE0) {
        n = 3, min = 0x800, cp = s[0] & 0x0Fu;
    } else if ((s[0] & 0xF8) == 0xF0) {
        n = 4, min = 0x10000, cp = s[0] & 0x07u;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

static int set_family(parse_ctx *c, const char *value, char *dst, size_t dstn, int may_be_empty)
{
    if (may_be_empty && (value[0] == '\0' || strcmp(value, "none") == 0)) {
        dst[0] = '\0';
        return 1;
    }
    if (value[0] == '\0')
        return fail(c, "empty family name");
    size_t len = strlen(value);
    if (len >= dstn)
        return fail(c, "family name longer than %zu bytes", dstn - 1);
    for (const unsigned char *p = (const unsigned char *)value; *p;) {
        if (*p < 0x20 || *p == 0x7F)
            return fail(c, "control character in family name");
        if (*p == ':' || *p == ',')
            return fail(c, "'%c' in family name: give the family only (the -bold roles ask "
                           "fontconfig for weight bold)", *p);
        size_t n = utf8_seq_len(p);
        if (n == 0)
            return fail(c, "family name is not valid UTF-8");
        p += n;
    }
    memcpy(dst, value, len + 1);
    return 1;
}

/* BCP 47 tag (RFC 5646) in the shape HarfBuzz and PDF /Lang accept: subtags of 1 to 8
 * letters or digits joined by single hyphens, the first one letters only. */
static int set_lang(parse_ctx *c, const char *value, char *dst, size_t dstn)
{
    size_t len = strlen(value);
    if (len == 0)
        return fail(c, "empty language tag");
    if (len >= dstn)
        return fail(c, "language tag longer than %zu characters", dstn - 1);
    size_t sub = 0, subtags = 0;
    for (size_t i = 0; i <= len; i++) {
        unsigned char ch = (unsigned char)value[i];
        if (ch == '-' || ch == '\0') {
            if (sub == 0)
                return fail(c, "empty subtag in language tag");
            subtags++;
            sub = 0;
            continue;
        }
        if (ch >= 0x80 || !isalnum(ch))
            return fail(c, "a language tag has only letters, digits and hyphens");
        if (subtags == 0 && !isalpha(ch))
            return fail(c, "a language tag starts with a language subtag of letters");
        if (++sub > BCP47_SUBTAG_MAX)
            return fail(c, "language subtag longer than %d characters", BCP47_SUBTAG_MAX);
    }
    memcpy(dst, value, len + 1);
    return 1;
}

static int set_value(parse_ctx *c, const keydef *k, const char *value)
{
    pb_layout *o = c->out;
    int w;
    if (value[0] == '\0' && k->kind != V_FALLBACK && k->kind != V_FAMILY)
        return fail(c, "empty value");
    switch (k->kind) {
    case V_LENGTH:
        return set_length(c, k, value);
    case V_PAPER:
        return set_paper(c, k, value);
    case V_MARGIN:
        return set_margin(c, k, value);
    case V_ORIENTATION:
        if (!match_word(c, value, orientation_words, &w))
            return 0;
        c->orientation = w;
        return 1;
    case V_COLUMNS: {
        const char *end;
        double v;
        if (!scan_number(c, value, &end, &v) || *skip_blanks(end) || v != floor(v) ||
            v < COLUMNS_MIN || v > COLUMNS_MAX)
            return fail(c, "expected %d or %d", COLUMNS_MIN, COLUMNS_MAX);
        o->columns = (int)v;
        c->columns_line = c->lineno;
        return 1;
    }
    case V_FAMILY:
        return set_family(c, value, o->family[k->arg], sizeof o->family[k->arg], 0);
    case V_FALLBACK:
        return set_family(c, value, o->fallback, sizeof o->fallback, 1);
    case V_LANG:
        if (k->arg == LANG_ZH)
            return set_lang(c, value, o->lang_zh, sizeof o->lang_zh);
        return set_lang(c, value, o->lang_en, sizeof o->lang_en);
    case V_ALIGN:
        if (!match_word(c, value, align_words, &w))
            return 0;
        o->align = w == 0 ? PB_ALIGN_JUSTIFY : PB_ALIGN_LEFT;
        return 1;
    case V_BREAKER:
        if (!match_word(c, value, breaker_words, &w))
            return 0;
        o->breaker = w == 0 ? PB_BREAK_TOTAL_FIT : PB_BREAK_GREEDY;
        return 1;
    case V_BOOL:
        if (!match_word(c, value, bool_words, &w))
            return 0;
        if (k->arg == BOOL_HEADER)
            o->header = w;
        else if (k->arg == BOOL_FOLIO)
            o->folio = w;
        else if (k->arg == BOOL_SERIES)
            o->series = w;
        else if (k->arg == BOOL_COVER)
            o->cover = w;
        else if (k->arg == BOOL_RUBY_DISPLAY)
            o->ruby_display = w;
        else if (k->arg == BOOL_SMART)
            o->smart_punctuation = w;
        else
            o->grid = w;
        return 1;
    case V_PRODUCT:
        if (!match_word(c, value, product_words, &w))
            return 0;
        o->product = (pb_product)w;
        return 1;
    case V_HEAD:
        if (!match_word(c, value, head_words, &w))
            return 0;
        if (k->arg == HEAD_VERSO)
            o->head_verso = (pb_head_content)w;
        else
            o->head_recto = (pb_head_content)w;
        return 1;
    case V_FIT:
        if (!match_word(c, value, fit_words, &w))
            return 0;
        o->fit = (pb_fit)w;
        return 1;
    case V_SCALE: {
        const char *end;
        double v;
        if (!scan_number(c, value, &end, &v) || *skip_blanks(end) || v < MIN_SCALE_FLOOR || v > 1)
            return fail(c, "expected a factor from %g to 1", MIN_SCALE_FLOOR);
        if (k->arg)
            o->ruby_min_scale = v;
        else
            o->min_scale = v;
        return 1;
    }
    case V_PAGES: {
        const char *end;
        double v;
        if (!scan_number(c, value, &end, &v) || *skip_blanks(end) || v != floor(v) || v < 1 ||
            v > LEAFLET_PAGES_MAX)
            return fail(c, "expected a whole number of pages from 1 to %d", LEAFLET_PAGES_MAX);
        o->leaflet_pages = (int)v;
        return 1;
    }
    case V_SHARE: {
        const char *end;
        double v;
        if (!scan_number(c, value, &end, &v) || *skip_blanks(end) || v < COLUMN_SHARE_MIN ||
            v > 1 - COLUMN_SHARE_MIN)
            return fail(c, "expected a share from %g to %g", COLUMN_SHARE_MIN,
                        1 - COLUMN_SHARE_MIN);
        o->column_share = v;
        c->share_line = c->lineno;
        return 1;
    }
    case V_EXPANSION: {
        const char *end;
        double v;
        if (!scan_number(c, value, &end, &v) || strcmp(skip_blanks(end), "%") != 0 || v < 0 ||
            v > EXPANSION_MAX * 100)
            return fail(c, "expected a percentage from 0%% to %g%%", EXPANSION_MAX * 100);
        o->expansion = v / 100;
        return 1;
    }
    case V_SHEET:
        for (size_t i = 0; i < sizeof papers / sizeof papers[0]; i++)
            if (strcasecmp(value, papers[i].name) == 0) {
                /* 2-up sheets are landscape */
                o->sheet_w = papers[i].w_pt > papers[i].h_pt ? papers[i].w_pt : papers[i].h_pt;
                o->sheet_h = papers[i].w_pt > papers[i].h_pt ? papers[i].h_pt : papers[i].w_pt;
                return 1;
            }
        return fail(c, "expected " PAPER_NAMES);
    case V_RUBY_MODE:
        if (!match_word(c, value, ruby_words, &w))
            return 0;
        o->ruby_mode = w == 0 ? PB_RUBY_RUBY : w == 1 ? PB_RUBY_DROP : PB_RUBY_INLINE_CHECK;
        return 1;
    case V_PROFILE:
        if (!match_word(c, value, profile_words, &w))
            return 0;
        o->profile = w == 0 ? PB_PROFILE_PRINT : w == 1 ? PB_PROFILE_PDFA3U : PB_PROFILE_PDFA3A;
        return 1;
    case V_EMPH_ZH:
        if (!match_word(c, value, emph_zh_words, &w))
            return 0;
        o->emphasis_zh = w == 0 ? PB_EMPH_ZH_DOTS : PB_EMPH_ZH_BOLD;
        return 1;
    case V_QUOTES_ZH:
        if (!match_word(c, value, quotes_zh_words, &w))
            return 0;
        o->quotes_zh = w == 0 ? PB_QUOTES_ZH_CURLY : PB_QUOTES_ZH_CORNER;
        return 1;
    }
    return fail(c, "internal error: unhandled key kind");
}

/* ---- inih glue --------------------------------------------------------------------------- */

static const keydef *find_key(section_id s, const char *name)
{
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (keys[i].section == s && strcmp(keys[i].name, name) == 0)
            return &keys[i];
    return NULL;
}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
    parse_ctx *c = user;
    (void)section; /* the reader tracks the section itself (trimmed, and known to be valid) */
    if (!value)
        value = "";
    if (c->section == S_UNKNOWN)
        return 1; /* the section header was reported; its keys would only add noise */
    if (c->section == S_NONE) {
        input_error(c, c->lineno, "key '%s' outside any section", name);
        return 1;
    }
    const keydef *k = find_key(c->section, name);
    if (!k) {
        input_error(c, c->lineno, "unknown key '%s' in [%s]", name, section_names[c->section]);
        return 1;
    }
    if (!set_value(c, k, value)) {
        if (k->kind == V_LENGTH)
            c->slots[k->arg].bad = 1;
        bad_value(c, c->lineno, k, value);
    }
    return 1; /* errors are counted here; inih's return value is kept for syntax errors */
}

/* Like inih: stop at one of chars, or at an inline comment (a prefix after whitespace). */
static const char *scan_to(const char *s, const char *chars)
{
    int was_space = 0;
    while (*s && !strchr(chars, *s) &&
           !(was_space && strchr(INI_INLINE_COMMENT_PREFIXES, *s)))
        was_space = isspace((unsigned char)*s++);
    return s;
}

/* Classify a trimmed line; report what inih would reject. 0: hand inih an empty line. */
static int check_line(parse_ctx *c, const char *s)
{
    if (!*s || strchr(INI_START_COMMENT_PREFIXES, *s))
        return 1;
    if (*s == '[') {
        const char *close = scan_to(s + 1, "]");
        if (*close != ']') {
            input_error(c, c->lineno, "missing ']' in section header");
            c->section = S_UNKNOWN;
            return 0;
        }
        const char *a = s + 1, *b = close;
        while (a < b && isspace((unsigned char)*a))
            a++;
        while (b > a && isspace((unsigned char)b[-1]))
            b--;
        c->section = S_UNKNOWN;
        for (int i = 0; i < S_COUNT; i++) {
            if (strlen(section_names[i]) == (size_t)(b - a) &&
                memcmp(section_names[i], a, (size_t)(b - a)) == 0)
                c->section = (section_id)i;
        }
        if (c->section == S_UNKNOWN)
            input_error(c, c->lineno, "unknown section [%.*s]", (int)(b - a), a);
        const char *rest = skip_blanks(close + 1);
        if (*rest && !strchr(INI_INLINE_COMMENT_PREFIXES, *rest) &&
            !strchr(INI_START_COMMENT_PREFIXES, *rest)) {
            input_error(c, c->lineno, "unexpected '%s' after the section header", rest);
            return 0;
        }
        return 1;
    }
    const char *sep = scan_to(s, "=:");
    if (*sep != '=' && *sep != ':') {
        input_error(c, c->lineno, "expected 'key = value' or '[section]'");
        return 0;
    }
    return 1;
}

/* inih's reader: hands over one line, trimmed (so an indented key is never taken for a
 * continuation line), and keeps the line number. */
static char *read_line(char *str, int num, void *stream)
{
    parse_ctx *c = stream;
    if (c->pos >= c->end || num < 1)
        return NULL;
    const char *a = c->pos;
    const char *nl = memchr(a, '\n', (size_t)(c->end - a));
    const char *b = nl ? nl : c->end;
    c->pos = nl ? nl + 1 : c->end;
    c->lineno++;

    static const char bom[] = "\xEF\xBB\xBF"; /* UTF-8 byte order mark */
    if (c->lineno == 1 && (size_t)(b - a) >= sizeof bom - 1 && memcmp(a, bom, sizeof bom - 1) == 0)
        a += sizeof bom - 1;
    while (a < b && isspace((unsigned char)*a))
        a++;
    while (b > a && isspace((unsigned char)b[-1]))
        b--;
    size_t n = (size_t)(b - a);
    if (n + 1 > (size_t)num) {
        input_error(c, c->lineno, "line longer than %d characters", num - 1);
        if (*a == '[')
            c->section = S_UNKNOWN; /* keys below must not land in the previous section */
        str[0] = '\0';
        return str;
    }
    memcpy(str, a, n);
    str[n] = '\0';
    if (!check_line(c, str))
        str[0] = '\0';
    return str;
}

/* ---- after reading ----------------------------------------------------------------------- */

/* Resolve em and factors to points: text size first, then em lengths, then factors. */
static void resolve(parse_ctx *c)
{
    double pt[F_COUNT] = {0};
    int ok[F_COUNT] = {0};
    for (int pass = 0; pass < 3; pass++) {
        for (field_id f = 0; f < F_COUNT; f++) {
            slot *s = &c->slots[f];
            int want = pass == 0 ? f == F_TEXT_SIZE
                     : pass == 1 ? f != F_TEXT_SIZE && s->unit != U_FACTOR
                                 : s->unit == U_FACTOR;
            if (!want)
                continue;
            field_id base = s->unit == U_EM ? F_TEXT_SIZE : fields[f].base;
            int base_ok = s->unit == U_PT || (ok[base] && !c->slots[base].bad);
            pt[f] = s->unit == U_PT ? s->amount : s->amount * pt[base];
            ok[f] = base_ok;
            /* a default that follows the text size (no key of the layout's) stays in range */
            if (!s->key && fields[f].range == R_SIZE && pt[f] > SIZE_MAX_PT)
                pt[f] = SIZE_MAX_PT;
            if (base_ok && s->unit != U_PT && !check_range(c, f, pt[f])) {
                bad_value(c, s->line, s->key, s->raw);
                ok[f] = 0;
            }
            if (ok[f] && fields[f].off != (size_t)-1)
                *field_ptr(c->out, f) = pt[f];
            if (ok[f])
                c->value[f] = pt[f];
        }
    }
}

static int max_line(const parse_ctx *c, field_id first, field_id last)
{
    int line = 0;
    for (field_id f = first; f <= last; f++)
        if (c->slots[f].line > line)
            line = c->slots[f].line;
    return line;
}

static void warning_at(parse_ctx *c, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A layout asked for something it gets adjusted: said once, at the key's line. Built-in values
 * (line 0) are adjusted silently: nothing was asked. */
static void warning_at(parse_ctx *c, int line, const char *fmt, ...)
{
    if (line <= 0)
        return;
    char msg[MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    pb_diag_warning(c->name, line, 0, "%s", msg);
}

/* Whole characters of size in len (0 when less than one). */
static double whole_chars(double len, double size)
{
    double n = floor(len / size + PB_LAYOUT_CHAR_EPS);
    return n >= 1 ? n : 0;
}

/* clreq's 版心 / JIS X 4051's 字詰め: the text block (and the parallel's Chinese column) is a
 * whole number of body characters, so that a justified line of ideographs is set solid. A
 * measure given ([page] measure) wins and the margins share the rest of the page in the
 * proportion they were given; else the margins' block is cut to whole characters and the
 * remainder goes to the margins in that proportion. The Chinese column's remainder goes to the
 * gutter. Anything cut is said at the line of the key that asked for it. */
static void whole_measures(parse_ctx *c)
{
    pb_layout *o = c->out;
    double size = o->text_size;
    double raw = o->page_w - o->margin_inner - o->margin_outer;
    const slot *ms = &c->slots[F_MEASURE];
    int given = ms->line > 0 && !ms->bad && c->value[F_MEASURE] > 0;
    double want = given ? c->value[F_MEASURE] : raw;
    if (given && want > o->page_w - LENGTH_EPS_PT) {
        input_error(c, ms->line, "measure = %s is wider than the page (%.2f pt)", ms->raw,
                    o->page_w);
        return;
    }
    double n = whole_chars(want, size);
    double m = n ? n * size : want;
    int line = given ? ms->line : max_line(c, F_MARGIN_INNER, F_MARGIN_OUTER);
    if (!given) { /* the margins' block: the key that made it, or the page or the type size */
        int other = c->slots[F_PAGE_W].line > c->slots[F_TEXT_SIZE].line
                        ? c->slots[F_PAGE_W].line : c->slots[F_TEXT_SIZE].line;
        if (!line)
            line = other;
    }
    if (n && want - m > LENGTH_EPS_PT) { /* (narrower than a character: left as it is) */
        char hint[64] = "";
        if (!given)
            snprintf(hint, sizeof hint, " ([page] measure = %.0fem says so)", n);
        warning_at(c, line, "%s%s is %.2f characters of %g pt: set to %.0f characters (%.2f pt), "
                   "the %.2f pt left over added to the margins%s",
                   given ? "measure = " : "the text block between the margins",
                   given ? ms->raw : "", want / size, size, n, m, want - m, hint);
    }
    double sides = o->margin_inner + o->margin_outer, rest = o->page_w - m;
    if (fabs(rest - sides) > LENGTH_EPS_PT * LENGTH_EPS_PT) { /* (exact layouts stay as written) */
        double share = sides > LENGTH_EPS_PT ? o->margin_inner / sides : 0.5;
        o->margin_inner = rest * share;
        o->margin_outer = rest - o->margin_inner;
    }
    if (o->columns != COLUMNS_MAX)
        return;
    /* the parallel: the Chinese column in whole characters, its remainder to the gutter */
    double room = m - o->gutter;
    const slot *cs = &c->slots[F_COLUMN_WIDTH];
    int cw_given = cs->line > 0 && !cs->bad && c->value[F_COLUMN_WIDTH] > 0;
    double zh = cw_given ? c->value[F_COLUMN_WIDTH] : room * o->column_share;
    if (cw_given && (zh < room * COLUMN_SHARE_MIN - LENGTH_EPS_PT ||
                     zh > room * (1 - COLUMN_SHARE_MIN) + LENGTH_EPS_PT)) {
        input_error(c, cs->line,
                    "column-width = %s leaves the columns %.2f pt: it must take %g to %g of them",
                    cs->raw, room, COLUMN_SHARE_MIN, 1 - COLUMN_SHARE_MIN);
        return;
    }
    /* the English column keeps its width */
    double k = whole_chars(zh, size);
    int cline = cw_given ? cs->line : c->share_line;
    if (!cline)
        cline = c->slots[F_GUTTER].line > line ? c->slots[F_GUTTER].line : line;
    if (k && zh - k * size > LENGTH_EPS_PT) {
        char asked[RAW_MAX + 32];
        if (cw_given)
            snprintf(asked, sizeof asked, "column-width = %s", cs->raw);
        else
            snprintf(asked, sizeof asked, "column-share = %g", o->column_share);
        warning_at(c, cline, "the Chinese column (%s) is %.2f characters of %g pt: set to "
                   "%.0f characters (%.2f pt), the %.2f pt left over added to the gutter",
                   asked, zh / size, size, k, k * size, zh - k * size);
        o->gutter += zh - k * size;
        zh = k * size;
    }
    room = m - o->gutter;
    o->column_share = room > 0 ? zh / room : o->column_share;
}

double pb_layout_whole_scale(const pb_layout *l, double want)
{
    double m = pb_layout_measure(l);
    double n = ceil(m / (l->text_size * want) - PB_LAYOUT_CHAR_EPS);
    if (n < 1 || m < l->text_size)
        return want; /* not even one character: nothing to keep whole */
    if (m / (l->text_size * n) < l->min_scale - PB_LAYOUT_CHAR_EPS && n > 1)
        n--; /* one character fewer keeps the scale at or above the floor */
    return m / (l->text_size * n);
}

static void check_geometry(parse_ctx *c)
{
    pb_layout *o = c->out;
    if (c->orientation != ORIENT_UNSET) {
        int landscape = c->orientation == 1;
        if ((landscape && o->page_w < o->page_h) || (!landscape && o->page_w > o->page_h)) {
            double t = o->page_w;
            o->page_w = o->page_h;
            o->page_h = t;
        }
    }
    double block_w = pb_layout_measure(o);
    double block_h = o->page_h - o->margin_top - o->margin_bottom;
    if (!(block_w > LENGTH_EPS_PT) || !(block_h > LENGTH_EPS_PT)) {
        /* the last margin set, else the page size (too small for the default margins) */
        int line = max_line(c, F_MARGIN_TOP, F_MARGIN_OUTER);
        input_error(c, line ? line : max_line(c, F_PAGE_W, F_PAGE_H),
                    "margins leave no room for text");
        return;
    }
    /* columns: the parallel product's two (Chinese, English), one for every other product;
     * written out, the key must agree with the product */
    int parallel = o->product == PB_PRODUCT_PARALLEL;
    if (!c->columns_line)
        o->columns = parallel ? COLUMNS_MAX : COLUMNS_MIN;
    else if (parallel && o->columns != COLUMNS_MAX) {
        input_error(c, c->columns_line,
                    "kind = parallel sets Chinese and English in two columns; columns = %d "
                    "cannot hold them (remove the key)", o->columns);
        return;
    } else if (!parallel && o->columns != COLUMNS_MIN) {
        input_error(c, c->columns_line,
                    "columns = %d is the parallel product's (Chinese and English side by side); "
                    "one language in two columns is not supported (set kind = parallel, or "
                    "columns = 1)", o->columns);
        return;
    }
    if (o->columns == COLUMNS_MAX && !(block_w - o->gutter > LENGTH_EPS_PT)) {
        int line = c->slots[F_GUTTER].line;
        if (c->columns_line > line)
            line = c->columns_line;
        input_error(c, line, "gutter leaves no room for %d columns", COLUMNS_MAX);
        return;
    }
    if (c->errors == 0)
        whole_measures(c);
}

static void init_ctx(parse_ctx *c, const char *name, pb_layout *out)
{
    memset(c, 0, sizeof *c);
    c->name = name;
    c->out = out;
    c->section = S_NONE;
    c->orientation = ORIENT_UNSET;
    pb_layout_defaults(out);
    snprintf(out->path, sizeof out->path, "%s", name);
    for (field_id f = 0; f < F_COUNT; f++) {
        c->slots[f].amount = fields[f].off != (size_t)-1 ? *field_ptr(out, f) : 0;
        c->slots[f].unit = U_PT;
    }
    /* The default indents follow the text size. */
    c->slots[F_INDENT].amount = DEFAULT_INDENT_EM;
    c->slots[F_INDENT].unit = U_EM;
    c->slots[F_LIST_INDENT].amount = DEFAULT_INDENT_EM;
    c->slots[F_LIST_INDENT].unit = U_EM;
    /* and so does the English text's */
    c->slots[F_TEXT_SIZE_EN].amount = DEFAULT_TEXT_SIZE_EN_EM;
    c->slots[F_TEXT_SIZE_EN].unit = U_EM;
}

static pb_status parse_range(const char *name, const char *text, size_t len, pb_layout *out)
{
    parse_ctx c;
    init_ctx(&c, name, out);
    c.pos = text;
    c.end = text + len;
    int r = ini_parse_stream(read_line, &c, on_key, &c);
    if (r == -2) {
        pb_diag_syserr("out of memory reading layout %s", name);
        return PB_ESYSTEM;
    }
    if (r > 0 && c.errors == 0) /* inih rejected a line check_line let through */
        input_error(&c, r, "syntax error");
    resolve(&c);
    check_geometry(&c);
    return c.errors ? PB_EINPUT : PB_OK;
}

pb_status pb_layout_parse(const char *name, const char *text, pb_layout *out)
{
    return parse_range(name, text, strlen(text), out);
}

pb_status pb_layout_load(const char *path, pb_layout *out)
{
    pb_layout_defaults(out);
    if (strlen(path) >= sizeof out->path) {
        pb_diag_syserr("cannot read layout %s: %s", path, strerror(ENAMETOOLONG));
        return PB_ESYSTEM;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        pb_diag_syserr("cannot read layout %s: %s", path, strerror(errno));
        return PB_ESYSTEM;
    }
    char *buf = malloc(LAYOUT_FILE_MAX + 1);
    if (!buf) {
        fclose(f);
        pb_diag_syserr("cannot read layout %s: %s", path, strerror(ENOMEM));
        return PB_ESYSTEM;
    }
    size_t len = fread(buf, 1, LAYOUT_FILE_MAX + 1, f);
    int err = ferror(f) ? errno : 0;
    fclose(f);
    if (err) {
        free(buf);
        pb_diag_syserr("cannot read layout %s: %s", path, strerror(err));
        return PB_ESYSTEM;
    }
    if (len > LAYOUT_FILE_MAX) {
        free(buf);
        pb_diag_error(path, 0, 0, "larger than %d bytes; not a layout file", LAYOUT_FILE_MAX);
        return PB_EINPUT;
    }
    const char *nul = memchr(buf, '\0', len);
    if (nul) {
        int line = 1;
        for (const char *p = buf; p < nul; p++)
            line += *p == '\n';
        free(buf);
        pb_diag_error(path, line, 0, "NUL byte; not a text file");
        return PB_EINPUT;
    }
    pb_status st = parse_range(path, buf, len, out);
    free(buf);
    return st;
}
