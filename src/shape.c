/* shape: HarfBuzz shaping with language zh-Hant / en so TC locl forms, ligatures and kerning
 * apply. Positions are in font units (each hb_font's scale is its upem). */
#include "shape.h"
#include "util.h"

#define SHAPE_GLYPHS_FIRST 256 /* glyphs a run has room for before it grows */

#include <hb.h>
#include <stdlib.h>
#include <string.h>

struct pb_shaper {
    hb_buffer_t *buf;
    hb_language_t lang[2];
};

pb_status pb_shape_new(const char *lang_zh, const char *lang_en, pb_shaper **out)
{
    pb_shaper *sh = calloc(1, sizeof *sh);
    if (!sh)
        return pb_diag_oom("starting the shaper");
    sh->buf = hb_buffer_create();
    if (!hb_buffer_allocation_successful(sh->buf)) {
        hb_buffer_destroy(sh->buf);
        free(sh);
        return pb_diag_oom("starting the shaper");
    }
    sh->lang[PB_LANG_ZH] = hb_language_from_string(lang_zh, -1);
    sh->lang[PB_LANG_EN] = hb_language_from_string(lang_en, -1);
    *out = sh;
    return PB_OK;
}

void pb_shape_free(pb_shaper *sh)
{
    if (!sh)
        return;
    hb_buffer_destroy(sh->buf);
    free(sh);
}

void pb_shape_free_glyphs(pb_glyphs *g)
{
    free(g->g);
    memset(g, 0, sizeof *g);
}

pb_status pb_shape_runs(pb_shaper *sh, const uint32_t *text, size_t len, const pb_runs *runs,
                        pb_glyphs *out)
{
    out->n = 0;
    for (size_t r = 0; r < runs->n; r++) {
        const pb_run *run = &runs->runs[r];
        hb_buffer_clear_contents(sh->buf);
        /* the whole block is context, so shaping at run edges sees its neighbours */
        hb_buffer_add_utf32(sh->buf, text, (int)len, (unsigned)run->start, (int)run->len);
        hb_buffer_set_direction(sh->buf, HB_DIRECTION_LTR);
        hb_buffer_set_script(sh->buf, hb_script_from_iso15924_tag(run->script));
        hb_buffer_set_language(sh->buf, sh->lang[run->lang]);
        hb_buffer_set_cluster_level(sh->buf, HB_BUFFER_CLUSTER_LEVEL_MONOTONE_CHARACTERS);
        /* default ignorables (U+00AD, U+200B, U+2060, joiners, variation selectors) draw
         * nothing: without this flag HarfBuzz draws them with the space glyph at zero width,
         * and their code points would land on that glyph; removed, they join the cluster of
         * the glyph before them (UAX #44 Default_Ignorable_Code_Point; nodes.c reads them) */
        hb_buffer_set_flags(sh->buf, HB_BUFFER_FLAG_REMOVE_DEFAULT_IGNORABLES);
        hb_shape(pb_font_get_hb(run->font), sh->buf, NULL, 0);
        if (!hb_buffer_allocation_successful(sh->buf))
            return pb_diag_oom("shaping text");
        unsigned n;
        hb_glyph_info_t *info = hb_buffer_get_glyph_infos(sh->buf, &n);
        hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(sh->buf, &n);
        if (pb_util_grow(&out->g, &out->cap, out->n + n, sizeof *out->g, SHAPE_GLYPHS_FIRST))
            return pb_diag_oom("shaping text");
        for (unsigned i = 0; i < n; i++)
            out->g[out->n++] = (pb_glyph){run->font, info[i].codepoint, info[i].cluster,
                                          pos[i].x_advance, pos[i].x_offset, pos[i].y_offset};
    }
    return PB_OK;
}
