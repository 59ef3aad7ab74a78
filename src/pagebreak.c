/* pagebreak: the pages filled in order, with the rules looked ahead. Every penalty of the vertical
 * list is a place a page may end. Its cost is of two kinds (vlist.h): the rules that do not
 * yield (a cost dearer than a page left empty: a heading at a foot, a widow, a {keep} block
 * broken, a word across the turn) and what a page's own choice costs (its emptiness, a rule
 * that yields, the spread rule at a spread turn). First the least sum of the absolute costs from
 * each break to the end (dynamic programming, back to front); then each page, in order, takes
 * the break of least own cost among those that keep that least sum, the fullest of equals. A
 * page is set as it would be without what comes pages later: the room a rule forces at a page's
 * foot (a {keep} block or a heading with its first lines that does not fit) is left on the page
 * before it, not spread over the pages before that, as a total fit of the squares would (a later
 * block moved breaks a page or two earlier that nothing there asked to move). Asked for the
 * fewest pages (a saddle-stitched booklet whose last page costs a sheet: pagebuild.c), the
 * pages in order choose only among the breaks that keep both the least sum and the fewest pages
 * after it, so a rule that yields gives way where it would cost a page. The page that ends the
 * list may be given more room (last_extra: how many lines less would save a sheet; last_shrink:
 * a leaflet's spaces giving): the search for its end goes past the breaks a page of the normal
 * room cannot reach. O(breaks x breaks per page). */
#include "pagebreak.h"
#include "util.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "vlist.h"

/* Rounding slack when comparing heights (pt), and costs (demerits). */
#define EPS 1e-6
#define TIE 1e-3

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

/* The part of a break's cost no page's fill can outweigh: a rule that does not yield (dearer than
 * a page left empty, fill_cost), or a page overfull. */
static double absolute(const pb_vitem *brk, double page_cost)
{
    return brk && brk->cost > page_cost ? brk->cost : 0;
}

/* The breaks a page begun at box s may end at: at[j] for j from j0 while it fits (a page holds
 * what fits; its first box alone even when it does not). *h: its height (pt); returns 0 past
 * the last. */
typedef struct {
    const pb_vlist *l;
    const size_t *at;
    const double *sum;      /* height of items [0, i) */
    const double *give;     /* the shrink of the glue of items [0, i) (NULL: none asked) */
    size_t nb;
    double height;          /* pt */
    double last;            /* pt: the last page's extra room (pb_pagebreak_params.last_extra) */
} breaks_ctx;

static double room_to(const breaks_ctx *c, size_t s, size_t j)
{
    double room = c->height;
    if (j + 1 == c->nb) /* the page that ends the list */
        room += c->last + (c->give ? c->give[c->at[j]] - c->give[s] : 0);
    return room;
}

/* Whether a page begun at box s may end at at[j] (its height *h; *over: past its room), and
 * *skip: it may not, but the search goes on to the list's end, which the last page's extra
 * room (pb_pagebreak_params.last_extra, last_shrink) lets it reach. 0: no later break either. */
static int page_ends(const breaks_ctx *c, size_t s, size_t j, double *h, int *over, int *skip)
{
    *skip = 0;
    if (j >= c->nb)
        return 0;
    *h = c->sum[c->at[j]] - c->sum[s];
    int alone = pb_pagebreak_page_start(c->l, s + 1) >= c->at[j];
    *over = *h > room_to(c, s, j) + EPS;
    if (*over && !alone && j + 1 < c->nb &&
        c->sum[c->at[c->nb - 1]] - c->sum[s] <= room_to(c, s, c->nb - 1) + EPS)
        *skip = 1;
    return !*over || alone || *skip;
}

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
    double *least = malloc((nb + 1) * sizeof *least); /* least[k + 1]: the least absolute cost
                                                        * of the pages after a break at at[k] */
    size_t *start = malloc(nb * sizeof *start);      /* first box after at[k] */
    size_t *out = malloc(nb * sizeof *out);
    size_t *fewest = malloc((nb + 1) * sizeof *fewest); /* fewest[k + 1]: the fewest pages
                                                          * after at[k] at the least sum */
    double *give = p->last_shrink ? malloc((l->n + 1) * sizeof *give) : NULL;
    if (!at || !sum || !least || !start || !out || !fewest || (p->last_shrink && !give)) {
        free(at), free(sum), free(least), free(start), free(out), free(fewest), free(give);
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
    if (give) {
        give[0] = 0;
        for (size_t i = 0; i < l->n; i++)
            give[i + 1] = give[i] + (l->v[i].kind == PB_V_PENALTY ? 0 : l->v[i].shrink);
    }
    for (size_t k = 0; k < nb; k++)
        start[k] = pb_pagebreak_page_start(l, at[k] + 1 > l->n ? l->n : at[k] + 1);
    size_t list_start = pb_pagebreak_page_start(l, 0);
    const breaks_ctx c = {l, at, sum, give, nb, p->height, p->last_extra};
    /* back to front: least[k + 1] for a page begun after at[k] (k = -1: the list's start) */
    least[nb] = 0; /* after the end: nothing */
    fewest[nb] = 0;
    for (long k = (long)nb - 2; k >= -1; k--) {
        size_t s = k < 0 ? list_start : start[k];
        double h;
        int over, skip;
        least[k + 1] = INFINITY;
        fewest[k + 1] = SIZE_MAX;
        for (int pass = 0; pass < (p->fewest ? 2 : 1); pass++)
            for (size_t j = (size_t)(k + 1); page_ends(&c, s, j, &h, &over, &skip);
                 j = skip ? nb - 1 : j + 1) {
                if (s >= at[j] || skip)
                    continue; /* no box on such a page; past the room, on the way to the end */
                double a = (over ? PB_VCOST_FORBIDDEN : 0) +
                           absolute(at[j] < l->n ? &l->v[at[j]] : NULL, p->fill_cost);
                if (pass == 0)
                    least[k + 1] = fmin(least[k + 1], a + least[j + 1]);
                else if (a + least[j + 1] <= least[k + 1] * (1 + EPS) + EPS &&
                         fewest[j + 1] < fewest[k + 1] - 1)
                    fewest[k + 1] = fewest[j + 1] + 1; /* of the least sum, the fewest pages */
            }
    }
    size_t pages = 0;
    pb_status rc = PB_OK;
    if (!isfinite(least[0])) { /* nothing to break (no box at all): one empty page */
        out[pages++] = l->n;
        goto done;
    }
    /* front to back: each page the break of least own cost that keeps the least absolute sum */
    for (long k = -1; k < (long)nb - 1; pages++) {
        size_t s = k < 0 ? list_start : start[k];
        /* the page ending now is a verso or a recto (a spread turns after a recto) */
        int verso = (int)((pages + (size_t)p->first_verso) % 2);
        double h, best = INFINITY;
        int over, skip;
        long pick = -1;
        for (size_t j = (size_t)(k + 1); page_ends(&c, s, j, &h, &over, &skip);
             j = skip ? nb - 1 : j + 1) {
            if (s >= at[j] || skip)
                continue;
            const pb_vitem *brk = at[j] < l->n ? &l->v[at[j]] : NULL;
            double a = (over ? PB_VCOST_FORBIDDEN : 0) + absolute(brk, p->fill_cost);
            if (a + least[j + 1] > least[k + 1] * (1 + EPS) + EPS)
                continue; /* a rule that does not yield broken here or later, for nothing */
            if (p->fewest && fewest[j + 1] + 1 > fewest[k + 1])
                continue; /* a page more than the text needs */
            double own = brk ? brk->cost - absolute(brk, p->fill_cost) : 0;
            if (brk && !over && h < p->height) { /* the last page's emptiness costs nothing */
                double u = (p->height - h) / p->height;
                own += p->fill_cost * u * u;
            }
            if (brk && (brk->flags & PB_VF_PAIR) && !verso)
                own += p->spread_cost;
            if (own <= best + TIE) { /* of equals, the fullest */
                best = fmin(own, best);
                pick = (long)j;
            }
        }
        out[pages] = at[pick];
        k = pick;
    }
done:
    *breaks = realloc(out, pages * sizeof *out);
    if (!*breaks)
        *breaks = out; /* shrinking failed: the longer block is as good */
    *n_pages = pages;
    free(at), free(sum), free(least), free(start), free(fewest), free(give);
    return rc;
}
