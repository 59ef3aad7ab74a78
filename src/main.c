/* paiban: command line. Reads a corpus and a layout, typesets, writes a PDF or a trace. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "archive.h"
#include "compose.h"
#include "corpus.h"
#include "diag.h"
#include "fonts.h"
#include "hyphenate.h"
#include "impose.h"
#include "layout.h"
#include "normalize.h"
#include "output.h"
#include "pagebuild.h"
#include "parallel.h"
#include "nodes.h"
#include "pdf.h"
#include "report.h"
#include "ruby.h"
#include "trace.h"
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
#define SOURCE_MIME "text/plain"
#define CORPUS_DESC "Source corpus this document was typeset from (UTF-8 text)"
#define LAYOUT_DESC "Layout file (paiban .ini) this document was typeset with"
/* Prefix of the layout's stored name when it has the corpus's file name. */
#define LAYOUT_NAME_PREFIX "layout-"
/* The name an archive stores a corpus read from standard input under ("paiban -"). */
#define STDIN_CORPUS_NAME "corpus.txt"
/* Largest PAIBAN_VERIFY_SECONDS (a day). */
#define VERIFY_SECONDS_MAX 86400

static void usage(FILE *f)
{
    fputs("usage: paiban [--layout FILE [-o OUT.pdf] [--imposed OUT.pdf]]... [--trace]\n"
          "              [--report[=text|json]] [--fonts-dir DIR] CORPUS|-\n"
          "       paiban [--fonts-dir DIR] verify FILE.pdf\n"
          "       paiban --help | --version\n"
          "\n"
          "Typesets a bilingual Chinese-English corpus (one paragraph a line, Chinese line then\n"
          "its English line) into a PDF. CORPUS - is standard input (then -o is needed, or\n"
          "--trace; a pdfa-3u PDF stores it as " STDIN_CORPUS_NAME ").\n"
          "\n"
          "  --layout FILE    layout (.ini, see layouts/README.md); default: built-in A5 booklet.\n"
          "                   Each --layout is one product; the options after it belong to it,\n"
          "                   and fonts are opened once for all of them\n"
          "  -o, --output OUT PDF to write (default: CORPUS with .pdf; - is standard output).\n"
          "                   Every output of a run is written to a temporary file beside it,\n"
          "                   and all are renamed when all were written, so a failed run leaves\n"
          "                   every OUT as it was. An output that is an input, another output,\n"
          "                   or not a regular file (device, FIFO, directory) is refused. A\n"
          "                   leaflet layout writes one PDF per section: %d in OUT is its number\n"
          "  --imposed OUT    also write the pages 2-up in saddle-stitch order ([impose] sheet)\n"
          "  --report[=json]  write OUT's preflight report beside it (OUT.report.txt or .json)\n"
          "                   and a one-line summary on stderr (not with -o -)\n"
          "  --trace          write the laid-out pages as text (to OUT, or stdout) instead of a PDF\n"
          "  --fonts-dir DIR  extra font folder for fontconfig, which must exist (default:\n"
          "                   ./fonts if present)\n"
          "  -v, --verbose    notes on stderr\n"
          "\n"
          "With [pdf] profile = pdfa-3a (or pdfa-3u) the PDF is PDF/A-3a (3u) and PDF/UA-1, and\n"
          "carries the corpus and the layout as embedded files. 'paiban verify FILE.pdf' rebuilds such a file from them (same date,\n"
          "fonts from this system) and compares the bytes: exit 0 when identical, 1 when not.\n"
          "\n"
          "Environment: SOURCE_DATE_EPOCH sets the PDF dates (reproducible builds); unset, a\n"
          "print PDF has no dates and a PDF/A file takes the corpus file's modification time.\n"
          "PAIBAN_THREADS=N runs on N threads (default: every core); the bytes are the same.\n"
          "PAIBAN_VERIFY_SECONDS=S: verify's rebuild may take S seconds (default: 60 s + 60 s\n"
          "per MiB of corpus); a slower one is stopped and the file is not verified.\n"
          "Exit status: 0 ok, 1 bad input (verify: differs), 2 bad usage, 3 system error.\n",
          f);
}

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
    return o;
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

/* "zh title / en title" from the title pair, or the file name. */
static uint32_t *doc_title(const pb_doc *doc, size_t *len)
{
    size_t n = 0;
    for (size_t i = 0; i < doc->n_blocks && doc->blocks[i].kind == PB_BLOCK_TITLE; i++)
        n += doc->blocks[i].len + 3;
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
        for (size_t j = 0; j < doc->blocks[i].len; j++) /* the title is one line */
            t[k++] = doc->blocks[i].text[j] == PB_LINE_BREAK ? ' ' : doc->blocks[i].text[j];
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
    pb_status st = pb_archive_read_file(path, "layout", LAYOUT_BYTES_MAX, bytes, len);
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
#define SECTION_PATTERN "%d"

typedef struct {
    char key[PB_ROLE_COUNT * PB_LAYOUT_NAME_MAX + PB_LAYOUT_NAME_MAX];
    pb_fontset *set;
} font_cache_entry;

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

/* out with the section number put in: "out/leaflet-%d.pdf" -> "out/leaflet-3.pdf"; a path
 * without %d gets "-N" before its extension. */
static char *section_path(const char *pattern, int section)
{
    size_t n = strlen(pattern) + 16;
    char *p = malloc(n);
    if (!p)
        return NULL;
    const char *at = strstr(pattern, SECTION_PATTERN);
    if (at) {
        snprintf(p, n, "%.*s%d%s", (int)(at - pattern), pattern, section, at + 2);
    } else {
        const char *dot = strrchr(pattern, '.');
        const char *slash = strrchr(pattern, '/');
        size_t stem = dot && (!slash || dot > slash) ? (size_t)(dot - pattern) : strlen(pattern);
        snprintf(p, n, "%.*s-%d%s", (int)stem, pattern, section, pattern + stem);
    }
    return p;
}

/* The report beside the output: "out/booklet.pdf" -> "out/booklet.report.txt" (a leaflet
 * pattern loses its section part); the product's name is what is left of the file name. */
static char *report_path(const char *out, int json, char *product, size_t product_cap)
{
    char *stem = strdup(out);
    if (!stem)
        return NULL;
    char *pat = strstr(stem, SECTION_PATTERN);
    if (pat) {
        size_t cut = pat > stem && (pat[-1] == '-' || pat[-1] == '_') ? 1 : 0;
        memmove(pat - cut, pat + 2, strlen(pat + 2) + 1);
    }
    char *dot = strrchr(stem, '.');
    char *slash = strrchr(stem, '/');
    if (dot && (!slash || dot > slash))
        *dot = 0;
    size_t n = strlen(stem) + sizeof ".report.json";
    char *p = malloc(n);
    if (p) {
        snprintf(p, n, "%s.report.%s", stem, json ? "json" : "txt");
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
    pb_background *queries_job;
    int queries_started;
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
    char **paths;           /* their paths as given (leaflets: the section put in) */
    pb_output **outs;       /* the PDFs, or the trace (outs[0]) */
    pb_output *imposed, *report;
    char product[256];      /* the report's name for it */
    char *owned_out, *rpath;
    char *summary;          /* the report's summary line, printed once the run is done */
} product;

static void find_queries(void *ctx)
{
    run_ctx *r = ctx;
    r->queries_st = pb_query_find(r->doc, r->queries_lang, &r->queries);
}

/* Start finding the queries for lang (once per tag; a new tag waits for the old search). */
static void start_queries(run_ctx *r, const char *lang)
{
    if (r->queries_started && strcmp(r->queries_lang, lang) == 0)
        return;
    pb_background_free(r->queries_job);
    r->queries_job = NULL;
    pb_query_free(&r->queries);
    snprintf(r->queries_lang, sizeof r->queries_lang, "%s", lang);
    r->queries_started = 1;
    r->queries_job = pb_background_new(find_queries, r); /* NULL: it ran here */
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
    p->outs = calloc(p->n_out, sizeof *p->outs);
    p->paths = calloc(p->n_out, sizeof *p->paths);
    if (!p->outs || !p->paths)
        return no_memory();
    if (o->trace) /* every page set in one trace, to -o or standard output */
        return pb_output_claim(r->outputs, jb->out ? jb->out : PB_OUTPUT_STDIO, "the trace", 1,
                               &p->outs[0]);
    const char *out = jb->out;
    if (!out && r->from_stdin) {
        pb_diag_syserr("a corpus read from standard input needs -o OUT (or -o - for standard "
                       "output)");
        return PB_EUSAGE;
    }
    if (!out && !(out = p->owned_out = default_output(r->corpus_path)))
        return no_memory();
    int to_stdout = strcmp(out, PB_OUTPUT_STDIO) == 0;
    if (to_stdout && p->n_out > 1) {
        pb_diag_syserr("-o - takes one PDF; %s makes %zu (one per section)",
                       jb->layout ? jb->layout : "the layout", p->n_out);
        return PB_EUSAGE;
    }
    for (size_t i = 0; i < p->n_out; i++) {
        p->paths[i] = leaflets && !to_stdout && !jb->rebuild ? section_path(out, p->first + (int)i)
                                                             : strdup(out);
        if (!p->paths[i])
            return no_memory();
        if ((st = pb_output_claim(r->outputs, p->paths[i], "the output", 0, &p->outs[i])) != PB_OK)
            return st;
    }
    if (jb->imposed) {
        st = pb_output_claim(r->outputs, jb->imposed, "the imposed output", 0, &p->imposed);
        if (st != PB_OK)
            return st;
    }
    if (o->report) {
        if (!(p->rpath = report_path(out, o->report == 2, p->product, sizeof p->product)))
            return no_memory();
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

/* Make the product p: its pages, then its PDFs (or trace), imposition and report. */
static pb_status make(run_ctx *r, product *p)
{
    const run_opts *o = r->o;
    const job *jb = p->jb;
    const pb_layout *l = &p->layout;
    pb_fontset *fonts = NULL;
    char *layout_name = NULL;
    uint32_t *title = NULL;
    pb_pages *pages = NULL;
    const pb_pages **pp = NULL;
    pb_usage **drawn = NULL; /* per output file: the glyphs it draws, for the report */
    size_t n_out = p->n_out;
    const pb_doc *doc = p->doc;
    pb_status st;
    if (o->report)
        start_queries(r, l->lang_zh);
    if ((st = fonts_for(l, o->fonts_dir, r->fonts, &fonts)) != PB_OK)
        goto done;
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
    for (size_t i = 0; i < n_out && st == PB_OK; i++)
        st = leaflets ? pb_pagebuild_leaflet(doc, l, fonts, p->first + (int)i, &pages[i], NULL)
                      : pb_pagebuild_doc(doc, l, fonts, &colophon, &pages[i]);
    if (st != PB_OK)
        goto done;
    if (o->trace) {
        FILE *f = pb_output_open(p->outs[0]) == PB_OK ? pb_output_text(p->outs[0]) : NULL;
        if (!f) { /* said */
            st = PB_ESYSTEM;
            goto done;
        }
        for (size_t i = 0; i < n_out && st == PB_OK; i++)
            st = pb_trace_write(&pages[i], f);
        /* into memory until pb_output_close: it fails for want of memory only */
        st = st == PB_OK ? pb_output_close(p->outs[0]) : no_memory();
        goto done;
    }
    size_t title_len = 0;
    title = doc_title(doc, &title_len);
    if (!title) {
        st = no_memory();
        goto done;
    }
    const pb_block *tzh = title_block(doc, PB_LANG_ZH), *ten = title_block(doc, PB_LANG_EN);
    pb_pdf_meta meta = {
        .title = title,
        .title_len = title_len,
        .lang = l->lang_zh,
        /* a PDF/A copy must be dated: without SOURCE_DATE_EPOCH, by its corpus's date */
        .epoch = r->epoch < 0 && l->profile != PB_PROFILE_PRINT ? r->corpus_mtime : r->epoch,
        .producer = PB_PRODUCER,
        .creator = PB_PRODUCER,
        .profile = l->profile,
        .title_zh = tzh ? tzh->text : NULL,
        .title_zh_len = tzh ? tzh->len : 0,
        .title_en = ten ? ten->text : NULL,
        .title_en_len = ten ? ten->len : 0,
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
    for (size_t i = 0; i < n_out && st == PB_OK; i++) {
        meta.section = leaflets ? p->first + (int)i : 0; /* a leaflet's XMP says which it is */
        st = pb_pdf_write(&pages[i], fonts, &meta, p->outs[i], p->report ? &drawn[i] : NULL);
    }
    meta.section = 0;
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
        if ((st = r->queries_st) != PB_OK)
            goto done;
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
    free(layout_name);
    return st;
}

static pb_status typeset(const run_opts *o, const char *corpus_arg, const job *jobs,
                         size_t n_jobs, long long epoch)
{
    run_ctx r = {0};
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
    pb_output_add_input(r.outputs, corpus_arg, "the corpus");
    for (size_t i = 0; i < n_jobs; i++)
        if (jobs[i].layout)
            pb_output_add_input(r.outputs, jobs[i].layout, "the layout");
    st = r.from_stdin ? pb_archive_read_stream(stdin, "", r.corpus_path, CORPUS_BYTES_MAX,
                                               &corpus_bytes, &corpus_len)
                      : pb_archive_read_file(corpus_arg, "", CORPUS_BYTES_MAX, &corpus_bytes,
                                             &corpus_len);
    if (st != PB_OK)
        goto done;
    r.corpus_bytes = corpus_bytes;
    r.corpus_len = corpus_len;
    struct stat sb;
    r.corpus_mtime = !r.from_stdin && stat(corpus_arg, &sb) == 0 ? (long long)sb.st_mtime : 0;
    pb_layout_defaults(&defaults); /* most layouts normalise as the defaults do */
    stage = "parsing and normalizing the corpus";
    if ((st = text_for(&r, &defaults, &doc, &changes)) != PB_OK)
        goto done;
    /* the hyphenation patterns the words need load on another thread while the fonts open */
    stage = "reading the hyphenation patterns";
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
        st = prepare(&r, &jobs[i], &products[i]);
    }
    stage = "typesetting with layout";
    for (size_t i = 0; i < n_jobs && st == PB_OK; i++) {
        layout = jobs[i].layout ? jobs[i].layout : "(built-in)";
        st = make(&r, &products[i]);
    }
    stage = "writing the outputs", layout = NULL;
    if (st == PB_OK)
        st = pb_output_commit(r.outputs);
    for (size_t i = 0; i < n_jobs && st == PB_OK; i++)
        if (products[i].summary)
            fputs(products[i].summary, stderr);
done:
    if (st != PB_OK && pb_diag_error_count() == errors)
        pb_diag_syserr("%s%s%s failed", stage, layout ? " " : "", layout ? layout : "");
    pb_background_free(r.queries_job); /* before the document it reads goes */
    pb_query_free(&r.queries);
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

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"layout", required_argument, NULL, 'l'}, {"output", required_argument, NULL, 'o'},
        {"trace", no_argument, NULL, 't'},        {"fonts-dir", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},         {"version", no_argument, NULL, 'V'},
        {"verbose", no_argument, NULL, 'v'},      {"imposed", required_argument, NULL, 'i'},
        {"report", optional_argument, NULL, 'r'}, {NULL, 0, NULL, 0}};
    job jobs[MAX_JOBS];
    size_t n_jobs = 0;
    memset(jobs, 0, sizeof jobs);
    run_opts o = {DEFAULT_FONTS_DIR, 0, 0};
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "o:v", opts, NULL)) != -1) {
        switch (c) {
        case 'l': /* each --layout starts a product; -o and --imposed belong to the last one */
            if (n_jobs == MAX_JOBS || (n_jobs && !jobs[n_jobs - 1].layout)) {
                if (n_jobs == MAX_JOBS) {
                    pb_diag_syserr("at most %d layouts in one run", MAX_JOBS);
                    return PB_EUSAGE;
                }
                jobs[n_jobs - 1].layout = optarg;
                break;
            }
            jobs[n_jobs++].layout = optarg;
            break;
        case 'o':
        case 'i':
            if (n_jobs == 0)
                n_jobs = 1;
            if (c == 'o' && jobs[n_jobs - 1].out) {
                pb_diag_syserr("-o given twice for one layout");
                return PB_EUSAGE;
            }
            *(c == 'o' ? &jobs[n_jobs - 1].out : &jobs[n_jobs - 1].imposed) = optarg;
            break;
        case 'r':
            if (!optarg || strcmp(optarg, "text") == 0)
                o.report = 1;
            else if (strcmp(optarg, "json") == 0)
                o.report = 2;
            else {
                pb_diag_syserr("--report takes text or json, not '%s'", optarg);
                return PB_EUSAGE;
            }
            break;
        case 't': o.trace = 1; break;
        case 'f': { /* a folder named on the command line must be there (./fonts may not) */
            struct stat sb;
            int there = stat(optarg, &sb) == 0;
            if (!there || !S_ISDIR(sb.st_mode)) {
                pb_diag_syserr("--fonts-dir %s: %s", optarg,
                               there ? "not a directory" : strerror(errno));
                return PB_EUSAGE;
            }
            o.fonts_dir = optarg;
            break;
        }
        case 'v': pb_diag_set_verbose(1); break;
        case 'h': usage(stdout); return PB_OK;
        case 'V': puts(PB_PRODUCER); return PB_OK;
        default:
            pb_diag_syserr("unknown or incomplete option '%s'", argv[optind - 1]);
            usage(stderr);
            return PB_EUSAGE;
        }
    }
    if (argc - optind == 2 && strcmp(argv[optind], "verify") == 0) {
        if (n_jobs || o.trace || o.report) {
            pb_diag_syserr("verify takes only --fonts-dir and --verbose");
            usage(stderr);
            return PB_EUSAGE;
        }
        pb_verify_opts vo = {rebuild, &o, 0, 0};
        if (!verify_budget(&vo.budget))
            return PB_EUSAGE;
        return pb_verify_file(argv[optind + 1], &vo, stdout);
    }
    if (optind != argc - 1) {
        pb_diag_syserr(optind >= argc ? "no corpus file given" : "more than one corpus file given");
        usage(stderr);
        return PB_EUSAGE;
    }
    if (n_jobs == 0)
        n_jobs = 1;
    if (o.trace && o.report) {
        pb_diag_syserr("--report goes with PDF output, not --trace");
        return PB_EUSAGE;
    }
    for (size_t i = 0; i < n_jobs && o.report; i++)
        if (jobs[i].out && strcmp(jobs[i].out, PB_OUTPUT_STDIO) == 0) {
            pb_diag_syserr("--report writes beside OUT, not with -o -");
            return PB_EUSAGE;
        }
    long long epoch;
    if (!epoch_from_env(&epoch))
        return PB_EUSAGE;
    pb_status st = typeset(&o, argv[optind], jobs, n_jobs, epoch);
    return st;
}
