/* textbuf: append with doubling growth. */
#include "textbuf.h"

#include <stdlib.h>
#include <string.h>

/* First allocation of a buffer (bytes); content streams and XMP packets are a few KiB. */
#define TEXTBUF_FIRST 4096

void pb_buf_grow_put(pb_buf *s, const char *p, size_t n)
{
    if (s->oom)
        return;
    if (s->n + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : TEXTBUF_FIRST;
        while (cap < s->n + n + 1)
            cap *= 2;
        char *v = realloc(s->b, cap);
        if (!v) {
            s->oom = 1;
            return;
        }
        s->b = v;
        s->cap = cap;
    }
    memcpy(s->b + s->n, p, n);
    s->n += n;
    s->b[s->n] = 0;
}
