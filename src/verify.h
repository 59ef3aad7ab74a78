/* verify: checks that an archival PDF (pdfa-3u) is what its embedded sources make.
 * Takes the PDF's path and a way to typeset; reads the PDF with libqpdf, extracts the embedded
 * corpus and layout into a private temporary folder, rebuilds with the file's own date and
 * compares the bytes. Returns PB_OK when identical, PB_EINPUT when not (saying what differs:
 * a page, the fonts, or the first differing byte) or when the file carries no source,
 * PB_ESYSTEM when it cannot do the work. The temporary folder is always removed. */
#ifndef PB_VERIFY_H
#define PB_VERIFY_H

#include "diag.h"

/* Typesets corpus with layout into out, every date from epoch (seconds since 1970). */
typedef pb_status (*pb_verify_build_fn)(void *ctx, const char *corpus, const char *layout,
                                        const char *out, long long epoch);

/* Verdict lines on out ("verify: FILE: identical (SHA-256 HEX)", "verify: page 3 differs",
 * ...); errors through diag. */
pb_status pb_verify_file(const char *pdf_path, pb_verify_build_fn build, void *ctx, FILE *out);

#endif
