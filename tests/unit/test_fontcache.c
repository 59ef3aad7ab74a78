/* Unit tests for src/fontcache.c: fontconfig's answers kept between runs, valid while the paths
 * they came from are as they were. Each test works in a fresh folder ($XDG_CACHE_HOME there). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fontcache.h"

static char g_dir[256];
static char g_conf[300]; /* a configuration file, written by setup() */

static void rm_rf(const char *dir)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static int setup(void **state)
{
    (void)state;
    snprintf(g_dir, sizeof g_dir, "/tmp/pb-fontcache-XXXXXX");
    assert_non_null(mkdtemp(g_dir));
    char cache[300];
    snprintf(cache, sizeof cache, "%s/cache", g_dir);
    setenv("XDG_CACHE_HOME", cache, 1);
    snprintf(g_conf, sizeof g_conf, "%s/fonts.conf", g_dir);
    FILE *f = fopen(g_conf, "w");
    assert_non_null(f);
    fputs("<fontconfig/>\n", f);
    assert_int_equal(fclose(f), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    rm_rf(g_dir);
    return 0;
}

static void path_in(char *buf, size_t cap, const char *name)
{
    snprintf(buf, cap, "%s/%s", g_dir, name);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* A since_ns that puts every path of the test out of the store's window for changes during
 * fontconfig's scan (they were all made just now). */
static int64_t an_hour_ahead(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return ((int64_t)t.tv_sec + 3600) * 1000000000;
}

static int64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static void two_matches(pb_font_match m[2])
{
    memset(m, 0, 2 * sizeof *m);
    snprintf(m[0].family, sizeof m[0].family, "Noto Serif");
    m[0].installed = 1;
    m[0].index = 3;
    m[0].bold = 1;
    snprintf(m[0].style, sizeof m[0].style, "Semi Bold");
    snprintf(m[0].file, sizeof m[0].file, "/usr/share/fonts/a b.ttf");
    m[1].no_italic = 1; /* not installed, empty family */
}

/* The cache files in the folder. */
static int files_named(const char *prefix)
{
    char dir[300];
    snprintf(dir, sizeof dir, "%s/cache/paiban", g_dir);
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
    closedir(d);
    return n;
}

static int cache_files(void) { return files_named("fonts-"); }

/* Lookup before: -1 vs 1: the stored matches come back whole, field for field. */
static void round_trip(void **state)
{
    (void)state;
    char dir[300], absent[300];
    path_in(dir, sizeof dir, "fonts");
    path_in(absent, sizeof absent, "user.conf");
    assert_int_equal(mkdir(dir, 0700), 0);
    const char *deps[] = {g_conf, dir, absent};
    pb_font_match m[2], got[2];
    two_matches(m);
    assert_int_equal(pb_fontcache_lookup("k=1:a;", got, 2), 0);
    /* deps changed at or after since - 1 s: nothing kept */
    pb_fontcache_store("k=1:a;", deps, 3, m, 2, now_ns());
    assert_int_equal(cache_files(), 0);
    assert_int_equal(pb_fontcache_lookup("k=1:a;", got, 2), 0);
    pb_fontcache_store("k=1:a;", deps, 3, m, 2, an_hour_ahead());
    assert_int_equal(cache_files(), 1);
    memset(got, 0x55, sizeof got);
    assert_int_equal(pb_fontcache_lookup("k=1:a;", got, 2), 1);
    assert_memory_equal(&got[0], &m[0], sizeof m[0]);
    assert_memory_equal(&got[1], &m[1], sizeof m[1]);
    /* another key, or another count of matches, is no hit */
    assert_int_equal(pb_fontcache_lookup("k=1:b;", got, 2), 0);
    assert_int_equal(pb_fontcache_lookup("k=1:a;", got, 1), 0);
    assert_int_equal(pb_fontcache_lookup("k=1:a;", got, 3), 0);
}

/* A dependency that changes, appears or goes makes the entry a miss. */
static void deps_change(void **state)
{
    (void)state;
    char dir[300], absent[300], font[300];
    path_in(dir, sizeof dir, "fonts");
    path_in(absent, sizeof absent, "user.conf");
    path_in(font, sizeof font, "fonts/a.ttf");
    const char *deps[] = {g_conf, dir, absent};
    pb_font_match m[2], got[2];
    two_matches(m);

    assert_int_equal(mkdir(dir, 0700), 0);
    pb_fontcache_store("k", deps, 3, m, 2, an_hour_ahead());
    assert_int_equal(pb_fontcache_lookup("k", got, 2), 1);
    write_file(font, "x"); /* a font installed: its folder changes */
    assert_int_equal(pb_fontcache_lookup("k", got, 2), 0);

    pb_fontcache_store("k", deps, 3, m, 2, an_hour_ahead());
    assert_int_equal(pb_fontcache_lookup("k", got, 2), 1);
    assert_int_equal(unlink(font), 0); /* and removed */
    assert_int_equal(pb_fontcache_lookup("k", got, 2), 0);

    pb_fontcache_store("k", deps, 3, m, 2, an_hour_ahead());
    assert_int_equal(pb_fontcache_lookup("k", got, 2), 1);
    write_file(absent, "<fontconfig/>\n"); /* an optional configuration file appears */
    assert_int_equal(pb_fontcache_lookup("k", got, 2), 0);

    pb_fontcache_store("k", deps, 3, m, 2, an_hour_ahead());
    assert_int_equal(pb_fontcache_lookup("k", got, 2), 1);
    write_file(g_conf, "<fontconfig><dir>/x</dir></fontconfig>\n"); /* edited */
    assert_int_equal(pb_fontcache_lookup("k", got, 2), 0);
}

/* A damaged or foreign cache file is a miss, never a wrong answer. */
static void damaged(void **state)
{
    (void)state;
    const char *deps[] = {g_conf};
    pb_font_match m[2], got[2];
    two_matches(m);
    pb_fontcache_store("key", deps, 1, m, 2, an_hour_ahead());
    char cmd[600];
    /* the last line cut, a match line gone, a foreign key, an unknown line */
    const char *edits[] = {"truncate -s -3", "sed -i '$d'", "sed -i 's/^K key$/K kez/'",
                           "sed -i '2a X 1'"};
    for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
        pb_fontcache_store("key", deps, 1, m, 2, an_hour_ahead());
        assert_int_equal(pb_fontcache_lookup("key", got, 2), 1);
        snprintf(cmd, sizeof cmd, "%s %s/cache/paiban/fonts-*", edits[i], g_dir);
        assert_int_equal(system(cmd), 0);
        assert_int_equal(pb_fontcache_lookup("key", got, 2), 0);
    }
}

/* A tab or newline in a key, path or name is never stored (the format could not hold it). */
static void unplain(void **state)
{
    (void)state;
    const char *deps[] = {g_conf};
    pb_font_match m[2], got[2];
    two_matches(m);
    pb_fontcache_store("a\nb", deps, 1, m, 2, an_hour_ahead());
    snprintf(m[0].family, sizeof m[0].family, "Noto\tSerif");
    pb_fontcache_store("k", deps, 1, m, 2, an_hour_ahead());
    assert_int_equal(cache_files(), 0);
    assert_int_equal(pb_fontcache_lookup("a\nb", got, 2), 0);
}

/* At most 32 cache files: a store removes the oldest. */
static void pruned(void **state)
{
    (void)state;
    const char *deps[] = {g_conf};
    pb_font_match m[2], got[2];
    two_matches(m);
    char key[32];
    for (int i = 0; i < 40; i++) {
        snprintf(key, sizeof key, "k%d", i);
        pb_fontcache_store(key, deps, 1, m, 2, an_hour_ahead());
    }
    assert_int_equal(cache_files(), 32);
    assert_int_equal(pb_fontcache_lookup("k39", got, 2), 1);
}

/* pb_fontcache_put: the parts joined in one file; the bounds in files and in bytes apply to
 * files of its prefix only (the font cache's are another's); a write that cannot be done
 * leaves no temporary file. */
static void put_parts(void **state)
{
    (void)state;
    const char *deps[] = {g_conf};
    pb_font_match m[2];
    two_matches(m);
    pb_fontcache_store("k", deps, 1, m, 2, an_hour_ahead());
    char path[4200], key[32];
    const pb_fontcache_part parts[] = {{"abc", 3}, {"", 0}, {"de\n", 3}};
    for (int i = 0; i < 5; i++) {
        snprintf(key, sizeof key, "k%d", i);
        assert_non_null(pb_fontcache_file("t-", key, path, sizeof path));
        pb_fontcache_put(path, "t-", 3, 1000, parts, 3);
    }
    size_t len = 0;
    char *text = pb_fontcache_slurp(path, 100, &len);
    assert_non_null(text);
    assert_string_equal(text, "abcde\n");
    free(text);
    assert_int_equal(files_named("t-"), 3);
    assert_int_equal(cache_files(), 1);
    pb_fontcache_put(path, "t-", 3, 12, parts, 3); /* 12 bytes: room for this one and one more */
    assert_int_equal(files_named("t-"), 2);
    pb_fontcache_put(path, "t-", 3, 6, parts, 3); /* 6 bytes: room for this one alone */
    assert_int_equal(files_named("t-"), 1);
    assert_non_null(pb_fontcache_file("t-", "x", path, sizeof path));
    char *slash = strrchr(path, '/');
    snprintf(slash, (size_t)(path + sizeof path - slash), "/no/such/folder/../t-x");
    chmod(g_dir, 0500); /* the folder cannot be made */
    pb_fontcache_put(path, "t-", 3, 1000, parts, 3);
    chmod(g_dir, 0700);
    assert_int_equal(files_named("t-x.tmp"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(deps_change, setup, teardown),
        cmocka_unit_test_setup_teardown(damaged, setup, teardown),
        cmocka_unit_test_setup_teardown(unplain, setup, teardown),
        cmocka_unit_test_setup_teardown(pruned, setup, teardown),
        cmocka_unit_test_setup_teardown(put_parts, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
