/* hyphenate: Liang hyphenation with libhyphen's patterns, read once per process (or ahead).
 * Takes a word in lower-case ASCII letters; returns where it may break. */
#ifndef PB_HYPHENATE_H
#define PB_HYPHENATE_H

#include <stddef.h>
#include <stdint.h>

/* Start reading the patterns at path on another thread, keeping only those that can match a
 * word of the given texts (code points; words are runs of ASCII letters): a pattern that is
 * part of no word changes no word's breaks, and reading all 11 100 of Debian's English patterns
 * costs more than setting a small document. The word list is made here, on the caller's
 * thread; the texts need not outlive the call. A word outside that list is hyphenated with
 * the patterns it can match, filtered from the same file then (with no preload: every
 * pattern), so the breaks never depend on the preload. A word's points are kept once found. */
void pb_hyphenate_preload(const char *path, const uint32_t *const *texts, const size_t *lens,
                          size_t n);

/* 1 if the patterns at path can be read (waits for a preload; reads them otherwise), 0 if not.
 * Call on one thread (it may read the file), before pb_hyphenate_word is used on others. */
int pb_hyphenate_ready(const char *path);

/* The hyphenation points of word[0..n) (lower-case ASCII letters): points[k] = 1 when a hyphen
 * may follow letter k, with left letters before the first and right after the last. Returns
 * 0 when the word cannot be hyphenated (no patterns, out of memory). Safe on several threads
 * once pb_hyphenate_ready(path) returned 1. */
int pb_hyphenate_word(const char *path, const char *word, size_t n, int left, int right,
                      uint8_t *points);

/* Free the patterns (waits for a preload). */
void pb_hyphenate_free_cache(void);

#endif
