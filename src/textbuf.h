/* textbuf: a growable byte buffer for the PDF and XMP writers.
 * Takes bytes and strings appended in order; returns them NUL-terminated in b (oom set, and
 * later appends ignored, when memory ran out). The owner frees b. */
#ifndef PB_TEXTBUF_H
#define PB_TEXTBUF_H

#include <stddef.h>
#include <string.h>

typedef struct {
    char *b;        /* owned, NUL-terminated */
    size_t n, cap;  /* bytes used, allocated */
    int oom;        /* an append failed */
} pb_buf;

/* pb_buf_put when the bytes do not fit: grows the buffer first. */
void pb_buf_grow_put(pb_buf *s, const char *p, size_t n);

/* Append n bytes. Inline: a page's content is millions of appends of a few bytes, most of
 * them constant strings whose length and copy the compiler knows. */
static inline void pb_buf_put(pb_buf *s, const char *p, size_t n)
{
    if (s->oom || s->n + n + 1 > s->cap) {
        pb_buf_grow_put(s, p, n);
        return;
    }
    memcpy(s->b + s->n, p, n);
    s->n += n;
    s->b[s->n] = 0;
}

static inline void pb_buf_str(pb_buf *s, const char *p) { pb_buf_put(s, p, strlen(p)); }

#endif
