/* linebreak: chooses where a paragraph's lines end.
 * Takes a pb_nodes list and the measure (pt); returns pb_line[]: node ranges with the
 * adjustment ratio that makes each line flush (the last line keeps its natural width). */
#ifndef PB_LINEBREAK_H
#define PB_LINEBREAK_H

#include <stddef.h>

#include "nodes.h"

typedef struct {
    size_t n0, n1;          /* nodes [n0, n1) are on the line; n1 is the break node */
    double natural;         /* pt, natural width (with a taken penalty's width) */
    double ratio;           /* glue adjustment: > 0 stretch, < 0 shrink, in units of stretch/shrink */
    int last;               /* paragraph's last line */
    int overfull;           /* wider than the measure even with all its glue shrunk */
    double word_shrink;     /* factor on word glue shrink the breaker allowed (1, or more in
                             * its emergency pass) */
} pb_line;

typedef struct {
    pb_line *v;             /* owned */
    size_t n, cap;
} pb_lines;

/* Greedy first fit: each line takes as much as fits with its glue shrunk. Never past the
 * measure unless a single box is wider than it (then that box stands alone, overfull). */
pb_status pb_linebreak_greedy(const pb_nodes *nodes, double measure, pb_lines *out);
/* Knuth-Plass total fit (Knuth & Plass 1981; TeX §813-890) over the whole paragraph: least
 * total demerits, a second looser pass instead of overfull lines, and heavy demerits for a
 * last line holding a single ideograph (clreq #adjustments_of_orphans_and_widows); a paragraph
 * that hyphenated is set again without the patterns' hyphens, its word spaces tighter, and
 * that setting is taken where it is within the tolerance. ragged: lines are set flush left, not
 * justified (TeX's \raggedright: every line may fall short, and words are not hyphenated). */
pb_status pb_linebreak_total_fit(const pb_nodes *nodes, double measure, int ragged,
                                 pb_lines *out);
/* The same justified total fit with no break taken at nodes [from, to]: how the paragraph
 * would be set had a line run on past its end (the report's why, compose.c why_spaced). */
pb_status pb_linebreak_total_fit_avoiding(const pb_nodes *nodes, double measure, size_t from,
                                          size_t to, pb_lines *out);
/* The same for running text set ragged right: each line may fall short of the measure, by
 * rag (pt) at moderate badness, and is set flush left; lines are filled (the last one too is
 * judged as in justified text), word spaces are neither stretched nor shrunk, and a hyphen is
 * taken only where a line would otherwise fall short past the emergency tolerance (Bringhurst,
 * The Elements of Typographic Style, ch. 2.1: ragged right with a fixed word space, hyphens
 * sparingly). */
pb_status pb_linebreak_ragged_text(const pb_nodes *nodes, double measure, double rag,
                                   pb_lines *out);
/* Does the line hold just one ideograph, with only line-start marks besides (the last line
 * the breaker avoids)? */
int pb_linebreak_lone_ideograph(const pb_nodes *nodes, const pb_line *line);
void pb_linebreak_free(pb_lines *lines);

#endif
