/* uchar: small Unicode helpers shared by the stages (UTF-8 decoding, character classes).
 * Takes code points or bytes; returns classes, names and decoded values. No state, no
 * allocation. */
#ifndef PB_UCHAR_H
#define PB_UCHAR_H

#include <stddef.h>
#include <stdint.h>

/* U+2003 EM SPACE: the field gap normalize.c makes of a run of spaces in a {left}, {right} or
 * {center} block; a break at no cost (nodes.c), where compose.c breaks such a line. */
#define PB_UCHAR_FIELD_GAP 0x2003u

/* Decode one UTF-8 sequence at s[0..n). Returns its length (1..4) and stores the code point,
 * or returns 0 for an invalid, overlong, surrogate or truncated sequence. */
size_t pb_uchar_decode(const uint8_t *s, size_t n, uint32_t *cp);
/* 1 when c can be shown in a message as itself: a graphic character (ICU u_isgraph), not
 * private use; else messages give its code point alone. */
int pb_uchar_is_visible(uint32_t c);
/* 1 when c is a letter or a digit of any script, an ideograph included (ICU u_isalnum). */
int pb_uchar_is_alnum(uint32_t c);
/* 1 when c ends a phrase: a closing bracket or quote, a comma, stop, colon, semicolon, mark of
 * exclamation or question (ASCII, full-width, ideographic); nothing can begin with one. */
int pb_uchar_is_closing_punct(uint32_t c);
/* "ICU 72.1 (Unicode 15.0)": the ICU in use, as it reports itself, into buf. */
void pb_uchar_icu_version(char *buf, size_t cap);
/* Encode cp as UTF-8 into out (at least 4 bytes); returns the length. */
size_t pb_uchar_encode(uint32_t cp, char *out);
/* Encode cp as UTF-16 (a surrogate pair above U+FFFF, Unicode §3.9 D91) into out; returns the
 * number of units, 1 or 2. */
size_t pb_uchar_utf16(uint32_t cp, uint16_t out[2]);

/* The classes every stage asks of every character: inline (a call costs more than they do). */
/* CJK ideographs: Extension A, the URO, compatibility ideographs, Extensions B-G and the
 * compatibility supplement */
static inline int pb_uchar_is_han(uint32_t c)
{
    return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3134F);
}
/* CJK symbols and punctuation, vertical forms, CJK compatibility forms, full-width forms (up to
 * the half-width katakana); curly quotes excluded */
static inline int pb_uchar_is_cjk_punct(uint32_t c)
{
    return (c >= 0x3000 && c <= 0x303F) || (c >= 0xFE10 && c <= 0xFE1F) ||
           (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF65);
}
/* Full-width Latin letters and digits (U+FF10-FF19, FF21-FF3A, FF41-FF5A: ＡＢ１２), the
 * ASCII forms CJK fonts draw an em wide */
static inline int pb_uchar_is_fullwidth_alnum(uint32_t c)
{
    return (c >= 0xFF10 && c <= 0xFF19) || (c >= 0xFF21 && c <= 0xFF3A) || (c >= 0xFF41 && c <= 0xFF5A);
}
/* A-Z, a-z */
static inline int pb_uchar_is_ascii_letter(uint32_t c) { return c < 0x80 && (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
/* The letter a pinyin letter is written on ('v' for ü, 'E' for ê), 0 for none; adds 1 to *tone
 * for a tone mark. */
char pb_uchar_pinyin_base(uint32_t c, int *tone);
int pb_uchar_is_pinyin_letter(uint32_t c);/* a-z and the tone-marked vowels, ü */
/* No default ignorable and no format character lies below U+00AD SOFT HYPHEN or between
 * U+3164 HANGUL FILLER and U+FE00 VARIATION SELECTOR-1 (Unicode 15 DerivedCoreProperties and
 * UnicodeData): ASCII, Latin and Han text is answered inline, without asking ICU. */
static inline int pb_uchar_surely_visible(uint32_t c)
{
    return c < 0x00ADu || (c >= 0x3165u && c <= 0xFDFFu) || c > 0x10FFFFu;
}
/* The two questions below as ICU answers them (for a character not surely visible). */
int pb_uchar_icu_default_ignorable(uint32_t c);
int pb_uchar_icu_invisible(uint32_t c);
/* Default_Ignorable_Code_Point (UAX #44, from ICU): invisible, drawn with no glyph (U+00AD,
 * U+200B..U+200F, U+2060, U+FEFF, variation selectors, ...). */
static inline int pb_uchar_is_default_ignorable(uint32_t c)
{
    return !pb_uchar_surely_visible(c) && pb_uchar_icu_default_ignorable(c);
}
/* The spaces of General Punctuation a word processor pastes (U+2000 EN QUAD .. U+200A HAIR
 * SPACE, U+202F NARROW NO-BREAK SPACE, U+205F MEDIUM MATHEMATICAL SPACE: General_Category
 * Zs, UnicodeData 15.0), not the ASCII space, NBSP or the ideographic space. */
static inline int pb_uchar_is_unicode_space(uint32_t c)
{
    return (c >= 0x2000u && c <= 0x200Au) || c == 0x202Fu || c == 0x205Fu;
}
/* Invisible or format: a default ignorable or General_Category Cf (format). */
static inline int pb_uchar_is_invisible(uint32_t c)
{
    return !pb_uchar_surely_visible(c) && pb_uchar_icu_invisible(c);
}
/* The character's Unicode name (ICU), e.g. "ZERO WIDTH SPACE", or "U+XXXX" if it has none. */
void pb_uchar_name(uint32_t c, char *out, size_t cap);

#endif
