/* pagebreak: total fit over pages. Every penalty of the vertical list is a place a page may
 * end; the cost of a page is its break's demerits, what its emptiness costs, and the spread
 * rule's cost when the break is inside a pair at a spread turn. Dynamic programming over the
 * breaks, with the parity of the page count in the state (rectos and versos alternate, and the
 * spread rule depends on it): O(breaks x breaks per page). */
#include "pagebreak.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vlist.h"

/* Rounding slack when comparing heights (pt). */
#define EPS 1e-6

pb_status pb_vlist_push(pb_vlist *l, const pb_vitem *item)
{
    if (PB_GROW(l->v, l->cap, l->n))
        return pb_diag_oom("building the pages");
    l->v[l->n++] = *item;
    return PB_OK;
}

pb_vitem *pb_vlist_last(pb_vlist *l) { return l->n ? &l->v[l->n - 1] : NULL; }

void pb_vlist_fini(pb_vlist *l)
{
    free(l->v);
    memset(l, 0, sizeof *l);
}

size_t pb_pagebreak_page_start(const pb_vlist *l, size_t i)
{
    while (i < l->n && l->v[i].kind != PB_V_BOX)
        i++;
    return i;
}

/* Best way to end a page at a break, for each parity of the page count so far. */
typedef struct {
    double cost[2];         /* demerits; INFINITY: unreachable */
    long from[2];           /* index in the breaks array of the previous break (-1: start) */
} state;

pb_status pb_pagebreak(const pb_vlist *l, const pb_pagebreak_params *p, size_t **breaks,
                       size_t *n_pages)
{
    *breaks = NULL;
    *n_pages = 0;
    /* the places a page may end: every penalty, and the end of the list */
    size_t nb = 1;
    for (size_t i = 0; i < l->n; i++)
        nb += l->v[i].kind == PB_V_PENALTY;
    size_t *at = malloc(nb * sizeof *at);
    double *sum = malloc((l->n + 1) * sizeof *sum); /* height of items [0, i) */
    state *st = malloc((nb + 1) * sizeof *st);       /* st[k + 1]: a page ends at at[k] */
    size_t *start = malloc(nb * sizeof *start);      /* first box after at[k] */
    if (!at || !sum || !st || !start) {
        free(at), free(sum), free(st), free(start);
        return pb_diag_oom("breaking pages");
    }
    nb = 0;
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].kind == PB_V_PENALTY)
            at[nb++] = i;
    at[nb++] = l->n;
    sum[0] = 0;
    for (size_t i = 0; i < l->n; i++) {
        const pb_vitem *it = &l->v[i];
        sum[i + 1] = sum[i] + (it->kind == PB_V_BOX ? it->height + it->depth
                               : it->kind == PB_V_GLUE ? it->height : 0);
    }
    for (size_t k = 0; k < nb; k++)
        start[k] = pb_pagebreak_page_start(l, at[k] + 1 > l->n ? l->n : at[k] + 1);
    /* st[0] is the start of the list: no page yet (parity 0) */
    for (size_t k = 0; k <= nb; k++)
        for (int q = 0; q < 2; q++)
            st[k].cost[q] = INFINITY, st[k].from[q] = -1;
    st[0].cost[0] = 0;
    size_t list_start = pb_pagebreak_page_start(l, 0);
    for (size_t j = 0; j < nb; j++) {
        const pb_vitem *brk = at[j] < l->n ? &l->v[at[j]] : NULL;
        int last = at[j] == l->n;
        /* pages ending at at[j], begun after an earlier break (or at the list's start) */
        for (long k = (long)j - 1; k >= -1; k--) {
            size_t s = k < 0 ? list_start : start[k];
            if (s >= at[j])
                continue; /* no box on such a page */
            double h = sum[at[j]] - sum[s];
            /* a page holds what fits; the first box alone even when it does not */
            size_t next_box = pb_pagebreak_page_start(l, s + 1);
            int alone = next_box >= at[j];
            if (h > p->height + EPS && !alone)
                break; /* earlier starts give taller pages */
            double fill = 0;
            if (!last && h < p->height) {
                double u = (p->height - h) / p->height;
                fill = p->fill_cost * u * u;
            }
            if (h > p->height + EPS)
                fill = PB_VCOST_FORBIDDEN; /* overfull: a box taller than the page */
            for (int q = 0; q < 2; q++) {
                double before = st[k + 1].cost[q];
                if (!isfinite(before))
                    continue;
                /* the page just ended is page number q (mod 2): recto unless it is a verso */
                int verso = (q + p->first_verso) % 2;
                double c = before + fill + (brk ? brk->cost : 0);
                if (brk && (brk->flags & PB_VF_PAIR) && !verso)
                    c += p->spread_cost;
                if (c < st[j + 1].cost[1 - q]) {
                    st[j + 1].cost[1 - q] = c;
                    st[j + 1].from[1 - q] = k;
                }
            }
        }
    }
    /* the end of the list, whichever parity is cheaper */
    int q = st[nb].cost[0] <= st[nb].cost[1] ? 0 : 1;
    pb_status rc = PB_OK;
    if (!isfinite(st[nb].cost[q])) {
        /* nothing to break (no box at all): one empty page */
        *breaks = malloc(sizeof **breaks);
        if (*breaks) {
            (*breaks)[0] = l->n;
            *n_pages = 1;
        } else {
            rc = pb_diag_oom("breaking pages");
        }
        goto out;
    }
    size_t pages = 0;
    for (long k = (long)nb - 1, qq = q; k >= 0; k = st[k + 1].from[qq], qq = 1 - qq)
        pages++;
    *breaks = malloc(pages * sizeof **breaks);
    if (!*breaks) {
        rc = pb_diag_oom("breaking pages");
        goto out;
    }
    *n_pages = pages;
    size_t w = pages;
    for (long k = (long)nb - 1, qq = q; k >= 0; k = st[k + 1].from[qq], qq = 1 - qq)
        (*breaks)[--w] = at[k];
out:
    free(at), free(sum), free(st), free(start);
    return rc;
}
