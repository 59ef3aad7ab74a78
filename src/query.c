/* query: the other variant's forms and the region's, found with OpenCC's phrase conversions;
 * l written for I in Latin words. */
#include "query.h"
#include "util.h"

#include <dlfcn.h>
#include <errno.h>
#include <opencc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "ccguard.h"
#include "uchar.h"
#include "variants.h"

/* A text looks written in the other variant when at least this share of its Han characters
 * are that variant's forms. Measured with OpenCC on the initiative and tests/corpora/:
 * Traditional texts 0-0.9 %, Simplified ones 39-41 % (about two characters in five of running
 * Simplified text differ from their Traditional forms); a tenth is far from both. */
#define OTHER_SHARE_MIN 0.10
/* ... and it has at least this many Han characters: a short title with one slip is no text in
 * the other variant. */
#define OTHER_HAN_MIN 20
/* Han queries kept at most (a report of more helps no editor; the rest are counted). */
#define HAN_QUERIES_MAX 10000
/* Largest accept list read, in bytes (a house list is a few kilobytes). */
#define ACCEPT_BYTES_MAX (1024 * 1024)

/* The mark of marked_cc(): a private-use character (where a text has it itself, STCharacters
 * keeps it, as s2t and STPhrases do: the same answer) */
#define CC_MARK 0x10FFFD

/* ---- OpenCC, opened when queries are first found --------------------------------------------- */

/* OpenCC is opened with dlopen by its soname (tools/configure.sh), the first time a run finds
 * queries (a report's): a run without one does not load it and libmarisa, nor relocate them.
 * Its functions as <opencc.h> declares them; the library stays open until the program ends. */
static struct {
    opencc_t (*open)(const char *config);
    int (*close)(opencc_t cc);
    char *(*convert_utf8)(opencc_t cc, const char *input, size_t length);
    void (*convert_utf8_free)(char *str);
    char missing[160]; /* why it could not be opened ("" once it is) */
} cc_lib;
static pthread_once_t cc_once = PTHREAD_ONCE_INIT;

static void cc_load(void)
{
    void *h = dlopen(PB_OPENCC_SONAME, RTLD_NOW | RTLD_LOCAL);
    const char *why = h ? NULL : dlerror();
    /* POSIX: dlsym's result converts to a function pointer through its object pointer */
#define CC_LOOKUP(field, name)                                                                 \
    if (!why && !(*(void **)&cc_lib.field = dlsym(h, name)))                                   \
        why = "it lacks " name;
    CC_LOOKUP(open, "opencc_open")
    CC_LOOKUP(close, "opencc_close")
    CC_LOOKUP(convert_utf8, "opencc_convert_utf8")
    CC_LOOKUP(convert_utf8_free, "opencc_convert_utf8_free")
#undef CC_LOOKUP
    if (why && h)
        dlclose(h);
    if (why)
        snprintf(cc_lib.missing, sizeof cc_lib.missing, "%s: %s", PB_OPENCC_SONAME, why);
}

/* ---- the language tag ---------------------------------------------------------------------- */

static int tag_has(const char *tag, const char *part)
{
    size_t n = strlen(part);
    for (const char *p = tag; (p = strstr(p, part)) != NULL; p += n)
        if ((p == tag || p[-1] == '-' || p[-1] == '_') && (p[n] == 0 || p[n] == '-' || p[n] == '_'))
            return 1;
    return 0;
}

/* "Hant", "Hans" or NULL from a BCP 47 tag (a script subtag wins over a region), and for
 * Traditional the region whose forms OpenCC knows: TW, or HK (Macao writes as Hong Kong). */
static const char *variant_of(const char *lang, const char **region)
{
    *region = tag_has(lang, "TW") ? "TW" : tag_has(lang, "HK") || tag_has(lang, "MO") ? "HK" : "";
    if (tag_has(lang, "Hant"))
        return "Hant";
    if (tag_has(lang, "Hans"))
        return "Hans";
    if (**region)
        return "Hant";
    if (tag_has(lang, "CN") || tag_has(lang, "SG"))
        return "Hans";
    return NULL;
}

/* ---- accept lists ------------------------------------------------------------------------ */

typedef struct {
    uint32_t *text;
    size_t len;
} word;

struct pb_query_accept {
    word *w;
    size_t n, cap;
};

/* Usage a region writes that OpenCC's conversion to its forms changes ("": every Traditional
 * text): Hong Kong and the mainland write 厘米 for the centimetre, Taiwan 公分 or 釐米 (the
 * regional word table of the Chinese Wikipedia's article 厘米); OpenCC's s2hk makes it 釐米.
 * Taiwan's Ministry of Education writes 占 ("to make up, to occupy": 占比, 占49%), its
 * dictionary (重編國語辭典修訂本) giving 佔 as the variant form; OpenCC's s2tw makes it 佔.
 * The Hong Kong Government writes 公布 (in its ordinances on Hong Kong e-Legislation and its
 * departments' notices), as Taiwan's laws do (the Constitution, art. 37: 總統依法公布法律),
 * 戶 (住戶, 檔戶) and 周年 (成立二十五周年); s2hk makes them 公佈, 户 (the glyph of the
 * Education Bureau's 常用字字形表) and 週年, s2tw 公佈. 祢, the pronoun for God
 * in Chinese Christian texts of Hong Kong and Taiwan (hymnals, prayers), is a character in
 * its own right, not the mainland's form of the surname 禰 that s2t makes of it. */
static const struct {
    const char *region;
    const char *text;
} REGION_USAGE[] = {
    {"HK", "厘米"}, {"HK", "戶"}, {"HK", "周年"}, {"TW", "占"}, {"", "公布"}, {"", "祢"},
};

static int add_word(pb_query_accept *a, const uint8_t *s, size_t n)
{
    if (PB_GROW(a->w, a->cap, a->n))
        return 0;
    uint32_t *t = malloc((n + 1) * sizeof *t);
    if (!t)
        return 0;
    size_t len = 0;
    for (size_t i = 0; i < n;) {
        size_t k = pb_uchar_decode(s + i, n - i, &t[len]);
        i += k ? k : 1; /* (checked by the caller) */
        len++;
    }
    a->w[a->n].text = t;
    a->w[a->n].len = len;
    a->n++;
    return 1;
}

void pb_query_accept_free(pb_query_accept *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->n; i++)
        free(a->w[i].text);
    free(a->w);
    free(a);
}

static int is_space(uint8_t c) { return c == ' ' || c == '\t' || c == '\r'; }

pb_status pb_query_accept_load(const char *path, const pb_layout_origin *named_at,
                               pb_query_accept **out)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t len = 0;
    int err = 0;
    if (f) {
        if (!(buf = malloc(ACCEPT_BYTES_MAX + 1)))
            err = ENOMEM;
        else
            len = fread(buf, 1, ACCEPT_BYTES_MAX + 1, f);
        if (!err && ferror(f))
            err = errno ? errno : EIO;
        fclose(f);
    } else {
        err = errno;
    }
    if (err == ENOMEM) {
        free(buf);
        return pb_diag_oom("reading an accept list");
    }
    if (err || len > ACCEPT_BYTES_MAX) {
        const char *at = named_at && named_at->line ? named_at->file : path;
        pb_diag_error(at, named_at ? named_at->line : 0, named_at ? named_at->col : 0,
                      "cannot read the accept list %s: %s", path,
                      err ? strerror(err) : "larger than 1 MiB");
        free(buf);
        return PB_EINPUT;
    }
    pb_query_accept *a = calloc(1, sizeof *a);
    if (!a) {
        free(buf);
        return pb_diag_oom("reading an accept list");
    }
    pb_status st = PB_OK;
    int line = 1;
    for (size_t i = 0; i < len && st == PB_OK; line++) {
        size_t end = i;
        while (end < len && buf[end] != '\n')
            end++;
        /* check the line: UTF-8, no NUL */
        int col = 1;
        for (size_t k = i; k < end && st == PB_OK; col++) {
            uint32_t cp;
            size_t n = pb_uchar_decode(buf + k, end - k, &cp);
            if (n == 0 || cp == 0) {
                if (n == 0)
                    pb_diag_error(path, line, col, "not UTF-8 (byte \\x%02X)", buf[k]);
                else
                    pb_diag_error(path, line, col, "NUL byte; not a text file");
                st = PB_EINPUT;
                break;
            }
            k += n;
        }
        size_t a0 = i, b0 = end;
        while (a0 < b0 && is_space(buf[a0]))
            a0++;
        while (b0 > a0 && is_space(buf[b0 - 1]))
            b0--;
        if (st == PB_OK && a0 < b0 && buf[a0] != '#' && !add_word(a, buf + a0, b0 - a0))
            st = pb_diag_oom("reading an accept list");
        i = end + 1;
    }
    free(buf);
    if (st != PB_OK) {
        pb_query_accept_free(a);
        return st;
    }
    *out = a;
    return PB_OK;
}

/* Is text[pos, pos + n) inside an occurrence of w in text? */
static int covers(const uint32_t *text, size_t len, size_t pos, size_t n, const uint32_t *w,
                  size_t wn)
{
    if (wn < n)
        return 0;
    for (size_t k = 0; k + n <= wn; k++) {
        if (pos < k || pos - k + wn > len)
            continue;
        if (memcmp(text + pos - k, w, wn * sizeof *w) == 0)
            return 1;
    }
    return 0;
}

/* Does an accepted word (the list's, or the usage of region: NULL none, "" a Traditional text
 * of no region) hold text[pos, pos + n)? */
/* A numeral, in figures or characters (〇零一二三四五六七八九十百千萬兩幾數), before a measure
 * word: 3台, 第四台, 兩台. */
static int numeral(uint32_t c)
{
    static const uint32_t numerals[] = {0x3007, 0x96F6, 0x4E00, 0x4E8C, 0x4E09, 0x56DB,
                                        0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341,
                                        0x767E, 0x5343, 0x842C, 0x5169, 0x5E7E, 0x6578};
    if ((c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19))
        return 1;
    for (size_t k = 0; k < sizeof numerals / sizeof numerals[0]; k++)
        if (numerals[k] == c)
            return 1;
    return 0;
}

/* 台 after a numeral is Taiwan's measure word for machines and channels as people write it
 * (冷氣機3台, 第四台), though OpenCC's s2tw, after the Ministry of Education's standard form,
 * makes it 臺 (review 12 B6: six queries in a tenancy agreement, all right as typed). */
#define CP_TAI 0x53F0
static int measure_word(const pb_block *b, size_t pos, size_t n, const char *region)
{
    return region && strcmp(region, "TW") == 0 && n == 1 && b->text[pos] == CP_TAI && pos > 0 &&
           numeral(b->text[pos - 1]);
}

static int accepted(const pb_block *b, size_t pos, size_t n, const pb_query_accept *accept,
                    const char *region)
{
    if (measure_word(b, pos, n, region))
        return 1;
    for (size_t i = 0; accept && i < accept->n; i++)
        if (covers(b->text, b->len, pos, n, accept->w[i].text, accept->w[i].len))
            return 1;
    for (size_t i = 0; i < sizeof REGION_USAGE / sizeof REGION_USAGE[0]; i++) {
        if (!region || (*REGION_USAGE[i].region && strcmp(REGION_USAGE[i].region, region) != 0))
            continue;
        uint32_t w[PB_QUERY_TEXT_MAX];
        size_t wn = 0;
        const uint8_t *s = (const uint8_t *)REGION_USAGE[i].text;
        for (size_t k = 0, len = strlen(REGION_USAGE[i].text); k < len && wn < PB_QUERY_TEXT_MAX;) {
            size_t step = pb_uchar_decode(s + k, len - k, &w[wn++]);
            k += step ? step : 1;
        }
        if (covers(b->text, b->len, pos, n, w, wn))
            return 1;
    }
    return 0;
}

/* ---- queries ----------------------------------------------------------------------------- */

static int push_text(pb_queries *q, pb_query_kind kind, int line, int col, const uint32_t *found,
                     size_t fn, const uint32_t *sugg, size_t sn)
{
    if (fn > PB_QUERY_TEXT_MAX || sn > PB_QUERY_TEXT_MAX)
        return 1; /* too long to query: left out */
    if (PB_GROW(q->v, q->cap, q->n))
        return 0;
    pb_query *e = &q->v[q->n++];
    memset(e, 0, sizeof *e);
    e->kind = kind;
    e->line = line;
    e->col = col;
    memcpy(e->found, found, fn * sizeof *found);
    e->found_len = fn;
    if (sn)
        memcpy(e->suggested, sugg, sn * sizeof *sugg);
    e->suggested_len = sn;
    return 1;
}

/* What OpenCC makes of text[0, n), position by position, into out[0, n): the whole text at
 * once (its phrases in context); where that does not keep one character for one, each run of
 * Han characters alone, and where that does not either, each character alone. 0: out of
 * memory. */
static int convert_into(opencc_t cc, const uint32_t *text, size_t n, uint32_t *out, char *u8,
                        uint32_t *tmp)
{
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += pb_uchar_encode(text[i], u8 + len);
    u8[len] = '\0';
    memcpy(out, text, n * sizeof *out);
    char *res;
    pb_cc_status cs = pb_ccguard_convert(cc_lib.convert_utf8, cc, u8, len, &res);
    if (cs == PB_CC_NOMEM)
        return 0;
    if (!res)
        return 1; /* OpenCC failed on this text: nothing queried in it */
    size_t m = 0, rl = strlen(res);
    for (size_t k = 0; k < rl && m <= n;) {
        uint32_t cp;
        size_t step = pb_uchar_decode((const uint8_t *)res + k, rl - k, &cp);
        if (!step)
            break;
        if (m < n)
            tmp[m] = cp;
        m++;
        k += step;
    }
    cc_lib.convert_utf8_free(res);
    if (m == n) {
        memcpy(out, tmp, n * sizeof *out);
        return 1;
    }
    if (n == 1)
        return 1; /* one character became several: no suggestion */
    /* split: runs of Han characters, then single characters */
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        if (pb_uchar_is_han(text[i]))
            while (j < n && pb_uchar_is_han(text[j]) && j - i < n - 1)
                j++;
        if (pb_uchar_is_han(text[i]) && !convert_into(cc, text + i, j - i, out + i, u8, tmp))
            return 0;
        i = j;
    }
    return 1;
}

typedef struct {
    opencc_t base;          /* to the variant asked for: s2t or t2s */
    opencc_t back;          /* the reverse (t2s or s2t): the text in the other variant */
    opencc_t region;        /* to the region's forms: s2tw or s2hk, or NULL */
    opencc_t chars;         /* base is marked_cc(): s2t's character dictionary alone, else
                             * NULL */
    const char *region_name;
    int hant;               /* a Traditional text */
    const pb_query_accept *accept;
    size_t han_queries, han_dropped;
} checker;

static int in_table(const uint32_t *t, size_t n, uint32_t c)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t[mid] == c)
            return 1;
        if (t[mid] < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* Is c the other variant's form only (hant: a Simplified form in a Traditional text, else the
 * reverse)? Its own entry in OpenCC's character dictionaries changes it under every conversion to
 * the variant (s2t, s2tw and s2hk: 群 and 峰 stand in Taiwan's standard, 台 in Hong Kong's; 布
 * and 念 are kept alone) and, in a Traditional text, it is none of the forms they give
 * (tools/variants.py). */
static int other_only(uint32_t c, int hant)
{
    return hant ? in_table(PB_SIMPLIFIED_ONLY, PB_SIMPLIFIED_ONLY_N, c)
                : in_table(PB_TRADITIONAL, PB_TRADITIONAL_N, c);
}

/* ... or, in a Traditional text, changed so but one of the forms they give, a Traditional
 * character in its own right (云 -> 雲 云: 云, "to say"; 于 -> 於 于, the surname)? (In a
 * Simplified text 於 or 乾 is a slip far more often than a surname: none.) */
static int both_forms(uint32_t c, int hant)
{
    return hant && in_table(PB_SIMPLIFIED_BOTH, PB_SIMPLIFIED_BOTH_N, c);
}

/* A form is queried when the conversion changes it both in the text as written and in the
 * text turned into the other variant first, to the same form. OpenCC's dictionaries are keyed
 * in the variant they convert from: in a Traditional text a phrase whose other characters are
 * already Traditional misses its entry (報名表 is not 报名表) and a shorter one fires (名表 ->
 * 名錶), or a character the two readings make different forms of (服務台: 臺 as written, 檯
 * from 服务台) is one the dictionaries are not sure of; and only a character that is the other
 * variant's form only (other_only), or a form of both (both_forms) that a phrase of the
 * dictionary changes, in the text or in its other-variant form (致力于 -> 致力於): 其一云 is
 * no phrase, and its 云 ("to say") no query. */
static pb_status check_block(checker *k, const pb_block *b, pb_queries *q)
{
    size_t n = b->len;
    uint32_t *other = malloc((n + 1) * sizeof *other), *reg = malloc((n + 1) * sizeof *reg);
    uint32_t *tmp = malloc((n + 1) * sizeof *tmp), *back = malloc((n + 1) * sizeof *back);
    uint32_t *again = malloc((n + 1) * sizeof *again), *reg_again = malloc((n + 1) * sizeof *reg);
    uint32_t *ph = malloc((n + 1) * sizeof *ph), *ph_again = malloc((n + 1) * sizeof *ph);
    char *u8 = malloc(n * 4 + 1);
    unsigned char *kind = malloc(n + 1); /* per character: 0, or 1 + pb_query_kind */
    pb_status st = PB_OK;
    if (!other || !reg || !tmp || !back || !again || !reg_again || !ph || !ph_again || !u8 ||
        !kind ||
        !convert_into(k->base, b->text, n, other, u8, tmp) ||
        !convert_into(k->back, b->text, n, back, u8, tmp) ||
        !convert_into(k->base, back, n, again, u8, tmp) ||
        (k->region && (!convert_into(k->region, b->text, n, reg, u8, tmp) ||
                       !convert_into(k->region, back, n, reg_again, u8, tmp)))) {
        st = pb_diag_oom("finding the editor's queries");
        goto done;
    }
    /* base marked_cc(): where no phrase of s2t's took a form of both it is marked; s2t has
     * its character there, the phrase dictionary alone the form as it stood */
    int have_ph = k->chars != NULL;
    if (have_ph) {
        if (!convert_into(k->chars, b->text, n, ph, u8, tmp) ||
            !convert_into(k->chars, back, n, ph_again, u8, tmp)) {
            st = pb_diag_oom("finding the editor's queries");
            goto done;
        }
        for (size_t i = 0; i < n; i++) {
            uint32_t o = other[i], a = again[i];
            other[i] = o == CC_MARK ? ph[i] : o;
            ph[i] = o == CC_MARK ? b->text[i] : o;
            again[i] = a == CC_MARK ? ph_again[i] : a;
            ph_again[i] = a == CC_MARK ? back[i] : a;
        }
    }
    if (!k->region) {
        memcpy(reg, other, n * sizeof *reg);
        memcpy(reg_again, again, n * sizeof *reg_again);
    }
    for (size_t i = 0; i < n; i++) {
        kind[i] = 0;
        if (!pb_uchar_is_han(b->text[i]))
            continue; /* punctuation (“” for 「」) is a house style, not a variant */
        uint32_t c = b->text[i];
        int form = other_only(c, k->hant) ||
                   (both_forms(c, k->hant) &&
                    (!have_ph || ph[i] == other[i] || ph_again[i] == other[i]));
        if (other[i] != c && pb_uchar_is_han(other[i]) && again[i] == other[i] && form) {
            kind[i] = 1 + PB_QUERY_VARIANT;
            /* the region's form of it where the region has one (为: 為 in Taiwan, 爲 in s2t) */
            if (k->region && reg[i] != b->text[i] && pb_uchar_is_han(reg[i]) &&
                reg_again[i] == reg[i])
                other[i] = reg[i];
        } else if (k->region && reg[i] != b->text[i] && pb_uchar_is_han(reg[i]) &&
                   reg_again[i] == reg[i]) {
            kind[i] = 1 + PB_QUERY_REGIONAL;
            other[i] = reg[i];
        }
    }
    /* adjacent characters of one kind: one query, the word as written */
    for (size_t i = 0; i < n && st == PB_OK;) {
        if (!kind[i]) {
            i++;
            continue;
        }
        size_t j = i + 1;
        while (j < n && kind[j] == kind[i] && j - i < PB_QUERY_TEXT_MAX)
            j++;
        if (accepted(b, i, j - i, k->accept, k->region_name)) {
            q->accepted++;
        } else if (k->han_queries == HAN_QUERIES_MAX) {
            k->han_dropped++;
        } else {
            k->han_queries++;
            if (!push_text(q, (pb_query_kind)(kind[i] - 1), b->line, (int)b->col[i], b->text + i,
                           j - i, other + i, j - i))
                st = pb_diag_oom("finding the editor's queries");
        }
        i = j;
    }
done:
    free(other);
    free(reg);
    free(tmp);
    free(back);
    free(again);
    free(reg_again);
    free(ph);
    free(ph_again);
    free(u8);
    free(kind);
    return st;
}

/* ---- l written for I ---------------------------------------------------------------------- */

/* Does the text of any block hold the word t[0..n) (whole, case as given)? */
static int has_word(const pb_doc *doc, const uint32_t *t, size_t n)
{
    for (size_t b = 0; b < doc->n_blocks; b++) {
        const pb_block *blk = &doc->blocks[b];
        for (size_t i = 0; i + n <= blk->len; i++) {
            if ((i > 0 && pb_uchar_is_ascii_letter(blk->text[i - 1])) ||
                (i + n < blk->len && pb_uchar_is_ascii_letter(blk->text[i + n])))
                continue;
            if (memcmp(blk->text + i, t, n * sizeof *t) == 0)
                return 1;
        }
    }
    return 0;
}

static pb_status check_l_for_i(const pb_doc *doc, const pb_query_accept *accept, pb_queries *q)
{
    for (size_t b = 0; b < doc->n_blocks; b++) {
        const pb_block *blk = &doc->blocks[b];
        size_t i = 0;
        while (i < blk->len) {
            if (!pb_uchar_is_ascii_letter(blk->text[i])) {
                i++;
                continue;
            }
            size_t j = i;
            int has_l = 0, upper = 0;
            while (j < blk->len && pb_uchar_is_ascii_letter(blk->text[j])) {
                has_l |= blk->text[j] == 'l';
                upper += blk->text[j] >= 'A' && blk->text[j] <= 'Z';
                j++;
            }
            size_t n = j - i;
            /* a capitalised word with l (Al, IIl): made of capitals but for its l's */
            if (has_l && upper > 0 && n <= PB_QUERY_TEXT_MAX) {
                uint32_t t[PB_QUERY_TEXT_MAX];
                int caps = 1;
                for (size_t k = 0; k < n; k++) {
                    t[k] = blk->text[i + k] == 'l' ? 'I' : blk->text[i + k];
                    caps &= t[k] >= 'A' && t[k] <= 'Z';
                }
                if (caps && has_word(doc, t, n)) {
                    if (accepted(blk, i, n, accept, NULL))
                        q->accepted++;
                    else if (!push_text(q, PB_QUERY_L_FOR_I, blk->line, (int)blk->col[i],
                                        blk->text + i, n, t, n))
                        return pb_diag_oom("finding the editor's queries");
                }
            }
            i = j;
        }
    }
    return PB_OK;
}

/* ---- two forms of digits ------------------------------------------------------------------ */

static int is_fw_digit(uint32_t c) { return c >= 0xFF10 && c <= 0xFF19; }
static int is_digit_of(uint32_t c, int fw) { return fw ? is_fw_digit(c) : c >= '0' && c <= '9'; }

/* The length of the number at text[i] in digits of one form, a comma, point or colon between
 * two of them part of it (３,５００ is one number). */
static size_t number_len(const uint32_t *text, size_t len, size_t i, int fw)
{
    size_t n = 0;
    while (i + n < len && (is_digit_of(text[i + n], fw) ||
                           (n > 0 && (text[i + n] == ',' || text[i + n] == '.' || text[i + n] == ':') &&
                            i + n + 1 < len && is_digit_of(text[i + n + 1], fw))))
        n++;
    return n;
}

/* ---- full-width Latin letters and a full-width comma in a figure --------------------------- */

static int is_fw_letter(uint32_t c) { return pb_uchar_is_fullwidth_alnum(c) && !is_fw_digit(c); }
static int is_fw_alnum(uint32_t c) { return pb_uchar_is_fullwidth_alnum(c); }

/* Full-width signs a code or an amount joins its letters and figures with: － ＄ ／ ＿ ＋ ＆ ＃
 * ＠ ． (ＸＪ－３０００Ａ, ＮＴ＄１). */
static int is_fw_joiner(uint32_t c)
{
    return c == 0xFF0D || c == 0xFF04 || c == 0xFF0F || c == 0xFF3F || c == 0xFF0B ||
           c == 0xFF06 || c == 0xFF03 || c == 0xFF20 || c == 0xFF0E;
}

static int is_ascii_digit(uint32_t c) { return c >= '0' && c <= '9'; }

/* Digits a full-width code may hold: full-width ones, and ASCII ones a full-width sign or
 * comma was typed among (＄1，200: the commonest IME slip, review 11 A5). */
static int is_any_digit(uint32_t c) { return is_fw_digit(c) || is_ascii_digit(c); }

/* Does a group of exactly three ASCII digits begin at text[k] (a thousands group: 1，200 is an
 * amount, 第1，2條 a list)? */
static int thousands_group(const uint32_t *text, size_t len, size_t k)
{
    for (size_t d = 0; d < 3; d++)
        if (k + d >= len || !is_ascii_digit(text[k + d]))
            return 0;
    return k + 3 >= len || !is_any_digit(text[k + 3]);
}

/* A mark between two digits that is the number's (１，２００, １２：３０, ３,５００, 1，200);
 * *clause: a full-width comma or colon, which is set as a clause mark. Between ASCII digits a
 * full-width mark is the number's only as a full-width comma before a thousands group. */
static int in_figure(const uint32_t *text, size_t len, size_t k, int *clause)
{
    uint32_t c = text[k];
    int full = c == 0xFF0C || c == 0xFF1A;
    if (!(full || c == ',' || c == '.' || c == ':') || k == 0 || k + 1 >= len ||
        !is_any_digit(text[k - 1]) || !is_any_digit(text[k + 1]))
        return 0;
    int ascii = is_ascii_digit(text[k - 1]) || is_ascii_digit(text[k + 1]);
    if (ascii && full && !(c == 0xFF0C && thousands_group(text, len, k + 1)))
        return 0;
    *clause |= full;
    return 1;
}

/* The full-width code at text[i] (letters, digits and the signs joining them, the marks of a
 * figure): its length when it has a Latin letter, a clause mark in a figure or a full-width
 * sign joined to an ASCII digit (＄300), else 0. */
static size_t fw_code_len(const uint32_t *text, size_t len, size_t i)
{
    size_t n = 0;
    int letters = 0, clause = 0, mixed = 0;
    while (i + n < len) {
        uint32_t c = text[i + n];
        int next_digit = i + n + 1 < len && is_ascii_digit(text[i + n + 1]);
        if (is_fw_alnum(c) || is_ascii_digit(c))
            letters |= is_fw_letter(c);
        else if (is_fw_joiner(c) && next_digit)
            mixed = 1;
        else if (!((is_fw_joiner(c) && i + n + 1 < len && is_fw_alnum(text[i + n + 1])) ||
                   (n > 0 && in_figure(text, len, i + n, &clause))))
            break;
        n++;
    }
    return letters || clause || mixed ? n : 0;
}

/* Where a full-width code may begin: at a letter, digit (of either form) or joining sign after
 * none and after no ASCII letter. */
static int fw_code_start(const uint32_t *text, size_t i)
{
    uint32_t c = text[i], p = i > 0 ? text[i - 1] : 0;
    return (is_fw_alnum(c) || is_ascii_digit(c) || is_fw_joiner(c)) &&
           !(is_fw_alnum(p) || is_ascii_digit(p) || is_fw_joiner(p) || pb_uchar_is_ascii_letter(p));
}

/* Full-width Latin letters (ＸＪ－３０００Ａ, ２２０Ｖ, ＮＴ＄) and a full-width comma between
 * full-width digits (１，２００: set as a clause comma, it splits the amount) are queried, the
 * whole code with its ASCII forms, whatever the rest of the text writes: GB/T 15834-2011
 * (标点符号用法) and GB/T 15835-2011 (出版物上数字用法) set Western letters and figures
 * half-width. */
static pb_status check_fullwidth(const pb_doc *doc, const pb_query_accept *accept, pb_queries *q)
{
    for (size_t b = 0; b < doc->n_blocks; b++) {
        const pb_block *blk = &doc->blocks[b];
        for (size_t i = 0; i < blk->len; i++) {
            size_t n = fw_code_start(blk->text, i) ? fw_code_len(blk->text, blk->len, i) : 0;
            if (!n)
                continue;
            uint32_t ascii[PB_QUERY_TEXT_MAX];
            for (size_t k = 0; k < n && k < PB_QUERY_TEXT_MAX; k++) {
                uint32_t c = blk->text[i + k];
                ascii[k] = c >= 0xFF01 && c <= 0xFF5E ? c - 0xFF01 + '!' : c;
            }
            if (accepted(blk, i, n, accept, NULL))
                q->accepted++;
            else if (!push_text(q, PB_QUERY_FULLWIDTH, blk->line, (int)blk->col[i],
                                blk->text + i, n, ascii, n))
                return pb_diag_oom("finding the editor's queries");
            i += n - 1;
        }
    }
    return PB_OK;
}

/* One form of digits for one text (GB/T 15835-2011, 出版物上数字用法, asks for numbers of one
 * kind to be written alike in one text; a house style may choose full-width digits, but not
 * both): when a text has numbers in both forms, each number in the rarer form is queried,
 * with the other form suggested. */
static pb_status check_digits(const pb_doc *doc, const pb_query_accept *accept, pb_queries *q)
{
    size_t runs[2] = {0, 0}; /* numbers in ASCII, in full-width digits */
    for (size_t b = 0; b < doc->n_blocks; b++) {
        const pb_block *blk = &doc->blocks[b];
        for (size_t i = 0; i < blk->len; i++)
            for (int fw = 0; fw < 2; fw++)
                runs[fw] += is_digit_of(blk->text[i], fw) &&
                            (i == 0 || !is_digit_of(blk->text[i - 1], fw));
    }
    if (!runs[0] || !runs[1])
        return PB_OK;
    int fw = runs[1] <= runs[0]; /* the rarer form (full-width on a tie) */
    for (size_t b = 0; b < doc->n_blocks; b++) {
        const pb_block *blk = &doc->blocks[b];
        for (size_t i = 0; i < blk->len; i++) {
            size_t code = fw && fw_code_start(blk->text, i) ? fw_code_len(blk->text, blk->len, i) : 0;
            if (code) { /* check_fullwidth() queries it whole */
                i += code - 1;
                continue;
            }
            if (!is_digit_of(blk->text[i], fw) || (i > 0 && is_digit_of(blk->text[i - 1], fw)))
                continue;
            size_t n = number_len(blk->text, blk->len, i, fw);
            uint32_t other[PB_QUERY_TEXT_MAX];
            for (size_t k = 0; k < n && k < PB_QUERY_TEXT_MAX; k++) {
                uint32_t c = blk->text[i + k];
                other[k] = !is_digit_of(c, fw) ? c : fw ? c - 0xFF10 + '0' : c - '0' + 0xFF10;
            }
            if (accepted(blk, i, n, accept, NULL))
                q->accepted++;
            else if (!push_text(q, PB_QUERY_DIGITS, blk->line, (int)blk->col[i], blk->text + i, n,
                                other, n))
                return pb_diag_oom("finding the editor's queries");
            i += n - 1;
        }
    }
    return PB_OK;
}

/* ---- placeholders -------------------------------------------------------------------------- */

/* Words an editor writes for text still to come. Latin ones are matched as whole words in
 * capitals (a "todo list" is prose); the Chinese ones anywhere: 待定, 待補 and 待確認 say so,
 * and ○○ / ×× stand for a name or a number in a template. */
static const char *const PLACEHOLDERS[] = {"TBD", "TBC", "TBA", "TODO", "XXX", "FIXME",
                                           "待定", "待补", "待補", "待确认", "待確認",
                                           "○○", "××"};

/* Does the UTF-8 word w stand at text[i] (a Latin one as a word of its own)? Its length in code
 * points, or 0. */
static size_t placeholder_at(const uint32_t *text, size_t len, size_t i, const char *w)
{
    size_t n = 0;
    for (const uint8_t *s = (const uint8_t *)w; *s;) {
        uint32_t c;
        size_t k = pb_uchar_decode(s, strlen((const char *)s), &c);
        if (!k || i + n >= len || text[i + n] != c)
            return 0;
        s += k;
        n++;
    }
    if (pb_uchar_is_ascii_letter(text[i]) &&
        ((i > 0 && pb_uchar_is_alnum(text[i - 1])) || (i + n < len && pb_uchar_is_alnum(text[i + n]))))
        return 0;
    return n;
}

/* Placeholders inside a code or a number (688xxx.SH, xxx-xxxx, 138□□□□5678, 20○○): a run of
 * PLACEHOLDER_X_MIN or more x or X not inside a word (XXXL and Exxxon are words), or of two or
 * more ○ or □, in a token of letters, digits and . - / _ + that has a figure or a second run. */
#define PLACEHOLDER_X_MIN 3
#define PLACEHOLDER_BOX_MIN 2
#define WHITE_CIRCLE 0x25CBu /* ○ */
#define WHITE_SQUARE 0x25A1u /* □ */

static int is_code_sep(uint32_t c) { return c == '-' || c == '.' || c == '/' || c == '_' || c == '+'; }

static int in_code(const pb_block *b, size_t i)
{
    uint32_t c = b->text[i];
    return !(b->marks && (b->marks[i] & PB_MARK_URL)) &&
           (pb_uchar_is_ascii_letter(c) || is_ascii_digit(c) || is_fw_digit(c) || is_code_sep(c) ||
            c == WHITE_CIRCLE || c == WHITE_SQUARE);
}

/* The length of the code starting at b->text[i] when it holds a placeholder, else 0. */
static size_t code_placeholder(const pb_block *b, size_t i)
{
    const uint32_t *t = b->text;
    if (!in_code(b, i) || (i > 0 && in_code(b, i - 1)))
        return 0;
    size_t e = i, figures = 0, runs = 0;
    while (e < b->len && in_code(b, e))
        e++;
    while (e > i && is_code_sep(t[e - 1])) /* a sentence's stop after it */
        e--;
    for (size_t k = i; k < e;) {
        uint32_t c = t[k];
        size_t m = 1;
        if (c == 'x' || c == 'X') {
            while (k + m < e && (t[k + m] == 'x' || t[k + m] == 'X'))
                m++;
            runs += m >= PLACEHOLDER_X_MIN && (k == i || !pb_uchar_is_ascii_letter(t[k - 1])) &&
                    (k + m == e || !pb_uchar_is_ascii_letter(t[k + m]));
        } else if (c == WHITE_CIRCLE || c == WHITE_SQUARE) {
            while (k + m < e && (t[k + m] == WHITE_CIRCLE || t[k + m] == WHITE_SQUARE))
                m++;
            runs += m >= PLACEHOLDER_BOX_MIN;
        } else {
            figures += is_ascii_digit(c) || is_fw_digit(c);
        }
        k += m;
    }
    return runs && (figures || runs > 1) ? e - i : 0;
}

/* Text left to be written, queried where it stands: a paragraph of marks only (a "……" or "---"
 * kept from a draft; one marked {center}, {right} or {left} is the editor's choice: a
 * separator) and the placeholder words. */
static pb_status check_placeholders(const pb_doc *doc, const pb_query_accept *accept,
                                    pb_queries *q)
{
    /* each word's first code point, so that most characters are passed over at one compare */
    uint32_t first[sizeof PLACEHOLDERS / sizeof *PLACEHOLDERS];
    for (size_t w = 0; w < sizeof PLACEHOLDERS / sizeof *PLACEHOLDERS; w++)
        pb_uchar_decode((const uint8_t *)PLACEHOLDERS[w], strlen(PLACEHOLDERS[w]), &first[w]);
    for (size_t b = 0; b < doc->n_blocks; b++) {
        const pb_block *blk = &doc->blocks[b];
        size_t words = 0;
        for (size_t i = 0; i < blk->len; i++)
            words += pb_uchar_is_alnum(blk->text[i]);
        if (!words && blk->len &&
            !(blk->flags & (PB_BLOCK_CENTER | PB_BLOCK_RIGHT | PB_BLOCK_LEFT)) &&
            !push_text(q, PB_QUERY_MARKS_ONLY, blk->line, (int)blk->col[0], blk->text,
                       blk->len < PB_QUERY_TEXT_MAX ? blk->len : PB_QUERY_TEXT_MAX, NULL, 0))
            return pb_diag_oom("finding the editor's queries");
        for (size_t i = 0; words && i < blk->len; i++) {
            size_t code = code_placeholder(blk, i);
            if (code) {
                if (accepted(blk, i, code, accept, NULL))
                    q->accepted++;
                else if (!push_text(q, PB_QUERY_PLACEHOLDER, blk->line, (int)blk->col[i],
                                    blk->text + i,
                                    code < PB_QUERY_TEXT_MAX ? code : PB_QUERY_TEXT_MAX, NULL, 0))
                    return pb_diag_oom("finding the editor's queries");
                i += code - 1;
                continue;
            }
            for (size_t w = 0; w < sizeof PLACEHOLDERS / sizeof *PLACEHOLDERS; w++) {
                size_t n = blk->text[i] == first[w]
                               ? placeholder_at(blk->text, blk->len, i, PLACEHOLDERS[w])
                               : 0;
                if (!n)
                    continue;
                if (accepted(blk, i, n, accept, NULL))
                    q->accepted++;
                else if (!push_text(q, PB_QUERY_PLACEHOLDER, blk->line, (int)blk->col[i],
                                    blk->text + i, n, NULL, 0))
                    return pb_diag_oom("finding the editor's queries");
                i += n - 1;
                break;
            }
        }
    }
    return PB_OK;
}

/* ---- ranges typed with a hyphen ------------------------------------------------------------- */

/* A range of figures wants an en dash (Chicago 6.78: 4–6 hours, 1990–1995); typed with a
 * hyphen it is queried in English, the en dash suggested. A range is two figures of up to
 * RANGE_DIGITS_MAX digits (a decimal part allowed), the first the smaller, or two years
 * YEAR_FIRST..YEAR_LAST at most YEAR_SPAN apart; not a telephone number (2712-3456, 555-1234,
 * a leading 0), a date (2026-03-18), a code (978-0-12, COVID-19), a score (3-2), a time
 * (9:00-17:00) nor a URL. */
#define RANGE_DIGITS_MAX 3
#define YEAR_FIRST 1000
#define YEAR_LAST 2199
#define YEAR_SPAN 100

/* The figure at text[i]: its length (digits, then a point and digits), its value in *v and its
 * whole digits in *whole; 0 when none or it starts with 0 and a digit (07, an area code).
 * Digits grouped in threes by commas (3,000: Chicago 9.54) are one figure, *whole then 0: a
 * grouped number is a quantity, never a telephone number or a code. */
#define DIGIT_GROUP 3
static size_t figure_at(const uint32_t *t, size_t len, size_t i, double *v, size_t *whole)
{
    size_t n = 0;
    double x = 0;
    while (i + n < len && is_ascii_digit(t[i + n]))
        x = x * 10 + (double)(t[i + n++] - '0');
    *whole = n;
    if (!n || (n > 1 && t[i] == '0'))
        return 0;
    while (*whole <= DIGIT_GROUP && i + n + DIGIT_GROUP < len && t[i + n] == ',') {
        size_t g = 0;
        while (g < DIGIT_GROUP && is_ascii_digit(t[i + n + 1 + g]))
            g++;
        if (g < DIGIT_GROUP ||
            (i + n + 1 + g < len && is_ascii_digit(t[i + n + 1 + g])))
            break; /* 12,34 or 1,2345: a list, not groups */
        for (g = 0; g < DIGIT_GROUP; g++)
            x = x * 10 + (double)(t[i + n + 1 + g] - '0');
        n += 1 + DIGIT_GROUP;
        *whole = 0;
    }
    if (i + n + 1 < len && t[i + n] == '.' && is_ascii_digit(t[i + n + 1])) {
        double scale = 1;
        for (n++; i + n < len && is_ascii_digit(t[i + n]); n++)
            x += (double)(t[i + n] - '0') * (scale /= 10);
    }
    *v = x;
    return n;
}

static int around_range(uint32_t c)
{
    return pb_uchar_is_alnum(c) || c == '-' || c == '/' || c == '.' || c == ':' || c == '+' ||
           c == ',' || c == '_' || c == 0x2013 || c == 0x2212;
}

static pb_status check_ranges(const pb_doc *doc, const pb_query_accept *accept, pb_queries *q)
{
    for (size_t b = 0; b < doc->n_blocks; b++) {
        const pb_block *blk = &doc->blocks[b];
        const uint32_t *t = blk->text;
        if (blk->lang != PB_LANG_EN)
            continue;
        for (size_t i = 0; i + 2 < blk->len; i++) {
            if (!is_ascii_digit(t[i]) || (i > 0 && around_range(t[i - 1])))
                continue;
            double a, z;
            size_t wa, wz, na = figure_at(t, blk->len, i, &a, &wa);
            size_t j = i + na, nz = na && j + 1 < blk->len && t[j] == '-'
                                        ? figure_at(t, blk->len, j + 1, &z, &wz)
                                        : 0;
            size_t e = j + 1 + nz;
            int url = 0;
            for (size_t k = i; blk->marks && k < e; k++)
                url |= blk->marks[k] & PB_MARK_URL;
            /* a stop, a comma or a colon may end the sentence or clause a range ends (Weeks
             * 11-15: seminars), but not when a figure follows it (10-11:30, 1-2.5) */
            if (!nz || url || (e < blk->len && around_range(t[e]) && t[e] != '.' && t[e] != ',' &&
                               t[e] != ':' && !pb_uchar_is_ascii_letter(t[e])) ||
                (e + 1 < blk->len && (t[e] == '.' || t[e] == ',' || t[e] == ':' || t[e] == '-') &&
                 is_ascii_digit(t[e + 1]))) {
                i += na ? na - 1 : 0;
                continue;
            }
            int figures = wa <= RANGE_DIGITS_MAX && wz <= RANGE_DIGITS_MAX;
            int years = wa == 4 && wz == 4 && a >= YEAR_FIRST && z <= YEAR_LAST &&
                        z - a <= YEAR_SPAN;
            if (!(a < z && (figures || years))) {
                i = e - 1;
                continue;
            }
            uint32_t dashed[PB_QUERY_TEXT_MAX];
            size_t n = e - i < PB_QUERY_TEXT_MAX ? e - i : PB_QUERY_TEXT_MAX;
            memcpy(dashed, t + i, n * sizeof *dashed);
            dashed[na] = 0x2013; /* – */
            if (accepted(blk, i, e - i, accept, NULL))
                q->accepted++;
            else if (!push_text(q, PB_QUERY_RANGE, blk->line, (int)blk->col[i], t + i, n, dashed, n))
                return pb_diag_oom("finding the editor's queries");
            i = e - 1;
        }
    }
    return PB_OK;
}

/* ---- a pair's two lengths ------------------------------------------------------------------ */

/* English letters for each Han character of a pair's Chinese, past which (or under which) a
 * pair is no translation. Measured over every pair of the initiative and the test corpora
 * (221 pairs, tests/unit/test_query.c length_real_pairs): 0.67 to 8.3, and 2.0 to 5.1 in the
 * pairs of 20 Han characters or more; the bounds are well outside both. */
#define LENGTH_RATIO_MAX 20.0
#define LENGTH_RATIO_MIN 0.5
/* ... and only past lengths where the count means something: an English of 100 letters or more
 * (some 20 words) for the one, a Chinese of 20 Han characters or more for the other ("否。" /
 * "No." is a pair). */
#define LENGTH_LETTERS_MIN 100
#define LENGTH_HAN_MIN 20
/* Code points of the Chinese shown in the query (the last an ellipsis when it goes on). */
#define LENGTH_SHOWN 16

/* Letters of any script but Han, not digits: what an English text is long by. */
static size_t letters_of(const pb_block *b)
{
    size_t n = 0;
    for (size_t i = 0; i < b->len; i++) {
        uint32_t c = b->text[i];
        n += pb_uchar_is_alnum(c) && !pb_uchar_is_han(c) && !(c >= '0' && c <= '9') &&
             !is_fw_digit(c);
    }
    return n;
}

/* A pair whose English letters for each Han character of its Chinese lie far outside what a
 * translation gives: queried at its Chinese, with both counts. The Latin letters of the
 * Chinese (names, product names, written in both) are taken from the English's. */
static pb_status check_lengths(const pb_doc *doc, pb_queries *q)
{
    for (size_t b = 0; b + 1 < doc->n_blocks; b++) {
        const pb_block *zh = &doc->blocks[b], *en = &doc->blocks[b + 1];
        if (zh->lang != PB_LANG_ZH || en->lang != PB_LANG_EN || en->pair != zh->pair || !zh->len)
            continue;
        size_t han = 0;
        for (size_t i = 0; i < zh->len; i++)
            han += pb_uchar_is_han(zh->text[i]);
        size_t in_zh = letters_of(zh), in_en = letters_of(en);
        size_t letters = in_en > in_zh ? in_en - in_zh : 0;
        int longer = letters >= LENGTH_LETTERS_MIN && (double)letters > LENGTH_RATIO_MAX * (double)han;
        int shorter = han >= LENGTH_HAN_MIN && (double)letters < LENGTH_RATIO_MIN * (double)han;
        if (!han || !(longer || shorter))
            continue;
        uint32_t shown[LENGTH_SHOWN];
        size_t n = zh->len <= LENGTH_SHOWN ? zh->len : LENGTH_SHOWN;
        memcpy(shown, zh->text, n * sizeof *shown);
        if (zh->len > LENGTH_SHOWN)
            shown[n - 1] = 0x2026; /* … */
        if (!push_text(q, PB_QUERY_LENGTH, zh->line, (int)zh->col[0], shown, n, NULL, 0))
            return pb_diag_oom("finding the editor's queries");
        q->v[q->n - 1].han = han;
        q->v[q->n - 1].letters = letters;
        q->v[q->n - 1].other_line = en->line;
    }
    return PB_OK;
}

/* ---- all of it ---------------------------------------------------------------------------- */

static int by_place(const void *a, const void *b)
{
    const pb_query *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    return (int)x->kind - (int)y->kind;
}

/* OpenCC's conversion from a configuration file, NULL when it cannot be opened; *oom set when
 * memory ran out opening it (OpenCC throws std::bad_alloc, ccguard.cc catches it). */
static opencc_t open_config(const char *file, int *oom)
{
    opencc_t cc;
    if (pb_ccguard_open(cc_lib.open, file, &cc) == PB_CC_NOMEM)
        *oom = 1;
    return cc == (opencc_t)-1 ? NULL : cc;
}

/* OpenCC's configuration file for a conversion ("s2t" -> "s2t.json", found in its data
 * folder), or NULL when it cannot be opened (*oom: for want of memory). */
static opencc_t open_cc(const char *name, int *oom)
{
    char file[32];
    snprintf(file, sizeof file, "%s.json", name);
    return open_config(file, oom);
}

/* text[0, len) into a new temporary file, its path into path (PATH_MAX); 0 when it cannot be
 * (the caller removes it). */
static int temp_file(const char *text, size_t len, char *path)
{
    const char *dir = getenv("TMPDIR");
    if (snprintf(path, PATH_MAX, "%s/paiban-opencc-XXXXXX", dir && *dir ? dir : "/tmp") >=
        PATH_MAX)
        return 0;
    int fd = mkstemp(path);
    if (fd < 0)
        return 0;
    int ok = write(fd, text, len) == (ssize_t)len;
    ok &= close(fd) == 0;
    if (!ok)
        unlink(path);
    return ok;
}

/* OpenCC's conversion from the configuration text config, through a temporary file (OpenCC
 * reads a conversion from a file only), removed once read; NULL when it cannot be. */
static opencc_t open_text_config(const char *config, int *oom)
{
    char path[PATH_MAX];
    if (!temp_file(config, strlen(config), path))
        return NULL;
    opencc_t cc = open_config(path, oom);
    unlink(path);
    return cc;
}

/* s2t with each form of both (PB_SIMPLIFIED_BOTH) that no phrase of STPhrases takes made
 * CC_MARK instead of its character (a dictionary between STPhrases and STCharacters in s2t's
 * group): in one reading of STPhrases, what s2t makes of the text (the marks given their
 * characters by chars_cc()) and whether a phrase changed a form of both, which a conversion by
 * STPhrases alone told before (as long to open as s2t). NULL when it cannot be opened. */
static opencc_t marked_cc(int *oom)
{
    char dict[PB_SIMPLIFIED_BOTH_N * 10 + 1], mark[5], path[PATH_MAX];
    size_t len = 0;
    mark[pb_uchar_encode(CC_MARK, mark)] = '\0';
    for (size_t i = 0; i < PB_SIMPLIFIED_BOTH_N; i++) {
        len += pb_uchar_encode(PB_SIMPLIFIED_BOTH[i], dict + len); /* sorted, as OpenCC's are */
        len += (size_t)sprintf(dict + len, "\t%s\n", mark);
    }
    if (!temp_file(dict, len, path))
        return NULL;
    opencc_t cc = NULL;
    if (!strpbrk(path, "\"\\")) { /* the path written into JSON as it is */
        char config[PATH_MAX + 512];
        snprintf(config, sizeof config,
                 "{\"name\": \"s2t, forms of both marked\", \"segmentation\": {\"type\": "
                 "\"mmseg\", \"dict\": {\"type\": \"ocd2\", \"file\": \"STPhrases.ocd2\"}}, "
                 "\"conversion_chain\": [{\"dict\": {\"type\": \"group\", \"dicts\": [{\"type\": "
                 "\"ocd2\", \"file\": \"STPhrases.ocd2\"}, {\"type\": \"text\", \"file\": "
                 "\"%s\"}, {\"type\": \"ocd2\", \"file\": \"STCharacters.ocd2\"}]}}]}\n",
                 path);
        cc = open_text_config(config, oom);
    }
    unlink(path);
    return cc;
}

/* s2t's character dictionary alone (STCharacters, a tenth of STPhrases' size). */
static opencc_t chars_cc(int *oom)
{
    return open_text_config(
        "{\"name\": \"STCharacters alone\", \"segmentation\": {\"type\": \"mmseg\", \"dict\": "
        "{\"type\": \"ocd2\", \"file\": \"STCharacters.ocd2\"}}, \"conversion_chain\": [{\"dict\": "
        "{\"type\": \"ocd2\", \"file\": \"STCharacters.ocd2\"}}]}\n",
        oom);
}

int pb_query_variant(const pb_doc *doc, const char *lang_zh, pb_query_variant_count *out)
{
    const char *region;
    memset(out, 0, sizeof *out);
    if (!(out->variant = variant_of(lang_zh, &region)))
        return 0;
    int hant = strcmp(out->variant, "Hant") == 0;
    for (size_t b = 0; b < doc->n_blocks; b++) {
        const pb_block *blk = &doc->blocks[b];
        if (blk->lang != PB_LANG_ZH)
            continue;
        for (size_t i = 0; i < blk->len; i++)
            if (pb_uchar_is_han(blk->text[i])) {
                out->han++;
                out->other += (size_t)other_only(blk->text[i], hant);
            }
    }
    return out->han >= OTHER_HAN_MIN && (double)out->other >= OTHER_SHARE_MIN * (double)out->han;
}

const char *pb_query_variant_hint(const pb_query_variant_count *c)
{
    static _Thread_local char buf[256];
    int hant = strcmp(c->variant, "Hant") == 0;
    snprintf(buf, sizeof buf,
             "this text looks %s (%zu of %zu Han characters are %s forms): set lang-zh = %s",
             hant ? "Simplified" : "Traditional", c->other, c->han,
             hant ? "Simplified" : "Traditional", hant ? "zh-Hans" : "zh-Hant");
    return buf;
}

pb_status pb_query_find(const pb_doc *doc, const char *lang_zh, const pb_query_accept *accept,
                        pb_queries *out)
{
    memset(out, 0, sizeof *out);
    pb_status st = check_l_for_i(doc, accept, out);
    if (st == PB_OK)
        st = check_fullwidth(doc, accept, out);
    if (st == PB_OK)
        st = check_digits(doc, accept, out);
    if (st == PB_OK)
        st = check_placeholders(doc, accept, out);
    if (st == PB_OK)
        st = check_ranges(doc, accept, out);
    if (st == PB_OK)
        st = check_lengths(doc, out);
    const char *region;
    const char *v = variant_of(lang_zh, &region);
    if (st != PB_OK || !v) /* not a variant we can tell: no Han text checked */
        goto sort;
    pthread_once(&cc_once, cc_load);
    if (cc_lib.missing[0]) {
        out->unchecked_why = cc_lib.missing;
        goto sort;
    }
    int hant = strcmp(v, "Hant") == 0;
    /* OpenCC conversions: to Traditional finds the Simplified forms, and back; to a region's
     * forms (Taiwan's, Hong Kong's standard character lists) finds the others */
    const char *base = hant ? "s2t" : "t2s";
    const char *reg = !hant ? NULL : strcmp(region, "TW") == 0 ? "s2tw"
                                   : strcmp(region, "HK") == 0 ? "s2hk" : NULL;
    int oom = 0;
    checker k = {NULL, open_cc(hant ? "t2s" : "s2t", &oom), reg ? open_cc(reg, &oom) : NULL,
                 NULL, hant ? region : NULL, hant, accept, 0, 0};
    if (hant && !oom && (k.chars = chars_cc(&oom)) && !oom && !(k.base = marked_cc(&oom))) {
        cc_lib.close(k.chars); /* s2t itself, as when the phrases could not be told */
        k.chars = NULL;
    }
    if (!k.base && !oom)
        k.base = open_cc(base, &oom);
    if (oom || !k.base || !k.back || (reg && !k.region)) {
        /* out of memory: the run fails and says so (review 12 B3: an abort); OpenCC without
         * its data: the report says nothing was checked */
        if (oom)
            st = pb_diag_oom("opening OpenCC's dictionaries for the editor's queries");
        else
            out->unchecked_why = "OpenCC's conversions could not be read";
        if (k.base)
            cc_lib.close(k.base);
        if (k.back)
            cc_lib.close(k.back);
        if (k.region)
            cc_lib.close(k.region);
        if (k.chars)
            cc_lib.close(k.chars);
        goto sort;
    }
    size_t latin = out->n; /* the Latin queries come first */
    for (size_t i = 0; i < doc->n_blocks && st == PB_OK; i++)
        if (doc->blocks[i].lang == PB_LANG_ZH)
            st = check_block(&k, &doc->blocks[i], out);
    cc_lib.close(k.base);
    cc_lib.close(k.back);
    if (k.region)
        cc_lib.close(k.region);
    if (k.chars)
        cc_lib.close(k.chars);
    if (st == PB_OK) {
        out->checked = 1;
        memcpy(out->variant, v, strlen(v) + 1);
        snprintf(out->region, sizeof out->region, "%s", hant ? region : "");
        snprintf(out->config, sizeof out->config, "%s", reg ? reg : base);
        out->unlisted = k.han_dropped;
        /* a text in the other variant: one hint instead of its Han queries */
        pb_query_variant_count count;
        out->looks_other = pb_query_variant(doc, lang_zh, &count);
        out->han = count.han;
        out->other = count.other;
        if (out->looks_other) {
            out->n = latin;
            out->unlisted = 0;
        }
    }
sort:
    if (st != PB_OK) {
        pb_query_free(out);
        return st;
    }
    if (out->n > 1)
        qsort(out->v, out->n, sizeof *out->v, by_place); /* in text order */
    return PB_OK;
}

void pb_query_free(pb_queries *q)
{
    free(q->v);
    memset(q, 0, sizeof *q);
}
