/* nodes: boxes, glue and penalties for one paragraph. Break chances come from ICU's line
 * breaker with strict Chinese rules; the clreq prohibitions are applied on top (W3C,
 * Requirements for Chinese Text Layout, #prohibition_rules_for_line_start_end, 2024-03-21). */
#include "nodes.h"
#include "util.h"

#define NODES_FIRST 256 /* nodes a paragraph has room for before it grows */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>

#include "corpus.h"
#include "hyphenate.h"
#include "itemize.h"
#include "uchar.h"

/* clreq #mixed_text_composition_in_horizontal_writing_mode (2024-03-21): ¼ em between Han
 * and Latin/digits, shrinking to ⅛ em and stretching to ⅓ em. */
#define HAN_LATIN_EM 0.25
#define HAN_LATIN_SHRINK_EM (0.25 - 0.125)
#define HAN_LATIN_STRETCH_EM (1.0 / 3.0 - 0.25)
/* Inter-character space in Han text: stretch only (clreq
 * #reduction_and_expansion_of_inter-character_spacing, 2024-03-21); the amount
 * sets how readily a Han line stretches against Western spaces. */
#define CJK_STRETCH_EM 0.1
/* ... but a letter-spaced line adds none between a closing mark (，。」） …) and the character
 * before it, nor between an opening mark and the character after it: a mark belongs to the text
 * it closes or opens (W3C JLREQ, 2020-08-11, §3.8.3 and Appendix E, the positions which allow
 * for line adjustment by inter-letter space addition: none before closing brackets, full stops
 * and commas, none after opening brackets). A Traditional centred mark (，。、；：) is the
 * exception: its ink stands midway between its neighbours, and spacing both sides alike keeps it
 * there (clreq #punctuation_marks_position: centred in the character frame). The glue keeps its stretch for the breaker (which
 * judges how far a line can open); compose.c gives its share to the other gaps of the line. */
static int mark_attached(uint32_t before, uint32_t after, int after_centred)
{
    return (pb_uchar_is_closing_punct(after) && !after_centred) ||
           pb_nodes_is_line_end_prohibited(before);
}
/* Before the Han of a line is letter-spaced, its Western word spaces and its Han-Latin gaps
 * open up to half an em each (clreq #procedures_for_inter-character_space_expansion,
 * 2024-03-21: steps 1 and 2, "each ... can be expanded to a maximum of 1/2 em"; the house
 * style's own stretch, a third of an em for a Han-Latin gap, comes first). */
#define GIVE_MAX_EM 0.5
/* TeX's interword glue (Computer Modern: stretch 1/2, shrink 1/3 of the space). */
#define WORD_STRETCH_RATIO 0.5
#define WORD_SHRINK_RATIO (1.0 / 3.0)
/* Liang hyphenation limits: at least 3 letters before and after a break (Bringhurst, The
 * Elements of Typographic Style, 2.4.8: "leave at least two characters behind and take at
 * least three forward"; book work asks three either side, as TeX's \lefthyphenmin for UK
 * English). */
#define HYPH_LEFT_MIN 3
#define HYPH_RIGHT_MIN 3
/* Shortest word worth hyphenating (left + right minimum). */
#define HYPH_WORD_MIN (HYPH_LEFT_MIN + HYPH_RIGHT_MIN)
#define HYPH_WORD_MAX 64
/* A hyphen costs 1000 (TeX's \hyphenpenalty is 50; its largest finite value 10000 forbids):
 * 1e6 demerits, over twice a line at the word-space tolerance (linebreak.c KP_TOLERANCE_WORDS:
 * (10 + 629)^2 = 4.1e5), so the font expansion and the word glue take the slack first, up to
 * about half an em a space, and a paragraph hyphenates only where it has no way without a
 * line past that or saves three such lines (test_compose hyphen_rate_products). An explicit
 * hyphen keeps TeX's \exhyphenpenalty. */
#define HYPHEN_PENALTY 1000
/* A capitalised word (a name, a sentence's first word) is hyphenated only as a last resort
 * (TeX's \uchyph=0 forbids it; Chicago 7.36 discourages dividing proper names): the largest
 * penalty that still allows the break (10000 forbids it), 1e8 demerits, two hundred lines at
 * the word-space tolerance (5.0e5 each). */
#define CAPITAL_HYPHEN_PENALTY (PB_PENALTY_INF - 1)
#define EXPLICIT_HYPHEN_PENALTY 50
/* \parfillskip: stretch enough to absorb any line end. */
#define FILL_STRETCH 1e6
#define CP_SHY 0x00ADu /* SOFT HYPHEN */
#define CP_IDEO_SPACE 0x3000u /* IDEOGRAPHIC SPACE */
#define CP_FULLWIDTH_SOLIDUS 0xFF0Fu /* ／ */
/* hyph[] values: where a word may be hyphenated, and why */
#define HYPH_PATTERN 1  /* Liang's patterns */
#define HYPH_SOFT 2     /* after a U+00AD SOFT HYPHEN: TeX's \- (a discretionary hyphen) */
#define HYPH_CAPITAL 3  /* Liang's, in a capitalised word */
#define HYPH_CUT 4      /* anywhere in a word too long for the patterns: the last resort */
/* A break at a URL's break point (below) costs what letter-spacing a Chinese line around an
 * unbreakable address by 0.03 em a character does (linebreak.c KP_HAN_SPACED_DEMERITS: 300^2)
 * and less than a hyphen (HYPHEN_PENALTY): Chicago breaks a URL at
 * these points as a matter of course. */
#define URL_BREAK_PENALTY 300
/* Between two letters or digits of a URL, where no Chicago break is near enough (or two
 * letters of a word too long for the patterns, HYPH_CUT): the last resort before a line runs
 * over the measure (url.sty's \UrlBreaks, with a cost near TeX's
 * \hyphenpenalty x 10, still below plain.tex's forbidden 10000). */
#define URL_LAST_RESORT_PENALTY 5000
/* Before a single slash (2026|/sessions): a little more than after one, so that where both fit
 * alike the URL breaks after the slash, in both languages (310^2 - 300^2 = 6 100 demerits, a
 * line's badness of about 25 near the tolerance), what a Chinese line letter-spaced by 0.031 em
 * a character costs (linebreak.c KP_HAN_SPACED_DEMERITS). */
#define URL_SLASH_BEFORE_PENALTY (URL_BREAK_PENALTY + 10)
/* Before a period inside a host name or path (www|.example), and right after "https://": twice
 * a Chicago point, so that a URL with another point to break at breaks there */
#define URL_DOT_BREAK_PENALTY (2 * URL_BREAK_PENALTY)
/* After a period (www.|example): what a hyphen costs, as the period at the line's end reads
 * as a sentence's end as a hyphen reads as a word's break (Chicago's Q&A on URLs: "it would be
 * better to place the dot at the beginning of the next line"): where no other point leaves
 * the lines within the breaker's tolerance. */
#define URL_AFTER_DOT_PENALTY HYPHEN_PENALTY
/* A break that leaves on the line what reads as a whole address (url_host_break: booking@shanlan
 * | -tea.com.tw, https://lms | .example.edu.cn) misleads a reader who types it: worse than any
 * spacing the report only lists. It costs what a Chinese line letter-spaced by a quarter em a
 * character does, the gap the report warns of (pageout.c SPACED_WARN_EM; linebreak.c
 * KP_HAN_SPACED_DEMERITS: (1000 x 2.5)^2), and the breaker's first pass does not take it
 * (linebreak.c kp_pass), so that a line spaced or loosened within the emergency tolerance is
 * set instead (review 10: "booking@shanlan" / "-tea.com.tw" beside a line spaced 0.12 em). */
#define URL_HOST_PENALTY 2500
/* A tie (keep_at() below: a telephone number's digit groups, a currency and its amount, a
 * name and its version number ...) is a break a typesetter avoids but takes when nothing else
 * will do, where TeX's ~ (plain.tex: \penalty10000) never gives way: 300^2 = 9e4 demerits,
 * more than a line at the breaker's tolerance (linebreak.c KP_TOLERANCE: (10 + 200)^2), less
 * than a Chinese line letter-spaced past 0.03 em a character (clreq
 * #procedures_for_inter-character_space_expansion, 2024-03-21: spacing is the last resort;
 * linebreak.c KP_HAN_SPACED_DEMERITS, priced as URL_BREAK_PENALTY is) or a hyphen
 * (HYPHEN_PENALTY: 1e6): a number is split rather than a line spaced out or a word
 * hyphenated. In ragged lines (pb_node.tie) the breaker takes one only in its last pass. */
#define KEEP_PENALTY PB_TIE_PENALTY
/* brk[] values: 1 an ordinary break; inside a URL: */
#define BRK_URL 2      /* a Chicago break point */
#define BRK_URL_LAST 3 /* between two letters or digits: the last resort */
#define BRK_URL_DOT 4  /* before a period inside a host name or path (www|.example), right
                        * after "scheme://" */
#define BRK_BINOP 5    /* after a dimension's multiplication sign and its space: 175 × |66.7 */
/* A dimension (175 × 66.7 cm) breaks only after its multiplication sign, at the cost of a
 * break after a binary operation in TeX's formulas (plain.tex \binoppenalty; The TeXbook,
 * ch. 18): the sign ends the line, as in a display of mathematics, and each number keeps its
 * unit. */
#define BINOP_PENALTY 700
#define BRK_KEEP 6     /* a tie (keep_at): KEEP_PENALTY */
#define BRK_URL_AFTER_DOT 7 /* after an inner period: www.|example */
#define BRK_URL_SLASH_BEFORE 8 /* before a single slash inside a path: 2026|/sessions */
/* The longest last piece of a name (".cn", ".org", ".pdf", with its period) that a URL breaks
 * before (or after its period) only at a hyphen's cost: it stays with the name before it
 * unless keeping it letter-spaces a line past what a hyphen is worth. */
#define URL_SHORT_TAIL 4
/* The fewest characters of an address without a scheme (an e-mail address, www.…) a line ends
 * with, but as the last resort: hyphenation's least word part is 2-3 letters (TeX's
 * \lefthyphenmin 2; Chicago §7.36 keeps 3), and a URL's head shorter than 3 reads as a word. */
#define URL_SHORT_HEAD 3
#define BRK_URL_SHORT_TAIL 10
#define URL_SHORT_TAIL_PENALTY HYPHEN_PENALTY
#define BRK_CODE_CUT 9 /* between two characters of a code (code_cuts): the last resort, no
                        * hyphen, as inside a URL */
/* A code -- a serial number, a digest, a file number in capitals: a run of ASCII letters and
 * digits with a digit in it, or in capitals only -- at least this long may be cut between any
 * two of its characters, without a hyphen (a hyphen would read as part of it), where it is
 * wider than the line (linebreak.c mark_pieces); a shorter one fits every measure. */
#define CODE_CUT_MIN 16
#define BRK_UNIT 11    /* between a number and its Han unit: 15.8|公分, 2026|年 */
/* A number and the ideograph of its unit or counter (15.8|公分, 2026|年, 30|册) is a tie, not a
 * hard keep: JIS X 4051:2004 and W3C JLREQ (#unbreakable_character_sequences, 2020-08-11) keep
 * a number whole and with its prefixed or postfixed abbreviation symbols (¥ $ % ℃ °, cl-17 and
 * cl-18: kept hard here, is_unit()), but an ideograph is of class cl-19, after which and before
 * which a line may break; clreq (#procedures_for_inter-character_space_expansion, 2024-03-21)
 * letter-spaces a line only as the last resort. The break costs 170^2 = 28 900 demerits, what a
 * Chinese line letter-spaced by 0.017 em a character costs (linebreak.c
 * KP_HAN_SPACED_DEMERITS: (1000 r)^2, r = 0.17): a typesetter
 * splits 15.8|公分 rather than spread a line visibly (0.02 em and more), and less readily than
 * a telephone number's groups (KEEP_PENALTY). The unit itself stays whole (公分, 億元). */
#define UNIT_TIE_PENALTY 170
#define BRK_DATE_UNIT 12 /* between a date's number and its unit: 2月20|日 */
/* A date is one expression (GB/T 15835-2011): its number and its unit (2027|年2月, 2|月20日,
 * 20|日 after 2月) part only where a split between the date's parts (KEEP_PENALTY: 2027年|2月)
 * would letter-space a line more, and a lone number's unit (UNIT_TIE_PENALTY) first: twice
 * KEEP_PENALTY, what a Chinese line letter-spaced by about 0.15 em a character costs. */
#define DATE_UNIT_PENALTY (2 * KEEP_PENALTY)

/* The horizontal ink of full-width marks (adjust_punct), kept per breaker: a CFF glyph's
 * extents cost some thousand instructions to find, and a paragraph meets the same few marks
 * again and again. Direct-mapped by glyph id and font; font NULL: empty. */
#define INK_CACHE 256
typedef struct {
    const pb_font *font;
    uint32_t gid;
    int32_t x0, x1;
} ink_entry;

struct pb_breaker {
    UBreakIterator *bi;
    UBreakIterator *wbi;    /* ICU's word breaker (zh: its dictionary), opened when first asked */
    UChar *u16;
    size_t u16_cap;
    uint32_t *u16_to_cp;    /* for each UTF-16 unit, its code point index */
    uint8_t *brk;           /* brk[i]: a break is allowed before code point i */
    uint8_t *hyph;          /* hyph[i]: a hyphenation point before code point i */
    size_t cp_cap;
    uint8_t *open_blank;    /* per glyph: PUNCT_* flags from adjust_punct() */
    size_t g_cap;
    ink_entry ink[INK_CACHE]; /* the ink of the marks met */
    char *hyph_path;        /* the patterns (hyphenate.c); NULL: no hyphenation */
};

pb_status pb_nodes_new(const char *hyph_path, pb_breaker **out)
{
    pb_breaker *br = calloc(1, sizeof *br);
    if (!br)
        return pb_diag_oom("starting the line breaker");
    if (hyph_path && !pb_hyphenate_ready(hyph_path))
        pb_diag_warning(hyph_path, 0, 0, "cannot load hyphenation patterns; not hyphenating");
    else if (hyph_path && !(br->hyph_path = strdup(hyph_path))) {
        free(br);
        return pb_diag_oom("starting the line breaker");
    }
    UErrorCode e = U_ZERO_ERROR;
    br->bi = ubrk_open(UBRK_LINE, "zh@lb=strict", NULL, 0, &e);
    if (U_FAILURE(e)) {
        pb_diag_syserr("ICU line breaker: %s", u_errorName(e));
        free(br->hyph_path);
        free(br);
        return PB_ESYSTEM;
    }
    *out = br;
    return PB_OK;
}

void pb_nodes_free(pb_breaker *br)
{
    if (!br)
        return;
    ubrk_close(br->bi);
    if (br->wbi)
        ubrk_close(br->wbi);
    free(br->hyph_path);
    free(br->hyph);
    free(br->open_blank);
    free(br->u16);
    free(br->u16_to_cp);
    free(br->brk);
    free(br);
}

void pb_nodes_free_list(pb_nodes *nodes)
{
    free(nodes->v);
    memset(nodes, 0, sizeof *nodes);
}

/* Unicode blocks (Unicode 15.0, Blocks.txt): from CJK Unified Ideographs Extension A up to
 * the Halfwidth and Fullwidth Forms lie ideographs, syllables and compatibility forms, none a
 * mark either prohibition set below names. */
#define NO_PROHIBITED_FIRST 0x3400
#define NO_PROHIBITED_END 0xFF00

/* 1 when c is in neither prohibition set for sure: an ASCII letter or digit, or an ideograph
 * (the text's bulk, answered before the sets are searched). */
static int is_ascii_alnum(uint32_t c)
{
    return c < 0x80 && (((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9'));
}

static int surely_unprohibited(uint32_t c)
{
    return (c >= NO_PROHIBITED_FIRST && c < NO_PROHIBITED_END) || is_ascii_alnum(c);
}

/* clreq #prohibition_rules_for_line_start_end (2024-03-21), line-start prohibited: closing
 * brackets, stops, pauses, and their Latin kin. */
int pb_nodes_is_line_start_prohibited(uint32_t c)
{
    if (surely_unprohibited(c))
        return 0;
    switch (c) { /* a switch, not a search of a list: the compiler's bit tests */
    case 0x3001: case 0xFF0C: case 0x3002: case 0xFF0E: /* 、,。. */
    case 0xFF1A: case 0xFF1B: case 0xFF01: case 0xFF1F: /* :;!? */
    case 0x300D: case 0x300F: case 0x201D: case 0x2019: /* 」』”’ */
    case 0xFF09: case 0x300B: case 0x3009: case 0x3011: /* )》〉】 */
    case 0x3015: case 0x3017: case 0x3019: case 0x301B: /* 〕〗〙〛 */
    case 0xFF5D: case 0xFF3D: case 0x00B7: case 0x2027: /* }]·‧ */
    case 0x30FB: case 0x2026: case 0x2025: case 0x2014: /* ・…‥— */
    case 0xFF05: case 0x2030: case 0x2103:              /* %‰℃ */
    case 0x301C: case 0xFF5E: /* 〜～: a range's wave dash (JIS X 4051:2004 cl-03, hyphens) */
    case ',': case '.': case ';': case ':': case '?': case '!': case ')': case ']': case '}':
    case '%':
        return 1;
    default:
        return 0;
    }
}

/* clreq #prohibition_rules_for_line_start_end (2024-03-21), line-end prohibited: opening
 * brackets and quotes. */
int pb_nodes_is_line_end_prohibited(uint32_t c)
{
    if (surely_unprohibited(c))
        return 0;
    switch (c) {
    case 0x300C: case 0x300E: case 0x201C: case 0x2018: case 0xFF08: case 0x300A: case 0x3008:
    case 0x3010: case 0x3014: case 0x3016: case 0x3018: case 0x301A: case 0xFF5B: case 0xFF3B:
    case '(': case '[': case '{':
        return 1;
    default:
        return 0;
    }
}

static int is_digit(uint32_t c) { return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19); }


/* text[i..] starts with w (UTF-8): the code points it takes, 0 if it does not */
static size_t starts_with(const uint32_t *text, size_t len, size_t i, const char *w)
{
    size_t n = strlen(w), i0 = i;
    for (size_t k = 0; k < n; i++) {
        uint32_t cp;
        size_t used = pb_uchar_decode((const uint8_t *)w + k, n - k, &cp);
        if (!used || i >= len || text[i] != cp)
            return 0;
        k += used;
    }
    return i - i0;
}

/* text[i..] starts with word w (UTF-8) and no letter or digit follows it */
static int word_at(const uint32_t *text, size_t len, size_t i, const char *w)
{
    size_t n = starts_with(text, len, i, w);
    return n && (i + n == len || !is_ascii_alnum(text[i + n]));
}

/* A break at the hyphen of a romanized given name (Chen Chih-|ming, Tai-|wan's: a capital, then
 * after the hyphen a lower-case syllable) splits a name: as a capitalised word's hyphenation,
 * the last resort (HYPHEN_PENALTY's CAPITAL_HYPHEN_PENALTY). Asia-Pacific (a capital after
 * the hyphen) breaks as any compound. */
#define NAME_HYPHEN_PENALTY CAPITAL_HYPHEN_PENALTY

/* The hyphen before text[i] is inside a name as above. */
static int romanized_name_at(const uint32_t *text, size_t len, size_t i)
{
    if (i < 2 || i >= len || !(text[i] >= 'a' && text[i] <= 'z'))
        return 0;
    size_t k = i - 1; /* the hyphen */
    while (k > 0 && pb_uchar_is_ascii_letter(text[k - 1]))
        k--;
    return k < i - 1 && text[k] >= 'A' && text[k] <= 'Z';
}

/* At least this many letters before and after a break at an explicit hyphen: the least
 * libhyphen's English patterns leave on either side of a hyphenation (hyph_en_US.dic
 * LEFTHYPHENMIN 2, RIGHTHYPHENMIN 3), so that "e-|ticket" and "X-|ray" stay whole. */
#define EXHYPHEN_LEFT_MIN 2
#define EXHYPHEN_RIGHT_MIN 3

/* The break after the hyphen at text[i - 1] leaves fewer letters than the minimum before the
 * hyphen (back to the word's start) or after it (to the next non-letter). */
static int short_hyphen_part(const uint32_t *text, size_t len, size_t i)
{
    size_t left = 0, right = 0;
    for (size_t k = i - 1; k > 0 && pb_uchar_is_ascii_letter(text[k - 1]); k--)
        left++;
    for (size_t k = i; k < len && pb_uchar_is_ascii_letter(text[k]); k++)
        right++;
    return left < EXHYPHEN_LEFT_MIN || right < EXHYPHEN_RIGHT_MIN;
}

/* A unit after a number and a space, which a typesetter ties to it (the SI Brochure, 9th ed.,
 * §5.4.3: "a space, which should be non-breaking"; ISO 80000-1:2009 §7.2.1; The Chicago
 * Manual of Style, 17th ed., §9.16 and §6.121 for a.m. and p.m.), or the month after a day.
 * A compound unit is its first unit and what follows its solidus (mg/kg, pg/mL: kept whole,
 * compound_unit_slash()). */
static int unit_word_at(const uint32_t *text, size_t len, size_t i)
{
    static const char *const units[] = {
        "mm", "cm", "m", "km", "mg", "g", "kg", "t", "ml", "mL", "l", "L", "ha", "m²", "km²",
        "in", "ft", "lb", "oz", "pt", "px", "s", "min", "h", "Hz", "kHz", "MHz", "GHz", "W",
        "kW", "MW", "GW", "Wh", "kWh", "MWh", "GWh", "V", "KB", "MB", "GB", "TB", "a.m.", "p.m.",
        "am", "pm", "°C", "°F", "%",
        /* the SI Brochure's Table 4 with prefixes, and units a medical or technical paper
         * writes beside them (mmHg, r/min: ISO 80000-3 revolutions per minute) */
        "mV", "kV", "mA", "μA", "Pa", "kPa", "MPa", "mmHg", "mol", "mmol", "μmol", "µmol",
        "nmol", "μg", "µg", "ng", "pg", "μL", "µL", "μl", "µl", "nm", "μm", "µm", "dL", "IU",
        "kcal", "kJ", "r/min", "rpm",
        /* a currency's ISO 4217 code after its amount is its unit: 21.3 TWD, 34.5 EUR */
        "TWD", "USD", "EUR", "JPY", "CNY", "RMB", "HKD", "MOP", "GBP", "SGD", "KRW",
        /* and a day's month: 1 January (Chicago §6.121: a date is not broken after its day) */
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December", "Jan.", "Feb.", "Mar.", "Apr.", "Aug.", "Sept.",
        "Sep.", "Oct.", "Nov.", "Dec."};
    for (size_t k = 0; k < sizeof units / sizeof units[0]; k++)
        if (word_at(text, len, i, units[k]))
            return 1;
    return 0;
}

/* How surely the word at text[i], after a number and a space, is a unit symbol. */
enum { UNIT_NO, UNIT_LIKELY, UNIT_SURE };

/* The SI prefixes a text meets before a unit symbol (SI Brochure, 9th ed., 2019, §3, Table 7),
 * from exa to femto (hecto for hPa), without deca, whose da spells no unit a text uses, and
 * without atto: a + s, a + m, a + t spell the words "as", "am", "at". */
static const char *const si_prefixes[] = {"E", "P", "T", "G", "M", "k", "h", "d", "c",
                                          "m", "μ", "µ", "n", "p", "f"};

/* Unit symbols a prefix may stand before: the SI base units and the derived units with special
 * names (SI Brochure Tables 2 and 4), the non-SI units accepted for use with the SI (Table 8:
 * L, l, t, Da, eV), and those a datasheet writes with prefixes: the bel (dB), the watt-hour,
 * the ampere-hour, the volt-ampere, the bar, the byte and the bit (IEC 80000-13: B, bit, and
 * bps for bit/s), the calorie. */
static const char *const si_units[] = {
    "m",  "g",  "s",  "A",  "K",  "mol", "cd",  "Hz", "N",  "Pa", "J",  "W",  "C",
    "V",  "F",  "Ω", "Ω", "S",  "Wb", "T",  "H",   "lm", "lx", "Bq", "Gy", "Sv",
    "kat", "L", "l",  "t",  "Da", "eV",  "B",   "Wh", "Ah", "VA", "var", "bar", "bit", "bps",
    "Bps", "cal"};

/* Units that take no prefix here: parts per million and billion, the decibel's references
 * (dBm, dBA, dBi), revolutions per minute, pressures (psi, atm, Torr), the per mille sign. */
static const char *const plain_units[] = {"ppm", "ppb", "dBm", "dBA", "dBi", "dBV", "rpm",
                                          "psi", "atm", "Torr", "‰", "°"};

/* Symbols that are also English words or abbreviations: only likely units. */
static const char *const word_units[] = {"bar", "bit", "cal", "Ms"};

static int is_upper(uint32_t c) { return c >= 'A' && c <= 'Z'; }
static int is_symbol_letter(uint32_t c)
{
    return pb_uchar_is_ascii_letter(c) || c == 0x03BC || c == 0x00B5 || c == 0x03A9 ||
           c == 0x2126 || c == 0x00B0 || c == 0x2030;
}

/* text[i, e) is w exactly */
static int symbol_is(const uint32_t *text, size_t i, size_t e, const char *w)
{
    return starts_with(text, e, i, w) == e - i;
}

/* The word at text[i]: a unit symbol for sure (unit_word_at's, a prefixed SI symbol such as
 * mAh, TWh, Gbps, kDa, or a plain one such as ppm), likely (one capital, A or K; two capitals,
 * a prefix's and a unit's, TV or PS; a symbol that is also a word, bar), or none. It ends
 * where its letters do, before a space, a punctuation mark, a solidus or an ideograph. */
static int unit_symbol_kind(const uint32_t *text, size_t len, size_t i)
{
    size_t e = i;
    while (e < len && is_symbol_letter(text[e]))
        e++;
    if (e == i || (e < len && is_ascii_alnum(text[e])))
        return UNIT_NO;
    for (size_t k = 0; k < sizeof word_units / sizeof *word_units; k++)
        if (symbol_is(text, i, e, word_units[k]))
            return UNIT_LIKELY;
    for (size_t k = 0; k < sizeof plain_units / sizeof *plain_units; k++)
        if (symbol_is(text, i, e, plain_units[k]))
            return UNIT_SURE;
    for (size_t q = 0; q <= sizeof si_prefixes / sizeof *si_prefixes; q++) {
        size_t m = q ? starts_with(text, e, i, si_prefixes[q - 1]) : 0;
        if (q && !m)
            continue;
        for (size_t k = 0; k < sizeof si_units / sizeof *si_units; k++)
            if (i + m < e && symbol_is(text, i + m, e, si_units[k])) {
                int capital = is_upper(text[i]) && (e - i == 1 || (e - i == 2 && is_upper(text[i + 1])));
                return capital ? UNIT_LIKELY : UNIT_SURE;
            }
    }
    return UNIT_NO;
}

/* The break before text[i] follows the solidus of a compound unit after a number: 40 mg/|kg,
 * (142±27) pg/|mL, 12 000 r/|min (the SI Brochure §5.4.6: a unit's solidus joins one unit). */
static int is_unit_letter(uint32_t c) { return pb_uchar_is_ascii_letter(c) || c == 0x03BC || c == 0x00B5; }
static int compound_unit_slash(const uint32_t *text, size_t len, size_t i)
{
    if (i < 3 || text[i - 1] != '/' || !is_unit_letter(text[i]))
        return 0;
    size_t s = i - 1;
    while (s > 0 && is_unit_letter(text[s - 1]))
        s--;
    if (s == i - 1 || s == 0 || !unit_word_at(text, len, s))
        return 0;
    size_t k = text[s - 1] == ' ' ? s - 1 : s;
    return k >= 1 && (is_digit(text[k - 1]) || ((text[k - 1] == ')' || text[k - 1] == 0xFF09) && k >= 2 &&
                                               is_digit(text[k - 2])));
}

/* The longest floor number before "/F" in a Hong Kong address (2/F, 12/F, G/F, UG/F, 12A/F) */
#define FLOOR_MAX 3
/* The break before text[i] falls after the slash of a Hong Kong floor, which is one token
 * (2/|F, G/|F, as Hong Kong addresses write the second floor and the ground floor). */
static int floor_slash(const uint32_t *text, size_t len, size_t i)
{
    if (i < 2 || text[i - 1] != '/' || text[i] != 'F' || (i + 1 < len && is_ascii_alnum(text[i + 1])))
        return 0;
    size_t s = i - 1;
    while (s > 0 && is_ascii_alnum(text[s - 1]) && !(text[s - 1] >= 'a' && text[s - 1] <= 'z'))
        s--;
    return s < i - 1 && i - 1 - s <= FLOOR_MAX && (s == 0 || !is_ascii_alnum(text[s - 1]));
}

/* text[.., end) ends with the ASCII word w, and no letter or digit comes before it */
static int word_before_is(const uint32_t *text, size_t end, const char *w)
{
    size_t n = strlen(w);
    if (end < n || (end > n && is_ascii_alnum(text[end - n - 1])))
        return 0;
    size_t q = 0;
    while (q < n && text[end - n + q] == (uint32_t)(unsigned char)w[q])
        q++;
    return q == n;
}

/* The abbreviation or sign ending at text[end - 1] (before a space) that a number after the
 * space stays with: p. pp. No. vol. art. ch. fig. §, and the words that number a part of a
 * document or a place (Chapter 3, Article 12, Room 202) (Chicago 17th ed., §6.121: ties). */
static int number_prefix_before(const uint32_t *text, size_t end)
{
    static const char *const prefixes[] = {
        "p.", "pp.", "No.", "no.", "Nos.", "vol.", "Vol.", "art.", "Art.", "ch.", "Ch.", "fig.",
        "Fig.", "para.", "Chapter", "Article", "Section", "Part", "Rule", "Table", "Figure",
        "Volume", "Room"};
    if (end >= 1 && text[end - 1] == 0x00A7)
        return 1;
    for (size_t k = 0; k < sizeof prefixes / sizeof prefixes[0]; k++)
        if (word_before_is(text, end, prefixes[k]))
            return 1;
    return 0;
}

/* The number that ends at text[end - 1] labels a page or a part (page 3, p. 3, Table 2,
 * No. 5: number_prefix_before): what follows it is no unit of it (page 3 A new ...). */
static int label_number_before(const uint32_t *text, size_t end)
{
    size_t k = end;
    while (k > 0 && (is_digit(text[k - 1]) || text[k - 1] == ',' || text[k - 1] == '.'))
        k--;
    return k >= 1 && text[k - 1] == ' ' &&
           (number_prefix_before(text, k - 1) || word_before_is(text, k - 1, "page") ||
            word_before_is(text, k - 1, "Page"));
}

/* The symbol at text[i] is followed by a space and a capitalised word: in a heading's title
 * case (3 A New Start) or before a name it is a word, not a unit. */
static int capital_word_after(const uint32_t *text, size_t len, size_t i)
{
    size_t e = i;
    while (e < len && is_symbol_letter(text[e]))
        e++;
    return e + 1 < len && text[e] == ' ' && is_upper(text[e + 1]);
}

/* The code point before a break at i, past one space: the break after "Tel: " and the one
 * after "Tel:" both follow the colon. SIZE_MAX at the text's start. */
static size_t before_space(const uint32_t *text, size_t i)
{
    if (i >= 1 && text[i - 1] == ' ')
        i--;
    return i >= 1 ? i - 1 : SIZE_MAX;
}

/* text[s, e) is a run of ASCII letters that starts a word and holds a capital after its first
 * letter (iOS, iPhone, macOS) or is three capitals (an ISO 4217 code: RMB, USD, TWD). */
static int product_or_code_word(const uint32_t *text, size_t s, size_t e)
{
    int inner_cap = 0, caps = 0;
    for (size_t k = s; k < e; k++) {
        caps += text[k] >= 'A' && text[k] <= 'Z';
        inner_cap |= k > s && text[k] >= 'A' && text[k] <= 'Z';
    }
    return (inner_cap && caps < (int)(e - s)) || (e - s == 3 && caps == 3);
}

/* text[i..] is a version-like number: digits, a period, digits (15.0, 3.2.1), not a percentage
 * (37.5%). */
static int dotted_number_at(const uint32_t *text, size_t len, size_t i)
{
    size_t k = i, dots = 0;
    while (k < len && (is_digit(text[k]) || (text[k] == '.' && k > i && k + 1 < len &&
                                             is_digit(text[k + 1]) && ++dots)))
        k++;
    return dots > 0 && (k == len || (text[k] != '%' && text[k] != 0xFF05));
}

/* The break before text[i] falls inside the name of a currency that an amount follows
 * (新臺|幣3,500, 人民|币1.2): the name stays with its amount, and so whole. */
#define CP_BI_HANT 0x5E63u /* 幣, the last character of every name below */
#define CP_BI_HANS 0x5E01u /* 币 */
static int is_bi(uint32_t c) { return c == CP_BI_HANT || c == CP_BI_HANS; }

static int inside_currency_name(const uint32_t *text, size_t len, size_t i)
{
    static const char *const names[] = {"新臺幣", "新台幣", "新台币", "臺幣", "台幣", "台币",
                                        "人民幣", "人民币", "港幣", "港币", "澳門幣", "澳门币",
                                        "日幣", "日币"};
    /* a name of two or three characters that the break is inside ends at text[i] or
     * text[i + 1], with 幣 or 币, and a digit follows it: asked at every break, most are not */
    if (!(i + 1 < len && is_bi(text[i]) && is_digit(text[i + 1])) &&
        !(i + 2 < len && is_bi(text[i + 1]) && is_digit(text[i + 2])))
        return 0;
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
        for (size_t o = 1; o <= i && o < 3; o++) {
            size_t n = starts_with(text, len, i - o, names[k]);
            if (n > o && i - o + n < len && is_digit(text[i - o + n]))
                return 1;
        }
    return 0;
}

/* A relation sign before a number (< 1/10,000, ≥5, ＜3): the number's, as a sign that opens it
 * is (a tie, keep_at; after an opening bracket a hard keep, find_breaks: "(<" never ends a
 * line). */
#define CP_PLUS_MINUS 0x00B1u
static int is_relation(uint32_t c)
{
    return c == '<' || c == '>' || c == 0x2264 || c == 0x2265 || c == 0x2266 || c == 0x2267 ||
           c == 0x2248 || c == 0xFF1C || c == 0xFF1E; /* ≤ ≥ ≦ ≧ ≈ ＜ ＞ */
}

/* Ties: the break before text[i] splits what a typesetter keeps on one line, but may give way
 * as the last resort (KEEP_PENALTY), where the hard keeps of find_breaks() never do:
 * - digit groups set apart by a space, as a telephone number's are (ITU-T E.123 (02/2001),
 *   the international notation +86 571 8765 4321; Chicago's Q&A on word division, 17th ed.: a
 *   no-break space between groups of digits, CMOS 9.55), and an area code in parentheses and
 *   the number after it ("(02) 2720-8889");
 * - a telephone extension and its number: 分機1234, 轉56, ext. 1234, and the number before
 *   轉 and ext.;
 * - a range of numbers at a dash or wave dash (2029—2030年, 3～5; GB/T 15834—2011's connector
 *   marks; the en dash's range is a hard keep in find_breaks());
 * - a currency and its amount, and an amount and its multiplier (新臺幣3,500萬元, 人民币1.2亿元,
 *   RMB 120, NT$35 million: Chicago 16th ed., §9.22-9.25; ISO 4217's three-letter codes;
 *   clreq #h-digits_and_their_prefix_and_suffix, 2024-03-21);
 * - a product's name and its version (iOS 15.0, App 3.2.1: a name with an inner capital or a
 *   capitalised word before a dotted number), as TeX ties "Theorem~1.2" (The TeXbook, ch. 14);
 * - a date's parts: 2027年|1月, 4月|15日 (GB/T 15835-2011 writes a date as one expression);
 * - a title and the name after it: Dr. Sarah Thompson (Chicago 17th ed., §6.121: a no-break
 *   space after an abbreviated title; The TeXbook, ch. 14: "Dr.~Sarah"). */
/* Do the digits at text[i] (a space after them allowed) end with the character unit? (年 3 月,
 * 4 月 15 日) */
static int digits_then(const uint32_t *text, size_t len, size_t i, uint32_t unit, uint32_t alt)
{
    size_t k = i;
    while (k < len && is_digit(text[k]))
        k++;
    if (k < len && text[k] == ' ')
        k++;
    return k > i && k < len && (text[k] == unit || text[k] == alt);
}

/* A title before a name: Dr. Mr. Mrs. Ms. Prof. St. Fr. Rev. Sr. Hon. ending at text[end - 1];
 * bare: without its point (British and Hong Kong style, New Hart's Rules 2nd ed., §3.2: Mr,
 * Mrs, Ms, Dr, as contractions), or a title that is a word (Sister), before a capital only. */
static int title_before(const uint32_t *text, size_t end, int bare)
{
    static const char *const titles[] = {"Dr.", "Mr.", "Mrs.", "Ms.", "Prof.", "St.", "Mt.",
                                         "Fr.", "Rev.", "Sr.", "Hon."};
    static const char *const bare_titles[] = {"Dr", "Mr", "Mrs", "Ms", "Sister"};
    const char *const *t = bare ? bare_titles : titles;
    size_t n = bare ? sizeof bare_titles / sizeof *bare_titles : sizeof titles / sizeof *titles;
    for (size_t k = 0; k < n; k++)
        if (word_before_is(text, end, t[k]))
            return 1;
    return 0;
}

/* Is text[i] a date's unit after its number, inside a date of two parts or more: 2027|年2月,
 * 2|月20日, 20|日 after 2月? A date is one expression (GB/T 15835-2011): its number keeps its
 * unit more firmly (DATE_UNIT_PENALTY) than a lone 2026|年 (BRK_UNIT) and than the date's parts
 * each other (keep_at). */
static int date_unit_at(const uint32_t *text, size_t len, size_t i)
{
    uint32_t b = text[i];
    size_t j = i > 0 && text[i - 1] == ' ' ? i - 1 : i; /* 2 月 16 日 typed with spaces */
    while (j > 0 && is_digit(text[j - 1]))
        j--;
    if (j > 0 && text[j - 1] == ' ')
        j--;
    uint32_t before = j > 0 ? text[j - 1] : 0;
    size_t n = i + 1 < len && text[i + 1] == ' ' ? i + 2 : i + 1; /* the next part's number */
    if (b == 0x5E74) /* 年, then 2月 */
        return n < len && digits_then(text, len, n, 0x6708, 0x6708);
    if (b == 0x6708) /* 月: after 年, or before 20日 */
        return before == 0x5E74 || (n < len && digits_then(text, len, n, 0x65E5, 0x53F7));
    if (b == 0x65E5 || b == 0x53F7) /* 日, 号: after 2月 */
        return before == 0x6708;
    return 0;
}

/* A company's legal form after its name and a comma or period (Co., Ltd.; Acme, Inc.): part of
 * the name, tied to it as a title is to a person's name (The TeXbook, ch. 14: ties keep the
 * parts of a name together). */
static int company_suffix_at(const uint32_t *text, size_t len, size_t i)
{
    static const char *const forms[] = {"Ltd.", "Ltd", "Inc.", "LLC", "GmbH", "plc", "Co."};
    for (size_t k = 0; k < sizeof forms / sizeof *forms; k++)
        if (word_at(text, len, i, forms[k]))
            return 1;
    return 0;
}

/* A figure word that multiplies the number before it (35 million): tied to it (keep_at), and
 * not hyphenated after it (find_hyphens: "RMB 3,142 mil-" / "lion", review 11) */
static int figure_word_at(const uint32_t *text, size_t len, size_t i)
{
    return word_at(text, len, i, "million") || word_at(text, len, i, "billion") ||
           word_at(text, len, i, "trillion") || word_at(text, len, i, "thousand");
}

/* An initial ending at text[end - 1]: a capital and its period, a word of its own (after a
 * space, a period -- J.R.R. -- an ideograph, or the text's start). A person's initials stay
 * with each other and with the surname (The Chicago Manual of Style, 17th ed., §10.12: a space
 * between initials, P. D. James; §6.121 and its Q&A on word division: the initials kept together
 * by a no-break space, best with the whole name), as The TeXbook ties "D.~E. Knuth" (ch. 14). A
 * first name and the initials after it may part (David | R. Thompson). */
static int initial_before(const uint32_t *text, size_t end)
{
    return end >= 2 && text[end - 1] == '.' && is_upper(text[end - 2]) &&
           (end == 2 || !is_ascii_alnum(text[end - 3]));
}

/* A tick box (U+25A1 WHITE SQUARE, U+25A0 BLACK SQUARE, U+2610-2612 BALLOT BOX, with check,
 * with X): a form's box labels the word after it ("Please tick: \u25A1 read"), and a line that
 * ends with the box leaves its label to the next (review 12 C4). */
static int is_tick_box(uint32_t c)
{
    return c == 0x25A1 || c == 0x25A0 || c == 0x2610 || c == 0x2611 || c == 0x2612;
}

/* A qualifier of the unit before it, written after a space: "60-90 g a.i./ha" (grams of active
 * ingredient), "2 kg a.e." (acid equivalent), the way a pesticide's label gives a rate (FAO/WHO
 * Manual on the development and use of pesticide specifications, 2016, units): the unit and its
 * qualifier are one symbol, tied to its number's unit (SI Brochure 9th ed., §5.4.3). */
static int unit_qualifier_at(const uint32_t *text, size_t len, size_t i, size_t p)
{
    if (!word_at(text, len, i, "a.i.") && !word_at(text, len, i, "a.e."))
        return 0;
    size_t s = p + 1; /* the word before the space: a unit after a number and a space */
    while (s > 0 && is_unit_letter(text[s - 1]))
        s--;
    return s < p + 1 && s >= 2 && text[s - 1] == ' ' && is_digit(text[s - 2]) &&
           unit_word_at(text, len, s);
}

static int keep_at(const uint32_t *text, size_t len, size_t i)
{
    if (i < 1 || i >= len)
        return 0;
    uint32_t b = text[i];
    size_t p = before_space(text, i);
    if (p == SIZE_MAX)
        return 0;
    uint32_t a = text[p];
    int spaced = p + 1 < i;
    if (is_digit(b)) {
        if (spaced && is_digit(a))
            return 1; /* 571 8765 */
        if (spaced && a == ')' && p >= 1 && is_digit(text[p - 1]))
            return 1; /* (02) 2720 */
        if (!spaced && (a == 0x2014 || a == 0x2015 || a == 0xFF5E || a == 0x301C || a == 0x2012) &&
            p >= 1 && is_digit(text[p - 1]))
            return 1; /* 2029—2030, 4～6 */
        if (is_relation(a))
            return 1; /* < 1/10,000, ≥ 5 */
        if (a == CP_PLUS_MINUS)
            return 1; /* 85.1 ± | 6.2 */
        if ((a == 0x6A5F || a == 0x673A) && p >= 1 && text[p - 1] == 0x5206)
            return 1; /* 分機|1234 */
        if (a == 0x8F49 || a == 0x8F6C)
            return 1; /* 轉|56: Taiwan's extension */
        if (a == 0x5E63 || a == 0x5E01)
            return 1; /* 新臺幣|3,500, 人民币|1.2 */
        size_t q = p >= 1 && text[p - 1] == ' ' ? p - 1 : p; /* 2026 年 2 月 */
        if (a == 0x5E74 && q >= 1 && is_digit(text[q - 1]) && digits_then(text, len, i, 0x6708, 0x6708))
            return 1; /* 2027年|1月 */
        if (a == 0x6708 && q >= 1 && is_digit(text[q - 1]) && digits_then(text, len, i, 0x65E5, 0x53F7))
            return 1; /* 4月|15日, 3月|18号 */
        if (spaced && (word_before_is(text, p + 1, "ext.") || word_before_is(text, p + 1, "Ext.")))
            return 1; /* ext. 1234 */
        if (spaced && pb_uchar_is_ascii_letter(a)) {
            size_t s = p + 1;
            while (s > 0 && pb_uchar_is_ascii_letter(text[s - 1]))
                s--;
            if (s > 0 && (is_ascii_alnum(text[s - 1]) || text[s - 1] == '.'))
                return 0;
            if (product_or_code_word(text, s, p + 1))
                return 1; /* iOS 15.0, RMB 120 */
            if (p + 1 - s >= 2 && text[s] >= 'A' && text[s] <= 'Z' &&
                dotted_number_at(text, len, i))
                return 1; /* App 3.2.1 */
        }
        return 0;
    }
    if (spaced && a == '.' && pb_uchar_is_ascii_letter(b) && title_before(text, p + 1, 0))
        return 1; /* Dr. Sarah Thompson */
    if (spaced && is_upper(b) && title_before(text, p + 1, 1))
        return 1; /* Mr Chan Tai-man, Sister Agnes */
    if (spaced && is_upper(b) && initial_before(text, p + 1))
        return 1; /* J. | R. R. | Tolkien, David R. | Thompson */
    if (is_tick_box(a) && !is_tick_box(b))
        return 1; /* Please tick: \u25A1 | read, \u25A1|已阅读 */
    if (spaced && unit_qualifier_at(text, len, i, p))
        return 1; /* 60-90 g | a.i./ha */
    if (spaced && (a == ',' || a == '.') && company_suffix_at(text, len, i))
        return 1; /* Beichen Information Co., Ltd. */
    if (inside_currency_name(text, len, i))
        return 1; /* 新臺|幣3,500 */
    if (is_relation(b) && (is_ascii_alnum(a) || a == ')' || a == '%'))
        return 1; /* p | > 0.05: a relation and its left operand */
    if (b == CP_PLUS_MINUS && (is_digit(a) || a == '%' || a == 0xFF05 || a == 0x2030))
        return 1; /* 86.4% | ± 2.1%: a value and its uncertainty */
    if ((a == ')' || a == 0xFF09) && p >= 1 && is_digit(text[p - 1]) && unit_word_at(text, len, i))
        return 1; /* (142±27) | pg/mL: the unit of the bracketed value */
    if (a == 0x5206 && (b == 0x6A5F || b == 0x673A) && p >= 1 && is_digit(text[p - 1]))
        return 1; /* 8889分|機: 分 is a unit after a number (is_unit), 分機 a word */
    if (!is_digit(a) && !(a == ')' && p >= 1 && is_digit(text[p - 1])))
        return 0;
    /* after a number (8889|分機 is kept already: 分 is a unit, is_unit) */
    if (b == 0x8F49 || b == 0x8F6C)
        return 1; /* 1234|轉56 */
    if (spaced && (word_at(text, len, i, "ext.") || word_at(text, len, i, "Ext.")))
        return 1; /* 8889 ext. */
    if (spaced && is_digit(a) && figure_word_at(text, len, i))
        return 1; /* 35 million */
    return 0;
}

/* Inside a number written without spaces, where a typesetter breaks it when nothing else will
 * do, as keep_at() ties the groups of one written with spaces (ITU-T E.123): after the hyphen
 * between two digit groups (2345-|6789, the hyphen ending the line) and after an area code in
 * parentheses ((02)|2345). UAX #14 never breaks there (LB25 HY × NU, LB30 CP × NU), so a
 * telephone number was one piece of 7.6 ems, and a line before it was letter-spaced to 1.45 em
 * a character. A tie: KEEP_PENALTY. */
static int number_group_at(const uint32_t *text, size_t i)
{
    if (i < 2 || !is_digit(text[i]) || !is_digit(text[i - 2]))
        return 0;
    if (text[i - 1] == '-')
        return 1;
    if (text[i - 1] != ')')
        return 0;
    size_t k = i - 2;
    while (k > 0 && is_digit(text[k - 1]))
        k--;
    return k > 0 && text[k - 1] == '(';
}

/* bsearch order of code points */
static int by_code_point(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Units and counters after a number (clreq #h-digits_and_their_prefix_and_suffix, 2024-03-21):
 * ° and ℃ stay with it, an ideograph is tied to it (BRK_UNIT, find_breaks()), and a unit of two
 * such characters stays whole (unit_after_number()). */
static int is_unit(uint32_t c)
{
    /* 年月日時时分秒 個个元萬万億亿千百次度 ° ℃; counted things: 名人位件張张頁页歲岁號号屆届
     * 條条章項项週周天倍層层樓楼期座家種种台臺輛辆冊册本篇場场點点; measures: 公(分/尺/里/斤/頃)
     * 米克毫釐厘噸吨升 (in code point order: searched for every character of a paragraph) */
    static const uint32_t set[] = {
        0x00B0, 0x2103, 0x4E07, 0x4E2A, 0x4EBA, 0x4EBF, 0x4EF6, 0x4F4D, 0x500B, 0x500D, 0x5104,
        0x5143, 0x514B, 0x516C, 0x518A, 0x518C, 0x5206, 0x5343, 0x5347, 0x5398, 0x53F0, 0x53F7,
        0x540D, 0x5428, 0x5468, 0x5678, 0x573A, 0x5834, 0x5929, 0x5BB6, 0x5C42, 0x5C46, 0x5C4A,
        0x5C64, 0x5C81, 0x5E74, 0x5EA6, 0x5EA7, 0x5F20, 0x5F35, 0x65E5, 0x65F6, 0x6642, 0x6708,
        0x671F, 0x672C, 0x6761, 0x689D, 0x697C, 0x6A13, 0x6B21, 0x6B72, 0x6BEB, 0x70B9, 0x767E,
        0x79CD, 0x79D2, 0x7A2E, 0x7AE0, 0x7BC7, 0x7C73, 0x81FA, 0x842C, 0x865F, 0x8F1B, 0x8F86,
        0x9031, 0x91D0, 0x9801, 0x9805, 0x9875, 0x9879, 0x9EDE};
    if (c < set[0])
        return 0; /* ASCII and Latin text: the bulk of a paragraph */
    return bsearch(&c, set, sizeof set / sizeof set[0], sizeof set[0], by_code_point) != NULL;
}

/* A unit of two characters whose first is no unit alone (小时 hours, 分钟 minutes: 小 and 钟
 * are no units, 3小组 is no quantity): at text[i], the characters it takes, else 0. After a
 * number it is tied as one character of is_unit() is, and stays whole. */
static size_t han_unit_word_at(const uint32_t *text, size_t len, size_t i)
{
    static const char *const words[] = {"小时", "小時", "分钟", "分鐘", "平方米", "平方公里",
                                        "平方公尺", "平方千米", "立方米", "立方公尺"};
    for (size_t k = 0; k < sizeof words / sizeof *words; k++) {
        size_t n = starts_with(text, len, i, words[k]);
        if (n)
            return n;
    }
    return 0;
}

/* A multiplier of a number (12.6亿, 3萬): the Han unit after it is the number's (亿|平方米). */
static int is_multiplier(uint32_t c) { return c == 0x4EBF || c == 0x5104 || c == 0x4E07 || c == 0x842C; }

/* The break before text[i] falls inside a Han unit word (han_unit_word_at) that follows a
 * number or a number's multiplier: 24小|时, 12.6亿平|方米. */
static int inside_han_unit(const uint32_t *text, size_t len, size_t i)
{
    for (size_t s = i - 1; s >= 1 && s + 4 > i; s--) {
        /* the number first: the words are looked up only after one (every break asks) */
        if (!is_digit(text[s - 1]) && !(is_multiplier(text[s - 1]) && s >= 2 && is_digit(text[s - 2])))
            continue;
        size_t n = han_unit_word_at(text, len, s);
        if (n && s + n > i)
            return 1;
    }
    return 0;
}

/* The number ending before text[i] is the second term of a product or a range written without
 * spaces (7×24, 4～6, 3〜5): its unit after it (7×24|小时, 4～6|小時) belongs to the whole
 * expression, and a break there is a tie a typesetter reports (BRK_KEEP), where a lone
 * number's unit is a lighter one (BRK_UNIT). */
static int second_term_before(const uint32_t *text, size_t i)
{
    size_t j = i;
    while (j > 0 && (is_digit(text[j - 1]) || text[j - 1] == '.'))
        j--;
    return j >= 2 && j < i && (text[j - 1] == 0x00D7 || text[j - 1] == 0xFF5E || text[j - 1] == 0x301C) &&
           is_digit(text[j - 2]);
}

/* text[k] is a unit character that follows a number, directly or after other unit characters */
static int unit_after_number(const uint32_t *text, size_t k)
{
    while (k > 0 && is_unit(text[k]))
        k--;
    return is_digit(text[k]);
}


/* ¼ em glue goes between an ideograph and a Latin letter or digit (never beside punctuation). */
/* A superscript or subscript digit (10¹⁵, m², CO₂): Common script, but its number's or
 * word's. */
static int is_script_digit(uint32_t c)
{
    return c == 0x00B2 || c == 0x00B3 || c == 0x00B9 || (c >= 0x2070 && c <= 0x2079) ||
           (c >= 0x2080 && c <= 0x2089);
}

static int han_latin_pair(uint32_t a, uint32_t b)
{
    /* a percent sign ends its number: 82% 用於 takes the gap 2030 年 takes; so does an
     * exponent: 10¹⁵ 次, 80 g/m² 紙 */
    int west_a = is_ascii_alnum(a) || pb_itemize_is_western(a) || a == '%' || a == 0x2030 ||
                 is_script_digit(a);
    return (pb_uchar_is_han(a) && (is_ascii_alnum(b) || pb_itemize_is_western(b))) ||
           (west_a && pb_uchar_is_han(b));
}

/* The superscript digits ending at text[at] mark a note, not an exponent: nothing Western stands
 * before them (¹國立…, 見註¹與), where 10¹⁵ and m² follow their number or unit. The Han-Latin
 * gap sets a Western word or number off from Han (clreq
 * #mixed_text_composition_in_horizontal_writing_mode, 2024-03-21); a note mark is neither, and
 * stands solid against what it marks, as its English twin does (¹Department). */
static int note_superscript(const uint32_t *text, size_t at)
{
    size_t k = at + 1;
    while (k > 0 && is_script_digit(text[k - 1]))
        k--;
    return k == 0 || !(is_ascii_alnum(text[k - 1]) || pb_itemize_is_western(text[k - 1]));
}

/* A note mark after ； or ， in a text that opens with one (an abstract's affiliations:
 * "¹國立臺灣大學…，臺灣；²國立陽明…") opens the next item, as corpus.c reads it (note_holds()),
 * rather than marks the clause before ("决定。¹"): a line may break before it. */
static int mark_opens_item(const uint32_t *text, uint32_t before)
{
    return (before == 0xFF1Bu /* ； */ || before == 0xFF0Cu /* ， */) &&
           pb_corpus_is_note_mark(text[0]);
}

/* text[i] is a minus sign that opens a number (可在-2℃, 至−5℃): a hyphen-minus or U+2212 MINUS
 * SIGN before a digit, not after a number or its unit, where a hyphen is a range's (10日-12日,
 * 2345-6789). It takes the number's Han-Latin gap as + and $ do (pb_itemize_signs_number). */
#define CP_MINUS 0x2212u
static int minus_opens_number(const uint32_t *text, size_t len, size_t i)
{
    if (i + 1 >= len || (text[i] != '-' && text[i] != CP_MINUS) || !(text[i + 1] >= '0' && text[i + 1] <= '9'))
        return 0;
    return i == 0 || !(is_digit(text[i - 1]) || (is_unit(text[i - 1]) && unit_after_number(text, i - 1)));
}

static int is_space(uint32_t c)
{
    return c == ' ' || c == '\t' || c == 0x3000 || c == 0x00A0 || c == PB_UCHAR_FIELD_GAP;
}

/* brk[] value: a tie (given way only as the last resort), and what it costs */
static int is_tie(int can) { return can == BRK_KEEP || can == BRK_UNIT || can == BRK_DATE_UNIT; }
static int tie_penalty(int can)
{
    return can == BRK_UNIT ? UNIT_TIE_PENALTY : can == BRK_DATE_UNIT ? DATE_UNIT_PENALTY : KEEP_PENALTY;
}

static int in_url(const uint8_t *marks, size_t i) { return marks && (marks[i] & PB_MARK_URL); }

/* Inside a URL, the break between text[i-1] and text[i] (The Chicago Manual of Style, 17th ed.,
 * §6.17 and its Q&A on URLs: after a colon or a double slash; before a tilde, a hyphen, an
 * underline or a number sign (an @ here at a hyphen's cost: "e-mail enquiries" ending a line
 * reads as prose); before or after an equals sign or an ampersand; so that a
 * line never ends with a hyphen that could be read as a hyphenation's). A single slash: after
 * it (Chicago's Q&A: "breaking after a slash is preferable"; url.sty's \UrlBreaks; clreq
 * #prohibition_rules_for_line_start_end, 2024-03-21, keeps a solidus from a line's start), and
 * before it (Chicago §6.17) only where that fits better, so that "api/|v2" reads alike in both
 * languages. A period: before it (Chicago §6.17: the period goes to the next line, where it
 * cannot be read as the end of a sentence), as a second choice; after it only at a hyphen's
 * cost. The period of a URL is a letter of a Western word, not the Chinese full stop
 * (U+3002, U+FF0E) that clreq keeps from a line's start (clreq
 * #handling_western_text_in_chinese_text_using_proportional_western_fonts): one rule for both
 * languages. A question mark: before it, as a period's second choice (Chicago §6.17; a query
 * "catalogue?lang" was one piece of 7 ems, and its Chinese line was letter-spaced to 2 em,
 * review 7). Chicago's breaks before a comma or percent sign are left out. No break leaves
 * fewer than URL_SHORT_HEAD characters of an address without a scheme on the line but as the
 * last resort ("ta / .poetry@…" read as a word, review 7).
 * BRK_URL at the points, BRK_URL_SLASH_BEFORE before a single slash, BRK_URL_DOT before an
 * inner period and right after "scheme://", BRK_URL_AFTER_DOT after an inner period,
 * BRK_URL_LAST between two letters or digits, 0 elsewhere and inside "scheme://" (a line never
 * ends with "https:/"). */
static int url_break_at(const uint32_t *text, size_t len, const uint8_t *marks, size_t i)
{
    if (i < 1 || !in_url(marks, i - 1) || !in_url(marks, i))
        return 0;
    uint32_t a = text[i - 1], b = text[i];
    int after2 = i >= 2 && a == '/' && text[i - 2] == '/' && b != '/';
    int good = after2 || (a == ':' && b != '/') || (strchr("~-_#@", (int)b) && a != b) ||
               (a == '/' && b != '/') || strchr("=&", (int)a) || strchr("=&", (int)b);
    int second = (b == '.' || b == '/' || b == '?') && is_ascii_alnum(a) && i + 1 < len &&
                 in_url(marks, i + 1) && is_ascii_alnum(text[i + 1]); /* before . / or ? */
    int after_dot = a == '.' && is_ascii_alnum(b) && i >= 2 && is_ascii_alnum(text[i - 2]);
    int last = is_ascii_alnum(a) && is_ascii_alnum(b);
    if (!good && !second && !after_dot && !last)
        return 0;
    size_t s = i;
    while (s > 0 && in_url(marks, s - 1))
        s--;
    /* the URL's "scheme:" and the slashes after it; its host starts after them */
    size_t k = s, host = s;
    while (k < len && in_url(marks, k) &&
           (pb_uchar_is_ascii_letter(text[k]) || (k > s && strchr("0123456789+.-", (int)text[k]))))
        k++;
    if (k > s && k < len && in_url(marks, k) && text[k] == ':') {
        k++;
        while (k < len && in_url(marks, k) && text[k] == '/')
            k++;
        host = k;
        if (i < k)
            return 0; /* the break would fall inside "scheme://" */
        if (i == k)
            return BRK_URL_DOT; /* right after it (Chicago's double slash), at the dearer cost:
                                 * the scheme alone says nothing of where the address goes */
    } else if (i - s < URL_SHORT_HEAD) {
        return BRK_URL_LAST; /* ta|.poetry@, li|@: a head that reads as a word */
    }
    if (b == '@')
        return BRK_URL_SHORT_TAIL; /* enquiries|@fehd.gov.hk: "e-mail enquiries" ending a line
                                    * reads as prose, not as an address (review 11): a hyphen's
                                    * cost, and told as a break in the host is */
    /* in an e-mail address's domain or a URL's host a hyphen breaks at a period's cost:
     * "service@xj" or "www.deepblue" ending a line reads as a whole address (reviews 8 and 9),
     * where ".example.cn" starting one cannot; in a path it is a Chicago point */
    if (good && b == '-') {
        size_t at = s;
        while (at < i && text[at] != '@')
            at++;
        size_t path = host;
        while (path < i && !(text[path] < 0x80 && strchr("/?#", (int)text[path])))
            path++;
        if (at < i || path == i)
            return BRK_URL_DOT;
    }
    if (good)
        return BRK_URL;
    /* a last label of a host or a file's extension is not left alone on a line (.cn, .org,
     * .pdf) but at a hyphen's cost: what follows the period up to the end of its name is too
     * little to read as the address's continuation (a second review's "service@press.example
     * / .cn") */
    if ((second && b == '.') || after_dot) {
        size_t e = i;
        while (e < len && in_url(marks, e) && (is_ascii_alnum(text[e]) || text[e] == '-' ||
                                               (e == i && text[e] == '.')))
            e++;
        if (e - i <= URL_SHORT_TAIL - (after_dot ? 1 : 0) && (e == len || !in_url(marks, e) ||
                                                             text[e] != '.'))
            return after_dot ? BRK_URL_LAST : BRK_URL_SHORT_TAIL; /* example.|cn never */
    }
    if (second)
        return b == '/' ? BRK_URL_SLASH_BEFORE : BRK_URL_DOT;
    return after_dot ? BRK_URL_AFTER_DOT : BRK_URL_LAST;
}

/* Whether a break before text[i], inside an address, leaves on the line what reads as a whole
 * address (pb_node.host): inside an e-mail address's domain after its first character
 * (service@xj | -appliance.cn; not before its @: lin.xiaolan | @humanities is no address), or
 * inside a URL's host after a period and a label (www.deepblue | -ocean.cn; not www. |
 * deepblue), or after a host's first label but www (https://lms | .example.edu.cn,
 * https://data.sh | .gov.cn, a bare address's press | .lanyue-energy.com.cn; not https://www |
 * .example). A reader types what ends the line
 * and reaches another host; a break after the scheme's // or in the path (www.example.org |
 * /path) keeps the host whole. */
static int url_host_break(const uint32_t *text, size_t len, const uint8_t *marks, size_t i)
{
    size_t s = i, e = i;
    while (s > 0 && in_url(marks, s - 1))
        s--;
    while (e < len && in_url(marks, e))
        e++;
    size_t at = s;
    while (at < e && text[at] != '@')
        at++;
    if (at < e) /* an e-mail address */
        return i > at + 1;
    size_t h = s; /* the host starts after "scheme://" */
    for (size_t k = s; k + 2 < i; k++)
        if (text[k] == ':' && text[k + 1] == '/' && text[k + 2] == '/') {
            h = k + 3;
            break;
        }
    int dot = 0;
    for (size_t k = h; k < i; k++) {
        if (text[k] < 0x80 && strchr("/?#:", (int)text[k]))
            return 0; /* the break is past the host */
        dot |= text[k] == '.' && k + 1 < i; /* www.deepblue, not www. */
    }
    /* a host's first label: https://lms, press (a bare address, press.lanyue-energy.com.cn),
     * not https://www nor www. */
    size_t label = i > h ? i - h - (text[i - 1] == '.') : 0;
    if (!dot && label > 0 &&
        !(label == 3 && (text[h] | 0x20) == 'w' && (text[h + 1] | 0x20) == 'w' &&
          (text[h + 2] | 0x20) == 'w'))
        dot = 1;
    return dot && i < len && in_url(marks, i) && !(text[i] < 0x80 && strchr("/?#:", (int)text[i]));
}

static int is_code_char(uint32_t c) { return pb_uchar_is_ascii_letter(c) || (c >= '0' && c <= '9'); }

/* The last-resort cuts inside codes (CODE_CUT_MIN): an unbreakable run of ASCII letters and
 * digits outside URLs, with a digit or in capitals only, may be cut between any two of its
 * characters, with no hyphen. */
static void code_cuts(pb_breaker *br, const uint32_t *text, size_t len, const uint8_t *marks)
{
    size_t i = 0;
    while (i < len) {
        if (!is_code_char(text[i]) || in_url(marks, i)) {
            i++;
            continue;
        }
        size_t j = i;
        int digit = 0, lower = 0;
        while (j < len && is_code_char(text[j]) && !in_url(marks, j)) {
            digit |= text[j] >= '0' && text[j] <= '9';
            lower |= text[j] >= 'a' && text[j] <= 'z';
            j++;
        }
        if (j - i >= CODE_CUT_MIN && (digit || !lower))
            for (size_t k = i + 1; k < j; k++)
                if (!br->brk[k])
                    br->brk[k] = BRK_CODE_CUT;
        i = j;
    }
}

/* text as UTF-16 into br->u16 (grown), each unit's code point index in br->u16_to_cp (and len
 * after the last); the number of units, or (size_t)-1 when out of memory (said). */
static size_t to_utf16(pb_breaker *br, const uint32_t *text, size_t len)
{
    if (2 * len + 1 > br->u16_cap) {
        size_t cap = 2 * len + 1;
        UChar *u = realloc(br->u16, cap * sizeof *u);
        if (!u)
            return pb_diag_oom("finding line breaks"), (size_t)-1;
        br->u16 = u;
        uint32_t *m = realloc(br->u16_to_cp, cap * sizeof *m);
        if (!m)
            return pb_diag_oom("finding line breaks"), (size_t)-1;
        br->u16_to_cp = m;
        br->u16_cap = cap;
    }
    size_t n16 = 0;
    for (size_t i = 0; i < len; i++) {
        uint16_t u[2];
        for (size_t k = 0, nu = pb_uchar_utf16(text[i], u); k < nu; k++) {
            br->u16[n16] = (UChar)u[k];
            br->u16_to_cp[n16++] = (uint32_t)i;
        }
    }
    br->u16_to_cp[n16] = (uint32_t)len;
    return n16;
}

pb_status pb_nodes_word_bounds(pb_breaker *br, const uint32_t *text, size_t len, uint8_t *bound)
{
    UErrorCode e = U_ZERO_ERROR;
    if (!br->wbi) {
        br->wbi = ubrk_open(UBRK_WORD, "zh", NULL, 0, &e);
        if (U_FAILURE(e)) {
            br->wbi = NULL;
            pb_diag_syserr("ICU word breaker: %s", u_errorName(e));
            return PB_ESYSTEM;
        }
    }
    size_t n16 = to_utf16(br, text, len);
    if (n16 == (size_t)-1)
        return PB_ESYSTEM;
    memset(bound, 0, len + 1);
    ubrk_setText(br->wbi, br->u16, (int32_t)n16, &e);
    if (U_SUCCESS(e))
        for (int32_t p = ubrk_first(br->wbi); p != UBRK_DONE; p = ubrk_next(br->wbi))
            if (p >= 0 && (size_t)p <= n16)
                bound[br->u16_to_cp[p]] = 1;
    ubrk_setText(br->wbi, NULL, 0, &(UErrorCode){U_ZERO_ERROR});
    if (U_FAILURE(e)) {
        pb_diag_syserr("ICU word breaker: %s", u_errorName(e));
        return PB_ESYSTEM;
    }
    return PB_OK;
}

static pb_status find_breaks(pb_breaker *br, const uint32_t *text, size_t len,
                             const uint8_t *marks)
{
    if (len + 1 > br->cp_cap) {
        uint8_t *b = realloc(br->brk, len + 1);
        if (!b)
            return pb_diag_oom("finding line breaks");
        br->brk = b;
        uint8_t *h = realloc(br->hyph, len + 1);
        if (!h)
            return pb_diag_oom("finding line breaks");
        br->hyph = h;
        br->cp_cap = len + 1;
    }
    size_t n16 = to_utf16(br, text, len);
    if (n16 == (size_t)-1)
        return PB_ESYSTEM;
    memset(br->brk, 0, len + 1);
    UErrorCode e = U_ZERO_ERROR;
    ubrk_setText(br->bi, br->u16, (int32_t)n16, &e);
    if (U_FAILURE(e)) {
        pb_diag_syserr("ICU line breaker: %s", u_errorName(e));
        return PB_ESYSTEM;
    }
    for (int32_t p = ubrk_first(br->bi); p != UBRK_DONE; p = ubrk_next(br->bi))
        if (p > 0 && (size_t)p < n16)
            br->brk[br->u16_to_cp[p]] = 1;
    /* clreq #prohibition_rules_for_line_start_end on top of UAX #14 */
    for (size_t i = 1; i < len; i++) {
        uint32_t a = text[i - 1], b = text[i];
        if (pb_nodes_is_line_start_prohibited(b) || pb_nodes_is_line_end_prohibited(a))
            br->brk[i] = 0;
        if ((a == 0x2014 && b == 0x2014) || (a == 0x2026 && b == 0x2026))
            br->brk[i] = 0; /* —— and …… never split */
        if (is_digit(a) && is_digit(b))
            br->brk[i] = 0;
        if ((is_digit(a) || (a == ' ' && i >= 2 && is_digit(text[i - 2]))) &&
            (is_unit(b) || han_unit_word_at(text, len, i)))
            br->brk[i] = !br->brk[i] || !pb_uchar_is_han(b) ? 0
                         : date_unit_at(text, len, i)        ? BRK_DATE_UNIT
                         : second_term_before(text, i)       ? BRK_KEEP /* 7×24|小时 */
                                                             : BRK_UNIT; /* 15.8|公分, 2月20|日 */
        if (inside_han_unit(text, len, i))
            br->brk[i] = 0; /* 24小|时, 5分|钟, 亿平|方米: the unit stays whole */
        if (is_multiplier(a) && unit_after_number(text, i - 1) && han_unit_word_at(text, len, i))
            br->brk[i] = 0; /* 12.6亿|平方米: the multiplier and the unit are the number's */
        if (is_unit(a) && is_unit(b) && unit_after_number(text, i - 1))
            br->brk[i] = 0; /* 48.6億|元, 142公|分: a unit of two characters stays whole */
        if (a == CP_SHY)
            br->brk[i] = 0; /* UAX #14 breaks after it (class BA); here it is a hyphenation
                             * point with a hyphen (find_hyphens) */
        if (a == 0x7B2C && is_digit(b))
            br->brk[i] = 0; /* 第 and its number */
        if (a == 0x2013 && i >= 2 && is_digit(text[i - 2]) &&
            (is_digit(b) || pb_itemize_signs_number(text, len, i)))
            br->brk[i] = 0; /* a range of numbers, 1368–1911, 09:00–10:30, ¥4,100–¥4,500 */
        if ((is_digit(a) && b == CP_FULLWIDTH_SOLIDUS) ||
            (a == CP_FULLWIDTH_SOLIDUS && i >= 2 && is_digit(text[i - 2])))
            br->brk[i] = 0; /* 3／4, 120／150: two figures read as one, as 120/150 */
        if (a == CP_FULLWIDTH_SOLIDUS && i >= 2 && is_digit(text[i - 2]) && i < len &&
            !is_digit(b) && !pb_uchar_is_han(b) && !pb_nodes_is_line_start_prohibited(b))
            br->brk[i] = BRK_KEEP; /* NT$1,280／|HK$328: two amounts, each whole, part after
                                    * the solidus as a tie rather than letter-space two lines
                                    * (review 10 B2; a line does not start with ／, clreq
                                    * #prohibition_rules_for_line_start_end) */
        if (a == ' ' && (b == 0x2013 || b == 0x2014) && i + 1 < len && text[i + 1] == ' ' && i >= 2 &&
            !is_space(text[i - 2]))
            br->brk[i] = 0; /* good | – as: a spaced dash stays with the word before it */
        if (b == 0x00D7 || a == 0x00D7)
            br->brk[i] = 0; /* 175 × 66.7: a dimension breaks after its sign's space only */
        if (a == ' ' && i >= 2 && text[i - 2] == 0x00D7)
            br->brk[i] = BRK_BINOP;
        if (a == ' ' && i >= 2 && (is_digit(text[i - 2]) && unit_word_at(text, len, i)))
            br->brk[i] = 0; /* 23.5 cm, 9 a.m. */
        if (a == ' ' && i >= 2 && is_digit(text[i - 2]) && br->brk[i]) {
            int kind = unit_symbol_kind(text, len, i);
            if (kind == UNIT_SURE)
                br->brk[i] = 0; /* 1,250 ppm, 210 mAh, 10 Gbps */
            else if (kind == UNIT_LIKELY && !label_number_before(text, i - 1) &&
                     !capital_word_after(text, len, i))
                br->brk[i] = BRK_KEEP; /* 20 A, 77 K, 2 bar: a tie, reported when broken */
        }
        if (compound_unit_slash(text, len, i))
            br->brk[i] = 0; /* 40 mg/|kg */
        if (floor_slash(text, len, i))
            br->brk[i] = 0; /* 2/|F, UG/|F */
        if (a == ' ' && is_digit(b) && number_prefix_before(text, i - 1))
            br->brk[i] = 0; /* p. 5, No. 12, § 3 */
        if ((a == '-' || a == 0x2010) && short_hyphen_part(text, len, i))
            br->brk[i] = 0; /* e-|ticket, X-|ray: too little on one side of the hyphen */
        if (br->brk[i] == 1 && keep_at(text, len, i))
            br->brk[i] = BRK_KEEP;
        if (number_group_at(text, i))
            br->brk[i] = BRK_KEEP; /* 2345-|6789, (02)|2345 */
        size_t rel = before_space(text, i);
        if (is_digit(b) && rel != SIZE_MAX && rel >= 1 && is_relation(text[rel]) &&
            pb_nodes_is_line_end_prohibited(text[rel - 1]))
            br->brk[i] = 0; /* (< 1/10,000): "(<" never ends a line */
        if (in_url(marks, i - 1) && in_url(marks, i))
            br->brk[i] = (uint8_t)url_break_at(text, len, marks, i);
    }
    code_cuts(br, text, len, marks);
    return PB_OK;
}


/* The other character a run may be cut at (run_cuts): visible, no space, no ideograph and no
 * CJK mark, and, past U+1FFF, a letter or digit only: the dashes and leaders clreq keeps whole
 * (——, ……, #prohibition_rules_for_line_start_and_end) are not cut. */
static int run_char(uint32_t c)
{
    if (c <= ' ' || is_space(c) || pb_uchar_is_han(c) || pb_uchar_is_cjk_punct(c) ||
        pb_uchar_is_invisible(c))
        return 0;
    return c < 0x2000u || u_isalnum((UChar32)c);
}

/* Does c continue the grapheme cluster before it (UAX #29: a combining mark, Extend, ZWJ or
 * SpacingMark)? A cut never parts a letter from its marks. */
static int run_continues(uint32_t c)
{
    if (c < 0x0300u)
        return 0;
    int gcb = u_getIntPropertyValue((UChar32)c, UCHAR_GRAPHEME_CLUSTER_BREAK);
    return u_getCombiningClass((UChar32)c) != 0 || gcb == U_GCB_EXTEND || gcb == U_GCB_ZWJ ||
           gcb == U_GCB_SPACING_MARK;
}

/* The last-resort cuts inside any other run no break may fall in (10 001 brackets, a word of
 * accented letters the patterns do not read, a row of symbols), at least CODE_CUT_MIN long:
 * README promises that nothing wider than the line is set off the page. Between any two of
 * its grapheme clusters, no hyphen, as in a code (BRK_CODE_CUT: legal only where the piece is
 * wider than the line, linebreak.c mark_pieces); never at a hyphenation point, and not in a
 * run of ASCII letters alone, a word, which find_hyphens() hyphenates or cuts (HYPH_CUT).
 * After find_hyphens(). */
static void run_cuts(pb_breaker *br, const uint32_t *text, size_t len, const uint8_t *marks)
{
    size_t i = 0;
    while (i < len) {
        if (!run_char(text[i]) || in_url(marks, i)) {
            i++;
            continue;
        }
        size_t j = i + 1;
        int word = pb_uchar_is_ascii_letter(text[i]);
        while (j < len && !br->brk[j] && (run_char(text[j]) || run_continues(text[j])) &&
               !in_url(marks, j)) {
            word &= pb_uchar_is_ascii_letter(text[j]);
            j++;
        }
        if (j - i >= CODE_CUT_MIN && !word)
            for (size_t k = i + 1; k < j; k++)
                if (!br->hyph[k] && !run_continues(text[k]))
                    br->brk[k] = BRK_CODE_CUT;
        i = j;
    }
}

/* Hyphenation points: after each U+00AD SOFT HYPHEN, and Liang's (libhyphen) in every plain
 * ASCII word without one. The author's soft hyphens are the word's only points (CSS Text 3,
 * hyphens: automatic opportunities are ignored in a word that has a soft hyphen). A default
 * ignorable inside a word (a joiner) does not cut it in two. URLs are never hyphenated. In a
 * Chinese paragraph (zh) the parts of a compound are hyphenated too ("N-acetyl-cysteine", whose
 * "N-" leaves too little before its own hyphen to break there: short_hyphen_part): the
 * alternative there is Han letter-spaced, not a looser line of words. */
static void find_hyphens(pb_breaker *br, const uint32_t *text, size_t len, const uint8_t *marks,
                         int zh)
{
    memset(br->hyph, 0, len + 1);
    for (size_t i = 1; i < len; i++)
        if (text[i - 1] == CP_SHY && !is_space(text[i]) && !pb_uchar_is_default_ignorable(text[i]))
            br->hyph[i] = HYPH_SOFT;
    if (!br->hyph_path)
        return;
    size_t i = 0;
    while (i < len) {
        if (!pb_uchar_is_ascii_letter(text[i]) || in_url(marks, i)) {
            i++;
            continue;
        }
        size_t j = i, n = 0;
        int soft = 0;
        char word[HYPH_WORD_MAX];
        size_t at[HYPH_WORD_MAX]; /* text index of each letter */
        while (j < len && (pb_uchar_is_ascii_letter(text[j]) || pb_uchar_is_default_ignorable(text[j]))) {
            soft |= text[j] == CP_SHY;
            if (pb_uchar_is_ascii_letter(text[j])) {
                if (n < HYPH_WORD_MAX) {
                    word[n] = (char)(text[j] | 0x20);
                    at[n] = j;
                }
                n++;
            }
            j++;
        }
        while (j > i && !pb_uchar_is_ascii_letter(text[j - 1]))
            j--; /* ignorables after the last letter are not the word's */
        /* a word glued to digits or other letters (e.g. "AI+", "x2") is left whole, and so are,
         * in English text, the parts of a hyphenated compound: it breaks at its own hyphen only;
         * a figure word after a number (3,142 million) is not hyphenated */
        int plain = (i == 0 || (!pb_itemize_is_western(text[i - 1]) && (zh || text[i - 1] != '-'))) &&
                    (j == len || (!pb_itemize_is_western(text[j]) && (zh || text[j] != '-'))) &&
                    !(i >= 2 && text[i - 1] == ' ' && is_digit(text[i - 2]) &&
                      figure_word_at(text, len, i));
        if (plain && !soft && n > HYPH_WORD_MAX) {
            /* no dictionary word (the longest in the Oxford English Dictionary has 45
             * letters): cut anywhere, but only where the word is wider than the line */
            size_t seen = 0;
            for (size_t k = i; k < j; k++)
                if (pb_uchar_is_ascii_letter(text[k]) && seen++ >= HYPH_LEFT_MIN &&
                    n - seen + 1 >= HYPH_RIGHT_MIN)
                    br->hyph[k] = HYPH_CUT;
        }
        if (plain && !soft && n >= HYPH_WORD_MIN && n <= HYPH_WORD_MAX) {
            uint8_t points[HYPH_WORD_MAX];
            if (pb_hyphenate_word(br->hyph_path, word, n, HYPH_LEFT_MIN, HYPH_RIGHT_MIN, points))
                for (size_t k = 0; k + 1 < n; k++)
                    if (points[k])
                        br->hyph[at[k + 1]] = text[at[0]] >= 'A' && text[at[0]] <= 'Z'
                                                  ? HYPH_CAPITAL
                                                  : HYPH_PATTERN;
        }
        i = j;
    }
}

/* Full-width punctuation classes by where the blank part of the em sits. The font decides:
 * Noto Serif CJK TC (zh-Hant) centres , 。、;: while SC sets them at the left, and brackets
 * and quotes are half ink, half blank in both. */
enum { PUNCT_NONE = 0, PUNCT_OPEN, PUNCT_CLOSE, PUNCT_CENTER };

/* Marks whose blank part may be adjusted. clreq
 * #glyphs_sizes_and_positions_in_character_faces_of_punctuation_marks (2024-03-21), Traditional: ! and ?
 * stay a full em. */
static int adjustable_mark(uint32_t c)
{
    if (pb_nodes_is_line_end_prohibited(c) && c >= 0x2000)
        return 1; /* opening brackets and quotes */
    switch (c) {
    case 0x300D: case 0x300F: case 0xFF09: case 0x300B: case 0x3009: case 0x3011:
    case 0x3015: case 0x3017: case 0x3019: case 0x301B: case 0xFF5D: case 0xFF3D:
    case 0x201D: case 0x2019:                                     /* closing */
    case 0xFF0C: case 0x3002: case 0x3001: case 0xFF1B: case 0xFF1A: /* , 。、;: */
        return 1;
    default:
        return 0;
    }
}

/* A single full-width glyph standing for one adjustable mark, classed by its ink. */
static int full_width_mark(const pb_glyphs *gl, size_t i, const uint32_t *text, ink_entry *ink,
                           int *cls)
{
    const pb_glyph *g = &gl->g[i];
    *cls = PUNCT_NONE;
    if ((i > 0 && gl->g[i - 1].cluster == g->cluster) ||
        (i + 1 < gl->n && gl->g[i + 1].cluster == g->cluster))
        return 0;
    int32_t em = (int32_t)pb_font_get_upem(g->font);
    if (!adjustable_mark(text[g->cluster]) || g->x_advance != em)
        return 0;
    /* a slot by glyph and font: a face and its bold share glyph ids */
    ink_entry *e = &ink[(g->gid ^ (uint32_t)((uintptr_t)g->font >> 4)) % INK_CACHE];
    if (e->font != g->font || e->gid != g->gid) {
        *e = (ink_entry){g->font, g->gid, 0, 0};
        pb_font_get_ink(g->font, g->gid, &e->x0, &e->x1);
    }
    int32_t x0 = e->x0, x1 = e->x1;
    if (x1 <= x0)
        return 0;
    if (x0 >= em / 2)
        *cls = PUNCT_OPEN;
    else if (em - x1 >= em / 2)
        *cls = PUNCT_CLOSE;
    else
        *cls = PUNCT_CENTER;
    return 1;
}

/* Per glyph flags from adjust_punct(). */
#define PUNCT_KEEP_BLANK 1  /* an opening mark whose blank left half becomes glue before it */
#define PUNCT_BLANK_AFTER 2 /* a closing mark whose blank right half becomes glue after it */

#define PUNCT_CENTRED 4     /* a centred mark whose blank quarters become glue either side */

/* clreq #punctuation_width_adjustment (2024-03-21) / JIS X 4051:2004 §6 punctuation width adjustment, before breaking. A full-width
 * mark's box is its inked half only; its blank half is glue that may shrink to nothing, so a
 * line that must shrink (or would else be letter-spaced) takes it first: an opening mark's
 * left half (PB_GLUE_BLANK, dropped at a line start), a closing mark's right half or a centred
 * mark's two quarters (PB_GLUE_PUNCT; TC's ，。、；： keep their ink centred in what is left).
 * Two adjacent marks take 1.5 em from the start: half an em of blank between their inks goes,
 * but only where that much blank exists (a closing mark's right half, or an opening mark's left
 * half; a centred mark keeps its quarters, compressible). */
static void adjust_punct(const uint32_t *text, pb_glyphs *gl, uint8_t *flags, ink_entry *ink)
{
    int prev_cls = PUNCT_NONE;
    size_t prev = 0;
    for (size_t i = 0; i < gl->n; i++) {
        int cls;
        flags[i] = 0;
        if (!full_width_mark(gl, i, text, ink, &cls)) {
            prev_cls = PUNCT_NONE;
            continue;
        }
        int32_t half = (int32_t)pb_font_get_upem(gl->g[i].font) / 2;
        int adjacent = prev_cls != PUNCT_NONE && gl->g[prev].cluster + 1 == gl->g[i].cluster;
        /* an ideographic space typed before an opening mark is its blank already: "1.1　「系統」"
         * kept both, a hole of an em and a half */
        uint32_t cl = gl->g[i].cluster;
        int left_taken = cls == PUNCT_OPEN && cl > 0 && text[cl - 1] == CP_IDEO_SPACE;
        if (adjacent) {
            if (prev_cls == PUNCT_CLOSE)
                flags[prev] &= (uint8_t)~PUNCT_BLANK_AFTER; /* its blank half goes */
            else if (cls == PUNCT_OPEN)
                left_taken = 1;
        }
        /* the box keeps the inked part; the blank is glue (or gone) */
        gl->g[i].x_advance -= half;
        if (cls == PUNCT_OPEN) {
            gl->g[i].x_offset -= half;
            if (!left_taken)
                flags[i] |= PUNCT_KEEP_BLANK;
        } else if (cls == PUNCT_CLOSE) {
            flags[i] |= PUNCT_BLANK_AFTER;
        } else {
            gl->g[i].x_offset -= half / 2;
            flags[i] |= PUNCT_CENTRED;
        }
        prev_cls = cls;
        prev = i;
    }
}

static pb_node *push(pb_nodes *out)
{
    if (pb_util_grow(&out->v, &out->cap, out->n + 1, sizeof *out->v, NODES_FIRST))
        return NULL;
    pb_node *nd = &out->v[out->n++];
    memset(nd, 0, sizeof *nd);
    return nd;
}

#define PUSH(var)                                                                              \
    pb_node *var = push(out);                                                                  \
    if (!var)                                                                                  \
    return pb_diag_oom("finding line breaks")

static pb_status add_penalty(pb_nodes *out, int value)
{
    PUSH(p);
    p->kind = PB_NODE_PENALTY;
    p->penalty = value;
    return PB_OK;
}

static pb_status add_glue(pb_nodes *out, pb_glue_class cls, double w, double stretch, double shrink,
                          size_t g0, size_t g1)
{
    PUSH(g);
    g->kind = PB_NODE_GLUE;
    g->glue_class = (uint8_t)cls;
    g->width = w;
    g->stretch = stretch;
    g->shrink = shrink;
    g->g0 = g0;
    g->g1 = g1;
    return PB_OK;
}


/* pt the glyph before a break inside a word (gl->g[i - 1], the break before glyph i) advances
 * past its shaped advance when a line ends there with it: shaped with the glyph after it, its
 * advance holds their kern (www|.example: the w's kern with the period, 0.07 em of Noto Serif),
 * which the line's end undoes, as TeX's discretionary rebuilds the kern around its break (The
 * TeXbook ch. 14). The break's penalty carries it, so that the breaker's line holds the glyph's
 * own advance and no line it sets ends past the measure (a hyphenation point's hyphen is drawn
 * at the pen, after the kerned advance: the hyphen ends that line, within it). 0: a glyph of
 * another font before it (no pair), a mark whose blank was adjusted (adjust_punct), or one set
 * with no advance (a combining mark). */
static double kern_at_break(const pb_glyphs *gl, size_t i, const uint8_t *punct, double size)
{
    const pb_glyph *g = &gl->g[i - 1];
    if (i >= gl->n || g->font != gl->g[i].font || punct[i - 1] || g->x_advance == 0)
        return 0;
    return (pb_font_get_advance(g->font, g->gid) - g->x_advance) * size / pb_font_get_upem(g->font);
}

/* The glue just added may open to GIVE_MAX_EM (of the text size) before Han is letter-spaced. */
static void allow_give(pb_nodes *out, double size)
{
    pb_node *g = &out->v[out->n - 1];
    double room = GIVE_MAX_EM * size - g->width - g->stretch;
    g->give = room > 0 ? (float)room : 0;
}

pb_status pb_nodes_build(pb_breaker *br, const uint32_t *text, size_t len, const uint8_t *marks,
                         pb_glyphs *gl, double size, double indent, int zh, pb_nodes *out)
{
    out->n = 0;
    pb_status st = find_breaks(br, text, len, marks);
    if (st != PB_OK)
        return st;
    find_hyphens(br, text, len, marks, zh);
    run_cuts(br, text, len, marks);
    if (gl->n + 1 > br->g_cap) {
        uint8_t *v = realloc(br->open_blank, gl->n + 1);
        if (!v)
            return pb_diag_oom("finding line breaks");
        br->open_blank = v;
        br->g_cap = gl->n + 1;
    }
    adjust_punct(text, gl, br->open_blank, br->ink);
    if (indent > 0) {
        PUSH(b);
        b->kind = PB_NODE_BOX;
        b->width = indent;
        b->g0 = b->g1 = 0;
    }
    size_t i = 0;
    int prev_visible = 0;   /* the node before is a box we may extend */
    uint32_t prev_last = 0; /* last code point of the previous visible cluster */
    double blank_after = 0; /* pt of blank the previous cluster's mark leaves after it */
    while (i < gl->n) {
        size_t j = i + 1;
        while (j < gl->n && gl->g[j].cluster == gl->g[i].cluster)
            j++;
        size_t c0 = gl->g[i].cluster;
        size_t c1 = j < gl->n ? gl->g[j].cluster : len;
        if (c1 <= c0)
            c1 = c0 + 1;
        double w = 0;
        for (size_t k = i; k < j; k++)
            w += gl->g[k].x_advance * size / pb_font_get_upem(gl->g[k].font);
        /* the cluster's first and last visible characters (the ignorables after a glyph
         * belong to its cluster); a space with one beside it is still a space */
        size_t v0 = c0, v1 = c1;
        while (v0 + 1 < v1 && pb_uchar_is_default_ignorable(text[v0]))
            v0++;
        while (v1 - 1 > v0 && pb_uchar_is_default_ignorable(text[v1 - 1]))
            v1--;
        uint32_t first = text[v0], last = text[v1 - 1];
        /* the previous mark's blank: glue no break may precede (it stays at a line end); a
         * note mark after it takes its place, set against the mark's ink ("决定。¹", not
         * "决定。 ¹": the note belongs to the sentence the mark ends) */
        if (blank_after > 0 && pb_corpus_is_note_mark(first) && !mark_opens_item(text, prev_last)) {
            if ((st = add_penalty(out, PB_PENALTY_INF)) != PB_OK)
                return st;
            blank_after = 0;
        }
        int glued = blank_after > 0;
        if (glued) {
            if ((st = add_penalty(out, PB_PENALTY_INF)) != PB_OK ||
                (st = add_glue(out, PB_GLUE_PUNCT, blank_after, 0, blank_after, i, i)) != PB_OK)
                return st;
            blank_after = 0;
        }
        if (first == PB_LINE_BREAK) {
            /* a forced break: the line before ends flush left (\hfil\break), its glyph unseen */
            if ((st = add_penalty(out, PB_PENALTY_INF)) != PB_OK ||
                (st = add_glue(out, PB_GLUE_FILL, 0, FILL_STRETCH, 0, i, i)) != PB_OK ||
                (st = add_penalty(out, -PB_PENALTY_INF)) != PB_OK)
                return st;
            prev_visible = 0;
            i = j;
            continue;
        }
        if (v1 - v0 == 1 && is_space(first)) {
            /* a run of the same space (a field gap of two ideographic spaces, 签订日期：…日　　签订
             * 地点): UAX #14 breaks after the run, and the run's first glue is its break (glue
             * after glue is none) */
            size_t k = c1;
            while (first != 0x00A0 && k < len && text[k] == first)
                k++;
            uint8_t after = k < len ? br->brk[k] : 1;
            if (!after || is_tie(after)) {
                if ((st = add_penalty(out, after ? tie_penalty(after) : PB_PENALTY_INF)) != PB_OK)
                    return st;
                out->v[out->n - 1].tie = (uint8_t)is_tie(after);
            } else if (after == BRK_BINOP) {
                if ((st = add_penalty(out, BINOP_PENALTY)) != PB_OK)
                    return st; /* the break moves to the penalty; the space after it goes */
                out->v[out->n - 1].tie = 1; /* a dimension is one expression: a tie */
            } else if (glued && (st = add_penalty(out, 0)) != PB_OK) {
                return st; /* the space after a mark's blank: a break, as after a box */
            }
            if (first == CP_IDEO_SPACE) {
                /* a typed ideographic space (第五条　…, a field gap) is an em of Han text: it
                 * stretches as an inter-character gap does, at the ideographs' turn, and does
                 * not shrink (clreq #procedures_for_inter-character_space_expansion: Western
                 * spaces open first, to half an em; a 全角空格 is none) */
                if ((st = add_glue(out, PB_GLUE_CJK, w, CJK_STRETCH_EM * size, 0, i, j)) != PB_OK)
                    return st;
            } else {
                if ((st = add_glue(out, PB_GLUE_WORD, w, w * WORD_STRETCH_RATIO,
                                   w * WORD_SHRINK_RATIO, i, j)) != PB_OK)
                    return st;
                allow_give(out, size);
            }
            prev_visible = 0;
            i = j;
            continue;
        }
        if (prev_visible) {
            /* a sign that opens a number (+86, $5, #3) starts a Latin token: gap before it */
            int sign = pb_itemize_signs_number(text, len, v0) || minus_opens_number(text, len, v0);
            int hl = han_latin_pair(prev_last, sign ? '0' : first) &&
                     !(is_script_digit(prev_last) && v0 > 0 && note_superscript(text, v0 - 1));
            int cjk = pb_itemize_is_han_side(prev_last) || pb_itemize_is_han_side(first);
            int can = br->brk[c0];
            if (hl || cjk) {
                /* after a mark's blank glue the break is a penalty (glue after glue is none) */
                if (!can || glued || is_tie(can)) {
                    if ((st = add_penalty(out, !can          ? PB_PENALTY_INF
                                               : is_tie(can) ? tie_penalty(can)
                                                             : 0)) != PB_OK)
                        return st;
                    out->v[out->n - 1].tie = (uint8_t)is_tie(can);
                }
                st = hl ? add_glue(out, PB_GLUE_HAN_LATIN, HAN_LATIN_EM * size,
                                   HAN_LATIN_STRETCH_EM * size, HAN_LATIN_SHRINK_EM * size, i, i)
                        : add_glue(out, PB_GLUE_CJK, 0, CJK_STRETCH_EM * size, 0, i, i);
                if (st != PB_OK)
                    return st;
                if (!hl)
                    out->v[out->n - 1].attached = (uint8_t)mark_attached(
                        prev_last, first, (br->open_blank[i] & PUNCT_CENTRED) != 0);
                if (hl)
                    allow_give(out, size);
                prev_visible = 0;
            } else if (can) {
                /* after an explicit hyphen the line ends hyphenated (TeX's \exhyphenpenalty) */
                int exhy = prev_last == '-' || prev_last == 0x2010;
                int url = can == BRK_CODE_CUT ? BRK_URL_LAST
                          : c0 > 0 && in_url(marks, c0 - 1) && in_url(marks, c0) ? can
                                                                                 : 0;
                if ((st = add_penalty(out, url == BRK_URL_LAST ? URL_LAST_RESORT_PENALTY
                                           : url == BRK_URL_DOT ? URL_DOT_BREAK_PENALTY
                                           : url == BRK_URL_SLASH_BEFORE ? URL_SLASH_BEFORE_PENALTY
                                           : url == BRK_URL_AFTER_DOT ? URL_AFTER_DOT_PENALTY
                                           : url == BRK_URL_SHORT_TAIL ? URL_SHORT_TAIL_PENALTY
                                           : url             ? URL_BREAK_PENALTY
                                           : is_tie(can)     ? tie_penalty(can)
                                           : exhy            ? EXPLICIT_HYPHEN_PENALTY
                                                             : 0)) != PB_OK)
                    return st;
                if (exhy && !url && romanized_name_at(text, len, c0)) {
                    out->v[out->n - 1].penalty = NAME_HYPHEN_PENALTY;
                    out->v[out->n - 1].capital = 1;
                }
                out->v[out->n - 1].flagged = (uint8_t)(exhy && !url);
                out->v[out->n - 1].last_resort = (uint8_t)(url == BRK_URL_LAST);
                out->v[out->n - 1].tie = (uint8_t)(!url && is_tie(can));
                out->v[out->n - 1].url = (uint8_t)(url != 0);
                out->v[out->n - 1].host =
                    (uint8_t)(url && can != BRK_CODE_CUT && url_host_break(text, len, marks, c0));
                out->v[out->n - 1].before_at = (uint8_t)(url && can == BRK_URL_SHORT_TAIL && text[c0] == '@');
                if (out->v[out->n - 1].host && out->v[out->n - 1].penalty < URL_HOST_PENALTY)
                    out->v[out->n - 1].penalty = URL_HOST_PENALTY;
                out->v[out->n - 1].width = kern_at_break(gl, i, br->open_blank, size);
                prev_visible = 0;
            } else if (br->hyph[c0]) {
                /* discretionary: a hyphen of the word's own font if the line ends here */
                pb_font *f = gl->g[i - 1].font;
                uint32_t hg = pb_font_get_glyph(f, '-');
                if (hg) {
                    if ((st = add_penalty(out, br->hyph[c0] == HYPH_CUT ? URL_LAST_RESORT_PENALTY
                                               : br->hyph[c0] == HYPH_CAPITAL
                                                   ? CAPITAL_HYPHEN_PENALTY
                                                   : HYPHEN_PENALTY)) != PB_OK)
                        return st;
                    pb_node *p = &out->v[out->n - 1];
                    p->flagged = 1;
                    p->last_resort = br->hyph[c0] == HYPH_CUT;
                    p->soft = br->hyph[c0] == HYPH_SOFT;
                    p->capital = br->hyph[c0] == HYPH_CAPITAL;
                    p->hyphen_font = f;
                    p->hyphen_gid = hg;
                    p->width = pb_font_get_advance(f, hg) * size / pb_font_get_upem(f);
                    prev_visible = 0;
                }
            }
        }
        /* a paragraph that opens with a bracket and no indent sets it half width, like a
         * line start (clreq #h-compression_of_punctuation_marks_at_line_start) */
        if (out->n == 0 && (br->open_blank[i] & PUNCT_KEEP_BLANK))
            br->open_blank[i] &= (uint8_t)~PUNCT_KEEP_BLANK;
        if (br->open_blank[i] & PUNCT_KEEP_BLANK) {
            /* right after a box (the indent) the blank glue must not become a break */
            if (out->n && out->v[out->n - 1].kind == PB_NODE_BOX &&
                (st = add_penalty(out, PB_PENALTY_INF)) != PB_OK)
                return st;
            double blank = size / 2;
            if ((st = add_glue(out, PB_GLUE_BLANK, blank, 0, blank, i, i)) != PB_OK)
                return st;
            prev_visible = 0;
        }
        if (br->open_blank[i] & PUNCT_CENTRED) {
            /* a centred mark's blank quarter before it: no break there either */
            if (out->n && (st = add_penalty(out, PB_PENALTY_INF)) != PB_OK)
                return st;
            if ((st = add_glue(out, PB_GLUE_PUNCT, size / 4, 0, size / 4, i, i)) != PB_OK)
                return st;
            prev_visible = 0;
        }
        pb_node *box;
        if (prev_visible && out->n && out->v[out->n - 1].kind == PB_NODE_BOX &&
            out->v[out->n - 1].g1 == i) {
            box = &out->v[out->n - 1];
            box->g1 = j;
            box->width += w;
        } else {
            PUSH(b);
            b->kind = PB_NODE_BOX;
            b->width = w;
            b->g0 = i;
            b->g1 = j;
            box = b;
        }
        for (size_t k = c0; k < c1; k++) {
            box->han += (uint32_t)pb_uchar_is_han(text[k]);
            box->chars += (uint32_t)(!pb_nodes_is_line_start_prohibited(text[k]) &&
                                     !pb_uchar_is_default_ignorable(text[k]));
        }
        prev_visible = 1;
        prev_last = last;
        blank_after = br->open_blank[j - 1] & PUNCT_BLANK_AFTER ? size / 2
                    : br->open_blank[j - 1] & PUNCT_CENTRED   ? size / 4
                                                              : 0;
        i = j;
    }
    if (blank_after > 0 &&
        ((st = add_penalty(out, PB_PENALTY_INF)) != PB_OK ||
         (st = add_glue(out, PB_GLUE_PUNCT, blank_after, 0, blank_after, gl->n, gl->n)) != PB_OK))
        return st;
    /* paragraph end: \penalty10000 \hskip 0pt plus fill \penalty-10000 */
    if ((st = add_penalty(out, PB_PENALTY_INF)) != PB_OK ||
        (st = add_glue(out, PB_GLUE_FILL, 0, FILL_STRETCH, 0, gl->n, gl->n)) != PB_OK ||
        (st = add_penalty(out, -PB_PENALTY_INF)) != PB_OK)
        return st;
    return PB_OK;
}
