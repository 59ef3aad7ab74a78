/* fontcache: fontconfig's choices kept between runs, checked against the status of every file
 * and folder they came from.
 *
 * One file per key, FOLDER/fonts-HASH (HASH: the first 16 bytes of the key's SHA-256, in hex):
 *   paiban font cache 1
 *   K <key>
 *   D <inode> <size> <mtime s> <mtime ns> <ctime s> <ctime ns> <path>   (a path as it is)
 *   D - <path>                                                           (a missing path)
 *   M <installed> <index> <bold> <no_bold> <no_italic> <family>\t<style>\t<file>
 * written to a temporary file beside it and renamed, so a reader sees a whole file or none. */
#include "fontcache.h"

#include "archive.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAGIC "paiban font cache 1"
/* Largest cache file read (a folder tree of some thousand font folders fits). */
#define FONTCACHE_BYTES_MAX (1u << 20)
/* Cache files kept in the folder; a store removes the oldest beyond this. */
#define FONTCACHE_FILES_MAX 32
#define NAME_PREFIX "fonts-"
#define HASH_HEX 32

int pb_fontcache_enabled(void)
{
    const char *v = getenv("PAIBAN_CACHE");
    return !(v && strcmp(v, "0") == 0);
}

const char *pb_fontcache_dir(char *buf, size_t cap)
{
    const char *xdg = getenv("XDG_CACHE_HOME"); /* XDG Base Directory: absolute, else ignored */
    const char *home = getenv("HOME");
    int n;
    if (xdg && xdg[0] == '/')
        n = snprintf(buf, cap, "%s/paiban", xdg);
    else if (home && home[0] == '/')
        n = snprintf(buf, cap, "%s/.cache/paiban", home);
    else
        return NULL;
    return n > 0 && (size_t)n < cap ? buf : NULL;
}

const char *pb_fontcache_file(const char *prefix, const char *key, char *buf, size_t cap)
{
    char dir[4096];
    if (!pb_fontcache_dir(dir, sizeof dir))
        return NULL;
    uint8_t h[PB_ARCHIVE_SHA256_SIZE];
    pb_archive_sha256(key, strlen(key), h);
    char hex[HASH_HEX + 1];
    for (int i = 0; i < HASH_HEX / 2; i++)
        snprintf(hex + 2 * i, 3, "%02x", h[i]);
    int n = snprintf(buf, cap, "%s/%s%s", dir, prefix, hex);
    return n > 0 && (size_t)n < cap ? buf : NULL;
}

/* FOLDER/fonts-HASH for key into buf; NULL if no folder. */
static const char *cache_path(const char *key, char *buf, size_t cap)
{
    return pb_fontcache_file(NAME_PREFIX, key, buf, cap);
}

/* A path's status as one line's fields: "-" when it does not exist (or cannot be seen). */
static void status_of(const char *path, char *buf, size_t cap)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        snprintf(buf, cap, "-");
        return;
    }
    snprintf(buf, cap, "%ju %jd %jd %ld %jd %ld", (uintmax_t)sb.st_ino, (intmax_t)sb.st_size,
             (intmax_t)sb.st_mtim.tv_sec, sb.st_mtim.tv_nsec, (intmax_t)sb.st_ctim.tv_sec,
             sb.st_ctim.tv_nsec);
}

static int plain(const char *s) { return !strpbrk(s, "\t\n"); }

FILE *pb_fontcache_key_begin(char **text, size_t *len)
{
    struct stat self;
    *text = NULL;
    FILE *f = stat("/proc/self/exe", &self) == 0 ? open_memstream(text, len) : NULL;
    if (f)
        fprintf(f, "exe %ju %jd %jd.%09ld", (uintmax_t)self.st_ino, (intmax_t)self.st_size,
                (intmax_t)self.st_mtim.tv_sec, self.st_mtim.tv_nsec);
    return f;
}

char *pb_fontcache_key_end(FILE *f, char **text)
{
    if (ferror(f) | fclose(f)) {
        free(*text);
        *text = NULL;
    }
    return *text;
}

char *pb_fontcache_slurp(const char *path, size_t max, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat sb;
    char *buf = NULL;
    if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0 &&
        (uintmax_t)sb.st_size <= max && (buf = malloc((size_t)sb.st_size + 1))) {
        size_t got = 0, want = (size_t)sb.st_size;
        while (got < want) {
            ssize_t r = read(fd, buf + got, want - got);
            if (r <= 0)
                break;
            got += (size_t)r;
        }
        if (got != want) {
            free(buf);
            buf = NULL;
        } else {
            buf[got] = 0;
            *len = got;
        }
    }
    close(fd);
    return buf;
}

/* The next line of *p (its newline replaced by NUL), or NULL at the end or for a last line
 * without its newline (a cut file). */
static char *next_line(char **p)
{
    char *s = *p, *nl = strchr(s, '\n');
    if (!nl)
        return NULL;
    *nl = 0;
    *p = nl + 1;
    return s;
}

/* A field of m from "a\tb\tc" into dst; 0 if it does not fit. */
static int take(char **s, char *dst, size_t cap, int last)
{
    char *end = last ? *s + strlen(*s) : strchr(*s, '\t');
    if (!end || (size_t)(end - *s) >= cap)
        return 0;
    memcpy(dst, *s, (size_t)(end - *s));
    dst[end - *s] = 0;
    *s = last ? end : end + 1;
    return 1;
}

static int parse_match(char *s, pb_font_match *m)
{
    memset(m, 0, sizeof *m);
    int used = 0;
    if (sscanf(s, "%d %d %d %d %d%n", &m->installed, &m->index, &m->bold, &m->no_bold,
               &m->no_italic, &used) != 5 || s[used] != ' ')
        return 0;
    s += used + 1; /* the family may be empty: no sscanf space, which would take the tab */
    return take(&s, m->family, sizeof m->family, 0) && take(&s, m->style, sizeof m->style, 0) &&
           take(&s, m->file, sizeof m->file, 1);
}

int pb_fontcache_lookup(const char *key, pb_font_match *out, size_t n)
{
    char path[4200];
    if (!pb_fontcache_enabled() || !plain(key) || !cache_path(key, path, sizeof path))
        return 0;
    size_t len;
    char *buf = pb_fontcache_slurp(path, FONTCACHE_BYTES_MAX, &len);
    if (!buf)
        return 0;
    int ok = 0;
    size_t got = 0;
    char *p = buf, *line = next_line(&p);
    if (!line || strcmp(line, MAGIC) != 0 || !(line = next_line(&p)) || strncmp(line, "K ", 2) != 0 ||
        strcmp(line + 2, key) != 0)
        goto out;
    while ((line = next_line(&p))) {
        if (strncmp(line, "D ", 2) == 0) {
            /* the status fields end at the path's start: "-" or six numbers */
            char *fields = line + 2, *at = fields;
            int spaces = strncmp(fields, "- ", 2) == 0 ? 1 : 6;
            for (int i = 0; i < spaces && at; i++)
                at = (at = strchr(at, ' ')) ? at + 1 : NULL;
            if (!at || !*at)
                goto out;
            at[-1] = 0;
            char now[128];
            status_of(at, now, sizeof now);
            if (strcmp(now, fields) != 0)
                goto out; /* changed since */
        } else if (strncmp(line, "M ", 2) == 0) {
            if (got == n || !parse_match(line + 2, &out[got]))
                goto out;
            got++;
        } else {
            goto out;
        }
    }
    ok = got == n && *p == 0;
out:
    free(buf);
    return ok;
}

typedef struct {
    char name[64];
    struct timespec mtime;
    off_t size; /* bytes */
} cached_file;

static int newer_first(const void *a, const void *b)
{
    const cached_file *x = a, *y = b;
    if (x->mtime.tv_sec != y->mtime.tv_sec)
        return x->mtime.tv_sec < y->mtime.tv_sec ? 1 : -1;
    if (x->mtime.tv_nsec != y->mtime.tv_nsec)
        return x->mtime.tv_nsec < y->mtime.tv_nsec ? 1 : -1;
    return strcmp(x->name, y->name);
}

/* Remove the oldest PREFIXHASH files of dir beyond files_max files or bytes_max bytes, never
 * keep (the one just written: others may have the same time). Best effort. */
static void prune(const char *dir, const char *prefix, const char *keep, size_t files_max,
                  unsigned long long bytes_max)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    cached_file *f = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        struct stat sb;
        if (strncmp(de->d_name, prefix, strlen(prefix)) != 0 ||
            strlen(de->d_name) != strlen(prefix) + HASH_HEX ||
            strlen(de->d_name) >= sizeof f->name ||
            fstatat(dirfd(d), de->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
            continue;
        if (n == cap) {
            cached_file *g = realloc(f, (cap = cap ? 2 * cap : 64) * sizeof *f);
            if (!g)
                break;
            f = g;
        }
        memcpy(f[n].name, de->d_name, strlen(de->d_name) + 1); /* its length checked above */
        f[n].mtime = sb.st_mtim;
        f[n].size = sb.st_size;
        n++;
    }
    if (f) {
        qsort(f, n, sizeof *f, newer_first);
        unsigned long long total = 0; /* bytes kept, keep's among them */
        size_t others = 0;            /* files kept beside keep */
        for (size_t i = 0; i < n; i++)
            if (strcmp(f[i].name, keep) == 0)
                total += (unsigned long long)f[i].size;
        for (size_t i = 0; i < n; i++) {
            if (strcmp(f[i].name, keep) == 0)
                continue;
            if (others + 1 < files_max && total + (unsigned long long)f[i].size <= bytes_max) {
                total += (unsigned long long)f[i].size;
                others++;
            } else {
                unlinkat(dirfd(d), f[i].name, 0);
            }
        }
    }
    free(f);
    closedir(d);
}

static int write_all(int fd, const void *p, size_t n)
{
    const char *s = p;
    while (n > 0) {
        ssize_t k = write(fd, s, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return 0;
        s += k;
        n -= (size_t)k;
    }
    return 1;
}

void pb_fontcache_put(const char *path, const char *prefix, size_t files_max,
                      unsigned long long bytes_max, const pb_fontcache_part *parts, size_t n)
{
    char dir[4096], tmp[4300];
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path || (size_t)(slash - path) >= sizeof dir)
        return;
    memcpy(dir, path, (size_t)(slash - path));
    dir[slash - path] = 0;
    if (pb_fontcache_mkdir(dir) != 0 ||
        snprintf(tmp, sizeof tmp, "%s.tmp-%ld-XXXXXX", path, (long)getpid()) >= (int)sizeof tmp)
        return;
    int fd = mkstemp(tmp);
    if (fd < 0)
        return;
    int ok = 1;
    for (size_t i = 0; i < n && ok; i++)
        ok = write_all(fd, parts[i].p, parts[i].n);
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path) != 0)
        unlink(tmp);
    else
        prune(dir, prefix, slash + 1, files_max, bytes_max);
}

int pb_fontcache_mkdir(const char *dir)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s", dir) >= (int)sizeof tmp)
        return -1;
    for (char *s = tmp + 1; *s; s++)
        if (*s == '/') {
            *s = 0;
            if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
                return -1;
            *s = '/';
        }
    return mkdir(tmp, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

void pb_fontcache_store(const char *key, const char *const *deps, size_t ndeps,
                        const pb_font_match *m, size_t n, int64_t since_ns)
{
    char path[4200];
    if (!pb_fontcache_enabled() || !plain(key) || !cache_path(key, path, sizeof path))
        return;
    for (size_t i = 0; i < n; i++)
        if (!plain(m[i].family) || !plain(m[i].style) || !plain(m[i].file))
            return;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return;
    int ok = fprintf(f, MAGIC "\nK %s\n", key) > 0;
    for (size_t i = 0; i < ndeps && ok; i++) {
        struct stat sb;
        int64_t limit = since_ns - PB_FONTCACHE_RACY_NS;
        if (!plain(deps[i]) ||
            (stat(deps[i], &sb) == 0 &&
             ((int64_t)sb.st_ctim.tv_sec * 1000000000 + sb.st_ctim.tv_nsec >= limit ||
              (int64_t)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec >= limit)))
            ok = 0; /* racy: it changed while (or just before) fontconfig read it */
        char st[128];
        status_of(deps[i], st, sizeof st);
        ok = ok && fprintf(f, "D %s %s\n", st, deps[i]) > 0;
    }
    for (size_t i = 0; i < n && ok; i++)
        ok = fprintf(f, "M %d %d %d %d %d %s\t%s\t%s\n", m[i].installed, m[i].index, m[i].bold,
                     m[i].no_bold, m[i].no_italic, m[i].family, m[i].style, m[i].file) > 0;
    if (fclose(f) != 0)
        ok = 0;
    if (ok)
        pb_fontcache_put(path, NAME_PREFIX, FONTCACHE_FILES_MAX,
                         (unsigned long long)FONTCACHE_FILES_MAX * FONTCACHE_BYTES_MAX,
                         &(pb_fontcache_part){text, len}, 1);
    free(text);
}
