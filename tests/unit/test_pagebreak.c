/* Unit tests for src/pagebreak.c: the page breaker over vertical lists built by hand (no fonts).
 *
 * Unless a test says otherwise, every line is a box of 10 pt (height 7, depth 3) and a page holds
 * 40 pt: four lines. A paragraph's lines are separated by penalties that cost what galley.c
 * charges (a widow or an orphan PB_VCOST_WIDOW, a word across the turn PB_VCOST_BROKEN); blocks
 * by a free penalty and glue. The fill cost (an empty page) is 10000 (u/H)^2 (vlist.h
 * PB_VCOST_PAGE_FILL), as pagebuild.c's, each page's own: pages are filled in order, the rules
 * that do not yield looked ahead. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "pagebreak.h"
#include "pagebuild.h"
#include "vlist.h"

#define LINE_H 7.0
#define LINE_D 3.0
#define PAGE 40.0
#define FILL PB_VCOST_PAGE_FILL
#define SPREAD PB_VCOST_EMPTY(0.125) /* pagebuild.c SPREAD_COST */

static void box(pb_vlist *l)
{
    pb_vitem it = {0};
    it.kind = PB_V_BOX;
    it.height = LINE_H, it.depth = LINE_D;
    assert_int_equal(pb_vlist_push(l, &it), PB_OK);
}

static void pen(pb_vlist *l, double cost, uint8_t flags)
{
    pb_vitem it = {0};
    it.kind = PB_V_PENALTY;
    it.cost = cost;
    it.flags = flags;
    assert_int_equal(pb_vlist_push(l, &it), PB_OK);
}

static void glue(pb_vlist *l, double h)
{
    pb_vitem it = {0};
    it.kind = PB_V_GLUE;
    it.height = h;
    assert_int_equal(pb_vlist_push(l, &it), PB_OK);
}

/* n one-line blocks, a free break before each (but at the list's start). */
static void free_lines(pb_vlist *l, int n)
{
    for (int i = 0; i < n; i++) {
        if (l->n)
            pen(l, 0, 0);
        box(l);
    }
}

/* A paragraph of n lines with the widow/orphan costs (and a hyphen after line `hyph`, 1-based;
 * 0: none); flags on its inner penalties. */
static void para(pb_vlist *l, size_t n, size_t hyph, uint8_t flags)
{
    for (size_t i = 0; i < n; i++) {
        if (i > 0) {
            double c = (i < 2 || n - i < 2) ? PB_VCOST_WIDOW : 0;
            if (hyph == i)
                c += PB_VCOST_BROKEN;
            pen(l, c, flags);
        }
        box(l);
    }
}

/* Lines on each page of the breaks (boxes counted). */
static void lines_per_page(const pb_vlist *l, const size_t *br, size_t np, size_t *out)
{
    size_t s = 0;
    for (size_t k = 0; k < np; k++) {
        out[k] = 0;
        for (size_t i = s; i < br[k]; i++)
            out[k] += l->v[i].kind == PB_V_BOX;
        s = br[k] + 1;
    }
}

static int fewest_pages; /* pb_pagebreak_params.fewest for run_h() */
static double last_extra; /* pb_pagebreak_params.last_extra for run_h() */
static int last_shrink;   /* pb_pagebreak_params.last_shrink for run_h() */

static void run_h(const pb_vlist *l, double page, int first_verso, size_t want_pages,
                  const size_t *want)
{
    pb_pagebreak_params p = {.height = page, .fill_cost = FILL, .spread_cost = SPREAD,
                             .first_verso = first_verso, .fewest = fewest_pages,
                             .last_extra = last_extra, .last_shrink = last_shrink};
    size_t *br = NULL, np = 0;
    assert_int_equal(pb_pagebreak(l, &p, &br, &np), PB_OK);
    size_t got[64];
    lines_per_page(l, br, np, got);
    if (np != want_pages || memcmp(got, want, np * sizeof *got) != 0) {
        print_error("pages:");
        for (size_t k = 0; k < np; k++)
            print_error(" %zu", got[k]);
        print_error("\n");
    }
    assert_int_equal(np, want_pages);
    assert_memory_equal(got, want, np * sizeof *got);
    free(br);
}

static void run(const pb_vlist *l, int first_verso, size_t want_pages, const size_t *want)
{
    run_h(l, PAGE, first_verso, want_pages, want);
}

/* Free breaks: four lines a page. */
static void test_fills_pages(void **state)
{
    (void)state;
    pb_vlist l = {0};
    free_lines(&l, 10);
    run(&l, 0, 3, (size_t[]){4, 4, 2});
    pb_vlist_fini(&l);
}

/* Pages of 8 lines: 7 one-line blocks, a short pair (a line, a break costing
 * PB_VCOST_PAIR_SHORT, a line), 7 more. Each page as full as its own costs let it be keeps the
 * pair whole (a line short costs 156, less than 400): 7, 8, 1. With fewest (a saddle-stitched
 * booklet whose last page costs a sheet) the pair parts and the text takes two pages: 8, 8. */
static void test_fewest(void **state)
{
    (void)state;
    pb_vlist l = {0};
    free_lines(&l, 8);
    pen(&l, PB_VCOST_PAIR_SHORT, 0);
    box(&l);
    free_lines(&l, 7);
    run_h(&l, 8 * (LINE_H + LINE_D), 0, 3, (size_t[]){7, 8, 1});
    fewest_pages = 1;
    run_h(&l, 8 * (LINE_H + LINE_D), 0, 2, (size_t[]){8, 8});
    fewest_pages = 0;
    pb_vlist_fini(&l);
}

/* A paragraph of 5 lines: 4 + 1 leaves a widow, 1 + 4 an orphan: 3 + 2. */
static void test_widow(void **state)
{
    (void)state;
    pb_vlist l = {0};
    para(&l, 5, 0, 0);
    run(&l, 0, 2, (size_t[]){3, 2});
    pb_vlist_fini(&l);
}

/* 3 lines, then a paragraph of 5: its first line alone at the foot of page 1 would be an
 * orphan, 4 + 1 a widow: 3 | 3 | 2. */
static void test_orphan(void **state)
{
    (void)state;
    pb_vlist l = {0};
    para(&l, 3, 0, 0);
    pen(&l, 0, 0);
    para(&l, 5, 0, 0);
    run(&l, 0, 3, (size_t[]){3, 3, 2});
    pb_vlist_fini(&l);
}

/* A heading (a box whose next penalty is forbidden: it keeps the first line of what follows,
 * the widow rule the second) would end page 1 after 3 lines; it moves with two lines of its
 * paragraph: 3 | 3 | 2 (without the keep: 4 | 4). */
static void test_heading_keep(void **state)
{
    (void)state;
    pb_vlist l = {0};
    para(&l, 3, 0, 0);
    pen(&l, 0, 0);
    box(&l); /* the heading */
    pen(&l, PB_VCOST_FORBIDDEN, 0);
    para(&l, 4, 0, 0);
    run(&l, 0, 3, (size_t[]){3, 3, 2});
    pb_vlist_fini(&l);
}

/* 6 lines, the 4th hyphenated: 4 + 2 would take a word across the turn; 3 + 3 does not. */
static void test_hyphen_at_turn(void **state)
{
    (void)state;
    pb_vlist l = {0};
    para(&l, 6, 4, 0);
    run(&l, 0, 2, (size_t[]){3, 3});
    pb_vlist_fini(&l);
}

/* The same-spread rule, on pages of 10 lines: 9 lines, then a pair of a 1-line Chinese
 * paragraph and a 4-line English one. Ending page 1 after the Chinese line fills it (0) but
 * splits the pair; on a recto that is a spread turn (SPREAD = 156), so the pair moves (a page
 * one line short costs 10000 (1/10)^2 = 100): 9 | 5. On a verso the split stays within the
 * spread: 10 | 4. Without the rule both would be 10 | 4. */
static void test_same_spread(void **state)
{
    (void)state;
    pb_vlist l = {0};
    para(&l, 9, 0, 0);
    pen(&l, 0, 0);
    box(&l); /* the pair's Chinese line */
    pen(&l, 0, PB_VF_PAIR);
    para(&l, 4, 0, PB_VF_PAIR);
    run_h(&l, 10 * (LINE_H + LINE_D), 0, 2, (size_t[]){9, 5});
    run_h(&l, 10 * (LINE_H + LINE_D), 1, 2, (size_t[]){10, 4});
    pb_vlist_fini(&l);
}

/* A short pair is priced as a fifth of a page left empty (PB_VCOST_PAIR_SHORT = 400), on
 * pages of 10 lines: after 9 lines a 1 + 1 line pair moves whole (the page a tenth empty costs
 * 100): 9 | 2; after 7 lines a 2 + 3 line pair splits (its Chinese fills the page to 9 lines:
 * 100 + 400, where moving it leaves three tenths empty: 900): 9 | 3. */
static void test_short_pair(void **state)
{
    (void)state;
    pb_vlist l = {0};
    para(&l, 9, 0, 0);
    pen(&l, 0, 0);
    box(&l);
    pen(&l, PB_VCOST_PAIR_SHORT, 0);
    box(&l);
    run_h(&l, 10 * (LINE_H + LINE_D), 1, 2, (size_t[]){9, 2});
    pb_vlist_fini(&l);
    memset(&l, 0, sizeof l);
    para(&l, 7, 0, 0);
    pen(&l, 0, 0);
    para(&l, 2, 0, 0);
    pen(&l, PB_VCOST_PAIR_SHORT, 0);
    para(&l, 3, 0, 0);
    run_h(&l, 10 * (LINE_H + LINE_D), 1, 2, (size_t[]){9, 3});
    pb_vlist_fini(&l);
}

/* Two paragraphs of 5 lines on pages of 4: 4 + 1 would leave a widow, so the first splits
 * 3 | 2, the second 2 | 3: pages of 3, 4 and 3 lines. */
static void test_total_fit(void **state)
{
    (void)state;
    pb_vlist l = {0};
    para(&l, 5, 0, 0);
    pen(&l, 0, 0);
    para(&l, 5, 0, 0);
    run(&l, 0, 3, (size_t[]){3, 4, 3});
    pb_vlist_fini(&l);
}

/* A block kept whole (a {keep} pair: every break inside it PB_VCOST_KEEP) after a paragraph of
 * 15 lines, on pages of 10: the block does not fit under the paragraph's last lines, so its room
 * is left on the page right before it: 10 | 5 | 8, page 1 full as it is without the block. A
 * total fit of the squares spread it over both pages (8 | 7 | 8: 2^2 + 3^2 < 5^2). */
static void test_kept_later(void **state)
{
    (void)state;
    pb_vlist l = {0};
    para(&l, 15, 0, 0);
    pen(&l, 0, 0);
    for (int i = 0; i < 8; i++) {
        if (i)
            pen(&l, PB_VCOST_KEEP, 0);
        box(&l);
    }
    run_h(&l, 10 * (LINE_H + LINE_D), 0, 3, (size_t[]){10, 5, 8});
    pb_vlist_fini(&l);
}

/* A box taller than the page stands alone on its page. */
static void test_oversized_box(void **state)
{
    (void)state;
    pb_vlist l = {0};
    box(&l);
    pen(&l, 0, 0);
    pb_vitem big = {0};
    big.kind = PB_V_BOX;
    big.height = 100;
    assert_int_equal(pb_vlist_push(&l, &big), PB_OK);
    pen(&l, 0, 0);
    box(&l);
    run(&l, 0, 3, (size_t[]){1, 1, 1});
    pb_vlist_fini(&l);
}

/* Glue at the top of a page is dropped: a 30-pt glue after a full page does not push the next
 * page's lines down (four still fit). */
static void test_glue_dropped_at_top(void **state)
{
    (void)state;
    pb_vlist l = {0};
    para(&l, 4, 0, 0);
    pen(&l, 0, 0);
    glue(&l, 30);
    para(&l, 4, 0, 0);
    run(&l, 0, 2, (size_t[]){4, 4});
    assert_int_equal(pb_pagebreak_page_start(&l, 8), 9); /* the penalty (7), glue (8), box (9) */
    pb_vlist_fini(&l);
}

/* The last page's extra room (pagebuild.c: how many lines less would save a sheet): 3 lines,
 * then a line kept with a 3-line paragraph (a heading's forbidden break; the paragraph's inner
 * breaks leave a widow): page 1 ends short, the 4 kept lines on page 2. A last page 3 lines
 * longer takes all 7 lines: the search goes past the breaks a page of the normal room cannot
 * reach to the list's end. Two lines longer, or 2.9, do not. */
static void test_last_extra(void **state)
{
    (void)state;
    pb_vlist l = {0};
    free_lines(&l, 3);
    pen(&l, 0, 0);
    box(&l);
    pen(&l, PB_VCOST_FORBIDDEN, 0);
    para(&l, 3, 0, 0);
    fewest_pages = 1;
    run(&l, 0, 2, (size_t[]){3, 4});
    last_extra = 2 * (LINE_H + LINE_D);
    run(&l, 0, 2, (size_t[]){3, 4});
    last_extra = 2.9 * (LINE_H + LINE_D);
    run(&l, 0, 2, (size_t[]){3, 4});
    last_extra = 3 * (LINE_H + LINE_D);
    run(&l, 0, 1, (size_t[]){7});
    last_extra = 0;
    fewest_pages = 0;
    pb_vlist_fini(&l);
}

/* A last page whose glue may give (a leaflet at its least size): 3 lines, then 6 pt of glue
 * that may shrink by 2 pt and a fourth line, on a page of 44 pt: 46 pt, 2 pt over, takes two
 * pages, and one with the last page's shrink; 4 pt over (a page of 42 pt) still two. */
static void test_last_shrink(void **state)
{
    (void)state;
    pb_vlist l = {0};
    free_lines(&l, 3);
    pen(&l, 0, 0);
    glue(&l, 6);
    l.v[l.n - 1].shrink = 2;
    box(&l);
    run_h(&l, PAGE + 4, 0, 2, (size_t[]){3, 1});
    last_shrink = 1;
    run_h(&l, PAGE + 4, 0, 1, (size_t[]){4});
    run_h(&l, PAGE + 2, 0, 2, (size_t[]){3, 1});
    last_shrink = 0;
    pb_vlist_fini(&l);
}

/* Nothing in the list: one empty page. */
static void test_empty(void **state)
{
    (void)state;
    pb_vlist l = {0};
    pb_pagebreak_params p = {.height = PAGE, .fill_cost = FILL, .spread_cost = SPREAD};
    size_t *br = NULL, np = 0;
    assert_int_equal(pb_pagebreak(&l, &p, &br, &np), PB_OK);
    assert_int_equal(np, 1);
    assert_int_equal(br[0], 0);
    free(br);
}

/* A leaflet over its page: the warning's figure, or, where the text is no taller than its page
 * and only what may not be split carried it over, that (review 8 B1: "0.0 line(s) too long"). */
static void test_over_text(void **state)
{
    (void)state;
    pb_layout lay;
    pb_layout_defaults(&lay);
    pb_pages p = {0};
    char buf[PB_PAGEBUILD_OVER_MAX];
    p.over_lines = 2.4;
    p.over = 2.4 * lay.leading;
    p.last_fill = 0.2;
    pb_pagebuild_over_text(&p, &lay, buf, sizeof buf);
    assert_non_null(strstr(buf, "its text 2.4 line(s) ("));
    p.over_lines = 0.01;
    p.over = 0.01 * lay.leading;
    p.last_fill = 0.09;
    pb_pagebuild_over_text(&p, &lay, buf, sizeof buf);
    assert_null(strstr(buf, "0.0 line"));
    assert_non_null(strstr(buf, "no taller than its page(s), but what must stay together"));
    assert_non_null(strstr(buf, "its last page 9% full"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_over_text),
        cmocka_unit_test(test_fills_pages),     cmocka_unit_test(test_fewest),
        cmocka_unit_test(test_widow),
        cmocka_unit_test(test_orphan),          cmocka_unit_test(test_heading_keep),
        cmocka_unit_test(test_hyphen_at_turn),  cmocka_unit_test(test_same_spread),
        cmocka_unit_test(test_short_pair),      cmocka_unit_test(test_kept_later),
        cmocka_unit_test(test_total_fit),       cmocka_unit_test(test_oversized_box),
        cmocka_unit_test(test_glue_dropped_at_top), cmocka_unit_test(test_empty),
        cmocka_unit_test(test_last_extra),      cmocka_unit_test(test_last_shrink),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
