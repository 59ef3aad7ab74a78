/* query: Simplified/Traditional forms out of place, found with ICU's transliterator. */
#include "query.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/utrans.h>
#include <unicode/ustring.h>

#include "uchar.h"

static int tag_has(const char *tag, const char *part)
{
    size_t n = strlen(part);
    for (const char *p = tag; (p = strstr(p, part)) != NULL; p += n)
        if ((p == tag || p[-1] == '-' || p[-1] == '_') && (p[n] == 0 || p[n] == '-' || p[n] == '_'))
            return 1;
    return 0;
}

/* "Hant", "Hans" or NULL from a BCP 47 tag (a script subtag wins over a region). */
static const char *variant_of(const char *lang)
{
    if (tag_has(lang, "Hant"))
        return "Hant";
    if (tag_has(lang, "Hans"))
        return "Hans";
    if (tag_has(lang, "TW") || tag_has(lang, "HK") || tag_has(lang, "MO"))
        return "Hant";
    if (tag_has(lang, "CN") || tag_has(lang, "SG"))
        return "Hans";
    return NULL;
}

static int push_text(pb_queries *q, pb_query_kind kind, int line, int col, const uint32_t *found,
                     size_t fn, const uint32_t *sugg, size_t sn)
{
    if (fn > PB_QUERY_TEXT_MAX || sn > PB_QUERY_TEXT_MAX)
        return 1; /* too long to query: left out */
    if (q->n == q->cap) {
        size_t cap = q->cap ? q->cap * 2 : 16;
        pb_query *v = realloc(q->v, cap * sizeof *v);
        if (!v)
            return 0;
        q->v = v;
        q->cap = cap;
    }
    pb_query *e = &q->v[q->n++];
    memset(e, 0, sizeof *e);
    e->kind = kind;
    e->line = line;
    e->col = col;
    memcpy(e->found, found, fn * sizeof *found);
    e->found_len = fn;
    memcpy(e->suggested, sugg, sn * sizeof *sugg);
    e->suggested_len = sn;
    return 1;
}

static int push(pb_queries *q, int line, int col, uint32_t found, uint32_t suggested)
{
    return push_text(q, PB_QUERY_VARIANT, line, col, &found, 1, &suggested, 1);
}

/* The transform of one code point alone; c itself when it does not change (or on error). */
static uint32_t one(UTransliterator *t, uint32_t c)
{
    UChar u[8];
    int32_t len = 0;
    UErrorCode e = U_ZERO_ERROR;
    U16_APPEND_UNSAFE(u, len, c);
    int32_t lim = len;
    utrans_transUChars(t, u, &len, (int32_t)(sizeof u / sizeof u[0]), 0, &lim, &e);
    if (U_FAILURE(e) || len < 1)
        return c;
    UChar32 r;
    int32_t k = 0;
    U16_NEXT(u, k, len, r);
    return k == len ? (uint32_t)r : c; /* one character for one: else no suggestion */
}

/* Worst case growth of a transformed block (a character may become a few). */
#define GROWTH 4

static pb_status check_block(UTransliterator *t, const pb_block *b, pb_queries *q)
{
    size_t cap = b->len * 2 * GROWTH + 8;
    UChar *in = malloc(b->len * 2 * sizeof *in + 2), *out = malloc(cap * sizeof *out);
    size_t *at = malloc((b->len * 2 + 1) * sizeof *at); /* UTF-16 unit -> code point index */
    if (!in || !out || !at) {
        free(in);
        free(out);
        free(at);
        return PB_ESYSTEM;
    }
    int32_t n = 0;
    for (size_t i = 0; i < b->len; i++) {
        int32_t before = n;
        U16_APPEND_UNSAFE(in, n, b->text[i]);
        for (int32_t k = before; k < n; k++)
            at[k] = i;
    }
    memcpy(out, in, (size_t)n * sizeof *out);
    int32_t len = n, lim = n;
    UErrorCode e = U_ZERO_ERROR;
    utrans_transUChars(t, out, &len, (int32_t)cap, 0, &lim, &e); /* in context: 合并 -> 合併 */
    pb_status st = PB_OK;
    if (U_SUCCESS(e) && len == n) {
        for (int32_t k = 0; k < n && st == PB_OK; k++) {
            if (out[k] == in[k] || U16_IS_TRAIL(in[k]))
                continue;
            UChar32 a, c;
            int32_t ka = k, kc = k;
            U16_NEXT(in, ka, n, a);
            U16_NEXT(out, kc, len, c);
            size_t i = at[k];
            if (!pb_uchar_is_han((uint32_t)a) || !pb_uchar_is_han((uint32_t)c))
                continue; /* punctuation (“” for 「」) is a house style, not a variant */
            if (!push(q, b->line, (int)b->col[i], (uint32_t)a, (uint32_t)c))
                st = PB_ESYSTEM;
        }
    } else { /* lengths changed: each Han character on its own */
        for (size_t i = 0; i < b->len && st == PB_OK; i++) {
            if (!pb_uchar_is_han(b->text[i]))
                continue;
            uint32_t c = one(t, b->text[i]);
            if (c != b->text[i] && !push(q, b->line, (int)b->col[i], b->text[i], c))
                st = PB_ESYSTEM;
        }
    }
    free(in);
    free(out);
    free(at);
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

static pb_status check_l_for_i(const pb_doc *doc, pb_queries *q)
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
                if (caps && has_word(doc, t, n) &&
                    !push_text(q, PB_QUERY_L_FOR_I, blk->line, (int)blk->col[i], blk->text + i, n,
                               t, n))
                    return PB_ESYSTEM;
            }
            i = j;
        }
    }
    return PB_OK;
}

pb_status pb_query_find(const pb_doc *doc, const char *lang_zh, pb_queries *out)
{
    memset(out, 0, sizeof *out);
    if (check_l_for_i(doc, out) != PB_OK) {
        pb_query_free(out);
        return PB_ESYSTEM;
    }
    const char *v = variant_of(lang_zh);
    if (!v)
        return PB_OK; /* not a variant we can tell: no Han text checked */
    /* ICU transform ids: Simplified to Traditional finds the Simplified forms, and back */
    const char *id = strcmp(v, "Hant") == 0 ? "Hans-Hant" : "Hant-Hans";
    UChar uid[16];
    u_uastrcpy(uid, id);
    UErrorCode e = U_ZERO_ERROR;
    UTransliterator *t = utrans_openU(uid, -1, UTRANS_FORWARD, NULL, 0, NULL, &e);
    if (U_FAILURE(e))
        return PB_OK; /* ICU without the transform data: the report says nothing was checked */
    pb_status st = PB_OK;
    for (size_t i = 0; i < doc->n_blocks && st == PB_OK; i++)
        if (doc->blocks[i].lang == PB_LANG_ZH)
            st = check_block(t, &doc->blocks[i], out);
    /* in text order: by line, then column */
    for (size_t i = 1; i < out->n; i++)
        for (size_t k = i; k > 0 && (out->v[k].line < out->v[k - 1].line ||
                                     (out->v[k].line == out->v[k - 1].line &&
                                      out->v[k].col < out->v[k - 1].col)); k--) {
            pb_query tmp = out->v[k];
            out->v[k] = out->v[k - 1];
            out->v[k - 1] = tmp;
        }
    utrans_close(t);
    out->checked = st == PB_OK;
    memcpy(out->variant, v, strlen(v) + 1);
    if (st != PB_OK)
        pb_query_free(out);
    return st;
}

void pb_query_free(pb_queries *q)
{
    free(q->v);
    memset(q, 0, sizeof *q);
}
