/* Unit tests for src/fonts.c: role fonts through fontconfig (Noto Serif CJK TC, Noto Serif must
 * be installed), coverage, the cmap reverse and hb-subset. Run from the repository root. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_CID_H
#include FT_OUTLINE_H
#include FT_TRUETYPE_TABLES_H
#include <hb.h>

#include "diag.h"
#include "fonts.h"
#include "layout.h"

#define GUO 0x570Bu /* 國 */
#define PUA 0xE000u /* private use: no font has it */

/* ---- helpers ------------------------------------------------------------------------------ */

typedef struct {
    char *buf;
    size_t len;
    FILE *f;
} capture;

static void capture_begin(capture *c)
{
    c->buf = NULL;
    c->len = 0;
    c->f = open_memstream(&c->buf, &c->len);
    assert_non_null(c->f);
    pb_diag_set_sink(c->f);
    pb_diag_reset();
}

static char *capture_end(capture *c)
{
    pb_diag_set_sink(NULL);
    assert_int_equal(fclose(c->f), 0);
    return c->buf;
}

/* What the running test holds, freed by teardown() even when an assertion fails. */
static pb_fontset *g_set;
static uint8_t *g_data;
static uint16_t *g_map;

static int teardown(void **state)
{
    (void)state;
    pb_diag_set_sink(NULL);
    pb_fonts_free(g_set);
    free(g_data);
    free(g_map);
    g_set = NULL;
    g_data = NULL;
    g_map = NULL;
    return 0;
}

static pb_fontset *open_defaults(void)
{
    pb_layout l;
    pb_layout_defaults(&l);
    pb_fontset *set = NULL;
    capture c;
    capture_begin(&c);
    pb_status st = pb_fonts_new(&l, NULL, &set);
    char *msgs = capture_end(&c);
    assert_string_equal(msgs, "");
    free(msgs);
    assert_int_equal(st, PB_OK);
    assert_non_null(set);
    g_set = set;
    return set;
}

/* First 4 bytes of a file, big-endian. */
static uint32_t file_tag(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    unsigned char b[4];
    assert_int_equal(fread(b, 1, 4, f), 4);
    fclose(f);
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* ---- opening ------------------------------------------------------------------------------ */

static void test_defaults_open_six_faces(void **state)
{
    (void)state;
    pb_fontset *set = open_defaults();
    assert_int_equal(pb_fonts_count(set), 6);
    assert_null(pb_fonts_get_fallback(set));
    pb_font *f[PB_ROLE_COUNT];
    for (int r = 0; r < PB_ROLE_COUNT; r++) {
        f[r] = pb_fonts_get(set, (pb_role)r);
        assert_non_null(f[r]);
        for (int q = 0; q < r; q++)
            assert_ptr_not_equal(f[r], f[q]);
        /* pb_fonts_at lists the distinct fonts in role order */
        assert_ptr_equal(pb_fonts_at(set, (size_t)r), f[r]);
    }
    assert_null(pb_fonts_at(set, 6));

    static const char *const ps[PB_ROLE_COUNT] = {"NotoSerifCJKtc-Regular", "NotoSerifCJKtc-Bold",
                                                  "NotoSerif-Regular", "NotoSerif-Bold",
                                                  "NotoSerif-Italic", "NotoSerif-BoldItalic"};
    pb_font_info in[PB_ROLE_COUNT];
    for (int r = 0; r < PB_ROLE_COUNT; r++) {
        pb_font_get_info(f[r], &in[r]);
        assert_string_equal(in[r].psname, ps[r]);
        assert_int_equal(in[r].bold, r == PB_ROLE_HAN_BOLD || r == PB_ROLE_LATIN_BOLD ||
                                         r == PB_ROLE_LATIN_BOLD_ITALIC);
        assert_int_equal(in[r].is_cff, r == PB_ROLE_HAN || r == PB_ROLE_HAN_BOLD);
        assert_true(in[r].upem > 0);
        assert_int_equal(pb_font_get_upem(f[r]), in[r].upem);
        assert_true(in[r].num_glyphs > 100);
        assert_true(in[r].ascender > 0 && in[r].descender < 0);
        assert_true(in[r].bbox[0] < in[r].bbox[2] && in[r].bbox[1] < in[r].bbox[3]);
        assert_non_null(pb_font_get_hb(f[r]));
    }
    /* six different files or faces */
    for (int r = 0; r < PB_ROLE_COUNT; r++)
        for (int q = 0; q < r; q++)
            assert_true(strcmp(in[r].file, in[q].file) != 0 || in[r].index != in[q].index);
    /* the CJK faces come from an OpenType collection (several faces: the TC one was picked by
     * its name above); Noto Serif is a plain TrueType file */
    assert_int_equal(file_tag(in[PB_ROLE_HAN].file), 0x74746366u);   /* 'ttcf' */
    assert_int_equal(file_tag(in[PB_ROLE_LATIN].file), 0x00010000u); /* TrueType sfnt */
    assert_int_equal(file_tag(in[PB_ROLE_LATIN_BOLD].file), 0x00010000u);
}

/* is_cff agrees with the face's own tables, read here with HarfBuzz. */
static void test_is_cff_matches_tables(void **state)
{
    (void)state;
    pb_fontset *set = open_defaults();
    for (int r = 0; r < PB_ROLE_COUNT; r++) {
        pb_font_info in;
        pb_font_get_info(pb_fonts_get(set, (pb_role)r), &in);
        hb_blob_t *blob = hb_blob_create_from_file(in.file);
        hb_face_t *face = hb_face_create(blob, (unsigned)in.index);
        hb_blob_t *cff = hb_face_reference_table(face, HB_TAG('C', 'F', 'F', ' '));
        hb_blob_t *glyf = hb_face_reference_table(face, HB_TAG('g', 'l', 'y', 'f'));
        assert_int_equal(in.is_cff, hb_blob_get_length(cff) > 0);
        assert_int_equal(!in.is_cff, hb_blob_get_length(glyf) > 0);
        assert_int_equal(in.num_glyphs, hb_face_get_glyph_count(face));
        assert_int_equal(in.upem, hb_face_get_upem(face));
        hb_blob_destroy(glyf);
        hb_blob_destroy(cff);
        hb_face_destroy(face);
        hb_blob_destroy(blob);
    }
}

/* The descriptor's metrics, read from the tables without FreeType, are FreeType's FT_Face
 * values for every face of the five default roles (CFF and TrueType) and of a font with other
 * tables (DejaVu Sans, when installed): fonts.c opens FreeType only for outlines. */
static void expect_freetype_metrics(const pb_font_info *in, const char *file, int index)
{
    FT_Library lib;
    FT_Face ft;
    assert_int_equal(FT_Init_FreeType(&lib), 0);
    assert_int_equal(FT_New_Face(lib, file, index, &ft), 0);
    const char *ps = FT_Get_Postscript_Name(ft);
    assert_string_equal(in->psname, ps ? ps : "Unnamed");
    assert_int_equal(in->ascender, ft->ascender);
    assert_int_equal(in->descender, ft->descender);
    TT_OS2 *os2 = FT_Get_Sfnt_Table(ft, FT_SFNT_OS2);
    assert_int_equal(in->cap_height, os2 && os2->version >= 2 ? os2->sCapHeight : ft->ascender);
    assert_int_equal(in->bbox[0], ft->bbox.xMin);
    assert_int_equal(in->bbox[1], ft->bbox.yMin);
    assert_int_equal(in->bbox[2], ft->bbox.xMax);
    assert_int_equal(in->bbox[3], ft->bbox.yMax);
    TT_Postscript *post = FT_Get_Sfnt_Table(ft, FT_SFNT_POST);
    assert_int_equal(in->italic_angle, post ? (int)(post->italicAngle >> 16) : 0);
    FT_Done_Face(ft);
    FT_Done_FreeType(lib);
}

/* A CFF face's outlines, drawn by HarfBuzz (fonts.c hb_outline), are FreeType's decomposition
 * piece for piece (every 37th glyph of the CJK faces of the default roles). */
typedef struct {
    char *buf;
    size_t len;
    FILE *f;
    int contours;
} ops_text;

static void ops_put(void *u, char kind, const double *p)
{
    ops_text *o = u;
    int n = kind == 'c' ? 6 : kind == 'h' ? 0 : 2;
    fputc(kind, o->f);
    for (int i = 0; i < n; i++)
        fprintf(o->f, " %.17g", p[i]);
    fputc('\n', o->f);
}

static int ft_move(const FT_Vector *to, void *u)
{
    ops_text *o = u;
    if (o->contours++)
        ops_put(o, 'h', NULL);
    double p[2] = {(double)to->x, (double)to->y};
    ops_put(o, 'm', p);
    return 0;
}

static int ft_line(const FT_Vector *to, void *u)
{
    double p[2] = {(double)to->x, (double)to->y};
    ops_put(u, 'l', p);
    return 0;
}

static int ft_cubic(const FT_Vector *a, const FT_Vector *b, const FT_Vector *to, void *u)
{
    double p[6] = {(double)a->x, (double)a->y, (double)b->x, (double)b->y, (double)to->x,
                   (double)to->y};
    ops_put(u, 'c', p);
    return 0;
}

static void test_cff_outlines_are_freetypes(void **state)
{
    (void)state;
    pb_fontset *set = open_defaults();
    size_t compared = 0;
    for (int r = 0; r < PB_ROLE_COUNT; r++) {
        pb_font *font = pb_fonts_get(set, (pb_role)r);
        pb_font_info in;
        pb_font_get_info(font, &in);
        if (!in.is_cff)
            continue;
        FT_Library lib;
        FT_Face ft;
        assert_int_equal(FT_Init_FreeType(&lib), 0);
        assert_int_equal(FT_New_Face(lib, in.file, in.index, &ft), 0);
        static const FT_Outline_Funcs funcs = {ft_move, ft_line, NULL, ft_cubic, 0, 0};
        for (unsigned g = 0; g < in.num_glyphs; g += 37, compared++) {
            ops_text hb = {0}, fr = {0};
            hb.f = open_memstream(&hb.buf, &hb.len);
            fr.f = open_memstream(&fr.buf, &fr.len);
            assert_int_equal(pb_font_outline(font, g, ops_put, &hb), PB_OK);
            assert_int_equal(FT_Load_Glyph(ft, g, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING |
                                                      FT_LOAD_NO_BITMAP), 0);
            assert_int_equal(FT_Outline_Decompose(&ft->glyph->outline, &funcs, &fr), 0);
            if (fr.contours)
                ops_put(&fr, 'h', NULL);
            fclose(hb.f);
            fclose(fr.f);
            if (strcmp(hb.buf, fr.buf) != 0)
                fail_msg("%s glyph %u: HarfBuzz draws\n%s\nFreeType\n%s", in.file, g, hb.buf,
                         fr.buf);
            free(hb.buf);
            free(fr.buf);
        }
        FT_Done_Face(ft);
        FT_Done_FreeType(lib);
    }
    assert_true(compared > 1000); /* the CJK faces are CFF */
    pb_fonts_free(set);
    g_set = NULL;
}

static void test_metrics_are_freetypes(void **state)
{
    (void)state;
    pb_fontset *set = open_defaults();
    for (int r = 0; r < PB_ROLE_COUNT; r++) {
        pb_font_info in;
        pb_font_get_info(pb_fonts_get(set, (pb_role)r), &in);
        expect_freetype_metrics(&in, in.file, in.index);
    }
    pb_fonts_free(set);
    g_set = NULL;
    pb_layout l;
    pb_layout_defaults(&l);
    snprintf(l.family[PB_ROLE_LATIN], sizeof l.family[PB_ROLE_LATIN], "DejaVu Sans");
    snprintf(l.family[PB_ROLE_LATIN_BOLD], sizeof l.family[PB_ROLE_LATIN_BOLD], "DejaVu Sans");
    snprintf(l.family[PB_ROLE_LATIN_ITALIC], sizeof l.family[PB_ROLE_LATIN_ITALIC],
             "DejaVu Sans");
    capture c;
    capture_begin(&c);
    pb_status st = pb_fonts_new(&l, NULL, &g_set);
    free(capture_end(&c));
    if (st != PB_OK)
        return; /* DejaVu not installed: the default faces above were compared */
    for (int r = PB_ROLE_LATIN; r < PB_ROLE_COUNT; r++) {
        pb_font_info in;
        pb_font_get_info(pb_fonts_get(g_set, (pb_role)r), &in);
        expect_freetype_metrics(&in, in.file, in.index);
    }
}

static void test_coverage(void **state)
{
    (void)state;
    pb_fontset *set = open_defaults();
    pb_font *han = pb_fonts_get(set, PB_ROLE_HAN);
    pb_font *lat = pb_fonts_get(set, PB_ROLE_LATIN);
    assert_true(pb_font_covers(han, GUO));
    assert_int_not_equal(pb_font_get_glyph(han, GUO), 0);
    assert_false(pb_font_covers(han, PUA));
    assert_int_equal(pb_font_get_glyph(han, PUA), 0);
    assert_true(pb_font_covers(pb_fonts_get(set, PB_ROLE_HAN_BOLD), GUO));
    /* Noto Serif has Latin, not ideographs */
    assert_true(pb_font_covers(lat, 'A'));
    assert_true(pb_font_covers(lat, 0x00E9)); /* é */
    assert_false(pb_font_covers(lat, GUO));
    assert_false(pb_font_covers(lat, PUA));
    /* an ideograph is one em wide; different characters have different glyphs */
    unsigned upem = pb_font_get_upem(han);
    assert_int_equal(pb_font_get_advance(han, pb_font_get_glyph(han, GUO)), (int32_t)upem);
    assert_int_not_equal(pb_font_get_glyph(han, GUO), pb_font_get_glyph(han, 0x4EBA));
    assert_int_not_equal(pb_font_get_glyph(lat, 'A'), pb_font_get_glyph(lat, 'B'));
    /* 'i' is narrower than 'm' in a proportional face */
    assert_true(pb_font_get_advance(lat, pb_font_get_glyph(lat, 'i')) <
                pb_font_get_advance(lat, pb_font_get_glyph(lat, 'm')));
    /* ink: inside the em for an ideograph, none for the space */
    int32_t x0 = -1, x1 = -1;
    pb_font_get_ink(han, pb_font_get_glyph(han, GUO), &x0, &x1);
    assert_true(0 <= x0 && x0 < x1 && x1 <= (int32_t)upem);
    pb_font_get_ink(lat, pb_font_get_glyph(lat, ' '), &x0, &x1);
    assert_int_equal(x0, 0);
    assert_int_equal(x1, 0);
    /* 'm' is inked wider than 'l' */
    int32_t l0, l1, m0, m1;
    pb_font_get_ink(lat, pb_font_get_glyph(lat, 'l'), &l0, &l1);
    pb_font_get_ink(lat, pb_font_get_glyph(lat, 'm'), &m0, &m1);
    assert_true(l1 - l0 > 0 && m1 - m0 > l1 - l0);
}

static void check_missing(pb_role role, const char *role_name)
{
    pb_layout l;
    pb_layout_defaults(&l);
    snprintf(l.family[role], sizeof l.family[role], "%s", "Paiban Missing Family");
    pb_fontset *set = (pb_fontset *)&l; /* must be reset */
    capture c;
    capture_begin(&c);
    pb_status st = pb_fonts_new(&l, NULL, &set);
    char *msgs = capture_end(&c);
    assert_int_equal(st, PB_ESYSTEM);
    assert_null(set);
    assert_non_null(strstr(msgs, "Paiban Missing Family"));
    char want[64];
    snprintf(want, sizeof want, "role %s, the built-in default)", role_name);
    if (!strstr(msgs, want))
        print_error("message '%s' does not name the role (%s)\n", msgs, want);
    assert_non_null(strstr(msgs, want));
    assert_int_equal(strncmp(msgs, "paiban: error: ", 15), 0);
    assert_int_equal(pb_diag_error_count(), 1);
    free(msgs);
}

/* A family a layout names is reported at its key, with the command that lists the fonts. */
static void test_missing_family_at_key(void **state)
{
    (void)state;
    pb_layout l;
    capture c;
    capture_begin(&c);
    assert_int_equal(pb_layout_parse("t.ini", "[fonts]\nhan = Paiban Missing Family\n", &l), PB_OK);
    pb_fontset *set = NULL;
    pb_status st = pb_fonts_new(&l, NULL, &set);
    char *msgs = capture_end(&c);
    assert_int_equal(st, PB_ESYSTEM);
    assert_string_equal(msgs, "t.ini:2:7: error: font family 'Paiban Missing Family' (han in "
                              "[fonts]) is not installed; 'paiban fonts --layout t.ini' lists "
                              "the fonts a layout uses\n");
    free(msgs);
}

static void test_missing_family(void **state)
{
    (void)state;
    check_missing(PB_ROLE_HAN, "han");
    check_missing(PB_ROLE_LATIN, "latin");
    check_missing(PB_ROLE_LATIN_BOLD, "latin-bold");
}

static void test_missing_fallback(void **state)
{
    (void)state;
    pb_layout l;
    pb_layout_defaults(&l);
    snprintf(l.fallback, sizeof l.fallback, "%s", "Paiban Missing Fallback");
    pb_fontset *set = NULL;
    capture c;
    capture_begin(&c);
    pb_status st = pb_fonts_new(&l, NULL, &set);
    char *msgs = capture_end(&c);
    assert_int_equal(st, PB_ESYSTEM);
    assert_null(set);
    assert_non_null(strstr(msgs, "Paiban Missing Fallback"));
    assert_non_null(strstr(msgs, "fallback"));
    free(msgs);
}

/* A fallback family that is installed is opened as a seventh font. */
static void test_fallback_opened(void **state)
{
    (void)state;
    pb_layout l;
    pb_layout_defaults(&l);
    snprintf(l.fallback, sizeof l.fallback, "%s", "Noto Serif CJK SC");
    pb_fontset *set = NULL;
    assert_int_equal(pb_fonts_new(&l, NULL, &set), PB_OK);
    g_set = set;
    pb_font *fb = pb_fonts_get_fallback(set);
    assert_non_null(fb);
    assert_int_equal(pb_fonts_count(set), 7);
    assert_ptr_equal(pb_fonts_at(set, 6), fb);
    pb_font_info in;
    pb_font_get_info(fb, &in);
    assert_string_equal(in.psname, "NotoSerifCJKsc-Regular");
}

/* Two roles naming the same family and weight share one pb_font. */
static void test_same_face_shared(void **state)
{
    (void)state;
    pb_layout l;
    pb_layout_defaults(&l);
    snprintf(l.family[PB_ROLE_LATIN], sizeof l.family[PB_ROLE_LATIN], "%s", "Noto Serif CJK TC");
    pb_fontset *set = NULL;
    assert_int_equal(pb_fonts_new(&l, NULL, &set), PB_OK);
    g_set = set;
    assert_ptr_equal(pb_fonts_get(set, PB_ROLE_LATIN), pb_fonts_get(set, PB_ROLE_HAN));
    assert_int_equal(pb_fonts_count(set), 5);
}

/* No English emphasis in the document: the italic roles are not opened (they are the latin
 * and latin-bold faces). */
static void test_italic_not_opened_when_unused(void **state)
{
    (void)state;
    pb_layout l;
    pb_layout_defaults(&l);
    l.family[PB_ROLE_LATIN_ITALIC][0] = '\0';
    l.family[PB_ROLE_LATIN_BOLD_ITALIC][0] = '\0';
    pb_fontset *set = NULL;
    assert_int_equal(pb_fonts_new(&l, NULL, &set), PB_OK);
    g_set = set;
    assert_int_equal(pb_fonts_count(set), 4);
    assert_ptr_equal(pb_fonts_get(set, PB_ROLE_LATIN_ITALIC), pb_fonts_get(set, PB_ROLE_LATIN));
    assert_ptr_equal(pb_fonts_get(set, PB_ROLE_LATIN_BOLD_ITALIC),
                     pb_fonts_get(set, PB_ROLE_LATIN_BOLD));
}

/* A family with no bold (fontconfig offers its regular face, emboldened) or no italic face: a
 * warning naming the face used. */
static void test_missing_styles_warned(void **state)
{
    (void)state;
    pb_layout l;
    pb_layout_defaults(&l);
    snprintf(l.family[PB_ROLE_LATIN_BOLD], sizeof l.family[0], "%s", "Noto Music");
    snprintf(l.family[PB_ROLE_LATIN_ITALIC], sizeof l.family[0], "%s", "Noto Music");
    snprintf(l.family[PB_ROLE_LATIN_BOLD_ITALIC], sizeof l.family[0], "%s", "Noto Music");
    char *msg = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&msg, &len);
    pb_diag_set_sink(f);
    pb_fontset *set = NULL;
    pb_status st = pb_fonts_new(&l, NULL, &set);
    pb_diag_set_sink(NULL);
    fclose(f);
    g_set = set;
    assert_int_equal(st, PB_OK);
    assert_string_equal(msg,
                        "paiban: warning: family 'Noto Music' has no bold face: role latin-bold "
                        "uses its 'Regular' face (NotoMusic-Regular.ttf), so text in that role is "
                        "not set in bold\n"
                        "paiban: warning: family 'Noto Music' has no italic face: role latin-italic "
                        "uses its 'Regular' face (NotoMusic-Regular.ttf), so emphasis in that role "
                        "is not set in italic\n"
                        /* a heading's emphasis: the face missing is named, both ways it lacks */
                        "paiban: warning: family 'Noto Music' has no bold face: role "
                        "latin-bold-italic uses its 'Regular' face (NotoMusic-Regular.ttf), so "
                        "text in that role is not set in bold\n"
                        "paiban: warning: family 'Noto Music' has no italic face: role "
                        "latin-bold-italic uses its 'Regular' face (NotoMusic-Regular.ttf), so "
                        "emphasis in that role is not set in italic\n");
    free(msg);
    pb_font_info in;
    pb_font_get_info(pb_fonts_get(set, PB_ROLE_LATIN_BOLD), &in);
    assert_int_equal(in.bold, 0);
}

/* ---- cmap reverse ------------------------------------------------------------------------- */

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* The smallest code point mapping to each glyph: the space glyph is U+0020 (a no-break space or
 * an invisible character drawn with it never names it); the fi ligature is U+FB01, which Noto
 * Serif maps to it; a glyph no code point maps to gets 0; in the Han font, a compatibility
 * ideograph that shares its unified ideograph's glyph gives that glyph back as the unified
 * one. */
static void test_cmap_reverse(void **state)
{
    (void)state;
    pb_fontset *set = open_defaults();
    pb_font *lat = pb_fonts_get(set, PB_ROLE_LATIN), *han = pb_fonts_get(set, PB_ROLE_HAN);
    uint32_t gids[3] = {pb_font_get_glyph(lat, ' '), pb_font_get_glyph(lat, 'e'), 0};
    /* the fi ligature: what HarfBuzz draws for "fi" */
    hb_buffer_t *buf = hb_buffer_create();
    hb_buffer_add_utf8(buf, "fi", -1, 0, -1);
    hb_buffer_guess_segment_properties(buf);
    hb_shape(pb_font_get_hb(lat), buf, NULL, 0);
    unsigned n;
    hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buf, &n);
    assert_int_equal(n, 1);
    gids[2] = info[0].codepoint;
    hb_buffer_destroy(buf);
    qsort(gids, 3, sizeof *gids, cmp_u32);
    uint32_t cps[3];
    pb_font_cmap_reverse(lat, gids, 3, cps);
    for (size_t i = 0; i < 3; i++) {
        if (gids[i] == pb_font_get_glyph(lat, ' '))
            assert_int_equal(cps[i], ' ');
        else if (gids[i] == pb_font_get_glyph(lat, 'e'))
            assert_int_equal(cps[i], 'e');
        else
            assert_int_equal(cps[i], 0xFB01);
    }
    /* .notdef: no code point */
    uint32_t notdef = 0, none = 1;
    pb_font_cmap_reverse(lat, &notdef, 1, &none);
    assert_int_equal(none, 0);
    /* U+F9A4 CJK COMPATIBILITY IDEOGRAPH-F9A4 and U+637B share a glyph in Noto Serif CJK */
    uint32_t g = pb_font_get_glyph(han, 0xF9A4);
    if (g && g == pb_font_get_glyph(han, 0x637B)) {
        uint32_t cp;
        pb_font_cmap_reverse(han, &g, 1, &cp);
        assert_int_equal(cp, 0x637B);
    }
    g = pb_font_get_glyph(han, GUO);
    uint32_t cp = 0;
    pb_font_cmap_reverse(han, &g, 1, &cp);
    assert_int_equal(cp, GUO);
    pb_font_cmap_reverse(han, NULL, 0, NULL); /* nothing asked */
}

/* ---- subsetting --------------------------------------------------------------------------- */

static FT_Face load_memory(FT_Library lib, const uint8_t *data, size_t len)
{
    FT_Face face = NULL;
    FT_Error e = FT_New_Memory_Face(lib, data, (FT_Long)len, 0, &face);
    if (e)
        print_error("FreeType cannot open the subset (error %d)\n", e);
    assert_int_equal(e, 0);
    return face;
}

static void test_subset_cff(void **state)
{
    (void)state;
    pb_fontset *set = open_defaults();
    pb_font *f = pb_fonts_get(set, PB_ROLE_HAN);
    static const uint32_t cps[] = {GUO, 0x4EBA, 0x5DE5, 0x667A}; /* 國人工智 */
    uint32_t used[4];
    for (size_t i = 0; i < 4; i++) {
        used[i] = pb_font_get_glyph(f, cps[i]);
        assert_int_not_equal(used[i], 0);
    }
    qsort(used, 4, sizeof *used, cmp_u32);
    uint8_t *data = NULL;
    size_t len = 0, map_len = 99;
    uint16_t *map = (uint16_t *)&len; /* must be reset */
    capture c;
    capture_begin(&c);
    pb_status st = pb_font_subset(f, used, 4, &data, &len, &map, &map_len);
    g_data = data;
    char *msgs = capture_end(&c);
    assert_string_equal(msgs, "");
    free(msgs);
    assert_int_equal(st, PB_OK);
    assert_non_null(data);
    assert_true(len > 4);
    /* CFF header: major 1, minor 0, header size 4, offset size 1-4 */
    assert_int_equal(data[0], 1);
    assert_int_equal(data[1], 0);
    assert_int_equal(data[2], 4);
    assert_true(data[3] >= 1 && data[3] <= 4);
    assert_null(map);
    assert_int_equal(map_len, 0);

    /* far smaller than the face's CFF table */
    pb_font_info in;
    pb_font_get_info(f, &in);
    hb_blob_t *blob = hb_blob_create_from_file(in.file);
    hb_face_t *face = hb_face_create(blob, (unsigned)in.index);
    hb_blob_t *full = hb_face_reference_table(face, HB_TAG('C', 'F', 'F', ' '));
    assert_true(len * 20 < hb_blob_get_length(full));
    hb_blob_destroy(full);
    hb_face_destroy(face);
    hb_blob_destroy(blob);

    /* FreeType reads the bare CFF: it is CID-keyed and, as FreeType indexes such fonts by CID,
     * each glyph is found under its original glyph id (the PDF's CID = GID invariant) with its
     * outline and width; a glyph id that was not used is absent. */
    FT_Library lib;
    assert_int_equal(FT_Init_FreeType(&lib), 0);
    FT_Face sub = load_memory(lib, data, len);
    FT_Bool cid_keyed = 0;
    assert_int_equal(FT_Get_CID_Is_Internally_CID_Keyed(sub, &cid_keyed), 0);
    assert_true(cid_keyed);
    uint32_t maxg = 0;
    for (size_t i = 0; i < 4; i++)
        maxg = used[i] > maxg ? used[i] : maxg;
    assert_int_equal(sub->num_glyphs, maxg + 1); /* CIDs 0..max */
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(FT_Load_Glyph(sub, used[i], FT_LOAD_NO_SCALE), 0);
        assert_true(sub->glyph->outline.n_points > 0);
        assert_int_equal(sub->glyph->advance.x, pb_font_get_advance(f, used[i]));
    }
    uint32_t unused = 1;
    while (unused == used[0] || unused == used[1] || unused == used[2] || unused == used[3])
        unused++;
    assert_int_not_equal(FT_Load_Glyph(sub, unused, FT_LOAD_NO_SCALE), 0);
    FT_Done_Face(sub);
    FT_Done_FreeType(lib);
}

static void test_subset_truetype(void **state)
{
    (void)state;
    pb_fontset *set = open_defaults();
    pb_font *f = pb_fonts_get(set, PB_ROLE_LATIN);
    static const uint32_t cps[] = {'a', 'Z', 'e', 'M'};
    uint32_t used[4];
    for (size_t i = 0; i < 4; i++) {
        used[i] = pb_font_get_glyph(f, cps[i]);
        assert_int_not_equal(used[i], 0);
    }
    qsort(used, 4, sizeof *used, cmp_u32);
    uint32_t maxg = used[3];

    uint8_t *data = NULL;
    size_t len = 0, map_len = 0;
    uint16_t *map = NULL;
    assert_int_equal(pb_font_subset(f, used, 4, &data, &len, &map, &map_len), PB_OK);
    g_data = data;
    g_map = map;
    assert_non_null(data);
    assert_true(len > 12);
    assert_int_equal(data[0], 0x00);
    assert_int_equal(data[1], 0x01);
    assert_int_equal(data[2], 0x00);
    assert_int_equal(data[3], 0x00);
    assert_non_null(map);
    assert_int_equal(map_len, maxg + 1);
    assert_int_equal(map[0], 0); /* .notdef stays 0 */
    /* used glyphs get 1..4 in the order of their old ids; every other id maps to 0 */
    uint16_t next = 1;
    for (size_t g = 1; g < map_len; g++) {
        int is_used = 0;
        for (size_t i = 0; i < 4; i++)
            is_used |= used[i] == g;
        if (is_used)
            assert_int_equal(map[g], next++);
        else
            assert_int_equal(map[g], 0);
    }
    assert_int_equal(next, 5);

    /* the subset is a font with 5 glyphs whose advances are the originals' */
    FT_Library lib;
    assert_int_equal(FT_Init_FreeType(&lib), 0);
    FT_Face sub = load_memory(lib, data, len);
    assert_int_equal(sub->num_glyphs, 5);
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(FT_Load_Glyph(sub, map[used[i]], FT_LOAD_NO_SCALE), 0);
        assert_int_equal(sub->glyph->advance.x, pb_font_get_advance(f, used[i]));
    }
    FT_Done_Face(sub);
    FT_Done_FreeType(lib);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_defaults_open_six_faces, teardown),
        cmocka_unit_test_teardown(test_is_cff_matches_tables, teardown),
        cmocka_unit_test_teardown(test_metrics_are_freetypes, teardown),
        cmocka_unit_test_teardown(test_cff_outlines_are_freetypes, teardown),
        cmocka_unit_test_teardown(test_coverage, teardown),
        cmocka_unit_test_teardown(test_missing_family, teardown),
        cmocka_unit_test_teardown(test_missing_family_at_key, teardown),
        cmocka_unit_test_teardown(test_missing_fallback, teardown),
        cmocka_unit_test_teardown(test_fallback_opened, teardown),
        cmocka_unit_test_teardown(test_same_face_shared, teardown),
        cmocka_unit_test_teardown(test_cmap_reverse, teardown),
        cmocka_unit_test_teardown(test_italic_not_opened_when_unused, teardown),
        cmocka_unit_test_teardown(test_missing_styles_warned, teardown),
        cmocka_unit_test_teardown(test_subset_cff, teardown),
        cmocka_unit_test_teardown(test_subset_truetype, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
