/* subsetcache: the embedded font programs kept between runs in $XDG_CACHE_HOME/paiban (or
 * ~/.cache/paiban), beside fontcache.c's files. Takes a key (the font file's identity, the
 * glyph set, the compression level, the program's and libraries' versions); returns the
 * hb-subset program, its deflated stream and (TrueType) the glyph map cut for that key. */
#ifndef PB_SUBSETCACHE_H
#define PB_SUBSETCACHE_H

#include <stddef.h>
#include <stdint.h>

/* What one font program's cache entry holds: every array malloc'd (owned by the caller once
 * looked up; borrowed by a store). */
typedef struct {
    uint8_t *raw;          /* the font program as hb-subset cut it */
    size_t raw_len;
    uint8_t *z;            /* raw as a zlib stream at the key's level */
    size_t z_len;
    uint16_t *map;         /* TrueType: old glyph id -> new; NULL for CFF */
    size_t map_len;
} pb_subsetcache_entry;

/* The key of a font program, malloc'd (NULL: not cacheable, or no memory). ident is the font
 * file's identity when it was opened (pb_font_info.ident; "" when it cannot vouch for the
 * bytes read), versions the program's and its libraries', level the deflate level. */
char *pb_subsetcache_key(const char *versions, const char *file, const char *ident, int index,
                         int level, const uint32_t *gids, size_t n);

/* 1 and *e filled (owned by the caller) when the cache holds key exactly, whole and with its
 * checksum right; else 0 and *e empty (always with PAIBAN_CACHE=0). Says nothing: a damaged or foreign file is a miss (and
 * is replaced by the next store). A hit makes the entry the newest (eviction is oldest first). */
int pb_subsetcache_lookup(const char *key, pb_subsetcache_entry *e);

/* Keep e for key (a temporary file renamed into place), then remove the oldest entries beyond
 * the cache's bounds. Best effort and silent: the cache is only ever a shortcut. */
void pb_subsetcache_store(const char *key, const pb_subsetcache_entry *e);

void pb_subsetcache_entry_free(pb_subsetcache_entry *e);

#endif
