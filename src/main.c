/* paiban: command line. Reads a corpus and a layout, typesets, writes a PDF or a trace. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "diag.h"
#include "fonts.h"
#include "layout.h"
#include "normalize.h"
#include "pagebuild.h"
#include "pdf.h"
#include "trace.h"

#define PB_VERSION "0.1.0"
#define PB_PRODUCER "paiban " PB_VERSION
/* The project's own fonts folder, added to fontconfig's search (issue: fonts by family). */
#define DEFAULT_FONTS_DIR "fonts"

static void usage(FILE *f)
{
    fputs("usage: paiban [--layout FILE] [-o OUT.pdf] [--trace] [--fonts-dir DIR] CORPUS\n"
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
          "Environment: SOURCE_DATE_EPOCH sets the PDF dates (reproducible builds).\n"
          "Exit status: 0 ok, 1 bad input, 2 bad usage, 3 system error.\n",
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

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"layout", required_argument, NULL, 'l'}, {"output", required_argument, NULL, 'o'},
        {"trace", no_argument, NULL, 't'},        {"fonts-dir", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},         {"version", no_argument, NULL, 'V'},
        {"verbose", no_argument, NULL, 'v'},      {NULL, 0, NULL, 0}};
    const char *layout_path = NULL, *out_path = NULL, *fonts_dir = DEFAULT_FONTS_DIR;
    int trace = 0, c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "o:v", opts, NULL)) != -1) {
        switch (c) {
        case 'l': layout_path = optarg; break;
        case 'o': out_path = optarg; break;
        case 't': trace = 1; break;
        case 'f': fonts_dir = optarg; break;
        case 'v': pb_diag_set_verbose(1); break;
        case 'h': usage(stdout); return PB_OK;
        case 'V': puts(PB_PRODUCER); return PB_OK;
        default:
            pb_diag_syserr("unknown or incomplete option '%s'", argv[optind - 1]);
            usage(stderr);
            return PB_EUSAGE;
        }
    }
    if (optind != argc - 1) {
        pb_diag_syserr(optind >= argc ? "no corpus file given" : "more than one corpus file given");
        usage(stderr);
        return PB_EUSAGE;
    }
    const char *corpus_path = argv[optind];
    long long epoch;
    if (!epoch_from_env(&epoch))
        return PB_EUSAGE;

    pb_layout layout;
    pb_status st = layout_path ? pb_layout_load(layout_path, &layout)
                               : (pb_layout_defaults(&layout), PB_OK);
    if (st != PB_OK)
        return st;
    pb_doc *doc = NULL;
    pb_fontset *fonts = NULL;
    pb_changes changes = {0};
    pb_pages pages = {0};
    char *owned_out = NULL;
    uint32_t *title = NULL;
    if ((st = pb_corpus_load(corpus_path, &doc)) != PB_OK)
        goto done;
    if ((st = pb_normalize_doc(doc, &changes)) != PB_OK)
        goto done;
    if ((st = pb_fonts_new(&layout, fonts_dir, &fonts)) != PB_OK)
        goto done;
    if ((st = pb_pagebuild_doc(doc, &layout, fonts, &pages)) != PB_OK)
        goto done;
    if (trace) {
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
    pb_pdf_meta meta = {title, title_len, layout.lang_zh, epoch, PB_PRODUCER};
    st = pb_pdf_write(&pages, fonts, &meta, out_path);
done:
    free(title);
    free(owned_out);
    pb_pagebuild_free(&pages);
    pb_fonts_free(fonts);
    pb_normalize_free_changes(&changes);
    pb_corpus_free(doc);
    return st;
}
