/* normalize: Han-context punctuation for Chinese blocks (ASCII , : ; ? ! ( ) next to Han text
 * become their full-width forms). Takes a pb_doc; changes it in place and returns the list of
 * every change (line:col, before -> after) for the report. English blocks are never touched.
 * Refused with a file:line:col error: more than 30 combining marks in a row (UAX #15; joiners
 * such as U+034F between them do not end the row), a paragraph over PB_PARA_MAX_CODE_POINTS. */
#ifndef PB_NORMALIZE_H
#define PB_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

#include "corpus.h"

typedef struct {
    int line, col;        /* source position (1-based, col in code points) */
    uint32_t before, after;
} pb_change;

typedef struct {
    pb_change *items;     /* owned */
    size_t n, cap;
} pb_changes;

/* Longest paragraph set, in code points of its source line (2^21), and the most memory one of
 * its code points takes while it is set (measured, rounded up; normalize.c): together about
 * 0.9 GiB at most for the longest paragraph. */
#define PB_PARA_MAX_CODE_POINTS 2097152
#define PB_PARA_BYTES_PER_CODE_POINT 450

pb_status pb_normalize_doc(pb_doc *doc, pb_changes *changes);
void pb_normalize_free_changes(pb_changes *changes);

#endif
