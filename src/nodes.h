/* nodes: turns shaped glyphs into the TeX vocabulary (boxes, glue, penalties).
 * Takes a block's text, its glyphs and the text size; returns pb_node[] whose glue and
 * penalties carry the clreq rules (prohibitions, Han-Latin spacing; W3C, 2024-03-21) and
 * ICU's break chances. */
#ifndef PB_NODES_H
#define PB_NODES_H

#include <stddef.h>
#include <stdint.h>

#include "shape.h"

typedef enum { PB_NODE_BOX = 0, PB_NODE_GLUE, PB_NODE_PENALTY } pb_node_kind;

/* Glue classes (compose.c gives each its turn when a line is justified). */
typedef enum {
    PB_GLUE_WORD = 0,       /* Western interword space (draws the space glyph) */
    PB_GLUE_HAN_LATIN,      /* 1/4 em between Han and Latin/digits; not a character */
    PB_GLUE_CJK,            /* inter-character space in Han text, stretch only */
    PB_GLUE_FILL,           /* end of paragraph */
    PB_GLUE_BLANK,          /* blank half of an opening bracket: shrinks to nothing, dropped at a
                             * line start */
    PB_GLUE_PUNCT,          /* blank part of a full-width mark (a closing mark's right half, a
                             * centred mark's quarters): shrinks to nothing, kept at a line end */
    PB_GLUE_CLASSES
} pb_glue_class;

#define PB_PENALTY_INF 10000 /* TeX: a penalty >= 10000 forbids the break */
/* pb_node.clause: how a break ends what a ragged block says (the higher the better a break) */
#define PB_CLAUSE_END 1   /* after a clause (，、 , and a dash; ； ; in a line with a sentence's
                           * end) */
#define PB_SENTENCE_END 2 /* after a sentence or a part of one (。！？ . ? ! and a colon the
                           * sentence goes on after) */
#define PB_FIELD_END 3    /* between fields: a field gap, " | " and ｜, " / " between labelled
                           * fields, ； ; in a line without a sentence's end */
/* The penalty of a tie that keeps a number's parts together (nodes.c KEEP_PENALTY: digit groups,
 * an amount and its currency, a date's parts, a dimension); a number and its Han unit (15.8|公分,
 * UNIT_TIE_PENALTY) part more readily, an ideograph being a break opportunity (JLREQ cl-19).
 * Every tie a line breaks is reported (compose.c next_piece), whatever its penalty. */
#define PB_TIE_PENALTY 300

typedef struct {
    pb_node_kind kind;
    uint8_t glue_class;     /* pb_glue_class, for glue */
    uint8_t flagged;        /* penalty: a hyphen break */
    uint8_t soft;           /* flagged penalty at a U+00AD SOFT HYPHEN: its hyphen stands for it */
    uint8_t capital;        /* flagged penalty: a capitalised word's hyphen, or a romanized
                             * name's own (Chih-|ming): the last resort, reported when taken */
    uint8_t last_resort;    /* penalty: legal only in the breaker's final pass (inside a URL's
                             * word: taken only where the line would else run over) */
    uint8_t tie;            /* penalty: a tie (a number kept with its groups, currency, name
                             * ...; a field of a ragged block): in ragged lines legal only in
                             * the breaker's final pass */
    uint8_t url;            /* penalty: inside a URL or e-mail address: in ragged lines legal
                             * only in the breaker's final pass */
    uint8_t host;           /* URL penalty: inside a host name or e-mail domain, after what
                             * reads as a whole address (www.deepblue|-ocean.cn, x@xj|-a.cn),
                             * reported when taken */
    uint8_t before_at;      /* URL penalty: before an e-mail address's @ (enquiries|@fehd.gov.hk,
                             * whose line end reads as prose): reported when taken */
    uint8_t attached;       /* CJK glue: before a closing mark or after an opening one: a
                             * letter-spaced line adds no space there (compose.c) */
    uint8_t clause;         /* glue or penalty: a break of a ragged block after a clause
                             * (PB_CLAUSE_END), a sentence's end (PB_SENTENCE_END) or between
                             * fields (PB_FIELD_END; compose.c): its line may fall short */
    uint8_t condense;       /* box: Latin letters in a Chinese line, whose shrink is the last
                             * a line takes, after every glue's (compose.c allow_condensing) */
    int penalty;            /* penalty value */
    float give;             /* glue: pt it may stretch past its stretch before the Han of its
                             * line is letter-spaced (Western spaces and Han-Latin gaps to clreq's
                             * 1/2 em; nodes.c GIVE_MAX_EM) */
    double width;           /* pt (box: natural width; glue: natural; penalty: width if taken) */
    double stretch, shrink; /* pt */
    size_t g0, g1;          /* glyph range [g0, g1) drawn by this node (box, word glue) */
    pb_font *hyphen_font;   /* flagged penalty: font of the hyphen drawn if taken (borrowed) */
    uint32_t hyphen_gid;    /* its glyph id */
    uint32_t han;           /* box: ideographs in it (the breaker avoids a lone one last) */
    uint32_t chars;         /* box: code points in it that are not line-start marks */
} pb_node;

typedef struct {
    pb_node *v;             /* owned */
    size_t n, cap;
} pb_nodes;

typedef struct pb_breaker pb_breaker;

/* ICU's line break iterator (strict, Chinese rules) and the hyphenation patterns at hyph_path
 * (hyphenate.c; NULL or unreadable: no hyphenation, with a warning), reused for every block. */
pb_status pb_nodes_new(const char *hyph_path, pb_breaker **out);
void pb_nodes_free(pb_breaker *br);

/* Build the node list of one paragraph. size is the text size in pt; indent (pt) becomes an
 * empty box at the start; the list ends with the paragraph-end fill. Full-width punctuation is
 * adjusted in glyphs first (clreq #h-adjustment_of_adjacent_punctuation_marks: adjacent marks take 1.5 em, an opening bracket's blank half
 * becomes glue that a line start drops), so glyphs is changed in place. marks (per code point,
 * PB_MARK_* of corpus.h; NULL: none) says where URLs are: never hyphenated, broken only at
 * Chicago's points (nodes.c url_break_at). U+2028 (PB_LINE_BREAK) forces a line break. zh: a
 * Chinese paragraph, whose Latin compounds are hyphenated inside their parts too (nodes.c
 * find_hyphens): the alternative there is Han letter-spaced. */
pb_status pb_nodes_build(pb_breaker *br, const uint32_t *text, size_t len, const uint8_t *marks,
                         pb_glyphs *glyphs, double size, double indent, int zh, pb_nodes *out);
void pb_nodes_free_list(pb_nodes *nodes);

/* Word bounds of text (ICU's word breaker; Chinese words from its dictionary): bound[i] = 1
 * where a word starts or ends before code point i (len + 1 entries). */
pb_status pb_nodes_word_bounds(pb_breaker *br, const uint32_t *text, size_t len, uint8_t *bound);

/* clreq classes (#table_of_punctuation_marks; exposed for tests and the trace) */
int pb_nodes_is_line_start_prohibited(uint32_t c);
int pb_nodes_is_line_end_prohibited(uint32_t c);

#endif
