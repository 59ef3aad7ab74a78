/* Unit tests for src/tags.c: structure elements and marked content from hand-made pages (no
 * fonts: the tagger reads only the lines, their blocks and the glyphs' flags and text). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "tags.h"

static pb_tags g_tags;

static int teardown(void **state)
{
    (void)state;
    pb_tags_free(&g_tags);
    return 0;
}

/* A block of text t (ASCII or Han as code points) in language lang. */
static pb_block block(pb_block_kind kind, pb_lang lang, int pair, int level, uint32_t *t,
                      size_t n)
{
    pb_block b;
    memset(&b, 0, sizeof b);
    b.kind = kind;
    b.lang = lang;
    b.pair = pair;
    b.level = level;
    b.text = t;
    b.len = n;
    return b;
}

/* One glyph per code point of blk[from, to), then the line. */
static void put_line(pb_page *p, const pb_block *blk, size_t from, size_t to, float y)
{
    size_t g0 = p->n;
    for (size_t i = from; i < to; i++) {
        pb_gpos g;
        memset(&g, 0, sizeof g);
        g.size = 10;
        g.x = (float)(10 * (i - from));
        g.y = y;
        g.text = blk->text + i;
        g.ntext = 1;
        g.hscale = 1;
        p->g[p->n++] = g;
    }
    p->lines[p->n_lines++] = (pb_pline){g0, p->n, 0, y, 0, 0, blk, 0, 0};
}

/* The types of e's element kids, as "P,H1,..." */
static void kid_types(const pb_tags *t, uint32_t e, char *out, size_t cap)
{
    out[0] = 0;
    for (uint32_t k = t->elems[e].kid0; k != PB_TAG_NONE; k = t->kids[k].next)
        if (t->kids[k].kind == PB_TAG_KID_ELEM) {
            if (out[0])
                strncat(out, ",", cap - strlen(out) - 1);
            strncat(out, pb_tags_name(t->elems[t->kids[k].id].type), cap - strlen(out) - 1);
        }
}

static uint32_t kid_elem(const pb_tags *t, uint32_t e, int nth)
{
    for (uint32_t k = t->elems[e].kid0; k != PB_TAG_NONE; k = t->kids[k].next)
        if (t->kids[k].kind == PB_TAG_KID_ELEM && nth-- == 0)
            return t->kids[k].id;
    return PB_TAG_NONE;
}

static pb_gpos glyphs[64];
static pb_pline lines[16];

/* Title pair, a heading pair, a paragraph pair: Document holds H1 H1 Sect(H1 H1 P P), each
 * block element in its language, the heading pair and paragraphs in reading order. */
static void test_sections(void **state)
{
    (void)state;
    uint32_t tz[] = {0x8A2D}, te[] = {'T'}, hz[] = {0x4E00}, he[] = {'I'},
             pz[] = {0x4E2D, 0x6587}, pe[] = {'a', 'b'};
    pb_block b[6] = {block(PB_BLOCK_TITLE, PB_LANG_ZH, 0, 0, tz, 1),
                     block(PB_BLOCK_TITLE, PB_LANG_EN, 0, 0, te, 1),
                     block(PB_BLOCK_HEADING, PB_LANG_ZH, 1, 1, hz, 1),
                     block(PB_BLOCK_HEADING, PB_LANG_EN, 1, 1, he, 1),
                     block(PB_BLOCK_PARA, PB_LANG_ZH, 2, 0, pz, 2),
                     block(PB_BLOCK_PARA, PB_LANG_EN, 2, 0, pe, 2)};
    pb_page page;
    memset(&page, 0, sizeof page);
    page.g = glyphs;
    page.lines = lines;
    for (int k = 0; k < 6; k++)
        put_line(&page, &b[k], 0, b[k].len, (float)(500 - 20 * k));
    /* a folio: no block, an artifact */
    page.g[page.n] = (pb_gpos){.size = 8, .text = te, .ntext = 1, .artifact = 1, .hscale = 1};
    page.lines[page.n_lines++] = (pb_pline){page.n, page.n + 1, 0, 20, 0, 0, NULL, 0, 0};
    page.n++;
    pb_pages pages = {.pages = &page, .n = 1};
    assert_int_equal(pb_tags_build(&pages, &g_tags), PB_OK);
    char types[128];
    kid_types(&g_tags, 0, types, sizeof types);
    assert_string_equal(types, "H1,H1,Sect");
    uint32_t sect = kid_elem(&g_tags, 0, 2);
    kid_types(&g_tags, sect, types, sizeof types);
    assert_string_equal(types, "H1,H1,P,P");
    assert_int_equal(g_tags.elems[kid_elem(&g_tags, sect, 0)].lang, PB_LANG_ZH);
    assert_int_equal(g_tags.elems[kid_elem(&g_tags, sect, 3)].lang, PB_LANG_EN);
    /* one sequence per block (its glyphs in a row), the folio an artifact */
    const pb_tag_page *tp = &g_tags.pages[0];
    assert_int_equal(tp->n_mcid, 6);
    assert_int_equal(tp->mcid[4], tp->mcid[5]); /* the two glyphs of the Chinese paragraph */
    assert_int_equal(tp->owner[tp->mcid[4]], kid_elem(&g_tags, sect, 2));
    assert_int_equal(tp->mcid[page.n - 1], PB_TAG_NONE);
}

/* Emphasis, strong, a link and a ruby annotation open their inline elements inside the
 * paragraph: P(Em(...), Link(...), Ruby(RB, RT)); the RT holds the ruby glyphs and the pinyin. */
static void test_inline(void **state)
{
    (void)state;
    uint32_t t[] = {0x4E2D, 0x6587, 0x570B, 'x', 'y'}, pin[] = {'g', 'u', 'o'};
    uint8_t marks[] = {PB_MARK_EMPH, 0, 0, PB_MARK_LINK, PB_MARK_LINK};
    pb_link link = {3, 5, (char *)"https://example.org"};
    pb_annot an = {2, pin, 3, 1, 1};
    pb_block b = block(PB_BLOCK_INTRO, PB_LANG_ZH, 1, 0, t, 5);
    b.marks = marks;
    b.links = &link;
    b.n_links = 1;
    b.annots = &an;
    b.n_annots = 1;
    pb_page page;
    memset(&page, 0, sizeof page);
    page.g = glyphs;
    page.lines = lines;
    put_line(&page, &b, 0, 5, 400);
    page.g[3].link = page.g[4].link = &link;
    /* the ruby glyphs of the annotation, after the line's text as the composer puts them */
    for (int k = 0; k < 3; k++) {
        page.g[page.n] = (pb_gpos){.size = 5, .text = pin + k, .ntext = 1, .ruby = 1,
                                   .ruby_first = k == 0, .hscale = 1, .y = 410};
        page.n++;
    }
    page.lines[0].g1 = page.n;
    pb_pages pages = {.pages = &page, .n = 1};
    assert_int_equal(pb_tags_build(&pages, &g_tags), PB_OK);
    uint32_t sect = kid_elem(&g_tags, 0, 0), p = kid_elem(&g_tags, sect, 0);
    assert_int_equal(g_tags.elems[p].type, PB_TAG_P);
    char types[128];
    kid_types(&g_tags, p, types, sizeof types);
    assert_string_equal(types, "Em,Ruby,Link");
    uint32_t ruby = kid_elem(&g_tags, p, 1);
    kid_types(&g_tags, ruby, types, sizeof types);
    assert_string_equal(types, "RB,RT");
    uint32_t rb = kid_elem(&g_tags, ruby, 0), rt = kid_elem(&g_tags, ruby, 1);
    const pb_tag_page *tp = &g_tags.pages[0];
    assert_int_equal(tp->owner[tp->mcid[2]], rb);     /* the base 國 */
    assert_int_equal(tp->owner[tp->mcid[5]], rt);     /* the ruby glyphs: one sequence */
    assert_int_equal(tp->mcid[5], tp->mcid[7]);
    assert_int_equal(g_tags.elems[rt].alt_len, 3);
    assert_ptr_equal(g_tags.elems[rt].alt, pin);
    assert_int_equal(tp->owner[tp->mcid[1]], p);      /* plain text: the P itself */
    uint32_t key, elem;
    assert_int_equal(pb_tags_add_annot(&g_tags, 0, 3, &key, &elem), PB_OK);
    assert_int_equal(elem, kid_elem(&g_tags, p, 2));
    assert_int_equal(key, 1); /* after the one page */
    assert_int_not_equal(pb_tags_add_annot(&g_tags, 0, 1, &key, &elem), PB_OK); /* no link */
}

/* Two list items in a row make one L; each LI holds its bullet (a label line) as Lbl, then its
 * text as LBody. */
static void test_list(void **state)
{
    (void)state;
    uint32_t a[] = {0x4E00}, c[] = {'a'}, bullet[] = {0x2022};
    pb_block b[2] = {block(PB_BLOCK_PARA, PB_LANG_ZH, 3, 0, a, 1),
                     block(PB_BLOCK_PARA, PB_LANG_EN, 3, 0, c, 1)};
    b[0].flags = b[1].flags = PB_BLOCK_LIST;
    pb_page page;
    memset(&page, 0, sizeof page);
    page.g = glyphs;
    page.lines = lines;
    for (int k = 0; k < 2; k++) {
        put_line(&page, &b[k], 0, 1, (float)(300 - 20 * k));
        page.g[page.n] = (pb_gpos){.size = 10, .text = bullet, .ntext = 1, .artifact = 2,
                                   .hscale = 1, .y = (float)(300 - 20 * k)};
        page.lines[page.n_lines++] = (pb_pline){page.n, page.n + 1, 0, 0, 0, 0, &b[k], 1, 0};
        page.n++;
    }
    pb_pages pages = {.pages = &page, .n = 1};
    assert_int_equal(pb_tags_build(&pages, &g_tags), PB_OK);
    uint32_t sect = kid_elem(&g_tags, 0, 0), l = kid_elem(&g_tags, sect, 0);
    char types[128];
    kid_types(&g_tags, l, types, sizeof types);
    assert_string_equal(types, "LI,LI");
    uint32_t li = kid_elem(&g_tags, l, 1);
    kid_types(&g_tags, li, types, sizeof types);
    assert_string_equal(types, "Lbl,LBody");
    assert_int_equal(g_tags.elems[li].lang, PB_LANG_EN);
    const pb_tag_page *tp = &g_tags.pages[0];
    assert_int_equal(tp->owner[tp->mcid[3]], kid_elem(&g_tags, li, 0)); /* the bullet */
    assert_ptr_equal(g_tags.elems[kid_elem(&g_tags, li, 0)].alt, bullet);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_sections, teardown),
        cmocka_unit_test_teardown(test_inline, teardown),
        cmocka_unit_test_teardown(test_list, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
