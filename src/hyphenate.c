/* hyphenate: libhyphen's patterns for the document's words (read ahead on another thread,
 * or taken from the cache folder as an earlier run filtered them), each word's points kept
 * once found; for any other word, the patterns it can match (or, with no preload, all of them).
 *
 * The cache: one file per word list, FOLDER/hyph-HASH (fontcache.c's folder and names):
 *   paiban hyphenation cache 1
 *   K <key>
 *   L <bytes> <CRC-32 of the patterns, hex>
 *   the filtered patterns
 * The key says everything they depend on: this program file's identity (a rebuild may filter
 * otherwise), the pattern file's path and status (inode, size, mtime, ctime), the document's
 * distinct words in the order met. A pattern file changed within PB_FONTCACHE_RACY_NS of its
 * read is not kept (its status may not show the change). */
#include "hyphenate.h"
#include "util.h"

#include <fcntl.h>
#include <hyphen.h>
#include <libdeflate.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fontcache.h"
#include "parallel.h"
#include "uchar.h"

#define PATH_CAP 1024
/* Longest word collected (letters); nodes.c hyphenates none longer (its HYPH_WORD_MAX). */
#define WORD_MAX 64
/* Largest pattern file read for filtering (Debian's English one is 90 KB). */
#define PATTERN_FILE_MAX (16u << 20)
#define WORD_SLOTS_FIRST 1024 /* the word index's slots at first (at most half full) */
#define CACHE_MAGIC "paiban hyphenation cache 1"
#define CACHE_PREFIX "hyph-"
/* The bounds of the cache: entries beyond either go, the least recently used first (a
 * document's patterns are some 10 KB). */
#define CACHE_FILES_MAX 64
#define CACHE_BYTES_MAX (4u << 20)

/* A word's hyphenation points, found once and kept: a word is hyphenated each time a
 * paragraph that has it is composed (a leaflet's every trial size), and libhyphen spends some
 * 5 000 instructions on it. */
typedef struct {
    int left, right;       /* the limits they were found with */
    int ok;                /* pb_hyphenate_word's answer */
    uint8_t points[];      /* the word's length */
} known_points;

/* Distinct words, indexed by hash (open addressing). */
typedef struct {
    char **w;
    uint64_t *hash;        /* per word */
    size_t n, cap_w, cap_hash;
    uint32_t *slot;        /* word index + 1; 0: empty */
    size_t n_slots;
} word_set;

/* The document's patterns: made by the preload, read by every breaker. */
static struct {
    char path[PATH_CAP];
    word_set words;        /* the document's distinct lower-case words */
    _Atomic(known_points *) *known; /* per word: its points once found (NULL: not yet) */
    HyphenDict *dict;      /* the patterns that occur in those words; NULL: unreadable */
    char *patterns;        /* the pattern file, for other words */
    size_t patterns_len;
    pb_background *loading;
    int active;            /* a preload was made for path */
} g_doc;

/* Words the document did not have, each with its points (g_other_lock). */
typedef struct other_word {
    struct other_word *next;
    known_points *known;
    char w[];
} other_word;
static pthread_mutex_t g_other_lock = PTHREAD_MUTEX_INITIALIZER;
static other_word *g_other;

/* Every pattern, for a word when there was no preload. */
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

/* ---- word sets ---------------------------------------------------------------------------- */

static uint64_t word_hash(const char *w, size_t n) { return pb_util_hash(PB_UTIL_HASH_INIT, w, n); }

/* The index of w[0, n) (hash h) in s, or -1. */
static long word_find(const word_set *s, const char *w, size_t n, uint64_t h)
{
    if (!s->n_slots)
        return -1;
    size_t mask = s->n_slots - 1;
    for (size_t i = (size_t)h & mask; s->slot[i]; i = (i + 1) & mask) {
        size_t k = s->slot[i] - 1;
        if (s->hash[k] == h && strncmp(s->w[k], w, n) == 0 && s->w[k][n] == 0)
            return (long)k;
    }
    return -1;
}

static void word_index(word_set *s, size_t k)
{
    size_t mask = s->n_slots - 1, i = (size_t)s->hash[k] & mask;
    while (s->slot[i])
        i = (i + 1) & mask;
    s->slot[i] = (uint32_t)(k + 1);
}

/* Add w[0, n) to s unless it is there; 0 if out of memory. */
static int word_add(word_set *s, const char *w, size_t n)
{
    uint64_t h = word_hash(w, n);
    if (word_find(s, w, n, h) >= 0)
        return 1;
    if (2 * (s->n + 1) > s->n_slots) {
        size_t ns = s->n_slots ? 2 * s->n_slots : WORD_SLOTS_FIRST;
        uint32_t *slot = calloc(ns, sizeof *slot);
        if (!slot)
            return 0;
        free(s->slot);
        s->slot = slot;
        s->n_slots = ns;
        for (size_t k = 0; k < s->n; k++)
            word_index(s, k);
    }
    if (pb_util_grow(&s->w, &s->cap_w, s->n + 1, sizeof *s->w, 0) ||
        pb_util_grow(&s->hash, &s->cap_hash, s->n + 1, sizeof *s->hash, 0))
        return 0;
    char *copy = malloc(n + 1);
    if (!copy)
        return 0;
    memcpy(copy, w, n);
    copy[n] = 0;
    s->w[s->n] = copy;
    s->hash[s->n] = h;
    word_index(s, s->n++);
    return 1;
}

static void word_set_free(word_set *s)
{
    for (size_t k = 0; k < s->n; k++)
        free(s->w[k]);
    free(s->w);
    free(s->hash);
    free(s->slot);
    memset(s, 0, sizeof *s);
}

/* ---- the filter: which patterns can match some word ------------------------------------- */

/* The pattern lines' letter hashes (| 1: 0 marks an empty slot), open addressing, with a mark
 * for each hash some substring of some ".word." has. The table is sized by the patterns (about
 * 11 000 lines: 32 768 slots), not by the words' substrings, so that a run touches a few pages
 * of it instead of megabytes. A collision only keeps a pattern that is not needed. */
typedef struct {
    uint64_t *slot;
    uint8_t *hit;
    size_t mask;
} hash_table;

/* The slot of h: where it is, or the empty slot where it goes. */
static size_t slot_of(const hash_table *t, uint64_t h)
{
    size_t i = (size_t)h & t->mask;
    while (t->slot[i] && t->slot[i] != h)
        i = (i + 1) & t->mask;
    return i;
}

/* Mark every pattern hash that a substring (up to max_len bytes) of ".word." has. */
static void mark_words(hash_table *t, char *const *words, size_t n_words, size_t max_len)
{
    char buf[WORD_MAX + 3];
    for (size_t w = 0; w < n_words; w++) {
        size_t l = (size_t)snprintf(buf, sizeof buf, ".%s.", words[w]);
        for (size_t i = 0; i < l; i++) {
            /* the substrings from i, each hash the one before it a byte on */
            uint64_t h = PB_UTIL_HASH_INIT;
            for (size_t k = 1; k <= max_len && i + k <= l; k++) {
                h = pb_util_hash_byte(h, (unsigned char)buf[i + k - 1]);
                size_t at = slot_of(t, h | 1);
                if (t->slot[at])
                    t->hit[at] = 1;
            }
        }
    }
}

/* One line of the pattern file: where it is, and its letters' slot in the table (digits
 * dropped; a non-standard pattern's part before '/'), NO_LETTERS for a line without any. */
typedef struct {
    uint32_t at, len, slot;
} pattern_line;
#define NO_LETTERS UINT32_MAX

/* The pattern file with only the patterns that occur in some of the words; the first line
 * (the character set), keyword lines (LEFTHYPHENMIN, NEXTLEVEL ...) and comments stay. The
 * file is read once: each line's letters hashed as it goes. */
static char *filtered_patterns(const char *text, size_t len, char *const *words, size_t n_words,
                               size_t *out_len)
{
    size_t n_lines = 0;
    for (const char *p = text; p < text + len && (p = memchr(p, '\n', (size_t)(text + len - p)));
         p++)
        n_lines++;
    size_t cap = 16;
    while (cap < 2 * (n_lines + 1))
        cap *= 2;
    hash_table t = {calloc(cap, sizeof *t.slot), calloc(cap, 1), cap - 1};
    pattern_line *lines = malloc((n_lines + 1) * sizeof *lines);
    char *out = malloc(len + 1);
    if (!t.slot || !t.hit || !lines || !out || len >= NO_LETTERS) {
        free(t.slot);
        free(t.hit);
        free(lines);
        free(out);
        return NULL;
    }
    size_t max_len = 0, n = 0;
    for (size_t i = 0; i < len; n++) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - text) : len;
        uint64_t h = PB_UTIL_HASH_INIT;
        size_t k = 0;
        for (size_t q = i; q < e && text[q] != '/'; q++)
            if (!(text[q] >= '0' && text[q] <= '9') && text[q] != '\r') {
                h = pb_util_hash_byte(h, (unsigned char)text[q]);
                k++;
            }
        uint32_t at = NO_LETTERS;
        if (k) {
            at = (uint32_t)slot_of(&t, h | 1);
            t.slot[at] = h | 1;
        }
        lines[n] = (pattern_line){(uint32_t)i, (uint32_t)(e - i), at};
        if (k > max_len)
            max_len = k;
        i = e + 1;
    }
    mark_words(&t, words, n_words, max_len);
    size_t o = 0;
    for (size_t l = 0; l < n; l++) {
        const char *s = text + lines[l].at;
        int keep = l == 0 || lines[l].slot == NO_LETTERS || (s[0] >= 'A' && s[0] <= 'Z') ||
                   s[0] == '%' || t.hit[lines[l].slot];
        if (keep) {
            memcpy(out + o, s, lines[l].len);
            o += lines[l].len;
            out[o++] = '\n';
        }
    }
    free(t.slot);
    free(t.hit);
    free(lines);
    *out_len = o;
    return out;
}

/* libhyphen's dictionary of the patterns text[0..len); NULL if none can be made. */
static HyphenDict *dict_of(char *text, size_t len)
{
    FILE *m = text && len ? fmemopen(text, len, "r") : NULL;
    HyphenDict *d = NULL;
    if (m) {
        d = hnj_hyphen_load_file(m);
        fclose(m);
    }
    return d;
}

/* libhyphen's dictionary of the patterns that occur in the words; NULL if none can be made.
 * The filtered patterns are kept in *kept (NULL: not wanted). */
static HyphenDict *patterns_for(const char *text, size_t len, char *const *words, size_t n_words,
                                char **kept, size_t *kept_len)
{
    size_t flen = 0;
    char *filtered = len ? filtered_patterns(text, len, words, n_words, &flen) : NULL;
    HyphenDict *d = dict_of(filtered, flen);
    if (kept && d) {
        *kept = filtered;
        *kept_len = flen;
    } else {
        free(filtered);
    }
    return d;
}

/* ---- the cache of the document's patterns ---------------------------------------------- */

/* The cache key of the pattern file (status sb) for the document's words; NULL when it
 * cannot be made (no program file status, a newline in the path, no memory). */
static char *cache_key(const struct stat *sb)
{
    if (strchr(g_doc.path, '\n'))
        return NULL;
    char *text;
    size_t len;
    FILE *f = pb_fontcache_key_begin(&text, &len);
    if (!f)
        return NULL;
    fprintf(f, "; patterns %ju %jd %jd.%09ld %jd.%09ld %s; words", (uintmax_t)sb->st_ino,
            (intmax_t)sb->st_size, (intmax_t)sb->st_mtim.tv_sec, sb->st_mtim.tv_nsec,
            (intmax_t)sb->st_ctim.tv_sec, sb->st_ctim.tv_nsec, g_doc.path);
    for (size_t i = 0; i < g_doc.words.n; i++)
        fprintf(f, " %s", g_doc.words.w[i]);
    return pb_fontcache_key_end(f, &text);
}

/* The patterns kept for key (*len bytes), or NULL: missing, damaged, another key's. */
static char *cache_read(const char *key, size_t *len)
{
    char path[4200];
    size_t n = 0;
    char *buf = pb_fontcache_file(CACHE_PREFIX, key, path, sizeof path)
                    ? pb_fontcache_slurp(path, CACHE_BYTES_MAX, &n)
                    : NULL;
    if (!buf)
        return NULL;
    size_t klen = strlen(key), mlen = strlen(CACHE_MAGIC);
    size_t at = mlen + 3 + klen + 1; /* MAGIC \n K space key \n */
    char *nl = n > at ? memchr(buf + at, '\n', n - at) : NULL;
    unsigned long long body;
    unsigned long crc;
    int used = 0;
    if (!nl || memcmp(buf, CACHE_MAGIC "\nK ", mlen + 3) != 0 ||
        memcmp(buf + mlen + 3, key, klen) != 0 || buf[at - 1] != '\n' ||
        sscanf(buf + at, "L %llu %lx%n", &body, &crc, &used) != 2 || buf + at + used != nl ||
        body != n - (size_t)(nl + 1 - buf) || libdeflate_crc32(0, nl + 1, body) != crc) {
        free(buf);
        return NULL;
    }
    memmove(buf, nl + 1, body);
    *len = body;
    utimensat(AT_FDCWD, path, NULL, 0); /* used now: the newest */
    return buf;
}

static void cache_write(const char *key, const char *text, size_t len)
{
    char path[4200], head[64];
    if (!pb_fontcache_file(CACHE_PREFIX, key, path, sizeof path))
        return;
    int hn = snprintf(head, sizeof head, "\nL %zu %lx\n", len,
                      (unsigned long)libdeflate_crc32(0, text, len));
    const pb_fontcache_part parts[] = {{CACHE_MAGIC "\nK ", strlen(CACHE_MAGIC) + 3},
                                       {key, strlen(key)},
                                       {head, (size_t)hn},
                                       {text, len}};
    pb_fontcache_put(path, CACHE_PREFIX, CACHE_FILES_MAX, CACHE_BYTES_MAX, parts,
                     sizeof parts / sizeof *parts);
}

/* A status time in ns since the epoch. */
static int64_t ns_of(struct timespec t) { return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec; }

static void load_doc_patterns(void *ctx)
{
    (void)ctx;
    struct timespec now;
    struct stat sb;
    clock_gettime(CLOCK_REALTIME, &now);
    int fd = open(g_doc.path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    char *key = pb_fontcache_enabled() && fstat(fd, &sb) == 0 ? cache_key(&sb) : NULL;
    size_t flen = 0;
    char *filtered = key ? cache_read(key, &flen) : NULL;
    if (filtered) { /* the pattern file itself is read only for another word */
        g_doc.dict = dict_of(filtered, flen);
        free(filtered);
        if (g_doc.dict) {
            free(key);
            close(fd);
            return;
        }
    }
    FILE *f = fdopen(fd, "rb");
    char *text = f ? malloc(PATTERN_FILE_MAX) : NULL;
    size_t len = text ? fread(text, 1, PATTERN_FILE_MAX, f) : 0;
    int whole = f && !ferror(f) && feof(f);
    if (f)
        fclose(f);
    else
        close(fd);
    if (!whole || !len) {
        free(text);
        free(key);
        return;
    }
    int64_t limit = ns_of(now) - PB_FONTCACHE_RACY_NS;
    int keep = key && ns_of(sb.st_mtim) < limit && ns_of(sb.st_ctim) < limit;
    filtered = NULL;
    g_doc.dict = patterns_for(text, len, g_doc.words.w, g_doc.words.n, keep ? &filtered : NULL,
                              &flen);
    if (filtered)
        cache_write(key, filtered, flen);
    free(filtered);
    free(key);
    /* kept for the words the document did not have (a folio's "continued") */
    char *kept = realloc(text, len);
    g_doc.patterns = kept ? kept : text;
    g_doc.patterns_len = len;
}

/* ---- the document's words --------------------------------------------------------------- */

/* The distinct lower-case ASCII words of the texts into g_doc.words; 0 if out of memory. */
static int collect_words(const uint32_t *const *texts, const size_t *lens, size_t n)
{
    char w[WORD_MAX];
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
                for (size_t k = i; k < j; k++)
                    w[k - i] = (char)(texts[t][k] | 0x20);
                if (!word_add(&g_doc.words, w, j - i))
                    return 0;
            }
            i = j;
        }
    }
    size_t u = g_doc.words.n;
    g_doc.known = calloc(u ? u : 1, sizeof *g_doc.known);
    if (!g_doc.known)
        return 0;
    for (size_t i = 0; i < u; i++)
        atomic_init(&g_doc.known[i], NULL);
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
    for (size_t i = 0; g_doc.known && i < g_doc.words.n; i++)
        free(atomic_load(&g_doc.known[i]));
    free(g_doc.known);
    word_set_free(&g_doc.words);
    free(g_doc.patterns);
    memset(&g_doc, 0, sizeof g_doc);
    pthread_mutex_lock(&g_other_lock);
    while (g_other) {
        other_word *next = g_other->next;
        free(g_other->known);
        free(g_other);
        g_other = next;
    }
    pthread_mutex_unlock(&g_other_lock);
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

static int hyphenate(HyphenDict *d, const char *w, size_t n, int left, int right, uint8_t *points)
{
    char hy[WORD_MAX + 5], hw[3 * WORD_MAX + 1];
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

/* The points of w (n letters) as found: a copy of the answer, or NULL (out of memory). */
static known_points *found(int left, int right, int ok, const uint8_t *points, size_t n)
{
    known_points *k = malloc(sizeof *k + n);
    if (k) {
        *k = (known_points){left, right, ok};
        memcpy(k->points, points, n);
    }
    return k;
}

/* A word the document did not have (a folio's "continued"): hyphenated with the patterns it
 * can match, filtered from the file the preload read (some 3 M instructions, where reading
 * every pattern takes 37 M), and kept. */
static int other_word_points(const char *w, size_t n, int left, int right, uint8_t *points)
{
    pthread_mutex_lock(&g_other_lock);
    other_word *o = g_other;
    while (o && strcmp(o->w, w) != 0)
        o = o->next;
    int ok;
    if (o && o->known->left == left && o->known->right == right) {
        memcpy(points, o->known->points, n);
        ok = o->known->ok;
    } else {
        char *one[] = {(char *)w};
        if (!g_doc.patterns) /* the preload took the document's patterns from the cache */
            g_doc.patterns = pb_fontcache_slurp(g_doc.path, PATTERN_FILE_MAX, &g_doc.patterns_len);
        HyphenDict *d = patterns_for(g_doc.patterns, g_doc.patterns_len, one, 1, NULL, NULL);
        ok = d ? hyphenate(d, w, n, left, right, points) : 0;
        if (d)
            hnj_hyphen_free(d);
        other_word *mine = o ? NULL : malloc(sizeof *mine + n + 1);
        if (mine && (mine->known = found(left, right, ok, points, n))) {
            memcpy(mine->w, w, n + 1);
            mine->next = g_other;
            g_other = mine;
        } else {
            free(mine);
        }
    }
    pthread_mutex_unlock(&g_other_lock);
    return ok;
}

int pb_hyphenate_word(const char *path, const char *word, size_t n, int left, int right,
                      uint8_t *points)
{
    if (n == 0 || n > WORD_MAX)
        return 0;
    char w[WORD_MAX + 1];
    memcpy(w, word, n);
    w[n] = 0;
    if (!g_doc.active || !g_doc.dict || strcmp(g_doc.path, path) != 0) {
        HyphenDict *d = full_dict(path);
        return d ? hyphenate(d, w, n, left, right, points) : 0;
    }
    long at = word_find(&g_doc.words, w, n, word_hash(w, n));
    if (at < 0)
        return other_word_points(w, n, left, right, points);
    known_points *k = atomic_load(&g_doc.known[at]);
    if (k && k->left == left && k->right == right) {
        memcpy(points, k->points, n);
        return k->ok;
    }
    int ok = hyphenate(g_doc.dict, w, n, left, right, points);
    known_points *mine = k ? NULL : found(left, right, ok, points, n);
    known_points *none = NULL; /* kept by the first thread to find it */
    if (mine && !atomic_compare_exchange_strong(&g_doc.known[at], &none, mine))
        free(mine);
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
