/* util.c: see util.h. */
#include "util.h"
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define READ_CHUNK 65536 /* bytes: the first read's buffer; it doubles after */
#define GROW_FIRST 8     /* elements, when the caller names no first capacity */
#define READ_DOING_MAX 4200 /* bytes: "reading WHAT NAME" for pb_diag_oom (a path of 4 096) */

int pb_util_grow_to(void *arrp, size_t *cap, size_t need, size_t elem, size_t first)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : first ? first : GROW_FIRST;
    while (c < need) {
        if (c > SIZE_MAX / 2)
            return -1;
        c *= 2;
    }
    if (elem && c > SIZE_MAX / elem)
        return -1;
    /* the array's pointer is read and written through memcpy: arrp may point to a pointer of
       any object type (C11 6.5p7 forbids reaching it as a void *) */
    void *old, *p;
    memcpy(&old, arrp, sizeof old);
    p = realloc(old, c * elem);
    if (!p)
        return -1;
    memcpy(arrp, &p, sizeof p);
    *cap = c;
    return 0;
}

void pb_util_trim(void *arrp, size_t *cap, size_t n, size_t elem)
{
    if (n == 0 || n >= *cap)
        return;
    void *old, *p;
    memcpy(&old, arrp, sizeof old);
    if (!(p = realloc(old, n * elem)))
        return;
    memcpy(arrp, &p, sizeof p);
    *cap = n;
}

uint64_t pb_util_hash(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++)
        h = pb_util_hash_byte(h, s[i]);
    return h;
}

static pb_status read_stream(FILE *f, const char *what, const char *name, size_t max, int text,
                             uint8_t **bytes, size_t *len)
{
    *bytes = NULL;
    *len = 0;
    const char *sep = *what ? " " : "";
    uint8_t *b = NULL;
    size_t n = 0, cap = 0;
    int err = 0;
    while (n <= max) {
        if (cap - n < READ_CHUNK) {
            size_t nc = cap ? cap * 2 : READ_CHUNK;
            uint8_t *p = realloc(b, nc + 1);
            if (!p) {
                err = ENOMEM;
                break;
            }
            b = p;
            cap = nc;
        }
        size_t want = cap - n;
        if (want > max + 1 - n)
            want = max + 1 - n;
        size_t got = fread(b + n, 1, want, f);
        n += got;
        /* a text is refused at its first NUL byte (corpus.c), so reading stops after it: an
         * endless device or pipe (/dev/zero, /dev/urandom) ends at once, not at max bytes
         * (review 12 B4: 2 GiB read, 13-27 s, before "file too large") */
        if (text && memchr(b + n - got, 0, got))
            break;
        if (got == 0) {
            if (ferror(f))
                err = errno ? errno : EIO;
            break;
        }
    }
    if (err) {
        free(b);
        if (err != ENOMEM) {
            pb_diag_syserr("cannot read %s%s%s: %s", what, sep, name, strerror(err));
            return PB_ESYSTEM;
        }
        /* the file is fine: what ran out is said, once (review 12 B3) */
        char doing[READ_DOING_MAX];
        snprintf(doing, sizeof doing, "reading %s%s%s", what, sep, name);
        return pb_diag_oom(doing);
    }
    b[n] = 0;
    *bytes = b;
    *len = n;
    return PB_OK;
}

pb_status pb_util_read_stream(FILE *f, const char *what, const char *name, size_t max,
                                 uint8_t **bytes, size_t *len)
{
    return read_stream(f, what, name, max, 0, bytes, len);
}

pb_status pb_util_read_text_stream(FILE *f, const char *name, size_t max, uint8_t **bytes,
                                      size_t *len)
{
    return read_stream(f, "", name, max, 1, bytes, len);
}

static pb_status read_file(const char *path, const char *what, size_t max, int text,
                           uint8_t **bytes, size_t *len)
{
    *bytes = NULL;
    *len = 0;
    /* O_NONBLOCK: opening a FIFO no one writes would wait for ever (review 11); opened so, a
     * read with no writer ends at once, and the reads block as usual once the flag is off, so
     * a pipe with a writer (bash's <(...)) is read whole */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat sb;
    int known = fd >= 0 && fstat(fd, &sb) == 0;
    int fifo = known && S_ISFIFO(sb.st_mode);
    int device = known && (S_ISCHR(sb.st_mode) || S_ISBLK(sb.st_mode));
    int flags = fd >= 0 ? fcntl(fd, F_GETFL) : -1;
    FILE *f = flags >= 0 && fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == 0 ? fdopen(fd, "rb") : NULL;
    if (!f) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        pb_diag_syserr("cannot read %s%s%s: %s", what, *what ? " " : "", path, strerror(e));
        return PB_ESYSTEM;
    }
    if (text && device) {
        fclose(f); /* /dev/zero, /dev/urandom, a terminal: no text ends there */
        pb_diag_syserr("cannot read %s%s%s: a device, not a file: name a file, or pipe the "
                       "text to - (standard input)",
                       what, *what ? " " : "", path);
        return PB_ESYSTEM;
    }
    pb_status st = read_stream(f, what, path, max, text, bytes, len);
    fclose(f);
    if (st == PB_OK && fifo && *len == 0) {
        free(*bytes);
        *bytes = NULL;
        pb_diag_syserr("cannot read %s%s%s: a FIFO nothing was written to (no program had it "
                       "open for writing): start the writer first, or pipe the text to - "
                       "(standard input)",
                       what, *what ? " " : "", path);
        return PB_ESYSTEM;
    }
    return st;
}

pb_status pb_util_read_file(const char *path, const char *what, size_t max, uint8_t **bytes,
                               size_t *len)
{
    return read_file(path, what, max, 0, bytes, len);
}

pb_status pb_util_read_text_file(const char *path, size_t max, uint8_t **bytes, size_t *len)
{
    return read_file(path, "", max, 1, bytes, len);
}

/* ---- near misses (layout keys and values, markup attributes) ----------------------------- */

/* Near misses: a key or word at most this many edits (insert, delete, change, swap two
 * neighbours: Damerau's four) from a known one is suggested; a word of at most
 * NEAR_SHORT_LEN characters only at one edit. '_' for '-' and letter case count as none. */
#define NEAR_EDITS 2
#define NEAR_SHORT_LEN 4

/* The character as compared: lower case, '_' as '-'. */
static int fold(int ch)
{
    ch = tolower((unsigned char)ch);
    return ch == '_' ? '-' : ch;
}

/* Edits from a to b (Damerau's optimal string alignment distance), or PB_UTIL_NEAR_LEN_MAX when either
 * is longer than that. */
static int edits(const char *a, const char *b)
{
    size_t m = strlen(a), n = strlen(b);
    if (m > PB_UTIL_NEAR_LEN_MAX || n > PB_UTIL_NEAR_LEN_MAX)
        return PB_UTIL_NEAR_LEN_MAX;
    int d[PB_UTIL_NEAR_LEN_MAX + 1][PB_UTIL_NEAR_LEN_MAX + 1];
    for (size_t i = 0; i <= m; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= n; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= m; i++)
        for (size_t j = 1; j <= n; j++) {
            int cost = fold(a[i - 1]) != fold(b[j - 1]);
            int v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v)
                v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) &&
                fold(a[i - 2]) == fold(b[j - 1]) && d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    return d[m][n];
}

int pb_util_near_miss(const char *written, const char *known, int *dist)
{
    int e = edits(written, known);
    size_t shorter = strlen(written) < strlen(known) ? strlen(written) : strlen(known);
    int most = shorter <= NEAR_SHORT_LEN ? 1 : NEAR_EDITS;
    *dist = e;
    return e <= most && strcmp(written, known) != 0;
}
