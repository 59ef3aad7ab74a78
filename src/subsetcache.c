/* subsetcache: font programs (hb-subset's cut and its deflated stream) kept between runs.
 *
 * One file per key, FOLDER/subset-HASH (HASH: the first 16 bytes of the key's SHA-256, in hex):
 *   paiban subset cache 1
 *   K <key>
 *   L <raw bytes> <deflated bytes> <map entries> <CRC-32 of what follows, hex>
 *   the raw program, the deflated stream, the map (two bytes an entry, little-endian)
 * written to a temporary file beside it and renamed, so a reader sees a whole file or none; the
 * CRC-32 catches a file damaged since. The key says everything the bytes depend on: the
 * program's and its libraries' versions, the program file's own identity (a rebuild is another
 * program), the font file's path, face and identity when opened, the level, the glyphs. */
#include "subsetcache.h"

#include "fontcache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC "paiban subset cache 1"
#define NAME_PREFIX "subset-"
#define HASH_HEX 32 /* pb_fontcache_file's */
/* The bounds of the cache: entries beyond either go, the least recently used first. A CJK
 * face cut for a long book is some hundred KiB raw and deflated together. */
#define SUBSETCACHE_BYTES_MAX (64u << 20)
#define SUBSETCACHE_FILES_MAX 256
/* Largest entry read or written. */
#define SUBSETCACHE_ENTRY_MAX (32u << 20)

void pb_subsetcache_entry_free(pb_subsetcache_entry *e)
{
    free(e->raw);
    free(e->z);
    free(e->map);
    *e = (pb_subsetcache_entry){0};
}

char *pb_subsetcache_key(const char *versions, const char *file, const char *ident, int index,
                         int level, const uint32_t *gids, size_t n)
{
    struct stat self;
    if (!ident[0] || strpbrk(file, "\n") || strpbrk(versions, "\n") ||
        stat("/proc/self/exe", &self) != 0)
        return NULL;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return NULL;
    fprintf(f, "%s; exe %ju %jd %jd.%09ld; level %d; face %d %s; file %s; glyphs", versions,
            (uintmax_t)self.st_ino, (intmax_t)self.st_size, (intmax_t)self.st_mtim.tv_sec,
            self.st_mtim.tv_nsec, level, index, ident, file);
    for (size_t i = 0; i < n; i++)
        fprintf(f, " %x", (unsigned)gids[i]);
    if (ferror(f) | fclose(f)) {
        free(text);
        return NULL;
    }
    return text;
}

/* FOLDER/subset-HASH for key into buf (and the folder into dir); NULL if no folder. */
static const char *entry_path(const char *key, char *buf, size_t cap, char *dir, size_t dcap)
{
    return pb_fontcache_dir(dir, dcap) ? pb_fontcache_file(NAME_PREFIX, key, buf, cap) : NULL;
}

/* A copy of p[0..n) (one byte for n = 0), or NULL. */
static void *dup_bytes(const uint8_t *p, size_t n)
{
    void *c = malloc(n ? n : 1);
    if (c && n)
        memcpy(c, p, n);
    return c;
}

int pb_subsetcache_lookup(const char *key, pb_subsetcache_entry *e)
{
    *e = (pb_subsetcache_entry){0};
    char path[4200], dir[4096];
    if (!pb_fontcache_enabled() || !entry_path(key, path, sizeof path, dir, sizeof dir))
        return 0;
    size_t len = 0;
    uint8_t *buf = (uint8_t *)pb_fontcache_slurp(path, SUBSETCACHE_ENTRY_MAX, &len);
    if (!buf)
        return 0;
    size_t klen = strlen(key), mlen = strlen(MAGIC);
    size_t at = mlen + 3 + klen + 1; /* MAGIC \n K space key \n */
    int ok = 0;
    if (len <= at || memcmp(buf, MAGIC "\nK ", mlen + 3) != 0 ||
        memcmp(buf + mlen + 3, key, klen) != 0 || buf[at - 1] != '\n')
        goto out;
    uint8_t *nl = memchr(buf + at, '\n', len - at < 128 ? len - at : 128);
    if (!nl)
        goto out;
    *nl = 0;
    unsigned long long raw_len, z_len, map_len;
    unsigned long crc;
    int used = 0;
    if (sscanf((char *)buf + at, "L %llu %llu %llu %lx%n", &raw_len, &z_len, &map_len, &crc,
               &used) != 4 ||
        (char *)buf + at + used != (char *)nl)
        goto out;
    const uint8_t *p = nl + 1;
    size_t body = len - (size_t)(p - buf);
    if (raw_len > body || z_len > body || map_len > body || raw_len + z_len + 2 * map_len != body ||
        libdeflate_crc32(0, p, body) != crc)
        goto out;
    e->raw = dup_bytes(p, raw_len);
    e->z = dup_bytes(p + raw_len, z_len);
    e->map = map_len ? malloc(map_len * sizeof *e->map) : NULL;
    if (!e->raw || !e->z || (map_len && !e->map))
        goto out;
    e->raw_len = raw_len;
    e->z_len = z_len;
    e->map_len = map_len;
    for (size_t i = 0; i < map_len; i++)
        e->map[i] = (uint16_t)(p[raw_len + z_len + 2 * i] | p[raw_len + z_len + 2 * i + 1] << 8);
    ok = 1;
    utimensat(AT_FDCWD, path, NULL, 0); /* used now: the newest */
out:
    free(buf);
    if (!ok)
        pb_subsetcache_entry_free(e);
    return ok;
}

typedef struct {
    char name[sizeof NAME_PREFIX + HASH_HEX];
    struct timespec mtime;
    off_t size;
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

/* Remove the oldest entries beyond SUBSETCACHE_FILES_MAX files or SUBSETCACHE_BYTES_MAX bytes,
 * never keep (the one just written). Best effort. */
static void prune(const char *dir, const char *keep)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    cached_file *f = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        struct stat sb;
        if (strncmp(de->d_name, NAME_PREFIX, strlen(NAME_PREFIX)) != 0 ||
            strlen(de->d_name) != strlen(NAME_PREFIX) + HASH_HEX ||
            fstatat(dirfd(d), de->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
            continue;
        if (n == cap) {
            cached_file *g = realloc(f, (cap = cap ? 2 * cap : 64) * sizeof *f);
            if (!g)
                break;
            f = g;
        }
        memcpy(f[n].name, de->d_name, sizeof f[n].name);
        f[n].mtime = sb.st_mtim;
        f[n].size = sb.st_size;
        n++;
    }
    if (f) {
        qsort(f, n, sizeof *f, newer_first);
        unsigned long long total = 0;
        size_t kept = 0;
        for (size_t i = 0; i < n; i++) {
            int mine = strcmp(f[i].name, keep) == 0;
            if (mine || (kept + 1 < SUBSETCACHE_FILES_MAX &&
                         total + (unsigned long long)f[i].size <= SUBSETCACHE_BYTES_MAX)) {
                total += (unsigned long long)f[i].size;
                kept++;
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

void pb_subsetcache_store(const char *key, const pb_subsetcache_entry *e)
{
    char path[4200], dir[4096], tmp[4300];
    size_t body = e->raw_len + e->z_len + 2 * e->map_len;
    if (!pb_fontcache_enabled() || strchr(key, '\n') || body > SUBSETCACHE_ENTRY_MAX ||
        !entry_path(key, path, sizeof path, dir, sizeof dir) || pb_fontcache_mkdir(dir) != 0 ||
        snprintf(tmp, sizeof tmp, "%s.tmp-%ld-XXXXXX", path, (long)getpid()) >= (int)sizeof tmp)
        return;
    uint8_t *map = malloc(e->map_len ? 2 * e->map_len : 1);
    if (!map)
        return;
    for (size_t i = 0; i < e->map_len; i++) {
        map[2 * i] = (uint8_t)e->map[i];
        map[2 * i + 1] = (uint8_t)(e->map[i] >> 8);
    }
    uint32_t crc = libdeflate_crc32(0, e->raw, e->raw_len);
    crc = libdeflate_crc32(crc, e->z, e->z_len);
    crc = libdeflate_crc32(crc, map, 2 * e->map_len);
    char head[160];
    int hn = snprintf(head, sizeof head, "\nL %zu %zu %zu %lx\n", e->raw_len, e->z_len,
                      e->map_len, (unsigned long)crc);
    int fd = mkstemp(tmp);
    if (fd >= 0) {
        int ok = write_all(fd, MAGIC "\nK ", strlen(MAGIC) + 3) &&
                 write_all(fd, key, strlen(key)) && write_all(fd, head, (size_t)hn) &&
                 write_all(fd, e->raw, e->raw_len) && write_all(fd, e->z, e->z_len) &&
                 write_all(fd, map, 2 * e->map_len);
        ok = close(fd) == 0 && ok;
        if (!ok || rename(tmp, path) != 0)
            unlink(tmp);
        else
            prune(dir, strrchr(path, '/') + 1);
    }
    free(map);
}
