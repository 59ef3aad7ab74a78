/* verify: rebuild an archival PDF from its embedded sources and compare the bytes.
 * Reads PDFs with libqpdf's C API (Debian libqpdf-dev, qpdf/qpdf-c.h), opened with dlopen. */
#include "verify.h"

#include <dlfcn.h>
#include <errno.h>
#include <qpdf/qpdf-c.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive.h"

/* Name trees nest through /Kids; deeper than this is taken as a loop (ISO 32000-1 §7.9.6
 * sets no limit, real files use one or two levels). */
#define NAME_TREE_DEPTH_MAX 32
/* A component of a path built under the temporary folder. */
#define PATH_BYTES 4096
#define VERIFY_DIR_TEMPLATE "paiban-verify-XXXXXX"
#define REBUILT_NAME "rebuilt.pdf"
#define SHA256_HEX (2 * PB_ARCHIVE_SHA256_SIZE + 1)
/* Largest PDF verify reads (bytes); paiban's archives are well under a megabyte. */
#define PDF_BYTES_MAX ((size_t)1 << 30)

/* libqpdf is opened only when a file is verified. Linked into the program, its start-up (the
 * C++ runtime, GnuTLS and p11-kit constructors it pulls in) cost every run ~6 ms: an empty
 * program linked with paiban's libraries starts in 8.5 ms without it, 15 ms with it. */
#ifndef PB_QPDF_SONAME
#define PB_QPDF_SONAME "libqpdf.so"
#endif
#define QPDF_API(X)                                                                            \
    X(qpdf_cleanup) X(qpdf_get_error) X(qpdf_get_error_full_text) X(qpdf_get_num_pages)        \
    X(qpdf_get_page_n) X(qpdf_get_root) X(qpdf_get_trailer) X(qpdf_has_error) X(qpdf_init)     \
    X(qpdf_oh_begin_dict_key_iter) X(qpdf_oh_dict_more_keys) X(qpdf_oh_dict_next_key)          \
    X(qpdf_oh_get_array_item) X(qpdf_oh_get_array_n_items) X(qpdf_oh_get_key)                  \
    X(qpdf_oh_get_name) X(qpdf_oh_get_object_id) X(qpdf_oh_get_page_content_data)              \
    X(qpdf_oh_get_stream_data) X(qpdf_oh_get_utf8_value) X(qpdf_oh_is_array)                   \
    X(qpdf_oh_is_dictionary) X(qpdf_oh_is_name) X(qpdf_oh_is_stream) X(qpdf_oh_is_string)      \
    X(qpdf_oh_unparse_resolved) X(qpdf_read_memory) X(qpdf_set_suppress_warnings)              \
    X(qpdf_silence_errors)
static struct {
#define QPDF_FIELD(f) __typeof__(f) *f;
    QPDF_API(QPDF_FIELD)
#undef QPDF_FIELD
    int loaded;
} qp;

/* Open libqpdf and find its functions (once); a system error when it is not there. */
static pb_status load_qpdf(void)
{
    if (qp.loaded)
        return PB_OK;
    void *h = dlopen(PB_QPDF_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        pb_diag_syserr("verify needs libqpdf (%s): %s", PB_QPDF_SONAME, dlerror());
        return PB_ESYSTEM;
    }
    /* POSIX: dlsym's result converts to a function pointer through its object pointer */
#define QPDF_LOOKUP(f)                                                                         \
    if (!(*(void **)&qp.f = dlsym(h, #f))) {                                                   \
        pb_diag_syserr("libqpdf (%s) lacks %s", PB_QPDF_SONAME, #f);                           \
        return PB_ESYSTEM;                                                                     \
    }
    QPDF_API(QPDF_LOOKUP)
#undef QPDF_LOOKUP
    qp.loaded = 1; /* the library stays open until the program ends */
    return PB_OK;
}

typedef struct {
    char *name;     /* file name (/UF, else /F), UTF-8 */
    uint8_t *bytes; /* decoded EmbeddedFile data */
    size_t len;
} embedded;

typedef struct {
    embedded *files;
    size_t n, cap;
    int oom;
} embedded_list;

static void free_list(embedded_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->files[i].name);
        free(l->files[i].bytes);
    }
    free(l->files);
}

/* Decoded data of a stream (malloc'ed), NULL if it is none or cannot be decoded. */
static uint8_t *stream_data(qpdf_data q, qpdf_oh oh, size_t *len)
{
    *len = 0;
    if (!qp.qpdf_oh_is_stream(q, oh))
        return NULL;
    unsigned char *b = NULL;
    QPDF_BOOL filtered = QPDF_FALSE;
    if (qp.qpdf_oh_get_stream_data(q, oh, qpdf_dl_generalized, &filtered, &b, len) != QPDF_SUCCESS ||
        !filtered) {
        free(b);
        while (qp.qpdf_has_error(q))
            qp.qpdf_get_error(q);
        *len = 0;
        return NULL;
    }
    return b;
}

static void add_filespec(qpdf_data q, qpdf_oh fs, embedded_list *l)
{
    if (!qp.qpdf_oh_is_dictionary(q, fs))
        return;
    const char *name = NULL;
    qpdf_oh uf = qp.qpdf_oh_get_key(q, fs, "/UF"), f = qp.qpdf_oh_get_key(q, fs, "/F");
    if (qp.qpdf_oh_is_string(q, uf))
        name = qp.qpdf_oh_get_utf8_value(q, uf);
    else if (qp.qpdf_oh_is_string(q, f))
        name = qp.qpdf_oh_get_utf8_value(q, f);
    qpdf_oh ef = qp.qpdf_oh_get_key(q, fs, "/EF");
    qpdf_oh st = qp.qpdf_oh_get_key(q, ef, "/UF");
    if (!qp.qpdf_oh_is_stream(q, st))
        st = qp.qpdf_oh_get_key(q, ef, "/F");
    if (!name || !qp.qpdf_oh_is_stream(q, st))
        return;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 4;
        embedded *v = realloc(l->files, cap * sizeof *v);
        if (!v) {
            l->oom = 1;
            return;
        }
        l->files = v;
        l->cap = cap;
    }
    embedded *e = &l->files[l->n];
    e->bytes = stream_data(q, st, &e->len);
    e->name = strdup(name);
    if (!e->bytes || !e->name) {
        free(e->bytes);
        free(e->name);
        return;
    }
    l->n++;
}

/* Every file of an /EmbeddedFiles name tree node (ISO 32000-1 §7.9.6). */
static void walk_names(qpdf_data q, qpdf_oh node, int depth, embedded_list *l)
{
    if (depth > NAME_TREE_DEPTH_MAX || !qp.qpdf_oh_is_dictionary(q, node))
        return;
    qpdf_oh names = qp.qpdf_oh_get_key(q, node, "/Names");
    if (qp.qpdf_oh_is_array(q, names)) {
        int n = qp.qpdf_oh_get_array_n_items(q, names);
        for (int i = 1; i < n; i += 2)
            add_filespec(q, qp.qpdf_oh_get_array_item(q, names, i), l);
    }
    qpdf_oh kids = qp.qpdf_oh_get_key(q, node, "/Kids");
    if (qp.qpdf_oh_is_array(q, kids)) {
        int n = qp.qpdf_oh_get_array_n_items(q, kids);
        for (int i = 0; i < n; i++)
            walk_names(q, qp.qpdf_oh_get_array_item(q, kids, i), depth + 1, l);
    }
}

/* A name that is one plain entry of a folder. */
static int plain_name(const char *s)
{
    return *s && !strchr(s, '/') && strcmp(s, ".") != 0 && strcmp(s, "..") != 0 &&
           strlen(s) < PATH_BYTES / 4;
}

static const embedded *find_file(const embedded_list *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->files[i].name, name) == 0)
            return &l->files[i];
    return NULL;
}

static void silence(qpdf_data q)
{
    qp.qpdf_silence_errors(q);
    qp.qpdf_set_suppress_warnings(q, QPDF_TRUE);
}

/* ---- explaining a difference --------------------------------------------------------- */

/* The fonts of every page in page order (each font object once): a SHA-256 per font over its
 * /BaseFont, descendant /W, font program, ToUnicode and CIDToGIDMap. */
typedef struct {
    char name[128];
    uint8_t digest[PB_ARCHIVE_SHA256_SIZE];
    int objid;
} font_print;

typedef struct {
    font_print *v;
    size_t n, cap;
    int oom;
} font_prints;

static void hash_text(pb_archive_hash *h, const char *s)
{
    if (s)
        pb_archive_hash_update(h, s, strlen(s) + 1);
}

static void hash_stream(qpdf_data q, pb_archive_hash *h, qpdf_oh oh)
{
    size_t len;
    uint8_t *b = stream_data(q, oh, &len);
    uint8_t n[8];
    for (int i = 0; i < 8; i++)
        n[i] = (uint8_t)((uint64_t)len >> (56 - 8 * i));
    pb_archive_hash_update(h, n, sizeof n);
    pb_archive_hash_update(h, b, len);
    free(b);
}

static void print_font(qpdf_data q, qpdf_oh font, font_print *fp)
{
    pb_archive_hash h;
    pb_archive_hash_init(&h);
    qpdf_oh base = qp.qpdf_oh_get_key(q, font, "/BaseFont");
    snprintf(fp->name, sizeof fp->name, "%s",
             qp.qpdf_oh_is_name(q, base) ? qp.qpdf_oh_get_name(q, base) + 1 : "?");
    hash_text(&h, fp->name);
    hash_stream(q, &h, qp.qpdf_oh_get_key(q, font, "/ToUnicode"));
    qpdf_oh desc = qp.qpdf_oh_get_key(q, font, "/DescendantFonts");
    qpdf_oh cid = qp.qpdf_oh_is_array(q, desc) ? qp.qpdf_oh_get_array_item(q, desc, 0) : font;
    hash_text(&h, qp.qpdf_oh_unparse_resolved(q, qp.qpdf_oh_get_key(q, cid, "/W")));
    hash_text(&h, qp.qpdf_oh_unparse_resolved(q, qp.qpdf_oh_get_key(q, cid, "/Widths")));
    hash_stream(q, &h, qp.qpdf_oh_get_key(q, cid, "/CIDToGIDMap"));
    qpdf_oh fd = qp.qpdf_oh_get_key(q, cid, "/FontDescriptor");
    static const char *const programs[] = {"/FontFile", "/FontFile2", "/FontFile3"};
    for (size_t i = 0; i < sizeof programs / sizeof programs[0]; i++)
        hash_stream(q, &h, qp.qpdf_oh_get_key(q, fd, programs[i]));
    pb_archive_hash_final(&h, fp->digest);
}

static void collect_fonts(qpdf_data q, font_prints *out)
{
    int pages = qp.qpdf_get_num_pages(q);
    for (int p = 0; p < pages; p++) {
        qpdf_oh page = qp.qpdf_get_page_n(q, (size_t)p);
        qpdf_oh fonts = qp.qpdf_oh_get_key(q, qp.qpdf_oh_get_key(q, page, "/Resources"), "/Font");
        if (!qp.qpdf_oh_is_dictionary(q, fonts))
            continue;
        /* keys come in sorted order (qpdf keeps dictionaries in a std::map) */
        qp.qpdf_oh_begin_dict_key_iter(q, fonts);
        while (qp.qpdf_oh_dict_more_keys(q)) {
            const char *key = qp.qpdf_oh_dict_next_key(q);
            qpdf_oh font = qp.qpdf_oh_get_key(q, fonts, key);
            int id = qp.qpdf_oh_get_object_id(q, font);
            int seen = 0;
            for (size_t i = 0; i < out->n && id; i++)
                seen |= out->v[i].objid == id;
            if (seen)
                continue;
            if (out->n == out->cap) {
                size_t cap = out->cap ? 2 * out->cap : 8;
                font_print *v = realloc(out->v, cap * sizeof *v);
                if (!v) {
                    out->oom = 1;
                    return;
                }
                out->v = v;
                out->cap = cap;
            }
            out->v[out->n].objid = id;
            print_font(q, font, &out->v[out->n]);
            out->n++;
        }
    }
}

/* Says what differs between the file and its rebuild; returns the number of lines printed. */
static int explain(const char *path, const uint8_t *a, size_t an, const uint8_t *b, size_t bn,
                   FILE *out)
{
    int lines = 0;
    qpdf_data qa = qp.qpdf_init(), qb = qp.qpdf_init();
    font_prints fa = {0}, fb = {0};
    if (!qa || !qb)
        goto bytes;
    silence(qa);
    silence(qb);
    if (qp.qpdf_read_memory(qa, path, (const char *)a, an, NULL) & QPDF_ERRORS ||
        qp.qpdf_read_memory(qb, REBUILT_NAME, (const char *)b, bn, NULL) & QPDF_ERRORS)
        goto bytes;
    int pa = qp.qpdf_get_num_pages(qa), pb = qp.qpdf_get_num_pages(qb);
    if (pa != pb) {
        fprintf(out, "verify: page count differs (%d in the file, %d rebuilt)\n", pa, pb);
        lines++;
    }
    for (int p = 0; p < pa && p < pb; p++) {
        unsigned char *ca = NULL, *cb = NULL;
        size_t la = 0, lb = 0;
        int ra = qp.qpdf_oh_get_page_content_data(qa, qp.qpdf_get_page_n(qa, (size_t)p), &ca, &la);
        int rb = qp.qpdf_oh_get_page_content_data(qb, qp.qpdf_get_page_n(qb, (size_t)p), &cb, &lb);
        if (ra != rb || la != lb || (la && memcmp(ca, cb, la) != 0)) {
            fprintf(out, "verify: page %d differs\n", p + 1);
            lines++;
        }
        free(ca);
        free(cb);
    }
    collect_fonts(qa, &fa);
    collect_fonts(qb, &fb);
    if (!fa.oom && !fb.oom) {
        for (size_t i = 0; i < fa.n || i < fb.n; i++) {
            if (i < fa.n && i < fb.n &&
                memcmp(fa.v[i].digest, fb.v[i].digest, PB_ARCHIVE_SHA256_SIZE) == 0)
                continue;
            fprintf(out, "verify: fonts differ (%s)\n",
                    i < fa.n ? fa.v[i].name : fb.v[i].name);
            lines++;
            break;
        }
    }
bytes:
    if (!lines) {
        size_t i = 0;
        while (i < an && i < bn && a[i] == b[i])
            i++;
        fprintf(out, "verify: first difference at byte %zu (file %zu bytes, rebuilt %zu)\n", i,
                an, bn);
        lines++;
    }
    free(fa.v);
    free(fb.v);
    if (qa)
        qp.qpdf_cleanup(&qa);
    if (qb)
        qp.qpdf_cleanup(&qb);
    return lines;
}

/* ---- the temporary folder ------------------------------------------------------------ */

typedef struct {
    char dir[PATH_BYTES];
    char corpus[PATH_BYTES], layout[PATH_BYTES], out[PATH_BYTES];
    int made;
} workdir;

/* out = a + b (+ c); 0 if it does not fit in PATH_BYTES. */
static int path_join(char out[PATH_BYTES], const char *a, const char *b, const char *c)
{
    int n = snprintf(out, PATH_BYTES, "%s%s%s", a, b, c ? c : "");
    return n > 0 && n < PATH_BYTES;
}

static pb_status write_file(const char *path, const uint8_t *b, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || (n && fwrite(b, 1, n, f) != n) || fclose(f) != 0) {
        pb_diag_syserr("cannot write %s: %s", path, strerror(errno));
        return PB_ESYSTEM;
    }
    return PB_OK;
}

/* Removes everything verify may have left in the folder: the two sources, the rebuilt PDF
 * and pdf.c's temporary beside it (any other entry would make rmdir fail, and say so). */
static void remove_workdir(workdir *w)
{
    if (!w->made)
        return;
    unlink(w->corpus);
    unlink(w->layout);
    unlink(w->out);
    char sub[PATH_BYTES];
    /* pdf.c renames its temporary into place or unlinks it; nothing else is written */
    if (path_join(sub, w->dir, "/out", NULL))
        rmdir(sub);
    if (path_join(sub, w->dir, "/src", NULL))
        rmdir(sub);
    if (rmdir(w->dir) != 0)
        pb_diag_syserr("cannot remove %s: %s", w->dir, strerror(errno));
    w->made = 0;
}

static pb_status make_workdir(workdir *w, const char *corpus, const char *layout)
{
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp)
        tmp = "/tmp";
    errno = 0;
    if (!path_join(w->dir, tmp, "/" VERIFY_DIR_TEMPLATE, NULL) || !mkdtemp(w->dir)) {
        pb_diag_syserr("cannot make a temporary folder in %s: %s", tmp,
                       strerror(errno ? errno : ENAMETOOLONG));
        return PB_ESYSTEM;
    }
    w->made = 1;
    static const char *const subs[] = {"/src", "/out"};
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
        char sub[PATH_BYTES];
        if (!path_join(sub, w->dir, subs[i], NULL) || mkdir(sub, S_IRWXU) != 0) {
            pb_diag_syserr("cannot make %s%s: %s", w->dir, subs[i], strerror(errno));
            return PB_ESYSTEM;
        }
    }
    if (!path_join(w->corpus, w->dir, "/src/", corpus) ||
        !path_join(w->layout, w->dir, "/src/", layout) ||
        !path_join(w->out, w->dir, "/out/" REBUILT_NAME, NULL)) {
        pb_diag_syserr("temporary path in %s too long", w->dir);
        return PB_ESYSTEM;
    }
    return PB_OK;
}

/* ---- reading the archive ------------------------------------------------------------- */

typedef struct {
    char *corpus_name, *layout_name;          /* from the XMP */
    char *corpus_sha, *layout_sha;            /* hex, from the XMP */
    long long epoch;
    embedded_list files;
} archive_info;

static void free_info(archive_info *a)
{
    free(a->corpus_name);
    free(a->layout_name);
    free(a->corpus_sha);
    free(a->layout_sha);
    free_list(&a->files);
}

/* The XMP properties, the date and the embedded files of the PDF in bytes. */
static pb_status read_archive(const char *path, const uint8_t *bytes, size_t len,
                              archive_info *a)
{
    pb_status st = PB_EINPUT;
    qpdf_data q = qp.qpdf_init();
    if (!q) {
        pb_diag_syserr("out of memory reading %s", path);
        return PB_ESYSTEM;
    }
    silence(q);
    if (qp.qpdf_read_memory(q, path, (const char *)bytes, len, NULL) & QPDF_ERRORS) {
        qpdf_error e = qp.qpdf_get_error(q);
        pb_diag_error(path, 0, 0, "not a readable PDF: %s",
                      e ? qp.qpdf_get_error_full_text(q, e) : "unknown error");
        goto out;
    }
    qpdf_oh root = qp.qpdf_get_root(q);
    size_t xl = 0;
    char *xmp = (char *)stream_data(q, qp.qpdf_oh_get_key(q, root, "/Metadata"), &xl);
    if (xmp) {
        a->corpus_name = pb_archive_xmp_get(xmp, xl, PB_ARCHIVE_NS_PREFIX ":corpusFile");
        a->layout_name = pb_archive_xmp_get(xmp, xl, PB_ARCHIVE_NS_PREFIX ":layoutFile");
        a->corpus_sha = pb_archive_xmp_get(xmp, xl, PB_ARCHIVE_NS_PREFIX ":corpusSHA256");
        a->layout_sha = pb_archive_xmp_get(xmp, xl, PB_ARCHIVE_NS_PREFIX ":layoutSHA256");
        free(xmp);
    }
    qpdf_oh tree = qp.qpdf_oh_get_key(q, qp.qpdf_oh_get_key(q, root, "/Names"), "/EmbeddedFiles");
    walk_names(q, tree, 0, &a->files);
    if (a->files.oom) {
        pb_diag_syserr("out of memory reading %s", path);
        st = PB_ESYSTEM;
        goto out;
    }
    if (!a->corpus_name || !a->layout_name || !a->corpus_sha || !a->layout_sha ||
        a->files.n == 0) {
        pb_diag_error(path, 0, 0,
                      "no embedded source: not an archival PDF made by paiban with "
                      "[pdf] profile = pdfa-3u (it needs the corpus and the layout embedded "
                      "and named in the XMP under %s)",
                      PB_ARCHIVE_NS);
        goto out;
    }
    qpdf_oh info = qp.qpdf_oh_get_key(q, qp.qpdf_get_trailer(q), "/Info");
    qpdf_oh date = qp.qpdf_oh_get_key(q, info, "/CreationDate");
    if (!qp.qpdf_oh_is_string(q, date) ||
        pb_archive_parse_pdf_date(qp.qpdf_oh_get_utf8_value(q, date), &a->epoch) != PB_OK) {
        pb_diag_error(path, 0, 0, "no readable /CreationDate in the Info dictionary, so the "
                                  "SOURCE_DATE_EPOCH it was made with is unknown");
        goto out;
    }
    st = PB_OK;
out:
    qp.qpdf_cleanup(&q);
    return st;
}

/* The embedded file the XMP names, checked against its recorded SHA-256. */
static const embedded *source(const char *path, const archive_info *a, const char *role,
                              const char *name, const char *sha)
{
    const embedded *e = find_file(&a->files, name);
    if (!e) {
        pb_diag_error(path, 0, 0, "the XMP names the %s '%s', but no embedded file has that name",
                      role, name);
        return NULL;
    }
    if (!plain_name(name)) {
        pb_diag_error(path, 0, 0, "the embedded %s's name '%s' is not a plain file name", role,
                      name);
        return NULL;
    }
    uint8_t d[PB_ARCHIVE_SHA256_SIZE];
    char hex[SHA256_HEX];
    pb_archive_sha256(e->bytes, e->len, d);
    pb_archive_hex(d, sizeof d, hex);
    if (strcmp(hex, sha) != 0) {
        pb_diag_error(path, 0, 0, "the embedded %s '%s' does not match the SHA-256 recorded in "
                                  "the XMP", role, name);
        return NULL;
    }
    return e;
}

pb_status pb_verify_file(const char *pdf_path, pb_verify_build_fn build, void *ctx, FILE *out)
{
    uint8_t *orig = NULL, *again = NULL;
    size_t orig_len = 0, again_len = 0;
    archive_info a = {0};
    workdir w = {0};
    pb_status st = load_qpdf();
    if (st != PB_OK)
        return st;
    st = pb_archive_read_file(pdf_path, "", PDF_BYTES_MAX, &orig, &orig_len);
    if (st != PB_OK)
        return st;
    if (orig_len > PDF_BYTES_MAX) {
        pb_diag_error(pdf_path, 0, 0, "larger than %zu bytes; not a paiban archive",
                      (size_t)PDF_BYTES_MAX);
        free(orig);
        return PB_EINPUT;
    }
    if ((st = read_archive(pdf_path, orig, orig_len, &a)) != PB_OK)
        goto done;
    const embedded *corpus = source(pdf_path, &a, "corpus", a.corpus_name, a.corpus_sha);
    const embedded *layout = source(pdf_path, &a, "layout", a.layout_name, a.layout_sha);
    if (!corpus || !layout || strcmp(a.corpus_name, a.layout_name) == 0) {
        st = PB_EINPUT;
        goto done;
    }

    /* Hold off INT, TERM and HUP while the temporary folder exists: one that comes meanwhile
     * is delivered after the folder is gone. */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigprocmask(SIG_BLOCK, &block, &old);
    if ((st = make_workdir(&w, a.corpus_name, a.layout_name)) == PB_OK &&
        (st = write_file(w.corpus, corpus->bytes, corpus->len)) == PB_OK &&
        (st = write_file(w.layout, layout->bytes, layout->len)) == PB_OK) {
        pb_diag_note("verify: rebuilding %s with %s, SOURCE_DATE_EPOCH=%lld", a.corpus_name,
                     a.layout_name, a.epoch);
        st = build(ctx, w.corpus, w.layout, w.out, a.epoch);
        if (st == PB_OK)
            st = pb_archive_read_file(w.out, "the rebuilt PDF", PDF_BYTES_MAX, &again,
                                      &again_len);
    }
    remove_workdir(&w);
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (st != PB_OK) {
        if (st == PB_EINPUT)
            pb_diag_error(pdf_path, 0, 0, "its embedded sources do not typeset");
        goto done;
    }

    if (again_len == orig_len && memcmp(orig, again, orig_len) == 0) {
        uint8_t d[PB_ARCHIVE_SHA256_SIZE];
        char hex[SHA256_HEX];
        pb_archive_sha256(orig, orig_len, d);
        pb_archive_hex(d, sizeof d, hex);
        fprintf(out, "verify: %s: identical (SHA-256 %s)\n", pdf_path, hex);
        st = PB_OK;
    } else {
        fprintf(out, "verify: %s: differs from its rebuild\n", pdf_path);
        explain(pdf_path, orig, orig_len, again, again_len, out);
        st = PB_EINPUT;
    }
done:
    free_info(&a);
    free(orig);
    free(again);
    return st;
}
