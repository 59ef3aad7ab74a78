/* preview: poppler-glib (the PDF renderer of GNOME's document viewer and of pdftoppm's
 * library) draws each page onto a cairo image surface, written as PNG. Both are opened with
 * dlopen, and only here: their functions are declared below as the libraries' reference
 * manuals give them (poppler-glib 22.12 "PopplerDocument", "PopplerPage"; cairo 1.16 "Image
 * Surfaces", "PNG Support", "cairo_t"; GLib 2.74 "GError", "GObject"). */
#include "preview.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"

/* Debian libpoppler-glib8 (which depends on libcairo2) */
#define POPPLER_SONAME "libpoppler-glib.so.8"
#define POPPLER_PACKAGE "libpoppler-glib8"
#define PT_PER_INCH 72.0
/* cairo image surfaces are at most 32767 pixels a side (cairo-image-surface.c, MAX_IMAGE_SIZE) */
#define SIDE_PX_MAX 32767
/* the largest page picture made: 4 bytes a pixel, so 1 GiB of memory (A4 at 1200 dpi is 140
 * million pixels) */
#define PIXELS_MAX (256L * 1024 * 1024)
#define PDF_SUFFIX ".pdf"
#define PNG_PATTERN "-%d.png"

/* cairo_format_t CAIRO_FORMAT_RGB24 (opaque pixels) and cairo_status_t CAIRO_STATUS_SUCCESS,
 * CAIRO_STATUS_WRITE_ERROR, as cairo.h numbers them */
enum { CAIRO_RGB24 = 1 };
enum { CAIRO_OK = 0, CAIRO_WRITE_ERROR = 11 };

/* GLib's GError: a GQuark (guint32), a gint and the message */
typedef struct {
    uint32_t domain;
    int code;
    char *message;
} gerror;

typedef int (*png_write_fn)(void *closure, const unsigned char *data, unsigned int length);

typedef struct {
    void *lib;
    void *(*doc_new_from_fd)(int fd, const char *password, gerror **error);
    int (*doc_n_pages)(void *doc);
    void *(*doc_page)(void *doc, int index);
    void (*page_size)(void *page, double *w, double *h);
    void (*page_render)(void *page, void *cr);
    void (*object_unref)(void *object);
    void (*error_free)(gerror *error);
    void *(*surface_new)(int format, int w, int h);
    int (*surface_status)(void *surface);
    int (*surface_png)(void *surface, png_write_fn fn, void *closure);
    void (*surface_free)(void *surface);
    void *(*cr_new)(void *surface);
    int (*cr_status)(void *cr);
    void (*cr_scale)(void *cr, double sx, double sy);
    void (*cr_rgb)(void *cr, double r, double g, double b);
    void (*cr_paint)(void *cr);
    void (*cr_free)(void *cr);
    const char *(*status_text)(int status);
} renderer;

static pb_status open_renderer(renderer *r)
{
    memset(r, 0, sizeof *r);
    if (!(r->lib = dlopen(POPPLER_SONAME, RTLD_NOW | RTLD_LOCAL))) {
        pb_diag_syserr("preview needs poppler-glib (%s: %s); on Debian: apt-get install %s",
                       POPPLER_SONAME, dlerror(), POPPLER_PACKAGE);
        return PB_ESYSTEM;
    }
    /* POSIX: dlsym's result converts to a function pointer through its object pointer; cairo's
     * and GLib's functions are found in poppler-glib's dependencies */
#define SYM(field, name)                                                                        \
    if (!(*(void **)&r->field = dlsym(r->lib, name))) {                                        \
        pb_diag_syserr("preview: %s has no %s (too old?)", POPPLER_SONAME, name);              \
        dlclose(r->lib);                                                                       \
        r->lib = NULL;                                                                         \
        return PB_ESYSTEM;                                                                     \
    }
    SYM(doc_new_from_fd, "poppler_document_new_from_fd")
    SYM(doc_n_pages, "poppler_document_get_n_pages")
    SYM(doc_page, "poppler_document_get_page")
    SYM(page_size, "poppler_page_get_size")
    SYM(page_render, "poppler_page_render")
    SYM(object_unref, "g_object_unref")
    SYM(error_free, "g_error_free")
    SYM(surface_new, "cairo_image_surface_create")
    SYM(surface_status, "cairo_surface_status")
    SYM(surface_png, "cairo_surface_write_to_png_stream")
    SYM(surface_free, "cairo_surface_destroy")
    SYM(cr_new, "cairo_create")
    SYM(cr_status, "cairo_status")
    SYM(cr_scale, "cairo_scale")
    SYM(cr_rgb, "cairo_set_source_rgb")
    SYM(cr_paint, "cairo_paint")
    SYM(cr_free, "cairo_destroy")
    SYM(status_text, "cairo_status_to_string")
#undef SYM
    return PB_OK;
}

/* cairo's PNG writer hands the bytes here; a failed write ends it with its write error. */
static int png_write(void *closure, const unsigned char *data, unsigned int length)
{
    return pb_output_write(closure, data, length) == PB_OK ? CAIRO_OK : CAIRO_WRITE_ERROR;
}

/* One page into its output: a white page, the PDF drawn over it at dpi. */
static pb_status render_page(const renderer *r, void *doc, int index, double dpi,
                             const char *pdf, pb_output *out)
{
    void *page = r->doc_page(doc, index);
    if (!page) {
        pb_diag_error(pdf, 0, 0, "page %d cannot be read", index + 1);
        return PB_EINPUT;
    }
    double w = 0, h = 0;
    r->page_size(page, &w, &h);
    double scale = dpi / PT_PER_INCH;
    double wpx = ceil(w * scale), hpx = ceil(h * scale);
    if (!(wpx >= 1 && hpx >= 1 && wpx <= SIDE_PX_MAX && hpx <= SIDE_PX_MAX &&
          wpx * hpx <= (double)PIXELS_MAX)) {
        pb_diag_error(pdf, 0, 0, "page %d (%.0f x %.0f pt) would be %.0f x %.0f pixels at %g dpi: "
                      "preview makes at most %d pixels a side and %ld in all; use a lower --dpi",
                      index + 1, w, h, wpx, hpx, dpi, SIDE_PX_MAX, PIXELS_MAX);
        r->object_unref(page);
        return PB_EINPUT;
    }
    pb_status st = PB_OK;
    void *surface = r->surface_new(CAIRO_RGB24, (int)wpx, (int)hpx);
    void *cr = r->cr_new(surface);
    if (r->surface_status(surface) != CAIRO_OK || r->cr_status(cr) != CAIRO_OK) {
        st = pb_diag_oom("rendering a preview page");
    } else {
        r->cr_rgb(cr, 1, 1, 1);
        r->cr_paint(cr);
        r->cr_scale(cr, scale, scale);
        r->page_render(page, cr);
        if ((st = pb_output_open(out)) == PB_OK) {
            int cs = r->surface_png(surface, png_write, out);
            if (cs != CAIRO_OK && cs != CAIRO_WRITE_ERROR) { /* a write error was said */
                pb_diag_syserr("cannot write %s: %s", pb_output_path(out), r->status_text(cs));
                st = PB_ESYSTEM;
            } else if (cs == CAIRO_WRITE_ERROR) {
                st = PB_ESYSTEM;
            } else {
                st = pb_output_close(out);
            }
        }
    }
    r->cr_free(cr);
    r->surface_free(surface);
    r->object_unref(page);
    return st;
}

/* "doc.pdf" -> "doc-%d.png" */
static char *default_pattern(const char *pdf)
{
    size_t n = strlen(pdf);
    if (n > strlen(PDF_SUFFIX) && strcmp(pdf + n - strlen(PDF_SUFFIX), PDF_SUFFIX) == 0)
        n -= strlen(PDF_SUFFIX);
    /* the PDF's own name, a '%' in it a percent sign ("b (50%).pdf" -> "b (50%%)-%d.png") */
    char *stem = strndup(pdf, n);
    char *e = stem ? pb_output_escape(stem) : NULL;
    free(stem);
    size_t cap = e ? strlen(e) + sizeof PNG_PATTERN : 0;
    char *p = cap ? malloc(cap) : NULL;
    if (p)
        snprintf(p, cap, "%s%s", e, PNG_PATTERN);
    free(e);
    return p;
}

/* -o DIR (a folder, or a name ending in '/'): "DIR/doc-%d.png" for doc.pdf, the default
 * name in that folder (review 12 B9: -o /tmp wrote /tmp-1 ... /tmp-8 into /, no .png). NULL
 * when pattern is not a folder, or memory ran out (*oom set). */
static char *folder_pattern(const char *pdf, const char *pattern, int *oom)
{
    struct stat sb;
    size_t n = strlen(pattern);
    *oom = 0;
    if (n == 0 || (pattern[n - 1] != '/' && (stat(pattern, &sb) != 0 || !S_ISDIR(sb.st_mode))))
        return NULL;
    const char *base = strrchr(pdf, '/');
    char *name = default_pattern(base ? base + 1 : pdf);
    char *dir = pb_output_escape(pattern); /* the folder as it is named */
    size_t cap = name && dir ? strlen(dir) + 1 + strlen(name) + 1 : 0;
    char *p = cap ? malloc(cap) : NULL;
    if (p)
        snprintf(p, cap, "%s%s%s", dir, pattern[n - 1] == '/' ? "" : "/", name);
    else
        *oom = 1;
    free(name);
    free(dir);
    return p;
}

pb_status pb_preview_write(const char *pdf, const char *pattern, double dpi, int first, int last)
{
    renderer r;
    pb_status st = open_renderer(&r);
    if (st != PB_OK)
        return st;
    void *doc = NULL;
    char *own_pattern = NULL, **paths = NULL;
    pb_outputs *set = NULL;
    int n = 0;
    int fd = open(pdf, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        pb_diag_syserr("cannot read %s: %s", pdf, strerror(errno));
        st = PB_ESYSTEM;
        goto done;
    }
    gerror *err = NULL;
    doc = r.doc_new_from_fd(fd, NULL, &err); /* the document owns fd from here on */
    if (!doc) {
        pb_diag_error(pdf, 0, 0, "not a PDF poppler can read: %s",
                      err && err->message ? err->message : "(no reason given)");
        if (err)
            r.error_free(err);
        close(fd); /* whether the library closed it on failure is not documented */
        st = PB_EINPUT;
        goto done;
    }
    int pages = r.doc_n_pages(doc);
    if (first == 0)
        first = 1, last = pages;
    if (pages < 1 || first > pages || last > pages) {
        pb_diag_error(pdf, 0, 0, "has %d page%s; --pages asked for %d-%d", pages,
                      pages == 1 ? "" : "s", first, last);
        st = PB_EINPUT;
        goto done;
    }
    n = last - first + 1;
    if (!pattern && !(pattern = own_pattern = default_pattern(pdf))) {
        st = pb_diag_oom("naming the preview pages");
        goto done;
    }
    int to_stdout = strcmp(pattern, PB_OUTPUT_STDIO) == 0, oom = 0;
    char *in_folder = to_stdout ? NULL : folder_pattern(pdf, pattern, &oom);
    if (oom) {
        st = pb_diag_oom("naming the preview pages");
        goto done;
    }
    if (in_folder) {
        free(own_pattern);
        pattern = own_pattern = in_folder;
    }
    if (to_stdout && n > 1) {
        st = pb_diag_usage("-o - takes one page; %s has %d (use --pages)", pdf, n);
        goto done;
    }
    /* one page and a name without %d: that name, read as every -o is (%% a percent sign) */
    int numbered = n > 1 || pb_output_number_at(pattern);
    char why[128];
    if (!to_stdout && pb_output_pattern_error(pattern, numbered, "the page number", why, sizeof why)) {
        st = pb_diag_usage("-o %s: %s", pattern, why);
        goto done;
    }
    if (!(set = pb_output_new_set()) || !(paths = calloc((size_t)n, sizeof *paths))) {
        st = pb_diag_oom("naming the preview pages");
        goto done;
    }
    pb_output_add_input(set, pdf, "the PDF");
    pb_output **outs = calloc((size_t)n, sizeof *outs);
    if (!outs) {
        st = pb_diag_oom("naming the preview pages");
        goto done;
    }
    for (int i = 0; i < n && st == PB_OK; i++) {
        paths[i] = numbered ? pb_output_numbered(pattern, first + i) : strdup(pattern);
        if (paths[i] && !numbered && !to_stdout)
            pb_output_unescape(paths[i]);
        if (!paths[i])
            st = pb_diag_oom("naming the preview pages");
        else
            st = pb_output_claim(set, paths[i], "the preview", 0, &outs[i]);
    }
    for (int i = 0; i < n && st == PB_OK; i++)
        st = render_page(&r, doc, first - 1 + i, dpi, pdf, outs[i]);
    if (st == PB_OK)
        st = pb_output_commit(set);
    free(outs);
done:
    pb_output_free_set(set); /* the pages of a failed run go */
    for (int i = 0; paths && i < n; i++)
        free(paths[i]);
    free(paths);
    free(own_pattern);
    if (doc)
        r.object_unref(doc);
    /* the library stays loaded: GLib's type system cannot be unloaded */
    return st;
}
