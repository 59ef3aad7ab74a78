/* paiban: command line. Reads a corpus and a layout, typesets, writes a PDF or a trace. */
#define _XOPEN_SOURCE 700 /* realpath (XSI) */
#define _DEFAULT_SOURCE   /* sbrk, madvise's MADV_HUGEPAGE (Linux) */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paths.h"

#include "archive.h"
#include "util.h"
#include "compose.h"
#include "corpus.h"
#include "diag.h"
#include "fonts.h"
#include "hyphenate.h"
#include "impose.h"
#include "layout.h"
#include "layoutdirs.h"
#include "normalize.h"
#include "output.h"
#include "pagebuild.h"
#include "parallel.h"
#include "progress.h"
#include "preview.h"
#include "fontcheck.h"
#include "watch.h"
#include "nodes.h"
#include "pdf.h"
#include "report.h"
#include "ruby.h"
#include "trace.h"
#include "uchar.h"
#include "usage.h"
#include "verify.h"

#define PB_VERSION "0.1.0"
#define PB_PRODUCER "paiban " PB_VERSION
/* The project's own fonts folder, added to fontconfig's search (issue: fonts by family). */
#define DEFAULT_FONTS_DIR "fonts"
/* Largest layout file read; larger ones are left to pb_layout_load, which reports them. */
#define LAYOUT_BYTES_MAX PB_LAYOUT_BYTES_MAX
/* Largest corpus read; pb_corpus_parse reports a larger one. */
#define CORPUS_BYTES_MAX PB_CORPUS_BYTES_MAX
/* MIME type of both embedded sources (UTF-8 text; the layout is an .ini text file). */
/* Files of a leaflet series past its last that a run looks for (stale_leaflets). */
#define LEAFLETS_STALE_MAX 999
#define SOURCE_MIME "text/plain"
#define CORPUS_DESC "Source corpus this document was typeset from (UTF-8 text)"
#define LAYOUT_DESC "Layout file (paiban .ini) this document was typeset with"
/* Prefix of the layout's stored name when it has the corpus's file name. */
#define LAYOUT_NAME_PREFIX "layout-"
/* The name an archive stores a corpus read from standard input under ("paiban -"). */
#define STDIN_CORPUS_NAME "corpus.txt"
/* Largest PAIBAN_VERIFY_SECONDS (a day). */
#define VERIFY_SECONDS_MAX 86400
/* Memory blocks of this many bytes and more (the vertical list, the structure's tables, the
 * xref, the deflate compressors) are mapped apart and go back to the system when freed. glibc
 * raises its threshold to the largest such block freed, after which they come from the top of
 * the heap and leave holes there that the smaller blocks after do not fill: 1.7 MiB of the 100x
 * booklet's peak RSS, with no time measured against it. */
#define MMAP_THRESHOLD_BYTES (256 * 1024)
/* Memory arenas: one, shared by every thread. glibc gives each thread that allocates an arena
 * of its own (up to eight per core), whose pages the kernel maps afresh, one fault each (some
 * 10 us on this kind of virtual machine), while the pages the main thread freed lie idle; a
 * 1x booklet starts five threads. One arena: 1x booklet 1 212 -> 1 113 page faults, 100x no
 * slower (the threads' allocations are few beside their work): docs/ARCHITECTURE.md. */
#define MALLOC_ARENAS 1
/* The heap in huge pages. A run touches a few MiB of heap, a 4 KiB page at a time, each first
 * touch a fault; on this kind of virtual machine a fault costs some 10 us, a 1x booklet's
 * thousand of them a quarter of its CPU time. Where the kernel gives transparent huge pages on
 * request (/sys/kernel/mm/transparent_hugepage/enabled: madvise, Debian's default, or always),
 * the heap is grown by HEAP_PAD_BYTES at a time (M_TOP_PAD) and its first growth marked
 * MADV_HUGEPAGE, so that 2 MiB come with one fault; the heap below its first huge page is set
 * aside (never touched); the growth is never handed back (M_TRIM_THRESHOLD). Elsewhere it
 * changes nothing. 1x booklet: page faults 998 -> 400, peak RSS +2 MiB (docs/ARCHITECTURE.md). */
#define HEAP_PAD_BYTES (8 * 1024 * 1024)
#define HUGE_PAGE_BYTES ((uintptr_t)2 * 1024 * 1024) /* x86-64's PMD page */

static char *g_heap_aside; /* heap_setup()'s block below the first huge page */

/* Set glibc's allocator up (see MMAP_THRESHOLD_BYTES, MALLOC_ARENAS, HEAP_PAD_BYTES). */
static void heap_setup(void)
{
#ifdef M_MMAP_THRESHOLD
    mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES); /* a fixed threshold: see its definition */
#endif
#ifdef M_ARENA_MAX
    mallopt(M_ARENA_MAX, MALLOC_ARENAS);
#endif
#if defined(M_TOP_PAD) && defined(M_TRIM_THRESHOLD) && defined(MADV_HUGEPAGE)
    mallopt(M_TOP_PAD, HEAP_PAD_BYTES);
    mallopt(M_TRIM_THRESHOLD, 2 * HEAP_PAD_BYTES);
    /* a block the heap's top cannot hold (under the mmap threshold) makes it grow by the pad */
    char *from = sbrk(0);
    char *probe = malloc(MMAP_THRESHOLD_BYTES / 2);
    char *to = sbrk(0);
    if (probe && from != (char *)-1 && to != (char *)-1 && to > from) {
        uintptr_t a = ((uintptr_t)probe + HUGE_PAGE_BYTES - 1) & ~(HUGE_PAGE_BYTES - 1);
        uintptr_t b = (uintptr_t)to & ~(HUGE_PAGE_BYTES - 1);
        if (b > a) {
            madvise((void *)a, b - a, MADV_HUGEPAGE); /* advice: ignored where not given */
            /* the heap up to the first huge page set aside, never touched, so never resident:
             * the blocks after come from huge pages (grown in place, into the heap's top) */
            char *aside = realloc(probe, a - (uintptr_t)probe);
            if (aside == probe) {
                g_heap_aside = aside;
                return;
            }
            probe = aside;
        }
    }
    free(probe);
#endif
}

static void usage(FILE *f)
{
    fputs("usage: paiban [OPTION]... CORPUS|-        typeset CORPUS into PDF\n"
          "       paiban fonts [-l LAYOUT]... [CORPUS] the font files a layout uses, their coverage\n"
          "       paiban preview [--dpi N] [--pages A-B] [-o OUT.png] FILE.pdf  PNG pages\n"
          "       paiban verify FILE.pdf                 rebuild a PDF/A copy and compare\n"
          "       paiban -h|--help | -V|--version\n"
          "\n"
          "Typesets a bilingual Chinese-English corpus (UTF-8, one paragraph a line, each\n"
          "Chinese line followed by its English line; - is standard input, which needs -o).\n"
          "\n"
          "  -l, --layout LAYOUT  a layout file, or the name of a shipped layout (booklet,\n"
          "                       leaflet, parallel, archive); default: the built-in A5 booklet.\n"
          "                       Each -l is one product; the -o and --imposed after it are its\n"
          "  -o, --output OUT     the PDF (default: CORPUS's name with .pdf; - is standard\n"
          "                       output); a leaflet layout writes one PDF per section, %d in\n"
          "                       OUT is its number; %% is a percent sign in every OUT.\n"
          "                       preview: the PNGs (default FILE-%d.png)\n"
          "      --imposed OUT    also the pages 2-up in saddle-stitch order ([impose] sheet)\n"
          "  -r, --report[=json]  a preflight report beside each PDF (OUT.report.txt or .json)\n"
          "                       and a one-line summary on stderr\n"
          "  -t, --trace          the laid-out pages as text instead of a PDF (to OUT or stdout;\n"
          "                       a leaflet layout's OUT with %d: one trace per leaflet)\n"
          "  -w, --watch          typeset, then again each time the corpus or a layout changes\n"
          "      --fonts-dir DIR  an extra font folder (default: ./fonts when there)\n"
          "      --dpi N          preview: pixels per inch (default 96, at most 1200)\n"
          "      --pages A[-B]    preview: only these pages\n"
          "  -q, --quiet          errors only: no warnings, summaries or progress\n"
          "  -v, --verbose        notes, and each stage with its time\n"
          "\n"
          "A run writes every output to a temporary file beside it and renames them all when\n"
          "all were made: a failed run leaves every file as it was. An output that is an input,\n"
          "another output, or not a regular file is refused.\n"
          "\n"
          "With [pdf] profile = pdfa-3a (or pdfa-3u) the PDF is PDF/A-3a (3u) and PDF/UA-1 and\n"
          "carries the corpus and the layout; 'paiban verify FILE.pdf' rebuilds it from them and\n"
          "compares the bytes.\n"
          "\n"
          "Environment: SOURCE_DATE_EPOCH sets the PDF dates (unset, a print PDF has none and\n"
          "a PDF/A file takes the corpus file's time); PAIBAN_LAYOUT_PATH, folders searched\n"
          "for named layouts first; PAIBAN_THREADS=N; PAIBAN_VERIFY_SECONDS=S, verify's time\n"
          "budget; NO_COLOR turns the colour of messages off.\n"
          "Exit status: 0 ok, 1 bad input (verify: differs), 2 bad usage, 3 system error.\n"
          "See paiban(1), and paiban-layout(5) for the layout keys and the corpus format.\n",
          f);
}

/* The -o a corpus's name gives ("a/合約 50%.txt" -> "合約 50%%.pdf"): a pattern, as -o is,
 * naming the corpus's own name. */
static char *default_output(const char *corpus)
{
    const char *base = strrchr(corpus, '/');
    base = base ? base + 1 : corpus;
    size_t n = strlen(base);
    const char *dot = strrchr(base, '.');
    if (dot && dot != base)
        n = (size_t)(dot - base);
    char *o = malloc(n + 5);
    if (o)
        snprintf(o, n + 5, "%.*s.pdf", (int)n, base);
    char *e = o ? pb_output_escape(o) : NULL;
    free(o);
    return e;
}

static int epoch_from_env(long long *epoch)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    *epoch = -1;
    if (!s || !*s)
        return 1;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < 0 || v > 253402300799LL) { /* up to 9999-12-31 */
        pb_diag_syserr("SOURCE_DATE_EPOCH must be a number of seconds, got '%s'", s);
        return 0;
    }
    *epoch = v;
    return 1;
}

/* "zh title / en title" from the title pair, or the file name; each part on one line. */
/* A title block as one line for the PDF's metadata (Info /Title, XMP dc:title) with no display
 * letter-spacing, as its running head has it (review 13 C2: dc:title "褒　揚　令"); out has
 * room for PB_CORPUS_ONE_LINE_MAX(b->len) = 2 len: the unspaced text goes to its second half
 * and the one line is made from it in place (it writes at most one code point more than it has
 * read per break read, so never past what it is still to read). */
static size_t title_line(const pb_block *b, uint32_t *out)
{
    size_t half = PB_CORPUS_ONE_LINE_MAX(b->len) - b->len; /* b->len: room for the unspaced */
    uint32_t *u = out + half;
    size_t n = pb_corpus_unspaced(b->text, b->len, u);
    return pb_corpus_one_line(u, n, b->lang, out);
}

static uint32_t *doc_title(const pb_doc *doc, size_t *len)
{
    size_t n = 0;
    for (size_t i = 0; i < doc->n_blocks && doc->blocks[i].kind == PB_BLOCK_TITLE; i++)
        n += PB_CORPUS_ONE_LINE_MAX(doc->blocks[i].len) + 3;
    uint32_t *t = malloc((n ? n : 1) * sizeof *t);
    if (!t)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < doc->n_blocks && doc->blocks[i].kind == PB_BLOCK_TITLE; i++) {
        if (k) {
            t[k++] = ' ';
            t[k++] = '/';
            t[k++] = ' ';
        }
        k += title_line(&doc->blocks[i], t + k);
    }
    *len = k;
    return t;
}

/* The first title block in language lang, or NULL. */
static const pb_block *title_block(const pb_doc *doc, pb_lang lang)
{
    for (size_t i = 0; i < doc->n_blocks && doc->blocks[i].kind == PB_BLOCK_TITLE; i++)
        if (doc->blocks[i].lang == lang)
            return &doc->blocks[i];
    return NULL;
}

/* Out of memory: said once in the run (pb_diag_oom), a system error. */
static pb_status no_memory(void) { return pb_diag_oom("preparing the products"); }

/* A block's text on one line (the title's, for the metadata), in *out (freed by the caller);
 * PB_ESYSTEM when out of memory (said). */
static pb_status one_line_of(const pb_block *b, uint32_t **out, size_t *len)
{
    *out = NULL, *len = 0;
    if (!b)
        return PB_OK;
    if (!(*out = malloc((PB_CORPUS_ONE_LINE_MAX(b->len) + 1) * sizeof **out)))
        return no_memory();
    *len = title_line(b, *out);
    return PB_OK;
}

static const char *base_name(const char *path)
{
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

/* The layout from its bytes, read once so that what a PDF/A file embeds is what was parsed.
 * A file layout.c would refuse before parsing (NUL byte, too large) goes to pb_layout_load,
 * which says why. */
static pb_status load_layout(const char *path, uint8_t **bytes, size_t *len, pb_layout *out)
{
    pb_status st = pb_util_read_file(path, "layout", LAYOUT_BYTES_MAX, bytes, len);
    if (st != PB_OK)
        return st;
    if (memchr(*bytes, 0, *len) || *len > LAYOUT_BYTES_MAX) {
        st = pb_layout_load(path, out);
        return st != PB_OK ? st : PB_EINPUT;
    }
    return pb_layout_parse(path, (const char *)*bytes, out);
}

typedef struct {
    const char *fonts_dir;
    int trace;
    int report;             /* 0 none, 1 text, 2 JSON */
    pb_progress *progress;  /* the stages of a run (-v, the status line); NULL: none */
    int quiet;              /* no summary lines */
} run_opts;

/* One product of a run: a layout and where its output goes. */
typedef struct {
    const char *layout;     /* NULL: built-in defaults */
    const char *out;        /* PDF (leaflets: a pattern with %d, the section) or trace */
    const char *imposed;    /* 2-up saddle-stitch PDF of the same pages, or NULL */
    int rebuild;            /* verify's rebuild of one file: out is that file's path */
    int section;            /* rebuild of a leaflet: its section (> 0) */
} job;

/* Most products one run makes (booklet, leaflets, parallel, archive and spares). */
#define MAX_JOBS 16
/* Most font sets kept open at once (one per distinct set of families). */
#define MAX_FONTSETS 4

typedef struct {
    char key[PB_ROLE_COUNT * PB_LAYOUT_NAME_MAX + PB_LAYOUT_NAME_MAX];
    pb_fontset *set;
} font_cache_entry;

/* 1 when some *emphasis* is set in bold: in a title or heading (set bold), or in **strong**. */
static int has_bold_emphasis(const pb_doc *doc)
{
    for (size_t i = 0; i < doc->n_blocks; i++) {
        const pb_block *b = &doc->blocks[i];
        int bold = b->kind == PB_BLOCK_TITLE || b->kind == PB_BLOCK_HEADING;
        for (size_t k = 0; b->marks && k < b->len; k++)
            if ((b->marks[k] & PB_MARK_EMPH) && (bold || (b->marks[k] & PB_MARK_STRONG)))
                return 1;
    }
    return 0;
}

/* Fonts are opened once per run for every product naming the same families. */
static pb_status fonts_for(const pb_layout *l, const char *dir, font_cache_entry *cache,
                           pb_fontset **out)
{
    char key[sizeof cache[0].key];
    size_t k = 0;
    for (int r = 0; r < PB_ROLE_COUNT; r++)
        k += (size_t)snprintf(key + k, sizeof key - k, "%s\n", l->family[r]);
    snprintf(key + k, sizeof key - k, "%s", l->fallback);
    for (int i = 0; i < MAX_FONTSETS; i++)
        if (cache[i].set && strcmp(cache[i].key, key) == 0) {
            *out = cache[i].set;
            return PB_OK;
        }
    for (int i = 0; i < MAX_FONTSETS; i++)
        if (!cache[i].set) {
            pb_status st = pb_fonts_new(l, dir, &cache[i].set);
            if (st != PB_OK)
                return st;
            memcpy(cache[i].key, key, sizeof key);
            *out = cache[i].set;
            return PB_OK;
        }
    pb_diag_syserr("too many different font sets in one run (at most %d)", MAX_FONTSETS);
    return PB_EUSAGE;
}

/* The product a layout makes, as its [product] kind says it. */
static const char *product_kind(const pb_layout *l)
{
    return l->product == PB_PRODUCT_LEAFLET    ? "leaflet"
           : l->product == PB_PRODUCT_PARALLEL ? "parallel"
                                               : "booklet";
}

/* The report beside the output: "out/booklet.pdf" -> "out/booklet.report.txt" (a leaflet
 * pattern loses its section part, %% is a percent sign), with kind
 * "out/booklet-KIND.report.txt"; the product's name is what is left of the file name. */
static char *report_path(const char *out, int json, const char *kind, char *product,
                         size_t product_cap)
{
    char *stem = strdup(out);
    if (!stem)
        return NULL;
    char *pat = (char *)pb_output_number_at(stem);
    if (pat) {
        size_t cut = pat > stem && (pat[-1] == '-' || pat[-1] == '_') ? 1 : 0;
        memmove(pat - cut, pat + 2, strlen(pat + 2) + 1);
    }
    pb_output_unescape(stem);
    char *dot = strrchr(stem, '.');
    char *slash = strrchr(stem, '/');
    if (dot && (!slash || dot > slash))
        *dot = 0;
    size_t n = strlen(stem) + (kind ? strlen(kind) + 1 : 0) + sizeof ".report.json";
    char *p = malloc(n);
    if (p) {
        snprintf(p, n, "%s%s%s.report.%s", stem, kind ? "-" : "", kind ? kind : "",
                 json ? "json" : "txt");
        const char *b = base_name(stem);
        size_t bl = strlen(b) < product_cap - 1 ? strlen(b) : product_cap - 1;
        memcpy(product, b, bl);
        product[bl] = 0;
    }
    free(stem);
    return p;
}

/* Most differently normalised copies of the corpus one run keeps (smart punctuation on/off x
 * two Chinese quote styles). */
#define MAX_TEXTS 4

/* Everything one run shares between its products. */
typedef struct {
    const run_opts *o;
    const char *corpus_path; /* in messages and the report ("<stdin>" for "-") */
    int from_stdin;
    const uint8_t *corpus_bytes;
    size_t corpus_len;
    const pb_doc *doc;      /* texts[0]: the corpus as the default layout normalises it */
    /* the corpus once per set of normalisation options the products ask for (smart
     * punctuation, Chinese quotes): each parsed and normalised when first asked for */
    struct {
        pb_normalize_opts opts;
        pb_doc *doc;
        pb_changes changes;
    } texts[MAX_TEXTS];
    size_t n_texts;
    long long epoch;
    long long corpus_mtime; /* s since 1970: the corpus file's modification time (0: unknown) */
    pb_outputs *outputs;
    font_cache_entry fonts[MAX_FONTSETS];
    /* editor's queries for the reports: found on a background thread while the products are
     * made (opening ICU's transform alone takes ~35 ms), for one Chinese language tag */
    pb_queries queries;
    pb_status queries_st;
    char queries_lang[sizeof(((pb_layout *)0)->lang_zh)];
    char queries_accept[PB_LAYOUT_PATH_MAX]; /* the accept list they were found with ("" none) */
    pb_query_accept *accept;
    pb_background *queries_job;
    int queries_started;
    int queries_quiet;      /* the search ran on its own thread: its failure not said yet */
    pthread_t main_thread;
    int variant_warned;     /* the text's other variant was warned about */
} run_ctx;

/* A product of the run: its layout read and checked, its outputs claimed, before any product
 * is made. */
typedef struct {
    const job *jb;
    pb_layout layout;
    const pb_doc *doc;      /* the corpus as this layout normalises it (borrowed) */
    const pb_changes *changes;
    uint8_t *layout_bytes;
    size_t layout_len;
    size_t n_out;           /* PDFs (leaflets: one per section) */
    int first;              /* leaflets: the section of the first (verify's rebuild: its own) */
    size_t n_files;         /* files in outs: n_out, or 1 for a trace of them all */
    char **paths;           /* their paths (the section put in, %% made %) */
    pb_output **outs;       /* the PDFs, or the traces (one, or one a leaflet) */
    pb_output *imposed, *report;
    char product[256];      /* the report's name for it */
    char *owned_out, *rpath, *imposed_path;
    char *summary;          /* the report's summary line, printed once the run is done */
} product;

/* On a thread of its own, the search says nothing: its one failure, out of memory, is said
 * by the report that waits for it (make()), so that a product failing meanwhile says its own
 * message alone (review 12 B3: "cannot build the PDF", then OpenCC's out of memory). */
static void find_queries(void *ctx)
{
    run_ctx *r = ctx;
    r->queries_quiet = !pthread_equal(pthread_self(), r->main_thread);
    pb_diag_set_thread_quiet(r->queries_quiet);
    r->queries_st = pb_query_find(r->doc, r->queries_lang, r->accept, &r->queries);
    pb_diag_set_thread_quiet(0);
}

/* Start finding the queries for l's Chinese tag and accept list (once for the pair; another
 * waits for the old search). The accept list is read here, so its errors come in order. */
static pb_status start_queries(run_ctx *r, const pb_layout *l)
{
    if (r->queries_started && strcmp(r->queries_lang, l->lang_zh) == 0 &&
        strcmp(r->queries_accept, l->query_accept) == 0)
        return PB_OK;
    pb_background_free(r->queries_job);
    r->queries_job = NULL;
    pb_query_free(&r->queries);
    pb_query_accept_free(r->accept);
    r->accept = NULL;
    r->queries_started = 0;
    if (l->query_accept[0]) {
        pb_status st = pb_query_accept_load(l->query_accept, &l->query_accept_at, &r->accept);
        if (st != PB_OK)
            return st;
    }
    snprintf(r->queries_lang, sizeof r->queries_lang, "%s", l->lang_zh);
    snprintf(r->queries_accept, sizeof r->queries_accept, "%s", l->query_accept);
    r->queries_started = 1;
    r->queries_job = pb_background_new(find_queries, r); /* NULL: it ran here */
    return PB_OK;
}

/* The corpus as layout l normalises it: parsed and normalised once per set of options. */
static pb_status text_for(run_ctx *r, const pb_layout *l, const pb_doc **doc,
                          const pb_changes **changes)
{
    pb_normalize_opts want;
    pb_normalize_opts_of(l, &want);
    size_t i = 0;
    while (i < r->n_texts && memcmp(&r->texts[i].opts, &want, sizeof want) != 0)
        i++;
    if (i == r->n_texts) {
        if (i == MAX_TEXTS) {
            pb_diag_syserr("too many different punctuation settings in one run (at most %d)",
                           MAX_TEXTS);
            return PB_EUSAGE;
        }
        pb_status st = pb_corpus_parse(r->corpus_path, r->corpus_bytes, r->corpus_len,
                                       &r->texts[i].doc);
        if (st == PB_OK)
            st = pb_normalize_doc(r->texts[i].doc, &want, &r->texts[i].changes);
        r->texts[i].opts = want;
        r->n_texts++;
        if (st != PB_OK)
            return st;
    }
    *doc = r->texts[i].doc;
    *changes = &r->texts[i].changes;
    return PB_OK;
}

/* The files of a leaflet series past its last (OUT-5.pdf beside a new series of 4) are an
 * earlier run's: each one there is a warning, since a reader would take it for part of this
 * series (review 12 B8). They are not removed: paiban does not delete what it did not write
 * in this run (make pdf removes its own). Stops at the first number with no file. */
static pb_status stale_leaflets(const char *pattern, size_t n)
{
    for (size_t k = n + 1; k <= n + LEAFLETS_STALE_MAX; k++) {
        char *path = pb_output_numbered(pattern, (int)k);
        if (!path)
            return no_memory();
        struct stat sb;
        int there = lstat(path, &sb) == 0;
        if (there)
            pb_diag_warning(path, 0, 0, "left from an earlier run: this series has %zu "
                                        "leaflet%s, so it is not one of them; remove it",
                            n, n == 1 ? "" : "s");
        free(path);
        if (!there)
            break;
    }
    return PB_OK;
}

/* Read jb's layout, check it against the corpus, and claim every file it is to write. */
static pb_status prepare(run_ctx *r, const job *jb, product *p)
{
    const run_opts *o = r->o;
    p->jb = jb;
    pb_status st;
    if (jb->layout)
        st = load_layout(jb->layout, &p->layout_bytes, &p->layout_len, &p->layout);
    else
        st = (pb_layout_defaults(&p->layout), PB_OK);
    if (st != PB_OK)
        return st;
    pb_layout *l = &p->layout;
    if (l->ruby_mode == PB_RUBY_INLINE_CHECK &&
        (st = pb_ruby_check_inline(r->doc, r->corpus_path)) != PB_OK)
        return st;
    if ((st = text_for(r, l, &p->doc, &p->changes)) != PB_OK)
        return st;
    if (!pb_corpus_has_mark(p->doc, PB_MARK_EMPH))
        l->family[PB_ROLE_LATIN_ITALIC][0] = '\0'; /* nothing in italic: no face to open */
    if (!has_bold_emphasis(p->doc))
        l->family[PB_ROLE_LATIN_BOLD_ITALIC][0] = '\0'; /* nor in bold italic */
    /* 2-up needs two pages side by side on the sheet, with their bleed and marks */
    if (jb->imposed && (st = pb_impose_check(l)) != PB_OK)
        return st;
    int leaflets = l->product == PB_PRODUCT_LEAFLET;
    p->n_out = leaflets ? (size_t)(r->doc->n_sections > 0 ? r->doc->n_sections : 0) : 1;
    if (leaflets && p->n_out == 0) {
        pb_diag_error(r->corpus_path, 0, 0, "no sections found: leaflets need headings");
        return PB_EINPUT;
    }
    p->first = 1;
    if (jb->rebuild && (leaflets || jb->section)) { /* one file of the product */
        if (!leaflets || jb->section < 1 || jb->section > r->doc->n_sections) {
            if (!leaflets)
                pb_diag_error(jb->layout, 0, 0, "the archive is section %d of a leaflet "
                                                "product (pb:section), but its layout makes "
                                                "no leaflets", jb->section);
            else if (jb->section < 1)
                pb_diag_error(jb->layout, 0, 0, "the layout makes one leaflet per section, "
                                                "but the archive does not say which it is "
                                                "(pb:section in its XMP)");
            else
                pb_diag_error(r->corpus_path, 0, 0, "the archive is section %d (pb:section), "
                                                    "but the corpus has %d sections",
                              jb->section, r->doc->n_sections);
            return PB_EINPUT;
        }
        p->first = jb->section;
        p->n_out = 1;
    }
    /* the imposition is of one PDF's pages (make() imposed the first leaflet's alone) */
    if (jb->imposed && p->n_out > 1)
        return pb_diag_usage("--imposed %s: the layout makes %zu leaflets (one a section); "
                             "--imposed takes the pages of one PDF: impose a product of one file",
                             jb->imposed, p->n_out);
    p->outs = calloc(p->n_out, sizeof *p->outs);
    p->paths = calloc(p->n_out, sizeof *p->paths);
    if (!p->outs || !p->paths)
        return no_memory();
    const char *out = jb->out;
    if (!out && o->trace) /* the trace goes to standard output unless -o names a file */
        out = PB_OUTPUT_STDIO;
    if (!out && r->from_stdin) {
        pb_diag_syserr("a corpus read from standard input needs -o OUT (or -o - for standard "
                       "output)");
        return PB_EUSAGE;
    }
    if (!out && !(out = p->owned_out = default_output(r->corpus_path)))
        return no_memory();
    int to_stdout = strcmp(out, PB_OUTPUT_STDIO) == 0;
    if (to_stdout && p->n_out > 1 && !o->trace) {
        pb_diag_syserr("-o - takes one PDF; %s makes %zu (one per section)",
                       jb->layout ? jb->layout : "the layout", p->n_out);
        return PB_EUSAGE;
    }
    /* -o is a pattern (%% a percent sign, %d a leaflet's section), except standard output and
     * verify's rebuild, which names a file of its own */
    int pattern = !to_stdout && !jb->rebuild;
    char why[128];
    if (jb->out && pattern &&
        pb_output_pattern_error(out, leaflets, "the section number", why, sizeof why)) {
        if (leaflets || !pb_output_number_at(out))
            return pb_diag_usage("-o %s: %s", out, why);
        return pb_diag_usage("-o %s: %s; a %s makes one file (write the name without it)", out,
                             why, product_kind(l));
    }
    /* a leaflet's PDFs one a section; its trace one file, or with %d one a leaflet (review 12
     * C9: "-t -o tr-%d.txt" wrote one file named so) */
    int numbered = leaflets && pattern && (!o->trace || pb_output_number_at(out));
    p->n_files = numbered || !o->trace ? p->n_out : 1;
    for (size_t i = 0; i < p->n_files; i++) {
        p->paths[i] = numbered ? pb_output_numbered(out, p->first + (int)i) : strdup(out);
        if (!p->paths[i])
            return no_memory();
        if (pattern && !numbered)
            pb_output_unescape(p->paths[i]);
        st = pb_output_claim(r->outputs, p->paths[i], o->trace ? "the trace" : "the output",
                             o->trace, &p->outs[i]);
        if (st != PB_OK)
            return st;
    }
    if (numbered && (st = stale_leaflets(out, p->n_out)) != PB_OK)
        return st;
    if (jb->imposed) {
        /* a name of one file, read as -o is */
        int std = strcmp(jb->imposed, PB_OUTPUT_STDIO) == 0;
        if (!std && pb_output_pattern_error(jb->imposed, 0, "the section number", why, sizeof why))
            return pb_diag_usage("--imposed %s: %s", jb->imposed, why);
        if (!(p->imposed_path = strdup(jb->imposed)))
            return no_memory();
        if (!std)
            pb_output_unescape(p->imposed_path);
        st = pb_output_claim(r->outputs, p->imposed_path, "the imposed output", 0, &p->imposed);
        if (st != PB_OK)
            return st;
    }
    if (o->report) {
        if (!(p->rpath = report_path(out, o->report == 2, NULL, p->product, sizeof p->product)))
            return no_memory();
        if (pb_output_is_claimed(r->outputs, p->rpath)) {
            /* another product's report has that name (-o x.pdf and -o x-%d.pdf): this one's
             * takes its kind (x-leaflet.report.txt) */
            free(p->rpath);
            if (!(p->rpath = report_path(out, o->report == 2, product_kind(l), p->product,
                                         sizeof p->product)))
                return no_memory();
        }
        st = pb_output_claim(r->outputs, p->rpath, "the report", 0, &p->report);
    }
    return st;
}

static void product_fini(product *p)
{
    for (size_t i = 0; p->paths && i < p->n_out; i++)
        free(p->paths[i]);
    free(p->paths);
    free(p->outs);
    free(p->owned_out);
    free(p->imposed_path);
    free(p->rpath);
    free(p->summary);
    free(p->layout_bytes);
}

/* The report's summary line, kept until the run is done. */
static pb_status keep_summary(product *p, const pb_report_input *in)
{
    size_t n = 0;
    FILE *f = open_memstream(&p->summary, &n);
    if (!f)
        return no_memory();
    pb_report_summary(in, f);
    return fclose(f) == 0 ? PB_OK : no_memory();
}

/* The PDF writer taking a product's pages as they are made (pb_page_sink). */
typedef struct {
    pb_pdf *w;              /* NULL until begin */
    const pb_fontset *fonts;
    const pb_pdf_meta *meta;
    pb_output *out;
} pdf_sink;

static pb_status sink_begin(void *ctx, size_t n_pages, size_t n_marks)
{
    pdf_sink *ps = ctx;
    return pb_pdf_begin(ps->fonts, ps->meta, ps->out, n_pages, n_marks, &ps->w);
}

static pb_status sink_record(void *ctx, const pb_page *page)
{
    return pb_pdf_record(((pdf_sink *)ctx)->w, page);
}

static pb_status sink_page(void *ctx, pb_pages *pages, size_t i)
{
    return pb_pdf_page(((pdf_sink *)ctx)->w, pages, i);
}

/* Make the product p: its pages, then its PDFs (or trace), imposition and report. */
static pb_status make(run_ctx *r, product *p)
{
    const run_opts *o = r->o;
    const job *jb = p->jb;
    const pb_layout *l = &p->layout;
    pb_fontset *fonts = NULL;
    char *layout_name = NULL;
    uint32_t *title = NULL, *title_zh = NULL, *title_en = NULL; /* each on one line */
    size_t title_zh_len = 0, title_en_len = 0;
    pb_pages *pages = NULL;
    const pb_pages **pp = NULL;
    pb_usage **drawn = NULL; /* per output file: the glyphs it draws, for the report */
    size_t n_out = p->n_out;
    const pb_doc *doc = p->doc;
    pb_status st;
    const char *name = jb->layout ? base_name(jb->layout) : "built-in layout";
    if (o->report && (st = start_queries(r, l)) != PB_OK)
        goto done;
    pb_query_variant_count count;
    if (!r->variant_warned && pb_query_variant(doc, l->lang_zh, &count)) {
        r->variant_warned = 1; /* once a run, not a product; with or without a report */
        int hant = strcmp(count.variant, "Hant") == 0;
        pb_diag_warning(r->corpus_path, 0, 0,
                        "%s; as the layout is (lang-zh = %s), it is set by %s conventions (%s)",
                        pb_query_variant_hint(&count), l->lang_zh,
                        hant ? "Traditional" : "Simplified",
                        hant ? "，。、；：！？ centred in their em" : "，。、 low in the left of their em");
    }
    pb_progress_stage(o->progress, "%s: opening the fonts", name);
    if ((st = fonts_for(l, o->fonts_dir, r->fonts, &fonts)) != PB_OK)
        goto done;
    pb_progress_stage(o->progress, "%s: composing the pages", name);
    int leaflets = l->product == PB_PRODUCT_LEAFLET;
    pages = calloc(n_out, sizeof *pages);
    drawn = calloc(n_out, sizeof *drawn);
    if (!pages || !drawn) {
        st = no_memory();
        goto done;
    }
    /* the colophon: the date the archive uses (SOURCE_DATE_EPOCH, else the corpus file's),
     * the corpus's SHA-256 */
    uint8_t sha[PB_ARCHIVE_SHA256_SIZE];
    pb_colophon colophon = {r->epoch >= 0 ? r->epoch : r->corpus_mtime, NULL};
    if (l->colophon != PB_COLOPHON_NONE) {
        pb_archive_sha256(r->corpus_bytes, r->corpus_len, sha);
        colophon.sha256 = sha;
    }
    /* a booklet or parallel product is written as its pages are made, unless an imposition
     * draws them again or a report counts their glyphs */
    int stream = !o->trace && !leaflets && !p->imposed && !p->report;
    double series = 0; /* leaflets: the series' one size (0: each its own) */
    if (leaflets)
        st = pb_pagebuild_leaflet_series(doc, l, fonts, &series);
    for (size_t i = 0; i < n_out && st == PB_OK && !stream; i++)
        st = leaflets ? pb_pagebuild_leaflet(doc, l, fonts, p->first + (int)i, series, &pages[i],
                                             NULL)
                      : pb_pagebuild_doc(doc, l, fonts, &colophon, NULL, &pages[i]);
    if (st != PB_OK)
        goto done;
    if (o->trace) {
        pb_progress_stage(o->progress, "%s: writing the trace", name);
        /* every page in one trace, or a leaflet's pages in its own */
        for (size_t k = 0; k < p->n_files && st == PB_OK; k++) {
            pb_output *t = p->outs[k];
            FILE *f = pb_output_open(t) == PB_OK ? pb_output_text(t) : NULL;
            if (!f) { /* said */
                st = PB_ESYSTEM;
                goto done;
            }
            size_t from = p->n_files > 1 ? k : 0, upto = p->n_files > 1 ? k + 1 : n_out;
            for (size_t i = from; i < upto && st == PB_OK; i++)
                st = pb_trace_write(&pages[i], f);
            /* into memory until pb_output_close: it fails for want of memory only */
            st = st == PB_OK ? pb_output_close(t) : no_memory();
        }
        goto done;
    }
    size_t title_len = 0;
    title = doc_title(doc, &title_len);
    if (!title) {
        st = no_memory();
        goto done;
    }
    if ((st = one_line_of(title_block(doc, PB_LANG_ZH), &title_zh, &title_zh_len)) != PB_OK ||
        (st = one_line_of(title_block(doc, PB_LANG_EN), &title_en, &title_en_len)) != PB_OK)
        goto done;
    pb_pdf_meta meta = {
        .title = title,
        .title_len = title_len,
        .lang = l->lang_zh,
        /* a PDF/A copy must be dated: without SOURCE_DATE_EPOCH, by its corpus's date */
        .epoch = r->epoch < 0 && l->profile != PB_PROFILE_PRINT ? r->corpus_mtime : r->epoch,
        .producer = PB_PRODUCER,
        .creator = PB_PRODUCER,
        .profile = l->profile,
        .deflate_level = l->deflate_level,
        .title_zh = title_zh,
        .title_zh_len = title_zh_len,
        .title_en = title_en,
        .title_en_len = title_en_len,
        .lang_en = l->lang_en,
    };
    pb_pdf_source sources[2];
    if (l->profile != PB_PROFILE_PRINT) {
        /* the archive embeds its sources under their file names (verify rebuilds from them) */
        const char *cname = r->from_stdin ? STDIN_CORPUS_NAME : base_name(r->corpus_path);
        const char *lname = jb->layout ? base_name(jb->layout) : "";
        if (strcmp(cname, lname) == 0) {
            size_t n = strlen(LAYOUT_NAME_PREFIX) + strlen(lname) + 1;
            if (!(layout_name = malloc(n))) {
                st = no_memory();
                goto done;
            }
            snprintf(layout_name, n, "%s%s", LAYOUT_NAME_PREFIX, lname);
            lname = layout_name;
        }
        sources[0] = (pb_pdf_source){"corpus", cname, r->corpus_bytes, r->corpus_len,
                                     SOURCE_MIME, CORPUS_DESC};
        sources[1] = (pb_pdf_source){"layout", lname, p->layout_bytes, p->layout_len,
                                     SOURCE_MIME, LAYOUT_DESC};
        meta.sources = sources;
        meta.n_sources = jb->layout ? 2 : 1;
    }
    if (stream) { /* each page drawn as soon as it is final, its glyphs then reused */
        pdf_sink ps = {NULL, fonts, &meta, p->outs[0]};
        pb_page_sink sink = {sink_begin, sink_record, sink_page, &ps};
        st = pb_pagebuild_doc(doc, l, fonts, &colophon, &sink, &pages[0]);
        pb_progress_stage(o->progress, "%s: writing the PDF", name);
        if (st == PB_OK)
            st = pb_pdf_end(ps.w, &pages[0], NULL);
        else
            pb_pdf_abort(ps.w);
    } else {
        pb_progress_stage(o->progress, "%s: writing the PDF", name);
    }
    for (size_t i = 0; i < n_out && st == PB_OK && !stream; i++) {
        meta.section = leaflets ? p->first + (int)i : 0; /* a leaflet's XMP says which it is */
        /* the imposition draws the pages again, the report counts their glyphs */
        meta.spent = p->imposed || p->report ? NULL : &pages[i];
        st = pb_pdf_write(&pages[i], fonts, &meta, p->outs[i], p->report ? &drawn[i] : NULL);
    }
    meta.section = 0;
    meta.spent = NULL;
    if (st == PB_OK && p->imposed) {
        pb_pdf_meta im = meta;
        im.profile = PB_PROFILE_PRINT; /* the press sheet is a print product */
        im.sources = NULL;
        im.n_sources = 0;
        pb_imposition plan;
        st = pb_impose_plan(l, pages[0].n, &plan);
        im.imposition = &plan;
        if (st == PB_OK)
            st = pb_pdf_write(&pages[0], fonts, &im, p->imposed, NULL);
        pb_impose_free(&plan);
    }
    if (st == PB_OK && p->report) {
        pb_progress_stage(o->progress, "%s: writing the report", name);
        if (!(pp = malloc(n_out * sizeof *pp))) {
            st = no_memory();
            goto done;
        }
        for (size_t i = 0; i < n_out; i++)
            pp[i] = &pages[i];
        pb_report_input in = {p->product, r->corpus_path, l, doc, p->changes, fonts, pp,
                              (const char *const *)p->paths, (const pb_usage *const *)drawn,
                              n_out, NULL};
        pb_background_wait(r->queries_job);
        if ((st = r->queries_st) != PB_OK) {
            if (r->queries_quiet) /* out of memory: the one thing the search fails of */
                st = pb_diag_oom("finding the editor's queries");
            goto done;
        }
        in.queries = &r->queries;
        st = pb_report_write(&in, o->report == 2, p->report);
        if (st == PB_OK)
            st = keep_summary(p, &in);
    }
done:
    for (size_t i = 0; pages && i < n_out; i++)
        pb_pagebuild_free(&pages[i]);
    for (size_t i = 0; drawn && i < n_out; i++)
        pb_usage_free(drawn[i]);
    free(pages);
    free(drawn);
    free(pp);
    free(title);
    free(title_zh);
    free(title_en);
    free(layout_name);
    return st;
}

static pb_status typeset(const run_opts *o, const char *corpus_arg, const job *jobs,
                         size_t n_jobs, long long epoch)
{
    run_ctx r = {0};
    r.main_thread = pthread_self();
    r.o = o;
    r.from_stdin = strcmp(corpus_arg, PB_OUTPUT_STDIO) == 0;
    r.corpus_path = r.from_stdin ? PB_OUTPUT_STDIN_NAME : corpus_arg;
    r.epoch = epoch;
    uint8_t *corpus_bytes = NULL;
    size_t corpus_len = 0;
    pb_layout defaults;
    const pb_doc *doc;
    const pb_changes *changes;
    product *products = NULL;
    pb_status st = PB_ESYSTEM;
    /* no exit != 0 without a message: a stage that fails without saying why is named */
    int errors = pb_diag_error_count();
    const char *stage = "reading the corpus", *layout = NULL;
    if (!(r.outputs = pb_output_new_set()))
        return no_memory();
    pb_progress_stage(o->progress, "%s", stage);
    pb_output_add_input(r.outputs, corpus_arg, "the corpus");
    for (size_t i = 0; i < n_jobs; i++)
        if (jobs[i].layout)
            pb_output_add_input(r.outputs, jobs[i].layout, "the layout");
    st = r.from_stdin ? pb_util_read_text_stream(stdin, r.corpus_path, CORPUS_BYTES_MAX,
                                                    &corpus_bytes, &corpus_len)
                      : pb_util_read_text_file(corpus_arg, CORPUS_BYTES_MAX, &corpus_bytes,
                                                  &corpus_len);
    if (st != PB_OK)
        goto done;
    r.corpus_bytes = corpus_bytes;
    r.corpus_len = corpus_len;
    struct stat sb;
    r.corpus_mtime = !r.from_stdin && stat(corpus_arg, &sb) == 0 ? (long long)sb.st_mtime : 0;
    pb_layout_defaults(&defaults); /* most layouts normalise as the defaults do */
    stage = "parsing and normalizing the corpus";
    pb_progress_stage(o->progress, "%s", stage);
    if ((st = text_for(&r, &defaults, &doc, &changes)) != PB_OK)
        goto done;
    /* the hyphenation patterns the words need load on another thread while the fonts open */
    stage = "reading the hyphenation patterns";
    pb_progress_stage(o->progress, "%s", stage);
    if ((st = pb_compose_preload(doc)) != PB_OK)
        goto done;
    r.doc = doc;
    /* the whole command line is checked (every layout read, every output claimed) before the
     * first product is made; the files are replaced only when every product was made */
    if (!(products = calloc(n_jobs, sizeof *products))) {
        st = no_memory();
        goto done;
    }
    stage = "reading layout";
    for (size_t i = 0; i < n_jobs && st == PB_OK; i++) {
        layout = jobs[i].layout ? jobs[i].layout : "(built-in)";
        pb_progress_stage(o->progress, "reading layout %s", layout);
        st = prepare(&r, &jobs[i], &products[i]);
    }
    stage = "typesetting with layout";
    for (size_t i = 0; i < n_jobs && st == PB_OK; i++) {
        layout = jobs[i].layout ? jobs[i].layout : "(built-in)";
        st = make(&r, &products[i]);
    }
    stage = "writing the outputs", layout = NULL;
    pb_progress_stage(o->progress, "%s", stage);
    if (st == PB_OK)
        st = pb_output_commit(r.outputs);
    for (size_t i = 0; i < n_jobs && st == PB_OK && !o->quiet; i++)
        if (products[i].summary) { /* one line, its newline written by pb_diag_line */
            products[i].summary[strcspn(products[i].summary, "\n")] = '\0';
            pb_diag_line(stderr, "%s", products[i].summary);
        }
done:
    if (st != PB_OK && pb_diag_error_count() == errors)
        pb_diag_syserr("%s%s%s failed", stage, layout ? " " : "", layout ? layout : "");
    pb_background_free(r.queries_job); /* before the document it reads goes */
    pb_query_free(&r.queries);
    pb_query_accept_free(r.accept);
    for (size_t i = 0; products && i < n_jobs; i++)
        product_fini(&products[i]);
    free(products);
    pb_output_free_set(r.outputs); /* removes the temporary files of a failed run */
    for (int i = 0; i < MAX_FONTSETS; i++)
        pb_fonts_free(r.fonts[i].set);
    free(corpus_bytes);
    for (size_t i = 0; i < r.n_texts; i++) {
        pb_normalize_free_changes(&r.texts[i].changes);
        pb_corpus_free(r.texts[i].doc);
    }
    pb_hyphenate_free_cache(); /* the patterns were this document's */
    return st;
}

/* verify's rebuild: the one file the archive is (for a leaflet, its section alone). */
static pb_status rebuild(void *ctx, const pb_verify_rebuild *rb)
{
    run_opts o = *(const run_opts *)ctx;
    o.trace = 0;
    o.report = 0;
    o.progress = NULL; /* a child process: the parent's ticker thread is not in it */
    job jb = {rb->layout, rb->out, NULL, 1, rb->section};
    return typeset(&o, rb->corpus, &jb, 1, rb->epoch);
}

/* PAIBAN_VERIFY_SECONDS: the rebuild's time budget (s, > 0); unset: verify's default (0). */
static int verify_budget(double *budget)
{
    const char *s = getenv("PAIBAN_VERIFY_SECONDS");
    *budget = 0;
    if (!s || !*s)
        return 1;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end || !(v > 0) || v > VERIFY_SECONDS_MAX) {
        pb_diag_syserr("PAIBAN_VERIFY_SECONDS must be a number of seconds (above 0, at most "
                       "%d), got '%s'", VERIFY_SECONDS_MAX, s);
        return 0;
    }
    *budget = v;
    return 1;
}

/* --layout ARG: a path when it names something here or has a '/'; else a shipped layout NAME
 * (or NAME.ini) from the layout folders. *path is malloc'ed. A name found nowhere is a system
 * error (as a missing file is) that lists the folders' layouts. */
static pb_status find_layout(const char *arg, char **path)
{
    struct stat sb;
    if (strchr(arg, '/') || stat(arg, &sb) == 0 || !*arg) {
        *path = strdup(arg);
        return *path ? PB_OK : no_memory();
    }
    pb_layoutdirs d;
    pb_layoutdirs_init(&d);
    pb_status st = pb_layoutdirs_find(&d, arg, path);
    if (st != PB_OK || *path) {
        pb_layoutdirs_fini(&d);
        return st;
    }
    char known[1024];
    if (pb_layoutdirs_list(&d, known, sizeof known))
        pb_diag_syserr("cannot read layout %s: no such file, and no shipped layout of that name "
                       "(there are: %s)", arg, known);
    else {
        size_t k = 0;
        known[0] = '\0';
        for (size_t i = 0; i < d.n && k < sizeof known; i++) {
            int w = snprintf(known + k, sizeof known - k, "%s%s", i ? ", " : "", d.dirs[i]);
            k = w < 0 ? sizeof known : k + (size_t)w;
        }
        pb_diag_syserr("cannot read layout %s: no such file, and no shipped layouts were found "
                       "(looked in %s)", arg, known);
    }
    pb_layoutdirs_fini(&d);
    return PB_ESYSTEM;
}

static void version(void)
{
    char fonts[160], icu[64], pdf[96];
    pb_fonts_versions(fonts, sizeof fonts);
    pb_uchar_icu_version(icu, sizeof icu);
    pb_pdf_versions(pdf, sizeof pdf);
    pb_layoutdirs d;
    pb_layoutdirs_init(&d);
    printf("%s\nlibraries in use: %s,\n  %s, %s\nlayouts by name from:", PB_PRODUCER, fonts, icu,
           pdf);
    for (size_t i = 0; i < d.n; i++)
        printf(" %s", d.dirs[i]);
    printf("\nMIT License: see the LICENSE file; there is no warranty.\n");
    pb_layoutdirs_fini(&d);
}

/* Options given, for the checks of what goes with what. */
enum {
    GIVEN_LAYOUT = 1 << 0, GIVEN_OUTPUT = 1 << 1, GIVEN_IMPOSED = 1 << 2, GIVEN_REPORT = 1 << 3,
    GIVEN_TRACE = 1 << 4, GIVEN_WATCH = 1 << 5, GIVEN_DPI = 1 << 6, GIVEN_PAGES = 1 << 7,
    GIVEN_FONTS_DIR = 1 << 8, GIVEN_QUIET = 1 << 9, GIVEN_VERBOSE = 1 << 10
};
/* What every command takes. */
#define GIVEN_ANY (GIVEN_FONTS_DIR | GIVEN_QUIET | GIVEN_VERBOSE)

/* The run as the command line says: the corpus, the products, the options. */
typedef struct {
    run_opts o;
    const char *corpus;
    job *jobs;
    size_t n_jobs;
    long long epoch;
    int verbose;
} run_args;

/* One run: a progress of its own (the status line only on a terminal), the products. */
static pb_status run_once(void *ctx)
{
    run_args *a = ctx;
    pb_diag_reset(); /* a rebuild of --watch starts afresh */
    a->o.progress = pb_progress_new(a->verbose, !a->o.quiet && isatty(STDERR_FILENO));
    pb_status st = typeset(&a->o, a->corpus, a->jobs, a->n_jobs, a->epoch);
    pb_progress_free(a->o.progress);
    a->o.progress = NULL;
    return st;
}

/* paiban fonts [-l LAYOUT]... [CORPUS]: for each layout, what fontcheck.c finds. */
static pb_status fonts_command(const run_opts *o, const job *jobs, size_t n_jobs,
                               const char *corpus)
{
    pb_status worst = PB_OK;
    uint8_t *bytes = NULL;
    size_t len = 0;
    if (corpus) {
        pb_status st = strcmp(corpus, PB_OUTPUT_STDIO) == 0
                           ? pb_util_read_text_stream(stdin, PB_OUTPUT_STDIN_NAME,
                                                         CORPUS_BYTES_MAX, &bytes, &len)
                           : pb_util_read_text_file(corpus, CORPUS_BYTES_MAX, &bytes, &len);
        if (st != PB_OK)
            return st;
        if (strcmp(corpus, PB_OUTPUT_STDIO) == 0)
            corpus = PB_OUTPUT_STDIN_NAME;
    }
    for (size_t i = 0; i < (n_jobs ? n_jobs : 1); i++) {
        const char *lpath = n_jobs ? jobs[i].layout : NULL;
        pb_layout l;
        uint8_t *lbytes = NULL;
        size_t llen = 0;
        pb_status st = PB_OK;
        if (lpath)
            st = load_layout(lpath, &lbytes, &llen, &l);
        else
            pb_layout_defaults(&l);
        free(lbytes);
        pb_doc *doc = NULL;
        pb_changes changes = {0};
        if (st == PB_OK && bytes) {
            pb_normalize_opts no;
            pb_normalize_opts_of(&l, &no);
            st = pb_corpus_parse(corpus, bytes, len, &doc);
            if (st == PB_OK)
                st = pb_normalize_doc(doc, &no, &changes);
        }
        if (st == PB_OK) {
            if (i)
                putchar('\n');
            printf("layout: %s\n", lpath ? lpath : "(built-in)");
            st = pb_fontcheck_write(&l, o->fonts_dir, doc, stdout);
        }
        pb_normalize_free_changes(&changes);
        pb_corpus_free(doc);
        if (st > worst)
            worst = st;
        if (st == PB_EINPUT && !doc && bytes)
            break; /* the corpus itself is bad: every layout would say so */
    }
    free(bytes);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        pb_diag_syserr("cannot write the font report to standard output: %s", strerror(errno));
        return PB_ESYSTEM;
    }
    return worst;
}

/* "A" or "A-B" (pages from 1): *first, *last; 0 when not a page range. */
static int page_range(const char *s, int *first, int *last)
{
    char *end;
    errno = 0;
    long a = strtol(s, &end, 10), b = a;
    if (*end == '-')
        b = strtol(end + 1, &end, 10);
    if (errno || *end || a < 1 || b < a || b > INT_MAX)
        return 0;
    *first = (int)a;
    *last = (int)b;
    return 1;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"layout", required_argument, NULL, 'l'}, {"output", required_argument, NULL, 'o'},
        {"trace", no_argument, NULL, 't'},        {"fonts-dir", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},         {"version", no_argument, NULL, 'V'},
        {"verbose", no_argument, NULL, 'v'},      {"imposed", required_argument, NULL, 'i'},
        {"report", optional_argument, NULL, 'r'}, {"quiet", no_argument, NULL, 'q'},
        {"watch", no_argument, NULL, 'w'},        {"dpi", required_argument, NULL, 'd'},
        {"pages", required_argument, NULL, 'p'},  {NULL, 0, NULL, 0}};
    job jobs[MAX_JOBS];
    size_t n_jobs = 0;
    memset(jobs, 0, sizeof jobs);
    run_args a = {.o = {DEFAULT_FONTS_DIR, 0, 0, NULL, 0}};
    run_opts *o = &a.o;
    unsigned given = 0;
    double dpi = PB_PREVIEW_DPI;
    int first = 0, last = 0; /* preview's pages; 0: all */
    int c;
    heap_setup();
    pb_diag_set_colour(pb_diag_colour_wanted());
    opterr = 0; /* the messages below are paiban's own */
    while ((c = getopt_long(argc, argv, ":hVvqtwl:o:r::", opts, NULL)) != -1) {
        switch (c) {
        case 'l': /* each --layout starts a product; -o and --imposed belong to the last one */
            given |= GIVEN_LAYOUT;
            if (n_jobs == MAX_JOBS || (n_jobs && !jobs[n_jobs - 1].layout)) {
                if (n_jobs == MAX_JOBS)
                    return pb_diag_usage("at most %d layouts in one run", MAX_JOBS);
                jobs[n_jobs - 1].layout = optarg;
                break;
            }
            jobs[n_jobs++].layout = optarg;
            break;
        case 'o':
        case 'i':
            given |= c == 'o' ? GIVEN_OUTPUT : GIVEN_IMPOSED;
            if (n_jobs == 0)
                n_jobs = 1;
            if (c == 'o' && jobs[n_jobs - 1].out)
                return pb_diag_usage("-o given twice for one layout");
            if (!*optarg) /* review 12 C12: "cannot write : No such file", exit 3 */
                return pb_diag_usage("%s needs a file name (it was empty)",
                                     c == 'o' ? "-o" : "--imposed");
            *(c == 'o' ? &jobs[n_jobs - 1].out : &jobs[n_jobs - 1].imposed) = optarg;
            break;
        case 'r':
            given |= GIVEN_REPORT;
            if (!optarg || strcmp(optarg, "text") == 0)
                o->report = 1;
            else if (strcmp(optarg, "json") == 0)
                o->report = 2;
            else
                return pb_diag_usage("--report takes text or json, not '%s'", optarg);
            break;
        case 't': given |= GIVEN_TRACE; o->trace = 1; break;
        case 'w': given |= GIVEN_WATCH; break;
        case 'f': { /* a folder named on the command line must be there (./fonts may not) */
            struct stat sb;
            int there = stat(optarg, &sb) == 0;
            if (!there || !S_ISDIR(sb.st_mode))
                return pb_diag_usage("--fonts-dir %s: %s", optarg,
                                     there ? "not a directory" : strerror(errno));
            given |= GIVEN_FONTS_DIR;
            o->fonts_dir = optarg;
            break;
        }
        case 'd': {
            char *end;
            errno = 0;
            dpi = strtod(optarg, &end);
            if (errno || *end || !(dpi >= PB_PREVIEW_DPI_MIN && dpi <= PB_PREVIEW_DPI_MAX))
                return pb_diag_usage("--dpi takes a number from %g to %g, not '%s'",
                                     (double)PB_PREVIEW_DPI_MIN, (double)PB_PREVIEW_DPI_MAX,
                                     optarg);
            given |= GIVEN_DPI;
            break;
        }
        case 'p':
            if (!page_range(optarg, &first, &last))
                return pb_diag_usage("--pages takes a page or a range such as 2-5, not '%s'",
                                     optarg);
            given |= GIVEN_PAGES;
            break;
        case 'q': given |= GIVEN_QUIET; o->quiet = 1; pb_diag_set_quiet(1); break;
        case 'v': given |= GIVEN_VERBOSE; a.verbose = 1; pb_diag_set_verbose(1); break;
        case 'h': usage(stdout); return PB_OK;
        case 'V': version(); return PB_OK;
        case ':':
            if (optopt)
                return pb_diag_usage("option '-%c' needs an argument", optopt);
            return pb_diag_usage("option '%s' needs an argument", argv[optind - 1]);
        default:
            if (optopt)
                return pb_diag_usage("unknown option '-%c'", optopt);
            return pb_diag_usage("unknown option '%s'", argv[optind - 1]);
        }
    }
    const char *cmd = optind < argc ? argv[optind] : NULL;
    int nargs = argc - optind - 1; /* after the command */
    if (cmd && strcmp(cmd, "verify") == 0) {
        if (given & ~GIVEN_ANY)
            return pb_diag_usage("verify takes only --fonts-dir, -q and -v");
        if (nargs != 1)
            return pb_diag_usage(nargs ? "verify takes one file" : "verify needs a file: "
                                                                   "paiban verify FILE.pdf");
        pb_verify_opts vo = {rebuild, o, 0, 0};
        if (!verify_budget(&vo.budget))
            return PB_EUSAGE;
        return pb_verify_file(argv[optind + 1], &vo, stdout);
    }
    if (cmd && strcmp(cmd, "preview") == 0) {
        if (given & ~(GIVEN_ANY | GIVEN_OUTPUT | GIVEN_DPI | GIVEN_PAGES) || n_jobs > 1)
            return pb_diag_usage("preview takes only -o, --dpi, --pages, -q and -v");
        if (nargs != 1)
            return pb_diag_usage(nargs ? "preview takes one PDF" : "preview needs a PDF: "
                                                                   "paiban preview FILE.pdf");
        return pb_preview_write(argv[optind + 1], n_jobs ? jobs[0].out : NULL, dpi, first, last);
    }
    pb_status st = PB_OK;
    char *found[MAX_JOBS] = {0}; /* the layouts' paths, named ones found */
    for (size_t i = 0; i < n_jobs && st == PB_OK; i++)
        if (jobs[i].layout && (st = find_layout(jobs[i].layout, &found[i])) == PB_OK)
            jobs[i].layout = found[i];
    if (st != PB_OK)
        goto done;
    if (cmd && strcmp(cmd, "fonts") == 0) {
        if (given & ~(GIVEN_ANY | GIVEN_LAYOUT) || (n_jobs && !jobs[n_jobs - 1].layout))
            st = pb_diag_usage("fonts takes only -l, --fonts-dir, -q and -v");
        else if (nargs > 1)
            st = pb_diag_usage("fonts takes at most one corpus");
        else
            st = fonts_command(o, jobs, n_jobs, nargs ? argv[optind + 1] : NULL);
        goto done;
    }
    if (given & (GIVEN_DPI | GIVEN_PAGES)) {
        st = pb_diag_usage("--dpi and --pages go with paiban preview");
        goto done;
    }
    if (optind != argc - 1) {
        st = pb_diag_usage(optind >= argc ? "no corpus file given"
                                          : "more than one corpus file given");
        goto done;
    }
    if (n_jobs == 0)
        n_jobs = 1;
    if (o->trace && o->report) {
        st = pb_diag_usage("--report goes with PDF output, not --trace");
        goto done;
    }
    for (size_t i = 0; i < n_jobs && o->trace; i++)
        if (jobs[i].imposed) { /* the trace is of the pages, not of the sheets */
            st = pb_diag_usage("--imposed goes with PDF output, not --trace");
            goto done;
        }
    for (size_t i = 0; i < n_jobs; i++)
        if (jobs[i].out && strcmp(jobs[i].out, PB_OUTPUT_STDIO) == 0 && (o->report ||
                                                                          (given & GIVEN_WATCH))) {
            st = pb_diag_usage(o->report ? "--report writes beside OUT, not with -o -"
                                         : "--watch writes files, not -o -");
            goto done;
        }
    if ((given & GIVEN_WATCH) && strcmp(argv[optind], PB_OUTPUT_STDIO) == 0) {
        st = pb_diag_usage("--watch needs a corpus file, not standard input");
        goto done;
    }
    if (!epoch_from_env(&a.epoch) || !pb_parallel_env_ok()) {
        st = PB_EUSAGE;
        goto done;
    }
    a.corpus = argv[optind];
    a.jobs = jobs;
    a.n_jobs = n_jobs;
    if (given & GIVEN_WATCH) {
        const char *watched[MAX_JOBS + 1];
        size_t n = 0;
        watched[n++] = a.corpus;
        for (size_t i = 0; i < n_jobs; i++)
            if (jobs[i].layout)
                watched[n++] = jobs[i].layout;
        st = pb_watch_run(watched, n, run_once, &a);
    } else {
        st = run_once(&a);
    }
done:
    for (size_t i = 0; i < MAX_JOBS; i++)
        free(found[i]);
    return st;
}
