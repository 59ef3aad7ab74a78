/* paiban: command line. Reads a corpus and a layout, typesets, writes a PDF or a trace. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "corpus.h"
#include "diag.h"
#include "fonts.h"
#include "layout.h"
#include "normalize.h"
#include "pagebuild.h"
#include "pdf.h"
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
/* Prefix of the layout's stored name when it has the corpus's file name. */
#define LAYOUT_NAME_PREFIX "layout-"

static void usage(FILE *f)
{
    fputs("usage: paiban [--layout FILE] [-o OUT.pdf] [--trace] [--fonts-dir DIR] CORPUS\n"
          "       paiban [--fonts-dir DIR] verify FILE.pdf\n"
          "       paiban --help | --version\n"
          "\n"
          "Typesets a bilingual Chinese-English corpus (one paragraph a line, Chinese line then\n"
          "its English line) into a PDF.\n"
          "\n"
          "  --layout FILE    layout (.ini, see layouts/README.md); default: built-in A5 booklet\n"
          "  -o, --output OUT PDF to write (default: CORPUS with .pdf); written to a temporary\n"
          "                   file and renamed, so a failed run leaves OUT as it was\n"
          "  --trace          write the laid-out pages as text (to OUT, or stdout) instead of a PDF\n"
          "  --fonts-dir DIR  extra font folder for fontconfig (default: ./fonts if present)\n"
          "  -v, --verbose    notes on stderr\n"
          "\n"
          "With [pdf] profile = pdfa-3u the PDF is PDF/A-3u and carries the corpus and the layout\n"
          "as embedded files. 'paiban verify FILE.pdf' rebuilds such a file from them (same date,\n"
          "fonts from this system) and compares the bytes: exit 0 when identical, 1 when not.\n"
          "\n"
          "Environment: SOURCE_DATE_EPOCH sets the PDF dates (reproducible builds); unset, a\n"
          "print PDF has no dates and a pdfa-3u PDF is dated 1970-01-01T00:00:00Z (epoch 0).\n"
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
        memcpy(t + k, doc->blocks[i].text, doc->blocks[i].len * sizeof *t);
        k += doc->blocks[i].len;
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

/* The layout from its bytes, read once so that what a pdfa-3u PDF embeds is what was parsed.
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
} run_opts;

/* Typesets corpus_path with layout_path (NULL: built-in defaults) into out_path (NULL: the
 * corpus name with .pdf, or stdout for a trace). epoch: SOURCE_DATE_EPOCH, < 0 unset. */
static pb_status typeset(const run_opts *o, const char *corpus_path, const char *layout_path,
                         const char *out_path, long long epoch)
{
    pb_layout layout;
    uint8_t *corpus_bytes = NULL, *layout_bytes = NULL;
    size_t corpus_len = 0, layout_len = 0;
    pb_doc *doc = NULL;
    pb_fontset *fonts = NULL;
    pb_changes changes = {0};
    pb_pages pages = {0};
    char *owned_out = NULL, *layout_name = NULL;
    uint32_t *title = NULL;
    pb_status st;
    if (layout_path)
        st = load_layout(layout_path, &layout_bytes, &layout_len, &layout);
    else
        st = (pb_layout_defaults(&layout), PB_OK);
    if (st != PB_OK)
        goto done;
    if ((st = pb_archive_read_file(corpus_path, "", CORPUS_BYTES_MAX, &corpus_bytes,
                                   &corpus_len)) != PB_OK)
        goto done;
    if ((st = pb_corpus_parse(corpus_path, corpus_bytes, corpus_len, &doc)) != PB_OK)
        goto done;
    if ((st = pb_normalize_doc(doc, &changes)) != PB_OK)
        goto done;
    if ((st = pb_fonts_new(&layout, o->fonts_dir, &fonts)) != PB_OK)
        goto done;
    if ((st = pb_pagebuild_doc(doc, &layout, fonts, &pages)) != PB_OK)
        goto done;
    if (o->trace) {
        FILE *f = out_path ? fopen(out_path, "w") : stdout;
        if (!f) {
            pb_diag_syserr("cannot write %s: %s", out_path, strerror(errno));
            st = PB_ESYSTEM;
            goto done;
        }
        st = pb_trace_write(&pages, f);
        if (f != stdout && fclose(f) != 0)
            st = PB_ESYSTEM;
        goto done;
    }
    if (!out_path)
        out_path = owned_out = default_output(corpus_path);
    size_t title_len = 0;
    title = doc_title(doc, &title_len);
    if (!out_path || !title) {
        st = PB_ESYSTEM;
        goto done;
    }
    const pb_block *tzh = title_block(doc, PB_LANG_ZH), *ten = title_block(doc, PB_LANG_EN);
    pb_pdf_meta meta = {
        .title = title,
        .title_len = title_len,
        .lang = layout.lang_zh,
        .epoch = epoch,
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
    if (layout.profile == PB_PROFILE_PDFA3U) {
        /* the archive embeds its sources under their file names (verify rebuilds from them) */
        const char *cname = base_name(corpus_path);
        const char *lname = layout_path ? base_name(layout_path) : "";
        if (strcmp(cname, lname) == 0) {
            size_t n = strlen(LAYOUT_NAME_PREFIX) + strlen(lname) + 1;
            if (!(layout_name = malloc(n))) {
                st = PB_ESYSTEM;
                goto done;
            }
            snprintf(layout_name, n, "%s%s", LAYOUT_NAME_PREFIX, lname);
            lname = layout_name;
        }
        sources[0] = (pb_pdf_source){"corpus", cname, corpus_bytes, corpus_len, SOURCE_MIME,
                                     CORPUS_DESC};
        sources[1] = (pb_pdf_source){"layout", lname, layout_bytes, layout_len, SOURCE_MIME,
                                     LAYOUT_DESC};
        meta.sources = sources;
        meta.n_sources = layout_path ? 2 : 1;
    }
    st = pb_pdf_write(&pages, fonts, &meta, out_path);
done:
    free(title);
    free(owned_out);
    free(layout_name);
    free(corpus_bytes);
    free(layout_bytes);
    pb_pagebuild_free(&pages);
    pb_fonts_free(fonts);
    pb_normalize_free_changes(&changes);
    pb_corpus_free(doc);
    return st;
}

/* verify's rebuild: the same pipeline, a PDF, dates from the file's epoch. */
static pb_status rebuild(void *ctx, const char *corpus, const char *layout, const char *out,
                         long long epoch)
{
    run_opts o = *(const run_opts *)ctx;
    o.trace = 0;
    return typeset(&o, corpus, layout, out, epoch);
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"layout", required_argument, NULL, 'l'}, {"output", required_argument, NULL, 'o'},
        {"trace", no_argument, NULL, 't'},        {"fonts-dir", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},         {"version", no_argument, NULL, 'V'},
        {"verbose", no_argument, NULL, 'v'},      {NULL, 0, NULL, 0}};
    const char *layout_path = NULL, *out_path = NULL;
    run_opts o = {DEFAULT_FONTS_DIR, 0};
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "o:v", opts, NULL)) != -1) {
        switch (c) {
        case 'l': layout_path = optarg; break;
        case 'o': out_path = optarg; break;
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
        if (layout_path || out_path || o.trace) {
            pb_diag_syserr("verify takes only --fonts-dir and --verbose");
            usage(stderr);
            return PB_EUSAGE;
        }
        return pb_verify_file(argv[optind + 1], rebuild, &o, stdout);
    }
    if (optind != argc - 1) {
        pb_diag_syserr(optind >= argc ? "no corpus file given" : "more than one corpus file given");
        usage(stderr);
        return PB_EUSAGE;
    }
    long long epoch;
    if (!epoch_from_env(&epoch))
        return PB_EUSAGE;
    return typeset(&o, argv[optind], layout_path, out_path, epoch);
}
