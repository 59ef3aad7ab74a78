/* pdf: writes pages to a PDF with libharu's object layer (Identity-H Type0 fonts, subset).
 * Takes pb_pages, the fonts whose glyphs they draw and document metadata; returns a status
 * after writing a temporary file beside the output and renaming it into place. */
#ifndef PB_PDF_H
#define PB_PDF_H

#include <stdint.h>

#include "fonts.h"
#include "pagebuild.h"

typedef struct {
    const uint32_t *title;  /* code points (e.g. "zh title / en title"), borrowed */
    size_t title_len;
    const char *lang;       /* catalog /Lang, BCP 47 */
    long long epoch;        /* SOURCE_DATE_EPOCH for the dates; < 0: no dates */
    const char *producer;   /* e.g. "paiban 0.1.0" */
} pb_pdf_meta;

pb_status pb_pdf_write(const pb_pages *pages, pb_fontset *fonts, const pb_pdf_meta *meta,
                       const char *path);

#endif
