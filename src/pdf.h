/* pdf: writes pages to a tagged PDF with libharu's object layer (Identity-H Type0 fonts, subset;
 * the structure of tags.h; the imposition untagged).
 * Takes pb_pages, the fonts whose glyphs they draw and document metadata; returns a status
 * after writing the PDF to an output (output.c: a temporary file, renamed with the run's),
 * and the file's glyph usage (pb_usage) for the report. */
#ifndef PB_PDF_H
#define PB_PDF_H

#include <stdint.h>

#include "fonts.h"
#include "impose.h"
#include "output.h"
#include "pagebuild.h"
#include "usage.h"

/* A source file embedded in a PDF/A-3 as an Associated File (ISO 32000-2 §14.13, ISO 19005-3
 * §6.8): an EmbeddedFile stream in a Filespec with /AFRelationship /Source. */
typedef struct {
    const char *role;       /* "corpus" or "layout": names its XMP properties (archive.h) */
    const char *name;       /* file name stored in the PDF: UTF-8, no directory part */
    const uint8_t *bytes;   /* borrowed */
    size_t len;             /* bytes */
    const char *mime;       /* MIME type, e.g. "text/plain" (/Subtype) */
    const char *desc;       /* /Desc, printable ASCII */
} pb_pdf_source;

typedef struct {
    const uint32_t *title;  /* code points (e.g. "zh title / en title"), borrowed */
    size_t title_len;
    const char *lang;       /* catalog /Lang, BCP 47 */
    long long epoch;        /* SOURCE_DATE_EPOCH for the dates; < 0: no dates (print), the
                             * epoch 0 (PDF/A, which needs dates and stays reproducible) */
    const char *producer;   /* e.g. "paiban 0.1.0"; also Info /Creator when creator is NULL */
    const char *creator;    /* Info /Creator = xmp:CreatorTool; NULL: producer */
    pb_profile profile;     /* PB_PROFILE_PDFA3A/3U add what PDF/A-3 asks (see pdf.c) */
    int deflate_level;      /* libdeflate level of the streams (1..12); 0: PB_DEFLATE_DEFAULT */
    const uint32_t *title_zh, *title_en; /* the title's two halves for dc:title (NULL: none) */
    size_t title_zh_len, title_en_len;
    const char *lang_en;    /* BCP 47 of the English text (dc:title, dc:language, /Lang) */
    /* PDF/A only: */
    const pb_pdf_source *sources; /* embedded in this order (corpus, layout), borrowed */
    size_t n_sources;
    int section;            /* > 0: the pages are this section's alone (a leaflet); the XMP
                             * says so (pb:section), for verify */
    const pb_imposition *imposition; /* non-NULL: write the pages 2-up on the press sheets
                                      * it plans (borrowed) instead of one page a page */
    pb_pages *spent;        /* NULL, or the pages written when the caller needs their glyphs
                             * no more (no imposition, no report follows): each page's glyphs
                             * and lines are freed once it is drawn, not at the file's end */
} pb_pdf_meta;

/* Every file but the imposition is tagged and claims PDF/UA-1 (XMP with dc:title and pdfuaid).
 * With meta->profile PB_PROFILE_PDFA3A (3U) the file is PDF/A-3a (3u): an sRGB OutputIntent,
 * the sources as Associated Files, a trailer /ID hashed from the content, and no .notdef or
 * glyph without Unicode (PB_EINPUT). Same input, same bytes. The fonts are only
 * read. usage (may be NULL) receives the glyphs the file draws and their text, which the
 * caller frees (pb_usage_free); NULL when the file was not written. */
/* "libharu 2.3.0, libdeflate 1.14": the PDF writer's libraries (libharu as it reports itself
 * at run time; libdeflate as built with) into buf. */
void pb_pdf_versions(char *buf, size_t cap);

pb_status pb_pdf_write(const pb_pages *pages, const pb_fontset *fonts, const pb_pdf_meta *meta,
                       pb_output *out, pb_usage **usage);

/* The same a page at a time, so that a page's glyphs may go once it is drawn: pb_pdf_begin for
 * a file of n_pages pages and n_marks bookmarks (the object count is checked here; the output
 * is opened); pb_pdf_record for every page that draws glyphs, in order, its glyphs as drawn
 * (their positions aside: a glyph's text is decided over the whole file); pb_pdf_page for each
 * page in order
 * (the glyphs of meta->spent's pages freed once drawn); pb_pdf_end with the finished pages
 * (bookmarks, labels; an imposition draws them all here) writes the file and frees w, as
 * pb_pdf_abort does after a failure. Each says what failed. */
typedef struct pb_pdf pb_pdf;
pb_status pb_pdf_begin(const pb_fontset *fonts, const pb_pdf_meta *meta, pb_output *out,
                       size_t n_pages, size_t n_marks, pb_pdf **w);
pb_status pb_pdf_record(pb_pdf *w, const pb_page *page);
pb_status pb_pdf_page(pb_pdf *w, pb_pages *pages, size_t i);
pb_status pb_pdf_end(pb_pdf *w, const pb_pages *pages, pb_usage **usage);
void pb_pdf_abort(pb_pdf *w);

#endif
