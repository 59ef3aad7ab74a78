/* query: editor's queries on the text, for the preflight report (not changes: the corpus is set
 * as written). Takes the document, its Chinese language tag and the words accepted as written;
 * returns the other variant's forms (OpenCC, phrase by phrase), forms the tag's region writes
 * otherwise, Latin words with l for I ("Al" beside "AI"), numbers in the text's rarer digit
 * form (２０２６ beside 2026), placeholders (a paragraph of marks only, TBD, 待定, ○○, a code
 * such as 688xxx.SH), English ranges typed with a hyphen (4-6 hours), pairs
 * whose two languages differ in length far past what translation gives, or one hint for a text
 * written in the other variant, each with its source position. */
#ifndef PB_QUERY_H
#define PB_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "corpus.h"
#include "diag.h"
#include "layout.h"

typedef enum {
    PB_QUERY_VARIANT = 0,   /* Han characters of the other variant (Simplified in Traditional) */
    PB_QUERY_L_FOR_I,       /* a Latin word with l where the text's own word has I */
    PB_QUERY_REGIONAL,      /* a Traditional form the tag's region writes otherwise (着: 著 in TW) */
    PB_QUERY_DIGITS,        /* a number in full-width digits where the text also writes ASCII
                             * digits, or the other way round: the fewer form is queried */
    PB_QUERY_PLACEHOLDER,   /* text left to be written: a word such as TBD, XXX, 待定, ○○ */
    PB_QUERY_MARKS_ONLY,    /* a paragraph of marks only (……, ---): a placeholder, or a
                             * separator not marked as one */
    PB_QUERY_LENGTH,        /* a pair whose English is far longer than a translation of its
                             * Chinese gives, or far shorter: a pair out of step, a translation
                             * missing or cut */
    PB_QUERY_FULLWIDTH,     /* full-width Latin letters in a code (ＸＪ－３０００Ａ, ＮＴ＄), or a
                             * full-width comma or colon between full-width digits (１，２００, set
                             * as a clause mark that splits the number): the ASCII forms */
    PB_QUERY_RANGE          /* an English range of figures typed with a hyphen (4-6 hours):
                             * an en dash suggested */
} pb_query_kind;

#define PB_QUERY_TEXT_MAX 32 /* longest word queried (code points) */

typedef struct {
    pb_query_kind kind;
    int line, col;          /* source position of its first character (1-based) */
    uint32_t found[PB_QUERY_TEXT_MAX];     /* the text as written */
    size_t found_len;
    uint32_t suggested[PB_QUERY_TEXT_MAX]; /* what the editor may want instead */
    size_t suggested_len;
    size_t han, letters;    /* length: the Chinese block's Han characters; the English block's
                             * letters less the Chinese block's (names written in both) */
    int other_line;         /* length: the English block's line */
} pb_query;

typedef struct {
    pb_query *v;            /* owned, in text order */
    size_t n, cap;
    int checked;            /* 1: the variant was known and the Han text checked */
    const char *unchecked_why; /* not checked although the variant was known: why (OpenCC or
                             * its data missing; static), else NULL */
    char variant[8];        /* "Hant" or "Hans": what the text should be written in */
    char region[4];         /* "TW", "HK" or "": whose forms (Traditional only) */
    char config[16];        /* the OpenCC conversion the suggestions come from, e.g. "s2tw" */
    int looks_other;        /* 1: the text looks written in the other variant; its Han queries
                             * are left out for one hint (set lang-zh) */
    size_t han;             /* Han characters checked */
    size_t other;           /* of them, the other variant's forms only (pb_query_variant) */
    size_t accepted;        /* queries left out because an accept list has their word */
    size_t unlisted;        /* Han queries past the most a report lists (counted only) */
} pb_queries;

/* Words accepted as written (house usage), read from a file: UTF-8, one word or phrase a line,
 * `#` starts a comment line, blank lines and spaces around a word are ignored. */
typedef struct pb_query_accept pb_query_accept;

/* Read the accept list at path; named_at is the layout key that named it (a file that cannot
 * be read is reported there). Bad UTF-8 is reported at its line and column. PB_EINPUT. */
pb_status pb_query_accept_load(const char *path, const pb_layout_origin *named_at,
                               pb_query_accept **out);
void pb_query_accept_free(pb_query_accept *a);

/* Check the Latin words of doc for l written for I (a word whose l's made capital I's is a word
 * the text has, all in capitals: "Al-enabled" where the text says "AI"), and its Chinese blocks
 * against the variant lang_zh names (zh-Hant, zh-TW, zh-HK, zh-MO: Traditional; zh-Hans, zh-CN,
 * zh-SG: Simplified; else nothing is checked) with OpenCC's conversions, which match the longest
 * phrase of their dictionaries first (沉 in 沉浸 stays; 于 in 致力于 is 於): a character the
 * conversion changes alike in the text and in the text turned into the other variant first is
 * a query (報名表 is not 名錶), adjacent ones one query; for a region (TW; HK, MO) also a
 * Traditional form its conversion changes (着 -> 著 in Taiwan). Words of accept (may be NULL) and
 * the region's own usage (厘米 in Hong Kong) are not queried. When the text's Han characters are
 * mostly the other variant's, its Han queries give way to one hint (looks_other). Punctuation
 * the conversions change (“” to 「」) is house style: not queried. OpenCC loads its
 * dictionaries in tens of milliseconds, so a run does this in the background. */
/* A text in the other variant, told on every run (no OpenCC: one table lookup per Han
 * character): the variant lang_zh names ("Hant", "Hans"; NULL: none, nothing counted), the Han
 * characters of doc's Chinese blocks, and those that are the other variant's forms only
 * (tools/variants.py; 云, a Traditional character too, is not one). */
typedef struct {
    const char *variant;    /* static */
    size_t han, other;
} pb_query_variant_count;

/* Count doc's Han characters for lang_zh into out; 1 when the text looks written in the other
 * variant (a tenth or more of 20 or more). */
int pb_query_variant(const pb_doc *doc, const char *lang_zh, pb_query_variant_count *out);
/* "this text looks Simplified (209 of 505 Han characters are Simplified forms): set lang-zh =
 * zh-Hans"; thread-local. */
const char *pb_query_variant_hint(const pb_query_variant_count *c);

pb_status pb_query_find(const pb_doc *doc, const char *lang_zh, const pb_query_accept *accept,
                        pb_queries *out);
void pb_query_free(pb_queries *q);

#endif
