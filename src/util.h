/* util: the helpers every stage shares: growing an array, reading a whole file, a 64-bit hash.
 * Takes arrays with their capacity, paths or streams, bytes; returns 0/-1 or a pb_status. */
#ifndef PB_UTIL_H
#define PB_UTIL_H

#include "diag.h"
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Make room for need elements of elem bytes in the array *arrp (a pointer to the array's
 * pointer, of any element type) whose capacity is *cap: the capacity doubles from first (or
 * 8 when first is 0) until it holds need. Returns 0, or -1 with the array and *cap untouched
 * when memory runs out or the size would overflow. The callers print the message. */
int pb_util_grow_to(void *arrp, size_t *cap, size_t need, size_t elem, size_t first);
/* The same, with room enough answered inline (most calls: an array grows by doubling). */
static inline int pb_util_grow(void *arrp, size_t *cap, size_t need, size_t elem, size_t first)
{
    return need <= *cap ? 0 : pb_util_grow_to(arrp, cap, need, elem, first);
}
/* The usual call: room for one more after n elements of arr, capacity field cap. */
#define PB_GROW(arr, cap, n) pb_util_grow(&(arr), &(cap), (size_t)(n) + 1, sizeof *(arr), 0)
/* Give back the capacity past n elements of a grown array (a finished one that is kept a
 * while: doubling leaves up to half of it unused). When realloc cannot, it stays as it was. */
void pb_util_trim(void *arrp, size_t *cap, size_t n, size_t elem);

/* The file in a malloc'ed buffer (one NUL added after the len bytes), reading no more than
 * max + 1 bytes: *len > max tells the caller the file is larger than max (so /dev/zero ends).
 * Messages: "cannot read WHAT PATH: reason" (what may be ""), PB_ESYSTEM. */
pb_status pb_util_read_file(const char *path, const char *what, size_t max, uint8_t **bytes,
                            size_t *len);
/* The same from an open stream (e.g. stdin) named name in messages; f stays open. */
pb_status pb_util_read_stream(FILE *f, const char *what, const char *name, size_t max,
                              uint8_t **bytes, size_t *len);
/* The same for a text (a corpus): reading stops after the first NUL byte (a text with one is
 * refused), and a device (/dev/zero, a terminal) named by path is refused, so an endless
 * source ends at once. */
pb_status pb_util_read_text_file(const char *path, size_t max, uint8_t **bytes, size_t *len);
pb_status pb_util_read_text_stream(FILE *f, const char *name, size_t max, uint8_t **bytes,
                                   size_t *len);

/* 64-bit FNV-1a (Fowler, Noll, Vo; the IETF draft-eastlake-fnv) of n bytes, continuing from h:
 * start from PB_UTIL_HASH_INIT. Not for security: for hash tables and cache keys. */
#define PB_UTIL_HASH_INIT 14695981039346656037ULL /* the FNV-1a 64-bit offset basis */
uint64_t pb_util_hash(uint64_t h, const void *p, size_t n);
#define PB_UTIL_HASH_PRIME 1099511628211ULL /* the FNV 64-bit prime */
/* The same one byte on, inline: for hashes made a byte at a time in a loop. */
static inline uint64_t pb_util_hash_byte(uint64_t h, unsigned char c)
{
    return (h ^ c) * PB_UTIL_HASH_PRIME;
}

/* llround(x), inline: the call into libm costs more than the rounding on the per-glyph paths
 * of the PDF writer (1.2 % of a long booklet's instructions). The same value, half away from
 * zero: below 2^52 the truncated integer and the fraction left are exact; beyond it (no
 * fraction left) or for NaN, llround itself. */
#define PB_UTIL_EXACT_FRACTION_LIMIT 0x1p52
static inline long long pb_util_round(double x)
{
    if (!(fabs(x) < PB_UTIL_EXACT_FRACTION_LIMIT))
        return llround(x);
    long long i = (long long)x;
    double f = x - (double)i;
    return i + (f >= 0.5) - (f <= -0.5);
}

/* Longest word compared for a near miss (keys and values are short). */
#define PB_UTIL_NEAR_LEN_MAX 40
/* Is written a near miss of known (and not known itself): at most two edits (insert, delete,
 * change, swap two neighbours: Damerau's four), one for a word of at most four characters;
 * '_' for '-' and letter case count as none? *dist: the edits (smaller: nearer). */
int pb_util_near_miss(const char *written, const char *known, int *dist);

#endif
