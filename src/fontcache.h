/* fontcache: the faces fontconfig chose for a set of families, kept between runs in
 * $XDG_CACHE_HOME/paiban (or ~/.cache/paiban). Takes a key, the matches and the paths they
 * depend on; returns the matches on a later run while every such path is as it was. */
#ifndef PB_FONTCACHE_H
#define PB_FONTCACHE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "fonts.h"

/* A path changed this close to (or after) the start of a read of it may have changed after the
 * reader saw it: its status would then vouch for what was read before the change. File times
 * come from a clock that lags the real one by up to a scheduler tick; one second also covers
 * file systems with whole-second times ("racy git": git's Documentation/technical/racy-git.txt,
 * the same problem for its index). fontconfig's scan here, a font file's bytes in fonts.c. */
#define PB_FONTCACHE_RACY_NS 1000000000LL

/* 0 when PAIBAN_CACHE=0: no cache file is read or written (this one, subsetcache.c's). */
int pb_fontcache_enabled(void);

/* 1 and out[0..n) filled when the cache holds key (exactly) and every path stored with it has
 * the same status (inode, size, mtime, ctime; or is still missing); else 0. Says nothing: the
 * cache is only ever a shortcut, and a damaged or foreign file is a miss. */
int pb_fontcache_lookup(const char *key, pb_font_match *out, size_t n);

/* Keep m[0..n) for key, valid while each of deps[0..ndeps) keeps the status it has now. Keeps
 * nothing (silently) when some path changed at or after since_ns - 1 s (CLOCK_REALTIME: the
 * matches may predate the change), when a key, path, style or file holds a tab or newline, or
 * when the cache folder cannot be written. */
void pb_fontcache_store(const char *key, const char *const *deps, size_t ndeps,
                        const pb_font_match *m, size_t n, int64_t since_ns);

/* The cache folder, or NULL (no absolute $XDG_CACHE_HOME and no $HOME). */
const char *pb_fontcache_dir(char *buf, size_t cap);
/* FOLDER/PREFIXHASH for key into buf (HASH: the first 16 bytes of the key's SHA-256, in hex);
 * NULL if no folder. */
const char *pb_fontcache_file(const char *prefix, const char *key, char *buf, size_t cap);
/* Make the folder and its parents (mode 0700); 0, or -1. */
int pb_fontcache_mkdir(const char *dir);
/* One piece of a cache file's bytes. */
typedef struct {
    const void *p;
    size_t n; /* bytes */
} pb_fontcache_part;
/* Write parts[0..n) as the file at path (in the cache folder, named PREFIXHASH): to a temporary
 * file beside it, then renamed, so a reader sees a whole file or none; then remove the oldest
 * PREFIXHASH files beyond files_max files or bytes_max bytes (never this one). Best effort:
 * says nothing, leaves no temporary file when a write fails. */
void pb_fontcache_put(const char *path, const char *prefix, size_t files_max,
                      unsigned long long bytes_max, const pb_fontcache_part *parts, size_t n);
/* A cache key begun: a memory stream (into *text, *len) holding "exe INODE SIZE MTIME", this
 * program file's identity (a rebuild is another program, which may cut or filter otherwise);
 * NULL if the program file cannot be seen or there is no memory. */
FILE *pb_fontcache_key_begin(char **text, size_t *len);
/* The key written to f (from pb_fontcache_key_begin into *text), or NULL when a write failed. */
char *pb_fontcache_key_end(FILE *f, char **text);
/* The whole regular file of at most max bytes (NUL-terminated, *len its length), or NULL. */
char *pb_fontcache_slurp(const char *path, size_t max, size_t *len);

#endif
