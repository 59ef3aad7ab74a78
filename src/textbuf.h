/* textbuf: a growable byte buffer for the PDF and XMP writers.
 * Takes bytes and strings appended in order; returns them NUL-terminated in b (oom set, and
 * later appends ignored, when memory ran out). The owner frees b. */
#ifndef PB_TEXTBUF_H
#define PB_TEXTBUF_H

#include <stddef.h>

typedef struct {
    char *b;        /* owned, NUL-terminated */
    size_t n, cap;  /* bytes used, allocated */
    int oom;        /* an append failed */
} pb_buf;

void pb_buf_put(pb_buf *s, const char *p, size_t n);
void pb_buf_str(pb_buf *s, const char *p);

#endif
