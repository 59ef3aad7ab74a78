/* tags: the logical structure of a product (ISO 32000-1 §14.7, §14.8): sections, headings,
 * paragraphs, lists, links, emphasis and ruby, each block in its language.
 * Takes pb_pages (the set lines know their blocks); returns pb_tags: the structure elements in
 * reading order and, per page, the marked-content sequence (MCID) each glyph is drawn in. */
#ifndef PB_TAGS_H
#define PB_TAGS_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "pagebuild.h"

#define PB_TAG_NONE UINT32_MAX /* no element / no MCID (an artifact) / no kid */
/* The most kids one element takes: an array's length within the implementation limit of ISO
 * 32000-1 Annex C (Table C.1: 8191). An element with more goes on in a NonStruct, its last
 * kid (a grouping element with no meaning of its own, ISO 32000-1 §14.8.4.2). */
#define PB_TAG_MAX_KIDS 8191

/* Standard structure types (ISO 32000-1 §14.8.4) and the two inline types of PDF 2.0 that
 * PDF 1.7 role-maps to Span (Em, Strong). */
typedef enum {
    PB_TAG_DOCUMENT = 0,
    PB_TAG_SECT,
    PB_TAG_H1,
    PB_TAG_H2,
    PB_TAG_P,
    PB_TAG_L,
    PB_TAG_LI,
    PB_TAG_LBL,
    PB_TAG_LBODY,
    PB_TAG_LINK,
    PB_TAG_EM,
    PB_TAG_STRONG,
    PB_TAG_RUBY,
    PB_TAG_RB,
    PB_TAG_RT,
    PB_TAG_NONSTRUCT,
    PB_TAG_TYPES
} pb_tag_type;

enum { PB_TAG_KID_ELEM = 0, PB_TAG_KID_MC, PB_TAG_KID_ANNOT };

typedef struct {
    uint8_t kind;           /* PB_TAG_KID_* */
    uint32_t page;          /* MC, ANNOT: 0-based page */
    uint32_t id;            /* ELEM: element index; MC: MCID on the page; ANNOT: the
                             * annotation's /StructParent key */
    uint32_t next;          /* the element's next kid, PB_TAG_NONE after the last */
} pb_tag_kid;

typedef struct {
    const uint32_t *alt;    /* ActualText (borrowed): RT its annotation, Lbl its bullet */
    uint32_t alt_len;
    uint32_t parent;        /* element index; PB_TAG_NONE for the root (Document) */
    uint32_t kid0, kid1;    /* first and last kid (pb_tags.kids), PB_TAG_NONE: none */
    uint32_t page;          /* page of its first marked content (/Pg), PB_TAG_NONE: none */
    uint32_t n_kids;        /* at most PB_TAG_MAX_KIDS */
    uint32_t more;          /* the NonStruct its further kids go in, PB_TAG_NONE: none yet */
    uint8_t type;           /* pb_tag_type */
    int8_t lang;            /* pb_lang of its text, or -1: its parent's */
} pb_tag_elem;

typedef struct {
    uint32_t *mcid;         /* per glyph of the page: its MCID, PB_TAG_NONE for an artifact
                             * (NULL once the page is drawn: pb_tags_page_done) */
    uint32_t *owner;        /* per MCID: the element the sequence belongs to */
    uint32_t n_mcid;
} pb_tag_page;

typedef struct {
    pb_tag_elem *elems;     /* owned; elems[0] is the Document */
    size_t n_elems, cap_elems;
    pb_tag_kid *kids;       /* owned */
    size_t n_kids, cap_kids;
    pb_tag_page *pages;     /* owned, one per page */
    size_t n_pages;
    uint32_t n_annots;      /* annotations added (pb_tags_add_annot) */
    struct pb_tags_builder *b; /* what is open while pages are added (pb_tags_end frees it) */
} pb_tags;

/* The structure of pages: every glyph of a block's line is tagged (its block element or an
 * inline element in it), ruby in its RT, a list bullet in its Lbl; running heads, folios and
 * emphasis dots are artifacts (PB_TAG_NONE). PB_ESYSTEM (no message) when out of memory. */
pb_status pb_tags_build(const pb_pages *pages, pb_tags *out);
/* The same a page at a time, so that a page's glyphs may go once it is drawn: pb_tags_begin for
 * n_pages pages, pb_tags_page for each page in order, pb_tags_end when all are added (the
 * elements stay; pb_tags_free frees all, also after a failure). PB_ESYSTEM when out of memory
 * (no message). */
pb_status pb_tags_begin(size_t n_pages, pb_tags *out);
pb_status pb_tags_page(pb_tags *t, size_t p, const pb_page *pg);
void pb_tags_end(pb_tags *t);
/* Page p is drawn (its annotations added): its glyphs' MCIDs are freed; the MCIDs' owners stay
 * for the ParentTree. */
void pb_tags_page_done(pb_tags *t, size_t p);
/* An annotation drawn for glyph g of page (a link's text) joins the Link element g's text is
 * in, as an object reference; *key receives its /StructParent key (pages first, then the
 * annotations in the order added), *elem the Link element. PB_ESYSTEM when g is in no Link or
 * out of memory (no message). */
pb_status pb_tags_add_annot(pb_tags *t, size_t page, size_t g, uint32_t *key, uint32_t *elem);
void pb_tags_free(pb_tags *t);
/* The structure type's name (S): "P", "H1", "Em", ... */
const char *pb_tags_name(pb_tag_type type);
/* The standard type a non-standard one is role-mapped to (RoleMap), NULL for a standard one. */
const char *pb_tags_role(pb_tag_type type);

#endif
