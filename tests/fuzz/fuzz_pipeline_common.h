/* fuzz_pipeline_common.h: what the two pipeline fuzz targets (fuzz_pipeline.c,
 * fuzz_layout_values.c) share, included by each once: libhyphen's dictionary kept
 * across inputs, one fontset of the default layout opened on the first input, and the checks
 * of laid-out pages (finite positions, glyphs of their fonts, lines inside their page). */
#ifndef FUZZ_PIPELINE_COMMON_H
#define FUZZ_PIPELINE_COMMON_H

#define _GNU_SOURCE /* RTLD_NEXT */
#include <dlfcn.h>
#include <hyphen.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "require.h"
#include "diag.h"
#include "fonts.h"
#include "layout.h"
#include "pagebuild.h"

/* The page builder loads the hyphenation patterns for every document (pb_nodes_new); that is
 * 80% of a run here. These two interpose libhyphen's calls in this program only: the first load
 * is kept and handed out again, and freed at exit. Hyphenation only reads the dictionary. */
static HyphenDict *g_dict;
static char g_dict_path[4096];

HyphenDict *hnj_hyphen_load(const char *fn)
{
    if (g_dict && strcmp(fn, g_dict_path) == 0)
        return g_dict;
    HyphenDict *(*real)(const char *) = (HyphenDict * (*)(const char *)) dlsym(RTLD_NEXT, "hnj_hyphen_load");
    REQUIRE(real);
    HyphenDict *d = real(fn);
    if (d && !g_dict && strlen(fn) < sizeof g_dict_path) {
        g_dict = d;
        snprintf(g_dict_path, sizeof g_dict_path, "%s", fn);
    }
    return d;
}

void hnj_hyphen_free(HyphenDict *dict)
{
    if (dict && dict == g_dict)
        return;
    void (*real)(HyphenDict *) = (void (*)(HyphenDict *))dlsym(RTLD_NEXT, "hnj_hyphen_free");
    REQUIRE(real);
    real(dict);
}

static pb_fontset *g_fonts; /* opened once, reused: fontconfig start-up is slow */
static pb_layout g_layout;
static FILE *g_null;

/* At exit: fontconfig keeps pointers as encoded offsets that LeakSanitizer cannot follow, so an
 * open fontset would be reported as leaked. */
static void fini(void)
{
    pb_fonts_free(g_fonts);
    g_fonts = NULL;
    if (g_null)
        fclose(g_null);
    g_null = NULL;
    HyphenDict *d = g_dict;
    g_dict = NULL;
    if (d)
        hnj_hyphen_free(d);
}

static void init_once(void)
{
    if (g_fonts)
        return;
    g_null = fopen("/dev/null", "w");
    REQUIRE(g_null);
    pb_layout_defaults(&g_layout);
    if (pb_fonts_new(&g_layout, NULL, &g_fonts) != PB_OK) {
        fprintf(stderr, "fuzz: the default fonts (Noto Serif CJK TC, Noto Serif) are needed\n");
        exit(1);
    }
    atexit(fini);
}

static void check_pages(const pb_pages *pages)
{
    REQUIRE(pages->n >= 1);
    for (size_t p = 0; p < pages->n; p++) {
        const pb_page *pg = &pages->pages[p];
        REQUIRE(isfinite(pg->w) && isfinite(pg->h) && pg->w > 0 && pg->h > 0);
        for (size_t i = 0; i < pg->n; i++) {
            const pb_gpos *g = &pg->g[i];
            pb_font_info info;
            REQUIRE(g->font);
            pb_font_get_info(g->font, &info);
            REQUIRE(g->gid < info.num_glyphs);
            REQUIRE(isfinite(g->x) && isfinite(g->y) && g->size > 0);
            REQUIRE(g->ntext == 0 || g->text);
        }
        for (size_t l = 0; l < pg->n_lines; l++) {
            const pb_pline *ln = &pg->lines[l];
            REQUIRE(ln->g0 <= ln->g1 && ln->g1 <= pg->n);
            REQUIRE(isfinite(ln->x) && isfinite(ln->y) && isfinite(ln->width));
        }
    }
    for (size_t m = 0; m < pages->n_marks; m++)
        REQUIRE(pages->marks[m].page < pages->n && pages->marks[m].title);
}

#endif
