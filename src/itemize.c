/* itemize: script and font runs. Common/Inherited characters join the neighbouring run;
 * curly quotes in Chinese take the Han font, in English the Latin one (clreq
 * #glyphs_sizes_and_positions_in_character_faces_of_punctuation_marks, 2024-03-21). */
#include "itemize.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include "uchar.h"

#define TAG4(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))
#define SCRIPT_HANI TAG4('H', 'a', 'n', 'i')
#define SCRIPT_LATN TAG4('L', 'a', 't', 'n')

enum { SIDE_NONE = -1, SIDE_HAN = 0, SIDE_WEST = 1 };

static int is_curly_quote(uint32_t c) { return c == 0x2018 || c == 0x2019 || c == 0x201C || c == 0x201D; }

/* No character below U+02EA MODIFIER LETTER YIN DEPARTING TONE MARK (Bopomofo) is in one of
 * the scripts below (Unicode 15.0 Scripts.txt, as ICU 72 has it): Latin text is answered
 * without asking ICU. */
#define HAN_SIDE_FIRST 0x02EAu

int pb_itemize_is_han_side(uint32_t c)
{
    if (c < HAN_SIDE_FIRST)
        return 0;
    if (pb_uchar_is_han(c) || pb_uchar_is_cjk_punct(c))
        return 1;
    UErrorCode e = U_ZERO_ERROR;
    UScriptCode s = uscript_getScript((UChar32)c, &e);
    return s == USCRIPT_HAN || s == USCRIPT_HIRAGANA || s == USCRIPT_KATAKANA ||
           s == USCRIPT_BOPOMOFO || s == USCRIPT_HANGUL;
}

int pb_itemize_is_western(uint32_t c)
{
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    UErrorCode e = U_ZERO_ERROR;
    UScriptCode s = uscript_getScript((UChar32)c, &e);
    return s == USCRIPT_LATIN || s == USCRIPT_GREEK || s == USCRIPT_CYRILLIC;
}

int pb_itemize_signs_number(const uint32_t *text, size_t len, size_t i)
{
    uint32_t c = i + 1 < len ? text[i] : 0;
    return (c == '+' || c == '$' || c == '#' || c == 0x00A5 /* ¥ */ || c == 0x00A3 /* £ */ ||
            c == 0x20AC /* € */) &&
           text[i + 1] >= '0' && text[i + 1] <= '9';
}

/* Strong side of a character, or SIDE_NONE for Common/Inherited. */
static int strong_side(uint32_t c, pb_lang lang)
{
    /* ASCII letters and digits are Western: every figure of a Chinese line in the Latin face,
     * as the figures of "NT$48.6" are, not two designs of 4 and 8 in one line */
    if (c < 0x80)
        return (((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9')) ? SIDE_WEST
                                                                                 : SIDE_NONE;
    if (c == 0x3000)
        return SIDE_HAN; /* an ideographic space is Chinese text's, after figures too */
    if (c == 0x2020 || c == 0x2021)
        return SIDE_WEST; /* a note's dagger is set close, in the Latin face: the CJK faces
                           * draw † and ‡ an em wide (起。† floated ¾ em from its sentence) */
    if (is_curly_quote(c)) /* in English the Latin face's, around Chinese words too: “人” */
        return lang == PB_LANG_ZH ? SIDE_HAN : SIDE_WEST;
    if (pb_uchar_is_han(c) || pb_uchar_is_cjk_punct(c))
        return SIDE_HAN;
    UErrorCode e = U_ZERO_ERROR;
    UScriptCode s = uscript_getScript((UChar32)c, &e);
    if (s == USCRIPT_COMMON || s == USCRIPT_INHERITED || s == USCRIPT_UNKNOWN)
        return SIDE_NONE;
    return pb_itemize_is_han_side(c) ? SIDE_HAN : SIDE_WEST;
}

static pb_status push(pb_runs *out, size_t start, size_t len, pb_font *font, uint32_t script,
                      pb_lang lang)
{
    if (out->n && out->runs[out->n - 1].font == font && out->runs[out->n - 1].script == script &&
        out->runs[out->n - 1].start + out->runs[out->n - 1].len == start) {
        out->runs[out->n - 1].len += len;
        return PB_OK;
    }
    if (PB_GROW(out->runs, out->cap, out->n))
        return pb_diag_oom("choosing the fonts of a paragraph");
    out->runs[out->n++] = (pb_run){start, len, font, script, lang};
    return PB_OK;
}

void pb_itemize_choose(const pb_block *b, int style, pb_fontset *fonts, pb_itemize_choice *out)
{
    /* Common characters take the side before them, else the next strong side, else the
     * block's language. */
    int def = b->lang == PB_LANG_ZH ? SIDE_HAN : SIDE_WEST;
    for (size_t i = 0; i < b->len; i++)
        out[i].han_side = strong_side(b->text[i], b->lang);
    /* an apostrophe inside a Latin word (O’Connor, don’t) is the word's, not a Chinese quote:
     * set in the Latin face, without the full-width mark's blank */
    for (size_t i = 1; i + 1 < b->len; i++)
        if (b->text[i] == 0x2019 && b->lang == PB_LANG_ZH && pb_itemize_is_western(b->text[i - 1]) &&
            pb_itemize_is_western(b->text[i + 1]))
            out[i].han_side = SIDE_WEST;
    /* so is a sign that opens a number: 電話+86 sets "+86" in the Latin face */
    for (size_t i = 0; i < b->len; i++)
        if (pb_itemize_signs_number(b->text, b->len, i))
            out[i].han_side = SIDE_WEST;
    int prev = SIDE_NONE;
    for (size_t i = 0; i < b->len; i++) {
        if (out[i].han_side != SIDE_NONE) {
            prev = out[i].han_side;
            continue;
        }
        if (prev == SIDE_NONE) {
            size_t j = i;
            while (j < b->len && out[j].han_side == SIDE_NONE)
                j++;
            prev = j < b->len ? out[j].han_side : def;
        }
        out[i].han_side = prev;
    }
    for (size_t i = 0; i < b->len; i++) {
        uint32_t c = b->text[i];
        uint8_t m = b->marks ? b->marks[i] : 0;
        int strong = (style & PB_ITEMIZE_BOLD) || (m & PB_MARK_STRONG);
        int zh_bold = strong || ((m & PB_MARK_EMPH) && (style & PB_ITEMIZE_EMPH_ZH_BOLD));
        pb_role han = zh_bold ? PB_ROLE_HAN_BOLD : PB_ROLE_HAN;
        /* English emphasis is italic in bold text too (a title in a heading): bold italic */
        pb_role west = (m & PB_MARK_EMPH) ? (strong ? PB_ROLE_LATIN_BOLD_ITALIC
                                                    : PB_ROLE_LATIN_ITALIC)
                                          : strong ? PB_ROLE_LATIN_BOLD : PB_ROLE_LATIN;
        int han_side = out[i].han_side == SIDE_HAN;
        pb_itemize_choice *ch = &out[i];
        ch->han_side = han_side;
        ch->role = han_side ? han : west;
        ch->other = han_side ? west : han;
        pb_font *f = pb_fonts_get(fonts, ch->role);
        /* a default ignorable needs no glyph: the shaper removes it (shape.c), so it stays in
         * its neighbours' run, where a variation selector also finds its base; a forced line
         * break draws nothing */
        if (c != PB_LINE_BREAK && !pb_uchar_is_default_ignorable(c) && !pb_font_covers(f, c)) {
            pb_font *other = pb_fonts_get(fonts, ch->other);
            pb_font *fallback = pb_fonts_get_fallback(fonts);
            if (pb_font_covers(other, c))
                f = other;
            else if (fallback && pb_font_covers(fallback, c))
                f = fallback;
            else
                f = NULL;
        }
        ch->font = f;
    }
}

void pb_itemize_uncovered(const pb_block *b, size_t i, const pb_itemize_choice *ch,
                          const pb_fontset *fonts, const char *file)
{
    uint32_t c = b->text[i];
    /* the character itself only when it can be seen; always its code point */
    char shown[16] = {0};
    if (pb_uchar_is_visible(c)) {
        char u8[5] = {0};
        pb_uchar_encode(c, u8);
        snprintf(shown, sizeof shown, " '%s'", u8);
    }
    const pb_font *fallback = pb_fonts_get_fallback(fonts);
    if (fallback) { /* name the one it tried: the advice would be to set what is set */
        pb_font_info info;
        pb_font_get_info(fallback, &info);
        pb_diag_error(file, b->line, (int)b->col[i],
                      "no configured font covers U+%04X%s (roles %s, and the [fonts] fallback's "
                      "face %s; set fallback to a family that has it)",
                      (unsigned)c, shown, ch->han_side ? "han, latin" : "latin, han", info.psname);
        return;
    }
    pb_diag_error(file, b->line, (int)b->col[i],
                  "no configured font covers U+%04X%s (roles %s; set [fonts] fallback to allow "
                  "another family)",
                  (unsigned)c, shown, ch->han_side ? "han, latin" : "latin, han");
}

pb_status pb_itemize_block(const pb_block *b, int style, pb_fontset *fonts, const char *file,
                           pb_runs *out)
{
    out->n = 0;
    if (b->len == 0)
        return PB_OK;
    pb_itemize_choice *ch = malloc(b->len * sizeof *ch);
    if (!ch)
        return pb_diag_oom("choosing the fonts of a paragraph");
    pb_itemize_choose(b, style, fonts, ch);
    pb_status st = PB_OK;
    for (size_t i = 0; i < b->len && st == PB_OK; i++) {
        if (!ch[i].font) {
            pb_itemize_uncovered(b, i, &ch[i], fonts, file);
            st = PB_EINPUT;
            break;
        }
        int is_han_font = ch[i].font == pb_fonts_get(fonts, ch[i].han_side ? ch[i].role
                                                                            : ch[i].other);
        st = push(out, i, 1, ch[i].font, is_han_font ? SCRIPT_HANI : SCRIPT_LATN,
                  ch[i].han_side ? PB_LANG_ZH : PB_LANG_EN);
    }
    free(ch);
    return st;
}

void pb_itemize_free(pb_runs *runs)
{
    free(runs->runs);
    memset(runs, 0, sizeof *runs);
}
