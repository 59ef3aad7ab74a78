/* Unit tests for src/linebreak.c: greedy first fit and Knuth-Plass total fit over node lists
 * built by hand (no fonts). Run from the repository root.
 *
 * Unless a test says otherwise, boxes are 10 pt wide and glue is 3 pt, stretch 2, shrink 1, so
 * a line of k boxes has natural width 13k - 3, stretch 2(k - 1) and shrink k - 1. Demerits in
 * the comments follow TeX (linebreak.c's constants): line penalty 10, badness 100|r|^3 capped at
 * 10000, demerits (10 + badness)^2 + penalty^2, adjacent fitness classes more than one apart
 * +10000, two hyphenated lines in a row +10000, a hyphenated line before the last +5000; the
 * first pass takes lines of badness <= 200 (\tolerance) only. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linebreak.h"
#include "nodes.h"

#define EPS 1e-9
/* \parfillskip stretch used by nodes.c; any large value gives a last line of ratio ~0. */
#define FILL 1e6

/* |got - want| <= eps, reporting the caller's line and both values on failure. */
#define assert_near(got, want, eps) near_at((got), (want), (eps), #got, __FILE__, __LINE__)
static void near_at(double got, double want, double eps, const char *what, const char *file,
                    int line)
{
    if (!(fabs(got - want) <= eps)) {
        print_error("%s = %.9g, want %.9g (+-%g)\n", what, got, want, eps);
        _fail(file, line);
    }
}

typedef pb_status (*breaker_fn)(const pb_nodes *, double, pb_lines *);

/* Justified total fit (ragged = 0), the mode every test but test_ragged uses. */
static pb_status total_fit(const pb_nodes *l, double measure, pb_lines *out)
{
    return pb_linebreak_total_fit(l, measure, 0, out);
}

/* ---- node list builder -------------------------------------------------------------------- */

static size_t add(pb_nodes *l, pb_node nd)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        pb_node *v = realloc(l->v, cap * sizeof *v);
        assert_non_null(v);
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n] = nd;
    return l->n++;
}

static size_t box_hc(pb_nodes *l, double w, uint32_t han, uint32_t chars)
{
    pb_node nd = {0};
    nd.kind = PB_NODE_BOX;
    nd.width = w;
    nd.han = han;
    nd.chars = chars;
    return add(l, nd);
}

static size_t box(pb_nodes *l, double w) { return box_hc(l, w, 0, 1); }

static size_t glue_c(pb_nodes *l, pb_glue_class cls, double w, double st, double sh)
{
    pb_node nd = {0};
    nd.kind = PB_NODE_GLUE;
    nd.glue_class = (uint8_t)cls;
    nd.width = w;
    nd.stretch = st;
    nd.shrink = sh;
    return add(l, nd);
}

/* The standard interword glue of these tests. */
static size_t glue(pb_nodes *l) { return glue_c(l, PB_GLUE_WORD, 3, 2, 1); }

static size_t penalty(pb_nodes *l, int value, int flagged, double w)
{
    pb_node nd = {0};
    nd.kind = PB_NODE_PENALTY;
    nd.penalty = value;
    nd.flagged = (uint8_t)flagged;
    nd.width = w;
    return add(l, nd);
}

/* A hyphenation point of the given cost whose hyphen (w pt) is drawn if taken, as nodes.c
 * makes them (a flagged penalty with a hyphen glyph). */
static size_t hyphen(pb_nodes *l, int value, double w)
{
    size_t i = penalty(l, value, 1, w);
    l->v[i].hyphen_gid = 1;
    return i;
}

/* \penalty10000 \hskip 0pt plus fill \penalty-10000; returns the index of the last node. */
static size_t par_end(pb_nodes *l)
{
    penalty(l, PB_PENALTY_INF, 0, 0);
    glue_c(l, PB_GLUE_FILL, 0, FILL, 0);
    return penalty(l, -PB_PENALTY_INF, 0, 0);
}

/* n boxes of 10 pt separated by the standard glue, then the paragraph end. */
static void uniform(pb_nodes *l, int n)
{
    for (int i = 0; i < n; i++) {
        if (i)
            glue(l);
        box(l, 10);
    }
    par_end(l);
}

static int is_legal(const pb_nodes *l, size_t i)
{
    const pb_node *nd = &l->v[i];
    if (nd->kind == PB_NODE_GLUE)
        return i > 0 && l->v[i - 1].kind == PB_NODE_BOX;
    return nd->kind == PB_NODE_PENALTY && nd->penalty < PB_PENALTY_INF;
}

/* Every line starts at a box and ends at a legal break; lines are in order; every box lies in
 * exactly one line; only discardable nodes lie between lines; the last line ends at the final
 * node and is the only one marked last. */
static void check_cover(const pb_nodes *l, const pb_lines *ls)
{
    assert_true(ls->n >= 1);
    int *seen = calloc(l->n, sizeof *seen);
    assert_non_null(seen);
    size_t prev_end = 0;
    for (size_t k = 0; k < ls->n; k++) {
        const pb_line *ln = &ls->v[k];
        assert_true(ln->n0 < ln->n1);
        assert_true(ln->n1 < l->n);
        assert_int_equal(l->v[ln->n0].kind, PB_NODE_BOX);
        assert_true(is_legal(l, ln->n1));
        if (k > 0)
            assert_true(ln->n0 > prev_end);
        for (size_t i = k ? prev_end : 0; i < ln->n0; i++)
            assert_int_not_equal(l->v[i].kind, PB_NODE_BOX); /* nothing left out */
        for (size_t i = ln->n0; i < ln->n1; i++)
            seen[i]++;
        assert_int_equal(ln->last, k + 1 == ls->n);
        prev_end = ln->n1;
    }
    assert_int_equal(ls->v[ls->n - 1].n1, l->n - 1);
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].kind == PB_NODE_BOX)
            assert_int_equal(seen[i], 1);
    free(seen);
}

/* Natural width, stretch and shrink of the line as the breaker defines them. */
static void line_sums(const pb_nodes *l, const pb_line *ln, double *nat, double *st, double *sh)
{
    *nat = *st = *sh = 0;
    for (size_t i = ln->n0; i < ln->n1; i++) {
        const pb_node *nd = &l->v[i];
        if (nd->kind == PB_NODE_PENALTY)
            continue;
        *nat += nd->width;
        if (nd->kind == PB_NODE_GLUE) {
            *st += nd->stretch;
            *sh += nd->shrink;
        }
    }
    if (l->v[ln->n1].kind == PB_NODE_PENALTY)
        *nat += l->v[ln->n1].width;
}

static size_t boxes_in(const pb_nodes *l, const pb_line *ln)
{
    size_t n = 0;
    for (size_t i = ln->n0; i < ln->n1; i++)
        n += l->v[i].kind == PB_NODE_BOX;
    return n;
}

static double max_abs_ratio_but_last(const pb_lines *ls)
{
    double m = 0;
    for (size_t k = 0; k + 1 < ls->n; k++)
        m = fmax(m, fabs(ls->v[k].ratio));
    return m;
}

/* Lists of the running test, freed by teardown() even when an assertion fails. */
static struct {
    pb_nodes l;
    pb_lines ls, ls2;
} g_fx;

static int teardown(void **state)
{
    (void)state;
    pb_nodes_free_list(&g_fx.l);
    pb_linebreak_free(&g_fx.ls);
    pb_linebreak_free(&g_fx.ls2);
    return 0;
}

/* ---- tests ------------------------------------------------------------------------------ */

/* 11 boxes, measure 60. Five boxes: 62 wide, shrink 4, r = -0.5 (badness 12.5, decent);
 * four boxes: 49 wide, stretch 6, r = 1.83 (badness 616); six boxes: 75 - 5 > 60, infeasible.
 * So 5 + 5 + 1 (demerits 506 + 506 + 100) beats everything with a four-box line (>= 391876).
 * Box i is node 2i and the glue after it 2i + 1: breaks at nodes 9 and 19, then the end (23). */
static void test_total_fit_known_optimum(void **state)
{
    (void)state;
    pb_nodes *l = &g_fx.l;
    uniform(l, 11);
    assert_int_equal(l->n, 24);
    pb_lines *ls = &g_fx.ls;
    assert_int_equal(total_fit(l, 60, ls), PB_OK);
    assert_int_equal(ls->n, 3);
    assert_int_equal(ls->v[0].n0, 0);
    assert_int_equal(ls->v[0].n1, 9);
    assert_int_equal(ls->v[1].n0, 10);
    assert_int_equal(ls->v[1].n1, 19);
    assert_int_equal(ls->v[2].n0, 20);
    assert_int_equal(ls->v[2].n1, 23);
    assert_near(ls->v[0].ratio, -0.5, EPS);
    assert_near(ls->v[1].ratio, -0.5, EPS);
    assert_near(ls->v[0].natural, 62, EPS);
    assert_near(ls->v[2].natural, 10, EPS);
    for (size_t k = 0; k < ls->n; k++) {
        assert_true(ls->v[k].ratio >= -1 && ls->v[k].ratio <= 1);
        assert_int_equal(ls->v[k].last, k == 2);
    }
    /* the last line keeps its natural width: the fill takes the 50 pt */
    assert_true(ls->v[2].ratio >= 0 && ls->v[2].ratio < 1e-3);
    check_cover(l, ls);
    pb_linebreak_free(ls);
    pb_nodes_free_list(l);
}

/* Measure 36 holds exactly three boxes (36 pt, r = 0); two boxes need r = 6.5 and four
 * r = -13/3: nine boxes make three perfect lines, breaks at glue 5 and 11 and the end 19. */
static void test_total_fit_exact_lines(void **state)
{
    (void)state;
    pb_nodes *l = &g_fx.l;
    uniform(l, 9);
    pb_lines *ls = &g_fx.ls;
    assert_int_equal(total_fit(l, 36, ls), PB_OK);
    assert_int_equal(ls->n, 3);
    assert_int_equal(ls->v[0].n1, 5);
    assert_int_equal(ls->v[1].n0, 6);
    assert_int_equal(ls->v[1].n1, 11);
    assert_int_equal(ls->v[2].n0, 12);
    assert_int_equal(ls->v[2].n1, 19);
    for (size_t k = 0; k < ls->n; k++) {
        assert_near(ls->v[k].natural, 36, EPS);
        assert_near(ls->v[k].ratio, 0, EPS);
    }
    check_cover(l, ls);
    pb_linebreak_free(ls);
    pb_nodes_free_list(l);
}

/* Measure 50, words 14 13 13 4 20 20 30.
 * Greedy: 14+13+13+4 + 3 glues = 53, shrunk by 3 to 50: it fits, so line 1 takes the "4" at
 * r = -1; then 20 20 (43 pt) cannot take the 30 (43 + 33 - 2 > 50): line 2 has r = 7/2 = 3.5.
 * Total fit: 14 13 13 (46 pt, stretch 4, r = 1, demerits 12100) and 4 20 20 (50 pt, r = 0,
 * demerits 100) then 30: 12300 in all, against 12100 + (10 + 4287.5)^2 for the greedy lines.
 * Nodes: boxes at 0 2 4 6 8 10 12, glue between, end at 13-15. */
static void build_classic(pb_nodes *l)
{
    static const double w[] = {14, 13, 13, 4, 20, 20, 30};
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
        if (i)
            glue(l);
        box(l, w[i]);
    }
    par_end(l);
}

/* Font expansion (compose.c) gives boxes stretch and shrink: they count like glue's. Two
 * 50 pt words and a 3 pt space (+2 -1) on a 100 pt measure are 3 pt too wide: overfull with
 * the space alone, exactly full when each word may also shrink 1 pt; on 110 pt the 7 pt are
 * shared by the space's 2 and the words' 2 pt of stretch. */
static void test_box_stretch_and_shrink(void **state)
{
    (void)state;
    for (int flex = 0; flex < 2; flex++)
        for (int greedy = 0; greedy < 2; greedy++) {
            pb_nodes *l = &g_fx.l;
            pb_lines *ls = &g_fx.ls;
            size_t a = box(l, 50);
            glue(l);
            size_t b = box(l, 50);
            penalty(l, -PB_PENALTY_INF, 0, 0); /* one line, however it fits */
            l->v[a].stretch = l->v[a].shrink = l->v[b].stretch = l->v[b].shrink = flex;
            par_end(l);
            assert_int_equal(greedy ? pb_linebreak_greedy(l, 100, ls) : total_fit(l, 100, ls), PB_OK);
            if (flex) { /* the words shrink with the space: one line, just full */
                assert_int_equal(ls->v[0].n1, 3);
                assert_near(ls->v[0].natural, 103, EPS);
                /* all the shrink (an emergency pass may count a space's a little more) */
                assert_true(ls->v[0].ratio >= -1 - EPS && ls->v[0].ratio <= -0.9);
                assert_int_equal(ls->v[0].overfull, 0);
            } else { /* the space alone cannot: the words go on two lines */
                assert_int_equal(ls->v[0].n1, 1);
            }
            assert_int_equal(greedy ? pb_linebreak_greedy(l, 110, ls) : total_fit(l, 110, ls), PB_OK);
            assert_int_equal(ls->v[0].n1, 3);
            assert_near(ls->v[0].ratio, flex ? 7.0 / 4.0 : 7.0 / 2.0, EPS);
            pb_linebreak_free(ls);
            pb_nodes_free_list(l);
        }
}

static void test_greedy_classic_loose_line(void **state)
{
    (void)state;
    pb_nodes *l = &g_fx.l;
    build_classic(l);
    pb_lines *ls = &g_fx.ls;
    assert_int_equal(pb_linebreak_greedy(l, 50, ls), PB_OK);
    assert_int_equal(ls->n, 3);
    assert_int_equal(ls->v[0].n1, 7);
    assert_near(ls->v[0].natural, 53, EPS);
    assert_near(ls->v[0].ratio, -1, EPS);
    assert_int_equal(ls->v[1].n0, 8);
    assert_int_equal(ls->v[1].n1, 11);
    assert_near(ls->v[1].ratio, 3.5, EPS);
    assert_int_equal(ls->v[2].n0, 12);
    check_cover(l, ls);
    pb_linebreak_free(ls);
    pb_nodes_free_list(l);
}

static void test_total_fit_beats_greedy(void **state)
{
    (void)state;
    pb_nodes *l = &g_fx.l;
    build_classic(l);
    pb_lines *tf = &g_fx.ls, *gr = &g_fx.ls2;
    assert_int_equal(total_fit(l, 50, tf), PB_OK);
    assert_int_equal(pb_linebreak_greedy(l, 50, gr), PB_OK);
    assert_int_equal(tf->n, 3);
    assert_int_equal(tf->v[0].n1, 5);
    assert_near(tf->v[0].ratio, 1, EPS);
    assert_int_equal(tf->v[1].n0, 6);
    assert_int_equal(tf->v[1].n1, 11);
    assert_near(tf->v[1].ratio, 0, EPS);
    assert_int_equal(tf->v[2].n0, 12);
    check_cover(l, tf);
    assert_near(max_abs_ratio_but_last(tf), 1, EPS);
    assert_near(max_abs_ratio_but_last(gr), 3.5, EPS);
    assert_true(max_abs_ratio_but_last(tf) < max_abs_ratio_but_last(gr));
    pb_linebreak_free(tf);
    pb_linebreak_free(gr);
    pb_nodes_free_list(l);
}

/* A 100 pt box in a 50 pt measure: no failure, every box placed once, the wide box on an
 * overfull line (natural > measure, glue shrunk at most fully). */
static void test_overfull_box_no_failure(void **state)
{
    (void)state;
    static const breaker_fn fns[] = {pb_linebreak_greedy, total_fit};
    pb_nodes *l = &g_fx.l;
    box(l, 10);
    glue(l);
    size_t big = box(l, 100);
    glue(l);
    box(l, 10);
    par_end(l);
    for (size_t f = 0; f < 2; f++) {
        pb_lines *ls = &g_fx.ls;
        assert_int_equal(fns[f](l, 50, ls), PB_OK);
        check_cover(l, ls);
        int found = 0;
        for (size_t k = 0; k < ls->n; k++) {
            assert_true(ls->v[k].ratio >= -1);
            if (ls->v[k].n0 <= big && big < ls->v[k].n1) {
                found = 1;
                assert_true(ls->v[k].natural >= 100);
            }
        }
        assert_true(found);
        pb_linebreak_free(ls);
    }
    pb_nodes_free_list(l);
}

/* Ten boxes (two perfect lines of five at measure 60, r = -0.5), an 80 pt box, seven boxes.
 * The wide box cannot share a line with anything (80 > 60), so the least overfull outcome
 * sets it alone: [0,9) [10,19) [20,21) [22,31) [32,37); linebreak.h promises this of the
 * greedy breaker. */
static void build_wide_middle(pb_nodes *l, size_t *big)
{
    for (int i = 0; i < 10; i++) {
        box(l, 10);
        glue(l);
    }
    *big = box(l, 80);
    for (int i = 0; i < 7; i++) {
        glue(l);
        box(l, 10);
    }
    par_end(l);
}

static void test_greedy_wide_box_stands_alone(void **state)
{
    (void)state;
    pb_nodes *l = &g_fx.l;
    size_t big;
    build_wide_middle(l, &big);
    assert_int_equal(big, 20);
    pb_lines *ls = &g_fx.ls;
    assert_int_equal(pb_linebreak_greedy(l, 60, ls), PB_OK);
    check_cover(l, ls);
    assert_int_equal(ls->n, 5);
    assert_int_equal(ls->v[1].n1, 19);
    assert_int_equal(ls->v[2].n0, 20);
    assert_int_equal(ls->v[2].n1, 21);
    assert_near(ls->v[2].natural, 80, EPS);
    pb_linebreak_free(ls);
    pb_nodes_free_list(l);
}

/* Total fit's second pass is to take looser lines "instead of overfull lines": it must not
 * pull a good line (r = -0.5) onto the overfull one. */
static void test_total_fit_wide_box_stands_alone(void **state)
{
    (void)state;
    pb_nodes *l = &g_fx.l;
    size_t big;
    build_wide_middle(l, &big);
    pb_lines *ls = &g_fx.ls;
    assert_int_equal(total_fit(l, 60, ls), PB_OK);
    check_cover(l, ls);
    for (size_t k = 0; k < ls->n; k++)
        if (ls->v[k].n0 <= big && big < ls->v[k].n1) {
            assert_int_equal(boxes_in(l, &ls->v[k]), 1);
            assert_near(ls->v[k].natural, 80, EPS);
        }
    assert_int_equal(ls->n, 5);
    pb_linebreak_free(ls);
    pb_nodes_free_list(l);
}

/* The 11-box list of test_total_fit_known_optimum with its two ideal breaks forbidden: a
 * \penalty10000 before the glue after box 4 and before the glue after box 9, so neither glue
 * follows a box. Neither breaker may end a line at them or at the penalties. */
static void test_inf_penalty_never_chosen(void **state)
{
    (void)state;
    static const breaker_fn fns[] = {pb_linebreak_greedy, total_fit};
    pb_nodes *l = &g_fx.l;
    size_t forbidden[2] = {0, 0};
    for (int i = 0; i < 11; i++) {
        if (i == 5 || i == 10) {
            penalty(l, PB_PENALTY_INF, 0, 0);
            forbidden[i == 10] = glue(l);
        } else if (i) {
            glue(l);
        }
        box(l, 10);
    }
    par_end(l);
    for (size_t f = 0; f < 2; f++) {
        pb_lines *ls = &g_fx.ls;
        assert_int_equal(fns[f](l, 60, ls), PB_OK);
        check_cover(l, ls);
        assert_true(ls->n >= 2);
        for (size_t k = 0; k < ls->n; k++) {
            const pb_node *b = &l->v[ls->v[k].n1];
            assert_true(ls->v[k].n1 != forbidden[0] && ls->v[k].n1 != forbidden[1]);
            if (b->kind == PB_NODE_PENALTY)
                assert_true(b->penalty < PB_PENALTY_INF);
            else
                assert_int_equal(l->v[ls->v[k].n1 - 1].kind, PB_NODE_BOX);
        }
        pb_linebreak_free(ls);
    }
    pb_nodes_free_list(l);
}

/* Boxes joined only by penalties of 10000 except one penalty of 0: the only break is there. */
static void test_inf_penalty_between_boxes(void **state)
{
    (void)state;
    static const breaker_fn fns[] = {pb_linebreak_greedy, total_fit};
    pb_nodes *l = &g_fx.l;
    size_t ok_break = 0;
    for (int i = 0; i < 8; i++) {
        if (i == 4)
            ok_break = glue(l);
        else if (i)
            penalty(l, PB_PENALTY_INF, 0, 0);
        box(l, 10);
    }
    par_end(l);
    for (size_t f = 0; f < 2; f++) {
        pb_lines *ls = &g_fx.ls;
        /* 40 pt a line: the 8 boxes fit in two lines only by breaking at the glue */
        assert_int_equal(fns[f](l, 40, ls), PB_OK);
        check_cover(l, ls);
        assert_int_equal(ls->n, 2);
        assert_int_equal(ls->v[0].n1, ok_break);
        pb_linebreak_free(ls);
    }
    pb_nodes_free_list(l);
}

/* Last-resort breaks (inside a URL's word) are taken only inside a piece wider than the line:
 * "see" + glue + a 30 pt piece of three boxes joined by last-resort penalties, on a 40 pt line,
 * goes whole to the next line (the first line left loose); a 60 pt piece is cut, as few times
 * as it must be. */
static void test_last_resort_only_when_wider(void **state)
{
    (void)state;
    pb_nodes *l = &g_fx.l;
    for (int wide = 0; wide < 2; wide++) {
        box(l, 12);
        glue(l);
        size_t cut = 0;
        for (int i = 0; i < 3; i++) {
            if (i) {
                cut = penalty(l, 5000, 0, 0);
                l->v[cut].last_resort = 1;
            }
            box(l, wide ? 20 : 10);
        }
        par_end(l);
        pb_lines *ls = &g_fx.ls;
        assert_int_equal(total_fit(l, 40, ls), PB_OK);
        check_cover(l, ls);
        size_t cuts = 0;
        for (size_t k = 0; k + 1 < ls->n; k++)
            cuts += l->v[ls->v[k].n1].kind == PB_NODE_PENALTY && l->v[ls->v[k].n1].last_resort;
        if (!wide) {
            assert_int_equal(ls->n, 2);
            assert_int_equal(cuts, 0);
        } else {
            assert_int_equal(cuts, 1); /* 60 pt on 40 pt lines: one cut */
        }
        pb_linebreak_free(ls);
        pb_nodes_free_list(l);
    }
}

/* Two paragraphs' worth of boxes with a forced break after the fifth box: measure 36 holds
 * three boxes, so the break would never be chosen for its own sake (it leaves a 23 pt line). */
static void build_forced_middle(pb_nodes *l, size_t *forced)
{
    for (int i = 0; i < 5; i++) {
        if (i)
            glue(l);
        box(l, 10);
    }
    *forced = penalty(l, -PB_PENALTY_INF, 0, 0);
    for (int i = 0; i < 5; i++) {
        if (i)
            glue(l);
        box(l, 10);
    }
    par_end(l);
}

static void check_forced(breaker_fn fn)
{
    pb_nodes *l = &g_fx.l;
    size_t forced;
    build_forced_middle(l, &forced);
    assert_int_equal(forced, 9);
    pb_lines *ls = &g_fx.ls;
    assert_int_equal(fn(l, 36, ls), PB_OK);
    int taken = 0;
    for (size_t k = 0; k < ls->n; k++)
        taken |= ls->v[k].n1 == forced;
    assert_true(taken);
    /* the five boxes after the forced break are set too: three + two more lines */
    assert_int_equal(ls->n, 4);
    assert_int_equal(ls->v[ls->n - 1].n1, l->n - 1);
    check_cover(l, ls);
    pb_linebreak_free(ls);
    pb_nodes_free_list(l);
}

static void test_forced_break_greedy(void **state)
{
    (void)state;
    check_forced(pb_linebreak_greedy);
}

static void test_forced_break_total_fit(void **state)
{
    (void)state;
    check_forced(total_fit);
}

/* "Words" of a head and an 8 pt tail joined by a flagged penalty (50, a 3 pt hyphen), per
 * boxes of 10 pt between them:
 *   8 (g 10)*per g H-8 (g 10)*per g H-8 (g 10)*per g H-8 (g 10)*per <end>
 * The measure 8 + 10 per + H + 3 (per + 1) + 3 makes every line that ends at a hyphen exact
 * (r = 0). Nodes for per = 3: heads at 8, 18, 28, their penalties at 9, 19, 29, the glue
 * before them at 7, 17, 27; the end at 39. */
static double build_hyphen_run(pb_nodes *l, int flagged, int per, double head)
{
    box(l, 8);
    for (int w = 0; w < 4; w++) {
        for (int k = 0; k < per; k++) {
            glue(l);
            box(l, 10);
        }
        if (w == 3)
            break;
        glue(l);
        box(l, head);
        penalty(l, 50, flagged, 3);
        box(l, 8);
    }
    par_end(l);
    return 8 + 10 * per + head + 3 * (per + 1) + 3;
}

static int longest_hyphen_run(const pb_nodes *l, const pb_lines *ls)
{
    int run = 0, max_run = 0;
    for (size_t k = 0; k < ls->n; k++) {
        const pb_node *b = &l->v[ls->v[k].n1];
        run = b->kind == PB_NODE_PENALTY && b->flagged ? run + 1 : 0;
        if (run > max_run)
            max_run = run;
    }
    return max_run;
}

/* per = 3, head 5, measure 58. Ending the first three lines at the hyphens is perfect.
 * The alternatives: the whole word on the line is 63 pt with shrink 4 (infeasible); breaking
 * before the word leaves 47 pt, stretch 6 (r = 11/6, badness 616 > \tolerance 200), and the
 * next line 5 8 g 10 g 10 g 10 is 52 pt (r = 1). So the first pass finds nothing without three
 * hyphens in a row; the emergency pass (stretch + 2% of the measure = 1.16 pt, tolerance 1000)
 * rates r = 11/7.16 (badness 362, demerits 138756 + 10000 fitness jump) and r = 6/7.16 (4737):
 *   hyphen, before word 2, before word 3, last: 2600 + 148756 + 4737 + 100 = 156193;
 *   before word 1, then two r = 1 lines:      148756 + 4737 + 4737 + 100 = 158330;
 *   hyphen, hyphen, before word 3:  2600 + 12600 + 148756 + 10100 = 174056.
 * As plain penalties (not flagged), all three are taken: 3 x 2600 + 100. */
static void test_no_triple_hyphen(void **state)
{
    (void)state;
    pb_nodes *l = &g_fx.l;
    double W = build_hyphen_run(l, 0, 3, 5);
    assert_near(W, 58, EPS);
    assert_int_equal(l->n, 40);
    pb_lines *ls = &g_fx.ls;
    assert_int_equal(total_fit(l, W, ls), PB_OK);
    check_cover(l, ls);
    assert_int_equal(ls->n, 4);
    assert_int_equal(ls->v[0].n1, 9);
    assert_int_equal(ls->v[1].n1, 19);
    assert_int_equal(ls->v[2].n1, 29);
    for (size_t k = 0; k < 3; k++)
        assert_near(ls->v[k].ratio, 0, EPS);
    pb_nodes_free_list(l);

    build_hyphen_run(l, 1, 3, 5);
    assert_int_equal(total_fit(l, W, ls), PB_OK);
    check_cover(l, ls);
    assert_true(longest_hyphen_run(l, ls) < 3);
    assert_int_equal(ls->n, 4);
    assert_int_equal(ls->v[0].n1, 9);
    assert_int_equal(ls->v[1].n1, 17);
    assert_near(ls->v[1].ratio, 11.0 / 6.0, EPS);
    assert_int_equal(ls->v[2].n1, 27);
    assert_near(ls->v[2].ratio, 1, EPS);
    /* the taken hyphen's width counts in the line */
    assert_near(ls->v[0].natural, 58, EPS);
    pb_linebreak_free(ls);
    pb_nodes_free_list(l);
}

/* per = 1, head 30, measure 57: breaking before a word leaves 8 g 10 (21 pt, stretch 2,
 * r = 18) and the whole word never fits, so every alternative is as bad as a line can be;
 * three hyphens in a row are then the last resort and are taken, with perfect lines. */
static void test_triple_hyphen_last_resort(void **state)
{
    (void)state;
    pb_nodes *l = &g_fx.l;
    double W = build_hyphen_run(l, 1, 1, 30);
    assert_near(W, 57, EPS);
    pb_lines *ls = &g_fx.ls;
    assert_int_equal(total_fit(l, W, ls), PB_OK);
    check_cover(l, ls);
    assert_int_equal(ls->n, 4);
    assert_int_equal(longest_hyphen_run(l, ls), 3);
    for (size_t k = 0; k < 3; k++) {
        assert_near(ls->v[k].natural, 57, EPS);
        assert_near(ls->v[k].ratio, 0, EPS);
    }
    pb_linebreak_free(ls);
    pb_nodes_free_list(l);
}

/* The last pass prices a third hyphenated line in a row (KP_TRIPLE_HYPHEN_DEMERITS, 1e6) rather
 * than forbid it. per = 3, head 15, measure 68, hyphens of penalty 2450: the hyphenated lines
 * are exact; a line ending before a head is "8 g 10 g 10 g 10", 47 pt with stretch 6 (r = 3.5,
 * badness 4287.5; in the emergency pass, with 1.36 pt more stretch, r = 2.85, badness 2319 >
 * 1000), so no setting is left before the last pass. There:
 *   no hyphen, r = 3.5, 1, 1, last:  4297.5^2 + 2 x 110^2 + 100 = 18 492 806;
 *   three hyphens, r = 0, last:       3 (100 + 2450^2) + 2 x 10000 + 5000 + 100 = 18 032 900,
 *     + 1e6 for the third hyphen in a row = 19 032 900;
 * a hyphen or two and then the loose line cost both. The paragraph is set without hyphens; with
 * the third hyphen unpriced it would take all three. */
#define TRIPLE_PRICED_PENALTY 2450
static void test_triple_hyphen_priced(void **state)
{
    (void)state;
    pb_nodes *l = &g_fx.l;
    double W = build_hyphen_run(l, 1, 3, 15);
    assert_near(W, 68, EPS);
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].kind == PB_NODE_PENALTY && l->v[i].flagged)
            l->v[i].penalty = TRIPLE_PRICED_PENALTY;
    pb_lines *ls = &g_fx.ls;
    assert_int_equal(total_fit(l, W, ls), PB_OK);
    check_cover(l, ls);
    assert_int_equal(longest_hyphen_run(l, ls), 0);
    assert_int_equal(ls->n, 4);
    assert_near(ls->v[0].ratio, 3.5, EPS);
    assert_near(ls->v[1].ratio, 1, EPS);
    assert_near(ls->v[2].ratio, 1, EPS);
    pb_linebreak_free(ls);
    pb_nodes_free_list(l);
}

/* Ragged (flush left) lines are not hyphenated. Measure 60:
 *   10 g 10 g 10 g 10 g 5-10 g 10 <end>
 * Justified, the first line ends at the hyphen (10*4 + 3*4 + 5 + 3 = 60, r = 0); without it the
 * line is 49 pt with stretch 6 (r = 11/6, badness 616 > 200); with the whole word it is 67 pt
 * with shrink 4. Ragged lines may fall short (linebreak.h): the short line is taken, the hyphen
 * never is. */
static void test_ragged_no_hyphens(void **state)
{
    (void)state;
    pb_nodes *l = &g_fx.l;
    for (int i = 0; i < 4; i++) {
        box(l, 10);
        glue(l);
    }
    box(l, 5);
    size_t hy = hyphen(l, 50, 3);
    box(l, 10);
    glue(l);
    box(l, 10);
    for (int i = 0; i < 4; i++) { /* a third line: the hyphenated one is not the penultimate */
        glue(l);
        box(l, 10);
    }
    par_end(l);
    assert_int_equal(hy, 9);
    assert_int_equal(l->n, 24);

    pb_lines *ls = &g_fx.ls;
    assert_int_equal(pb_linebreak_total_fit(l, 60, 0, ls), PB_OK);
    check_cover(l, ls);
    assert_int_equal(ls->n, 3);
    assert_int_equal(ls->v[0].n1, hy);
    assert_near(ls->v[0].natural, 60, EPS);
    assert_near(ls->v[0].ratio, 0, EPS);

    /* ragged: never at the hyphen; the lines are balanced (the last is judged like the
     * first), so the break falls at a word space and both lines fit */
    assert_int_equal(pb_linebreak_total_fit(l, 60, 1, ls), PB_OK);
    check_cover(l, ls);
    assert_true(ls->n >= 2);
    for (size_t k = 0; k < ls->n; k++) {
        assert_true(ls->v[k].n1 != hy);
        assert_true(ls->v[k].natural <= 60 + EPS);
    }
    assert_int_equal(l->v[ls->v[0].n1].kind, PB_NODE_GLUE);
    pb_linebreak_free(ls);
    pb_nodes_free_list(l);
}

/* A tie (nodes.c keep_at: a number kept with its unit, a field of a flush-right block) in
 * ragged lines is taken only in the last pass. Measure 100, ragged:
 *   A 60 g B 20 <tie 300> g C 20 g D 55 <end>
 * At the tie, A g B = 83 and C g D = 78 (each short by about a fifth: feasible in the first
 * pass, 9e4 demerits for the tie). Without it, A alone (60: r = 40 / 25 = 1.6, badness 410)
 * is past the first pass's tolerance and within the emergency pass's: that pass finds it.
 * With the flag off, the first pass takes the tie (the contact line broke ext. / 1234). */
/* "A 60 g B 20 <300> g C 20 g D d <end>" into l, the penalty a tie or a URL's break (or
 * neither); returns the penalty's index (the glue after A is node 1). */
static size_t build_tie(pb_nodes *l, double d, int tie, int url)
{
    l->n = 0;
    box(l, 60);
    glue(l);
    box(l, 20);
    size_t t = penalty(l, 300, 0, 0);
    l->v[t].tie = (uint8_t)tie;
    l->v[t].url = (uint8_t)url;
    glue(l);
    box(l, 20);
    glue(l);
    box(l, d);
    par_end(l);
    return t;
}

static void test_ragged_tie_last_pass(void **state)
{
    (void)state;
    pb_nodes *l = &g_fx.l;
    pb_lines *ls = &g_fx.ls;
    for (int tie = 0; tie < 2; tie++) {
        size_t g1 = 1, t = build_tie(l, 55, tie, 0);
        assert_int_equal(pb_linebreak_total_fit(l, 100, 1, ls), PB_OK);
        check_cover(l, ls);
        assert_int_equal(ls->n, 2);
        assert_int_equal(ls->v[0].n1, tie ? g1 : t);
    }
}

/* A word wider than a ragged line (a heading's): its hyphenation point is taken in the last
 * pass rather than the line run over. Measure 100, ragged:
 *   A 30 g B1 60 <hyphen 3> B2 60 <end>
 * The word B1B2 (120) fits no line whole; A g B1- = 96 and B2 = 60 do. */
static void test_ragged_hyphen_last_resort(void **state)
{
    (void)state;
    pb_nodes *l = &g_fx.l;
    pb_lines *ls = &g_fx.ls;
    box(l, 30);
    glue(l);
    box(l, 60);
    size_t hy = hyphen(l, 1000, 3);
    box(l, 60);
    par_end(l);
    assert_int_equal(pb_linebreak_total_fit(l, 100, 1, ls), PB_OK);
    check_cover(l, ls);
    assert_int_equal(ls->n, 2);
    assert_int_equal(ls->v[0].n1, hy);
    for (size_t k = 0; k < ls->n; k++)
        assert_false(ls->v[k].overfull);
}

/* Ragged text (pb_linebreak_ragged_text) on 100 pt, its zone 20 pt: two lines covering l. */
static void ragged_text_two_lines(pb_nodes *l, pb_lines *ls)
{
    assert_int_equal(pb_linebreak_ragged_text(l, 100, 20, ls), PB_OK);
    check_cover(l, ls);
    assert_int_equal(ls->n, 2);
}

/* Ragged running text breaks a tie only where every line without it would be past the
 * emergency tolerance (KP_RAGGED_TIE_DEMERITS): "A 60 g B 20 <300> g C 20 g D 50". At the
 * break, A g B = 83 (r = 17 / 22, badness 46) and 9e4 demerits for its penalty; without it,
 * "A" alone is short by 40 (badness 800, 6.6e5 demerits): a plain break of that penalty is
 * taken, a tie is not. */
static void test_ragged_text_tie(void **state)
{
    (void)state;
    pb_nodes *l = &g_fx.l;
    pb_lines *ls = &g_fx.ls;
    size_t t = build_tie(l, 50, 0, 0);
    ragged_text_two_lines(l, ls);
    assert_int_equal(ls->v[0].n1, t);
    build_tie(l, 50, 1, 0);
    ragged_text_two_lines(l, ls);
    assert_int_equal(boxes_in(l, &ls->v[0]), 1);
}

/* "A a g B 20 <URL 300> C c <end>" into l (C followed by "g D 50" when d): returns the URL
 * break's index. */
static size_t build_address(pb_nodes *l, double a, double c, int d)
{
    l->n = 0;
    box(l, a);
    glue(l);
    box(l, 20);
    size_t u = penalty(l, 300, 0, 0);
    l->v[u].url = 1;
    box(l, c);
    if (d) {
        glue(l);
        box(l, 50);
    }
    par_end(l);
    return u;
}

/* Ragged running text keeps whole an address that fits a line of its own (README; review 10:
 * "e-mail: lin" / ".xiaolan@humanities.example.edu.cn;"), as it keeps a tie, and breaks one
 * at its penalty where keeping it would leave a hole in the rag ("For details, see" 16 em
 * short before "https://museum.example.org/collection.", programme-tc). Measure 100, zone 20:
 * "A 60 g B 20 <URL> C 20 g D 50": the address BC (40) fits; "A" alone is short by 40
 * (badness 800) and is taken, where the break (A g B = 83, 9e4 demerits) was. "A 30 g B 30
 * <URL> C 60": "A" alone would be 70 short (badness past 3000): the address breaks. */
static void test_ragged_text_address(void **state)
{
    (void)state;
    pb_nodes *l = &g_fx.l;
    pb_lines *ls = &g_fx.ls;
    build_address(l, 60, 20, 1);
    ragged_text_two_lines(l, ls);
    assert_int_equal(boxes_in(l, &ls->v[0]), 1);
    size_t u = build_address(l, 30, 60, 0);
    l->v[2].width = 30;
    ragged_text_two_lines(l, ls);
    assert_int_equal(ls->v[0].n1, u);
}


/* Running text set ragged right is filled, not balanced, and keeps its word spaces: ten boxes
 * on 100 pt set 7 + 3 (line 1 = 88 pt, short 12 of its 12 + 20 stretch: badness 5; the last
 * line ends the paragraph as in justified text). Eight boxes (101 pt) would need a space
 * shrunk: not in ragged text. Ragged display lines (pb_linebreak_total_fit, ragged) are
 * balanced instead: 5 + 5. */
static void test_ragged_text_filled(void **state)
{
    (void)state;
    pb_nodes *l = &g_fx.l;
    pb_lines *ls = &g_fx.ls;
    uniform(l, 10);
    ragged_text_two_lines(l, ls);
    assert_int_equal(boxes_in(l, &ls->v[0]), 7);
    for (size_t k = 0; k < ls->n; k++)
        assert_true(ls->v[k].natural <= 100 + EPS);
    assert_int_equal(pb_linebreak_total_fit(l, 100, 1, ls), PB_OK);
    assert_int_equal(ls->n, 2);
    assert_int_equal(boxes_in(l, &ls->v[0]), 5);
}

/* "A g B1 30 <hyphen 1000, 3> B2 30 g C 30 <end>" into l, A of width a; returns the hyphen's
 * index. */
static size_t build_short_then_word(pb_nodes *l, double a)
{
    l->n = 0;
    box(l, a);
    glue(l);
    box(l, 30);
    size_t hy = hyphen(l, 1000, 3);
    box(l, 30);
    glue(l);
    box(l, 30);
    par_end(l);
    return hy;
}

/* Ragged text hyphenates sparingly: only where a line without the hyphen would be past the
 * emergency tolerance (badness 1000). Measure 100, zone 20, build_short_then_word: with
 * A = 60, the line "A" alone is short by 40 (r = 2, badness 800: a line at the word-space
 * tolerance, 629, would refuse it and take the hyphen); with A = 50 it is short by 50 (r = 2.5,
 * badness 1563) and the hyphen is taken (never in ragged display lines). */
static void test_ragged_text_hyphen_sparingly(void **state)
{
    (void)state;
    pb_nodes *l = &g_fx.l;
    pb_lines *ls = &g_fx.ls;
    build_short_then_word(l, 60);
    ragged_text_two_lines(l, ls);
    assert_int_equal(boxes_in(l, &ls->v[0]), 1);
    size_t hy = build_short_then_word(l, 50);
    ragged_text_two_lines(l, ls);
    assert_int_equal(ls->v[0].n1, hy);
}

/* ... and a compound's own hyphen ("reading-" / "room": flagged, no hyphen glyph, TeX's
 * \exhyphenpenalty 50) ends a ragged line as sparingly as a pattern's hyphen does
 * (KP_RAGGED_EXHYPHEN_DEMERITS): build_short_then_word with that break, A = 60, sets "A"
 * alone (badness 800), where the compound's break (A g B1-, short by 7: badness 4, 2500 for
 * its penalty) was taken; with A = 50 ("A" alone past the emergency tolerance) it still is. */
static void test_ragged_text_compound_sparingly(void **state)
{
    (void)state;
    pb_nodes *l = &g_fx.l;
    pb_lines *ls = &g_fx.ls;
    for (double a = 60; a >= 50; a -= 10) {
        size_t hy = build_short_then_word(l, a);
        l->v[hy].penalty = 50;
        l->v[hy].hyphen_gid = 0;
        l->v[hy].width = 0;
        ragged_text_two_lines(l, ls);
        if (a == 60)
            assert_int_equal(boxes_in(l, &ls->v[0]), 1);
        else
            assert_int_equal(ls->v[0].n1, hy);
    }
}

/* Ideographs: boxes of 10 pt (han = chars = 1) with stretch-only CJK glue (0, +1, -0), the
 * measure 100 pt. Lines of ten are perfect, nine need r = 10/8 (badness 195), eleven cannot
 * shrink. 21 characters: 10 + 10 + 1 leaves one ideograph alone on the last line. */
static void build_han(pb_nodes *l, int n, uint32_t han)
{
    for (int i = 0; i < n; i++) {
        if (i)
            glue_c(l, PB_GLUE_CJK, 0, 1, 0);
        box_hc(l, 10, han, 1);
    }
    par_end(l);
}

static uint32_t han_in(const pb_nodes *l, const pb_line *ln)
{
    uint32_t n = 0;
    for (size_t i = ln->n0; i < ln->n1; i++)
        if (l->v[i].kind == PB_NODE_BOX)
            n += l->v[i].han;
    return n;
}

/* "10 10 10 10 10 5-8" on 71 pt: a paragraph ends on a short word's tail (the 8 pt after the
 * hyphen, under 15 % of the measure) only where every line without it would be loose. The
 * whole paragraph (78 pt, shrink 5, 6 in the emergency pass) takes two lines; the hyphen's line
 * (73 pt, shrink 5: r = -0.4) and its tail cost less by TeX's demerits (269 + 50^2 + 5000 +
 * 100). With the standard glue the line before the last word is 62 pt with stretch 8
 * (r = 1.125, badness 142, within the tolerance): it is taken, the word whole (and alone on the
 * last line, KP_SHORT_LAST_DEMERITS). With spaces that stretch 1 pt, that line is at r = 2.25
 * (badness 1139, past the word tolerance 629: spaces of 5.25 pt where 3 is the space; the
 * emergency pass would take it, at r = 1.66 with its 1.42 pt more stretch): the hyphen is
 * taken, a typesetter's "phenyl-" / "alanine." rather than a loose line before the whole word
 * (the KP_TAILS pass). The break is an explicit hyphen's (flagged, no hyphen glyph), which
 * the pass without pattern hyphens after a hyphenated setting does not undo. */
#define TAIL_W 71
#define TAIL_TIGHT_STRETCH 1
static void build_tail(pb_nodes *l, double stretch)
{
    for (int i = 0; i < 5; i++) {
        box(l, 10);
        glue_c(l, PB_GLUE_WORD, 3, stretch, 1);
    }
    box(l, 5);
    penalty(l, 50, 1, 3); /* an explicit hyphen's break: no setting again without it */
    box(l, 8);
    par_end(l);
}

static void test_short_tail_only_before_loose(void **state)
{
    (void)state;
    pb_nodes *l = &g_fx.l;
    pb_lines *ls = &g_fx.ls;
    build_tail(l, 2);
    size_t hy = 11;
    assert_true(l->v[hy].flagged);
    assert_int_equal(pb_linebreak_total_fit(l, TAIL_W, 0, ls), PB_OK);
    check_cover(l, ls);
    assert_int_equal(ls->n, 2);
    assert_int_equal(l->v[ls->v[0].n1].kind, PB_NODE_GLUE);
    assert_near(ls->v[0].ratio, 1.125, EPS);

    pb_nodes_free_list(l);

    build_tail(l, TAIL_TIGHT_STRETCH);
    assert_int_equal(pb_linebreak_total_fit(l, TAIL_W, 0, ls), PB_OK);
    check_cover(l, ls);
    assert_int_equal(ls->n, 2);
    assert_int_equal(ls->v[0].n1, hy);
    assert_near(ls->v[0].ratio, -0.4, EPS);
    pb_linebreak_free(ls);
    pb_nodes_free_list(l);
}

static void test_lone_ideograph_avoided(void **state)
{
    (void)state;
    pb_nodes *l = &g_fx.l;
    pb_lines *ls = &g_fx.ls;
    /* control: boxes that are not ideographs (nor words: chars = 0, marks; a word alone on a
     * last line has its own rule, test_short_last_word_avoided): the single-box last line is
     * the best */
    build_han(l, 21, 0);
    for (size_t i = 0; i < l->n; i++)
        l->v[i].chars = 0;
    assert_int_equal(total_fit(l, 100, ls), PB_OK);
    check_cover(l, ls);
    assert_int_equal(ls->n, 3);
    assert_int_equal(boxes_in(l, &ls->v[2]), 1);
    assert_near(ls->v[0].ratio, 0, EPS);
    pb_nodes_free_list(l);

    build_han(l, 21, 1);
    assert_int_equal(total_fit(l, 100, ls), PB_OK);
    check_cover(l, ls);
    assert_int_equal(ls->n, 3);
    assert_true(han_in(l, &ls->v[2]) >= 2);
    for (size_t k = 0; k < ls->n; k++) {
        assert_true(boxes_in(l, &ls->v[k]) <= 10);
        assert_true(ls->v[k].ratio >= 0 && ls->v[k].ratio <= 1.25 + EPS);
    }
    pb_linebreak_free(ls);
    pb_nodes_free_list(l);
}

/* One ideograph and a closing mark after it (a box with han = 0, chars = 0, attached by
 * \penalty10000 + glue as nodes.c does) is still a lone ideograph. */
static void test_lone_ideograph_with_mark_avoided(void **state)
{
    (void)state;
    pb_nodes *l = &g_fx.l;
    for (int i = 0; i < 21; i++) {
        if (i)
            glue_c(l, PB_GLUE_CJK, 0, 1, 0);
        box_hc(l, 10, 1, 1);
    }
    penalty(l, PB_PENALTY_INF, 0, 0);
    glue_c(l, PB_GLUE_CJK, 0, 1, 0);
    box_hc(l, 10, 0, 0); /* 。 */
    par_end(l);
    pb_lines *ls = &g_fx.ls;
    assert_int_equal(total_fit(l, 100, ls), PB_OK);
    check_cover(l, ls);
    assert_true(han_in(l, &ls->v[ls->n - 1]) >= 2);
    pb_linebreak_free(ls);
    pb_nodes_free_list(l);
}

/* n words of width w (10 pt but the last) with word glue, on the measure 101 pt: 8 words fill
 * a line exactly (13 * 8 - 3). */
static void build_words(pb_nodes *l, int n, double last)
{
    for (int i = 0; i < n; i++) {
        if (i)
            glue(l);
        box(l, i == n - 1 ? last : 10);
    }
    par_end(l);
}

/* An English paragraph does not end with one short word alone (CSS Text 4 avoid-short-last-
 * line): 17 words set 8 + 8 + 1 with two perfect lines, but the breaker takes a looser line
 * (8 + 7 + 2: r = 13 / 12, badness 127) to give the last word company. A last word wider than
 * a third of the measure is a line, not a runt: 8 + 8 + 1 stays; so does a one-line paragraph. */
static void test_short_last_word_avoided(void **state)
{
    (void)state;
    pb_nodes *l = &g_fx.l;
    pb_lines *ls = &g_fx.ls;
    build_words(l, 17, 10);
    assert_int_equal(total_fit(l, 101, ls), PB_OK);
    check_cover(l, ls);
    assert_int_equal(ls->n, 3);
    assert_true(boxes_in(l, &ls->v[2]) >= 2);
    pb_nodes_free_list(l);

    build_words(l, 17, 40); /* 40 pt > 101 / 3 */
    assert_int_equal(total_fit(l, 101, ls), PB_OK);
    check_cover(l, ls);
    assert_int_equal(ls->n, 3);
    assert_int_equal(boxes_in(l, &ls->v[2]), 1);
    assert_near(ls->v[0].ratio, 0, EPS);
    assert_near(ls->v[1].ratio, 0, EPS);
    pb_nodes_free_list(l);

    build_words(l, 1, 10);
    assert_int_equal(total_fit(l, 101, ls), PB_OK);
    assert_int_equal(ls->n, 1);
    pb_linebreak_free(ls);
    pb_nodes_free_list(l);
}

/* When the paragraph is one ideograph there is no alternative: one line. */
static void test_lone_ideograph_unavoidable(void **state)
{
    (void)state;
    pb_nodes *l = &g_fx.l;
    build_han(l, 1, 1);
    pb_lines *ls = &g_fx.ls;
    assert_int_equal(total_fit(l, 100, ls), PB_OK);
    check_cover(l, ls);
    assert_int_equal(ls->n, 1);
    assert_int_equal(ls->v[0].n0, 0);
    pb_linebreak_free(ls);
    pb_nodes_free_list(l);
}

/* A Chinese line whose marks' blanks, shrunk to nothing, bring it exactly to the measure fits,
 * whatever the rounding of the breaker's running sums: after a first line of 0.1 + 170 pt
 * (ended by a forced break), 17 ideographs, a centred mark (5 pt of ink, its two 2.5 pt
 * quarters glue that may shrink to nothing) and one more ideograph are 190 pt, shrink 5, on a
 * 185 pt measure: r = -1 exactly, but the sums give 190.00000000000003 - 5 (r = -1 - 6e-15),
 * and the line was refused as overfull: the line before the ideograph was letter-spaced
 * instead, 5 pt over its 17 gaps (review 12: "照片裡的街道」，講者為攝影史研究者林文" spaced
 * 0.029 em with 華 left for the last line). */
static void test_shrink_to_measure_fits(void **state)
{
    (void)state;
    pb_nodes *l = &g_fx.l;
    box(l, 0.1);
    for (int i = 0; i < 17; i++) {
        glue_c(l, PB_GLUE_CJK, 0, 1, 0);
        box_hc(l, 10, 1, 1);
    }
    penalty(l, PB_PENALTY_INF, 0, 0);
    glue_c(l, PB_GLUE_FILL, 0, FILL, 0);
    penalty(l, -PB_PENALTY_INF, 0, 0);
    for (int i = 0; i < 17; i++) {
        if (i)
            glue_c(l, PB_GLUE_CJK, 0, 1, 0);
        box_hc(l, 10, 1, 1);
    }
    penalty(l, PB_PENALTY_INF, 0, 0);
    glue_c(l, PB_GLUE_PUNCT, 2.5, 0, 2.5);
    box_hc(l, 5, 0, 0); /* ， */
    penalty(l, PB_PENALTY_INF, 0, 0);
    glue_c(l, PB_GLUE_PUNCT, 2.5, 0, 2.5);
    for (int i = 0; i < 4; i++) {
        if (!i)
            penalty(l, 0, 0, 0); /* after a mark's blank the break is a penalty */
        glue_c(l, PB_GLUE_CJK, 0, 1, 0);
        box_hc(l, 10, 1, 1);
    }
    par_end(l);
    pb_lines *ls = &g_fx.ls;
    assert_int_equal(total_fit(l, 185, ls), PB_OK);
    assert_int_equal(ls->n, 3); /* the first line ends at the forced break */
    assert_int_equal(han_in(l, &ls->v[1]), 18);
    assert_near(ls->v[1].ratio, -1, EPS);
    assert_false(ls->v[1].overfull);
    pb_linebreak_free(ls);
    pb_nodes_free_list(l);
}

/* xorshift32: a fixed sequence on every platform. */
static uint32_t rnd(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

/* About 500 nodes: boxes 4-40 pt, word or CJK glue, \penalty10000 before some glue, ordinary
 * and flagged penalties between boxes. */
static void build_random(pb_nodes *l, uint32_t seed)
{
    uint32_t s = seed;
    box(l, 10);
    while (l->n < 497) {
        uint32_t r = rnd(&s) % 10;
        if (r < 5) {
            glue(l);
        } else if (r < 7) {
            glue_c(l, PB_GLUE_CJK, 0, 1, 0);
        } else if (r < 8) {
            penalty(l, PB_PENALTY_INF, 0, 0);
            glue(l);
        } else if (r < 9) {
            penalty(l, 50, 1, 3);
        } else {
            penalty(l, (int)(rnd(&s) % 401) - 200, 0, 0);
        }
        box_hc(l, 4 + rnd(&s) % 37, rnd(&s) % 2, 1);
    }
    par_end(l);
}

/* Widest piece between consecutive legal breaks (shrunk fully): a line can avoid being
 * overfull only if every piece fits the measure. */
static double max_chunk(const pb_nodes *l)
{
    double m = 0, nat = 0, sh = 0;
    int started = 0;
    for (size_t i = 0; i < l->n; i++) {
        const pb_node *nd = &l->v[i];
        if (is_legal(l, i)) {
            m = fmax(m, nat + (nd->kind == PB_NODE_PENALTY ? nd->width : 0) - sh);
            nat = sh = 0;
            started = 0;
            continue;
        }
        if (nd->kind == PB_NODE_BOX)
            started = 1;
        if (!started || nd->kind == PB_NODE_PENALTY)
            continue;
        nat += nd->width;
        if (nd->kind == PB_NODE_GLUE)
            sh += nd->shrink;
    }
    return m;
}

static void test_random_coverage(void **state)
{
    (void)state;
    static const breaker_fn fns[] = {pb_linebreak_greedy, total_fit};
    static const uint32_t seeds[] = {12345u, 2024u, 0xC0FFEEu};
    static const double measures[] = {60, 120, 250};
    for (size_t si = 0; si < 3; si++) {
        pb_nodes *l = &g_fx.l;
        build_random(l, seeds[si]);
        assert_true(l->n >= 500 && l->n <= 502);
        assert_true(max_chunk(l) > 40); /* some pieces are joined by \penalty10000 */
        assert_true(max_chunk(l) <= 250);
        for (size_t mi = 0; mi < 3; mi++)
            for (size_t f = 0; f < 2; f++) {
                pb_lines *ls = &g_fx.ls;
                assert_int_equal(fns[f](l, measures[mi], ls), PB_OK);
                check_cover(l, ls);
                for (size_t k = 0; k < ls->n; k++) {
                    double nat, st, sh;
                    line_sums(l, &ls->v[k], &nat, &st, &sh);
                    assert_near(ls->v[k].natural, nat, 1e-6);
                    assert_true(ls->v[k].ratio >= -1 - EPS);
                    /* every piece fits: no line needs to be overfull (its word spaces shrunk
                     * as far as the breaker's pass allowed: ls->v[k].word_shrink) */
                    if (max_chunk(l) <= measures[mi])
                        assert_true(nat - sh * ls->v[k].word_shrink <= measures[mi] + 1e-6);
                }
                pb_linebreak_free(ls);
            }
        pb_nodes_free_list(l);
    }
}

/* The greedy breaker takes as much as fits with the glue shrunk: after each of its lines, the
 * next legal break would have overflowed even fully shrunk. */
static void test_greedy_takes_most(void **state)
{
    (void)state;
    pb_nodes *l = &g_fx.l;
    build_random(l, 777u);
    pb_lines *ls = &g_fx.ls;
    assert_int_equal(pb_linebreak_greedy(l, 120, ls), PB_OK);
    check_cover(l, ls);
    for (size_t k = 0; k + 1 < ls->n; k++) {
        const pb_line *ln = &ls->v[k];
        size_t nb = ln->n1 + 1;
        while (nb < l->n && !is_legal(l, nb))
            nb++;
        assert_true(nb < l->n);
        pb_line longer = {ln->n0, nb, 0, 0, 0, 0, 1};
        double nat, st, sh;
        line_sums(l, &longer, &nat, &st, &sh);
        assert_true(nat - sh > 120);
    }
    pb_linebreak_free(ls);
    pb_nodes_free_list(l);
}

static void test_empty_list(void **state)
{
    (void)state;
    pb_nodes *l = &g_fx.l;
    pb_lines *ls = &g_fx.ls;
    assert_int_equal(total_fit(l, 100, ls), PB_OK);
    assert_int_equal(ls->n, 0);
    assert_int_equal(pb_linebreak_greedy(l, 100, ls), PB_OK);
    assert_int_equal(ls->n, 0);
    pb_linebreak_free(ls);
}

/* \adjdemerits: a tight line (r < -0.5) followed by a loose one (0.5 < r <= 1) costs 10000
 * more. Here, at a measure of 78, the best breaks are 5 | 13 | 21 | end with lines of ratio
 * 0.33, -1.00, -0.83, 0: without the adjacency demerits 5 | 13 | 19 | end (0.33, -1.00, 0.92)
 * would win (found by a search over random lists; glue stretch/shrink as listed). */
static void test_adjacent_fitness(void **state)
{
    (void)state;
    pb_nodes *l = &g_fx.l;
    static const double boxes[] = {34, 17, 20, 14, 28, 14, 19, 13, 22, 26, 12, 30, 22};
    static const double st[] = {1, 2, 5, 4, 3, 6, 3, 6, 6, 3, 2, 5};
    static const double sh[] = {2, 1, 2, 2, 2, 1, 2, 2, 1, 1, 2, 2};
    for (size_t i = 0; i < sizeof boxes / sizeof boxes[0]; i++) {
        if (i)
            glue_c(l, PB_GLUE_WORD, 3, st[i - 1], sh[i - 1]);
        box(l, boxes[i]);
    }
    par_end(l);
    pb_lines *ls = &g_fx.ls;
    assert_int_equal(total_fit(l, 78, ls), PB_OK);
    check_cover(l, ls);
    assert_int_equal(ls->n, 4);
    assert_int_equal(ls->v[0].n1, 5);
    assert_int_equal(ls->v[1].n1, 13);
    assert_int_equal(ls->v[2].n1, 21);
    assert_near(ls->v[2].ratio, -5.0 / 6.0, 1e-6);
}

/* \doublehyphendemerits: two hyphenated lines in a row cost 10000 more. At a measure of 80 the
 * breaks 9 | 19 | end (the first at a hyphen, the second not) win over 7 | 17 | end, two
 * hyphens in a row, which would win without them. */
static void test_double_hyphen(void **state)
{
    (void)state;
    pb_nodes *l = &g_fx.l;
    static const double boxes[] = {22, 11, 23, 13, 7, 16, 21, 9, 17, 8, 15};
    static const int hyph[] = {1, 0, 0, 1, 0, 0, 1, 0, 1, 1}; /* before boxes[i + 1] */
    for (size_t i = 0; i < sizeof boxes / sizeof boxes[0]; i++) {
        if (i && hyph[i - 1])
            penalty(l, 50, 1, 3);
        else if (i)
            glue(l);
        box(l, boxes[i]);
    }
    par_end(l);
    pb_lines *ls = &g_fx.ls;
    assert_int_equal(total_fit(l, 80, ls), PB_OK);
    check_cover(l, ls);
    assert_int_equal(ls->n, 3);
    assert_int_equal(ls->v[0].n1, 9);
    assert_int_equal(ls->v[1].n1, 19);
    assert_true(!l->v[ls->v[0].n1].flagged || !l->v[ls->v[1].n1].flagged);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_adjacent_fitness, teardown),
        cmocka_unit_test_teardown(test_double_hyphen, teardown),
        cmocka_unit_test_teardown(test_short_last_word_avoided, teardown),
        cmocka_unit_test_teardown(test_total_fit_known_optimum, teardown),
        cmocka_unit_test_teardown(test_total_fit_exact_lines, teardown),
        cmocka_unit_test_teardown(test_box_stretch_and_shrink, teardown),
        cmocka_unit_test_teardown(test_greedy_classic_loose_line, teardown),
        cmocka_unit_test_teardown(test_total_fit_beats_greedy, teardown),
        cmocka_unit_test_teardown(test_overfull_box_no_failure, teardown),
        cmocka_unit_test_teardown(test_greedy_wide_box_stands_alone, teardown),
        cmocka_unit_test_teardown(test_total_fit_wide_box_stands_alone, teardown),
        cmocka_unit_test_teardown(test_inf_penalty_never_chosen, teardown),
        cmocka_unit_test_teardown(test_inf_penalty_between_boxes, teardown),
        cmocka_unit_test_teardown(test_last_resort_only_when_wider, teardown),
        cmocka_unit_test_teardown(test_forced_break_greedy, teardown),
        cmocka_unit_test_teardown(test_forced_break_total_fit, teardown),
        cmocka_unit_test_teardown(test_no_triple_hyphen, teardown),
        cmocka_unit_test_teardown(test_triple_hyphen_last_resort, teardown),
        cmocka_unit_test_teardown(test_triple_hyphen_priced, teardown),
        cmocka_unit_test_teardown(test_ragged_no_hyphens, teardown),
        cmocka_unit_test_teardown(test_ragged_tie_last_pass, teardown),
        cmocka_unit_test_teardown(test_ragged_hyphen_last_resort, teardown),
        cmocka_unit_test_teardown(test_short_tail_only_before_loose, teardown),
        cmocka_unit_test_teardown(test_lone_ideograph_avoided, teardown),
        cmocka_unit_test_teardown(test_lone_ideograph_with_mark_avoided, teardown),
        cmocka_unit_test_teardown(test_lone_ideograph_unavoidable, teardown),
        cmocka_unit_test_teardown(test_shrink_to_measure_fits, teardown),
        cmocka_unit_test_teardown(test_random_coverage, teardown),
        cmocka_unit_test_teardown(test_greedy_takes_most, teardown),
        cmocka_unit_test_teardown(test_empty_list, teardown),
        cmocka_unit_test_teardown(test_ragged_text_filled, teardown),
        cmocka_unit_test_teardown(test_ragged_text_hyphen_sparingly, teardown),
        cmocka_unit_test_teardown(test_ragged_text_compound_sparingly, teardown),
        cmocka_unit_test_teardown(test_ragged_text_tie, teardown),
        cmocka_unit_test_teardown(test_ragged_text_address, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
