/* report: the preflight report an editor reads after a run.
 * Takes the document, the normalisation list (punctuation, invisible characters), the fonts,
 * the built pages of a product and each file's glyph usage; returns (writes) a text or JSON
 * report, and a one-line summary for stderr. */
#ifndef PB_REPORT_H
#define PB_REPORT_H

#include <stdio.h>

#include "corpus.h"
#include "fonts.h"
#include "layout.h"
#include "normalize.h"
#include "output.h"
#include "pagebuild.h"
#include "query.h"
#include "usage.h"

typedef struct {
    const char *product;            /* e.g. "booklet" */
    const char *corpus;             /* corpus path */
    const pb_layout *layout;        /* its path is layout->path */
    const pb_doc *doc;
    const pb_changes *changes;
    const pb_fontset *fonts;
    const pb_pages *const *pages;   /* one per output file */
    const char *const *outputs;     /* their paths */
    const pb_usage *const *usage;   /* the glyphs each file draws (pdf.c) */
    size_t n_outputs;
    const pb_queries *queries;      /* editor's queries on the text (NULL: none made) */
} pb_report_input;

/* Write the report to out (text, or JSON when json is set). */
pb_status pb_report_write(const pb_report_input *in, int json, pb_output *out);
/* "this text looks Simplified (209 of 505 Han characters are Simplified forms): set lang-zh =
 * zh-Hans" when the queries found the text in the other variant, else NULL; thread-local. */
const char *pb_report_variant_hint(const pb_queries *q);
/* One line for stderr: pages, changes, annotations, problems. */
void pb_report_summary(const pb_report_input *in, FILE *f);

#endif
