/* hyphenate: libhyphen's patterns for the document's words (read ahead on another thread) and,
 * for any other word, all of them (read when first needed). */
#include "hyphenate.h"
#include "util.h"

#include <hyphen.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parallel.h"
#include "uchar.h"

#define PATH_CAP 1024
/* Longest word collected (letters); nodes.c hyphenates none longer (its HYPH_WORD_MAX). */
#define WORD_MAX 64
/* Largest pattern file read for filtering (Debian's English one is 90 KB). */
#define PATTERN_FILE_MAX (16u << 20)

/* The document's patterns: made by the preload, read by every breaker. */
static struct {
    char path[PATH_CAP];
    char **words;          /* the document's distinct words, sorted (strcmp) */
    size_t n_words;
    HyphenDict *dict;      /* the patterns that occur in those words; NULL: unreadable */
    pb_background *loading;
    int active;            /* a preload was made for path */
} g_doc;

/* Every pattern, for a word the preload did not see (or when there was no preload). */
static pthread_mutex_t g_full_lock = PTHREAD_MUTEX_INITIALIZER;
static HyphenDict *g_full;
static char g_full_path[PATH_CAP];
static int g_full_failed;  /* the file at g_full_path could not be read */

static HyphenDict *full_dict(const char *path)
{
    pthread_mutex_lock(&g_full_lock);
    if (strcmp(g_full_path, path) != 0) {
        if (g_full)
            hnj_hyphen_free(g_full);
        g_full = NULL;
        g_full_failed = 0;
        snprintf(g_full_path, sizeof g_full_path, "%s", path);
    }
    if (!g_full && !g_full_failed) {
        g_full = hnj_hyphen_load(path);
        g_full_failed = g_full == NULL;
    }
    HyphenDict *d = g_full;
    pthread_mutex_unlock(&g_full_lock);
    return d;
}

/* ---- the filter: which patterns can match some word ------------------------------------- */

static uint64_t fnv1a(const char *s, size_t n)
{
    return pb_util_hash(PB_UTIL_HASH_INIT, s, n) | 1; /* 0 marks an empty slot */
}

/* Hashes of every substring (up to max_len bytes) of ".word." for every word: open
 * addressing. A collision only keeps a pattern that is not needed. */
typedef struct {
    uint64_t *slot;
    size_t mask;
} hash_set;

static void set_add(hash_set *s, uint64_t h)
{
    size_t i = (size_t)h & s->mask;
    while (s->slot[i] && s->slot[i] != h)
        i = (i + 1) & s->mask;
    s->slot[i] = h;
}

static int set_has(const hash_set *s, uint64_t h)
{
    size_t i = (size_t)h & s->mask;
    while (s->slot[i]) {
        if (s->slot[i] == h)
            return 1;
        i = (i + 1) & s->mask;
    }
    return 0;
}

static int build_set(hash_set *s, size_t max_len)
{
    size_t count = 0;
    for (size_t w = 0; w < g_doc.n_words; w++) {
        size_t l = strlen(g_doc.words[w]) + 2;
        count += l * (l < max_len ? l : max_len);
    }
    size_t cap = 16;
    while (cap < 2 * count)
        cap *= 2;
    s->slot = calloc(cap, sizeof *s->slot);
    s->mask = cap - 1;
    if (!s->slot)
        return 0;
    char buf[WORD_MAX + 3];
    for (size_t w = 0; w < g_doc.n_words; w++) {
        size_t l = (size_t)snprintf(buf, sizeof buf, ".%s.", g_doc.words[w]);
        for (size_t i = 0; i < l; i++)
            for (size_t k = 1; k <= max_len && i + k <= l; k++)
                set_add(s, fnv1a(buf + i, k));
    }
    return 1;
}

/* The letters of a pattern line (digits dropped; a non-standard pattern's part before '/'). */
static size_t pattern_letters(const char *line, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n && line[i] != '/' && k < cap; i++)
        if (!(line[i] >= '0' && line[i] <= '9') && line[i] != '\r')
            out[k++] = line[i];
    return k;
}

/* The pattern file with only the patterns that occur in some word; the first line (the
 * character set), keyword lines (LEFTHYPHENMIN, NEXTLEVEL ...) and comments stay. */
static char *filtered_patterns(const char *text, size_t len, size_t *out_len)
{
    size_t max_len = 0;
    for (size_t i = 0; i < len;) {
        size_t e = i;
        while (e < len && text[e] != '\n')
            e++;
        char letters[256];
        size_t k = pattern_letters(text + i, e - i, letters, sizeof letters);
        if (k > max_len)
            max_len = k;
        i = e + 1;
    }
    hash_set set;
    char *out = malloc(len + 1);
    if (!out || !build_set(&set, max_len)) {
        free(out);
        return NULL;
    }
    size_t o = 0;
    for (size_t i = 0, line = 0; i < len; line++) {
        size_t e = i;
        while (e < len && text[e] != '\n')
            e++;
        char letters[256];
        size_t k = pattern_letters(text + i, e - i, letters, sizeof letters);
        int keep = line == 0 || k == 0 || (text[i] >= 'A' && text[i] <= 'Z') || text[i] == '%' ||
                   set_has(&set, fnv1a(letters, k));
        if (keep) {
            memcpy(out + o, text + i, e - i);
            o += e - i;
            out[o++] = '\n';
        }
        i = e + 1;
    }
    free(set.slot);
    *out_len = o;
    return out;
}

static void load_doc_patterns(void *ctx)
{
    (void)ctx;
    FILE *f = fopen(g_doc.path, "rb");
    char *text = f ? malloc(PATTERN_FILE_MAX) : NULL;
    size_t len = text ? fread(text, 1, PATTERN_FILE_MAX, f) : 0;
    int whole = f && !ferror(f) && feof(f);
    if (f)
        fclose(f);
    size_t flen = 0;
    char *filtered = whole && len ? filtered_patterns(text, len, &flen) : NULL;
    free(text);
    FILE *m = filtered ? fmemopen(filtered, flen, "r") : NULL;
    if (m) {
        g_doc.dict = hnj_hyphen_load_file(m);
        fclose(m);
    }
    free(filtered);
}

/* ---- the document's words --------------------------------------------------------------- */

static int by_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}


/* The distinct lower-case ASCII words of the texts into g_doc.words; 0 if out of memory. */
static int collect_words(const uint32_t *const *texts, const size_t *lens, size_t n)
{
    size_t cap = 0;
    for (size_t t = 0; t < n; t++)
        for (size_t i = 0; i < lens[t]; i++)
            cap += pb_uchar_is_ascii_letter(texts[t][i]) && (i == 0 || !pb_uchar_is_ascii_letter(texts[t][i - 1]));
    g_doc.words = malloc((cap ? cap : 1) * sizeof *g_doc.words);
    if (!g_doc.words)
        return 0;
    for (size_t t = 0; t < n; t++) {
        size_t i = 0;
        while (i < lens[t]) {
            if (!pb_uchar_is_ascii_letter(texts[t][i])) {
                i++;
                continue;
            }
            size_t j = i;
            while (j < lens[t] && pb_uchar_is_ascii_letter(texts[t][j]))
                j++;
            if (j - i <= WORD_MAX) {
                char *w = malloc(j - i + 1);
                if (!w)
                    return 0;
                for (size_t k = i; k < j; k++)
                    w[k - i] = (char)(texts[t][k] | 0x20);
                w[j - i] = 0;
                g_doc.words[g_doc.n_words++] = w;
            }
            i = j;
        }
    }
    qsort(g_doc.words, g_doc.n_words, sizeof *g_doc.words, by_text);
    size_t u = 0;
    for (size_t i = 0; i < g_doc.n_words; i++) {
        if (u && strcmp(g_doc.words[u - 1], g_doc.words[i]) == 0)
            free(g_doc.words[i]);
        else
            g_doc.words[u++] = g_doc.words[i];
    }
    g_doc.n_words = u;
    return 1;
}

static void wait_preload(void)
{
    pb_background_free(g_doc.loading);
    g_doc.loading = NULL;
}

static void drop_doc(void)
{
    wait_preload();
    if (g_doc.dict)
        hnj_hyphen_free(g_doc.dict);
    for (size_t i = 0; i < g_doc.n_words; i++)
        free(g_doc.words[i]);
    free(g_doc.words);
    memset(&g_doc, 0, sizeof g_doc);
}

void pb_hyphenate_preload(const char *path, const uint32_t *const *texts, const size_t *lens,
                          size_t n)
{
    drop_doc();
    if (strlen(path) >= sizeof g_doc.path)
        return;
    if (!collect_words(texts, lens, n)) {
        drop_doc(); /* no preload: every word takes all the patterns */
        return;
    }
    snprintf(g_doc.path, sizeof g_doc.path, "%s", path);
    g_doc.active = 1;
    g_doc.loading = pb_background_new(load_doc_patterns, NULL); /* NULL: it ran here */
}

int pb_hyphenate_ready(const char *path)
{
    wait_preload();
    if (g_doc.active && g_doc.dict && strcmp(g_doc.path, path) == 0)
        return 1;
    return full_dict(path) != NULL;
}

static int has_word(const char *word)
{
    return bsearch(&word, g_doc.words, g_doc.n_words, sizeof *g_doc.words, by_text) != NULL;
}

int pb_hyphenate_word(const char *path, const char *word, size_t n, int left, int right,
                      uint8_t *points)
{
    if (n == 0 || n > WORD_MAX)
        return 0;
    char w[WORD_MAX + 1], hy[WORD_MAX + 5], hw[3 * WORD_MAX + 1];
    memcpy(w, word, n);
    w[n] = 0;
    HyphenDict *d = g_doc.active && g_doc.dict && strcmp(g_doc.path, path) == 0 && has_word(w)
                        ? g_doc.dict
                        : full_dict(path);
    if (!d)
        return 0;
    char **rep = NULL;
    int *pos = NULL, *cut = NULL;
    int ok = hnj_hyphen_hyphenate3(d, w, (int)n, hy, hw, &rep, &pos, &cut, left, right, left,
                                   right) == 0;
    for (size_t k = 0; k < n; k++)
        points[k] = ok && (hy[k] & 1);
    if (rep) {
        for (size_t k = 0; k < n; k++)
            free(rep[k]);
        free(rep);
    }
    free(pos);
    free(cut);
    return ok;
}

void pb_hyphenate_free_cache(void)
{
    drop_doc();
    pthread_mutex_lock(&g_full_lock);
    if (g_full)
        hnj_hyphen_free(g_full);
    g_full = NULL;
    g_full_path[0] = 0;
    g_full_failed = 0;
    pthread_mutex_unlock(&g_full_lock);
}
