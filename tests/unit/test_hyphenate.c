/* Unit tests for hyphenate: the patterns read for a document's words break those words exactly
 * as all of Debian's patterns do (checked over the 100 000 words of wamerican), and any other
 * word still gets every pattern; the patterns kept between runs are taken only while the pattern
 * file is as it was. The tests work in a fresh folder ($XDG_CACHE_HOME there). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <hyphen.h>
#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hyphenate.h"

#define PATTERNS "/usr/share/hyphen/hyph_en_US.dic"
#define WORDS "/usr/share/dict/american-english" /* Debian wamerican */
#define LEFT 2
#define RIGHT 3
#define MAXW 64

typedef struct {
    char **w;
    size_t n;
} word_list;

/* The word list's lower-case ASCII words (others, e.g. with apostrophes, are left out). */
static word_list read_words(void)
{
    word_list l = {0};
    FILE *f = fopen(WORDS, "r");
    assert_non_null(f);
    size_t cap = 0;
    char line[256];
    while (fgets(line, sizeof line, f)) {
        size_t n = strcspn(line, "\n");
        line[n] = 0;
        int ok = n >= 1 && n <= MAXW;
        for (size_t i = 0; i < n && ok; i++)
            ok = line[i] >= 'a' && line[i] <= 'z';
        if (!ok)
            continue;
        if (l.n == cap) {
            cap = cap ? cap * 2 : 1024;
            l.w = realloc(l.w, cap * sizeof *l.w);
            assert_non_null(l.w);
        }
        l.w[l.n] = strdup(line);
        assert_non_null(l.w[l.n]);
        l.n++;
    }
    fclose(f);
    assert_true(l.n > 50000);
    return l;
}

static void free_words(word_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->w[i]);
    free(l->w);
}

/* Hyphenation points with every pattern, straight from libhyphen (limits left, right). */
static void reference_at(HyphenDict *d, const char *w, int left, int right, uint8_t *pts)
{
    size_t n = strlen(w);
    char hy[MAXW + 5], hw[3 * MAXW + 1];
    char **rep = NULL;
    int *pos = NULL, *cut = NULL;
    assert_int_equal(hnj_hyphen_hyphenate3(d, w, (int)n, hy, hw, &rep, &pos, &cut, left, right,
                                           left, right),
                     0);
    for (size_t k = 0; k < n; k++)
        pts[k] = hy[k] & 1;
    assert_null(rep);
    free(pos);
    free(cut);
}

static void reference(HyphenDict *d, const char *w, uint8_t *pts) { reference_at(d, w, LEFT, RIGHT, pts); }

/* The words of every step-th entry whose points at limits left, right differ from libhyphen's
 * with every pattern (the first few named). */
static size_t differing(HyphenDict *full, const word_list *l, size_t step, int left, int right)
{
    size_t differ = 0;
    for (size_t i = 0; i < l->n; i += step) {
        const char *w = l->w[i];
        size_t n = strlen(w);
        uint8_t got[MAXW], want[MAXW];
        assert_int_equal(pb_hyphenate_word(PATTERNS, w, n, left, right, got), 1);
        reference_at(full, w, left, right, want);
        if (memcmp(got, want, n) != 0 && differ++ < 5)
            fprintf(stderr, "differs at limits %d, %d: %s\n", left, right, w);
    }
    return differ;
}

/* Preload with the words of every step-th entry as one text, then compare those words; then
 * again (a document word's points are kept once found), and with other limits (not those). */
static size_t check_sample(HyphenDict *full, const word_list *l, size_t step)
{
    size_t total = 0, count = 0;
    for (size_t i = 0; i < l->n; i += step)
        total += strlen(l->w[i]) + 1, count++;
    uint32_t *text = malloc(total * sizeof *text);
    assert_non_null(text);
    size_t t = 0;
    for (size_t i = 0; i < l->n; i += step) {
        for (const char *p = l->w[i]; *p; p++)
            text[t++] = (uint32_t)(i % 3 == 0 ? *p - 'a' + 'A' : *p); /* case does not matter */
        text[t++] = ' ';
    }
    const uint32_t *texts[] = {text};
    size_t lens[] = {t};
    pb_hyphenate_preload(PATTERNS, texts, lens, 1);
    free(text);
    assert_int_equal(pb_hyphenate_ready(PATTERNS), 1);
    assert_int_equal(differing(full, l, step, LEFT, RIGHT), 0);
    assert_int_equal(differing(full, l, step, LEFT, RIGHT), 0);
    assert_int_equal(differing(full, l, step, LEFT + 1, RIGHT + 1), 0);
    return count;
}

static void test_document_patterns_break_as_all(void **state)
{
    (void)state;
    word_list l = read_words();
    HyphenDict *full = hnj_hyphen_load(PATTERNS);
    assert_non_null(full);
    /* one word, a few, a page's worth, a book's worth, every word */
    const size_t steps[] = {l.n, 20000, 997, 50, 1};
    for (size_t s = 0; s < sizeof steps / sizeof steps[0]; s++)
        assert_true(check_sample(full, &l, steps[s]) >= 1);
    hnj_hyphen_free(full);
    free_words(&l);
    pb_hyphenate_free_cache();
}

static void test_other_words_take_every_pattern(void **state)
{
    (void)state;
    static const uint32_t doc[] = {'a', 'l', 'g', 'o', 'r', 'i', 't', 'h', 'm'};
    const uint32_t *texts[] = {doc};
    size_t lens[] = {sizeof doc / sizeof doc[0]};
    pb_hyphenate_preload(PATTERNS, texts, lens, 1);
    assert_int_equal(pb_hyphenate_ready(PATTERNS), 1);
    HyphenDict *full = hnj_hyphen_load(PATTERNS);
    assert_non_null(full);
    static const char *const others[] = {"hyphenation", "international", "cooperation",
                                         "extraordinary", "responsibilities"};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        size_t n = strlen(others[i]);
        uint8_t got[MAXW], want[MAXW];
        assert_int_equal(pb_hyphenate_word(PATTERNS, others[i], n, LEFT, RIGHT, got), 1);
        reference(full, others[i], want);
        assert_memory_equal(got, want, n);
    }
    /* hy-phen-ation: the points libhyphen's English patterns give */
    uint8_t p[MAXW];
    assert_int_equal(pb_hyphenate_word(PATTERNS, "hyphenation", 11, LEFT, RIGHT, p), 1);
    assert_int_equal(p[1], 1);  /* hy- */
    assert_int_equal(p[5], 1);  /* hyphen- */
    assert_int_equal(p[0], 0);  /* never after one letter (LEFT 2) */
    assert_int_equal(p[9], 0);  /* never before the last two (RIGHT 3) */
    hnj_hyphen_free(full);
    pb_hyphenate_free_cache();
}

static void test_no_preload_and_unreadable(void **state)
{
    (void)state;
    pb_hyphenate_free_cache();
    assert_int_equal(pb_hyphenate_ready(PATTERNS), 1); /* every pattern, read now */
    uint8_t p[MAXW];
    assert_int_equal(pb_hyphenate_word(PATTERNS, "hyphenation", 11, LEFT, RIGHT, p), 1);
    assert_int_equal(p[1], 1);
    assert_int_equal(pb_hyphenate_ready("/nonexistent/hyph.dic"), 0);
    assert_int_equal(pb_hyphenate_word("/nonexistent/hyph.dic", "hyphenation", 11, LEFT, RIGHT, p),
                     0);
    /* a preload of a missing file: not ready, no crash */
    static const uint32_t doc[] = {'w', 'o', 'r', 'd'};
    const uint32_t *texts[] = {doc};
    size_t lens[] = {4};
    pb_hyphenate_preload("/nonexistent/hyph.dic", texts, lens, 1);
    assert_int_equal(pb_hyphenate_ready("/nonexistent/hyph.dic"), 0);
    pb_hyphenate_free_cache();
}

static char g_dir[256];

/* The number of cache entries (hyph-*) in the folder of the cache test; the last one's path. */
static int cache_entries(char *last, size_t cap)
{
    char dir[300];
    snprintf(dir, sizeof dir, "%s/own/paiban", g_dir);
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        if (strncmp(e->d_name, "hyph-", 5) == 0 && !strstr(e->d_name, ".tmp-")) {
            n++;
            snprintf(last, cap, "%s/%s", dir, e->d_name);
        }
    if (d)
        closedir(d);
    return n;
}

/* Replace the patterns of the cache entry at path with text (the CRC made good), so that a run
 * which takes the entry shows it. */
static void tamper(const char *path, const char *text)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *l = strstr(buf, "\nL ");
    assert_non_null(l);
    *l = 0;
    f = fopen(path, "wb");
    assert_non_null(f);
    fprintf(f, "%s\nL %zu %lx\n%s", buf, strlen(text),
            (unsigned long)libdeflate_crc32(0, text, strlen(text)), text);
    assert_int_equal(fclose(f), 0);
}

/* The points of "hyphenation" with the patterns at path preloaded for it. */
static void points_of_hyphenation(const char *path, uint8_t *p)
{
    static const uint32_t doc[] = {'h', 'y', 'p', 'h', 'e', 'n', 'a', 't', 'i', 'o', 'n'};
    const uint32_t *texts[] = {doc};
    size_t lens[] = {11};
    pb_hyphenate_preload(path, texts, lens, 1);
    assert_int_equal(pb_hyphenate_ready(path), 1);
    assert_int_equal(pb_hyphenate_word(path, "hyphenation", 11, LEFT, RIGHT, p), 1);
    pb_hyphenate_free_cache();
}

static void copy_file(const char *from, const char *to, const char *extra)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[65536];
    for (size_t n; (n = fread(buf, 1, sizeof buf, in)) > 0;)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    fputs(extra, out);
    fclose(in);
    assert_int_equal(fclose(out), 0);
}

/* The document's filtered patterns are kept between runs and taken while the pattern file is
 * as it was: a file changed within a second of its read is not kept, a kept entry is taken
 * (shown by tampering with it), a changed file is read again, PAIBAN_CACHE=0 takes nothing. */
static void test_cache_follows_the_pattern_file(void **state)
{
    (void)state;
    char dic[300], entry[600], own[300];
    snprintf(own, sizeof own, "%s/own", g_dir); /* a folder of this test's entries only */
    setenv("XDG_CACHE_HOME", own, 1);
    snprintf(dic, sizeof dic, "%s/hyph.dic", g_dir);
    copy_file(PATTERNS, dic, "");
    uint8_t p[MAXW];
    int before = 0;
    points_of_hyphenation(dic, p); /* written just now: not kept */
    assert_int_equal(p[5], 1);     /* hyphen-ation */
    assert_int_equal(cache_entries(entry, sizeof entry), before);
    struct timespec pause = {1, 200000000}; /* past PB_FONTCACHE_RACY_NS */
    nanosleep(&pause, NULL);
    points_of_hyphenation(dic, p); /* kept */
    assert_int_equal(p[5], 1);
    assert_int_equal(cache_entries(entry, sizeof entry), before + 1);
    /* hy-phenation only: the entry is taken as it is */
    tamper(entry, "UTF-8\nLEFTHYPHENMIN 1\nRIGHTHYPHENMIN 1\ny1p\n");
    points_of_hyphenation(dic, p);
    assert_int_equal(p[1], 1);
    assert_int_equal(p[5], 0);
    setenv("PAIBAN_CACHE", "0", 1);
    points_of_hyphenation(dic, p);
    unsetenv("PAIBAN_CACHE");
    assert_int_equal(p[5], 1);
    /* the pattern file changed (a comment more): read again */
    copy_file(PATTERNS, dic, "% changed\n");
    points_of_hyphenation(dic, p);
    assert_int_equal(p[1], 1);
    assert_int_equal(p[5], 1);
}

static int setup(void **state)
{
    (void)state;
    snprintf(g_dir, sizeof g_dir, "/tmp/pb-hyphenate-XXXXXX");
    assert_non_null(mkdtemp(g_dir));
    char cache[300];
    snprintf(cache, sizeof cache, "%s/cache", g_dir);
    setenv("XDG_CACHE_HOME", cache, 1);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    assert_int_equal(system(cmd), 0);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_document_patterns_break_as_all),
        cmocka_unit_test(test_other_words_take_every_pattern),
        cmocka_unit_test(test_no_preload_and_unreadable),
        cmocka_unit_test(test_cache_follows_the_pattern_file),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
