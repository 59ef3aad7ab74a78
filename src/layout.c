/* layout: reads a layout file (.ini, parsed with inih), and the base layouts it names, into a
 * pb_layout over the built-in defaults (the keys table below: each key with its default).
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
#include "layoutdirs.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

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
/* Tabloid Extra, 12 x 18 in (ANSI Arch B): the North American press sheet for tabloid and
 * 2-up letter work with room for bleed and marks (ledger is exactly two letter pages). */
#define TABLOID_EXTRA_W_IN 12.0
#define TABLOID_EXTRA_H_IN 18.0

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

/* ---- limits of the other values ---------------------------------------------------------- */

/* Leaflet page count bounds (a leaflet is a sheet or two, not a book); the shrink limit is
 * layout.h's PB_LAYOUT_MIN_SCALE_FLOOR. */
#define LEAFLET_PAGES_MAX 8
/* A leaflet whose text leaves the page short may grow its sizes up to this factor: at most
 * 2 (a short section is not set as a poster); by default none. */
#define MAX_SCALE_CEILING 2.0
/* Neither column may be narrower than a fifth of the space. */
#define COLUMN_SHARE_MIN 0.2
/* Font expansion of justified English text: beyond about 3 % the letters visibly change
 * shape (microtype's default limit is 2 %). */
#define EXPANSION_MAX 0.03
#define NEAR_LEN_MAX PB_UTIL_NEAR_LEN_MAX

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
    S_QUERY,
    S_COUNT
} section_id;

static const char *const section_names[S_COUNT] = {
    [S_PAGE] = "page",     [S_FONTS] = "fonts",   [S_TEXT] = "text",
    [S_HEADING] = "heading", [S_TITLE] = "title", [S_HEADER] = "header",
    [S_FOOTER] = "footer", [S_RUBY] = "ruby",     [S_PDF] = "pdf",
    [S_PRODUCT] = "product", [S_COVER] = "cover", [S_LEAFLET] = "leaflet",
    [S_IMPOSE] = "impose", [S_SUBHEADING] = "subheading",
    [S_QUERY] = "query",
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
    F_STANDFIRST_SIZE,
    F_CREEP,
    F_BLEED,
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
    [F_STANDFIRST_SIZE] = {offsetof(pb_layout, standfirst_size), R_SIZE, F_COUNT},
    [F_CREEP] = {offsetof(pb_layout, creep), R_NONNEG, F_COUNT},
    [F_BLEED] = {offsetof(pb_layout, bleed), R_NONNEG, F_COUNT},
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
    V_ALIGN,       /* arg: LANG_EN for align-en, else 0 (align) */
    V_BREAKER,
    V_BOOL,        /* arg: BOOL_HEADER / BOOL_FOLIO */
    V_RUBY_MODE,
    V_PROFILE,
    V_COMPRESSION, /* [pdf] compression */
    V_PRODUCT,
    V_HEAD,        /* arg: HEAD_VERSO / HEAD_RECTO */
    V_FIT,
    V_SCALE,
    V_MAX_SCALE,
    V_PAGES,
    V_SHEET,
    V_SHARE,
    V_EXPANSION,
    V_EMPH_ZH,
    V_QUOTES_ZH,
    V_ACCEPT,      /* [query] accept: a file of house words */
    V_BINDING,
    V_COLOPHON
} value_kind;

enum { LANG_ZH, LANG_EN };
enum {
    BOOL_HEADER,
    BOOL_FOLIO,
    BOOL_COVER,
    BOOL_GRID,
    BOOL_RUBY_DISPLAY,
    BOOL_SERIES,
    BOOL_SMART,
    BOOL_STANDFIRST,
    BOOL_ONE_SIZE,
    BOOL_MARKS
};
enum { HEAD_VERSO, HEAD_RECTO };

typedef struct {
    section_id section;
    const char *name;
    value_kind kind;
    int arg;
    const char *dflt; /* the built-in default as layout text; NULL: none (follows other keys) */
} keydef;

/* Every key, with its built-in default: the one table of defaults (the A5 booklet). A layout
 * starts from these, then takes its bases' keys and its own; layouts/README.md's Default
 * column says the same (tests/unit/test_layout.c compares them). */
static const keydef keys[] = {
    {S_PRODUCT, "kind", V_PRODUCT, 0, "booklet"},

    /* ISO 216 A5: 148 x 210 mm */
    {S_PAGE, "size", V_PAPER, 0, "A5"},
    {S_PAGE, "orientation", V_ORIENTATION, 0, NULL}, /* as size gives it */
    {S_PAGE, "margin-top", V_LENGTH, F_MARGIN_TOP, "15mm"},
    {S_PAGE, "margin-bottom", V_LENGTH, F_MARGIN_BOTTOM, "18mm"},
    /* A saddle-stitched booklet opens flat: its two inner margins make one white column at the
     * fold, so each is narrower than the fore-edge margin (the classic spread). */
    {S_PAGE, "margin-inner", V_LENGTH, F_MARGIN_INNER, "12mm"},
    {S_PAGE, "margin-outer", V_LENGTH, F_MARGIN_OUTER, "16mm"},
    {S_PAGE, "margin", V_MARGIN, 0, NULL},
    {S_PAGE, "columns", V_COLUMNS, 0, NULL}, /* follows kind (check_geometry) */
    {S_PAGE, "gutter", V_LENGTH, F_GUTTER, "6mm"},
    {S_PAGE, "column-share", V_SHARE, 0, "0.5"}, /* two equal columns */
    /* the text block's width: from the margins when not given (check_geometry cuts it to
     * whole characters of the text size) */
    {S_PAGE, "measure", V_LENGTH, F_MEASURE, NULL},
    /* the parallel's Chinese column: from column-share when not given */
    {S_PAGE, "column-width", V_LENGTH, F_COLUMN_WIDTH, NULL},

    /* Bold roles name the same family; the fonts module asks fontconfig for weight bold. */
    {S_FONTS, "han", V_FAMILY, PB_ROLE_HAN, "Noto Serif CJK TC"},
    {S_FONTS, "han-bold", V_FAMILY, PB_ROLE_HAN_BOLD, "Noto Serif CJK TC"},
    {S_FONTS, "latin", V_FAMILY, PB_ROLE_LATIN, "Noto Serif"},
    {S_FONTS, "latin-bold", V_FAMILY, PB_ROLE_LATIN_BOLD, "Noto Serif"},
    {S_FONTS, "latin-italic", V_FAMILY, PB_ROLE_LATIN_ITALIC, "Noto Serif"},
    {S_FONTS, "latin-bold-italic", V_FAMILY, PB_ROLE_LATIN_BOLD_ITALIC, "Noto Serif"},
    {S_FONTS, "fallback", V_FALLBACK, 0, "none"},

    {S_TEXT, "size", V_LENGTH, F_TEXT_SIZE, "10pt"},
    /* English body text a little larger than the Chinese: Noto Serif's lower case fills about
     * half of its em (x-height 0.536), an ideograph nearly all of it, so at one size the
     * English reads smaller and sets more per line (71 characters on the booklet's 34-character
     * measure; 10.5 pt gives 67, inside the 60-70 a book page wants: Bringhurst, The Elements
     * of Typographic Style, 2.1.2) */
    {S_TEXT, "size-en", V_LENGTH, F_TEXT_SIZE_EN, "1.05em"},
    {S_TEXT, "leading", V_LENGTH, F_LEADING, "17pt"},
    /* two full-width characters, the Chinese convention (follows the text size) */
    {S_TEXT, "indent", V_LENGTH, F_INDENT, "2em"},
    {S_TEXT, "list-indent", V_LENGTH, F_LIST_INDENT, "2em"},
    {S_TEXT, "paragraph-space", V_LENGTH, F_PARA_SPACE, "3pt"},
    /* a blank line between pairs: the register keeps baselines on the grid of the leading */
    {S_TEXT, "pair-space", V_LENGTH, F_PAIR_SPACE, "17pt"},
    {S_TEXT, "lang-zh", V_LANG, LANG_ZH, "zh-Hant"},
    {S_TEXT, "lang-en", V_LANG, LANG_EN, "en"},
    {S_TEXT, "align", V_ALIGN, 0, "justify"},
    /* the English text's own alignment (left out: as `align`), so that a narrow English column
     * can be set ragged right beside justified Chinese */
    {S_TEXT, "align-en", V_ALIGN, LANG_EN, NULL},
    {S_TEXT, "breaker", V_BREAKER, 0, "total-fit"},
    /* the register: facing pages and both sides of a leaf back up */
    {S_TEXT, "grid", V_BOOL, BOOL_GRID, "yes"},
    /* font expansion up to EXPANSION_MAX: a third more than microtype's default 2 %, and
     * fewer hyphens and fewer open word spaces with it (test_compose hyphen_rate_products) */
    {S_TEXT, "expansion", V_EXPANSION, 0, "3%"},
    {S_TEXT, "emphasis-zh", V_EMPH_ZH, 0, "dots"},
    {S_TEXT, "smart-punctuation", V_BOOL, BOOL_SMART, "yes"},
    {S_TEXT, "quotes-zh", V_QUOTES_ZH, 0, "curly"},

    /* Display sizes are in em of the text size, so that a layout that raises the text keeps
     * the hierarchy (title > heading > subheading >= text) and their leadings their proportion;
     * at the booklet's 10 pt text they are 16, 12 and 10.5 pt on 24, 18 and 16 pt. */
    {S_HEADING, "size", V_LENGTH, F_HEADING_SIZE, "1.2em"},
    /* English display lines a little smaller than their Chinese: at one size the bold Latin
     * looks larger and heavier than the Han above it (CJK glyphs fill less of their em). */
    {S_HEADING, "size-en", V_LENGTH, F_HEADING_SIZE_EN, "1.1em"},
    {S_HEADING, "leading", V_LENGTH, F_HEADING_LEADING, "1.8em"},
    {S_HEADING, "space-before", V_LENGTH, F_HEADING_BEFORE, "22pt"},
    {S_HEADING, "space-after", V_LENGTH, F_HEADING_AFTER, "4pt"},

    /* Level-2 headings (第一條 under 第一章): bold at about the text size, less space around. */
    {S_SUBHEADING, "size", V_LENGTH, F_SUB_SIZE, "1.05em"},
    {S_SUBHEADING, "size-en", V_LENGTH, F_SUB_SIZE_EN, "1em"},
    {S_SUBHEADING, "leading", V_LENGTH, F_SUB_LEADING, "1.6em"},
    {S_SUBHEADING, "space-before", V_LENGTH, F_SUB_BEFORE, "12pt"},
    {S_SUBHEADING, "space-after", V_LENGTH, F_SUB_AFTER, "2pt"},

    {S_TITLE, "size", V_LENGTH, F_TITLE_SIZE, "1.6em"},
    {S_TITLE, "size-en", V_LENGTH, F_TITLE_SIZE_EN, "1.4em"},
    {S_TITLE, "leading", V_LENGTH, F_TITLE_LEADING, "2.4em"},
    {S_TITLE, "space-after", V_LENGTH, F_TITLE_AFTER, "18pt"},

    {S_COVER, "enabled", V_BOOL, BOOL_COVER, "yes"},
    {S_COVER, "size", V_LENGTH, F_COVER_SIZE, "2.2em"},
    {S_COVER, "size-en", V_LENGTH, F_COVER_SIZE_EN, "1.6em"},

    {S_HEADER, "enabled", V_BOOL, BOOL_HEADER, "yes"},
    {S_HEADER, "size", V_LENGTH, F_HEADER_SIZE, "7.5pt"},
    {S_HEADER, "offset", V_LENGTH, F_HEADER_OFFSET, "14pt"},
    {S_HEADER, "verso", V_HEAD, HEAD_VERSO, "title"},
    {S_HEADER, "recto", V_HEAD, HEAD_RECTO, "section"},

    {S_FOOTER, "folio", V_BOOL, BOOL_FOLIO, "yes"},
    {S_FOOTER, "series", V_BOOL, BOOL_SERIES, "no"},
    {S_FOOTER, "size", V_LENGTH, F_FOLIO_SIZE, "8pt"},
    {S_FOOTER, "offset", V_LENGTH, F_FOLIO_OFFSET, "24pt"},

    {S_RUBY, "mode", V_RUBY_MODE, 0, "ruby"},
    {S_RUBY, "size", V_LENGTH, F_RUBY_SIZE, "5pt"},
    /* narrowest a ruby is condensed to before it moves off its base's centre (JIS X 4051:2004 §5.3
     * lets ruby narrow rather than open the base text) */
    {S_RUBY, "min-scale", V_SCALE, 1, "0.85"},
    {S_RUBY, "display", V_BOOL, BOOL_RUBY_DISPLAY, "no"}, /* no ruby on title and headings */

    {S_LEAFLET, "fit", V_FIT, 0, "shrink"},
    {S_LEAFLET, "min-scale", V_SCALE, 0, "0.85"},
    /* a campaign whose text leaves the page short may grow (by default it does not) */
    {S_LEAFLET, "max-scale", V_MAX_SCALE, 0, "1"},
    {S_LEAFLET, "pages", V_PAGES, 0, "1"},
    {S_LEAFLET, "standfirst", V_BOOL, BOOL_STANDFIRST, "yes"},
    /* one step up the classical scale from the 10 pt text (10, 12, 14) */
    {S_LEAFLET, "standfirst-size", V_LENGTH, F_STANDFIRST_SIZE, "1.2em"},
    /* leaflets printed as one series share their kicker, headline and text sizes */
    {S_LEAFLET, "one-size", V_BOOL, BOOL_ONE_SIZE, "yes"},

    /* ISO 216: two A5 pages side by side on A4 landscape */
    /* SRA4 (ISO 217: the A4 area with room for bleed and marks): two A5 pages, 3 mm of bleed
     * and the marks fit its 320 x 225 mm */
    {S_IMPOSE, "sheet", V_SHEET, 0, "SRA4"},
    {S_IMPOSE, "binding", V_BINDING, 0, NULL}, /* follows kind (check_binding) */
    {S_IMPOSE, "colophon", V_COLOPHON, 0, "none"},
    {S_IMPOSE, "creep", V_LENGTH, F_CREEP, "0mm"},
    /* 3 mm past the trim, the allowance commercial printers commonly ask for */
    {S_IMPOSE, "bleed", V_LENGTH, F_BLEED, "3mm"},
    {S_IMPOSE, "marks", V_BOOL, BOOL_MARKS, "yes"},

    {S_PDF, "profile", V_PROFILE, 0, "print"},
    /* libdeflate level 1: a print product's file is sent once; the size/time table by product
     * in layouts/README.md (the archive keeps level 6) */
    {S_PDF, "compression", V_COMPRESSION, 0, "fast"},

    /* words the editor's queries leave alone (none: only the built-in regional usage) */
    {S_QUERY, "accept", V_ACCEPT, 0, "none"},
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
    {"tabloid-extra", TABLOID_EXTRA_W_IN * PT_PER_INCH, TABLOID_EXTRA_H_IN * PT_PER_INCH},
    {"SRA4", SRA4_W_MM * PT_PER_MM, SRA4_H_MM * PT_PER_MM},
    {"SRA3", SRA3_W_MM * PT_PER_MM, SRA3_H_MM * PT_PER_MM},
};

#define PAPER_NAMES "A5, A4, A3, B5, letter, legal, tabloid, ledger, tabloid-extra, SRA4, SRA3"

size_t pb_layout_sheets_for(double page_w, double page_h, double around, char *out, size_t cap)
{
    size_t n = 0, k = 0;
    if (cap)
        out[0] = 0;
    for (size_t i = 0; i < sizeof papers / sizeof papers[0]; i++) {
        double lw = papers[i].w_pt > papers[i].h_pt ? papers[i].w_pt : papers[i].h_pt;
        double sw = papers[i].w_pt > papers[i].h_pt ? papers[i].h_pt : papers[i].w_pt;
        if (strcmp(papers[i].name, "ledger") == 0 ||
            2 * page_w + 2 * around > lw + LENGTH_EPS_PT ||
            page_h + 2 * around > sw + LENGTH_EPS_PT)
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
static const char *const compression_words[] = {"fast", "default", "best", NULL};
static const int compression_levels[] = {PB_DEFLATE_FAST, PB_DEFLATE_DEFAULT, PB_DEFLATE_BEST};
static const char *const emph_zh_words[] = {"dots", "bold", NULL};
static const char *const quotes_zh_words[] = {"curly", "corner", NULL};
static const char *const binding_words[] = {"saddle-stitch", "none", NULL};
static const char *const colophon_words[] = {"none", "inside", "outside", NULL};

#define UNITS_HINT "pt, mm, cm, in or em"

/* ---- parse state ------------------------------------------------------------------------- */

typedef enum { U_PT, U_EM, U_FACTOR } unit_kind;

/* Where a value was written: a file of the chain (index into parse_ctx.files), line and column;
 * line 0: the built-in default. seq orders every key applied (defaults, bases, the file). */
typedef struct {
    int file;
    int line, col;
    unsigned seq;
} where;

/* A length as written, resolved to points after the whole chain has been read. */
typedef struct {
    double amount;
    unit_kind unit;
    where at;            /* the key that set it */
    where asked;         /* the key that last changed its value (a key repeating the value
                          * asks for nothing: warnings about it are said here) */
    int bad;             /* the last key that tried to set it had an error */
    const keydef *key;   /* for messages reported at resolution */
    char raw[RAW_MAX];   /* the value as written, for those messages */
} slot;

enum { ORIENT_UNSET = -1 };

/* A warning kept until the layout is known to be good (a refused layout says its errors
 * alone). */
typedef struct {
    int file, line, col;
    char msg[MSG_MAX];
} pending_warning;

typedef struct {
    pb_layout *out;
    int errors;
    pending_warning *pending; /* the warnings said so far, n_pending of them (cap_pending) */
    size_t n_pending, cap_pending;
    slot slots[F_COUNT];
    int orientation;       /* ORIENT_UNSET or a pb orientation index */
    int columns_set;       /* a columns key was read (at columns_at) */
    where columns_at;
    where at;              /* the value being set */
    unsigned seq;
    /* the chain: files[0] is the layout asked for, then each base it names in turn */
    char files[PB_LAYOUT_CHAIN_MAX][PB_LAYOUT_PATH_MAX];
    int n_files;
    int depth;             /* files being read now (the stack of bases) */
    int stack[PB_LAYOUT_CHAIN_MAX]; /* their indices, outermost first */
    where base_at;         /* the first base key read (line 0: none) */
    where colophon_at;     /* the colophon key (line 0: not written) */
    where max_scale_at;    /* the leaflet's max-scale key (line 0: built in) */
    int binding_set;       /* a binding key was read */
    where share_at;        /* the column-share key (line 0: not given) */
    where lang_zh_at;      /* the lang-zh key (line 0: built in) */
    int align_en_set;      /* an align-en key was read (else the English follows align) */
    double value[F_COUNT]; /* every length as resolved (pt), also those pb_layout lacks */
    where key_at[sizeof keys / sizeof keys[0]]; /* each key's last good setting (line 0: none) */
    char why[WHY_MAX];     /* why the value being parsed is bad */
    char hint[WHY_MAX];    /* "; did you mean ...?" for the message, or "" */
} parse_ctx;

/* One file of the chain being read: inih's reader state. */
typedef struct {
    parse_ctx *c;
    int file;              /* index into c->files */
    const char *pos, *end; /* the rest of the text */
    int lineno;            /* line the reader handed to inih last */
    const char *line;      /* inih's buffer holding that line, trimmed (inih cuts it up) */
    size_t line_len;       /* its length as handed over */
    int lead;              /* columns trimmed before it */
    section_id section;
} file_ctx;

static where here(const file_ctx *f, int col)
{
    where w = {f->file, f->lineno, col, 0};
    return w;
}

static where key_where(const parse_ctx *c, section_id section, const char *name);
static void input_error(parse_ctx *c, where at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void input_error(parse_ctx *c, where at, const char *fmt, ...)
{
    char msg[MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    pb_diag_error(c->files[at.file], at.line, at.line ? at.col : 0, "%s", msg);
    c->errors++;
}

static void bad_value(parse_ctx *c, where at, const keydef *k, const char *value)
{
    input_error(c, at, "bad value '%s' for %s in [%s]: %s%s", value, k->name,
                section_names[k->section], c->why, c->hint);
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

/* ---- near misses ------------------------------------------------------------------------- */

static int near_miss(const char *written, const char *known, int *dist)
{
    return pb_util_near_miss(written, known, dist);
}

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
    if (s->bad || s->amount != amount || s->unit != unit || !s->key)
        s->asked = c->at;
    s->amount = amount;
    s->unit = unit;
    s->at = c->at;
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

/* The word of words nearest to value, when it is a near miss; NULL when none is. */
static const char *nearest(const char *value, const char *const *words)
{
    const char *best = NULL;
    int best_d = NEAR_LEN_MAX + 1, d;
    for (size_t i = 0; words[i]; i++)
        if (near_miss(value, words[i], &d) && d < best_d)
            best = words[i], best_d = d;
    return best;
}

/* Words other programs use for yes and no. */
static const struct {
    const char *word;
    const char *means;
} bool_synonyms[] = {
    {"true", "yes"}, {"on", "yes"}, {"1", "yes"}, {"y", "yes"}, {"enabled", "yes"},
    {"false", "no"}, {"off", "no"}, {"0", "no"}, {"n", "no"}, {"disabled", "no"},
};

static int match_word(parse_ctx *c, const char *value, const char *const *words, int *out)
{
    size_t n = 0;
    for (; words[n]; n++) {
        if (strcmp(value, words[n]) == 0) {
            *out = (int)n;
            return 1;
        }
    }
    const char *near = nearest(value, words);
    if (words == bool_words)
        for (size_t i = 0; i < sizeof bool_synonyms / sizeof bool_synonyms[0]; i++)
            if (strcasecmp(value, bool_synonyms[i].word) == 0)
                near = bool_synonyms[i].means;
    if (near)
        snprintf(c->hint, sizeof c->hint, "; did you mean '%s'?", near);
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

/* Quotation marks around a family name are not part of it (fontconfig would look for a family
 * whose name has them): refused, with the line as it should be. */
static int unquoted(parse_ctx *c, const keydef *k, const char *value)
{
    static const char *const quotes[][2] = {
        {"\"", "\""}, {"'", "'"}, {"\u201C", "\u201D"}, {"\u2018", "\u2019"}, {"\u300C", "\u300D"},
    };
    size_t n = strlen(value);
    for (size_t i = 0; i < sizeof quotes / sizeof quotes[0]; i++) {
        size_t a = strlen(quotes[i][0]), b = strlen(quotes[i][1]);
        if (n >= a + b && strncmp(value, quotes[i][0], a) == 0 &&
            strcmp(value + n - b, quotes[i][1]) == 0) {
            snprintf(c->hint, sizeof c->hint, "; write %s = %.*s", k->name,
                     (int)(n - a - b), value + a);
            return fail(c, "a family name is written without quotes");
        }
    }
    return 1;
}

/* [query] accept = FILE: relative to the folder of the layout the key is in (a base's own);
 * none: no file. The file is read when queries are made (query.c). */
static int set_accept(parse_ctx *c, const char *value)
{
    pb_layout *o = c->out;
    pb_layout_origin *at = &o->query_accept_at;
    if (!value[0] || strcmp(value, "none") == 0) {
        o->query_accept[0] = '\0';
        memset(at, 0, sizeof *at);
        return 1;
    }
    for (const unsigned char *p = (const unsigned char *)value; *p; p++)
        if (*p < 0x20 || *p == 0x7F)
            return fail(c, "control character in a file name");
    const char *named_by = c->files[c->at.file];
    const char *slash = value[0] == '/' ? NULL : strrchr(named_by, '/');
    int w = slash ? snprintf(o->query_accept, sizeof o->query_accept, "%.*s/%s",
                             (int)(slash - named_by), named_by, value)
                  : snprintf(o->query_accept, sizeof o->query_accept, "%s", value);
    if (w < 0 || (size_t)w >= sizeof o->query_accept) {
        o->query_accept[0] = '\0';
        return fail(c, "path longer than %zu bytes", sizeof o->query_accept - 1);
    }
    snprintf(at->file, sizeof at->file, "%s", named_by);
    at->line = c->at.line;
    at->col = c->at.col;
    return 1;
}

static int set_value(parse_ctx *c, const keydef *k, const char *value)
{
    pb_layout *o = c->out;
    int w;
    if (value[0] == '\0' && k->kind != V_FALLBACK && k->kind != V_FAMILY && k->kind != V_ACCEPT)
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
        c->columns_set = 1;
        c->columns_at = c->at;
        return 1;
    }
    case V_FAMILY:
    case V_FALLBACK: {
        int role = k->kind == V_FAMILY ? k->arg : PB_ROLE_COUNT;
        if (!unquoted(c, k, value))
            return 0;
        if (!(k->kind == V_FAMILY
                  ? set_family(c, value, o->family[role], sizeof o->family[role], 0)
                  : set_family(c, value, o->fallback, sizeof o->fallback, 1)))
            return 0;
        pb_layout_origin *at = &o->family_at[role];
        snprintf(at->file, sizeof at->file, "%s", c->at.line ? c->files[c->at.file] : "");
        at->line = c->at.line;
        at->col = c->at.col;
        return 1;
    }
    case V_LANG:
        if (k->arg == LANG_ZH) {
            c->lang_zh_at = c->at;
            return set_lang(c, value, o->lang_zh, sizeof o->lang_zh);
        }
        return set_lang(c, value, o->lang_en, sizeof o->lang_en);
    case V_ALIGN:
        if (!match_word(c, value, align_words, &w))
            return 0;
        if (k->arg == LANG_EN) {
            o->align_en = w == 0 ? PB_ALIGN_JUSTIFY : PB_ALIGN_LEFT;
            c->align_en_set = 1;
        } else {
            o->align = w == 0 ? PB_ALIGN_JUSTIFY : PB_ALIGN_LEFT;
        }
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
        else if (k->arg == BOOL_STANDFIRST)
            o->standfirst = w;
        else if (k->arg == BOOL_ONE_SIZE)
            o->one_size = w;
        else if (k->arg == BOOL_MARKS)
            o->marks = w;
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
        if (!scan_number(c, value, &end, &v) || *skip_blanks(end) ||
            v < PB_LAYOUT_MIN_SCALE_FLOOR || v > 1)
            return fail(c, "expected a factor from %g to 1", PB_LAYOUT_MIN_SCALE_FLOOR);
        if (k->arg)
            o->ruby_min_scale = v;
        else
            o->min_scale = v;
        return 1;
    }
    case V_MAX_SCALE: {
        const char *end;
        double v;
        if (!scan_number(c, value, &end, &v) || *skip_blanks(end) || v < 1 ||
            v > MAX_SCALE_CEILING)
            return fail(c, "expected a factor from 1 to %g", MAX_SCALE_CEILING);
        o->max_scale = v;
        c->max_scale_at = c->at;
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
        c->share_at = c->at;
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
    case V_COMPRESSION: {
        const char *end;
        double v;
        for (w = 0; compression_words[w]; w++)
            if (strcmp(value, compression_words[w]) == 0) {
                o->deflate_level = compression_levels[w];
                return 1;
            }
        if (!(value[0] >= '0' && value[0] <= '9') || !scan_number(c, value, &end, &v) ||
            *skip_blanks(end) || v != floor(v) || v < 1 || v > PB_DEFLATE_MAX)
            return fail(c, "expected fast, default, best or a level from 1 to %d",
                        PB_DEFLATE_MAX);
        o->deflate_level = (int)v;
        return 1;
    }
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
    case V_ACCEPT:
        return set_accept(c, value);
    case V_BINDING:
        if (!match_word(c, value, binding_words, &w))
            return 0;
        o->binding = w == 0 ? PB_BINDING_SADDLE : PB_BINDING_NONE;
        c->binding_set = 1;
        return 1;
    case V_COLOPHON:
        if (!match_word(c, value, colophon_words, &w))
            return 0;
        o->colophon = (pb_colophon_place)w;
        c->colophon_at = c->at;
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

/* "; did you mean 'margin-top'?" for an unknown key of section s: a near miss there, else the
 * same key (or a near miss) in another section. */
static void key_hint(parse_ctx *c, section_id s, const char *name)
{
    const keydef *best = NULL;
    int best_d = NEAR_LEN_MAX + 1, ties = 0, d;
    for (int pass = 0; pass < 2 && !best; pass++)
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
            if ((keys[i].section == s) != (pass == 0))
                continue;
            int near = near_miss(name, keys[i].name, &d);
            if (!(d == 0 || near))
                continue;
            if (d < best_d)
                best = &keys[i], best_d = d, ties = 0;
            else if (d == best_d)
                ties++;
        }
    if (!best || ties) /* no near miss, or several as near (size is in eight sections) */
        return;
    if (best->section == s)
        snprintf(c->hint, sizeof c->hint, "; did you mean '%s'?", best->name);
    else
        snprintf(c->hint, sizeof c->hint, "; did you mean '%s' in [%s]?", best->name,
                 section_names[best->section]);
}

/* Column (1-based, in characters) of p, a pointer into the line inih was handed. */
static int col_of(const file_ctx *f, const char *p)
{
    if (p < f->line || p > f->line + f->line_len)
        return f->lead + 1;
    int col = f->lead + 1;
    for (const char *q = f->line; q < p; q++)
        col += ((unsigned char)*q & 0xC0) != 0x80; /* a UTF-8 lead byte starts a character */
    return col;
}

static void apply(parse_ctx *c, const keydef *k, const char *value);
static pb_status read_base(parse_ctx *c, file_ctx *f, const char *value, int col);
static int set_value(parse_ctx *c, const keydef *k, const char *value);

static int on_key(void *user, const char *section, const char *name, const char *value)
{
    file_ctx *f = user;
    parse_ctx *c = f->c;
    (void)section; /* the reader tracks the section itself (trimmed, and known to be valid) */
    if (!value)
        value = "";
    where key_at = here(f, col_of(f, name));
    c->hint[0] = '\0';
    if (f->section == S_UNKNOWN)
        return 1; /* the section header was reported; its keys would only add noise */
    if (f->section == S_NONE) {
        if (strcmp(name, "base") == 0) {
            if (read_base(c, f, value, col_of(f, value)) == PB_ESYSTEM)
                return 0; /* out of memory: inih stops */
            return 1;
        }
        if (near_miss(name, "base", &(int){0}))
            snprintf(c->hint, sizeof c->hint, "; did you mean 'base'?");
        else
            key_hint(c, S_COUNT, name);
        input_error(c, key_at, "key '%s' outside any section%s", name, c->hint);
        return 1;
    }
    if (strcmp(name, "base") == 0) {
        input_error(c, key_at, "base must come before the first [section] (its keys apply "
                               "first, this file's after them)");
        return 1;
    }
    const keydef *k = find_key(f->section, name);
    if (!k) {
        key_hint(c, f->section, name);
        input_error(c, key_at, "unknown key '%s' in [%s]%s", name, section_names[f->section],
                    c->hint);
        return 1;
    }
    c->at = here(f, col_of(f, value));
    apply(c, k, value);
    return 1; /* errors are counted here; inih's return value is kept for syntax errors */
}

/* Set k from value at c->at, or report why not. */
static void apply(parse_ctx *c, const keydef *k, const char *value)
{
    c->at.seq = ++c->seq;
    c->hint[0] = '\0';
    if (!set_value(c, k, value)) {
        if (k->kind == V_LENGTH)
            c->slots[k->arg].bad = 1;
        bad_value(c, c->at, k, value);
    } else {
        c->key_at[k - keys] = c->at;
    }
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
static int check_line(file_ctx *f, const char *s)
{
    parse_ctx *c = f->c;
    if (!*s || strchr(INI_START_COMMENT_PREFIXES, *s))
        return 1;
    if (*s == '[') {
        const char *close = scan_to(s + 1, "]");
        if (*close != ']') {
            input_error(c, here(f, col_of(f, close)), "missing ']' in section header");
            f->section = S_UNKNOWN;
            return 0;
        }
        const char *a = s + 1, *b = close;
        while (a < b && isspace((unsigned char)*a))
            a++;
        while (b > a && isspace((unsigned char)b[-1]))
            b--;
        f->section = S_UNKNOWN;
        const char *near = NULL;
        int best_d = NEAR_LEN_MAX + 1, d;
        char name[NEAR_LEN_MAX + 1];
        snprintf(name, sizeof name, "%.*s", (int)(b - a), a);
        for (int i = 0; i < S_COUNT; i++) {
            if (strlen(section_names[i]) == (size_t)(b - a) &&
                memcmp(section_names[i], a, (size_t)(b - a)) == 0)
                f->section = (section_id)i;
            else if ((size_t)(b - a) <= NEAR_LEN_MAX && near_miss(name, section_names[i], &d) &&
                     d < best_d)
                near = section_names[i], best_d = d;
        }
        if (f->section == S_UNKNOWN) {
            c->hint[0] = '\0';
            if (near)
                snprintf(c->hint, sizeof c->hint, "; did you mean [%s]?", near);
            input_error(c, here(f, col_of(f, a)), "unknown section [%.*s]%s", (int)(b - a), a,
                        c->hint);
        }
        const char *rest = skip_blanks(close + 1);
        if (*rest && !strchr(INI_INLINE_COMMENT_PREFIXES, *rest) &&
            !strchr(INI_START_COMMENT_PREFIXES, *rest)) {
            input_error(c, here(f, col_of(f, rest)), "unexpected '%s' after the section header",
                        rest);
            return 0;
        }
        return 1;
    }
    const char *sep = scan_to(s, "=:");
    if (*sep != '=' && *sep != ':') {
        input_error(c, here(f, col_of(f, s)), "expected 'key = value' or '[section]'");
        return 0;
    }
    return 1;
}

/* inih's reader: hands over one line, trimmed (so an indented key is never taken for a
 * continuation line), and keeps the line number and the columns trimmed. */
static char *read_line(char *str, int num, void *stream)
{
    file_ctx *f = stream;
    if (f->pos >= f->end || num < 1)
        return NULL;
    const char *a = f->pos;
    const char *nl = memchr(a, '\n', (size_t)(f->end - a));
    const char *b = nl ? nl : f->end;
    f->pos = nl ? nl + 1 : f->end;
    f->lineno++;

    static const char bom[] = "\xEF\xBB\xBF"; /* UTF-8 byte order mark */
    if (f->lineno == 1 && (size_t)(b - a) >= sizeof bom - 1 && memcmp(a, bom, sizeof bom - 1) == 0)
        a += sizeof bom - 1;
    const char *start = a;
    while (a < b && isspace((unsigned char)*a))
        a++;
    while (b > a && isspace((unsigned char)b[-1]))
        b--;
    f->lead = (int)(a - start);
    f->line = str;
    size_t n = (size_t)(b - a);
    f->line_len = n < (size_t)num ? n : 0;
    if (n + 1 > (size_t)num) {
        str[0] = '\0';
        input_error(f->c, here(f, f->lead + 1), "line longer than %d characters", num - 1);
        if (*a == '[')
            f->section = S_UNKNOWN; /* keys below must not land in the previous section */
        return str;
    }
    memcpy(str, a, n);
    str[n] = '\0';
    if (!check_line(f, str))
        str[0] = '\0';
    return str;
}

/* Read text as file number `file` of the chain (its keys over what is set already). */
static pb_status read_text(parse_ctx *c, int file, const char *text, size_t len)
{
    file_ctx f = {0};
    f.c = c;
    f.file = file;
    f.pos = text;
    f.end = text + len;
    f.section = S_NONE;
    f.line = "";
    c->stack[c->depth++] = file;
    int r = ini_parse_stream(read_line, &f, on_key, &f);
    c->depth--;
    if (r == -2) {
        pb_diag_syserr("out of memory reading layout %s", c->files[file]);
        return PB_ESYSTEM;
    }
    if (r > 0 && c->errors == 0) { /* inih rejected a line check_line let through */
        where w = {file, r, 1, 0};
        input_error(c, w, "syntax error");
    }
    return PB_OK;
}

/* ---- files and bases --------------------------------------------------------------------- */

typedef enum { SLURP_OK, SLURP_ERRNO, SLURP_NOT_REGULAR, SLURP_TOO_LARGE, SLURP_NUL } slurp_result;

/* The bytes of a layout file (at most LAYOUT_FILE_MAX bytes, no NUL; with regular_only a
 * regular file), NUL-terminated, or why not: *err (an errno), or *nul_line (the line of a NUL
 * byte). */
static slurp_result slurp(const char *path, int regular_only, char **text, size_t *len, int *err,
                          int *nul_line)
{
    *text = NULL;
    *err = 0;
    *nul_line = 0;
    /* O_NONBLOCK: a FIFO named as a layout must not hang the run; only regular files are read */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        *err = errno;
        return SLURP_ERRNO;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0 || S_ISDIR(sb.st_mode) || (regular_only && !S_ISREG(sb.st_mode))) {
        int e = errno;
        int dir = S_ISDIR(sb.st_mode);
        close(fd);
        *err = dir ? EISDIR : e;
        return dir || *err ? SLURP_ERRNO : SLURP_NOT_REGULAR;
    }
    char *buf = malloc(LAYOUT_FILE_MAX + 1);
    if (!buf) {
        close(fd);
        *err = ENOMEM;
        return SLURP_ERRNO;
    }
    size_t n = 0;
    while (n < LAYOUT_FILE_MAX + 1) {
        ssize_t r = read(fd, buf + n, LAYOUT_FILE_MAX + 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            *err = errno;
            break;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    slurp_result res = *err ? SLURP_ERRNO : n > LAYOUT_FILE_MAX ? SLURP_TOO_LARGE : SLURP_OK;
    const char *nul = res == SLURP_OK ? memchr(buf, '\0', n) : NULL;
    if (nul) {
        *nul_line = 1;
        for (const char *p = buf; p < nul; p++)
            *nul_line += *p == '\n';
        res = SLURP_NUL;
    }
    if (res != SLURP_OK) {
        free(buf);
        return res;
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return SLURP_OK;
}

/* The same file (device and inode) as files[i]? */
static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    if (stat(a, &sa) != 0 || stat(b, &sb) != 0)
        return strcmp(a, b) == 0;
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* base = VALUE in file f: a path when it has a '/' or ends in .ini, else the name of a layout
 * NAME.ini; either relative to the folder of the file that names it, and a NAME not found there
 * is a shipped layout from the layout folders (layoutdirs.h). Its keys apply now, before
 * the rest of f; a base may name its own base. */
static pb_status read_base(parse_ctx *c, file_ctx *f, const char *value, int col)
{
    where at = here(f, col);
    at.seq = ++c->seq;
    if (!value[0]) {
        input_error(c, at, "empty base: name a layout (booklet) or a file (../house.ini)");
        return PB_OK;
    }
    const char *named_by = c->files[f->file];
    const char *slash = strrchr(named_by, '/');
    int is_path = strchr(value, '/') != NULL;
    size_t vlen = strlen(value);
    int has_ini = vlen > 4 && strcmp(value + vlen - 4, ".ini") == 0;
    char path[PB_LAYOUT_PATH_MAX];
    int w;
    if (value[0] == '/' || !slash)
        w = snprintf(path, sizeof path, "%s%s", value, is_path || has_ini ? "" : ".ini");
    else
        w = snprintf(path, sizeof path, "%.*s/%s%s", (int)(slash - named_by), named_by, value,
                     is_path || has_ini ? "" : ".ini");
    if (w < 0 || (size_t)w >= sizeof path) {
        input_error(c, at, "base layout path longer than %d bytes", PB_LAYOUT_PATH_MAX - 1);
        return PB_OK;
    }
    /* a NAME with no NAME.ini beside the file: a shipped layout, as for --layout NAME */
    struct stat sb;
    if (!is_path && !has_ini && stat(path, &sb) != 0) {
        pb_layoutdirs d;
        pb_layoutdirs_init(&d);
        char *found = NULL;
        pb_status st = pb_layoutdirs_find(&d, value, &found);
        if (st == PB_OK && !found) {
            char known[MSG_MAX / 2] = "";
            pb_layoutdirs_list(&d, known, sizeof known);
            input_error(c, at, "base layout '%s': no %s, and no shipped layout of that name%s%s%s",
                        value, path, *known ? " (there are: " : "", known, *known ? ")" : "");
        }
        pb_layoutdirs_fini(&d);
        if (st != PB_OK || !found)
            return st;
        if (strlen(found) < sizeof path)
            memcpy(path, found, strlen(found) + 1);
        free(found);
    }
    /* a loop: the file is one being read now */
    for (int i = 0; i < c->depth; i++) {
        if (!same_file(path, c->files[c->stack[i]]))
            continue;
        char chain[MSG_MAX] = "";
        size_t used = 0;
        for (int k = i; k < c->depth; k++) {
            int n = snprintf(chain + used, sizeof chain - used, "%s -> ", c->files[c->stack[k]]);
            if (n < 0 || (size_t)n >= sizeof chain - used)
                break;
            used += (size_t)n;
        }
        snprintf(chain + used, sizeof chain - used, "%s", path);
        input_error(c, at, "base layouts loop: %s", chain);
        return PB_OK;
    }
    if (c->n_files == PB_LAYOUT_CHAIN_MAX) {
        input_error(c, at, "more than %d layouts in a chain of bases", PB_LAYOUT_CHAIN_MAX);
        return PB_OK;
    }
    size_t len = 0;
    int err, nul_line;
    char *text;
    switch (slurp(path, 1, &text, &len, &err, &nul_line)) {
    case SLURP_OK:
        break;
    case SLURP_ERRNO:
        if (err == ENOMEM)
            return pb_diag_oom("reading a base layout");
        input_error(c, at, "cannot read base layout '%s' (%s): %s", value, path, strerror(err));
        return PB_OK;
    case SLURP_NOT_REGULAR:
        input_error(c, at, "base layout '%s' (%s) is not a regular file", value, path);
        return PB_OK;
    case SLURP_TOO_LARGE:
        input_error(c, at, "base layout '%s' (%s) is larger than %d bytes; not a layout file",
                    value, path, LAYOUT_FILE_MAX);
        return PB_OK;
    case SLURP_NUL:
        pb_diag_error(path, nul_line, 0, "NUL byte; not a text file");
        c->errors++;
        return PB_OK;
    }
    if (!c->base_at.line)
        c->base_at = at;
    int file = c->n_files++;
    memcpy(c->files[file], path, strlen(path) + 1);
    pb_status st = read_text(c, file, text, len);
    free(text);
    return st;
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
            c->hint[0] = '\0';
            /* a default that follows the text size (no key of the layout's) stays in range */
            if (s->at.line == 0 && fields[f].range == R_SIZE && pt[f] > SIZE_MAX_PT)
                pt[f] = SIZE_MAX_PT;
            if (base_ok && s->unit != U_PT && !check_range(c, f, pt[f])) {
                bad_value(c, s->at, s->key, s->raw);
                ok[f] = 0;
            }
            if (ok[f] && fields[f].off != (size_t)-1)
                *field_ptr(c->out, f) = pt[f];
            if (ok[f])
                c->value[f] = pt[f];
        }
    }
}

/* The key of fields first..last set last (line 0: all are defaults). */
static where last_set(const parse_ctx *c, field_id first, field_id last)
{
    where w = c->slots[first].at;
    for (field_id f = first; f <= last; f++)
        if (c->slots[f].at.seq > w.seq)
            w = c->slots[f].at;
    return w;
}

/* A layout asked for something it gets adjusted: said once, at the key that asked, when the
 * whole layout has been checked and found good (say_warnings). Built-in values (line 0) are
 * adjusted silently: nothing was asked. */
static void warning_at(parse_ctx *c, where at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void warning_at(parse_ctx *c, where at, const char *fmt, ...)
{
    if (at.line <= 0)
        return;
    if (c->n_pending == c->cap_pending) {
        size_t cap = c->cap_pending ? 2 * c->cap_pending : 8;
        pending_warning *p = realloc(c->pending, cap * sizeof *p);
        if (!p) { /* said now rather than not at all */
            char msg[MSG_MAX];
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(msg, sizeof msg, fmt, ap);
            va_end(ap);
            pb_diag_warning(c->files[at.file], at.line, at.col, "%s", msg);
            return;
        }
        c->pending = p;
        c->cap_pending = cap;
    }
    pending_warning *w = &c->pending[c->n_pending++];
    *w = (pending_warning){at.file, at.line, at.col, ""};
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->msg, sizeof w->msg, fmt, ap);
    va_end(ap);
}

/* The warnings kept, said if the layout has no error; then freed. */
static void say_warnings(parse_ctx *c)
{
    for (size_t i = 0; i < c->n_pending && c->errors == 0; i++) {
        const pending_warning *w = &c->pending[i];
        pb_diag_warning(c->files[w->file], w->line, w->col, "%s", w->msg);
    }
    free(c->pending);
    c->pending = NULL;
    c->n_pending = c->cap_pending = 0;
}

/* The later of two keys (the one applied last, which decided the value). */
static where later(where a, where b) { return a.seq >= b.seq ? a : b; }

static void key_value(const parse_ctx *c, field_id f, char *out, size_t cap);

/* Whole characters of size in len (0 when less than one). */
static double whole_chars(double len, double size)
{
    double n = floor(len / size + PB_LAYOUT_CHAR_EPS);
    return n >= 1 ? n : 0;
}

/* clreq's 版心 (#designing_elements_of_type_area, 2024-03-21) / JIS X 4051:2004's 字詰め: the text block (and the parallel's Chinese column) is a
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
    int given = ms->at.line > 0 && !ms->bad && c->value[F_MEASURE] > 0;
    double want = given ? c->value[F_MEASURE] : raw;
    if (given && want > o->page_w - LENGTH_EPS_PT) {
        input_error(c, ms->at, "measure = %s is wider than the page (%.2f pt)", ms->raw,
                    o->page_w);
        return;
    }
    double n = whole_chars(want, size);
    double m = n ? n * size : want;
    /* the margins' block: the key that made it, or the page or the type size (the key that
     * changed its value: one repeating a built-in value leaves the built-in cut, said by
     * none) */
    where line = given ? ms->asked
                       : later(later(c->slots[F_MARGIN_INNER].asked,
                                     c->slots[F_MARGIN_OUTER].asked),
                               later(c->slots[F_PAGE_W].asked, c->slots[F_TEXT_SIZE].asked));
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
    /* the later of column-width and column-share wins, as a later key does: a layout's
     * column-share over its base's column-width (review 13: ignored silently) */
    int cw_given = cs->at.line > 0 && !cs->bad && c->value[F_COLUMN_WIDTH] > 0 &&
                   !(c->share_at.line > 0 && c->share_at.seq > cs->at.seq);
    double zh = cw_given ? c->value[F_COLUMN_WIDTH] : room * o->column_share;
    if (cw_given && (zh < room * COLUMN_SHARE_MIN - LENGTH_EPS_PT ||
                     zh > room * (1 - COLUMN_SHARE_MIN) + LENGTH_EPS_PT)) {
        /* said at the key set last of those that made the column space and the column (a
         * user's gutter, not the base's column-width), naming the column-width when not it */
        static const field_id room_keys[] = {F_GUTTER,      F_MEASURE, F_MARGIN_INNER,
                                             F_MARGIN_OUTER, F_PAGE_W,  F_TEXT_SIZE};
        field_id by = F_COLUMN_WIDTH;
        for (size_t i = 0; i < sizeof room_keys / sizeof room_keys[0]; i++)
            if (c->slots[room_keys[i]].at.line > 0 &&
                c->slots[room_keys[i]].at.seq > c->slots[by].at.seq)
                by = room_keys[i];
        if (by == F_COLUMN_WIDTH) {
            input_error(c, cs->at,
                        "column-width = %s leaves the columns %.2f pt: it must take %g to %g "
                        "of them", cs->raw, room, COLUMN_SHARE_MIN, 1 - COLUMN_SHARE_MIN);
        } else {
            char kv[RAW_MAX + 96];
            key_value(c, by, kv, sizeof kv);
            input_error(c, c->slots[by].at,
                        "%s leaves the columns %.2f pt, of which [page] column-width = %s "
                        "(%s:%d) must take %g to %g",
                        kv, room, cs->raw, c->files[cs->at.file], cs->at.line,
                        COLUMN_SHARE_MIN, 1 - COLUMN_SHARE_MIN);
        }
        return;
    }
    /* the English column keeps its width */
    double k = whole_chars(zh, size);
    where cline = cw_given ? cs->asked : c->share_at;
    if (!cline.line)
        cline = later(c->slots[F_GUTTER].asked, line);
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

/* Lengths a layout wrote that cannot fit the line they are set in: an indent (or a list item's
 * hanging indent) that leaves no room for one character of the body text (the larger of the
 * two languages' sizes) in the measure, or in the parallel's narrower column; a body size one
 * character of which is wider than that line, or a display size (title, heading, subheading,
 * cover, standfirst: set across the measure) one character of which is wider than the
 * measure, or an English size of which the line holds fewer than EN_LINE_MIN_EM ems. Every
 * line would run off the page, so each is an error at its key. Built-in body sizes (line 0) that
 * the line cannot take are said at the page key that made the line that narrow (narrowed_at). */
/* The fewest ems of its size a line of English holds: about 16 letters (Noto Serif's average
 * lower-case letter is about half an em), the length of the long words of a text
 * ("responsibilities", "internationalization" hyphenated once); a narrower line sets them past
 * its edge, as hyphenation cuts no further (Bringhurst, The Elements of Typographic Style, 2.1.2,
 * gives 40 characters as the least for a justified column; headings and titles may take fewer). */
#define EN_LINE_MIN_EM 8
/* The least gap between the parallel's columns, in ems of the larger body size: wider than the
 * widest space inside a line (an ideographic space, one em), so that a column's edge reads as
 * one; the shipped parallel's 8 mm is 2.2 em. */
#define GUTTER_MIN_EM 1
/* The lines a page keeps under a heading or after a break (TeX's \clubpenalty and
 * \widowpenalty keep two): a vertical space must leave a page room for them and its own line. */
#define VSPACE_LINES_KEPT 2
/* The page key the layout wrote last of those that make the body line as narrow as it is (the
 * page size, the side margins, the measure; for columns the gutter and the column's width or
 * share): where a built-in text size that cannot fit that line is said (review 13 B1: measure =
 * 7em set 24 pages at 6.7 ems of English to the line, exit 0). Its "[page] key = value" into
 * kv; line 0 when every one is built in. */
static where narrowed_at(const parse_ctx *c, char *kv, size_t cap)
{
    /* the block's keys, then the columns' (looked at when there are columns) */
    static const field_id keys_w[] = {F_PAGE_W,  F_PAGE_H, F_MARGIN_INNER, F_MARGIN_OUTER,
                                      F_MEASURE, F_GUTTER, F_COLUMN_WIDTH};
    int columns = c->out->columns == COLUMNS_MAX;
    where w = {0, 0, 0, 0};
    field_id by = F_COUNT;
    for (size_t i = 0; i < sizeof keys_w / sizeof keys_w[0]; i++) {
        const slot *s = &c->slots[keys_w[i]];
        if ((keys_w[i] == F_GUTTER || keys_w[i] == F_COLUMN_WIDTH) && !columns)
            continue;
        int none = (keys_w[i] == F_MARGIN_INNER || keys_w[i] == F_MARGIN_OUTER ||
                    keys_w[i] == F_GUTTER) && c->value[keys_w[i]] <= 0; /* narrows nothing */
        if (s->at.line > 0 && !s->bad && s->key && !none && s->at.seq > w.seq) {
            w = s->at;
            by = keys_w[i];
        }
    }
    if (columns && c->share_at.line > 0 && c->share_at.seq > w.seq) {
        w = c->share_at;
        snprintf(kv, cap, "[page] column-share");
    } else if (by < F_COUNT) {
        key_value(c, by, kv, cap);
    }
    return w;
}

static void check_fit(parse_ctx *c)
{
    const pb_layout *o = c->out;
    double measure = pb_layout_measure(o), line = measure;
    const char *in = "the measure";
    if (o->columns == COLUMNS_MAX) {
        double w[2];
        pb_layout_columns(o, w);
        line = fmin(w[0], w[1]);
        in = "the narrower column";
    }
    /* columns closer than an em: the gap between them must read wider than any inside a line
     * (GUTTER_MIN_EM), else a reader's eye runs on across it (review 13 C7: gutter = 0mm, the
     * columns touching, no word). Said at the gutter key when the layout wrote one. */
    if (o->columns == COLUMNS_MAX) {
        double em = fmax(o->text_size, o->text_size_en) * GUTTER_MIN_EM;
        const slot *g = &c->slots[F_GUTTER];
        if (o->gutter < em - LENGTH_EPS_PT && !g->bad) {
            char kv[RAW_MAX + 96];
            key_value(c, F_GUTTER, kv, sizeof kv);
            warning_at(c, g->at, "%s: the columns are %.2f pt apart, less than an em of the %g pt "
                       "text: a line runs on into the other column's; give a gutter of at least "
                       "%.2f pt", kv, o->gutter, fmax(o->text_size, o->text_size_en), em);
        }
    }
    /* a body text size left built in that the line cannot take: said once, at the page key */
    char narrow_kv[RAW_MAX + 96] = "";
    where narrow = narrowed_at(c, narrow_kv, sizeof narrow_kv);
    int narrow_told = 0;
    {
        const slot *zh = &c->slots[F_TEXT_SIZE], *en = &c->slots[F_TEXT_SIZE_EN];
        double size = o->text_size > o->text_size_en ? o->text_size : o->text_size_en;
        if (narrow.line > 0 && zh->at.line <= 0 && en->at.line <= 0 &&
            size > line + LENGTH_EPS_PT) {
            input_error(c, narrow, "%s: one character of the %g pt text is wider than %s "
                        "(%.2f pt)", narrow_kv, size, in, line);
            narrow_told = 1;
        } else if (narrow.line > 0 && en->at.line <= 0 && zh->at.line <= 0 &&
                   o->text_size_en * EN_LINE_MIN_EM > line + LENGTH_EPS_PT) {
            input_error(c, narrow, "%s: %s (%.2f pt) holds %.1f em of the %g pt English, too "
                        "few for English words (at least %g em: a line of at least %.2f pt)",
                        narrow_kv, in, line, line / o->text_size_en, o->text_size_en,
                        (double)EN_LINE_MIN_EM, EN_LINE_MIN_EM * o->text_size_en);
            narrow_told = 1;
        }
    }
    if (narrow_told)
        return; /* the sizes and spaces of a line that narrow say nothing more */
    double body = fmax(o->text_size, o->text_size_en);
    static const field_id indents[] = {F_INDENT, F_LIST_INDENT};
    for (size_t i = 0; i < sizeof indents / sizeof indents[0]; i++) {
        const slot *s = &c->slots[indents[i]];
        double v = c->value[indents[i]];
        if (s->at.line <= 0 || s->bad || v + body <= line + LENGTH_EPS_PT)
            continue;
        char pt[32] = "";
        if (s->unit != U_PT || strcmp(s->raw + strspn(s->raw, "0123456789."), "pt") != 0)
            snprintf(pt, sizeof pt, " (%.2f pt)", v);
        input_error(c, s->at, "%s = %s%s leaves no room for a character of the %g pt text in "
                    "%s (%.2f pt): it can be at most %.2f pt", s->key->name, s->raw, pt, body,
                    in, line, fmax(line - body, 0));
    }
    /* the body sizes in their line (a column of the parallel), the display sizes across the
     * measure */
    static const field_id sizes[] = {F_TEXT_SIZE,    F_TEXT_SIZE_EN,    F_TITLE_SIZE,
                                     F_TITLE_SIZE_EN, F_HEADING_SIZE,   F_HEADING_SIZE_EN,
                                     F_SUB_SIZE,     F_SUB_SIZE_EN,     F_COVER_SIZE,
                                     F_COVER_SIZE_EN, F_STANDFIRST_SIZE};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        const slot *s = &c->slots[sizes[i]];
        int body = sizes[i] == F_TEXT_SIZE || sizes[i] == F_TEXT_SIZE_EN;
        double room = body ? line : measure;
        if (s->at.line <= 0 || s->bad || c->value[sizes[i]] <= room + LENGTH_EPS_PT)
            continue;
        char kv[RAW_MAX + 96];
        key_value(c, sizes[i], kv, sizeof kv);
        input_error(c, s->at, "%s: one character is wider than %s (%.2f pt)", kv,
                    body ? in : "the measure", room);
    }
    /* a vertical space that leaves no room on a page for what it stands between: the heading's
     * line (or a body line) and the two lines a page keeps under it (widows and orphans, TeX's
     * \clubpenalty: two lines) */
    static const struct {
        field_id space, line;
    } vspaces[] = {{F_PARA_SPACE, F_LEADING},        {F_PAIR_SPACE, F_LEADING},
                   {F_HEADING_BEFORE, F_HEADING_LEADING}, {F_HEADING_AFTER, F_HEADING_LEADING},
                   {F_TITLE_AFTER, F_TITLE_LEADING},  {F_SUB_BEFORE, F_SUB_LEADING},
                   {F_SUB_AFTER, F_SUB_LEADING}};
    double tall = pb_layout_room(o);
    for (size_t i = 0; i < sizeof vspaces / sizeof vspaces[0]; i++) {
        const slot *s = &c->slots[vspaces[i].space];
        double v = c->value[vspaces[i].space];
        double with = c->value[vspaces[i].line] + VSPACE_LINES_KEPT * c->value[F_LEADING];
        if (s->at.line <= 0 || s->bad || v + with <= tall + LENGTH_EPS_PT ||
            with > tall + LENGTH_EPS_PT) /* the leading's fault (below), not the space's */
            continue;
        char kv[RAW_MAX + 96];
        key_value(c, vspaces[i].space, kv, sizeof kv);
        if (s->unit == U_PT && strcmp(s->raw + strspn(s->raw, "0123456789."), "pt") != 0)
            snprintf(kv + strlen(kv), sizeof kv - strlen(kv), " (%.2f pt)", v);
        input_error(c, s->at, "%s with the line it goes with and %d lines under it is taller than "
                    "the text block (%.2f pt): it can be at most %.2f pt", kv, VSPACE_LINES_KEPT,
                    tall, fmax(tall - with, 0));
    }
    /* ruby larger than the ideographs it annotates: set above them it covers the line before
     * (review 12 B7: [ruby] size = 200pt, 44 warnings that blamed the corpus). Ruby is half its
     * base's size or less (clreq #ruby_and_emphasis_marks, 2024-03-21; JIS X 4051 §6.3.2). */
    {
        const slot *s = &c->slots[F_RUBY_SIZE];
        if (s->at.line > 0 && !s->bad && o->ruby_mode == PB_RUBY_RUBY &&
            c->value[F_RUBY_SIZE] > o->text_size + LENGTH_EPS_PT) {
            char kv[RAW_MAX + 96];
            key_value(c, F_RUBY_SIZE, kv, sizeof kv);
            input_error(c, s->at, "%s is larger than the %g pt text it annotates: ruby is set at "
                        "about half its base's size (clreq, JIS X 4051); give at most %g pt",
                        kv, o->text_size, o->text_size);
        }
    }
    /* a leading with which a page cannot hold its line and the two it keeps under it: the
     * lines go off the page (review 12 A6: [text] leading = 2000pt set every body line below
     * the sheet, exit 0) */
    static const field_id leadings[] = {F_LEADING, F_HEADING_LEADING, F_SUB_LEADING,
                                        F_TITLE_LEADING};
    for (size_t i = 0; i < sizeof leadings / sizeof leadings[0]; i++) {
        const slot *s = &c->slots[leadings[i]];
        double v = c->value[leadings[i]];
        if (s->at.line <= 0 || s->bad || (1 + VSPACE_LINES_KEPT) * v <= tall + LENGTH_EPS_PT)
            continue;
        char kv[RAW_MAX + 96];
        key_value(c, leadings[i], kv, sizeof kv);
        if (s->unit == U_PT && strcmp(s->raw + strspn(s->raw, "0123456789."), "pt") != 0)
            snprintf(kv + strlen(kv), sizeof kv - strlen(kv), " (%.2f pt)", v);
        input_error(c, s->at, "%s: %d lines at this leading are taller than the text block "
                    "(%.2f pt), so a page cannot hold a line and the %d a page keeps under it: "
                    "it can be at most %.2f pt", kv, 1 + VSPACE_LINES_KEPT, tall,
                    VSPACE_LINES_KEPT, tall / (1 + VSPACE_LINES_KEPT));
    }
    /* an English size whose line holds less than EN_LINE_MIN_EM of it: its words run off;
     * one the layout left to its default follows the size it is relative to ([text] size =
     * 40pt sets size-en = 1.05em at 42 pt): said at that key, if the layout wrote it, once */
    static const field_id sizes_en[] = {F_TEXT_SIZE_EN, F_TITLE_SIZE_EN, F_HEADING_SIZE_EN,
                                        F_SUB_SIZE_EN, F_COVER_SIZE_EN};
    const slot *told = NULL;
    for (size_t i = 0; i < sizeof sizes_en / sizeof sizes_en[0]; i++) {
        const slot *s = &c->slots[sizes_en[i]];
        field_id by = s->unit == U_EM ? F_TEXT_SIZE : fields[sizes_en[i]].base;
        const slot *from = s->at.line > 0                        ? s
                           : s->unit != U_PT && by < F_COUNT &&
                                     c->slots[by].at.line > 0 ? &c->slots[by]
                                                              : NULL;
        double v = c->value[sizes_en[i]], room = sizes_en[i] == F_TEXT_SIZE_EN ? line : measure;
        if (!from || from->bad || s->bad || (from != s && from == told) || v > room + LENGTH_EPS_PT ||
            v * EN_LINE_MIN_EM <= room + LENGTH_EPS_PT)
            continue;
        char kv[RAW_MAX + 96], by_kv[RAW_MAX + 96] = "";
        key_value(c, sizes_en[i], kv, sizeof kv);
        if (from != s) {
            told = from;
            key_value(c, by, by_kv, sizeof by_kv);
            snprintf(by_kv + strlen(by_kv), sizeof by_kv - strlen(by_kv), " sets ");
        }
        input_error(c, from->at, "%s%s: %s (%.2f pt) holds %.1f em of it, too few for English "
                    "words (at least %g em; an English size of at most %.2f pt)", by_kv, kv,
                    sizes_en[i] == F_TEXT_SIZE_EN ? in : "the measure", room, room / v,
                    (double)EN_LINE_MIN_EM, room / EN_LINE_MIN_EM);
    }
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
        where w = last_set(c, F_MARGIN_TOP, F_MARGIN_OUTER);
        input_error(c, w.line ? w : last_set(c, F_PAGE_W, F_PAGE_H),
                    "margins leave no room for text");
        return;
    }
    /* columns: the parallel product's two (Chinese, English), one for every other product;
     * written out, the key must agree with the product */
    int parallel = o->product == PB_PRODUCT_PARALLEL;
    if (!c->columns_set)
        o->columns = parallel ? COLUMNS_MAX : COLUMNS_MIN;
    else if (parallel && o->columns != COLUMNS_MAX) {
        input_error(c, c->columns_at,
                    "kind = parallel sets Chinese and English in two columns; columns = %d "
                    "cannot hold them (remove the key)", o->columns);
        return;
    } else if (!parallel && o->columns != COLUMNS_MIN) {
        input_error(c, c->columns_at,
                    "columns = %d is the parallel product's (Chinese and English side by side); "
                    "one language in two columns is not supported (set kind = parallel, or "
                    "columns = 1)", o->columns);
        return;
    }
    if (o->columns == COLUMNS_MAX && !(block_w - o->gutter > LENGTH_EPS_PT)) {
        /* the gutter or columns key, else (both built in) the margins or page that shrank the
         * text block */
        where w = c->slots[F_GUTTER].at;
        if (c->columns_set && c->columns_at.seq > w.seq)
            w = c->columns_at;
        if (!w.line)
            w = last_set(c, F_MARGIN_TOP, F_MARGIN_OUTER);
        if (!w.line)
            w = last_set(c, F_PAGE_W, F_PAGE_H);
        input_error(c, w, "the text block (%.2f pt wide) leaves no room for %d columns and the "
                    "%.2f pt gutter between them", block_w, COLUMNS_MAX, o->gutter);
        return;
    }
    /* an archive carries its layout file alone, and `paiban verify` rebuilds from it */
    if (o->profile != PB_PROFILE_PRINT && c->base_at.line)
        input_error(c, c->base_at,
                    "a PDF/A layout is embedded in its file alone (paiban verify rebuilds from "
                    "it), so it cannot build on a base layout: write the keys out");
    if (o->profile != PB_PROFILE_PRINT && o->query_accept[0])
        input_error(c, key_where(c, S_QUERY, "accept"),
                    "a PDF/A layout is embedded in its file alone (paiban verify rebuilds from "
                    "it), so it cannot name a file of accepted words: give the archive "
                    "[query] accept = none");
    if (c->errors == 0)
        whole_measures(c);
    if (c->errors == 0)
        check_fit(c);
}

/* A colophon stands on a back cover: a folded booklet's (leaflets have none and ignore both). */
static void check_binding(parse_ctx *c)
{
    pb_layout *o = c->out;
    /* growth fills a one-page leaflet's page (pagebuild.c leaflet_own): a longer one's pages
     * follow from its text, and the key does nothing */
    if (o->product == PB_PRODUCT_LEAFLET && o->leaflet_pages > 1 && o->max_scale > 1)
        warning_at(c, c->max_scale_at,
                   "max-scale = %g grows one-page leaflets only; with pages = %d it has no "
                   "effect (the sizes stay at most the layout's)",
                   o->max_scale, o->leaflet_pages);
    /* left out, it follows kind: a booklet is folded and stitched; a parallel edition is a
     * reading copy whose pages come as they are (a one-page notice stays one page) */
    if (!c->binding_set)
        o->binding = o->product == PB_PRODUCT_BOOKLET ? PB_BINDING_SADDLE : PB_BINDING_NONE;
    if (o->colophon != PB_COLOPHON_NONE && o->binding == PB_BINDING_NONE &&
        o->product != PB_PRODUCT_LEAFLET)
        input_error(c, c->colophon_at,
                    "colophon = %s stands on the back cover of a saddle-stitched booklet; "
                    "binding = none has none (set binding = saddle-stitch, or colophon = none)",
                    o->colophon == PB_COLOPHON_INSIDE ? "inside" : "outside");
}

/* A fresh context: every key at its built-in default (layout text of the keys table), read as
 * the layout files are; name is files[0] ("" for the defaults alone). */
static void init_ctx(parse_ctx *c, const char *name, pb_layout *out)
{
    memset(c, 0, sizeof *c);
    memset(out, 0, sizeof *out);
    c->out = out;
    c->orientation = ORIENT_UNSET;
    snprintf(c->files[0], sizeof c->files[0], "%s", name);
    c->n_files = 1;
    snprintf(out->path, sizeof out->path, "%s", name);
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (!keys[i].dflt)
            continue;
        where w = {0, 0, 0, 0};
        c->at = w;
        apply(c, &keys[i], keys[i].dflt);
    }
}

/* "[section] key = raw" and, when raw is not in points, " (N pt)": a length as written. */
static void key_value(const parse_ctx *c, field_id f, char *out, size_t cap)
{
    const slot *s = &c->slots[f];
    int n = snprintf(out, cap, "[%s] %s = %s", section_names[s->key->section], s->key->name,
                     s->raw);
    if (s->unit != U_PT && n > 0 && (size_t)n < cap)
        snprintf(out + n, cap - (size_t)n, " (%g pt)", c->value[f]);
}

/* The hierarchy of display sizes, per language: a heading of either level at least the body
 * text it heads, a level-2 heading at most a level-1 one. The built-in sizes keep it (the
 * booklet's English level 2, 1em under English text of 1.05em, is its design), so only a
 * layout's key can break it: said at the later of the two keys compared, if either is one. */
static void check_hierarchy(parse_ctx *c)
{
    static const struct {
        field_id small, large; /* small must not exceed large */
        const char *what;
    } order[] = {
        {F_TEXT_SIZE, F_HEADING_SIZE, "a heading smaller than the Chinese text under it"},
        {F_TEXT_SIZE_EN, F_HEADING_SIZE_EN, "a heading smaller than the English text under it"},
        {F_TEXT_SIZE, F_SUB_SIZE, "a level-2 heading smaller than the Chinese text under it"},
        {F_TEXT_SIZE_EN, F_SUB_SIZE_EN,
         "a level-2 heading smaller than the English text under it"},
        {F_SUB_SIZE, F_HEADING_SIZE, "a level-2 heading larger than a level-1 heading (Chinese)"},
        {F_SUB_SIZE_EN, F_HEADING_SIZE_EN,
         "a level-2 heading larger than a level-1 heading (English)"},
    };
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        const slot *s = &c->slots[order[i].small], *l = &c->slots[order[i].large];
        if (s->bad || l->bad)
            continue;
        double small = c->value[order[i].small], large = c->value[order[i].large];
        if (small <= large + LENGTH_EPS_PT)
            continue;
        char a[RAW_MAX + 96], b[RAW_MAX + 96];
        key_value(c, order[i].large, a, sizeof a);
        key_value(c, order[i].small, b, sizeof b);
        warning_at(c, later(s->at, l->at), "%s: %s, %s", order[i].what, a, b);
    }
}

/* The least type size read in print: 1.8 mm, the least height GB 7718-2011 (prepackaged food
 * labelling) §4.1.6.2 allows for the text a label must carry, in Chinese and in English. */
#define READABLE_MIN_MM 1.8

/* The ISO 639-3 individual languages of the macrolanguage zh (Chinese), and zh itself: the
 * primary subtags of a Chinese language tag (BCP 47, RFC 5646 §2.2.1). */
static const char *const chinese_subtags[] = {"zh",  "cdo", "cjy", "cmn", "cnp", "cpx",
                                              "csp", "czh", "czo", "gan", "hak", "hsn",
                                              "lzh", "mnp", "nan", "wuu", "yue"};

static int chinese_tag(const char *tag)
{
    size_t n = strcspn(tag, "-");
    for (size_t i = 0; i < sizeof chinese_subtags / sizeof chinese_subtags[0]; i++)
        if (strlen(chinese_subtags[i]) == n && strncasecmp(tag, chinese_subtags[i], n) == 0)
            return 1;
    return 0;
}

/* Body text that cannot be read as asked: a leading under the type size (the lines would
 * overlap: on the grid each line takes whole leadings, off it each is set solid), text smaller
 * than READABLE_MIN_MM, the Chinese given a language tag that is not Chinese (shaped with that
 * language's forms, and tagged with it in a file that claims PDF/UA). Warnings at the keys. */
static void check_body(parse_ctx *c)
{
    const pb_layout *o = c->out;
    static const struct {
        field_id f;
        const char *lang;
    } sizes[] = {{F_TEXT_SIZE, "Chinese"}, {F_TEXT_SIZE_EN, "English"}};
    double lead = o->leading, least = READABLE_MIN_MM * PT_PER_MM;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        const slot *s = &c->slots[sizes[i].f], *l = &c->slots[F_LEADING];
        double size = c->value[sizes[i].f];
        char a[RAW_MAX + 96], b[RAW_MAX + 96];
        key_value(c, sizes[i].f, a, sizeof a);
        if (!s->bad && size < least - LENGTH_EPS_PT)
            warning_at(c, s->at, "%s: %s text below %.1f pt (%.1f mm, the least type height of "
                       "GB 7718-2011 §4.1.6.2) cannot be read in print", a, sizes[i].lang, least,
                       READABLE_MIN_MM);
        if (s->bad || l->bad || !(lead > LENGTH_EPS_PT) || lead >= size - LENGTH_EPS_PT)
            continue;
        key_value(c, F_LEADING, b, sizeof b);
        if (o->grid) {
            double n = 1 + ceil((size - lead) / lead - PB_LAYOUT_CHAR_EPS);
            warning_at(c, later(s->at, l->at),
                       "%s is less than the %s type size (%s): the lines would overlap, so each "
                       "takes %.0f lines of the grid (%.2f pt apart); give a leading of at least "
                       "the type size", b, sizes[i].lang, a, n, n * lead);
        } else {
            warning_at(c, later(s->at, l->at),
                       "%s is less than the %s type size (%s): the lines would overlap, so each "
                       "is set solid (%.2f pt apart); give a leading of at least the type size",
                       b, sizes[i].lang, a, size);
        }
    }
    if (!chinese_tag(o->lang_zh))
        warning_at(c, c->lang_zh_at,
                   "lang-zh = %s is not a Chinese language tag (zh, zh-Hant, zh-Hans, zh-TW, cmn, "
                   "yue, ...): the Chinese text is set with that language's forms and tagged as "
                   "it, and a screen reader reads it as that language", o->lang_zh);
}

/* Running heads and folios between the trim and the text block: each line's em box
 * (PB_EMBOX_ASCENT above its baseline, the rest below). One reaching into the text block is
 * printed over it (a warning); one reaching past the trim would be cut off (left out, with a
 * warning). The head stands above the block (its ascent towards the trim), the folio below. */
static void check_margins(parse_ctx *c)
{
    pb_layout *o = c->out;
    const struct {
        int *on, *also;            /* what is left out past the trim */
        double size, off, margin;  /* pt */
        field_id f_size, f_off, f_margin;
        const char *what, *where, *edge, *margin_key, *section, *line;
        int above;
    } boxes[] = {
        {&o->header, NULL, o->header_size, o->header_offset, o->margin_top, F_HEADER_SIZE,
         F_HEADER_OFFSET, F_MARGIN_TOP, "a running head", "above", "top", "margin-top", "header",
         "first", 1},
        {&o->folio, &o->series, o->folio_size, o->folio_offset, o->margin_bottom, F_FOLIO_SIZE,
         F_FOLIO_OFFSET, F_MARGIN_BOTTOM, "a folio", "below", "foot", "margin-bottom", "footer",
         "last", 0},
    };
    for (size_t i = 0; i < sizeof boxes / sizeof boxes[0]; i++) {
        if (!*boxes[i].on && !(boxes[i].also && *boxes[i].also))
            continue;
        double s = boxes[i].size, off = boxes[i].off;
        double out = (boxes[i].above ? PB_EMBOX_ASCENT : 1 - PB_EMBOX_ASCENT) * s;
        double in = s - out; /* the em box's part towards the text block */
        where w = later(c->slots[boxes[i].f_size].at, c->slots[boxes[i].f_off].at);
        if (off + out > boxes[i].margin + LENGTH_EPS_PT) {
            warning_at(c, later(w, c->slots[boxes[i].f_margin].at),
                       "%s of %g pt %g pt %s the text block reaches %.2f pt past the %s of the "
                       "page ([page] %s is %.2f pt): %ss left out",
                       boxes[i].what, s, off, boxes[i].where, off + out - boxes[i].margin,
                       boxes[i].edge, boxes[i].margin_key, boxes[i].margin, boxes[i].what + 2);
            *boxes[i].on = 0;
            if (boxes[i].also)
                *boxes[i].also = 0;
        } else if (off < in - LENGTH_EPS_PT) {
            warning_at(c, w,
                       "%s of %g pt %g pt %s the text block reaches %.2f pt into it: it is "
                       "printed over the %s line (give [%s] offset = %.2fpt or more)",
                       boxes[i].what, s, off, boxes[i].where, in - off, boxes[i].line,
                       boxes[i].section, in);
        }
    }
}

/* Where key name of section was set last (line 0: not by a layout's key). */
static where key_where(const parse_ctx *c, section_id section, const char *name)
{
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (keys[i].section == section && strcmp(keys[i].name, name) == 0)
            return c->key_at[i];
    return (where){0, 0, 0, 0};
}

static void origin_of(const parse_ctx *c, where w, pb_layout_origin *at)
{
    snprintf(at->file, sizeof at->file, "%s", w.line ? c->files[w.file] : "");
    at->line = w.line;
    at->col = w.col;
}

/* The keys --imposed's checks (impose.c) blame: for pages that do not fit the sheet the last
 * set of the sheet, the page's size and orientation, the bleed and the marks; for creep past
 * the inner margin the later of creep and the inner margin. */
static void impose_origins(parse_ctx *c)
{
    static const char *const fit[][2] = {{"impose", "sheet"}, {"impose", "bleed"},
                                         {"impose", "marks"}, {"page", "size"},
                                         {"page", "orientation"}};
    where w = {0, 0, 0, 0};
    for (size_t i = 0; i < sizeof fit / sizeof fit[0]; i++) {
        section_id sec = strcmp(fit[i][0], "page") == 0 ? S_PAGE : S_IMPOSE;
        w = later(w, key_where(c, sec, fit[i][1]));
    }
    origin_of(c, w, &c->out->sheet_at);
    origin_of(c, later(c->slots[F_CREEP].at, c->slots[F_MARGIN_INNER].at), &c->out->creep_at);
}

/* After the whole chain: lengths to points, the page checked. */
static void finish(parse_ctx *c)
{
    resolve(c);
    if (!c->align_en_set)
        c->out->align_en = c->out->align;
    if (c->errors == 0) {
        check_hierarchy(c);
        check_body(c);
    }
    check_geometry(c);
    if (c->errors == 0)
        check_margins(c);
    check_binding(c);
    impose_origins(c);
    say_warnings(c);
    c->out->n_bases = c->n_files - 1;
}

void pb_layout_defaults(pb_layout *out)
{
    parse_ctx c;
    init_ctx(&c, "", out);
    finish(&c);
}

const char *pb_layout_default_of(const char *section, const char *key)
{
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strcmp(section_names[keys[i].section], section) == 0 &&
            strcmp(keys[i].name, key) == 0)
            return keys[i].dflt;
    return NULL;
}

static pb_status parse_range(const char *name, const char *text, size_t len, pb_layout *out)
{
    if (strlen(name) >= PB_LAYOUT_PATH_MAX) {
        pb_diag_syserr("cannot read layout %s: %s", name, strerror(ENAMETOOLONG));
        return PB_ESYSTEM;
    }
    parse_ctx c;
    init_ctx(&c, name, out);
    pb_status st = read_text(&c, 0, text, len);
    if (st == PB_OK) {
        finish(&c);
        st = c.errors ? PB_EINPUT : PB_OK;
    }
    return st;
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
    char *text;
    size_t len = 0;
    int err, nul_line;
    switch (slurp(path, 0, &text, &len, &err, &nul_line)) {
    case SLURP_OK:
        break;
    case SLURP_ERRNO:
        pb_diag_syserr("cannot read layout %s: %s", path, strerror(err));
        return PB_ESYSTEM;
    case SLURP_NOT_REGULAR:
        pb_diag_syserr("cannot read layout %s: not a regular file", path);
        return PB_ESYSTEM;
    case SLURP_TOO_LARGE:
        pb_diag_error(path, 0, 0, "larger than %d bytes; not a layout file", LAYOUT_FILE_MAX);
        return PB_EINPUT;
    case SLURP_NUL:
        pb_diag_error(path, nul_line, 0, "NUL byte; not a text file");
        return PB_EINPUT;
    }
    pb_status st = parse_range(path, text, len, out);
    free(text);
    return st;
}

/* A line's key (up to '=' or ':', as inih splits it) is `want`, in a section where it names a
 * file; *value set to the trimmed value. Leading white space is skipped, so a continuation line
 * that reads like the key counts too (the scan errs towards refusing). */
static int line_names_file(const char *s, const char *e, const char *want, const char **value,
                           size_t *value_len)
{
    size_t n = strlen(want);
    while (s < e && isspace((unsigned char)*s))
        s++;
    if ((size_t)(e - s) < n || strncmp(s, want, n) != 0)
        return 0;
    s += n;
    while (s < e && (*s == ' ' || *s == '\t'))
        s++;
    if (s == e || (*s != '=' && *s != ':'))
        return 0;
    s++;
    while (s < e && isspace((unsigned char)*s))
        s++;
    const char *v = s;
    while (s < e && !(strchr(INI_INLINE_COMMENT_PREFIXES, *s) && s > v && isspace((unsigned char)s[-1])))
        s++;
    while (s > v && isspace((unsigned char)s[-1]))
        s--;
    *value = v;
    *value_len = (size_t)(s - v);
    return 1;
}

int pb_layout_file_key(const char *text, size_t len, const char **key)
{
    const char *p = text, *end = text + len;
    for (int line = 1; p < end; line++) {
        const char *e = memchr(p, '\n', (size_t)(end - p)), *v;
        size_t vn;
        if (!e)
            e = end;
        if (line_names_file(p, e, "base", &v, &vn)) {
            *key = "base";
            return line;
        }
        /* in any section: only [query] has the key, and elsewhere it is an error anyway */
        if (line_names_file(p, e, "accept", &v, &vn) &&
            !(vn == 4 && strncasecmp(v, "none", 4) == 0)) {
            *key = "[query] accept";
            return line;
        }
        p = e < end ? e + 1 : end;
    }
    return 0;
}
