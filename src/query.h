/* query: editor's queries on the text, for the preflight report (not changes: the corpus is set
 * as written). Takes the document and its Chinese language tag; returns each Simplified form in
 * a Traditional text (or the reverse) and each word with l where the text elsewhere has the
 * capital I ("Al" beside "AI"), with its source position. */
#ifndef PB_QUERY_H
#define PB_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "corpus.h"
#include "diag.h"

typedef enum {
    PB_QUERY_VARIANT = 0,   /* a Han character of the other variant */
    PB_QUERY_L_FOR_I        /* a Latin word with l where the text's own word has I */
} pb_query_kind;

#define PB_QUERY_TEXT_MAX 32 /* longest word queried (code points) */

typedef struct {
    pb_query_kind kind;
    int line, col;          /* source position of its first character (1-based) */
    uint32_t found[PB_QUERY_TEXT_MAX];     /* the text as written */
    size_t found_len;
    uint32_t suggested[PB_QUERY_TEXT_MAX]; /* what the editor may want instead */
    size_t suggested_len;
} pb_query;

typedef struct {
    pb_query *v;            /* owned, in text order */
    size_t n, cap;
    int checked;            /* 1: the variant was known and the Han text checked */
    char variant[8];        /* "Hant" or "Hans": what the text should be written in */
} pb_queries;

/* Check the Latin words of doc for l written for I (a word whose l's made capital I's is a word
 * the text has, all in capitals: "Al-enabled" where the text says "AI"), and its Chinese blocks
 * against the variant lang_zh names (zh-Hant, zh-TW, zh-HK,
 * zh-MO: Traditional; zh-Hans, zh-CN, zh-SG: Simplified; else nothing is checked) with ICU's
 * Hans-Hant / Hant-Hans transforms, in context: a Han character the transform changes is a
 * query (many characters are both, e.g. 于 in a name, so these are questions for an editor,
 * not errors). Punctuation the transforms change (“” to 「」) is house style: not queried.
 * Opening a transform takes ICU tens of milliseconds, so a run does this in the background. */
pb_status pb_query_find(const pb_doc *doc, const char *lang_zh, pb_queries *out);
void pb_query_free(pb_queries *q);

#endif
