/* corpus: the bilingual corpus reader (validate, split lines, markup, pair, classify, lift
 * pinyin). The format and its markup are documented in README.md ("Typeset your own
 * document") and layouts/README.md. */
#include "corpus.h"

#include <unicode/uchar.h>

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "uchar.h"
#include "util.h"

#define BOM_LEN 3
#define INPUT_MAX PB_CORPUS_BYTES_MAX
#define ANNOT_MAX_LETTERS 7
#define ANNOTS_INITIAL_CAP 8
#define BLOCKS_INITIAL_CAP 32
#define LINKS_INITIAL_CAP 4
/* A heading is a display line: at most this many ideographs, this many English words. */
#define HEAD_ZH_MAX_HAN 60
#define HEAD_EN_MAX_WORDS 30
#define HEAD_MAX_DIGITS 3
#define HEAD_MAX_NUMERALS 6
#define ROMAN_MAX_TENS 3
#define ROMAN_MAX_ONES 3
/* Markup heading levels: # and ## (a document's sections and subsections). */
#define MAX_LEVEL 2
/* Chinese when its ideographs and CJK marks outweigh its Latin letters at three letters each
 * (Han and Latin letters, URLs and annotations left out): Latin <= 3 x Han. An ideograph is a
 * word's worth of text (an English word has about five letters), so a Chinese line that glosses
 * an English term ("PR：系統效率（Performance Ratio）") stays Chinese, while an English line
 * quoting a Chinese word ("the term 人工智能 means AI") stays English. */
#define LATIN_PER_HAN 3
/* A corpus of more pairs than this with no heading gets a hint on how to mark them. */
#define NO_HEADING_HINT_PAIRS 6
#define ASCII_DEL 0x7Fu
#define C1_LAST 0x9Fu

#define CP_NBSP 0x00A0u
#define CP_REPLACEMENT 0xFFFDu
#define CP_IDEO_SPACE 0x3000u
#define CP_BOM 0xFEFFu /* a byte order mark where it begins a line: a joined file's */
#define CP_IDEO_COMMA 0x3001u  /* 、 */
#define CP_IDEO_STOP 0x3002u   /* 。 */
#define CP_IDEO_ZERO 0x3007u   /* 〇 */
#define CP_FW_LPAREN 0xFF08u   /* （ */
#define CP_FW_RPAREN 0xFF09u   /* ） */
#define CP_FW_STOP 0xFF0Eu     /* ． */
#define CP_FW_EXCL 0xFF01u     /* ！ */
#define CP_FW_QUESTION 0xFF1Fu /* ？ */
#define CP_FW_DIGIT0 0xFF10u
#define CP_FW_DIGIT9 0xFF19u
#define CP_DI 0x7B2Cu          /* 第 */
#define CP_SECTION 0x00A7u     /* § */

static const uint8_t bom[BOM_LEN] = {0xEF, 0xBB, 0xBF};

static pb_status oom(void)
{
    pb_diag_oom("reading the corpus");
    return PB_ESYSTEM;
}

/* ---- pass 1: the bytes ---- */

static int is_control(uint32_t c)
{
    return (c < 0x20 && c != '\t') || (c >= ASCII_DEL && c <= C1_LAST);
}

/* What a file that is not UTF-8 looks like, said after the error with the command that
 * converts it; "" when it looks like nothing in particular (a UTF-8 file with a stray byte).
 * UTF-16 by its byte-order mark, or by its NUL bytes on one side of the code units (the high
 * byte of every ASCII character and line end, far more than the low bytes of U+xx00); a legacy
 * Chinese double-byte encoding when the bytes that are not UTF-8 outnumber the UTF-8 sequences
 * and every byte above 0x7F pairs as a lead byte 0x81-0xFE and a trail byte 0x40-0x7E or
 * 0x80-0xFE (or the four bytes of GB18030's four-byte form: lead, 0x30-0x39, lead, 0x30-0x39).
 * Big5's and GB18030's byte ranges overlap (each Big5 pair is a GB18030 pair), so the hint
 * names both. */
#define UTF16_MIN_NULS 4      /* NUL bytes at one parity, */
#define UTF16_NUL_RATIO 8     /* this many times those at the other (一 U+4E00 has a NUL byte) */
#define LEGACY_MIN_PAIRS 4    /* double-byte characters, none left over */
#define DBCS_LEAD_FIRST 0x81u
#define DBCS_LEAD_LAST 0xFEu
#define DBCS_TRAIL_LOW_FIRST 0x40u
#define DBCS_TRAIL_LOW_LAST 0x7Eu
#define DBCS_TRAIL_HIGH_FIRST 0x80u

static int dbcs_lead(uint8_t b) { return b >= DBCS_LEAD_FIRST && b <= DBCS_LEAD_LAST; }

static int dbcs_trail(uint8_t b)
{
    return (b >= DBCS_TRAIL_LOW_FIRST && b <= DBCS_TRAIL_LOW_LAST) ||
           (b >= DBCS_TRAIL_HIGH_FIRST && b <= DBCS_LEAD_LAST);
}

static int legacy_chinese(const uint8_t *s, size_t len)
{
    size_t utf8 = 0, bad = 0, pairs = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = pb_uchar_decode(s + i, len - i, &cp);
        if (k == 0)
            bad++, k = 1;
        else if (k > 1)
            utf8++;
        i += k;
    }
    if (bad <= utf8)
        return 0;
    for (size_t i = 0; i < len;) {
        if (s[i] < 0x80) {
            i++;
        } else if (i + 1 < len && dbcs_lead(s[i]) && dbcs_trail(s[i + 1])) {
            pairs++, i += 2;
        } else if (i + 3 < len && dbcs_lead(s[i]) && s[i + 1] >= '0' && s[i + 1] <= '9' &&
                   dbcs_lead(s[i + 2]) && s[i + 3] >= '0' && s[i + 3] <= '9') {
            pairs++, i += 4;
        } else {
            return 0;
        }
    }
    return pairs >= LEGACY_MIN_PAIRS;
}

static const char *encoding_hint(const uint8_t *s, size_t len)
{
    if (len >= 2 && s[0] == 0xFF && s[1] == 0xFE)
        return ": the file looks like UTF-16 (little-endian, with a byte-order mark); paiban "
               "reads UTF-8: convert it with iconv -f UTF-16 -t UTF-8";
    if (len >= 2 && s[0] == 0xFE && s[1] == 0xFF)
        return ": the file looks like UTF-16 (big-endian, with a byte-order mark); paiban reads "
               "UTF-8: convert it with iconv -f UTF-16 -t UTF-8";
    size_t nul[2] = {0, 0};
    for (size_t i = 0; i < len; i++)
        nul[i % 2] += s[i] == 0;
    if (len % 2 == 0 && nul[1] >= UTF16_MIN_NULS && nul[1] >= UTF16_NUL_RATIO * nul[0])
        return ": the file looks like UTF-16 (little-endian, no byte-order mark); paiban reads "
               "UTF-8: convert it with iconv -f UTF-16LE -t UTF-8";
    if (len % 2 == 0 && nul[0] >= UTF16_MIN_NULS && nul[0] >= UTF16_NUL_RATIO * nul[1])
        return ": the file looks like UTF-16 (big-endian, no byte-order mark); paiban reads "
               "UTF-8: convert it with iconv -f UTF-16BE -t UTF-8";
    if (legacy_chinese(s, len))
        return ": the file looks like a legacy Chinese encoding (Big5 or GB18030); paiban reads "
               "UTF-8: convert it with iconv -f BIG5 -t UTF-8 (Traditional) or iconv -f GB18030 "
               "-t UTF-8 (Simplified)";
    return "";
}

/* The surrogate (U+D800-DFFF) that the three bytes at s encode as UTF-8 would (ED A0-BF 80-BF),
 * or 0. */
static unsigned encoded_surrogate(const uint8_t *s, size_t len)
{
    if (len < 3 || s[0] != 0xED || s[1] < 0xA0 || s[1] > 0xBF || (s[2] & 0xC0) != 0x80)
        return 0;
    return 0xD000u | ((unsigned)(s[1] & 0x3F) << 6) | (unsigned)(s[2] & 0x3F);
}

#define SURROGATE_LOW_FIRST 0xDC00u

/* An encoded surrogate at s (UTF-8 has none): a high and a low one, the pair CESU-8 and Java's
 * "modified UTF-8" write for a character beyond U+FFFF, named with the converter that reads it
 * (glibc's iconv has no CESU-8; ICU's uconv has), or a lone one. The error, at line:col. */
static int surrogate_error(const char *file, int line, int col, const uint8_t *s, size_t len)
{
    unsigned hi = encoded_surrogate(s, len), lo = len > 3 ? encoded_surrogate(s + 3, len - 3) : 0;
    if (!hi)
        return 0;
    if (hi < SURROGATE_LOW_FIRST && lo >= SURROGATE_LOW_FIRST)
        pb_diag_error(file, line, col,
                      "invalid UTF-8 byte 0xED: bytes %02X %02X %02X %02X %02X %02X encode a "
                      "character beyond U+FFFF as two surrogates (U+%04X U+%04X), as CESU-8 and "
                      "Java's \"modified UTF-8\" do; paiban reads UTF-8: convert the file with "
                      "uconv -f CESU-8 -t UTF-8 (ICU's converter; iconv does not read CESU-8)",
                      s[0], s[1], s[2], s[3], s[4], s[5], hi, lo);
    else
        pb_diag_error(file, line, col,
                      "invalid UTF-8 byte 0xED: bytes %02X %02X %02X encode the surrogate U+%04X, "
                      "half of a pair, which is no character: the text was cut or converted "
                      "wrongly; retype the character",
                      s[0], s[1], s[2], hi);
    return 1;
}

/* Valid UTF-8, no NUL, no control characters; line ends are LF or CRLF. */
/* U+FFFD REPLACEMENT CHARACTER: warned of at the first, the others counted (validate) */
#define CP_REPLACEMENT 0xFFFDu

static pb_status validate(const char *file, const uint8_t *s, size_t len, size_t start)
{
    int line = 1, col = 1, first_line = 0, first_col = 0;
    size_t replaced = 0; /* U+FFFD met */
    size_t i = start;
    while (i < len) {
        uint8_t b = s[i];
        if (b >= 0x20 && b < ASCII_DEL) { /* printable ASCII, most of an English line */
            i++, col++;
            continue;
        }
        if (b == '\n') {
            line++, col = 1, i++;
            continue;
        }
        if (b == '\r' && (i + 1 == len || s[i + 1] == '\n')) {
            i++;
            continue;
        }
        if (b == 0) {
            pb_diag_error(file, line, col, "NUL byte in text%s", encoding_hint(s, len));
            return PB_EINPUT;
        }
        uint32_t cp;
        size_t k = pb_uchar_decode(s + i, len - i, &cp);
        if (k == 0) {
            if (!surrogate_error(file, line, col, s + i, len - i))
                pb_diag_error(file, line, col, "invalid UTF-8 byte 0x%02X%s", (unsigned)b,
                              encoding_hint(s, len));
            return PB_EINPUT;
        }
        if (is_control(cp)) {
            /* a carriage return not before a line feed: a file with classic Mac OS line ends;
             * a form feed: a page break typed (a word processor's, or ^L in an editor) */
            pb_diag_error(file, line, col, "control character U+%04X in text%s", (unsigned)cp,
                          cp == '\r'   ? " (a carriage return alone ends no line: save the file "
                                          "with LF or CRLF line ends)"
                          : cp == '\f' ? " (a form feed, typed as a page break: paiban has no "
                                          "page-break markup and breaks pages itself; delete it)"
                                        : encoding_hint(s, len));
            return PB_EINPUT;
        }
        if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE) {
            /* a noncharacter (Unicode 15, §23.7): for a program's own use, never text to
             * interchange (review 12 B10: U+FFFF was blamed on the fonts) */
            pb_diag_error(file, line, col, "U+%04X is a noncharacter (Unicode §23.7), not text: "
                                           "delete it",
                          (unsigned)cp);
            return PB_EINPUT;
        }
        if (cp == CP_REPLACEMENT && replaced++ == 0)
            first_line = line, first_col = col;
        i += k, col++;
    }
    if (replaced) { /* what a converter writes for a character it could not read (Unicode §23.8) */
        char more[48] = "";
        if (replaced > 1)
            snprintf(more, sizeof more, " (and %zu more in the file)", replaced - 1);
        pb_diag_warning(file, first_line, first_col,
                        "U+FFFD REPLACEMENT CHARACTER%s: a conversion lost the character that "
                        "stood here, and the page prints the sign for it: retype what it replaced",
                        more);
    }
    return PB_OK;
}

/* ---- character classes ---- */

static int is_space(uint32_t c)
{
    return c == ' ' || c == '\t' || c == CP_NBSP || c == CP_IDEO_SPACE;
}

static int is_ascii_digit(uint32_t c) { return c >= '0' && c <= '9'; }

static int is_any_digit(uint32_t c)
{
    return is_ascii_digit(c) || (c >= CP_FW_DIGIT0 && c <= CP_FW_DIGIT9);
}

static int digit_value(uint32_t c) { return (int)(is_ascii_digit(c) ? c - '0' : c - CP_FW_DIGIT0); }

static int is_ascii_alnum(uint32_t c) { return pb_uchar_is_ascii_letter(c) || is_ascii_digit(c); }

/* ---- pass 2a: the light markup of one line ------------------------------------------------
 * Line start: "# " / "## " a heading of level 1 / 2, "- " a list item. Line end: {keep},
 * {right}, {center}, {left}, {noindent}, {body}, {lang=zh|en}, {short="..."} (space-separated, in one pair of braces). Inline: *emphasis*,
 * **strong**, <https://...> and <name@host> links, [text](target) links, <br> a forced line
 * break. A backslash before one of the marks' characters makes it plain text. */

/* A backslash makes these marks plain; before anything else, a backslash too, it is itself
 * (\\server\share is a path, not an escaped backslash). */
static int escapable(uint32_t c)
{
    switch (c) {
    case '*': case '[': case ']': case '(': case ')': case '<': case '>': case '{': case '}':
    case '#': case '-': case '_': case '`':
        return 1;
    default:
        return 0;
    }
}

typedef struct {
    uint32_t *cp;           /* the text without its markup */
    uint32_t *col;          /* source column of each */
    uint8_t *mark;          /* PB_MARK_* of each */
    uint8_t *plain;         /* 1: came from an escape (no markup or URL meaning) */
    size_t n, cap;
    pb_link *links;
    size_t n_links, cap_links;
    int level;              /* # count; 0: none */
    int list, keep, right, center, left, noindent, body, every;
    int starred;            /* begins "* " */
    int fields;             /* a list item of labelled fields (PB_BLOCK_FIELDS) */
    size_t indent;          /* out: U+3000 typed before the text (pb_block.typed_indent) */
    int lang;               /* -1: decided by the text; else the pb_lang of {lang=...} */
    uint32_t *short_title;
    size_t short_len;
    int note_stars;         /* in: a single * after a Han character, letter or digit is text */
    int star_next;          /* in: the next line's number when it begins with a lone * too */
    size_t emph_stars;      /* out: single stars read as emphasis marks */
    size_t emph_after_word; /* out: those after a Han character, letter or digit */
    size_t emph_col;        /* out: the first one's column (1-based) */
} line_out;

static void line_out_reset(line_out *o)
{
    o->n = 0;
    o->n_links = 0;
    o->level = o->list = o->keep = o->right = o->center = o->left = o->noindent = o->body =
        o->every = o->starred = o->fields = 0;
    o->lang = -1;
    o->short_title = NULL;
    o->short_len = 0;
    o->emph_stars = o->emph_after_word = o->emph_col = 0;
}

static void line_out_fini(line_out *o)
{
    free(o->cp);
    free(o->col);
    free(o->mark);
    free(o->plain);
    for (size_t i = 0; i < o->n_links; i++)
        free(o->links[i].target);
    free(o->links);
    free(o->short_title);
    memset(o, 0, sizeof *o);
}

static pb_status line_out_reserve(line_out *o, size_t n)
{
    if (n <= o->cap)
        return PB_OK;
    uint32_t *cp = realloc(o->cp, n * sizeof *cp);
    if (cp)
        o->cp = cp;
    uint32_t *col = realloc(o->col, n * sizeof *col);
    if (col)
        o->col = col;
    uint8_t *mark = realloc(o->mark, n);
    if (mark)
        o->mark = mark;
    uint8_t *plain = realloc(o->plain, n);
    if (plain)
        o->plain = plain;
    if (!cp || !col || !mark || !plain)
        return oom();
    o->cap = n;
    return PB_OK;
}

static void emit(line_out *o, uint32_t c, size_t src, uint8_t mark, uint8_t plain)
{
    o->cp[o->n] = c;
    o->col[o->n] = (uint32_t)(src + 1);
    o->mark[o->n] = mark;
    o->plain[o->n++] = plain;
}

/* UTF-8 of c[lo, hi), prefixed, as a malloc'ed string. */
static char *utf8_of(const char *prefix, const uint32_t *c, size_t lo, size_t hi)
{
    size_t pl = strlen(prefix);
    char *s = malloc(pl + 4 * (hi - lo) + 1);
    if (!s)
        return NULL;
    memcpy(s, prefix, pl);
    size_t k = pl;
    for (size_t i = lo; i < hi; i++)
        k += pb_uchar_encode(c[i], s + k);
    s[k] = 0;
    return s;
}

/* A DOI's link goes to its resolver: no PDF viewer or browser follows a doi: URI, and the DOI
 * Handbook (doi:10.1000/182, its URL encoding rules) and Crossref's DOI display guidelines
 * (2017) link https://doi.org/ with the DOI percent-encoded where a URL reserves the character
 * (RFC 3986 §2.1-2.3); the printed form stays as written. Frees target; the new one or NULL. */
#define DOI_RESOLVER "https://doi.org/"
static char *doi_target(char *target)
{
    static const char scheme[] = "doi:";
    for (size_t k = 0; k < sizeof scheme - 1; k++)
        if (!target || (target[k] | 0x20) != scheme[k])
            return target;
    const char *doi = target + sizeof scheme - 1;
    size_t n = strlen(DOI_RESOLVER) + 3 * strlen(doi) + 1;
    char *t = malloc(n), *w = t;
    if (!t) {
        free(target);
        return NULL;
    }
    w += sprintf(w, "%s", DOI_RESOLVER);
    for (const unsigned char *r = (const unsigned char *)doi; *r; r++) {
        /* unreserved and the sub-delimiters a path keeps, '/' ':' '@'; UTF-8 bytes escaped too */
        if (*r < 0x80 && (is_ascii_alnum(*r) || strchr("-._~!$&'()*+,;=:@/", *r)))
            *w++ = (char)*r;
        else
            w += sprintf(w, "%%%02X", *r);
    }
    *w = '\0';
    free(target);
    return t;
}

/* A target's characters beyond ASCII ([text](mailto:a@b.org?subject=問題)) as a URI has them:
 * each byte of their UTF-8 percent-encoded (RFC 3987 §3.1, mapping an IRI to a URI). Frees
 * target; the new one or NULL. */
static char *iri_target(char *target)
{
    size_t n = 0, wide = 0;
    for (; target && target[n]; n++)
        wide += (unsigned char)target[n] >= 0x80;
    if (!wide)
        return target;
    char *t = malloc(n + 2 * wide + 1), *w = t;
    for (const unsigned char *r = (const unsigned char *)target; t && *r; r++) {
        if (*r < 0x80)
            *w++ = (char)*r;
        else
            w += sprintf(w, "%%%02X", *r);
    }
    if (t)
        *w = '\0';
    free(target);
    return t;
}

static pb_status add_link(line_out *o, size_t start, size_t end, char *target)
{
    target = iri_target(doi_target(target));
    if (!target)
        return oom();
    if (pb_util_grow(&o->links, &o->cap_links, o->n_links + 1, sizeof *o->links,
                     LINKS_INITIAL_CAP)) {
        free(target);
        return oom();
    }
    o->links[o->n_links++] = (pb_link){start, end, target};
    return PB_OK;
}

/* A URI scheme and its colon at c[i] ("https:", "mailto:"): the length, or 0. */
static size_t scheme_len(const uint32_t *c, size_t i, size_t hi)
{
    if (i >= hi || !pb_uchar_is_ascii_letter(c[i]))
        return 0;
    size_t k = i + 1;
    while (k < hi && (is_ascii_alnum(c[k]) || c[k] == '+' || c[k] == '.' || c[k] == '-'))
        k++;
    return k < hi && c[k] == ':' && k - i >= 2 ? k - i + 1 : 0;
}

/* A scheme that makes bare text (not in <...>) a URL: one followed by "//" (RFC 3986 §3.2: an
 * authority, as in https://), or one of the schemes written without it. Anything else with a
 * colon is prose ("Note:this", "Attn:John"). The length with its colon, or 0. */
static size_t bare_scheme_len(const uint32_t *c, size_t i, size_t hi)
{
    static const char *const opaque[] = {"mailto:", "tel:", "urn:", "doi:"};
    size_t sl = scheme_len(c, i, hi);
    if (!sl)
        return 0;
    if (i + sl + 1 < hi && c[i + sl] == '/' && c[i + sl + 1] == '/')
        return sl;
    for (size_t k = 0; k < sizeof opaque / sizeof *opaque; k++) {
        size_t n = strlen(opaque[k]), q = 0;
        while (q < n && q < sl && (c[i + q] | 0x20) == (uint32_t)opaque[k][q])
            q++;
        if (q == n && n == sl)
            return sl;
    }
    return 0;
}

/* Characters of a URL or an e-mail address (RFC 3986 §2: unreserved, reserved, %). */
#define URL_NOT_LOW ((1ULL << '<') | (1ULL << '>') | (1ULL << '"')) /* of 0..63 */
#define URL_NOT_HIGH                                                                               \
    ((1ULL << ('{' - 64)) | (1ULL << ('}' - 64)) | (1ULL << ('|' - 64)) |                         \
     (1ULL << ('\\' - 64)) | (1ULL << ('^' - 64)) | (1ULL << ('`' - 64))) /* of 64..127 */
static inline int is_url_char(uint32_t c)
{
    if (c <= ' ' || c >= 0x7F)
        return 0;
    return c < 64 ? !(URL_NOT_LOW >> c & 1) : !(URL_NOT_HIGH >> (c - 64) & 1);
}

/* local@domain.tld at c[i, j) */
static int is_email(const uint32_t *c, size_t i, size_t j)
{
    size_t at = 0, dots = 0;
    for (size_t k = i; k < j; k++) {
        if (c[k] == '@') {
            if (at)
                return 0;
            at = k;
        } else if (at && c[k] == '.') {
            dots++;
        }
    }
    return at > i && at + 1 < j && dots > 0 && c[j - 1] != '.';
}

/* What <...> at c[i] (the '<') holds: an autolink (returns the index of '>'), <br> in any
 * case, with spaces before its '>' (HTML's start tag, <br >) or XHTML's <br/> and <br />
 * (sets *br), or 0 for a plain '<'. An opened but unclosed
 * link is an error (*bad: the index of what ends it, plus one: a space before a '>' further
 * on, or the line's end). */
static size_t angle(const uint32_t *c, size_t i, size_t hi, int *br, size_t *bad)
{
    *br = 0, *bad = 0;
    if (i + 3 < hi && (c[i + 1] | 0x20) == 'b' && (c[i + 2] | 0x20) == 'r') {
        size_t k = i + 3;
        while (k < hi && c[k] == ' ')
            k++;
        k += k < hi && c[k] == '/';
        if (k < hi && c[k] == '>') {
            *br = 1;
            return k;
        }
    }
    size_t k = i + 1;
    while (k < hi && is_url_char(c[k]) && c[k] != '>')
        k++;
    int looks = scheme_len(c, i + 1, hi) > 0 || is_email(c, i + 1, k);
    if (!looks)
        return 0;
    if (k < hi && c[k] == '>')
        return k;
    *bad = k + 1;
    return 0;
}

/* www. at c[s, j) */
static int is_www(const uint32_t *c, size_t s, size_t j)
{
    return j > s + 4 && (c[s] | 0x20) == 'w' && (c[s + 1] | 0x20) == 'w' &&
           (c[s + 2] | 0x20) == 'w' && c[s + 3] == '.';
}

/* A character of a [text](target) target: an address's (is_url_char), or one beyond ASCII
 * that is not a space, percent-encoded in the link (an IRI's, RFC 3987 §3.1: ?subject=問題) */
static int is_target_char(uint32_t c)
{
    return is_url_char(c) || (c > 0x7F && !is_space(c) && !is_control(c));
}

/* [text](target) starting at c[i] (the '['): the index of ']' in *close, the target's span
 * in [*dest, *dest_end), and the index of the ')' that ends it returned; 0 when it is not a
 * link. The text may hold brackets in pairs ([the site [new]](...), CommonMark §6.3), and may
 * be empty (the caller's error). The target has no spaces; its parentheses nest (CommonMark
 * §6.3: .../Tang_(dynasty)), and it may be written in angle brackets, [text](<https://...>).
 * *bad is set when a target that begins like an address (a scheme, www., <) does not end so. */
static size_t bracket_link(const uint32_t *c, size_t i, size_t hi, size_t *close, size_t *dest,
                           size_t *dest_end, int *bad)
{
    *bad = 0;
    size_t k = i + 1;
    for (int depth = 0; k < hi && (c[k] != ']' || depth > 0);) {
        depth += c[k] == '[' ? 1 : c[k] == ']' ? -1 : 0;
        k += (c[k] == '\\' && k + 1 < hi) ? 2 : 1;
    }
    if (k >= hi || k + 1 >= hi || c[k + 1] != '(')
        return 0;
    size_t d = k + 2, t = d;
    int angled = d < hi && c[d] == '<', depth = 0;
    if (angled) {
        t = ++d;
        while (t < hi && is_target_char(c[t]) && c[t] != '>')
            t++;
        if (t + 1 < hi && t > d && c[t] == '>' && c[t + 1] == ')') {
            *close = k, *dest = d, *dest_end = t;
            return t + 1;
        }
        *bad = 1;
        return 0;
    }
    for (; t < hi && is_target_char(c[t]); t++) {
        if (c[t] == '(')
            depth++;
        else if (c[t] == ')' && depth-- == 0)
            break;
    }
    if (t >= hi || c[t] != ')' || t == d) {
        *bad = scheme_len(c, d, hi) > 0 || is_www(c, d, hi);
        return 0;
    }
    *close = k, *dest = d, *dest_end = t;
    return t;
}

/* A run of * at c[i]: its length (1, 2 and 3 kept, more is plain). Opens when followed by a
 * non-space, closes when preceded by one. */
static size_t star_run(const uint32_t *c, size_t i, size_t hi)
{
    size_t k = i;
    while (k < hi && c[k] == '*')
        k++;
    return k - i;
}

/* The attributes {...} knows, and whether each takes a value. */
static const struct {
    const char *name;
    int valued;
} ATTRS[] = {{"keep", 0},     {"right", 0}, {"center", 0}, {"left", 0}, {"noindent", 0},
             {"body", 0},     {"every", 0}, {"lang", 1},   {"short", 1}};

/* An attribute {...} cannot take: a known one with a value it cannot have (or without one it
 * needs), else unknown, with the known one it is a near miss of (review 12 B10, C14: {lang=xx}
 * was an "unknown attribute", {kep} had no "did you mean"). */
static void attr_error(const char *file, int line, int col, const char *key)
{
    static const char known[] = "known: keep, right, center, left, noindent, body, every, "
                                "lang=zh|en, short=\"...\"; write \\{ for a literal brace";
    const char *near = NULL;
    int best = PB_UTIL_NEAR_LEN_MAX + 1, d;
    for (size_t i = 0; i < sizeof ATTRS / sizeof ATTRS[0]; i++) {
        if (strcmp(key, ATTRS[i].name) == 0) {
            if (strcmp(key, "lang") == 0)
                pb_diag_error(file, line, col, "attribute 'lang' takes zh or en: {lang=zh}, "
                                               "{lang=en}");
            else if (ATTRS[i].valued)
                pb_diag_error(file, line, col, "attribute '%s' needs a value: {%s=\"...\"}", key,
                              key);
            else
                pb_diag_error(file, line, col, "attribute '%s' takes no value: write {%s}", key,
                              key);
            return;
        }
        if (pb_util_near_miss(key, ATTRS[i].name, &d) && d < best)
            best = d, near = ATTRS[i].name;
    }
    if (near)
        pb_diag_error(file, line, col, "unknown attribute '%s' in {...}; did you mean '%s'? (%s)",
                      key, near, known);
    else
        pb_diag_error(file, line, col, "unknown attribute '%s' in {...} (%s)", key, known);
}

/* Parse {attributes} at c[open + 1, close). */
static pb_status parse_attrs(const char *file, int line, const uint32_t *c, size_t open,
                             size_t close, line_out *o)
{
    size_t k = open + 1;
    while (k < close) {
        while (k < close && c[k] == ' ')
            k++;
        if (k >= close)
            break;
        size_t key0 = k;
        while (k < close && pb_uchar_is_ascii_letter(c[k]))
            k++;
        size_t key1 = k;
        char key[16] = {0};
        for (size_t q = key0; q < key1 && q - key0 < sizeof key - 1; q++)
            key[q - key0] = (char)c[q];
        size_t v0 = k, v1 = k;
        if (k < close && c[k] == '=') {
            k++;
            if (k < close && c[k] == '"') {
                v0 = ++k;
                while (k < close && c[k] != '"')
                    k++;
                if (k >= close) {
                    pb_diag_error(file, line, (int)v0, "unclosed \" in {%s=...}", key);
                    return PB_EINPUT;
                }
                v1 = k++;
            } else {
                v0 = k;
                while (k < close && c[k] != ' ')
                    k++;
                v1 = k;
            }
        }
        if (k < close && c[k] != ' ') {
            pb_diag_error(file, line, (int)k + 1,
                          "malformed attribute in {...} (write {keep}, {right}, {center}, {left}, {noindent}, "
                          "{body}, {every}, {lang=zh}, "
                          "{short=\"...\"}; "
                          "\\{ for a literal brace)");
            return PB_EINPUT;
        }
        int has_value = v1 > v0 || (key1 < close && c[key1] == '=');
        if (strcmp(key, "keep") == 0 && !has_value) {
            o->keep = 1;
        } else if (strcmp(key, "right") == 0 && !has_value) {
            o->right = 1;
        } else if (strcmp(key, "center") == 0 && !has_value) {
            o->center = 1;
        } else if (strcmp(key, "left") == 0 && !has_value) {
            o->left = 1;
        } else if (strcmp(key, "noindent") == 0 && !has_value) {
            o->noindent = 1;
        } else if (strcmp(key, "body") == 0 && !has_value) {
            o->body = 1;
        } else if (strcmp(key, "every") == 0 && !has_value) {
            o->every = 1;
        } else if (strcmp(key, "lang") == 0 && v1 - v0 == 2 &&
                   ((c[v0] == 'z' && c[v0 + 1] == 'h') || (c[v0] == 'e' && c[v0 + 1] == 'n'))) {
            o->lang = c[v0] == 'z' ? PB_LANG_ZH : PB_LANG_EN;
        } else if (strcmp(key, "short") == 0 && v1 > v0) {
            free(o->short_title);
            o->short_title = malloc((v1 - v0) * sizeof *o->short_title);
            if (!o->short_title)
                return oom();
            memcpy(o->short_title, c + v0, (v1 - v0) * sizeof *c);
            o->short_len = v1 - v0;
        } else {
            attr_error(file, line, (int)key0 + 1, key0 == key1 ? "" : key);
            return PB_EINPUT;
        }
    }
    return PB_OK;
}

/* The trailing {attributes} of c[lo, *hi): parsed, and *hi moved before them. */
static pb_status trailing_attrs(const char *file, int line, const uint32_t *c, size_t lo,
                                size_t *hi, line_out *o)
{
    size_t h = *hi;
    if (h == lo || c[h - 1] != '}' || (h >= lo + 2 && c[h - 2] == '\\'))
        return PB_OK;
    size_t open = h - 1;
    while (open > lo && c[open - 1] != '{')
        open--;
    if (open == lo || c[open - 1] != '{')
        return PB_OK; /* a '}' with no '{': plain text */
    open--;
    if (open > lo && c[open - 1] == '\\')
        return PB_OK; /* \{...}: plain text */
    pb_status st = parse_attrs(file, line, c, open, h - 1, o);
    if (st != PB_OK)
        return st;
    while (open > lo && is_space(c[open - 1]))
        open--;
    *hi = open;
    return PB_OK;
}

/* The attribute names parse_attrs reads. */
static const char *const ATTR_NAMES[] = {"keep", "right",  "center", "left", "noindent",
                                         "body", "every", "lang",   "short"};

/* A '{' at c[k] that begins one of ATTR_NAMES ("{keep", "{short="): the name's end, else 0. */
static size_t attr_name_end(const uint32_t *c, size_t k, size_t hi)
{
    size_t e = k + 1;
    while (e < hi && pb_uchar_is_ascii_letter(c[e]))
        e++;
    if (e < hi && c[e] != ' ' && c[e] != '=' && c[e] != '}')
        return 0;
    for (size_t q = 0; q < sizeof ATTR_NAMES / sizeof *ATTR_NAMES; q++) {
        size_t n = strlen(ATTR_NAMES[q]), j = 0;
        while (j < n && k + 1 + j < e && c[k + 1 + j] == (uint32_t)ATTR_NAMES[q][j])
            j++;
        if (j == n && k + 1 + n == e)
            return e;
    }
    return 0;
}

/* An attribute group in c[lo, hi), the line without the groups that end it, is printed as text:
 * one left open at the line's end ("# 通知 {short=\"通知", "…Mondays. {keep") or one inside the
 * text ("段落 {keep} 後面"). Both are errors at the '{' (review 12 A7: they were set in the
 * title, the running heads and the bookmarks with quotation warnings only, or none); a brace
 * before any other word is text ("{x | x > 0"), and \{ a literal brace. */
static pb_status stray_attrs(const char *file, int line, const uint32_t *c, size_t lo, size_t hi)
{
    for (size_t k = lo; k < hi; k++) {
        if (c[k] == '\\' && k + 1 < hi && escapable(c[k + 1])) {
            k++;
            continue;
        }
        size_t e = c[k] == '{' ? attr_name_end(c, k, hi) : 0;
        if (!e)
            continue;
        char name[16] = {0};
        for (size_t q = k + 1; q < e && q - k - 1 < sizeof name - 1; q++)
            name[q - k - 1] = (char)c[q];
        size_t close = e;
        while (close < hi && c[close] != '}')
            close++;
        if (close == hi)
            pb_diag_error(file, line, (int)k + 1,
                          "unclosed {...} attribute '{%s': end it with '}' at the line's end "
                          "({keep}, {short=\"...\"}), or write \\{ for a literal brace",
                          name);
        else
            pb_diag_error(file, line, (int)k + 1,
                          "attribute '{%s}' inside the line: attributes go at the line's end, "
                          "after its text; write \\{ for a literal brace",
                          name);
        return PB_EINPUT;
    }
    return PB_OK;
}

/* c[lo, hi) holds nothing but spaces and {...} groups (a marks-only line's attributes). */
static int attrs_only(const uint32_t *c, size_t lo, size_t hi)
{
    for (size_t k = lo; k < hi; k++) {
        if (is_space(c[k]))
            continue;
        if (c[k] != '{')
            return 0;
        while (k < hi && c[k] != '}')
            k++;
        if (k == hi)
            return 0;
    }
    return 1;
}

/* Top-level domains a two-label name is taken for a domain with (example.org; report.pdf
 * is not one); names of three or more labels need none. */
static int common_tld(const uint32_t *c, size_t n)
{
    static const char *const tlds[] = {"com", "org", "net", "edu", "gov", "int", "info", "io",
                                       "cn",  "tw",  "hk",  "mo",  "sg",  "uk",  "de",   "fr",
                                       "jp",  "kr",  "eu",  "us",  "ca",  "au"};
    for (size_t t = 0; t < sizeof tlds / sizeof tlds[0]; t++) {
        size_t k = 0;
        while (k < n && tlds[t][k] && (c[k] | 0x20) == (uint32_t)tlds[t][k])
            k++;
        if (k == n && !tlds[t][k])
            return 1;
    }
    return 0;
}

/* A domain name at c[i, j): letters, digits and hyphens in labels, the last all letters
 * (museum.example.org); "e.g.", "3.5" and "report.pdf" are not. A path may follow. */
static int is_domain(const uint32_t *c, size_t i, size_t j)
{
    if (!pb_uchar_is_ascii_letter(c[i]))
        return 0;
    size_t labels = 1, last = i, k;
    for (k = i; k < j && c[k] != '/'; k++) {
        if (c[k] == '.') {
            if (k == last || k + 1 >= j)
                return 0;
            labels++, last = k + 1;
        } else if (!is_ascii_alnum(c[k]) && c[k] != '-') {
            return 0;
        }
    }
    if (labels < 2 || k - last < 2)
        return 0;
    for (size_t q = last; q < k; q++)
        if (!pb_uchar_is_ascii_letter(c[q]))
            return 0;
    return labels >= 3 || common_tld(c + last, k - last);
}

/* A domain name (is_domain) at c[i, j) that is an address as www.... is, and linked so: its
 * top-level domain a known one (common_tld) and a path after it (press.example.com.cn/media)
 * or two periods in it (museum.example.org). A two-label name alone (lanyue.cn) stays a
 * domain, named and not linked. */
static int is_bare_address(const uint32_t *c, size_t i, size_t j)
{
    size_t k = i, dots = 0, last = i;
    for (; k < j && c[k] != '/'; k++)
        if (c[k] == '.')
            dots++, last = k + 1;
    return common_tld(c + last, k - last) && ((k < j && k + 1 < j) || dots >= 2);
}

/* What ends a sentence after a URL, or marks a note (https://a.org*), not part of it */
#define URL_TRAIL ".,;:!?'\"*"

/* A run c[i, *j) of URL characters without the brackets and quotes around it (lead) and the
 * sentence punctuation after it (trail), nor a closing bracket it does not open: where what
 * it holds starts, *j where it ends. */
static size_t url_trim(const uint32_t *c, size_t i, size_t *j, const char *lead, const char *trail)
{
    size_t s = i, e = *j;
    while (s < e && strchr(lead, (int)c[s]))
        s++;
    int trimmed = 1;
    while (trimmed && e > s) {
        trimmed = 0;
        if (strchr(trail, (int)c[e - 1])) {
            e--, trimmed = 1;
        } else if (c[e - 1] == ')' || c[e - 1] == ']') {
            int depth = 0;
            for (size_t k = s; k < e; k++)
                depth += (c[k] == '(' || c[k] == '[') ? 1 : (c[k] == ')' || c[k] == ']') ? -1 : 0;
            if (depth < 0)
                e--, trimmed = 1;
        }
    }
    *j = e;
    return s;
}

/* Characters of an e-mail address's local part (RFC 5322 §3.2.3 atext, and the dot). */
static int is_atext(uint32_t c)
{
    return is_ascii_alnum(c) || (c < 0x7F && c && strchr(".!#$%&'*+/=?^_`{|}~-", (int)c));
}

/* A bare URL or e-mail address in the marked-up line c[i, hi) whose run of URL characters
 * begins at c[i]: its span [*s, returned end), or 0. Its characters are the address's, never
 * markup (README: URLs are never changed): "?q=*tea*" and "john*doe*@" keep their stars. The
 * stars around it ("*https://a.org*", "**x@y.org**") and a note mark after it are markup. */
static size_t raw_url(const uint32_t *c, size_t i, size_t hi, size_t *s)
{
    size_t j = i;
    while (j < hi && is_url_char(c[j]))
        j++;
    size_t b = url_trim(c, i, &j, "([\"'*", URL_TRAIL);
    size_t sl = j > b ? bare_scheme_len(c, b, j) : 0;
    if ((sl && j > b + sl) || is_www(c, b, j)) {
        *s = b;
        return j;
    }
    size_t at = b;
    while (at < j && c[at] != '@')
        at++;
    if (at == j)
        return 0;
    size_t l = at;
    while (l > b && is_atext(c[l - 1]))
        l--;
    while (l < at && c[l] == '*')
        l++;
    if (!is_email(c, l, j))
        return 0;
    *s = l;
    return j;
}

/* qsort order of links: by start (links never overlap, so starts differ) */
static int link_cmp(const void *a, const void *b)
{
    size_t x = ((const pb_link *)a)->start, y = ((const pb_link *)b)->start;
    return (x > y) - (x < y);
}

/* Bare URLs, e-mail addresses and domain names in the markup-free text: marked PB_MARK_URL
 * (never hyphenated), and linked (https:// for www. and a bare address, is_bare_address;
 * mailto: for e-mail) unless they are a two-label domain name alone or inside a link already. */
static pb_status find_urls(line_out *o)
{
    const uint32_t *c = o->cp;
    size_t i = 0;
    while (i < o->n) {
        if (!is_url_char(c[i]) || o->plain[i] || (o->mark[i] & PB_MARK_URL)) {
            i++;
            continue;
        }
        size_t j = i;
        int dot_or_colon = 0; /* a scheme has a ':', www., an address or a domain a '.' */
        while (j < o->n && is_url_char(c[j]) && !o->plain[j] && !(o->mark[j] & PB_MARK_URL))
            dot_or_colon |= c[j] == '.' || c[j] == ':', j++;
        size_t next = j;
        if (!dot_or_colon) { /* a word */
            i = next;
            continue;
        }
        size_t s = url_trim(c, i, &j, "([\"'", URL_TRAIL);
        size_t sl = j > s ? bare_scheme_len(c, s, j) : 0;
        int www = is_www(c, s, j);
        int email = j > s && !sl && is_email(c, s, j);
        int domain = j > s && !sl && !email && !www && is_domain(c, s, j);
        if (!((sl && j > s + sl) || www || email || domain)) {
            i = next;
            continue;
        }
        int linked = 0;
        for (size_t k = s; k < j; k++) {
            linked |= (o->mark[k] & PB_MARK_LINK) != 0;
            o->mark[k] |= PB_MARK_URL;
        }
        int bare = domain && is_bare_address(c, s, j);
        if (!linked && (!domain || bare)) {
            pb_status st = add_link(o, s, j, utf8_of(email ? "mailto:" : www || bare ? "https://" : "",
                                                     c, s, j));
            if (st != PB_OK)
                return st;
            for (size_t k = s; k < j; k++)
                o->mark[k] |= PB_MARK_LINK;
        }
        i = next;
    }
    /* in text order: the [...](...) links were added while parsing, the bare ones after */
    if (o->n_links > 1)
        qsort(o->links, o->n_links, sizeof *o->links, link_cmp);
    return PB_OK;
}

/* The markup of the code points c[lo, hi) of one line, into o. */
static pb_status parse_markup(const char *file, int line, const uint32_t *c, size_t lo, size_t hi,
                              line_out *o)
{
    line_out_reset(o);
    pb_status st = line_out_reserve(o, hi - lo + 1);
    if (st != PB_OK)
        return st;
    /* line start: # / ## headings, - list items */
    size_t k = lo;
    while (k < hi && c[k] == '#')
        k++;
    /* a line of more #s than levels and nothing else is text: a press release's "###" end,
     * with its attributes or not ("###{center}", "### {center}") */
    if (k > lo && (k == hi ? k - lo <= MAX_LEVEL : is_space(c[k])) &&
        !(k - lo > MAX_LEVEL && attrs_only(c, k, hi))) {
        if (k - lo > MAX_LEVEL) {
            pb_diag_error(file, line, (int)lo + 1,
                          "a heading has at most %d levels (# or ##); write \\# for a literal #",
                          MAX_LEVEL);
            return PB_EINPUT;
        }
        o->level = (int)(k - lo);
        lo = k;
    } else if (hi - lo >= 2 && c[lo] == '-' && is_space(c[lo + 1])) {
        o->list = 1;
        lo++;
    } else if (hi - lo == 1 && c[lo] == '-') {
        /* "- " with its space trimmed: an item with no text, as "# " is a heading with none */
        o->list = 1;
        lo++;
    } else {
        o->starred = hi - lo >= 2 && c[lo] == '*' && is_space(c[lo + 1]);
    }
    while (lo < hi && is_space(c[lo]))
        lo++;
    /* "{right}{keep}" is two groups: each read, none left in the text as it was */
    for (size_t before = hi + 1; hi != before;) {
        before = hi;
        if ((st = trailing_attrs(file, line, c, lo, &hi, o)) != PB_OK)
            return st;
    }
    if ((st = stray_attrs(file, line, c, lo, hi)) != PB_OK)
        return st;
    if (o->level && lo == hi) {
        pb_diag_error(file, line, 1, "empty heading");
        return PB_EINPUT;
    }
    if (o->list && lo == hi) {
        pb_diag_error(file, line, 1, "empty list item (a '- ' with no text after it)");
        return PB_EINPUT;
    }
    uint8_t mark = 0;
    size_t emph_at = 0, strong_at = 0;
    size_t link_open = 0, link_close = 0, link_end = 0, link_start = 0, link_dest = 0,
           link_dest_end = 0;
    size_t url_at = 0, url_end = 0; /* a bare URL's span in c: its characters are text */
    for (size_t i = lo; i < hi; i++) {
        uint32_t ch = c[i];
        if (i >= url_end && is_url_char(ch) && (i == lo || !is_url_char(c[i - 1]))) {
            /* not past the ']' of the [...](...) link it is (or begins) the text of */
            size_t cap = link_end && i < link_close ? link_close : hi, close, d, de;
            int bad;
            if (ch == '[' && !link_end && bracket_link(c, i, hi, &close, &d, &de, &bad))
                cap = close;
            url_end = raw_url(c, i, cap, &url_at);
        }
        if (i >= url_at && i < url_end) {
            emit(o, ch, i, mark, 0);
            continue;
        }
        if (ch == '\\' && i + 1 < hi && escapable(c[i + 1])) {
            emit(o, c[i + 1], i + 1, mark, 1);
            i++;
            continue;
        }
        if (ch == '*') {
            size_t run = star_run(c, i, hi);
            uint8_t m = run == 2 ? PB_MARK_STRONG : run == 1 ? PB_MARK_EMPH : 0;
            /* a star before a comma, a stop or a closing bracket begins nothing: it is a
             * note mark ("免費*，", "free*;"), as CommonMark's left-flanking rule has it */
            int opens = i + run < hi && !is_space(c[i + run]) && !pb_uchar_is_closing_punct(c[i + run]);
            int closes = i > lo && !is_space(c[i - 1]);
            /* after a word: a note mark in a line whose partner keeps its marks (note_pairs) */
            int after_word = run == 1 && i > lo && (pb_uchar_is_han(c[i - 1]) || is_ascii_alnum(c[i - 1]));
            if (after_word && o->note_stars)
                opens = closes = 0;
            /* ***text*** is bold italic, CommonMark's <em><strong> (review 12 A2: it was set
             * with its stars): the run opens both marks, or closes both; closing the one open
             * ("**a***"), its other stars open the other ("**a***b*") or are set as written, a
             * note mark ("**免費***，"). Opening one while the other is open would nest a mark
             * in itself ("*a ***b** c*"): an error. */
            uint8_t both = PB_MARK_EMPH | PB_MARK_STRONG, open_now = mark & both;
            if (run == 3 && closes && open_now) {
                mark &= (uint8_t)~open_now;
                size_t used = open_now == both ? 3 : open_now == PB_MARK_STRONG ? 2 : 1;
                if (used < 3 && opens) {
                    mark |= (uint8_t)(both & ~open_now);
                    *(open_now == PB_MARK_STRONG ? &emph_at : &strong_at) = i + used;
                } else {
                    for (size_t q = used; q < 3; q++)
                        emit(o, '*', i + q, mark, 0);
                }
                i += 2;
                continue;
            }
            if (run == 3 && opens && open_now) {
                pb_diag_error(file, line, (int)i + 1,
                              "*** opens bold italic while the %s opened at column %zu is still "
                              "open: a mark cannot hold itself; open only the other inside it "
                              "(%s), or write \\* for a literal asterisk",
                              open_now == PB_MARK_EMPH ? "emphasis (*)" : "strong emphasis (**)",
                              (open_now == PB_MARK_EMPH ? emph_at : strong_at) + 1,
                              open_now == PB_MARK_EMPH ? "*a **b** c*" : "**a *b* c**");
                return PB_EINPUT;
            }
            if (run == 3 && opens) {
                mark |= both;
                emph_at = strong_at = i;
                i += 2;
                continue;
            }
            if (run == 1 && (((mark & m) && closes) || (!(mark & m) && opens))) {
                o->emph_after_word += after_word != 0;
                if (o->emph_stars++ == 0)
                    o->emph_col = i + 1;
            }
            if (m && (mark & m) && closes) {
                /* the other opened inside this one and is still open: "*a **b* c**" */
                uint8_t other = m == PB_MARK_STRONG ? PB_MARK_EMPH : PB_MARK_STRONG;
                size_t at = m == PB_MARK_STRONG ? strong_at : emph_at;
                size_t other_at = m == PB_MARK_STRONG ? emph_at : strong_at;
                if ((mark & other) && other_at > at) {
                    pb_diag_error(file, line, (int)i + 1,
                                  "%s closes %s while the %s opened inside it (column %zu) is "
                                  "still open: the marks cross; close the inner one first "
                                  "(*a **b** c*), or write \\* for a literal asterisk",
                                  run == 2 ? "**" : "*", run == 2 ? "strong emphasis" : "emphasis",
                                  run == 2 ? "emphasis (*)" : "strong emphasis (**)", other_at + 1);
                    return PB_EINPUT;
                }
                mark &= (uint8_t)~m;
                i += run - 1;
                continue;
            }
            if (m && !(mark & m) && opens) {
                mark |= m;
                *(m == PB_MARK_STRONG ? &strong_at : &emph_at) = i;
                i += run - 1;
                continue;
            }
            for (size_t q = 0; q < run; q++)
                emit(o, '*', i + q, mark, 0);
            i += run - 1;
            continue;
        }
        if (ch == '<') {
            int br;
            size_t bad, close = angle(c, i, hi, &br, &bad);
            size_t gt = bad && bad <= hi && is_space(c[bad - 1]) ? bad : hi;
            while (gt < hi && c[gt] != '>' && c[gt] != '<')
                gt++;
            if (bad && gt < hi && c[gt] == '>') {
                /* closed, with a space inside: "<tel:+86 21 1234 5678>" (review 9) */
                pb_diag_error(file, line, (int)bad,
                              "a space in the <...> link opened at column %zu: an address is "
                              "written without spaces (<tel:+862112345678>); write \\< for a "
                              "literal <",
                              i + 1);
                return PB_EINPUT;
            }
            if (bad) {
                pb_diag_error(file, line, (int)i + 1,
                              "unclosed <...> link (write <https://...>, or \\< for a literal <)");
                return PB_EINPUT;
            }
            if (br) {
                emit(o, PB_LINE_BREAK, i, mark, 0);
                i = close;
                continue;
            }
            if (close && link_end) {
                pb_diag_error(file, line, (int)i + 1,
                              "a <...> link inside the text of a [...](...) link: links do not "
                              "nest (leave out the <>, or write \\< for a literal <)");
                return PB_EINPUT;
            }
            if (close) {
                size_t start = o->n;
                for (size_t q = i + 1; q < close; q++)
                    emit(o, c[q], q, mark | PB_MARK_URL | PB_MARK_LINK, 0);
                int email = !scheme_len(c, i + 1, close) && is_email(c, i + 1, close);
                if ((st = add_link(o, start, o->n,
                                   utf8_of(email ? "mailto:" : "", c, i + 1, close))) != PB_OK)
                    return st;
                i = close;
                continue;
            }
        }
        if (ch == '[' && link_end && i < link_close) {
            size_t close, d, de;
            int bad;
            if (bracket_link(c, i, link_close, &close, &d, &de, &bad)) {
                pb_diag_error(file, line, (int)i + 1,
                              "a [...](...) link inside the text of a [...](...) link: links do "
                              "not nest (write \\[ for a literal [)");
                return PB_EINPUT;
            }
        }
        if (ch == '[' && !link_end) {
            size_t close, d, de;
            int bad;
            size_t end = bracket_link(c, i, hi, &close, &d, &de, &bad);
            if (bad) {
                pb_diag_error(file, line, (int)i + 1,
                              "a [...](...) link whose target does not end: write "
                              "[text](https://...) with no space in the address and its "
                              "parentheses paired, or [text](<https://...>)");
                return PB_EINPUT;
            }
            if (end) {
                link_open = i;
                link_close = close;
                link_dest = d;
                link_dest_end = de;
                link_end = end;
                link_start = o->n;
                mark |= PB_MARK_LINK;
                continue;
            }
        }
        if (link_end && i == link_close) {
            size_t shown = link_start;
            while (shown < o->n && (is_space(o->cp[shown]) || o->cp[shown] == PB_LINE_BREAK))
                shown++;
            if (shown == o->n) {
                pb_diag_error(file, line, (int)link_open + 1,
                              "a [...](...) link with no text to show: write the words to link, "
                              "or <address> for the address itself");
                return PB_EINPUT;
            }
            mark &= (uint8_t)~PB_MARK_LINK;
            if ((st = add_link(o, link_start, o->n, utf8_of("", c, link_dest, link_dest_end))) !=
                PB_OK)
                return st;
            i = link_end;
            link_end = 0;
            continue;
        }
        emit(o, ch, i, ch == PB_LINE_BREAK ? mark | PB_MARK_LS : mark, 0);
    }
    if ((mark & (PB_MARK_EMPH | PB_MARK_STRONG)) == (PB_MARK_EMPH | PB_MARK_STRONG) &&
        emph_at == strong_at) {
        pb_diag_error(file, line, (int)emph_at + 1,
                      "unclosed bold italic (*** ... ***); write \\* for a literal asterisk");
        return PB_EINPUT;
    }
    if (mark & (PB_MARK_EMPH | PB_MARK_STRONG)) {
        int strong = (mark & PB_MARK_STRONG) && (!(mark & PB_MARK_EMPH) || strong_at < emph_at);
        if (!strong && emph_at == lo) { /* a note's star, *Corresponding author */
            char next[64] = "";
            if (o->star_next)
                snprintf(next, sizeof next, ", and line %d begins with * too", o->star_next);
            pb_diag_error(file, line, (int)lo + 1,
                          "unclosed emphasis (* ... *)%s: a note mark at a line's start is "
                          "written \\* (\\*Note ...); write \\* for a literal asterisk",
                          next);
            return PB_EINPUT;
        }
        pb_diag_error(file, line, (int)(strong ? strong_at : emph_at) + 1,
                      "unclosed %s (%s ... %s); write \\* for a literal asterisk",
                      strong ? "strong emphasis" : "emphasis", strong ? "**" : "*",
                      strong ? "**" : "*");
        return PB_EINPUT;
    }
    /* a forced break at either end of a paragraph breaks nothing, and the spaces that markup
     * left at an edge ("[ ](url) text", "text <br> ") are trimmed as the line's own were */
    while (o->n && (o->cp[o->n - 1] == PB_LINE_BREAK || is_space(o->cp[o->n - 1])))
        o->n--;
    size_t lead = 0;
    while (lead < o->n && (o->cp[lead] == PB_LINE_BREAK || is_space(o->cp[lead])))
        lead++;
    if (lead) {
        memmove(o->cp, o->cp + lead, (o->n - lead) * sizeof *o->cp);
        memmove(o->col, o->col + lead, (o->n - lead) * sizeof *o->col);
        memmove(o->mark, o->mark + lead, o->n - lead);
        memmove(o->plain, o->plain + lead, o->n - lead);
        o->n -= lead;
    }
    if (o->level && o->n == 0) { /* "# <br>": a heading of forced breaks only */
        pb_diag_error(file, line, 1, "empty heading (it holds only line breaks)");
        return PB_EINPUT;
    }
    /* links keep to what is left; one over trimmed spaces alone links nothing */
    size_t kept = 0;
    for (size_t q = 0; q < o->n_links; q++) {
        pb_link ln = o->links[q];
        ln.start = ln.start > lead ? ln.start - lead : 0;
        ln.end = ln.end > lead ? ln.end - lead : 0;
        ln.start = ln.start < o->n ? ln.start : o->n;
        ln.end = ln.end < o->n ? ln.end : o->n;
        if (ln.start < ln.end)
            o->links[kept++] = ln;
        else
            free(ln.target);
    }
    o->n_links = kept;
    return find_urls(o);
}

/* ---- pass 2b: one line into a block ---- */

/* Finals of Hanyu Pinyin as written (GB/T 16159-2012 and the Scheme for the Chinese Phonetic
 * Alphabet, 1958: ü as v; ue after j q x y; the y- and w- spellings are initial + final). */
#define PINYIN_FINAL_MAX 4 /* letters of the longest final (iang, iong, uang, ueng) */
static const char PINYIN_FINALS[][PINYIN_FINAL_MAX + 1] = {
    "a",   "o",    "e",   "E",   "i",   "u",    "v",    "ai",  "ei",   "ao",   "ou",
    "an",  "en",   "ang", "eng", "ong", "er",   "ia",   "ie",  "iao",  "iu",   "ian",
    "in",  "iang", "ing", "iong", "ua", "uo",   "uai",  "ui",  "uan",  "un",   "uang",
    "ueng", "ve",  "van", "vn",  "ue",  "io"};

static int pinyin_final(const char *f, size_t n)
{
    if (n && f[n - 1] == 'r' && !(n == 2 && f[0] == 'e'))
        n--; /* erhua: huār, wánr */
    if (n == 0 || n > PINYIN_FINAL_MAX)
        return 0;
    for (size_t i = 0; i < sizeof PINYIN_FINALS / sizeof *PINYIN_FINALS; i++)
        if (PINYIN_FINALS[i][0] == f[0] && PINYIN_FINALS[i][n] == '\0' &&
            !memcmp(PINYIN_FINALS[i], f, n))
            return 1;
    return 0;
}

/* The pinyin letters s[0, n) as one syllable: 2 with one tone mark (guó), 1 without (wang,
 * ha: a syllable, or a word or unit that spells like one), 0 when no syllable (kg, km, pdf,
 * html, ok, cm) or more than one tone mark. */
static int pinyin_syllable(const uint32_t *s, size_t n)
{
    char a[ANNOT_MAX_LETTERS + 1];
    int tone = 0;
    if (n == 0 || n > ANNOT_MAX_LETTERS)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!(a[i] = pb_uchar_pinyin_base(s[i], &tone)))
            return 0;
    a[n] = '\0';
    if (tone > 1)
        return 0;
    /* syllabic m and n (呣 ḿ, 嗯 ń ňg): with their tone mark only */
    if (tone && (!strcmp(a, "m") || !strcmp(a, "n") || !strcmp(a, "ng")) && s[0] >= 0x80)
        return 2;
    static const char INITIALS[][3] = {"zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n",
                                       "l",  "g",  "k",  "h", "j", "q", "x", "r", "z", "c",
                                       "s",  "y",  "w",  ""};
    for (size_t i = 0; i < sizeof INITIALS / sizeof *INITIALS; i++) {
        size_t l = 0; /* letters of a that match the initial */
        while (INITIALS[i][l] && INITIALS[i][l] == a[l])
            l++;
        if (!INITIALS[i][l] && l < n && pinyin_final(a + l, n - l))
            return tone ? 2 : 1;
    }
    return 0;
}

/* If c[k] opens a pinyin annotation such as 國(guó) within [lo, hi), the index of its ')':
 * parenthesised letters after a Han character that spell one pinyin syllable with its tone
 * mark. *toneless (may be NULL) is the index of the ')' when they spell a syllable without one
 * (李(li), 面積(ha)), else 0: kept in the text, as a unit or a word may spell like one.
 * The callers look for the '(' first, so that a character that is none costs no call. */
/* The parenthesised letters at c[k] '(' as pinyin: pinyin_syllable() of them, its first letter
 * taken in lower case (a proper name's capital: 李(Lǐ), 中(Zhōng)), and the index of the ')' in
 * *close; 0 when they are no syllable or no ')' ends them before hi. */
static int paren_syllable(const uint32_t *c, size_t hi, size_t k, size_t *close)
{
    uint32_t s[ANNOT_MAX_LETTERS];
    size_t j = k + 1;
    for (; j < hi && j - k <= ANNOT_MAX_LETTERS; j++) {
        uint32_t l = j == k + 1 ? (uint32_t)u_tolower((UChar32)c[j]) : c[j];
        if (!pb_uchar_is_pinyin_letter(l))
            break;
        s[j - k - 1] = l;
    }
    size_t n = j - k - 1;
    if (n == 0 || n > ANNOT_MAX_LETTERS || j >= hi || c[j] != ')')
        return 0;
    *close = j;
    return pinyin_syllable(s, n);
}

static size_t annot_close(const line_out *o, size_t lo, size_t hi, size_t k, size_t *toneless)
{
    const uint32_t *c = o->cp;
    size_t j = 0;
    if (k <= lo || c[k] != '(' || o->plain[k] || (o->mark[k] & PB_MARK_URL) ||
        !pb_uchar_is_han(c[k - 1]))
        return 0;
    int syl = paren_syllable(c, hi, k, &j);
    if (toneless)
        *toneless = syl == 1 ? j : 0;
    return syl == 2 ? j : 0;
}

/* If c[k] opens a pinyin syllable with its tone mark in parentheses after a mark (句號。(jù)),
 * or at the paragraph's start, the index of its ')', else 0: no Han character for it to read,
 * so it stays in the text, with a warning. */
static size_t stray_pinyin_close(const line_out *o, size_t lo, size_t hi, size_t k)
{
    const uint32_t *c = o->cp;
    size_t j = 0;
    if (c[k] != '(' || o->plain[k] || (o->mark[k] & PB_MARK_URL) ||
        (k > lo && (pb_uchar_is_han(c[k - 1]) || pb_uchar_is_alnum(c[k - 1]) || c[k - 1] == ')' ||
                    c[k - 1] == ' ')))
        return 0;
    return paren_syllable(c, hi, k, &j) == 2 ? j : 0;
}

/* Longest text in parentheses read as a pinyin gloss that is not one syllable (zhōngguó,
 * xíng/háng), in code points. */
#define GLOSS_MAX 40

/* If c[k] opens parentheses after a Han character, or after another pair of them (長(cháng)
 * (zhǎng)), that hold pinyin meant as a reading but not one syllable with its tone mark — two
 * syllables (中國(zhōngguó)), a numbered tone (國(guo2)), alternatives (行(xíng/háng)), or a
 * second reading after the first — the index of its ')', else 0: kept in the text, with a
 * warning. It takes a tone, marked or numbered, and only pinyin letters, tone digits and the
 * separators / , ' - and space. */
static size_t gloss_close(const line_out *o, size_t lo, size_t hi, size_t k)
{
    const uint32_t *c = o->cp;
    if (k <= lo || c[k] != '(' || o->plain[k] || (o->mark[k] & PB_MARK_URL) ||
        !(pb_uchar_is_han(c[k - 1]) || c[k - 1] == ')'))
        return 0;
    int tone = 0, letters = 0;
    size_t j = k + 1;
    for (; j < hi && c[j] != ')' && j - k <= GLOSS_MAX; j++) {
        int marked = 0;
        if (pb_uchar_is_pinyin_letter(c[j])) {
            letters++;
            pb_uchar_pinyin_base(c[j], &marked);
            tone |= marked;
        } else if (c[j] >= '1' && c[j] <= '5' && j > k + 1 && pb_uchar_is_pinyin_letter(c[j - 1])) {
            tone = 1; /* guo2 */
        } else if (!(c[j] == '/' || c[j] == ',' || c[j] == '\'' || c[j] == '-' || c[j] == ' ')) {
            return 0;
        }
    }
    return j < hi && c[j] == ')' && tone && letters ? j : 0;
}

typedef struct {
    uint32_t *cp; /* decoded line; cp[k] sits in column k + 1 */
    uint8_t *tab; /* tab[k]: cp[k] is a space typed as a TAB */
    size_t n, cap;
} line_buf;

static pb_status decode_line(line_buf *lb, const uint8_t *s, size_t len)
{
    if (len > lb->cap) {
        uint32_t *p = realloc(lb->cp, len * sizeof *p);
        if (p)
            lb->cp = p;
        uint8_t *t = realloc(lb->tab, len);
        if (t)
            lb->tab = t;
        if (!p || !t)
            return oom();
        lb->cap = len;
    }
    size_t i = 0, n = 0;
    while (i < len) {
        uint32_t c;
        size_t k;
        uint8_t b0 = s[i];
        if (b0 < 0x80) { /* the line is valid (validate()): ASCII, and three bytes, most of CJK, */
            c = b0, k = 1; /* read as they are */
        } else if (b0 >= 0xE0 && b0 <= 0xEF && i + 2 < len) {
            c = (uint32_t)(b0 & 0x0F) << 12 | (uint32_t)(s[i + 1] & 0x3F) << 6 | (s[i + 2] & 0x3F);
            k = 3;
        } else if ((k = pb_uchar_decode(s + i, len - i, &c)) == 0) { /* cannot happen; stay safe */
            c = CP_REPLACEMENT, k = 1;
        }
        lb->tab[n] = c == '\t'; /* marked in the text (PB_MARK_TAB): normalize lists it */
        if (c == '\t')
            c = ' '; /* a TAB is a space between words, as in TeX (its catcode 10) */
        lb->cp[n++] = c;
        i += k;
    }
    lb->n = n;
    return PB_OK;
}

static pb_status push_annot(pb_block *b, size_t *cap, const uint32_t *pinyin, size_t len,
                            int line, int col)
{
    if (pb_util_grow(&b->annots, cap, b->n_annots + 1, sizeof *b->annots, ANNOTS_INITIAL_CAP))
        return oom();
    uint32_t *t = malloc(len * sizeof *t);
    if (!t)
        return oom();
    memcpy(t, pinyin, len * sizeof *t);
    b->annots[b->n_annots++] = (pb_annot){.base = b->len - 1, .text = t, .len = len,
                                          .line = line, .col = col};
    return PB_OK;
}

/* What decided a line's language, kept for the messages. */
typedef struct {
    size_t han;             /* ideographs and CJK marks */
    size_t latin;           /* ASCII letters outside URLs, links' targets and annotations */
    size_t ideo;            /* ideographs alone (han less the marks) */
    int forced;             /* {lang=...} */
    size_t emph_stars;      /* line_out's: single stars read as emphasis marks */
    size_t emph_after_word; /* of them after a Han character, letter or digit */
    size_t emph_col;        /* the first one's column */
    size_t fullwidth;       /* of han: full-width Latin letters and digits (ＸＪ３), forms of
                             * ASCII that count as Chinese */
    uint32_t fw_first;      /* the first of them, and its column */
    size_t fw_col;
} lang_evidence;

/* Fill b from the markup-free line o. */
static pb_status build_block(const char *file, pb_block *b, line_out *o, int line,
                             lang_evidence *ev, int quiet)
{
    size_t han = 0, latin = 0, ideo = 0, lo = 0, hi = o->n, fw = 0, fw_at = 0;
    /* each '(' met, in order: its annotation's ')' and toneless ')' (annot_close()), read
     * again by the second pass below, which meets the same ones when the line is Chinese */
    struct paren {
        size_t close, toneless;
    } *par = NULL;
    size_t n_par = 0, cap_par = 0;
    for (size_t k = lo; k < hi; k++) {
        size_t close = 0, toneless = 0;
        if (o->cp[k] == '(') {
            close = annot_close(o, lo, hi, k, &toneless);
            if (PB_GROW(par, cap_par, n_par)) {
                free(par);
                return oom();
            }
            par[n_par++] = (struct paren){close, toneless};
        }
        if (close) {
            k = close; /* pinyin letters do not make a line English */
            continue;
        }
        if (o->mark[k] & PB_MARK_URL)
            continue; /* nor does a URL or an e-mail address */
        if (pb_uchar_is_han(o->cp[k]) || pb_uchar_is_cjk_punct(o->cp[k]))
            han++, ideo += pb_uchar_is_han(o->cp[k]) != 0;
        if (pb_uchar_is_fullwidth_alnum(o->cp[k]) && !fw++)
            fw_at = k;
        else if (pb_uchar_is_ascii_letter(o->cp[k]))
            latin++;
    }
    *ev = (lang_evidence){han,          latin,         ideo, o->lang >= 0, o->emph_stars,
                          o->emph_after_word, o->emph_col, fw,  fw ? o->cp[fw_at] : 0,
                          fw ? o->col[fw_at] : 0};
    if (o->lang >= 0)
        b->lang = (pb_lang)o->lang;
    else
        b->lang = (han > 0 && LATIN_PER_HAN * han >= latin) ? PB_LANG_ZH : PB_LANG_EN;
    b->line = line;
    size_t n = hi - lo ? hi - lo : 1;
    b->text = malloc(n * sizeof *b->text);
    b->col = malloc(n * sizeof *b->col);
    int any_mark = 0;
    for (size_t k = lo; k < hi; k++)
        any_mark |= o->mark[k] != 0;
    /* index of each line code point in the block (for the links), SIZE_MAX when lifted */
    size_t *at = o->n_links ? malloc((hi + 1) * sizeof *at) : NULL;
    if (!b->text || !b->col || (any_mark && !(b->marks = malloc(n))) || (o->n_links && !at)) {
        free(par);
        free(at);
        return oom();
    }
    size_t cap = 0, ip = 0;
    for (size_t k = lo; k < hi; k++) {
        size_t toneless = 0, close = 0;
        if (b->lang == PB_LANG_ZH && o->cp[k] == '(' && ip < n_par)
            close = par[ip].close, toneless = par[ip++].toneless;
        if (toneless && !quiet) {
            char *t = utf8_of("", o->cp, k - 1, toneless + 1);
            if (!t) {
                free(par);
                free(at);
                return oom();
            }
            pb_diag_warning(file, line, (int)o->col[k - 1],
                            "%s spells pinyin without a tone mark: kept in the text as written "
                            "(a unit or a word may spell so: 面積(ha)); write the tone mark to set "
                            "it as ruby (李(lǐ))",
                            t);
            free(t);
        }
        size_t stray = b->lang == PB_LANG_ZH && !close && !toneless && o->cp[k] == '('
                           ? stray_pinyin_close(o, lo, hi, k)
                           : 0;
        if (stray && !quiet) {
            char *t = utf8_of("", o->cp, k, stray + 1);
            char *before = k > lo ? utf8_of("", o->cp, k - 1, k) : NULL;
            if (!t || (k > lo && !before)) {
                free(t), free(before), free(at);
                return oom();
            }
            pb_diag_warning(file, line, (int)o->col[k],
                            "%s%s%s: pinyin in parentheses with no Han character before it is "
                            "kept in the text as written; to set it as ruby, write it right after "
                            "the character it reads (句(jù))",
                            t, before ? " after " : "", before ? before : "");
            free(t), free(before);
        }
        size_t gloss = b->lang == PB_LANG_ZH && !close && !toneless && !stray
                           ? gloss_close(o, lo, hi, k)
                           : 0;
        if (gloss) {
            size_t from = o->cp[k - 1] == ')' ? k : k - 1; /* a second reading: itself */
            char *t = utf8_of("", o->cp, from, gloss + 1);
            if (!t) {
                free(par);
                free(at);
                return oom();
            }
            pb_diag_warning(file, line, (int)o->col[from],
                            "%s: pinyin in parentheses that is not one syllable with its tone "
                            "mark (two syllables, a numbered tone, alternatives, or a second "
                            "reading) is kept in the text as written; to set it as ruby, give "
                            "each Han character one syllable with its tone mark (中(zhōng)國(guó))",
                            t);
            free(t);
        }
        if (close) {
            pb_status st = push_annot(b, &cap, o->cp + k + 1, close - k - 1, line, (int)o->col[k]);
            if (st != PB_OK) {
                free(par);
                free(at);
                return st;
            }
            for (size_t q = k; at && q <= close; q++)
                at[q] = b->len;
            k = close;
            continue;
        }
        if (at)
            at[k] = b->len;
        if (b->marks)
            b->marks[b->len] = o->mark[k];
        b->text[b->len] = o->cp[k];
        b->col[b->len++] = o->col[k];
    }
    if (at) {
        at[hi] = b->len;
        b->links = o->links;
        b->n_links = o->n_links;
        for (size_t q = 0; q < b->n_links; q++) {
            b->links[q].start = at[b->links[q].start];
            b->links[q].end = at[b->links[q].end];
        }
        o->links = NULL;
        o->n_links = o->cap_links = 0;
        free(at);
    }
    b->short_title = o->short_title;
    b->short_len = o->short_len;
    b->typed_indent = o->indent;
    o->short_title = NULL;
    b->level = o->level;
    b->flags = (o->level ? PB_BLOCK_MARKED : 0) | (o->keep ? PB_BLOCK_KEEP : 0) |
               (o->list ? PB_BLOCK_LIST : 0) | (o->right ? PB_BLOCK_RIGHT : 0) |
               (o->noindent ? PB_BLOCK_NOINDENT : 0) | (o->body ? PB_BLOCK_BODY : 0) |
               (o->center ? PB_BLOCK_CENTER : 0) | (o->left ? PB_BLOCK_LEFT : 0) |
               (o->every ? PB_BLOCK_EVERY : 0) | (o->starred ? PB_BLOCK_STARRED : 0) |
               (o->fields ? PB_BLOCK_FIELDS : 0);
    free(par);
    return PB_OK;
}

typedef struct {
    pb_doc *doc;
    size_t cap;
    lang_evidence *ev;      /* per block */
    size_t ev_cap;
} reader;

static pb_status push_block(reader *r, pb_block **out, lang_evidence **ev)
{
    pb_doc *doc = r->doc;
    if (doc->n_blocks == r->cap) {
        size_t nc = r->cap ? r->cap * 2 : BLOCKS_INITIAL_CAP;
        pb_block *p = realloc(doc->blocks, nc * sizeof *p);
        if (!p)
            return oom();
        doc->blocks = p, r->cap = nc;
        lang_evidence *e = realloc(r->ev, nc * sizeof *e);
        if (!e)
            return oom();
        r->ev = e;
    }
    *ev = &r->ev[doc->n_blocks];
    *out = &doc->blocks[doc->n_blocks++];
    memset(*out, 0, sizeof **out);
    return PB_OK;
}

/* Spaces typed to line up columns: a run of two or more spaces, or a TAB (what a typist puts
 * between cells). A line with TABLE_RUNS_MIN of them (three columns, or two with a gap typed
 * twice) is a table's row: said once, at its first run, since a table cannot be set as text. */
#define TABLE_RUNS_MIN 2
/* A Markdown table's row, | a | b |: a bar at each end and one between two cells */
#define TABLE_BARS_MIN 3

static void warn_table_row(const char *file, int line, const line_buf *lb, size_t lo, size_t hi,
                           int list)
{
    size_t runs = 0, first = 0;
    /* spaces at the line's edges, past invisible characters there too, line up nothing */
    while (lo < hi && (lb->cp[lo] == ' ' || pb_uchar_is_invisible(lb->cp[lo])))
        lo++;
    while (hi > lo && (lb->cp[hi - 1] == ' ' || pb_uchar_is_invisible(lb->cp[hi - 1])))
        hi--;
    for (size_t k = lo; k < hi;) {
        size_t e = k;
        int tab = 0;
        while (e < hi && lb->cp[e] == ' ')
            tab |= lb->tab[e++];
        if (e - k >= 2 || tab) {
            if (runs++ == 0)
                first = k;
        }
        k = e > k ? e : k + 1;
    }
    if (runs >= TABLE_RUNS_MIN && list) /* a list item's fields are set apart when labelled */
        pb_diag_warning(file, line, (int)first + 1,
                        "this list item looks like a table's row typed with spaces or TABs (%zu "
                        "runs): paiban cannot set tables and sets each run as one space; open "
                        "each field after a run with its label and a colon ('Venue: S423') to "
                        "set the runs as field gaps, or write the item as a sentence",
                        runs);
    else if (runs >= TABLE_RUNS_MIN)
        pb_diag_warning(file, line, (int)first + 1,
                        "this line looks like a table typed with spaces or TABs (%zu runs): paiban "
                        "cannot set tables and sets it as running text, each run as one space; "
                        "write each row as a sentence or a list item ('- '), or set the table "
                        "apart from this text",
                        runs);
}

/* A field's label after a run of spaces: a word or a few (Speaker:, Tickets:, Admission
 * fee:) and a colon, then a space. A list item with one is a line of fields, not a table's row:
 * a schedule's entry, "10:30–11:30 Opening  Speaker: Prof. Chan  Venue: S421", whose Chinese
 * line sets its fields apart with U+3000 (review 13 B3); its runs are field gaps, as in a
 * {left} line (normalize.c). LABEL_MAX_WORDS, LABEL_MAX_CHARS: a label, not a clause that
 * happens to end in a colon. */
#define LABEL_MAX_WORDS 3
#define LABEL_MAX_CHARS 24

static int label_at(const line_buf *lb, size_t k, size_t hi)
{
    size_t words = 1, s = k;
    if (k >= hi || !u_isalpha((UChar32)lb->cp[k]))
        return 0;
    for (; k < hi && k - s <= LABEL_MAX_CHARS; k++) {
        uint32_t c = lb->cp[k];
        if (c == ':')
            return k + 1 >= hi || lb->cp[k + 1] == ' ';
        if (c == ' ') {
            if (++words > LABEL_MAX_WORDS || k + 1 >= hi || lb->cp[k + 1] == ' ')
                return 0;
        } else if (!u_isalpha((UChar32)c) && c != '-' && c != '\'' && c != '.') {
            return 0;
        }
    }
    return 0;
}

static int labelled_fields(const line_buf *lb, size_t lo, size_t hi)
{
    for (size_t k = lo + 2; k + 1 < hi; k++)
        if (lb->cp[k] != ' ' && (lb->cp[k - 1] == ' ' && (lb->tab[k - 1] || lb->cp[k - 2] == ' ')) &&
            label_at(lb, k, hi))
            return 1;
    return 0;
}

/* Markdown's emphasis with underscores, _text_ __text__ ___text___, which paiban does not read:
 * the underscores are printed (review 12 A2). A run of one to three that opens after no letter
 * or digit and is closed by as many before none, outside URLs and escapes, is a warning at its
 * first such run; underscores inside a name (snake_case_name) open nothing. */
#define UNDERSCORE_RUN_MAX 3

static int bare_underscore(const line_out *o, size_t k)
{
    return k < o->n && o->cp[k] == '_' && !o->plain[k] && !(o->mark[k] & PB_MARK_URL);
}

static void warn_underscores(const char *file, int line, const line_out *o)
{
    for (size_t k = 0; k < o->n; k++) {
        if (!bare_underscore(o, k) || (k > 0 && (is_ascii_alnum(o->cp[k - 1]) ||
                                                 o->cp[k - 1] == '_')))
            continue;
        size_t r = 0;
        while (bare_underscore(o, k + r))
            r++;
        size_t j = k + r;
        if (r > UNDERSCORE_RUN_MAX || j >= o->n || is_space(o->cp[j]) || o->cp[j] == '_') {
            k = j;
            continue;
        }
        while (j < o->n && o->cp[j] != '_')
            j++;
        size_t e = j;
        while (bare_underscore(o, e))
            e++;
        if (e - j == r && !is_space(o->cp[j - 1]) &&
            (e == o->n || (!is_ascii_alnum(o->cp[e]) && o->cp[e] != '_'))) {
            pb_diag_warning(file, line, (int)o->col[k],
                            "'%.*s' around text is Markdown's emphasis, which paiban does not "
                            "read: the underscores are set as written; write *text* for "
                            "emphasis, **text** for bold, ***text*** for both, or \\_ for a "
                            "literal underscore",
                            (int)r, "___");
            return;
        }
        k = j > k ? j - 1 : k;
    }
}

/* Markdown habits paiban does not read, each set as something the writer did not mean: a warning
 * at the mark saying what is set and what to write (review 10: all were silent). The line's
 * text is lb->cp[lo, hi), its markup read into o. Returns 1 for a table's row (said here, not
 * again as a table typed with spaces). */
static int warn_markdown_habits(const char *file, int line, const line_buf *lb, size_t lo,
                                size_t hi, const line_out *o)
{
    const uint32_t *c = lb->cp;
    size_t k = lo, bars = 0;
    while (k < hi && c[k] == '#')
        k++;
    for (size_t q = lo; q < hi; q++)
        bars += c[q] == '|';
    warn_underscores(file, line, o);
    size_t indent = 0; /* spaces before the text (a joined file's BOM is none) */
    for (size_t q = 0; q < lo; q++)
        indent += c[q] != CP_BOM;
    if (o->list && indent > 0)
        pb_diag_warning(file, line, (int)lo + 1,
                        "an indented list item: paiban's lists have one level, and this item is "
                        "set as an item of that list, not under the one above it; write it "
                        "without the indent, or as a sentence of the item above");
    else if (k > lo && k - lo <= MAX_LEVEL && k < hi && !is_space(c[k]) && !is_any_digit(c[k]) &&
             !attrs_only(c, k, hi))
        pb_diag_warning(file, line, (int)lo + 1,
                        "'%s' without a space at a line start is set as text, not as a heading: "
                        "a heading is written '%s ' (with a space); write \\# for a literal #",
                        k - lo == 1 ? "#" : "##", k - lo == 1 ? "#" : "##");
    else if (bars >= TABLE_BARS_MIN && c[lo] == '|' && c[hi - 1] == '|') {
        pb_diag_warning(file, line, (int)lo + 1,
                        "this line looks like a Markdown table's row ('| ... |'): paiban cannot "
                        "set tables and sets it as running text, a rule as dashes; write each row "
                        "as a sentence or a list item ('- '), or set the table apart from this "
                        "text");
        return 1;
    }
    return 0;
}

/* The line s[0, n) (its end of line cut off), decoded into lb and its markup read into o (a
 * single star after a word a note mark when notes is set); *lo, *hi: its text without the
 * spaces at its edges, empty for a blank line. */
static pb_status read_line(const char *file, int line, const uint8_t *s, size_t n, int notes,
                           line_buf *lb, line_out *o, size_t *lo, size_t *hi)
{
    pb_status st = decode_line(lb, s, n);
    *lo = 0, *hi = lb->n;
    /* a byte order mark at the line's start is a joined file's (split_lines says so), not a
     * word joiner: dropped before the markup is read, so that "# ", "- " and "第二章" count */
    while (*lo < *hi && (is_space(lb->cp[*lo]) || lb->cp[*lo] == CP_BOM))
        (*lo)++;
    while (*hi > *lo && is_space(lb->cp[*hi - 1]))
        (*hi)--;
    o->note_stars = notes;
    if (st == PB_OK && *lo < *hi)
        st = parse_markup(file, line, lb->cp, *lo, *hi, o);
    o->indent = 0;
    for (size_t k = 0; st == PB_OK && *lo < *hi && k < *lo; k++)
        o->indent += lb->cp[k] == CP_IDEO_SPACE;
    for (size_t k = 0; st == PB_OK && *lo < *hi && k < o->n; k++)
        if (o->cp[k] == ' ' && o->col[k] >= 1 && o->col[k] <= lb->n && lb->tab[o->col[k] - 1])
            o->mark[k] |= PB_MARK_TAB;
    return st;
}

/* The length of the line at s[0, n) without its end of line. */
static size_t line_len(const uint8_t *s, size_t n)
{
    const uint8_t *nl = memchr(s, '\n', n);
    size_t e = nl ? (size_t)(nl - s) : n;
    return e && s[e - 1] == '\r' ? e - 1 : e;
}

/* Does the line s[0, n) begin with a single * that no other * closes (a note's star written
 * as it prints, *Corresponding author)? */
static int lone_star(const uint8_t *s, size_t n)
{
    size_t k = 0;
    while (k < n && (s[k] == ' ' || s[k] == '\t'))
        k++;
    return k + 1 < n && s[k] == '*' && s[k + 1] != '*' && !memchr(s + k + 1, '*', n - k - 1);
}

/* A line of invisible characters (U+200B, U+2060 ...) and spaces only prints nothing, as a
 * blank line does, and is read as one (review 12 C7: a pair of U+200B lines took three grid
 * lines); each of its invisible characters is listed (normalize.c), as one kept is. 1 when
 * cp[lo, hi) is such a line, its characters added to doc->blank_chars; -1: out of memory. */
static int invisible_line(pb_doc *doc, int line, const uint32_t *cp, size_t lo, size_t hi)
{
    for (size_t k = lo; k < hi; k++)
        if (!is_space(cp[k]) && !pb_uchar_is_unicode_space(cp[k]) && !pb_uchar_is_invisible(cp[k]))
            return 0;
    for (size_t k = lo; k < hi; k++) {
        if (!pb_uchar_is_invisible(cp[k]))
            continue;
        if (pb_util_grow(&doc->blank_chars, &doc->cap_blank_chars, doc->n_blank_chars + 1,
                         sizeof *doc->blank_chars, 8))
            return -1;
        doc->blank_chars[doc->n_blank_chars++] =
            (pb_blank_char){.line = line, .col = (int)k + 1, .cp = cp[k]};
    }
    return 1;
}

static pb_status split_lines(reader *r, const uint8_t *s, size_t len, size_t start)
{
    line_buf lb = {0};
    line_out o = {0};
    size_t i = start;
    int line = 1;
    pb_status st = PB_OK;
    while (i < len && st == PB_OK) {
        const uint8_t *nl = memchr(s + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - s) : len, next = nl ? end + 1 : len;
        if (end > i && s[end - 1] == '\r')
            end--;
        size_t lo, hi;
        o.star_next = lone_star(s + i, end - i) && lone_star(s + next, line_len(s + next, len - next))
                          ? line + 1 : 0;
        st = read_line(r->doc->file, line, s + i, end - i, 0, &lb, &o, &lo, &hi);
        for (size_t k = 0; st == PB_OK && k < lo; k++)
            if (lb.cp[k] == CP_BOM) { /* cat a.txt b.txt, b.txt saved with a BOM (review 13) */
                pb_diag_warning(r->doc->file, line, (int)k + 1,
                                "a byte order mark (U+FEFF) begins this line, where a file "
                                "joined to this one began: dropped, so that the line's markup "
                                "is read");
                break;
            }
        int blank = st == PB_OK && lo < hi ? invisible_line(r->doc, line, lb.cp, lo, hi) : 0;
        if (blank < 0)
            st = pb_diag_oom("reading the corpus");
        if (blank)
            lo = hi;
        /* in a {left}, {right} or {center} line, or a list item of labelled fields, a run of
         * spaces is a field gap (normalize.c) */
        o.fields = st == PB_OK && o.list && lo < hi && labelled_fields(&lb, lo, hi);
        if (st == PB_OK && lo < hi && !warn_markdown_habits(r->doc->file, line, &lb, lo, hi, &o) &&
            !o.left && !o.right && !o.center && !o.fields)
            warn_table_row(r->doc->file, line, &lb, lo, hi, o.list);
        if (st == PB_OK && lo < hi && o.n == 0 && !o.level) {
            pb_diag_error(r->doc->file, line, (int)lo + 1,
                          "a line of markup only (a paragraph needs text)");
            st = PB_EINPUT;
        }
        if (st == PB_OK && lo < hi) {
            pb_block *b;
            lang_evidence *ev;
            st = push_block(r, &b, &ev);
            if (st == PB_OK)
                st = build_block(r->doc->file, b, &o, line, ev, 0);
        }
        i = next, line++;
    }
    line_out_fini(&o);
    free(lb.cp);
    free(lb.tab);
    return st;
}

static void block_free(pb_block *b)
{
    for (size_t k = 0; k < b->n_annots; k++)
        free(b->annots[k].text);
    for (size_t k = 0; k < b->n_links; k++)
        free(b->links[k].target);
    free(b->annots);
    free(b->links);
    free(b->marks);
    free(b->short_title);
    free(b->text);
    free(b->col);
}

/* ---- pass 3: pairs and headings ---- */

static const char *lang_name(pb_lang l) { return l == PB_LANG_ZH ? "Chinese" : "English"; }

/* "Chinese (12 Han characters and CJK marks, 3 Latin letters)" */
static void why(const lang_evidence *e, pb_lang l, char *out, size_t cap)
{
    if (e->forced)
        snprintf(out, cap, "%s by its {lang=%s}", lang_name(l), l == PB_LANG_ZH ? "zh" : "en");
    else if (e->fullwidth) { /* an English line typed in full-width forms (review 8) */
        char first[5] = "";
        first[pb_uchar_encode(e->fw_first, first)] = 0;
        snprintf(out, cap, "%s: %zu full-width Latin letters and digits, which count as Chinese "
                           "(the first, %s, at column %zu: write them in ASCII), %zu other Han "
                           "characters and CJK marks, %zu Latin letters outside URLs and "
                           "annotations",
                 lang_name(l), e->fullwidth, first, e->fw_col, e->han - e->fullwidth, e->latin);
    } else
        snprintf(out, cap, "%s: %zu Han characters and CJK marks, %zu Latin letters outside "
                           "URLs and annotations",
                 lang_name(l), e->han, e->latin);
}

/* Where the text does not tell, a line's place in its pair does: a line of no ideograph and no
 * letter (marks, digits: "……", "- 3") has no language of its own, and the first line of a pair
 * with ideographs is its Chinese half however much Latin it holds ("名詞解釋：Pneumono…"). A
 * line whose text contradicts its place is left to check_pairs (a line missing shifts them). */
static void lang_by_place(reader *r)
{
    for (size_t i = 0; i < r->doc->n_blocks; i++) {
        pb_block *x = &r->doc->blocks[i];
        const lang_evidence *e = &r->ev[i];
        pb_lang place = i % 2 == 0 ? PB_LANG_ZH : PB_LANG_EN;
        if (!e->forced && x->lang != place &&
            ((e->ideo == 0 && e->latin == 0) || (place == PB_LANG_ZH && e->ideo > 0)))
            x->lang = place;
    }
}

/* Stars set as text in b: note marks, outside URLs */
static size_t literal_stars(const pb_block *b)
{
    size_t n = 0;
    for (size_t k = 0; k < b->len; k++)
        n += b->text[k] == '*' && !(b->marks && (b->marks[k] & PB_MARK_URL));
    return n;
}

/* Note marks in Chinese. Chinese has no spaces, so "A餐*與B餐*均附茶。" reads as emphasis
 * around 與B餐 by the flanking rule, where its English "Set A* and Set B* include tea." keeps
 * the same two stars as note marks. When every single star the Chinese line takes for
 * emphasis follows a Han character, letter or digit, its English takes none for emphasis and
 * sets as many stars as the Chinese line has in all, the Chinese stars are note marks too: the
 * line is read again so. When the counts differ, which is meant cannot be told: a warning. */
static pb_status note_pairs(reader *r, const uint8_t *s, size_t len, size_t start)
{
    pb_doc *doc = r->doc;
    line_buf lb = {0};
    line_out o = {0};
    pb_status st = PB_OK;
    size_t at = start; /* the source from line at_line on: blocks come in order of lines */
    int at_line = 1;
    for (size_t i = 0; st == PB_OK && i + 1 < doc->n_blocks; i += 2) {
        pb_block *zh = &doc->blocks[i];
        const lang_evidence *ez = &r->ev[i];
        size_t ne = literal_stars(&doc->blocks[i + 1]);
        if (!ez->emph_stars || ez->emph_after_word != ez->emph_stars || r->ev[i + 1].emph_stars ||
            !ne)
            continue;
        size_t nz = literal_stars(zh) + ez->emph_stars;
        if (nz != ne) {
            pb_diag_warning(doc->file, zh->line, (int)ez->emph_col,
                            "these stars are read as emphasis (*...*), but the English line %d "
                            "has no emphasis and keeps %zu * as note marks (this line has %zu): "
                            "write \\* for a note mark (A餐\\*), or mark the emphasis in the "
                            "English too",
                            doc->blocks[i + 1].line, ne, nz);
            continue;
        }
        for (; at_line < zh->line && at < len; at_line++) {
            const uint8_t *nl = memchr(s + at, '\n', len - at);
            at = nl ? (size_t)(nl - s) + 1 : len;
        }
        const uint8_t *nl = memchr(s + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - s) : len, lo, hi;
        if (end > at && s[end - 1] == '\r')
            end--;
        pb_block nb = {0};
        lang_evidence ev;
        st = read_line(doc->file, zh->line, s + at, end - at, 1, &lb, &o, &lo, &hi);
        if (st == PB_OK)
            st = build_block(doc->file, &nb, &o, zh->line, &ev, 1);
        if (st != PB_OK) {
            block_free(&nb);
            break;
        }
        nb.lang = zh->lang;
        block_free(zh);
        *zh = nb;
    }
    line_out_fini(&o);
    free(lb.cp);
    free(lb.tab);
    return st;
}

static pb_status check_pairs(const reader *r)
{
    const pb_doc *doc = r->doc;
    char a[320], b[320];
    for (size_t i = 0; i < doc->n_blocks; i++) {
        const pb_block *x = &doc->blocks[i];
        if (i % 2 == 0 && x->lang == PB_LANG_EN) {
            why(&r->ev[i], x->lang, a, sizeof a);
            if (i == 0) {
                pb_diag_error(doc->file, x->line, 1,
                              "English paragraph has no Chinese partner: a pair starts with its "
                              "Chinese line, but line %d is taken for %s (end it with "
                              "{lang=zh} if it is Chinese)",
                              x->line, a);
            } else {
                const pb_block *p = &doc->blocks[i - 1];
                why(&r->ev[i - 1], p->lang, b, sizeof b);
                pb_diag_error(doc->file, x->line, 1,
                              "English paragraph has no Chinese partner: line %d is taken for %s; "
                              "the line before it, %d, is the English half of the pair of line "
                              "%d (%s). Add the missing line, or end line %d with {lang=zh} if "
                              "it is Chinese",
                              x->line, a, p->line, doc->blocks[i - 2].line, b, x->line);
            }
            return PB_EINPUT;
        }
        if (i % 2 == 1 && x->lang == PB_LANG_ZH) {
            const pb_block *p = &doc->blocks[i - 1];
            why(&r->ev[i], x->lang, a, sizeof a);
            pb_diag_error(doc->file, p->line, 1,
                          "Chinese paragraph has no English partner: line %d is taken for %s, "
                          "where the English line of line %d belongs. Add the missing English "
                          "line after line %d, or end line %d with {lang=en} if it is English",
                          x->line, a, p->line, p->line, x->line);
            return PB_EINPUT;
        }
    }
    if (doc->n_blocks % 2 == 1) {
        const pb_block *x = &doc->blocks[doc->n_blocks - 1];
        pb_diag_error(doc->file, x->line, 1,
                      "Chinese paragraph has no English partner: line %d is the last line", x->line);
        return PB_EINPUT;
    }
    return PB_OK;
}

/* -- enumerators -- */

/* Kinds of enumerator: what a heading is numbered with. The unit after 第 is its own kind
 * (第一章 and 第一條 are two levels). */
typedef enum {
    ENUM_NONE = 0,
    ENUM_ZH_DI,             /* 第 N unit: 章 節 条 ... (unit in `unit`) */
    ENUM_ZH_COMMA,          /* 一、 */
    ENUM_ZH_CAPITAL,        /* 壹、 */
    ENUM_ZH_PAREN,          /* （一） (一) */
    ENUM_DIGIT_PAREN,       /* （1） (1) */
    ENUM_DIGIT,             /* 1、 1. 1． */
    ENUM_DIGIT2,            /* 1.1 */
    ENUM_EN_WORD,           /* Article 1, Chapter II, Section 3, § 4, Part 1 ... */
    ENUM_ROMAN,             /* IV. */
    ENUM_LETTER,            /* A. */
    ENUM_ZH_SECTION         /* § 1 (a Chinese line's section sign) */
} enum_kind;

typedef struct {
    enum_kind kind;
    uint32_t unit;          /* ENUM_ZH_DI: the unit's first code point; ENUM_EN_WORD: its index */
    long value;             /* the number (1.2 counts as 1), -1 when unknown */
    size_t len;             /* code points the enumerator takes, separator and spaces included */
    long sub;               /* ENUM_DIGIT2: its second number (1.2: 2) */
} enumerator;

/* 一 .. 九, 十 百 千, 零 〇, 兩 两: the value of a Chinese numeral string t[0, n), or -1. */
static long zh_numeral_value(const uint32_t *t, size_t n)
{
    static const struct { uint32_t c; int v; } digits[] = {
        {0x96F6, 0}, {CP_IDEO_ZERO, 0}, {0x4E00, 1}, {0x4E8C, 2}, {0x5169, 2}, {0x4E24, 2},
        {0x4E09, 3}, {0x56DB, 4},       {0x4E94, 5}, {0x516D, 6}, {0x4E03, 7}, {0x516B, 8},
        {0x4E5D, 9},
        /* capital (financial) numerals 壹 貳 贰 參 叁 肆 伍 陸 陆 柒 捌 玖 */
        {0x58F9, 1}, {0x8CB3, 2}, {0x8D30, 2}, {0x53C3, 3}, {0x53C1, 3}, {0x8086, 4},
        {0x4F0D, 5}, {0x9678, 6}, {0x9646, 6}, {0x67D2, 7}, {0x634C, 8}, {0x7396, 9}};
    static const struct { uint32_t c; int v; } units[] = {
        {0x5341, 10}, {0x62FE, 10}, {0x767E, 100}, {0x4F70, 100}, {0x5343, 1000}, {0x4EDF, 1000}};
    long total = 0, cur = -1;
    for (size_t i = 0; i < n; i++) {
        int d = -1, u = 0;
        for (size_t k = 0; k < sizeof digits / sizeof digits[0]; k++)
            if (digits[k].c == t[i])
                d = digits[k].v;
        for (size_t k = 0; k < sizeof units / sizeof units[0]; k++)
            if (units[k].c == t[i])
                u = units[k].v;
        if (d >= 0) {
            cur = d;
        } else if (u) {
            total += (cur < 0 ? 1 : cur) * u;
            cur = -1;
        } else {
            return -1;
        }
    }
    return total + (cur < 0 ? 0 : cur);
}

static int is_zh_numeral(uint32_t c) { return zh_numeral_value(&c, 1) >= 0; }

static int is_capital_numeral(uint32_t c)
{
    static const uint32_t caps[] = {0x58F9, 0x8CB3, 0x8D30, 0x53C3, 0x53C1, 0x8086, 0x4F0D,
                                    0x9678, 0x9646, 0x67D2, 0x634C, 0x7396, 0x62FE, 0x4F70,
                                    0x4EDF};
    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++)
        if (caps[i] == c)
            return 1;
    return 0;
}

/* Digits (ASCII or full width) at t: how many, and their value. */
static size_t digits_at(const uint32_t *t, size_t n, long *value)
{
    size_t i = 0;
    long v = 0;
    while (i < n && is_any_digit(t[i]) && i < HEAD_MAX_DIGITS + 1) {
        v = v * 10 + digit_value(t[i]);
        i++;
    }
    *value = v;
    return i > HEAD_MAX_DIGITS ? 0 : i;
}

/* The units a 第 N enumerator ends with (section words of Chinese laws and books). */
static size_t zh_unit_len(const uint32_t *t, size_t n)
{
    /* 章 節 节 條 条 篇 卷 編 编 款 部 */
    static const uint32_t one[] = {0x7AE0, 0x7BC0, 0x8282, 0x689D, 0x6761, 0x7BC7,
                                   0x5377, 0x7DE8, 0x7F16, 0x6B3E, 0x90E8};
    if (n >= 2 && t[0] == 0x90E8 && t[1] == 0x5206)
        return 2; /* 部分 */
    for (size_t k = 0; k < sizeof one / sizeof one[0]; k++)
        if (n >= 1 && t[0] == one[k])
            return 1;
    return 0;
}

static size_t skip_spaces(const uint32_t *t, size_t n, size_t i)
{
    while (i < n && is_space(t[i]))
        i++;
    return i;
}

/* The Chinese enumerator at the start of t, if any. */
static enumerator zh_enumerator(const uint32_t *t, size_t n)
{
    enumerator e = {ENUM_NONE, 0, -1, 0, 0};
    size_t i = 0;
    if (n > 1 && t[0] == CP_SECTION) { /* § 1 總則, §1 (review 9: never a heading) */
        long v;
        i = skip_spaces(t, n, 1);
        size_t d = digits_at(t + i, n - i, &v);
        if (d && (i + d == n || is_space(t[i + d])))
            e = (enumerator){ENUM_ZH_SECTION, 0, v, skip_spaces(t, n, i + d), 0};
        return e;
    }
    if (n > 1 && t[0] == CP_DI) {
        i = skip_spaces(t, n, 1);
        size_t s = i;
        long v = -1;
        size_t d = digits_at(t + i, n - i, &v);
        if (d) {
            i += d;
        } else {
            while (i < n && i - s < HEAD_MAX_NUMERALS && is_zh_numeral(t[i]))
                i++;
            v = i > s ? zh_numeral_value(t + s, i - s) : -1;
        }
        if (i == s)
            return e;
        i = skip_spaces(t, n, i);
        size_t u = zh_unit_len(t + i, n - i);
        if (!u)
            return e;
        e = (enumerator){ENUM_ZH_DI, t[i], v, skip_spaces(t, n, i + u), 0};
        return e;
    }
    if (n > 2 && (t[0] == '(' || t[0] == CP_FW_LPAREN)) {
        size_t s = 1;
        long v = -1;
        size_t d = digits_at(t + 1, n - 1, &v);
        enum_kind k = ENUM_DIGIT_PAREN;
        if (!d) {
            while (s + d < n && d < HEAD_MAX_NUMERALS && is_zh_numeral(t[s + d]))
                d++;
            v = d ? zh_numeral_value(t + 1, d) : -1;
            k = ENUM_ZH_PAREN;
        }
        if (d && 1 + d < n && (t[1 + d] == ')' || t[1 + d] == CP_FW_RPAREN))
            e = (enumerator){k, 0, v, skip_spaces(t, n, d + 2), 0};
        return e;
    }
    while (i < n && i < HEAD_MAX_NUMERALS && is_zh_numeral(t[i]))
        i++;
    if (i > 0) {
        if (i < n && t[i] == CP_IDEO_COMMA)
            e = (enumerator){is_capital_numeral(t[0]) ? ENUM_ZH_CAPITAL : ENUM_ZH_COMMA, 0,
                             zh_numeral_value(t, i), skip_spaces(t, n, i + 1), 0};
        return e;
    }
    long v;
    size_t d = digits_at(t, n, &v);
    if (!d || d >= n)
        return e;
    if (t[d] == CP_IDEO_COMMA || t[d] == CP_FW_STOP)
        return (enumerator){ENUM_DIGIT, 0, v, skip_spaces(t, n, d + 1), 0};
    if (t[d] != '.')
        return e;
    if (d + 1 < n && is_any_digit(t[d + 1])) { /* 1.1 (then a space): a second level */
        long w;
        size_t d2 = digits_at(t + d + 1, n - d - 1, &w);
        size_t j = d + 1 + d2;
        if (j < n && t[j] == '.')
            j++;
        if (j < n && is_space(t[j]))
            e = (enumerator){ENUM_DIGIT2, 0, v, skip_spaces(t, n, j), w};
        return e; /* 1.5倍: a number */
    }
    return (enumerator){ENUM_DIGIT, 0, v, skip_spaces(t, n, d + 1), 0};
}

/* Value of a Roman numeral I..XXXIX at t (its length in *len), or -1. */
static long roman_at(const uint32_t *t, size_t n, size_t *len)
{
    size_t i = 0, k;
    long v = 0;
    for (k = 0; i < n && k < ROMAN_MAX_TENS && t[i] == 'X'; k++)
        i++, v += 10;
    if (i + 1 < n && t[i] == 'I' && (t[i + 1] == 'X' || t[i + 1] == 'V')) {
        v += t[i + 1] == 'X' ? 9 : 4;
        i += 2;
    } else {
        if (i < n && t[i] == 'V')
            i++, v += 5;
        for (k = 0; i < n && k < ROMAN_MAX_ONES && t[i] == 'I'; k++)
            i++, v++;
    }
    *len = i;
    return i ? v : -1;
}

/* A number after an English enumerator word: digits, a Roman numeral or one capital letter. */
static size_t en_number(const uint32_t *t, size_t n, long *v)
{
    size_t d = digits_at(t, n, v);
    if (d)
        return d < n && is_ascii_digit(t[d]) ? 0 : d;
    size_t r;
    *v = roman_at(t, n, &r);
    if (r && (r == n || !pb_uchar_is_ascii_letter(t[r])))
        return r;
    if (n >= 1 && t[0] >= 'A' && t[0] <= 'Z' && (n == 1 || !pb_uchar_is_ascii_letter(t[1]))) {
        *v = t[0] - 'A' + 1;
        return 1;
    }
    return 0;
}

static int word_prefix(const uint32_t *t, size_t n, const char *w)
{
    size_t i = 0;
    for (; w[i]; i++) {
        uint32_t c = i < n ? t[i] : 0;
        if (c >= 'A' && c <= 'Z' && w[i] >= 'a' && w[i] <= 'z')
            c += 'a' - 'A';
        if (c != (uint32_t)w[i])
            return 0;
    }
    return i < n && (t[i] == ' ' || t[i] == CP_NBSP);
}

/* An enumerator ends at the end of the line, or before a space, '.', ':' or a dash. */
static int enum_end(const uint32_t *t, size_t n, size_t at)
{
    return at == n || t[at] == ' ' || t[at] == '.' || t[at] == ':' || t[at] == 0x2014 ||
           t[at] == 0x2013 || t[at] == CP_NBSP;
}

static size_t after_enum(const uint32_t *t, size_t n, size_t at)
{
    if (at < n && (t[at] == '.' || t[at] == ':' || t[at] == 0x2014 || t[at] == 0x2013))
        at++;
    return skip_spaces(t, n, at);
}

/* The English enumerator at the start of t, if any. */
static enumerator en_enumerator(const uint32_t *t, size_t n)
{
    static const char *const words[] = {"article", "art.",  "section", "sec.",   "chapter",
                                        "ch.",     "part",  "book",    "title",  "rule",
                                        "clause",  "annex", "appendix", "schedule", "\xC2\xA7"};
    enumerator e = {ENUM_NONE, 0, -1, 0, 0};
    for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
        size_t at;
        if (w + 1 == sizeof words / sizeof words[0]) { /* § N, also §N */
            if (n < 2 || t[0] != CP_SECTION)
                continue;
            at = skip_spaces(t, n, 1);
        } else {
            if (!word_prefix(t, n, words[w]))
                continue;
            at = skip_spaces(t, n, strlen(words[w]));
        }
        long v;
        size_t k = en_number(t + at, n - at, &v);
        if (k == 0 || !enum_end(t, n, at + k))
            return e;
        return (enumerator){ENUM_EN_WORD, (uint32_t)w, v, after_enum(t, n, at + k), 0};
    }
    long v;
    size_t d = digits_at(t, n, &v);
    if (d && d < n && t[d] == '.' && d + 1 < n && is_ascii_digit(t[d + 1])) {
        long w;
        size_t j = d + 1 + digits_at(t + d + 1, n - d - 1, &w);
        if (j < n && t[j] == '.')
            j++;
        if (j < n && t[j] == ' ')
            e = (enumerator){ENUM_DIGIT2, 0, v, skip_spaces(t, n, j), w};
        return e;
    }
    if (d && d < n && (t[d] == '.' || t[d] == ')') && (d + 1 == n || t[d + 1] == ' '))
        return (enumerator){ENUM_DIGIT, 0, v, skip_spaces(t, n, d + 1), 0};
    if (n > 2 && t[0] == '(') {
        d = digits_at(t + 1, n - 1, &v);
        if (d && 1 + d < n && t[1 + d] == ')' && (d + 2 == n || t[d + 2] == ' '))
            return (enumerator){ENUM_DIGIT_PAREN, 0, v, skip_spaces(t, n, d + 2), 0};
        return e;
    }
    size_t r;
    v = roman_at(t, n, &r);
    if (r && r < n && t[r] == '.' && (r + 1 == n || t[r + 1] == ' '))
        return (enumerator){ENUM_ROMAN, 0, v, skip_spaces(t, n, r + 1), 0};
    if (n >= 2 && t[0] >= 'A' && t[0] <= 'Z' && t[1] == '.' && (n == 2 || t[2] == ' '))
        return (enumerator){ENUM_LETTER, 0, t[0] - 'A' + 1, skip_spaces(t, n, 2), 0};
    return e;
}

/* A display line after its enumerator: short, and not a sentence (no full stop inside, none
 * at the end after several words). */
static int zh_display(const pb_block *b, size_t from)
{
    size_t han = 0;
    for (size_t i = 0; i < b->len; i++) {
        han += pb_uchar_is_han(b->text[i]) != 0;
        int stop = b->text[i] == CP_IDEO_STOP || b->text[i] == CP_FW_EXCL ||
                   b->text[i] == CP_FW_QUESTION || b->text[i] == 0xFF1B; /* ； */
        if (stop && i >= from)
            return 0;
    }
    return han <= HEAD_ZH_MAX_HAN;
}

static int en_display(const pb_block *b, size_t from)
{
    size_t words = 0;
    const uint32_t *t = b->text;
    for (size_t i = from; i < b->len; i++) {
        if (i == from || (t[i - 1] == ' ' && t[i] != ' '))
            words++;
        /* a sentence end inside: ". X" */
        if ((t[i] == '.' || t[i] == '!' || t[i] == '?' || t[i] == ';') && i + 2 < b->len &&
            t[i + 1] == ' ' && t[i + 2] >= 'A' && t[i + 2] <= 'Z')
            return 0;
    }
    size_t e = b->len;
    while (e > from && (t[e - 1] == 0x201D || t[e - 1] == '"' || t[e - 1] == ')'))
        e--;
    int full_stop = e > from && (t[e - 1] == '.' || t[e - 1] == ';');
    return words <= HEAD_EN_MAX_WORDS && !(full_stop && words > 3);
}

/* Level-assignment key of an enumerator kind (the unit of 第 N, the word of Article N). */
static unsigned kind_key(const enumerator *e)
{
    return ((unsigned)e->kind << 24) ^ (e->kind == ENUM_ZH_DI ? e->unit : 0);
}

/* Rank of a Chinese enumerator kind in the hierarchy of a document's divisions, highest first:
 * the divisions of a law (編 章 節 條 款: 立法技術規範, e.g. Taiwan's 中央法規標準法 §8 and the
 * PRC Legislation Law §65), then the numbering of official documents, 壹、 一、 （一） 1. （1）
 * (GB/T 9704-2012 §7.3.3.1 for 一、 （一） 1. （1）; 壹、 above 一、 as in Taiwan's 文書處理手冊). */
static int kind_rank(const enumerator *e)
{
    switch (e->kind) {
    case ENUM_ZH_DI:
        switch (e->unit) {
        case 0x7DE8: case 0x7F16: case 0x7BC7: case 0x5377: case 0x90E8: return 0; /* 編 编 篇 卷 部 */
        case 0x7AE0: return 1;                                                     /* 章 */
        case 0x7BC0: case 0x8282: return 2;                                        /* 節 节 */
        case 0x689D: case 0x6761: return 3;                                        /* 條 条 */
        default: return 4;                                                         /* 款 */
        }
    case ENUM_ZH_SECTION: return 3; /* § numbers a law's sections as 條 does */
    case ENUM_ZH_CAPITAL: return 5;
    case ENUM_ZH_COMMA: return 6;
    case ENUM_ZH_PAREN: return 7;
    case ENUM_DIGIT: return 8;
    case ENUM_DIGIT2: return 9;
    case ENUM_DIGIT_PAREN: return 10;
    default: return 11;
    }
}

/* enumerator kinds, or series of numbered points (1.x, 2.x ... one each), a document tells apart */
#define MAX_KINDS 32

typedef struct {
    unsigned key[MAX_KINDS];
    long last[MAX_KINDS];   /* the last number of each kind, for the order check */
    int n;
} kind_table;

static int kind_index(kind_table *kt, unsigned key, int add)
{
    for (int i = 0; i < kt->n; i++)
        if (kt->key[i] == key)
            return i;
    if (!add || kt->n == MAX_KINDS)
        return -1;
    kt->key[kt->n] = key;
    kt->last[kt->n] = 0;
    return kt->n++;
}

/* "一、實施…" -> "一、" for the messages */
static void head_of(const pb_block *b, size_t len, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < b->len && i < len && k + 5 < cap; i++)
        k += pb_uchar_encode(b->text[i], out + k);
    out[k] = 0;
}

/* Bit of number v (1..64) in a set of numbers, 0 for others. */
static uint64_t number_bit(long v) { return v >= 1 && v <= 64 ? (uint64_t)1 << (v - 1) : 0; }

/* The series a numbered point belongs to: its kind, and for 1.1 1.2 its first number too (the
 * points of clause 1 are one series, those of clause 2 another); its number in the series. */
static unsigned series_key(const enumerator *e)
{
    return kind_key(e) ^ (e->kind == ENUM_DIGIT2 ? (unsigned)(e->value & 0xFFFF) << 8 : 0);
}

static long series_number(const enumerator *e) { return e->kind == ENUM_DIGIT2 ? e->sub : e->value; }

/* Pairs that may head a section by their enumerators: not marked, not a list item, not {body}. */
static int may_head(const pb_block *zh, const pb_block *en)
{
    return !zh->level && !en->level &&
           !((zh->flags | en->flags) & (PB_BLOCK_LIST | PB_BLOCK_BODY));
}

/* A numbered heading's number: the same in both languages, and next after the last of its kind
 * (order->last[k]; k < 0: no room to track it); a level-1 heading restarts the numbering of the
 * kinds under it. A gap or a step back is doubtful; a restart at 1 (a new part) is not. */
static void check_numbers(const char *file, const pb_block *zh, const pb_block *en,
                          const enumerator *ez, const enumerator *ee, int k, int level,
                          kind_table *order)
{
    if (ez->value >= 0 && ee->value >= 0 && ez->value != ee->value)
        pb_diag_warning(file, zh->line, 1,
                        "heading numbers differ: line %d is number %ld, its English line %d "
                        "number %ld",
                        zh->line, ez->value, en->line, ee->value);
    if (k >= 0 && ez->value > 1 && order->last[k] > 0 && ez->value != order->last[k] + 1 &&
        ez->kind != ENUM_DIGIT2) {
        char h[64];
        head_of(zh, ez->len, h, sizeof h);
        pb_diag_warning(file, zh->line, 1,
                        "heading %s (number %ld) follows number %ld of its kind: a heading "
                        "missing or out of order?",
                        h, ez->value, order->last[k]);
    }
    if (k >= 0 && ez->value > 0)
        order->last[k] = ez->value;
    for (int q = 0; level == 1 && q < order->n; q++)
        if (q != k)
            order->last[q] = 0;
}

/* A series of numbered points is one enumerator kind under one parent: its numbers go up, and a
 * number that does not (（一） after （二）) begins the next series, the points of the next
 * article (review 12 A1: a contract's （一）（二） of article 1 and （一）（二）（三） of article
 * 2 were counted as one series, sharing the number 2, so article 2's short （二） was a
 * heading among its sentences). The numbers of its display lines (heads), its sentences
 * (bodies) and its points that introduce a list (intros, see introduces_list) are kept. */
typedef struct {
    size_t first, last;   /* its first and last pair (block index of the Chinese line) */
    long number;          /* the last number */
    uint64_t heads, bodies, intros; /* their numbers (1..64) */
    size_t n[3];          /* points by form (point_form): sentences, display lines, intros */
    int uncounted;        /* a number past 64 or none: the series is not read as a whole */
} point_series;

/* A series is read as a whole, all its points body text, when its points number 1, 2, 3...
 * with none missing and it holds a sentence, or introductions and no display line: a letter's
 * 一、…。 二、…： 三、…： are its points, not headings where a point happens to be short (a
 * heading's numbering never shares its series with body paragraphs, and no number is in it
 * twice). */
static int series_is_points(const point_series *ps)
{
    uint64_t all = ps->heads | ps->bodies | ps->intros;
    return !ps->uncounted && (ps->n[0] || (ps->n[2] && !ps->n[1])) && !(ps->heads & ps->bodies) &&
           (all & 1) && !(all & (all + 1));
}

/* Does line block b end with the words that introduce a list, "…如下：", "… as follows:"? */
static int introducing_words(const pb_block *b)
{
    static const uint32_t WORDS[][10] = {
        {0x5982, 0x4E0B},                         /* 如下 */
        {0x4E0B, 0x5217},                         /* 下列 */
        {0x4EE5, 0x4E0B},                         /* 以下 */
        {'f', 'o', 'l', 'l', 'o', 'w', 's'},
        {'f', 'o', 'l', 'l', 'o', 'w', 'i', 'n', 'g'},
    };
    size_t n = b->len;
    while (n > 0 && is_space(b->text[n - 1]))
        n--;
    if (n == 0 || (b->text[n - 1] != 0xFF1A && b->text[n - 1] != ':'))
        return 0;
    for (size_t w = 0; w < sizeof WORDS / sizeof *WORDS; w++) {
        size_t m = 0;
        while (m < sizeof *WORDS / sizeof **WORDS && WORDS[w][m])
            m++;
        for (size_t k = 0; k + m < n; k++)
            if (memcmp(b->text + k, WORDS[w], m * sizeof **WORDS) == 0)
                return 1;
    }
    return 0;
}

/* Does the pair at block i introduce a list with its words ("（二）支付方式如下：" / "(2) Payment
 * shall be made as follows:") that the next pair begins (a '- ' item, or item 1 of a numbered
 * run, mark_list_runs)? Such a point is a point, whatever its length. */
static int introduces_list(const pb_doc *doc, size_t i)
{
    if (i + 3 >= doc->n_blocks ||
        !(introducing_words(&doc->blocks[i]) || introducing_words(&doc->blocks[i + 1])))
        return 0;
    const pb_block *nz = &doc->blocks[i + 2], *ne = &doc->blocks[i + 3];
    if ((nz->flags | ne->flags) & PB_BLOCK_LIST)
        return 1;
    enumerator e = zh_enumerator(nz->text, nz->len);
    return e.kind && series_number(&e) == 1 && ((nz->flags | ne->flags) & PB_BLOCK_BODY);
}

/* Does the text of pair block b end with a list's label and its first item, "附件：1.申请表",
 * the item before e (same kind, number one less)? */
static int label_item_before(const pb_block *b, const enumerator *e)
{
    for (size_t i = 0; i + 1 < b->len; i++) {
        if (b->text[i] != 0xFF1A && b->text[i] != ':')
            continue;
        size_t k = skip_spaces(b->text, b->len, i + 1);
        enumerator pe = zh_enumerator(b->text + k, b->len - k);
        if (pe.kind && series_key(&pe) == series_key(e) &&
            series_number(&pe) + 1 == series_number(e))
            return 1;
    }
    return 0;
}

/* Does block b end with a colon (an introducing sentence: "应当提交下列材料：")? */
static int ends_with_colon(const pb_block *b)
{
    size_t n = b->len;
    while (n > 0 && is_space(b->text[n - 1]))
        n--;
    return n > 0 && (b->text[n - 1] == 0xFF1A || b->text[n - 1] == ':');
}

/* A list: numbered pairs that follow one another with nothing between them, numbered on in one
 * kind (1. 2. 3.), after a pair that introduces them (it ends with a colon, or with the list's
 * label and its first item: "附件：1.申请表"), are its items, body text, never headings. A 办法's
 * annexes "附件：1.申请表" / "2.承诺书" / "3.目录" made items 2 and 3 level-2 headings torn from
 * their list, and "…提交下列材料：" / 1.…； … 4.其他需要提交的材料。 a false warning at 4. (review
 * 9). The units of a law or a book (第一章, Article 1) are never a list's items. */
static void mark_list_runs(pb_doc *doc)
{
    for (size_t i = 4; i + 1 < doc->n_blocks; i += 2) {
        pb_block *zh = &doc->blocks[i], *en = &doc->blocks[i + 1];
        const pb_block *pz = &doc->blocks[i - 2], *pn = &doc->blocks[i - 1];
        enumerator ez = zh_enumerator(zh->text, zh->len), ee = en_enumerator(en->text, en->len);
        enumerator pe = zh_enumerator(pz->text, pz->len);
        if (!ez.kind || !ee.kind || ez.kind == ENUM_ZH_DI || ee.kind == ENUM_EN_WORD ||
            zh->level || en->level || (pe.kind && series_key(&pe) == series_key(&ez)))
            continue;
        int first = series_number(&ez) == 1 && (ends_with_colon(pz) || ends_with_colon(pn));
        if (!first && !label_item_before(pz, &ez))
            continue;
        long next = series_number(&ez);
        size_t k = i;
        for (; k + 1 < doc->n_blocks; k += 2, next++) {
            pb_block *kz = &doc->blocks[k], *kn = &doc->blocks[k + 1];
            enumerator kez = zh_enumerator(kz->text, kz->len);
            if (kz->level || kn->level || !kez.kind || !en_enumerator(kn->text, kn->len).kind ||
                series_key(&kez) != series_key(&ez) || series_number(&kez) != next)
                break;
            kz->flags |= PB_BLOCK_BODY, kn->flags |= PB_BLOCK_BODY;
        }
        i = k - 2;
    }
}

/* The alignments a block's flags ask for, as galley.c takes them, first the one it uses. */
static const struct {
    unsigned flag;
    const char *name;
} ALIGNS[] = {{PB_BLOCK_RIGHT, "right"}, {PB_BLOCK_CENTER, "center"}, {PB_BLOCK_LEFT, "left"}};
#define N_ALIGNS (sizeof ALIGNS / sizeof ALIGNS[0])

/* "{right} and {center}" for the alignments in flags */
static void align_names(unsigned flags, char *out, size_t cap)
{
    size_t n = 0, k = 0;
    for (size_t a = 0; a < N_ALIGNS; a++)
        n += (flags & ALIGNS[a].flag) != 0;
    out[0] = '\0';
    for (size_t a = 0; a < N_ALIGNS; a++) {
        if (!(flags & ALIGNS[a].flag))
            continue;
        size_t used = strlen(out);
        snprintf(out + used, cap - used, "%s{%s}", k == 0 ? "" : k + 1 == n ? " and " : ", ",
                 ALIGNS[a].name);
        k++;
    }
}

/* Attributes of a pair that contradict each other (review 9): two alignments, on one line or
 * one on each, are a warning naming the one used (the others dropped); {keep} on one line only
 * a warning too, as a list mark is; the pair is kept. */
/* Attributes that do nothing on a title or a heading (review 10: accepted silently): {every}
 * (every leaflet sets the title; a heading is its own section's), {keep} (a display pair is
 * never broken over pages, and a heading keeps with the lines below it). A warning at the line
 * that has one, and the flag dropped, so that it has no effect indeed. */
static void warn_idle_attrs(const char *file, pb_block *zh, pb_block *en)
{
    static const char *const EVERY_IS =
        "{every} marks closing matter (a note, an enquiries line) for every leaflet to carry";
    int title = zh->kind == PB_BLOCK_TITLE;
    if (!title && zh->kind != PB_BLOCK_HEADING)
        return;
    unsigned idle[] = {PB_BLOCK_EVERY, PB_BLOCK_KEEP};
    for (size_t a = 0; a < sizeof idle / sizeof *idle; a++) {
        if (!((zh->flags | en->flags) & idle[a]))
            continue;
        int at = (zh->flags & idle[a] ? zh : en)->line;
        if (idle[a] == PB_BLOCK_EVERY)
            pb_diag_warning(file, at, 1, "{every} on %s (line %d) has no effect: %s; %s",
                            title ? "the title" : "a heading", at,
                            title ? "every leaflet sets the title"
                                  : "a leaflet sets its own section's heading only",
                            EVERY_IS);
        else
            pb_diag_warning(file, at, 1,
                            "{keep} on %s (line %d) has no effect: %s is never broken over "
                            "pages%s",
                            title ? "the title" : "a heading", at, title ? "the title" : "a heading",
                            title ? "" : " and is kept with the first lines below it");
        zh->flags &= ~idle[a], en->flags &= ~idle[a];
    }
    /* alignments and {noindent}: a display pair is set as the layout sets it; {body} on a
     * heading marked '# ' contradicts its mark (review 13: all dropped silently) */
    static const struct {
        unsigned flag;
        const char *name;
    } display[] = {{PB_BLOCK_RIGHT, "right"},   {PB_BLOCK_CENTER, "center"},
                   {PB_BLOCK_LEFT, "left"},     {PB_BLOCK_NOINDENT, "noindent"},
                   {PB_BLOCK_BODY, "body"}};
    for (size_t a = 0; a < sizeof display / sizeof *display; a++) {
        unsigned f = display[a].flag;
        if (!((zh->flags | en->flags) & f) ||
            (f == PB_BLOCK_BODY && !((zh->flags | en->flags) & PB_BLOCK_MARKED)))
            continue;
        int at = (zh->flags & f ? zh : en)->line;
        if (f == PB_BLOCK_BODY)
            pb_diag_warning(file, at, 1,
                            "{body} on a heading (line %d) has no effect: the '# ' at its start "
                            "makes it a heading; drop one or the other",
                            at);
        else
            pb_diag_warning(file, at, 1,
                            "{%s} on %s (line %d) has no effect: a title and a heading are "
                            "aligned and indented as the layout sets them",
                            display[a].name, title ? "the title" : "a heading", at);
        zh->flags &= ~f, en->flags &= ~f;
    }
}

static void warn_attrs(const char *file, pb_block *zh, pb_block *en)
{
    unsigned align = 0;
    for (size_t a = 0; a < N_ALIGNS; a++)
        align |= ALIGNS[a].flag;
    unsigned all = (zh->flags | en->flags) & align, used = 0;
    for (size_t a = 0; a < N_ALIGNS && !used; a++)
        used = all & ALIGNS[a].flag;
    const char *used_name = "";
    for (size_t a = 0; a < N_ALIGNS; a++)
        if (used == ALIGNS[a].flag)
            used_name = ALIGNS[a].name;
    if (all & (all - 1)) {
        char one[64], other[64];
        int many_zh = ((zh->flags & align) & ((zh->flags & align) - 1)) != 0;
        int many_en = ((en->flags & align) & ((en->flags & align) - 1)) != 0;
        const pb_block *at = many_zh || !many_en ? zh : en;
        if (many_zh || many_en) {
            align_names(at->flags & align, one, sizeof one);
            pb_diag_warning(file, at->line, 1,
                            "line %d asks for %s: the pair is set %s (give one of right, center, "
                            "left)",
                            at->line, one, used_name);
        } else {
            align_names(zh->flags & align, one, sizeof one);
            align_names(en->flags & align, other, sizeof other);
            pb_diag_warning(file, zh->line, 1,
                            "line %d asks for %s and its partner line %d for %s: the pair is set "
                            "%s (give one of right, center, left)",
                            zh->line, one, en->line, other, used_name);
        }
        zh->flags &= ~(all & ~used), en->flags &= ~(all & ~used);
    }
    if ((zh->flags ^ en->flags) & PB_BLOCK_KEEP) {
        const pb_block *yes = zh->flags & PB_BLOCK_KEEP ? zh : en, *no = yes == zh ? en : zh;
        pb_diag_warning(file, yes->line, 1,
                        "{keep} on line %d but not on its partner line %d; the pair is kept "
                        "(mark both lines, or neither)",
                        yes->line, no->line);
    }
}

/* Is the pair at block i a display line by its enumerators ez, ee (a heading's form), one that
 * introduces a list (2), or a sentence (0)? */
static int point_form(const pb_doc *doc, size_t i, const enumerator *ez, const enumerator *ee)
{
    if (!zh_display(&doc->blocks[i], ez->len) || !en_display(&doc->blocks[i + 1], ee->len))
        return 0;
    return introduces_list(doc, i) ? 2 : 1;
}

/* The series ps of the kind key ends: read as a whole, its points are all body text; else each
 * point is set by its form, an introduction as body text unless display lines of its series are
 * headings, and display lines among sentences are said, naming the series. */
static void end_series(pb_doc *doc, const point_series *ps, unsigned key)
{
    int whole = series_is_points(ps);
    size_t first_head = 0, last = 0;
    for (size_t i = ps->first; i <= ps->last; i += 2) {
        pb_block *zh = &doc->blocks[i], *en = &doc->blocks[i + 1];
        if (!may_head(zh, en))
            continue;
        enumerator ez = zh_enumerator(zh->text, zh->len), ee = en_enumerator(en->text, en->len);
        if (!ez.kind || !ee.kind || series_key(&ez) != key)
            continue;
        int form = point_form(doc, i, &ez, &ee);
        if (whole || (form == 2 && !ps->n[1]))
            zh->flags |= PB_BLOCK_BODY, en->flags |= PB_BLOCK_BODY;
        if (form == 1 && !first_head)
            first_head = i;
        last = i;
    }
    if (whole || !ps->n[1] || !ps->n[0])
        return;
    const pb_block *h = &doc->blocks[first_head], *a = &doc->blocks[ps->first],
                   *z = &doc->blocks[last];
    enumerator eh = zh_enumerator(h->text, h->len), ea = zh_enumerator(a->text, a->len),
               ez = zh_enumerator(z->text, z->len);
    char hn[64], an[64], zn[64];
    head_of(h, eh.len, hn, sizeof hn);
    head_of(a, ea.len, an, sizeof an);
    head_of(z, ez.len, zn, sizeof zn);
    pb_diag_warning(doc->file, h->line, 1,
                    "%s (line %d) reads as a heading, but its series %s to %s (lines %d-%d) "
                    "holds sentences: it is set as a heading, they as body text (a point? end it "
                    "with {body}; a heading? mark it '## '; a number missing?)",
                    hn, h->line, an, zn, a->line, z->line + 1);
}

static void classify(pb_doc *doc)
{
    int section = 0;
    kind_table kinds = {0}, kinds_en = {0}, points = {0};
    point_series series[MAX_KINDS] = {{0}};
    mark_list_runs(doc);
    /* first pass: the series of numbered points, each read as a whole when it can be (a kind
     * beyond MAX_KINDS is not followed: its display lines are headings) */
    for (size_t i = 2; i + 1 < doc->n_blocks; i += 2) {
        const pb_block *zh = &doc->blocks[i], *en = &doc->blocks[i + 1];
        if (!may_head(zh, en))
            continue;
        enumerator ez = zh_enumerator(zh->text, zh->len), ee = en_enumerator(en->text, en->len);
        if (!ez.kind || !ee.kind)
            continue;
        int k = kind_index(&points, series_key(&ez), 1);
        if (k < 0)
            continue;
        point_series *ps = &series[k];
        long number = series_number(&ez);
        int open = ps->n[0] + ps->n[1] + ps->n[2] != 0;
        if (open && number >= 1 && number <= ps->number) {
            end_series(doc, ps, points.key[k]);
            *ps = (point_series){0};
            open = 0;
        }
        if (!open)
            ps->first = i;
        ps->last = i;
        ps->number = number;
        int form = point_form(doc, i, &ez, &ee);
        uint64_t bit = number_bit(number);
        *(form == 1 ? &ps->heads : form == 2 ? &ps->intros : &ps->bodies) |= bit;
        ps->n[form]++;
        ps->uncounted |= !bit;
    }
    for (int k = 0; k < points.n; k++)
        if (series[k].n[0] + series[k].n[1] + series[k].n[2])
            end_series(doc, &series[k], points.key[k]);
    /* the kinds that head a pair in both languages */
    for (size_t i = 2; i + 1 < doc->n_blocks; i += 2) {
        const pb_block *zh = &doc->blocks[i], *en = &doc->blocks[i + 1];
        if (!may_head(zh, en))
            continue;
        enumerator ez = zh_enumerator(zh->text, zh->len), ee = en_enumerator(en->text, en->len);
        if (ez.kind && ee.kind && zh_display(zh, ez.len) && en_display(en, ee.len)) {
            kind_index(&kinds, kind_key(&ez), 1);
            kind_index(&kinds_en, kind_key(&ee), 1);
        }
    }
    /* the best-ranked kind that heads a pair is level 1, every other kind level 2; a section
     * marked '# ' counts with its numbering, which is then the document's first kind (README:
     * `# 一、使用方法` over short steps `1. 注水` makes the steps its subsections) */
    int top_rank = INT_MAX, any_marked_top = 0;
    for (size_t i = 2; i + 1 < doc->n_blocks; i += 2) {
        const pb_block *zh = &doc->blocks[i], *en = &doc->blocks[i + 1];
        int marked_top = (zh->level == 1 && en->level <= 1) || (en->level == 1 && !zh->level);
        any_marked_top |= marked_top;
        if (!marked_top && !may_head(zh, en))
            continue;
        enumerator ez = zh_enumerator(zh->text, zh->len), ee = en_enumerator(en->text, en->len);
        if (ez.kind && (marked_top || (ee.kind && zh_display(zh, ez.len) &&
                                       en_display(en, ee.len))) &&
            kind_rank(&ez) < top_rank)
            top_rank = kind_rank(&ez);
    }
    /* a level-1 heading in the document (else its level-2 headings are set at level 1, below) */
    int has_top = any_marked_top || top_rank != INT_MAX;
    kind_table order = {0}; /* numbering of each kind, for the order check */
    size_t first_top = 0;   /* line of the first level-1 heading */
    for (size_t i = 0; i + 1 < doc->n_blocks; i += 2) {
        pb_block *zh = &doc->blocks[i], *en = &doc->blocks[i + 1];
        pb_block_kind kind = section ? PB_BLOCK_PARA : PB_BLOCK_INTRO;
        int level = 0;
        int list = (zh->flags | en->flags) & PB_BLOCK_LIST;
        if (i == 0) {
            kind = PB_BLOCK_TITLE;
        } else if (zh->level || en->level) {
            kind = PB_BLOCK_HEADING;
            level = zh->level > en->level ? zh->level : en->level;
            if (zh->level != en->level)
                pb_diag_warning(doc->file, (zh->level ? zh : en)->line, 1,
                                "heading marked on line %d (level %d) but not alike on its "
                                "partner line %d (level %d); both are set as a level %d heading",
                                (zh->level ? zh : en)->line, zh->level ? zh->level : en->level,
                                (zh->level ? en : zh)->line, zh->level ? en->level : zh->level,
                                has_top ? level : 1);
            /* a heading marked with '# ' is numbered as one found by its number is */
            enumerator ez = zh_enumerator(zh->text, zh->len);
            enumerator ee = en_enumerator(en->text, en->len);
            if (ez.kind)
                check_numbers(doc->file, zh, en, &ez, &ee, kind_index(&order, kind_key(&ez), 1),
                              level, &order);
        } else if (may_head(zh, en)) {
            enumerator ez = zh_enumerator(zh->text, zh->len);
            enumerator ee = en_enumerator(en->text, en->len);
            int hz = ez.kind && zh_display(zh, ez.len);
            int he = ee.kind && en_display(en, ee.len);
            if (hz && he) {
                kind = PB_BLOCK_HEADING;
                int k = kind_index(&order, kind_key(&ez), 1);
                level = kind_rank(&ez) == top_rank ? 1 : 2;
                if (level == 1 && !first_top)
                    first_top = (size_t)zh->line;
                if (level == 2 && !first_top && !section) {
                    char h[64];
                    head_of(zh, ez.len, h, sizeof h);
                    pb_diag_warning(doc->file, zh->line, 1,
                                    "heading %s is a level below the document's first-level "
                                    "headings but comes before any of them; check the numbering, "
                                    "or give the levels with '# ' and '## '",
                                    h);
                }
                check_numbers(doc->file, zh, en, &ez, &ee, k, level, &order);
            } else if ((hz && kind_index(&kinds, kind_key(&ez), 0) >= 0) ||
                       (he && kind_index(&kinds_en, kind_key(&ee), 0) >= 0)) {
                /* one side looks like the document's headings, the other does not */
                const pb_block *yes = hz ? zh : en, *no = hz ? en : zh;
                pb_diag_warning(doc->file, yes->line, 1,
                                "line %d reads as a numbered heading but its partner line %d "
                                "does not; both are set as body text (mark a heading with '# ' "
                                "on both lines)",
                                yes->line, no->line);
            }
        }
        if (kind == PB_BLOCK_HEADING && level == 1)
            section++;
        zh->kind = en->kind = kind;
        zh->level = en->level = kind == PB_BLOCK_HEADING ? level : 0;
        if (kind == PB_BLOCK_HEADING)
            doc->n_headings++;
        zh->section = en->section = section;
        zh->pair = en->pair = (int)(i / 2);
        if (list && !(zh->flags & en->flags & PB_BLOCK_LIST)) {
            /* as for a heading: said, and set as the line that says so asks */
            const pb_block *yes = zh->flags & PB_BLOCK_LIST ? zh : en, *no = yes == zh ? en : zh;
            pb_diag_warning(doc->file, yes->line, 1,
                            "list item marked ('- ') on line %d but not on its partner line %d; "
                            "both are set as a list item (mark both lines, or neither)",
                            yes->line, no->line);
        }
        if (list)
            zh->flags |= PB_BLOCK_LIST, en->flags |= PB_BLOCK_LIST;
        warn_idle_attrs(doc->file, zh, en);
        warn_attrs(doc->file, zh, en);
        /* a pair is kept, aligned and indented alike, whichever line says so */
        unsigned both = (zh->flags | en->flags) &
                        (PB_BLOCK_KEEP | PB_BLOCK_RIGHT | PB_BLOCK_NOINDENT | PB_BLOCK_BODY |
                         PB_BLOCK_CENTER | PB_BLOCK_LEFT | PB_BLOCK_EVERY);
        zh->flags |= both, en->flags |= both;
        if (kind != PB_BLOCK_HEADING)
            zh->flags &= ~(unsigned)PB_BLOCK_MARKED, en->flags &= ~(unsigned)PB_BLOCK_MARKED;
    }
    /* level-2 headings before any level-1 heading open sections of their own */
    if (section == 0 && doc->n_headings > 0) {
        for (size_t i = 2; i < doc->n_blocks; i++) {
            pb_block *b = &doc->blocks[i];
            if (b->kind == PB_BLOCK_HEADING && b->lang == PB_LANG_ZH)
                section++;
            if (b->kind == PB_BLOCK_HEADING)
                b->level = 1;
            b->section = section;
            if (section && b->kind == PB_BLOCK_INTRO)
                b->kind = PB_BLOCK_PARA;
        }
    }
    doc->n_sections = section;
    if (doc->n_headings == 0 && doc->n_blocks / 2 > NO_HEADING_HINT_PAIRS)
        pb_diag_warning(doc->file, 0, 0,
                        "no headings found in %zu pairs: a heading pair is numbered in both "
                        "languages (一、 / I., 第一章 / Chapter 1, 第一條 / Article 1, 1. / 1.) or "
                        "marked with '# ' (or '## ') at the start of both lines",
                        doc->n_blocks / 2);
}

/* A corpus of its title alone sets a title page and nothing else: most likely the text is
 * missing (a file cut short, the wrong file). Set as written, and said (review 6). */
static void warn_title_only(const pb_doc *doc)
{
    for (size_t i = 0; i < doc->n_blocks; i++)
        if (doc->blocks[i].kind != PB_BLOCK_TITLE)
            return;
    pb_diag_warning(doc->file, doc->blocks[0].line, 1,
                    "the corpus is only its title: no text follows its first line pair, so the "
                    "document has a title and no body (the text missing?)");
}

/* A heading heads text: one with nothing under it (the document ends, or the next heading is
 * of its level or above) is most likely a paragraph lost or a heading left over; it is set as
 * written, and said at its line. A heading followed by its first subheading is not empty. */
/* Two forced breaks in a title or heading with nothing between them set an empty line
 * (標題<br><br>副題, review 11): its spacing is the layout's. A warning at the second; in a
 * paragraph (a stanza break in verse) they are the author's. */
static void warn_empty_title_line(const pb_doc *doc, const pb_block *b)
{
    for (size_t k = 0, prev = SIZE_MAX; k < b->len; k++) {
        if (b->text[k] == PB_LINE_BREAK && prev != SIZE_MAX) {
            pb_diag_warning(doc->file, b->line, (int)b->col[k],
                            "two line breaks in a row set an empty line in a %s: write one <br> "
                            "(the space between its lines is the layout's)",
                            b->kind == PB_BLOCK_TITLE ? "title" : "heading");
            return;
        }
        prev = b->text[k] == PB_LINE_BREAK ? k : is_space(b->text[k]) ? prev : SIZE_MAX;
    }
}

/* U+2028 LINE SEPARATOR typed into a paragraph (pasted from a word processor or a web page)
 * forces a line break there, as <br> does, which README gives titles and headings: a warning
 * once per paragraph, at its first; an empty line in a title or heading is one too. */
static void warn_line_separators(const pb_doc *doc)
{
    for (size_t i = 0; i < doc->n_blocks; i++) {
        const pb_block *b = &doc->blocks[i];
        if (b->kind == PB_BLOCK_TITLE || b->kind == PB_BLOCK_HEADING)
            warn_empty_title_line(doc, b);
        if (!b->marks || b->kind == PB_BLOCK_TITLE || b->kind == PB_BLOCK_HEADING)
            continue;
        for (size_t k = 0; k < b->len; k++)
            if (b->marks[k] & PB_MARK_LS) {
                pb_diag_warning(doc->file, b->line, (int)b->col[k],
                                "U+2028 LINE SEPARATOR forces a line break in this paragraph: "
                                "remove it, or write <br> where a break is meant");
                break;
            }
    }
}

/* Distinct note marks checked for a note (the first ones: a text has a few; a hostile one
 * with thousands is not checked mark by mark against every pair). */
#define MARKS_CHECKED 64

/* The note mark of the pair at i, which begins with it in one of its blocks (a title or
 * heading is no note): its block in *nb, its start returned, *n its length (0: no note). */
static size_t pair_note_lead(const pb_doc *doc, size_t i, const pb_block **nb, size_t *n)
{
    *n = 0;
    if (doc->blocks[i].kind == PB_BLOCK_TITLE || doc->blocks[i].kind == PB_BLOCK_HEADING)
        return 0;
    for (size_t j = i; j < pb_corpus_pair_end(doc, i); j++) {
        size_t at = pb_corpus_note_lead(&doc->blocks[j], n);
        if (*n) {
            *nb = &doc->blocks[j];
            return at;
        }
    }
    return 0;
}

static int same_text(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
    return na == nb && !memcmp(a, b, na * sizeof *a);
}

/* Does a field or a clause of a note begin after c: a space, or a clause's comma or semicolon
 * (journal affiliations, "¹复旦大学药学院，上海 201203；²上海市肺科医院…")? */
static int opens_field(uint32_t c)
{
    return !pb_uchar_is_visible(c) || c == 0xFF1B /* ； */ || c == 0xFF0C /* ， */ || c == ';' ||
           c == ',';
}

/* 1 when the note pair whose block nb begins with a mark holds mark m[0..n) at its start or at
 * the start of a field after a space or of a clause after ； or ，: affiliations,
 * "¹國立…大學　²中央研究院…". */
static int note_holds(const pb_block *nb, size_t at, size_t lead, const uint32_t *m, size_t n)
{
    if (same_text(nb->text + at, lead, m, n))
        return 1;
    for (size_t k = at + lead; k + n <= nb->len; k++)
        if (opens_field(nb->text[k - 1]) && same_text(nb->text + k, n, m, n) &&
            pb_corpus_mark_len(nb, k) == n)
            return 1;
    return 0;
}

/* A note mark printed in the text whose note is nowhere (no pair begins with it: 見註¹與註²
 * with a ¹ note only) points at nothing in every product: a warning at its first mark (the
 * leaflets' check, pagebuild.c notes_apart(), is for a note in another section). */
static void warn_unnoted_marks(const pb_doc *doc)
{
    const uint32_t *seen[MARKS_CHECKED];
    size_t seen_len[MARKS_CHECKED], n_seen = 0;
    for (size_t i = 0; i < doc->n_blocks; i = pb_corpus_pair_end(doc, i))
        for (size_t j = i; j < pb_corpus_pair_end(doc, i); j++) {
            const pb_block *b = &doc->blocks[j];
            size_t lead, k = pb_corpus_note_lead(b, &lead) + lead;
            for (size_t n; k < b->len; k += n ? n : 1) {
                n = pb_corpus_text_mark(b, k);
                if (!n)
                    continue;
                const uint32_t *m = b->text + k;
                size_t s = 0;
                while (s < n_seen && !same_text(seen[s], seen_len[s], m, n))
                    s++;
                if (s < n_seen || n_seen == MARKS_CHECKED)
                    continue; /* checked at its first */
                seen[n_seen] = m, seen_len[n_seen++] = n;
                size_t p = 0, pn = 0;
                const pb_block *nb = NULL;
                for (; p < doc->n_blocks; p = pb_corpus_pair_end(doc, p)) {
                    size_t at = pair_note_lead(doc, p, &nb, &pn);
                    if (pn && note_holds(nb, at, pn, m, n))
                        break;
                }
                if (p < doc->n_blocks)
                    continue;
                char said[64] = "";
                for (size_t q = 0, w = 0; q < n && w + 5 < sizeof said; q++)
                    w += pb_uchar_encode(m[q], said + w), said[w] = 0;
                pb_diag_warning(doc->file, b->line, (int)b->col[k],
                                "the note mark %s has no note: no line pair begins with %s (a "
                                "note missing, or a mark left over?)",
                                said, said);
            }
        }
}

/* "* item", a Markdown list item paiban does not read, prints its star (review 10); a line that
 * begins "* " is a note's when the text cites * as a note mark (免費*，), and else a warning at
 * each such line. */
static int star_cited(const pb_doc *doc)
{
    for (size_t j = 0; j < doc->n_blocks; j++)
        for (size_t k = 0; k < doc->blocks[j].len; k++)
            if (doc->blocks[j].text[k] == '*' && pb_corpus_text_mark(&doc->blocks[j], k) == 1)
                return 1;
    return 0;
}

static void warn_star_items(const pb_doc *doc)
{
    int cited = -1; /* is * a note mark of the text? Asked at the first starred line */
    for (size_t i = 0; i < doc->n_blocks; i++) {
        const pb_block *b = &doc->blocks[i];
        if (!(b->flags & PB_BLOCK_STARRED))
            continue;
        if (cited < 0)
            cited = star_cited(doc);
        if (cited)
            return;
        pb_diag_warning(doc->file, b->line, (int)b->col[0],
                        "'* ' at a line start is set as a literal asterisk, not as a list item "
                        "(and no text cites * as a note's mark): write '- ' for a list item, or "
                        "\\* for an asterisk");
    }
}

/* A part of a title or heading (between forced breaks) letter-spaced for display: single
 * ideographs, each apart from the next by one U+3000 (敬　請　光　臨, 摘　要; not the fields of
 * 會長　李嘉文). */
static int display_spaced(const uint32_t *t, size_t n)
{
    if (n < 3 || n % 2 == 0)
        return 0;
    for (size_t k = 0; k < n; k++)
        if (k % 2 ? t[k] != 0x3000 : !pb_uchar_is_han(t[k]))
            return 0;
    return 1;
}

/* The running head of a title or heading letter-spaced for display drops the spacing, a cover
 * device, not the head's (review 8: "敬　請　光　臨 · Invitation" at 7.5 pt): without a
 * {short="…"}, its Chinese line's spaced parts give its short form with the U+3000 left out.
 * 0: out of memory. */
static int unspaced_heads(pb_doc *doc)
{
    for (size_t i = 0; i < doc->n_blocks; i++) {
        pb_block *b = &doc->blocks[i];
        if ((b->kind != PB_BLOCK_TITLE && b->kind != PB_BLOCK_HEADING) ||
            b->lang != PB_LANG_ZH || b->short_title)
            continue;
        int any = 0;
        for (size_t s = 0, e = 0; s <= b->len && !any; s = e + 1) {
            for (e = s; e < b->len && b->text[e] != PB_LINE_BREAK; e++)
                ;
            any = display_spaced(b->text + s, e - s);
        }
        if (!any)
            continue;
        uint32_t *t = malloc(b->len * sizeof *t);
        if (!t)
            return 0;
        b->short_title = t, b->short_len = pb_corpus_unspaced(b->text, b->len, t);
    }
    return 1;
}

size_t pb_corpus_unspaced(const uint32_t *text, size_t len, uint32_t *out)
{
    size_t n = 0;
    for (size_t s = 0, e = 0; s <= len; s = e + 1) {
        for (e = s; e < len && text[e] != PB_LINE_BREAK; e++)
            ;
        int spaced = display_spaced(text + s, e - s);
        for (size_t k = s; k < e; k += spaced ? 2 : 1) /* the ideographs alone */
            out[n++] = text[k];
        if (e < len)
            out[n++] = text[e];
    }
    return n;
}

static void warn_empty_headings(const pb_doc *doc)
{
    for (size_t i = 2; i + 1 < doc->n_blocks; i += 2) {
        const pb_block *h = &doc->blocks[i];
        if (h->kind != PB_BLOCK_HEADING)
            continue;
        const pb_block *next = i + 3 < doc->n_blocks ? &doc->blocks[i + 2] : NULL;
        if (!next)
            pb_diag_warning(doc->file, h->line, 1,
                            "heading with no text under it: the document ends after it (a "
                            "paragraph missing?)");
        else if (next->kind == PB_BLOCK_HEADING && next->level <= h->level &&
                 ((next->flags | next[1].flags) & PB_BLOCK_MARKED))
            pb_diag_warning(doc->file, h->line, 1,
                            "heading with no text under it: the next line pair (line %d) is a "
                            "heading of %s level (a paragraph missing?)",
                            next->line, next->level == h->level ? "the same" : "a higher");
        else if (next->kind == PB_BLOCK_HEADING && next->level <= h->level)
            /* found by its number: a short numbered step reads as a heading too (review 8) */
            pb_diag_warning(doc->file, h->line, 1,
                            "heading with no text under it: the next line pair (line %d) is a "
                            "heading of %s level, found by its number (a paragraph missing, or "
                            "line %d a numbered point, not a heading? end it with {body}, or "
                            "mark it '## ')",
                            next->line, next->level == h->level ? "the same" : "a higher",
                            next->line);
    }
}

/* ---- public ---- */

pb_status pb_corpus_parse(const char *file, const uint8_t *bytes, size_t len, pb_doc **out)
{
    if (!out)
        return PB_EUSAGE;
    *out = NULL;
    if (!file)
        file = "<input>";
    if (len > INPUT_MAX) {
        pb_diag_error(file, 0, 0, "file too large (%zu bytes)", len);
        return PB_EINPUT;
    }
    size_t start = (len >= BOM_LEN && memcmp(bytes, bom, BOM_LEN) == 0) ? BOM_LEN : 0;
    pb_status st = validate(file, bytes, len, start);
    if (st != PB_OK)
        return st;
    pb_doc *doc = calloc(1, sizeof *doc);
    if (!doc)
        return oom();
    doc->file = strdup(file);
    if (!doc->file) {
        free(doc);
        return oom();
    }
    reader r = {doc, 0, NULL, 0};
    st = split_lines(&r, bytes, len, start);
    if (st == PB_OK && doc->n_blocks == 0) {
        pb_diag_error(file, 1, 1, "empty corpus (no text)");
        st = PB_EINPUT;
    }
    if (st == PB_OK) {
        lang_by_place(&r);
        st = check_pairs(&r);
    }
    if (st == PB_OK)
        st = note_pairs(&r, bytes, len, start);
    free(r.ev);
    if (st != PB_OK) {
        pb_corpus_free(doc);
        return st;
    }
    classify(doc);
    warn_title_only(doc);
    warn_empty_headings(doc);
    warn_unnoted_marks(doc);
    warn_star_items(doc);
    if (!unspaced_heads(doc)) {
        pb_corpus_free(doc);
        return oom();
    }
    warn_line_separators(doc);
    *out = doc;
    return PB_OK;
}

pb_status pb_corpus_load(const char *path, pb_doc **out)
{
    if (!out)
        return PB_EUSAGE;
    *out = NULL;
    uint8_t *buf;
    size_t len;
    pb_status st = pb_util_read_text_file(path, INPUT_MAX, &buf, &len);
    if (st != PB_OK)
        return st;
    st = pb_corpus_parse(path, buf, len, out);
    free(buf);
    return st;
}

void pb_corpus_free(pb_doc *doc)
{
    if (!doc)
        return;
    for (size_t i = 0; i < doc->n_blocks; i++)
        block_free(&doc->blocks[i]);
    free(doc->blocks);
    free(doc->blank_chars);
    free(doc->file);
    free(doc);
}

int pb_corpus_has_mark(const pb_doc *doc, uint8_t mask)
{
    for (size_t i = 0; i < doc->n_blocks; i++)
        for (size_t k = 0; doc->blocks[i].marks && k < doc->blocks[i].len; k++)
            if (doc->blocks[i].marks[k] & mask)
                return 1;
    return 0;
}

/* A title's parts on one line are joined as a title and its subtitle in a catalogue: ISBD
 * (consolidated edition, 2011) 1.3 precedes other title information with a colon, as GB/T
 * 7714-2015 does with "：" (U+FF1A) in Chinese. A part that ends in a pause mark already has its
 * separator; an English part that goes on in lower case is one phrase broken for the eye. */
#define ONE_LINE_COLON_ZH 0xFF1Au /* FULLWIDTH COLON */
static int ends_in_pause(uint32_t c)
{
    static const uint32_t pauses[] = {'.', ',', ':', ';', '!', '?', 0x2013, 0x2014, 0x2026,
                                      0x3001, 0x3002, 0xFF0C, 0xFF1A, 0xFF1B, 0xFF01, 0xFF1F};
    for (size_t i = 0; i < sizeof pauses / sizeof pauses[0]; i++)
        if (c == pauses[i])
            return 1;
    return 0;
}

/* A part that opens with a bracket is a qualifier in its brackets, set after the title with
 * no colon ("Agreement (Standard Terms)", "合約（標準條款）"), as a bracketed qualifier follows
 * the title it qualifies in a catalogue heading. */
static int opens_bracket(uint32_t c)
{
    return c == '(' || c == '[' || c == 0xFF08 || c == 0x3014 || c == 0x3010 || c == 0x300C ||
           c == 0x300E || c == 0xFF3B;
}

size_t pb_corpus_one_line(const uint32_t *text, size_t len, pb_lang lang, uint32_t *out)
{
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        if (text[i] != PB_LINE_BREAK) {
            out[n++] = text[i++];
            continue;
        }
        while (n && out[n - 1] == ' ') /* the spaces about a break are its separator's */
            n--;
        while (i < len && (text[i] == PB_LINE_BREAK || text[i] == ' '))
            i++;
        if (!n || i == len) /* a break at either end joins nothing */
            continue;
        int pause = ends_in_pause(out[n - 1]) || opens_bracket(text[i]);
        if (lang == PB_LANG_ZH) {
            if (!pause)
                out[n++] = ONE_LINE_COLON_ZH;
        } else {
            if (!pause && !(text[i] >= 'a' && text[i] <= 'z'))
                out[n++] = ':';
            out[n++] = ' ';
        }
    }
    return n;
}

size_t pb_corpus_pair_end(const pb_doc *doc, size_t i)
{
    size_t j = i + 1;
    while (j < doc->n_blocks && doc->blocks[j].pair == doc->blocks[i].pair)
        j++;
    return j;
}

size_t pb_corpus_enumerator_len(const pb_block *b)
{
    enumerator e = b->lang == PB_LANG_ZH ? zh_enumerator(b->text, b->len)
                                         : en_enumerator(b->text, b->len);
    return e.kind == ENUM_NONE ? 0 : e.len;
}

/* The marks a note begins with: the asterisk, dagger, double dagger and section sign (Chicago
 * Manual of Style 14.25), the reference mark ※ and the fullwidth asterisk of Chinese text; a
 * run of one of them is one mark (** after *, Chicago 14.25). A numbered note's mark is a run of
 * superscript digits (¹, ¹²). */
static const uint32_t NOTE_MARKS[] = {'*', 0x2020, 0x2021, 0x00A7, 0x203B, 0xFF0A};

static int superscript_digit(uint32_t c)
{
    return c == 0x00B9 || c == 0x00B2 || c == 0x00B3 || c == 0x2070 || (c >= 0x2074 && c <= 0x2079);
}

int pb_corpus_is_note_mark(uint32_t c)
{
    for (size_t m = 0; m < sizeof NOTE_MARKS / sizeof *NOTE_MARKS; m++)
        if (c == NOTE_MARKS[m])
            return 1;
    return superscript_digit(c);
}

/* The note mark at text[k] of b: its length, 0 when there is none (nor inside a URL; a section
 * sign before a number, "§ 3", refers to a section). */
size_t pb_corpus_mark_len(const pb_block *b, size_t k)
{
    uint32_t c = b->text[k];
    int sym = 0;
    for (size_t m = 0; m < sizeof NOTE_MARKS / sizeof *NOTE_MARKS; m++)
        sym |= c == NOTE_MARKS[m];
    if (!(sym || superscript_digit(c)) || (b->marks && (b->marks[k] & PB_MARK_URL)))
        return 0;
    size_t n = 1;
    while (k + n < b->len && (sym ? b->text[k + n] == c : superscript_digit(b->text[k + n])))
        n++;
    size_t j = k + n;
    while (c == 0x00A7 && j < b->len && (b->text[j] == ' ' || b->text[j] == 0x00A0))
        j++;
    return c == 0x00A7 && j < b->len && b->text[j] >= '0' && b->text[j] <= '9' ? 0 : n;
}

/* Units of length whose square or cube is written with ² ³ (m², cm³, ft²: a power, no mark). */
static const char *const POWER_UNITS[] = {"m", "cm", "mm", "km", "dm", "ft", "in", "yd", "mi"};

static int unit_power(const pb_block *b, size_t k, size_t n)
{
    if (n != 1 || (b->text[k] != 0x00B2 && b->text[k] != 0x00B3))
        return 0;
    size_t s = k;
    while (s > 0 && pb_uchar_is_ascii_letter(b->text[s - 1]))
        s--;
    for (size_t u = 0; u < sizeof POWER_UNITS / sizeof *POWER_UNITS; u++) {
        size_t l = strlen(POWER_UNITS[u]), i = 0;
        while (i < l && s + i < k && b->text[s + i] == (uint32_t)POWER_UNITS[u][i])
            i++;
        if (i == l && s + l == k)
            return 1;
    }
    return 0;
}

/* The reference mark ※ (U+203B) at a clause's start, after ， 、 ； ： 。 ！ ？ (or , ; :) and
 * before text, opens a remark, "※注意" (the attention sign of Chinese and Japanese notices);
 * a note mark follows the word it marks (review 13 B10). */
static int attention_mark(const pb_block *b, size_t k, size_t n)
{
    static const uint32_t clause_end[] = {0xFF0C, 0x3001, 0xFF1B, 0xFF1A, 0x3002, 0xFF01, 0xFF1F,
                                          ',',    ';',    ':'};
    if (n != 1 || b->text[k] != 0x203B || k + 1 >= b->len ||
        !(pb_uchar_is_han(b->text[k + 1]) || u_isalpha((UChar32)b->text[k + 1])))
        return 0;
    for (size_t i = 0; i < sizeof clause_end / sizeof *clause_end; i++)
        if (b->text[k - 1] == clause_end[i])
            return 1;
    return 0;
}

size_t pb_corpus_text_mark(const pb_block *b, size_t k)
{
    /* the mark first: it is cheap and rare, the visibility check (ICU) is not */
    size_t n = k > 0 ? pb_corpus_mark_len(b, k) : 0;
    return n && pb_uchar_is_visible(b->text[k - 1]) && !unit_power(b, k, n) &&
                   !attention_mark(b, k, n)
               ? n
               : 0;
}

/* The note mark block b begins with (after 註 or 注: "註¹：…"): its start; *n its length, 0
 * when b is no note. */
size_t pb_corpus_note_lead(const pb_block *b, size_t *n)
{
    size_t k = b->len > 1 && (b->text[0] == 0x8A3B || b->text[0] == 0x6CE8);
    *n = k < b->len ? pb_corpus_mark_len(b, k) : 0;
    return k;
}
