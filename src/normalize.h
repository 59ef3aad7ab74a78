/* normalize: Han-context punctuation for Chinese blocks (ASCII , : ; ? ! ( ) next to Han text
 * become their full-width forms). Takes a pb_doc; changes it in place and returns the list of
 * every change (line:col, before -> after) for the report. English blocks are never touched.
 * Text with more than 30 combining marks in a row (UAX #15; joiners such as U+034F between them
 * do not end the row) is refused: file:line:col error. */
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

pb_status pb_normalize_doc(pb_doc *doc, pb_changes *changes);
void pb_normalize_free_changes(pb_changes *changes);

#endif
