/* linebreak: greedy first-fit breaking over the node list (the Knuth-Plass breaker of the
 * composition issue replaces it through the same interface). */
#include "linebreak.h"

#include <stdlib.h>
#include <string.h>

/* Slack allowed before a line counts as too wide: rounding in the PDF is 0.001 pt. */
#define FIT_EPSILON 1e-6

void pb_linebreak_free(pb_lines *lines)
{
    free(lines->v);
    memset(lines, 0, sizeof *lines);
}

static int is_legal_break(const pb_nodes *nl, size_t i, size_t start)
{
    const pb_node *nd = &nl->v[i];
    if (nd->kind == PB_NODE_GLUE)
        return i > start && nl->v[i - 1].kind == PB_NODE_BOX;
    if (nd->kind == PB_NODE_PENALTY)
        return nd->penalty < PB_PENALTY_INF;
    return 0;
}

static pb_status add_line(pb_lines *out, const pb_nodes *nl, size_t n0, size_t n1, double measure)
{
    if (out->n == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 16;
        pb_line *v = realloc(out->v, cap * sizeof *v);
        if (!v)
            return PB_ESYSTEM;
        out->v = v;
        out->cap = cap;
    }
    double nat = 0, stretch = 0, shrink = 0;
    int fill = 0;
    for (size_t i = n0; i < n1; i++) {
        const pb_node *nd = &nl->v[i];
        if (nd->kind == PB_NODE_PENALTY)
            continue;
        nat += nd->width;
        if (nd->kind == PB_NODE_GLUE) {
            stretch += nd->stretch;
            shrink += nd->shrink;
            fill |= nd->glue_class == PB_GLUE_FILL;
        }
    }
    if (n1 < nl->n && nl->v[n1].kind == PB_NODE_PENALTY)
        nat += nl->v[n1].width;
    double ratio = 0;
    if (nat < measure && stretch > 0)
        ratio = (measure - nat) / stretch;
    else if (nat > measure && shrink > 0)
        ratio = (measure - nat) / shrink;
    if (ratio < -1)
        ratio = -1; /* glue never shrinks past its shrink; the line is overfull */
    pb_line *ln = &out->v[out->n++];
    ln->n0 = n0;
    ln->n1 = n1;
    ln->natural = nat;
    ln->ratio = ratio;
    ln->last = fill;
    return PB_OK;
}

pb_status pb_linebreak_greedy(const pb_nodes *nl, double measure, pb_lines *out)
{
    out->n = 0;
    size_t start = 0;
    while (start < nl->n) {
        while (start < nl->n && nl->v[start].kind != PB_NODE_BOX)
            start++;
        if (start >= nl->n)
            break;
        double nat = 0, shrink = 0;
        size_t best = (size_t)-1, first_legal = (size_t)-1;
        for (size_t i = start; i < nl->n; i++) {
            const pb_node *nd = &nl->v[i];
            if (is_legal_break(nl, i, start)) {
                double w = nat + (nd->kind == PB_NODE_PENALTY ? nd->width : 0);
                if (first_legal == (size_t)-1)
                    first_legal = i;
                if (w - shrink <= measure + FIT_EPSILON) {
                    best = i;
                    if (nd->kind == PB_NODE_PENALTY && nd->penalty <= -PB_PENALTY_INF)
                        break;
                } else {
                    break;
                }
            }
            if (nd->kind != PB_NODE_PENALTY) {
                nat += nd->width;
                if (nd->kind == PB_NODE_GLUE)
                    shrink += nd->shrink;
            }
        }
        if (best == (size_t)-1)
            best = first_legal != (size_t)-1 ? first_legal : nl->n;
        pb_status st = add_line(out, nl, start, best, measure);
        if (st != PB_OK)
            return st;
        start = best + 1;
    }
    return PB_OK;
}
