/* layoutdirs.c: where layouts named without a path are looked for (`--layout booklet`,
 * `base = booklet`). */
#define _DEFAULT_SOURCE
#include "layoutdirs.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paths.h"

#define LAYOUT_SUFFIX ".ini"
#define EXE_LAYOUT_DIR "/../share/paiban/layouts" /* from the program's folder, installed */
#define BUILD_SUBDIR "/build/"                      /* the build trees in the source tree */
#define SOURCE_LAYOUT_DIR "/layouts"                /* the layouts in the source tree */

/* A folder once, however named ("layouts" from PAIBAN_LAYOUT_PATH and the source tree's). */
static void add(pb_layoutdirs *d, const char *dir, size_t len)
{
    if (len == 0 || d->n == PB_LAYOUTDIRS_MAX)
        return;
    char *c = strndup(dir, len);
    if (!c)
        return;
    char real[PATH_MAX], other[PATH_MAX];
    int resolved = realpath(c, real) != NULL;
    for (size_t i = 0; i < d->n; i++)
        if (strcmp(d->dirs[i], c) == 0 ||
            (resolved && realpath(d->dirs[i], other) && strcmp(real, other) == 0)) {
            free(c);
            return;
        }
    d->dirs[d->n++] = c;
}

/* A program run from the build tree it was built in (SOURCE/build/paiban, build/asan/paiban)
 * finds its own layouts, SOURCE/layouts; an installed or copied one never looks there. */
static void add_source_tree(pb_layoutdirs *d, const char *exe)
{
    char src[PATH_MAX];
    if (!realpath(PB_SOURCE_DIR, src))
        return;
    size_t len = strlen(src);
    if (strncmp(exe, src, len) != 0 || strncmp(exe + len, BUILD_SUBDIR, strlen(BUILD_SUBDIR)) != 0 ||
        len + sizeof SOURCE_LAYOUT_DIR > sizeof src)
        return;
    strcpy(src + len, SOURCE_LAYOUT_DIR);
    add(d, src, strlen(src));
}

void pb_layoutdirs_init(pb_layoutdirs *d)
{
    d->n = 0;
    const char *env = getenv("PAIBAN_LAYOUT_PATH");
    while (env && *env) {
        size_t len = strcspn(env, ":");
        add(d, env, len);
        env += len + (env[len] == ':');
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        add_source_tree(d, exe);
        char *slash = strrchr(exe, '/');
        if (slash && (size_t)(slash - exe) + sizeof EXE_LAYOUT_DIR < sizeof exe) {
            strcpy(slash, EXE_LAYOUT_DIR);
            char real[PATH_MAX];
            if (realpath(exe, real))
                add(d, real, strlen(real));
        }
    }
    add(d, PB_LAYOUT_DIR, strlen(PB_LAYOUT_DIR));
}

void pb_layoutdirs_fini(pb_layoutdirs *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->dirs[i]);
    d->n = 0;
}

static int is_file(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

pb_status pb_layoutdirs_find(const pb_layoutdirs *d, const char *name, char **path)
{
    size_t len = strlen(name);
    int has_suffix =
        len > strlen(LAYOUT_SUFFIX) && strcmp(name + len - strlen(LAYOUT_SUFFIX), LAYOUT_SUFFIX) == 0;
    *path = NULL;
    for (size_t i = 0; i < d->n; i++) {
        size_t n = strlen(d->dirs[i]) + len + sizeof "/" LAYOUT_SUFFIX;
        char *p = malloc(n);
        if (!p)
            return pb_diag_oom("looking for a layout");
        snprintf(p, n, "%s/%s%s", d->dirs[i], name, has_suffix ? "" : LAYOUT_SUFFIX);
        if (is_file(p)) {
            *path = p;
            return PB_OK;
        }
        free(p);
    }
    return PB_OK;
}

/* scandir's filter: NAME.ini, not hidden. */
static int is_layout_name(const struct dirent *e)
{
    size_t len = strlen(e->d_name);
    return len > strlen(LAYOUT_SUFFIX) && e->d_name[0] != '.' &&
           strcmp(e->d_name + len - strlen(LAYOUT_SUFFIX), LAYOUT_SUFFIX) == 0;
}

size_t pb_layoutdirs_list(const pb_layoutdirs *d, char *out, size_t cap)
{
    size_t k = 0;
    if (cap)
        out[0] = '\0';
    for (size_t i = 0; i < d->n && k + 1 < cap; i++) {
        struct dirent **names = NULL;
        int n = scandir(d->dirs[i], &names, is_layout_name, alphasort);
        for (int j = 0; j < n; j++) {
            size_t len = strlen(names[j]->d_name) - strlen(LAYOUT_SUFFIX);
            if (k + 1 < cap) {
                int w = snprintf(out + k, cap - k, "%s%.*s", j ? ", " : k ? "; " : "", (int)len,
                                 names[j]->d_name);
                k = w < 0 ? k : k + (size_t)w < cap ? k + (size_t)w : cap - 1;
            }
            free(names[j]);
        }
        free(names);
        if (n > 0 && k + 1 < cap) {
            int w = snprintf(out + k, cap - k, " (in %s)", d->dirs[i]);
            k = w < 0 ? k : k + (size_t)w < cap ? k + (size_t)w : cap - 1;
        }
    }
    return k;
}
