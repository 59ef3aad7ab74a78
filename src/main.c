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
#include "layout.h"
#include "normalize.h"
#include "pagebuild.h"
#include "parallel.h"
#include "nodes.h"
#include "pdf.h"
#include "cleanup.h"
#include "report.h"
#include "ruby.h"
#include "trace.h"
#include "verify.h"

#define PB_VERSION "0.1.0"
#define PB_PRODUCER "paiban " PB_VERSION
/* The project's own fonts folder, added to fontconfig's search (issue: fonts by family). */
#define DEFAULT_FONTS_DIR "fonts"
/* Largest layout file read (= layout.c's LAYOUT_FILE_MAX); larger ones are left to
 * pb_layout_load, which reports them. */
#define LAYOUT_BYTES_MAX (1024 * 1024)
/* Largest corpus read (= corpus.c's INPUT_MAX); pb_corpus_parse reports a larger one. */
#define CORPUS_BYTES_MAX ((size_t)INT_MAX)
/* MIME type of both embedded sources (UTF-8 text; the layout is an .ini text file). */
#define SOURCE_MIME "text/plain"
#define CORPUS_DESC "Source corpus this document was typeset from (UTF-8 text)"
#define LAYOUT_DESC "Layout file (paiban .ini) this document was typeset with"
/* Imposition: pages within this of half the sheet still fit (pt; rounding of mm sizes). */
#define IMPOSE_EPS_PT 0.01
#define PT_PER_MM (72.0 / 25.4)
/* Prefix of the layout's stored name when it has the corpus's file name. */
#define LAYOUT_NAME_PREFIX "layout-"

static void usage(FILE *f)
{
    fputs("usage: paiban [--layout FILE [-o OUT.pdf] [--imposed OUT.pdf]]... [--trace]\n"
          "              [--report[=text|json]] [--fonts-dir DIR] CORPUS\n"
          "       paiban [--fonts-dir DIR] verify FILE.pdf\n"
          "       paiban --help | --version\n"
          "\n"
          "Typesets a bilingual Chinese-English corpus (one paragraph a line, Chinese line then\n"
          "its English line) into a PDF.\n"
          "\n"
          "  --layout FILE    layout (.ini, see layouts/README.md); default: built-in A5 booklet.\n"
          "                   Each --layout is one product; the options after it belong to it,\n"
          "                   and fonts are opened once for all of them\n"
          "  -o, --output OUT PDF to write (default: CORPUS with .pdf); written to a temporary\n"
          "                   file and renamed, so a failed run leaves OUT as it was. A leaflet\n"
          "                   layout writes one PDF per section: %d in OUT is the section number\n"
          "  --imposed OUT    also write the pages 2-up in saddle-stitch order ([impose] sheet)\n"
          "  --report[=json]  write OUT's preflight report beside it (OUT.report.txt or .json)\n"
          "                   and a one-line summary on stderr\n"
          "  --trace          write the laid-out pages as text (to OUT, or stdout) instead of a PDF\n"
          "  --fonts-dir DIR  extra font folder for fontconfig (default: ./fonts if present)\n"
          "  -v, --verbose    notes on stderr\n"
          "\n"
          "With [pdf] profile = pdfa-3a (or pdfa-3u) the PDF is PDF/A-3a (3u) and PDF/UA-1, and\n"
          "carries the corpus and the layout as embedded files. 'paiban verify FILE.pdf' rebuilds such a file from them (same date,\n"
          "fonts from this system) and compares the bytes: exit 0 when identical, 1 when not.\n"
          "\n"
          "Environment: SOURCE_DATE_EPOCH sets the PDF dates (reproducible builds); unset, a\n"
          "print PDF has no dates and a PDF/A file takes the corpus file's modification time.\n"
          "PAIBAN_THREADS=N runs on N threads (default: every core); the bytes are the same.\n"
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
    size_t n = strlen(out) + 32;
    char *p = malloc(n);
    if (!p)
        return NULL;
    char stem[1024];
    snprintf(stem, sizeof stem, "%s", out);
    char *pat = strstr(stem, SECTION_PATTERN);
    if (pat) {
        size_t cut = pat > stem && (pat[-1] == '-' || pat[-1] == '_') ? 1 : 0;
        memmove(pat - cut, pat + 2, strlen(pat + 2) + 1);
    }
    char *dot = strrchr(stem, '.');
    char *slash = strrchr(stem, '/');
    if (dot && (!slash || dot > slash))
        *dot = 0;
    snprintf(p, n, "%s.report.%s", stem, json ? "json" : "txt");
    const char *b = base_name(stem);
    size_t bl = strlen(b) < product_cap - 1 ? strlen(b) : product_cap - 1;
    memcpy(product, b, bl);
    product[bl] = 0;
    return p;
}

/* The traces of n page sets, to out_path (through a temporary file, like every output) or to
 * stdout when it is NULL. */
static pb_status write_trace(const pb_pages *pages, size_t n, const char *out_path)
{
    char *tmp = NULL;
    FILE *f = out_path ? pb_cleanup_temp_open(out_path, &tmp) : stdout;
    if (!f)
        return PB_ESYSTEM;
    pb_status st = PB_OK;
    for (size_t i = 0; i < n && st == PB_OK; i++)
        st = pb_trace_write(&pages[i], f);
    if (!out_path)
        return st;
    if (st != PB_OK) {
        pb_cleanup_temp_abandon(f, tmp);
        return st;
    }
    return pb_cleanup_temp_commit(f, tmp, out_path);
}

/* Most differently normalised copies of the corpus one run keeps (smart punctuation on/off x
 * two Chinese quote styles). */
#define MAX_TEXTS 4

/* Everything one run shares between its products. */
typedef struct {
    const run_opts *o;
    const char *corpus_path;
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
    font_cache_entry fonts[MAX_FONTSETS];
    /* editor's queries for the reports: found on a background thread while the products are
     * made (opening ICU's transform alone takes ~35 ms), for one Chinese language tag */
    pb_queries queries;
    pb_status queries_st;
    char queries_lang[sizeof(((pb_layout *)0)->lang_zh)];
    pb_background *queries_job;
    int queries_started;
} run_ctx;

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

static pb_status one_job(run_ctx *r, const job *jb)
{
    const run_opts *o = r->o;
    pb_layout layout;
    uint8_t *layout_bytes = NULL;
    size_t layout_len = 0;
    pb_fontset *fonts = NULL;
    char *layout_name = NULL, *owned_out = NULL, *rpath = NULL;
    uint32_t *title = NULL;
    pb_pages *pages = NULL;
    char **paths = NULL;
    pb_usage **drawn = NULL; /* per output file: the glyphs it draws, for the report */
    size_t n_out = 0;
    pb_status st;
    if (jb->layout)
        st = load_layout(jb->layout, &layout_bytes, &layout_len, &layout);
    else
        st = (pb_layout_defaults(&layout), PB_OK);
    if (st != PB_OK)
        goto done;
    if (layout.ruby_mode == PB_RUBY_INLINE_CHECK &&
        (st = pb_ruby_check_inline(r->doc, r->corpus_path)) != PB_OK)
        goto done;
    const pb_doc *doc;
    const pb_changes *changes;
    if ((st = text_for(r, &layout, &doc, &changes)) != PB_OK)
        goto done;
    if (o->report)
        start_queries(r, layout.lang_zh);
    if (!pb_corpus_has_mark(doc, PB_MARK_EMPH))
        layout.family[PB_ROLE_LATIN_ITALIC][0] = '\0'; /* nothing in italic: no face to open */
    if ((st = fonts_for(&layout, o->fonts_dir, r->fonts, &fonts)) != PB_OK)
        goto done;
    /* 2-up needs two pages side by side on the sheet; a larger page would be cropped */
    if (jb->imposed && (2 * layout.page_w > layout.sheet_w + IMPOSE_EPS_PT ||
                        layout.page_h > layout.sheet_h + IMPOSE_EPS_PT)) {
        char fit[256];
        size_t n = pb_layout_sheets_for(layout.page_w, layout.page_h, fit, sizeof fit);
        pb_diag_error(layout.path[0] ? layout.path : NULL, 0, 0,
                      "--imposed: pages of %.0f x %.0f mm do not fit 2-up on the [impose] sheet "
                      "(%.0f x %.0f mm); %s%s",
                      layout.page_w / PT_PER_MM, layout.page_h / PT_PER_MM,
                      layout.sheet_w / PT_PER_MM, layout.sheet_h / PT_PER_MM,
                      n ? "sheets that fit: " : "no named sheet fits them", fit);
        st = PB_EINPUT;
        goto done;
    }
    const char *out_path = jb->out;
    if (!out_path && !o->trace)
        out_path = owned_out = default_output(r->corpus_path);
    if (!out_path && !o->trace) {
        st = PB_ESYSTEM;
        goto done;
    }
    int leaflets = layout.product == PB_PRODUCT_LEAFLET;
    n_out = leaflets ? (size_t)(doc->n_sections > 0 ? doc->n_sections : 0) : 1;
    if (leaflets && n_out == 0) {
        pb_diag_error(r->corpus_path, 0, 0, "no sections found: leaflets need headings");
        st = PB_EINPUT;
        goto done;
    }
    pages = calloc(n_out, sizeof *pages);
    paths = calloc(n_out, sizeof *paths);
    drawn = calloc(n_out, sizeof *drawn);
    if (!pages || !paths || !drawn) {
        st = PB_ESYSTEM;
        goto done;
    }
    for (size_t i = 0; i < n_out && st == PB_OK; i++) {
        st = leaflets ? pb_pagebuild_leaflet(doc, &layout, fonts, (int)i + 1, &pages[i], NULL)
                      : pb_pagebuild_doc(doc, &layout, fonts, &pages[i]);
        if (st == PB_OK && out_path) {
            paths[i] = leaflets ? section_path(out_path, (int)i + 1) : strdup(out_path);
            if (!paths[i])
                st = PB_ESYSTEM;
        }
    }
    if (st != PB_OK)
        goto done;
    if (o->trace) {
        st = write_trace(pages, n_out, jb->out);
        goto done;
    }
    size_t title_len = 0;
    title = doc_title(doc, &title_len);
    if (!title) {
        st = PB_ESYSTEM;
        goto done;
    }
    const pb_block *tzh = title_block(doc, PB_LANG_ZH), *ten = title_block(doc, PB_LANG_EN);
    pb_pdf_meta meta = {
        .title = title,
        .title_len = title_len,
        .lang = layout.lang_zh,
        /* a PDF/A copy must be dated: without SOURCE_DATE_EPOCH, by its corpus's date */
        .epoch = r->epoch < 0 && layout.profile != PB_PROFILE_PRINT ? r->corpus_mtime : r->epoch,
        .producer = PB_PRODUCER,
        .creator = PB_PRODUCER,
        .profile = layout.profile,
        .title_zh = tzh ? tzh->text : NULL,
        .title_zh_len = tzh ? tzh->len : 0,
        .title_en = ten ? ten->text : NULL,
        .title_en_len = ten ? ten->len : 0,
        .lang_en = layout.lang_en,
    };
    pb_pdf_source sources[2];
    if (layout.profile != PB_PROFILE_PRINT) {
        /* the archive embeds its sources under their file names (verify rebuilds from them) */
        const char *cname = base_name(r->corpus_path);
        const char *lname = jb->layout ? base_name(jb->layout) : "";
        if (strcmp(cname, lname) == 0) {
            size_t n = strlen(LAYOUT_NAME_PREFIX) + strlen(lname) + 1;
            if (!(layout_name = malloc(n))) {
                st = PB_ESYSTEM;
                goto done;
            }
            snprintf(layout_name, n, "%s%s", LAYOUT_NAME_PREFIX, lname);
            lname = layout_name;
        }
        sources[0] = (pb_pdf_source){"corpus", cname, r->corpus_bytes, r->corpus_len,
                                     SOURCE_MIME, CORPUS_DESC};
        sources[1] = (pb_pdf_source){"layout", lname, layout_bytes, layout_len, SOURCE_MIME,
                                     LAYOUT_DESC};
        meta.sources = sources;
        meta.n_sources = jb->layout ? 2 : 1;
    }
    for (size_t i = 0; i < n_out && st == PB_OK; i++)
        st = pb_pdf_write(&pages[i], fonts, &meta, paths[i], o->report ? &drawn[i] : NULL);
    if (st == PB_OK && jb->imposed) {
        pb_pdf_meta im = meta;
        im.profile = PB_PROFILE_PRINT; /* the press sheet is a print product */
        im.sources = NULL;
        im.n_sources = 0;
        im.sheet_w = layout.sheet_w;
        im.sheet_h = layout.sheet_h;
        st = pb_pdf_write(&pages[0], fonts, &im, jb->imposed, NULL);
    }
    if (st == PB_OK && o->report) {
        char product[256];
        rpath = report_path(out_path, o->report == 2, product, sizeof product);
        if (!rpath) {
            st = PB_ESYSTEM;
            goto done;
        }
        const pb_pages *pp[MAX_JOBS * 4];
        size_t nr = n_out < sizeof pp / sizeof pp[0] ? n_out : sizeof pp / sizeof pp[0];
        for (size_t i = 0; i < nr; i++)
            pp[i] = &pages[i];
        pb_report_input in = {product, r->corpus_path, &layout, doc, changes, fonts, pp,
                              (const char *const *)paths, (const pb_usage *const *)drawn, nr,
                              NULL};
        pb_background_wait(r->queries_job);
        if ((st = r->queries_st) != PB_OK)
            goto done;
        in.queries = &r->queries;
        st = pb_report_write(&in, o->report == 2, rpath);
        if (st == PB_OK)
            pb_report_summary(&in, stderr);
    }
done:
    for (size_t i = 0; pages && i < n_out; i++)
        pb_pagebuild_free(&pages[i]);
    for (size_t i = 0; paths && i < n_out; i++)
        free(paths[i]);
    for (size_t i = 0; drawn && i < n_out; i++)
        pb_usage_free(drawn[i]);
    free(pages);
    free(paths);
    free(drawn);
    free(rpath);
    free(title);
    free(owned_out);
    free(layout_name);
    free(layout_bytes);
    return st;
}

static pb_status typeset(const run_opts *o, const char *corpus_path, const job *jobs,
                         size_t n_jobs, long long epoch)
{
    run_ctx r = {0};
    r.o = o;
    r.corpus_path = corpus_path;
    r.epoch = epoch;
    uint8_t *corpus_bytes = NULL;
    size_t corpus_len = 0;
    pb_layout defaults;
    const pb_doc *doc;
    const pb_changes *changes;
    pb_status st;
    if ((st = pb_archive_read_file(corpus_path, "", CORPUS_BYTES_MAX, &corpus_bytes,
                                   &corpus_len)) != PB_OK)
        goto done;
    r.corpus_bytes = corpus_bytes;
    r.corpus_len = corpus_len;
    struct stat sb;
    r.corpus_mtime = stat(corpus_path, &sb) == 0 ? (long long)sb.st_mtime : 0;
    pb_layout_defaults(&defaults); /* most layouts normalise as the defaults do */
    if ((st = text_for(&r, &defaults, &doc, &changes)) != PB_OK)
        goto done;
    /* the hyphenation patterns the words need load on another thread while the fonts open */
    if ((st = pb_compose_preload(doc)) != PB_OK)
        goto done;
    r.doc = doc;
    for (size_t i = 0; i < n_jobs && st == PB_OK; i++)
        st = one_job(&r, &jobs[i]);
done:
    pb_background_free(r.queries_job); /* before the document it reads goes */
    pb_query_free(&r.queries);
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

static pb_status rebuild(void *ctx, const char *corpus, const char *layout, const char *out,
                         long long epoch)
{
    run_opts o = *(const run_opts *)ctx;
    o.trace = 0;
    o.report = 0;
    job jb = {layout, out, NULL};
    return typeset(&o, corpus, &jb, 1, epoch);
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
    pb_cleanup_install(); /* SIGINT/SIGTERM remove a temporary output file, then end the run */
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
        case 'f': o.fonts_dir = optarg; break;
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
        pb_status vst = pb_verify_file(argv[optind + 1], rebuild, &o, stdout);
        return vst;
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
    long long epoch;
    if (!epoch_from_env(&epoch))
        return PB_EUSAGE;
    pb_status st = typeset(&o, argv[optind], jobs, n_jobs, epoch);
    return st;
}
