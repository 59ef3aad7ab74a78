/* usage: per file glyph usage and each glyph's ToUnicode text, decided from all its uses.
 * A glyph's ToUnicode is a property of the glyph, not of its first use: an invisible character
 * HarfBuzz drew with the space glyph, or a second code point sharing a glyph, must not change
 * what every other use of that glyph extracts as. Where a cluster's text is not what its
 * glyphs map to, the PDF writer wraps it in ActualText (ISO 32000-1 §14.9.4). */
#include "usage.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#include "uchar.h"

/* Longest text one glyph stands for in ToUnicode (a ligature of a few letters); a longer
 * cluster is cut here, and the ActualText of its cluster says the rest. */
#define GLYPH_TEXT_MAX 16
#define POOL_INITIAL_CAP 1024

enum {
    USED = 1,     /* drawn in this file */
    ALONE = 2,    /* the text slot holds what it was drawn for alone (a cluster of one glyph) */
    CONFLICT = 4, /* drawn alone for two different texts */
};

typedef struct {
    const pb_font *font;
    unsigned num_glyphs;
    uint8_t *state;       /* per glyph id: USED | ALONE | CONFLICT */
    uint32_t *text;       /* per glyph id: offset + 1 of its [len, cp...] record in pool; 0 none */
    uint32_t *gids;       /* drawn glyphs: in the order first drawn, then ascending
                           * (pb_usage_finish; a font's glyph ids are not scanned: a CJK
                           * face has 65 535) */
    size_t n_gids, cap_gids;
} font_usage;

struct pb_usage {
    font_usage *f;
    size_t n;
    uint32_t *pool;
    size_t pool_len, pool_cap;
    int finished;
    size_t last; /* the font pb_usage_add was last given (a page draws runs of one font) */
};

pb_status pb_usage_new(const pb_fontset *set, pb_usage **out)
{
    *out = NULL;
    pb_usage *u = calloc(1, sizeof *u);
    size_t n = pb_fonts_count(set);
    if (!u || !(u->f = calloc(n ? n : 1, sizeof *u->f))) {
        free(u);
        pb_diag_oom("recording the glyphs drawn");
        return PB_ESYSTEM;
    }
    u->n = n;
    for (size_t i = 0; i < n; i++) {
        pb_font_info info;
        u->f[i].font = pb_fonts_at(set, i);
        pb_font_get_info(u->f[i].font, &info);
        u->f[i].num_glyphs = info.num_glyphs;
    }
    *out = u;
    return PB_OK;
}

void pb_usage_free(pb_usage *u)
{
    if (!u)
        return;
    for (size_t i = 0; i < u->n; i++) {
        free(u->f[i].state);
        free(u->f[i].text);
        free(u->f[i].gids);
    }
    free(u->f);
    free(u->pool);
    free(u);
}

static font_usage *find(const pb_usage *u, const pb_font *font)
{
    for (size_t i = 0; i < u->n; i++)
        if (u->f[i].font == font)
            return &u->f[i];
    return NULL;
}

/* Store [n, t...] in the pool; returns its offset + 1, 0 when out of memory. */
static uint32_t store(pb_usage *u, const uint32_t *t, size_t n)
{
    /* the pool is indexed by uint32_t */
    if (u->pool_len + n + 1 >= UINT32_MAX ||
        pb_util_grow(&u->pool, &u->pool_cap, u->pool_len + n + 1, sizeof *u->pool, POOL_INITIAL_CAP))
        return 0;
    uint32_t at = (uint32_t)u->pool_len + 1;
    u->pool[u->pool_len++] = (uint32_t)n;
    memcpy(u->pool + u->pool_len, t, n * sizeof *t);
    u->pool_len += n;
    return at;
}

static int same_text(const pb_usage *u, uint32_t at, const uint32_t *t, size_t n)
{
    const uint32_t *rec = u->pool + at - 1;
    if (rec[0] != n)
        return 0;
    for (size_t i = 0; i < n; i++) /* a glyph's text is a code point or a few */
        if (rec[1 + i] != t[i])
            return 0;
    return 1;
}

pb_status pb_usage_add(pb_usage *u, const pb_font *font, uint32_t gid, const uint32_t *text,
                       size_t n, int alone)
{
    font_usage *f = u->last < u->n && u->f[u->last].font == font ? &u->f[u->last] : find(u, font);
    if (!f)
        return PB_EUSAGE;
    u->last = (size_t)(f - u->f);
    if (gid >= f->num_glyphs)
        return PB_EINPUT;
    if (!f->state) {
        size_t g = f->num_glyphs ? f->num_glyphs : 1;
        f->state = calloc(g, sizeof *f->state);
        f->text = calloc(g, sizeof *f->text);
        if (!f->state || !f->text)
            goto oom;
    }
    if (!(f->state[gid] & USED)) {
        if (pb_util_grow(&f->gids, &f->cap_gids, f->n_gids + 1, sizeof *f->gids, 0))
            goto oom;
        f->gids[f->n_gids++] = gid;
    }
    f->state[gid] |= USED;
    uint32_t t[GLYPH_TEXT_MAX];
    size_t k = 0;
    for (size_t i = 0; i < n && k < GLYPH_TEXT_MAX; i++)
        if (!pb_uchar_is_default_ignorable(text[i]))
            t[k++] = text[i];
    if (k == 0)
        return PB_OK; /* nothing visible: says nothing about the glyph */
    if (alone && (f->state[gid] & ALONE)) {
        if (!same_text(u, f->text[gid], t, k))
            f->state[gid] |= CONFLICT;
    } else if (alone || !f->text[gid]) {
        /* the first text drawn alone replaces a last-resort text */
        if (!(f->text[gid] = store(u, t, k)))
            goto oom;
        if (alone)
            f->state[gid] |= ALONE;
    }
    return PB_OK;
oom:
    pb_diag_oom("recording the glyphs drawn");
    return PB_ESYSTEM;
}

static int by_gid(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

pb_status pb_usage_finish(pb_usage *u)
{
    for (size_t i = 0; i < u->n; i++) {
        font_usage *f = &u->f[i];
        if (!f->state)
            continue;
        qsort(f->gids, f->n_gids, sizeof *f->gids, by_gid);
        size_t ask = 0;
        for (size_t k = 0; k < f->n_gids; k++)
            ask += (f->state[f->gids[k]] & (ALONE | CONFLICT)) != ALONE;
        uint32_t *asked = malloc((ask ? ask : 1) * sizeof *asked);
        uint32_t *cps = malloc((ask ? ask : 1) * sizeof *cps);
        if (!asked || !cps) {
            free(asked);
            free(cps);
            pb_diag_oom("recording the glyphs drawn");
            return PB_ESYSTEM;
        }
        size_t m = 0;
        for (size_t k = 0; k < f->n_gids; k++)
            if ((f->state[f->gids[k]] & (ALONE | CONFLICT)) != ALONE)
                asked[m++] = f->gids[k];
        /* drawn for different texts, or never alone: what the font's cmap says it is */
        pb_font_cmap_reverse(f->font, asked, m, cps);
        pb_status st = PB_OK;
        for (size_t k = 0; k < m && st == PB_OK; k++)
            if (cps[k] && !(f->text[asked[k]] = store(u, &cps[k], 1)))
                st = PB_ESYSTEM;
        free(asked);
        free(cps);
        if (st != PB_OK) {
            pb_diag_oom("recording the glyphs drawn");
            return st;
        }
    }
    u->finished = 1;
    return PB_OK;
}

size_t pb_usage_glyphs(const pb_usage *u, const pb_font *font, const uint32_t **gids)
{
    const font_usage *f = find(u, font);
    *gids = f && u->finished ? f->gids : NULL;
    return f && u->finished ? f->n_gids : 0;
}

size_t pb_usage_text(const pb_usage *u, const pb_font *font, uint32_t gid, const uint32_t **text)
{
    const font_usage *f = find(u, font);
    *text = NULL;
    if (!f || !u->finished || !f->text || gid >= f->num_glyphs || !f->text[gid])
        return 0;
    const uint32_t *rec = u->pool + f->text[gid] - 1;
    *text = rec + 1;
    return rec[0];
}
