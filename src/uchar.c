/* uchar: strict UTF-8 and the character classes the stages share. */
#include "uchar.h"

#include <stdio.h>
#include <unicode/uchar.h>
#include <unicode/uversion.h>

#define CP_MAX 0x10FFFFu
#define CP_REPLACEMENT 0xFFFDu
#define SURROGATE_FIRST 0xD800u
#define SURROGATE_LAST 0xDFFFu
#define CONT_MASK 0xC0u
#define CONT_TAG 0x80u
#define CONT_BITS 0x3Fu
#define CONT_SHIFT 6

size_t pb_uchar_decode(const uint8_t *s, size_t n, uint32_t *cp)
{
    if (!s || n == 0)
        return 0;
    uint8_t b0 = s[0];
    if (b0 < 0x80) {
        if (cp)
            *cp = b0;
        return 1;
    }
    size_t len;
    uint32_t c, min;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        len = 2, c = b0 & 0x1Fu, min = 0x80;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        len = 3, c = b0 & 0x0Fu, min = 0x800;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        len = 4, c = b0 & 0x07u, min = 0x10000;
    } else {
        return 0; /* continuation byte, C0/C1 overlong lead, or F5..FF */
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & CONT_MASK) != CONT_TAG)
            return 0;
        c = (c << CONT_SHIFT) | (s[i] & CONT_BITS);
    }
    if (c < min || c > CP_MAX || (c >= SURROGATE_FIRST && c <= SURROGATE_LAST))
        return 0;
    if (cp)
        *cp = c;
    return len;
}

size_t pb_uchar_utf16(uint32_t cp, uint16_t out[2])
{
    if (cp < 0x10000) {
        out[0] = (uint16_t)cp;
        return 1;
    }
    out[0] = (uint16_t)(0xD800 + ((cp - 0x10000) >> 10));
    out[1] = (uint16_t)(0xDC00 + ((cp - 0x10000) & 0x3FF));
    return 2;
}

size_t pb_uchar_encode(uint32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp > CP_MAX || (cp >= SURROGATE_FIRST && cp <= SURROGATE_LAST))
        cp = CP_REPLACEMENT;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> CONT_SHIFT));
        o[1] = (unsigned char)(CONT_TAG | (cp & CONT_BITS));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> (2 * CONT_SHIFT)));
        o[1] = (unsigned char)(CONT_TAG | ((cp >> CONT_SHIFT) & CONT_BITS));
        o[2] = (unsigned char)(CONT_TAG | (cp & CONT_BITS));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> (3 * CONT_SHIFT)));
    o[1] = (unsigned char)(CONT_TAG | ((cp >> (2 * CONT_SHIFT)) & CONT_BITS));
    o[2] = (unsigned char)(CONT_TAG | ((cp >> CONT_SHIFT) & CONT_BITS));
    o[3] = (unsigned char)(CONT_TAG | (cp & CONT_BITS));
    return 4;
}

char pb_uchar_pinyin_base(uint32_t c, int *tone)
{
    /* tone-marked vowels and the rarer syllabic letters (ḿ ń ň ǹ), with the letter they mark */
    static const struct {
        uint32_t cp;
        char base;
    } MARKED[] = {{0x0101, 'a'}, {0x00E1, 'a'}, {0x01CE, 'a'}, {0x00E0, 'a'}, {0x0113, 'e'},
                  {0x00E9, 'e'}, {0x011B, 'e'}, {0x00E8, 'e'}, {0x012B, 'i'}, {0x00ED, 'i'},
                  {0x01D0, 'i'}, {0x00EC, 'i'}, {0x014D, 'o'}, {0x00F3, 'o'}, {0x01D2, 'o'},
                  {0x00F2, 'o'}, {0x016B, 'u'}, {0x00FA, 'u'}, {0x01D4, 'u'}, {0x00F9, 'u'},
                  {0x01D6, 'v'}, {0x01D8, 'v'}, {0x01DA, 'v'}, {0x01DC, 'v'}, {0x1E3F, 'm'},
                  {0x0144, 'n'}, {0x0148, 'n'}, {0x01F9, 'n'}};
    if (c >= 'a' && c <= 'z')
        return (char)c;
    if (c < 0x00E0) /* below the least of them, à */
        return 0;
    if (c == 0x00FC)
        return 'v'; /* ü */
    if (c == 0x00EA)
        return 'E'; /* ê, a final of its own */
    for (size_t i = 0; i < sizeof MARKED / sizeof *MARKED; i++)
        if (MARKED[i].cp == c) {
            *tone += 1;
            return MARKED[i].base;
        }
    return 0;
}

int pb_uchar_is_pinyin_letter(uint32_t c)
{
    int tone = 0;
    return pb_uchar_pinyin_base(c, &tone) != 0;
}

int pb_uchar_icu_default_ignorable(uint32_t c)
{
    return u_hasBinaryProperty((UChar32)c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
}

int pb_uchar_icu_invisible(uint32_t c)
{
    return u_hasBinaryProperty((UChar32)c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT) ||
           u_charType((UChar32)c) == U_FORMAT_CHAR;
}

void pb_uchar_name(uint32_t c, char *out, size_t cap)
{
    if (cap == 0)
        return;
    UErrorCode e = U_ZERO_ERROR;
    int32_t n = c <= CP_MAX ? u_charName((UChar32)c, U_UNICODE_CHAR_NAME, out, (int32_t)cap, &e)
                            : 0;
    if (U_FAILURE(e) || n <= 0 || (size_t)n >= cap)
        snprintf(out, cap, "U+%04X", (unsigned)c);
}

void pb_uchar_icu_version(char *buf, size_t cap)
{
    UVersionInfo v, u;
    char vs[U_MAX_VERSION_STRING_LENGTH], us[U_MAX_VERSION_STRING_LENGTH];
    u_getVersion(v);
    u_getUnicodeVersion(u);
    u_versionToString(v, vs);
    u_versionToString(u, us);
    snprintf(buf, cap, "ICU %s (Unicode %s)", vs, us);
}

int pb_uchar_is_alnum(uint32_t c) { return u_isalnum((UChar32)c); }

/* Marks that end a phrase or a clause: closing brackets and quotes (ICU Pe, Pf) and the stops,
 * commas, colons and marks of exclamation and question, ASCII, full-width and ideographic. */
int pb_uchar_is_closing_punct(uint32_t c)
{
    static const uint32_t STOPS[] = {',', '.', ';', ':', '!', '?', 0x3001, 0x3002, 0xFF0C,
                                     0xFF0E, 0xFF1A, 0xFF1B, 0xFF01, 0xFF1F};
    int8_t t = u_charType((UChar32)c);
    if (t == U_END_PUNCTUATION || t == U_FINAL_PUNCTUATION)
        return 1;
    for (size_t i = 0; i < sizeof STOPS / sizeof *STOPS; i++)
        if (c == STOPS[i])
            return 1;
    return 0;
}

int pb_uchar_is_visible(uint32_t c)
{
    return u_isgraph((UChar32)c) && u_charType((UChar32)c) != U_PRIVATE_USE_CHAR;
}
