/* normalize: ASCII punctuation in Han context becomes full-width (Chinese blocks only);
 * invisible, format and right-to-left characters are kept, dropped, replaced or refused. */
#include "normalize.h"

#include <unicode/ubidi.h>
#include <unicode/uchar.h>

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

static pb_status oom(void)
{
    pb_diag_syserr("out of memory");
    return PB_ESYSTEM;
}

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

static pb_status record(pb_changes *ch, int line, int col, uint32_t before, uint32_t after)
{
    if (!ch)
        return PB_OK;
    if (ch->n == ch->cap) {
        size_t nc = ch->cap ? ch->cap * 2 : CHANGES_INITIAL_CAP;
        pb_change *p = realloc(ch->items, nc * sizeof *p);
        if (!p)
            return oom();
        ch->items = p, ch->cap = nc;
    }
    ch->items[ch->n++] = (pb_change){.line = line, .col = col, .before = before, .after = after};
    return PB_OK;
}

/* A matched ASCII parenthesis pair converts as a whole when either side is in Han context,
 * so 中文(see p.5). gives 中文（see p.5）. rather than a mixed pair. */
static pb_status pair_parens(const pb_block *b, unsigned char *conv)
{
    size_t n_open = 0, depth = 0;
    for (size_t i = 0; i < b->len; i++)
        n_open += b->text[i] == '(';
    if (n_open == 0)
        return PB_OK;
    size_t *stack = malloc(n_open * sizeof *stack);
    if (!stack)
        return oom();
    for (size_t i = 0; i < b->len; i++) {
        if (b->text[i] == '(') {
            stack[depth++] = i;
        } else if (b->text[i] == ')' && depth > 0) {
            size_t open = stack[--depth];
            if (conv[open] || conv[i])
                conv[open] = conv[i] = 1;
        }
    }
    free(stack);
    return PB_OK;
}

static pb_status normalize_block(pb_block *b, pb_changes *ch)
{
    size_t n_cand = 0;
    for (size_t i = 0; i < b->len; i++)
        n_cand += fullwidth(b->text[i]) != 0;
    if (n_cand == 0)
        return PB_OK;
    /* decide on the original text first so one change does not drag its neighbour along */
    unsigned char *conv = calloc(b->len, 1);
    if (!conv)
        return oom();
    for (size_t i = 0; i < b->len; i++) {
        if (!fullwidth(b->text[i]))
            continue;
        conv[i] = (i > 0 && is_han_context(b->text[i - 1])) ||
                  (i + 1 < b->len && is_han_context(b->text[i + 1]));
    }
    pb_status st = pair_parens(b, conv);
    for (size_t i = 0; i < b->len && st == PB_OK; i++) {
        if (!conv[i])
            continue;
        uint32_t before = b->text[i], after = fullwidth(before);
        b->text[i] = after;
        st = record(ch, b->line, (int)b->col[i], before, after);
    }
    free(conv);
    return st;
}

/* UAX #15 stream-safe text format: at most 30 non-starters in a row. Longer runs are no text
 * any language writes, and shaping them costs time quadratic in their length (mark
 * attachment), so they are refused. */
#define MAX_COMBINING_RUN 30

static pb_status check_combining(const pb_doc *doc)
{
    for (size_t i = 0; i < doc->n_blocks; i++) {
        const pb_block *b = &doc->blocks[i];
        size_t run = 0;
        for (size_t k = 0; k < b->len; k++) {
            run = u_getCombiningClass((UChar32)b->text[k]) != 0 ? run + 1 : 0;
            if (run > MAX_COMBINING_RUN) {
                pb_diag_error(doc->file, b->line, (int)b->col[k],
                              "more than %d combining marks in a row (UAX #15 stream-safe "
                              "limit)",
                              MAX_COMBINING_RUN);
                return PB_EINPUT;
            }
        }
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
        st = oom();
        goto out;
    }
    int32_t n16 = 0;
    for (size_t i = 0; i < b->len; i++) {
        uint32_t c = b->text[i];
        if (c >= 0x10000) {
            u16[n16] = (UChar)(0xD800 + ((c - 0x10000) >> 10));
            cp_of[n16++] = i;
            c = 0xDC00 + ((c - 0x10000) & 0x3FF);
        }
        u16[n16] = (UChar)c;
        cp_of[n16++] = i;
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
    if (ch->n_invisibles == ch->cap_invisibles) {
        size_t nc = ch->cap_invisibles ? ch->cap_invisibles * 2 : CHANGES_INITIAL_CAP;
        pb_invisible *p = realloc(ch->invisibles, nc * sizeof *p);
        if (!p)
            return oom();
        ch->invisibles = p, ch->cap_invisibles = nc;
    }
    ch->invisibles[ch->n_invisibles++] =
        (pb_invisible){.line = b->line, .col = (int)b->col[i], .cp = b->text[i],
                       .replacement = replacement, .action = action, .why = why};
    return PB_OK;
}

static int is_edge_space(uint32_t c)
{
    return c == ' ' || c == '\t' || c == CP_NBSP || c == CP_IDEO_SPACE;
}

/* Keep, drop or replace every invisible character of b, and list each. A dropped mark leaves
 * no space at the block's edges (the reader trimmed them before). */
static pb_status invisibles_block(pb_block *b, pb_changes *ch)
{
    size_t k = 0, a = 0;
    for (size_t i = 0; i < b->len; i++) {
        uint32_t c = b->text[i];
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
        } else if (pb_uchar_is_invisible(c)) {
            st = record_invisible(ch, b, i, PB_INVISIBLE_KEPT, 0, kept_why(c));
        }
        if (st != PB_OK)
            return st;
        if (drop)
            continue;
        /* an annotation's base moves with its character (bases ascend; a base is Han) */
        for (; a < b->n_annots && b->annots[a].base == i; a++)
            b->annots[a].base = k;
        b->text[k] = b->text[i];
        b->col[k++] = b->col[i];
    }
    size_t lo = 0, hi = k;
    while (lo < hi && is_edge_space(b->text[lo]))
        lo++;
    while (hi > lo && is_edge_space(b->text[hi - 1]))
        hi--;
    if (lo > 0) {
        memmove(b->text, b->text + lo, (hi - lo) * sizeof *b->text);
        memmove(b->col, b->col + lo, (hi - lo) * sizeof *b->col);
        for (a = 0; a < b->n_annots; a++)
            b->annots[a].base -= lo;
    }
    b->len = hi - lo;
    return PB_OK;
}

pb_status pb_normalize_doc(pb_doc *doc, pb_changes *changes)
{
    if (!doc)
        return PB_OK;
    pb_status cs = check_combining(doc);
    if (cs == PB_OK)
        cs = check_direction(doc);
    for (size_t i = 0; i < doc->n_blocks && cs == PB_OK; i++)
        cs = invisibles_block(&doc->blocks[i], changes);
    if (cs != PB_OK)
        return cs;
    for (size_t i = 0; i < doc->n_blocks; i++) {
        if (doc->blocks[i].lang != PB_LANG_ZH)
            continue;
        pb_status st = normalize_block(&doc->blocks[i], changes);
        if (st != PB_OK)
            return st;
    }
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
