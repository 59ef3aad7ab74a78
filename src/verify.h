/* verify: checks that an archival PDF (pdfa-3u) is what its embedded sources make.
 * Takes the PDF (a path or bytes) and a way to typeset; reads it with libqpdf as hostile input
 * (bounded walks and stream sizes), extracts the embedded corpus and layout into a private
 * temporary folder, rebuilds in a child process within a time budget and compares the bytes.
 * Returns PB_OK when identical, PB_EINPUT when not (saying what differs: a page, the fonts, or
 * the first differing byte), when the file carries no source or is refused, or when the
 * rebuild fails or overruns; PB_ESYSTEM when it cannot do the work. The temporary folder is
 * removed on every path, a signal (INT, TERM, HUP) included. */
#ifndef PB_VERIFY_H
#define PB_VERIFY_H

#include <stdint.h>

#include "diag.h"

/* The rebuild time budget when none is given: a base plus so much per MiB of corpus. A
 * release build sets a MiB of corpus in about 1 s (tests/README.md, Limits), the sanitizer and
 * valgrind builds up to 20 times slower; the budget leaves room for those and a loaded
 * machine, and still ends a rebuild that never finishes. */
#define PB_VERIFY_BUDGET_BASE_S 60.0
#define PB_VERIFY_BUDGET_PER_MIB_S 60.0
/* Largest XMP packet verify reads (bytes): paiban's is about 6 KB. */
#define PB_VERIFY_XMP_BYTES_MAX (1024 * 1024)

/* What a rebuild typesets. */
typedef struct {
    const char *corpus, *layout; /* the extracted sources (paths in the temporary folder) */
    const char *out;             /* the PDF to write (a plain path, no %d) */
    long long epoch;             /* every date of the PDF (seconds since 1970) */
    int section;                 /* > 0: only this section, as the leaflet the file is (its
                                  * XMP's pb:section); 0: the whole document */
} pb_verify_rebuild;

/* Typesets r->corpus with r->layout into r->out. */
typedef pb_status (*pb_verify_build_fn)(void *ctx, const pb_verify_rebuild *r);

typedef struct {
    pb_verify_build_fn build;
    void *ctx;
    double budget; /* seconds the rebuild may take; 0: PB_VERIFY_BUDGET_BASE_S + _PER_MIB_S
                    * per MiB of corpus */
    int in_process; /* 1: build runs in this process without a budget (a test's stub);
                     * 0: in a child process, stopped at the budget or a signal */
} pb_verify_opts;

/* Verdict lines on out ("verify: FILE: identical (SHA-256 HEX)", "verify: page 3 differs",
 * ...); errors through diag. */
pb_status pb_verify_file(const char *pdf_path, const pb_verify_opts *o, FILE *out);
/* The same for a PDF already in memory; name is used in messages. */
pb_status pb_verify_bytes(const char *name, const uint8_t *pdf, size_t len,
                          const pb_verify_opts *o, FILE *out);

#endif
