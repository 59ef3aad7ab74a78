/* corpus: the bilingual corpus reader (validate, split lines, pair, classify, lift pinyin). */
#include "corpus.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "uchar.h"

#define BOM_LEN 3
#define READ_CHUNK 65536
#define INPUT_MAX PB_CORPUS_BYTES_MAX
#define ANNOT_MAX_LETTERS 7
#define ANNOTS_INITIAL_CAP 8
#define BLOCKS_INITIAL_CAP 32
#define HEAD_ZH_MAX_HAN 60
#define HEAD_EN_MAX_LEN 200
#define HEAD_MAX_DIGITS 3
#define HEAD_MAX_NUMERALS 6
#define ROMAN_MAX_TENS 3
#define ROMAN_MAX_ONES 3
#define LATIN_PER_HAN 2 /* Chinese when Han >= (Han + letters) / 3 */
#define ASCII_DEL 0x7Fu
#define C1_LAST 0x9Fu

#define CP_NBSP 0x00A0u
#define CP_REPLACEMENT 0xFFFDu
#define CP_IDEO_SPACE 0x3000u
#define CP_IDEO_COMMA 0x3001u  /* 、 */
#define CP_IDEO_ZERO 0x3007u   /* 〇 */
#define CP_FW_STOP 0xFF0Eu     /* ． */
#define CP_FW_DIGIT0 0xFF10u
#define CP_FW_DIGIT9 0xFF19u
#define CP_DI 0x7B2Cu          /* 第 */
#define CP_BU 0x90E8u          /* 部 */
#define CP_FEN 0x5206u         /* 分 */

static const uint8_t bom[BOM_LEN] = {0xEF, 0xBB, 0xBF};

static pb_status oom(void)
{
    pb_diag_syserr("out of memory");
    return PB_ESYSTEM;
}

/* ---- pass 1: the bytes ---- */

static int is_control(uint32_t c)
{
    return (c < 0x20 && c != '\t') || (c >= ASCII_DEL && c <= C1_LAST);
}

/* Valid UTF-8, no NUL, no control characters; line ends are LF or CRLF. */
static pb_status validate(const char *file, const uint8_t *s, size_t len, size_t start)
{
    int line = 1, col = 1;
    size_t i = start;
    while (i < len) {
        uint8_t b = s[i];
        if (b == '\n') {
            line++, col = 1, i++;
            continue;
        }
        if (b == '\r' && (i + 1 == len || s[i + 1] == '\n')) {
            i++;
            continue;
        }
        if (b == 0) {
            pb_diag_error(file, line, col, "NUL byte in text");
            return PB_EINPUT;
        }
        uint32_t cp;
        size_t k = pb_uchar_decode(s + i, len - i, &cp);
        if (k == 0) {
            pb_diag_error(file, line, col, "invalid UTF-8 byte 0x%02X", (unsigned)b);
            return PB_EINPUT;
        }
        if (is_control(cp)) {
            pb_diag_error(file, line, col, "control character U+%04X in text", (unsigned)cp);
            return PB_EINPUT;
        }
        i += k, col++;
    }
    return PB_OK;
}

/* ---- pass 2: one line into a block ---- */

static int is_space(uint32_t c)
{
    return c == ' ' || c == '\t' || c == CP_NBSP || c == CP_IDEO_SPACE;
}

static int is_ascii_digit(uint32_t c) { return c >= '0' && c <= '9'; }

/* If c[k] opens a pinyin annotation such as 國(guó) within [lo, hi), the index of its ')'. */
static size_t annot_close(const uint32_t *c, size_t lo, size_t hi, size_t k)
{
    if (k <= lo || c[k] != '(' || !pb_uchar_is_han(c[k - 1]))
        return 0;
    size_t j = k + 1;
    while (j < hi && j - k <= ANNOT_MAX_LETTERS && pb_uchar_is_pinyin_letter(c[j]))
        j++;
    size_t n = j - k - 1;
    if (n == 0 || n > ANNOT_MAX_LETTERS || j >= hi || c[j] != ')')
        return 0;
    return j;
}

typedef struct {
    uint32_t *cp; /* decoded line; cp[k] sits in column k + 1 */
    size_t n, cap;
} line_buf;

static pb_status decode_line(line_buf *lb, const uint8_t *s, size_t len)
{
    if (len > lb->cap) {
        uint32_t *p = realloc(lb->cp, len * sizeof *p);
        if (!p)
            return oom();
        lb->cp = p, lb->cap = len;
    }
    size_t i = 0, n = 0;
    while (i < len) {
        uint32_t c;
        size_t k = pb_uchar_decode(s + i, len - i, &c);
        if (k == 0) /* cannot happen after validate(); stay safe */
            c = CP_REPLACEMENT, k = 1;
        lb->cp[n++] = c;
        i += k;
    }
    lb->n = n;
    return PB_OK;
}

static pb_status push_annot(pb_block *b, size_t *cap, const uint32_t *pinyin, size_t len,
                            int line, int col)
{
    if (b->n_annots == *cap) {
        size_t nc = *cap ? *cap * 2 : ANNOTS_INITIAL_CAP;
        pb_annot *p = realloc(b->annots, nc * sizeof *p);
        if (!p)
            return oom();
        b->annots = p, *cap = nc;
    }
    uint32_t *t = malloc(len * sizeof *t);
    if (!t)
        return oom();
    memcpy(t, pinyin, len * sizeof *t);
    b->annots[b->n_annots++] = (pb_annot){.base = b->len - 1, .text = t, .len = len,
                                          .line = line, .col = col};
    return PB_OK;
}

/* Fill b from the code points of one non-blank line, trimmed to [lo, hi). */
static pb_status build_block(pb_block *b, const uint32_t *c, size_t lo, size_t hi, int line)
{
    size_t han = 0, latin = 0;
    for (size_t k = lo; k < hi; k++) {
        size_t close = annot_close(c, lo, hi, k);
        if (close) {
            k = close; /* pinyin letters do not make a line English */
            continue;
        }
        if (pb_uchar_is_han(c[k]))
            han++;
        else if (pb_uchar_is_ascii_letter(c[k]))
            latin++;
    }
    b->lang = (han > 0 && LATIN_PER_HAN * han >= latin) ? PB_LANG_ZH : PB_LANG_EN;
    b->line = line;
    b->text = malloc((hi - lo) * sizeof *b->text);
    b->col = malloc((hi - lo) * sizeof *b->col);
    if (!b->text || !b->col)
        return oom();
    size_t cap = 0;
    for (size_t k = lo; k < hi; k++) {
        size_t close = b->lang == PB_LANG_ZH ? annot_close(c, lo, hi, k) : 0;
        if (close) {
            pb_status st = push_annot(b, &cap, c + k + 1, close - k - 1, line, (int)k + 1);
            if (st != PB_OK)
                return st;
            k = close;
            continue;
        }
        b->text[b->len] = c[k];
        b->col[b->len++] = (uint32_t)(k + 1);
    }
    return PB_OK;
}

static pb_status push_block(pb_doc *doc, size_t *cap, pb_block **out)
{
    if (doc->n_blocks == *cap) {
        size_t nc = *cap ? *cap * 2 : BLOCKS_INITIAL_CAP;
        pb_block *p = realloc(doc->blocks, nc * sizeof *p);
        if (!p)
            return oom();
        doc->blocks = p, *cap = nc;
    }
    *out = &doc->blocks[doc->n_blocks++];
    memset(*out, 0, sizeof **out);
    return PB_OK;
}

static pb_status split_lines(pb_doc *doc, const uint8_t *s, size_t len, size_t start)
{
    line_buf lb = {0};
    size_t cap = 0, i = start;
    int line = 1;
    pb_status st = PB_OK;
    while (i < len && st == PB_OK) {
        const uint8_t *nl = memchr(s + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - s) : len, next = nl ? end + 1 : len;
        if (end > i && s[end - 1] == '\r')
            end--;
        st = decode_line(&lb, s + i, end - i);
        size_t lo = 0, hi = lb.n;
        while (lo < hi && is_space(lb.cp[lo]))
            lo++;
        while (hi > lo && is_space(lb.cp[hi - 1]))
            hi--;
        if (st == PB_OK && lo < hi) {
            pb_block *b;
            st = push_block(doc, &cap, &b);
            if (st == PB_OK)
                st = build_block(b, lb.cp, lo, hi, line);
        }
        i = next, line++;
    }
    free(lb.cp);
    return st;
}

/* ---- pass 3: pairs and headings ---- */

static pb_status check_pairs(const pb_doc *doc)
{
    for (size_t i = 0; i < doc->n_blocks; i++) {
        const pb_block *b = &doc->blocks[i];
        if (i % 2 == 0 && b->lang == PB_LANG_EN) {
            pb_diag_error(doc->file, b->line, 1, "English paragraph has no Chinese partner");
            return PB_EINPUT;
        }
        if (i % 2 == 1 && b->lang == PB_LANG_ZH) {
            pb_diag_error(doc->file, doc->blocks[i - 1].line, 1,
                          "Chinese paragraph has no English partner");
            return PB_EINPUT;
        }
    }
    if (doc->n_blocks % 2 == 1) {
        pb_diag_error(doc->file, doc->blocks[doc->n_blocks - 1].line, 1,
                      "Chinese paragraph has no English partner");
        return PB_EINPUT;
    }
    return PB_OK;
}

static int is_zh_numeral(uint32_t c)
{
    static const uint32_t numerals[] = {
        0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D, /* 一..九 */
        0x5341, 0x767E, 0x96F6, CP_IDEO_ZERO, 0x5169, 0x4E24, /* 十 百 零 〇 兩 两 */
    };
    for (size_t i = 0; i < sizeof numerals / sizeof numerals[0]; i++)
        if (numerals[i] == c)
            return 1;
    return 0;
}

static int is_any_digit(uint32_t c)
{
    return is_ascii_digit(c) || (c >= CP_FW_DIGIT0 && c <= CP_FW_DIGIT9);
}

static int is_zh_unit(const uint32_t *t, size_t n, size_t i)
{
    static const uint32_t units[] = {0x7AE0, 0x7BC0, 0x8282, 0x7BC7}; /* 章 節 节 篇 */
    if (i >= n)
        return 0;
    for (size_t k = 0; k < sizeof units / sizeof units[0]; k++)
        if (units[k] == t[i])
            return 1;
    return i + 1 < n && t[i] == CP_BU && t[i + 1] == CP_FEN; /* 部分 */
}

/* 一、 / 第三章 / 1、 / 2. */
static int zh_enumerator(const uint32_t *t, size_t n)
{
    size_t i = 0;
    if (n > 0 && t[0] == CP_DI) {
        for (i = 1; i < n && i <= HEAD_MAX_NUMERALS; i++)
            if (!is_zh_numeral(t[i]) && !is_any_digit(t[i]))
                break;
        return i > 1 && is_zh_unit(t, n, i);
    }
    while (i < n && i < HEAD_MAX_NUMERALS && is_zh_numeral(t[i]))
        i++;
    if (i > 0)
        return i < n && t[i] == CP_IDEO_COMMA;
    while (i < n && i < HEAD_MAX_DIGITS && is_any_digit(t[i]))
        i++;
    if (i == 0 || i >= n)
        return 0;
    if (t[i] == CP_IDEO_COMMA || t[i] == CP_FW_STOP)
        return 1;
    return t[i] == '.' && (i + 1 == n || !is_any_digit(t[i + 1])); /* not 1.5 */
}

/* Length of a Roman numeral I..XXXIX at t, or 0. */
static size_t roman_len(const uint32_t *t, size_t n)
{
    size_t i = 0, k;
    for (k = 0; i < n && k < ROMAN_MAX_TENS && t[i] == 'X'; k++)
        i++;
    if (i + 1 < n && t[i] == 'I' && (t[i + 1] == 'X' || t[i + 1] == 'V'))
        return i + 2;
    if (i < n && t[i] == 'V')
        i++;
    for (k = 0; i < n && k < ROMAN_MAX_ONES && t[i] == 'I'; k++)
        i++;
    return i;
}

static size_t number_len(const uint32_t *t, size_t n)
{
    size_t i = 0;
    while (i < n && i < HEAD_MAX_DIGITS && is_ascii_digit(t[i]))
        i++;
    if (i > 0 && i < n && is_ascii_digit(t[i]))
        return 0;
    return i ? i : roman_len(t, n);
}

static int word_prefix(const uint32_t *t, size_t n, const char *w)
{
    size_t i = 0;
    for (; w[i]; i++) {
        uint32_t c = i < n ? t[i] : 0;
        if (c >= 'A' && c <= 'Z')
            c += 'a' - 'A';
        if (c != (uint32_t)w[i])
            return 0;
    }
    return i < n && t[i] == ' ';
}

/* I. / 12. / Chapter 3 / Part II / Section 4: */
static int en_enumerator(const uint32_t *t, size_t n)
{
    static const char *const words[] = {"chapter", "part", "section"};
    for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
        if (!word_prefix(t, n, words[w]))
            continue;
        size_t at = strlen(words[w]) + 1, k = number_len(t + at, n - at);
        if (k == 0)
            return 0;
        at += k;
        return at == n || t[at] == ' ' || t[at] == '.' || t[at] == ':';
    }
    size_t k = number_len(t, n);
    return k > 0 && k < n && t[k] == '.' && (k + 1 == n || t[k + 1] == ' ');
}

static int is_heading(const pb_block *zh, const pb_block *en)
{
    size_t han = 0;
    for (size_t i = 0; i < zh->len; i++)
        han += pb_uchar_is_han(zh->text[i]) != 0;
    return han <= HEAD_ZH_MAX_HAN && en->len <= HEAD_EN_MAX_LEN &&
           zh_enumerator(zh->text, zh->len) && en_enumerator(en->text, en->len);
}

static void classify(pb_doc *doc)
{
    int section = 0;
    for (size_t i = 0; i + 1 < doc->n_blocks; i += 2) {
        pb_block *zh = &doc->blocks[i], *en = &doc->blocks[i + 1];
        pb_block_kind kind;
        if (i == 0)
            kind = PB_BLOCK_TITLE;
        else if (is_heading(zh, en))
            kind = PB_BLOCK_HEADING, section++;
        else
            kind = section ? PB_BLOCK_PARA : PB_BLOCK_INTRO;
        zh->kind = en->kind = kind;
        zh->section = en->section = section;
        zh->pair = en->pair = (int)(i / 2);
    }
    doc->n_sections = section;
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
    st = split_lines(doc, bytes, len, start);
    if (st == PB_OK && doc->n_blocks == 0) {
        pb_diag_error(file, 1, 1, "empty corpus (no text)");
        st = PB_EINPUT;
    }
    if (st == PB_OK)
        st = check_pairs(doc);
    if (st != PB_OK) {
        pb_corpus_free(doc);
        return st;
    }
    classify(doc);
    *out = doc;
    return PB_OK;
}

pb_status pb_corpus_load(const char *path, pb_doc **out)
{
    if (!out)
        return PB_EUSAGE;
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        pb_diag_syserr("cannot read %s: %s", path, strerror(errno));
        return PB_ESYSTEM;
    }
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (cap - len < READ_CHUNK) {
            size_t nc = cap ? cap * 2 : READ_CHUNK;
            uint8_t *p = realloc(buf, nc);
            if (!p) {
                free(buf);
                fclose(f);
                return oom();
            }
            buf = p, cap = nc;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0 || len > INPUT_MAX)
            break;
    }
    if (ferror(f)) {
        int err = errno;
        free(buf);
        fclose(f);
        pb_diag_syserr("cannot read %s: %s", path, strerror(err));
        return PB_ESYSTEM;
    }
    fclose(f);
    pb_status st = pb_corpus_parse(path, buf, len, out);
    free(buf);
    return st;
}

void pb_corpus_free(pb_doc *doc)
{
    if (!doc)
        return;
    for (size_t i = 0; i < doc->n_blocks; i++) {
        pb_block *b = &doc->blocks[i];
        for (size_t k = 0; k < b->n_annots; k++)
            free(b->annots[k].text);
        free(b->annots);
        free(b->text);
        free(b->col);
    }
    free(doc->blocks);
    free(doc->file);
    free(doc);
}
