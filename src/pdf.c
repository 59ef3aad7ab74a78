/* pdf: libharu document; Identity-H Type0 fonts built on libharu's object layer: CID =
 * glyph id of the original face in content, /W and ToUnicode. Tagged (ISO 32000-1 §14.8,
 * PDF/UA-1) from the structure tags.c makes: marked content, the structure tree, XMP.
 * The pdfa-3a/3u profiles add the PDF/A-3 objects (ISO 19005-3) here too, from the pieces
 * archive.c makes without libharu: XMP, OutputIntent, Associated Files, trailer /ID. */
#include "pdf.h"
#include "util.h"

#include "output.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include "hpdfx.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libdeflate.h>
#include <stdatomic.h>

#include "archive.h"
#include "parallel.h"
#include "subsetcache.h"
#include "tags.h"
#include "textbuf.h"
#include "uchar.h"
#include "usage.h"

/* PDF glyph space: widths in thousandths of an em (ISO 32000-1 §9.2.4). */
#define GLYPH_SPACE 1000.0
/* Tz: horizontal scaling in percent, 100 = none (ISO 32000-1 §9.3.4); written to 1/1000 %. */
#define HSCALE_NONE 100.0
#define TZ_UNITS 1000.0
/* ToUnicode: at most 100 entries per bfchar block (ISO 32000-1 §9.10.3 / Adobe TN 5411). */
#define BFCHAR_BLOCK 100
/* FontDescriptor /Flags: bit 3 Symbolic, as recommended for CID fonts (ISO 32000-1 §9.8.2). */
#define FLAG_SYMBOLIC 4
/* FontDescriptor /StemV is required; fonts carry no such value, 80 is the customary guess. */
#define DEFAULT_STEMV 80
/* pdfaid:part of a PDF/A-3 file (ISO 19005-3 §6.6.4), pdfuaid:part of PDF/UA-1 (ISO 14289-1
 * §5). */
#define PDFA_PART 3
#define PDFUA_PART 1
/* Trailer /ID: the first 16 bytes of a SHA-256 over the content (ISO 32000-1 §14.4 asks for
 * 16-byte identifiers; ISO 19005-3 §6.1.3 requires /ID). */
#define ID_SIZE 16
/* ToUnicode targets PDF/A forbids (ISO 19005-3 §6.2.11.7.2): U+0000, U+FEFF, U+FFFE. */
#define IS_BAD_UNICODE(c) ((c) == 0 || (c) == 0xFEFF || (c) == 0xFFFE)
/* Longest text one glyph maps to, in code points (usage.c keeps at most 16; longer is cut
 * here). */
#define GLYPH_TEXT_CAP 64
/* PDF/A-3 output intent subtype (ISO 19005-3 §6.2.3; the PDF/A-1 name is kept) and the ICC
 * registry named for a standard condition (ISO 32000-1 §14.11.5). */
#define OUTPUT_INTENT_S "GTS_PDFA1"
#define ICC_REGISTRY "http://www.color.org"
#define SRGB_COMPONENTS 3 /* /N of an RGB profile */
/* A gap wider than this (em of the smaller size) between two glyphs of a line that is not a
 * word space (a Han-Latin gap of 1/4 em, a stretched line, ruby-spread bases) makes text
 * extractors insert a space the text does not have: poppler from 0.1 em (TextOutputDev.cc
 * minWordBreakSpace), pdf.js from 0.102 em (TRACKING_SPACE_FACTOR), MuPDF from 0.15 em
 * (stext-device.c SPACE_DIST). Half the smallest keeps clear of them all. */
#define TEXT_GAP_EM 0.05
/* A glyph that the next one overlaps by more than this (em of the smaller size) -- a mark set
 * half width or a quarter em in (its blank compressed: （AI）：, ）、, 」。) drawn at its full
 * advance -- makes poppler end the word and read the next glyph as a new line (overlap past
 * 0.2 em, TextOutputDev.cc minDupBreakOverlap; pdf.js ends its item there, NEGATIVE_SPACE_FACTOR
 * -0.2). Half of it keeps clear of both. */
#define TEXT_OVERLAP_EM 0.1
/* The most a line's last mark gives up at a line end: its blank half (compose.c, nodes.c). */
#define LINE_END_BLANK_EM 0.5
/* Text rendering mode 3: neither fill nor stroke (ISO 32000-1 §9.3.6, Table 106). */
#define TR_INVISIBLE 3
/* Streams are deflated with libdeflate at the layout's level ([pdf] compression: fast 1,
 * default 6, zlib's default, which libharu used; best 12). The booklet's file size and the
 * instructions libdeflate spends (callgrind, one thread; corpus scaled as tools/bench.sh does):
 *   level             1          3          6          9          12
 *   1x   bytes   228 748    226 490    224 010    223 333    221 200
 *        instr     14.0 M     21.5 M     25.5 M     34.5 M    170.4 M  (whole run 146.1 M at 6)
 *   100x bytes  7 564 623  7 416 445  7 263 510  7 219 136  7 157 022
 *        instr    238 M      411 M      557 M    1 267 M        -     (whole run 5 388 M at 6)
 * Above 9 each level costs far more than the bytes it saves. */

typedef pb_buf buf;

static void bput(buf *s, const char *p, size_t n) { pb_buf_put(s, p, n); }

static void bstr(buf *s, const char *p) { pb_buf_str(s, p); }

static void bfmt(buf *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bfmt(buf *s, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0)
        bput(s, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* A non-negative integer in decimal: what "%u" prints, without printf's cost (the structure
 * tree writes hundreds of thousands of them in a long document). */
static void buint(buf *s, unsigned long long v)
{
    char tmp[24], *p = tmp + sizeof tmp;
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    bput(s, p, (size_t)(tmp + sizeof tmp - p));
}

/* A number for content streams: at most 3 decimals, no trailing zeros, never "-0". We never
 * call setlocale, so printf uses the C locale's '.'. */
static void bnum(buf *s, double v)
{
    char tmp[32], *p = tmp + sizeof tmp;
    long long m = pb_util_round(v * 1000.0);
    if (m == 0) {
        bput(s, "0", 1);
        return;
    }
    int neg = m < 0;
    unsigned long long a = (unsigned long long)(neg ? -m : m);
    unsigned frac = (unsigned)(a % 1000);
    a /= 1000;
    if (frac) { /* up to three decimals, trailing zeros dropped */
        int digits = 3;
        while (frac % 10 == 0) {
            frac /= 10;
            digits--;
        }
        for (int i = 0; i < digits; i++) {
            *--p = (char)('0' + frac % 10);
            frac /= 10;
        }
        *--p = '.';
    }
    do {
        *--p = (char)('0' + a % 10);
        a /= 10;
    } while (a);
    if (neg)
        *--p = '-';
    bput(s, p, (size_t)(tmp + sizeof tmp - p));
}

typedef struct {
    pb_font *font;
    HPDF_Dict type0;
    pb_font_info info;
    int drawn;            /* some page draws text in it (record_usage) */
    /* the subset, made for all fonts at once (subset jobs), consumed by finish_font */
    pb_status subset_st;
    uint8_t *data;        /* font program */
    size_t len;
    uint16_t *map;        /* TrueType: old gid -> new gid */
    size_t map_len;
    char *cache_key;      /* subsetcache.c's key of the program (NULL: not cached) */
    uint8_t *z;           /* the program deflated, when the cache had it (else NULL) */
    size_t zlen;
} pdf_font;

/* A stream whose bytes are deflated with the others just before the file is written
 * (flush_streams), on all cores, instead of one by one inside HPDF_SaveToFile. */
typedef struct {
    HPDF_Dict dict;
    uint8_t *raw;         /* owned */
    size_t len;
    uint8_t *z;           /* deflated (owned), NULL until flush_streams (or cached) */
    size_t zlen;
    pdf_font *cache_for;  /* a font program to keep in the cache once deflated */
} pending_stream;

typedef struct pb_pdf {
    HPDF_Doc doc;
    pdf_font *fonts;
    size_t n_fonts;
    pb_usage *usage;      /* the glyphs this file draws and their text (record_usage) */
    HPDF_STATUS last_error;
    int pdfa;             /* PB_PROFILE_PDFA3U or PB_PROFILE_PDFA3A */
    int deflate_level;    /* libdeflate's, 1..12 */
    char versions[256];   /* the program's and libraries' (subsetcache.c's keys) */
    long long epoch;      /* the dates' seconds since 1970; < 0 none */
    int reported;         /* a message was printed for the failure */
    int imposed;          /* the 2-up imposition: no bookmarks or page labels */
    pb_pages *spent;      /* pb_pdf_meta.spent: pages whose glyphs go once drawn */
    struct glyph_form *gforms; /* ruby glyphs drawn once as form XObjects, reused */
    size_t n_gforms, cap_gforms;
    pb_archive_hash hash; /* content hash for /ID (pdfa) */
    pending_stream *pend; /* streams to deflate, in creation order */
    size_t n_pend, cap_pend;
    int pend_oom;         /* a stream could not be recorded */
    pb_tags *tags;        /* the structure (NULL: an untagged file, the imposition) */
    const char *lang_zh, *lang_en; /* BCP 47 of the two languages (the elements' /Lang) */
    HPDF_Dict *annots;    /* tagged: the link annotations by /StructParent key - pages */
    size_t cap_annots;
    struct tree_ids *tree; /* what the structure tree's write hooks read (structure()) */
    struct tree_hook *hooks;
    HPDF_Dict elements;   /* the one dict writing every structure element (structure()) */
    /* a file written a page at a time (pb_pdf_begin ... pb_pdf_end): */
    pb_pdf_meta meta;     /* the caller's (what it points to is borrowed) */
    pb_output *out;
    size_t n_pages;       /* the pages the file will have */
    size_t n_marks;       /* its bookmarks (the object count's estimate) */
    int errors;           /* pb_diag_error_count() at the start */
    int ready;            /* every page's glyphs recorded: usage decided, subsets started */
    pb_parallel *subsets; /* the fonts' hb-subset jobs, running while the pages are written */
    atomic_int stopped;   /* the file failed: subset jobs not yet begun do nothing */
    pb_tags tags_store;   /* w->tags points here */
    buf s;                /* a content stream being written */
    float *gap_tz;        /* per glyph of the page being written (text_gaps) */
    size_t cap_gap;
    size_t batch_bytes;   /* raw bytes of the streams pending (deflate batches) */
    struct page_xobjects *pxo; /* per page: the glyph forms it names (xobject_name) */
    uint32_t *xo;         /* the pages' lists of glyph forms, one after another */
    size_t n_xo, cap_xo;
    struct xo_stamp {     /* per glyph form: */
        uint32_t page;    /* 1 + the last page naming it, 0: none */
        uint32_t k;       /* where it stands in that page's list */
    } *xo_stamp;
    size_t cap_stamp;
    char xo_key[24];      /* the name xobject_name returns */
    struct deflate_batch *batch; /* deflating in the background, NULL: none */
} writer;

/* Record data (taken over: freed here on failure too) as the bytes of stream dict d. */
static int defer_owned(writer *w, HPDF_Dict d, uint8_t *data, size_t len)
{
    if (PB_GROW(w->pend, w->cap_pend, w->n_pend)) {
        free(data);
        w->pend_oom = 1;
        return 0;
    }
    pb_hpdfx_set_filter(d, HPDF_STREAM_FILTER_NONE); /* flush_streams writes deflated bytes */
    w->pend[w->n_pend++] = (pending_stream){d, data, len, NULL, 0, NULL};
    w->batch_bytes += len;
    return 1;
}

/* Record a copy of data[0..len) as the bytes of stream dict d. */
static int defer_copy(writer *w, HPDF_Dict d, const void *data, size_t len)
{
    uint8_t *c = malloc(len ? len : 1);
    if (!c) {
        w->pend_oom = 1;
        return 0;
    }
    if (len)
        memcpy(c, data, len);
    return defer_owned(w, d, c, len);
}

/* Deflate p's raw bytes into p->z with compressor c (NULL: no memory, p->z stays NULL); the
 * raw bytes are freed unless the font program cache wants them. */
static void deflate_one(struct libdeflate_compressor *c, pending_stream *p)
{
    if (p->z)
        return; /* deflated in an earlier run (subsetcache.c) */
    size_t cap = c ? libdeflate_zlib_compress_bound(c, p->len) : 0;
    p->z = c ? malloc(cap) : NULL;
    p->zlen = p->z ? libdeflate_zlib_compress(c, p->raw, p->len, p->z, cap) : 0;
    if (!p->zlen) { /* no memory (the bound always fits) */
        free(p->z);
        p->z = NULL;
    }
    if (!p->cache_for) {
        free(p->raw);
        p->raw = NULL;
    }
}

/* Inside the stream's dictionary: libharu drops a /Filter entry of a stream it does not
 * deflate itself, so the entry is written by this hook (HPDF_Dict_Write calls it before >>). */
static HPDF_STATUS write_flate_filter(HPDF_Dict d, HPDF_Stream out)
{
    (void)d;
    return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

/* Hand a deflated stream's bytes to libharu (on the calling thread: libharu is not shared) and
 * free them; the font program cache first keeps a program deflated here. */
static pb_status stream_done(pending_stream *p)
{
    if (p->cache_for && p->z) { /* the next run takes the program as it is now */
        pdf_font *f = p->cache_for;
        pb_subsetcache_entry e = {p->raw, p->len, p->z, p->zlen, f->map, f->map_len};
        pb_subsetcache_store(f->cache_key, &e);
    }
    free(p->raw);
    p->raw = NULL;
    pb_status st = PB_OK;
    if (p->z && p->zlen <= HPDF_LIMIT_MAX_INT)
        pb_hpdfx_stream_exact(pb_hpdfx_stream(p->dict), (HPDF_UINT)p->zlen);
    if (!p->z || p->zlen > HPDF_LIMIT_MAX_INT ||
        HPDF_Stream_Write(pb_hpdfx_stream(p->dict), p->z, (HPDF_UINT)p->zlen) != HPDF_OK)
        st = PB_ESYSTEM;
    pb_hpdfx_set_hook(p->dict, write_flate_filter, pb_hpdfx_hook_attr(p->dict));
    free(p->z);
    p->z = NULL;
    return st;
}

/* The page content streams of a long file are deflated in batches of about this many raw bytes
 * on another core while the next pages are made, and then only their deflated bytes are kept:
 * a file holds the raw content of two batches at most, not of all its pages (at level 6 a page
 * of the booklet deflates to about a fifth). */
#define DEFLATE_BATCH_BYTES (512 * 1024)

/* Streams deflated together in the background: taken out of the writer's pending list, so
 * that the list may grow meanwhile. */
struct deflate_batch {
    pending_stream *v;
    size_t n;
    int level;
    pb_background *job;
};

static void deflate_batch_main(void *ctx)
{
    struct deflate_batch *b = ctx;
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(b->level);
    for (size_t i = 0; i < b->n; i++)
        deflate_one(c, &b->v[i]);
    libdeflate_free_compressor(c);
}

/* Wait for the batch in the background and hand its bytes to libharu. */
static pb_status batch_finish(writer *w)
{
    struct deflate_batch *b = w->batch;
    if (!b)
        return PB_OK;
    w->batch = NULL;
    pb_background_free(b->job);
    pb_status st = PB_OK;
    for (size_t i = 0; i < b->n; i++)
        if (stream_done(&b->v[i]) != PB_OK)
            st = PB_ESYSTEM;
    free(b->v);
    free(b);
    return st;
}

/* Once the pending streams (a file's pages and glyph forms) hold DEFLATE_BATCH_BYTES, the
 * batch before is finished and they are deflated in the background. */
static pb_status batch_maybe(writer *w)
{
    if (w->batch_bytes < DEFLATE_BATCH_BYTES || w->pend_oom)
        return PB_OK;
    pb_status st = batch_finish(w);
    struct deflate_batch *b = calloc(1, sizeof *b);
    size_t n = w->n_pend;
    if (st != PB_OK || !b || !(b->v = malloc(n * sizeof *b->v))) {
        free(b);
        return PB_ESYSTEM;
    }
    memcpy(b->v, w->pend, n * sizeof *b->v);
    b->n = n;
    b->level = w->deflate_level;
    w->n_pend = 0; /* the batch owns them now */
    w->batch_bytes = 0;
    w->batch = b;
    b->job = pb_background_new(deflate_batch_main, b); /* NULL: it ran here */
    return PB_OK;
}

typedef struct {
    size_t len, index;  /* a pending stream's length and index */
} stream_ref;

typedef struct {
    writer *w;
    stream_ref *order;  /* pending streams, largest first (the long jobs start first) */
    atomic_size_t next; /* the next entry of order to take */
} deflate_queue;

/* One worker: its own compressor (its tables are large), streams taken from the queue. */
static void deflate_worker(void *ctx, size_t worker)
{
    (void)worker;
    deflate_queue *q = ctx;
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(q->w->deflate_level);
    for (;;) {
        size_t k = atomic_fetch_add(&q->next, 1);
        if (k >= q->w->n_pend)
            break;
        deflate_one(c, &q->w->pend[q->order[k].index]);
    }
    libdeflate_free_compressor(c);
}

static int larger_first(const void *a, const void *b)
{
    const stream_ref *x = a, *y = b;
    if (x->len != y->len)
        return x->len < y->len ? 1 : -1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Deflate every recorded stream still pending on all cores, then hand the bytes to libharu. */
static pb_status flush_streams(writer *w)
{
    if (w->pend_oom || batch_finish(w) != PB_OK)
        return PB_ESYSTEM;
    deflate_queue q = {w, malloc((w->n_pend ? w->n_pend : 1) * sizeof(stream_ref)), 0};
    if (!q.order)
        return PB_ESYSTEM;
    for (size_t i = 0; i < w->n_pend; i++)
        q.order[i] = (stream_ref){w->pend[i].len, i};
    qsort(q.order, w->n_pend, sizeof *q.order, larger_first);
    size_t workers = pb_parallel_threads();
    pb_parallel_run(workers < w->n_pend ? workers : w->n_pend, deflate_worker, &q);
    free(q.order);
    pb_status st = PB_OK;
    for (size_t i = 0; i < w->n_pend; i++)
        if (stream_done(&w->pend[i]) != PB_OK)
            st = PB_ESYSTEM;
    w->n_pend = 0;
    return st;
}

static void free_pending(writer *w)
{
    struct deflate_batch *b = w->batch;
    if (b) { /* a failed file: wait for the batch, then drop it */
        pb_background_free(b->job);
        for (size_t i = 0; i < b->n; i++) {
            free(b->v[i].raw);
            free(b->v[i].z);
        }
        free(b->v);
        free(b);
        w->batch = NULL;
    }
    for (size_t i = 0; i < w->n_pend; i++) {
        free(w->pend[i].raw);
        free(w->pend[i].z);
    }
    free(w->pend);
    w->pend = NULL;
    w->n_pend = 0;
}

/* Hash a length-prefixed part, so that parts cannot run into each other. */
static void hash_part(writer *w, const void *data, size_t len)
{
    uint8_t n[8];
    for (int i = 0; i < 8; i++)
        n[i] = (uint8_t)((uint64_t)len >> (56 - 8 * i));
    pb_archive_hash_update(&w->hash, n, sizeof n);
    pb_archive_hash_update(&w->hash, data, len);
}

static void HPDF_STDCALL on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user)
{
    writer *w = user;
    if (!w->last_error && !w->reported) /* a failed write: output.c said so */
        pb_diag_syserr("libharu error 0x%04X (detail %u)", (unsigned)error_no, (unsigned)detail_no);
    w->last_error = error_no;
}

static int w1000(const pdf_font *f, uint32_t gid)
{
    return (int)pb_util_round(pb_font_get_advance(f->font, gid) * GLYPH_SPACE / f->info.upem);
}

/* The font's Type0 dict, made on first use so unused role fonts leave no object behind. */
static pdf_font *font_for(writer *w, pb_font *font)
{
    for (size_t i = 0; i < w->n_fonts; i++) {
        pdf_font *f = &w->fonts[i];
        if (f->font != font)
            continue;
        if (!f->type0) {
            f->type0 = HPDF_Dict_New(pb_hpdfx_mmgr(w->doc));
            if (!f->type0 || HPDF_Xref_Add(pb_hpdfx_xref(w->doc), f->type0) != HPDF_OK)
                return NULL;
        }
        return f;
    }
    return NULL;
}

/* UTF-16BE with BOM, as a PDF text string (outline titles, Info). Invisible and format
 * characters (default ignorables, Cf: bidi controls, joiners, soft hyphens) are left out: a
 * viewer shows these strings as they are, where a bidi override would reorder the title. */
/* Longest text string written (code points): PDF strings are limited to 32767 bytes
 * (ISO 32000-1 Annex C) and libharu refuses longer ones; a longer title is cut with "…". */
#define TEXT_STRING_MAX 4000

static HPDF_Binary text_string(HPDF_MMgr mmgr, const uint32_t *t, size_t n)
{
    HPDF_BYTE *b = malloc(2 + 4 * (n < TEXT_STRING_MAX ? n : TEXT_STRING_MAX) + 2);
    if (!b)
        return NULL;
    size_t k = 0, kept = 0;
    b[k++] = 0xFE;
    b[k++] = 0xFF;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = t[i];
        if (pb_uchar_is_invisible(c))
            continue;
        if (kept++ == TEXT_STRING_MAX) {
            b[k++] = 0x20; /* U+2026 HORIZONTAL ELLIPSIS */
            b[k++] = 0x26;
            break;
        }
        uint16_t u[2];
        for (size_t q = 0, nu = pb_uchar_utf16(c, u); q < nu; q++) {
            b[k++] = (HPDF_BYTE)(u[q] >> 8);
            b[k++] = (HPDF_BYTE)u[q];
        }
    }
    HPDF_Binary r = HPDF_Binary_New(mmgr, b, (HPDF_UINT)k);
    free(b);
    return r;
}

/* Content of one page: runs of glyphs sharing font, size and baseline, each placed with an
 * absolute Tm and kept on HarfBuzz's positions by TJ adjustments. */
/* Where a content stream's fonts get their resource names: a page (libharu keeps its
 * /Resources) or a form XObject of the imposed file (res: its /Font dict). */
typedef struct {
    HPDF_Page page;
    HPDF_Dict res;          /* form: its /Font dict */
    HPDF_Dict xres;         /* form: its /XObject dict */
    size_t page_no;         /* page: its index */
} font_home;

static const char *font_name(writer *w, font_home *h, pdf_font *pf)
{
    if (h->page)
        return HPDF_Page_GetLocalFontName(h->page, pf->type0);
    const char *key = HPDF_Dict_GetKeyByObj(h->res, pf->type0);
    if (key)
        return key;
    char name[16];
    snprintf(name, sizeof name, "F%zu", (size_t)(pf - w->fonts) + 1);
    if (HPDF_Dict_Add(h->res, name, pf->type0) != HPDF_OK)
        return NULL;
    return HPDF_Dict_GetKeyByObj(h->res, pf->type0);
}

/* c as UTF-16BE in upper-case hex (4 or 8 digits, NUL-terminated) into out; the length. Not
 * sprintf: ToUnicode and ActualText write one per code point. */
static int utf16(uint32_t c, char *out)
{
    static const char hex[] = "0123456789ABCDEF";
    uint16_t u[2];
    int n = 0;
    for (size_t q = 0, nu = pb_uchar_utf16(c, u); q < nu; q++)
        for (int shift = 12; shift >= 0; shift -= 4)
            out[n++] = hex[(u[q] >> shift) & 15];
    out[n] = 0;
    return n;
}

/* Ruby is drawn as the glyphs' outlines, not as text: the running text (copy, search, any
 * extractor) stays the base text alone, with no pinyin between the lines. Each distinct ruby
 * glyph is one form XObject (its outline in font units), placed with a scaling cm; each
 * annotation is a marked-content span whose ActualText is its pinyin (ISO 32000-1 §14.9.4),
 * for the tools that read it. */
struct glyph_form {
    pb_font *font;
    uint32_t gid;
    HPDF_Dict form;
};

static void path_op(void *u, char kind, const double *p)
{
    buf *out = u;
    int n = kind == 'c' ? 3 : kind == 'h' ? 0 : 1;
    for (int i = 0; i < 2 * n; i++) {
        bnum(out, p[i]);
        bput(out, " ", 1);
    }
    bput(out, kind == 'm' ? "m\n" : kind == 'l' ? "l\n" : kind == 'c' ? "c\n" : "h\n", 2);
}

static HPDF_Dict glyph_form_for(writer *w, pb_font *font, uint32_t gid, size_t *index)
{
    for (size_t i = 0; i < w->n_gforms; i++)
        if (w->gforms[i].font == font && w->gforms[i].gid == gid) {
            *index = i;
            return w->gforms[i].form;
        }
    if (PB_GROW(w->gforms, w->cap_gforms, w->n_gforms))
        return NULL;
    HPDF_MMgr mm = pb_hpdfx_mmgr(w->doc);
    buf path = {0};
    if (pb_font_outline(font, gid, path_op, &path) != PB_OK || path.oom) {
        free(path.b);
        return NULL;
    }
    bstr(&path, "f\n");
    pb_font_info info;
    pb_font_get_info(font, &info);
    HPDF_Dict form = HPDF_DictStream_New(mm, pb_hpdfx_xref(w->doc));
    HPDF_Array bbox = form ? HPDF_Array_New(mm) : NULL;
    int ok = form && bbox && !path.oom;
    if (ok) {
        ok = HPDF_Dict_AddName(form, "Type", "XObject") == HPDF_OK &&
             HPDF_Dict_AddName(form, "Subtype", "Form") == HPDF_OK &&
             HPDF_Dict_Add(form, "BBox", bbox) == HPDF_OK;
        for (int i = 0; ok && i < 4; i++)
            ok = HPDF_Array_AddNumber(bbox, info.bbox[i]) == HPDF_OK;
        ok = ok && defer_copy(w, form, path.b, path.n);
        if (ok && w->pdfa)
            hash_part(w, path.b, path.n);
    }
    free(path.b);
    if (!ok)
        return NULL;
    w->gforms[w->n_gforms] = (struct glyph_form){font, gid, form};
    *index = w->n_gforms++;
    return form;
}

/* A page's /XObject resources: the glyph forms its content names, X1, X2, ... in the order
 * first drawn (as libharu's HPDF_Page_GetXObjectName names them), kept as indexes of w->gforms
 * (w->xo[first .. first + n)) and written by a hook when the file is saved: a libharu dict
 * entry took 170 bytes, 3.2 MB in the 100x booklet. */
struct page_xobjects {
    writer *w;
    size_t first, n;
};

/* v in decimal at p (no terminator); its length. By hand: snprintf cost more than the rest of
 * a drawn outline glyph's name. */
static size_t put_decimal(char *p, uint64_t v)
{
    char digits[20], *d = digits + sizeof digits;
    do
        *--d = (char)('0' + v % 10);
    while (v /= 10);
    size_t n = (size_t)(digits + sizeof digits - d);
    memcpy(p, d, n);
    return n;
}

static HPDF_STATUS write_xobjects(HPDF_Dict d, HPDF_Stream out)
{
    const struct page_xobjects *px = pb_hpdfx_hook_attr(d);
    const writer *w = px->w;
    for (size_t k = 0; k < px->n; k++) {
        char b[64]; /* "/X<k> <object> 0 R" */
        size_t len = 2;
        memcpy(b, "/X", 2);
        len += put_decimal(b + len, k + 1);
        b[len++] = ' ';
        len += put_decimal(b + len, pb_hpdfx_obj_num(w->gforms[w->xo[px->first + k]].form));
        memcpy(b + len, " 0 R\012", 5);
        len += 5;
        if (HPDF_Stream_Write(out, (const HPDF_BYTE *)b, (HPDF_UINT)len) != HPDF_OK)
            return HPDF_FILE_IO_ERROR;
    }
    return HPDF_OK;
}

static const char *xobject_name(writer *w, font_home *h, HPDF_Dict form, size_t index)
{
    if (h->page) {
        struct page_xobjects *px = &w->pxo[h->page_no];
        if (!px->w) { /* the page's first: its /XObject dict (libharu's place for it) */
            HPDF_Dict res = HPDF_Page_GetInheritableItem(h->page, "Resources", HPDF_OCLASS_DICT);
            HPDF_Dict xo = res ? HPDF_Dict_New(pb_hpdfx_mmgr(w->doc)) : NULL;
            if (!xo || HPDF_Dict_Add(res, "XObject", xo) != HPDF_OK)
                return NULL;
            pb_hpdfx_page_attr(h->page)->xobjects = xo;
            pb_hpdfx_set_hook(xo, write_xobjects, px);
            *px = (struct page_xobjects){w, w->n_xo, 0};
        }
        if (w->cap_stamp < w->n_gforms) {
            size_t old = w->cap_stamp;
            if (PB_GROW(w->xo_stamp, w->cap_stamp, w->n_gforms - 1))
                return NULL;
            memset(w->xo_stamp + old, 0, (w->cap_stamp - old) * sizeof *w->xo_stamp);
        }
        struct xo_stamp *st = &w->xo_stamp[index];
        if (st->page != h->page_no + 1) { /* not yet named on this page */
            if (PB_GROW(w->xo, w->cap_xo, w->n_xo))
                return NULL;
            w->xo[w->n_xo++] = (uint32_t)index;
            *st = (struct xo_stamp){(uint32_t)h->page_no + 1, (uint32_t)px->n++};
        }
        /* its name's number: where it stands in the page's list, from 1 */
        w->xo_key[0] = 'X';
        w->xo_key[1 + put_decimal(w->xo_key + 1, (uint64_t)st->k + 1)] = '\0';
        return w->xo_key;
    }
    const char *key = HPDF_Dict_GetKeyByObj(h->xres, form);
    if (key)
        return key;
    char name[24];
    snprintf(name, sizeof name, "G%zu", index + 1);
    if (HPDF_Dict_Add(h->xres, name, form) != HPDF_OK)
        return NULL;
    return HPDF_Dict_GetKeyByObj(h->xres, form);
}

/* Glyphs drawn as outlines: each use of a glyph form, scaled and placed. */
static pb_status draw_glyph_form(writer *w, font_home *home, const pb_gpos *g, buf *out)
{
    size_t index;
    HPDF_Dict form = glyph_form_for(w, g->font, g->gid, &index);
    const char *name = form ? xobject_name(w, home, form, index) : NULL;
    if (!name)
        return PB_ESYSTEM;
    double s = g->size / pb_font_get_upem(g->font);
    bstr(out, "q ");
    bnum(out, s * g->hscale); /* a condensed ruby is narrower */
    bstr(out, " 0 0 ");
    bnum(out, s);
    bstr(out, " ");
    bnum(out, g->x);
    bstr(out, " ");
    bnum(out, g->y);
    bstr(out, " cm /");
    bstr(out, name);
    bstr(out, " Do Q\n");
    return PB_OK;
}

/* A glyph drawn as text (the ruby and the running heads are outlines). */
static int is_text(const pb_gpos *g) { return !g->ruby && !g->artifact; }

/* The end of the cluster glyph i begins: the next text glyph that begins one, or n. */
static size_t cluster_end(const pb_page *pg, size_t i)
{
    size_t j = i + 1;
    while (j < pg->n && (!is_text(&pg->g[j]) || pg->g[j].ntext == 0))
        j++;
    return j;
}

/* Code points of gid's text that ToUnicode may carry (0 when none is left). */
static size_t glyph_text(const writer *w, const pb_font *font, uint32_t gid, uint32_t *out,
                         size_t cap)
{
    const uint32_t *t;
    size_t tl = pb_usage_text(w->usage, font, gid, &t), k = 0;
    for (size_t i = 0; i < tl && k < cap; i++)
        if (!IS_BAD_UNICODE(t[i]))
            out[k++] = t[i];
    return k;
}

/* The text glyphs [i, end) of a cluster map to in ToUnicode, next to the cluster's own text: if
 * they differ (an invisible character, a code point sharing another's glyph, a soft hyphen
 * drawn as a hyphen), the cluster needs ActualText. */
static int needs_actual_text(const writer *w, const pb_page *pg, size_t i, size_t end)
{
    const pb_gpos *g0 = &pg->g[i];
    size_t at = 0;
    for (size_t k = i; k < end; k++) {
        if (!is_text(&pg->g[k]))
            continue;
        /* glyph_text()'s code points, compared where they are instead of copied */
        const uint32_t *t;
        size_t tl = pb_usage_text(w->usage, pg->g[k].font, pg->g[k].gid, &t);
        for (size_t q = 0, n = 0; q < tl && n < GLYPH_TEXT_CAP; q++) {
            if (IS_BAD_UNICODE(t[q]))
                continue;
            if (at >= g0->ntext || g0->text[at] != t[q])
                return 1;
            n++;
            at++;
        }
    }
    return at != g0->ntext;
}

/* UTF-16BE hex of text[0..n), for an ActualText string <FEFF...>. */
static void utf16_hex(buf *out, const uint32_t *text, size_t n)
{
    if (n > TEXT_STRING_MAX)
        n = TEXT_STRING_MAX; /* a string's limit (ISO 32000-1 Annex C); only a hostile run of
                              * invisible characters makes a cluster this long */
    bstr(out, "<FEFF");
    for (size_t k = 0; k < n; k++) {
        char u[16];
        utf16(text[k], u);
        bstr(out, u);
    }
    bstr(out, ">");
}

/* The tagged page's marked-content data (NULL: an untagged file). */
static const pb_tag_page *tag_page(const writer *w, size_t page_no)
{
    return w->tags && page_no < w->tags->n_pages ? &w->tags->pages[page_no] : NULL;
}

/* The element MCID m of a tagged page belongs to. */
static const pb_tag_elem *mc_owner(const writer *w, const pb_tag_page *tp, uint32_t m)
{
    return &w->tags->elems[tp->owner[m]];
}

/* Open the marked-content sequence of MCID m: its element's type as the tag (ISO 32000-1
 * §14.7.4.2), and for content drawn as outlines its element's text as ActualText. */
static void mc_open(const writer *w, const pb_tag_page *tp, uint32_t m, int outlines, buf *out)
{
    const pb_tag_elem *e = mc_owner(w, tp, m);
    bput(out, "/", 1);
    bstr(out, pb_tags_name(e->type));
    bstr(out, " <</MCID ");
    buint(out, m);
    if (outlines && e->alt) {
        bstr(out, " /ActualText ");
        utf16_hex(out, e->alt, e->alt_len);
    }
    bstr(out, ">> BDC\n");
}

/* Glyphs drawn as outlines that are text of the document: ruby (one marked span per
 * annotation, its pinyin as ActualText for the tools that read it) and, tagged, list bullets
 * (their item's Lbl). Untagged, each annotation is a Span with ActualText. */
static pb_status tagged_paths(writer *w, font_home *home, const pb_page *pg,
                              const pb_tag_page *tp, buf *out)
{
    size_t i = 0;
    while (i < pg->n) {
        const pb_gpos *g = &pg->g[i];
        uint32_t m = tp ? tp->mcid[i] : PB_TAG_NONE;
        if (is_text(g) || (!g->ruby && m == PB_TAG_NONE)) {
            i++;
            continue;
        }
        /* one annotation (or one label): its first glyph and those after it in its span */
        size_t j = i + 1, len = g->ntext;
        while (j < pg->n && (tp ? tp->mcid[j] == m && !is_text(&pg->g[j])
                                : pg->g[j].ruby && !pg->g[j].ruby_first)) {
            len += pg->g[j].ntext;
            j++;
        }
        if (tp) {
            mc_open(w, tp, m, 1, out);
        } else {
            bstr(out, "/Span <</ActualText ");
            utf16_hex(out, g->text, len);
            bstr(out, ">> BDC\n");
        }
        for (size_t k = i; k < j; k++) {
            pb_status st = draw_glyph_form(w, home, &pg->g[k], out);
            if (st != PB_OK)
                return st;
        }
        bstr(out, "EMC\n");
        i = j;
    }
    return out->oom ? PB_ESYSTEM : PB_OK;
}

/* Running heads and folios are pagination artifacts, emphasis dots and (untagged) bullets
 * layout artifacts (ISO 32000-1 §14.8.2.2): drawn as outlines in an /Artifact sequence, so the
 * document's text is the text alone. So is the ink of a glyph whose text is drawn invisible
 * (text_gaps): the text is its content, the outline only how it looks. */
static pb_status artifact_paths(writer *w, font_home *home, const pb_page *pg,
                                const pb_tag_page *tp, const float *gap_tz, buf *out)
{
    static const char *const open_of[] = {"/Artifact BMC\n",
                                          [PB_ARTIFACT_PAGINATION] =
                                              "/Artifact <</Type /Pagination>> BDC\n",
                                          [PB_ARTIFACT_LAYOUT] = "/Artifact <</Type /Layout>> BDC\n"};
    for (int kind = PB_ARTIFACT_NONE; kind <= PB_ARTIFACT_LAYOUT; kind++) {
        int open = 0;
        for (size_t i = 0; i < pg->n; i++) {
            const pb_gpos *g = &pg->g[i];
            int draw = kind == PB_ARTIFACT_NONE ? is_text(g) && gap_tz && gap_tz[i] > 0
                                                : g->artifact == kind &&
                                                      (!tp || tp->mcid[i] == PB_TAG_NONE);
            if (!draw)
                continue;
            if (!open)
                bstr(out, open_of[kind]);
            open = 1;
            pb_status st = draw_glyph_form(w, home, g, out);
            if (st != PB_OK)
                return st;
        }
        if (open)
            bstr(out, "EMC\n");
    }
    return out->oom ? PB_ESYSTEM : PB_OK;
}

/* The first character of the cluster glyph i is part of (0: none). */
static uint32_t cluster_char(const pb_page *pg, size_t i)
{
    while (i > 0 && pg->g[i].ntext == 0)
        i--;
    return pg->g[i].ntext > 0 && pg->g[i].text ? pg->g[i].text[0] : 0;
}

/* The cluster glyph i is part of begins with a word space (U+0020): extractors take a gap
 * after it for that space. */
static int after_space(const pb_page *pg, size_t i) { return cluster_char(pg, i) == ' '; }

/* The cluster glyph i is part of begins with a mark whose blank the composer may compress
 * (full-width punctuation, or a curly quote, which Chinese text sets full width): a glyph
 * overlapping it, or overlapped by it, past TEXT_OVERLAP_EM is such a mark set narrower. A
 * Latin kerning pair (Noto Serif's reach 0.14 em) or a combining mark over its base is not. */
static int compressible(const pb_page *pg, size_t i)
{
    uint32_t c = cluster_char(pg, i);
    return pb_uchar_is_cjk_punct(c) || c == 0x2018 || c == 0x2019 || c == 0x201C || c == 0x201D;
}

/* Where a line leaves a gap after a glyph that no space stands for, or the next glyph overlaps
 * it (a compressed mark's blank, TEXT_OVERLAP_EM), the glyph's text is drawn invisible (its ink
 * as an outline, artifact_paths) with a horizontal scaling that makes its advance reach the
 * next glyph: every extractor then reads the text on as the corpus has it (no space at a
 * Han-Latin gap, no line break inside （AI）：), which ActualText alone cannot do (poppler
 * reads it; pdf.js and MuPDF before 1.23 do not). gap_tz[i]: that Tz (percent), 0 for a glyph
 * drawn as it is. */
static void text_gaps(const pb_page *pg, float *gap_tz)
{
    for (size_t i = 0; i < pg->n; i++)
        gap_tz[i] = 0;
    for (size_t l = 0; l < pg->n_lines; l++) {
        const pb_pline *ln = &pg->lines[l];
        size_t k = SIZE_MAX; /* the previous text glyph of the line */
        for (size_t j = ln->g0; j < ln->g1 && j < pg->n; j++) {
            const pb_gpos *b = &pg->g[j];
            if (!is_text(b))
                continue;
            if (k != SIZE_MAX && pg->g[k].y == b->y) {
                const pb_gpos *a = &pg->g[k];
                double adv = pb_font_get_advance(a->font, a->gid) * a->size /
                             pb_font_get_upem(a->font);
                double gap = b->x - (a->x + adv * a->hscale);
                double em = a->size < b->size ? a->size : b->size;
                if (adv > 0 && ((gap > TEXT_GAP_EM * em && !after_space(pg, k)) ||
                                (gap < -TEXT_OVERLAP_EM * em && b->x > a->x &&
                                 (compressible(pg, k) || compressible(pg, j)))))
                    gap_tz[k] = (float)((b->x - a->x) / adv * HSCALE_NONE);
            }
            k = j;
        }
        /* likewise a line's last mark set half width (its blank compressed, compose.c): its
         * advance would reach past the line's end, which extractors read as a hanging mark */
        if (k != SIZE_MAX) {
            const pb_gpos *a = &pg->g[k];
            double adv = pb_font_get_advance(a->font, a->gid) * a->size / pb_font_get_upem(a->font);
            double over = a->x + adv * a->hscale - (ln->x + ln->width);
            if (adv > 0 && over > TEXT_GAP_EM * a->size && over <= LINE_END_BLANK_EM * a->size)
                gap_tz[k] = (float)((ln->x + ln->width - a->x) / adv * HSCALE_NONE);
        }
    }
}

/* text_gaps of pg into *gap_tz, grown to the page's glyphs (*cap); 0 when out of memory. */
static int page_gaps(const pb_page *pg, float **gap_tz, size_t *cap)
{
    if (pg->n > *cap) {
        float *v = realloc(*gap_tz, pg->n * sizeof *v);
        if (!v)
            return 0;
        *gap_tz = v;
        *cap = pg->n;
    }
    text_gaps(pg, *gap_tz);
    return 1;
}

static pb_status page_content(writer *w, font_home *home, size_t page_no, const pb_page *pg,
                              const float *gap_tz, buf *out)
{
    out->n = 0;
    const pb_tag_page *tp = tag_page(w, page_no);
    bstr(out, "BT\n");
    double tz = HSCALE_NONE; /* the text state's horizontal scaling (Tz, percent) */
    size_t span_last = SIZE_MAX; /* the last glyph of the open ActualText span */
    uint32_t mc = PB_TAG_NONE; /* the open marked-content sequence (tagged) */
    size_t i = 0;
    while (i < pg->n) {
        const pb_gpos *g0 = &pg->g[i];
        if (!is_text(g0)) {
            i++; /* drawn as outlines after the text (tagged_paths, artifact_paths) */
            continue;
        }
        pdf_font *pf = font_for(w, g0->font);
        if (!pf)
            return PB_ESYSTEM;
        const char *name = font_name(w, home, pf);
        if (!name)
            return PB_ESYSTEM;
        size_t j = i + 1;
        while (j < pg->n && pg->g[j].font == g0->font && pg->g[j].size == g0->size &&
               pg->g[j].y == g0->y && pg->g[j].x >= pg->g[j - 1].x &&
               pg->g[j].ruby == g0->ruby && pg->g[j].hscale == g0->hscale)
            j++;
        /* font expansion: the word's glyphs drawn wider or narrower (ISO 32000-1 §9.3.4) */
        double run_tz = round(g0->hscale * HSCALE_NONE * TZ_UNITS) / TZ_UNITS;
        if (run_tz != tz) {
            bnum(out, run_tz);
            bstr(out, " Tz ");
            tz = run_tz;
        }
        double th = tz / HSCALE_NONE;
        bput(out, "/", 1);
        bstr(out, name);
        bput(out, " ", 1);
        bnum(out, g0->size);
        bstr(out, " Tf 1 0 0 1 ");
        bnum(out, g0->x);
        bstr(out, " ");
        bnum(out, g0->y);
        bstr(out, " Tm ");
        int in_tj = 0; /* a TJ array is open */
        double pen = g0->x; /* where the viewer's pen is, in pt */
        for (size_t k = i; k < j; k++) {
            const pb_gpos *g = &pg->g[k];
            if (!is_text(g))
                continue;
            if (w->pdfa && g->gid == 0) {
                pb_diag_syserr("page %zu draws .notdef (glyph 0) of %s; PDF/A does not allow "
                               "it (ISO 19005-3 §6.2.11.8)",
                               page_no + 1, pf->info.psname);
                w->reported = 1;
                return PB_EINPUT;
            }
            uint32_t m = tp ? tp->mcid[k] : PB_TAG_NONE;
            if (m != mc) { /* a structure element's next sequence (ISO 32000-1 §14.7.4) */
                if (in_tj)
                    bstr(out, "] TJ ");
                in_tj = 0;
                if (span_last != SIZE_MAX)
                    bstr(out, "EMC "); /* a cluster never spans two sequences; to be safe */
                span_last = SIZE_MAX;
                if (mc != PB_TAG_NONE)
                    bstr(out, "EMC\n");
                if (m != PB_TAG_NONE)
                    mc_open(w, tp, m, 0, out);
                mc = m;
            }
            if (g->ntext > 0 && span_last == SIZE_MAX) {
                size_t end = cluster_end(pg, k);
                if (needs_actual_text(w, pg, k, end)) {
                    if (in_tj)
                        bstr(out, "] TJ ");
                    in_tj = 0;
                    /* the cluster's text, read instead of its glyphs' (ISO 32000-1 §14.9.4) */
                    bstr(out, "/Span <</ActualText ");
                    utf16_hex(out, g->text, g->ntext);
                    bstr(out, ">> BDC ");
                    span_last = end - 1;
                    while (!is_text(&pg->g[span_last]))
                        span_last--;
                }
            }
            /* a TJ number moves the pen by -n/1000 em, times Tz */
            long adj = k > i ? (long)pb_util_round((pen - g->x) * GLYPH_SPACE / (g->size * th)) : 0;
            double gz = gap_tz ? round(gap_tz[k] * TZ_UNITS) / TZ_UNITS : 0;
            if (!in_tj && (gz <= 0 || adj != 0))
                bstr(out, "[");
            in_tj |= gz <= 0 || adj != 0;
            if (adj != 0)
                bnum(out, (double)adj);
            pen -= adj * g->size * th / GLYPH_SPACE;
            static const char HEX[] = "0123456789ABCDEF";
            char hx[6] = {'<', HEX[(g->gid >> 12) & 15], HEX[(g->gid >> 8) & 15],
                          HEX[(g->gid >> 4) & 15], HEX[g->gid & 15], '>'};
            if (gz > 0) { /* invisible, as wide as to the next glyph (text_gaps) */
                if (in_tj)
                    bstr(out, "] TJ ");
                bfmt(out, "%d Tr ", TR_INVISIBLE);
                bnum(out, gz);
                bstr(out, " Tz [");
                bput(out, hx, sizeof hx);
                bstr(out, "] TJ 0 Tr ");
                bnum(out, tz);
                bstr(out, " Tz ");
                in_tj = 0;
                pen += w1000(pf, g->gid) * g->size * (gz / HSCALE_NONE) / GLYPH_SPACE;
            } else {
                bput(out, hx, sizeof hx);
                pen += w1000(pf, g->gid) * g->size * th / GLYPH_SPACE;
            }
            if (k == span_last) {
                bstr(out, in_tj ? "] TJ EMC " : "EMC ");
                in_tj = 0;
                span_last = SIZE_MAX;
            }
        }
        bstr(out, in_tj ? "] TJ\n" : "\n");
        i = j;
    }
    if (span_last != SIZE_MAX)
        bstr(out, "EMC\n");
    if (mc != PB_TAG_NONE)
        bstr(out, "EMC\n");
    bstr(out, "ET\n");
    if (out->oom)
        return PB_ESYSTEM;
    pb_status rs = tagged_paths(w, home, pg, tp, out);
    return rs != PB_OK ? rs : artifact_paths(w, home, pg, tp, gap_tz, out);
}

/* Deterministic subset tag (ISO 32000-1 §9.6.4): six capitals from a hash of the glyph set. */
static void subset_tag(const pdf_font *f, const uint32_t *gids, size_t n, char tag[7])
{
    uint64_t h = pb_util_hash(PB_UTIL_HASH_INIT, f->info.psname, strlen(f->info.psname));
    for (size_t i = 0; i < n; i++) {
        uint8_t le[4] = {(uint8_t)gids[i], (uint8_t)(gids[i] >> 8), (uint8_t)(gids[i] >> 16),
                         (uint8_t)(gids[i] >> 24)};
        h = pb_util_hash(h, le, sizeof le);
    }
    for (int i = 0; i < 6; i++) {
        tag[i] = (char)('A' + h % 26);
        h /= 26;
    }
    tag[6] = 0;
}

/* A new indirect stream holding a copy of data, deflated at the end (flush_streams). */
static HPDF_Dict new_stream(writer *w, const void *data, size_t len)
{
    HPDF_Dict d = HPDF_DictStream_New(pb_hpdfx_mmgr(w->doc), pb_hpdfx_xref(w->doc));
    if (!d || !defer_copy(w, d, data, len))
        return NULL;
    return d;
}


static pb_status tounicode(const writer *w, pdf_font *f, const uint32_t *gids, size_t n, buf *s,
                           uint32_t *unmapped)
{
    uint32_t t[GLYPH_TEXT_CAP];
    *unmapped = UINT32_MAX;
    s->n = 0;
    bstr(s, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    size_t i = 0;
    while (i < n) {
        /* count the next block's mapped glyphs */
        size_t k = i, cnt = 0;
        while (k < n && cnt < BFCHAR_BLOCK) {
            if (glyph_text(w, f->font, gids[k], t, GLYPH_TEXT_CAP))
                cnt++;
            else if (*unmapped == UINT32_MAX)
                *unmapped = gids[k];
            k++;
        }
        if (cnt) {
            bfmt(s, "%zu beginbfchar\n", cnt);
            for (size_t m = i; m < k; m++) {
                size_t tl = glyph_text(w, f->font, gids[m], t, GLYPH_TEXT_CAP);
                if (!tl)
                    continue;
                bfmt(s, "<%04X> <", (unsigned)gids[m]);
                for (size_t q = 0; q < tl; q++) {
                    char u[16];
                    utf16(t[q], u);
                    bstr(s, u);
                }
                bstr(s, ">\n");
            }
            bstr(s, "endbfchar\n");
        }
        i = k;
    }
    bstr(s, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    return s->oom ? PB_ESYSTEM : PB_OK;
}

#define CHECK(x)                                                                               \
    do {                                                                                       \
        if ((x) != HPDF_OK)                                                                    \
            goto fail;                                                                         \
    } while (0)
#define CHECKP(x)                                                                              \
    do {                                                                                       \
        if (!(x))                                                                              \
            goto fail;                                                                         \
    } while (0)

/* Record every glyph a page draws as text, with its cluster's text for ToUnicode (every page
 * before the first is written: a glyph's text is decided over the whole file). */
static pb_status record_page(writer *w, const pb_page *pg)
{
    pdf_font *pf = NULL;
    for (size_t i = 0; i < pg->n; i++) {
        const pb_gpos *g = &pg->g[i];
        if (!is_text(g))
            continue;
        if (!pf || pf->font != g->font) {
            pf = NULL;
            for (size_t k = 0; k < w->n_fonts && !pf; k++)
                if (w->fonts[k].font == g->font)
                    pf = &w->fonts[k];
            if (!pf)
                return PB_ESYSTEM;
            pf->drawn = 1;
        }
        /* a glyph that continues a cluster is counted as drawn, with no text of its own */
        size_t end = g->ntext ? cluster_end(pg, i) : i + 1;
        int alone = 1;
        for (size_t k = i + 1; k < end; k++)
            alone &= !is_text(&pg->g[k]);
        pb_status st = pb_usage_add(w->usage, g->font, g->gid, g->text, g->ntext, alone);
        w->reported |= st == PB_ESYSTEM; /* usage.c said so */
        if (st != PB_OK)
            return PB_ESYSTEM;
    }
    return PB_OK;
}

/* One font's hb-subset (a job: it touches its own font only, and only the subset fields). */
static void subset_job(void *ctx, size_t i)
{
    writer *w = ctx;
    pdf_font *f = &w->fonts[i];
    if (atomic_load(&w->stopped)) {
        f->subset_st = PB_ESYSTEM;
        return;
    }
    const uint32_t *gids;
    size_t n = pb_usage_glyphs(w->usage, f->font, &gids);
    if (!f->drawn) /* a role font no page draws is not written */
        return;
    f->cache_key = pb_subsetcache_key(w->versions, f->info.file, f->info.ident, f->info.index,
                                      w->deflate_level, gids, n);
    pb_subsetcache_entry e;
    if (f->cache_key && pb_subsetcache_lookup(f->cache_key, &e)) {
        f->data = e.raw;
        f->len = e.raw_len;
        f->z = e.z;
        f->zlen = e.z_len;
        f->map = e.map;
        f->map_len = e.map_len;
        f->subset_st = PB_OK;
        return;
    }
    f->subset_st = pb_font_subset(f->font, gids, n, &f->data, &f->len, &f->map, &f->map_len);
}

static pb_status finish_font(writer *w, pdf_font *f, buf *s)
{
    HPDF_Doc doc = w->doc;
    HPDF_MMgr mm = pb_hpdfx_mmgr(doc);
    const uint32_t *gids;
    size_t n = pb_usage_glyphs(w->usage, f->font, &gids);
    uint8_t *data = f->data;
    size_t len = f->len, map_len = f->map_len;
    const uint16_t *map = f->map; /* borrowed: the cache keeps it with the program */
    f->data = NULL;
    pb_status st = PB_ESYSTEM;
    if (w->pdfa)
        hash_part(w, data, len);
    char tag[7], base[200];
    subset_tag(f, gids, n, tag);
    snprintf(base, sizeof base, "%s+%s", tag, f->info.psname);

    HPDF_Dict file = HPDF_DictStream_New(mm, pb_hpdfx_xref(doc));
    CHECKP(file);
    int kept = defer_owned(w, file, data, len);
    data = NULL; /* the pending stream owns it now */
    CHECKP(kept);
    pending_stream *prog = &w->pend[w->n_pend - 1];
    if (f->z) { /* the cache's: deflated already */
        prog->z = f->z;
        prog->zlen = f->zlen;
        f->z = NULL;
    } else if (f->cache_key) {
        prog->cache_for = f;
    }
    if (f->info.is_cff)
        CHECK(HPDF_Dict_AddName(file, "Subtype", "CIDFontType0C"));
    else
        CHECK(HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)len));

    HPDF_Dict desc = HPDF_Dict_New(mm);
    CHECKP(desc);
    CHECK(HPDF_Xref_Add(pb_hpdfx_xref(doc), desc));
    double k = GLYPH_SPACE / f->info.upem;
    CHECK(HPDF_Dict_AddName(desc, "Type", "FontDescriptor"));
    CHECK(HPDF_Dict_AddName(desc, "FontName", base));
    CHECK(HPDF_Dict_AddNumber(desc, "Flags", FLAG_SYMBOLIC));
    HPDF_Array bbox = HPDF_Array_New(mm);
    CHECKP(bbox);
    CHECK(HPDF_Dict_Add(desc, "FontBBox", bbox));
    for (int i = 0; i < 4; i++)
        CHECK(HPDF_Array_AddNumber(bbox, (HPDF_INT32)lround(f->info.bbox[i] * k)));
    CHECK(HPDF_Dict_AddNumber(desc, "ItalicAngle", f->info.italic_angle));
    CHECK(HPDF_Dict_AddNumber(desc, "Ascent", (HPDF_INT32)lround(f->info.ascender * k)));
    CHECK(HPDF_Dict_AddNumber(desc, "Descent", (HPDF_INT32)lround(f->info.descender * k)));
    CHECK(HPDF_Dict_AddNumber(desc, "CapHeight", (HPDF_INT32)lround(f->info.cap_height * k)));
    CHECK(HPDF_Dict_AddNumber(desc, "StemV", DEFAULT_STEMV));
    CHECK(HPDF_Dict_Add(desc, f->info.is_cff ? "FontFile3" : "FontFile2", file));

    HPDF_Dict cid = HPDF_Dict_New(mm);
    CHECKP(cid);
    CHECK(HPDF_Xref_Add(pb_hpdfx_xref(doc), cid));
    CHECK(HPDF_Dict_AddName(cid, "Type", "Font"));
    CHECK(HPDF_Dict_AddName(cid, "Subtype", f->info.is_cff ? "CIDFontType0" : "CIDFontType2"));
    CHECK(HPDF_Dict_AddName(cid, "BaseFont", base));
    HPDF_Dict csi = HPDF_Dict_New(mm);
    CHECKP(csi);
    CHECK(HPDF_Dict_Add(cid, "CIDSystemInfo", csi));
    CHECK(HPDF_Dict_Add(csi, "Registry", HPDF_String_New(mm, "Adobe", NULL)));
    CHECK(HPDF_Dict_Add(csi, "Ordering", HPDF_String_New(mm, "Identity", NULL)));
    CHECK(HPDF_Dict_AddNumber(csi, "Supplement", 0));
    CHECK(HPDF_Dict_Add(cid, "FontDescriptor", desc));
    /* /W: runs of consecutive CIDs as c [w1 w2 ...] */
    HPDF_Array W = HPDF_Array_New(mm);
    CHECKP(W);
    CHECK(HPDF_Dict_Add(cid, "W", W));
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && gids[j] == gids[j - 1] + 1)
            j++;
        CHECK(HPDF_Array_AddNumber(W, (HPDF_INT32)gids[i]));
        HPDF_Array ws = HPDF_Array_New(mm);
        CHECKP(ws);
        CHECK(HPDF_Array_Add(W, ws));
        for (size_t m = i; m < j; m++)
            CHECK(HPDF_Array_AddNumber(ws, w1000(f, gids[m])));
        i = j;
    }
    if (!f->info.is_cff) {
        /* CIDToGIDMap: two bytes per CID, the glyph's id in the subset */
        uint8_t *m2 = malloc(2 * (map_len ? map_len : 1));
        CHECKP(m2);
        for (size_t i = 0; i < map_len; i++) {
            m2[2 * i] = (uint8_t)(map[i] >> 8);
            m2[2 * i + 1] = (uint8_t)map[i];
        }
        HPDF_Dict ms = new_stream(w, m2, 2 * map_len);
        free(m2);
        CHECKP(ms);
        CHECK(HPDF_Dict_Add(cid, "CIDToGIDMap", ms));
    }

    uint32_t unmapped;
    if (tounicode(w, f, gids, n, s, &unmapped) != PB_OK)
        goto fail;
    if (w->pdfa && unmapped != UINT32_MAX) {
        pb_diag_syserr("glyph %u of %s stands for no Unicode text; PDF/A-3u needs a ToUnicode "
                       "mapping for every glyph (ISO 19005-3 §6.2.11.7.2)",
                       (unsigned)unmapped, f->info.psname);
        w->reported = 1;
        st = PB_EINPUT;
        goto fail;
    }
    HPDF_Dict tu = new_stream(w, s->b, s->n);
    CHECKP(tu);

    HPDF_Dict t0 = f->type0;
    CHECK(HPDF_Dict_AddName(t0, "Type", "Font"));
    CHECK(HPDF_Dict_AddName(t0, "Subtype", "Type0"));
    CHECK(HPDF_Dict_AddName(t0, "BaseFont", base));
    CHECK(HPDF_Dict_AddName(t0, "Encoding", "Identity-H"));
    HPDF_Array desc_fonts = HPDF_Array_New(mm);
    CHECKP(desc_fonts);
    CHECK(HPDF_Dict_Add(t0, "DescendantFonts", desc_fonts));
    CHECK(HPDF_Array_Add(desc_fonts, cid));
    CHECK(HPDF_Dict_Add(t0, "ToUnicode", tu));
    st = PB_OK;
fail:
    free(data);
    return st;
}

static pb_status metadata(writer *w, const pb_pages *pages, const pb_pdf_meta *meta)
{
    HPDF_Doc doc = w->doc;
    HPDF_MMgr mm = pb_hpdfx_mmgr(doc);
    CHECK(HPDF_SetInfoAttr(doc, HPDF_INFO_PRODUCER, meta->producer));
    CHECK(HPDF_SetInfoAttr(doc, HPDF_INFO_CREATOR,
                           meta->creator ? meta->creator : meta->producer));
    HPDF_Binary title = text_string(mm, meta->title, meta->title_len);
    CHECKP(title);
    CHECK(HPDF_Dict_Add(pb_hpdfx_info(doc), "Title", title));
    if (w->epoch >= 0) {
        char d[PB_ARCHIVE_DATE_MAX];
        pb_archive_pdf_date(w->epoch, d);
        CHECK(HPDF_Dict_Add(pb_hpdfx_info(doc), "CreationDate", HPDF_String_New(mm, d, NULL)));
        CHECK(HPDF_Dict_Add(pb_hpdfx_info(doc), "ModDate", HPDF_String_New(mm, d, NULL)));
    }
    CHECK(HPDF_Dict_Add(pb_hpdfx_catalog(doc), "Lang", HPDF_String_New(mm, meta->lang, NULL)));
    if (pages->n_marks && !w->imposed) {
        CHECK(HPDF_SetPageMode(doc, HPDF_PAGE_MODE_USE_OUTLINE));
        HPDF_Outline parent = NULL; /* the last level-1 heading: level 2 nests under it */
        for (size_t i = 0; i < pages->n_marks; i++) {
            const pb_mark *m = &pages->marks[i];
            HPDF_Outline o = HPDF_CreateOutline(doc, m->level >= 2 ? parent : NULL, "-", NULL);
            CHECKP(o);
            if (m->level == 1)
                parent = o;
            else if (m->level == 0)
                parent = NULL;
            HPDF_Binary t = text_string(mm, m->title, m->len);
            CHECKP(t);
            CHECK(HPDF_Dict_Add(o, "Title", t));
            HPDF_Page pg = HPDF_GetPageByIndex(doc, (HPDF_UINT)m->page);
            CHECKP(pg);
            HPDF_Destination dst = HPDF_Page_CreateDestination(pg);
            CHECKP(dst);
            /* [page /XYZ null top null]: keep the reader's zoom (libharu 2.3.0's SetXYZ
             * refuses zoom 0, so the array is written here) */
            HPDF_Array_Clear(dst);
            CHECK(HPDF_Array_Add(dst, pg));
            CHECK(HPDF_Array_AddName(dst, "XYZ"));
            CHECK(HPDF_Array_Add(dst, HPDF_Null_New(mm)));
            CHECK(HPDF_Array_AddReal(dst, (HPDF_REAL)m->y));
            CHECK(HPDF_Array_Add(dst, HPDF_Null_New(mm)));
            CHECK(HPDF_Outline_SetDestination(o, dst));
        }
    }
    return PB_OK;
fail:
    return PB_ESYSTEM;
}

/* ---- PDF/A-3u (ISO 19005-3) ---------------------------------------------------------- */

/* UTF-8 (invalid bytes as U+FFFD) as malloc'ed code points. */
static uint32_t *utf8_to_cps(const char *s, size_t *n)
{
    size_t len = strlen(s), k = 0;
    uint32_t *t = malloc((len ? len : 1) * sizeof *t);
    if (!t)
        return NULL;
    for (size_t i = 0; i < len;) {
        size_t m = pb_uchar_decode((const uint8_t *)s + i, len - i, &t[k]);
        if (!m) {
            t[k] = 0xFFFD; /* REPLACEMENT CHARACTER */
            m = 1;
        }
        k++;
        i += m;
    }
    *n = k;
    return t;
}

/* Code points as malloc'ed UTF-8 (NULL t: NULL), invisible and format characters left out as
 * in text_string (the XMP titles repeat the Info title). */
static char *cps_to_utf8(const uint32_t *t, size_t n, int *oom)
{
    if (!t)
        return NULL;
    char *s = malloc(4 * n + 1);
    if (!s) {
        *oom = 1;
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!pb_uchar_is_invisible(t[i]))
            k += pb_uchar_encode(t[i], s + k);
    s[k] = 0;
    return s;
}

/* The file name as the byte string /F and the name tree key: printable ASCII kept, every
 * other byte '_' (the full name is /UF). */
static void ascii_name(const char *name, char *out, size_t cap)
{
    size_t k = 0;
    for (const char *p = name; *p && k + 1 < cap; p++)
        out[k++] = (*p > ' ' && *p < 0x7F) ? *p : '_';
    out[k] = 0;
}

#define NAME_MAX_BYTES 256 /* longest stored file name; longer names are cut */

/* The sRGB OutputIntent (ISO 19005-3 §6.2.3) in the catalog's /OutputIntents. */
static pb_status output_intent(writer *w)
{
    HPDF_Doc doc = w->doc;
    HPDF_MMgr mm = pb_hpdfx_mmgr(doc);
    uint8_t *icc = NULL;
    size_t icc_len = 0;
    pb_status st = pb_archive_load_srgb(&icc, &icc_len);
    if (st != PB_OK) {
        w->reported = 1;
        return st;
    }
    st = PB_ESYSTEM;
    hash_part(w, icc, icc_len);
    HPDF_Dict prof = new_stream(w, icc, icc_len);
    CHECKP(prof);
    CHECK(HPDF_Dict_AddNumber(prof, "N", SRGB_COMPONENTS));
    HPDF_Dict oi = HPDF_Dict_New(mm);
    CHECKP(oi);
    CHECK(HPDF_Xref_Add(pb_hpdfx_xref(doc), oi));
    CHECK(HPDF_Dict_AddName(oi, "Type", "OutputIntent"));
    CHECK(HPDF_Dict_AddName(oi, "S", OUTPUT_INTENT_S));
    CHECK(HPDF_Dict_Add(oi, "OutputConditionIdentifier",
                        HPDF_String_New(mm, PB_ARCHIVE_SRGB_CONDITION, NULL)));
    CHECK(HPDF_Dict_Add(oi, "Info", HPDF_String_New(mm, PB_ARCHIVE_SRGB_CONDITION, NULL)));
    CHECK(HPDF_Dict_Add(oi, "RegistryName", HPDF_String_New(mm, ICC_REGISTRY, NULL)));
    CHECK(HPDF_Dict_Add(oi, "DestOutputProfile", prof));
    HPDF_Array ois = HPDF_Array_New(mm);
    CHECKP(ois);
    CHECK(HPDF_Dict_Add(pb_hpdfx_catalog(doc), "OutputIntents", ois));
    CHECK(HPDF_Array_Add(ois, oi));
    st = PB_OK;
fail:
    free(icc);
    return st;
}

/* One source as an Associated File (ISO 19005-3 §6.8, ISO 32000-2 §14.13): an EmbeddedFile
 * stream with its MIME type and /Params, in a Filespec with /F, /UF, /Desc and
 * /AFRelationship /Source. Returns the (indirect) Filespec, NULL on failure. */
static HPDF_Dict embed_source(writer *w, const pb_pdf_source *src, const char *key)
{
    HPDF_Doc doc = w->doc;
    HPDF_MMgr mm = pb_hpdfx_mmgr(doc);
    char date[PB_ARCHIVE_DATE_MAX];
    uint8_t md5[PB_ARCHIVE_MD5_SIZE];
    hash_part(w, src->bytes, src->len);
    HPDF_Dict ef = new_stream(w, src->bytes, src->len);
    if (!ef)
        return NULL;
    if (HPDF_Dict_AddName(ef, "Type", "EmbeddedFile") != HPDF_OK ||
        HPDF_Dict_AddName(ef, "Subtype", src->mime) != HPDF_OK)
        return NULL;
    HPDF_Dict params = HPDF_Dict_New(mm);
    if (!params || HPDF_Dict_Add(ef, "Params", params) != HPDF_OK)
        return NULL;
    pb_archive_pdf_date(w->epoch, date);
    pb_archive_md5(src->bytes, src->len, md5);
    if (src->len > (size_t)HPDF_LIMIT_MAX_INT ||
        HPDF_Dict_AddNumber(params, "Size", (HPDF_INT32)src->len) != HPDF_OK ||
        HPDF_Dict_Add(params, "ModDate", HPDF_String_New(mm, date, NULL)) != HPDF_OK ||
        HPDF_Dict_Add(params, "CheckSum", HPDF_Binary_New(mm, md5, sizeof md5)) != HPDF_OK)
        return NULL;

    HPDF_Dict fs = HPDF_Dict_New(mm);
    if (!fs || HPDF_Xref_Add(pb_hpdfx_xref(doc), fs) != HPDF_OK)
        return NULL;
    size_t n = 0;
    uint32_t *cps = utf8_to_cps(src->name, &n);
    if (!cps)
        return NULL;
    HPDF_Binary uf = text_string(mm, cps, n);
    free(cps);
    HPDF_Dict efd = HPDF_Dict_New(mm);
    if (!uf || !efd || HPDF_Dict_AddName(fs, "Type", "Filespec") != HPDF_OK ||
        HPDF_Dict_Add(fs, "F", HPDF_String_New(mm, key, NULL)) != HPDF_OK ||
        HPDF_Dict_Add(fs, "UF", uf) != HPDF_OK || HPDF_Dict_Add(fs, "EF", efd) != HPDF_OK ||
        HPDF_Dict_Add(efd, "F", ef) != HPDF_OK || HPDF_Dict_Add(efd, "UF", ef) != HPDF_OK ||
        HPDF_Dict_Add(fs, "Desc", HPDF_String_New(mm, src->desc, NULL)) != HPDF_OK ||
        HPDF_Dict_AddName(fs, "AFRelationship", "Source") != HPDF_OK)
        return NULL;
    return fs;
}

/* The sources in the catalog's /AF (given order) and /Names /EmbeddedFiles (a name tree of
 * one leaf, keys in byte order, ISO 32000-1 §7.9.6). */
static pb_status associated_files(writer *w, const pb_pdf_meta *meta)
{
    HPDF_Doc doc = w->doc;
    HPDF_MMgr mm = pb_hpdfx_mmgr(doc);
    size_t n = meta->n_sources;
    char(*keys)[NAME_MAX_BYTES] = calloc(n ? n : 1, sizeof *keys);
    HPDF_Dict *specs = calloc(n ? n : 1, sizeof *specs);
    size_t *order = calloc(n ? n : 1, sizeof *order);
    pb_status st = PB_ESYSTEM;
    CHECKP(keys && specs && order);
    for (size_t i = 0; i < n; i++) {
        ascii_name(meta->sources[i].name, keys[i], sizeof keys[i]);
        for (size_t j = 0; j < i; j++)
            if (strcmp(keys[i], keys[j]) == 0) {
                pb_diag_syserr("two embedded files are both named '%s'", keys[i]);
                w->reported = 1;
                goto fail;
            }
        specs[i] = embed_source(w, &meta->sources[i], keys[i]);
        CHECKP(specs[i]);
        order[i] = i;
    }
    for (size_t i = 1; i < n; i++) /* insertion sort: two or three entries */
        for (size_t j = i; j > 0 && strcmp(keys[order[j - 1]], keys[order[j]]) > 0; j--) {
            size_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    HPDF_Array af = HPDF_Array_New(mm);
    CHECKP(af);
    CHECK(HPDF_Dict_Add(pb_hpdfx_catalog(doc), "AF", af));
    for (size_t i = 0; i < n; i++)
        CHECK(HPDF_Array_Add(af, specs[i]));
    HPDF_Dict names = HPDF_Dict_New(mm), tree = HPDF_Dict_New(mm);
    HPDF_Array leaf = HPDF_Array_New(mm);
    CHECKP(names && tree && leaf);
    CHECK(HPDF_Dict_Add(pb_hpdfx_catalog(doc), "Names", names));
    CHECK(HPDF_Dict_Add(names, "EmbeddedFiles", tree));
    CHECK(HPDF_Dict_Add(tree, "Names", leaf));
    for (size_t i = 0; i < n; i++) {
        CHECK(HPDF_Array_Add(leaf, HPDF_String_New(mm, keys[order[i]], NULL)));
        CHECK(HPDF_Array_Add(leaf, specs[order[i]]));
    }
    st = PB_OK;
fail:
    free(keys);
    free(specs);
    free(order);
    return st;
}

/* The XMP packet as the catalog's /Metadata (every product: PDF/UA-1 §7.1 asks for dc:title):
 * uncompressed, as ISO 19005-3 §6.6.2.1 asks. */
static pb_status xmp_metadata(writer *w, const pb_pdf_meta *meta)
{
    HPDF_Doc doc = w->doc;
    pb_status st = PB_ESYSTEM;
    int oom = 0;
    char *title = cps_to_utf8(meta->title, meta->title_len, &oom);
    char *tzh = cps_to_utf8(meta->title_zh, meta->title_zh_len, &oom);
    char *ten = cps_to_utf8(meta->title_en, meta->title_en_len, &oom);
    pb_archive_source *srcs = calloc(meta->n_sources ? meta->n_sources : 1, sizeof *srcs);
    char *xmp = NULL;
    size_t xmp_len = 0;
    CHECKP(!oom && title && srcs);
    for (size_t i = 0; i < meta->n_sources; i++) {
        srcs[i].role = meta->sources[i].role;
        srcs[i].name = meta->sources[i].name;
        pb_archive_sha256(meta->sources[i].bytes, meta->sources[i].len, srcs[i].sha256);
    }
    pb_archive_xmp_info info = {
        .title = title,
        .title_zh = tzh,
        .title_en = ten,
        .lang_zh = meta->lang,
        .lang_en = meta->lang_en ? meta->lang_en : "en",
        .producer = meta->producer,
        .creator = meta->creator ? meta->creator : meta->producer,
        .epoch = w->epoch,
        .sources = srcs,
        .n_sources = meta->n_sources,
        .section = meta->section,
        .pdfa_part = w->pdfa ? PDFA_PART : 0,
        .pdfa_conformance = meta->profile == PB_PROFILE_PDFA3A ? "A" : "U",
        .pdfua_part = w->tags ? PDFUA_PART : 0,
    };
    if (pb_archive_xmp(&info, &xmp, &xmp_len) != PB_OK) {
        w->reported = 1;
        goto fail;
    }
    if (w->pdfa)
        hash_part(w, xmp, xmp_len);
    HPDF_Dict md = HPDF_DictStream_New(pb_hpdfx_mmgr(doc), pb_hpdfx_xref(doc));
    CHECKP(md);
    pb_hpdfx_set_filter(md, HPDF_STREAM_FILTER_NONE);
    CHECK(HPDF_Stream_Write(pb_hpdfx_stream(md), (const HPDF_BYTE *)xmp, (HPDF_UINT)xmp_len));
    CHECK(HPDF_Dict_AddName(md, "Type", "Metadata"));
    CHECK(HPDF_Dict_AddName(md, "Subtype", "XML"));
    CHECK(HPDF_Dict_Add(pb_hpdfx_catalog(doc), "Metadata", md));
    st = PB_OK;
fail:
    free(xmp);
    free(srcs);
    free(title);
    free(tzh);
    free(ten);
    return st;
}

/* Everything PDF/A-3 adds; the trailer /ID last, from the hash of all content so far. */
static pb_status archive_objects(writer *w, const pb_pdf_meta *meta)
{
    pb_status st;
    if ((st = output_intent(w)) != PB_OK || (st = associated_files(w, meta)) != PB_OK)
        return st;
    return PB_OK;
}

/* The trailer /ID of a PDF/A copy: the hash of all its content (ISO 19005-3 §6.1.3). */
static pb_status archive_id(writer *w)
{
    HPDF_Doc doc = w->doc;
    uint8_t digest[PB_ARCHIVE_SHA256_SIZE];
    pb_archive_hash_final(&w->hash, digest);
    HPDF_Array id = HPDF_Array_New(pb_hpdfx_mmgr(doc));
    CHECKP(id);
    CHECK(HPDF_Dict_Add(doc->trailer, "ID", id));
    /* a new file: both identifiers equal (ISO 32000-1 §14.4) */
    CHECK(HPDF_Array_Add(id, HPDF_Binary_New(pb_hpdfx_mmgr(doc), digest, ID_SIZE)));
    CHECK(HPDF_Array_Add(id, HPDF_Binary_New(pb_hpdfx_mmgr(doc), digest, ID_SIZE)));
    return PB_OK;
fail:
    return PB_ESYSTEM;
}

static pb_status page_labels(writer *w, const pb_pages *pages);

/* Annotation flag Print (ISO 32000-1 §12.5.3; PDF/A asks for it, ISO 19005-3 §6.3.2). */
#define ANNOT_FLAG_PRINT 4

/* A number array [a b c d] for a rectangle. */
static HPDF_Array rect_array(HPDF_MMgr mm, double x0, double y0, double x1, double y1)
{
    HPDF_Array a = HPDF_Array_New(mm);
    if (!a)
        return NULL;
    double v[4] = {x0, y0, x1, y1};
    for (int i = 0; i < 4; i++)
        if (HPDF_Array_AddReal(a, (HPDF_REAL)v[i]) != HPDF_OK)
            return NULL;
    return a;
}

/* The page boundaries a printer reads (ISO 32000-1 §14.11.2): where the finished page is cut
 * (TrimBox) and how far its ink may run past that (BleedBox); a page of a product is cut at
 * its edges and bleeds nothing. */
static pb_status page_boxes(HPDF_Doc doc, HPDF_Page page, const pb_rect *trim, const pb_rect *bleed)
{
    HPDF_Array t = rect_array(pb_hpdfx_mmgr(doc), trim->x0, trim->y0, trim->x1, trim->y1);
    CHECKP(t);
    CHECK(HPDF_Dict_Add(page, "TrimBox", t));
    HPDF_Array b = rect_array(pb_hpdfx_mmgr(doc), bleed->x0, bleed->y0, bleed->x1, bleed->y1);
    CHECKP(b);
    CHECK(HPDF_Dict_Add(page, "BleedBox", b));
    return PB_OK;
fail:
    return PB_ESYSTEM;
}

/* The page's links as /Link annotations with a URI action (ISO 32000-1 §12.5.6.5, §12.6.4.7):
 * one rectangle per line a link's text takes (from the text's descender to its ascender), no
 * border, the target as /Contents (the alternate description ISO 14289-1 §7.18.5 asks for);
 * tagged, each an object reference in its Link element (/StructParent); pages with
 * annotations take them in structure order (/Tabs /S). */
static pb_status link_annots(writer *w, HPDF_Page page, size_t page_no, const pb_page *pg)
{
    HPDF_MMgr mm = pb_hpdfx_mmgr(w->doc);
    HPDF_Array annots = NULL;
    size_t i = 0;
    while (i < pg->n) {
        const pb_gpos *g = &pg->g[i];
        if (!g->link || g->ruby || g->artifact) {
            i++;
            continue;
        }
        double x0 = g->x, x1 = g->x, top = g->y, bottom = g->y;
        size_t j = i;
        for (; j < pg->n && pg->g[j].link == g->link && pg->g[j].y == g->y; j++) {
            const pb_gpos *h = &pg->g[j];
            pb_font_info in;
            pb_font_get_info(h->font, &in);
            double sc = h->size / in.upem;
            double end = h->x + pb_font_get_advance(h->font, h->gid) * sc * h->hscale;
            x0 = h->x < x0 ? h->x : x0;
            x1 = end > x1 ? end : x1;
            top = h->y + in.ascender * sc > top ? h->y + in.ascender * sc : top;
            bottom = h->y + in.descender * sc < bottom ? h->y + in.descender * sc : bottom;
        }
        if (!annots) {
            annots = HPDF_Array_New(mm);
            CHECKP(annots);
            CHECK(HPDF_Dict_Add(page, "Annots", annots));
            CHECK(HPDF_Dict_AddName(page, "Tabs", "S"));
        }
        HPDF_Dict a = HPDF_Dict_New(mm), act = HPDF_Dict_New(mm);
        CHECKP(a && act);
        CHECK(HPDF_Xref_Add(pb_hpdfx_xref(w->doc), a));
        CHECK(HPDF_Array_Add(annots, a));
        CHECK(HPDF_Dict_AddName(a, "Type", "Annot"));
        CHECK(HPDF_Dict_AddName(a, "Subtype", "Link"));
        HPDF_Array r = rect_array(mm, x0, bottom, x1, top);
        CHECKP(r);
        CHECK(HPDF_Dict_Add(a, "Rect", r));
        HPDF_Array border = HPDF_Array_New(mm); /* [0 0 0]: no border drawn */
        CHECKP(border);
        for (int k = 0; k < 3; k++)
            CHECK(HPDF_Array_AddNumber(border, 0));
        CHECK(HPDF_Dict_Add(a, "Border", border));
        CHECK(HPDF_Dict_AddNumber(a, "F", ANNOT_FLAG_PRINT));
        CHECK(HPDF_Dict_Add(a, "A", act));
        CHECK(HPDF_Dict_AddName(act, "S", "URI"));
        CHECK(HPDF_Dict_Add(act, "URI", HPDF_String_New(mm, g->link->target, NULL)));
        CHECK(HPDF_Dict_Add(a, "Contents", HPDF_String_New(mm, g->link->target, NULL)));
        if (w->tags) {
            uint32_t key, elem;
            if (pb_tags_add_annot(w->tags, page_no, i, &key, &elem) != PB_OK)
                goto fail;
            size_t at = key - w->tags->n_pages;
            CHECKP(!PB_GROW(w->annots, w->cap_annots, at));
            w->annots[at] = a;
            CHECK(HPDF_Dict_AddNumber(a, "StructParent", (HPDF_INT32)key));
        }
        i = j;
    }
    return PB_OK;
fail:
    return PB_ESYSTEM;
}

/* Page i of pages, its content deflated in the background once enough is pending (the
 * glyphs of meta.spent's pages freed once drawn). */
static pb_status emit_page(writer *w, pb_pages *pages, size_t i)
{
    HPDF_Doc doc = w->doc;
    buf *s = &w->s;
    const pb_page *pg = &pages->pages[i];
    pb_status ps = PB_ESYSTEM;
    CHECKP(page_gaps(pg, &w->gap_tz, &w->cap_gap));
    HPDF_Page page = HPDF_AddPage(doc);
    CHECKP(page);
    CHECK(HPDF_Page_SetWidth(page, (HPDF_REAL)pg->w));
    CHECK(HPDF_Page_SetHeight(page, (HPDF_REAL)pg->h));
    pb_rect edge = {0, 0, pg->w, pg->h};
    if (page_boxes(doc, page, &edge, &edge) != PB_OK)
        goto fail;
    const pb_tag_page *tp = tag_page(w, i);
    if (tp && tp->n_mcid) /* its key in the ParentTree (ISO 32000-1 §14.7.4.4) */
        CHECK(HPDF_Dict_AddNumber(page, "StructParents", (HPDF_INT32)i));
    font_home home = {page, NULL, NULL, i};
    if ((ps = page_content(w, &home, i, pg, w->gap_tz, s)) != PB_OK)
        return ps;
    if (w->pdfa)
        hash_part(w, s->b, s->n);
    HPDF_PageAttr attr = pb_hpdfx_page_attr(page);
    CHECKP(defer_copy(w, attr->contents, s->b, s->n));
    if ((ps = link_annots(w, page, i, pg)) != PB_OK)
        return ps;
    if (w->tags)
        pb_tags_page_done(w->tags, i);
    if (w->spent == pages) { /* the caller's last use of these glyphs */
        pb_page *done = &pages->pages[i];
        free(done->g);
        free(done->lines);
        done->g = NULL, done->lines = NULL;
        done->n = done->cap = done->n_lines = done->cap_lines = 0;
    }
    return batch_maybe(w);
fail:
    return PB_ESYSTEM;
}

/* /PageLabels (ISO 32000-1 §12.4.2): the cover and inside cover by name, then decimal folios
 * from the first numbered page (blank pages of the padding go on counting), the back cover
 * by name. Built here: libharu 2.3.0 knows no prefix-only range. */
static pb_status page_labels(writer *w, const pb_pages *pages)
{
    HPDF_MMgr mm = pb_hpdfx_mmgr(w->doc);
    static const char *const COVER_LABELS[] = {"Cover", "Inside cover"};
    static const char *const BACK_LABELS[] = {"Inside back cover", "Back cover"};
    HPDF_Dict labels = HPDF_Dict_New(mm);
    CHECKP(labels);
    CHECK(HPDF_Dict_Add(pb_hpdfx_catalog(w->doc), "PageLabels", labels));
    HPDF_Array nums = HPDF_Array_New(mm);
    CHECKP(nums);
    CHECK(HPDF_Dict_Add(labels, "Nums", nums));
    size_t covers = 0;
    int numbering = 0, text = 0; /* a page that is no cover came: covers now are back covers */
    for (size_t i = 0; i < pages->n; i++) {
        const pb_page *p = &pages->pages[i];
        text |= !p->cover;
        if (p->cover) {
            HPDF_Dict d = HPDF_Dict_New(mm);
            CHECKP(d);
            CHECK(HPDF_Array_AddNumber(nums, (HPDF_INT32)i));
            CHECK(HPDF_Array_Add(nums, d));
            const char *name = text ? BACK_LABELS[i + 1 == pages->n]
                                    : COVER_LABELS[covers < 2 ? covers : 1];
            CHECK(HPDF_Dict_Add(d, "P", HPDF_String_New(mm, name, NULL)));
            covers++;
            numbering = 0;
        } else if (!numbering) {
            HPDF_Dict d = HPDF_Dict_New(mm);
            CHECKP(d);
            CHECK(HPDF_Array_AddNumber(nums, (HPDF_INT32)i));
            CHECK(HPDF_Array_Add(nums, d));
            CHECK(HPDF_Dict_AddName(d, "S", "D"));
            CHECK(HPDF_Dict_AddNumber(d, "St", p->folio > 0 ? p->folio : 1));
            numbering = 1;
        }
    }
    return PB_OK;
fail:
    return PB_ESYSTEM;
}

/* Registration colour: marks print on every separation (ISO 32000-1 §8.6.6.4, the colorant
 * All), its tint transform full cyan, magenta, yellow and black (a type 2 function,
 * §7.10.3). One indirect colour space the sheets share. */
static HPDF_Array registration_space(writer *w)
{
    HPDF_MMgr mm = pb_hpdfx_mmgr(w->doc);
    HPDF_Array cs = HPDF_Array_New(mm);
    HPDF_Dict fn = HPDF_Dict_New(mm);
    HPDF_Array dom = HPDF_Array_New(mm), c0 = HPDF_Array_New(mm), c1 = HPDF_Array_New(mm);
    if (!cs || !fn || !dom || !c0 || !c1 || HPDF_Xref_Add(pb_hpdfx_xref(w->doc), cs) != HPDF_OK)
        return NULL;
    if (HPDF_Array_AddName(cs, "Separation") != HPDF_OK || HPDF_Array_AddName(cs, "All") != HPDF_OK ||
        HPDF_Array_AddName(cs, "DeviceCMYK") != HPDF_OK || HPDF_Array_Add(cs, fn) != HPDF_OK ||
        HPDF_Dict_AddNumber(fn, "FunctionType", 2) != HPDF_OK ||
        HPDF_Dict_Add(fn, "Domain", dom) != HPDF_OK || HPDF_Dict_Add(fn, "C0", c0) != HPDF_OK ||
        HPDF_Dict_Add(fn, "C1", c1) != HPDF_OK || HPDF_Dict_AddNumber(fn, "N", 1) != HPDF_OK ||
        HPDF_Array_AddNumber(dom, 0) != HPDF_OK || HPDF_Array_AddNumber(dom, 1) != HPDF_OK)
        return NULL;
    for (int k = 0; k < 4; k++)
        if (HPDF_Array_AddNumber(c0, 0) != HPDF_OK || HPDF_Array_AddNumber(c1, 1) != HPDF_OK)
            return NULL;
    return cs;
}

/* The name the sheets give the registration colour space. */
#define REGISTRATION_CS "CSreg"

/* The crop and fold marks of a sheet side: production aids, a /Page artifact (ISO 32000-1
 * §14.8.2.2.2: "cut marks and colour bars"), hairlines in the registration colour. */
static void draw_marks(const pb_imposition *im, buf *s)
{
    if (!im->n_marks)
        return;
    bstr(s, "/Artifact <</Type /Page>> BDC q /" REGISTRATION_CS " CS 1 SCN ");
    bnum(s, im->mark_width);
    bstr(s, " w 0 J\n");
    for (int fold = 0; fold < 2; fold++) {
        if (fold) {
            bstr(s, "[");
            bnum(s, im->fold_dash);
            bstr(s, "] 0 d\n");
        }
        for (size_t i = 0; i < im->n_marks; i++) {
            const pb_impose_mark *m = &im->marks[i];
            if (m->fold != fold)
                continue;
            bnum(s, m->x0);
            bstr(s, " ");
            bnum(s, m->y0);
            bstr(s, " m ");
            bnum(s, m->x1);
            bstr(s, " ");
            bnum(s, m->y1);
            bstr(s, " l S\n");
        }
    }
    bstr(s, "Q EMC\n");
}

/* The booklet 2-up on landscape press sheets as the plan says (impose.c): every page becomes a
 * form XObject (the same content stream and the same fonts, nothing rasterised) placed in its
 * half, the two meeting at the fold; the marks around them. */
static pb_status emit_imposed(writer *w, const pb_pages *pages, const pb_imposition *im, buf *s)
{
    HPDF_Doc doc = w->doc;
    HPDF_MMgr mm = pb_hpdfx_mmgr(doc);
    HPDF_Dict *forms = calloc(pages->n ? pages->n : 1, sizeof *forms);
    if (!forms)
        return PB_ESYSTEM;
    pb_status st = PB_ESYSTEM;
    float *gap_tz = NULL;
    size_t cap = 0;
    HPDF_Array reg = NULL;
    if (im->n_marks)
        CHECKP(reg = registration_space(w));
    for (size_t i = 0; i < pages->n; i++) {
        const pb_page *pg = &pages->pages[i];
        CHECKP(page_gaps(pg, &gap_tz, &cap));
        HPDF_Dict form = HPDF_DictStream_New(mm, pb_hpdfx_xref(doc));
        CHECKP(form);
        CHECK(HPDF_Dict_AddName(form, "Type", "XObject"));
        CHECK(HPDF_Dict_AddName(form, "Subtype", "Form"));
        HPDF_Array bbox = HPDF_Array_New(mm);
        CHECKP(bbox);
        CHECK(HPDF_Dict_Add(form, "BBox", bbox));
        CHECK(HPDF_Array_AddNumber(bbox, 0));
        CHECK(HPDF_Array_AddNumber(bbox, 0));
        CHECK(HPDF_Array_AddReal(bbox, (HPDF_REAL)pg->w));
        CHECK(HPDF_Array_AddReal(bbox, (HPDF_REAL)pg->h));
        HPDF_Dict res = HPDF_Dict_New(mm);
        CHECKP(res);
        CHECK(HPDF_Dict_Add(form, "Resources", res));
        HPDF_Dict fonts = HPDF_Dict_New(mm);
        CHECKP(fonts);
        CHECK(HPDF_Dict_Add(res, "Font", fonts));
        HPDF_Dict xobjs = HPDF_Dict_New(mm);
        CHECKP(xobjs);
        CHECK(HPDF_Dict_Add(res, "XObject", xobjs));
        font_home home = {NULL, fonts, xobjs, 0};
        pb_status ps = page_content(w, &home, i, pg, gap_tz, s);
        if (ps != PB_OK) {
            st = ps;
            goto fail;
        }
        CHECKP(defer_copy(w, form, s->b, s->n));
        forms[i] = form;
    }
    for (size_t side = 0; side < im->n_sides; side++) {
        const pb_impose_side *sd = &im->sides[side];
        HPDF_Page page = HPDF_AddPage(doc);
        CHECKP(page);
        CHECK(HPDF_Page_SetWidth(page, (HPDF_REAL)im->sheet_w));
        CHECK(HPDF_Page_SetHeight(page, (HPDF_REAL)im->sheet_h));
        if (page_boxes(doc, page, &im->trim, &im->bleed) != PB_OK)
            goto fail;
        s->n = 0;
        for (int k = 0; k < 2; k++) {
            size_t p = sd->page[k];
            if (p == PB_IMPOSE_BLANK || p >= pages->n)
                continue; /* a blank half of the padding */
            const char *name = HPDF_Page_GetXObjectName(page, forms[p]);
            CHECKP(name);
            bstr(s, "q 1 0 0 1 ");
            bnum(s, sd->x[k]);
            bstr(s, " ");
            bnum(s, sd->y);
            bstr(s, " cm /");
            bstr(s, name);
            bstr(s, " Do Q\n");
        }
        if (reg) {
            HPDF_Dict res = HPDF_Dict_GetItem(page, "Resources", HPDF_OCLASS_DICT);
            HPDF_Dict spaces = HPDF_Dict_New(mm);
            CHECKP(res && spaces);
            CHECK(HPDF_Dict_Add(res, "ColorSpace", spaces));
            CHECK(HPDF_Dict_Add(spaces, REGISTRATION_CS, reg));
            draw_marks(im, s);
        }
        if (s->oom)
            goto fail;
        HPDF_PageAttr attr = pb_hpdfx_page_attr(page);
        CHECKP(defer_copy(w, attr->contents, s->b, s->n));
    }
    st = PB_OK;
fail:
    free(forms);
    free(gap_tz);
    return st;
}

/* Bytes gathered before they go to the output file (libharu writes a token at a time). */
#define SAVE_CHUNK 65536

/* What save_write collects: the file as libharu writes it, to out in chunks. */
typedef struct {
    writer *w;
    pb_output *out;
    uint8_t *b;
    size_t n;
    pb_status st;
} saver;

static pb_status save_flush(saver *sv)
{
    if (sv->st == PB_OK && sv->n && pb_output_write(sv->out, sv->b, sv->n) != PB_OK) {
        sv->w->reported = 1; /* by output.c */
        sv->st = PB_ESYSTEM;
    }
    sv->n = 0;
    return sv->st;
}

/* libharu's callback stream: every write is checked at the output (HPDF_SaveToFile would
 * ignore a failed flush when it closes the file). */
static HPDF_STATUS save_write(HPDF_Stream stream, const HPDF_BYTE *p, HPDF_UINT n)
{
    saver *sv = pb_hpdfx_stream_data(stream);
    if (sv->n + n > SAVE_CHUNK && save_flush(sv) != PB_OK)
        return HPDF_FILE_IO_ERROR;
    if (n >= SAVE_CHUNK) { /* a large stream goes as it is */
        if (pb_output_write(sv->out, p, n) != PB_OK) {
            sv->w->reported = 1;
            sv->st = PB_ESYSTEM;
            return HPDF_FILE_IO_ERROR;
        }
        return HPDF_OK;
    }
    memcpy(sv->b + sv->n, p, n);
    sv->n += n;
    return HPDF_OK;
}

/* The file, written by libharu straight to out. Says what failed. */
static pb_status save_out(writer *w, pb_output *out)
{
    saver sv = {w, out, malloc(SAVE_CHUNK), 0, PB_OK};
    if (!sv.b)
        return PB_ESYSTEM;
    if (pb_hpdfx_save_through(w->doc, save_write, &sv) != HPDF_OK && sv.st == PB_OK)
        sv.st = PB_ESYSTEM;
    save_flush(&sv);
    free(sv.b);
    return sv.st;
}

/* PDF objects a page takes at most (measured: 3, its dictionary, its content stream and that
 * stream's /Length; imposed, 2.5), and the document's own (fonts, metadata, PDF/A parts) with
 * room to spare. */
#define PDF_OBJECTS_PER_PAGE 4
#define PDF_OBJECTS_FIXED 1000

/* ---- Tagged PDF (ISO 32000-1 §14.7, §14.8; ISO 14289-1 §7) ------------------------------ */

/* Keys per leaf of the ParentTree: two array entries each, within the array limit of ISO
 * 32000-1 Annex C (8191 entries). */
#define NUMS_LEAF 4000

/* The object numbers the structure tree refers to, taken once every object is in the xref.
 * Its objects are libharu dicts without keys whose bytes a write hook (HPDF_Dict_Rec.write_fn)
 * writes from pb_tags: a libharu dict per key and a proxy per reference took 1.5 KB an
 * element (a 4 MB paragraph with ruby: 1.4 GB), the hook 0.1 KB. */
struct tree_ids {
    const pb_tags *t;
    const char *lang[2];       /* BCP 47 of PB_LANG_ZH, PB_LANG_EN */
    uint32_t *elem, *page;     /* object numbers of the elements, the pages */
    uint32_t *annot;           /* of the annotations, by key - pages */
    uint32_t *annot_owner;     /* the element holding each annotation's OBJR */
    buf b;                     /* what one hook writes */
};

/* What a hooked dict writes: element e, or ParentTree keys [first, last] (a leaf with
 * /Limits when limits is set). */
struct tree_hook {
    struct tree_ids *ids;
    uint32_t e;
    uint32_t first, last;
    int limits;
};


static void ref(buf *b, uint32_t num)
{
    bput(b, " ", 1);
    buint(b, num);
    bstr(b, " 0 R");
}

static HPDF_STATUS hook_flush(buf *b, HPDF_Stream out)
{
    if (b->oom)
        return HPDF_FAILD_TO_ALLOC_MEM;
    HPDF_STATUS st = b->n ? HPDF_Stream_Write(out, (const HPDF_BYTE *)b->b, (HPDF_UINT)b->n) : HPDF_OK;
    b->n = 0;
    return st;
}

/* A structure element (ISO 32000-1 §14.7.2, Table 323): /S, /P, /Pg, /Lang, /ActualText, and
 * /K (one kid as itself, more as an array): a marked-content kid on the element's /Pg as its
 * MCID, on another page an MCR; an annotation an OBJR (§14.7.4.3). */
static HPDF_STATUS write_element(struct tree_ids *ids, uint32_t e, HPDF_Stream out)
{
    const pb_tags *t = ids->t;
    const pb_tag_elem *el = &t->elems[e];
    buf *b = &ids->b;
    bstr(b, "/S /");
    bstr(b, pb_tags_name(el->type));
    bstr(b, "\012/P");
    ref(b, el->parent == PB_TAG_NONE ? ids->elem[t->n_elems] : ids->elem[el->parent]);
    if (el->page != PB_TAG_NONE) {
        bstr(b, "\012/Pg");
        ref(b, ids->page[el->page]);
    }
    if (el->lang == PB_LANG_ZH || el->lang == PB_LANG_EN) {
        bstr(b, "\012/Lang (");
        for (const char *c = ids->lang[el->lang]; *c; c++) /* a BCP 47 tag: no ( ) \ */
            if (*c != '(' && *c != ')' && *c != '\\')
                bput(b, c, 1);
        bstr(b, ")");
    }
    if (el->alt) {
        bstr(b, "\012/ActualText ");
        utf16_hex(b, el->alt, el->alt_len);
    }
    if (el->n_kids)
        bstr(b, el->n_kids > 1 ? "\012/K [" : "\012/K");
    for (uint32_t k = el->kid0; k != PB_TAG_NONE; k = t->kids[k].next) {
        const pb_tag_kid *kid = &t->kids[k];
        if (kid->kind == PB_TAG_KID_ELEM) {
            ref(b, ids->elem[kid->id]);
        } else if (kid->kind == PB_TAG_KID_MC && kid->page == el->page) {
            bput(b, " ", 1);
            buint(b, kid->id);
        } else if (kid->kind == PB_TAG_KID_MC) {
            bstr(b, " <</Type /MCR /Pg");
            ref(b, ids->page[kid->page]);
            bstr(b, " /MCID ");
            buint(b, kid->id);
            bstr(b, ">>");
        } else {
            bstr(b, " <</Type /OBJR /Pg");
            ref(b, ids->page[kid->page]);
            bstr(b, " /Obj");
            ref(b, ids->annot[kid->id - t->n_pages]);
            bstr(b, ">>");
        }
        if (b->n > BFCHAR_BLOCK * 64) { /* a long /K goes out as it is made */
            HPDF_STATUS st = hook_flush(b, out);
            if (st != HPDF_OK)
                return st;
        }
    }
    if (el->n_kids > 1)
        bstr(b, "]");
    bstr(b, "\012");
    return hook_flush(b, out);
}

/* Every element is written by one dict, which the xref numbers once per element
 * (pb_hpdfx_xref_repeat): its hook writes the next element each time it is called (a dict an
 * element took 140 bytes, 6 MB in the 100x booklet). */
static HPDF_STATUS write_next_element(HPDF_Dict d, HPDF_Stream out)
{
    struct tree_hook *h = pb_hpdfx_hook_attr(d);
    if (h->e >= h->ids->t->n_elems)
        return HPDF_INVALID_OBJECT;
    return write_element(h->ids, h->e++, out);
}

/* ParentTree entries [first, last] (ISO 32000-1 §14.7.4.4, a number tree §7.9.7): a page's
 * key to the array of its MCIDs' elements, an annotation's key to its element. */
static HPDF_STATUS write_parent_nums(HPDF_Dict d, HPDF_Stream out)
{
    const struct tree_hook *h = pb_hpdfx_hook_attr(d);
    struct tree_ids *ids = h->ids;
    const pb_tags *t = ids->t;
    buf *b = &ids->b;
    if (h->limits)
        bfmt(b, "/Limits [%u %u]\012", (unsigned)h->first, (unsigned)h->last);
    bstr(b, "/Nums [");
    for (uint32_t q = h->first; q <= h->last && q < t->n_pages + t->n_annots; q++) {
        if (q < t->n_pages) {
            const pb_tag_page *tp = &t->pages[q];
            if (!tp->n_mcid)
                continue;
            bput(b, "\012", 1);
            buint(b, q);
            bstr(b, " [");
            for (uint32_t m = 0; m < tp->n_mcid; m++)
                ref(b, ids->elem[tp->owner[m]]);
            bstr(b, "]");
        } else {
            bput(b, "\012", 1);
            buint(b, q);
            ref(b, ids->elem[ids->annot_owner[q - t->n_pages]]);
        }
        HPDF_STATUS st = hook_flush(b, out);
        if (st != HPDF_OK)
            return st;
    }
    bstr(b, "]\012");
    return hook_flush(b, out);
}

/* A dict whose bytes hook writes (kept in the xref; attr is borrowed by the hook). */
static HPDF_Dict hooked(writer *w, HPDF_Dict_OnWriteFunc hook, struct tree_hook *attr)
{
    HPDF_Dict d = HPDF_Dict_New(pb_hpdfx_mmgr(w->doc));
    if (!d || HPDF_Xref_Add(pb_hpdfx_xref(w->doc), d) != HPDF_OK)
        return NULL;
    pb_hpdfx_set_hook(d, hook, attr);
    return d;
}

/* The structure tree of a tagged file: its elements (with /Lang per block, ActualText for what
 * is drawn as outlines), the ParentTree from every page's MCIDs and every annotation to its
 * element, the RoleMap of the non-standard types used; the catalog marks the file Tagged
 * (/MarkInfo) and asks viewers to show its title (/ViewerPreferences, ISO 14289-1 §7.1). The
 * tree's dicts are written by hooks when the file is saved (w->tree keeps what they read). */
static pb_status structure(writer *w)
{
    const pb_tags *t = w->tags;
    HPDF_Doc doc = w->doc;
    HPDF_MMgr mm = pb_hpdfx_mmgr(doc);
    struct tree_ids *ids = calloc(1, sizeof *ids);
    HPDF_Dict doc0 = NULL;
    pb_status st = PB_ESYSTEM;
    CHECKP(ids);
    w->tree = ids;
    ids->t = t;
    ids->lang[PB_LANG_ZH] = w->lang_zh;
    ids->lang[PB_LANG_EN] = w->lang_en;
    size_t n_leaves = (t->n_pages + t->n_annots + NUMS_LEAF - 1) / NUMS_LEAF;
    ids->elem = calloc(t->n_elems + 1, sizeof *ids->elem); /* [n_elems]: the root */
    ids->page = calloc(t->n_pages ? t->n_pages : 1, sizeof *ids->page);
    ids->annot = calloc(t->n_annots ? t->n_annots : 1, sizeof *ids->annot);
    ids->annot_owner = calloc(t->n_annots ? t->n_annots : 1, sizeof *ids->annot_owner);
    w->hooks = calloc(n_leaves + 2, sizeof *w->hooks);
    CHECKP(ids->elem && ids->page && ids->annot && ids->annot_owner && w->hooks);
    for (size_t p = 0; p < t->n_pages; p++) {
        HPDF_Page pg = HPDF_GetPageByIndex(doc, (HPDF_UINT)p);
        CHECKP(pg);
        ids->page[p] = pb_hpdfx_obj_num(pg);
    }
    for (size_t a = 0; a < t->n_annots; a++)
        ids->annot[a] = pb_hpdfx_obj_num(w->annots[a]);
    w->hooks[0] = (struct tree_hook){ids, 0, 0, 0, 0}; /* e: the next element to write */
    doc0 = hooked(w, write_next_element, &w->hooks[0]);
    CHECKP(doc0);
    w->elements = doc0;
    CHECK(pb_hpdfx_xref_repeat(doc, doc0, (HPDF_UINT)t->n_elems));
    for (size_t e = 0; e < t->n_elems; e++) {
        for (uint32_t k = t->elems[e].kid0; k != PB_TAG_NONE; k = t->kids[k].next)
            if (t->kids[k].kind == PB_TAG_KID_ANNOT)
                ids->annot_owner[t->kids[k].id - t->n_pages] = (uint32_t)e;
        ids->elem[e] = pb_hpdfx_obj_num(doc0) + (uint32_t)e;
    }
    HPDF_Dict root = HPDF_Dict_New(mm);
    CHECKP(root);
    CHECK(HPDF_Xref_Add(pb_hpdfx_xref(doc), root));
    ids->elem[t->n_elems] = pb_hpdfx_obj_num(root);
    CHECK(HPDF_Dict_AddName(root, "Type", "StructTreeRoot"));
    CHECK(HPDF_Dict_Add(root, "K", doc0));
    /* the ParentTree, keys ascending (pages, then annotations): one node while it fits an
     * array, else leaves of NUMS_LEAF keys with their /Limits under /Kids */
    HPDF_Dict tree = NULL;
    HPDF_Array kids = NULL;
    size_t n_keys = t->n_pages + t->n_annots, h = 1;
    if (n_leaves > 1) {
        tree = HPDF_Dict_New(mm);
        kids = HPDF_Array_New(mm);
        CHECKP(tree && kids);
        CHECK(HPDF_Xref_Add(pb_hpdfx_xref(doc), tree));
        CHECK(HPDF_Dict_Add(tree, "Kids", kids));
    }
    for (size_t q0 = 0; q0 < n_keys || (q0 == 0 && !kids); q0 += NUMS_LEAF) {
        size_t q1 = q0 + NUMS_LEAF < n_keys ? q0 + NUMS_LEAF : n_keys; /* keys [q0, q1) */
        uint32_t first = UINT32_MAX, last = 0;
        for (size_t q = q0; q < q1; q++)
            if (q >= t->n_pages || t->pages[q].n_mcid) {
                first = first == UINT32_MAX ? (uint32_t)q : first;
                last = (uint32_t)q;
            }
        if (kids && first == UINT32_MAX)
            continue; /* no key in this range */
        w->hooks[h] = (struct tree_hook){ids, 0, first == UINT32_MAX ? 1 : first, last,
                                         kids != NULL};
        HPDF_Dict leaf = hooked(w, write_parent_nums, &w->hooks[h++]);
        CHECKP(leaf);
        if (kids)
            CHECK(HPDF_Array_Add(kids, leaf));
        else
            tree = leaf;
        if (!n_keys)
            break;
    }
    CHECK(HPDF_Dict_Add(root, "ParentTree", tree));
    CHECK(HPDF_Dict_AddNumber(root, "ParentTreeNextKey", (HPDF_INT32)n_keys));
    HPDF_Dict roles = NULL;
    int used[PB_TAG_TYPES] = {0};
    for (size_t e = 0; e < t->n_elems; e++)
        used[t->elems[e].type] = 1;
    for (int ty = 0; ty < PB_TAG_TYPES; ty++)
        if (used[ty] && pb_tags_role((pb_tag_type)ty)) {
            if (!roles) {
                roles = HPDF_Dict_New(mm);
                CHECKP(roles);
                CHECK(HPDF_Dict_Add(root, "RoleMap", roles));
            }
            CHECK(HPDF_Dict_AddName(roles, pb_tags_name((pb_tag_type)ty),
                                    pb_tags_role((pb_tag_type)ty)));
        }
    CHECK(HPDF_Dict_Add(pb_hpdfx_catalog(doc), "StructTreeRoot", root));
    HPDF_Dict mark = HPDF_Dict_New(mm), prefs = HPDF_Dict_New(mm);
    CHECKP(mark && prefs);
    CHECK(HPDF_Dict_Add(pb_hpdfx_catalog(doc), "MarkInfo", mark));
    CHECK(HPDF_Dict_Add(mark, "Marked", HPDF_Boolean_New(mm, HPDF_TRUE)));
    CHECK(HPDF_Dict_Add(pb_hpdfx_catalog(doc), "ViewerPreferences", prefs));
    CHECK(HPDF_Dict_Add(prefs, "DisplayDocTitle", HPDF_Boolean_New(mm, HPDF_TRUE)));
    st = PB_OK;
fail:
    return st;
}

static void free_tree(writer *w)
{
    if (w->tree) {
        free(w->tree->elem);
        free(w->tree->page);
        free(w->tree->annot);
        free(w->tree->annot_owner);
        free(w->tree->b.b);
        free(w->tree);
    }
    free(w->hooks);
}

void pb_pdf_versions(char *buf, size_t cap)
{
    snprintf(buf, cap, "libharu %s, libdeflate %s", HPDF_GetVersion(), LIBDEFLATE_VERSION_STRING);
}

/* A failure nothing said yet is an allocation of the writer's own that failed (a libharu
 * error, a failed write and a message of the writer's own are said where they happen): said as
 * running out of memory, once for the run (pb_diag_oom), as every other stage says it. */
/* The subset jobs stopped: those begun are waited for, the others do nothing. */
static void stop_subsets(writer *w)
{
    atomic_store(&w->stopped, 1);
    pb_parallel_finish(w->subsets);
    w->subsets = NULL;
}

static pb_status failed(writer *w, pb_status st)
{
    stop_subsets(w); /* what a job met is said by it, first */
    if (!w->last_error && !w->reported && pb_diag_error_count() == w->errors)
        pb_diag_oom("building the PDF");
    w->reported = 1;
    return st == PB_OK ? PB_ESYSTEM : st;
}

static void writer_free(writer *w)
{
    if (!w)
        return;
    stop_subsets(w); /* the jobs read the usage and the fonts */
    free(w->s.b);
    free(w->gap_tz);
    for (size_t i = 0; w->fonts && i < w->n_fonts; i++) {
        free(w->fonts[i].data);
        free(w->fonts[i].map);
        free(w->fonts[i].cache_key);
        free(w->fonts[i].z);
    }
    free(w->fonts);
    free(w->gforms);
    free(w->pxo);
    free(w->xo);
    free(w->xo_stamp);
    free(w->annots);
    free_tree(w);
    pb_tags_free(&w->tags_store);
    free_pending(w);
    if (w->elements)
        pb_hpdfx_xref_unrepeat(w->doc, w->elements);
    if (w->doc)
        HPDF_Free(w->doc);
    pb_usage_free(w->usage);
    free(w);
}

pb_status pb_pdf_begin(const pb_fontset *fonts, const pb_pdf_meta *meta, pb_output *out,
                       size_t n_pages, size_t n_marks, pb_pdf **wp)
{
    *wp = NULL;
    /* libharu numbers at most HPDF_LIMIT_MAX_XREF_ELEMENT objects: refused before writing */
    double objects = PDF_OBJECTS_PER_PAGE * (double)n_pages + (double)n_marks + PDF_OBJECTS_FIXED;
    if (objects > HPDF_LIMIT_MAX_XREF_ELEMENT) {
        pb_diag_error(NULL, 0, 0,
                      "%zu pages and %zu bookmarks need about %.0f PDF objects, more than "
                      "libharu's limit of %d (HPDF_LIMIT_MAX_XREF_ELEMENT); no PDF written",
                      n_pages, n_marks, objects, HPDF_LIMIT_MAX_XREF_ELEMENT);
        return PB_EINPUT;
    }
    /* the temporary file first: an output that cannot be written fails before the work */
    if (pb_output_open(out) != PB_OK)
        return PB_ESYSTEM;
    writer *w = calloc(1, sizeof *w);
    if (!w)
        return pb_diag_oom("writing the PDF");
    w->errors = pb_diag_error_count(); /* the generic message is for silent failures */
    w->meta = *meta;
    w->out = out;
    w->n_pages = n_pages;
    w->n_marks = n_marks;
    w->doc = HPDF_New(on_error, w);
    if (!w->doc) {
        pb_diag_syserr("cannot create a PDF document");
        free(w);
        return PB_ESYSTEM;
    }
    HPDF_Doc doc = w->doc;
    /* a Pages node holds at most HPDF_LIMIT_MAX_ARRAY (32 767) kids: past that, libharu's page
     * tree gets a level of Pages nodes of that many pages each (ISO 32000-1 §7.7.3.2) */
    if (n_pages > HPDF_LIMIT_MAX_ARRAY)
        CHECK(HPDF_SetPagesConfiguration(doc, HPDF_LIMIT_MAX_ARRAY));
    w->pdfa = meta->profile == PB_PROFILE_PDFA3U || meta->profile == PB_PROFILE_PDFA3A;
    w->deflate_level = meta->deflate_level > 0 && meta->deflate_level <= PB_DEFLATE_MAX
                           ? meta->deflate_level
                           : PB_DEFLATE_DEFAULT;
    char libs[160];
    pb_fonts_versions(libs, sizeof libs);
    snprintf(w->versions, sizeof w->versions, "%s; %s; libdeflate %s",
             meta->producer ? meta->producer : "paiban", libs, LIBDEFLATE_VERSION_STRING);
    w->epoch = meta->epoch;
    w->lang_zh = meta->lang;
    w->lang_en = meta->lang_en ? meta->lang_en : "en";
    if (w->pdfa && w->epoch < 0)
        w->epoch = 0; /* PDF/A wants dates; without SOURCE_DATE_EPOCH the epoch keeps it
                       * reproducible */
    pb_archive_hash_init(&w->hash);
    CHECK(HPDF_SetCompressionMode(doc, HPDF_COMP_ALL));
    doc->pdf_version = HPDF_VER_17; /* /Lang, Type0 fonts with CFF: PDF 1.4+; PDF/A-3 is 1.7 */
    w->n_fonts = pb_fonts_count(fonts);
    w->fonts = calloc(w->n_fonts ? w->n_fonts : 1, sizeof *w->fonts);
    CHECKP(w->fonts);
    for (size_t i = 0; i < w->n_fonts; i++) {
        w->fonts[i].font = pb_fonts_at(fonts, i);
        pb_font_get_info(w->fonts[i].font, &w->fonts[i].info);
    }
    /* this file's subsets hold this file's glyphs only */
    if (pb_usage_new(fonts, &w->usage) != PB_OK) {
        w->reported = 1;
        goto fail;
    }
    w->imposed = meta->imposition != NULL;
    w->spent = meta->spent;
    w->pxo = calloc(n_pages ? n_pages : 1, sizeof *w->pxo);
    CHECKP(w->pxo);
    pb_hpdfx_xref_reserve(doc, (HPDF_UINT)objects);
    *wp = w;
    return PB_OK;
fail:
    failed(w, PB_ESYSTEM);
    writer_free(w);
    return PB_ESYSTEM;
}

pb_status pb_pdf_record(pb_pdf *w, const pb_page *page)
{
    if (w->ready || record_page(w, page) != PB_OK)
        return failed(w, PB_ESYSTEM);
    return PB_OK;
}

/* Every page recorded: decide each glyph's text, cut the fonts on the other cores while this
 * one writes the pages, and open the structure (not the press sheet's: a press product). */
static pb_status ready(writer *w)
{
    if (w->ready)
        return PB_OK;
    w->ready = 1;
    pb_status st = pb_usage_finish(w->usage);
    if (st != PB_OK) {
        w->reported = 1;
        return st;
    }
    w->subsets = pb_parallel_start(w->n_fonts, subset_job, w);
    if (!w->imposed) {
        if (pb_tags_begin(w->n_pages, &w->tags_store) != PB_OK)
            return PB_ESYSTEM;
        w->tags = &w->tags_store;
    }
    return PB_OK;
}

pb_status pb_pdf_page(pb_pdf *w, pb_pages *pages, size_t i)
{
    pb_status st = ready(w);
    if (st == PB_OK && (w->imposed || i >= w->n_pages))
        st = PB_ESYSTEM;
    if (st == PB_OK && pb_tags_page(w->tags, i, &pages->pages[i]) != PB_OK)
        st = PB_ESYSTEM;
    if (st == PB_OK)
        st = emit_page(w, pages, i);
    return st == PB_OK ? PB_OK : failed(w, st);
}

void pb_pdf_abort(pb_pdf *w) { writer_free(w); }

pb_status pb_pdf_end(pb_pdf *w, const pb_pages *pages, pb_usage **usage)
{
    if (usage)
        *usage = NULL;
    pb_status st = ready(w);
    if (st != PB_OK)
        goto fail;
    st = PB_ESYSTEM;
    if (w->imposed)
        st = emit_imposed(w, pages, w->meta.imposition, &w->s);
    else if (pages->n != w->n_pages)
        goto fail;
    else
        st = page_labels(w, pages);
    pb_parallel_finish(w->subsets);
    w->subsets = NULL;
    if (st != PB_OK)
        goto fail;
    for (size_t i = 0; i < w->n_fonts; i++)
        if (w->fonts[i].drawn && w->fonts[i].subset_st != PB_OK) {
            st = w->fonts[i].subset_st;
            goto fail;
        }
    for (size_t i = 0; i < w->n_fonts; i++) {
        if (!w->fonts[i].type0)
            continue; /* a role font no page draws is not written */
        if ((st = finish_font(w, &w->fonts[i], &w->s)) != PB_OK)
            goto fail;
    }
    st = PB_ESYSTEM;
    if (w->tags) {
        pb_tags_end(w->tags);
        double objects = PDF_OBJECTS_PER_PAGE * (double)w->n_pages + (double)w->n_marks +
                         PDF_OBJECTS_FIXED;
        if (objects + (double)w->tags->n_elems > HPDF_LIMIT_MAX_XREF_ELEMENT) {
            pb_diag_error(NULL, 0, 0,
                          "%zu pages, %zu bookmarks and %zu tagged elements need about %.0f PDF "
                          "objects, more than libharu's limit of %d (HPDF_LIMIT_MAX_XREF_ELEMENT); "
                          "no PDF written",
                          w->n_pages, w->n_marks, (size_t)w->tags->n_elems,
                          objects + (double)w->tags->n_elems, HPDF_LIMIT_MAX_XREF_ELEMENT);
            st = PB_EINPUT;
            goto fail;
        }
        /* the structure's objects come next: room for them in one growth of the xref */
        pb_hpdfx_xref_reserve(w->doc, (HPDF_UINT)w->tags->n_elems + PDF_OBJECTS_FIXED);
    }
    if (metadata(w, pages, &w->meta) != PB_OK || (w->tags && structure(w) != PB_OK))
        goto fail;
    if (w->pdfa && (st = archive_objects(w, &w->meta)) != PB_OK)
        goto fail;
    if ((st = xmp_metadata(w, &w->meta)) != PB_OK) /* after the sources: it hashes last */
        goto fail;
    st = PB_ESYSTEM;
    if (w->pdfa && archive_id(w) != PB_OK)
        goto fail;
    if (flush_streams(w) != PB_OK)
        goto fail;
    /* the file, to the temporary file (renamed when the run is done) */
    if ((st = save_out(w, w->out)) != PB_OK)
        goto fail;
    st = pb_output_close(w->out); /* says what failed */
    if (st == PB_OK && usage) {
        *usage = w->usage; /* the report counts the glyphs */
        w->usage = NULL;
    }
    writer_free(w);
    return st;
fail:
    st = failed(w, st);
    writer_free(w);
    return st;
}

pb_status pb_pdf_write(const pb_pages *pages, const pb_fontset *fonts, const pb_pdf_meta *meta,
                       pb_output *out, pb_usage **usage)
{
    if (usage)
        *usage = NULL;
    pb_pdf *w;
    pb_status st = pb_pdf_begin(fonts, meta, out, pages->n, pages->n_marks, &w);
    for (size_t p = 0; st == PB_OK && p < pages->n; p++)
        st = pb_pdf_record(w, &pages->pages[p]);
    /* the imposition draws its pages in pb_pdf_end; spent pages are the caller's to change */
    for (size_t p = 0; st == PB_OK && !meta->imposition && p < pages->n; p++)
        st = pb_pdf_page(w, (pb_pages *)pages, p);
    if (st == PB_OK)
        return pb_pdf_end(w, pages, usage);
    pb_pdf_abort(w);
    return st;
}
