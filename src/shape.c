/* shape: HarfBuzz shaping with language zh-Hant / en so TC locl forms, ligatures and kerning
 * apply. Positions are in font units (each hb_font's scale is its upem).
 *
 * Latin text is shaped a word at a time through a cache of shaped words, as browsers do
 * (Chromium's ShapeCache, Gecko's word cache): HarfBuzz spends about 2 000 instructions on a
 * character of Noto Serif (its kerning and ligature lookups), a cache hit some 50, and a
 * text's words repeat (Zipf). A word is cut off at a space only where the space and its
 * neighbour are plain characters (cut_at), so that no glyph, cluster or position can depend
 * on the cut: the fonts' lookups never name the space glyph, and no mark, joiner or other
 * default ignorable is parted from what it belongs to. tests/unit/test_shape.c shapes every
 * corpus both ways and compares. */
#include "shape.h"
#include "util.h"

#define SHAPE_GLYPHS_FIRST 256 /* glyphs a run has room for before it grows */

#include <hb.h>
#include <stdlib.h>
#include <string.h>

/* The word cache: an open-addressed table of words, their code points and glyphs in two
 * arenas. Words longer than WORD_MAX are shaped and not kept; when WORDS_MAX words are kept
 * the cache starts again (a document's vocabulary rarely gets there: the initiative has 303
 * distinct English words, a novel some 10 000). */
#define WORD_MAX 48
#define WORDS_MAX 8192
#define SLOTS_FIRST 512 /* slots at first; twice the words kept at most */
#define SCRIPT_LATN 0x4C61746Eu /* 'Latn': the runs cut into words */

typedef struct {
    uint64_t hash;          /* 0: an empty slot */
    const pb_font *font;
    uint32_t script;
    uint32_t lang;
    uint32_t text_at, len;  /* code points in word_cache.text */
    uint32_t glyph_at, n;   /* glyphs in word_cache.glyphs, clusters from the word's start */
} word_entry;

typedef struct {
    word_entry *slot;
    size_t n_slots, n_words;
    uint32_t *text;
    size_t n_text, cap_text;
    pb_glyph *glyphs;
    size_t n_glyphs, cap_glyphs;
    int off;                /* pb_shape_set_word_cache(sh, 0): every run shaped whole */
} word_cache;

struct pb_shaper {
    hb_buffer_t *buf;
    hb_language_t lang[2];
    word_cache words;
};

pb_status pb_shape_new(const char *lang_zh, const char *lang_en, pb_shaper **out)
{
    pb_shaper *sh = calloc(1, sizeof *sh);
    if (!sh)
        return pb_diag_oom("starting the shaper");
    sh->buf = hb_buffer_create();
    if (!hb_buffer_allocation_successful(sh->buf)) {
        hb_buffer_destroy(sh->buf);
        free(sh);
        return pb_diag_oom("starting the shaper");
    }
    sh->lang[PB_LANG_ZH] = hb_language_from_string(lang_zh, -1);
    sh->lang[PB_LANG_EN] = hb_language_from_string(lang_en, -1);
    *out = sh;
    return PB_OK;
}

static void forget_words(word_cache *wc)
{
    free(wc->slot);
    free(wc->text);
    free(wc->glyphs);
    int off = wc->off;
    memset(wc, 0, sizeof *wc);
    wc->off = off;
}

void pb_shape_free(pb_shaper *sh)
{
    if (!sh)
        return;
    hb_buffer_destroy(sh->buf);
    forget_words(&sh->words);
    free(sh);
}

void pb_shape_set_word_cache(pb_shaper *sh, int on)
{
    forget_words(&sh->words);
    sh->words.off = !on;
}

void pb_shape_free_glyphs(pb_glyphs *g)
{
    free(g->g);
    memset(g, 0, sizeof *g);
}

/* text[from, to) shaped as one buffer, its glyphs appended to out (the whole text is context,
 * so shaping at the edges sees the neighbours). */
static pb_status shape_range(pb_shaper *sh, const uint32_t *text, size_t len, const pb_run *run,
                             size_t from, size_t to, pb_glyphs *out)
{
    hb_buffer_clear_contents(sh->buf);
    hb_buffer_add_utf32(sh->buf, text, (int)len, (unsigned)from, (int)(to - from));
    hb_buffer_set_direction(sh->buf, HB_DIRECTION_LTR);
    hb_buffer_set_script(sh->buf, hb_script_from_iso15924_tag(run->script));
    hb_buffer_set_language(sh->buf, sh->lang[run->lang]);
    hb_buffer_set_cluster_level(sh->buf, HB_BUFFER_CLUSTER_LEVEL_MONOTONE_CHARACTERS);
    /* default ignorables (U+00AD, U+200B, U+2060, joiners, variation selectors) draw
     * nothing: without this flag HarfBuzz draws them with the space glyph at zero width,
     * and their code points would land on that glyph; removed, they join the cluster of
     * the glyph before them (UAX #44 Default_Ignorable_Code_Point; nodes.c reads them) */
    hb_buffer_set_flags(sh->buf, HB_BUFFER_FLAG_REMOVE_DEFAULT_IGNORABLES);
    hb_shape(pb_font_get_hb(run->font), sh->buf, NULL, 0);
    if (!hb_buffer_allocation_successful(sh->buf))
        return pb_diag_oom("shaping text");
    unsigned n;
    hb_glyph_info_t *info = hb_buffer_get_glyph_infos(sh->buf, &n);
    hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(sh->buf, &n);
    if (pb_util_grow(&out->g, &out->cap, out->n + n, sizeof *out->g, SHAPE_GLYPHS_FIRST))
        return pb_diag_oom("shaping text");
    for (unsigned i = 0; i < n; i++)
        out->g[out->n++] = (pb_glyph){run->font, info[i].codepoint, info[i].cluster,
                                      pos[i].x_advance, pos[i].x_offset, pos[i].y_offset};
    return PB_OK;
}

/* ---- words -------------------------------------------------------------------------------- */

/* A character a word may be cut beside: a letter, digit or mark of punctuation of Latin-1 and
 * Latin Extended-A/B, or General Punctuation's dashes, quotes and dots (U+2010-2027, U+2030-
 * 205E); not U+00AD SOFT HYPHEN, nor anything from the combining marks (U+0300) on: no mark,
 * joiner, variation selector, emoji modifier or other default ignorable, which HarfBuzz joins
 * to the cluster of the character before it. */
#define PLAIN_END 0x0300u
#define CP_SHY 0x00ADu
static int plain(uint32_t c)
{
    return (c >= ' ' && c < PLAIN_END && c != CP_SHY) || (c >= 0x2010 && c <= 0x2027) ||
           (c >= 0x2030 && c <= 0x205E);
}

/* Words are cut before and after each space, where both characters beside the cut are plain. */
static int cut_at(const uint32_t *text, size_t i)
{
    return (text[i] == ' ' || text[i - 1] == ' ') && plain(text[i]) && plain(text[i - 1]);
}

/* The end of the word that starts at i (before end). */
static size_t word_end(const uint32_t *text, size_t i, size_t end)
{
    size_t j = i + 1;
    while (j < end && !cut_at(text, j))
        j++;
    return j;
}

/* A word's hash: its code points (whole, not byte by byte) multiplied in after the font and
 * language, then the high bits folded into the low ones the slots take. */
#define HASH_MUL 0x9E3779B97F4A7C15u /* 2^64 / the golden ratio (Knuth, TAOCP 6.4) */
static uint64_t word_hash(const pb_run *run, const uint32_t *w, size_t n)
{
    uint64_t h = ((uint64_t)(uintptr_t)run->font ^ (uint64_t)run->lang) * HASH_MUL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ w[i]) * HASH_MUL;
    return (h ^ h >> 32) | 1; /* 0 marks an empty slot */
}

/* The slot of the word (its entry, or the empty slot where it goes). */
static word_entry *find_slot(word_cache *wc, const pb_run *run, const uint32_t *w, size_t n,
                             uint64_t h)
{
    size_t mask = wc->n_slots - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        word_entry *e = &wc->slot[i];
        if (!e->hash || (e->hash == h && e->font == run->font && e->script == run->script &&
                         e->lang == (uint32_t)run->lang && e->len == n &&
                         memcmp(wc->text + e->text_at, w, n * sizeof *w) == 0))
            return e;
    }
}

static word_entry *lookup(word_cache *wc, const pb_run *run, const uint32_t *w, size_t n)
{
    if (!wc->n_slots || n > WORD_MAX)
        return NULL;
    word_entry *e = find_slot(wc, run, w, n, word_hash(run, w, n));
    return e->hash ? e : NULL;
}

/* Keep the word w[0, n) and its glyphs g[0, ng) (clusters from base); out of memory keeps
 * nothing (the cache is only a saving). */
static void keep(word_cache *wc, const pb_run *run, const uint32_t *w, size_t n, const pb_glyph *g,
                 size_t ng, size_t base)
{
    if (n > WORD_MAX)
        return;
    if (wc->n_words >= WORDS_MAX) /* full: start again */
        forget_words(wc);
    if (2 * (wc->n_words + 1) > wc->n_slots) { /* at most half full: twice the slots */
        size_t ns = wc->n_slots ? 2 * wc->n_slots : SLOTS_FIRST;
        word_entry *old = wc->slot, *slot = calloc(ns, sizeof *slot);
        if (!slot)
            return;
        size_t n_old = wc->n_slots;
        wc->slot = slot;
        wc->n_slots = ns;
        for (size_t i = 0; i < n_old; i++)
            if (old[i].hash) {
                size_t k = (size_t)old[i].hash & (ns - 1);
                while (slot[k].hash)
                    k = (k + 1) & (ns - 1);
                slot[k] = old[i];
            }
        free(old);
    }
    if (pb_util_grow(&wc->text, &wc->cap_text, wc->n_text + n, sizeof *wc->text, 0) ||
        pb_util_grow(&wc->glyphs, &wc->cap_glyphs, wc->n_glyphs + ng, sizeof *wc->glyphs, 0))
        return;
    uint64_t h = word_hash(run, w, n);
    word_entry *e = find_slot(wc, run, w, n, h);
    *e = (word_entry){h, run->font, run->script, (uint32_t)run->lang, (uint32_t)wc->n_text,
                      (uint32_t)n, (uint32_t)wc->n_glyphs, (uint32_t)ng};
    memcpy(wc->text + wc->n_text, w, n * sizeof *w);
    wc->n_text += n;
    for (size_t k = 0; k < ng; k++) {
        wc->glyphs[wc->n_glyphs] = g[k];
        wc->glyphs[wc->n_glyphs++].cluster -= (uint32_t)base;
    }
    wc->n_words++;
}

/* text[from, to), words not in the cache, shaped as one buffer; each word kept. */
static pb_status shape_missed(pb_shaper *sh, const uint32_t *text, size_t len, const pb_run *run,
                              size_t from, size_t to, pb_glyphs *out)
{
    size_t g = out->n;
    pb_status st = shape_range(sh, text, len, run, from, to, out);
    for (size_t i = from; st == PB_OK && i < to;) {
        size_t j = word_end(text, i, to), g1 = g;
        while (g1 < out->n && out->g[g1].cluster < j)
            g1++;
        /* a word's glyphs start at its first character (a plain one: never removed) */
        if (g1 > g && out->g[g].cluster == i)
            keep(&sh->words, run, text + i, j - i, out->g + g, g1 - g, i);
        g = g1;
        i = j;
    }
    return st;
}

/* A Latin run, word by word: the cache's words copied, the others shaped together. */
static pb_status shape_words(pb_shaper *sh, const uint32_t *text, size_t len, const pb_run *run,
                             pb_glyphs *out)
{
    word_cache *wc = &sh->words;
    size_t end = run->start + run->len, missed = SIZE_MAX;
    for (size_t i = run->start; i < end;) {
        size_t j = word_end(text, i, end);
        word_entry *e = lookup(wc, run, text + i, j - i);
        if (!e) {
            if (missed == SIZE_MAX)
                missed = i;
            i = j;
            continue;
        }
        if (missed != SIZE_MAX) { /* shape what was missed first (it may start the cache again) */
            pb_status st = shape_missed(sh, text, len, run, missed, i, out);
            missed = SIZE_MAX;
            if (st != PB_OK)
                return st;
            continue; /* and look again */
        }
        if (pb_util_grow(&out->g, &out->cap, out->n + e->n, sizeof *out->g, SHAPE_GLYPHS_FIRST))
            return pb_diag_oom("shaping text");
        for (size_t k = 0; k < e->n; k++) {
            out->g[out->n] = wc->glyphs[e->glyph_at + k];
            out->g[out->n].font = run->font;
            out->g[out->n++].cluster += (uint32_t)i;
        }
        i = j;
    }
    return missed == SIZE_MAX ? PB_OK : shape_missed(sh, text, len, run, missed, end, out);
}

pb_status pb_shape_runs(pb_shaper *sh, const uint32_t *text, size_t len, const pb_runs *runs,
                        pb_glyphs *out)
{
    out->n = 0;
    for (size_t r = 0; r < runs->n; r++) {
        const pb_run *run = &runs->runs[r];
        pb_status st = run->script == SCRIPT_LATN && !sh->words.off &&
                               pb_font_space_stands_apart(run->font, sh->lang[run->lang])
                           ? shape_words(sh, text, len, run, out)
                           : shape_range(sh, text, len, run, run->start, run->start + run->len, out);
        if (st != PB_OK)
            return st;
    }
    return PB_OK;
}
