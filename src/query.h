/* query: editor's queries on the text, for the preflight report (not changes: the corpus is set
 * as written). Takes the document and its Chinese language tag; returns each Simplified form in
 * a Traditional text (or Traditional form in a Simplified one) with its source position. */
#ifndef PB_QUERY_H
#define PB_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "corpus.h"
#include "diag.h"

typedef struct {
    int line, col;          /* source position of the character (1-based) */
    uint32_t found;         /* the character in the text */
    uint32_t suggested;     /* its form in the document's variant */
} pb_query;

typedef struct {
    pb_query *v;            /* owned, in text order */
    size_t n, cap;
    int checked;            /* 1: the variant was known and the text checked */
    char variant[8];        /* "Hant" or "Hans": what the text should be written in */
} pb_queries;

/* Check the Chinese blocks of doc against the variant lang_zh names (zh-Hant, zh-TW, zh-HK,
 * zh-MO: Traditional; zh-Hans, zh-CN, zh-SG: Simplified; else nothing is checked) with ICU's
 * Hans-Hant / Hant-Hans transforms, in context: a Han character the transform changes is a
 * query (many characters are both, e.g. 于 in a name, so these are questions for an editor,
 * not errors). Punctuation the transforms change (“” to 「」) is house style: not queried.
 * Opening a transform takes ICU tens of milliseconds, so a run does this in the background. */
pb_status pb_query_find(const pb_doc *doc, const char *lang_zh, pb_queries *out);
void pb_query_free(pb_queries *q);

#endif
