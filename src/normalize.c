/* normalize: ASCII punctuation in Han context becomes full-width (Chinese blocks); straight
 * quotes, dashes and ellipses become what a typesetter sets (both languages, unless the layout
 * turns smart punctuation off); compatibility ligatures become their letters; brackets left
 * open or crossing are warnings; invisible, format and right-to-left characters are kept,
 * dropped, replaced or refused. */
#include "normalize.h"
#include "util.h"

#include <unicode/ubidi.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>

#include <stdlib.h>
#include <string.h>

#include "uchar.h"

#define CHANGES_INITIAL_CAP 64
#define CHAR_NAME_MAX 96

#define CP_SHY 0x00ADu          /* SOFT HYPHEN */
#define CP_ALM 0x061Cu          /* ARABIC LETTER MARK */
#define CP_ZWSP 0x200Bu         /* ZERO WIDTH SPACE */
#define CP_ZWNJ 0x200Cu         /* ZERO WIDTH NON-JOINER */
#define CP_ZWJ 0x200Du          /* ZERO WIDTH JOINER */
#define CP_LRM 0x200Eu          /* LEFT-TO-RIGHT MARK */
#define CP_RLM 0x200Fu          /* RIGHT-TO-LEFT MARK */
#define CP_WJ 0x2060u           /* WORD JOINER */
#define CP_ZWNBSP 0xFEFFu       /* ZERO WIDTH NO-BREAK SPACE (byte order mark) */
#define CP_NBSP 0x00A0u
#define CP_IDEO_SPACE 0x3000u

/* The full-width form of a punctuation mark we normalize, or 0. */
static uint32_t fullwidth(uint32_t c)
{
    switch (c) {
    case ',': return 0xFF0C;
    case ':': return 0xFF1A;
    case ';': return 0xFF1B;
    case '?': return 0xFF1F;
    case '!': return 0xFF01;
    case '(': return 0xFF08;
    case ')': return 0xFF09;
    default: return 0;
    }
}

static int is_han_context(uint32_t c) { return pb_uchar_is_han(c) || pb_uchar_is_cjk_punct(c); }

/* A full-width mark of Chinese text whose white is a blank half (or two quarters) of its own em
 * (nodes.c adjust_punct): a bracket or quotation mark (the curly ones are the Han face's in
 * Chinese text, itemize.c; not an apostrophe inside a Latin word), a pause, stop, comma, colon
 * or semicolon, an exclamation or question mark (GB/T 15834-2011 §4; clreq
 * #punctuation_width_adjustment). */
static int is_fullwidth_mark(const pb_block *b, size_t i)
{
    static const uint32_t STOPS[] = {0x3001, 0x3002, 0xFF01, 0xFF0C, 0xFF0E, 0xFF1A, 0xFF1B, 0xFF1F};
    uint32_t c = b->text[i];
    if (c == 0x2018 || c == 0x2019 || c == 0x201C || c == 0x201D)
        return !(c == 0x2019 && i > 0 && i + 1 < b->len && pb_uchar_is_alnum(b->text[i - 1]) &&
                 pb_uchar_is_alnum(b->text[i + 1]) && !pb_uchar_is_han(b->text[i - 1]));
    for (size_t k = 0; k < sizeof STOPS / sizeof *STOPS; k++)
        if (c == STOPS[k])
            return 1;
    if (!pb_uchar_is_cjk_punct(c) || c == 0x3000 || c > 0xFF60) /* not the half-width forms */
        return 0;
    int8_t t = u_charType((UChar32)c);
    return t == U_START_PUNCTUATION || t == U_END_PUNCTUATION || t == U_INITIAL_PUNCTUATION ||
           t == U_FINAL_PUNCTUATION;
}

/* A space typed between a full-width mark and text[i]: the mark's blank is the white there, so
 * an ASCII mark after it takes the Han context the mark gives ("「茶館」 (1957)" -> "（1957）",
 * and the space goes: marks_space_block). */
static int mark_before_space(const pb_block *b, size_t i)
{
    return i >= 2 && b->text[i - 1] == ' ' && is_fullwidth_mark(b, i - 2);
}

#define CP_IDEO_STOP 0x3002u /* 。 */

static pb_status record_n(pb_changes *ch, int line, int col, pb_change_kind kind,
                          const uint32_t *before, size_t nb, const uint32_t *after, size_t na)
{
    if (!ch)
        return PB_OK;
    if (pb_util_grow(&ch->items, &ch->cap, ch->n + 1, sizeof *ch->items, CHANGES_INITIAL_CAP))
        return pb_diag_oom("normalizing punctuation");
    pb_change *c = &ch->items[ch->n++];
    memset(c, 0, sizeof *c);
    c->line = line, c->col = col, c->kind = kind;
    c->n_before = (uint8_t)nb, c->n_after = (uint8_t)na, c->run = nb;
    memcpy(c->before, before, nb * sizeof *before);
    memcpy(c->after, after, na * sizeof *after);
    return PB_OK;
}

static pb_status record(pb_changes *ch, int line, int col, uint32_t before, uint32_t after)
{
    return record_n(ch, line, col, PB_CHANGE_FULLWIDTH, &before, 1, &after, 1);
}

static int in_url(const pb_block *b, size_t i) { return b->marks && (b->marks[i] & PB_MARK_URL); }

/* Characters i and j carry the same marks (emphasis, link): only such are merged into one
 * (-- into a dash, ... into an ellipsis), or the merged one would sit half in a link (a fuzz
 * finding: "-[-](url)" made one en dash, its link over nothing). */
static int same_mark(const pb_block *b, size_t i, size_t j)
{
    return !b->marks || b->marks[i] == b->marks[j];
}

static int is_ascii_alnum(uint32_t c)
{
    return pb_uchar_is_ascii_letter(c) || (c >= '0' && c <= '9');
}

/* Does the pair at text[open] .. text[close] hold digits only, with a space and a digit after
 * it: a telephone number's area code, 訂位專線：(02) 2712-3456? */
static int area_code(const pb_block *b, size_t open, size_t close)
{
    if (close == open + 1 || close + 2 >= b->len || b->text[close + 1] != ' ' ||
        !(b->text[close + 2] >= '0' && b->text[close + 2] <= '9'))
        return 0;
    for (size_t k = open + 1; k < close; k++)
        if (!(b->text[k] >= '0' && b->text[k] <= '9'))
            return 0;
    return 1;
}

/* Does the pair at text[open] .. text[close] hold a figure with a decimal point, digit groups
 * or a percent sign, and nothing else but a sign: an accounting negative, 同比下降(8.4%),
 * 净额为(1,256.4)万元 (review 11)? Made full-width it reads as an aside; a year (1617) is
 * one, and converts. */
static int negative_figure(const pb_block *b, size_t open, size_t close)
{
    int digits = 0, marks = 0;
    for (size_t k = open + 1; k < close; k++) {
        uint32_t c = b->text[k];
        if (c >= '0' && c <= '9')
            digits++;
        else if (c == '.' || c == ',' || c == '%')
            marks++;
        else if (!(k == open + 1 && (c == '-' || c == 0x2212 || c == '+')))
            return 0;
    }
    return digits > 0 && marks > 0;
}

/* Does the pair at text[open] .. text[close] hold Latin letters, digits, commas or signs only,
 * with a hyphen after it: a chemical name's stereodescriptor or locant, (Z)-11-十六碳烯醛,
 * (2E,4Z)-, (±)-乳酸 (IUPAC Recommendations 2013, P-91 and P-93: written with ASCII
 * parentheses in any script; review 12 A3: "（Z）-11-")? */
static int name_prefix(const pb_block *b, size_t open, size_t close)
{
    if (close == open + 1 || close + 1 >= b->len ||
        (b->text[close + 1] != '-' && b->text[close + 1] != 0x2010))
        return 0;
    for (size_t k = open + 1; k < close; k++) {
        uint32_t c = b->text[k];
        if (!is_ascii_alnum(c) && c != ',' && c != 0x00B1 && c != '+' && c != '-' && c != 0x2212)
            return 0;
    }
    return 1;
}

/* A matched ASCII parenthesis pair converts as a whole when either side is in Han context,
 * so 中文(see p.5). gives 中文（see p.5）. rather than a mixed pair; a pair glued to a Latin
 * letter or digit outside it is part of a Latin token and stays ASCII: 致電(02)2345-6789,
 * f(x); so does a telephone number's area code before its number: 專線：(02) 2712-3456 (made
 * full-width, "（02） 2712" shows a hole of an em and a half); so does a pair that continues a
 * citation, glued to one that stayed ASCII: 第105A(1)(b)條 (review 11: "105A(1)（b）條"), an
 * accounting negative (negative_figure) and a chemical name's prefix (name_prefix). */
static pb_status pair_parens(const pb_block *b, unsigned char *conv)
{
    size_t n_open = 0, depth = 0;
    for (size_t i = 0; i < b->len; i++)
        n_open += b->text[i] == '(';
    if (n_open == 0)
        return PB_OK;
    size_t *stack = malloc(n_open * sizeof *stack);
    if (!stack)
        return pb_diag_oom("normalizing punctuation");
    for (size_t i = 0; i < b->len; i++) {
        if (b->text[i] == '(') {
            stack[depth++] = i;
        } else if (b->text[i] == ')' && depth > 0) {
            size_t open = stack[--depth];
            int token = (open > 0 && is_ascii_alnum(b->text[open - 1])) ||
                        (i + 1 < b->len && is_ascii_alnum(b->text[i + 1])) ||
                        area_code(b, open, i) || negative_figure(b, open, i) || name_prefix(b, open, i) ||
                        (open > 0 && b->text[open - 1] == ')' && !conv[open - 1]);
            if (token)
                conv[open] = conv[i] = 0;
            else if (conv[open] || conv[i])
                conv[open] = conv[i] = 1;
        }
    }
    free(stack);
    return PB_OK;
}

static int is_digit_any(uint32_t c) { return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19); }

/* A mark between two digits (ASCII or full-width) belongs to the number: a digit group's comma
 * (３,５００), a decimal point (３.５), a time's colon (１２:３０). Made full-width it would
 * read as punctuation of the sentence: "３，５００" is an enumeration, not 3 500. */
static int inside_number(const pb_block *b, size_t i)
{
    return i > 0 && i + 1 < b->len && is_digit_any(b->text[i - 1]) && is_digit_any(b->text[i + 1]);
}

/* A full stop that ends a Chinese sentence: after Han text (or its closing marks), before the
 * end, a space, Han text or a closing mark; never inside a number (0.10元) or a Latin word. */
static int sentence_stop(const pb_block *b, size_t i)
{
    if (b->text[i] != '.' || i == 0 || !is_han_context(b->text[i - 1]))
        return 0;
    if (i + 1 < b->len && b->text[i + 1] == '.')
        return 0; /* an ellipsis ... */
    return i + 1 == b->len || b->text[i + 1] == ' ' || is_han_context(b->text[i + 1]) ||
           b->text[i + 1] == 0x201D || b->text[i + 1] == 0x2019 || b->text[i + 1] == '"' ||
           b->text[i + 1] == '\''; /* 跑了出去."  — its quotes are made curly later */
}

/* 1 when a straight single quote that could close a quotation stands in b's text at or after
 * i (one before two digits opens, or elides a year: it closes nothing). */
static int quote_after(const pb_block *b, size_t i)
{
    for (; i < b->len; i++)
        if (b->text[i] == '\'' &&
            !(i + 2 < b->len && is_digit_any(b->text[i + 1]) && is_digit_any(b->text[i + 2])))
            return 1;
    return 0;
}

static pb_status normalize_block(pb_block *b, pb_changes *ch)
{
    size_t n_cand = 0;
    for (size_t i = 0; i < b->len; i++)
        n_cand += fullwidth(b->text[i]) != 0 || b->text[i] == '.';
    if (n_cand == 0)
        return PB_OK;
    /* decide on the original text first so one change does not drag its neighbour along */
    unsigned char *conv = calloc(b->len, 1);
    if (!conv)
        return pb_diag_oom("normalizing punctuation");
    for (size_t i = 0; i < b->len; i++) {
        if (in_url(b, i) || inside_number(b, i))
            continue;
        if (sentence_stop(b, i)) {
            conv[i] = 1;
            continue;
        }
        if (!fullwidth(b->text[i]))
            continue;
        conv[i] = (i > 0 && is_han_context(b->text[i - 1])) ||
                  (i + 1 < b->len && is_han_context(b->text[i + 1])) ||
                  (b->text[i] == '(' && mark_before_space(b, i));
    }
    pb_status st = pair_parens(b, conv);
    for (size_t i = 0; i < b->len && st == PB_OK; i++) {
        if (!conv[i])
            continue;
        uint32_t before = b->text[i], after = before == '.' ? CP_IDEO_STOP : fullwidth(before);
        b->text[i] = after;
        st = record(ch, b->line, (int)b->col[i], before, after);
    }
    free(conv);
    return st;
}

/* ASCII square brackets in Chinese text around Chinese words, a placeholder or an editor's
 * insertion ([二維碼], [圖片]): made full-width, ［二維碼］, as the parentheses of the same
 * text are (GB/T 15834-2011 §4.9 lists the square bracket among Chinese brackets, full-width).
 * A pair that holds no Han character stays ASCII: a citation's number [1], a Latin [QR]
 * (review 13 C6). */
#define FW_LBRACKET 0xFF3Bu
#define FW_RBRACKET 0xFF3Du

static pb_status square_brackets_block(pb_block *b, pb_changes *ch)
{
    pb_status st = PB_OK;
    for (size_t i = 0; i < b->len && st == PB_OK; i++) {
        if (b->text[i] != '[' || in_url(b, i))
            continue;
        size_t j = i + 1;
        int han = 0;
        while (j < b->len && b->text[j] != ']' && b->text[j] != '[' && !in_url(b, j))
            han |= pb_uchar_is_han(b->text[j++]);
        if (j >= b->len || b->text[j] != ']' || !han)
            continue;
        b->text[i] = FW_LBRACKET, b->text[j] = FW_RBRACKET;
        st = record(ch, b->line, (int)b->col[i], '[', FW_LBRACKET);
        if (st == PB_OK)
            st = record(ch, b->line, (int)b->col[j], ']', FW_RBRACKET);
        i = j;
    }
    return st;
}

/* ---- vertical presentation forms ------------------------------------------------------------ */

/* Vertical forms (U+FE10-FE19, U+FE30-FE4F) are glyphs turned for vertical setting: in a
 * horizontal line ︵ lies on its side. Each becomes its horizontal form, Unicode's compatibility
 * decomposition (<vertical> U+FE35 -> U+0028), full-width in Chinese (（) as the Chinese marks
 * are, except ︰, the vertical two-dot leader that Big5 conversions give for the colon: ：. The
 * report lists each; one with no horizontal form (﹅ ﹆ sesame dots) is kept, with a warning. */
#define VERTICAL_TWO_DOT 0xFE30u
static int is_vertical_form(uint32_t c)
{
    return (c >= 0xFE10 && c <= 0xFE19) || (c >= 0xFE30 && c <= 0xFE4F);
}

/* The one character Unicode's compatibility decomposition (NFKC's, which holds the canonical
 * one too) gives for c, or 0 when it gives none or more than one. */
static uint32_t decomposed_single(uint32_t c)
{
    UErrorCode err = U_ZERO_ERROR;
    const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&err);
    UChar d[4];
    int32_t n = U_SUCCESS(err) ? unorm2_getDecomposition(nfkc, (UChar32)c, d, 4, &err) : -1;
    if (U_FAILURE(err) || n < 1)
        return 0;
    int32_t k = 0;
    UChar32 u;
    U16_NEXT(d, k, n, u);
    return k == n && u > 0 ? (uint32_t)u : 0;
}

static uint32_t horizontal_form(uint32_t c, int zh)
{
    if (c == VERTICAL_TWO_DOT)
        return zh ? 0xFF1Au : ':';
    uint32_t h = decomposed_single(c);
    return zh && h > 0x20 && h < 0x7F ? h + 0xFEE0u : h; /* ( -> （ */
}

/* Look-alike ideographs, as text pasted from a PDF holds them (review 10): a Kangxi radical
 * (U+2F00-2FD5) or a CJK Radicals Supplement form (U+2E80-2EFF) looks like the ideograph but is
 * another character, so a search for 人 misses ⼈; each with a decomposition becomes its unified
 * ideograph (NFKC), listed in the report, one without (⺌) is kept with a warning. A CJK
 * compatibility ideograph (U+F900-FAFF, U+2F800-2FA1F) becomes its unified one (its canonical
 * decomposition, as NFC and the shaper make it anyway), listed; the unified ideographs of that
 * block (U+FA0E 﨎) have none and stay. */
#define RADICALS_FIRST 0x2E80u /* CJK Radicals Supplement .. Kangxi Radicals */
#define RADICALS_LAST 0x2FD5u
#define COMPAT_IDEOGRAPHS_FIRST 0xF900u
#define COMPAT_IDEOGRAPHS_LAST 0xFAFFu
#define COMPAT_IDEOGRAPHS_SUP_FIRST 0x2F800u
#define COMPAT_IDEOGRAPHS_SUP_LAST 0x2FA1Fu

static int is_compat_ideograph(uint32_t c)
{
    return (c >= COMPAT_IDEOGRAPHS_FIRST && c <= COMPAT_IDEOGRAPHS_LAST) ||
           (c >= COMPAT_IDEOGRAPHS_SUP_FIRST && c <= COMPAT_IDEOGRAPHS_SUP_LAST);
}

/* Characters that become one other each: vertical forms, radicals, compatibility ideographs. */
static pb_status one_for_one_block(pb_block *b, const char *file, pb_changes *ch)
{
    pb_status st = PB_OK;
    for (size_t i = 0; i < b->len && st == PB_OK; i++) {
        uint32_t c = b->text[i], h;
        pb_change_kind kind;
        const char *none; /* what is set when it has no replacement; NULL: quiet */
        if (is_vertical_form(c)) {
            h = horizontal_form(c, b->lang == PB_LANG_ZH);
            kind = PB_CHANGE_VERTICAL;
            none = "is a vertical form with no horizontal one: in a horizontal line it is set as "
                   "the vertical glyph; replace it";
        } else if (c >= RADICALS_FIRST && c <= RADICALS_LAST) {
            h = decomposed_single(c);
            kind = PB_CHANGE_RADICAL;
            none = "is a radical with no unified ideograph (a component's form, not a character "
                   "of text, as pasted from a PDF): it is set as it stands and a search for the "
                   "character misses it; replace it with the character meant";
        } else if (is_compat_ideograph(c)) {
            h = decomposed_single(c);
            kind = PB_CHANGE_COMPAT_IDEOGRAPH;
            none = NULL;
        } else {
            continue;
        }
        if (!h) {
            char name[96];
            pb_uchar_name(c, name, sizeof name);
            if (file && none)
                pb_diag_warning(file, b->line, (int)b->col[i], "U+%04X %s %s", (unsigned)c, name,
                                none);
            continue;
        }
        b->text[i] = h;
        st = record_n(ch, b->line, (int)b->col[i], kind, &c, 1, &h, 1);
    }
    return st;
}

/* ---- smart punctuation ------------------------------------------------------------------- */

#define LDQUO 0x201Cu /* “ */
#define RDQUO 0x201Du /* ” */
#define LSQUO 0x2018u /* ‘ */
#define RSQUO 0x2019u /* ’ (also the apostrophe) */
#define CORNER_L 0x300Cu  /* 「 */
#define CORNER_R 0x300Du  /* 」 */
#define WCORNER_L 0x300Eu /* 『 */
#define WCORNER_R 0x300Fu /* 』 */
#define EN_DASH 0x2013u
#define EM_DASH 0x2014u
#define HELLIP 0x2026u

/* A quote opens after the start, a space, an opening bracket or quote, or a dash. */
static int opens_after(const pb_block *b, size_t i)
{
    if (i == 0)
        return 1;
    uint32_t p = b->text[i - 1];
    return p == ' ' || p == 0x00A0 || p == '(' || p == '[' || p == '{' || p == LDQUO ||
           p == LSQUO || p == EN_DASH || p == EM_DASH || p == '-' || p == PB_LINE_BREAK ||
           p == 0x3000 || pb_uchar_is_cjk_punct(p) || pb_uchar_is_han(p);
}

/* Words after which a quoted n is the letter itself, quoted ("the letter 'n' is"), not "and". */
static const char *const NAMES_A_LETTER[] = {"a", "an", "the", "letter", "letters", "character",
                                             "symbol", "sound", "word", "final", "initial"};

/* The ASCII word that ends at t[end - 1] is one of NAMES_A_LETTER (any case). */
static int names_a_letter(const uint32_t *t, size_t end)
{
    size_t start = end;
    while (start > 0 && pb_uchar_is_ascii_letter(t[start - 1]))
        start--;
    for (size_t w = 0; w < sizeof NAMES_A_LETTER / sizeof *NAMES_A_LETTER; w++) {
        const char *s = NAMES_A_LETTER[w];
        size_t k = 0;
        while (s[k] && start + k < end && (t[start + k] | 0x20) == (uint32_t)s[k])
            k++;
        if (!s[k] && start + k == end)
            return 1;
    }
    return 0;
}

/* rock 'n' roll, fish 'n' chips: an n quoted between two words is "and" with its a and its d
 * left out, and both its marks are apostrophes, ’n’, never a quotation's ‘ ’ (in a Chinese
 * line too, where quotes otherwise pair by turns); after "the letter" it is a quoted letter.
 * b->text[i] is a straight single quote. */
static int elided_and(const pb_block *b, size_t i)
{
    const uint32_t *t = b->text;
    return i >= 2 && i + 4 < b->len && t[i - 1] == ' ' && pb_uchar_is_ascii_letter(t[i - 2]) &&
           !names_a_letter(t, i - 1) &&
           (t[i + 1] == 'n' || t[i + 1] == 'N') && t[i + 2] == '\'' && t[i + 3] == ' ' &&
           pb_uchar_is_ascii_letter(t[i + 4]) && !in_url(b, i + 2) && same_mark(b, i, i + 1) &&
           same_mark(b, i, i + 2);
}

/* 'tis, 'twas, 'em: a word whose first letters are left out, where the mark at its start is
 * an apostrophe, ’tis (Chicago Manual of Style: the apostrophe of omitted letters, never an opening
 * quote), though it stands where a quotation opens. Only words no quotation begins with:
 * the it of 'tis 'twas 'twere 'twill 'twould, the them of 'em. b->text[i] is a straight single
 * quote at a word's start. */
static int elided_start(const pb_block *b, size_t i)
{
    static const char *const words[] = {"tis", "twas", "twere", "twill", "twould", "em"};
    for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
        size_t n = strlen(words[w]), k = 0;
        while (k < n && i + 1 + k < b->len && (b->text[i + 1 + k] | 0x20) == (uint32_t)words[w][k])
            k++;
        if (k == n && (i + 1 + n == b->len || !pb_uchar_is_ascii_letter(b->text[i + 1 + n])) &&
            same_mark(b, i, i + 1))
            return 1;
    }
    return 0;
}

typedef struct {
    uint32_t *text, *col;
    uint8_t *marks;
    size_t *at;             /* old index -> new index (size len + 1) */
    size_t n;
} rebuilt;

static void put(rebuilt *r, uint32_t c, uint32_t col, uint8_t mark)
{
    r->text[r->n] = c;
    r->col[r->n] = col;
    if (r->marks)
        r->marks[r->n] = mark;
    r->n++;
}

/* Ends a rebuild of b: on success its text becomes r's, the annotations and links moved to
 * their new places; r is freed either way. Returns st. */
static pb_status adopt(pb_block *b, rebuilt *r, pb_status st)
{
    r->at[b->len] = r->n;
    if (st == PB_OK) {
        for (size_t k = 0; k < b->n_annots; k++)
            b->annots[k].base = r->at[b->annots[k].base];
        for (size_t k = 0; k < b->n_links; k++) {
            b->links[k].start = r->at[b->links[k].start];
            b->links[k].end = r->at[b->links[k].end];
        }
        free(b->text), free(b->col), free(b->marks);
        b->text = r->text, b->col = r->col, b->marks = r->marks, b->len = r->n;
        r->text = NULL, r->col = NULL, r->marks = NULL;
    }
    free(r->text), free(r->col), free(r->marks), free(r->at);
    return st;
}

/* CJK opening brackets (GB/T 15834-2011 §4.8): a quote before one opens nothing. */
static int is_cjk_opening(uint32_t c)
{
    return c == 0x3008 || c == 0x300A || c == CORNER_L || c == WCORNER_L || c == 0x3010 ||
           c == 0x3014 || c == 0x3016 || c == 0x3018 || c == 0x301A || c == 0xFF08 ||
           c == 0xFF3B || c == 0xFF5B;
}

/* Does the quote at b->text[i] stand before what ends a quotation: the paragraph's end, a
 * space, a line break, a closing quote, a mark (a stop, a comma, a closing bracket: 「好」。)? */
static int closes_before(const pb_block *b, size_t i)
{
    uint32_t next = i + 1 < b->len ? b->text[i + 1] : 0;
    return !next || next == ' ' || next == 0x00A0 || next == PB_LINE_BREAK || next == RDQUO ||
           next == RSQUO || next == '"' ||
           (pb_uchar_is_cjk_punct(next) && !is_cjk_opening(next) && next != 0x3000) ||
           (next < 0x80 && strchr(".,;:!?)]}", (int)next));
}

/* Does the quote at b->text[i] of an English line open a quotation? By its place (opens_after),
 * but after Chinese text, which gives no space to tell ("人" glossed in English: review 10 set
 * “人“): it closes before what ends a quotation or a hyphen ("人"-form), and else opens unless
 * a quotation is open ("人"字). */
static int en_quote_opens(const pb_block *b, size_t i, int is_open)
{
    uint32_t prev = i ? b->text[i - 1] : 0;
    if (!pb_uchar_is_han(prev) && !(pb_uchar_is_cjk_punct(prev) && !is_cjk_opening(prev)))
        return opens_after(b, i);
    if (closes_before(b, i) || (i + 1 < b->len && b->text[i + 1] == '-'))
        return 0;
    return !is_open;
}

/* Does the straight double quote at b->text[i] of a Chinese line stand where a quotation
 * closes: at the paragraph's end, before a mark (a stop, a comma, a closing bracket: 「好」。),
 * a space or a closing quote, or after the stop that ends the quoted sentence (「好。」)?
 * Anywhere else (after 說, a colon, before text) it opens one. */
static int zh_quote_closes(const pb_block *b, size_t i)
{
    uint32_t prev = i ? b->text[i - 1] : 0;
    return closes_before(b, i) || prev == 0x3002 || prev == 0xFF01 || prev == 0xFF1F ||
           prev == HELLIP;
}

/* How a paragraph's straight quotes of one kind (" or ') open and close. In Chinese, where no
 * space tells, they alternate, as typed in pairs; a paragraph with an odd number of them has one
 * left unmatched, and alternating past it would turn every later pair inside out (”真奇怪“):
 * there each is set by its place (zh_quote_closes) and the one left unmatched is a warning at
 * its column. In English each double quote is set by its place (opens_after), and a quotation
 * the paragraph leaves open is a warning at its opening quote. */
/* Straight quotes smart_block() warned about, of each kind (check_brackets() leaves them). */
#define QUOTES_TOLD_DOUBLE 1
#define QUOTES_TOLD_SINGLE 2

typedef struct {
    char q;            /* the straight quote: '"' or '\'' */
    int zh, by_turns;  /* Chinese; an even count: by turns */
    int is_open;       /* a quotation is open */
    size_t opened;     /* the quote that opened it */
    size_t count;      /* quotation marks of this kind in the paragraph */
    const char *file;  /* NULL: no warnings */
    int told;          /* a warning was given (check_brackets gives none again) */
} quote_plan;

static const char *quote_kind(char q) { return q == '"' ? "double" : "single"; }

/* Does the quotation mark q at b->text[i] open (1) or close (0)? Warns where the marks do not
 * pair. */
static int quote_opens(const pb_block *b, size_t i, quote_plan *p)
{
    int opens = p->by_turns ? !p->is_open
              : p->zh       ? !zh_quote_closes(b, i)
                            : en_quote_opens(b, i, p->is_open);
    p->told |= (opens && p->is_open && !p->by_turns) || (!opens && !p->is_open && p->zh && !p->by_turns);
    if (opens && p->is_open && !p->by_turns && p->file)
        pb_diag_warning(p->file, b->line, (int)b->col[p->opened],
                        "unbalanced quotation marks: this %c opens a quotation that no %c "
                        "closes (another opens at column %u); it is set as an opening quote "
                        "and the quotes after it by their places: add the missing quote",
                        p->q, p->q, (unsigned)b->col[i]);
    if (!opens && !p->is_open && p->zh && !p->by_turns && p->file)
        pb_diag_warning(p->file, b->line, (int)b->col[i],
                        "unbalanced quotation marks: this %c closes a quotation that no %c "
                        "opens (%zu straight %s quotes in the paragraph, an odd number); "
                        "it is set as a closing quote: add the missing quote",
                        p->q, p->q, p->count, quote_kind(p->q));
    if (opens)
        p->opened = i;
    p->is_open = opens;
    return opens;
}

/* The paragraph has ended: a quotation still open is a warning. */
static void quote_plan_end(const pb_block *b, quote_plan *p)
{
    p->told |= p->is_open && !p->by_turns;
    if (p->is_open && !p->by_turns && p->file)
        pb_diag_warning(p->file, b->line, (int)b->col[p->opened],
                        "unbalanced quotation marks: this %c opens a quotation that no %c closes "
                        "before the paragraph ends%s%s%s: add the missing quote",
                        p->q, p->q, p->zh ? " (an odd number of straight " : "",
                        p->zh ? quote_kind(p->q) : "",
                        p->zh ? " quotes); the quotes after it are set by their places" : "");
}

/* Straight double quotes of one paragraph, each opening (1) or closing (0) in open[i]; whether
 * a warning was given. */
static int plan_double_quotes(const pb_block *b, int zh, const char *file, uint8_t *open)
{
    quote_plan p = {'"', zh, 0, 0, 0, 0, file, 0};
    for (size_t i = 0; i < b->len; i++)
        p.count += b->text[i] == '"' && !in_url(b, i);
    if (!p.count)
        return 0;
    p.by_turns = zh && p.count % 2 == 0;
    for (size_t i = 0; i < b->len; i++)
        if (b->text[i] == '"' && !in_url(b, i))
            open[i] = (uint8_t)quote_opens(b, i, &p);
    quote_plan_end(b, &p);
    return p.told;
}

/* Is the straight single quote at b->text[i] an apostrophe (’tis, rock ’n’ roll, don’t, ’90s)
 * rather than a quotation mark? sq_open: a Chinese single quotation is open. */
static int single_is_apostrophe(const pb_block *b, size_t i, int zh, int sq_open)
{
    int latin_word = i > 0 && i + 1 < b->len && is_ascii_alnum(b->text[i - 1]) &&
                     pb_uchar_is_ascii_letter(b->text[i + 1]);
    return elided_and(b, i) || (opens_after(b, i) && elided_start(b, i)) || latin_word ||
           (i > 0 && is_ascii_alnum(b->text[i - 1]) && !zh) ||
           (i + 2 < b->len && b->text[i + 1] >= '0' && b->text[i + 1] <= '9' &&
            b->text[i + 2] >= '0' && b->text[i + 2] <= '9' &&
            (!zh || (!sq_open && !quote_after(b, i + 1))));
}

/* Chinese single quotation marks of one paragraph: how many (the apostrophes aside, as the
 * quotes by turns would leave them) */
static size_t count_zh_singles(const pb_block *b)
{
    size_t n = 0;
    int sq_open = 0;
    for (size_t i = 0; i < b->len; i++) {
        if (b->text[i] != '\'' || in_url(b, i))
            continue;
        if (elided_and(b, i))
            i += 2; /* ’n’: both its marks */
        else if (!single_is_apostrophe(b, i, 1, sq_open)) {
            n++;
            sq_open = !sq_open;
        }
    }
    return n;
}

/* Straight quotes, dashes and ellipses of one block, set as a typesetter would. */
static pb_status smart_block(pb_block *b, const pb_normalize_opts *o, const char *file,
                             pb_changes *ch, int *dq_told)
{
    size_t cand = 0;
    for (size_t i = 0; i < b->len; i++) {
        uint32_t c = b->text[i];
        cand += c == '"' || c == '\'' || c == '-' || c == '.' ||
                (b->lang == PB_LANG_ZH && o->quotes_zh == PB_QUOTES_ZH_CORNER &&
                 (c == LDQUO || c == RDQUO || c == LSQUO || c == RSQUO));
    }
    if (!cand)
        return PB_OK;
    int zh = b->lang == PB_LANG_ZH, corner = zh && o->quotes_zh == PB_QUOTES_ZH_CORNER;
    rebuilt r = {malloc(b->len * sizeof *r.text), malloc(b->len * sizeof *r.col),
                 b->marks ? malloc(b->len) : NULL, malloc((b->len + 1) * sizeof *r.at), 0};
    uint8_t *dq = calloc(b->len, 1); /* per straight double quote: 1 opens */
    if (!r.text || !r.col || (b->marks && !r.marks) || !r.at || !dq) {
        free(r.text), free(r.col), free(r.marks), free(r.at), free(dq);
        return pb_diag_oom("normalizing punctuation");
    }
    *dq_told = plan_double_quotes(b, zh, file, dq) ? QUOTES_TOLD_DOUBLE : 0;
    pb_status st = PB_OK;
    quote_plan sq = {'\'', zh, 1, 0, 0, 0, file, 0}; /* Chinese single quotation marks */
    if (zh) {
        sq.count = count_zh_singles(b);
        sq.by_turns = sq.count % 2 == 0;
    }
    for (size_t i = 0; i < b->len && st == PB_OK;) {
        uint32_t c = b->text[i];
        uint8_t m = b->marks ? b->marks[i] : 0;
        uint32_t out[PB_CHANGE_MAX];
        size_t take = 1, n_out = 0;
        pb_change_kind kind = PB_CHANGE_QUOTE;
        int latin_word = i > 0 && i + 1 < b->len && is_ascii_alnum(b->text[i - 1]) &&
                         pb_uchar_is_ascii_letter(b->text[i + 1]);
        if (in_url(b, i)) {
            /* a URL keeps every character */
        } else if (c == '\'' && elided_and(b, i)) {
            take = 3;
            out[n_out++] = RSQUO;
            out[n_out++] = b->text[i + 1];
            out[n_out++] = RSQUO;
        } else if (c == '\'' && opens_after(b, i) && elided_start(b, i)) {
            out[n_out++] = RSQUO; /* ’tis */
        } else if (c == '"') {
            int open = dq[i];
            out[n_out++] = corner ? (open ? CORNER_L : CORNER_R) : (open ? LDQUO : RDQUO);
        } else if (c == '\'') {
            /* an apostrophe (don’t; ’90s, in Chinese 「繼春 ’62」, but '80后' is quoted), or in
             * English a closing quote after a word */
            if (single_is_apostrophe(b, i, zh, sq.is_open)) {
                out[n_out++] = RSQUO;
            } else {
                int open = zh ? quote_opens(b, i, &sq) : en_quote_opens(b, i, 0);
                out[n_out++] = corner ? (open ? WCORNER_L : WCORNER_R) : (open ? LSQUO : RSQUO);
            }
        } else if (corner && (c == LDQUO || c == RDQUO || c == LSQUO || (c == RSQUO && !latin_word))) {
            out[n_out++] = c == LDQUO ? CORNER_L : c == RDQUO ? CORNER_R
                         : c == LSQUO ? WCORNER_L : WCORNER_R;
        } else if (c == '-' && i + 1 < b->len && b->text[i + 1] == '-' && !in_url(b, i + 1) &&
                   same_mark(b, i, i + 1)) {
            kind = PB_CHANGE_DASH;
            take = i + 2 < b->len && b->text[i + 2] == '-' && !in_url(b, i + 2) &&
                           same_mark(b, i, i + 2)
                       ? 3
                       : 2;
            if (zh && take == 2 && i > 0 && is_digit_any(b->text[i - 1]) && i + 2 < b->len &&
                is_digit_any(b->text[i + 2])) {
                /* a range between figures, 1923--1998: the connector 一字线 — (GB/T 15834-2011
                 * §4.13.3.2, 起止 of times and places), not the dash of an interruption */
                out[n_out++] = EM_DASH;
            } else if (zh) {
                out[n_out++] = EM_DASH; /* Chinese: the two-em dash —— */
                out[n_out++] = EM_DASH;
            } else {
                out[n_out++] = take == 3 ? EM_DASH : EN_DASH;
            }
        } else if (c == '.' && i + 2 < b->len && b->text[i + 1] == '.' && b->text[i + 2] == '.' &&
                   !in_url(b, i + 1) && !in_url(b, i + 2) && same_mark(b, i, i + 1) &&
                   same_mark(b, i, i + 2) &&
                   (i + 3 == b->len || b->text[i + 3] != '.')) {
            kind = PB_CHANGE_ELLIPSIS;
            take = 3;
            out[n_out++] = HELLIP;
            if (zh)
                out[n_out++] = HELLIP; /* Chinese: the two-em ellipsis …… */
        }
        for (size_t k = 0; k < take; k++)
            r.at[i + k] = r.n;
        if (!n_out) {
            put(&r, c, b->col[i], m);
            i++;
            continue;
        }
        /* each output character keeps a column of its own (Chinese `--` -> ——: the two dashes
           take the columns of the two hyphens), so columns stay strictly increasing */
        for (size_t k = 0; k < n_out; k++)
            put(&r, out[k], b->col[i + (k < take ? k : take - 1)], m);
        st = record_n(ch, b->line, (int)b->col[i], kind, b->text + i, take, out, n_out);
        i += take;
    }
    if (zh)
        quote_plan_end(b, &sq);
    if (sq.told)
        *dq_told |= QUOTES_TOLD_SINGLE;
    free(dq);
    return adopt(b, &r, st);
}

/* ---- a space between two marks ---------------------------------------------------------- */

/* A space typed between two full-width marks of Chinese text (」 （, ） 「, 。 （, 」 “) is dropped and
 * listed: the white between two marks is their blanks', at most half an em once the marks meet
 * (nodes.c adjust_punct; clreq #h-adjustment_of_adjacent_punctuation_marks, 2024-03-21;
 * W3C JLREQ, 2020-08-11, §3.1.4, consecutive brackets and stops), and a space added to it
 * (1.26 em in all between 」 and （) reads as a hole in the line. An English line keeps its spaces: they are the English text's. */
static pb_status marks_space_block(pb_block *b, pb_changes *ch)
{
    size_t cand = 0;
    for (size_t i = 1; i + 1 < b->len; i++)
        cand += b->text[i] == ' ' && is_fullwidth_mark(b, i - 1) && is_fullwidth_mark(b, i + 1);
    if (!cand)
        return PB_OK;
    rebuilt r = {malloc(b->len * sizeof *r.text), malloc(b->len * sizeof *r.col),
                 b->marks ? malloc(b->len) : NULL, malloc((b->len + 1) * sizeof *r.at), 0};
    if (!r.text || !r.col || (b->marks && !r.marks) || !r.at) {
        free(r.text), free(r.col), free(r.marks), free(r.at);
        return pb_diag_oom("normalizing punctuation");
    }
    pb_status st = PB_OK;
    for (size_t i = 0; i < b->len && st == PB_OK; i++) {
        r.at[i] = r.n;
        if (i > 0 && i + 1 < b->len && b->text[i] == ' ' && is_fullwidth_mark(b, i - 1) &&
            is_fullwidth_mark(b, i + 1)) {
            st = record_n(ch, b->line, (int)b->col[i], PB_CHANGE_MARK_SPACE, b->text + i, 1,
                          b->text + i, 0); /* nothing after */
            continue;
        }
        put(&r, b->text[i], b->col[i], b->marks ? b->marks[i] : 0);
    }
    return adopt(b, &r, st);
}

/* ---- brackets left open, or crossing --------------------------------------------------------- */

/* The pairs whose balance is checked, in either language (a Chinese title 《…》 may stand in
 * English text, f(x) in Chinese): GB/T 15834-2011 §4.8 (括号), §4.9 (引号), §4.15 (书名号). */
static const uint32_t BRACKET_PAIRS[][2] = {
    {0xFF08, 0xFF09}, {CORNER_L, CORNER_R}, {WCORNER_L, WCORNER_R}, {0x300A, 0x300B},
    {0x3008, 0x3009}, {0x3010, 0x3011},     {LDQUO, RDQUO},         {LSQUO, RSQUO},
    {'(', ')'},       {'[', ']'}};
#define BRACKET_NONE ((size_t)-1)
/* How deep under the innermost open bracket a closing one looks for its pair, and the warnings
 * told for one paragraph (the rest counted in one more): bounds on hostile input, a paragraph
 * of a million brackets, far past any a writer nests or leaves open. */
#define BRACKET_SCAN_MAX 64
#define BRACKET_WARN_MAX 20
/* Longest enumerator before a list's closing parenthesis: 1) iv) 一） 十二） */
#define ENUMERATOR_MAX 3

/* The index in BRACKET_PAIRS of the pair c opens (*closes = 0) or closes (1), or BRACKET_NONE. */
static size_t bracket_of(uint32_t c, int *closes)
{
    /* the pairs lie in four ranges, ( to ], ‘ to ”, 〈 to 】, （ to ）: most text is in none */
    if (c < '(' || (c > ']' && c < LSQUO) || (c > RDQUO && c < 0x3008) ||
        (c > 0x3011 && c < 0xFF08) || c > 0xFF09)
        return BRACKET_NONE;
    for (size_t p = 0; p < sizeof BRACKET_PAIRS / sizeof *BRACKET_PAIRS; p++)
        for (int k = 0; k < 2; k++)
            if (BRACKET_PAIRS[p][k] == c) {
                *closes = k;
                return p;
            }
    return BRACKET_NONE;
}

static int is_enumerator_char(uint32_t c)
{
    static const uint32_t NUMERALS[] = {0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94,
                                        0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341}; /* 一 .. 十 */
    for (size_t k = 0; k < sizeof NUMERALS / sizeof *NUMERALS; k++)
        if (c == NUMERALS[k])
            return 1;
    return is_ascii_alnum(c) || is_digit_any(c);
}

/* a letter or digit of a script but Han: what an apostrophe stands inside (it's, l’été) */
static int is_latin_alnum(uint32_t c) { return pb_uchar_is_alnum(c) && !pb_uchar_is_han(c); }

/* c in UTF-8, in buf (5 bytes) */
static const char *mark_utf8(uint32_t c, char *buf)
{
    buf[pb_uchar_encode(c, buf)] = '\0';
    return buf;
}

/* Does the closing parenthesis at b->text[i] end a list's enumerator, "1)", "b)", "一）": one to
 * ENUMERATOR_MAX digits, letters or Chinese numerals after the paragraph's start or a mark? */
static int ends_enumerator(const pb_block *b, size_t i)
{
    size_t n = 0;
    while (n < i && is_enumerator_char(b->text[i - 1 - n]))
        n++;
    return n >= 1 && n <= ENUMERATOR_MAX && (n == i || !pb_uchar_is_alnum(b->text[i - 1 - n]));
}

/* Brackets and quotes of one paragraph that do not pair (review 9: "（包括（含" never closed,
 * "「這是『嵌套」引號』" crossing): a warning at the mark, as for straight quotes. A ’ that
 * closes nothing is an apostrophe (students’), a ) after a list's enumerator (1) b)) ends it;
 * told: the straight quotes warned about already (QUOTES_TOLD_*). Returns PB_OK or OOM. */
static pb_status check_brackets(const pb_block *b, const char *file, int told)
{
    size_t n_open = 0;
    for (size_t i = 0; i < b->len; i++) {
        int closes;
        n_open += bracket_of(b->text[i], &closes) != BRACKET_NONE && !closes;
    }
    if (!file || !b->len)
        return PB_OK;
    struct open_mark {
        size_t at;
        uint8_t told; /* already warned about (it crossed) */
        uint8_t gone; /* closed across an inner one: no longer open */
    } *stack = n_open ? malloc(n_open * sizeof *stack) : NULL;
    if (n_open && !stack)
        return pb_diag_oom("checking brackets");
    size_t depth = 0, warned = 0;
    char u[3][5];
    for (size_t i = 0; i < b->len; i++) {
        uint32_t c = b->text[i];
        int closes;
        size_t p = in_url(b, i) ? BRACKET_NONE : bracket_of(c, &closes);
        if (p == BRACKET_NONE || ((told & QUOTES_TOLD_DOUBLE) && (c == LDQUO || c == RDQUO)) ||
            ((told & QUOTES_TOLD_SINGLE) && (c == LSQUO || c == RSQUO)))
            continue;
        if (!closes) {
            stack[depth++] = (struct open_mark){i, 0, 0};
            continue;
        }
        if (c == RSQUO && i > 0 && i + 1 < b->len && is_latin_alnum(b->text[i - 1]) &&
            is_latin_alnum(b->text[i + 1]))
            continue; /* it's */
        /* the opener it closes, looked for BRACKET_SCAN_MAX deep at most (no quadratic time
         * on a paragraph of a million brackets); k is one past it, 0: none */
        size_t k = depth;
        while (k > 0 && depth - k < BRACKET_SCAN_MAX &&
               (stack[k - 1].gone || b->text[stack[k - 1].at] != BRACKET_PAIRS[p][0]))
            k--;
        if (k > 0 && (stack[k - 1].gone || b->text[stack[k - 1].at] != BRACKET_PAIRS[p][0]))
            k = 0;
        if (k > 0 && k == depth) { /* it closes the innermost: a pair */
            while (--depth > 0 && stack[depth - 1].gone)
                ;
            continue;
        }
        if (c == RSQUO || (k == 0 && (c == ')' || c == 0xFF09) && ends_enumerator(b, i)))
            continue; /* an apostrophe; 1) */
        if (k == 0) {
            if (warned++ < BRACKET_WARN_MAX)
                pb_diag_warning(file, b->line, (int)b->col[i],
                                "unbalanced brackets: this %s closes a bracket that no %s opens: "
                                "add the missing %s, or take this one out",
                                mark_utf8(c, u[0]), mark_utf8(BRACKET_PAIRS[p][0], u[1]), u[1]);
            continue;
        }
        size_t in = k; /* the innermost still open inside it */
        while (stack[in].gone)
            in++;
        if (!stack[in].told && warned++ < BRACKET_WARN_MAX)
            pb_diag_warning(file, b->line, (int)b->col[i],
                            "brackets cross: this %s closes the %s at column %u while the %s "
                            "opened at column %u inside it is still open: close the inner one "
                            "first",
                            mark_utf8(c, u[0]), mark_utf8(BRACKET_PAIRS[p][0], u[1]),
                            (unsigned)b->col[stack[k - 1].at],
                            mark_utf8(b->text[stack[in].at], u[2]), (unsigned)b->col[stack[in].at]);
        for (size_t q = k; q < depth; q++)
            stack[q].told = 1;
        stack[k - 1].gone = 1;
    }
    for (size_t q = 0; q < depth; q++) {
        if (stack[q].told || stack[q].gone || warned++ >= BRACKET_WARN_MAX)
            continue;
        uint32_t c = b->text[stack[q].at];
        int closes;
        size_t p = bracket_of(c, &closes);
        pb_diag_warning(file, b->line, (int)b->col[stack[q].at],
                        "unbalanced brackets: this %s opens a bracket that no %s closes before "
                        "the paragraph ends: add the missing %s",
                        mark_utf8(c, u[0]), mark_utf8(BRACKET_PAIRS[p][1], u[1]), u[1]);
    }
    if (warned > BRACKET_WARN_MAX)
        pb_diag_warning(file, b->line, (int)b->col[0],
                        "unbalanced brackets: %zu more in this paragraph, not listed",
                        warned - BRACKET_WARN_MAX);
    free(stack);
    return PB_OK;
}

/* ---- compatibility ligatures ------------------------------------------------------------------ */

/* The Latin compatibility ligatures U+FB00-FB06 (ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ), as text pasted from a PDF
 * holds them: set as they stand they are extracted as one character each, so a search for
 * "file" misses "ﬁle"; the font makes the ligature again where it has one. Each becomes its
 * letters (NFKC, Unicode's compatibility decomposition), listed in the report. */
#define LIGATURE_FIRST 0xFB00u
#define LIGATURE_LAST 0xFB06u

static pb_status ligature_block(pb_block *b, pb_changes *ch)
{
    size_t n_lig = 0;
    for (size_t i = 0; i < b->len; i++)
        n_lig += b->text[i] >= LIGATURE_FIRST && b->text[i] <= LIGATURE_LAST;
    if (!n_lig)
        return PB_OK;
    size_t cap = b->len + n_lig * (PB_CHANGE_MAX - 1);
    rebuilt r = {malloc(cap * sizeof *r.text), malloc(cap * sizeof *r.col),
                 b->marks ? malloc(cap) : NULL, malloc((b->len + 1) * sizeof *r.at), 0};
    if (!r.text || !r.col || (b->marks && !r.marks) || !r.at) {
        free(r.text), free(r.col), free(r.marks), free(r.at);
        return pb_diag_oom("normalizing ligatures");
    }
    UErrorCode err = U_ZERO_ERROR;
    const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&err);
    pb_status st = PB_OK;
    for (size_t i = 0; i < b->len && st == PB_OK; i++) {
        uint32_t c = b->text[i], out[PB_CHANGE_MAX];
        uint8_t m = b->marks ? b->marks[i] : 0;
        r.at[i] = r.n;
        UChar d[PB_CHANGE_MAX + 1];
        int32_t n = -1;
        if (c >= LIGATURE_FIRST && c <= LIGATURE_LAST && U_SUCCESS(err))
            n = unorm2_getDecomposition(nfkc, (UChar32)c, d, PB_CHANGE_MAX + 1, &err);
        if (n < 1 || n > PB_CHANGE_MAX || U_FAILURE(err)) {
            err = U_ZERO_ERROR;
            put(&r, c, b->col[i], m);
            continue;
        }
        for (int32_t k = 0; k < n; k++) { /* ASCII letters: one UTF-16 unit each */
            out[k] = d[k];
            put(&r, d[k], b->col[i], m);
        }
        st = record_n(ch, b->line, (int)b->col[i], PB_CHANGE_LIGATURE, &c, 1, out, (size_t)n);
    }
    return adopt(b, &r, st);
}

/* ---- full-width marks in English ------------------------------------------------------------ */

/* The ASCII form of a full-width mark typed into English text (a Chinese input method left
 * on), or 0. */
static uint32_t halfwidth(uint32_t c)
{
    switch (c) {
    case 0xFF0C: return ',';
    case 0x3002: return '.';
    case 0xFF1A: return ':';
    case 0xFF1B: return ';';
    case 0xFF01: return '!';
    case 0xFF1F: return '?';
    case 0xFF08: return '(';
    case 0xFF09: return ')';
    default: return 0;
    }
}

/* English text takes no full-width marks: "algorithm：a finite，well-defined" reads as
 * "algorithm: a finite, well-defined". A full-width ，。：；！？（） with no Han character on
 * either side (one beside Han text is the Chinese it quotes) becomes its ASCII form; a space
 * follows a , . : ; ! ? or ) before a letter, digit or opening bracket, and precedes a ( after
 * a letter or digit, as English sets them. The space has no column of its own: it takes its
 * mark's. */
static pb_status halfwidth_block(pb_block *b, pb_changes *ch)
{
    size_t cand = 0;
    for (size_t i = 0; i < b->len; i++)
        cand += halfwidth(b->text[i]) != 0;
    if (!cand)
        return PB_OK;
    size_t cap = b->len + cand; /* each mark gains at most one space */
    rebuilt r = {malloc(cap * sizeof *r.text), malloc(cap * sizeof *r.col),
                 b->marks ? malloc(cap) : NULL, malloc((b->len + 1) * sizeof *r.at), 0};
    if (!r.text || !r.col || (b->marks && !r.marks) || !r.at) {
        free(r.text), free(r.col), free(r.marks), free(r.at);
        return pb_diag_oom("normalizing punctuation");
    }
    /* decide on the text as written; a bracket pair goes together (人工智慧（AI）: the opening
     * one beside Han text keeps the closing one full-width too) */
    unsigned char *conv = calloc(b->len, 1);
    size_t *open = malloc(b->len * sizeof *open), n_open = 0;
    if (!conv || !open) {
        free(conv), free(open), free(r.text), free(r.col), free(r.marks), free(r.at);
        return pb_diag_oom("normalizing punctuation");
    }
    for (size_t i = 0; i < b->len; i++) {
        uint32_t prev = i > 0 ? b->text[i - 1] : 0, next = i + 1 < b->len ? b->text[i + 1] : 0;
        conv[i] = halfwidth(b->text[i]) && !in_url(b, i) && !pb_uchar_is_han(prev) &&
                  !pb_uchar_is_han(next);
        if (b->text[i] == 0xFF08)
            open[n_open++] = i;
        else if (b->text[i] == 0xFF09 && n_open) {
            size_t o = open[--n_open];
            conv[o] = conv[i] = conv[o] && conv[i];
        }
    }
    free(open);
    pb_status st = PB_OK;
    for (size_t i = 0; i < b->len && st == PB_OK; i++) {
        uint32_t c = b->text[i], a = halfwidth(c);
        uint8_t m = b->marks ? b->marks[i] : 0;
        uint32_t prev = i > 0 ? b->text[i - 1] : 0, next = i + 1 < b->len ? b->text[i + 1] : 0;
        r.at[i] = r.n;
        if (!conv[i]) {
            put(&r, c, b->col[i], m);
            continue;
        }
        uint32_t out[2];
        size_t n_out = 0;
        if (a == '(' && is_ascii_alnum(prev))
            out[n_out++] = ' ';
        out[n_out++] = a;
        if (a != '(' && (is_ascii_alnum(next) || halfwidth(next) == '(' || next == '(' ||
                         next == LDQUO))
            out[n_out++] = ' ';
        for (size_t k = 0; k < n_out; k++)
            put(&r, out[k], b->col[i], m);
        st = record_n(ch, b->line, (int)b->col[i], PB_CHANGE_HALFWIDTH, &c, 1, out, n_out);
    }
    free(conv);
    return adopt(b, &r, st);
}

/* UAX #15 stream-safe text format: at most 30 non-starters in a row. Longer runs are no text
 * any language writes, and shaping them costs time quadratic in their length (mark
 * attachment), so they are refused. A character that does not start a new grapheme cluster
 * (UAX #29: Grapheme_Cluster_Break Extend, ZWJ or SpacingMark) continues the run: U+034F
 * COMBINING GRAPHEME JOINER (which UAX #15 itself puts between runs of 30), ZWNJ, ZWJ and the
 * variation selectors join the marks around them to the same base: runs of 30 marks
 * separated by them would make one cluster of any length, shaped in quadratic time. */
#define MAX_COMBINING_RUN 30

/* No character below U+0300 COMBINING GRAVE ACCENT, and no ideograph, continues a cluster
 * (Unicode 15.0 as ICU 72 has it): the bulk of a text is answered without asking ICU. */
#define CLUSTER_CONTINUES_FIRST 0x0300u

/* Does c continue the grapheme cluster of the character before it? */
static int continues_cluster(uint32_t c)
{
    if (c < CLUSTER_CONTINUES_FIRST || pb_uchar_is_han(c))
        return 0;
    if (u_getCombiningClass((UChar32)c) != 0)
        return 1;
    switch (u_getIntPropertyValue((UChar32)c, UCHAR_GRAPHEME_CLUSTER_BREAK)) {
    case U_GCB_EXTEND:
    case U_GCB_ZWJ:
    case U_GCB_SPACING_MARK:
        return 1;
    default:
        return 0;
    }
}

/* A combining mark (General_Category M) that opens a paragraph or a line of it: no base
 * character before it, a defective combining character sequence (The Unicode Standard 15.0,
 * §3.6 D57; §2.11 gives a mark its base before it). Pasted from a text whose base was lost, it is
 * drawn over nothing (or a dotted circle): a warning at it, once a paragraph. */
static int mark_without_base(const pb_block *b, size_t k)
{
    return (k == 0 || b->text[k - 1] == PB_LINE_BREAK) && b->text[k] >= CLUSTER_CONTINUES_FIRST &&
           (U_GET_GC_MASK((UChar32)b->text[k]) & U_GC_M_MASK);
}

static pb_status check_combining(const pb_doc *doc)
{
    for (size_t i = 0; i < doc->n_blocks; i++) {
        const pb_block *b = &doc->blocks[i];
        size_t run = 0;
        int told = 0;
        for (size_t k = 0; k < b->len; k++) {
            if (!told && mark_without_base(b, k)) {
                char name[CHAR_NAME_MAX];
                pb_uchar_name(b->text[k], name, sizeof name);
                pb_diag_warning(doc->file, b->line, (int)b->col[k],
                                "U+%04X %s has no base character: a defective combining "
                                "character sequence (The Unicode Standard, section 3.6, D57), "
                                "set over nothing; remove it, or type it after its letter",
                                (unsigned)b->text[k], name);
                told = 1;
            }
            run = continues_cluster(b->text[k]) ? run + 1 : 0;
            if (run > MAX_COMBINING_RUN) {
                pb_diag_error(doc->file, b->line, (int)b->col[k],
                              "more than %d combining marks in a row (UAX #15 stream-safe "
                              "limit; joiners such as U+034F do not end the row)",
                              MAX_COMBINING_RUN);
                return PB_EINPUT;
            }
        }
    }
    return PB_OK;
}

/* Setting a paragraph keeps its glyphs, nodes, Knuth-Plass breaks and placed lines until its
 * last line is set: up to PB_PARA_BYTES_PER_CODE_POINT bytes of memory per code point
 * (measured: 223 for the corpus's English, 280 for one-letter words, 241 for its Chinese with
 * pinyin, 446 for Han characters alone, which are a box and a glue each; tests/README.md
 * "Limits"). A paragraph is refused beyond PB_PARA_MAX_CODE_POINTS code points of its source
 * line (pinyin annotations included), before any of that is spent; no real paragraph comes
 * near it. */
static pb_status check_length(const pb_doc *doc)
{
    for (size_t i = 0; i < doc->n_blocks; i++) {
        const pb_block *b = &doc->blocks[i];
        if (b->len == 0)
            continue;
        /* the source columns from the first code point on are the paragraph's: its text, and
         * its annotations with their parentheses (the last may follow the last text) */
        size_t last = b->col[b->len - 1];
        if (b->n_annots && b->annots[b->n_annots - 1].base == b->len - 1)
            last = (size_t)b->annots[b->n_annots - 1].col + b->annots[b->n_annots - 1].len + 1;
        if (last - b->col[0] < PB_PARA_MAX_CODE_POINTS)
            continue;
        pb_diag_error(doc->file, b->line, (int)(b->col[0] + PB_PARA_MAX_CODE_POINTS),
                      "paragraph longer than %d code points (the limit: setting a paragraph "
                      "takes up to %d bytes of memory per code point)",
                      PB_PARA_MAX_CODE_POINTS, PB_PARA_BYTES_PER_CODE_POINT);
        return PB_EINPUT;
    }
    return PB_OK;
}

/* ---- invisible, format and right-to-left characters ---- */

/* paiban sets every line left to right. A character the Unicode Bidirectional Algorithm
 * (UAX #9) would set right to left is refused rather than drawn in the wrong order: strong
 * right-to-left letters (Bidi_Class R, AL), the embedding, override and isolate controls (their
 * whole point is to reorder), and anything else UAX #9 gives a level above 0 in a left-to-right
 * paragraph (Arabic digits, digits after U+200F). The marks U+200E, U+200F, U+061C with no
 * such effect are dropped: in left-to-right text they change nothing. */
#define LTR_ONLY "paiban sets left-to-right text only"

static int is_bidi_control(UCharDirection d)
{
    return d == U_LEFT_TO_RIGHT_EMBEDDING || d == U_LEFT_TO_RIGHT_OVERRIDE ||
           d == U_RIGHT_TO_LEFT_EMBEDDING || d == U_RIGHT_TO_LEFT_OVERRIDE ||
           d == U_POP_DIRECTIONAL_FORMAT || d == U_LEFT_TO_RIGHT_ISOLATE ||
           d == U_RIGHT_TO_LEFT_ISOLATE || d == U_FIRST_STRONG_ISOLATE ||
           d == U_POP_DIRECTIONAL_ISOLATE;
}

static int is_bidi_mark(uint32_t c) { return c == CP_LRM || c == CP_RLM || c == CP_ALM; }

static pb_status refuse(const pb_doc *doc, const pb_block *b, size_t i, const char *what,
                        const char *why)
{
    char name[CHAR_NAME_MAX];
    pb_uchar_name(b->text[i], name, sizeof name);
    pb_diag_error(doc->file, b->line, (int)b->col[i], "%sU+%04X %s%s: " LTR_ONLY, what,
                  (unsigned)b->text[i], name, why);
    return PB_EINPUT;
}

/* Levels UAX #9 gives the block in a left-to-right paragraph (ICU's BiDi): a character other
 * than a bidi mark above level 0 would be reordered; refused at the right-to-left mark before
 * it that causes this, else at the character. */
static pb_status check_levels(const pb_doc *doc, const pb_block *b)
{
    size_t cap = 2 * b->len + 1; /* UTF-16 units */
    UChar *u16 = malloc(cap * sizeof *u16);
    size_t *cp_of = malloc(cap * sizeof *cp_of); /* per UTF-16 unit: its code point's index */
    UErrorCode e = U_ZERO_ERROR;
    UBiDi *bidi = ubidi_openSized((int32_t)cap, 0, &e);
    pb_status st = PB_OK;
    if (!u16 || !cp_of || !bidi) {
        st = pb_diag_oom("checking the text direction");
        goto out;
    }
    int32_t n16 = 0;
    for (size_t i = 0; i < b->len; i++) {
        uint16_t u[2];
        for (size_t k = 0, n = pb_uchar_utf16(b->text[i], u); k < n; k++) {
            u16[n16] = (UChar)u[k];
            cp_of[n16++] = i;
        }
    }
    ubidi_setPara(bidi, u16, n16, UBIDI_LTR, NULL, &e);
    const UBiDiLevel *levels = U_SUCCESS(e) ? ubidi_getLevels(bidi, &e) : NULL;
    if (U_FAILURE(e) || !levels) {
        pb_diag_syserr("ICU BiDi: %s", u_errorName(e));
        st = PB_ESYSTEM;
        goto out;
    }
    for (int32_t k = 0; k < n16 && st == PB_OK; k++) {
        size_t i = cp_of[k];
        /* boundary neutrals (joiners, invisible characters) take no part (UAX #9 X9) */
        if (levels[k] == 0 || is_bidi_mark(b->text[i]) ||
            u_charDirection((UChar32)b->text[i]) == U_BOUNDARY_NEUTRAL)
            continue;
        size_t m = i;
        while (m > 0 && b->text[m - 1] != CP_RLM && b->text[m - 1] != CP_ALM)
            m--;
        st = m > 0 ? refuse(doc, b, m - 1, "", " would reorder the text after it (UAX #9)")
                   : refuse(doc, b, i, "", " would be set right to left (UAX #9)");
    }
out:
    if (bidi)
        ubidi_close(bidi);
    free(u16);
    free(cp_of);
    return st;
}

/* No right-to-left, Arabic-number or bidi-control character lies below U+0590 (the Hebrew
 * block) or between U+2E80 (CJK radicals) and U+FB1C (UnicodeData Bidi_Class): Latin and Han
 * text is answered without asking ICU. */
#define RTL_FIRST 0x0590u
#define RTL_GAP_FIRST 0x2E80u
#define RTL_GAP_LAST 0xFB1Cu

static pb_status check_direction(const pb_doc *doc)
{
    for (size_t i = 0; i < doc->n_blocks; i++) {
        const pb_block *b = &doc->blocks[i];
        int rtl_context = 0;
        for (size_t k = 0; k < b->len; k++) {
            uint32_t c = b->text[k];
            if (c < RTL_FIRST || (c >= RTL_GAP_FIRST && c <= RTL_GAP_LAST))
                continue;
            UCharDirection d = u_charDirection((UChar32)c);
            if (is_bidi_control(d))
                return refuse(doc, b, k, "bidirectional control ", "");
            if ((d == U_RIGHT_TO_LEFT || d == U_RIGHT_TO_LEFT_ARABIC) && !is_bidi_mark(c))
                return refuse(doc, b, k, "right-to-left character ", "");
            rtl_context |= d == U_ARABIC_NUMBER || c == CP_RLM || c == CP_ALM;
        }
        if (rtl_context) {
            pb_status st = check_levels(doc, b);
            if (st != PB_OK)
                return st;
        }
    }
    return PB_OK;
}

/* What an invisible character kept in the text does (it draws nothing: shape.c has HarfBuzz
 * remove every default ignorable). */
static const char *kept_why(uint32_t c)
{
    switch (c) {
    case CP_SHY: return "a hyphenation point: a hyphen is drawn only if the line breaks there";
    case CP_ZWSP: return "a line break opportunity; draws nothing";
    case CP_WJ: return "forbids a line break; draws nothing";
    case CP_ZWNJ: return "keeps its neighbours from joining or forming a ligature; draws nothing";
    case CP_ZWJ: return "asks its neighbours to join; draws nothing";
    default: break;
    }
    if (u_hasBinaryProperty((UChar32)c, UCHAR_VARIATION_SELECTOR))
        return "selects a form of the character before it; draws nothing";
    if (pb_uchar_is_default_ignorable(c))
        return "Default_Ignorable_Code_Point; draws nothing";
    return "a format character, drawn as its font has it";
}

static pb_status record_invisible(pb_changes *ch, const pb_block *b, size_t i,
                                  pb_invisible_action action, uint32_t replacement,
                                  const char *why)
{
    if (!ch)
        return PB_OK;
    if (pb_util_grow(&ch->invisibles, &ch->cap_invisibles, ch->n_invisibles + 1,
                     sizeof *ch->invisibles, CHANGES_INITIAL_CAP))
        return pb_diag_oom("normalizing punctuation");
    ch->invisibles[ch->n_invisibles++] =
        (pb_invisible){.line = b->line, .col = (int)b->col[i], .cp = b->text[i],
                       .replacement = replacement, .action = action, .why = why};
    return PB_OK;
}

static int is_edge_space(uint32_t c)
{
    return c == ' ' || c == '\t' || c == CP_NBSP || c == CP_IDEO_SPACE;
}

/* b->text[i], a space, was typed as a TAB (U+0009). */
static int typed_tab(const pb_block *b, size_t i)
{
    return b->marks && (b->marks[i] & PB_MARK_TAB);
}

/* A run of spaces from b->text[i] on (i the first space dropped, the one before it kept, a TAB
 * when tab): one change, listed at the kept space, naming the characters as typed (a TAB is
 * read as a space: corpus.c); the run becomes one space, or an em space (gap). */
static pb_status record_spaces(pb_changes *ch, const pb_block *b, size_t i, uint32_t col, int tab,
                               int gap)
{
    uint32_t typed[PB_CHANGE_MAX] = {tab ? '\t' : ' '};
    size_t m = i;
    for (; m < b->len && b->text[m] == ' '; m++)
        if (m - i + 1 < PB_CHANGE_MAX)
            typed[m - i + 1] = typed_tab(b, m) ? '\t' : ' ';
    static const uint32_t space[1] = {' '}, em_space[1] = {PB_UCHAR_FIELD_GAP};
    size_t run = m - i + 1;
    pb_status st = record_n(ch, b->line, (int)col, PB_CHANGE_SPACES, typed,
                            run < PB_CHANGE_MAX ? run : PB_CHANGE_MAX, gap ? em_space : space, 1);
    if (st == PB_OK && ch)
        ch->items[ch->n - 1].run = run;
    return st;
}

/* The run of spaces whose kept space is b->text[kept] (in the text kept so far) and whose
 * dropped ones start at b->text[i] lies at an edge of the block: only spaces (or characters
 * dropped here) before it, or after it; the trimming below removes it like the line's own
 * edge spaces, so it is no change to list (a fuzz finding: LRM + spaces at a line's start). */
static int edge_run(const pb_block *b, size_t kept, size_t i)
{
    size_t p = 0;
    while (p < kept && is_edge_space(b->text[p]))
        p++;
    if (p == kept)
        return 1;
    size_t q = i;
    while (q < b->len && (is_edge_space(b->text[q]) || is_bidi_mark(b->text[q])))
        q++;
    return q == b->len;
}

/* ---- the spaces of General Punctuation --------------------------------------------------------- */

#define CP_NNBSP 0x202Fu        /* NARROW NO-BREAK SPACE */
#define CP_FIGURE_SPACE 0x2007u /* FIGURE SPACE */
#define CP_EM_SPACE_LAST 0x2003u /* U+2000 EN QUAD .. U+2003 EM SPACE: half an em or more */

/* A space a line may not break at (UAX #14 class GL): U+2007, U+202F. The others are class BA,
 * a break after them (UAX #14 §5.1, "Breaking Spaces"). */
static int no_break_space(uint32_t c) { return c == CP_FIGURE_SPACE || c == CP_NNBSP; }

/* A narrow space: a sixth of an em or less (U+2006 SIX-PER-EM .. U+200A HAIR SPACE, U+202F;
 * U+2007 a figure's width), what a typesetter puts between a number's digit groups, a number
 * and its unit, or a mark and its word, never a word space. */
static int narrow_space(uint32_t c) { return (c >= 0x2006u && c <= 0x200Au) || c == CP_NNBSP; }

static int is_ascii_digit(uint32_t c) { return c >= '0' && c <= '9'; }

/* Blocks whose runs of spaces set fields apart: {left}, {right}, {center} lines, and list
 * items of labelled fields (corpus.c: a schedule's "…  Speaker: …  Venue: …") */
#define FIELD_BLOCKS (PB_BLOCK_LEFT | PB_BLOCK_RIGHT | PB_BLOCK_CENTER | PB_BLOCK_FIELDS)

/* What becomes of a Unicode space (U+2000-U+200A, U+202F, U+205F: pasted from a word processor
 * or a layout program, where it was set as typed) at b->text[i], the text kept so far ending at
 * b->text[k - 1] (*run_end: where the run of spaces it is in ends, kept between calls): *to
 * the character set for it (itself: kept; 0: dropped), and why, for the
 * report, which lists every one as a TAB's space is (review 12 C5).
 * - At the paragraph's edge: dropped, as a space typed there is.
 * - In a {left}, {right} or {center} line, a space of half an em or more (U+2000-U+2003): the
 *   gap between two fields (簽訂日期：…日 簽訂地點：…), the em space a run of spaces there
 *   becomes, in either language.
 * - Between two Chinese characters or marks: dropped. Chinese sets no space between them; the
 *   white beside a mark is its blank's (clreq #h-adjustment_of_adjacent_punctuation_marks and
 *   §3.1, 2024-03-21), the one between an ideograph and a Latin word is nodes.c's. A pasted
 *   space there is an artefact of the source's justification.
 * - A narrow one after a digit, before a digit or a letter: a number's digit groups (1 000 000)
 *   or a number and its unit (5 km), which the SI Brochure (9th ed., 2019, §5.4.4, §5.4.3) sets
 *   with a thin space and keeps on one line: kept, a thin or hair one as U+202F NARROW NO-BREAK
 *   SPACE (a line that broke there would read as two numbers).
 * - A narrow one beside a mark (« mot », a thin space at a dash): kept as typed.
 * - Otherwise, between two words (or a word and a Chinese character): a word space, justified
 *   as one, U+0020 (UAX #14 class BA; TeX's interword glue, The TeXbook ch. 12), or U+00A0 for
 *   a no-break one (class GL); dropped beside a space the text has already. */
static const char *unicode_space(const pb_block *b, size_t i, size_t k, size_t *run_end,
                                 uint32_t *to)
{
    uint32_t c = b->text[i];
    size_t p = 0;
    while (p < k && is_edge_space(b->text[p]))
        p++;
    size_t q = *run_end > i ? *run_end : i + 1; /* the run's end, found once a run */
    while (q < b->len && (is_edge_space(b->text[q]) || pb_uchar_is_unicode_space(b->text[q]) ||
                          is_bidi_mark(b->text[q])))
        q++;
    *run_end = q;
    uint32_t prev = k ? b->text[k - 1] : 0, next = i + 1 < b->len ? b->text[i + 1] : 0;
    *to = 0;
    if (p == k || q == b->len || prev == PB_LINE_BREAK || next == PB_LINE_BREAK)
        return "at the paragraph's or a line's edge, where no space is set";
    if ((b->flags & FIELD_BLOCKS) && c <= CP_EM_SPACE_LAST) {
        *to = PB_UCHAR_FIELD_GAP;
        return "a gap between two fields of a {left}, {right} or {center} line: an em space";
    }
    if (is_han_context(prev) && is_han_context(b->text[q]))
        return "between Chinese characters or marks, where Chinese sets no space";
    if (narrow_space(c) && is_ascii_digit(prev) && (is_ascii_digit(next) || u_isalpha((UChar32)next))) {
        *to = CP_NNBSP;
        return "in a number or before its unit (SI Brochure section 5.4.4, 5.4.3): a thin space "
               "no line breaks at";
    }
    if (narrow_space(c) && (u_ispunct((UChar32)prev) || u_ispunct((UChar32)next))) {
        *to = c;
        return "a fine space beside a mark, as typed";
    }
    if (prev == ' ' || prev == CP_NBSP || next == ' ' || next == CP_NBSP)
        return "beside a word space: one word space";
    *to = no_break_space(c) ? CP_NBSP : ' ';
    return no_break_space(c) ? "between words: a no-break word space, justified as one"
                             : "between words: a word space, justified as one";
}

/* Keep, drop or replace every invisible character of b, and list each; a run of spaces becomes
 * one (TeX reads consecutive spaces as one, The TeXbook ch. 8; HTML collapses white space, CSS
 * Text 3 §4.1.1): spaces typed to line up columns cannot line up in justified text, and a
 * paragraph sets one interword space. In a {left}, {right} or {center} block (a sign-off:
 * "Date: 8 January 2027    Place: Shanghai") the run sets its fields apart, as the Chinese
 * line's ideographic spaces do: it becomes an em space, a break at no cost (nodes.c), not a
 * word space that runs the fields into one sentence. A dropped character leaves no space at
 * the block's edges (the reader trimmed them before). */
static pb_status invisibles_block(pb_block *b, pb_changes *ch)
{
    size_t k = 0, a = 0;
    int spaced = 0; /* the last character kept is a space (a run of spaces is being dropped) */
    size_t space_end = 0; /* unicode_space(): the end of the run of spaces last met */
    size_t *at = b->n_links ? malloc((b->len + 1) * sizeof *at) : NULL; /* old -> new index */
    if (b->n_links && !at)
        return pb_diag_oom("normalizing punctuation");
    for (size_t i = 0; i < b->len; i++) {
        uint32_t c = b->text[i];
        if (at)
            at[i] = k;
        pb_status st = PB_OK;
        int drop = 0;
        if (is_bidi_mark(c)) {
            st = record_invisible(ch, b, i, PB_INVISIBLE_DROPPED, 0,
                                  "no effect in left-to-right text");
            drop = 1;
        } else if (c == CP_ZWNBSP) {
            st = record_invisible(ch, b, i, PB_INVISIBLE_REPLACED, CP_WJ,
                                  "a word joiner inside text, which Unicode spells U+2060; "
                                  "U+FEFF is the byte order mark");
            b->text[i] = CP_WJ;
        } else if (b->marks && (b->marks[i] & PB_MARK_LS)) {
            st = record_invisible(ch, b, i, PB_INVISIBLE_KEPT, 0,
                                  "a line separator: a forced line break, as <br>");
        } else if (pb_uchar_is_unicode_space(c)) {
            uint32_t to;
            const char *why = unicode_space(b, i, k, &space_end, &to);
            st = record_invisible(ch, b, i,
                                  !to ? PB_INVISIBLE_DROPPED
                                  : to == c ? PB_INVISIBLE_KEPT
                                            : PB_INVISIBLE_REPLACED,
                                  to, why);
            b->text[i] = to;
            drop = !to;
        } else if (pb_uchar_is_invisible(c)) {
            st = record_invisible(ch, b, i, PB_INVISIBLE_KEPT, 0, kept_why(c));
        } else if (c == ' ' && k > 0 &&
                   (b->text[k - 1] == ' ' || (spaced && b->text[k - 1] == PB_UCHAR_FIELD_GAP))) {
            if (!spaced && !edge_run(b, k - 1, i)) {
                int gap = (b->flags & FIELD_BLOCKS) != 0;
                st = record_spaces(ch, b, i, b->col[k - 1], typed_tab(b, k - 1), gap);
                if (gap)
                    b->text[k - 1] = PB_UCHAR_FIELD_GAP;
            }
            spaced = drop = 1;
        } else if (typed_tab(b, i) && (i + 1 >= b->len || b->text[i + 1] != ' ') &&
                   !edge_run(b, k, i + 1)) { /* a TAB alone: read as a space, listed */
            st = record_spaces(ch, b, i + 1, b->col[i], 1, 0);
        }
        if (st != PB_OK) {
            free(at);
            return st;
        }
        if (drop)
            continue;
        spaced = 0;
        /* an annotation's base moves with its character (bases ascend; a base is Han) */
        for (; a < b->n_annots && b->annots[a].base == i; a++)
            b->annots[a].base = k;
        if (b->marks)
            b->marks[k] = b->marks[i];
        b->text[k] = b->text[i];
        b->col[k++] = b->col[i];
    }
    if (at) { /* the links' ends move with their characters */
        at[b->len] = k;
        for (size_t l = 0; l < b->n_links; l++) {
            b->links[l].start = at[b->links[l].start];
            b->links[l].end = at[b->links[l].end];
        }
        free(at);
    }
    size_t lo = 0, hi = k;
    while (lo < hi && is_edge_space(b->text[lo]))
        lo++;
    while (hi > lo && is_edge_space(b->text[hi - 1]))
        hi--;
    if (lo > 0) {
        memmove(b->text, b->text + lo, (hi - lo) * sizeof *b->text);
        memmove(b->col, b->col + lo, (hi - lo) * sizeof *b->col);
        if (b->marks)
            memmove(b->marks, b->marks + lo, hi - lo);
        for (a = 0; a < b->n_annots; a++)
            b->annots[a].base -= lo;
    }
    for (size_t l = 0; l < b->n_links; l++) { /* within the trimmed text */
        b->links[l].start = b->links[l].start < lo ? 0 : b->links[l].start - lo;
        b->links[l].end = b->links[l].end < lo ? 0 : b->links[l].end - lo;
        if (b->links[l].end > hi - lo)
            b->links[l].end = hi - lo;
        if (b->links[l].start > b->links[l].end)
            b->links[l].start = b->links[l].end;
    }
    b->len = hi - lo;
    return PB_OK;
}

/* Invisibles in source order (the blank lines' among the blocks'). */
static int invisible_by_position(const void *a, const void *b)
{
    const pb_invisible *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return (x->col > y->col) - (x->col < y->col);
}

/* The invisible characters of the lines read as blank (corpus.c): listed as dropped. */
static pb_status blank_lines(const pb_doc *doc, pb_changes *ch)
{
    if (!ch)
        return PB_OK;
    for (size_t i = 0; i < doc->n_blank_chars; i++) {
        if (pb_util_grow(&ch->invisibles, &ch->cap_invisibles, ch->n_invisibles + 1,
                         sizeof *ch->invisibles, CHANGES_INITIAL_CAP))
            return pb_diag_oom("normalizing punctuation");
        const pb_blank_char *c = &doc->blank_chars[i];
        ch->invisibles[ch->n_invisibles++] = (pb_invisible){
            .line = c->line, .col = c->col, .cp = c->cp, .action = PB_INVISIBLE_DROPPED,
            .why = "a line of invisible characters only, read as a blank line"};
    }
    qsort(ch->invisibles, ch->n_invisibles, sizeof *ch->invisibles, invisible_by_position);
    return PB_OK;
}

/* Changes in source order (a block's full-width and smart changes are found apart). */
static int by_position(const void *a, const void *b)
{
    const pb_change *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return (x->col > y->col) - (x->col < y->col);
}

void pb_normalize_opts_of(const pb_layout *layout, pb_normalize_opts *out)
{
    out->smart = layout->smart_punctuation;
    out->quotes_zh = layout->quotes_zh;
}

/* Ideographic spaces typed before a paragraph's text as its indent ("　　第一条…", how
 * government files are typed): the reader trimmed them (corpus.c) and the layout sets the
 * indent; listed as a change, as a run of spaces is (review 13 C8: dropped silently). */
static pb_status typed_indent(const pb_block *b, pb_changes *ch)
{
    if (!b->typed_indent)
        return PB_OK;
    uint32_t typed[PB_CHANGE_MAX], none[1] = {0};
    size_t n = b->typed_indent < PB_CHANGE_MAX ? b->typed_indent : PB_CHANGE_MAX;
    for (size_t k = 0; k < n; k++)
        typed[k] = CP_IDEO_SPACE;
    pb_status st = record_n(ch, b->line, 1, PB_CHANGE_INDENT, typed, n, none, 0);
    if (st == PB_OK && ch)
        ch->items[ch->n - 1].run = b->typed_indent;
    return st;
}

pb_status pb_normalize_doc(pb_doc *doc, const pb_normalize_opts *opts, pb_changes *changes)
{
    static const pb_normalize_opts defaults = {1, PB_QUOTES_ZH_CURLY};
    if (!doc)
        return PB_OK;
    if (!opts)
        opts = &defaults;
    pb_status cs = check_length(doc);
    if (cs == PB_OK)
        cs = check_combining(doc);
    if (cs == PB_OK)
        cs = check_direction(doc);
    for (size_t i = 0; i < doc->n_blocks && cs == PB_OK; i++)
        cs = invisibles_block(&doc->blocks[i], changes);
    if (cs == PB_OK && doc->n_blank_chars)
        cs = blank_lines(doc, changes);
    if (cs != PB_OK)
        return cs;
    for (size_t i = 0; i < doc->n_blocks; i++) {
        pb_status st = typed_indent(&doc->blocks[i], changes);
        if (st == PB_OK)
            st = one_for_one_block(&doc->blocks[i], doc->file, changes);
        if (st == PB_OK && doc->blocks[i].lang == PB_LANG_ZH)
            st = normalize_block(&doc->blocks[i], changes);
        else if (opts->smart)
            st = halfwidth_block(&doc->blocks[i], changes);
        if (st == PB_OK && doc->blocks[i].lang == PB_LANG_ZH)
            st = square_brackets_block(&doc->blocks[i], changes);
        int dq_told = 0;
        if (st == PB_OK)
            st = ligature_block(&doc->blocks[i], changes);
        if (st == PB_OK && opts->smart)
            st = smart_block(&doc->blocks[i], opts, doc->file, changes, &dq_told);
        if (st == PB_OK && doc->blocks[i].lang == PB_LANG_ZH)
            st = marks_space_block(&doc->blocks[i], changes);
        if (st == PB_OK)
            st = check_brackets(&doc->blocks[i], doc->file, dq_told);
        if (st != PB_OK)
            return st;
    }
    if (changes && changes->n > 1)
        qsort(changes->items, changes->n, sizeof *changes->items, by_position);
    return PB_OK;
}

void pb_normalize_free_changes(pb_changes *changes)
{
    if (!changes)
        return;
    free(changes->items);
    free(changes->invisibles);
    memset(changes, 0, sizeof *changes);
}

const char *pb_normalize_action_name(pb_invisible_action a)
{
    static const char *const names[] = {"kept", "dropped", "replaced"};
    return a <= PB_INVISIBLE_REPLACED ? names[a] : "?";
}
