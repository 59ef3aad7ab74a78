/* uchar: small Unicode helpers shared by the stages (UTF-8 decoding, character classes).
 * Takes code points or bytes; returns classes and decoded values. No state, no allocation. */
#ifndef PB_UCHAR_H
#define PB_UCHAR_H

#include <stddef.h>
#include <stdint.h>

/* Decode one UTF-8 sequence at s[0..n). Returns its length (1..4) and stores the code point,
 * or returns 0 for an invalid, overlong, surrogate or truncated sequence. */
size_t pb_uchar_decode(const uint8_t *s, size_t n, uint32_t *cp);
/* Encode cp as UTF-8 into out (at least 4 bytes); returns the length. */
size_t pb_uchar_encode(uint32_t cp, char *out);

int pb_uchar_is_han(uint32_t c);          /* CJK ideographs (URO, Ext A-G, compatibility) */
int pb_uchar_is_cjk_punct(uint32_t c);    /* CJK symbols/punctuation, full-width forms, curly quotes excluded */
int pb_uchar_is_ascii_letter(uint32_t c); /* A-Z, a-z */
int pb_uchar_is_pinyin_letter(uint32_t c);/* a-z and the tone-marked vowels, ü */

#endif
