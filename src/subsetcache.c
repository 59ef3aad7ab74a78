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
    if (!ident[0] || strpbrk(file, "\n") || strpbrk(versions, "\n"))
        return NULL;
    char *text;
    size_t len;
    FILE *f = pb_fontcache_key_begin(&text, &len);
    if (!f)
        return NULL;
    fprintf(f, "; %s; level %d; face %d %s; file %s; glyphs", versions, level, index, ident, file);
    for (size_t i = 0; i < n; i++)
        fprintf(f, " %x", (unsigned)gids[i]);
    return pb_fontcache_key_end(f, &text);
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
    char path[4200];
    if (!pb_fontcache_enabled() || !pb_fontcache_file(NAME_PREFIX, key, path, sizeof path))
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

void pb_subsetcache_store(const char *key, const pb_subsetcache_entry *e)
{
    char path[4200];
    size_t body = e->raw_len + e->z_len + 2 * e->map_len;
    if (!pb_fontcache_enabled() || strchr(key, '\n') || body > SUBSETCACHE_ENTRY_MAX ||
        !pb_fontcache_file(NAME_PREFIX, key, path, sizeof path))
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
    const pb_fontcache_part parts[] = {{MAGIC "\nK ", strlen(MAGIC) + 3}, {key, strlen(key)},
                                       {head, (size_t)hn},         {e->raw, e->raw_len},
                                       {e->z, e->z_len},           {map, 2 * e->map_len}};
    pb_fontcache_put(path, NAME_PREFIX, SUBSETCACHE_FILES_MAX, SUBSETCACHE_BYTES_MAX, parts,
                     sizeof parts / sizeof *parts);
    free(map);
}
